"""Ordinal cultures over complete strict rankings: IC, IAC, Pólya urn, Mallows, Plackett-Luce."""

from __future__ import annotations

import math

import numpy as np

from solvers.validation import check_array, check_bool, check_int, check_real, check_rng, fail

from ._common import check_permutation, check_sizes, read_only, strict_profile

__all__ = [
    "impartial_culture",
    "impartial_anonymous_culture",
    "urn",
    "mallows",
    "normalized_mallows_phi",
    "plackett_luce",
]


def _uniform_rankings(n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` independent uniform permutations of ``0..m-1``, one per row."""
    return rng.permuted(np.broadcast_to(np.arange(m, dtype=np.int64), (n, m)), axis=1)


def _urn_sources(n: int, growth: float, rng: np.random.Generator) -> np.ndarray:
    """For every voter of a Pólya urn, the earlier voter whose ballot it repeats (itself if fresh).

    Voter ``t`` (0-based) draws a fresh uniform ranking with probability
    ``1 / (1 + t * growth)`` and otherwise copies a uniformly chosen earlier
    voter; chains of copies are resolved by pointer jumping (``log n`` rounds).
    """
    t = np.arange(n)
    fresh = rng.random(n) * (1.0 + t * growth) < 1.0
    source = rng.integers(0, np.maximum(t, 1))
    source = np.where(fresh, t, source)
    while True:
        jumped = source[source]
        if np.array_equal(jumped, source):
            return source
        source = jumped


def impartial_culture(n_voters, n_alternatives, *, rng=None):
    """Impartial culture: every voter draws a uniformly random strict ranking, independently.

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1); the profile has one ballot row per voter.
    n_alternatives : int
        Number of alternatives (>= 1).
    rng : numpy.random.Generator, int or None
        Source of randomness (a Generator, a seed, or None for fresh entropy).

    Returns
    -------
    Profile
        Strict complete rankings; ``metadata["culture"] == "impartial_culture"``.

    References
    ----------
    G.-Th. Guilbaud (1952). Les théories de l'intérêt général et le problème logique de
    l'agrégation. *Économie appliquée* 5(4), 501-584.

    W. V. Gehrlein and D. Lepelley (2011). *Voting Paradoxes and Group Coherence*. Springer.

    Examples
    --------
    >>> from mechanisms.generators import impartial_culture
    >>> profile = impartial_culture(6, 4, rng=0)
    >>> profile.n_voters, profile.n_alternatives, profile.kind
    (6, 4, 'soc')
    """
    owner = "impartial_culture"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    rng = check_rng(rng, owner)
    return strict_profile(_uniform_rankings(n, m, rng), {"culture": "impartial_culture"})


def impartial_anonymous_culture(n_voters, n_alternatives, *, rng=None):
    """Impartial anonymous culture (IAC): every *anonymous* profile is equally likely.

    An anonymous profile is a multiset of ``n_voters`` rankings, that is, a
    weak composition of ``n_voters`` into ``m!`` parts (how many voters hold each
    ranking); IAC is the uniform distribution over these
    ``C(n + m! - 1, m! - 1)`` compositions.  It is sampled exactly, without
    enumerating the ``m!`` rankings, as the Pólya-Eggenberger urn that returns
    one extra copy of every drawn ranking (:func:`urn` with ``alpha = 1/m!``):
    that urn's count vector is Dirichlet-multinomial with all parameters 1,
    which is uniform over compositions.  Cost is ``O(n m + n log n)``.

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1); the profile has one ballot row per voter, in draw order.
    n_alternatives : int
        Number of alternatives (>= 1).
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    Profile
        Strict complete rankings; ``metadata["culture"] == "impartial_anonymous_culture"``.

    References
    ----------
    K. Kuga and H. Nagatani (1974). Voter antagonism and the paradox of voting.
    *Econometrica* 42(6), 1045-1067.

    W. V. Gehrlein and P. C. Fishburn (1976). The probability of the paradox of voting:
    a computable solution. *Journal of Economic Theory* 13(1), 14-25.

    Examples
    --------
    >>> from mechanisms.generators import impartial_anonymous_culture
    >>> profile = impartial_anonymous_culture(10, 3, rng=1)
    >>> profile.n_voters, profile.is_strict, profile.is_complete
    (10, True, True)
    """
    owner = "impartial_anonymous_culture"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    rng = check_rng(rng, owner)
    # Beyond m = 170, 1/m! < 1e-306: a repeated ballot has probability < n^2 / m!, so we sample IC.
    growth = 1.0 / math.factorial(m) if m <= 170 else 0.0
    rankings = _uniform_rankings(n, m, rng)[_urn_sources(n, growth, rng)]
    return strict_profile(rankings, {"culture": "impartial_anonymous_culture"})


def urn(n_voters, n_alternatives, *, alpha, rng=None):
    """Pólya-Eggenberger urn culture with replacement parameter ``alpha``.

    The urn starts with one ball of each of the ``m!`` rankings.  Voters draw in
    turn; the drawn ranking is the voter's ballot and goes back into the urn
    together with ``alpha * m!`` further copies of it.  Equivalently, voter ``t``
    (0-based) draws a uniform ranking with probability ``1 / (1 + t * alpha)`` and
    otherwise repeats the ballot of a uniformly chosen earlier voter.  This is the
    convention of ``prefsampling`` (which ``pref_voting`` calls): ``alpha = 0`` is
    impartial culture, ``alpha = 1/m!`` is the impartial anonymous culture, and
    larger ``alpha`` gives more homogeneous profiles.  For ``n = 2`` the two voters agree with probability
    ``(1 + alpha * m!) / (m! * (1 + alpha))``.  In general an anonymous profile with
    ranking counts ``c_r`` has probability
    ``n! / prod_r c_r! * prod_r [1]^(c_r) / [m!]^(n)`` with rising products
    ``[x]^(k) = x (x + a) ... (x + (k - 1) a)`` and ``a = alpha * m!`` (Berg 1985).

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1); one ballot row per voter, in draw order.
    n_alternatives : int
        Number of alternatives (>= 1).
    alpha : float
        Replacement parameter, a finite real >= 0 (copies added per draw, as a
        multiple of ``m!``).
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    Profile
        Strict complete rankings; ``metadata`` records ``culture`` and ``alpha``.

    References
    ----------
    F. Eggenberger and G. Pólya (1923). Über die Statistik verketteter Vorgänge.
    *Zeitschrift für Angewandte Mathematik und Mechanik* 3(4), 279-289.

    S. Berg (1985). Paradox of voting under an urn model: the effect of homogeneity.
    *Public Choice* 47(2), 377-387.

    D. Lepelley and F. Valognes (2003). Voting rules, manipulability and social
    homogeneity. *Public Choice* 116(1-2), 165-184.

    Examples
    --------
    >>> from mechanisms.generators import urn
    >>> profile = urn(50, 4, alpha=1e9, rng=2)      # all voters repeat the first ballot
    >>> len(profile.grouped().weights)
    1
    """
    owner = "urn"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    alpha = check_real(alpha, "alpha", owner, low=0.0)
    rng = check_rng(rng, owner)
    rankings = _uniform_rankings(n, m, rng)[_urn_sources(n, alpha, rng)]
    return strict_profile(rankings, {"culture": "urn", "alpha": alpha})


def _mallows_expected_swaps(phi: float, m: int) -> float:
    """Expected Kendall-tau distance to the reference under Mallows(phi) on ``m`` alternatives.

    The repeated insertion model makes the distance a sum of independent
    truncated geometric variables ``V_j`` on ``{0, ..., j}`` (``j = 1..m-1``) with
    ``P(V_j = k) ∝ phi^k``, whose means are
    ``1/(e^x - 1) - (j+1)/(e^{(j+1)x} - 1)`` with ``x = -log(phi)``.
    """
    if m < 2:
        return 0.0
    sizes = np.arange(2, m + 1, dtype=np.float64)  # support sizes j + 1
    if phi <= 0.0:
        return 0.0
    x = -math.log(phi)
    if x < 1e-10:  # phi within 1e-10 of 1: the uniform means (j/2), to relative error ~x*m
        return float(np.sum((sizes - 1.0) / 2.0))
    with np.errstate(over="ignore"):
        means = 1.0 / math.expm1(x) - sizes / np.expm1(sizes * x)
    return float(np.sum(means))


def normalized_mallows_phi(norm_phi, n_alternatives):
    """The Mallows dispersion ``phi`` whose expected swap distance is ``norm_phi`` of the uniform one.

    Boehmer et al. (2021) normalise Mallows' model so that its parameter means
    the same thing for every number of alternatives ``m``: ``norm_phi`` is the
    expected Kendall-tau (swap) distance between a sampled ranking and the
    reference, relative to its value ``m (m - 1) / 4`` under impartial culture.
    So ``norm_phi = 0`` gives ``phi = 0`` (every voter reports the reference),
    ``norm_phi = 1`` gives ``phi = 1`` (impartial culture), and ``norm_phi = 0.5``
    gives the ``phi`` at which a ranking is expected to be halfway, in swaps,
    between the reference and a uniformly random ranking.  The expected distance
    is increasing in ``phi`` and is computed in closed form; ``phi`` is found by
    Brent's method to within ``1e-13``.

    Parameters
    ----------
    norm_phi : float
        Relative expected swap distance, in [0, 1].
    n_alternatives : int
        Number of alternatives ``m`` (>= 1).  For ``m = 1`` every ``phi`` gives the
        same (only) ranking and ``norm_phi`` is returned unchanged.

    Returns
    -------
    float
        The dispersion ``phi`` in [0, 1].

    References
    ----------
    N. Boehmer, R. Bredereck, P. Faliszewski, R. Niedermeier and S. Szufa (2021).
    Putting a compass on the map of elections. *IJCAI 2021*, 59-65.

    N. Boehmer, P. Faliszewski and S. Kraiczy (2023). Properties of the Mallows model
    depending on the number of alternatives: a warning for an experimentalist.
    *ICML 2023*, PMLR 202, 2689-2711.

    Examples
    --------
    For two alternatives the expected distance is ``phi / (1 + phi)``, so
    ``norm_phi = 0.5`` means ``phi / (1 + phi) = 0.25``, i.e. ``phi = 1/3``:

    >>> from mechanisms.generators import normalized_mallows_phi
    >>> round(normalized_mallows_phi(0.5, 2), 12)
    0.333333333333
    """
    owner = "normalized_mallows_phi"
    norm_phi = check_real(norm_phi, "norm_phi", owner, low=0.0, high=1.0)
    m = check_int(n_alternatives, "n_alternatives", owner, low=1)
    if m < 2 or norm_phi in (0.0, 1.0):
        return norm_phi
    from scipy.optimize import brentq

    target = norm_phi * m * (m - 1) / 4.0
    return float(brentq(lambda p: _mallows_expected_swaps(p, m) - target, 0.0, 1.0,
                        xtol=1e-14, rtol=4 * np.finfo(float).eps))


def _repeated_insertion(n: int, m: int, phi: float, rng: np.random.Generator) -> np.ndarray:
    """Mallows rankings of the reference positions ``0..m-1`` by repeated insertion, vectorized over voters.

    Position ``j`` of the reference is inserted into the ranking of positions
    ``0..j-1`` at slot ``s`` (``0..j``) with probability ``∝ phi^(j - s)``: it then
    sits above ``j - s`` alternatives that the reference puts above it, so the
    final ranking has probability ``∝ phi^(Kendall-tau distance)``.
    """
    order = np.zeros((n, m), dtype=np.int64)
    cols = np.arange(m)
    for j in range(1, m):
        w = phi ** np.arange(j, -1, -1, dtype=np.float64)  # slot s has weight phi^(j - s); 0**0 == 1
        slot = rng.choice(j + 1, size=n, p=w / w.sum())[:, None]
        prev = order[:, :j]
        left = np.concatenate([prev, np.zeros((n, 1), dtype=np.int64)], axis=1)
        right = np.concatenate([np.zeros((n, 1), dtype=np.int64), prev], axis=1)
        c = cols[None, : j + 1]
        order[:, : j + 1] = np.where(c < slot, left, np.where(c == slot, j, right))
    return order


def mallows(n_voters, n_alternatives, *, phi, reference=None, normalized=False, rng=None):
    """Mallows' model: rankings drawn with probability ``∝ phi ** KendallTau(ranking, reference)``.

    Voters are independent.  ``phi = 0`` makes every voter report ``reference``;
    ``phi = 1`` is impartial culture.  Sampling uses the repeated insertion model
    (Doignon et al. 2004), vectorized over voters (a Python loop runs over the
    ``m`` alternatives only; cost ``O(n m^2)``).

    With ``normalized=True``, ``phi`` is read as the *normalized* dispersion of
    Boehmer et al. (2021): the expected swap distance to the reference as a
    fraction of its impartial-culture value ``m (m - 1) / 4`` (see
    :func:`normalized_mallows_phi`).  The dispersion actually used is stored in
    ``metadata["phi"]``; the argument is ``metadata["norm_phi"]``.

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1).
    n_alternatives : int
        Number of alternatives ``m`` (>= 1).
    phi : float
        Dispersion in [0, 1] (or normalized dispersion in [0, 1] when ``normalized``).
    reference : array_like of int, optional
        The central ranking (alternative ids, best first); default ``0, 1, ..., m-1``.
    normalized : bool
        Read ``phi`` as the normalized dispersion ``norm_phi``.
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    Profile
        Strict complete rankings; ``metadata`` records ``culture``, ``phi``,
        ``reference`` and (if normalized) ``norm_phi``.

    References
    ----------
    C. L. Mallows (1957). Non-null ranking models. I. *Biometrika* 44(1-2), 114-130.

    J.-P. Doignon, A. Pekeč and M. Regenwetter (2004). The repeated insertion model for
    rankings: missing link between two subset choice models. *Psychometrika* 69(1), 33-54.

    N. Boehmer, R. Bredereck, P. Faliszewski, R. Niedermeier and S. Szufa (2021).
    Putting a compass on the map of elections. *IJCAI 2021*, 59-65.

    Examples
    --------
    >>> from mechanisms.generators import mallows
    >>> profile = mallows(3, 4, phi=0.0, reference=[2, 0, 3, 1], rng=0)
    >>> profile.to_rankings().tolist()
    [[2, 0, 3, 1], [2, 0, 3, 1], [2, 0, 3, 1]]
    """
    owner = "mallows"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    phi = check_real(phi, "phi", owner, low=0.0, high=1.0)
    normalized = check_bool(normalized, "normalized", owner)
    ref = np.arange(m, dtype=np.int64) if reference is None else check_permutation(reference, "reference", owner, m)
    rng = check_rng(rng, owner)
    metadata = {"culture": "mallows"}
    if normalized:
        metadata["norm_phi"] = phi
        phi = normalized_mallows_phi(phi, m)
    metadata["phi"] = phi
    metadata["reference"] = read_only(np.array(ref))
    return strict_profile(ref[_repeated_insertion(n, m, phi, rng)], metadata)


def plackett_luce(n_voters, n_alternatives, *, weights, rng=None):
    """Plackett-Luce rankings: repeatedly pick the next alternative with probability ∝ its weight.

    A ranking ``r`` has probability ``prod_k w[r_k] / (w[r_k] + ... + w[r_{m-1}])``.
    Sampling uses the Gumbel-max trick: sorting ``log w + G`` with independent
    standard Gumbel noise ``G`` in decreasing order gives exactly this law
    (Yellott 1977); fully vectorized.

    Parameters
    ----------
    n_voters : int
        Number of voters (>= 1).
    n_alternatives : int
        Number of alternatives ``m`` (>= 1).
    weights : array_like of float, shape (m,)
        Strictly positive, finite Plackett-Luce weights (scale-free).
    rng : numpy.random.Generator, int or None
        Source of randomness.

    Returns
    -------
    Profile
        Strict complete rankings; ``metadata`` records ``culture`` and the ``weights``.

    References
    ----------
    R. L. Plackett (1975). The analysis of permutations. *Journal of the Royal Statistical
    Society C* 24(2), 193-202.

    R. D. Luce (1959). *Individual Choice Behavior*. Wiley.

    J. I. Yellott (1977). The relationship between Luce's choice axiom, Thurstone's theory of
    comparative judgment, and the double exponential distribution. *Journal of
    Mathematical Psychology* 15(2), 109-144.

    Examples
    --------
    >>> from mechanisms.generators import plackett_luce
    >>> profile = plackett_luce(4, 3, weights=[1e300, 1.0, 1e-300], rng=0)
    >>> profile.to_rankings().tolist()
    [[0, 1, 2], [0, 1, 2], [0, 1, 2], [0, 1, 2]]
    """
    owner = "plackett_luce"
    n, m = check_sizes(n_voters, n_alternatives, owner)
    w = check_array(weights, "weights", owner, dtype="float", shape=(m,))
    if np.any(w <= 0):
        fail("weights", owner, f"a vector of {m} strictly positive finite reals", w,
             hint="An alternative that is never chosen early needs a small positive weight, not 0.")
    rng = check_rng(rng, owner)
    keys = np.log(w)[None, :] + rng.gumbel(size=(n, m))
    rankings = np.argsort(-keys, axis=1, kind="stable").astype(np.int64)
    return strict_profile(rankings, {"culture": "plackett_luce", "weights": read_only(np.array(w))})
