"""Ordinal preference profiles: strict or weak orders, complete or truncated."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np

from solvers.validation import check_array, fail

from ._base import BallotData, densify_levels, frozen

__all__ = ["Profile"]

# Rows of the broadcast comparison are processed in chunks of at most this many
# (ballot, a, b) triples, so memory stays bounded for any profile size.
_CHUNK = 1 << 22


class Profile(BallotData):
    """An immutable profile of ordinal ballots with integer weights.

    A ballot ranks alternatives ``0 .. m-1`` into levels, best first.  Ballots
    may be strict or contain ties, and may be *truncated* (leave some
    alternatives unranked).  Build one with :meth:`from_rankings`,
    :meth:`from_ranks` or :meth:`from_weak_orders`.

    **Convention for unranked alternatives.** Wherever ballots are compared
    pairwise (:meth:`margin_matrix`, :meth:`support_matrix`), an alternative a
    ballot leaves unranked counts as tied with the other unranked ones and
    below every ranked one.  (This is how Debian counts its ballots and how
    PrefLib derives ``.toc`` files from ``.soi`` ones.)

    Attributes
    ----------
    ranks : ndarray of int, shape (n_ballots, n_alternatives), read-only
        ``ranks[v, a]`` is the 0-based level of alternative ``a`` on ballot ``v``
        (0 = best, equal levels = tied, levels dense); ``-1`` = unranked.
    weights : ndarray of int64, shape (n_ballots,)
    labels : tuple of str

    Examples
    --------
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 1, 2]])
    >>> p.n_voters, p.n_alternatives, p.kind
    (4, 3, 'soc')
    >>> p.margin_matrix()
    array([[ 0,  2,  0],
           [-2,  0,  2],
           [ 0, -2,  0]])
    >>> Profile.from_weak_orders([[[0], [1, 2]], [[2]]], n_alternatives=3).kind
    'toi'
    """

    __slots__ = ("_ranks",)
    _owner = "Profile"

    def __init__(self, ranks, weights=None, labels=None, *, title: str = "", metadata=None):
        owner = "Profile"
        arr = check_array(ranks, "ranks", owner, dtype="int", ndim=2)
        if arr.size and arr.min() < -1:
            fail("ranks", owner, "an array of levels >= 0, with -1 for unranked alternatives", arr)
        n, m = arr.shape
        if m == 0:
            fail("ranks", owner, "an array with at least one alternative (column)", arr)
        dense = _maybe_dense(arr)
        object.__setattr__(self, "_ranks", frozen(dense))
        self._init_common(n, m, weights, labels, title, metadata, owner=owner)

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_ranks(cls, ranks, weights=None, labels=None, *, title: str = "", metadata=None) -> "Profile":
        """Build from a rank matrix: ``ranks[v, a]`` = level of ``a`` on ballot ``v`` (0 best, -1 unranked).

        Levels need not be dense (``[0, 5, 5]`` is read as ``[0, 1, 1]``).
        """
        return cls(ranks, weights, labels, title=title, metadata=metadata)

    @classmethod
    def from_rankings(cls, rankings, weights=None, labels=None, *, title: str = "", metadata=None) -> "Profile":
        """Build from strict rankings: rows of alternative ids, best first.

        Parameters
        ----------
        rankings : array_like of int, shape (n_ballots, width), or a list of lists
            Each row lists distinct alternative ids in ``0 .. m-1``, best first.  A
            truncated ballot is padded at the end with ``-1`` (lists of unequal
            length are padded for you).  ``m`` is ``len(labels)`` when labels are
            given, otherwise the row width.
        weights : array_like of int, optional
            Number of voters casting each row (default 1 each).
        labels : sequence of str, optional
            Display names of the alternatives.

        Examples
        --------
        >>> Profile.from_rankings([[1, 0, -1], [2, 1, 0]], weights=[3, 1]).ranks
        array([[ 1,  0, -1],
               [ 2,  1,  0]])
        """
        owner = "Profile.from_rankings"
        if isinstance(rankings, Sequence) and not isinstance(rankings, (str, bytes)) and len(rankings) and all(
            isinstance(r, Sequence) and not isinstance(r, (str, bytes)) for r in rankings
        ):
            width = max((len(r) for r in rankings), default=0)
            if any(len(r) != width for r in rankings):
                rankings = [list(r) + [-1] * (width - len(r)) for r in rankings]
        arr = check_array(rankings, "rankings", owner, dtype="int", ndim=2)
        n, width = arr.shape
        m = len(labels) if labels is not None and not isinstance(labels, (str, bytes)) else width
        if width > m:
            fail("rankings", owner, f"rows of at most {m} entries (one per alternative)", arr)
        if m == 0:
            fail("rankings", owner, "an array with at least one alternative (column)", arr)
        ranks = _ranks_from_rankings(arr, m, owner)
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_ranks", frozen(ranks))
        obj._init_common(n, m, weights, labels, title, metadata, owner=owner)
        return obj

    @classmethod
    def from_weak_orders(cls, ballots, weights=None, labels=None, *, n_alternatives: int | None = None,
                         title: str = "", metadata=None) -> "Profile":
        """Build from ballots written as groups, best group first.

        ``[[0], [1, 2]]`` is the ballot 0 > 1 ~ 2; a group may be a bare int.
        Alternatives a ballot does not mention are unranked.  ``n_alternatives``
        defaults to ``len(labels)`` or, failing that, the largest id + 1.

        Examples
        --------
        >>> Profile.from_weak_orders([[[0], [1, 2]], [2, [0, 1]]]).ranks
        array([[0, 1, 1],
               [1, 1, 0]])
        """
        owner = "Profile.from_weak_orders"
        if isinstance(ballots, (str, bytes)) or not isinstance(ballots, (Sequence, np.ndarray)):
            fail("ballots", owner, "a sequence of ballots, each a sequence of groups of alternative ids", ballots)
        parsed: list[list[list[int]]] = []
        largest = -1
        for i, ballot in enumerate(ballots):
            if isinstance(ballot, (str, bytes)) or not isinstance(ballot, (Sequence, np.ndarray)):
                fail("ballots", owner, "a sequence of ballots, each a sequence of groups of alternative ids",
                     ballot, hint=f"Ballot {i} is not a sequence.")
            groups = []
            for group in ballot:
                members = [group] if isinstance(group, Integral) else group
                if isinstance(members, (str, bytes)) or not isinstance(members, (Sequence, np.ndarray, set, frozenset)):
                    fail("ballots", owner, "groups that are ints or sequences of ints", group,
                         hint=f"See ballot {i}.")
                members = list(members)
                if not all(isinstance(a, Integral) and not isinstance(a, bool) for a in members):
                    fail("ballots", owner, "groups of int alternative ids", group, hint=f"See ballot {i}.")
                if not members:
                    continue
                groups.append([int(a) for a in members])
                largest = max(largest, max(members))
            parsed.append(groups)
        if n_alternatives is None:
            m = len(labels) if labels is not None else largest + 1
        else:
            from solvers.validation import check_int

            m = check_int(n_alternatives, "n_alternatives", owner, low=1)
        if m < 1:
            fail("n_alternatives", owner, "at least 1 (give n_alternatives or labels for empty ballots)", m)
        ranks = np.full((len(parsed), m), -1, dtype=np.int64)
        for i, groups in enumerate(parsed):
            for level, group in enumerate(groups):
                for a in group:
                    if not 0 <= a < m:
                        fail("ballots", owner, f"alternative ids in [0, {m - 1}]", a, hint=f"See ballot {i}.")
                    if ranks[i, a] != -1:
                        fail("ballots", owner, "ballots that mention each alternative at most once", ballot_text(groups),
                             hint=f"Ballot {i} repeats alternative {a}.")
                    ranks[i, a] = level
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_ranks", frozen(ranks))
        obj._init_common(len(parsed), m, weights, labels, title, metadata, owner=owner)
        return obj

    def _with_rows(self, rows, weights):
        obj = type(self).__new__(type(self))
        object.__setattr__(obj, "_ranks", frozen(np.array(rows, dtype=np.int64)))
        obj._init_common(rows.shape[0], rows.shape[1], weights, self._labels, self._title, self._metadata,
                         owner=self._owner)
        return obj

    def _rows(self):
        return self._ranks

    # ------------------------------------------------------------------ views
    @property
    def ranks(self) -> np.ndarray:
        return self._ranks

    @property
    def n_alternatives(self) -> int:
        return int(self._ranks.shape[1])

    def _levels(self) -> np.ndarray:
        """Ranks with unranked alternatives at level m (below every ranked level)."""
        if "levels" not in self._cache:
            r = self._ranks
            self._cache["levels"] = frozen(np.where(r < 0, r.shape[1], r)) if self._has_unranked() else r
        return self._cache["levels"]

    def _has_unranked(self) -> bool:
        if "has_unranked" not in self._cache:
            self._cache["has_unranked"] = bool((self._ranks < 0).any())
        return self._cache["has_unranked"]

    @property
    def is_complete(self) -> bool:
        """Every ballot ranks every alternative."""
        return not self._has_unranked()

    @property
    def is_strict(self) -> bool:
        """No ballot ties two ranked alternatives."""
        if "strict" not in self._cache:
            r = self._ranks
            n_ranked = (r >= 0).sum(axis=1)
            top = r.max(axis=1, initial=-1)
            self._cache["strict"] = bool(np.all(n_ranked == top + 1))
        return self._cache["strict"]

    @property
    def kind(self) -> str:
        """PrefLib data type: ``soc``, ``soi``, ``toc`` or ``toi``."""
        return ("s" if self.is_strict else "t") + "o" + ("c" if self.is_complete else "i")

    def _require_strict(self, what: str, complete: bool = False):
        if not self.is_strict or (complete and not self.is_complete):
            need = "strict complete" if complete else "strict"
            fail("profile", f"Profile.{what}", f"a {need} profile", self, show_got=False,
                 hint=f"This profile is of kind {self.kind!r}.")

    def rankings(self) -> np.ndarray:
        """Strict profiles: ``(n_ballots, m)`` alternative ids best first, padded with -1."""
        self._require_strict("rankings")
        if "rankings" not in self._cache:
            levels = self._levels()
            order = np.argsort(levels, axis=1, kind="stable")
            sorted_levels = np.take_along_axis(levels, order, axis=1)
            out = np.where(sorted_levels >= self.n_alternatives, -1, order)
            self._cache["rankings"] = frozen(out.astype(np.int64))
        return self._cache["rankings"]

    def to_rankings(self) -> np.ndarray:
        """Strict complete profiles: one row per *voter* (weights expanded), best first."""
        self._require_strict("to_rankings", complete=True)
        return np.repeat(self.rankings(), self._weights, axis=0)

    def to_weak_orders(self) -> list[tuple[tuple[int, ...], ...]]:
        """Each ballot as a tuple of groups (tuples of ids), best first; unranked omitted."""
        out = []
        for row in self._ranks:
            k = int(row.max(initial=-1)) + 1
            out.append(tuple(tuple(int(a) for a in np.flatnonzero(row == lev)) for lev in range(k)))
        return out

    def _describe_row(self, row) -> str:
        k = int(row.max(initial=-1)) + 1
        groups = []
        for lev in range(k):
            names = [self._labels[a] for a in np.flatnonzero(row == lev)]
            groups.append(names[0] if len(names) == 1 else "{" + ", ".join(names) + "}")
        return " > ".join(groups) if groups else "(empty ballot)"

    def _repr_fields(self):
        return {"kind": self.kind, "n_alternatives": self.n_alternatives}

    # ------------------------------------------------------------------ pairwise counts
    def support_matrix(self) -> np.ndarray:
        """``S[a, b]``: number of voters (weighted) ranking ``a`` strictly above ``b``; int64.

        Unranked alternatives count as tied below every ranked one.
        """
        if "support" not in self._cache:
            levels, weights = self._levels(), self._weights
            n, m = levels.shape
            if n > 4 * m * m and m <= 15:
                rows, weights = self._grouped_levels()
                levels = rows
            self._cache["support"] = frozen(_support(levels, weights))
        return self._cache["support"].copy()

    def _grouped_levels(self):
        from ._base import group_rows

        unique, inverse = group_rows(self._levels())
        counts = np.bincount(inverse, weights=self._weights, minlength=len(unique))
        return unique, np.rint(counts).astype(np.int64)

    def margin_matrix(self) -> np.ndarray:
        """``M[a, b]`` = #voters with ``a`` above ``b`` minus #voters with ``b`` above ``a`` (weighted, int64).

        Antisymmetric.  Unranked alternatives count as tied below every ranked one.
        """
        s = self.support_matrix()
        return s - s.T

    def majority_matrix(self) -> np.ndarray:
        """Boolean ``D[a, b]``: a strict majority prefers ``a`` to ``b`` (``margin > 0``)."""
        return self.margin_matrix() > 0

    def condorcet_winner(self) -> int | None:
        """The alternative that beats every other by a strict pairwise majority, or None."""
        d = self.majority_matrix()
        winners = np.flatnonzero(d.sum(axis=1) == self.n_alternatives - 1)
        return int(winners[0]) if winners.size else None

    # ------------------------------------------------------------------ positional counts
    def position_counts(self) -> np.ndarray:
        """Strict profiles: ``P[a, k]`` = voters (weighted) placing ``a`` at position ``k``; int64.

        Unranked alternatives are counted at no position.
        """
        self._require_strict("position_counts")
        if "positions" not in self._cache:
            m = self.n_alternatives
            r = self._ranks
            mask = r >= 0
            ballot = np.nonzero(mask)[0]
            flat = (np.nonzero(mask)[1] * m + r[mask]).astype(np.int64)
            counts = np.bincount(flat, weights=self._weights[ballot], minlength=m * m)
            self._cache["positions"] = frozen(np.rint(counts).astype(np.int64).reshape(m, m))
        return self._cache["positions"].copy()

    def plurality_scores(self) -> np.ndarray:
        """Strict profiles: number of voters (weighted) ranking each alternative first."""
        return self.position_counts()[:, 0]

    def positional_scores(self, score_vector) -> np.ndarray:
        """Total score of each alternative under a positional score vector.

        ``score_vector[k]`` is the score of position ``k`` (0 = top).  Exact
        int64 when the vector is integral and the ballots are strict; an
        unranked alternative scores 0.  A tied group spanning positions
        ``k .. k+g-1`` gives each member the average of those ``g`` scores
        (float output).

        Examples
        --------
        >>> p = Profile.from_rankings([[0, 1, 2], [1, 0, 2]])
        >>> p.positional_scores([2, 1, 0])
        array([3, 3, 0])
        """
        m = self.n_alternatives
        s = check_array(score_vector, "score_vector", "Profile.positional_scores", shape=(m,))
        integral = bool(np.all(s == np.round(s)))
        if self.is_strict:
            counts = self.position_counts()
            if integral and np.max(np.abs(s), initial=0) < 2**31:
                return counts @ s.astype(np.int64)
            return counts @ s
        # weak orders: average score over the positions a tied group spans
        levels = self._levels()
        prefix = np.concatenate([[0.0], np.cumsum(s)])
        total = np.zeros(m)
        step = max(1, _CHUNK // (m * m))
        for start in range(0, levels.shape[0], step):
            lv = levels[start:start + step]
            above = (lv[:, None, :] < lv[:, :, None]).sum(axis=2)
            size = (lv[:, None, :] == lv[:, :, None]).sum(axis=2)
            score = (prefix[above + size] - prefix[above]) / size
            score = np.where(lv >= m, 0.0, score)
            total += self._weights[start:start + step] @ score
        return total

    # ------------------------------------------------------------------ restriction
    def restrict(self, alternatives) -> "Profile":
        """The profile over a subset of alternatives, renumbered ``0..k-1`` in the given order.

        Examples
        --------
        >>> p = Profile.from_rankings([[2, 0, 1]], labels=["a", "b", "c"])
        >>> q = p.restrict([2, 1])
        >>> q.labels, q.rankings().tolist()
        (('c', 'b'), [[0, 1]])
        """
        keep = _check_subset(alternatives, self.n_alternatives, "Profile.restrict")
        ranks = densify_levels(self._ranks[:, keep])
        obj = type(self).__new__(type(self))
        object.__setattr__(obj, "_ranks", frozen(ranks))
        obj._init_common(self.n_ballots, len(keep), self._weights, [self._labels[a] for a in keep], self._title,
                         None, owner="Profile.restrict")
        return obj


def ballot_text(groups) -> str:
    return " > ".join("{" + ",".join(map(str, g)) + "}" for g in groups)


def _check_subset(alternatives, m, owner) -> np.ndarray:
    keep = check_array(alternatives, "alternatives", owner, dtype="int", ndim=1, min_size=1)
    if keep.min() < 0 or keep.max() >= m:
        fail("alternatives", owner, f"alternative ids in [0, {m - 1}]", keep)
    if len(np.unique(keep)) != len(keep):
        fail("alternatives", owner, "distinct alternative ids", keep)
    return np.asarray(keep, dtype=np.intp)


def _maybe_dense(arr: np.ndarray) -> np.ndarray:
    """Densify levels unless they already are dense (cheap check)."""
    n, m = arr.shape
    if n == 0:
        return np.array(arr, dtype=np.int64)
    # Dense iff, per row, the set of nonnegative values is exactly 0..max.
    top = arr.max(axis=1)
    if np.all(top < m):
        present = np.zeros((n, m + 1), dtype=bool)
        rows = np.repeat(np.arange(n), m)
        present[rows, np.where(arr < 0, m, arr).reshape(-1)] = True
        counts = present[:, :m].sum(axis=1)
        if np.all(counts == top + 1):
            return np.array(arr, dtype=np.int64)
    return densify_levels(arr)


def _ranks_from_rankings(arr: np.ndarray, m: int, owner: str) -> np.ndarray:
    n, width = arr.shape
    if width == m and (n == 0 or arr.min() >= 0):
        # Fast path: complete strict rankings; each row must be a permutation of 0..m-1.
        if n and (arr.max() >= m or not np.array_equal(np.sort(arr, axis=1), np.broadcast_to(np.arange(m), (n, m)))):
            bad = int(np.flatnonzero(np.any(np.sort(arr, axis=1) != np.arange(m), axis=1))[0])
            fail("rankings", owner, f"rows that list distinct alternative ids in [0, {m - 1}]", arr,
                 hint=f"Row {bad} is {arr[bad].tolist()}.")
        ranks = np.empty((n, m), dtype=np.int64)
        np.put_along_axis(ranks, arr.astype(np.intp), np.arange(m, dtype=np.int64)[None, :], axis=1)
        return ranks
    if arr.size and (arr.min() < -1 or arr.max() >= m):
        fail("rankings", owner, f"alternative ids in [0, {m - 1}], with -1 only as padding", arr)
    valid = arr >= 0
    if width > 1 and np.any(~valid[:, :-1] & valid[:, 1:]):
        bad = int(np.flatnonzero(np.any(~valid[:, :-1] & valid[:, 1:], axis=1))[0])
        fail("rankings", owner, "rows whose -1 padding comes only at the end", arr,
             hint=f"Row {bad} is {arr[bad].tolist()}.")
    srt = np.sort(np.where(valid, arr, -1 - np.arange(width)[None, :]), axis=1)
    if width > 1 and np.any(srt[:, 1:] == srt[:, :-1]):
        bad = int(np.flatnonzero(np.any(srt[:, 1:] == srt[:, :-1], axis=1))[0])
        fail("rankings", owner, "rows without repeated alternatives", arr, hint=f"Row {bad} is {arr[bad].tolist()}.")
    ranks = np.full((n, m), -1, dtype=np.int64)
    rows, cols = np.nonzero(valid)
    ranks[rows, arr[rows, cols]] = cols
    return ranks


def _support(levels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted count of ``levels[v, a] < levels[v, b]``, chunked broadcast, exact int64."""
    n, m = levels.shape
    out = np.zeros((m, m), dtype=np.int64)
    step = max(1, _CHUNK // (m * m))
    unit = bool(np.all(weights == 1))
    for start in range(0, n, step):
        lv = levels[start:start + step]
        above = lv[:, :, None] < lv[:, None, :]
        if unit:
            out += above.sum(axis=0, dtype=np.int64)
        else:
            out += np.tensordot(weights[start:start + step], above, axes=(0, 0)).astype(np.int64)
    return out
