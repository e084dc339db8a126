"""The Thiele MILP (greedy incumbent, ties listed in score order) against every k-subset, exactly."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers.committees import thiele_committees, thiele_marginals


def brute(A, w, k, f):
    A = np.asarray(A, dtype=bool)
    best, found = None, []
    for W in itertools.combinations(range(A.shape[1]), k):
        score = sum(int(wi) * sum((f(l) for l in range(1, int(row[list(W)].sum()) + 1)), Fraction(0))
                    for row, wi in zip(A, w))
        if best is None or score > best:
            best, found = score, [W]
        elif score == best:
            found.append(W)
    return found


RULES = {"pav": lambda l: Fraction(1, l), "cc": lambda l: Fraction(int(l == 1)), "av": lambda l: Fraction(1)}


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6).flatmap(lambda m: st.tuples(
    st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=0, max_size=6),
    st.integers(1, m), st.sampled_from(sorted(RULES)), st.lists(st.integers(1, 3), min_size=6, max_size=6))))
def test_milp_tie_set_matches_brute_force(case):
    rows, k, rule, weights = case
    m = len(rows[0]) if rows else 3
    A = np.array(rows, dtype=bool).reshape(len(rows), m)
    k = min(k, m)
    w = weights[:len(rows)]
    committees, _ = thiele_committees(A, k, thiele_marginals(rule, k), weights=w, algorithm="milp")
    assert committees == brute(A, w, k, RULES[rule])


def test_many_tied_committees_with_a_clear_runner_up():
    # candidates 0-2 are clones approved by everyone, 3 by one voter, 4 by nobody: every pair of clones ties
    A = np.array([[1, 1, 1, 0, 0]] * 3 + [[1, 1, 1, 1, 0]], dtype=bool)
    committees, score = thiele_committees(A, 2, thiele_marginals("pav", 2), algorithm="milp")
    assert committees == [(0, 1), (0, 2), (1, 2)] == brute(A, [1] * 4, 2, RULES["pav"])
    assert score == 4 * 3                               # four voters, 1 + 1/2 each, scaled by 2
