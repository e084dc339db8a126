"""Observation channels for incomplete contracts: hand-written matrices and Blackwell garblings."""

from __future__ import annotations

import numpy as np
import pytest

from mechanisms.contracts.incomplete import (
    blackwell_garbling,
    coarsening,
    garble,
    joint_channel,
    noisy_channel,
    non_contractible,
    uninformative_channel,
)
from solvers.errors import ValidationError


def test_coarsening_both_spellings():
    expected = np.array([[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float)
    np.testing.assert_array_equal(coarsening([[1], [0, 2], [3]]), expected)
    np.testing.assert_array_equal(coarsening([1, 0, 1, 2]), expected)
    np.testing.assert_array_equal(coarsening(np.array([1, 0, 1, 2]), 4), expected)
    np.testing.assert_array_equal(coarsening([[0], [1], [2]]), np.eye(3))
    assert not coarsening([0, 1]).flags.writeable


def test_non_contractible_merges_into_last_signal():
    expected = np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]], float)
    np.testing.assert_array_equal(non_contractible(4, [1, 3]), expected)
    np.testing.assert_array_equal(non_contractible(2, [0, 1]), np.ones((2, 1)))


def test_noisy_and_uninformative_channels():
    np.testing.assert_allclose(noisy_channel(3, 0.3), [[0.7, 0.15, 0.15], [0.15, 0.7, 0.15], [0.15, 0.15, 0.7]])
    np.testing.assert_array_equal(noisy_channel(3, 0.0), np.eye(3))
    # flip probability (n-1)/n makes every row uniform: uninformative
    np.testing.assert_allclose(noisy_channel(4, 0.75), np.full((4, 4), 0.25))
    np.testing.assert_array_equal(uninformative_channel(3), np.ones((3, 1)))


def test_garble_and_joint_channel():
    obs = np.array([[0.8, 0.2], [0.3, 0.7]])
    G = np.array([[0.9, 0.1], [0.4, 0.6]])
    np.testing.assert_allclose(garble(obs, G), [[0.8 * 0.9 + 0.2 * 0.4, 0.8 * 0.1 + 0.2 * 0.6],
                                                [0.3 * 0.9 + 0.7 * 0.4, 0.3 * 0.1 + 0.7 * 0.6]])
    other = np.array([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]])
    joint = joint_channel(obs, other)
    assert joint.shape == (2, 6)
    # column s1 * 3 + s2 holds obs[o, s1] * other[o, s2]; marginals recover both channels
    assert joint[1, 1 * 3 + 2] == pytest.approx(0.7 * 0.8)
    np.testing.assert_allclose(joint.reshape(2, 2, 3).sum(axis=2), obs)
    np.testing.assert_allclose(joint.reshape(2, 2, 3).sum(axis=1), other)


def test_blackwell_garbling():
    fine = noisy_channel(2, 0.1)
    coarse = noisy_channel(2, 0.3)
    G = blackwell_garbling(fine, coarse)
    assert G is not None
    np.testing.assert_allclose(fine @ G, coarse, atol=1e-8)
    np.testing.assert_allclose(G.sum(axis=1), 1.0)
    assert np.all(G >= 0)
    # a binary symmetric channel with flip 0.1 is not a garbling of one with flip 0.3
    assert blackwell_garbling(coarse, fine) is None
    # everything is a garbling of the identity; nothing informative is a garbling of no information
    assert blackwell_garbling(np.eye(3), non_contractible(3, [0, 1])) is not None
    assert blackwell_garbling(uninformative_channel(3), coarsening([0, 0, 1])) is None
    rng = np.random.default_rng(0)
    obs = rng.dirichlet(np.ones(3), size=4)
    H = rng.dirichlet(np.ones(2), size=3)
    assert blackwell_garbling(obs, garble(obs, H)) is not None


def test_validation_messages():
    with pytest.raises(ValidationError, match="'partition' parameter of coarsening must be nonempty cells"):
        coarsening([[0, 1], [1, 2]])
    with pytest.raises(ValidationError, match="'partition' parameter of coarsening must be signal labels"):
        coarsening([0, 2, 2])
    with pytest.raises(ValidationError, match="'partition' parameter of coarsening must be a partition of 3"):
        coarsening([0, 1], 3)
    with pytest.raises(ValidationError, match="'outcomes' parameter of non_contractible must be distinct"):
        non_contractible(3, [0, 3])
    with pytest.raises(ValidationError, match="'flip_prob' parameter of noisy_channel"):
        noisy_channel(2, 1.5)
    with pytest.raises(ValidationError, match="'garbling' parameter of garble must be a row-stochastic array with one"):
        garble(np.eye(2), np.eye(3))
    with pytest.raises(ValidationError, match="'garbling' parameter of garble must be probabilities"):
        garble(np.eye(2), [[0.5, 0.6], [0.5, 0.5]])
    with pytest.raises(ValidationError, match="'second' parameter of joint_channel must be a channel with one row"):
        joint_channel(np.eye(2), np.eye(3))
    with pytest.raises(ValidationError, match="'coarse' parameter of blackwell_garbling"):
        blackwell_garbling(np.eye(2), np.ones((3, 1)))
