"""CRPS and pinball scores against their integral definitions and brute force."""

import numpy as np
import pytest
from scipy import integrate, stats

from mechanisms import ValidationError
from mechanisms.elicitation import crps_ensemble, crps_gaussian, pinball_score


def _crps_integral(cdf, y, lo, hi, breaks=()):
    """CRPS as the integral of (F(x) - 1{y <= x})^2, by quadrature."""
    pts = sorted({y, *breaks})
    val, _ = integrate.quad(lambda x: (cdf(x) - (y <= x)) ** 2, lo, hi, points=pts, limit=500)
    return val


def test_crps_ensemble_equals_the_integral_of_the_empirical_cdf():
    rng = np.random.default_rng(0)
    x = rng.normal(size=7)
    for y in (-0.3, 0.0, 2.5):
        def ecdf(t):
            return np.mean(x <= t)
        expected = _crps_integral(ecdf, y, x.min() - 5, x.max() + 5, breaks=x)
        assert crps_ensemble(x, y, orientation="loss") == pytest.approx(expected, rel=1e-7)
        assert crps_ensemble(x, y) == pytest.approx(-expected, rel=1e-7)


def test_crps_ensemble_double_sum_forms():
    rng = np.random.default_rng(1)
    ens = rng.normal(size=(4, 6))
    obs = rng.normal(size=4)
    m = ens.shape[1]
    skill = np.abs(ens - obs[:, None]).mean(1)
    pairs = np.abs(ens[:, :, None] - ens[:, None, :]).sum((1, 2))
    np.testing.assert_allclose(crps_ensemble(ens, obs, orientation="loss"), skill - pairs / (2 * m * m))
    np.testing.assert_allclose(crps_ensemble(ens, obs, estimator="fair", orientation="loss"),
                               skill - pairs / (2 * m * (m - 1)))
    # ensemble on another axis
    np.testing.assert_allclose(crps_ensemble(ens.T, obs, axis=0), crps_ensemble(ens, obs))


def test_crps_gaussian_equals_the_integral():
    for mu, sigma, y in [(0.0, 1.0, 0.0), (1.0, 0.5, -0.2), (-2.0, 3.0, 4.0)]:
        expected = _crps_integral(stats.norm(mu, sigma).cdf, y, mu - 40 * sigma, mu + 40 * sigma)
        assert crps_gaussian(mu, sigma, y, orientation="loss") == pytest.approx(expected, rel=1e-7)


def test_large_ensemble_approaches_the_gaussian_crps():
    z = stats.norm.ppf((np.arange(4000) + 0.5) / 4000)  # quantiles of N(0, 1)
    assert crps_ensemble(z, 0.7) == pytest.approx(crps_gaussian(0.0, 1.0, 0.7), abs=1e-3)


def test_pinball_closed_form_and_quantile_minimizer():
    assert pinball_score(0.5, 0.3, level=0.2, orientation="loss") == pytest.approx(0.8 * 0.2)
    assert pinball_score(0.5, 0.9, level=0.2, orientation="loss") == pytest.approx(0.2 * 0.4)
    # expected loss under a discrete distribution is minimized at its quantile (brute force)
    values = np.array([0.0, 1.0, 2.0, 5.0])
    probs = np.array([0.1, 0.3, 0.4, 0.2])
    grid = np.linspace(-1, 6, 701)
    for tau, quantile in [(0.3, 1.0), (0.75, 2.0), (0.95, 5.0)]:
        expected = (pinball_score(grid[:, None], values, level=tau) * probs).sum(1)
        assert grid[np.argmax(expected)] == pytest.approx(quantile)


def test_pinball_several_levels_broadcast():
    out = pinball_score([[1.0], [2.0]], 1.5, level=[0.1, 0.5, 0.9])
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out[0], -np.array([0.1, 0.5, 0.9]) * 0.5)


def test_validation_messages():
    with pytest.raises(ValidationError, match="'std' parameter of crps_gaussian must be positive"):
        crps_gaussian(0.0, 0.0, 1.0)
    with pytest.raises(ValidationError, match=r"'level' parameter of pinball_score must be quantile levels in \(0, 1\)"):
        pinball_score(0.0, 1.0, level=1.0)
    with pytest.raises(ValidationError, match="at least 2 members for estimator='fair'"):
        crps_ensemble([1.0], 0.0, estimator="fair")
    with pytest.raises(ValidationError, match="'observation' parameter of crps_ensemble must be broadcastable"):
        crps_ensemble(np.zeros((3, 4)), np.zeros(2))
    with pytest.raises(ValidationError, match="finite"):
        crps_ensemble([0.0, np.nan], 0.0)
