"""Unit tests of the scoring rules: closed forms by hand, brute force on grids, error messages."""

import math
import pickle

import numpy as np
import pytest

from mechanisms import ValidationError
from mechanisms.elicitation import (
    LINEAR,
    LOGARITHMIC,
    QUADRATIC,
    RANKED_PROBABILITY,
    SPHERICAL,
    ScoringRule,
    check_properness,
    expected_score,
    log_score,
    pseudo_spherical,
    pseudo_spherical_score,
    quadratic_score,
    ranked_probability_score,
    scale_to_budget,
    simplex_grid,
    spherical_score,
)

P = np.array([0.5, 0.3, 0.2])


# ----------------------------------------------------------------------------- closed forms by hand

def test_named_rules_match_hand_computed_values():
    # log: log p_y
    assert log_score(P, 1) == pytest.approx(math.log(0.3))
    # quadratic: 2 p_y - ||p||^2 with ||p||^2 = 0.25 + 0.09 + 0.04 = 0.38
    assert quadratic_score(P, 0) == pytest.approx(1.0 - 0.38)
    assert quadratic_score(P, 0, orientation="loss") == pytest.approx(0.5**2 + 0.3**2 + 0.2**2)  # ||p - e_0||^2
    # spherical: p_y / ||p||_2
    assert spherical_score(P, 2) == pytest.approx(0.2 / math.sqrt(0.38))
    # pseudo-spherical alpha = 3: (p_y / ||p||_3)^2
    norm3 = (0.125 + 0.027 + 0.008) ** (1 / 3)
    assert pseudo_spherical_score(P, 1, alpha=3) == pytest.approx((0.3 / norm3) ** 2)
    # RPS: cumulative (0.5, 0.8) against outcome 1 -> indicators (0, 1)
    assert ranked_probability_score(P, 1) == pytest.approx(-(0.5**2 + 0.2**2))
    assert ranked_probability_score(P, 1, orientation="loss") == pytest.approx(0.29)


def test_loss_orientation_is_the_literature_loss():
    assert log_score(P, 2, orientation="loss") == pytest.approx(-math.log(0.2))
    assert spherical_score(P, 2, orientation="loss") == pytest.approx(1 - 0.2 / math.sqrt(0.38))
    # a perfect forecast loses nothing under every rule
    for fn in (log_score, quadratic_score, spherical_score, ranked_probability_score):
        assert fn([0.0, 1.0, 0.0], 1, orientation="loss") == pytest.approx(0.0)


def test_binary_reports_are_the_two_outcome_case():
    r = np.array([0.1, 0.6, 0.95])
    y = np.array([1, 0, 1])
    vectors = np.stack([1 - r, r], axis=-1)
    for fn in (log_score, quadratic_score, spherical_score, ranked_probability_score):
        np.testing.assert_allclose(fn(r, y, binary=True), fn(vectors, y))
    # binary quadratic loss is 2 (r - y)^2; binary RPS loss is (r - y)^2
    np.testing.assert_allclose(quadratic_score(r, y, binary=True, orientation="loss"), 2 * (r - y) ** 2)
    np.testing.assert_allclose(ranked_probability_score(r, y, binary=True, orientation="loss"), (r - y) ** 2)


def test_log_score_of_an_impossible_outcome_is_minus_infinity():
    assert log_score([1.0, 0.0], 1) == -np.inf
    assert log_score([1.0, 0.0], 0) == 0.0


def test_batch_equals_loop_and_broadcasting():
    rng = np.random.default_rng(0)
    reports = rng.dirichlet(np.ones(4), size=(3, 5))
    outcomes = rng.integers(0, 4, size=(3, 5))
    for rule in (LOGARITHMIC, QUADRATIC, SPHERICAL, RANKED_PROBABILITY, pseudo_spherical(1.5)):
        batch = rule(reports, outcomes)
        loop = np.array([[rule(reports[i, j], outcomes[i, j]) for j in range(5)] for i in range(3)])
        np.testing.assert_allclose(batch, loop)
    # one outcome broadcast against many reports
    np.testing.assert_allclose(QUADRATIC(reports, 2), [[QUADRATIC(p, 2) for p in row] for row in reports])


def test_inputs_are_not_mutated():
    p = np.array([[0.2, 0.8], [0.6, 0.4]])
    y = np.array([0, 1])
    p0, y0 = p.copy(), y.copy()
    QUADRATIC(p, y)
    expected_score(LOGARITHMIC, p, p)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(y, y0)


