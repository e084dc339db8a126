"""Axioms as objects: check a rule on a profile, search for a counterexample, get the witness as data.

>>> from mechanisms.axioms import get_axiom
>>> from mechanisms.profiles import Profile
>>> borda_cw = get_axiom("condorcet_winner")
>>> p = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 2, 0]], labels=["a", "b", "c"])
>>> result = borda_cw.check("borda", p)
>>> result.holds, result.witness.explanation
(False, 'a is the Condorcet winner, but the winners are {a, b}')
>>> w = borda_cw.find_violation("borda", n_voters=3, n_alternatives=3)   # smallest counterexample
>>> w.profile.to_weak_orders(), w.outcome.winners
([((0,), (1,), (2,)), ((0,), (1,), (2,)), ((1,), (2,), (0,))], (0, 1))

* :func:`get_axiom` returns an axiom by id (unknown ids suggest close matches);
  :func:`list_axioms` lists them (by profile kind and rule output);
* ``axiom.check(rule, profile, **params)`` returns a frozen :class:`AxiomResult`
  (``holds`` True / False / None, ``witness``, ``reason``);
* ``axiom.find_violation(rule, n_voters=..., n_alternatives=..., method=...)``
  returns a re-verified :class:`Witness` or None, and ``axiom.search(...)`` /
  :func:`search` a :class:`SearchResult` with the search effort;
* rules are registered ids, :class:`~mechanisms.social_choice.Rule` objects or
  plain functions (:func:`custom_rule`).

Conventions (tie handling, probabilistic and pairwise-input rules) are in
:mod:`mechanisms.axioms.base`; the preference models for manipulation in
:mod:`mechanisms.axioms.manipulation`; the search methods and feasible sizes in
:mod:`mechanisms.axioms.search`.  New axioms register with
:func:`register_axiom` in any module of this package.
"""

from .base import (
    DOMAINS,
    OUTCOMES,
    Axiom,
    AxiomResult,
    Witness,
    custom_rule,
    get_axiom,
    list_axioms,
    register_axiom,
)
from .search import METHODS, SearchResult, count_profiles, find_violation, iter_profiles, search
from .table import AxiomTable, TableCell, axiom_table, witness_text
from .rates import ManipulationRate, manipulability_rate
from .real_data import election_manipulability, preflib_culture, preflib_election

__all__ = [
    "Axiom", "AxiomResult", "Witness", "SearchResult", "get_axiom", "list_axioms", "register_axiom",
    "custom_rule", "check", "find_violation", "search", "count_profiles", "iter_profiles", "DOMAINS", "OUTCOMES",
    "METHODS", "AxiomTable", "TableCell", "axiom_table", "witness_text", "ManipulationRate", "manipulability_rate",
    "election_manipulability", "preflib_culture", "preflib_election",
]


def check(axiom, rule, profile, /, **kwargs) -> AxiomResult:
    """``get_axiom(axiom).check(rule, profile, **kwargs)``.

    Examples
    --------
    >>> from mechanisms.axioms import check
    >>> from mechanisms.profiles import Profile
    >>> check("majority", "plurality", Profile.from_rankings([[0, 1], [0, 1], [1, 0]])).holds
    True
    """
    return get_axiom(axiom).check(rule, profile, **kwargs)
