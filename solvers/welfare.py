"""Welfare optimization over lotteries: Nash welfare, egalitarian (maximin) and leximin.

The data are a utility matrix ``U`` of shape ``(n_voters, n_alternatives)`` and
voter weights ``w``; a lottery ``p`` (a probability vector over alternatives)
gives voter ``i`` the expected utility ``s_i = (U @ p)_i``.

* :func:`nash_welfare_lottery` maximizes ``sum_i w_i log s_i`` (a concave
  program; utilities must be nonnegative), by an active-set Newton method on the
  simplex with Frank-Wolfe insertions, or by cvxpy's exponential cone.
* :func:`egalitarian_lottery` maximizes ``min_i s_i`` (a linear program).
* :func:`leximin_lottery` maximizes the sorted vector ``s`` lexicographically
  (a sequence of linear programs).

The optimal *utility vector* of Nash welfare and leximin is unique, but the
optimal lottery need not be (nor is the egalitarian optimum).  Every function
returns the same canonical one: **the most even optimal lottery, leximin over
probabilities** -- the lottery of the optimal face ``{p in simplex : U p >=
optimal levels}`` whose sorted probability vector is lexicographically largest
(a sequence of linear programs on one cached model; the optimal levels are
relaxed by ``1e-12 * (1 + |level|)`` against rounding).  The leximin point of a
convex set is unique, so the returned lottery is anonymous (independent of the
order of voters) and neutral (relabelling alternatives relabels it), clones get
equal shares, and alternatives outside every optimal lottery get exactly 0.

Every result carries a :class:`WelfareCertificate` recomputed in numpy against
the original matrix (simplex feasibility and the optimality conditions).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from ._most_even import most_even_lottery
from .lp import LinearProgram
from .result import Certificate, Result, SolverInfo, Status
from .validation import check_array, check_int, check_option, check_real, fail, require

__all__ = ["WelfareCertificate", "WelfareResult", "nash_welfare_lottery", "egalitarian_lottery",
           "leximin_lottery"]


@dataclasses.dataclass(frozen=True, repr=False)
class WelfareCertificate(Certificate):
    """Residuals of a welfare-optimal lottery recomputed in numpy.

    Attributes
    ----------
    primal_residual : float
        ``max(|sum p - 1|, max(-p))``; egalitarian and leximin also the largest
        shortfall of ``U @ p`` below the optimal levels (relative to ``1 + |level|``).
    dual_residual : float
        Nash welfare: ``max(0, max_j g_j / W - 1)`` with ``g = U.T @ (w / s)`` the
        gradient and ``W = sum w`` (the KKT condition is ``g_j <= W`` for every
        alternative); linear programs: the LP's dual residual (largest over stages).
    complementarity : float
        Nash welfare: ``max_j p_j |g_j / W - 1|``; LPs: the LP's complementarity.
    duality_gap : float
        Nash welfare: the concavity bound ``max_j g_j - W`` on ``f* - f(p)``,
        relative to ``1 + |f(p)|`` with ``f`` computed on the rows scaled to
        maximum 1 (so the residuals do not depend on each voter's scale); LPs:
        the LP's relative duality gap.
    """

    primal_residual: float = 0.0
    dual_residual: float = 0.0
    complementarity: float = 0.0
    duality_gap: float = 0.0


@dataclasses.dataclass(frozen=True, repr=False)
class WelfareResult(Result):
    """A welfare-optimal lottery.

    ``x`` is the lottery; ``objective`` the welfare value (Nash: ``sum w log s``;
    egalitarian and leximin: ``min s``); ``utilities`` the voters' expected
    utilities ``U @ x``; ``levels`` (leximin) the successive maximin values.
    ``duals["voters"]`` (egalitarian) are the LP multipliers of the rows
    ``s_i >= t``: ``d objective / d (lower bound of row i)``, so ``-duals`` is a
    probability distribution over the worst-off voters.
    """

    welfare: str = ""
    utilities: np.ndarray | None = None
    levels: tuple[float, ...] = ()

    def __post_init__(self):
        super().__post_init__()
        if self.utilities is not None:
            arr = np.asarray(self.utilities, dtype=np.float64).view()
            arr.setflags(write=False)
            object.__setattr__(self, "utilities", arr)

    def _summary_fields(self):
        return {"welfare": self.welfare, "objective": self.objective, "x": self.x}


# ---------------------------------------------------------------------- shared
def _check_data(utilities, weights, owner, *, nonnegative):
    U = check_array(utilities, "utilities", owner, ndim=2, min_size=1, nonnegative=nonnegative)
    n, m = U.shape
    if weights is None:
        w = np.ones(n)
    else:
        w = np.asarray(check_array(weights, "weights", owner, shape=(n,), nonnegative=True), dtype=np.float64)
    keep = w > 0
    if not keep.any():
        fail("weights", owner, "positive for at least one voter", weights)
    return np.asarray(U, dtype=np.float64), w, keep


def _clones(U):
    """Distinct utility columns: (reduced matrix, column -> group, group sizes)."""
    cols, group = np.unique(U.T, axis=0, return_inverse=True)
    group = group.reshape(-1)
    return np.ascontiguousarray(cols.T), group, np.bincount(group)


def _expand(q, group, sizes):
    return q[group] / sizes[group]


def _simplex_residual(p) -> float:
    return float(max(abs(p.sum() - 1.0), float(np.max(-p, initial=0.0)), 0.0))


def _finish(p, objective, cert, info, welfare, U, duals=None, levels=()):
    status = Status.OPTIMAL if cert.ok else Status.INACCURATE
    if not cert.ok:
        info = dataclasses.replace(info, message=(info.message + "; " if info.message else "") + "numpy re-check: "
                                   + ", ".join(f"{k}={v:.3g}" for k, v in cert.failures().items()))
    return WelfareResult(status, p, objective, duals or {}, cert, info, welfare=welfare, utilities=U @ p,
                         levels=tuple(levels))


# ---------------------------------------------------------------------- canonical (most even) optimal lottery
def _canonical(U, floors, p, *, candidates=None):
    """The most even lottery of the face ``U q >= floors`` (voter types merged), else ``p`` with a note.

    ``candidates`` (Nash welfare and leximin, whose face is ``{U q = floors}``): a mask of the
    alternatives that may be positive in an optimal lottery; when the columns
    ``[U; 1]`` of the candidates are linearly independent the face is the single point ``p``
    and no LP is solved.  Returns ``(lottery, number of LPs, message, floor violation)``; the
    violation ``max(floors - U @ lottery, 0)`` is the certificate's measure of optimality.
    """
    floors = np.asarray(floors, dtype=np.float64)
    if candidates is not None:
        cols = np.vstack([U[:, candidates], np.ones((1, int(candidates.sum())))])
        if np.linalg.matrix_rank(cols) == cols.shape[1]:
            return p, 0, "", float(np.max(floors - U @ p, initial=0.0))
    _, first = np.unique(np.column_stack([U, floors]), axis=0, return_index=True)
    q, solves = most_even_lottery(U[first], floors[first])
    message = ""
    if q is None:  # pragma: no cover - the face contains p, so it is never empty
        q, message = p, "the optimal face could not be solved again; one optimal lottery returned"
    violation = float(np.max(np.asarray(floors) - U @ q, initial=0.0))
    return q, solves, message, violation


# ---------------------------------------------------------------------- Nash welfare
def _nash_certificate(U, w, p, atol):
    s = U @ p
    W = float(w.sum())
    with np.errstate(divide="ignore"):
        g = U.T @ (w / s)
        f = float(w @ np.log(s))
    rel = g / W - 1.0
    gap = max(0.0, float(g.max()) - W) / (1.0 + abs(f)) if np.isfinite(f) else np.inf
    return f, WelfareCertificate(atol=atol, primal_residual=_simplex_residual(p),
                                 dual_residual=max(0.0, float(rel.max())),
                                 complementarity=float(np.max(p * np.abs(rel))), duality_gap=gap)


def _nash_newton(U, w, atol, max_iter):
    """Projected Newton on the simplex with Frank-Wolfe insertions. Returns (p, iterations).

    Every quantity the iteration tests is invariant to scaling a row of ``U`` (the gradient
    ``g = U.T @ (w / s)``, the Hessian ``U.T diag(w / s**2) U`` and ``p . g = W``), so the
    tolerances are relative to ``W = sum w``.  Coordinates of the support that are nearly 0 and
    whose gradient pushes them out (``g_j < W``) are taken out of the Newton system and sent to
    0 along the step (Bertsekas' projected Newton); otherwise a Newton direction that drives a
    tiny coordinate negative is clipped at once and the step lengths collapse ("jamming").
    """
    n, m = U.shape
    W = float(w.sum())
    p = np.full(m, 1.0 / m)

    def f_of(q):
        s = U @ q
        if np.any(s <= 0):
            return -np.inf
        return float(w @ np.log(s))

    f = f_of(p)
    it = 0
    for it in range(1, max_iter + 1):
        s = U @ p
        g = U.T @ (w / s)
        rel = g / W - 1.0
        support = p > 0
        face = float(np.max(np.abs(rel[support]), initial=0.0))
        if face <= atol:
            j = int(np.argmax(np.where(support, -np.inf, g))) if (~support).any() else -1
            if j < 0 or g[j] <= W * (1.0 + atol):
                break
            # Frank-Wolfe step toward vertex j: maximize the concave f(p + t (e_j - p)) on [0, 1]
            d = -p.copy()
            d[j] += 1.0
            q, f = _line_max(f_of, p, d, 1.0, f, w, U)
            if q is p:
                break
            p = q
            continue
        # Bertsekas' epsilon-active set: nearly-zero coordinates that the gradient pushes out
        eps = min(1e-3, face)
        leaving = support & (p <= eps) & (rel < 0)
        step = None
        for drop in ((leaving, np.zeros(m, dtype=bool)) if leaving.any() and not leaving[support].all()
                     else (np.zeros(m, dtype=bool),)):
            d = _newton_direction(U, w, s, g, support & ~drop, p, drop)
            if d is None:
                continue
            step = _arc_search(f_of, p, d, g, f, face < 1e-6)
            if step is not None:
                break
        if step is None:
            break
        p, f = step
    return p, it


def _newton_direction(U, w, s, g, free, p, drop):
    """Newton step on the face of ``free``, the ``drop`` coordinates sent to 0; None if not ascent."""
    m = p.size
    idx = np.flatnonzero(free)
    d = np.zeros(m)
    d[drop] = -p[drop]
    k = idx.size
    if k == 0:
        return None
    Us = U[:, idx]
    h = w / s ** 2
    H = (Us * h[:, None]).T @ Us                    # = -Hessian on the face (PSD)
    K = np.zeros((k + 1, k + 1))
    K[:k, :k] = H + 1e-14 * np.trace(H) / k * np.eye(k)
    K[:k, k] = 1.0
    K[k, :k] = 1.0
    shift = float(p[drop].sum())
    cross = (Us * h[:, None]).T @ (U[:, drop] @ p[drop]) if shift > 0 else 0.0
    rhs = np.append(g[idx] + cross, shift)          # H_FF d_F + mu = g_F - H_FD d_D,  sum d_F = sum p_D
    sol = np.linalg.lstsq(K, rhs, rcond=1e-15)[0]
    d[idx] = sol[:k]
    d[idx] += (shift - d[idx].sum()) / k            # exact conservation of probability
    if float(g @ d) > 0:
        return d
    d = np.zeros(m)                                 # numerically flat: a projected gradient
    gs = g[free | drop]
    d[free | drop] = gs - gs.mean()
    return d if float(g @ d) > 0 else None


def _arc_search(f_of, p, d, g, f, near):
    """Armijo search along the projection arc ``t -> P(p + t d)``; ``(p, f)`` or None.

    Negative coordinates are clipped (several may leave the support at once).  Close to the
    optimum the gain is below the float resolution of ``f``: full Newton steps are taken.
    """
    t = 1.0
    while t >= 1e-14:
        trial = np.maximum(p + t * d, 0.0)
        trial /= trial.sum()
        f_new = f_of(trial)
        gain = float(g @ (trial - p))
        if (t == 1.0 and near and np.isfinite(f_new)) or (gain > 0 and f_new >= f + 1e-4 * gain):
            return trial, f_new
        t *= 0.5
    return None


def _line_max(f_of, p, d, t_hi, f0, w, U):
    """Maximize the concave f(p + t d) over t in [0, t_hi] by safeguarded Newton/bisection."""
    lo, hi = 0.0, t_hi
    Ud = U @ d
    t = 0.5 * t_hi
    for _ in range(100):
        s = U @ (p + t * d)
        if np.any(s <= 0):
            hi = t
            t = 0.5 * (lo + hi)
            continue
        d1 = float(w @ (Ud / s))
        d2 = -float(w @ (Ud / s) ** 2)
        if d1 > 0:
            lo = t
        else:
            hi = t
        if hi - lo < 1e-15:
            break
        t_new = t - d1 / d2 if d2 < 0 else 0.5 * (lo + hi)
        t = t_new if lo < t_new < hi else 0.5 * (lo + hi)
    q = p + lo * d
    q[q < 0] = 0.0
    q /= q.sum()
    fq = f_of(q)
    return (q, fq) if fq >= f0 else (p, f0)


def nash_welfare_lottery(utilities, /, *, weights=None, algorithm: str = "newton", atol: float = 1e-9,
                         max_iter: int = 1000) -> WelfareResult:
    """The lottery maximizing Nash welfare ``sum_i w_i log((U @ p)_i)``.

    Parameters
    ----------
    utilities : array of shape (n_voters, n_alternatives)
        Nonnegative utilities.  Voters whose utilities are all zero have
        ``log 0`` under every lottery and are left out (their weight does not
        count).
    weights : array of shape (n_voters,), optional
        Voter weights (default 1 each).
    algorithm : {"newton", "cvxpy"}
        ``"newton"`` (default): active-set Newton on the simplex (no
        dependency); ``"cvxpy"``: the exponential-cone program through cvxpy
        (Clarabel), for cross-checking.
    atol : float
        Tolerance of the KKT re-check (relative to ``W = sum w``).
    max_iter : int

    Returns
    -------
    WelfareResult
        ``x`` the most even optimal lottery (leximin over probabilities among
        the lotteries with the optimal utility vector; see the module
        docstring), ``objective`` the Nash welfare ``sum w log s``.

    Notes
    -----
    Optimality (KKT): with ``g = U.T @ (w / s)``, ``g_j <= W`` for every
    alternative, with equality on the support of ``p``; this is re-checked in
    numpy and ``max_j g_j - W`` bounds the suboptimality (concavity).  Scaling
    a voter's row by ``c > 0`` adds the constant ``w_i log c`` to the objective
    and leaves ``g`` and the optimal lotteries unchanged, so the program is
    solved (and re-checked) on the rows scaled to maximum 1.  The Newton
    iteration takes nearly-zero coordinates whose gradient pushes them out of
    the support out of the Newton system (Bertsekas' projected Newton [4]_).  This
    lottery is the *Nash* rule of Bogomolnaia, Moulin and Stong (2005) for
    dichotomous preferences and the "fair mixing" Nash solution of Aziz et al.

    References
    ----------
    .. [1] A. Bogomolnaia, H. Moulin and R. Stong, "Collective choice under
       dichotomous preferences", *J. Economic Theory* 122 (2005) 165-184.
    .. [2] H. Aziz, A. Bogomolnaia and H. Moulin, "Fair mixing: the case of
       dichotomous preferences", *ACM Trans. Econ. Comput.* 8 (2020) 18:1-18:27.
    .. [3] J. F. Nash, "The bargaining problem", *Econometrica* 18 (1950) 155-162.
    .. [4] D. P. Bertsekas, "Projected Newton methods for optimization problems
       with simple constraints", *SIAM J. Control Optim.* 20 (1982) 221-246.

    Examples
    --------
    Two voters who each like a different alternative, weights 2 and 1:

    >>> res = nash_welfare_lottery([[1.0, 0.0], [0.0, 1.0]], weights=[2, 1])
    >>> res.x.round(9).tolist()
    [0.666666667, 0.333333333]
    """
    owner = "nash_welfare_lottery"
    start = time.perf_counter()
    U, w, keep = _check_data(utilities, weights, owner, nonnegative=True)
    algorithm = check_option(algorithm, "algorithm", owner, ("newton", "cvxpy"))
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", owner, low=1)
    keep &= U.max(axis=1) > 0
    if not keep.any():
        fail("utilities", owner, "positive somewhere for at least one voter of positive weight", U,
             hint="Every lottery gives every voter utility 0: Nash welfare is -inf everywhere.")
    Uk, wk = U[keep], w[keep]
    # the optimal lotteries are invariant to scaling a voter's row by c > 0 (log c is a constant):
    # solve on rows scaled to max 1, so that every tolerance below is relative to each voter's scale
    Us = Uk / Uk.max(axis=1, keepdims=True)
    R, group, sizes = _clones(Us)
    if algorithm == "newton":
        q, iters = _nash_newton(R, wk, atol * 0.01, max_iter)
        solver = "active-set newton"
    else:
        q, iters = _nash_cvxpy(R, wk)
        solver = "cvxpy/exponential cone"
    p = _expand(q, group, sizes)
    types = np.unique(Us, axis=0)
    s = Us @ p
    candidates = Us.T @ (wk / s) >= wk.sum() * (1.0 - 1e-7)     # KKT: g_j < W forces p_j = 0 at the optimum
    p, _, message, _ = _canonical(types, types @ p, p, candidates=candidates | (p > 0))
    # KKT re-check on the scaled rows: g, W and the residuals are invariant to the scaling, and
    # subnormal or huge rows would overflow ``w / s``; the objective is shifted back exactly
    objective, cert = _nash_certificate(Us, wk, p, atol)
    objective += float(wk @ np.log(Uk.max(axis=1)))
    info = SolverInfo(backend="numpy" if algorithm == "newton" else "cvxpy", solver=solver,
                      time=time.perf_counter() - start, iterations=iters, message=message)
    return _finish(p, objective, cert, info, "nash", U)


def _nash_cvxpy(U, w):
    cp = require("cvxpy", "cvxpy", "nash_welfare_lottery(algorithm='cvxpy')")
    m = U.shape[1]
    p = cp.Variable(m, nonneg=True)
    problem = cp.Problem(cp.Maximize(w @ cp.log(U @ p)), [cp.sum(p) == 1])
    if "CLARABEL" in cp.installed_solvers():
        problem.solve(solver="CLARABEL", tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10)
    else:  # pragma: no cover - cvxpy's default conic solver
        problem.solve()
    q = np.asarray(p.value, dtype=np.float64) if p.value is not None else np.full(m, 1.0 / m)
    q = np.maximum(q, 0.0)
    return q / q.sum(), None


# ---------------------------------------------------------------------- egalitarian and leximin
def _maximin_lp(U, floors=None):
    """LP: maximize t s.t. U[free] p >= t, U[fixed] p >= floors, sum p = 1 (variables p, t)."""
    n, m = U.shape
    lp = LinearProgram(m + 1, lb=np.append(np.zeros(m), -np.inf), ub=np.append(np.full(m, np.inf), np.inf))
    free = np.ones(n, dtype=bool) if floors is None else np.isnan(floors)
    A = np.hstack([U[free], -np.ones((int(free.sum()), 1))])
    lp.add_constraints("voters", A, lower=np.zeros(int(free.sum())))
    if floors is not None and (~free).any():
        B = np.hstack([U[~free], np.zeros((int((~free).sum()), 1))])
        lp.add_constraints("fixed", B, lower=floors[~free])
    lp.add_constraints("simplex", np.append(np.ones(m), 0.0)[None, :], lower=[1.0], upper=[1.0])
    c = np.zeros(m + 1)
    c[-1] = 1.0
    return lp.solve(c, maximize=True, atol=1e-9), free


def egalitarian_lottery(utilities, /, *, weights=None, atol: float = 1e-7) -> WelfareResult:
    """The lottery maximizing the smallest expected utility ``min_i (U @ p)_i`` (a linear program).

    Parameters
    ----------
    utilities : array of shape (n_voters, n_alternatives)
    weights : array of shape (n_voters,), optional
        Only which voters have positive weight matters (a minimum ignores multiplicity).
    atol : float

    Returns
    -------
    WelfareResult
        ``x`` the most even optimal lottery (leximin over probabilities among
        the lotteries giving every voter at least the maximin value; see the
        module docstring); ``objective`` the maximin value; ``duals["voters"]`` the multipliers of ``s_i >= t``
        (``-duals`` is a distribution over the worst-off voters: the minimax
        "adversary"); ``duals["simplex"]``.

    References
    ----------
    .. [1] J. Rawls, *A Theory of Justice*, Harvard University Press (1971).
    .. [2] A. Bogomolnaia, H. Moulin and R. Stong, "Collective choice under
       dichotomous preferences", *J. Economic Theory* 122 (2005) 165-184.

    Examples
    --------
    >>> res = egalitarian_lottery([[1.0, 0.0], [0.0, 3.0]])
    >>> res.x.round(9).tolist(), round(res.objective, 9)
    ([0.75, 0.25], 0.75)

    A voter indifferent at 0 makes every lottery optimal; the most even one is returned,
    whatever the order of the voters:

    >>> egalitarian_lottery([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]).x.round(9).tolist()
    [0.5, 0.5]
    """
    owner = "egalitarian_lottery"
    start = time.perf_counter()
    U, w, keep = _check_data(utilities, weights, owner, nonnegative=False)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    Uk = U[keep]
    voters_kept = np.flatnonzero(keep)
    R, group, sizes = _clones(Uk)
    res, _ = _maximin_lp(R)
    info = SolverInfo(backend=res.info.backend, solver="maximin LP", time=time.perf_counter() - start,
                      iterations=res.info.iterations, message=res.info.message)
    if res.x is None:
        return WelfareResult(res.status, None, float("nan"), {}, WelfareCertificate(atol=atol), info,
                             welfare="egalitarian")
    p = _expand(np.maximum(res.x[:-1], 0.0), group, sizes)
    p /= p.sum()
    level = float(res.x[-1])
    p, _, message, short = _canonical(Uk, np.full(Uk.shape[0], level), p)
    s = Uk @ p
    info = dataclasses.replace(info, time=time.perf_counter() - start,
                               message="; ".join(x for x in (info.message, message) if x))
    duals_voters = np.zeros(U.shape[0])
    duals_voters[voters_kept] = res.duals["voters"]
    lc = res.certificate
    cert = WelfareCertificate(atol=atol, primal_residual=max(_simplex_residual(p), short / (1.0 + abs(level))),
                              dual_residual=lc.dual_residual, complementarity=lc.complementarity,
                              duality_gap=lc.duality_gap)
    return _finish(p, float(s.min()), cert, info, "egalitarian", U,
                   duals={"voters": duals_voters, "simplex": res.duals["simplex"]})


def leximin_lottery(utilities, /, *, weights=None, atol: float = 1e-7) -> WelfareResult:
    """The lottery whose sorted expected-utility vector is lexicographically largest (leximin).

    Parameters
    ----------
    utilities : array of shape (n_voters, n_alternatives)
    weights : array of shape (n_voters,), optional
        Only which voters have positive weight matters.
    atol : float

    Returns
    -------
    WelfareResult
        ``x`` the most even leximin-optimal lottery (leximin over
        probabilities among the lotteries with the leximin utility vector;
        see the module docstring); ``objective`` its minimum expected
        utility; ``levels`` the successive maximin values; ``utilities`` the
        (unique) leximin-optimal utility vector.

    Notes
    -----
    The standard sequence of linear programs: maximize the smallest utility
    ``t_1`` of the voters not yet fixed; every voter whose row has a positive
    multiplier is fixed at ``t_1`` (complementary slackness: no optimal lottery
    gives such a voter more); repeat until every voter is fixed.  At most one LP
    per distinct voter type.  Fixed floors are relaxed by ``1e-12 * (1 + |t|)``
    (more, up to ``1e-6``, if rounding makes a stage infeasible).

    References
    ----------
    .. [1] W. Ogryczak and T. Sliwinski, "On direct methods for lexicographic min-max
       optimization", ICCSA 2006, LNCS 3982, 802-811.
    .. [2] A. Bogomolnaia, H. Moulin and R. Stong, "Collective choice under
       dichotomous preferences", *J. Economic Theory* 122 (2005) 165-184.

    Examples
    --------
    Voter 2 is indifferent; leximin then favours voter 0's and 1's compromise:

    >>> res = leximin_lottery([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    >>> res.x.round(9).tolist(), [round(v, 9) for v in res.levels]
    ([0.5, 0.5, 0.0], [0.5, 1.0])
    """
    owner = "leximin_lottery"
    start = time.perf_counter()
    U, w, keep = _check_data(utilities, weights, owner, nonnegative=False)
    atol = check_real(atol, "atol", owner, low=0.0, low_open=True)
    Uk = U[keep]
    types, type_of = np.unique(Uk, axis=0, return_inverse=True)
    type_of = type_of.reshape(-1)
    R, group, sizes = _clones(types)
    floors = np.full(R.shape[0], np.nan)
    levels = []
    worst = {"dual_residual": 0.0, "complementarity": 0.0, "duality_gap": 0.0}
    iterations = 0
    res = None
    # one LP re-solved with new bounds: variables (p, t, e); rows  U p + e - t >= 0  ("voters") and
    # U p >= floor ("fixed"); a free voter has e = 0, a fixed voter has e free and a finite floor
    k, m = R.shape
    lp = LinearProgram(m + 1 + k, lb=np.concatenate([np.zeros(m), [-np.inf], np.zeros(k)]),
                       ub=np.concatenate([np.full(m, np.inf), [np.inf], np.zeros(k)]))
    lp.add_constraints("voters", np.hstack([R, -np.ones((k, 1)), np.eye(k)]), lower=np.zeros(k))
    lp.add_constraints("fixed", np.hstack([R, np.zeros((k, 1 + k))]), lower=np.full(k, -np.inf))
    lp.add_constraints("simplex", np.concatenate([np.ones(m), np.zeros(1 + k)])[None, :], lower=[1.0], upper=[1.0])
    cost = np.zeros(m + 1 + k)
    cost[m] = 1.0
    relax = 1e-12                       # floors sit this much (relative) below the levels they fix
    while np.isnan(floors).any():
        free = np.isnan(floors)
        lp.set_variable_bounds(ub=np.concatenate([np.full(m, np.inf), [np.inf], np.where(free, 0.0, np.inf)]))
        fixed_floor = np.nan_to_num(floors, nan=0.0)
        lp.set_bounds("fixed", lower=np.where(free, -np.inf, fixed_floor - relax * (1.0 + np.abs(fixed_floor))))
        res = lp.solve(cost, maximize=True, atol=1e-9)
        iterations += 1
        if res.x is None and res.status is Status.INFEASIBLE and relax < 1e-6:
            relax *= 100.0              # rounding between stages: loosen the floors and solve again
            continue
        if res.x is None:
            info = SolverInfo(backend=res.info.backend, solver="leximin LPs", time=time.perf_counter() - start,
                              iterations=iterations, message=res.info.message)
            return WelfareResult(res.status, None, float("nan"), {}, WelfareCertificate(atol=atol), info,
                                 welfare="leximin", levels=tuple(levels))
        for key in worst:
            worst[key] = max(worst[key], float(getattr(res.certificate, key)))
        t = float(res.x[m])
        levels.append(t)
        free_idx = np.flatnonzero(free)
        y = res.duals["voters"][free_idx]
        blocked = free_idx[y < -1e-9]
        if blocked.size == 0:  # degenerate duals: fix the voters at the minimum
            s = R[free_idx] @ res.x[:m]
            blocked = free_idx[s <= t + 1e-9 * (1 + abs(t))]
        floors[blocked] = t
    q = np.maximum(np.asarray(res.x)[:m], 0.0)
    p = _expand(q, group, sizes)
    p /= p.sum()
    optimal = types @ p                 # the (unique) leximin utility vector, one entry per voter type
    p, solves, message, short = _canonical(types, optimal, p, candidates=np.ones(types.shape[1], dtype=bool))
    short /= 1.0 + float(np.max(np.abs(optimal)))
    cert = WelfareCertificate(atol=atol, primal_residual=max(_simplex_residual(p), short), **worst)
    info = SolverInfo(backend=res.info.backend, solver="leximin LPs", time=time.perf_counter() - start,
                      iterations=iterations + solves, message=message)
    return _finish(p, float((Uk @ p).min()), cert, info, "leximin", U, levels=levels)
