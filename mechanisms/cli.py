"""The ``almech`` command line: the toolkit's main job.

``almech report`` writes an HTML (and JSON) report over the bundled real data.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

__all__ = ["main"]

log = logging.getLogger("mechanisms.cli")


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    paths = write_report(Path(args.output))
    for path in paths:
        sys.stdout.write(f"wrote {path}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="almech",
        description="alignment-mechanisms: AI alignment as economic design (aggregation, elicitation, contracts).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="write the report over the bundled real data")
    rep.add_argument("--output", "-o", default="report", help="output directory (default: ./report)")
    rep.set_defaults(func=_cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``almech`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except Exception as exc:  # surface the project's own errors without a traceback
        from solvers.errors import AlmechError

        if isinstance(exc, (AlmechError, OSError)):
            sys.stderr.write(f"almech: error: {exc}\n")
            return 2
        raise


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
