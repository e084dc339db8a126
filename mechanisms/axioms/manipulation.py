"""Incentive axioms: strategyproofness, coalitional manipulability and participation.

Comparing outcomes needs a model of what a voter prefers when the rule's outcome
is a set of tied winners or a lottery.  Every axiom here takes ``model=``:

``"tie_break"`` (default for rules that are not probabilistic)
    Ties are broken by a fixed order (``tie_break=``, default ``"lexicographic"``:
    the smallest id wins); the voter compares the single winners.
``"kelly"``
    The new set ``Y`` beats the old set ``X`` iff every ``y`` in ``Y`` is at least
    as good as every ``x`` in ``X`` and some ``y`` is strictly better than some
    ``x`` (Kelly 1977).
``"fishburn"``
    ``Y`` is at least as good as ``X`` iff every element of ``Y - X`` is at least as
    good as every element of ``X``, and every element of ``Y`` at least as good as
    every element of ``X - Y``; ``Y`` beats ``X`` iff that holds and not the
    reverse (Fishburn 1972; Brandt and Brill 2011).
``"optimistic"`` / ``"pessimistic"``
    The best (worst) element of ``Y`` is strictly better than the best (worst)
    element of ``X``.
``"sd"`` (default, and the only model, for probabilistic rules)
    The new lottery stochastically dominates the old one for the voter's
    preference (at least as much probability on every upper contour set) and is
    different on some upper contour set (Gibbard 1977).

For a resolute rule every set model reduces to comparing single winners.
Voters with approval ballots are read as dichotomous preferences (approved
alternatives above the others).  Misreports range over every strict complete
ranking (every approval set for approval rules).
"""

from __future__ import annotations

import itertools

import numpy as np

from solvers.validation import check_int, check_option, fail

from ._case import ballot_space, ballot_text, weak_order
from .base import LOTTERY_ATOL, register_axiom

__all__ = ["MODELS", "prefers"]

#: Preference extensions for comparing set-valued or random outcomes (see the module docstring).
MODELS = ("tie_break", "kelly", "fishburn", "optimistic", "pessimistic", "sd")

_GIBBARD = "A. Gibbard, Manipulation of voting schemes: a general result, Econometrica 41 (1973) 587-601."
_SATTERTHWAITE = ("M. A. Satterthwaite, Strategy-proofness and Arrow's conditions: existence and correspondence "
                  "theorems for voting procedures and social welfare functions, J. Economic Theory 10 (1975) 187-217.")
_KELLY = ("J. S. Kelly, Strategy-proofness and social choice functions without singlevaluedness, Econometrica 45 "
          "(1977) 439-446.")
_BRANDT_BRILL = ("F. Brandt and M. Brill, Necessary and sufficient conditions for the strategyproofness of "
                 "irresolute social choice functions, Proc. TARK (2011) 136-142.")
_GIBBARD_1977 = ("A. Gibbard, Manipulation of schemes that mix voting with chance, Econometrica 45 (1977) "
                 "665-681.")
_CSL = ("V. Conitzer, T. Sandholm and J. Lang, When are elections with few candidates hard to manipulate?, "
        "J. ACM 54 (2007) article 14.")
_BTT = ("J. J. Bartholdi III, C. A. Tovey and M. A. Trick, The computational difficulty of manipulating an "
        "election, Social Choice and Welfare 6 (1989) 227-241.")
_FISHBURN_BRAMS = ("P. C. Fishburn and S. J. Brams, Paradoxes of preferential voting, Mathematics Magazine 56 "
                   "(1983) 207-214.")
_MOULIN = "H. Moulin, Condorcet's principle implies the no show paradox, J. Economic Theory 45 (1988) 53-64."


