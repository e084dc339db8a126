"""The equilibrium verifier against brute-force enumeration of signal (and task) profiles."""

import itertools

import numpy as np
import pytest

from mechanisms import ValidationError
from mechanisms.elicitation import (
    QUADRATIC,
    BayesianTruthSerum,
    CorrelatedAgreement,
    DasguptaGhosh,
    DeterminantMutualInformation,
    OutputAgreement,
    PeerPrediction,
    RobustBayesianTruthSerum,
    SignalModel,
    bayesian_truth_serum,
    correlated_agreement,
    dasgupta_ghosh,
    determinant_mutual_information,
    output_agreement,
    peer_prediction,
    robust_bayesian_truth_serum,
    verify_equilibrium,
)

MODEL3 = SignalModel.from_world_states([0.4, 0.6], [[0.7, 0.2, 0.1], [0.2, 0.3, 0.5]], n_agents=2)
MODEL2 = SignalModel.from_world_states([0.3, 0.7], [[0.8, 0.2], [0.3, 0.7]], n_agents=3)


def _peer_posterior(model, t):
    """P(peer's signal | own signal t), averaged over peers, by summing the joint."""
    n, k = model.n_agents, model.n_signals
    out = np.zeros(k)
    for j in range(1, n):
        pij = np.zeros((k, k))
        for s in itertools.product(range(k), repeat=n):
            pij[s[0], s[j]] += model.joint[s]
        out += pij[t] / pij[t].sum()
    return out / (n - 1)


def _single_task_brute(model, payment, agent, plan, truthful=None):
    """E[payment of agent] when it reports plan[s] after signal s and the others are truthful."""
    truthful = list(range(model.n_signals)) if truthful is None else truthful
    total = 0.0
    for s in itertools.product(range(model.n_signals), repeat=model.n_agents):
        reports = [truthful[v] for v in s]
        reports[agent] = plan[s[agent]]
        total += model.joint[s] * payment(reports)[agent]
    return total


@pytest.mark.parametrize("mechanism,payment,model", [
    (OutputAgreement(), output_agreement, MODEL3),
    (PeerPrediction(), lambda r: peer_prediction(r, MODEL3), MODEL3),
    (PeerPrediction(rule=QUADRATIC), lambda r: peer_prediction(r, MODEL2, rule=QUADRATIC), MODEL2),
], ids=["output-agreement", "mrz-log", "mrz-quadratic"])
def test_single_task_payments_by_enumeration(mechanism, payment, model):
    rep = verify_equilibrium(mechanism, model)
    k = model.n_signals
    assert rep.n_strategies == k**k
    for i in range(model.n_agents):
        for plan, value in zip(rep.strategies, rep.deviation_payments[i]):
            assert value == pytest.approx(_single_task_brute(model, payment, i, plan), abs=1e-12)
        assert rep.truthful_payments[i] == pytest.approx(_single_task_brute(model, payment, i, range(k)))


