"""Properties of proper scoring rules: the expected-score gap is the generator's Bregman divergence.

The generators and their gradients are written out here from their closed
forms, independently of the library's own implementation.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mechanisms.elicitation import (
    LOGARITHMIC,
    QUADRATIC,
    RANKED_PROBABILITY,
    SPHERICAL,
    expected_score,
    pseudo_spherical,
)


def _log(q):
    return np.sum(q * np.log(q)), np.log(q) + 1


def _quadratic(q):
    return np.sum(q * q), 2 * q


def _spherical(q):
    norm = np.sqrt(np.sum(q * q))
    return norm, q / norm


def _pseudo(alpha):
    def g(q):
        norm = np.sum(q**alpha) ** (1 / alpha)
        return norm, norm ** (1 - alpha) * q ** (alpha - 1)
    return g


def _rps(q):
    c = np.cumsum(q)[:-1]
    # dG/dq_j = sum_{k >= j} (2 c_k - 1), k over the first n - 1 cumulative sums
    grad = np.array([np.sum(2 * c[j:] - 1) for j in range(len(q))])
    return np.sum(c * c - c), grad


CASES = [
    (LOGARITHMIC, _log),
    (QUADRATIC, _quadratic),
    (SPHERICAL, _spherical),
    (pseudo_spherical(1.5), _pseudo(1.5)),
    (pseudo_spherical(3.0), _pseudo(3.0)),
    (RANKED_PROBABILITY, _rps),
]


@st.composite
def belief_report_pairs(draw):
    n = draw(st.integers(2, 5))
    weights = st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)
    q = np.array(draw(weights))
    p = np.array(draw(weights))
    return q / q.sum(), p / p.sum()


@pytest.mark.parametrize("rule,generator", CASES, ids=lambda c: getattr(c, "name", ""))
@settings(max_examples=40)
@given(pair=belief_report_pairs())
def test_expected_score_gap_is_the_bregman_divergence(rule, generator, pair):
    q, p = pair
    gap = expected_score(rule, q, q) - expected_score(rule, p, q)
    g_q, _ = generator(q)
    g_p, grad_p = generator(p)
    bregman = g_q - g_p - grad_p @ (q - p)
    assert gap == pytest.approx(bregman, rel=1e-7, abs=1e-10)
    # the honest expected score is G itself
    assert expected_score(rule, q, q) == pytest.approx(g_q, rel=1e-9, abs=1e-12)
    # strict properness: a different report loses
    assume(np.max(np.abs(p - q)) > 1e-3)
    assert gap > 0


@pytest.mark.parametrize("rule,generator", CASES, ids=lambda c: getattr(c, "name", ""))
@settings(max_examples=10)
@given(pair=belief_report_pairs(), scale=st.floats(0.1, 10.0), offset=st.floats(-5.0, 5.0))
def test_affine_transform_scales_the_gap(rule, generator, pair, scale, offset):
    q, p = pair
    scaled = rule.affine(scale, offset)
    gap = expected_score(scaled, q, q) - expected_score(scaled, p, q)
    base = expected_score(rule, q, q) - expected_score(rule, p, q)
    assert gap == pytest.approx(scale * base, rel=1e-7, abs=1e-9)
