"""Proportionality axioms (JR, PJR, EJR, core) against brute force over every group of voters."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.axioms import custom_rule, find_violation, get_axiom, search
from mechanisms.axioms.committee import core_deviation
from mechanisms.profiles import ApprovalProfile
from mechanisms.social_choice import Outcome

CACHE: dict = {}
K2 = {"k": 2}


def fixed(committee):
    """A committee 'rule' that always returns ``committee``."""
    return custom_rule(lambda p: Outcome(winners=list(committee), committees=[list(committee)]),
                       id="fixed", input_kind="approval", committee=True)


def brute_force(sets, committee, prop):
    """Whether ``committee`` satisfies ``prop``, straight from the definitions (unit-weight voters)."""
    n, k, w = len(sets), len(committee), set(committee)
    candidates = set().union(*sets) | w
    for size in range(1, n + 1):
        for group in itertools.combinations(range(n), size):
            common = set.intersection(*(set(sets[i]) for i in group))
            for ell in range(1, k + 1):
                if size * k < ell * n or len(common) < ell:
                    continue
                if prop == "jr" and ell == 1 and all(not (set(sets[i]) & w) for i in group):
                    return False
                if prop == "ejr" and all(len(set(sets[i]) & w) < ell for i in group):
                    return False
                if prop == "pjr" and len(set().union(*(set(sets[i]) for i in group)) & w) < ell:
                    return False
            if prop == "core":
                for t_size in range(1, k + 1):
                    for t in itertools.combinations(sorted(candidates), t_size):
                        if size * k >= t_size * n and all(len(set(sets[i]) & set(t)) > len(set(sets[i]) & w)
                                                          for i in group):
                            return False
    return True


approval_sets = st.lists(st.sets(st.integers(0, 3), max_size=3), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(approval_sets, st.sets(st.integers(0, 3), min_size=1, max_size=3))
def test_proportionality_checks_match_brute_force(sets, committee):
    profile = ApprovalProfile.from_sets(sets, n_alternatives=4)
    rule = fixed(sorted(committee))
    for prop in ("jr", "pjr", "ejr", "core"):
        result = get_axiom(prop).check(rule, profile)
        assert result.holds == brute_force([sorted(s) for s in sets], sorted(committee), prop), prop
        if result.holds is False:
            w = result.witness
            assert w.committee == tuple(sorted(committee)) and w.voters


def test_the_hierarchy_core_ejr_pjr_jr_holds_on_random_instances():
    rng = np.random.default_rng(4)
    for _ in range(60):
        approvals = rng.random((6, 5)) < 0.4
        committee = sorted(rng.choice(5, size=3, replace=False).tolist())
        profile = ApprovalProfile(approvals)
        verdict = {p: get_axiom(p).check(fixed(committee), profile).holds for p in ("core", "ejr", "pjr", "jr")}
        assert verdict["core"] <= verdict["ejr"] <= verdict["pjr"] <= verdict["jr"]


def test_core_milp_agrees_with_enumeration():
    rng = np.random.default_rng(9)
    for _ in range(15):
        approvals = rng.random((8, 6)) < 0.35
        weights = rng.integers(1, 3, size=8)
        committee = tuple(sorted(rng.choice(6, size=3, replace=False).tolist()))
        by_enum = core_deviation(approvals, weights, committee, method="enumerate")
        by_milp = core_deviation(approvals, weights, committee, method="milp")
        assert (by_enum is None) == (by_milp is None)
        if by_milp is not None:
            t, group = by_milp
            sat = approvals[:, list(committee)].sum(axis=1)
            assert np.all(approvals[group][:, list(t)].sum(axis=1) > sat[group])
            assert int(weights[group].sum()) * len(committee) >= len(t) * int(weights.sum())


def test_approval_voting_violates_justified_representation():
    """Aziz et al. (2017): AV fails JR."""
    w = find_violation("jr", "av", n_voters=3, n_alternatives=3, rule_options=K2, cache=CACHE)
    assert w is not None
    assert brute_force([sorted(s) for s in w.profile.to_sets()], w.committee, "jr") is False


@pytest.mark.parametrize("rule, prop", [("cc", "jr"), ("pav", "ejr"), ("seq_phragmen", "pjr"), ("mes", "ejr")])
def test_proportional_rules_satisfy_their_guarantees(rule, prop):
    """Aziz et al. (2017): CC satisfies JR, PAV EJR; Brill et al. (2017): seq-Phragmen PJR; Peters and
    Skowron (2020): equal shares EJR."""
    result = search(prop, rule, n_voters=4, n_alternatives=3, rule_options=K2, cache=CACHE)
    assert result.complete and not result.found


def test_committee_axioms_do_not_apply_to_single_winner_rules():
    ok, reason = get_axiom("ejr").applies_to("borda")
    assert not ok and "approval" in reason
    ok, reason = get_axiom("ejr").applies_to("stv")
    assert not ok
