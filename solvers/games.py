"""Symmetric zero-sum games: maximal lotteries as optimal mixed strategies of margin games.

A *margin matrix* ``M`` is antisymmetric (``M = -M.T``): ``M[a, b]`` is how many
more voters prefer ``a`` to ``b`` than ``b`` to ``a``.  The symmetric zero-sum
game in which both players pick an alternative and the row player receives
``M[a, b]`` has value 0; its optimal mixed strategies are the *maximal
lotteries* (Kreweras 1965; Fishburn 1984): the lotteries ``p`` with
``(p @ M)[b] >= 0`` for every ``b``, that is, lotteries no alternative beats in
expectation.  A Condorcet winner's point mass is the unique one.

:func:`maximal_lottery` solves one game (an ``(m, m)`` array) or a batch
(``(..., m, m)``).  It chooses per instance, in order:

1. a *weak Condorcet winner* (a row with no negative entry): its point mass, no LP;
2. for ``m <= 8``, vectorized *support enumeration* over odd supports: on a
   support ``S`` of odd size the kernel of the antisymmetric ``M[S][:, S]`` is
   spanned by its vector of signed Pfaffians of principal minors, computed in
   exact int64 arithmetic for integer margins (floats otherwise); a candidate is
   kept when it is a lottery no alternative beats.  Every game with a unique,
   strictly complementary optimum (for example all margins odd, Laffond,
   Laslier and Le Breton 1997) is solved here;
3. otherwise an LP with HiGHS (``method="lp"``) or, for large games, a
   *double oracle* (``method="double_oracle"``): solve the game restricted to a
   small support, add the alternatives that beat the restricted optimum, repeat
   until none does (McMahan, Gordon and Blum 2003).

Uniqueness.  Maximal lotteries are unique when no margin is zero and the
number of voters is odd, but not in general (ties, even electorates).  Every
result carries ``unique``: ``True`` when the returned lottery is the only
maximal lottery, ``False`` when there are others; the returned one is then the
one the method found (a vertex of the polytope of maximal lotteries), and is the
same for a batch and for a loop over its instances.  ``unique`` is decided from
strict complementarity and the kernel of ``M[S][:, S]``; when that is not
conclusive, by a rank test and one LP over the directions in which ``p`` could
move (one block-diagonal LP for all undecided instances of a batch).

The certificate is recomputed in numpy against the original margins:
``exploitability`` is ``max_b (M @ p)[b]`` (what the best reply gains against
``p``; zero at an optimum) divided by ``max(1, max|M|)``.
"""

from __future__ import annotations

import dataclasses
import time
from functools import lru_cache
from itertools import combinations

import numpy as np

from ._most_even import most_even_lottery
from .lp import LinearProgram
from .result import Certificate, Result, SolverInfo, Status, readonly
from .validation import check_array, check_bool, check_option, check_real, fail

__all__ = ["GameCertificate", "LotteryResult", "LotteryBatch", "maximal_lottery"]

_OWNER = "maximal_lottery"
_METHODS = ("auto", "enumeration", "lp", "double_oracle")
#: largest m solved by vectorized support enumeration
ENUMERATION_MAX = 8
#: from this m on, method="auto" uses the double oracle instead of one LP
DOUBLE_ORACLE_MIN = 60
#: another maximal lottery must differ by more than this to make ``unique`` False (LP-decided cases)
UNIQUE_TOL = 1e-7


