"""The cvxpy backend: the program stated in cvxpy with Parameters, compiled once, re-solved.

Costs and all finite bounds are cvxpy ``Parameter``s, so a
:class:`~solvers.lp.LinearProgram` re-solved with new numbers reuses the
compiled problem (DPP); a change of *structure* (a bound becoming infinite, a
new family, another sense or solver) compiles a new one.  The solver is HiGHS by
default; ``options={"solver": "CLARABEL"}`` uses the interior-point solver
Clarabel (LPs only); every other option is passed to ``Problem.solve``.

cvxpy's duals are Lagrange multipliers in cvxpy's own sign convention
(nonnegative for inequalities; for equalities ``-d(objective)/d(b)`` when
minimizing); they are mapped here to the toolkit's convention, the derivative
of the optimal objective, in the problem's own sense, with respect to the
active bound.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..errors import ValidationError
from ..result import Status
from ._base import Model, RawSolution


class CvxpyCache:
    """A compiled cvxpy problem, its parameters and the structure it was built for."""

    __slots__ = ("key", "problem", "x", "params", "cons", "masks", "builds")

    def __init__(self, key, model: Model, maximize: bool):
        import cvxpy as cp

        n = model.A.shape[1]
        integ = model.integrality
        cont_idx, int_idx = np.flatnonzero(~integ), np.flatnonzero(integ)
        if int_idx.size == 0:
            x = cp.Variable(n)
        elif cont_idx.size == 0:
            x = cp.Variable(n, integer=True)
        else:  # cvxpy takes no per-entry integrality: scatter two variables into x
            def scatter(idx):
                return sp.csr_array((np.ones(idx.size), (idx, np.arange(idx.size))), shape=(n, idx.size))

            x = scatter(cont_idx) @ cp.Variable(cont_idx.size) + scatter(int_idx) @ cp.Variable(
                int_idx.size, integer=True)
        lo, hi = model.row_lower, model.row_upper
        eq = np.isfinite(lo) & np.isfinite(hi) & (lo == hi)
        up = np.isfinite(hi) & ~eq
        dn = np.isfinite(lo) & ~eq
        lbm, ubm = np.isfinite(model.col_lower), np.isfinite(model.col_upper)
        masks = {"eq": eq, "up": up, "dn": dn, "lb": lbm, "ub": ubm}
        c = cp.Parameter(n)
        params, cons = {"c": c}, {}
        A = model.A
        for part, mask in (("eq", eq), ("up", up), ("dn", dn)):
            if mask.any():
                params[part] = p = cp.Parameter(int(mask.sum()))
                expr = A[mask] @ x
                cons[part] = expr == p if part == "eq" else (expr <= p if part == "up" else expr >= p)
        for part, mask in (("lb", lbm), ("ub", ubm)):
            if mask.any():
                params[part] = p = cp.Parameter(int(mask.sum()))
                expr = x[np.flatnonzero(mask)]
                cons[part] = expr >= p if part == "lb" else expr <= p
        objective = cp.Maximize(c @ x) if maximize else cp.Minimize(c @ x)
        self.key = key
        self.problem = cp.Problem(objective, list(cons.values()))
        self.x = x
        self.params = params
        self.cons = cons
        self.masks = masks
        self.builds = 1

    def set_values(self, model: Model, c) -> None:
        m = self.masks
        values = {"c": c, "eq": model.row_lower[m["eq"]], "up": model.row_upper[m["up"]],
                  "dn": model.row_lower[m["dn"]], "lb": model.col_lower[m["lb"]], "ub": model.col_upper[m["ub"]]}
        for key, param in self.params.items():
            param.value = np.asarray(values[key], dtype=np.float64)

    def duals(self, n_rows: int, n_cols: int, maximize: bool):
        """Row duals and reduced costs in the toolkit's convention, or (None, None)."""
        s = 1.0 if maximize else -1.0
        y, z = np.zeros(n_rows), np.zeros(n_cols)
        # cvxpy: multiplier of "<=" and ">=" rows is >= 0 in either sense; d(obj)/d(upper) = s * it and
        # d(obj)/d(lower) = -s * it.  Equalities: d(obj)/d(b) = s * dual.
        for key, target, sign in (("eq", y, s), ("up", y, s), ("dn", y, -s), ("lb", z, -s), ("ub", z, s)):
            if key in self.cons:
                dual = self.cons[key].dual_value
                if dual is None:
                    return None, None
                target[self.masks[key]] += sign * np.asarray(dual, dtype=np.float64).reshape(-1)
        return y, z


