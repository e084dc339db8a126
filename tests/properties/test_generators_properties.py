"""Hypothesis properties of the statistical cultures (support, structure, normalisation)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.generators import (
    euclidean,
    impartial_anonymous_culture,
    impartial_culture,
    mallows,
    normalized_mallows_phi,
    plackett_luce,
    single_peaked_conitzer,
    single_peaked_walsh,
    urn,
)

sizes = st.tuples(st.integers(1, 12), st.integers(1, 7))
seeds = st.integers(0, 2**32 - 1)


def is_single_peaked(ranking, axis):
    where = {a: i for i, a in enumerate(axis)}
    rank = {a: i for i, a in enumerate(ranking)}
    peak = where[ranking[0]]
    return all(rank[b] < rank[a] for a, b in itertools.permutations(ranking, 2)
               if where[a] < where[b] <= peak or peak <= where[b] < where[a])


def kendall_tau(r, s):
    pos_r = {a: i for i, a in enumerate(r)}
    pos_s = {a: i for i, a in enumerate(s)}
    return sum((pos_r[a] < pos_r[b]) != (pos_s[a] < pos_s[b]) for a, b in itertools.combinations(r, 2))


@settings(max_examples=40)
@given(sizes, seeds, st.sampled_from(["ic", "iac", "urn", "mallows", "pl"]))
def test_ordinal_cultures_give_one_permutation_per_voter(size, seed, culture):
    n, m = size
    rng = np.random.default_rng(seed)
    profile = {
        "ic": lambda: impartial_culture(n, m, rng=rng),
        "iac": lambda: impartial_anonymous_culture(n, m, rng=rng),
        "urn": lambda: urn(n, m, alpha=float(rng.random()), rng=rng),
        "mallows": lambda: mallows(n, m, phi=float(rng.random()), rng=rng),
        "pl": lambda: plackett_luce(n, m, weights=rng.random(m) + 0.01, rng=rng),
    }[culture]()
    rows = profile.to_rankings()
    assert rows.shape == (n, m)
    assert (np.sort(rows, axis=1) == np.arange(m)).all()


@settings(max_examples=40)
@given(st.integers(1, 8).flatmap(lambda m: st.permutations(range(m))), st.integers(1, 30), seeds,
       st.sampled_from([single_peaked_walsh, single_peaked_conitzer]))
def test_single_peaked_cultures_are_single_peaked(axis, n, seed, sampler):
    rows = sampler(n, len(axis), axis=list(axis), rng=seed).to_rankings().tolist()
    assert all(is_single_peaked(r, axis) for r in rows)


@settings(max_examples=30)
@given(st.integers(1, 7).flatmap(lambda m: st.permutations(range(m))), st.integers(1, 20), seeds)
def test_mallows_with_phi_zero_reports_the_reference(reference, n, seed):
    rows = mallows(n, len(reference), phi=0.0, reference=list(reference), rng=seed).to_rankings()
    assert (rows == np.array(reference)).all()


@settings(max_examples=30)
@given(st.integers(2, 5), st.floats(0.0, 1.0))
def test_normalized_phi_gives_the_target_expected_swap_distance(m, norm_phi):
    # brute force over all m! rankings: E[KT] under Mallows(phi) = norm_phi * m (m - 1) / 4
    phi = normalized_mallows_phi(norm_phi, m)
    assert 0.0 <= phi <= 1.0
    d = np.array([kendall_tau(r, range(m)) for r in itertools.permutations(range(m))])
    w = phi ** d
    assert math.isclose(float((w * d).sum() / w.sum()), norm_phi * m * (m - 1) / 4, abs_tol=1e-9)


@settings(max_examples=30)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 3), seeds)
def test_euclidean_prefers_nearer_alternatives(n, m, d, seed):
    points = np.random.default_rng(seed)
    voters, alts = points.normal(size=(n, d)), points.normal(size=(m, d))
    profile = euclidean(n, m, voter_points=voters, alternative_points=alts)
    for v, levels in zip(voters.tolist(), np.asarray(profile.ranks).tolist()):
        dist = [math.dist(v, a) for a in alts.tolist()]
        for a, b in itertools.permutations(range(m), 2):
            if levels[a] < levels[b]:
                assert dist[a] <= dist[b]
            elif levels[a] == levels[b]:
                assert math.isclose(dist[a], dist[b], rel_tol=1e-12)
