"""Exact and probabilistic aggregation: Kemeny, Slater, neutral Ranked Pairs, maximal lotteries.

Sections (each row records time and quality; peers run in the same session):

* ``kemeny`` / ``slater``: scaling in the number of alternatives on impartial-culture
  and Mallows profiles and on the bundled PrefLib elections, against pref_voting's
  ``kemeny_young`` / ``slater`` (which enumerate all ``m!`` rankings) where they finish;
* ``ranked_pairs``: neutral Ranked Pairs from a ranking array at 10,000 voters, and
  adversarial all-tied tournaments, against pref_voting's ``ranked_pairs``;
* ``batched_lottery``: 10,000 margin games of 8 alternatives in one call against a
  loop of per-instance LPs;
* ``large_lottery``: one game with 500 to 2,000 alternatives, double oracle against
  one-shot LPs.

Peer calls run in a forked child with a time limit (reported as ``>limit``), so a
blow-up cannot stall the run.

Run: ``python -m benchmarks.bench_exact_rules [--quick] [--sections kemeny,slater]`` (stores
``results/exact_rules.json``; with ``--sections`` only those sections run and their rows replace the
same sections' rows in the stored file, the others are kept).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import time
import warnings

import numpy as np

from benchmarks._common import RESULTS, best_time, store, table
from mechanisms.data import list_preflib, preflib_path
from mechanisms.generators import impartial_culture, mallows
from mechanisms.io import read_preflib
from mechanisms.profiles import Profile
from solvers.games import maximal_lottery
from solvers.ordering import kemeny_rankings, slater_rankings
from solvers.ranked_pairs import ranked_pairs

PEER_LIMIT = 120.0  # seconds per peer call
OUR_LIMIT = 600.0  # seconds per LP/MILP solve of ours (a status, not a hang)


# --------------------------------------------------------------------------- peers in a child process
def _child(conn, fn, args):
    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    out = fn(*args)
    conn.send((time.perf_counter() - t0, out))
    conn.close()


def timed_peer(fn, *args, limit: float = PEER_LIMIT):
    """``(seconds, result)`` of ``fn(*args)`` in a forked child, or ``(None, None)`` past ``limit``."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args))
    proc.start()
    if parent.poll(limit):
        seconds, out = parent.recv()
        proc.join()
        return seconds, out
    proc.terminate()
    proc.join()
    return None, None


def _pv_profile(profile: Profile):
    from pref_voting.profiles import Profile as PVProfile
    from pref_voting.profiles_with_ties import ProfileWithTies

    weights = [int(w) for w in profile.weights]
    if profile.kind == "soc":
        return PVProfile(profile.rankings().tolist(), rcounts=weights)
    ballots = [{int(a): int(r[a]) + 1 for a in range(profile.n_alternatives) if r[a] >= 0} for r in profile.ranks]
    q = ProfileWithTies(ballots, rcounts=weights, candidates=list(range(profile.n_alternatives)))
    q.use_extended_strict_preference()
    return q


def pv_kemeny(profile):
    from pref_voting.other_methods import kemeny_young

    return tuple(kemeny_young(_pv_profile(profile)))


def pv_slater(profile):
    from pref_voting.c1_methods import slater

    return tuple(slater(_pv_profile(profile)))


def pv_ranked_pairs(profile):
    from pref_voting.margin_based_methods import ranked_pairs as rp

    return tuple(rp(_pv_profile(profile)))


def pv_ranked_pairs_from_rankings(rankings):
    from pref_voting.margin_based_methods import ranked_pairs as rp
    from pref_voting.profiles import Profile as PVProfile

    return tuple(rp(PVProfile(rankings)))


def pv_ranked_pairs_from_margins(M):
    from pref_voting.margin_based_methods import ranked_pairs as rp
    from pref_voting.weighted_majority_graphs import MarginGraph

    m = M.shape[0]
    edges = [(a, b, int(M[a, b])) for a in range(m) for b in range(m) if M[a, b] > 0]
    return tuple(rp(MarginGraph(list(range(m)), edges)))


def warm_up_peers():
    """Compile pref_voting's numba kernels once in this process, so forked children inherit them."""
    try:
        p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
        pv_kemeny(p), pv_slater(p), pv_ranked_pairs(p)
        return True
    except ImportError:
        return False


def _fmt_peer(seconds):
    return None if seconds is None else seconds


# --------------------------------------------------------------------------- sections
def ic_profile(n, m, seed):
    return impartial_culture(n, m, rng=seed)


