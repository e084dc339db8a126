"""Dodgson's bounded, type-grouped integer program against an exhaustive search over lifts."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule


def lift_oracle(ballots, m):
    """Dodgson scores by trying every lift of every voter (only lifting the candidate helps)."""
    n = len(ballots)
    scores = []
    for c in range(m):
        best = None
        for lifts in itertools.product(*[range(b.index(c) + 1) for b in ballots]):
            cost = sum(lifts)
            if best is not None and cost >= best:
                continue
            moved = []
            for b, k in zip(ballots, lifts):
                b = list(b)
                i = b.index(c)
                moved.append(b[:i - k] + [c] + b[i - k:i] + b[i + 1:])
            if all(2 * sum(v.index(c) < v.index(d) for v in moved) > n for d in range(m) if d != c):
                best = cost
        scores.append(best)
    return scores


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 4).flatmap(lambda m: st.tuples(
    st.just(m), st.lists(st.permutations(range(m)), min_size=1, max_size=4),
    st.lists(st.integers(1, 3), min_size=4, max_size=4))))
def test_weighted_ballots_match_the_lift_oracle(case):
    m, rankings, weights = case
    weights = weights[:len(rankings)]
    voters = [tuple(r) for r, w in zip(rankings, weights) for _ in range(w)]
    profile = Profile.from_rankings([list(r) for r in rankings], weights=weights)
    assert get_rule("dodgson")(profile).scores.tolist() == lift_oracle(voters, m)


def test_a_case_where_the_cheapest_swaps_are_not_enough():
    # For 0, the greedy (cheapest moves first) pays 5; one voter lifting 0 three places pays 3 and passes all
    # rivals, and "2 0 1 3" adds the missing pass of 2: 4 swaps, found by hand and by the oracle.
    rankings = [[0, 3, 1, 2], [2, 1, 0, 3], [3, 2, 1, 0], [2, 0, 1, 3], [3, 2, 1, 0], [3, 0, 2, 1], [3, 2, 1, 0]]
    expected = lift_oracle([tuple(r) for r in rankings], 4)
    assert expected[0] == 4
    assert get_rule("dodgson")(Profile.from_rankings(rankings)).scores.tolist() == expected


def test_many_identical_prefixes_collapse_without_changing_scores():
    rng = np.random.default_rng(3)
    base = np.array([rng.permutation(4) for _ in range(5)])
    weights = rng.integers(1, 3, size=5)
    voters = [tuple(int(a) for a in r) for r, w in zip(base, weights) for _ in range(int(w))]
    # the same electorate once grouped with weights, once expanded voter by voter
    grouped = get_rule("dodgson")(Profile.from_rankings(base, weights=weights)).scores.tolist()
    expanded = get_rule("dodgson")(Profile.from_rankings([list(v) for v in voters])).scores.tolist()
    assert grouped == expanded == lift_oracle(voters, 4)
