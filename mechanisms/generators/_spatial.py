"""Spatial and structured cultures: Euclidean, and single-peaked (Walsh, Conitzer)."""

from __future__ import annotations

import numpy as np

from mechanisms.profiles import Profile
from solvers.validation import check_array, check_int, check_rng, fail

from ._common import check_permutation, check_sizes, read_only, strict_profile

__all__ = ["euclidean", "single_peaked_walsh", "single_peaked_conitzer"]


def _distance_levels(voters: np.ndarray, alternatives: np.ndarray) -> np.ndarray:
    """Dense rank levels (0 = closest) of every alternative for every voter; equal distances tie."""
    d2 = np.zeros((voters.shape[0], alternatives.shape[0]), dtype=np.float64)
    for k in range(voters.shape[1]):  # loop over dimensions only: no (n, m, d) temporary
        d2 += (voters[:, k, None] - alternatives[None, :, k]) ** 2
    order = np.argsort(d2, axis=1, kind="stable")
    ordered = np.take_along_axis(d2, order, axis=1)
    new_level = np.ones(d2.shape, dtype=np.int64)
    new_level[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    levels = np.empty_like(new_level)
    np.put_along_axis(levels, order, np.cumsum(new_level, axis=1) - 1, axis=1)
    return levels


def euclidean(n_voters, n_alternatives, *, dimensions=None, rng=None, voter_points=None,
              alternative_points=None):
    """Euclidean culture: voters and alternatives are points; each voter ranks by distance.

    Points not given are drawn uniformly from the unit cube ``[0, 1]^d``.  A
    voter ranks alternatives from nearest to farthest; alternatives at exactly
    the same distance are tied (with random points this has probability 0, so
    the profile is strict; with given points it can yield weak orders).

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1); must equal ``len(voter_points)`` if those are given.
    n_alternatives : int
        Number of alternatives (>= 1); must equal ``len(alternative_points)`` if given.
    dimensions : int, optional
        Dimension ``d`` of the space (>= 1).  Default: the dimension of the given
        points, else 2.
    rng : numpy.random.Generator, int or None
        Source of randomness (used only for points that are not given).
    voter_points : array_like, shape (n_voters, d), optional
        Ideal points of the voters.
    alternative_points : array_like, shape (n_alternatives, d), optional
        Positions of the alternatives.

    Returns
    -------
    Profile
        One ballot per voter.  ``metadata["voter_points"]`` and
        ``metadata["alternative_points"]`` hold the (read-only) points used.

    References
    ----------
    J. M. Enelow and M. J. Hinich (1984). *The Spatial Theory of Voting: An Introduction*.
    Cambridge University Press.

    Examples
    --------
    >>> from mechanisms.generators import euclidean
    >>> profile = euclidean(2, 3, voter_points=[[0.0], [1.0]],
    ...                     alternative_points=[[0.1], [0.5], [0.8]])
    >>> profile.to_rankings().tolist()
    [[0, 1, 2], [2, 1, 0]]
    """
    owner = "euclidean"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    given = {}
    for name, value, rows in (("voter_points", voter_points, n), ("alternative_points", alternative_points, m)):
        if value is not None:
            arr = check_array(value, name, owner, dtype="float", ndim=2)
            if arr.shape[0] != rows or arr.shape[1] < 1:
                fail(name, owner, f"an array of shape ({rows}, d) with d >= 1 (one row per "
                     f"{'voter' if name == 'voter_points' else 'alternative'})", arr)
            given[name] = arr
    dims = {arr.shape[1] for arr in given.values()}
    if len(dims) > 1:
        fail("alternative_points", owner, f"in the same space as voter_points ({given['voter_points'].shape[1]} "
             "columns)", given["alternative_points"])
    if dimensions is None:
        d = dims.pop() if dims else 2
    else:
        d = check_int(dimensions, "dimensions", owner, low=1)
        if dims and d not in dims:
            fail("dimensions", owner, f"equal to the number of columns of the given points ({dims.pop()})", d)
    rng = check_rng(rng, owner)
    voters = given.get("voter_points")
    voters = rng.random((n, d)) if voters is None else np.array(voters)
    alternatives = given.get("alternative_points")
    alternatives = rng.random((m, d)) if alternatives is None else np.array(alternatives)
    metadata = {"culture": "euclidean", "voter_points": read_only(voters),
                "alternative_points": read_only(alternatives)}
    return Profile.from_ranks(_distance_levels(voters, alternatives), metadata=metadata)


def _check_axis(axis, m: int, owner: str) -> np.ndarray:
    return np.arange(m, dtype=np.int64) if axis is None else check_permutation(axis, "axis", owner, m)


def single_peaked_walsh(n_voters, n_alternatives, *, axis=None, rng=None):
    """Uniform distribution over the rankings that are single-peaked on ``axis`` (Walsh 2015).

    There are ``2^(m-1)`` such rankings.  Each is built from the bottom up: the
    worst remaining alternative is one of the two ends of the remaining segment
    of the axis, each with probability 1/2, until one alternative (the peak) is
    left.  The ``m - 1`` fair choices index the single-peaked rankings one to
    one, so the law is uniform.  Vectorized over voters.

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1).
    n_alternatives : int
        Number of alternatives ``m`` (>= 1).
    axis : array_like of int, optional
        The societal axis: the alternative ids from left to right; default ``0..m-1``.
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    Profile
        Strict complete rankings, single-peaked on ``axis`` (``metadata["axis"]``).

    References
    ----------
    T. Walsh (2015). Generating single peaked votes. arXiv:1503.02766.

    D. Black (1948). On the rationale of group decision-making. *Journal of Political
    Economy* 56(1), 23-34.

    Examples
    --------
    >>> from mechanisms.generators import single_peaked_walsh
    >>> profile = single_peaked_walsh(100, 2, rng=0)
    >>> sorted(map(tuple, profile.grouped().to_weak_orders()))
    [((0,), (1,)), ((1,), (0,))]
    """
    owner = "single_peaked_walsh"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    ax = _check_axis(axis, m, owner)
    rng = check_rng(rng, owner)
    left = np.zeros(n, dtype=np.int64)
    right = np.full(n, m - 1, dtype=np.int64)
    positions = np.empty((n, m), dtype=np.int64)
    take_left = rng.random((n, max(m - 1, 0))) < 0.5
    for k in range(m - 1, 0, -1):  # fill from the worst position up
        pick_left = take_left[:, k - 1]
        positions[:, k] = np.where(pick_left, left, right)
        left = left + pick_left
        right = right - ~pick_left
    positions[:, 0] = left
    return strict_profile(ax[positions], {"culture": "single_peaked_walsh", "axis": read_only(np.array(ax))})


def single_peaked_conitzer(n_voters, n_alternatives, *, axis=None, rng=None):
    """Conitzer's random single-peaked culture: a uniform peak, then grow left or right by coin flips.

    The peak is uniform on the axis; then, while alternatives remain, the next
    ranked alternative is the left or the right neighbour of the segment ranked
    so far, each with probability 1/2 (the only one when one side is exhausted).
    Unlike :func:`single_peaked_walsh` this is *not* uniform over single-peaked
    rankings: rankings whose peak is near an end are more likely.

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1).
    n_alternatives : int
        Number of alternatives ``m`` (>= 1).
    axis : array_like of int, optional
        The societal axis: the alternative ids from left to right; default ``0..m-1``.
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    Profile
        Strict complete rankings, single-peaked on ``axis`` (``metadata["axis"]``).

    References
    ----------
    V. Conitzer (2009). Eliciting single-peaked preferences using comparison queries.
    *Journal of Artificial Intelligence Research* 35, 161-191.

    Examples
    --------
    >>> from mechanisms.generators import single_peaked_conitzer
    >>> profile = single_peaked_conitzer(5, 4, axis=[3, 1, 0, 2], rng=0)
    >>> profile.n_voters, profile.is_strict
    (5, True)
    """
    owner = "single_peaked_conitzer"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    ax = _check_axis(axis, m, owner)
    rng = check_rng(rng, owner)
    peak = rng.integers(0, m, size=n)
    coins = rng.random((n, max(m - 1, 0))) < 0.5
    left = peak.copy()
    right = peak.copy()
    positions = np.empty((n, m), dtype=np.int64)
    positions[:, 0] = peak
    for k in range(1, m):
        go_left = (left > 0) & ((right == m - 1) | coins[:, k - 1])
        left = left - go_left
        right = right + ~go_left
        positions[:, k] = np.where(go_left, left, right)
    return strict_profile(ax[positions], {"culture": "single_peaked_conitzer", "axis": read_only(np.array(ax))})