def bench_ordering(kind: str, quick: bool, have_pv: bool) -> list[dict]:
    solve = kemeny_rankings if kind == "kemeny" else slater_rankings
    peer = pv_kemeny if kind == "kemeny" else pv_slater
    rows = []
    if kind == "kemeny":
        cases = [("IC", 1000, m, None) for m in ((5, 8, 10, 20, 40) if quick else (5, 8, 9, 10, 20, 30, 40, 50, 60))]
        cases += [("Mallows 0.5", 1000, m, 0.5) for m in ((20, 60) if quick else (20, 40, 60, 100))]
        peer_max = 9 if not quick else 8
    else:
        cases = [("IC", 1001, m, None) for m in ((5, 8, 10, 15) if quick else (5, 8, 10, 15, 20, 25, 30))]
        cases += [("Mallows 0.5", 1001, m, 0.5) for m in ((20,) if quick else (20, 40))]
        peer_max = 8
    seeds = (0,) if quick else (0, 1, 2)
    for culture, n, m, phi in cases:
        for seed in seeds:
            p = ic_profile(n, m, seed) if phi is None else mallows(n, m, phi=phi, normalized=True, rng=seed)
            t0 = time.perf_counter()
            M = p.margin_matrix()
            res = solve(M, tops=True, time_limit=OUR_LIMIT)
            ours = time.perf_counter() - t0
            row = {"section": kind, "data": culture, "voters": n, "alternatives": m, "seed": seed,
                   "ours_s": ours, "status": res.status.value, "proofs": "+".join(sorted(set(res.proofs))),
                   "largest_block": max(len(c) for c in res.components), "winners": list(res.tops or ())}
            if kind == "kemeny" and m >= 40:
                # the yardstick: one optimal ranking (the rule above also needs every possible top)
                t0 = time.perf_counter()
                one = solve(M, time_limit=OUR_LIMIT)
                row["ranking_only_s"] = time.perf_counter() - t0
                row["same_objective"] = bool(one.objective == res.objective)
            if have_pv and m <= peer_max:
                t_pv, w_pv = timed_peer(peer, p)
                row["pref_voting_s"] = t_pv
                row["speedup"] = None if t_pv is None else t_pv / ours
                row["same_winners"] = None if w_pv is None else list(w_pv) == row["winners"]
            rows.append(row)
            print(f"  {kind} {culture} m={m} seed={seed}: {ours:.3f} s (one ranking {row.get('ranking_only_s')}) "
                  f"{row.get('pref_voting_s')}", flush=True)
    if kind == "kemeny" and have_pv and not quick:
        # the yardstick: pref_voting at m = 10 (one seed)
        p = ic_profile(1000, 10, 0)
        t_pv, _ = timed_peer(pv_kemeny, p, limit=300.0)
        rows.append({"section": kind, "data": "IC (peer only)", "voters": 1000, "alternatives": 10, "seed": 0,
                     "pref_voting_s": t_pv})
    # real elections
    for name in list_preflib():
        if name.endswith(".cat"):
            continue
        p = read_preflib(preflib_path(name))
        if not isinstance(p, Profile) or p.n_alternatives < 4:
            continue
        t0 = time.perf_counter()
        res = solve(p.margin_matrix(), tops=True, time_limit=OUR_LIMIT)
        ours = time.perf_counter() - t0
        row = {"section": kind, "data": name, "voters": p.n_voters, "alternatives": p.n_alternatives,
               "ours_s": ours, "status": res.status.value, "proofs": "+".join(sorted(set(res.proofs))),
               "largest_block": max(len(c) for c in res.components), "winners": list(res.tops or ())}
        if have_pv and p.n_alternatives <= peer_max:
            t_pv, w_pv = timed_peer(peer, p)
            row["pref_voting_s"] = t_pv
            row["speedup"] = None if t_pv is None else t_pv / ours
            row["same_winners"] = None if w_pv is None else list(w_pv) == row["winners"]
        rows.append(row)
        print(f"  {kind} {name}: {ours:.3f} s", flush=True)
    return rows


