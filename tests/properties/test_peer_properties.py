"""Known facts about peer-prediction mechanisms, as hypothesis properties over random priors and reports.

Every expected value used as an oracle is computed here from the world-state
model's closed form (``J = L^T diag(prior) L`` for two agents), not by the
library.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mechanisms.elicitation import (
    LOGARITHMIC,
    QUADRATIC,
    SPHERICAL,
    CorrelatedAgreement,
    DasguptaGhosh,
    OutputAgreement,
    PeerPrediction,
    RobustBayesianTruthSerum,
    SignalModel,
    bayesian_truth_serum,
    determinant_mutual_information,
    verify_equilibrium,
)


def _simplex(draw, n, low=0.05):
    w = np.array(draw(st.lists(st.floats(low, 1.0), min_size=n, max_size=n)))
    return w / w.sum()


@st.composite
def world_models(draw, n_agents=st.integers(2, 3), n_signals=st.integers(2, 3), n_states=st.integers(2, 3)):
    n, k, m = draw(n_agents), draw(n_signals), draw(n_states)
    prior = _simplex(draw, m)
    lik = np.stack([_simplex(draw, k) for _ in range(m)])
    return prior, lik, n


def _pair_joint(prior, lik):
    return lik.T @ np.diag(prior) @ lik


# ----------------------------------------------------------------------------- BTS

@settings(max_examples=50)
@given(data=st.data(), n=st.integers(2, 8), k=st.integers(2, 4))
def test_bts_with_alpha_one_is_zero_sum(data, n, k):
    signals = data.draw(arrays(np.int64, n, elements=st.integers(0, k - 1)))
    predictions = np.stack([_simplex(data.draw, k, low=0.01) for _ in range(n)])
    pay = bayesian_truth_serum(signals, predictions, alpha=1.0)
    assert abs(pay.sum()) <= 1e-9 * (1 + np.abs(pay).sum())


# ----------------------------------------------------------------------------- DMI

@settings(max_examples=50)
@given(data=st.data(), n=st.integers(2, 4), k=st.integers(2, 3), extra=st.integers(0, 4))
def test_dmi_pays_exactly_zero_to_a_constant_agent(data, n, k, extra):
    t = 2 * k + extra
    reports = data.draw(arrays(np.int64, (n, t), elements=st.integers(0, k - 1)))
    agent = data.draw(st.integers(0, n - 1))
    reports[agent] = data.draw(st.integers(0, k - 1))
    pay = determinant_mutual_information(reports, n_signals=k)
    assert pay[agent] == 0.0


@settings(max_examples=30)
@given(data=st.data(), k=st.integers(2, 3))
def test_dmi_is_invariant_to_relabeling_an_agents_answers(data, k):
    reports = data.draw(arrays(np.int64, (3, 2 * k + 2), elements=st.integers(0, k - 1)))
    perm = np.array(data.draw(st.permutations(range(k))))
    relabeled = reports.copy()
    relabeled[0] = perm[reports[0]]
    np.testing.assert_array_equal(determinant_mutual_information(relabeled, n_signals=k),
                                  determinant_mutual_information(reports, n_signals=k))


# ----------------------------------------------------------------------------- output agreement

@settings(max_examples=40)
@given(good=st.floats(0.02, 0.3), a=st.floats(0.55, 0.95), b=st.floats(0.01, 0.3), n=st.integers(2, 3))
def test_output_agreement_misreports_a_minority_signal(good, a, b, n):
    prior = np.array([good, 1 - good])
    lik = np.array([[1 - a, a], [1 - b, b]])  # signal 1 ("good") is likelier in the good state
    joint = _pair_joint(prior, lik)
    post = joint / joint.sum(1, keepdims=True)
    assume(post[1, 1] < 0.5 - 1e-3)  # signal 1 is a minority belief even for its observer
    rep = verify_equilibrium(OutputAgreement(), SignalModel.from_world_states(prior, lik, n_agents=n))
    assert not rep.is_bne
    assert rep.best_deviation.strategy[1] == 0
    # best response: after each signal report the likeliest peer signal
    marg = joint.sum(1)
    gain = sum(marg[s] * (post[s].max() - post[s, s]) for s in range(2))
    assert rep.best_deviation.gain == pytest.approx(gain, rel=1e-9, abs=1e-12)


# ----------------------------------------------------------------------------- MRZ

@settings(max_examples=40)
@given(model=world_models(), rule=st.sampled_from([LOGARITHMIC, QUADRATIC, SPHERICAL]))
def test_mrz_truthful_is_a_strict_bne_under_stochastic_relevance(model, rule):
    prior, lik, n = model
    joint = _pair_joint(prior, lik)
    post = joint / joint.sum(1, keepdims=True)
    k = len(post)
    separation = min(np.abs(post[s] - post[r]).max() for s in range(k) for r in range(k) if r != s)
    assume(separation > 1e-3)  # stochastic relevance
    rep = verify_equilibrium(PeerPrediction(rule=rule), SignalModel.from_world_states(prior, lik, n_agents=n))
    assert rep.is_strict_bne and rep.margin > 0
    if rule is QUADRATIC:
        # the loss from reporting r after s is P(s) * ||post_s - post_r||^2 (Bregman of ||.||^2)
        marg = joint.sum(1)
        margin = min(marg[s] * np.sum((post[s] - post[r]) ** 2) for s in range(k) for r in range(k) if r != s)
        assert rep.margin == pytest.approx(margin, rel=1e-7)


# ----------------------------------------------------------------------------- correlated agreement, DG

@settings(max_examples=40)
@given(model=world_models())
def test_correlated_agreement_is_informed_truthful(model):
    prior, lik, n = model
    joint = _pair_joint(prior, lik)
    delta = joint - np.outer(joint.sum(1), joint.sum(0))
    best = delta[delta > 1e-12].sum()
    assume(best > 1e-6)  # signals carry information about each other
    rep = verify_equilibrium(CorrelatedAgreement(), SignalModel.from_world_states(prior, lik, n_agents=n))
    # truthful collects every positive entry of Delta: the most any strategy can
    np.testing.assert_allclose(rep.truthful_payments, best, rtol=1e-9)
    assert rep.is_bne
    assert np.all(rep.deviation_payments <= rep.truthful_payments[:, None] + 1e-12)
    assert rep.informed_truthful and rep.beats_uninformative


@settings(max_examples=30)
@given(model=world_models(n_signals=st.just(2)))
def test_dasgupta_ghosh_is_informed_truthful_for_binary_signals(model):
    prior, lik, n = model
    joint = _pair_joint(prior, lik)
    assume(joint[1, 1] - joint.sum(1)[1] ** 2 > 1e-6)  # positively correlated signals
    rep = verify_equilibrium(DasguptaGhosh(), SignalModel.from_world_states(prior, lik, n_agents=n))
    assert rep.is_bne and rep.informed_truthful


# ----------------------------------------------------------------------------- robust BTS

@settings(max_examples=25)
@given(model=world_models(n_agents=st.integers(3, 4), n_signals=st.just(2)),
       peers=st.sampled_from(["cyclic", "all"]))
def test_rbts_truthful_is_a_strict_bne(model, peers):
    prior, lik, n = model
    joint = _pair_joint(prior, lik)
    post = joint / joint.sum(1, keepdims=True)
    assume(post[1, 1] - post[0, 1] > 1e-3)  # the signal is informative about a peer's
    rep = verify_equilibrium(RobustBayesianTruthSerum(peers=peers), SignalModel.from_world_states(prior, lik, n_agents=n))
    assert rep.is_strict_bne
