"""Public testing tools: hypothesis strategies for preference data, and axiom test cases.

* :func:`profiles` (hypothesis strategies for every kind of preference data);
* :func:`axiom_cases` / :func:`check_axiom_case`: rules x axioms as pytest cases,
  with expected violations declared with their reasons.

Importing this module imports hypothesis (install the ``test`` extra).
"""

from .axiom_cases import AxiomCase, axiom_cases, check_axiom_case
from .strategies import KINDS, profiles

__all__ = ["profiles", "KINDS", "AxiomCase", "axiom_cases", "check_axiom_case"]
