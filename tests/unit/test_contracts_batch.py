"""Batches of contract instances with different outcome matrices, re-solved without rebuilding."""

import numpy as np
import pytest
from scipy.optimize import linprog

from solvers import contracts as sc
from solvers.errors import ValidationError
from solvers.result import Status


def _independent_min_pay(P, c, a):
    """Min-pay through scipy's linprog in the textbook form (IC rows, IR row, t >= 0)."""
    others = [b for b in range(P.shape[0]) if b != a]
    A = np.vstack([P[a] - P[others], P[a][None, :]])
    b = np.r_[c[a] - c[others], c[a]]
    res = linprog(P[a], A_ub=-A, b_ub=-b, bounds=(0, None), method="highs")
    return res.fun if res.status == 0 else np.inf


def _check_ic_in_numpy(P, c, a, t, tol=1e-7):
    u = P @ t - c
    assert np.min(t) >= -tol
    assert u[a] >= np.max(u) - tol
    assert u[a] >= -tol


@pytest.mark.parametrize("backend", ["highs", "scipy"])
def test_binary_outcome_batch_pays_dc_over_dp(backend):
    rng = np.random.default_rng(11)
    batch = 12
    p_low = rng.uniform(0.0, 0.5, batch)
    p_high = p_low + rng.uniform(0.05, 0.5, batch)
    dc = rng.uniform(0.1, 1.0, batch)
    probs = np.stack([np.c_[1 - p_low, p_low], np.c_[1 - p_high, p_high]], axis=1)   # (batch, 2, 2)
    costs = np.c_[np.zeros(batch), dc]
    values = np.c_[p_low, p_high] * 10.0                                              # success worth 10
    out = sc.best_action_batch(probs, costs, values, backend=backend)
    pay_high = p_high * dc / (p_high - p_low)                                        # dc / dp on success
    expected_value = np.maximum(values[:, 0], values[:, 1] - pay_high)
    expected_action = np.where(values[:, 1] - pay_high > values[:, 0] + 1e-12, 1, 0)
    np.testing.assert_allclose(out.value, expected_value, atol=1e-8)
    np.testing.assert_array_equal(out.action, expected_action)
    hi = expected_action == 1
    np.testing.assert_allclose(out.payments[hi, 1], (dc / (p_high - p_low))[hi], atol=1e-8)
    np.testing.assert_allclose(out.payments[hi, 0], 0.0, atol=1e-9)
    assert all(s is Status.OPTIMAL for s in out.status)


@pytest.mark.parametrize("prune", [True, False])
@pytest.mark.parametrize("backend", ["highs", "scipy"])
def test_batch_of_different_matrices_equals_rebuild_and_brute_force(prune, backend):
    rng = np.random.default_rng(12)
    batch, n, m = 10, 4, 5
    probs = rng.dirichlet(np.ones(m), size=(batch, n))
    probs[::3, 1, :2] = 0.0                        # zeros change the sparsity pattern between instances
    probs /= probs.sum(axis=2, keepdims=True)
    costs = np.sort(rng.uniform(0, 1, (batch, n)), axis=1)
    costs[:, 0] = 0.0
    rewards = np.sort(rng.uniform(0, 4, (batch, m)), axis=1)
    values = np.einsum("bam,bm->ba", probs, rewards)
    out = sc.best_action_batch(probs, costs, values, prune=prune, backend=backend)
    for i in range(batch):
        rebuilt = sc.best_action(probs[i], costs[i], values[i], prune=prune, backend=backend)
        brute = values[i] - np.array([_independent_min_pay(probs[i], costs[i], a) for a in range(n)])
        assert out.value[i] == pytest.approx(rebuilt.value, abs=1e-8)
        assert out.value[i] == pytest.approx(brute.max(), abs=1e-7)
        assert brute[out.action[i]] == pytest.approx(brute.max(), abs=1e-7)
        _check_ic_in_numpy(probs[i], costs[i], out.action[i], out.payments[i])
        assert out.expected_payment[i] == pytest.approx(probs[i, out.action[i]] @ out.payments[i], abs=1e-10)
    assert np.all(out.max_ic_violation <= 1e-7)


def test_set_probs_updates_min_pay_and_min_budget_in_place():
    rng = np.random.default_rng(13)
    prog = sc.ContractProgram(rng.dirichlet(np.ones(4), size=2))
    costs = np.array([0.0, 0.3])
    prog.min_pay(1, costs)
    prog.min_budget(1, costs)
    caches = (prog._pay_lp._caches["highs"], prog._budget_lp._caches["highs"])
    for _ in range(5):
        P = rng.dirichlet(np.ones(4), size=2)
        prog.set_probs(P)
        tv = 0.5 * np.abs(P[1] - P[0]).sum()
        budget = prog.min_budget(1, costs)
        assert budget.objective == pytest.approx(0.3 / tv, abs=1e-8)        # two actions: dc / TV
        _check_ic_in_numpy(P, costs, 1, budget.x)
        pay = prog.min_pay(1, costs)
        assert pay.expected_payment == pytest.approx(_independent_min_pay(P, costs, 1), abs=1e-8)
    assert (prog._pay_lp._caches["highs"], prog._budget_lp._caches["highs"]) == caches
    assert all(c.builds == 1 for c in caches)


def test_set_probs_validation():
    prog = sc.ContractProgram([[0.9, 0.1], [0.4, 0.6]])
    with pytest.raises(ValidationError, match=r"The 'probs' parameter of ContractProgram.set_probs must be an array "
                                              r"of shape \(2, 2\)"):
        prog.set_probs([[0.9, 0.1], [0.4, 0.6], [0.5, 0.5]])
    with pytest.raises(ValidationError, match=r"'probs' parameter of ContractProgram.set_probs"):
        prog.set_probs([[0.9, 0.2], [0.4, 0.6]])
