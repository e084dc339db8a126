"""Incentive-compatible elicitation: proper scoring rules, peer prediction, and their equilibrium analysis.

Scores are positively oriented (higher is better, they are payments); pass
``orientation="loss"`` where the literature uses losses.

* Scoring rules (gold labels exist): :class:`ScoringRule` built from a convex
  generator, the named rules :data:`LOGARITHMIC`, :data:`QUADRATIC`,
  :data:`SPHERICAL`, :func:`pseudo_spherical`, :data:`RANKED_PROBABILITY`,
  their function forms, CRPS (ensembles, Gaussians) and the pinball score;
  :func:`expected_score`, :func:`check_properness`, :func:`scale_to_budget`.
* Peer prediction (no gold labels): output agreement, Miller-Resnick-Zeckhauser,
  Bayesian truth serum, robust BTS, Dasgupta-Ghosh, correlated agreement,
  DMI; each as a function and as a mechanism object.
* :func:`verify_equilibrium`: exact Bayes-Nash analysis of a mechanism under a
  :class:`SignalModel`, with the best deviation as a witness.
"""

from .continuous import crps_ensemble, crps_gaussian, pinball_score
from .equilibrium import Deviation, EquilibriumReport, verify_equilibrium
from .peer_prediction import (
    BayesianTruthSerum,
    CorrelatedAgreement,
    DasguptaGhosh,
    DeterminantMutualInformation,
    OutputAgreement,
    PeerPrediction,
    PeerPredictionMechanism,
    RobustBayesianTruthSerum,
    bayesian_truth_serum,
    correlated_agreement,
    dasgupta_ghosh,
    determinant_mutual_information,
    output_agreement,
    peer_prediction,
    robust_bayesian_truth_serum,
)
from .properness import MisreportWitness, PropernessResult, check_properness, scale_to_budget, simplex_grid
from .scoring import (
    LINEAR,
    LOGARITHMIC,
    QUADRATIC,
    RANKED_PROBABILITY,
    SPHERICAL,
    ScoringRule,
    expected_score,
    log_score,
    pseudo_spherical,
    pseudo_spherical_score,
    quadratic_score,
    ranked_probability_score,
    spherical_score,
)
from .signals import SignalModel

__all__ = [
    # scoring rules
    "ScoringRule", "LOGARITHMIC", "QUADRATIC", "SPHERICAL", "RANKED_PROBABILITY", "LINEAR", "pseudo_spherical",
    "log_score", "quadratic_score", "spherical_score", "pseudo_spherical_score", "ranked_probability_score",
    "crps_ensemble", "crps_gaussian", "pinball_score", "expected_score",
    "check_properness", "PropernessResult", "MisreportWitness", "scale_to_budget", "simplex_grid",
    # peer prediction
    "SignalModel",
    "output_agreement", "peer_prediction", "bayesian_truth_serum", "robust_bayesian_truth_serum",
    "dasgupta_ghosh", "correlated_agreement", "determinant_mutual_information",
    "PeerPredictionMechanism", "OutputAgreement", "PeerPrediction", "BayesianTruthSerum",
    "RobustBayesianTruthSerum", "DasguptaGhosh", "CorrelatedAgreement", "DeterminantMutualInformation",
    # equilibrium analysis
    "verify_equilibrium", "EquilibriumReport", "Deviation",
]
