"""Single-profile axioms on the majority relation and the ballots' tops, plus symmetry axioms.

Every statement is for the set of winners ``W(P)`` (see :mod:`mechanisms.axioms.base`):
an axiom that asks for a *unique* winner is violated by a tie.
"""

from __future__ import annotations

import itertools

from solvers.validation import fail

from ._case import ballot_space
from .base import OUTCOMES, register_axiom, same_outcome

__all__ = []

_MAY = ("K. O. May, A set of independent necessary and sufficient conditions for simple majority decision, "
        "Econometrica 20 (1952) 680-684.")
_ZWICKER = ("W. S. Zwicker, Introduction to the theory of voting, in F. Brandt et al. (eds.), Handbook of "
            "Computational Social Choice, Cambridge University Press (2016), chapter 2.")
_FISHBURN_1977 = "P. C. Fishburn, Condorcet social choice functions, SIAM J. Applied Mathematics 33 (1977) 469-489."
_CONDORCET = ("M. J. A. N. de Caritat, Marquis de Condorcet, Essai sur l'application de l'analyse a la probabilite "
              "des decisions rendues a la pluralite des voix, Paris (1785).")
_SMITH = "J. H. Smith, Aggregation of preferences with variable electorate, Econometrica 41 (1973) 1027-1041."
_WOODALL = ("D. R. Woodall, Monotonicity of single-seat preferential election rules, Discrete Applied Mathematics "
            "77 (1997) 81-98.")
_GE = ("L. Ge, D. Halpern, E. Micha, A. D. Procaccia, I. Shapira, Y. Vorobeychik and J. Wu, Axioms for AI "
       "alignment from human feedback, Advances in Neural Information Processing Systems 37 (NeurIPS 2024).")
_TIDEMAN = ("T. N. Tideman, Independence of clones as a criterion for voting rules, Social Choice and Welfare 4 "
            "(1987) 185-206.")
_SCHULZE = ("M. Schulze, A new monotonic, clone-independent, reversal symmetric, and Condorcet-consistent "
            "single-winner election method, Social Choice and Welfare 36 (2011) 267-303.")
_SAARI = "D. G. Saari, Geometry of Voting, Springer (1994)."


# ====================================================================== symmetry
@register_axiom("anonymity", name="Anonymity", domains=("ordinal", "approval"), outcomes=OUTCOMES,
                references=(_MAY,),
                statement="Reordering the voters, or writing a weighted ballot out as unit ballots, leaves the "
                          "outcome unchanged.")
def anonymity(ctx, case):
    """Anonymity: the outcome does not depend on who cast which ballot.

    Statement: for every permutation ``s`` of the voters, ``f(s(P)) = f(P)``, and a
    ballot of weight ``w`` counts as ``w`` unit ballots.  The check compares the
    outcome (winners, ranking, committees, lottery) on ``P`` with the outcome on
    the weight-expanded profile and on the ballot rows in reverse order (a search
    over profiles, whose ballots come in canonical order, thereby compares two
    orders of every multiset of ballots).  Witness: ``profile`` = ``P``,
    ``modified_profile`` = the reordered ballots.

    References
    ----------
    K. O. May, A set of independent necessary and sufficient conditions for simple
    majority decision, Econometrica 20 (1952) 680-684.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1]])
    >>> get_axiom("anonymity").check("borda", p).holds
    True
    """
    base = ctx.outcome(case, ordered=True)
    variants = []
    if any(w != 1 for w in case.weights):
        variants.append(case.expanded())
    r = len(case.rows)
    if r > 1:
        variants.append(case.permuted_rows(range(r - 1, -1, -1)))
    for other in variants:
        if not same_outcome(base, ctx.outcome(other, ordered=True)):
            return ctx.violation(case, modified=other, ordered=True,
                                 explanation="reordering the ballots changes the outcome")
    return None


@register_axiom("neutrality", name="Neutrality", domains=("ordinal", "approval"), outcomes=OUTCOMES,
                references=(_MAY,),
                statement="Renaming the alternatives renames the outcome the same way.")
