"""Screening menus over a finite type grid: a concave quadratic program.

A seller offers a menu of (quantity, transfer) pairs to a buyer whose type
``theta`` is private.  Type ``theta_i`` (probability ``p_i``) values quantity
``q`` at ``theta_i * q``; producing ``q`` costs ``unit_cost * q + cost * q**2 / 2``.
The seller maximizes expected profit subject to incentive compatibility (no
type prefers another type's item) and individual rationality (no type prefers
their outside option: reservation utility ``u0_i``, 0 by default, the null item
``q = t = 0``)::

    maximize    sum_i p_i (t_i - unit_cost q_i - cost q_i**2 / 2)
    subject to  theta_i q_i - t_i >= theta_i q_j - t_j     for all i, j   (IC)
                theta_i q_i - t_i >= u0_i                   for all i      (IR)
                q_i >= 0.

With the types sorted, the utility ``theta q - t`` has increasing differences,
so the n**2 IC rows reduce to the 2 (n - 1) adjacent ones (which imply that
``q`` is nondecreasing) and, for a constant outside option, IR to the lowest type
(Maskin and Riley 1984); a type-dependent outside option keeps one IR row per
type (countervailing incentives, Jullien 2000).  Every type is kept in the
menu: a type given ``q = 0`` is paid its reservation utility (``t = -u0``), so a
constant ``u0`` leaves the quantities unchanged and lowers the profit by ``u0``.
Writing ``U_i = theta_i q_i - t_i`` for type ``i``'s rent, the program is solved
over ``(q, U)``::

    maximize    sum_i p_i (theta_i q_i - unit_cost q_i - cost q_i**2 / 2 - U_i)
    subject to  U_{i+1} - U_i - (theta_{i+1} - theta_i) q_i     >= 0    ("ic_down": i+1 does not mimic i)
                (theta_{i+1} - theta_i) q_{i+1} - (U_{i+1} - U_i) >= 0    ("ic_up":   i does not mimic i+1)
                U_0 >= u0   (constant)  or  U_i >= u0_i for all i            ("ir")
                q >= 0.

Ironing (pooling of types where the virtual value is not monotone) comes out
of the program by itself: the ``ic_up`` rows bind exactly on pooled intervals.

Dual sign convention (as in :mod:`solvers.lp`): ``result.duals[family][i]`` is the
derivative of the optimal expected profit with respect to the right-hand side of
row ``i`` (all 0 as written), so it is ``<= 0``: relaxing
a binding row (lowering its right-hand side) raises profit.  Rows are indexed in
*sorted* type order (row ``i`` links the ``i``-th and ``(i+1)``-th smallest types).

After the solve, the certificate is recomputed in numpy against the original
data over *all* n**2 pairs (not only the adjacent rows the program used).
"""

from __future__ import annotations

import dataclasses
import time
import warnings

import numpy as np

from .result import Certificate, Result, SolverInfo, Status
from .validation import check_array, check_int, check_probabilities, check_real, fail, require

__all__ = ["ScreeningCertificate", "ScreeningResult", "ScreeningProgram", "solve_screening", "menu_regret"]


@dataclasses.dataclass(frozen=True, repr=False)
class ScreeningCertificate(Certificate):
    """Residuals of a menu recomputed in numpy against the original types.

    ic_regret : largest gain any type gets by choosing another type's item
        (over all n**2 pairs).
    ir_violation : largest negative rent (a type that would rather take the outside option).
    quantity_violation : largest negative quantity.
    """

    ic_regret: float = 0.0
    ir_violation: float = 0.0
    quantity_violation: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class ScreeningResult(Result):
    """Result of :func:`solve_screening`; arrays are in the caller's type order.

    ``x`` stacks ``[quantity, transfer]``; ``objective`` is the expected profit.
    """

    quantity: np.ndarray | None = None
    transfer: np.ndarray | None = None
    rent: np.ndarray | None = None

    def __post_init__(self):
        super().__post_init__()
        for name in ("quantity", "transfer", "rent"):
            value = getattr(self, name)
            if value is not None:
                value = np.asarray(value, dtype=np.float64).view()
                value.setflags(write=False)
                object.__setattr__(self, name, value)

    def _summary_fields(self):
        return {"profit": self.objective, "quantity": self.quantity, "transfer": self.transfer}


