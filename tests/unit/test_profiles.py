"""Profiles against brute-force, ballot-by-ballot recomputation in plain Python."""

from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mechanisms import ValidationError
from mechanisms.profiles import ApprovalProfile, PairwiseComparisons, Profile, UtilityProfile


# ---------------------------------------------------------------- independent oracles
def brute_support(ballots, weights, m):
    """S[a][b] by looping over weak-order ballots given as lists of groups (unranked = below all)."""
    s = [[0] * m for _ in range(m)]
    for groups, w in zip(ballots, weights):
        level = {a: i for i, g in enumerate(groups) for a in g}
        for a in range(m):
            for b in range(m):
                la, lb = level.get(a, m + 1), level.get(b, m + 1)
                if la < lb:
                    s[a][b] += w
    return np.array(s, dtype=np.int64)


weak_ballot = st.integers(2, 6).flatmap(
    lambda m: st.tuples(
        st.just(m),
        st.lists(
            st.permutations(range(m)).flatmap(
                lambda perm: st.tuples(st.just(perm), st.lists(st.booleans(), min_size=len(perm), max_size=len(perm)),
                                       st.integers(0, len(perm)))
            ),
            min_size=1,
            max_size=8,
        ),
        st.lists(st.integers(1, 5), min_size=8, max_size=8),
    )
)


def _to_groups(perm, cuts, keep):
    """A weak order from a permutation, tie flags between neighbours, and how many are ranked."""
    perm = list(perm)[:keep]
    groups, current = [], []
    for i, a in enumerate(perm):
        current.append(a)
        if i == len(perm) - 1 or cuts[i]:
            groups.append(current)
            current = []
    return groups


@given(weak_ballot)
def test_support_and_margins_match_brute_force(data):
    m, raw, weights = data
    ballots = [_to_groups(*r) for r in raw]
    weights = weights[: len(ballots)]
    p = Profile.from_weak_orders(ballots, weights, n_alternatives=m)
    expected = brute_support(ballots, weights, m)
    assert np.array_equal(p.support_matrix(), expected)
    assert np.array_equal(p.margin_matrix(), expected - expected.T)
    assert p.margin_matrix().dtype == np.int64
    assert p.n_voters == sum(weights)
    # grouping and expanding preserve the counts
    assert np.array_equal(p.grouped().margin_matrix(), p.margin_matrix())
    assert p.grouped() == p
    # the weak orders round-trip
    assert Profile.from_weak_orders(p.to_weak_orders(), p.weights, n_alternatives=m) == p


@given(st.integers(1, 6).flatmap(lambda m: st.lists(st.permutations(range(m)), min_size=1, max_size=30)))
def test_strict_rankings_round_trip_and_positions(rankings):
    m = len(rankings[0])
    p = Profile.from_rankings(rankings)
    assert p.kind == "soc" and p.is_strict and p.is_complete
    assert p.to_rankings().tolist() == [list(r) for r in rankings]
    counts = np.zeros((m, m), dtype=np.int64)
    for r in rankings:
        for k, a in enumerate(r):
            counts[a, k] += 1
    assert np.array_equal(p.position_counts(), counts)
    borda = np.arange(m - 1, -1, -1)
    expected = [sum(m - 1 - list(r).index(a) for r in rankings) for a in range(m)]
    assert p.positional_scores(borda).tolist() == expected


def test_large_random_profile_matches_per_voter_loop():
    rng = np.random.default_rng(1)
    rankings = np.argsort(rng.random((3000, 7)), axis=1)
    p = Profile.from_rankings(rankings)
    s = np.zeros((7, 7), dtype=np.int64)
    for r in rankings:
        for i, j in itertools.combinations(range(7), 2):
            s[r[i], r[j]] += 1
    assert np.array_equal(p.support_matrix(), s)


def test_truncated_rankings_kind_and_padding():
    p = Profile.from_rankings([[2, 0], [1]], labels=["a", "b", "c"])
    assert p.kind == "soi"
    assert p.ranks.tolist() == [[1, -1, 0], [-1, 0, -1]]
    assert p.rankings().tolist() == [[2, 0, -1], [1, -1, -1]]
    # unranked alternatives are tied below every ranked one
    assert p.margin_matrix().tolist() == [[0, 0, -1], [0, 0, 0], [1, 0, 0]]
    with pytest.raises(ValidationError, match="strict complete"):
        p.to_rankings()


def test_ties_positional_scores_average_positions():
    # 0 > {1, 2}: with Borda (2, 1, 0) alternatives 1 and 2 get (1 + 0) / 2 each
    p = Profile.from_weak_orders([[[0], [1, 2]]])
    assert p.kind == "toc"
    assert p.positional_scores([2, 1, 0]).tolist() == [2.0, 0.5, 0.5]


def test_from_ranks_densifies():
    p = Profile.from_ranks([[0, 7, 7, -1]])
    assert p.ranks.tolist() == [[0, 1, 1, -1]]
    assert p.kind == "toi"


def test_restrict_relabels_and_redensifies():
    p = Profile.from_rankings([[3, 1, 0, 2]], labels=list("abcd"))
    q = p.restrict([2, 3])
    assert q.labels == ("c", "d")
    assert q.rankings().tolist() == [[1, 0]]


def test_condorcet_winner():
    p = Profile.from_rankings([[0, 1, 2], [1, 0, 2], [0, 2, 1]])
    assert p.condorcet_winner() == 0
    cycle = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    assert cycle.condorcet_winner() is None


def test_profiles_are_immutable_and_do_not_alias_input():
    rankings = np.array([[0, 1], [1, 0]])
    p = Profile.from_rankings(rankings)
    rankings[0] = [1, 0]
    assert p.ranks.tolist() == [[0, 1], [1, 0]]
    with pytest.raises(ValueError):
        p.ranks[0, 0] = 5
    with pytest.raises(AttributeError):
        p.labels = ("x", "y")