def neutrality(ctx, case):
    """Neutrality: the rule treats alternatives symmetrically.

    Statement: for every permutation ``s`` of the alternatives, ``f(s(P)) = s(f(P))``
    (winners, ranking, committees and lottery all renamed).  Every permutation is
    tried when there are at most 5 alternatives, otherwise the transpositions
    ``(0 a)`` and the cycle ``a -> a+1``.  A fixed tie-breaking order is not
    neutral, so a ``tie_break`` usually breaks this axiom.  Witness: ``profile`` =
    ``P``, ``modified_profile`` = the renamed profile.

    References
    ----------
    K. O. May, A set of independent necessary and sufficient conditions for simple
    majority decision, Econometrica 20 (1952) 680-684.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 0, 2]])
    >>> get_axiom("neutrality").check("plurality", p).holds
    True
    >>> get_axiom("neutrality").check("plurality", p, tie_break="lexicographic").holds
    False
    """
    m = case.m
    base = ctx.outcome(case)
    if m <= 5:
        perms = [p for p in itertools.permutations(range(m)) if list(p) != list(range(m))]
    else:
        perms = []
        for a in range(1, m):
            p = list(range(m))
            p[0], p[a] = p[a], p[0]
            perms.append(tuple(p))
        perms.append(tuple((a + 1) % m for a in range(m)))
    for perm in perms:
        other = case.relabel(perm)
        if not same_outcome(base, ctx.outcome(other), perm):
            return ctx.violation(case, modified=other,
                                 explanation=f"renaming alternative a as {list(perm)}[a] does not rename the outcome")
    return None


