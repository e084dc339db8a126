"""Simulated RLHF annotator populations: latent groups, Bradley-Terry (Rao-Kupper) comparisons."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from mechanisms.profiles import PairwiseComparisons
from solvers.validation import check_array, check_int, check_probabilities, check_real, check_rng, fail

from ._common import read_only

__all__ = ["AnnotatorPopulation", "annotator_population"]


@dataclass(frozen=True, repr=False, eq=False)
class AnnotatorPopulation:
    """A simulated comparison data set together with the ground truth that produced it.

    Attributes
    ----------
    comparisons : PairwiseComparisons
        The observable data: item pairs, winners (``-1`` = tie), annotator ids,
        and the item ``features`` if any were given.
    annotator_group : numpy.ndarray, shape (n_annotators,)
        Latent group of every annotator (annotators ``0..k_0-1`` are in group 0,
        the next ``k_1`` in group 1, and so on).
    utilities : numpy.ndarray, shape (n_groups, n_items)
        Bradley-Terry utility of every item for every group.
    group_weights : numpy.ndarray, shape (n_groups,)
        Probability that a comparison comes from each group.
    parameters : numpy.ndarray of shape (n_groups, d), or None
        When utilities were drawn from item features, the group parameter vectors
        ``theta`` with ``utilities = parameters @ features.T``; else None.
    tie_margin : float
        Rao-Kupper threshold ``eta`` (0: no ties).
    """

    comparisons: PairwiseComparisons
    annotator_group: np.ndarray
    utilities: np.ndarray
    group_weights: np.ndarray
    parameters: np.ndarray | None
    tie_margin: float

    @property
    def n_groups(self) -> int:
        return int(self.utilities.shape[0])

    @property
    def n_annotators(self) -> int:
        return int(self.annotator_group.shape[0])

    @property
    def comparison_group(self) -> np.ndarray:
        """Latent group behind every comparison, shape (n_comparisons,)."""
        return read_only(self.annotator_group[self.comparisons.annotator])

    def win_probabilities(self, group: int) -> np.ndarray:
        """Matrix ``P[i, j]``: probability that ``i`` beats ``j`` in a comparison by ``group``."""
        group = check_int(group, "group", "AnnotatorPopulation.win_probabilities", low=0, high=self.n_groups - 1)
        u = self.utilities[group]
        return read_only(_sigmoid(u[:, None] - u[None, :] - self.tie_margin))

    def __repr__(self) -> str:
        return (f"AnnotatorPopulation(n_items={self.utilities.shape[1]}, "
                f"n_comparisons={self.comparisons.n_comparisons}, n_groups={self.n_groups}, "
                f"n_annotators={self.n_annotators}, tie_margin={self.tie_margin!r})")

    def _repr_html_(self) -> str:
        sizes = np.bincount(self.annotator_group, minlength=self.n_groups)
        rows = "".join(
            f"<tr><td>{g}</td><td>{int(sizes[g])}</td><td>{self.group_weights[g]:.3g}</td></tr>"
            for g in range(self.n_groups)
        )
        return (f"<table><caption>{html.escape(repr(self))}</caption>"
                f"<tr><th>group</th><th>annotators</th><th>share of comparisons</th></tr>{rows}</table>")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def annotator_population(n_items, n_comparisons, *, group_utilities=None, n_groups=None, group_weights=None,
                         annotators_per_group=10, features=None, tie_margin=0.0, rng=None):
    """Pairwise comparisons from annotators who belong to latent groups with different utilities.

    The population has ``n_groups`` groups; group ``g`` has
    ``annotators_per_group[g]`` annotators and utilities ``u_g`` over the items.
    Each comparison independently

    1. picks a group ``g`` with probability ``group_weights[g]`` and an annotator
       of that group uniformly;
    2. picks an ordered pair ``(a, b)`` of distinct items uniformly;
    3. draws the outcome from the Rao-Kupper extension of Bradley-Terry with
       threshold ``eta = tie_margin``: ``a`` wins with probability
       ``sigmoid(u_g[a] - u_g[b] - eta)``, ``b`` wins with probability
       ``sigmoid(u_g[b] - u_g[a] - eta)``, and otherwise it is a tie
       (``winner = -1``).  ``eta = 0`` is plain Bradley-Terry (no ties).

    Utilities not given are drawn i.i.d. standard normal; if ``features``
    (``(n_items, d)``) are given, each group instead gets a standard normal
    parameter vector ``theta_g`` and ``u_g = features @ theta_g`` (the linear
    reward model of RLHF).  The ground truth is returned beside the data, so a
    study can score how well an aggregation rule or a mixture fit recovers it.

    Parameters
    ----------
    n_items : int
        Number of items (responses) compared (>= 2).
    n_comparisons : int
        Number of comparisons (>= 1).
    group_utilities : array_like, shape (n_groups, n_items), optional
        Utilities of each group; finite reals.  A 1-D vector is one group.
    n_groups : int, optional
        Number of groups (>= 1) when ``group_utilities`` is not given.  One of the
        two is required.
    group_weights : array_like, shape (n_groups,), optional
        Share of comparisons coming from each group (probabilities summing to 1);
        default uniform.
    annotators_per_group : int or array_like of int, shape (n_groups,)
        Number of annotators in each group (>= 1).
    features : array_like, shape (n_items, d), optional
        Item feature vectors, attached to the comparisons (and used to draw
        utilities when ``group_utilities`` is not given).
    tie_margin : float
        Rao-Kupper threshold ``eta >= 0``.
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    AnnotatorPopulation
        ``.comparisons`` (a :class:`~mechanisms.profiles.PairwiseComparisons` with
        annotator ids), ``.annotator_group``, ``.comparison_group``,
        ``.utilities``, ``.group_weights``, ``.parameters``.

    References
    ----------
    R. A. Bradley and M. E. Terry (1952). Rank analysis of incomplete block designs: I. The
    method of paired comparisons. *Biometrika* 39(3-4), 324-345.

    P. V. Rao and L. L. Kupper (1967). Ties in paired-comparison experiments: a
    generalization of the Bradley-Terry model. *Journal of the American Statistical
    Association* 62(317), 194-204.

    S. Chakraborty, J. Qiu, H. Yuan, A. Koppel, F. Huang, D. Manocha, A. S. Bedi and
    M. Wang (2024). MaxMin-RLHF: alignment with diverse human preferences. *ICML 2024*.

    Examples
    --------
    >>> import numpy as np
    >>> from mechanisms.generators import annotator_population
    >>> pop = annotator_population(3, 100, group_utilities=[[50.0, 0.0, -50.0]],
    ...                            annotators_per_group=4, rng=0)
    >>> pop
    AnnotatorPopulation(n_items=3, n_comparisons=100, n_groups=1, n_annotators=4, tie_margin=0.0)
    >>> c = pop.comparisons                      # the lower id always wins by a utility gap of 50
    >>> bool((c.winner == np.minimum(c.item_a, c.item_b)).all())
    True
    """
    owner = "annotator_population"
    n_items = check_int(n_items, "n_items", owner, low=2)
    n_comp = check_int(n_comparisons, "n_comparisons", owner, low=1)
    feats = None
    if features is not None:
        feats = check_array(features, "features", owner, dtype="float", ndim=2)
        if feats.shape[0] != n_items or feats.shape[1] < 1:
            fail("features", owner, f"an array of shape ({n_items}, d) with d >= 1 (one row per item)", feats)
    if group_utilities is not None:
        util = check_array(group_utilities, "group_utilities", owner, dtype="float", ndim=(1, 2))
        util = util.reshape(1, -1) if util.ndim == 1 else util
        if util.shape[1] != n_items or util.shape[0] < 1:
            fail("group_utilities", owner, f"an array of shape (n_groups, {n_items})", util)
        if n_groups is not None and check_int(n_groups, "n_groups", owner, low=1) != util.shape[0]:
            fail("n_groups", owner, f"equal to the number of rows of group_utilities ({util.shape[0]})", n_groups)
        n_groups = util.shape[0]
    elif n_groups is None:
        fail("group_utilities", owner, "given, or n_groups given so that utilities are drawn", None,
             show_got=False, hint="Pass group_utilities=array of shape (n_groups, n_items) or n_groups=int.")
    else:
        n_groups = check_int(n_groups, "n_groups", owner, low=1)
    if group_weights is None:
        shares = np.full(n_groups, 1.0 / n_groups)
    else:
        shares = check_probabilities(group_weights, "group_weights", owner)
        if shares.shape != (n_groups,):
            fail("group_weights", owner, f"a vector of {n_groups} probabilities (one per group)", shares)
    if np.ndim(annotators_per_group) == 0:
        k = check_int(annotators_per_group, "annotators_per_group", owner, low=1)
        sizes = np.full(n_groups, k, dtype=np.int64)
    else:
        sizes = check_array(annotators_per_group, "annotators_per_group", owner, dtype="int")
    if sizes.shape != (n_groups,) or np.any(sizes < 1):
        fail("annotators_per_group", owner, f"an int >= 1 or {n_groups} ints >= 1 (one per group)",
             annotators_per_group)
    eta = check_real(tie_margin, "tie_margin", owner, low=0.0)
    rng = check_rng(rng, owner)

    parameters = None
    if group_utilities is None:
        if feats is None:
            util = rng.standard_normal((n_groups, n_items))
        else:
            parameters = rng.standard_normal((n_groups, feats.shape[1]))
            util = parameters @ feats.T
    util = np.array(util, dtype=np.float64)

    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    annotator_group = np.repeat(np.arange(n_groups), sizes)
    group = rng.choice(n_groups, size=n_comp, p=shares)
    annotator = offsets[group] + rng.integers(0, sizes[group])
    item_a = rng.integers(0, n_items, size=n_comp)
    item_b = rng.integers(0, n_items - 1, size=n_comp)
    item_b = item_b + (item_b >= item_a)
    diff = util[group, item_a] - util[group, item_b]
    u = rng.random(n_comp)
    a_wins = u < _sigmoid(diff - eta)
    if eta == 0.0:  # plain Bradley-Terry: no tie band, not even a rounding-sized one
        winner = np.where(a_wins, item_a, item_b)
    else:
        b_wins = u >= 1.0 - _sigmoid(-diff - eta)
        winner = np.where(a_wins, item_a, np.where(b_wins, item_b, -1))
    comparisons = PairwiseComparisons(item_a, item_b, winner, annotator=annotator, features=feats,
                                      n_items=n_items, metadata={"culture": "annotator_population"})
    return AnnotatorPopulation(
        comparisons=comparisons,
        annotator_group=read_only(annotator_group),
        utilities=read_only(util),
        group_weights=read_only(np.array(shares)),
        parameters=None if parameters is None else read_only(parameters),
        tie_margin=eta,
    )
