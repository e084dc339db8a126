"""The rule registry: look-up, filtering, calling conventions, errors, tie-breaking, pickling, display."""

from __future__ import annotations

import pickle
import pkgutil
import subprocess
import sys

import numpy as np
import pytest

import mechanisms.social_choice as sc
from mechanisms import UnknownNameError, ValidationError
from mechanisms.profiles import ApprovalProfile, Profile, UtilityProfile
from mechanisms.social_choice import Outcome, Rule, RuleResult, get_rule, list_rules, register_rule
from mechanisms.social_choice import registry as registry_module

CYCLE = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]], labels=["a", "b", "c"])

EXPECTED_IDS = {
    "plurality", "borda", "antiplurality", "k_approval", "dowdall", "positional",
    "instant_runoff", "plurality_with_runoff", "coombs", "baldwin", "nanson", "bucklin", "stv",
    "condorcet", "copeland", "llull", "minimax", "schulze", "ranked_pairs_tb", "split_cycle", "stable_voting",
    "smith_set", "schwartz_set", "uncovered_set", "black", "young", "dodgson",
}


def test_every_rule_of_this_issue_is_registered():
    ids = {r.id for r in list_rules()}
    assert EXPECTED_IDS <= ids


@pytest.mark.parametrize("alias, rule_id", [("beat_path", "schulze"), ("top_cycle", "smith_set"),
                                             ("irv", "instant_runoff"), ("Instant-Runoff", "instant_runoff"),
                                             ("veto", "antiplurality"), ("gocha", "schwartz_set")])
def test_aliases_and_id_normalization_resolve(alias, rule_id):
    assert get_rule(alias).id == rule_id
    assert get_rule(alias) is get_rule(rule_id)


def test_unknown_id_suggests_close_matches():
    with pytest.raises(UnknownNameError, match=r"Unknown rule 'shulze'\. Did you mean 'schulze'"):
        get_rule("shulze")
    with pytest.raises(KeyError):  # also a KeyError, like a dict look-up
        get_rule("no_such_rule")
    with pytest.raises(ValidationError, match="The 'id' parameter of get_rule must be a rule id"):
        get_rule(3)


def test_list_rules_filters():
    ordinal = list_rules(input_kind="ordinal")
    assert {r.id for r in ordinal} >= EXPECTED_IDS
    assert all("ordinal" in r.input_kinds for r in ordinal)
    resolute = {r.id for r in list_rules(resolute=True)}
    assert "ranked_pairs_tb" in resolute and "borda" not in resolute
    cc = {r.id for r in list_rules(properties=["condorcet_consistent"])}
    assert {"schulze", "copeland", "minimax", "young", "dodgson", "black", "baldwin", "nanson"} <= cc
    assert not cc & {"borda", "plurality", "instant_runoff", "coombs", "bucklin"}
    assert {r.id for r in list_rules(committee=True)} >= {"stv"}
    any_ballots = {r.id for r in list_rules(ballots="any")}
    assert "borda" in any_ballots and "instant_runoff" not in any_ballots and "dodgson" not in any_ballots
    assert "instant_runoff" in {r.id for r in list_rules(ballots="strict")}
    assert [r.id for r in list_rules()] == sorted(r.id for r in list_rules())
    with pytest.raises(ValidationError, match="The 'input_kind' parameter of list_rules must be one of"):
        list_rules(input_kind="rankings")


def test_rule_metadata_is_complete():
    for rule in list_rules():
        assert rule.id == rule.id.lower() and rule.name
        assert rule.references, rule.id
        assert rule.algorithms
        assert rule.__doc__ and "References" in rule.__doc__, rule.id
        assert "Examples" in rule.__doc__, rule.id


def test_no_module_of_the_package_shadows_a_rule_id():
    # rules are module attributes (sc.borda); a submodule with a rule's name would hide it
    modules = {info.name for info in pkgutil.iter_modules(sc.__path__)}
    assert not modules & ({r.id for r in list_rules()} | set(registry_module._ALIASES))


def test_rules_are_module_attributes():
    assert sc.schulze is get_rule("schulze")
    assert sc.beat_path is get_rule("schulze")
    assert "borda" in dir(sc)
    with pytest.raises(AttributeError):
        sc.not_a_rule  # noqa: B018


