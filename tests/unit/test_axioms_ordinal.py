"""Single- and two-profile axioms checked against independent brute-force statements of their definitions.

Each oracle below re-derives the premise of an axiom from the ballots (pairwise
counts, tops, clone sets, raised ballots) with plain Python, and the verdict from
the rule's outcome; the axiom object must agree on every drawn profile.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.axioms import custom_rule, find_violation, get_axiom
from mechanisms.axioms.consistency import raised_rows
from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule
from mechanisms.testing import profiles

RULES = ["plurality", "borda", "copeland", "instant_runoff", "antiplurality"]


def ballots(profile):
    """Each voter's ranking as a list, best first (weights expanded)."""
    return [list(r) for r in profile.to_rankings().tolist()]


def prefers_count(profile, a, b):
    return sum(r.index(a) < r.index(b) for r in ballots(profile))


def condorcet_winner(profile):
    m = profile.n_alternatives
    n = profile.n_voters
    for a in range(m):
        if all(2 * prefers_count(profile, a, b) > n for b in range(m) if b != a):
            return a
    return None


def smith_set(profile):
    """Smallest nonempty set whose members all beat every outsider (brute force over subsets)."""
    m, n = profile.n_alternatives, profile.n_voters
    for size in range(1, m + 1):
        for s in itertools.combinations(range(m), size):
            if all(2 * prefers_count(profile, a, b) > n for a in s for b in range(m) if b not in s):
                return set(s)
    return set(range(m))  # pragma: no cover


def winners(rule, profile):
    return set(get_rule(rule)(profile).winners)


strict_profiles = profiles(n_voters=st.integers(1, 5), n_alternatives=st.integers(2, 4))


@settings(max_examples=40, deadline=None)
@given(strict_profiles, st.sampled_from(RULES))
def test_majority_type_axioms_match_their_definitions(profile, rule):
    n, m = profile.n_voters, profile.n_alternatives
    w = winners(rule, profile)
    cw = condorcet_winner(profile)
    assert get_axiom("condorcet_winner").check(rule, profile).holds == (cw is None or w == {cw})
    losers = [a for a in range(m) if all(2 * prefers_count(profile, b, a) > n for b in range(m) if b != a)]
    assert get_axiom("condorcet_loser").check(rule, profile).holds == (not losers or losers[0] not in w)
    assert get_axiom("smith").check(rule, profile).holds == (w <= smith_set(profile))
    tops = [r[0] for r in ballots(profile)]
    leader = [a for a in range(m) if 2 * tops.count(a) > n]
    assert get_axiom("majority").check(rule, profile).holds == (not leader or w == {leader[0]})
    bottoms = [r[-1] for r in ballots(profile)]
    last = [a for a in range(m) if 2 * bottoms.count(a) > n]
    assert get_axiom("majority_loser").check(rule, profile).holds == (not last or last[0] not in w)
    assert get_axiom("unanimity").check(rule, profile).holds == (len(set(tops)) > 1 or w == {tops[0]})
    dominated = {b for a in range(m) for b in range(m) if a != b and prefers_count(profile, a, b) == n}
    assert get_axiom("pareto").check(rule, profile).holds == (not (dominated & w))


@settings(max_examples=30, deadline=None)
@given(strict_profiles, st.sampled_from(["borda", "copeland", "minimax"]))
def test_ranking_axioms_match_their_definitions(profile, rule):
    n, m = profile.n_voters, profile.n_alternatives
    ranking = get_rule(rule)(profile).ranking
    position = {a: i for i, g in enumerate(ranking) for a in g}
    majority = {(a, b) for a in range(m) for b in range(m) if a != b and 2 * prefers_count(profile, a, b) > n}
    linear = len(majority) == m * (m - 1) // 2 and all(
        (a, c) in majority for (a, b) in majority for (b2, c) in majority if b == b2 and a != c)
    if linear:
        order = sorted(range(m), key=lambda a: -sum((a, b) in majority for b in range(m)))
        expected = ranking == tuple((a,) for a in order)
    else:
        expected = True
    assert get_axiom("pairwise_majority_consistency").check(rule, profile).holds == expected
    unanimous = [(a, b) for a in range(m) for b in range(m) if a != b and prefers_count(profile, a, b) == n]
    assert get_axiom("pareto_ranking").check(rule, profile).holds == all(
        position[a] < position[b] for a, b in unanimous)


