"""Read and write PrefLib files: ``soc``, ``soi``, ``toc``, ``toi`` and two-category ``cat``.

A PrefLib file is a header of ``# KEY: value`` lines followed by data lines
``count: preference``.  Alternatives are numbered from 1 in the file and from 0
in the toolkit.  Ties and categories are written as groups ``{a,b,...}``.

Reading keeps everything the header says: the title in ``profile.title``, the
alternative names in ``profile.labels`` and every other header line but the
counts in ``profile.metadata`` (in file order), together with a :class:`PreflibLayout`
under the key ``"preflib_layout"`` that records how the file was spelled (the
raw header lines, line endings, data lines written in a non-canonical way).
:func:`write_preflib` uses that layout only where it still describes the
profile: ``write_preflib(read_preflib(text)) == text`` for every bundled
PrefLib file (and for any readable file without blank lines, a byte-order mark,
or header keys and numbers in non-standard spelling such as ``Number Voters`` or
``04``), while a changed profile is always written faithfully.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from itertools import groupby
from numbers import Integral, Real
from pathlib import Path

import numpy as np

from solvers.errors import ParseError, ValidationError
from solvers.validation import check_int, check_option, fail

from ..profiles import ApprovalProfile, Profile, UtilityProfile
from ..profiles._base import group_rows

__all__ = ["read_preflib", "write_preflib", "PreflibLayout", "LAYOUT_KEY", "DATA_TYPES"]

#: PrefLib data types this module reads and writes.
DATA_TYPES = ("soc", "soi", "toc", "toi", "cat")
#: Key of the :class:`PreflibLayout` in the metadata of a profile read from a file.
LAYOUT_KEY = "preflib_layout"

_STRICT = ("soc", "soi")
_COMPLETE = ("soc", "toc", "cat")
# which file types can hold a profile of each kind
_HOLDS = {"soc": ("soc", "soi", "toc", "toi"), "soi": ("soi", "toi"), "toc": ("toc", "toi"), "toi": ("toi",)}
_STANDARD = ("FILE NAME", "TITLE", "DESCRIPTION", "DATA TYPE", "MODIFICATION TYPE", "RELATES TO",
             "RELATED FILES", "PUBLICATION DATE", "MODIFICATION DATE")
_COMPUTED = ("TITLE", "DATA TYPE", "NUMBER ALTERNATIVES", "NUMBER VOTERS", "NUMBER UNIQUE ORDERS",
             "NUMBER UNIQUE PREFERENCES", "NUMBER CATEGORIES")
_INT64_MAX = 2**63 - 1
_MAX_DIGITS = 19  # more digits than this cannot fit in int64

_NAME_KEY = re.compile(r"(ALTERNATIVE|CATEGORY) NAME(?: (\S+))?\Z")
_DIGITS = re.compile(r"[0-9]+\Z")
_NUMBER = r"[1-9][0-9]{0,17}"  # an alternative number or count in canonical spelling (fits int64)
_FAST_LINE = re.compile(rf"(0|{_NUMBER}): ({_NUMBER}(?:,{_NUMBER})*)?\Z")
_TOKENS = re.compile(r"[0-9]+|[{},]|\s+|.", re.S)


@dataclass(frozen=True)
class PreflibLayout:
    """How a PrefLib file read by :func:`read_preflib` was spelled.

    Stored in ``profile.metadata["preflib_layout"]``; :func:`write_preflib` uses
    it to reproduce the file byte for byte while it still describes the profile.

    Attributes
    ----------
    header : tuple of str
        The raw header lines, in file order.  Written back verbatim only when
        they say exactly what the header computed from the profile says.
    n_lines : int
        Number of data lines.  When the profile still has this many ballot rows,
        they are written one line each in their own order (zero counts kept);
        otherwise identical ballots are merged and sorted by decreasing count.
    overrides : tuple of (int, str, str)
        ``(index, canonical, raw)`` for data lines not in canonical spelling
        (e.g. unsorted tied groups); ``raw`` is written when the profile's line
        ``index`` still reads ``canonical``.
    newline : str
        ``"\\n"`` or ``"\\r\\n"``.
    final_newline : bool
        Whether the file ended with a line break.
    """

    header: tuple[str, ...]
    n_lines: int
    overrides: tuple[tuple[int, str, str], ...] = ()
    newline: str = "\n"
    final_newline: bool = True

    def __repr__(self) -> str:
        return (f"PreflibLayout({len(self.header)} header lines, {self.n_lines} data lines, "
                f"{len(self.overrides)} in non-canonical spelling)")


# ----------------------------------------------------------------------------- reading
def read_preflib(source, /, *, max_cells: int = 2**27) -> Profile | ApprovalProfile:
    """Read a PrefLib file into a :class:`~mechanisms.profiles.Profile` or an ``ApprovalProfile``.

    Parameters
    ----------
    source : str, os.PathLike, bytes or importlib Traversable
        A path to an existing file, or the file's text: a ``str`` that contains
        a line break or starts with ``#`` is read as text, ``bytes`` as UTF-8
        encoded text.
    max_cells : int, default 2**27
        Largest rank (or approval) matrix to build, in entries: number of data
        lines times number of alternatives.  A guard against files whose header
        announces far more than a dense profile can hold; raise it for bigger files.

    Returns
    -------
    Profile or ApprovalProfile
        Types ``soc``, ``soi``, ``toc`` and ``toi`` give a ``Profile`` whose
        ballot rows are the data lines in file order (zero counts kept), so
        ``n_ballots`` equals the header's ``NUMBER UNIQUE ORDERS``.  A ``cat``
        file with exactly two categories gives an ``ApprovalProfile``: the first
        category listed on each line is the approved set.  Alternative ``i`` of
        the file is id ``i - 1``; ``labels`` are the ``ALTERNATIVE NAME`` lines;
        ``title`` is ``TITLE``; every other header line but the ``NUMBER ...``
        counts (which the profile itself determines) is in ``metadata``, in file
        order, plus a :class:`PreflibLayout` under ``"preflib_layout"``.

    Raises
    ------
    ParseError
        For a malformed file; the message names the 1-based line and the problem
        (bad count, unknown or repeated alternative, a tie in a strict type, an
        incomplete line in a complete type, header numbers that disagree with
        the data, missing or repeated header lines, non-UTF-8 bytes, ...).
    ValidationError
        When ``source`` is neither text nor the path of an existing file.

    See Also
    --------
    write_preflib

    Notes
    -----
    Headers required: ``DATA TYPE``, ``NUMBER ALTERNATIVES``, ``NUMBER VOTERS``,
    ``NUMBER UNIQUE ORDERS`` (``NUMBER UNIQUE PREFERENCES`` for ``cat``; either
    name is accepted), ``ALTERNATIVE NAME i`` for every ``i`` and, for ``cat``,
    ``NUMBER CATEGORIES``.  Keys are matched without regard to case or repeated
    spaces; values are stripped of surrounding blanks.  Blank lines are skipped.
    Work is linear in the size of the text plus the size of the rank matrix,
    whose width is bounded by the number of ``ALTERNATIVE NAME`` lines.

    References
    ----------
    .. [1] N. Mattei and T. Walsh, "PrefLib: A Library of Preferences",
       Proceedings of the 3rd International Conference on Algorithmic Decision
       Theory (ADT), 2013, pp. 259-270.
    .. [2] PrefLib data format, https://www.preflib.org/format

    Examples
    --------
    >>> text = '''# FILE NAME: tiny.soi
    ... # TITLE: Tiny
    ... # DATA TYPE: soi
    ... # NUMBER ALTERNATIVES: 3
    ... # NUMBER VOTERS: 5
    ... # NUMBER UNIQUE ORDERS: 2
    ... # ALTERNATIVE NAME 1: a
    ... # ALTERNATIVE NAME 2: b
    ... # ALTERNATIVE NAME 3: c
    ... 3: 1,3,2
    ... 2: 2
    ... '''
    >>> p = read_preflib(text)
    >>> p.kind, p.labels, p.n_voters, p.title
    ('soi', ('a', 'b', 'c'), 5, 'Tiny')
    >>> p.ranks
    array([[ 0,  2,  1],
           [-1,  0, -1]])
    >>> write_preflib(p) == text
    True
    """
    max_cells = check_int(max_cells, "max_cells", "read_preflib", low=1)
    return _parse(_source_text(source), max_cells)


def _source_text(source) -> str:
    owner = "read_preflib"
    rule = "a path to an existing PrefLib file, the file's text (a str with a line break or starting with '#') or bytes"
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _decode(bytes(source))
    if isinstance(source, str) and ("\n" in source or source.lstrip("\ufeff \t").startswith("#")):
        return source.removeprefix("\ufeff")
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            exists = path.is_file()
        except (OSError, ValueError):
            exists = False
        if not exists:
            fail("source", owner, rule, source, hint="No file exists at that path.")
        try:
            return _decode(path.read_bytes())
        except OSError as exc:
            fail("source", owner, rule, source, hint=f"The file could not be read: {exc}.")
    if hasattr(source, "read_bytes") and hasattr(source, "is_file"):  # importlib.resources Traversable
        return _decode(source.read_bytes())
    fail("source", owner, rule, source)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                         "PrefLib files are UTF-8 text", line=line) from None
    return text.removeprefix("\ufeff")


def _show(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _parse_int(text: str, what: str, line: int) -> int:
    if not _DIGITS.match(text):
        raise ParseError(f"{what} must be a nonnegative integer; got {_show(text)}", line=line)
    value = _small_int(text)
    if value is None or value > _INT64_MAX:
        raise ParseError(f"{what} {_show(text)} is beyond the int64 range", line=line)
    return value


def _small_int(digits: str) -> int | None:
    """The value of a digit string, or None when it has more than 19 significant digits."""
    significant = digits.lstrip("0")
    return None if len(significant) > _MAX_DIGITS else int(significant or "0")


def _header_line(raw: str) -> tuple[str, str] | None:
    """``'# KEY: value'`` -> ``('KEY', 'value')`` (key blanks collapsed, value stripped); None if malformed."""
    body = raw.lstrip()
    if not body.startswith("#"):
        return None
    key, colon, value = body[1:].partition(":")
    key = " ".join(key.split())
    return (key, value.strip()) if colon and key else None


class _Header:
    """The parsed header: entries in file order and look-ups by upper-case key."""

    def __init__(self):
        self.entries: list[tuple[str, str, str, int]] = []  # (KEY, key as written, value, line)
        self.by_key: dict[str, tuple[str, str, int]] = {}
        self.raw: list[str] = []

    def add(self, raw: str, lineno: int):
        parsed = _header_line(raw)
        if parsed is None:
            raise ParseError(f"a header line must read '# KEY: value'; got {_show(raw)}", line=lineno)
        key, value = parsed
        upper = key.upper()
        if upper in self.by_key:
            raise ParseError(f"the header line {_show(key)} appears twice (first on line {self.by_key[upper][2]})",
                             line=lineno)
        self.entries.append((upper, key, value, lineno))
        self.by_key[upper] = (key, value, lineno)
        self.raw.append(raw)

    def get(self, key: str):
        return self.by_key.get(key)

    def require(self, key: str, end_line: int, *aliases: str):
        for k in (key, *aliases):
            if k in self.by_key:
                return self.by_key[k]
        also = f" (or {', '.join(repr(a) for a in aliases)})" if aliases else ""
        raise ParseError(f"the header has no '{key}' line{also}; it is required", line=end_line)


def _split_lines(text: str):
    final_newline = text.endswith("\n")
    n_breaks = text.count("\n")
    newline = "\r\n" if n_breaks and text.count("\r\n") == n_breaks else "\n"
    lines = text.split("\n")
    if final_newline:
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    stray = "\r" in text.replace("\r\n", "")
    for lineno, ln in enumerate(lines if stray else (), start=1):
        if "\r" in ln:
            raise ParseError("a carriage return inside the line; PrefLib lines end with \\n or \\r\\n", line=lineno)
    return lines, newline, final_newline


def _parse(text: str, max_cells: int):
    lines, newline, final_newline = _split_lines(text)
    header = _Header()
    data: list[tuple[int, str]] = []
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if raw.lstrip().startswith("#"):
            if data:
                raise ParseError("a header line ('# ...') after the data lines; the header must come first",
                                 line=lineno)
            header.add(raw, lineno)
        else:
            data.append((lineno, raw))
    end_line = data[0][0] if data else max(len(lines), 1)

    # ---- header: type, sizes, names
    _, type_text, type_line = header.require("DATA TYPE", end_line)
    data_type = type_text.lower()
    if data_type not in DATA_TYPES:
        close = difflib.get_close_matches(data_type, DATA_TYPES, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ParseError(f"unknown DATA TYPE {_show(type_text)}; this reader knows {', '.join(DATA_TYPES)}.{hint}",
                         line=type_line)
    _, m_text, m_line = header.require("NUMBER ALTERNATIVES", end_line)
    m = _parse_int(m_text, "NUMBER ALTERNATIVES", m_line)
    if m < 1:
        raise ParseError("NUMBER ALTERNATIVES must be at least 1", line=m_line)
    _, nv_text, nv_line = header.require("NUMBER VOTERS", end_line)
    n_voters = _parse_int(nv_text, "NUMBER VOTERS", nv_line)
    unique_keys = ("NUMBER UNIQUE PREFERENCES", "NUMBER UNIQUE ORDERS")
    if data_type != "cat":
        unique_keys = unique_keys[::-1]
    header.require(unique_keys[0], end_line, unique_keys[1])
    unique_counts = [(k, _parse_int(header.get(k)[1], k, header.get(k)[2]), header.get(k)[2])
                     for k in unique_keys if header.get(k)]
    if data_type == "cat":
        _, nc_text, nc_line = header.require("NUMBER CATEGORIES", end_line)
        if _parse_int(nc_text, "NUMBER CATEGORIES", nc_line) != 2:
            raise ParseError(f"NUMBER CATEGORIES is {nc_text}; only two-category (approval) .cat files can be read, "
                             "the first category being the approved one", line=nc_line)
    labels = _labels(header, m, m_line)
    if len(data) * m > max_cells:
        raise ParseError(f"{len(data)} data lines times {m} alternatives make a matrix of {len(data) * m} entries, "
                         f"more than max_cells={max_cells}; pass a larger max_cells to read this file", line=m_line)

    # ---- data lines
    counts: list[int] = []
    flat: list[int] = []  # 1-based ids of each line (the approved ones for cat), line after line
    flat_levels: list[int] = []
    lengths: list[int] = []
    overrides: list[tuple[int, str, str]] = []
    total = 0
    for index, (lineno, raw) in enumerate(data):
        ids = None
        fast = _FAST_LINE.match(raw) if data_type != "cat" else None
        if fast is not None:  # a strict line in canonical spelling: no tokenizer needed
            ids = [int(x) for x in fast.group(2).split(",")] if fast.group(2) else []
            if (ids and max(ids) > m) or len(set(ids)) != len(ids) or (data_type in _COMPLETE and len(ids) != m):
                ids = None  # let the full parser say what is wrong
        if ids is not None:
            count = int(fast.group(1))
            flat.extend(ids)
            flat_levels.extend(range(len(ids)))
            lengths.append(len(ids))
        else:
            count, groups = _parse_data_line(raw, lineno, m, data_type)
            if data_type == "cat":
                flat.extend(groups[0])
                lengths.append(len(groups[0]))
                canonical = _line_text(count, [sorted(groups[0]), sorted(groups[1])])
            else:
                for level, group in enumerate(groups):
                    flat.extend(group)
                    flat_levels.extend([level] * len(group))
                lengths.append(sum(len(g) for g in groups))
                canonical = _line_text(count, [sorted(g) for g in groups])
            if canonical != raw:
                overrides.append((index, canonical, raw))
        total += count
        if total > _INT64_MAX:
            raise ParseError("the counts of the data lines add up to more than int64 can hold", line=lineno)
        counts.append(count)

    # ---- header numbers against the data
    if n_voters != total:
        raise ParseError(f"NUMBER VOTERS is {n_voters} but the counts of the data lines add up to {total}",
                         line=nv_line)
    for key, value, line in unique_counts:
        if value != len(data):
            raise ParseError(f"{key} is {value} but the file has {len(data)} data lines", line=line)

    # ---- build the profile
    metadata = {}
    for upper, key, value, _ in header.entries:
        if (upper in _COMPUTED and upper != "DATA TYPE") or upper.startswith("ALTERNATIVE NAME"):
            continue
        metadata[upper if upper in _STANDARD else key] = value
    metadata[LAYOUT_KEY] = PreflibLayout(tuple(header.raw), len(data), tuple(overrides), newline, final_newline)
    title = header.get("TITLE")[1] if header.get("TITLE") else ""
    weights = np.array(counts, dtype=np.int64)
    rows = np.repeat(np.arange(len(data), dtype=np.intp), np.array(lengths, dtype=np.intp))
    cols = np.array(flat, dtype=np.intp) - 1
    try:
        if data_type == "cat":
            approvals = np.zeros((len(data), m), dtype=bool)
            approvals[rows, cols] = True
            return ApprovalProfile(approvals, weights, labels, title=title, metadata=metadata)
        ranks = np.full((len(data), m), -1, dtype=np.int64)
        ranks[rows, cols] = np.array(flat_levels, dtype=np.int64)
        return Profile.from_ranks(ranks, weights, labels, title=title, metadata=metadata)
    except ValidationError as exc:  # pragma: no cover - every rule is checked above
        raise ParseError(f"the data do not form a valid profile: {exc}") from None


def _labels(header: _Header, m: int, m_line: int) -> tuple[str, ...]:
    names: dict[int, str] = {}
    seen: dict[str, int] = {}
    for upper, key, value, lineno in header.entries:
        match = _NAME_KEY.match(upper)
        if match is None or match.group(1) != "ALTERNATIVE":
            continue
        number = match.group(2) or ""
        if not _DIGITS.match(number):
            raise ParseError(f"{_show(key)} must be followed by an alternative number in 1..{m}", line=lineno)
        i = _small_int(number)
        if i is None or not 1 <= i <= m:
            raise ParseError(f"{_show(key)} is out of range: NUMBER ALTERNATIVES is {m} (line {m_line}), "
                             f"so alternatives are numbered 1..{m}", line=lineno)
        if i in names:
            raise ParseError(f"a second name for alternative {i}", line=lineno)
        if value in seen:
            raise ParseError(f"alternative {i} has the same name {_show(value)} as alternative {seen[value]}; "
                             "names must be distinct", line=lineno)
        names[i] = value
        seen[value] = i
    if len(names) < m:  # m <= number of header lines from here on
        missing = next(i for i in range(1, m + 1) if i not in names)
        raise ParseError(f"the header has no 'ALTERNATIVE NAME {missing}' line; NUMBER ALTERNATIVES is {m}, "
                         f"so names 1..{m} are required", line=m_line)
    return tuple(names[i] for i in range(1, m + 1))


def _parse_data_line(raw: str, lineno: int, m: int, data_type: str):
    count_text, colon, pref = raw.partition(":")
    if not colon:
        raise ParseError(f"a data line must read 'count: preference'; {_show(raw)} has no ':' (truncated line?)",
                         line=lineno)
    count = _parse_int(count_text.strip(), "the count", lineno)
    groups = _parse_groups(pref, lineno, m)
    seen: set[int] = set()
    for group in groups:
        for a in group:
            if a in seen:
                raise ParseError(f"alternative {a} appears twice in the ballot", line=lineno)
            seen.add(a)
        if data_type != "cat":
            if not group:
                raise ParseError("an empty group '{}' in a ranking; only .cat files may have empty groups",
                                 line=lineno)
            if len(group) > 1 and data_type in _STRICT:
                tie = "{" + ",".join(map(str, group)) + "}"
                raise ParseError(f"a tie {tie} in a {data_type} file; strict orders cannot have ties "
                                 "(declare DATA TYPE toc or toi)", line=lineno)
    if data_type == "cat" and len(groups) != 2:
        raise ParseError(f"a .cat line must list 2 categories (approved, not approved); this one lists {len(groups)}",
                         line=lineno)
    if data_type in _COMPLETE and len(seen) < m:
        missing = [a for a in range(1, m + 1) if a not in seen]
        shown = ", ".join(map(str, missing[:5])) + (", ..." if len(missing) > 5 else "")
        raise ParseError(f"the line names {len(seen)} of the {m} alternatives (missing {shown}); "
                         f"every line of a {data_type} file must name all of them", line=lineno)
    return count, groups


def _parse_groups(pref: str, lineno: int, m: int):
    """``'1,{2,3},4'`` -> ``[[1], [2, 3], [4]]`` (1-based, checked against ``1..m``)."""
    tokens = [t for t in _TOKENS.findall(pref) if not t.isspace()]
    groups: list[list[int]] = []
    i, n = 0, len(tokens)

    def alternative(token: str) -> int:
        a = _small_int(token)
        if a is None or not 1 <= a <= m:
            raise ParseError(f"alternative {_show(token)} is out of range: alternatives are numbered 1..{m}",
                             line=lineno)
        return a

    def unexpected(token: str | None, wanted: str):
        found = "the end of the line" if token is None else repr(token)
        raise ParseError(f"expected {wanted} but found {found} in the preference {_show(pref.strip())}", line=lineno)

    while i < n:
        token = tokens[i]
        if token == "{":
            members: list[int] = []
            i += 1
            if i < n and tokens[i] == "}":
                i += 1
            else:
                while True:
                    token = tokens[i] if i < n else None
                    if token is None or not _DIGITS.match(token):
                        unexpected(token, "an alternative number inside '{...}'")
                    members.append(alternative(token))
                    i += 1
                    token = tokens[i] if i < n else None
                    i += 1
                    if token == "}":
                        break
                    if token != ",":
                        unexpected(token, "',' or '}' (unclosed '{'?)")
            groups.append(members)
        elif _DIGITS.match(token):
            groups.append([alternative(token)])
            i += 1
        else:
            unexpected(token, "an alternative number or '{'")
        if i < n:
            if tokens[i] != ",":
                unexpected(tokens[i], "','")
            i += 1
            if i == n:
                unexpected(None, "another alternative after ','")
    return groups


# ----------------------------------------------------------------------------- writing
def write_preflib(profile, path=None, *, data_type: str | None = None) -> str | None:
    """Write a profile as a PrefLib file.

    Parameters
    ----------
    profile : Profile or ApprovalProfile
        Ordinal profiles are written as ``soc``/``soi``/``toc``/``toi``,
        approval profiles as a two-category ``cat`` (approved first).
    path : str or os.PathLike, optional
        Where to write (UTF-8).  When omitted the text is returned.
    data_type : {"soc", "soi", "toc", "toi", "cat"}, optional
        The ``DATA TYPE`` to declare; it must be able to hold the profile (a
        ``soc`` profile can be written as any ordinal type, ``soi`` as ``soi`` or
        ``toi``, ``toc`` as ``toc`` or ``toi``).  Default: the ``DATA TYPE`` in
        ``profile.metadata`` if it can hold the profile, else ``profile.kind``.

    Returns
    -------
    str or None
        The file's text when ``path`` is None.

    Notes
    -----
    A profile that :func:`read_preflib` made is written back as it was read:
    same header lines, data lines in the same order (zero counts included), same
    spelling, byte for byte, as long as the profile still matches them (see
    :class:`PreflibLayout`).  Any other profile gets a canonical file: the
    standard header (``FILE NAME``, ``TITLE``, ``DESCRIPTION``, ``DATA TYPE``,
    ``MODIFICATION TYPE``, ``RELATES TO``, ``RELATED FILES``, ``PUBLICATION
    DATE``, ``MODIFICATION DATE`` from ``metadata``, empty when absent; then
    any other metadata entries; then the computed counts and the names), and
    identical ballots merged into one line each, sorted by decreasing count
    (ties by first appearance), alternatives written from 1, tied groups as
    sorted ``{a,b}``.

    References
    ----------
    .. [1] N. Mattei and T. Walsh, "PrefLib: A Library of Preferences",
       Proceedings of the 3rd International Conference on Algorithmic Decision
       Theory (ADT), 2013, pp. 259-270.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [2, 0, 1], [0, 1, 2]], labels=["a", "b", "c"], title="Tiny")
    >>> print(write_preflib(p), end="")
    # FILE NAME:
    # TITLE: Tiny
    # DESCRIPTION:
    # DATA TYPE: soc
    # MODIFICATION TYPE:
    # RELATES TO:
    # RELATED FILES:
    # PUBLICATION DATE:
    # MODIFICATION DATE:
    # NUMBER ALTERNATIVES: 3
    # NUMBER VOTERS: 3
    # NUMBER UNIQUE ORDERS: 2
    # ALTERNATIVE NAME 1: a
    # ALTERNATIVE NAME 2: b
    # ALTERNATIVE NAME 3: c
    2: 1,2,3
    1: 3,1,2
    >>> read_preflib(write_preflib(p)) == p
    True
    """
    owner = "write_preflib"
    if isinstance(profile, UtilityProfile):
        fail("profile", owner, "a Profile or an ApprovalProfile", profile,
             hint="Write the ordinal profile the utilities induce: write_preflib(profile.to_profile()).")
    if not isinstance(profile, (Profile, ApprovalProfile)):
        fail("profile", owner, "a Profile or an ApprovalProfile", profile)
    check_option(data_type, "data_type", owner, (None, *DATA_TYPES))
    if path is not None and not isinstance(path, (str, os.PathLike)):
        fail("path", owner, "a str or os.PathLike path, or None to get the text back", path)
    metadata = profile.metadata
    layout = metadata.get(LAYOUT_KEY)
    if not isinstance(layout, PreflibLayout):
        layout = None
    ftype = _file_type(profile, data_type, metadata, owner)

    # ---- data lines
    weights = np.asarray(profile.weights, dtype=np.int64)
    if weights.size and int(weights.max()) > _INT64_MAX // weights.size:
        if sum(int(w) for w in weights) > _INT64_MAX:
            fail("profile", owner, "a profile whose total weight fits in int64", profile, show_got=False)
    if isinstance(profile, ApprovalProfile):
        rows = np.asarray(profile.approvals)
        fmt = _approval_groups
    else:
        rows = np.asarray(profile.ranks)
        fmt = _ordinal_groups(rows)
    if layout is not None and layout.n_lines == rows.shape[0]:
        index, counts = np.arange(rows.shape[0]), weights
        spelled = {i: (canonical, raw) for i, canonical, raw in layout.overrides}
    else:
        index, counts = _grouped(rows, weights)
        spelled = {}
    data_lines = []
    for k, (i, count) in enumerate(zip(index.tolist(), counts.tolist())):
        text = _line_text(count, fmt(rows, i))
        if k in spelled and spelled[k][0] == text:
            text = spelled[k][1]
        data_lines.append(text)

    # ---- header
    meaning = _header_meaning(layout.header) if layout is not None else None
    entries = _header_entries(profile, ftype, len(data_lines), path, owner, meaning)
    if meaning is not None and meaning == {k.upper(): v for k, v in entries}:
        header_lines = list(layout.header)
    else:
        header_lines = [f"# {k}: {v}" for k, v in entries]
    newline = layout.newline if layout is not None else "\n"
    text = newline.join(header_lines + data_lines)
    if layout is None or layout.final_newline:
        text += newline
    if path is None:
        return text
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        fail("path", owner, "a path where a file can be written", path, hint=f"Writing failed: {exc}.")
    return None


def _file_type(profile, data_type, metadata, owner) -> str:
    if isinstance(profile, ApprovalProfile):
        if data_type not in (None, "cat"):
            fail("data_type", owner, "'cat' (or None) for an ApprovalProfile", data_type)
        return "cat"
    kind = profile.kind
    if data_type is not None:
        if data_type not in _HOLDS[kind]:
            fail("data_type", owner, f"a PrefLib type that can hold a {kind} profile: one of {_HOLDS[kind]}",
                 data_type)
        return data_type
    declared = metadata.get("DATA TYPE")
    declared = declared.strip().lower() if isinstance(declared, str) else None
    return declared if declared in _HOLDS[kind] else kind


def _grouped(rows: np.ndarray, weights: np.ndarray):
    """First index and exact total weight of each distinct row, by decreasing weight then first appearance."""
    n = rows.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int64)
    unique, inverse = group_rows(rows.astype(np.int64) if rows.dtype == bool else rows)
    totals = np.zeros(len(unique), dtype=np.int64)
    np.add.at(totals, inverse, weights)
    first = np.full(len(unique), n, dtype=np.intp)
    np.minimum.at(first, inverse, np.arange(n))
    order = np.lexsort((first, -totals))
    return first[order], totals[order]


def _ordinal_groups(ranks: np.ndarray):
    m = ranks.shape[1]
    levels = np.where(ranks < 0, m, ranks)
    order = np.argsort(levels, axis=1, kind="stable")
    sorted_levels = np.take_along_axis(levels, order, axis=1)

    def fmt(_, i):
        pairs = zip(sorted_levels[i].tolist(), order[i].tolist())
        return [[a + 1 for _, a in grp] for lev, grp in groupby(pairs, key=lambda p: p[0]) if lev < m]

    return fmt


def _approval_groups(approvals: np.ndarray, i: int):
    row = approvals[i]
    return [(np.flatnonzero(row) + 1).tolist(), (np.flatnonzero(~row) + 1).tolist()]


def _line_text(count: int, groups) -> str:
    parts = [str(g[0]) if len(g) == 1 else "{" + ",".join(map(str, g)) + "}" for g in groups]
    return f"{count}: " + ",".join(parts)


def _header_meaning(raw_lines) -> dict[str, str] | None:
    out = {}
    for raw in raw_lines:
        parsed = _header_line(raw) if isinstance(raw, str) else None
        if parsed is None:
            return None
        out[parsed[0].upper()] = parsed[1]
    return out


def _clean(value, name: str, owner: str, what: str) -> str:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (str, Integral, Real)):
        fail(name, owner, f"str (or number) values for {what}", value)
    text = str(value)
    if "\n" in text or "\r" in text or text != text.strip():
        fail(name, owner, f"text without line breaks or surrounding blanks for {what} (PrefLib header lines "
             "are single lines whose values are stripped)", value)
    return text


def _header_entries(profile, ftype: str, n_lines: int, path, owner: str, read_header) -> list[tuple[str, str]]:
    """Header (key, value) pairs in canonical order.

    A fresh profile gets every standard key; one read from a file (``read_header``
    is the meaning of its raw header) only those it has in ``metadata``, so a short
    header is not padded.
    """
    metadata = profile.metadata
    standard: dict[str, str | None] = {key: "" if read_header is None else None for key in _STANDARD}
    extras: list[tuple[str, str]] = []
    categories: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for key, value in metadata.items():
        if key == LAYOUT_KEY:
            continue
        if not isinstance(key, str):
            fail("metadata", owner, "a mapping with str keys (PrefLib header keys)", key)
        norm = " ".join(key.split())
        upper = norm.upper()
        if not norm or ":" in norm:
            fail("metadata", owner, "a mapping whose keys are non-blank and without ':' (PrefLib header keys)", key)
        if upper in seen:
            fail("metadata", owner, "a mapping whose keys differ in more than case and spacing", key,
                 hint=f"It clashes with {seen[upper]!r}.")
        seen[upper] = key
        match = _NAME_KEY.match(upper)
        if upper in _STANDARD:
            standard[upper] = _clean(value, "metadata", owner, f"the {norm!r} header")
        elif upper in _COMPUTED or (match and match.group(1) == "ALTERNATIVE"):
            continue  # computed from the profile itself
        elif match and match.group(1) == "CATEGORY" and ftype == "cat":
            categories.append((norm, _clean(value, "metadata", owner, f"the {norm!r} header")))
        else:
            extras.append((norm, _clean(value, "metadata", owner, f"the {norm!r} header")))
    if not standard["FILE NAME"] and path is not None:
        standard["FILE NAME"] = _clean(os.path.basename(os.fspath(path)), "path", owner, "the file name")
    keep_title = read_header is None or profile.title or "TITLE" in read_header
    standard["TITLE"] = _clean(profile.title, "title", owner, "the title") if keep_title else None
    standard["DATA TYPE"] = ftype
    entries = [(k, v) for k, v in standard.items() if v is not None] + extras
    entries += [("NUMBER ALTERNATIVES", str(profile.n_alternatives)), ("NUMBER VOTERS", str(profile.n_voters))]
    if ftype == "cat":
        if len(categories) != 2 and read_header is None:
            categories = [("CATEGORY NAME 1", "Yes"), ("CATEGORY NAME 2", "No")]
        entries += [("NUMBER UNIQUE PREFERENCES", str(n_lines)), ("NUMBER CATEGORIES", "2"), *categories]
    else:
        entries.append(("NUMBER UNIQUE ORDERS", str(n_lines)))
    for i, label in enumerate(profile.labels, start=1):
        entries.append((f"ALTERNATIVE NAME {i}", _clean(label, "labels", owner, "alternative names")))
    return entries

