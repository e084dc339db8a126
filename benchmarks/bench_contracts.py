"""Optimal hidden-action contracts: rebuild vs cached re-solve vs direct HiGHS vs pruning, and batches.

For each size (outcomes x actions) the time to find the principal's optimal
contract over all actions by:

* ``rebuild per LP``      -- a fresh program for every action (:func:`solvers.contracts.min_pay`);
* ``re-solve (cached)``   -- one :class:`~solvers.contracts.ContractProgram`, every action, no pruning;
* ``re-solve (scipy)``    -- the same with the ``scipy`` backend (linprog, rebuilt each call);
* ``direct HiGHS loop``   -- highspy models built by hand in the textbook form, one per action;
* ``optimal_contract``    -- the default path: cached program, actions pruned by the first-best
  and single-deviation bounds (model built inside the timing).

Quality columns: the certificate's IC slack (largest gain of a deviation,
recomputed in numpy) and the gap in principal utility to the unpruned cached
route.  Then the throughput of :func:`solvers.contracts.best_action_batch` on
a batch sharing one outcome matrix (built once, re-solved) and on a batch of
distinct matrices; and, for batches of different outcome matrices of one
shape, a program rebuilt per instance against one program whose IC
coefficients are replaced (``LinearProgram.set_coefficients``) and re-solved
from the previous HiGHS basis.  Instances: outcomes on a quality scale, effort tilting the
distribution exponentially, convex costs, linear rewards (interior optimum);
and, for the cached and pruned routes only, unstructured Dirichlet instances.
Wall times on a shared machine are noisy; ``cpu_seconds`` (process time) is
recorded beside them.

Run: ``python -m benchmarks.bench_contracts`` (stores ``results/contracts.json``).
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks._common import best_time, store, table
from mechanisms.contracts import PrincipalAgent
from solvers import contracts as sc

SIZES = [(10, 20), (100, 20), (1_000, 100)]
BATCH = 200
BATCH_DISTINCT = [((10, 20), 200), ((100, 20), 50), ((1_000, 100), 5)]


def instance(m: int, n: int, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    z = np.linspace(0.0, 1.0, m)
    base = rng.uniform(0.5, 1.5, m)
    effort = np.linspace(0.0, 1.0, n)
    P = base[None, :] * np.exp(4.0 * effort[:, None] * z[None, :])
    P /= P.sum(axis=1, keepdims=True)
    costs = 1.0 * effort**2
    rewards = 10.0 * z
    return P, costs, rewards


def dirichlet_instance(m: int, n: int, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unstructured instances: no likelihood-ratio order, so the closed-form bounds are looser."""
    P = rng.dirichlet(np.ones(m), size=n)
    costs = np.sort(rng.uniform(0.0, 1.0, n))
    costs[0] = 0.0
    return P, costs, np.sort(rng.uniform(0.0, 10.0, m))


def rebuild_route(P, c, R):
    best = (-np.inf, None)
    for a in range(P.shape[0]):
        res = sc.min_pay(P, c, a)
        if res.x is not None and R[a] - res.objective > best[0]:
            best = (R[a] - res.objective, res.x)
    return best


def cached_route(P, c, R, backend="auto"):
    out = sc.ContractProgram(P, backend=backend).best_action(c, R, prune=False)
    return out.value, out.best.x


def direct_highs_route(P, c, R):
    import highspy
    import scipy.sparse as sp

    n, m = P.shape
    best = (-np.inf, None)
    for a in range(n):
        others = np.arange(n) != a
        A = sp.csc_matrix(np.vstack([P[a] - P[others], P[a][None, :]]))
        lo = np.r_[c[a] - c[others], c[a]]
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = m, A.shape[0]
        lp.col_cost_ = P[a]
        lp.col_lower_ = np.zeros(m)
        lp.col_upper_ = np.full(m, highspy.kHighsInf)
        lp.row_lower_ = lo
        lp.row_upper_ = np.full(A.shape[0], highspy.kHighsInf)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
        h.passModel(lp)
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            t = np.maximum(np.asarray(h.getSolution().col_value), 0.0)
            val = R[a] - P[a] @ t
            if val > best[0]:
                best = (val, t)
    return best


def pruned_route(P, c, r):
    res = PrincipalAgent(P, c, r).optimal_contract()
    return res.principal_utility, res.payments


def ic_slack(P, c, t) -> float:
    """Largest gain of a deviation from the implemented action (the one maximizing the agent's utility)."""
    u = P @ t - c
    return float(max(0.0, u.max() - u[np.argmax(u)]))


