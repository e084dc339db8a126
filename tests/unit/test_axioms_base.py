"""The axiom objects: registry, results, witnesses as data, validation messages, search methods."""

from __future__ import annotations

import dataclasses
import json
import math
import pickle
import subprocess
import sys

import pytest

from mechanisms import UnknownNameError, ValidationError
from mechanisms.axioms import (
    AxiomResult,
    SearchResult,
    Witness,
    check,
    count_profiles,
    custom_rule,
    find_violation,
    get_axiom,
    iter_profiles,
    list_axioms,
    search,
)
from mechanisms.profiles import ApprovalProfile, Profile
from mechanisms.social_choice import get_rule

REQUIRED = {
    "anonymity", "neutrality", "pareto", "unanimity", "condorcet_winner", "condorcet_loser", "smith", "majority",
    "majority_loser", "monotonicity", "positive_responsiveness", "participation", "reinforcement", "homogeneity",
    "independence_of_clones", "independence_of_smith_dominated", "reversal_symmetry", "later_no_harm",
    "pairwise_majority_consistency", "strategyproofness", "coalitional_manipulability", "resolvability",
    "jr", "pjr", "ejr", "core",
}
BORDA_CW = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 2, 0]], labels=["a", "b", "c"])


def test_registry_holds_every_required_axiom_with_references():
    ids = {a.id for a in list_axioms()}
    assert REQUIRED <= ids and len(ids) >= 25
    for axiom in list_axioms():
        assert axiom.references and axiom.statement and axiom.__doc__
        assert "References" in axiom.__doc__


def test_unknown_axiom_suggests_close_matches():
    with pytest.raises(UnknownNameError, match="Did you mean 'condorcet_winner'"):
        get_axiom("condorcet_winer")
    with pytest.raises(ValidationError, match="'id' parameter of get_axiom"):
        get_axiom(3)


def test_list_axioms_filters_by_domain_and_outcome():
    assert {a.id for a in list_axioms(domain="approval", outcome="committees")} >= {"jr", "pjr", "ejr", "core"}
    assert "jr" not in {a.id for a in list_axioms(domain="ordinal")}
    with pytest.raises(ValidationError, match="'domain' parameter of list_axioms"):
        list_axioms(domain="cardinal")


def test_axioms_pickle_to_the_registered_object():
    axiom = get_axiom("monotonicity")
    assert pickle.loads(pickle.dumps(axiom)) is axiom


def test_check_returns_a_frozen_result_with_the_witness_as_data():
    result = get_axiom("condorcet_winner").check("borda", BORDA_CW)
    assert isinstance(result, AxiomResult) and result.holds is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.holds = True
    w = result.witness
    assert isinstance(w, Witness) and w.alternatives == (0,)
    assert w.outcome.winners == (0, 1) and w.profile == BORDA_CW
    assert "holds=False" in repr(result) and "Condorcet winner" in repr(result)
    assert "<table>" in result._repr_html_() and "<table>" in w._repr_html_()
    # the module-level shortcut
    assert check("condorcet_winner", "copeland", BORDA_CW).holds is True


def test_vacuous_and_not_applicable_verdicts_carry_reasons():
    cycle = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    vacuous = get_axiom("condorcet_winner").check("borda", cycle)
    assert vacuous.holds is True and vacuous.vacuous and "no Condorcet winner" in vacuous.reason
    na = get_axiom("jr").check("borda", cycle)
    assert na.holds is None and "approval" in na.reason
    no_ranking = get_axiom("pairwise_majority_consistency").check("condorcet", cycle)
    assert no_ranking.holds is None and "ranking" in no_ranking.reason
    assert get_axiom("strategyproofness").applies_to("stv") == (
        False, "strategyproofness is stated for rules returning winners, lottery; rule 'stv' returns committees")
    # a rule that rejects the profile (strict ballots only) gives holds=None, not an error
    ties = Profile.from_ranks([[0, 0, 1], [1, 0, 2]])
    assert get_axiom("majority").check("instant_runoff", ties).holds is None