def bench_ranked_pairs(quick: bool, have_pv: bool) -> list[dict]:
    rows = []
    sizes = [(10_000, 5), (10_000, 10), (10_000, 20)] + ([] if quick else [(10_000, 50), (10_000, 100)])
    for n, m in sizes:
        p = ic_profile(n, m, 0)
        rankings = np.asarray(p.rankings())
        ours = best_time(lambda: ranked_pairs(Profile.from_rankings(rankings).margin_matrix()), repeat=3)
        res = ranked_pairs(p.margin_matrix())
        row = {"section": "ranked_pairs", "data": "IC", "voters": n, "alternatives": m, "ours_s": ours,
               "winners": list(res.winners), "tied_groups": res.tied_groups, "states": res.states}
        if have_pv and m <= 20:
            t_pv, w_pv = timed_peer(pv_ranked_pairs_from_rankings, rankings.tolist(), limit=60.0)
            row["pref_voting_s"] = t_pv
            row["speedup"] = None if t_pv is None else t_pv / ours
            row["same_winners"] = None if w_pv is None else list(w_pv) == row["winners"]
        rows.append(row)
        print(f"  ranked_pairs {n}x{m}: {ours * 1e3:.2f} ms {row.get('pref_voting_s')}", flush=True)
    rng = np.random.default_rng(0)
    for m in ((6, 10) if quick else (6, 10, 20, 30)):
        A = np.triu(rng.choice([-2, 2], size=(m, m)), 1)
        M = A - A.T
        t0 = time.perf_counter()
        res = ranked_pairs(M)
        ours = time.perf_counter() - t0
        row = {"section": "ranked_pairs", "data": "all margins tied (tournament)", "voters": None,
               "alternatives": m, "ours_s": ours, "winners": list(res.winners), "tied_groups": res.tied_groups,
               "states": res.states}
        if have_pv and m <= 6:
            t_pv, w_pv = timed_peer(pv_ranked_pairs_from_margins, M, limit=60.0)
            row["pref_voting_s"] = t_pv
            row["same_winners"] = None if w_pv is None else list(w_pv) == row["winners"]
        rows.append(row)
        print(f"  ranked_pairs tied m={m}: {ours * 1e3:.2f} ms {row.get('pref_voting_s')}", flush=True)
    return rows


def _scipy_game(M):
    from scipy.optimize import linprog

    m = M.shape[0]
    res = linprog(np.r_[np.zeros(m), -1.0], A_ub=np.hstack([-M.T, np.ones((m, 1))]), b_ub=np.zeros(m),
                  A_eq=np.r_[np.ones(m), 0.0][None], b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)],
                  method="highs")
    return res.x[:m]


def ic_margins_batch(N, n, m, rng):
    ranks = np.argsort(rng.random((N, n, m)), axis=2)
    pos = np.argsort(ranks, axis=2)
    S = np.zeros((N, m, m), dtype=np.int64)
    for v in range(n):
        S += pos[:, v, :, None] < pos[:, v, None, :]
    return S - np.swapaxes(S, 1, 2)


def bench_batched_lottery(quick: bool) -> list[dict]:
    rows = []
    rng = np.random.default_rng(0)
    N, m = (2_000 if quick else 10_000), 8
    sample = 200 if quick else 500
    for n in (15, 16):
        M = ic_margins_batch(N, n, m, rng)
        t_batch = best_time(lambda: maximal_lottery(M), repeat=3)
        batch = maximal_lottery(M)
        idx = np.arange(sample)
        t0 = time.perf_counter()
        loop = [maximal_lottery(M[i], method="lp") for i in idx]
        per_ours_lp = (time.perf_counter() - t0) / sample
        t0 = time.perf_counter()
        raw = [_scipy_game(M[i]) for i in idx]
        per_scipy = (time.perf_counter() - t0) / sample
        uniq = batch.unique[idx]
        diff = max((float(np.abs(batch.lotteries[i] - raw[k]).max()) for k, i in enumerate(idx) if uniq[k]),
                   default=0.0)
        methods = {str(k): int(v) for k, v in zip(*np.unique(batch.method, return_counts=True))}
        rows.append({"section": "batched_lottery", "instances": N, "alternatives": m, "voters_per_instance": n,
                     "batch_s": t_batch, "per_instance_ms": t_batch / N * 1e3,
                     "loop_ours_lp_ms_each": per_ours_lp * 1e3, "loop_scipy_linprog_ms_each": per_scipy * 1e3,
                     "speedup_vs_scipy_loop": per_scipy * N / t_batch,
                     "speedup_vs_ours_lp_loop": per_ours_lp * N / t_batch,
                     "max_diff_unique_vs_scipy": diff, "max_exploitability": float(batch.exploitability.max()),
                     "unique_share": float(batch.unique.mean()), "methods": methods,
                     "lp_loop_consistent": all(np.allclose(loop[k].lottery, batch.lotteries[i], atol=1e-7)
                                               for k, i in enumerate(idx) if uniq[k])})
        print(f"  batched {N}x{m} n={n}: {t_batch:.3f} s, x{rows[-1]['speedup_vs_scipy_loop']:.0f} vs scipy loop",
              flush=True)
    return rows


