"""Axioms as objects: the :class:`Axiom` type, its results, witnesses and the registry.

An axiom is registered with :func:`register_axiom` next to its implementation
(any public module of this package; modules are discovered on the first
look-up).  The implementation is a function ``(ctx, case)`` that returns
``None`` when the axiom holds on ``case``, ``ctx.vacuous(reason)`` when it holds
vacuously, or ``ctx.violation(...)`` (a :class:`Witness`) when it is violated.
``ctx`` runs the rule (with an outcome cache), and ``case`` is the profile as
ballot tuples (see ``_case.Case``), so variants of it are cheap to build.

Conventions shared by every axiom
---------------------------------
* ``W(P)`` is the rule's *set* of winners on ``P`` (the full tied set, or the
  single winner when a ``tie_break`` is given).  For probabilistic rules ``W(P)``
  is the support of the lottery (alternatives with probability above ``1e-9``),
  unless an axiom states a lottery version.
* Rules that take an ``rng`` are run with ``rng=0``, so that every outcome is
  reproducible.
* A rule over pairwise comparisons (the RLHF shape) is checked on ordinal
  profiles: each voter's ranking becomes one comparison per pair of alternatives
  (``annotator`` = the voter's row).
* When the rule rejects a profile the axiom needs (a ``ValidationError``, e.g. a
  committee larger than the number of alternatives), the check on that profile
  is *not applicable* (``holds=None``) rather than an error.
"""

from __future__ import annotations

import difflib
import html
import inspect
import numbers
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from solvers.errors import UnknownNameError, ValidationError
from solvers.validation import check_option, fail

from .._registry import Registry
from ._case import Case
from .witness import LOTTERY_ATOL, AxiomResult, Witness

__all__ = [
    "Axiom", "AxiomResult", "Witness", "register_axiom", "get_axiom", "list_axioms", "custom_rule",
    "DOMAINS", "OUTCOMES", "LOTTERY_ATOL",
]

#: Kinds of profiles an axiom is stated on.
DOMAINS = ("ordinal", "approval")
#: Kinds of rule outputs an axiom is stated for.
OUTCOMES = ("winners", "lottery", "committees", "ranking")

# every axiom, discovered from this package's modules (``base``, ``search``, ``witness`` hold none)
_AXIOMS = Registry("axiom", __package__, skip_modules=("base", "search", "witness"))


# ====================================================================== rules: resolution, custom rules
def custom_rule(function: Callable, *, id: str = "custom", name: str | None = None, input_kind: str = "ordinal",
                resolute: bool = False, probabilistic: bool = False, committee: bool = False,
                ballots: str = "any", references: Iterable[str] = ()):
    """Wrap a plain function ``profile -> winners`` as an (unregistered) rule, to check axioms on it.

    Parameters
    ----------
    function : callable
        Takes a profile and returns the winners: an int, a sequence of ints (the
        tied set), an :class:`~mechanisms.social_choice.Outcome` or a
        :class:`~mechanisms.social_choice.RuleResult`.
    id, name : str
        How the rule is named in results and witnesses.
    input_kind, resolute, probabilistic, committee, ballots, references
        As in :func:`~mechanisms.social_choice.register_rule`.

    Notes
    -----
    An unregistered rule is not assumed anonymous: outcomes are cached per exact
    ballot order, so a dictatorship of the first ballot row is checked correctly.

    Examples
    --------
    >>> from mechanisms.axioms import custom_rule
    >>> first_voter = custom_rule(lambda p: int(p.rankings()[0, 0]), id="dictator", resolute=True)
    >>> first_voter
    <Rule 'dictator': dictator (ordinal, resolute)>
    """
    from mechanisms.social_choice import Outcome, Rule, RuleResult
    from mechanisms.social_choice.registry import INPUT_KINDS

    owner = "custom_rule"
    if not callable(function):
        fail("function", owner, "a callable profile -> winners", function)
    if not isinstance(id, str) or not id:
        fail("id", owner, "a nonempty str", id)
    check_option(input_kind, "input_kind", owner, tuple(INPUT_KINDS))

    def run(profile):
        out = function(profile)
        if isinstance(out, Outcome):
            return out
        if isinstance(out, RuleResult):
            return Outcome(winners=out.tied_winners, ranking=out.ranking, scores=out.scores, lottery=out.lottery,
                           committees=out.committees)
        if isinstance(out, numbers.Integral):
            return Outcome(winners=[int(out)])
        return Outcome(winners=[int(a) for a in out])

    run.__name__ = getattr(function, "__name__", id)
    run.__doc__ = getattr(function, "__doc__", None)
    return Rule(run, id=id, name=name or id, input_kinds=(input_kind,), resolute=bool(resolute),
                probabilistic=bool(probabilistic), committee=bool(committee), ballots=ballots,
                algorithms=("default",), references=tuple(references), aliases=(), properties=frozenset(),
                violates={})


