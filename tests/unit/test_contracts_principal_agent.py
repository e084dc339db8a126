"""Unit tests of the hidden-action principal-agent model against closed forms and independent LPs."""

import itertools
import pickle

import numpy as np
import pytest
from scipy.optimize import linprog

from mechanisms.contracts import PrincipalAgent
from solvers import contracts as sc
from solvers.errors import UnknownNameError, ValidationError
from solvers.result import Status


def _independent_min_pay(P, c, a):
    """Min-pay through scipy's linprog in the textbook form (IC rows, IR row, t >= 0)."""
    others = [b for b in range(P.shape[0]) if b != a]
    A = np.vstack([P[a] - P[others], P[a][None, :]]) if others else P[a][None, :]
    b = np.r_[c[a] - c[others], c[a]]
    res = linprog(P[a], A_ub=-A, b_ub=-b, bounds=(0, None), method="highs")
    return res.fun if res.status == 0 else None


def _random_instance(rng, n, m, *, zero_cost=True):
    P = rng.dirichlet(np.ones(m), size=n)
    c = np.sort(rng.uniform(0.0, 1.0, n))
    if zero_cost:
        c[0] = 0.0
    r = np.sort(rng.uniform(0.0, 4.0, m))
    return P, c, r


# -- closed forms -----------------------------------------------------------------------------

@pytest.mark.parametrize("p_low, p_high, dc", [(0.1, 0.6, 1.0), (0.3, 0.35, 0.2), (0.0, 1.0, 2.5)])
def test_binary_outcome_min_pay_pays_dc_over_dp_on_success(p_low, p_high, dc):
    pa = PrincipalAgent([[1 - p_low, p_low], [1 - p_high, p_high]], [0.0, dc], [0.0, 10.0])
    res = pa.min_pay_contract(1)
    assert res.status is Status.OPTIMAL
    np.testing.assert_allclose(res.payments, [0.0, dc / (p_high - p_low)], atol=1e-8)
    assert res.expected_payment == pytest.approx(p_high * dc / (p_high - p_low))
    # The only deviation binds; its multiplier is d(pay)/d(dc) = p_high / dp (when p_low = 0
    # participation binds too and the two multipliers share that derivative).
    if p_low > 0:
        assert res.duals["ic"][0] == pytest.approx(p_high / (p_high - p_low))
    else:
        assert res.duals["ic"][0] + res.duals["ir"] == pytest.approx(p_high / (p_high - p_low))
    assert res.duals["ic"][1] == 0.0
    assert res.certificate.ok


def test_two_action_min_budget_is_dc_over_total_variation():
    P = np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]])
    pa = PrincipalAgent(P, [0.0, 0.5], [0, 1, 2, 3])
    res = pa.min_budget_contract(1)
    tv = 0.5 * np.abs(P[1] - P[0]).sum()
    assert res.objective == pytest.approx(0.5 / tv)
    assert np.max(res.payments) == pytest.approx(0.5 / tv)
    assert res.certificate.ok and res.certificate.duality_gap < 1e-8
    assert res.expected_payment == pytest.approx(0.5 / tv * 0.7)  # cheapest: pay only where F_1 > F_0


def test_two_action_min_variance_closed_form():
    P = np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]])
    dc = 0.5
    pa = PrincipalAgent(P, [0.0, dc], [0, 1, 2, 3])
    res = pa.min_variance_contract(1)
    chi2 = np.sum((P[1] - P[0]) ** 2 / P[1])
    assert res.objective == pytest.approx(dc**2 / chi2, rel=1e-5)
    # Payments are affine in the likelihood ratio, shifted down to pay 0 at the worst bucket.
    k = dc / chi2
    expected = k * (1 - P[0] / P[1])
    expected -= expected.min()
    np.testing.assert_allclose(res.payments, expected, atol=1e-5)
    assert res.certificate.ok


