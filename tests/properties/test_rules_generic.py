"""Generic checks run on every registered ordinal rule: no mutation, determinism, pickling, anonymity,
neutrality, Condorcet consistency (for rules tagged ``condorcet_consistent``), resoluteness.

A rule that does not satisfy one of these declares it in ``register_rule(violates={name: reason})``;
the check is then replaced by a test that the declaration is honest (a counterexample exists).
Rules registered later by other modules are picked up automatically.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule, list_rules

#: options a rule needs because it has no default for them (built from the number of alternatives)
REQUIRED_OPTIONS = {
    "positional": lambda m: {"score_vector": [m - k for k in range(m)]},
}

ORDINAL_RULES = [r.id for r in list_rules(input_kind="ordinal")]
OTHER_RULES = [r.id for r in list_rules() if "ordinal" not in r.input_kinds]


def options_for(rule, m):
    return REQUIRED_OPTIONS[rule.id](m) if rule.id in REQUIRED_OPTIONS else {}


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


def relabel(profile: Profile, perm) -> Profile:
    """Alternative a becomes perm[a]."""
    ranks = np.empty_like(profile.ranks)
    ranks[:, perm] = profile.ranks
    labels = [None] * profile.n_alternatives
    for a, b in enumerate(perm):
        labels[b] = profile.labels[a]
    return Profile.from_ranks(ranks, weights=profile.weights, labels=labels)


def shuffled_and_split(profile: Profile) -> Profile:
    """Ballots in reverse order, every weight-w ballot written out as w unit ballots."""
    ranks = np.repeat(profile.ranks, profile.weights, axis=0)[::-1]
    return Profile.from_ranks(ranks, labels=profile.labels)


def mapped(result, perm):
    """The result expected after relabeling alternative a as perm[a]."""
    out = {"winners": tuple(sorted(perm[a] for a in result.winners))}
    if result.ranking is not None:
        out["ranking"] = tuple(tuple(sorted(perm[a] for a in g)) for g in result.ranking)
    if result.committees is not None:
        out["committees"] = tuple(sorted(tuple(sorted(perm[a] for a in c)) for c in result.committees))
    if result.scores is not None:
        scores = np.empty_like(result.scores)
        scores[list(perm)] = result.scores
        out["scores"] = scores.tolist()
    return out


def observed(result):
    out = {"winners": result.winners}
    if result.ranking is not None:
        out["ranking"] = result.ranking
    if result.committees is not None:
        out["committees"] = result.committees
    if result.scores is not None:
        out["scores"] = result.scores.tolist()
    return out


@pytest.mark.parametrize("rule_id", ORDINAL_RULES)
def test_generic_properties(rule_id):
    rule = get_rule(rule_id)
    slow = {"young", "dodgson", "stable_voting"}

    @settings(max_examples=12 if rule_id in slow else 25)
    @given(profiles_for(rule.ballots), st.permutations(range(4)))
    def check(profile, perm4):
        m = profile.n_alternatives
        options = options_for(rule, m)
        before = (profile.ranks.copy(), profile.weights.copy())
        first = rule(profile, rng=0, **options)
        # no mutation, determinism, pickling
        assert np.array_equal(profile.ranks, before[0]) and np.array_equal(profile.weights, before[1])
        assert rule(profile, rng=0, **options) == first
        assert pickle.loads(pickle.dumps(first)) == first
        assert set(first.winners) <= set(range(m)) and first.winners
        # anonymity
        if "anonymity" not in rule.violates:
            assert observed(rule(shuffled_and_split(profile), rng=0, **options)) == observed(first)
        # neutrality
        perm = [p for p in perm4 if p < m]
        if "neutrality" not in rule.violates:
            assert observed(rule(relabel(profile, perm), rng=0, **options)) == mapped(first, perm)
        # Condorcet consistency
        cw = profile.condorcet_winner()
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
    """A declared exception must be witnessed: search small profiles for a counterexample."""
    rule = get_rule(rule_id)
    rng = np.random.default_rng(0)
    witnessed = set()
    for _ in range(300):
        m = int(rng.integers(2, 5))
        profile = Profile.from_rankings([rng.permutation(m) for _ in range(int(rng.integers(1, 5)))])
        options = options_for(rule, m)
        first = rule(profile, **options)
        perm = list(rng.permutation(m))
        if observed(rule(relabel(profile, perm), **options)) != mapped(first, perm):
            witnessed.add("neutrality")
        if observed(rule(shuffled_and_split(profile), **options)) != observed(first):
            witnessed.add("anonymity")
    assert set(rule.violates) <= witnessed, (rule.violates, witnessed)


@pytest.mark.parametrize("rule_id", OTHER_RULES or ["(none)"])
def test_non_ordinal_rules_need_their_own_strategies(rule_id):
    if rule_id == "(none)":
        return
    pytest.skip(f"{rule_id}: the generic checks above draw ordinal profiles; strategies for "
                f"{get_rule(rule_id).input_kinds} profiles belong to mechanisms.testing")


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
