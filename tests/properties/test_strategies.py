"""The public strategies draw what they promise (checked on the drawn data, not by the strategy's code)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms import ValidationError
from mechanisms.profiles import ApprovalProfile, PairwiseComparisons, Profile, UtilityProfile
from mechanisms.testing import profiles


@given(profiles(n_voters=4, n_alternatives=3))
def test_strict_profiles_are_permutations(p):
    assert isinstance(p, Profile) and p.n_voters == 4
    assert all(sorted(row) == [0, 1, 2] for row in p.to_rankings().tolist())


@given(profiles(kind="incomplete", n_alternatives=st.integers(2, 5)))
def test_incomplete_profiles_rank_a_prefix(p):
    for row in p.rankings().tolist():
        ranked = [a for a in row if a >= 0]
        assert ranked and len(set(ranked)) == len(ranked)
        assert row[len(ranked):] == [-1] * (len(row) - len(ranked))


@given(profiles(kind="ties", weighted=True, max_weight=3))
def test_weighted_weak_orders(p):
    assert p.is_complete
    assert p.weights.min() >= 1 and p.weights.max() <= 3


@settings(max_examples=20)
@given(st.sampled_from(["approval", "utilities", "pairwise"]).flatmap(lambda k: st.tuples(st.just(k), profiles(kind=k))))
def test_other_kinds(kind_and_profile):
    kind, p = kind_and_profile
    expected = {"approval": ApprovalProfile, "utilities": UtilityProfile, "pairwise": PairwiseComparisons}[kind]
    assert isinstance(p, expected)
    if kind == "pairwise":
        assert np.all(p.item_a != p.item_b)


def test_bad_arguments():
    with pytest.raises(ValidationError, match="'kind' parameter of profiles"):
        profiles(kind="cardinal")
    with pytest.raises(ValidationError, match="'n_voters' parameter of profiles"):
        profiles(n_voters=0)