# ----------------------------------------------------------------------------- the generator representation

def test_rule_from_generator_equals_named_rule():
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(3), size=20)
    brier = ScoringRule.from_generator(lambda q: np.sum(q * q, -1), lambda q: 2 * q, name="brier")
    for y in range(3):
        np.testing.assert_allclose(brier(p, y), 2 * p[:, y] - np.sum(p * p, -1))


def test_numerical_generator_derivative_is_accurate():
    # spherical rule from G(p) = ||p||_2 alone (no gradient): p_y / ||p||
    rule = ScoringRule.from_generator(lambda q: np.linalg.norm(q, axis=-1), name="numeric spherical")
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(4), size=10)
    for y in range(4):
        np.testing.assert_allclose(rule(p, y), p[:, y] / np.linalg.norm(p, axis=-1), atol=1e-8)


def test_expected_score_of_honest_report_is_the_generator():
    q = np.array([0.2, 0.3, 0.5])
    assert expected_score(QUADRATIC, q, q) == pytest.approx(np.sum(q * q))
    assert expected_score(LOGARITHMIC, q, q) == pytest.approx(np.sum(q * np.log(q)))
    assert expected_score(SPHERICAL, q, q) == pytest.approx(np.linalg.norm(q))
    # a belief with a zero does not turn -inf scores into NaN
    assert expected_score(LOGARITHMIC, [0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == pytest.approx(math.log(0.5))


def test_affine_transform_scales_scores():
    rule = QUADRATIC.affine(3.0, 1.0)
    assert rule(P, 0) == pytest.approx(3 * QUADRATIC(P, 0) + 1)
    assert rule.score_bounds(3) == (-2.0, 4.0)


def test_pickle_round_trip():
    for rule in (LOGARITHMIC, QUADRATIC, SPHERICAL, RANKED_PROBABILITY, LINEAR, pseudo_spherical(3),
                 QUADRATIC.affine(2.0, 1.0)):
        back = pickle.loads(pickle.dumps(rule))
        assert back.name == rule.name
        np.testing.assert_allclose(back(P, 1), rule(P, 1))
    assert pickle.loads(pickle.dumps(QUADRATIC)) is QUADRATIC


def test_repr():
    assert repr(QUADRATIC) == "ScoringRule('quadratic')"
    assert "scale=2" in repr(QUADRATIC.affine(2.0))


# ----------------------------------------------------------------------------- check_properness

def test_linear_rule_is_caught_with_a_witness():
    res = check_properness(LINEAR, n_outcomes=3, rng=0)
    assert not res.holds and not res.proper
    w = res.witness
    # the gain is recomputed by hand: E_q[p_Y] - E_q[q_Y] = <q, p> - ||q||^2
    assert w.gain == pytest.approx(w.belief @ w.misreport - w.belief @ w.belief)
    assert w.gain > 0.1
    # the best misreport for the linear score puts all mass on the likeliest outcome
    assert w.misreport[np.argmax(w.belief)] == 1.0


def test_weakly_proper_rule_is_not_strict():
    # Brier score of the event {y = 0} only: proper, but blind to how the rest is split
    def scores(p):
        e0 = np.zeros(p.shape[-1])
        e0[0] = 1.0
        hit = 2 * p[..., :1] - p[..., :1] ** 2 - (1 - p[..., :1]) ** 2
        miss = 2 * (1 - p[..., :1]) - p[..., :1] ** 2 - (1 - p[..., :1]) ** 2
        return np.where(e0 == 1.0, hit, miss)

    rule = ScoringRule.from_scores(scores, name="event brier")
    res = check_properness(rule, n_outcomes=3, rng=0)
    assert res.proper and not res.strictly_proper and not res.holds
    assert res.witness.belief[0] == pytest.approx(res.witness.misreport[0])
    assert abs(res.witness.gain) < 1e-12
    assert check_properness(rule, n_outcomes=3, strict=False, rng=0).holds


@pytest.mark.parametrize("rule", [LOGARITHMIC, QUADRATIC, SPHERICAL, RANKED_PROBABILITY, pseudo_spherical(3)])
def test_named_rules_are_strictly_proper(rule):
    res = check_properness(rule, n_outcomes=3, n_random=40, rng=1)
    assert res.holds and res.witness is None
    assert res.bregman_residual < 1e-9


def test_simplex_grid_counts_compositions():
    g = simplex_grid(3, 4)
    assert len(g) == math.comb(6, 2)
    np.testing.assert_allclose(g.sum(1), 1.0)
    assert len(np.unique(g, axis=0)) == len(g)


# ----------------------------------------------------------------------------- scale_to_budget

@pytest.mark.parametrize("rule", [QUADRATIC, SPHERICAL, RANKED_PROBABILITY, pseudo_spherical(1.5), LINEAR])
@pytest.mark.parametrize("n", [2, 4])
def test_scaled_payments_fill_the_budget_exactly(rule, n):
    pay = scale_to_budget(rule, 7.5, n_outcomes=n)
    grid = simplex_grid(n, 8)  # contains every vertex, where the extremes are attained
    values = np.stack([pay(grid, y) for y in range(n)])
    assert values.min() == pytest.approx(0.0, abs=1e-12)
    assert values.max() == pytest.approx(7.5)
    assert pay.score_bounds(n) == pytest.approx((0.0, 7.5))


def test_scaling_keeps_the_rule_proper():
    pay = scale_to_budget(SPHERICAL, 3.0, n_outcomes=3)
    assert check_properness(pay, n_outcomes=3, n_random=20, rng=0).holds


def test_log_score_needs_truncation_under_limited_liability():
    with pytest.raises(ValidationError, match="unbounded below.*truncate reports"):
        scale_to_budget(LOGARITHMIC, 1.0, n_outcomes=3)


def test_log_score_without_limited_liability():
    pay = scale_to_budget(LOGARITHMIC, 2.0, n_outcomes=4, limited_liability=False)
    assert pay([1, 0, 0, 0], 0) == pytest.approx(2.0)  # the cap
    u = np.full(4, 0.25)
    assert expected_score(pay, u, u) == pytest.approx(0.0, abs=1e-12)  # no information, no pay
    assert pay([0.0, 1.0, 0.0, 0.0], 0) == -np.inf  # and no floor


def test_scale_to_budget_errors():
    with pytest.raises(ValidationError, match="'budget' parameter of scale_to_budget"):
        scale_to_budget(QUADRATIC, -1.0, n_outcomes=2)
    no_bounds = ScoringRule.from_scores(lambda p: p, name="nobounds")
    with pytest.raises(ValidationError, match="known score bounds.*bounds="):
        scale_to_budget(no_bounds, 1.0, n_outcomes=2)


# ----------------------------------------------------------------------------- validation messages

def test_validation_messages():
    with pytest.raises(ValidationError, match="'report' parameter of quadratic_score must be probabilities summing"):
        quadratic_score([0.5, 0.6], 0)
    with pytest.raises(ValidationError, match=r"'outcome' parameter of log_score must be integers in \[0, 2\]"):
        log_score(P, 3)
    with pytest.raises(ValidationError, match="binary=True"):
        log_score(0.3, 1)
    with pytest.raises(ValidationError, match=r"probabilities in \[0, 1\]"):
        log_score(1.3, 1, binary=True)
    with pytest.raises(ValidationError, match="'orientation' parameter .* one of 'score', 'loss'"):
        quadratic_score(P, 0, orientation="cost")
    with pytest.raises(ValidationError, match=r"'alpha' parameter of pseudo_spherical must be .* \(1.0, inf\]"):
        pseudo_spherical(1.0)
    with pytest.raises(ValidationError, match="'outcome' parameter .* broadcastable"):
        QUADRATIC(np.full((3, 2), 0.5), [0, 1])
    with pytest.raises(ValidationError, match="'scores' parameter of ScoringRule"):
        ScoringRule("nothing")
    with pytest.raises(ValidationError, match="returning an array of shape"):
        ScoringRule.from_scores(lambda p: p[..., 0], name="bad")(P, 0)
    with pytest.raises(ValidationError, match="'rule' parameter of check_properness must be a ScoringRule"):
        check_properness(lambda p: p, n_outcomes=2)
    with pytest.raises(ValidationError, match="'n_outcomes' parameter of check_properness"):
        check_properness(QUADRATIC, n_outcomes=1)
    with pytest.raises(ValidationError, match="NaN"):
        check_properness(ScoringRule.from_scores(lambda p: p * np.nan, name="nan"), n_outcomes=2)
