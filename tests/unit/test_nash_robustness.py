"""Robustness of :func:`solvers.welfare.nash_welfare_lottery` over scales, zeros and integer data.

The oracle is the KKT system of the Nash program ``max sum_i w_i log(u_i . p)`` over the
simplex, recomputed here in numpy: with ``W = sum_i w_i`` (voters with an all-zero row left out),
``g_a = sum_i w_i u_ia / (u_i . p) <= W`` for every alternative ``a``, with equality on the
support of ``p``.  The problem is concave, so these conditions certify optimality independently
of how the lottery was computed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers.result import Status
from solvers.welfare import nash_welfare_lottery

KKT_TOL = 1e-7


def _kkt_violation(U, w, p):
    """Largest violation of the Nash KKT conditions, relative to ``W`` (computed from scratch)."""
    U = np.asarray(U, dtype=float)
    w = np.ones(U.shape[0]) if w is None else np.asarray(w, dtype=float)
    keep = (U.max(axis=1) > 0) & (w > 0)
    U, w = U[keep], w[keep]
    U = U / U.max(axis=1, keepdims=True)       # the conditions are invariant to row scaling; avoids overflow
    s = U @ p
    assert np.all(s > 0)
    W = w.sum()
    g = np.array([sum(w[i] * U[i, a] / s[i] for i in range(U.shape[0])) for a in range(U.shape[1])])
    above = max(0.0, float(np.max(g / W - 1.0)))                       # g_a <= W everywhere
    support = p > 1e-9
    off_support = float(np.max(np.abs(g[support] / W - 1.0)))          # g_a = W on the support
    return max(above, off_support)


@st.composite
def nash_profiles(draw):
    n = draw(st.integers(1, 8))
    m = draw(st.integers(1, 8))
    scale = 10.0 ** draw(st.floats(-2.0, 3.0))
    if draw(st.booleans()):
        cells = st.integers(0, 3).map(float)
    else:
        cells = st.one_of(st.just(0.0), st.floats(0.0, 1.0))
    U = np.array(draw(st.lists(st.lists(cells, min_size=m, max_size=m), min_size=n, max_size=n))) * scale
    if not U.any():
        U[draw(st.integers(0, n - 1)), draw(st.integers(0, m - 1))] = scale
    weights = draw(st.one_of(st.none(), st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    return U, weights


# Profiles on which the Newton iteration used to jam (a near-zero coordinate pushed out by the
# Newton direction made every step collapse), returning INACCURATE with dual residuals 0.15-1.2.
REGRESSION = [
    [[1.244, 0.0, 0.0, 0.0, 1.184, 1.189], [0.9429, 0.0, 0.5861, 0.0, 1.275, 0.502],
     [1.401, 1.305, 0.0, 1.308, 0.2137, 0.9921]],
    [[0.99, 1.19, 0.07, 2.85, 0.11, 3.02, 0.15, 0.59], [1.77, 0.32, 0.19, 3.94, 3.81, 2.66, 2.88, 0.59],
     [0.16, 1.01, 1.99, 3.08, 1.84, 1.48, 0.29, 0.68], [1.7, 1.08, 1.71, 2.5, 1.08, 3.87, 2.19, 3.91]],
    [[0.0, 0.0127, 0.0793, 0.0, 0.00615], [0.108, 0.0, 0.188, 0.077, 0.0], [0.0, 0.177, 0.161, 0.303, 0.241],
     [0.287, 0.0275, 0.121, 0.0609, 0.0]],
    [[0.197, 0.165, 0.16, 0.157, 0.146], [0.0, 0.0, 0.152, 0.0, 0.0], [0.0894, 0.215, 0.0, 0.0, 0.0],
     [0.0, 0.125, 0.0, 0.165, 0.215]],
    [[0.0, 0.0, 647.0, 0.0, 0.0, 0.0, 0.0, 228.0], [247.0, 0.0, 194.0, 31.6, 0.0, 0.0, 704.0, 87.7],
     [0.0, 758.0, 624.0, 0.0, 120.0, 111.0, 652.0, 83.9], [0.0, 0.0, 0.0, 0.0, 502.0, 144.0, 358.0, 292.0],
     [370.0, 711.0, 0.0, 368.0, 0.0, 549.0, 540.0, 0.0], [0.0, 303.0, 725.0, 624.0, 337.0, 374.0, 278.0, 0.0],
     [727.0, 221.0, 0.0, 296.0, 435.0, 185.0, 0.0, 682.0]],
    [[0.214, 0.112, 0.164, 0.216, 0.0, 0.0388], [0.0, 0.223, 0.0, 0.0, 0.149, 0.0]],
    [[3.11, 4.65, 5.3, 4.34, 4.18], [4.51, 1.92, 1.01, 2.9, 3.64], [2.27, 4.17, 4.64, 5.63, 4.75],
     [6.39, 4.85, 2.34, 4.0, 0.71]],
    [[0.3108, 0.0, 0.0, 1.192, 0.9692], [0.1117, 0.5375, 1.313, 1.48, 0.5829], [1.17, 1.324, 0.0, 0.3556, 1.732]],
]


@pytest.mark.parametrize("U", REGRESSION, ids=[f"jam{k}" for k in range(len(REGRESSION))])
def test_regression_profiles_are_solved_to_optimal(U):
    res = nash_welfare_lottery(U)
    assert res.status is Status.OPTIMAL, res.info.message
    assert abs(res.x.sum() - 1.0) < 1e-12 and res.x.min() >= 0.0
    assert _kkt_violation(U, None, res.x) <= KKT_TOL


def test_regression_scaled_small_and_large():
    # the same jamming profile at scales 1e-2 and 1e3: the lottery does not move
    U = np.array(REGRESSION[2])
    base = nash_welfare_lottery(U).x
    for c in (1e-2 / U.max(), 1e3 / U.max()):
        res = nash_welfare_lottery(U * c)
        assert res.status is Status.OPTIMAL
        np.testing.assert_allclose(res.x, base, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(nash_profiles())
def test_random_profiles_satisfy_kkt(data):
    U, weights = data
    res = nash_welfare_lottery(U, weights=weights)
    assert res.status is Status.OPTIMAL, res.info.message
    assert abs(res.x.sum() - 1.0) < 1e-12 and res.x.min() >= 0.0
    assert _kkt_violation(U, weights, res.x) <= KKT_TOL


@settings(max_examples=40, deadline=None)
@given(nash_profiles(), st.data())
def test_row_scaling_leaves_the_lottery_unchanged(data, draw):
    U, weights = data
    n = U.shape[0]
    i = draw.draw(st.integers(0, n - 1))
    c = 10.0 ** draw.draw(st.floats(-3.0, 3.0))
    V = U.copy()
    V[i] *= c
    a = nash_welfare_lottery(U, weights=weights)
    b = nash_welfare_lottery(V, weights=weights)
    assert a.status is Status.OPTIMAL and b.status is Status.OPTIMAL
    np.testing.assert_allclose(b.x, a.x, atol=1e-7)
    # the utilities reported are those of the data given (row i scaled by c)
    np.testing.assert_allclose(b.utilities, V @ b.x, rtol=1e-12, atol=0.0)


def test_zero_rows_are_left_out_at_every_scale():
    # closed form: voters liking only alternative 0 (weight 2) and only 1 (weight 1) -> (2/3, 1/3, 0)
    for c in (1e-2, 1.0, 1e3):
        U = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]) * c
        U[2] *= 7.0
        res = nash_welfare_lottery(U, weights=[2, 5, 1])
        assert res.status is Status.OPTIMAL
        np.testing.assert_allclose(res.x, [2 / 3, 1 / 3, 0.0], atol=1e-12)


def test_regression_profiles_agree_with_the_exponential_cone():
    # peer route: cvxpy's exponential-cone program (Clarabel, interior point; about 1e-6 accurate).
    # The optimal utility vector is unique, so the two must agree up to the cone solver's accuracy.
    pytest.importorskip("cvxpy")
    for U in REGRESSION:
        U = np.asarray(U)
        newton = nash_welfare_lottery(U)
        cone = nash_welfare_lottery(U, algorithm="cvxpy")
        scale = U.max(axis=1)
        np.testing.assert_allclose(newton.utilities / scale, cone.utilities / scale, atol=1e-4)
        assert newton.objective >= cone.objective - 1e-12 * (1 + abs(cone.objective))
