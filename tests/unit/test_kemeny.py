"""Kemeny and Slater rankings (solvers.ordering and the registry rules) against brute force over all m! rankings."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule
from solvers import Status, ValidationError
from solvers.ordering import kemeny_rankings, linear_ordering, ranking_score, slater_rankings


def brute_force(W):
    """Every ranking maximizing sum_{i<j} W[r_i, r_j], by enumeration (lexicographic order)."""
    W = np.asarray(W)
    m = W.shape[0]
    best, out = None, []
    for r in itertools.permutations(range(m)):
        s = sum(W[r[i], r[j]] for i in range(m) for j in range(i + 1, m))
        if best is None or s > best + 1e-12:
            best, out = s, [r]
        elif abs(s - best) <= 1e-12:
            out.append(r)
    return best, out


@st.composite
def margin_matrices(draw, max_m=6, spread=4):
    m = draw(st.integers(1, max_m))
    upper = draw(st.lists(st.integers(-spread, spread), min_size=m * m, max_size=m * m))
    A = np.triu(np.array(upper, dtype=np.int64).reshape(m, m), 1)
    return A - A.T


@settings(max_examples=60, deadline=None)
@given(margin_matrices(), st.sampled_from(["dp", "milp"]))
def test_all_optimal_kemeny_rankings_equal_brute_force(M, method):
    best, rankings = brute_force(M)
    res = kemeny_rankings(M, all_optimal=True, method=method, tops=True)
    assert res.status is Status.OPTIMAL and res.certificate.ok
    assert res.objective == best
    assert list(res.rankings) == rankings
    assert res.n_optimal == len(rankings) and res.complete
    assert res.tops == tuple(sorted({r[0] for r in rankings}))
    assert tuple(res.ranking) == rankings[0]


@settings(max_examples=40, deadline=None)
@given(margin_matrices(max_m=6, spread=3), st.sampled_from(["dp", "milp"]))
def test_all_optimal_slater_rankings_equal_brute_force(M, method):
    _, rankings = brute_force(np.sign(M))
    res = slater_rankings(M, all_optimal=True, method=method)
    assert list(res.rankings) == rankings and res.n_optimal == len(rankings)


def test_seven_alternatives_both_methods():
    rng = np.random.default_rng(0)
    for _ in range(3):
        ranks = np.argsort(rng.random((6, 7)), axis=1)
        S = (ranks[:, :, None] < ranks[:, None, :]).sum(axis=0)
        best, rankings = brute_force(S)  # a support matrix: same rankings as the margins
        for method in ("dp", "milp"):
            res = linear_ordering(S, all_optimal=True, method=method)
            assert res.objective == best and list(res.rankings) == rankings


def test_non_integer_weights():
    rng = np.random.default_rng(1)
    W = rng.random((6, 6))
    best, rankings = brute_force(W)
    for method in ("dp", "milp"):
        res = linear_ordering(W, all_optimal=True, method=method)
        assert res.objective == pytest.approx(best) and list(res.rankings) == rankings


def test_milp_and_dp_agree_beyond_brute_force():
    rng = np.random.default_rng(2)
    for m, n in ((12, 8), (14, 1001)):
        ranks = np.argsort(rng.random((n, m)), axis=1)
        S = (ranks[:, :, None] < ranks[:, None, :]).sum(axis=0)
        M = S - S.T
        a = kemeny_rankings(M, method="dp", tops=True)
        b = kemeny_rankings(M, method="milp", tops=True)
        assert a.objective == b.objective and a.tops == b.tops
        assert ranking_score(M, b.ranking) == a.objective


def test_kendall_tau_distance_identity():
    """With a support matrix of complete strict ballots, distance = n * C(m, 2) - score."""
    rng = np.random.default_rng(3)
    rankings = np.array([rng.permutation(5) for _ in range(9)])
    p = Profile.from_rankings(rankings)
    res = kemeny_rankings(p.support_matrix())
    pos = {a: i for i, a in enumerate(res.ranking)}
    distance = 0
    for r in rankings:
        vpos = {a: i for i, a in enumerate(r)}
        distance += sum((pos[a] < pos[b]) != (vpos[a] < vpos[b]) for a, b in itertools.combinations(range(5), 2))
    assert distance == 9 * math.comb(5, 2) - res.objective


def test_decomposition_orders_condorcet_blocks():
    # 0 beats everyone; {1, 2, 3} is a cycle; 4 loses to everyone
    M = np.zeros((5, 5), dtype=np.int64)
    M[0, 1:] = 3
    M[1, 2], M[2, 3], M[3, 1] = 2, 2, 1
    M[:4, 4] = 1
    M = M - M.T
    M[0, 4], M[4, 0] = 3, -3
    res = kemeny_rankings(M, all_optimal=True)
    assert res.components == ((0,), (1, 2, 3), (4,))
    assert res.rankings == ((0, 1, 2, 3, 4),) and res.tops == (0,)
    assert res.proofs == ("trivial", "dp", "trivial")


def test_all_zero_margins_count_every_ranking_and_cap_the_list():
    res = kemeny_rankings(np.zeros((6, 6)), all_optimal=True, max_solutions=10)
    assert res.n_optimal == math.factorial(6) and len(res.rankings) == 10 and not res.complete
    assert res.tops == tuple(range(6))


def test_larger_instance_by_milp_certified():
    rng = np.random.default_rng(4)
    ranks = np.argsort(rng.random((301, 24)), axis=1)
    S = (ranks[:, :, None] < ranks[:, None, :]).sum(axis=0)
    res = kemeny_rankings(S - S.T)
    assert res.status is Status.OPTIMAL and res.certificate.ok
    assert any(p in ("lp", "milp") for p in res.proofs)
    assert sorted(res.ranking.tolist()) == list(range(24))
    assert res.objective == ranking_score(S - S.T, res.ranking)


# ------------------------------------------------------------------ the registry rules
@settings(max_examples=30, deadline=None)
@given(st.integers(2, 5), st.lists(st.integers(0, 10**6), min_size=1, max_size=6))
def test_kemeny_and_slater_rules_against_brute_force(m, seeds):
    rows = [np.random.default_rng(s).permutation(m) for s in seeds]
    p = Profile.from_rankings(rows)
    M = p.margin_matrix()
    for rule_id, W in (("kemeny", M), ("slater", np.sign(M))):
        _, rankings = brute_force(W)
        res = get_rule(rule_id)(p)
        assert res.winners == tuple(sorted({r[0] for r in rankings}))
        if len(rankings) == 1:
            assert res.ranking == tuple((a,) for a in rankings[0])
        else:
            assert res.ranking is None


def test_kemeny_rule_with_ties_and_truncation_uses_margins():
    p = Profile.from_weak_orders([[[0], [1, 2]], [[2], [0]], [[1], [2], [0]]], n_alternatives=3)
    _, rankings = brute_force(p.margin_matrix())
    assert get_rule("kemeny")(p).winners == tuple(sorted({r[0] for r in rankings}))


# ------------------------------------------------------------------ validation
def test_validation_messages():
    with pytest.raises(ValidationError, match="'weights' parameter of linear_ordering must be a square"):
        linear_ordering(np.zeros((2, 3)))
    with pytest.raises(ValidationError, match="'margins' parameter of kemeny_rankings must be a square"):
        kemeny_rankings(np.zeros((3, 2)))
    with pytest.raises(ValidationError, match="'max_solutions' parameter of slater_rankings must be an int"):
        slater_rankings(np.zeros((2, 2)), max_solutions=0)
    with pytest.raises(ValidationError, match="'method' parameter of kemeny_rankings must be one of"):
        kemeny_rankings(np.zeros((2, 2)), method="brute")
    rng = np.random.default_rng(0)
    A = np.triu(rng.choice([-1, 1], size=(20, 20)), 1)
    with pytest.raises(ValidationError, match="'method' parameter of kemeny_rankings must be 'auto' or 'milp'"):
        kemeny_rankings(A - A.T, method="dp")


def _brute_tops(W):
    """First elements of the optimal rankings, by enumeration of all m! rankings (vectorized)."""
    W = np.asarray(W, dtype=np.int64)
    m = W.shape[0]
    perms = np.array(list(itertools.permutations(range(m))), dtype=np.int64)
    iu, ju = np.triu_indices(m, 1)
    scores = W[perms[:, iu], perms[:, ju]].sum(axis=1)
    return tuple(sorted(set(perms[scores == scores.max(), 0].tolist())))


@settings(max_examples=60, deadline=None)
@given(margin_matrices(max_m=7, spread=2))
def test_milp_tops_are_exactly_the_first_elements_of_optimal_rankings(M):
    # spread 2 gives many zero and tied margins, so several optimal rankings with different tops;
    # method="milp" sends every block of two or more to the pruned constrained solves
    res = kemeny_rankings(M, method="milp", tops=True)
    assert res.tops == _brute_tops(M)


def test_milp_tops_on_a_tied_cycle_and_a_clear_order_match_brute_force():
    cycle = np.array([[0, 2, -2, 0, 0], [-2, 0, 2, 0, 0], [2, -2, 0, 0, 0], [0, 0, 0, 0, 2], [0, 0, 0, -2, 0]])
    clear = np.triu(np.ones((6, 6), dtype=np.int64), 1) * 2
    clear = clear - clear.T
    for M in (cycle, clear, -clear, np.zeros((5, 5), dtype=np.int64)):
        assert kemeny_rankings(M, method="milp", tops=True).tops == _brute_tops(M)


def test_constrained_block_with_a_floor_decides_reachability_like_the_dynamic_program():
    # the private step behind tops=True: "is there a ranking with j on top scoring at least floor?";
    # this 14-alternative block has a fractional LP relaxation, so floors above the constrained optimum
    # reach the feasibility MILP; the oracle is j followed by the subset DP's optimal ranking of the rest
    from solvers.ordering import _milp_block, _PairModel

    rng = np.random.default_rng(0)
    m = 14
    for _ in range(71):
        A = np.triu(rng.choice([-3, -1, 1, 3], size=(m, m)), 1)
    K = (A - A.T).astype(np.float64)
    pairs = _PairModel(K)
    assert _milp_block(K, True, 0.0, False, 1, "highs", None, 1e-9)[4] == "milp"  # the LP alone is not enough
    for j in range(0, m, 2):
        rest = np.array([a for a in range(m) if a != j])
        below = rest[linear_ordering(K[np.ix_(rest, rest)], method="dp").ranking]
        best_j = float(pairs.c @ pairs.x_of(np.concatenate([[j], below])))
        for floor in (best_j, best_j + 2.0, best_j + 6.0):
            out = _milp_block(K, True, 0.0, False, 1, "highs", None, 1e-9, first=j, floor=floor)
            assert (out[1] >= floor - 0.5) == (best_j >= floor)
            assert out[0][0][0] == j
