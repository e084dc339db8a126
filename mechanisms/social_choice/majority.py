"""The Condorcet family: rules computed from the pairwise majority margins.

Every rule here reads the profile through its margin matrix ``M`` (``M[a, b]`` =
voters ranking ``a`` above ``b`` minus voters ranking ``b`` above ``a``), so it
accepts any ballots: ties count for neither side and an alternative a ballot
leaves unranked counts as tied below every ranked one.  The path computations
are the batched array functions of :mod:`solvers.margins`.  The majority-graph
sets (Smith, Schwartz, uncovered) are in :mod:`.tournament_solutions`.
"""

from __future__ import annotations

import numpy as np

from solvers import margins as mg
from solvers.validation import check_array, check_option, fail

from ._common import outcome_from_scores
from .scoring import borda
from .registry import register_rule
from .result import Outcome

__all__ = ["condorcet", "copeland", "llull", "minimax", "schulze", "ranked_pairs_tb", "split_cycle",
           "stable_voting", "black"]

_CONDORCET = ("Marquis de Condorcet, Essai sur l'application de l'analyse a la probabilite des decisions rendues a "
              "la pluralite des voix (1785).")
_SPLIT_CYCLE = ("W. H. Holliday and E. Pacuit, Split Cycle: a new Condorcet-consistent voting method independent of "
                "clones and immune to spoilers, Public Choice 197 (2023) 1-62.")
_CC = ("condorcet_consistent",)


def _winner_mask_outcome(mask) -> Outcome:
    return Outcome(winners=np.flatnonzero(mask))


def _peel(beats: np.ndarray) -> tuple[tuple[int, ...], ...]:
    """Layers of maximal elements of an acyclic relation ``beats`` (best layer first)."""
    m = beats.shape[0]
    left = np.ones(m, dtype=bool)
    layers = []
    while left.any():
        beaten = (beats & left[:, None]).any(axis=0)
        layer = left & ~beaten
        if not layer.any():  # pragma: no cover - only for cyclic input
            layer = left.copy()
        layers.append(tuple(int(a) for a in np.flatnonzero(layer)))
        left &= ~layer
    return tuple(layers)


@register_rule("condorcet", name="Condorcet", input_kind="ordinal", algorithms=("margins",),
               references=(_CONDORCET,), properties=_CC)
def condorcet(profile):
    """The Condorcet winner if there is one, otherwise every alternative ties.

    A Condorcet winner beats every other alternative by a strict pairwise
    majority.  Returning all alternatives when there is none is pref_voting's
    convention for its ``condorcet`` method.

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] Marquis de Condorcet, *Essai sur l'application de l'analyse a la
       probabilite des decisions rendues a la pluralite des voix* (1785).

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> condorcet(Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])).winners
    (0, 1, 2)
    """
    cw = int(mg.condorcet_winner(profile.margin_matrix()))
    return Outcome(winners=[cw] if cw >= 0 else range(profile.n_alternatives))


@register_rule("copeland", name="Copeland", input_kind="ordinal", algorithms=("margins",),
               references=("A. H. Copeland, A reasonable social welfare function, Seminar on Applications of "
                           "Mathematics to Social Sciences, University of Michigan (1951).",),
               properties=_CC + ("scores", "ranks"))
def copeland(profile):
    """Copeland: pairwise majority wins minus losses.

    Scores are ``wins - losses`` (higher is better), which ranks exactly like the
    "1 per win, 1/2 per tie" convention.

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] A. H. Copeland, "A reasonable social welfare function", Seminar on
       Applications of Mathematics to Social Sciences, University of Michigan (1951).

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> copeland(Profile.from_rankings([[0, 1, 2], [1, 0, 2]])).scores.tolist()
    [1, 1, -2]
    """
    return outcome_from_scores([int(v) for v in mg.copeland_scores(profile.margin_matrix())])


@register_rule("llull", name="Llull", input_kind="ordinal", algorithms=("margins",),
               references=("G. Hagele and F. Pukelsheim, Llull's writings on electoral systems, Studia Lulliana 41 "
                           "(2001) 3-38 (Ramon Llull, Artifitium electionis personarum, c. 1274).",),
               properties=_CC + ("scores", "ranks"))