def resolve_rule(rule, owner: str):
    """A :class:`~mechanisms.social_choice.Rule` from a rule, a rule id, or a plain function (:func:`custom_rule`)."""
    from mechanisms.social_choice import Rule, get_rule

    if isinstance(rule, Rule):
        return rule
    if isinstance(rule, str):
        return get_rule(rule)
    if callable(rule):
        return custom_rule(rule)
    fail("rule", owner, "a rule id (str), a Rule, or a function profile -> winners", rule)


def _is_registered(rule) -> bool:
    from mechanisms.social_choice import get_rule

    try:
        return get_rule(rule.id) is rule
    except UnknownNameError:
        return False


def rule_output(rule) -> str:
    """What the rule returns: ``"committees"``, ``"lottery"`` or ``"winners"``."""
    return "committees" if rule.committee else ("lottery" if rule.probabilistic else "winners")


def rule_domain(rule, domains: Sequence[str]) -> str | None:
    """The first of ``domains`` the rule can be checked on (pairwise rules count as ordinal)."""
    for d in domains:
        if d == "ordinal" and ("ordinal" in rule.input_kinds or "pairwise" in rule.input_kinds):
            return d
        if d == "approval" and "approval" in rule.input_kinds:
            return d
    return None


def _freeze(value):
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_freeze(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value))
    return value


# ====================================================================== the evaluation context
class OutOfDomain(Exception):
    """The rule rejected a profile the check needed (internal signal)."""


class _Vacuous:
    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


