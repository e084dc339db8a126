"""Generic checks run on every registered rule, for every input kind it accepts: no mutation, determinism,
pickling, anonymity, neutrality, Condorcet consistency (for rules tagged ``condorcet_consistent``),
resoluteness.

Profiles come from :func:`mechanisms.testing.profiles` (approval ballots, utilities, pairwise
comparisons) and, for ordinal rules, from a local strategy that matches the rule's ballot type.
Anonymity is invariance under reordering ballot rows and splitting weights (and, for comparison
tables, renaming annotators); neutrality is equivariance under renaming alternatives (items).  The
oracle is the rule's own output on the original profile, mapped by the permutation: an independent
route to the expected answer.

A rule that does not satisfy one of these declares it in ``register_rule(violates={name: reason})``;
the check is then replaced by a test that the declaration is honest (a counterexample exists).
Rules registered later by other modules are picked up automatically.
"""

from __future__ import annotations

import inspect
import pickle

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from mechanisms.profiles import ApprovalProfile, PairwiseComparisons, Profile, UtilityProfile
from mechanisms.social_choice import get_rule, list_rules
from solvers.errors import ValidationError
from mechanisms.testing import profiles

#: options a rule needs because it has no default for them (built from the number of alternatives)
REQUIRED_OPTIONS = {
    "positional": lambda m: {"score_vector": [m - k for k in range(m)]},
}

#: every (rule, input kind) pair the generic checks run on
CASES = [(r.id, kind) for r in list_rules() for kind in r.input_kinds]
ORDINAL_RULES = [r.id for r in list_rules(input_kind="ordinal")]
#: rules whose one call costs milliseconds (MILPs, maximum-likelihood fits, convex programs): fewer examples
SLOW = {"young", "dodgson", "stable_voting", "bradley_terry", "plackett_luce", "linear_bradley_terry",
        "leximax_copeland", "maxmin_rlhf", "nash_welfare", "leximin", "egalitarian"}


def options_for(rule, m):
    if rule.id in REQUIRED_OPTIONS:
        return REQUIRED_OPTIONS[rule.id](m)
    if rule.committee and rule.options.get("k") is inspect.Parameter.empty:
        return {"k": min(2, m)}
    return {}


@st.composite
def profiles_for(draw, ballots: str, max_m: int = 4, max_n: int = 6):
    m = draw(st.integers(2, max_m))
    n = draw(st.integers(1, max_n))
    weights = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    if ballots == "any":
        ranks = draw(st.lists(st.lists(st.integers(-1, m - 1), min_size=m, max_size=m), min_size=n, max_size=n))
        return Profile.from_ranks(np.array(ranks, dtype=np.int64), weights=weights)
    rows = []
    for _ in range(n):
        perm = list(draw(st.permutations(range(m))))
        keep = m if ballots in ("strict_complete", "complete") else draw(st.integers(0, m))
        rows.append(perm[:keep] + [-1] * (m - keep))
    return Profile.from_rankings(rows, weights=weights)


def strategy_for(rule, kind):
    if kind == "ordinal":
        return profiles_for(rule.ballots)
    return profiles(kind={"approval": "approval", "utility": "utilities", "pairwise": "pairwise"}[kind],
                    n_alternatives=st.integers(2, 4), weighted=True, max_weight=3)


def relabel(profile, perm):
    """Alternative a becomes perm[a]."""
    perm = np.asarray(perm, dtype=np.int64)
    labels = [None] * profile.n_alternatives
    for a, b in enumerate(perm):
        labels[b] = profile.labels[a]
    if isinstance(profile, PairwiseComparisons):
        win = np.asarray(profile.winner)
        return PairwiseComparisons(perm[profile.item_a], perm[profile.item_b], np.where(win >= 0, perm[win], -1),
                                   annotator=profile.annotator, weights=profile.weights,
                                   n_items=profile.n_alternatives, labels=labels)
    if isinstance(profile, ApprovalProfile):
        cols = np.empty_like(profile.approvals)
        cols[:, perm] = profile.approvals
        return ApprovalProfile(cols, profile.weights, labels)
    if isinstance(profile, UtilityProfile):
        cols = np.empty_like(profile.utilities)
        cols[:, perm] = profile.utilities
        return UtilityProfile(cols, profile.weights, labels)
    ranks = np.empty_like(profile.ranks)
    ranks[:, perm] = profile.ranks
    return Profile.from_ranks(ranks, weights=profile.weights, labels=labels)


def shuffled_and_split(profile):
    """Ballots in reverse order, every weight-w ballot written out as w unit ballots (for comparison tables,
    annotator ids renamed too: annotator i becomes max_id - i)."""
    def spread(rows):
        return np.repeat(np.asarray(rows), profile.weights, axis=0)[::-1]

    if isinstance(profile, PairwiseComparisons):
        ann = np.asarray(profile.annotator)
        renamed = ann.max(initial=0) - ann
        return PairwiseComparisons(spread(profile.item_a), spread(profile.item_b), spread(profile.winner),
                                   annotator=spread(renamed), n_items=profile.n_alternatives,
                                   labels=profile.labels)
    if isinstance(profile, ApprovalProfile):
        return ApprovalProfile(spread(profile.approvals), None, profile.labels)
    if isinstance(profile, UtilityProfile):
        return UtilityProfile(spread(profile.utilities), None, profile.labels)
    return Profile.from_ranks(spread(profile.ranks), labels=profile.labels)


def mapped(result, perm):
    """The result expected after relabeling alternative a as perm[a]."""
    out = {"winners": tuple(sorted(perm[a] for a in result.winners))}
    if result.ranking is not None:
        out["ranking"] = tuple(tuple(sorted(perm[a] for a in g)) for g in result.ranking)
    if result.committees is not None:
        out["committees"] = tuple(sorted(tuple(sorted(perm[a] for a in c)) for c in result.committees))
    if result.scores is not None:
        scores = np.empty_like(np.asarray(result.scores, dtype=np.float64))
        scores[list(perm)] = result.scores
        out["scores"] = scores
    return out


