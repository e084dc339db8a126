"""The report's axioms section: a rule x axiom table with witnesses, and exact manipulability rates.

A fast, fixed subset keeps ``almech report`` quick and deterministic: the
well-known single-winner rules in ``RULES`` against the axioms in ``AXIOMS``,
searched exhaustively over every anonymous profile with at most
``N_VOTERS`` voters and ``N_ALTERNATIVES`` alternatives (each cell: the smallest
witness, or "no violation up to n, m" with the number of profiles examined), and
the exact share of impartial-culture profiles of ``RATE_VOTERS`` voters over
three alternatives on which a single voter can manipulate (ties broken
lexicographically).  ``almech axioms RULE`` searches any rule against every axiom.
"""

from __future__ import annotations

import html

__all__ = ["axioms_section", "RULES", "AXIOMS"]

RULES = ("plurality", "borda", "instant_runoff", "copeland", "minimax", "schulze")
AXIOMS = ("condorcet_winner", "condorcet_loser", "pareto", "monotonicity", "participation",
          "independence_of_clones", "strategyproofness")
N_VOTERS = 4
N_ALTERNATIVES = 3
RATE_VOTERS = 3


def axioms_section():
    """The rule x axiom table (exhaustive, small sizes) and exact manipulability rates under impartial culture."""
    from .axioms import axiom_table, manipulability_rate, witness_text
    from .report import Section

    table = axiom_table(RULES, AXIOMS, n_voters=N_VOTERS, n_alternatives=N_ALTERNATIVES)
    rates = [manipulability_rate(r, n_voters=RATE_VOTERS, n_alternatives=3, exact=True) for r in RULES]
    esc = html.escape
    witnesses = "".join(
        f"<li><b>{esc(c.rule)}</b> violates <b>{esc(c.axiom)}</b>:<pre>{esc(witness_text(c.witness))}</pre></li>"
        for c in table.violations())
    rate_rows = "".join(f"<tr><td>{esc(r.rule)}</td><td>{esc(str(r.exact_rate))}</td><td>{r.rate:.4f}</td></tr>"
                        for r in rates)
    body = (
        f"<p>Every anonymous profile with at most {N_VOTERS} voters and {N_ALTERNATIVES} alternatives was searched "
        "for a counterexample (rules are irresolute: a tie counts as the set of winners; manipulation compares "
        "lexicographically tie-broken winners). A violated cell holds the smallest witness (hover for it; all "
        "are listed below); 'ok up to n, m' means none exists at these sizes.</p>"
        + table.to_html()
        + f"<p>Exact share of impartial-culture profiles ({RATE_VOTERS} voters, 3 alternatives) on which a "
          "single voter can manipulate:</p><table><thead><tr><th>rule</th><th>rate</th><th>decimal</th></tr>"
          f"</thead><tbody>{rate_rows}</tbody></table>"
        + f"<details><summary>Witnesses ({len(table.violations())})</summary><ul>{witnesses}</ul></details>"
    )
    data = {"table": table.to_dict(), "manipulability": [r.to_dict() for r in rates]}
    return Section("Axioms: rule x axiom table and manipulability", body, data)
