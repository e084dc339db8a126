"""Cardinal (welfarist) rules on utility profiles: utilitarian, Nash, egalitarian and leximin.

Two families, both on a :class:`~mechanisms.profiles.UtilityProfile`:

* over **lotteries** (probabilistic rules; the "fair mixing" view of
  Bogomolnaia, Moulin and Stong 2005, the interesting one for alignment, where a
  policy can randomize): ``nash_welfare`` (maximize ``sum_i w_i log E_p[u_i]``),
  ``egalitarian`` (maximize ``min_i E_p[u_i]``) and ``leximin`` (maximize the
  sorted vector of expected utilities lexicographically).  They return the
  ``lottery``; ``winners`` is its support.  The utilitarian optimum over
  lotteries is any lottery over the utilitarian winners, so it has no lottery
  rule of its own.
* over **alternatives** (deterministic): ``utilitarian`` (weighted sum),
  ``nash_welfare_pure`` (product), ``egalitarian_pure`` (minimum) and
  ``leximin_pure``.  Winners are decided exactly: sums and products of the
  utilities (floats, i.e. exact binary rationals) are compared in rational
  arithmetic whenever two alternatives come within rounding distance.

Conventions stated in each docstring:

* weights are numbers of voters; a minimum ignores multiplicity, so weights
  only matter to ``utilitarian``, the Nash rules and ``leximin_pure`` (where a
  voter of weight ``w`` counts as ``w`` copies);
* ``normalize="none"`` (default) takes the utilities as given (interpersonal
  comparisons are the user's responsibility); ``normalize="range"`` rescales
  each voter to ``[0, 1]`` (``(u - min) / (max - min)``, relative
  utilitarianism, Dhillon and Mertens 1999) and leaves out voters who are
  indifferent between all alternatives;
* the Nash rules need nonnegative utilities (``normalize="range"`` makes them so);
* the optimal *expected utilities* of ``nash_welfare`` and ``leximin`` are unique,
  but the optimal lottery need not be (nor is ``egalitarian``'s optimum): the
  lottery rules return the most even optimal lottery -- leximin over
  probabilities among the optimal lotteries (:mod:`solvers.welfare`).  It is
  unique, so these rules are anonymous and neutral in their lotteries, clones get
  equal shares, and an alternative is a winner exactly when some optimal lottery
  gives it positive probability.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from solvers.validation import check_option, fail
from solvers.welfare import egalitarian_lottery, leximin_lottery, nash_welfare_lottery

from ._common import ranking_from_keys
from .registry import register_rule
from .result import Outcome

__all__ = ["utilitarian", "nash_welfare", "egalitarian", "leximin", "nash_welfare_pure", "egalitarian_pure",
           "leximin_pure"]

_NORMALIZE = ("none", "range")
_BMS = ("A. Bogomolnaia, H. Moulin and R. Stong, Collective choice under dichotomous preferences, "
        "J. Economic Theory 122 (2005) 165-184.")
_NASH = "J. F. Nash, The bargaining problem, Econometrica 18 (1950) 155-162."
_RAWLS = "J. Rawls, A Theory of Justice, Harvard University Press (1971)."
_SEN = "A. Sen, Collective Choice and Social Welfare, Holden-Day (1970)."
_HARSANYI = ("J. C. Harsanyi, Cardinal welfare, individualistic ethics, and interpersonal comparisons of "
             "utility, J. Political Economy 63 (1955) 309-321.")
_CARAGIANNIS = ("I. Caragiannis, D. Kurokawa, H. Moulin, A. D. Procaccia, N. Shah and J. Wang, The unreasonable "
                "fairness of maximum Nash welfare, ACM Trans. Econ. Comput. 7 (2019) 12:1-12:32.")
_SUPPORT_TOL = 1e-9


def _utilities(profile, normalize, owner):
    """Grouped (utilities, int weights) with zero weights dropped, normalized as asked."""
    normalize = check_option(normalize, "normalize", owner, _NORMALIZE)
    rows, weights = profile._grouped_arrays()
    keep = weights > 0
    U = np.asarray(rows[keep], dtype=np.float64)
    w = np.asarray(weights[keep], dtype=np.int64)
    if normalize == "range" and U.size:
        lo, hi = U.min(axis=1, keepdims=True), U.max(axis=1, keepdims=True)
        moved = (hi > lo).reshape(-1)
        U = (U[moved] - lo[moved]) / (hi[moved] - lo[moved])
        w = w[moved]
    return U, w


def _require_voters(U, owner, what="a voter of positive weight"):
    if U.shape[0] == 0:
        fail("profile", owner, f"a profile with {what}", show_got=False,
             hint="Every voter has weight 0 (or is indifferent and was left out by normalize='range').")


def _require_nonnegative(U, owner):
    if U.size and U.min() < 0:
        fail("profile", owner, "a profile of nonnegative utilities (Nash welfare takes logarithms)", show_got=False,
             hint=f"The smallest utility is {U.min():.6g}; pass normalize='range' to rescale each voter to [0, 1].")


def _exact_groups(values, exact, rtol=1e-9):
    """Exact ranking keys from float keys (higher is better; -inf allowed).

    Alternatives whose floats lie within ``rtol`` of a neighbour (in sorted order)
    form a cluster; inside a cluster they are compared by ``exact(a)`` (an exact
    rational of the same quantity), across clusters by the floats, which are
    further apart than their rounding errors.  Returns one tuple key per alternative.
    """
    m = len(values)
    vals = [float(v) for v in values]
    order = sorted(range(m), key=lambda a: vals[a])
    cluster = list(range(m))
    for pos in range(1, m):
        a, b = order[pos - 1], order[pos]
        va, vb = vals[a], vals[b]
        if va == vb or (np.isfinite(va) and np.isfinite(vb) and abs(vb - va) <= rtol * (1.0 + abs(va) + abs(vb))):
            cluster[b] = cluster[a]
    sizes = {}
    for a in range(m):
        sizes[cluster[a]] = sizes.get(cluster[a], 0) + 1
    keys = []
    for a in range(m):
        head = vals[cluster[a]]
        if sizes[cluster[a]] > 1 and np.isfinite(head):
            keys.append((head, exact(a)))
        else:
            keys.append((head, 0))
    return keys


def _lottery_outcome(result, owner):
    if result.x is None:  # pragma: no cover - solver failure on valid data
        fail("profile", owner, "a profile the solver can handle", show_got=False,
             hint=f"The solver returned status {result.status.value}: {result.info.message}")
    p = np.where(result.x > _SUPPORT_TOL, result.x, 0.0)
    p = p / p.sum()
    return Outcome(winners=np.flatnonzero(p > 0), lottery=p)


# ---------------------------------------------------------------------- lottery rules
@register_rule("nash_welfare", name="Nash welfare lottery", input_kind="utility", probabilistic=True,
               algorithms=("newton", "cvxpy"), references=(_BMS, _NASH),
               properties=("lottery", "pareto_efficient", "proportional"))
def nash_welfare(profile, *, normalize="none", algorithm="newton"):
    """Nash welfare lottery: maximize ``sum_i w_i log E_p[u_i]`` over lotteries ``p``.

    Parameters
    ----------
    profile : UtilityProfile
        Nonnegative utilities (or ``normalize="range"``).
    normalize : {"none", "range"}
        See the module docstring.

    Notes
    -----
    A concave program solved by :func:`solvers.welfare.nash_welfare_lottery`
    (active-set Newton on the simplex, KKT re-checked in numpy; ``algorithm="cvxpy"``
    uses the exponential cone instead).  Voters with zero utility for every
    alternative are left out.  ``lottery`` is the most even optimal lottery (leximin
    over probabilities among the optimal ones; anonymous and neutral); ``winners`` its
    support.  For dichotomous (0/1) utilities this is the
    Nash rule of Bogomolnaia, Moulin and Stong, which is proportional: a group of
    voters who approve only a common alternative gets probability at least their share.

    References
    ----------
    .. [1] A. Bogomolnaia, H. Moulin and R. Stong, "Collective choice under dichotomous
       preferences", *J. Economic Theory* 122 (2005) 165-184.
    .. [2] J. F. Nash, "The bargaining problem", *Econometrica* 18 (1950) 155-162.

    Examples
    --------
    >>> from mechanisms.profiles import UtilityProfile
    >>> u = UtilityProfile([[1.0, 0.0], [0.0, 1.0]], weights=[2, 1])
    >>> nash_welfare(u).lottery.round(9).tolist()
    [0.666666667, 0.333333333]
    """
    owner = "nash_welfare"
    U, w = _utilities(profile, normalize, owner)
    _require_nonnegative(U, owner)
    keep = U.max(axis=1) > 0 if U.size else np.zeros(0, dtype=bool)
    _require_voters(U[keep], owner, "a voter of positive weight with a positive utility")
    result = nash_welfare_lottery(U[keep], weights=w[keep], algorithm=algorithm)
    return _lottery_outcome(result, owner)


@register_rule("egalitarian", name="Egalitarian (maximin) lottery", input_kind="utility", probabilistic=True,
               algorithms=("lp",), references=(_RAWLS, _BMS), properties=("lottery",))
def egalitarian(profile, *, normalize="none"):
    """Egalitarian lottery: maximize the smallest expected utility ``min_i E_p[u_i]``.

    Parameters
    ----------
    profile : UtilityProfile
    normalize : {"none", "range"}
        See the module docstring.

    Notes
    -----
    A linear program (HiGHS through :func:`solvers.welfare.egalitarian_lottery`,
    certified by its duals).  Weights do not matter (a minimum).  The optimal
    lottery is often not unique; the most even one is returned (leximin over
    probabilities among the maximin-optimal lotteries, so the rule is anonymous and
    neutral; use ``leximin`` for a refinement that is Pareto efficient).  ``winners``
    is its support.

    References
    ----------
    .. [1] J. Rawls, *A Theory of Justice*, Harvard University Press (1971).
    .. [2] A. Bogomolnaia, H. Moulin and R. Stong, "Collective choice under dichotomous
       preferences", *J. Economic Theory* 122 (2005) 165-184.

    Examples
    --------
    >>> from mechanisms.profiles import UtilityProfile
    >>> egalitarian(UtilityProfile([[1.0, 0.0], [0.0, 3.0]])).lottery.round(9).tolist()
    [0.75, 0.25]
    """
    owner = "egalitarian"
    U, w = _utilities(profile, normalize, owner)
    _require_voters(U, owner)
    return _lottery_outcome(egalitarian_lottery(U), owner)


@register_rule("leximin", name="Leximin lottery", input_kind="utility", probabilistic=True,
               algorithms=("lp_sequence",), references=(_SEN, _BMS),
               properties=("lottery", "pareto_efficient"))
def leximin(profile, *, normalize="none"):
    """Leximin lottery: maximize the sorted vector of expected utilities lexicographically.

    Parameters
    ----------
    profile : UtilityProfile
    normalize : {"none", "range"}
        See the module docstring.

    Notes
    -----
    A sequence of linear programs (:func:`solvers.welfare.leximin_lottery`): maximize
    the minimum, fix the voters who cannot get more, maximize the minimum of the
    others, and so on.  The leximin expected-utility vector is unique; the lottery
    need not be, and the most even one is returned (leximin over probabilities among
    the leximin-optimal lotteries; anonymous and neutral).  Weights do not matter
    (copies of a voter are treated alike by the procedure).  ``winners`` is the
    support of the lottery.

    References
    ----------
    .. [1] A. Sen, *Collective Choice and Social Welfare*, Holden-Day (1970).
    .. [2] A. Bogomolnaia, H. Moulin and R. Stong, "Collective choice under dichotomous
       preferences", *J. Economic Theory* 122 (2005) 165-184.

    Examples
    --------
    >>> from mechanisms.profiles import UtilityProfile
    >>> u = UtilityProfile([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    >>> leximin(u).lottery.round(9).tolist()
    [0.5, 0.5, 0.0]
    """
    owner = "leximin"
    U, w = _utilities(profile, normalize, owner)
    _require_voters(U, owner)
    return _lottery_outcome(leximin_lottery(U), owner)


# ---------------------------------------------------------------------- deterministic rules
def _everyone_ties(m) -> Outcome:
    """The outcome on a profile without voters: every alternative wins, all tied."""
    return Outcome(winners=range(m), ranking=(tuple(range(m)),), scores=np.zeros(m))


def _ranked_outcome(keys, scores) -> Outcome:
    """Rank by ``keys`` (higher is better, equal keys tie); the top group wins."""
    ranking = ranking_from_keys(keys)
    return Outcome(winners=ranking[0], ranking=ranking, scores=scores)


def _exact_sum(U, w, a) -> Fraction:
    return sum((int(wi) * Fraction(float(u)) for wi, u in zip(w, U[:, a])), Fraction(0))


@register_rule("utilitarian", name="Utilitarian", input_kind="utility", algorithms=("exact_sum",),
               references=(_HARSANYI,), properties=("scores", "ranks", "pareto_efficient"))
def utilitarian(profile, *, normalize="none"):
    """Utilitarian rule: the alternatives with the largest weighted sum of utilities.

    Parameters
    ----------
    profile : UtilityProfile
    normalize : {"none", "range"}
        ``"range"`` gives relative utilitarianism (Dhillon and Mertens 1999).

    Notes
    -----
    ``scores`` are the weighted sums (float64, higher is better); winners and the
    ranking are decided exactly (near-equal sums are compared as exact rationals).
    Over lotteries the utilitarian optimum is any lottery over these winners.

    References
    ----------
    .. [1] J. C. Harsanyi, "Cardinal welfare, individualistic ethics, and interpersonal
       comparisons of utility", *J. Political Economy* 63 (1955) 309-321.
    .. [2] A. Dhillon and J.-F. Mertens, "Relative utilitarianism", *Econometrica* 67
       (1999) 471-498.

    Examples
    --------
    >>> from mechanisms.profiles import UtilityProfile
    >>> r = utilitarian(UtilityProfile([[0.1, 0.2, 0.0], [0.2, 0.1, 0.0]]))
    >>> r.winners, r.ranking
    ((0, 1), ((0, 1), (2,)))
    """
    owner = "utilitarian"
    U, w = _utilities(profile, normalize, owner)
    m = profile.n_alternatives
    if U.shape[0] == 0:
        return _everyone_ties(m)
    sums = w.astype(np.float64) @ U
    keys = _exact_groups(sums, lambda a: _exact_sum(U, w, a))
    return _ranked_outcome(keys, sums)


def _nash_key(U, w, a):
    col = U[:, a]
    positive = col > 0
    count = int(w[positive].sum())
    logsum = float(w[positive] @ np.log(col[positive])) if positive.any() else 0.0
    return count, logsum


def _exact_product(U, w, a) -> Fraction:
    col = U[:, a]
    out = Fraction(1)
    for wi, u in zip(w, col):
        if u > 0:
            out *= Fraction(float(u)) ** int(wi)
    return out


@register_rule("nash_welfare_pure", name="Nash welfare (deterministic)", input_kind="utility",
               algorithms=("exact_product",), references=(_NASH, _CARAGIANNIS), properties=("scores", "ranks"))
def nash_welfare_pure(profile, *, normalize="none"):
    """Deterministic Nash welfare: the alternatives with the largest product of utilities.

    Parameters
    ----------
    profile : UtilityProfile
        Nonnegative utilities (or ``normalize="range"``).
    normalize : {"none", "range"}

    Notes
    -----
    Alternatives are compared first by the (weighted) number of voters with
    positive utility, then by the product of those positive utilities (each to
    the power of its weight): the convention of Caragiannis et al. for
    zero utilities.  ``scores`` are ``sum_i w_i log u_i`` over all voters
    (``-inf`` when some voter has utility 0); winners and ranking are decided
    exactly (near-equal products are compared as exact rationals).

    References
    ----------
    .. [1] J. F. Nash, "The bargaining problem", *Econometrica* 18 (1950) 155-162.
    .. [2] I. Caragiannis, D. Kurokawa, H. Moulin, A. D. Procaccia, N. Shah and J. Wang,
       "The unreasonable fairness of maximum Nash welfare", *ACM Trans. Econ. Comput.*
       7 (2019) 12:1-12:32.

    Examples
    --------
    >>> from mechanisms.profiles import UtilityProfile
    >>> nash_welfare_pure(UtilityProfile([[4.0, 2.0, 9.0], [1.0, 2.0, 0.0]])).ranking
    ((0, 1), (2,))
    """
    owner = "nash_welfare_pure"
    U, w = _utilities(profile, normalize, owner)
    _require_nonnegative(U, owner)
    m = profile.n_alternatives
    if U.shape[0] == 0:
        return _everyone_ties(m)
    keys_raw = [_nash_key(U, w, a) for a in range(m)]
    total = int(w.sum())
    with np.errstate(divide="ignore"):
        scores = np.array([s if c == total else -np.inf for c, s in keys_raw])
    keys = []
    for count in sorted({c for c, _ in keys_raw}):
        members = [a for a in range(m) if keys_raw[a][0] == count]
        sub = _exact_groups([keys_raw[a][1] for a in members], lambda i: _exact_product(U, w, members[i]))
        for a, k in zip(members, sub):
            keys.append((a, (count,) + k))
    key_of = dict(keys)
    return _ranked_outcome([key_of[a] for a in range(m)], scores)


@register_rule("egalitarian_pure", name="Egalitarian (maximin, deterministic)", input_kind="utility",
               algorithms=("exact",), references=(_RAWLS,), properties=("scores", "ranks"))
def egalitarian_pure(profile, *, normalize="none"):
    """Deterministic egalitarian rule: the alternatives whose worst-off voter is best off.

    Parameters
    ----------
    profile : UtilityProfile
    normalize : {"none", "range"}

    Notes
    -----
    ``scores`` are ``min_i u_i(a)`` over voters of positive weight (exact; higher is
    better).  Weights do not matter.

    References
    ----------
    .. [1] J. Rawls, *A Theory of Justice*, Harvard University Press (1971).

    Examples
    --------
    >>> from mechanisms.profiles import UtilityProfile
    >>> egalitarian_pure(UtilityProfile([[3.0, 1.0, 2.0], [0.0, 5.0, 2.0]])).ranking
    ((2,), (1,), (0,))
    """
    owner = "egalitarian_pure"
    U, w = _utilities(profile, normalize, owner)
    m = profile.n_alternatives
    if U.shape[0] == 0:
        return _everyone_ties(m)
    scores = U.min(axis=0)
    return _ranked_outcome([float(v) for v in scores], scores)


@register_rule("leximin_pure", name="Leximin (deterministic)", input_kind="utility", algorithms=("exact",),
               references=(_SEN,), properties=("scores", "ranks", "pareto_efficient"))
def leximin_pure(profile, *, normalize="none"):
    """Deterministic leximin: compare alternatives by their sorted utility vectors, lexicographically.

    Parameters
    ----------
    profile : UtilityProfile
    normalize : {"none", "range"}

    Notes
    -----
    A voter of weight ``w`` counts as ``w`` copies.  Exact comparisons.  ``scores``
    are the minima (the first criterion).

    References
    ----------
    .. [1] A. Sen, *Collective Choice and Social Welfare*, Holden-Day (1970).

    Examples
    --------
    >>> from mechanisms.profiles import UtilityProfile
    >>> leximin_pure(UtilityProfile([[1.0, 1.0, 0.0], [2.0, 3.0, 9.0]])).ranking
    ((1,), (0,), (2,))
    """
    owner = "leximin_pure"
    U, w = _utilities(profile, normalize, owner)
    m = profile.n_alternatives
    if U.shape[0] == 0:
        return _everyone_ties(m)
    expanded = np.repeat(U, w, axis=0) if int(w.sum()) <= 1_000_000 else None
    if expanded is None:  # pragma: no cover - enormous weights: sort values with multiplicities
        keys = []
        for a in range(m):
            order = np.argsort(U[:, a], kind="stable")
            keys.append(tuple(v for i in order for v in [float(U[i, a])] * int(w[i])))
    else:
        keys = [tuple(np.sort(expanded[:, a]).tolist()) for a in range(m)]
    return _ranked_outcome(keys, U.min(axis=0))

