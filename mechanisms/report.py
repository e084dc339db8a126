"""The main job's report: what the toolkit says about the bundled real data.

The report is a list of sections; each section is a function returning a
:class:`Section` (title, HTML body, JSON-able data).  ``write_report`` runs them
all and writes ``index.html`` and ``report.json``.
"""

from __future__ import annotations

import dataclasses
import html
import json
import platform
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .report_axioms import axioms_section
from .report_contracts import contracts_section
from .report_rules import rules_section

__all__ = ["Section", "SECTIONS", "build_sections", "write_report"]


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    html: str
    data: Any
    #: Extra files (name -> bytes, e.g. PNG plots) written next to ``index.html``; the HTML may link them.
    files: Mapping[str, bytes] = dataclasses.field(default_factory=dict)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def preflib_summary() -> Section:
    """Voters, alternatives, ballot type and Condorcet winner of every bundled PrefLib profile."""
    from .data import list_preflib, preflib_path
    from .io import read_preflib
    from .profiles import ApprovalProfile

    rows, data = [], []
    for name in list_preflib():
        profile = read_preflib(preflib_path(name))
        entry = {
            "file": name,
            "title": profile.title,
            "type": name.rsplit(".", 1)[-1],
            "voters": profile.n_voters,
            "alternatives": profile.n_alternatives,
            "distinct_ballots": profile.grouped().n_ballots,
        }
        if isinstance(profile, ApprovalProfile):
            scores = profile.approval_scores()
            best = [profile.labels[a] for a in range(profile.n_alternatives) if scores[a] == scores.max()]
            entry["condorcet_winner"] = None
            entry["note"] = "approval ballots; most approved: " + ", ".join(best)
        else:
            cw = profile.condorcet_winner()
            entry["condorcet_winner"] = None if cw is None else profile.labels[cw]
            entry["note"] = "" if cw is not None else "no Condorcet winner (majority cycle or tie)"
        data.append(entry)
        rows.append([entry["file"], entry["title"], entry["type"], entry["voters"], entry["alternatives"],
                     entry["distinct_ballots"], entry["condorcet_winner"] or "-", entry["note"]])
    body = (
        "<p>Every PrefLib profile shipped with the toolkit (real elections and rankings; see the data README for "
        "sources and required citations). Unranked alternatives count as tied below every ranked one.</p>"
        + _table(["file", "title", "type", "voters", "alternatives", "distinct ballots", "Condorcet winner", "note"],
                 rows)
    )
    return Section("Bundled real elections (PrefLib)", body, data)


#: Report sections in order: each is a function returning a :class:`Section`.
SECTIONS: list[Callable[[], Section]] = [preflib_summary, contracts_section, rules_section, axioms_section]


def build_sections() -> list[Section]:
    return [section() for section in SECTIONS]


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 75rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #f3f3f3; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
.meta { color: #666; font-size: 0.85rem; }
"""


def write_report(output: Path) -> list[Path]:
    """Write ``index.html`` and ``report.json`` into ``output`` (created if needed)."""
    from . import __version__

    output.mkdir(parents=True, exist_ok=True)
    sections = build_sections()
    meta = {"version": __version__, "python": platform.python_version(), "platform": platform.platform()}
    parts = [f"<h2>{html.escape(s.title)}</h2>{s.html}" for s in sections]
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>alignment-mechanisms report</title>"
        f"<style>{_CSS}</style></head><body><h1>alignment-mechanisms report</h1>"
        f"<p class='meta'>alignment-mechanisms {html.escape(__version__)}, Python {html.escape(meta['python'])}</p>"
        + "".join(parts) + "</body></html>"
    )
    index = output / "index.html"
    index.write_text(page, encoding="utf-8")
    blob = output / "report.json"
    blob.write_text(json.dumps({"meta": meta, "sections": {s.title: s.data for s in sections}}, indent=2,
                               default=str), encoding="utf-8")
    extra = []
    for section in sections:
        for name, content in section.files.items():
            path = output / name
            path.write_bytes(content)
            extra.append(path)
    return [index, blob, *extra]