def prefers(model: str, levels, new, old) -> bool:
    """Whether a voter with preference ``levels`` (lower is better) strictly prefers outcome ``new`` to ``old``.

    ``new`` and ``old`` are sets of winners, or lotteries (arrays) for ``model="sd"``.

    Examples
    --------
    >>> prefers("kelly", (0, 1, 2), {0}, {0, 1})
    True
    >>> prefers("kelly", (0, 1, 2), {0, 2}, {1})
    False
    >>> prefers("optimistic", (0, 1, 2), {0, 2}, {1})
    True
    """
    if model == "sd":
        new, old = np.asarray(new, dtype=np.float64), np.asarray(old, dtype=np.float64)
        diff = 0.0
        strict = False
        for level in sorted(set(levels)):
            members = [a for a, lev in enumerate(levels) if lev == level]
            diff += float(new[members].sum() - old[members].sum())
            if diff < -LOTTERY_ATOL:
                return False
            strict = strict or diff > LOTTERY_ATOL
        return strict
    if not new or not old:
        return False
    if model in ("tie_break", "kelly"):
        return (all(levels[y] <= levels[x] for y in new for x in old)
                and any(levels[y] < levels[x] for y in new for x in old))
    if model == "fishburn":
        def at_least(a, b):
            return (all(levels[y] <= levels[x] for x in b - a for y in a)
                    and all(levels[y] <= levels[x] for x in b for y in a - b))
        new, old = frozenset(new), frozenset(old)
        return at_least(new, old) and not at_least(old, new)
    if model == "optimistic":
        return min(levels[y] for y in new) < min(levels[x] for x in old)
    if model == "pessimistic":
        return max(levels[y] for y in new) < max(levels[x] for x in old)
    raise ValueError(f"unknown model {model!r}")  # pragma: no cover - validated before


def _check_model(params, rule, tie_break, owner):
    model = params["model"]
    if model is None:
        model = "sd" if rule.probabilistic else "tie_break"
    check_option(model, "model", owner, MODELS)
    if rule.probabilistic and model != "sd":
        fail("model", owner, "'sd' for a probabilistic rule (lotteries are compared by stochastic dominance)", model)
    if not rule.probabilistic and model == "sd":
        fail("model", owner, "one of 'tie_break', 'kelly', 'fishburn', 'optimistic', 'pessimistic' for a rule that "
             "is not probabilistic", model)
    if model == "tie_break" and tie_break is None and not rule.resolute:
        tie_break = "lexicographic"
    return {**params, "model": model}, tie_break


def _outcome(ctx, case):
    """What voters compare under the model: the lottery for ``sd``, else the set of winners."""
    return ctx.lottery(case) if ctx.params["model"] == "sd" else ctx.winners(case)


def _best_already(model, levels, outcome) -> bool:
    """Whether no outcome can be strictly better for this voter (skips hopeless searches)."""
    best = min(levels)
    if model == "sd":
        return all(levels[a] == best for a in np.flatnonzero(np.asarray(outcome) > LOTTERY_ATOL))
    return all(levels[a] == best for a in outcome)


def _describe(case, outcome, model) -> str:
    if model == "sd":
        return "{" + ", ".join(f"{case.label(a)}: {p:.3g}" for a, p in enumerate(outcome) if p > LOTTERY_ATOL) + "}"
    return "{" + ", ".join(case.label(a) for a in sorted(outcome)) + "}"


def _voters(ctx, case):
    seen = set()
    for i, row in enumerate(case.rows):
        if case.weights[i] == 0 or (ctx.anonymous and row in seen):
            continue
        seen.add(row)
        yield i


# ====================================================================== single voter
@register_axiom("strategyproofness", name="Strategyproofness (single voter)", domains=("ordinal", "approval"),
                references=(_GIBBARD, _SATTERTHWAITE, _KELLY, _BRANDT_BRILL, _GIBBARD_1977),
                params={"model": None}, validate=_check_model,
                statement="No voter obtains a strictly better outcome (under the model) by misreporting.")
