"""Automated mechanism design LPs (optimal_auction, optimal_menu) against closed forms and brute force.

Oracles: Myerson's revenue with discrete (ironed) virtual values, computed here
from scratch; the U[0, 1] closed form (n - 1)/(n + 1) + 2^-n/(n + 1); the best
posted price by enumeration; Manelli-Vincent's (12 + 2 sqrt 2)/27; regret and
feasibility recomputed with explicit loops.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from mechanisms import ValidationError
from mechanisms.auctions import optimal_auction, optimal_menu
from solvers import Status
from solvers.amd import amd_menu, amd_single_item

MV_REVENUE = (12 + 2 * math.sqrt(2)) / 27


def discrete_myerson(values, probs, n):
    """Myerson revenue for i.i.d. discrete values, by an independent route.

    The optimal revenue is E[max(0, phibar(v_max))]; the ironed virtual values
    are the slopes of the lower convex hull of (F_k, sum_{j<=k} p_j phi_j),
    found here by brute force (every pair of hull candidates).
    """
    v = np.asarray(values, float)
    p = np.asarray(probs, float)
    K = v.size
    S_next = np.array([p[k + 1:].sum() for k in range(K)])
    phi = np.array([v[k] - ((v[k + 1] - v[k]) * S_next[k] / p[k] if k + 1 < K else 0.0) for k in range(K)])
    u = np.concatenate([[0.0], np.cumsum(p)])
    H = np.concatenate([[0.0], np.cumsum(p * phi)])
    # convex minorant at u_k: min over chords (a <= k <= b) of the chord's value at u_k
    hull = np.array([min(H[a] + (H[b] - H[a]) * (u[k] - u[a]) / (u[b] - u[a]) if b > a else H[k]
                         for a in range(k + 1) for b in range(k, K + 1)) for k in range(K + 1)])
    phibar = np.diff(hull) / np.diff(u)
    F = u
    return float(sum(max(phibar[k], 0.0) * (F[k + 1] ** n - F[k] ** n) for k in range(K)))


def midpoint_uniform(K):
    return (np.arange(K) + 0.5) / K, np.full(K, 1.0 / K)


def brute_regret_single(values, alloc, pay):
    K = len(values)
    return max(values[k] * alloc[j] - pay[j] - (values[k] * alloc[k] - pay[k]) for k in range(K) for j in range(K))


# --------------------------------------------------------------------------- optimal_auction


@pytest.mark.parametrize("values, probs", [
    ([1.0, 2.0, 3.0, 4.0], [0.25, 0.25, 0.25, 0.25]),
    ([1.0, 2.0, 3.0], [0.6, 0.1, 0.3]),                          # irregular: ironing needed
    ([0.5, 1.0, 2.0, 6.0, 7.0], [0.3, 0.05, 0.3, 0.05, 0.3]),    # two ironed intervals
])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_reduced_form_lp_equals_discrete_myerson(values, probs, n):
    res = optimal_auction(values, probs, n)
    assert res.status is Status.OPTIMAL
    assert res.revenue == pytest.approx(discrete_myerson(values, probs, n), abs=1e-7)
    assert res.certificate.max_regret <= 1e-7
    assert res.certificate.max_ir_violation <= 1e-7
    assert brute_regret_single(res.values, res.allocation, res.payment) <= 1e-7


@pytest.mark.parametrize("ic, ir", [("dominant", "ex_post"), ("bayesian", "ex_post"), ("dominant", "interim")])
def test_every_ic_ir_combination_reaches_myerson(ic, ir):
    values, probs = [1.0, 2.0, 3.0], [0.6, 0.1, 0.3]
    res = optimal_auction(values, probs, 3, ic=ic, ir=ir)
    assert res.status is Status.OPTIMAL and res.formulation == "ex_post"
    assert res.revenue == pytest.approx(discrete_myerson(values, probs, 3), abs=1e-7)


def test_ex_post_rule_is_feasible_and_dominant_strategy_ic_by_brute_force():
    values, probs = np.array([1.0, 2.0, 3.0]), np.array([0.6, 0.1, 0.3])
    res = optimal_auction(values, probs, 2, ic="dominant", ir="ex_post")
    alloc, pay = res.ex_post_rule()
    assert alloc.shape == (3, 3, 2)
    K = 3
    worst_regret = worst_ir = worst_sum = 0.0
    for k0, k1 in itertools.product(range(K), repeat=2):
        worst_sum = max(worst_sum, alloc[k0, k1].sum() - 1.0)
        prof = (k0, k1)
        for i in range(2):
            truth = prof[i]
            u_true = values[truth] * alloc[k0, k1][i] - pay[k0, k1][i]
            worst_ir = max(worst_ir, -u_true)
            for lie in range(K):
                rep = list(prof)
                rep[i] = lie
                u_lie = values[truth] * alloc[tuple(rep)][i] - pay[tuple(rep)][i]
                worst_regret = max(worst_regret, u_lie - u_true)
    assert worst_sum <= 1e-9 and worst_ir <= 1e-7 and worst_regret <= 1e-7
    # expected revenue over all profiles equals the reported revenue
    expected = sum(probs[a] * probs[b] * pay[a, b].sum() for a in range(K) for b in range(K))
    assert expected == pytest.approx(res.revenue, abs=1e-9)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_lp_converges_to_uniform_closed_form(n):
    exact = (n - 1) / (n + 1) + 2.0 ** -n / (n + 1)
    errors = []
    for K in (10, 20, 40, 80):
        res = optimal_auction(*midpoint_uniform(K), n)
        assert res.status is Status.OPTIMAL
        errors.append(abs(res.revenue - exact))
    assert all(b < a for a, b in zip(errors, errors[1:]))
    # midpoint grids: the error is O(1/K); stated bound at K = 80
    assert errors[-1] <= 1.0 / 80


def test_reduce_ic_and_formulations_agree():
    values, probs = np.array([0.5, 1.0, 2.0, 6.0]), np.array([0.4, 0.1, 0.4, 0.1])
    a = optimal_auction(values, probs, 2)
    b = optimal_auction(values, probs, 2, reduce_ic=False)
    c = optimal_auction(values, probs, 2, formulation="ex_post")
    assert a.revenue == pytest.approx(b.revenue, abs=1e-8) == c.revenue
    assert set(a.duals) >= {"border", "ic", "monotonicity", "ir"}
    assert "monotonicity" not in b.duals


def test_welfare_objective_is_efficient():
    # welfare-optimal: the item always goes to a highest value -> E[max_i v_i]
    values, probs = np.array([1.0, 2.0, 5.0]), np.array([0.5, 0.3, 0.2])
    F = np.cumsum(probs)
    n = 3
    e_max = sum(values[k] * (F[k] ** n - (F[k - 1] if k else 0.0) ** n) for k in range(3))
    res = optimal_auction(values, probs, n, objective="welfare")
    assert res.welfare == pytest.approx(e_max, abs=1e-8)
    assert res.certificate.max_regret <= 1e-7
    mixed = optimal_auction(values, probs, n, objective=0.5)
    assert mixed.revenue <= optimal_auction(values, probs, n).revenue + 1e-9
    assert mixed.welfare <= e_max + 1e-9


def test_solver_layer_entry_point_and_validation_owner():
    assert amd_single_item([1.0, 2.0], [0.5, 0.5], 1).revenue == pytest.approx(1.0)
    with pytest.raises(ValidationError, match="'values' parameter of amd_single_item must be strictly increasing"):
        amd_single_item([2.0, 1.0], [0.5, 0.5], 1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(values=[1.0, 1.0], probs=[0.5, 0.5], n_bidders=2), r"'values' parameter of optimal_auction must be "
                                                                r"strictly increasing"),
    (dict(values=[1.0, 2.0], probs=[0.5, 0.6], n_bidders=2), r"'probs' parameter of optimal_auction must be "
                                                                r"probabilities summing to 1"),
    (dict(values=[1.0, 2.0], probs=[0.5, 0.5, 0.0], n_bidders=2), r"'probs' parameter .* shape \(2,\)"),
    (dict(values=[1.0, 2.0], probs=[0.5, 0.5], n_bidders=0), r"'n_bidders' parameter of optimal_auction must be "
                                                               r"an int in \[1, inf\]"),
    (dict(values=[1.0, 2.0], probs=[0.5, 0.5], n_bidders=2, ic="bayes"), r"'ic' parameter .* one of 'bayesian'"),
    (dict(values=[1.0, 2.0], probs=[0.5, 0.5], n_bidders=2, objective=1.5), r"'objective' parameter .* \[0.0, 1.0\]"),
    (dict(values=[1.0, 2.0], probs=[0.5, 0.5], n_bidders=2, objective="profit"), r"'objective' parameter .*"
                                                                                   r"'revenue', 'welfare'"),
    (dict(values=[1.0, 2.0], probs=[0.5, 0.5], n_bidders=2, ic="dominant", formulation="reduced"),
     r"'formulation' parameter .* 'ex_post' or 'auto'"),
    (dict(values=[1.0, np.nan], probs=[0.5, 0.5], n_bidders=2), r"'values' parameter .* finite"),
    (dict(values=np.arange(60.0), probs=np.full(60, 1 / 60), n_bidders=6, ic="dominant"),
     r"'n_bidders' parameter .* at most 2,000,000 variables"),
])
def test_optimal_auction_validation(kwargs, match):
    values, probs, n = kwargs.pop("values"), kwargs.pop("probs"), kwargs.pop("n_bidders")
    with pytest.raises(ValidationError, match=match):
        optimal_auction(values, probs, n, **kwargs)


def test_inputs_not_mutated_and_result_frozen():
    values, probs = np.array([1.0, 2.0, 3.0]), np.array([0.2, 0.5, 0.3])
    v0, p0 = values.copy(), probs.copy()
    res = optimal_auction(values, probs, 2)
    assert np.array_equal(values, v0) and np.array_equal(probs, p0)
    with pytest.raises(ValueError):
        res.allocation[0] = 1.0
    assert "revenue=" in repr(res) and "max_regret=" in repr(res)
    assert "certificate.max_regret" in res._repr_html_()


# --------------------------------------------------------------------------- optimal_menu


def grid_types(G):
    g = (np.arange(G) + 0.5) / G
    types = np.array(list(itertools.product(g, g)))
    return types, np.full(G * G, 1.0 / (G * G))


def brute_menu_regret(types, alloc, pay):
    T = len(types)
    worst = 0.0
    for t in range(T):
        own = types[t] @ alloc[t] - pay[t]
        for s in range(T):
            worst = max(worst, types[t] @ alloc[s] - pay[s] - own)
    return worst


def test_menu_single_item_is_best_posted_price():
    rng = np.random.default_rng(3)
    values = np.sort(rng.choice(np.arange(1, 30), size=7, replace=False)).astype(float)
    probs = rng.dirichlet(np.ones(7))
    best_price = max(v * probs[values >= v].sum() for v in values)
    res = optimal_menu(values[:, None], probs)
    assert res.revenue == pytest.approx(best_price, abs=1e-7)
    assert res.revenue == pytest.approx(discrete_myerson(values, probs, 1), abs=1e-7)


def reference_menu_lp(types, probs):
    """The plain all-pairs LP in (allocation, price) variables, written out with scipy's linprog."""
    from scipy.optimize import linprog

    T, m = types.shape
    rows = []
    for t in range(T):
        for s in range(T):
            if s != t:   # theta_t . a_s - p_s - theta_t . a_t + p_t <= 0
                row = np.zeros(T * m + T)
                row[s * m:(s + 1) * m] += types[t]
                row[t * m:(t + 1) * m] -= types[t]
                row[T * m + s] -= 1.0
                row[T * m + t] += 1.0
                rows.append(row)
        row = np.zeros(T * m + T)   # IR: p_t - theta_t . a_t <= 0
        row[t * m:(t + 1) * m] -= types[t]
        row[T * m + t] = 1.0
        rows.append(row)
    c = np.concatenate([np.zeros(T * m), -probs])
    bounds = [(0.0, 1.0)] * (T * m) + [(None, None)] * T
    res = linprog(c, A_ub=np.array(rows), b_ub=np.zeros(len(rows)), bounds=bounds, method="highs")
    assert res.status == 0
    return -res.fun