@dataclasses.dataclass(frozen=True, repr=False)
class GameCertificate(Certificate):
    """Residuals of a maximal lottery recomputed in numpy against the original margins.

    Attributes
    ----------
    exploitability : float
        ``max_b (M @ p)[b] / max(1, max|M|)``: the expected margin by which the
        best pure reply beats ``p``, relative to the largest margin; ``p`` is a
        maximal lottery exactly when it is ``<= 0``.
    simplex_residual : float
        ``max(|sum(p) - 1|, max(-p))``: how far ``p`` is from being a lottery.
    """

    exploitability: float = 0.0
    simplex_residual: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class LotteryResult(Result):
    """A maximal lottery of one margin game.

    Attributes
    ----------
    x : ndarray of shape (m,)
        The lottery (also :attr:`lottery`); None unless the status is optimal or inaccurate.
    objective : float
        The game value ``min_b (p @ M)[b]`` recomputed in numpy (0 at an optimum).
    duals : mapping
        ``"best_response"``: minus an optimal strategy ``q`` of the opponent
        (the LP duals of the rows ``(p @ M)[b] >= v``, sign convention of
        :mod:`solvers.lp`); by symmetry ``q = p`` when no LP was solved.
        ``"simplex"``: the dual of ``sum(p) = 1`` (the game value, 0).
    unique : bool or None
        Whether ``x`` is the only maximal lottery (None when the solve failed).
    method : str
        ``"condorcet"``, ``"enumeration"``, ``"lp"`` or ``"double_oracle"``.
    essential : tuple of int or None
        With ``essential=True``: every alternative with positive probability in
        some maximal lottery (the essential set), sorted.
    """

    unique: bool | None = None
    method: str = ""
    essential: tuple | None = None

    @property
    def lottery(self) -> np.ndarray | None:
        return self.x

    @property
    def opponent(self) -> np.ndarray | None:
        """An optimal mixed strategy of the opponent (``-duals["best_response"]``)."""
        q = self.duals.get("best_response")
        return None if q is None else readonly(-q + 0.0)

    @property
    def support(self) -> tuple[int, ...]:
        """Alternatives with probability above the certificate tolerance."""
        if self.x is None:
            return ()
        return tuple(int(i) for i in np.flatnonzero(self.x > self.certificate.atol))

    def _summary_fields(self):
        out = {"lottery": self.x, "unique": self.unique, "method": self.method}
        if self.essential is not None:
            out["essential"] = self.essential
        return out


