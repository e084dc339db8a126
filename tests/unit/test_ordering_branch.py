"""Our branch and bound on the cutting-plane LP (solvers.ordering._branch_and_bound) against brute force.

Each test solves small linear ordering problems (m <= 7) whose optimum comes
from scanning all m! rankings in plain Python.  The branch and bound is driven
directly from a deliberately bad incumbent and an LP without any triangle rows,
so it must branch, separate and prune on its own; the public entry points are
checked with both engines behind ``method="milp"``.
"""

from __future__ import annotations

import contextlib
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solvers.ordering as ordering
from solvers.lp import LinearProgram
from solvers.ordering import _branch_and_bound, _PairModel, kemeny_rankings, slater_rankings
from solvers.result import Status


def score(W, r):
    return sum(W[r[i]][r[j]] for i in range(len(r)) for j in range(i + 1, len(r)))


def brute(W):
    """(best score, every optimal ranking, every optimal top) over all m! rankings of W (plain Python)."""
    m = len(W)
    values = {r: score(W, r) for r in itertools.permutations(range(m))}
    best = max(values.values())
    opt = sorted(r for r, v in values.items() if abs(v - best) <= 1e-9)
    return best, opt, sorted({r[0] for r in opt})


def brute_numpy(W):
    """brute() vectorized over the m! rankings (for m = 8): one score per permutation row."""
    m = len(W)
    P = np.array(list(itertools.permutations(range(m))), dtype=np.int64)
    values = np.zeros(P.shape[0])
    for i, j in itertools.combinations(range(m), 2):
        values += W[P[:, i], P[:, j]]
    best = values.max()
    opt = sorted(tuple(int(a) for a in r) for r in P[values >= best - 1e-9])
    return float(best), opt, sorted({r[0] for r in opt})


@st.composite
def weights(draw, min_m=3, max_m=7, integer=True):
    m = draw(st.integers(min_m, max_m))
    if integer:
        entries = st.integers(-5, 5)
    else:
        entries = st.floats(-3.0, 3.0, allow_nan=False, width=32)
    values = draw(st.lists(entries, min_size=m * m, max_size=m * m))
    W = np.array(values, dtype=np.float64).reshape(m, m)
    np.fill_diagonal(W, 0.0)
    return W


def run_bb(W, *, first=None, floor=None, seed=None):
    """Branch and bound of the block W from the worst incumbent we can name: the reverse of a good order."""
    K = W - W.T
    exact = bool(np.all(W == np.round(W)))
    model = _PairModel(K)
    lb, ub = np.zeros(model.n), np.ones(model.n)
    if first is not None:
        lb[model.index[first, first + 1:]] = 1.0
        ub[model.index[:first, first]] = 0.0
    lp = LinearProgram(model.n, lb=lb, ub=ub)
    if seed is None:
        seed = np.argsort(K.sum(axis=1), kind="stable")  # Borda order reversed
        if first is not None:
            seed = np.concatenate([[first], seed[seed != first]])
    seed = np.asarray(seed, dtype=np.int64)
    seed_val = float(model.c @ model.x_of(seed))
    gap_tol = 1.0 - 1e-6 if exact else 1e-9 * (1.0 + np.abs(K).sum())
    tol = 0.0 if exact else 1e-9 * max(1.0, float(np.abs(K).max()))
    ranking, value, status = _branch_and_bound(K, model, lp, lb, ub, seed, seed_val, exact, gap_tol, tol, first,
                                               "highs", 1e-9, None, floor=floor)
    assert status is Status.OPTIMAL
    # scores of the block model are sum_{a<b} K[a,b] x_ab = score_W(r) + const; map back to W
    const = score(W, tuple(range(len(W)))) - float(model.c @ model.x_of(np.arange(len(W))))
    return tuple(int(a) for a in ranking), value + const, const