def observed(result):
    out = {"winners": result.winners}
    if result.ranking is not None:
        out["ranking"] = result.ranking
    if result.committees is not None:
        out["committees"] = result.committees
    if result.scores is not None:
        out["scores"] = np.asarray(result.scores, dtype=np.float64)
    return out


def data_of(profile) -> tuple:
    """Copies of every array the profile exposes, to detect mutation."""
    names = {PairwiseComparisons: ("item_a", "item_b", "winner", "annotator"), ApprovalProfile: ("approvals",),
             UtilityProfile: ("utilities",), Profile: ("ranks",)}[type(profile)]
    return tuple(np.array(getattr(profile, n), copy=True) for n in names + ("weights",))


def same(a, b) -> bool:
    """Equal outcomes; scores equal up to 1e-6 (fitted and optimized scores carry solver noise)."""
    if a.keys() != b.keys():
        return False
    return all(np.allclose(a[k], b[k], rtol=0, atol=1e-6) if k == "scores" else a[k] == b[k] for k in a)


@pytest.mark.parametrize(("rule_id", "kind"), CASES)
def test_generic_properties(rule_id, kind):
    rule = get_rule(rule_id)

    @settings(max_examples=10 if rule_id in SLOW else 25, deadline=None)
    @given(strategy_for(rule, kind), st.permutations(range(4)))
    def check(profile, perm4):
        m = profile.n_alternatives
        options = options_for(rule, m)
        before = data_of(profile)
        try:
            first = rule(profile, rng=0, **options)
        except ValidationError:   # outside the rule's stated domain (e.g. Nash welfare with all-zero utilities)
            reject()
        # no mutation, determinism, pickling
        assert all(np.array_equal(x, y) for x, y in zip(before, data_of(profile)))
        assert rule(profile, rng=0, **options) == first
        assert pickle.loads(pickle.dumps(first)) == first
        assert set(first.winners) <= set(range(m)) and first.winners
        # anonymity
        if "anonymity" not in rule.violates:
            assert same(observed(rule(shuffled_and_split(profile), rng=0, **options)), observed(first))
        # neutrality
        perm = [p for p in perm4 if p < m]
        if "neutrality" not in rule.violates:
            assert same(observed(rule(relabel(profile, perm), rng=0, **options)), mapped(first, perm))
        # Condorcet consistency
        cw = profile.condorcet_winner() if isinstance(profile, Profile) else None
        if "condorcet_consistent" in rule.properties and cw is not None:
            assert first.winners == (cw,)
        # resolute rules elect one alternative; tie_break always selects one of the tied winners
        if rule.resolute:
            assert len(first.winners) == 1
        broken = rule(profile, tie_break="lexicographic", **options)
        if rule.committee:
            assert broken.winners in first.committees
        else:
            assert len(broken.winners) == 1 and broken.winners[0] in first.tied_winners

    check()


@pytest.mark.parametrize("rule_id", [r.id for r in list_rules() if r.violates])
def test_declared_violations_are_real(rule_id):
    """A declared exception must be witnessed: search small random profiles of the rule's input kind (ordinal
    when the rule accepts it)."""
    rule = get_rule(rule_id)
    rng = np.random.default_rng(0)
    kind = "ordinal" if "ordinal" in rule.input_kinds else rule.input_kinds[0]
    witnessed = set()
    for _ in range(300):
        m = int(rng.integers(2, 5))
        n = int(rng.integers(1, 5))
        if kind == "approval":
            profile = ApprovalProfile(rng.random((n, m)) < 0.5)
        elif kind == "utility":
            profile = UtilityProfile(rng.integers(0, 4, size=(n, m)).astype(float))
        elif kind == "pairwise":
            a = rng.integers(0, m, size=n)
            b = (a + rng.integers(1, m, size=n)) % m
            profile = PairwiseComparisons(a, b, np.where(rng.random(n) < 0.5, a, b),
                                          annotator=rng.integers(0, 3, size=n), n_items=m)
        else:
            profile = Profile.from_rankings([rng.permutation(m) for _ in range(n)])
        options = options_for(rule, m)
        try:
            first = rule(profile, **options)
        except ValidationError:   # outside the rule's stated domain
            continue
        perm = list(rng.permutation(m))
        if not same(observed(rule(relabel(profile, perm), **options)), mapped(first, perm)):
            witnessed.add("neutrality")
        if not same(observed(rule(shuffled_and_split(profile), **options)), observed(first)):
            witnessed.add("anonymity")
    assert set(rule.violates) <= witnessed, (rule.violates, witnessed)


@pytest.mark.parametrize("rule_id", ORDINAL_RULES)
def test_no_voters_and_perfect_symmetry_tie_everyone(rule_id):
    """With no voters every neutral rule ties all alternatives; with a ranking and its reverse, so does
    every Condorcet-consistent rule here (they read the margins, all zero) and every linear (Borda-like)
    scoring rule."""
    rule = get_rule(rule_id)
    m = 6
    cases = [Profile.from_rankings(np.zeros((0, m), dtype=np.int64))]
    if "condorcet_consistent" in rule.properties or rule.id in ("borda", "positional"):
        cases.append(Profile.from_rankings([list(range(m)), list(range(m - 1, -1, -1))]))
    for profile in cases:
        result = rule(profile, **options_for(rule, m))
        if rule.resolute:
            assert len(result.winners) == 1
        else:
            assert result.tied_winners == tuple(range(m)), profile