def test_menu_two_items_bundling_example():
    types = np.array([[1, 1], [1, 2], [2, 1], [2, 2]], float)
    res = optimal_menu(types, [0.25] * 4)
    # the bundle at price 3 (sold to 3 of 4 types) is optimal among all lottery menus
    assert res.revenue == pytest.approx(2.25, abs=1e-8)
    assert res.revenue == pytest.approx(reference_menu_lp(types, np.full(4, 0.25)), abs=1e-8)
    assert brute_menu_regret(types, res.allocation, res.payment) <= 1e-8


def test_constraint_generation_matches_full_program_and_certificate_is_right():
    rng = np.random.default_rng(7)
    types = rng.uniform(0.0, 1.0, size=(30, 3))
    probs = rng.dirichlet(np.ones(30))
    full = optimal_menu(types, probs, method="full")
    cg = optimal_menu(types, probs, n_neighbors=2)
    assert full.status is Status.OPTIMAL and cg.status is Status.OPTIMAL
    assert cg.revenue == pytest.approx(full.revenue, abs=1e-7)
    assert cg.revenue == pytest.approx(reference_menu_lp(types, probs), abs=1e-7)
    assert cg.ic_pairs.shape[0] < full.ic_pairs.shape[0] == 30 * 29
    assert brute_menu_regret(types, cg.allocation, cg.payment) <= 1e-7
    assert cg.certificate.max_regret == pytest.approx(max(brute_menu_regret(types, cg.allocation, cg.payment),
                                                          0.0), abs=1e-12)
    assert np.all(cg.allocation >= 0) and np.all(cg.allocation <= 1)
    assert cg.duals["ic"].shape == (cg.ic_pairs.shape[0],)