def llull(profile):
    """Llull: the number of alternatives an alternative beats or ties in a pairwise majority.

    Scores are ``wins + ties`` (higher is better).

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] G. Hagele and F. Pukelsheim, "Llull's writings on electoral systems",
       *Studia Lulliana* 41 (2001) 3-38.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> llull(Profile.from_rankings([[0, 1, 2], [1, 0, 2]])).scores.tolist()
    [2, 2, 0]
    """
    return outcome_from_scores([int(v) for v in mg.copeland_scores(profile.margin_matrix(), win=1, tie=1, loss=0)])


@register_rule("minimax", name="Minimax (Simpson-Kramer)", input_kind="ordinal", algorithms=("margins",),
               references=("P. B. Simpson, On defining areas of voter choice: Professor Tullock on stable voting, "
                           "Quarterly J. Economics 83 (1969) 478-490.",
                           "G. H. Kramer, A dynamical model of political equilibrium, J. Economic Theory 16 (1977) "
                           "310-334."),
               aliases=("simpson_kramer",), properties=_CC + ("scores", "ranks"))
def minimax(profile, *, strength="margin"):
    """Minimax: the alternatives whose worst pairwise defeat is the mildest win.

    Parameters
    ----------
    profile : Profile
    strength : {"margin", "winning_votes", "pairwise_opposition"}
        Size of a defeat of ``a`` by ``b``: the margin ``M[b, a]`` (default), or the
        support ``S[b, a]`` of the winner of that defeat; only actual defeats count
        for these two, and an undefeated alternative scores 0.
        ``"pairwise_opposition"`` takes the largest support ``S[b, a]`` against
        ``a`` whether or not ``b`` wins.  All three agree on complete strict ballots.

    Notes
    -----
    ``scores`` are the worst-defeat sizes: *lower is better*; ``ranking`` orders by them.

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] P. B. Simpson, "On defining areas of voter choice: Professor Tullock on
       stable voting", *Quarterly Journal of Economics* 83 (1969) 478-490.
    .. [2] G. H. Kramer, "A dynamical model of political equilibrium", *Journal of
       Economic Theory* 16 (1977) 310-334.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    >>> minimax(p).winners, minimax(p).scores.tolist()
    ((0,), [1, 3, 3])
    """
    strength = check_option(strength, "strength", "minimax", ("margin", "winning_votes", "pairwise_opposition"))
    M = profile.margin_matrix()
    m = M.shape[0]
    off = ~np.eye(m, dtype=bool)
    if strength == "margin":
        worst = np.where((M > 0) & off, M, 0).max(axis=0)
    else:
        S = profile.support_matrix()
        if strength == "winning_votes":
            worst = np.where((M > 0) & off, S, 0).max(axis=0)
        else:
            worst = np.where(off, S, 0).max(axis=0)
    return outcome_from_scores([int(v) for v in worst], higher_is_better=False)


@register_rule("schulze", name="Schulze (beat path)", input_kind="ordinal", algorithms=("floyd_warshall",),
               references=("M. Schulze, A new monotonic, clone-independent, reversal symmetric, and "
                           "Condorcet-consistent single-winner election method, Social Choice and Welfare 36 (2011) "
                           "267-303.",),
               aliases=("beat_path",), properties=_CC + ("ranks",))
def schulze(profile, *, strength="margin"):
    """Schulze's beat-path method.

    The strength of a path is its weakest link; ``P[a, b]`` is the strongest path
    from ``a`` to ``b`` (vectorized Floyd--Warshall, :func:`solvers.margins.widest_paths`).
    The winners are the ``a`` with ``P[a, b] >= P[b, a]`` for all ``b``.

    Parameters
    ----------
    profile : Profile
    strength : {"margin", "winning_votes"}
        Strength of a link ``a -> b`` (when ``a`` beats ``b``): the margin (default,
        pref_voting's convention) or the winning votes ``S[a, b]`` (Schulze's
        recommendation for ballots with ties or truncation).  They agree on
        complete strict ballots.

    Notes
    -----
    ``ranking`` lists the layers of Schulze's strict partial order
    ``P[a, b] > P[b, a]`` (which is transitive): first the undominated
    alternatives (the winners), then those undominated once they are removed, and
    so on.

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
       Condorcet-consistent single-winner election method", *Social Choice and
       Welfare* 36 (2011) 267-303.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    >>> schulze(p).ranking
    ((0,), (1,), (2,))
    """
    strength = check_option(strength, "strength", "schulze", ("margin", "winning_votes"))
    M = profile.margin_matrix()
    P = mg.schulze_strengths(M, support=profile.support_matrix() if strength == "winning_votes" else None)
    ranking = _peel(P > P.T)
    return Outcome(winners=ranking[0], ranking=ranking)