class Context:
    """What an axiom implementation sees: the rule (run with a cache), its options and the axiom's parameters."""

    def __init__(self, axiom: "Axiom", rule, *, tie_break, rule_options, params: Mapping, cache, domain: str):
        self.axiom = axiom
        self.rule = rule
        self.params = MappingProxyType(dict(params))
        self.domain = domain
        self.output = rule_output(rule)
        self.pairwise = domain == "ordinal" and "ordinal" not in rule.input_kinds
        self.anonymous = _is_registered(rule) and "anonymity" not in rule.violates
        self.cache = cache if cache is not None else {}
        self.tie_break = tie_break
        self.rule_options = rule_options
        self._opts: dict[int, tuple[dict, Any]] = {}
        self._tb_key = _freeze(tie_break)
        # pass a fixed seed only to rules that use randomness (building a Generator per call is not free)
        self._rng = {"rng": 0} if "rng" in inspect.signature(rule.function).parameters else {}

    # -- rule options and tie-breaking per number of alternatives
    def options_for(self, m: int) -> tuple[dict, Any]:
        if m not in self._opts:
            opts = self.rule_options(m) if callable(self.rule_options) else (self.rule_options or {})
            opts = dict(opts)
            self._opts[m] = (opts, _freeze(opts))
        return self._opts[m]

    def tie_break_for(self, m: int):
        tb = self.tie_break
        if tb is None or isinstance(tb, str):
            return tb
        return [a for a in tb if a < m]

    # -- outcomes
    def outcome(self, case: Case, *, ordered: bool = False):
        """The rule's :class:`RuleResult` on ``case`` (cached; raises OutOfDomain if the rule rejects it)."""
        opts, opts_key = self.options_for(case.m)
        key = (self.rule, self._tb_key, opts_key, self.pairwise, case.key(ordered or not self.anonymous))
        hit = self.cache.get(key)
        if hit is None:
            data = case.to_pairwise() if self.pairwise else case.to_profile()
            try:
                hit = self.rule(data, tie_break=self.tie_break_for(case.m), **self._rng, **opts)
            except ValidationError as exc:
                hit = ("out_of_domain", str(exc))
            self.cache[key] = hit
        if isinstance(hit, tuple):
            raise OutOfDomain(hit[1])
        return hit

    def winners(self, case: Case, *, ordered: bool = False) -> frozenset[int]:
        """``W(case)``: the winners (the lottery's support for probabilistic rules)."""
        result = self.outcome(case, ordered=ordered)
        if result.lottery is not None:
            return frozenset(int(a) for a in np.flatnonzero(np.asarray(result.lottery) > LOTTERY_ATOL))
        return frozenset(result.winners)

    def lottery(self, case: Case) -> np.ndarray:
        result = self.outcome(case)
        if result.lottery is None:
            raise OutOfDomain(f"rule {self.rule.id!r} returned no lottery")
        return np.asarray(result.lottery, dtype=np.float64)

    def ranking(self, case: Case):
        result = self.outcome(case)
        if result.ranking is None:
            raise OutOfDomain(f"rule {self.rule.id!r} returned no ranking")
        return result.ranking

    def committees(self, case: Case) -> tuple[tuple[int, ...], ...]:
        """Every winning committee (only the selected one when a ``tie_break`` is given)."""
        result = self.outcome(case)
        if result.committees is None or self.tie_break is not None:
            return (tuple(result.winners),)
        return result.committees

    # -- verdicts
    def vacuous(self, reason: str) -> _Vacuous:
        return _Vacuous(reason)

    def violation(self, case: Case, *, modified: Case | None = None, ordered: bool = False, voters=(),
                  true_ballots=(), misreports=(), alternatives=(), committee=None, parts=(),
                  explanation: str = "") -> Witness:
        return Witness(
            axiom=self.axiom.id, rule=self.rule.id, profile=case.to_profile(),
            outcome=self.outcome(case, ordered=ordered),
            modified_profile=None if modified is None else modified.to_profile(),
            modified_outcome=None if modified is None else self.outcome(modified, ordered=ordered),
            voters=tuple(int(v) for v in voters), true_ballots=tuple(true_ballots), misreports=tuple(misreports),
            alternatives=tuple(int(a) for a in alternatives),
            committee=None if committee is None else tuple(int(a) for a in committee),
            parts=tuple(p.to_profile() for p in parts), part_outcomes=tuple(self.outcome(p) for p in parts),
            params=self.witness_params(), explanation=explanation,
        )

    def witness_params(self) -> dict:
        out = dict(self.params)
        if self.tie_break is not None:
            out["tie_break"] = self.tie_break
        if self.rule_options and not callable(self.rule_options):
            out["rule_options"] = dict(self.rule_options)
        return out

    @staticmethod
    def names(case: Case, alternatives) -> str:
        """``{a, b}`` with the case's labels, for explanations."""
        return "{" + ", ".join(case.label(a) for a in sorted(alternatives)) + "}"