def test_max_rounds_reached_downgrades_status():
    rng = np.random.default_rng(7)
    types = rng.uniform(0.0, 1.0, size=(30, 3))
    probs = rng.dirichlet(np.ones(30))
    res = optimal_menu(types, probs, n_neighbors=0, max_rounds=1)
    assert res.rounds == 1
    assert res.status is Status.INACCURATE and res.certificate.max_regret > 1e-7


def test_manelli_vincent_grid_convergence():
    revenues = []
    for G in (5, 10, 20):
        res = optimal_menu(*grid_types(G))
        assert res.status is Status.OPTIMAL
        assert res.certificate.max_regret <= 1e-7 and res.certificate.max_ir_violation <= 1e-7
        revenues.append(res.revenue)
    errors = [abs(r - MV_REVENUE) for r in revenues]
    assert errors[0] > errors[1] > errors[2]
    # midpoint grids overshoot by O(1/G): stated bound 0.5 / G at G = 20, and the optimum beats
    # both benchmarks the issue names (selling separately 0.5, best pure bundle 0.544331) at G = 20
    assert errors[2] <= 0.5 / 20
    assert revenues[2] > 0.544331


def test_menu_welfare_objective_allocates_everything():
    types, probs = grid_types(4)
    res = optimal_menu(types, probs, objective="welfare")
    assert res.welfare == pytest.approx(float(probs @ types.sum(axis=1)), abs=1e-8)


