"""The registry of aggregation rules: ``get_rule``, ``list_rules`` and the ``register_rule`` decorator.

Adding a rule takes one decorator next to its implementation, in any module of
this package (modules are discovered and imported on the first registry look-up;
nothing else needs editing)::

    from .registry import register_rule
    from .result import Outcome

    @register_rule("my_rule", name="My rule", input_kind="ordinal",
                   references=("A. Author, Title, Journal (Year).",))
    def my_rule(profile, *, some_option=1):
        '''numpydoc docstring citing the defining paper (References) and
        stating the tie and truncation conventions.'''
        ...
        return Outcome(winners=[...], scores=...)

Tag the properties that ``list_rules`` filters on and the generic test suite
checks (``properties=("condorcet_consistent",)``), and declare any generic
property the rule does not satisfy, with the reason
(``violates={"neutrality": "..."}``); the suite then verifies the declaration.

Name the module after a family (``kemeny_slater.py``), never after a rule id or
alias: rules are also attributes of the package (``social_choice.borda``), and a
submodule of the same name would shadow one (a test checks this).

The implementation receives a profile already checked to be of the declared
input kind (and ballot type), plus its keyword-only options; it validates its
options with :mod:`solvers.validation` (owner = the rule id) and returns an
:class:`~mechanisms.social_choice.result.Outcome` with the *full tied set* of
winners.  The registry adds the common call options (``tie_break=``, ``rng=``,
``algorithm=``) and builds the frozen :class:`RuleResult`.  If the
implementation declares an ``rng`` or ``algorithm`` parameter, the registry
passes the normalized value through.
"""

from __future__ import annotations

import difflib
import html
import inspect
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from solvers.errors import ValidationError
from solvers.validation import check_option, check_rng, fail

from .._registry import Registry, normalize_id
from .result import Outcome, RuleResult

__all__ = ["Rule", "register_rule", "get_rule", "list_rules", "INPUT_KINDS"]

#: input kind -> (profile class name in ``mechanisms.profiles``, description)
INPUT_KINDS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "ordinal": ("Profile", "an ordinal Profile (ranked ballots)"),
    "approval": ("ApprovalProfile", "an ApprovalProfile (approval ballots)"),
    "utility": ("UtilityProfile", "a UtilityProfile (cardinal utilities)"),
    "pairwise": ("PairwiseComparisons", "a PairwiseComparisons table"),
})

_BALLOTS = {
    "any": None,
    "strict": "a profile of strict ballots (truncation allowed, no ties)",
    "complete": "a profile of complete ballots (ties allowed, every alternative ranked)",
    "strict_complete": "a profile of strict complete rankings (PrefLib type 'soc')",
}

_TIE_BREAKS = ("lexicographic", "random")

#: Keys of ``report_limits`` and what they bound.
REPORT_LIMITS = MappingProxyType({
    "max_alternatives": "alternatives", "max_voters": "voters", "max_ballots": "ballot rows",
})

# every rule, discovered from this package's modules (``registry`` and ``result`` hold none)
_RULES = Registry("rule", __package__, skip_modules=("registry", "result"))
_REGISTRY = _RULES.items
_ALIASES = _RULES.aliases


