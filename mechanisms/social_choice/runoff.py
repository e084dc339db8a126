"""Runoff and elimination rules: instant runoff, plurality with runoff, Coombs, Baldwin, Nanson, Bucklin.

**Elimination ties.** Multi-round rules default to *parallel-universe
tie-breaking* (``elimination="parallel"``): when several alternatives tie for
elimination, every choice is explored and the winners are all alternatives that
win in some universe (Conitzer, Rognlie and Xia 2009).  The search is depth
first over sets of remaining alternatives: each set is expanded at most once,
and a set made only of winners already found is not expanded (the pruning of
J. Wang, S. Sikdar, T. Shepherd, Z. Zhao, C. Jiang and L. Xia, "Practical
algorithms for multi-stage voting rules with parallel universes tiebreaking",
AAAI 2019).  It is still exponential in the worst case (many exact ties
among many alternatives: deciding a PUT winner is NP-hard).
``elimination="simultaneous"`` instead removes the whole tied set at once (and if
that would remove everyone, they all win): pref_voting's default for
``instant_runoff``, ``coombs`` and ``baldwin``.

Tallies are exact integer counts: first (or last) remaining choices per ballot
come from one vectorized pass over the ballot array and a ``bincount`` (for
parallel-universe instant runoff, only the ballots of eliminated alternatives
are recounted).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from solvers.validation import check_option

from ._common import outcome_from_scores, strict_ballots
from .registry import register_rule
from .result import Outcome

__all__ = ["instant_runoff", "plurality_with_runoff", "coombs", "baldwin", "nanson", "bucklin"]

_ELIMINATION = ("parallel", "simultaneous")
_PUT = ("V. Conitzer, M. Rognlie and L. Xia, Preference functions that score rankings and maximum likelihood "
        "estimation, IJCAI 2009, 109-115 (parallel-universe tie-breaking).")


# ---------------------------------------------------------------------- ballot counting
def _tally(rankings: np.ndarray, weights: np.ndarray, alive: np.ndarray, *, last: bool = False) -> np.ndarray:
    """Weighted count of ballots whose first (or last) remaining choice is each alternative (int64)."""
    m = alive.shape[0]
    n = rankings.shape[0]
    if n == 0:
        return np.zeros(m, dtype=np.int64)
    ext = np.append(alive, False)  # index -1 (padding) -> not alive
    cols = rankings[:, ::-1] if last else rankings
    ok = ext[cols]
    pos = ok.argmax(axis=1)
    rows = np.arange(n)
    has = ok[rows, pos]
    tops = cols[rows, pos][has]
    return np.rint(np.bincount(tops, weights=weights[has], minlength=m)).astype(np.int64)


def _explore(m: int, step: Callable[[np.ndarray], tuple[str, list]]) -> frozenset[int]:
    """Winners over all branches of an elimination process (depth first, each remaining set visited once).

    ``step(alive)`` returns ``("done", winners)`` or ``("branch", [removal, ...])``
    where each removal is a list of alternatives eliminated together.  Only the
    union of the winners matters, so a set of remaining alternatives is expanded
    at most once, and not at all once every alternative in it is a known winner
    (the winners reachable from a set are among its members).
    """
    seen: set[int] = set()
    winners: set[int] = set()
    known = 0  # bitmask of the winners found so far
    stack = [(1 << m) - 1]
    bits = 1 << np.arange(m, dtype=object)
    while stack:
        key = stack.pop()
        if key in seen or not key & ~known:
            continue
        seen.add(key)
        alive = np.array([(key >> a) & 1 for a in range(m)], dtype=bool)
        kind, payload = step(alive)
        if kind == "done":
            for a in payload:
                winners.add(int(a))
                known |= int(bits[int(a)])
            continue
        for removal in reversed(payload):
            sub = key
            for a in removal:
                sub &= ~(1 << int(a))
            if sub not in seen:
                stack.append(sub)
    return frozenset(winners)


def _first_alive(rows: np.ndarray, ext: np.ndarray) -> np.ndarray:
    """First alternative of each ballot row alive in ``ext`` (an ``alive`` mask extended by ``False``); -1 if none."""
    ok = ext[rows]
    pos = ok.argmax(axis=1)
    top = rows[np.arange(rows.shape[0]), pos]
    return np.where(ok[np.arange(rows.shape[0]), pos], top, -1)


def _ahead_counts(rankings: np.ndarray, weights: np.ndarray, m: int) -> np.ndarray:
    """``P[a, b]``: weight of the ballots that rank ``a`` above ``b`` (``a`` ranked, ``b`` below it or unranked)."""
    n = rankings.shape[0]
    position = np.full((n, m + 1), m, dtype=np.int64)
    cols = np.broadcast_to(np.arange(rankings.shape[1]), rankings.shape)
    position[np.arange(n)[:, None], np.where(rankings < 0, m, rankings)] = np.where(rankings < 0, m, cols)
    position = position[:, :m]
    ranked = position < m
    out = np.empty((m, m), dtype=np.int64)
    for a in range(m):
        out[a] = weights @ (ranked[:, a, None] & (position[:, a, None] < position))
    return out


def _bulk_exclusion(rankings: np.ndarray, weights: np.ndarray, alive: np.ndarray, tally: np.ndarray):
    """The largest set ``L`` of lowest-tallied alternatives that every elimination order removes first, or ``None``.

    While only members of ``L`` are eliminated, a member ``l`` holds only ballots
    whose ranking (restricted to the remaining alternatives) starts with a run of
    members of ``L`` containing ``l``: their weight ``U(l)`` bounds its tally,
    and every other alternative keeps at least its tally (tallies never fall).
    If ``max U(l)`` is below every tally outside ``L``, the minimum stays inside
    ``L`` until ``L`` is gone, so every order reaches the same set.  This sharpens
    the bulk exclusion of N. Tideman, "The single transferable vote", J. Economic
    Perspectives 9(1) (1995) 27-38, where ``U(l)`` is bounded by the combined
    tally of ``L``.
    """
    ids = np.flatnonzero(alive)
    s = ids.size
    order = np.argsort(tally[ids], kind="stable")
    st = tally[ids][order]
    gaps = np.flatnonzero(st[:-1] < st[1:]) + 1  # candidate sizes k: a strict gap after the k lowest
    if gaps.size == 0:
        return None
    if np.cumsum(st)[gaps[-1] - 1] < st[gaps[-1]]:
        return ids[order[: gaps[-1]]]
    rank = np.full(alive.shape[0] + 1, -1, dtype=np.int64)
    rank[ids[order]] = np.arange(s)
    kmax = gaps[-1]
    r = rank[rankings]
    runmax = np.maximum.accumulate(r, axis=1)
    sel = (r >= 0) & (runmax < kmax)
    w = np.broadcast_to(weights[:, None], r.shape)[sel]
    hist = np.bincount(r[sel] * kmax + runmax[sel], weights=w, minlength=kmax * kmax).reshape(kmax, kmax)
    bound = np.rint(np.cumsum(hist, axis=1).max(axis=0)).astype(np.int64)  # bound[k-1] = max U over L_k
    ok = gaps[bound[gaps - 1] < st[gaps]]
    if ok.size == 0:
        return None
    return ids[order[: ok[-1]]]


def _irv_put(rankings: np.ndarray, weights: np.ndarray, m: int) -> frozenset[int]:
    """Parallel-universe winners of instant runoff (depth-first search with incremental tallies and pruning)."""
    n = rankings.shape[0]
    full = np.ones(m, dtype=bool)
    ahead = _ahead_counts(rankings, weights, m)
    tops = _first_alive(rankings, np.append(full, False)) if n else np.zeros(0, dtype=np.int64)
    tally = np.bincount(tops[tops >= 0], weights=weights[tops >= 0], minlength=m).astype(np.int64)
    seen: set[int] = set()
    winners: set[int] = set()
    stack = [((1 << m) - 1, full, tops, tally)]
    while stack:
        key, alive, tops, tally = stack.pop()
        ids = np.flatnonzero(alive)
        if ids.size == 1:
            winners.add(int(ids[0]))
            continue
        t = tally[ids]
        total = int(t.sum())
        if total > 0 and 2 * t.max() > total:
            winners.add(int(ids[t.argmax()]))
            continue
        if total == 0:
            winners.update(int(a) for a in ids)  # every ballot exhausted: any of them can be eliminated last
            continue
        # a can still win only if, for every other b, some tally a can hold while b remains (at most the
        # ballots ranking a above b) reaches b's tally now (b's tally never falls while b remains)
        possible = ids[(t[None, :] <= ahead[np.ix_(ids, ids)] + np.diag(t)).all(axis=1)]  # diag: a vs itself
        if all(int(a) in winners for a in possible):
            continue
        losers = ids[t == t.min()]
        batch = _bulk_exclusion(rankings, weights, alive, tally) if losers.size > 1 else losers
        removals = [batch] if batch is not None else [np.array([a]) for a in losers]
        for removal in reversed(removals):
            sub = key
            for a in removal:
                sub &= ~(1 << int(a))
            if sub in seen:
                continue
            seen.add(sub)
            child = alive.copy()
            child[removal] = False
            gone = np.zeros(m + 1, dtype=bool)
            gone[removal] = True
            moved = np.flatnonzero(gone[tops])
            new_tops = tops.copy()
            new_tally = tally.copy()
            new_tally[removal] = 0
            if moved.size:
                new = _first_alive(rankings[moved], np.append(child, False))
                new_tops[moved] = new
                has = new >= 0
                new_tally += np.bincount(new[has], weights=weights[moved][has], minlength=m).astype(np.int64)
            stack.append((sub, child, new_tops, new_tally))
    return frozenset(winners)


def _ties_step(alive: np.ndarray, losers: np.ndarray, mode: str, *, batch: bool = False):
    """Common elimination step given the boolean mask of tied losers among ``alive``."""
    ids = np.flatnonzero(losers)
    if mode == "simultaneous" or batch:
        if losers.sum() == alive.sum():
            return "done", list(ids)
        return "branch", [list(ids)]
    return "branch", [[a] for a in ids]


def _check_elimination(elimination, owner):
    return check_option(elimination, "elimination", owner, _ELIMINATION)


# ---------------------------------------------------------------------- rules
@register_rule("instant_runoff", name="Instant runoff (Hare, alternative vote)", input_kind="ordinal",
               ballots="strict", algorithms=("bincount",),
               references=("T. Hare, A Treatise on the Election of Representatives, Parliamentary and Municipal, "
                           "Longman (1859).", _PUT),
               aliases=("irv", "hare", "alternative_vote", "ranked_choice"), properties=("elimination",),
               report_limits={"max_alternatives": 20})
def instant_runoff(profile, *, elimination="parallel"):
    """Instant runoff voting: repeatedly eliminate the alternative with the fewest first choices.

    A ballot counts for its highest-ranked remaining alternative; truncated ballots
    whose ranked alternatives are all eliminated are exhausted and no longer count.
    An alternative with more than half of the continuing ballots wins at once (it
    would never be eliminated, so this does not change the winners).

    Parameters
    ----------
    profile : Profile
        Strict ballots; truncation allowed (no ties).
    elimination : {"parallel", "simultaneous"}
        ``"parallel"`` (default): parallel-universe tie-breaking, the winners are the
        alternatives that win under *some* order of eliminating tied last-placed
        alternatives.  The search updates tallies incrementally (only the
        ballots of the eliminated alternatives move), removes at once the
        largest set of lowest-tallied alternatives that every order removes
        first (a sharpened bulk exclusion [3]_, e.g. all alternatives with no
        first choices), and skips a remaining set once every member that can
        still win from it (its tally can reach every other tally, bounded by
        the ballots ranking it above each other) is a known winner.  Still
        exponential in the worst case.
        ``"simultaneous"``: all tied last-placed alternatives are removed at once; if
        that removes everyone left, they all win (pref_voting's ``instant_runoff``).

    References
    ----------
    .. [1] T. Hare, *A Treatise on the Election of Representatives, Parliamentary and
       Municipal*, Longman (1859).
    .. [2] V. Conitzer, M. Rognlie and L. Xia, "Preference functions that score
       rankings and maximum likelihood estimation", IJCAI 2009 (parallel-universe
       tie-breaking).
    .. [3] N. Tideman, "The single transferable vote", *Journal of Economic
       Perspectives* 9(1) (1995) 27-38 (bulk exclusion).

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[4, 3, 2])
    >>> instant_runoff(p).winners     # 2 is eliminated, its ballots go to 1
    (1,)
    """
    mode = _check_elimination(elimination, "instant_runoff")
    rankings, weights = strict_ballots(profile)
    m = profile.n_alternatives

    if mode == "parallel":
        return Outcome(winners=sorted(_irv_put(rankings, weights, m)))

    def step(alive):
        if alive.sum() == 1:
            return "done", np.flatnonzero(alive)
        t = _tally(rankings, weights, alive)
        total = int(t[alive].sum())
        leader = np.flatnonzero(alive & (2 * t > total))
        if total > 0 and leader.size:
            return "done", leader
        low = t[alive].min()
        return _ties_step(alive, alive & (t == low), mode)

    return Outcome(winners=sorted(_explore(m, step)))


@register_rule("plurality_with_runoff", name="Plurality with runoff", input_kind="ordinal", ballots="strict",
               algorithms=("bincount",),
               references=("W. S. Zwicker, Introduction to the theory of voting, in Handbook of Computational "
                           "Social Choice, Cambridge University Press (2016), chapter 2.", _PUT),
               aliases=("two_round",), properties=("elimination",))
def plurality_with_runoff(profile):
    """Plurality with runoff: the two alternatives with the most first choices meet in a majority runoff.

    Ties are resolved by parallel-universe tie-breaking: if several alternatives
    tie for the most first choices, every pair of them may meet; otherwise the
    leader meets each alternative tied for second.  The winners are the winners of
    all possible runoffs; a runoff tied in the pairwise margin is won by both.
    (This is pref_voting's ``plurality_with_runoff_put``.)

    Parameters
    ----------
    profile : Profile
        Strict ballots; truncation allowed.  First choices count the top of each
        ballot; the runoff uses the margin matrix (unranked alternatives below the
        ranked ones).

    References
    ----------
    .. [1] W. S. Zwicker, "Introduction to the theory of voting", in *Handbook of
       Computational Social Choice*, Cambridge University Press (2016), ch. 2.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[4, 3, 2])
    >>> plurality_with_runoff(p).winners      # 0 and 1 meet; 1 wins 5 to 4
    (1,)
    """
    rankings, weights = strict_ballots(profile)
    m = profile.n_alternatives
    if m == 1:
        return Outcome(winners=[0])
    t = _tally(rankings, weights, np.ones(m, dtype=bool))
    order = np.unique(t)[::-1]
    first = np.flatnonzero(t == order[0])
    if first.size >= 2:
        pairs = [(a, b) for i, a in enumerate(first) for b in first[i + 1:]]
    else:
        second = np.flatnonzero(t == order[1])
        pairs = [(first[0], b) for b in second]
    M = profile.margin_matrix()
    winners = set()
    for a, b in pairs:
        if M[a, b] >= 0:
            winners.add(int(a))
        if M[a, b] <= 0:
            winners.add(int(b))
    return Outcome(winners=sorted(winners))


@register_rule("coombs", name="Coombs", input_kind="ordinal", ballots="strict_complete", algorithms=("bincount",),
               references=("C. H. Coombs, A Theory of Data, Wiley (1964).", _PUT), properties=("elimination",),
               report_limits={"max_alternatives": 20})
def coombs(profile, *, elimination="parallel"):
    """Coombs: unless someone has a majority of first choices, eliminate the alternative ranked last most often.

    Parameters
    ----------
    profile : Profile
        Strict complete rankings (last places are undefined on truncated ballots).
    elimination : {"parallel", "simultaneous"}
        Ties for most last places: parallel-universe tie-breaking (default) or
        remove all at once (pref_voting's ``coombs``; if that removes everyone
        left, they all win).

    Notes
    -----
    The majority test (more than half of all voters rank it first among the
    remaining alternatives) runs before every elimination; it changes the outcome,
    unlike in instant runoff.

    References
    ----------
    .. [1] C. H. Coombs, *A Theory of Data*, Wiley (1964).

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[4, 3, 2])
    >>> coombs(p).winners     # 0 is last on 5 ballots and goes first
    (1,)
    """
    mode = _check_elimination(elimination, "coombs")
    rankings, weights = strict_ballots(profile)
    m = profile.n_alternatives
    n = int(weights.sum())

    def step(alive):
        if alive.sum() == 1 or n == 0:
            return "done", np.flatnonzero(alive)
        first = _tally(rankings, weights, alive)
        leader = np.flatnonzero(alive & (2 * first > n))
        if leader.size:
            return "done", leader
        last = _tally(rankings, weights, alive, last=True)
        high = last[alive].max()
        return _ties_step(alive, alive & (last == high), mode)

    return Outcome(winners=sorted(_explore(m, step)))


def _restricted_borda(M: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Symmetric Borda scores on the remaining alternatives (zero elsewhere): rows of the margin submatrix."""
    return np.where(alive, (M * alive[None, :]).sum(axis=1), 0)


