"""Approval committee rules and JR/PJR/EJR checks against abcvoting.

Conventions normalized:

* both sides list every winning committee (abcvoting ``resolute=False``: for the
  sequential rules, every committee some tie-breaking order elects);
* abcvoting runs with exact fractions (``standard-fractions``) and, for PAV/CC,
  brute force;
* ids: ``seq_pav`` = ``seqpav``, ``seq_phragmen`` = ``seqphragmen``, ``mes`` =
  ``equal-shares`` (its default completion, seq-Phragmen), ``mes`` with
  ``completion="av"`` = ``equal-shares-with-av-completion``, ``completion="none"``
  = ``equal-shares-without-completion``;
* abcvoting's brute-force PJR/EJR checks enumerate groups of unit-weight voters, so
  the property comparisons use unweighted profiles.

abcvoting's own test instances (``*.abc.yaml``) are not shipped in the installed
package (only its modules are), so they are not used here.
"""

from __future__ import annotations

import numpy as np
import pytest

from mechanisms.profiles import ApprovalProfile
from mechanisms.social_choice import get_rule
from mechanisms.social_choice.proportionality import is_ejr, is_jr, is_pjr

abcvoting = pytest.importorskip("abcvoting")
from abcvoting import abcrules, properties  # noqa: E402
from abcvoting.preferences import Profile as AbcProfile  # noqa: E402
from abcvoting.preferences import Voter  # noqa: E402

CASES = [
    ("av", {}, "av", "standard"),
    ("sav", {}, "sav", "standard"),
    ("pav", {}, "pav", "brute-force"),
    ("cc", {}, "cc", "brute-force"),
    ("seq_pav", {}, "seqpav", "standard"),
    ("seq_phragmen", {}, "seqphragmen", "standard-fractions"),
    ("mes", {}, "equal-shares", "standard-fractions"),
    ("mes", {"completion": "av"}, "equal-shares-with-av-completion", "standard-fractions"),
    ("mes", {"completion": "none"}, "equal-shares-without-completion", "standard-fractions"),
]


def _random_profiles(seed, count, weighted=True):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n, m = int(rng.integers(1, 8)), int(rng.integers(2, 6))
        A = rng.random((n, m)) < rng.uniform(0.2, 0.7)
        empty = ~A.any(axis=1)
        A[empty, rng.integers(m, size=int(empty.sum()))] = True   # abcvoting's SAV needs nonempty ballots
        w = rng.integers(1, 4, size=n) if weighted else np.ones(n, dtype=np.int64)
        yield A, w, int(rng.integers(1, m + 1))


def _abc_profile(A, w):
    profile = AbcProfile(A.shape[1])
    profile.add_voters([Voter([int(c) for c in np.flatnonzero(row)], weight=int(wi)) for row, wi in zip(A, w)])
    return profile


@pytest.mark.parametrize("rule, options, peer, algorithm", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_winning_committees_match_abcvoting(rule, options, peer, algorithm):
    for A, w, k in _random_profiles(seed=hash(peer) % 1000, count=40):
        ours = get_rule(rule)(ApprovalProfile(A, weights=w), k=k, **options).committees
        theirs = abcrules.compute(peer, _abc_profile(A, w), k, resolute=False, algorithm=algorithm)
        assert ours == tuple(sorted(tuple(sorted(c)) for c in theirs)), (A.astype(int).tolist(), w.tolist(), k)


def test_a_larger_pav_instance_matches_abcvoting():
    rng = np.random.default_rng(11)
    A = rng.random((30, 9)) < 0.35
    ours = get_rule("pav")(ApprovalProfile(A), k=4, algorithm="milp").committees
    theirs = abcrules.compute("pav", _abc_profile(A, np.ones(30, dtype=int)), 4, resolute=False,
                              algorithm="brute-force")
    assert ours == tuple(sorted(tuple(sorted(c)) for c in theirs))


def test_proportionality_checks_match_abcvoting_properties():
    rng = np.random.default_rng(5)
    seen = {"jr": 0, "pjr": 0, "ejr": 0}
    for A, w, k in _random_profiles(seed=6, count=120, weighted=False):
        m = A.shape[1]
        committee = sorted(rng.choice(m, size=k, replace=False).tolist())
        profile = ApprovalProfile(A)
        peer = _abc_profile(A, w)
        expected = (properties.check_JR(peer, committee),
                    properties.check_PJR(peer, committee, algorithm="brute-force"),
                    properties.check_EJR(peer, committee, algorithm="brute-force"))
        ours = (bool(is_jr(profile, committee)), bool(is_pjr(profile, committee)), bool(is_ejr(profile, committee)))
        assert ours == expected, (A.astype(int).tolist(), committee)
        for name, ok in zip(("jr", "pjr", "ejr"), ours):
            seen[name] += not ok
    assert min(seen.values()) > 5      # the sample contains violations of each property


def test_rule_outputs_satisfy_their_proportionality_guarantees():
    # PAV and MES satisfy EJR, seq-Phragmen PJR (Aziz et al. 2017; Peters and Skowron 2020; Brill et al. 2017)
    for A, w, k in _random_profiles(seed=8, count=40, weighted=False):
        profile = ApprovalProfile(A)
        peer = _abc_profile(A, w)
        for rule, prop in (("pav", "ejr"), ("mes", "ejr"), ("seq_phragmen", "pjr")):
            for committee in get_rule(rule)(profile, k=k).committees:
                assert properties.check(prop, peer, list(committee), algorithm="brute-force")
