"""Runoff and elimination rules against textbook examples and plain-Python recursive oracles.

The oracles follow the textbook definitions ballot by ballot (lists, dicts and
Fractions, one elimination at a time, every tie explored, no shortcuts), so they
check the vectorized tallies, the memoized parallel-universe search and its
zero-vote batching.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms import ValidationError
from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule


# ---------------------------------------------------------------- strategies
@st.composite
def strict_profiles(draw, max_m=5, max_n=7, complete=False):
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(0, max_n))
    rows = []
    for _ in range(n):
        perm = draw(st.permutations(range(m)))
        keep = m if complete else draw(st.integers(0, m))
        rows.append(list(perm[:keep]) + [-1] * (m - keep))
    weights = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    rankings = np.array(rows, dtype=np.int64).reshape(n, m)
    return Profile.from_rankings(rankings, weights=weights), [(list(r[r >= 0]), w) for r, w in zip(rankings, weights)]


def ballots_of(profile):
    return [(list(r[r >= 0]), int(w)) for r, w in zip(profile.rankings(), profile.weights)]


# ---------------------------------------------------------------- oracles
def first_choices(ballots, alive):
    tally = {c: 0 for c in alive}
    for ranking, w in ballots:
        for c in ranking:
            if c in alive:
                tally[c] += w
                break
    return tally


def irv_oracle(ballots, alive, simultaneous=False):
    alive = frozenset(alive)
    if len(alive) == 1:
        return set(alive)
    tally = first_choices(ballots, alive)
    total = sum(tally.values())
    for c in alive:
        if 2 * tally[c] > total:
            return {c}
    low = min(tally.values())
    losers = {c for c in alive if tally[c] == low}
    if simultaneous:
        return set(losers) if losers == alive else irv_oracle(ballots, alive - losers, True)
    out = set()
    for c in losers:
        out |= irv_oracle(ballots, alive - {c})
    return out


def coombs_oracle(ballots, alive, n, simultaneous=False):
    alive = frozenset(alive)
    if len(alive) == 1:
        return set(alive)
    tally = first_choices(ballots, alive)
    for c in alive:
        if 2 * tally[c] > n:
            return {c}
    last = first_choices([(list(reversed(r)), w) for r, w in ballots], alive)
    high = max(last.values())
    losers = {c for c in alive if last[c] == high}
    if simultaneous:
        return set(losers) if losers == alive else coombs_oracle(ballots, alive - losers, n, True)
    out = set()
    for c in losers:
        out |= coombs_oracle(ballots, alive - {c}, n)
    return out


def borda_restricted(groups_list, weights, alive):
    """Average-convention Borda on the remaining alternatives, ballot by ballot (Fractions)."""
    alive = sorted(alive)
    totals = {c: Fraction(0) for c in alive}
    for groups, w in zip(groups_list, weights):
        kept = [[a for a in g if a in alive] for g in groups]
        kept = [g for g in kept if g]
        ranked = {a for g in kept for a in g}
        bottom = [a for a in alive if a not in ranked]
        if bottom:
            kept.append(bottom)
        k = len(alive)
        pos = 0
        for g in kept:
            share = Fraction(sum(k - 1 - p for p in range(pos, pos + len(g))), len(g))
            for a in g:
                totals[a] += w * share
            pos += len(g)
    return totals


def baldwin_oracle(groups_list, weights, alive, simultaneous=False):
    alive = frozenset(alive)
    if len(alive) == 1:
        return set(alive)
    b = borda_restricted(groups_list, weights, alive)
    low = min(b.values())
    losers = {c for c in alive if b[c] == low}
    if simultaneous:
        return set(losers) if losers == alive else baldwin_oracle(groups_list, weights, alive - losers, True)
    out = set()
    for c in losers:
        out |= baldwin_oracle(groups_list, weights, alive - {c})
    return out


def nanson_oracle(groups_list, weights, m, weak=False):
    alive = set(range(m))
    while len(alive) > 1:
        b = borda_restricted(groups_list, weights, alive)
        mean = sum(b.values()) / len(alive)
        losers = {c for c in alive if (b[c] <= mean if weak else b[c] < mean)}
        if not losers or losers == alive:
            break
        alive -= losers
    return alive


def stv_oracle(ballots, m, k):
    """Every committee STV (Droop, weighted inclusive Gregory) elects under some elimination order."""
    ballots = [(r, w) for r, w in ballots if r]
    quota = sum(w for _, w in ballots) // (k + 1) + 1
    found = set()

    def run(hopeful, elected, values):
        seats = k - len(elected)
        if seats == 0 or len(hopeful) <= seats:
            found.add(tuple(sorted(elected | (hopeful if seats else frozenset()))))
            return
        tally = {c: Fraction(0) for c in hopeful}
        pile = {c: [] for c in hopeful}
        for i, (ranking, w) in enumerate(ballots):
            for c in ranking:
                if c in hopeful:
                    tally[c] += w * values[i]
                    pile[c].append(i)
                    break
        reached = {c for c in hopeful if tally[c] >= quota}
        if reached:
            new = list(values)
            for c in reached:
                factor = (tally[c] - quota) / tally[c]
                for i in pile[c]:
                    new[i] = values[i] * factor
            run(hopeful - reached, elected | reached, tuple(new))
            return
        low = min(tally.values())
        for c in [c for c in hopeful if tally[c] == low]:
            run(hopeful - {c}, elected, values)

    run(frozenset(range(m)), frozenset(), tuple(Fraction(1) for _ in ballots))
    return tuple(sorted(found))


# ---------------------------------------------------------------- textbook examples
# Tennessee capital (Wikipedia "Condorcet method"): Memphis, Nashville, Chattanooga, Knoxville.
TENNESSEE = Profile.from_rankings([[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 1, 0], [3, 2, 1, 0]], weights=[42, 26, 15, 17],
                                  labels=["Memphis", "Nashville", "Chattanooga", "Knoxville"])


@pytest.mark.parametrize("rule_id, winner", [
    ("plurality", 0),               # Memphis 42
    ("instant_runoff", 3),          # Chattanooga out -> Knoxville 32; Nashville out -> Knoxville 58
    ("plurality_with_runoff", 1),   # Memphis vs Nashville: 58 to 42
    ("coombs", 1),                  # Memphis last on 58 ballots; then Nashville has 68 first choices
    ("baldwin", 1), ("nanson", 1),  # Nashville is the Condorcet winner
    ("bucklin", 1),                 # depth 2: Nashville 68 > 50
    ("borda", 1),                   # 126, 194, 173, 107
])
def test_tennessee(rule_id, winner):
    assert get_rule(rule_id)(TENNESSEE).winners == (winner,)


def test_tennessee_scores():
    assert get_rule("borda")(TENNESSEE).scores.tolist() == [126, 194, 173, 107]
    assert get_rule("bucklin")(TENNESSEE).scores.tolist() == [42, 68, 58, 32]


def test_parallel_universe_versus_simultaneous_elimination():
    # first choices 3, 2, 2: eliminating 1 lets 0 win (5), eliminating 2 lets 1 win (4 to 3)
    p = Profile.from_rankings([[0, 1, 2], [1, 0, 2], [2, 1, 0]], weights=[3, 2, 2])
    assert get_rule("instant_runoff")(p).winners == (0, 1)
    assert get_rule("instant_runoff")(p, elimination="simultaneous").winners == (0,)


def test_condorcet_cycle_ties_everyone():
    cycle = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    for rule_id in ("instant_runoff", "coombs", "baldwin", "nanson", "plurality_with_runoff", "bucklin"):
        assert get_rule(rule_id)(cycle).winners == (0, 1, 2), rule_id


def test_irv_exhausted_ballots_and_empty_profile():
    p = Profile.from_rankings([[0, -1, -1], [1, -1, -1], [1, -1, -1], [2, 0, -1]], weights=[2, 1, 1, 1])
    # 2 out (1 vote) -> 0 has 3 of 5 continuing
    assert get_rule("instant_runoff")(p).winners == (0,)
    empty = Profile.from_rankings(np.zeros((0, 3), dtype=int))
    assert get_rule("instant_runoff")(empty).winners == (0, 1, 2)
    assert get_rule("stv")(empty, k=2).committees == ((0, 1), (0, 2), (1, 2))


def test_nanson_variants_hand_example():
    # Borda 126, 194, 173, 107 (mean 150): strict removes Memphis and Knoxville, then Nashville beats Chattanooga
    assert get_rule("nanson")(TENNESSEE).winners == (1,)
    assert get_rule("nanson")(TENNESSEE, variant="weak").winners == (1,)
    two_tied = Profile.from_rankings([[0, 1], [1, 0]])
    assert get_rule("nanson")(two_tied).winners == (0, 1)
    assert get_rule("nanson")(two_tied, variant="weak").winners == (0, 1)


def test_stv_wikipedia_food_example():
    # Wikipedia "Single transferable vote": 20 voters, 3 seats, Droop quota 6.
    # Chocolate 12 -> surplus 6 at value 1/2; Pear out -> Orange 6; Bonbon out -> Strawberry.
    labels = ["Orange", "Pear", "Chocolate", "Strawberry", "Bonbon"]
    p = Profile.from_rankings([[0], [1, 0], [2, 3], [2, 4], [3], [4]], weights=[4, 2, 8, 4, 1, 1], labels=labels)
    result = get_rule("stv")(p, k=3)
    assert result.committees == ((0, 2, 3),)
    assert result.winner_labels == ("Orange", "Chocolate", "Strawberry")


def test_stv_surplus_transfer_hand_example():
    # quota 4 of 9 voters (k = 2): 0 is elected with 7 and passes 3/7 of each ballot on: 1 then has
    # 1 + 4 * 3/7 = 19/7 and 2 has 1 + 3 * 3/7 = 16/7; 2 is eliminated and 1 takes the last seat
    p = Profile.from_rankings([[0, 1, 2], [0, 2, 1], [1, 0, 2], [2, 0, 1]], weights=[4, 3, 1, 1])
    assert get_rule("stv")(p, k=2).committees == ((0, 1),)


def test_stv_checks_k():
    with pytest.raises(ValidationError, match=r"The 'k' parameter of stv must be an int in \[1, 3\]"):
        get_rule("stv")(TENNESSEE.restrict([0, 1, 2]), k=4)


# ---------------------------------------------------------------- oracles on random profiles
@settings(max_examples=60)
@given(strict_profiles())
def test_instant_runoff_matches_the_recursive_definition(data):
    profile, ballots = data
    m = profile.n_alternatives
    assert set(get_rule("instant_runoff")(profile).winners) == irv_oracle(ballots, range(m))
    assert set(get_rule("instant_runoff")(profile, elimination="simultaneous").winners) == irv_oracle(
        ballots, range(m), simultaneous=True)


@settings(max_examples=40)
@given(strict_profiles(complete=True))
def test_coombs_matches_the_recursive_definition(data):
    profile, ballots = data
    m, n = profile.n_alternatives, profile.n_voters
    assert set(get_rule("coombs")(profile).winners) == coombs_oracle(ballots, range(m), n)
    assert set(get_rule("coombs")(profile, elimination="simultaneous").winners) == coombs_oracle(
        ballots, range(m), n, simultaneous=True)


@st.composite
def weak_profiles(draw, max_m=5, max_n=6):
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(0, max_n))
    ranks = draw(st.lists(st.lists(st.integers(-1, m - 1), min_size=m, max_size=m), min_size=n, max_size=n))
    weights = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    return Profile.from_ranks(np.array(ranks, dtype=np.int64).reshape(n, m), weights=weights)


@settings(max_examples=40)
@given(weak_profiles())
def test_baldwin_and_nanson_match_ballot_by_ballot_borda(profile):
    m = profile.n_alternatives
    groups, weights = profile.to_weak_orders(), profile.weights.tolist()
    assert set(get_rule("baldwin")(profile).winners) == baldwin_oracle(groups, weights, range(m))
    assert set(get_rule("baldwin")(profile, elimination="simultaneous").winners) == baldwin_oracle(
        groups, weights, range(m), simultaneous=True)
    assert set(get_rule("nanson")(profile).winners) == nanson_oracle(groups, weights, m)
    assert set(get_rule("nanson")(profile, variant="weak").winners) == nanson_oracle(groups, weights, m, weak=True)


@settings(max_examples=40)
@given(strict_profiles())
def test_plurality_with_runoff_and_bucklin_match_loops(data):
    profile, ballots = data
    m, n = profile.n_alternatives, profile.n_voters
    # plurality with runoff (parallel universes over ties for first and second place)
    tally = first_choices(ballots, set(range(m)))
    values = sorted(set(tally.values()), reverse=True)
    first = [c for c in range(m) if tally[c] == values[0]]
    if m == 1:
        pairs = []
        expected = {0}
    elif len(first) > 1:
        pairs = [(a, b) for a in first for b in first if a < b]
    else:
        pairs = [(first[0], b) for b in range(m) if tally[b] == values[1]]
    if m > 1:
        expected = set()
        for a, b in pairs:
            pos = [{c: i for i, c in enumerate(r)} for r, _ in ballots]
            a_over_b = sum(w for (r, w), p in zip(ballots, pos) if p.get(a, m) < p.get(b, m))
            b_over_a = sum(w for (r, w), p in zip(ballots, pos) if p.get(b, m) < p.get(a, m))
            expected |= {a} if a_over_b > b_over_a else {b} if b_over_a > a_over_b else {a, b}
    assert set(get_rule("plurality_with_runoff")(profile).winners) == expected
    # Bucklin
    for depth in range(1, m + 1):
        counts = [sum(w for r, w in ballots if c in r[:depth]) for c in range(m)]
        if 2 * max(counts) > n or depth == m:
            break
    assert get_rule("bucklin")(profile).winners == tuple(c for c in range(m) if counts[c] == max(counts))


@settings(max_examples=40)
@given(strict_profiles(max_m=5, max_n=6), st.integers(1, 3))
def test_stv_matches_the_fraction_oracle(data, k):
    profile, ballots = data
    k = min(k, profile.n_alternatives)
    assert get_rule("stv")(profile, k=k).committees == stv_oracle(ballots, profile.n_alternatives, k)