@register_rule("ranked_pairs_tb", name="Ranked pairs (fixed tie-breaker)", input_kind="ordinal", resolute=True,
               algorithms=("incremental_closure",),
               references=("T. N. Tideman, Independence of clones as a criterion for voting rules, Social Choice and "
                           "Welfare 4 (1987) 185-206.",
                           "T. M. Zavist and T. N. Tideman, Complete independence of clones in the ranked pairs rule, "
                           "Social Choice and Welfare 6 (1989) 167-173."),
               properties=_CC + ("ranks",),
               violates={"neutrality": "pairs with equal margins are ordered by the fixed priority order of "
                                       "alternatives"})
def ranked_pairs_tb(profile, *, priority=None):
    """Tideman's ranked pairs with a fixed tie-breaking order: one winner and a full ranking.

    Every ordered pair ``(a, b)`` with ``M[a, b] >= 0`` is considered from the
    largest margin down and *locked in* unless it would close a cycle with the
    pairs already locked; the locked pairs form a linear order whose top is the
    winner.  Pairs with equal margins (including both directions of a zero
    margin) are taken in lexicographic order of ``(priority rank of a, priority
    rank of b)``, as in pref_voting's ``ranked_pairs_tb`` (Zavist and Tideman's
    tie-breaking ranking).

    Parameters
    ----------
    profile : Profile
    priority : sequence of int, optional
        A permutation of the alternative ids, highest priority first (default
        ``0, 1, ..., m - 1``).

    Notes
    -----
    Resolute and not neutral.  The neutral version (winners under all tie orders)
    is ``ranked_pairs``.

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones.

    References
    ----------
    .. [1] T. N. Tideman, "Independence of clones as a criterion for voting rules",
       *Social Choice and Welfare* 4 (1987) 185-206.
    .. [2] T. M. Zavist and T. N. Tideman, "Complete independence of clones in the
       ranked pairs rule", *Social Choice and Welfare* 6 (1989) 167-173.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> ranked_pairs_tb(p).ranking, ranked_pairs_tb(p, priority=[2, 1, 0]).winners
    (((0,), (1,), (2,)), (1,))
    """
    M = profile.margin_matrix()
    m = M.shape[0]
    rank = _priority_rank(priority, m, "ranked_pairs_tb")
    a_idx, b_idx = np.nonzero((M >= 0) & ~np.eye(m, dtype=bool))
    order = np.lexsort((rank[b_idx], rank[a_idx], -M[a_idx, b_idx]))
    reach = np.eye(m, dtype=bool)  # reach[x, y]: a locked path x -> ... -> y (reflexive)
    for e in order:
        a, b = int(a_idx[e]), int(b_idx[e])
        if reach[b, a] or reach[a, b]:
            continue  # would close a cycle, or already implied
        reach |= reach[:, a][:, None] & reach[b, :][None, :]
    beaten_by = reach.sum(axis=1)  # in a linear order: how many it is above (plus itself)
    ranking = tuple((int(a),) for a in np.argsort(-beaten_by, kind="stable"))
    return Outcome(winners=ranking[0], ranking=ranking)


def _priority_rank(priority, m: int, owner: str) -> np.ndarray:
    if priority is None:
        return np.arange(m)
    order = check_array(priority, "priority", owner, dtype="int", ndim=1)
    if sorted(order.tolist()) != list(range(m)):
        fail("priority", owner, f"a permutation of the alternative ids 0..{m - 1}, highest priority first", order)
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    return rank


@register_rule("split_cycle", name="Split Cycle", input_kind="ordinal", algorithms=("floyd_warshall",),
               references=(_SPLIT_CYCLE,), properties=_CC)
def split_cycle(profile):
    """Split Cycle: in every majority cycle discard the weakest links; the undefeated alternatives win.

    ``a`` defeats ``b`` when ``M[a, b] > 0`` and ``M[a, b]`` exceeds the strength
    (weakest margin) of every majority path from ``b`` back to ``a``.

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] W. H. Holliday and E. Pacuit, "Split Cycle: a new Condorcet-consistent
       voting method independent of clones and immune to spoilers", *Public Choice*
       197 (2023) 1-62.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    >>> split_cycle(p).winners
    (0,)
    """
    return _winner_mask_outcome(mg.split_cycle_winners(profile.margin_matrix()))


