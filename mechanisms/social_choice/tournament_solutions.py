"""Tournament solutions: the Smith, Schwartz and uncovered sets of the pairwise majority relation.

Like the rest of the Condorcet family they read the profile through its margin
matrix, so they accept any ballots (ties count for neither side, unranked
alternatives tie below the ranked ones), and return the whole set as the tied
winners.
"""

from __future__ import annotations

import numpy as np

from solvers import margins as mg
from solvers.validation import check_option

from .registry import register_rule
from .result import Outcome

__all__ = ["smith_set", "schwartz_set", "uncovered_set"]

_CC = ("condorcet_consistent",)


def _winner_mask_outcome(mask) -> Outcome:
    return Outcome(winners=np.flatnonzero(mask))


@register_rule("smith_set", name="Smith set (top cycle)", input_kind="ordinal", algorithms=("transitive_closure",),
               references=("J. H. Smith, Aggregation of preferences with variable electorate, Econometrica 41 (1973) "
                           "1027-1041.", "I. J. Good, A note on Condorcet sets, Public Choice 10 (1971) 97-101."),
               aliases=("top_cycle", "smith", "getcha"), properties=_CC)
def smith_set(profile):
    """The Smith set (top cycle, GETCHA): the smallest nonempty set whose members beat every outsider.

    Computed as the alternatives that reach every alternative along weak
    majority links (``M >= 0``); :func:`solvers.margins.smith_set`.  ``top_cycle``
    is an alias: with the weak majority relation the two coincide (pref_voting's
    ``top_cycle`` is this set too).

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] J. H. Smith, "Aggregation of preferences with variable electorate",
       *Econometrica* 41 (1973) 1027-1041.
    .. [2] I. J. Good, "A note on Condorcet sets", *Public Choice* 10 (1971) 97-101.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> smith_set(Profile.from_rankings([[0, 1, 2, 3], [1, 2, 0, 3], [2, 0, 1, 3]])).winners
    (0, 1, 2)
    """
    return _winner_mask_outcome(mg.smith_set(profile.margin_matrix()))


@register_rule("schwartz_set", name="Schwartz set (GOCHA)", input_kind="ordinal", algorithms=("transitive_closure",),
               references=("T. Schwartz, Rationality and the myth of the maximum, Nous 6 (1972) 97-117.",),
               aliases=("gocha", "schwartz"), properties=_CC)
def schwartz_set(profile):
    """The Schwartz set (GOCHA): the union of the minimal sets that no outsider beats.

    Computed with the strict majority relation (``M > 0``):
    :func:`solvers.margins.schwartz_set`.  It is contained in the Smith set and
    equals it when there are no pairwise ties.

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] T. Schwartz, "Rationality and the myth of the maximum", *Nous* 6 (1972) 97-117.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> schwartz_set(Profile.from_rankings([[0, 1, 2], [1, 0, 2]])).winners
    (0, 1)
    """
    return _winner_mask_outcome(mg.schwartz_set(profile.margin_matrix()))


_COVERINGS = ("gillies", "fishburn", "bordes", "mckelvey")


@register_rule("uncovered_set", name="Uncovered set", input_kind="ordinal", algorithms=("boolean_matmul",),
               references=("N. R. Miller, A new solution set for tournaments and majority voting, American J. "
                           "Political Science 24 (1980) 68-96.",
                           "D. B. Gillies, Solutions to general non-zero-sum games, Contributions to the Theory of "
                           "Games IV (1959) 47-85.",
                           "P. C. Fishburn, Condorcet social choice functions, SIAM J. Applied Mathematics 33 (1977) "
                           "469-489.",
                           "G. Bordes, On the possibility of reasonable consistent majoritarian choice, J. Economic "
                           "Theory 31 (1983) 122-132.",
                           "R. D. McKelvey, Covering, dominance, and institution-free properties of social choice, "
                           "American J. Political Science 30 (1986) 283-314."),
               aliases=("uncovered",), properties=_CC)
def uncovered_set(profile, *, covering="gillies"):
    """The uncovered set: the alternatives that no other alternative covers.

    With ``D`` the strict majority relation (``b D a``: ``M[b, a] > 0``) and
    ``dom(x) = {c : c D x}``:

    * ``"gillies"`` (default; pref_voting's ``uc_gill``, Miller's uncovered set
      on tournaments): ``b`` covers ``a`` if ``b D a`` and ``dom(b)`` is a subset of ``dom(a)``;
    * ``"fishburn"`` (``uc_fish``): ``b`` covers ``a`` if ``dom(b)`` is a proper
      subset of ``dom(a)`` (``b D a`` is not required);
    * ``"bordes"`` (``uc_bordes``): ``b D a`` and ``wdom(b)`` is a subset of ``wdom(a)``, where
      ``wdom(x)`` are the alternatives beating or tying ``x`` (``x`` included);
    * ``"mckelvey"`` (``uc_mckelvey``): both the Gillies and the Bordes conditions.

    All four coincide when there are no majority ties.

    Parameters
    ----------
    profile : Profile
    covering : {"gillies", "fishburn", "bordes", "mckelvey"}

    Ties and truncation: computed from the margin matrix, so a ballot that ties two
    alternatives counts for neither and unranked alternatives tie below the ranked
    ones; the full tied set of winners is returned.

    References
    ----------
    .. [1] N. R. Miller, "A new solution set for tournaments and majority voting",
       *American Journal of Political Science* 24 (1980) 68-96.
    .. [2] D. B. Gillies, "Solutions to general non-zero-sum games", *Contributions to
       the Theory of Games* IV (1959) 47-85.
    .. [3] P. C. Fishburn, "Condorcet social choice functions", *SIAM Journal on
       Applied Mathematics* 33 (1977) 469-489.
    .. [4] G. Bordes, "On the possibility of reasonable consistent majoritarian
       choice", *Journal of Economic Theory* 31 (1983) 122-132.
    .. [5] R. D. McKelvey, "Covering, dominance, and institution-free properties of
       social choice", *American Journal of Political Science* 30 (1986) 283-314.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> uncovered_set(Profile.from_rankings([[0, 1, 2, 3], [1, 2, 0, 3], [2, 0, 1, 3]])).winners
    (0, 1, 2)
    """
    covering = check_option(covering, "covering", "uncovered_set", _COVERINGS)
    M = profile.margin_matrix()
    D = M > 0

    def left_cover(R):
        # LC[b, a]: every c with R[c, b] also has R[c, a]
        return (R.T.astype(np.int64) @ (~R).astype(np.int64)) == 0

    if covering == "fishburn":
        LC = left_cover(D)
        np.fill_diagonal(LC, False)
        covered = (LC & ~LC.T).any(axis=0)
    else:
        cover = D.copy()
        if covering in ("gillies", "mckelvey"):
            cover &= left_cover(D)
        if covering in ("bordes", "mckelvey"):
            cover &= left_cover(D | (~D & ~D.T))
        covered = cover.any(axis=0)
    return _winner_mask_outcome(~covered)
