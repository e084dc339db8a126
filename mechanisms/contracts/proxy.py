"""Proxy rewards over too few attributes (Zhuang and Hadfield-Menell 2020).

The world has ``L`` attributes ``s_1..s_L`` that all matter to the principal
and that compete for one resource.  The agent is given a *proxy* that mentions
only ``J < L`` of them.  Optimizing the proxy frees resources from every
unmentioned attribute, driving it to its minimum, so the true utility falls,
without bound if utility diverges at the minimum.

Concrete family used here (separable, concave, one linear resource):

* true utility ``U(s) = sum_i w_i u(s_i)`` with the CRRA shape
  ``u(s) = log s`` (``curvature = 1``) or ``s**(1 - rho) / (1 - rho)``;
* feasible states ``sum_i c_i s_i <= B`` and ``s_i >= b_i`` (floors);
* the proxy over a subset ``J`` is ``sum_{j in J} w_j u(s_j)``: the true
  utility with the unmentioned attributes left out (the most favourable
  proxy: every result below holds a fortiori for a misweighted one).

Maximizers are closed-form water-fillings: ``s_i = max(b_i, (w_i / (lam c_i))**(1/rho))``
with one shadow price ``lam`` set so the resource is used up.  The proxy
optimum puts every unmentioned attribute at its floor, and its utility loss is
bounded by what the unmentioned attributes contribute at the true optimum
above their floors::

    U(s*) - U(s^J) <= sum_{k not in J} w_k (u(s*_k) - u(b_k)),

a bound that shrinks to 0 as attributes are added to the proxy; the loss
itself never grows when an attribute is added (:meth:`ProxyRewardModel.loss_curve`).
Incremental optimization of the proxy (projected gradient ascent,
:meth:`ProxyRewardModel.optimization_path`) first spends slack resources and
raises the true utility, then reallocates from the unmentioned attributes and
lowers it.  Holding the unmentioned attributes at their current values
(``hold=``, the paper's impact-minimizing proxy) never lowers utility.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from solvers.result import readonly
from solvers.validation import check_array, check_int, check_real, fail

__all__ = ["ProxyRewardModel", "ProxyOutcome", "ProxyPath", "LossCurve"]


def _arr(a):
    return np.array2string(np.asarray(a), precision=4, threshold=12)


@dataclasses.dataclass(frozen=True, repr=False)
class ProxyOutcome:
    """The state an agent reaches by maximizing a proxy, and what it costs the principal.

    Attributes
    ----------
    attributes : ndarray of bool
        Which attributes the proxy mentions.
    state : ndarray
        The maximizer of the proxy over the feasible states.
    proxy_value, true_utility : float
        The proxy and the true utility at ``state``.
    optimal_utility : float
        The true utility at the true optimum.
    loss : float
        ``optimal_utility - true_utility`` (``inf`` when the true utility is ``-inf``).
    loss_bound : float
        ``sum_{k not mentioned} w_k (u(s*_k) - u(b_k))``, an upper bound on ``loss``
        (NaN for an impact-minimizing proxy, ``hold=``, where it does not apply).
    shadow_price : float
        The multiplier of the resource constraint in the proxy problem.
    """

    attributes: np.ndarray
    state: np.ndarray
    proxy_value: float
    true_utility: float
    optimal_utility: float
    loss: float
    loss_bound: float
    shadow_price: float

    def __post_init__(self):
        object.__setattr__(self, "attributes", readonly(self.attributes, dtype=bool))
        object.__setattr__(self, "state", readonly(self.state, dtype=np.float64))

    def __repr__(self) -> str:
        return (f"ProxyOutcome(attributes={np.flatnonzero(self.attributes).tolist()}, state={_arr(self.state)}, "
                f"true_utility={self.true_utility:.6g}, optimal_utility={self.optimal_utility:.6g}, "
                f"loss={self.loss:.6g}, loss_bound={self.loss_bound:.6g})")


@dataclasses.dataclass(frozen=True, repr=False)
class ProxyPath:
    """A path of incremental proxy optimization (projected gradient ascent).

    Attributes
    ----------
    states : ndarray, shape (n_steps + 1, L)
        The state after each step (row 0 is the start).
    proxy, utility : ndarray, shape (n_steps + 1,)
        Proxy value and true utility along the path.
    attributes : ndarray of bool
        Which attributes the proxy mentions.
    converged : bool
        Whether the steps stopped moving before ``max_steps``.
    """

    states: np.ndarray
    proxy: np.ndarray
    utility: np.ndarray
    attributes: np.ndarray
    converged: bool

    def __post_init__(self):
        for name in ("states", "proxy", "utility"):
            object.__setattr__(self, name, readonly(getattr(self, name), dtype=np.float64))
        object.__setattr__(self, "attributes", readonly(self.attributes, dtype=bool))

    @property
    def peak_step(self) -> int:
        """Index of the step with the highest true utility."""
        return int(np.argmax(self.utility))

    @property
    def overoptimization(self) -> float:
        """True utility lost between the peak of the path and its end (``>= 0``)."""
        return float(self.utility[self.peak_step] - self.utility[-1])

    def __repr__(self) -> str:
        return (f"ProxyPath(steps={self.states.shape[0] - 1}, attributes={np.flatnonzero(self.attributes).tolist()}, "
                f"utility: start={self.utility[0]:.6g}, peak={self.utility[self.peak_step]:.6g} "
                f"at step {self.peak_step}, end={self.utility[-1]:.6g}; converged={self.converged})")


@dataclasses.dataclass(frozen=True, repr=False)
class LossCurve:
    """Utility loss of the proxy optimum as attributes are added to the proxy one at a time.

    Attributes
    ----------
    order : ndarray of int
        The order in which attributes are added.
    n_attributes : ndarray of int
        ``1..L``: how many attributes the proxy mentions.
    loss, bound : ndarray
        The loss ``U(s*) - U(s^J)`` and its bound for ``J = order[:k]``.
    """

    order: np.ndarray
    n_attributes: np.ndarray
    loss: np.ndarray
    bound: np.ndarray

    def __post_init__(self):
        for name in ("order", "n_attributes"):
            object.__setattr__(self, name, readonly(getattr(self, name), dtype=np.int64))
        for name in ("loss", "bound"):
            object.__setattr__(self, name, readonly(getattr(self, name), dtype=np.float64))

    def __repr__(self) -> str:
        return f"LossCurve(order={self.order.tolist()}, loss={_arr(self.loss)}, bound={_arr(self.bound)})"


def _per_attribute(value, name, owner, size, default):
    """A scalar (broadcast) or a vector with one entry per attribute."""
    if value is None:
        return np.full(size, default)
    arr = check_array(value, name, owner, ndim=(0, 1))
    if arr.ndim == 0:
        return np.full(size, float(arr))
    if arr.shape != (size,):
        fail(name, owner, f"a scalar or a vector with one entry per attribute ({size})", value)
    return np.array(arr, dtype=np.float64)


def _clipped_root(level, slope, floor, c, budget):
    """Solve ``sum_i c_i max(floor_i, level_i - mu * slope_i) = budget`` for ``mu`` (piecewise linear).

    ``level - mu * slope`` is the unclipped coordinate; the sum decreases in ``mu``
    until every coordinate sits at its floor.  Returns the root (``mu`` may be
    negative when the budget exceeds the unclipped spend).
    """
    breaks = (level - floor) / slope  # coordinate i hits its floor at mu = breaks[i]
    order = np.argsort(-breaks, kind="stable")
    brk, cl, cs, cf = breaks[order], (c * level)[order], (c * slope)[order], (c * floor)[order]
    # With the first k coordinates (largest breakpoints) free: spend(mu) = A_k - mu * S_k + F_k.
    A = np.cumsum(cl)
    S = np.cumsum(cs)
    F = np.concatenate([np.cumsum(cf[::-1])[::-1][1:], [0.0]])
    mu = (A + F - budget) / S
    nxt = np.concatenate([brk[1:], [-np.inf]])
    ok = (mu <= brk + 1e-12 * (1 + np.abs(brk))) & (mu >= nxt - 1e-12 * (1 + np.abs(nxt)))
    k = int(np.argmax(ok)) if ok.any() else int(np.argmin(np.abs(mu - np.clip(mu, nxt, brk))))
    return float(mu[k])


class ProxyRewardModel:
    """Resource-constrained world with ``L`` valued attributes and a proxy over a subset.

    Parameters
    ----------
    weights : (L,) array
        Positive weights ``w_i`` of the attributes in the true utility.
    budget : float
        Total resource ``B``.
    prices : (L,) array, keyword-only
        Resource cost ``c_i > 0`` of one unit of attribute ``i`` (default ones).
    floors : (L,) array, keyword-only
        Minimum levels ``b_i >= 0`` (default 0).  With ``curvature >= 1`` a
        floor of 0 makes the utility ``-inf`` there: the paper's case where
        optimizing an incomplete proxy makes utility arbitrarily low.
    curvature : float, keyword-only
        CRRA coefficient ``rho > 0`` of ``u`` (1 is ``log``).

    References
    ----------
    .. [1] S. Zhuang and D. Hadfield-Menell, "Consequences of misaligned AI",
       Advances in Neural Information Processing Systems 33 (NeurIPS 2020),
       15763-15773.

    Examples
    --------
    Three equally weighted attributes, budget 3, floors 0.1; a proxy over the
    first two spends everything on them and leaves the third at its floor.

    >>> model = ProxyRewardModel([1.0, 1.0, 1.0], 3.0, floors=0.1)
    >>> out = model.optimum([0, 1])
    >>> out.state.round(4).tolist()
    [1.45, 1.45, 0.1]
    >>> round(out.loss, 4), round(out.loss_bound, 4)
    (1.5595, 2.3026)
    """

    _owner = "ProxyRewardModel"

    def __init__(self, weights, budget, *, prices=None, floors=None, curvature: float = 1.0):
        owner = self._owner
        w = check_array(weights, "weights", owner, ndim=1, min_size=1)
        if np.any(w <= 0):
            fail("weights", owner, "positive (every attribute matters to the principal)", weights)
        L = w.size
        self.budget = check_real(budget, "budget", owner, low=0.0, low_open=True)
        self.curvature = check_real(curvature, "curvature", owner, low=0.0, low_open=True)
        c = _per_attribute(prices, "prices", owner, L, 1.0)
        if np.any(c <= 0):
            fail("prices", owner, "positive (every attribute uses the resource)", prices)
        b = _per_attribute(floors, "floors", owner, L, 0.0)
        if np.any(b < 0):
            fail("floors", owner, "nonnegative", floors)
        if float(np.dot(c, b)) >= self.budget:
            fail("budget", owner, f"larger than the cost of the floors, sum(prices * floors) = {float(np.dot(c, b)):g}",
                 budget)
        self.weights = readonly(np.array(w, dtype=np.float64))
        self.prices = readonly(np.array(c, dtype=np.float64))
        self.floors = readonly(np.array(b, dtype=np.float64))
        self._optimum = self._water_fill(np.ones(L, dtype=bool), self.floors)

    @property
    def n_attributes(self) -> int:
        return self.weights.size

    # -- utilities -------------------------------------------------------------------------
    def _u(self, s):
        rho = self.curvature
        with np.errstate(divide="ignore"):
            if rho == 1.0:
                return np.log(s)
            if rho > 1.0:
                return np.where(s > 0, np.power(np.where(s > 0, s, 1.0), 1.0 - rho), np.inf) / (1.0 - rho)
            return np.power(s, 1.0 - rho) / (1.0 - rho)

    def _check_state(self, state, name, owner):
        s = check_array(state, name, owner, nonnegative=True)
        if s.ndim == 0 or s.shape[-1] != self.n_attributes:
            fail(name, owner, f"an array whose last axis has one level per attribute ({self.n_attributes})", state)
        return s

    def utility(self, state, *, attributes=None) -> np.ndarray | float:
        """True utility ``sum_i w_i u(s_i)`` (or the proxy over ``attributes``), batched over leading axes."""
        owner = f"{self._owner}.utility"
        s = self._check_state(state, "state", owner)
        mask = np.ones(self.n_attributes, dtype=bool) if attributes is None else self._mask(attributes, owner)
        terms = np.where(mask, self.weights * self._u(s), 0.0)
        total = terms.sum(axis=-1)
        return float(total) if np.ndim(total) == 0 else total

    def _mask(self, attributes, owner):
        L = self.n_attributes
        arr = np.asarray(attributes)
        if arr.dtype == bool:
            if arr.shape != (L,):
                fail("attributes", owner, f"a boolean mask of length {L} or a list of attribute indices", attributes)
            mask = arr.copy()
        else:
            idx = check_array(attributes, "attributes", owner, dtype="int", ndim=1)
            if idx.size and (idx.min() < 0 or idx.max() >= L):
                fail("attributes", owner, f"indices in [0, {L - 1}]", attributes)
            mask = np.zeros(L, dtype=bool)
            mask[idx] = True
        if not mask.any():
            fail("attributes", owner, "a nonempty set of attributes (the proxy must mention something)", attributes)
        return mask

    # -- optimization ----------------------------------------------------------------------
    def _water_fill(self, mask, rest):
        """Maximize ``sum_{mask} w u(s)`` with the other attributes fixed at ``rest``; returns (state, lam)."""
        w, c, b, rho = self.weights[mask], self.prices[mask], self.floors[mask], self.curvature
        remaining = self.budget - float(np.dot(self.prices[~mask], rest[~mask]))
        state = np.array(rest, dtype=np.float64)
        if remaining <= float(np.dot(c, b)) * (1 + 1e-15):
            state[mask] = b
            return state, float("inf")
        # s_i(lam) = max(b_i, (w_i / (lam c_i))**(1/rho)); in x = lam**(-1/rho): s_i = max(b_i, x a_i).
        a = (w / c) ** (1.0 / rho)
        # Spend(x) = sum c_i max(b_i, x a_i) is increasing in x: put mu = -x in the piecewise helper.
        x = -_clipped_root(np.zeros_like(a), a, b, c, remaining)
        state[mask] = np.maximum(b, x * a)
        return state, float(x ** (-rho))

    def optimum(self, attributes=None, /, *, hold=None) -> ProxyOutcome:
        """The state that maximizes the proxy over ``attributes`` (all of them: the true optimum).

        Parameters
        ----------
        attributes : sequence of int or bool mask, optional
            The attributes the proxy mentions (default: all).
        hold : (L,) array, keyword-only
            A feasible state whose *unmentioned* attributes must be kept (the
            impact-minimizing proxy); by default they are free and go to their floors.

        Returns
        -------
        ProxyOutcome
        """
        owner = f"{self._owner}.optimum"
        mask = np.ones(self.n_attributes, dtype=bool) if attributes is None else self._mask(attributes, owner)
        if hold is None:
            rest = self.floors
        else:
            rest = self._check_feasible(hold, "hold", owner)
        state, lam = self._water_fill(mask, np.asarray(rest, dtype=np.float64))
        return self._outcome(mask, state, lam, with_bound=hold is None)

    def _outcome(self, mask, state, lam, with_bound=True):
        s_star = self._optimum[0]
        true_u = self.utility(state)
        opt_u = self.utility(s_star)
        loss = float("inf") if true_u == -np.inf else opt_u - true_u
        with np.errstate(invalid="ignore"):
            stake = self.weights * (self._u(s_star) - self._u(self.floors))
        bound = float(np.sum(stake[~mask])) if (~mask).any() else 0.0
        if not with_bound:
            bound = float("nan")
        return ProxyOutcome(attributes=mask, state=state, proxy_value=self.utility(state, attributes=mask),
                            true_utility=true_u, optimal_utility=opt_u, loss=max(loss, 0.0), loss_bound=bound,
                            shadow_price=lam)

    def _check_feasible(self, state, name, owner):
        s = self._check_state(state, name, owner)
        if s.ndim != 1:
            fail(name, owner, f"one state (a vector of {self.n_attributes} levels)", state)
        tol = 1e-9 * max(1.0, self.budget)
        if np.any(s < self.floors - tol) or float(self.prices @ s) > self.budget + tol:
            fail(name, owner, "a feasible state (levels >= floors and sum(prices * levels) <= budget)", state)
        return np.asarray(s, dtype=np.float64)

    def _project(self, y):
        """Euclidean projection onto ``{s >= floors, prices @ s <= budget}``."""
        s = np.maximum(y, self.floors)
        if float(self.prices @ s) <= self.budget:
            return s
        mu = _clipped_root(y, self.prices, self.floors, self.prices, self.budget)
        return np.maximum(self.floors, y - mu * self.prices)

    def optimization_path(self, attributes, /, *, start=None, step_size: float | None = None,
                          max_steps: int = 20_000, tol: float = 1e-10) -> ProxyPath:
        """Incremental optimization of the proxy: projected gradient ascent from ``start``.

        Each step moves along the proxy's gradient (zero on unmentioned
        attributes) and projects back onto the feasible states.  While resources
        are slack the mentioned attributes grow and true utility rises; once the
        resource binds, the projection takes from the unmentioned attributes
        and true utility falls, ending at the proxy optimum of :meth:`optimum`.

        Parameters
        ----------
        attributes : sequence of int or bool mask
            The attributes the proxy mentions.
        start : (L,) array, keyword-only
            A feasible starting state; default halfway between the floors and
            the true optimum (so resources start slack).
        step_size : float, keyword-only
            Gradient step; default ``1 / Lipschitz`` of the proxy gradient on the
            box between the start and the proxy optimum (small enough that the
            proxy rises at every step in the usual case).
        max_steps : int, keyword-only
            Upper bound on the number of steps.
        tol : float, keyword-only
            Stop when a step moves the state by less than ``tol * (1 + |state|)``.

        Returns
        -------
        ProxyPath
        """
        owner = f"{self._owner}.optimization_path"
        mask = self._mask(attributes, owner)
        s_star = self._optimum[0]
        if start is None:
            s0 = self.floors + (s_star - self.floors) / 2.0
        else:
            s0 = self._check_feasible(start, "start", owner)
        max_steps = check_int(max_steps, "max_steps", owner, low=1)
        tol = check_real(tol, "tol", owner, low=0.0)
        w, rho = self.weights, self.curvature
        target = self._water_fill(mask, self.floors)[0]
        low = np.minimum(s0, target)[mask]
        if np.any(low <= 0):
            fail("start", owner, "positive on the mentioned attributes (the proxy's gradient is infinite at 0)", s0)
        lipschitz = float(np.max(rho * w[mask] * low ** (-rho - 1.0)))
        if step_size is None:
            step = 1.0 / lipschitz
        else:
            step = check_real(step_size, "step_size", owner, low=0.0, low_open=True)
        states = [np.asarray(s0, dtype=np.float64)]
        s = states[0]
        converged = False
        for _ in range(max_steps):
            grad = np.zeros_like(s)
            grad[mask] = w[mask] * np.power(s[mask], -rho)
            nxt = self._project(s + step * grad)
            states.append(nxt)
            moved = float(np.max(np.abs(nxt - s)))
            s = nxt
            if moved <= tol * (1.0 + float(np.max(np.abs(s)))):
                converged = True
                break
        arr = np.vstack(states)
        return ProxyPath(states=arr, proxy=self.utility(arr, attributes=mask), utility=self.utility(arr),
                         attributes=mask, converged=converged)

    def loss_curve(self, order=None, /) -> LossCurve:
        """Loss of the proxy optimum, and its bound, as attributes join the proxy one by one.

        Parameters
        ----------
        order : sequence of int, optional
            A permutation of the attributes (default: by decreasing weight).

        Returns
        -------
        LossCurve
            ``loss[k - 1]`` and ``bound[k - 1]`` for the proxy over ``order[:k]``;
            the loss is nonincreasing in ``k`` and 0 at ``k = L``.
        """
        owner = f"{self._owner}.loss_curve"
        L = self.n_attributes
        if order is None:
            order = np.argsort(-self.weights, kind="stable")
        else:
            order = check_array(order, "order", owner, dtype="int", ndim=1)
            if not np.array_equal(np.sort(order), np.arange(L)):
                fail("order", owner, f"a permutation of the attribute indices 0..{L - 1}", order)
        losses, bounds = [], []
        mask = np.zeros(L, dtype=bool)
        for i in order:
            mask[i] = True
            out = self.optimum(mask.copy())
            losses.append(out.loss)
            bounds.append(out.loss_bound)
        return LossCurve(order=np.asarray(order), n_attributes=np.arange(1, L + 1), loss=np.array(losses),
                         bound=np.array(bounds))

    def __repr__(self) -> str:
        return (f"ProxyRewardModel(weights={_arr(self.weights)}, budget={self.budget:g}, prices={_arr(self.prices)}, "
                f"floors={_arr(self.floors)}, curvature={self.curvature:g})")