@register_rule("stable_voting", name="Stable Voting", input_kind="ordinal", algorithms=("memoized_recursion",),
               references=("W. H. Holliday and E. Pacuit, Stable Voting, Constitutional Political Economy 34 (2023) "
                           "421-433.",),
               properties=_CC, report_limits={"max_alternatives": 20})
def stable_voting(profile):
    """Stable Voting: the winner of the strongest match whose winner also wins without the loser.

    Recursively: with one alternative it wins.  Otherwise consider the pairs
    ``(a, b)`` from the largest margin ``M[a, b]`` down; ``a`` wins if it is a Split
    Cycle winner and wins Stable Voting once ``b`` is removed.  The winners are all
    such ``a`` at the largest margin where one exists.  Memoized over subsets of
    alternatives, and pruned with Split Cycle (Stable Voting winners are Split
    Cycle winners); still exponential in the worst case, like every known
    algorithm (many alternatives with many exactly tied margins).

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] W. H. Holliday and E. Pacuit, "Stable Voting", *Constitutional Political
       Economy* 34 (2023) 421-433.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    >>> stable_voting(p).winners
    (0,)
    """
    M = profile.margin_matrix()
    m = M.shape[0]
    memo: dict[tuple[int, ...], frozenset[int]] = {}
    undefeated_memo: dict[tuple[int, ...], np.ndarray] = {}

    def undefeated_in(alts: tuple[int, ...]) -> np.ndarray:
        if alts not in undefeated_memo:
            idx = np.array(alts)
            undefeated_memo[alts] = mg.split_cycle_winners(M[np.ix_(idx, idx)])
        return undefeated_memo[alts]

    def wins_without(alts: tuple[int, ...], i: int, j: int) -> bool:
        """Is alts[i] a Stable Voting winner once alts[j] is removed?"""
        rest = alts[:j] + alts[j + 1:]
        if rest not in memo:
            # Stable Voting winners are Split Cycle winners: test that first, and skip the
            # recursion when Split Cycle has a single winner there
            undefeated = undefeated_in(rest)
            if not undefeated[i - (i > j)]:
                return False
            if undefeated.sum() == 1:
                return True
        return alts[i] in sv(rest)

    def sv(alts: tuple[int, ...]) -> frozenset[int]:
        if alts in memo:
            return memo[alts]
        undefeated = undefeated_in(alts)
        idx = np.array(alts)
        sub = M[np.ix_(idx, idx)]
        if undefeated.sum() == 1:  # includes the Condorcet winner
            result = frozenset({alts[int(np.flatnonzero(undefeated)[0])]})
        elif not sub.any():  # every pair tied: by induction everyone wins
            result = frozenset(alts)
        else:
            ia, ib = np.nonzero(~np.eye(len(alts), dtype=bool) & undefeated[:, None])
            vals = sub[ia, ib]
            found: set[int] = set()
            for value in np.unique(vals)[::-1]:
                for i, j in zip(ia[vals == value], ib[vals == value]):
                    if alts[i] not in found and wins_without(alts, int(i), int(j)):
                        found.add(alts[i])
                if found:
                    break
            result = frozenset(found)
        memo[alts] = result
        return result

    return Outcome(winners=sorted(sv(tuple(range(m)))))


@register_rule("black", name="Black", input_kind="ordinal", algorithms=("margins",),
               references=("D. Black, The Theory of Committees and Elections, Cambridge University Press (1958).",),
               aliases=("blacks",), properties=_CC)
def black(profile, *, truncation="average"):
    """Black's rule: the Condorcet winner if there is one, otherwise the Borda winners.

    Parameters
    ----------
    profile : Profile
    truncation : {"average", "zero"}
        The Borda convention for unranked alternatives (see :func:`borda`).

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] D. Black, *The Theory of Committees and Elections*, Cambridge University
       Press (1958).

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> black(Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]])).winners
    (0,)
    """
    cw = int(mg.condorcet_winner(profile.margin_matrix()))
    if cw >= 0:
        return Outcome(winners=[cw])
    return Outcome(winners=borda.function(profile, truncation=truncation).winners)

