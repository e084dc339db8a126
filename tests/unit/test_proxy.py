"""Proxy rewards (Zhuang and Hadfield-Menell 2020) against closed forms and scipy.

Independent routes:
* log utility with non-binding floors: the optimum spends the budget in proportion to the
  weights, s_i = w_i R / (c_i W), typed in here;
* general CRRA with binding floors: scipy.optimize.minimize (SLSQP) on the same problem;
* loss bounds and monotonicity as hypothesis properties.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from mechanisms.contracts.proxy import ProxyRewardModel
from solvers.errors import ValidationError


def crra(s, rho):
    return np.log(s) if rho == 1.0 else s ** (1 - rho) / (1 - rho)


def scipy_optimum(w, c, b, B, rho, mask):
    """Maximize sum_{mask} w u(s) s.t. c s <= B, s >= b with SLSQP (unmentioned start at their floors)."""
    def neg(s):
        return -float(np.sum(w[mask] * crra(s[mask], rho)))

    x0 = b + 0.5 * (B - c @ b) / (c.sum())
    res = optimize.minimize(neg, x0, method="SLSQP", bounds=[(bi + 1e-12, None) for bi in b],
                            constraints=[{"type": "ineq", "fun": lambda s: B - c @ s}],
                            options={"ftol": 1e-14, "maxiter": 1000})
    return res.x, -res.fun


def test_log_closed_form():
    w = np.array([1.0, 2.0, 3.0, 4.0])
    c = np.array([1.0, 0.5, 2.0, 1.0])
    B, floor = 20.0, 0.01
    model = ProxyRewardModel(w, B, prices=c, floors=floor)
    opt = model.optimum()
    np.testing.assert_allclose(opt.state, w * B / (c * w.sum()), rtol=1e-12)
    assert opt.loss == 0.0
    J = [1, 3]
    out = model.optimum(J)
    R = B - floor * (c[0] + c[2])  # the unmentioned attributes sit at their floors
    expected = np.full(4, floor)
    expected[J] = w[J] * R / (c[J] * w[J].sum())
    np.testing.assert_allclose(out.state, expected, rtol=1e-12)
    u_star = float(np.sum(w * np.log(w * B / (c * w.sum()))))
    u_J = float(np.sum(w * np.log(expected)))
    assert out.optimal_utility == pytest.approx(u_star)
    assert out.true_utility == pytest.approx(u_J)
    assert out.loss == pytest.approx(u_star - u_J)
    # bound: what the unmentioned attributes contribute above their floors at the optimum
    s_star = w * B / (c * w.sum())
    assert out.loss_bound == pytest.approx(float(np.sum(w[[0, 2]] * (np.log(s_star[[0, 2]]) - np.log(floor)))))
    assert out.loss <= out.loss_bound
    # shadow price of the resource: w_j / (c_j s_j) on every interior mentioned attribute
    assert out.shadow_price == pytest.approx(w[1] / (c[1] * expected[1]))


def test_unbounded_loss_when_floor_is_zero():
    # log utility, floor 0: the unmentioned attribute is driven to 0 and utility to -inf
    model = ProxyRewardModel([1.0, 1.0, 1.0], 3.0)
    out = model.optimum([0, 1])
    assert out.true_utility == -np.inf and out.loss == np.inf
    np.testing.assert_allclose(out.state, [1.5, 1.5, 0.0])
    # with a floor eps the loss is exactly 2 log(1) - 2 log(1.5 - eps/2) ... typed in: grows like log(1/eps)
    for eps in (1e-2, 1e-4, 1e-6):
        out = ProxyRewardModel([1.0, 1.0, 1.0], 3.0, floors=eps).optimum([0, 1])
        expected = 0.0 - (2 * np.log((3 - eps) / 2) + np.log(eps))
        assert out.loss == pytest.approx(expected, rel=1e-12)


@settings(max_examples=25)
@given(st.integers(2, 5).flatmap(lambda L: st.tuples(
    st.lists(st.floats(0.2, 3.0), min_size=L, max_size=L),
    st.lists(st.floats(0.2, 3.0), min_size=L, max_size=L),
    st.lists(st.floats(0.0, 1.0), min_size=L, max_size=L),
    st.sampled_from([0.5, 1.0, 2.0]),
    st.lists(st.booleans(), min_size=L, max_size=L))))
def test_random_instances_match_scipy(case):
    w, c, b, rho, mask = case
    w, c, b, mask = np.asarray(w), np.asarray(c), np.asarray(b) + 0.05, np.array(mask, dtype=bool)
    if not mask.any():
        mask[0] = True
    B = float(c @ b) + 3.0
    model = ProxyRewardModel(w, B, prices=c, floors=b, curvature=rho)
    out = model.optimum(mask)
    x_sp, val_sp = scipy_optimum(w, c, b, B, rho, mask)
    # the closed form is at least as good as scipy and agrees with it
    assert out.proxy_value >= val_sp - 1e-7
    assert out.proxy_value == pytest.approx(val_sp, abs=1e-6)
    np.testing.assert_allclose(out.state[mask], x_sp[mask], atol=1e-4)
    np.testing.assert_allclose(out.state[~mask], b[~mask])  # unmentioned attributes at their floors
    assert c @ out.state == pytest.approx(B)
    # the true optimum agrees with scipy too
    x_all, val_all = scipy_optimum(w, c, b, B, rho, np.ones_like(mask))
    assert out.optimal_utility == pytest.approx(val_all, abs=1e-6)
    assert -1e-12 <= out.loss <= out.loss_bound + 1e-9


@settings(max_examples=25)
@given(st.integers(2, 6).flatmap(lambda L: st.tuples(
    st.lists(st.floats(0.2, 3.0), min_size=L, max_size=L),
    st.lists(st.floats(0.2, 3.0), min_size=L, max_size=L),
    st.floats(0.01, 0.5),
    st.sampled_from([0.5, 1.0, 3.0]),
    st.permutations(range(L)))))
def test_loss_curve_is_monotone_and_bounded(case):
    w, c, floor, rho, order = case
    model = ProxyRewardModel(w, 10.0, prices=c, floors=floor, curvature=rho)
    curve = model.loss_curve(order)
    assert np.all(np.diff(curve.loss) <= 1e-9)  # adding an attribute never hurts
    assert np.all(curve.loss <= curve.bound + 1e-9)
    assert np.all(np.diff(curve.bound) <= 1e-9)
    assert curve.loss[-1] == pytest.approx(0.0, abs=1e-9) and curve.bound[-1] == 0.0
    # brute force: the proxy over order[:k] evaluated directly
    for k in (1, len(order) - 1):
        out = model.optimum(list(order[:k]))
        assert curve.loss[k - 1] == pytest.approx(out.optimal_utility - out.true_utility, abs=1e-9)


def test_optimization_path_rises_then_falls():
    w = np.array([1.0, 1.0, 1.0, 1.0])
    model = ProxyRewardModel(w, 8.0, floors=0.05)
    path = model.optimization_path([0, 1])
    start = model.floors + (model.optimum().state - model.floors) / 2  # documented default start
    np.testing.assert_allclose(path.states[0], start)
    assert path.converged
    assert np.all(np.diff(path.proxy) >= -1e-12)  # the proxy never goes down
    assert np.all(np.diff(path.states[:, 2:], axis=0) <= 1e-12)  # unmentioned attributes never go up
    # true utility rises while resources are slack, then falls
    assert 0 < path.peak_step < len(path.utility) - 1
    assert path.utility[path.peak_step] > path.utility[0]
    assert path.utility[-1] < path.utility[0]
    assert path.overoptimization > 0
    # the end point is the closed-form proxy optimum: the unmentioned at 0.05, the rest split evenly
    np.testing.assert_allclose(path.states[-1], [3.95, 3.95, 0.05, 0.05], atol=1e-6)
    assert path.utility[-1] == pytest.approx(2 * np.log(3.95) + 2 * np.log(0.05), abs=1e-6)


def test_impact_minimizing_proxy_never_lowers_utility():
    model = ProxyRewardModel([1.0, 2.0, 1.0, 0.5], 10.0, prices=[1.0, 2.0, 1.0, 0.5], floors=0.05)
    start = np.array([1.0, 1.0, 1.0, 1.0])
    held = model.optimum([0, 1], hold=start)
    np.testing.assert_allclose(held.state[2:], start[2:])
    assert held.true_utility >= model.utility(start)
    assert np.isnan(held.loss_bound)
    # closed form: log utility, remaining budget 10 - 1.0 - 0.5 shared by weight over price
    R = 10.0 - 1.0 - 0.5
    np.testing.assert_allclose(held.state[:2], np.array([1.0, 2.0]) * R / (np.array([1.0, 2.0]) * 3.0))


def test_utility_is_batched_and_crra():
    model = ProxyRewardModel([1.0, 2.0], 5.0, curvature=2.0, floors=0.1)
    states = np.array([[1.0, 2.0], [0.5, 0.5]])
    np.testing.assert_allclose(model.utility(states), [-1.0 - 1.0, -2.0 - 4.0])
    assert model.utility([1.0, 2.0], attributes=[1]) == pytest.approx(-1.0)


def test_validation_messages():
    with pytest.raises(ValidationError, match="'weights' parameter of ProxyRewardModel must be positive"):
        ProxyRewardModel([1.0, 0.0], 1.0)
    with pytest.raises(ValidationError, match="'budget' parameter of ProxyRewardModel must be larger than the cost"):
        ProxyRewardModel([1.0, 1.0], 1.0, floors=0.5)
    with pytest.raises(ValidationError, match="'prices' parameter of ProxyRewardModel must be positive"):
        ProxyRewardModel([1.0, 1.0], 1.0, prices=[1.0, -1.0])
    with pytest.raises(ValidationError, match="'curvature' parameter of ProxyRewardModel"):
        ProxyRewardModel([1.0, 1.0], 1.0, curvature=0.0)
    model = ProxyRewardModel([1.0, 1.0, 1.0], 3.0, floors=0.1)
    with pytest.raises(ValidationError, match="'attributes' parameter of ProxyRewardModel.optimum must be indices"):
        model.optimum([3])
    with pytest.raises(ValidationError, match="must be a nonempty set of attributes"):
        model.optimum(np.zeros(3, dtype=bool))
    with pytest.raises(ValidationError, match="'hold' parameter of ProxyRewardModel.optimum must be a feasible"):
        model.optimum([0], hold=[5.0, 5.0, 5.0])
    with pytest.raises(ValidationError, match="'order' parameter of ProxyRewardModel.loss_curve must be a permutation"):
        model.loss_curve([0, 0, 1])
    with pytest.raises(ValidationError, match="'start' parameter of ProxyRewardModel.optimization_path"):
        ProxyRewardModel([1.0, 1.0], 3.0).optimization_path([0], start=[0.0, 1.0])
