"""The report's aggregation-rules section: every registered rule on every bundled real election.

For each bundled PrefLib election (ordinal ballots, and approval ballots with the
approval rules) the section runs every registered rule that accepts the profile
and tabulates

* the winners per rule and election (the full tied set; for committee rules the
  union of the tied committees; for probabilistic rules the support of the
  lottery, i.e. every alternative that can win);
* where the rules part ways: per election, the distinct winner sets and which
  rules choose each;
* a rule-agreement matrix: for two rules, the share of the elections on which
  both ran that give the same winner set, drawn as a heatmap (a PNG written
  next to ``index.html``).

Everything is registry-driven: a rule registered in
:mod:`mechanisms.social_choice` appears here without any edit.

Which elections
    Every bundled PrefLib file, except a derived copy of another bundled file
    (its header's ``RELATES TO`` names a bundled file, e.g. the ``.toc`` made
    from a ``.soi`` by adding the unranked alternatives at the bottom): one
    election counts once.

Which rules run where (the policy, applied in this order)
    1. *Applicability*: ``rule.accepts(profile)`` (input kind and ballot type).
    2. *Options*: rules are run with their defaults.  A committee rule gets
       ``k = 1`` on ordinal elections (a single-winner comparison) and
       ``k = APPROVAL_COMMITTEE_SIZE`` on approval elections; a rule with any
       other option that has no default (e.g. ``positional``'s score vector) is
       left out (not applicable).
    3. *Size*: a rule whose worst case is exponential (an exact search, a MILP,
       parallel-universe tie-breaking) declares at registration the largest
       elections it is run on, ``rule.report_limits`` (any of
       ``"max_alternatives"``, ``"max_voters"``, ``"max_ballots"``: ballot
       rows; see :func:`~mechanisms.social_choice.register_rule`); larger
       elections are skipped.  No wall-clock limits are used, so the report is
       deterministic.
    4. *Errors*: a rule that rejects the profile with a ``ValidationError``
       (e.g. ``leximax_copeland`` without item features) is recorded as not
       applicable, with the message; one that raises another of the toolkit's
       own errors (a solver status, say) is recorded as failed; any other
       exception propagates (it is a bug).

Every rule/election pair appears in ``report.json`` with its status
(``"ok"``, ``"skipped"``, ``"failed"``); pairs that are not applicable are
listed with that status too, so a reader can recount every agreement share.
"""

from __future__ import annotations

import html
import inspect
import io
import logging
from collections.abc import Mapping

import numpy as np

__all__ = ["rules_section", "agreement_matrix", "run_policy", "TITLE", "APPROVAL_COMMITTEE_SIZE"]

log = logging.getLogger(__name__)

#: Title of the section (the key of its data in ``report.json``).
TITLE = "Aggregation rules on the bundled real elections"

#: Committee size for committee rules on approval elections.
APPROVAL_COMMITTEE_SIZE = 3

_KINDS = ("ordinal", "approval")
_SHOW_TIED = 4  # winner cells list at most this many tied winners


# ---------------------------------------------------------------------------- policy
def run_policy(rule, profile) -> tuple[str, dict, str]:
    """Whether the report runs ``rule`` on ``profile``: ``(status, options, reason)``.

    ``status`` is ``"run"``, ``"not applicable"`` (the rule does not accept the
    profile, or needs an option without a default) or ``"skipped"`` (the size
    policy); ``options``
    are the keyword options to call the rule with.  See the module docstring for
    the policy.

    Examples
    --------
    >>> from mechanisms.profiles import Profile
    >>> from mechanisms.social_choice import get_rule
    >>> profile = Profile.from_rankings([[0, 1, 2], [1, 0, 2]])
    >>> run_policy(get_rule("borda"), profile)
    ('run', {}, '')
    >>> run_policy(get_rule("positional"), profile)[::2]
    ('not applicable', "option 'score_vector' has no default")
    """
    from .profiles import ApprovalProfile
    from .social_choice.registry import REPORT_LIMITS

    if not rule.accepts(profile):
        return "not applicable", {}, "does not accept this profile (input kind or ballot type)"
    options = {}
    for name, default in rule.options.items():
        if name == "k" and rule.committee:
            options["k"] = APPROVAL_COMMITTEE_SIZE if isinstance(profile, ApprovalProfile) else 1
        elif default is inspect.Parameter.empty:
            return "not applicable", {}, f"option {name!r} has no default"
    if "k" in options and options["k"] > profile.n_alternatives:
        return "skipped", {}, f"committee size {options['k']} exceeds the {profile.n_alternatives} alternatives"
    sizes = {"max_alternatives": profile.n_alternatives, "max_voters": profile.n_voters,
             "max_ballots": profile.n_ballots}
    for key, bound in rule.report_limits.items():
        if sizes[key] > bound:
            return ("skipped", {}, f"worst case exponential, declared report limit: run up to {bound} "
                                   f"{REPORT_LIMITS[key]}, this election has {sizes[key]}")
    return "run", options, ""