def test_not_implementable_when_dominated_in_distribution():
    # Action 1's distribution is the even mix of actions 0 and 2, but it costs more than the mix.
    P = [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
    pa = PrincipalAgent(P, [0.0, 0.6, 1.0], [0.0, 1.0])
    assert pa.min_pay_contract(1).status is Status.INFEASIBLE
    assert np.isnan(pa.min_pay_contract(1).principal_utility)
    assert pa.min_budget_contract(1).status is Status.INFEASIBLE
    assert pa.optimal_contract(prune=False).table.status[1] is Status.INFEASIBLE
    # The same distribution as a cheaper action: provably infeasible without an LP.
    twin = PrincipalAgent([[0.5, 0.5], [0.5, 0.5]], [0.0, 1.0], [0.0, 1.0])
    assert twin.min_pay_contract(1).status is Status.INFEASIBLE
    # Same distribution at the same cost: implementable (ties go to the principal).
    same = PrincipalAgent([[0.5, 0.5], [0.5, 0.5]], [0.3, 0.3], [0.0, 1.0])
    assert same.min_pay_contract(1).status is Status.OPTIMAL
    assert same.min_pay_contract(1).expected_payment == pytest.approx(0.3)


def test_participation_binds_without_a_zero_cost_action():
    pa = PrincipalAgent([[0.5, 0.5]], [0.7], [1.0, 2.0])
    res = pa.min_pay_contract(0)
    assert res.expected_payment == pytest.approx(0.7)
    assert res.agent_utility == pytest.approx(0.0, abs=1e-9)
    assert res.duals["ir"] == pytest.approx(1.0)


# -- brute force and independent routes --------------------------------------------------------

def _vertex_min_pay(P, c, a):
    """Min of p_a @ t over the vertices of the 2-outcome feasible polygon (enumerated by hand)."""
    rows, rhs = [], []
    for b in range(P.shape[0]):
        if b != a:
            rows.append(P[a] - P[b])
            rhs.append(c[a] - c[b])
    rows += [P[a], np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    rhs += [c[a], 0.0, 0.0]
    G, h = np.array(rows), np.array(rhs)
    best = None
    for i, j in itertools.combinations(range(len(rows)), 2):
        M = G[[i, j]]
        if abs(np.linalg.det(M)) < 1e-12:
            continue
        t = np.linalg.solve(M, h[[i, j]])
        if np.all(G @ t >= h - 1e-9):
            val = P[a] @ t
            best = val if best is None else min(best, val)
    return best


def test_min_pay_equals_vertex_enumeration_on_two_outcomes():
    rng = np.random.default_rng(1)
    for _ in range(25):
        n = int(rng.integers(2, 6))
        P, c, r = _random_instance(rng, n, 2)
        pa = PrincipalAgent(P, c, r)
        for a in range(n):
            res = pa.min_pay_contract(a)
            brute = _vertex_min_pay(P, c, a)
            if brute is None:
                assert res.status is Status.INFEASIBLE
            else:
                assert res.status is Status.OPTIMAL
                assert res.expected_payment == pytest.approx(brute, abs=1e-7)


def test_optimal_contract_matches_independent_lp_and_pruning_changes_nothing():
    rng = np.random.default_rng(2)
    for _ in range(8):
        P, c, r = _random_instance(rng, 6, 5)
        pa = PrincipalAgent(P, c, r)
        R = P @ r
        values = []
        for a in range(6):
            pay = _independent_min_pay(P, c, a)
            values.append(-np.inf if pay is None else R[a] - pay)
        res = pa.optimal_contract()
        full = pa.optimal_contract(prune=False)
        assert res.principal_utility == pytest.approx(max(values), abs=1e-7)
        assert full.principal_utility == pytest.approx(max(values), abs=1e-7)
        assert res.action == full.action
        assert full.table.solved.all()
        np.testing.assert_allclose(full.table.principal_utility, values, atol=1e-7)
        assert res.certificate.ok


def test_ic_duals_match_finite_differences():
    P = np.array([[0.5, 0.3, 0.2], [0.3, 0.4, 0.3], [0.1, 0.3, 0.6]])
    c = np.array([0.0, 0.2, 0.6])
    base = sc.min_pay(P, c, 2).objective
    lam = sc.min_pay(P, c, 2).duals["ic"]
    for b in range(2):
        bumped = c.copy()
        bumped[b] -= 1e-4  # the margin required against b grows by 1e-4
        slope = (sc.min_pay(P, bumped, 2).objective - base) / 1e-4
        assert slope == pytest.approx(lam[b], abs=1e-4)


def test_certificate_is_recomputed_from_the_data():
    P = np.array([[0.9, 0.1], [0.4, 0.6]])
    cert = sc.contract_certificate(P, [0.0, 1.0], 1, [0.0, 1.5])  # pays too little: shirking gains
    u_shirk, u_work = 0.1 * 1.5, 0.6 * 1.5 - 1.0
    assert cert.max_ic_violation == pytest.approx(u_shirk - u_work)
    assert cert.ir_violation == pytest.approx(0.1)
    assert not cert.ok and "max_ic_violation" in cert.failures()
    neg = sc.contract_certificate(P, [0.0, 1.0], 0, [-0.5, 0.0])
    assert neg.limited_liability_violation == pytest.approx(0.5)


def test_evaluate_best_response_ties_to_principal():
    pa = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0])
    res = pa.evaluate([0.0, 2.0])  # the agent is indifferent; the principal prefers effort
    assert res.action == 1
    assert res.principal_utility == pytest.approx(6.0 - 1.2)