def menu_regret(types, quantity, transfer, *, chunk: int = 2048) -> np.ndarray:
    """Each type's largest gain from picking another type's item (``>= 0``; 0 means IC).

    Computed over all pairs in numpy, in row chunks so memory stays ``O(chunk * n)``.

    Examples
    --------
    >>> menu_regret([1.0, 2.0], [0.0, 1.0], [0.0, 2.5]).tolist()   # type 2 prefers item 0
    [0.0, 0.5]
    """
    theta = np.asarray(types, dtype=np.float64)
    q = np.asarray(quantity, dtype=np.float64)
    t = np.asarray(transfer, dtype=np.float64)
    own = theta * q - t
    regret = np.empty_like(theta)
    for start in range(0, theta.size, chunk):
        stop = min(start + chunk, theta.size)
        best = np.max(theta[start:stop, None] * q[None, :] - t[None, :], axis=1)
        regret[start:stop] = best - own[start:stop]
    return np.maximum(regret, 0.0)


def _check_outside(outside_option, n, owner):
    """``(values per type, per_type)``: a finite scalar (constant) or one finite value per type."""
    u0 = check_array(outside_option, "outside_option", owner, ndim=(0, 1))
    if u0.ndim == 1 and u0.shape != (n,):
        fail("outside_option", owner, f"a scalar or a vector with one reservation utility per type (length {n})", u0)
    return (np.full(n, float(u0)) if u0.ndim == 0 else np.array(u0, dtype=np.float64)), u0.ndim == 1


def _check_inputs(types, probs, cost, unit_cost, owner, n=None):
    theta = check_array(types, "types", owner, ndim=1, min_size=1)
    if n is not None and theta.size != n:
        fail("types", owner, f"a vector of length {n} (the program was built for {n} types)", theta)
    p = check_probabilities(probs, "probs", owner)
    if p.ndim != 1 or p.shape != theta.shape:
        fail("probs", owner, f"a probability vector with one entry per type (length {theta.size})", p)
    order = np.argsort(theta, kind="stable")
    if theta.size > 1 and np.any(np.diff(theta[order]) <= 0):
        fail("types", owner, "distinct", theta, hint="Merge repeated types and add up their probabilities.")
    cost = check_real(cost, "cost", owner, low=0.0, low_open=True)
    unit_cost = check_real(unit_cost, "unit_cost", owner)
    return theta, p, order, cost, unit_cost


_STATUS = {
    "optimal": Status.OPTIMAL,
    "optimal_inaccurate": Status.INACCURATE,
    "infeasible": Status.INFEASIBLE,
    "infeasible_inaccurate": Status.INFEASIBLE,
    "unbounded": Status.UNBOUNDED,
    "unbounded_inaccurate": Status.UNBOUNDED,
    "user_limit": Status.ITERATION_LIMIT,
}


# Solver settings tried in turn until one reports an optimum: tight tolerances first (the
# defaults leave quantities accurate to only ~1e-5 on fine grids), then looser ones.
_SOLVER_OPTIONS = {
    "CLARABEL": (
        {"tol_gap_abs": 1e-12, "tol_gap_rel": 1e-12, "tol_feas": 1e-12, "tol_ktratio": 1e-10},
        {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "tol_ktratio": 1e-8},
        {},
    ),
}


