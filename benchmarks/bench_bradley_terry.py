"""Bradley-Terry maximum likelihood: ``solvers.preference_models.fit_bradley_terry`` against choix.

Data: ``n_items`` log-strengths drawn from N(0, 1), ``n_comparisons`` pairs drawn
uniformly at random, outcomes drawn from the Bradley-Terry model (fixed seed).
Every solver fits the plain MLE (no regularization); quality is the
log-likelihood reached (ours minus choix's, so >= 0 means at least as good) and
the largest difference of the centred scores; speed is wall time, and the ratio
is choix's time over ours, measured in the same run.

Run ``python -m benchmarks.bench_bradley_terry`` (add ``--quick`` to skip the
largest size).  Results go to ``benchmarks/results/bradley_terry.json``.
choix runs in a subprocess with a time limit (``--choix-limit`` seconds); a
size where it exceeds the limit is recorded with ``ratio_at_least`` = limit /
our time (a measured lower bound), stated in the row's note.

Optimality is also checked at every size without choix, by code written here
(sharing nothing with the solver): the gradient of the log-likelihood at our
scores recomputed from the raw comparison rows (``ours_grad_*_independent``;
the MLE is the point where it vanishes), and the log-likelihood reached by
scipy's L-BFGS-B on the same objective (a second peer, with its time ratio).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_expit

from benchmarks._common import best_time, store, table
from solvers.preference_models import bradley_terry_log_likelihood, fit_bradley_terry

SIZES = [(100, 10_000), (1_000, 100_000), (10_000, 1_000_000)]


def make_data(n_items: int, n_comparisons: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=n_items)
    a = rng.integers(n_items, size=n_comparisons)
    b = (a + 1 + rng.integers(n_items - 1, size=n_comparisons)) % n_items
    p = 1.0 / (1.0 + np.exp(theta[b] - theta[a]))
    win = rng.random(n_comparisons) < p
    return np.where(win[:, None], np.stack([a, b], axis=1), np.stack([b, a], axis=1))


# ---------------------------------------------------------------- independent optimality checks
# Plain numpy / scipy written here, sharing no code with solvers.preference_models.

def kkt_residual(theta, comp, n_items):
    """Gradient of the plain BT log-likelihood at ``theta``, from the raw (winner, loser) rows.

    Returns (max |g_i|, max |g_i| / (1 + c_i)) with ``c_i`` the number of
    comparisons of item ``i``; the MLE is a stationary point (g = 0), so both
    measure how far ``theta`` is from optimal.
    """
    w, l = comp[:, 0], comp[:, 1]
    q = expit(theta[l] - theta[w])                     # 1 - P(winner beats loser)
    g = np.bincount(w, q, minlength=n_items) - np.bincount(l, q, minlength=n_items)
    c = np.bincount(w, minlength=n_items) + np.bincount(l, minlength=n_items)
    return float(np.abs(g).max()), float((np.abs(g) / (1.0 + c)).max())


def raw_loglik(theta, comp):
    """Plain BT log-likelihood summed over the raw rows."""
    return float(log_expit(theta[comp[:, 0]] - theta[comp[:, 1]]).sum())


def fit_lbfgs(comp, n_items):
    """Independent optimizer: scipy L-BFGS-B on the plain negative log-likelihood over ordered-pair counts,
    plus ``(sum theta)^2 / 2`` (zero at the mean-0 optimum; fixes the translation).  Time includes the
    aggregation.  Returns (seconds, centred theta, iterations)."""
    start = time.perf_counter()
    keys, counts = np.unique(comp[:, 0].astype(np.int64) * n_items + comp[:, 1], return_counts=True)
    w, l, c = keys // n_items, keys % n_items, counts.astype(np.float64)

    def fun(theta):
        d = theta[w] - theta[l]
        s = theta.sum()
        q = c * expit(-d)
        g = np.bincount(l, q, minlength=n_items) - np.bincount(w, q, minlength=n_items) + s
        return -float(c @ log_expit(d)) + 0.5 * s * s, g

    res = minimize(fun, np.zeros(n_items), jac=True, method="L-BFGS-B",
                   options={"maxiter": 20_000, "maxcor": 20, "ftol": 0.0, "gtol": 1e-9})
    seconds = time.perf_counter() - start
    return seconds, res.x - res.x.mean(), int(res.nit)


def _choix_worker(method, n_items, n_comparisons, queue):
    import choix

    comp = make_data(n_items, n_comparisons)
    data = [tuple(map(int, row)) for row in comp]
    fit = getattr(choix, method)
    start = time.perf_counter()
    params = fit(n_items, data)
    queue.put((time.perf_counter() - start, np.asarray(params)))


def run_choix(method, n_items, n_comparisons, limit):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_choix_worker, args=(method, n_items, n_comparisons, queue))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    if queue.empty():  # pragma: no cover - the worker crashed
        return None, None
    return queue.get()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the largest size")
    parser.add_argument("--choix-limit", type=float, default=900.0, help="seconds per choix fit")
    parser.add_argument("--choix-methods", nargs="+", default=["mm_pairwise", "ilsr_pairwise"],
                        choices=["mm_pairwise", "ilsr_pairwise"], help="choix methods to run")
    parser.add_argument("--choix-max-comparisons", type=int, default=None,
                        help="run choix only at sizes with at most this many comparisons")
    args = parser.parse_args(argv)
    sizes = SIZES[:-1] if args.quick else SIZES
    rows = []
    measured = {}
    for n_items, n_comp in sizes:
        comp = make_data(n_items, n_comp)
        result = fit_bradley_terry(comp, n_items=n_items)
        ours = best_time(lambda: fit_bradley_terry(comp, n_items=n_items), repeat=3 if n_comp <= 100_000 else 2,
                         min_time=0.5)
        ll_ours = result.log_likelihood
        grad_max, grad_rel = kkt_residual(np.asarray(result.x), comp, n_items)
        ll_ours_raw = raw_loglik(np.asarray(result.x), comp)
        common = {"n_items": n_items, "n_comparisons": n_comp, "ours_s": ours,
                  "ours_iterations": result.info.iterations,
                  "ours_stationarity": result.certificate.stationarity,
                  "ours_grad_max_independent": grad_max, "ours_grad_rel_independent": grad_rel,
                  "loglik_ours": ll_ours, "loglik_ours_independent": ll_ours_raw}
        sec_lb, theta_lb, it_lb = fit_lbfgs(comp, n_items)
        ll_lb = raw_loglik(theta_lb, comp)
        row = dict(common, peer="scipy.L-BFGS-B", peer_s=sec_lb, ratio=sec_lb / ours, peer_iterations=it_lb,
                   loglik_peer=ll_lb, loglik_gain=ll_ours_raw - ll_lb,
                   peer_grad_rel_independent=kkt_residual(theta_lb, comp, n_items)[1],
                   max_score_diff=float(np.max(np.abs(theta_lb - result.x))))
        rows.append(row)
        print(table([row], ["n_items", "n_comparisons", "peer", "ours_s", "peer_s", "ratio", "loglik_gain",
                            "ours_grad_rel_independent", "max_score_diff"]), flush=True)
        run_peer = args.choix_max_comparisons is None or n_comp <= args.choix_max_comparisons
        for method in args.choix_methods if run_peer else ():
            seconds, params = run_choix(method, n_items, n_comp, args.choix_limit)
            row = dict(common, peer=f"choix.{method}")
            if seconds is None:
                # the peer did not finish within the limit: the limit bounds the ratio from below
                base = measured.get(method)
                row["peer_s"] = None
                row["peer_s_at_least"] = args.choix_limit
                row["ratio_at_least"] = args.choix_limit / ours
                row["note"] = (f"choix did not finish within {args.choix_limit:.0f} s (killed); ratio_at_least = "
                               f"limit / our time")
                if base is not None:
                    row["peer_s_linear_extrapolation"] = base[1] * n_comp / base[0]
                    row["note"] += (f"; a linear extrapolation from {base[0]:,} comparisons would predict "
                                    f"{row['peer_s_linear_extrapolation']:.0f} s, which the measurement refutes")
            else:
                measured[method] = (n_comp, seconds)
                theta = params - params.mean()
                ll_peer = bradley_terry_log_likelihood(theta, comp)
                row.update(peer_s=seconds, ratio=seconds / ours, loglik_peer=ll_peer,
                           loglik_gain=ll_ours - ll_peer,
                           peer_grad_rel_independent=kkt_residual(theta, comp, n_items)[1],
                           max_score_diff=float(np.max(np.abs(theta - result.x))))
            rows.append(row)
            print(table([row], ["n_items", "n_comparisons", "peer", "ours_s", "peer_s", "ratio", "ratio_at_least",
                                "loglik_gain", "max_score_diff"]), flush=True)
    notes = ("Plain MLE (l2=0) on simulated Bradley-Terry data (theta ~ N(0,1), uniform random pairs, seed 0). "
             "ratio = peer time / our time in the same run; loglik_gain = our log-likelihood minus the peer's "
             "at its returned scores (>= 0: we reach at least the same likelihood). Our time includes "
             "aggregation to pair counts, the existence check (strong connectivity) and the certificate. "
             "Independent checks at every size (numpy/scipy code in the benchmark): ours_grad_max_independent / "
             "ours_grad_rel_independent = max |gradient| (absolute, and divided by 1 + the item's comparison "
             "count) of the plain log-likelihood at our scores from the raw rows; loglik_ours_independent = "
             "our log-likelihood recomputed from the raw rows; peer scipy.L-BFGS-B minimizes the same "
             "objective (plus (sum theta)^2/2 to fix the translation) over ordered-pair counts, its time "
             "including that aggregation. The machine is shared with other jobs (2 cores), which slows "
             "both sides.")
    path = store("bradley_terry", rows, packages=("choix",), notes=notes)
    print(f"stored {path}")


if __name__ == "__main__":
    main()