@dataclasses.dataclass(frozen=True, repr=False)
class LotteryBatch:
    """Maximal lotteries of a batch of margin games, one status per instance.

    Attributes
    ----------
    status : ndarray of Status, shape batch_shape
        One :class:`~solvers.result.Status` per instance; a failed instance is a
        status here, never an exception.
    lotteries : ndarray of float, shape batch_shape + (m,)
        NaN rows where the status is neither optimal nor inaccurate.
    opponents : ndarray of float, shape batch_shape + (m,)
        An optimal strategy of the opponent per instance (see :class:`LotteryResult`).
    unique : ndarray of bool, shape batch_shape
    exploitability, simplex_residual : ndarray of float, shape batch_shape
        The certificate residuals per instance (see :class:`GameCertificate`).
    value : ndarray of float, shape batch_shape
        ``min_b (p @ M)[b]`` per instance (0 at an optimum; NaN where unsolved).
    method : ndarray of str, shape batch_shape
    info : SolverInfo
        Backend and total wall time of the whole batch.
    atol : float
    essential : ndarray of bool, shape batch_shape + (m,), or None
        With ``essential=True``: the essential set of each instance as a mask.
    """

    status: np.ndarray
    lotteries: np.ndarray
    opponents: np.ndarray
    unique: np.ndarray
    exploitability: np.ndarray
    simplex_residual: np.ndarray
    value: np.ndarray
    method: np.ndarray
    info: SolverInfo
    atol: float
    essential: np.ndarray | None = None

    def __post_init__(self):
        for name in ("status", "lotteries", "opponents", "unique", "exploitability", "simplex_residual", "value",
                     "method", "essential"):
            object.__setattr__(self, name, readonly(getattr(self, name)))

    @property
    def shape(self) -> tuple[int, ...]:
        return self.status.shape

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of the instances solved to optimality."""
        return np.vectorize(lambda s: s is Status.OPTIMAL, otypes=[bool])(self.status) if self.status.size \
            else np.zeros(self.shape, dtype=bool)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index) -> "LotteryResult":
        """The :class:`LotteryResult` of one instance (``index`` selects one batch element)."""
        status = self.status[index]
        if not isinstance(status, Status):
            fail("index", "LotteryBatch.__getitem__", f"an index selecting one instance of a batch of shape "
                 f"{self.shape}", index)
        has_x = status in (Status.OPTIMAL, Status.INACCURATE)
        p = self.lotteries[index]
        cert = GameCertificate(atol=self.atol, exploitability=float(self.exploitability[index]),
                               simplex_residual=float(self.simplex_residual[index]))
        objective = float(self.value[index]) if has_x else float("nan")
        duals = {"best_response": -np.asarray(self.opponents[index]) + 0.0, "simplex": np.zeros(1)} if has_x else {}
        ess = None
        if has_x and self.essential is not None:
            ess = tuple(int(a) for a in np.flatnonzero(self.essential[index]))
        return LotteryResult(status, np.array(p) if has_x else None, objective, duals, cert, self.info,
                             unique=bool(self.unique[index]) if has_x else None, method=str(self.method[index]),
                             essential=ess)

    def __repr__(self) -> str:
        statuses = {}
        for s in self.status.reshape(-1):
            statuses[s.value] = statuses.get(s.value, 0) + 1
        methods = {}
        for s in self.method.reshape(-1):
            methods[str(s)] = methods.get(str(s), 0) + 1
        n_unique = int(np.sum(self.unique))
        worst = float(np.max(self.exploitability, initial=0.0))
        return (f"LotteryBatch(shape={self.shape}, m={self.lotteries.shape[-1]}, status={statuses}, "
                f"methods={methods}, unique={n_unique}/{self.status.size}, max exploitability={worst:.3g}, "
                f"info={self.info!r})")

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(repr(self))}</pre>"


# --------------------------------------------------------------------------- Pfaffian kernels
@lru_cache(maxsize=None)
def _matchings(n: int) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
    """Perfect matchings of positions ``0..n-1`` (n even) with their Pfaffian signs."""
    if n == 0:
        return ((1, ()),)
    out = []
    for j in range(1, n):
        rest = [r for r in range(1, n) if r != j]
        sign = 1 if j % 2 == 1 else -1
        for s, pairs in _matchings(n - 2):
            out.append((sign * s, ((0, j),) + tuple((rest[a], rest[b]) for a, b in pairs)))
    return tuple(out)


@lru_cache(maxsize=None)
def _kernel_plan(m: int, k: int):
    """Index plan of the signed-Pfaffian kernel vectors of every size-``k`` support of ``m`` alternatives.

    Returns ``(supports, flat, signs)``: ``supports`` (C, k); ``flat`` (C, k, P, h)
    flat indices ``a * m + b`` into ``M`` of the matching entries of the minor
    without position ``i``; ``signs`` (k, P) the matching signs times ``(-1)**i``.
    """
    supports = np.array(list(combinations(range(m), k)), dtype=np.intp).reshape(-1, k)
    match = _matchings(k - 1)
    P, h = len(match), (k - 1) // 2
    local = np.zeros((k, P, max(h, 1), 2), dtype=np.intp)
    signs = np.zeros((k, P), dtype=np.int64)
    for i in range(k):
        others = [r for r in range(k) if r != i]
        for p, (s, pairs) in enumerate(match):
            signs[i, p] = s * (-1) ** i
            for t, (a, b) in enumerate(pairs):
                local[i, p, t] = (others[a], others[b])
    rows = supports[:, local[..., 0]]  # (C, k, P, h)
    cols = supports[:, local[..., 1]]
    flat = rows * m + cols
    return supports, flat[..., :h] if h else flat[..., :0], signs


def _enumerate(M: np.ndarray, exact: bool, tol: float):
    """Support enumeration over odd supports for a batch ``M`` of shape (N, m, m).

    Returns ``found`` (N,), ``p`` (N, m), ``strict`` (N,): whether the lottery
    found is strictly complementary with a one-dimensional kernel (then unique).
    """
    N, m = M.shape[:2]
    dtype = np.int64 if exact else np.float64
    Mc = M.astype(dtype)
    flatM = Mc.reshape(N, m * m)
    found = np.zeros(N, dtype=bool)
    p_out = np.zeros((N, m))
    strict = np.zeros(N, dtype=bool)
    for k in range(3, m + 1, 2):
        todo = np.flatnonzero(~found)
        if todo.size == 0:
            break
        supports, flat, signs = _kernel_plan(m, k)
        C = supports.shape[0]
        # chunk the batch so the gathered entries stay below ~2**24 numbers
        per = max(1, (1 << 24) // max(1, C * flat[0].size))
        for start in range(0, todo.size, per):
            idx = todo[start:start + per]
            F = flatM[idx]
            entries = F[:, flat]  # (n, C, k, P, h)
            prods = entries.prod(axis=-1) if flat.shape[-1] else np.ones(entries.shape[:-1], dtype=dtype)
            x = np.einsum("nckp,kp->nck", prods, signs.astype(dtype))  # kernel vectors (n, C, k)
            # orient each so it sums to > 0; a lottery needs every entry >= 0
            total = x.sum(axis=-1)
            x = np.where(total[..., None] < 0, -x, x)
            total = np.abs(total)
            if exact:
                cand = (total > 0) & np.all(x >= 0, axis=-1)
            else:
                scale = np.maximum(np.abs(x).max(axis=-1), 1e-300)
                cand = (total > tol * scale) & np.all(x >= -tol * scale[..., None], axis=-1)
            n_idx, c_idx = np.nonzero(cand)
            if n_idx.size == 0:
                continue
            # payoffs of every alternative against the candidate: (x @ M[S, :]) >= 0 for all columns
            xs = x[n_idx, c_idx]  # (r, k)
            S = supports[c_idx]  # (r, k)
            rows = Mc[idx[n_idx][:, None], S, :]  # (r, k, m)
            pay = np.einsum("rk,rkm->rm", xs, rows)
            outside = np.ones(pay.shape, dtype=bool)
            np.put_along_axis(outside, S, False, axis=1)
            if exact:
                good = np.all(pay >= 0, axis=-1)
                strict_ok = np.all(xs > 0, axis=-1) & np.all((pay > 0) | ~outside, axis=-1)
            else:
                tot = xs.sum(axis=-1, keepdims=True)
                xs = np.maximum(xs / tot, 0.0)
                pay = pay / tot
                big = np.maximum(1.0, np.abs(rows).max(axis=(1, 2)))[:, None]
                good = np.all(pay >= -tol * big, axis=-1)
                strict_ok = np.all(xs > tol, axis=-1) & np.all((pay > tol * big) | ~outside, axis=-1)
            keep = np.flatnonzero(good)
            # first support (in enumeration order) per instance
            keep = keep[np.unique(n_idx[keep], return_index=True)[1]]
            inst = idx[n_idx[keep]]
            xs, S = xs[keep].astype(np.float64), S[keep]
            p = np.zeros((inst.size, m))
            np.put_along_axis(p, S, xs / xs.sum(axis=-1, keepdims=True), axis=1)
            s_ok = strict_ok[keep]
            found[inst] = True
            p_out[inst] = p
            strict[inst] = s_ok
    return found, p_out, strict


# --------------------------------------------------------------------------- LP routes
def _game_lp(M: np.ndarray, atol: float, backend: str):
    """One-shot LP: maximize v s.t. (p @ M)[b] >= v, sum p = 1, p >= 0.  Returns (status, p, q, LPResult)."""
    m = M.shape[0]
    A = np.hstack([M.T, -np.ones((m, 1))])
    lp = LinearProgram(m + 1, lb=np.r_[np.zeros(m), -np.inf])
    lp.add_constraints("best_response", A, lower=0.0)
    lp.add_constraints("simplex", np.r_[np.ones(m), 0.0][None, :], lower=1.0, upper=1.0)
    c = np.zeros(m + 1)
    c[-1] = 1.0
    res = lp.solve(c, maximize=True, backend=backend, atol=max(atol, 1e-9))
    if res.x is None:
        return res.status, None, None, res
    p = _normalize(res.x[:m])
    q = _normalize(-np.asarray(res.duals["best_response"])) if "best_response" in res.duals else p
    return Status.OPTIMAL, p, q, res


def _normalize(v: np.ndarray) -> np.ndarray:
    v = np.maximum(np.asarray(v, dtype=np.float64), 0.0)
    s = v.sum()
    return v / s if s > 0 else v


def _double_oracle(M: np.ndarray, atol: float, backend: str, tol: float):
    """Grow a support until no alternative beats the restricted game's optimum.  Returns (status, p, iters)."""
    m = M.shape[0]
    start = int(np.argmax(M.sum(axis=1)))  # the Borda-like leader
    S = [start]
    inS = np.zeros(m, dtype=bool)
    inS[start] = True
    p_S = np.ones(1)
    for it in range(1, m + 1):
        reply = M[:, S] @ p_S  # (M @ p)[b]: what each pure reply gains against p
        order = np.argsort(-reply, kind="stable")
        new = [int(b) for b in order[: max(4, len(S))] if reply[b] > tol and not inS[b]]
        if not new:  # no alternative outside S beats p (inside S: the certificate will judge)
            p = np.zeros(m)
            p[S] = p_S
            return Status.OPTIMAL, p, it
        S.extend(new)
        inS[new] = True
        sub = M[np.ix_(S, S)]
        if len(S) <= ENUMERATION_MAX:
            found, p_sub, _ = _enumerate(sub[None], *_exactness(sub, tol))
            if found[0]:
                p_S = p_sub[0]
                continue
            cw = _weak_condorcet(sub[None])[0]
            if cw >= 0:
                p_S = np.zeros(len(S))
                p_S[cw] = 1.0
                continue
        status, p_S, _, _ = _game_lp(sub, atol, backend)
        if p_S is None:
            return status, None, it
    return Status.ITERATION_LIMIT, None, m  # pragma: no cover - the support cannot grow past m


