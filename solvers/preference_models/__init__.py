"""Preference-model fitting: Bradley-Terry and Plackett-Luce maximum likelihood over arrays.

Every fit is a convex program (the negative log-likelihood is convex in the item
utilities) solved by a damped Newton method whose Newton systems are solved by
preconditioned conjugate gradients with sparse Hessians: the comparisons are
first aggregated to counts per unordered pair, so one iteration costs a few
passes over the distinct pairs.  This is what makes 10,000 items and 1,000,000
comparisons a matter of seconds (see ``benchmarks/bench_bradley_terry.py``).

Conventions shared by the functions of this module:

* ``scores`` (``result.x``) are log-strengths (utilities) ``theta``:
  ``P(i beats j) = 1 / (1 + exp(theta_j - theta_i))``.  They are normalized to
  mean 0 (the likelihood only sees differences).
* ``l2`` adds the penalty ``l2 / 2 * ||theta||^2`` (a Gaussian prior); with
  ``l2 > 0`` the maximizer always exists, is unique and has mean 0.  The default
  ``l2 = 0`` is the plain maximum-likelihood estimate, which exists and is
  unique exactly when the directed comparison graph (an edge ``i -> j`` when
  ``i`` beat ``j`` at least once; a tie counts both ways) is strongly connected
  (Zermelo 1929; Ford 1957).  When it is not (an item that never lost or never
  won, or two groups of items never compared), the result has status
  ``Status.UNBOUNDED`` (the set of maximizing sequences is unbounded), no ``x``,
  and a message naming the problem: pass ``l2 > 0`` to regularize.
* Ties (``ties=`` rows) follow ``tie_model``: ``"half"`` (default) counts a tie
  as half a win for each side (the likelihood of the Bradley-Terry model with
  fractional counts); ``"davidson"`` fits Davidson's (1970) model, with
  ``P(tie) = nu sqrt(pi_i pi_j) / (pi_i + pi_j + nu sqrt(pi_i pi_j))`` and the
  tie parameter ``nu`` estimated jointly (``result.tie_parameter``); ``"ignore"``
  drops tied rows.
* ``log_likelihood`` is the unpenalized log-likelihood at the returned scores
  (natural log, summed over comparisons with their weights); ``objective`` is
  the penalized one that was maximized.
* The certificate is recomputed in numpy from the aggregated counts: the
  largest gradient component of the penalized log-likelihood, each divided by
  ``1 +`` the number of comparisons involving that item (``stationarity``), and
  the mean of the scores (``normalization``).

The implementation is split by problem family: :mod:`._common` (results, pair
counts, the existence check and the Newton-CG driver), :mod:`.bradley_terry`
(pairwise comparisons) and :mod:`.plackett_luce` (rankings).  Every public name
is importable from here.
"""

from ._common import TIE_MODELS, MLECertificate, PairCounts, PreferenceModelResult, pair_counts
from .bradley_terry import bradley_terry_log_likelihood, fit_bradley_terry, fit_linear_bradley_terry
from .plackett_luce import fit_plackett_luce, plackett_luce_log_likelihood

__all__ = [
    "MLECertificate",
    "PreferenceModelResult",
    "PairCounts",
    "pair_counts",
    "fit_bradley_terry",
    "fit_linear_bradley_terry",
    "fit_plackett_luce",
    "bradley_terry_log_likelihood",
    "plackett_luce_log_likelihood",
    "TIE_MODELS",
]

