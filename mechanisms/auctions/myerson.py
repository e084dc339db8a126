"""Single-item auctions for independent private values: second price with reserve, and Myerson's optimal auction.

A value distribution is given either as a tuple ``(values, probs)`` (a finite
support, values strictly increasing, probabilities positive) or as a frozen
continuous ``scipy.stats`` distribution with a finite lower end of support
(``scipy.stats.uniform()``, ``scipy.stats.expon(scale=2)``, ...).

Virtual values and ironing
    Continuous: ``phi(v) = v - (1 - F(v)) / f(v)``.  Discrete (values
    ``v_1 < ... < v_K``): ``phi_k = v_k - (v_{k+1} - v_k) P(v > v_k) / p_k``,
    the marginal revenue of lowering the posted price from ``v_{k+1}`` to
    ``v_k``.  Both are the derivative, in the quantile ``u = F(v)``, of
    ``H(u) = int_0^u phi(F^{-1}(s)) ds``; the *ironed* virtual value is the
    derivative of the convex hull of ``H`` (equivalently, of the concave hull
    of the revenue curve), constant on the ironed intervals where the hull lies
    below ``H``.  For continuous distributions the hull is taken on a quantile
    grid of ``grid`` points; outside ironed intervals the exact ``phi`` is used.

Revenue
    Myerson's optimal auction gives the item to the highest nonnegative ironed
    virtual value and charges the threshold bid; its expected revenue is
    ``E[max(0, max_i phibar_i(v_i))]``, computed exactly for discrete
    distributions and by quadrature for continuous ones (for independent
    non-identical continuous bidders, through a quantile table of the ironed
    virtual value: about 1e-7 relative accuracy).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from solvers.result import readonly
from solvers.validation import check_array, check_int, check_option, check_real, check_rng, fail

__all__ = [
    "AuctionOutcome",
    "virtual_value",
    "ironed_intervals",
    "myerson_reserve",
    "myerson_revenue",
    "second_price_revenue",
    "second_price_auction",
    "myerson_auction",
]


# --------------------------------------------------------------------------- convex hull


def _lower_hull(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the vertices of the lower convex hull of points sorted by x (first and last included)."""
    if x.size > 64:
        from scipy.spatial import ConvexHull, QhullError

        try:
            vertices = np.sort(ConvexHull(np.column_stack([x, y])).vertices)
        except QhullError:  # all points collinear: the chord is the hull
            return np.array([0, x.size - 1], dtype=np.int64)
        # vertices on or below the chord from the leftmost to the rightmost point form the lower chain
        a, b = vertices[0], vertices[-1]
        chord = y[a] + (y[b] - y[a]) * (x[vertices] - x[a]) / (x[b] - x[a])
        lower = vertices[y[vertices] <= chord]
        return np.unique(np.concatenate([[0, x.size - 1], lower])).astype(np.int64)
    hull: list[int] = []
    for i in range(x.size):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            # drop b if it lies on or above the chord from a to i
            if (y[b] - y[a]) * (x[i] - x[a]) >= (y[i] - y[a]) * (x[b] - x[a]):
                hull.pop()
            else:
                break
        hull.append(i)
    return np.asarray(hull, dtype=np.int64)


# --------------------------------------------------------------------------- distributions


