"""The report's contracts section, checked against pen-and-paper values on the bundled example.

Oracles (two actions, the cheap one costs 0, so participation is implied by IC):
min-pay = pay ``delta_c / delta_p`` on the outcome (signal) with the largest
likelihood ratio; min-budget = ``delta_c / TV``; best linear share
``alpha = delta_c / delta_R``; Carroll's robust guarantee
``max_a (sqrt(R_a) - sqrt(c_a))**2``.  The evaluators' channels are typed
here by hand.
"""

import json
import math

import numpy as np
import pytest

from mechanisms import report
from mechanisms.data.contracts import coding_agent_example
from mechanisms.report_contracts import TITLE, contracts_section

P0 = np.array([0.2, 0.5, 0.2, 0.1])  # game the tests, cost 0
P1 = np.array([0.1, 0.0, 0.3, 0.6])  # solve the task, cost 1
REWARDS = np.array([0.0, 0.0, 4.0, 10.0])
DC = 1.0
R0, R1 = float(P0 @ REWARDS), float(P1 @ REWARDS)  # 1.8, 7.2

UNIT_TESTS = np.array([[1, 0], [0, 1], [0, 1], [0, 1]], dtype=float)  # wrong | gamed, partial, correct
HIDDEN_TESTS = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)  # wrong, gamed | partial, correct
JUDGE = np.full((4, 4), 0.2 / 3) + np.eye(4) * (0.8 - 0.2 / 3)


def min_pay_two_actions(q0, q1, dc=DC):
    """Cheapest expected payment for action 1 over action 0 (cost 0): best likelihood-ratio signal."""
    up = q1 > q0
    per_signal = np.full(q1.shape, np.inf)
    per_signal[up] = dc * q1[up] / (q1[up] - q0[up])
    s = int(np.argmin(per_signal))
    payments = np.zeros(q1.shape)
    payments[s] = dc / (q1[s] - q0[s])
    return float(per_signal[s]), payments


@pytest.fixture(scope="module")
def section():
    return contracts_section()


def test_registered_in_report_sections():
    assert contracts_section in report.SECTIONS


def test_example_instance_matches_documented_numbers():
    ex = coding_agent_example()
    m = ex.model
    np.testing.assert_array_equal(m.outcome_probs, [P0, P1])
    np.testing.assert_array_equal(m.costs, [0.0, DC])
    np.testing.assert_array_equal(m.rewards, REWARDS)
    np.testing.assert_allclose(m.expected_rewards, [1.8, 7.2])
    np.testing.assert_array_equal(ex.evaluators["unit tests"], UNIT_TESTS)
    np.testing.assert_array_equal(ex.evaluators["hidden tests"], HIDDEN_TESTS)
    np.testing.assert_allclose(ex.evaluators["LLM judge"], JUDGE, atol=1e-15)
    assert set(ex.evaluator_descriptions) == set(ex.evaluators)


def test_section_data_is_strict_json(section):
    assert section.title == TITLE
    blob = json.dumps(section.data, allow_nan=False)
    assert json.loads(blob) == section.data
    inst = section.data["instance"]
    assert inst["actions"] == ["game the tests", "solve the task"]
    assert inst["first_best"] == {"action": "solve the task", "welfare": pytest.approx(R1 - DC)}


def test_optimal_contract_is_the_likelihood_ratio_contract(section):
    d = section.data["designs"]["optimal"]
    pay, payments = min_pay_two_actions(P0, P1)
    assert (pay, payments.tolist()) == (pytest.approx(1.2), [0.0, 0.0, 0.0, 2.0])
    assert d["action"] == "solve the task"  # 7.2 - 1.2 = 6.0 beats 1.8 from gaming at zero pay
    np.testing.assert_allclose(d["payments"], payments, atol=1e-7)
    assert d["expected_payment"] == pytest.approx(pay, abs=1e-7)
    assert d["principal_utility"] == pytest.approx(R1 - pay, abs=1e-7)
    assert d["agent_utility"] == pytest.approx(pay - DC, abs=1e-7)
    # the one IC constraint binds; its multiplier is d E[pay] / d delta_c = q1 / (q1 - q0) at the paid outcome
    assert section.data["binding_deviations"] == [
        {"action": "game the tests", "multiplier": pytest.approx(0.6 / 0.5, abs=1e-7)}]