# ====================================================================== the Axiom type
class Axiom:
    """A registered axiom: ``check`` one profile, ``find_violation`` / ``search`` for a counterexample.

    Attributes
    ----------
    id : str
        Stable lowercase identifier (``get_axiom(id)``).
    name : str
        Display name.
    domains : tuple of str
        Profiles it is stated on: ``"ordinal"`` and/or ``"approval"``.
    outcomes : tuple of str
        Rule outputs it is stated for: ``"winners"`` (single-winner rules, resolute
        or not), ``"lottery"`` (probabilistic rules), ``"committees"``,
        ``"ranking"`` (rules that also return a ranking).
    params : mapping
        The axiom's own parameters and their defaults.
    references : tuple of str
        Where the axiom is defined.
    """

    def __init__(self, function: Callable, *, id: str, name: str, domains: tuple[str, ...],
                 outcomes: tuple[str, ...], references: tuple[str, ...], params: Mapping[str, Any],
                 validate: Callable | None, requires: Callable | None, statement: str):
        self.id = id
        self.name = name
        self.domains = domains
        self.outcomes = outcomes
        self.references = references
        self.params = MappingProxyType(dict(params))
        self.statement = statement
        self.function = function
        self._validate = validate
        self._requires = requires
        self.__doc__ = function.__doc__
        self.__wrapped__ = function

    # ------------------------------------------------------------------ set-up
    def _prepare(self, rule, owner: str, *, tie_break, rule_options, cache, params) -> tuple[Context | None, str]:
        """Validate the arguments and build the context; ``(None, reason)`` when the axiom does not apply."""
        rule = resolve_rule(rule, owner)
        unknown = [k for k in params if k not in self.params]
        if unknown:
            known = ", ".join(repr(k) for k in self.params) or "none"
            close = difflib.get_close_matches(unknown[0], list(self.params) + ["tie_break", "rule_options"], n=1)
            fail(unknown[0], owner, f"one of this axiom's parameters ({known})", show_got=False,
                 hint=f"Did you mean {close[0]!r}?" if close else "")
        merged = {**self.params, **params}
        tie_break = _check_tie_break(tie_break, owner)
        if cache is not None and not isinstance(cache, MutableMapping):
            fail("cache", owner, "a dict (reused across calls to memoize outcomes) or None", cache)
        domain = rule_domain(rule, self.domains)
        if domain is None:
            kinds = " or ".join(self.domains)
            return None, (f"{self.id} is stated on {kinds} profiles; rule {rule.id!r} takes "
                          f"{'/'.join(rule.input_kinds)} profiles")
        output = rule_output(rule)
        needs_ranking = output not in self.outcomes and "ranking" in self.outcomes and output == "winners"
        if output not in self.outcomes and not needs_ranking:
            want = ", ".join(self.outcomes)
            return None, f"{self.id} is stated for rules returning {want}; rule {rule.id!r} returns {output}"
        if self._requires is not None:
            reason = self._requires(rule, merged)
            if reason:
                return None, reason
        if self._validate is not None:
            merged, tie_break = self._validate(merged, rule, tie_break, owner)
        rule_options = _check_rule_options(rule_options, rule, owner)
        ctx = Context(self, rule, tie_break=tie_break, rule_options=rule_options, params=merged, cache=cache,
                      domain=domain)
        reason = _probe(ctx, needs_ranking)
        if reason:
            return None, reason
        return ctx, ""

    def applies_to(self, rule, *, tie_break=None, rule_options=None, cache=None, **params) -> tuple[bool, str]:
        """Whether the axiom applies to ``rule`` (its input kind and output), and if not, why.

        The rule is run once on a small profile of its domain (through ``cache``),
        so a rule that needs data the axioms cannot supply (feature vectors, say) is
        reported as not applicable.

        Examples
        --------
        >>> from mechanisms.axioms import get_axiom
        >>> get_axiom("jr").applies_to("borda")
        (False, "jr is stated on approval profiles; rule 'borda' takes ordinal profiles")
        """
        ctx, reason = self._prepare(rule, f"{self.id}.applies_to", tie_break=tie_break, rule_options=rule_options,
                                    cache=cache, params=params)
        return ctx is not None, reason

    # ------------------------------------------------------------------ checking
    def check(self, rule, profile, /, *, tie_break=None, rule_options=None, cache=None, **params) -> AxiomResult:
        """Check the axiom for ``rule`` on ``profile``.

        Parameters
        ----------
        rule : str, Rule or callable
            A registered rule (id or object) or a function ``profile -> winners``
            (see :func:`custom_rule`).
        profile : Profile or ApprovalProfile
            The profile to check (ordinal for ordinal and pairwise-input rules).
        tie_break : None, "lexicographic" or sequence of int
            Passed to the rule: None keeps tied winners (set-valued outcomes); a
            priority order is applied to the ids present in each profile.
        rule_options : mapping or callable, optional
            The rule's own options, or a function of the number of alternatives
            returning them (for options whose size depends on it).
        cache : dict, optional
            Reused across calls to memoize the rule's outcomes.
        **params
            The axiom's own parameters (see ``axiom.params`` and its docstring).

        Returns
        -------
        AxiomResult
            ``holds`` is None (with a ``reason``) when the axiom does not apply to
            the rule or the rule rejects a profile the check needs.
        """
        owner = f"{self.id}.check"
        rule = resolve_rule(rule, owner)
        ctx, reason = self._prepare(rule, owner, tie_break=tie_break, rule_options=rule_options, cache=cache,
                                    params=params)
        if ctx is None:
            return AxiomResult(self.id, rule.id, None, reason=reason, params=params)
        case = _case_from(profile, ctx.domain, owner)
        return self.run(ctx, case)

    def run(self, ctx: Context, case: Case) -> AxiomResult:
        """Check one case in a prepared context (used by the searches)."""
        params = ctx.witness_params()
        try:
            ctx.outcome(case, ordered=self.id == "anonymity")   # the profile itself must be in the rule's domain
            out = self.function(ctx, case)
        except OutOfDomain as exc:
            return AxiomResult(self.id, ctx.rule.id, None, reason=f"the rule rejects a profile this check needs: {exc}",
                               params=params)
        if out is None:
            return AxiomResult(self.id, ctx.rule.id, True, params=params)
        if isinstance(out, _Vacuous):
            return AxiomResult(self.id, ctx.rule.id, True, vacuous=True, reason=out.reason, params=params)
        return AxiomResult(self.id, ctx.rule.id, False, witness=out, params=params)

    __call__ = check

    def verify(self, rule, witness: Witness, *, rule_options=None) -> bool:
        """Re-verify a witness from scratch: recompute its outcomes and re-run :meth:`check` on its profile.

        True when every stored outcome is reproduced and the axiom is violated on
        ``witness.profile``; no cache is shared with the search that found it.
        """
        owner = f"{self.id}.verify"
        if not isinstance(witness, Witness):
            fail("witness", owner, "a Witness", witness)
        params = dict(witness.params)
        tie_break = params.pop("tie_break", None)
        stored_options = params.pop("rule_options", None)
        options = rule_options if rule_options is not None else stored_options
        ctx, _ = self._prepare(rule, owner, tie_break=tie_break, rule_options=options, cache=None, params=params)
        if ctx is None:
            return False
        ordered = self.id == "anonymity"
        for prof, stored in ((witness.profile, witness.outcome), (witness.modified_profile, witness.modified_outcome),
                             *zip(witness.parts, witness.part_outcomes)):
            if prof is None:
                continue
            try:
                fresh = ctx.outcome(_case_from(prof, ctx.domain, owner), ordered=ordered)
            except OutOfDomain:
                return False
            if not same_outcome(fresh, stored):
                return False
        fresh_ctx, _ = self._prepare(rule, owner, tie_break=tie_break, rule_options=options, cache=None,
                                     params=params)
        return self.run(fresh_ctx, _case_from(witness.profile, ctx.domain, owner)).holds is False

    # ------------------------------------------------------------------ searching (see search.py)
    def search(self, rule, /, **kwargs):
        """Search for a violation and report the effort: a :class:`~mechanisms.axioms.search.SearchResult`.

        Takes the arguments of :func:`mechanisms.axioms.search.search` (sizes, method, ...).
        """
        from .search import search

        return search(self, rule, **kwargs)

    def find_violation(self, rule, /, *, n_voters, n_alternatives, method: str = "exhaustive", rng=None,
                       max_profiles=None, culture=None, culture_options=None, tie_break=None, rule_options=None,
                       cache=None, **params) -> Witness | None:
        """A re-verified counterexample, or None when the search finds none.

        ``method="exhaustive"`` visits every anonymous profile with
        ``1..n_voters`` voters and ``2..n_alternatives`` alternatives (smallest
        first); ``"random"`` samples ``max_profiles`` profiles of exactly these sizes
        from a statistical culture (seeded by ``rng``); ``"hypothesis"`` draws
        profiles up to these sizes and shrinks the first violation to a minimal one.
        See :func:`mechanisms.axioms.search.search` for every argument and the
        feasible exhaustive sizes.
        """
        return self.search(rule, n_voters=n_voters, n_alternatives=n_alternatives, method=method, rng=rng,
                           max_profiles=max_profiles, culture=culture, culture_options=culture_options,
                           tie_break=tie_break, rule_options=rule_options, cache=cache, **params).witness

    # ------------------------------------------------------------------ display, pickling
    def __reduce__(self):
        return (get_axiom, (self.id,))

    def __repr__(self) -> str:
        return f"<Axiom {self.id!r}: {self.name} ({'/'.join(self.domains)}; {'/'.join(self.outcomes)})>"

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = [("id", self.id), ("name", self.name), ("statement", self.statement),
                ("profiles", ", ".join(self.domains)), ("rule outputs", ", ".join(self.outcomes)),
                ("parameters", ", ".join(f"{k}={v!r}" for k, v in self.params.items()) or "none"),
                ("references", "; ".join(self.references))]
        body = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in rows)
        return f"<table><caption>Axiom</caption>{body}</table>"


