"""Linear and mixed-integer programs: one function, several backends, one result type.

Problem form (HiGHS's native row-bounds form)::

    minimize (or maximize)  c @ x
    subject to              row_lower[f] <= A[f] @ x <= row_upper[f]   for each named family f
                            lb <= x <= ub,   x[j] integer where integrality[j]

Two entry points:

* :func:`solve_lp` for a one-off program given as arrays;
* :class:`LinearProgram`, a builder with *named constraint families* that is
  built once and re-solved with new costs or bounds (``lp.solve(c)``,
  ``lp.set_bounds(...)``, ``lp.set_variable_bounds(...)``, ``lp.add_constraints(...)``,
  ``lp.set_coefficients(...)``),
  which is what hot loops should use: the ``"highs"`` backend keeps its HiGHS
  model and basis and sends only what changed.

Backends (``backend=``; see :func:`available_backends`): ``"highs"`` (direct
highspy, cached and warm-started; what ``"auto"`` picks), ``"scipy"``
(``scipy.optimize.linprog``/``milp``, rebuilt each time) and ``"cvxpy"``
(modelling route with Parameters; HiGHS, or Clarabel with
``options={"solver": "CLARABEL"}``).  ``options=`` passes backend-specific
settings (HiGHS option names for ``"highs"``, ``linprog``/``milp`` options for
``"scipy"``, ``Problem.solve`` keywords for ``"cvxpy"``).

Dual sign convention (every backend): ``result.duals[family][i]`` is the
derivative of the optimal objective value, in the problem's own sense
(minimize or maximize), with respect to the active bound of row ``i``; zero for
rows whose constraint is slack.  ``result.duals["bounds"]`` holds the reduced
costs of the variables, with the same convention for the variable bounds.  With
``y`` the stacked row duals and ``z`` the reduced costs, stationarity reads
``c = A.T @ y + z`` for minimization and maximization alike.  MILPs return no
duals.

The certificate (:class:`LPCertificate`) is recomputed in numpy against the
original data after every optimal solve; a residual above ``atol`` downgrades
the status to ``Status.INACCURATE``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from .backends import BackendInfo, available_backends, get_backend
from .backends._base import Model
from .result import Certificate, Result, SolverInfo, Status
from .validation import check_array, check_bool, check_int, check_real, fail

__all__ = ["LPCertificate", "LPResult", "LinearProgram", "solve_lp", "available_backends", "BackendInfo"]


@dataclasses.dataclass(frozen=True, repr=False)
class LPCertificate(Certificate):
    """Residuals of an LP/MILP solution recomputed in numpy against the original data.

    Attributes
    ----------
    primal_residual : float
        Largest violation of a row or variable bound, each divided by
        ``1 + |bound|``.
    integrality_residual : float
        Largest distance of an integer variable from the nearest integer.
    dual_residual : float
        Largest violation of dual feasibility, relative to ``1 + max|c|``:
        stationarity ``c = A.T @ y + z`` and the sign of each multiplier (a
        nonzero multiplier must belong to a finite bound on the side its sign
        points to).  LPs with duals only.
    complementarity : float
        Largest ``|multiplier| * |distance of the row (variable) to its active
        bound|``, relative to ``1 + |c @ x|``.  LPs with duals only.
    duality_gap : float
        ``|c @ x - dual objective|`` relative to ``1 + |c @ x|``, where the dual
        objective sums each multiplier times its active bound.  LPs with duals only.
    """

    primal_residual: float = 0.0
    integrality_residual: float = 0.0
    dual_residual: float = 0.0
    complementarity: float = 0.0
    duality_gap: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class LPResult(Result):
    """Result of :func:`solve_lp` / :meth:`LinearProgram.solve`.

    ``duals`` maps each constraint family (and ``"bounds"``) to its dual values;
    see :mod:`solvers.lp` for the sign convention.  ``x`` is None and
    ``objective`` NaN unless the status is optimal or inaccurate.
    """

    def _summary_fields(self):
        return {"objective": self.objective, "x": self.x}


def _as_matrix(A, n, name, owner):
    if sp.issparse(A):
        A = sp.csr_array(A, dtype=np.float64, copy=True)  # never share the caller's buffers
        if A.ndim != 2 or A.shape[1] != n:
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


def _bound_vector(value, size, name, owner, default, forbidden):
    """A float vector of length ``size`` from a scalar or vector; ``forbidden`` is +inf or -inf."""
    if value is None:
        return np.full(size, default, dtype=np.float64)
    arr = check_array(value, name, owner, ndim=(0, 1), finite=False)
    if arr.ndim == 0:
        arr = np.full(size, float(arr))
    if arr.shape != (size,):
        fail(name, owner, f"a scalar or a vector of length {size}", value)
    if np.any(np.isnan(arr)):
        fail(name, owner, "free of NaN (use -inf/inf or None for a missing bound)", value)
    if np.any(arr == forbidden):
        fail(name, owner, f"free of {forbidden:+} (that bound could never be met)", value)
    return np.array(arr, dtype=np.float64)


def _readonly(a):
    a = a.view()
    a.setflags(write=False)
    return a


class LinearProgram:
    """An LP/MILP with named constraint families, built once and re-solved.

    Parameters
    ----------
    n_variables : int
    lb, ub : float or array, optional
        Variable bounds (default ``0 <= x``, no upper bound); ``-inf``/``inf``
        (or None for ``ub``) for a missing bound.
    integrality : array of bool, optional
        Which variables must be integers (a MILP).

    Notes
    -----
    A ``LinearProgram`` keeps, per backend, the model it last built (a HiGHS
    model with its basis, a compiled cvxpy problem).  :meth:`solve` with new
    costs, after :meth:`set_bounds`, :meth:`set_variable_bounds`,
    :meth:`add_constraints` or :meth:`set_coefficients`, updates that model
    instead of rebuilding it.  One instance is therefore not safe to solve from
    several threads at once; a pickled copy carries the data but not the
    cached models.

    References
    ----------
    .. [1] Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex
       method", Mathematical Programming Computation 10 (2018) 119-142 (HiGHS).

    Examples
    --------
    >>> lp = LinearProgram(2)
    >>> lp.add_constraints("capacity", [[1.0, 1.0]], upper=[4.0])
    >>> res = lp.solve([-1.0, -2.0])
    >>> res.status, round(res.objective, 9), res.x.tolist()
    (Status.OPTIMAL, -8.0, [0.0, 4.0])
    >>> float(res.duals["capacity"][0])   # d(objective)/d(capacity)
    -2.0
    >>> lp.set_bounds("capacity", upper=[5.0])   # re-solved from the cached model
    >>> round(lp.solve([-1.0, -2.0]).objective, 9)
    -10.0
    """

    _owner = "LinearProgram"

    def __init__(self, n_variables: int, *, lb=0.0, ub=None, integrality=None):
        self.n_variables = n = check_int(n_variables, "n_variables", self._owner, low=1)
        self._lb = _bound_vector(lb, n, "lb", self._owner, 0.0, np.inf)
        self._ub = _bound_vector(ub, n, "ub", self._owner, np.inf, -np.inf)
        if integrality is None:
            self._integrality = np.zeros(n, dtype=bool)
        else:
            self._integrality = np.array(check_array(integrality, "integrality", self._owner, dtype="bool",
                                                     shape=(n,)))
        self._families: dict[str, tuple[sp.csr_array, np.ndarray, np.ndarray]] = {}
        self._stacked = None
        self._caches: dict[str, object] = {}

    @property
    def lb(self) -> np.ndarray:
        """Variable lower bounds (read-only; change them with :meth:`set_variable_bounds`)."""
        return _readonly(self._lb)

    @property
    def ub(self) -> np.ndarray:
        """Variable upper bounds (read-only; change them with :meth:`set_variable_bounds`)."""
        return _readonly(self._ub)

    @property
    def integrality(self) -> np.ndarray:
        """Which variables are integers (read-only)."""
        return _readonly(self._integrality)

    @property
    def families(self) -> tuple[str, ...]:
        """The constraint family names, in the order their rows are stacked."""
        return tuple(self._families)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_caches"] = {}
        state["_stacked"] = None
        return state

    def __repr__(self) -> str:
        rows = sum(A.shape[0] for A, _, _ in self._families.values())
        kind = "MILP" if self._integrality.any() else "LP"
        fams = ", ".join(f"{k}[{v[0].shape[0]}]" for k, v in self._families.items()) or "none"
        return f"LinearProgram({kind}, n_variables={self.n_variables}, rows={rows}, families: {fams})"

    def add_constraints(self, name: str, A, *, lower=None, upper=None) -> None:
        """Add the row family ``lower <= A @ x <= upper`` under ``name``.

        ``A`` is a dense or scipy sparse matrix with one column per variable;
        ``lower``/``upper`` are scalars or vectors with one entry per row (at
        least one of them must be given).
        """
        owner = f"{self._owner}.add_constraints"
        if not isinstance(name, str) or not name or name == "bounds" or name in self._families:
            fail("name", owner, "a new, nonempty family name other than 'bounds'", name)
        if lower is None and upper is None:
            fail("upper", owner, "given (or 'lower' given)", None, show_got=False)
        A = _as_matrix(A, self.n_variables, "A", owner)
        m = A.shape[0]
        lo = _bound_vector(lower, m, "lower", owner, -np.inf, np.inf)
        hi = _bound_vector(upper, m, "upper", owner, np.inf, -np.inf)
        self._families[name] = (A, lo, hi)
        self._stacked = None

    def set_bounds(self, name: str, *, lower=None, upper=None) -> None:
        """Replace the row bounds of an existing family (the cached model is updated, not rebuilt)."""
        owner = f"{self._owner}.set_bounds"
        if name not in self._families:
            fail("name", owner, "an existing family: " + (", ".join(map(repr, self._families)) or "(none yet)"),
                 name)
        A, lo, hi = self._families[name]
        m = A.shape[0]
        if lower is not None:
            lo = _bound_vector(lower, m, "lower", owner, -np.inf, np.inf)
        if upper is not None:
            hi = _bound_vector(upper, m, "upper", owner, np.inf, -np.inf)
        self._families[name] = (A, lo, hi)
        self._stacked = None

    def set_coefficients(self, name: str, A) -> None:
        """Replace the matrix of an existing family with one of the same shape (bounds are kept).

        The ``"highs"`` backend updates its cached model in place (``changeCoeff``
        when few entries changed; otherwise the new matrix is passed in one call
        and the previous basis is set back), so the next solve is warm-started;
        the ``"cvxpy"`` backend compiles its problem again (the matrix is not a
        Parameter there).

        Examples
        --------
        >>> lp = LinearProgram(2)
        >>> lp.add_constraints("capacity", [[1.0, 1.0]], upper=[4.0])
        >>> lp.set_coefficients("capacity", [[1.0, 2.0]])
        >>> round(lp.solve([-1.0, -2.0]).objective, 9)
        -4.0
        """
        owner = f"{self._owner}.set_coefficients"
        if name not in self._families:
            fail("name", owner, "an existing family: " + (", ".join(map(repr, self._families)) or "(none yet)"),
                 name)
        old, lo, hi = self._families[name]
        A = _as_matrix(A, self.n_variables, "A", owner)
        if A.shape != old.shape:
            fail("A", owner, f"a matrix of shape {old.shape} like the family {name!r} it replaces", A)
        A.sum_duplicates()
        A.sort_indices()
        self._families[name] = (A, lo, hi)
        self._stacked = None
        for backend in [b for b in self._caches if b != "highs"]:
            del self._caches[backend]  # only the HiGHS cache can update its matrix in place

    def set_variable_bounds(self, *, lb=None, ub=None) -> None:
        """Replace the variable bounds (the cached model is updated, not rebuilt)."""
        owner = f"{self._owner}.set_variable_bounds"
        if lb is not None:
            self._lb = _bound_vector(lb, self.n_variables, "lb", owner, 0.0, np.inf)
        if ub is not None:
            self._ub = _bound_vector(ub, self.n_variables, "ub", owner, np.inf, -np.inf)

    def _model(self) -> Model:
        if self._stacked is None:
            names = tuple(self._families)
            if names:
                A = sp.csr_array(sp.vstack([self._families[f][0] for f in names], format="csr"))
                lo = np.concatenate([self._families[f][1] for f in names])
                hi = np.concatenate([self._families[f][2] for f in names])
            else:
                A = sp.csr_array((0, self.n_variables))
                lo = hi = np.zeros(0)
            offsets = np.cumsum([0] + [self._families[f][0].shape[0] for f in names])
            slices = {f: slice(int(offsets[i]), int(offsets[i + 1])) for i, f in enumerate(names)}
            self._stacked = (A, lo, hi, names, slices)
        A, lo, hi, names, slices = self._stacked
        return Model(A, lo, hi, self._lb.copy(), self._ub.copy(), self._integrality.copy(), names, slices)

    def solve(self, c, *, maximize: bool = False, backend: str = "auto", atol: float = 1e-7,
              time_limit: float | None = None, options: Mapping | None = None, start=None) -> LPResult:
        """Solve with objective ``c``.

        Parameters
        ----------
        c : array of shape (n_variables,)
        maximize : bool
        backend : {"auto", "highs", "scipy", "cvxpy"}
        atol : float
            Tolerance of the numpy re-check (and the solver's feasibility tolerances are
            tightened to it when it is below their defaults).
        time_limit : float, optional
            Seconds; reaching it gives ``Status.TIME_LIMIT``.
        options : mapping, optional
            Backend-specific settings (see the module docstring).
        start : array of shape (n_variables,), optional
            A primal solution to start from (for a MILP, an incumbent that lets
            branch and bound prune from the first node).  Only the ``"highs"``
            backend uses it (``Highs.setSolution``); HiGHS checks it and drops
            it when it is infeasible, so a bad start costs nothing but the
            check.  The ``"scipy"`` and ``"cvxpy"`` backends ignore it.

        Returns
        -------
        LPResult
            Never raises on infeasibility, unboundedness or limits: those are statuses.

        Examples
        --------
        >>> lp = LinearProgram(2, ub=[3.0, 3.0], integrality=[True, True])
        >>> lp.add_constraints("capacity", [[2.0, 2.0]], upper=[5.0])
        >>> lp.solve([1.0, 1.0], maximize=True, start=[1.0, 1.0]).objective
        2.0
        """
        return self._solve(c, maximize=maximize, backend=backend, atol=atol, time_limit=time_limit,
                           options=options, owner=f"{self._owner}.solve", start=start)

    def _solve(self, c, *, maximize, backend, atol, time_limit, options, owner, start=None) -> LPResult:
        c = np.array(check_array(c, "c", owner, shape=(self.n_variables,)), dtype=np.float64)
        maximize = check_bool(maximize, "maximize", owner)
        name, module = get_backend(backend, owner)
        atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
        if time_limit is not None:
            time_limit = check_real(time_limit, "time_limit", owner, low=0.0, low_open=True)
        if options is not None and (not isinstance(options, Mapping)
                                    or not all(isinstance(k, str) for k in options)):
            fail("options", owner, "None or a mapping from option names (str) to values", options)
        if start is not None:
            start = np.array(check_array(start, "start", owner, shape=(self.n_variables,)), dtype=np.float64)
        model = self._model()
        if np.any(model.row_lower > model.row_upper) or np.any(model.col_lower > model.col_upper):
            info = SolverInfo(backend=name, solver="bounds check", time=0.0,
                              message="a lower bound exceeds its upper bound")
            return LPResult(Status.INFEASIBLE, None, float("nan"), {}, LPCertificate(atol=atol), info)
        t0 = time.perf_counter()
        extra = {"start": start} if start is not None and name == "highs" else {}
        raw, cache = module.solve(model, c, maximize=maximize, time_limit=time_limit, atol=atol,
                                  options=options, cache=self._caches.get(name), owner=owner, **extra)
        elapsed = time.perf_counter() - t0
        if cache is None:
            self._caches.pop(name, None)
        else:
            self._caches[name] = cache
        info = SolverInfo(backend=name, solver=raw.solver, time=elapsed, iterations=raw.iterations,
                          message=raw.message)
        return _finish(raw, info, c, model, maximize, atol)


def _dual_terms(mult, lower, upper, value, maximize):
    """Sign violation, complementarity and dual-objective share of one block of multipliers.

    A multiplier is the derivative of the optimum with respect to the bound it
    belongs to: when minimizing, a positive one belongs to the lower bound and a
    negative one to the upper bound; when maximizing, the other way round.
    """
    active = mult != 0
    bound = np.where((mult > 0) if maximize else (mult < 0), upper, lower)
    finite = np.isfinite(bound)
    sign_violation = float(np.max(np.abs(mult[active & ~finite]), initial=0.0))
    use = active & finite
    gap = np.abs(mult[use]) * np.abs(value[use] - bound[use])
    return sign_violation, float(np.max(gap, initial=0.0)), float(np.sum(mult[use] * bound[use]))


def _finish(raw, info, c, model: Model, maximize, atol):
    """Recompute the residuals in numpy against the original data and package the result."""
    status, x = raw.status, raw.x
    if status is Status.OPTIMAL and x is None:
        status = Status.ERROR
    if status is not Status.OPTIMAL:
        return LPResult(status, None, float("nan"), {}, LPCertificate(atol=atol), info)
    x = np.asarray(x, dtype=np.float64)
    A, lo, hi, lb, ub = model.A, model.row_lower, model.row_upper, model.col_lower, model.col_upper
    Ax = A @ x

    def violation(value, lower, upper):
        with np.errstate(invalid="ignore"):
            below = np.where(np.isfinite(lower), (lower - value) / (1.0 + np.abs(lower)), 0.0)
            above = np.where(np.isfinite(upper), (value - upper) / (1.0 + np.abs(upper)), 0.0)
        return float(np.max(np.maximum(np.maximum(below, above), 0.0), initial=0.0))

    primal = max(violation(Ax, lo, hi), violation(x, lb, ub))
    xi = x[model.integrality]
    integ = float(np.max(np.abs(xi - np.round(xi)), initial=0.0))
    objective = float(c @ x)
    dual_res = comp = gap = 0.0
    duals = {}
    if raw.row_duals is not None and raw.col_duals is not None and not model.is_mip:
        y = np.asarray(raw.row_duals, dtype=np.float64) + 0.0  # + 0.0 turns -0.0 into 0.0
        z = np.asarray(raw.col_duals, dtype=np.float64) + 0.0
        stationarity = float(np.max(np.abs(c - A.T @ y - z), initial=0.0))
        sign_y, comp_y, obj_y = _dual_terms(y, lo, hi, Ax, maximize)
        sign_z, comp_z, obj_z = _dual_terms(z, lb, ub, x, maximize)
        dual_res = max(stationarity, sign_y, sign_z) / (1.0 + float(np.max(np.abs(c), initial=0.0)))
        comp = max(comp_y, comp_z) / (1.0 + abs(objective))
        gap = abs(objective - (obj_y + obj_z)) / (1.0 + abs(objective))
        duals = {name: y[s] for name, s in model.row_slices.items()}
        duals["bounds"] = z
    cert = LPCertificate(atol=atol, primal_residual=primal, integrality_residual=integ,
                         dual_residual=dual_res, complementarity=comp, duality_gap=gap)
    if not cert.ok:
        status = Status.INACCURATE
        info = dataclasses.replace(info, message=(info.message + "; " if info.message else "") + "numpy re-check: "
                                   + ", ".join(f"{k}={v:.3g}" for k, v in cert.failures().items())
                                   + f" > atol={atol:g}")
    return LPResult(status, x, objective, duals, cert, info)


def solve_lp(c, /, *, A_ub=None, b_ub=None, A_eq=None, b_eq=None, bounds=(0.0, None), integrality=None,
             maximize: bool = False, backend: str = "auto", atol: float = 1e-7,
             time_limit: float | None = None, options: Mapping | None = None) -> LPResult:
    """Solve ``min/max c @ x`` s.t. ``A_ub @ x <= b_ub``, ``A_eq @ x == b_eq``, bounds, integrality.

    Parameters
    ----------
    c : array of shape (n,)
    A_ub, b_ub, A_eq, b_eq : arrays, optional
        Inequality and equality rows (dense or scipy sparse matrices).
    bounds : pair
        ``(lower, upper)``, each a scalar, a length-``n`` vector or None (unbounded).
    integrality : array of bool, optional
    maximize, backend, atol, time_limit, options
        As in :meth:`LinearProgram.solve`.

    Returns
    -------
    LPResult
        Duals under the families ``"ub"``, ``"eq"`` and ``"bounds"`` (see
        :mod:`solvers.lp` for the sign convention).

    References
    ----------
    .. [1] G. B. Dantzig, *Linear Programming and Extensions*, Princeton University Press, 1963.

    Examples
    --------
    >>> res = solve_lp([1.0, 1.0], A_ub=[[-1.0, -2.0]], b_ub=[-2.0])
    >>> round(res.objective, 9), res.x.tolist()
    (1.0, [0.0, 1.0])
    >>> float(res.duals["ub"][0])   # d(objective)/d(b_ub)
    -0.5
    """
    owner = "solve_lp"
    c = check_array(c, "c", owner, ndim=1, min_size=1)
    if not (isinstance(bounds, tuple) and len(bounds) == 2):
        fail("bounds", owner, "a pair (lower, upper) of scalars or length-n vectors; None means unbounded", bounds)
    lo = _bound_vector(bounds[0], c.size, "bounds", owner, -np.inf, np.inf)
    hi = _bound_vector(bounds[1], c.size, "bounds", owner, np.inf, -np.inf)
    if integrality is not None:
        integrality = check_array(integrality, "integrality", owner, dtype="bool", shape=(c.size,))
    lp = LinearProgram(c.size, lb=lo, ub=hi, integrality=integrality)
    if A_ub is not None or b_ub is not None:
        if A_ub is None or b_ub is None:
            fail("b_ub" if b_ub is None else "A_ub", owner, "given together with "
                 + ("'A_ub'" if b_ub is None else "'b_ub'"), None, show_got=False)
        lp.add_constraints("ub", A_ub, upper=b_ub)
    if A_eq is not None or b_eq is not None:
        if A_eq is None or b_eq is None:
            fail("b_eq" if b_eq is None else "A_eq", owner, "given together with "
                 + ("'A_eq'" if b_eq is None else "'b_eq'"), None, show_got=False)
        lp.add_constraints("eq", A_eq, lower=b_eq, upper=b_eq)
    return lp._solve(c, maximize=maximize, backend=backend, atol=atol, time_limit=time_limit, options=options,
                     owner=owner)
