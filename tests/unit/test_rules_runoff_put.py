"""Parallel-universe tie-breaking of instant runoff and Coombs against a plain brute force.

The brute force recurses over *every* order of eliminating tied alternatives, with
no memo, no pruning and no batching, straight from the definitions; the profiles
are small with many ties (few voters, 5-7 alternatives, truncated ballots for
instant runoff), where the pruned search of the rules has the most to get wrong.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule


def _first(ballot, alive):
    return next((a for a in ballot if a in alive), None)


def irv_put_brute(ballots, weights, m):
    """Winners of IRV over all elimination orders: eliminate any alternative with the fewest first choices."""

    def rec(alive):
        if len(alive) == 1:
            return set(alive)
        tally = {a: 0 for a in alive}
        for b, w in zip(ballots, weights):
            top = _first(b, alive)
            if top is not None:
                tally[top] += w
        low = min(tally.values())
        out = set()
        for a in alive:
            if tally[a] == low:
                out |= rec(alive - {a})
        return out

    return rec(frozenset(range(m)))


def coombs_put_brute(ballots, weights, m):
    """Coombs over all orders: a majority of first choices wins, else eliminate any most-often-last one."""
    n = sum(weights)

    def rec(alive):
        if len(alive) == 1:
            return set(alive)
        first = {a: 0 for a in alive}
        last = {a: 0 for a in alive}
        for b, w in zip(ballots, weights):
            first[_first(b, alive)] += w
            last[_first(b[::-1], alive)] += w
        majority = {a for a in alive if 2 * first[a] > n}
        if majority:
            return majority
        high = max(last.values())
        out = set()
        for a in alive:
            if last[a] == high:
                out |= rec(alive - {a})
        return out

    return rec(frozenset(range(m)))


@st.composite
def small_profiles(draw, *, truncated):
    m = draw(st.integers(5, 7))
    n = draw(st.integers(1, 6))
    ballots = []
    for _ in range(n):
        perm = draw(st.permutations(range(m)))
        length = draw(st.integers(1, m)) if truncated else m
        ballots.append(list(perm[:length]))
    weights = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    rankings = np.full((n, m), -1, dtype=np.int64)
    for i, b in enumerate(ballots):
        rankings[i, : len(b)] = b
    return Profile.from_rankings(rankings, weights=weights), ballots, weights, m


@settings(max_examples=150, deadline=None)
@given(small_profiles(truncated=True))
def test_instant_runoff_put_matches_brute_force_on_truncated_ballots(case):
    profile, ballots, weights, m = case
    assert set(get_rule("instant_runoff")(profile).winners) == irv_put_brute(ballots, weights, m)


@settings(max_examples=150, deadline=None)
@given(small_profiles(truncated=False))
def test_coombs_put_matches_brute_force(case):
    profile, ballots, weights, m = case
    assert set(get_rule("coombs")(profile).winners) == coombs_put_brute(ballots, weights, m)


def test_batched_lowest_alternatives_keep_every_tied_universe():
    # tallies 1, 1, 1, 4, 4: the three lowest (sum 3 < 4) go together; then 3 and 4 tie and both can win
    rankings = [[0, 3], [1, 3], [2, 4], [3], [4]]
    weights = [1, 1, 1, 3, 4]
    padded = np.full((5, 5), -1)
    for i, r in enumerate(rankings):
        padded[i, : len(r)] = r
    profile = Profile.from_rankings(padded, weights=weights)
    expected = irv_put_brute(rankings, weights, 5)
    assert expected == {3, 4}
    assert set(get_rule("instant_runoff")(profile).winners) == expected


@st.composite
def tied_profiles(draw):
    """Few distinct ballots, repeated with small weights: many exact tallies ties at every stage."""
    m = draw(st.integers(5, 7))
    kinds = draw(st.integers(2, 6))
    ballots = []
    for _ in range(kinds):
        perm = draw(st.permutations(range(m)))
        ballots.append(list(perm[: draw(st.integers(1, m))]))
    n = draw(st.integers(kinds, 14))
    ballots = [ballots[i % kinds] for i in range(n)]
    weights = draw(st.lists(st.integers(1, 2), min_size=n, max_size=n))
    rankings = np.full((n, m), -1, dtype=np.int64)
    for i, b in enumerate(ballots):
        rankings[i, : len(b)] = b
    return Profile.from_rankings(rankings, weights=weights), ballots, weights, m


@settings(max_examples=200, deadline=None)
@given(tied_profiles())
def test_instant_runoff_put_matches_brute_force_with_many_ties(case):
    profile, ballots, weights, m = case
    assert set(get_rule("instant_runoff")(profile).winners) == irv_put_brute(ballots, weights, m)


def _states_after(ballots, weights, alive, steps):
    """Every remaining set reachable from ``alive`` by ``steps`` plain IRV eliminations (any tie order)."""
    states = {frozenset(alive)}
    for _ in range(steps):
        nxt = set()
        for s in states:
            tally = {a: 0 for a in s}
            for b, w in zip(ballots, weights):
                top = _first(b, s)
                if top is not None:
                    tally[top] += w
            low = min(tally.values())
            nxt |= {s - {a} for a in s if tally[a] == low}
        states = nxt
    return states


@settings(max_examples=150, deadline=None)
@given(tied_profiles())
def test_bulk_exclusion_is_removed_first_by_every_elimination_order(case):
    from mechanisms.social_choice.runoff import _bulk_exclusion, _tally

    profile, ballots, weights, m = case
    from mechanisms.social_choice._common import strict_ballots

    rankings, w = strict_ballots(profile)
    alive = np.ones(m, dtype=bool)
    batch = _bulk_exclusion(rankings, w, alive, _tally(rankings, w, alive))
    if batch is not None:
        expected = {frozenset(range(m)) - {int(a) for a in batch}}
        assert _states_after(ballots, weights, range(m), len(batch)) == expected


def test_bulk_exclusion_beyond_the_combined_tally_rule():
    # tallies 3, 3, 4, 5: 3 + 3 >= 4, but the ballots of 0 and 1 move to 2 and 3, never to each other,
    # so 0 and 1 both go before 2 and 3 in every order; then 2 (4 + 3 = 7) meets 3 (5 + 3 = 8)
    from mechanisms.social_choice._common import strict_ballots
    from mechanisms.social_choice.runoff import _bulk_exclusion, _tally

    rankings = [[0, 2], [1, 3], [2], [3]]
    weights = [3, 3, 4, 5]
    padded = np.full((4, 4), -1)
    for i, r in enumerate(rankings):
        padded[i, : len(r)] = r
    profile = Profile.from_rankings(padded, weights=weights)
    rk, w = strict_ballots(profile)
    alive = np.ones(4, dtype=bool)
    assert sorted(_bulk_exclusion(rk, w, alive, _tally(rk, w, alive)).tolist()) == [0, 1]
    assert _states_after(rankings, weights, range(4), 2) == {frozenset({2, 3})}
    assert set(get_rule("instant_runoff")(profile).winners) == irv_put_brute(rankings, weights, 4) == {3}
