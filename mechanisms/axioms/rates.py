"""Manipulability rates: how often a voter (or a coalition) can manipulate, exactly or by Monte Carlo.

A profile is *manipulable* when the axiom ``strategyproofness`` (``coalition_size=1``)
or ``coalitional_manipulability`` with ``k = coalition_size`` (some coalition of
*at most* ``k`` voters, ``goal`` constructive or destructive) is violated on it,
under the preference model ``model`` of :mod:`mechanisms.axioms.manipulation`
(default: ties broken lexicographically).  Every sampled profile is decided
completely (every voter or coalition, every misreport), so a manipulable profile
comes with a witness and a non-manipulable one is certified.

``exact=True`` (impartial culture only)
    Enumerates every anonymous profile (multiset of ballots) and weights it by
    its probability under impartial culture, ``n! / prod(c_b!) / T**n`` for ballot
    counts ``c`` over the ``T`` ballots (``T = m!`` rankings, or ``2**m`` approval
    sets for ``approval_ic`` with ``p = 1/2``).  The rate is an exact fraction.
    When ``max_profiles`` stops the enumeration early, the result is the
    *certified interval* ``[lower_bound, upper_bound]``: ``lower_bound`` is the
    probability mass of profiles already shown manipulable (each with a witness),
    ``upper_bound`` is one minus the mass already shown non-manipulable;
    ``complete`` is False.
``culture="preflib"`` (real data)
    The bootstrap culture of :mod:`mechanisms.axioms.real_data`: voters resampled
    with replacement from a bundled PrefLib election, with ``culture_options``
    ``{"election": name, "alternatives": ids}`` (default alternatives: the top
    ``n_alternatives`` by Borda score).  ``exact=True`` enumerates the resampling
    distribution (each anonymous profile over the election's distinct ballots
    weighted by its multinomial probability), with the same certified interval
    when ``max_profiles`` stops it.  Whether the election *itself* is manipulable
    is :func:`~mechanisms.axioms.real_data.election_manipulability`.
Monte Carlo (default)
    ``n_samples`` profiles drawn from ``culture``; the rate is the fraction of
    manipulable ones with its binomial standard error
    ``sqrt(rate (1 - rate) / n)``.  Samples are split into chunks of
    ``chunk_size``, each with its own seed spawned from ``rng``, and the chunks run
    through ``executor``: the result depends on ``rng`` and ``chunk_size`` only,
    not on the executor.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from solvers.errors import UnknownNameError
from solvers.validation import check_int, check_option, check_rng, fail

__all__ = ["ManipulationRate", "manipulability_rate"]

_IC = {"ordinal": "impartial_culture", "approval": "approval_ic"}


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class ManipulationRate:
    """The share of profiles on which some voter (coalition) can manipulate.

    Attributes
    ----------
    rule, culture : str
    n_voters, n_alternatives, coalition_size : int
    params : mapping
        The manipulation check's parameters (``model``, ``goal``, ``tie_break``).
    rate : float
        The exact rate (``exact=True``, complete), the midpoint of the certified
        interval (``exact=True``, stopped early), or the Monte Carlo estimate.
    standard_error : float
        0 for an exact rate; ``sqrt(rate (1 - rate) / n_samples)`` for Monte Carlo.
    lower_bound, upper_bound : float
        Certified bounds (exact) or ``rate -/+ 3 standard errors`` clipped to [0, 1]
        (Monte Carlo, *not* certified).
    exact : bool
    exact_rate, exact_lower, exact_upper : Fraction or None
        The exact rate (complete enumeration) and the certified bounds as fractions.
    complete : bool
        False when an exact enumeration stopped at ``max_profiles``.
    n_samples : int
        Profiles decided (Monte Carlo samples, or anonymous profiles enumerated).
    n_manipulable : int
        Of those, the manipulable ones.
    n_skipped : int
        Profiles the rule rejected (outside its domain; left out of the rate).
    """

    rule: str
    culture: str
    n_voters: int
    n_alternatives: int
    coalition_size: int
    params: Mapping[str, Any]
    rate: float
    standard_error: float
    lower_bound: float
    upper_bound: float
    exact: bool
    complete: bool
    n_samples: int
    n_manipulable: int
    n_skipped: int = 0
    exact_rate: Fraction | None = None
    exact_lower: Fraction | None = None
    exact_upper: Fraction | None = None

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["params"] = {k: v for k, v in self.params.items() if not callable(v)}
        for key in ("exact_rate", "exact_lower", "exact_upper"):
            out[key] = None if out[key] is None else str(out[key])
        return out

    def __repr__(self) -> str:
        who = "a voter" if self.coalition_size == 1 else f"a coalition of <= {self.coalition_size} voters"
        if self.exact and self.complete:
            value = f"rate={self.exact_rate} ({self.rate:.4g}), exact over {self.n_samples} anonymous profiles"
        elif self.exact:
            value = (f"certified {self.lower_bound:.4g} <= rate <= {self.upper_bound:.4g} (enumeration stopped "
                     f"after {self.n_samples} anonymous profiles)")
        else:
            value = f"rate={self.rate:.4g} +/- {self.standard_error:.2g} (SE, {self.n_samples} samples)"
        return (f"ManipulationRate(rule={self.rule!r}, {who} can manipulate, culture={self.culture!r}, "
                f"n={self.n_voters}, m={self.n_alternatives}: {value})")

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(repr(self))}</p>"


# ---------------------------------------------------------------- work units (top level: spawn-safe)
def _context(rule, coalition_size: int, params: Mapping):
    from .base import get_axiom

    if coalition_size == 1:
        ax = get_axiom("strategyproofness")
        ax_params = {"model": params.get("model")}
    else:
        ax = get_axiom("coalitional_manipulability")
        ax_params = {"k": coalition_size, "goal": params.get("goal", "constructive"), "model": params.get("model")}
    ctx, reason = ax._prepare(rule, "manipulability_rate", tie_break=params.get("tie_break"),
                              rule_options=params.get("rule_options"), cache=None, params=ax_params)
    return ax, ctx, reason


def _decide(ax, ctx, case) -> int:
    """1 manipulable, 0 not, -1 outside the rule's domain."""
    holds = ax.run(ctx, case).holds
    return -1 if holds is None else int(holds is False)


