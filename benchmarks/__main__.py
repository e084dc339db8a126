"""Run every benchmark module (``python -m benchmarks [name ...]``); results go to benchmarks/results/."""

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in argv] or names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; available: {names}")
    for name in wanted:
        sys.stdout.write(f"== {name}\n")
        sys.stdout.flush()
        module = importlib.import_module(f"benchmarks.{name}")
        takes_argv = bool(inspect.signature(module.main).parameters)
        module.main([]) if takes_argv else module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
