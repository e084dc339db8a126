"""Approval committee rules and JR/PJR/EJR checks: hand-computed cases, brute force, MILP vs enumeration."""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest

from mechanisms import ValidationError
from mechanisms.profiles import ApprovalProfile, Profile
from mechanisms.social_choice import get_rule, list_rules
from mechanisms.social_choice.proportionality import is_ejr, is_jr, is_pjr
from solvers.committees import thiele_committees, thiele_marginals

# 6 voters approve {a, b, c} = {0, 1, 2}, 4 voters approve {d} = {3}; k = 3
SIX_FOUR = ApprovalProfile.from_sets([{0, 1, 2}] * 6 + [{3}] * 4, n_alternatives=4)
TWO_OF_ABC_PLUS_D = ((0, 1, 3), (0, 2, 3), (1, 2, 3))


def _brute_thiele(A, w, k, weights_fn):
    """All optimal committees by enumeration with exact Fraction scores."""
    m = A.shape[1]
    best, out = None, []
    for W in itertools.combinations(range(m), k):
        score = sum((wi * sum((weights_fn(l) for l in range(1, int(A[i, list(W)].sum()) + 1)), Fraction(0))
                     for i, wi in enumerate(w)), Fraction(0))
        if best is None or score > best:
            best, out = score, [W]
        elif score == best:
            out.append(W)
    return tuple(out)


def test_six_four_example():
    assert get_rule("av")(SIX_FOUR, k=3).committees == ((0, 1, 2),)
    for rule in ("pav", "seq_pav", "seq_phragmen", "mes", "cc"):
        assert get_rule(rule)(SIX_FOUR, k=3).committees == TWO_OF_ABC_PLUS_D, rule
    # SAV: the 4 d-voters give d 4 points; a, b, c get 2 each
    r = get_rule("sav")(SIX_FOUR, k=1)
    assert r.committees == ((3,),) and r.scores.tolist() == [2.0, 2.0, 2.0, 4.0]


def test_proportionality_checks_on_the_six_four_example():
    # AV's committee leaves the 4 d-voters (>= n/k = 10/3) unrepresented: a JR violation with its witness
    check = is_jr(SIX_FOUR, [0, 1, 2])
    assert not check and check.candidates == (3,) and check.voters == (6, 7, 8, 9)
    assert check.group_weight == 4 and check.quota == Fraction(10, 3)
    assert "violated" in repr(check) and "<table>" in check._repr_html_()
    for committee in TWO_OF_ABC_PLUS_D:
        assert is_jr(SIX_FOUR, committee) and is_pjr(SIX_FOUR, committee) and is_ejr(SIX_FOUR, committee)
    # {a, d, ?}: the 6 abc-voters are 1-cohesive only (6 < 2 * 10/3), so one member is enough
    assert is_ejr(SIX_FOUR, [0, 3])
    assert is_jr(SIX_FOUR, [0, 1])                 # k = 2: quota 5, and the 4 d-voters are short of it
    assert not is_jr(SIX_FOUR, [0, 1], k=3)        # quota 10/3 <= 4


@pytest.mark.parametrize("rule, weights_fn", [("pav", lambda l: Fraction(1, l)),
                                              ("cc", lambda l: Fraction(int(l == 1))),
                                              ("av", lambda l: Fraction(1))])
@pytest.mark.parametrize("seed", range(4))
def test_optimal_rules_match_brute_force(rule, weights_fn, seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 9)), int(rng.integers(3, 7))
    A = rng.random((n, m)) < 0.45
    w = rng.integers(1, 4, size=n)
    k = int(rng.integers(1, m))
    expected = _brute_thiele(A, w, k, weights_fn)
    assert get_rule(rule)(ApprovalProfile(A, weights=w), k=k).committees == expected


def test_milp_enumerates_the_same_tie_set_as_brute_force():
    rng = np.random.default_rng(7)
    A = rng.random((14, 10)) < 0.3
    w = rng.integers(1, 3, size=14)
    for rule in ("pav", "cc"):
        a = get_rule(rule)(ApprovalProfile(A, weights=w), k=4, algorithm="brute_force")
        b = get_rule(rule)(ApprovalProfile(A, weights=w), k=4, algorithm="milp")
        assert a.committees == b.committees
    # a symmetric profile: every committee of two of the four clones ties
    clones = ApprovalProfile(np.ones((3, 4), dtype=bool))
    assert get_rule("pav")(clones, k=2, algorithm="milp").committees == tuple(itertools.combinations(range(4), 2))


def test_thiele_scores_are_exact_integers():
    committees, score = thiele_committees([[1, 1, 0], [1, 1, 0], [0, 0, 1]], 2, thiele_marginals("pav", 2))
    assert score == 6                                 # 2 * (1 + 1/2) = 2 + 1, scaled by lcm(1, 2) = 2
    assert committees == [(0, 1), (0, 2), (1, 2)]


def test_mes_completions():
    # n = 5, k = 2, budgets 2/5: the three {0, 1}-voters can buy 0 or 1 (paying 1/3 each), the two
    # {2}-voters only have 4/5 < 1.  After the first purchase nobody can afford anything: the
    # completion decides.  AV takes the most approved (the other of 0/1); seq-Phragmen the candidate
    # whose voters kept their money (2: load (1 - 4/5) / 2 = 1/10 < (1 - 3/15) / 3 = 4/15).
    p = ApprovalProfile.from_sets([{0, 1}] * 3 + [{2}] * 2, n_alternatives=3)
    assert get_rule("mes")(p, k=2, completion="none").committees == ((0,), (1,))
    assert get_rule("mes")(p, k=2, completion="av").committees == ((0, 1),)
    assert get_rule("mes")(p, k=2).committees == ((0, 2), (1, 2))


