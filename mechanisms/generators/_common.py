"""Helpers shared by the generators: size and permutation checks, profile assembly."""

from __future__ import annotations

import numpy as np

from mechanisms.profiles import Profile
from solvers.validation import check_array, check_int, fail

__all__ = ["check_sizes", "check_permutation", "read_only", "strict_profile"]


def check_sizes(n_voters, n_alternatives, owner: str) -> tuple[int, int]:
    """Validate the two size arguments every ordinal culture takes."""
    n = check_int(n_voters, "n_voters", owner, low=1)
    m = check_int(n_alternatives, "n_alternatives", owner, low=1)
    return n, m


def check_permutation(value, name: str, owner: str, m: int) -> np.ndarray:
    """A vector listing every alternative id 0..m-1 exactly once (e.g. a reference ranking or an axis)."""
    arr = check_array(value, name, owner, dtype="int", ndim=1)
    if arr.shape != (m,) or not np.array_equal(np.sort(arr), np.arange(m)):
        fail(name, owner, f"a permutation of the alternative ids 0..{m - 1} (each exactly once)", arr)
    return arr


def read_only(array: np.ndarray) -> np.ndarray:
    """Mark an array we own read-only and return it."""
    array.setflags(write=False)
    return array


def strict_profile(rankings: np.ndarray, metadata: dict):
    """A :class:`~mechanisms.profiles.Profile` from an ``(n, m)`` array of complete strict rankings."""
    return Profile.from_rankings(rankings, metadata=metadata)
