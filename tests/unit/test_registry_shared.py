"""The shared registry machinery (mechanisms._registry), report_limits of register_rule, the re-exported
proportionality checks, and maxmin_rlhf on degenerate comparison tables.

Oracles: hand-written expectations (the error text the validation helpers produce, the ids written out
here), the definitions of JR/PJR/EJR checked on a hand-built committee, and the symmetry of an empty
comparison table (nothing distinguishes the items, so all tie).
"""

import pickle

import numpy as np
import pytest

import mechanisms.axioms.base as axioms_base
import mechanisms.social_choice.registry as rules_registry
from mechanisms._registry import Registry, normalize_id
from mechanisms.axioms import get_axiom, list_axioms
from mechanisms.profiles import ApprovalProfile, PairwiseComparisons
from mechanisms.social_choice import (
    ProportionalityCheck,
    get_rule,
    is_ejr,
    is_jr,
    is_pjr,
    list_rules,
    register_rule,
)
from mechanisms.social_choice.result import Outcome
from solvers.errors import UnknownNameError, ValidationError


def test_both_registries_are_the_shared_machinery():
    assert isinstance(rules_registry._RULES, Registry) and isinstance(axioms_base._AXIOMS, Registry)
    assert rules_registry._RULES.kind == "rule" and axioms_base._AXIOMS.kind == "axiom"


@pytest.mark.parametrize(("raw", "normal"), [(" Beat-Path ", "beat_path"), ("Ranked Pairs", "ranked_pairs"),
                                             ("borda", "borda")])
def test_normalize_id(raw, normal):
    assert normalize_id(raw) == normal


def test_lookup_normalizes_and_resolves_aliases_for_rules_and_axioms():
    assert get_rule(" Beat-Path ").id == "schulze"
    assert get_rule("IRV").id == "instant_runoff"
    assert get_axiom("Condorcet-Winner").id == "condorcet_winner"


@pytest.mark.parametrize(("lookup", "kind", "typo", "close"), [
    (get_rule, "rule", "schulz", "schulze"), (get_axiom, "axiom", "monotonicty", "monotonicity")])
def test_unknown_names_suggest_close_matches(lookup, kind, typo, close):
    with pytest.raises(UnknownNameError, match=rf"Unknown {kind} '{typo}'\. Did you mean '{close}'"):
        lookup(typo)


@pytest.mark.parametrize(("lookup", "owner", "what"), [(get_rule, "get_rule", "a rule id"),
                                                      (get_axiom, "get_axiom", "an axiom id")])
def test_non_string_ids_are_rejected(lookup, owner, what):
    with pytest.raises(ValidationError, match=rf"The 'id' parameter of {owner} must be {what} \(str\)\. Got"):
        lookup(3)


def test_listings_are_sorted_and_filtered():
    ids = [r.id for r in list_rules()]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert {r.id for r in list_rules(input_kind="approval")} == {"av", "sav", "pav", "cc", "seq_pav",
                                                                 "seq_phragmen", "mes"}
    axioms = [a.id for a in list_axioms()]
    assert axioms == sorted(axioms) and len(axioms) >= 25


def _dummy(profile):
    return Outcome(winners=[0])


@pytest.mark.parametrize(("limits", "match"), [
    ([("max_alternatives", 3)], r"must be a mapping from 'max_alternatives', 'max_voters', 'max_ballots' to "
                                r"positive ints\. Got"),
    ({"max_alternative": 3}, r"'max_alternative' is not a limit\. Did you mean 'max_alternatives'\?"),
    ({"max_voters": 0}, r"The value of 'max_voters' is not a positive int\."),
    ({"max_voters": 2.5}, r"The value of 'max_voters' is not a positive int\."),
    ({"max_ballots": True}, r"The value of 'max_ballots' is not a positive int\."),
])
def test_bad_report_limits_are_rejected(limits, match):
    with pytest.raises(ValidationError, match=r"The 'report_limits' parameter of register_rule .*" + match):
        register_rule("_test_bad_limits", name="x", input_kind="ordinal", report_limits=limits)
    assert "_test_bad_limits" not in rules_registry._REGISTRY


def test_report_limits_are_stored_frozen_and_shown():
    try:
        rule = register_rule("_test_limits", name="Limited", input_kind="ordinal",
                             report_limits={"max_voters": np.int64(7), "max_alternatives": 5})(_dummy)
        assert dict(rule.report_limits) == {"max_voters": 7, "max_alternatives": 5}
        assert type(rule.report_limits["max_voters"]) is int
        with pytest.raises(TypeError):
            rule.report_limits["max_voters"] = 9
        assert repr(rule) == "<Rule '_test_limits': Limited (ordinal, max_voters=7, max_alternatives=5)>"
        assert "max_voters=7, max_alternatives=5" in rule._repr_html_()
    finally:
        rules_registry._REGISTRY.pop("_test_limits", None)
    assert dict(get_rule("borda").report_limits) == {}


def test_duplicate_ids_and_aliases_are_refused():
    with pytest.raises(ValidationError, match=r"Rule id 'borda' is already registered by"):
        register_rule("borda", name="x", input_kind="ordinal")(_dummy)
    with pytest.raises(ValidationError, match=r"Alias 'irv' of rule '_test_alias' is already taken by "
                                              r"'instant_runoff'"):
        register_rule("_test_alias", name="x", input_kind="ordinal", aliases=("IRV",))(_dummy)
    assert "_test_alias" not in rules_registry._REGISTRY


# ---------------------------------------------------------------- re-exported proportionality checks
def test_proportionality_checks_are_reexported():
    # 4 voters approve {0, 1}, 2 voters approve {2}; k = 3, quota n/k = 2.  Committee {0, 1, 3}: the two
    # {2}-voters are a 1-cohesive group of size >= n/k with nobody elected -> JR (hence PJR, EJR) fails.
    profile = ApprovalProfile([[1, 1, 0, 0]] * 4 + [[0, 0, 1, 0]] * 2)
    bad = is_jr(profile, [0, 1, 3])
    assert isinstance(bad, ProportionalityCheck) and not bad.satisfied
    assert bad.voters == (4, 5) and bad.candidates == (2,)
    assert not is_pjr(profile, [0, 1, 3]) and not is_ejr(profile, [0, 1, 3])
    # {0, 1, 2}: the {0, 1} group (size 4 >= 2 * n/k) gets 2 seats, the {2} group one: EJR (and PJR, JR) hold
    assert is_jr(profile, [0, 1, 2]) and is_pjr(profile, [0, 1, 2]) and is_ejr(profile, [0, 1, 2])


# ---------------------------------------------------------------- maxmin_rlhf on degenerate tables
@pytest.mark.parametrize("n_items", [1, 2, 3])
@pytest.mark.parametrize(("normalize", "neutral"), [("range", 0.5), ("std", 0.0), ("none", 0.0)])
def test_maxmin_rlhf_without_comparisons_ties_every_item(n_items, normalize, neutral):
    table = PairwiseComparisons([], [], [], annotator=[], n_items=n_items)
    result = get_rule("maxmin_rlhf")(table, normalize=normalize)
    assert result.winners == tuple(range(n_items))
    assert result.ranking == (tuple(range(n_items)),)
    assert np.array_equal(result.scores, np.full(n_items, neutral))
    assert pickle.loads(pickle.dumps(result)) == result