# ---------------------------------------------------------------------------- agreement
def agreement_matrix(winners: Mapping[str, Mapping[str, tuple]], rules: list[str]):
    """Agreement shares and common-election counts from a table of winner sets.

    Parameters
    ----------
    winners : mapping election -> (mapping rule id -> winner set)
        Only the rules that ran on an election appear under it.
    rules : list of str
        Row/column order.

    Returns
    -------
    share : ndarray of float, shape (r, r)
        ``agree / common``; NaN where two rules share no election.
    agree, common : ndarray of int, shape (r, r)
        Elections with the same winner set; elections on which both ran.

    Examples
    --------
    >>> share, agree, common = agreement_matrix(
    ...     {"e1": {"a": (0,), "b": (0,)}, "e2": {"a": (1,), "b": (0,)}}, ["a", "b"])
    >>> share.tolist(), agree.tolist(), common.tolist()
    ([[1.0, 0.5], [0.5, 1.0]], [[2, 1], [1, 2]], [[2, 2], [2, 2]])
    """
    index = {r: i for i, r in enumerate(rules)}
    n = len(rules)
    agree = np.zeros((n, n), dtype=np.int64)
    common = np.zeros((n, n), dtype=np.int64)
    for table in winners.values():
        present = [r for r in rules if r in table]
        ids = np.array([index[r] for r in present], dtype=np.int64)
        if ids.size == 0:
            continue
        # group identical winner sets: same code = same set
        codes = {}
        group = np.array([codes.setdefault(tuple(table[r]), len(codes)) for r in present], dtype=np.int64)
        common[np.ix_(ids, ids)] += 1
        agree[np.ix_(ids, ids)] += (group[:, None] == group[None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(common > 0, agree / np.maximum(common, 1), np.nan)
    return share, agree, common


# ---------------------------------------------------------------------------- running
def _elections():
    """(file, profile) for every bundled election, derived copies of bundled files left out."""
    from .data import list_preflib, preflib_path
    from .io import read_preflib

    names = list_preflib()
    bare = {n.split("/", 1)[1]: n for n in names}
    out = []
    for name in names:
        profile = read_preflib(preflib_path(name))
        source = str(profile.metadata.get("RELATES TO", "") or "").strip()
        if source and source in bare and bare[source] != name:
            log.debug("skipping %s: a derived copy of %s", name, bare[source])
            continue
        out.append((name, profile))
    return out


def _kind(profile) -> str | None:
    from .profiles import ApprovalProfile, Profile

    if isinstance(profile, ApprovalProfile):
        return "approval"
    if isinstance(profile, Profile):
        return "ordinal"
    return None


def _run_kind(kind: str, elections, rules) -> dict:
    from solvers.errors import AlmechError, ValidationError

    rows, info = [], []
    for name, profile in elections:
        cw = profile.condorcet_winner() if kind == "ordinal" else None
        info.append({"file": name, "title": profile.title, "voters": int(profile.n_voters),
                     "alternatives": int(profile.n_alternatives), "labels": list(profile.labels),
                     "condorcet_winner": None if cw is None else profile.labels[cw]})
        for rule in rules:
            status, options, reason = run_policy(rule, profile)
            row = {"file": name, "rule": rule.id, "status": status, "winners": None, "winner_ids": None,
                   "tied": None, "options": dict(options), "note": reason}
            if status == "run":
                try:
                    result = rule(profile, **options)
                except ValidationError as exc:  # the rule needs an option for this profile
                    row.update(status="not applicable", note=str(exc))
                except AlmechError as exc:
                    log.warning("rule %s failed on %s: %s", rule.id, name, exc)
                    row.update(status="failed", note=f"{type(exc).__name__}: {exc}")
                else:
                    row.update(status="ok", winner_ids=[int(a) for a in result.winners],
                               winners=[profile.labels[a] for a in result.winners], tied=bool(result.is_tied))
            rows.append(row)
    # a rule is shown when it applies to at least one election of this kind
    shown = [r.id for r in rules if any(x["rule"] == r.id and x["status"] != "not applicable" for x in rows)]
    ran = [r for r in shown if any(x["rule"] == r and x["status"] == "ok" for x in rows)]
    table: dict[str, dict[str, tuple]] = {}
    for x in rows:
        if x["status"] == "ok":
            table.setdefault(x["file"], {})[x["rule"]] = tuple(x["winner_ids"])
    share, agree, common = agreement_matrix(table, ran)
    by_id = {r.id: r for r in rules}
    return {
        "elections": info,
        "rules": [{"id": r, "name": by_id[r].name, "probabilistic": by_id[r].probabilistic,
                   "committee": by_id[r].committee} for r in shown],
        "winners": [x for x in rows if x["rule"] in shown],
        "agreement": {"rules": ran,
                      "share": [[None if np.isnan(v) else round(float(v), 6) for v in row] for row in share],
                      "agree": agree.tolist(), "common": common.tolist()},
    }


# ---------------------------------------------------------------------------- HTML
def _cell(row: dict) -> tuple[str, str]:
    """(text, tooltip) of one winners cell."""
    if row["status"] == "ok":
        names = row["winners"]
        text = ", ".join(names[:_SHOW_TIED]) + (f", ... ({len(names)} tied)" if len(names) > _SHOW_TIED else "")
        return (text or "(none)"), ""
    if row["status"] == "failed":
        return "failed", row["note"]
    return ("n/a" if row["status"] == "not applicable" else "skipped"), row["note"]


def _short(info: dict) -> str:
    title = info["title"] or info["file"]
    return title if len(title) <= 28 else title[:26] + "..."


def _winners_html(part: dict) -> str:
    esc = html.escape
    cells = {(x["file"], x["rule"]): x for x in part["winners"]}
    head = "<th>rule</th>" + "".join(
        f"<th title='{esc(e['file'])}'>{esc(_short(e))}<br><small>{e['voters']} x {e['alternatives']}</small></th>"
        for e in part["elections"])
    body = []
    for rule in part["rules"]:
        tds = []
        for e in part["elections"]:
            text, tip = _cell(cells[(e["file"], rule["id"])])
            style = "" if cells[(e["file"], rule["id"])]["status"] == "ok" else " style='color:#999'"
            tip_attr = f" title='{esc(tip)}'" if tip else ""
            tds.append(f"<td{style}{tip_attr}>{esc(text)}</td>")
        body.append(f"<tr><th style='text-align:left' title='{esc(rule['name'])}'>{esc(rule['id'])}</th>"
                    + "".join(tds) + "</tr>")
    return (f"<div style='overflow-x:auto'><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _splits(part: dict) -> list[dict]:
    """Per election: the distinct winner sets and the rules choosing each (largest group first)."""
    out = []
    for e in part["elections"]:
        groups: dict[tuple, list[str]] = {}
        for x in part["winners"]:
            if x["file"] == e["file"] and x["status"] == "ok":
                groups.setdefault(tuple(x["winners"]), []).append(x["rule"])
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        out.append({"file": e["file"], "title": e["title"], "condorcet_winner": e["condorcet_winner"],
                    "outcomes": [{"winners": list(w), "rules": r} for w, r in ordered]})
    return out


def _splits_html(splits: list[dict], kind: str) -> str:
    from .report import _table

    rows = []
    for s in splits:
        parts = []
        for o in s["outcomes"]:
            w = o["winners"]
            label = ", ".join(w[:_SHOW_TIED]) + (f", ... ({len(w)} tied)" if len(w) > _SHOW_TIED else "")
            parts.append(f"{{{label}}}: " + ", ".join(o["rules"]))
        row = [s["title"] or s["file"], len(s["outcomes"]), " | ".join(parts)]
        if kind == "ordinal":
            row.insert(1, s["condorcet_winner"] or "none")
        rows.append(row)
    header = ["election", "distinct outcomes", "winner set: rules choosing it"]
    if kind == "ordinal":
        header.insert(1, "Condorcet winner")
    return _table(header, rows)


def _heatmap_png(agreement: dict, kind: str) -> bytes | None:
    """The agreement heatmap as PNG bytes (None without matplotlib)."""
    from solvers.errors import BackendUnavailableError

    rules = agreement["rules"]
    if len(rules) < 2:
        return None
    try:
        from solvers.validation import require

        require("matplotlib", "plot", "the report's rule-agreement plot")
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except BackendUnavailableError as exc:
        log.warning("%s", exc)
        return None
    from .plotting import plot_agreement

    share = np.array([[np.nan if v is None else v for v in row] for row in agreement["share"]], dtype=float)
    n = len(rules)
    size = min(3.0 + 0.42 * n, 18.0)
    fig = Figure(figsize=(size + 1.5, size), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    plot_agreement(share, rules, ax=ax, title=f"Rule agreement on the bundled {kind} elections")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


# ---------------------------------------------------------------------------- the section
def rules_section():
    """The report section comparing every registered rule on the bundled real elections.

    Returns
    -------
    mechanisms.report.Section
        ``data`` holds, per input kind (``"ordinal"``, ``"approval"``):
        ``elections``, ``rules``, ``winners`` (one row per rule and election with
        its ``status``), ``splits`` (distinct outcomes per election) and
        ``agreement`` (``rules``, ``share``, ``agree``, ``common``); plus the
        ``policy`` constants.  ``files`` holds the heatmap PNGs.

    References
    ----------
    .. [1] N. Mattei and T. Walsh (2013). PrefLib: a library for preferences. *ADT 2013*,
       LNCS 8176, 259-270.
    .. [2] F. Brandt, V. Conitzer, U. Endriss, J. Lang and A. D. Procaccia (eds.) (2016).
       *Handbook of Computational Social Choice.* Cambridge University Press.

    Examples
    --------
    >>> section = rules_section()
    >>> section.title == TITLE
    True
    >>> sorted(section.data["ordinal"]["agreement"])
    ['agree', 'common', 'rules', 'share']
    """
    from .report import Section
    from .social_choice import list_rules

    elections = _elections()
    data: dict = {"policy": {"report_limits": {r.id: dict(r.report_limits) for r in list_rules() if r.report_limits},
                             "approval_committee_size": APPROVAL_COMMITTEE_SIZE}}
    files: dict[str, bytes] = {}
    parts_html = [
        "<p>Every registered aggregation rule on every bundled real election it accepts (default options; "
        "committee rules elect one winner on ranked ballots and "
        f"{APPROVAL_COMMITTEE_SIZE} on approval ballots). Winners are the full tied set (for committee rules the "
        "union of the tied committees; for probabilistic rules the support of the lottery). Rules whose worst case "
        "is exponential (exact searches, MILPs) run only up to the election sizes they declare; "
        "'n/a' marks a rule that does not accept the ballots (hover a cell for the reason).</p>"
    ]
    for kind in _KINDS:
        chosen = [(n, p) for n, p in elections if _kind(p) == kind]
        rules = list(list_rules(input_kind=kind))
        if not chosen or not rules:
            continue
        part = _run_kind(kind, chosen, rules)
        part["splits"] = _splits(part)
        data[kind] = part
        heading = {"ordinal": "Ranked ballots", "approval": "Approval ballots"}[kind]
        parts_html.append(f"<h3>{heading}: winners per rule</h3>" + _winners_html(part))
        parts_html.append("<h3>Where the rules part ways</h3>" + _splits_html(part["splits"], kind))
        png = _heatmap_png(part["agreement"], kind)
        ag = part["agreement"]
        parts_html.append(
            f"<h3>Rule agreement ({kind})</h3><p>Share of the elections on which both rules ran that give the "
            f"same winner set ({len(ag['rules'])} rules, {len(chosen)} elections).</p>")
        if png is not None:
            fname = f"rule_agreement_{kind}.png"
            files[fname] = png
            parts_html.append(f"<img src='{fname}' alt='rule agreement heatmap ({kind})' style='max-width:100%'>")
        else:
            parts_html.append("<p><em>matplotlib is not installed: no plot.</em></p>")
    return Section(TITLE, "".join(parts_html), data, files=files)
