"""cvxpy-backed HiGHS solves print nothing (HiGHS's banner used to reach stdout once per process).

The banner is printed once per process, by the first ``highspy.Highs()`` built
with output on, so the check runs in a fresh interpreter (an in-process capture
would pass vacuously once any earlier test had triggered it).
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("cvxpy")
pytest.importorskip("highspy")

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import numpy as np
from solvers.lp import solve_lp
from solvers.welfare import nash_welfare_lottery
lp = solve_lp([1.0, 2.0], A_ub=[[-1.0, -1.0]], b_ub=[-1.0], backend="cvxpy")
milp = solve_lp([1.0, 2.0], A_ub=[[-2.0, -1.0]], b_ub=[-1.0], integrality=[1, 1], backend="cvxpy")
nash = nash_welfare_lottery(np.array([[1.0, 0.0], [0.0, 1.0]]), algorithm="cvxpy")
import sys
sys.stderr.write(f"{lp.status.name} {lp.x.tolist()} {milp.status.name} {milp.x.tolist()} {nash.x.tolist()}")
"""


def test_cvxpy_highs_solves_print_nothing():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True)
    assert proc.stdout == ""
    lp_status, lp_x0, lp_x1, milp_status, milp_x0, milp_x1, *nash = proc.stderr.replace("[", "").replace(
        "]", "").replace(",", "").split()
    # closed forms: min x + 2y s.t. x + y >= 1 -> (1, 0); integer 2x + y >= 1 -> (1, 0) with cost 1 < 2
    assert (lp_status, milp_status) == ("OPTIMAL", "OPTIMAL")
    assert [float(v) for v in (lp_x0, lp_x1, milp_x0, milp_x1)] == pytest.approx([1.0, 0.0, 1.0, 0.0], abs=1e-7)
    # Nash welfare of two voters each liking one alternative: the even lottery
    assert [float(v) for v in nash] == pytest.approx([0.5, 0.5], abs=1e-4)
