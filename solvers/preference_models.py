"""Preference-model fitting: Bradley-Terry and Plackett-Luce maximum likelihood over arrays.

Every fit is a convex program (the negative log-likelihood is convex in the item
utilities) solved by a damped Newton method whose Newton systems are solved by
preconditioned conjugate gradients with sparse Hessians: the comparisons are
first aggregated to counts per unordered pair, so one iteration costs a few
passes over the distinct pairs.  This is what makes 10,000 items and 1,000,000
comparisons a matter of seconds (see ``benchmarks/bench_bradley_terry.py``).

Conventions shared by the functions of this module:

* ``scores`` (``result.x``) are log-strengths (utilities) ``theta``:
  ``P(i beats j) = 1 / (1 + exp(theta_j - theta_i))``.  They are normalized to
  mean 0 (the likelihood only sees differences).
* ``l2`` adds the penalty ``l2 / 2 * ||theta||^2`` (a Gaussian prior); with
  ``l2 > 0`` the maximizer always exists, is unique and has mean 0.  The default
  ``l2 = 0`` is the plain maximum-likelihood estimate, which exists and is
  unique exactly when the directed comparison graph (an edge ``i -> j`` when
  ``i`` beat ``j`` at least once; a tie counts both ways) is strongly connected
  (Zermelo 1929; Ford 1957).  When it is not (an item that never lost or never
  won, or two groups of items never compared), the result has status
  ``Status.UNBOUNDED`` (the set of maximizing sequences is unbounded), no ``x``,
  and a message naming the problem: pass ``l2 > 0`` to regularize.
* Ties (``ties=`` rows) follow ``tie_model``: ``"half"`` (default) counts a tie
  as half a win for each side (the likelihood of the Bradley-Terry model with
  fractional counts); ``"davidson"`` fits Davidson's (1970) model, with
  ``P(tie) = nu sqrt(pi_i pi_j) / (pi_i + pi_j + nu sqrt(pi_i pi_j))`` and the
  tie parameter ``nu`` estimated jointly (``result.tie_parameter``); ``"ignore"``
  drops tied rows.
* ``log_likelihood`` is the unpenalized log-likelihood at the returned scores
  (natural log, summed over comparisons with their weights); ``objective`` is
  the penalized one that was maximized.
* The certificate is recomputed in numpy from the aggregated counts: the
  largest gradient component of the penalized log-likelihood, each divided by
  ``1 +`` the number of comparisons involving that item (``stationarity``), and
  the mean of the scores (``normalization``).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, cg
from scipy.special import expit, log_expit

from .result import Certificate, Result, SolverInfo, Status
from .validation import check_array, check_int, check_option, check_real, fail

__all__ = [
    "MLECertificate",
    "PreferenceModelResult",
    "PairCounts",
    "pair_counts",
    "fit_bradley_terry",
    "fit_linear_bradley_terry",
    "fit_plackett_luce",
    "bradley_terry_log_likelihood",
    "plackett_luce_log_likelihood",
    "TIE_MODELS",
]

#: how tied comparisons enter the Bradley-Terry likelihood
TIE_MODELS = ("half", "davidson", "ignore")

_BT_REF = ("R. A. Bradley and M. E. Terry, Rank analysis of incomplete block designs I, "
           "Biometrika 39 (1952) 324-345.")


# ---------------------------------------------------------------------- results
@dataclasses.dataclass(frozen=True, repr=False)
class MLECertificate(Certificate):
    """Residuals of a maximum-likelihood fit recomputed in numpy.

    Attributes
    ----------
    stationarity : float
        Largest ``|gradient_i| / (1 + c_i)`` of the penalized log-likelihood, with
        ``c_i`` the (weighted) number of comparisons involving item (or feature) ``i``.
    normalization : float
        ``|mean(scores)|`` (item models; 0 for the linear model).
    """

    stationarity: float = 0.0
    normalization: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class PreferenceModelResult(Result):
    """Result of a preference-model fit.

    ``x`` holds the fitted parameters (item scores, or the feature weights of
    the linear model); ``scores`` the item utilities (equal to ``x`` for item
    models, ``features @ x`` for the linear model); ``objective`` the penalized
    log-likelihood; ``duals`` is empty (unconstrained problems).
    """

    model: str = ""
    scores: np.ndarray | None = None
    log_likelihood: float = float("nan")
    tie_parameter: float | None = None

    def __post_init__(self):
        super().__post_init__()
        if self.scores is not None:
            arr = np.asarray(self.scores, dtype=np.float64).view()
            arr.setflags(write=False)
            object.__setattr__(self, "scores", arr)

    def _summary_fields(self):
        fields = {"model": self.model, "log_likelihood": self.log_likelihood, "x": self.x}
        if self.tie_parameter is not None:
            fields["tie_parameter"] = self.tie_parameter
        return fields


def _failed(status, model, message, atol, elapsed, iterations=0):
    info = SolverInfo(backend="numpy", solver="newton-cg", time=elapsed, iterations=iterations, message=message)
    return PreferenceModelResult(status, None, float("nan"), {}, MLECertificate(atol=atol), info, model=model)


# ---------------------------------------------------------------------- pair counts
@dataclasses.dataclass(frozen=True)
class PairCounts:
    """Comparisons aggregated per unordered pair ``i < j``.

    Attributes
    ----------
    n_items : int
    i, j : int64 arrays of shape (n_pairs,)
        The pairs, ``i < j``, sorted.
    wins_i, wins_j : float64 arrays
        (Weighted) wins of ``i`` over ``j`` and of ``j`` over ``i``.
    ties : float64 array
        (Weighted) ties between ``i`` and ``j``.
    """

    n_items: int
    i: np.ndarray
    j: np.ndarray
    wins_i: np.ndarray
    wins_j: np.ndarray
    ties: np.ndarray

    @property
    def n_pairs(self) -> int:
        return int(self.i.size)

    def item_counts(self) -> np.ndarray:
        """Weighted number of comparisons (wins, losses and ties) involving each item."""
        total = self.wins_i + self.wins_j + self.ties
        n = self.n_items
        return np.bincount(self.i, total, minlength=n) + np.bincount(self.j, total, minlength=n)


def _check_pairs(value, name, owner, n_items):
    if isinstance(value, (list, tuple)) and len(value) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    arr = check_array(value, name, owner, dtype="int", ndim=2)
    if arr.shape[1] != 2:
        fail(name, owner, "an array of shape (n, 2): one (winner, loser) row per comparison", arr)
    if arr.size:
        if arr.min() < 0 or (n_items is not None and arr.max() >= n_items):
            top = "n_items - 1" if n_items is None else str(n_items - 1)
            fail(name, owner, f"item ids in [0, {top}]", arr)
        same = arr[:, 0] == arr[:, 1]
        if np.any(same):
            row = int(np.flatnonzero(same)[0])
            fail(name, owner, "rows of two different items", arr, hint=f"Row {row} compares item "
                 f"{int(arr[row, 0])} with itself.")
    return arr


def _check_weights(value, name, owner, n):
    if value is None:
        return None
    w = check_array(value, name, owner, dtype="float", shape=(n,), nonnegative=True)
    return w


def pair_counts(comparisons, /, *, n_items: int | None = None, weights=None, ties=None,
                tie_weights=None) -> PairCounts:
    """Aggregate ``(winner, loser)`` rows (and tied pairs) into counts per unordered pair.

    Parameters
    ----------
    comparisons : int array of shape (n, 2)
        One ``(winner, loser)`` row per comparison.
    n_items : int, optional
        Number of items (default: the largest id + 1).
    weights : array of shape (n,), optional
        Multiplicity of each row (default 1).
    ties, tie_weights : optional
        ``(k, 2)`` array of tied pairs and their multiplicities.

    Examples
    --------
    >>> pc = pair_counts([[0, 1], [1, 0], [0, 1], [2, 1]], ties=[[2, 0]])
    >>> pc.i.tolist(), pc.j.tolist(), pc.wins_i.tolist(), pc.wins_j.tolist(), pc.ties.tolist()
    ([0, 0, 1], [1, 2, 2], [2.0, 0.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0])
    """
    owner = "pair_counts"
    return _pair_counts(comparisons, n_items, weights, ties, tie_weights, owner)


def _pair_counts(comparisons, n_items, weights, ties, tie_weights, owner) -> PairCounts:
    if n_items is not None:
        n_items = check_int(n_items, "n_items", owner, low=1)
    comp = _check_pairs(comparisons, "comparisons", owner, n_items)
    w = _check_weights(weights, "weights", owner, comp.shape[0])
    if ties is None:
        if tie_weights is not None:
            fail("tie_weights", owner, "given only together with 'ties'", tie_weights, show_got=False)
        tie = np.zeros((0, 2), dtype=np.int64)
        tw = None
    else:
        tie = _check_pairs(ties, "ties", owner, n_items)
        tw = _check_weights(tie_weights, "tie_weights", owner, tie.shape[0])
    if n_items is None:
        largest = max(int(comp.max(initial=-1)), int(tie.max(initial=-1)))
        if largest < 0:
            fail("comparisons", owner, "nonempty (or give n_items)", comp)
        n_items = largest + 1
    n = n_items
    a = np.concatenate([comp[:, 0], tie[:, 0]])
    b = np.concatenate([comp[:, 1], tie[:, 1]])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    kind = np.concatenate([np.where(comp[:, 0] < comp[:, 1], 0, 1), np.full(tie.shape[0], 2)]).astype(np.int64)
    codes = (lo * n + hi) * 3 + kind
    if w is None and tw is None:
        # unit weights: one sort and run-length counts (no argsort)
        codes = np.sort(codes)
        starts = np.flatnonzero(np.concatenate([[True], codes[1:] != codes[:-1]])) if codes.size else \
            np.zeros(0, dtype=np.int64)
        runs = np.diff(np.append(starts, codes.size)).astype(np.float64)
        run_codes = codes[starts]
    else:
        weight = np.concatenate([np.ones(comp.shape[0]) if w is None else np.asarray(w, dtype=np.float64),
                                 np.ones(tie.shape[0]) if tw is None else np.asarray(tw, dtype=np.float64)])
        run_codes, inverse = np.unique(codes, return_inverse=True)
        runs = np.bincount(inverse, weights=weight, minlength=run_codes.size)
    keys = run_codes // 3
    new_pair = np.concatenate([[True], keys[1:] != keys[:-1]]) if keys.size else np.zeros(0, dtype=bool)
    slot = np.cumsum(new_pair) - 1
    uniq = keys[new_pair]
    k = uniq.size
    counts = np.zeros(3 * k)
    counts[slot * 3 + run_codes % 3] = runs          # each (pair, kind) is one run
    counts = counts.reshape(k, 3)
    return PairCounts(n_items=n, i=uniq // n, j=uniq % n, wins_i=counts[:, 0], wins_j=counts[:, 1],
                      ties=counts[:, 2])


def _mle_exists(pc: PairCounts, use_ties: bool) -> str:
    """Empty string if the (unpenalized) MLE exists and is unique; else the reason."""
    n = pc.n_items
    fwd = pc.wins_i > 0
    bwd = pc.wins_j > 0
    if use_ties:
        t = pc.ties > 0
        fwd, bwd = fwd | t, bwd | t
    # edges i -> j (i beat j) and j -> i; pairs are sorted by i, so both halves are built without sorting
    def upper(mask):
        indptr = np.concatenate([[0], np.cumsum(np.bincount(pc.i[mask], minlength=n))])
        return sp.csr_array((np.ones(int(mask.sum())), pc.j[mask], indptr), shape=(n, n))

    graph = (upper(fwd) + upper(bwd).T.tocsr()).tocsr()
    n_strong, labels = connected_components(graph, directed=True, connection="strong")
    if n_strong == 1:
        return ""
    n_weak, labels = connected_components(graph, directed=True, connection="weak")
    if n_weak > 1:
        sizes = np.bincount(labels)
        lonely = np.flatnonzero(sizes[labels] == 1)
        what = f"item {int(lonely[0])} was never compared" if lonely.size else \
            f"the items form {n_weak} groups never compared with each other"
        return f"the comparison graph is not connected ({what}): scores are not identified"
    out_deg = np.bincount(pc.i[fwd], minlength=n) + np.bincount(pc.j[bwd], minlength=n)
    in_deg = np.bincount(pc.j[fwd], minlength=n) + np.bincount(pc.i[bwd], minlength=n)
    never_lost = np.flatnonzero(in_deg == 0)
    never_won = np.flatnonzero(out_deg == 0)
    if never_lost.size:
        what = f"item {int(never_lost[0])} never lost"
    elif never_won.size:
        what = f"item {int(never_won[0])} never won"
    else:
        what = f"a group of items beat every item outside it ({n_strong} strongly connected groups)"
    return f"the maximum-likelihood estimate does not exist ({what})"


# ---------------------------------------------------------------------- Newton-CG
def _dot(a, b) -> float:
    """1-D dot product without BLAS (threaded BLAS dots stall on busy machines)."""
    return float(np.multiply(a, b).sum())



class _Objective:
    """A convex negative log-likelihood (plus penalty) to minimize."""

    n: int

    def value(self, x) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def derivatives(self, x):  # pragma: no cover - interface
        """(gradient, Hessian as matrix or LinearOperator, Hessian diagonal)."""
        raise NotImplementedError


def _newton(obj: _Objective, x0, *, scale, atol, max_iter, center):
    """Damped Newton with PCG inner solves; stops when ``max|g| / (1 + scale) <= atol``.

    Returns (x, iterations, converged, stationarity).
    """
    x = np.array(x0, dtype=np.float64)
    f = obj.value(x)
    stat = np.inf
    for it in range(max_iter + 1):
        g, hess, diag = obj.derivatives(x)
        stat = float(np.max(np.abs(g) / (1.0 + scale), initial=0.0))
        if stat <= atol:
            return x, it, True, stat
        if it == max_iter:
            break
        diag = np.maximum(diag, 1e-12 * max(float(np.max(diag, initial=0.0)), 1e-300))
        if isinstance(hess, np.ndarray):
            h = hess + np.diag(np.full(hess.shape[0], 1e-12 * float(np.max(diag))))
            try:
                step = -np.linalg.solve(h, g)
            except np.linalg.LinAlgError:
                step = -np.linalg.lstsq(h, g, rcond=None)[0]
        else:
            inv = 1.0 / diag
            precond = LinearOperator((g.size, g.size), matvec=lambda v: inv * v, dtype=np.float64)
            rtol = max(min(0.1, np.sqrt(stat)), 1e-12)   # forcing term: superlinear convergence
            step, _ = cg(hess, -g, rtol=rtol, atol=0.0, maxiter=max(100, min(1000, g.size)), M=precond)
        if center:
            step = step - step.mean()
        slope = _dot(g, step)
        if not slope < 0:  # not a descent direction (numerically): fall back to steepest descent
            step = -g / diag
            if center:
                step = step - step.mean()
            slope = _dot(g, step)
            if not slope < 0:
                return x, it, False, stat
        t = 1.0
        while True:
            trial = x + t * step
            if center:
                trial -= trial.mean()
            f_new = obj.value(trial)
            if np.isfinite(f_new) and f_new <= f + 1e-4 * t * slope + 1e-15 * abs(f):
                break
            t *= 0.5
            if t < 1e-12:
                return x, it, False, stat
        x, f = trial, f_new
    return x, max_iter, False, stat


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
    from .lp import LinearProgram

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

    def loglik(self, x) -> float:
        shift, e, E, D = self._terms(x)
        th = np.where(self.valid, x[self.idx] - shift, 0.0)
        with np.errstate(divide="ignore"):
            per = np.where(self.valid, th - np.log(D), 0.0).sum(axis=1)
        return _dot(self.w, per)

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