def _probe(ctx: Context, needs_ranking: bool) -> str:
    """Run the rule on a small profile of its domain: empty when it accepts it (and returns a ranking when
    ``needs_ranking``), otherwise the reason the axiom does not apply (e.g. the rule needs feature vectors)."""
    k = ctx.options_for(3)[0].get("k", 1)
    m = max(3, k + 1) if isinstance(k, int) and not isinstance(k, bool) else 3
    if ctx.domain == "ordinal":
        rows = [tuple((a + shift) % m for a in range(m)) for shift in (0, 1, 2)] + [tuple(range(m))]
    else:
        rows = [tuple(int(a <= j) for a in range(m)) for j in range(m)] + [tuple([1] + [0] * (m - 1))]
    try:
        result = ctx.outcome(Case(ctx.domain, m, rows))
    except OutOfDomain as exc:
        return f"rule {ctx.rule.id!r} rejects a small {ctx.domain} test profile: {exc}"
    if needs_ranking and result.ranking is None:
        return f"{ctx.axiom.id} is stated for rules returning a ranking; rule {ctx.rule.id!r} returns none"
    return ""


def _case_from(profile, domain: str, owner: str) -> Case:
    from mechanisms.profiles import ApprovalProfile, Profile

    cls = Profile if domain == "ordinal" else ApprovalProfile
    if not isinstance(profile, cls):
        want = "an ordinal Profile" if domain == "ordinal" else "an ApprovalProfile"
        hint = f"Got {type(profile).__name__} instead."
        if domain == "ordinal":
            hint += " (Rules over pairwise comparisons are checked on the voters' rankings.)"
        fail("profile", owner, want, show_got=False, hint=hint)
    return Case.from_profile(profile)