class _Discrete:
    """A finite-support value distribution with its (ironed) virtual values."""

    kind = "discrete"

    def __init__(self, values: np.ndarray, probs: np.ndarray):
        self.values = values
        self.probs = probs
        self.cdf_at = np.cumsum(probs)
        self.cdf_at[-1] = 1.0
        survival_next = np.concatenate([1.0 - self.cdf_at[:-1], [0.0]])   # P(v > v_k)
        gaps = np.concatenate([np.diff(values), [0.0]])
        self.phi = values - gaps * survival_next / probs
        u = np.concatenate([[0.0], self.cdf_at])
        H = np.concatenate([[0.0], np.cumsum(probs * self.phi)])
        hull = _lower_hull(u, H)
        slopes = np.diff(H[hull]) / np.diff(u[hull])
        # type k occupies (u[k], u[k + 1]]; find the hull edge containing it
        edge = np.searchsorted(hull, np.arange(values.size), side="right") - 1
        self.phibar = slopes[edge]
        self.hull = hull

    def index(self, v, name, owner):
        v = np.asarray(v, dtype=np.float64)
        k = np.clip(np.searchsorted(self.values, v), 0, self.values.size - 1)
        if not np.all(self.values[k] == v):
            bad = v[self.values[k] != v].ravel()[0]
            fail(name, owner, "values in the support of the discrete distribution", float(bad),
                 hint=f"The support is {np.array2string(self.values, threshold=8)}.")
        return k

    def intervals(self):
        out = [(self.values[a], self.values[b - 1]) for a, b in zip(self.hull[:-1], self.hull[1:]) if b - a > 1]
        return np.array(out, dtype=np.float64).reshape(-1, 2)

    def reserve(self):
        ok = np.flatnonzero(self.phibar >= 0)
        return float(self.values[ok[0]]) if ok.size else float("inf")

    def g_table(self):
        """Knots of the cdf of phibar(v) with its left and right limits (a step function)."""
        knots, last = np.unique(self.phibar[::-1], return_index=True)
        right = self.cdf_at[::-1][last]                              # P(phibar <= knot)
        left = np.concatenate([[0.0], right[:-1]])
        return knots, left, right

    def threshold(self, target, strict):
        """Smallest support value whose phibar is >= target (> target if strict); inf if none."""
        target = np.asarray(target, dtype=np.float64)
        k = np.searchsorted(self.phibar, target, side="right" if strict else "left")
        return np.where(k < self.values.size, self.values[np.minimum(k, self.values.size - 1)], np.inf)


