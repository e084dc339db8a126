"""The hidden-action principal-agent model.

A principal (a model developer) wants an agent (a model, or its provider) to
take an action it cannot see.  Action ``a`` costs the agent ``costs[a]`` and
draws an outcome ``o`` with probability ``outcome_probs[a, o]``; the principal
values outcome ``o`` at ``rewards[o]``.  The contract may pay only on what the
principal observes: a *signal* ``s`` drawn from ``observation[o, s]`` (by
default the outcome itself, a complete contract).  A contract ``t >= 0``
(limited liability) pays ``t[s]``; the agent gets ``signal_probs[a] @ t -
costs[a]`` and takes a best response, ties broken in the principal's favour.

Participation convention: the agent's outside option is worth 0 and the
participation (IR) constraint ``signal_probs[a] @ t >= costs[a]`` is always
included.  When some action costs 0 it is implied by IC and limited liability.

The programs themselves live in :mod:`solvers.contracts` (arrays in, certified
results out); this module adds the economics: labels, principal utility,
first best, linear contracts and the per-action table.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from solvers import contracts as _prog
from solvers.errors import UnknownNameError
from solvers.result import Result, SolverInfo, Status, readonly
from solvers.validation import check_array, check_int, check_probabilities, fail

__all__ = [
    "PrincipalAgent",
    "ContractResult",
    "OptimalContractResult",
    "LinearContractResult",
    "ContractTable",
    "FirstBest",
    "ContractCertificate",
    "ContractDualCertificate",
]

_OWNER = "PrincipalAgent"
_ATOL = 1e-6


@dataclasses.dataclass(frozen=True, repr=False)
class ContractResult(Result):
    """A contract and what it does.

    Attributes
    ----------
    status : Status
        ``Status.INFEASIBLE`` when the action cannot be implemented.
    action : int
        The implemented action.
    payments : ndarray
        Payment per signal (per outcome for a complete contract); alias of ``x``.
    expected_payment, principal_utility, agent_utility : float
        Under the implemented action (NaN when infeasible).
    objective : float
        The design's own objective (expected payment, largest payment, variance, ...).
    duals : mapping
        ``"ic"``: (n_actions,) multipliers of "action a* >= action a" (>= 0, zero at
        a* and for slack deviations), ``"ir"``: participation; see :mod:`solvers.contracts`.
    certificate : ContractCertificate
        IC, participation and limited-liability residuals recomputed in numpy
        (plus the duality gap for program designs).
    design : str
        Which design produced it (``"min_pay"``, ``"min_budget"``, ``"linear"``, ...).
    """

    action: int
    expected_payment: float
    principal_utility: float
    agent_utility: float
    design: str

    @property
    def payments(self) -> np.ndarray | None:
        return self.x

    def _summary_fields(self):
        return {"design": self.design, "action": self.action, "payments": self.x,
                "expected_payment": self.expected_payment, "principal_utility": self.principal_utility,
                "agent_utility": self.agent_utility}


@dataclasses.dataclass(frozen=True)
class ContractTable:
    """Per-action outcome of :meth:`PrincipalAgent.optimal_contract`.

    ``status[a]`` is None where the action was pruned (it provably cannot beat
    the best), ``solved[a]`` whether its LP ran; payments and utilities are NaN
    where not solved.  ``welfare`` is the first-best upper bound, ``lower_bound``
    the closed-form lower bound on the expected payment.
    """

    action_labels: tuple
    status: tuple
    solved: np.ndarray
    expected_payment: np.ndarray
    principal_utility: np.ndarray
    welfare: np.ndarray
    lower_bound: np.ndarray

    def rows(self) -> list[dict]:
        """One dict per action."""
        return [
            {"action": lab, "status": None if s is None else s.value, "solved": bool(self.solved[i]),
             "expected_payment": float(self.expected_payment[i]), "principal_utility": float(self.principal_utility[i]),
             "welfare": float(self.welfare[i]), "lower_bound": float(self.lower_bound[i])}
            for i, (lab, s) in enumerate(zip(self.action_labels, self.status))
        ]

    def to_frame(self):
        """The table as a pandas DataFrame (pandas is imported on use)."""
        from solvers.validation import require

        pd = require("pandas", "pandas", "ContractTable.to_frame")
        return pd.DataFrame(self.rows()).set_index("action")

    def __repr__(self) -> str:
        head = f"{'action':>12} {'status':>11} {'E[pay]':>10} {'principal':>10} {'welfare':>10}"
        lines = [head]
        for r in self.rows():
            lines.append(f"{str(r['action']):>12} {str(r['status'] or 'pruned'):>11} {r['expected_payment']:>10.4g} "
                         f"{r['principal_utility']:>10.4g} {r['welfare']:>10.4g}")
        return "ContractTable(\n" + "\n".join(lines) + "\n)"

    def _repr_html_(self) -> str:
        import html

        cols = ["action", "status", "expected_payment", "principal_utility", "welfare"]
        head = "".join(f"<th>{c}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(r[c] if c != 'status' else (r[c] or 'pruned')))}</td>"
                             for c in cols) + "</tr>"
            for r in self.rows()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@dataclasses.dataclass(frozen=True, repr=False)
class OptimalContractResult(ContractResult):
    """The principal's best min-pay contract over all actions, with the per-action ``table``."""

    table: ContractTable

    def _repr_html_(self) -> str:
        return super()._repr_html_() + self.table._repr_html_()