def _exactness(M: np.ndarray, tol: float):
    """Whether support enumeration can run in exact int64 arithmetic for these margins."""
    integral = bool(np.all(M == np.round(M)))
    big = float(np.abs(M).max(initial=0.0)) + 1.0
    m = M.shape[-1]
    kmax = m if m % 2 else m - 1
    # |kernel entry| <= (k-2)!! * big**((k-1)/2); payoffs add k * big times that
    bound = kmax * float(np.prod(np.arange(kmax - 2, 0, -2), initial=1)) * big ** ((kmax + 1) / 2)
    return integral and bound < 2.0**62, tol


def _weak_condorcet(M: np.ndarray) -> np.ndarray:
    """Per instance, the smallest alternative with no negative margin, else -1."""
    ok = np.all(M >= 0, axis=-1)
    return np.where(ok.any(axis=-1), np.argmax(ok, axis=-1), -1)


def _unique_many(Ms: np.ndarray, Ps: np.ndarray, atol: float, backend: str) -> np.ndarray:
    """Decide, for each game ``Ms[i]``, whether ``Ps[i]`` is its only maximal lottery.

    With ``S`` the support of ``p`` and ``T`` the alternatives ``b`` with
    ``(p @ M)[b] = 0`` (plus ``S``), every maximal lottery ``q`` lives on ``T``
    and has ``(q @ M)[S] = 0``; so ``p`` is unique iff the cone ``C`` of
    directions ``d`` (``supp d`` in ``T``, ``d >= 0`` on ``T \\ S``,
    ``sum d = 0``, ``(d @ M)[S] = 0``, ``(d @ M)[T \\ S] >= 0``) is ``{0}``.
    Its lineality space is checked by a rank test; the rest by one LP
    maximizing ``sum d[T \\ S] + sum (d @ M)[T \\ S]`` over ``C`` in a box,
    solved for all instances at once as one block-diagonal LP.
    """
    import scipy.sparse as sp

    tol = max(UNIQUE_TOL, atol)
    n, m = Ps.shape
    big = np.maximum(1.0, np.abs(Ms).max(axis=(1, 2), initial=0.0))
    S = Ps > tol
    T = S | (np.einsum("na,nab->nb", Ps, Ms) <= tol * big[:, None])
    # lineality space: d on S with sum d = 0 and (d @ M)[T] = 0 must be {0}
    if m <= 16:  # one batched rank computation on padded matrices (zero rows/columns off T/S)
        A = Ms / big[:, None, None]  # scaled margins
        E = np.concatenate([np.swapaxes(A, 1, 2) * (T[:, :, None] & S[:, None, :]),
                            S[:, None, :].astype(float)], axis=1)  # (n, m + 1, m)
        full_rank = np.linalg.matrix_rank(E, tol=1e-9 * (m + 1)) == S.sum(axis=1)
    else:  # large games: the small (|T| + 1) x |S| matrices one by one
        full_rank = np.zeros(n, dtype=bool)
        for i in range(n):
            s_idx, t_idx = np.flatnonzero(S[i]), np.flatnonzero(T[i])
            E = np.vstack([Ms[i][np.ix_(s_idx, t_idx)].T / big[i], np.ones((1, s_idx.size))])
            full_rank[i] = np.linalg.matrix_rank(E, tol=1e-9 * max(E.shape)) == s_idx.size
    out = full_rank & (T.sum(axis=1) == S.sum(axis=1))
    need = np.flatnonzero(full_rank & ~out)
    if need.size == 0:
        return out
    # one LP for all: per instance, variables d (m), zero off T, d >= 0 on T \\ S, box [-1, 1];
    # rows (d @ M)[b] = 0 on S, >= 0 on T \\ S, free elsewhere; and sum d = 0
    k = need.size
    Sn, Tn, An = S[need], T[need], Ms[need] / big[need, None, None]
    U = Tn & ~Sn
    lb = np.where(Tn & Sn, -1.0, 0.0).reshape(-1)
    ub = np.where(Tn, 1.0, 0.0).reshape(-1)
    inst, j, b = np.meshgrid(np.arange(k), np.arange(m), np.arange(m), indexing="ij")
    sum_rows = np.repeat(np.arange(k) * (m + 1) + m, m)  # the row sum(d) = 0 of each instance
    rows = np.concatenate([(inst * (m + 1) + b).reshape(-1), sum_rows])
    cols = np.concatenate([(inst * m + j).reshape(-1), np.arange(k * m)])
    vals = np.concatenate([An.reshape(-1), np.ones(k * m)])
    matrix = sp.csr_array((vals, (rows, cols)), shape=(k * (m + 1), k * m))
    row_lo = np.concatenate([np.where(Sn | U, 0.0, -np.inf), np.zeros((k, 1))], axis=1).reshape(-1)
    row_hi = np.concatenate([np.where(Sn, 0.0, np.inf), np.zeros((k, 1))], axis=1).reshape(-1)
    lp = LinearProgram(k * m, lb=lb, ub=ub)
    lp.add_constraints("cone", matrix, lower=row_lo, upper=row_hi)
    c = (U.astype(float) + np.einsum("njb,nb->nj", An, U.astype(float))) * Tn  # sum d[U] + sum (d @ A)[U]
    res = lp.solve(c.reshape(-1), maximize=True, backend=backend, atol=max(atol, 1e-9))
    if res.x is None:  # pragma: no cover - the LP is feasible (d = 0) and bounded (box)
        return out
    gain = (c * res.x.reshape(k, m)).sum(axis=1)
    out[need] = gain <= tol
    return out


