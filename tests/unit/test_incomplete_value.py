"""Cost of incompleteness and value of information against hand computations.

Oracles:
* identity channel: cost 0;
* uninformative channel: only a fixed wage is possible, so only the cheapest actions can be
  implemented, at pay = their cost: utility max_{a: c_a = min c} R_a - min c (by hand);
* two actions: the min-pay limited-liability contract pays only on the signal with the largest
  likelihood ratio, Delta c / (p_1(s) - p_0(s)) there (closed form, evaluated here per channel);
* Blackwell: a garbled channel never does better (hypothesis), nor does any channel beat the
  complete contract.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.contracts.incomplete import (
    coarsening,
    cost_of_incompleteness,
    garble,
    noisy_channel,
    non_contractible,
    uninformative_channel,
    value_of_information,
    value_of_signal,
)
from mechanisms.contracts.principal_agent import PrincipalAgent
from solvers.errors import ValidationError

TOL = 1e-6


def two_action_utility(F, costs, rewards, obs):
    """Principal's best utility with two actions (c_0 = 0) on channel ``obs``, by the likelihood-ratio rule."""
    F = np.asarray(F, float)
    R = F @ rewards
    S = F @ obs
    gain = S[1] - S[0]
    best = R[0]  # shirking needs no pay
    if gain.max() > 1e-12:
        s = int(np.argmax(np.where(S[0] > 0, S[1] / np.where(S[0] > 0, S[0], 1), np.inf)))
        # among signals with the best ratio the cheapest is the one with the largest gain; with
        # distinct ratios the argmax is unique
        pay = costs[1] / gain[s] * S[1, s]
        best = max(best, R[1] - pay)
    return best


def random_model(draw_seed, n_actions, n_outcomes):
    rng = np.random.default_rng(draw_seed)
    F = rng.dirichlet(np.ones(n_outcomes), size=n_actions)
    costs = np.sort(rng.uniform(0, 1, n_actions))
    costs[0] = 0.0
    rewards = rng.uniform(0, 5, n_outcomes)
    return PrincipalAgent(F, costs, rewards), rng


BINARY = PrincipalAgent([[0.9, 0.1], [0.4, 0.6]], [0.0, 1.0], [0.0, 10.0])


def test_identity_channel_costs_nothing():
    pa, _ = random_model(1, 4, 5)
    res = cost_of_incompleteness(pa, np.eye(5))
    assert res.cost == pytest.approx(0.0, abs=TOL)
    assert cost_of_incompleteness(pa).cost == 0.0  # no channel given and none on the model
    assert res.complete.principal_utility <= pa.first_best().welfare + TOL


def test_uninformative_channel_by_hand():
    F = [[0.6, 0.3, 0.1], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.1, 0.2, 0.7]]
    costs = np.array([0.5, 0.5, 1.0, 2.0])
    rewards = np.array([0.0, 2.0, 6.0])
    pa = PrincipalAgent(F, costs, rewards)
    res = cost_of_incompleteness(pa, uninformative_channel(3))
    R = np.asarray(F) @ rewards
    by_hand = max(R[0], R[1]) - 0.5  # only the two cheapest actions are implementable, at pay 0.5
    assert res.incomplete.principal_utility == pytest.approx(by_hand, abs=TOL)
    assert res.incomplete.action == 1
    assert res.cost == pytest.approx(res.complete.principal_utility - by_hand, abs=TOL)
    assert res.incomplete.payments.tolist() == pytest.approx([0.5])


def test_binary_noisy_channel_closed_form():
    # success probability 0.1 -> 0.6 at cost 1; a report flipped with probability eps pays
    # Delta c / (Delta p (1 - 2 eps)) on a reported success
    costs, rewards = np.array([0.0, 1.0]), np.array([0.0, 10.0])
    F = np.array([[0.9, 0.1], [0.4, 0.6]])
    previous = -1.0
    for eps in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
        res = cost_of_incompleteness(BINARY, noisy_channel(2, eps))
        p1 = 0.6 * (1 - eps) + 0.4 * eps
        work = 6.0 - p1 * 1.0 / (0.5 * (1 - 2 * eps)) if eps < 0.5 else -np.inf
        expected = max(1.0, work)
        assert res.incomplete.principal_utility == pytest.approx(expected, abs=TOL)
        assert res.incomplete.principal_utility == pytest.approx(two_action_utility(F, costs, rewards,
                                                                                     noisy_channel(2, eps)), abs=TOL)
        assert res.cost >= previous - TOL  # noisier is never cheaper
        previous = res.cost
    assert res.cost == pytest.approx(4.8 - 1.0, abs=TOL)  # eps = 1/2: no information at all


def test_non_contractible_outcomes_two_actions():
    # outcomes: fail, partial, success; the principal values success most, but "partial" and
    # "success" cannot be told apart by the contract
    F = np.array([[0.6, 0.3, 0.1], [0.2, 0.3, 0.5]])
    costs, rewards = np.array([0.0, 0.6]), np.array([0.0, 1.0, 3.0])
    pa = PrincipalAgent(F, costs, rewards)
    for hidden in ([1, 2], [0, 1], [0, 2]):
        obs = non_contractible(3, hidden)
        res = cost_of_incompleteness(pa, obs)
        assert res.incomplete.principal_utility == pytest.approx(two_action_utility(F, costs, rewards, obs), abs=TOL)
        assert res.complete.principal_utility == pytest.approx(two_action_utility(F, costs, rewards, np.eye(3)),
                                                               abs=TOL)
        assert res.cost >= -TOL


