"""RLHF-shaped rules: Bradley-Terry and Plackett-Luce scores, linear social choice, group maxmin.

These rules read pairwise comparisons (:class:`~mechanisms.profiles.PairwiseComparisons`,
the shape of RLHF preference data) and, where stated, ordinal profiles through
their pairwise comparisons (each voter compares every pair she ranks; a pair
she ranks at the same level is a tie; a pair she leaves unranked, or ranks one
of, counts as the ranked one winning).

* ``bradley_terry`` and ``plackett_luce``: maximum-likelihood utilities
  (:mod:`solvers.preference_models`), ranking by utility.
* ``linear_bradley_terry``: the reward model of RLHF in the *linear social
  choice* model of Ge et al. (2024): rewards ``features @ theta`` with ``theta``
  the Bradley-Terry MLE.
* ``leximax_copeland``: Ge et al.'s rule *leximax Copeland subject to Pareto
  optimality* (LCPO), which, unlike the Bradley-Terry MLE, satisfies Pareto
  optimality and pairwise majority consistency.
* ``maxmin_rlhf``: one Bradley-Terry model per annotator group, then the
  egalitarian (leximin) aggregation of the group utilities.

Score ties: utilities are floats from a convex solver (fitted to relative
stationarity ``1e-12``), reported rounded to 9 decimals; two alternatives whose scores differ by at most
``1e-9 * (1 + |a| + |b|)`` are tied in ``ranking``.

Regularization: the maximum-likelihood estimate does not exist when an item
never loses (or never wins) or the comparison graph is disconnected, which is
common in small data.  The rules therefore default to the ridge penalty
``l2 = 0.01`` (``l2 / 2 * ||theta||^2``, a weak Gaussian prior ``N(0, 100)`` on the
log-strengths; choix's ``alpha = 0.005``): the scores are then always defined,
unique and stable to the last reported digit, and on data with many
comparisons they differ from the plain MLE by ``O(l2 / n_comparisons)``.  Pass
``l2=0`` for the plain MLE (a ValidationError explains when it does not exist).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from solvers.lp import LinearProgram
from solvers.preference_models import fit_bradley_terry, fit_linear_bradley_terry, fit_plackett_luce
from solvers.result import Status
from solvers.validation import check_array, check_bool, check_option, check_real, fail

from .registry import register_rule
from .result import Outcome

__all__ = ["bradley_terry", "plackett_luce", "linear_bradley_terry", "leximax_copeland", "maxmin_rlhf",
           "comparisons_of"]

_BT = ("R. A. Bradley and M. E. Terry, Rank analysis of incomplete block designs I: the method of paired "
       "comparisons, Biometrika 39 (1952) 324-345.")
_PL = "R. L. Plackett, The analysis of permutations, Applied Statistics 24 (1975) 193-202."
_LUCE = "R. D. Luce, Individual Choice Behavior: A Theoretical Analysis, Wiley (1959)."
_GE = ("L. Ge, D. Halpern, E. Micha, A. D. Procaccia, I. Shapira, Y. Vorobeychik and J. Wu, Axioms for AI "
       "alignment from human feedback, NeurIPS 2024 (arXiv:2405.14758).")
_MAXMIN = ("S. Chakraborty, J. Qiu, H. Yuan, A. Koppel, F. Huang, D. Manocha, A. S. Bedi and M. Wang, "
           "MaxMin-RLHF: alignment with diverse human preferences, ICML 2024 (arXiv:2402.08925).")
_TIES = ("half", "davidson", "ignore")
_RTOL = 1e-9
_ATOL = 1e-12   # stationarity of the fits (relative); INACCURATE fits at this level are still used


# ---------------------------------------------------------------------- data access
def comparisons_of(profile):
    """Pairwise comparisons of a profile as arrays.

    Returns ``(comparisons, weights, ties, tie_weights)``: ``(winner, loser)``
    rows with their (integer) weights, and tied pairs with theirs.  For an
    ordinal profile each distinct ordered pair appears once with weight = number
    of voters ranking the first strictly above the second (unranked alternatives
    below ranked ones), and a pair is tied on a ballot that ranks both at the
    same level.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> comp, w, ties, tw = comparisons_of(Profile.from_weak_orders([[[0], [1, 2]], [[2], [0]]]))
    >>> comp.tolist(), w.tolist(), ties.tolist(), tw.tolist()
    ([[0, 1], [0, 2], [2, 0], [2, 1]], [2, 1, 1, 1], [[1, 2]], [1])
    """
    from mechanisms.profiles import PairwiseComparisons, Profile

    if isinstance(profile, PairwiseComparisons):
        w = np.asarray(profile.weights, dtype=np.int64)
        a, b, win = profile.item_a, profile.item_b, profile.winner
        decisive = (win >= 0) & (w > 0)
        loser = np.where(win == a, b, a)
        tied = (win < 0) & (w > 0)
        return (np.stack([win[decisive], loser[decisive]], axis=1), w[decisive],
                np.stack([a[tied], b[tied]], axis=1), w[tied])
    if isinstance(profile, Profile):
        S = profile.support_matrix()
        rows, cols = np.nonzero(S)
        ranks, weights = profile._grouped_arrays()
        R = (ranks >= 0).astype(np.int64)
        WR = R * np.asarray(weights, dtype=np.int64)[:, None]
        both = WR.T @ R                              # ballots ranking both a and b
        ranked_only = WR.T @ (1 - R)                 # a ranked, b unranked
        T = both - (S - ranked_only) - (S - ranked_only).T   # ranked both, at the same level
        np.fill_diagonal(T, 0)
        ta, tb = np.nonzero(np.triu(T, 1))
        return (np.stack([rows, cols], axis=1).astype(np.int64), S[rows, cols].astype(np.int64),
                np.stack([ta, tb], axis=1).astype(np.int64), T[ta, tb].astype(np.int64))
    raise TypeError(type(profile).__name__)  # pragma: no cover - the registry checks the kind


def _features(profile, features, owner):
    from mechanisms.profiles import PairwiseComparisons

    if features is None:
        if isinstance(profile, PairwiseComparisons) and profile.features is not None:
            X = np.asarray(profile.features, dtype=np.float64)
        else:   # one-hot: every alternative is its own feature, every ranking is linear
            X = np.eye(profile.n_alternatives)
    else:
        X = np.asarray(check_array(features, "features", owner, ndim=2, min_size=1), dtype=np.float64)
    if X.shape[0] != profile.n_alternatives:
        fail("features", owner, f"an array with one row per alternative ({profile.n_alternatives})", X)
    return X


def _float_ranking(scores, higher_is_better=True):
    """Groups of (numerically) equal scores, best first: neighbours within _RTOL are tied."""
    s = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-s if higher_is_better else s, kind="stable")
    groups, current = [], [int(order[0])]
    for prev, cur in zip(order[:-1], order[1:]):
        a, b = s[prev], s[cur]
        if a == b or abs(a - b) <= _RTOL * (1.0 + abs(a) + abs(b)):
            current.append(int(cur))
        else:
            groups.append(tuple(sorted(current)))
            current = [int(cur)]
    groups.append(tuple(sorted(current)))
    return tuple(groups)


def _scored(scores):
    # fitted to stationarity 1e-12 and rounded to 9 decimals: results then do not depend on the order in
    # which ballots and alternatives were summed
    scores = np.round(np.asarray(scores, dtype=np.float64), 9) + 0.0
    ranking = _float_ranking(scores)
    return Outcome(winners=ranking[0], ranking=ranking, scores=scores)


def _check_fit(result, owner, l2):
    if result.status is Status.UNBOUNDED:
        fail("l2", owner, "positive for this profile (its maximum-likelihood estimate does not exist)", l2,
             hint=result.info.message[0].upper() + result.info.message[1:] + ".")
    if result.x is None:  # pragma: no cover - solver failure on valid data
        fail("profile", owner, "a profile the solver can handle", show_got=False,
             hint=f"Status {result.status.value}: {result.info.message}")
    return result


# ---------------------------------------------------------------------- Bradley-Terry / Plackett-Luce
@register_rule("bradley_terry", name="Bradley-Terry maximum likelihood", input_kind=("pairwise", "ordinal"),
               algorithms=("newton_cg",), references=(_BT, _GE), aliases=("btl",),
               properties=("scores", "ranks"))
def bradley_terry(profile, *, l2=0.01, ties="half"):
    """Bradley-Terry scores: the maximum-likelihood log-strengths of the comparisons.

    Parameters
    ----------
    profile : PairwiseComparisons or Profile
        An ordinal profile is read through its pairwise comparisons (see the module
        docstring).
    l2 : float
        Ridge penalty ``l2 / 2 * ||theta||^2`` (default ``0.01``; ``0`` for the plain MLE).
    ties : {"half", "davidson", "ignore"}
        A tie counts as half a win for each side (default), enters Davidson's
        (1970) tie model, or is ignored.

    Notes
    -----
    ``scores`` are log-strengths with mean 0 (higher is better); ``ranking`` sorts
    them (scores within ``1e-9`` relative are tied).  Computed by
    :func:`solvers.preference_models.fit_bradley_terry` (Newton-CG over pair
    counts; 10,000 items and 1,000,000 comparisons in seconds).  Ge et al. show
    that this rule (and every convex loss-based rule) can violate Pareto
    optimality and pairwise majority consistency in the linear model.

    References
    ----------
    .. [1] R. A. Bradley and M. E. Terry, "Rank analysis of incomplete block designs I:
       the method of paired comparisons", *Biometrika* 39 (1952) 324-345.
    .. [2] L. Ge et al., "Axioms for AI alignment from human feedback", NeurIPS 2024.

    Examples
    --------
    >>> from mechanisms.profiles import PairwiseComparisons
    >>> pc = PairwiseComparisons([0, 0, 0, 1], [1, 1, 1, 0], [0, 0, 0, 1])
    >>> r = bradley_terry(pc, l2=0)
    >>> r.winners, round(float(r.scores[0] - r.scores[1]), 8)   # log 3 (scores are rounded to 9 decimals)
    ((0,), 1.09861229)
    """
    owner = "bradley_terry"
    l2 = check_real(l2, "l2", owner, low=0.0)
    ties = check_option(ties, "ties", owner, _TIES)
    comp, w, tie, tw = comparisons_of(profile)
    result = fit_bradley_terry(comp, n_items=profile.n_alternatives, weights=w, ties=tie, tie_weights=tw,
                               tie_model=ties, l2=l2, atol=_ATOL)
    return _scored(_check_fit(result, owner, l2).x)


@register_rule("plackett_luce", name="Plackett-Luce maximum likelihood", input_kind="ordinal", ballots="strict",
               algorithms=("newton_cg",), references=(_PL, _LUCE), properties=("scores", "ranks"))
def plackett_luce(profile, *, l2=0.01):
    """Plackett-Luce scores: the maximum-likelihood log-strengths of the rankings.

    Parameters
    ----------
    profile : Profile
        Strict ballots; a truncated ballot is a top-k ranking (the alternatives it
        leaves unranked are below every ranked one, so each ranked position is a
        choice among all alternatives not yet placed).
    l2 : float
        Ridge penalty (default ``0.01``; ``0`` for the plain MLE).

    Notes
    -----
    ``scores`` are log-strengths with mean 0 (higher is better).  On ballots of two
    alternatives this is ``bradley_terry``.  Computed by
    :func:`solvers.preference_models.fit_plackett_luce`.

    References
    ----------
    .. [1] R. L. Plackett, "The analysis of permutations", *Applied Statistics* 24
       (1975) 193-202.
    .. [2] R. D. Luce, *Individual Choice Behavior*, Wiley (1959).

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [0, 2, 1], [1, 0, 2]])
    >>> plackett_luce(p).ranking
    ((0,), (1,), (2,))
    """
    owner = "plackett_luce"
    l2 = check_real(l2, "l2", owner, low=0.0)
    rows, weights = profile._grouped_arrays()
    keep = weights > 0
    m = profile.n_alternatives
    levels = np.where(rows[keep] < 0, m, rows[keep])
    order = np.argsort(levels, axis=1, kind="stable")
    ranked = np.take_along_axis(levels, order, axis=1) < m
    rankings = np.where(ranked, order, -1)
    result = fit_plackett_luce(rankings, n_items=m, weights=weights[keep], unranked="below", l2=l2, atol=_ATOL)
    return _scored(_check_fit(result, owner, l2).x)


# ---------------------------------------------------------------------- linear social choice
@register_rule("linear_bradley_terry", name="Bradley-Terry over features (linear reward)",
               input_kind=("pairwise", "ordinal"), algorithms=("newton",), references=(_GE, _BT),
               properties=("scores", "ranks", "linear"))
def linear_bradley_terry(profile, *, features=None, l2=0.01, ties="half"):
    """Linear reward model: rewards ``features @ theta`` with ``theta`` the Bradley-Terry MLE.

    Parameters
    ----------
    profile : PairwiseComparisons or Profile
    features : array of shape (n_alternatives, d), optional
        Item feature vectors (default: ``profile.features`` of a comparison table,
        else one-hot vectors, which make this ``bradley_terry``).
    l2 : float
        Ridge penalty on ``theta`` (default ``0.01``; ``0``: plain MLE, which does not
        exist when the comparisons are linearly separable).
    ties : {"half", "ignore"}

    Notes
    -----
    This is the loss-based rule of Ge et al. (section 3.1) with the binary
    cross-entropy loss, i.e. the reward model of RLHF.  ``scores`` are the rewards
    ``features @ theta`` (higher is better).  It fails Pareto optimality and
    pairwise majority consistency (their Theorem 3.1): use ``leximax_copeland``
    for a rule that satisfies both.

    References
    ----------
    .. [1] L. Ge, D. Halpern, E. Micha, A. D. Procaccia, I. Shapira, Y. Vorobeychik and
       J. Wu, "Axioms for AI alignment from human feedback", NeurIPS 2024.
    .. [2] R. A. Bradley and M. E. Terry, *Biometrika* 39 (1952) 324-345.

    Examples
    --------
    >>> from mechanisms.profiles import PairwiseComparisons
    >>> pc = PairwiseComparisons([0, 1, 0], [1, 2, 2], [1, 2, 2], features=[[0.0], [1.0], [2.0]])
    >>> linear_bradley_terry(pc).ranking
    ((2,), (1,), (0,))
    """
    owner = "linear_bradley_terry"
    X = _features(profile, features, owner)
    l2 = check_real(l2, "l2", owner, low=0.0)
    ties = check_option(ties, "ties", owner, ("half", "ignore"))
    comp, w, tie, tw = comparisons_of(profile)
    result = fit_linear_bradley_terry(X, comp, weights=w, ties=tie, tie_weights=tw, tie_model=ties, l2=l2,
                                      atol=_ATOL)
    return _scored(_check_fit(result, owner, l2).scores)


def _majority_and_pareto(profile):
    """(M, P): M[a, b] = 1 if a strict majority prefers a to b; P[a, b] = True if every voter does."""
    from mechanisms.profiles import PairwiseComparisons

    m = profile.n_alternatives
    if isinstance(profile, PairwiseComparisons):
        comp, w, tie, tw = comparisons_of(profile)
        W = np.zeros((m, m), dtype=np.int64)
        np.add.at(W, (comp[:, 0], comp[:, 1]), w)
        T = np.zeros((m, m), dtype=np.int64)
        np.add.at(T, (tie[:, 0], tie[:, 1]), tw)
        T = T + T.T
        return (W > W.T).astype(np.int64), (W > 0) & (W.T == 0) & (T == 0)
    S = profile.support_matrix()
    n = int(profile.n_voters)
    P = (S == n) & (n > 0)
    np.fill_diagonal(P, False)
    return (S > S.T).astype(np.int64), P


class _Feasibility:
    """Is there a theta with (x_a - x_b) @ theta >= 1 for every required pair?  (Ge et al., footnote 4.)"""

    def __init__(self, X):
        self.X = X
        self.calls = 0

    def solve(self, pairs):
        self.calls += 1
        d = self.X.shape[1]
        if not pairs:
            return np.zeros(d)
        a = np.array([p[0] for p in pairs])
        b = np.array([p[1] for p in pairs])
        lp = LinearProgram(d, lb=-np.inf, ub=np.inf)
        lp.add_constraints("order", sp.csr_array(self.X[a] - self.X[b]), lower=np.ones(len(pairs)))
        res = lp.solve(np.zeros(d))
        return None if res.x is None else np.asarray(res.x)


@register_rule("leximax_copeland", name="Leximax Copeland subject to Pareto optimality (LCPO)",
               input_kind=("pairwise", "ordinal"), algorithms=("lp_sequence",), references=(_GE,),
               aliases=("lcpo",), properties=("scores", "ranks", "linear", "pareto_efficient",
                                              "pairwise_majority_consistent"),
               violates={"neutrality": "ties between equally scored feasible alternatives after the first "
                                       "position are broken by the smallest id (Ge et al. break them "
                                       "arbitrarily)"})
def leximax_copeland(profile, *, features=None, pareto=True):
    """Leximax Copeland subject to Pareto optimality (Ge et al. 2024): a feasible linear ranking.

    Parameters
    ----------
    profile : PairwiseComparisons or Profile
        Majority directions and Pareto dominance are read from the comparisons.
    features : array of shape (n_alternatives, d), optional
        Distinct feature vectors (default: ``profile.features`` of a comparison
        table, else one-hot vectors, under which every ranking is feasible and
        the rule is Copeland with Pareto constraints).  Only rankings induced by
        a linear reward ``features @ theta`` are feasible.
    pareto : bool
        ``True`` (default): LCPO; ``False``: plain leximax Copeland (a C1 rule, which
        Ge et al. show must fail Pareto optimality).

    Notes
    -----
    Definitions (Ge et al., sections 2 and 4):

    * Copeland score of ``a``: the number of alternatives ``b`` that a strict
      majority prefers ``a`` to (for comparison data: ``a`` won more of the
      comparisons of the pair than ``b``; ties count half each, so they do not move
      the majority).
    * ``a`` Pareto-dominates ``b`` when every voter ranks ``a`` above ``b`` (for
      comparison data: every comparison of the pair went to ``a``, and there is at
      least one).
    * Leximax: position by position, place the alternative with the highest
      Copeland score that can still be placed there by some linear reward ranking
      the placed alternatives in order, the candidate next, above every remaining
      alternative, and (LCPO) every dominating alternative above the dominated
      one.  Each test is the linear program ``(x_a - x_b) @ theta >= 1`` over the
      required pairs (their footnote 4); ``O(m^2)`` small LPs in all.

    The paper breaks ties between equally scored feasible alternatives
    arbitrarily: here ``winners`` is the full tied set at the first position and
    ``ranking`` (strict) breaks later ties by the smallest id (so the ranking is
    not neutral when such ties occur).  ``scores`` are the Copeland scores (the
    ranking follows them wherever linear feasibility allows).  A parameter
    inducing the ranking solves ``(x_a - x_b) @ theta >= 1`` along it
    (:class:`solvers.lp.LinearProgram`).  Raises ValidationError when the Pareto constraints
    admit no linear reward (impossible when every voter's ranking is induced by a
    linear reward, as the paper assumes).

    References
    ----------
    .. [1] L. Ge, D. Halpern, E. Micha, A. D. Procaccia, I. Shapira, Y. Vorobeychik and
       J. Wu, "Axioms for AI alignment from human feedback", NeurIPS 2024
       (arXiv:2405.14758), section 4, Theorem 4.3.

    Examples
    --------
    One feature: only the increasing and the decreasing orders are linear.  The
    majority ranking 1 > 0 > 2 is not; every voter prefers 1 to 0, so LCPO must
    rank 1 above 0, which leaves 2 > 1 > 0.  Without the Pareto constraints,
    leximax Copeland puts 0 (Copeland score 1) first:

    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[1, 0, 2], [1, 0, 2], [2, 1, 0]])
    >>> leximax_copeland(p, features=[[0.0], [1.0], [2.0]]).ranking
    ((2,), (1,), (0,))
    >>> leximax_copeland(p, features=[[0.0], [1.0], [2.0]], pareto=False).ranking
    ((0,), (1,), (2,))
    """
    owner = "leximax_copeland"
    X = _features(profile, features, owner)
    pareto = check_bool(pareto, "pareto", owner)
    m = X.shape[0]
    if np.unique(X, axis=0).shape[0] < m:
        fail("features", owner, "distinct feature vectors (one per alternative)", X,
             hint="Alternatives with equal features always get equal rewards.")
    M, P = _majority_and_pareto(profile)
    copeland = M.sum(axis=1)
    dominance = [(int(a), int(b)) for a, b in zip(*np.nonzero(P))] if pareto else []
    lp = _Feasibility(X)
    if dominance and lp.solve(dominance) is None:
        fail("profile", owner, "a profile whose Pareto dominance relation is induced by some linear reward over "
             "these features", show_got=False,
             hint="Some voter's preferences are not linear in the features; pass pareto=False for plain "
                  "leximax Copeland.")
    ranked: list[int] = []
    remaining = list(range(m))
    first_tied: tuple[int, ...] = (0,) if m == 1 else ()
    while remaining:
        if len(remaining) == 1:
            ranked.append(remaining.pop())
            break
        base = [(ranked[i], ranked[i + 1]) for i in range(len(ranked) - 1)]
        left = set(remaining)
        base += [(a, b) for a, b in dominance if a in left and b in left]
        order = sorted(remaining, key=lambda c: (-int(copeland[c]), c))
        feasible: list[int] = []
        best_score = None
        for c in order:
            if best_score is not None and copeland[c] < best_score:
                break
            pairs = base + ([(ranked[-1], c)] if ranked else []) + [(c, u) for u in remaining if u != c]
            if lp.solve(pairs) is not None:
                feasible.append(c)
                best_score = copeland[c]
                if ranked:  # later positions: the smallest id among the tied is placed
                    break
        if not feasible:  # pragma: no cover - a feasible extension always exists
            fail("profile", owner, "a profile with a feasible linear ranking", show_got=False)
        if not ranked:
            first_tied = tuple(feasible)
        ranked.append(feasible[0])
        remaining.remove(feasible[0])
    return Outcome(winners=first_tied, ranking=tuple((a,) for a in ranked), scores=copeland)


# ---------------------------------------------------------------------- group maxmin
def _group_of(annotators, groups, owner):
    ids = np.unique(annotators)
    if groups is None:
        return annotators.copy()
    if isinstance(groups, Mapping):
        missing = [int(a) for a in ids if int(a) not in groups]
        if missing:
            fail("groups", owner, "a mapping from every annotator id to a group", groups,
                 hint=f"Annotator {missing[0]} has no group.")
        labels = {g: i for i, g in enumerate(sorted(set(groups[int(a)] for a in ids), key=repr))}
        return np.array([labels[groups[int(a)]] for a in annotators], dtype=np.int64)
    arr = check_array(groups, "groups", owner, dtype="int", ndim=1, nonnegative=True)
    if arr.size <= int(ids.max()):
        fail("groups", owner, f"an array with one group id per annotator id (at least {int(ids.max()) + 1})", arr)
    return arr[annotators]


@register_rule("maxmin_rlhf", name="MaxMin over annotator groups (egalitarian Bradley-Terry)",
               input_kind="pairwise", algorithms=("newton_cg",), references=(_MAXMIN, _BT),
               aliases=("maxmin_groups",), properties=("scores", "ranks"))
def maxmin_rlhf(profile, *, groups=None, normalize="range", l2=0.01, ties="half"):
    """Egalitarian aggregation of per-group Bradley-Terry models (MaxMin-RLHF over items).

    Parameters
    ----------
    profile : PairwiseComparisons
        With annotator ids.
    groups : mapping or array, optional
        Group of each annotator: a mapping ``annotator id -> group`` or an array
        indexed by annotator id.  Default: every annotator is a group of its own.
    normalize : {"range", "std", "none"}
        Common scale of the group utilities: ``"range"`` (default) maps each
        group's scores affinely onto ``[0, 1]`` (best item 1, worst 0; a group whose
        scores are all equal gets 0.5 everywhere); ``"std"`` standardizes them
        (mean 0, standard deviation 1); ``"none"`` keeps the log-strength scale.
    l2 : float
        Ridge penalty of each group's fit (default ``0.01``; items a group never
        compared get that group's average score).
    ties : {"half", "davidson", "ignore"}

    Notes
    -----
    Each group's comparisons are fitted by :func:`~mechanisms.social_choice.bradley_terry`'s
    solver; ``scores`` are the minimum over groups of the normalized utilities
    (higher is better); ``ranking`` is leximin: items are compared by their
    vectors of group utilities sorted ascending, lexicographically (utilities
    rounded to 9 decimals to absorb solver noise).  The winners maximize the
    minimum group utility (the egalitarian objective of MaxMin-RLHF,
    Chakraborty et al. 2024, here over items rather than policies).  A table
    without comparisons (e.g. over a single item) ties every item, each at the
    utility of a group without data (0.5 under ``"range"``, 0 otherwise).

    References
    ----------
    .. [1] S. Chakraborty et al., "MaxMin-RLHF: alignment with diverse human
       preferences", ICML 2024 (arXiv:2402.08925).
    .. [2] R. A. Bradley and M. E. Terry, *Biometrika* 39 (1952) 324-345.

    Examples
    --------
    Annotators 0 and 1 (group "a") prefer item 0, annotator 2 (group "b") item 2;
    item 1 is everyone's second choice:

    >>> from mechanisms.profiles import PairwiseComparisons
    >>> pc = PairwiseComparisons([0, 1, 0, 2, 1, 2], [1, 2, 2, 1, 0, 0], [0, 1, 0, 2, 1, 2],
    ...                          annotator=[0, 0, 1, 2, 2, 2])
    >>> maxmin_rlhf(pc, groups={0: "a", 1: "a", 2: "b"}).winners
    (1,)
    """
    owner = "maxmin_rlhf"
    if profile.annotator is None:
        fail("profile", owner, "a comparison table with annotator ids", show_got=False,
             hint="Build it with PairwiseComparisons(..., annotator=...).")
    normalize = check_option(normalize, "normalize", owner, ("range", "std", "none"))
    l2 = check_real(l2, "l2", owner, low=0.0)
    ties = check_option(ties, "ties", owner, _TIES)
    group = _group_of(np.asarray(profile.annotator), groups, owner)
    m = profile.n_alternatives
    weights = np.asarray(profile.weights, dtype=np.int64)
    a, b, win = profile.item_a, profile.item_b, profile.winner
    rows = []
    for g in np.unique(group):
        mask = (group == g) & (weights > 0)
        decisive = mask & (win >= 0)
        tied = mask & (win < 0)
        loser = np.where(win == a, b, a)
        comp = np.stack([win[decisive], loser[decisive]], axis=1)
        result = fit_bradley_terry(comp, n_items=m, weights=weights[decisive],
                                   ties=np.stack([a[tied], b[tied]], axis=1), tie_weights=weights[tied],
                                   tie_model=ties, l2=l2, atol=_ATOL)
        theta = np.asarray(_check_fit(result, owner, l2).x)
        if normalize == "range":
            span = theta.max() - theta.min()
            u = (theta - theta.min()) / span if span > _RTOL * (1 + np.abs(theta).max()) else np.full(m, 0.5)
        elif normalize == "std":
            sd = theta.std()
            u = (theta - theta.mean()) / sd if sd > _RTOL * (1 + np.abs(theta).max()) else np.zeros(m)
        else:
            u = theta
        rows.append(u)
    if not rows:   # no comparisons at all: one uninformed group, every item tied at its neutral utility
        rows.append(np.full(m, 0.5 if normalize == "range" else 0.0))
    G = np.array(rows)                                   # (n_groups, m)
    scores = G.min(axis=0)
    keys = [tuple(np.round(np.sort(G[:, c]), 9).tolist()) for c in range(m)]
    distinct = sorted(set(keys), reverse=True)
    ranking = tuple(tuple(c for c in range(m) if keys[c] == k) for k in distinct)
    return Outcome(winners=ranking[0], ranking=ranking, scores=scores)