def strategyproofness(ctx, case):
    """Strategyproofness against a single manipulator.

    Statement: no voter ``i`` has a ballot ``b'`` such that the outcome on ``P``
    with ``i``'s ballot replaced by ``b'`` is strictly better for ``i`` than the
    outcome on ``P``, under ``model`` (see :mod:`mechanisms.axioms.manipulation`;
    default ``"tie_break"`` with lexicographic tie-breaking, ``"sd"`` for
    probabilistic rules).  By the Gibbard-Satterthwaite theorem every resolute,
    onto, non-dictatorial rule over three or more alternatives violates it.
    Witness: ``profile`` = the sincere profile, ``modified_profile`` = with the
    misreport, ``voters = (i,)``, ``true_ballots``, ``misreports``.

    References
    ----------
    A. Gibbard, Manipulation of voting schemes: a general result, Econometrica 41
    (1973) 587-601.

    M. A. Satterthwaite, Strategy-proofness and Arrow's conditions, J. Economic
    Theory 10 (1975) 187-217.

    J. S. Kelly, Strategy-proofness and social choice functions without
    singlevaluedness, Econometrica 45 (1977) 439-446.

    F. Brandt and M. Brill, Necessary and sufficient conditions for the
    strategyproofness of irresolute social choice functions, TARK (2011).

    A. Gibbard, Manipulation of schemes that mix voting with chance, Econometrica
    45 (1977) 665-681.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 0, 2], [2, 1, 0]], labels=["a", "b", "c"])
    >>> w = get_axiom("strategyproofness").check("borda", p).witness
    >>> w.voter, w.true_ballot, w.misreport
    (0, ((0,), (1,), (2,)), ((0,), (2,), (1,)))
    >>> w.explanation
    'voter row 0 (a > b > c) turns {b} into {a} by reporting a > c > b (tie_break)'
    """
    model = ctx.params["model"]
    base = _outcome(ctx, case)
    space = ballot_space(case.kind, case.m)
    for i in _voters(ctx, case):
        levels = case.voter_levels(i)
        if _best_already(model, levels, base):
            continue
        row = case.rows[i]
        for mis in space:
            if mis == row:
                continue
            other = case.replace(i, mis)
            new = _outcome(ctx, other)
            if prefers(model, levels, new, base):
                return ctx.violation(
                    case, modified=other, voters=(i,), true_ballots=(case.ballot(i),),
                    misreports=(weak_order(mis, case.kind),),
                    explanation=f"voter row {i} ({ballot_text(row, case.kind, case.labels)}) turns "
                                f"{_describe(case, base, model)} into {_describe(case, new, model)} by reporting "
                                f"{ballot_text(mis, case.kind, case.labels)} ({model})")
    return None


# ====================================================================== participation
@register_axiom("participation", name="Participation (no-show)", domains=("ordinal", "approval"),
                references=(_FISHBURN_BRAMS, _MOULIN), params={"model": None}, validate=_check_model,
                statement="No voter obtains a strictly better outcome (under the model) by abstaining.")
def participation(ctx, case):
    """Participation: voting sincerely is never worse than abstaining.

    Statement: for every voter ``i`` (when at least two vote), the outcome on
    ``P - i`` is not strictly better for ``i`` than the outcome on ``P``, under
    ``model`` (as for strategyproofness).  Moulin (1988) showed that no
    Condorcet-consistent rule satisfies it once there are 4 or more alternatives
    (and enough voters).  Witness: ``profile`` = ``P``, ``modified_profile`` =
    ``P - i``, ``voters = (i,)``, ``true_ballots``.

    References
    ----------
    P. C. Fishburn and S. J. Brams, Paradoxes of preferential voting, Mathematics
    Magazine 56 (1983) 207-214.

    H. Moulin, Condorcet's principle implies the no show paradox, J. Economic
    Theory 45 (1988) 53-64.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> get_axiom("participation").check("plurality", p).holds
    True
    """
    if case.n_voters < 2:
        return ctx.vacuous("a single voter cannot abstain")
    model = ctx.params["model"]
    base = _outcome(ctx, case)
    for i in _voters(ctx, case):
        levels = case.voter_levels(i)
        if _best_already(model, levels, base):
            continue
        other = case.remove(i)
        new = _outcome(ctx, other)
        if prefers(model, levels, new, base):
            return ctx.violation(
                case, modified=other, voters=(i,), true_ballots=(case.ballot(i),),
                explanation=f"voter row {i} ({ballot_text(case.rows[i], case.kind, case.labels)}) turns "
                            f"{_describe(case, base, model)} into {_describe(case, new, model)} by abstaining "
                            f"({model})")
    return None


# ====================================================================== coalitions
def _check_coalition(params, rule, tie_break, owner):
    params, tie_break = _check_model(params, rule, tie_break, owner)
    k = check_int(params["k"], "k", owner, low=1)
    goal = check_option(params["goal"], "goal", owner, ("constructive", "destructive"))
    return {**params, "k": k, "goal": goal}, tie_break


