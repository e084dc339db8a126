"""`import solvers` and `import mechanisms` must stay light: no heavy optional imports."""

import subprocess
import sys

import pytest

HEAVY = ("cvxpy", "matplotlib", "pandas", "hypothesis", "ray")
MODULES = ["solvers", "mechanisms", "mechanisms.profiles", "mechanisms.io", "mechanisms.generators",
           "mechanisms.contracts", "mechanisms.elicitation", "mechanisms.auctions", "mechanisms.cli"]


@pytest.mark.parametrize("module", MODULES)
def test_import_pulls_in_no_heavy_dependency(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing {module} imported {out.stdout.strip()}"


def test_solvers_never_imports_mechanisms():
    code = "import sys, solvers, solvers.lp; print('mechanisms' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
