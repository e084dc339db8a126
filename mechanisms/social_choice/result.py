"""The one result type of every aggregation rule, and the outcome a rule implementation returns."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from solvers.result import readonly

__all__ = ["RuleResult", "Outcome"]


def _ids(values) -> tuple[int, ...]:
    return tuple(sorted(int(a) for a in values))


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a rule implementation returns; the registry turns it into a :class:`RuleResult`.

    Parameters
    ----------
    winners : sequence of int
        The full tied set of winners (any order; the registry sorts it).
    ranking : sequence of sequences of int, optional
        Groups of tied alternatives, best group first (where the rule ranks).
    scores : array_like, optional
        One score per alternative (where the rule scores).
    lottery : array_like, optional
        Probability of each alternative (probabilistic rules).
    committees : sequence of sequences of int, optional
        Every winning committee (committee rules); ``winners`` is then their union.
    """

    winners: Sequence[int]
    ranking: Sequence[Sequence[int]] | None = None
    scores: Any = None
    lottery: Any = None
    committees: Sequence[Sequence[int]] | None = None


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class RuleResult:
    """The outcome of an aggregation rule on one profile.

    Attributes
    ----------
    rule : str
        Id of the rule that produced it.
    winners : tuple of int
        Sorted alternative ids: the full tied set, unless ``tie_break`` selected one
        (or, for committee rules, the winning committee; the union of all winning
        committees when several tie and no ``tie_break`` was asked for).
    ranking : tuple of tuple of int or None
        Groups of tied alternatives, best first, for rules that rank.
    scores : read-only ndarray or None
        One score per alternative for rules that score (each rule's docstring says
        whether higher or lower is better).
    lottery : read-only ndarray or None
        Winning probability of each alternative (probabilistic rules).
    committees : tuple of tuple of int or None
        Every winning committee (committee rules), sorted.
    tied_winners : tuple of int
        The rule's full tied set of winners before any tie-breaking.
    labels : tuple of str
        Display names of the alternatives.
    tie_break : str or None
        The tie-breaking that was applied (``None``: none was asked for).
    """

    rule: str
    winners: tuple[int, ...]
    ranking: tuple[tuple[int, ...], ...] | None = None
    scores: np.ndarray | None = None
    lottery: np.ndarray | None = None
    committees: tuple[tuple[int, ...], ...] | None = None
    tied_winners: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    tie_break: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "winners", _ids(self.winners))
        object.__setattr__(self, "tied_winners", _ids(self.tied_winners or self.winners))
        if self.ranking is not None:
            object.__setattr__(self, "ranking", tuple(_ids(g) for g in self.ranking))
        if self.committees is not None:
            object.__setattr__(self, "committees", tuple(sorted(_ids(c) for c in self.committees)))
        for name in ("scores", "lottery"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, readonly(np.array(value)))
        object.__setattr__(self, "labels", tuple(self.labels))

    # ------------------------------------------------------------------ conveniences
    @property
    def winner_labels(self) -> tuple[str, ...]:
        """Labels of the winners."""
        return tuple(self._label(a) for a in self.winners)

    @property
    def is_tied(self) -> bool:
        """True when the rule's own outcome was a tie (before any ``tie_break``)."""
        if self.committees is not None:
            return len(self.committees) > 1
        return len(self.tied_winners) > 1

    def _label(self, a: int) -> str:
        return self.labels[a] if 0 <= a < len(self.labels) else str(a)

    def _ranking_text(self, limit: int = 12) -> str:
        groups = []
        for g in self.ranking or ():
            names = [self._label(a) for a in g]
            groups.append(names[0] if len(names) == 1 else "{" + ", ".join(names) + "}")
        if len(groups) > limit:
            groups = groups[:limit] + ["..."]
        return " > ".join(groups)

    def __eq__(self, other) -> bool:
        if not isinstance(other, RuleResult):
            return NotImplemented
        for f in dataclasses.fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                if a is None or b is None or not np.array_equal(a, b):
                    return False
            elif a != b:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [f"rule={self.rule!r}", f"winners={list(self.winner_labels)!r}"]
        if self.committees is not None and len(self.committees) > 1:
            parts.append("committees=[" + ", ".join(
                "{" + ", ".join(self._label(a) for a in c) + "}" for c in self.committees[:6]) +
                (", ..." if len(self.committees) > 6 else "") + "]")
        if self.tie_break is not None and self.tied_winners != self.winners:
            parts.append(f"tied_winners={[self._label(a) for a in self.tied_winners]!r}")
            parts.append(f"tie_break={self.tie_break!r}")
        if self.ranking is not None:
            parts.append(f"ranking={self._ranking_text()!r}")
        if self.scores is not None:
            parts.append("scores=" + np.array2string(self.scores, precision=4, threshold=12, separator=", "))
        if self.lottery is not None:
            parts.append("lottery=" + np.array2string(self.lottery, precision=4, threshold=12, separator=", "))
        return "RuleResult(" + ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        esc = html.escape
        head = [("rule", self.rule), ("winners", ", ".join(self.winner_labels) or "(none)")]
        if self.tie_break is not None:
            tied = ", ".join(self._label(a) for a in self.tied_winners)
            head.append(("tie-break", f"{self.tie_break} (tied: {tied})"))
        if self.committees is not None and len(self.committees) > 1:
            head.append(("committees", "; ".join("{" + ", ".join(self._label(a) for a in c) + "}"
                                                 for c in self.committees[:20])))
        if self.ranking is not None:
            head.append(("ranking", self._ranking_text(limit=40)))
        rows = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in head)
        table = ""
        columns = [(name, arr) for name, arr in (("score", self.scores), ("probability", self.lottery))
                   if arr is not None]
        if columns and len(self.labels) <= 50:
            header = "<tr><th>alternative</th>" + "".join(f"<th>{esc(n)}</th>" for n, _ in columns) + "</tr>"
            body = "".join(
                "<tr><td>" + esc(self._label(a)) + ("&nbsp;&#9733;" if a in self.winners else "") + "</td>"
                + "".join(f"<td style='text-align:right'>{esc(_fmt(arr[a]))}</td>" for _, arr in columns) + "</tr>"
                for a in range(len(self.labels))
            )
            table = f"<table>{header}{body}</table>"
        return f"<div><table><caption>RuleResult</caption>{rows}</table>{table}</div>"


def _fmt(value) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return str(value)