class Rule:
    """A registered aggregation rule: call it on a profile to get a :class:`RuleResult`.

    Attributes
    ----------
    id : str
        Stable lowercase identifier (``get_rule(id)``).
    name : str
        Display name.
    input_kinds : tuple of str
        Accepted profile kinds: ``"ordinal"``, ``"approval"``, ``"utility"``, ``"pairwise"``.
    resolute : bool
        Always returns exactly one winner (without a ``tie_break``).
    probabilistic : bool
        Returns a lottery over alternatives.
    committee : bool
        Elects a committee (``k`` option) rather than single winners.
    ballots : str
        Which ordinal ballots are accepted: ``"any"``, ``"strict"``, ``"complete"``
        or ``"strict_complete"``.
    algorithms : tuple of str
        Algorithms in order of preference (the first is the default).
    references : tuple of str
        The defining papers.
    aliases : tuple of str
        Other ids that resolve to this rule.
    properties : frozenset of str
        Tags for :func:`list_rules` filtering (e.g. ``"condorcet_consistent"``).
    violates : mapping of str to str
        Generic properties that the registry-wide test suite checks on every rule
        (``"anonymity"``, ``"neutrality"``, ...) that this rule does not satisfy, each
        with the reason.
    options : mapping of str to object
        The rule's own keyword options and their defaults.
    report_limits : mapping of str to int
        The largest elections the report (``almech report``) runs this rule on, for
        rules whose worst case is exponential: any of ``"max_alternatives"``,
        ``"max_voters"``, ``"max_ballots"`` (ballot rows); empty when unlimited.
    """

    __slots__ = ("id", "name", "input_kinds", "resolute", "probabilistic", "committee", "ballots", "algorithms",
                 "references", "aliases", "properties", "violates", "report_limits", "function", "options", "_passes",
                 "__dict__")

    def __init__(self, function: Callable, *, id: str, name: str, input_kinds: tuple[str, ...], resolute: bool,
                 probabilistic: bool, committee: bool, ballots: str, algorithms: tuple[str, ...],
                 references: tuple[str, ...], aliases: tuple[str, ...], properties: frozenset[str],
                 violates: Mapping[str, str], report_limits: Mapping[str, int] | None = None):
        self.id = id
        self.name = name
        self.input_kinds = input_kinds
        self.resolute = resolute
        self.probabilistic = probabilistic
        self.committee = committee
        self.ballots = ballots
        self.algorithms = algorithms
        self.references = references
        self.aliases = aliases
        self.properties = properties
        self.violates = MappingProxyType(dict(violates))
        self.report_limits = MappingProxyType(dict(report_limits or {}))
        self.function = function
        params = inspect.signature(function).parameters
        self._passes = frozenset(p for p in ("rng", "algorithm") if p in params)
        self.options = MappingProxyType({
            p.name: p.default for p in params.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name not in ("rng", "algorithm")
        })
        self.__doc__ = function.__doc__
        self.__wrapped__ = function

    # ------------------------------------------------------------------ calling
    def __call__(self, profile, /, *, tie_break=None, rng=None, algorithm: str | None = None,
                 **options) -> RuleResult:
        """Apply the rule to ``profile``.

        Parameters
        ----------
        profile : profile of one of the rule's ``input_kinds``
        tie_break : None, "lexicographic", "random" or sequence of int, optional
            ``None`` (default) keeps the full tied set of winners.  ``"lexicographic"``
            picks the smallest id; a sequence is a priority order over all alternative
            ids (first = highest priority); ``"random"`` picks uniformly with ``rng``
            (for probabilistic rules: draws a winner from the lottery).  For committee
            rules it selects one of the tied committees the same way.
        rng : numpy.random.Generator, int or None
            Randomness for ``tie_break="random"`` (and for rules that use randomness).
        algorithm : str, optional
            One of the rule's ``algorithms`` (default: the first).
        **options
            The rule's own options (see ``rule.options`` and its docstring).
        """
        profile = self._check_profile(profile)
        self._check_options(options)
        call = dict(options)
        if algorithm is not None:
            check_option(algorithm, "algorithm", self.id, self.algorithms)
        if "algorithm" in self._passes:
            call["algorithm"] = algorithm if algorithm is not None else self.algorithms[0]
        generator = None
        priority = self._check_tie_break(tie_break, profile)
        mode = None if tie_break is None else ("priority" if priority is not None else tie_break)
        if rng is not None or mode == "random" or "rng" in self._passes:
            generator = check_rng(rng, self.id)
        if "rng" in self._passes:
            call["rng"] = generator
        outcome = self.function(profile, **call)
        if not isinstance(outcome, Outcome):  # pragma: no cover - programming error in a rule
            raise TypeError(f"rule {self.id!r} returned {type(outcome).__name__}, not an Outcome")
        return self._finish(outcome, profile, mode, priority, generator)

    def accepts(self, profile) -> bool:
        """Whether this rule can be applied to ``profile`` (its kind and, for ordinal rules, its ballots).

        Lets a caller that runs many rules over mixed data skip the inapplicable ones
        instead of catching errors.
        """
        try:
            self._check_profile(profile)
        except ValidationError:
            return False
        return True

    def _check_profile(self, profile):
        from mechanisms import profiles as _profiles

        classes = tuple(getattr(_profiles, INPUT_KINDS[k][0]) for k in self.input_kinds)
        if not isinstance(profile, classes):
            want = " or ".join(INPUT_KINDS[k][1] for k in self.input_kinds)
            hint = f"Got {type(profile).__name__!s} instead."
            if isinstance(profile, _profiles.UtilityProfile) and "ordinal" in self.input_kinds:
                hint += " Convert it with profile.to_profile()."
            elif isinstance(profile, (np.ndarray, list, tuple)) and "ordinal" in self.input_kinds:
                hint += " Build one with Profile.from_rankings(...)."
            fail("profile", self.id, want, show_got=False, hint=hint)
        if self.ballots != "any" and isinstance(profile, _profiles.Profile):
            strict = self.ballots in ("strict", "strict_complete")
            complete = self.ballots in ("complete", "strict_complete")
            if (strict and not profile.is_strict) or (complete and not profile.is_complete):
                fail("profile", self.id, _BALLOTS[self.ballots], show_got=False,
                     hint=f"This profile is of kind {profile.kind!r}.")
        return profile

    def _check_options(self, options):
        for key, default in self.options.items():
            if default is inspect.Parameter.empty and key not in options:
                fail(key, self.id, "given (this option has no default)", show_got=False,
                     hint=f"Call it as get_rule({self.id!r})(profile, {key}=...).")
        for key in options:
            if key not in self.options:
                known = ", ".join(repr(k) for k in self.options) or "none"
                close = difflib.get_close_matches(key, list(self.options), n=1)
                fail(key, self.id, f"one of the rule's options ({known})", show_got=False,
                     hint=f"Did you mean {close[0]!r}?" if close else "")

    def _check_tie_break(self, tie_break, profile):
        if tie_break is None or (isinstance(tie_break, str) and tie_break in _TIE_BREAKS):
            return None
        rule = "None, 'lexicographic', 'random', or a priority order (a permutation of all alternative ids)"
        if isinstance(tie_break, (str, bytes)) or not isinstance(tie_break, (Sequence, np.ndarray)):
            fail("tie_break", self.id, rule, tie_break)
        m = profile.n_alternatives
        order = list(tie_break)
        if (not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in order)
                or sorted(int(a) for a in order) != list(range(m))):
            fail("tie_break", self.id, rule, tie_break, hint=f"This profile has {m} alternatives.")
        rank = np.empty(m, dtype=np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(m)
        return rank

    def _finish(self, outcome: Outcome, profile, mode, priority, generator) -> RuleResult:
        tied = tuple(sorted(int(a) for a in outcome.winners))
        committees = None
        if outcome.committees is not None:
            committees = tuple(sorted(tuple(sorted(int(a) for a in c)) for c in outcome.committees))
        winners = tied
        if mode is not None:
            if committees is not None and len(committees) > 1:
                winners = self._pick_committee(committees, mode, priority, generator)
            elif committees is None and len(tied) > 1:
                winners = (self._pick_winner(tied, outcome, mode, priority, generator),)
        return RuleResult(rule=self.id, winners=winners, ranking=outcome.ranking, scores=outcome.scores,
                          lottery=outcome.lottery, committees=committees, tied_winners=tied,
                          labels=profile.labels, tie_break=mode)

    @staticmethod
    def _pick_winner(tied, outcome, mode, priority, generator) -> int:
        if mode == "lexicographic":
            return tied[0]
        if mode == "priority":
            return min(tied, key=lambda a: priority[a])
        if outcome.lottery is not None:
            lottery = np.asarray(outcome.lottery, dtype=np.float64)
            return int(generator.choice(len(lottery), p=lottery / lottery.sum()))
        return int(tied[int(generator.integers(len(tied)))])

    @staticmethod
    def _pick_committee(committees, mode, priority, generator):
        if mode == "lexicographic":
            return committees[0]
        if mode == "priority":
            return min(committees, key=lambda c: sorted(int(priority[a]) for a in c))
        return committees[int(generator.integers(len(committees)))]

    # ------------------------------------------------------------------ display, pickling
    def __reduce__(self):
        return (get_rule, (self.id,))

    def __repr__(self) -> str:
        kinds = "/".join(self.input_kinds)
        flags = [f for f, on in (("resolute", self.resolute), ("probabilistic", self.probabilistic),
                                 ("committee", self.committee)) if on]
        flags += [f"{key}={value}" for key, value in self.report_limits.items()]
        extra = (", " + ", ".join(flags)) if flags else ""
        return f"<Rule {self.id!r}: {self.name} ({kinds}{extra})>"

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = [("id", self.id), ("name", self.name), ("input", ", ".join(self.input_kinds)),
                ("ballots", self.ballots), ("resolute", self.resolute), ("probabilistic", self.probabilistic),
                ("options", ", ".join(f"{k}={v!r}" for k, v in self.options.items()) or "none"),
                ("algorithms", ", ".join(self.algorithms)), ("aliases", ", ".join(self.aliases) or "none"),
                ("report limits", ", ".join(f"{k}={v}" for k, v in self.report_limits.items()) or "none"),
                ("references", "; ".join(self.references))]
        body = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in rows)
        return f"<table><caption>Rule</caption>{body}</table>"


