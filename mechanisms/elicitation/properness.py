"""Checking that a scoring rule is (strictly) proper, and scaling it to a payment budget."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np

from solvers.validation import check_bool, check_int, check_real, check_rng, fail

from .scoring import ScoringRule

__all__ = ["MisreportWitness", "PropernessResult", "check_properness", "scale_to_budget", "simplex_grid"]

#: pairs of reports closer than this (max-norm) are not required to be strictly separated
_SEPARATION = 1e-3


@dataclasses.dataclass(frozen=True, eq=False)
class MisreportWitness:
    """A profitable (or, for strictness, a break-even) misreport.

    belief : the forecaster's true belief ``q``.
    misreport : the report ``p != q``.
    gain : ``E_q[S(p)] - E_q[S(q)]`` (positive: improper; about zero: not strictly proper).
    """

    belief: np.ndarray
    misreport: np.ndarray
    gain: float

    def __post_init__(self):
        for name in ("belief", "misreport"):
            arr = np.array(getattr(self, name), dtype=float)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    def __repr__(self) -> str:
        fmt = dict(precision=4, suppress_small=True)
        return (f"MisreportWitness(belief={np.array2string(self.belief, **fmt)}, "
                f"misreport={np.array2string(self.misreport, **fmt)}, gain={self.gain:.6g})")


@dataclasses.dataclass(frozen=True, eq=False)
class PropernessResult:
    """Outcome of :func:`check_properness`.

    holds : strict properness (or properness when checked with ``strict=False``) on every pair.
    proper : no misreport gains more than the tolerance.
    strictly_proper : proper, and every misreport at least ``1e-3`` away (max-norm) loses more than
        floating-point noise.
    witness : the worst pair (largest gain) when ``holds`` is False, else None.
    min_gap : smallest expected-score loss ``E_q[S(q)] - E_q[S(p)]`` over separated pairs.
    bregman_residual : largest ``|gap - D_G(q, p)|`` over pairs where both are finite, when the
        rule carries a generator (None otherwise); a large value means the score function is
        not the one the generator defines.
    n_points, n_pairs : how many beliefs/reports and (belief, report) pairs were checked.
    """

    rule: str
    n_outcomes: int
    holds: bool
    proper: bool
    strictly_proper: bool
    witness: MisreportWitness | None
    min_gap: float
    bregman_residual: float | None
    n_points: int
    n_pairs: int
    atol: float

    def __bool__(self) -> bool:
        return self.holds

    def __repr__(self) -> str:
        breg = "n/a" if self.bregman_residual is None else f"{self.bregman_residual:.3g}"
        return (f"PropernessResult(rule={self.rule!r}, n_outcomes={self.n_outcomes}, holds={self.holds}, "
                f"proper={self.proper}, strictly_proper={self.strictly_proper}, min_gap={self.min_gap:.3g}, "
                f"bregman_residual={breg}, n_pairs={self.n_pairs}, witness={self.witness!r})")

    def _repr_html_(self) -> str:
        import html

        rows = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in dataclasses.asdict(self).items() if k != "witness")
        rows += f"<tr><th style='text-align:left'>witness</th><td>{html.escape(repr(self.witness))}</td></tr>"
        return f"<table><caption>PropernessResult</caption>{rows}</table>"


def simplex_grid(n_outcomes: int, resolution: int) -> np.ndarray:
    """Every probability vector with entries in ``{0, 1/r, ..., 1}`` (``r = resolution``), one per row.

    Examples
    --------
    >>> from mechanisms.elicitation import simplex_grid
    >>> simplex_grid(2, 2)
    array([[0. , 1. ],
           [0.5, 0.5],
           [1. , 0. ]])
    """
    n = check_int(n_outcomes, "n_outcomes", "simplex_grid", low=1)
    r = check_int(resolution, "resolution", "simplex_grid", low=1)
    if math.comb(r + n - 1, n - 1) > 1_000_000:
        fail("resolution", "simplex_grid", "small enough for at most 1,000,000 grid points", r)
    rows = []
    for bars in itertools.combinations(range(r + n - 1), n - 1):  # stars and bars
        edges = (-1,) + bars + (r + n - 1,)
        rows.append([edges[i + 1] - edges[i] - 1 for i in range(n)])
    return np.asarray(rows, dtype=float) / r


def _auto_resolution(n: int, max_points: int = 300) -> int:
    r = 1
    while math.comb(r + 1 + n - 1, n - 1) <= max_points:
        r += 1
    return r


def check_properness(rule: ScoringRule, *, n_outcomes: int, resolution: int | None = None, n_random: int = 100,
                     strict: bool = True, atol: float = 1e-9, rng=None) -> PropernessResult:
    """Check numerically that truthful reporting maximizes a rule's expected score.

    For every pair (belief ``q``, report ``p``) drawn from a grid on the
    simplex (including its vertices and faces) plus ``n_random`` Dirichlet
    points, computes the expected-score gap ``E_q[S(q)] - E_q[S(p)]``.  The rule
    is proper when no gap is below ``-atol`` (relative to ``max(1, |E_q S(q)|)``)
    and strictly proper when, in addition, every gap for ``p`` at least ``1e-3``
    away from ``q`` (max-norm) is positive beyond floating-point noise.  When the rule has a generator ``G``
    the gap is also compared with the Bregman divergence
    ``D_G(q, p) = G(q) - G(p) - <grad G(p), q - p>`` (they are equal by the
    Savage representation; the residual is reported).

    A finite check, not a proof: it finds violations, it cannot exclude them
    between the points it tries.

    Parameters
    ----------
    rule : ScoringRule
    n_outcomes : int
        Number of outcomes (>= 2).
    resolution : int, optional
        Grid step ``1/resolution``; by default the finest grid with at most 300 points.
    n_random : int
        Extra random beliefs/reports (half uniform on the simplex, half near its faces).
    strict : bool
        ``holds`` reports strict properness (default) or properness.
    atol : float
    rng : numpy.random.Generator, int or None

    Returns
    -------
    PropernessResult
        ``.holds`` and, if it fails, ``.witness`` (belief, misreport, gain).

    References
    ----------
    .. [1] T. Gneiting and A. E. Raftery, "Strictly proper scoring rules,
       prediction, and estimation", JASA 102(477), 359-378, 2007, Theorem 1.
    .. [2] L. J. Savage, JASA 66(336), 783-801, 1971.

    Examples
    --------
    >>> from mechanisms.elicitation import check_properness, QUADRATIC, LINEAR
    >>> check_properness(QUADRATIC, n_outcomes=3, rng=0).holds
    True
    >>> bad = check_properness(LINEAR, n_outcomes=2, rng=0)
    >>> bad.holds, bad.witness.misreport        # report the likelier outcome as certain
    (False, array([0., 1.]))
    """
    owner = "check_properness"
    if not isinstance(rule, ScoringRule):
        fail("rule", owner, "a ScoringRule", rule,
             hint="Wrap a score function with ScoringRule.from_scores(f, name=...).")
    n = check_int(n_outcomes, "n_outcomes", owner, low=2)
    r = _auto_resolution(n) if resolution is None else check_int(resolution, "resolution", owner, low=1)
    k = check_int(n_random, "n_random", owner, low=0)
    strict = check_bool(strict, "strict", owner)
    atol = check_real(atol, "atol", owner, low=0.0)
    gen = check_rng(rng, owner)
    points = [simplex_grid(n, r)]
    if k:
        points.append(gen.dirichlet(np.ones(n), size=k - k // 2))
        points.append(gen.dirichlet(np.full(n, 0.2), size=k // 2))
    pts = np.unique(np.concatenate(points), axis=0)
    npts = len(pts)
    if npts * npts * n > 50_000_000:
        fail("resolution", owner, "small enough to keep the pair check under 50 million entries", r)

    scores = rule._scores(pts)  # (N, n): S(p, y) for each report p
    if np.isnan(scores).any():
        bad = pts[np.isnan(scores).any(-1)][0]
        fail("rule", owner, "a rule whose scores are never NaN", rule, show_got=True,
             hint=f"It returned NaN for the report {bad.tolist()}.")
    finite = np.where(np.isfinite(scores), scores, 0.0)
    with np.errstate(invalid="ignore"):
        expected = pts @ finite.T  # expected[q, p] = E_q S(p) over finite scores
    neg = (pts > 0).astype(float) @ (scores == -np.inf).T.astype(float) > 0
    pos = (pts > 0).astype(float) @ (scores == np.inf).T.astype(float) > 0
    expected = np.where(neg, -np.inf, np.where(pos, np.inf, expected))
    own = np.diagonal(expected).copy()
    if not np.all(np.isfinite(own)):
        q = pts[~np.isfinite(own)][0]
        fail("rule", owner, "a rule whose honest expected score is finite", rule,
             hint=f"E_q[S(q)] is not finite at q = {q.tolist()}.")
    tol = atol * np.maximum(1.0, np.abs(own))[:, None]
    # strictness is judged against floating-point noise, not atol: near the faces of the simplex
    # the gap of a strictly proper rule can be far below atol (e.g. pseudo-spherical, large alpha)
    noise = 100.0 * n * np.finfo(float).eps * np.maximum(1.0, np.abs(own))[:, None]
    with np.errstate(invalid="ignore"):
        gain = expected - own[:, None]  # E_q S(p) - E_q S(q)
    np.fill_diagonal(gain, -np.inf)
    separated = np.max(np.abs(pts[:, None, :] - pts[None, :, :]), axis=-1) >= _SEPARATION
    excess = gain - tol
    proper = bool(np.all(excess <= 0))
    gap = np.where(separated, -gain, np.inf)
    strictly = proper and bool(np.all(gap > noise))
    holds = strictly if strict else proper
    witness = None
    if not holds:
        score = np.where(separated, gain, -np.inf) if proper else excess
        qi, pi = np.unravel_index(int(np.argmax(score)), score.shape)
        witness = MisreportWitness(belief=pts[qi].copy(), misreport=pts[pi].copy(), gain=float(gain[qi, pi]))
    finite_gap = gap[np.isfinite(gap)]
    min_gap = float(finite_gap.min()) if finite_gap.size else math.inf
    residual = None
    if rule.generator is not None:
        breg = rule._bregman(pts, pts)
        both = np.isfinite(breg) & np.isfinite(gain)
        np.fill_diagonal(both, False)
        residual = float(np.max(np.abs(-gain[both] - breg[both]))) if both.any() else 0.0
    return PropernessResult(rule=rule.name, n_outcomes=n, holds=holds, proper=proper, strictly_proper=strictly,
                            witness=witness, min_gap=min_gap, bregman_residual=residual, n_points=npts,
                            n_pairs=npts * (npts - 1), atol=atol)


def scale_to_budget(rule: ScoringRule, budget: float, *, n_outcomes: int,
                    limited_liability: bool = True) -> ScoringRule:
    """The affine transform ``a * S + b`` (``a > 0``, so still proper) that fits a payment budget.

    With ``limited_liability=True`` (payments can never be negative) every
    payment lies in ``[0, budget]`` and both ends are reached: the worst
    report-outcome pair pays 0, a confident correct report pays ``budget``.
    With ``limited_liability=False`` the largest payment is ``budget`` and the
    uninformative uniform report earns 0 in expectation under a uniform
    belief (its ``G(u)``); wrong confident reports are then charged.  This also
    works for rules unbounded below, such as the logarithmic score.

    Parameters
    ----------
    rule : ScoringRule
        A rule with known bounds (every named rule has them).
    budget : float
        The largest payment, > 0.
    n_outcomes : int
        Number of outcomes the rule will score (bounds depend on it, e.g. RPS).
    limited_liability : bool

    Returns
    -------
    ScoringRule
        ``rule.affine(a, b)``; its ``score_bounds(n_outcomes)`` are the payment range.

    Raises
    ------
    ValidationError
        With ``limited_liability=True``, for a rule unbounded below (the
        logarithmic score), suggesting a bounded rule or truncated reports.

    References
    ----------
    .. [1] T. Gneiting and A. E. Raftery, JASA 102(477), 2007, Section 2
       (affine transforms preserve strict properness).

    Examples
    --------
    >>> from mechanisms.elicitation import scale_to_budget, QUADRATIC
    >>> pay = scale_to_budget(QUADRATIC, 10.0, n_outcomes=3)
    >>> pay.score_bounds(3)
    (0.0, 10.0)
    >>> float(pay([1.0, 0.0, 0.0], 0)), float(pay([1.0, 0.0, 0.0], 1))
    (10.0, 0.0)
    """
    owner = "scale_to_budget"
    if not isinstance(rule, ScoringRule):
        fail("rule", owner, "a ScoringRule", rule)
    m = check_real(budget, "budget", owner, low=0.0, low_open=True)
    n = check_int(n_outcomes, "n_outcomes", owner, low=2)
    ll = check_bool(limited_liability, "limited_liability", owner)
    bounds = rule.score_bounds(n)
    if bounds is None:
        fail("rule", owner, "a rule with known score bounds", rule,
             hint="Pass bounds=lambda n: (lowest, highest) when building the ScoringRule.")
    lo, hi = bounds
    if not math.isfinite(hi):
        fail("rule", owner, "bounded above", rule, hint="No affine transform caps its payments.")
    if ll:
        if not math.isfinite(lo):
            fail("rule", owner, "bounded below when limited_liability=True", rule,
                 hint=(f"The {rule.name} score is unbounded below (a report of probability 0 for the realized "
                       "outcome scores -inf). Use a bounded rule (QUADRATIC, SPHERICAL), truncate reports away "
                       "from 0 (mix with uniform: p' = (1 - eps) p + eps / n, whose log score is at least "
                       "log(eps / n)), or pass limited_liability=False."))
        if hi <= lo:
            fail("rule", owner, "a rule whose scores are not all equal", rule)
        a = m / (hi - lo)
        return rule.affine(a, -a * lo)
    u = np.full((1, n), 1.0 / n)
    g_u = float(rule._generator(u)[0])
    if not hi > g_u:
        fail("rule", owner, "a rule whose best score exceeds the uniform report's expected score", rule)
    a = m / (hi - g_u)
    return rule.affine(a, -a * g_u)
