"""Bradley-Terry / Plackett-Luce / linear BT maximum likelihood: closed forms, stationarity, statuses, errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import minimize

from solvers import Status, ValidationError
from solvers.preference_models import (
    bradley_terry_log_likelihood,
    fit_bradley_terry,
    fit_linear_bradley_terry,
    fit_plackett_luce,
    pair_counts,
    plackett_luce_log_likelihood,
)


def _loop_gradient(theta, comp, ties=()):
    """d log L / d theta by a plain loop over comparisons (ties as half wins)."""
    g = np.zeros_like(theta)
    for w, l in comp:
        p = 1 / (1 + math.exp(theta[l] - theta[w]))
        g[w] += 1 - p
        g[l] -= 1 - p
    for a, b in ties:
        p = 1 / (1 + math.exp(theta[b] - theta[a]))
        g[a] += 0.5 - p
        g[b] -= 0.5 - p
    return g


# ---------------------------------------------------------------------- closed forms
@pytest.mark.parametrize("wins, losses", [(3, 1), (1, 4), (7, 7), (10, 3)])
def test_two_items_closed_form(wins, losses):
    comp = [[0, 1]] * wins + [[1, 0]] * losses
    res = fit_bradley_terry(comp)
    assert res.status is Status.OPTIMAL
    assert res.x[0] - res.x[1] == pytest.approx(math.log(wins / losses), abs=1e-10)
    assert res.x.sum() == pytest.approx(0.0, abs=1e-12)
    expected_ll = wins * math.log(wins / (wins + losses)) + losses * math.log(losses / (wins + losses))
    assert res.log_likelihood == pytest.approx(expected_ll, rel=1e-12)


def test_ties_half_and_davidson_closed_forms():
    a, b, t = 6, 2, 3
    comp = [[0, 1]] * a + [[1, 0]] * b
    ties = [[0, 1]] * t
    half = fit_bradley_terry(comp, ties=ties)
    assert half.x[0] - half.x[1] == pytest.approx(math.log((a + t / 2) / (b + t / 2)), abs=1e-10)
    # Davidson with two items is saturated: P(0 wins) = a/N, P(1 wins) = b/N, P(tie) = t/N
    dav = fit_bradley_terry(comp, ties=ties, tie_model="davidson")
    assert dav.status is Status.OPTIMAL
    assert dav.x[0] - dav.x[1] == pytest.approx(math.log(a / b), abs=1e-9)
    assert dav.tie_parameter == pytest.approx(t / math.sqrt(a * b), rel=1e-9)
    n = a + b + t
    assert dav.log_likelihood == pytest.approx(a * math.log(a / n) + b * math.log(b / n) + t * math.log(t / n),
                                               rel=1e-10)
    ignore = fit_bradley_terry(comp, ties=ties, tie_model="ignore")
    assert ignore.x[0] - ignore.x[1] == pytest.approx(math.log(a / b), abs=1e-10)


def test_weights_equal_repeated_rows():
    comp = np.array([[0, 1], [1, 2], [2, 0], [0, 2]])
    weighted = fit_bradley_terry(comp, weights=[3, 1, 2, 1])
    repeated = fit_bradley_terry(np.repeat(comp, [3, 1, 2, 1], axis=0))
    np.testing.assert_allclose(weighted.x, repeated.x, atol=1e-10)


def test_stationarity_against_a_loop_gradient(bt_comparisons):
    comp = bt_comparisons(30, 600, seed=1)
    ties = comp[:40][:, ::-1]
    res = fit_bradley_terry(comp, ties=ties)
    assert res.ok and res.certificate.stationarity <= 1e-9
    g = _loop_gradient(np.asarray(res.x), comp, ties)
    assert np.max(np.abs(g)) < 1e-7
    # the likelihood is maximal: an independent optimizer does not do better
    def nll(t):
        return -bradley_terry_log_likelihood(t, comp, ties=ties)
    other = minimize(nll, np.zeros(30), method="L-BFGS-B")
    assert -other.fun <= res.log_likelihood + 1e-6


def test_l2_penalty_stationarity(bt_comparisons):
    comp = bt_comparisons(12, 80, seed=2)
    l2 = 0.7
    res = fit_bradley_terry(comp, l2=l2)
    g = _loop_gradient(np.asarray(res.x), comp) - l2 * np.asarray(res.x)
    assert np.max(np.abs(g)) < 1e-8
    assert res.objective == pytest.approx(res.log_likelihood - l2 / 2 * float(res.x @ res.x), rel=1e-12)


# ---------------------------------------------------------------------- existence
@pytest.mark.parametrize("comp, n_items, phrase", [
    ([[0, 1], [1, 2], [0, 2]], None, "item 0 never lost"),
    ([[0, 1], [1, 0], [2, 1]], None, "item 2 never lost"),
    ([[0, 1], [1, 0], [1, 2], [2, 1]], 4, "item 3 was never compared"),
    ([[0, 1], [1, 0], [2, 3], [3, 2]], None, "2 groups never compared"),
    ([[0, 1], [1, 0], [0, 2], [1, 2]], None, "item 2 never won"),
])
def test_mle_nonexistence_is_a_status(comp, n_items, phrase):
    res = fit_bradley_terry(comp, n_items=n_items)
    assert res.status is Status.UNBOUNDED and res.x is None
    assert phrase in res.info.message and "l2 > 0" in res.info.message
    regularized = fit_bradley_terry(comp, n_items=n_items, l2=0.1)
    assert regularized.ok and regularized.x is not None


def test_a_tie_connects_both_ways():
    assert fit_bradley_terry([[0, 1]], ties=[[0, 1]]).ok
    assert fit_bradley_terry([[0, 1]], ties=[[0, 1]], tie_model="ignore").status is Status.UNBOUNDED
    assert fit_bradley_terry([], n_items=2, ties=[[0, 1]], tie_model="davidson").status is Status.UNBOUNDED


def test_pair_counts_aggregate():
    pc = pair_counts([[2, 0], [0, 2], [2, 0], [1, 0]], ties=[[0, 1]], tie_weights=[4])
    assert pc.i.tolist() == [0, 0] and pc.j.tolist() == [1, 2]
    assert pc.wins_i.tolist() == [0.0, 1.0] and pc.wins_j.tolist() == [1.0, 2.0] and pc.ties.tolist() == [4.0, 0.0]
    assert pc.item_counts().tolist() == [8.0, 5.0, 3.0]
    weighted = pair_counts([[2, 0], [0, 2]], weights=[2, 5])
    assert weighted.wins_i.tolist() == [5.0] and weighted.wins_j.tolist() == [2.0]


# ---------------------------------------------------------------------- Plackett-Luce
def _pl_loglik_brute(theta, rankings, unranked, n):
    total = 0.0
    for r in rankings:
        remaining = list(r) + ([c for c in range(n) if c not in r] if unranked == "below" else [])
        for item in r:
            total += theta[item] - math.log(sum(math.exp(theta[c]) for c in remaining))
            remaining.remove(item)
    return total


@pytest.mark.parametrize("unranked", ["below", "absent"])
def test_plackett_luce_likelihood_and_optimum(unranked):
    rng = np.random.default_rng(3)
    n = 5
    rankings = [list(rng.permutation(n)[: rng.integers(2, n + 1)]) for _ in range(40)]
    theta = rng.normal(size=n)
    assert plackett_luce_log_likelihood(theta, rankings, unranked=unranked) == pytest.approx(
        _pl_loglik_brute(theta, rankings, unranked, n), rel=1e-12)
    res = fit_plackett_luce(rankings, unranked=unranked)
    assert res.ok
    other = minimize(lambda t: -_pl_loglik_brute(t, rankings, unranked, n), np.zeros(n), method="BFGS")
    assert res.log_likelihood >= -other.fun - 1e-7
    np.testing.assert_allclose(res.x, other.x - other.x.mean(), atol=1e-4)
    # stationarity by central differences of the brute-force likelihood
    h = 1e-6
    grad = [(_pl_loglik_brute(res.x + h * e, rankings, unranked, n)
             - _pl_loglik_brute(res.x - h * e, rankings, unranked, n)) / (2 * h) for e in np.eye(n)]
    assert np.max(np.abs(grad)) < 1e-5


def test_plackett_luce_on_pairs_is_bradley_terry(bt_comparisons):
    comp = bt_comparisons(6, 200, seed=4)
    # rankings of two items among six are pairwise comparisons when unlisted items are absent
    np.testing.assert_allclose(fit_plackett_luce(comp, unranked="absent").x, fit_bradley_terry(comp).x, atol=1e-9)


def test_plackett_luce_existence_and_top_k():
    assert fit_plackett_luce([[0, 1, 2], [0, 2, 1]]).status is Status.UNBOUNDED     # 0 always first
    # top-1 ballots over 3 items: the MLE of a multinomial choice, log shares
    res = fit_plackett_luce([[0], [0], [1], [2], [2], [2]], n_items=3)
    assert res.ok
    np.testing.assert_allclose(res.x - res.x.mean(), np.log([2, 1, 3]) - np.log([2, 1, 3]).mean(), atol=1e-9)


# ---------------------------------------------------------------------- linear BT
def test_linear_bt_with_one_hot_features_is_item_bt(bt_comparisons):
    comp = bt_comparisons(5, 150, seed=5)
    item = fit_bradley_terry(comp)
    linear = fit_linear_bradley_terry(np.eye(5), comp)
    assert linear.ok
    np.testing.assert_allclose(linear.scores - linear.scores.mean(), item.x, atol=1e-8)
    assert linear.log_likelihood == pytest.approx(item.log_likelihood, rel=1e-12)


def test_linear_bt_stationarity_and_min_norm(bt_comparisons):
    rng = np.random.default_rng(6)
    X = rng.normal(size=(8, 3))
    X = np.hstack([X, np.ones((8, 1))])   # a constant feature: not identified
    comp = bt_comparisons(8, 120, seed=7)
    res = fit_linear_bradley_terry(X, comp)
    assert res.ok
    D = X[comp[:, 0]] - X[comp[:, 1]]
    p = 1 / (1 + np.exp(-D @ res.x))
    assert np.max(np.abs(D.T @ (1 - p))) < 1e-7
    # minimum norm: no component along the unidentified constant direction
    null = np.linalg.svd(D)[2][-1]
    assert abs(null @ res.x) < 1e-8


def test_linear_bt_separable_is_unbounded():
    X = [[0.0], [1.0], [2.0]]
    res = fit_linear_bradley_terry(X, [[2, 1], [1, 0], [2, 0]])
    assert res.status is Status.UNBOUNDED and "linearly separable" in res.info.message
    assert fit_linear_bradley_terry(X, [[2, 1], [1, 0], [2, 0]], l2=1.0).ok


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("call, match", [
    (lambda: fit_bradley_terry([[0, 0]]), r"The 'comparisons' parameter of fit_bradley_terry must be rows of two "
                                          r"different items.*Row 0 compares item 0 with itself"),
    (lambda: fit_bradley_terry([[0, 1, 2]]), r"'comparisons' parameter of fit_bradley_terry must be an array of "
                                             r"shape \(n, 2\)"),
    (lambda: fit_bradley_terry([[0, 3]], n_items=3), r"must be item ids in \[0, 2\]"),
    (lambda: fit_bradley_terry([[0, 1]], l2=-1.0), r"The 'l2' parameter of fit_bradley_terry must be a finite real"),
    (lambda: fit_bradley_terry([[0, 1]], tie_model="rao"), r"'tie_model' parameter of fit_bradley_terry must be one "
                                                          r"of 'half', 'davidson', 'ignore'"),
    (lambda: fit_bradley_terry([[0, 1]], weights=[-1]), r"'weights' parameter of fit_bradley_terry must be "
                                                         r"nonnegative"),
    (lambda: fit_plackett_luce([[0, -1, 1]]), r"rankings padded with -1 at the end only"),
    (lambda: fit_plackett_luce([[0, 1, 0]]), r"rankings without repeated items"),
    (lambda: fit_linear_bradley_terry([[0.0], [1.0]], [[0, 1]], tie_model="davidson"),
     r"'tie_model' parameter of fit_linear_bradley_terry must be one of 'half', 'ignore'"),
])
def test_errors_name_the_argument(call, match):
    with pytest.raises(ValidationError, match=match):
        call()


def test_inputs_are_not_mutated():
    comp = np.array([[0, 1], [1, 0], [1, 2], [2, 1]])
    before = comp.copy()
    fit_bradley_terry(comp)
    np.testing.assert_array_equal(comp, before)


def test_repr_and_result_fields():
    res = fit_bradley_terry([[0, 1], [1, 0], [0, 1]])
    text = repr(res)
    assert "bradley_terry" in text and "log_likelihood" in text and "stationarity" in text
    assert not res.x.flags.writeable and res.scores is not None
    assert "<table>" in res._repr_html_()
    rankings = list(itertools.permutations(range(3)))
    assert fit_plackett_luce(rankings).x == pytest.approx(np.zeros(3), abs=1e-12)