# -- linear contracts -------------------------------------------------------------------------

def _brute_linear(R, c):
    """Max over every pairwise crossing alpha (and 0) of the principal's utility under best response."""
    cands = {0.0}
    n = R.size
    for a in range(n):
        if c[a] > 0 and R[a] > 0:
            cands.add(c[a] / R[a])  # crossing with the outside option
        for b in range(n):
            if R[a] != R[b]:
                cands.add((c[a] - c[b]) / (R[a] - R[b]))
    best = -np.inf
    for al in cands:
        if not 0 <= al <= 1:
            continue
        u = al * R - c
        if u.max() < -1e-12:
            continue
        tied = np.flatnonzero(u >= u.max() - 1e-9)
        best = max(best, (1 - al) * R[tied].max())
    return best


def test_best_linear_contract_matches_brute_force_and_dense_grid():
    rng = np.random.default_rng(3)
    for _ in range(20):
        P, c, r = _random_instance(rng, 5, 4, zero_cost=bool(rng.integers(2)))
        pa = PrincipalAgent(P, c, r)
        lin = pa.best_linear_contract()
        R = P @ r
        assert lin.principal_utility == pytest.approx(_brute_linear(R, c), abs=1e-9)
        grid = np.linspace(0, 1, 2001)
        U = grid[:, None] * R[None, :] - c[None, :]
        ok = U.max(axis=1) >= 0
        resp = np.argmax(U + 1e-12 * R[None, :], axis=1)
        grid_best = np.max(np.where(ok, (1 - grid) * R[resp], -np.inf))
        assert lin.principal_utility >= grid_best - 1e-9
        assert lin.certificate.ok


def test_linear_contract_bounds():
    rng = np.random.default_rng(4)
    for _ in range(15):
        P, c, r = _random_instance(rng, 4, 3)
        pa = PrincipalAgent(P, c, r)
        lin, opt, fb = pa.best_linear_contract(), pa.optimal_contract(), pa.first_best()
        assert lin.principal_utility <= opt.principal_utility + 1e-7
        assert opt.principal_utility <= fb.welfare + 1e-7
        # Duetting, Roughgarden and Talgam-Cohen (2019): linear >= first-best welfare / n_actions.
        assert lin.principal_utility >= max(fb.welfare, 0.0) / pa.n_actions - 1e-9
        assert 0 <= lin.ratio_to_optimal <= 1 + 1e-7


