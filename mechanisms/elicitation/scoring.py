"""Proper scoring rules over a finite outcome set, built from a convex generator.

Orientation
-----------
Every score here is **positively oriented: higher is better** for the
forecaster (it is the payment).  Where the literature uses a *loss* (the Brier
score, the log loss, the ranked probability score, CRPS), each function takes
``orientation="loss"``, which returns ``S(e_y, y) - S(p, y)``: the shortfall
from a perfect forecast.  It is nonnegative for every proper rule, zero for a
confident correct forecast, and equals the literature's loss for the named
rules (log loss ``-log p_y``; Brier ``||p - e_y||^2``; RPS).

Representation
--------------
A rule is a :class:`ScoringRule`.  The Savage (1971) / Gneiting-Raftery (2007)
representation builds it from a convex *generator* ``G`` on the simplex::

    S(p, y) = G(p) + <grad G(p), e_y - p>

so that the expected score of an honest forecaster is ``G(q)`` and the loss
from reporting ``p`` instead of one's belief ``q`` is the Bregman divergence
``D_G(q, p) = G(q) - G(p) - <grad G(p), q - p>`` (see
:func:`~mechanisms.elicitation.check_properness`).

Reports
-------
A multiclass report is a probability vector on the last axis,
``report[..., n_outcomes]``; leading axes are batch axes broadcast against
``outcome``.  With ``binary=True`` a report is the probability of outcome 1 and
the outcome is 0 or 1 (the rule is applied to ``(1 - r, r)``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from solvers.validation import check_array, check_int, check_option, check_probabilities, check_real, fail

__all__ = [
    "ScoringRule",
    "LOGARITHMIC",
    "QUADRATIC",
    "SPHERICAL",
    "RANKED_PROBABILITY",
    "LINEAR",
    "pseudo_spherical",
    "log_score",
    "quadratic_score",
    "spherical_score",
    "pseudo_spherical_score",
    "ranked_probability_score",
    "expected_score",
]

_ORIENTATIONS = ("score", "loss")
_PROB_ATOL = 1e-6


# --------------------------------------------------------------------------- input handling

def _as_reports(report: Any, owner: str, *, binary: bool, name: str = "report") -> np.ndarray:
    """Validated probability vectors ``(..., n)`` (binary reports are expanded to ``(1 - r, r)``)."""
    if binary:
        r = check_array(report, name, owner)
        if r.size and (np.any(r < 0) or np.any(r > 1)):
            fail(name, owner, "probabilities in [0, 1] (binary=True: the probability of outcome 1)", r)
        return np.stack([1.0 - r, r], axis=-1)
    p = check_array(report, name, owner)
    if p.ndim == 0 or p.shape[-1] < 2:
        fail(name, owner, "an array of probability vectors over at least 2 outcomes on the last axis", p,
             hint="For a probability of a binary event pass binary=True.")
    return check_probabilities(p, name, owner, atol=_PROB_ATOL)


def _as_outcomes(outcome: Any, n: int, owner: str) -> np.ndarray:
    y = check_array(outcome, "outcome", owner, dtype="int")
    if y.size and (y.min() < 0 or y.max() >= n):
        fail("outcome", owner, f"integers in [0, {n - 1}] (outcome indices)", y)
    return y


def _pick(scores: np.ndarray, outcome: np.ndarray, owner: str) -> np.ndarray:
    """``scores[..., y]`` with ``outcome`` broadcast against the batch shape."""
    try:
        shape = np.broadcast_shapes(scores.shape[:-1], outcome.shape)
    except ValueError:
        fail("outcome", owner, f"broadcastable to the report's batch shape {scores.shape[:-1]}", outcome)
    scores = np.broadcast_to(scores, shape + scores.shape[-1:])
    y = np.broadcast_to(outcome, shape)
    return np.take_along_axis(scores, y[..., None], axis=-1)[..., 0]


def _masked_dot(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``sum(weights * values, -1)`` with the convention ``0 * (+-inf) = 0``."""
    with np.errstate(invalid="ignore"):
        prod = np.where(weights > 0, weights * values, 0.0)
    return prod.sum(axis=-1)


# --------------------------------------------------------------------------- the rule object

def _representation_scores(generator: Callable, gradient: Callable, p: np.ndarray) -> np.ndarray:
    g = np.asarray(generator(p), dtype=float)
    grad = np.asarray(gradient(p), dtype=float)
    return g[..., None] + grad - np.sum(grad * p, axis=-1, keepdims=True)


