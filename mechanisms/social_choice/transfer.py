"""Single transferable vote with weighted inclusive Gregory transfers, in exact rational arithmetic."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from solvers.validation import check_int, check_option

from ._common import strict_ballots
from .registry import register_rule
from .result import Outcome

__all__ = ["stv"]


class _Count:
    """The ballot piles of one STV count: distinct ballots, weights, and exact ballot values.

    Ballot values are stored as a class id per distinct ballot plus one Fraction
    per class, so a tally is a ``bincount`` over (first hopeful, class) followed by
    a handful of exact products.
    """

    def __init__(self, rankings: np.ndarray, weights: np.ndarray, m: int):
        self.rankings = rankings
        self.weights = weights
        self.m = m

    def tops(self, hopeful: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First hopeful choice of every ballot and whether it has one."""
        n = self.rankings.shape[0]
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
        ok = np.append(hopeful, False)[self.rankings]
        pos = ok.argmax(axis=1)
        rows = np.arange(n)
        return self.rankings[rows, pos], ok[rows, pos]

    def tally(self, top, has, cls, values) -> list[Fraction]:
        k = len(values)
        counts = np.bincount(top[has] * k + cls[has], weights=self.weights[has], minlength=self.m * k)
        counts = np.rint(counts).astype(np.int64).reshape(self.m, k)
        return [sum((int(counts[a, j]) * values[j] for j in np.flatnonzero(counts[a])), Fraction(0))
                for a in range(self.m)]


@register_rule("stv", name="Single transferable vote (Droop quota, weighted inclusive Gregory)",
               input_kind="ordinal", ballots="strict", committee=True, algorithms=("exact_rational",),
               references=("T. N. Tideman, The single transferable vote, J. Economic Perspectives 9 (1995) 27-38.",
                           "The Scottish Local Government Elections Order 2007 (SSI 2007/42), rules 45-52 "
                           "(weighted inclusive Gregory method).",
                           "V. Conitzer, M. Rognlie and L. Xia, Preference functions that score rankings and maximum "
                           "likelihood estimation, IJCAI 2009 (parallel-universe tie-breaking)."),
               aliases=("single_transferable_vote",), properties=("elimination", "proportional"),
               report_limits={"max_alternatives": 20})
