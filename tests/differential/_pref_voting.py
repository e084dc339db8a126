"""Helpers shared by the pref_voting differential tests: a JIT-free import, profile conversion, strategies.

Not a test module (no ``test_`` prefix); the test files load it by path with ``importlib.util``, since pytest
runs with ``--import-mode=importlib`` and does not put this folder on ``sys.path``.
"""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from hypothesis import strategies as st

from mechanisms.profiles import Profile

#: every pref_voting module the differential tests use, imported once with the JIT off
PREF_VOTING_MODULES = ("profiles", "profiles_with_ties", "scoring_methods", "iterative_methods", "c1_methods",
                       "margin_based_methods", "other_methods", "combined_methods", "proportional_methods",
                       "probabilistic_methods")


def import_pref_voting_without_jit():
    """Import pref_voting with numba's JIT off (restored right after); skip the module if it is missing.

    pref_voting compiles its numba kernels on first use, which costs 10-20 s per test session; on the
    small profiles here its plain-Python versions are far cheaper.  numba checks the flag when a
    function is decorated, i.e. at import, so this only matters if pref_voting is not imported yet.
    """
    if "pref_voting" in sys.modules:
        return
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a pref_voting dependency
        return
    previous = numba.config.DISABLE_JIT
    numba.config.DISABLE_JIT = True
    try:
        pytest.importorskip("pref_voting")
        for module in PREF_VOTING_MODULES:
            importlib.import_module(f"pref_voting.{module}")
    finally:
        numba.config.DISABLE_JIT = previous


def to_pref_voting(profile: Profile, *, with_ties: bool = False):
    """The same electorate as a pref_voting Profile (linear orders) or ProfileWithTies (extended preference)."""
    from pref_voting.profiles import Profile as PVProfile
    from pref_voting.profiles_with_ties import ProfileWithTies

    weights = [int(w) for w in profile.weights]
    if profile.kind == "soc" and not with_ties:
        return PVProfile(profile.rankings().tolist(), rcounts=weights)
    ballots = [{int(a): int(r[a]) + 1 for a in range(profile.n_alternatives) if r[a] >= 0} for r in profile.ranks]
    q = ProfileWithTies(ballots, rcounts=weights, candidates=list(range(profile.n_alternatives)))
    q.use_extended_strict_preference()
    return q


@st.composite
def linear_profiles(draw, max_m=5, max_n=8, max_weight=4, odd=False):
    """Weighted linear orders; ``odd=True`` makes the total weight odd."""
    m = draw(st.integers(2, max_m))
    n = draw(st.integers(1, max_n))
    rows = [list(draw(st.permutations(range(m)))) for _ in range(n)]
    weights = draw(st.lists(st.integers(1, max_weight), min_size=n, max_size=n))
    if odd and sum(weights) % 2 == 0:
        weights[0] += 1
    return Profile.from_rankings(rows, weights=weights)


@st.composite
def general_profiles(draw, max_m=5, max_n=7, max_weight=3):
    """Ties and truncation; every ballot ranks at least one alternative.  ``max_weight=None``: unit weights."""
    m = draw(st.integers(2, max_m))
    n = draw(st.integers(1, max_n))
    ranks = []
    for _ in range(n):
        row = draw(st.lists(st.integers(-1, m - 1), min_size=m, max_size=m))
        if max(row) < 0:
            row[0] = 0
        ranks.append(row)
    if max_weight is None:
        return Profile.from_ranks(np.array(ranks, dtype=np.int64))
    weights = draw(st.lists(st.integers(1, max_weight), min_size=n, max_size=n))
    return Profile.from_ranks(np.array(ranks, dtype=np.int64), weights=weights)
