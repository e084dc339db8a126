"""Bradley-Terry and Plackett-Luce maximum likelihood against choix.

Conventions normalized:

* choix's scores are not centred: both sides are compared after subtracting the mean;
* choix's ``alpha`` adds ``alpha * ||theta||^2`` (``opt.py``: ``penalty * sum(params**2)``),
  ours ``l2 / 2 * ||theta||^2``: ``l2 = 2 * alpha``;
* choix's rankings only concern the items they list: our ``unranked="absent"``;
* choix's iterative methods (MM, I-LSR) stop on a parameter-change tolerance, so
  the comparison is at equal log-likelihood (ours at least as large, up to 1e-7
  relative) and scores within 1e-4.
"""

from __future__ import annotations

import numpy as np
import pytest

from solvers.preference_models import (
    bradley_terry_log_likelihood,
    fit_bradley_terry,
    fit_plackett_luce,
    plackett_luce_log_likelihood,
)

choix = pytest.importorskip("choix")


def _rankings(n_items, n_rank, seed):
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=n_items)
    out = []
    for _ in range(n_rank):
        size = int(rng.integers(2, n_items + 1))
        subset = rng.permutation(n_items)[:size]
        gumbel = theta[subset] - np.log(-np.log(rng.random(size)))
        out.append([int(c) for c in subset[np.argsort(-gumbel)]])
    return out


def _centred(x):
    x = np.asarray(x, dtype=np.float64)
    return x - x.mean()


@pytest.mark.parametrize("method, n_items, n_comp, seed", [
    ("mm_pairwise", 15, 300, 0),
    ("mm_pairwise", 40, 1500, 1),
    ("ilsr_pairwise", 15, 300, 2),
    ("ilsr_pairwise", 120, 6000, 3),
])
def test_bradley_terry_mle_matches_choix(method, n_items, n_comp, seed, bt_comparisons):
    comp = bt_comparisons(n_items, n_comp, seed)
    ours = fit_bradley_terry(comp, n_items=n_items)
    assert ours.ok
    peer = _centred(getattr(choix, method)(n_items, [tuple(map(int, r)) for r in comp]))
    ll_peer = bradley_terry_log_likelihood(peer, comp)
    assert ll_peer == pytest.approx(choix.log_likelihood_pairwise([tuple(map(int, r)) for r in comp], peer),
                                    rel=1e-12)
    assert ours.log_likelihood >= ll_peer - 1e-7 * abs(ll_peer)
    np.testing.assert_allclose(ours.x, peer, atol=1e-4)


@pytest.mark.parametrize("alpha", [1e-3, 0.5])
def test_regularized_bradley_terry_matches_choix_opt_pairwise(alpha, bt_comparisons):
    comp = bt_comparisons(30, 400, seed=4)
    peer = choix.opt_pairwise(30, [tuple(map(int, r)) for r in comp], alpha=alpha, tol=1e-10)
    ours = fit_bradley_terry(comp, n_items=30, l2=2 * alpha)
    assert ours.ok
    np.testing.assert_allclose(ours.x, np.asarray(peer), atol=1e-5)   # both have mean 0 at the optimum


def test_sparse_data_with_regularization_matches_choix():
    # items that never lose: no MLE, but the penalized problem is well posed on both sides
    comp = np.array([[0, 1], [0, 2], [1, 2], [3, 2], [3, 1]])
    ours = fit_bradley_terry(comp, l2=2 * 0.1)
    peer = choix.opt_pairwise(4, [tuple(map(int, r)) for r in comp], alpha=0.1, tol=1e-10)
    np.testing.assert_allclose(ours.x, np.asarray(peer), atol=1e-5)


@pytest.mark.parametrize("method, kwargs", [("opt_rankings", {"alpha": 0.0, "tol": 1e-10}),
                                            ("ilsr_rankings", {"tol": 1e-10})])
def test_plackett_luce_matches_choix(method, kwargs):
    rankings = _rankings(6, 60, seed=5)
    ours = fit_plackett_luce(rankings, n_items=6, unranked="absent")
    assert ours.ok
    peer = _centred(getattr(choix, method)(6, rankings, **kwargs))
    ll_peer = plackett_luce_log_likelihood(peer, rankings, unranked="absent")
    assert ll_peer == pytest.approx(choix.log_likelihood_rankings(rankings, peer), rel=1e-10)
    assert ours.log_likelihood >= ll_peer - 1e-7 * abs(ll_peer)
    np.testing.assert_allclose(ours.x, peer, atol=1e-4)


def test_regularized_plackett_luce_matches_choix():
    rankings = _rankings(6, 40, seed=6)
    peer = choix.opt_rankings(6, rankings, alpha=0.2, tol=1e-10)
    ours = fit_plackett_luce(rankings, n_items=6, unranked="absent", l2=0.4)
    np.testing.assert_allclose(ours.x, np.asarray(peer), atol=1e-5)
