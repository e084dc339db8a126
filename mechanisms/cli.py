"""The ``almech`` command line: the toolkit's main job.

``almech report`` writes an HTML (and JSON) report over the bundled real data;
``almech axioms RULE [AXIOM]`` searches for counterexamples and prints the witnesses.
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


def _cmd_axioms(args: argparse.Namespace) -> int:
    from .axioms import axiom_table, get_axiom, list_axioms, witness_text
    from .axioms.base import resolve_rule, rule_domain, rule_output
    from .social_choice import get_rule

    rule = get_rule(args.rule)
    if args.axiom:
        axioms = [get_axiom(args.axiom).id]
    else:   # every axiom stated for the rule's input and output
        axioms = [a.id for a in list_axioms() if rule_domain(resolve_rule(rule, "almech axioms"), a.domains)
                  and rule_output(rule) in a.outcomes]
    table = axiom_table([rule.id], axioms, n_voters=args.voters, n_alternatives=args.alternatives,
                        method=args.method, max_profiles=args.max_profiles, rng=args.seed)
    out = [f"{rule.id} ({rule.name}): {args.method} search, n <= {table.n_voters} voters, "
           f"m <= {table.n_alternatives} alternatives"]
    for cell in table.cells:
        out.append(f"\n{cell.axiom}: {cell.summary}")
        if cell.witness is not None:
            out.extend("    " + line for line in witness_text(cell.witness).splitlines())
    sys.stdout.write("\n".join(out) + "\n")
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
    ax = sub.add_parser("axioms", help="search for counterexamples: a rule against one axiom or all that apply")
    ax.add_argument("rule", help="a registered rule id (e.g. borda)")
    ax.add_argument("axiom", nargs="?", default=None, help="an axiom id (default: every axiom that applies)")
    ax.add_argument("--voters", "-n", type=int, default=3, help="at most this many voters (default 3)")
    ax.add_argument("--alternatives", "-m", type=int, default=3, help="at most this many alternatives (default 3)")
    ax.add_argument("--method", default="exhaustive", help="exhaustive (default), random or hypothesis")
    ax.add_argument("--max-profiles", type=int, default=None, help="search budget per axiom")
    ax.add_argument("--seed", type=int, default=0, help="seed of random and hypothesis searches (default 0)")
    ax.set_defaults(func=_cmd_axioms)
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
