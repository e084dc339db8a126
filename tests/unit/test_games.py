"""Maximal lotteries (solvers.games) against closed forms, an independent scipy LP, and batch == loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from solvers import Status, ValidationError
from solvers.games import LotteryBatch, LotteryResult, maximal_lottery


def random_margins(rng, m, n_voters):
    """Margins of n_voters random strict rankings (impartial culture), built here independently."""
    ranks = np.argsort(rng.random((n_voters, m)), axis=1)
    support = (ranks[:, :, None] < ranks[:, None, :]).sum(axis=0)
    return support - support.T


def tie_margins(rng, m, values=(-2, 0, 2)):
    upper = np.triu(rng.choice(values, size=(m, m)), 1)
    return upper - upper.T


def scipy_game(M):
    """Independent route: max v s.t. (p @ M)[b] >= v, sum p = 1, p >= 0, with scipy's linprog."""
    m = M.shape[0]
    c = np.r_[np.zeros(m), -1.0]
    A_ub = np.hstack([-M.T, np.ones((m, 1))])
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(m), A_eq=np.r_[np.ones(m), 0.0][None], b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    assert res.status == 0
    return res.x[:m], -res.fun


def scipy_polytope_range(M, j, sense):
    """max (sense=-1) or min (sense=+1) of q_j over the maximal lotteries, with scipy's linprog."""
    m = M.shape[0]
    c = np.zeros(m)
    c[j] = sense
    res = linprog(c, A_ub=-M.T, b_ub=np.zeros(m), A_eq=np.ones((1, m)), b_eq=[1.0], bounds=[(0, None)] * m,
                  method="highs")
    assert res.status == 0
    return sense * res.fun


def scipy_unique(M, tol=1e-7):
    m = M.shape[0]
    return all(scipy_polytope_range(M, j, -1.0) - scipy_polytope_range(M, j, 1.0) <= tol for j in range(m))


def is_maximal(M, p, tol=1e-9):
    return np.all(p >= -tol) and abs(p.sum() - 1) <= tol and np.all(p @ M >= -tol * max(1, np.abs(M).max()))


