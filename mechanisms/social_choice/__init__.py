"""Aggregation rules behind one registry.

>>> from mechanisms.profiles import Profile
>>> from mechanisms.social_choice import get_rule
>>> profile = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]], labels=["a", "b", "c"])
>>> get_rule("borda")(profile)
RuleResult(rule='borda', winners=['a'], ranking='a > c > b', scores=[5, 3, 4])

* :func:`get_rule` returns a rule by id (or alias); unknown ids suggest close matches;
* :func:`list_rules` filters the registered rules by input kind and properties;
* every rule is called as ``rule(profile, *, tie_break=None, rng=None, **options)`` and
  returns a frozen :class:`RuleResult`;
* every registered rule is also an attribute of this module
  (``mechanisms.social_choice.schulze``);
* :func:`is_jr`, :func:`is_pjr` and :func:`is_ejr` check the proportionality of an
  approval committee (a :class:`ProportionalityCheck` with the witness group).

New rules register themselves with :func:`register_rule` next to their
implementation, in any module of this package (see ``registry``'s docstring).
"""

from .proportionality import ProportionalityCheck, is_ejr, is_jr, is_pjr
from .registry import INPUT_KINDS, Rule, get_rule, list_rules, register_rule
from .result import Outcome, RuleResult

__all__ = ["Rule", "RuleResult", "Outcome", "get_rule", "list_rules", "register_rule", "INPUT_KINDS",
           "ProportionalityCheck", "is_jr", "is_pjr", "is_ejr"]


def __getattr__(name: str):
    """Registered rules as module attributes: ``mechanisms.social_choice.borda``."""
    if name.startswith("_"):
        raise AttributeError(name)
    from solvers.errors import UnknownNameError

    try:
        return get_rule(name)
    except UnknownNameError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__():
    from .registry import _RULES

    return sorted(set(globals()) | _RULES.names())