@register_rule("baldwin", name="Baldwin", input_kind="ordinal", algorithms=("margins",),
               references=("J. M. Baldwin, The technique of the Nanson preferential majority system of election, "
                           "Proc. Royal Society of Victoria 39 (1926) 42-52.", _PUT),
               properties=("elimination", "condorcet_consistent"))
def baldwin(profile, *, elimination="parallel"):
    """Baldwin: repeatedly eliminate the alternative with the lowest Borda score among those remaining.

    Parameters
    ----------
    profile : Profile
        Any ballots.  Borda scores are recomputed on the remaining alternatives
        with the average convention (ties and unranked alternatives share the
        average of the positions they span), which makes them an affine function
        of the margin-matrix row sums: this is what is computed.
    elimination : {"parallel", "simultaneous"}
        Ties for the lowest score: parallel-universe tie-breaking (default) or
        remove all at once (pref_voting's ``baldwin``; if that removes everyone
        left, they all win).

    References
    ----------
    .. [1] J. M. Baldwin, "The technique of the Nanson preferential majority system of
       election", *Proceedings of the Royal Society of Victoria* 39 (1926) 42-52.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> baldwin(Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[4, 3, 2])).winners
    (1,)
    """
    mode = _check_elimination(elimination, "baldwin")
    M = profile.margin_matrix()
    m = profile.n_alternatives

    def step(alive):
        if alive.sum() == 1 or not M[np.ix_(alive, alive)].any():
            return "done", np.flatnonzero(alive)  # one left, or every pair tied: they stay tied
        b = _restricted_borda(M, alive)
        low = b[alive].min()
        return _ties_step(alive, alive & (b == low), mode)

    return Outcome(winners=sorted(_explore(m, step)))


