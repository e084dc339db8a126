"""Array-level majority-graph computations on pairwise margin matrices, batched.

Every function takes a margin matrix ``M`` of shape ``(..., m, m)`` (any number
of leading batch axes), with ``M[a, b]`` the number of voters preferring ``a``
to ``b`` minus the number preferring ``b`` to ``a`` (antisymmetric, integers
or reals), and returns plain arrays.  Nothing here knows about profiles or
labels: the ``mechanisms.social_choice`` rules call these functions, and a
training pipeline can call them directly on a stack of margin matrices (one
per prompt).

The path computations are vectorized Floyd--Warshall recursions: ``m`` numpy
steps, each ``O(batch * m**2)``.

Examples
--------
>>> import numpy as np
>>> M = np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])   # a Condorcet cycle
>>> smith_set(M).tolist(), condorcet_winner(M).tolist()
([True, True, True], -1)
>>> schulze_winners(np.array([[0, 3, 1], [-3, 0, 5], [-1, -5, 0]])).tolist()
[True, False, False]
"""

from __future__ import annotations

import numpy as np

from .validation import check_array, fail

__all__ = [
    "widest_paths",
    "transitive_closure",
    "condorcet_winner",
    "copeland_scores",
    "schulze_strengths",
    "schulze_winners",
    "split_cycle_winners",
    "smith_set",
    "schwartz_set",
]


def _matrix(value, name: str, owner: str, *, antisymmetric: bool = False) -> np.ndarray:
    """A finite ``(..., m, m)`` array, integer dtype kept (int64) so counts stay exact."""
    arr = np.asarray(value) if not isinstance(value, np.ndarray) else value
    kind = "int" if getattr(arr, "dtype", np.dtype(float)).kind in "biu" else "float"
    arr = check_array(value, name, owner, dtype=kind)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2] or arr.shape[-1] == 0:
        fail(name, owner, "an array of square matrices, shape (..., m, m) with m >= 1", arr)
    if antisymmetric and not np.array_equal(arr, -np.swapaxes(arr, -1, -2)):
        fail(name, owner, "antisymmetric (M[a, b] == -M[b, a]): a margin matrix", arr,
             hint="Pass margins S - S.T, not the support matrix S.")
    return arr


def widest_paths(weights, /) -> np.ndarray:
    """Strongest-path (widest-path) strengths by a vectorized Floyd--Warshall recursion.

    Parameters
    ----------
    weights : array_like, shape (..., m, m)
        Nonnegative edge strengths; ``0`` means "no edge".

    Returns
    -------
    ndarray, shape (..., m, m)
        ``P[i, j]`` is the largest, over paths ``i -> ... -> j``, of the smallest
        edge strength on the path (``0`` if there is no path, and on the diagonal).
        Same dtype as the input (exact for integers).

    References
    ----------
    .. [1] M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
       Condorcet-consistent single-winner election method", Social Choice and
       Welfare 36 (2011) 267-303, section 2.3 (the Floyd--Warshall variant).

    Examples
    --------
    >>> widest_paths([[0, 5, 0], [0, 0, 3], [0, 0, 0]]).tolist()
    [[0, 5, 3], [0, 0, 3], [0, 0, 0]]
    """
    P = np.array(_matrix(weights, "weights", "widest_paths"))
    if P.size and P.min() < 0:
        fail("weights", "widest_paths", "nonnegative (0 means no edge)", P)
    m = P.shape[-1]
    diag = np.arange(m)
    P[..., diag, diag] = 0
    for k in range(m):
        np.maximum(P, np.minimum(P[..., :, k, None], P[..., None, k, :]), out=P)
    P[..., diag, diag] = 0
    return P


def transitive_closure(relation, /, *, reflexive: bool = False) -> np.ndarray:
    """Boolean transitive closure ``R+`` (or ``R*`` when ``reflexive``) of ``(..., m, m)`` relations.

    Examples
    --------
    >>> transitive_closure([[0, 1, 0], [0, 0, 1], [0, 0, 0]]).astype(int).tolist()
    [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
    """
    R = np.array(check_array(relation, "relation", "transitive_closure", dtype="bool"), dtype=bool)
    if R.ndim < 2 or R.shape[-1] != R.shape[-2]:
        fail("relation", "transitive_closure", "an array of square boolean matrices, shape (..., m, m)", R)
    m = R.shape[-1]
    for k in range(m):
        R |= R[..., :, k, None] & R[..., None, k, :]
    if reflexive:
        R[..., np.arange(m), np.arange(m)] = True
    return R


