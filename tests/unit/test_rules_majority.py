"""The Condorcet family and solvers.margins: textbook examples and brute-force enumeration oracles."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms import ValidationError
from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule
from solvers import margins as mg


def mcgarvey(m, edges):
    """A profile whose margin matrix has exactly the given (even) margins: McGarvey's construction."""
    rows = []
    for (a, b), w in edges.items():
        others = [c for c in range(m) if c not in (a, b)]
        for _ in range(w // 2):
            rows.append([a, b] + others)
            rows.append(others[::-1] + [a, b])
    return Profile.from_rankings(rows)


# ---------------------------------------------------------------- brute-force oracles on margin matrices
def simple_paths(m, src, dst):
    others = [c for c in range(m) if c not in (src, dst)]
    for k in range(len(others) + 1):
        for middle in itertools.permutations(others, k):
            yield (src, *middle, dst)


def widest_path_oracle(W):
    m = len(W)
    P = np.zeros_like(W)
    for i in range(m):
        for j in range(m):
            if i != j:
                best = 0
                for path in simple_paths(m, i, j):
                    best = max(best, min(W[path[t], path[t + 1]] for t in range(len(path) - 1)))
                P[i, j] = best
    return P


def subsets(m):
    for k in range(1, m + 1):
        yield from itertools.combinations(range(m), k)


def smith_oracle(M):
    m = len(M)
    for s in subsets(m):
        if all(M[a, o] > 0 for a in s for o in range(m) if o not in s):
            return set(s)


def schwartz_oracle(M):
    m = len(M)
    undominated = [set(s) for s in subsets(m) if not any(M[o, a] > 0 for a in s for o in range(m) if o not in s)]
    minimal = [s for s in undominated if not any(t < s for t in undominated)]
    return set().union(*minimal)


def gillies_oracle(M):
    m = len(M)
    dom = {x: {c for c in range(m) if M[c, x] > 0} for x in range(m)}
    return {a for a in range(m) if not any(M[b, a] > 0 and dom[b] <= dom[a] for b in range(m) if b != a)}


def split_cycle_oracle(M):
    m = len(M)
    defeated = set()
    for a in range(m):
        for b in range(m):
            if M[a, b] > 0 and all(
                    min(M[p[t], p[t + 1]] for t in range(len(p) - 1)) < M[a, b]
                    for p in simple_paths(m, b, a) if all(M[p[t], p[t + 1]] > 0 for t in range(len(p) - 1))):
                defeated.add(b)
    return set(range(m)) - defeated


def stable_voting_oracle(M, alts):
    alts = tuple(alts)
    if len(alts) == 1:
        return set(alts)
    sub = M[np.ix_(alts, alts)]
    undefeated = {alts[i] for i in split_cycle_oracle(sub)}
    pairs = sorted(((M[a, b], a, b) for a in alts for b in alts if a != b), reverse=True)
    for value in sorted({v for v, _, _ in pairs}, reverse=True):
        winners = {a for v, a, b in pairs if v == value and a in undefeated
                   and a in stable_voting_oracle(M, [x for x in alts if x != b])}
        if winners:
            return winners
    return set()  # pragma: no cover


def ranked_pairs_tb_oracle(M, priority):
    """Lock pairs one by one, checking for a cycle with a depth-first search over the locked pairs."""
    m = len(M)
    rank = {a: i for i, a in enumerate(priority)}
    pairs = sorted(((a, b) for a in range(m) for b in range(m) if a != b and M[a, b] >= 0),
                   key=lambda e: (-M[e[0], e[1]], rank[e[0]], rank[e[1]]))
    locked = set()

    def reaches(x, y):
        seen, stack = set(), [x]
        while stack:
            u = stack.pop()
            if u == y:
                return True
            seen.add(u)
            stack.extend(v for (w, v) in locked if w == u and v not in seen)
        return False

    for a, b in pairs:
        if not reaches(b, a):
            locked.add((a, b))
    return [a for a in range(m) if not any((x, a) in locked for x in range(m))]


@st.composite
def margin_profiles(draw, max_m=5, max_n=7):
    """Any ballots (ties, truncation) with weights."""
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(0, max_n))
    ranks = draw(st.lists(st.lists(st.integers(-1, m - 1), min_size=m, max_size=m), min_size=n, max_size=n))
    weights = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    return Profile.from_ranks(np.array(ranks, dtype=np.int64).reshape(n, m), weights=weights)


# ---------------------------------------------------------------- Schulze (2011), section 3 example
SCHULZE_2011 = Profile.from_rankings(
    [[0, 2, 1, 4, 3], [0, 3, 4, 2, 1], [1, 4, 3, 0, 2], [2, 0, 1, 4, 3], [2, 0, 4, 1, 3], [2, 1, 0, 3, 4],
     [3, 2, 4, 1, 0], [4, 1, 0, 3, 2]], weights=[5, 5, 8, 3, 7, 2, 7, 8], labels=list("ABCDE"))