def _check_tie_break(tie_break, owner: str):
    if tie_break is None or tie_break == "lexicographic":
        return tie_break
    rule = "None, 'lexicographic' or a priority order (a sequence of distinct alternative ids)"
    if isinstance(tie_break, str):
        hint = "Random tie-breaking would make verdicts irreproducible." if tie_break == "random" else ""
        fail("tie_break", owner, rule, tie_break, hint=hint)
    if not isinstance(tie_break, (Sequence, np.ndarray)):
        fail("tie_break", owner, rule, tie_break)
    order = list(tie_break)
    if (not order or not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) and a >= 0 for a in order)
            or len(set(order)) != len(order)):
        fail("tie_break", owner, rule, tie_break)
    return tuple(int(a) for a in order)


def _check_rule_options(rule_options, rule, owner: str):
    if rule_options is None:
        missing = [k for k, d in rule.options.items() if d is inspect.Parameter.empty]
        if missing:
            fail("rule_options", owner, f"given for rule {rule.id!r} (its option {missing[0]!r} has no default)",
                 show_got=False, hint=f"Pass rule_options={{{missing[0]!r}: ...}} or a function of the number "
                                      f"of alternatives returning them.")
        return None
    if callable(rule_options):
        return rule_options
    if not isinstance(rule_options, Mapping):
        fail("rule_options", owner, "a mapping of the rule's options, or a function of the number of alternatives "
             "returning one", rule_options)
    for key in rule_options:
        if key not in rule.options:
            known = ", ".join(repr(k) for k in rule.options) or "none"
            fail("rule_options", owner, f"a mapping of rule {rule.id!r}'s options ({known})", rule_options,
                 hint=f"{key!r} is not one of them.")
    return MappingProxyType(dict(rule_options))


