"""Linear and mixed-integer programs: one function, several backends, one result type.

Problem form (HiGHS's native row-bounds form)::

    minimize (or maximize)  c @ x
    subject to              row_lower[f] <= A[f] @ x <= row_upper[f]   for each named family f
                            lb <= x <= ub,   x[j] integer where integrality[j]

Two entry points:

* :func:`solve_lp` for a one-off program given as arrays;
* :class:`LinearProgram`, a builder with *named constraint families* that is
  built once and re-solved with new costs or bounds (``lp.solve(c=...)``),
  which is what hot loops should use.

Dual sign convention (every backend): ``result.duals[family][i]`` is the
derivative of the optimal objective value, in the problem's own sense
(minimize or maximize), with respect to the active bound of row ``i``; zero for
rows whose constraint is slack.  ``result.duals["bounds"]`` holds the reduced
costs of the variables, with the same convention for the variable bounds.  MILPs
return no duals.
"""

from __future__ import annotations

import time
import dataclasses

import numpy as np
import scipy.sparse as sp

from .errors import ValidationError
from .result import Certificate, Result, SolverInfo, Status
from .validation import check_array, check_option, check_real, fail

__all__ = ["LPCertificate", "LPResult", "LinearProgram", "solve_lp"]


@dataclasses.dataclass(frozen=True, repr=False)
class LPCertificate(Certificate):
    """Residuals of an LP/MILP solution recomputed in numpy against the original data.

    primal_residual : largest violation of a row or variable bound.
    integrality_residual : largest distance of an integer variable from an integer.
    dual_residual : largest violation of dual feasibility (LPs with duals only).
    duality_gap : |c @ x - dual objective| (LPs with duals only), relative to 1 + |c @ x|.
    """

    primal_residual: float = 0.0
    integrality_residual: float = 0.0
    dual_residual: float = 0.0
    duality_gap: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class LPResult(Result):
    """Result of :func:`solve_lp` / :meth:`LinearProgram.solve`."""

    def _summary_fields(self):
        return {"objective": self.objective, "x": self.x}


_BACKENDS = ("auto", "highs", "scipy", "cvxpy")


def _as_matrix(A, n, name, owner):
    if sp.issparse(A):
        A = sp.csr_array(A, dtype=np.float64)
        if A.shape[1] != n:
            fail(name, owner, f"a matrix with {n} columns (one per variable)", A)
        if A.nnz and not np.all(np.isfinite(A.data)):
            fail(name, owner, "finite (no NaN or infinity)", A)
        return A
    A = check_array(A, name, owner, ndim=(1, 2))
    if A.ndim == 1:
        A = A[None, :]
    if A.shape[1] != n:
        fail(name, owner, f"a matrix with {n} columns (one per variable)", A)
    return sp.csr_array(A)


def _bound_vector(value, size, name, owner, default):
    if value is None:
        return np.full(size, default, dtype=np.float64)
    arr = np.asarray(value, dtype=np.float64) if not isinstance(value, (int, float)) else np.full(size, float(value))
    arr = np.broadcast_to(arr, (size,)) if arr.ndim == 0 else arr
    if arr.shape != (size,):
        fail(name, owner, f"a scalar or a vector of length {size}", value)
    if np.any(np.isnan(arr)):
        fail(name, owner, "free of NaN (use -inf/inf for a missing bound)", value)
    return arr.astype(np.float64)


