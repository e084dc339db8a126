"""A light, hashable stand-in for a profile, used inside axiom checks and searches.

Checking one axiom on one profile means running the rule on many related
profiles (a voter's misreport, an alternative removed, the ballots reversed).
A :class:`Case` holds the ballots as tuples, so these variants are built in
microseconds and serve as keys of the outcome cache; a real
:class:`~mechanisms.profiles.Profile` is built only when the rule has to run.

Ordinal rows are tuples of levels (``row[a]`` = 0-based level of alternative
``a``, equal levels tie, ``-1`` = unranked), exactly the ``ranks`` rows of a
:class:`~mechanisms.profiles.Profile`.  Approval rows are tuples of 0/1.
"""

from __future__ import annotations

import itertools
from collections import Counter
from functools import lru_cache

import numpy as np

__all__ = ["Case", "ballot_space", "ballot_text", "weak_order"]


@lru_cache(maxsize=64)
def ballot_space(kind: str, m: int) -> tuple[tuple[int, ...], ...]:
    """Every ballot of the search domain: strict complete rankings (as level rows) or approval sets.

    Ordinal ballots come in the lexicographic order of the rankings they
    encode (best first), approval ballots in binary order.
    """
    if kind == "ordinal":
        out = []
        for ranking in itertools.permutations(range(m)):
            row = [0] * m
            for position, a in enumerate(ranking):
                row[a] = position
            out.append(tuple(row))
        return tuple(out)
    return tuple(tuple(bits) for bits in itertools.product((0, 1), repeat=m))


def weak_order(row, kind: str = "ordinal") -> tuple:
    """A ballot as data: ordinal rows as groups of tied ids, best first (as ``Profile.to_weak_orders``);
    approval rows as the sorted tuple of approved ids."""
    if kind == "approval":
        return tuple(a for a, v in enumerate(row) if v)
    k = max(row, default=-1) + 1
    return tuple(tuple(a for a, lev in enumerate(row) if lev == level) for level in range(k))


def ballot_text(row, kind: str = "ordinal", labels=None) -> str:
    name = (lambda a: labels[a]) if labels else str
    if kind == "approval":
        return "{" + ", ".join(name(a) for a in weak_order(row, kind)) + "}"
    groups = weak_order(row)
    text = " > ".join(name(g[0]) if len(g) == 1 else "{" + ", ".join(name(a) for a in g) + "}" for g in groups)
    return text or "(empty ballot)"


def _dense(row) -> tuple[int, ...]:
    """Renumber the nonnegative levels of a row to 0..k-1 (order kept); -1 stays."""
    used = sorted({lev for lev in row if lev >= 0})
    remap = {lev: i for i, lev in enumerate(used)}
    return tuple(remap[lev] if lev >= 0 else -1 for lev in row)