@pytest.mark.parametrize("call, match", [
    (lambda: get_axiom("monotonicity").check("borda", BORDA_CW, modle="kelly"),
     r"The 'modle' parameter of monotonicity.check must be one of this axiom's parameters"),
    (lambda: get_axiom("strategyproofness").check("borda", BORDA_CW, model="maximin"),
     r"The 'model' parameter of strategyproofness.check must be one of 'tie_break'"),
    (lambda: get_axiom("strategyproofness").check("borda", BORDA_CW, model="sd"),
     r"'model' parameter .* for a rule that is not probabilistic"),
    (lambda: get_axiom("pareto").check("borda", BORDA_CW, tie_break="random"),
     r"The 'tie_break' parameter of pareto.check must be None, 'lexicographic' or a priority order"),
    (lambda: get_axiom("pareto").check("positional", BORDA_CW),
     r"The 'rule_options' parameter of pareto.check must be given for rule 'positional'"),
    (lambda: get_axiom("pareto").check("borda", BORDA_CW, rule_options={"truncaton": "zero"}),
     r"The 'rule_options' parameter .* 'truncaton' is not one of them"),
    (lambda: get_axiom("pareto").check("borda", ApprovalProfile.from_sets([{0}], n_alternatives=2)),
     r"The 'profile' parameter of pareto.check must be an ordinal Profile"),
    (lambda: get_axiom("pareto").check(42, BORDA_CW), r"The 'rule' parameter of pareto.check must be a rule id"),
    (lambda: get_axiom("coalitional_manipulability").check("borda", BORDA_CW, k=0),
     r"The 'k' parameter of coalitional_manipulability.check must be an int in \[1, inf\]"),
    (lambda: get_axiom("homogeneity").check("borda", BORDA_CW, factors=(1,)),
     r"The 'factors' parameter of homogeneity.check must be a nonempty sequence of ints >= 2"),
    (lambda: find_violation("pareto", "borda", n_voters=6, n_alternatives=4),
     r"The 'n_voters' parameter of find_violation must be small enough for an exhaustive search.*"
     r"method='random'"),
    (lambda: find_violation("pareto", "borda", n_voters=2, n_alternatives=3, method="bfs"),
     r"The 'method' parameter of find_violation must be one of 'exhaustive', 'random', 'hypothesis'"),
    (lambda: find_violation("pareto", "borda", n_voters=2, n_alternatives=1),
     r"The 'n_alternatives' parameter of find_violation must be an int in \[2, inf\]"),
    (lambda: find_violation("pareto", "borda", n_voters=2, n_alternatives=3, culture="mallows"),
     r"The 'culture' parameter of find_violation must be given only with method='random'"),
])
def test_bad_arguments_raise_validation_errors_that_name_the_argument(call, match):
    with pytest.raises(ValidationError, match=match):
        call()


def test_unknown_culture_suggests_close_matches():
    with pytest.raises(UnknownNameError, match="Did you mean 'impartial_culture'"):
        find_violation("pareto", "borda", n_voters=2, n_alternatives=3, method="random", culture="impartial_cultur")


@pytest.mark.parametrize("n, m, kind", [(4, 3, "ordinal"), (2, 4, "ordinal"), (3, 3, "approval")])
def test_profile_counts_match_enumeration_and_closed_form(n, m, kind):
    n_ballots = math.factorial(m) if kind == "ordinal" else 2 ** m
    listed = [tuple(map(tuple, p.ranks.tolist() if kind == "ordinal" else p.approvals.tolist()))
              for p in iter_profiles(n, m, kind=kind)]
    assert len(listed) == len(set(listed)) == math.comb(n_ballots + n - 1, n)
    assert count_profiles(n, m, kind=kind, cumulative=False) == len(listed)
    assert count_profiles(n, m, kind=kind) == sum(math.comb((math.factorial(mm) if kind == "ordinal" else 2 ** mm)
                                                            + nn - 1, nn)
                                                  for mm in range(2, m + 1) for nn in range(1, n + 1))


def test_iter_profiles_covers_every_ordered_profile_once_under_ic_weights():
    total = 0
    for p in iter_profiles(3, 3):
        counts = p.grouped().weights
        total += math.factorial(3) // math.prod(math.factorial(int(c)) for c in counts)
    assert total == 6 ** 3


def test_exhaustive_search_reports_its_effort_and_finds_a_smallest_witness():
    res = search("condorcet_winner", "borda", n_voters=4, n_alternatives=3)
    assert isinstance(res, SearchResult) and res.found and not res.complete
    assert res.witness.profile.n_voters == 3           # none with 1 or 2 voters exists
    assert "violated" in res.summary
    clean = search("condorcet_winner", "copeland", n_voters=3, n_alternatives=3)
    assert clean.complete and not clean.found
    assert clean.n_profiles == count_profiles(3, 3)
    assert "no violation in every anonymous profile" in repr(clean)
    na = search("jr", "borda", n_voters=2, n_alternatives=3)
    assert not na.applicable and not na.found and "approval" in na.reason