# ====================================================================== efficiency and majorities
def _unanimous_pairs(case) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, in row-major order, such that every voter ranks ``a`` strictly above ``b``."""
    n = case.n_voters
    if n == 0:
        return []
    s = case.support()
    return [(a, b) for a in range(case.m) for b in range(case.m) if a != b and s[a, b] == n]


def _unique_winner(ctx, case, a, reason):
    """A violation unless ``W(P) = {a}``; ``reason`` says why ``a`` should win alone."""
    winners = ctx.winners(case)
    if winners != {a}:
        return ctx.violation(case, alternatives=(a,),
                             explanation=f"{reason}, but the winners are {ctx.names(case, winners)}")
    return None


def _held_by_majority(case, positions) -> list[int]:
    """Alternatives holding ``positions`` (one per ballot row, ``None`` if shared) on more than half of the votes."""
    counts: dict = {}
    for a, w in zip(positions, case.weights):
        if a is not None:
            counts[a] = counts.get(a, 0) + w
    return [a for a, c in counts.items() if 2 * c > case.n_voters]


@register_axiom("pareto", name="Pareto efficiency", references=(_ZWICKER,),
                statement="An alternative that every voter ranks strictly below some other alternative never wins.")
def pareto(ctx, case):
    """Pareto efficiency (weak Pareto): Pareto-dominated alternatives never win.

    Statement: if every voter ranks ``a`` strictly above ``b`` then ``b`` is not in
    ``W(P)`` (probabilistic rules: ``b`` gets probability 0, i.e. ex-post
    efficiency).  Unranked alternatives count below ranked ones.  Witness:
    ``alternatives = (a, b)``.

    References
    ----------
    W. S. Zwicker, Introduction to the theory of voting, in Handbook of
    Computational Social Choice, Cambridge University Press (2016), chapter 2.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> get_axiom("pareto").check("borda", Profile.from_rankings([[0, 1, 2], [1, 0, 2]])).holds
    True
    """
    dominated = {}
    for a, b in _unanimous_pairs(case):
        dominated.setdefault(b, a)
    if not dominated:
        return ctx.vacuous("no alternative is Pareto-dominated")
    winners = ctx.winners(case)
    for b, a in sorted(dominated.items()):
        if b in winners:
            return ctx.violation(case, alternatives=(a, b),
                                 explanation=f"every voter prefers {case.label(a)} to {case.label(b)}, "
                                             f"yet {case.label(b)} wins")
    return None


@register_axiom("pareto_ranking", name="Pareto optimality of the output ranking", outcomes=("ranking",),
                references=(_GE,),
                statement="If every voter ranks a above b, the output ranking puts a strictly above b.")
def pareto_ranking(ctx, case):
    """Pareto optimality for ranking rules (Ge et al. 2024).

    Statement: if every voter ranks ``a`` strictly above ``b``, the rule's output
    ranking places ``a`` in a strictly better group than ``b``.  Stated for rules
    that return a ranking (rank aggregation, reward models fitted to comparisons).
    Witness: ``alternatives = (a, b)``.

    References
    ----------
    L. Ge, D. Halpern, E. Micha, A. D. Procaccia, I. Shapira, Y. Vorobeychik and
    J. Wu, Axioms for AI alignment from human feedback, NeurIPS 2024.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> get_axiom("pareto_ranking").check("borda", Profile.from_rankings([[0, 1, 2], [1, 0, 2]])).holds
    True
    """
    pairs = _unanimous_pairs(case)
    if not pairs:
        return ctx.vacuous("no pair is ranked the same way by every voter")
    ranking = ctx.ranking(case)
    pos = {a: i for i, g in enumerate(ranking) for a in g}
    for a, b in pairs:
        if pos.get(a, len(ranking)) >= pos.get(b, len(ranking)):
            return ctx.violation(case, alternatives=(a, b),
                                 explanation=f"every voter prefers {case.label(a)} to {case.label(b)}, but the "
                                             f"output ranking does not put {case.label(a)} strictly above")
    return None


@register_axiom("unanimity", name="Unanimity", references=(_ZWICKER,),
                statement="If every voter ranks the same alternative first, it is the unique winner.")
def unanimity(ctx, case):
    """Unanimity: a unanimous first choice is the unique winner.

    Statement: if every voter ranks ``a`` alone at the top, ``W(P) = {a}``
    (probabilistic rules: ``a`` gets probability 1).  Witness: ``alternatives = (a,)``.

    References
    ----------
    W. S. Zwicker, Introduction to the theory of voting, in Handbook of
    Computational Social Choice, Cambridge University Press (2016), chapter 2.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> get_axiom("unanimity").check("borda", Profile.from_rankings([[0, 1, 2], [0, 2, 1]])).holds
    True
    """
    tops = {t for t, w in zip(case.unique_tops(), case.weights) if w}
    if case.n_voters == 0 or len(tops) != 1 or None in tops:
        return ctx.vacuous("the voters do not share one first choice")
    a = tops.pop()
    return _unique_winner(ctx, case, a, f"every voter ranks {case.label(a)} first")


@register_axiom("condorcet_winner", name="Condorcet winner criterion", references=(_CONDORCET, _FISHBURN_1977),
                statement="A Condorcet winner is the unique winner.")
def condorcet_winner(ctx, case):
    """Condorcet winner criterion (Condorcet consistency).

    Statement: if some alternative ``c`` beats every other by a strict pairwise
    majority, then ``W(P) = {c}`` (a tie with ``c`` violates it; probabilistic
    rules: ``c`` gets probability 1).  Unranked alternatives count below ranked
    ones.  Witness: ``alternatives = (c,)``.

    References
    ----------
    Marquis de Condorcet, Essai sur l'application de l'analyse a la probabilite des
    decisions rendues a la pluralite des voix (1785).

    P. C. Fishburn, Condorcet social choice functions, SIAM J. Applied Mathematics
    33 (1977) 469-489.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 2, 0]], labels=["a", "b", "c"])
    >>> result = get_axiom("condorcet_winner").check("borda", p)
    >>> result.holds, result.witness.explanation
    (False, 'a is the Condorcet winner, but the winners are {a, b}')
    """
    c = case.condorcet_winner()
    if c is None:
        return ctx.vacuous("there is no Condorcet winner")
    return _unique_winner(ctx, case, c, f"{case.label(c)} is the Condorcet winner")


@register_axiom("condorcet_loser", name="Condorcet loser criterion", references=(_FISHBURN_1977, _ZWICKER),
                statement="An alternative that loses to every other by a strict majority never wins.")
def condorcet_loser(ctx, case):
    """Condorcet loser criterion.

    Statement: if ``c`` loses to every other alternative by a strict pairwise
    majority, ``c`` is not in ``W(P)``.  Witness: ``alternatives = (c,)``.

    References
    ----------
    P. C. Fishburn, Condorcet social choice functions, SIAM J. Applied Mathematics
    33 (1977) 469-489.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 0, 2], [2, 0, 1]])
    >>> get_axiom("condorcet_loser").check("borda", p).holds
    True
    """
    c = case.condorcet_loser()
    if c is None:
        return ctx.vacuous("there is no Condorcet loser")
    winners = ctx.winners(case)
    if c in winners:
        return ctx.violation(case, alternatives=(c,),
                             explanation=f"{case.label(c)} is the Condorcet loser, yet it wins")
    return None


@register_axiom("smith", name="Smith criterion", references=(_SMITH,),
                statement="Every winner belongs to the Smith set.")
def smith(ctx, case):
    """Smith criterion (Smith-efficiency).

    Statement: ``W(P)`` is a subset of the Smith set, the smallest nonempty set of
    alternatives each of which beats every alternative outside it by a strict
    pairwise majority.  Witness: ``alternatives`` = the Smith set.

    References
    ----------
    J. H. Smith, Aggregation of preferences with variable electorate,
    Econometrica 41 (1973) 1027-1041.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 2, 0]])
    >>> get_axiom("smith").check("copeland", p).holds
    True
    """
    s = case.smith_set()
    if len(s) == case.m:
        return ctx.vacuous("the Smith set contains every alternative")
    winners = ctx.winners(case)
    if not winners <= s:
        return ctx.violation(case, alternatives=tuple(sorted(s)),
                             explanation=f"the winners {ctx.names(case, winners)} are not all in the Smith set "
                                         f"{ctx.names(case, s)}")
    return None


@register_axiom("majority", name="Majority criterion", references=(_WOODALL,),
                statement="An alternative ranked first by more than half of the voters is the unique winner.")
def majority(ctx, case):
    """Majority criterion.

    Statement: if more than half of the voters rank ``a`` alone at the top,
    ``W(P) = {a}``.  Witness: ``alternatives = (a,)``.

    References
    ----------
    D. R. Woodall, Monotonicity of single-seat preferential election rules,
    Discrete Applied Mathematics 77 (1997) 81-98.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 2, 0]])
    >>> get_axiom("majority").check("plurality", p).holds
    True
    """
    leaders = _held_by_majority(case, case.unique_tops())
    if not leaders:
        return ctx.vacuous("no alternative is ranked first by a majority")
    a = leaders[0]
    return _unique_winner(ctx, case, a, f"a majority ranks {case.label(a)} first")


@register_axiom("majority_loser", name="Majority loser criterion", references=(_WOODALL,),
                statement="An alternative ranked last by more than half of the voters never wins.")
def majority_loser(ctx, case):
    """Majority loser criterion.

    Statement: if more than half of the voters rank ``a`` alone at the bottom
    (below every other alternative; unranked alternatives share the bottom),
    ``a`` is not in ``W(P)``.  Witness: ``alternatives = (a,)``.

    References
    ----------
    D. R. Woodall, Monotonicity of single-seat preferential election rules,
    Discrete Applied Mathematics 77 (1997) 81-98.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [1, 0, 2], [2, 0, 1]])
    >>> get_axiom("majority_loser").check("plurality", p).holds
    False
    """
    losers = _held_by_majority(case, case.unique_bottoms())
    if not losers:
        return ctx.vacuous("no alternative is ranked last by a majority")
    a = losers[0]
    if a in ctx.winners(case):
        return ctx.violation(case, alternatives=(a,),
                             explanation=f"a majority ranks {case.label(a)} last, yet it wins")
    return None


@register_axiom("pairwise_majority_consistency", name="Pairwise majority consistency", outcomes=("ranking",),
                references=(_GE,),
                statement="When the pairwise majority relation is a linear order, the output ranking equals it.")
def pairwise_majority_consistency(ctx, case):
    """Pairwise majority consistency (PMC, Ge et al. 2024).

    Statement: if every pair of alternatives has a strict majority winner and the
    majority relation is transitive (a linear order), the rule's output ranking is
    exactly that order (no ties).  Stated for rules that return a ranking.
    Witness: ``alternatives`` = the majority order, best first.

    References
    ----------
    L. Ge, D. Halpern, E. Micha, A. D. Procaccia, I. Shapira, Y. Vorobeychik and
    J. Wu, Axioms for AI alignment from human feedback, NeurIPS 2024.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 2, 0]])
    >>> get_axiom("pairwise_majority_consistency").check("borda", p).holds
    False
    >>> get_axiom("pairwise_majority_consistency").check("copeland", p).holds
    True
    """
    order = case.majority_order()
    if order is None:
        return ctx.vacuous("the pairwise majority relation is not a linear order")
    ranking = ctx.ranking(case)
    if tuple(ranking) != tuple((a,) for a in order):
        text = " > ".join(case.label(a) for a in order)
        return ctx.violation(case, alternatives=order,
                             explanation=f"the majority relation is the linear order {text}, but the output "
                                         f"ranking differs")
    return None


# ====================================================================== decisiveness and scale
@register_axiom("resolvability", name="Resolvability", outcomes=("winners",), references=(_TIDEMAN,),
                statement="Whenever several alternatives tie, one additional voter can make the winner unique.")
def resolvability(ctx, case):
    """Resolvability (Tideman 1987, first form).

    Statement: if ``|W(P)| > 1``, there is a ballot such that adding one voter
    casting it makes the winner unique.  Resolute rules (and any ``tie_break``)
    satisfy it vacuously.  Witness: ``alternatives`` = the tied winners; no
    additional ballot (strict complete rankings, or approval sets) resolves the tie.

    References
    ----------
    T. N. Tideman, Independence of clones as a criterion for voting rules, Social
    Choice and Welfare 4 (1987) 185-206.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> get_axiom("resolvability").check("borda", Profile.from_rankings([[0, 1, 2], [1, 0, 2]])).holds
    True
    """
    winners = ctx.winners(case)
    if len(winners) <= 1:
        return ctx.vacuous("the winner is unique")
    for ballot in ballot_space(case.kind, case.m):
        if len(ctx.winners(case.add(ballot))) == 1:
            return None
    return ctx.violation(case, alternatives=tuple(sorted(winners)),
                         explanation=f"the winners {ctx.names(case, winners)} tie and no single additional voter "
                                     f"makes the winner unique")


def _check_factors(params, rule, tie_break, owner):
    factors = params["factors"]
    if isinstance(factors, int):
        factors = (factors,)
    if (not isinstance(factors, (tuple, list)) or not factors
            or not all(isinstance(k, int) and not isinstance(k, bool) and k >= 2 for k in factors)):
        fail("factors", owner, "a nonempty sequence of ints >= 2", params["factors"])
    return {**params, "factors": tuple(factors)}, tie_break


@register_axiom("homogeneity", name="Homogeneity", domains=("ordinal", "approval"), outcomes=OUTCOMES,
                references=(_SMITH, _FISHBURN_1977), params={"factors": (2, 3)}, validate=_check_factors,
                statement="Replicating the whole electorate k times leaves the choice unchanged.")
def homogeneity(ctx, case):
    """Homogeneity.

    Statement: for every ``k`` in ``factors`` (default 2 and 3), ``f(kP) = f(P)``,
    where ``kP`` is ``k`` copies of the electorate.  The choice is compared:
    winners, committees and lottery (not an accompanying ranking or scores).
    Witness: ``profile`` = ``P``, ``modified_profile`` = ``kP``.

    References
    ----------
    J. H. Smith, Aggregation of preferences with variable electorate,
    Econometrica 41 (1973) 1027-1041.

    P. C. Fishburn, Condorcet social choice functions, SIAM J. Applied Mathematics
    33 (1977) 469-489 (Dodgson's rule is not homogeneous).

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> get_axiom("homogeneity").check("borda", Profile.from_rankings([[0, 1, 2], [1, 2, 0]])).holds
    True
    """
    base = ctx.outcome(case)
    for k in ctx.params["factors"]:
        other = case.scaled(k)
        if not same_outcome(base, ctx.outcome(other), ranking=False):
            return ctx.violation(case, modified=other, explanation=f"replicating the electorate {k} times changes "
                                                                   f"the outcome")
    return None


@register_axiom("reversal_symmetry", name="Reversal symmetry", references=(_SAARI, _SCHULZE),
                statement="If a is the unique winner, a does not win once every ballot is reversed.")
def reversal_symmetry(ctx, case):
    """Reversal symmetry.

    Statement: if ``W(P) = {a}`` (and there are at least two alternatives), then
    ``a`` is not in ``W(rev P)``, where ``rev P`` turns every ballot upside down.
    Defined for complete ballots; holds vacuously on truncated ones.  Witness:
    ``profile`` = ``P``, ``modified_profile`` = ``rev P``, ``alternatives = (a,)``.

    References
    ----------
    D. G. Saari, Geometry of Voting, Springer (1994).

    M. Schulze, A new monotonic, clone-independent, reversal symmetric, and
    Condorcet-consistent single-winner election method, Social Choice and Welfare
    36 (2011) 267-303.

    Examples
    --------
    >>> from mechanisms.axioms import get_axiom
    >>> from mechanisms.profiles import Profile
    >>> p = Profile.from_rankings([[0, 1, 2], [0, 1, 2], [1, 2, 0]])
    >>> get_axiom("reversal_symmetry").check("borda", p).holds
    True
    """
    if case.m < 2 or not case.is_complete():
        return ctx.vacuous("reversal is defined for complete ballots over at least two alternatives")
    winners = ctx.winners(case)
    if len(winners) != 1:
        return ctx.vacuous("the winner is not unique")
    (a,) = winners
    reverse = case.reversed()
    if a in ctx.winners(reverse):
        return ctx.violation(case, modified=reverse, alternatives=(a,),
                             explanation=f"{case.label(a)} wins both the profile and its reversal")
    return None
