"""Positional (scoring) rules: plurality, Borda, antiplurality, k-approval, Dowdall, any score vector.

Conventions shared by every rule here (and stated in each docstring):

* scores are computed exactly (integers, or exact rationals for fractional score
  vectors and tied ballots); winners are the alternatives with the largest exact
  score; ``scores`` is int64 when every score is an integer, float64 otherwise;
* a tied group of ``g`` alternatives spanning positions ``k .. k+g-1`` gives each
  member the average of those ``g`` position scores;
* ``truncation="average"`` (default): the alternatives a ballot leaves unranked
  form its bottom tied group (they share the average of the bottom positions);
  ``truncation="zero"``: they score 0 (ranked alternatives keep the scores of
  their positions).  For Borda, ``"average"`` is the *symmetric* Borda count of
  Terzopoulou & Endriss (2021) up to an affine map (the convention of
  pref_voting's Borda for profiles with ties), and ``"zero"`` is the pessimistic
  (domination) one for top-truncated strict ballots.
"""

from __future__ import annotations

from fractions import Fraction

from solvers.validation import check_int

from ._common import (
    check_score_vector,
    check_truncation,
    exact_positional_scores,
    outcome_from_scores,
)
from .registry import register_rule
from .result import Outcome

__all__ = ["plurality", "borda", "antiplurality", "k_approval", "dowdall", "positional"]

_ZWICKER = ("W. S. Zwicker, Introduction to the theory of voting, in Handbook of Computational Social Choice, "
            "Cambridge University Press (2016), chapter 2.")
_YOUNG_1975 = "H. P. Young, Social choice scoring functions, SIAM J. Applied Mathematics 28 (1975) 824-838."
_TRUNCATION_NOTE = ("Terzopoulou and Endriss, The Borda class: an axiomatic study of the Borda rule on "
                    "top-truncated preferences, J. Mathematical Economics 92 (2021) 31-40.")


def _scored(profile, vector, truncation, owner) -> Outcome:
    truncation = check_truncation(truncation, owner)
    return outcome_from_scores(exact_positional_scores(profile, vector, truncation))


@register_rule("plurality", name="Plurality", input_kind="ordinal", algorithms=("position_counts",),
               references=(_ZWICKER,), properties=("positional", "scores", "ranks"))
def plurality(profile, *, truncation="average"):
    """Plurality: one point for the top position; the most first places win.

    Parameters
    ----------
    profile : Profile
    truncation : {"average", "zero"}
        Unranked alternatives: the bottom tied group (default) or 0 points.  They
        differ only on empty ballots (``"average"`` splits the point evenly).

    Notes
    -----
    Ties at the top of a ballot split its point evenly among the tied group
    (exact rationals).  Scores: (weighted) first-place counts; higher is better.

    References
    ----------
    .. [1] W. S. Zwicker, "Introduction to the theory of voting", in *Handbook of
       Computational Social Choice*, Cambridge University Press (2016), ch. 2.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> plurality(Profile.from_rankings([[0, 1, 2], [1, 0, 2], [0, 2, 1]])).scores.tolist()
    [2, 1, 0]
    """
    m = profile.n_alternatives
    return _scored(profile, [1] + [0] * (m - 1), truncation, "plurality")


@register_rule("borda", name="Borda count", input_kind="ordinal", algorithms=("margins",),
               references=("J.-C. de Borda, Memoire sur les elections au scrutin, Histoire de l'Academie "
                           "Royale des Sciences (1781).", _TRUNCATION_NOTE),
               properties=("positional", "scores", "ranks", "condorcet_loser"))
def borda(profile, *, truncation="average"):
    """Borda count: position ``k`` (0 = top) of ``m`` is worth ``m - 1 - k`` points.

    Parameters
    ----------
    profile : Profile
    truncation : {"average", "zero"}
        ``"average"`` (default): a tied group shares the average of the positions it
        spans, and unranked alternatives are the ballot's bottom tied group.  Then
        ``score(a) = ((m - 1) n + sum_b M[a, b]) / 2`` with ``M`` the margin matrix,
        i.e. the symmetric Borda count (below minus above) up to an affine map,
        which is pref_voting's convention for profiles with ties.
        ``"zero"``: unranked alternatives score 0 and ranked ones keep their
        position's points (ties still averaged).

    Notes
    -----
    Scores are exact (halves appear with ties and truncation; then ``scores`` is
    float64, with exact half-integers).  Higher is better.

    References
    ----------
    .. [1] J.-C. de Borda, "Memoire sur les elections au scrutin", *Histoire de
       l'Academie Royale des Sciences* (1781).
    .. [2] Z. Terzopoulou and U. Endriss, "The Borda class: an axiomatic study of the
       Borda rule on top-truncated preferences", *J. Math. Econ.* 92 (2021) 31-40.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [0, -1, -1]])
    >>> borda(p).scores.tolist()                    # unranked 1, 2 share 0.5 each
    [4.0, 3.5, 1.5]
    >>> borda(p, truncation="zero").scores.tolist()
    [4, 3, 1]
    """
    truncation = check_truncation(truncation, "borda")
    m = profile.n_alternatives
    if truncation == "average":
        twice = (m - 1) * profile.n_voters + profile.margin_matrix().sum(axis=1)
        return outcome_from_scores([Fraction(int(t), 2) for t in twice])
    return outcome_from_scores(exact_positional_scores(profile, list(range(m - 1, -1, -1)), truncation))


