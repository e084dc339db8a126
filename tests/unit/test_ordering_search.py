"""The heuristic behind the Kemeny/Slater MILP: insertion local search against a brute-force neighbourhood scan."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers.ordering import _iterated_search, _local_search, kemeny_rankings


def score(K, r):
    return sum(K[r[i], r[j]] for i in range(len(r)) for j in range(i + 1, len(r)))


def insertion_neighbours(r):
    """Every ranking reached by moving one element to another position (plain Python)."""
    r = list(r)
    for i in range(len(r)):
        rest = r[:i] + r[i + 1:]
        for j in range(len(r)):
            if j != i:
                yield rest[:j] + [r[i]] + rest[j:]


@st.composite
def antisymmetric(draw, max_m=8):
    m = draw(st.integers(2, max_m))
    upper = draw(st.lists(st.integers(-6, 6), min_size=m * (m - 1) // 2, max_size=m * (m - 1) // 2))
    A = np.zeros((m, m), dtype=np.int64)
    A[np.triu_indices(m, 1)] = upper
    return (A - A.T).astype(float)


@settings(max_examples=60, deadline=None)
@given(antisymmetric(), st.randoms(use_true_random=False))
def test_local_search_ends_at_an_insertion_local_optimum(K, rnd):
    m = K.shape[0]
    start = list(range(m))
    rnd.shuffle(start)
    r = _local_search(K, np.array(start), 0.0)
    assert sorted(r.tolist()) == list(range(m))
    value = score(K, r.tolist())
    assert value >= score(K, start)
    assert all(score(K, q) <= value for q in insertion_neighbours(r.tolist()))


@settings(max_examples=30, deadline=None)
@given(antisymmetric(max_m=7))
def test_iterated_search_is_a_permutation_no_worse_than_local_search_and_bounded_by_brute_force(K):
    m = K.shape[0]
    start = np.arange(m)
    r = _iterated_search(K, start, 0.0, 20)
    assert sorted(r.tolist()) == list(range(m))
    best = max(score(K, p) for p in itertools.permutations(range(m)))
    assert score(K, _local_search(K, start, 0.0).tolist()) <= score(K, r.tolist()) <= best


def test_milp_path_matches_brute_force_on_a_cyclic_instance():
    # a 7-alternative instance with a long majority cycle, forced through the MILP (heuristic + proof)
    rng = np.random.default_rng(3)
    ranks = np.argsort(rng.random((9, 7)), axis=1)
    pos = np.argsort(ranks, axis=1)
    S = (pos[:, :, None] < pos[:, None, :]).sum(axis=0)
    M = S - S.T
    best = max(score(M, p) for p in itertools.permutations(range(7)))
    res = kemeny_rankings(M, method="milp")
    assert res.objective == best
    assert score(M, res.ranking.tolist()) == best