class LinearProgram:
    """An LP/MILP with named constraint families, built once and re-solved.

    Parameters
    ----------
    n_variables : int
    lb, ub : float or array, optional
        Variable bounds (default ``0 <= x``, no upper bound).
    integrality : array of bool, optional
        Which variables must be integers (a MILP).

    Examples
    --------
    >>> lp = LinearProgram(2)
    >>> lp.add_constraints("capacity", [[1.0, 1.0]], upper=[4.0])
    >>> res = lp.solve([-1.0, -2.0])
    >>> res.status, round(res.objective, 9), res.x.tolist()
    (Status.OPTIMAL, -8.0, [0.0, 4.0])
    >>> float(res.duals["capacity"][0])   # d(objective)/d(capacity)
    -2.0
    """

    _owner = "LinearProgram"

    def __init__(self, n_variables: int, *, lb=0.0, ub=None, integrality=None):
        from .validation import check_int

        self.n_variables = check_int(n_variables, "n_variables", self._owner, low=1)
        n = self.n_variables
        self.lb = _bound_vector(lb, n, "lb", self._owner, 0.0)
        self.ub = _bound_vector(ub, n, "ub", self._owner, np.inf)
        if integrality is None:
            self.integrality = np.zeros(n, dtype=bool)
        else:
            self.integrality = np.asarray(check_array(integrality, "integrality", self._owner, dtype="bool", shape=(n,)))
        self._families: dict[str, tuple[sp.csr_array, np.ndarray, np.ndarray]] = {}
        self._stacked = None

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self._families)

    def add_constraints(self, name: str, A, *, lower=None, upper=None) -> None:
        """Add the row family ``lower <= A @ x <= upper`` under ``name``."""
        if not isinstance(name, str) or not name or name == "bounds" or name in self._families:
            fail("name", f"{self._owner}.add_constraints", "a new, nonempty family name other than 'bounds'", name)
        A = _as_matrix(A, self.n_variables, "A", f"{self._owner}.add_constraints")
        m = A.shape[0]
        lo = _bound_vector(lower, m, "lower", f"{self._owner}.add_constraints", -np.inf)
        hi = _bound_vector(upper, m, "upper", f"{self._owner}.add_constraints", np.inf)
        if lower is None and upper is None:
            fail("upper", f"{self._owner}.add_constraints", "given (or 'lower' given)", None, show_got=False)
        self._families[name] = (A, lo, hi)
        self._stacked = None

    def set_bounds(self, name: str, *, lower=None, upper=None) -> None:
        """Replace the row bounds of an existing family (the program is not rebuilt)."""
        if name not in self._families:
            fail("name", f"{self._owner}.set_bounds", "an existing family: " + ", ".join(self._families), name)
        A, lo, hi = self._families[name]
        m = A.shape[0]
        if lower is not None:
            lo = _bound_vector(lower, m, "lower", f"{self._owner}.set_bounds", -np.inf)
        if upper is not None:
            hi = _bound_vector(upper, m, "upper", f"{self._owner}.set_bounds", np.inf)
        self._families[name] = (A, lo, hi)
        self._stacked = None

    def _stack(self):
        if self._stacked is None:
            names = list(self._families)
            if names:
                A = sp.vstack([self._families[f][0] for f in names], format="csr")
                lo = np.concatenate([self._families[f][1] for f in names])
                hi = np.concatenate([self._families[f][2] for f in names])
            else:
                A = sp.csr_array((0, self.n_variables))
                lo = hi = np.zeros(0)
            offsets = np.cumsum([0] + [self._families[f][0].shape[0] for f in names])
            self._stacked = (A, lo, hi, {f: slice(offsets[i], offsets[i + 1]) for i, f in enumerate(names)})
        return self._stacked

    def solve(self, c, *, maximize: bool = False, backend: str = "auto", atol: float = 1e-7,
              time_limit: float | None = None) -> LPResult:
        """Solve with objective ``c``; returns an :class:`LPResult` (never raises on infeasibility)."""
        owner = f"{self._owner}.solve"
        c = check_array(c, "c", owner, shape=(self.n_variables,))
        check_option(backend, "backend", owner, _BACKENDS)
        atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
        if time_limit is not None:
            time_limit = check_real(time_limit, "time_limit", owner, low=0.0, low_open=True)
        A, lo, hi, slices = self._stack()
        if np.any(lo > hi) or np.any(self.lb > self.ub):
            info = SolverInfo(backend="none", solver="bounds check", time=0.0, message="a lower bound exceeds its upper bound")
            return LPResult(Status.INFEASIBLE, None, float("nan"), {}, LPCertificate(atol=atol), info)
        start = time.perf_counter()
        status, x, row_duals, col_duals, info = _solve_scipy(c, A, lo, hi, self.lb, self.ub, self.integrality,
                                                             maximize, time_limit)
        elapsed = time.perf_counter() - start
        info = dataclasses.replace(info, time=elapsed)
        return _finish(status, x, row_duals, col_duals, info, c, A, lo, hi, self.lb, self.ub,
                       self.integrality, maximize, slices, atol)


def _solve_scipy(c, A, lo, hi, lb, ub, integrality, maximize, time_limit):
    from scipy.optimize import Bounds, LinearConstraint, milp

    sign = -1.0 if maximize else 1.0
    constraints = [LinearConstraint(A, lo, hi)] if A.shape[0] else []
    options = {"time_limit": time_limit} if time_limit else {}
    is_mip = bool(np.any(integrality))
    if is_mip:
        res = milp(sign * c, constraints=constraints, bounds=Bounds(lb, ub), integrality=integrality.astype(int),
                   options=options)
        row_duals = col_duals = None
    else:
        from scipy.optimize import linprog

        # linprog takes one-sided rows: split two-sided rows.
        fin_hi = np.isfinite(hi)
        fin_lo = np.isfinite(lo)
        eq = fin_hi & fin_lo & (lo == hi)
        up = fin_hi & ~eq
        dn = fin_lo & ~eq
        A_ub = sp.vstack([A[up], -A[dn]], format="csr") if (up.any() or dn.any()) else None
        b_ub = np.concatenate([hi[up], -lo[dn]]) if A_ub is not None else None
        res = linprog(sign * c, A_ub=A_ub, b_ub=b_ub, A_eq=A[eq] if eq.any() else None,
                      b_eq=lo[eq] if eq.any() else None, bounds=np.column_stack([lb, ub]), method="highs",
                      options=options)
        row_duals = col_duals = None
        if res.status == 0:
            row_duals = np.zeros(A.shape[0])
            if A_ub is not None:
                m_ub = res.ineqlin.marginals
                row_duals[up] += m_ub[: up.sum()]
                row_duals[dn] -= m_ub[up.sum():]
            if eq.any():
                row_duals[eq] = res.eqlin.marginals
            col_duals = res.lower.marginals + res.upper.marginals
            row_duals *= sign
            col_duals = col_duals * sign
    status = {0: Status.OPTIMAL, 1: Status.ITERATION_LIMIT, 2: Status.INFEASIBLE, 3: Status.UNBOUNDED}.get(
        res.status, Status.ERROR)
    if status is Status.ITERATION_LIMIT and "time" in str(res.message).lower():
        status = Status.TIME_LIMIT
    x = res.x if status is Status.OPTIMAL else None
    info = SolverInfo(backend="scipy", solver="HiGHS (scipy.optimize)", time=0.0,
                      iterations=getattr(res, "nit", None), message=str(res.message))
    return status, x, row_duals, col_duals, info


