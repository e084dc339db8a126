"""Minimal counterexamples found by the axiom searches, kept as data and re-checked from scratch.

``axiom_witnesses.json`` holds, for each (rule, axiom), the witness (profiles,
outcomes, voters, ballots) that an exhaustive search found, with the literature
result it illustrates.  Each test rebuilds the witness, checks the axiom again on
its profile and recomputes every stored outcome, so a change in a rule's
outcomes or in an axiom's verdict shows up here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mechanisms.axioms import Witness, get_axiom

DATA = json.loads(Path(__file__).with_name("axiom_witnesses.json").read_text())


@pytest.mark.parametrize("entry", DATA, ids=[f"{e['rule']}-{e['axiom']}" for e in DATA])
def test_stored_witness_still_violates_the_axiom(entry):
    witness = Witness.from_dict(entry["witness"])
    axiom = get_axiom(entry["axiom"])
    params = dict(witness.params)
    tie_break = params.pop("tie_break", None)
    rule_options = params.pop("rule_options", None)
    result = axiom.check(entry["rule"], witness.profile, tie_break=tie_break, rule_options=rule_options, **params)
    assert result.holds is False, entry["why"]
    # every stored outcome (profile, modified profile, parts) is what the rule still returns
    assert axiom.verify(entry["rule"], witness)
    assert witness.profile.n_voters <= entry["search"]["n_voters"]


def test_the_stored_witnesses_cover_the_headline_results():
    pairs = {(e["rule"], e["axiom"]) for e in DATA}
    assert {("borda", "condorcet_winner"), ("instant_runoff", "monotonicity"), ("instant_runoff", "participation"),
            ("plurality", "independence_of_clones"), ("av", "jr")} <= pairs
