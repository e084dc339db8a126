"""Turn rules x axioms (with the violations you expect, and why) into pytest cases.

This is how the toolkit tests its own registry, and how you can test your rules::

    # test_my_rules.py
    import pytest
    from mechanisms.axioms import custom_rule
    from mechanisms.testing import axiom_cases, check_axiom_case

    my_rule = custom_rule(lambda p: ..., id="my_rule")
    EXPECTED = {
        ("my_rule", "condorcet_winner"): "a scoring rule; Fishburn (1974) shows none is Condorcet-consistent",
        ("*", "strategyproofness"): "Gibbard-Satterthwaite",
    }
    CACHE = {}   # outcomes shared by every case of the module

    @pytest.mark.parametrize("case", axiom_cases([my_rule, "borda"], expected_violations=EXPECTED,
                                                 n_voters=3, n_alternatives=3))
    def test_axiom(case):
        check_axiom_case(case, cache=CACHE)

Every applicable (rule, axiom) pair becomes one case with id ``"rule-axiom"``;
pairs where the axiom does not apply are not generated.  A case runs a search
(:func:`mechanisms.axioms.search`) and fails on an *unexpected violation* (with
the witness in the message) and on an *unexpected pass* (a declared violation
the search did not find at the stated sizes), so the table of expectations
stays honest.  Witnesses are re-verified from scratch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from solvers.errors import ValidationError
from solvers.validation import fail

__all__ = ["AxiomCase", "axiom_cases", "check_axiom_case"]

_SEARCH_KEYS = frozenset({"n_voters", "n_alternatives", "method", "rng", "max_profiles", "culture",
                          "culture_options", "tie_break", "rule_options", "params", "marks"})


@dataclasses.dataclass(frozen=True, repr=False)
class AxiomCase:
    """One (rule, axiom) pair with its expectation and search settings.

    Attributes
    ----------
    rule : Rule
    axiom : str
    expected_violation : str or None
        The declared reason the rule violates the axiom, or None when it should hold.
    settings : mapping
        Keyword arguments of :func:`mechanisms.axioms.search` (sizes, method, rng,
        ``tie_break``, ``rule_options``, ``params`` = the axiom's parameters).
    """

    rule: Any
    axiom: str
    expected_violation: str | None
    settings: Mapping[str, Any]

    @property
    def id(self) -> str:
        return f"{self.rule.id}-{self.axiom}"

    def __repr__(self) -> str:
        expect = f"violation ({self.expected_violation})" if self.expected_violation else "holds"
        return f"AxiomCase({self.id}, expects {expect})"


def _check_settings(value, name: str, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        fail(name, "axiom_cases", "a mapping of search settings", value, hint=f"See {where}.")
    unknown = set(value) - _SEARCH_KEYS - {"reason"}
    if unknown:
        fail(name, "axiom_cases", "search settings among " + ", ".join(sorted(_SEARCH_KEYS)), value,
             hint=f"Unknown key {sorted(unknown)[0]!r} in {where}.")
    return dict(value)


def _merge(*layers) -> dict:
    out: dict = {"params": {}, "marks": []}
    for layer in layers:
        for key, value in layer.items():
            if key == "params":
                out["params"] = {**out["params"], **dict(value)}
            elif key == "marks":
                out["marks"] = out["marks"] + list(value)
            elif key != "reason":
                out[key] = value
    return out


def axiom_cases(rules=None, axioms=None, *, expected_violations: Mapping | None = None, n_voters: int = 3,
                n_alternatives: int = 3, method: str = "exhaustive", rule_settings: Mapping | None = None,
                axiom_settings: Mapping | None = None, case_settings: Mapping | None = None,
                cache: dict | None = None, **search_options) -> list:
    """Pytest parameters, one per applicable (rule, axiom) pair, with id ``"rule-axiom"``.

    Parameters
    ----------
    rules : iterable, optional
        Rule ids, :class:`~mechanisms.social_choice.Rule` objects or functions (see
        :func:`mechanisms.axioms.custom_rule`); default every registered rule.
    axioms : iterable, optional
        Axiom ids or objects; default every registered axiom.
    expected_violations : mapping, optional
        ``{(rule_id, axiom_id): reason}``.  ``rule_id`` may be ``"*"`` (every rule
        the axiom applies to); an entry ``None`` for a specific rule overrides a
        wildcard (expected to hold).  A value may also be a mapping with
        ``"reason"`` and search settings for that case (e.g. larger sizes).
    n_voters, n_alternatives, method, **search_options
        Default search settings (see :func:`mechanisms.axioms.search`); the
        axiom's own parameters go in ``params={...}``.
    rule_settings, axiom_settings, case_settings : mapping, optional
        Settings per rule id, per axiom id and per ``(rule_id, axiom_id)``; later
        layers win (defaults < axiom < rule < case < expected_violations entry).
        ``"marks"`` (pytest marks) accumulate, ``"params"`` merge.
    cache : dict, optional
        Outcome cache for the applicability probes (pass the one your tests use).

    Returns
    -------
    list of pytest.param
        Each wraps an :class:`AxiomCase`; run it with :func:`check_axiom_case`.

    Raises
    ------
    UnknownNameError
        For an unknown rule or axiom id in the tables.
    ValidationError
        For a declared violation of an axiom that does not apply to the rule.
    """
    import pytest

    from mechanisms.axioms import get_axiom, list_axioms
    from mechanisms.axioms.base import resolve_rule
    from mechanisms.social_choice import get_rule, list_rules

    owner = "axiom_cases"
    rule_objs = list(list_rules()) if rules is None else [resolve_rule(r, owner) for r in rules]
    axiom_objs = list(list_axioms()) if axioms is None else [get_axiom(a) for a in axioms]
    expected = dict(expected_violations or {})
    for key in expected:
        if not (isinstance(key, tuple) and len(key) == 2):
            fail("expected_violations", owner, "a mapping keyed by (rule_id, axiom_id) pairs", key)
        rule_id, axiom_id = key
        get_axiom(axiom_id)
        if rule_id != "*" and rule_id not in {r.id for r in rule_objs}:
            get_rule(rule_id)  # unknown ids raise with suggestions
    defaults = {"n_voters": n_voters, "n_alternatives": n_alternatives, "method": method, **search_options}
    rule_settings = dict(rule_settings or {})
    axiom_settings = dict(axiom_settings or {})
    case_settings = dict(case_settings or {})
    for key in axiom_settings:
        get_axiom(key)
    probe_cache = cache if cache is not None else {}
    out = []
    for rule in rule_objs:
        for axiom in axiom_objs:
            entry = expected.get((rule.id, axiom.id), expected.get(("*", axiom.id)))
            if (rule.id, axiom.id) in expected and expected[(rule.id, axiom.id)] is None:
                entry = None
            entry_settings = _check_settings(entry, "expected_violations", f"({rule.id!r}, {axiom.id!r})") \
                if isinstance(entry, Mapping) else {}
            reason = entry.get("reason") if isinstance(entry, Mapping) else entry
            if entry is not None and not (isinstance(reason, str) and reason):
                fail("expected_violations", owner, "reasons given as nonempty str (or mappings with 'reason')",
                     entry, hint=f"See ({rule.id!r}, {axiom.id!r}).")
            settings = _merge(defaults, _check_settings(axiom_settings.get(axiom.id), "axiom_settings", axiom.id),
                              _check_settings(rule_settings.get(rule.id), "rule_settings", rule.id),
                              _check_settings(case_settings.get((rule.id, axiom.id)), "case_settings",
                                              f"({rule.id!r}, {axiom.id!r})"),
                              entry_settings)
            ok, why = axiom.applies_to(rule, tie_break=settings.get("tie_break"),
                                       rule_options=settings.get("rule_options"), cache=probe_cache,
                                       **settings["params"])
            if not ok:
                if (rule.id, axiom.id) in expected and entry is not None:
                    raise ValidationError(f"A violation of {axiom.id!r} by {rule.id!r} is declared, but the axiom "
                                          f"does not apply: {why}")
                continue
            marks = settings.pop("marks")
            case = AxiomCase(rule=rule, axiom=axiom.id, expected_violation=reason,
                             settings=MappingProxyType(settings))
            out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def check_axiom_case(case: AxiomCase, *, cache: dict | None = None):
    """Run one case: search, compare with the expectation, re-verify the witness.

    Returns
    -------
    SearchResult

    Raises
    ------
    AssertionError
        On an unexpected violation (the message shows the witness), an unexpected
        pass (a declared violation was not found at the stated sizes), or a
        witness that does not survive re-verification.
    """
    from mechanisms.axioms import get_axiom

    if not isinstance(case, AxiomCase):
        fail("case", "check_axiom_case", "an AxiomCase (from axiom_cases)", case)
    axiom = get_axiom(case.axiom)
    settings = dict(case.settings)
    params = settings.pop("params", {})
    result = axiom.search(case.rule, cache=cache, **settings, **params)
    sizes = f"n_voters <= {settings['n_voters']}, n_alternatives <= {settings['n_alternatives']}"
    if not result.applicable:
        raise AssertionError(f"{case.id}: the search could not run: {result.reason}")
    if result.found:
        witness = result.witness
        again = axiom.check(case.rule, witness.profile, tie_break=settings.get("tie_break"),
                            rule_options=settings.get("rule_options"), **params)
        if again.holds is not False or not axiom.verify(case.rule, witness, rule_options=settings.get("rule_options")):
            raise AssertionError(f"{case.id}: the witness does not survive re-verification: {witness!r}")
        if case.expected_violation is None:
            raise AssertionError(
                f"{case.id}: unexpected violation ({settings['method']}, {sizes}): {witness.explanation}.\n"
                f"{witness!r}\nIf this is a known property of the rule, declare it in expected_violations with "
                f"the reason.")
    elif case.expected_violation is not None:
        raise AssertionError(
            f"{case.id}: unexpected pass: declared violation ({case.expected_violation}) not found: "
            f"{result.summary}.  Raise the search sizes for this case or remove the declaration.")
    return result
