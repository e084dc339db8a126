"""RLHF-shaped rules: Bradley-Terry / Plackett-Luce rules, linear social choice (Ge et al. 2024), group maxmin."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linprog, minimize

from mechanisms import ValidationError
from mechanisms.profiles import PairwiseComparisons, Profile
from mechanisms.social_choice import get_rule
from mechanisms.social_choice.rlhf import comparisons_of

# ---------------------------------------------------------------------- Ge et al. (2024), Theorem 3.1 instance
# candidates a, b, c, a', b', c' = 0..5 at (2,1), (1,1), (0,0) and their copies shifted by (-eps, 0), (-eps, 0),
# (-eps, delta * eps); a 3/5 majority ranks a > a' > b > b' > c' > c, the rest c' > c > b' > b > a' > a.
EPS, DELTA = 0.3, 0.25
GE_FEATURES = np.array([[2, 1], [1, 1], [0, 0], [2 - EPS, 1], [1 - EPS, 1], [-EPS, DELTA * EPS]])
MAJORITY = [0, 3, 1, 4, 5, 2]
MINORITY = [5, 2, 4, 1, 3, 0]
GE_PROFILE = Profile.from_rankings([MAJORITY, MINORITY], weights=[3, 2])


def _linear_feasible(X, ranking):
    """Is there theta with (x_a - x_b) . theta >= 1 along the ranking?  (scipy's LP, an independent route.)"""
    rows = np.array([X[ranking[i]] - X[ranking[i + 1]] for i in range(len(ranking) - 1)])
    res = linprog(np.zeros(X.shape[1]), A_ub=-rows, b_ub=-np.ones(len(rows)), bounds=[(None, None)] * X.shape[1])
    return res.status == 0


def _bt_loss_theta(X, rankings, weights):
    """Minimize the BTL loss of Ge et al. (sum over voters and ordered pairs) with scipy, from scratch."""
    pairs = [(r[i], r[j], w) for r, w in zip(rankings, weights) for i in range(len(r)) for j in range(i + 1, len(r))]

    def loss(theta):
        return sum(w * np.logaddexp(0.0, -(X[a] - X[b]) @ theta) for a, b, w in pairs)

    return minimize(loss, np.zeros(X.shape[1]), method="BFGS", options={"gtol": 1e-10}).x


def test_ge_instance_is_linear_and_pareto_constrains_c_prime_over_c():
    assert _linear_feasible(GE_FEATURES, MAJORITY) and _linear_feasible(GE_FEATURES, MINORITY)
    # every voter ranks c' (5) above c (2)
    assert MAJORITY.index(5) < MAJORITY.index(2) and MINORITY.index(5) < MINORITY.index(2)


def test_bradley_terry_over_features_violates_pareto_and_pmc():
    result = get_rule("linear_bradley_terry")(GE_PROFILE, features=GE_FEATURES, l2=0)
    theta = _bt_loss_theta(GE_FEATURES, [MAJORITY, MINORITY], [3, 2])
    rewards = GE_FEATURES @ theta
    np.testing.assert_allclose(result.scores, rewards, atol=1e-6)
    assert rewards[2] > rewards[5] + 1e-3              # c above c': a Pareto violation (Theorem 3.1)
    assert result.ranking != tuple((a,) for a in MAJORITY)    # and not the feasible PMC ranking


def test_lcpo_satisfies_pareto_and_pmc_on_the_same_instance():
    result = get_rule("leximax_copeland")(GE_PROFILE, features=GE_FEATURES)
    assert result.ranking == tuple((a,) for a in MAJORITY)    # the PMC ranking (feasible): Theorem 4.3
    assert result.winners == (0,)
    assert get_rule("lcpo") is get_rule("leximax_copeland")
    # the Copeland scores of the PMC ranking are 5, 4, ..., 0 along it
    assert [int(result.scores[a]) for a in MAJORITY] == [5, 4, 3, 2, 1, 0]


def _lcpo_brute_force(profile, X, pareto=True):
    """All feasible rankings (respecting Pareto), the leximax one by Copeland scores position by position."""
    S = profile.support_matrix()
    n = profile.n_voters
    m = X.shape[0]
    copeland = (S > S.T).sum(axis=1)
    dominated = {(a, b) for a in range(m) for b in range(m) if a != b and S[a, b] == n} if pareto else set()
    best = None
    for perm in itertools.permutations(range(m)):
        pos = {a: i for i, a in enumerate(perm)}
        if any(pos[a] > pos[b] for a, b in dominated) or not _linear_feasible(X, list(perm)):
            continue
        key = tuple(copeland[a] for a in perm)
        # the leximax choice, smallest id among equal Copeland scores at each position
        key = tuple((c, -a) for c, a in zip(key, perm))
        if best is None or key > best[0]:
            best = (key, perm)
    return best[1]


@pytest.mark.parametrize("seed", range(6))
def test_lcpo_matches_brute_force_over_feasible_rankings(seed):
    rng = np.random.default_rng(seed)
    m, d = 4, 2
    X = rng.normal(size=(m, d))
    voters = [list(np.argsort(-(X @ rng.normal(size=d)))) for _ in range(int(rng.integers(2, 6)))]
    profile = Profile.from_rankings(voters)
    for pareto in (True, False):
        result = get_rule("leximax_copeland")(profile, features=X, pareto=pareto)
        assert tuple(a for (a,) in result.ranking) == _lcpo_brute_force(profile, X, pareto)


def test_lcpo_with_one_hot_features_is_copeland_with_pareto():
    p = Profile.from_rankings([[0, 1, 2, 3], [1, 2, 3, 0], [2, 0, 1, 3]])
    result = get_rule("leximax_copeland")(p)
    copeland = get_rule("copeland")(p)
    assert set(result.winners) <= set(copeland.winners) or result.winners == copeland.winners
    assert get_rule("leximax_copeland")(Profile.from_rankings([[0]])).winners == (0,)


# ---------------------------------------------------------------------- Bradley-Terry / PL rules
def test_comparisons_of_a_profile_count_pairs():
    p = Profile.from_weak_orders([[[0], [1, 2]], [[2], [0]], [[1], [0], [2]]], weights=[1, 2, 1])
    comp, w, ties, tw = comparisons_of(p)
    counts = {(int(a), int(b)): int(x) for (a, b), x in zip(comp, w)}
    # ballot 1: 0 > {1, 2}; ballot 2 (x2): 2 > 0 > unranked 1; ballot 3: 1 > 0 > 2
    assert counts == {(0, 1): 3, (0, 2): 2, (2, 0): 2, (2, 1): 2, (1, 0): 1, (1, 2): 1}
    assert ties.tolist() == [[1, 2]] and tw.tolist() == [1]


def test_bradley_terry_rule_equals_the_closed_form_and_choix_convention():
    pc = PairwiseComparisons([0, 0, 0, 1, 1], [1, 1, 1, 0, 0], [0, 0, 0, 1, 1])
    r = get_rule("bradley_terry")(pc, l2=0)
    assert r.scores[0] - r.scores[1] == pytest.approx(math.log(3 / 2), abs=1e-8)
    assert r.winners == (0,) and r.ranking == ((0,), (1,))
    # a tie counts half a win each (default) or enters Davidson's model
    tied = PairwiseComparisons([0, 0, 0], [1, 1, 1], [0, -1, -1])
    assert get_rule("bradley_terry")(tied, l2=0).scores[0] == pytest.approx(0.5 * math.log(2 / 1), abs=1e-8)
    dav = get_rule("bradley_terry")(PairwiseComparisons([0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 0, -1]), l2=0,
                                    ties="davidson")
    assert dav.scores[0] - dav.scores[1] == pytest.approx(math.log(2), abs=1e-7)


def test_bradley_terry_on_a_profile_is_bt_on_its_pairs():
    p = Profile.from_rankings([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]])
    r = get_rule("bradley_terry")(p, l2=0)
    pairs = [(rank[i], rank[j]) for rank in p.to_rankings() for i in range(3) for j in range(i + 1, 3)]

    def nll(t):
        return sum(np.logaddexp(0.0, t[b] - t[a]) for a, b in pairs)

    theta = minimize(nll, np.zeros(3), method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(r.scores, theta - theta.mean(), atol=1e-6)


def test_plackett_luce_rule_matches_an_independent_fit():
    rankings = [[0, 1, 2, 3], [1, 0, 3, 2], [0, 2, 1, 3], [3, 0, 1, 2], [0, 1, 3, -1]]
    p = Profile.from_rankings(rankings)
    r = get_rule("plackett_luce")(p, l2=0)

    def nll(t):
        total = 0.0
        for rank in rankings:
            remaining = list(range(4))
            for a in (x for x in rank if x >= 0):
                total -= t[a] - math.log(sum(math.exp(t[c]) for c in remaining))
                remaining.remove(a)
        return total

    theta = minimize(nll, np.zeros(4), method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(r.scores, theta - theta.mean(), atol=1e-6)
    assert r.winners == (0,)


def test_regularization_defaults_and_the_l2_zero_error():
    p = Profile.from_rankings([[0, 1, 2], [0, 2, 1]])
    r = get_rule("bradley_terry")(p)              # 0 never loses: defined thanks to l2 = 0.01
    assert r.winners == (0,) and r.ranking == ((0,), (1, 2))
    with pytest.raises(ValidationError, match=r"The 'l2' parameter of bradley_terry must be positive for this "
                                              r"profile.*item 0 never lost"):
        get_rule("bradley_terry")(p, l2=0)
    with pytest.raises(ValidationError, match=r"The 'l2' parameter of plackett_luce must be positive"):
        get_rule("plackett_luce")(p, l2=0)


def test_scores_do_not_depend_on_ballot_order_or_labels():
    rng = np.random.default_rng(0)
    rows = [rng.permutation(4) for _ in range(7)]
    a = get_rule("plackett_luce")(Profile.from_rankings(rows))
    b = get_rule("plackett_luce")(Profile.from_rankings(rows[::-1]))
    assert a == b
    perm = [2, 0, 3, 1]
    c = get_rule("bradley_terry")(Profile.from_rankings([[perm[x] for x in r] for r in rows]))
    d = get_rule("bradley_terry")(Profile.from_rankings(rows))
    np.testing.assert_array_equal(c.scores[perm], d.scores)


# ---------------------------------------------------------------------- group maxmin
def _two_groups():
    # group A (annotators 0, 1) prefers 0 > 1 > 2, group B (annotator 2) prefers 2 > 1 > 0
    rows = []
    for ann, order in ((0, [0, 1, 2]), (1, [0, 1, 2]), (2, [2, 1, 0])):
        for i, j in itertools.combinations(range(3), 2):
            rows.append((order[i], order[j], order[i], ann))
    a, b, w, ann = map(list, zip(*rows))
    return PairwiseComparisons(a, b, w, annotator=ann)


def test_maxmin_picks_the_compromise():
    pc = _two_groups()
    groups = {0: "A", 1: "A", 2: "B"}
    r = get_rule("maxmin_rlhf")(pc, groups=groups)
    assert r.winners == (1,)
    assert r.scores[1] == pytest.approx(0.5, abs=1e-9)        # the middle of both groups' [0, 1] ranges
    assert r.scores[0] == pytest.approx(0.0, abs=1e-9) and r.scores[2] == pytest.approx(0.0, abs=1e-9)
    assert get_rule("maxmin_rlhf")(pc, groups=[0, 0, 1]).ranking == r.ranking
    # utilitarian BT on the pooled data prefers the majority's favourite instead
    assert get_rule("bradley_terry")(pc).winners == (0,)
    for normalize in ("std", "none"):
        assert get_rule("maxmin_rlhf")(pc, groups=groups, normalize=normalize).winners == (1,)


@pytest.mark.parametrize("call, match", [
    (lambda: get_rule("maxmin_rlhf")(PairwiseComparisons([0], [1], [0])),
     r"The 'profile' parameter of maxmin_rlhf must be a comparison table with annotator ids"),
    (lambda: get_rule("maxmin_rlhf")(_two_groups(), groups={0: "A"}),
     r"The 'groups' parameter of maxmin_rlhf must be a mapping from every annotator id to a group.*Annotator 1"),
    (lambda: get_rule("maxmin_rlhf")(_two_groups(), groups=[0, 1]),
     r"The 'groups' parameter of maxmin_rlhf must be an array with one group id per annotator id"),
    (lambda: get_rule("leximax_copeland")(GE_PROFILE, features=np.zeros((6, 2))),
     r"The 'features' parameter of leximax_copeland must be distinct feature vectors"),
    (lambda: get_rule("linear_bradley_terry")(GE_PROFILE, features=np.zeros((5, 2))),
     r"The 'features' parameter of linear_bradley_terry must be an array with one row per alternative \(6\)"),
    (lambda: get_rule("bradley_terry")(GE_PROFILE, ties="rao_kupper"),
     r"The 'ties' parameter of bradley_terry must be one of 'half', 'davidson', 'ignore'"),
])
def test_errors(call, match):
    with pytest.raises(ValidationError, match=match):
        call()


def test_lcpo_rejects_pareto_constraints_no_linear_reward_satisfies():
    # one feature: 0 < 1 < 2 on a line; unanimity says 1 > 0 and 1 > 2, impossible for a linear reward
    p = Profile.from_rankings([[1, 0, 2], [1, 2, 0]])
    with pytest.raises(ValidationError, match=r"Pareto dominance relation is induced by some linear reward"):
        get_rule("leximax_copeland")(p, features=[[0.0], [1.0], [2.0]])
    assert get_rule("leximax_copeland")(p, features=[[0.0], [1.0], [2.0]], pareto=False).ranking
