"""Every bad argument to the LP/MILP API raises ValidationError naming the argument and the fix."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from solvers import ValidationError
from solvers.lp import LinearProgram, solve_lp


def _lp():
    lp = LinearProgram(2)
    lp.add_constraints("capacity", [[1, 1]], upper=[4])
    return lp


@pytest.mark.parametrize("kwargs, pattern", [
    (dict(n_variables=0), r"The 'n_variables' parameter of LinearProgram must be an int in \[1, inf\]\. Got 0"),
    (dict(n_variables=2.0), r"'n_variables' parameter of LinearProgram must be an int .* Got 2\.0 instead"),
    (dict(n_variables=2, lb=[0, np.nan]), r"'lb' parameter of LinearProgram must be free of NaN"),
    (dict(n_variables=2, lb=[0, 0, 0]), r"'lb' parameter of LinearProgram must be a scalar or a vector of length 2"),
    (dict(n_variables=2, lb=np.inf), r"'lb' parameter of LinearProgram must be free of \+inf"),
    (dict(n_variables=2, ub=[1, -np.inf]), r"'ub' parameter of LinearProgram must be free of -inf"),
    (dict(n_variables=2, ub="big"), r"'ub' parameter of LinearProgram must be an array of real numbers"),
    (dict(n_variables=2, integrality=[1, 2]), r"'integrality' parameter of LinearProgram must be an array of "
                                              r"booleans \(or 0/1\)"),
    (dict(n_variables=2, integrality=[True]), r"'integrality' parameter of LinearProgram must be an array of "
                                              r"shape \(2\)"),
])
def test_constructor_arguments(kwargs, pattern):
    n = kwargs.pop("n_variables")
    with pytest.raises(ValidationError, match=pattern):
        LinearProgram(n, **kwargs)


@pytest.mark.parametrize("args, kwargs, pattern", [
    (("capacity", [[1, 1]]), dict(upper=[1]), r"'name' parameter of LinearProgram\.add_constraints must be a new, "
                                              r"nonempty family name other than 'bounds'\. Got 'capacity'"),
    (("bounds", [[1, 1]]), dict(upper=[1]), r"'name' parameter .* Got 'bounds' instead"),
    (("", [[1, 1]]), dict(upper=[1]), r"'name' parameter .* Got '' instead"),
    (("more", [[1, 1, 1]]), dict(upper=[1]), r"'A' parameter of LinearProgram\.add_constraints must be a matrix "
                                             r"with 2 columns \(one per variable\)"),
    (("more", sp.csr_array(np.ones((1, 3)))), dict(upper=[1]), r"'A' parameter .* must be a matrix with 2 columns"),
    (("more", [[1, np.nan]]), dict(upper=[1]), r"'A' parameter .* must be finite \(no NaN or infinity\)"),
    (("more", sp.csr_array(np.array([[1.0, np.inf]]))), dict(upper=[1]), r"'A' parameter .* must be finite"),
    (("more", [[1, 1], [1]]), dict(upper=[1]), r"'A' parameter .* could not be converted to an array"),
    (("more", [[1, 1]]), dict(), r"'upper' parameter of LinearProgram\.add_constraints must be given \(or 'lower' "
                                 r"given\)\.$"),
    (("more", [[1, 1]]), dict(upper=[1, 2]), r"'upper' parameter .* must be a scalar or a vector of length 1"),
    (("more", [[1, 1]]), dict(lower=[np.inf]), r"'lower' parameter .* must be free of \+inf"),
])
def test_add_constraints_arguments(args, kwargs, pattern):
    with pytest.raises(ValidationError, match=pattern):
        _lp().add_constraints(*args, **kwargs)


def test_set_bounds_arguments():
    with pytest.raises(ValidationError, match=r"'name' parameter of LinearProgram\.set_bounds must be an existing "
                                              r"family: 'capacity'\. Got 'capacty' instead"):
        _lp().set_bounds("capacty", upper=[3])
    with pytest.raises(ValidationError, match=r"'upper' parameter of LinearProgram\.set_bounds must be free of NaN"):
        _lp().set_bounds("capacity", upper=[np.nan])
    with pytest.raises(ValidationError, match=r"'lb' parameter of LinearProgram\.set_variable_bounds must be a "
                                              r"scalar or a vector of length 2"):
        _lp().set_variable_bounds(lb=[0, 0, 0])


@pytest.mark.parametrize("c, kwargs, pattern", [
    ([1, 2, 3], {}, r"The 'c' parameter of LinearProgram\.solve must be an array of shape \(2\)\. Got an array of "
                    r"shape \(3,\)"),
    ([1, np.nan], {}, r"'c' parameter of LinearProgram\.solve must be finite"),
    ([1, 2], dict(maximize="yes"), r"'maximize' parameter of LinearProgram\.solve must be a bool\. Got 'yes'"),
    ([1, 2], dict(atol=0.0), r"'atol' parameter of LinearProgram\.solve must be a finite real number in "
                             r"\(0\.0, inf\]\. Got 0\.0"),
    ([1, 2], dict(time_limit=-1), r"'time_limit' parameter of LinearProgram\.solve must be a finite real number"),
    ([1, 2], dict(options=[("presolve", "off")]), r"'options' parameter of LinearProgram\.solve must be None or a "
                                                  r"mapping from option names \(str\) to values"),
    ([1, 2], dict(options={1: 2}), r"'options' parameter .* mapping from option names"),
])
def test_solve_arguments(c, kwargs, pattern):
    with pytest.raises(ValidationError, match=pattern):
        _lp().solve(c, **kwargs)


@pytest.mark.parametrize("c, kwargs, pattern", [
    ([[1.0]], {}, r"The 'c' parameter of solve_lp must be a 1-dimensional array"),
    ([], {}, r"'c' parameter of solve_lp must be an array with at least 1 entries"),
    ([1.0], dict(bounds=[0, 1]), r"'bounds' parameter of solve_lp must be a pair \(lower, upper\)"),
    ([1.0, 1.0], dict(bounds=([0, 0, 0], None)), r"'bounds' parameter of solve_lp must be a scalar or a vector of "
                                                 r"length 2"),
    ([1.0], dict(A_ub=[[1.0]]), r"'b_ub' parameter of solve_lp must be given together with 'A_ub'"),
    ([1.0], dict(b_eq=[1.0]), r"'A_eq' parameter of solve_lp must be given together with 'b_eq'"),
    ([1.0], dict(integrality=[2]), r"'integrality' parameter of solve_lp must be an array of booleans"),
    ([1.0], dict(atol=-1.0), r"'atol' parameter of solve_lp must be"),
])
def test_solve_lp_arguments(c, kwargs, pattern):
    with pytest.raises(ValidationError, match=pattern):
        solve_lp(c, **kwargs)


def test_validation_errors_are_value_errors():
    with pytest.raises(ValueError):
        LinearProgram(-1)
