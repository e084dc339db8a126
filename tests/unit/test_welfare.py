"""Welfare-optimal lotteries (solvers.welfare): closed forms, brute force, KKT and LP certificates."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from solvers import Status, ValidationError
from solvers.welfare import egalitarian_lottery, leximin_lottery, nash_welfare_lottery


def _nash_two_by_two(u1, u2, w1, w2):
    """Closed form: maximize f(q) = w1 log(u1 . (q, 1-q)) + w2 log(u2 . (q, 1-q)) over q in [0, 1].

    f is concave; f'(q) = w1 (a-b) / s1(q) + w2 (c-d) / s2(q).  The maximizer is 0 if f'(0) <= 0,
    1 if f'(1) >= 0, and otherwise the root of f', which is linear after clearing denominators.
    """
    (a, b), (c, d) = u1, u2

    def slope(q):
        s1, s2 = b + (a - b) * q, d + (c - d) * q
        return sum(wt * k / s if s > 0 else (np.inf if k > 0 else -np.inf if k < 0 else 0.0)
                   for wt, k, s in ((w1, a - b, s1), (w2, c - d, s2)))

    if slope(0.0) <= 0:
        return 0.0
    if slope(1.0) >= 0:
        return 1.0
    return -(w1 * (a - b) * d + w2 * (c - d) * b) / ((w1 + w2) * (a - b) * (c - d))


@pytest.mark.parametrize("u1, u2, w1, w2", [
    ((1, 0), (0, 1), 1, 1), ((1, 0), (0, 1), 3, 1), ((2, 1), (0, 3), 1, 1), ((5, 1), (1, 2), 2, 5),
    ((1, 3), (2, 1), 1, 4), ((4, 0), (3, 1), 1, 1), ((1, 1), (0, 2), 1, 1),
])
def test_nash_two_voters_two_alternatives_closed_form(u1, u2, w1, w2):
    q = _nash_two_by_two(u1, u2, w1, w2)
    res = nash_welfare_lottery([u1, u2], weights=[w1, w2])
    assert res.ok, res
    assert res.x[0] == pytest.approx(q, abs=1e-9)


def test_nash_cvxpy_route_closed_form():
    # the conic route (a cross-check; interior-point accuracy ~1e-6)
    res = nash_welfare_lottery([[5, 1], [1, 2]], weights=[2, 5], algorithm="cvxpy", atol=1e-4)
    assert res.ok
    assert res.x[0] == pytest.approx(_nash_two_by_two((5, 1), (1, 2), 2, 5), abs=1e-5)


def test_nash_is_proportional_on_party_lists():
    # groups of 3, 2 and 1 voters, each approving its own alternative: shares 3/6, 2/6, 1/6
    U = np.repeat(np.eye(3), [3, 2, 1], axis=0)
    res = nash_welfare_lottery(U)
    np.testing.assert_allclose(res.x, [0.5, 1 / 3, 1 / 6], atol=1e-10)
    np.testing.assert_allclose(nash_welfare_lottery(np.eye(3), weights=[3, 2, 1]).x, res.x, atol=1e-10)


def test_nash_kkt_recomputed_independently():
    rng = np.random.default_rng(0)
    for _ in range(20):
        n, m = rng.integers(2, 9), rng.integers(2, 7)
        U = rng.integers(0, 5, size=(n, m)).astype(float)
        U[U.max(axis=1) == 0, 0] = 1.0
        w = rng.integers(1, 4, size=n)
        res = nash_welfare_lottery(U, weights=w)
        assert res.ok
        p = np.asarray(res.x)
        assert p.min() >= 0 and p.sum() == pytest.approx(1.0, abs=1e-12)
        g = U.T @ (w / (U @ p))
        W = w.sum()
        assert np.all(g <= W * (1 + 1e-7))
        assert np.all(np.abs(g[p > 1e-9] - W) <= 1e-7 * W)
        # and no vertex or random lottery does better
        f = float(w @ np.log(U @ p))
        for q in rng.dirichlet(np.ones(m), size=50):
            assert float(w @ np.log(U @ q)) <= f + 1e-9


def test_nash_agrees_with_cvxpy():
    rng = np.random.default_rng(1)
    U = rng.random((40, 12))
    a = nash_welfare_lottery(U)
    b = nash_welfare_lottery(U, algorithm="cvxpy", atol=1e-4)
    assert a.ok and a.objective >= b.objective - 1e-7
    np.testing.assert_allclose(a.utilities, b.utilities, atol=1e-3)


def test_nash_splits_clones_equally_and_drops_zero_voters():
    res = nash_welfare_lottery([[1, 1, 0], [0, 0, 1], [0, 0, 0]])
    np.testing.assert_allclose(res.x, [0.25, 0.25, 0.5], atol=1e-10)
    assert res.utilities.tolist()[2] == 0.0


# ---------------------------------------------------------------------- egalitarian / leximin
def _breakpoints(U):
    """Candidate q (probability of alternative 1) for two alternatives: ends and pairwise line crossings."""
    U = [[Fraction(int(x)) for x in row] for row in U]
    qs = {Fraction(0), Fraction(1)}
    for (a0, a1), (b0, b1) in itertools.combinations(U, 2):
        slope = (a1 - a0) - (b1 - b0)
        if slope != 0:
            q = (b0 - a0) / slope
            if 0 <= q <= 1:
                qs.add(q)
    return U, sorted(qs)


def _leximin_brute_force_two(U):
    U, qs = _breakpoints(U)
    return max((sorted(r0 * (1 - q) + r1 * q for r0, r1 in U), q) for q in qs)


@pytest.mark.parametrize("seed", range(8))
def test_egalitarian_and_leximin_two_alternatives_brute_force(seed):
    rng = np.random.default_rng(seed)
    U = rng.integers(0, 6, size=(int(rng.integers(2, 7)), 2))
    best_vector, _ = _leximin_brute_force_two(U)
    egal = egalitarian_lottery(U)
    assert egal.ok and egal.objective == pytest.approx(float(best_vector[0]), abs=1e-9)
    lex = leximin_lottery(U)
    assert lex.ok
    np.testing.assert_allclose(np.sort(lex.utilities), [float(v) for v in best_vector], atol=1e-6)


def test_egalitarian_duals_are_a_distribution_over_the_worst_off():
    U = np.array([[3.0, 0.0, 1.0], [0.0, 3.0, 1.0], [2.0, 2.0, 0.0]])
    res = egalitarian_lottery(U)
    y = -np.asarray(res.duals["voters"])
    assert y.min() >= -1e-12 and y.sum() == pytest.approx(1.0, abs=1e-9)
    worst = res.utilities <= res.objective + 1e-9
    assert np.all(y[~worst] <= 1e-12)
    # minimax duality: no lottery beats the dual mixture of voters
    assert np.max(y @ U) == pytest.approx(res.objective, abs=1e-9)


def test_leximin_beats_a_rational_grid_on_three_alternatives():
    rng = np.random.default_rng(3)
    steps = 24
    grid = [np.array([i, j, steps - i - j]) / steps for i in range(steps + 1) for j in range(steps + 1 - i)]
    for _ in range(5):
        U = rng.integers(0, 5, size=(4, 3)).astype(float)
        res = leximin_lottery(U)
        ours = tuple(np.round(np.sort(res.utilities), 7))
        best = max(tuple(np.round(np.sort(U @ p), 7)) for p in grid)
        assert ours >= best


def test_leximin_levels_and_weights_do_not_matter():
    U = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    a, b = leximin_lottery(U), leximin_lottery(U, weights=[5, 1, 2])
    np.testing.assert_allclose(a.x, [0.5, 0.5, 0.0], atol=1e-9)
    np.testing.assert_allclose(b.utilities, a.utilities, atol=1e-9)
    assert [round(v, 9) for v in a.levels] == [0.5, 1.0]


def test_certificates_and_repr():
    res = nash_welfare_lottery([[2.0, 1.0], [0.0, 1.0]])
    cert = res.certificate
    assert cert.ok and cert.primal_residual <= 1e-12 and cert.dual_residual <= 1e-9
    assert "nash" in repr(res) and "<table>" in res._repr_html_()
    assert not res.x.flags.writeable and res.raise_for_status() is res


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("call, match", [
    (lambda: nash_welfare_lottery([[-1.0, 2.0]]), r"The 'utilities' parameter of nash_welfare_lottery must be "
                                                  r"nonnegative"),
    (lambda: nash_welfare_lottery([[0.0, 0.0]]), r"positive somewhere.*Nash welfare is -inf everywhere"),
    (lambda: nash_welfare_lottery([[1.0, 0.0]], algorithm="mosek"), r"'algorithm' parameter of "
                                                                     r"nash_welfare_lottery must be one of"),
    (lambda: egalitarian_lottery([[1.0, 0.0]], weights=[1, 2]), r"'weights' parameter of egalitarian_lottery must "
                                                                 r"be an array of shape \(1\)"),
    (lambda: leximin_lottery([[1.0, np.nan]]), r"'utilities' parameter of leximin_lottery must be finite"),
    (lambda: leximin_lottery([[1.0, 0.0]], weights=[0]), r"'weights' parameter of leximin_lottery must be positive "
                                                          r"for at least one voter"),
])
def test_errors(call, match):
    with pytest.raises(ValidationError, match=match):
        call()


def test_status_is_optimal_for_degenerate_inputs():
    assert leximin_lottery([[1.0]]).status is Status.OPTIMAL
    assert nash_welfare_lottery([[3.0]]).x.tolist() == [1.0]
