"""A MILP start must never come back as the answer when HiGHS's presolve solves the problem outright."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from solvers.lp import LinearProgram

ONCE = [[1, 1, 1, 0, 0, 0, 0], [0, 0, 0, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 1]]
COVER = [[1, 1, 1, 1, 1, 0, 0], [0, 1, 1, 0, 1, 1, 0], [0, 0, 1, 0, 0, 0, 1]]
UB = [3.0, 3.0, 3.0, 1.0, 1.0, 1.0, 1.0]
COST = [1.0, 2.0, 3.0, 1.0, 2.0, 1.0, 1.0]


def _brute():
    best = None
    for x in itertools.product(*[range(int(u) + 1) for u in UB]):
        x = np.array(x, dtype=float)
        if np.all(np.array(ONCE) @ x <= [3, 1, 1, 1]) and np.all(np.array(COVER) @ x >= [1, 2, 1]):
            best = x @ COST if best is None else min(best, x @ COST)
    return best


@pytest.mark.parametrize("start", [None, [1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0]])
def test_a_feasible_start_is_not_returned_in_place_of_the_optimum(start):
    lp = LinearProgram(7, ub=UB, integrality=np.ones(7, dtype=bool))
    lp.add_constraints("once", ONCE, upper=[3.0, 1.0, 1.0, 1.0])
    lp.add_constraints("cover", COVER, lower=[1.0, 2.0, 1.0])
    res = lp.solve(COST, start=start)
    assert _brute() == 4.0
    assert res.objective == pytest.approx(4.0)
    assert float(np.dot(COST, res.x)) == pytest.approx(4.0)
