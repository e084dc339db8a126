"""Second-price and Myerson auctions against closed forms, enumeration and brute-force price search."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.stats as st

from mechanisms import ValidationError
from mechanisms.auctions import (
    ironed_intervals,
    myerson_auction,
    myerson_reserve,
    myerson_revenue,
    optimal_auction,
    second_price_auction,
    second_price_revenue,
    virtual_value,
)

IRREGULAR = (np.array([1.0, 2.0, 3.0]), np.array([0.6, 0.1, 0.3]))
# piecewise-uniform density: heavy on [0, 1], thin on [1, 2], heavy on [2, 3] (irregular)
BIMODAL = st.rv_histogram((np.array([3.0, 0.2, 1.0]), np.array([0.0, 1.0, 2.0, 3.0])), density=False)


def enumerate_profiles(dists):
    """All value profiles of independent discrete bidders with their probabilities."""
    for combo in itertools.product(*[range(len(d[0])) for d in dists]):
        yield (np.array([d[0][k] for d, k in zip(dists, combo)]),
               float(np.prod([d[1][k] for d, k in zip(dists, combo)])))


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_uniform_closed_form(n):
    exact = (n - 1) / (n + 1) + 2.0 ** -n / (n + 1)
    assert myerson_revenue(st.uniform(), n) == pytest.approx(exact, abs=1e-10)
    # the same through the asymmetric (independent bidders) formula
    assert myerson_revenue([st.uniform()] * n) == pytest.approx(exact, abs=1e-8)
    # for a regular distribution Myerson's auction is a second-price auction at the reserve
    assert second_price_revenue(st.uniform(), n, reserve=0.5) == pytest.approx(exact, abs=1e-10)


def test_uniform_virtual_value_and_reserve():
    assert virtual_value(st.uniform(), [0.0, 0.3, 1.0]).tolist() == pytest.approx([-1.0, -0.4, 1.0])
    assert myerson_reserve(st.uniform()) == pytest.approx(0.5, abs=1e-12)
    assert myerson_reserve(st.uniform(loc=2.0, scale=1.0)) == pytest.approx(2.0)   # phi(2) = 1 > 0


def test_exponential_reserve_and_revenue():
    # phi(v) = v - 1/lam: reserve 1/lam whatever the number of bidders
    dist = st.expon(scale=2.0)
    assert myerson_reserve(dist) == pytest.approx(2.0, abs=1e-9)
    # one bidder: posted price 2 sells with probability e^-1
    assert myerson_revenue(dist, 1) == pytest.approx(2.0 * np.exp(-1.0), abs=1e-8)
    assert myerson_revenue(dist, 3) == pytest.approx(second_price_revenue(dist, 3, reserve=2.0), abs=1e-8)


def test_second_price_revenue_uniform_no_reserve():
    for n in (2, 3, 5):
        assert second_price_revenue(st.uniform(), n) == pytest.approx((n - 1) / (n + 1), abs=1e-10)


def test_discrete_virtual_values_by_hand():
    v, p = IRREGULAR
    # phi_1 = 1 - 1 * 0.4 / 0.6, phi_2 = 2 - 1 * 0.3 / 0.1, phi_3 = 3
    assert virtual_value((v, p)).tolist() == pytest.approx([1 / 3, -1.0, 3.0])
    pooled = (0.6 * (1 / 3) + 0.1 * -1.0) / 0.7
    assert virtual_value((v, p), ironed=True).tolist() == pytest.approx([pooled, pooled, 3.0])
    assert virtual_value((v, p), [3.0, 1.0], ironed=True).tolist() == pytest.approx([3.0, pooled])
    assert ironed_intervals((v, p)).tolist() == [[1.0, 2.0]]
    assert myerson_reserve((v, p)) == 1.0


def test_discrete_single_bidder_is_best_posted_price():
    rng = np.random.default_rng(11)
    for _ in range(10):
        v = np.sort(rng.choice(np.arange(1, 50), 8, replace=False)).astype(float)
        p = rng.dirichlet(np.ones(8))
        best = max(x * p[v >= x].sum() for x in v)
        assert myerson_revenue((v, p)) == pytest.approx(best, abs=1e-12)


def test_irregular_continuous_one_bidder_is_best_posted_price():
    prices = np.linspace(0.0, 3.0, 300_001)
    best = float(np.max(prices * BIMODAL.sf(prices)))
    assert myerson_revenue(BIMODAL, 1) == pytest.approx(best, abs=1e-6)
    (lo, hi), = ironed_intervals(BIMODAL)
    assert 0.0 < lo < 1.0 and hi == pytest.approx(2.0, abs=1e-3)
    # on the ironed interval the ironed virtual value is constant and equals the average of phi there
    inside = virtual_value(BIMODAL, [lo + 0.01, 1.5, hi - 0.01], ironed=True)
    assert np.ptp(inside) == 0.0
    u = np.linspace(BIMODAL.cdf(lo), BIMODAL.cdf(hi), 200_001)
    u = 0.5 * (u[1:] + u[:-1])                                   # midpoint rule in the quantile
    assert inside[0] == pytest.approx(float(np.mean(virtual_value(BIMODAL, BIMODAL.ppf(u)))), abs=1e-3)


def test_asymmetric_continuous_and_mixed():
    # bidders with different laws: the independent-bidders formula against the i.i.d. one where they agree,
    # and against a discrete law written as the limit of a fine discretization
    dist = st.expon(scale=2.0)
    assert myerson_revenue([dist] * 3) == pytest.approx(myerson_revenue(dist, 3), rel=1e-6)
    assert myerson_revenue([BIMODAL] * 2) == pytest.approx(myerson_revenue(BIMODAL, 2), abs=1e-9)
    K = 2000
    u = (np.arange(K) + 0.5) / K
    fine = (st.uniform(scale=3).ppf(u), np.full(K, 1 / K))
    mixed = myerson_revenue([IRREGULAR, st.uniform(scale=3)])
    assert mixed == pytest.approx(myerson_revenue([IRREGULAR, fine]), abs=2e-3)


def test_irregular_continuous_matches_fine_discretization():
    # quantile-midpoint discretization of the bimodal law; the discrete formula is exact (equals the LP)
    K = 4000
    u = (np.arange(K) + 0.5) / K
    values = BIMODAL.ppf(u)
    for n in (2, 3):
        assert myerson_revenue(BIMODAL, n) == pytest.approx(myerson_revenue((values, np.full(K, 1 / K)), n),
                                                            abs=2e-3)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_discrete_formula_equals_amd_lp(n):
    v, p = IRREGULAR
    assert myerson_revenue((v, p), n) == pytest.approx(optimal_auction(v, p, n).revenue, abs=1e-8)


def test_myerson_auction_expected_revenue_and_dsic_by_enumeration():
    dists = [IRREGULAR, (np.array([0.5, 2.5]), np.array([0.5, 0.5])), (np.array([1.0, 4.0]), np.array([0.7, 0.3]))]
    total = 0.0
    worst_regret = 0.0
    for values, prob in enumerate_profiles(dists):
        out = myerson_auction(values, dists)
        total += prob * float(out.revenue)
        for i in range(3):
            u_true = values[i] * out.allocation[i] - out.payments[i]
            assert u_true >= -1e-12                                        # ex-post IR
            for lie in dists[i][0]:
                bids = values.copy()
                bids[i] = lie
                dev = myerson_auction(bids, dists)
                worst_regret = max(worst_regret, values[i] * dev.allocation[i] - dev.payments[i] - u_true)
    assert worst_regret <= 1e-12
    assert total == pytest.approx(myerson_revenue(dists), abs=1e-12)


def test_myerson_auction_continuous_uniform_is_second_price_with_reserve():
    rng = np.random.default_rng(3)
    bids = rng.random((200, 3))
    a = myerson_auction(bids, st.uniform())
    b = second_price_auction(bids, reserve=0.5)
    assert np.array_equal(a.winner, b.winner)
    assert np.allclose(a.payments, b.payments, atol=1e-9)


def test_second_price_auction_by_hand_and_batched():
    out = second_price_auction([[3.0, 5.0, 4.0], [1.0, 0.2, 0.1], [0.1, 0.2, 0.3], [2.0, 2.0, 1.0]], reserve=0.5)
    assert out.winner.tolist() == [1, 0, -1, 0]
    assert out.payments.tolist() == [[0, 4, 0], [0.5, 0, 0], [0, 0, 0], [2, 0, 0]]
    assert out.revenue.tolist() == [4.0, 0.5, 0.0, 2.0]
    assert out.allocation.tolist()[0] == [0.0, 1.0, 0.0]
    winners = {int(second_price_auction([2.0, 2.0, 1.0], tie_break="random", rng=s).winner) for s in range(20)}
    assert winners == {0, 1}


def test_second_price_revenue_discrete_by_enumeration():
    v, p = IRREGULAR
    for n in (1, 2, 3):
        for r in (0.0, 1.5, 2.0, 3.0):
            expected = 0.0
            for values, prob in enumerate_profiles([(v, p)] * n):
                expected += prob * float(second_price_auction(values, reserve=r).revenue)
            assert second_price_revenue((v, p), n, reserve=r) == pytest.approx(expected, abs=1e-12)


def test_inputs_not_mutated():
    bids = np.array([[1.0, 2.0], [3.0, 1.0]])
    b0 = bids.copy()
    myerson_auction(bids, IRREGULAR)
    second_price_auction(bids, reserve=1.0)
    assert np.array_equal(bids, b0)


@pytest.mark.parametrize("call, match", [
    (lambda: virtual_value(([2.0, 1.0], [0.5, 0.5])), r"'distribution' parameter of virtual_value must be a pair"
                                                       r" \(values, probs\) with strictly increasing values"),
    (lambda: virtual_value(([1.0, 2.0], [0.5, 0.4])), r"positive probabilities summing to 1"),
    (lambda: virtual_value(([1.0, 2.0], [1.0, 0.0])), r"Drop values of probability 0"),
    (lambda: virtual_value([1.0, 2.0]), r"a tuple \(values, probs\) or a frozen scipy.stats"),
    (lambda: virtual_value(st.uniform()), r"'v' parameter of virtual_value must be given"),
    (lambda: virtual_value(([1.0, 2.0], [0.5, 0.5]), [1.5]), r"'v' parameter .* in the support"),
    (lambda: virtual_value(st.norm(), [0.0]), r"support has a finite lower end"),
    (lambda: myerson_revenue(st.uniform(), 0), r"'n_bidders' parameter of myerson_revenue must be an int"),
    (lambda: myerson_revenue([st.uniform()] * 2, 3), r"'n_bidders' parameter .* None or 2"),
    (lambda: second_price_revenue(st.uniform(), 2, reserve=np.nan), r"'reserve' parameter"),
    (lambda: myerson_auction([[1.5, 1.0]], IRREGULAR), r"'bids' parameter of myerson_auction .* support"),
    (lambda: myerson_auction([[1.0, 1.0]], [IRREGULAR] * 3), r"'n_bidders' parameter .* None or 3"),
    (lambda: second_price_auction([1.0, 2.0], tie_break="last"), r"'tie_break' parameter of second_price_auction"),
])
def test_validation(call, match):
    with pytest.raises(ValidationError, match=match):
        call()


def test_myerson_auction_continuous_irregular_is_dsic_on_a_grid_of_lies():
    rng = np.random.default_rng(8)
    values = BIMODAL.rvs(size=(40, 2), random_state=rng)
    lies = np.linspace(0.0, 3.0, 61)
    truth = myerson_auction(values, BIMODAL)
    u_true = values * truth.allocation - truth.payments
    assert np.all(u_true >= -1e-9)
    for i in range(2):
        bids = np.repeat(values[None], lies.size, axis=0)     # batch: (lie, auction, bidder)
        bids[:, :, i] = lies[:, None]
        dev = myerson_auction(bids, BIMODAL)
        gain = values[None, :, i] * dev.allocation[..., i] - dev.payments[..., i] - u_true[None, :, i]
        assert gain.max() <= 1e-6
