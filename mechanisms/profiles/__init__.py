"""Immutable, numpy-backed preference data.

* :class:`Profile`: ordinal ballots (strict or with ties, complete or truncated);
* :class:`ApprovalProfile`: approval ballots;
* :class:`UtilityProfile`: cardinal utilities;
* :class:`PairwiseComparisons`: pairwise comparisons in the RLHF shape.

Alternatives are 0-based integer ids; their display names (``labels``) are kept
apart.  Repeated ballots carry integer ``weights``.
"""

from .cardinal import ApprovalProfile, UtilityProfile
from .ordinal import Profile
from .pairwise import TIE, PairwiseComparisons

__all__ = ["Profile", "ApprovalProfile", "UtilityProfile", "PairwiseComparisons", "TIE"]