def test_wrong_input_kind_is_a_clear_error():
    approvals = ApprovalProfile([[True, False], [True, True]])
    with pytest.raises(ValidationError, match=r"The 'profile' parameter of borda must be an ordinal Profile"
                                              r".*Got ApprovalProfile instead"):
        get_rule("borda")(approvals)
    utilities = UtilityProfile([[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValidationError, match=r"to_profile\(\)"):
        get_rule("schulze")(utilities)
    with pytest.raises(ValidationError, match=r"Profile.from_rankings"):
        get_rule("plurality")(np.array([[0, 1], [1, 0]]))


def test_ballot_requirements_are_checked():
    ties = Profile.from_weak_orders([[[0, 1], [2]], [[2], [0], [1]]])
    truncated = Profile.from_rankings([[0, 1, -1], [2, 0, 1]])
    with pytest.raises(ValidationError, match=r"instant_runoff must be a profile of strict ballots.*kind 'toc'"):
        get_rule("instant_runoff")(ties)
    with pytest.raises(ValidationError, match=r"dodgson must be a profile of strict complete rankings.*'soi'"):
        get_rule("dodgson")(truncated)
    assert get_rule("instant_runoff")(truncated).winners  # truncation is fine for IRV
    assert get_rule("instant_runoff").accepts(truncated) and not get_rule("instant_runoff").accepts(ties)
    assert get_rule("borda").accepts(ties) and not get_rule("borda").accepts(ApprovalProfile([[True]]))


def test_option_errors_name_the_option_and_suggest():
    with pytest.raises(ValidationError, match=r"The 'trunc' parameter of borda must be one of the rule's options "
                                              r"\('truncation'\)\. Did you mean 'truncation'\?"):
        get_rule("borda")(CYCLE, trunc="zero")
    with pytest.raises(ValidationError, match=r"The 'truncation' parameter of borda must be one of 'average', "
                                              r"'zero'\. Got 'none' instead"):
        get_rule("borda")(CYCLE, truncation="none")
    with pytest.raises(ValidationError, match=r"The 'score_vector' parameter of positional must be given"):
        get_rule("positional")(CYCLE)
    with pytest.raises(ValidationError, match=r"The 'k' parameter of k_approval must be an int in \[1, 3\]"):
        get_rule("k_approval")(CYCLE, k=4)
    with pytest.raises(ValidationError, match=r"The 'algorithm' parameter of schulze must be one of 'floyd_warshall'"):
        get_rule("schulze")(CYCLE, algorithm="brute")
    assert get_rule("schulze")(CYCLE, algorithm="floyd_warshall").winners == (0, 1, 2)


def test_result_fields_and_full_tied_set():
    result = get_rule("borda")(CYCLE)
    assert isinstance(result, RuleResult)
    assert result.rule == "borda"
    assert result.winners == (0, 1, 2) and result.tied_winners == (0, 1, 2) and result.is_tied
    assert result.ranking == ((0, 1, 2),)
    assert result.scores.tolist() == [3, 3, 3] and not result.scores.flags.writeable
    assert result.labels == ("a", "b", "c") and result.winner_labels == ("a", "b", "c")
    assert result.tie_break is None and result.lottery is None and result.committees is None


def test_tie_break_options():
    rule = get_rule("borda")
    assert rule(CYCLE, tie_break="lexicographic").winners == (0,)
    lex = rule(CYCLE, tie_break="lexicographic")
    assert lex.tied_winners == (0, 1, 2) and lex.tie_break == "lexicographic"
    assert rule(CYCLE, tie_break=[2, 0, 1]).winners == (2,)
    assert rule(CYCLE, tie_break=np.array([1, 2, 0])).tie_break == "priority"
    draws = {rule(CYCLE, tie_break="random", rng=seed).winners[0] for seed in range(40)}
    assert draws == {0, 1, 2}
    assert rule(CYCLE, tie_break="random", rng=7) == rule(CYCLE, tie_break="random", rng=7)
    # no tie: tie_break changes nothing
    p = Profile.from_rankings([[1, 0, 2]])
    assert rule(p, tie_break="lexicographic").winners == (1,)
    for bad in ("alphabetical", [0, 1], [0, 0, 1], [0, 1, 3], 5, [0.0, 1.0, 2.0]):
        with pytest.raises(ValidationError, match=r"The 'tie_break' parameter of borda must be None, 'lexicographic'"):
            rule(CYCLE, tie_break=bad)
    with pytest.raises(ValidationError, match="The 'rng' parameter of borda"):
        rule(CYCLE, tie_break="random", rng="seed")


def test_tie_break_selects_one_committee():
    # quota 2 of 3 voters; 0, 1, 2 tie with one vote each: any one of them can be eliminated first
    p = Profile.from_rankings([[0, 1, 2, 3], [1, 0, 2, 3], [2, 3, 0, 1]])
    result = get_rule("stv")(p, k=2, elimination="parallel")
    assert result.committees == ((0, 1), (0, 2), (1, 2))
    assert set(result.winners) == set().union(*result.committees)
    chosen = get_rule("stv")(p, k=2, tie_break="lexicographic")
    assert chosen.winners == result.committees[0] and chosen.committees == result.committees
    by_priority = get_rule("stv")(p, k=2, tie_break=[3, 2, 1, 0])
    assert by_priority.winners == (1, 2)   # the committee whose members rank highest in [3, 2, 1, 0]


def test_repr_and_html_show_labels():
    result = get_rule("copeland")(Profile.from_rankings([[0, 1, 2], [0, 2, 1]], labels=["x", "y", "z"]))
    assert repr(result) == "RuleResult(rule='copeland', winners=['x'], ranking='x > {y, z}', scores=[ 2, -1, -1])"
    html = result._repr_html_()
    assert "x" in html and "&#9733;" in html and "<table>" in html
    tied = get_rule("borda")(CYCLE, tie_break="lexicographic")
    assert "tied_winners=['a', 'b', 'c']" in repr(tied) and "tie_break='lexicographic'" in repr(tied)
    rule = get_rule("schulze")
    assert repr(rule) == "<Rule 'schulze': Schulze (beat path) (ordinal)>"
    assert "beat_path" in rule._repr_html_()


def test_rules_and_results_pickle():
    for rule in list_rules():
        assert pickle.loads(pickle.dumps(rule)) is rule
    result = get_rule("dowdall")(CYCLE)
    again = pickle.loads(pickle.dumps(result))
    assert again == result and again.scores.tolist() == result.scores.tolist()


def test_results_compare_by_value():
    a = get_rule("borda")(CYCLE)
    b = get_rule("borda")(CYCLE)
    assert a == b and a is not b
    assert a != get_rule("copeland")(CYCLE)
    with pytest.raises(TypeError):
        hash(a)


def test_register_rule_validates_and_plugs_in():
    with pytest.raises(ValidationError, match="The 'id' parameter of register_rule"):
        register_rule("Bad Id", name="x", input_kind="ordinal")
    with pytest.raises(ValidationError, match="The 'input_kind' parameter of register_rule must be one of"):
        register_rule("fine_id", name="x", input_kind="rankings")
    with pytest.raises(ValidationError, match="already registered"):
        @register_rule("borda", name="Another Borda", input_kind="ordinal")
        def borda_again(profile):  # pragma: no cover - never called
            return Outcome(winners=[0])

    @register_rule("_test_last_alternative", name="Test rule", input_kind=("ordinal", "approval"),
                   references=("none",))
    def last_alternative(profile, *, offset=0, rng=None):
        """Test rule: elects the last alternative; draws a number to test ``rng`` pass-through."""
        rng.random()
        return Outcome(winners=[profile.n_alternatives - 1 - offset])

    try:
        rule = get_rule("_test_last_alternative")
        assert isinstance(rule, Rule) and rule is last_alternative
        assert dict(rule.options) == {"offset": 0}
        assert rule(CYCLE, offset=1, rng=0).winners == (1,)
        assert rule(ApprovalProfile([[True, False, True]])).winners == (2,)
        assert rule in list_rules(input_kind="approval")
    finally:
        registry_module._REGISTRY.pop("_test_last_alternative", None)


def test_importing_the_registry_stays_light():
    code = ("import sys, mechanisms.social_choice as sc; sc.list_rules(); "
            "print(','.join(m for m in ('cvxpy', 'matplotlib', 'pandas', 'hypothesis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