def _monte_carlo_chunk(rule, culture, culture_options, n: int, m: int, size: int, seed, coalition_size: int,
                       params: Mapping) -> tuple[int, int, int]:
    """(manipulable, decided, skipped) over ``size`` profiles drawn with ``seed`` (a worker's unit of work)."""
    from ._case import Case
    from .base import resolve_rule
    from .search import _culture

    rule = resolve_rule(rule, "manipulability_rate")
    ax, ctx, _ = _context(rule, coalition_size, params)
    make = _culture(culture, ctx.domain, "manipulability_rate")
    generator = np.random.default_rng(seed)
    manip = decided = skipped = 0
    for _ in range(size):
        verdict = _decide(ax, ctx, Case.from_profile(make(n, m, rng=generator, **dict(culture_options))))
        if verdict < 0:
            skipped += 1
        else:
            decided += 1
            manip += verdict
    return manip, decided, skipped


def _run_chunks(executor, jobs):
    if executor == "serial":
        return [_monte_carlo_chunk(*job) for job in jobs]
    own = executor is None
    if own:
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        workers = max(1, min(len(jobs), os.cpu_count() or 1))
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = [executor.submit(_monte_carlo_chunk, *job) for job in jobs]
        return [f.result() for f in futures]
    finally:
        if own:
            executor.shutdown()


def _exact(rule, n: int, m: int, coalition_size: int, params: Mapping, limit: int | None, space=None,
           probs=None, labels=None):
    """Enumerate anonymous profiles; ``space``/``probs`` give a ballot distribution (default: uniform, IC)."""
    import itertools

    from ._case import Case, ballot_space

    ax, ctx, _ = _context(rule, coalition_size, params)
    if space is None:
        space = ballot_space(ctx.domain, m)
        probs = None
    total = len(space) ** n if probs is None else 1
    n_fact = math.factorial(n)
    yes = no = 0          # probability mass (times total) shown manipulable / not manipulable
    visited = manip = skipped = 0
    complete = True
    for combo in itertools.combinations_with_replacement(range(len(space)), n):
        if limit is not None and visited >= limit:
            complete = False
            break
        visited += 1
        weight = n_fact
        for _, group in itertools.groupby(combo):
            weight //= math.factorial(sum(1 for _ in group))
        if probs is not None:
            weight = weight * math.prod((probs[i] for i in combo), start=Fraction(1))
        verdict = _decide(ax, ctx, Case(ctx.domain, m, [space[i] for i in combo], labels=labels))
        if verdict < 0:
            skipped += 1
            continue
        manip += verdict
        if verdict:
            yes += weight
        else:
            no += weight
    return Fraction(yes, total), Fraction(no, total), visited - skipped, manip, skipped, complete


