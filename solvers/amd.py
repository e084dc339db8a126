"""Automated mechanism design over finite type spaces, as linear programs.

Two program families (Conitzer & Sandholm 2002), stated over plain arrays:

:func:`amd_single_item`
    one item, ``n`` bidders with i.i.d. types drawn from a finite set of values
    ``values[k]`` with probabilities ``probs[k]``; randomized allocations;
    Bayesian or dominant-strategy incentive compatibility (IC), interim or
    ex-post individual rationality (IR).
:func:`amd_menu`
    one buyer, several items, additive values; the buyer's type is a row of
    ``types``; the mechanism is a menu of lotteries (allocation probabilities in
    ``[0, 1]^items`` and a price per type).

Both maximize ``w * revenue + (1 - w) * welfare`` and return a frozen result
whose :class:`MechanismCertificate` is recomputed in numpy over *all* pairs of
true and reported types, whatever subset of constraints the program used.

Program reductions (each one justified by a theorem, verified afterwards):

* symmetry: for i.i.d. bidders the program is invariant under permuting
  bidders, so averaging an optimal mechanism over permutations gives an
  optimal *anonymous* one; ex-post variables are indexed by (own type,
  multiset of the others' types) rather than by full profiles;
* interim reduced form: with Bayesian IC and interim IR only the interim
  allocation and payment per type matter; their feasibility is Border's
  condition (Border 1991), and for allocations monotone in the type the
  upper sets ``{k' >= k}`` are the only binding sets (Matthews 1984), so
  ``K`` rows suffice;
* local IC: for single-dimensional types, adjacent (local) IC constraints
  plus monotonicity of the allocation imply every IC constraint, so ``K^2``
  pair rows become ``3 (K - 1)`` rows; IR of the lowest type then implies IR
  of every type (interim IR, or ex-post IR under dominant-strategy IC);
* constraint generation (menus): the multi-dimensional IC constraints have
  no local reduction, so :func:`amd_menu` starts from the pairs of nearest
  types, adds the violated pairs found by an all-pairs numpy check, and
  re-solves until no pair is violated.  The relaxed program's optimum is then
  optimal for the full program (it is feasible for it and its value is an
  upper bound).

Dual sign convention: ``result.duals[family]`` follows :mod:`solvers.lp`
(derivative of the optimal objective, in the maximization sense, with
respect to the active bound of the row).

References
----------
.. [1] V. Conitzer and T. Sandholm, "Complexity of mechanism design",
   Proc. UAI 2002, pp. 103-110.
.. [2] K. C. Border, "Implementation of reduced form auctions: a geometric
   approach", Econometrica 59(4):1175-1187, 1991.
.. [3] S. A. Matthews, "On the implementability of reduced form auctions",
   Econometrica 52(6):1519-1522, 1984.
.. [4] R. B. Myerson, "Optimal auction design", Mathematics of Operations
   Research 6(1):58-73, 1981.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
import time

import numpy as np
import scipy.sparse as sp

from .backends import BACKENDS as _BACKENDS
from .lp import LinearProgram
from .result import Certificate, Result, Status, readonly
from .validation import check_array, check_bool, check_int, check_option, check_probabilities, check_real, fail

__all__ = [
    "MechanismCertificate",
    "AuctionMechanism",
    "MenuMechanism",
    "amd_single_item",
    "amd_menu",
]

logger = logging.getLogger(__name__)

_PER_ROUND = 3  # violated IC pairs added per type and round of constraint generation
# The LP is solved with tolerances tighter than the certificate's, so rows held only to the
# solver's feasibility tolerance still leave room under atol.
_LP_TIGHTEN = 0.1


def _lp_status(res, atol):
    """The LP's status, judged at the caller's atol (the LP itself was re-checked at a tighter one)."""
    if res.status is Status.INACCURATE and all(v <= atol for v in res.certificate.failures().values()):
        return Status.OPTIMAL
    return res.status


# --------------------------------------------------------------------------- results


@dataclasses.dataclass(frozen=True, repr=False)
class MechanismCertificate(Certificate):
    """Incentive and feasibility residuals of a mechanism, recomputed in numpy.

    max_regret : the largest utility gain any type gets from any misreport
        (over all pairs of true and reported types, and for dominant-strategy
        IC over all profiles of the other bidders); 0 is perfect.
    max_ir_violation : the largest amount by which a type's (interim or
        ex-post) utility is negative.
    max_feasibility_violation : the largest violation of the allocation's
        feasibility (probabilities outside ``[0, 1]``, more than one unit of
        the item allocated, or Border's condition for interim allocations).
    """

    max_regret: float = 0.0
    max_ir_violation: float = 0.0
    max_feasibility_violation: float = 0.0

    def __post_init__(self):
        for name in ("max_regret", "max_ir_violation", "max_feasibility_violation"):
            object.__setattr__(self, name, float(getattr(self, name)) + 0.0)  # + 0.0 turns -0.0 into 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class AuctionMechanism(Result):
    """An optimal single-item mechanism for i.i.d. bidders (result of :func:`amd_single_item`).

    Attributes
    ----------
    values, probs : ndarray of shape (K,)
        The type space.
    n_bidders : int
    ic, ir : str
        The incentive and participation notions imposed (and certified).
    formulation : {"reduced", "ex_post"}
        ``"reduced"``: interim variables with Border's constraints;
        ``"ex_post"``: anonymous ex-post variables (own type x others' multiset).
    allocation : ndarray of shape (K,)
        Interim probability that a bidder of type ``k`` gets the item.
    payment : ndarray of shape (K,)
        Interim expected payment of a bidder of type ``k``.
    revenue, welfare : float
        Expected revenue and expected welfare (sum of the winners' values).
    others : ndarray of shape (M, K) or None
        For ``formulation="ex_post"``: the multisets of the other bidders'
        types, as count vectors.
    ex_post_allocation, ex_post_payment : ndarray of shape (K, M) or None
        Allocation probability and payment of a bidder of type ``k`` facing
        the others' multiset ``others[m]``.
    """

    values: np.ndarray = None
    probs: np.ndarray = None
    n_bidders: int = 1
    ic: str = "bayesian"
    ir: str = "interim"
    formulation: str = "reduced"
    allocation: np.ndarray | None = None
    payment: np.ndarray | None = None
    revenue: float = float("nan")
    welfare: float = float("nan")
    others: np.ndarray | None = None
    ex_post_allocation: np.ndarray | None = None
    ex_post_payment: np.ndarray | None = None

    def __post_init__(self):
        super().__post_init__()
        for name in ("values", "probs", "allocation", "payment", "others", "ex_post_allocation", "ex_post_payment"):
            object.__setattr__(self, name, readonly(getattr(self, name)))

    def _summary_fields(self):
        return {"revenue": self.revenue, "welfare": self.welfare, "n_bidders": self.n_bidders,
                "ic": self.ic, "ir": self.ir, "allocation": self.allocation, "payment": self.payment}

    def ex_post_rule(self):
        """The ex-post mechanism over full profiles.

        Returns
        -------
        allocation, payment : ndarray of shape ``(K,) * n_bidders + (n_bidders,)``
            ``allocation[k_1, ..., k_n, i]`` is bidder ``i``'s probability of
            getting the item when the bidders' types are ``k_1, ..., k_n``.
            ``None, None`` for the reduced (interim) formulation, which fixes
            only the interim rule.
        """
        if self.ex_post_allocation is None:
            return None, None
        K, n = self.values.size, self.n_bidders
        profiles = np.indices((K,) * n).reshape(n, -1).T
        lookup = _MultisetIndex(self.others)
        alloc = np.empty((profiles.shape[0], n))
        pay = np.empty((profiles.shape[0], n))
        for i in range(n):
            rest = np.delete(profiles, i, axis=1)
            counts = _counts(rest, K)
            m = lookup(counts)
            alloc[:, i] = self.ex_post_allocation[profiles[:, i], m]
            pay[:, i] = self.ex_post_payment[profiles[:, i], m]
        return alloc.reshape((K,) * n + (n,)), pay.reshape((K,) * n + (n,))


@dataclasses.dataclass(frozen=True, repr=False)
class MenuMechanism(Result):
    """An optimal menu of lotteries for one buyer (result of :func:`amd_menu`).

    Attributes
    ----------
    types : ndarray of shape (T, n_items)
    probs : ndarray of shape (T,)
    allocation : ndarray of shape (T, n_items)
        The lottery chosen by type ``t``: the probability of getting each item.
    payment : ndarray of shape (T,)
        The price of the lottery chosen by type ``t``.
    revenue, welfare : float
    ic_pairs : ndarray of shape (W, 2)
        The (true type, reported type) pairs whose IC constraint is in the
        final program; ``duals["ic"]`` is aligned with it.  Every other pair's
        constraint is satisfied (see ``certificate.max_regret``), so its dual is 0.
    rounds : int
        Number of LP solves (1 for ``method="full"``).
    """

    types: np.ndarray = None
    probs: np.ndarray = None
    allocation: np.ndarray | None = None
    payment: np.ndarray | None = None
    revenue: float = float("nan")
    welfare: float = float("nan")
    ic_pairs: np.ndarray | None = None
    rounds: int = 0

    def __post_init__(self):
        super().__post_init__()
        for name in ("types", "probs", "allocation", "payment", "ic_pairs"):
            object.__setattr__(self, name, readonly(getattr(self, name)))

    def _summary_fields(self):
        n_pairs = 0 if self.ic_pairs is None else int(self.ic_pairs.shape[0])
        return {"revenue": self.revenue, "welfare": self.welfare, "n_types": int(self.types.shape[0]),
                "n_items": int(self.types.shape[1]), "ic_rows": n_pairs, "rounds": self.rounds}


# --------------------------------------------------------------------------- validation


def _check_objective(objective, owner):
    if isinstance(objective, str):
        check_option(objective, "objective", owner, ("revenue", "welfare"))
        return 1.0 if objective == "revenue" else 0.0
    if isinstance(objective, bool) or not isinstance(objective, (int, float, np.integer, np.floating)):
        fail("objective", owner, "'revenue', 'welfare', or a weight in [0, 1] on revenue (the rest on welfare)",
             objective)
    return check_real(objective, "objective", owner, low=0.0, high=1.0)


def _check_type_distribution(values, probs, owner):
    values = check_array(values, "values", owner, ndim=1, min_size=1)
    if values.size > 1 and not np.all(np.diff(values) > 0):
        fail("values", owner, "strictly increasing (one entry per type, sorted)", values,
             hint="Sort the values (and their probabilities) and merge duplicates.")
    probs = check_probabilities(probs, "probs", owner)
    if probs.shape != values.shape:
        fail("probs", owner, f"an array of shape {values.shape} (one probability per value)", probs)
    return values, probs


# --------------------------------------------------------------------------- multisets


def _multisets(n_types: int, size: int) -> np.ndarray:
    """All count vectors of length ``n_types`` summing to ``size`` (lexicographic), shape (M, n_types)."""
    combos = np.array(list(itertools.combinations_with_replacement(range(n_types), size)), dtype=np.int64)
    if size == 0:
        return np.zeros((1, n_types), dtype=np.int64)
    return _counts(combos, n_types)


def _counts(rows: np.ndarray, n_types: int) -> np.ndarray:
    """Count vectors of the integer rows (each row a multiset of type indices)."""
    out = np.zeros((rows.shape[0], n_types), dtype=np.int64)
    if rows.shape[1]:
        np.add.at(out, (np.repeat(np.arange(rows.shape[0]), rows.shape[1]), rows.ravel()), 1)
    return out


class _MultisetIndex:
    """Map count vectors to their row in a table of *all* multisets of one size (vectorized).

    A multiset ``a_1 <= ... <= a_r`` of types is the combination ``b_i = a_i + i``
    of ``{0, ..., K + r - 2}``; its colex rank ``sum_i C(b_i, i + 1)`` is a
    perfect hash onto ``0 .. M - 1``.
    """

    def __init__(self, table: np.ndarray):
        table = np.asarray(table, dtype=np.int64)
        self.n_types = table.shape[1]
        self.size = int(table[0].sum()) if table.shape[0] else 0
        N = self.n_types + self.size
        self._binom = np.array([[math.comb(b, i + 1) for i in range(max(self.size, 1))] for b in range(N)],
                               dtype=np.int64)
        self._pos = np.empty(table.shape[0], dtype=np.int64)
        self._pos[self._codes(table)] = np.arange(table.shape[0])

    def _codes(self, counts: np.ndarray) -> np.ndarray:
        counts = np.asarray(counts, dtype=np.int64)
        r = self.size
        if r == 0:
            return np.zeros(counts.shape[0], dtype=np.int64)
        elems = np.repeat(np.tile(np.arange(self.n_types), counts.shape[0]), counts.ravel()).reshape(-1, r)
        b = elems + np.arange(r)[None, :]
        return self._binom[b, np.arange(r)[None, :]].sum(axis=1)

    def __call__(self, counts: np.ndarray) -> np.ndarray:
        return self._pos[self._codes(counts)]


def _multinomial_probs(counts: np.ndarray, probs: np.ndarray) -> np.ndarray:
    from scipy.special import gammaln

    size = counts.sum(axis=1)
    coef = np.exp(gammaln(size + 1.0) - gammaln(counts + 1.0).sum(axis=1))
    return coef * np.prod(probs[None, :] ** counts, axis=1)


# --------------------------------------------------------------------------- single item


def _ic_rows(n_types: int, reduce_ic: bool):
    """Pairs (true k, report j) whose IC rows go into the program, and the monotone pairs."""
    if reduce_ic:
        k = np.arange(n_types - 1)
        pairs = np.concatenate([np.column_stack([k + 1, k]), np.column_stack([k, k + 1])])
        mono = np.column_stack([k, k + 1])
    else:
        kk, jj = np.meshgrid(np.arange(n_types), np.arange(n_types), indexing="ij")
        off = kk != jj
        pairs = np.column_stack([kk[off], jj[off]])
        mono = np.zeros((0, 2), dtype=np.int64)
    return pairs, mono


def _utility_rows(pairs, values, x_index, t_index, weights=None, n_var=0):
    """Rows of ``U(k, k) - U(k, j) >= 0`` with U(k, j) = v_k x_j - t_j, over (possibly averaged) variables.

    ``x_index[k]`` / ``t_index[k]`` are arrays of variable indices whose
    ``weights``-weighted sum is the (interim) allocation / payment of type k.
    """
    k, j = pairs[:, 0], pairs[:, 1]
    if weights is None:
        weights = np.ones((1,))
    L = weights.size
    rows = np.repeat(np.arange(pairs.shape[0]), L)
    w = np.tile(weights, pairs.shape[0])
    vk = np.repeat(values[k], L)
    cols = [x_index[k].ravel(), t_index[k].ravel(), x_index[j].ravel(), t_index[j].ravel()]
    data = [vk * w, -w, -vk * w, w]
    A = sp.csr_array((np.concatenate(data), (np.tile(rows, 4), np.concatenate(cols))),
                     shape=(pairs.shape[0], n_var))
    return A


def _monotone_rows(mono, x_index, weights, n_var):
    if mono.shape[0] == 0:
        return None
    if weights is None:
        weights = np.ones((1,))
    L = weights.size
    rows = np.repeat(np.arange(mono.shape[0]), L)
    w = np.tile(weights, mono.shape[0])
    cols = np.concatenate([x_index[mono[:, 1]].ravel(), x_index[mono[:, 0]].ravel()])
    return sp.csr_array((np.concatenate([w, -w]), (np.tile(rows, 2), cols)), shape=(mono.shape[0], n_var))


def _single_item_certificate(values, probs, n, ic, ir, x_int, t_int, x_ep, t_ep, others, atol):
    """Residuals over all (true, reported) pairs, recomputed from the mechanism alone."""
    K = values.size
    v = values[:, None]
    feas = float(max(np.max(-x_int, initial=0.0), np.max(x_int - 1.0, initial=0.0)))
    if x_ep is None:
        # Border's condition on every upper level set of the interim allocation (sufficient and necessary).
        order = np.argsort(-x_int, kind="stable")
        mass = np.cumsum(probs[order])
        lhs = n * np.cumsum(probs[order] * x_int[order])
        rhs = 1.0 - np.clip(1.0 - mass, 0.0, 1.0) ** n
        feas = max(feas, float(np.max(lhs - rhs, initial=0.0)))
        U = v * x_int[None, :] - t_int[None, :]                # U[k, j]: type k reporting j
        regret = float(np.max(U - np.diag(U)[:, None], initial=0.0))
        ir_viol = float(np.max(-np.diag(U), initial=0.0))
        return regret, ir_viol, feas
    feas = max(feas, float(np.max(-x_ep, initial=0.0)), float(np.max(x_ep - 1.0, initial=0.0)))
    profiles = _multisets(K, n)
    lookup = _MultisetIndex(others)
    total = np.zeros(profiles.shape[0])
    for k in range(K):
        has = profiles[:, k] > 0
        minus = profiles[has].copy()
        minus[:, k] -= 1
        total[has] += profiles[has, k] * x_ep[k, lookup(minus)]
    feas = max(feas, float(np.max(total - 1.0, initial=0.0)))
    if ic == "dominant":
        regret = 0.0
        step = max(1, 4_000_000 // (K * K))
        for m0 in range(0, x_ep.shape[1], step):
            xs, ts = x_ep[:, m0:m0 + step], t_ep[:, m0:m0 + step]
            U = v[:, :, None] * xs[None, :, :] - ts[None, :, :]   # U[k, j, m]: type k reports j, others m
            diag = U[np.arange(K), np.arange(K), :]
            regret = max(regret, float(np.max(U - diag[:, None, :], initial=0.0)))
    else:
        U = v * x_int[None, :] - t_int[None, :]
        regret = float(np.max(U - np.diag(U)[:, None], initial=0.0))
    if ir == "ex_post":
        ir_viol = float(np.max(t_ep - v * x_ep, initial=0.0))
    else:
        ir_viol = float(np.max(t_int - values * x_int, initial=0.0))
    return regret, ir_viol, feas


def amd_single_item(values, probs, n_bidders, *, ic="bayesian", ir="interim", objective="revenue",
                    formulation="auto", reduce_ic=True, backend="auto", atol=1e-7):
    """Optimal single-item mechanism for i.i.d. bidders with a finite type space, as an LP.

    See :func:`mechanisms.auctions.optimal_auction` (the documented front end)
    for the parameters.

    Examples
    --------
    >>> res = amd_single_item([1.0, 2.0], [0.5, 0.5], 1)
    >>> res.status, round(res.revenue, 9)
    (Status.OPTIMAL, 1.0)
    """
    return _single_item(values, probs, n_bidders, ic=ic, ir=ir, objective=objective, formulation=formulation,
                        reduce_ic=reduce_ic, backend=backend, atol=atol, owner="amd_single_item")


def _single_item(values, probs, n_bidders, *, ic, ir, objective, formulation, reduce_ic, backend, atol, owner):
    values, probs = _check_type_distribution(values, probs, owner)
    n = check_int(n_bidders, "n_bidders", owner, low=1)
    check_option(ic, "ic", owner, ("bayesian", "dominant"))
    check_option(ir, "ir", owner, ("interim", "ex_post"))
    w = _check_objective(objective, owner)
    check_option(formulation, "formulation", owner, ("auto", "reduced", "ex_post"))
    reduce_ic = check_bool(reduce_ic, "reduce_ic", owner)
    check_option(backend, "backend", owner, _BACKENDS)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    if formulation == "auto":
        formulation = "reduced" if (ic == "bayesian" and ir == "interim") else "ex_post"
    if formulation == "reduced" and not (ic == "bayesian" and ir == "interim"):
        fail("formulation", owner, "'ex_post' or 'auto' when ic='dominant' or ir='ex_post'", formulation,
             hint="The interim reduced form only represents Bayesian IC with interim IR.")
    K = values.size
    if formulation == "ex_post":
        n_others = math.comb(K + n - 2, n - 1)
        if 2 * K * n_others > 2_000_000:
            fail("n_bidders", owner, "small enough that the ex-post program has at most 2,000,000 variables",
                 n, hint=f"With {K} types and {n} bidders it would have {2 * K * n_others:,}; use "
                         "ic='bayesian', ir='interim' (the interim reduced form) or fewer types.")
    start = time.perf_counter()
    if formulation == "reduced":
        parts = _build_reduced(values, probs, n, w, reduce_ic)
    else:
        parts = _build_ex_post(values, probs, n, ic, ir, w, reduce_ic)
    lp, c, unpack = parts
    build_time = time.perf_counter() - start
    res = lp.solve(c, maximize=True, backend=backend, atol=_LP_TIGHTEN * atol)
    info = dataclasses.replace(res.info, time=res.info.time + build_time)
    common = dict(values=values, probs=probs, n_bidders=n, ic=ic, ir=ir, formulation=formulation)
    if res.x is None:
        return AuctionMechanism(res.status, None, float("nan"), res.duals, MechanismCertificate(atol=atol), info,
                                **common)
    x_int, t_int, x_ep, t_ep, others = unpack(res.x)
    regret, ir_viol, feas = _single_item_certificate(values, probs, n, ic, ir, x_int, t_int, x_ep, t_ep, others,
                                                     atol)
    cert = MechanismCertificate(atol=atol, max_regret=regret, max_ir_violation=ir_viol,
                                max_feasibility_violation=feas)
    status = _lp_status(res, atol)
    if status is Status.OPTIMAL and not cert.ok:
        status = Status.INACCURATE
        logger.warning("%s: residuals above atol=%g: %s", owner, atol, cert.failures())
    revenue = float(n * probs @ t_int)
    welfare = float(n * probs @ (values * x_int))
    return AuctionMechanism(status, res.x, float(res.objective), res.duals, cert, info, allocation=x_int,
                            payment=t_int, revenue=revenue, welfare=welfare, others=others,
                            ex_post_allocation=x_ep, ex_post_payment=t_ep, **common)


def _build_reduced(values, probs, n, w, reduce_ic):
    """Interim variables x_k, t_k with Border's upper-set constraints.

    Border's rows ``n sum_{j >= k} p_j x_j <= 1 - F(v_{k-1})^n`` are written
    with auxiliary cumulative masses ``y_k = n sum_{j >= k} p_j x_j`` (family
    ``"border_mass"``: ``y_k - n p_k x_k - y_{k+1} = 0``), so the program has
    O(K) nonzeros instead of the K^2 / 2 of the dense triangle.
    """
    K = values.size
    n_var = 3 * K
    xi = np.arange(K)[:, None]
    ti = (K + np.arange(K))[:, None]
    yi = 2 * K + np.arange(K)
    lb = np.concatenate([np.zeros(K), np.full(K, -np.inf), np.zeros(K)])
    ub = np.concatenate([np.ones(K), np.full(K, np.inf), np.full(K, np.inf)])
    lp = LinearProgram(n_var, lb=lb, ub=ub)
    k = np.arange(K)
    nxt = np.arange(K - 1)
    A_mass = sp.csr_array((np.concatenate([np.ones(K), -n * probs, -np.ones(K - 1)]),
                           (np.concatenate([k, k, nxt]), np.concatenate([yi, k, yi[1:]]))), shape=(K, n_var))
    lp.add_constraints("border_mass", A_mass, lower=0.0, upper=0.0)
    below = np.concatenate([[0.0], np.cumsum(probs)[:-1]])
    lp.add_constraints("border", sp.csr_array((np.ones(K), (k, yi)), shape=(K, n_var)),
                       upper=1.0 - np.clip(below, 0.0, 1.0) ** n)
    pairs, mono = _ic_rows(K, reduce_ic)
    lp.add_constraints("ic", _utility_rows(pairs, values, xi, ti, None, n_var), lower=0.0)
    mono_rows = _monotone_rows(mono, xi, None, n_var)
    if mono_rows is not None:
        lp.add_constraints("monotonicity", mono_rows, lower=0.0)
    ir_types = np.arange(1) if reduce_ic else np.arange(K)
    A_ir = sp.csr_array((np.concatenate([values[ir_types], -np.ones(ir_types.size)]),
                         (np.tile(np.arange(ir_types.size), 2), np.concatenate([ir_types, K + ir_types]))),
                        shape=(ir_types.size, n_var))
    lp.add_constraints("ir", A_ir, lower=0.0)
    c = np.concatenate([(1.0 - w) * n * probs * values, w * n * probs, np.zeros(K)])

    def unpack(x):
        return np.clip(x[:K], 0.0, 1.0), x[K:2 * K].copy(), None, None, None

    return lp, c, unpack


def _build_ex_post(values, probs, n, ic, ir, w, reduce_ic):
    """Anonymous ex-post variables x[k, m], t[k, m] (own type k, others' multiset m)."""
    K = values.size
    others = _multisets(K, n - 1)
    M = others.shape[0]
    pm = _multinomial_probs(others, probs)               # probability of each multiset of the others
    n_var = 2 * K * M
    xi = np.arange(K * M).reshape(K, M)
    ti = K * M + xi
    lb = np.concatenate([np.zeros(K * M), np.full(K * M, -np.inf)])
    ub = np.concatenate([np.ones(K * M), np.full(K * M, np.inf)])
    lp = LinearProgram(n_var, lb=lb, ub=ub)
    # Feasibility per profile multiset c: sum_k c_k x[k, c - e_k] <= 1.
    profiles = _multisets(K, n)
    lookup = _MultisetIndex(others)
    rows, cols, data = [], [], []
    for k in range(K):
        has = np.flatnonzero(profiles[:, k] > 0)
        minus = profiles[has].copy()
        minus[:, k] -= 1
        rows.append(has)
        cols.append(xi[k, lookup(minus)])
        data.append(profiles[has, k].astype(np.float64))
    if n > 1:
        A = sp.csr_array((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
                         shape=(profiles.shape[0], n_var))
        lp.add_constraints("feasibility", A, upper=1.0)
    pairs, mono = _ic_rows(K, reduce_ic)
    if ic == "dominant":
        blocks = [_utility_rows(pairs, values, xi[:, [m]], ti[:, [m]], None, n_var) for m in range(M)]
        lp.add_constraints("ic", sp.vstack(blocks, format="csr"), lower=0.0)
        if mono.shape[0]:
            lp.add_constraints("monotonicity", sp.vstack(
                [_monotone_rows(mono, xi[:, [m]], None, n_var) for m in range(M)], format="csr"), lower=0.0)
    else:
        lp.add_constraints("ic", _utility_rows(pairs, values, xi, ti, pm, n_var), lower=0.0)
        mono_rows = _monotone_rows(mono, xi, pm, n_var)
        if mono_rows is not None:
            lp.add_constraints("monotonicity", mono_rows, lower=0.0)
    lowest_only = reduce_ic and (ic == "dominant" or ir == "interim")
    ir_types = np.arange(1) if lowest_only else np.arange(K)
    if ir == "ex_post":
        kk = np.repeat(ir_types, M)
        mm = np.tile(np.arange(M), ir_types.size)
        r = np.arange(kk.size)
        A_ir = sp.csr_array((np.concatenate([values[kk], -np.ones(kk.size)]),
                             (np.tile(r, 2), np.concatenate([xi[kk, mm], ti[kk, mm]]))), shape=(kk.size, n_var))
    else:
        L = M
        r = np.repeat(np.arange(ir_types.size), L)
        kk = np.repeat(ir_types, L)
        mm = np.tile(np.arange(M), ir_types.size)
        wts = np.tile(pm, ir_types.size)
        A_ir = sp.csr_array((np.concatenate([values[kk] * wts, -wts]),
                             (np.tile(r, 2), np.concatenate([xi[kk, mm], ti[kk, mm]]))),
                            shape=(ir_types.size, n_var))
    lp.add_constraints("ir", A_ir, lower=0.0)
    weight = n * probs[:, None] * pm[None, :]             # probability of (own type k, others m) times n
    c = np.concatenate([((1.0 - w) * weight * values[:, None]).ravel(), (w * weight).ravel()])

    def unpack(x):
        x_ep = np.clip(x[: K * M].reshape(K, M), 0.0, 1.0)
        t_ep = x[K * M:].reshape(K, M).copy()
        return x_ep @ pm, t_ep @ pm, x_ep, t_ep, others

    return lp, c, unpack


# --------------------------------------------------------------------------- menus


def _menu_regret(types, alloc, pay, chunk=2048):
    """Regret matrix rows in chunks: yields (start, R) with R[t, s] = U(t reports s) - U(t truthful)."""
    T = types.shape[0]
    own = np.einsum("ti,ti->t", types, alloc) - pay
    for start in range(0, T, chunk):
        stop = min(start + chunk, T)
        R = types[start:stop] @ alloc.T - pay[None, :] - own[start:stop, None]
        yield start, R


def _menu_certificate(types, alloc, pay, atol):
    regret = 0.0
    for _, R in _menu_regret(types, alloc, pay):
        regret = max(regret, float(R.max(initial=0.0)))
    ir_viol = float(np.max(pay - np.einsum("ti,ti->t", types, alloc), initial=0.0))
    feas = float(max(np.max(-alloc, initial=0.0), np.max(alloc - 1.0, initial=0.0)))
    return MechanismCertificate(atol=atol, max_regret=regret, max_ir_violation=ir_viol,
                                max_feasibility_violation=feas)


def _nearest_pairs(types, k):
    """Pairs (t, s), s among the k nearest other types of t (Euclidean), shape (T * k, 2)."""
    T = types.shape[0]
    k = min(k, T - 1)
    if k <= 0:
        return np.zeros((0, 2), dtype=np.int64)
    sq = np.einsum("ti,ti->t", types, types)
    out = []
    for start in range(0, T, 2048):
        stop = min(start + 2048, T)
        d = sq[start:stop, None] + sq[None, :] - 2.0 * types[start:stop] @ types.T
        d[np.arange(stop - start), np.arange(start, stop)] = np.inf
        nn = np.argpartition(d, k - 1, axis=1)[:, :k]
        out.append(np.column_stack([np.repeat(np.arange(start, stop), k), nn.ravel()]))
    return np.concatenate(out)


def _menu_ic_rows(types, pairs, n_var):
    """Rows ``u_t - u_s - (theta_t - theta_s) . a_s >= 0`` for the pairs (t, s) (utility form)."""
    T, m = types.shape
    t, s = pairs[:, 0], pairs[:, 1]
    P = pairs.shape[0]
    r = np.arange(P)
    d = (types[t] - types[s]).ravel()
    rows = np.concatenate([r, r, np.repeat(r, m)])
    cols = np.concatenate([T * m + t, T * m + s, (s[:, None] * m + np.arange(m)[None, :]).ravel()])
    data = np.concatenate([np.ones(P), -np.ones(P), -d])
    return sp.csr_array((data, (rows, cols)), shape=(P, n_var))


def amd_menu(types, probs, *, objective="revenue", method="constraint_generation", n_neighbors=None,
             max_rounds=100, backend="auto", atol=1e-7):
    """Optimal menu of lotteries for one additive buyer with a finite type space, as an LP.

    See :func:`mechanisms.auctions.optimal_menu` (the documented front end)
    for the parameters.

    Examples
    --------
    >>> res = amd_menu([[1.0], [2.0]], [0.5, 0.5])
    >>> res.status, round(res.revenue, 9)
    (Status.OPTIMAL, 1.0)
    """
    return _menu(types, probs, objective=objective, method=method, n_neighbors=n_neighbors,
                 max_rounds=max_rounds, backend=backend, atol=atol, owner="amd_menu")


def _menu(types, probs, *, objective, method, n_neighbors, max_rounds, backend, atol, owner):
    types = check_array(types, "types", owner, ndim=2, min_size=1)
    probs = check_probabilities(probs, "probs", owner)
    T, m = types.shape
    if probs.shape != (T,):
        fail("probs", owner, f"an array of shape ({T},) (one probability per row of types)", probs)
    w = _check_objective(objective, owner)
    check_option(method, "method", owner, ("constraint_generation", "full"))
    if n_neighbors is None:
        n_neighbors = 2 * m + 2
    n_neighbors = check_int(n_neighbors, "n_neighbors", owner, low=0)
    max_rounds = check_int(max_rounds, "max_rounds", owner, low=1)
    check_option(backend, "backend", owner, _BACKENDS)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)

    start = time.perf_counter()
    # Variables: allocation a[t, i] in [0, 1] (T * m), then the rent u[t] >= 0 (T): IR is a bound,
    # and the price is recovered as theta_t . a_t - u_t.
    n_var = T * m + T
    ub = np.concatenate([np.ones(T * m), np.full(T, np.inf)])
    lp = LinearProgram(n_var, lb=0.0, ub=ub)
    # w * revenue + (1 - w) * welfare = sum_t p_t (theta_t . a_t - w u_t)
    c = np.concatenate([(probs[:, None] * types).ravel(), -w * probs])
    if method == "full":
        tt_, ss_ = np.meshgrid(np.arange(T), np.arange(T), indexing="ij")
        off = tt_ != ss_
        pairs = np.column_stack([tt_[off], ss_[off]])
    else:
        pairs = _nearest_pairs(types, n_neighbors)
    families = []
    if pairs.shape[0]:
        lp.add_constraints("ic_0", _menu_ic_rows(types, pairs, n_var), lower=0.0)
        families.append(("ic_0", pairs))
    # A pair joins the program when its regret exceeds atol / 10 (so the final certificate has
    # room to spare) and it is not in the program yet (pairs in it are only violated within the
    # solver's feasibility tolerance; adding them again would not help).
    add_tol = 0.1 * atol
    present = np.unique(pairs[:, 0] * T + pairs[:, 1]) if pairs.shape[0] else np.zeros(0, dtype=np.int64)
    rounds = 0
    solver_time = 0.0

    def unpack(x):
        alloc = np.clip(x[: T * m].reshape(T, m), 0.0, 1.0)
        pay = np.einsum("ti,ti->t", types, alloc) - x[T * m:]
        return alloc, pay

    while True:
        rounds += 1
        res = lp.solve(c, maximize=True, backend=backend, atol=_LP_TIGHTEN * atol)
        solver_time += res.info.time
        if res.x is None or method == "full" or rounds >= max_rounds:
            break
        alloc, pay = unpack(res.x)
        new = []
        for s0, R in _menu_regret(types, alloc, pay):
            lo, hi = np.searchsorted(present, [s0 * T, (s0 + R.shape[0]) * T])
            R[present[lo:hi] // T - s0, present[lo:hi] % T] = -np.inf
            # each type's _PER_ROUND most violated pairs
            k = min(_PER_ROUND, T - 1)
            worst = np.argpartition(-R, k - 1, axis=1)[:, :k] if k < T else np.argsort(-R, axis=1)[:, :k]
            val = np.take_along_axis(R, worst, axis=1)
            rr, cc = np.nonzero(val > add_tol)
            if rr.size:
                new.append(np.column_stack([s0 + rr, worst[rr, cc]]))
        if not new:
            break
        new = np.concatenate(new)
        present = np.union1d(present, new[:, 0] * T + new[:, 1])
        name = f"ic_{len(families)}"
        lp.add_constraints(name, _menu_ic_rows(types, new, n_var), lower=0.0)
        families.append((name, new))
    elapsed = time.perf_counter() - start
    info = dataclasses.replace(res.info, time=elapsed, message=(
        res.info.message + f" [{rounds} LP solve(s), solver time {solver_time:.3g} s]").strip())
    all_pairs = np.concatenate([p for _, p in families]) if families else np.zeros((0, 2), dtype=np.int64)
    common = dict(types=types, probs=probs, rounds=rounds, ic_pairs=all_pairs)
    if res.x is None:
        return MenuMechanism(res.status, None, float("nan"), res.duals, MechanismCertificate(atol=atol), info,
                             **common)
    duals = {}
    if "bounds" in res.duals:
        duals["ir"] = res.duals["bounds"][T * m:]
        duals["bounds"] = res.duals["bounds"]
    if families and all(name in res.duals for name, _ in families):
        duals["ic"] = np.concatenate([res.duals[name] for name, _ in families])
    alloc, pay = unpack(res.x)
    cert = _menu_certificate(types, alloc, pay, atol)
    status = _lp_status(res, atol)
    if status is Status.OPTIMAL and not cert.ok:
        status = Status.INACCURATE
        logger.warning("%s: residuals above atol=%g after %d round(s): %s", owner, atol, rounds, cert.failures())
    revenue = float(probs @ pay)
    welfare = float(probs @ np.einsum("ti,ti->t", types, alloc))
    return MenuMechanism(status, res.x, float(res.objective), duals, cert, info, allocation=alloc, payment=pay,
                         revenue=revenue, welfare=welfare, **common)