@pytest.mark.parametrize("m", [3, 4])
def test_raised_rows_are_exactly_the_rankings_that_lift_one_alternative(m):
    for ranking in itertools.permutations(range(m)):
        row = tuple(ranking.index(a) for a in range(m))
        for a in range(m):
            expected = set()
            for other in itertools.permutations(range(m)):
                rest = [x for x in other if x != a]
                if rest == [x for x in ranking if x != a] and other.index(a) < ranking.index(a):
                    expected.add(tuple(other.index(x) for x in range(m)))
            assert set(raised_rows(row, a)) == expected


def test_raised_rows_handle_ties_and_truncation():
    # a tied with b at the top: a can step above b;  c unranked: it can enter anywhere above the unranked d
    assert raised_rows((0, 0, 1), 0) == [(0, 1, 2)]
    assert set(raised_rows((0, 1, -1, -1), 2)) == {(1, 2, 0, -1), (0, 2, 1, -1), (0, 1, 2, -1)}
    assert raised_rows((0, 1, -1), 2) == [(1, 2, 0), (0, 2, 1)]   # alone unranked: ranked last is no raise


def clone_sets(profile):
    m = profile.n_alternatives
    out = []
    for size in range(2, m):
        for k in itertools.combinations(range(m), size):
            if all(max(r.index(c) for c in k) - min(r.index(c) for c in k) == size - 1 for r in ballots(profile)):
                out.append(set(k))
    return out


@settings(max_examples=40, deadline=None)
@given(profiles(n_voters=st.integers(1, 4), n_alternatives=st.integers(3, 4)), st.sampled_from(RULES))
def test_independence_of_clones_matches_its_definition(profile, rule):
    w = winners(rule, profile)
    ok = True
    for k in clone_sets(profile):
        for c in k:
            keep = [a for a in range(profile.n_alternatives) if a != c]
            after = {keep[j] for j in get_rule(rule)(profile.restrict(keep)).winners}
            non_clones = set(range(profile.n_alternatives)) - k
            ok &= (w & non_clones) == (after & non_clones) and bool(w & k) == bool(after & (k - {c}))
    assert get_axiom("independence_of_clones").check(rule, profile).holds in ((True,) if ok else (False,))


@settings(max_examples=30, deadline=None)
@given(strict_profiles, st.sampled_from(RULES))
def test_smith_dominated_removal_matches_its_definition(profile, rule):
    w = winners(rule, profile)
    s = smith_set(profile)
    ok = all({[a for a in range(profile.n_alternatives) if a != x][j]
              for j in get_rule(rule)(profile.restrict([a for a in range(profile.n_alternatives) if a != x])).winners}
             == w for x in range(profile.n_alternatives) if x not in s)
    assert get_axiom("independence_of_smith_dominated").check(rule, profile).holds == ok


def test_monotonicity_witness_is_a_single_raise_that_costs_the_winner():
    w = find_violation("monotonicity", "instant_runoff", n_voters=9, n_alternatives=3, method="random", rng=1,
                       max_profiles=3000)
    assert w is not None
    (a,) = w.alternatives
    (i,) = w.voters
    before, after = ballots(w.profile)[i], [g[0] for g in w.misreports[0]]
    assert [x for x in before if x != a] == [x for x in after if x != a] and after.index(a) < before.index(a)
    assert a in winners("instant_runoff", w.profile) and a not in winners("instant_runoff", w.modified_profile)
    # the modified profile is the profile with that one ballot changed
    assert sorted(map(tuple, ballots(w.modified_profile))) == sorted(
        [tuple(r) for j, r in enumerate(ballots(w.profile)) if j != i] + [tuple(after)])


def test_positive_responsiveness_separates_borda_from_plurality():
    assert find_violation("positive_responsiveness", "borda", n_voters=3, n_alternatives=3) is None
    w = find_violation("positive_responsiveness", "plurality", n_voters=3, n_alternatives=3)
    assert w is not None and len(get_rule("plurality")(w.modified_profile).winners) > 1


