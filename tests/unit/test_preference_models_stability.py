"""Regression: Plackett-Luce log-likelihood at far-apart scores (no warning, no infinite answer).

The log of a choice set's sum used to be taken after one global shift, so a set
whose items all lay ~745 below the best item summed to 0: ``log(0)`` raised a
divide-by-zero RuntimeWarning (hidden by ``np.errstate``) and the log-likelihood
came out as ``+inf``.  The oracle here is a per-set log-sum-exp written with
``math`` (each set shifted by its own maximum), and closed forms.
"""

import itertools
import math
import warnings

import numpy as np
import pytest

from solvers.preference_models import fit_plackett_luce, plackett_luce_log_likelihood


def _brute(scores, ranking, n_items, below):
    """Sum over positions of score - log sum_{set} exp(score), each set shifted by its own max."""
    remaining = set(range(n_items)) if below else set(ranking)
    total = 0.0
    for item in ranking:
        top = max(scores[j] for j in remaining)
        total += scores[item] - top - math.log(math.fsum(math.exp(scores[j] - top) for j in remaining))
        remaining.discard(item)
    return total


@pytest.mark.parametrize("unranked", ["below", "absent"])
def test_far_apart_scores_give_the_exact_log_likelihood_without_warnings(unranked):
    scores = [0.0, -800.0, -1600.0, -2400.0]
    rankings = [list(r) for r in itertools.permutations(range(4))] + [[0, 1], [3, 2], [1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for r in rankings:
            padded = np.full((1, 4), -1)
            padded[0, :len(r)] = r
            got = plackett_luce_log_likelihood(scores, padded, unranked=unranked)
            want = _brute(scores, r, 4, unranked == "below")
            assert got <= 0.0
            assert got == pytest.approx(want, abs=1e-9)


def test_closed_forms_at_far_apart_scores():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # best first: every choice is overwhelmingly likely -> log-likelihood 0 to double precision
        assert plackett_luce_log_likelihood([0.0, -800.0, -1600.0], [[0, 1, 2]]) == 0.0
        # worst first: -1600 (choose 2 from {0,1,2}) - 800 (choose 1 from {0,1}) = -2400
        assert plackett_luce_log_likelihood([0.0, -800.0, -1600.0], [[2, 1, 0]]) == pytest.approx(-2400.0)
        # the item left unranked ("below") dominates the set: 0 - 1000 = log P(1 first) = -1000
        assert plackett_luce_log_likelihood([-1000.0, 0.0, -1000.0], [[0]]) == pytest.approx(-1000.0)


def test_fit_and_log_likelihood_agree_with_brute_force_without_warnings():
    rankings = [[0, 1, 2], [1, 0, 2], [2, 1, 0], [0, 2, 1], [0, 1, 2], [1, 2, 0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fit_plackett_luce(rankings)
    assert res.status.name == "OPTIMAL"
    want = sum(_brute(list(res.x), r, 3, True) for r in rankings)
    assert res.log_likelihood == pytest.approx(want, abs=1e-9)
