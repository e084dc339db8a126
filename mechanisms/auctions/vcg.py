"""The Vickrey-Clarke-Groves mechanism with the Clarke pivot, over any finite outcome set.

Agents report valuations ``v[i, o]`` for every outcome ``o``; the mechanism picks
an outcome maximizing the reported welfare ``sum_i v[i, o]`` and charges agent
``i`` the externality it imposes on the others (the Clarke pivot)::

    p_i = max_o sum_{j != i} v[j, o]  -  sum_{j != i} v[j, o*].

Truthful reporting is a dominant strategy, payments are never negative (no
positive transfers), and with nonnegative valuations no agent's utility is
negative (individual rationality).  Everything is vectorized over leading
batch axes.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np

from solvers.result import readonly
from solvers.validation import check_array, check_option, check_real, check_rng, fail

__all__ = ["VCGResult", "CombinatorialVCGResult", "vcg", "combinatorial_vcg"]

_MAX_OUTCOMES = 2**20


def _fmt(arr) -> str:
    return np.array2string(np.asarray(arr), precision=4, threshold=12)


class _ReadonlyPayments:
    """Shared by the frozen result dataclasses: read-only array fields and the revenue."""

    __slots__ = ()

    def __post_init__(self):
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, readonly(getattr(self, f.name)))

    @property
    def revenue(self) -> np.ndarray:
        """Total payment collected, shape (...)."""
        return self.payments.sum(axis=-1)


@dataclasses.dataclass(frozen=True, repr=False)
class VCGResult(_ReadonlyPayments):
    """Outcome of :func:`vcg` (arrays carry the caller's batch axes ``...``).

    Attributes
    ----------
    outcome : ndarray of int, shape (...)
        The chosen welfare-maximizing outcome (per ``tie_break``).
    tied : ndarray of bool, shape (..., n_outcomes)
        Every welfare-maximizing outcome (the full tied set).
    payments : ndarray of shape (..., n_agents)
        Clarke payments (from the agent to the mechanism; never negative).
    utilities : ndarray of shape (..., n_agents)
        ``v[i, outcome] - payments[i]`` under the reported valuations.
    welfare : ndarray of shape (...)
        The maximal reported welfare.
    """

    outcome: np.ndarray
    tied: np.ndarray
    payments: np.ndarray
    utilities: np.ndarray
    welfare: np.ndarray

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(outcome={_fmt(self.outcome)}, payments={_fmt(self.payments)}, "
                f"utilities={_fmt(self.utilities)}, welfare={_fmt(self.welfare)}, "
                f"n_tied={_fmt(self.tied.sum(axis=-1))})")


def _choose(tied: np.ndarray, tie_break: str, rng) -> np.ndarray:
    if tie_break == "first":
        return np.argmax(tied, axis=-1)
    if tie_break == "last":
        return tied.shape[-1] - 1 - np.argmax(tied[..., ::-1], axis=-1)
    keys = np.where(tied, rng.random(tied.shape), -1.0)
    return np.argmax(keys, axis=-1)


def _vcg(values: np.ndarray, tie_break: str, rng, atol: float) -> VCGResult:
    welfare_all = values.sum(axis=-2)                         # (..., O)
    best = welfare_all.max(axis=-1)
    tied = welfare_all >= best[..., None] - atol
    outcome = _choose(tied, tie_break, rng)
    others = welfare_all[..., None, :] - values               # (..., n, O): welfare of the others
    pivot = others.max(axis=-1)
    idx = np.broadcast_to(outcome[..., None, None], others.shape[:-1] + (1,))
    at_choice = np.take_along_axis(others, idx, axis=-1)[..., 0]
    own = np.take_along_axis(values, idx, axis=-1)[..., 0]
    payments = pivot - at_choice
    welfare = np.take_along_axis(welfare_all, outcome[..., None], axis=-1)[..., 0]
    return VCGResult(outcome=outcome, tied=tied, payments=payments, utilities=own - payments, welfare=welfare)


def vcg(valuations, /, *, tie_break="first", rng=None, atol=1e-9) -> VCGResult:
    """VCG mechanism with Clarke pivot payments over a finite set of outcomes.

    Parameters
    ----------
    valuations : array_like of shape (..., n_agents, n_outcomes)
        ``valuations[..., i, o]`` is agent ``i``'s reported value for outcome
        ``o``; leading axes are independent instances (a batch).
    tie_break : {"first", "last", "random"}, keyword-only
        Which welfare-maximizing outcome to implement when several tie (the
        full tied set is always reported in ``tied``).  Any fixed choice keeps
        truth-telling dominant.
    rng : numpy.random.Generator, int or None, keyword-only
        Used by ``tie_break="random"`` only.
    atol : float, keyword-only
        Outcomes whose welfare is within ``atol`` of the best count as tied.
        Integer valuations are compared exactly for any ``atol < 1``.

    Returns
    -------
    VCGResult

    References
    ----------
    .. [1] W. Vickrey, "Counterspeculation, auctions, and competitive sealed
       tenders", Journal of Finance 16(1):8-37, 1961.
    .. [2] E. H. Clarke, "Multipart pricing of public goods", Public Choice
       11(1):17-33, 1971.
    .. [3] T. Groves, "Incentives in teams", Econometrica 41(4):617-631, 1973.

    Examples
    --------
    Two agents, three outcomes: outcome 2 maximizes welfare (5); agent 0
    pivots the choice away from outcome 1 (worth 4 to agent 1) and pays 4 - 2.

    >>> res = vcg([[1, 0, 3], [0, 4, 2]])
    >>> int(res.outcome), res.payments.tolist(), res.utilities.tolist()
    (2, [2.0, 0.0], [1.0, 2.0])
    """
    owner = "vcg"
    values = check_array(valuations, "valuations", owner, ndim=None, min_size=1)
    if values.ndim < 2:
        fail("valuations", owner, "an array of shape (..., n_agents, n_outcomes)", values)
    check_option(tie_break, "tie_break", owner, ("first", "last", "random"))
    atol = check_real(atol, "atol", owner, low=0.0)
    rng = check_rng(rng, owner)
    return _vcg(np.asarray(values, dtype=np.float64), tie_break, rng, atol)


@dataclasses.dataclass(frozen=True, repr=False)
class CombinatorialVCGResult(_ReadonlyPayments):
    """Outcome of :func:`combinatorial_vcg` (arrays carry the batch axes ``...``).

    Attributes
    ----------
    allocation : ndarray of int, shape (..., n_items)
        The bidder who gets each item (``-1``: nobody).
    bundles : ndarray of int, shape (..., n_bidders)
        Each bidder's bundle as a bitmask (bit ``k`` set: item ``k``).
    payments, utilities : ndarray of shape (..., n_bidders)
    welfare : ndarray of shape (...)
    n_tied : ndarray of int, shape (...)
        How many allocations reach the maximal welfare.
    """

    allocation: np.ndarray
    bundles: np.ndarray
    payments: np.ndarray
    utilities: np.ndarray
    welfare: np.ndarray
    n_tied: np.ndarray

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(allocation={_fmt(self.allocation)}, payments={_fmt(self.payments)}, "
                f"utilities={_fmt(self.utilities)}, welfare={_fmt(self.welfare)}, n_tied={_fmt(self.n_tied)})")


def _assignments(n_bidders: int, n_items: int) -> np.ndarray:
    """Every assignment of items to bidders or nobody (-1 first), shape ((n + 1) ** m, m)."""
    return np.array(list(itertools.product(range(-1, n_bidders), repeat=n_items)), dtype=np.int64).reshape(
        -1, n_items)


def combinatorial_vcg(values, /, *, additive=False, tie_break="first", rng=None, atol=1e-9) -> CombinatorialVCGResult:
    """VCG (Clarke pivot) combinatorial auction by enumeration of all allocations.

    Parameters
    ----------
    values : array_like
        With ``additive=False``: bundle values of shape (..., n_bidders, 2 ** n_items),
        ``values[..., i, S]`` the value of bidder ``i`` for the bundle whose
        bitmask is ``S`` (bit ``k`` set when item ``k`` is in it).  With
        ``additive=True``: item values of shape (..., n_bidders, n_items), a
        bundle being worth the sum of its items.
    additive : bool, keyword-only
    tie_break, rng, atol
        As in :func:`vcg`.  Allocations are enumerated with "nobody" (``-1``)
        before bidder 0, so ``tie_break="first"`` leaves worthless items unsold.

    Returns
    -------
    CombinatorialVCGResult

    Notes
    -----
    Every one of the ``(n_bidders + 1) ** n_items`` allocations is an outcome of
    :func:`vcg`, so this is exact but meant for small auctions (at most 2**20
    allocations).  With additive values VCG reduces to one second-price auction
    per item.

    References
    ----------
    .. [1] W. Vickrey, "Counterspeculation, auctions, and competitive sealed
       tenders", Journal of Finance 16(1):8-37, 1961.
    .. [2] E. H. Clarke, "Multipart pricing of public goods", Public Choice
       11(1):17-33, 1971.

    Examples
    --------
    Bidder 0 wants the pair of items (value 3); bidders 1 and 2 each want one.

    >>> bundle_values = [[0, 0, 0, 3],      # bundles: {}, {item 0}, {item 1}, {0, 1}
    ...                  [0, 2, 0, 2],
    ...                  [0, 0, 2, 2]]
    >>> res = combinatorial_vcg(bundle_values)
    >>> res.allocation.tolist(), res.payments.tolist()
    ([1, 2], [0.0, 1.0, 1.0])
    """
    owner = "combinatorial_vcg"
    if not isinstance(additive, (bool, np.bool_)):
        fail("additive", owner, "a bool", additive)
    vals = check_array(values, "values", owner, min_size=1)
    if vals.ndim < 2:
        fail("values", owner, "an array of shape (..., n_bidders, n_items) or (..., n_bidders, 2 ** n_items)", vals)
    check_option(tie_break, "tie_break", owner, ("first", "last", "random"))
    atol = check_real(atol, "atol", owner, low=0.0)
    rng = check_rng(rng, owner)
    n = vals.shape[-2]
    if additive:
        m = vals.shape[-1]
    else:
        m = int(vals.shape[-1]).bit_length() - 1
        if vals.shape[-1] != 2**m:
            fail("values", owner, "bundle values with a last axis of length 2 ** n_items (one per bundle bitmask)",
                 vals, hint="Pass additive=True for per-item values.")
    if (n + 1) ** m > _MAX_OUTCOMES:
        fail("values", owner, f"an auction with at most {_MAX_OUTCOMES} allocations ((n_bidders + 1) ** n_items)",
             vals, hint="VCG here enumerates every allocation; use fewer items or bidders.")
    assign = _assignments(n, m)                                   # (O, m)
    owns = assign[:, None, :] == np.arange(n)[None, :, None]      # (O, n, m)
    masks = (owns * (1 << np.arange(m))[None, None, :]).sum(axis=-1)   # (O, n) bundle bitmask
    vals = np.asarray(vals, dtype=np.float64)
    if additive:
        V = np.einsum("...ik,oik->...io", vals, owns.astype(np.float64))
    else:
        V = _bundle_table(vals, masks)
    res = _vcg(V, tie_break, rng, atol)
    return CombinatorialVCGResult(allocation=assign[res.outcome], bundles=masks[res.outcome], payments=res.payments,
                                  utilities=res.utilities, welfare=res.welfare, n_tied=res.tied.sum(axis=-1))


def _bundle_table(vals: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """V[..., i, o] = vals[..., i, masks[o, i]]."""
    n = vals.shape[-2]
    return np.stack([vals[..., i, :][..., masks[:, i]] for i in range(n)], axis=-2)
