"""Hypothesis properties of hidden-action contracts on random small instances."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.contracts import PrincipalAgent, ScoreContract, carroll_contract, robust_guarantee
from solvers.contracts import min_pay_lower_bounds
from solvers.result import Status


@st.composite
def instances(draw, n_actions=st.integers(1, 5), n_outcomes=st.integers(2, 5), zero_cost=None):
    n = draw(n_actions)
    m = draw(n_outcomes)
    weights = draw(st.lists(st.lists(st.integers(0, 20), min_size=m, max_size=m), min_size=n, max_size=n))
    P = np.array(weights, dtype=float)
    P[P.sum(axis=1) == 0] = 1.0  # no all-zero row
    P /= P.sum(axis=1, keepdims=True)
    costs = np.array(draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)), dtype=float) / 10
    if zero_cost if zero_cost is not None else draw(st.booleans()):
        costs[0] = 0.0
    rewards = np.array(draw(st.lists(st.integers(0, 30), min_size=m, max_size=m)), dtype=float) / 10
    return P, costs, rewards


@settings(max_examples=40)
@given(instances())
def test_linear_le_optimal_le_first_best_and_linear_ge_welfare_over_n(inst):
    pa = PrincipalAgent(*inst)
    opt, lin, fb = pa.optimal_contract(), pa.best_linear_contract(), pa.first_best()
    assert opt.status is Status.OPTIMAL and opt.certificate.ok
    assert opt.principal_utility <= fb.welfare + 1e-7
    if lin.status is Status.OPTIMAL:
        assert lin.principal_utility <= opt.principal_utility + 1e-7
        # Duetting, Roughgarden, Talgam-Cohen (2019, Thm 4.1): ratio of optimal welfare to linear <= n.
        assert lin.principal_utility >= max(fb.welfare, 0.0) / pa.n_actions - 1e-9
    else:  # no alpha <= 1 gets the agent to participate: every action destroys welfare
        assert fb.welfare < 0


@settings(max_examples=30)
@given(instances())
def test_every_min_pay_solve_certifies_and_pruning_is_exact(inst):
    pa = PrincipalAgent(*inst)
    full = pa.optimal_contract(prune=False)
    pruned = pa.optimal_contract(prune=True)
    assert pruned.principal_utility == pytest.approx(full.principal_utility, abs=1e-8)
    bounds = min_pay_lower_bounds(pa.outcome_probs, pa.costs)
    for a in range(pa.n_actions):
        res = pa.min_pay_contract(a)
        if res.status is Status.OPTIMAL:
            assert bounds[a] <= res.expected_payment + 1e-7
            cert = res.certificate
            assert cert.max_ic_violation <= 1e-6 and cert.limited_liability_violation == 0.0
            assert cert.duality_gap <= 1e-6 and cert.dual_infeasibility <= 1e-6
            assert np.all(res.duals["ic"] >= -1e-9)
            # Independent re-check of IC in numpy.
            u = pa.outcome_probs @ res.payments - pa.costs
            assert u[a] >= u.max() - 1e-6 and u[a] >= -1e-6
        else:
            assert res.status is Status.INFEASIBLE


@settings(max_examples=30)
@given(instances(n_actions=st.just(2), zero_cost=True))
def test_two_action_min_budget_is_dc_over_tv(inst):
    P, c, r = inst
    pa = PrincipalAgent(P, c, r)
    res = pa.min_budget_contract(1)
    tv = 0.5 * np.abs(P[1] - P[0]).sum()
    dc = c[1] - c[0]
    if dc == 0:
        assert res.objective == pytest.approx(0.0, abs=1e-9)
    elif tv == 0:
        assert res.status is Status.INFEASIBLE
    else:
        assert res.objective == pytest.approx(dc / tv, rel=1e-7)
        assert res.certificate.ok


@settings(max_examples=15)
@given(instances(n_actions=st.just(2), zero_cost=True))
def test_two_action_min_variance_is_dc2_over_chi2(inst):
    P, c, r = inst
    P = 0.8 * P + 0.2 / P.shape[1]  # full support
    pa = PrincipalAgent(P, c, r)
    res = pa.min_variance_contract(1)
    dc = c[1]
    chi2 = np.sum((P[1] - P[0]) ** 2 / P[1])
    if chi2 < 1e-9:
        return
    assert res.status in (Status.OPTIMAL, Status.INACCURATE)
    assert res.objective == pytest.approx(dc**2 / chi2, rel=1e-4, abs=1e-7)
    assert res.certificate.max_ic_violation <= 1e-6


@settings(max_examples=10)
@given(instances(n_outcomes=st.integers(2, 3)))
def test_carroll_linear_contract_beats_random_contracts(inst):
    P, c, r = inst
    r = r - r.min()
    pa = PrincipalAgent(P, c, r)
    res = carroll_contract(pa)
    rng = np.random.default_rng(0)
    for w in rng.uniform(0.0, 3.0, size=(20, r.size)):
        assert robust_guarantee(pa, w).value <= res.guarantee + 1e-8


@settings(max_examples=20)
@given(instances(n_actions=st.just(2), n_outcomes=st.integers(2, 6), zero_cost=True))
def test_two_configurations_threshold_optimal_under_mlrp(inst):
    P, c, _ = inst
    P = 0.9 * P + 0.1 / P.shape[1]  # full support
    # Make the pair MLRP: sort the likelihood ratio by reordering the buckets.
    order = np.argsort(P[1] / P[0])
    P = P[:, order]
    sc = ScoreContract(P, c)
    if not sc.mlrp or c[1] == 0 or sc.min_budget_contract(1).status is not Status.OPTIMAL:
        return
    assert sc.threshold_is_optimal(1)
