"""Every registered rule against every axiom that applies to it (the registry-driven axiom suite).

The expectations live in ``axiom_table.py`` beside this file (data only): a
declared violation must be found within its search sizes (an unexpected pass
fails) and no other pair may have a counterexample (an unexpected violation
fails, printing the witness).  Cases come from the public helper
:func:`mechanisms.testing.axiom_cases`, so rules registered by any module are
picked up automatically.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from mechanisms.testing import axiom_cases, check_axiom_case


def _load_table():
    spec = importlib.util.spec_from_file_location("axiom_table", Path(__file__).with_name("axiom_table.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TABLE = _load_table()
#: rule outcomes shared by every case (each rule runs once per profile, whatever the axiom)
CACHE: dict = {}

CASES = axiom_cases(expected_violations=TABLE.EXPECTED, n_voters=TABLE.N_VOTERS,
                    n_alternatives=TABLE.N_ALTERNATIVES, rule_settings=TABLE.RULE_SETTINGS,
                    axiom_settings=TABLE.AXIOM_SETTINGS, case_settings=TABLE.CASE_SETTINGS, cache=CACHE)


@pytest.mark.parametrize("case", CASES)
def test_rule_satisfies_exactly_the_declared_axioms(case):
    result = check_axiom_case(case, cache=CACHE)
    if result.found:
        # the witness is data: its outcomes are the rule's outcomes on its profiles
        witness = result.witness
        assert witness.rule == case.rule.id and witness.axiom == case.axiom
        assert witness.profile.n_voters <= case.settings["n_voters"]
    else:
        assert result.complete and result.n_profiles > 0


def test_the_table_covers_every_registered_rule_that_axioms_apply_to():
    from mechanisms.social_choice import list_rules

    covered = {c.values[0].rule.id for c in CASES}
    ordinal_or_approval = {r.id for r in list_rules()
                           if {"ordinal", "pairwise", "approval"} & set(r.input_kinds)}
    # rules that need feature vectors (linear RLHF rules) cannot be run on plain rankings
    assert covered <= ordinal_or_approval
    assert len(covered) >= 25