# ====================================================================== outcome comparison
def same_outcome(r1, r2, perm=None, *, ranking: bool = True) -> bool:
    """Whether two RuleResults agree on winners, committees, lottery and (``ranking=True``) ranking,
    after renaming ``r1``'s alternatives by ``perm``."""
    def mp(a):
        return perm[a] if perm is not None else a

    if tuple(sorted(mp(a) for a in r1.winners)) != tuple(r2.winners):
        return False
    if ranking and (r1.ranking is None) != (r2.ranking is None):
        return False
    if ranking and r1.ranking is not None and tuple(tuple(sorted(mp(a) for a in g)) for g in r1.ranking) != \
            r2.ranking:
        return False
    if (r1.committees is None) != (r2.committees is None):
        return False
    if r1.committees is not None and tuple(sorted(tuple(sorted(mp(a) for a in c)) for c in r1.committees)) != \
            r2.committees:
        return False
    if (r1.lottery is None) != (r2.lottery is None):
        return False
    if r1.lottery is not None:
        p1 = np.asarray(r1.lottery, dtype=np.float64)
        mapped = np.empty_like(p1)
        mapped[[mp(a) for a in range(len(p1))]] = p1
        if mapped.shape != np.shape(r2.lottery) or not np.allclose(mapped, r2.lottery, rtol=0, atol=1e-7):
            return False
    return True


# ====================================================================== the registry
def register_axiom(id: str, *, name: str, domains: Iterable[str] = ("ordinal",),
                   outcomes: Iterable[str] = ("winners", "lottery"), references: Iterable[str] = (),
                   params: Mapping[str, Any] | None = None, validate: Callable | None = None,
                   requires: Callable | None = None, statement: str = "") -> Callable[[Callable], Axiom]:
    """Decorator registering an axiom implementation ``(ctx, case) -> None | ctx.vacuous(...) | ctx.violation(...)``.

    Parameters
    ----------
    id : str
        Stable lowercase identifier.
    name : str
        Display name.
    domains : iterable of {"ordinal", "approval"}
        Profiles the axiom is stated on (the first one the rule accepts is used).
    outcomes : iterable of {"winners", "lottery", "committees", "ranking"}
        Rule outputs the axiom is stated for.
    references : iterable of str
        The defining papers.
    params : mapping, optional
        The axiom's parameters and their defaults.
    validate : callable, optional
        ``(params, rule, tie_break, owner) -> (params, tie_break)``: checks the
        parameters (raising ValidationError) and may set the tie-breaking.
    requires : callable, optional
        ``(rule, params) -> str``: a reason the axiom does not apply to the rule, or "".
    statement : str
        The axiom in one sentence (shown in reports).
    """
    owner = "register_axiom"
    _AXIOMS.check_id(id, owner)
    domains = tuple(domains)
    outcomes = tuple(outcomes)
    for d in domains:
        check_option(d, "domains", owner, DOMAINS)
    for o in outcomes:
        check_option(o, "outcomes", owner, OUTCOMES)

    def decorate(function: Callable) -> Axiom:
        axiom = Axiom(function, id=id, name=name, domains=domains, outcomes=outcomes, references=tuple(references),
                      params=params or {}, validate=validate, requires=requires, statement=statement)
        _AXIOMS.add(id, axiom, function)
        return axiom

    return decorate


def get_axiom(id: str | Axiom) -> Axiom:
    """The axiom registered under ``id``.

    Raises
    ------
    UnknownNameError
        When no axiom has that id; the message suggests close matches.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> get_axiom("condorcet_winner")
    <Axiom 'condorcet_winner': Condorcet winner criterion (ordinal; winners/lottery)>
    """
    return _AXIOMS.get(id, "get_axiom", Axiom)


def list_axioms(*, domain: str | None = None, outcome: str | None = None) -> tuple[Axiom, ...]:
    """Registered axioms (sorted by id), optionally only those stated on ``domain`` profiles or for ``outcome`` rules.

    Examples
    --------
    >>> from mechanisms.axioms import list_axioms
    >>> [a.id for a in list_axioms(domain="approval", outcome="committees")]
    ['anonymity', 'core', 'ejr', 'homogeneity', 'jr', 'neutrality', 'pjr']
    """
    if domain is not None:
        check_option(domain, "domain", "list_axioms", DOMAINS)
    if outcome is not None:
        check_option(outcome, "outcome", "list_axioms", OUTCOMES)
    return tuple(_AXIOMS.sorted(lambda a: (domain is None or domain in a.domains)
                                and (outcome is None or outcome in a.outcomes)))
