"""Robust (max-min) contracts when the principal knows the technology only in part.

Carroll (2015): the principal knows a set ``A0`` of actions (the rows of a
:class:`~mechanisms.contracts.PrincipalAgent`), but the true technology may
contain any further actions; nature picks the technology ``A ⊇ A0`` worst for
the principal.  A contract's *guarantee* is its worst-case principal utility.
Nature's best move is to add one zero-cost action whose outcome distribution
``F`` the agent (strictly) prefers, so for payments ``w`` per outcome::

    V(w) = min( value of the agent's response within A0,
                inf { F @ (rewards - w) : F in simplex, F @ w > U0(w) } )

with ``U0(w) = max(0, max_a probs[a] @ w - costs[a])`` (the agent may also stay
out, worth 0).  Carroll's theorem: with rewards normalized so that the lowest
is 0, a linear contract ``w = alpha * rewards`` is max-min optimal, with
guarantee ``max_a (sqrt(R_a) - sqrt(c_a))**2`` at ``alpha = sqrt(c_a / R_a)``.

* :func:`robust_guarantee` -- ``V(w)`` for any contract (an LP over ``F``);
* :func:`carroll_contract` -- the max-min contract for a known set;
* :func:`maxmin_contract` -- max over contracts of the min over a *finite*
  ambiguity set of technologies (exact, by enumerating the agent's responses).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from solvers import contracts as _prog
from solvers.lp import solve_lp
from solvers.result import Result, SolverInfo, Status, readonly
from solvers.validation import check_array, fail

from .principal_agent import PrincipalAgent

__all__ = ["RobustGuarantee", "RobustContractResult", "robust_guarantee", "carroll_contract", "maxmin_contract"]


@dataclasses.dataclass(frozen=True)
class RobustGuarantee:
    """The worst case of a contract over technologies containing the known actions.

    Attributes
    ----------
    value : float
        The guarantee (infimum of the principal's utility).
    known_response : int
        The agent's best response among the known actions (-1: stays out).
    known_value : float
        The principal's utility if the technology is exactly the known one.
    worst_case : ndarray or None
        Outcome distribution of nature's added zero-cost action (None when no
        added action hurts: the known response is the worst case).
    """

    value: float
    known_response: int
    known_value: float
    worst_case: np.ndarray | None


@dataclasses.dataclass(frozen=True, repr=False)
class RobustContractResult(Result):
    """A max-min contract: ``payments`` (alias of ``x``) and its ``guarantee`` (``objective``).

    ``alpha`` is the share for a linear contract (NaN otherwise), ``actions`` the
    agent's response in each technology considered and ``values`` the
    principal's utility there.
    """

    alpha: float
    actions: tuple
    values: np.ndarray | None

    @property
    def payments(self):
        return self.x

    @property
    def guarantee(self) -> float:
        return self.objective

    def _summary_fields(self):
        return {"guarantee": self.objective, "alpha": self.alpha, "actions": self.actions, "payments": self.x}


def _check_model(model, name, owner) -> PrincipalAgent:
    if not isinstance(model, PrincipalAgent):
        fail(name, owner, "a PrincipalAgent", model)
    return model


def robust_guarantee(model, payments, /) -> RobustGuarantee:
    """The worst-case principal utility of ``payments`` when ``model``'s actions are only the known ones.

    Parameters
    ----------
    model : PrincipalAgent
        The known actions ``A0``.  Nature may add any action (any outcome
        distribution, any cost >= 0); the contract pays on the model's signals.
    payments : array of shape (n_signals,)
        A limited-liability contract.

    References
    ----------
    .. [1] Carroll, G. (2015). Robustness and linear contracts. American Economic
       Review 105(2), 536-563.

    Examples
    --------
    >>> pa = PrincipalAgent([[0.5, 0.5]], [1.0], [0.0, 8.0])
    >>> g = robust_guarantee(pa, [0.0, 4.0])     # alpha = 1/2 = sqrt(c / R)
    >>> round(g.value, 9), g.known_response, round(g.known_value, 9)
    (1.0, 0, 2.0)
    """
    owner = "robust_guarantee"
    model = _check_model(model, "model", owner)
    t = check_array(payments, "payments", owner, shape=(model.n_signals,), nonnegative=True)
    w = t if model.observation is None else model.observation @ t  # expected payment per outcome
    q = model.signal_probs
    u = q @ t - model.costs
    U0 = float(np.max(u))
    if U0 < 0:
        known_response, known_value = -1, 0.0
    else:
        scale = 1.0 + abs(U0)
        tied = np.flatnonzero(u >= U0 - 1e-12 * scale)
        principal = model.expected_rewards - q @ t
        known_response = int(tied[np.argmax(principal[tied])])
        known_value = float(principal[known_response])
    level = max(U0, 0.0)
    r = model.rewards
    if float(np.max(w)) <= level + 1e-12 * (1.0 + level):
        return RobustGuarantee(known_value, known_response, known_value, None)
    res = solve_lp(r - w, A_ub=-w[None, :], b_ub=[-level], A_eq=np.ones((1, w.size)), b_eq=[1.0],
                   bounds=(0.0, None))
    res.raise_for_status()
    if res.objective < known_value:
        return RobustGuarantee(float(res.objective), known_response, known_value, readonly(np.maximum(res.x, 0.0)))
    return RobustGuarantee(known_value, known_response, known_value, None)


def carroll_contract(model, /) -> RobustContractResult:
    """Carroll's max-min optimal linear contract for the known actions of ``model``.

    ``alpha = sqrt(c_a / R_a)`` for the known action ``a`` maximizing
    ``(sqrt(R_a) - sqrt(c_a))**2`` (``R_a`` its expected reward), which is the
    guarantee.  The guarantee is recomputed by :func:`robust_guarantee` and both
    must agree.  Needs a complete contract (or a reward-revealing coarsening) and
    nonnegative rewards whose minimum is 0 (Carroll's normalization: pay
    ``alpha * (reward - min reward)`` otherwise).

    References
    ----------
    .. [1] Carroll, G. (2015). Robustness and linear contracts. American Economic
       Review 105(2), 536-563.

    Examples
    --------
    >>> pa = PrincipalAgent([[0.5, 0.5], [1.0, 0.0]], [1.0, 0.0], [0.0, 8.0])
    >>> res = carroll_contract(pa)
    >>> res.alpha, res.guarantee, res.payments.tolist()
    (0.5, 1.0, [0.0, 4.0])
    """
    owner = "carroll_contract"
    model = _check_model(model, "model", owner)
    r_sig = model.signal_rewards(owner)
    if float(np.min(model.rewards)) != 0.0:
        fail("model", owner, "a model whose lowest reward is 0 (Carroll's normalization)", model.rewards,
             hint="Subtract the lowest reward from every reward.")
    R = model.signal_probs @ r_sig
    c = model.costs
    ok = R > c
    closed = np.where(ok, (np.sqrt(np.maximum(R, 0.0)) - np.sqrt(c)) ** 2, -np.inf)
    info = SolverInfo("numpy", "closed form (Carroll 2015)", 0.0)
    if not np.any(ok):
        t = np.zeros(model.n_signals)
        g = robust_guarantee(model, t)
        cert = _prog.ContractCertificate(atol=1e-9)
        return RobustContractResult(Status.OPTIMAL, t, g.value, {}, cert, info, alpha=0.0,
                                    actions=(g.known_response,), values=readonly(np.array([g.known_value])))
    a = int(np.argmax(closed))
    alpha = float(math.sqrt(c[a] / R[a]))
    t = alpha * r_sig
    g = robust_guarantee(model, t)
    value = float(closed[a])
    agree = abs(g.value - value) <= 1e-7 * (1.0 + abs(value))
    response = g.known_response if g.known_response >= 0 else a
    cert = _prog.contract_certificate(model.signal_probs, c, response, t, atol=1e-7)
    status = Status.OPTIMAL if agree and cert.ok else Status.INACCURATE
    if not agree:
        info = dataclasses.replace(info, message=f"closed form {value:.6g} vs recomputed guarantee {g.value:.6g}")
    return RobustContractResult(status, t, value, {}, cert, info, alpha=alpha, actions=(response,),
                                values=readonly(np.array([g.known_value])))


def maxmin_contract(models: Sequence[PrincipalAgent], /, *, max_profiles: int = 100_000) -> RobustContractResult:
    """The contract maximizing the principal's worst utility over a finite set of technologies.

    Every model is one candidate technology over the same signals; the agent
    best-responds in the true one (ties in the principal's favour).  Solved
    exactly by enumerating response profiles, one cached LP each, pruned by the
    first-best bound (:func:`solvers.contracts.maxmin_over_sets`).

    References
    ----------
    .. [1] Carroll, G. (2015). Robustness and linear contracts. American Economic
       Review 105(2), 536-563.

    Examples
    --------
    >>> hard = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0])
    >>> harder = PrincipalAgent([[0.9, 0.1], [0.6, 0.4]], [0.0, 1.0], [0.0, 10.0])
    >>> res = maxmin_contract([hard, harder])
    >>> res.actions, res.payments.round(6).tolist(), round(res.guarantee, 6)
    ((1, 1), [0.0, 3.333333], 2.666667)
    """
    owner = "maxmin_contract"
    if isinstance(models, PrincipalAgent) or not isinstance(models, Sequence) or not models:
        fail("models", owner, "a nonempty sequence of PrincipalAgent", models)
    for mdl in models:
        _check_model(mdl, "models", owner)
    if len({mdl.n_signals for mdl in models}) != 1:
        fail("models", owner, "models with the same number of signals", [mdl.n_signals for mdl in models])
    res = _prog.maxmin_over_sets([m.signal_probs for m in models], [m.costs for m in models],
                                 [m.expected_rewards for m in models], max_profiles=max_profiles)
    return RobustContractResult(res.status, res.x, res.objective, res.duals, res.certificate, res.info,
                                alpha=math.nan, actions=res.actions, values=res.values)