@pytest.mark.parametrize("kwargs, match", [
    (dict(types=[1.0, 2.0], probs=[0.5, 0.5]), r"'types' parameter of optimal_menu must be a 2-dimensional array"),
    (dict(types=[[1.0], [2.0]], probs=[1.0]), r"'probs' parameter of optimal_menu must be an array of shape \(2,\)"),
    (dict(types=[[1.0], [2.0]], probs=[0.5, 0.5], method="lazy"), r"'method' parameter .* 'constraint_generation'"),
    (dict(types=[[1.0], [2.0]], probs=[0.5, 0.5], n_neighbors=-1), r"'n_neighbors' parameter .* int in \[0, inf\]"),
    (dict(types=[[1.0], [2.0]], probs=[0.5, 0.5], backend="gurobi"), r"'backend' parameter of optimal_menu"),
])
def test_optimal_menu_validation(kwargs, match):
    types, probs = kwargs.pop("types"), kwargs.pop("probs")
    with pytest.raises(ValidationError, match=match):
        optimal_menu(types, probs, **kwargs)


def test_menu_solver_entry_point():
    assert amd_menu([[1.0], [2.0]], [0.5, 0.5]).revenue == pytest.approx(1.0)


def test_results_pickle_round_trip():
    import pickle

    res = optimal_auction([1.0, 3.0], [0.5, 0.5], 2, ic="dominant")
    back = pickle.loads(pickle.dumps(res))
    assert back.revenue == res.revenue and np.array_equal(back.ex_post_allocation, res.ex_post_allocation)
    menu = optimal_menu([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5])
    assert pickle.loads(pickle.dumps(menu)).revenue == menu.revenue
