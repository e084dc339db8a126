"""Young and Dodgson: how far each alternative is from being a Condorcet winner, as exact MILPs.

Both scores are integer programs over the *grouped* ballots (one integer
variable per distinct ballot, or per ballot and move length), solved with HiGHS
through :class:`solvers.lp.LinearProgram`; an alternative that already meets
the target gets score 0 without a solve.  Dodgson first compares the bound
``sum of deficits`` (each swap passes one rival) with a greedy solution: when
they meet there is no solve either.  Both are NP-hard in general
(Bartholdi, Tovey and Trick 1989; Rothe, Spakowski and Vogel 2003), so keep
the number of distinct ballots moderate.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from solvers.errors import SolverError
from solvers.lp import LinearProgram
from solvers.validation import check_option

from ._common import outcome_from_scores
from .registry import register_rule

__all__ = ["young", "dodgson"]

_BTT = ("J. Bartholdi III, C. A. Tovey and M. A. Trick, Voting schemes for which it can be difficult to tell who "
        "won the election, Social Choice and Welfare 6 (1989) 157-165.")


def _grouped_levels(profile) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ballots as levels (unranked = m, below every ranked level) and their positive weights."""
    ranks, weights = profile._grouped_arrays()
    keep = weights > 0
    ranks, weights = ranks[keep], weights[keep]
    m = profile.n_alternatives
    return np.where(ranks < 0, m, ranks), np.asarray(weights, dtype=np.int64)


def _solve(lp: LinearProgram, c, *, maximize: bool, owner: str, alternative: int):
    result = lp.solve(np.asarray(c, dtype=np.float64), maximize=maximize)
    status = getattr(result.status, "value", str(result.status))
    if status == "infeasible":
        return None
    if status != "optimal":
        raise SolverError(f"{owner}: the integer program for alternative {alternative} ended with status "
                          f"{status!r} ({result.info.message}).")
    return int(round(result.objective))


@register_rule("young", name="Young", input_kind="ordinal", algorithms=("milp",),
               references=("H. P. Young, Extending Condorcet's rule, J. Economic Theory 16 (1977) 335-353.",
                           "J. Rothe, H. Spakowski and J. Vogel, Exact complexity of the winner problem for Young "
                           "elections, Theory of Computing Systems 36 (2003) 375-386.",
                           "N. Betzler, J. Guo and R. Niedermeier, Parameterized computational complexity of Dodgson "
                           "and Young elections, Information and Computation 208 (2010) 165-177."),
               properties=("condorcet_consistent", "scores", "ranks"), report_limits={"max_alternatives": 20})
