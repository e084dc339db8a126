"""Automated mechanism design LPs: program size vs time, route vs route, backend vs backend.

Two families, each row with its quality columns (the certificate's ``max_regret``,
recomputed in numpy over *all* pairs of true and reported types, and the
distance to the known optimum):

``optimal_menu`` (one buyer, additive values over ``items`` items, a menu of lotteries)
    * ``plain LP``: every one of the ``T (T - 1)`` IC pairs in one program
      (``method="full"``), the baseline the issue quotes (20 x 20 grid: 159,600
      IC rows, 34 s);
    * ``constraint generation``: nearest-neighbour IC pairs, then the violated
      pairs found by the all-pairs numpy check, re-solving the cached program.
    Types: the midpoint grid of U[0, 1]^items (Manelli-Vincent; the optimum for
    the continuum is (12 + 2 sqrt 2) / 27 for two items) and i.i.d. uniform
    random types (less structure, more rounds).

``optimal_auction`` (one item, ``n`` i.i.d. bidders, ``K`` types per bidder)
    * ``reduced (local IC)``: interim variables, Border's upper-set constraints,
      adjacent IC + monotonicity (the default);
    * ``reduced (all IC pairs)``: the same with all ``K (K - 1)`` IC rows;
    * ``ex-post DSIC``: anonymous ex-post variables, dominant-strategy IC, ex-post IR.
    Quality: distance to Myerson's revenue with discrete ironed virtual values.

Backends: ``highs`` (direct highspy, cached model, warm-started re-solves),
``scipy`` (linprog, rebuilt per solve) and ``cvxpy`` (compiled once, HiGHS
underneath).  Ratios are to the plain LP (menus) or to the default route on
the ``highs`` backend (auctions) measured in the same run.  Wall times on a
shared machine are noisy; ``cpu_seconds`` and the load average are recorded.

Run: ``python -m benchmarks.bench_amd`` (stores ``results/amd.json``);
``python -m benchmarks.bench_amd --quick`` skips the slowest plain LPs.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import time

import numpy as np

from benchmarks._common import best_time, store, table
from mechanisms.auctions import myerson_revenue, optimal_auction, optimal_menu

MV_REVENUE = (12 + 2 * math.sqrt(2)) / 27


def grid_types(G: int, items: int = 2):
    g = (np.arange(G) + 0.5) / G
    types = np.array(list(itertools.product(g, repeat=items)))
    return types, np.full(types.shape[0], 1.0 / types.shape[0])


def random_types(T: int, items: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.0, 1.0, size=(T, items)), np.full(T, 1.0 / T)


def timed(fn, repeat):
    """(best wall time, CPU time of all runs, last result)."""
    out = {}

    def run():
        out["res"] = fn()

    cpu0 = time.process_time()
    seconds = best_time(run, repeat=repeat, min_time=0.0, max_repeat=repeat)
    return seconds, time.process_time() - cpu0, out["res"]


def menu_rows(quick: bool) -> list[dict]:
    rows = []
    cases = [("grid", 10, 2), ("grid", 20, 2), ("grid", 30, 2), ("grid", 40, 2),
             ("random", 200, 2), ("random", 400, 3), ("grid", 8, 3)]
    for kind, size, items in cases:
        types, probs = grid_types(size, items) if kind == "grid" else random_types(size, items)
        T = types.shape[0]
        label = f"{kind} {size}^{items}" if kind == "grid" else f"random {size} x {items}"
        routes = [("constraint generation", "highs"), ("constraint generation", "scipy"),
                  ("constraint generation", "cvxpy")]
        full_ok = T * (T - 1) <= (160_000 if not quick else 40_000)
        if full_ok:
            routes = [("plain LP", "highs"), ("plain LP", "scipy")] + routes
            if T * (T - 1) <= 10_000:
                routes.append(("plain LP", "cvxpy"))
        base = None
        reference = None
        for route, backend in routes:
            method = "full" if route == "plain LP" else "constraint_generation"
            slow = T * (T - 1) > 40_000 and route == "plain LP"
            repeat = 1 if slow or T >= 1600 else 3
            seconds, cpu, res = timed(lambda: optimal_menu(types, probs, method=method, backend=backend), repeat)
            if route == "plain LP" and backend == "highs":
                base, reference = seconds, res.revenue
            row = {
                "family": "optimal_menu", "types": label, "n_types": T, "items": items, "route": route,
                "backend": backend, "ic_rows_all_pairs": T * (T - 1), "ic_rows_used": int(res.ic_pairs.shape[0]),
                "rounds": res.rounds, "seconds": seconds, "cpu_seconds_all_repeats": cpu,
                "status": res.status.value, "revenue": res.revenue, "max_regret": res.certificate.max_regret,
                "max_ir_violation": res.certificate.max_ir_violation,
            }
            if reference is not None:
                row["revenue_gap_to_plain_lp"] = abs(res.revenue - reference)
            if base is not None:
                row["speedup_vs_plain_lp_highs"] = base / seconds
            if kind == "grid" and items == 2:
                row["gap_to_manelli_vincent"] = res.revenue - MV_REVENUE
            rows.append(row)
            print(f"  menu {label:>14} {route:>22} {backend:>6}: {seconds:8.3f} s  rows {row['ic_rows_used']:>7}"
                  f"  regret {row['max_regret']:.1e}", file=sys.stderr)
    return rows


def auction_rows() -> list[dict]:
    rows = []
    for K, n in [(10, 2), (50, 2), (200, 2), (1000, 2), (50, 3), (200, 5), (10, 3), (20, 3)]:
        values = (np.arange(K) + 0.5) / K
        probs = np.full(K, 1.0 / K)
        exact = myerson_revenue((values, probs), n)
        routes = [("reduced (local IC)", dict()), ("reduced (all IC pairs)", dict(reduce_ic=False))]
        if math.comb(K + n - 2, n - 1) * K <= 20_000:
            routes.append(("ex-post DSIC", dict(ic="dominant", ir="ex_post")))
        base = None
        for (route, kwargs), backend in itertools.product(routes, ("highs", "scipy", "cvxpy")):
            if route == "reduced (all IC pairs)" and K > 200:
                continue
            seconds, cpu, res = timed(lambda: optimal_auction(values, probs, n, backend=backend, **kwargs), 3)
            if base is None:
                base = seconds
            rows.append({
                "family": "optimal_auction", "types_per_bidder": K, "n_bidders": n, "route": route,
                "backend": backend, "n_variables": int(res.x.size), "seconds": seconds,
                "cpu_seconds_all_repeats": cpu, "status": res.status.value, "revenue": res.revenue,
                "gap_to_myerson_formula": abs(res.revenue - exact), "max_regret": res.certificate.max_regret,
                "ratio_vs_default_highs": seconds / base,
            })
            print(f"  auction K={K:>4} n={n} {route:>22} {backend:>6}: {seconds:8.4f} s  "
                  f"gap {rows[-1]['gap_to_myerson_formula']:.1e}", file=sys.stderr)
    return rows


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv
    load_before = os.getloadavg()[0]
    # warm up imports and the solvers once, outside the timings
    for backend in ("highs", "scipy", "cvxpy"):
        optimal_menu(*grid_types(3), backend=backend)
        optimal_auction([1.0, 2.0], [0.5, 0.5], 2, backend=backend)
    rows = menu_rows(quick) + auction_rows()
    load_after = os.getloadavg()[0]
    notes = ("Menus: speedup_vs_plain_lp_highs = time of the all-pairs LP on the highs backend / time of the row, "
             "same run. Auctions: ratio_vs_default_highs = time / time of the default route (reduced form, "
             "local IC) on highs, same run. max_regret is recomputed in numpy over all pairs of types. "
             f"1-minute load average before/after: {load_before:.2f}/{load_after:.2f} on "
             f"{os.cpu_count()} cores (other jobs were running: wall times are inflated; compare within a size)."
             + (" --quick: plain LPs above 40,000 IC rows skipped." if quick else ""))
    path = store("amd", rows, notes=notes)
    menu = [r for r in rows if r["family"] == "optimal_menu"]
    print(table(menu, ["types", "route", "backend", "ic_rows_used", "rounds", "seconds",
                       "speedup_vs_plain_lp_highs", "revenue", "max_regret"]))
    auction = [r for r in rows if r["family"] == "optimal_auction"]
    print(table(auction, ["types_per_bidder", "n_bidders", "route", "backend", "n_variables", "seconds",
                          "ratio_vs_default_highs", "gap_to_myerson_formula", "max_regret"]))
    print(f"stored {path.name}")


if __name__ == "__main__":
    main()