@st.composite
def fences(draw):
    """A 3-fence (teeth u_i -> l_i, pales l_j -> u_i for i != j), whose triangle LP is fractional, relabelled.

    Grötschel, Jünger and Reinelt (1984): the fence inequalities are facets the
    3-cycle rows miss, so the LP root is fractional and the search must branch.
    """
    k = draw(st.integers(3, 4))
    m = 2 * k + draw(st.integers(0, 7 - 2 * k if k == 3 else 0))
    tooth, pale = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    W = np.zeros((m, m))
    for i in range(k):
        W[i, k + i] = tooth
        for j in range(k):
            if i != j:
                W[k + j, i] = pale
    noise = draw(st.lists(st.sampled_from([0, 0, 0, 0, 0, 0, -1, 1]), min_size=m * m, max_size=m * m))
    W += np.array(noise, dtype=np.float64).reshape(m, m)
    np.fill_diagonal(W, 0.0)
    perm = np.array(draw(st.permutations(range(m))))
    return W[np.ix_(perm, perm)]


@contextlib.contextmanager
def useless_repair():
    """Replace the local-search repair of node LP points by one that returns a bad ranking.

    The branch and bound then has to find its optimum at integral nodes:
    branching, pruning and the incumbent updates are all exercised.
    """
    saved = ordering._search

    def reverse(K, order, tol, first, iters=0):
        o = np.asarray(order, dtype=np.int64)[::-1]
        return o if first is None else np.concatenate([[first], o[o != first]])

    ordering._search = reverse
    try:
        yield
    finally:
        ordering._search = saved


@settings(max_examples=40, deadline=None)
@given(fences(), st.data())
def test_branch_and_bound_branches_on_fences_without_a_heuristic(W, data):
    best, opt, tops = brute_numpy(W)
    j = data.draw(st.integers(0, len(W) - 1))
    with useless_repair():
        ranking, value, const = run_bb(W)
        reach = run_bb(W, first=j, floor=best - const)
    assert value == pytest.approx(best) and ranking in opt
    assert (reach[1] >= best - 1e-9) == (j in tops)


@settings(max_examples=60, deadline=None)
@given(weights())
def test_branch_and_bound_from_a_bad_incumbent_reaches_the_brute_force_optimum(W):
    best, opt, _ = brute(W.tolist())
    ranking, value, _ = run_bb(W)
    assert value == pytest.approx(best, abs=1e-9)
    assert ranking in opt