@register_rule("antiplurality", name="Antiplurality (veto)", input_kind="ordinal", algorithms=("position_counts",),
               references=(_ZWICKER,), aliases=("veto", "anti_plurality"), properties=("positional", "scores", "ranks"))
def antiplurality(profile, *, truncation="average"):
    """Antiplurality (veto): one point for every position but the last; the fewest last places win.

    Parameters
    ----------
    profile : Profile
    truncation : {"average", "zero"}
        ``"average"`` (default): unranked alternatives are the ballot's bottom tied
        group, so ``g`` unranked alternatives share one veto (``(g-1)/g`` points
        each).  ``"zero"``: every unranked alternative is vetoed (0 points).

    Notes
    -----
    Scores: (weighted) number of voters not placing the alternative last; higher
    is better.  Ties at the bottom of a ballot share the veto evenly.

    References
    ----------
    .. [1] W. S. Zwicker, "Introduction to the theory of voting", in *Handbook of
       Computational Social Choice*, Cambridge University Press (2016), ch. 2.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> antiplurality(Profile.from_rankings([[0, 1, 2], [1, 0, 2], [2, 0, 1]])).winners
    (0,)
    """
    m = profile.n_alternatives
    return _scored(profile, [1] * (m - 1) + [0], truncation, "antiplurality")


@register_rule("k_approval", name="k-approval", input_kind="ordinal", algorithms=("position_counts",),
               references=(_ZWICKER,), properties=("positional", "scores", "ranks"))
def k_approval(profile, *, k=2, truncation="average"):
    """k-approval: one point for each of the top ``k`` positions.

    Parameters
    ----------
    profile : Profile
    k : int in [1, m]
        How many top positions score (``k = 1`` is plurality, ``k = m - 1`` antiplurality).
    truncation : {"average", "zero"}
        Unranked alternatives: the ballot's bottom tied group (default) or 0 points.

    Notes
    -----
    A tied group straddling position ``k`` shares the points of the positions it
    spans.  Scores are exact; higher is better.

    References
    ----------
    .. [1] W. S. Zwicker, "Introduction to the theory of voting", in *Handbook of
       Computational Social Choice*, Cambridge University Press (2016), ch. 2.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> k_approval(Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]]), k=2).scores.tolist()
    [1, 3, 2]
    """
    m = profile.n_alternatives
    k = check_int(k, "k", "k_approval", low=1, high=m)
    return _scored(profile, [1] * k + [0] * (m - k), truncation, "k_approval")


@register_rule("dowdall", name="Dowdall (Nauru)", input_kind="ordinal", algorithms=("position_counts",),
               references=("J. Fraenkel and B. Grofman, The Borda count and its real-world alternatives: comparing "
                           "scoring rules in Nauru and Slovenia, Australian J. Political Science 49 (2014) 186-205.",),
               aliases=("nauru",), properties=("positional", "scores", "ranks"))
def dowdall(profile, *, truncation="average"):
    """Dowdall (Nauru): position ``k`` (0 = top) is worth ``1 / (k + 1)``.

    Parameters
    ----------
    profile : Profile
    truncation : {"average", "zero"}
        Unranked alternatives: the ballot's bottom tied group (default) or 0
        points (Nauru's practice for incomplete ballots).

    Notes
    -----
    Scores are summed in exact rational arithmetic, so ties are exact (floating
    point sums of ``1/k`` can create or hide ties); ``scores`` holds the nearest
    floats.  Higher is better.

    References
    ----------
    .. [1] J. Fraenkel and B. Grofman, "The Borda count and its real-world
       alternatives: comparing scoring rules in Nauru and Slovenia", *Australian
       Journal of Political Science* 49 (2014) 186-205.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> dowdall(Profile.from_rankings([[0, 1, 2], [1, 2, 0]])).scores.tolist()
    [1.3333333333333333, 1.5, 0.8333333333333334]
    """
    m = profile.n_alternatives
    return _scored(profile, [Fraction(1, k + 1) for k in range(m)], truncation, "dowdall")


@register_rule("positional", name="Positional scoring rule", input_kind="ordinal", algorithms=("position_counts",),
               references=(_YOUNG_1975,), aliases=("scoring_rule",), properties=("positional", "scores", "ranks"))
def positional(profile, *, score_vector, truncation="average"):
    """Any positional scoring rule: position ``k`` (0 = top) is worth ``score_vector[k]``.

    Parameters
    ----------
    profile : Profile
    score_vector : sequence of m real numbers
        Points per position, top first (ints, floats or :class:`fractions.Fraction`;
        a float counts as the exact binary rational it stores).  Usually
        nonincreasing, which is not enforced.
    truncation : {"average", "zero"}
        Unranked alternatives: the ballot's bottom tied group (default) or 0 points.

    Notes
    -----
    A tied group shares the average of the scores of the positions it spans.
    Scores are exact rationals (``scores`` is int64 when all are integers);
    higher is better.

    References
    ----------
    .. [1] H. P. Young, "Social choice scoring functions", *SIAM Journal on Applied
       Mathematics* 28 (1975) 824-838.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]])
    >>> positional(p, score_vector=[3, 1, 0]).scores.tolist()
    [3, 5, 4]
    """
    m = profile.n_alternatives
    vector = check_score_vector(score_vector, m, "positional")
    return _scored(profile, vector, truncation, "positional")

