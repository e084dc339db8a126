"""Results of axiom checks: :class:`AxiomResult` and the counterexample :class:`Witness`, as data.

A witness serializes to JSON (:meth:`Witness.to_dict`, :meth:`Witness.from_dict`),
so minimal counterexamples can be stored and re-checked (``tests/regression``).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from ._case import Case, ballot_text

__all__ = ["Witness", "AxiomResult", "LOTTERY_ATOL"]

#: Tolerance for comparing lottery probabilities (lotteries come from LPs).
LOTTERY_ATOL = 1e-9


def _profile_text(profile, limit: int = 6) -> str:
    if profile is None:
        return "None"
    case = Case.from_profile(profile)
    counts: dict = {}
    for row, w in zip(case.rows, case.weights):
        counts[row] = counts.get(row, 0) + w
    items = [f"{w}: {ballot_text(row, case.kind, case.labels)}" for row, w in counts.items() if w]
    if len(items) > limit:
        items = items[:limit] + [f"... {len(items) - limit} more"]
    return "[" + "; ".join(items) + "]"


def _outcome_text(result) -> str:
    if result is None:
        return "None"
    if result.committees is not None and result.tie_break is None and len(result.committees) > 1:
        return " | ".join("{" + ", ".join(result._label(a) for a in c) + "}" for c in result.committees)
    if result.lottery is not None:
        return "{" + ", ".join(f"{result._label(a)}: {p:.3g}" for a, p in enumerate(result.lottery)
                               if p > LOTTERY_ATOL) + "}"
    return "{" + ", ".join(result.winner_labels) + "}"


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Witness:
    """A counterexample to an axiom, as data.

    Attributes
    ----------
    axiom, rule : str
        Ids of the violated axiom and of the rule.
    profile : Profile or ApprovalProfile
        The profile on which the axiom fails (for two-profile axioms, the first
        of the pair; each axiom's docstring says which is which).
    outcome : RuleResult
        The rule's outcome on ``profile``.
    modified_profile, modified_outcome : profile and RuleResult, or None
        The second profile of a two-profile axiom (the misreport, the raised
        ballot, the removed clone, ...) and the outcome there.
    voters : tuple of int
        Rows of ``profile`` whose voters act: the manipulator, the coalition,
        the abstaining voter, the voter whose ballot was changed.
    true_ballots, misreports : tuple
        Their sincere ballots and the ballots they cast instead (ordinal ballots
        as groups of tied alternative ids, best first, as ``Profile.to_weak_orders``;
        approval ballots as tuples of approved ids).
    alternatives : tuple of int
        Alternatives the violation is about (the Condorcet winner, the clone set,
        the removed alternative, the deviating group's candidates, ...).
    committee : tuple of int or None
        The winning committee that fails (committee axioms).
    parts, part_outcomes : tuple
        Sub-profiles and their outcomes (reinforcement: the two electorates).
    params : mapping
        The axiom parameters the check ran with (re-run ``check`` with them).
    explanation : str
        One sentence saying what goes wrong.
    """

    axiom: str
    rule: str
    profile: Any
    outcome: Any
    modified_profile: Any = None
    modified_outcome: Any = None
    voters: tuple = ()
    true_ballots: tuple = ()
    misreports: tuple = ()
    alternatives: tuple = ()
    committee: tuple | None = None
    parts: tuple = ()
    part_outcomes: tuple = ()
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    explanation: str = ""

    def __post_init__(self):
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    # conveniences for single-voter witnesses
    @property
    def voter(self) -> int | None:
        """The single acting voter's row (None for coalitions of several voters or none)."""
        return self.voters[0] if len(self.voters) == 1 else None

    @property
    def true_ballot(self):
        return self.true_ballots[0] if len(self.true_ballots) == 1 else None

    @property
    def misreport(self):
        return self.misreports[0] if len(self.misreports) == 1 else None

    @property
    def coalition(self) -> tuple[int, ...]:
        return self.voters

    @property
    def profiles(self) -> tuple:
        """Every profile of the witness (``profile``, ``modified_profile``, the ``parts``)."""
        return tuple(p for p in (self.profile, self.modified_profile) if p is not None) + self.parts

    # serialization (regression data)
    def to_dict(self) -> dict:
        """A JSON-able dict (profiles as rank rows, outcomes as winners / rankings / lotteries)."""
        return {
            "axiom": self.axiom, "rule": self.rule,
            "profile": _profile_dict(self.profile), "outcome": _outcome_dict(self.outcome),
            "modified_profile": _profile_dict(self.modified_profile),
            "modified_outcome": _outcome_dict(self.modified_outcome),
            "voters": list(self.voters), "true_ballots": _jsonable(self.true_ballots),
            "misreports": _jsonable(self.misreports), "alternatives": list(self.alternatives),
            "committee": None if self.committee is None else list(self.committee),
            "parts": [_profile_dict(p) for p in self.parts],
            "part_outcomes": [_outcome_dict(o) for o in self.part_outcomes],
            "params": _jsonable(dict(self.params)), "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "Witness":
        """Rebuild a witness stored with :meth:`to_dict` (outcomes become :class:`RuleResult` objects)."""
        def tup(x):
            return tuple(tup(v) for v in x) if isinstance(x, list) else x
        return cls(
            axiom=data["axiom"], rule=data["rule"], profile=_profile_from(data["profile"]),
            outcome=_outcome_from(data["outcome"], data["rule"], data["profile"]),
            modified_profile=_profile_from(data.get("modified_profile")),
            modified_outcome=_outcome_from(data.get("modified_outcome"), data["rule"], data.get("modified_profile")),
            voters=tuple(data.get("voters", ())), true_ballots=tup(data.get("true_ballots", [])),
            misreports=tup(data.get("misreports", [])), alternatives=tuple(data.get("alternatives", ())),
            committee=None if data.get("committee") is None else tuple(data["committee"]),
            parts=tuple(_profile_from(p) for p in data.get("parts", ())),
            part_outcomes=tuple(_outcome_from(o, data["rule"], p) for o, p in
                                zip(data.get("part_outcomes", ()), data.get("parts", ()))),
            params={k: tup(v) if k == "tie_break" else v for k, v in data.get("params", {}).items()},
            explanation=data.get("explanation", ""),
        )

    def __repr__(self) -> str:
        parts = [f"axiom={self.axiom!r}", f"rule={self.rule!r}", f"profile={_profile_text(self.profile)}",
                 f"outcome={_outcome_text(self.outcome)}"]
        if self.modified_profile is not None:
            parts += [f"modified_profile={_profile_text(self.modified_profile)}",
                      f"modified_outcome={_outcome_text(self.modified_outcome)}"]
        if self.voters:
            parts.append(f"voters={self.voters}")
        if self.misreports:
            parts += [f"true_ballots={self.true_ballots}", f"misreports={self.misreports}"]
        if self.explanation:
            parts.append(f"explanation={self.explanation!r}")
        return "Witness(" + ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = [("axiom", self.axiom), ("rule", self.rule), ("what goes wrong", self.explanation),
                ("profile", _profile_text(self.profile, 20)), ("outcome", _outcome_text(self.outcome))]
        if self.modified_profile is not None:
            rows += [("modified profile", _profile_text(self.modified_profile, 20)),
                     ("modified outcome", _outcome_text(self.modified_outcome))]
        for name, value in (("voters", self.voters), ("true ballots", self.true_ballots),
                            ("misreports", self.misreports), ("alternatives", self.alternatives)):
            if value:
                rows.append((name, str(value)))
        for i, (p, o) in enumerate(zip(self.parts, self.part_outcomes)):
            rows.append((f"part {i + 1}", f"{_profile_text(p, 20)} -> {_outcome_text(o)}"))
        body = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in rows)
        return f"<table><caption>Witness</caption>{body}</table>"


def _jsonable(value):
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if not callable(v)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def _profile_dict(profile):
    if profile is None:
        return None
    case = Case.from_profile(profile)
    return {"kind": case.kind, "n_alternatives": case.m, "rows": [list(r) for r in case.rows],
            "weights": list(case.weights), "labels": list(profile.labels)}


def _profile_from(data):
    if data is None:
        return None
    labels = data.get("labels")
    return Case(data["kind"], data["n_alternatives"], [tuple(r) for r in data["rows"]], data["weights"],
                labels).to_profile()


def _outcome_dict(result):
    if result is None:
        return None
    return {"winners": list(result.winners), "tied_winners": list(result.tied_winners),
            "ranking": None if result.ranking is None else [list(g) for g in result.ranking],
            "lottery": None if result.lottery is None else [float(p) for p in result.lottery],
            "committees": None if result.committees is None else [list(c) for c in result.committees],
            "tie_break": result.tie_break}


def _outcome_from(data, rule, profile_data):
    if data is None:
        return None
    from mechanisms.social_choice import RuleResult

    labels = tuple(profile_data["labels"]) if profile_data else ()
    return RuleResult(rule=rule, winners=tuple(data["winners"]), tied_winners=tuple(data.get("tied_winners") or ()),
                      ranking=None if data.get("ranking") is None else tuple(tuple(g) for g in data["ranking"]),
                      lottery=data.get("lottery"),
                      committees=None if data.get("committees") is None else tuple(tuple(c) for c in
                                                                                   data["committees"]),
                      labels=labels, tie_break=data.get("tie_break"))


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class AxiomResult:
    """The verdict of one axiom on one rule and one profile.

    Attributes
    ----------
    axiom, rule : str
    holds : bool or None
        True (satisfied on this profile), False (violated: see ``witness``) or
        None (the axiom does not apply to this rule or profile: see ``reason``).
    witness : Witness or None
        The counterexample, when ``holds`` is False.
    vacuous : bool
        True when the axiom holds only because its premise is false on this
        profile (e.g. there is no Condorcet winner).
    reason : str
        Why the axiom does not apply, or why it holds vacuously.
    params : mapping
        The parameters the check ran with.
    """

    axiom: str
    rule: str
    holds: bool | None
    witness: Witness | None = None
    vacuous: bool = False
    reason: str = ""
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __repr__(self) -> str:
        parts = [f"axiom={self.axiom!r}", f"rule={self.rule!r}", f"holds={self.holds}"]
        if self.vacuous:
            parts.append("vacuous=True")
        if self.reason:
            parts.append(f"reason={self.reason!r}")
        if self.witness is not None:
            parts.append(f"witness={self.witness!r}")
        return "AxiomResult(" + ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        esc = html.escape
        verdict = {True: "holds" + (" (vacuously)" if self.vacuous else ""), False: "violated",
                   None: "not applicable"}[self.holds]
        rows = [("axiom", self.axiom), ("rule", self.rule), ("verdict", verdict)]
        if self.reason:
            rows.append(("reason", self.reason))
        body = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in rows)
        extra = self.witness._repr_html_() if self.witness is not None else ""
        return f"<div><table><caption>AxiomResult</caption>{body}</table>{extra}</div>"