def test_linear_contract_on_a_coarsening_and_its_errors():
    P = np.array([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    merge = np.array([[1, 0], [1, 0], [0, 1]])  # merges two outcomes with equal reward
    pa = PrincipalAgent(P, [0.0, 0.2], [1.0, 1.0, 3.0], observation=merge)
    full = PrincipalAgent(P, [0.0, 0.2], [1.0, 1.0, 3.0])
    assert pa.best_linear_contract().principal_utility == pytest.approx(full.best_linear_contract().principal_utility)
    noisy = PrincipalAgent(P, [0.0, 0.2], [1.0, 2.0, 3.0], observation=[[0.9, 0.1], [0.5, 0.5], [0.1, 0.9]])
    with pytest.raises(ValidationError, match="'observation' parameter .* 0/1 coarsening"):
        noisy.best_linear_contract()
    lossy = PrincipalAgent(P, [0.0, 0.2], [1.0, 2.0, 3.0], observation=merge)
    with pytest.raises(ValidationError, match="merges only outcomes of equal reward"):
        lossy.best_linear_contract()
    with pytest.raises(ValidationError, match="'rewards' parameter .* nonnegative"):
        PrincipalAgent(P, [0.0, 0.2], [-1.0, 1.0, 3.0]).best_linear_contract()


# -- incompleteness, batch, hygiene ------------------------------------------------------------

def test_signal_contract_never_beats_the_complete_contract():
    rng = np.random.default_rng(5)
    for _ in range(5):
        P, c, r = _random_instance(rng, 4, 4)
        obs = rng.dirichlet(np.ones(2), size=4)
        coarse = PrincipalAgent(P, c, r, observation=obs)
        complete = PrincipalAgent(P, c, r)
        np.testing.assert_allclose(coarse.signal_probs, P @ obs)
        assert coarse.optimal_contract().principal_utility <= complete.optimal_contract().principal_utility + 1e-7
        same = PrincipalAgent(P, c, r, observation=np.eye(4))
        assert same.optimal_contract().principal_utility == pytest.approx(
            complete.optimal_contract().principal_utility, abs=1e-8)


def test_batch_equals_loop():
    rng = np.random.default_rng(6)
    P = rng.dirichlet(np.ones(5), size=4)
    costs = np.sort(rng.uniform(0, 1, (7, 4)), axis=1)
    rewards = np.sort(rng.uniform(0, 4, (7, 5)), axis=1)
    values = rewards @ P.T
    shared = sc.best_action_batch(P, costs, values)
    stacked = sc.best_action_batch(np.broadcast_to(P, (7, 4, 5)), costs, values)
    for i in range(7):
        one = PrincipalAgent(P, costs[i], rewards[i]).optimal_contract()
        assert shared.action[i] == one.action == stacked.action[i]
        assert shared.value[i] == pytest.approx(one.principal_utility, abs=1e-8)
        assert stacked.value[i] == pytest.approx(one.principal_utility, abs=1e-8)
        assert shared.status[i] is Status.OPTIMAL
    assert np.all(shared.max_ic_violation <= 1e-7)


def test_no_input_mutation_labels_and_pickle():
    P = np.array([[0.9, 0.1], [0.4, 0.6]])
    c = np.array([0.0, 1.0])
    r = np.array([0.0, 10.0])
    copies = [x.copy() for x in (P, c, r)]
    pa = PrincipalAgent(P, c, r, action_labels=["shirk", "work"], outcome_labels=["fail", "succeed"])
    res = pa.optimal_contract()
    for x, y in zip((P, c, r), copies):
        np.testing.assert_array_equal(x, y)
        assert x.flags.writeable
    assert pa.min_pay_contract("work").expected_payment == pytest.approx(1.2)
    clone = pickle.loads(pickle.dumps(pa))
    assert clone.optimal_contract().principal_utility == pytest.approx(res.principal_utility)
    assert pickle.loads(pickle.dumps(res)).principal_utility == res.principal_utility
    assert "ContractTable" in repr(res.table) and "<table>" in res._repr_html_()
    assert "optimal" in repr(res)


def test_validation_messages():
    with pytest.raises(ValidationError, match="'outcome_probs' parameter of PrincipalAgent must be probabilities"):
        PrincipalAgent([[0.5, 0.6]], [0.0], [0.0, 1.0])
    with pytest.raises(ValidationError, match="'costs' parameter of PrincipalAgent must be nonnegative"):
        PrincipalAgent([[0.5, 0.5]], [-1.0], [0.0, 1.0])
    with pytest.raises(ValidationError, match=r"'rewards' parameter of PrincipalAgent must be an array of shape \(2\)"):
        PrincipalAgent([[0.5, 0.5]], [0.0], [0.0, 1.0, 2.0])
    with pytest.raises(ValidationError, match="'observation' parameter of PrincipalAgent must be a row-stochastic"):
        PrincipalAgent([[0.5, 0.5]], [0.0], [0.0, 1.0], observation=[[1.0, 0.0]])
    with pytest.raises(ValidationError, match="'action_labels' parameter of PrincipalAgent"):
        PrincipalAgent([[0.5, 0.5]], [0.0], [0.0, 1.0], action_labels=["a", "b"])
    pa = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 1.0], action_labels=["shirk", "work"])
    with pytest.raises(UnknownNameError, match="Did you mean 'work'"):
        pa.min_pay_contract("wrok")
    with pytest.raises(ValidationError, match=r"'action' parameter of PrincipalAgent.min_pay_contract must be an int"):
        pa.min_pay_contract(5)
    with pytest.raises(ValidationError, match="'payments' parameter of PrincipalAgent.evaluate must be nonnegative"):
        pa.evaluate([-1.0, 0.0])
    with pytest.raises(ValidationError, match=r"'costs' parameter of best_action_batch must be an array of shape"):
        sc.best_action_batch([[0.5, 0.5]], [[0.0, 1.0]], [[0.0]])


@pytest.mark.parametrize("backend", ["scipy", "cvxpy"])
def test_backends_agree_with_the_default(backend):
    rng = np.random.default_rng(7)
    P, c, r = _random_instance(rng, 4, 3)
    for a in range(4):
        ref = sc.min_pay(P, c, a)
        other = sc.min_pay(P, c, a, backend=backend)
        assert other.status is ref.status
        if ref.ok:
            assert other.objective == pytest.approx(ref.objective, abs=1e-7)
            assert other.certificate.ok