def _status(value: str, time_limit) -> Status:
    from cvxpy import settings as s

    if value in (s.OPTIMAL, s.OPTIMAL_INACCURATE):
        return Status.OPTIMAL  # an inaccurate optimum is judged by the numpy re-check
    if value in (s.INFEASIBLE, s.INFEASIBLE_INACCURATE):
        return Status.INFEASIBLE
    if value in (s.UNBOUNDED, s.UNBOUNDED_INACCURATE):
        return Status.UNBOUNDED
    if value == s.INFEASIBLE_OR_UNBOUNDED:
        return Status.INFEASIBLE_OR_UNBOUNDED
    if value == s.USER_LIMIT:
        return Status.TIME_LIMIT if time_limit is not None else Status.ITERATION_LIMIT
    return Status.ERROR


def _run(problem, solver, opts):
    import warnings

    with warnings.catch_warnings():
        # cvxpy warns on "infeasible or unbounded"; that outcome is reported as a status instead ...
        warnings.filterwarnings("ignore", message="(?s).*infeasible or unbounded", category=UserWarning)
        # ... and on limits and inaccurate optima, which are statuses or judged by the numpy re-check.
        warnings.filterwarnings("ignore", message="(?s).*Solution may be inaccurate", category=UserWarning)
        if solver != "HIGHS":
            problem.solve(solver=solver, **opts)
            return
        # cvxpy builds ``highspy.Highs()`` and only then sets options (output_flag,
        # log_to_console), but the constructor already prints HiGHS's banner to stdout
        # (once per process): no solver option can stop it.  Let cvxpy build the
        # subclass that switches output off before the first log line instead.
        import highspy

        from ._highs import _highs_class

        original = highspy.Highs
        highspy.Highs = _highs_class()
        try:
            problem.solve(solver=solver, **opts)
        finally:
            highspy.Highs = original


def solve(model: Model, c, *, maximize: bool, time_limit, atol: float, options, cache, owner: str = "solve"):
    """Solve ``model`` through cvxpy, reusing ``cache`` (a :class:`CvxpyCache`) when the structure fits."""
    import cvxpy as cp
    from cvxpy.reductions.solvers.defines import MI_SOLVERS

    opts = dict(options or {})
    solver = opts.pop("solver", "HIGHS")
    if not isinstance(solver, str) or solver.upper() not in cp.installed_solvers():
        raise ValidationError(
            f"The 'options' parameter of {owner} must name an installed cvxpy solver under 'solver' "
            f"(one of {', '.join(cp.installed_solvers())}). Got {solver!r} instead."
        )
    solver = solver.upper()
    if model.is_mip and solver not in MI_SOLVERS:
        raise ValidationError(
            f"The 'options' parameter of {owner} must name a mixed-integer solver for a MILP "
            f"(for example 'HIGHS'). Got solver {solver!r}, which solves continuous problems only."
        )
    lo, hi = model.row_lower, model.row_upper
    key = (model.A.shape, model.families, maximize, solver, model.integrality.tobytes(),
           (np.isfinite(lo) & np.isfinite(hi) & (lo == hi)).tobytes(), np.isfinite(lo).tobytes(),
           np.isfinite(hi).tobytes(), np.isfinite(model.col_lower).tobytes(), np.isfinite(model.col_upper).tobytes())
    if not (isinstance(cache, CvxpyCache) and cache.key == key):
        cache = CvxpyCache(key, model, maximize)
    cache.set_values(model, c)
    if time_limit is not None:
        opts.setdefault("time_limit", float(time_limit))
    if solver == "HIGHS":
        opts.setdefault("output_flag", False)
        opts.setdefault("primal_feasibility_tolerance", min(1e-7, atol))
        opts.setdefault("dual_feasibility_tolerance", min(1e-7, atol))
    try:
        _run(cache.problem, solver, opts)
        if (_status(cache.problem.status, time_limit) is Status.INFEASIBLE_OR_UNBOUNDED and solver == "HIGHS"
                and opts.get("presolve", "choose") != "off"):
            _run(cache.problem, solver, {**opts, "presolve": "off"})  # the simplex without presolve tells which
    except cp.error.SolverError as exc:
        return RawSolution(Status.ERROR, None, None, None, f"{solver} (cvxpy)", None, str(exc)), cache
    except (TypeError, ValueError) as exc:  # an option the solver does not take
        if isinstance(exc, ValueError) and "option" not in str(exc).lower():
            raise
        raise ValidationError(
            f"The 'options' parameter of {owner} must hold options that cvxpy's {solver} interface accepts. "
            f"cvxpy said: {exc}"
        ) from exc
    status = _status(cache.problem.status, time_limit)
    x = row_duals = col_duals = None
    value = cache.x.value
    if status is Status.OPTIMAL and value is not None:
        x = np.asarray(value, dtype=np.float64).reshape(-1)
        if not model.is_mip:
            row_duals, col_duals = cache.duals(model.A.shape[0], model.A.shape[1], maximize)
    elif status is Status.OPTIMAL:
        status = Status.ERROR
    stats = cache.problem.solver_stats
    return RawSolution(status, x, row_duals, col_duals, f"{solver} (cvxpy {cp.__version__})",
                       getattr(stats, "num_iters", None), str(cache.problem.status)), cache
