"""The exact and probabilistic rules against pref_voting: maximal lotteries, Kemeny-Young, Slater, Ranked Pairs.

Conventions are normalized as follows, and every known difference is listed with its reason:

1. Maximal lotteries.  pref_voting's ``maximal_lottery`` (algorithm "lp") returns one optimal strategy
   of the margin game.  When the maximal lottery is unique (odd electorates of linear orders) the two
   must coincide; otherwise pref_voting's lottery must be *a* maximal lottery whose support lies in our
   ``winners`` (the essential set), and ours must be maximal too.
2. Kemeny-Young and Slater: pref_voting enumerates all ``m!`` rankings, so profiles have at most 6
   alternatives.  Winners are the tops of all optimal rankings in both libraries, and pref_voting's
   ``kemeny_young_rankings`` list must equal our ``all_optimal`` list.  Slater: zero margins cost
   nothing in both.
3. Ranked Pairs: pref_voting's ``ranked_pairs`` enumerates every order of the tied margins, which blows
   up on some profiles with many equal margins (a 6-candidate profile can have 15! orders), so only
   profiles with at most 120 tie orders are handed to it.  Zero margins: pref_voting adds them as edges
   of strength 0 locked last, which only completes the order and picks among the sources, so its winners
   are the same set.
4. Truncated ballots and ties: pref_voting's ``ProfileWithTies.use_extended_strict_preference()`` counts
   an unranked alternative below the ranked ones, our convention.
"""

from __future__ import annotations

import importlib.util
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from mechanisms.social_choice import get_rule
from solvers.ordering import kemeny_rankings


# shared helpers, loaded by path (pytest's importlib mode does not put this folder on sys.path)
_spec = importlib.util.spec_from_file_location("_pref_voting", Path(__file__).with_name("_pref_voting.py"))
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
_helpers.import_pref_voting_without_jit()
pytest.importorskip("pref_voting")
from pref_voting import c1_methods as c1  # noqa: E402
from pref_voting import margin_based_methods as mb  # noqa: E402
from pref_voting import other_methods as om  # noqa: E402
from pref_voting import probabilistic_methods as pm  # noqa: E402

warnings.filterwarnings("ignore", module="pref_voting")
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


to_pref_voting, linear_profiles, general_profiles = (_helpers.to_pref_voting, _helpers.linear_profiles,
                                                    _helpers.general_profiles)


def n_tie_orders(M):
    """Orders pref_voting's ranked_pairs enumerates: of each group of equal margins, zero margins counting
    twice (it adds both directions of a zero-margin pair as edges of strength 0)."""
    vals = M[(M >= 0) & ~np.eye(M.shape[0], dtype=bool)]
    return math.prod(math.factorial(int((vals == v).sum())) for v in set(vals.tolist()))


# ------------------------------------------------------------------ maximal lotteries
@settings(max_examples=40, **SETTINGS)
@given(linear_profiles(max_m=7, max_n=9, max_weight=3, odd=True))
def test_maximal_lottery_unique_case_equals_pref_voting(profile):
    ours = get_rule("maximal_lottery")(profile)
    theirs = pm.maximal_lottery(to_pref_voting(profile))
    np.testing.assert_allclose(ours.lottery, [theirs[a] for a in range(profile.n_alternatives)], atol=1e-7)


@settings(max_examples=40, **SETTINGS)
@given(general_profiles(max_n=6, max_weight=None))
def test_maximal_lottery_with_ties_pref_voting_picks_a_maximal_lottery_on_our_essential_set(profile):
    M = profile.margin_matrix()
    ours = get_rule("maximal_lottery")(profile)
    theirs = pm.maximal_lottery(to_pref_voting(profile))
    q = np.array([theirs[a] for a in range(profile.n_alternatives)], dtype=float)
    assert np.all(q @ M >= -1e-7) and np.all(ours.lottery @ M >= -1e-9)
    assert set(np.flatnonzero(q > 1e-7)) <= set(ours.winners)


# ------------------------------------------------------------------ Kemeny-Young and Slater
@settings(max_examples=30, **SETTINGS)
@given(linear_profiles(max_m=6, max_n=9, max_weight=3))
def test_kemeny_young_rankings_and_winners(profile):
    pv = to_pref_voting(profile)
    theirs, distance = om.kemeny_young_rankings(pv)
    ours = kemeny_rankings(profile.margin_matrix(), all_optimal=True)
    assert list(ours.rankings) == sorted(tuple(int(a) for a in r) for r in theirs)
    # sum of the margins of the agreed pairs = agreements - disagreements = n * C(m, 2) - 2 * distance
    n, m = profile.n_voters, profile.n_alternatives
    assert ours.objective == n * math.comb(m, 2) - 2 * int(distance)
    assert get_rule("kemeny")(profile).winners == tuple(om.kemeny_young(pv))


@settings(max_examples=30, **SETTINGS)
@given(general_profiles(max_n=6, max_weight=None))
def test_kemeny_young_winners_with_ties_and_truncation(profile):
    assert get_rule("kemeny")(profile).winners == tuple(om.kemeny_young(to_pref_voting(profile)))


@settings(max_examples=30, **SETTINGS)
@given(linear_profiles(max_m=6, max_n=9, max_weight=3))
def test_slater_winners(profile):
    assert get_rule("slater")(profile).winners == tuple(c1.slater(to_pref_voting(profile)))


# ------------------------------------------------------------------ Ranked Pairs
@settings(max_examples=40, **SETTINGS)
@given(linear_profiles(max_m=6, max_n=9, max_weight=3))
def test_neutral_ranked_pairs_winners(profile):
    if n_tie_orders(profile.margin_matrix()) > 120:
        return  # pref_voting enumerates every tie order (see the module docstring)
    assert get_rule("ranked_pairs")(profile).winners == tuple(mb.ranked_pairs(to_pref_voting(profile)))


@settings(max_examples=25, **SETTINGS)
@given(general_profiles(max_n=6, max_weight=None))
def test_neutral_ranked_pairs_with_ties_and_truncation(profile):
    if n_tie_orders(profile.margin_matrix()) > 120:
        return
    assert get_rule("ranked_pairs")(profile).winners == tuple(mb.ranked_pairs(to_pref_voting(profile)))


def test_bundled_real_election():
    from mechanisms.data import preflib_path
    from mechanisms.io import read_preflib

    profile = read_preflib(preflib_path("debian/00002-00000001.soi"))
    pv = to_pref_voting(profile)
    assert get_rule("ranked_pairs")(profile).winners == tuple(mb.ranked_pairs(pv))
    assert get_rule("kemeny")(profile).winners == tuple(om.kemeny_young(pv))
    theirs = pm.maximal_lottery(pv)
    ours = get_rule("maximal_lottery")(profile)
    np.testing.assert_allclose(ours.lottery, [theirs[a] for a in range(profile.n_alternatives)], atol=1e-7)
