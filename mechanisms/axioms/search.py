"""Searching for counterexamples: exhaustive enumeration, statistical cultures, hypothesis.

``exhaustive``
    Every *anonymous* profile (multiset of ballots, one row per voter, ballots
    in a canonical order) with ``1..n_voters`` voters and ``2..n_alternatives``
    alternatives, smallest first, so the first witness found is a smallest one.
    Ordinal ballots are the ``m!`` strict complete rankings, approval ballots the
    ``2**m`` subsets; there are ``C(T + n - 1, n)`` profiles of ``n`` voters over
    ``T`` ballots.  For a rule that is not anonymous this covers one ordering of
    each multiset only.
``random``
    ``max_profiles`` profiles of exactly ``n_voters`` voters and
    ``n_alternatives`` alternatives drawn from a statistical culture of
    :mod:`mechanisms.generators` (impartial culture, or impartial approval
    culture), seeded by ``rng``.
``hypothesis``
    Profiles drawn by :func:`mechanisms.testing.profiles` (up to the given
    sizes); the first violation is shrunk by hypothesis to a minimal one.
    Needs the ``hypothesis`` package (the ``test`` extra).

Feasible exhaustive sizes (number of anonymous profiles with exactly ``n``
voters; the search visits the sum over ``n' <= n`` and ``m' <= m``)::

    ordinal, m = 3 (T = 6):    n = 3: 56    n = 4: 126     n = 5: 252      n = 7: 792     n = 10: 3,003
    ordinal, m = 4 (T = 24):   n = 2: 300   n = 3: 2,600   n = 4: 17,550   n = 5: 98,280
    ordinal, m = 5 (T = 120):  n = 2: 7,260 n = 3: 295,240
    approval, m = 3 (T = 8):   n = 4: 330   n = 6: 1,716
    approval, m = 4 (T = 16):  n = 3: 816   n = 4: 3,876   n = 5: 15,504

Every witness a search returns has been re-verified: :meth:`Axiom.check` is run
again on the witness profile with a fresh cache, and :meth:`Axiom.verify`
recomputes every stored outcome.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from solvers.errors import AlmechError, UnknownNameError
from solvers.validation import check_int, check_option, check_rng, fail, require

from ._case import Case, ballot_space
from .base import Axiom, Witness, get_axiom, resolve_rule

__all__ = ["SearchResult", "search", "find_violation", "count_profiles", "iter_profiles", "METHODS"]

#: Search methods.
METHODS = ("exhaustive", "random", "hypothesis")

_DEFAULT_MAX = {"exhaustive": 50_000, "random": 1_000, "hypothesis": 200}


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class SearchResult:
    """What a search for a violation found, and how hard it looked.

    Attributes
    ----------
    axiom, rule, method : str
    n_voters, n_alternatives : int
        The size bounds of the search.
    witness : Witness or None
        A re-verified counterexample, or None.
    n_profiles : int
        Profiles checked (until the witness, or all of them).
    n_vacuous : int
        Of those, profiles on which the axiom held only vacuously.
    n_skipped : int
        Profiles the rule rejected (outside its domain).
    complete : bool
        True when an exhaustive search visited every profile without a violation:
        then the axiom holds for every profile up to these sizes.
    applicable : bool
        False when the axiom does not apply to the rule (see ``reason``).
    reason : str
    params : mapping
        Parameters of the check (axiom parameters, tie-breaking, rule options).
    """

    axiom: str
    rule: str
    method: str
    n_voters: int
    n_alternatives: int
    witness: Witness | None = None
    n_profiles: int = 0
    n_vacuous: int = 0
    n_skipped: int = 0
    complete: bool = False
    applicable: bool = True
    reason: str = ""
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def found(self) -> bool:
        return self.witness is not None

    @property
    def summary(self) -> str:
        """One line: the verdict with the search effort."""
        if not self.applicable:
            return f"not applicable: {self.reason}"
        if self.witness is not None:
            p = self.witness.profile
            return (f"violated: witness with {p.n_voters} voters and {p.n_alternatives} alternatives "
                    f"after {self.n_profiles} profiles ({self.method})")
        scope = (f"every anonymous profile with n <= {self.n_voters}, m <= {self.n_alternatives}"
                 if self.method == "exhaustive" else
                 f"{self.n_profiles} {self.method} profiles (n <= {self.n_voters}, m <= {self.n_alternatives})")
        detail = f"{self.n_profiles} checked, {self.n_vacuous} vacuous, {self.n_skipped} outside the rule's domain"
        return f"no violation in {scope} ({detail})"

    def __repr__(self) -> str:
        return f"SearchResult(axiom={self.axiom!r}, rule={self.rule!r}, {self.summary})"

    def _repr_html_(self) -> str:
        import html

        body = html.escape(repr(self))
        extra = self.witness._repr_html_() if self.witness is not None else ""
        return f"<div><p>{body}</p>{extra}</div>"


def _n_ballots(kind: str, m: int) -> int:
    return math.factorial(m) if kind == "ordinal" else 2 ** m


def count_profiles(n_voters: int, n_alternatives: int, *, kind: str = "ordinal", cumulative: bool = True) -> int:
    """Number of anonymous profiles an exhaustive search visits.

    ``C(T + n - 1, n)`` with ``T = m!`` ordinal (``2**m`` approval) ballots,
    summed over ``1..n_voters`` and ``2..n_alternatives`` when ``cumulative``.

    Examples
    --------
    >>> count_profiles(4, 3, cumulative=False), count_profiles(4, 4, cumulative=False)
    (126, 17550)
    """
    owner = "count_profiles"
    n_max = check_int(n_voters, "n_voters", owner, low=1)
    m_max = check_int(n_alternatives, "n_alternatives", owner, low=2)
    check_option(kind, "kind", owner, ("ordinal", "approval"))
    ns = range(1, n_max + 1) if cumulative else (n_max,)
    ms = range(2, m_max + 1) if cumulative else (m_max,)
    return sum(math.comb(_n_ballots(kind, m) + n - 1, n) for m in ms for n in ns)


def _cases(kind: str, n: int, m: int) -> Iterator[Case]:
    space = ballot_space(kind, m)
    for combo in itertools.combinations_with_replacement(range(len(space)), n):
        yield Case(kind, m, [space[i] for i in combo])


def iter_profiles(n_voters: int, n_alternatives: int, *, kind: str = "ordinal") -> Iterator:
    """Every anonymous profile with exactly these sizes, one row per voter (ballots in canonical order).

    Under impartial culture the profile with ballot counts ``c`` has probability
    ``n! / prod(c_b!) / T**n``.

    Examples
    --------
    >>> sum(1 for _ in iter_profiles(3, 3))
    56
    """
    owner = "iter_profiles"
    n = check_int(n_voters, "n_voters", owner, low=1)
    m = check_int(n_alternatives, "n_alternatives", owner, low=1)
    check_option(kind, "kind", owner, ("ordinal", "approval"))
    for case in _cases(kind, n, m):
        yield case.to_profile()


def _culture(culture, domain: str, owner: str):
    from mechanisms import generators

    if culture is None:
        return generators.approval_ic if domain == "approval" else generators.impartial_culture
    if callable(culture):
        return culture
    if isinstance(culture, str):
        names = [n for n in generators.__all__ if callable(getattr(generators, n)) and n[0].islower()
                 and n not in ("annotator_population", "normalized_mallows_phi")]
        if culture not in names:
            raise UnknownNameError("culture", culture, names)
        return getattr(generators, culture)
    fail("culture", owner, "None, a culture name from mechanisms.generators, or a function (n, m, rng) -> profile",
         culture)


def search(axiom, rule, *, n_voters, n_alternatives, method: str = "exhaustive", rng=None, max_profiles=None,
           culture=None, culture_options=None, tie_break=None, rule_options=None, cache=None,
           **params) -> SearchResult:
    """Search for a profile on which ``rule`` violates ``axiom`` (see the module docstring for the methods).

    Parameters
    ----------
    axiom : str or Axiom
    rule : str, Rule or callable
    n_voters, n_alternatives : int
        Size bounds (``exhaustive``, ``hypothesis``) or exact sizes (``random``).
    method : {"exhaustive", "random", "hypothesis"}
    rng : numpy.random.Generator, int or None
        Seeds ``random`` and ``hypothesis``.
    max_profiles : int, optional
        ``exhaustive``: refuse sizes with more profiles than this (default 50,000);
        ``random``: number of samples (default 1,000); ``hypothesis``: examples
        (default 200).
    culture : str or callable, optional
        ``random`` only: a culture of :mod:`mechanisms.generators` by name or a
        function ``(n_voters, n_alternatives, rng=...) -> profile``.
    culture_options : mapping, optional
        Keyword arguments of the culture (e.g. ``{"phi": 0.5}`` for ``mallows``).
    tie_break, rule_options, cache, **params
        As in :meth:`Axiom.check`.

    Returns
    -------
    SearchResult
        ``witness`` is a re-verified counterexample or None; ``complete`` is True
        when an exhaustive search found none.

    Examples
    --------
    >>> from mechanisms.axioms import search
    >>> result = search("condorcet_winner", "copeland", n_voters=4, n_alternatives=3)
    >>> result.complete, result.found, result.n_profiles, result.n_vacuous
    (True, False, 223, 70)
    >>> result.summary
    "no violation in every anonymous profile with n <= 4, m <= 3 (223 checked, 70 vacuous, 0 outside the rule's domain)"
    >>> search("condorcet_winner", "borda", n_voters=4, n_alternatives=3).witness.profile.n_voters
    3
    """
    owner = "find_violation"
    ax = get_axiom(axiom)
    rule = resolve_rule(rule, owner)
    check_option(method, "method", owner, METHODS)
    n_max = check_int(n_voters, "n_voters", owner, low=1)
    m_max = check_int(n_alternatives, "n_alternatives", owner, low=2)
    limit = _DEFAULT_MAX[method] if max_profiles is None else check_int(max_profiles, "max_profiles", owner, low=1)
    if culture_options is not None and not isinstance(culture_options, Mapping):
        fail("culture_options", owner, "a mapping of keyword arguments for the culture", culture_options)
    if method != "random" and (culture is not None or culture_options is not None):
        fail("culture", owner, "given only with method='random'", culture)
    ctx, reason = ax._prepare(rule, owner, tie_break=tie_break, rule_options=rule_options, cache=cache,
                              params=params)
    common = dict(axiom=ax.id, rule=rule.id, method=method, n_voters=n_max, n_alternatives=m_max)
    if ctx is None:
        return SearchResult(**common, applicable=False, reason=reason, params=params)
    kind = ctx.domain
    if method == "exhaustive":
        total = count_profiles(n_max, m_max, kind=kind)
        if total > limit:
            feasible = max((n for n in range(1, n_max + 1) if count_profiles(n, m_max, kind=kind) <= limit),
                           default=None)
            fail("n_voters", owner, f"small enough for an exhaustive search (at most max_profiles={limit} "
                 f"anonymous profiles)", show_got=False,
                 hint=(f"Sizes n <= {n_max}, m <= {m_max} give {total:,} {kind} profiles "
                       f"(C(T + n - 1, n) summed over n and m). "
                       + (f"n_voters={feasible} is feasible; " if feasible else "")
                       + "or raise max_profiles, or use method='random'."))
        cases = (c for m in range(2, m_max + 1) for n in range(1, n_max + 1) for c in _cases(kind, n, m))
        found, counts = _scan(ax, ctx, cases)
        complete = found is None
    elif method == "random":
        generator = check_rng(rng, owner)
        make = _culture(culture, kind, owner)
        opts = dict(culture_options or {})
        cases = (Case.from_profile(make(n_max, m_max, rng=generator, **opts)) for _ in range(limit))
        found, counts = _scan(ax, ctx, cases)
        complete = False
    else:
        found, counts = _hypothesis(ax, ctx, n_max, m_max, limit, check_rng(rng, owner))
        complete = False
    if counts[0] and counts[2] == counts[0]:
        return SearchResult(**common, n_profiles=counts[0], n_skipped=counts[2], applicable=False,
                            reason=f"rule {rule.id!r} rejected every searched profile; the first rejection: "
                                   f"{counts[3]}", params=ctx.witness_params())
    witness = None
    if found is not None:
        witness = found
        _reverify(ax, rule, witness, tie_break, rule_options, params)
    return SearchResult(**common, witness=witness, n_profiles=counts[0], n_vacuous=counts[1], n_skipped=counts[2],
                        complete=complete, params=ctx.witness_params())


def find_violation(axiom, rule, *, n_voters, n_alternatives, method: str = "exhaustive", **kwargs) -> Witness | None:
    """A re-verified counterexample to ``axiom`` for ``rule``, or None (see :func:`search`).

    Examples
    --------
    >>> from mechanisms.axioms import find_violation
    >>> w = find_violation("participation", "instant_runoff", n_voters=4, n_alternatives=3)
    >>> w.profile.to_weak_orders(), w.outcome.winners        # tie {1, 2} broken lexicographically
    ([((0,), (1,), (2,)), ((1,), (2,), (0,)), ((2,), (0,), (1,)), ((2,), (0,), (1,))], (1,))
    >>> w.modified_outcome.winners                            # voter 2 (c > a > b) stays home: a wins
    (0,)
    """
    return search(axiom, rule, n_voters=n_voters, n_alternatives=n_alternatives, method=method, **kwargs).witness


def _scan(ax: Axiom, ctx, cases):
    n = vacuous = skipped = 0
    first_error = ""
    for case in cases:
        n += 1
        result = ax.run(ctx, case)
        if result.holds is False:
            return result.witness, (n, vacuous, skipped, first_error)
        if result.holds is None:
            skipped += 1
            first_error = first_error or result.reason
        elif result.vacuous:
            vacuous += 1
    return None, (n, vacuous, skipped, first_error)


class _Found(Exception):
    pass


def _hypothesis(ax: Axiom, ctx, n_max: int, m_max: int, limit: int, generator):
    require("hypothesis", "test", "method='hypothesis'")
    from hypothesis import HealthCheck, Phase, Verbosity, assume, given, seed, settings
    from hypothesis import strategies as st

    from mechanisms.testing.strategies import profiles

    kind = "strict" if ctx.domain == "ordinal" else "approval"
    counts = [0, 0, 0, ""]
    found: list[Witness] = []

    @seed(int(generator.integers(2**32)))
    @settings(max_examples=limit, deadline=None, database=None, derandomize=False, verbosity=Verbosity.quiet,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
              phases=(Phase.generate, Phase.shrink))
    @given(profiles(n_voters=st.integers(1, n_max), n_alternatives=st.integers(2, m_max), kind=kind))
    def run(profile):
        result = ax.run(ctx, Case.from_profile(profile))
        if not found:
            counts[0] += 1
            counts[1] += int(bool(result.vacuous))
            counts[2] += int(result.holds is None)
            counts[3] = counts[3] or (result.reason if result.holds is None else "")
        assume(result.holds is not None)
        if result.holds is False:
            found.append(result.witness)
            raise _Found

    try:
        run()
    except _Found:
        pass
    return (found[-1] if found else None), tuple(counts)


def _reverify(ax: Axiom, rule, witness: Witness, tie_break, rule_options, params) -> None:
    again = ax.check(rule, witness.profile, tie_break=tie_break, rule_options=rule_options, **params)
    if again.holds is not False or not ax.verify(rule, witness, rule_options=rule_options):
        raise AlmechError(f"The witness found for {ax.id} and rule {rule.id!r} could not be re-verified from "
                          f"scratch (is the rule deterministic?): {witness!r}")
