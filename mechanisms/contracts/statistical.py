"""Statistical contracts: paying a model provider on evaluator score buckets.

A provider can serve a request with one of several model configurations
(small, large, with or without retrieval...), each with its own cost; the
principal sees only an evaluator's score of the output, bucketed.  Each
configuration induces a distribution over score buckets, so the design problem
is a :class:`~mechanisms.contracts.PrincipalAgent` whose outcomes are buckets
and whose actions are configurations.  Saig, Talgam-Cohen and Rosenfeld (2023)
relate budget-optimal contracts to hypothesis tests (with two configurations the
min-budget contract is the Neyman-Pearson test, a *threshold* contract when the
likelihood ratio is monotone); Saig, Einav and Talgam-Cohen (2024) apply
min-pay, min-budget and min-variance designs to LLM text quality.

:class:`ScoreContract` adds to the inherited designs:

* :meth:`~ScoreContract.threshold_contract` -- pay a constant on every bucket at
  or above a threshold (the smallest such constant, closed form);
* :meth:`~ScoreContract.best_threshold_contract` -- the best threshold for a
  budget, expected-pay or variance objective, by enumeration;
* :func:`is_mlrp` -- the monotone likelihood ratio property of the buckets.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from solvers import contracts as _prog
from solvers.result import SolverInfo, Status
from solvers.validation import check_array, check_int, check_option, check_probabilities, check_real, fail

from .principal_agent import ContractResult, PrincipalAgent

__all__ = ["ScoreContract", "ThresholdContractResult", "is_mlrp"]


@dataclasses.dataclass(frozen=True, repr=False)
class ThresholdContractResult(ContractResult):
    """A threshold contract: pay ``amount`` on every bucket ``>= threshold``."""

    threshold: int
    amount: float

    def _summary_fields(self):
        return {"threshold": self.threshold, "amount": self.amount, **super()._summary_fields()}


def is_mlrp(probs, /, *, order=None, atol: float = 1e-12) -> bool:
    """Whether the rows satisfy the monotone likelihood ratio property.

    For every pair of actions ``a`` before ``b`` in ``order`` (default: as
    given), ``probs[b, o] / probs[a, o]`` is nondecreasing in the outcome
    index ``o``; checked without division as
    ``probs[b, o2] * probs[a, o1] >= probs[b, o1] * probs[a, o2]`` for ``o1 < o2``.

    References
    ----------
    .. [1] Milgrom, P. R. (1981). Good news and bad news: representation theorems
       and applications. Bell Journal of Economics 12(2), 380-391.

    Examples
    --------
    >>> is_mlrp([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    True
    >>> is_mlrp([[0.5, 0.3, 0.2], [0.2, 0.6, 0.2]])
    False
    """
    owner = "is_mlrp"
    P = check_probabilities(probs, "probs", owner)
    if P.ndim != 2:
        fail("probs", owner, "a 2-dimensional array (n_actions, n_outcomes)", P)
    n, m = P.shape
    if order is None:
        order = np.arange(n)
    else:
        order = check_array(order, "order", owner, dtype="int", shape=(n,))
        if sorted(order.tolist()) != list(range(n)):
            fail("order", owner, f"a permutation of 0..{n - 1}", order)
    Q = P[np.asarray(order)]
    iu = np.triu_indices(m, k=1)
    for i in range(n - 1):
        a = Q[i]
        B = Q[i + 1:]
        # cross[b, o1, o2] = B[b, o2] * a[o1] - B[b, o1] * a[o2]  for o1 < o2
        cross = B[:, None, :] * a[None, :, None] - B[:, :, None] * a[None, None, :]
        if np.any(cross[:, iu[0], iu[1]] < -atol):
            return False
    return True


class ScoreContract(PrincipalAgent):
    """A statistical contract design over evaluator score buckets.

    Parameters
    ----------
    score_probs : array of shape (n_configurations, n_buckets)
        Row-stochastic: the score-bucket distribution of each configuration,
        buckets ordered from the lowest score to the highest.
    costs : array of shape (n_configurations,)
        Cost of each configuration to the provider.
    values : array of shape (n_buckets,), optional
        The principal's value of each bucket (default 0: designs then target a
        given configuration).
    configuration_labels, bucket_labels : sequence, optional

    References
    ----------
    .. [1] Saig, E., Talgam-Cohen, I., and Rosenfeld, N. (2023). Delegated
       classification. NeurIPS 36.
    .. [2] Saig, E., Einav, O., and Talgam-Cohen, I. (2024). Incentivizing quality
       text generation via statistical contracts. NeurIPS 37.

    Examples
    --------
    >>> sc = ScoreContract([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], [0.0, 0.3],
    ...                    configuration_labels=["small", "large"])
    >>> sc.mlrp
    True
    >>> th = sc.best_threshold_contract("large", objective="budget")
    >>> th.threshold, round(th.amount, 9), round(sc.min_budget_contract("large").objective, 9)
    (1, 1.0, 1.0)
    """

    def __init__(self, score_probs, costs, *, values=None, configuration_labels=None, bucket_labels=None):
        probs = check_probabilities(score_probs, "score_probs", "ScoreContract")
        if probs.ndim != 2:
            fail("score_probs", "ScoreContract", "a 2-dimensional array (n_configurations, n_buckets)", probs)
        if values is None:
            values = np.zeros(probs.shape[1])
        super().__init__(probs, costs, values, action_labels=configuration_labels, outcome_labels=bucket_labels)

    def __repr__(self) -> str:
        return f"ScoreContract(n_configurations={self.n_actions}, n_buckets={self.n_outcomes})"

    @classmethod
    def from_scores(cls, scores: Sequence, costs, *, bins=10, value_range=None, pseudocount: float = 0.0,
                    values=None, configuration_labels=None) -> "ScoreContract":
        """Estimate the bucket distributions from evaluator scores of each configuration.

        Parameters
        ----------
        scores : sequence of 1-d arrays
            Observed scores, one array per configuration.
        bins : int or 1-d array
            Number of equal-width buckets over ``value_range`` (default: the pooled
            range of the scores), or the bucket edges (increasing).
        pseudocount : float
            Added to every bucket count before normalizing (0: empirical frequencies).

        Examples
        --------
        >>> sc = ScoreContract.from_scores([[1, 1, 2, 3], [2, 3, 3, 3]], [0.0, 1.0], bins=[0.5, 1.5, 2.5, 3.5])
        >>> sc.outcome_probs.tolist()
        [[0.5, 0.25, 0.25], [0.0, 0.25, 0.75]]
        """
        owner = "ScoreContract.from_scores"
        if isinstance(scores, np.ndarray) and scores.ndim == 2:
            scores = list(scores)
        if not isinstance(scores, Sequence) or isinstance(scores, (str, bytes)) or not scores:
            fail("scores", owner, "a nonempty sequence of 1-d score arrays, one per configuration", scores)
        arrays = [check_array(s, "scores", owner, ndim=1, min_size=1) for s in scores]
        pseudocount = check_real(pseudocount, "pseudocount", owner, low=0.0)
        if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
            n_bins = check_int(bins, "bins", owner, low=1)
            if value_range is None:
                pooled = np.concatenate(arrays)
                value_range = (float(pooled.min()), float(pooled.max()))
            lo, hi = value_range
            if not hi > lo:
                hi = lo + 1.0
            edges = np.linspace(lo, hi, n_bins + 1)
        else:
            edges = check_array(bins, "bins", owner, ndim=1, min_size=2)
            if np.any(np.diff(edges) <= 0):
                fail("bins", owner, "an int or strictly increasing bucket edges", edges)
        counts = np.array([np.histogram(s, bins=edges)[0] for s in arrays], dtype=float) + pseudocount
        totals = counts.sum(axis=1, keepdims=True)
        if np.any(totals == 0):
            fail("scores", owner, "scores inside the bucket edges for every configuration", scores,
                 show_got=False, hint="Widen value_range/bins or add a pseudocount.")
        labels = [f"[{edges[i]:.3g}, {edges[i + 1]:.3g}{']' if i == edges.size - 2 else ')'}"
                  for i in range(edges.size - 1)]
        return cls(counts / totals, costs, values=values, configuration_labels=configuration_labels,
                   bucket_labels=labels)

    @property
    def mlrp(self) -> bool:
        """MLRP with configurations ordered by cost (ties by index)."""
        return is_mlrp(self.signal_probs, order=np.lexsort((np.arange(self.n_actions), self.costs)))

    # -- threshold contracts ------------------------------------------------------------------
    def _threshold_amount(self, a: int, j: int):
        """The smallest constant paid on buckets >= j that implements ``a`` (or None)."""
        q = self.signal_probs
        S = q[:, j:].sum(axis=1)
        d = S[a] - S
        dc = self.costs[a] - self.costs
        scale = 1.0 + float(np.max(np.abs(dc)))
        eps = 1e-12 * scale
        lo, hi = 0.0, math.inf
        # participation  S[a] * B >= costs[a]
        if S[a] > 0:
            lo = max(lo, self.costs[a] / S[a])
        elif self.costs[a] > eps:
            return None
        pos, neg, zero = d > 1e-15, d < -1e-15, np.abs(d) <= 1e-15
        if np.any(dc[zero] > eps):
            return None
        if np.any(pos):
            lo = max(lo, float(np.max(dc[pos] / d[pos])))
        if np.any(neg):
            hi = min(hi, float(np.min(dc[neg] / d[neg])))
        if lo > hi + 1e-9 * (1.0 + abs(hi)):
            return None
        return lo

    def threshold_contract(self, action, threshold: int) -> ThresholdContractResult:
        """The cheapest contract paying one constant on every bucket ``>= threshold`` that implements ``action``.

        Closed form: the constant is the largest lower bound from participation
        and the deviations it must beat; ``Status.INFEASIBLE`` when no constant works.

        Examples
        --------
        >>> sc = ScoreContract([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], [0.0, 0.3])
        >>> res = sc.threshold_contract(1, 1)      # pay on buckets 1 and 2: 0.3 / (0.8 - 0.5)
        >>> round(res.amount, 9), res.payments.round(9).tolist()
        (1.0, [0.0, 1.0, 1.0])
        """
        owner = "ScoreContract.threshold_contract"
        a = self._action(action, owner)
        j = check_int(threshold, "threshold", owner, low=0, high=self.n_signals - 1)
        return self._threshold_result(a, j)

    def _threshold_result(self, a, j, objective=None):
        B = self._threshold_amount(a, j)
        info = SolverInfo("numpy", "closed form", 0.0)
        if B is None:
            return ThresholdContractResult(Status.INFEASIBLE, None, math.nan, {}, _prog.ContractCertificate(), info,
                                           action=a, expected_payment=math.nan, principal_utility=math.nan,
                                           agent_utility=math.nan, design="threshold", threshold=j, amount=math.nan)
        t = np.where(np.arange(self.n_signals) >= j, B, 0.0)
        cert = _prog.contract_certificate(self.signal_probs, self.costs, a, t)
        pay = float(self.signal_probs[a] @ t)
        status = Status.OPTIMAL if cert.ok else Status.INACCURATE
        obj = pay if objective is None else objective
        return ThresholdContractResult(status, t, obj, {}, cert, info, action=a, expected_payment=pay,
                                       principal_utility=float(self.expected_rewards[a] - pay),
                                       agent_utility=float(pay - self.costs[a]), design="threshold",
                                       threshold=j, amount=float(B))

    def best_threshold_contract(self, action, *, objective: str = "budget") -> ThresholdContractResult:
        """The best threshold contract implementing ``action``, by enumerating every threshold.

        ``objective``: ``"budget"`` (the constant), ``"pay"`` (expected payment) or
        ``"variance"`` (of the payment under ``action``); the result's
        ``objective`` holds that value.  With two configurations whose bucket
        distributions satisfy MLRP the best budget threshold contract is a
        min-budget contract (Neyman-Pearson).  With more configurations MLRP
        alone is not enough: the min-budget contract may pay on two levels even
        under MLRP; :meth:`threshold_is_optimal` checks any instance.

        References
        ----------
        .. [1] Saig, E., Talgam-Cohen, I., and Rosenfeld, N. (2023). Delegated
           classification. NeurIPS 36.

        Examples
        --------
        >>> sc = ScoreContract([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], [0.0, 0.3])
        >>> res = sc.best_threshold_contract(1, objective="pay")
        >>> res.threshold, round(res.expected_payment, 9)
        (2, 0.5)
        """
        owner = "ScoreContract.best_threshold_contract"
        a = self._action(action, owner)
        check_option(objective, "objective", owner, ("budget", "pay", "variance"))
        q = self.signal_probs[a]
        best, best_val = None, math.inf
        for j in range(self.n_signals):
            B = self._threshold_amount(a, j)
            if B is None:
                continue
            S = float(q[j:].sum())
            val = {"budget": B, "pay": B * S, "variance": B * B * S * (1.0 - S)}[objective]
            if val < best_val - 1e-12 * (1.0 + abs(best_val) if math.isfinite(best_val) else 1.0):
                best, best_val = j, val
        if best is None:
            info = SolverInfo("numpy", "enumeration", 0.0, message="no threshold implements the action")
            return ThresholdContractResult(Status.INFEASIBLE, None, math.nan, {}, _prog.ContractCertificate(), info,
                                           action=a, expected_payment=math.nan, principal_utility=math.nan,
                                           agent_utility=math.nan, design="threshold", threshold=-1,
                                           amount=math.nan)
        return self._threshold_result(a, best, objective=best_val)

    def threshold_is_optimal(self, action, *, rtol: float = 1e-6) -> bool:
        """Whether the best threshold contract's budget equals the min-budget LP's.

        Examples
        --------
        >>> ScoreContract([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], [0.0, 0.3]).threshold_is_optimal(1)
        True
        """
        owner = "ScoreContract.threshold_is_optimal"
        a = self._action(action, owner)
        rtol = check_real(rtol, "rtol", owner, low=0.0)
        th = self.best_threshold_contract(a, objective="budget")
        lp = self.min_budget_contract(a)
        if th.status is not Status.OPTIMAL or not lp.ok:
            return False
        return bool(th.amount <= lp.objective * (1.0 + rtol) + rtol)

