"""Positional rules against hand-computed examples and a ballot-by-ballot Fraction oracle."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms import ValidationError
from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule


# ---------------------------------------------------------------- independent oracle
def oracle_scores(ranks, weights, vector, truncation):
    """Score every alternative ballot by ballot in plain Python with Fractions.

    A tied group spanning positions k..k+g-1 shares the average of those scores; unranked
    alternatives are the bottom group ("average") or score 0 ("zero").
    """
    m = len(vector)
    totals = [Fraction(0)] * m
    for row, w in zip(ranks, weights):
        ranked_levels = sorted({int(x) for x in row if x >= 0})
        groups = [[a for a in range(m) if row[a] == lev] for lev in ranked_levels]
        unranked = [a for a in range(m) if row[a] < 0]
        if unranked and truncation == "average":
            groups.append(unranked)
        position = 0
        for group in groups:
            share = sum(Fraction(vector[k]) for k in range(position, position + len(group))) / len(group)
            for a in group:
                totals[a] += w * share
            position += len(group)
    return totals


def oracle_winners(totals):
    best = max(totals)
    return tuple(a for a, t in enumerate(totals) if t == best)


@st.composite
def any_ballots(draw, max_m=5, max_n=7):
    """Ranks with ties and truncation (-1 = unranked), and weights."""
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(0, max_n))
    ranks = draw(st.lists(st.lists(st.integers(-1, m - 1), min_size=m, max_size=m), min_size=n, max_size=n))
    weights = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    return m, np.array(ranks, dtype=np.int64).reshape(n, m), np.array(weights, dtype=np.int64)


def vectors(m):
    return {
        "plurality": ({}, [1] + [0] * (m - 1)),
        "borda": ({}, list(range(m - 1, -1, -1))),
        "antiplurality": ({}, [1] * (m - 1) + [0]),
        "dowdall": ({}, [Fraction(1, k + 1) for k in range(m)]),
        "k_approval": ({"k": min(2, m)}, [1] * min(2, m) + [0] * (m - min(2, m))),
        "positional": ({"score_vector": [Fraction(7, 3)] + [0.5] * (m - 1)}, [Fraction(7, 3)] + [0.5] * (m - 1)),
    }


@settings(max_examples=60)
@given(any_ballots(), st.sampled_from(["average", "zero"]))
def test_positional_rules_match_the_ballot_by_ballot_oracle(data, truncation):
    m, ranks, weights = data
    profile = Profile.from_ranks(ranks, weights=weights)
    for rule_id, (options, vector) in vectors(m).items():
        expected = oracle_scores(profile.ranks, weights, vector, truncation)
        result = get_rule(rule_id)(profile, truncation=truncation, **options)
        assert result.winners == oracle_winners(expected), rule_id
        np.testing.assert_allclose(result.scores.astype(float), [float(t) for t in expected], rtol=0, atol=1e-12)
        if all(t.denominator == 1 for t in expected):
            assert result.scores.dtype == np.int64
        ranking_keys = [expected[g[0]] for g in result.ranking]
        assert ranking_keys == sorted(ranking_keys, reverse=True)
        assert all(expected[a] == expected[g[0]] for g in result.ranking for a in g)


def test_borda_hand_example_complete():
    # 3 voters a>b>c, 2 voters b>c>a: a = 6, b = 3 + 4 = 7, c = 2
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0]], weights=[3, 2], labels=["a", "b", "c"])
    result = get_rule("borda")(p)
    assert result.scores.tolist() == [6, 7, 2]
    assert result.winners == (1,) and result.ranking == ((1,), (0,), (2,))


def test_borda_truncation_conventions_hand_example():
    # ballot "a > b" with c, d unranked (m = 4): average gives c, d (1 + 0) / 2 each; zero gives 0
    p = Profile.from_rankings([[0, 1, -1, -1], [2, 3, 1, 0]], labels=["a", "b", "c", "d"])
    avg = get_rule("borda")(p)
    assert avg.scores.tolist() == [3.0, 3.0, 3.5, 2.5]
    assert avg.winners == (2,)
    zero = get_rule("borda")(p, truncation="zero")
    assert zero.scores.tolist() == [3, 3, 3, 2]
    assert zero.winners == (0, 1, 2)


def test_borda_average_is_the_symmetric_borda_count():
    # Terzopoulou & Endriss: symmetric score = #below - #above; average Borda = ((m-1) + symmetric) / 2 per ballot
    p = Profile.from_weak_orders([[[0], [1, 2]], [[3]], [[1, 2, 3], [0]]], weights=[2, 1, 3], n_alternatives=4)
    symmetric = np.zeros(4)
    for groups, w in zip(p.to_weak_orders(), p.weights):
        level = {a: i for i, g in enumerate(groups) for a in g}
        for a in range(4):
            la = level.get(a, 99)
            below = sum(1 for b in range(4) if level.get(b, 99) > la)
            above = sum(1 for b in range(4) if level.get(b, 99) < la)
            symmetric[a] += w * (below - above)
    expected = (3 * p.n_voters + symmetric) / 2
    assert get_rule("borda")(p).scores.tolist() == expected.tolist()


def test_plurality_splits_a_tied_top():
    p = Profile.from_weak_orders([[[0, 1], [2]], [[0], [1], [2]], [[2]]], n_alternatives=3)
    result = get_rule("plurality")(p)
    assert result.scores.tolist() == [1.5, 0.5, 1.0]
    assert result.winners == (0,)


def test_empty_ballots_under_both_conventions():
    p = Profile.from_rankings([[-1, -1, -1], [1, -1, -1]])
    assert get_rule("plurality")(p).scores.tolist() == pytest.approx([1 / 3, 4 / 3, 1 / 3])
    assert get_rule("plurality")(p, truncation="zero").scores.tolist() == [0, 1, 0]


def test_dowdall_exact_tie():
    p = Profile.from_rankings([[0, 1, 2], [1, 0, 2], [2, 1, 0], [2, 0, 1]], weights=[3, 3, 2, 2])
    result = get_rule("dowdall")(p)
    # exact: 0 = 3 + 3/2 + 1/3*2 + 2/2 = 37/6, 1 = 3/2 + 3 + 2/2 + 2/3 = 37/6, 2 = 3/3 + 3/3 + 2 + 2 = 6
    assert result.winners == (0, 1)
    assert result.scores.tolist() == pytest.approx([37 / 6, 37 / 6, 6.0])


def test_positional_accepts_fractions_and_checks_length():
    p = Profile.from_rankings([[0, 1, 2], [2, 1, 0]])
    result = get_rule("positional")(p, score_vector=[Fraction(1, 3), Fraction(1, 3), 0])
    assert result.winners == (1,)      # 0: 1/3, 1: 2/3, 2: 1/3
    assert result.scores.tolist() == pytest.approx([1 / 3, 2 / 3, 1 / 3])
    with pytest.raises(ValidationError, match=r"The 'score_vector' parameter of positional must be a vector of 3"):
        get_rule("positional")(p, score_vector=[1, 0])
    with pytest.raises(ValidationError, match=r"The 'score_vector' parameter of positional must be finite"):
        get_rule("positional")(p, score_vector=[1.0, np.nan, 0.0])


def test_k_approval_with_a_group_straddling_k():
    # ballot a > {b, c} > d with k = 2: b and c share one point (positions 1 and 2 -> 1 + 0)
    p = Profile.from_weak_orders([[[0], [1, 2], [3]]], n_alternatives=4)
    assert get_rule("k_approval")(p, k=2).scores.tolist() == [1.0, 0.5, 0.5, 0.0]


def test_large_weights_stay_exact():
    big = 2**40
    p = Profile.from_rankings([[0, 1, 2], [1, 0, 2]], weights=[big + 1, big])
    result = get_rule("borda")(p)
    assert result.scores.tolist() == [2 * (big + 1) + big, 2 * big + big + 1, 0]
    assert result.winners == (0,)