class Case:
    """Ballot rows (tuples), integer weights and optional labels; immutable and hashable by :meth:`key`."""

    __slots__ = ("kind", "m", "rows", "weights", "labels", "_memo")

    def __init__(self, kind: str, m: int, rows, weights=None, labels=None):
        self.kind = kind
        self.m = m
        self.rows = tuple(rows)
        self.weights = tuple(weights) if weights is not None else (1,) * len(self.rows)
        self.labels = tuple(labels) if labels is not None else None
        self._memo = {}

    # ------------------------------------------------------------------ conversions
    @classmethod
    def from_profile(cls, profile) -> "Case":
        from mechanisms.profiles import ApprovalProfile, Profile

        labels = profile.labels
        if labels == tuple(str(i) for i in range(profile.n_alternatives)):
            labels = None
        weights = tuple(int(w) for w in profile.weights)
        if isinstance(profile, Profile):
            rows = tuple(tuple(int(v) for v in r) for r in profile.ranks.tolist())
            return cls("ordinal", profile.n_alternatives, rows, weights, labels)
        if isinstance(profile, ApprovalProfile):
            rows = tuple(tuple(int(v) for v in r) for r in profile.approvals.astype(np.int64).tolist())
            return cls("approval", profile.n_alternatives, rows, weights, labels)
        raise TypeError(f"cannot build a case from {type(profile).__name__}")  # pragma: no cover

    def to_profile(self):
        """The :class:`~mechanisms.profiles.Profile` (or ``ApprovalProfile``) these ballots make."""
        if "profile" not in self._memo:
            from mechanisms.profiles import ApprovalProfile, Profile

            arr = np.array(self.rows, dtype=np.int64).reshape(len(self.rows), self.m)
            weights = np.array(self.weights, dtype=np.int64)
            if self.kind == "ordinal":
                profile = Profile.from_ranks(arr, weights, self.labels)
            else:
                profile = ApprovalProfile(arr.astype(bool), weights, self.labels)
            self._memo["profile"] = profile
        return self._memo["profile"]

    def to_pairwise(self):
        """Every voter's ranking as pairwise comparisons (one row per ballot and pair; ``annotator`` = ballot row).

        A pair the ballot ties (both ranked at one level) is a tie; a pair it leaves
        both unranked is not compared.
        """
        if "pairwise" not in self._memo:
            from mechanisms.profiles import TIE, PairwiseComparisons

            a_col, b_col, winner, annotator, weights = [], [], [], [], []
            for i, (row, w) in enumerate(zip(self.rows, self.weights)):
                for a, b in itertools.combinations(range(self.m), 2):
                    la, lb = row[a], row[b]
                    if la < 0 and lb < 0:
                        continue
                    la = self.m if la < 0 else la
                    lb = self.m if lb < 0 else lb
                    a_col.append(a)
                    b_col.append(b)
                    winner.append(a if la < lb else (b if lb < la else TIE))
                    annotator.append(i)
                    weights.append(w)
            self._memo["pairwise"] = PairwiseComparisons(
                a_col, b_col, winner, annotator=annotator, weights=weights, n_items=self.m, labels=self.labels)
        return self._memo["pairwise"]

    # ------------------------------------------------------------------ identity
    def key(self, ordered: bool = True):
        """A hashable key: the exact rows and weights, or (``ordered=False``) the multiset of ballots."""
        if ordered:
            return (self.kind, self.m, self.labels, self.rows, self.weights)
        if "canonical" not in self._memo:
            counts = Counter()
            for row, w in zip(self.rows, self.weights):
                if w:
                    counts[row] += w
            self._memo["canonical"] = (self.kind, self.m, self.labels, tuple(sorted(counts.items())))
        return self._memo["canonical"]

    @property
    def n_voters(self) -> int:
        return sum(self.weights)

    def label(self, a: int) -> str:
        return self.labels[a] if self.labels else str(a)

    def ballot(self, i: int) -> tuple:
        return weak_order(self.rows[i], self.kind)

    def voter_levels(self, i: int) -> tuple[int, ...]:
        """The preference of the voters of row ``i`` as levels, lower is better (unranked / not approved last)."""
        row = self.rows[i]
        if self.kind == "approval":
            return tuple(0 if v else 1 for v in row)
        return tuple(self.m if lev < 0 else lev for lev in row)

    def is_complete(self) -> bool:
        return self.kind == "ordinal" and all(lev >= 0 for row in self.rows for lev in row)

    @staticmethod
    def row_is_strict(row) -> bool:
        ranked = [lev for lev in row if lev >= 0]
        return len(set(ranked)) == len(ranked)

    # ------------------------------------------------------------------ pairwise statistics
    def levels(self) -> np.ndarray:
        """``(n_rows, m)`` int array of preference levels (unranked = m; approval: 0 approved, 1 not)."""
        if "levels" not in self._memo:
            arr = np.array(self.rows, dtype=np.int64).reshape(len(self.rows), self.m)
            if self.kind == "approval":
                arr = 1 - arr
            else:
                arr = np.where(arr < 0, self.m, arr)
            self._memo["levels"] = arr
        return self._memo["levels"]

    def support(self) -> np.ndarray:
        """``S[a, b]`` = number of voters (weighted) ranking ``a`` strictly above ``b``."""
        if "support" not in self._memo:
            lv = self.levels()
            w = np.array(self.weights, dtype=np.int64)
            above = lv[:, :, None] < lv[:, None, :]
            self._memo["support"] = np.tensordot(w, above.astype(np.int64), axes=(0, 0)) if len(w) else \
                np.zeros((self.m, self.m), dtype=np.int64)
        return self._memo["support"]

    def margins(self) -> np.ndarray:
        s = self.support()
        return s - s.T

    def condorcet_winner(self) -> int | None:
        mg = self.margins()
        for a in range(self.m):
            if all(mg[a, b] > 0 for b in range(self.m) if b != a):
                return a
        return None

    def condorcet_loser(self) -> int | None:
        mg = self.margins()
        if self.m < 2:
            return None
        for a in range(self.m):
            if all(mg[a, b] < 0 for b in range(self.m) if b != a):
                return a
        return None

    def smith_set(self) -> frozenset[int]:
        """The smallest nonempty set whose members all beat every outsider by a strict majority."""
        if "smith" not in self._memo:
            reach = self.margins() >= 0
            m = self.m
            for k in range(m):
                reach = reach | (reach[:, k:k + 1] & reach[k:k + 1, :])
            self._memo["smith"] = frozenset(a for a in range(m) if reach[a].all())
        return self._memo["smith"]

    def majority_order(self) -> tuple[int, ...] | None:
        """The pairwise majority relation when it is a linear order (best first), else None."""
        mg = self.margins()
        off = ~np.eye(self.m, dtype=bool)
        if np.any(mg[off] == 0):
            return None
        wins = (mg > 0).sum(axis=1)
        if sorted(wins.tolist()) != list(range(self.m)):
            return None
        return tuple(int(a) for a in np.argsort(-wins, kind="stable"))

    def unique_tops(self) -> list[int | None]:
        """For every row, its single most preferred alternative (None when the top level is shared or empty)."""
        out = []
        for row in self.rows:
            top = [a for a, lev in enumerate(row) if lev == 0]
            out.append(top[0] if len(top) == 1 else None)
        return out

    def unique_bottoms(self) -> list[int | None]:
        """For every row, the single alternative below all others (unranked ones share the bottom)."""
        out = []
        for i in range(len(self.rows)):
            lv = self.voter_levels(i)
            worst = max(lv)
            bottom = [a for a, lev in enumerate(lv) if lev == worst]
            out.append(bottom[0] if len(bottom) == 1 and self.m > 1 else None)
        return out

    # ------------------------------------------------------------------ variants (new cases)
    def _new(self, rows, weights, labels="same") -> "Case":
        return Case(self.kind, self.m, rows, weights, self.labels if labels == "same" else labels)

    def replace(self, i: int, row) -> "Case":
        """One voter of row ``i`` casts ``row`` instead (in place when the row has weight 1)."""
        return self.replace_many((i,), (row,))

    def replace_many(self, indices, new_rows) -> "Case":
        """One voter of each listed row (a row may be listed as often as its weight) casts the new row."""
        counts = Counter(indices)
        if all(self.weights[i] == 1 for i in counts) and len(counts) == len(indices):
            rows = list(self.rows)
            for i, row in zip(indices, new_rows):
                rows[i] = tuple(row)
            return self._new(rows, self.weights)
        rows, weights = [], []
        for i, (row, w) in enumerate(zip(self.rows, self.weights)):
            left = w - counts.get(i, 0)
            if left > 0:
                rows.append(row)
                weights.append(left)
        rows.extend(tuple(r) for r in new_rows)
        weights.extend([1] * len(new_rows))
        return self._new(rows, weights)

    def remove(self, i: int) -> "Case":
        """One voter of row ``i`` abstains."""
        if self.weights[i] == 1:
            return self._new(self.rows[:i] + self.rows[i + 1:], self.weights[:i] + self.weights[i + 1:])
        weights = list(self.weights)
        weights[i] -= 1
        return self._new(self.rows, weights)

    def add(self, row) -> "Case":
        """One more voter casting ``row``."""
        return self._new(self.rows + (tuple(row),), self.weights + (1,))

    def sub(self, counts) -> "Case":
        """The sub-electorate with ``counts[i]`` voters of row ``i`` (rows with count 0 dropped)."""
        rows = tuple(r for r, c in zip(self.rows, counts) if c)
        return self._new(rows, tuple(c for c in counts if c))

    def scaled(self, k: int) -> "Case":
        """``k`` copies of the electorate (rows repeated in order)."""
        return self._new(self.rows * k, self.weights * k)

    def expanded(self) -> "Case":
        """Every weight-w row written out as w unit rows."""
        rows = tuple(r for r, w in zip(self.rows, self.weights) for _ in range(w))
        return self._new(rows, (1,) * len(rows))

    def permuted_rows(self, order) -> "Case":
        return self._new(tuple(self.rows[i] for i in order), tuple(self.weights[i] for i in order))

    def relabel(self, perm) -> "Case":
        """Alternative ``a`` becomes ``perm[a]`` (labels travel with their alternatives)."""
        rows = []
        for row in self.rows:
            new = [0] * self.m
            for a, lev in enumerate(row):
                new[perm[a]] = lev
            rows.append(tuple(new))
        labels = None
        if self.labels:
            out = [""] * self.m
            for a, b in enumerate(perm):
                out[b] = self.labels[a]
            labels = tuple(out)
        return self._new(rows, self.weights, labels)

    def restrict(self, keep) -> "Case":
        """The ballots over the alternatives ``keep`` (renumbered 0.. in that order; labels kept)."""
        keep = tuple(keep)
        if self.kind == "ordinal":
            rows = [_dense(tuple(row[a] for a in keep)) for row in self.rows]
        else:
            rows = [tuple(row[a] for a in keep) for row in self.rows]
        labels = tuple(self.label(a) for a in keep)
        return Case(self.kind, len(keep), rows, self.weights, labels)

    def reversed(self) -> "Case":
        """Every (complete) ordinal ballot turned upside down."""
        rows = [tuple(max(row) - lev for lev in row) for row in self.rows]
        return self._new(rows, self.weights)

    def truncated(self, i: int, depth: int) -> "Case":
        """Row ``i`` keeps only its top ``depth`` levels (the rest becomes unranked)."""
        row = tuple(lev if 0 <= lev < depth else -1 for lev in self.rows[i])
        return self.replace(i, row)
