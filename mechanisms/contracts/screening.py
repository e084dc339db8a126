"""Screening (hidden type): the optimal quality-price menu of Mussa and Rosen.

A seller (the principal) sells quality ``q`` to a buyer whose taste ``theta``
is private.  Type ``theta`` values ``q`` at ``theta * q``; quality costs
``unit_cost * q + cost * q**2 / 2``.  The seller offers a menu of
(quality, transfer) pairs, one per type, such that every type picks its own
item (IC) and gets at least its outside option (IR: rent ``>= outside_option``,
0 by default, scalar or per type).  A continuum of types is
approximated by a grid (:func:`type_grid`); the menu is the solution of a
concave quadratic program (:mod:`solvers.screening`), so
ironing (pooling types with nonmonotone virtual values) is automatic.

For ``theta ~ U[0, 1]`` and cost ``q**2 / 2`` the continuum answer is
``q(theta) = max(0, 2 theta - 1)``, expected profit ``1/12`` (first-best
``1/6``); :func:`mussa_rosen_uniform` gives it in closed form.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from solvers.result import Result, readonly
from solvers.screening import _solve_once
from solvers.validation import check_array, check_int, check_real, fail

__all__ = ["ScreeningMenu", "optimal_menu", "type_grid", "mussa_rosen_uniform"]


@dataclasses.dataclass(frozen=True, repr=False)
class ScreeningMenu(Result):
    """The optimal menu over a type grid (arrays in the caller's type order).

    Attributes
    ----------
    status : Status
    types, probs : ndarray
        The type grid and its probabilities.
    quality, transfer, rent : ndarray
        Each type's item and its rent ``theta * quality - transfer``.
    profit : float
        The seller's expected profit (also ``objective``).
    outside_option : ndarray
        Each type's reservation utility (IR: ``rent >= outside_option``).
    first_best_quality : ndarray
        The efficient quality ``max(0, (theta - unit_cost) / cost)`` (types observable).
    first_best_profit : float
        The expected surplus of the efficient allocation minus the expected
        outside option (what the seller gets when types are observable).
    certificate : ScreeningCertificate
        IC regret over all pairs, IR violation and negative quality, recomputed in numpy.
    duals : mapping
        ``"ic_down"``, ``"ic_up"``, ``"ir"``, ``"quantity"`` (see :mod:`solvers.screening`).
    """

    types: np.ndarray | None = None
    probs: np.ndarray | None = None
    quality: np.ndarray | None = None
    transfer: np.ndarray | None = None
    rent: np.ndarray | None = None
    outside_option: np.ndarray | None = None
    first_best_quality: np.ndarray | None = None
    first_best_profit: float = float("nan")

    def __post_init__(self):
        super().__post_init__()
        for name in ("types", "probs", "quality", "transfer", "rent", "outside_option", "first_best_quality"):
            object.__setattr__(self, name, readonly(getattr(self, name), dtype=np.float64))

    @property
    def profit(self) -> float:
        """Expected profit of the menu."""
        return self.objective

    @property
    def information_rent(self) -> float:
        """Expected rent left to the buyer above its outside option."""
        if self.rent is None:
            return float("nan")
        return float(self.probs @ (self.rent - self.outside_option))

    def served(self, *, atol: float = 1e-6) -> np.ndarray:
        """Boolean mask of the types that get a positive quality."""
        return np.asarray(self.quality > atol)

    def pools(self, *, atol: float = 1e-6) -> list[np.ndarray]:
        """Groups (indices, sorted by type) of served types that get the same quality: ironed intervals."""
        order = np.argsort(self.types, kind="stable")
        q = self.quality[order]
        groups, start = [], 0
        for i in range(1, q.size + 1):
            if i == q.size or abs(q[i] - q[start]) > atol:
                if i - start > 1 and q[start] > atol:
                    groups.append(order[start:i])
                start = i
        return groups

    def _summary_fields(self):
        return {"profit": self.objective, "first_best_profit": self.first_best_profit,
                "quality": self.quality, "transfer": self.transfer}


def type_grid(n, /, distribution=None, *, low: float = 0.0, high: float = 1.0):
    """A grid of ``n`` types on ``[low, high]`` with their probabilities.

    The interval is cut into ``n`` equal cells; each cell is represented by its
    midpoint and carries its probability mass (uniform by default, otherwise
    the differences of ``distribution.cdf`` over the cell edges, renormalized to
    the interval).

    Parameters
    ----------
    n : int
        Number of grid points (``>= 1``).
    distribution : object with a ``cdf`` method, optional
        For instance a frozen ``scipy.stats`` distribution.
    low, high : float, keyword-only
        The interval (``low < high``, finite).

    Returns
    -------
    types, probs : ndarray
        Read-only arrays of length ``n``.

    Examples
    --------
    >>> types, probs = type_grid(4)
    >>> types.tolist(), probs.tolist()
    ([0.125, 0.375, 0.625, 0.875], [0.25, 0.25, 0.25, 0.25])
    """
    owner = "type_grid"
    n = check_int(n, "n", owner, low=1)
    low = check_real(low, "low", owner)
    high = check_real(high, "high", owner)
    if not high > low:
        fail("high", owner, f"greater than low={low}", high)
    edges = np.linspace(low, high, n + 1)
    types = (edges[:-1] + edges[1:]) / 2.0
    if distribution is None:
        probs = np.full(n, 1.0 / n)
    else:
        cdf = getattr(distribution, "cdf", None)
        if not callable(cdf):
            fail("distribution", owner, "an object with a cdf method (e.g. a frozen scipy.stats distribution)",
                 distribution)
        values = np.asarray(cdf(edges), dtype=np.float64)
        mass = np.diff(values)
        if values.shape != edges.shape or not np.all(np.isfinite(mass)) or np.any(mass < 0) or mass.sum() <= 0:
            fail("distribution", owner, f"a distribution with a nondecreasing cdf and positive mass on [{low}, {high}]",
                 distribution)
        probs = mass / mass.sum()
    return readonly(types), readonly(probs)


def optimal_menu(types, probs, /, *, cost: float = 1.0, unit_cost: float = 0.0, outside_option=0.0,
                 atol: float = 1e-7) -> ScreeningMenu:
    """The profit-maximizing incentive-compatible menu for hidden types on a grid.

    Solves the screening program of Mussa and Rosen (1978) and Maskin and Riley
    (1984) over a finite type grid as a concave QP (no distributional
    regularity needed: bunching/ironing comes out of the program).

    Parameters
    ----------
    types : (n,) array
        Distinct type values ``theta`` (marginal value of quality), any order.
    probs : (n,) array
        Their probabilities (see :func:`type_grid` to discretize a distribution).
    cost, unit_cost : float, keyword-only
        Cost of quality ``unit_cost * q + cost * q**2 / 2`` (``cost > 0``).
    outside_option : float or (n,) array, keyword-only
        Reservation utility of each type (a scalar: the same for every type;
        default 0).  Every type stays in the menu, so a type given quality 0 is
        paid its outside option; a constant ``u0`` leaves the qualities unchanged
        and lowers the profit by exactly ``u0``, while a type-dependent one can
        raise low types' qualities (countervailing incentives, Jullien 2000).
    atol : float, keyword-only
        Tolerance of the certificate (IC regret over all pairs of types).

    Returns
    -------
    ScreeningMenu

    References
    ----------
    .. [1] M. Mussa and S. Rosen, "Monopoly and product quality", Journal of
       Economic Theory 18(2), 301-317, 1978.
    .. [2] E. Maskin and J. Riley, "Monopoly with incomplete information", RAND
       Journal of Economics 15(2), 171-196, 1984.
    .. [3] R. Myerson, "Optimal auction design", Mathematics of Operations
       Research 6(1), 58-73, 1981 (ironing).
    .. [4] B. Jullien, "Participation constraints in adverse selection models",
       Journal of Economic Theory 93(1), 1-47, 2000.

    Examples
    --------
    >>> menu = optimal_menu(*type_grid(200))
    >>> abs(menu.profit - 1 / 12) < 1e-3, round(menu.first_best_profit, 4)
    (True, 0.1667)
    >>> menu.certificate.ok
    True
    >>> shifted = optimal_menu(*type_grid(200), outside_option=0.01)   # every rent up by 0.01
    >>> round(menu.profit - shifted.profit, 6)
    0.01
    """
    owner = "optimal_menu"
    theta = check_array(types, "types", owner, ndim=1, min_size=1)
    res = _solve_once(theta, probs, cost, unit_cost, "CLARABEL", atol, owner, outside_option)
    # solve_screening validated every argument; the first-best is a closed form.
    p = np.asarray(probs, dtype=np.float64)
    u0 = np.broadcast_to(np.asarray(outside_option, dtype=np.float64), theta.shape)
    fb_q = np.maximum(0.0, (theta - unit_cost) / cost)
    fb_profit = float(p @ ((theta - unit_cost) * fb_q - cost * fb_q**2 / 2.0 - u0))
    return ScreeningMenu(res.status, res.x, res.objective, res.duals, res.certificate, res.info,
                         types=theta, probs=p, quality=res.quantity, transfer=res.transfer, rent=res.rent,
                         outside_option=u0, first_best_quality=fb_q, first_best_profit=fb_profit)


def mussa_rosen_uniform(theta, /, *, cost: float = 1.0):
    """Closed-form optimal menu for ``theta ~ U[0, 1]`` and cost ``cost * q**2 / 2``.

    The virtual value is ``2 theta - 1``, so ``q(theta) = max(0, 2 theta - 1) / cost``
    and ``t(theta) = max(0, theta**2 - 1/4) / cost``; expected profit ``1 / (12 cost)``
    against the first-best ``1 / (6 cost)``.

    Returns
    -------
    quality, transfer : ndarray

    References
    ----------
    .. [1] M. Mussa and S. Rosen, "Monopoly and product quality", Journal of
       Economic Theory 18(2), 301-317, 1978.

    Examples
    --------
    >>> q, t = mussa_rosen_uniform([0.25, 0.75, 1.0])
    >>> q.tolist(), t.tolist()
    ([0.0, 0.5, 1.0], [0.0, 0.3125, 0.75])
    """
    owner = "mussa_rosen_uniform"
    th = check_array(theta, "theta", owner)
    if th.size and (th.min() < 0 or th.max() > 1):
        fail("theta", owner, "in [0, 1] (the support of the uniform type distribution)", theta)
    cost = check_real(cost, "cost", owner, low=0.0, low_open=True)
    quality = np.maximum(0.0, 2.0 * th - 1.0) / cost
    transfer = np.maximum(0.0, th**2 - 0.25) / cost
    return quality, transfer
