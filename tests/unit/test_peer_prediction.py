"""Peer-prediction payments against the papers' formulas, written out with explicit loops."""

import itertools
import math
import pickle

import numpy as np
import pytest

from mechanisms import ValidationError
from mechanisms.elicitation import (
    LOGARITHMIC,
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
)

RNG = np.random.default_rng(7)


def test_output_agreement_counts_agreeing_peers():
    reports = RNG.integers(0, 3, size=(4, 5))
    out = output_agreement(reports)
    for b in range(4):
        for i in range(5):
            agree = sum(reports[b, j] == reports[b, i] for j in range(5) if j != i)
            assert out[b, i] == pytest.approx(agree / 4)


def test_mrz_scores_the_posterior_against_each_peer():
    model = SignalModel.from_world_states([0.3, 0.7], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], n_agents=3)
    joint = model.joint
    reports = np.array([[0, 2, 2], [1, 0, 2]])
    out = peer_prediction(reports, model, rule=LOGARITHMIC)
    for b, r in enumerate(reports):
        for i in range(3):
            vals = []
            for j in range(3):
                if j == i:
                    continue
                # P(s_j | s_i = r_i) by summing the joint directly
                pij = np.zeros((3, 3))
                for s in itertools.product(range(3), repeat=3):
                    pij[s[i], s[j]] += joint[s]
                post = pij[r[i]] / pij[r[i]].sum()
                vals.append(math.log(post[r[j]]))
            assert out[b, i] == pytest.approx(np.mean(vals))


def test_mrz_with_a_pair_joint():
    joint = np.array([[0.3, 0.1], [0.1, 0.5]])
    post = joint / joint.sum(1, keepdims=True)
    out = peer_prediction([0, 1, 1], joint, rule=QUADRATIC)
    q0 = 2 * post[0] - post[0] @ post[0]  # quadratic scores of the posterior after signal 0
    q1 = 2 * post[1] - post[1] @ post[1]
    np.testing.assert_allclose(out, [q0[1], (q1[0] + q1[1]) / 2, (q1[0] + q1[1]) / 2])


def _bts_loop(x, y, alpha):
    n, k = y.shape
    xbar = np.array([np.mean(x == c) for c in range(k)])
    log_ybar = np.log(y).mean(0)
    pay = np.zeros(n)
    for i in range(n):
        pay[i] = math.log(xbar[x[i]]) - log_ybar[x[i]]
        pay[i] += alpha * sum(xbar[c] * math.log(y[i, c] / xbar[c]) for c in range(k) if xbar[c] > 0)
    return pay


def test_bts_matches_prelec_formula():
    for alpha in (1.0, 0.5, 2.0):
        x = RNG.integers(0, 3, size=6)
        y = RNG.dirichlet(np.ones(3), size=6)
        np.testing.assert_allclose(bayesian_truth_serum(x, y, alpha=alpha), _bts_loop(x, y, alpha))
    # batched
    xs = RNG.integers(0, 2, size=(3, 4))
    ys = RNG.dirichlet(np.ones(2), size=(3, 4))
    np.testing.assert_allclose(bayesian_truth_serum(xs, ys), np.stack([_bts_loop(a, b, 1.0) for a, b in zip(xs, ys)]))


def _rq(y, w):  # Witkowski-Parkes binary quadratic rule
    return 2 * y - y * y if w == 1 else 1 - y * y


def test_rbts_matches_witkowski_parkes():
    x = RNG.integers(0, 2, size=5)
    y = RNG.uniform(size=5)
    n = 5
    cyc = robust_bayesian_truth_serum(x, y)
    avg = robust_bayesian_truth_serum(x, y, peers="all")
    for i in range(n):
        def pay(j, k):
            d = min(y[j], 1 - y[j])
            shadow = y[j] + d if x[i] == 1 else y[j] - d
            return _rq(shadow, x[k]) + _rq(y[i], x[k])
        assert cyc[i] == pytest.approx(pay((i + 1) % n, (i + 2) % n))
        pairs = [(j, k) for j, k in itertools.permutations(range(n), 2) if i not in (j, k)]
        assert avg[i] == pytest.approx(np.mean([pay(j, k) for j, k in pairs]))
        assert 0 <= cyc[i] <= 2


