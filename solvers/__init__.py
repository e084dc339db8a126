"""The numerical layer of alignment-mechanisms: arrays in, certified results out.

``solvers`` never imports ``mechanisms`` and never imports cvxpy, matplotlib,
pandas or hypothesis at import time.
"""

from .errors import (
    AlmechError,
    BackendUnavailableError,
    ParseError,
    SolverError,
    UnknownNameError,
    ValidationError,
)
from .lp import LinearProgram, LPCertificate, LPResult, solve_lp
from .result import Certificate, Result, SolverInfo, Status

__all__ = [
    "AlmechError", "BackendUnavailableError", "ParseError", "SolverError", "UnknownNameError", "ValidationError",
    "Certificate", "Result", "SolverInfo", "Status",
    "LinearProgram", "LPCertificate", "LPResult", "solve_lp",
]
