"""The LP/MILP backend seam: which backends exist, what each can do, which are installed.

A backend is a small module with one function::

    solve(model, c, *, maximize, time_limit, atol, options, cache) -> (RawSolution, cache)

It receives a :class:`~solvers.backends._base.Model` snapshot and returns a
:class:`~solvers.backends._base.RawSolution` whose duals already follow the
convention of :mod:`solvers.lp`, together with an opaque ``cache`` object that
:class:`~solvers.lp.LinearProgram` keeps and hands back on the next solve (a
built HiGHS model, a compiled cvxpy problem), so a program solved again and
again is built once.

Whether a backend is installed is decided with :func:`importlib.util.find_spec`,
without importing it: ``import solvers`` stays fast and never imports cvxpy.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import importlib.util

from ..errors import BackendUnavailableError
from ..validation import fail

__all__ = ["BackendInfo", "available_backends", "get_backend"]


@dataclasses.dataclass(frozen=True)
class BackendInfo:
    """What one LP/MILP backend can do, and whether it is installed.

    Attributes
    ----------
    name : str
        The value to pass as ``backend=``.
    package : str
        The Python package it imports (looked up without importing it).
    lp, milp : bool
        Whether it solves linear programs and mixed-integer linear programs.
    duals : bool
        Whether it returns row duals and reduced costs for LPs.
    warm_start : bool
        Whether a :class:`~solvers.lp.LinearProgram` re-solved with new costs
        or bounds reuses the built model (and its basis) instead of rebuilding.
    installed : bool
        Whether ``package`` can be imported in this environment.
    description : str
    """

    name: str
    package: str
    lp: bool
    milp: bool
    duals: bool
    warm_start: bool
    installed: bool
    description: str


# name -> (module, BackendInfo fields except name/installed)
_REGISTRY = {
    "highs": ("._highs", dict(
        package="highspy", lp=True, milp=True, duals=True, warm_start=True,
        description="HiGHS called directly through highspy; the model is cached and re-solved from its basis.",
    )),
    "scipy": ("._scipy", dict(
        package="scipy", lp=True, milp=True, duals=True, warm_start=False,
        description="HiGHS through scipy.optimize.linprog / milp; rebuilt on every solve.",
    )),
    "cvxpy": ("._cvxpy", dict(
        package="cvxpy", lp=True, milp=True, duals=True, warm_start=True,
        description="cvxpy modelling with Parameters (compiled once), solved by HiGHS, or Clarabel via "
                    "options={'solver': 'CLARABEL'} (LPs only).",
    )),
}

#: The values ``backend=`` accepts.
BACKENDS = ("auto", *_REGISTRY)


def _installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def available_backends() -> tuple[BackendInfo, ...]:
    """The capability records of every known LP/MILP backend, installed or not.

    ``backend="auto"`` picks ``"highs"`` when it is installed and ``"scipy"``
    otherwise.  Nothing is imported to find out what is installed.

    Examples
    --------
    >>> from solvers.lp import available_backends
    >>> [b.name for b in available_backends()]
    ['highs', 'scipy', 'cvxpy']
    >>> highs = available_backends()[0]
    >>> highs.milp, highs.duals, highs.warm_start
    (True, True, True)
    """
    return tuple(
        BackendInfo(name=name, installed=_installed(fields["package"]), **fields)
        for name, (_, fields) in _REGISTRY.items()
    )


def get_backend(name, owner: str):
    """Resolve ``backend=`` to ``(name, module)``; raise a teaching error otherwise."""
    if not isinstance(name, str) or name not in BACKENDS:
        close = difflib.get_close_matches(name, BACKENDS, n=1) if isinstance(name, str) else []
        hint = f"Did you mean {close[0]!r}?" if close else ""
        fail("backend", owner, "one of " + ", ".join(repr(b) for b in BACKENDS), name, hint=hint)
    if name == "auto":
        name = "highs" if _installed(_REGISTRY["highs"][1]["package"]) else "scipy"
    module, fields = _REGISTRY[name]
    if not _installed(fields["package"]):
        raise BackendUnavailableError(
            f"The {name!r} backend of {owner} needs the package {fields['package']!r}, which is not installed. "
            f"It is a core dependency of alignment-mechanisms: reinstall it with pip install {fields['package']}, "
            f"or pass backend='auto'."
        )
    return name, importlib.import_module(module, __name__)