@register_rule("nanson", name="Nanson", input_kind="ordinal", algorithms=("margins",),
               references=("E. J. Nanson, Methods of election, Transactions and Proceedings of the Royal Society of "
                           "Victoria 19 (1882) 197-240.",
                           "E. M. S. Niou, A note on Nanson's rule, Public Choice 54 (1987) 191-193."),
               properties=("elimination", "condorcet_consistent"))
def nanson(profile, *, variant="strict"):
    """Nanson: repeatedly eliminate every alternative whose Borda score is below the average.

    Parameters
    ----------
    profile : Profile
        Any ballots; Borda scores on the remaining alternatives use the average
        convention (computed from the margin matrix), as in :func:`baldwin`.
    variant : {"strict", "weak"}
        ``"strict"`` (default, Nanson's rule as in Niou 1987; pref_voting's
        ``strict_nanson``): eliminate the alternatives strictly below the average;
        when all remaining alternatives have the average score they all win.
        ``"weak"`` (pref_voting's ``weak_nanson``): eliminate those at or below the
        average; when that would remove everyone left, they all win.

    Notes
    -----
    No tie-breaking is ever needed: each round removes a set defined by the scores.

    References
    ----------
    .. [1] E. J. Nanson, "Methods of election", *Transactions and Proceedings of the
       Royal Society of Victoria* 19 (1882) 197-240.
    .. [2] E. M. S. Niou, "A note on Nanson's rule", *Public Choice* 54 (1987) 191-193.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> nanson(Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[4, 3, 2])).winners
    (1,)
    """
    variant = check_option(variant, "variant", "nanson", ("strict", "weak"))
    M = profile.margin_matrix()
    m = profile.n_alternatives
    alive = np.ones(m, dtype=bool)
    while alive.sum() > 1:
        b = _restricted_borda(M, alive)  # the average of these is exactly 0
        losers = alive & ((b < 0) if variant == "strict" else (b <= 0))
        if not losers.any() or losers.sum() == alive.sum():
            break
        alive &= ~losers
    return Outcome(winners=np.flatnonzero(alive))