class _Continuous:
    """A frozen scipy.stats continuous distribution, ironed on a quantile grid."""

    kind = "continuous"

    def __init__(self, dist, grid: int, name: str, owner: str):
        self.dist = dist
        lo, hi = (float(b) for b in dist.support())
        if not np.isfinite(lo):
            fail(name, owner, "a distribution whose support has a finite lower end", dist)
        self.lo_value, self.hi_value = lo, hi
        u = np.linspace(0.0, 1.0, grid + 1)
        q = np.asarray(dist.ppf(u[:-1]), dtype=np.float64)
        H = np.concatenate([lo - (1.0 - u[:-1]) * q, [lo]])          # H(u) = lo - (1 - u) F^{-1}(u); H(1) = lo
        if not np.all(np.isfinite(H)):
            fail(name, owner, "a distribution whose quantile function is finite on [0, 1)", dist)
        hull = _lower_hull(u, H)
        scale = 1.0 + float(np.max(np.abs(H)))
        ironed = []
        for a, b in zip(hull[:-1], hull[1:]):
            if b - a > 1:
                chord = H[a] + (H[b] - H[a]) * (u[a:b + 1] - u[a]) / (u[b] - u[a])
                if np.max(H[a:b + 1] - chord) > 1e-9 * scale:
                    ironed.append((u[a], u[b], (H[b] - H[a]) / (u[b] - u[a])))
        self.ironed = np.array(ironed, dtype=np.float64).reshape(-1, 3)   # (u_start, u_end, constant)

    def phi_u(self, u):
        """Unironed virtual value at quantile u."""
        u = np.asarray(u, dtype=np.float64)
        v = np.asarray(self.dist.ppf(u), dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            return v - (1.0 - u) / np.asarray(self.dist.pdf(v), dtype=np.float64)

    def phibar_u(self, u):
        u = np.asarray(u, dtype=np.float64)
        out = np.array(self.phi_u(u), dtype=np.float64, ndmin=1).reshape(u.shape)
        for a, b, c in self.ironed:
            out = np.where((u > a) & (u < b), c, out)
        return out

    def phi(self, v):
        v = np.asarray(v, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            return v - np.asarray(self.dist.sf(v)) / np.asarray(self.dist.pdf(v))

    def phibar(self, v):
        v = np.asarray(v, dtype=np.float64)
        out = self.phi(v)
        if self.ironed.size:
            u = np.asarray(self.dist.cdf(v), dtype=np.float64)
            for a, b, c in self.ironed:
                out = np.where((u > a) & (u < b), c, out)
        return out

    def intervals(self):
        if not self.ironed.size:
            return np.zeros((0, 2))
        return np.column_stack([self.dist.ppf(self.ironed[:, 0]), self.dist.ppf(self.ironed[:, 1])])

    def _u_inverse(self, target, strict):
        """inf{u : phibar(u) >= t} (or sup{u : phibar(u) <= t} if strict), by vectorized bisection."""
        target = np.asarray(target, dtype=np.float64)
        lo = np.zeros(target.shape)
        hi = np.ones(target.shape)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            val = self.phibar_u(mid)
            below = (val <= target) if strict else (val < target)
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        return hi

    def g_table(self):
        """Knots of the cdf of phibar(v): phibar on a quantile table (uniform, then geometric towards 1).

        Where phibar jumps between two table points (a jump of the density) the
        jump is located by bisection and bracketed by two extra points, so the
        cdf stays flat across it instead of being interpolated.
        """
        u = np.unique(np.concatenate([np.linspace(0.0, 1.0, 2**15 + 1)[:-1],
                                      1.0 - 2.0 ** -np.arange(1.0, 52.0, 1.0 / 64.0)]))
        t = np.maximum.accumulate(self.phibar_u(u))
        d = np.diff(t)
        neighbour = np.maximum(np.concatenate([[0.0], d[:-1]]), np.concatenate([d[1:], [0.0]]))
        jumps = np.flatnonzero(d > 20.0 * neighbour + 1e-12 * (1.0 + np.abs(t[1:])))
        if jumps.size:
            lo, hi = u[jumps].copy(), u[jumps + 1].copy()
            mid_t = 0.5 * (t[jumps] + t[jumps + 1])
            for _ in range(55):
                mid = 0.5 * (lo + hi)
                below = self.phibar_u(mid) <= mid_t
                lo = np.where(below, mid, lo)
                hi = np.where(below, hi, mid)
            u = np.unique(np.concatenate([u, lo, hi]))
            t = np.maximum.accumulate(self.phibar_u(u))
        knots, first = np.unique(t, return_index=True)
        last = t.size - 1 - np.unique(t[::-1], return_index=True)[1]
        return knots, u[first], u[last]

    def reserve(self):
        if self.phibar_u(0.0) >= 0:
            return self.lo_value
        return float(self.dist.ppf(self._u_inverse(0.0, strict=False)))

    def threshold(self, target, strict):
        target = np.asarray(target, dtype=np.float64)
        u = self._u_inverse(target, strict)
        first = self.phibar_u(0.0)
        u = np.where((target < first) if strict else (target <= first), 0.0, u)
        return np.where(u >= 1.0, np.inf, np.asarray(self.dist.ppf(u), dtype=np.float64))


def _is_scipy_distribution(obj) -> bool:
    return all(hasattr(obj, attr) for attr in ("ppf", "cdf", "pdf", "sf", "support"))


def _as_distribution(obj, name: str, owner: str, grid: int = 2**14):
    if _is_scipy_distribution(obj):
        return _Continuous(obj, grid, name, owner)
    if isinstance(obj, tuple) and len(obj) == 2:
        values = check_array(obj[0], name, owner, ndim=1, min_size=1)
        if values.size > 1 and not np.all(np.diff(values) > 0):
            fail(name, owner, "a pair (values, probs) with strictly increasing values", values,
                 hint="Sort the values (and their probabilities) and merge duplicates.")
        probs = check_array(obj[1], name, owner, ndim=1, min_size=1)
        if probs.shape != values.shape or np.any(probs <= 0) or abs(float(probs.sum()) - 1.0) > 1e-9:
            fail(name, owner, "a pair (values, probs) with positive probabilities summing to 1, one per value",
                 probs, hint="Drop values of probability 0.")
        return _Discrete(np.asarray(values, dtype=np.float64), np.asarray(probs, dtype=np.float64))
    fail(name, owner, "a tuple (values, probs) or a frozen scipy.stats continuous distribution", obj,
         hint="Per-bidder distributions go in a list." if isinstance(obj, list) else "")


def _as_bidders(distribution, n_bidders, owner, grid=2**14):
    """A list of per-bidder distributions from one distribution (+ n_bidders) or a sequence of them."""
    if isinstance(distribution, list):
        if len(distribution) == 0:
            fail("distribution", owner, "a distribution or a nonempty sequence of them (one per bidder)",
                 distribution)
        if n_bidders is not None and check_int(n_bidders, "n_bidders", owner, low=1) != len(distribution):
            fail("n_bidders", owner, f"None or {len(distribution)} (the number of distributions given)", n_bidders)
        return [_as_distribution(d, "distribution", owner, grid) for d in distribution], False
    n = 1 if n_bidders is None else check_int(n_bidders, "n_bidders", owner, low=1)
    return [_as_distribution(distribution, "distribution", owner, grid)] * n, True


# --------------------------------------------------------------------------- public functions


def virtual_value(distribution, v=None, /, *, ironed=False, grid=2**14):
    """Myerson's virtual value (optionally ironed) of a value distribution.

    Parameters
    ----------
    distribution : (values, probs) or frozen scipy.stats continuous distribution
    v : array_like, optional
        Where to evaluate.  Required for continuous distributions; for discrete
        ones it defaults to the whole support (and must lie in it).
    ironed : bool, keyword-only
        Return the ironed virtual value (nondecreasing in ``v``).
    grid : int, keyword-only
        Quantile grid size for ironing continuous distributions.

    Returns
    -------
    ndarray

    References
    ----------
    .. [1] R. B. Myerson, "Optimal auction design", Mathematics of Operations
       Research 6(1):58-73, 1981.
    .. [2] E. Elkind, "Designing and learning optimal finite support auctions",
       Proc. SODA 2007, pp. 736-745 (discrete virtual values).

    Examples
    --------
    >>> virtual_value(([1.0, 2.0, 3.0], [0.5, 0.25, 0.25])).tolist()
    [0.0, 1.0, 3.0]
    >>> dist = ([1.0, 2.0, 3.0], [0.6, 0.1, 0.3])          # irregular: types 1 and 2 get pooled
    >>> virtual_value(dist).round(6).tolist(), virtual_value(dist, ironed=True).round(6).tolist()
    ([0.333333, -1.0, 3.0], [0.142857, 0.142857, 3.0])
    >>> import scipy.stats
    >>> virtual_value(scipy.stats.uniform(), [0.25, 0.5, 1.0]).tolist()    # 2 v - 1
    [-0.5, 0.0, 1.0]
    """
    owner = "virtual_value"
    grid = check_int(grid, "grid", owner, low=16)
    d = _as_distribution(distribution, "distribution", owner, grid)
    if d.kind == "discrete":
        k = np.arange(d.values.size) if v is None else d.index(v, "v", owner)
        return np.array((d.phibar if ironed else d.phi)[k])
    if v is None:
        fail("v", owner, "given (the points at which to evaluate) for a continuous distribution", None,
             show_got=False)
    v = check_array(v, "v", owner)
    return np.asarray(d.phibar(v) if ironed else d.phi(v), dtype=np.float64)


def ironed_intervals(distribution, /, *, grid=2**14) -> np.ndarray:
    """Value intervals on which the ironed virtual value is constant (where ironing changes it).

    Returns
    -------
    ndarray of shape (L, 2)
        ``[low, high]`` value intervals; empty for a regular distribution.
        For discrete distributions the endpoints are support values (every
        support value in between is pooled).

    References
    ----------
    .. [1] R. B. Myerson, "Optimal auction design", Mathematics of Operations
       Research 6(1):58-73, 1981.
    .. [2] E. Elkind, "Designing and learning optimal finite support auctions",
       Proc. SODA 2007, pp. 736-745 (discrete virtual values).

    Examples
    --------
    >>> ironed_intervals(([1.0, 2.0, 3.0], [0.2, 0.6, 0.2])).tolist()
    []
    >>> ironed_intervals(([1.0, 2.0, 3.0], [0.6, 0.1, 0.3])).tolist()
    [[1.0, 2.0]]
    """
    owner = "ironed_intervals"
    grid = check_int(grid, "grid", owner, low=16)
    return _as_distribution(distribution, "distribution", owner, grid).intervals()


def myerson_reserve(distribution, /, *, grid=2**14) -> float:
    """The optimal reserve price: the lowest value whose ironed virtual value is nonnegative.

    For a discrete distribution this is a support value (where the ironed
    virtual value is exactly 0 the seller is indifferent; the lower value is returned).

    References
    ----------
    .. [1] R. B. Myerson, "Optimal auction design", Mathematics of Operations
       Research 6(1):58-73, 1981.
    .. [2] E. Elkind, "Designing and learning optimal finite support auctions",
       Proc. SODA 2007, pp. 736-745 (discrete virtual values).

    Examples
    --------
    >>> import scipy.stats
    >>> round(myerson_reserve(scipy.stats.uniform()), 9)
    0.5
    >>> myerson_reserve(([1.0, 2.0, 3.0], [0.5, 0.25, 0.25]))
    1.0
    """
    owner = "myerson_reserve"
    grid = check_int(grid, "grid", owner, low=16)
    return float(_as_distribution(distribution, "distribution", owner, grid).reserve())


def _revenue_iid(d, n):
    if d.kind == "discrete":
        F = np.concatenate([[0.0], d.cdf_at])
        return float(np.sum(np.maximum(d.phibar, 0.0) * (F[1:] ** n - F[:-1] ** n)))
    from scipy.integrate import quad

    u_r = 0.0 if d.phibar_u(0.0) >= 0 else float(d._u_inverse(0.0, strict=False))
    total = 0.0
    # split [u_r, 1] into ironed pieces (constant) and regular pieces (quadrature of the exact phi)
    cuts = sorted({u_r, 1.0, *[float(x) for row in d.ironed for x in row[:2] if u_r < x < 1.0]})
    for a, b in zip(cuts[:-1], cuts[1:]):
        mid = 0.5 * (a + b)
        hit = [c for (lo, hi, c) in d.ironed if lo <= mid <= hi]
        if hit:
            total += max(hit[0], 0.0) * (b ** n - a ** n)
        else:
            val, _ = quad(lambda u: max(float(d.phi_u(u)), 0.0) * n * u ** (n - 1), a, b, limit=200,
                          epsabs=1e-13, epsrel=1e-12)
            total += val
    return float(total)


def _g_limit(knots, g_left, g_right, s, side):
    """One-sided limit at points ``s`` of a cdf G that is linear between knots and may jump at them."""
    s = np.asarray(s, dtype=np.float64)
    K = knots.size
    if side == "right":
        j = np.searchsorted(knots, s, side="right") - 1           # last knot <= s
        on = (j >= 0) & (knots[np.clip(j, 0, K - 1)] == s)
        exact = g_right[np.clip(j, 0, K - 1)]
    else:
        j = np.searchsorted(knots, s, side="left")                # first knot >= s
        on = (j < K) & (knots[np.clip(j, 0, K - 1)] == s)
        exact = g_left[np.clip(j, 0, K - 1)]
        j = j - 1
    # strictly between knots j and j + 1: linear from g_right[j] to g_left[j + 1]
    a = np.clip(j, 0, K - 1)
    b = np.clip(j + 1, 0, K - 1)
    span = knots[b] - knots[a]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(span > 0, (s - knots[a]) / np.where(span > 0, span, 1.0), 0.0)
    inner = g_right[a] + frac * (g_left[b] - g_right[a])
    out = np.where(j < 0, 0.0, np.where(j >= K - 1, 1.0, inner))
    return np.where(on, exact, out)


def _revenue_general(ds):
    """E[max(0, max_i phibar_i)] = int_0^inf (1 - prod_i G_i(t)) dt, G_i the cdf of phibar_i(v_i).

    Each G_i is represented by knots (the values phibar takes on a table of
    quantiles; the support values for discrete laws) with its left and right
    limits there, linear in between (constant for discrete laws).  On every
    interval between consecutive knots of all bidders the product of the G_i
    is a polynomial of degree n, integrated exactly by Gauss-Legendre.
    """
    tables = [d.g_table() for d in ds]
    knots = np.unique(np.concatenate([[0.0]] + [k[k > 0] for k, _, _ in tables]))
    if knots.size < 2:
        return 0.0
    lo, hi = knots[:-1], knots[1:]
    n = len(ds)
    x, w = np.polynomial.legendre.leggauss(n // 2 + 1)
    # on (lo, hi) each G_i is linear: recover it from its one-sided limits at both ends
    ends = []
    for k, gl, gr in tables:
        ends.append((_g_limit(k, gl, gr, lo, "right"), _g_limit(k, gl, gr, hi, "left")))
    half = 0.5 * (hi - lo)
    total = 0.0
    for xq, wq in zip(x, w):
        frac = 0.5 * (xq + 1.0)
        prod = np.ones(lo.size)
        for g_a, g_b in ends:
            prod = prod * (g_a + frac * (g_b - g_a))
        total += wq * float(np.sum(half * (1.0 - prod)))
    return float(total)


def myerson_revenue(distribution, n_bidders=None, /, *, grid=2**14) -> float:
    """Expected revenue of Myerson's optimal auction for independent bidders.

    Parameters
    ----------
    distribution : distribution or list of distributions
        One distribution shared by ``n_bidders`` i.i.d. bidders, or a list with
        one per bidder (independent, possibly asymmetric).
    n_bidders : int, optional
        Number of i.i.d. bidders (default 1; or the length of the sequence).

    Returns
    -------
    float
        ``E[max(0, max_i phibar_i(v_i))]``: exact for discrete distributions
        (and equal to the optimum of the automated-mechanism-design LP), by
        quadrature for continuous ones.

    References
    ----------
    .. [1] R. B. Myerson, "Optimal auction design", Mathematics of Operations
       Research 6(1):58-73, 1981.
    .. [2] E. Elkind, "Designing and learning optimal finite support auctions",
       Proc. SODA 2007, pp. 736-745 (discrete virtual values).

    Examples
    --------
    n i.i.d. U[0, 1] bidders: (n - 1) / (n + 1) + 2 ** -n / (n + 1).

    >>> import scipy.stats
    >>> round(myerson_revenue(scipy.stats.uniform(), 2), 9), round(5 / 12, 9)
    (0.416666667, 0.416666667)
    >>> myerson_revenue(([1.0, 2.0], [0.5, 0.5]), 1)
    1.0
    """
    owner = "myerson_revenue"
    grid = check_int(grid, "grid", owner, low=16)
    ds, iid = _as_bidders(distribution, n_bidders, owner, grid)
    if iid:
        return _revenue_iid(ds[0], len(ds))
    return _revenue_general(ds)


def second_price_revenue(distribution, n_bidders, /, *, reserve=0.0) -> float:
    """Expected revenue of a second-price auction with a reserve, for i.i.d. bidders.

    The item is sold when the highest value reaches the reserve, at the larger
    of the reserve and the second-highest value (ties at the top pay the tied value)::

        revenue = r n P(v >= r) P(v < r)^(n-1) + E[V_(2) ; V_(2) >= r].

    Parameters
    ----------
    distribution : (values, probs) or frozen scipy.stats continuous distribution
    n_bidders : int
    reserve : float, keyword-only

    References
    ----------
    .. [1] W. Vickrey, "Counterspeculation, auctions, and competitive sealed
       tenders", Journal of Finance 16(1):8-37, 1961.
    .. [2] J. G. Riley and W. F. Samuelson, "Optimal auctions", American
       Economic Review 71(3):381-392, 1981.

    Examples
    --------
    Two U[0, 1] bidders: 1/3 without reserve, 5/12 (Myerson's optimum) at reserve 1/2.

    >>> import scipy.stats
    >>> round(second_price_revenue(scipy.stats.uniform(), 2), 9)
    0.333333333
    >>> round(second_price_revenue(scipy.stats.uniform(), 2, reserve=0.5), 9)
    0.416666667
    """
    owner = "second_price_revenue"
    n = check_int(n_bidders, "n_bidders", owner, low=1)
    r = check_real(reserve, "reserve", owner)
    d = _as_distribution(distribution, "distribution", owner, 16)
    if d.kind == "discrete":
        below = float(d.probs[d.values < r].sum())                     # P(v < r)
        F = np.concatenate([[0.0], d.cdf_at])
        G2 = F ** n + n * F ** (n - 1) * (1.0 - F) if n > 1 else np.ones_like(F)
        mass = np.diff(G2)                                             # P(V_(2) = v_k)
        second = float(np.sum(np.where(d.values >= r, d.values * mass, 0.0)))
        return r * n * (1.0 - below) * below ** (n - 1) + second
    from scipy.integrate import quad

    below = float(d.dist.cdf(r))
    first = r * n * (1.0 - below) * below ** (n - 1) if r > d.lo_value else 0.0
    if n == 1:
        return float(first)
    u_r = max(below, 0.0)
    second, _ = quad(lambda u: float(d.dist.ppf(u)) * n * (n - 1) * u ** (n - 2) * (1.0 - u), u_r, 1.0,
                     limit=200, epsabs=1e-13, epsrel=1e-12)
    return float(first + second)


@dataclasses.dataclass(frozen=True, repr=False)
class AuctionOutcome:
    """Outcome of a single-item auction (arrays carry the caller's batch axes ``...``).

    Attributes
    ----------
    winner : ndarray of int, shape (...)
        The winning bidder, ``-1`` when the item is not sold.
    payments : ndarray of shape (..., n_bidders)
        What each bidder pays (only the winner pays).
    """

    winner: np.ndarray
    payments: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "winner", readonly(self.winner))
        object.__setattr__(self, "payments", readonly(self.payments))

    @property
    def allocation(self) -> np.ndarray:
        """0/1 array of shape (..., n_bidders): who gets the item."""
        n = self.payments.shape[-1]
        return (self.winner[..., None] == np.arange(n)).astype(np.float64)

    @property
    def revenue(self) -> np.ndarray:
        return self.payments.sum(axis=-1)

    def __repr__(self) -> str:
        fmt = lambda a: np.array2string(np.asarray(a), precision=4, threshold=12)  # noqa: E731
        return f"AuctionOutcome(winner={fmt(self.winner)}, payments={fmt(self.payments)})"


def _priority(shape, tie_break, rng):
    """Priority ranks (higher wins ties) of shape (..., n)."""
    n = shape[-1]
    if tie_break == "first":
        return np.broadcast_to(np.arange(n)[::-1].astype(np.float64), shape)
    return rng.random(shape)


def _threshold_auction(scores, priority, thresholds_fn, reserve_score):
    """Give the item to the top (score, priority) with score >= reserve_score; charge the threshold.

    thresholds_fn(i, target, strict) -> the lowest own bid of bidder i whose score beats target.
    """
    n = scores.shape[-1]
    eligible = scores >= reserve_score
    key_score = np.where(eligible, scores, -np.inf)
    best = key_score.max(axis=-1, keepdims=True)
    top = (key_score == best) & eligible
    pr = np.where(top, priority, -np.inf)
    winner = np.where(top.any(axis=-1), np.argmax(pr, axis=-1), -1)
    payments = np.zeros(scores.shape)
    flat_scores = scores.reshape(-1, n)
    flat_pr = priority.reshape(-1, n)
    flat_w = winner.reshape(-1)
    flat_pay = payments.reshape(-1, n)
    sold = np.flatnonzero(flat_w >= 0)
    for i in range(n):
        rows = sold[flat_w[sold] == i]
        if rows.size == 0:
            continue
        others = np.delete(np.arange(n), i)
        s_o = flat_scores[rows][:, others]
        p_o = flat_pr[rows][:, others]
        higher = p_o > flat_pr[rows, i][:, None]          # bidders that win ties against i
        strict_bar = np.max(np.where(higher, s_o, -np.inf), axis=1, initial=-np.inf)
        weak_bar = np.max(np.where(~higher, s_o, -np.inf), axis=1, initial=-np.inf)
        weak_bar = np.maximum(weak_bar, reserve_score)
        flat_pay[rows, i] = np.maximum(thresholds_fn(i, strict_bar, True), thresholds_fn(i, weak_bar, False))
    return winner, payments


def second_price_auction(bids, /, *, reserve=0.0, tie_break="first", rng=None) -> AuctionOutcome:
    """Second-price (Vickrey) auction with a reserve, vectorized over leading axes.

    The highest bid at or above ``reserve`` wins and pays the larger of the
    reserve and the highest competing bid.

    Parameters
    ----------
    bids : array_like of shape (..., n_bidders)
    reserve : float, keyword-only
    tie_break : {"first", "random"}, keyword-only
        Among tied highest bids, the lowest index wins, or a uniformly random one.
    rng : numpy.random.Generator, int or None, keyword-only

    References
    ----------
    .. [1] W. Vickrey, "Counterspeculation, auctions, and competitive sealed
       tenders", Journal of Finance 16(1):8-37, 1961.

    Examples
    --------
    >>> out = second_price_auction([[3.0, 5.0, 4.0], [1.0, 0.2, 0.1]], reserve=0.5)
    >>> out.winner.tolist(), out.payments.tolist()
    ([1, 0], [[0.0, 4.0, 0.0], [0.5, 0.0, 0.0]])
    """
    owner = "second_price_auction"
    bids = check_array(bids, "bids", owner, min_size=1)
    if bids.ndim < 1:
        fail("bids", owner, "an array of shape (..., n_bidders)", bids)
    r = check_real(reserve, "reserve", owner)
    check_option(tie_break, "tie_break", owner, ("first", "random"))
    rng = check_rng(rng, owner)
    b = np.asarray(bids, dtype=np.float64)
    pr = _priority(b.shape, tie_break, rng)
    winner, payments = _threshold_auction(b, pr, lambda i, t, strict: t, r)
    return AuctionOutcome(winner=winner, payments=payments)


def myerson_auction(bids, distribution, /, *, tie_break="first", rng=None, grid=2**14) -> AuctionOutcome:
    """Myerson's optimal auction: highest nonnegative ironed virtual value wins and pays its threshold bid.

    Parameters
    ----------
    bids : array_like of shape (..., n_bidders)
        For discrete distributions, bids must lie in the bidder's support.
    distribution : distribution or list of n_bidders distributions
        The bidders' independent value distributions (one shared, or one each).
    tie_break : {"first", "random"}, keyword-only
        Equal ironed virtual values (ironed intervals, or i.i.d. bidders with
        equal bids) go to the lowest index, or to a uniformly random priority
        order drawn per auction; either way the payment is the threshold given
        the priority, so truth-telling is dominant.
    rng : numpy.random.Generator, int or None, keyword-only
    grid : int, keyword-only
        Quantile grid for ironing continuous distributions.

    Returns
    -------
    AuctionOutcome

    References
    ----------
    .. [1] R. B. Myerson, "Optimal auction design", Mathematics of Operations
       Research 6(1):58-73, 1981.
    .. [2] E. Elkind, "Designing and learning optimal finite support auctions",
       Proc. SODA 2007, pp. 736-745 (discrete virtual values).

    Examples
    --------
    Two U[0, 1] bidders: a second-price auction with reserve 1/2.

    >>> import scipy.stats
    >>> out = myerson_auction([[0.9, 0.7], [0.3, 0.6], [0.2, 0.4]], scipy.stats.uniform())
    >>> out.winner.tolist(), out.payments.round(9).tolist()
    ([0, 1, -1], [[0.7, 0.0], [0.0, 0.5], [0.0, 0.0]])
    """
    owner = "myerson_auction"
    bids = check_array(bids, "bids", owner, min_size=1)
    if bids.ndim < 1:
        fail("bids", owner, "an array of shape (..., n_bidders)", bids)
    check_option(tie_break, "tie_break", owner, ("first", "random"))
    rng = check_rng(rng, owner)
    grid = check_int(grid, "grid", owner, low=16)
    n = bids.shape[-1]
    ds, _ = _as_bidders(distribution, n, owner, grid)
    b = np.asarray(bids, dtype=np.float64)
    scores = np.empty(b.shape)
    for i, d in enumerate(ds):
        if d.kind == "discrete":
            scores[..., i] = d.phibar[d.index(b[..., i], "bids", owner)]
        else:
            scores[..., i] = d.phibar(b[..., i])
    pr = _priority(b.shape, tie_break, rng)
    winner, payments = _threshold_auction(scores, pr, lambda i, t, strict: ds[i].threshold(t, strict), 0.0)
    return AuctionOutcome(winner=winner, payments=payments)