def test_sequential_rules_explore_every_tie():
    # everyone approves everything: every committee of size 2 is reachable
    p = ApprovalProfile(np.ones((2, 3), dtype=bool))
    for rule in ("seq_pav", "seq_phragmen", "mes"):
        assert get_rule(rule)(p, k=2).committees == ((0, 1), (0, 2), (1, 2)), rule
    # unapproved candidates come last and tie
    q = ApprovalProfile.from_sets([{0}], n_alternatives=3)
    assert get_rule("seq_phragmen")(q, k=2).committees == ((0, 1), (0, 2))


def test_tie_break_selects_one_committee():
    r = get_rule("seq_phragmen")(SIX_FOUR, k=3, tie_break="lexicographic")
    assert r.winners == (0, 1, 3) and r.committees == TWO_OF_ABC_PLUS_D
    assert get_rule("av")(SIX_FOUR, k=2).winners == (0, 1, 2)   # union of the three tied committees


def test_max_committees_warns_and_truncates():
    p = ApprovalProfile(np.zeros((2, 6), dtype=bool))
    with pytest.warns(RuntimeWarning, match="20 tied committees"):
        r = get_rule("av")(p, k=3, max_committees=5)
    assert len(r.committees) == 5 and r.committees[0] == (0, 1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(get_rule("av")(p, k=3).committees) == 20


def test_weights_equal_repeated_ballots():
    A = np.array([[1, 0, 1, 0], [0, 1, 0, 0], [1, 1, 0, 1]], dtype=bool)
    w = [3, 1, 2]
    for rule in ("pav", "cc", "seq_pav", "seq_phragmen", "mes", "sav"):
        a = get_rule(rule)(ApprovalProfile(A, weights=w), k=2).committees
        b = get_rule(rule)(ApprovalProfile(np.repeat(A, w, axis=0)), k=2).committees
        assert a == b, rule


def _brute_cohesive(A, w, W, k, prop):
    """Definitions verbatim: search every group S of voter copies and every ell."""
    voters = [i for i, wi in enumerate(w) for _ in range(wi)]
    n = len(voters)
    Wset = set(W)
    for ell in range(1, k + 1):
        for size in range(1, n + 1):
            if size * k < ell * n:
                continue
            for S in itertools.combinations(range(n), size):
                rows = [voters[s] for s in S]
                common = set(range(A.shape[1]))
                for r in rows:
                    common &= set(np.flatnonzero(A[r]))
                if len(common) < ell:
                    continue
                if prop == "ejr" and all(len(set(np.flatnonzero(A[r])) & Wset) < ell for r in rows):
                    return False
                if prop == "pjr" and len(set().union(*(set(np.flatnonzero(A[r])) for r in rows)) & Wset) < ell:
                    return False
    return True


@pytest.mark.parametrize("seed", range(30))
def test_pjr_and_ejr_match_the_definitions(seed):
    rng = np.random.default_rng(100 + seed)
    n, m = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    A = rng.random((n, m)) < 0.6
    w = [int(x) for x in rng.integers(1, 3, size=n)]
    k = int(rng.integers(1, m + 1))
    W = sorted(rng.choice(m, size=k, replace=False).tolist())
    p = ApprovalProfile(A, weights=w)
    for prop, check in (("pjr", is_pjr), ("ejr", is_ejr)):
        expected = _brute_cohesive(A, w, W, k, prop)
        assert bool(check(p, W)) == expected
        assert bool(check(p, W, algorithm="milp")) == expected
        result = check(p, W)
        if not result:   # the witness is genuine
            assert result.group_weight * k >= result.ell * sum(w)
            assert all(A[i, list(result.candidates)].all() for i in result.voters)
            assert len(result.candidates) == result.ell


def test_rule_metadata_and_registry():
    ids = {r.id for r in list_rules(input_kind="approval", committee=True)}
    assert {"av", "sav", "pav", "cc", "seq_pav", "seq_phragmen", "mes"} <= ids
    assert get_rule("equal_shares") is get_rule("mes") and get_rule("seqphragmen") is get_rule("seq_phragmen")


@pytest.mark.parametrize("call, match", [
    (lambda: get_rule("pav")(SIX_FOUR), r"The 'k' parameter of pav must be given"),
    (lambda: get_rule("cc")(SIX_FOUR, k=5), r"The 'k' parameter of cc must be an int in \[1, 4\]. Got 5"),
    (lambda: get_rule("mes")(SIX_FOUR, k=2, completion="add1"), r"The 'completion' parameter of mes must be one "
                                                                r"of 'seq_phragmen', 'av', 'none'"),
    (lambda: get_rule("pav")(SIX_FOUR, k=2, algorithm="gurobi"), r"The 'algorithm' parameter of pav must be one of"),
    (lambda: get_rule("av")(Profile.from_rankings([[0, 1]]), k=1), r"must be an ApprovalProfile"),
    (lambda: is_ejr(SIX_FOUR, [0, 0]), r"The 'committee' parameter of is_ejr must be distinct candidate ids"),
    (lambda: is_pjr(SIX_FOUR, [0, 9]), r"The 'committee' parameter of is_pjr must be distinct candidate ids in "
                                       r"\[0, 3\]"),
    (lambda: is_jr(SIX_FOUR, [0], k=9), r"The 'k' parameter of is_jr must be an int in \[1, 4\]"),
])
def test_errors(call, match):
    with pytest.raises(ValidationError, match=match):
        call()
