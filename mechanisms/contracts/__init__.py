"""Contracts: alignment as a principal-agent problem.

* :class:`PrincipalAgent` -- hidden action, optional observation channel
  (incomplete contracts), min-pay / optimal / linear / min-budget / min-variance
  designs, each result certified in numpy;
* :mod:`.robust` -- max-min contracts when the technology is known only in part
  (Carroll 2015);
* :mod:`.statistical` -- statistical contracts paying on evaluator score buckets
  (Saig, Talgam-Cohen and Rosenfeld 2023; Saig, Einav and Talgam-Cohen 2024).

The numerical programs live in :mod:`solvers.contracts`.
"""

from .principal_agent import (
    ContractCertificate,
    ContractDualCertificate,
    ContractResult,
    ContractTable,
    FirstBest,
    LinearContractResult,
    OptimalContractResult,
    PrincipalAgent,
)
from .robust import RobustContractResult, RobustGuarantee, carroll_contract, maxmin_contract, robust_guarantee
from .statistical import ScoreContract, ThresholdContractResult, is_mlrp

__all__ = [
    "PrincipalAgent", "ContractResult", "OptimalContractResult", "LinearContractResult", "ContractTable",
    "FirstBest", "ContractCertificate", "ContractDualCertificate",
    "RobustContractResult", "RobustGuarantee", "carroll_contract", "maxmin_contract", "robust_guarantee",
    "ScoreContract", "ThresholdContractResult", "is_mlrp",
]

# --- contracts-incomplete (incomplete.py, len_model.py, proxy.py, screening.py): imports below ---
# --- incompleteness, multitask, proxy, screening ---
from .incomplete import (  # noqa: E402
    IncompletenessResult,
    InformationValue,
    blackwell_garbling,
    coarsening,
    cost_of_incompleteness,
    garble,
    joint_channel,
    noisy_channel,
    non_contractible,
    uninformative_channel,
    value_of_information,
    value_of_signal,
)
from .len_model import LENContract, LENModel, measured_task_incentive  # noqa: E402
from .proxy import LossCurve, ProxyOutcome, ProxyPath, ProxyRewardModel  # noqa: E402
from .screening import ScreeningMenu, mussa_rosen_uniform, optimal_menu, type_grid  # noqa: E402

__all__ += [
    "IncompletenessResult", "InformationValue", "blackwell_garbling", "coarsening", "cost_of_incompleteness",
    "garble", "joint_channel", "noisy_channel", "non_contractible", "uninformative_channel",
    "value_of_information", "value_of_signal",
    "LENContract", "LENModel", "measured_task_incentive",
    "LossCurve", "ProxyOutcome", "ProxyPath", "ProxyRewardModel",
    "ScreeningMenu", "mussa_rosen_uniform", "optimal_menu", "type_grid",
]
