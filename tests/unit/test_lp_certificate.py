"""The numpy re-check after an LP/MILP solve, fed hand-made solutions with hand-computed residuals.

A stand-in backend returns a chosen (x, y, z); the expected residuals are worked
out by hand in each test from the definitions documented on LPCertificate.
"""

from __future__ import annotations

import numpy as np
import pytest

from solvers import SolverError, Status
from solvers.backends import _scipy
from solvers.backends._base import RawSolution
from solvers.lp import LinearProgram, solve_lp


@pytest.fixture
def fake(monkeypatch):
    """Make backend='scipy' return the given solution instead of solving."""

    def install(x, y=None, z=None, status=Status.OPTIMAL):
        def solve(model, c, **kwargs):
            arr = (lambda v: None if v is None else np.asarray(v, dtype=float))
            return RawSolution(status, arr(x), arr(y), arr(z), "stand-in", None, "stand-in solution"), None

        monkeypatch.setattr(_scipy, "solve", solve)

    return install


def _wyndor():
    lp = LinearProgram(2)
    lp.add_constraints("capacity", [[1, 0], [0, 2], [3, 2]], upper=[4, 12, 18])
    return lp


def test_exact_optimum_passes_for_maximize(fake):
    fake([2, 6], y=[0, 1.5, 1], z=[0, 0])
    res = _wyndor().solve([3, 5], maximize=True, backend="scipy")
    assert res.status is Status.OPTIMAL and res.certificate.failures() == {}
    assert res.objective == 36.0


def test_exact_optimum_passes_for_minimize(fake):
    fake([2, 6], y=[0, -1.5, -1], z=[0, 0])
    res = _wyndor().solve([-3, -5], backend="scipy")
    assert res.status is Status.OPTIMAL and res.certificate.ok


def test_primal_violation_is_scaled_by_the_bound(fake):
    # x2 = 6.001: row 2 reads 12.002 > 12 (0.002 / 13), row 3 reads 18.002 > 18 (0.002 / 19).
    fake([2, 6.001], y=[0, 1.5, 1], z=[0, 0])
    res = _wyndor().solve([3, 5], maximize=True, backend="scipy")
    assert res.status is Status.INACCURATE
    assert res.certificate.primal_residual == pytest.approx(0.002 / 13)
    assert "primal_residual" in res.certificate.failures()
    assert res.x is not None and "numpy re-check" in res.info.message
    with pytest.raises(SolverError, match=r"status is inaccurate\. Residuals above tolerance: primal_residual="):
        res.raise_for_status()


def test_minimize_duals_fail_a_maximize_problem(fake):
    # Duals of the wrong sense: c - A.T y = (3, 5) - (-3, -5) = (6, 10), and y2 = -1.5 < 0 would belong to the
    # (infinite) lower side of row 2 when maximizing. dual_residual = max(10, 1.5) / (1 + 5).
    fake([2, 6], y=[0, -1.5, -1], z=[0, 0])
    res = _wyndor().solve([3, 5], maximize=True, backend="scipy")
    assert res.status is Status.INACCURATE
    assert res.certificate.dual_residual == pytest.approx(10 / 6)


def test_sign_of_a_multiplier_must_point_to_a_finite_bound(fake):
    # min x s.t. x <= 5 (no lower side), x >= 0. Claim y = 1 (so z = 0 keeps stationarity): when
    # minimizing, a positive multiplier belongs to the lower side, which is infinite -> 1 / (1 + 1).
    fake([0], y=[1.0], z=[0.0])
    res = solve_lp([1.0], A_ub=[[1.0]], b_ub=[5.0], backend="scipy")
    assert res.certificate.dual_residual == pytest.approx(0.5)
    assert res.status is Status.INACCURATE


def test_complementarity_and_duality_gap(fake):
    # min x, x >= 1 (row a), x >= 0.5 (row b); optimum x = 1, true duals (1, 0). Claim (0, 1) instead:
    # stationarity holds, but row b is slack by 0.5: complementarity 1 * 0.5 / (1 + 1) = 0.25, and the
    # dual objective 0.5 is off by 0.5: gap 0.5 / 2.
    fake([1.0], y=[0.0, 1.0], z=[0.0])
    lp = LinearProgram(1)
    lp.add_constraints("a", [[1.0]], lower=[1.0])
    lp.add_constraints("b", [[1.0]], lower=[0.5])
    res = lp.solve([1.0], backend="scipy")
    cert = res.certificate
    assert cert.dual_residual == 0 and cert.complementarity == pytest.approx(0.25)
    assert cert.duality_gap == pytest.approx(0.25)
    assert set(cert.failures()) == {"complementarity", "duality_gap"}


def test_reduced_costs_at_nonzero_bounds_enter_the_dual_objective(fake):
    # min x1 + 2x2 + 3x3, x1 + x2 + x3 = 6, x >= 1: y = 1, z = (0, 1, 2); dual objective 6 + 1 + 2 = 9.
    fake([4, 1, 1], y=[1.0], z=[0, 1, 2])
    lp = LinearProgram(3, lb=1.0)
    lp.add_constraints("total", [[1, 1, 1]], lower=[6], upper=[6])
    res = lp.solve([1, 2, 3], backend="scipy")
    assert res.status is Status.OPTIMAL and res.certificate.duality_gap == 0
    fake([4, 1, 1], y=[1.0], z=[0, 1, 2.5])  # a wrong reduced cost breaks stationarity by 0.5 / (1 + 3)
    res = lp.solve([1, 2, 3], backend="scipy")
    assert res.certificate.dual_residual == pytest.approx(0.125)


def test_integrality_residual(fake):
    fake([0.5, 2.0])
    res = solve_lp([1.0, 1.0], integrality=[True, True], backend="scipy")
    assert res.status is Status.INACCURATE
    assert res.certificate.integrality_residual == pytest.approx(0.5)
    assert res.duals == {}


def test_atol_decides(fake):
    fake([2, 6 + 1e-9], y=[0, 1.5, 1], z=[0, 0])
    assert _wyndor().solve([3, 5], maximize=True, backend="scipy").status is Status.OPTIMAL
    res = _wyndor().solve([3, 5], maximize=True, backend="scipy", atol=1e-12)
    assert res.status is Status.INACCURATE and res.certificate.atol == 1e-12


def test_optimal_without_a_solution_is_an_error(monkeypatch):
    monkeypatch.setattr(_scipy, "solve", lambda model, c, **kw: (
        RawSolution(Status.OPTIMAL, None, None, None, "stand-in"), None))
    res = solve_lp([1.0], backend="scipy")
    assert res.status is Status.ERROR and res.x is None


def test_duals_are_split_by_family(fake):
    fake([3, -1], y=[1.5, -0.5], z=[0, 0])
    lp = LinearProgram(2, lb=-np.inf)
    lp.add_constraints("floor", [[1, 1]], lower=[2])
    lp.add_constraints("spread", [[1, -1]], upper=[4])
    res = lp.solve([1, 2], backend="scipy")
    assert list(res.duals) == ["floor", "spread", "bounds"]
    assert res.duals["floor"].tolist() == [1.5] and res.duals["spread"].tolist() == [-0.5]
