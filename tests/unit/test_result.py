"""The shared result types: statuses, certificates, frozen results and their messages."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from solvers import Certificate, Result, SolverError, SolverInfo, Status
from solvers.result import frozen_mapping, readonly


@dataclasses.dataclass(frozen=True, repr=False)
class RegretCertificate(Certificate):
    ic_regret: float = 0.0
    budget_residual: float = 0.0


def _result(status=Status.OPTIMAL, cert=None, message="", x=(1.0, 2.0), duals=None):
    x = None if x is None else np.array(x)
    return Result(status, x, 3.5, {"ic": np.array([0.5, 0.0])} if duals is None else duals,
                  cert or RegretCertificate(atol=1e-6), SolverInfo("highs", "HiGHS", 0.0123, 7, message))


def test_only_optimal_is_ok():
    assert [s for s in Status if s.ok] == [Status.OPTIMAL]
    assert repr(Status.TIME_LIMIT) == "Status.TIME_LIMIT" and Status.INACCURATE.value == "inaccurate"


def test_certificate_failures_compare_against_atol():
    cert = RegretCertificate(atol=1e-6, ic_regret=2e-6, budget_residual=1e-6)
    assert cert.residuals() == {"ic_regret": 2e-6, "budget_residual": 1e-6}
    assert cert.failures() == {"ic_regret": 2e-6} and not cert.ok
    assert RegretCertificate(atol=1e-6, ic_regret=-1e-7).ok  # magnitudes are compared
    assert RegretCertificate(ic_regret=float("nan")).failures().keys() == {"ic_regret"}  # NaN never passes
    assert repr(cert) == "RegretCertificate(ic_regret=2e-06, budget_residual=1e-06, atol=1e-06)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cert.ic_regret = 0.0


def test_solver_info_repr():
    assert repr(SolverInfo("highs", "HiGHS", 0.0123, 7)) == "SolverInfo(highs/HiGHS, time=12.30 ms, iterations=7)"
    assert repr(SolverInfo("scipy", "linprog", 0.5)) == "SolverInfo(scipy/linprog, time=500.00 ms)"


def test_result_is_frozen_and_read_only():
    res = _result()
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.status = Status.ERROR
    with pytest.raises(ValueError):
        res.x[0] = 5.0
    with pytest.raises(TypeError):
        res.duals["ic"] = np.zeros(2)
    with pytest.raises(ValueError):
        res.duals["ic"][0] = 1.0


def test_result_does_not_freeze_the_callers_arrays():
    x = np.array([1.0, 2.0])
    duals = {"ic": np.array([0.5])}
    Result(Status.OPTIMAL, x, 0.0, duals, Certificate(), SolverInfo("b", "s", 0.0))
    assert x.flags.writeable and duals["ic"].flags.writeable
    duals["extra"] = np.zeros(1)  # the caller's dict is not the result's mapping


def test_raise_for_status_returns_self_when_optimal():
    res = _result()
    assert res.raise_for_status() is res and res.ok


def test_raise_for_status_messages():
    with pytest.raises(SolverError, match=r"^Result status is infeasible\. Solver message: primal infeasible$"):
        _result(Status.INFEASIBLE, message="primal infeasible", x=None).raise_for_status()
    with pytest.raises(SolverError, match=r"^Result status is time_limit\.$"):
        _result(Status.TIME_LIMIT, x=None).raise_for_status()
    cert = RegretCertificate(atol=1e-6, ic_regret=0.25)
    with pytest.raises(SolverError, match=r"status is inaccurate\. Residuals above tolerance: ic_regret=0\.25 "
                                          r"\(atol=1e-06\)\."):
        _result(Status.INACCURATE, cert=cert).raise_for_status()
    assert issubclass(SolverError, RuntimeError)


def test_repr_and_html():
    res = _result()
    text = repr(res)
    assert text.startswith("Result(status=optimal, objective=3.5, certificate=RegretCertificate(")
    assert "info=SolverInfo(highs/HiGHS" in text
    html = res._repr_html_()
    assert html.startswith("<table><caption>Result</caption>")
    assert "<th style='text-align:left'>certificate.ic_regret</th><td>0</td>" in html
    odd = Result(Status.ERROR, None, float("nan"), {}, Certificate(), SolverInfo("a<b", "s", 0.0))
    assert "a&lt;b" in odd._repr_html_()


def test_helpers():
    assert readonly(None) is None
    arr = readonly([1, 2], dtype=float)
    assert arr.dtype == float and not arr.flags.writeable
    m = frozen_mapping({"a": np.zeros(1), "b": 3})
    assert m["b"] == 3 and not m["a"].flags.writeable
    assert dict(frozen_mapping(None)) == {}
