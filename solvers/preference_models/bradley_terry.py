"""Bradley-Terry maximum likelihood over pairwise comparisons (item, Davidson-ties and linear models).

See :mod:`solvers.preference_models` for the conventions.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator
from scipy.special import expit, log_expit

from ..result import SolverInfo, Status
from ..validation import check_array, check_int, check_option, check_real, fail
from ._common import (
    TIE_MODELS,
    MLECertificate,
    PairCounts,
    PreferenceModelResult,
    _dot,
    _failed,
    _mle_exists,
    _newton,
    _Objective,
    _pair_counts,
)

class _BradleyTerry(_Objective):
    """Penalized BT negative log-likelihood over pair counts (ties counted as half wins).

    The Hessian is the weighted graph Laplacian ``diag - U - U.T`` with ``U`` the
    strictly upper triangular pair matrix (pairs are sorted by ``(i, j)``, so its
    CSR structure is built once without sorting and only its data change).
    """

    def __init__(self, pc: PairCounts, l2: float, tie_model: str):
        self.n = n = pc.n_items
        self.i, self.j = pc.i, pc.j
        half = 0.5 * pc.ties if tie_model == "half" else 0.0
        self.w_ij = pc.wins_i + half
        self.w_ji = pc.wins_j + half
        self.total = self.w_ij + self.w_ji
        self.l2 = l2
        indptr = np.concatenate([[0], np.cumsum(np.bincount(self.i, minlength=n))]).astype(np.int64)
        self._upper = sp.csr_array((np.zeros(self.i.size), self.j.astype(np.int64), indptr), shape=(n, n))
        self._cache = (None, None)

    def _state(self, x):
        """(sigma(d), log sigma(d), d) at ``x``, cached for the last point (the line search's accepted trial)."""
        key, value = self._cache
        if key is not None and key.shape == x.shape and np.array_equal(key, x):
            return value
        d = x[self.i] - x[self.j]
        p = expit(d)
        with np.errstate(divide="ignore"):
            logp = np.log(p)              # accurate: p is computed to full relative precision
        if not np.isfinite(logp).all():   # p underflowed (d < -745): the exact route
            logp = log_expit(d)
        value = (p, logp, d)
        self._cache = (x.copy(), value)
        return value

    def loglik(self, x) -> float:
        _, logp, d = self._state(x)
        # log L = sum w_ij log s(d) + w_ji log s(-d),  log s(-d) = log s(d) - d
        return _dot(self.total, logp) - _dot(self.w_ji, d)

    def value(self, x) -> float:
        return -self.loglik(x) + 0.5 * self.l2 * _dot(x, x)

    def gradient_ll(self, x):
        """Gradient of the penalized log-likelihood (to be maximized) and the win probabilities."""
        p, _, _ = self._state(x)
        r = self.w_ij - self.total * p
        n = self.n
        return np.bincount(self.i, r, minlength=n) - np.bincount(self.j, r, minlength=n) - self.l2 * x, p

    def derivatives(self, x):
        g_ll, p = self.gradient_ll(x)
        h = self.total * p * (1.0 - p)
        n = self.n
        diag = np.bincount(self.i, h, minlength=n) + np.bincount(self.j, h, minlength=n) + self.l2
        upper = self._upper
        upper.data[:] = h
        ridge = diag + 1e-12 * max(float(diag.max(initial=0.0)), 1e-300)
        lower = upper.T

        def matvec(v):
            v = np.ravel(v)
            return ridge * v - upper @ v - lower @ v

        return -g_ll, LinearOperator((n, n), matvec=matvec, dtype=np.float64), diag


class _Davidson(_Objective):
    """Davidson's tie model: parameters (theta, log nu); a 3-outcome logit per pair."""

    def __init__(self, pc: PairCounts, l2: float):
        self.n = pc.n_items + 1
        self.items = pc.n_items
        self.i, self.j = pc.i, pc.j
        self.a, self.b, self.t = pc.wins_i, pc.wins_j, pc.ties
        self.total = self.a + self.b + self.t
        self.l2 = l2

    def _utilities(self, x):
        th, eta = x[:-1], x[-1]
        ui, uj = th[self.i], th[self.j]
        return ui, uj, eta + 0.5 * (ui + uj)

    def loglik(self, x) -> float:
        u1, u2, u3 = self._utilities(x)
        lse = np.logaddexp(np.logaddexp(u1, u2), u3)
        return _dot(self.a, u1) + _dot(self.b, u2) + _dot(self.t, u3) - _dot(self.total, lse)

    def value(self, x) -> float:
        th = x[:-1]
        return -self.loglik(x) + 0.5 * self.l2 * float(th @ th)

    def _probs(self, x):
        u1, u2, u3 = self._utilities(x)
        lse = np.logaddexp(np.logaddexp(u1, u2), u3)
        return np.exp(u1 - lse), np.exp(u2 - lse), np.exp(u3 - lse)

    def gradient_ll(self, x):
        q1, q2, q3 = self._probs(x)
        r1 = self.a - self.total * q1
        r2 = self.b - self.total * q2
        r3 = self.t - self.total * q3
        m = self.items
        g = np.empty(self.n)
        g[:-1] = (np.bincount(self.i, r1 + 0.5 * r3, minlength=m) + np.bincount(self.j, r2 + 0.5 * r3, minlength=m)
                  - self.l2 * x[:-1])
        g[-1] = r3.sum()
        return g, (q1, q2, q3)

    def derivatives(self, x):
        g_ll, (q1, q2, q3) = self.gradient_ll(x)
        tot, i, j, m = self.total, self.i, self.j, self.items
        l2 = self.l2

        def matvec(v):
            vi, vj, ve = v[:-1][i], v[:-1][j], v[-1]
            d1, d2 = vi, vj
            d3 = ve + 0.5 * (vi + vj)
            mean = q1 * d1 + q2 * d2 + q3 * d3
            h1 = tot * q1 * (d1 - mean)
            h2 = tot * q2 * (d2 - mean)
            h3 = tot * q3 * (d3 - mean)
            out = np.empty(self.n)
            out[:-1] = (np.bincount(i, h1 + 0.5 * h3, minlength=m) + np.bincount(j, h2 + 0.5 * h3, minlength=m)
                        + l2 * v[:-1])
            out[-1] = h3.sum()
            return out

        # diagonal of J^T (diag(q) - q q^T) J per pair
        c_i = q1 + 0.25 * q3 - (q1 + 0.5 * q3) ** 2
        c_j = q2 + 0.25 * q3 - (q2 + 0.5 * q3) ** 2
        diag = np.empty(self.n)
        diag[:-1] = np.bincount(i, tot * c_i, minlength=m) + np.bincount(j, tot * c_j, minlength=m) + l2
        diag[-1] = float(tot @ (q3 * (1 - q3)))
        return -g_ll, LinearOperator((self.n, self.n), matvec=matvec, dtype=np.float64), diag


# ---------------------------------------------------------------------- Bradley-Terry
def fit_bradley_terry(comparisons, /, *, n_items: int | None = None, weights=None, ties=None, tie_weights=None,
                      tie_model: str = "half", l2: float = 0.0, atol: float = 1e-9,
                      max_iter: int = 200) -> PreferenceModelResult:
    """Maximum-likelihood Bradley-Terry scores from pairwise comparisons.

    Parameters
    ----------
    comparisons : int array of shape (n, 2)
        One ``(winner, loser)`` row per comparison (item ids ``0 .. n_items-1``).
    n_items : int, optional
        Number of items (default: the largest id + 1).
    weights : array of shape (n,), optional
        Multiplicity of each comparison (default 1).
    ties, tie_weights : optional
        ``(k, 2)`` array of tied pairs and their multiplicities.
    tie_model : {"half", "davidson", "ignore"}
        How ties enter the likelihood (see the module docstring).
    l2 : float
        Ridge penalty ``l2 / 2 * ||theta||^2`` (0: plain MLE).
    atol : float
        Stationarity tolerance of the certificate (relative, per item).
    max_iter : int
        Newton iterations.

    Returns
    -------
    PreferenceModelResult
        ``x`` = ``scores`` = log-strengths with mean 0; ``tie_parameter`` = Davidson's
        ``nu`` for ``tie_model="davidson"``.  ``Status.UNBOUNDED`` (and no ``x``)
        when ``l2 = 0`` and the MLE does not exist or is not unique.

    Notes
    -----
    The comparisons are aggregated to counts per unordered pair; Newton's
    systems are graph Laplacians (weights ``n_ij p_ij (1 - p_ij)``) solved by
    Jacobi-preconditioned conjugate gradients, so an iteration costs
    ``O(n_pairs)`` and memory is ``O(n_pairs + n_items)``.

    References
    ----------
    .. [1] R. A. Bradley and M. E. Terry, "Rank analysis of incomplete block designs
       I: the method of paired comparisons", *Biometrika* 39 (1952) 324-345.
    .. [2] L. R. Ford Jr., "Solution of a ranking problem from binary comparisons",
       *American Mathematical Monthly* 64 (1957) 28-33.
    .. [3] R. R. Davidson, "On extending the Bradley-Terry model to accommodate ties
       in paired comparison experiments", *JASA* 65 (1970) 317-328.

    Examples
    --------
    Two items, 0 beat 1 three times out of four: ``theta_0 - theta_1 = log 3``.

    >>> res = fit_bradley_terry([[0, 1], [0, 1], [0, 1], [1, 0]])
    >>> res.status, round(float(res.x[0] - res.x[1]), 9), round(float(np.log(3)), 9)
    (Status.OPTIMAL, 1.098612289, 1.098612289)
    >>> fit_bradley_terry([[0, 1], [1, 2]]).status    # item 0 never lost
    Status.UNBOUNDED
    """
    owner = "fit_bradley_terry"
    start = time.perf_counter()
    tie_model = check_option(tie_model, "tie_model", owner, TIE_MODELS)
    l2 = check_real(l2, "l2", owner, low=0.0)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", owner, low=1)
    pc = _pair_counts(comparisons, n_items, weights, ties, tie_weights, owner)
    model = "davidson" if tie_model == "davidson" else "bradley_terry"
    use_ties = tie_model != "ignore"
    if l2 == 0.0:
        reason = _mle_exists(pc, use_ties)
        if reason:
            return _failed(Status.UNBOUNDED, model, reason + "; pass l2 > 0 to regularize", atol,
                           time.perf_counter() - start)
    davidson = tie_model == "davidson" and float(pc.ties.sum()) > 0
    if davidson and float((pc.wins_i + pc.wins_j).sum()) == 0:
        return _failed(Status.UNBOUNDED, model, "every comparison is a tie: Davidson's tie parameter is infinite",
                       atol, time.perf_counter() - start)
    scale = pc.item_counts()
    if davidson:
        obj = _Davidson(pc, l2)
        x0 = np.zeros(pc.n_items + 1)
        x0[-1] = np.log(max(pc.ties.sum(), 1e-300) / max(float((pc.wins_i + pc.wins_j).sum()), 1e-300)) + np.log(2.0)
        scale_full = np.append(scale, float(pc.ties.sum() + (pc.wins_i + pc.wins_j).sum()))
        x, iters, converged, _ = _newton(obj, x0, scale=scale_full, atol=atol * 0.1, max_iter=max_iter,
                                         center=False)
        theta = x[:-1] - x[:-1].mean()
        x = np.append(theta, x[-1])
        g, _ = obj.gradient_ll(x)
        stationarity = float(np.max(np.abs(g) / (1.0 + scale_full)))
        loglik = obj.loglik(x)
        objective = loglik - 0.5 * l2 * float(theta @ theta)
        nu = float(np.exp(x[-1]))
    else:
        obj = _BradleyTerry(pc, l2, tie_model)
        theta, iters, converged, _ = _newton(obj, _bt_start(obj), scale=scale, atol=atol * 0.1,
                                             max_iter=max_iter, center=True)   # iterates have mean 0
        g, _ = obj.gradient_ll(theta)
        stationarity = float(np.max(np.abs(g) / (1.0 + scale), initial=0.0))
        loglik = obj.loglik(theta)   # ties enter as half wins ("half") or not at all ("ignore")
        objective = loglik - 0.5 * l2 * float(theta @ theta)
        nu = None
    cert = MLECertificate(atol=atol, stationarity=stationarity, normalization=abs(float(theta.mean())))
    status = Status.OPTIMAL if cert.ok else (Status.INACCURATE if converged else Status.ITERATION_LIMIT)
    message = "" if cert.ok else "numpy re-check: " + ", ".join(f"{k}={v:.3g}" for k, v in cert.failures().items())
    info = SolverInfo(backend="numpy", solver="newton-cg", time=time.perf_counter() - start, iterations=iters,
                      message=message)
    return PreferenceModelResult(status, theta, objective, {}, cert, info, model=model, scores=theta,
                                 log_likelihood=loglik, tie_parameter=nu)


def _bt_start(obj: "_BradleyTerry") -> np.ndarray:
    """A cheap starting point: log of (wins + 1) / (losses + 1) per item, centered (shrunk toward 0 by l2)."""
    n = obj.n
    wins = np.bincount(obj.i, obj.w_ij, minlength=n) + np.bincount(obj.j, obj.w_ji, minlength=n)
    losses = np.bincount(obj.i, obj.w_ji, minlength=n) + np.bincount(obj.j, obj.w_ij, minlength=n)
    x = np.log((wins + 1.0) / (losses + 1.0))
    x -= x.mean()
    if obj.l2 > 0:
        x *= (wins + losses) / (wins + losses + 4.0 * obj.l2)
        x -= x.mean()
    return x


def _bt_loglik_counts(theta, pc: PairCounts, tie_model: str) -> float:
    d = theta[pc.i] - theta[pc.j]
    logp = log_expit(d)                      # log P(i beats j); log P(j beats i) = logp - d
    wi, wj = pc.wins_i, pc.wins_j
    if tie_model == "half":
        wi, wj = wi + 0.5 * pc.ties, wj + 0.5 * pc.ties
    return _dot(wi + wj, logp) - _dot(wj, d)


def bradley_terry_log_likelihood(scores, comparisons, /, *, weights=None, ties=None, tie_weights=None,
                                 tie_model: str = "half", tie_parameter: float | None = None) -> float:
    """Log-likelihood of ``(winner, loser)`` comparisons under Bradley-Terry scores.

    Parameters
    ----------
    scores : array of shape (n_items,)
        Log-strengths.
    comparisons, weights, ties, tie_weights, tie_model
        As in :func:`fit_bradley_terry`.
    tie_parameter : float, optional
        Davidson's ``nu`` (required for ``tie_model="davidson"`` with ties).

    Examples
    --------
    >>> round(bradley_terry_log_likelihood([0.0, 0.0], [[0, 1]]), 9) == round(float(np.log(0.5)), 9)
    True
    """
    owner = "bradley_terry_log_likelihood"
    theta = check_array(scores, "scores", owner, ndim=1, min_size=1)
    tie_model = check_option(tie_model, "tie_model", owner, TIE_MODELS)
    pc = _pair_counts(comparisons, theta.size, weights, ties, tie_weights, owner)
    if tie_model == "davidson" and float(pc.ties.sum()) > 0:
        if tie_parameter is None:
            fail("tie_parameter", owner, "given (Davidson's nu) when there are ties", None, show_got=False)
        nu = check_real(tie_parameter, "tie_parameter", owner, low=0.0, low_open=True)
        return _Davidson(pc, 0.0).loglik(np.append(np.asarray(theta, dtype=np.float64), np.log(nu)))
    return _bt_loglik_counts(np.asarray(theta, dtype=np.float64), pc, tie_model)


# ---------------------------------------------------------------------- linear (feature) Bradley-Terry
def fit_linear_bradley_terry(features, comparisons, /, *, weights=None, ties=None, tie_weights=None,
                             tie_model: str = "half", l2: float = 0.0, atol: float = 1e-9,
                             max_iter: int = 100) -> PreferenceModelResult:
    """Bradley-Terry with linear rewards ``r(c) = features[c] @ beta`` (logistic regression on differences).

    Parameters
    ----------
    features : array of shape (n_items, d)
        One feature vector per item.
    comparisons, weights, ties, tie_weights
        As in :func:`fit_bradley_terry`.
    tie_model : {"half", "ignore"}
    l2 : float
        Ridge penalty ``l2 / 2 * ||beta||^2``.
    atol, max_iter
        As in :func:`fit_bradley_terry`.

    Returns
    -------
    PreferenceModelResult
        ``x`` = ``beta`` (shape ``(d,)``), ``scores`` = ``features @ beta``.  When
        ``beta`` is not identified (a direction orthogonal to every feature
        difference), the minimum-norm maximizer is returned.  ``Status.UNBOUNDED``
        when ``l2 = 0`` and the comparisons are linearly separable (no maximizer;
        checked by a linear program).

    References
    ----------
    .. [1] L. Ge, D. Halpern, E. Micha, A. D. Procaccia, I. Shapira, Y. Vorobeychik and
       J. Wu, "Axioms for AI alignment from human feedback", NeurIPS 2024 (section 3.1).
    .. [2] R. A. Bradley and M. E. Terry, *Biometrika* 39 (1952) 324-345.

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0]]
    >>> res = fit_linear_bradley_terry(X, [[1, 0], [0, 1], [1, 0], [2, 1], [1, 2], [2, 1]])
    >>> round(float(res.x[0]), 9) == round(float(np.log(2)), 9)
    True
    """
    owner = "fit_linear_bradley_terry"
    start = time.perf_counter()
    X = check_array(features, "features", owner, ndim=2, min_size=1)
    tie_model = check_option(tie_model, "tie_model", owner, ("half", "ignore"))
    l2 = check_real(l2, "l2", owner, low=0.0)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", owner, low=1)
    pc = _pair_counts(comparisons, X.shape[0], weights, ties, tie_weights, owner)
    half = 0.5 * pc.ties if tie_model == "half" else 0.0
    w_ij, w_ji = pc.wins_i + half, pc.wins_j + half
    D = X[pc.i] - X[pc.j]
    if l2 == 0.0:
        reason = _separable(D, w_ij, w_ji)
        if reason:
            return _failed(Status.UNBOUNDED, "linear_bradley_terry", reason + "; pass l2 > 0 to regularize", atol,
                           time.perf_counter() - start)
    total = w_ij + w_ji
    d = X.shape[1]
    scale = np.abs(D).T @ total

    def value(beta):
        m = D @ beta
        return float(w_ij @ np.logaddexp(0.0, -m) + w_ji @ np.logaddexp(0.0, m)) + 0.5 * l2 * float(beta @ beta)

    def gradient_ll(beta):
        p = expit(D @ beta)
        return D.T @ (w_ij - total * p) - l2 * beta, p

    beta = np.zeros(d)
    f = value(beta)
    converged = False
    iters = 0
    for iters in range(max_iter + 1):
        g, p = gradient_ll(beta)
        if float(np.max(np.abs(g) / (1.0 + scale), initial=0.0)) <= 0.1 * atol:
            converged = True
            break
        if iters == max_iter:
            break
        H = (D * (total * p * (1 - p))[:, None]).T @ D + l2 * np.eye(d)
        step = np.linalg.lstsq(H, g, rcond=1e-13)[0]  # minimum norm: stays in the row space of D
        slope = -float(g @ step)
        if not slope < 0:
            break
        t = 1.0
        while True:
            trial = beta + t * step
            f_new = value(trial)
            if f_new <= f + 1e-4 * t * slope + 1e-15 * abs(f):
                break
            t *= 0.5
            if t < 1e-12:
                break
        if t < 1e-12:
            break
        beta, f = trial, f_new
    g, _ = gradient_ll(beta)
    stationarity = float(np.max(np.abs(g) / (1.0 + scale), initial=0.0))
    cert = MLECertificate(atol=atol, stationarity=stationarity, normalization=0.0)
    status = Status.OPTIMAL if cert.ok else (Status.INACCURATE if converged else Status.ITERATION_LIMIT)
    m = D @ beta
    loglik = -float(pc.wins_i @ np.logaddexp(0.0, -m) + pc.wins_j @ np.logaddexp(0.0, m))
    if tie_model == "half":
        loglik -= float((0.5 * pc.ties) @ (np.logaddexp(0.0, -m) + np.logaddexp(0.0, m)))
    message = "" if cert.ok else "numpy re-check: " + ", ".join(f"{k}={v:.3g}" for k, v in cert.failures().items())
    info = SolverInfo(backend="numpy", solver="newton", time=time.perf_counter() - start, iterations=iters,
                      message=message)
    return PreferenceModelResult(status, beta, -f, {}, cert, info, model="linear_bradley_terry",
                                 scores=X @ beta, log_likelihood=loglik)


def _separable(D, w_ij, w_ji) -> str:
    """Reason string if the weighted comparisons are (quasi-)linearly separable, else ''."""
    from ..lp import LinearProgram

    rows = np.concatenate([D[w_ij > 0], -D[w_ji > 0]])
    if rows.shape[0] == 0:
        return "there are no decisive comparisons"
    k, d = rows.shape
    # maximize sum s  s.t.  rows @ beta - s >= 0,  0 <= s <= 1,  beta free
    lp = LinearProgram(d + k, lb=np.concatenate([np.full(d, -np.inf), np.zeros(k)]),
                       ub=np.concatenate([np.full(d, np.inf), np.ones(k)]))
    A = sp.hstack([sp.csr_array(rows), -sp.eye_array(k, format="csr")], format="csr")
    lp.add_constraints("separation", A, lower=np.zeros(k))
    res = lp.solve(np.concatenate([np.zeros(d), np.ones(k)]), maximize=True)
    if res.x is not None and res.objective > 1e-7:
        return "the comparisons are linearly separable in feature space (the MLE does not exist)"
    return ""


# ---------------------------------------------------------------------- Plackett-Luce
