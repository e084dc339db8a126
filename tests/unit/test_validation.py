"""The validation helpers: one message shape, normalized return values, inputs left alone."""

from __future__ import annotations

import numpy as np
import pytest

from solvers import BackendUnavailableError, ValidationError
from solvers.validation import (
    check_array,
    check_bool,
    check_int,
    check_option,
    check_probabilities,
    check_real,
    check_rng,
    fail,
    require,
)


def test_fail_message_shape():
    with pytest.raises(ValidationError, match=r"^The 'n_winners' parameter of borda must be an int in \[1, 5\]\. "
                                              r"Got 7 instead\.$"):
        fail("n_winners", "borda", "an int in [1, 5]", 7)
    with pytest.raises(ValidationError, match=r"^The 'x' parameter of f must be given\. Use y\.$"):
        fail("x", "f", "given", None, show_got=False, hint="Use y.")
    with pytest.raises(ValidationError, match=r"Got an array of shape \(2, 3\) and dtype float64 instead"):
        fail("x", "f", "small", np.zeros((2, 3)))
    with pytest.raises(ValidationError, match=r"Got 'aaaa.*\.\.\. instead"):
        fail("x", "f", "short", "a" * 200)


def test_check_int():
    assert check_int(np.int64(3), "k", "f", low=1, high=5) == 3 and type(check_int(np.int64(3), "k", "f")) is int
    for bad in (True, 2.0, "2", None):
        with pytest.raises(ValidationError, match=r"^The 'k' parameter of f must be an int in \[-inf, inf\]\."):
            check_int(bad, "k", "f")
    with pytest.raises(ValidationError, match=r"must be an int in \[1, 5\]\. Got 6 instead\.$"):
        check_int(6, "k", "f", low=1, high=5)
    with pytest.raises(ValidationError, match=r"must be an int in \[1, inf\]\. Got 0 instead\.$"):
        check_int(0, "k", "f", low=1)


def test_check_real():
    assert check_real(1, "t", "f") == 1.0 and type(check_real(np.float32(0.5), "t", "f")) is float
    for bad in (np.nan, np.inf, True, "1", None):
        with pytest.raises(ValidationError, match=r"^The 't' parameter of f must be a finite real number in "
                                                  r"\[-inf, inf\]\."):
            check_real(bad, "t", "f")
    with pytest.raises(ValidationError, match=r"must be a finite real number in \(0, 1\]\. Got 0\.0 instead\.$"):
        check_real(0, "t", "f", low=0, high=1, low_open=True)
    with pytest.raises(ValidationError, match=r"in \[0, 1\)\. Got 1\.0 instead\.$"):
        check_real(1, "t", "f", low=0, high=1, high_open=True)
    assert check_real(0, "t", "f", low=0, high=1) == 0.0


def test_check_bool():
    assert check_bool(np.bool_(True), "flag", "f") is True
    for bad in (1, 0, "yes", None):
        with pytest.raises(ValidationError, match=r"^The 'flag' parameter of f must be a bool\."):
            check_bool(bad, "flag", "f")


def test_check_option():
    assert check_option("b", "kind", "f", ("a", "b")) == "b"
    with pytest.raises(ValidationError, match=r"^The 'kind' parameter of f must be one of 'a', 'b'\. Got 'c' "
                                              r"instead\.$"):
        check_option("c", "kind", "f", ("a", "b"))
    with pytest.raises(ValidationError, match=r"must be one of 'a', 'b'\. Got \[1\] instead"):
        check_option([1], "kind", "f", ("a", "b"))  # unhashable


def test_check_array_returns_a_read_only_view_and_leaves_the_input_alone():
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    out = check_array(data, "m", "f", ndim=2, shape=(2, None))
    assert not out.flags.writeable and data.flags.writeable
    np.testing.assert_array_equal(out, data)
    copied = check_array(data, "m", "f", copy=True)
    data[0, 0] = 9.0
    assert copied[0, 0] == 1.0
    assert check_array([1, 2], "m", "f").dtype == np.float64


@pytest.mark.parametrize("value, kwargs, pattern", [
    ([[1, 2], [3]], {}, r"must be an array of real numbers\. .*could not be converted to an array \(ragged rows\?\)"),
    (["a", "b"], {}, r"must be an array of real numbers\. Got"),
    ([1.0, 2.0], dict(ndim=2), r"must be a 2-dimensional array\. Got an array of shape \(2,\)"),
    ([1.0], dict(ndim=(0, 2)), r"must be a 0-dimensional or 2-dimensional array"),
    (np.zeros((2, 3)), dict(shape=(2, 2)), r"must be an array of shape \(2, 2\)\. Got an array of shape \(2, 3\)"),
    (np.zeros((2, 3)), dict(shape=(None, 2)), r"must be an array of shape \(any, 2\)"),
    ([], dict(min_size=1), r"must be an array with at least 1 entries"),
    ([1.0, np.nan], {}, r"must be finite \(no NaN or infinity\)"),
    ([1.0, -1.0], dict(nonnegative=True), r"must be nonnegative"),
    ([1.5], dict(dtype="int"), r"must be an array of integers"),
    ([2.0**60], dict(dtype="int"), r"must be an array of integers below 2\*\*53"),
    ([2], dict(dtype="bool"), r"must be an array of booleans \(or 0/1\)"),
])
def test_check_array_messages(value, kwargs, pattern):
    with pytest.raises(ValidationError, match=r"^The 'm' parameter of f " + pattern):
        check_array(value, "m", "f", **kwargs)


def test_check_array_dtypes():
    assert check_array([1.0, 2.0], "m", "f", dtype="int").dtype == np.int64
    assert check_array([0, 1], "m", "f", dtype="bool").tolist() == [False, True]
    assert check_array([np.inf], "m", "f", finite=False)[0] == np.inf


def test_check_probabilities():
    p = check_probabilities([[0.25, 0.75], [1.0, 0.0]], "p", "f")
    assert p.shape == (2, 2)
    with pytest.raises(ValidationError, match=r"^The 'p' parameter of f must be probabilities summing to 1 along "
                                              r"axis -1 \(within 1e-09\)\. .*largest deviation is 0\.1; normalize"):
        check_probabilities([0.5, 0.6], "p", "f")
    with pytest.raises(ValidationError, match=r"must be nonnegative"):
        check_probabilities([1.5, -0.5], "p", "f")


def test_check_rng():
    g = np.random.default_rng(0)
    assert check_rng(g) is g
    assert check_rng(7).random() == np.random.default_rng(7).random()
    assert isinstance(check_rng(None), np.random.Generator)
    assert check_rng(np.random.SeedSequence(3)).random() == np.random.default_rng(np.random.SeedSequence(3)).random()
    for bad in (-1, True, 1.5, "seed"):
        with pytest.raises(ValidationError, match=r"^The 'rng' parameter of sampler must be a "
                                                  r"numpy\.random\.Generator, a nonnegative int seed, or None\."):
            check_rng(bad, "sampler")


def test_require():
    assert require("math", "none", "arithmetic").sqrt(4.0) == 2.0
    with pytest.raises(BackendUnavailableError, match=r"^Plotting needs the optional package 'no_such_pkg_xyz'\. "
                                                      r"Install it with: pip install 'alignment-mechanisms\[plot\]'$"):
        require("no_such_pkg_xyz", "plot", "Plotting")
    assert issubclass(BackendUnavailableError, ImportError)
