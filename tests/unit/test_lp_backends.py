"""The LP/MILP backend seam: capability records, selection, options, caching, silence."""

from __future__ import annotations

import dataclasses
import importlib.util
import pickle
import subprocess
import sys

import numpy as np
import pytest

from solvers import BackendUnavailableError, Status, ValidationError
from solvers import backends
from solvers.lp import BackendInfo, LinearProgram, available_backends, solve_lp

INSTALLED = [b.name for b in available_backends() if b.installed]
PACKAGES = {"highs": "highspy", "scipy": "scipy", "cvxpy": "cvxpy"}


def test_capability_records():
    records = available_backends()
    assert [r.name for r in records] == ["highs", "scipy", "cvxpy"]
    for r in records:
        assert isinstance(r, BackendInfo)
        assert r.package == PACKAGES[r.name]
        assert r.installed == (importlib.util.find_spec(r.package) is not None)
        assert r.lp and r.milp and r.duals
    assert {r.name: r.warm_start for r in records} == {"highs": True, "scipy": False, "cvxpy": True}
    with pytest.raises(dataclasses.FrozenInstanceError):
        records[0].installed = False


def test_listing_backends_imports_none_of_them():
    code = ("import sys, solvers, solvers.lp\n"
            "solvers.lp.available_backends()\n"
            "print(','.join(m for m in ('highspy', 'cvxpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.skipif("highs" not in INSTALLED, reason="highspy is not installed")
def test_highs_backend_prints_nothing():
    code = ("from solvers.lp import solve_lp\n"
            "r = solve_lp([1.0, 2.0], A_ub=[[-1.0, -1.0]], b_ub=[-1.0], backend='highs')\n"
            "r2 = solve_lp([1.0, 2.0], A_ub=[[-1.0, -1.0]], b_ub=[-1.0], integrality=[True, True], backend='highs')\n"
            "assert r.status.ok and r2.status.ok\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "" and out.stderr == ""


def test_auto_prefers_highs():
    res = solve_lp([1.0], A_ub=[[-1.0]], b_ub=[-2.0])
    assert res.info.backend == ("highs" if "highs" in INSTALLED else "scipy")


def test_unknown_backend_lists_the_backends():
    with pytest.raises(ValidationError, match=r"The 'backend' parameter of LinearProgram\.solve must be one of "
                                              r"'auto', 'highs', 'scipy', 'cvxpy'\. Got 'higs' instead\. "
                                              r"Did you mean 'highs'\?"):
        LinearProgram(1).solve([1.0], backend="higs")
    with pytest.raises(ValidationError, match=r"'backend' parameter of solve_lp must be one of .* Got None"):
        solve_lp([1.0], backend=None)


def test_uninstalled_backend_says_how_to_install_it(monkeypatch):
    real = backends._installed
    monkeypatch.setattr(backends, "_installed", lambda package: package != "highspy" and real(package))
    assert not available_backends()[0].installed
    with pytest.raises(BackendUnavailableError,
                       match=r"The 'highs' backend of LinearProgram\.solve needs the package 'highspy', which is "
                             r"not installed\. It is a core dependency of alignment-mechanisms: reinstall it with "
                             r"pip install highspy"):
        LinearProgram(1).solve([1.0], backend="highs")
    res = LinearProgram(1).solve([1.0], backend="auto")  # falls back to scipy
    assert res.status is Status.OPTIMAL and res.info.backend == "scipy"


def _lp():
    lp = LinearProgram(2)
    lp.add_constraints("capacity", [[1, 0], [0, 2], [3, 2]], upper=[4, 12, 18])
    return lp


@pytest.mark.skipif("highs" not in INSTALLED, reason="highspy is not installed")
def test_highs_options_are_applied_and_reset():
    lp = _lp()
    res = lp.solve([3, 5], maximize=True, backend="highs", options={"presolve": "off", "simplex_strategy": 4})
    assert res.status is Status.OPTIMAL and res.objective == pytest.approx(36)
    highs = lp._caches["highs"].highs
    assert highs.getOptionValue("simplex_strategy")[1] == 4
    lp.solve([3, 5], maximize=True, backend="highs")
    assert highs.getOptionValue("simplex_strategy")[1] != 4 and highs.getOptionValue("presolve")[1] == "choose"
    assert highs.getOptionValue("output_flag")[1] is False
    with pytest.raises(ValidationError, match=r"'options' parameter of LinearProgram\.solve must hold valid "
                                              r"HiGHS options\. Got no_such_option=1"):
        lp.solve([3, 5], backend="highs", options={"no_such_option": 1})
    assert lp.solve([3, 5], maximize=True, backend="highs").objective == pytest.approx(36)


def test_scipy_options_pass_through():
    res = _lp().solve([3, 5], maximize=True, backend="scipy", options={"presolve": False})
    assert res.status is Status.OPTIMAL and res.objective == pytest.approx(36)


@pytest.mark.skipif("cvxpy" not in INSTALLED, reason="cvxpy is not installed")
def test_cvxpy_solver_option_is_checked():
    with pytest.raises(ValidationError, match=r"must name an installed cvxpy solver under 'solver'"):
        _lp().solve([3, 5], backend="cvxpy", options={"solver": "NO_SUCH_SOLVER"})
    with pytest.raises(ValidationError, match=r"must name a mixed-integer solver for a MILP"):
        solve_lp([1.0], integrality=[True], backend="cvxpy", options={"solver": "CLARABEL"})


@pytest.mark.skipif("cvxpy" not in INSTALLED, reason="cvxpy is not installed")
def test_cvxpy_reuses_its_compiled_problem():
    lp = _lp()
    lp.solve([3, 5], maximize=True, backend="cvxpy")
    cache = lp._caches["cvxpy"]
    lp.set_bounds("capacity", upper=[4, 12, 20])
    res = lp.solve([3, 6], maximize=True, backend="cvxpy")
    assert lp._caches["cvxpy"] is cache
    # (4/3... ) by hand: rows 2, 3 active: x2 = 6, 3x1 = 20 - 12 -> x1 = 8/3; 3 * 8/3 + 6 * 6 = 44.
    assert res.objective == pytest.approx(44, abs=1e-7)
    lp.set_bounds("capacity", upper=[np.inf, 12, 20])  # structure changes: compiled again
    res = lp.solve([3, 6], maximize=True, backend="cvxpy")
    assert lp._caches["cvxpy"] is not cache and res.objective == pytest.approx(44, abs=1e-7)


@pytest.mark.parametrize("backend", INSTALLED)
def test_time_limit_is_a_status(backend):
    rng = np.random.default_rng(0)
    A = rng.normal(size=(60, 80))
    lp = LinearProgram(80, ub=1.0)
    lp.add_constraints("rows", A, upper=np.abs(A).sum(1) / 3)
    res = lp.solve(rng.normal(size=80), backend=backend, time_limit=1e-9)
    assert res.status is Status.TIME_LIMIT and res.x is None


@pytest.mark.parametrize("backend", INSTALLED)
def test_pickled_program_solves_the_same(backend):
    lp = _lp()
    first = lp.solve([3, 5], maximize=True, backend=backend)
    clone = pickle.loads(pickle.dumps(lp))
    assert clone._caches == {}
    again = clone.solve([3, 5], maximize=True, backend=backend)
    assert again.objective == pytest.approx(first.objective) == pytest.approx(36)


def test_inputs_are_not_mutated_and_program_owns_copies():
    A = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 2.0]])
    b = np.array([4.0, 12.0, 18.0])
    c = np.array([3.0, 5.0])
    lb = np.zeros(2)
    saved = [a.copy() for a in (A, b, c, lb)]
    lp = LinearProgram(2, lb=lb)
    lp.add_constraints("capacity", A, upper=b)
    res = lp.solve(c, maximize=True)
    for a, s in zip((A, b, c, lb), saved):
        np.testing.assert_array_equal(a, s)
        assert a.flags.writeable
    A[2, 0] = 100.0  # the program keeps its own copy
    b[0] = -1.0
    assert lp.solve(c, maximize=True).objective == pytest.approx(res.objective)
    assert not lp.lb.flags.writeable and not lp.integrality.flags.writeable


def test_repr_of_a_program():
    assert repr(_lp()) == "LinearProgram(LP, n_variables=2, rows=3, families: capacity[3])"
