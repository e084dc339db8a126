"""Our ordinal rules against pref_voting on generated profiles and on the bundled PrefLib elections.

Conventions are normalized as follows, and every known difference is listed with its reason:

1. Elimination ties.  Our ``instant_runoff``, ``coombs`` and ``baldwin`` default to parallel-universe
   tie-breaking (PUT) and are compared with pref_voting's ``*_put`` methods; with
   ``elimination="simultaneous"`` they are compared with pref_voting's defaults, which remove every
   tied loser at once.  ``plurality_with_runoff`` is pref_voting's ``plurality_with_runoff_put``.
2. Truncated ballots and ties.  pref_voting counts an unranked alternative below the ranked ones only
   after ``ProfileWithTies.use_extended_strict_preference()``, which we call; then every margin-based
   rule agrees.  pref_voting's Borda for such profiles (``borda_for_profile_with_ties``) uses symmetric
   Borda scores, an affine image of our default ``truncation="average"`` scores.
3. Instant runoff on truncated ballots: pref_voting's ``instant_runoff_for_truncated_linear_orders`` is
   simultaneous elimination with a majority of the remaining nonempty ballots: our
   ``elimination="simultaneous"``.
4. Dowdall: pref_voting sums ``1/k`` in floating point, which can split an exact tie or create a false
   one; we compare only profiles whose best two exact scores differ by more than 1e-9.
5. Coombs, Bucklin, plurality with runoff, antiplurality, Dodgson: pref_voting defines them for complete
   linear orders only, so they are compared on those.
6. STV: pref_voting's ``stv_wig(quota_rule="droop")`` (weighted inclusive Gregory, integer Droop quota, float
   arithmetic with a 1e-9 tolerance) breaks elimination ties by candidate id; its committee must be one
   of the committees our parallel-universe search returns.
7. Minimax: pref_voting's ``minimax_scores`` are minus our worst-defeat sizes (same three strengths).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule


# shared helpers, loaded by path (pytest's importlib mode does not put this folder on sys.path)
_spec = importlib.util.spec_from_file_location("_pref_voting", Path(__file__).with_name("_pref_voting.py"))
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
_helpers.import_pref_voting_without_jit()
pv = pytest.importorskip("pref_voting")
from pref_voting import c1_methods as c1  # noqa: E402
from pref_voting import combined_methods as cm  # noqa: E402
from pref_voting import iterative_methods as im  # noqa: E402
from pref_voting import margin_based_methods as mb  # noqa: E402
from pref_voting import other_methods as om  # noqa: E402
from pref_voting import scoring_methods as sm  # noqa: E402
from pref_voting.proportional_methods import stv_wig  # noqa: E402

warnings.filterwarnings("ignore", module="pref_voting")

# (our id, our options, pref_voting method)
MARGIN_RULES = [
    ("condorcet", {}, c1.condorcet), ("copeland", {}, c1.copeland), ("llull", {}, c1.llull),
    ("minimax", {}, mb.minimax), ("schulze", {}, mb.beat_path), ("ranked_pairs_tb", {}, mb.ranked_pairs_tb),
    ("split_cycle", {}, mb.split_cycle), ("stable_voting", {}, mb.stable_voting),
    ("smith_set", {}, c1.top_cycle), ("schwartz_set", {}, c1.gocha),
    ("uncovered_set", {}, c1.uc_gill), ("uncovered_set", {"covering": "fishburn"}, c1.uc_fish),
    ("uncovered_set", {"covering": "bordes"}, c1.uc_bordes),
    ("uncovered_set", {"covering": "mckelvey"}, c1.uc_mckelvey),
]
LINEAR_ORDER_RULES = MARGIN_RULES + [
    ("plurality", {}, sm.plurality), ("borda", {}, sm.borda), ("antiplurality", {}, sm.anti_plurality),
    ("instant_runoff", {}, im.instant_runoff_put),
    ("instant_runoff", {"elimination": "simultaneous"}, im.instant_runoff),
    ("plurality_with_runoff", {}, im.plurality_with_runoff_put),
    ("coombs", {}, im.coombs_put), ("coombs", {"elimination": "simultaneous"}, im.coombs),
    ("baldwin", {}, im.baldwin_put), ("baldwin", {"elimination": "simultaneous"}, im.baldwin),
    ("nanson", {}, im.strict_nanson), ("nanson", {"variant": "weak"}, im.weak_nanson),
    ("bucklin", {}, om.bucklin), ("black", {}, cm.blacks),
]


to_pref_voting, linear_profiles, general_profiles = (_helpers.to_pref_voting, _helpers.linear_profiles,
                                                    _helpers.general_profiles)


@st.composite
def truncated_profiles(draw, max_m=5, max_n=7):
    m = draw(st.integers(2, max_m))
    n = draw(st.integers(1, max_n))
    rows = []
    for _ in range(n):
        perm = list(draw(st.permutations(range(m))))
        keep = draw(st.integers(1, m))
        rows.append(perm[:keep] + [-1] * (m - keep))
    weights = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    return Profile.from_rankings(rows, weights=weights)


def check_rules(profile, rules, *, with_ties: bool = False):
    q = to_pref_voting(profile, with_ties=with_ties)
    for rule_id, options, method in rules:
        ours = list(get_rule(rule_id)(profile, **options).winners)
        theirs = sorted(int(c) for c in method(q))
        assert ours == theirs, (rule_id, options, profile.ranks.tolist(), profile.weights.tolist())


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(linear_profiles())
def test_linear_orders(profile):
    check_rules(profile, LINEAR_ORDER_RULES)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(general_profiles())
def test_ties_and_truncation(profile):
    check_rules(profile, MARGIN_RULES + [("borda", {}, sm.borda_for_profile_with_ties)])


@settings(max_examples=40)
@given(truncated_profiles())
def test_instant_runoff_on_truncated_ballots(profile):
    check_rules(profile, [("instant_runoff", {"elimination": "simultaneous"},
                           im.instant_runoff_for_truncated_linear_orders)], with_ties=True)


@settings(max_examples=30)
@given(general_profiles())
def test_minimax_and_schulze_strengths(profile):
    q = to_pref_voting(profile)
    for ours, theirs in (("margin", "margins"), ("winning_votes", "winning"),
                         ("pairwise_opposition", "pairwise_opposition")):
        scores = get_rule("minimax")(profile, strength=ours).scores
        expected = mb.minimax_scores(q, score_method=theirs)
        assert scores.tolist() == [-expected[c] for c in range(profile.n_alternatives)], ours
    schulze_wv = get_rule("schulze")(profile, strength="winning_votes").winners
    assert list(schulze_wv) == sorted(mb.beat_path(q, strength_function=q.support))


@settings(max_examples=40)
@given(linear_profiles())
def test_dowdall_where_floats_do_not_blur_a_tie(profile):
    exact = [sum((Fraction(int(c), k + 1) for k, c in enumerate(row)), Fraction(0))
             for row in profile.position_counts()]
    top = sorted(set(exact), reverse=True)
    assume(len(top) == 1 or top[0] - top[1] > Fraction(1, 10**9))
    assert list(get_rule("dowdall")(profile).winners) == sorted(sm.dowdall(to_pref_voting(profile)))


@settings(max_examples=30)
@given(linear_profiles(max_m=5, max_n=7), st.integers(1, 3))
def test_stv_committee_is_one_of_ours(profile, k):
    k = min(k, profile.n_alternatives)
    theirs = tuple(sorted(int(c) for c in stv_wig(to_pref_voting(profile), num_seats=k, quota_rule="droop")))
    assert theirs in get_rule("stv")(profile, k=k).committees


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dodgson(seed):
    pytest.importorskip("ortools")  # pref_voting's Dodgson needs OR-Tools (SCIP)
    rng = np.random.default_rng(seed)
    m, n = 4, 7
    profile = Profile.from_rankings([rng.permutation(m) for _ in range(n)], weights=rng.integers(1, 3, size=n))
    assert list(get_rule("dodgson")(profile).winners) == sorted(om.dodgson(to_pref_voting(profile)))


# ---------------------------------------------------------------- bundled PrefLib elections
def _preflib_files():
    import mechanisms

    root = os.path.join(os.path.dirname(mechanisms.__file__), "data", "preflib")
    return sorted(f for f in glob.glob(os.path.join(root, "*", "*")) if f.rsplit(".", 1)[-1] in
                  ("soc", "soi", "toc", "toi"))


@pytest.mark.parametrize("path", _preflib_files(), ids=lambda p: os.path.basename(p))
def test_preflib_elections(path):
    read_preflib = pytest.importorskip("mechanisms.io").read_preflib
    profile = read_preflib(path).grouped()
    m = profile.n_alternatives
    rules = [r for r in MARGIN_RULES if not (r[0] == "stable_voting" and m > 10)]
    if profile.kind == "soc":
        rules += [r for r in LINEAR_ORDER_RULES if r not in MARGIN_RULES]
    else:
        rules += [("borda", {}, sm.borda_for_profile_with_ties)]
        if profile.is_strict:
            rules += [("instant_runoff", {"elimination": "simultaneous"},
                       im.instant_runoff_for_truncated_linear_orders)]
    check_rules(profile, rules)
