"""VCG / Clarke pivot against hand computations, brute-force enumeration and the 2/3 revenue closed form."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mechanisms import ValidationError
from mechanisms.auctions import combinatorial_vcg, vcg


def brute_vcg(v, choice=None):
    """Clarke payments by explicit loops for one instance (choice: the implemented outcome)."""
    n, O = len(v), len(v[0])
    welfare = [sum(v[i][o] for i in range(n)) for o in range(O)]
    best = max(welfare)
    o_star = welfare.index(best) if choice is None else choice
    pay = []
    for i in range(n):
        others = [sum(v[j][o] for j in range(n) if j != i) for o in range(O)]
        pay.append(max(others) - others[o_star])
    return o_star, pay


def test_public_good_example():
    # build a bridge (outcome 1, cost shared as a negative value of agent 2) or not (outcome 0)
    v = [[0, 30], [0, 20], [0, -40]]
    res = vcg(v)
    assert int(res.outcome) == 1
    # agent 0 is pivotal: without it the others would not build (0 instead of 20 - 40): pays 0 - (-20)
    assert res.payments.tolist() == [20.0, 10.0, 0.0]
    assert res.utilities.tolist() == [10.0, 10.0, -40.0]
    assert float(res.welfare) == 10.0


def test_single_item_is_second_price():
    bids = np.array([3.0, 7.0, 5.0])
    v = np.diag(bids)            # outcome o: the item goes to bidder o
    res = vcg(v)
    assert int(res.outcome) == 1
    assert res.payments.tolist() == [0.0, 5.0, 0.0]


def test_batch_equals_loop_and_brute_force():
    rng = np.random.default_rng(0)
    V = rng.integers(0, 6, size=(40, 3, 4))
    res = vcg(V)
    for b in range(V.shape[0]):
        one = vcg(V[b])
        o_star, pay = brute_vcg(V[b].tolist())
        assert int(res.outcome[b]) == int(one.outcome) == o_star
        assert res.payments[b].tolist() == one.payments.tolist() == [float(p) for p in pay]


def test_ties_reported_and_tie_break():
    v = [[1, 0, 1], [0, 1, 0]]     # all three outcomes have welfare 1
    assert vcg(v).tied.tolist() == [True, True, True]
    assert int(vcg(v).outcome) == 0
    assert int(vcg(v, tie_break="last").outcome) == 2
    picks = {int(vcg(v, tie_break="random", rng=s).outcome) for s in range(30)}
    assert picks == {0, 1, 2}
    # whichever tied outcome is implemented, payments are the Clarke payments for it
    for tb in ("first", "last"):
        res = vcg(v, tie_break=tb)
        assert res.payments.tolist() == [float(p) for p in brute_vcg(v, int(res.outcome))[1]]


def test_random_tie_break_is_reproducible():
    V = np.zeros((20, 2, 5))
    a = vcg(V, tie_break="random", rng=123).outcome
    b = vcg(V, tie_break="random", rng=123).outcome
    assert np.array_equal(a, b)


def brute_combinatorial(bundle_values, n_items):
    """Welfare-maximizing allocation and Clarke payments by enumerating assignments."""
    n = len(bundle_values)
    best = None
    for assign in itertools.product(range(-1, n), repeat=n_items):
        masks = [sum(1 << k for k in range(n_items) if assign[k] == i) for i in range(n)]
        w = sum(bundle_values[i][masks[i]] for i in range(n))
        if best is None or w > best[0]:
            best = (w, masks)

    def best_without(i):
        out = -np.inf
        for assign in itertools.product(range(-1, n), repeat=n_items):
            masks = [sum(1 << k for k in range(n_items) if assign[k] == j) for j in range(n)]
            out = max(out, sum(bundle_values[j][masks[j]] for j in range(n) if j != i))
        return out

    w, masks = best
    pay = [best_without(i) - (w - bundle_values[i][masks[i]]) for i in range(n)]
    return w, pay


def test_combinatorial_against_enumeration():
    rng = np.random.default_rng(5)
    for _ in range(5):
        vals = rng.integers(0, 10, size=(3, 4)).astype(float)
        vals[:, 0] = 0.0
        res = combinatorial_vcg(vals)
        w, pay = brute_combinatorial(vals.tolist(), 2)
        assert float(res.welfare) == w
        assert res.payments.tolist() == pytest.approx(pay)
        # the allocation and the bundles describe the same thing
        for i in range(3):
            assert int(res.bundles[i]) == sum(1 << k for k in range(2) if res.allocation[k] == i)


def test_additive_equals_bundle_form_and_per_item_second_price():
    rng = np.random.default_rng(9)
    items = rng.random((50, 3, 2))
    bundles = np.stack([items[..., 0] * 0, items[..., 0], items[..., 1], items.sum(-1)], axis=-1)
    a = combinatorial_vcg(items, additive=True)
    b = combinatorial_vcg(bundles)
    assert np.allclose(a.payments, b.payments) and np.array_equal(a.allocation, b.allocation)
    # additive VCG = one second-price auction per item
    second = np.sort(items, axis=1)[:, -2, :].sum(axis=-1)
    assert np.allclose(a.revenue, second)


def test_vcg_revenue_two_bidders_two_additive_uniform_items_is_two_thirds():
    rng = np.random.default_rng(2024)
    N = 40_000
    res = combinatorial_vcg(rng.random((N, 2, 2)), additive=True)
    mean = res.revenue.mean()
    se = res.revenue.std(ddof=1) / np.sqrt(N)
    assert abs(mean - 2 / 3) <= 4 * se


def test_repr_and_frozen():
    res = vcg([[1, 0], [0, 2]])
    assert repr(res).startswith("VCGResult(outcome=1")
    with pytest.raises(ValueError):
        res.payments[0] = 3.0
    with pytest.raises(AttributeError):
        res.outcome = 0
    assert "CombinatorialVCGResult(allocation=" in repr(combinatorial_vcg([[0, 1], [0, 2]]))


def test_inputs_not_mutated():
    V = np.array([[1.0, 3.0], [2.0, 0.5]])
    V0 = V.copy()
    vcg(V)
    combinatorial_vcg(V, additive=True)
    assert np.array_equal(V, V0)


@pytest.mark.parametrize("call, match", [
    (lambda: vcg([1.0, 2.0]), r"'valuations' parameter of vcg must be an array of shape \(\.\.\., n_agents"),
    (lambda: vcg([[1.0, np.inf]]), r"'valuations' parameter of vcg must be finite"),
    (lambda: vcg([[1.0, 2.0]], tie_break="lowest"), r"'tie_break' parameter of vcg must be one of 'first'"),
    (lambda: vcg([[1.0, 2.0]], atol=-1.0), r"'atol' parameter of vcg"),
    (lambda: vcg([[1.0, 2.0]], tie_break="random", rng=-3), r"'rng' parameter of vcg"),
    (lambda: combinatorial_vcg([[0.0, 1.0, 2.0]]), r"'values' parameter of combinatorial_vcg must be bundle values"),
    (lambda: combinatorial_vcg(np.zeros((3, 21)), additive=True), r"at most 1048576 allocations"),
    (lambda: combinatorial_vcg([[0.0, 1.0]], additive="yes"), r"'additive' parameter of combinatorial_vcg"),
])
def test_validation(call, match):
    with pytest.raises(ValidationError, match=match):
        call()