def test_schulze_2011_example():
    S = SCHULZE_2011.support_matrix()
    assert S.tolist() == [[0, 20, 26, 30, 22], [25, 0, 16, 33, 18], [19, 29, 0, 17, 24],
                          [15, 12, 28, 0, 14], [23, 27, 21, 31, 0]]
    P = mg.schulze_strengths(SCHULZE_2011.margin_matrix(), support=S)
    assert P.tolist() == [[0, 28, 28, 30, 24], [25, 0, 28, 33, 24], [25, 29, 0, 29, 24],
                          [25, 28, 28, 0, 24], [25, 28, 28, 31, 0]]
    for strength in ("margin", "winning_votes"):
        result = get_rule("schulze")(SCHULZE_2011, strength=strength)
        assert result.winner_labels == ("E",)
        assert result.ranking == ((4,), (0,), (2,), (1,), (3,))   # E > A > C > B > D


# ---------------------------------------------------------------- Tennessee (Wikipedia): Nashville is the CW
TENNESSEE = Profile.from_rankings([[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 1, 0], [3, 2, 1, 0]], weights=[42, 26, 15, 17])


@pytest.mark.parametrize("rule_id", ["condorcet", "copeland", "llull", "minimax", "schulze", "ranked_pairs_tb",
                                     "split_cycle", "stable_voting", "smith_set", "schwartz_set", "uncovered_set",
                                     "black", "young", "dodgson"])
def test_condorcet_winner_wins(rule_id):
    assert get_rule(rule_id)(TENNESSEE).winners == (1,)


def test_tennessee_rankings_and_scores():
    assert get_rule("ranked_pairs_tb")(TENNESSEE).ranking == ((1,), (2,), (3,), (0,))
    assert get_rule("copeland")(TENNESSEE).scores.tolist() == [-3, 3, 1, -1]
    assert get_rule("schulze")(TENNESSEE).ranking == ((1,), (2,), (3,), (0,))


# ---------------------------------------------------------------- a cycle with distinct margins
CYCLE_642 = mcgarvey(3, {(0, 1): 6, (1, 2): 4, (2, 0): 2})


def test_mcgarvey_profile_has_the_intended_margins():
    assert CYCLE_642.margin_matrix().tolist() == [[0, 6, -2], [-6, 0, 4], [2, -4, 0]]


@pytest.mark.parametrize("rule_id, winners", [
    ("condorcet", (0, 1, 2)), ("copeland", (0, 1, 2)), ("llull", (0, 1, 2)),
    ("minimax", (0,)),          # worst defeats 2, 6, 4
    ("schulze", (0,)), ("ranked_pairs_tb", (0,)), ("split_cycle", (0,)), ("stable_voting", (0,)),
    ("smith_set", (0, 1, 2)), ("schwartz_set", (0, 1, 2)), ("uncovered_set", (0, 1, 2)),
])
def test_cycle_with_distinct_margins(rule_id, winners):
    assert get_rule(rule_id)(CYCLE_642).winners == winners


def test_cycle_scores_and_rankings():
    assert get_rule("minimax")(CYCLE_642).scores.tolist() == [2, 6, 4]
    assert get_rule("minimax")(CYCLE_642).ranking == ((0,), (2,), (1,))
    assert get_rule("ranked_pairs_tb")(CYCLE_642).ranking == ((0,), (1,), (2,))   # 0>1 (6), 1>2 (4); 2>0 skipped
    assert get_rule("schulze")(CYCLE_642).ranking == ((0,), (1,), (2,))


def test_stable_voting_margin_graph_example():
    # pref_voting's documented margin graph: 0->3 (8), 1->0 (10), 2->0 (4), 2->1 (8), 3->1 (8).
    # Split Cycle winners {2, 3}; the strongest match with an undefeated winner is 2 vs 1 (8), and 2 wins
    # Stable Voting without 1 (it is the only undefeated one there).
    p = mcgarvey(4, {(0, 3): 8, (1, 0): 10, (2, 0): 4, (2, 1): 8, (3, 1): 8})
    assert get_rule("split_cycle")(p).winners == (2, 3)
    assert get_rule("stable_voting")(p).winners == (2,)


def test_smith_and_schwartz_differ_with_majority_ties():
    # 0 beats 1, 1 beats 2, 0 and 2 tie
    p = mcgarvey(3, {(0, 1): 2, (1, 2): 2})
    assert get_rule("smith_set")(p).winners == (0, 1, 2)   # no smaller set beats every outsider (0 only ties 2)
    assert get_rule("schwartz_set")(p).winners == (0,)    # {0} is the only minimal set nothing outside beats


def test_uncovered_set_variants_hand_example():
    # same relation: dom(0) = {}, dom(1) = {0}, dom(2) = {1}.  Gillies: 0 covers 1 (0 beats 1, {} <= {0});
    # nothing covers 2 (only 1 beats it, and {0} is not a subset of {1}).  Fishburn: 0 covers 1 and 2.
    p = mcgarvey(3, {(0, 1): 2, (1, 2): 2})
    assert get_rule("uncovered_set")(p).winners == (0, 2)
    assert get_rule("uncovered_set")(p, covering="fishburn").winners == (0,)
    with pytest.raises(ValidationError, match="The 'covering' parameter of uncovered_set must be one of"):
        get_rule("uncovered_set")(p, covering="miller")