def young(profile, *, condorcet="weak"):
    """Young: the fewest voters to remove so that an alternative becomes a Condorcet winner.

    The score of ``a`` is the minimum number of voters whose removal makes ``a``
    a Condorcet winner of the remaining electorate; the winners have the lowest
    score (equivalently: the largest sub-electorate in which they are Condorcet
    winners).  Exact integer program over the distinct ballots: ``x_r`` voters
    of ballot ``r`` are kept (``0 <= x_r <= w_r``), maximize ``sum x_r`` subject to
    ``sum_r x_r sign_r(a, d) >= 0`` (weak) or ``>= 1`` (strict) for every ``d != a``.

    Parameters
    ----------
    profile : Profile
        Any ballots: a ballot that ties ``a`` and ``d`` (or leaves both unranked)
        counts for neither.
    condorcet : {"weak", "strict"}
        ``"weak"`` (default, Young's original definition as read by Betzler, Guo
        and Niedermeier 2010): ``a`` must not lose any pairwise majority.
        ``"strict"`` (Rothe, Spakowski and Vogel 2003): ``a`` must win every one.
        Under ``"strict"`` an alternative that is the strict Condorcet winner of no
        nonempty sub-electorate gets the score ``n_voters`` (remove everyone).

    Notes
    -----
    ``scores`` are the numbers of voters to remove: *lower is better*; ``ranking``
    orders by them.

    References
    ----------
    .. [1] H. P. Young, "Extending Condorcet's rule", *Journal of Economic Theory* 16
       (1977) 335-353.
    .. [2] J. Rothe, H. Spakowski and J. Vogel, "Exact complexity of the winner
       problem for Young elections", *Theory of Computing Systems* 36 (2003) 375-386.
    .. [3] N. Betzler, J. Guo and R. Niedermeier, "Parameterized computational
       complexity of Dodgson and Young elections", *Information and Computation* 208
       (2010) 165-177.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    >>> young(p).scores.tolist()       # drop one "2 > 0 > 1" voter and 0 ties 2
    [1, 3, 3]
    """
    condorcet = check_option(condorcet, "condorcet", "young", ("weak", "strict"))
    levels, weights = _grouped_levels(profile)
    m = profile.n_alternatives
    n = int(weights.sum())
    M = profile.margin_matrix()
    need = 0 if condorcet == "weak" else 1
    off = ~np.eye(m, dtype=bool)
    scores = []
    for a in range(m):
        others = np.flatnonzero(off[a])
        if np.all(M[a, others] >= need):
            scores.append(0)
            continue
        sign = np.sign(levels[:, others] - levels[:, [a]]).T.astype(np.float64)  # (m-1, n_b): +1 if a above d
        if need and np.any(sign.max(axis=1) <= 0):
            scores.append(n)
            continue
        lp = LinearProgram(len(weights), lb=0.0, ub=weights.astype(np.float64),
                           integrality=np.ones(len(weights), dtype=bool))
        lp.add_constraints("condorcet", sp.csr_array(sign), lower=float(need))
        kept = _solve(lp, np.ones(len(weights)), maximize=True, owner="young", alternative=a)
        scores.append(n if kept is None else n - kept)
    return outcome_from_scores(scores, higher_is_better=False)


@register_rule("dodgson", name="Dodgson", input_kind="ordinal", ballots="strict_complete", algorithms=("milp",),
               references=("C. L. Dodgson, A method of taking votes on more than two issues, Clarendon Press "
                           "(1876).", _BTT),
               properties=("condorcet_consistent", "scores", "ranks"), report_limits={"max_alternatives": 20})
def dodgson(profile):
    """Dodgson: the fewest adjacent swaps in the ballots that make an alternative the Condorcet winner.

    The score of ``a`` is the minimum total number of swaps of adjacent
    alternatives in the ballots after which ``a`` beats every other alternative by
    a strict majority; the winners have the lowest score.  Only moving ``a`` up
    ever helps, so the exact integer program (Bartholdi, Tovey and Trick 1989)
    chooses, for each distinct ballot ``r`` and each ``k = 1 .. pos_r(a)``, how
    many of its voters move ``a`` up by exactly ``k`` places (cost ``k`` each),
    such that for every rival ``d`` at least ``floor(n/2) + 1 - S[a, d]`` voters who
    rank ``d`` above ``a`` move ``a`` past ``d``.

    Parameters
    ----------
    profile : Profile
        Strict complete rankings (swaps are undefined with ties or truncation).

    Notes
    -----
    ``scores`` are the swap counts: *lower is better*; ``ranking`` orders by them.
    The Condorcet winner, if any, is the unique winner with score 0.  With no
    voters every alternative scores 0.

    References
    ----------
    .. [1] C. L. Dodgson, *A Method of Taking Votes on More than Two Issues*, Clarendon
       Press (1876).
    .. [2] J. Bartholdi III, C. A. Tovey and M. A. Trick, "Voting schemes for which it
       can be difficult to tell who won the election", *Social Choice and Welfare* 6
       (1989) 157-165.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    >>> dodgson(p).scores.tolist()      # one "2 > 0 > 1" voter swaps 2 and 0
    [1, 2, 2]
    """
    pos, weights = _grouped_levels(profile)
    m = profile.n_alternatives
    n = int(weights.sum())
    S = profile.support_matrix()
    majority = n // 2 + 1
    if n == 0:  # no voters: nobody can become a Condorcet winner; all tie
        return outcome_from_scores([0] * m, higher_is_better=False)
    scores = []
    for a in range(m):
        others = np.array([d for d in range(m) if d != a], dtype=np.int64)
        deficit = majority - S[a, others]
        rivals = others[deficit > 0]
        deficit = deficit[deficit > 0]
        scores.append(_dodgson_score(pos, weights, a, rivals, deficit) if rivals.size else 0)
    return outcome_from_scores(scores, higher_is_better=False)


