"""Screening with an outside option (reservation utility, constant or per type) against closed forms.

Oracles:
* a constant outside option u0 shifts every rent by u0 and changes no quality: the discrete
  Mussa-Rosen menu (closed-form virtual values on a uniform grid) with profit lowered by u0,
  and the continuum profit 1/12 - u0;
* the two-type textbook solution with type-dependent outside options (which IR and IC rows bind);
* brute force on three types: a grid of quantity vectors, each with its smallest feasible rents
  (a longest-path fixed point over the IC and IR inequalities), computed here in numpy.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mechanisms.contracts.screening import optimal_menu, type_grid
from solvers.errors import ValidationError
from solvers.result import Status
from solvers.screening import ScreeningProgram, solve_screening


def _uniform_grid_menu(n, u0):
    """Discrete Mussa-Rosen on the midpoint grid of U[0, 1] (regular: no ironing), cost q**2/2."""
    theta, p = (np.arange(n) + 0.5) / n, np.full(n, 1.0 / n)
    tail = 1.0 - np.cumsum(p)
    gaps = np.append(np.diff(theta), 0.0)
    q = np.maximum(0.0, theta - gaps * tail / p)
    rent = u0 + np.r_[0.0, np.cumsum(np.diff(theta) * q[:-1])]
    return theta, p, q, rent, float(p @ (theta * q - q**2 / 2 - rent))


@pytest.mark.parametrize("u0", [0.0, 0.02, 0.1, -0.05])
def test_constant_outside_option_shifts_rents_not_qualities(u0):
    theta, p, q, rent, profit = _uniform_grid_menu(60, u0)
    menu = optimal_menu(theta, p, outside_option=u0)
    assert menu.status is Status.OPTIMAL and menu.certificate.ok
    np.testing.assert_allclose(menu.quality, q, atol=1e-6)
    np.testing.assert_allclose(menu.rent, rent, atol=1e-6)
    assert menu.profit == pytest.approx(profit, abs=1e-7)
    assert menu.information_rent == pytest.approx(p @ rent - u0, abs=1e-7)
    assert menu.first_best_profit == pytest.approx(p @ theta**2 / 2 - u0, abs=1e-12)


def test_constant_outside_option_continuum_profit():
    u0 = 0.03
    menu = optimal_menu(*type_grid(400), outside_option=u0)
    assert menu.profit == pytest.approx(1 / 12 - u0, abs=1e-3)   # grid error ~ 1 / (8 n) at n = 400
    np.testing.assert_allclose(menu.quality, np.maximum(0.0, 2 * menu.types - 1), atol=5e-3)


def _two_types(theta_l, theta_h, p_l, u_l, u_h):
    """Textbook two-type menu, cost q**2/2, in the regimes where the low type's IR binds."""
    d, p_h = theta_h - theta_l, 1.0 - p_l
    q_std = max(0.0, theta_l - p_h * d / p_l)
    if u_h <= u_l + d * q_std:           # standard: low IR and high downward IC bind
        q_l = q_std
        u_high = u_l + d * q_l
    elif u_h <= u_l + d * theta_l:       # both IR bind, downward IC binds: q_l = (u_h - u_l) / d
        q_l = (u_h - u_l) / d
        u_high = u_h
    else:                                # both IR bind, IC slack: first best
        assert u_h <= u_l + d * theta_h
        q_l = theta_l
        u_high = u_h
    q = np.array([q_l, theta_h])
    rent = np.array([u_l, u_high])
    profit = p_l * (theta_l * q_l - q_l**2 / 2 - u_l) + p_h * (theta_h**2 / 2 - u_high)
    return q, rent, profit


@pytest.mark.parametrize("u_h", [0.0, 0.3, 0.9, 1.3, 2.0, 2.6])
@pytest.mark.parametrize("p_l", [0.3, 0.6])
def test_two_type_closed_form_with_type_dependent_outside_options(u_h, p_l):
    theta, u_l = np.array([2.0, 3.0]), 0.2
    q, rent, profit = _two_types(2.0, 3.0, p_l, u_l, u_h)
    res = solve_screening(theta[::-1], [1 - p_l, p_l], outside_option=[u_h, u_l])   # caller's order kept
    assert res.status is Status.OPTIMAL and res.certificate.ok
    np.testing.assert_allclose(res.quantity[::-1], q, atol=1e-6)
    np.testing.assert_allclose(res.rent[::-1], rent, atol=1e-6)
    assert res.objective == pytest.approx(profit, abs=1e-7)
    assert res.duals["ir"].shape == (2,)


def _min_rents(theta, q, u0):
    """Smallest rents with U_i >= u0_i and U_j >= U_i + (theta_j - theta_i) q_i (batched over rows of q)."""
    U = np.broadcast_to(u0, q.shape).copy()
    for _ in range(theta.size):
        U = np.maximum(U, np.max(U[:, :, None] + (theta[None, None, :] - theta[None, :, None]) * q[:, :, None],
                                 axis=1))
    ok = np.all(U[:, :, None] + (theta[None, None, :] - theta[None, :, None]) * q[:, :, None] <= U[:, None, :] + 1e-12,
                axis=(1, 2))
    return U, ok


@pytest.mark.parametrize("seed", range(4))
def test_three_types_brute_force(seed):
    rng = np.random.default_rng(seed)
    theta = np.sort(rng.uniform(0.5, 2.0, 3))
    p = rng.dirichlet(np.ones(3))
    u0 = rng.uniform(0.0, 0.8, 3)
    grid = np.linspace(0.0, 2.5, 101)
    q = np.array(list(itertools.product(grid, repeat=3)))
    U, ok = _min_rents(theta, q, u0)
    profits = np.where(ok, (p * (theta * q - q**2 / 2 - U)).sum(axis=1), -np.inf)
    best = profits.max()
    res = solve_screening(theta, p, outside_option=u0)
    assert res.status is Status.OPTIMAL and res.certificate.ok
    assert np.all(res.rent >= u0 - 1e-7)
    assert res.objective >= best - 1e-7          # the QP can only beat any grid menu
    assert res.objective <= best + 2e-3          # and the grid (step 0.025) gets within its resolution


def test_program_reuse_switches_between_scalar_and_per_type():
    prog = ScreeningProgram(2)
    a = prog.solve([2.0, 3.0], [0.5, 0.5], outside_option=[0.0, 1.5])
    b = prog.solve([2.0, 3.0], [0.5, 0.5])
    c = prog.solve([2.0, 3.0], [0.5, 0.5], outside_option=[0.0, 1.5])
    assert a.objective == pytest.approx(_two_types(2.0, 3.0, 0.5, 0.0, 1.5)[2], abs=1e-7)
    assert b.objective == pytest.approx(2.5, abs=1e-7) and b.duals["ir"].shape == (1,)
    assert c.objective == pytest.approx(a.objective, abs=1e-9)


def test_outside_option_validation():
    with pytest.raises(ValidationError, match=r"The 'outside_option' parameter of solve_screening must be a scalar "
                                              r"or a vector with one reservation utility per type \(length 2\)"):
        solve_screening([1.0, 2.0], [0.5, 0.5], outside_option=[0.0, 0.1, 0.2])
    with pytest.raises(ValidationError, match=r"'outside_option' parameter of optimal_menu must be finite"):
        optimal_menu([1.0, 2.0], [0.5, 0.5], outside_option=np.nan)
    with pytest.raises(ValidationError, match=r"'outside_option' parameter of ScreeningProgram.solve"):
        ScreeningProgram(2).solve([1.0, 2.0], [0.5, 0.5], outside_option=[[0.0, 1.0]])
