"""The LEN model: Linear contracts, Exponential (CARA) utility, Normal noise.

Holmström and Milgrom's workhorse for incentive pay, one task (1987) and many
(1991).  The agent chooses an effort vector ``e`` (``m`` tasks) at cost
``e @ C @ e / 2`` (``C`` positive definite).  The principal observes ``k``
signals ``x = M e + eps`` with ``eps ~ N(0, Sigma)`` and pays the linear wage
``w = alpha + beta @ x``; the principal values effort at ``b @ e``.  With CARA
risk aversion ``r`` the agent's certainty equivalent is::

    CE = alpha + beta @ M @ e - e @ C @ e / 2 - r * beta @ Sigma @ beta / 2

so the agent's best response is ``e = C^{-1} M' beta``.  The principal sets
``alpha`` so that the agent's participation constraint binds (``CE`` equals the
reservation wage) and chooses ``beta`` to maximize the total certainty
equivalent ``b @ e - e @ C @ e / 2 - r beta @ Sigma @ beta / 2``, a concave
quadratic whose first-order condition gives::

    beta* = (M C^{-1} M' + r Sigma)^{-1} M C^{-1} b.

With every task measured (``M = I``) this is Holmström-Milgrom's (1991, eq. 6)
``beta* = (I + r C Sigma)^{-1} b``; with one task and ``b = 1``,
``beta* = 1 / (1 + r c sigma**2)`` (1987).

A signal with infinite noise variance is *unmeasured*: it carries zero weight
(``beta = 0``).  With a measured and an unmeasured task whose efforts are
substitutes in cost (``C = c [[1, s], [s, 1]]``), a piece rate on the
measured task pulls effort away from the unmeasured one, so its optimal
incentive shrinks to ``(b1 - s b2) / (1 + r c sigma**2 (1 - s**2))`` and
vanishes as the tasks become perfect substitutes (``s -> 1``) when both matter
equally: :func:`measured_task_incentive`.  Efforts are measured relative to the
agent's default allocation, so a negative effort means effort diverted away
from that task.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from solvers.result import readonly
from solvers.validation import check_array, check_real, fail

__all__ = ["LENContract", "LENModel", "measured_task_incentive"]


@dataclasses.dataclass(frozen=True, repr=False)
class LENContract:
    """A linear contract in a :class:`LENModel` and what it induces.

    Attributes
    ----------
    beta : ndarray, shape (n_signals,)
        Piece rate on each signal.
    alpha : float
        Fixed wage.
    effort : ndarray, shape (n_tasks,)
        The agent's best response ``C^{-1} M' beta``.
    agent_certainty_equivalent : float
        The agent's certainty equivalent of the wage net of effort cost.
    principal_profit : float
        The principal's expected benefit minus expected wage.
    total_surplus : float
        Total certainty equivalent: benefit minus effort cost minus risk premium.
    effort_cost, risk_premium : float
        ``e @ C @ e / 2`` and ``r beta @ Sigma @ beta / 2``.
    first_best_effort : ndarray
        ``C^{-1} b``, the effort chosen when effort is contractible.
    first_best_surplus : float
        ``b @ C^{-1} b / 2``.
    """

    beta: np.ndarray
    alpha: float
    effort: np.ndarray
    agent_certainty_equivalent: float
    principal_profit: float
    total_surplus: float
    effort_cost: float
    risk_premium: float
    first_best_effort: np.ndarray
    first_best_surplus: float

    def __post_init__(self):
        for name in ("beta", "effort", "first_best_effort"):
            object.__setattr__(self, name, readonly(getattr(self, name), dtype=np.float64))

    @property
    def agency_cost(self) -> float:
        """First-best surplus minus the surplus of this contract (``>= 0`` at the optimum)."""
        return self.first_best_surplus - self.total_surplus

    def __repr__(self) -> str:
        def arr(a):
            return np.array2string(a, precision=4, threshold=12)

        return (f"LENContract(beta={arr(self.beta)}, alpha={self.alpha:.6g}, effort={arr(self.effort)}, "
                f"principal_profit={self.principal_profit:.6g}, total_surplus={self.total_surplus:.6g}, "
                f"first_best_surplus={self.first_best_surplus:.6g})")


def _matrix(value, name, owner, size=None):
    arr = check_array(value, name, owner, ndim=(0, 1, 2))
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = np.diag(arr)
    if arr.shape[0] != arr.shape[1] or (size is not None and arr.shape[0] != size):
        want = f"({size}, {size})" if size is not None else "square"
        fail(name, owner, f"a scalar, a vector of variances or a {want} matrix", arr)
    if not np.allclose(arr, arr.T, rtol=1e-10, atol=1e-12):
        fail(name, owner, "symmetric", arr)
    return np.asarray((arr + arr.T) / 2.0)


class LENModel:
    """Holmström-Milgrom LEN principal-agent model (one or many tasks).

    Parameters
    ----------
    cost : float or (m, m) array
        Effort cost matrix ``C`` (positive definite): cost ``e @ C @ e / 2``.
        A scalar ``c`` is one task; a vector is a diagonal matrix.
    noise : float, (k,) or (k, k) array
        Signal noise: a variance (one signal), a vector of variances
        (independent signals; ``inf`` marks an unmeasured signal) or a finite
        positive semidefinite covariance matrix ``Sigma``.
    risk_aversion : float, keyword-only
        The agent's CARA coefficient ``r >= 0``.
    benefit : (m,) array, keyword-only
        The principal's marginal value of each task's effort (default ones).
    measurement : (k, m) array, keyword-only
        Signal means ``M e`` (default: the identity, one signal per task).
    reservation_wage : float, keyword-only
        The agent's outside certainty equivalent.

    References
    ----------
    .. [1] B. Holmström and P. Milgrom, "Aggregation and linearity in the
       provision of intertemporal incentives", Econometrica 55(2), 303-328, 1987.
    .. [2] B. Holmström and P. Milgrom, "Multitask principal-agent analyses:
       incentive contracts, asset ownership, and job design", Journal of Law,
       Economics, and Organization 7, 24-52, 1991.

    Examples
    --------
    One task: ``beta* = 1 / (1 + r c sigma**2)``.

    >>> LENModel(2.0, 0.5, risk_aversion=1.0).optimal_contract().beta.tolist()
    [0.5]

    Two tasks, only the first measured: the incentive is weaker than the one-task rate.

    >>> model = LENModel([[1.0, 0.5], [0.5, 1.0]], [1.0, np.inf], risk_aversion=1.0)
    >>> model.optimal_contract().beta.round(4).tolist()
    [0.2857, 0.0]
    """

    _owner = "LENModel"

    def __init__(self, cost, noise, *, risk_aversion: float, benefit=None, measurement=None,
                 reservation_wage: float = 0.0):
        owner = self._owner
        C = _matrix(cost, "cost", owner)
        m = C.shape[0]
        try:
            np.linalg.cholesky(C)
        except np.linalg.LinAlgError:
            fail("cost", owner, "a positive definite matrix (every effort direction must be costly)", C,
                 hint="Perfect substitutes are the limit of cost=[[1, s], [s, 1]] as s -> 1.")
        if benefit is None:
            b = np.ones(m)
        else:
            b = np.asarray(check_array(benefit, "benefit", owner, ndim=(0, 1)), dtype=np.float64).reshape(-1)
            if b.size != m:
                fail("benefit", owner, f"a vector with one value per task ({m})", benefit)
        if measurement is None:
            M = np.eye(m)
        else:
            M = np.asarray(check_array(measurement, "measurement", owner, ndim=(1, 2)), dtype=np.float64)
            M = M.reshape(1, -1) if M.ndim == 1 else M
            if M.shape[1] != m:
                fail("measurement", owner, f"a (n_signals, {m}) matrix (one column per task)", M)
        k = M.shape[0]
        noise_arr = check_array(noise, "noise", owner, ndim=(0, 1, 2), finite=False)
        if np.any(np.isnan(noise_arr)):
            fail("noise", owner, "free of NaN", noise_arr)
        if noise_arr.ndim == 2:
            if not np.all(np.isfinite(noise_arr)):
                fail("noise", owner, "a finite covariance matrix",
                     noise_arr, hint="Mark an unmeasured signal with an infinite variance in a vector of variances.")
            Sigma = _matrix(noise_arr, "noise", owner, size=k)
            if np.linalg.eigvalsh(Sigma).min() < -1e-12 * max(1.0, np.abs(Sigma).max()):
                fail("noise", owner, "a positive semidefinite covariance matrix", noise_arr)
            measured = np.ones(k, dtype=bool)
        else:
            var = np.broadcast_to(np.asarray(noise_arr, dtype=np.float64).reshape(-1), (k,)) if noise_arr.size == 1 \
                else np.asarray(noise_arr, dtype=np.float64)
            if var.shape != (k,):
                fail("noise", owner, f"a scalar, {k} variances or a ({k}, {k}) covariance matrix", noise_arr)
            if np.any(var < 0):
                fail("noise", owner, "nonnegative variances", noise_arr)
            measured = np.isfinite(var)
            Sigma = np.diag(np.where(measured, var, 0.0))
        self.cost = readonly(C)
        self.benefit = readonly(b)
        self.measurement = readonly(M)
        self.noise_cov = readonly(Sigma)
        self.measured = readonly(measured)
        self.risk_aversion = check_real(risk_aversion, "risk_aversion", owner, low=0.0)
        self.reservation_wage = check_real(reservation_wage, "reservation_wage", owner)
        self._C_inv = np.linalg.inv(C)

    @property
    def n_tasks(self) -> int:
        return self.cost.shape[0]

    @property
    def n_signals(self) -> int:
        return self.measurement.shape[0]

    def best_response(self, beta) -> np.ndarray:
        """The agent's effort ``C^{-1} M' beta`` (``beta`` may carry leading batch axes)."""
        beta = self._check_beta(beta, "best_response", batch=True)
        return beta @ (self.measurement @ self._C_inv)

    def _check_beta(self, beta, method, batch=False):
        owner = f"{self._owner}.{method}"
        arr = check_array(beta, "beta", owner, ndim=None if batch else (0, 1))
        arr = np.asarray(arr, dtype=np.float64)
        if not batch:
            arr = arr.reshape(-1)
        if arr.ndim == 0 or arr.shape[-1] != self.n_signals:
            fail("beta", owner, f"a vector of {self.n_signals} piece rates (one per signal)", beta)
        if np.any(arr[..., ~self.measured] != 0):
            fail("beta", owner, "zero on the unmeasured signals (those with infinite noise variance)", beta)
        return arr

    def evaluate(self, beta, *, alpha: float | None = None) -> LENContract:
        """What the linear contract ``alpha + beta @ x`` induces.

        ``alpha=None`` sets the fixed wage so that the agent's participation
        constraint binds (certainty equivalent = reservation wage).
        """
        beta = self._check_beta(beta, "evaluate")
        M, C, b = self.measurement, self.cost, self.benefit
        e = self._C_inv @ (M.T @ beta)
        effort_cost = float(e @ C @ e) / 2.0
        risk_premium = self.risk_aversion * float(beta @ self.noise_cov @ beta) / 2.0
        expected_bonus = float(beta @ (M @ e))
        if alpha is None:
            alpha = self.reservation_wage - expected_bonus + effort_cost + risk_premium
        else:
            alpha = check_real(alpha, "alpha", f"{self._owner}.evaluate")
        ce = alpha + expected_bonus - effort_cost - risk_premium
        profit = float(b @ e) - alpha - expected_bonus
        fb_effort = self._C_inv @ b
        return LENContract(
            beta=beta, alpha=float(alpha), effort=e, agent_certainty_equivalent=float(ce),
            principal_profit=float(profit), total_surplus=float(b @ e) - effort_cost - risk_premium,
            effort_cost=effort_cost, risk_premium=risk_premium, first_best_effort=fb_effort,
            first_best_surplus=float(b @ fb_effort) / 2.0,
        )

    def optimal_contract(self) -> LENContract:
        """The principal's optimal linear contract ``beta* = (M C^{-1} M' + r Sigma)^{-1} M C^{-1} b``.

        Unmeasured signals get ``beta = 0``.  When the normal equations are
        singular (``r = 0`` with redundant signals) the minimum-norm optimal
        ``beta`` is returned.

        References
        ----------
        .. [1] B. Holmström and P. Milgrom, "Aggregation and linearity in the
           provision of intertemporal incentives", Econometrica 55(2), 303-328, 1987.
        .. [2] B. Holmström and P. Milgrom, "Multitask principal-agent analyses:
           incentive contracts, asset ownership, and job design", Journal of Law,
           Economics, and Organization 7, 24-52, 1991.
        """
        beta = np.zeros(self.n_signals)
        S = self.measured
        if S.any():
            MS = self.measurement[S]
            A = MS @ self._C_inv @ MS.T + self.risk_aversion * self.noise_cov[np.ix_(S, S)]
            rhs = MS @ self._C_inv @ self.benefit
            beta[S] = np.linalg.lstsq(A, rhs, rcond=None)[0]
        return self.evaluate(beta)

    def __repr__(self) -> str:
        return (f"LENModel(n_tasks={self.n_tasks}, n_signals={self.n_signals}, "
                f"measured={int(self.measured.sum())}, risk_aversion={self.risk_aversion:g})")


def measured_task_incentive(substitution, /, *, cost: float = 1.0, noise_variance: float = 1.0,
                            risk_aversion: float = 1.0, benefit=(1.0, 1.0)) -> np.ndarray:
    """Optimal piece rate on the measured task when a second, valued task is unmeasured.

    Two tasks with effort cost ``cost * [[1, s], [s, 1]]`` (``s`` = ``substitution``:
    0 independent, 1 perfect substitutes), task 1 measured with noise variance
    ``noise_variance``, task 2 not measured at all (infinite noise).  The
    optimal rate is::

        beta_1 = (b_1 - s b_2) / (1 + r c sigma**2 (1 - s**2)),

    the general formula of :class:`LENModel` for ``|s| < 1`` and its limit at
    ``s = 1``.  It equals the one-task rate ``b_1 / (1 + r c sigma**2)`` at
    ``s = 0``, falls as ``s`` grows when the unmeasured task is valued
    (``b_2 > 0``), and is 0 at ``s = 1`` when both tasks matter equally.

    Parameters
    ----------
    substitution : float or array
        Values of ``s`` in ``(-1, 1]`` (vectorized).
    cost, noise_variance, risk_aversion : float, keyword-only
        ``c > 0``, ``sigma**2 >= 0``, ``r >= 0``.
    benefit : pair of floats, keyword-only
        The principal's value of each task, ``(b_1, b_2)``.

    Returns
    -------
    ndarray
        ``beta_1`` for each ``s`` (same shape as ``substitution``).

    References
    ----------
    .. [1] B. Holmström and P. Milgrom, "Aggregation and linearity in the
       provision of intertemporal incentives", Econometrica 55(2), 303-328, 1987.
    .. [2] B. Holmström and P. Milgrom, "Multitask principal-agent analyses:
       incentive contracts, asset ownership, and job design", Journal of Law,
       Economics, and Organization 7, 24-52, 1991.

    Examples
    --------
    >>> measured_task_incentive([0.0, 0.5, 1.0], cost=1.0, noise_variance=1.0, risk_aversion=1.0).round(4).tolist()
    [0.5, 0.2857, 0.0]
    """
    owner = "measured_task_incentive"
    s = np.asarray(check_array(substitution, "substitution", owner), dtype=np.float64)
    if s.size and (s.min() <= -1.0 or s.max() > 1.0):
        fail("substitution", owner, "in (-1, 1] (the cost matrix must stay positive semidefinite)", substitution)
    c = check_real(cost, "cost", owner, low=0.0, low_open=True)
    var = check_real(noise_variance, "noise_variance", owner, low=0.0)
    r = check_real(risk_aversion, "risk_aversion", owner, low=0.0)
    b = check_array(benefit, "benefit", owner, shape=(2,))
    return (b[0] - s * b[1]) / (1.0 + r * c * var * (1.0 - s**2))
