"""Approval ballots and cardinal utility profiles."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from solvers.validation import check_array, check_int, fail

from ._base import BallotData, densify_levels, frozen
from .ordinal import Profile, _check_subset

__all__ = ["ApprovalProfile", "UtilityProfile"]


class ApprovalProfile(BallotData):
    """An immutable profile of approval ballots with integer weights.

    Parameters
    ----------
    approvals : array_like of bool, shape (n_ballots, n_alternatives)
        ``approvals[v, a]`` is True when ballot ``v`` approves alternative ``a``.
    weights : array_like of int, optional
        Number of voters casting each ballot (default 1 each).
    labels : sequence of str, optional

    Examples
    --------
    >>> p = ApprovalProfile.from_sets([{0, 1}, {1}, set()], n_alternatives=3, weights=[2, 1, 1])
    >>> p.approval_scores()
    array([2, 3, 0])
    >>> p.to_sets()
    [frozenset({0, 1}), frozenset({1}), frozenset()]
    """

    __slots__ = ("_approvals",)
    _owner = "ApprovalProfile"

    def __init__(self, approvals, weights=None, labels=None, *, title: str = "", metadata=None):
        owner = "ApprovalProfile"
        arr = check_array(approvals, "approvals", owner, dtype="bool", ndim=2)
        if arr.shape[1] == 0:
            fail("approvals", owner, "an array with at least one alternative (column)", arr)
        object.__setattr__(self, "_approvals", frozen(np.array(arr, dtype=bool)))
        self._init_common(arr.shape[0], arr.shape[1], weights, labels, title, metadata, owner=owner)

    @classmethod
    def from_sets(cls, sets: Iterable[Iterable[int]], n_alternatives: int | None = None, weights=None, labels=None,
                  *, title: str = "", metadata=None) -> "ApprovalProfile":
        """Build from one set of approved alternative ids per ballot."""
        owner = "ApprovalProfile.from_sets"
        sets = [list(s) for s in sets]
        for s in sets:
            if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in s):
                fail("sets", owner, "sets of int alternative ids", s)
        largest = max((max(s) for s in sets if s), default=-1)
        if n_alternatives is None:
            m = len(labels) if labels is not None else largest + 1
        else:
            m = check_int(n_alternatives, "n_alternatives", owner, low=1)
        if m < 1:
            fail("n_alternatives", owner, "at least 1 (give n_alternatives when every set is empty)", m)
        arr = np.zeros((len(sets), m), dtype=bool)
        for i, s in enumerate(sets):
            for a in s:
                if not 0 <= a < m:
                    fail("sets", owner, f"alternative ids in [0, {m - 1}]", a, hint=f"See ballot {i}.")
                arr[i, a] = True
        return cls(arr, weights, labels, title=title, metadata=metadata)

    def _rows(self):
        return self._approvals

    def _with_rows(self, rows, weights):
        return type(self)(rows, weights, self._labels, title=self._title, metadata=self._metadata)

    @property
    def approvals(self) -> np.ndarray:
        return self._approvals

    @property
    def n_alternatives(self) -> int:
        return int(self._approvals.shape[1])

    def approval_scores(self) -> np.ndarray:
        """Number of voters (weighted) approving each alternative; int64."""
        return self._weights @ self._approvals.astype(np.int64)

    def to_sets(self) -> list[frozenset[int]]:
        return [frozenset(int(a) for a in np.flatnonzero(row)) for row in self._approvals]

    def restrict(self, alternatives) -> "ApprovalProfile":
        """The profile over a subset of alternatives, renumbered in the given order."""
        keep = _check_subset(alternatives, self.n_alternatives, "ApprovalProfile.restrict")
        return type(self)(self._approvals[:, keep], self._weights, [self._labels[a] for a in keep],
                          title=self._title)

    def _describe_row(self, row) -> str:
        return "{" + ", ".join(self._labels[a] for a in np.flatnonzero(row)) + "}"

    def _repr_fields(self):
        return {"n_alternatives": self.n_alternatives}


class UtilityProfile(BallotData):
    """An immutable profile of cardinal utilities: ``utilities[v, a]`` is voter ``v``'s value for ``a``.

    Examples
    --------
    >>> u = UtilityProfile([[1.0, 0.5, 0.5], [0.0, 2.0, 1.0]])
    >>> u.to_profile().ranks
    array([[0, 1, 1],
           [2, 0, 1]])
    """

    __slots__ = ("_utilities",)
    _owner = "UtilityProfile"

    def __init__(self, utilities, weights=None, labels=None, *, title: str = "", metadata=None):
        owner = "UtilityProfile"
        arr = check_array(utilities, "utilities", owner, ndim=2)
        if arr.shape[1] == 0:
            fail("utilities", owner, "an array with at least one alternative (column)", arr)
        object.__setattr__(self, "_utilities", frozen(np.array(arr, dtype=np.float64)))
        self._init_common(arr.shape[0], arr.shape[1], weights, labels, title, metadata, owner=owner)

    def _rows(self):
        return self._utilities

    def _with_rows(self, rows, weights):
        return type(self)(rows, weights, self._labels, title=self._title, metadata=self._metadata)

    @property
    def utilities(self) -> np.ndarray:
        return self._utilities

    @property
    def n_alternatives(self) -> int:
        return int(self._utilities.shape[1])

    def to_profile(self) -> Profile:
        """The ordinal profile the utilities induce (higher is better; exactly equal utilities tie)."""
        ranks = densify_levels(_descending_levels(self._utilities))
        return Profile.from_ranks(ranks, self._weights, self._labels, title=self._title)

    def restrict(self, alternatives) -> "UtilityProfile":
        keep = _check_subset(alternatives, self.n_alternatives, "UtilityProfile.restrict")
        return type(self)(self._utilities[:, keep], self._weights, [self._labels[a] for a in keep],
                          title=self._title)

    def _describe_row(self, row) -> str:
        return ", ".join(f"{self._labels[a]}: {row[a]:.4g}" for a in range(len(row)))

    def _repr_fields(self):
        return {"n_alternatives": self.n_alternatives}


def _descending_levels(u: np.ndarray) -> np.ndarray:
    """Levels where larger values are better (0 = best); equal values share a level."""
    n, m = u.shape
    order = np.argsort(-u, axis=1, kind="stable")
    srt = np.take_along_axis(u, order, axis=1)
    new = np.ones((n, m), dtype=np.int64)
    new[:, 1:] = srt[:, 1:] != srt[:, :-1]
    lev = np.cumsum(new, axis=1) - 1
    out = np.empty((n, m), dtype=np.int64)
    np.put_along_axis(out, order, lev, axis=1)
    return out
