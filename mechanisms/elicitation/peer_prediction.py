"""Peer prediction: paying for reports that cannot be checked against a ground truth.

Each mechanism is a function (arrays in, payments out, batched over leading
axes) and a frozen mechanism object that the equilibrium verifier
(:func:`~mechanisms.elicitation.verify_equilibrium`) can analyse under a
:class:`~mechanisms.elicitation.SignalModel`.

Shapes
------
Single-task mechanisms take one report per agent, ``reports[..., n_agents]``
(ints in ``0..k-1``); BTS and RBTS also take a prediction per agent.
Multi-task mechanisms take ``reports[..., n_agents, n_tasks]``.  Payments are
``[..., n_agents]``.  Where a paper pays against one randomly chosen peer we
pay the *average over all peers* (the expected payment over that random
choice; incentives are unchanged and no randomness is needed), except RBTS,
which keeps the paper's cyclic assignment unless ``peers="all"``.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np

from solvers.validation import check_array, check_int, check_option, check_real, fail

from .scoring import LOGARITHMIC, QUADRATIC, ScoringRule
from .signals import SignalModel

__all__ = [
    "output_agreement",
    "peer_prediction",
    "bayesian_truth_serum",
    "robust_bayesian_truth_serum",
    "dasgupta_ghosh",
    "correlated_agreement",
    "determinant_mutual_information",
    "PeerPredictionMechanism",
    "OutputAgreement",
    "PeerPrediction",
    "BayesianTruthSerum",
    "RobustBayesianTruthSerum",
    "DasguptaGhosh",
    "CorrelatedAgreement",
    "DeterminantMutualInformation",
]

#: Witkowski and Parkes' binary quadratic rule R_q(y, 1) = 2y - y^2, R_q(y, 0) = 1 - y^2.
_WP_QUADRATIC = QUADRATIC.affine(0.5, 0.5)


# --------------------------------------------------------------------------- validation helpers

def _single_reports(reports, owner, *, n_signals=None, name="reports"):
    r = check_array(reports, name, owner, dtype="int")
    if r.ndim == 0 or r.shape[-1] < 2:
        fail(name, owner, "an array with at least 2 agents on the last axis", r)
    if r.size and r.min() < 0:
        fail(name, owner, "nonnegative signal indices", r)
    if n_signals is not None and r.size and r.max() >= n_signals:
        fail(name, owner, f"signal indices in [0, {n_signals - 1}]", r)
    return r


def _task_reports(reports, owner, *, min_tasks, n_signals=None):
    r = check_array(reports, "reports", owner, dtype="int")
    if r.ndim < 2 or r.shape[-2] < 2:
        fail("reports", owner, "an array of shape (..., n_agents, n_tasks) with at least 2 agents", r)
    if r.shape[-1] < min_tasks:
        fail("reports", owner, f"an array with at least {min_tasks} tasks on the last axis", r)
    if r.size and r.min() < 0:
        fail("reports", owner, "nonnegative signal indices", r)
    if n_signals is not None and r.size and r.max() >= n_signals:
        fail("reports", owner, f"signal indices in [0, {n_signals - 1}]", r)
    return r


def _model_arg(model, owner):
    if isinstance(model, SignalModel):
        return model
    joint = check_array(model, "model", owner, ndim=2, nonnegative=True)
    return SignalModel.from_pair(joint)


def _off_diagonal_mean(values):
    """Mean over j != i of ``values[..., i, j]`` -> ``[..., i]``."""
    n = values.shape[-1]
    mask = ~np.eye(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        return np.where(mask, values, 0.0).sum(axis=-1) / (n - 1)


def _binary_table(rule, y):
    """``[S(y, 0), S(y, 1)]`` of a binary prediction ``y`` (probability of 1)."""
    return rule._scores(np.stack([1.0 - y, y], axis=-1))


# --------------------------------------------------------------------------- single-task mechanisms

def output_agreement(reports):
    """Output agreement: an agent is paid the fraction of peers who gave the same report.

    Assumptions: none about beliefs; it is truthful only when every signal
    makes its observer believe that a peer most likely saw the same signal.  A
    minority signal (believed less likely than another even by its observer)
    is misreported, and every agent reporting the same constant is an
    equilibrium that pays the maximum.

    Parameters
    ----------
    reports : array_like of int, shape (..., n_agents)

    Returns
    -------
    ndarray, shape (..., n_agents)
        In ``[0, 1]``.

    References
    ----------
    .. [1] L. von Ahn and L. Dabbish, "Labeling images with a computer game",
       CHI 2004, 319-326.

    Examples
    --------
    >>> from mechanisms.elicitation import output_agreement
    >>> output_agreement([0, 0, 1])
    array([0.5, 0.5, 0. ])
    """
    r = _single_reports(reports, "output_agreement")
    same = (r[..., :, None] == r[..., None, :]).astype(float)
    return _off_diagonal_mean(same)


def _mrz_tables(model: SignalModel, rule: ScoringRule, owner: str) -> np.ndarray:
    """``T[i, j, a, b] = S(P(s_j | s_i = a), b)`` for every ordered pair of agents."""
    n, k = model.n_agents, model.n_signals
    for i in range(n):
        if np.any(model.marginal(i) <= 0):
            fail("model", owner, "a prior under which every signal has positive probability", model,
                 hint="A signal that never occurs has no posterior to score; drop it from the signal space.")
    tables = np.zeros((n, n, k, k))
    for i, j in itertools.permutations(range(n), 2):
        tables[i, j] = rule._scores(model.posterior(i, j))
    return tables


def peer_prediction(reports, model, *, rule: ScoringRule = LOGARITHMIC):
    """Miller-Resnick-Zeckhauser peer prediction: score the posterior a report implies against a peer's report.

    Agent ``i`` reporting signal ``a`` is paid ``S(P(s_j | s_i = a), r_j)``: a
    strictly proper scoring rule applied to the posterior over a peer's
    signal implied by ``a`` under the common prior, evaluated at the peer's
    report; averaged over peers ``j != i``.

    Assumptions: the center knows the common prior (``model``); signals are
    *stochastically relevant* (distinct signals induce distinct posteriors).
    Then truthful reporting is a strict Bayes-Nash equilibrium.  It is not the
    only one, and uninformative equilibria may pay more.

    Parameters
    ----------
    reports : array_like of int, shape (..., n_agents)
    model : SignalModel or array_like of shape (k, k)
        The common prior; a ``(k, k)`` array is the joint distribution of
        (own signal, peer signal), used for every pair of agents.
    rule : ScoringRule
        A strictly proper rule (default: logarithmic, as in the paper).

    Returns
    -------
    ndarray, shape (..., n_agents)

    References
    ----------
    .. [1] N. Miller, P. Resnick and R. Zeckhauser, "Eliciting informative
       feedback: the peer-prediction method", Management Science 51(9),
       1359-1373, 2005.

    Examples
    --------
    >>> from mechanisms.elicitation import peer_prediction, QUADRATIC
    >>> joint = [[0.4, 0.1], [0.1, 0.4]]          # P(own, peer)
    >>> peer_prediction([1, 1], joint, rule=QUADRATIC)   # 2 * 0.8 - (0.2**2 + 0.8**2)
    array([0.92, 0.92])
    """
    owner = "peer_prediction"
    if not isinstance(rule, ScoringRule):
        fail("rule", owner, "a ScoringRule", rule)
    m = _model_arg(model, owner)
    r = _single_reports(reports, owner, n_signals=m.n_signals)
    n = r.shape[-1]
    if isinstance(model, SignalModel) or n == 2:
        if m.n_agents != n:
            fail("model", owner, f"a SignalModel over the reports' {n} agents (or a (k, k) pair joint)", m)
        tables = _mrz_tables(m, rule, owner)
        ii = np.arange(n)[:, None]
        jj = np.arange(n)[None, :]
        vals = tables[ii, jj, r[..., :, None], r[..., None, :]]
    else:
        if not np.allclose(m.joint, m.joint.T, atol=1e-12):
            fail("model", owner, "a symmetric (k, k) pair joint when there are more than 2 agents", m.joint,
                 hint="Pass a SignalModel over all agents for asymmetric priors.")
        table = _mrz_tables(m, rule, owner)[0, 1]
        vals = table[r[..., :, None], r[..., None, :]]
    return _off_diagonal_mean(vals)


def _bts_inputs(signals, predictions, owner):
    x = _single_reports(signals, owner, name="signals")
    y = check_array(predictions, "predictions", owner, nonnegative=True)
    if y.ndim != x.ndim + 1 or y.shape[:-1] != x.shape:
        fail("predictions", owner, f"an array of shape {x.shape + ('k',)} (one prediction per agent)", y)
    k = y.shape[-1]
    if k < 2:
        fail("predictions", owner, "predictions over at least 2 signals (last axis)", y)
    if x.size and x.max() >= k:
        fail("signals", owner, f"signal indices in [0, {k - 1}] (predictions have {k} entries)", x)
    if not np.allclose(y.sum(-1), 1.0, atol=1e-6):
        fail("predictions", owner, "probability vectors summing to 1 on the last axis", y)
    if np.any(y <= 0):
        fail("predictions", owner, "strictly positive (the BTS scores use log predictions)", y,
             hint="Smooth them, e.g. y = (1 - eps) * y + eps / k.")
    return x, y, k


def bayesian_truth_serum(signals, predictions, *, alpha: float = 1.0):
    """Prelec's Bayesian truth serum: information score plus ``alpha`` times prediction score.

    With ``xbar_k`` the fraction of agents endorsing ``k`` and ``log ybar_k``
    the mean of the agents' log predictions of ``k``, agent ``i`` (endorsing
    ``x_i``, predicting ``y_i``) is paid::

        log(xbar[x_i] / ybar[x_i])  +  alpha * sum_k xbar_k log(y_ik / xbar_k)

    Both averages run over all agents, including ``i``; with ``alpha = 1`` the
    payments sum to zero.

    Assumptions: a common prior with signals i.i.d. given a world state,
    "impersonal" (exchangeable) beliefs and a large population; truth-telling
    is then a strict Bayes-Nash equilibrium as ``n -> infinity``.  With few
    agents it need not be; use :func:`robust_bayesian_truth_serum`.

    Parameters
    ----------
    signals : array_like of int, shape (..., n_agents)
        Endorsed answers.
    predictions : array_like, shape (..., n_agents, k)
        Each agent's predicted population frequencies, strictly positive.
    alpha : float
        Weight of the prediction score, > 0.

    Returns
    -------
    ndarray, shape (..., n_agents)

    References
    ----------
    .. [1] D. Prelec, "A Bayesian truth serum for subjective data", Science
       306(5695), 462-466, 2004.

    Examples
    --------
    >>> from mechanisms.elicitation import bayesian_truth_serum
    >>> pay = bayesian_truth_serum([0, 0, 1], [[0.6, 0.4], [0.7, 0.3], [0.5, 0.5]])
    >>> round(float(pay.sum()), 12)
    0.0
    """
    owner = "bayesian_truth_serum"
    a = check_real(alpha, "alpha", owner, low=0.0, low_open=True)
    x, y, k = _bts_inputs(signals, predictions, owner)
    onehot = (x[..., None] == np.arange(k)).astype(float)
    xbar = onehot.mean(axis=-2)  # (..., k)
    logy = np.log(y)
    log_ybar = logy.mean(axis=-2)
    with np.errstate(divide="ignore"):
        log_xbar = np.log(xbar)
    info = np.take_along_axis(log_xbar - log_ybar, x, axis=-1)
    xb = xbar[..., None, :]  # broadcast over agents
    safe_log_xbar = np.where(xbar > 0, log_xbar, 0.0)[..., None, :]
    prediction = np.where(xb > 0, xb * (logy - safe_log_xbar), 0.0).sum(axis=-1)
    return info + a * prediction


def robust_bayesian_truth_serum(signals, predictions, *, rule: ScoringRule | None = None, peers: str = "cyclic"):
    """Witkowski-Parkes robust BTS for binary signals and at least 3 agents.

    Agent ``i`` reports a signal ``x_i`` in {0, 1} and a prediction ``y_i``
    (probability that a peer's signal is 1).  With reference agent ``j`` and
    peer agent ``k``, the shadow prediction is ``y_j + d`` if ``x_i = 1`` and
    ``y_j - d`` if ``x_i = 0``, ``d = min(y_j, 1 - y_j)``; the payment is
    ``R(shadow, x_k) + R(y_i, x_k)`` with a strictly proper binary rule ``R``
    (default: ``R(y, 1) = 2y - y^2``, ``R(y, 0) = 1 - y^2``, payments in [0, 2]).

    Assumptions: binary signals, a common prior (signals i.i.d. given a world
    state) with ``P(1 | own signal 1) > P(1 | own signal 0)``, unknown to the
    center; ``n >= 3``.  Truthful reporting is then a strict Bayes-Nash
    equilibrium for every ``n >= 3``.

    Parameters
    ----------
    signals : array_like of {0, 1}, shape (..., n_agents)
    predictions : array_like in [0, 1], shape (..., n_agents)
    rule : ScoringRule, optional
        A strictly proper rule for binary outcomes.
    peers : {"cyclic", "all"}
        ``"cyclic"``: ``j = i + 1``, ``k = i + 2`` (mod n), as in the paper;
        ``"all"``: the average over every ordered pair of distinct agents
        other than ``i`` (the expectation under random assignment).

    Returns
    -------
    ndarray, shape (..., n_agents)

    References
    ----------
    .. [1] J. Witkowski and D. C. Parkes, "A robust Bayesian truth serum for
       small populations", AAAI 2012, 1492-1498.

    Examples
    --------
    >>> from mechanisms.elicitation import robust_bayesian_truth_serum
    >>> robust_bayesian_truth_serum([1, 1, 1], [0.5, 0.5, 0.5])   # shadow 1.0 scores 1, 0.5 scores 0.75
    array([1.75, 1.75, 1.75])
    """
    owner = "robust_bayesian_truth_serum"
    check_option(peers, "peers", owner, ("cyclic", "all"))
    rule = _WP_QUADRATIC if rule is None else rule
    if not isinstance(rule, ScoringRule):
        fail("rule", owner, "a ScoringRule (for binary outcomes)", rule)
    x = _single_reports(signals, owner, n_signals=2, name="signals")
    n = x.shape[-1]
    if n < 3:
        fail("signals", owner, "reports of at least 3 agents (a reference and a peer besides each agent)", x)
    y = check_array(predictions, "predictions", owner)
    if y.shape != x.shape:
        fail("predictions", owner, f"an array of shape {x.shape} (one prediction per agent)", y)
    if y.size and (np.any(y < 0) or np.any(y > 1)):
        fail("predictions", owner, "probabilities in [0, 1] (of a peer's signal being 1)", y)
    xf = x.astype(float)
    own = _binary_table(rule, y)  # (..., n, 2)
    if peers == "cyclic":
        j = (np.arange(n) + 1) % n
        k = (np.arange(n) + 2) % n
        yj = y[..., j]
        d = np.minimum(yj, 1.0 - yj)
        shadow = np.where(x == 1, yj + d, yj - d)
        xk = x[..., k]
        s_shadow = np.take_along_axis(_binary_table(rule, shadow), xk[..., None], axis=-1)[..., 0]
        s_own = np.take_along_axis(own, xk[..., None], axis=-1)[..., 0]
        return s_shadow + s_own
    yj = y[..., None, :]  # reference j on the last axis: (..., 1, n)
    d = np.minimum(yj, 1.0 - yj)
    shadow = np.where(x[..., :, None] == 1, yj + d, yj - d)  # (..., i, j)
    xbar = (xf.sum(-1)[..., None, None] - xf[..., :, None] - xf[..., None, :]) / (n - 2)  # peers k != i, j
    tab_shadow = _binary_table(rule, shadow)
    e_shadow = xbar * tab_shadow[..., 1] + (1 - xbar) * tab_shadow[..., 0]
    e_own = xbar * own[..., :, None, 1] + (1 - xbar) * own[..., :, None, 0]
    return _off_diagonal_mean(e_shadow + e_own)


# --------------------------------------------------------------------------- multi-task mechanisms

def _ca_payments(r, score, per_task):
    """Bonus-minus-penalty payments of Shnayder et al. with a score matrix ``score[a, b]``.

    Penalty: the average of ``score[r_i^{t'}, r_j^{t''}]`` over ordered pairs of
    distinct tasks ``t' != t''``, both different from the bonus task ``t``.
    ``score`` is ``(k, k)`` or per pair ``(n, n, k, k)``.
    """
    n, t = r.shape[-2], r.shape[-1]
    k = score.shape[-1]
    onehot = (r[..., None] == np.arange(k)).astype(float)  # (..., n, T, k)
    counts = onehot.sum(axis=-2)  # (..., n, k)
    if score.ndim == 2:
        bonus = score[r[..., :, None, :], r[..., None, :, :]]  # (..., i, j, T)
        total = np.einsum("...ia,ab,...jb->...ij", counts, score, counts)
        row = np.einsum("ab,...jb->...ja", score, counts)  # (S n_j)[a]
        col = np.einsum("...ia,ab->...ib", counts, score)  # (n_i^T S)[b]
    else:
        ii = np.arange(n)[:, None, None]
        jj = np.arange(n)[None, :, None]
        bonus = score[ii, jj, r[..., :, None, :], r[..., None, :, :]]
        total = np.einsum("...ia,ijab,...jb->...ij", counts, score, counts)
        row = np.einsum("ijab,...jb->...ija", score, counts)  # (..., i, j, a)
        col = np.einsum("...ia,ijab->...ijb", counts, score)  # (..., i, j, b)
    diag = bonus.sum(axis=-1)  # (..., i, j)
    shape = bonus.shape
    ri = np.broadcast_to(r[..., :, None, :], shape)
    rj = np.broadcast_to(r[..., None, :, :], shape)
    if score.ndim == 2:
        row_t = np.take_along_axis(np.broadcast_to(row[..., None, :, :], shape[:-1] + (k,)), ri, axis=-1)
        col_t = np.take_along_axis(np.broadcast_to(col[..., :, None, :], shape[:-1] + (k,)), rj, axis=-1)
    else:
        row_t = np.take_along_axis(row, ri, axis=-1)
        col_t = np.take_along_axis(col, rj, axis=-1)
    penalty_sum = total[..., None] - diag[..., None] - (row_t - bonus) - (col_t - bonus)
    pay = bonus - penalty_sum / ((t - 1) * (t - 2))  # (..., i, j, T)
    n_mask = ~np.eye(n, dtype=bool)[:, :, None]
    per = np.where(n_mask, pay, 0.0).sum(axis=-2) / (n - 1)  # (..., i, T)
    return per if per_task else per.mean(axis=-1)


def dasgupta_ghosh(reports, *, per_task: bool = False):
    """Dasgupta-Ghosh multi-task mechanism: agreement on a shared task minus agreement on unrelated tasks.

    For each (bonus) task ``t`` and peer ``j``, agent ``i`` earns
    ``1{r_i^t = r_j^t}`` minus the average of ``1{r_i^{t'} = r_j^{t''}}`` over
    pairs of distinct tasks ``t' != t''`` other than ``t`` (the expectation of
    the paper's randomly drawn penalty tasks); averaged over peers, and over
    tasks unless ``per_task``.

    Assumptions: binary signals, tasks a priori similar and independent,
    agents use the same strategy on every task, signals positively correlated
    (``P(1, 1) > P(1) P(1)``).  Truthful reporting is then a Bayes-Nash
    equilibrium paying at least as much as any other (and strictly more than
    uninformative ones).  For more than 2 signals this is correlated agreement
    with the identity score matrix, truthful only for "categorical" priors.

    Parameters
    ----------
    reports : array_like of int, shape (..., n_agents, n_tasks)
        At least 3 tasks.
    per_task : bool
        Return ``(..., n_agents, n_tasks)`` payments per bonus task.

    References
    ----------
    .. [1] A. Dasgupta and A. Ghosh, "Crowdsourced judgement elicitation with
       endogenous proficiency", WWW 2013, 319-330.

    Examples
    --------
    >>> from mechanisms.elicitation import dasgupta_ghosh
    >>> dasgupta_ghosh([[0, 1, 0], [0, 1, 0]])   # bonus 1 on every task; penalty 0, 1, 0
    array([0.66666667, 0.66666667])
    """
    r = _task_reports(reports, "dasgupta_ghosh", min_tasks=3)
    k = max(2, int(r.max()) + 1) if r.size else 2
    return _ca_payments(r, np.eye(k), bool(per_task))


def _ca_score_from_model(model: SignalModel) -> np.ndarray:
    n = model.n_agents
    out = np.zeros((n, n) + (model.n_signals,) * 2)
    for i, j in itertools.permutations(range(n), 2):
        delta = model.pair_joint(i, j) - np.outer(model.marginal(i), model.marginal(j))
        out[i, j] = (delta > 1e-12).astype(float)
    return out


def correlated_agreement(reports, *, score_matrix=None, model=None, per_task: bool = False):
    """Correlated agreement (Shnayder, Agarwal, Frongillo and Parkes 2016).

    Like :func:`dasgupta_ghosh` with ``1{a = b}`` replaced by a score matrix
    ``S[a, b] = 1{Delta[a, b] > 0}``, where ``Delta = P(s_i, s_j) -
    P(s_i) P(s_j)`` is the correlation structure of the signals: bonus
    ``S[r_i^t, r_j^t]`` minus the average of ``S[r_i^{t'}, r_j^{t''}]`` over
    pairs of distinct tasks other than ``t``.

    Assumptions: tasks a priori similar and independent; agents use the same
    strategy on every task; the center knows the *sign structure* of
    ``Delta`` (pass ``model``, or ``score_matrix`` directly).  Then truthful
    reporting is *informed truthful*: paid at least as much as any strategy
    profile, and strictly more than any uninformed one.

    Parameters
    ----------
    reports : array_like of int, shape (..., n_agents, n_tasks)
        At least 3 tasks.
    score_matrix : array_like, shape (k, k), optional
    model : SignalModel or array_like (k, k), optional
        The signal model whose ``Delta`` signs give the score matrix (per pair of agents).
    per_task : bool
        Return ``(..., n_agents, n_tasks)`` payments per bonus task.

    References
    ----------
    .. [1] V. Shnayder, A. Agarwal, R. Frongillo and D. C. Parkes, "Informed
       truthfulness in multi-task peer prediction", EC 2016, 179-196.

    Examples
    --------
    >>> from mechanisms.elicitation import correlated_agreement
    >>> correlated_agreement([[0, 1, 2], [0, 1, 2]], score_matrix=[[1, 1, 0], [1, 1, 0], [0, 0, 1]])
    array([0.66666667, 0.66666667])
    """
    owner = "correlated_agreement"
    if (score_matrix is None) == (model is None):
        fail("score_matrix", owner, "given, or else model, but not both", score_matrix,
             hint="Pass score_matrix=S (k x k) or model=SignalModel (its Delta signs define S).")
    if score_matrix is not None:
        score = check_array(score_matrix, "score_matrix", owner, ndim=2)
        if score.shape[0] != score.shape[1] or score.shape[0] < 2:
            fail("score_matrix", owner, "a square (k, k) array with k >= 2", score)
        r = _task_reports(reports, owner, min_tasks=3, n_signals=score.shape[0])
    else:
        m = _model_arg(model, owner)
        r = _task_reports(reports, owner, min_tasks=3, n_signals=m.n_signals)
        full = _ca_score_from_model(m)
        n = r.shape[-2]
        if m.n_agents == n:
            score = full
        elif m.n_agents == 2 and not isinstance(model, SignalModel):
            score = full[0, 1]
        else:
            fail("model", owner, f"a SignalModel over the reports' {n} agents (or a (k, k) pair joint)", m)
    return _ca_payments(r, np.asarray(score, dtype=float), bool(per_task))


_PERMS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _permutations(k: int):
    if k not in _PERMS:
        perms = np.array(list(itertools.permutations(range(k))), dtype=np.intp)
        # sign = parity of the number of inversions
        inv = (perms[:, :, None] > perms[:, None, :]) & (np.arange(k)[:, None] < np.arange(k)[None, :])
        signs = np.where(inv.sum(axis=(1, 2)) % 2 == 0, 1, -1).astype(np.int64)
        _PERMS[k] = (perms, signs)
    return _PERMS[k]


def _exact_det(matrices: np.ndarray) -> np.ndarray:
    """Exact determinants of small integer matrices ``(..., k, k)`` (Leibniz formula, ``k <= 6``).

    Larger matrices fall back to floating LU, rounded to the nearest integer.
    """
    m = np.asarray(matrices, dtype=np.int64)
    k = m.shape[-1]
    if k > 6:
        return np.rint(np.linalg.det(m.astype(float))).astype(np.int64)
    perms, signs = _permutations(k)
    cols = np.arange(k)
    terms = m[..., perms, cols]  # (..., k!, k): m[perm[c], c]
    return (np.prod(terms, axis=-1) * signs).sum(axis=-1)


def determinant_mutual_information(reports, *, n_signals: int | None = None):
    """Kong's DMI-Mechanism: the product of two determinants of report co-occurrence counts.

    Tasks are split into two halves (the first ``T // 2`` and the rest).
    For agents ``i, j`` and half ``l``, ``M_l[a, b]`` counts the tasks of half
    ``l`` where ``i`` answered ``a`` and ``j`` answered ``b``; agent ``i`` is
    paid ``det(M_1) det(M_2)``, averaged over peers ``j`` (Kong sums over
    peers; the factor ``1 / (n - 1)`` changes no incentive).  Determinants are
    computed exactly (integer arithmetic).

    Assumptions: tasks a priori similar and independent, agents use the same
    (possibly random) strategy on every task, each half has at least ``k``
    tasks.  No prior knowledge is needed (detail-free) and 2 agents suffice.
    Truthful reporting is then *dominantly truthful*: it pays at least as much
    as any strategy whatever the others do, strictly more than any
    non-permutation strategy when the signal joint is invertible; an agent
    whose answers take fewer than ``k`` values is paid exactly 0.

    Parameters
    ----------
    reports : array_like of int, shape (..., n_agents, n_tasks)
        ``n_tasks >= 2 k``.
    n_signals : int, optional
        ``k``, the number of possible answers (default: the largest answer + 1,
        at least 2).  It sets the matrix size, so pass it when some answer may
        never be given.

    Returns
    -------
    ndarray, shape (..., n_agents)

    References
    ----------
    .. [1] Y. Kong, "Dominantly truthful multi-task peer prediction with a
       constant number of tasks", SODA 2020, 2398-2411.

    Examples
    --------
    >>> from mechanisms.elicitation import determinant_mutual_information
    >>> determinant_mutual_information([[0, 1, 0, 1], [0, 1, 1, 0]], n_signals=2)   # det I * det [[0,1],[1,0]]
    array([-1., -1.])
    >>> determinant_mutual_information([[0, 0, 0, 0], [0, 1, 1, 0]], n_signals=2)   # constant answers: 0
    array([0., 0.])
    """
    owner = "determinant_mutual_information"
    r0 = check_array(reports, "reports", owner, dtype="int")
    if n_signals is None:
        k = max(2, int(r0.max()) + 1) if r0.size else 2
    else:
        k = check_int(n_signals, "n_signals", owner, low=2)
    r = _task_reports(r0, owner, min_tasks=2 * k, n_signals=k)
    n, t = r.shape[-2], r.shape[-1]
    half = t // 2
    onehot = (r[..., None] == np.arange(k)).astype(np.int64)  # (..., n, T, k)
    m1 = np.einsum("...itb,...jtc->...ijbc", onehot[..., :half, :], onehot[..., :half, :])
    m2 = np.einsum("...itb,...jtc->...ijbc", onehot[..., half:, :], onehot[..., half:, :])
    pay = _exact_det(m1).astype(float) * _exact_det(m2).astype(float)
    return _off_diagonal_mean(pay)


# --------------------------------------------------------------------------- mechanism objects

@dataclasses.dataclass(frozen=True)
class _Menu:
    """The finite report space the verifier searches: ``n_reports`` items, the truthful one per signal."""

    n_reports: int
    truthful: np.ndarray  # (k,) menu index of the truthful report for each signal
    labels: tuple[str, ...]


def _report_distribution(joint: np.ndarray, strategies: np.ndarray) -> np.ndarray:
    """``Q[b, r_1..r_n] = sum_s P(s) prod_j strategies[b, j, s_j, r_j]`` flattened row-major -> (B, m**n)."""
    b, n, k, m = strategies.shape
    t = np.broadcast_to(joint, (b,) + joint.shape)
    for j in range(n):
        t = np.moveaxis(t, 1, -1)
        sig = strategies[:, j].reshape((b,) + (1,) * (n - 2) + (k, m))
        t = t @ sig
    return t.reshape(b, -1)


def _pair_report_joint(model: SignalModel, strategies: np.ndarray):
    """Per ordered pair: report joint ``U_ij = s_i^T J_ij s_j`` (B, n, n, m, m) and marginals (B, n, m)."""
    n = model.n_agents
    b, _, k, m = strategies.shape
    u = np.zeros((b, n, n, m, m))
    for i, j in itertools.permutations(range(n), 2):
        u[:, i, j] = np.swapaxes(strategies[:, i], 1, 2) @ model.pair_joint(i, j) @ strategies[:, j]
    marg = np.stack([model.marginal(i) @ strategies[:, i] for i in range(n)], axis=1)
    return u, marg


class PeerPredictionMechanism:
    """Base of the mechanism objects analysed by :func:`~mechanisms.elicitation.verify_equilibrium`.

    Subclasses state ``name``, ``references``, whether they are ``multi_task``
    and whether an agent's expected payment is ``linear`` in its own
    (mixed) strategy, and implement ``_menu(model)`` and
    ``_expected_fn(model)``: a function from strategy profiles
    ``(B, n_agents, k, n_reports)`` (row-stochastic, or sub-stochastic for
    linear mechanisms) to expected payments ``(B, n_agents)``.
    """

    name = "mechanism"
    references: tuple[str, ...] = ()
    multi_task = False
    linear = True

    def _menu(self, model: SignalModel) -> _Menu:
        k = model.n_signals
        return _Menu(k, np.arange(k), tuple(str(s) for s in range(k)))

    # single-task default: exact expectation by enumeration of report profiles
    def _menu_payments(self, model: SignalModel, profiles: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _expected_fn(self, model: SignalModel):
        menu = self._menu(model)
        n, m = model.n_agents, menu.n_reports
        profiles = np.indices((m,) * n).reshape(n, -1).T
        table = np.asarray(self._menu_payments(model, profiles), dtype=float)  # (m**n, n)
        finite = np.where(np.isfinite(table), table, 0.0)
        neg = (table == -np.inf).astype(float)
        chunk = max(1, 2**22 // max(1, m**n))

        def expected(strategies: np.ndarray) -> np.ndarray:
            out = np.empty((strategies.shape[0], n))
            for lo in range(0, strategies.shape[0], chunk):
                q = _report_distribution(model.joint, strategies[lo:lo + chunk])
                e = q @ finite
                e[(q > 0).astype(float) @ neg > 0] = -np.inf
                out[lo:lo + chunk] = e
            return out

        return expected

    def __repr__(self) -> str:
        fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self)) \
            if dataclasses.is_dataclass(self) else ""
        return f"{type(self).__name__}({fields})"


@dataclasses.dataclass(frozen=True, repr=False)
class OutputAgreement(PeerPredictionMechanism):
    """Output agreement as a mechanism object (see :func:`output_agreement`)."""

    name = "output agreement"
    references = ("L. von Ahn and L. Dabbish, 'Labeling images with a computer game', CHI 2004",)

    def payments(self, reports):
        return output_agreement(reports)

    def _menu_payments(self, model, profiles):
        return output_agreement(profiles)


@dataclasses.dataclass(frozen=True, repr=False)
class PeerPrediction(PeerPredictionMechanism):
    """Miller-Resnick-Zeckhauser peer prediction (see :func:`peer_prediction`); the prior is given at use."""

    rule: ScoringRule = LOGARITHMIC
    name = "MRZ peer prediction"
    references = ("N. Miller, P. Resnick and R. Zeckhauser, Management Science 51(9), 2005",)

    def payments(self, reports, model):
        return peer_prediction(reports, model, rule=self.rule)

    def _menu_payments(self, model, profiles):
        return peer_prediction(profiles, model, rule=self.rule)


def _agent_predictions(model: SignalModel) -> np.ndarray:
    """``pred[i, t]``: agent i's posterior over a random peer's signal after seeing t -> (n, k, k)."""
    n = model.n_agents
    return np.stack([np.mean([model.posterior(i, j) for j in range(n) if j != i], axis=0) for i in range(n)])


@dataclasses.dataclass(frozen=True, repr=False)
class BayesianTruthSerum(PeerPredictionMechanism):
    """Prelec's BTS (see :func:`bayesian_truth_serum`).

    The verifier's report menu: every pair (endorsed signal ``r``, prediction
    = the posterior of a signal ``t``); truthful is ``(s, posterior(s))``.
    """

    alpha: float = 1.0
    name = "Bayesian truth serum"
    references = ("D. Prelec, 'A Bayesian truth serum for subjective data', Science 306, 2004",)

    def __post_init__(self):
        check_real(self.alpha, "alpha", type(self).__name__, low=0.0, low_open=True)

    def payments(self, signals, predictions):
        return bayesian_truth_serum(signals, predictions, alpha=self.alpha)

    def _menu(self, model):
        k = model.n_signals
        labels = tuple(f"({r}, as if {t})" for r in range(k) for t in range(k))
        return _Menu(k * k, np.arange(k) * (k + 1), labels)

    def _menu_payments(self, model, profiles):
        k, n = model.n_signals, model.n_agents
        pred = _agent_predictions(model)  # (n, k, k)
        if np.any(pred <= 0):
            fail("model", "verify_equilibrium", "a prior whose posteriors give every signal positive probability",
                 model, show_got=False, hint="BTS scores log predictions; a zero prediction scores -inf.")
        signals, as_if = profiles // k, profiles % k
        predictions = pred[np.arange(n), as_if]  # (P, n, k)
        return bayesian_truth_serum(signals, predictions, alpha=self.alpha)


@dataclasses.dataclass(frozen=True, repr=False)
class RobustBayesianTruthSerum(PeerPredictionMechanism):
    """Witkowski-Parkes RBTS (see :func:`robust_bayesian_truth_serum`); binary signals, ``n >= 3``."""

    rule: ScoringRule | None = None
    peers: str = "cyclic"
    name = "robust Bayesian truth serum"
    references = ("J. Witkowski and D. C. Parkes, 'A robust Bayesian truth serum for small populations', AAAI 2012",)

    def __post_init__(self):
        check_option(self.peers, "peers", type(self).__name__, ("cyclic", "all"))

    def payments(self, signals, predictions):
        return robust_bayesian_truth_serum(signals, predictions, rule=self.rule, peers=self.peers)

    def _menu(self, model):
        if model.n_signals != 2 or model.n_agents < 3:
            fail("model", "verify_equilibrium", "a model with binary signals and at least 3 agents for RBTS", model)
        labels = tuple(f"({r}, as if {t})" for r in range(2) for t in range(2))
        return _Menu(4, np.array([0, 3]), labels)

    def _menu_payments(self, model, profiles):
        n = model.n_agents
        pred = _agent_predictions(model)[:, :, 1]  # (n, 2): P(peer = 1 | t)
        signals, as_if = profiles // 2, profiles % 2
        return robust_bayesian_truth_serum(signals, pred[np.arange(n), as_if], rule=self.rule, peers=self.peers)


class _AgreementExpectation:
    """Exact expected bonus-minus-penalty payment of CA-type mechanisms (linear in the i.i.d. tasks)."""

    multi_task = True

    def _expected_fn(self, model):
        score = self._scores(model)

        def expected(strategies):
            u, marg = _pair_report_joint(model, strategies)
            outer = marg[:, :, None, :, None] * marg[:, None, :, None, :]
            return _off_diagonal_mean(np.einsum("bijxy,ijxy->bij", u - outer, score))

        return expected


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class CorrelatedAgreement(_AgreementExpectation, PeerPredictionMechanism):
    """Correlated agreement (see :func:`correlated_agreement`).

    With ``score_matrix=None`` the mechanism uses the model's own ``Delta``
    signs (the center knows the correlation structure).  The verifier's
    expected payments are exact for any number of tasks >= 3 (linearity over
    the i.i.d. tasks).
    """

    score_matrix: np.ndarray | None = None
    name = "correlated agreement"
    references = ("V. Shnayder, A. Agarwal, R. Frongillo and D. C. Parkes, 'Informed truthfulness in "
                  "multi-task peer prediction', EC 2016",)

    def __post_init__(self):
        if self.score_matrix is not None:
            s = check_array(self.score_matrix, "score_matrix", type(self).__name__, ndim=2)
            object.__setattr__(self, "score_matrix", s)

    def payments(self, reports, *, model=None, per_task=False):
        if self.score_matrix is not None:
            return correlated_agreement(reports, score_matrix=self.score_matrix, per_task=per_task)
        return correlated_agreement(reports, model=model, per_task=per_task)

    def _scores(self, model):
        if self.score_matrix is None:
            return _ca_score_from_model(model)
        s = self.score_matrix
        if s.shape != (model.n_signals,) * 2:
            fail("score_matrix", type(self).__name__, f"of shape ({model.n_signals}, {model.n_signals})", s)
        return np.broadcast_to(s, (model.n_agents, model.n_agents) + s.shape)


@dataclasses.dataclass(frozen=True, repr=False)
class DasguptaGhosh(_AgreementExpectation, PeerPredictionMechanism):
    """Dasgupta-Ghosh (see :func:`dasgupta_ghosh`): correlated agreement with the identity score matrix."""

    name = "Dasgupta-Ghosh"
    references = ("A. Dasgupta and A. Ghosh, 'Crowdsourced judgement elicitation with endogenous "
                  "proficiency', WWW 2013",)

    def payments(self, reports, *, per_task=False):
        return dasgupta_ghosh(reports, per_task=per_task)

    def _scores(self, model):
        k = model.n_signals
        return np.broadcast_to(np.eye(k), (model.n_agents, model.n_agents, k, k))


@dataclasses.dataclass(frozen=True, repr=False)
class DeterminantMutualInformation(PeerPredictionMechanism):
    """Kong's DMI-Mechanism (see :func:`determinant_mutual_information`).

    ``n_tasks`` (>= 2k; default 2k) sets the payment scale in the verifier:
    the expected payment is ``c(T1) c(T2) det(U)^2`` per peer, ``U`` the joint
    distribution of the two agents' reports and ``c(T) = T! / (T - k)!``
    (Cauchy-Binet over i.i.d. tasks).
    """

    n_tasks: int | None = None
    name = "DMI-Mechanism"
    references = ("Y. Kong, 'Dominantly truthful multi-task peer prediction with a constant number of tasks', "
                  "SODA 2020",)
    multi_task = True
    linear = False

    def __post_init__(self):
        if self.n_tasks is not None:
            check_int(self.n_tasks, "n_tasks", type(self).__name__, low=4)

    def payments(self, reports, *, n_signals=None):
        return determinant_mutual_information(reports, n_signals=n_signals)

    def _expected_fn(self, model):
        k = model.n_signals
        t = 2 * k if self.n_tasks is None else self.n_tasks
        if t < 2 * k:
            fail("n_tasks", type(self).__name__, f"at least 2 k = {2 * k} for {k} signals", t)
        half = t // 2
        factor = math.perm(half, k) * math.perm(t - half, k)

        def expected(strategies):
            u, _ = _pair_report_joint(model, strategies)
            return _off_diagonal_mean(factor * np.linalg.det(u) ** 2)

        return expected