def test_min_budget_is_cost_gap_over_total_variation(section):
    d = section.data["designs"]["min_budget"]
    tv = 0.5 * float(np.abs(P1 - P0).sum())
    assert tv == pytest.approx(0.6)
    assert d["objective"] == pytest.approx(DC / tv, abs=1e-7)
    # the budget is paid wherever P1 > P0 (partial and correct), nothing elsewhere
    np.testing.assert_allclose(d["payments"], np.where(P1 > P0, DC / tv, 0.0), atol=1e-6)
    assert d["expected_payment"] == pytest.approx(DC / tv * 0.9, abs=1e-6)


def test_best_linear_contract_and_ratio(section):
    d = section.data["designs"]["linear"]
    alpha = DC / (R1 - R0)
    u = max((1 - alpha) * R1, R0)
    assert d["alpha"] == pytest.approx(alpha, abs=1e-8)
    assert d["principal_utility"] == pytest.approx(u, abs=1e-7) and u == pytest.approx(5.8666666667)
    assert d["ratio_to_optimal"] == pytest.approx(u / (R1 - 1.2), abs=1e-7)
    np.testing.assert_allclose(d["payments"], alpha * REWARDS, atol=1e-7)


def test_robust_linear_contract_is_carrolls_closed_form(section):
    d = section.data["designs"]["robust_linear"]
    values = [(math.sqrt(R0) - 0.0) ** 2, (math.sqrt(R1) - math.sqrt(DC)) ** 2]
    assert d["guarantee"] == pytest.approx(max(values), abs=1e-7)
    assert d["alpha"] == pytest.approx(math.sqrt(DC / R1), abs=1e-8)
    assert d["action"] == "solve the task"
    # the guarantee is below the known-technology utility of the same contract
    assert d["guarantee"] <= d["principal_utility"] + 1e-9
    assert d["principal_utility"] == pytest.approx((1 - math.sqrt(DC / R1)) * R1, abs=1e-7)


@pytest.mark.parametrize("index, name, channel", [(0, "unit tests", UNIT_TESTS), (1, "hidden tests", HIDDEN_TESTS),
                                                  (2, "LLM judge", JUDGE)])
def test_cost_of_incompleteness_per_evaluator(section, index, name, channel):
    e = section.data["incompleteness"][index]
    assert e["evaluator"] == name
    q0, q1 = P0 @ channel, P1 @ channel
    pay, payments = min_pay_two_actions(q0, q1)
    solve_utility, game_utility = R1 - pay, R0
    best = max(solve_utility, game_utility)
    assert e["pay_to_implement_first_best"] == pytest.approx(pay, abs=1e-7)
    assert e["principal_utility"] == pytest.approx(best, abs=1e-7)
    assert e["cost_of_incompleteness"] == pytest.approx(6.0 - best, abs=1e-7)
    assert e["action"] == ("solve the task" if solve_utility > game_utility else "game the tests")
    assert e["action_changed"] == (e["action"] != "solve the task")
    expected_payments = payments if solve_utility > game_utility else np.zeros(channel.shape[1])
    np.testing.assert_allclose(e["payments"], expected_payments, atol=1e-7)
    assert e["n_signals"] == channel.shape[1]


def test_documented_incompleteness_numbers(section):
    by_name = {e["evaluator"]: e for e in section.data["incompleteness"]}
    assert by_name["unit tests"]["pay_to_implement_first_best"] == pytest.approx(9.0)  # 0.9 / (0.9 - 0.8)
    assert by_name["unit tests"]["cost_of_incompleteness"] == pytest.approx(4.2)
    assert by_name["unit tests"]["action"] == "game the tests"
    assert by_name["hidden tests"]["cost_of_incompleteness"] == pytest.approx(0.3)  # 6.0 - (7.2 - 1.5)


def test_every_certificate_is_clean(section):
    entries = list(section.data["designs"].values()) + section.data["incompleteness"]
    for entry in entries:
        assert entry["status"] == "optimal"
        assert entry["certificate"]["ok"]
        assert entry["certificate"]["max_residual"] <= 1e-6


def test_html_lists_every_design_and_evaluator(section):
    for text in ("optimal (min-pay)", "min-budget", "best linear", "robust linear (Carroll)",
                 "unit tests", "hidden tests", "LLM judge", "cost of incompleteness"):
        assert text in section.html
    assert "<script" not in section.html