class ScreeningProgram:
    """The screening QP for ``n_types`` types, built once and re-solved with new numbers.

    The program is a cvxpy problem whose data (types, probabilities, costs)
    are Parameters, so :meth:`solve` on a new instance of the same size skips
    the rebuild (cvxpy is imported on first use).

    Parameters
    ----------
    n_types : int
        Number of grid points.
    solver : str, optional
        A cvxpy solver name (default: Clarabel, an interior-point conic solver
        that returns duals).

    References
    ----------
    .. [1] E. Maskin and J. Riley, "Monopoly with incomplete information", RAND
       Journal of Economics 15(2), 171-196, 1984.

    Examples
    --------
    >>> prog = ScreeningProgram(2)
    >>> res = prog.solve([1.0, 2.0], [0.5, 0.5])
    >>> res.status, round(res.objective, 6), res.quantity.round(6).tolist()
    (Status.OPTIMAL, 1.0, [0.0, 2.0])
    >>> res = prog.solve([2.0, 3.0], [0.5, 0.5])   # re-solved without a rebuild
    >>> round(res.objective, 6)
    2.5
    """

    _owner = "ScreeningProgram"

    def __init__(self, n_types: int, *, solver: str = "CLARABEL"):
        self.n_types = check_int(n_types, "n_types", self._owner, low=1)
        if not isinstance(solver, str) or not solver:
            fail("solver", self._owner, "a cvxpy solver name such as 'CLARABEL'", solver)
        self.solver = solver.upper()
        self._problems = {}  # per_type (bool) -> built cvxpy problem

    def _build(self, per_type: bool):
        cp = require("cvxpy", "cvxpy", "ScreeningProgram")
        n = self.n_types
        q = cp.Variable(n, name="quantity")
        U = cp.Variable(n, name="rent")
        par = {
            "gain": cp.Parameter(n, name="gain"),  # p_i (theta_i - unit_cost)
            "curv": cp.Parameter(n, nonneg=True, name="curv"),  # p_i cost / 2
            "prob": cp.Parameter(n, nonneg=True, name="prob"),
            "gap": cp.Parameter(max(n - 1, 1), nonneg=True, name="gap"),  # theta_{i+1} - theta_i
            "outside": cp.Parameter(n if per_type else 1, name="outside"),  # reservation utilities
        }
        objective = cp.Maximize(par["gain"] @ q - cp.sum(cp.multiply(par["curv"], cp.square(q))) - par["prob"] @ U)
        cons = {"ir": (U >= par["outside"]) if per_type else (U[0] >= par["outside"][0]), "quantity": q >= 0}
        if n > 1:
            dU = U[1:] - U[:-1]
            gap = par["gap"]
            cons["ic_down"] = dU - cp.multiply(gap, q[:-1]) >= 0
            cons["ic_up"] = cp.multiply(gap, q[1:]) - dU >= 0
        self._problems[per_type] = (cp.Problem(objective, list(cons.values())), q, U, par, cons)

    def solve(self, types, probs, *, cost: float = 1.0, unit_cost: float = 0.0, outside_option=0.0,
              atol: float = 1e-7) -> ScreeningResult:
        """Solve for one instance; returns a :class:`ScreeningResult` (never raises on solver failure).

        Parameters
        ----------
        types : (n_types,) array
            Distinct type values, in any order (results come back in this order).
        probs : (n_types,) array
            Type probabilities (nonnegative, summing to 1).
        cost, unit_cost : float
            Production cost ``unit_cost * q + cost * q**2 / 2`` (``cost > 0``).
        outside_option : float or (n_types,) array
            Reservation utility of each type (a scalar: the same for all); IR
            requires ``rent >= outside_option``.
        atol : float
            Tolerance the certificate is judged against.
        """
        owner = f"{self._owner}.solve"
        atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
        return self._solve(types, probs, cost, unit_cost, atol, owner, outside_option)

    def _solve(self, types, probs, cost, unit_cost, atol, owner, outside_option=0.0) -> ScreeningResult:
        theta, p, order, cost, unit_cost = _check_inputs(types, probs, cost, unit_cost, owner, self.n_types)
        u0, per_type = _check_outside(outside_option, theta.size, owner)
        if per_type not in self._problems:
            self._build(per_type)
        problem, q, U, par, cons = self._problems[per_type]
        ts, ps = theta[order], p[order]
        # Scale the objective so the largest weight is 1 (the solver's tolerances are absolute).
        scale = 1.0 / float(ps.max())
        par["gain"].value = scale * ps * (ts - unit_cost)
        par["curv"].value = scale * ps * cost / 2.0
        par["prob"].value = scale * ps
        par["gap"].value = np.diff(ts) if ts.size > 1 else np.zeros(1)
        par["outside"].value = u0[order] if per_type else u0[:1]
        start = time.perf_counter()
        message = ""
        status = Status.ERROR
        for options in _SOLVER_OPTIONS.get(self.solver, ({},)):
            try:
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message="Solution may be inaccurate")
                    problem.solve(solver=self.solver, **options)
                status, message = _STATUS.get(problem.status, Status.ERROR), ""
            except Exception as exc:  # a solver failure is a status, not an exception
                status, message = Status.ERROR, f"{type(exc).__name__}: {exc}"
            if status is Status.OPTIMAL:
                break
        elapsed = time.perf_counter() - start
        stats = getattr(problem, "solver_stats", None)
        info = SolverInfo(backend="cvxpy", solver=self.solver, time=elapsed,
                          iterations=getattr(stats, "num_iters", None), message=message or str(problem.status))
        if status not in (Status.OPTIMAL, Status.INACCURATE) or q.value is None:
            return ScreeningResult(status, None, float("nan"), {}, ScreeningCertificate(atol=atol), info)
        inverse = np.empty_like(order)
        inverse[order] = np.arange(order.size)
        q_sorted = np.asarray(q.value, dtype=np.float64)
        U_sorted = np.asarray(U.value, dtype=np.float64)
        quantity = q_sorted[inverse]
        transfer = (ts * q_sorted - U_sorted)[inverse]
        rent = theta * quantity - transfer
        # Duals, converted to d(profit)/d(right-hand side): cvxpy reports nonnegative
        # multipliers of ">=" rows, and raising a ">=" row's right-hand side lowers a maximum.
        ir = -np.atleast_1d(np.asarray(cons["ir"].dual_value, dtype=np.float64)) / scale
        duals = {"ir": ir[inverse] if per_type else ir}
        for fam in ("ic_down", "ic_up"):
            duals[fam] = (-np.asarray(cons[fam].dual_value, dtype=np.float64) / scale if fam in cons
                          else np.zeros(0))
        duals["quantity"] = -np.asarray(cons["quantity"].dual_value, dtype=np.float64)[inverse] / scale
        profit = float(p @ (transfer - unit_cost * quantity - cost * quantity**2 / 2.0))
        regret = menu_regret(theta, quantity, transfer)
        cert = ScreeningCertificate(
            atol=atol,
            ic_regret=float(regret.max(initial=0.0)),
            ir_violation=float(np.max(np.maximum(u0 - rent, 0.0), initial=0.0)),
            quantity_violation=float(np.max(np.maximum(-quantity, 0.0), initial=0.0)),
        )
        if not cert.ok:
            status = Status.INACCURATE
        x = np.concatenate([quantity, transfer])
        return ScreeningResult(status, x, profit, duals, cert, info, quantity=quantity, transfer=transfer, rent=rent)