def run(seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for kind, make in (("tilted", instance), ("dirichlet", dirichlet_instance)):
        for m, n in SIZES:
            P, c, r = make(m, n, rng)
            R = P @ r
            ref_val, _ = cached_route(P, c, R)
            repeat = 1 if m * n >= 100_000 else 3
            routes = {
                "rebuild per LP": lambda: rebuild_route(P, c, R),
                "re-solve (cached)": lambda: cached_route(P, c, R),
                "re-solve (scipy)": lambda: cached_route(P, c, R, backend="scipy"),
                "direct HiGHS loop": lambda: direct_highs_route(P, c, R),
                "optimal_contract": lambda: pruned_route(P, c, r),
            }
            if kind == "dirichlet":
                routes = {k: v for k, v in routes.items() if k in ("re-solve (cached)", "optimal_contract")}
            start = len(rows)
            for name, fn in routes.items():
                c0 = time.process_time()
                secs = best_time(fn, repeat=repeat, min_time=0.0 if repeat == 1 else 0.2)
                cpu = time.process_time() - c0
                val, t = fn()
                implemented = int(np.argmax(P @ t - c + 1e-12 * R))
                cert = sc.contract_certificate(P, c, implemented, t)
                rows.append({"instances": kind, "size": f"{m}x{n}", "route": name, "seconds": secs,
                             "cpu_seconds_all_repeats": cpu, "ic_slack": cert.max_ic_violation,
                             "ll_violation": cert.limited_liability_violation, "utility_gap": abs(val - ref_val)})
            base = next((row["seconds"] for row in rows[start:] if row["route"] == "direct HiGHS loop"), None)
            for row in rows[start:]:
                if base:
                    row["vs_direct_highs"] = row["seconds"] / base
            res = PrincipalAgent(P, c, r).optimal_contract()
            rows[-1]["lps_solved"] = int(res.table.solved.sum())
            rows[-1]["optimal_action"] = int(res.action)
    # Batches: 10 outcomes x 20 actions.
    P, c, r = instance(10, 20, rng)
    costs = c[None, :] * rng.uniform(0.5, 2.0, (BATCH, 1))
    values = np.broadcast_to(P @ r, (BATCH, P.shape[0]))
    Ps = np.stack([instance(10, 20, rng)[0] for _ in range(BATCH)])
    for name, probs in (("batch, shared outcome matrix", P), ("batch, distinct matrices", Ps)):
        t0, c0 = time.perf_counter(), time.process_time()
        out = sc.best_action_batch(probs, costs, values)
        secs = time.perf_counter() - t0
        rows.append({"instances": "tilted", "size": f"{BATCH} x (10x20)", "route": name, "seconds": secs,
                     "cpu_seconds_all_repeats": time.process_time() - c0, "instances_per_s": BATCH / secs,
                     "ic_slack": float(np.nanmax(out.max_ic_violation)), "lps_solved": int(out.n_solved.sum())})
    rows.extend(distinct_matrix_batches(rng))
    return rows


def distinct_matrix_batches(rng) -> list[dict]:
    """Batches of different outcome matrices of one shape: a program rebuilt per instance
    (:func:`solvers.contracts.best_action` in a loop) against one program whose IC coefficients are
    replaced per instance (:func:`solvers.contracts.best_action_batch` with 3-d ``probs``, which uses
    :meth:`solvers.lp.LinearProgram.set_coefficients` and warm-starts HiGHS from the previous basis)."""
    rows = []
    for (m, n), batch in BATCH_DISTINCT:
        for kind, make in (("tilted", instance), ("dirichlet", dirichlet_instance)):
            inst = [make(m, n, rng) for _ in range(batch)]
            Ps = np.stack([P for P, _, _ in inst])
            costs = np.stack([cst for _, cst, _ in inst])
            values = np.stack([P @ r for P, _, r in inst])
            t0, c0 = time.perf_counter(), time.process_time()
            loop = [sc.best_action(Ps[i], costs[i], values[i]) for i in range(batch)]
            secs = time.perf_counter() - t0
            cpu = time.process_time() - c0
            slack = max(sc.contract_certificate(Ps[i], costs[i], res.action, res.best.x).max_ic_violation
                        for i, res in enumerate(loop))
            ref = np.array([res.value for res in loop])
            rows.append({"instances": kind, "size": f"{batch} x ({m}x{n})",
                         "route": "batch, different outcome matrices: rebuild per instance", "seconds": secs,
                         "cpu_seconds_all_repeats": cpu, "instances_per_s": batch / secs, "ic_slack": slack,
                         "lps_solved": int(sum(res.solved.sum() for res in loop))})
            t0, c0 = time.perf_counter(), time.process_time()
            out = sc.best_action_batch(Ps, costs, values)
            secs = time.perf_counter() - t0
            cpu = time.process_time() - c0
            slack = max(sc.contract_certificate(Ps[i], costs[i], out.action[i], out.payments[i]).max_ic_violation
                        for i in range(batch))
            rows.append({"instances": kind, "size": f"{batch} x ({m}x{n})",
                         "route": "batch, different outcome matrices: set_coefficients re-solve", "seconds": secs,
                         "cpu_seconds_all_repeats": cpu, "instances_per_s": batch / secs, "ic_slack": slack,
                         "lps_solved": int(out.n_solved.sum()),
                         "utility_gap": float(np.max(np.abs(out.value - ref)))})
    return rows
    return rows


def main() -> None:
    import os

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    rows = run()
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    path = store("contracts", rows, notes=(
        "Optimal contract over all actions; 'vs_direct_highs' is the time ratio to the hand-built highspy loop "
        "measured in the same run; ic_slack is recomputed in numpy from the returned payments. "
        f"1-minute load average before/after the run: {load_before}/{load_after} (wall times on a loaded "
        "machine are inflated; compare routes within a size)."))
    print(table(rows, ["instances", "size", "route", "seconds", "vs_direct_highs", "lps_solved", "instances_per_s",
                       "ic_slack", "utility_gap"]))
    print(f"stored {path.name}")


if __name__ == "__main__":
    main()
