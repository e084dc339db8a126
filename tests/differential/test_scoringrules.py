"""Differential tests against scoringrules (a test-only peer library).

Conventions normalized here:

* orientation: scoringrules returns losses (lower is better); our scores are
  positively oriented, so we compare ``orientation="loss"`` (or ``-score``);
* argument order: scoringrules takes ``(obs, fct)``, we take ``(report, outcome)``.

Known differences (by design):

* ``brier_score`` in scoringrules is the one-dimensional ``(r - y)^2``; our
  binary quadratic loss is the two-outcome Brier ``||p - e_y||^2 = 2 (r - y)^2``
  (the binary case of the multiclass rule).  Our binary ranked probability
  loss is exactly ``(r - y)^2``.
* ``rps_score`` takes one-hot or category observations; we take category
  indices (0-based).  Both are unnormalized sums over the ``K`` cumulative
  terms (the last term is always 0).
* ``log_score`` exists only for binary forecasts in scoringrules; the
  multiclass log score is checked against its closed form in the unit tests.
* ``crps_ensemble``: scoringrules' default ``"qd"`` estimator (and ``"nrg"``,
  ``"int"``) equals our ``"ecdf"``; its ``"fair"`` and ``"pwm"`` (probability
  weighted moments, also unbiased) equal our ``"fair"``.
* ``crps_normal``: the formula in scoringrules' docstring reads
  ``w [Phi(w) - 1]`` where its code (and the literature) has ``w [2 Phi(w) - 1]``;
  we agree with the code.
"""

import sys

import numpy as np
import pytest


def _import_scoringrules():
    """Import scoringrules on its numpy backend.

    With numba installed, scoringrules compiles its numba kernels eagerly at
    import (about 15 s); hiding numba during the import selects the numpy
    backend, which is what we compare against anyway (``backend="numpy"``).
    """
    if "scoringrules" in sys.modules or "numba" in sys.modules:
        return pytest.importorskip("scoringrules")
    sys.modules["numba"] = None  # makes "import numba" raise ImportError
    try:
        return pytest.importorskip("scoringrules")
    finally:
        del sys.modules["numba"]


sr = _import_scoringrules()

from mechanisms.elicitation import (  # noqa: E402
    crps_ensemble,
    crps_gaussian,
    log_score,
    pinball_score,
    quadratic_score,
    ranked_probability_score,
)

RNG = np.random.default_rng(20240601)


@pytest.mark.parametrize("estimator", ["qd", "nrg", "int"])
def test_crps_ensemble_ecdf_estimators(estimator):
    obs = RNG.normal(size=50)
    ens = RNG.normal(size=(50, 9)) * 2
    theirs = sr.crps_ensemble(obs, ens, estimator=estimator, backend="numpy")
    np.testing.assert_allclose(crps_ensemble(ens, obs, orientation="loss"), theirs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(crps_ensemble(ens, obs), -theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("estimator", ["fair", "pwm"])
def test_crps_ensemble_fair_estimator(estimator):
    obs = RNG.normal(size=30)
    ens = RNG.normal(size=(30, 5))
    theirs = sr.crps_ensemble(obs, ens, estimator=estimator, backend="numpy")
    np.testing.assert_allclose(crps_ensemble(ens, obs, estimator="fair", orientation="loss"), theirs, rtol=1e-10)


def test_crps_ensemble_member_axis():
    obs = RNG.normal(size=7)
    ens = RNG.normal(size=(11, 7))
    theirs = sr.crps_ensemble(obs, ens, m_axis=0, backend="numpy")
    np.testing.assert_allclose(crps_ensemble(ens, obs, axis=0, orientation="loss"), theirs, rtol=1e-10)


def test_crps_gaussian():
    obs = RNG.normal(size=40) * 3
    mu = RNG.normal(size=40)
    sigma = RNG.uniform(0.1, 4.0, size=40)
    theirs = sr.crps_normal(obs, mu, sigma, backend="numpy")
    np.testing.assert_allclose(crps_gaussian(mu, sigma, obs, orientation="loss"), theirs, rtol=1e-10)


def test_binary_brier_differs_by_the_documented_factor_two():
    fct = RNG.uniform(size=25)
    obs = RNG.integers(0, 2, size=25)
    theirs = sr.brier_score(obs, fct, backend="numpy")
    np.testing.assert_allclose(quadratic_score(fct, obs, binary=True, orientation="loss"), 2 * theirs, rtol=1e-12)
    np.testing.assert_allclose(ranked_probability_score(fct, obs, binary=True, orientation="loss"), theirs,
                               rtol=1e-12)


def test_binary_log_score():
    fct = RNG.uniform(0.01, 0.99, size=25)
    obs = RNG.integers(0, 2, size=25)
    theirs = sr.log_score(obs, fct, backend="numpy")
    np.testing.assert_allclose(log_score(fct, obs, binary=True, orientation="loss"), theirs, rtol=1e-12)


@pytest.mark.parametrize("k", [2, 3, 6])
def test_ranked_probability_score(k):
    fct = RNG.dirichlet(np.ones(k), size=20)
    obs = RNG.integers(0, k, size=20)
    onehot = np.eye(k)[obs]
    theirs = sr.rps_score(onehot, fct, onehot=True, backend="numpy")
    np.testing.assert_allclose(ranked_probability_score(fct, obs, orientation="loss"), theirs, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("level", [0.05, 0.5, 0.9])
def test_quantile_score(level):
    obs = RNG.normal(size=30)
    fct = RNG.normal(size=30)
    theirs = sr.quantile_score(obs, fct, level, backend="numpy")
    np.testing.assert_allclose(pinball_score(fct, obs, level=level, orientation="loss"), theirs, rtol=1e-12)
