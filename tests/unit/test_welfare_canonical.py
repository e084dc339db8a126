"""The canonical (most even) optimal lottery of the welfare rules: anonymity, neutrality, optimality.

Oracles are independent of :mod:`solvers.welfare`: closed forms, and a leximin routine written
here with ``scipy.optimize.linprog`` that decides which coordinates to fix by one test LP per
candidate (not by dual multipliers, as the library does).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from mechanisms.profiles import UtilityProfile
from mechanisms.social_choice import get_rule
from solvers.welfare import egalitarian_lottery, leximin_lottery, nash_welfare_lottery

EPS = 1e-9


def _leximin_point(L, A_ub, b_ub, n_var):
    """Leximin maximizer of the linear maps ``L @ x`` over ``{x >= 0, sum x = 1, A_ub @ x <= b_ub}``.

    Returns ``L @ x`` at the leximin point (sorted order not applied).  Each stage maximizes the
    smallest free value ``t``; then every free map is fixed at ``t`` unless a test LP shows it can
    exceed ``t`` while the other free maps stay at least ``t``.
    """
    k = L.shape[0]
    level = np.full(k, np.nan)
    while np.isnan(level).any():
        free = np.isnan(level)
        # variables (x, t): maximize t subject to L_free x >= t, L_fixed x >= level - EPS
        rows = [np.hstack([-L[free], np.ones((int(free.sum()), 1))])]
        rhs = [np.zeros(int(free.sum()))]
        if (~free).any():
            rows.append(np.hstack([-L[~free], np.zeros((int((~free).sum()), 1))]))
            rhs.append(-(level[~free] - EPS))
        if A_ub is not None:
            rows.append(np.hstack([A_ub, np.zeros((A_ub.shape[0], 1))]))
            rhs.append(b_ub)
        A = np.vstack(rows)
        b = np.concatenate(rhs)
        eq = np.append(np.ones(n_var), 0.0)[None, :]
        bounds = [(0, None)] * n_var + [(None, None)]
        c = np.zeros(n_var + 1)
        c[-1] = -1.0
        t = -linprog(c, A_ub=A, b_ub=b, A_eq=eq, b_eq=[1.0], bounds=bounds, method="highs").fun
        for j in np.flatnonzero(free):
            # can map j exceed t while the other free maps keep at least t?
            A2 = np.vstack([A, np.append(np.zeros(n_var), 1.0)[None, :], -np.append(np.zeros(n_var), 1.0)[None, :]])
            b2 = np.concatenate([b, [t], [-(t - EPS)]])
            res = linprog(-np.append(L[j], 0.0), A_ub=A2, b_ub=b2, A_eq=eq, b_eq=[1.0], bounds=bounds,
                          method="highs")
            if -res.fun <= t + 1e-8:
                level[j] = t
    return level


def _maximin_value(U):
    n, m = U.shape
    c = np.append(np.zeros(m), -1.0)
    res = linprog(c, A_ub=np.hstack([-U, np.ones((n, 1))]), b_ub=np.zeros(n), A_eq=[np.append(np.ones(m), 0.0)],
                  b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)], method="highs")
    return -res.fun


def _most_even_on_face(U, floors):
    """Leximin probability vector over ``{p in simplex : U p >= floors - EPS}``."""
    m = U.shape[1]
    return _leximin_point(np.eye(m), -U, -(np.asarray(floors) - EPS), m)


SOLVERS = {"egalitarian": egalitarian_lottery, "leximin": leximin_lottery, "nash": nash_welfare_lottery}


@st.composite
def tied_profiles(draw):
    n = draw(st.integers(2, 4))
    m = draw(st.integers(2, 4))
    U = np.array(draw(st.lists(st.lists(st.integers(0, 2), min_size=m, max_size=m), min_size=n, max_size=n)),
                 dtype=float)
    return U, draw(st.permutations(range(n))), draw(st.permutations(range(m)))


@pytest.mark.parametrize("welfare", list(SOLVERS))
@settings(max_examples=40, deadline=None)
@given(case=tied_profiles())
def test_lottery_is_anonymous_and_neutral(welfare, case):
    U, voters, alts = case
    if welfare == "nash" and not (U.max(axis=1) > 0).any():
        return  # Nash welfare is -inf everywhere (a ValidationError, tested elsewhere)
    solve = SOLVERS[welfare]
    base = solve(U)
    assert base.ok
    moved = solve(U[np.array(voters)][:, np.array(alts)])
    assert moved.ok
    np.testing.assert_allclose(moved.x, base.x[np.array(alts)], atol=1e-7)


@pytest.mark.parametrize("welfare", list(SOLVERS))
@settings(max_examples=25, deadline=None)
@given(case=tied_profiles())
def test_lottery_is_optimal_and_leximin_over_the_optimal_face(welfare, case):
    U = case[0]
    if welfare == "nash":
        U = U[U.max(axis=1) > 0]
        if U.shape[0] == 0:
            return
    res = SOLVERS[welfare](U)
    p = np.asarray(res.x)
    s = U @ p
    assert p.min() >= 0 and p.sum() == pytest.approx(1.0, abs=1e-12)
    if welfare == "egalitarian":
        floors = np.full(U.shape[0], _maximin_value(U))
        assert s.min() == pytest.approx(floors[0], abs=1e-8)
    elif welfare == "leximin":
        floors = _leximin_point(U, None, None, U.shape[1])      # the leximin utility vector, independently
        np.testing.assert_allclose(s, floors, atol=1e-7)
    else:
        # Nash optimality by the KKT conditions: g_j <= W everywhere, = W on the support
        g = U.T @ (1.0 / s)
        W = U.shape[0]
        assert g.max() <= W * (1 + 1e-7)
        np.testing.assert_allclose(g[p > 1e-9], W, rtol=1e-7)
        floors = s                                              # unique optimal utilities: the face is U q >= s
    expected = _most_even_on_face(U, floors)
    np.testing.assert_allclose(p, expected, atol=1e-7)


@pytest.mark.parametrize("welfare", list(SOLVERS))
def test_closed_form_whole_segment_optimal(welfare):
    # s = (2 p0 + p2, 2 p1 + p2): every lottery with p0 = p1 gives (1, 1), optimal for all three
    # welfare notions; the most even of them is uniform (a vertex solution would be [0, 0, 1])
    res = SOLVERS[welfare]([[2.0, 0.0, 1.0], [0.0, 2.0, 1.0]])
    np.testing.assert_allclose(res.x, [1 / 3, 1 / 3, 1 / 3], atol=1e-9)


@pytest.mark.parametrize("rows", [[[0, 1], [1, 0], [0, 0]], [[0, 0], [1, 0], [0, 1]]])
def test_egalitarian_example_from_the_registry_report(rows):
    # the zero voter makes every lottery maximin-optimal: both row orders give the uniform lottery
    np.testing.assert_allclose(egalitarian_lottery(np.array(rows, dtype=float)).x, [0.5, 0.5], atol=1e-12)
    outcome = get_rule("egalitarian")(UtilityProfile(np.array(rows, dtype=float)))
    np.testing.assert_allclose(outcome.lottery, [0.5, 0.5], atol=1e-12)
    assert list(outcome.winners) == [0, 1]


def test_alternatives_outside_every_optimal_lottery_get_exactly_zero():
    # alternative 2 is dominated: maximin 1/2 needs p0 = p1 = 1/2; likewise leximin and Nash
    U = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    for solve in SOLVERS.values():
        res = solve(U)
        assert res.x[2] == 0.0
        np.testing.assert_allclose(res.x, [0.5, 0.5, 0.0], atol=1e-9)
    # a voter indifferent at 0 leaves the egalitarian optimum free: uniform over all three
    np.testing.assert_allclose(egalitarian_lottery([*U, [0.0, 0.0, 0.0]]).x, [1 / 3] * 3, atol=1e-9)


def test_egalitarian_rule_declares_no_anonymity_violation():
    assert "anonymity" not in get_rule("egalitarian").violates
