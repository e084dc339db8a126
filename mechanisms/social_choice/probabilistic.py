"""Probabilistic rules on ordinal profiles: maximal lotteries, random dictatorship, proportional Borda.

Each returns a ``lottery`` (one probability per alternative); ``winners`` is the
set of alternatives that can be drawn (see each docstring for the exact
convention when the lottery is not unique).  The solvers are the array
functions of :mod:`solvers.games`.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from solvers.games import maximal_lottery as _maximal_lottery
from solvers.validation import check_real

from ._common import check_truncation
from .registry import register_rule
from .result import Outcome
from .scoring import borda

__all__ = ["maximal_lottery", "random_dictatorship", "proportional_borda"]

_FISHBURN = ("P. C. Fishburn, Probabilistic social choice based on simple voting comparisons, Review of Economic "
             "Studies 51 (1984) 683-692.")
_KREWERAS = "G. Kreweras, Aggregation of preference orderings, Mathematics and Social Sciences I (1965) 73-79."
_BRANDT = ("F. Brandt, Rolling the dice: recent results in probabilistic social choice, Trends in Computational "
           "Social Choice, AI Access (2017) 3-26.")
_GIBBARD = "A. Gibbard, Manipulation of schemes that mix voting with chance, Econometrica 45 (1977) 665-681."
_BARBERA = ("S. Barbera, Majority and positional voting in a probabilistic framework, Review of Economic Studies 46 "
            "(1979) 379-389.")


def _uniform(m: int) -> Outcome:
    return Outcome(winners=range(m), lottery=np.full(m, 1.0 / m))


@register_rule("maximal_lottery", name="Maximal lotteries", input_kind="ordinal", probabilistic=True,
               algorithms=("auto", "enumeration", "lp", "double_oracle"), references=(_KREWERAS, _FISHBURN, _BRANDT),
               aliases=("maximal_lotteries", "ml"), properties=("condorcet_consistent", "lottery"))
def maximal_lottery(profile, *, atol=1e-9, algorithm="auto"):
    """Maximal lottery: a lottery that no alternative beats in expectation on the pairwise margins.

    A lottery ``p`` is maximal when ``sum_a p[a] M[a, b] >= 0`` for every
    alternative ``b`` (``M`` the margin matrix): an optimal mixed strategy of the
    symmetric zero-sum game with payoff ``M``, computed by
    :func:`solvers.games.maximal_lottery` (Condorcet winner, support enumeration
    for up to 8 alternatives, otherwise an LP or a double oracle).

    Parameters
    ----------
    profile : Profile
    atol : float
        Tolerance of the certificate and of the support decisions.

    Notes
    -----
    The maximal lottery is unique when the number of voters is odd and ballots
    are strict (no zero margins), but not in general.  ``lottery`` is then the
    *most even* maximal lottery (the leximin point of the probabilities over their
    polytope: unique, so it does not depend on how alternatives or voters are
    ordered), and
    ``winners`` is the *essential set*: every alternative with positive
    probability in some maximal lottery (Dutta and Laslier 1999), which does not
    depend on that choice.  When it is unique, ``winners`` is the support of
    ``lottery``.  A Condorcet winner gets probability one.

    Ties and truncation: computed from the margin matrix, so a ballot that ties
    two alternatives counts for neither and unranked alternatives tie below the
    ranked ones.

    References
    ----------
    .. [1] G. Kreweras, "Aggregation of preference orderings", *Mathematics and
       Social Sciences I* (1965) 73-79.
    .. [2] P. C. Fishburn, "Probabilistic social choice based on simple voting
       comparisons", *Review of Economic Studies* 51 (1984) 683-692.
    .. [3] F. Brandt, "Rolling the dice: recent results in probabilistic social
       choice", *Trends in Computational Social Choice* (2017) 3-26.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> res = maximal_lottery(p)
    >>> res.lottery.round(6).tolist(), res.winners
    ([0.333333, 0.333333, 0.333333], (0, 1, 2))
    """
    atol = check_real(atol, "atol", "maximal_lottery", low=0.0, low_open=True)
    res = _maximal_lottery(profile.margin_matrix(), method=algorithm, atol=atol, essential=True,
                           canonical=True).raise_for_status()
    return Outcome(winners=res.essential, lottery=np.asarray(res.lottery))


@register_rule("random_dictatorship", name="Random dictatorship", input_kind="ordinal", probabilistic=True,
               algorithms=("top_counts",), references=(_GIBBARD,), aliases=("random_dictator",),
               properties=("lottery",))
def random_dictatorship(profile):
    """Random dictatorship: draw a voter uniformly (by weight) and elect their top choice.

    ``lottery[a]`` is the share of voters ranking ``a`` first (plurality shares).

    Notes
    -----
    Ties and truncation: a voter whose top group ties ``k`` alternatives gives
    each of them ``1/k`` of their weight (the dictator breaks their own tie
    uniformly).  A ballot that ranks nothing abstains; if every ballot abstains
    (or there are no voters) the lottery is uniform.  ``winners`` is the support
    of the lottery, decided exactly.  The only strategyproof and ex post
    efficient probabilistic rule for strict ballots (Gibbard 1977).

    References
    ----------
    .. [1] A. Gibbard, "Manipulation of schemes that mix voting with chance",
       *Econometrica* 45 (1977) 665-681.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_weak_orders([[[0], [1, 2]], [[1, 2], [0]]], weights=[2, 2])
    >>> random_dictatorship(p).lottery.tolist()
    [0.5, 0.25, 0.25]
    """
    m = profile.n_alternatives
    ranks, weights = profile.ranks, profile.weights
    top = ranks == 0
    k = top.sum(axis=1)
    voting = (k > 0) & (weights > 0)
    if not voting.any():
        return _uniform(m)
    shares = [Fraction(0)] * m
    for size in np.unique(k[voting]):
        rows = voting & (k == size)
        counts = weights[rows] @ top[rows].astype(np.int64)
        for a in np.flatnonzero(counts):
            shares[a] += Fraction(int(counts[a]), int(size))
    total = sum(shares)
    lottery = np.array([float(s / total) for s in shares])
    return Outcome(winners=[a for a in range(m) if shares[a] > 0], lottery=lottery)


@register_rule("proportional_borda", name="Proportional Borda", input_kind="ordinal", probabilistic=True,
               algorithms=("margins",), references=(_BARBERA, _BRANDT), aliases=("borda_lottery",),
               properties=("lottery",))
def proportional_borda(profile, *, truncation="average"):
    """Proportional Borda: elect each alternative with probability proportional to its Borda score.

    Parameters
    ----------
    profile : Profile
    truncation : {"average", "zero"}
        The Borda convention for tied and unranked alternatives, as in
        :func:`~mechanisms.social_choice.scoring.borda` (``"average"``: a tied
        group, and the unranked alternatives as the bottom group, share the
        average of the points of the positions they span).

    Notes
    -----
    Scores are exact; ``winners`` are the alternatives with a positive score.
    When every score is zero (one alternative, or no voters) the lottery is uniform.

    References
    ----------
    .. [1] S. Barbera, "Majority and positional voting in a probabilistic
       framework", *Review of Economic Studies* 46 (1979) 379-389.
    .. [2] F. Brandt, "Rolling the dice: recent results in probabilistic social
       choice", *Trends in Computational Social Choice* (2017) 3-26.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 0, 2]])
    >>> proportional_borda(p).lottery.tolist()   # Borda scores 3, 3, 0
    [0.5, 0.5, 0.0]
    """
    truncation = check_truncation(truncation, "proportional_borda")
    m = profile.n_alternatives
    scores = np.asarray(borda.function(profile, truncation=truncation).scores)
    total = scores.sum()
    if total <= 0:
        return _uniform(m)
    return Outcome(winners=np.flatnonzero(scores > 0), lottery=scores / total)
