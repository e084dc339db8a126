"""The most even maximal lottery (``canonical=True``) where maximal lotteries are not unique."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from solvers.errors import ValidationError
from solvers.games import maximal_lottery


def _margins(rankings):
    m = len(rankings[0])
    M = np.zeros((m, m), dtype=np.int64)
    for r in rankings:
        for i, a in enumerate(r):
            for b in r[i + 1:]:
                M[a, b] += 1
                M[b, a] -= 1
    return M


def _max_min_probability(M):
    """max t s.t. p in simplex, p @ M >= 0, p_a >= t (an independent linprog)."""
    m = M.shape[0]
    c = np.zeros(m + 1)
    c[-1] = -1.0
    A_ub = np.vstack([np.hstack([-M.T, np.zeros((m, 1))]), np.hstack([-np.eye(m), np.ones((m, 1))])])
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(2 * m), A_eq=[np.append(np.ones(m), 0.0)], b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    return -res.fun


def test_two_voters_split_evenly():
    # 0 > 1 > 2 and 1 > 0 > 2: every lottery on {0, 1} is maximal; the most even is (1/2, 1/2, 0)
    res = maximal_lottery(_margins([[0, 1, 2], [1, 0, 2]]), canonical=True)
    np.testing.assert_allclose(res.lottery, [0.5, 0.5, 0.0], atol=1e-9)
    assert res.unique is False


def test_all_tied_is_uniform():
    res = maximal_lottery(np.zeros((4, 4)), canonical=True)
    np.testing.assert_allclose(res.lottery, np.full(4, 0.25), atol=1e-9)


def test_unique_instances_unchanged():
    M = _margins([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1], [1, 0, 2]])
    np.testing.assert_allclose(maximal_lottery(M, canonical=True).lottery, maximal_lottery(M).lottery, atol=1e-12)


def test_canonical_must_be_bool():
    with pytest.raises(ValidationError, match="'canonical' parameter of maximal_lottery"):
        maximal_lottery(np.zeros((2, 2)), canonical="yes")


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 5).flatmap(lambda m: st.tuples(
    st.lists(st.permutations(range(m)), min_size=2, max_size=6).filter(lambda v: len(v) % 2 == 0),
    st.permutations(range(m)))))
def test_most_even_is_maximal_even_and_equivariant(case):
    rankings, perm = case
    M = _margins(rankings)
    p = maximal_lottery(M, canonical=True).lottery
    assert np.all(p @ M >= -1e-9) and abs(p.sum() - 1.0) < 1e-9 and p.min() >= -1e-12
    # its smallest probability is the largest possible (the first leximin level)
    assert p.min() == pytest.approx(_max_min_probability(M), abs=1e-8)
    # renaming the alternatives renames the lottery
    perm = np.asarray(perm)
    q = maximal_lottery(M[np.ix_(perm, perm)], canonical=True).lottery
    np.testing.assert_allclose(q, p[perm], atol=1e-8)
    # batched equals one by one
    batch = maximal_lottery(np.stack([M, M[np.ix_(perm, perm)]]), canonical=True)
    np.testing.assert_allclose(batch.lotteries[0], p, atol=1e-8)
