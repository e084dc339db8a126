"""The rule x axiom table, generated from the registries.

:func:`axiom_table` runs :func:`~mechanisms.axioms.search` for every pair of a
rule and an axiom and keeps, per cell, the verdict with its evidence:

``"violated"``
    a re-verified :class:`~mechanisms.axioms.Witness` (the smallest one for
    ``method="exhaustive"``, which visits profiles smallest first);
``"no violation"``
    no counterexample in the search: with ``method="exhaustive"`` the cell is
    ``complete`` and reads "no violation up to n, m" (every anonymous profile with
    at most ``n`` voters and ``m`` alternatives); with ``random`` or
    ``hypothesis`` it only says how many profiles were looked at;
``"not applicable"``
    the axiom is not stated for this kind of rule (with the reason).

Every cell carries its search effort (``n_profiles`` examined).  The table is a
frozen result with a readable text repr, ``_repr_html_`` and :meth:`AxiomTable.to_dict`
(JSON-able; witnesses via :meth:`Witness.to_dict`).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping, Sequence
from typing import Any

from solvers.validation import check_int, check_option, check_rng, fail

from ._case import Case
from .base import get_axiom, list_axioms, resolve_rule
from .search import METHODS, search
from .witness import _outcome_text, _profile_text

__all__ = ["TableCell", "AxiomTable", "axiom_table", "witness_text"]

VERDICTS = ("violated", "no violation", "not applicable")


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class TableCell:
    """One cell of the rule x axiom table.

    Attributes
    ----------
    rule, axiom : str
        Ids.
    verdict : {"violated", "no violation", "not applicable"}
    witness : Witness or None
        The re-verified counterexample when ``verdict == "violated"``.
    complete : bool
        True when an exhaustive search visited every anonymous profile up to the
        sizes without finding a violation.
    n_profiles : int
        Profiles examined (the search effort).
    method : str
    n_voters, n_alternatives : int
        The search bounds.
    reason : str
        Why the axiom does not apply (``"not applicable"`` cells).
    """

    rule: str
    axiom: str
    verdict: str
    witness: Any = None
    complete: bool = False
    n_profiles: int = 0
    method: str = "exhaustive"
    n_voters: int = 0
    n_alternatives: int = 0
    reason: str = ""

    @property
    def short(self) -> str:
        """A few characters for a grid: ``violated (n=3, m=3)``, ``ok up to 4, 3``, ``ok in 500``, ``n/a``."""
        if self.verdict == "violated":
            p = self.witness.profile
            return f"violated (n={p.n_voters}, m={p.n_alternatives})"
        if self.verdict == "not applicable":
            return "n/a"
        if self.complete:
            return f"ok up to {self.n_voters}, {self.n_alternatives}"
        return f"ok in {self.n_profiles} {self.method}"

    @property
    def summary(self) -> str:
        """One sentence: the verdict with the search effort."""
        if self.verdict == "violated":
            p = self.witness.profile
            return (f"violated: witness with {p.n_voters} voters and {p.n_alternatives} alternatives after "
                    f"{self.n_profiles} profiles ({self.method})")
        if self.verdict == "not applicable":
            return f"not applicable: {self.reason}"
        if self.complete:
            return (f"no violation up to n={self.n_voters}, m={self.n_alternatives} "
                    f"({self.n_profiles} anonymous profiles, exhaustive)")
        return (f"no violation found in {self.n_profiles} {self.method} profiles "
                f"(n <= {self.n_voters}, m <= {self.n_alternatives})")

    def to_dict(self) -> dict:
        return {"rule": self.rule, "axiom": self.axiom, "verdict": self.verdict, "complete": self.complete,
                "n_profiles": self.n_profiles, "method": self.method, "n_voters": self.n_voters,
                "n_alternatives": self.n_alternatives, "reason": self.reason, "summary": self.summary,
                "witness": None if self.witness is None else self.witness.to_dict()}

    def __repr__(self) -> str:
        return f"TableCell(rule={self.rule!r}, axiom={self.axiom!r}, {self.summary})"


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class AxiomTable:
    """The rule x axiom table (see :func:`axiom_table`).

    Attributes
    ----------
    rules, axioms : tuple of str
        Row and column ids.
    cells : tuple of TableCell
        Row-major: ``cells[i * len(axioms) + j]`` is rule ``i``, axiom ``j``.
    method : str
    n_voters, n_alternatives : int
    """

    rules: tuple
    axioms: tuple
    cells: tuple
    method: str
    n_voters: int
    n_alternatives: int

    def cell(self, rule: str, axiom: str) -> TableCell:
        """The cell of ``rule`` and ``axiom`` (ids)."""
        if rule not in self.rules:
            fail("rule", "AxiomTable.cell", f"one of the table's rules {list(self.rules)}", rule)
        if axiom not in self.axioms:
            fail("axiom", "AxiomTable.cell", f"one of the table's axioms {list(self.axioms)}", axiom)
        return self.cells[self.rules.index(rule) * len(self.axioms) + self.axioms.index(axiom)]

    def violations(self) -> tuple[TableCell, ...]:
        """The cells with a witness."""
        return tuple(c for c in self.cells if c.verdict == "violated")

    @property
    def n_profiles(self) -> int:
        """Total search effort (profiles examined over all cells)."""
        return sum(c.n_profiles for c in self.cells)

    def to_dict(self) -> dict:
        """JSON-able: the search settings and one dict per cell (witnesses included)."""
        return {"method": self.method, "n_voters": self.n_voters, "n_alternatives": self.n_alternatives,
                "rules": list(self.rules), "axioms": list(self.axioms),
                "cells": [c.to_dict() for c in self.cells]}

    def __repr__(self) -> str:
        head = (f"AxiomTable({len(self.rules)} rules x {len(self.axioms)} axioms, method={self.method!r}, "
                f"n <= {self.n_voters}, m <= {self.n_alternatives}, {len(self.violations())} violations, "
                f"{self.n_profiles} profiles examined)")
        width = max([len(r) for r in self.rules] + [4])
        lines = [head]
        for rule in self.rules:
            marks = " ".join(_MARK[self.cell(rule, a).verdict] for a in self.axioms)
            lines.append(f"  {rule:<{width}}  {marks}")
        lines.append("  (X violated, . no violation found, - not applicable; columns: " + ", ".join(self.axioms)
                     + ")")
        return "\n".join(lines)

    def to_html(self) -> str:
        """An HTML table: one row per rule, one column per axiom; a violated cell shows its witness on hover."""
        esc = html.escape
        head = "".join(f"<th>{esc(a)}</th>" for a in self.axioms)
        rows = []
        for rule in self.rules:
            tds = []
            for a in self.axioms:
                c = self.cell(rule, a)
                title = c.summary + ("\n" + witness_text(c.witness) if c.witness is not None else "")
                colour = {"violated": "#fbe3e3", "no violation": "#e6f4e6", "not applicable": "#f3f3f3"}[c.verdict]
                tds.append(f"<td style='background:{colour}' title='{esc(title, quote=True)}'>{esc(c.short)}</td>")
            rows.append(f"<tr><th style='text-align:left'>{esc(rule)}</th>{''.join(tds)}</tr>")
        caption = (f"rule x axiom ({self.method} search, n <= {self.n_voters} voters, m <= {self.n_alternatives} "
                   f"alternatives; {self.n_profiles} profiles examined)")
        return (f"<table><caption>{esc(caption)}</caption><thead><tr><th>rule</th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    def _repr_html_(self) -> str:
        return self.to_html()


_MARK = {"violated": "X", "no violation": ".", "not applicable": "-"}


def witness_text(witness) -> str:
    """A witness as readable lines: the ballots with labels (count: ranking), the outcomes, what goes wrong.

    Examples
    --------
    >>> from mechanisms.axioms import find_violation
    >>> w = find_violation("condorcet_winner", "borda", n_voters=3, n_alternatives=3)
    >>> print(witness_text(w))
    profile: [2: 0 > 1 > 2; 1: 1 > 2 > 0]
    outcome: {0, 1}
    0 is the Condorcet winner, but the winners are {0, 1}
    """
    lines = [f"profile: {_profile_text(witness.profile, 20)}", f"outcome: {_outcome_text(witness.outcome)}"]
    if witness.modified_profile is not None:
        lines += [f"modified profile: {_profile_text(witness.modified_profile, 20)}",
                  f"modified outcome: {_outcome_text(witness.modified_outcome)}"]
    if witness.misreports:
        case = Case.from_profile(witness.profile)
        for v, true, mis in zip(witness.voters, witness.true_ballots, witness.misreports):
            lines.append(f"voter row {v}: sincere {_ballot(true, case)}, reports {_ballot(mis, case)}")
    for i, (p, o) in enumerate(zip(witness.parts, witness.part_outcomes)):
        lines.append(f"part {i + 1}: {_profile_text(p, 20)} -> {_outcome_text(o)}")
    if witness.explanation:
        lines.append(witness.explanation)
    return "\n".join(lines)


def _ballot(ballot, case: Case) -> str:
    if case.kind == "approval":
        return "{" + ", ".join(case.label(a) for a in ballot) + "}"
    return " > ".join("~".join(case.label(a) for a in group) for group in ballot)


def _ids(values, kind: str, owner: str, every: Sequence[str]) -> tuple[str, ...]:
    if values is None:
        return tuple(every)
    if isinstance(values, str):
        values = (values,)
    if not isinstance(values, Sequence) or not values:
        fail(kind + "s", owner, f"None or a nonempty sequence of {kind} ids", values)
    return tuple(values)


def axiom_table(rules=None, axioms=None, *, n_voters: int = 3, n_alternatives: int = 3,
                method: str = "exhaustive", max_profiles: int | None = None, rng=None,
                rule_options: Mapping[str, Any] | None = None,
                axiom_params: Mapping[str, Mapping[str, Any]] | None = None) -> AxiomTable:
    """Search every rule x axiom pair for a counterexample and tabulate the verdicts.

    Parameters
    ----------
    rules : sequence of str or Rule, optional
        Rules (rows); default every registered rule.
    axioms : sequence of str, optional
        Axioms (columns); default every registered axiom.
    n_voters, n_alternatives : int
        Search sizes, as in :func:`~mechanisms.axioms.search` (bounds for
        ``exhaustive``, exact sizes for ``random``).
    method : {"exhaustive", "random", "hypothesis"}
    max_profiles : int, optional
        Per cell, as in :func:`~mechanisms.axioms.search`.
    rng : numpy.random.Generator, int or None
        Seeds ``random`` and ``hypothesis`` searches (one generator shared by the
        cells in row-major order, so the table is reproducible from an int seed).
    rule_options : mapping, optional
        Rule id -> options for that rule (a dict, or a function ``m -> dict``),
        e.g. ``{"pav": {"k": 2}}``.
    axiom_params : mapping, optional
        Axiom id -> the axiom's parameters, e.g. ``{"coalitional_manipulability": {"k": 2}}``.

    Returns
    -------
    AxiomTable

    References
    ----------
    F. Brandt, V. Conitzer, U. Endriss, J. Lang and A. D. Procaccia (eds.), Handbook of
    Computational Social Choice, Cambridge University Press (2016), ch. 2 (the axioms)
    and the property tables of H. Nurmi, Comparing Voting Systems, Reidel (1987).

    Examples
    --------
    >>> from mechanisms.axioms import axiom_table
    >>> t = axiom_table(["borda", "copeland"], ["condorcet_winner"], n_voters=3, n_alternatives=3)
    >>> t.cell("borda", "condorcet_winner").short, t.cell("copeland", "condorcet_winner").summary
    ('violated (n=3, m=3)', 'no violation up to n=3, m=3 (92 anonymous profiles, exhaustive)')
    """
    owner = "axiom_table"
    from mechanisms.social_choice import list_rules

    check_option(method, "method", owner, METHODS)
    n = check_int(n_voters, "n_voters", owner, low=1)
    m = check_int(n_alternatives, "n_alternatives", owner, low=2)
    if max_profiles is not None:
        check_int(max_profiles, "max_profiles", owner, low=1)
    generator = check_rng(rng, owner)
    for name, value in (("rule_options", rule_options), ("axiom_params", axiom_params)):
        if value is not None and not isinstance(value, Mapping):
            fail(name, owner, "None or a mapping keyed by id", value)
    rule_objs = [resolve_rule(r, owner) for r in _ids(rules, "rule", owner, [r.id for r in list_rules()])]
    axiom_objs = [get_axiom(a) for a in _ids(axioms, "axiom", owner, [a.id for a in list_axioms()])]
    cells = []
    for rule in rule_objs:
        cache: dict = {}   # outcomes shared by the axioms of one rule
        opts = (rule_options or {}).get(rule.id)
        for ax in axiom_objs:
            params = dict((axiom_params or {}).get(ax.id, {}))
            res = search(ax, rule, n_voters=n, n_alternatives=m, method=method, max_profiles=max_profiles,
                         rng=generator if method != "exhaustive" else None, rule_options=opts, cache=cache,
                         **params)
            verdict = ("not applicable" if not res.applicable else
                       "violated" if res.witness is not None else "no violation")
            cells.append(TableCell(rule=rule.id, axiom=ax.id, verdict=verdict, witness=res.witness,
                                   complete=res.complete, n_profiles=res.n_profiles, method=method, n_voters=n,
                                   n_alternatives=m, reason=res.reason))
    return AxiomTable(rules=tuple(r.id for r in rule_objs), axioms=tuple(a.id for a in axiom_objs),
                      cells=tuple(cells), method=method, n_voters=n, n_alternatives=m)

