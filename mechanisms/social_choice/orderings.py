"""Rules that choose orderings exactly: Kemeny, Slater and neutral Ranked Pairs.

All three read the profile through its margin matrix ``M`` (``M[a, b]`` =
voters ranking ``a`` above ``b`` minus voters ranking ``b`` above ``a``): a
ballot that ties two alternatives counts for neither, and an alternative a
ballot leaves unranked counts as tied below every ranked one.  They are solved
exactly where peer libraries enumerate ``m!`` orders: Kemeny and Slater by
:mod:`solvers.ordering` (decomposition, subset dynamic program, lazy-transitivity
MILP with HiGHS), neutral Ranked Pairs by the pruned search of
:mod:`solvers.ranked_pairs`.
"""

from __future__ import annotations

from solvers.ordering import kemeny_rankings, slater_rankings
from solvers.ranked_pairs import ranked_pairs as _ranked_pairs

from .registry import register_rule
from .result import Outcome

__all__ = ["kemeny", "slater", "ranked_pairs"]

_KEMENY = "J. G. Kemeny, Mathematics without numbers, Daedalus 88 (1959) 577-591."
_YOUNG = ("H. P. Young and A. Levenglick, A consistent extension of Condorcet's election principle, SIAM Journal on "
          "Applied Mathematics 35 (1978) 285-300.")
_SLATER = "P. Slater, Inconsistencies in a schedule of paired comparisons, Biometrika 48 (1961) 303-312."
_TIDEMAN = ("T. N. Tideman, Independence of clones as a criterion for voting rules, Social Choice and Welfare 4 "
            "(1987) 185-206.")
_BRILL = "M. Brill and F. Fischer, The price of neutrality for the ranked pairs method, AAAI 2012, 1299-1305."
_CC = ("condorcet_consistent",)


def _ordering_outcome(result) -> Outcome:
    result.raise_for_status()
    unique = result.complete and len(result.rankings) == 1
    ranking = tuple((a,) for a in result.rankings[0]) if unique else None
    return Outcome(winners=result.tops, ranking=ranking)


@register_rule("kemeny", name="Kemeny-Young", input_kind="ordinal", algorithms=("auto", "dp", "milp"),
               references=(_KEMENY, _YOUNG), aliases=("kemeny_young",), properties=_CC,
               report_limits={"max_alternatives": 40})
def kemeny(profile, *, algorithm="auto"):
    """Kemeny-Young: the rankings closest to the ballots; winners are the tops of all of them.

    A Kemeny ranking maximizes the total margin of the ordered pairs it agrees
    with, ``sum_{a ranked above b} M[a, b]``, equivalently minimizes the total
    Kendall tau distance to the ballots.  ``winners`` are all alternatives ranked
    first by *some* Kemeny ranking; ``ranking`` is the Kemeny ranking when it is
    unique (else None).  Every optimal ranking is available from
    :func:`solvers.ordering.kemeny_rankings` (``all_optimal=True``).

    Parameters
    ----------
    profile : Profile
    algorithm : {"auto", "dp", "milp"}
        ``"auto"``: exact dynamic program on blocks of up to 16 alternatives,
        lazy-transitivity MILP beyond (blocks are the strongly connected pieces
        of the majority relation; every Kemeny ranking respects their order).

    Notes
    -----
    Ties and truncation: margins, as in the module docstring; for such ballots
    this is the Kendall tau distance in which a pair the ballot ties costs 1/2
    either way (pref_voting's "marginal" Kemeny-Young).

    References
    ----------
    .. [1] J. G. Kemeny, "Mathematics without numbers", *Daedalus* 88 (1959) 577-591.
    .. [2] H. P. Young and A. Levenglick, "A consistent extension of Condorcet's
       election principle", *SIAM J. Appl. Math.* 35 (1978) 285-300.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    >>> res = kemeny(p)
    >>> res.winners, res.ranking
    ((0,), ((0,), (1,), (2,)))
    """
    return _ordering_outcome(kemeny_rankings(profile.margin_matrix(), all_optimal=True, max_solutions=2,
                                             method=algorithm, tops=True))


@register_rule("slater", name="Slater", input_kind="ordinal", algorithms=("auto", "dp", "milp"),
               references=(_SLATER,), properties=_CC, report_limits={"max_alternatives": 40})
def slater(profile, *, algorithm="auto"):
    """Slater: the rankings that reverse the fewest edges of the majority graph.

    ``winners`` are all alternatives ranked first by some Slater ranking;
    ``ranking`` is the Slater ranking when it is unique (else None).  Pairs with
    a zero margin are not edges and cost nothing either way (as in pref_voting).

    Parameters
    ----------
    profile : Profile
    algorithm : {"auto", "dp", "milp"}
        As for :func:`kemeny`, on ``sign(M)``.

    Notes
    -----
    Ties and truncation: margins, as in the module docstring.

    References
    ----------
    .. [1] P. Slater, "Inconsistencies in a schedule of paired comparisons",
       *Biometrika* 48 (1961) 303-312.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    >>> slater(p).winners          # a 3-cycle: every alternative tops a Slater ranking
    (0, 1, 2)
    """
    return _ordering_outcome(slater_rankings(profile.margin_matrix(), all_optimal=True, max_solutions=2,
                                             method=algorithm, tops=True))


@register_rule("ranked_pairs", name="Ranked pairs (neutral)", input_kind="ordinal",
               algorithms=("pruned_search",), references=(_TIDEMAN, _BRILL), aliases=("tideman",), properties=_CC,
               report_limits={"max_alternatives": 20})
def ranked_pairs(profile):
    """Tideman's Ranked Pairs, neutral version: the winners under every order of tied margins.

    Majority edges are locked from the largest margin down, each unless it
    would close a cycle; an alternative wins when no locked edge points to it.
    Edges with equal margins can be taken in any order: ``winners`` are all
    alternatives that win under *some* order (the anonymous and neutral
    version).  ``ranking`` is the locked order when every order of the tied
    margins provably locks the same edges and the result is complete; else None.

    Notes
    -----
    Ties and truncation: margins, as in the module docstring; zero margins are
    not edges.  The search (:func:`solvers.ranked_pairs.ranked_pairs`) is exact;
    its worst case is exponential in the number of tied margins (the problem is
    NP-complete, Brill and Fischer 2012) but it settles profiles with few or
    structured ties at once.  ``ranked_pairs_tb`` breaks ties by a fixed order.

    References
    ----------
    .. [1] T. N. Tideman, "Independence of clones as a criterion for voting rules",
       *Social Choice and Welfare* 4 (1987) 185-206.
    .. [2] M. Brill and F. Fischer, "The price of neutrality for the ranked pairs
       method", AAAI 2012, 1299-1305.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> ranked_pairs(p).winners    # all margins tie: any alternative can win
    (0, 1, 2)
    """
    result = _ranked_pairs(profile.margin_matrix())
    ranking = None if result.ranking is None else tuple((a,) for a in result.ranking)
    return Outcome(winners=result.winners, ranking=ranking)
