"""Manipulation axioms: preference extensions, strategyproofness models, participation, coalitions, lotteries."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mechanisms.axioms import custom_rule, find_violation, get_axiom
from mechanisms.axioms.manipulation import prefers
from mechanisms.social_choice import Outcome, get_rule

M = 4
SUBSETS = [frozenset(s) for k in range(1, M + 1) for s in itertools.combinations(range(M), k)]


def levels_of(ranking):
    return tuple(ranking.index(a) for a in range(len(ranking)))


@pytest.mark.parametrize("ranking", list(itertools.permutations(range(M)))[:6])
def test_set_extensions_match_their_textbook_statements(ranking):
    lv = levels_of(ranking)
    for new, old in itertools.product(SUBSETS, SUBSETS):
        # Kelly (1977): every new winner is at least as good as every old one, and the sets differ
        kelly = new != old and max(lv[y] for y in new) <= min(lv[x] for x in old)
        assert prefers("kelly", lv, new, old) == kelly
        # Fishburn (1972), strict preferences: new-only winners beat every old winner, and every new winner
        # beats every dropped winner
        fishburn = new != old and all(lv[y] < lv[x] for y in new - old for x in old) and all(
            lv[y] < lv[x] for y in new for x in old - new)
        assert prefers("fishburn", lv, new, old) == fishburn
        assert prefers("optimistic", lv, new, old) == (min(lv[y] for y in new) < min(lv[x] for x in old))
        assert prefers("pessimistic", lv, new, old) == (max(lv[y] for y in new) < max(lv[x] for x in old))
        if kelly:   # Kelly is the coarser extension
            assert fishburn


def test_stochastic_dominance_agrees_with_expected_utilities():
    rng = np.random.default_rng(0)
    lv = (2, 0, 3, 1)
    for _ in range(300):
        p, q = rng.dirichlet(np.ones(M)), rng.dirichlet(np.ones(M))
        if rng.random() < 0.3:   # a dominating lottery: move mass upwards
            q = p.copy()
            top = lv.index(0)
            q[top] += q[lv.index(3)]
            q[lv.index(3)] = 0.0
        utilities = -np.sort(-rng.random((200, M)), axis=1)[:, list(lv)]   # consistent with lv: lower is better
        better = prefers("sd", lv, q, p)
        gains = utilities @ q - utilities @ p
        if better:
            assert np.all(gains >= -1e-12)
        else:
            # some threshold utility (1 on an upper contour set, 0 elsewhere) prefers p, or q equals p
            thresholds = [np.array([1.0 if lv[a] <= t else 0.0 for a in range(M)]) for t in range(M)]
            assert any(u @ q < u @ p - 1e-12 for u in thresholds) or np.allclose(
                [u @ q for u in thresholds], [u @ p for u in thresholds])


def test_strategyproofness_witness_is_a_profitable_lie_under_lexicographic_tie_breaking():
    w = find_violation("strategyproofness", "plurality", n_voters=3, n_alternatives=3)
    (i,) = w.voters
    true = [g[0] for g in w.true_ballot]
    lie = [g[0] for g in w.misreport]
    before = min(get_rule("plurality")(w.profile).winners)           # lexicographic: smallest tied id
    after = min(get_rule("plurality")(w.modified_profile).winners)
    assert true.index(after) < true.index(before)
    rows = w.profile.to_rankings().tolist()
    assert rows[i] == true
    assert sorted(w.modified_profile.to_rankings().tolist()) == sorted(rows[:i] + rows[i + 1:] + [lie])


def test_dictatorship_is_strategyproof_but_not_anonymous():
    """The converse of Gibbard-Satterthwaite: the dictatorship of the first voter is strategyproof."""
    dictator = custom_rule(lambda p: int(p.rankings()[0, 0]), id="dictator", resolute=True)
    assert find_violation("strategyproofness", dictator, n_voters=4, n_alternatives=3) is None
    assert find_violation("strategyproofness", dictator, n_voters=2, n_alternatives=4) is None
    assert find_violation("anonymity", dictator, n_voters=2, n_alternatives=3) is not None
    assert find_violation("unanimity", dictator, n_voters=3, n_alternatives=3) is None     # onto


@pytest.mark.parametrize("rule", ["smith_set", "uncovered_set"])
def test_top_cycle_and_uncovered_set_are_kelly_strategyproof(rule):
    """Brandt (2015): set-monotonic majoritarian rules (top cycle, uncovered set) are Kelly-strategyproof."""
    assert find_violation("strategyproofness", rule, n_voters=4, n_alternatives=3, model="kelly") is None


@pytest.mark.parametrize("rule", ["borda", "copeland"])
def test_borda_and_copeland_are_kelly_manipulable(rule):
    w = find_violation("strategyproofness", rule, n_voters=2, n_alternatives=3, model="kelly")
    lv = tuple(next(k for k, g in enumerate(w.true_ballot) if a in g) for a in range(3))
    old, new = set(w.outcome.winners), set(w.modified_outcome.winners)
    assert new != old and max(lv[y] for y in new) <= min(lv[x] for x in old)


def test_participation_separates_borda_from_instant_runoff():
    """Scoring rules satisfy participation; instant runoff shows the no-show paradox (Fishburn and Brams 1983)."""
    assert find_violation("participation", "borda", n_voters=4, n_alternatives=3) is None
    w = find_violation("participation", "instant_runoff", n_voters=4, n_alternatives=3)
    (i,) = w.voters
    true = [g[0] for g in w.true_ballot]
    stay, leave = min(w.outcome.winners), min(w.modified_outcome.winners)
    assert true.index(leave) < true.index(stay)
    assert w.modified_profile.n_voters == w.profile.n_voters - 1


@pytest.mark.parametrize("goal", ["constructive", "destructive"])
def test_coalitional_manipulation_witness_benefits_every_member(goal):
    w = find_violation("coalitional_manipulability", "borda", n_voters=3, n_alternatives=3, k=2, goal=goal)
    before = min(w.outcome.winners)
    after = min(w.modified_outcome.winners)
    for ballot in w.true_ballots:
        true = [g[0] for g in ballot]
        assert true.index(after) < true.index(before)
    if goal == "destructive":
        assert before not in w.modified_outcome.winners or w.modified_outcome.winners != w.outcome.winners


def test_a_pair_can_manipulate_where_no_single_voter_can():
    """Group manipulation is stronger than individual manipulation: some plurality profile is immune to every
    single voter yet a pair of voters who share a preferred alternative can elect it."""
    from mechanisms.axioms import iter_profiles

    sp, cm = get_axiom("strategyproofness"), get_axiom("coalitional_manipulability")
    for profile in iter_profiles(4, 3):
        if sp.check("plurality", profile).holds and cm.check("plurality", profile, k=2).holds is False:
            w = cm.check("plurality", profile, k=2).witness
            assert len(w.voters) == 2
            (c,) = w.alternatives
            before = min(get_rule("plurality")(profile).winners)
            assert get_rule("plurality")(w.modified_profile, tie_break="lexicographic").winners == (c,)
            for ballot in w.true_ballots:
                true = [g[0] for g in ballot]
                assert true.index(c) < true.index(before)
            return
    raise AssertionError("no profile separates individual from coalitional manipulation")


# ---------------------------------------------------------------------- lotteries
def _random_dictatorship(profile):
    shares = profile.plurality_scores() / profile.n_voters
    return Outcome(winners=[int(a) for a in np.flatnonzero(shares > 0)], lottery=shares)


def _uniform_borda(profile):
    w = get_rule("borda")(profile).winners
    lottery = np.zeros(profile.n_alternatives)
    lottery[list(w)] = 1 / len(w)
    return Outcome(winners=list(w), lottery=lottery)


RANDOM_DICTATORSHIP = custom_rule(_random_dictatorship, id="random_dictatorship", probabilistic=True)
UNIFORM_BORDA = custom_rule(_uniform_borda, id="uniform_borda", probabilistic=True)


def test_random_dictatorship_is_sd_strategyproof_and_ex_post_efficient():
    """Gibbard (1977): random dictatorship is strategyproof for stochastic dominance."""
    for axiom in ("strategyproofness", "participation", "pareto", "monotonicity", "reinforcement"):
        assert find_violation(axiom, RANDOM_DICTATORSHIP, n_voters=3, n_alternatives=3) is None, axiom
    w = find_violation("condorcet_winner", RANDOM_DICTATORSHIP, n_voters=3, n_alternatives=3)
    assert w is not None and w.outcome.lottery[w.alternatives[0]] < 1


def test_lottery_rules_are_compared_by_stochastic_dominance():
    w = find_violation("strategyproofness", UNIFORM_BORDA, n_voters=2, n_alternatives=3)
    assert w is not None and w.params["model"] == "sd"
    lv = tuple(next(k for k, g in enumerate(w.true_ballot) if a in g) for a in range(3))
    assert prefers("sd", lv, w.modified_outcome.lottery, w.outcome.lottery)
    with pytest.raises(Exception, match="'model' parameter .* 'sd' for a probabilistic rule"):
        get_axiom("strategyproofness").check(UNIFORM_BORDA, w.profile, model="kelly")
    assert get_axiom("positive_responsiveness").applies_to(UNIFORM_BORDA)[0] is False


def test_manipulation_checks_accept_approval_ballots_as_dichotomous_preferences():
    from mechanisms.profiles import ApprovalProfile

    approval_voting = custom_rule(lambda p: np.flatnonzero(p.approval_scores() == p.approval_scores().max()),
                                  id="approval_voting", input_kind="approval")
    # Brams and Fishburn (1978): approval voting is strategyproof for dichotomous preferences (Kelly)
    assert find_violation("strategyproofness", approval_voting, n_voters=3, n_alternatives=3, model="kelly") is None
    p = ApprovalProfile.from_sets([{0}, {1}], n_alternatives=3)
    assert get_axiom("strategyproofness").check(approval_voting, p, model="kelly").holds is True
