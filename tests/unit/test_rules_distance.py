"""Young and Dodgson (MILPs) against exhaustive search on small electorates."""

from __future__ import annotations

import itertools
from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms import ValidationError
from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule


def voters_of(profile):
    """One strict ballot (tuple, best first) or weak-order level map per voter (weights expanded)."""
    return [tuple(int(a) for a in row if a >= 0) for row, w in zip(profile.rankings(), profile.weights)
            for _ in range(int(w))]


def beats_all(c, ballots, m, strict):
    for d in range(m):
        if d == c:
            continue
        up = sum(1 for b in ballots if b.index(c) < b.index(d))
        down = len(ballots) - up
        if (up - down) < (1 if strict else 0):
            return False
    return True


def young_oracle(profile, strict):
    """Fewest voters to remove, by enumerating the kept sub-electorates from the largest down."""
    ballots = voters_of(profile)
    n, m = len(ballots), profile.n_alternatives
    scores = []
    for c in range(m):
        best = n
        for size in range(n, 0, -1):
            if any(beats_all(c, list(kept), m, strict) for kept in itertools.combinations(ballots, size)):
                best = n - size
                break
        scores.append(best)
    return scores


def dodgson_bfs(profile, c):
    """Breadth-first search over all sequences of adjacent swaps (any pair, any voter)."""
    start = tuple(voters_of(profile))
    m = profile.n_alternatives
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        state, dist = queue.popleft()
        if beats_all(c, list(state), m, strict=True):
            return dist
        for v, ballot in enumerate(state):
            for i in range(m - 1):
                swapped = list(ballot)
                swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
                new = state[:v] + (tuple(swapped),) + state[v + 1:]
                if new not in seen:
                    seen.add(new)
                    queue.append((new, dist + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def dodgson_lift(profile, c):
    """Enumerate, voter by voter, how far c is lifted (only lifting c can help)."""
    ballots = voters_of(profile)
    m = profile.n_alternatives
    best = None
    for lifts in itertools.product(*[range(b.index(c) + 1) for b in ballots]):
        cost = sum(lifts)
        if best is not None and cost >= best:
            continue
        moved = []
        for b, k in zip(ballots, lifts):
            b = list(b)
            i = b.index(c)
            b.insert(i - k, b.pop(i))
            moved.append(tuple(b))
        if beats_all(c, moved, m, strict=True):
            best = cost
    return best


@st.composite
def small_profiles(draw, max_m=4, max_n=6):
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(1, max_n))
    rows = [list(draw(st.permutations(range(m)))) for _ in range(n)]
    weights = draw(st.lists(st.integers(1, 2), min_size=n, max_size=n))
    while sum(weights) > max_n:
        weights[weights.index(max(weights))] -= 1
        if 0 in weights:
            i = weights.index(0)
            del weights[i], rows[i]
    return Profile.from_rankings(rows, weights=weights)


@settings(max_examples=25)
@given(small_profiles(max_m=4, max_n=7))
def test_young_matches_subset_enumeration(profile):
    for strict, option in ((False, "weak"), (True, "strict")):
        expected = young_oracle(profile, strict)
        result = get_rule("young")(profile, condorcet=option)
        assert result.scores.tolist() == expected
        assert result.winners == tuple(a for a, s in enumerate(expected) if s == min(expected))


@settings(max_examples=25)
@given(small_profiles(max_m=4, max_n=6))
def test_dodgson_matches_lift_enumeration(profile):
    expected = [dodgson_lift(profile, c) for c in range(profile.n_alternatives)]
    result = get_rule("dodgson")(profile)
    assert result.scores.tolist() == expected
    assert result.winners == tuple(a for a, s in enumerate(expected) if s == min(expected))


@settings(max_examples=10)
@given(small_profiles(max_m=3, max_n=4))
def test_dodgson_matches_breadth_first_search_over_all_swaps(profile):
    expected = [dodgson_bfs(profile, c) for c in range(profile.n_alternatives)]
    assert get_rule("dodgson")(profile).scores.tolist() == expected


def test_hand_computed_example():
    # 3 x (0>1>2), 2 x (1>2>0), 2 x (2>0>1); margins 0>1 by 3, 1>2 by 3, 2>0 by 1.
    # Dodgson: 0 needs one "2>0>1" voter to swap 2 and 0 (1 swap); 1 needs two "0>1>2" voters to swap
    # (2 swaps); 2 needs two "1>2>0" voters to swap (2 swaps).
    # Young (weak): removing one "2>0>1" voter makes 0 tie 2; 1 and 2 each need 3 removals.
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    assert get_rule("dodgson")(p).scores.tolist() == [1, 2, 2]
    assert get_rule("dodgson")(p).winners == (0,)
    assert get_rule("young")(p).scores.tolist() == [1, 3, 3]
    assert get_rule("young")(p).ranking == ((0,), (1, 2))


def test_young_strict_without_any_sub_electorate():
    # every voter prefers 0 to 1, so 1 is the strict Condorcet winner of no nonempty sub-electorate: score n
    p = Profile.from_rankings([[0, 1], [0, 1]])
    assert get_rule("young")(p, condorcet="strict").scores.tolist() == [0, 2]


def test_young_accepts_ties_and_truncation():
    # v1: {0, 1} > 2,  v2: 1 > 0 > 2,  v3: 2 > 1 (0 unranked, so below 1 and 2)
    # margins: 1 beats 0 by 2 (v1 ties), 0 beats 2 by 1, 1 beats 2 by 1: 1 is the Condorcet winner.
    # weak: 0 must drop v2 and v3 (then it ties 1); 2 drops v1 (then it ties 0 and 1).
    # strict: nobody prefers 0 to 1 (score n = 3); 2 keeps only v3.
    p = Profile.from_weak_orders([[[0, 1], [2]], [[1], [0], [2]], [[2], [1]]], n_alternatives=3)
    assert p.margin_matrix().tolist() == [[0, -2, 1], [2, 0, 1], [-1, -1, 0]]
    assert get_rule("young")(p).scores.tolist() == [2, 0, 1]
    assert get_rule("young")(p, condorcet="strict").scores.tolist() == [3, 0, 2]


def test_dodgson_needs_complete_strict_ballots():
    with pytest.raises(ValidationError, match="dodgson must be a profile of strict complete rankings"):
        get_rule("dodgson")(Profile.from_weak_orders([[[0, 1], [2]]], n_alternatives=3))


def test_young_option_is_checked():
    with pytest.raises(ValidationError, match="The 'condorcet' parameter of young must be one of 'weak', 'strict'"):
        get_rule("young")(Profile.from_rankings([[0, 1]]), condorcet="majority")


def test_weights_are_aggregated_not_expanded():
    # 700,001 voters in three ballot groups; majority 350,001.  0 has 300,001 against 2: lift 0 past 2 on
    # 50,000 "2 > 0 > 1" ballots.  1 and 2 each need 150,001 one-place lifts.
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[300_001, 200_000, 200_000])
    result = get_rule("dodgson")(p)
    assert result.scores.tolist() == [50_000, 150_001, 150_001]
    assert result.winners == (0,)