# ------------------------------------------------------------------ closed forms
def test_rock_paper_scissors_is_uniform():
    res = maximal_lottery([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    assert isinstance(res, LotteryResult) and res.status is Status.OPTIMAL
    np.testing.assert_allclose(res.lottery, [1 / 3] * 3, atol=1e-12)
    assert res.unique and res.support == (0, 1, 2)
    assert res.objective == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=40)
@given(st.integers(1, 50), st.integers(1, 50), st.integers(1, 50), st.permutations(range(5)))
def test_weighted_three_cycle_closed_form(x, y, z, perm):
    """0 beats 1 by x, 1 beats 2 by y, 2 beats 0 by z: (p @ M) = 0 on the cycle gives p = (y, z, x) / (x+y+z).

    Embedded among five alternatives (3 and 4 lose to everyone), relabeled by ``perm``.
    """
    M = np.zeros((5, 5), dtype=np.int64)
    M[0, 1], M[1, 2], M[2, 0] = x, y, z
    M[:3, 3:] = 1
    M = M - M.T
    P = np.empty(5, dtype=np.int64)
    P[list(perm)] = np.arange(5)  # new id of a is perm[a]
    Mp = np.empty_like(M)
    Mp[np.ix_(perm, perm)] = M
    res = maximal_lottery(Mp)
    expected = np.zeros(5)
    expected[[perm[0], perm[1], perm[2]]] = np.array([y, z, x]) / (x + y + z)
    np.testing.assert_allclose(res.lottery, expected, atol=1e-12)
    assert res.unique


def test_condorcet_winner_gets_probability_one_without_an_lp():
    M = np.array([[0, 3, 1, 5], [-3, 0, -1, 1], [-1, 1, 0, 1], [-5, -1, -1, 0]])
    res = maximal_lottery(M)
    assert res.lottery.tolist() == [1.0, 0.0, 0.0, 0.0]
    assert res.method == "condorcet" and res.unique and res.info.backend == "numpy"


def test_weak_condorcet_winner_is_not_unique():
    # 0 ties 2 and beats 1; 2 ties everyone: every lottery on {0, 2} is maximal
    res = maximal_lottery([[0, 2, 0], [-2, 0, 0], [0, 0, 0]], essential=True)
    assert is_maximal(np.array([[0, 2, 0], [-2, 0, 0], [0, 0, 0]]), res.lottery)
    assert res.unique is False and res.essential == (0, 2)


def test_all_zero_margins_every_lottery_is_maximal():
    res = maximal_lottery(np.zeros((4, 4)), essential=True)
    assert res.unique is False and res.essential == (0, 1, 2, 3)


# ------------------------------------------------------------------ against an independent LP
@pytest.mark.parametrize("m,n_voters", [(4, 5), (6, 7), (8, 11), (8, 101), (12, 31), (20, 51)])
def test_matches_scipy_when_unique(m, n_voters):
    rng = np.random.default_rng(m * 1000 + n_voters)
    for _ in range(6):
        M = random_margins(rng, m, n_voters)  # odd electorate, strict ballots: unique (Laffond et al. 1997)
        res = maximal_lottery(M)
        p, value = scipy_game(M)
        assert value == pytest.approx(0.0, abs=1e-9)
        np.testing.assert_allclose(res.lottery, p, atol=1e-8)
        assert res.unique and res.certificate.ok and res.status is Status.OPTIMAL


@pytest.mark.parametrize("method", ["auto", "enumeration", "lp", "double_oracle"])
def test_every_method_gives_a_maximal_lottery_and_the_right_uniqueness(method):
    rng = np.random.default_rng(7)
    for m in (3, 5, 7):
        for _ in range(8):
            M = tie_margins(rng, m)
            res = maximal_lottery(M, method=method)
            assert is_maximal(M, res.lottery)
            assert res.unique == scipy_unique(M), M


def test_lp_duality_the_opponent_strategy_is_optimal_too():
    rng = np.random.default_rng(3)
    for m in (5, 9, 15):
        M = random_margins(rng, m, 2 * m + 1)
        res = maximal_lottery(M, method="lp")
        q = res.opponent
        # q guarantees the column player the value 0: no row beats it
        assert np.max(M @ q) <= 1e-9 * np.abs(M).max()
        assert q.sum() == pytest.approx(1.0) and q.min() >= -1e-12
        assert res.duals["simplex"][0] == pytest.approx(0.0, abs=1e-9)
        # strong duality: min_b (p @ M)[b] == max_a (M @ q)[a] == 0
        assert min(res.lottery @ M) == pytest.approx(max(M @ q), abs=1e-8)


def test_essential_set_against_scipy():
    rng = np.random.default_rng(11)
    for m in (4, 6, 9):
        for _ in range(5):
            M = tie_margins(rng, m)
            res = maximal_lottery(M, essential=True)
            expected = tuple(j for j in range(m) if scipy_polytope_range(M, j, -1.0) > 1e-7)
            assert res.essential == expected


def test_double_oracle_on_a_large_game_matches_the_lp():
    rng = np.random.default_rng(5)
    M = random_margins(rng, 150, 301)
    a = maximal_lottery(M, method="double_oracle")
    b = maximal_lottery(M, method="lp")
    assert a.method == "double_oracle" and a.certificate.ok
    np.testing.assert_allclose(a.lottery, b.lottery, atol=1e-8)


def test_non_integer_margins():
    rng = np.random.default_rng(2)
    for m in (3, 6, 10):
        A = np.triu(rng.normal(size=(m, m)), 1)
        M = A - A.T
        res = maximal_lottery(M)
        p, _ = scipy_game(M)
        np.testing.assert_allclose(res.lottery, p, atol=1e-7)
        assert res.certificate.ok


# ------------------------------------------------------------------ batches
def test_batch_equals_loop_and_keeps_the_batch_shape():
    rng = np.random.default_rng(9)
    singles = [random_margins(rng, 6, 9) for _ in range(10)] + [tie_margins(rng, 6) for _ in range(8)]
    M = np.stack(singles).reshape(3, 6, 6, 6)
    batch = maximal_lottery(M, essential=True)
    assert isinstance(batch, LotteryBatch) and batch.shape == (3, 6)
    assert batch.lotteries.shape == (3, 6, 6) and batch.ok.all()
    for idx in np.ndindex(3, 6):
        one = maximal_lottery(M[idx], essential=True)
        np.testing.assert_allclose(batch.lotteries[idx], one.lottery, atol=1e-12)
        assert batch.unique[idx] == one.unique and batch.method[idx] == one.method
        item = batch[idx]
        assert item.essential == one.essential and item.status is one.status
        assert is_maximal(M[idx], batch.lotteries[idx])


def test_batch_of_large_games_and_repr():
    rng = np.random.default_rng(4)
    M = np.stack([random_margins(rng, 10, 21) for _ in range(4)])
    batch = maximal_lottery(M)
    for i in range(4):
        p, _ = scipy_game(M[i])
        np.testing.assert_allclose(batch.lotteries[i], p, atol=1e-8)
    assert "LotteryBatch(shape=(4,)" in repr(batch) and "<pre>" in batch._repr_html_()
    assert "lottery=" in repr(batch[0])


def test_input_is_not_mutated():
    M = np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    before = M.copy()
    maximal_lottery(M)
    assert np.array_equal(M, before) and M.flags.writeable


# ------------------------------------------------------------------ validation
def test_validation_messages():
    with pytest.raises(ValidationError, match="'margins' parameter of maximal_lottery must be an array of square"):
        maximal_lottery(np.zeros((2, 3)))
    with pytest.raises(ValidationError, match="must be antisymmetric.*S - S.T"):
        maximal_lottery([[0, 1], [1, 0]])
    bad = np.zeros((2, 3, 3))
    bad[1, 0, 1] = 1
    with pytest.raises(ValidationError, match=r"Instance \(1,\) is not"):
        maximal_lottery(bad)
    with pytest.raises(ValidationError, match="finite"):
        maximal_lottery([[0, np.nan], [np.nan, 0]])
    with pytest.raises(ValidationError, match="'method' parameter of maximal_lottery must be one of"):
        maximal_lottery(np.zeros((2, 2)), method="simplex")
    with pytest.raises(ValidationError, match="'atol' parameter"):
        maximal_lottery(np.zeros((2, 2)), atol=0)
    with pytest.raises(ValidationError, match="'backend' parameter"):
        maximal_lottery(np.zeros((2, 2)), backend="gurobi")