def test_pickle_round_trip():
    p = Profile.from_rankings([[0, 1, 2], [2, 1, 0]], weights=[2, 3], labels=["x", "y", "z"], title="t")
    q = pickle.loads(pickle.dumps(p))
    assert q == p and q.title == "t" and q.labels == p.labels


def test_equality_is_multiset_equality():
    a = Profile.from_rankings([[0, 1], [1, 0], [0, 1]])
    b = Profile.from_rankings([[1, 0], [0, 1]], weights=[1, 2])
    c = Profile.from_rankings([[1, 0], [0, 1]], weights=[2, 1])
    assert a == b and a != c


@pytest.mark.parametrize(
    "rankings, message",
    [
        ([[0, 0, 1]], "distinct alternative ids"),
        ([[0, 1, 5]], "distinct alternative ids"),
        ([[0, -1, 1]], "padding comes only at the end"),
        ([[0.5, 1.0]], "integers"),
        ([["a", "b"]], "array of integers"),
    ],
)
def test_bad_rankings_raise_clear_errors(rankings, message):
    with pytest.raises(ValidationError, match=message):
        Profile.from_rankings(rankings)


def test_bad_weights_and_labels():
    with pytest.raises(ValidationError, match="'weights' parameter of Profile.from_rankings"):
        Profile.from_rankings([[0, 1]], weights=[-1])
    with pytest.raises(ValidationError, match="one nonnegative int per ballot"):
        Profile.from_rankings([[0, 1]], weights=[1, 2])
    with pytest.raises(ValidationError, match="distinct strings"):
        Profile.from_rankings([[0, 1]], labels=["a", "a"])
    with pytest.raises(ValidationError, match="repeats alternative 1"):
        Profile.from_weak_orders([[[0, 1], [1]]])


# ---------------------------------------------------------------- approval / utility
def test_approval_scores_and_grouping():
    sets = [{0, 2}, {2}, {0, 2}, set()]
    p = ApprovalProfile.from_sets(sets, n_alternatives=3, weights=[1, 2, 3, 4])
    assert p.approval_scores().tolist() == [4, 0, 6]
    g = p.grouped()
    assert g.n_ballots == 3 and g.n_voters == 10 and g == p
    assert p.restrict([2, 0]).approval_scores().tolist() == [6, 4]
    with pytest.raises(ValidationError, match="alternative ids in"):
        ApprovalProfile.from_sets([{5}], n_alternatives=3)


def test_utility_profile_to_ordinal():
    u = UtilityProfile([[0.1, 0.9, 0.5], [2.0, 2.0, -1.0]], weights=[3, 1])
    p = u.to_profile()
    assert p.to_weak_orders() == [((1,), (2,), (0,)), ((0, 1), (2,))]
    assert p.n_voters == 4
    with pytest.raises(ValidationError, match="finite"):
        UtilityProfile([[np.nan, 1.0]])


# ---------------------------------------------------------------- pairwise comparisons
def test_pairwise_counts_match_loop():
    rng = np.random.default_rng(3)
    n_items, n = 5, 400
    a = rng.integers(0, n_items, n)
    b = (a + rng.integers(1, n_items, n)) % n_items
    outcome = rng.integers(0, 3, n)
    winner = np.where(outcome == 0, a, np.where(outcome == 1, b, -1))
    weights = rng.integers(1, 4, n)
    pc = PairwiseComparisons(a, b, winner, weights=weights)
    wins = np.zeros((n_items, n_items), dtype=np.int64)
    ties = np.zeros((n_items, n_items), dtype=np.int64)
    for x, y, w, k in zip(a, b, winner, weights):
        if w == -1:
            ties[x, y] += k
            ties[y, x] += k
        else:
            wins[w, x if w == y else y] += k
    assert np.array_equal(pc.win_count_matrix(), wins)
    assert np.array_equal(pc.tie_count_matrix(), ties)
    assert np.array_equal(pc.margin_matrix(), wins - wins.T)
    assert pc.n_comparisons == weights.sum()


def test_pairwise_pandas_round_trip_with_names():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({
        "chosen_a": ["r1", "r2", "r1"], "chosen_b": ["r2", "r3", "r3"], "pref": ["r1", None, "r3"],
        "rater": ["ann", "bob", "ann"], "prompt": [7, 7, 9],
    })
    pc = PairwiseComparisons.from_pandas(df, item_a="chosen_a", item_b="chosen_b", winner="pref",
                                         annotator="rater", context="prompt")
    assert pc.labels == ("r1", "r2", "r3")
    assert pc.winner.tolist() == [0, -1, 2]
    assert pc.annotator.tolist() == [0, 1, 0] and pc.context.tolist() == [7, 7, 9]
    back = PairwiseComparisons.from_pandas(pc.to_pandas(), annotator="annotator", context="context",
                                           weight="weight", labels=None)
    assert np.array_equal(back.win_count_matrix(), pc.win_count_matrix())
    assert back.to_pandas(use_labels=False).equals(pc.to_pandas(use_labels=False))
    out = pc.to_pandas(use_labels=True)
    assert out["winner"].isna().tolist() == [False, True, False] and out["annotator"].tolist() == ["ann", "bob", "ann"]


def test_pairwise_validation():
    with pytest.raises(ValidationError, match="compares item 1 with itself"):
        PairwiseComparisons([1], [1], [1])
    with pytest.raises(ValidationError, match="names 3"):
        PairwiseComparisons([0], [1], [3], n_items=4)
    with pytest.raises(ValidationError, match="one row per item"):
        PairwiseComparisons([0], [1], [0], features=np.ones((3, 2)))
