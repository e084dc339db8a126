"""Profile building and margin computation vs pref_voting and a plain numpy reference.

For each size (voters x alternatives) and each route, the time from a
(n_voters, n_alternatives) ranking array to the margin matrix, and whether the
margins agree with the reference.  Ratios are measured in the same run.

Run: ``python -m benchmarks.bench_profiles`` (stores ``results/profiles.json``).
"""

from __future__ import annotations

import numpy as np

from benchmarks._common import best_time, store, table
from mechanisms.profiles import Profile

SIZES = [(1_000, 5), (100_000, 5), (10_000, 20), (1_000, 100)]


def numpy_reference(rankings: np.ndarray) -> np.ndarray:
    """Margins by one broadcast over positions (the issue's yardstick)."""
    n, m = rankings.shape
    pos = np.empty_like(rankings)
    np.put_along_axis(pos, rankings, np.arange(m)[None, :], axis=1)
    support = (pos[:, :, None] < pos[:, None, :]).sum(axis=0)
    return support - support.T


def ours(rankings: np.ndarray) -> np.ndarray:
    return Profile.from_rankings(rankings).margin_matrix()


def pref_voting_route(rankings: np.ndarray) -> np.ndarray:
    from pref_voting.profiles import Profile as PVProfile

    return np.asarray(PVProfile(rankings).margin_matrix)


def run(seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for n, m in SIZES:
        rankings = np.argsort(rng.random((n, m)), axis=1)
        reference = numpy_reference(rankings)
        t_ref = best_time(lambda: numpy_reference(rankings))
        t_ours = best_time(lambda: ours(rankings))
        same_ours = bool(np.array_equal(ours(rankings), reference))
        try:
            t_pv = best_time(lambda: pref_voting_route(rankings), repeat=2, min_time=0.0)
            same_pv = bool(np.array_equal(pref_voting_route(rankings), reference))
        except ImportError:
            t_pv, same_pv = None, None
        rows.append({
            "voters": n, "alternatives": m,
            "ours_ms": t_ours * 1e3, "numpy_ms": t_ref * 1e3, "pref_voting_ms": None if t_pv is None else t_pv * 1e3,
            "speedup_vs_pref_voting": None if t_pv is None else t_pv / t_ours,
            "ours_over_numpy": t_ours / t_ref,
            "margins_equal_reference": same_ours, "pref_voting_equal_reference": same_pv,
        })
    return rows


def main() -> None:
    rows = run()
    path = store("profiles", rows, packages=("pref_voting",),
                 notes="Time from a ranking array to the int64 margin matrix (Profile.from_rankings + "
                       "margin_matrix); best of several runs.")
    print(table(rows, ["voters", "alternatives", "ours_ms", "numpy_ms", "pref_voting_ms",
                       "speedup_vs_pref_voting", "ours_over_numpy", "margins_equal_reference"]))
    print(f"stored {path.name}")


if __name__ == "__main__":
    main()
