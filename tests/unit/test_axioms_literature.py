"""The literature's known results about the registered rules, found (or refuted) by search.

Each found witness is re-checked here by hand: pairwise counts and scores are
recomputed from the ballots, independently of the axiom code.
"""

from __future__ import annotations

import inspect

import pytest

from mechanisms.axioms import find_violation, get_axiom, iter_profiles, search
from mechanisms.profiles import PairwiseComparisons
from mechanisms.social_choice import get_rule, list_rules

#: shared by the Gibbard-Satterthwaite cases (each rule runs once per profile)
CACHE: dict = {}
#: rules whose calls cost milliseconds (MILPs, likelihood fits): two voters suffice for the theorem
SLOW = {"dodgson", "young", "bradley_terry", "plackett_luce", "maxmin_rlhf", "leximax_copeland",
        "linear_bradley_terry"}


def ballots(profile):
    return profile.to_rankings().tolist()


def margin(profile, a, b):
    return sum((r.index(a) < r.index(b)) - (r.index(b) < r.index(a)) for r in ballots(profile))


def borda_scores(profile):
    m = profile.n_alternatives
    return [sum(m - 1 - r.index(a) for r in ballots(profile)) for a in range(m)]


def test_borda_violates_the_condorcet_winner_criterion():
    """Condorcet (1785), Fishburn (1974): Borda is not Condorcet-consistent."""
    w = find_violation("condorcet_winner", "borda", n_voters=5, n_alternatives=3)
    assert w is not None and w.profile.n_voters == 3
    (c,) = w.alternatives
    assert all(margin(w.profile, c, b) > 0 for b in range(3) if b != c)
    scores = borda_scores(w.profile)
    assert set(w.outcome.winners) == {a for a in range(3) if scores[a] == max(scores)} != {c}


def test_copeland_satisfies_the_condorcet_winner_criterion():
    assert search("condorcet_winner", "copeland", n_voters=5, n_alternatives=3).complete
    result = search("condorcet_winner", "copeland", n_voters=2, n_alternatives=4)
    assert result.complete and not result.found and result.n_profiles > 300


def test_plurality_violates_condorcet_winner_and_independence_of_clones():
    w = find_violation("condorcet_winner", "plurality", n_voters=3, n_alternatives=3)
    (c,) = w.alternatives
    assert all(margin(w.profile, c, b) > 0 for b in range(3) if b != c)
    tops = [r[0] for r in ballots(w.profile)]
    assert set(w.outcome.winners) == {a for a in range(3) if tops.count(a) == max(map(tops.count, range(3)))}
    clones = find_violation("independence_of_clones", "plurality", n_voters=3, n_alternatives=3)
    k = set(clones.alternatives)
    assert all(max(r.index(x) for x in k) - min(r.index(x) for x in k) == len(k) - 1 for r in ballots(clones.profile))
    assert clones.modified_profile.n_alternatives == 2


def test_instant_runoff_violates_monotonicity_and_participation():
    """Smith (1973), Fishburn and Brams (1983): instant runoff is not monotonic and shows the no-show paradox."""
    mono = find_violation("monotonicity", "instant_runoff", n_voters=9, n_alternatives=3, method="random", rng=11,
                          max_profiles=2000)
    assert mono is not None
    (a,) = mono.alternatives
    assert a in get_rule("instant_runoff")(mono.profile).winners
    assert a not in get_rule("instant_runoff")(mono.modified_profile).winners
    show = find_violation("participation", "instant_runoff", n_voters=4, n_alternatives=3)
    assert show is not None and show.modified_profile.n_voters == show.profile.n_voters - 1


def test_schulze_satisfies_monotonicity_clone_independence_and_isda():
    """Schulze (2011): monotonic, independent of clones and of Smith-dominated alternatives (small cases)."""
    cache: dict = {}
    for axiom, n, m in (("monotonicity", 4, 3), ("independence_of_clones", 3, 3),
                        ("independence_of_clones", 2, 4), ("independence_of_smith_dominated", 4, 3),
                        ("reversal_symmetry", 4, 3), ("condorcet_winner", 4, 3)):
        result = search(axiom, "schulze", n_voters=n, n_alternatives=m, cache=cache)
        assert result.complete and not result.found, (axiom, result)


def run(rule, profile):
    """The rule with lexicographic tie-breaking on ``profile`` (as pairwise comparisons for pairwise-only rules)."""
    if "ordinal" not in rule.input_kinds:
        rows = ballots(profile)
        pairs = [(a, b, a if r.index(a) < r.index(b) else b, v) for v, r in enumerate(rows)
                 for a in range(profile.n_alternatives) for b in range(a + 1, profile.n_alternatives)]
        profile = PairwiseComparisons([p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs],
                                      annotator=[p[3] for p in pairs], n_items=profile.n_alternatives)
    return rule(profile, tie_break="lexicographic").winners[0]


def _gs_rules():
    """Every registered deterministic single-winner rule over rankings (rule families with a required option,
    such as ``positional``, are represented by their registered members).  Lottery rules are left out: the
    theorem is about deterministic rules, and random dictatorship is SD-strategyproof (Gibbard 1977)."""
    axiom = get_axiom("strategyproofness")
    return [r.id for r in list_rules() if all(d is not inspect.Parameter.empty for d in r.options.values())
            and not r.probabilistic and axiom.applies_to(r, cache=CACHE)[0]]


@pytest.mark.parametrize("rule_id", _gs_rules())
def test_gibbard_satterthwaite_every_registered_rule_is_manipulable(rule_id):
    """Gibbard (1973), Satterthwaite (1975): every onto, non-dictatorial resolute rule over 3 alternatives is
    manipulable; here each registered rule, made resolute by lexicographic tie-breaking, is checked to be onto
    and non-dictatorial and a manipulation is then found by exhaustive search."""
    rule = get_rule(rule_id)
    n = 2 if rule_id in SLOW else 3
    # onto: every alternative wins some two-voter profile (after tie-breaking)
    elected = {run(rule, p) for p in iter_profiles(2, 3)}
    assert elected == {0, 1, 2}
    # non-dictatorial: an anonymous rule with two or more voters has no dictator
    assert "anonymity" not in rule.violates
    w = find_violation("strategyproofness", rule_id, n_voters=n, n_alternatives=3, cache=CACHE)
    assert w is not None and w.params["model"] == "tie_break"
    true = [g[0] for g in w.true_ballot]
    before, after = run(rule, w.profile), run(rule, w.modified_profile)
    assert true.index(after) < true.index(before)
