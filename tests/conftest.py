"""Shared pytest configuration: hypothesis settings profiles, and fixtures used in several test folders.

``default`` is fast for local runs; ``ci`` (used by ``make test``) is derandomized
so CI is reproducible, with more examples.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("default")


def _simulate_bradley_terry(n_items, n_comp, seed):
    """``n_comp`` (winner, loser) rows between distinct items drawn from a Bradley-Terry model with N(0, 1) scores."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=n_items)
    a = rng.integers(n_items, size=n_comp)
    b = (a + 1 + rng.integers(n_items - 1, size=n_comp)) % n_items
    win = rng.random(n_comp) < 1 / (1 + np.exp(theta[b] - theta[a]))
    return np.where(win[:, None], np.stack([a, b], 1), np.stack([b, a], 1))


@pytest.fixture
def bt_comparisons():
    """The Bradley-Terry simulator ``bt_comparisons(n_items, n_comp, seed)`` (seeded, so reproducible)."""
    return _simulate_bradley_terry