def bench_large_lottery(quick: bool) -> list[dict]:
    rows = []
    for m in ((500, 1000) if quick else (500, 1000, 2000)):
        for culture in ("IC", "Mallows 0.8"):
            n = 101
            p = impartial_culture(n, m, rng=1) if culture == "IC" else mallows(n, m, phi=0.8, normalized=True, rng=1)
            M = p.margin_matrix()
            t_do = best_time(lambda: maximal_lottery(M, method="double_oracle"), repeat=2, min_time=0.0)
            do = maximal_lottery(M, method="double_oracle")
            t_lp = best_time(lambda: maximal_lottery(M, method="lp"), repeat=1, min_time=0.0)
            lp = maximal_lottery(M, method="lp")
            t_sp = best_time(lambda: _scipy_game(M), repeat=1, min_time=0.0)
            sp = _scipy_game(M)
            rows.append({"section": "large_lottery", "data": culture, "voters": n, "alternatives": m,
                         "double_oracle_s": t_do, "one_shot_lp_s": t_lp, "scipy_linprog_s": t_sp,
                         "speedup_vs_one_shot": t_lp / t_do, "speedup_vs_scipy": t_sp / t_do,
                         "support": len(do.support), "unique": do.unique,
                         "exploitability": do.certificate.exploitability,
                         "max_diff_vs_lp": float(np.abs(do.lottery - lp.lottery).max()),
                         "max_diff_vs_scipy": float(np.abs(do.lottery - sp).max())})
            print(f"  large m={m} {culture}: DO {t_do:.3f} s, LP {t_lp:.3f} s, scipy {t_sp:.3f} s", flush=True)
    return rows


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv
    everything = ("batched_lottery", "large_lottery", "ranked_pairs", "kemeny", "slater")
    chosen = everything
    if "--sections" in argv:
        chosen = tuple(argv[argv.index("--sections") + 1].split(","))
        unknown = sorted(set(chosen) - set(everything))
        if unknown:
            raise SystemExit(f"unknown sections {unknown}; choose from {list(everything)}")
    have_pv = warm_up_peers()
    rows = []
    if "batched_lottery" in chosen:
        rows += bench_batched_lottery(quick)
    if "large_lottery" in chosen:
        rows += bench_large_lottery(quick)
    if "ranked_pairs" in chosen:
        rows += bench_ranked_pairs(quick, have_pv)
    for kind in ("kemeny", "slater"):
        if kind in chosen:
            rows += bench_ordering(kind, quick, have_pv)
    if chosen != everything:  # keep the other sections' stored rows: the file stays a full result
        path = RESULTS / "exact_rules.json"
        if path.exists():
            kept = [r for r in json.loads(path.read_text(encoding="utf-8"))["rows"] if r["section"] not in chosen]
            rows = kept + rows
    path = store("exact_rules", rows, packages=("pref_voting",),
                 notes="Kemeny/Slater/ranked pairs times are end to end from the margin matrix (ranked pairs: from a "
                       "ranking array); peers in a forked child with a time limit (None = did not finish). "
                       + ("--quick run." if quick else "Full run."))
    for section, cols in (
            ("batched_lottery", ["instances", "voters_per_instance", "batch_s", "loop_scipy_linprog_ms_each",
                                 "loop_ours_lp_ms_each", "speedup_vs_scipy_loop", "speedup_vs_ours_lp_loop",
                                 "max_diff_unique_vs_scipy", "unique_share"]),
            ("large_lottery", ["data", "alternatives", "double_oracle_s", "one_shot_lp_s", "scipy_linprog_s",
                               "speedup_vs_one_shot", "support", "max_diff_vs_lp"]),
            ("ranked_pairs", ["data", "voters", "alternatives", "ours_s", "pref_voting_s", "speedup",
                              "same_winners", "tied_groups", "states"]),
            ("kemeny", ["data", "voters", "alternatives", "seed", "ours_s", "ranking_only_s", "proofs", "largest_block",
                        "pref_voting_s", "speedup", "same_winners"]),
            ("slater", ["data", "voters", "alternatives", "seed", "ours_s", "status", "proofs", "pref_voting_s",
                        "speedup", "same_winners"])):
        print(f"\n### {section}\n")
        print(table([r for r in rows if r["section"] == section], cols))
    print(f"stored {path.name}")


if __name__ == "__main__":
    main()
