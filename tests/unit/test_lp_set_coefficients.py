"""LinearProgram.set_coefficients: a re-solve after replacing a family's matrix equals a fresh program."""

import numpy as np
import pytest
from scipy.optimize import linprog

from solvers.errors import ValidationError
from solvers.lp import LinearProgram
from solvers.result import Status


def _program(A, b):
    lp = LinearProgram(A.shape[1], ub=10.0)
    lp.add_constraints("rows", A, upper=b)
    lp.add_constraints("total", np.ones(A.shape[1]), lower=1.0)
    return lp


def _oracle(c, A, b):
    """The same LP stated for scipy.optimize.linprog directly (independent of LinearProgram)."""
    n = A.shape[1]
    res = linprog(c, A_ub=np.vstack([A, -np.ones((1, n))]), b_ub=np.r_[b, -1.0], bounds=(0, 10), method="highs")
    return res.fun


@pytest.mark.parametrize("backend", ["highs", "scipy"])
@pytest.mark.parametrize("density", [1.0, 0.3, 0.02])
def test_set_coefficients_then_solve_equals_fresh_program(backend, density):
    rng = np.random.default_rng(3)
    n, m = 8, 6
    b = rng.uniform(1.0, 3.0, m)
    c = rng.normal(size=n)
    A0 = rng.uniform(0.1, 1.0, (m, n))
    lp = _program(A0, b)
    assert lp.solve(c, backend=backend).objective == pytest.approx(_oracle(c, A0, b), abs=1e-8)
    for k in range(6):
        A = A0.copy()
        mask = rng.random(A.shape) < density   # few changed entries -> changeCoeff; many -> passModel + basis
        A[mask] = rng.uniform(-0.5, 1.0, mask.sum())
        if k % 2:
            A[0, :3] = 0.0                     # a changed sparsity pattern
        lp.set_coefficients("rows", A)
        res = lp.solve(c, backend=backend)
        fresh = _program(A, b).solve(c, backend=backend)
        assert res.status is fresh.status is Status.OPTIMAL
        assert res.objective == pytest.approx(fresh.objective, abs=1e-8)
        assert res.objective == pytest.approx(_oracle(c, A, b), abs=1e-8)
        assert res.certificate.ok
        assert np.allclose(A @ res.x, np.minimum(A @ res.x, b + 1e-9))


def test_highs_cache_is_updated_in_place_not_rebuilt():
    rng = np.random.default_rng(0)
    A = rng.uniform(0.1, 1.0, (5, 7))
    lp = _program(A, np.ones(5))
    c = -np.ones(7)
    lp.solve(c, backend="highs")
    cache = lp._caches["highs"]
    few = A.copy()
    few[1, 2] = 3.0
    lp.set_coefficients("rows", few)
    assert lp.solve(c, backend="highs").objective == pytest.approx(_oracle(c, few, np.ones(5)), abs=1e-9)
    many = rng.uniform(0.1, 1.0, (5, 7))
    lp.set_coefficients("rows", many)
    assert lp.solve(c, backend="highs").objective == pytest.approx(_oracle(c, many, np.ones(5)), abs=1e-9)
    assert lp._caches["highs"] is cache and cache.builds == 1 and cache.matrix_updates == 2


def test_set_coefficients_after_appending_a_family_and_with_cvxpy():
    A = np.array([[1.0, 1.0]])
    lp = LinearProgram(2)
    lp.add_constraints("cap", A, upper=[4.0])
    c = np.array([-1.0, -2.0])
    lp.solve(c, backend="highs")
    lp.add_constraints("x0", [[1.0, 0.0]], lower=[1.0])
    lp.set_coefficients("cap", [[1.0, 2.0]])
    assert lp.solve(c, backend="highs").objective == pytest.approx(-1.0 - 3.0 / 2.0 * 2.0, abs=1e-9)
    pytest.importorskip("cvxpy")
    lp2 = LinearProgram(2)
    lp2.add_constraints("cap", A, upper=[4.0])
    assert lp2.solve(c, backend="cvxpy").objective == pytest.approx(-8.0, abs=1e-6)
    lp2.set_coefficients("cap", [[1.0, 4.0]])   # compiled problem must not be reused with the old matrix
    assert lp2.solve(c, backend="cvxpy").objective == pytest.approx(-4.0, abs=1e-6)


def test_set_coefficients_does_not_keep_the_callers_array():
    A = np.array([[1.0, 1.0]])
    lp = LinearProgram(2)
    lp.add_constraints("cap", [[1.0, 1.0]], upper=[4.0])
    lp.set_coefficients("cap", A)
    A[0, 1] = 100.0
    assert lp.solve([-1.0, -2.0]).objective == pytest.approx(-8.0, abs=1e-9)


def test_set_coefficients_validation():
    lp = LinearProgram(2)
    lp.add_constraints("cap", [[1.0, 1.0]], upper=[4.0])
    with pytest.raises(ValidationError, match=r"The 'name' parameter of LinearProgram.set_coefficients must be an "
                                              r"existing family: 'cap'\. Got 'capp'"):
        lp.set_coefficients("capp", [[1.0, 1.0]])
    with pytest.raises(ValidationError, match=r"The 'A' parameter of LinearProgram.set_coefficients must be a "
                                              r"matrix of shape \(1, 2\) like the family 'cap'"):
        lp.set_coefficients("cap", [[1.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ValidationError, match=r"'A' parameter of LinearProgram.set_coefficients must be a matrix "
                                              r"with 2 columns"):
        lp.set_coefficients("cap", [[1.0, 1.0, 1.0]])
    with pytest.raises(ValidationError, match=r"'A' parameter of LinearProgram.set_coefficients must be finite"):
        lp.set_coefficients("cap", [[1.0, np.nan]])