# ---------------------------------------------------------------- Dodgson's bounds-first program (greedy vs MILP)
@settings(max_examples=60, deadline=None)
@given(st.integers(3, 4).flatmap(lambda m: st.tuples(
    st.lists(st.permutations(range(m)), min_size=1, max_size=4), st.lists(st.integers(1, 3), min_size=4, max_size=4))))
def test_dodgson_weighted_ballots_match_the_lift_search(case):
    rankings, weights = case
    profile = Profile.from_rankings([list(r) for r in rankings], weights=weights[:len(rankings)])
    expected = [dodgson_lift(profile, c) for c in range(profile.n_alternatives)]
    assert get_rule("dodgson")(profile).scores.tolist() == expected


def test_dodgson_when_the_cheapest_swaps_are_not_enough():
    # For 0, the greedy (cheapest moves first) pays 5; one voter lifting 0 three places pays 3 and passes all
    # rivals, and "2 0 1 3" adds the missing pass of 2: 4 swaps, found by hand and by the lift search.
    rankings = [[0, 3, 1, 2], [2, 1, 0, 3], [3, 2, 1, 0], [2, 0, 1, 3], [3, 2, 1, 0], [3, 0, 2, 1], [3, 2, 1, 0]]
    profile = Profile.from_rankings(rankings)
    expected = [dodgson_lift(profile, c) for c in range(4)]
    assert expected[0] == 4
    assert get_rule("dodgson")(profile).scores.tolist() == expected


def test_dodgson_grouped_and_expanded_electorates_agree():
    rng = np.random.default_rng(3)
    base = np.array([rng.permutation(4) for _ in range(5)])
    weights = rng.integers(1, 3, size=5)
    grouped = Profile.from_rankings(base, weights=weights)
    expanded = Profile.from_rankings([list(v) for v in voters_of(grouped)])
    expected = [dodgson_lift(grouped, c) for c in range(4)]
    assert get_rule("dodgson")(grouped).scores.tolist() == get_rule("dodgson")(expanded).scores.tolist() == expected