@dataclasses.dataclass(frozen=True, repr=False)
class LinearContractResult(ContractResult):
    """The best linear contract ``t = alpha * reward``.

    ``breakpoints`` are the ``alpha`` values where the agent's best response
    changes and ``responses`` the responses from each breakpoint on (``-1``: the
    agent stays out); ``ratio_to_optimal`` is its principal utility over the
    optimal contract's.  ``objective`` is the principal's utility.
    """

    alpha: float
    ratio_to_optimal: float
    breakpoints: np.ndarray
    responses: np.ndarray

    def _summary_fields(self):
        return {"alpha": self.alpha, **super()._summary_fields(), "ratio_to_optimal": self.ratio_to_optimal}


@dataclasses.dataclass(frozen=True)
class FirstBest:
    """The welfare-maximizing action when actions are observable (pay = cost, no IC)."""

    action: int
    welfare: float
    expected_reward: float
    cost: float


def _check_labels(labels, size, name):
    if labels is None:
        return tuple(range(size))
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence) and not isinstance(labels, np.ndarray):
        fail(name, _OWNER, f"a sequence of {size} distinct labels", labels)
    labels = tuple(labels.tolist() if isinstance(labels, np.ndarray) else labels)
    try:
        distinct = len(set(labels)) == len(labels)
    except TypeError:
        distinct = False
    if len(labels) != size or not distinct:
        fail(name, _OWNER, f"a sequence of {size} distinct, hashable labels", labels)
    return labels