def test_random_search_is_reproducible_from_its_seed():
    a = find_violation("condorcet_winner", "plurality", n_voters=7, n_alternatives=4, method="random", rng=3,
                       max_profiles=200)
    b = find_violation("condorcet_winner", "plurality", n_voters=7, n_alternatives=4, method="random", rng=3,
                       max_profiles=200)
    assert a is not None and a.profile == b.profile and a.profile.n_voters == 7
    mallows = find_violation("condorcet_winner", "plurality", n_voters=7, n_alternatives=4, method="random",
                             rng=3, max_profiles=200, culture="mallows", culture_options={"phi": 0.8})
    if mallows is not None:
        assert mallows.profile.n_voters == 7 and mallows.profile.n_alternatives == 4


def test_hypothesis_search_shrinks_to_a_minimal_witness():
    w = find_violation("condorcet_winner", "borda", n_voters=6, n_alternatives=4, method="hypothesis", rng=0,
                       max_profiles=100)
    assert w is not None
    assert w.profile.n_voters == 3 and w.profile.n_alternatives == 3   # the smallest size with a violation
    assert get_axiom("condorcet_winner").check("borda", w.profile).holds is False


def test_witness_round_trips_through_json():
    w = find_violation("participation", "instant_runoff", n_voters=4, n_alternatives=3)
    data = json.loads(json.dumps(w.to_dict()))
    back = Witness.from_dict(data)
    assert back.profile == w.profile and back.modified_profile == w.modified_profile
    assert back.voters == w.voters and back.true_ballots == w.true_ballots
    assert back.outcome.winners == w.outcome.winners and back.params["model"] == "tie_break"
    assert get_axiom("participation").verify("instant_runoff", back)


def test_verify_rejects_a_tampered_witness():
    w = get_axiom("condorcet_winner").check("borda", BORDA_CW).witness
    assert get_axiom("condorcet_winner").verify("borda", w)
    forged = dataclasses.replace(w, outcome=get_rule("copeland")(BORDA_CW))
    assert not get_axiom("condorcet_winner").verify("borda", forged)
    # and a witness of one rule is no witness for another
    assert not get_axiom("condorcet_winner").verify("copeland", w)


def test_custom_rules_accept_plain_functions():
    always_zero = custom_rule(lambda p: 0, id="always_zero", resolute=True)
    w = find_violation("neutrality", always_zero, n_voters=1, n_alternatives=2)
    assert w is not None and w.outcome.winners == w.modified_outcome.winners == (0,)
    tie_all = custom_rule(lambda p: range(p.n_alternatives), id="tie_all")
    assert check("pareto", tie_all, BORDA_CW).holds is False
    # a plain function works directly too
    assert check("unanimity", lambda p: [int(p.rankings()[0, 0])], BORDA_CW).holds is True


def test_an_unregistered_rule_is_not_assumed_anonymous():
    first_voter = custom_rule(lambda p: int(p.rankings()[0, 0]), id="first_voter", resolute=True)
    w = find_violation("anonymity", first_voter, n_voters=2, n_alternatives=2)
    assert w is not None and w.outcome.winners != w.modified_outcome.winners


def test_a_shared_cache_does_not_change_verdicts():
    cache = {}
    for axiom in ("condorcet_winner", "monotonicity", "reinforcement"):
        with_cache = search(axiom, "borda", n_voters=3, n_alternatives=3, cache=cache)
        without = search(axiom, "borda", n_voters=3, n_alternatives=3)
        assert with_cache.found == without.found and with_cache.n_profiles == without.n_profiles
    assert cache


def test_importing_axioms_pulls_in_no_heavy_dependency():
    code = ("import sys, mechanisms.axioms\n"
            "print(','.join(m for m in ('cvxpy', 'matplotlib', 'pandas', 'hypothesis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_axiom_runs_on_a_tiny_profile_of_each_of_its_domains():
    cases = {"ordinal": ("borda", Profile.from_rankings([[0, 1, 2], [1, 2, 0]]), None),
             "approval": ("pav", ApprovalProfile.from_sets([{0, 1}, {2}], n_alternatives=3), {"k": 2})}
    for axiom in list_axioms():
        for domain in axiom.domains:
            rule, profile, options = cases[domain]
            result = axiom.check(rule, profile, rule_options=options)
            assert result.holds in (True, False, None), (axiom.id, domain)
            if result.holds is None:
                assert result.reason
