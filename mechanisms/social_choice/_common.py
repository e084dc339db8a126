"""Helpers shared by the rule modules: exact scores, rankings from scores, ballot arrays."""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from functools import reduce

import numpy as np

from solvers.validation import check_array, check_option, fail

from .result import Outcome

__all__ = [
    "TRUNCATION",
    "exact_positional_scores",
    "outcome_from_scores",
    "ranking_from_keys",
    "score_array",
    "strict_ballots",
    "check_truncation",
    "check_score_vector",
]

#: conventions for alternatives a ballot leaves unranked (positional rules)
TRUNCATION = ("average", "zero")

_INT_LIMIT = 2**62


def strict_ballots(profile) -> tuple[np.ndarray, np.ndarray]:
    """Grouped strict ballots: ``(rankings, weights)``, rankings best first padded with -1.

    Identical ballots are merged and zero-weight ballots dropped (exact int64 weights).
    """
    cache = profile._cache
    if "sc_strict_ballots" not in cache:
        rows, weights = profile._grouped_arrays()
        keep = weights > 0
        rows, weights = rows[keep], weights[keep]
        m = rows.shape[1]
        levels = np.where(rows < 0, m, rows)
        order = np.argsort(levels, axis=1, kind="stable")
        ordered = np.take_along_axis(levels, order, axis=1)
        rankings = np.where(ordered >= m, -1, order).astype(np.int64)
        rankings.setflags(write=False)
        weights = np.array(weights, dtype=np.int64)
        weights.setflags(write=False)
        cache["sc_strict_ballots"] = (rankings, weights)
    return cache["sc_strict_ballots"]


def _as_fractions(vector) -> list[Fraction]:
    return [v if isinstance(v, Fraction) else Fraction(v) for v in vector]


def exact_positional_scores(profile, vector, truncation: str = "average") -> list[Fraction]:
    """Exact positional scores (one Fraction per alternative).

    ``vector[k]`` is the score of position ``k`` (0 = top), given as ints,
    Fractions or floats (a float is read as the exact binary rational it stores).
    A tied group spanning positions ``k .. k+g-1`` gives each member the average
    of those ``g`` scores.  Alternatives a ballot leaves unranked form its bottom
    group under ``truncation="average"`` (so they share the average of the bottom
    positions) and score 0 under ``truncation="zero"``.
    """
    m = profile.n_alternatives
    fractions = _as_fractions(vector)
    denom = reduce(math.lcm, (f.denominator for f in fractions), 1)
    ints = [int(f * denom) for f in fractions]
    n_voters = profile.n_voters
    big = max(abs(v) for v in ints) * m * max(n_voters, 1) >= _INT_LIMIT
    dtype = object if big else np.int64
    s_int = np.array(ints, dtype=dtype)
    if n_voters == 0:
        return [Fraction(0)] * m
    if profile.is_strict and (profile.is_complete or truncation == "zero"):
        # positions are the levels themselves (unranked alternatives score 0): one bincount, cached
        counts = profile.position_counts().astype(dtype)
        return [Fraction(int(t), denom) for t in counts @ s_int]
    ranks, weights = profile._grouped_arrays()
    keep = weights > 0
    ranks, weights = ranks[keep], weights[keep]
    levels = ranks.copy()
    unranked = levels < 0
    if truncation == "average":
        bottom = levels.max(axis=1, initial=-1) + 1
        levels[unranked] = np.broadcast_to(bottom[:, None], levels.shape)[unranked]
    else:
        levels[unranked] = m  # a level of its own, zeroed below
    n_b = levels.shape[0]
    flat = (np.arange(n_b)[:, None] * (m + 1) + levels).reshape(-1)
    size_per_level = np.bincount(flat, minlength=n_b * (m + 1)).reshape(n_b, m + 1).astype(np.int64)
    above_per_level = np.cumsum(size_per_level, axis=1) - size_per_level
    size = np.take_along_axis(size_per_level, levels, axis=1)
    above = np.take_along_axis(above_per_level, levels, axis=1)
    prefix = np.concatenate([np.zeros(1, dtype=dtype), np.cumsum(s_int)])
    numer = prefix[np.minimum(above + size, m)] - prefix[np.minimum(above, m)]
    if truncation == "zero":
        numer = np.where(unranked, 0, numer)
    weighted = numer * weights[:, None].astype(dtype)
    totals = [Fraction(0)] * m
    for g in np.unique(size):
        part = np.where(size == g, weighted, 0).sum(axis=0)
        for a in range(m):
            totals[a] += Fraction(int(part[a]), int(g))
    return [t / denom for t in totals]


def score_array(exact) -> np.ndarray:
    """int64 when every score is an integer that fits, float64 otherwise (exact values kept for decisions)."""
    values = list(exact)
    if all((v.denominator == 1 if isinstance(v, Fraction) else float(v).is_integer()) for v in values) and all(
            abs(int(v)) < _INT_LIMIT for v in values):
        return np.array([int(v) for v in values], dtype=np.int64)
    return np.array([float(v) for v in values], dtype=np.float64)


def ranking_from_keys(keys, *, higher_is_better: bool = True, alternatives=None) -> tuple[tuple[int, ...], ...]:
    """Groups of equal keys, best first (keys compared exactly)."""
    alts = range(len(keys)) if alternatives is None else alternatives
    distinct = sorted({keys[a] for a in alts}, reverse=higher_is_better)
    return tuple(tuple(a for a in alts if keys[a] == value) for value in distinct)


def outcome_from_scores(exact, *, higher_is_better: bool = True, scores=None) -> Outcome:
    """Winners (best exact score), ranking by score, and the score array."""
    ranking = ranking_from_keys(list(exact), higher_is_better=higher_is_better)
    return Outcome(winners=ranking[0], ranking=ranking, scores=score_array(exact) if scores is None else scores)


def check_truncation(truncation, owner: str) -> str:
    return check_option(truncation, "truncation", owner, TRUNCATION)


def check_score_vector(vector, m: int, owner: str, name: str = "score_vector") -> list[Fraction]:
    """A length-m vector of finite reals (ints, floats or Fractions), returned as exact Fractions."""
    rule = f"a vector of {m} finite real scores (one per position, top first)"
    if isinstance(vector, (list, tuple)) and any(isinstance(v, Fraction) for v in vector):
        if len(vector) != m or not all(isinstance(v, (numbers.Rational, float)) and not isinstance(v, bool)
                                       and math.isfinite(v) for v in vector):
            fail(name, owner, rule, vector)
        return [Fraction(v) for v in vector]
    try:
        kind = np.asarray(vector).dtype.kind
    except (ValueError, TypeError):
        kind = "O"
    arr = check_array(vector, name, owner, dtype="int" if kind in "biu" else "float", ndim=1)
    if arr.shape != (m,):
        fail(name, owner, rule, arr)
    return [Fraction(int(v)) if arr.dtype.kind in "iu" else Fraction(float(v)) for v in arr]
