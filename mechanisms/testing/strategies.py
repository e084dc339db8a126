"""Hypothesis strategies for every kind of preference data.

Sizes take ints or strategies; defaults are small so that properties run fast
and shrink to readable counterexamples.

Examples
--------
>>> from hypothesis import given
>>> from mechanisms.testing import profiles
>>> @given(profiles(n_voters=3, n_alternatives=3))
... def test_margins_antisymmetric(p):
...     m = p.margin_matrix()
...     assert (m == -m.T).all()
>>> test_margins_antisymmetric()
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from solvers.validation import fail

from ..profiles import ApprovalProfile, PairwiseComparisons, Profile, UtilityProfile

__all__ = ["profiles", "KINDS"]

#: The kinds of data :func:`profiles` can draw.
KINDS = ("strict", "ties", "incomplete", "approval", "utilities", "pairwise")


def _size(value, name: str, low: int, high_default: int):
    if isinstance(value, st.SearchStrategy):
        return value
    if value is None:
        return st.integers(low, high_default)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        fail(name, "profiles", f"an int >= {low}, a hypothesis strategy of ints, or None", value)
    return st.just(int(value))


def profiles(n_voters=None, n_alternatives=None, *, kind: str = "strict", weighted: bool = False,
             max_weight: int = 5) -> st.SearchStrategy:
    """A strategy for profiles of the given kind.

    Parameters
    ----------
    n_voters, n_alternatives : int, strategy of int, or None
        Number of ballot rows (comparisons for ``"pairwise"``) and of
        alternatives.  ``None`` means 1..6 voters and 2..4 alternatives.
    kind : {"strict", "ties", "incomplete", "approval", "utilities", "pairwise"}
        ``strict``: strict complete rankings; ``ties``: complete weak orders;
        ``incomplete``: truncated strict rankings (at least one alternative
        ranked); ``approval``: approval ballots; ``utilities``: small integer
        utilities (so ties occur); ``pairwise``: RLHF-shaped comparisons with
        ties and annotator ids.
    weighted : bool
        Draw integer weights in ``1..max_weight`` instead of all ones.
    """
    if kind not in KINDS:
        fail("kind", "profiles", "one of " + ", ".join(repr(k) for k in KINDS), kind)
    voters = _size(n_voters, "n_voters", 1, 6)
    alternatives = _size(n_alternatives, "n_alternatives", 2 if kind != "approval" else 1, 4)

    @st.composite
    def draw_profile(draw):
        n = draw(voters)
        m = draw(alternatives)
        weights = draw(st.lists(st.integers(1, max_weight), min_size=n, max_size=n)) if weighted else None
        if kind == "strict":
            rows = [draw(st.permutations(range(m))) for _ in range(n)]
            return Profile.from_rankings(rows, weights)
        if kind == "ties":
            ranks = [draw(st.lists(st.integers(0, m - 1), min_size=m, max_size=m)) for _ in range(n)]
            return Profile.from_ranks(ranks, weights)
        if kind == "incomplete":
            rows = []
            for _ in range(n):
                perm = list(draw(st.permutations(range(m))))
                keep = draw(st.integers(1, m))
                rows.append(perm[:keep] + [-1] * (m - keep))
            return Profile.from_rankings(rows, weights)
        if kind == "approval":
            rows = [draw(st.lists(st.booleans(), min_size=m, max_size=m)) for _ in range(n)]
            return ApprovalProfile(np.array(rows, dtype=bool).reshape(n, m), weights)
        if kind == "utilities":
            rows = [draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)) for _ in range(n)]
            return UtilityProfile(np.array(rows, dtype=float).reshape(n, m), weights)
        # pairwise
        pairs = [draw(st.tuples(st.integers(0, m - 1), st.integers(1, m - 1))) for _ in range(n)]
        a = [x for x, _ in pairs]
        b = [(x + d) % m for x, d in pairs]
        outcome = draw(st.lists(st.sampled_from((0, 1, 2)), min_size=n, max_size=n))
        winner = [x if o == 0 else (y if o == 1 else -1) for x, y, o in zip(a, b, outcome)]
        annotator = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
        return PairwiseComparisons(a, b, winner, annotator=annotator, weights=weights, n_items=m)

    return draw_profile()
