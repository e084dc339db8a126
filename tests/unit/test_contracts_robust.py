"""Robust contracts: Carroll's guarantee and max-min contracts against brute force."""

import itertools

import numpy as np
import pytest

from mechanisms.contracts import PrincipalAgent, carroll_contract, maxmin_contract, robust_guarantee
from solvers.errors import ValidationError
from solvers.result import Status


def _brute_guarantee(P, c, r, w):
    """Worst case over nature's added zero-cost action, by enumerating 1- and 2-point distributions."""
    u = P @ w - c
    U0 = u.max()
    if U0 < 0:
        known = 0.0
    else:
        tied = np.flatnonzero(u >= U0 - 1e-12)
        known = max(P[a] @ (r - w) for a in tied)
    level = max(U0, 0.0)
    if w.max() <= level + 1e-12:
        return known
    best = np.inf
    m = w.size
    for i in range(m):
        if w[i] >= level:
            best = min(best, r[i] - w[i])
    for i, j in itertools.permutations(range(m), 2):
        if w[i] < level < w[j]:
            lam = (w[j] - level) / (w[j] - w[i])  # weight on i
            best = min(best, lam * (r[i] - w[i]) + (1 - lam) * (r[j] - w[j]))
    return min(known, best)


def _instances(rng, k):
    for _ in range(k):
        m = int(rng.integers(2, 4))
        n = int(rng.integers(1, 4))
        P = rng.dirichlet(np.ones(m), size=n)
        c = rng.uniform(0.0, 1.0, n)
        r = np.r_[0.0, np.sort(rng.uniform(0.5, 4.0, m - 1))]
        yield P, c, r


def test_guarantee_matches_enumeration_of_nature_moves():
    rng = np.random.default_rng(10)
    for P, c, r in _instances(rng, 20):
        pa = PrincipalAgent(P, c, r)
        for _ in range(5):
            w = rng.uniform(0.0, 3.0, r.size)
            assert robust_guarantee(pa, w).value == pytest.approx(_brute_guarantee(P, c, r, w), abs=1e-8)


def test_carroll_closed_form_and_theorem_on_a_grid_of_contracts():
    rng = np.random.default_rng(11)
    for P, c, r in _instances(rng, 6):
        pa = PrincipalAgent(P, c, r)
        res = carroll_contract(pa)
        assert res.status is Status.OPTIMAL
        R = P @ r
        closed = max(max((np.sqrt(Ra) - np.sqrt(ca)) ** 2 for Ra, ca in zip(R, c) if Ra > ca), 0.0) \
            if np.any(R > c) else 0.0
        assert res.guarantee == pytest.approx(closed, abs=1e-9)
        # Brute force over linear contracts on a fine alpha grid: Carroll's alpha is the best.
        alphas = np.linspace(0.0, 1.0, 401)
        lin = max(_brute_guarantee(P, c, r, a * r) for a in alphas)
        assert lin <= res.guarantee + 1e-9
        assert lin >= res.guarantee - 0.05
        # Theorem: no contract on a grid beats the best linear guarantee.
        grid = np.linspace(0.0, 3.0, 13 if r.size == 3 else 41)
        for w in itertools.product(grid, repeat=r.size):
            assert _brute_guarantee(P, c, r, np.array(w)) <= res.guarantee + 1e-9


def test_carroll_needs_normalized_rewards():
    pa = PrincipalAgent([[0.5, 0.5]], [0.1], [1.0, 2.0])
    with pytest.raises(ValidationError, match="lowest reward is 0"):
        carroll_contract(pa)
    with pytest.raises(ValidationError, match="'model' parameter of robust_guarantee must be a PrincipalAgent"):
        robust_guarantee("model", [0.0, 1.0])


def _brute_maxmin(models, grid):
    """Max over a grid of contracts of the worst principal utility (ties to the principal), vectorized."""
    W = np.array(list(itertools.product(grid, repeat=2)))
    worst = np.full(len(W), np.inf)
    for P, c, r in models:
        U = W @ P.T - c                                   # agent utility per contract and action
        V = (P @ r)[None, :] - W @ P.T                    # principal utility per contract and action
        best_u = U.max(axis=1, keepdims=True)
        val = np.where(U >= best_u - 1e-12, V, -np.inf).max(axis=1)
        val = np.where(best_u[:, 0] < -1e-12, -np.inf, val)  # nobody participates
        worst = np.minimum(worst, val)
    return worst.max()


def test_maxmin_over_a_finite_ambiguity_set_matches_grid_search():
    rng = np.random.default_rng(12)
    grid = np.linspace(0.0, 4.0, 161)
    for _ in range(4):
        models = []
        for _ in range(2):
            P = rng.dirichlet(np.ones(2), size=3)
            c = np.r_[0.0, np.sort(rng.uniform(0.0, 1.0, 2))]
            models.append((P, c, np.array([0.0, 4.0])))
        res = maxmin_contract([PrincipalAgent(*mdl) for mdl in models])
        brute = _brute_maxmin(models, grid)
        assert res.status is Status.OPTIMAL
        assert brute <= res.guarantee + 1e-9
        assert res.guarantee - brute <= 4.0 / 160 + 1e-9  # a grid step moves the value by at most one step
        assert res.certificate.ok
    # One member: the max-min contract is the optimal contract.
    P, c, r = models[0]
    single = maxmin_contract([PrincipalAgent(P, c, r)])
    assert single.guarantee == pytest.approx(PrincipalAgent(P, c, r).optimal_contract().principal_utility, abs=1e-8)


def test_maxmin_validation():
    pa = PrincipalAgent([[0.5, 0.5]], [0.1], [0.0, 2.0])
    other = PrincipalAgent([[0.2, 0.3, 0.5]], [0.1], [0.0, 1.0, 2.0])
    with pytest.raises(ValidationError, match="same number of signals"):
        maxmin_contract([pa, other])
    with pytest.raises(ValidationError, match="nonempty sequence of PrincipalAgent"):
        maxmin_contract(pa)