def _ca_loop(reports, score):
    n, t = reports.shape
    pay = np.zeros(n)
    for i in range(n):
        per_peer = []
        for j in range(n):
            if j == i:
                continue
            per_task = []
            for b in range(t):
                pen = [score[reports[i, p], reports[j, q]] for p, q in itertools.permutations(range(t), 2)
                       if b not in (p, q)]
                per_task.append(score[reports[i, b], reports[j, b]] - np.mean(pen))
            per_peer.append(np.mean(per_task))
        pay[i] = np.mean(per_peer)
    return pay


def test_dasgupta_ghosh_and_correlated_agreement_match_the_definition():
    reports = RNG.integers(0, 3, size=(3, 6))
    np.testing.assert_allclose(dasgupta_ghosh(reports), _ca_loop(reports, np.eye(3)))
    score = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 1]])
    np.testing.assert_allclose(correlated_agreement(reports, score_matrix=score), _ca_loop(reports, score))
    per_task = correlated_agreement(reports, score_matrix=score, per_task=True)
    assert per_task.shape == (3, 6)
    np.testing.assert_allclose(per_task.mean(-1), _ca_loop(reports, score))


def test_correlated_agreement_score_matrix_from_model():
    model = SignalModel.from_world_states([0.5, 0.5], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], n_agents=2)
    pj = model.pair_joint(0, 1)
    delta = pj - np.outer(pj.sum(1), pj.sum(0))
    reports = RNG.integers(0, 3, size=(2, 5))
    expected = _ca_loop(reports, (delta > 0).astype(float))
    np.testing.assert_allclose(correlated_agreement(reports, model=model), expected)


def test_dmi_matches_determinants_of_count_matrices():
    reports = RNG.integers(0, 3, size=(3, 8))
    out = determinant_mutual_information(reports, n_signals=3)
    for i in range(3):
        vals = []
        for j in range(3):
            if j == i:
                continue
            m1 = np.zeros((3, 3))
            m2 = np.zeros((3, 3))
            for t in range(8):
                (m1 if t < 4 else m2)[reports[i, t], reports[j, t]] += 1
            vals.append(round(np.linalg.det(m1)) * round(np.linalg.det(m2)))
        assert out[i] == np.mean(vals)


def test_dmi_constant_reporter_is_paid_exactly_zero():
    reports = RNG.integers(0, 2, size=(3, 6))
    reports[1] = 1
    out = determinant_mutual_information(reports, n_signals=2)
    assert out[1] == 0.0


def test_signal_model_from_world_states_by_enumeration():
    prior = np.array([0.2, 0.8])
    lik = np.array([[0.6, 0.4], [0.1, 0.9]])
    model = SignalModel.from_world_states(prior, lik, n_agents=3)
    for s in itertools.product(range(2), repeat=3):
        expected = sum(prior[t] * np.prod([lik[t, si] for si in s]) for t in range(2))
        assert model.joint[s] == pytest.approx(expected)
    assert model.is_exchangeable
    assert not SignalModel.from_pair([[0.4, 0.2], [0.1, 0.3]]).is_exchangeable
    profiles, probs = model.profiles()
    assert profiles.shape == (8, 3) and probs.sum() == pytest.approx(1.0)