@settings(max_examples=40, deadline=None)
@given(weights(integer=False))
def test_branch_and_bound_on_real_weights(W):
    best, _, _ = brute(W.tolist())
    ranking, value, _ = run_bb(W)
    assert value == pytest.approx(best, abs=1e-6)
    assert score(W.tolist(), ranking) == pytest.approx(best, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(weights(), st.data())
def test_branch_and_bound_with_a_first_alternative_and_a_floor_decides_reachability(W, data):
    m = len(W)
    j = data.draw(st.integers(0, m - 1))
    best, _, tops = brute(W.tolist())
    ranking, value, const = run_bb(W, first=j)
    constrained_best = max(score(W.tolist(), (j,) + r) for r in itertools.permutations([a for a in range(m) if a != j]))
    assert value == pytest.approx(constrained_best)
    assert ranking[0] == j
    reach = run_bb(W, first=j, floor=best - const)
    assert (reach[1] >= best - 1e-9) == (j in tops)
    if j in tops:
        assert score(W.tolist(), reach[0]) == pytest.approx(best)


@settings(max_examples=20, deadline=None)
@given(weights(min_m=2, max_m=6), st.sampled_from(["own", "highs"]))
def test_public_milp_path_with_either_engine_matches_brute_force(monkeypatch_engine, W, engine):
    monkeypatch_engine(engine)
    best, opt, tops = brute(W.tolist())
    res = kemeny_rankings(W, method="milp", all_optimal=True, tops=True)
    assert res.status is Status.OPTIMAL
    assert res.objective == pytest.approx(best)
    assert list(res.rankings) == opt
    assert list(res.tops) == tops
    one = kemeny_rankings(W, method="milp")
    assert tuple(one.ranking.tolist()) in opt and one.objective == pytest.approx(best)
    S = np.sign(W - W.T)
    assert list(slater_rankings(W, method="milp", all_optimal=True).rankings) == brute(S.tolist())[1]


@pytest.fixture(scope="module")
def monkeypatch_engine():
    saved = ordering.MILP_ENGINE

    def set_engine(name):
        ordering.MILP_ENGINE = name

    yield set_engine
    ordering.MILP_ENGINE = saved


def test_seven_alternative_tournament_with_a_fractional_lp_by_both_engines(monkeypatch):
    # a random tournament on 7 alternatives (Slater weights): the triangle LP is fractional on some of them
    rng = np.random.default_rng(3)
    for _ in range(5):
        U = np.triu(rng.choice([-1.0, 1.0], size=(7, 7)), 1)
        W = U - U.T
        best, opt, tops = brute(W.tolist())
        for engine in ("own", "highs"):
            monkeypatch.setattr(ordering, "MILP_ENGINE", engine)
            res = ordering.linear_ordering(W, method="milp", all_optimal=True, tops=True)
            assert res.objective == best and list(res.rankings) == opt and list(res.tops) == tops


# perturbed fences on which every optimum lies on one side of some branch (either side, depending on the case)
NEEDS_BOTH_SIDES = [
    [[0, 0, 0, 0, 0, 0, 0], [0, 0, 3, 0, 3, 0, 0], [0, -1, 0, 0, 0, 2, 0], [0, 2, 0, 0, 0, 0, -1],
     [0, -1, 0, 0, 0, 0, 2], [0, 1, -1, 3, 3, 0, 0], [-1, 0, 3, 3, 0, 0, 0]],
    [[0, 1, 2, 0, 0, 0], [0, 0, 1, 0, 2, 0], [0, 4, 0, 3, 0, 0], [0, 0, 0, 0, 0, 3], [3, 0, 0, 3, 0, 0],
     [3, 3, 0, 0, 0, 0]],
    [[0, 2, 0, -1, 0, 0, -1, 0], [0, 0, 0, 2, 1, 0, 0, 0], [2, 0, 0, 2, 0, 0, 0, 0], [0, -1, 0, 0, 0, 0, 0, 2],
     [0, -1, 2, 0, 0, 0, 0, 0], [0, 0, 0, -1, 0, 0, 0, 0], [0, 1, 0, 0, 1, 0, 0, 0], [2, 0, 0, 0, 2, 0, 0, 0]],
    [[0, -1, 3, 1, -1, 0, 0, 0], [0, 0, 0, 0, 0, 3, 1, 0], [0, 3, 0, 0, 0, 0, 2, 3], [3, 3, -1, 0, 0, 0, 0, 3],
     [3, 3, 0, 0, 0, 0, 3, 0], [4, 0, 0, 0, 1, 0, 3, 3], [0, 0, 0, 3, 0, 1, 0, -1], [0, 0, 1, 0, 3, 0, 0, 0]],
]


@pytest.mark.parametrize("W", NEEDS_BOTH_SIDES)
def test_branch_and_bound_explores_both_sides_of_a_branch(W):
    W = np.array(W, dtype=np.float64)
    best, opt, _ = brute_numpy(W)
    with useless_repair():
        ranking, value, _ = run_bb(W)
    assert value == best and ranking in opt


def test_tops_after_all_optimal_reuse_only_rows_that_are_in_the_lp(monkeypatch):
    # the enumeration MILP holds triangle rows the shared LP does not: the tops search must not trust them
    W = np.array([[0, 0, -4, 0, 0, 1], [1, 0, 1, 0, -5, 0], [0, 0, 0, 0, -5, -5], [0, 0, -3, 0, 0, 0],
                  [-4, 0, -4, 4, 0, 0], [-2, 0, 0, 3, 0, 0]], dtype=np.float64)
    best, opt, tops = brute(W.tolist())
    monkeypatch.setattr(ordering, "MILP_ENGINE", "own")
    res = kemeny_rankings(W, method="milp", all_optimal=True, tops=True)
    assert res.objective == best and list(res.rankings) == opt and list(res.tops) == tops