# ---------------------------------------------------------------- the public function
def manipulability_rate(rule, culture=None, *, n_voters, n_alternatives, n_samples: int = 1000,
                        coalition_size: int = 1, exact: bool = False, max_profiles: int | None = None,
                        model: str | None = None, goal: str = "constructive", tie_break=None, rule_options=None,
                        culture_options=None, chunk_size: int = 250, rng=None, executor=None) -> ManipulationRate:
    """Share of profiles on which some voter (or coalition of at most ``coalition_size``) can manipulate.

    Parameters
    ----------
    rule : str, Rule or callable
        A registered rule (id or object) or a plain function (see
        :func:`~mechanisms.axioms.custom_rule`; with a process pool it must pickle).
    culture : str or callable, optional
        A culture of :mod:`mechanisms.generators` by name (default impartial
        culture, or ``approval_ic`` for approval rules), ``"preflib"`` (voters
        resampled from a real election, see the module docstring) or a top-level
        function ``(n_voters, n_alternatives, rng=...) -> profile``.
    n_voters, n_alternatives : int
        Exact sizes of the profiles.
    n_samples : int
        Monte Carlo samples.
    coalition_size : int
        1: a single manipulator (``strategyproofness``); ``k > 1``: some coalition
        of at most ``k`` voters (``coalitional_manipulability``).
    exact : bool
        Enumerate every anonymous profile, weighted by its exact probability
        (impartial culture or ``"preflib"``; see the module docstring).
    max_profiles : int, optional
        ``exact=True``: stop after this many anonymous profiles and return the
        certified interval.
    model, goal, tie_break, rule_options
        As for the axioms in :mod:`mechanisms.axioms.manipulation`.
    culture_options : mapping, optional
        Keyword arguments of the culture (e.g. ``{"phi": 0.5}`` for ``mallows``;
        ``{"election": "netflix/00004-00000150.soc"}`` for ``"preflib"``).
    chunk_size : int
        Samples per unit of parallel work (each chunk gets its own spawned seed).
    rng : numpy.random.Generator, int or None
    executor : None, "serial" or concurrent.futures.Executor
        Runs the Monte Carlo chunks: None starts a local process pool (spawn),
        ``"serial"`` runs in this process, and any object with ``submit`` (a
        ``ThreadPoolExecutor``, a Ray- or Dask-backed executor, ...) is used as is.

    Returns
    -------
    ManipulationRate

    References
    ----------
    A. Gibbard, Manipulation of voting schemes: a general result, Econometrica 41
    (1973) 587-601.

    S. Nitzan, The vulnerability of point-voting schemes to preference variation and
    strategic manipulation, Public Choice 47 (1985) 349-370.

    D. Lepelley and B. Mbih, The proportion of coalitionally unstable situations under
    the plurality rule, Economics Letters 24 (1987) 311-315.

    Examples
    --------
    >>> from mechanisms.axioms import manipulability_rate
    >>> r = manipulability_rate("plurality", n_voters=2, n_alternatives=3, exact=True)
    >>> r.exact_rate, r.standard_error
    (Fraction(1, 9), 0.0)
    >>> mc = manipulability_rate("plurality", n_voters=2, n_alternatives=3, n_samples=200, rng=0,
    ...                          executor="serial")
    >>> abs(mc.rate - 1 / 9) < 3 * mc.standard_error
    True
    >>> real = manipulability_rate("plurality", "preflib", n_voters=2, n_alternatives=3, exact=True,
    ...                            culture_options={"election": "netflix/00004-00000006.soc"})
    >>> real.exact_rate
    Fraction(21053, 220900)
    """
    owner = "manipulability_rate"
    from .base import resolve_rule

    rule_obj = resolve_rule(rule, owner)
    n = check_int(n_voters, "n_voters", owner, low=1)
    m = check_int(n_alternatives, "n_alternatives", owner, low=2)
    k = check_int(coalition_size, "coalition_size", owner, low=1)
    samples = check_int(n_samples, "n_samples", owner, low=1)
    chunk = check_int(chunk_size, "chunk_size", owner, low=1)
    if not isinstance(exact, (bool, np.bool_)):
        fail("exact", owner, "a bool", exact)
    limit = None if max_profiles is None else check_int(max_profiles, "max_profiles", owner, low=1)
    if limit is not None and not exact:
        fail("max_profiles", owner, "given only with exact=True (Monte Carlo uses n_samples)", max_profiles)
    check_option(goal, "goal", owner, ("constructive", "destructive"))
    if culture_options is not None and not isinstance(culture_options, Mapping):
        fail("culture_options", owner, "None or a mapping of keyword arguments for the culture", culture_options)
    if not (executor is None or executor == "serial" or callable(getattr(executor, "submit", None))):
        fail("executor", owner, "None (a local process pool), 'serial', or a concurrent.futures.Executor", executor)
    generator = check_rng(rng, owner)
    params = {"model": model, "goal": goal, "tie_break": tie_break, "rule_options": rule_options}
    _, ctx, reason = _context(rule_obj, k, params)     # validates model, tie_break, rule options
    if ctx is None:
        fail("rule", owner, "a rule the manipulation axioms apply to", rule_obj.id, hint=reason)
    domain = ctx.domain
    shown = {"model": ctx.params["model"], "goal": goal} if k > 1 else {"model": ctx.params["model"]}
    if ctx.tie_break is not None:
        shown["tie_break"] = ctx.tie_break
    preflib = None
    if culture is None:
        culture_name = _IC[domain]
    elif isinstance(culture, str) and culture == "preflib":
        from .real_data import preflib_culture, resolve_options

        preflib = resolve_options(culture_options, m, owner)
        culture_name, culture, culture_options = "preflib", preflib_culture, preflib
    elif isinstance(culture, str):
        culture_name = culture
        from .search import _culture

        _culture(culture, domain, owner)   # unknown names raise UnknownNameError with suggestions
    elif callable(culture):
        culture_name = getattr(culture, "__name__", "custom")
    else:
        fail("culture", owner, "None, a culture name from mechanisms.generators, or a function (n, m, rng) -> "
             "profile", culture)
    common = dict(rule=rule_obj.id, culture=culture_name, n_voters=n, n_alternatives=m, coalition_size=k,
                  params=shown)

    if preflib is not None:
        common["params"] = {**shown, "election": preflib["election"]}
    if exact:
        dist = {}
        if preflib is not None:
            from .real_data import _ballot_distribution

            rows, probs, kind, labels = _ballot_distribution(preflib["election"], preflib.get("alternatives"), m,
                                                             owner)
            if kind != domain:
                fail("culture_options", owner, f"an election with {domain} ballots for rule {rule_obj.id!r}",
                     preflib["election"])
            dist = {"space": rows, "probs": probs, "labels": labels}
        elif culture_name != _IC[domain] or (culture_options and dict(culture_options) != {"p": 0.5}):
            fail("exact", owner, f"True only under impartial culture ({_IC[domain]!r}) or culture='preflib': each "
                 "anonymous profile is weighted by its exact probability", culture_name,
                 hint="Use exact=False (Monte Carlo) for other cultures.")
        yes, no, decided, manip, skipped, complete = _exact(rule_obj, n, m, k, params, limit, **dist)
        decided_mass = yes + no
        if complete and decided_mass == 0:
            fail("rule", owner, "a rule that accepts the enumerated profiles", rule_obj.id,
                 hint="It rejected every one of them.")
        if complete:
            value = yes / decided_mass       # renormalized over the rule's domain (== yes when none skipped)
            lo = hi = value
        else:
            lo, hi = yes, 1 - no
            value = None
        return ManipulationRate(**common, rate=float(value if value is not None else (lo + hi) / 2),
                                standard_error=0.0, lower_bound=float(lo), upper_bound=float(hi), exact=True,
                                complete=complete, n_samples=decided, n_manipulable=manip, n_skipped=skipped,
                                exact_rate=value, exact_lower=lo, exact_upper=hi)

    rule_ref = rule_obj.id if _registered(rule_obj) else rule_obj
    sizes = [chunk] * (samples // chunk) + ([samples % chunk] if samples % chunk else [])
    seeds = np.random.SeedSequence(int(generator.integers(2**63))).spawn(len(sizes))
    jobs = [(rule_ref, culture, dict(culture_options or {}), n, m, size, seed, k, params)
            for size, seed in zip(sizes, seeds)]
    parts = _run_chunks(executor, jobs)
    manip = sum(p[0] for p in parts)
    decided = sum(p[1] for p in parts)
    skipped = sum(p[2] for p in parts)
    if decided == 0:
        fail("rule", owner, "a rule that accepts the sampled profiles", rule_obj.id,
             hint=f"It rejected all {skipped} of them.")
    rate = manip / decided
    se = math.sqrt(rate * (1 - rate) / decided)
    return ManipulationRate(**common, rate=rate, standard_error=se, lower_bound=max(0.0, rate - 3 * se),
                            upper_bound=min(1.0, rate + 3 * se), exact=False, complete=True, n_samples=decided,
                            n_manipulable=manip, n_skipped=skipped)


def _registered(rule) -> bool:
    from mechanisms.social_choice import get_rule

    try:
        return get_rule(rule.id) is rule
    except UnknownNameError:
        return False