def _essential(M: np.ndarray, p: np.ndarray, unique: bool, atol: float, backend: str) -> np.ndarray:
    """Mask of the essential set: alternatives with positive probability in some maximal lottery."""
    tol = max(UNIQUE_TOL, atol)
    support = p > tol
    if unique:
        return support
    big = max(1.0, float(np.abs(M).max(initial=0.0)))
    T = np.flatnonzero(((p @ M) <= tol * big) | support)  # every maximal lottery lives on T
    out = support.copy()
    lp = LinearProgram(T.size)
    lp.add_constraints("best_response", M[T, :].T, lower=0.0)
    lp.add_constraints("simplex", np.ones((1, T.size)), lower=1.0, upper=1.0)
    for j, t in enumerate(T):
        if out[t]:
            continue
        c = np.zeros(T.size)
        c[j] = 1.0
        res = lp.solve(c, maximize=True, backend=backend, atol=max(atol, 1e-9))
        if res.x is not None:
            out[T[res.x > tol]] = True  # every alternative this lottery uses is essential
    return out


# --------------------------------------------------------------------------- public entry point
def maximal_lottery(margins, /, *, method: str = "auto", atol: float = 1e-9, backend: str = "auto",
                    essential: bool = False, canonical: bool = False):
    """Maximal lottery of a margin matrix, or of each of a batch of margin matrices.

    Parameters
    ----------
    margins : array_like of real, shape (m, m) or (..., m, m)
        Antisymmetric margin matrices (``M[a, b] = -M[b, a]``), e.g.
        ``Profile.margin_matrix()``; leading axes are batch axes.
    method : {"auto", "enumeration", "lp", "double_oracle"}
        ``"auto"``: Condorcet winner, else support enumeration for ``m <= 8``,
        else one LP for ``m < 60`` and the double oracle from there.
        ``"enumeration"`` falls back to an LP on the (degenerate) instances it
        does not solve; ``"lp"`` solves every instance without a weak Condorcet
        winner by one LP.
    atol : float
        Tolerance of the numpy re-check (relative to ``max(1, max|M|)``) and of
        the support and uniqueness decisions for non-integer margins.
    backend : {"auto", "highs", "scipy", "cvxpy"}
        LP backend (see :mod:`solvers.lp`).
    essential : bool
        Also compute the *essential set* (Dutta and Laslier 1999): every
        alternative with positive probability in *some* maximal lottery (the
        support of the lottery when it is unique; otherwise one LP per tight
        alternative not yet covered).
    canonical : bool
        Where the maximal lottery is not unique, return the *most even* one: the
        leximin point of the probabilities over the polytope of maximal lotteries
        (maximize the smallest probability, fix what cannot rise, repeat).  It is
        unique, so it commutes with renaming alternatives and reordering voters;
        the default returns the vertex the solver found.  Instances with a unique
        maximal lottery are unchanged.

    Returns
    -------
    LotteryResult
        For an ``(m, m)`` input.
    LotteryBatch
        For a batch ``(..., m, m)``: a status per instance, never an exception
        for an instance the solver could not solve.

    Raises
    ------
    ValidationError
        If ``margins`` is not a finite real array of square antisymmetric
        matrices (the message names the first offending instance).

    Notes
    -----
    See the module docstring for the algorithms, the uniqueness flag and the
    certificate.  ``duals["best_response"]`` is minus an optimal strategy of
    the opponent; in a symmetric game every maximal lottery is one.

    References
    ----------
    .. [1] P. C. Fishburn, "Probabilistic social choice based on simple voting
       comparisons", Review of Economic Studies 51 (1984) 683-692.
    .. [2] G. Kreweras, "Aggregation of preference orderings", in Mathematics and
       Social Sciences I, 1965, 73-79.
    .. [3] F. Brandt, "Rolling the dice: recent results in probabilistic social
       choice", in Trends in Computational Social Choice, AI Access, 2017, 3-26.
    .. [4] G. Laffond, J.-F. Laslier and M. Le Breton, "A theorem on symmetric
       two-player zero-sum games", Journal of Economic Theory 72 (1997) 426-431.
    .. [5] H. B. McMahan, G. J. Gordon and A. Blum, "Planning in the presence of
       cost functions controlled by an adversary", ICML 2003 (double oracle).
    .. [6] B. Dutta and J.-F. Laslier, "Comparison functions and choice
       correspondences", Social Choice and Welfare 16 (1999) 513-532.

    Examples
    --------
    Rock-paper-scissors margins: the uniform lottery.

    >>> res = maximal_lottery([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    >>> res.lottery.round(6).tolist(), res.unique, res.method
    ([0.333333, 0.333333, 0.333333], True, 'enumeration')

    A Condorcet winner gets probability one, without an LP:

    >>> maximal_lottery([[0, 3, 1], [-3, 0, 1], [-1, -1, 0]]).lottery.tolist()
    [1.0, 0.0, 0.0]

    A batch returns one status per instance:

    >>> batch = maximal_lottery([[[0, 1, -1], [-1, 0, 1], [1, -1, 0]], [[0, 2, 0], [-2, 0, 0], [0, 0, 0]]])
    >>> [s.value for s in batch.status], batch.unique.tolist()
    (['optimal', 'optimal'], [True, False])
    """
    t0 = time.perf_counter()
    method = check_option(method, "method", _OWNER, _METHODS)
    essential = check_bool(essential, "essential", _OWNER)
    canonical = check_bool(canonical, "canonical", _OWNER)
    atol = check_real(atol, "atol", _OWNER, low=0.0, low_open=True)
    arr = check_array(margins, "margins", _OWNER, min_size=1)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        fail("margins", _OWNER, "an array of square matrices, of shape (m, m) or (..., m, m)", arr)
    from .backends import get_backend

    backend_name = get_backend(backend, _OWNER)[0]
    m = arr.shape[-1]
    batch_shape = arr.shape[:-2]
    M = np.asarray(arr, dtype=np.float64).reshape(-1, m, m)
    N = M.shape[0]
    big = np.maximum(1.0, np.abs(M).max(axis=(1, 2), initial=0.0)) if N else np.ones(0)
    asym = np.abs(M + np.swapaxes(M, 1, 2)).max(axis=(1, 2), initial=0.0) if N else np.zeros(0)
    bad = np.flatnonzero(asym > atol * big)
    if bad.size:
        index = tuple(int(i) for i in np.unravel_index(bad[0], batch_shape))
        where = "" if arr.ndim == 2 else f" Instance {index} is not."
        fail("margins", _OWNER, "antisymmetric (M[a, b] == -M[b, a], zero diagonal)", arr,
             hint="Pass a margin matrix S - S.T built from a support matrix S." + where)
    original = M
    if asym.any():  # remove rounding noise (integer margins are exactly antisymmetric already)
        M = 0.5 * (M - np.swapaxes(M, 1, 2))
    tol = atol

    status = np.empty(N, dtype=object)
    status[:] = Status.OPTIMAL
    P = np.full((N, m), np.nan)
    Q = np.full((N, m), np.nan)
    unique = np.zeros(N, dtype=bool)
    decided = np.zeros(N, dtype=bool)
    how = np.empty(N, dtype=object)
    done = np.zeros(N, dtype=bool)

    # 1. weak Condorcet winners
    scaled_tol = (tol * big)[:, None, None]
    cw = _weak_condorcet(M + scaled_tol)  # a row with no margin below -tol (the diagonal is 0)
    hit = np.flatnonzero(cw >= 0)
    if hit.size:
        P[hit] = 0.0
        P[hit, cw[hit]] = 1.0
        strict = np.all((M[hit, cw[hit], :] > scaled_tol[hit, 0]) | (np.arange(m)[None, :] == cw[hit][:, None]),
                        axis=1)
        unique[hit] = strict
        decided[hit] = strict
        how[hit] = "condorcet"
        done[hit] = True

    # 2. support enumeration for small m
    if method in ("auto", "enumeration") and 3 <= m <= ENUMERATION_MAX:
        todo = np.flatnonzero(~done)
        if todo.size:
            exact, _ = _exactness(M[todo], tol)
            found, p_found, strict = _enumerate(M[todo], exact, tol)
            idx = todo[found]
            P[idx] = p_found[found]
            unique[idx] = strict[found]
            decided[idx] = strict[found]
            how[idx] = "enumeration"
            done[idx] = True

    # 3. LP or double oracle for the rest
    lp_time = 0.0
    for i in np.flatnonzero(~done):
        use_do = method == "double_oracle" or (method == "auto" and m >= DOUBLE_ORACLE_MIN)
        if use_do:
            st, p, _ = _double_oracle(M[i], atol, backend_name, tol * big[i])
            q = p
            how[i] = "double_oracle"
        else:
            st, p, q, res = _game_lp(M[i], atol, backend_name)
            lp_time += res.info.time
            how[i] = "lp"
        if p is None:
            status[i] = st
            continue
        P[i], Q[i] = p, q
        done[i] = True

    # 4. uniqueness where the cheap test was not conclusive (one block-diagonal LP for all of them)
    undecided = np.flatnonzero(done & ~decided)
    if undecided.size:
        unique[undecided] = _unique_many(M[undecided], P[undecided], atol, backend_name)

    if canonical:  # the leximin point of the face {p in simplex : p @ M >= 0}
        for i in np.flatnonzero(done & ~unique):
            p, _ = most_even_lottery(M[i].T / big[i], np.zeros(m))
            if p is not None:
                P[i] = p

    ess = np.zeros((N, m), dtype=bool)
    if essential:
        for i in np.flatnonzero(done):
            ess[i] = _essential(M[i], P[i], bool(unique[i]), atol, backend_name)

    # 5. certificate against the original margins
    fill = done & np.isnan(Q).any(axis=1)
    Q[fill] = P[fill]
    Pz = np.where(done[:, None], P, 0.0)
    reply = np.einsum("nab,nb->na", original, Pz)
    exploit = np.where(done, reply.max(axis=1, initial=-np.inf) / big, np.nan) if m else np.zeros(N)
    simplex = np.where(done, np.maximum(np.abs(Pz.sum(axis=1) - 1.0), np.maximum(-Pz.min(axis=1), 0.0)), np.nan)
    inaccurate = done & ((exploit > atol) | (simplex > atol))
    status[inaccurate] = Status.INACCURATE
    value = np.where(done, -reply.max(axis=1, initial=-np.inf), np.nan) if m else np.zeros(N)
    used = sorted(set(str(h) for h in how))
    elapsed = time.perf_counter() - t0
    lp_used = any(h in ("lp", "double_oracle") for h in used)
    info = SolverInfo(backend=backend_name if lp_used else "numpy", solver="+".join(used), time=elapsed,
                      message=f"LP time {lp_time * 1e3:.2f} ms" if lp_time else "")

    if arr.ndim == 2:
        ok = bool(done[0])
        cert = GameCertificate(atol=atol, exploitability=float(exploit[0]) if ok else 0.0,
                               simplex_residual=float(simplex[0]) if ok else 0.0)
        duals = {"best_response": -Q[0] + 0.0, "simplex": np.zeros(1)} if ok else {}
        objective = float(value[0]) if ok else float("nan")
        return LotteryResult(status[0], P[0] if ok else None, objective, duals, cert, info,
                             unique=bool(unique[0]) if ok else None, method=str(how[0]),
                             essential=tuple(int(a) for a in np.flatnonzero(ess[0])) if ok and essential else None)
    return LotteryBatch(status.reshape(batch_shape), P.reshape(*batch_shape, m), Q.reshape(*batch_shape, m),
                        unique.reshape(batch_shape), np.nan_to_num(exploit, nan=np.inf).reshape(batch_shape),
                        np.nan_to_num(simplex, nan=np.inf).reshape(batch_shape), value.reshape(batch_shape),
                        how.astype(str).reshape(batch_shape), info, atol,
                        ess.reshape(*batch_shape, m) if essential else None)
