"""Shared pieces of preference-model fitting: results, pair counts, existence check, Newton-CG.

See :mod:`solvers.preference_models` for the conventions.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, cg

from ..result import Certificate, Result, SolverInfo
from ..validation import check_array, check_int, fail

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
