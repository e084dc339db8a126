"""Data sets bundled with the package.

``preflib/`` holds real elections and rankings copied verbatim from PrefLib
(see ``preflib/README.md`` for sources, licence and required citations).

Examples
--------
>>> from mechanisms.data import list_preflib, preflib_path
>>> "debian/00002-00000001.soi" in list_preflib()
True
>>> list_preflib(kind="cat")
['frenchapproval/00026-00000001.cat', 'parliaments/00057-00000001.cat', 'poster/00033-00000002.cat']
>>> preflib_path("00002-00000001.soi").name
'00002-00000001.soi'
"""

from __future__ import annotations

from importlib import resources

from solvers.errors import UnknownNameError
from solvers.validation import check_option

__all__ = ["list_preflib", "preflib_path"]

_KINDS = ("soc", "soi", "toc", "toi", "cat")


def _root():
    return resources.files(__name__) / "preflib"


def list_preflib(kind: str | None = None) -> list[str]:
    """Names (``"folder/file"``) of the bundled PrefLib data files, sorted.

    Parameters
    ----------
    kind : {"soc", "soi", "toc", "toi", "cat"}, optional
        Keep only files of this PrefLib data type (by extension).
    """
    check_option(kind, "kind", "list_preflib", (None, *_KINDS))
    names = []
    for folder in _root().iterdir():
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            ext = item.name.rsplit(".", 1)[-1]
            if item.is_file() and ext in _KINDS and (kind is None or ext == kind):
                names.append(f"{folder.name}/{item.name}")
    return sorted(names)


def preflib_path(name: str):
    """Path of a bundled PrefLib file, for :func:`mechanisms.io.read_preflib`.

    Parameters
    ----------
    name : str
        ``"folder/file"`` as listed by :func:`list_preflib` (also
        ``"folder/info.txt"`` and ``"README.md"``), or a data file's bare name
        such as ``"00002-00000001.soi"``.

    Returns
    -------
    pathlib.Path or importlib.resources.abc.Traversable
        A ``pathlib.Path`` when the package is installed as files (the usual case).

    Raises
    ------
    UnknownNameError
        When no bundled file has that name; close matches are suggested.
    """
    known = list_preflib()
    if isinstance(name, str):
        if "/" not in name:
            matches = [k for k in known if k.split("/", 1)[1] == name]
            if len(matches) == 1:
                name = matches[0]
        parts = [p for p in name.split("/") if p]
        if parts and all(p not in (".", "..") for p in parts):
            path = _root().joinpath(*parts)
            if path.is_file():
                return path
    raise UnknownNameError("PrefLib file", name, known)