def test_menu_mechanisms_by_enumeration():
    k = 2
    pred = {t: _peer_posterior(MODEL2, t) for t in range(k)}

    def bts(reports):  # menu item r * k + t: endorse r, predict as after signal t
        return bayesian_truth_serum([c // k for c in reports], [pred[c % k] for c in reports])

    def rbts(reports):
        return robust_bayesian_truth_serum([c // k for c in reports], [pred[c % k][1] for c in reports])

    for mechanism, payment in [(BayesianTruthSerum(), bts), (RobustBayesianTruthSerum(), rbts)]:
        rep = verify_equilibrium(mechanism, MODEL2)
        assert rep.n_strategies == (k * k) ** k
        for plan, value in zip(rep.strategies, rep.deviation_payments[1]):
            expected = _single_task_brute(MODEL2, payment, 1, plan, truthful=[0, 3])  # (s, as if s)
            assert value == pytest.approx(expected, abs=1e-12)


def _multi_task_brute(model, payment, plans, n_tasks):
    """E[payments] over i.i.d. tasks, each agent i applying plans[i] on every task (exact enumeration)."""
    n = model.n_agents
    profiles = list(itertools.product(range(model.n_signals), repeat=n))
    combos = list(itertools.product(profiles, repeat=n_tasks))
    probs = np.array([np.prod([model.joint[s] for s in combo]) for combo in combos])
    reports = np.array([[[plans[i][combo[t][i]] for t in range(n_tasks)] for i in range(n)] for combo in combos])
    return probs @ payment(reports)  # the payment functions are batched over leading axes


@pytest.mark.parametrize("mechanism,payment,n_tasks", [
    (DasguptaGhosh(), dasgupta_ghosh, 3),
    (CorrelatedAgreement(), lambda r: correlated_agreement(r, model=MODEL2), 3),
    (DeterminantMutualInformation(n_tasks=4), lambda r: determinant_mutual_information(r, n_signals=2), 4),
], ids=["dasgupta-ghosh", "correlated-agreement", "dmi"])
def test_multi_task_closed_forms_by_enumeration(mechanism, payment, n_tasks):
    model = MODEL2 if n_tasks == 3 else SignalModel.from_pair(MODEL2.pair_joint(0, 1))
    rep = verify_equilibrium(mechanism, model)
    truthful = [range(2)] * model.n_agents
    np.testing.assert_allclose(rep.truthful_payments, _multi_task_brute(model, payment, truthful, n_tasks), atol=1e-12)
    for plan, value in zip(rep.strategies, rep.deviation_payments[0]):
        plans = [plan] + [range(2)] * (model.n_agents - 1)
        assert value == pytest.approx(_multi_task_brute(model, payment, plans, n_tasks)[0], abs=1e-12)


def test_output_agreement_minority_signal_is_misreported():
    # a good item (state 0) is rare: even after a "good" signal a peer most likely says "bad"
    model = SignalModel.from_world_states([0.1, 0.9], [[0.2, 0.8], [0.9, 0.1]], n_agents=2)
    rep = verify_equilibrium(OutputAgreement(), model)
    assert not rep.is_bne
    assert rep.best_deviation.strategy == (0, 0)
    # the gain by hand: after signal 1 report 0 instead, P(1) * (P(peer 0 | 1) - P(peer 1 | 1))
    p11 = 0.1 * 0.8 * 0.8 + 0.9 * 0.1 * 0.1
    p1 = 0.1 * 0.8 + 0.9 * 0.1
    assert rep.best_deviation.gain == pytest.approx((p1 - p11) - p11)
    assert rep.margin == pytest.approx(-rep.best_deviation.gain)
    assert not rep.beats_uninformative and rep.uninformative_payments == pytest.approx([1.0, 1.0])


def test_dmi_pays_nothing_when_the_signal_joint_is_singular():
    # 2 world states, 3 signals: the pair joint has rank 2, so every det is 0
    rep = verify_equilibrium(DeterminantMutualInformation(), MODEL3)
    assert rep.truthful_payments == pytest.approx([0.0, 0.0], abs=1e-30)
    assert not rep.beats_uninformative


def test_dmi_is_truthful_but_ties_with_relabelings():
    model = SignalModel.from_world_states([0.3, 0.3, 0.4], [[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.2, 0.7]],
                                          n_agents=2)
    rep = verify_equilibrium(DeterminantMutualInformation(), model)
    assert rep.is_bne and not rep.is_strict_bne
    assert sorted(rep.best_deviation.strategy) == [0, 1, 2]  # a permutation, paid the same
    assert rep.best_deviation.gain == pytest.approx(0.0, abs=1e-15)
    assert rep.beats_uninformative and rep.informed_truthful
    perms = verify_equilibrium(DeterminantMutualInformation(), model, strategies="permutations")
    np.testing.assert_allclose(perms.deviation_payments, perms.truthful_payments[:, None] * np.ones((1, 6)))


def test_strategy_classes():
    unin = verify_equilibrium(OutputAgreement(), MODEL3, strategies="uninformative")
    np.testing.assert_array_equal(unin.strategies, [[0, 0, 0], [1, 1, 1], [2, 2, 2]])
    custom = verify_equilibrium(OutputAgreement(), MODEL3, strategies=[[1, 0, 2], [0, 1, 2]])
    assert custom.strategy_class == "custom" and custom.n_strategies == 2
    assert custom.best_deviation.strategy == (1, 0, 2)  # the identity is not a deviation
    perm = verify_equilibrium(BayesianTruthSerum(), MODEL2, strategies="permutations")
    np.testing.assert_array_equal(perm.strategies, [[0, 3], [3, 0]])  # consistent lies: (r, as if r)


def test_zero_probability_signal_is_not_a_deviation():
    joint = np.zeros((3, 3))
    joint[:2, :2] = [[0.4, 0.1], [0.1, 0.4]]
    rep = verify_equilibrium(CorrelatedAgreement(), joint, strategies=[[0, 1, 0], [1, 0, 2]])
    assert rep.best_deviation.strategy == (1, 0, 2)


def test_report_repr_and_html():
    rep = verify_equilibrium(CorrelatedAgreement(), MODEL3)
    text = repr(rep)
    assert "correlated agreement" in text and "truthful is BNE=True" in text
    assert "<table>" in rep._repr_html_()
    assert not rep.truthful_payments.flags.writeable


def test_validation_messages():
    with pytest.raises(ValidationError, match="'mechanism' parameter of verify_equilibrium"):
        verify_equilibrium(output_agreement, MODEL3)
    with pytest.raises(ValidationError, match="'strategies' parameter of verify_equilibrium must be 'all'"):
        verify_equilibrium(OutputAgreement(), MODEL3, strategies="everything")
    with pytest.raises(ValidationError, match=r"shape \(S, 3\)"):
        verify_equilibrium(OutputAgreement(), MODEL3, strategies=[[0, 1]])
    with pytest.raises(ValidationError, match="binary signals and at least 3 agents"):
        verify_equilibrium(RobustBayesianTruthSerum(), MODEL3)
    with pytest.raises(ValidationError, match="at least 2 k = 6"):
        verify_equilibrium(DeterminantMutualInformation(n_tasks=5), MODEL3)
