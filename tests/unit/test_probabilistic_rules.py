"""The probabilistic rules (maximal_lottery, random_dictatorship, proportional_borda) against direct counts."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule, list_rules
from solvers import ValidationError


@st.composite
def strict_profiles(draw, max_m=5, max_n=7):
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(1, max_n))
    rows = [draw(st.permutations(range(m))) for _ in range(n)]
    weights = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    return Profile.from_rankings(rows, weights=weights), rows, weights


def test_registered_as_probabilistic():
    ids = {r.id for r in list_rules(probabilistic=True, input_kind="ordinal")}
    assert {"maximal_lottery", "random_dictatorship", "proportional_borda"} <= ids
    assert get_rule("ml").id == "maximal_lottery" and get_rule("random_dictator").id == "random_dictatorship"


@settings(max_examples=40, deadline=None)
@given(strict_profiles())
def test_random_dictatorship_is_the_first_place_shares(data):
    p, rows, weights = data
    m = p.n_alternatives
    counts = np.zeros(m)
    for r, w in zip(rows, weights):
        counts[r[0]] += w
    res = get_rule("random_dictatorship")(p)
    np.testing.assert_allclose(res.lottery, counts / sum(weights), atol=1e-15)
    assert res.winners == tuple(int(a) for a in np.flatnonzero(counts))


def test_random_dictatorship_ties_truncation_and_abstention():
    # ballot 1 ties 1 and 2 on top (weight 3), ballot 2 ranks only 0 (weight 1), ballot 3 ranks nothing (abstains)
    p = Profile.from_ranks([[1, 0, 0], [0, -1, -1], [-1, -1, -1]], weights=[3, 1, 5])
    res = get_rule("random_dictatorship")(p)
    np.testing.assert_allclose(res.lottery, [0.25, 0.375, 0.375])
    empty = Profile.from_ranks(np.full((2, 4), -1))
    res = get_rule("random_dictatorship")(empty)
    np.testing.assert_allclose(res.lottery, [0.25] * 4)
    assert res.winners == (0, 1, 2, 3)


@settings(max_examples=40, deadline=None)
@given(strict_profiles())
def test_proportional_borda_is_proportional_to_borda_points(data):
    p, rows, weights = data
    m = p.n_alternatives
    points = np.zeros(m)
    for r, w in zip(rows, weights):
        for pos, a in enumerate(r):
            points[a] += w * (m - 1 - pos)
    res = get_rule("proportional_borda")(p)
    if points.sum() == 0:
        np.testing.assert_allclose(res.lottery, np.full(m, 1 / m))
    else:
        np.testing.assert_allclose(res.lottery, points / points.sum(), atol=1e-15)
        assert res.winners == tuple(int(a) for a in np.flatnonzero(points))


def test_proportional_borda_truncation_conventions():
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [0, -1, -1]])
    # "average": unranked 1 and 2 share positions 1 and 2 -> 0.5 point each; scores 4, 3.5, 1.5
    np.testing.assert_allclose(get_rule("proportional_borda")(p).lottery, np.array([4, 3.5, 1.5]) / 9)
    np.testing.assert_allclose(get_rule("proportional_borda")(p, truncation="zero").lottery, np.array([4, 3, 1]) / 8)
    with pytest.raises(ValidationError, match="'truncation' parameter of proportional_borda"):
        get_rule("proportional_borda")(p, truncation="half")


def test_maximal_lottery_rule_three_cycle_closed_form():
    # margins 0>1 by 3, 1>2 by 3, 2>0 by 1: lottery (3, 1, 3) / 7
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    res = get_rule("maximal_lottery")(p)
    np.testing.assert_allclose(res.lottery, [3 / 7, 1 / 7, 3 / 7], atol=1e-12)
    assert res.winners == (0, 1, 2)


def test_maximal_lottery_rule_reports_the_essential_set_when_not_unique():
    # 0 and 1 tie, both beat 2: every lottery on {0, 1} is maximal
    p = Profile.from_rankings([[0, 1, 2], [1, 0, 2]])
    res = get_rule("maximal_lottery")(p)
    assert res.winners == (0, 1)
    assert res.lottery[2] == 0 and res.lottery.sum() == pytest.approx(1.0)
    M = p.margin_matrix()
    assert np.all(res.lottery @ M >= -1e-12)


def test_maximal_lottery_rule_condorcet_winner_and_algorithms():
    p = Profile.from_rankings([[2, 0, 1], [2, 1, 0], [0, 2, 1]])
    for algorithm in ("auto", "enumeration", "lp", "double_oracle"):
        res = get_rule("maximal_lottery")(p, algorithm=algorithm)
        assert res.winners == (2,) and res.lottery.tolist() == [0.0, 0.0, 1.0]


def test_maximal_lottery_rule_draws_from_the_lottery_with_tie_break_random():
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], weights=[3, 2, 2])
    draws = [get_rule("maximal_lottery")(p, tie_break="random", rng=s).winners[0] for s in range(200)]
    freq = np.bincount(draws, minlength=3) / 200
    assert freq[1] < freq[0] and freq[1] < freq[2]  # 1/7 against 3/7
