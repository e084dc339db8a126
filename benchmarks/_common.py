"""Shared benchmark helpers: timing, machine and version records, result storage.

Benchmarks measure speed and quality together and compare against peers as
ratios measured in the same run; they are not tests and are not run by CI.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    """Machine facts to store beside every result."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"platform": platform.platform(), "python": platform.python_version(), "cpu": cpu,
            "cpu_count": os.cpu_count()}


def versions(*packages: str) -> dict:
    out = {}
    for name in ("alignment-mechanisms", "numpy", "scipy", "highspy", "cvxpy", *packages):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def best_time(fn: Callable[[], object], *, repeat: int = 5, min_time: float = 0.2, max_repeat: int = 50) -> float:
    """Best wall time of ``fn()`` over several runs (at least ``repeat``, until ``min_time`` has passed)."""
    times = []
    start = time.perf_counter()
    while len(times) < repeat or (time.perf_counter() - start < min_time and len(times) < max_repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if times[-1] > 5.0 and len(times) >= 1:
            break
    return min(times)


def store(name: str, rows: list[dict], *, packages: tuple[str, ...] = (), notes: str = "") -> Path:
    """Write ``benchmarks/results/<name>.json`` with the rows, machine and versions."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    blob = {"benchmark": name, "date": time.strftime("%Y-%m-%d"), "machine": machine(),
            "versions": versions(*packages), "notes": notes, "rows": rows}
    path.write_text(json.dumps(blob, indent=2) + "\n", encoding="utf-8")
    return path


def table(rows: list[dict], columns: list[str]) -> str:
    """A small Markdown table for the console and the README."""
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    body = "".join("| " + " | ".join(_fmt(r.get(c)) for c in columns) + " |\n" for r in rows)
    return head + body


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return "" if value is None else str(value)
