"""alignment-mechanisms: AI alignment as economic design.

Sub-modules (imported on use): ``profiles``, ``io``, ``generators``,
``social_choice``, ``axioms``, ``elicitation``, ``auctions``, ``contracts``,
``testing``, ``cli``.  Importing ``mechanisms`` pulls in neither cvxpy,
matplotlib, pandas nor hypothesis.
"""

from solvers.errors import (
    AlmechError,
    BackendUnavailableError,
    ParseError,
    SolverError,
    UnknownNameError,
    ValidationError,
)

__version__ = "0.1.0"

__all__ = [
    "AlmechError", "BackendUnavailableError", "ParseError", "SolverError", "UnknownNameError",
    "ValidationError", "__version__",
]
