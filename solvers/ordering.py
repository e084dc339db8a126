"""Ordering problems: Kemeny and Slater rankings as exact linear ordering problems.

The *linear ordering problem* on a weight matrix ``W`` asks for a ranking
(a permutation, best first) maximizing ``score(r) = sum_{i < j} W[r[i], r[j]]``,
the total weight of the ordered pairs it agrees with.  Only ``W - W.T``
matters, so a support matrix ``S`` (``S[a, b]`` voters rank ``a`` above ``b``)
and the margin matrix ``S - S.T`` give the same rankings:

* Kemeny (1959): ``W`` = margins (or supports): the rankings closest to the
  voters in total Kendall tau distance (Young and Levenglick 1978);
* Slater (1961): ``W = sign(margins)``: the rankings that reverse the fewest
  edges of the majority graph.

How it is solved (:func:`linear_ordering`):

1. *Decomposition.* The alternatives split into the strongly connected
   components of the "not strictly beaten" graph (an edge ``a -> b`` when
   ``K[a, b] >= 0``, ``K = W - W.T``).  Every member of an earlier component
   strictly beats every member of a later one, and then *every* optimal ranking
   ranks the earlier component first (the extended Condorcet criterion,
   Truchon 1998): reversing such a pair strictly loses.  Components are solved
   independently; the optimal rankings are their concatenations.
2. *Small components* (``k <= 16`` alternatives, ``method="dp"``): an exact
   dynamic program over subsets (``O(2**k * k)``), which also *counts* the
   optimal rankings and lists them in lexicographic order.
3. *Large components* (``method="milp"``): the MILP over pairwise order
   variables ``x_ab`` (``a < b``; ``x_ba = 1 - x_ab``) with 3-cycle
   transitivity rows ``0 <= x_ab + x_bc - x_ac <= 1`` added *lazily*: solve
   the LP relaxation, add the violated triangles, re-solve (HiGHS keeps its
   basis), until none is violated.  If the LP optimum is integral, or equals
   the score of a heuristic ranking (Borda order improved by iterated insertion
   local search, stopped at the LP bound, or the LP's fractional wins improved
   by local search), that ranking is optimal, certified by the LP bound.
   Otherwise the LP's reduced costs fix every pair whose flip would cost more
   than the gap to the heuristic (no optimal ranking is cut off), and a
   depth-first branch and bound on that same LP closes the gap
   (``MILP_ENGINE = "own"``): each node only changes variable bounds (dual
   simplex from the previous basis), separates triangles lazily, repairs its
   LP point into a ranking by local search, fixes pairs by its reduced costs,
   and is pruned when its bound, rounded down to the objective's granularity,
   does not beat the incumbent.  (``MILP_ENGINE = "highs"`` hands the rest to
   HiGHS's MILP solver instead, with the heuristic ranking as its start; on
   1,000 impartial-culture voters at m = 60 HiGHS spends seconds on its root
   cut loop where the own search needs a few dozen nodes.)
4. *All optimal rankings* (``all_optimal=True``): from the dynamic program for
   small components; for large ones by *no-good cuts*: fix the objective at its
   optimum and re-solve the MILP, each time excluding the rankings found, until
   it is infeasible: one MILP per optimal ranking plus one (the number of
   optimal rankings can be ``k!`` when every margin is zero; ``max_solutions``
   caps the list and ``complete`` says whether it was reached).

The certificate recomputes the score of every returned ranking in numpy
against the original ``W``.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time

import numpy as np
import scipy.sparse as sp

from .lp import LinearProgram
from .result import Certificate, Result, SolverInfo, Status
from .validation import check_array, check_bool, check_int, check_option, check_real, fail

__all__ = ["OrderingCertificate", "OrderingResult", "linear_ordering", "kemeny_rankings", "slater_rankings",
           "ranking_score"]

_METHODS = ("auto", "dp", "milp")
#: largest component solved by the subset dynamic program under method="auto"
DP_MAX = 16
#: hard cap of the dynamic program (memory ~ 2**k * k numbers)
DP_LIMIT = 18
#: before branch and bound, add every triangle touching a free pair when there are at most this many
TOUCHING_MAX = 200_000
#: iterations of the iterated local search that seeds a MILP block (a near-optimal incumbent makes the
#: reduced-cost fixing before branch and bound far stronger)
ILS_ITERS = 300
#: with MILP_ENGINE = "highs", after the LP relaxation, when its bound is not reached: at most this many more
#: rounds, stopping at the bound or after ILS_STALL rounds without improvement (our own branch and bound
#: repairs every node's LP point instead, which is far cheaper than searching on)
ILS_MORE = 6000
ILS_STALL = 2000
#: who closes the gap of a MILP block: "own" (branch and bound on the cached cutting-plane LP,
#: :func:`_branch_and_bound`) or "highs" (HiGHS's MILP solver with the incumbent as its start)
MILP_ENGINE = "own"


def _milp_options(backend: str, abs_gap: float) -> dict:
    """Branch-and-bound settings: close the gap completely (HiGHS's default stops at 0.01%).

    Restarts are switched off for HiGHS: on these models its root restarts cost
    far more than they save.
    """
    if backend == "scipy":
        return {"mip_rel_gap": 0.0}
    opts = {"mip_rel_gap": 0.0, "mip_abs_gap": abs_gap}
    if backend == "highs":
        opts["mip_allow_restart"] = False
    return opts


@dataclasses.dataclass(frozen=True, repr=False)
class OrderingCertificate(Certificate):
    """Residuals of an ordering solution recomputed in numpy against the original weights.

    Attributes
    ----------
    score_residual : float
        Largest ``|score(r) - objective|`` over the returned rankings, relative
        to ``1 + |objective|`` (every returned ranking must reach the optimum).
    permutation_residual : float
        1.0 if a returned ranking is not a permutation of the alternatives, else 0.0.
    bound_gap : float
        ``(upper bound - objective) / (1 + |objective|)`` where the bound is the
        one the proof used: exact for the dynamic program, the LP relaxation
        bound when the LP proved optimality, and the closed branch-and-bound
        bound otherwise.
    """

    score_residual: float = 0.0
    permutation_residual: float = 0.0
    bound_gap: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class OrderingResult(Result):
    """An optimal ranking (and on request all of them) of a linear ordering problem.

    Attributes
    ----------
    x : ndarray of int, shape (m,)
        An optimal ranking, best first (also :attr:`ranking`): the
        lexicographically smallest one when found by the dynamic program or when
        all were enumerated.
    objective : float
        Its score ``sum_{i < j} W[x[i], x[j]]``.
    rankings : tuple of tuple of int
        With ``all_optimal=True``: the optimal rankings in lexicographic order
        (at most ``max_solutions``); otherwise just ``(ranking,)``.
    n_optimal : int or None
        The exact number of optimal rankings when known (always with
        ``all_optimal=True`` and a complete list, and whenever every component
        went to the dynamic program), else None.
    complete : bool
        Whether ``rankings`` lists every optimal ranking.
    components : tuple of tuple of int
        The blocks of the decomposition, in ranking order (each block's members
        sorted by id).
    proofs : tuple of str
        How optimality was proved per block: ``"trivial"``, ``"dp"``, ``"lp"``
        (LP relaxation bound reached) or ``"milp"``.
    tops : tuple of int or None
        Every alternative ranked first by some optimal ranking, sorted (always
        computed when the first block is small; with ``tops=True`` otherwise);
        None when not computed.
    """

    rankings: tuple = ()
    n_optimal: int | None = None
    complete: bool = False
    components: tuple = ()
    proofs: tuple = ()
    tops: tuple | None = None

    @property
    def ranking(self) -> np.ndarray | None:
        return self.x

    def _summary_fields(self):
        return {"objective": self.objective, "ranking": self.x, "n_optimal": self.n_optimal,
                "complete": self.complete, "proofs": self.proofs}


def ranking_score(weights, ranking) -> float:
    """``sum_{i < j} W[r[i], r[j]]``: the weight of the ordered pairs a ranking agrees with.

    Examples
    --------
    >>> ranking_score([[0, 3], [1, 0]], [1, 0])
    1.0
    """
    W = np.asarray(weights, dtype=np.float64)
    r = np.asarray(ranking, dtype=np.intp)
    sub = W[np.ix_(r, r)]
    return float(np.triu(sub, 1).sum())


# --------------------------------------------------------------------------- decomposition
def _blocks(K: np.ndarray, tol: float) -> list[np.ndarray]:
    """Strong components of the "a not strictly beaten by b" graph, in ranking order."""
    from scipy.sparse.csgraph import connected_components

    m = K.shape[0]
    weak = K >= -tol
    np.fill_diagonal(weak, False)
    n_comp, labels = connected_components(sp.csr_array(weak), directed=True, connection="strong")
    if n_comp == 1:
        return [np.arange(m)]
    # between two components every edge points one way: order by how many others a component beats
    reps = np.array([np.flatnonzero(labels == c)[0] for c in range(n_comp)])
    beats = K[np.ix_(reps, reps)] > tol
    order = np.argsort(-beats.sum(axis=1), kind="stable")
    return [np.flatnonzero(labels == c) for c in order]


# --------------------------------------------------------------------------- dynamic program
def _dp(W: np.ndarray, exact: bool, tol: float, want_all: bool, cap: int):
    """Subset DP: f[R] = best score of ranking the set R (below anything placed above it).

    Returns (ranking, score, n_optimal, rankings) with rankings in lexicographic order.
    """
    k = W.shape[0]
    dtype = np.int64 if exact else np.float64
    Wd = np.rint(W).astype(np.int64) if exact else W.astype(np.float64)
    size = 1 << k
    masks = np.arange(size, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(k)) & 1).astype(dtype)  # (2**k, k)
    H = bits @ Wd.T  # H[R, j] = sum_{r in R} W[j, r]: j placed above all of R
    pop = bits.sum(axis=1).astype(np.int64)
    layer_order = np.argsort(pop, kind="stable")
    bounds = np.searchsorted(pop[layer_order], np.arange(k + 2))
    f = np.zeros(size, dtype=dtype)
    count = np.zeros(size, dtype=np.int64)  # number of optimal orders of each set (20! < 2**63)
    count[0] = 1
    neg = np.iinfo(np.int64).min // 4 if exact else -np.inf
    for size_l in range(1, k + 1):
        R = layer_order[bounds[size_l]:bounds[size_l + 1]]
        inR = bits[R].astype(bool)  # (nR, k)
        prev = R[:, None] ^ (np.int64(1) << np.arange(k))[None, :]  # R without j
        val = np.where(inR, H[prev, np.arange(k)[None, :]] + f[prev], neg)
        best = val.max(axis=1)
        f[R] = best
        hit = val >= best[:, None] - (0 if exact else tol)
        hit &= inR
        # number of optimal orders of R: sum over optimal top elements j of count[R \ j]
        count[R] = np.where(hit, count[np.where(hit, prev, 0)], 0).sum(axis=1)
    full = size - 1
    n_opt = int(count[full])

    def tops(R):
        out = []
        for j in range(k):
            if R >> j & 1:
                p = R ^ (1 << j)
                v = H[p, j] + f[p]
                if (v == f[R]) if exact else (v >= f[R] - tol):
                    out.append((j, p))
        return out

    rankings = []

    def walk(R, prefix):
        if len(rankings) >= cap:
            return
        if R == 0:
            rankings.append(tuple(prefix))
            return
        for j, p in tops(R):
            walk(p, prefix + [j])
            if len(rankings) >= cap:
                return

    walk(full, [])
    return np.array(rankings[0], dtype=np.int64), float(f[full]), n_opt, rankings, [j for j, _ in tops(full)]


# --------------------------------------------------------------------------- heuristic
def _local_search(K: np.ndarray, order: np.ndarray, tol: float) -> np.ndarray:
    """Insertion local search on ``sum K[r_i, r_j] (i < j)`` (``K`` antisymmetric): best move while it gains.

    All ``k * k`` insertion gains come from one cumulative sum: moving the
    element at position ``i`` to ``j > i`` gains ``-2 sum_{i < t <= j} P[i, t]``
    and to ``j < i`` gains ``2 sum_{j <= t < i} P[i, t]`` with ``P = K[r][:, r]``.
    """
    r = np.asarray(order, dtype=np.int64).copy()
    k = r.size
    if k < 2:
        return r
    idx = np.arange(k)
    later = idx[None, :] > idx[:, None]
    earlier = idx[None, :] < idx[:, None]
    for _ in range(100 * k * k):
        P = K[np.ix_(r, r)]
        C = np.cumsum(P, axis=1)  # C[i, j] = sum_{t <= j} P[i, t]
        Ci = C[idx, idx][:, None]
        before = C - P  # sum_{t < j} P[i, t]
        G = np.where(later, -2.0 * (C - Ci), np.where(earlier, 2.0 * (Ci - P[idx, idx][:, None] - before), 0.0))
        i, j = divmod(int(np.argmax(G)), k)
        if G[i, j] <= tol:
            break
        e = r[i]
        r = np.insert(np.delete(r, i), j, e)
    return r


def _iterated_search(K: np.ndarray, order: np.ndarray, tol: float, iters: int, target: float | None = None,
                     stall: int | None = None) -> np.ndarray:
    """Iterated local search: perturb by three random insertions, re-optimize, keep if not worse.

    Stops after ``iters`` rounds, as soon as the score ``sum_{i<j} K[r_i, r_j]``
    reaches ``target``, or after ``stall`` rounds without a better ranking.
    Deterministic (a fixed generator seed), so repeated calls give the same ranking.
    """
    rng = np.random.default_rng(0)
    r = _local_search(K, order, tol)
    k = r.size
    if k < 3:
        return r
    iu, ju = np.triu_indices(k, 1)

    def value(q):
        return float(K[q[iu], q[ju]].sum())

    v = value(r)
    best, best_v = r, v
    last = 0
    for it in range(iters):
        if (target is not None and best_v >= target) or (stall is not None and it - last >= stall):
            break
        q = r
        for i, j in rng.integers(k, size=(3, 2)):
            q = np.insert(np.delete(q, i), j, q[i])
        q = _local_search(K, q, tol)
        qv = value(q)
        if qv >= v - tol:
            r, v = q, qv
            if v > best_v + tol:
                best, best_v, last = r, v, it
    return best


# --------------------------------------------------------------------------- MILP
class _PairModel:
    """Pairwise order variables of one block and the lazily grown triangle rows."""

    def __init__(self, K: np.ndarray):
        k = self.k = K.shape[0]
        iu, ju = np.triu_indices(k, 1)
        self.iu, self.ju = iu, ju
        self.n = iu.size
        index = np.full((k, k), -1, dtype=np.int64)
        index[iu, ju] = np.arange(self.n)
        self.index = index
        self.c = K[iu, ju].astype(np.float64)  # maximize sum_{a<b} K[a,b] x_ab (+ const)
        t = np.array(list(itertools.combinations(range(k), 3)), dtype=np.int64).reshape(-1, 3)
        self.tri = t
        self.tri_cols = np.stack([index[t[:, 0], t[:, 1]], index[t[:, 1], t[:, 2]], index[t[:, 0], t[:, 2]]], axis=1)
        self.added = np.zeros(t.shape[0], dtype=bool)  # rows in the LP or in a MILP built from this model
        self.in_lp = np.zeros(t.shape[0], dtype=bool)  # rows in the cutting-plane LP (a subset)
        self.rows = []  # indices of triangles added, in order

    def violated(self, x: np.ndarray, eps: float, lp_only: bool = False) -> np.ndarray:
        """Triangles violated by more than ``eps`` and not yet added (to the LP only, with ``lp_only``)."""
        v = x[self.tri_cols[:, 0]] + x[self.tri_cols[:, 1]] - x[self.tri_cols[:, 2]]
        amount = np.maximum(v - 1.0, -v)
        bad = np.flatnonzero((amount > eps) & ~(self.in_lp if lp_only else self.added))
        return bad[np.argsort(-amount[bad], kind="stable")]

    def rows_matrix(self, tri_ids: np.ndarray):
        cols = self.tri_cols[tri_ids]
        r = np.repeat(np.arange(tri_ids.size), 3)
        data = np.tile([1.0, 1.0, -1.0], tri_ids.size)
        return sp.csr_array((data, (r, cols.reshape(-1))), shape=(tri_ids.size, self.n))

    def add(self, lp: LinearProgram, tri_ids: np.ndarray, tag: str):
        self.added[tri_ids] = True
        self.in_lp[tri_ids] = True
        self.rows.extend(tri_ids.tolist())
        lp.add_constraints(tag, self.rows_matrix(tri_ids), lower=0.0, upper=1.0)

    def ranking(self, x: np.ndarray) -> np.ndarray:
        """Ranking from an integral, transitive x: sort by number of alternatives beaten."""
        k = self.k
        X = np.zeros((k, k))
        X[self.iu, self.ju] = x
        X[self.ju, self.iu] = 1.0 - x
        np.fill_diagonal(X, 0.0)
        return np.argsort(-X.sum(axis=1), kind="stable").astype(np.int64)

    def x_of(self, ranking: np.ndarray) -> np.ndarray:
        pos = np.empty(self.k, dtype=np.int64)
        pos[ranking] = np.arange(self.k)
        return (pos[self.iu] < pos[self.ju]).astype(np.float64)


def _search(K: np.ndarray, order, tol: float, first: int | None, iters: int = 0) -> np.ndarray:
    """Local search from ``order`` (iterated ``iters`` times), keeping ``first`` (if given) on top."""
    order = np.asarray(order, dtype=np.int64)
    if first is None:
        return _iterated_search(K, order, tol, iters) if iters else _local_search(K, order, tol)
    rest = order[order != first]
    sub = _local_search(K[np.ix_(rest, rest)], np.arange(rest.size), tol)
    return np.concatenate([[first], rest[sub]]).astype(np.int64)


def _granular_floor(value: float, unit: float) -> float:
    """Largest multiple of ``unit`` not above ``value`` (up to rounding noise): what an integral point can reach."""
    return unit * math.floor(value / unit + 1e-6)


def _branch_and_bound(K: np.ndarray, model: _PairModel, lp: LinearProgram, lb: np.ndarray, ub: np.ndarray,
                      seed: np.ndarray, seed_val: float, exact: bool, gap_tol: float, tol: float, first,
                      backend: str, atol: float, time_limit, floor: float | None = None):
    """Depth-first branch and bound on the cached cutting-plane LP.  Returns (ranking, score, status).

    Every node changes only variable bounds of ``lp`` (HiGHS re-solves from the
    previous basis by dual simplex), separates violated triangles lazily (rows
    valid for every ranking, kept for all later nodes), repairs its fractional
    point into a ranking by local search (a new incumbent when better), fixes
    the pairs whose reduced cost shows that flipping them cannot beat the
    incumbent, and branches on the most fractional pair, the nearer side first.
    A node is pruned when its LP bound, rounded down to the objective's
    granularity (the gcd of the integer weights), does not exceed the incumbent;
    so the incumbent returned is optimal.  With ``floor``, only whether some
    ranking reaches it matters: nodes whose bound is below it are pruned too and
    the search stops at the first ranking that reaches it (else the score
    returned is below ``floor``).
    """
    c = model.c
    if exact:
        ci = np.abs(np.rint(c).astype(np.int64))
        unit = float(np.gcd.reduce(ci[ci > 0])) if np.any(ci > 0) else 1.0

        def beaten(v):
            return _granular_floor(v, unit) < (best_val + unit if floor is None else max(best_val + unit, floor))
    else:

        def beaten(v):
            return v <= best_val + gap_tol or (floor is not None and v < floor - gap_tol)
    best, best_val = seed, seed_val
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    stack = [(lb.copy(), ub.copy())]
    width = max(200, 4 * model.k)
    while stack:
        if floor is not None and best_val >= floor - gap_tol:
            break
        if deadline is not None and time.perf_counter() > deadline:
            lp.set_variable_bounds(lb=lb, ub=ub)
            return None, None, Status.TIME_LIMIT
        nlb, nub = stack.pop()
        lp.set_variable_bounds(lb=nlb, ub=nub)
        while True:
            res = lp.solve(c, maximize=True, backend=backend, atol=max(atol, 1e-9), time_limit=time_limit)
            if res.x is None or beaten(res.objective):
                break
            bad = model.violated(res.x, 1e-7, lp_only=True)
            if bad.size == 0:
                break
            model.add(lp, bad[:width], f"triangles_{len(lp.families)}")
        if res.x is None:
            if res.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
                continue
            lp.set_variable_bounds(lb=lb, ub=ub)
            return None, None, res.status
        x, v = res.x, res.objective
        if beaten(v):
            continue
        if np.all(np.abs(x - np.round(x)) <= 1e-7):  # integral and transitive: the node's optimum
            best, best_val = model.ranking(np.round(x)), float(c @ np.round(x))
            continue
        guess = _search(K, model.ranking(x), tol, first)
        guess_val = float(c @ model.x_of(guess))
        if guess_val > best_val:
            best, best_val = guess, guess_val
            if beaten(v):
                continue
        # reduced-cost fixing against the incumbent (valid below this node only)
        z = np.asarray(res.duals.get("bounds", np.zeros(model.n)), dtype=np.float64)
        drop = np.array([beaten(w) for w in (v - np.abs(z)).tolist()], dtype=bool)
        nlb = np.where(drop & (x > 1.0 - 1e-9) & (z > 0), 1.0, nlb)
        nub = np.where(drop & (x < 1e-9) & (z < 0), 0.0, nub)
        free = nlb < nub
        frac = np.where(free, np.abs(x - 0.5), np.inf)
        j = int(np.argmin(frac))
        if not np.isfinite(frac[j]) or frac[j] >= 0.5 - 1e-7:  # pragma: no cover - x was fractional on a free pair
            continue
        up_lb, down_ub = nlb.copy(), nub.copy()
        up_lb[j] = 1.0
        down_ub[j] = 0.0
        children = [(nlb, down_ub), (up_lb, nub)]
        if x[j] < 0.5:
            children.reverse()
        stack.extend(children)  # the nearer side (last) is explored first
    lp.set_variable_bounds(lb=lb, ub=ub)
    return best, best_val, Status.OPTIMAL


def _milp_block(K: np.ndarray, exact: bool, tol: float, want_all: bool, cap: int,
                backend: str, time_limit, atol: float, first: int | None = None, floor: float | None = None,
                order=None, share: dict | None = None):
    """Solve one block by the lazy LP/MILP.  Returns (rankings, score, n_opt, complete, proof, status, bound).

    With ``first``, only rankings that put that alternative on top are allowed;
    with ``floor``, the search stops (returning a score below ``floor``) as soon
    as the LP bound shows that no ranking reaches ``floor``.  ``order`` is the
    starting ranking of the local search (default: Borda order).  ``share``
    carries the LP between calls on the same block: an empty dict receives the
    pair model, the cutting-plane LP and its final value, solution and reduced
    costs; a filled one is re-used (only the variable bounds change, and every
    triangle row it holds is valid for every ranking).
    """
    reuse = bool(share)
    model = share["model"] if reuse else _PairModel(K)
    k = model.k
    gap_tol = 1.0 - 1e-6 if exact else tol * (1.0 + np.abs(K).sum())
    lb0, ub0 = np.zeros(model.n), np.ones(model.n)
    if first is not None:
        above = model.index[first, first + 1:]  # x_{first, b} = 1 for b > first
        below = model.index[:first, first]  # x_{a, first} = 0 for a < first
        lb0[above] = 1.0
        ub0[below] = 0.0
    if order is None:
        order = np.argsort(-K.sum(axis=1), kind="stable")
    seed = _search(K, order, tol, first)
    seed_val = float(model.c @ model.x_of(seed))
    x, lp_val, rounds = None, None, 0
    if reuse:
        lp = share["lp"]
        lp.set_variable_bounds(lb=lb0, ub=ub0)
    else:
        lp = LinearProgram(model.n, lb=lb0, ub=ub0)
        # cutting-plane loop on the LP relaxation (all rows two-sided triangle rows)
        start_rows = model.violated((model.c > 0).astype(np.float64), 0.5)  # cycles of the majority graph
        if start_rows.size:
            model.add(lp, start_rows, "triangles_start")
    while True:
        rounds += 1
        res = lp.solve(model.c, maximize=True, backend=backend, atol=max(atol, 1e-9), time_limit=time_limit)
        if res.x is None:
            return None, None, None, False, "lp", res.status, None
        x, lp_val = res.x, res.objective
        if floor is not None and lp_val < floor - gap_tol:
            return [tuple(seed.tolist())], lp_val, None, False, "lp", Status.OPTIMAL, lp_val
        bad = model.violated(x, 1e-7, lp_only=True)
        if bad.size == 0:
            break
        model.add(lp, bad[: max(200, 4 * k)], f"triangles_{len(lp.families)}")
    if share is not None and not reuse:
        share.update(model=model, lp=lp, lp_val=lp_val, x=x,
                     z=np.asarray(res.duals.get("bounds", np.zeros(model.n)), dtype=np.float64))
    integral = bool(np.all(np.abs(x - np.round(x)) <= 1e-7))
    if integral:
        seed = model.ranking(np.round(x))
        seed_val = float(model.c @ np.round(x))
    else:  # a second seed: rank by fractional wins, then local search
        if first is None:  # iterated local search, stopping once it reaches the LP bound
            seed = _iterated_search(K, seed, tol, ILS_ITERS, target=2.0 * (lp_val - gap_tol) - model.c.sum())
            seed_val = float(model.c @ model.x_of(seed))
        alt = _search(K, model.ranking(x), tol, first)
        alt_val = float(model.c @ model.x_of(alt))
        if alt_val > seed_val:
            seed, seed_val = alt, alt_val
    if not integral and first is None and MILP_ENGINE == "highs" and lp_val - seed_val > gap_tol:
        # the LP left a gap: search longer, until the LP bound is reached or the search stalls
        # (scores here are c @ x; the search's score is 2 c @ x - sum(c))
        more = _iterated_search(K, seed, tol, ILS_MORE, target=2.0 * (lp_val - gap_tol) - model.c.sum(),
                                stall=ILS_STALL)
        more_val = float(model.c @ model.x_of(more))
        if more_val > seed_val:
            seed, seed_val = more, more_val
    if not want_all and lp_val - seed_val <= gap_tol:
        return [tuple(seed.tolist())], seed_val, None, False, "lp", Status.OPTIMAL, lp_val
    # reduced-cost fixing: flipping x_j costs the LP bound at least |z_j|; fix x_j when that is
    # strictly worse than the incumbent (so no optimal ranking, tied ones included, is cut off);
    # with a floor, only rankings reaching it matter, so the floor is the incumbent to beat
    z = np.asarray(res.duals.get("bounds", np.zeros(model.n)))
    worst_flip = lp_val - np.abs(z)
    if exact:
        target = seed_val if floor is None else max(seed_val, float(floor))
        dominated = np.floor(worst_flip + 1e-6) < target - 0.5
    else:
        target = seed_val if floor is None else max(seed_val, floor - gap_tol)
        dominated = worst_flip < target - tol * (1.0 + abs(target))
    fix1 = dominated & (x > 1.0 - 1e-9) & (z > 0)
    fix0 = dominated & (x < 1e-9) & (z < 0)
    lb = np.maximum(lb0, np.where(fix1, 1.0, 0.0))
    ub = np.minimum(ub0, np.where(fix0, 0.0, 1.0))
    solved = integral or lp_val - seed_val <= gap_tol
    if MILP_ENGINE == "own" and (floor is not None or not solved):
        found, found_val, st = _branch_and_bound(K, model, lp, lb, ub, seed, seed_val, exact, gap_tol, tol, first,
                                                 backend, atol, time_limit, floor=floor)
        if found is None:
            return None, None, None, False, "milp", st, None
        if floor is not None:
            return [tuple(found.tolist())], found_val, None, False, "milp", Status.OPTIMAL, found_val
        seed, seed_val, solved = found, found_val, True
        if not want_all:
            proof = "lp" if lp_val - seed_val <= gap_tol else "milp"
            return [tuple(seed.tolist())], seed_val, None, False, proof, Status.OPTIMAL, seed_val
    # branch and bound over the free pairs: every triangle touching a free pair goes in up front when
    # there are not too many (re-solving after lazy additions restarts the search), else lazily
    milp = LinearProgram(model.n, lb=lb, ub=ub, integrality=np.ones(model.n, dtype=bool))
    touching = np.flatnonzero((lb < ub)[model.tri_cols].any(axis=1) & ~model.added)
    if touching.size <= TOUCHING_MAX:
        model.added[touching] = True
        model.rows.extend(touching.tolist())
    if model.rows:
        milp.add_constraints("triangles", model.rows_matrix(np.array(model.rows, dtype=np.int64)), lower=0.0,
                             upper=1.0)
    mopts = _milp_options(backend, gap_tol if exact else 1e-9)
    best_val, best_x = None, None
    tag = 0
    if floor is not None:
        # only whether some ranking reaches the floor matters: a feasibility MILP with the objective
        # as a row (infeasible: none does; any transitive solution: one does)
        milp.add_constraints("floor", model.c[None, :], lower=floor - (0.5 if exact else gap_tol))
        zero = np.zeros(model.n)
        while True:
            res = milp.solve(zero, maximize=True, backend=backend, atol=max(atol, 1e-9), time_limit=time_limit,
                             options=mopts)
            if res.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
                return [tuple(seed.tolist())], seed_val, None, False, "milp", Status.OPTIMAL, seed_val
            if res.x is None:
                return None, None, None, False, "milp", res.status, None
            xi = np.round(res.x)
            bad = model.violated(xi, 0.5)
            if bad.size == 0:
                value = float(model.c @ xi)
                return [tuple(model.ranking(xi).tolist())], value, None, False, "milp", Status.OPTIMAL, value
            fixed = _search(K, model.ranking(xi), tol, first)
            fixed_val = float(model.c @ model.x_of(fixed))
            if fixed_val >= floor - gap_tol:
                return [tuple(fixed.tolist())], fixed_val, None, False, "milp", Status.OPTIMAL, fixed_val
            tag += 1
            model.added[bad] = True
            model.rows.extend(bad.tolist())
            milp.add_constraints(f"triangles_{tag}", model.rows_matrix(bad), lower=0.0, upper=1.0)
    if solved:
        best_x, best_val = model.x_of(seed), seed_val
    else:
        while True:
            res = milp.solve(model.c, maximize=True, backend=backend, atol=max(atol, 1e-9), time_limit=time_limit,
                             options=mopts, start=model.x_of(seed))
            if res.x is None:
                return None, None, None, False, "milp", res.status, None
            xi = np.round(res.x)
            bad = model.violated(xi, 0.5)
            if bad.size == 0:
                best_x, best_val = xi, float(model.c @ xi)
                break
            # the relaxed optimum bounds the true one: repair it into a ranking, which may reach the bound
            upper = float(model.c @ xi)
            fixed = _search(K, model.ranking(xi), tol, first)
            fixed_val = float(model.c @ model.x_of(fixed))
            if fixed_val > seed_val:
                seed, seed_val = fixed, fixed_val
            if upper - seed_val <= gap_tol:
                best_x, best_val = model.x_of(seed), seed_val
                break
            tag += 1
            model.added[bad] = True
            model.rows.extend(bad.tolist())
            milp.add_constraints(f"triangles_{tag}", model.rows_matrix(bad), lower=0.0, upper=1.0)
        if seed_val > best_val + gap_tol:  # pragma: no cover - HiGHS proved optimality
            best_x, best_val = model.x_of(seed), seed_val
    proof = "lp" if lp_val - best_val <= gap_tol else "milp"
    if not want_all:
        return [tuple(model.ranking(best_x).tolist())], best_val, None, False, proof, Status.OPTIMAL, best_val
    # enumerate every optimal ranking with no-good cuts
    cut = 0.5 if exact else tol * (1.0 + abs(best_val))
    milp.add_constraints("objective", model.c[None, :], lower=best_val - cut)
    found = []
    zero = np.zeros(model.n)
    current = best_x
    complete = False
    while True:
        r = tuple(model.ranking(current).tolist())
        found.append(r)
        ones = current > 0.5
        row = np.where(ones, 1.0, -1.0)[None, :]
        tag += 1
        milp.add_constraints(f"nogood_{tag}", row, upper=float(ones.sum()) - 1.0)
        if len(found) >= cap:
            break
        while True:
            res = milp.solve(zero, maximize=True, backend=backend, atol=max(atol, 1e-9), time_limit=time_limit,
                             options=mopts)
            if res.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
                complete = True
                break
            if res.x is None:
                return None, None, None, False, "milp", res.status, None
            xi = np.round(res.x)
            bad = model.violated(xi, 0.5)
            if bad.size == 0:
                current = xi
                break
            tag += 1
            model.added[bad] = True
            milp.add_constraints(f"triangles_{tag}", model.rows_matrix(bad), lower=0.0, upper=1.0)
        if complete:
            break
    found.sort()
    return found, best_val, len(found) if complete else None, complete, proof, Status.OPTIMAL, best_val


# --------------------------------------------------------------------------- public entry points
def linear_ordering(weights, /, *, all_optimal: bool = False, max_solutions: int = 10_000, method: str = "auto",
                    atol: float = 1e-9, backend: str = "auto", time_limit: float | None = None,
                    tops: bool = False) -> OrderingResult:
    """Rankings maximizing ``sum_{i < j} W[r[i], r[j]]`` (the linear ordering problem), exactly.

    Parameters
    ----------
    weights : array_like of real, shape (m, m)
        ``W[a, b]``: the reward for ranking ``a`` above ``b`` (a support or
        margin matrix for Kemeny); the diagonal is ignored.
    all_optimal : bool
        List every optimal ranking (up to ``max_solutions``) and count them.
    max_solutions : int
        Cap on the number of rankings listed.
    method : {"auto", "dp", "milp"}
        How components are solved: ``"auto"`` uses the subset dynamic program
        up to 16 alternatives and the MILP beyond; ``"dp"`` forces the dynamic
        program (at most 20 alternatives per component); ``"milp"`` forces the MILP.
    atol : float
        Tolerance for non-integer weights (integer weights are handled exactly).
    backend : {"auto", "highs", "scipy", "cvxpy"}
        LP/MILP backend (see :mod:`solvers.lp`).
    time_limit : float, optional
        Seconds per LP/MILP solve; reaching it gives ``Status.TIME_LIMIT``.
    tops : bool
        Also find every alternative that is first in *some* optimal ranking
        (``result.tops``).  Free for the dynamic program and with a complete
        ``all_optimal`` list; for a MILP block, candidates are first pruned by
        the reduced costs of the block's LP relaxation and admitted by a local
        search with the candidate on top; each remaining one costs a
        constrained re-solve of that LP and, if its bound does not settle it,
        a branch and bound asking for a ranking that reaches the optimum.

    Returns
    -------
    OrderingResult

    References
    ----------
    .. [1] J. G. Kemeny, "Mathematics without numbers", Daedalus 88 (1959) 577-591.
    .. [2] M. Grötschel, M. Jünger and G. Reinelt, "A cutting plane algorithm for
       the linear ordering problem", Operations Research 32 (1984) 1195-1220.
    .. [3] M. Truchon, "An extension of the Condorcet criterion and Kemeny orders",
       cahier 98-15, Université Laval, 1998.
    .. [4] V. Conitzer, A. Davenport and J. Kalagnanam, "Improved bounds for
       computing Kemeny rankings", AAAI 2006 (pairwise MILP and decomposition).

    Examples
    --------
    >>> res = linear_ordering([[0, 2, 1], [0, 0, 3], [1, 0, 0]])
    >>> res.ranking.tolist(), res.objective
    ([0, 1, 2], 6.0)
    """
    W = _square(weights, "weights", "linear_ordering")
    return _solve(W, "linear_ordering", all_optimal, max_solutions, method, atol, backend, time_limit,
                  tops)


def _square(value, name, owner) -> np.ndarray:
    W = check_array(value, name, owner, ndim=2, min_size=1)
    if W.shape[0] != W.shape[1]:
        fail(name, owner, "a square (m, m) matrix", W)
    return W


def _milp_tops(K, rankings, value, exact, tol, backend, time_limit, atol, share) -> list[int]:
    """Alternatives first in some optimal ranking of a block: one constrained solve per candidate.

    Candidates are pruned first without solving.  ``share`` holds the root LP of
    the unconstrained block (value ``z_LP``, reduced costs ``z``); for every LP
    point ``c @ x <= z_LP - sum_{z_e > 0} z_e (1 - x_e) - sum_{z_e < 0} |z_e| x_e``
    (Lagrangian bound), and putting ``j`` first fixes ``x_{j,b} = 1`` and
    ``x_{a,j} = 0``, so ``z_LP`` minus those pairs' penalties bounds every
    ranking with ``j`` on top; ``j`` is dropped when that is below the optimum.
    Next, the best ranking found with ``j`` on top (``j`` moved to the front of
    an optimal ranking, then local search below it) admits ``j`` when it reaches
    the optimum.  The rest get a constrained solve that re-uses the LP (bounds
    changed only) and stops at the LP bound.
    """
    gap_tol = 1.0 - 1e-6 if exact else tol * (1.0 + np.abs(K).sum())
    found = {r[0] for r in rankings}
    k = K.shape[0]
    candidates = [j for j in range(k) if j not in found]
    if share and candidates:
        model, z, lp_val = share["model"], share["z"], share["lp_val"]
        safety = 1e-7 * (1.0 + abs(lp_val) + float(np.abs(z).sum()))
        keep = []
        for j in candidates:
            above = model.index[j, j + 1:]  # x_{j,b} forced to 1
            below = model.index[:j, j]  # x_{a,j} forced to 0
            bound = lp_val - np.maximum(-z[above], 0.0).sum() - np.maximum(z[below], 0.0).sum()
            if bound >= value - gap_tol - safety:
                keep.append(j)
        candidates = keep
    best = np.array(rankings[0], dtype=np.int64)
    pairs = share["model"] if share else _PairModel(K)
    for j in candidates:
        order = np.concatenate([[j], best[best != j]])
        guess = _search(K, order, tol, j)
        if float(pairs.c @ pairs.x_of(guess)) >= value - gap_tol:
            found.add(j)
            continue
        out = _milp_block(K, exact, tol, False, 1, backend, time_limit, atol, first=j, floor=value, order=guess,
                          share=share)
        if out[0] is not None and out[1] >= value - gap_tol:
            found.add(j)
    return sorted(found)


def _solve(W, owner, all_optimal, max_solutions, method, atol, backend, time_limit, tops) -> OrderingResult:
    t0 = time.perf_counter()
    all_optimal = check_bool(all_optimal, "all_optimal", owner)
    tops = check_bool(tops, "tops", owner)
    cap = check_int(max_solutions, "max_solutions", owner, low=1)
    method = check_option(method, "method", owner, _METHODS)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    if time_limit is not None:
        time_limit = check_real(time_limit, "time_limit", owner, low=0.0, low_open=True)
    from .backends import get_backend

    backend_name = get_backend(backend, owner)[0]
    m = W.shape[0]
    Wz = np.array(W, dtype=np.float64)
    np.fill_diagonal(Wz, 0.0)
    K = Wz - Wz.T
    exact = bool(np.all(Wz == np.round(Wz))) and float(np.abs(Wz).sum()) < 2.0**52
    tol = 0.0 if exact else atol * max(1.0, float(np.abs(K).max(initial=0.0)))
    blocks = _blocks(K, tol)
    if method == "dp" and max(len(b) for b in blocks) > DP_LIMIT:
        fail("method", owner, f"'auto' or 'milp' for components of more than {DP_LIMIT} alternatives", method,
             hint=f"The largest component has {max(len(b) for b in blocks)} alternatives.")
    per_block, proofs, counts, completes = [], [], [], []
    top_list: list[int] = []  # alternatives first in some optimal ranking (from the first block)
    status, bound_total = Status.OPTIMAL, 0.0
    solver_used = set()
    for position, block in enumerate(blocks):
        k = len(block)
        lead = position == 0  # the first block holds every alternative that can be ranked first
        sub_W, sub_K = Wz[np.ix_(block, block)], K[np.ix_(block, block)]
        if k == 1:
            per_block.append([(int(block[0]),)])
            if lead:
                top_list = [int(block[0])]
            proofs.append("trivial")
            counts.append(1)
            completes.append(True)
            continue
        use_dp = method == "dp" or (method == "auto" and k <= DP_MAX)
        if use_dp:
            _, val, n_opt, rks, block_tops = _dp(sub_W, exact, tol, all_optimal, cap if all_optimal else 1)
            if lead:
                top_list = [int(block[j]) for j in block_tops]
            proofs.append("dp")
            counts.append(n_opt)
            completes.append(len(rks) == n_opt)
            solver_used.add("dynamic program")
        else:
            share: dict = {}
            rks, val, n_opt, complete, proof, st, bound = _milp_block(sub_K, exact, tol, all_optimal, cap,
                                                                      backend_name, time_limit, atol,
                                                                      share=share if lead and tops else None)
            solver_used.add("HiGHS")
            if rks is None:
                status = st
                break
            if lead and tops:
                top_list = _milp_tops(sub_K, rks, val, exact, tol, backend_name, time_limit, atol, share)
                top_list = [int(block[j]) for j in top_list]
            proofs.append(proof)
            counts.append(n_opt)
            completes.append(complete)
            block_gap = max(0.0, bound - val)
            # integer weights: a bound less than 1 above an integer score proves it optimal
            bound_total += math.floor(block_gap + 1e-6) if exact else block_gap
        per_block.append([tuple(int(block[j]) for j in r) for r in rks])
    elapsed = time.perf_counter() - t0
    info = SolverInfo(backend=backend_name if "HiGHS" in solver_used else "numpy",
                      solver=" + ".join(sorted(solver_used)) or "decomposition", time=elapsed)
    comps = tuple(tuple(int(a) for a in np.sort(b)) for b in blocks)
    if status is not Status.OPTIMAL:
        return OrderingResult(status, None, float("nan"), {}, OrderingCertificate(atol=atol), info,
                              rankings=(), n_optimal=None, complete=False, components=comps, proofs=tuple(proofs),
                              tops=None)
    # combine the blocks
    n_optimal = math.prod(counts) if all(c is not None for c in counts) else None
    if all_optimal:
        combos = itertools.islice(itertools.product(*per_block), cap)
        rankings = sorted(tuple(a for part in combo for a in part) for combo in combos)
        complete = all(completes) and n_optimal is not None and len(rankings) == n_optimal
    else:
        rankings = [tuple(a for part in per_block for a in part[0])]
        complete = n_optimal == 1
    best = np.array(rankings[0], dtype=np.int64)
    objective = ranking_score(Wz, best)
    # certificate: recompute every returned ranking's score and check it is a permutation
    perm_bad = any(sorted(r) != list(range(m)) for r in rankings)
    score_res = max(abs(ranking_score(Wz, r) - objective) for r in rankings) / (1.0 + abs(objective))
    # the DP is exact; an LP/MILP block bound is on sum_{a<b} K[a,b] x_ab, which is the score minus a constant
    cert = OrderingCertificate(atol=max(atol, 1e-9), score_residual=score_res,
                               permutation_residual=1.0 if perm_bad else 0.0,
                               bound_gap=bound_total / (1.0 + abs(objective)))
    if not cert.ok:
        status = Status.INACCURATE
    if not top_list and all_optimal and complete:
        top_list = sorted({r[0] for r in rankings})
    return OrderingResult(status, best, objective, {}, cert, info, rankings=tuple(rankings), n_optimal=n_optimal,
                          complete=bool(complete), components=comps, proofs=tuple(proofs),
                          tops=tuple(sorted(top_list)) if top_list else None)


def kemeny_rankings(margins, /, *, all_optimal: bool = False, max_solutions: int = 10_000, method: str = "auto",
                    atol: float = 1e-9, backend: str = "auto", time_limit: float | None = None,
                    tops: bool = False) -> OrderingResult:
    """Kemeny rankings: maximize the total margin of the ordered pairs (linear ordering on margins).

    Parameters
    ----------
    margins : array_like of real, shape (m, m)
        A margin matrix ``S - S.T`` or a support matrix ``S`` (same rankings).
    all_optimal, max_solutions, method, atol, backend, time_limit, tops
        As in :func:`linear_ordering`.

    Notes
    -----
    With a support matrix ``S`` of ``n`` complete strict ballots, the total
    Kendall tau distance of a ranking to the voters is
    ``n * m * (m - 1) / 2 - score`` where ``score = sum_{i<j} S[r_i, r_j]``.

    References
    ----------
    .. [1] J. G. Kemeny, "Mathematics without numbers", Daedalus 88 (1959) 577-591.
    .. [2] H. P. Young and A. Levenglick, "A consistent extension of Condorcet's
       election principle", SIAM Journal on Applied Mathematics 35 (1978) 285-300.

    Examples
    --------
    >>> M = [[0, 1, -1], [-1, 0, 3], [1, -3, 0]]
    >>> res = kemeny_rankings(M, all_optimal=True)
    >>> res.rankings, res.objective
    (((0, 1, 2), (1, 2, 0)), 3.0)
    """
    W = _square(margins, "margins", "kemeny_rankings")
    return _solve(W, "kemeny_rankings", all_optimal, max_solutions, method, atol, backend, time_limit,
                  tops)


def slater_rankings(margins, /, *, all_optimal: bool = False, max_solutions: int = 10_000, method: str = "auto",
                    atol: float = 1e-9, backend: str = "auto", time_limit: float | None = None,
                    tops: bool = False) -> OrderingResult:
    """Slater rankings: reverse the fewest majority edges (linear ordering on ``sign(M - M.T)``).

    Parameters
    ----------
    margins : array_like of real, shape (m, m)
        A margin (or support) matrix; only who beats whom matters.  Pairs with
        a zero margin are not edges and cost nothing either way.
    all_optimal, max_solutions, method, atol, backend, time_limit, tops
        As in :func:`linear_ordering`.

    Notes
    -----
    ``objective`` is ``#agreeing edges - #reversed edges``.

    References
    ----------
    .. [1] P. Slater, "Inconsistencies in a schedule of paired comparisons",
       Biometrika 48 (1961) 303-312.

    Examples
    --------
    >>> M = [[0, 1, -1], [-1, 0, 3], [1, -3, 0]]
    >>> slater_rankings(M, all_optimal=True).rankings
    ((0, 1, 2), (1, 2, 0), (2, 0, 1))
    """
    W = _square(margins, "margins", "slater_rankings")
    return _solve(np.sign(W - W.T), "slater_rankings", all_optimal, max_solutions, method, atol, backend, time_limit,
                  tops)
