"""Scores for real-valued outcomes: CRPS (ensembles, Gaussians) and the pinball (quantile) score.

Like every score in :mod:`mechanisms.elicitation` these are **positively
oriented** (higher is better): ``crps_*`` return ``-CRPS`` and
``pinball_score`` returns ``-pinball loss``.  Pass ``orientation="loss"`` for the
literature's losses (what ``scoringrules`` returns): the CRPS and the quantile
loss, both zero for a perfect point forecast.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from solvers.validation import check_array, check_option, fail

__all__ = ["crps_ensemble", "crps_gaussian", "pinball_score"]

_ORIENTATIONS = ("score", "loss")
_INV_SQRT_PI = 1.0 / np.sqrt(np.pi)


def _finish(loss: np.ndarray, orientation: str):
    out = loss if orientation == "loss" else -loss
    return out[()] if out.ndim == 0 else out


def _broadcast(owner: str, name: str, value: np.ndarray, shape: tuple) -> np.ndarray:
    try:
        np.broadcast_shapes(value.shape, shape)
    except ValueError:
        fail(name, owner, f"broadcastable to shape {shape}", value)
    return value


def crps_ensemble(ensemble, observation, *, axis: int = -1, estimator: str = "ecdf", orientation: str = "score"):
    """Continuous ranked probability score of an ensemble forecast, negated (higher is better).

    ``CRPS(F, y) = E|X - y| - E|X - X'| / 2`` for the ensemble's empirical
    distribution ``F`` (``estimator="ecdf"``, the energy form, equal to
    scoringrules' ``"nrg"``, ``"pwm"``, ``"qd"`` and ``"int"`` estimators), or the
    unbiased ``"fair"`` estimator that divides the spread term by ``m (m - 1)``
    instead of ``m**2``.  Computed in ``O(m log m)`` per forecast by sorting.

    Parameters
    ----------
    ensemble : array_like, shape (..., m, ...)
        Ensemble members along ``axis``.
    observation : array_like
        Realized values, broadcast against the ensemble's other axes.
    axis : int
        The ensemble axis.
    estimator : {"ecdf", "fair"}
    orientation : {"score", "loss"}
        ``"loss"`` returns the CRPS itself (scoringrules' sign).

    References
    ----------
    .. [1] J. E. Matheson and R. L. Winkler, "Scoring rules for continuous
       probability distributions", Management Science 22(10), 1087-1096, 1976.
    .. [2] T. Gneiting and A. E. Raftery, JASA 102(477), 359-378, 2007, eq. (21)-(22).
    .. [3] C. A. T. Ferro, "Fair scores for ensemble forecasts", QJRMS 140, 1917-1923, 2014.

    Examples
    --------
    >>> from mechanisms.elicitation import crps_ensemble
    >>> float(crps_ensemble([0.0, 1.0], 0.0, orientation="loss"))   # 1/2 - 1/4
    0.25
    """
    owner = "crps_ensemble"
    check_option(estimator, "estimator", owner, ("ecdf", "fair"))
    check_option(orientation, "orientation", owner, _ORIENTATIONS)
    x = check_array(ensemble, "ensemble", owner, min_size=1)
    if x.ndim == 0:
        fail("ensemble", owner, "an array with an ensemble axis", x)
    if not -x.ndim <= axis < x.ndim or isinstance(axis, bool):
        fail("axis", owner, f"an int in [{-x.ndim}, {x.ndim - 1}]", axis)
    x = np.moveaxis(x, axis, -1)
    m = x.shape[-1]
    if estimator == "fair" and m < 2:
        fail("ensemble", owner, "an ensemble of at least 2 members for estimator='fair'", x)
    y = _broadcast(owner, "observation", check_array(observation, "observation", owner), x.shape[:-1])
    xs = np.sort(x, axis=-1)
    skill = np.mean(np.abs(xs - np.asarray(y)[..., None]), axis=-1)
    weights = 2.0 * np.arange(1, m + 1) - m - 1.0  # sum_{i,j} |x_i - x_j| = 2 sum_i (2i - m - 1) x_(i)
    pair_sum = 2.0 * (xs @ weights)
    spread = pair_sum / (2.0 * m * m) if estimator == "ecdf" else pair_sum / (2.0 * m * (m - 1))
    return _finish(skill - spread, orientation)


def crps_gaussian(mean, std, observation, *, orientation: str = "score"):
    """Closed-form CRPS of a normal forecast ``N(mean, std**2)``, negated (higher is better).

    ``CRPS = std * (z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi))`` with
    ``z = (y - mean) / std``.  Arguments broadcast.

    References
    ----------
    .. [1] T. Gneiting, A. E. Raftery, A. H. Westveld and T. Goldman,
       "Calibrated probabilistic forecasting using ensemble model output
       statistics and minimum CRPS estimation", MWR 133, 1098-1118, 2005.

    Examples
    --------
    >>> from mechanisms.elicitation import crps_gaussian
    >>> round(float(crps_gaussian(0.0, 1.0, 0.0, orientation="loss")), 6)   # (sqrt 2 - 1) / sqrt(pi)
    0.233695
    """
    owner = "crps_gaussian"
    check_option(orientation, "orientation", owner, _ORIENTATIONS)
    mu = check_array(mean, "mean", owner)
    sigma = check_array(std, "std", owner)
    if sigma.size and np.any(sigma <= 0):
        fail("std", owner, "positive (a normal forecast needs std > 0)", sigma)
    y = check_array(observation, "observation", owner)
    try:
        np.broadcast_shapes(mu.shape, sigma.shape, y.shape)
    except ValueError:
        fail("observation", owner, f"broadcastable with mean {mu.shape} and std {sigma.shape}", y)
    z = (y - mu) / sigma
    pdf = np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
    loss = sigma * (z * (2.0 * ndtr(z) - 1.0) + 2.0 * pdf - _INV_SQRT_PI)
    return _finish(np.asarray(loss, dtype=float), orientation)


def pinball_score(quantile, observation, *, level, orientation: str = "score"):
    """Pinball (quantile) score of a reported ``level``-quantile, negated (higher is better).

    Loss ``(1{y < q} - level) (q - y)``: ``level * (y - q)`` when the
    observation lies above the report, ``(1 - level) * (q - y)`` otherwise.  Its
    expectation is minimized by any ``level``-quantile of the belief, so it is
    proper for quantiles.  ``level`` may be an array (several quantiles at once).

    References
    ----------
    .. [1] R. Koenker and G. Bassett, "Regression quantiles", Econometrica
       46(1), 33-50, 1978.
    .. [2] T. Gneiting and A. E. Raftery, JASA 102(477), 2007, Section 9.

    Examples
    --------
    >>> from mechanisms.elicitation import pinball_score
    >>> float(pinball_score(0.5, 0.3, level=0.2, orientation="loss"))   # (1 - 0.2) * 0.2
    0.16
    """
    owner = "pinball_score"
    check_option(orientation, "orientation", owner, _ORIENTATIONS)
    q = check_array(quantile, "quantile", owner)
    y = check_array(observation, "observation", owner)
    tau = check_array(level, "level", owner)
    if tau.size and (np.any(tau <= 0) or np.any(tau >= 1)):
        fail("level", owner, "quantile levels in (0, 1)", tau)
    try:
        np.broadcast_shapes(q.shape, y.shape, tau.shape)
    except ValueError:
        fail("observation", owner, f"broadcastable with quantile {q.shape} and level {tau.shape}", y)
    loss = ((y < q).astype(float) - tau) * (q - y)
    return _finish(np.asarray(loss, dtype=float), orientation)
