"""Hidden-action contract programs over plain arrays.

Data: ``probs`` of shape ``(n_actions, n_outcomes)`` (row ``a`` is the
distribution of the contractible outcome when action ``a`` is taken),
``costs`` of shape ``(n_actions,)``, and a payment vector ``t`` of shape
``(n_outcomes,)``.  The party taking the action gets ``probs[a] @ t - costs[a]``
and picks an action that maximizes it (ties broken in favour of the designer).
A payment vector *implements* action ``k`` when

* incentive compatibility (``"ic"``): ``probs[k] @ t - costs[k] >= probs[a] @ t - costs[a]``
  for every action ``a``;
* participation (``"ir"``): ``probs[k] @ t - costs[k] >= 0`` (outside option 0);
* limited liability: ``t >= 0``.

Programs (each returns a :class:`ContractProgramResult` whose certificate is
recomputed in numpy against the original arrays):

* :func:`min_pay` -- minimize the expected payment ``probs[k] @ t`` (LP);
* :func:`min_budget` -- minimize the largest payment ``max(t)`` (LP), ties
  broken by the smallest expected payment;
* :func:`min_variance` -- minimize the variance of the payment under
  ``probs[k]`` (convex QP through cvxpy), ties broken by the smallest expected
  payment;
* :func:`best_action` -- the action maximizing ``action_values[k] - min_pay(k)``
  with pruning, and :func:`best_action_batch` for many instances;
* :func:`linear_envelope` / :func:`best_linear` -- exact best payment of the
  form ``t = alpha * outcome_values``;
* :func:`maxmin_over_sets` -- the payment maximizing the worst case over a
  finite set of ``(probs, costs)`` pairs.

The LPs are stated so that their constraint matrix depends on ``probs`` only:
rows ``probs[a] @ t - v <= costs[a]`` with ``v`` the implemented action's
utility, the implemented row turned into an equality by its lower bound.  A
:class:`ContractProgram` therefore builds one :class:`~solvers.lp.LinearProgram`
per ``probs`` and re-solves it for every target action and every cost vector by
changing only row bounds and the objective (the cached HiGHS model is reused).

Dual convention: ``duals["ic"][a] >= 0`` is the increase of the optimal
objective per unit increase of the margin required by the constraint
"action k is at least as good as action a" (zero at ``a == k`` and for slack
deviations); ``duals["ir"]`` likewise for participation and, for
:func:`min_budget`, ``duals["budget"][o] >= 0`` for ``t[o] <= max(t)``.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time

import numpy as np

from .lp import LinearProgram, solve_lp
from .result import Certificate, Result, SolverInfo, Status, readonly
from .validation import check_array, check_int, check_probabilities, check_real, fail

__all__ = [
    "ContractCertificate",
    "ContractDualCertificate",
    "ContractProgramResult",
    "BestActionResult",
    "BatchResult",
    "MaxminResult",
    "ContractProgram",
    "contract_certificate",
    "min_pay",
    "min_budget",
    "min_variance",
    "best_action",
    "best_action_batch",
    "min_pay_lower_bounds",
    "linear_envelope",
    "best_linear",
    "maxmin_over_sets",
]

_DEFAULT_ATOL = 1e-6


@dataclasses.dataclass(frozen=True, repr=False)
class ContractCertificate(Certificate):
    """Feasibility residuals of a payment vector, recomputed in numpy.

    max_ic_violation : largest gain of a deviation, ``max_a U_a - U_k`` (0 if none).
    limited_liability_violation : largest negative payment, ``max(0, -min t)``.
    ir_violation : shortfall of participation, ``max(0, -U_k)``.
    """

    max_ic_violation: float = 0.0
    limited_liability_violation: float = 0.0
    ir_violation: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class ContractDualCertificate(ContractCertificate):
    """Feasibility residuals plus an optimality check from the returned duals.

    duality_gap : ``|objective - dual objective| / (1 + |objective|)`` with the dual
        objective evaluated in numpy from ``duals`` and the original data.
    dual_infeasibility : largest violation of dual feasibility by ``duals``.
    """

    duality_gap: float = 0.0
    dual_infeasibility: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class ContractProgramResult(Result):
    """Result of one contract program: ``x`` is the payment vector per outcome.

    ``objective`` is the program's own objective (expected payment, largest
    payment, or variance); ``expected_payment`` is ``probs[action] @ x``.
    """

    action: int = -1
    expected_payment: float = math.nan

    def _summary_fields(self):
        return {"action": self.action, "objective": self.objective, "payments": self.x}


def _utilities(probs, costs, payments):
    return probs @ payments - costs


def contract_certificate(probs, costs, action, payments, *, atol: float = _DEFAULT_ATOL) -> ContractCertificate:
    """Recompute the IC, participation and limited-liability residuals of ``payments``.

    Examples
    --------
    >>> cert = contract_certificate([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], 1, [0.0, 2.0])
    >>> cert.ok, cert.max_ic_violation
    (True, 0.0)
    """
    owner = "contract_certificate"
    probs = check_array(probs, "probs", owner, ndim=2, min_size=1)
    costs = check_array(costs, "costs", owner, shape=(probs.shape[0],))
    payments = check_array(payments, "payments", owner, shape=(probs.shape[1],))
    action = check_int(action, "action", owner, low=0, high=probs.shape[0] - 1)
    return _certificate(probs, costs, action, payments, atol)


def _certificate(probs, costs, action, t, atol, cls=ContractCertificate, **extra):
    u = _utilities(probs, costs, t)
    ic = float(max(0.0, np.max(u) - u[action]))
    ll = float(max(0.0, -np.min(t)))
    ir = float(max(0.0, -u[action]))
    return cls(atol=atol, max_ic_violation=ic, limited_liability_violation=ll, ir_violation=ir, **extra)


def _check_inputs(probs, costs, owner, action=None):
    probs = check_probabilities(probs, "probs", owner)
    if probs.ndim != 2:
        fail("probs", owner, "a 2-dimensional array (n_actions, n_outcomes)", probs)
    costs = check_array(costs, "costs", owner, shape=(probs.shape[0],))
    if action is not None:
        action = check_int(action, "action", owner, low=0, high=probs.shape[0] - 1)
    return probs, costs, action


class ContractProgram:
    """The contract programs for one ``probs`` matrix, built once and re-solved.

    Parameters
    ----------
    probs : array of shape (n_actions, n_outcomes)
        Row-stochastic outcome distributions.
    backend : str
        LP backend handed to :meth:`solvers.lp.LinearProgram.solve`.

    Examples
    --------
    >>> prog = ContractProgram([[0.9, 0.1], [0.4, 0.6]])
    >>> res = prog.min_pay(1, [0.0, 1.0])
    >>> res.status, np.round(res.x, 9).tolist()
    (Status.OPTIMAL, [0.0, 2.0])
    >>> prog.min_pay(1, [0.0, 2.0]).expected_payment   # re-solved, not rebuilt
    2.4
    """

    _owner = "ContractProgram"

    def __init__(self, probs, *, backend: str = "auto"):
        probs = check_probabilities(probs, "probs", self._owner)
        if probs.ndim != 2:
            fail("probs", self._owner, "a 2-dimensional array (n_actions, n_outcomes)", probs)
        self.probs = probs
        self.n_actions, self.n_outcomes = probs.shape
        from .backends import get_backend

        self.backend, _ = get_backend(backend, self._owner)
        # Presolve costs more than it saves on these dense programs re-solved from a warm basis.
        self._options = {"highs": {"presolve": "off"}, "scipy": {"presolve": False}}.get(self.backend)
        self._pay_lp = None
        self._budget_lp = None

    def set_probs(self, probs) -> None:
        """Replace the outcome matrix by one of the same shape; the built programs are updated in place.

        Only the IC rows' coefficients change (:meth:`solvers.lp.LinearProgram.set_coefficients`),
        so the cached HiGHS models keep their basis: the next solve is warm-started, not rebuilt.

        Examples
        --------
        >>> prog = ContractProgram([[0.9, 0.1], [0.4, 0.6]])
        >>> prog.min_pay(1, [0.0, 1.0]).expected_payment
        1.2
        >>> prog.set_probs([[0.8, 0.2], [0.3, 0.7]])   # success 0.2 -> 0.7: pay 1 / 0.5 on success
        >>> round(prog.min_pay(1, [0.0, 1.0]).expected_payment, 9)
        1.4
        """
        owner = f"{self._owner}.set_probs"
        probs = check_probabilities(probs, "probs", owner)
        if probs.shape != self.probs.shape:
            fail("probs", owner, f"an array of shape {self.probs.shape} like the one the program was built for",
                 probs)
        self.probs = probs
        if self._pay_lp is not None:
            self._pay_lp.set_coefficients("ic", self._ic_matrix(0))
        if self._budget_lp is not None:
            self._budget_lp.set_coefficients("ic", self._ic_matrix(1))

    # -- building -------------------------------------------------------------------------------
    def _ic_matrix(self, extra_cols: int):
        n, m = self.probs.shape
        block = np.zeros((n, m + 1 + extra_cols))
        block[:, :m] = self.probs
        block[:, m] = -1.0
        return block

    def _pay_program(self) -> LinearProgram:
        if self._pay_lp is None:
            n, m = self.probs.shape
            lp = LinearProgram(m + 1, lb=np.r_[np.zeros(m), -np.inf], ub=np.inf)
            lp.add_constraints("ic", self._ic_matrix(0), upper=np.zeros(n))
            ir = np.zeros(m + 1)
            ir[m] = 1.0
            lp.add_constraints("ir", ir, lower=0.0)
            self._pay_lp = lp
        return self._pay_lp

    def _budget_program(self) -> LinearProgram:
        if self._budget_lp is None:
            n, m = self.probs.shape
            lp = LinearProgram(m + 2, lb=np.r_[np.zeros(m), -np.inf, -np.inf], ub=np.inf)
            lp.add_constraints("ic", self._ic_matrix(1), upper=np.zeros(n))
            ir = np.zeros(m + 2)
            ir[m] = 1.0
            lp.add_constraints("ir", ir, lower=0.0)
            budget = np.zeros((m, m + 2))
            budget[:, :m] = np.eye(m)
            budget[:, m + 1] = -1.0
            lp.add_constraints("budget", budget, upper=0.0)
            cap = np.zeros(m + 2)
            cap[m + 1] = 1.0
            lp.add_constraints("cap", cap, upper=np.inf)
            self._budget_lp = lp
        return self._budget_lp

    def _set_ic(self, lp, action, costs):
        lower = np.full(self.n_actions, -np.inf)
        lower[action] = costs[action]
        lp.set_bounds("ic", lower=lower, upper=costs)

    def _args(self, action, costs, owner):
        action = check_int(action, "action", owner, low=0, high=self.n_actions - 1)
        costs = check_array(costs, "costs", owner, shape=(self.n_actions,))
        return action, costs

    # -- programs -------------------------------------------------------------------------------
    def min_pay(self, action, costs, *, atol: float = _DEFAULT_ATOL) -> ContractProgramResult:
        """Cheapest (in expectation) payments implementing ``action``; see :func:`min_pay`."""
        action, costs = self._args(action, costs, f"{self._owner}.min_pay")
        return self._min_pay(action, costs, atol)

    def _min_pay(self, action, costs, atol):
        m = self.n_outcomes
        lp = self._pay_program()
        self._set_ic(lp, action, costs)
        c = np.zeros(m + 1)
        c[:m] = self.probs[action]
        res = lp.solve(c, backend=self.backend, atol=atol, options=self._options)
        if res.x is None or res.status not in (Status.OPTIMAL, Status.INACCURATE):
            return ContractProgramResult(res.status, None, math.nan, {}, ContractCertificate(atol=atol), res.info,
                                         action=action)
        t = np.maximum(res.x[:m], 0.0)
        pay = float(self.probs[action] @ t)
        lam, mu = self._ic_ir_duals(res, action)
        cert = self._dual_certificate(action, costs, t, pay, lam, mu, None, atol)
        status = res.status if cert.ok else Status.INACCURATE
        return ContractProgramResult(status, t, pay, {"ic": lam, "ir": mu}, cert, res.info,
                                     action=action, expected_payment=pay)

    def min_budget(self, action, costs, *, atol: float = _DEFAULT_ATOL) -> ContractProgramResult:
        """Smallest largest payment implementing ``action``; see :func:`min_budget`."""
        action, costs = self._args(action, costs, f"{self._owner}.min_budget")
        m = self.n_outcomes
        lp = self._budget_program()
        self._set_ic(lp, action, costs)
        lp.set_bounds("cap", upper=np.inf)
        c = np.zeros(m + 2)
        c[m + 1] = 1.0
        start = time.perf_counter()
        res = lp.solve(c, backend=self.backend, atol=atol, options=self._options)
        if res.x is None or res.status not in (Status.OPTIMAL, Status.INACCURATE):
            return ContractProgramResult(res.status, None, math.nan, {}, ContractCertificate(atol=atol), res.info,
                                         action=action)
        budget = float(res.x[m + 1])
        lam, mu = self._ic_ir_duals(res, action)
        nu = -np.asarray(res.duals["budget"], dtype=float) if "budget" in res.duals else np.zeros(m)
        # Second stage: the cheapest contract among those with (numerically) the smallest budget.
        lp.set_bounds("cap", upper=budget + 1e-9 * (1.0 + abs(budget)))
        c2 = np.zeros(m + 2)
        c2[:m] = self.probs[action]
        res2 = lp.solve(c2, backend=self.backend, atol=atol, options=self._options)
        lp.set_bounds("cap", upper=np.inf)
        x = res2.x if res2.x is not None and res2.status in (Status.OPTIMAL, Status.INACCURATE) else res.x
        t = np.maximum(x[:m], 0.0)
        info = dataclasses.replace(res.info, time=time.perf_counter() - start)
        cert = self._dual_certificate(action, costs, t, float(np.max(t)), lam, mu, nu, atol)
        status = res.status if cert.ok else Status.INACCURATE
        return ContractProgramResult(status, t, float(np.max(t)), {"ic": lam, "ir": mu, "budget": nu}, cert, info,
                                     action=action, expected_payment=float(self.probs[action] @ t))

    def min_variance(self, action, costs, *, atol: float = _DEFAULT_ATOL) -> ContractProgramResult:
        """Smallest payment variance implementing ``action``; see :func:`min_variance`."""
        action, costs = self._args(action, costs, f"{self._owner}.min_variance")
        return _min_variance(self.probs, costs, action, atol)

    def _ic_ir_duals(self, res, action):
        lam = -np.asarray(res.duals.get("ic", np.zeros(self.n_actions)), dtype=float).copy()
        lam[action] = 0.0
        ir = res.duals.get("ir")
        mu = float(ir[0]) if ir is not None and np.size(ir) else 0.0
        return lam, mu

    def _dual_certificate(self, action, costs, t, objective, lam, mu, nu, atol):
        """Check the duals in numpy against the original data (see the module docstring)."""
        p = self.probs
        p_star = p[action]
        # Reduced cost of each payment variable: objective coefficient minus what the duals price.
        priced = lam @ (p_star[None, :] - p) + mu * p_star
        if nu is None:
            reduced = p_star - priced
            extra = 0.0
        else:
            reduced = nu - priced
            extra = abs(1.0 - float(np.sum(nu)))
            extra = max(extra, float(max(0.0, -np.min(nu))))
        dual_obj = float(lam @ (costs[action] - costs) + mu * costs[action])
        infeas = max(float(max(0.0, -np.min(reduced))), float(max(0.0, -np.min(lam))), max(0.0, -mu), extra)
        gap = abs(objective - dual_obj) / (1.0 + abs(objective))
        return _certificate(p, costs, action, t, atol, ContractDualCertificate, duality_gap=gap,
                            dual_infeasibility=infeas)

    def best_action(self, costs, action_values, *, prune: bool = True,
                    atol: float = _DEFAULT_ATOL) -> "BestActionResult":
        """The action maximizing ``action_values[a] - min_pay(a)``; see :func:`best_action`."""
        owner = f"{self._owner}.best_action"
        costs = check_array(costs, "costs", owner, shape=(self.n_actions,))
        action_values = check_array(action_values, "action_values", owner, shape=(self.n_actions,))
        return self._best_action(costs, action_values, prune, atol)

    def _best_action(self, costs, values, prune, atol):
        start = time.perf_counter()
        n = self.n_actions
        welfare = values - costs
        status = [None] * n
        solved = np.zeros(n, dtype=bool)
        pay = np.full(n, np.nan)
        lower = np.full(n, np.nan)
        if prune:
            lower, impossible = _lower_bounds(self.probs, costs)
            for a in np.flatnonzero(impossible):
                status[a] = Status.INFEASIBLE  # proven by a single deviation, no LP needed
            key = np.where(impossible, -np.inf, values - lower)  # optimistic value of each action
        else:
            key = welfare
        order = np.lexsort((np.arange(n), -key))  # most promising first, then lowest index
        results: dict[int, ContractProgramResult] = {}
        best_a, best_u = -1, -np.inf
        scale = 1.0 + float(np.max(np.abs(values))) + float(np.max(np.abs(costs)))
        tol = 1e-12 * scale
        for a in order:
            if prune and (key[a] == -np.inf or key[a] <= best_u + tol):
                break  # every later action has a smaller upper bound
            res = self._min_pay(int(a), costs, atol)
            solved[a] = True
            status[a] = res.status
            results[int(a)] = res
            if res.x is not None:
                pay[a] = res.expected_payment
                u = values[a] - res.expected_payment
                if u > best_u + tol or (abs(u - best_u) <= tol and a < best_a):
                    best_a, best_u = int(a), float(u)
        best = results.get(best_a)
        return BestActionResult(
            best=best,
            action=best_a,
            value=best_u if best_a >= 0 else math.nan,
            status=tuple(status),
            solved=readonly(solved),
            expected_payment=readonly(pay),
            value_per_action=readonly(values - pay),
            welfare=readonly(welfare),
            lower_bound=readonly(lower),
            results=dict(results),
            time=time.perf_counter() - start,
        )


def _lower_bounds(probs, costs, chunk: int = 16):
    """Lower bounds on every action's min-pay: participation and each deviation alone (closed form).

    Against a single deviation ``b`` with ``dc = costs[a] - costs[b] > 0`` the cheapest
    limited-liability payment pays only on the outcome maximizing ``1 - probs[b, o] / probs[a, o]``
    and costs ``dc / max_o (1 - probs[b, o] / probs[a, o])``; when that maximum is <= 0 the action
    cannot be implemented.  Returns ``(bounds, impossible)``, vectorized in chunks of actions.
    """
    n, m = probs.shape
    bounds = np.maximum(costs, 0.0).astype(float)
    impossible = np.zeros(n, dtype=bool)
    for lo in range(0, n, chunk):
        A = np.arange(lo, min(n, lo + chunk))
        base = probs[A][:, None, :]                                     # (k, 1, m)
        ratio = np.divide(probs[None, :, :], base, out=np.full((A.size, n, m), np.inf), where=base > 0)
        power = 1.0 - ratio.min(axis=2)                                 # (k, n)
        dc = costs[A][:, None] - costs[None, :]
        need = dc > 0
        bad = need & (power <= 0.0)
        impossible[A] = bad.any(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            single = np.where(need & ~bad, dc / np.where(power > 0, power, 1.0), 0.0)
        bounds[A] = np.maximum(bounds[A], single.max(axis=1))
    bounds[impossible] = np.inf
    return bounds, impossible


@dataclasses.dataclass(frozen=True)
class BestActionResult:
    """The best action to implement and the per-action table.

    Attributes
    ----------
    best : ContractProgramResult or None
        The min-pay program of the best action.
    action : int
        The best action (``-1`` if none could be implemented).
    value : float
        ``action_values[action] - expected payment``.
    status : tuple of Status or None
        Per action; ``None`` where the program was skipped (pruned).  An action
        proven not implementable by a single deviation alone is INFEASIBLE
        without an LP.
    solved : bool array
        Where an LP was solved.
    expected_payment, value_per_action : float arrays
        Per action; NaN where not solved.
    welfare : float array
        ``action_values - costs``, the upper bound used for pruning.
    lower_bound : float array
        The closed-form lower bound on the expected payment (NaN where not computed).
    results : dict
        The program result of every solved action.
    time : float
        Wall time in seconds.
    """

    best: ContractProgramResult | None
    action: int
    value: float
    status: tuple
    solved: np.ndarray
    expected_payment: np.ndarray
    value_per_action: np.ndarray
    welfare: np.ndarray
    lower_bound: np.ndarray
    results: dict
    time: float

    def __repr__(self) -> str:
        return (f"BestActionResult(action={self.action}, value={self.value:.6g}, "
                f"solved={int(self.solved.sum())}/{self.solved.size}, time={self.time * 1e3:.2f} ms)")


def min_pay(probs, costs, action, /, *, atol: float = _DEFAULT_ATOL, backend: str = "auto") -> ContractProgramResult:
    """Cheapest expected payment ``probs[action] @ t`` that implements ``action``.

    Linear program over ``t >= 0`` with the IC rows against every other action and
    participation.  ``Status.INFEASIBLE`` when no payment implements the action.

    References
    ----------
    .. [1] Grossman, S. J., and Hart, O. D. (1983). An analysis of the principal-agent
       problem. Econometrica 51(1), 7-45.

    Examples
    --------
    Two outcomes, success probability 0.1 or 0.6, extra cost 1: pay ``1 / 0.5`` on success.

    >>> res = min_pay([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], 1)
    >>> round(res.objective, 9), np.round(res.x, 9).tolist()
    (1.2, [0.0, 2.0])
    >>> np.round(res.duals["ic"], 9).tolist()   # the deviation to action 0 binds
    [1.2, 0.0]
    """
    probs, costs, action = _check_inputs(probs, costs, "min_pay", action)
    return ContractProgram(probs, backend=backend).min_pay(action, costs, atol=atol)


def min_budget(probs, costs, action, /, *, atol: float = _DEFAULT_ATOL,
               backend: str = "auto") -> ContractProgramResult:
    """Smallest largest payment ``max(t)`` that implements ``action`` (LP).

    Among the budget-minimal payments the one with the smallest expected
    payment is returned.  With two actions the budget is
    ``(costs[1] - costs[0]) / TV(probs[1], probs[0])``.

    References
    ----------
    .. [1] Saig, E., Talgam-Cohen, I., and Rosenfeld, N. (2023). Delegated
       classification. NeurIPS 36.

    Examples
    --------
    >>> res = min_budget([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], [0.0, 0.3], 1)
    >>> round(res.objective, 9)   # 0.3 / TV = 0.3 / 0.3
    1.0
    """
    probs, costs, action = _check_inputs(probs, costs, "min_budget", action)
    return ContractProgram(probs, backend=backend).min_budget(action, costs, atol=atol)


def min_variance(probs, costs, action, /, *, atol: float = _DEFAULT_ATOL) -> ContractProgramResult:
    """Smallest variance of the payment under ``probs[action]`` that implements ``action``.

    A convex QP (solved with cvxpy, imported on use); among the variance-minimal
    payments the cheapest in expectation is returned (the variance does not change
    when a constant is added on the support of ``probs[action]``).  The certificate
    holds the Lagrangian duality gap evaluated in numpy.  With two actions and a
    full-support target the variance is ``dc**2 / chi2(probs[0] || probs[1])``.

    References
    ----------
    .. [1] Saig, E., Einav, O., and Talgam-Cohen, I. (2024). Incentivizing quality
       text generation via statistical contracts. NeurIPS 37.

    Examples
    --------
    >>> res = min_variance([[0.5, 0.5], [0.25, 0.75]], [0.0, 1.0], 1)
    >>> np.round(res.x, 6).tolist()
    [0.0, 4.0]
    """
    probs, costs, action = _check_inputs(probs, costs, "min_variance", action)
    return _min_variance(probs, costs, action, atol)


def _min_variance(probs, costs, action, atol):
    from .validation import require

    cp = require("cvxpy", "cvxpy", "min_variance")
    start = time.perf_counter()
    n, m = probs.shape
    p = probs[action]
    others = np.arange(n) != action
    D = p[None, :] - probs[others]
    dc = costs[action] - costs[others]
    t = cp.Variable(m)
    sq = np.sqrt(p)
    objective = cp.sum_squares(cp.multiply(sq, t) - sq * (p @ t))
    cons = [t >= 0, p @ t >= costs[action]]
    if D.shape[0]:
        cons.append(D @ t >= dc)
    prob = cp.Problem(cp.Minimize(objective), cons)
    solver = "CLARABEL" if "CLARABEL" in cp.installed_solvers() else None
    try:
        prob.solve(solver=solver)
    except cp.error.SolverError as exc:  # pragma: no cover - solver failure is a status
        info = SolverInfo("cvxpy", str(solver), time.perf_counter() - start, message=str(exc))
        return ContractProgramResult(Status.ERROR, None, math.nan, {}, ContractCertificate(atol=atol), info,
                                     action=action)
    info = SolverInfo("cvxpy", str(solver or prob.solver_stats.solver_name), time.perf_counter() - start,
                      iterations=prob.solver_stats.num_iters, message=str(prob.status))
    status = {"optimal": Status.OPTIMAL, "optimal_inaccurate": Status.INACCURATE, "infeasible": Status.INFEASIBLE,
              "infeasible_inaccurate": Status.INFEASIBLE, "unbounded": Status.UNBOUNDED}.get(prob.status, Status.ERROR)
    if status not in (Status.OPTIMAL, Status.INACCURATE) or t.value is None:
        return ContractProgramResult(status, None, math.nan, {}, ContractCertificate(atol=atol), info, action=action)
    t_hat = np.asarray(t.value, dtype=float)
    s = np.asarray(cons[0].dual_value, dtype=float).reshape(m)
    mu = float(np.asarray(cons[1].dual_value).reshape(()))
    lam = np.zeros(n)
    if D.shape[0]:
        lam[others] = np.asarray(cons[2].dual_value, dtype=float).reshape(-1)
    t_final = _cheapest_in_null_space(probs, costs, action, t_hat)
    V = np.diag(p) - np.outer(p, p)
    variance = float(t_final @ V @ t_final)
    # Lagrangian dual of  min t'Vt  s.t.  G t >= h:   g = h'xi - w'V^+w / 4,  w = G'xi in range(V).
    w = D.T @ lam[others] + mu * p + s
    evals, evecs = np.linalg.eigh(V)
    keep = evals > 1e-12 * max(1.0, float(evals.max()))
    coeff = evecs.T @ w
    null_part = float(np.linalg.norm(coeff[~keep]))
    quad = float(np.sum(coeff[keep] ** 2 / evals[keep]))
    dual_obj = float(dc @ lam[others] + mu * costs[action]) - quad / 4.0
    gap = abs(variance - dual_obj) / (1.0 + abs(variance))
    infeas = max(null_part, float(max(0.0, -np.min(lam))), max(0.0, -mu), float(max(0.0, -np.min(s))))
    cert = _certificate(probs, costs, action, t_final, atol, ContractDualCertificate, duality_gap=gap,
                        dual_infeasibility=infeas)
    if not cert.ok:
        status = Status.INACCURATE
    return ContractProgramResult(status, t_final, variance, {"ic": lam, "ir": mu, "limited_liability": s}, cert,
                                 info, action=action, expected_payment=float(p @ t_final))


def _cheapest_in_null_space(probs, costs, action, t_hat):
    """Move ``t_hat`` along the null space of the variance (a constant on the support, free off it)
    to the cheapest feasible point: a small LP in ``(shift, off-support payments)``."""
    n, m = probs.shape
    p = probs[action]
    on = p > 0
    off = np.flatnonzero(~on)
    k = 1 + off.size
    # Columns: shift c, then z_o for o off the support;  t = t_hat + c * 1_on + sum z_o e_o.
    N = np.zeros((m, k))
    N[on, 0] = 1.0
    N[off, 1 + np.arange(off.size)] = 1.0
    D = p[None, :] - probs                      # rows: IC against every action (row `action` is 0)
    A = np.vstack([D @ N, p @ N, N])            # IC, IR, LL  as  A @ y >= b
    b = np.concatenate([costs[action] - costs - D @ t_hat, [costs[action] - p @ t_hat], -t_hat])
    c = np.zeros(k)
    c[0] = 1.0
    res = solve_lp(c, A_ub=-A, b_ub=-b, bounds=(None, None))
    if res.x is None:
        return np.maximum(t_hat, 0.0)
    return np.maximum(t_hat + N @ res.x, 0.0)


def min_pay_lower_bounds(probs, costs, /) -> np.ndarray:
    """Closed-form lower bound on every action's min-pay (``inf`` where provably not implementable).

    The larger of the action's cost (participation) and, for each cheaper
    action ``b``, the min-pay against ``b`` alone.

    Examples
    --------
    >>> min_pay_lower_bounds([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0]).tolist()
    [0.0, 1.2]
    """
    probs, costs, _ = _check_inputs(probs, costs, "min_pay_lower_bounds")
    return _lower_bounds(probs, costs)[0]


def best_action(probs, costs, action_values, /, *, prune: bool = True, atol: float = _DEFAULT_ATOL,
                backend: str = "auto") -> BestActionResult:
    """The action maximizing ``action_values[a] - min_pay(a)``, with the per-action table.

    With ``prune=True`` every action gets a closed-form lower bound on its
    payment (:func:`min_pay_lower_bounds`: participation and each deviation
    alone; an action that one deviation already rules out is INFEASIBLE without
    an LP).  Actions are visited in decreasing optimistic value
    ``action_values - bound``, and the search stops as soon as that cannot beat
    the best value found.  All LPs re-solve one cached program.  With
    ``prune=False`` every action is solved.

    References
    ----------
    .. [1] Grossman, S. J., and Hart, O. D. (1983). An analysis of the principal-agent
       problem. Econometrica 51(1), 7-45.

    Examples
    --------
    >>> res = best_action([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [1.0, 6.0])
    >>> res.action, round(res.value, 9)
    (1, 4.8)
    """
    probs, costs, _ = _check_inputs(probs, costs, "best_action")
    action_values = check_array(action_values, "action_values", "best_action", shape=(probs.shape[0],))
    return ContractProgram(probs, backend=backend)._best_action(costs, action_values, bool(prune), atol)


@dataclasses.dataclass(frozen=True)
class BatchResult:
    """Best actions of a batch of instances (arrays with the batch as leading axis).

    ``status`` is an object array of :class:`~solvers.result.Status` (one bad
    instance is a status, not an exception); ``action`` is ``-1`` and the
    payments NaN where no action could be implemented.
    """

    status: np.ndarray
    action: np.ndarray
    payments: np.ndarray
    expected_payment: np.ndarray
    value: np.ndarray
    max_ic_violation: np.ndarray
    n_solved: np.ndarray
    time: float

    def __repr__(self) -> str:
        ok = sum(s is Status.OPTIMAL for s in self.status)
        return (f"BatchResult(n={self.action.size}, optimal={ok}, lps={int(self.n_solved.sum())}, "
                f"max_ic_violation={float(np.nanmax(self.max_ic_violation, initial=0.0)):.3g}, "
                f"time={self.time:.3f} s)")


def best_action_batch(probs, costs, action_values, /, *, prune: bool = True, atol: float = _DEFAULT_ATOL,
                      backend: str = "auto") -> BatchResult:
    """:func:`best_action` over a batch of instances of one shape.

    Parameters
    ----------
    probs : array of shape (n_actions, n_outcomes) or (batch, n_actions, n_outcomes)
        A 2-d array is shared by the whole batch: one program is built and
        re-solved for every instance (only row bounds and objectives change).
        A 3-d array (one outcome matrix per instance) also builds one program:
        each instance replaces its IC coefficients (:meth:`ContractProgram.set_probs`)
        and re-solves from the previous basis.
    costs : array of shape (batch, n_actions)
    action_values : array of shape (batch, n_actions)

    Examples
    --------
    >>> out = best_action_batch([[0.9, 0.1], [0.4, 0.6]], [[0.0, 1.0], [0.0, 4.0]], [[1.0, 6.0], [1.0, 6.0]])
    >>> out.action.tolist(), np.round(out.value, 9).tolist()
    ([1, 1], [4.8, 1.2])
    """
    owner = "best_action_batch"
    arr = check_array(probs, "probs", owner, ndim=(2, 3), min_size=1)
    costs = check_array(costs, "costs", owner, ndim=2)
    action_values = check_array(action_values, "action_values", owner, ndim=2)
    n, m = arr.shape[-2:]
    batch = costs.shape[0]
    if costs.shape != (batch, n):
        fail("costs", owner, f"an array of shape (batch, {n})", costs)
    if action_values.shape != (batch, n):
        fail("action_values", owner, f"an array of shape ({batch}, {n}) like costs", action_values)
    if arr.ndim == 3 and arr.shape[0] != batch:
        fail("probs", owner, f"a 2-d array or a 3-d array with batch size {batch} like costs", arr)
    check_probabilities(arr, "probs", owner)
    start = time.perf_counter()
    prog = ContractProgram(arr if arr.ndim == 2 else arr[0], backend=backend)
    status = np.empty(batch, dtype=object)
    action = np.full(batch, -1, dtype=np.int64)
    payments = np.full((batch, m), np.nan)
    pay = np.full(batch, np.nan)
    value = np.full(batch, np.nan)
    ic = np.full(batch, np.nan)
    solved = np.zeros(batch, dtype=np.int64)
    for i in range(batch):
        if arr.ndim == 3 and i:
            prog.set_probs(arr[i])
        res = prog._best_action(costs[i], action_values[i], bool(prune), atol)
        solved[i] = int(res.solved.sum())
        if res.best is None:
            status[i] = Status.ERROR
            continue
        status[i] = res.best.status
        action[i] = res.action
        payments[i] = res.best.x
        pay[i] = res.best.expected_payment
        value[i] = res.value
        ic[i] = res.best.certificate.max_ic_violation
    for arr_ in (action, payments, pay, value, ic, solved):
        arr_.setflags(write=False)
    return BatchResult(status, action, payments, pay, value, ic, solved, time.perf_counter() - start)


# -- linear payments -----------------------------------------------------------------------------

def linear_envelope(expected_values, costs, /, *, alpha_max: float = 1.0):
    """Breakpoints of the best response to ``t = alpha * values`` for ``alpha`` in ``[0, alpha_max]``.

    The party's utility ``alpha * expected_values[a] - costs[a]`` is compared with the
    outside option 0; at a tie the action with the larger expected value is chosen
    (the designer's preference).  Returns ``(alphas, actions)``: the response is
    ``actions[i]`` on ``[alphas[i], alphas[i+1])``; ``-1`` stands for the outside option.

    Examples
    --------
    >>> alphas, actions = linear_envelope([1.0, 3.0, 4.0], [0.0, 1.0, 2.0])
    >>> alphas.tolist(), actions.tolist()
    ([0.0, 0.5, 1.0], [0, 1, 2])
    """
    owner = "linear_envelope"
    R = check_array(expected_values, "expected_values", owner, ndim=1, min_size=1)
    c = check_array(costs, "costs", owner, shape=(R.size,))
    alpha_max = check_real(alpha_max, "alpha_max", owner, low=0.0)
    scale = 1.0 + float(np.max(np.abs(R))) + float(np.max(np.abs(c)))
    tol = 1e-12 * scale
    # Extended lines: index -1 is the outside option (value 0, cost 0).
    RR = np.r_[R, 0.0]
    cc = np.r_[c, 0.0]
    idx = np.r_[np.arange(R.size), -1]
    # Start at alpha = 0: largest -cost, ties to the largest value, then the lowest index.
    u0 = -cc
    top = u0 >= np.max(u0) - tol
    cand = np.flatnonzero(top)
    cur = cand[np.lexsort((idx[cand] < 0, -RR[cand]))[0]]
    alphas, actions = [0.0], [int(idx[cur])]
    alpha = 0.0
    while True:
        up = RR > RR[cur] + tol
        if not np.any(up):
            break
        cross = np.full(RR.size, np.inf)
        cross[up] = (cc[up] - cc[cur]) / (RR[up] - RR[cur])
        nxt = float(np.min(cross))
        if nxt > alpha_max + tol:
            break
        nxt = max(nxt, alpha)
        tied = np.flatnonzero(cross <= nxt + tol * (1.0 + abs(nxt)))
        cur = tied[np.argmax(RR[tied])]
        alpha = nxt
        if alpha == alphas[-1]:
            alphas[-1], actions[-1] = alpha, int(idx[cur])
        else:
            alphas.append(alpha)
            actions.append(int(idx[cur]))
    return readonly(np.array(alphas)), readonly(np.array(actions, dtype=np.int64))


def best_linear(expected_values, costs, /):
    """Exact best ``alpha`` in ``[0, 1]`` for payments ``alpha * values``: ``(alpha, action, value)``.

    The designer's value ``(1 - alpha) * expected_values[a]`` is piecewise decreasing
    between breakpoints of :func:`linear_envelope`, so the optimum is at a breakpoint.
    ``action`` is ``-1`` (and the value NaN) when no ``alpha <= 1`` makes any action
    beat the outside option.

    References
    ----------
    .. [1] Dütting, P., Roughgarden, T., and Talgam-Cohen, I. (2019). Simple versus
       optimal contracts. EC '19, 369-387.

    Examples
    --------
    >>> best_linear([1.0, 3.0, 4.0], [0.0, 1.0, 2.0])
    (0.5, 1, 1.5)
    """
    alphas, actions = linear_envelope(expected_values, costs, alpha_max=1.0)
    R = np.asarray(expected_values, dtype=float)
    real = actions >= 0
    if not np.any(real):
        return math.nan, -1, math.nan
    vals = np.where(real, (1.0 - alphas) * R[np.maximum(actions, 0)], -np.inf)
    i = int(np.argmax(vals))
    return float(alphas[i]), int(actions[i]), float(vals[i])


# -- max-min over a finite set --------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, repr=False)
class MaxminResult(Result):
    """Payments maximizing the worst value over a finite set of ``(probs, costs)``.

    ``x`` are the payments, ``objective`` the guaranteed value, ``actions`` the
    implemented action in each set member, ``values`` the value in each member.
    """

    actions: tuple = ()
    values: np.ndarray | None = None
    n_profiles: int = 0

    def _summary_fields(self):
        return {"objective": self.objective, "actions": self.actions, "payments": self.x}


def maxmin_over_sets(probs_list, costs_list, action_values_list, /, *, max_profiles: int = 100_000,
                     atol: float = _DEFAULT_ATOL, backend: str = "auto") -> MaxminResult:
    """``max_t min_k (action_values_k[a_k(t)] - probs_k[a_k(t)] @ t)`` with ``a_k(t)`` the response in member k.

    Exact by enumeration of response profiles ``(a_1, ..., a_K)``: for each profile
    one LP (the same cached program, new row bounds) maximizes the worst value
    subject to every member's IC, participation and ``t >= 0``; profiles are
    visited in decreasing order of their welfare bound and pruned against the
    best value found.  Ties in a member are broken in the designer's favour.

    References
    ----------
    .. [1] Carroll, G. (2015). Robustness and linear contracts. American Economic
       Review 105(2), 536-563.

    Examples
    --------
    >>> P1 = [[0.9, 0.1], [0.4, 0.6]]
    >>> P2 = [[0.9, 0.1], [0.6, 0.4]]
    >>> res = maxmin_over_sets([P1, P2], [[0.0, 1.0], [0.0, 1.0]], [[1.0, 6.0], [1.0, 4.0]])
    >>> res.actions, round(res.objective, 9)
    ((1, 1), 2.666666667)
    """
    owner = "maxmin_over_sets"
    if not isinstance(probs_list, (list, tuple)) or not probs_list:
        fail("probs_list", owner, "a nonempty list of (n_actions, n_outcomes) arrays", probs_list)
    K = len(probs_list)
    if not isinstance(costs_list, (list, tuple)) or len(costs_list) != K:
        fail("costs_list", owner, f"a list of {K} cost vectors, one per member of probs_list", costs_list)
    if not isinstance(action_values_list, (list, tuple)) or len(action_values_list) != K:
        fail("action_values_list", owner, f"a list of {K} value vectors, one per member of probs_list",
             action_values_list)
    Ps, Cs, Rs = [], [], []
    for k in range(K):
        P, c, _ = _check_inputs(probs_list[k], costs_list[k], owner)
        R = check_array(action_values_list[k], "action_values_list", owner, shape=(P.shape[0],))
        if Ps and P.shape[1] != Ps[0].shape[1]:
            fail("probs_list", owner, f"arrays with the same number of outcomes ({Ps[0].shape[1]})", P)
        Ps.append(P)
        Cs.append(c)
        Rs.append(R)
    max_profiles = check_int(max_profiles, "max_profiles", owner, low=1)
    sizes = [P.shape[0] for P in Ps]
    total = math.prod(sizes)
    if total > max_profiles:
        fail("probs_list", owner, f"small enough to enumerate at most max_profiles={max_profiles} response profiles",
             total, hint="Pass fewer or smaller members, or raise max_profiles.")
    m = Ps[0].shape[1]
    start = time.perf_counter()
    # Variables: t (m), v_k (K), z.  Rows: probs_k[b] @ t - v_k <= costs_k[b];  v_k >= 0;  z + v_k <= welfare.
    nv = m + K + 1
    rows = []
    for k, P in enumerate(Ps):
        block = np.zeros((P.shape[0], nv))
        block[:, :m] = P
        block[:, m + k] = -1.0
        rows.append(block)
    lp = LinearProgram(nv, lb=np.r_[np.zeros(m), np.full(K + 1, -np.inf)], ub=np.inf)
    lp.add_constraints("ic", np.vstack(rows), upper=np.concatenate(Cs))
    ir = np.zeros((K, nv))
    ir[np.arange(K), m + np.arange(K)] = 1.0
    lp.add_constraints("ir", ir, lower=0.0)
    val = np.zeros((K, nv))
    val[np.arange(K), m + np.arange(K)] = 1.0
    val[:, -1] = 1.0
    lp.add_constraints("value", val, upper=0.0)
    obj = np.zeros(nv)
    obj[-1] = 1.0
    offsets = np.cumsum([0] + sizes)
    welfare = [R - c for R, c in zip(Rs, Cs)]
    profiles = list(itertools.product(*[range(s) for s in sizes]))
    bounds = np.array([min(welfare[k][a] for k, a in enumerate(prof)) for prof in profiles])
    order = np.argsort(-bounds, kind="stable")
    upper = np.concatenate(Cs)
    best, best_val, best_res, n_lp = None, -np.inf, None, 0
    for i in order:
        if bounds[i] <= best_val + 1e-12:
            break
        prof = profiles[i]
        lower = np.full(upper.size, -np.inf)
        w = np.empty(K)
        for k, a in enumerate(prof):
            lower[offsets[k] + a] = Cs[k][a]
            w[k] = welfare[k][a]
        lp.set_bounds("ic", lower=lower, upper=upper)
        lp.set_bounds("value", upper=w)
        res = lp.solve(obj, maximize=True, backend=backend, atol=atol)
        n_lp += 1
        if res.x is not None and res.status in (Status.OPTIMAL, Status.INACCURATE) and res.objective > best_val + 1e-12:
            best, best_val, best_res = prof, float(res.objective), res
    info = SolverInfo("enumeration+" + (best_res.info.backend if best_res else "lp"),
                      best_res.info.solver if best_res else "", time.perf_counter() - start, iterations=n_lp,
                      message=f"{n_lp} of {total} response profiles solved")
    if best is None:
        return MaxminResult(Status.INFEASIBLE, None, math.nan, {}, ContractCertificate(atol=atol), info,
                            n_profiles=total)
    t = np.maximum(best_res.x[:m], 0.0)
    values = np.array([Rs[k][a] - Ps[k][a] @ t for k, a in enumerate(best)])
    certs = [_certificate(Ps[k], Cs[k], a, t, atol) for k, a in enumerate(best)]
    cert = ContractCertificate(
        atol=atol,
        max_ic_violation=max(c.max_ic_violation for c in certs),
        limited_liability_violation=max(c.limited_liability_violation for c in certs),
        ir_violation=max(c.ir_violation for c in certs),
    )
    status = Status.OPTIMAL if cert.ok and best_res.status is Status.OPTIMAL else Status.INACCURATE
    return MaxminResult(status, t, float(values.min()), {}, cert, info, actions=tuple(int(a) for a in best),
                        values=readonly(values), n_profiles=total)