def _dodgson_score(pos, weights, a, rivals, deficit) -> int:
    """Exact Dodgson score of ``a`` given the rivals it must still pass ``deficit`` more times.

    Moves: ``(ballot r, length k)`` where the ``k``-th alternative ``a`` passes on ``r``
    is a rival (any other move is dominated by the shorter one passing the same
    rivals).  Every swap passes at most one rival, so ``LB = sum(deficit)`` is a lower
    bound and a move's *waste* (its length minus the rivals it passes) adds to the
    cost: with a greedy solution of cost ``UB``, moves wasting more than ``UB - LB``
    cannot be in an optimum and are dropped; the greedy solution is handed to HiGHS
    as the incumbent.  (Merging ballots left with the same moves into weighted
    types was tried and dropped: HiGHS branched far longer on the merged program.)
    """
    p = pos[:, a]
    gap_all = p[:, None] - pos[:, rivals]  # (n_b, n_rivals): k that passes the rival, > 0 if it is above a
    col_ballot, col_which = np.nonzero(gap_all > 0)
    col_k = gap_all[col_ballot, col_which]
    gap = gap_all[col_ballot]  # (n_var, n_rivals)
    passes = (gap > 0) & (col_k[:, None] >= gap)  # move j lifts a above rival d
    waste = col_k - passes.sum(axis=1)
    lower = int(deficit.sum())
    greedy = _dodgson_greedy(col_ballot, col_k, passes, waste, weights, deficit)
    if greedy is not None:
        upper = int(col_k @ greedy)
        if upper == lower:
            return lower
        keep = waste <= upper - lower
        col_ballot, col_k, passes, greedy = col_ballot[keep], col_k[keep], passes[keep], greedy[keep]
    movable, row = np.unique(col_ballot, return_inverse=True)
    n_var = col_ballot.size
    lp = LinearProgram(n_var, lb=0.0, ub=weights[col_ballot].astype(np.float64),
                       integrality=np.ones(n_var, dtype=bool))
    once = sp.csr_array((np.ones(n_var), (row.reshape(-1), np.arange(n_var))), shape=(movable.size, n_var))
    lp.add_constraints("one_move_per_voter", once, upper=weights[movable].astype(np.float64))
    lp.add_constraints("majority", sp.csr_array(passes.T.astype(np.float64)), lower=deficit.astype(np.float64))
    result = lp.solve(col_k.astype(np.float64), start=greedy)
    status = getattr(result.status, "value", str(result.status))
    if status != "optimal":  # pragma: no cover - moving a to the top of every ballot is always feasible
        raise SolverError(f"dodgson: the integer program for alternative {a} ended with status {status!r} "
                          f"({result.info.message}).")
    return int(round(result.objective))


def _dodgson_greedy(col_ballot, col_k, passes, waste, weights, deficit):
    """Voters per move covering every deficit, taking the least wasteful moves first; None if it gets stuck."""
    need = deficit.astype(np.int64).copy()
    left = weights.astype(np.int64).copy()
    x = np.zeros(col_k.size)
    for j in np.lexsort((col_k, waste)):
        useful = need[passes[j]]
        if useful.size == 0 or useful.max() <= 0 or left[col_ballot[j]] == 0:
            continue
        t = min(int(left[col_ballot[j]]), int(useful.max()))
        x[j] += t
        left[col_ballot[j]] -= t
        need[passes[j]] -= t
        if need.max() <= 0:
            return x
    return None