def stv(profile, *, k=1, elimination="parallel"):
    """Single transferable vote electing a committee of ``k``, with exact fractional transfers.

    * Quota: the Droop quota ``q = floor(N / (k + 1)) + 1``, where ``N`` is the number
      of voters with a nonempty ballot.
    * Each ballot counts, at its current value (initially 1), for its highest-ranked
      *hopeful* alternative; ballots with none left are exhausted.
    * Every hopeful alternative whose tally reaches ``q`` is elected; each such
      alternative with tally ``T > q`` passes its surplus on by multiplying the
      value of every ballot in its pile by ``(T - q) / T`` (weighted inclusive
      Gregory method).  Ballots skip elected alternatives, so the surpluses of
      alternatives elected together are transferred independently.
    * Otherwise the hopeful alternative with the lowest tally is eliminated and its
      ballots move on at their current value.
    * When the hopeful alternatives are no more than the seats left, they are all
      elected.

    All values are exact :class:`fractions.Fraction` s (no rounding, unlike the
    five-decimal Scottish rule).

    Parameters
    ----------
    profile : Profile
        Strict ballots; truncation allowed.
    k : int in [1, m]
        Committee size (``k = 1`` is instant runoff with a majority quota).
    elimination : {"parallel", "simultaneous"}
        Ties for the lowest tally.  ``"parallel"`` (default): parallel-universe
        tie-breaking, every choice is explored and ``committees`` lists every
        committee elected in some universe.  Alternatives with a zero tally are
        handled at once (no order of eliminating them can change any tally).  The
        search is exponential in the worst case (many exact ties).
        ``"simultaneous"``: all tied alternatives are eliminated at once, unless that
        leaves fewer hopefuls than seats, in which case parallel-universe
        tie-breaking is used for that step.

    Returns
    -------
    Outcome with ``committees`` (every winning committee) and ``winners`` (their
    union; the committee itself when it is unique).  ``tie_break=`` selects one
    committee.

    References
    ----------
    .. [1] T. N. Tideman, "The single transferable vote", *Journal of Economic
       Perspectives* 9 (1995) 27-38.
    .. [2] The Scottish Local Government Elections Order 2007 (SSI 2007/42), rules
       45-52 (weighted inclusive Gregory method).

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2, 3], [0, 2, 1, 3], [1, 3, 2, 0], [3, 2, 1, 0]], weights=[6, 2, 3, 1])
    >>> result = stv(p, k=2)    # quota 5: 0 elected with 8, surplus 3/8 per ballot
    >>> result.winners, result.committees
    ((0, 1), ((0, 1),))
    """
    m = profile.n_alternatives
    k = check_int(k, "k", "stv", low=1, high=m)
    mode = check_option(elimination, "elimination", "stv", ("parallel", "simultaneous"))
    rankings, weights = strict_ballots(profile)
    nonempty = rankings[:, 0] >= 0 if rankings.size else np.zeros(0, dtype=bool)
    rankings, weights = rankings[nonempty], weights[nonempty]
    quota = int(weights.sum()) // (k + 1) + 1
    count = _Count(rankings, weights, m)
    committees: set[frozenset[int]] = set()
    seen: set = set()
    # depth-first over (hopeful mask, elected set, ballot value classes, class values)
    stack = [(np.ones(m, dtype=bool), frozenset(), np.zeros(len(weights), dtype=np.int64), (Fraction(1),))]
    while stack:
        hopeful, elected, cls, values = stack.pop()
        key = (hopeful.tobytes(), elected, cls.tobytes(), values)
        if key in seen:
            continue
        seen.add(key)
        seats = k - len(elected)
        if seats == 0 or hopeful.sum() <= seats:
            committees.add(elected | frozenset(int(a) for a in np.flatnonzero(hopeful)) if seats else elected)
            continue
        top, has = count.tops(hopeful)
        tally = count.tally(top, has, cls, values)
        reached = [a for a in np.flatnonzero(hopeful) if tally[a] >= quota]
        if reached:
            new_cls = cls.copy()
            new_values = list(values)
            for a in reached:
                total = tally[a]
                factor = (total - quota) / total  # 0 when the tally is exactly the quota
                pile = has & (top == a)
                for j in np.unique(cls[pile]):
                    new_values.append(values[j] * factor)
                    new_cls[pile & (cls == j)] = len(new_values) - 1
            left = hopeful.copy()
            left[reached] = False
            new_cls, new_values = _compact(new_cls, new_values)
            stack.append((left, elected | frozenset(int(a) for a in reached), new_cls, new_values))
            continue
        live = np.flatnonzero(hopeful)
        low = min(tally[a] for a in live)
        losers = [int(a) for a in live if tally[a] == low]
        if low == 0 and len(live) - len(losers) < seats:
            # Eliminating zero-tally alternatives moves no value, so every order ends the same way:
            # the positive ones and any large enough subset of the zero ones fill the seats.
            positive = frozenset(int(a) for a in live if tally[a] > 0)
            for extra in itertools.combinations(losers, seats - len(positive)):
                committees.add(elected | positive | frozenset(extra))
            continue
        if len(losers) > 1 and (low == 0 or mode == "simultaneous") and len(live) - len(losers) >= seats:
            removals = [losers]
        else:
            removals = [[a] for a in losers]
        for removal in removals:
            left = hopeful.copy()
            left[removal] = False
            stack.append((left, elected, cls, values))
    found = sorted(tuple(sorted(c)) for c in committees)
    union = sorted(set().union(*found)) if found else []
    return Outcome(winners=union, committees=found)


def _compact(cls: np.ndarray, values: list[Fraction]) -> tuple[np.ndarray, tuple[Fraction, ...]]:
    """Renumber value classes canonically (equal values merged, ordered by value) for memoization."""
    distinct = sorted(set(values[j] for j in np.unique(cls))) if cls.size else []
    index = {v: i for i, v in enumerate(distinct)}
    remap = np.array([index.get(v, 0) for v in values], dtype=np.int64)
    return (remap[cls] if cls.size else cls), tuple(distinct) if distinct else (Fraction(1),)