@register_axiom("coalitional_manipulability", name="Coalitional non-manipulability", outcomes=("winners",),
                domains=("ordinal", "approval"), references=(_BTT, _CSL, _GIBBARD),
                params={"k": 2, "goal": "constructive", "model": None}, validate=_check_coalition,
                statement="No coalition of at most k voters can jointly misreport to an outcome every member "
                          "strictly prefers.")
def coalitional_manipulability(ctx, case):
    """Coalitional manipulability: the axiom holds when no coalition of at most ``k`` voters can manipulate.

    Statement, for a coalition ``C`` of at most ``k`` voters who jointly replace
    their ballots (every combination of strict complete rankings, or approval sets):

    * ``goal="constructive"`` (default): the coalition makes some alternative
      ``c`` the unique winner (the tie-broken winner under ``model="tie_break"``),
      where every member strictly prefers ``{c}`` to the sincere outcome.
    * ``goal="destructive"``: the coalition removes some sincere winner from the
      winning set, and every member strictly prefers the new outcome to the
      sincere one.

    Preferences over sets follow ``model`` (default ``"tie_break"`` with
    lexicographic tie-breaking).  For resolute rules the two goals coincide with
    group manipulation.  Coalitions of size 1 are included, so a single
    manipulator is a coalitional manipulation too.  Witness: ``voters`` = the
    coalition's rows, ``true_ballots``, ``misreports``; ``alternatives = (c,)``
    (constructive) or the removed winners (destructive).

    References
    ----------
    J. J. Bartholdi III, C. A. Tovey and M. A. Trick, The computational difficulty
    of manipulating an election, Social Choice and Welfare 6 (1989) 227-241.

    V. Conitzer, T. Sandholm and J. Lang, When are elections with few candidates
    hard to manipulate?, J. ACM 54 (2007) article 14.

    A. Gibbard, Manipulation of voting schemes: a general result, Econometrica 41
    (1973) 587-601.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 1, 0]])
    >>> get_axiom("coalitional_manipulability").check("plurality", p, k=2).holds
    False
    """
    k, goal, model = ctx.params["k"], ctx.params["goal"], ctx.params["model"]
    base = _outcome(ctx, case)
    winners = ctx.winners(case)
    space = ballot_space(case.kind, case.m)
    units = [i for i, w in enumerate(case.weights) for _ in range(w)]   # one entry per voter
    for size in range(1, min(k, len(units)) + 1):
        seen = set()
        for coalition in itertools.combinations(range(len(units)), size):
            rows_idx = tuple(units[j] for j in coalition)
            signature = tuple(sorted(case.rows[i] for i in rows_idx)) if ctx.anonymous else rows_idx
            if signature in seen:
                continue
            seen.add(signature)
            levels = [case.voter_levels(i) for i in rows_idx]
            if goal == "constructive":
                targets = {c for c in range(case.m) if all(prefers(model, lv, {c}, base) for lv in levels)}
                if not targets:
                    continue
            elif any(_best_already(model, lv, base) for lv in levels):
                continue
            combos = itertools.combinations_with_replacement(space, size) if ctx.anonymous else \
                itertools.product(space, repeat=size)
            truthful = sorted(case.rows[i] for i in rows_idx)
            for mis in combos:
                if sorted(mis) == truthful:
                    continue
                other = case.replace_many(rows_idx, mis)
                after = ctx.winners(other)
                if goal == "constructive":
                    if len(after) != 1 or next(iter(after)) not in targets:
                        continue
                    alternatives = tuple(after)
                else:
                    removed = winners - after
                    new = _outcome(ctx, other)
                    if not removed or not all(prefers(model, lv, new, base) for lv in levels):
                        continue
                    alternatives = tuple(sorted(removed))
                return ctx.violation(
                    case, modified=other, voters=rows_idx, true_ballots=tuple(case.ballot(i) for i in rows_idx),
                    misreports=tuple(weak_order(r, case.kind) for r in mis), alternatives=alternatives,
                    explanation=f"the coalition of rows {list(rows_idx)} turns {ctx.names(case, winners)} into "
                                f"{ctx.names(case, after)} by misreporting ({goal}, {model})")
    return None
