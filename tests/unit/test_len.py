"""LEN model (Holmström-Milgrom) against closed forms and a numerical optimization.

Independent routes:
* the one-task rate 1 / (1 + r c sigma^2) and the multitask form (I + r C Sigma)^{-1} b,
  typed in here from the papers;
* numerical optimization with scipy.optimize: the agent's effort maximizes its certainty
  equivalent numerically (BFGS), and the principal's rate maximizes the total certainty
  equivalent numerically (SLSQP, subject to the agent's first-order condition);
* the certainty equivalent of CARA utility under normal noise by numerical integration.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize

from mechanisms.contracts.len_model import LENModel, measured_task_incentive
from solvers.errors import ValidationError


def numeric_best_response(beta, C, M):
    """Agent maximizes beta @ M e - e C e / 2 numerically."""
    m = C.shape[0]

    def obj(e):
        return -(beta @ (M @ e) - e @ C @ e / 2), -(M.T @ beta - C @ e)

    return optimize.minimize(obj, np.zeros(m), jac=True, method="BFGS", options={"gtol": 1e-13}).x


def numeric_optimal_beta(C, Sigma, b, r, M):
    """Principal maximizes b e - e C e/2 - r beta Sigma beta / 2 over (beta, e) numerically (SLSQP),
    with the agent's first-order condition M' beta = C e as an equality constraint (the
    agent's problem is strictly concave, so the condition characterizes its best response)."""
    k, m = M.shape

    def neg_surplus(z):
        beta, e = z[:k], z[k:]
        return -(b @ e - e @ C @ e / 2 - r * beta @ Sigma @ beta / 2)

    cons = {"type": "eq", "fun": lambda z: M.T @ z[:k] - C @ z[k:]}
    res = optimize.minimize(neg_surplus, np.zeros(k + m), method="SLSQP", constraints=[cons],
                            options={"ftol": 1e-15, "maxiter": 1000})
    return res.x[:k], -res.fun


@pytest.mark.parametrize("r,c,var", [(1.0, 2.0, 0.5), (0.0, 1.0, 3.0), (2.0, 0.5, 1.0), (4.0, 3.0, 0.0)])
def test_one_task_rate(r, c, var):
    con = LENModel(c, var, risk_aversion=r).optimal_contract()
    assert con.beta[0] == pytest.approx(1.0 / (1.0 + r * c * var), rel=1e-12)
    beta = con.beta[0]
    # effort = beta / c; surplus = e - c e^2/2 - r beta^2 var / 2 (typed in from the model)
    e = beta / c
    assert con.effort[0] == pytest.approx(e)
    assert con.total_surplus == pytest.approx(e - c * e**2 / 2 - r * beta**2 * var / 2)
    assert con.first_best_surplus == pytest.approx(1.0 / (2 * c))
    assert con.agent_certainty_equivalent == pytest.approx(0.0, abs=1e-12)  # participation binds
    assert con.principal_profit == pytest.approx(con.total_surplus)
    beta_num, surplus_num = numeric_optimal_beta(np.array([[c]]), np.array([[var]]), np.ones(1), r, np.eye(1))
    assert beta_num[0] == pytest.approx(beta, abs=1e-5)
    assert con.total_surplus == pytest.approx(surplus_num, abs=1e-9)


def test_certainty_equivalent_by_integration():
    # CARA: CE = -log(E[exp(-r w)]) / r - cost; w = alpha + beta (e + eps), eps ~ N(0, var)
    r, c, var, w0 = 1.5, 2.0, 0.8, 0.3
    model = LENModel(c, var, risk_aversion=r, reservation_wage=w0)
    con = model.evaluate([0.4], alpha=0.1)
    e = 0.4 / c
    dens = lambda x: np.exp(-x**2 / (2 * var)) / np.sqrt(2 * np.pi * var)  # noqa: E731
    mgf = integrate.quad(lambda x: np.exp(-r * (0.1 + 0.4 * (e + x))) * dens(x), -40, 40, epsabs=1e-14)[0]
    ce = -np.log(mgf) / r - c * e**2 / 2
    assert con.agent_certainty_equivalent == pytest.approx(ce, abs=1e-9)
    # alpha=None makes participation bind at the reservation wage
    assert model.evaluate([0.4]).agent_certainty_equivalent == pytest.approx(w0, abs=1e-12)
    opt = model.optimal_contract()
    assert opt.principal_profit == pytest.approx(opt.total_surplus - w0, abs=1e-12)


def test_multitask_matches_holmstrom_milgrom_formula():
    C = np.array([[2.0, 0.6, 0.0], [0.6, 1.0, 0.3], [0.0, 0.3, 1.5]])
    Sigma = np.array([[1.0, 0.2, 0.0], [0.2, 0.5, 0.1], [0.0, 0.1, 2.0]])
    b = np.array([1.0, 0.5, 2.0])
    r = 0.7
    con = LENModel(C, Sigma, risk_aversion=r, benefit=b).optimal_contract()
    np.testing.assert_allclose(con.beta, np.linalg.solve(np.eye(3) + r * C @ Sigma, b), rtol=1e-10)
    np.testing.assert_allclose(con.effort, np.linalg.solve(C, con.beta), rtol=1e-10)
    beta_num, surplus_num = numeric_optimal_beta(C, Sigma, b, r, np.eye(3))
    np.testing.assert_allclose(con.beta, beta_num, atol=1e-4)
    assert con.total_surplus == pytest.approx(surplus_num, abs=1e-8)


@settings(max_examples=15)
@given(st.integers(1, 2).flatmap(lambda m: st.tuples(
    st.lists(st.floats(-1, 1), min_size=m * m, max_size=m * m),
    st.lists(st.floats(-1, 1), min_size=m * m, max_size=m * m),
    st.lists(st.floats(-2, 2), min_size=m, max_size=m),
    st.floats(0.0, 3.0))))
def test_random_models_match_numerical_optimum(case):
    a, s, b, r = case
    m = len(b)
    A = np.reshape(a, (m, m))
    S = np.reshape(s, (m, m))
    C = A @ A.T + 0.5 * np.eye(m)
    Sigma = S @ S.T + 0.1 * np.eye(m)
    b = np.asarray(b)
    con = LENModel(C, Sigma, risk_aversion=r, benefit=b).optimal_contract()
    beta_num, surplus_num = numeric_optimal_beta(C, Sigma, b, r, np.eye(m))
    assert con.total_surplus >= surplus_num - 1e-8
    assert con.total_surplus == pytest.approx(surplus_num, abs=1e-6)
    assert con.agency_cost >= -1e-12
    np.testing.assert_allclose(con.effort, numeric_best_response(con.beta, C, np.eye(m)), atol=1e-6)


def test_measured_and_unmeasured_task():
    c, var, r = 1.0, 1.0, 1.0
    s_grid = np.array([0.0, 0.25, 0.5, 0.75, 0.9, 0.99])
    rates = measured_task_incentive(s_grid, cost=c, noise_variance=var, risk_aversion=r)
    # closed form typed in: (b1 - s b2) / (1 + r c var (1 - s^2)) with b = (1, 1)
    np.testing.assert_allclose(rates, (1 - s_grid) / (1 + r * c * var * (1 - s_grid**2)))
    assert rates[0] == pytest.approx(1 / (1 + r * c * var))  # independent tasks: the one-task rate
    assert np.all(np.diff(rates) < 0)  # shrinks as the tasks become substitutes
    assert measured_task_incentive(1.0) == pytest.approx(0.0)  # vanishes with perfect substitutes
    for s in (0.3, 0.8):
        C = c * np.array([[1.0, s], [s, 1.0]])
        # two routes in the library: infinite noise on task 2, or only task 1 measured
        via_inf = LENModel(C, [var, np.inf], risk_aversion=r).optimal_contract()
        via_M = LENModel(C, var, risk_aversion=r, measurement=[[1.0, 0.0]]).optimal_contract()
        expected = (1 - s) / (1 + r * c * var * (1 - s**2))
        assert via_inf.beta.tolist() == pytest.approx([expected, 0.0])
        assert via_M.beta[0] == pytest.approx(expected)
        beta_num, _ = numeric_optimal_beta(C, np.array([[var]]), np.ones(2), r, np.array([[1.0, 0.0]]))
        assert beta_num[0] == pytest.approx(expected, abs=1e-5)
        # the measured incentive pulls effort away from the unmeasured task
        assert via_inf.effort[1] < 0 < via_inf.effort[0]


def test_unmeasured_valueless_task_does_not_change_the_rate():
    # If the unmeasured task is worthless (b2 = 0) and costs are independent, the measured rate is the one-task rate.
    con = LENModel(np.diag([2.0, 1.0]), [0.5, np.inf], risk_aversion=1.0, benefit=[1.0, 0.0]).optimal_contract()
    assert con.beta[0] == pytest.approx(1 / (1 + 1.0 * 2.0 * 0.5))


def test_validation_messages():
    with pytest.raises(ValidationError, match="'cost' parameter of LENModel must be a positive definite"):
        LENModel([[1.0, 1.0], [1.0, 1.0]], [1.0, 1.0], risk_aversion=1.0)
    with pytest.raises(ValidationError, match="'cost' parameter of LENModel must be symmetric"):
        LENModel([[1.0, 0.5], [0.0, 1.0]], [1.0, 1.0], risk_aversion=1.0)
    with pytest.raises(ValidationError, match="'noise' parameter of LENModel must be nonnegative variances"):
        LENModel(1.0, -1.0, risk_aversion=1.0)
    with pytest.raises(ValidationError, match="'noise' parameter of LENModel must be a finite covariance"):
        LENModel(np.eye(2), [[1.0, 0.0], [0.0, np.inf]], risk_aversion=1.0)
    with pytest.raises(ValidationError, match="'noise' parameter of LENModel must be a positive semidefinite"):
        LENModel(np.eye(2), [[1.0, 2.0], [2.0, 1.0]], risk_aversion=1.0)
    with pytest.raises(ValidationError, match="'risk_aversion' parameter of LENModel"):
        LENModel(1.0, 1.0, risk_aversion=-1.0)
    with pytest.raises(ValidationError, match="'benefit' parameter of LENModel must be a vector with one value"):
        LENModel(np.eye(2), [1.0, 1.0], risk_aversion=1.0, benefit=[1.0, 2.0, 3.0])
    with pytest.raises(ValidationError, match="zero on the unmeasured signals"):
        LENModel(np.eye(2), [1.0, np.inf], risk_aversion=1.0).evaluate([0.5, 0.5])
    with pytest.raises(ValidationError, match="'beta' parameter of LENModel.evaluate must be a vector of 2"):
        LENModel(np.eye(2), [1.0, 1.0], risk_aversion=1.0).evaluate([0.5])
    with pytest.raises(ValidationError, match="'substitution' parameter of measured_task_incentive must be in"):
        measured_task_incentive(1.5)