class PrincipalAgent:
    """A hidden-action principal-agent model with an optional observation channel.

    Parameters
    ----------
    outcome_probs : array of shape (n_actions, n_outcomes)
        Row-stochastic: the outcome distribution of each action.
    costs : array of shape (n_actions,)
        Nonnegative cost of each action to the agent.
    rewards : array of shape (n_outcomes,)
        The principal's value of each outcome.
    observation : array of shape (n_outcomes, n_signals), optional
        Row-stochastic channel from outcomes to the signal the contract may pay
        on (default: the identity, a complete contract).  A coarsening is a 0/1
        channel.
    action_labels, outcome_labels : sequence, optional
        Names; actions may then be given by label.

    References
    ----------
    .. [1] Grossman, S. J., and Hart, O. D. (1983). An analysis of the principal-agent
       problem. Econometrica 51(1), 7-45.
    .. [2] Dütting, P., Roughgarden, T., and Talgam-Cohen, I. (2019). Simple versus
       optimal contracts. EC '19, 369-387.

    Examples
    --------
    Effort raises the success probability from 0.1 to 0.6 at cost 1; success is worth 10.

    >>> pa = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0],
    ...                     action_labels=["shirk", "work"])
    >>> res = pa.min_pay_contract("work")
    >>> res.payments.round(9).tolist(), round(res.principal_utility, 9)
    ([0.0, 2.0], 4.8)
    >>> pa.optimal_contract().action
    1
    >>> lin = pa.best_linear_contract()
    >>> round(lin.alpha, 9), round(lin.principal_utility, 9)
    (0.2, 4.8)
    """

    def __init__(self, outcome_probs, costs, rewards, *, observation=None, action_labels=None, outcome_labels=None):
        probs = check_probabilities(outcome_probs, "outcome_probs", _OWNER)
        if probs.ndim != 2:
            fail("outcome_probs", _OWNER, "a 2-dimensional array (n_actions, n_outcomes)", probs)
        n, m = probs.shape
        self._probs = probs
        self._costs = check_array(costs, "costs", _OWNER, shape=(n,), nonnegative=True)
        self._rewards = check_array(rewards, "rewards", _OWNER, shape=(m,))
        if observation is None:
            self._observation = None
            self._signal_probs = probs
        else:
            obs = check_probabilities(observation, "observation", _OWNER)
            if obs.ndim != 2 or obs.shape[0] != m:
                fail("observation", _OWNER, f"a row-stochastic array of shape ({m}, n_signals)", obs)
            self._observation = obs
            self._signal_probs = readonly(np.clip(probs @ obs, 0.0, None))
        self.action_labels = _check_labels(action_labels, n, "action_labels")
        self.outcome_labels = _check_labels(outcome_labels, m, "outcome_labels")
        self._expected_rewards = readonly(probs @ self._rewards)
        self._program = None
        self._cache: dict = {}

    # -- data ---------------------------------------------------------------------------------
    outcome_probs = property(lambda self: self._probs, doc="(n_actions, n_outcomes) outcome distributions.")
    costs = property(lambda self: self._costs, doc="(n_actions,) costs.")
    rewards = property(lambda self: self._rewards, doc="(n_outcomes,) principal's value per outcome.")
    observation = property(lambda self: self._observation, doc="(n_outcomes, n_signals) channel, or None.")
    signal_probs = property(lambda self: self._signal_probs, doc="outcome_probs @ observation.")
    expected_rewards = property(lambda self: self._expected_rewards, doc="(n_actions,) expected reward.")

    @property
    def n_actions(self) -> int:
        return self._probs.shape[0]

    @property
    def n_outcomes(self) -> int:
        return self._probs.shape[1]

    @property
    def n_signals(self) -> int:
        return self._signal_probs.shape[1]

    @property
    def welfare(self) -> np.ndarray:
        """(n_actions,) expected reward minus cost."""
        return readonly(self._expected_rewards - self._costs)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_program"] = None  # solver caches are rebuilt on use
        state["_cache"] = {}
        return state

    def __repr__(self) -> str:
        kind = "complete" if self._observation is None else f"{self.n_signals} signals"
        return f"PrincipalAgent(n_actions={self.n_actions}, n_outcomes={self.n_outcomes}, contract on {kind})"

    def _repr_html_(self) -> str:
        import html

        head = "".join(f"<th>{html.escape(str(o))}</th>" for o in self.outcome_labels)
        rows = "".join(
            f"<tr><th>{html.escape(str(lab))}</th>" + "".join(f"<td>{v:.4g}</td>" for v in self._probs[a])
            + f"<td>{self._costs[a]:.4g}</td><td>{self._expected_rewards[a]:.4g}</td></tr>"
            for a, lab in enumerate(self.action_labels)
        )
        rew = "<tr><th>reward</th>" + "".join(f"<td>{v:.4g}</td>" for v in self._rewards) + "<td></td><td></td></tr>"
        return (f"<table><caption>{html.escape(repr(self))}</caption><thead><tr><th>action</th>{head}"
                f"<th>cost</th><th>E[reward]</th></tr></thead><tbody>{rows}{rew}</tbody></table>")

    # -- helpers ------------------------------------------------------------------------------
    def _action(self, action, owner) -> int:
        if isinstance(action, (int, np.integer)) and not isinstance(action, bool):
            return check_int(action, "action", owner, low=0, high=self.n_actions - 1)
        if action in self.action_labels:
            return self.action_labels.index(action)
        raise UnknownNameError("action", action, [str(a) for a in self.action_labels])

    def _prog(self) -> _prog.ContractProgram:
        if self._program is None:
            self._program = _prog.ContractProgram(self._signal_probs)
        return self._program

    def _wrap(self, res, design, action, objective=None, cls=ContractResult, **extra):
        """A solver result as a ContractResult (utilities recomputed from the model)."""
        if res.x is None:
            return cls(res.status, None, math.nan, res.duals, res.certificate, res.info, action=action,
                       expected_payment=math.nan, principal_utility=math.nan, agent_utility=math.nan,
                       design=design, **extra)
        t = np.asarray(res.x, dtype=float)
        pay = float(self._signal_probs[action] @ t)
        return cls(res.status, t, res.objective if objective is None else objective, res.duals, res.certificate,
                   res.info, action=action, expected_payment=pay,
                   principal_utility=float(self._expected_rewards[action] - pay),
                   agent_utility=float(pay - self._costs[action]), design=design, **extra)

    # -- designs ------------------------------------------------------------------------------
    def min_pay_contract(self, action, *, atol: float = _ATOL) -> ContractResult:
        """The cheapest limited-liability contract that makes ``action`` a best response.

        An LP (:func:`solvers.contracts.min_pay`); ``Status.INFEASIBLE`` when the
        action cannot be implemented (e.g. another action gives the same or a
        dominating signal distribution at lower cost).  ``duals["ic"]`` says which
        deviations bind.

        References
        ----------
        .. [1] Grossman, S. J., and Hart, O. D. (1983). An analysis of the principal-agent
           problem. Econometrica 51(1), 7-45.

        Examples
        --------
        >>> pa = PrincipalAgent([[0.5, 0.5], [0.5, 0.5]], [0.0, 1.0], [0.0, 1.0])
        >>> pa.min_pay_contract(1).status      # same distribution, higher cost
        Status.INFEASIBLE
        """
        a = self._action(action, "PrincipalAgent.min_pay_contract")
        return self._wrap(self._prog().min_pay(a, self._costs, atol=atol), "min_pay", a)

    def min_budget_contract(self, action, *, atol: float = _ATOL) -> ContractResult:
        """The contract implementing ``action`` with the smallest largest payment.

        ``objective`` is the budget ``max(payments)``; among budget-minimal
        contracts the cheapest in expectation is returned.  With two actions the
        budget is ``(c_1 - c_0) / TV(F_1, F_0)``.

        References
        ----------
        .. [1] Saig, E., Talgam-Cohen, I., and Rosenfeld, N. (2023). Delegated
           classification. NeurIPS 36.

        Examples
        --------
        >>> pa = PrincipalAgent([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], [0.0, 0.3], [0.0, 0.5, 1.0])
        >>> res = pa.min_budget_contract(1)
        >>> round(res.objective, 9), res.payments.round(9).tolist()
        (1.0, [0.0, 0.0, 1.0])
        """
        a = self._action(action, "PrincipalAgent.min_budget_contract")
        return self._wrap(self._prog().min_budget(a, self._costs, atol=atol), "min_budget", a)

    def min_variance_contract(self, action, *, atol: float = _ATOL) -> ContractResult:
        """The contract implementing ``action`` with the smallest payment variance.

        A convex QP (cvxpy, imported on use); ``objective`` is the variance under
        the implemented action.  With two actions and full support it pays an
        affine function of the likelihood ratio and the variance is
        ``(c_1 - c_0)**2 / chi2(F_0 || F_1)``.

        References
        ----------
        .. [1] Saig, E., Einav, O., and Talgam-Cohen, I. (2024). Incentivizing quality
           text generation via statistical contracts. NeurIPS 37.

        Examples
        --------
        >>> pa = PrincipalAgent([[0.5, 0.5], [0.25, 0.75]], [0.0, 1.0], [0.0, 1.0])
        >>> round(pa.min_variance_contract(1).objective, 6)   # 1 / chi2 = 1 / (1/3)
        3.0
        """
        a = self._action(action, "PrincipalAgent.min_variance_contract")
        return self._wrap(self._prog().min_variance(a, self._costs, atol=atol), "min_variance", a)

    def optimal_contract(self, *, prune: bool = True, atol: float = _ATOL) -> OptimalContractResult:
        """The principal's best contract over all actions, with the per-action ``table``.

        For each action the min-pay LP.  With ``prune=True`` actions are visited
        by decreasing optimistic utility (expected reward minus a closed-form
        lower bound on the payment, never above first-best welfare) and the
        search stops once no remaining action can beat the best principal
        utility found; the table marks skipped actions.  Every LP re-solves one
        cached program.

        References
        ----------
        .. [1] Grossman, S. J., and Hart, O. D. (1983). An analysis of the principal-agent
           problem. Econometrica 51(1), 7-45.

        Examples
        --------
        >>> pa = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0])
        >>> res = pa.optimal_contract()
        >>> res.action, round(res.principal_utility, 9)
        (1, 4.8)
        """
        key = ("optimal", bool(prune), float(atol))
        if key in self._cache:
            return self._cache[key]
        out = self._prog()._best_action(self._costs, self._expected_rewards, bool(prune), atol)
        table = ContractTable(
            action_labels=self.action_labels,
            status=out.status,
            solved=out.solved,
            expected_payment=out.expected_payment,
            principal_utility=readonly(self._expected_rewards - np.asarray(out.expected_payment)),
            welfare=out.welfare,
            lower_bound=out.lower_bound,
        )
        if out.best is None:  # pragma: no cover - the cheapest action is always implementable
            info = SolverInfo("none", "", out.time, message="no action could be implemented")
            result = OptimalContractResult(Status.ERROR, None, math.nan, {}, _prog.ContractCertificate(atol=atol), info,
                                           action=-1, expected_payment=math.nan, principal_utility=math.nan,
                                           agent_utility=math.nan, design="optimal", table=table)
        else:
            best = out.best
            info = dataclasses.replace(best.info, time=out.time,
                                       message=f"{int(out.solved.sum())} of {self.n_actions} actions solved")
            best = dataclasses.replace(best, info=info)
            result = self._wrap(best, "optimal", out.action, cls=OptimalContractResult, table=table)
        self._cache[key] = result
        return result

    def best_linear_contract(self) -> LinearContractResult:
        """The best contract paying a share ``alpha`` of the principal's reward, computed exactly.

        The agent's utility ``alpha * R_a - c_a`` is an upper envelope of lines;
        the principal's utility ``(1 - alpha) R_a`` is maximized at a breakpoint,
        so enumerating the breakpoints in ``[0, 1]`` is exact.  Needs nonnegative
        rewards that the contract can observe (a complete contract, or a 0/1
        observation under which the reward is a function of the signal).

        References
        ----------
        .. [1] Dütting, P., Roughgarden, T., and Talgam-Cohen, I. (2019). Simple versus
           optimal contracts. EC '19, 369-387.
        .. [2] Carroll, G. (2015). Robustness and linear contracts. American Economic
           Review 105(2), 536-563.

        Examples
        --------
        >>> pa = PrincipalAgent([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0.0, 1.0, 2.0], [1.0, 3.0, 4.0])
        >>> lin = pa.best_linear_contract()
        >>> lin.alpha, lin.action, lin.principal_utility
        (0.5, 1, 1.5)
        """
        owner = "PrincipalAgent.best_linear_contract"
        r_sig = self.signal_rewards(owner)
        R = self._signal_probs @ r_sig
        alphas, actions = _prog.linear_envelope(R, self._costs, alpha_max=1.0)
        alpha, action, _ = _prog.best_linear(R, self._costs)
        opt = self.optimal_contract()
        info = SolverInfo("numpy", "upper envelope", 0.0, iterations=int(alphas.size))
        extra = dict(breakpoints=alphas, responses=actions)
        if action < 0:
            cert = _prog.ContractCertificate(atol=_ATOL)
            return LinearContractResult(Status.INFEASIBLE, None, math.nan, {}, cert, info, action=-1,
                                        expected_payment=math.nan, principal_utility=math.nan,
                                        agent_utility=math.nan, design="linear", alpha=math.nan,
                                        ratio_to_optimal=math.nan, **extra)
        t = alpha * r_sig
        cert = _prog.contract_certificate(self._signal_probs, self._costs, action, t, atol=_ATOL)
        pay = float(self._signal_probs[action] @ t)
        u = float(self._expected_rewards[action] - pay)
        u_opt = opt.principal_utility
        if u_opt > 0:
            ratio = u / u_opt
        else:
            ratio = 1.0 if u >= u_opt - _ATOL else math.nan
        status = Status.OPTIMAL if cert.ok else Status.INACCURATE
        return LinearContractResult(status, t, u, {}, cert, info, action=action, expected_payment=pay,
                                    principal_utility=u, agent_utility=float(pay - self._costs[action]),
                                    design="linear", alpha=alpha, ratio_to_optimal=float(ratio), **extra)

    def signal_rewards(self, owner: str = "PrincipalAgent.signal_rewards") -> np.ndarray:
        """The reward as a function of the signal (for linear contracts).

        Defined for a complete contract, or for a 0/1 observation under which all
        outcomes sharing a signal have the same reward; rewards must be nonnegative.
        """
        if np.any(self._rewards < 0):
            fail("rewards", owner, "nonnegative for a linear (share of reward) contract", self._rewards,
                 hint="Shift the rewards so that the lowest is 0.")
        if self._observation is None:
            return self._rewards
        obs = self._observation
        if not np.all((obs == 0) | (obs == 1)):
            fail("observation", owner, "a 0/1 coarsening for a linear contract (the reward must be observable)",
                 obs, hint="A noisy channel does not reveal the reward; use optimal_contract() instead.")
        sig = np.argmax(obs, axis=1)
        r = np.zeros(obs.shape[1])
        r[sig] = self._rewards
        if not np.allclose(r[sig], self._rewards, rtol=0.0, atol=1e-12):
            fail("observation", owner, "a coarsening that merges only outcomes of equal reward for a linear contract",
                 obs, hint="The reward is not a function of the signal; use optimal_contract() instead.")
        return readonly(r)

    def first_best(self) -> FirstBest:
        """The welfare-maximizing action (payment = cost, no incentive constraint).

        Examples
        --------
        >>> PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0]).first_best()
        FirstBest(action=1, welfare=5.0, expected_reward=6.0, cost=1.0)
        """
        w = self._expected_rewards - self._costs
        a = int(np.argmax(w))
        return FirstBest(action=a, welfare=float(w[a]), expected_reward=float(self._expected_rewards[a]),
                         cost=float(self._costs[a]))

    def evaluate(self, payments, *, atol: float = _ATOL) -> ContractResult:
        """What a given contract does: the agent's best response (ties to the principal) and utilities.

        Examples
        --------
        >>> pa = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0])
        >>> res = pa.evaluate([0.0, 1.0])     # too little: the agent shirks
        >>> res.action, round(res.principal_utility, 9)
        (0, 0.9)
        """
        owner = "PrincipalAgent.evaluate"
        t = check_array(payments, "payments", owner, shape=(self.n_signals,), nonnegative=True)
        u = self._signal_probs @ t - self._costs
        scale = 1.0 + float(np.max(np.abs(u)))
        best = np.flatnonzero(u >= np.max(u) - 1e-12 * scale)
        principal = self._expected_rewards - self._signal_probs @ t
        a = int(best[np.argmax(principal[best])])
        cert = _prog.contract_certificate(self._signal_probs, self._costs, a, t, atol=atol)
        status = Status.OPTIMAL if cert.ok else Status.INFEASIBLE  # INFEASIBLE: the agent stays out (IR fails)
        pay = float(self._signal_probs[a] @ t)
        info = SolverInfo("numpy", "best response", 0.0)
        return ContractResult(status, t, pay, {}, cert, info, action=a, expected_payment=pay,
                              principal_utility=float(principal[a]), agent_utility=float(u[a]), design="given")


# Certificates are defined with the programs; re-exported for users of this module.
ContractCertificate = _prog.ContractCertificate
ContractDualCertificate = _prog.ContractDualCertificate
