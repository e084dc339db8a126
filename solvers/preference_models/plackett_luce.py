"""Plackett-Luce maximum likelihood over (partial) rankings.

See :mod:`solvers.preference_models` for the conventions.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.sparse.linalg import LinearOperator

from ..result import SolverInfo, Status
from ..validation import check_array, check_int, check_option, check_real, fail
from ._common import (
    MLECertificate,
    PreferenceModelResult,
    _check_weights,
    _dot,
    _failed,
    _mle_exists,
    _newton,
    _Objective,
    pair_counts,
)

class _PlackettLuce(_Objective):
    """PL negative log-likelihood over padded rankings; choice sets per ``unranked`` convention."""

    def __init__(self, rankings, weights, n_items, l2, unranked):
        self.n = n_items
        self.r = rankings                    # (R, L) padded with -1
        self.valid = rankings >= 0
        self.length = self.valid.sum(axis=1)
        self.w = weights
        self.l2 = l2
        self.below = unranked == "below"
        self.idx = np.where(self.valid, rankings, 0)
        # positions that are choices: every listed position (a singleton choice set contributes 0)
        self.ranked_mask = np.zeros((rankings.shape[0], n_items), dtype=bool)
        rows = np.repeat(np.arange(rankings.shape[0]), rankings.shape[1])
        flat = rankings.reshape(-1)
        keep = flat >= 0
        self.ranked_mask[rows[keep], flat[keep]] = True
        self.unranked = (~self.ranked_mask).astype(np.float64)

    def _dens(self, e_full, E):
        """Per position: the choice-set sums D (1 where the position is padding).

        Suffix sums over the listed items (plus, for ``"below"``, the sum over the
        unlisted ones), never a total minus a prefix: no cancellation.
        """
        D = np.cumsum(E[:, ::-1], axis=1)[:, ::-1]
        if self.below:
            D = D + (self.unranked @ e_full)[:, None]
        return np.where(self.valid, D, 1.0)

    def _terms(self, x):
        shift = float(x.max()) if x.size else 0.0
        e = np.exp(x - shift)
        E = np.where(self.valid, e[self.idx], 0.0)
        D = self._dens(e, E)
        return shift, e, E, D

    def _log_dens(self, x):
        """Per position: the log of the choice-set sum, by log-sum-exp (0 where the position is padding).

        Suffix log-sum-exps along the rankings (plus, for ``"below"``, the
        log-sum-exp over the unlisted items, shifted by their own maximum): no
        term underflows, however far apart the scores are.  Computing ``log D``
        from the sums of ``_dens`` (one shift for all items) took ``log(0)``
        once a choice set's items were all ~745 below the best item.
        """
        th = np.where(self.valid, x[self.idx], -np.inf)
        log_d = np.logaddexp.accumulate(th[:, ::-1], axis=1)[:, ::-1]
        if self.below:
            out = self.unranked > 0
            top = np.where(out, x[None, :], -np.inf).max(axis=1, initial=-np.inf)
            has = np.isfinite(top)
            top = np.where(has, top, 0.0)
            total = np.exp(np.where(out, x[None, :] - top[:, None], -np.inf)).sum(axis=1)
            log_out = np.where(has, top + np.log(np.where(has, total, 1.0)), -np.inf)
            log_d = np.logaddexp(log_d, log_out[:, None])
        return np.where(self.valid, log_d, 0.0)

    def loglik(self, x) -> float:
        shift, _, _, D = self._terms(x)
        th = np.where(self.valid, x[self.idx], 0.0)
        if D.size and float(D.min()) < 1e-290:
            # a choice-set sum (after the one global shift) underflowed or lost precision: the exact route
            return _dot(self.w, (th - self._log_dens(x)).sum(axis=1))
        # fast route: every sum is a normal float, so log(D) has full relative precision
        return _dot(self.w, np.where(self.valid, th - shift - np.log(D), 0.0).sum(axis=1))

    def value(self, x) -> float:
        return -self.loglik(x) + 0.5 * self.l2 * float(x @ x)

    def _set_sums(self, per_position):
        """For each ranking and item: the sum of ``per_position`` over the choice sets containing the item."""
        cum = np.cumsum(np.where(self.valid, per_position, 0.0), axis=1)   # sum_{k <= p}
        ranked = np.zeros((self.r.shape[0], self.n))
        rows = np.repeat(np.arange(self.r.shape[0]), self.r.shape[1])
        flat = self.r.reshape(-1)
        keep = flat >= 0
        ranked[rows[keep], flat[keep]] = cum.reshape(-1)[keep]
        if self.below:
            totals = cum[:, -1] if cum.shape[1] else np.zeros(self.r.shape[0])
            ranked = np.where(self.ranked_mask, ranked, totals[:, None])
        return ranked

    def gradient_ll(self, x):
        shift, e, E, D = self._terms(x)
        inv = 1.0 / D
        S = self._set_sums(inv)                         # (R, n)
        grad = (self.w[:, None] * (self.ranked_mask.astype(np.float64) - e[None, :] * S)).sum(axis=0)
        return grad - self.l2 * x, (e, E, D, S)

    def derivatives(self, x):
        g_ll, (e, E, D, S) = self.gradient_ll(x)
        S2 = self._set_sums(1.0 / D ** 2)
        w = self.w
        diag = (w[:, None] * (e[None, :] * S - e[None, :] ** 2 * S2)).sum(axis=0) + self.l2
        base = (w[:, None] * S).sum(axis=0)

        def matvec(v):
            ev = e * v
            EV = np.where(self.valid, ev[self.idx], 0.0)
            A = self._dens(ev, EV)
            SA = self._set_sums(np.where(self.valid, A / D ** 2, 0.0))
            return ev * base - e * (w @ SA) + self.l2 * v

        return -g_ll, LinearOperator((self.n, self.n), matvec=matvec, dtype=np.float64), diag


def _check_rankings(value, owner, n_items):
    if isinstance(value, (list, tuple)) and value and any(isinstance(r, (list, tuple, np.ndarray)) for r in value):
        rows = [list(r) for r in value]
        width = max((len(r) for r in rows), default=0)
        value = [r + [-1] * (width - len(r)) for r in rows]
    arr = check_array(value, "rankings", owner, dtype="int", ndim=2)
    if arr.size and (arr.min() < -1):
        fail("rankings", owner, "item ids (padded with -1 at the end)", arr)
    if n_items is None:
        n_items = int(arr.max(initial=-1)) + 1
        if n_items < 1:
            fail("rankings", owner, "nonempty (or give n_items)", arr)
    elif arr.size and arr.max() >= n_items:
        fail("rankings", owner, f"item ids in [0, {n_items - 1}] (padded with -1)", arr)
    valid = arr >= 0
    # padding only at the end
    if arr.shape[1] > 1 and np.any(~valid[:, :-1] & valid[:, 1:]):
        row = int(np.flatnonzero(np.any(~valid[:, :-1] & valid[:, 1:], axis=1))[0])
        fail("rankings", owner, "rankings padded with -1 at the end only", arr, hint=f"See row {row}.")
    srt = np.sort(np.where(valid, arr, -1 - np.arange(arr.shape[1])[None, :]), axis=1)
    if arr.shape[1] > 1 and np.any(srt[:, 1:] == srt[:, :-1]):
        row = int(np.flatnonzero(np.any(srt[:, 1:] == srt[:, :-1], axis=1))[0])
        fail("rankings", owner, "rankings without repeated items", arr, hint=f"Row {row} repeats an item.")
    return arr, n_items


def fit_plackett_luce(rankings, /, *, n_items: int | None = None, weights=None, unranked: str = "below",
                      l2: float = 0.0, atol: float = 1e-9, max_iter: int = 200) -> PreferenceModelResult:
    """Maximum-likelihood Plackett-Luce scores from (partial) rankings.

    Parameters
    ----------
    rankings : int array of shape (n, L) or list of lists
        Item ids, best first, padded with -1 at the end (lists of unequal length
        are padded for you).
    n_items : int, optional
    weights : array of shape (n,), optional
        Multiplicity of each ranking.
    unranked : {"below", "absent"}
        ``"below"`` (default): items a ranking does not list are ranked below
        every listed one (a *top-k* ranking; the choice at position ``k`` is among
        every item not yet placed); this is the convention of the toolkit's
        ordinal profiles.  ``"absent"``: a ranking only concerns the items it
        lists (the choice at position ``k`` is among the listed items not yet
        placed); this is choix's convention.
    l2, atol, max_iter
        As in :func:`fit_bradley_terry`.

    Notes
    -----
    Newton-CG with Hessian-vector products computed from cumulative sums along
    the rankings (no Hessian is formed); memory is ``O(n_rankings * n_items)``,
    so group identical rankings (``weights``) for large data.

    Returns
    -------
    PreferenceModelResult
        ``x`` = ``scores`` with mean 0.  With ``l2 = 0`` the MLE exists iff the
        directed graph "``i`` ranked above ``j`` in some choice set containing
        both" is strongly connected (Hunter 2004); otherwise ``Status.UNBOUNDED``.

    References
    ----------
    .. [1] R. L. Plackett, "The analysis of permutations", *Applied Statistics* 24
       (1975) 193-202; R. D. Luce, *Individual Choice Behavior*, Wiley (1959).
    .. [2] D. R. Hunter, "MM algorithms for generalized Bradley-Terry models",
       *Annals of Statistics* 32 (2004) 384-406.

    Examples
    --------
    Rankings of two items are pairwise comparisons:

    >>> res = fit_plackett_luce([[0, 1], [0, 1], [1, 0]])
    >>> round(float(res.x[0] - res.x[1]), 9) == round(float(np.log(2)), 9)
    True
    """
    owner = "fit_plackett_luce"
    start = time.perf_counter()
    if n_items is not None:
        n_items = check_int(n_items, "n_items", owner, low=1)
    r, n = _check_rankings(rankings, owner, n_items)
    unranked = check_option(unranked, "unranked", owner, ("below", "absent"))
    l2 = check_real(l2, "l2", owner, low=0.0)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", owner, low=1)
    w = _check_weights(weights, "weights", owner, r.shape[0])
    w = np.ones(r.shape[0]) if w is None else np.asarray(w, dtype=np.float64)
    keep = w > 0
    r, w = r[keep], w[keep]
    # existence: "winner beats every other member" edges of each choice set
    if l2 == 0.0:
        comps = _pl_edges(r, n, unranked)
        reason = _mle_exists(pair_counts(comps, n_items=n), False) if comps.size else \
            "there are no informative rankings (the MLE is not identified)"
        if reason:
            return _failed(Status.UNBOUNDED, "plackett_luce", reason + "; pass l2 > 0 to regularize", atol,
                           time.perf_counter() - start)
    obj = _PlackettLuce(r, w, n, l2, unranked)
    scale = np.zeros(n)
    if r.size:
        # number of choice sets containing each item, weighted (a size for relative stationarity)
        scale = (w[:, None] * obj._set_sums(np.ones(r.shape, dtype=np.float64))).sum(axis=0)
    theta, iters, converged, _ = _newton(obj, np.zeros(n), scale=scale, atol=atol * 0.1, max_iter=max_iter,
                                         center=True)
    theta = theta - theta.mean()
    g, _ = obj.gradient_ll(theta)
    stationarity = float(np.max(np.abs(g) / (1.0 + scale), initial=0.0))
    cert = MLECertificate(atol=atol, stationarity=stationarity, normalization=abs(float(theta.mean())))
    status = Status.OPTIMAL if cert.ok else (Status.INACCURATE if converged else Status.ITERATION_LIMIT)
    loglik = obj.loglik(theta)
    message = "" if cert.ok else "numpy re-check: " + ", ".join(f"{k}={v:.3g}" for k, v in cert.failures().items())
    info = SolverInfo(backend="numpy", solver="newton-cg", time=time.perf_counter() - start, iterations=iters,
                      message=message)
    return PreferenceModelResult(status, theta, loglik - 0.5 * l2 * float(theta @ theta), {}, cert, info,
                                 model="plackett_luce", scores=theta, log_likelihood=loglik)


def _pl_edges(r, n, unranked) -> np.ndarray:
    """(winner, loser) edges implied by the choices: the chosen item beats every other member of its set."""
    rows = []
    R, L = r.shape
    for k in range(L):
        chosen = r[:, k]
        has = chosen >= 0
        for l in range(k + 1, L):
            other = r[:, l]
            ok = has & (other >= 0)
            if ok.any():
                rows.append(np.stack([chosen[ok], other[ok]], axis=1))
    if unranked == "below":
        mask = np.zeros((R, n), dtype=bool)
        for k in range(L):
            ok = r[:, k] >= 0
            mask[np.flatnonzero(ok), r[ok, k]] = True
        listed = mask.sum(axis=1)
        for v in np.flatnonzero(listed < n):
            un = np.flatnonzero(~mask[v])
            top = r[v][r[v] >= 0]
            if top.size:
                rows.append(np.stack(np.broadcast_arrays(top[:, None], un[None, :]), axis=-1).reshape(-1, 2))
    if not rows:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(rows), axis=0)


def plackett_luce_log_likelihood(scores, rankings, /, *, weights=None, unranked: str = "below") -> float:
    """Log-likelihood of rankings under Plackett-Luce scores (conventions of :func:`fit_plackett_luce`).

    Examples
    --------
    >>> round(plackett_luce_log_likelihood([0.0, 0.0, 0.0], [[0, 1, 2]]), 9) == round(float(-np.log(6)), 9)
    True
    """
    owner = "plackett_luce_log_likelihood"
    theta = check_array(scores, "scores", owner, ndim=1, min_size=1)
    r, n = _check_rankings(rankings, owner, theta.size)
    unranked = check_option(unranked, "unranked", owner, ("below", "absent"))
    w = _check_weights(weights, "weights", owner, r.shape[0])
    w = np.ones(r.shape[0]) if w is None else np.asarray(w, dtype=np.float64)
    return _PlackettLuce(r, w, n, 0.0, unranked).loglik(np.asarray(theta, dtype=np.float64))
