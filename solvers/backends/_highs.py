"""The direct HiGHS backend (highspy), with a cached model re-solved from its basis.

The first solve builds a ``highspy.Highs`` model from the stacked CSR matrix.
Later solves of the same :class:`~solvers.lp.LinearProgram` only send what
changed: costs (``changeColsCost``), row bounds (``changeRowsBounds``), column
bounds (``changeColsBounds``), the objective sense, rows of families added
since (``addRows``) and matrix coefficients replaced by
:meth:`~solvers.lp.LinearProgram.set_coefficients` (``changeCoeff`` for a few
entries; for many, the new matrix is passed in one call and the previous basis
is set back on it).  HiGHS keeps its simplex basis across these changes, so a
re-solve is warm-started.  Output is silenced before anything can log.

HiGHS's own duals already follow the toolkit's convention: ``row_dual[i]`` is
the derivative of the optimal objective, in the problem's own sense, with
respect to the active bound of row ``i``, and ``col_dual`` likewise for the
column bounds (reduced costs), for minimization and maximization alike.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from ..errors import ValidationError
from ..result import Status
from ._base import Model, RawSolution

_SILENT_CLASS = None


def _highs_class():
    """``highspy.Highs`` with ``output_flag`` switched off before the first log line."""
    global _SILENT_CLASS
    if _SILENT_CLASS is None:
        import highspy

        class _SilentHighs(highspy.Highs):
            # highspy's constructor calls enableCallbacks(), whose first C++ call
            # prints the banner unless output is already off.
            def enableCallbacks(self):
                self.setOptionValue("output_flag", False)
                super().enableCallbacks()

        _SILENT_CLASS = _SilentHighs
    return _SILENT_CLASS


def _status_map():
    import highspy

    S = highspy.HighsModelStatus
    table = {
        "kOptimal": Status.OPTIMAL,
        "kInfeasible": Status.INFEASIBLE,
        "kUnbounded": Status.UNBOUNDED,
        "kUnboundedOrInfeasible": Status.INFEASIBLE_OR_UNBOUNDED,
        "kTimeLimit": Status.TIME_LIMIT,
        "kIterationLimit": Status.ITERATION_LIMIT,
        "kSolutionLimit": Status.ITERATION_LIMIT,  # a MIP node / solution count limit
    }
    return {getattr(S, k): v for k, v in table.items() if hasattr(S, k)}


def _int32(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.int32)


def _f64(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


def _highs_lp(model: Model, c, maximize: bool):
    """A ``highspy.HighsLp`` holding ``model`` with costs ``c`` (row-wise matrix)."""
    import highspy

    A = model.A
    m, n = A.shape
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = _f64(c)
    lp.col_lower_ = _f64(model.col_lower)
    lp.col_upper_ = _f64(model.col_upper)
    lp.row_lower_ = _f64(model.row_lower)
    lp.row_upper_ = _f64(model.row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    lp.a_matrix_.start_ = _int32(A.indptr)
    lp.a_matrix_.index_ = _int32(A.indices)
    lp.a_matrix_.value_ = _f64(A.data)
    if model.is_mip:
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[int(b)] for b in model.integrality]
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    return lp


class HighsCache:
    """A built ``highspy.Highs`` model and the data it currently holds."""

    __slots__ = ("highs", "n_cols", "families", "n_rows", "row_lower", "row_upper", "col_lower", "col_upper",
                 "integrality", "cost", "maximize", "options", "builds", "A", "matrix_updates")

    def __init__(self, model: Model, c: np.ndarray, maximize: bool):
        import highspy

        h = _highs_class()()
        status = h.passModel(_highs_lp(model, c, maximize))
        if status == highspy.HighsStatus.kError:  # pragma: no cover - data were validated upstream
            raise ValidationError("HiGHS rejected the model: " + str(status))
        self.highs = h
        self.n_cols = model.A.shape[1]
        self._store(model, c, maximize)
        self.integrality = model.integrality.copy()
        self.options = None
        self.builds = 1
        self.matrix_updates = 0

    def _store(self, model: Model, c, maximize: bool) -> None:
        self.A = model.A
        self.families = model.families
        self.n_rows = model.A.shape[0]
        self.row_lower = model.row_lower.copy()
        self.row_upper = model.row_upper.copy()
        self.col_lower = model.col_lower.copy()
        self.col_upper = model.col_upper.copy()
        self.cost = np.array(c, dtype=np.float64)
        self.maximize = maximize

    def compatible(self, model: Model) -> bool:
        """Whether ``model`` is this model plus changed numbers and appended families."""
        k = len(self.families)
        return (model.A.shape[1] == self.n_cols and model.families[:k] == self.families
                and np.array_equal(model.integrality, self.integrality))

    def _changed_entries(self, A_old_rows):
        """``(rows, cols, values)`` of the entries that differ from the stored matrix, or None when
        the sparsity pattern changed (then the whole matrix is passed again)."""
        B = self.A
        if A_old_rows is B:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        if not (np.array_equal(A_old_rows.indptr, B.indptr) and np.array_equal(A_old_rows.indices, B.indices)):
            return None
        k = np.flatnonzero(A_old_rows.data != B.data)
        rows = np.repeat(np.arange(B.shape[0]), np.diff(B.indptr))[k]
        return rows, B.indices[k], A_old_rows.data[k]

    def update(self, model: Model, c: np.ndarray, maximize: bool) -> None:
        """Send only what changed since the last solve."""
        import highspy

        h = self.highs
        m_old = self.n_rows
        old_rows = model.A if model.A.shape[0] == m_old else sp.csr_array(model.A[:m_old])
        changed = self._changed_entries(old_rows)
        if changed is None or changed[0].size > max(64, old_rows.nnz // 20):
            # Many coefficients changed: pass the whole model again and warm-start from the old basis.
            basis = h.getBasis()
            h.passModel(_highs_lp(model, c, maximize))
            if basis.valid:
                extra = model.A.shape[0] - m_old
                if extra:
                    basis.row_status = list(basis.row_status) + [highspy.HighsBasisStatus.kBasic] * extra
                h.setBasis(basis)
            self.matrix_updates += 1
            self._store(model, c, maximize)
            return
        rows, cols, values = changed
        for i, j, v in zip(rows.tolist(), cols.tolist(), values.tolist()):
            h.changeCoeff(i, j, v)
        self.matrix_updates += int(rows.size > 0)
        self._update_numbers(model, c, maximize)

    def _update_numbers(self, model: Model, c: np.ndarray, maximize: bool) -> None:
        import highspy

        h = self.highs
        m_old, m = self.n_rows, model.A.shape[0]
        if m > m_old:
            B = model.A[m_old:]
            h.addRows(m - m_old, _f64(model.row_lower[m_old:]), _f64(model.row_upper[m_old:]), B.nnz,
                      _int32(B.indptr[:-1]), _int32(B.indices), _f64(B.data))
        lo, hi = model.row_lower[:m_old], model.row_upper[:m_old]
        rows = np.flatnonzero((lo != self.row_lower) | (hi != self.row_upper))
        if rows.size:
            h.changeRowsBounds(rows.size, _int32(rows), _f64(lo[rows]), _f64(hi[rows]))
        cols = np.flatnonzero((model.col_lower != self.col_lower) | (model.col_upper != self.col_upper))
        if cols.size:
            h.changeColsBounds(cols.size, _int32(cols), _f64(model.col_lower[cols]), _f64(model.col_upper[cols]))
        costs = np.flatnonzero(c != self.cost)
        if costs.size:
            h.changeColsCost(costs.size, _int32(costs), _f64(c[costs]))
        if maximize != self.maximize:
            h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize)
        self._store(model, c, maximize)

    def set_options(self, options: dict, owner: str) -> None:
        """Apply HiGHS options; reset first if an option set last time is no longer asked for."""
        import highspy

        if options == self.options:
            return
        h = self.highs
        previous = self.options or {}
        if any(key not in options for key in previous):
            h.resetOptions()
            h.setOptionValue("output_flag", False)
            previous = {}
        for key, value in options.items():
            if key in previous and previous[key] == value:
                continue
            if isinstance(value, (bool, np.bool_)):
                value = bool(value)
            elif isinstance(value, (int, np.integer)):
                value = int(value)
            elif isinstance(value, (float, np.floating)):
                value = float(value)
            if h.setOptionValue(key, value) == highspy.HighsStatus.kError:
                self.options = None  # the object holds a partial set: rebuild the options next time
                raise ValidationError(
                    f"The 'options' parameter of {owner} must hold valid HiGHS options. "
                    f"Got {key}={value!r}, which HiGHS rejected (unknown name or wrong type)."
                )
        self.options = dict(options)


def solve(model: Model, c, *, maximize: bool, time_limit, atol: float, options, cache, owner: str = "solve",
          start=None):
    """Solve ``model`` with HiGHS, reusing ``cache`` (a :class:`HighsCache`) when it fits.

    ``start`` (optional primal values) is handed to ``Highs.setSolution``: for a
    MILP an incumbent HiGHS checks (and drops when infeasible), for an LP a
    starting point.
    """
    import highspy

    if isinstance(cache, HighsCache) and cache.compatible(model):
        cache.update(model, c, maximize)
    else:
        cache = HighsCache(model, c, maximize)
    settings = {
        "output_flag": False,
        "time_limit": math.inf if time_limit is None else float(time_limit),
        "primal_feasibility_tolerance": min(1e-7, atol),
        "dual_feasibility_tolerance": min(1e-7, atol),
        "mip_feasibility_tolerance": min(1e-6, atol),
    }
    settings.update(options or {})
    cache.set_options(settings, owner)
    h = cache.highs
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = _f64(start)
        sol.value_valid = True
        h.setSolution(sol)
    run_status = h.run()
    model_status = h.getModelStatus()
    if model_status == highspy.HighsModelStatus.kUnboundedOrInfeasible and settings.get("presolve") != "off":
        # Presolve may stop at "infeasible or unbounded"; the simplex without it tells which.
        h.setOptionValue("presolve", "off")
        run_status = h.run()
        model_status = h.getModelStatus()
        h.setOptionValue("presolve", settings.get("presolve", "choose"))
    if start is not None and model.is_mip and model_status == highspy.HighsModelStatus.kOptimal:
        # HiGHS 1.16 hands back the start itself when presolve solves the MIP outright (its reported
        # objective is right, the solution is not): solve again without the start when the two disagree.
        objective = float(np.dot(_f64(c), np.asarray(h.getSolution().col_value, dtype=np.float64)))
        reported = float(h.getInfo().objective_function_value)
        if abs(objective - reported) > 1e-6 * max(1.0, abs(reported)):
            h.clearSolver()
            run_status = h.run()
            model_status = h.getModelStatus()
    status = _status_map().get(model_status, Status.ERROR)
    message = h.modelStatusToString(model_status)
    if run_status == highspy.HighsStatus.kError and status is Status.OPTIMAL:  # pragma: no cover
        status = Status.ERROR
    info = h.getInfo()
    x = row_duals = col_duals = None
    if status is Status.OPTIMAL:
        solution = h.getSolution()
        x = np.array(solution.col_value, dtype=np.float64)
        if not model.is_mip and solution.dual_valid:
            row_duals = np.array(solution.row_dual, dtype=np.float64)
            col_duals = np.array(solution.col_dual, dtype=np.float64)
    if model.is_mip:
        iterations = None
        message += f" ({info.mip_node_count} branch-and-bound nodes, gap {info.mip_gap:.3g})"
    else:
        iterations = max(int(info.simplex_iteration_count), 0) + max(int(info.ipm_iteration_count), 0)
    solver = f"HiGHS {highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}.{highspy.HIGHS_VERSION_PATCH}"
    return RawSolution(status, x, row_duals, col_duals, solver, iterations, message), cache