def test_batch_equals_loop_and_no_mutation():
    single = RNG.integers(0, 2, size=(4, 3))
    preds = RNG.uniform(0.05, 0.95, size=(4, 3))
    pairs = np.stack([1 - preds, preds], -1)
    tasks = RNG.integers(0, 2, size=(4, 3, 6))
    joint = np.array([[0.35, 0.15], [0.15, 0.35]])
    calls = [
        (output_agreement, (single,)),
        (lambda r: peer_prediction(r, joint), (single,)),
        (bayesian_truth_serum, (single, pairs)),
        (robust_bayesian_truth_serum, (single, preds)),
        (dasgupta_ghosh, (tasks,)),
        (lambda r: correlated_agreement(r, score_matrix=np.eye(2)), (tasks,)),
        (lambda r: determinant_mutual_information(r, n_signals=2), (tasks,)),
    ]
    for fn, args in calls:
        before = [a.copy() for a in args]
        batch = fn(*args)
        loop = np.stack([fn(*(a[b] for a in args)) for b in range(4)])
        np.testing.assert_allclose(batch, loop)
        for a, b in zip(args, before):
            np.testing.assert_array_equal(a, b)


def test_mechanism_objects_pickle_and_pay_like_the_functions():
    reports = RNG.integers(0, 2, size=(3, 6))
    joint = np.array([[0.35, 0.15], [0.15, 0.35]])
    for mech in (OutputAgreement(), PeerPrediction(rule=QUADRATIC), BayesianTruthSerum(alpha=0.5),
                 RobustBayesianTruthSerum(peers="all"), DasguptaGhosh(), CorrelatedAgreement(score_matrix=np.eye(2)),
                 DeterminantMutualInformation(n_tasks=6)):
        back = pickle.loads(pickle.dumps(mech))
        assert type(back) is type(mech) and repr(back) == repr(mech)
    np.testing.assert_allclose(DasguptaGhosh().payments(reports), dasgupta_ghosh(reports))
    np.testing.assert_allclose(PeerPrediction(rule=QUADRATIC).payments(reports[:, 0], joint),
                               peer_prediction(reports[:, 0], joint, rule=QUADRATIC))
    np.testing.assert_allclose(DeterminantMutualInformation().payments(reports, n_signals=2),
                               determinant_mutual_information(reports, n_signals=2))


def test_validation_messages():
    with pytest.raises(ValidationError, match="'reports' parameter of output_agreement must be an array with at least 2"):
        output_agreement([1])
    with pytest.raises(ValidationError, match="every signal has positive probability"):
        peer_prediction([0, 1], [[0.5, 0.0], [0.5, 0.0]])
    with pytest.raises(ValidationError, match="symmetric"):
        peer_prediction([0, 1, 1], [[0.4, 0.2], [0.1, 0.3]])
    with pytest.raises(ValidationError, match="strictly positive.*Smooth"):
        bayesian_truth_serum([0, 1], [[1.0, 0.0], [0.5, 0.5]])
    with pytest.raises(ValidationError, match="at least 3 agents"):
        robust_bayesian_truth_serum([0, 1], [0.5, 0.5])
    with pytest.raises(ValidationError, match=r"signal indices in \[0, 1\]"):
        robust_bayesian_truth_serum([0, 2, 1], [0.5, 0.5, 0.5])
    with pytest.raises(ValidationError, match="at least 3 tasks"):
        dasgupta_ghosh([[0, 1], [1, 0]])
    with pytest.raises(ValidationError, match="score_matrix.*or else model"):
        correlated_agreement([[0, 1, 0], [1, 0, 1]])
    with pytest.raises(ValidationError, match="at least 6 tasks"):
        determinant_mutual_information([[0, 1, 2, 0], [1, 0, 2, 2]], n_signals=3)
    with pytest.raises(ValidationError, match="'likelihood' parameter of SignalModel.from_world_states"):
        SignalModel.from_world_states([0.5, 0.5], [[0.5, 0.4], [0.5, 0.5]], n_agents=2)
    with pytest.raises(ValidationError, match=r"shape \(k, k, ..., k\)"):
        SignalModel(np.full((2, 3), 1 / 6))