def register_rule(id: str, *, name: str, input_kind: str | Iterable[str], resolute: bool = False,
                  probabilistic: bool = False, committee: bool = False, ballots: str = "any",
                  algorithms: Iterable[str] = ("default",), references: Iterable[str] = (),
                  aliases: Iterable[str] = (), properties: Iterable[str] = (),
                  violates: Mapping[str, str] | None = None,
                  report_limits: Mapping[str, int] | None = None) -> Callable[[Callable], Rule]:
    """Decorator registering an aggregation rule under a stable id; returns the :class:`Rule`.

    See the module docstring for the contract of the decorated function.  A rule
    whose worst case is exponential (an exact search, a MILP, parallel-universe
    tie-breaking) declares the largest elections the report runs it on in
    ``report_limits``: a mapping with any of ``"max_alternatives"``,
    ``"max_voters"``, ``"max_ballots"`` (ballot rows, i.e. ``profile.n_ballots``) to
    positive ints.

    Examples
    --------
    >>> from mechanisms.social_choice import get_rule
    >>> dict(get_rule("young").report_limits)
    {'max_alternatives': 20}
    """
    owner = "register_rule"
    _RULES.check_id(id, owner)
    limits = _check_report_limits(report_limits, owner)
    kinds = (input_kind,) if isinstance(input_kind, str) else tuple(input_kind)
    if not kinds:
        fail("input_kind", owner, "one or more of " + ", ".join(map(repr, INPUT_KINDS)), input_kind)
    for kind in kinds:
        check_option(kind, "input_kind", owner, tuple(INPUT_KINDS))
    check_option(ballots, "ballots", owner, tuple(_BALLOTS))
    algorithms = tuple(algorithms)
    if not algorithms or not all(isinstance(a, str) and a for a in algorithms):
        fail("algorithms", owner, "a nonempty sequence of algorithm names", algorithms)
    aliases = tuple(normalize_id(a) for a in aliases)
    references = tuple(references)

    def decorate(function: Callable) -> Rule:
        rule = Rule(function, id=id, name=name, input_kinds=kinds, resolute=bool(resolute),
                    probabilistic=bool(probabilistic), committee=bool(committee), ballots=ballots,
                    algorithms=algorithms, references=references, aliases=aliases,
                    properties=frozenset(properties), violates=violates or {}, report_limits=limits)
        _RULES.add(id, rule, function, aliases=aliases)
        return rule

    return decorate