def _finish(status, x, row_duals, col_duals, info, c, A, lo, hi, lb, ub, integrality, maximize, slices, atol):
    """Recompute residuals in numpy and package the result."""
    if status is not Status.OPTIMAL or x is None:
        return LPResult(status, None, float("nan"), {}, LPCertificate(atol=atol), info)
    x = np.asarray(x, dtype=np.float64)
    Ax = A @ x
    with np.errstate(invalid="ignore"):
        primal = max(
            float(np.max(np.maximum(lo - Ax, 0.0), initial=0.0)),
            float(np.max(np.maximum(Ax - hi, 0.0), initial=0.0)),
            float(np.max(np.maximum(lb - x, 0.0), initial=0.0)),
            float(np.max(np.maximum(x - ub, 0.0), initial=0.0)),
        )
    integ = float(np.max(np.abs(x[integrality] - np.round(x[integrality])), initial=0.0))
    objective = float(c @ x)
    dual_res = gap = 0.0
    duals = {}
    if row_duals is not None and col_duals is not None:
        y = np.asarray(row_duals, dtype=np.float64)
        z = np.asarray(col_duals, dtype=np.float64)
        # Stationarity: c = A^T y + z, in the problem's own sense.
        dual_res = float(np.max(np.abs(c - A.T @ y - z), initial=0.0))
        # Dual objective: each multiplier times the bound it is attached to.
        def _bound_term(mult, lower, upper):
            s = sign_of_active = 1.0 if maximize else -1.0  # noqa: F841
            pick_upper = (mult * (1.0 if maximize else -1.0)) > 0
            bound = np.where(pick_upper, upper, lower)
            bound = np.where(mult == 0, 0.0, bound)
            return float(np.sum(np.where(mult == 0, 0.0, mult * bound)))
        dual_obj = _bound_term(y, lo, hi) + _bound_term(z, lb, ub)
        gap = abs(objective - dual_obj) / (1.0 + abs(objective))
        duals = {name: y[s] for name, s in slices.items()}
        duals["bounds"] = z
    cert = LPCertificate(atol=atol, primal_residual=primal, integrality_residual=integ,
                         dual_residual=dual_res, duality_gap=gap)
    if not cert.ok:
        status = Status.INACCURATE
    return LPResult(status, x, objective, duals, cert, info)


def solve_lp(c, /, *, A_ub=None, b_ub=None, A_eq=None, b_eq=None, bounds=(0.0, None), integrality=None,
             maximize: bool = False, backend: str = "auto", atol: float = 1e-7,
             time_limit: float | None = None) -> LPResult:
    """Solve ``min/max c @ x`` s.t. ``A_ub @ x <= b_ub``, ``A_eq @ x == b_eq``, bounds, integrality.

    Duals are returned under the families ``"ub"``, ``"eq"`` and ``"bounds"``
    (see the module docstring for the sign convention).

    Examples
    --------
    >>> res = solve_lp([1.0, 1.0], A_ub=[[-1.0, -2.0]], b_ub=[-2.0])
    >>> round(res.objective, 9), res.x.tolist()
    (1.0, [0.0, 1.0])
    """
    owner = "solve_lp"
    c = check_array(c, "c", owner, ndim=1, min_size=1)
    n = c.size
    lo, hi = (bounds if isinstance(bounds, tuple) and len(bounds) == 2 else (None, None))
    if not (isinstance(bounds, tuple) and len(bounds) == 2):
        fail("bounds", owner, "a pair (lower, upper) of scalars or length-n vectors; None means unbounded", bounds)
    lp = LinearProgram(n, lb=-np.inf if lo is None else lo, ub=np.inf if hi is None else hi, integrality=integrality)
    if A_ub is not None:
        if b_ub is None:
            fail("b_ub", owner, "given when A_ub is", None, show_got=False)
        lp.add_constraints("ub", A_ub, upper=b_ub)
    if A_eq is not None:
        if b_eq is None:
            fail("b_eq", owner, "given when A_eq is", None, show_got=False)
        lp.add_constraints("eq", A_eq, lower=b_eq, upper=b_eq)
    return lp.solve(c, maximize=maximize, backend=backend, atol=atol, time_limit=time_limit)
