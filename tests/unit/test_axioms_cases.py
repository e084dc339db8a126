"""The pytest helper: rules x axioms as cases, declared violations, unexpected passes and violations."""

from __future__ import annotations

import pytest

from mechanisms import UnknownNameError, ValidationError
from mechanisms.axioms import custom_rule
from mechanisms.testing import AxiomCase, axiom_cases, check_axiom_case

CACHE: dict = {}


def case_of(params, rule, axiom):
    (found,) = [p.values[0] for p in params if p.id == f"{rule}-{axiom}"]
    return found


def test_cases_have_rule_axiom_ids_and_skip_inapplicable_pairs():
    params = axiom_cases(["borda", "pav"], ["condorcet_winner", "jr"],
                         rule_settings={"pav": {"rule_options": {"k": 2}}}, cache=CACHE)
    assert sorted(p.id for p in params) == ["borda-condorcet_winner", "pav-jr"]
    case = params[0].values[0]
    assert isinstance(case, AxiomCase) and "holds" in repr(case)


def test_an_unexpected_violation_fails_with_the_witness():
    (param,) = axiom_cases(["borda"], ["condorcet_winner"], cache=CACHE)
    with pytest.raises(AssertionError, match=r"(?s)borda-condorcet_winner: unexpected violation .*Witness\("):
        check_axiom_case(param.values[0], cache=CACHE)


def test_an_unexpected_pass_fails_and_names_the_declared_reason():
    (param,) = axiom_cases(["copeland"], ["condorcet_winner"],
                           expected_violations={("copeland", "condorcet_winner"): "a wrong claim"}, cache=CACHE)
    with pytest.raises(AssertionError, match=r"unexpected pass: declared violation \(a wrong claim\) not found"):
        check_axiom_case(param.values[0], cache=CACHE)


def test_declared_violations_pass_and_wildcards_can_be_overridden():
    dictator = custom_rule(lambda p: int(p.rankings()[0, 0]), id="dictator", resolute=True)
    expected = {("*", "strategyproofness"): "Gibbard-Satterthwaite", ("dictator", "strategyproofness"): None,
                ("borda", "condorcet_winner"): {"reason": "Fishburn (1974)", "n_voters": 3}}
    params = axiom_cases([dictator, "borda"], ["strategyproofness", "condorcet_winner"],
                         expected_violations=expected, n_voters=2, cache=CACHE)
    cases = {p.id: p.values[0] for p in params}
    assert cases["dictator-strategyproofness"].expected_violation is None
    assert cases["borda-strategyproofness"].expected_violation == "Gibbard-Satterthwaite"
    assert cases["borda-condorcet_winner"].settings["n_voters"] == 3       # the entry's own sizes
    for case in cases.values():
        if case.id != "dictator-condorcet_winner":
            check_axiom_case(case, cache=CACHE)


def test_settings_layers_and_marks():
    params = axiom_cases(["borda"], ["homogeneity"], axiom_settings={"homogeneity": {"params": {"factors": (2,)}}},
                         rule_settings={"borda": {"n_voters": 2, "marks": [pytest.mark.slow]}}, cache=CACHE)
    (param,) = params
    assert param.values[0].settings["params"] == {"factors": (2,)}
    assert param.values[0].settings["n_voters"] == 2
    assert [m.name for m in param.marks] == ["slow"]
    check_axiom_case(param.values[0], cache=CACHE)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"expected_violations": {("borda", "condorcet_winer"): "x"}}, UnknownNameError, "Did you mean"),
    ({"expected_violations": {("bordaa", "condorcet_winner"): "x"}}, UnknownNameError, "Unknown rule 'bordaa'"),
    ({"expected_violations": {("borda", "jr"): "x"}}, ValidationError, "does not apply"),
    ({"expected_violations": {("borda", "pareto"): ""}}, ValidationError, "reasons given as nonempty str"),
    ({"expected_violations": {"borda": "x"}}, ValidationError, r"\(rule_id, axiom_id\) pairs"),
    ({"rule_settings": {"borda": {"n_voter": 2}}}, ValidationError, "Unknown key 'n_voter'"),
])
def test_bad_tables_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        axiom_cases(["borda"], ["pareto", "jr"], cache=CACHE, **kwargs)