def solve_screening(types, probs, /, *, cost: float = 1.0, unit_cost: float = 0.0, outside_option=0.0,
                    solver: str = "CLARABEL", atol: float = 1e-7) -> ScreeningResult:
    """The profit-maximizing IC and IR menu over a finite type grid (a concave QP).

    A one-off wrapper around :class:`ScreeningProgram`; hot loops should keep a
    program and call its ``solve`` again.

    Parameters
    ----------
    types : (n,) array
        Distinct type values (any order; results come back in this order).
    probs : (n,) array
        Type probabilities.
    cost, unit_cost : float, keyword-only
        Production cost ``unit_cost * q + cost * q**2 / 2``; ``cost > 0``.
    outside_option : float or (n,) array, keyword-only
        Reservation utility of each type (a scalar: the same for all types;
        default 0): IR requires ``rent >= outside_option``.
    solver : str, keyword-only
        cvxpy solver name.
    atol : float, keyword-only
        Tolerance for the certificate (IC regret over all pairs, IR, q >= 0).

    Returns
    -------
    ScreeningResult
        ``quantity``, ``transfer`` and ``rent`` per type, ``objective`` = expected
        profit, duals ``"ic_down"``, ``"ic_up"``, ``"ir"`` (one entry for a scalar
        outside option, one per type for a vector), ``"quantity"``.

    References
    ----------
    .. [1] M. Mussa and S. Rosen, "Monopoly and product quality", Journal of
       Economic Theory 18(2), 301-317, 1978.
    .. [2] E. Maskin and J. Riley, "Monopoly with incomplete information", RAND
       Journal of Economics 15(2), 171-196, 1984.
    .. [3] B. Jullien, "Participation constraints in adverse selection models",
       Journal of Economic Theory 93(1), 1-47, 2000 (type-dependent outside options).

    Examples
    --------
    Two equally likely types 2 and 3: the low type's virtual value is
    ``2 - (3 - 2) * 0.5 / 0.5 = 1``, so it gets quantity 1 (below the efficient 2);
    the high type gets the efficient quantity 3 and keeps the rent
    ``(3 - 2) * 1 = 1`` it would get by mimicking the low type.

    >>> res = solve_screening([2.0, 3.0], [0.5, 0.5])
    >>> res.quantity.round(6).tolist(), res.transfer.round(6).tolist(), round(res.objective, 6)
    ([1.0, 3.0], [2.0, 8.0], 2.5)

    A high type whose outside option is worth 1.5 (more than the rent 1 it got)
    is paid that rent instead, which relaxes its incentive to mimic the low type:
    the low type's quantity rises to 1.5.

    >>> res = solve_screening([2.0, 3.0], [0.5, 0.5], outside_option=[0.0, 1.5])
    >>> res.quantity.round(6).tolist(), res.rent.round(6).tolist(), round(res.objective, 6)
    ([1.5, 3.0], [0.0, 1.5], 2.4375)
    """
    return _solve_once(types, probs, cost, unit_cost, solver, atol, "solve_screening", outside_option)


def _solve_once(types, probs, cost, unit_cost, solver, atol, owner, outside_option=0.0) -> ScreeningResult:
    """Build and solve once, validating under ``owner``'s name (shared with the economics layer)."""
    theta = check_array(types, "types", owner, ndim=1, min_size=1)
    if not isinstance(solver, str) or not solver:
        fail("solver", owner, "a cvxpy solver name such as 'CLARABEL'", solver)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    return ScreeningProgram(theta.size, solver=solver)._solve(theta, probs, cost, unit_cost, atol, owner,
                                                              outside_option)
