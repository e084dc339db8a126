"""The scipy backend: HiGHS through ``scipy.optimize.linprog`` / ``milp``, rebuilt on every solve.

It shares no code path with the direct HiGHS backend beyond the HiGHS library
itself, which makes it the independent second route of the conformance suite.
``linprog`` takes one-sided rows, so two-sided rows are split and their
marginals recombined; marginals of the minimized problem are turned into the
toolkit's convention (derivative of the optimal objective, in the problem's own
sense, with respect to the active bound).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..result import Status
from ._base import Model, RawSolution

_STATUS = {0: Status.OPTIMAL, 1: Status.ITERATION_LIMIT, 2: Status.INFEASIBLE, 3: Status.UNBOUNDED}


def _status(res) -> Status:
    message = str(res.message).lower()
    status = _STATUS.get(res.status, Status.ERROR)
    if status is Status.ITERATION_LIMIT and "time" in message:
        status = Status.TIME_LIMIT
    if status is Status.ERROR and "unbounded or infeasible" in message:
        status = Status.INFEASIBLE_OR_UNBOUNDED
    return status


def _run(model: Model, c, maximize, options):
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    sign = -1.0 if maximize else 1.0
    A, lo, hi = model.A, model.row_lower, model.row_upper
    if model.is_mip:
        constraints = [LinearConstraint(A, lo, hi)] if A.shape[0] else []
        res = milp(sign * c, constraints=constraints, bounds=Bounds(model.col_lower, model.col_upper),
                   integrality=model.integrality.astype(int), options=options)
        return res, None, None
    fin_lo, fin_hi = np.isfinite(lo), np.isfinite(hi)
    eq = fin_lo & fin_hi & (lo == hi)
    up = fin_hi & ~eq
    dn = fin_lo & ~eq
    n_up = int(up.sum())
    A_ub = sp.vstack([A[up], -A[dn]], format="csr") if (up.any() or dn.any()) else None
    b_ub = np.concatenate([hi[up], -lo[dn]]) if A_ub is not None else None
    res = linprog(sign * c, A_ub=A_ub, b_ub=b_ub, A_eq=A[eq] if eq.any() else None,
                  b_eq=lo[eq] if eq.any() else None, bounds=np.column_stack([model.col_lower, model.col_upper]),
                  method="highs", options=options)
    if res.status != 0:
        return res, None, None
    # Marginals are d(min sign*c@x)/d(b); multiply by sign for d(own objective)/d(bound).
    row_duals = np.zeros(A.shape[0])
    if A_ub is not None:
        marg = res.ineqlin.marginals
        row_duals[up] += marg[:n_up]
        row_duals[dn] -= marg[n_up:]  # the row -a @ x <= -lo: d/d(lo) = -d/d(-lo)
    if eq.any():
        row_duals[eq] = res.eqlin.marginals
    col_duals = res.lower.marginals + res.upper.marginals
    return res, sign * row_duals, sign * col_duals


def solve(model: Model, c, *, maximize: bool, time_limit, atol: float, options, cache, owner: str = "solve"):
    """Solve ``model`` with scipy.optimize (no cache: every call rebuilds)."""
    opts = dict(options or {})
    if time_limit is not None:
        opts.setdefault("time_limit", float(time_limit))
    if not model.is_mip:
        opts.setdefault("primal_feasibility_tolerance", min(1e-7, atol))
        opts.setdefault("dual_feasibility_tolerance", min(1e-7, atol))
    res, row_duals, col_duals = _run(model, c, maximize, opts)
    status = _status(res)
    if status is Status.INFEASIBLE_OR_UNBOUNDED and opts.get("presolve", True):
        res, row_duals, col_duals = _run(model, c, maximize, {**opts, "presolve": False})
        status = _status(res)
    x = np.asarray(res.x, dtype=np.float64) if status is Status.OPTIMAL and res.x is not None else None
    solver = "HiGHS (scipy.optimize." + ("milp" if model.is_mip else "linprog") + ")"
    return RawSolution(status, x, row_duals, col_duals, solver, getattr(res, "nit", None), str(res.message)), None
