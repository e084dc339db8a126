"""A bundled principal-agent instance: paying a coding agent that can game its tests.

The developer (principal) delegates a programming task to a model (agent).
The model either **games the tests** (special-cases the visible unit tests;
cost 0) or **solves the task** (careful reasoning; cost 1, in units of the
developer's value of a correct solution / 10).  Four outcomes can follow:

============  ============  ==============  =====================
outcome       reward        game the tests  solve the task
============  ============  ==============  =====================
wrong         0             0.2             0.1
gamed         0             0.5             0.0
partial       4             0.2             0.3
correct       10            0.1             0.6
============  ============  ==============  =====================

*gamed* is a solution that passes the visible tests but is wrong; the
developer gets nothing from it.  The numbers are chosen so that every design
has a pen-and-paper answer (two actions, the cheap one costs 0, so the
participation constraint is implied by incentive compatibility):

* **complete contract** (pays on the outcome): pay on the outcome with the
  largest likelihood ratio, *correct* (0.6 / 0.1), the amount
  ``delta_c / delta_p = 1 / 0.5 = 2``; expected payment 1.2, principal utility
  ``7.2 - 1.2 = 6.0`` (gaming at zero pay gives only 1.8; first-best welfare 6.2);
  the multiplier of the binding constraint "solve >= game" is
  ``0.6 / 0.5 = 1.2`` (expected pay per unit of cost difference);
* **min-budget** contract: ``delta_c / TV = 1 / 0.6`` on *partial* and *correct*;
* **best linear** contract: the share ``alpha = delta_c / delta_R = 1 / 5.4``
  of the reward, principal utility ``(1 - alpha) 7.2 = 5.8667``, ratio
  ``0.9778`` to the optimum;
* **incomplete contracts** on three evaluators (:attr:`ContractExample.evaluators`):
  the *unit tests* see pass/fail only (gamed passes), so solving must be paid
  ``1 / (0.9 - 0.8) = 10`` per pass (expected 9): the developer prefers to let
  the model game the tests, utility 1.8, a cost of incompleteness of 4.2;
  *hidden tests* also catch gamed solutions (pass = partial or correct):
  ``1 / (0.9 - 0.3)`` per pass, expected 1.5, utility 5.7, cost 0.3; an
  *LLM judge* reports the outcome but errs with probability 0.2 (uniformly
  among the other three): pay only on a *correct* report.

Examples
--------
>>> ex = coding_agent_example()
>>> ex.model
PrincipalAgent(n_actions=2, n_outcomes=4, contract on complete)
>>> list(ex.evaluators)
['unit tests', 'hidden tests', 'LLM judge']
>>> ex.evaluators["unit tests"].tolist()
[[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from solvers.result import readonly

__all__ = ["ContractExample", "coding_agent_example"]


@dataclasses.dataclass(frozen=True)
class ContractExample:
    """A bundled principal-agent instance with the evaluators a contract could pay on.

    Attributes
    ----------
    name : str
    description : str
        One paragraph on what the actions, outcomes and numbers stand for.
    model : PrincipalAgent
        The technology, with a complete contract (pays on the outcome).
    evaluators : mapping of str to ndarray
        Observation channels ``(n_outcomes, n_signals)``, in display order.
    evaluator_descriptions : mapping of str to str
        What each evaluator sees.
    """

    name: str
    description: str
    model: object
    evaluators: Mapping[str, np.ndarray]
    evaluator_descriptions: Mapping[str, str]

    def __repr__(self) -> str:
        return f"ContractExample({self.name!r}, {self.model!r}, evaluators={list(self.evaluators)})"


def coding_agent_example() -> ContractExample:
    """The bundled coding-agent instance (see the module docstring for every number).

    Returns
    -------
    ContractExample

    References
    ----------
    .. [1] Grossman, S. J., and Hart, O. D. (1983). An analysis of the principal-agent
       problem. Econometrica 51(1), 7-45.
    .. [2] Holmström, B. (1979). Moral hazard and observability. Bell Journal of
       Economics 10(1), 74-91.

    Examples
    --------
    >>> ex = coding_agent_example()
    >>> ex.model.action_labels, ex.model.outcome_labels
    (('game the tests', 'solve the task'), ('wrong', 'gamed', 'partial', 'correct'))
    >>> ex.model.expected_rewards.round(9).tolist(), ex.model.costs.tolist()
    ([1.8, 7.2], [0.0, 1.0])
    """
    from ..contracts import PrincipalAgent
    from ..contracts.incomplete import coarsening, noisy_channel

    model = PrincipalAgent(
        [[0.2, 0.5, 0.2, 0.1],
         [0.1, 0.0, 0.3, 0.6]],
        [0.0, 1.0],
        [0.0, 0.0, 4.0, 10.0],
        action_labels=["game the tests", "solve the task"],
        outcome_labels=["wrong", "gamed", "partial", "correct"],
    )
    evaluators = {
        "unit tests": readonly(coarsening([[0], [1, 2, 3]])),
        "hidden tests": readonly(coarsening([[0, 1], [2, 3]])),
        "LLM judge": readonly(noisy_channel(4, 0.2)),
    }
    descriptions = {
        "unit tests": "pass/fail on the visible tests: a gamed solution passes",
        "hidden tests": "pass/fail on held-out tests: gamed solutions fail, partial and correct ones pass",
        "LLM judge": "reports the outcome, wrong with probability 0.2 (uniformly among the other three)",
    }
    description = (
        "A developer (principal) delegates a coding task to a model (agent). The model either games the visible "
        "tests (cost 0) or solves the task (cost 1). Outcomes: wrong (worth 0), gamed: passes the visible tests "
        "but is wrong (worth 0), partial (worth 4), correct (worth 10). Gaming: 0.2 / 0.5 / 0.2 / 0.1; "
        "solving: 0.1 / 0 / 0.3 / 0.6. Payments are nonnegative (limited liability)."
    )
    return ContractExample(
        name="coding agent",
        description=description,
        model=model,
        evaluators=evaluators,
        evaluator_descriptions=descriptions,
    )