@settings(max_examples=30)
@given(st.integers(0, 10_000), st.integers(2, 4), st.integers(2, 4), st.integers(1, 3))
def test_garbling_never_helps(seed, n_actions, n_outcomes, n_signals):
    pa, rng = random_model(seed, n_actions, n_outcomes)
    obs = rng.dirichlet(np.full(n_signals, 0.5), size=n_outcomes)
    G = rng.dirichlet(np.full(2, 0.5), size=n_signals)
    fine = cost_of_incompleteness(pa, obs)
    coarse = cost_of_incompleteness(pa, garble(obs, G))
    assert fine.cost >= -TOL
    assert coarse.cost >= fine.cost - TOL
    assert coarse.incomplete.principal_utility <= fine.incomplete.principal_utility + TOL
    # nothing beats the fixed wage by less than zero: the uninformative channel is a garbling of every channel
    none = cost_of_incompleteness(pa, uninformative_channel(n_outcomes))
    assert none.cost >= coarse.cost - TOL
    cmin = pa.costs.min()
    by_hand = max(pa.expected_rewards[np.isclose(pa.costs, cmin)]) - cmin
    assert none.incomplete.principal_utility == pytest.approx(by_hand, abs=TOL)


def test_value_of_information_and_of_a_signal():
    # default: the outcome against no information (a fixed wage: the agent shirks, utility 1.0)
    v = value_of_information(BINARY)
    assert v.value == pytest.approx(4.8 - 1.0, abs=TOL)
    v = value_of_information(BINARY, noisy_channel(2, 0.1), baseline=noisy_channel(2, 0.3))
    u = {eps: 6.0 - (0.6 * (1 - eps) + 0.4 * eps) / (0.5 * (1 - 2 * eps)) for eps in (0.1, 0.3)}
    assert v.value == pytest.approx(u[0.1] - u[0.3], abs=TOL)
    # once the outcome is observed, another signal of it is worth nothing (informativeness principle)
    assert value_of_signal(BINARY, noisy_channel(2, 0.2)).value == pytest.approx(0.0, abs=TOL)
    # a second independent noisy report on top of a first one is worth something
    first = noisy_channel(2, 0.3)
    val = value_of_signal(BINARY, noisy_channel(2, 0.3), observation=first)
    assert val.baseline.principal_utility == pytest.approx(u[0.3], abs=TOL)
    assert val.value > 0.1
    # by hand: pay only when both reports say success; P(both | a) = p_a 0.49 + (1 - p_a) 0.09
    both = np.array([0.1 * 0.49 + 0.9 * 0.09, 0.6 * 0.49 + 0.4 * 0.09])
    assert val.informed.principal_utility == pytest.approx(6.0 - both[1] / (both[1] - both[0]), abs=TOL)


def test_coarsening_keeps_what_matters():
    # a coarsening that keeps the likelihood-ratio-maximizing outcome separate costs nothing with two actions
    F = np.array([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    pa = PrincipalAgent(F, [0.0, 0.3], [0.0, 1.0, 3.0])
    assert cost_of_incompleteness(pa, coarsening([[0, 1], [2]])).cost == pytest.approx(0.0, abs=TOL)
    # merging outcomes 1 and 2: pay 0.3 / (0.8 - 0.5) = 1 on the merged signal, expected 0.8 instead of 0.5
    res = cost_of_incompleteness(pa, coarsening([[0], [1, 2]]))
    assert res.complete.principal_utility == pytest.approx(1.8 - 0.5, abs=TOL)
    assert res.cost == pytest.approx(0.8 - 0.5, abs=TOL)


def test_model_with_its_own_channel():
    pa = PrincipalAgent(BINARY.outcome_probs, BINARY.costs, BINARY.rewards, observation=noisy_channel(2, 0.1))
    res = cost_of_incompleteness(pa)
    assert res.complete.principal_utility == pytest.approx(4.8, abs=TOL)
    np.testing.assert_allclose(res.observation, noisy_channel(2, 0.1))
    assert "IncompletenessResult(cost=" in repr(res) and "<table>" in res._repr_html_()


def test_validation_messages():
    with pytest.raises(ValidationError, match="'model' parameter of cost_of_incompleteness must be a PrincipalAgent"):
        cost_of_incompleteness(np.eye(2), np.eye(2))
    with pytest.raises(ValidationError, match="'observation' parameter of cost_of_incompleteness must be a channel"):
        cost_of_incompleteness(BINARY, np.eye(3))
    with pytest.raises(ValidationError, match="'observation' parameter of cost_of_incompleteness must be probabil"):
        cost_of_incompleteness(BINARY, [[0.5, 0.6], [0.5, 0.5]])
    with pytest.raises(ValidationError, match="'baseline' parameter of value_of_information"):
        value_of_information(BINARY, baseline=np.ones((3, 1)))
    with pytest.raises(ValidationError, match="'signal' parameter of value_of_signal"):
        value_of_signal(BINARY, np.ones((3, 1)))
