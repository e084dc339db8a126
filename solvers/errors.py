"""The toolkit's exception hierarchy (shared by ``solvers`` and ``mechanisms``).

Every error raised on purpose by the toolkit derives from :class:`AlmechError`.
Caller mistakes are :class:`ValidationError` (a ``ValueError``); solver outcomes
such as infeasibility are *statuses* on a result, and only become a
:class:`SolverError` when the caller asks for it with ``result.raise_for_status()``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "AlmechError",
    "ValidationError",
    "ParseError",
    "UnknownNameError",
    "SolverError",
    "BackendUnavailableError",
]


class AlmechError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class ValidationError(AlmechError, ValueError):
    """An argument broke a documented rule (wrong type, shape, range or value)."""


class ParseError(ValidationError):
    """A text or file could not be read; the message names the line and the problem.

    Attributes
    ----------
    line : int or None
        1-based line number of the offending line, when there is one.
    """

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class UnknownNameError(ValidationError, KeyError):
    """A registry look-up by an id that does not exist; suggests close matches."""

    def __init__(self, kind: str, name: object, known: Iterable[str]):
        known = sorted(known)
        close = difflib.get_close_matches(str(name), known, n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        self.name = name
        self.known = tuple(known)
        super().__init__(f"Unknown {kind} {name!r}.{hint} Known: {', '.join(known)}.")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class SolverError(AlmechError, RuntimeError):
    """Raised by ``raise_for_status()`` when a solve did not reach an optimum."""


class BackendUnavailableError(AlmechError, ImportError):
    """A requested optional backend or extra is not installed."""
