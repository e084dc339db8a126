"""Public testing tools: hypothesis strategies for preference data.

Importing this module imports hypothesis (install the ``test`` extra).
"""

from .strategies import KINDS, profiles

__all__ = ["profiles", "KINDS"]
