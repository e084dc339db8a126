"""The ``start=`` keyword of LinearProgram.solve: a MILP incumbent that never changes the optimum."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers import ValidationError
from solvers.lp import LinearProgram


def _knapsack(values, weights, capacity):
    lp = LinearProgram(len(values), ub=np.ones(len(values)), integrality=np.ones(len(values), dtype=bool))
    lp.add_constraints("capacity", [weights], upper=[capacity])
    return lp


def _brute(values, weights, capacity):
    best = 0.0
    for pick in itertools.product((0, 1), repeat=len(values)):
        if np.dot(pick, weights) <= capacity:
            best = max(best, float(np.dot(pick, values)))
    return best


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9), st.integers(1, 9)), min_size=2, max_size=8), st.integers(1, 20),
       st.lists(st.sampled_from([0.0, 1.0, 0.5, 2.0, -1.0]), min_size=8, max_size=8))
def test_a_start_does_not_change_the_milp_optimum(items, capacity, guess):
    values = [float(v) for v, _ in items]
    weights = [float(w) for _, w in items]
    expected = _brute(values, weights, capacity)
    start = np.array(guess[:len(values)])  # feasible, infeasible, fractional or out of bounds
    lp = _knapsack(values, weights, capacity)
    assert lp.solve(values, maximize=True, start=start).objective == pytest.approx(expected, abs=1e-9)
    # the same cached model again, now with the all-zero (feasible) start, and with none
    assert lp.solve(values, maximize=True, start=np.zeros(len(values))).objective == pytest.approx(expected, abs=1e-9)
    assert lp.solve(values, maximize=True).objective == pytest.approx(expected, abs=1e-9)


def test_an_infeasible_start_is_harmless_and_other_backends_ignore_it():
    values, weights, capacity = [5.0, 4.0, 3.0], [4.0, 3.0, 2.0], 5.0
    lp = _knapsack(values, weights, capacity)
    res = lp.solve(values, maximize=True, start=[1.0, 1.0, 1.0])  # breaks the capacity row
    assert res.objective == pytest.approx(7.0)  # items 1 and 2
    assert res.objective == pytest.approx(_brute(values, weights, capacity))
    res = lp.solve(values, maximize=True, backend="scipy", start=[0.0, 1.0, 1.0])
    assert res.objective == pytest.approx(7.0)


def test_a_start_of_the_wrong_length_is_rejected():
    lp = _knapsack([1.0, 2.0], [1.0, 1.0], 1.0)
    with pytest.raises(ValidationError, match=r"The 'start' parameter of LinearProgram.solve must be"):
        lp.solve([1.0, 2.0], start=[1.0, 0.0, 0.0])
