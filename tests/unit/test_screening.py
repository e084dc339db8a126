"""Screening menus (Mussa-Rosen on a type grid) against closed forms and isotonic regression.

Oracles:
* the continuum closed form for U[0, 1] types and cost q**2/2: q = max(0, 2 theta - 1),
  profit 1/12, first-best 1/6;
* for a discrete grid, the optimal quality is the (p-weighted) isotonic regression of the
  discrete virtual values, clipped at 0 (Myerson ironing), computed here with
  scipy.optimize.isotonic_regression, an independent route from the QP;
* IC regret recomputed here by brute force over all pairs of types.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import isotonic_regression

from mechanisms.contracts.screening import mussa_rosen_uniform, optimal_menu, type_grid
from solvers.errors import ValidationError
from solvers.result import Status
from solvers.screening import ScreeningProgram, solve_screening


def ironed_menu(types, probs, cost=1.0, unit_cost=0.0):
    """Closed-form optimal discrete menu: ironed virtual values, binding downward IC (sorted types)."""
    theta, p = np.asarray(types, float), np.asarray(probs, float)
    tail = 1.0 - np.cumsum(p)
    gaps = np.append(np.diff(theta), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = theta - unit_cost - np.where(p > 0, gaps * tail / p, 0.0)
    iso = isotonic_regression(phi / cost, weights=np.maximum(p, 1e-300)).x
    q = np.maximum(iso, 0.0)
    rent = np.concatenate([[0.0], np.cumsum(np.diff(theta) * q[:-1])])
    t = theta * q - rent
    profit = float(p @ (t - unit_cost * q - cost * q**2 / 2))
    return q, t, profit


def brute_force_regret(types, q, t):
    theta = np.asarray(types)
    u = theta[:, None] * q[None, :] - t[None, :]
    return float(np.max(u.max(axis=1) - np.diag(u)))


# --- the continuum limit --------------------------------------------------------------------

def test_mussa_rosen_profit_converges_to_one_twelfth():
    errors = []
    for n in (50, 100, 200):
        menu = optimal_menu(*type_grid(n))
        assert menu.status is Status.OPTIMAL
        errors.append(abs(menu.profit - 1.0 / 12.0))
        theta = menu.types
        # quality converges to max(0, 2 theta - 1) uniformly (grid effect O(1/n))
        assert np.max(np.abs(menu.quality - np.maximum(0.0, 2 * theta - 1))) <= 1.0 / n + 1e-6
        # first best on the grid: E[theta^2 / 2] -> 1/6
        assert menu.first_best_profit == pytest.approx(float(np.mean(theta**2) / 2), abs=1e-12)
        assert abs(menu.first_best_profit - 1.0 / 6.0) < 1e-4
        assert brute_force_regret(theta, menu.quality, menu.transfer) <= 1e-7
        assert menu.certificate.ic_regret <= 1e-7 and menu.certificate.ok
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-3


def test_transfers_match_continuum_closed_form():
    menu = optimal_menu(*type_grid(200))
    theta = menu.types
    t_closed = np.maximum(0.0, theta**2 - 0.25)
    assert np.max(np.abs(menu.transfer - t_closed)) < 1e-2
    q_closed, t_fn = mussa_rosen_uniform(theta)
    np.testing.assert_allclose(q_closed, np.maximum(0.0, 2 * theta - 1))
    np.testing.assert_allclose(t_fn, t_closed)
    # expected profit of the closed-form continuum menu is 1/12 (midpoint rule on a fine grid)
    grid = (np.arange(100_000) + 0.5) / 100_000
    q, t = mussa_rosen_uniform(grid)
    assert float(np.mean(t - q**2 / 2)) == pytest.approx(1 / 12, abs=1e-9)


def test_discrete_uniform_grid_matches_ironing_oracle():
    types, probs = type_grid(40)
    menu = optimal_menu(types, probs)
    q, t, profit = ironed_menu(types, probs)
    np.testing.assert_allclose(menu.quality, q, atol=1e-6)
    np.testing.assert_allclose(menu.transfer, t, atol=1e-6)
    assert menu.profit == pytest.approx(profit, abs=1e-8)


# --- ironing, costs, general distributions ----------------------------------------------------

def test_ironing_on_a_bimodal_distribution():
    types = np.linspace(0.1, 1.0, 10)
    probs = np.array([1, 1, 1, 1, 1, 8, 1, 1, 8, 1], float)
    probs /= probs.sum()
    q, t, profit = ironed_menu(types, probs)
    menu = optimal_menu(types, probs)
    np.testing.assert_allclose(menu.quality, q, atol=1e-6)
    assert menu.profit == pytest.approx(profit, abs=1e-8)
    # the raw virtual values are not monotone here: types 5, 6, 7 are pooled at q = 0.33
    assert [g.tolist() for g in menu.pools()] == [[5, 6, 7]]
    np.testing.assert_allclose(q[5:8], 0.33, atol=1e-12)
    assert brute_force_regret(types, menu.quality, menu.transfer) <= 1e-7


@pytest.mark.parametrize("cost,unit_cost", [(2.0, 0.0), (0.5, 0.1), (1.0, 0.3)])
def test_cost_parameters_match_oracle(cost, unit_cost):
    types, probs = type_grid(30)
    menu = optimal_menu(types, probs, cost=cost, unit_cost=unit_cost)
    q, t, profit = ironed_menu(types, probs, cost, unit_cost)
    np.testing.assert_allclose(menu.quality, q, atol=1e-6)
    assert menu.profit == pytest.approx(profit, abs=1e-8)
    fb_q = np.maximum(0, (types - unit_cost) / cost)
    np.testing.assert_allclose(menu.first_best_quality, fb_q)


def test_continuum_with_cost_k():
    menu = optimal_menu(*type_grid(200), cost=2.0)
    assert abs(menu.profit - 1 / 24) < 1e-3
    assert abs(menu.first_best_profit - 1 / 12) < 1e-4


def test_ic_down_duals_are_tail_probabilities():
    # Regular uniform grid: on the served region every downward IC binds and relaxing row i
    # by one unit saves the rent increase of all types above i: d profit / d rhs = -(1 - F_i).
    types, probs = type_grid(20)
    res = solve_screening(types, probs)
    tail = 1.0 - np.cumsum(probs)[:-1]
    served = res.quantity[:-1] > 1e-6  # rows i whose lower type is served (q strictly increasing there)
    np.testing.assert_allclose(res.duals["ic_down"][served], -tail[served], atol=1e-6)
    np.testing.assert_allclose(res.duals["ic_up"][served], 0.0, atol=1e-6)
    assert res.duals["ir"][0] == pytest.approx(-1.0, abs=1e-6)


def test_type_order_is_preserved_and_program_reused():
    types, probs = type_grid(12)
    perm = np.random.default_rng(3).permutation(12)
    a = solve_screening(types, probs)
    b = solve_screening(types[perm], probs[perm])
    np.testing.assert_allclose(b.quantity, a.quantity[perm], atol=1e-7)
    np.testing.assert_allclose(b.transfer, a.transfer[perm], atol=1e-7)
    prog = ScreeningProgram(12)
    first = prog.solve(types, probs, cost=2.0)
    second = prog.solve(types, probs)  # re-solve with new numbers, no rebuild
    assert second.objective == pytest.approx(a.objective, abs=1e-9)
    assert first.objective == pytest.approx(ironed_menu(types, probs, 2.0)[2], abs=1e-9)


def test_type_grid_masses():
    class Triangular:  # F(x) = x^2 on [0, 1]
        @staticmethod
        def cdf(x):
            return np.clip(np.asarray(x), 0, 1) ** 2

    types, probs = type_grid(5, Triangular())
    i = np.arange(1, 6)
    np.testing.assert_allclose(probs, (2 * i - 1) / 25)
    np.testing.assert_allclose(types, (i - 0.5) / 5)
    types, probs = type_grid(4, low=1.0, high=3.0)
    np.testing.assert_allclose(types, [1.25, 1.75, 2.25, 2.75])


@settings(max_examples=20)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0.0, 5.0), min_size=n, max_size=n, unique=True),
    st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n),
    st.floats(0.3, 3.0))))
def test_random_discrete_types_match_oracle(case):
    types, weights, cost = case
    types = np.asarray(types)
    if np.min(np.diff(np.sort(types))) < 1e-3:
        return
    probs = np.asarray(weights) / np.sum(weights)
    menu = optimal_menu(types, probs, cost=cost)
    order = np.argsort(types)
    q, t, profit = ironed_menu(types[order], probs[order], cost)
    assert menu.status is Status.OPTIMAL
    assert menu.profit == pytest.approx(profit, abs=1e-6 * (1 + abs(profit)))
    np.testing.assert_allclose(menu.quality[order], q, atol=1e-4 * (1 + q.max()))
    assert brute_force_regret(types, menu.quality, menu.transfer) <= 1e-6 * (1 + np.abs(menu.transfer).max())
    assert menu.profit <= menu.first_best_profit + 1e-9


# --- validation ------------------------------------------------------------------------------

def test_validation_messages():
    with pytest.raises(ValidationError, match="'types' parameter of solve_screening must be distinct"):
        solve_screening([1.0, 1.0], [0.5, 0.5])
    with pytest.raises(ValidationError, match="'probs' parameter of solve_screening must be probabilities"):
        solve_screening([1.0, 2.0], [0.5, 0.6])
    with pytest.raises(ValidationError, match="one entry per type"):
        solve_screening([1.0, 2.0, 3.0], [0.5, 0.5])
    with pytest.raises(ValidationError, match="'cost' parameter of solve_screening"):
        solve_screening([1.0, 2.0], [0.5, 0.5], cost=0.0)
    with pytest.raises(ValidationError, match="program was built for 3 types"):
        ScreeningProgram(3).solve([1.0, 2.0], [0.5, 0.5])
    with pytest.raises(ValidationError, match="'types' parameter of optimal_menu"):
        optimal_menu([[1.0, 2.0]], [0.5, 0.5])
    with pytest.raises(ValidationError, match="'high' parameter of type_grid must be greater than low"):
        type_grid(4, low=1.0, high=1.0)
    with pytest.raises(ValidationError, match="'n' parameter of type_grid"):
        type_grid(0)
    with pytest.raises(ValidationError, match="with a cdf method"):
        type_grid(4, object())
    with pytest.raises(ValidationError, match="'theta' parameter of mussa_rosen_uniform must be in"):
        mussa_rosen_uniform([1.5])
