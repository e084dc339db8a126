"""Cardinal rules of mechanisms.social_choice (utilitarian, Nash, egalitarian, leximin): exact and brute force."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from mechanisms import ValidationError
from mechanisms.profiles import Profile, UtilityProfile
from mechanisms.social_choice import get_rule, list_rules


def _brute(U, w, key):
    """Groups of alternatives by an exact key computed with Fractions (higher is better)."""
    m = len(U[0])
    keys = [key([Fraction(float(U[i][a])) for i in range(len(U))], w) for a in range(m)]
    distinct = sorted(set(keys), reverse=True)
    return tuple(tuple(a for a in range(m) if keys[a] == k) for k in distinct)


def _sum_key(col, w):
    return sum(wi * u for wi, u in zip(w, col))


def _nash_key(col, w):
    positive = [(wi, u) for wi, u in zip(w, col) if u > 0]
    prod = Fraction(1)
    for wi, u in positive:
        prod *= u ** wi
    return (sum(wi for wi, _ in positive), prod)


def _min_key(col, w):
    return min(col)


def _leximin_key(col, w):
    return tuple(sorted(u for wi, u in zip(w, col) for _ in range(wi)))


@pytest.mark.parametrize("rule, key", [("utilitarian", _sum_key), ("nash_welfare_pure", _nash_key),
                                       ("egalitarian_pure", _min_key), ("leximin_pure", _leximin_key)])
def test_deterministic_rules_match_exact_brute_force(rule, key):
    rng = np.random.default_rng(0)
    for _ in range(25):
        n, m = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        U = rng.integers(0, 4, size=(n, m)) / 2
        w = [int(x) for x in rng.integers(1, 4, size=n)]
        result = get_rule(rule)(UtilityProfile(U, weights=w))
        expected = _brute(U, w, key)
        assert result.ranking == expected, (U, w)
        assert result.winners == expected[0]


def test_utilitarian_is_exact_where_floats_tie():
    # 1e16 + 1 rounds to 1e16 in floats; exactly, alternative 0 is better
    p = UtilityProfile([[1e16, 1e16], [1.0, 0.0]])
    assert float(np.float64(1e16) + 1.0) == 1e16
    result = get_rule("utilitarian")(p)
    assert result.winners == (0,) and result.ranking == ((0,), (1,))
    # and exact ties survive float noise: 0.1 + 0.2 vs 0.2 + 0.1 summed in different orders
    tie = get_rule("utilitarian")(UtilityProfile([[0.1, 0.2], [0.2, 0.1]]))
    assert tie.winners == (0, 1)


def test_nash_pure_zero_convention_and_exact_products():
    # counts of positive utilities first (Caragiannis et al.), then products: 2*4 == 4*2
    p = UtilityProfile([[2.0, 4.0, 100.0], [4.0, 2.0, 0.0]])
    r = get_rule("nash_welfare_pure")(p)
    assert r.ranking == ((0, 1), (2,))
    assert r.scores[2] == -np.inf and r.scores[0] == pytest.approx(np.log(8.0))


def test_leximin_pure_counts_weights_as_copies():
    # x: (1, 2) with voter 0 twice -> (1, 1, 2); y: (2, 1) -> (1, 2, 2): y is leximin-better
    p = UtilityProfile([[1.0, 2.0], [2.0, 1.0]], weights=[2, 1])
    assert get_rule("leximin_pure")(p).winners == (1,)
    assert get_rule("egalitarian_pure")(p).winners == (0, 1)


def test_lottery_rules_return_lotteries_and_support():
    p = UtilityProfile([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    nash = get_rule("nash_welfare")(p)
    np.testing.assert_allclose(nash.lottery, [1 / 3, 2 / 3, 0.0], atol=1e-9)   # the all-zero voter is left out
    assert nash.winners == (0, 1)
    egal = get_rule("egalitarian")(UtilityProfile([[1.0, 0.0], [0.0, 3.0]]))
    np.testing.assert_allclose(egal.lottery, [0.75, 0.25], atol=1e-9)
    lex = get_rule("leximin")(UtilityProfile([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0]]))
    np.testing.assert_allclose(lex.lottery, [0.5, 0.5, 0.0], atol=1e-9)
    assert lex.lottery.sum() == pytest.approx(1.0)
    drawn = get_rule("nash_welfare")(p, tie_break="random", rng=3)
    assert drawn.winners[0] in (0, 1)


def test_normalize_range_rescales_each_voter():
    # voter 1 has huge utilities; after range normalization both count equally
    p = UtilityProfile([[0.0, 1.0, 0.4], [1000.0, 0.0, 900.0]])
    assert get_rule("utilitarian")(p).winners == (0,)
    assert get_rule("utilitarian")(p, normalize="range").winners == (2,)      # 0.4 + 0.9
    # an indifferent voter is left out by "range" (otherwise egalitarian would be stuck at 0)
    q = UtilityProfile([[5.0, 5.0], [1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(get_rule("egalitarian")(q, normalize="range").lottery, [0.5, 0.5], atol=1e-9)


def test_rule_metadata():
    ids = {r.id for r in list_rules(input_kind="utility")}
    assert {"utilitarian", "nash_welfare", "egalitarian", "leximin", "nash_welfare_pure", "egalitarian_pure",
            "leximin_pure"} <= ids
    assert {r.id for r in list_rules(input_kind="utility", probabilistic=True)} >= {"nash_welfare", "egalitarian",
                                                                                   "leximin"}


@pytest.mark.parametrize("rule, kwargs, match", [
    ("nash_welfare", {}, r"The 'profile' parameter of nash_welfare must be a profile of nonnegative utilities.*"
                         r"normalize='range'"),
    ("nash_welfare_pure", {}, r"nonnegative utilities"),
    ("utilitarian", {"normalize": "zscore"}, r"The 'normalize' parameter of utilitarian must be one of 'none', "
                                             r"'range'"),
])
def test_errors(rule, kwargs, match):
    with pytest.raises(ValidationError, match=match):
        get_rule(rule)(UtilityProfile([[-1.0, 2.0], [0.5, 0.0]]), **kwargs)


def test_wrong_profile_kind():
    with pytest.raises(ValidationError, match=r"must be a UtilityProfile"):
        get_rule("leximin")(Profile.from_rankings([[0, 1]]))


def test_no_mutation_and_determinism():
    U = np.array([[1.0, 2.0, 0.0], [3.0, 0.0, 1.0]])
    before = U.copy()
    p = UtilityProfile(U)
    for rule in ("utilitarian", "nash_welfare", "egalitarian", "leximin", "leximin_pure"):
        assert get_rule(rule)(p) == get_rule(rule)(p)
    np.testing.assert_array_equal(U, before)
    for perm in itertools.permutations(range(2)):
        assert get_rule("utilitarian")(UtilityProfile(U[list(perm)])).winners == get_rule("utilitarian")(p).winners