def _directional(generator: Callable, p: np.ndarray, direction: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """One-sided second-order derivative of ``G`` at ``p`` along ``direction`` (stays in the simplex)."""
    g0 = np.asarray(generator(p), dtype=float)
    g1 = np.asarray(generator(p + step * direction), dtype=float)
    g2 = np.asarray(generator(p + 2 * step * direction), dtype=float)
    return (-3.0 * g0 + 4.0 * g1 - g2) / (2.0 * step)


def _numerical_scores(generator: Callable, p: np.ndarray) -> np.ndarray:
    n = p.shape[-1]
    eye = np.eye(n)
    g = np.asarray(generator(p), dtype=float)
    out = np.empty(p.shape, dtype=float)
    for y in range(n):
        out[..., y] = g + _directional(generator, p, eye[y] - p)
    return out


@dataclasses.dataclass(frozen=True, repr=False)
class ScoringRule:
    """A scoring rule for forecasts of a finite outcome, positively oriented (higher is better).

    Build one from a convex generator with :meth:`from_generator`, or from an
    arbitrary score function with :meth:`from_scores` (which need not be
    proper: :func:`~mechanisms.elicitation.check_properness` finds out).  The
    named rules are instances: :data:`LOGARITHMIC`, :data:`QUADRATIC`,
    :data:`SPHERICAL`, :data:`RANKED_PROBABILITY`, ``pseudo_spherical(alpha)``.

    Parameters
    ----------
    name : str
        Display name.
    scores : callable, optional
        ``scores(p) -> array (..., n)``: the score of report ``p`` (probability
        vectors on the last axis) for every outcome.  When omitted it is
        derived from ``generator`` and ``gradient`` by the Savage
        representation ``S(p, y) = G(p) + <grad G(p), e_y - p>``.
    generator : callable, optional
        ``G(p) -> array (...)``, convex on the simplex: the expected score of an
        honest forecaster.
    gradient : callable, optional
        ``grad G(p) -> array (..., n)`` (any element of the subdifferential;
        adding a constant vector does not change the rule).
    bounds : callable, optional
        ``bounds(n_outcomes) -> (lowest, highest)`` score of the *unscaled*
        rule over all reports and outcomes (``-inf`` when unbounded); needed by
        :func:`~mechanisms.elicitation.scale_to_budget`.
    references : tuple of str
        The papers that define the rule.
    scale, offset : float
        The rule is ``scale * S + offset`` (``scale > 0``); use :meth:`affine`.

    References
    ----------
    .. [1] L. J. Savage, "Elicitation of personal probabilities and
       expectations", JASA 66(336), 783-801, 1971.
    .. [2] T. Gneiting and A. E. Raftery, "Strictly proper scoring rules,
       prediction, and estimation", JASA 102(477), 359-378, 2007.

    Examples
    --------
    >>> import numpy as np
    >>> from mechanisms.elicitation import ScoringRule, QUADRATIC
    >>> float(QUADRATIC([0.7, 0.2, 0.1], 0))      # 2 p_y - ||p||^2
    0.86
    >>> brier = ScoringRule.from_generator(lambda p: np.sum(p**2, -1), lambda p: 2 * p, name="brier")
    >>> float(brier([0.7, 0.2, 0.1], 0))
    0.86
    """

    name: str
    scores: Callable | None = None
    generator: Callable | None = None
    gradient: Callable | None = None
    bounds: Callable | None = None
    references: tuple[str, ...] = ()
    scale: float = 1.0
    offset: float = 0.0

    def __post_init__(self):
        owner = "ScoringRule"
        if not isinstance(self.name, str) or not self.name:
            fail("name", owner, "a nonempty str", self.name)
        if self.scores is None and self.generator is None:
            fail("scores", owner, "given (a callable p -> scores for every outcome) unless a generator is",
                 self.scores, hint="Use ScoringRule.from_generator(G, grad_G) or ScoringRule.from_scores(f).")
        for field in ("scores", "generator", "gradient", "bounds"):
            value = getattr(self, field)
            if value is not None and not callable(value):
                fail(field, owner, "a callable or None", value)
        check_real(self.scale, "scale", owner, low=0.0, low_open=True)
        check_real(self.offset, "offset", owner)
        object.__setattr__(self, "references", tuple(self.references))

    # -- constructors -----------------------------------------------------------------------
    @classmethod
    def from_generator(cls, generator: Callable, gradient: Callable | None = None, *, name: str,
                       bounds: Callable | None = None, references: tuple[str, ...] = ()) -> ScoringRule:
        """The rule ``S(p, y) = G(p) + <grad G(p), e_y - p>`` of a convex generator ``G``.

        Without ``gradient`` the directional derivatives are taken numerically
        (one-sided, inside the simplex; about 1e-8 accurate where ``G`` is
        differentiable), so ``G`` need only be defined on the simplex.  Where
        the derivative is infinite (the entropy at a face) the numerical score
        is only a finite approximation of ``-inf``.
        """
        if not callable(generator):
            fail("generator", "ScoringRule.from_generator", "a callable p -> G(p)", generator)
        scores = None if gradient is not None else functools.partial(_numerical_scores, generator)
        return cls(name, scores=scores, generator=generator, gradient=gradient, bounds=bounds,
                   references=references)

    @classmethod
    def from_scores(cls, scores: Callable, *, name: str, bounds: Callable | None = None,
                    references: tuple[str, ...] = ()) -> ScoringRule:
        """A rule given by its score function ``scores(p) -> (..., n)`` (not necessarily proper)."""
        if not callable(scores):
            fail("scores", "ScoringRule.from_scores", "a callable p -> scores for every outcome", scores)
        return cls(name, scores=scores, bounds=bounds, references=references)

    def affine(self, scale: float, offset: float = 0.0) -> ScoringRule:
        """The rule ``scale * S + offset`` (``scale > 0`` keeps it proper)."""
        a = check_real(scale, "scale", "ScoringRule.affine", low=0.0, low_open=True)
        b = check_real(offset, "offset", "ScoringRule.affine")
        return dataclasses.replace(self, scale=a * self.scale, offset=a * self.offset + b)

    # -- evaluation (unvalidated internals take probability vectors) ----------------------------
    def _raw_scores(self, p: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.scores is not None:
                s = np.asarray(self.scores(p), dtype=float)
            else:
                s = _representation_scores(self.generator, self.gradient, p)
        if s.shape != p.shape:
            fail("scores", f"ScoringRule {self.name!r}", f"a callable returning an array of shape {p.shape}",
                 s, hint="It must return the score of the report for every outcome (last axis).")
        return s

    def _scores(self, p: np.ndarray) -> np.ndarray:
        s = self._raw_scores(p)
        return s if (self.scale == 1.0 and self.offset == 0.0) else self.scale * s + self.offset

    def _generator(self, p: np.ndarray) -> np.ndarray:
        """Expected score of an honest forecaster, ``G(p)`` (scaled)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.generator is not None:
                return self.scale * np.asarray(self.generator(p), dtype=float) + self.offset
        return _masked_dot(p, self._scores(p))

    def _bregman(self, q: np.ndarray, p: np.ndarray) -> np.ndarray:
        """``D_G(q, p)`` for every pair: q ``(N, n)``, p ``(M, n)`` -> ``(N, M)`` (needs a generator)."""
        gq = self._generator(q)
        gp = self._generator(p)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.gradient is not None:
                grad = self.scale * np.asarray(self.gradient(p), dtype=float)
                lin = q @ np.where(np.isfinite(grad), grad, 0.0).T - np.sum(
                    np.where(p > 0, grad * p, 0.0), axis=-1)[None, :]
                bad = (q[:, None, :] > 0) & ~np.isfinite(grad)[None, :, :]
                lin = np.where(bad.any(-1), -np.inf, lin)
            else:
                d = q[:, None, :] - p[None, :, :]
                lin = self.scale * _directional(self.generator, np.broadcast_to(p[None], d.shape), d)
            return gq[:, None] - gp[None, :] - lin

    def score_bounds(self, n_outcomes: int) -> tuple[float, float] | None:
        """Lowest and highest score over all reports and outcomes, or None if unknown."""
        n = check_int(n_outcomes, "n_outcomes", "ScoringRule.score_bounds", low=2)
        if self.bounds is None:
            return None
        lo, hi = self.bounds(n)
        return (self.scale * lo + self.offset, self.scale * hi + self.offset)

    def __call__(self, report: Any, outcome: Any, *, binary: bool = False, orientation: str = "score"):
        """Score of ``report`` when ``outcome`` happens (see the module docstring for shapes)."""
        return _apply(self, report, outcome, binary, orientation, f"ScoringRule {self.name!r}")

    def __repr__(self) -> str:
        affine = ""
        if self.scale != 1.0 or self.offset != 0.0:
            affine = f", scale={self.scale:.6g}, offset={self.offset:.6g}"
        return f"ScoringRule({self.name!r}{affine})"

    def __reduce_ex__(self, protocol):  # named rules unpickle to the module-level instances
        if _NAMED.get(self.name) is self:
            return (_named_rule, (self.name,))
        return super().__reduce_ex__(protocol)


def _named_rule(name: str) -> ScoringRule:
    return _NAMED[name]


# --------------------------------------------------------------------------- named rules

def _log_scores(p):
    return np.log(p)


def _log_generator(p):
    return np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0), axis=-1)


def _log_gradient(p):
    return np.log(p) + 1.0


def _quadratic_scores(p):
    return 2.0 * p - np.sum(p * p, axis=-1, keepdims=True)


def _quadratic_generator(p):
    return np.sum(p * p, axis=-1)


def _quadratic_gradient(p):
    return 2.0 * p


def _ps_norm(p, alpha):
    return np.sum(p ** alpha, axis=-1, keepdims=True) ** (1.0 / alpha)


def _ps_scores(p, alpha):
    return (p / _ps_norm(p, alpha)) ** (alpha - 1.0)


def _ps_generator(p, alpha):
    return _ps_norm(p, alpha)[..., 0]


def _ps_gradient(p, alpha):
    return (p / _ps_norm(p, alpha)) ** (alpha - 1.0)


def _cumulative(p):
    return np.cumsum(p, axis=-1)[..., :-1]


def _rps_scores(p):
    n = p.shape[-1]
    c = _cumulative(p)  # (..., n-1)
    o = (np.arange(n)[:, None] <= np.arange(n - 1)[None, :]).astype(float)  # o[y, k] = 1{y <= k}
    return -np.sum((c[..., None, :] - o) ** 2, axis=-1)


def _rps_generator(p):
    c = _cumulative(p)
    return np.sum(c * c - c, axis=-1)


def _rps_gradient(p):
    c = _cumulative(p)
    g = 2.0 * c - 1.0  # dG/dc_k
    tail = np.cumsum(g[..., ::-1], axis=-1)[..., ::-1]  # sum_{k >= j}
    return np.concatenate([tail, np.zeros(p.shape[:-1] + (1,))], axis=-1)


def _linear_scores(p):
    return np.array(p, dtype=float)


def _bounds_log(n):
    return (-math.inf, 0.0)


def _bounds_quadratic(n):
    return (-1.0, 1.0)


def _bounds_unit(n):
    return (0.0, 1.0)


def _bounds_rps(n):
    return (-(n - 1.0), 0.0)


_SAVAGE = "L. J. Savage, 'Elicitation of personal probabilities and expectations', JASA 66, 1971"
_GR = "T. Gneiting and A. E. Raftery, 'Strictly proper scoring rules, prediction, and estimation', JASA 102, 2007"

#: Logarithmic score ``S(p, y) = log p_y`` (Good 1952); generator: negative Shannon entropy. Unbounded below.
LOGARITHMIC = ScoringRule(
    "logarithmic", scores=_log_scores, generator=_log_generator, gradient=_log_gradient, bounds=_bounds_log,
    references=("I. J. Good, 'Rational decisions', JRSS B 14, 1952", _GR))

#: Quadratic score ``S(p, y) = 2 p_y - ||p||^2 = 1 - ||p - e_y||^2`` (Brier 1950); generator ``||p||^2``.
QUADRATIC = ScoringRule(
    "quadratic", scores=_quadratic_scores, generator=_quadratic_generator, gradient=_quadratic_gradient,
    bounds=_bounds_quadratic,
    references=("G. W. Brier, 'Verification of forecasts expressed in terms of probability', MWR 78, 1950", _GR))


def pseudo_spherical(alpha: float) -> ScoringRule:
    """The pseudo-spherical rule ``S(p, y) = (p_y / ||p||_alpha) ** (alpha - 1)``, ``alpha > 1``.

    Generator ``G(p) = ||p||_alpha``; scores lie in ``[0, 1]``; ``alpha = 2`` is
    the spherical rule.

    References
    ----------
    .. [1] I. J. Good, "Comment on 'Measuring information and uncertainty' by
       R. J. Buehler", in Foundations of Statistical Inference, 1971.
    .. [2] T. Gneiting and A. E. Raftery, JASA 102(477), 2007, Section 3.

    Examples
    --------
    >>> from mechanisms.elicitation import pseudo_spherical
    >>> round(float(pseudo_spherical(3)([0.5, 0.5], 0)), 6)     # (0.5 / 0.25**(1/3)) ** 2
    0.629961
    """
    a = check_real(alpha, "alpha", "pseudo_spherical", low=1.0, low_open=True)
    name = "spherical" if a == 2.0 else f"pseudo-spherical(alpha={a:g})"
    if a == 2.0 and "spherical" in _NAMED:
        return _NAMED["spherical"]
    return ScoringRule(
        name, scores=functools.partial(_ps_scores, alpha=a), generator=functools.partial(_ps_generator, alpha=a),
        gradient=functools.partial(_ps_gradient, alpha=a), bounds=_bounds_unit,
        references=("I. J. Good, comment in Foundations of Statistical Inference, 1971", _GR))


_NAMED: dict[str, ScoringRule] = {}

#: Spherical score ``S(p, y) = p_y / ||p||_2`` (Roby 1965); generator ``||p||_2``; scores in ``[0, 1]``.
SPHERICAL = pseudo_spherical(2.0)

#: Ranked probability score ``S(p, y) = -sum_k (P_k - 1{y <= k})^2`` over cumulative probabilities
#: ``P_k`` (Epstein 1969), for ordered outcomes; generator ``sum_k (P_k^2 - P_k)``; scores in ``[-(n-1), 0]``.
RANKED_PROBABILITY = ScoringRule(
    "ranked probability", scores=_rps_scores, generator=_rps_generator, gradient=_rps_gradient,
    bounds=_bounds_rps,
    references=("E. S. Epstein, 'A scoring system for probability forecasts of ranked categories', JAM 8, 1969",
                _GR))

#: The *improper* linear score ``S(p, y) = p_y``: reporting the most likely outcome with certainty beats
#: honesty.  Kept as a teaching example and a test case for :func:`check_properness`.
LINEAR = ScoringRule.from_scores(
    _linear_scores, name="linear", bounds=_bounds_unit,
    references=("R. L. Winkler, 'Scoring rules and the evaluation of probability assessors', JASA 64, 1969",))

_NAMED.update({r.name: r for r in (LOGARITHMIC, QUADRATIC, SPHERICAL, RANKED_PROBABILITY, LINEAR)})


# --------------------------------------------------------------------------- function forms

def _apply(rule: ScoringRule, report, outcome, binary, orientation, owner):
    check_option(orientation, "orientation", owner, _ORIENTATIONS)
    p = _as_reports(report, owner, binary=binary)
    y = _as_outcomes(outcome, p.shape[-1], owner)
    s = _pick(rule._scores(p), y, owner)
    if orientation == "loss":
        best = np.diagonal(rule._scores(np.eye(p.shape[-1])))  # S(e_y, y): a perfect forecast
        s = best[y] - s
    return s[()] if s.ndim == 0 else s


def log_score(report, outcome, *, binary: bool = False, orientation: str = "score"):
    """Logarithmic score ``log p_y`` (higher is better; ``orientation="loss"`` gives the log loss ``-log p_y``).

    Parameters
    ----------
    report : array_like
        Probability vectors on the last axis, or (``binary=True``) probabilities of outcome 1.
    outcome : array_like of int
        Realized outcome indices, broadcast against the report's batch shape.
    binary : bool
        Reports are probabilities of a binary event.
    orientation : {"score", "loss"}

    Returns
    -------
    ndarray or float
        ``-inf`` where the realized outcome was reported impossible.

    References
    ----------
    .. [1] I. J. Good, "Rational decisions", JRSS B 14(1), 107-114, 1952.

    Examples
    --------
    >>> from mechanisms.elicitation import log_score
    >>> round(float(log_score(0.8, 1, binary=True)), 6)
    -0.223144
    """
    return _apply(LOGARITHMIC, report, outcome, binary, orientation, "log_score")


def quadratic_score(report, outcome, *, binary: bool = False, orientation: str = "score"):
    """Quadratic score ``2 p_y - ||p||^2`` in ``[-1, 1]``; the loss is the Brier score ``||p - e_y||^2``.

    For ``binary=True`` the loss is ``2 (r - y)^2``: twice the one-dimensional
    Brier score ``(r - y)^2`` that ``scoringrules.brier_score`` computes.

    References
    ----------
    .. [1] G. W. Brier, "Verification of forecasts expressed in terms of
       probability", Monthly Weather Review 78(1), 1-3, 1950.

    Examples
    --------
    >>> from mechanisms.elicitation import quadratic_score
    >>> float(quadratic_score([0.5, 0.25, 0.25], 1, orientation="loss"))
    0.875
    """
    return _apply(QUADRATIC, report, outcome, binary, orientation, "quadratic_score")


def spherical_score(report, outcome, *, binary: bool = False, orientation: str = "score"):
    """Spherical score ``p_y / ||p||_2`` in ``[0, 1]`` (loss: ``1 - p_y / ||p||_2``).

    References
    ----------
    .. [1] L. H. Roby, "Belief states and the uses of evidence", Behavioral
       Science 10, 255-270, 1965.

    Examples
    --------
    >>> from mechanisms.elicitation import spherical_score
    >>> spherical_score([[0.5, 0.5], [1.0, 0.0]], [0, 1])     # 0.5 / ||(0.5, 0.5)||, then 0 / 1
    array([0.70710678, 0.        ])
    """
    return _apply(SPHERICAL, report, outcome, binary, orientation, "spherical_score")


def pseudo_spherical_score(report, outcome, *, alpha: float, binary: bool = False, orientation: str = "score"):
    """Pseudo-spherical score ``(p_y / ||p||_alpha) ** (alpha - 1)``, ``alpha > 1``, in ``[0, 1]``.

    References
    ----------
    .. [1] T. Gneiting and A. E. Raftery, JASA 102(477), 359-378, 2007, eq. (21).

    Examples
    --------
    >>> from mechanisms.elicitation import pseudo_spherical_score
    >>> float(pseudo_spherical_score([1.0, 0.0], 0, alpha=4))
    1.0
    """
    return _apply(pseudo_spherical(alpha), report, outcome, binary, orientation, "pseudo_spherical_score")


def ranked_probability_score(report, outcome, *, binary: bool = False, orientation: str = "score"):
    """Ranked probability score ``-sum_k (P_k - 1{y <= k})^2`` for ordered outcomes (loss: the RPS).

    ``P_k`` is the cumulative probability of outcomes ``0..k``.  The loss equals
    ``scoringrules.rps_score`` (unnormalized); for ``binary=True`` it is
    ``(r - y)^2``.  On an ordinal scale with unit spacing it equals the CRPS of
    the forecast distribution.

    References
    ----------
    .. [1] E. S. Epstein, "A scoring system for probability forecasts of ranked
       categories", Journal of Applied Meteorology 8, 985-987, 1969.

    Examples
    --------
    >>> from mechanisms.elicitation import ranked_probability_score
    >>> round(float(ranked_probability_score([0.1, 0.2, 0.3, 0.4], 2, orientation="loss")), 6)
    0.26
    """
    return _apply(RANKED_PROBABILITY, report, outcome, binary, orientation, "ranked_probability_score")


def expected_score(rule: ScoringRule, report: Any, belief: Any, *, binary: bool = False):
    """Expected score ``sum_y belief_y S(report, y)`` of a report under a belief.

    ``report`` and ``belief`` broadcast over leading axes.  Outcomes the belief
    deems impossible contribute 0 even where the score is ``-inf``.

    References
    ----------
    .. [1] T. Gneiting and A. E. Raftery, JASA 102(477), 359-378, 2007, Section 2.

    Examples
    --------
    >>> from mechanisms.elicitation import expected_score, QUADRATIC
    >>> float(expected_score(QUADRATIC, [0.5, 0.5], [0.5, 0.5]))    # = G(q) = ||q||^2
    0.5
    >>> float(expected_score(QUADRATIC, [1.0, 0.0], [0.5, 0.5]))    # misreport: lower
    0.0
    """
    owner = "expected_score"
    if not isinstance(rule, ScoringRule):
        fail("rule", owner, "a ScoringRule", rule, hint="For example mechanisms.elicitation.QUADRATIC.")
    p = _as_reports(report, owner, binary=binary)
    q = _as_reports(belief, owner, binary=binary, name="belief")
    if p.shape[-1] != q.shape[-1]:
        fail("belief", owner, f"over the report's {p.shape[-1]} outcomes", q)
    try:
        np.broadcast_shapes(p.shape, q.shape)
    except ValueError:
        fail("belief", owner, f"broadcastable against the report (shape {p.shape})", q)
    e = _masked_dot(q, rule._scores(p))
    return e[()] if e.ndim == 0 else e