def condorcet_winner(margins, /) -> np.ndarray:
    """The alternative beating every other by a strict majority, or ``-1`` (int array of shape ``(...)``)."""
    M = _matrix(margins, "margins", "condorcet_winner", antisymmetric=True)
    m = M.shape[-1]
    beats = (M > 0).sum(axis=-1) == m - 1
    return np.where(beats.any(axis=-1), beats.argmax(axis=-1), -1)


def copeland_scores(margins, /, *, win=1, tie=0, loss=-1) -> np.ndarray:
    """``win`` points per pairwise majority win, ``tie`` per tie, ``loss`` per loss (self excluded).

    The default ``(1, 0, -1)`` is Copeland's "wins minus losses"; ``(1, 1, 0)`` is Llull's.

    Examples
    --------
    >>> copeland_scores([[0, 2, 0], [-2, 0, 2], [0, -2, 0]]).tolist()
    [1, 0, -1]
    """
    M = _matrix(margins, "margins", "copeland_scores", antisymmetric=True)
    m = M.shape[-1]
    wins = (M > 0).sum(axis=-1)
    losses = (M < 0).sum(axis=-1)
    ties = (m - 1) - wins - losses
    return wins * win + ties * tie + losses * loss


def schulze_strengths(margins, /, *, support=None) -> np.ndarray:
    """Strongest beat-path strengths ``P`` of Schulze's method.

    The strength of the direct link ``a -> b`` is ``M[a, b]`` (margins) when ``a``
    beats ``b``, or ``S[a, b]`` (winning votes) when a ``support`` matrix ``S`` is
    given; pairs without a strict majority are not links.  For complete strict
    ballots both give the same winners.
    """
    M = _matrix(margins, "margins", "schulze_strengths", antisymmetric=True)
    if support is None:
        link = np.where(M > 0, M, 0)
    else:
        S = _matrix(support, "support", "schulze_strengths")
        if S.shape != M.shape:
            fail("support", "schulze_strengths", f"an array of the margins' shape {M.shape}", S)
        link = np.where(M > 0, S, 0)
    return widest_paths(link)


def schulze_winners(margins, /, *, support=None) -> np.ndarray:
    """Boolean mask of Schulze (beat path) winners: ``P[a, b] >= P[b, a]`` for every ``b``.

    References
    ----------
    .. [1] M. Schulze, Social Choice and Welfare 36 (2011) 267-303.
    """
    P = schulze_strengths(margins, support=support)
    return np.all(P >= np.swapaxes(P, -1, -2), axis=-1)


def split_cycle_winners(margins, /) -> np.ndarray:
    """Boolean mask of Split Cycle winners (the alternatives no one defeats).

    ``a`` defeats ``b`` when ``M[a, b] > 0`` and ``M[a, b]`` exceeds the strength of
    the strongest path from ``b`` back to ``a`` (each cycle's weakest links are
    discarded).

    References
    ----------
    .. [1] W. H. Holliday and E. Pacuit, "Split Cycle: a new Condorcet-consistent
       voting method independent of clones and immune to spoilers", Public Choice
       197 (2023) 1-62.
    """
    M = _matrix(margins, "margins", "split_cycle_winners", antisymmetric=True)
    P = widest_paths(np.where(M > 0, M, 0))
    defeats = (M > 0) & (M > np.swapaxes(P, -1, -2))
    return ~defeats.any(axis=-2)


def smith_set(margins, /) -> np.ndarray:
    """Boolean mask of the Smith set (top cycle): the smallest nonempty set whose members
    beat every outsider by a strict majority.

    ``a`` is in it iff ``a`` reaches every alternative along weak-majority links (``M >= 0``).

    References
    ----------
    .. [1] J. H. Smith, "Aggregation of preferences with variable electorate",
       Econometrica 41 (1973) 1027-1041.
    """
    M = _matrix(margins, "margins", "smith_set", antisymmetric=True)
    reach = transitive_closure(M >= 0, reflexive=True)
    return reach.all(axis=-1)


def schwartz_set(margins, /) -> np.ndarray:
    """Boolean mask of the Schwartz set (GOCHA): the union of the minimal sets that no
    outsider beats.

    ``a`` is in it iff every ``b`` that reaches ``a`` along strict-majority links is in
    turn reached by ``a``.

    References
    ----------
    .. [1] T. Schwartz, "Rationality and the myth of the maximum", Nous 6 (1972) 97-117.
    """
    M = _matrix(margins, "margins", "schwartz_set", antisymmetric=True)
    reach = transitive_closure(M > 0, reflexive=True)
    back = np.swapaxes(reach, -1, -2)  # back[a, b]: b reaches a
    return np.all(~back | reach, axis=-1)