@register_rule("bucklin", name="Bucklin", input_kind="ordinal", ballots="strict", algorithms=("position_counts",),
               references=("J. W. Bucklin, The Grand Junction system of preferential voting (1909); definition as in "
                           "G. Erdelyi, M. R. Fellows, J. Rothe and L. Schend, Control complexity in Bucklin and "
                           "fallback voting: a theoretical analysis, J. Computer and System Sciences 81 (2015) "
                           "632-660.",),
               properties=("scores", "ranks"))
def bucklin(profile):
    """Bucklin: find the smallest depth ``k`` at which some alternative is in the top ``k`` of a majority.

    At that depth the winners are the alternatives ranked in the top ``k`` by the
    most voters (not every alternative above the majority threshold, which is
    "simplified Bucklin").  A majority means more than half of *all* voters, so
    truncated ballots count against the threshold; if no depth reaches it, the
    winners are those ranked by the most voters at depth ``m``.

    Parameters
    ----------
    profile : Profile
        Strict ballots; truncation allowed.

    Notes
    -----
    ``scores`` are the top-``k`` counts at the decisive depth ``k`` (higher is
    better) and ``ranking`` orders the alternatives by them.

    References
    ----------
    .. [1] G. Erdelyi, M. R. Fellows, J. Rothe and L. Schend, "Control complexity in
       Bucklin and fallback voting: a theoretical analysis", *Journal of Computer and
       System Sciences* 81 (2015) 632-660 (J. W. Bucklin's Grand Junction system, 1909).

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]], weights=[4, 3, 2])
    >>> bucklin(p).winners, bucklin(p).scores.tolist()     # depth 2: 1 is in 9 top-twos
    ((1,), [4, 9, 5])
    """
    counts = profile.position_counts()
    n = profile.n_voters
    depth = np.cumsum(counts, axis=1)  # depth[a, k-1]: voters ranking a in their top k
    reached = np.flatnonzero((2 * depth > n).any(axis=0))
    k = int(reached[0]) if reached.size else depth.shape[1] - 1
    return outcome_from_scores([int(v) for v in depth[:, k]])
