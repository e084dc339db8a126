"""Statistical cultures: random preference profiles and simulated annotator populations.

Every generator takes its sizes positionally, its parameters as keywords, and
its randomness only through ``rng`` (a ``numpy.random.Generator``, an int seed,
or None); the same seed gives the same profile.  All are vectorized over voters.

Ordinal cultures (return a strict complete :class:`~mechanisms.profiles.Profile`):

- :func:`impartial_culture`, :func:`impartial_anonymous_culture`, :func:`urn`
- :func:`mallows` (with :func:`normalized_mallows_phi`), :func:`plackett_luce`
- :func:`euclidean` (may tie for given points), :func:`single_peaked_walsh`,
  :func:`single_peaked_conitzer`

Approval: :func:`approval_ic` (an :class:`~mechanisms.profiles.ApprovalProfile`).

Pairwise comparisons (the RLHF shape): :func:`annotator_population` returns an
:class:`AnnotatorPopulation` holding the comparisons and the latent ground truth.
"""

from ._annotators import AnnotatorPopulation, annotator_population
from ._approval import approval_ic
from ._ordinal import (
    impartial_anonymous_culture,
    impartial_culture,
    mallows,
    normalized_mallows_phi,
    plackett_luce,
    urn,
)
from ._spatial import euclidean, single_peaked_conitzer, single_peaked_walsh

__all__ = [
    "impartial_culture", "impartial_anonymous_culture", "urn", "mallows", "normalized_mallows_phi",
    "plackett_luce", "euclidean", "single_peaked_walsh", "single_peaked_conitzer", "approval_ic",
    "annotator_population", "AnnotatorPopulation",
]
