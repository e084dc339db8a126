"""Two-profile axioms: monotonicity, responsiveness, reinforcement, clones, Smith-dominated alternatives, later-no-harm.

Each compares the outcome on a profile with the outcome on a related one; the
witness holds both (``profile`` and ``modified_profile``, or the two ``parts``).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from solvers.validation import check_int, fail

from ._case import Case, weak_order
from .base import LOTTERY_ATOL, register_axiom

__all__ = ["raised_rows"]

_SMITH = "J. H. Smith, Aggregation of preferences with variable electorate, Econometrica 41 (1973) 1027-1041."
_FISHBURN_1982 = ("P. C. Fishburn, Monotonicity paradoxes in the theory of elections, Discrete Applied "
                  "Mathematics 4 (1982) 119-134.")
_MAY = ("K. O. May, A set of independent necessary and sufficient conditions for simple majority decision, "
        "Econometrica 20 (1952) 680-684.")
_YOUNG = "H. P. Young, Social choice scoring functions, SIAM J. Applied Mathematics 28 (1975) 824-838."
_TIDEMAN = ("T. N. Tideman, Independence of clones as a criterion for voting rules, Social Choice and Welfare 4 "
            "(1987) 185-206.")
_SCHULZE = ("M. Schulze, A new monotonic, clone-independent, reversal symmetric, and Condorcet-consistent "
            "single-winner election method, Social Choice and Welfare 36 (2011) 267-303.")
_WOODALL = ("D. R. Woodall, Monotonicity of single-seat preferential election rules, Discrete Applied Mathematics "
            "77 (1997) 81-98.")


def raised_rows(row, a: int) -> list[tuple[int, ...]]:
    """Every ballot obtained from ``row`` by moving ``a`` to a strictly better position, alone in its group,
    without changing the order of the other alternatives.

    ``row`` is a level row (``-1`` = unranked).  An unranked ``a`` may enter the
    ranked part anywhere; a tied ``a`` may also step just above its tie-mates.
    Strict ballots stay strict.

    Examples
    --------
    >>> raised_rows((2, 0, 1), 0)   # b > c > a: a passes both, or only c
    [(0, 1, 2), (1, 0, 2)]
    """
    m = len(row)
    k = max(row, default=-1) + 1
    groups = [[x for x in range(m) if row[x] == level] for level in range(k)]
    if row[a] >= 0:
        pos, tied = row[a], len(groups[row[a]]) > 1
    else:
        pos, tied = k, any(row[x] < 0 for x in range(m) if x != a)
    rest = [[x for x in g if x != a] for g in groups]
    out = []
    for j in range(pos + 1 if tied else pos):
        new_groups = [g for g in rest[:j] + [[a]] + rest[j:] if g]
        new = [-1] * m
        for level, g in enumerate(new_groups):
            for x in g:
                new[x] = level
        out.append(tuple(new))
    return out


def _rows_to_try(ctx, case):
    """Row indices whose voters may act (one per distinct ballot for anonymous rules)."""
    seen = set()
    for i, row in enumerate(case.rows):
        if case.weights[i] == 0:
            continue
        if ctx.anonymous:
            if row in seen:
                continue
            seen.add(row)
        yield i


def _winner_raisings(ctx, case):
    """Yield ``(a, i, new_row, other)``: winner ``a`` raised on ballot row ``i``, giving profile ``other``."""
    for a in sorted(ctx.winners(case)):
        for i in _rows_to_try(ctx, case):
            for new_row in raised_rows(case.rows[i], a):
                yield a, i, new_row, case.replace(i, new_row)


def _raising_violation(ctx, case, a, i, new_row, other, what):
    """The witness for winner ``a`` raised on row ``i``; ``what`` says what went wrong afterwards."""
    return ctx.violation(case, modified=other, voters=(i,), true_ballots=(case.ballot(i),),
                         misreports=(weak_order(new_row),), alternatives=(a,),
                         explanation=f"{case.label(a)} wins, but {what}")


def _mapped(winners, keep) -> frozenset[int]:
    return frozenset(keep[j] for j in winners)


# ====================================================================== monotonicity
@register_axiom("monotonicity", name="Monotonicity", references=(_SMITH, _FISHBURN_1982),
                statement="A winner who is raised on one ballot, the rest unchanged, still wins.")
def monotonicity(ctx, case):
    """Monotonicity (non-negative responsiveness).

    Statement: if ``a`` is in ``W(P)`` and ``P'`` differs from ``P`` only in that
    one voter moves ``a`` to a better position (see :func:`raised_rows`), then
    ``a`` is in ``W(P')``.  Probabilistic rules: the probability of ``a`` does
    not decrease.  Every winner, every distinct ballot and every upward move is
    tried.  Witness: ``profile`` = ``P``, ``modified_profile`` = ``P'``,
    ``voters`` = the changed row, ``true_ballots``/``misreports`` = its ballot
    before/after, ``alternatives = (a,)``.

    References
    ----------
    J. H. Smith, Aggregation of preferences with variable electorate,
    Econometrica 41 (1973) 1027-1041.

    P. C. Fishburn, Monotonicity paradoxes in the theory of elections, Discrete
    Applied Mathematics 4 (1982) 119-134.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2]] * 2 + [[1, 2, 0]] * 2 + [[2, 0, 1]])
    >>> get_axiom("monotonicity").check("schulze", p).holds
    True
    """
    lottery = ctx.output == "lottery"
    base_p = ctx.lottery(case) if lottery else None
    for a, i, new_row, other in _winner_raisings(ctx, case):
        if lottery:
            lost = ctx.lottery(other)[a] < base_p[a] - LOTTERY_ATOL
        else:
            lost = a not in ctx.winners(other)
        if lost:
            return _raising_violation(ctx, case, a, i, new_row, other,
                                      f"{'loses probability' if lottery else 'loses'} after voter row {i} ranks "
                                      f"it higher")
    return None


@register_axiom("positive_responsiveness", name="Positive responsiveness", outcomes=("winners",),
                references=(_MAY,),
                statement="A winner who is raised on one ballot becomes the unique winner.")
def positive_responsiveness(ctx, case):
    """Positive responsiveness.

    Statement: if ``a`` is in ``W(P)`` and one voter moves ``a`` to a better
    position (see :func:`raised_rows`), then ``W(P') = {a}``: a tie including
    ``a`` is broken in ``a``'s favour, and a unique winner stays unique.
    Witness as for monotonicity.

    References
    ----------
    K. O. May, A set of independent necessary and sufficient conditions for simple
    majority decision, Econometrica 20 (1952) 680-684.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0]])
    >>> get_axiom("positive_responsiveness").check("borda", p).holds
    True
    >>> get_axiom("positive_responsiveness").check("plurality", p).witness.misreports   # 1 > 2 > 0 became 1 > 0 > 2
    (((1,), (0,), (2,)),)
    """
    for a, i, new_row, other in _winner_raisings(ctx, case):
        after = ctx.winners(other)
        if after != {a}:
            return _raising_violation(ctx, case, a, i, new_row, other,
                                      f"after voter row {i} ranks it higher the winners are "
                                      f"{ctx.names(case, after)}")
    return None


# ====================================================================== variable electorates
def _check_splits(params, rule, tie_break, owner):
    limit = check_int(params["max_splits"], "max_splits", owner, low=1)
    return {**params, "max_splits": limit}, tie_break


@register_axiom("reinforcement", name="Reinforcement (consistency)", references=(_YOUNG, _SMITH),
                params={"max_splits": 4096}, validate=_check_splits,
                statement="If two electorates share a winner, the united electorate's winners are exactly the "
                          "common winners.")
def reinforcement(ctx, case):
    """Reinforcement (Young's consistency).

    Statement: if ``W(P1)`` and ``W(P2)`` intersect, then
    ``W(P1 + P2) = W(P1) & W(P2)``.  Probabilistic rules: if ``P1`` and ``P2``
    get the same lottery, so does ``P1 + P2``.  The check splits the given
    profile ``P`` into every pair of nonempty sub-electorates ``P1 + P2 = P``
    (refusing profiles with more than ``max_splits`` splits).  Witness:
    ``profile`` = ``P``, ``parts = (P1, P2)`` with their outcomes.

    References
    ----------
    H. P. Young, Social choice scoring functions, SIAM J. Applied Mathematics 28
    (1975) 824-838.

    J. H. Smith, Aggregation of preferences with variable electorate,
    Econometrica 41 (1973) 1027-1041.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [0, 2, 1], [1, 2, 0]])
    >>> get_axiom("reinforcement").check("borda", p).holds
    True
    """
    if ctx.anonymous:
        merged: dict = {}
        for row, w in zip(case.rows, case.weights):
            if w:
                merged[row] = merged.get(row, 0) + w
        case = Case(case.kind, case.m, list(merged), list(merged.values()), case.labels)
    weights = case.weights
    total = math.prod(w + 1 for w in weights)
    if total > 2 * ctx.params["max_splits"] + 2:
        fail("profile", "reinforcement.check", f"small enough to split exhaustively (at most max_splits="
             f"{ctx.params['max_splits']} splits)", show_got=False,
             hint=f"This profile has {(total - 2) // 2} splits; raise max_splits or check a smaller profile.")
    if case.n_voters < 2:
        return ctx.vacuous("one voter cannot be split into two electorates")
    lottery = ctx.output == "lottery"
    whole = None
    for counts in itertools.product(*(range(w + 1) for w in weights)):
        rest = tuple(w - c for w, c in zip(weights, counts))
        if not any(counts) or not any(rest) or counts > rest:
            continue
        p1, p2 = case.sub(counts), case.sub(rest)
        if lottery:
            l1, l2 = ctx.lottery(p1), ctx.lottery(p2)
            if not np.allclose(l1, l2, rtol=0, atol=1e-7):
                continue
            whole = ctx.lottery(case) if whole is None else whole
            if not np.allclose(whole, l1, rtol=0, atol=1e-7):
                return ctx.violation(case, parts=(p1, p2),
                                     explanation="both electorates get the same lottery, the united one does not")
            continue
        common = ctx.winners(p1) & ctx.winners(p2)
        if not common:
            continue
        whole = ctx.winners(case) if whole is None else whole
        if whole != common:
            return ctx.violation(case, parts=(p1, p2),
                                 explanation=f"the two electorates share the winners {ctx.names(case, common)}, "
                                             f"but together the winners are {ctx.names(case, whole)}")
    return None


# ====================================================================== removing alternatives
def _clone_sets(case: Case) -> list[tuple[int, ...]]:
    m = case.m
    lv = case.levels()
    out = []
    for size in range(2, m):
        for clones in itertools.combinations(range(m), size):
            others = [x for x in range(m) if x not in clones]
            block = lv[:, list(clones)]
            lo, hi = block.min(axis=1), block.max(axis=1)
            outside = lv[:, others]
            if not np.any((outside >= lo[:, None]) & (outside <= hi[:, None])):
                out.append(clones)
    return out


@register_axiom("independence_of_clones", name="Independence of clones", references=(_TIDEMAN, _SCHULZE),
                statement="Removing one of a set of clones neither changes which non-clones win nor whether a "
                          "clone wins.")
def independence_of_clones(ctx, case):
    """Independence of clones (Tideman 1987), set-valued form.

    Statement: a set ``K`` of 2 to ``m - 1`` alternatives are *clones* when no voter
    ranks an outsider between or level with two of them.  For every clone set ``K``
    and ``c`` in ``K``, with ``P - c`` the profile without ``c``: (i) a non-clone
    ``x`` is in ``W(P)`` iff it is in ``W(P - c)``; (ii) some clone is in ``W(P)``
    iff some clone is in ``W(P - c)``.  Probabilistic rules: every non-clone keeps
    its probability.  Witness: ``profile`` = ``P``, ``modified_profile`` = ``P - c``
    (labels kept), ``alternatives`` = the clone set.

    References
    ----------
    T. N. Tideman, Independence of clones as a criterion for voting rules, Social
    Choice and Welfare 4 (1987) 185-206.

    M. Schulze, A new monotonic, clone-independent, reversal symmetric, and
    Condorcet-consistent single-winner election method, Social Choice and Welfare
    36 (2011) 267-303.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 0, 2], [2, 0, 1]], labels=["a", "a2", "c"])
    >>> get_axiom("independence_of_clones").check("plurality", p).holds
    False
    """
    if case.m < 3:
        return ctx.vacuous("clones need at least three alternatives")
    clone_sets = _clone_sets(case)
    if not clone_sets:
        return ctx.vacuous("there is no set of clones")
    lottery = ctx.output == "lottery"
    winners = ctx.winners(case)
    base_p = ctx.lottery(case) if lottery else None
    for clones in clone_sets:
        for c in clones:
            keep = [x for x in range(case.m) if x != c]
            other = case.restrict(keep)
            if lottery:
                p = ctx.lottery(other)
                bad = [keep[j] for j in range(len(keep)) if keep[j] not in clones
                       and abs(p[j] - base_p[keep[j]]) > 1e-7]
                if bad:
                    return ctx.violation(case, modified=other, alternatives=clones,
                                         explanation=f"removing the clone {case.label(c)} changes the probability "
                                                     f"of {case.label(bad[0])}")
                continue
            after = _mapped(ctx.winners(other), keep)
            non_clones = frozenset(range(case.m)) - frozenset(clones)
            rest = frozenset(clones) - {c}
            clone_wins_before, clone_wins_after = bool(winners & frozenset(clones)), bool(after & rest)
            if (winners & non_clones) != (after & non_clones) or clone_wins_before != clone_wins_after:
                return ctx.violation(case, modified=other, alternatives=clones,
                                     explanation=f"{ctx.names(case, clones)} are clones; removing "
                                                 f"{case.label(c)} changes the winners from "
                                                 f"{ctx.names(case, winners)} to {ctx.names(case, after)}")
    return None


@register_axiom("independence_of_smith_dominated", name="Independence of Smith-dominated alternatives",
                references=(_SCHULZE,),
                statement="Removing an alternative outside the Smith set does not change the winners.")
def independence_of_smith_dominated(ctx, case):
    """Independence of Smith-dominated alternatives (ISDA).

    Statement: for every alternative ``x`` outside the Smith set of ``P``,
    ``W(P - x) = W(P)`` (probabilistic rules: the same lottery, ``x`` with
    probability 0).  Witness: ``profile`` = ``P``, ``modified_profile`` = ``P - x``
    (labels kept), ``alternatives = (x,)``.

    References
    ----------
    M. Schulze, A new monotonic, clone-independent, reversal symmetric, and
    Condorcet-consistent single-winner election method, Social Choice and Welfare
    36 (2011) 267-303.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 2, 0]])
    >>> get_axiom("independence_of_smith_dominated").check("schulze", p).holds
    True
    """
    smith = case.smith_set()
    dominated = [x for x in range(case.m) if x not in smith]
    if not dominated:
        return ctx.vacuous("every alternative is in the Smith set")
    lottery = ctx.output == "lottery"
    winners = ctx.winners(case)
    base_p = ctx.lottery(case) if lottery else None
    for x in dominated:
        keep = [a for a in range(case.m) if a != x]
        other = case.restrict(keep)
        if lottery:
            p = ctx.lottery(other)
            if base_p[x] > LOTTERY_ATOL or not np.allclose(p, base_p[keep], rtol=0, atol=1e-7):
                return ctx.violation(case, modified=other, alternatives=(x,),
                                     explanation=f"removing the Smith-dominated {case.label(x)} changes the lottery")
            continue
        after = _mapped(ctx.winners(other), keep)
        if after != winners:
            return ctx.violation(case, modified=other, alternatives=(x,),
                                 explanation=f"removing the Smith-dominated {case.label(x)} changes the winners "
                                             f"from {ctx.names(case, winners)} to {ctx.names(case, after)}")
    return None


# ====================================================================== truncation
def _accepts_truncation(rule, params) -> str:
    if rule.ballots in ("complete", "strict_complete"):
        return f"later_no_harm needs truncated ballots; rule {rule.id!r} accepts only complete ones"
    return ""


@register_axiom("later_no_harm", name="Later-no-harm", references=(_WOODALL,), requires=_accepts_truncation,
                statement="Adding later preferences to a truncated ballot never makes an already listed winner "
                          "lose.")
def later_no_harm(ctx, case):
    """Later-no-harm (Woodall 1997).

    Statement: let ``P_t`` be ``P`` with one voter's ballot truncated after its top
    ``t`` levels.  If an alternative ``x`` among those ``t`` levels is in
    ``W(P_t)``, then ``x`` is in ``W(P)``: completing the ballot cannot harm a
    candidate it already lists.  Probabilistic rules: ``x``'s probability does not
    fall.  Every ballot and every truncation depth is tried.  Witness: ``profile``
    = ``P`` (full ballot), ``modified_profile`` = ``P_t``, ``voters`` = the row,
    ``true_ballots``/``misreports`` = its full and truncated ballot,
    ``alternatives = (x,)``.

    References
    ----------
    D. R. Woodall, Monotonicity of single-seat preferential election rules,
    Discrete Applied Mathematics 77 (1997) 81-98.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 0, 2], [1, 2, 0]])
    >>> get_axiom("later_no_harm").check("instant_runoff", p).holds
    True
    """
    lottery = ctx.output == "lottery"
    any_truncatable = False
    winners = base_p = None
    for i in _rows_to_try(ctx, case):
        row = case.rows[i]
        depth = max(row, default=-1) + 1
        for t in range(1, depth):
            any_truncatable = True
            short = tuple(lev if 0 <= lev < t else -1 for lev in row)
            other = case.replace(i, short)
            listed = [a for a in range(case.m) if short[a] >= 0]
            if lottery:
                base_p = ctx.lottery(case) if base_p is None else base_p
                p = ctx.lottery(other)
                harmed = [x for x in listed if base_p[x] < p[x] - LOTTERY_ATOL]
            else:
                winners = ctx.winners(case) if winners is None else winners
                harmed = [x for x in listed if x in ctx.winners(other) and x not in winners]
            if harmed:
                x = harmed[0]
                return ctx.violation(case, modified=other, voters=(i,), true_ballots=(case.ballot(i),),
                                     misreports=(weak_order(short),), alternatives=(x,),
                                     explanation=f"{case.label(x)} wins when voter row {i} lists only its top {t} "
                                                 f"level(s), and loses when the later preferences are added")
    if not any_truncatable:
        return ctx.vacuous("no ballot ranks two levels")
    return None