def test_black_falls_back_to_borda():
    cycle = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]])
    # margins: 0 beats 1 (3 to 1), 0 ties 2, 1 ties 2: no Condorcet winner; Borda 5, 3, 4
    assert get_rule("condorcet")(cycle).winners == (0, 1, 2)
    assert get_rule("black")(cycle).winners == get_rule("borda")(cycle).winners == (0,)


def test_ranked_pairs_tb_priority_and_errors():
    cycle = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    assert get_rule("ranked_pairs_tb")(cycle).winners == (0,)
    assert get_rule("ranked_pairs_tb")(cycle, priority=[2, 1, 0]).winners == (1,)
    with pytest.raises(ValidationError, match=r"The 'priority' parameter of ranked_pairs_tb must be a permutation"):
        get_rule("ranked_pairs_tb")(cycle, priority=[0, 0, 1])


# ---------------------------------------------------------------- properties against enumeration
@settings(max_examples=60)
@given(margin_profiles())
def test_margin_rules_match_enumeration(profile):
    M = profile.margin_matrix()
    m = len(M)
    assert set(get_rule("smith_set")(profile).winners) == smith_oracle(M)
    assert set(get_rule("schwartz_set")(profile).winners) == schwartz_oracle(M)
    assert set(get_rule("uncovered_set")(profile).winners) == gillies_oracle(M)
    assert set(get_rule("split_cycle")(profile).winners) == split_cycle_oracle(M)
    P = widest_path_oracle(np.where(M > 0, M, 0))
    assert mg.schulze_strengths(M).tolist() == P.tolist()
    schulze = {a for a in range(m) if all(P[a, b] >= P[b, a] for b in range(m))}
    assert set(get_rule("schulze")(profile).winners) == schulze
    assert list(get_rule("ranked_pairs_tb")(profile).winners) == ranked_pairs_tb_oracle(M, list(range(m)))
    wins = (M > 0).sum(axis=1) - (M < 0).sum(axis=1)
    assert set(get_rule("copeland")(profile).winners) == set(np.flatnonzero(wins == wins.max()))


@settings(max_examples=30)
@given(margin_profiles(max_m=4))
def test_stable_voting_matches_the_recursive_definition(profile):
    M = profile.margin_matrix()
    assert set(get_rule("stable_voting")(profile).winners) == stable_voting_oracle(M, range(len(M)))


# ---------------------------------------------------------------- solvers.margins
@settings(max_examples=30)
@given(st.integers(1, 5), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_batched_margin_functions_equal_a_loop(m, batch, seed):
    rng = np.random.default_rng(seed)
    S = rng.integers(0, 4, size=(batch, m, m))
    S[:, np.arange(m), np.arange(m)] = 0
    M = S - np.swapaxes(S, 1, 2)
    for i in range(batch):
        assert mg.widest_paths(S[i]).tolist() == widest_path_oracle(S[i]).tolist()
    for fn in (mg.smith_set, mg.schwartz_set, mg.schulze_winners, mg.split_cycle_winners, mg.copeland_scores,
               mg.condorcet_winner, mg.schulze_strengths, mg.widest_paths):
        arg = S if fn is mg.widest_paths else M
        batched = fn(arg)
        looped = np.stack([fn(arg[i]) for i in range(batch)])
        assert np.array_equal(batched, looped), fn.__name__
    closure = mg.transitive_closure(M > 0)
    for i in range(batch):
        reach = (M[i] > 0).astype(int)
        power = reach.copy()
        for _ in range(m):
            power = np.minimum(power + power @ reach, 1)
        assert np.array_equal(closure[i], power.astype(bool))


def test_margin_functions_validate_their_input():
    with pytest.raises(ValidationError, match=r"The 'margins' parameter of smith_set must be antisymmetric"):
        mg.smith_set([[0, 2], [1, 0]])
    with pytest.raises(ValidationError, match=r"must be an array of square matrices"):
        mg.schulze_winners(np.zeros((2, 3)))
    with pytest.raises(ValidationError, match=r"The 'weights' parameter of widest_paths must be nonnegative"):
        mg.widest_paths([[0, -1], [0, 0]])
    with pytest.raises(ValidationError, match=r"finite"):
        mg.copeland_scores([[0.0, np.nan], [np.nan, 0.0]])


def test_widest_paths_keeps_integer_dtype_and_float_inputs():
    W = np.array([[0, 2**60, 0], [0, 0, 2**60 + 1], [0, 0, 0]], dtype=np.int64)
    assert mg.widest_paths(W)[0, 2] == 2**60
    assert mg.widest_paths(W.astype(float) / 4).dtype == np.float64
