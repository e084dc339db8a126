"""Generators against peer libraries: prefsampling (normalized Mallows) and choix (Bradley-Terry MLE)."""

from __future__ import annotations

import numpy as np
import pytest

from mechanisms.generators import annotator_population, normalized_mallows_phi


@pytest.mark.parametrize("m", [3, 5, 10, 25])
@pytest.mark.parametrize("norm_phi", [0.1, 0.5, 0.9])
def test_normalized_phi_matches_prefsampling(m, norm_phi):
    # prefsampling (a pref_voting dependency) bisects until the expected swap distance is within 1e-5
    mallows_mod = pytest.importorskip("prefsampling.ordinal.mallows")
    theirs = mallows_mod.phi_from_norm_phi(m, norm_phi)
    assert normalized_mallows_phi(norm_phi, m) == pytest.approx(theirs, abs=1e-4)


def test_bradley_terry_mle_recovers_the_group_utilities():
    choix = pytest.importorskip("choix")
    u = np.array([0.8, 0.0, -0.5, 1.2, -1.5])
    pop = annotator_population(5, 20_000, group_utilities=u, rng=31)
    c = pop.comparisons
    winner = np.asarray(c.winner)
    loser = np.where(winner == np.asarray(c.item_a), np.asarray(c.item_b), np.asarray(c.item_a))
    fitted = choix.ilsr_pairwise(5, list(zip(winner.tolist(), loser.tolist())), alpha=0.0)
    # ~2,000 comparisons per pair: the MLE's standard error is about 0.03 per item
    np.testing.assert_allclose(fitted - fitted.mean(), u - u.mean(), atol=0.12)