def get_rule(id: str | Rule) -> Rule:
    """The rule registered under ``id`` (or one of its aliases).

    Raises
    ------
    UnknownNameError
        When no rule has that id; the message suggests close matches.

    Examples
    --------
    >>> from mechanisms.social_choice import get_rule
    >>> get_rule("beat_path").id
    'schulze'
    """
    return _RULES.get(id, "get_rule", Rule)


def list_rules(*, input_kind: str | None = None, resolute: bool | None = None, probabilistic: bool | None = None,
               committee: bool | None = None, ballots: str | None = None,
               properties: Iterable[str] = ()) -> tuple[Rule, ...]:
    """Registered rules (sorted by id), filtered by input kind and properties.

    Parameters
    ----------
    input_kind : {"ordinal", "approval", "utility", "pairwise"}, optional
        Keep rules that accept this kind of profile.
    resolute, probabilistic, committee : bool, optional
        Keep rules with this flag.
    ballots : {"any", "strict", "complete", "strict_complete"}, optional
        Keep ordinal rules whose ballot requirement is at most this strict
        (``"any"`` keeps only rules that accept ties and truncation).
    properties : iterable of str
        Keep rules tagged with every one of these properties.

    Examples
    --------
    >>> from mechanisms.social_choice import list_rules
    >>> "schulze" in [r.id for r in list_rules(properties=["condorcet_consistent"])]
    True
    """
    owner = "list_rules"
    if input_kind is not None:
        check_option(input_kind, "input_kind", owner, tuple(INPUT_KINDS))
    if ballots is not None:
        check_option(ballots, "ballots", owner, tuple(_BALLOTS))
    if isinstance(properties, str):
        properties = (properties,)
    wanted = frozenset(properties)
    accepted = {"any": {"any"}, "strict": {"any", "strict"}, "complete": {"any", "complete"},
                "strict_complete": set(_BALLOTS)}

    def keep(rule: Rule) -> bool:
        return ((input_kind is None or input_kind in rule.input_kinds)
                and all(flag is None or getattr(rule, attr) == flag for attr, flag in
                        (("resolute", resolute), ("probabilistic", probabilistic), ("committee", committee)))
                and (ballots is None or rule.ballots in accepted[ballots])
                and wanted <= rule.properties)

    return tuple(_RULES.sorted(keep))


def _check_report_limits(report_limits, owner: str) -> dict[str, int]:
    """The validated ``report_limits`` of :func:`register_rule` as a plain dict."""
    if report_limits is None:
        return {}
    rule = "a mapping from " + ", ".join(map(repr, REPORT_LIMITS)) + " to positive ints"
    if not isinstance(report_limits, Mapping):
        fail("report_limits", owner, rule, report_limits)
    out = {}
    for key, value in report_limits.items():
        if key not in REPORT_LIMITS:
            close = difflib.get_close_matches(str(key), list(REPORT_LIMITS), n=1)
            fail("report_limits", owner, rule, report_limits,
                 hint=f"{key!r} is not a limit." + (f" Did you mean {close[0]!r}?" if close else ""))
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
            fail("report_limits", owner, rule, report_limits, hint=f"The value of {key!r} is not a positive int.")
        out[key] = int(value)
    return out