def test_reinforcement_holds_for_scoring_rules_and_fails_for_a_condorcet_rule():
    """Young (1975): scoring rules are consistent; Condorcet extensions are not."""
    assert find_violation("reinforcement", "borda", n_voters=4, n_alternatives=3) is None
    w = find_violation("reinforcement", "copeland", n_voters=4, n_alternatives=3)
    assert w is not None
    p1, p2 = w.parts
    common = winners("copeland", p1) & winners("copeland", p2)
    assert common and winners("copeland", w.profile) != common
    joined = Profile.from_rankings(ballots(p1) + ballots(p2))
    assert joined == w.profile


def test_homogeneity_detects_a_rule_that_depends_on_the_electorate_size():
    parity = custom_rule(lambda p: [p.n_voters % p.n_alternatives], id="parity")
    w = find_violation("homogeneity", parity, n_voters=2, n_alternatives=2)
    assert w is not None and w.modified_profile.n_voters == 2 * w.profile.n_voters
    assert find_violation("homogeneity", "borda", n_voters=3, n_alternatives=3) is None


def test_reversal_symmetry_holds_for_borda_and_needs_complete_ballots():
    """Saari (1994): Borda is reversal symmetric."""
    assert find_violation("reversal_symmetry", "borda", n_voters=4, n_alternatives=3) is None
    truncated = Profile.from_rankings([[0, 1, -1], [1, -1, -1]], labels=["a", "b", "c"])
    result = get_axiom("reversal_symmetry").check("borda", truncated)
    assert result.holds is True and result.vacuous and "complete" in result.reason


def test_later_no_harm_separates_instant_runoff_from_borda():
    """Woodall (1997): instant runoff satisfies later-no-harm, Borda (unranked alternatives score 0) does not."""
    assert find_violation("later_no_harm", "instant_runoff", n_voters=4, n_alternatives=3) is None
    zero = {"truncation": "zero"}
    w = find_violation("later_no_harm", "borda", n_voters=3, n_alternatives=3, rule_options=zero)
    (x,) = w.alternatives
    borda = get_rule("borda")
    assert x in borda(w.modified_profile, **zero).winners and x not in borda(w.profile, **zero).winners
    assert get_axiom("later_no_harm").applies_to("coombs")[0] is False    # complete ballots only


def test_resolvability_fails_for_the_condorcet_rule_only_on_genuine_ties():
    w = find_violation("resolvability", "condorcet", n_voters=3, n_alternatives=3)
    assert w is not None and len(get_rule("condorcet")(w.profile).winners) > 1
    for ranking in itertools.permutations(range(3)):
        more = Profile.from_rankings(ballots(w.profile) + [list(ranking)])
        assert len(get_rule("condorcet")(more).winners) > 1
    assert find_violation("resolvability", "borda", n_voters=3, n_alternatives=3) is None


def test_neutrality_and_anonymity_hold_for_registered_neutral_rules():
    for rule in ("borda", "schulze", "instant_runoff"):
        for axiom in ("neutrality", "anonymity"):
            assert find_violation(axiom, rule, n_voters=3, n_alternatives=3) is None, (rule, axiom)
    profile = Profile.from_rankings([[0, 1, 2], [2, 1, 0]], weights=[2, 1])
    assert get_axiom("anonymity").check("borda", profile).holds is True   # weights written out as unit ballots


def test_checks_accept_weighted_and_truncated_profiles():
    p = Profile.from_rankings([[0, 1, -1], [1, 0, 2], [2, -1, -1]], weights=[3, 2, 2])
    for axiom in ("condorcet_winner", "monotonicity", "participation", "later_no_harm", "strategyproofness"):
        assert get_axiom(axiom).check("borda", p).holds in (True, False)
    w = get_axiom("strategyproofness").check("plurality", Profile.from_rankings([[0, 1, 2], [1, 0, 2], [2, 1, 0]],
                                                                              weights=[2, 2, 1]))
    assert w.holds is False and w.witness.modified_profile.n_voters == 5
    assert np.all(np.asarray(w.witness.modified_profile.weights) >= 1)
