"""Every registered ordinal rule that pref_voting also has, against pref_voting, end to end.

For each size (voters x alternatives, impartial culture, one seeded ranking
array per size) and each rule, the time from the ``(n_voters, n_alternatives)``
ranking array to the winners, *including profile construction on both sides*
(``Profile.from_rankings`` here, ``pref_voting.profiles.Profile`` there), and
whether both return the same winner set (for probabilistic rules: the same
lottery within 1e-6).  Ratios are measured in the same run.

* Registry-driven: every rule in ``list_rules(input_kind="ordinal")`` with an
  entry in :data:`PEERS` is measured; ordinal rules without a pref_voting
  counterpart are listed in the stored notes.  Rules registered later appear
  without edits once :data:`PEERS` names their counterpart.
* Each side runs in its own worker process (pref_voting's numba kernels are
  compiled first, on a tiny profile, so compile time is not counted).  A call
  that takes longer than :data:`TIME_LIMIT` seconds is stopped and recorded as
  "> 60 s" (its worker is restarted).
* Times are the best of up to 5 runs for calls under a second, one run otherwise.
* ``margins`` is the margin matrix itself (no rule), the yardstick of the issue.

Run: ``python -m benchmarks.bench_rules`` (stores ``results/rules.json``);
``--quick`` runs only the smallest size; ``--rules irv,coombs --sizes 1000x100`` measures
only those rules (ids as registered) and sizes, and merges the new rows into the stored
results (replacing rows of the same rule, options and size, keeping all others).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import time

import numpy as np

from benchmarks._common import RESULTS, store, table

SIZES = [(1_000, 5), (100_000, 5), (10_000, 20), (1_000, 100)]
TIME_LIMIT = 60.0
_GRACE = 10.0  # extra seconds for the repeats of a fast call and the pipe

# our id -> list of (our options, pref_voting module, function, known difference)
PEERS: dict[str, list[tuple[dict, str, str, str]]] = {
    "plurality": [({}, "scoring_methods", "plurality", "")],
    "borda": [({}, "scoring_methods", "borda", "")],
    "antiplurality": [({}, "scoring_methods", "anti_plurality", "")],
    "dowdall": [({}, "scoring_methods", "dowdall", "pref_voting sums 1/k in floating point (may split exact ties)")],
    "instant_runoff": [
        ({}, "iterative_methods", "instant_runoff_put", ""),
        ({"elimination": "simultaneous"}, "iterative_methods", "instant_runoff", ""),
    ],
    "plurality_with_runoff": [({}, "iterative_methods", "plurality_with_runoff_put", "")],
    "coombs": [
        ({}, "iterative_methods", "coombs_put", ""),
        ({"elimination": "simultaneous"}, "iterative_methods", "coombs", ""),
    ],
    "baldwin": [
        ({}, "iterative_methods", "baldwin_put", ""),
        ({"elimination": "simultaneous"}, "iterative_methods", "baldwin", ""),
    ],
    "nanson": [({}, "iterative_methods", "strict_nanson", "")],
    "bucklin": [({}, "other_methods", "bucklin", "")],
    "black": [({}, "combined_methods", "blacks", "")],
    "condorcet": [({}, "c1_methods", "condorcet", "")],
    "copeland": [({}, "c1_methods", "copeland", "")],
    "llull": [({}, "c1_methods", "llull", "")],
    "minimax": [({}, "margin_based_methods", "minimax", "")],
    "schulze": [({}, "margin_based_methods", "beat_path", "")],
    "ranked_pairs": [({}, "margin_based_methods", "ranked_pairs", "")],
    "ranked_pairs_tb": [({}, "margin_based_methods", "ranked_pairs_tb", "")],
    "split_cycle": [({}, "margin_based_methods", "split_cycle", "")],
    "stable_voting": [({}, "margin_based_methods", "stable_voting", "")],
    "smith_set": [({}, "c1_methods", "top_cycle", "")],
    "schwartz_set": [({}, "c1_methods", "gocha", "")],
    "uncovered_set": [({}, "c1_methods", "uc_gill", "")],
    "dodgson": [({}, "other_methods", "dodgson", "")],
    "kemeny": [({}, "other_methods", "kemeny_young", "")],
    "slater": [({}, "c1_methods", "slater", "")],
    "maximal_lottery": [({}, "probabilistic_methods", "maximal_lottery", "")],
    "random_dictatorship": [({}, "probabilistic_methods", "random_dictator", "")],
    "proportional_borda": [({}, "probabilistic_methods", "pr_borda", "")],
}


# ---------------------------------------------------------------------------- workers
def _repeat(fn, first_limit: float = 1.0, repeat: int = 5, budget: float = 3.0):
    """(best time, first output): one run, repeated while fast."""
    t0 = time.perf_counter()
    out = fn()
    best = time.perf_counter() - t0
    if best < first_limit:
        start = time.perf_counter()
        for _ in range(repeat - 1):
            if time.perf_counter() - start > budget:
                break
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
    return best, out


def _normalize(value):
    """Winners as a sorted list of ints, or a lottery as a list of floats."""
    if isinstance(value, dict):
        m = max(int(k) for k in value) + 1
        lottery = np.zeros(m)
        for k, v in value.items():
            lottery[int(k)] = float(v)
        return {"lottery": lottery.tolist()}
    if hasattr(value, "lottery") and value.lottery is not None:
        return {"lottery": [float(x) for x in value.lottery]}
    if hasattr(value, "winners"):
        return {"winners": [int(a) for a in value.winners]}
    if isinstance(value, np.ndarray) and value.ndim == 2:
        return {"margins": value.astype(np.int64)}
    return {"winners": sorted(int(a) for a in value)}


def _ours_call(task, rankings):
    from mechanisms.profiles import Profile
    from mechanisms.social_choice import get_rule

    if task["rule"] == "margins":
        return lambda: Profile.from_rankings(rankings).margin_matrix()
    rule = get_rule(task["rule"])
    return lambda: rule(Profile.from_rankings(rankings), **task["options"])


def _pv_call(task, rankings):
    import importlib

    from pref_voting.profiles import Profile as PVProfile

    if task["rule"] == "margins":
        return lambda: np.asarray(PVProfile(rankings).margin_matrix)
    fn = getattr(importlib.import_module(f"pref_voting.{task['module']}"), task["function"])
    return lambda: fn(PVProfile(rankings))


def _warm(side: str, tasks: list[dict]) -> None:
    tiny = np.array([[0, 1, 2, 3], [1, 2, 3, 0], [2, 3, 0, 1], [0, 2, 1, 3], [3, 1, 0, 2]])
    for task in tasks:
        try:
            (_ours_call if side == "ours" else _pv_call)(task, tiny)()
        except Exception:  # noqa: BLE001 - warming only; the real call reports errors
            pass


def _worker(side: str, conn, tasks: list[dict]) -> None:  # pragma: no cover - runs in a child process
    import warnings

    warnings.filterwarnings("ignore")
    _warm(side, tasks)
    conn.send(("ready", None))
    rankings = None
    while True:
        message, payload = conn.recv()
        if message == "stop":
            return
        if message == "data":
            rankings = payload
            conn.send(("ok", None))
            continue
        call = (_ours_call if side == "ours" else _pv_call)(payload, rankings)
        try:
            seconds, out = _repeat(call)
            conn.send(("ok", (seconds, _normalize(out))))
        except Exception as exc:  # noqa: BLE001 - reported as the row's error
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Side:
    """One worker process for one side, restarted after a call runs past the time limit."""

    def __init__(self, side: str, tasks: list[dict]):
        self.side, self.tasks, self.rankings = side, tasks, None
        self._start()

    def _start(self):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(self.side, child, self.tasks), daemon=True)
        self.proc.start()
        self.conn.recv()  # warmed up
        if self.rankings is not None:
            self._send("data", self.rankings, None)

    def _send(self, message, payload, timeout):
        self.conn.send((message, payload))
        if timeout is not None and not self.conn.poll(timeout):
            self.proc.kill()
            self.proc.join()
            self._start()
            return "timeout", None
        return self.conn.recv()

    def load(self, rankings):
        self.rankings = rankings
        self._send("data", rankings, None)

    def run(self, task):
        return self._send("run", task, TIME_LIMIT + _GRACE)

    def close(self):
        self.conn.send(("stop", None))
        self.proc.join(timeout=10)


# ---------------------------------------------------------------------------- the benchmark
def _tasks(rules=None) -> tuple[list[dict], list[str]]:
    from mechanisms.social_choice import list_rules

    tasks = [{"rule": "margins", "options": {}, "module": None, "function": "Profile.margin_matrix", "note": ""}]
    missing = []
    if rules is not None:
        tasks = [t for t in tasks if t["rule"] in rules]
    for rule in list_rules(input_kind="ordinal"):
        if rules is not None and rule.id not in rules:
            continue
        if rule.id not in PEERS:
            missing.append(rule.id)
            continue
        for options, module, function, note in PEERS[rule.id]:
            tasks.append({"rule": rule.id, "options": options, "module": module, "function": function,
                          "note": note})
    return tasks, missing


def _same(ours: dict, peer: dict) -> bool:
    if "margins" in ours:
        return bool(np.array_equal(ours["margins"], peer["margins"]))
    if "lottery" in ours or "lottery" in peer:
        a, b = np.asarray(ours.get("lottery", [])), np.asarray(peer.get("lottery", []))
        if a.shape != b.shape:
            b = np.pad(b, (0, max(0, a.size - b.size)))[: a.size]
        return bool(np.allclose(a, b, atol=1e-6))
    return ours["winners"] == peer["winners"]


def run(seed: int = 0, sizes=SIZES, rules=None) -> tuple[list[dict], list[str]]:
    """Rows for ``sizes`` (a subset of :data:`SIZES`: the rankings of each size are the same as in a full run)."""
    tasks, missing = _tasks(rules)
    rng = np.random.default_rng(seed)
    ours, peer = _Side("ours", tasks), _Side("pref_voting", tasks)
    rows = []
    try:
        for n, m in SIZES:
            rankings = np.argsort(rng.random((n, m)), axis=1)  # drawn for every size: same data when filtered
            if (n, m) not in sizes:
                continue
            ours.load(rankings)
            peer.load(rankings)
            for task in tasks:
                label = task["rule"] + "".join(f" ({k}={v})" for k, v in task["options"].items())
                row = {"rule": label, "pref_voting": task["function"], "voters": n, "alternatives": m}
                status_o, out_o = ours.run(task)
                status_p, out_p = peer.run(task)
                row["ours_ms"] = out_o[0] * 1e3 if status_o == "ok" else None
                row["pref_voting_ms"] = out_p[0] * 1e3 if status_p == "ok" else None
                row["speedup"] = (out_p[0] / out_o[0]) if status_o == status_p == "ok" else None
                row["same_winners"] = _same(out_o[1], out_p[1]) if status_o == status_p == "ok" else None
                row["ours_status"] = {"ok": "ok", "timeout": f"> {TIME_LIMIT:.0f} s"}.get(status_o, out_o)
                row["pref_voting_status"] = {"ok": "ok", "timeout": f"> {TIME_LIMIT:.0f} s"}.get(status_p, out_p)
                row["note"] = task["note"]
                if row["same_winners"] is False:
                    row["ours_winners"] = out_o[1].get("winners", out_o[1].get("lottery"))
                    row["pref_voting_winners"] = out_p[1].get("winners", out_p[1].get("lottery"))
                rows.append(row)
                print(f"{n:>7} x {m:<4} {label:<40} ours {_fmt_ms(row['ours_ms'], status_o)}  "
                      f"pref_voting {_fmt_ms(row['pref_voting_ms'], status_p)}  "
                      f"same={row['same_winners']}", flush=True)
    finally:
        ours.close()
        peer.close()
    return rows, missing


def _fmt_ms(ms, status) -> str:
    if status == "timeout":
        return f"> {TIME_LIMIT:.0f} s"
    if ms is None:
        return str(status)
    return f"{ms:9.2f} ms"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smallest size only (not stored)")
    parser.add_argument("--rules", default=None, help="comma-separated rule ids (rows merged into the results)")
    parser.add_argument("--sizes", default=None, help="comma-separated VOTERSxALTERNATIVES among the standard sizes")
    args = parser.parse_args(argv)
    rules = None if args.rules is None else set(args.rules.split(","))
    sizes = SIZES[:1] if args.quick else SIZES
    if args.sizes is not None:
        wanted = {tuple(int(v) for v in item.lower().split("x")) for item in args.sizes.split(",")}
        unknown = wanted - set(SIZES)
        if unknown:
            parser.error(f"--sizes must be among {', '.join(f'{n}x{m}' for n, m in SIZES)}; got {sorted(unknown)}")
        sizes = [size for size in SIZES if size in wanted]
    rows, missing = run(sizes=sizes, rules=rules)
    print(table(rows, ["rule", "voters", "alternatives", "ours_ms", "pref_voting_ms", "speedup", "same_winners",
                       "ours_status", "pref_voting_status"]))
    if args.quick:
        return
    notes = ("End to end from an impartial-culture ranking array (seed 0) to the winners, profile construction "
             "included on both sides; best of up to 5 runs for calls under 1 s; each side in its own warmed-up "
             f"process; calls over {TIME_LIMIT:.0f} s stopped. Registered ordinal rules without a pref_voting "
             f"counterpart (not measured): {', '.join(missing) or 'none'}.")
    if rules is not None or args.sizes is not None:
        rows, notes = _merge(rows, notes)
    path = store("rules", rows, packages=("pref_voting", "numba"), notes=notes)
    print(f"stored {path.name}")


def _merge(rows: list[dict], notes: str) -> tuple[list[dict], str]:
    """The stored rows with the new ones in place of those of the same rule, options and size."""
    path = RESULTS / "rules.json"
    if not path.exists():
        return rows, notes
    stored = json.loads(path.read_text(encoding="utf-8"))
    new = {(r["rule"], r["voters"], r["alternatives"]): r for r in rows}
    merged = [new.pop((r["rule"], r["voters"], r["alternatives"]), r) for r in stored["rows"]]
    merged.extend(new.values())
    return merged, stored.get("notes", notes)


if __name__ == "__main__":
    main()
