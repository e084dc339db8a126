"""Conformance suite for the LP/MILP backends: every installed backend, the same answers.

Oracles are independent of the code under test: primal and dual optima worked
out by hand (each case's comment shows the derivation), brute-force enumeration
(knapsack subsets, assignment permutations, vertices of tiny LPs), and the
scipy route for re-solve comparisons.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers import SolverError, Status
from solvers.lp import LinearProgram, available_backends, solve_lp

INSTALLED = [b.name for b in available_backends() if b.installed]
ROUTES = [(name, None) for name in INSTALLED]
if "cvxpy" in INSTALLED and importlib.util.find_spec("clarabel") is not None:
    ROUTES.append(("cvxpy", {"solver": "CLARABEL"}))  # interior point: LPs only, looser accuracy
ROUTE_IDS = [name if opts is None else f"{name}-{opts['solver'].lower()}" for name, opts in ROUTES]
MILP_ROUTES = [r for r in ROUTES if r[1] is None]
MILP_IDS = [i for i, r in zip(ROUTE_IDS, ROUTES) if r[1] is None]
INF = np.inf


def _tol(options):
    return 1e-5 if options else 1e-7


@pytest.fixture(params=ROUTES, ids=ROUTE_IDS)
def route(request):
    return request.param


@pytest.fixture(params=MILP_ROUTES, ids=MILP_IDS)
def milp_route(request):
    return request.param


# --------------------------------------------------------------------------- hand-solved LPs
@dataclasses.dataclass
class Case:
    n: int
    families: list  # (name, A, lower, upper)
    c: list
    maximize: bool
    x: list
    objective: float
    duals: dict  # family -> expected duals; "bounds" -> reduced costs
    lb: object = 0.0
    ub: object = None

    def build(self):
        lp = LinearProgram(self.n, lb=self.lb, ub=self.ub)
        for name, A, lo, hi in self.families:
            lp.add_constraints(name, A, lower=lo, upper=hi)
        return lp

    def negated(self):
        """min c@x and max -c@x share x; objective and every dual change sign."""
        return dataclasses.replace(self, c=[-v for v in self.c], maximize=not self.maximize,
                                   objective=-self.objective,
                                   duals={k: [-v for v in d] for k, d in self.duals.items()})


CASES = {
    # Wyndor Glass (Hillier & Lieberman): max 3x1 + 5x2, x1 <= 4, 2x2 <= 12, 3x1 + 2x2 <= 18.
    # Rows 2, 3 active at (2, 6): y2*(0,2) + y3*(3,2) = (3,5) -> y3 = 1, y2 = 3/2.
    "production": Case(2, [("capacity", [[1, 0], [0, 2], [3, 2]], None, [4, 12, 18])], [3, 5], True,
                       [2, 6], 36.0, {"capacity": [0, 1.5, 1], "bounds": [0, 0]}),
    # Diet: min 2x1 + 3x2 with four ">=" rows; rows 1, 2 meet at (3, 1) (cost 9; the other vertices cost
    # 11, 12, 15); y1 + y2 = 2, y1 + 3y2 = 3 -> y = (3/2, 1/2); rows 3, 4 slack (7 > 5, 1 > 0.5).
    "diet": Case(2, [("nutrients", [[1, 1], [1, 3], [2, 1], [0, 1]], [4, 6, 5, 0.5], None)], [2, 3], False,
                 [3, 1], 9.0, {"nutrients": [1.5, 0.5, 0, 0], "bounds": [0, 0]}),
    # Transport, supplies (<= 20, 30), demands (== 10, 25, 10), costs [[8,6,10],[9,12,13]]. Supplier 1 is
    # cheaper everywhere and saves most on column 2: x12 = 20, then x21 = 10, x22 = 5, x23 = 10, cost 400.
    # Potentials: u2 = 0 (slack), v = (9, 12, 13), u1 = 6 - 12 = -6; reduced costs x11: 8-3 = 5, x13: 10-7 = 3.
    "transport": Case(6, [("supply", [[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]], None, [20, 30]),
                          ("demand", [[1, 0, 0, 1, 0, 0], [0, 1, 0, 0, 1, 0], [0, 0, 1, 0, 0, 1]],
                           [10, 25, 10], [10, 25, 10])],
                      [8, 6, 10, 9, 12, 13], False, [0, 20, 0, 10, 5, 10], 400.0,
                      {"supply": [-6, 0], "demand": [9, 12, 13], "bounds": [5, 0, 3, 0, 0, 0]}),
    # Two-sided rows: min x1 - 2x2, 1 <= x1 + x2 <= 3, -1 <= x1 - x2 <= 1. Vertices (1,2):-3, (2,1):0,
    # (0,1):-2, (1,0):1. At (1,2) row 1 is at its upper, row 2 at its lower bound:
    # y1 + y2 = 1, y1 - y2 = -2 -> y = (-1/2, 3/2).
    "two_sided": Case(2, [("band", [[1, 1], [1, -1]], [1, -1], [3, 1])], [1, -2], False,
                      [1, 2], -3.0, {"band": [-0.5, 1.5], "bounds": [0, 0]}),
    # Free variables: min x1 + 2x2, x1 + x2 >= 2, x1 - x2 <= 4 (bounded: any improving direction needs
    # d2 >= |d1|). Both rows active: (3, -1), objective 1; y1 + y2 = 1, y1 - y2 = 2 -> (3/2, -1/2).
    "free_variables": Case(2, [("floor", [[1, 1]], [2], None), ("spread", [[1, -1]], None, [4])], [1, 2],
                           False, [3, -1], 1.0, {"floor": [1.5], "spread": [-0.5], "bounds": [0, 0]},
                           lb=-INF, ub=INF),
    # Upper-bounded variables: max 4x1 + 3x2 + x3, x1 + x2 + x3 <= 5, x <= (2, 2, 4). Greedy: x = (2, 2, 1),
    # 15. x3 basic -> y = 1; reduced costs c - y = (3, 2, 0), at the upper bounds of x1, x2.
    "upper_bounded": Case(3, [("budget", [[1, 1, 1]], None, [5])], [4, 3, 1], True, [2, 2, 1], 15.0,
                          {"budget": [1], "bounds": [3, 2, 0]}, ub=[2, 2, 4]),
    # Equality with nonzero lower bounds: min x1 + 2x2 + 3x3, x1 + x2 + x3 = 6, x >= 1. x = (4, 1, 1), 9;
    # x1 basic -> y = 1, reduced costs (0, 1, 2) at the lower bounds (dual objective 6 + 1 + 2 = 9).
    "shifted_bounds": Case(3, [("total", [[1, 1, 1]], [6], [6])], [1, 2, 3], False, [4, 1, 1], 9.0,
                           {"total": [1], "bounds": [0, 1, 2]}, lb=1.0),
    # Maximize with ">=" rows: max -x1 - x2, x1 + 2x2 >= 4, 3x1 + x2 >= 6. Rows meet at (8/5, 6/5), -14/5
    # (vertices (4,0), (0,6) give -4, -6); y1 + 3y2 = -1, 2y1 + y2 = -1 -> y = (-2/5, -1/5).
    "maximize_ge": Case(2, [("needs", [[1, 2], [3, 1]], [4, 6], None)], [-1, -1], True, [1.6, 1.2], -2.8,
                        {"needs": [-0.4, -0.2], "bounds": [0, 0]}),
}
CASES.update({f"{k}-negated": v.negated() for k, v in list(CASES.items())})


def _check_case(case, res, options):
    tol = _tol(options)
    assert res.status is Status.OPTIMAL, res
    np.testing.assert_allclose(res.x, case.x, atol=tol * 10)
    assert res.objective == pytest.approx(case.objective, abs=tol * 10)
    assert set(res.duals) == set(case.duals)
    for family, expected in case.duals.items():
        np.testing.assert_allclose(res.duals[family], expected, atol=tol * 10, err_msg=family)
    assert res.certificate.ok


@pytest.mark.parametrize("name", list(CASES))
def test_hand_solved_lp(route, name):
    backend, options = route
    case = CASES[name]
    res = case.build().solve(case.c, maximize=case.maximize, backend=backend, options=options)
    _check_case(case, res, options)
    assert res.info.backend == backend


def test_transport_through_solve_lp(route):
    backend, options = route
    case = CASES["transport"]
    (_, A_ub, _, b_ub), (_, A_eq, b_eq, _) = case.families
    res = solve_lp(case.c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, backend=backend, options=options)
    expected = dataclasses.replace(case, duals={"ub": case.duals["supply"], "eq": case.duals["demand"],
                                                "bounds": case.duals["bounds"]})
    _check_case(expected, res, options)


@pytest.mark.parametrize("maximize", [True, False])
def test_degenerate_lp_duals_lie_on_the_optimal_face(route, maximize):
    # Wyndor plus the redundant row x1 + x2 <= 8 through the optimum (2, 6): three active rows, so the
    # optimal duals form the segment y = (0, 3/2 - t/6, 1 - t/3, t), t in [0, 3] (all give 36).
    backend, options = route
    s = 1 if maximize else -1
    lp = LinearProgram(2)
    lp.add_constraints("capacity", [[1, 0], [0, 2], [3, 2], [1, 1]], upper=[4, 12, 18, 8])
    res = lp.solve([3 * s, 5 * s], maximize=maximize, backend=backend, options=options)
    tol = _tol(options) * 10
    assert res.status is Status.OPTIMAL
    np.testing.assert_allclose(res.x, [2, 6], atol=tol)
    assert res.objective == pytest.approx(36 * s, abs=tol)
    y = s * np.asarray(res.duals["capacity"])
    t = y[3]
    assert -tol <= t <= 3 + tol
    np.testing.assert_allclose(y, [0, 1.5 - t / 6, 1 - t / 3, t], atol=tol)


# --------------------------------------------------------------------------- MILPs
def _knapsack(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 30, size=10)
    weights = rng.integers(1, 20, size=10)
    return values, weights, int(weights.sum() // 2)


@pytest.mark.parametrize("seed", range(3))
def test_knapsack_matches_brute_force(milp_route, seed):
    backend, options = milp_route
    values, weights, capacity = _knapsack(seed)
    subsets = ((np.arange(2**10)[:, None] >> np.arange(10)) & 1).astype(np.int64)
    feasible = subsets @ weights <= capacity
    best = int((subsets @ values)[feasible].max())
    lp = LinearProgram(10, ub=1, integrality=np.ones(10, bool))
    lp.add_constraints("weight", [weights], upper=[capacity])
    res = lp.solve(values, maximize=True, backend=backend, options=options)
    assert res.status is Status.OPTIMAL
    assert res.objective == pytest.approx(best, abs=1e-6)
    chosen = np.round(res.x).astype(np.int64)
    assert chosen @ weights <= capacity and chosen @ values == best
    assert res.duals == {} and res.certificate.integrality_residual <= 1e-7


def test_assignment_matches_brute_force(milp_route):
    backend, options = milp_route
    cost = np.array([[9, 2, 7, 8], [6, 4, 3, 7], [5, 8, 1, 8], [7, 6, 9, 4]])
    best = min(sum(cost[i, p[i]] for i in range(4)) for p in itertools.permutations(range(4)))
    rows = np.kron(np.eye(4), np.ones(4))  # worker i does one job
    cols = np.kron(np.ones(4), np.eye(4))  # job j gets one worker
    lp = LinearProgram(16, ub=1, integrality=np.ones(16, bool))
    lp.add_constraints("workers", rows, lower=1, upper=1)
    lp.add_constraints("jobs", cols, lower=1, upper=1)
    res = lp.solve(cost.ravel(), backend=backend, options=options)
    assert res.status is Status.OPTIMAL
    assert best == 13 and res.objective == pytest.approx(best, abs=1e-6)
    perm = np.round(res.x).reshape(4, 4)
    assert (perm.sum(0) == 1).all() and (perm.sum(1) == 1).all()


def test_milp_with_fractional_relaxation(milp_route):
    # max 5x1 + 4x2, 6x1 + 4x2 <= 24, x1 + 2x2 <= 6. LP optimum (3, 3/2) = 21 with y = (3/4, 1/2);
    # integer points: (4,0) = 20, (3,1) = 19, (2,2) = 18, and 21 = 5x1 + 4x2 only at (1,4), infeasible.
    backend, options = milp_route
    A, b = [[6, 4], [1, 2]], [24, 6]
    relaxed = solve_lp([5, 4], A_ub=A, b_ub=b, maximize=True, backend=backend, options=options)
    np.testing.assert_allclose(relaxed.x, [3, 1.5], atol=1e-7)
    np.testing.assert_allclose(relaxed.duals["ub"], [0.75, 0.5], atol=1e-7)
    res = solve_lp([5, 4], A_ub=A, b_ub=b, maximize=True, integrality=[True, True], backend=backend,
                   options=options)
    assert res.status is Status.OPTIMAL
    np.testing.assert_allclose(res.x, [4, 0], atol=1e-6)
    assert res.objective == pytest.approx(20, abs=1e-6)


def test_mixed_integer_and_continuous(milp_route):
    # min 2x + 3y, x + y >= 2.5, x <= 1.7, x integer: x = 1, y = 1.5 (6.5) beats x = 0, y = 2.5 (7.5).
    backend, options = milp_route
    lp = LinearProgram(2, ub=[1.7, INF], integrality=[True, False])
    lp.add_constraints("cover", [[1, 1]], lower=[2.5])
    res = lp.solve([2, 3], backend=backend, options=options)
    assert res.status is Status.OPTIMAL
    np.testing.assert_allclose(res.x, [1, 1.5], atol=1e-6)
    assert res.objective == pytest.approx(6.5, abs=1e-6)


# --------------------------------------------------------------------------- outcomes that are statuses
def test_infeasible_lp_is_a_status(route):
    backend, options = route
    lp = LinearProgram(2)
    lp.add_constraints("at_most", [[1, 1]], upper=[1])
    lp.add_constraints("at_least", [[1, 1]], lower=[2])
    res = lp.solve([1, 1], backend=backend, options=options)
    assert res.status is Status.INFEASIBLE
    assert res.x is None and np.isnan(res.objective) and res.duals == {}
    with pytest.raises(SolverError, match="status is infeasible"):
        res.raise_for_status()


def test_unbounded_lp_is_a_status(route):
    backend, options = route
    res = solve_lp([1, 0], A_ub=[[1, -1]], b_ub=[1], maximize=True, backend=backend, options=options)
    assert res.status is Status.UNBOUNDED
    with pytest.raises(SolverError, match="status is unbounded"):
        res.raise_for_status()


def test_infeasible_milp_is_a_status(milp_route):
    backend, options = milp_route
    res = solve_lp([1.0], A_ub=[[1.0], [-1.0]], b_ub=[0.8, -0.2], integrality=[True], backend=backend,
                   options=options)
    assert res.status is Status.INFEASIBLE


def test_unbounded_milp_is_a_status(milp_route):
    backend, options = milp_route
    res = solve_lp([1.0, 1.0], A_ub=[[1.0, -1.0]], b_ub=[0.5], integrality=[True, False], maximize=True,
                   backend=backend, options=options)
    assert res.status is Status.UNBOUNDED


def test_crossed_bounds_are_infeasible_without_a_solve(route):
    backend, options = route
    lp = LinearProgram(2)
    lp.set_variable_bounds(lb=[2, 0], ub=[1, 5])
    res = lp.solve([1, 1], backend=backend, options=options)
    assert res.status is Status.INFEASIBLE and "exceeds" in res.info.message


# --------------------------------------------------------------------------- re-solving a cached model
def _random_lp(seed, m=8, n=12):
    rng = np.random.default_rng(seed)
    A = rng.integers(-3, 6, size=(m, n)).astype(float)
    x0 = rng.uniform(0, 2, size=n)  # a feasible point, so every row set below stays feasible
    return A, A @ x0 + rng.uniform(0.5, 2, size=m), rng.normal(size=n)


def _fresh(A, hi, c, *, lb=0.0, ub=3.0, extra=None, maximize=False, backend="highs"):
    lp = LinearProgram(A.shape[1], lb=lb, ub=ub)
    lp.add_constraints("rows", A, upper=hi)
    if extra is not None:
        lp.add_constraints("extra", extra[0], lower=extra[1])
    return lp.solve(c, maximize=maximize, backend=backend)


@pytest.mark.parametrize("backend", INSTALLED)
def test_resolve_matches_fresh_builds(backend):
    A, hi, c = _random_lp(0)
    rng = np.random.default_rng(1)
    lp = LinearProgram(A.shape[1], ub=3.0)
    lp.add_constraints("rows", A, upper=hi)
    steps = []
    first = lp.solve(c, backend=backend)
    cache = lp._caches.get(backend)
    steps.append((first, dict(A=A, hi=hi, c=c)))
    c2 = rng.normal(size=c.size)
    steps.append((lp.solve(c2, backend=backend), dict(A=A, hi=hi, c=c2)))
    hi2 = hi * 0.7
    lp.set_bounds("rows", upper=hi2)
    steps.append((lp.solve(c2, backend=backend), dict(A=A, hi=hi2, c=c2)))
    lp.set_variable_bounds(ub=2.0)
    steps.append((lp.solve(c2, backend=backend), dict(A=A, hi=hi2, c=c2, ub=2.0)))
    extra = (np.ones((1, c.size)), [1.5])
    lp.add_constraints("extra", extra[0], lower=extra[1])
    steps.append((lp.solve(c2, backend=backend), dict(A=A, hi=hi2, c=c2, ub=2.0, extra=extra)))
    steps.append((lp.solve(-c2, maximize=True, backend=backend),
                  dict(A=A, hi=hi2, c=-c2, ub=2.0, extra=extra, maximize=True)))
    for res, data in steps:
        assert res.status is Status.OPTIMAL
        assert res.certificate.ok  # duals may differ between routes only where the LP is degenerate
        for peer in ("scipy", backend):
            fresh = _fresh(**data, backend=peer)
            assert fresh.status is Status.OPTIMAL
            assert res.objective == pytest.approx(fresh.objective, abs=1e-7)
    if backend == "highs":
        assert lp._caches["highs"] is cache and cache.builds == 1  # updated in place, never rebuilt


def test_highs_resolve_is_warm_started():
    A, hi, c = _random_lp(2)
    lp = LinearProgram(A.shape[1], ub=3.0)
    lp.add_constraints("rows", A, upper=hi)
    cold = lp.solve(c, backend="highs")
    again = lp.solve(c, backend="highs")
    assert cold.info.iterations > 0 and again.info.iterations == 0
    np.testing.assert_allclose(again.x, cold.x, atol=1e-9)


def _vertex_optimum(A, lo, hi, lb, ub, c):
    """Brute force: the best objective over all vertices of a bounded polytope (None if empty)."""
    n = A.shape[1]
    normals, rhs = [], []
    for a, l, u in zip(A, lo, hi):
        for b in (l, u):
            if np.isfinite(b):
                normals.append(a)
                rhs.append(b)
    for j in range(n):
        for b in (lb[j], ub[j]):
            normals.append(np.eye(n)[j])
            rhs.append(b)
    normals, rhs = np.array(normals, float), np.array(rhs, float)
    best = None
    for idx in itertools.combinations(range(len(rhs)), n):
        M = normals[list(idx)]
        if abs(np.linalg.det(M)) < 1e-9:
            continue
        v = np.linalg.solve(M, rhs[list(idx)])
        Av = A @ v
        if np.all(Av >= lo - 1e-9) and np.all(Av <= hi + 1e-9) and np.all(v >= lb - 1e-9) and np.all(v <= ub + 1e-9):
            val = float(c @ v)
            best = val if best is None else min(best, val)
    return best


@st.composite
def tiny_lps(draw):
    n = draw(st.integers(2, 3))
    m = draw(st.integers(1, 3))
    ints = st.integers(-3, 3)
    A = np.array(draw(st.lists(st.lists(ints, min_size=n, max_size=n), min_size=m, max_size=m)), float)
    lo = np.array([draw(st.sampled_from([-INF, -2.0, -1.0, 0.0, 1.0])) for _ in range(m)])
    hi = np.array([draw(st.sampled_from([INF, 0.0, 1.0, 2.0, 4.0])) for _ in range(m)])
    ub = np.array(draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)), float)
    costs = [np.array(draw(st.lists(ints, min_size=n, max_size=n)), float) for _ in range(3)]
    his = [hi, np.where(np.isfinite(hi), hi + draw(st.integers(-2, 2)), hi)]
    return A, lo, his, np.zeros(n), ub, costs


@settings(max_examples=25)
@given(tiny_lps())
def test_cached_resolves_match_vertex_enumeration(data):
    A, lo, his, lb, ub, costs = data
    programs = {}
    for backend in INSTALLED:
        programs[backend] = LinearProgram(A.shape[1], lb=lb, ub=ub)
        programs[backend].add_constraints("rows", A, lower=lo, upper=his[0])
    for hi in his:
        for backend, lp in programs.items():
            lp.set_bounds("rows", upper=hi)
        for c in costs:
            expected = _vertex_optimum(A, lo, hi, lb, ub, c)
            for backend, lp in programs.items():
                res = lp.solve(c, backend=backend)
                if np.any(lo > hi) or expected is None:
                    assert res.status is Status.INFEASIBLE, (backend, res)
                else:
                    assert res.status is Status.OPTIMAL, (backend, res)
                    assert res.objective == pytest.approx(expected, abs=1e-6), backend
                    assert res.certificate.ok
