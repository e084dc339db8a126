"""Manipulation on real PrefLib data: the election itself vs a brute force written here, and the bootstrap
culture's exact rate vs an enumeration of the resampling distribution written here, Monte Carlo within 3 SE."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from mechanisms.axioms import manipulability_rate
from mechanisms.axioms.real_data import election_manipulability, preflib_election
from mechanisms.data import preflib_path
from mechanisms.io import read_preflib
from solvers.errors import UnknownNameError, ValidationError

F1 = "f1seasons/00052-00000010.soc"          # 8 voters, 5 alternatives, strict complete orders
NETFLIX = "netflix/00004-00000150.soc"       # 408 voters, 4 alternatives


def _voters(name, keep):
    """One level row per voter (ties impossible: soc), read and restricted here."""
    profile = read_preflib(preflib_path(name))
    ranks = np.asarray(profile.ranks)[:, keep]
    rows = [tuple(int(v) for v in np.argsort(np.argsort(r))) for r in ranks]
    return [row for row, w in zip(rows, profile.weights) for _ in range(int(w))]


def _winner(rule, voters, m):
    """Plurality / Borda with ties broken towards the smallest id."""
    points = [1] + [0] * (m - 1) if rule == "plurality" else list(range(m - 1, -1, -1))
    score = [sum(points[row[a]] for row in voters) for a in range(m)]
    return score.index(max(score))


def _row(weak_order):
    """Level row of a strict weak order ((a,), (b,), ...) best first."""
    row = [0] * len(weak_order)
    for level, group in enumerate(weak_order):
        (a,) = group
        row[a] = level
    return tuple(row)


def _all_rows(m):
    return [tuple(int(v) for v in np.argsort(p)) for p in itertools.permutations(range(m))]


def _manipulable(rule, voters, m):
    base = _winner(rule, voters, m)
    for i, true in enumerate(voters):
        for lie in _all_rows(m):
            new = _winner(rule, voters[:i] + [lie] + voters[i + 1:], m)
            if true[new] < true[base]:
                return True
    return False


SUBSETS = [list(s) for s in itertools.combinations(range(5), 3)] + [[0, 1, 2, 3], [1, 2, 3, 4]]


@pytest.mark.parametrize("rule", ["plurality", "borda"])
def test_real_election_manipulability_matches_brute_force(rule):
    verdicts = []
    for keep in SUBSETS:
        voters = _voters(F1, keep)
        expected = _manipulable(rule, voters, len(keep))
        result = election_manipulability(rule, F1, alternatives=keep)
        assert result.holds is (not expected), keep
        verdicts.append(expected)
        if expected:     # re-verify the witness here: one voter's misreport gives a winner that voter prefers
            w = result.witness
            true = _row(w.true_ballots[0])
            lie = _row(w.misreports[0])
            i = voters.index(true)
            after = _winner(rule, voters[:i] + [lie] + voters[i + 1:], len(keep))
            assert true[after] < true[_winner(rule, voters, len(keep))]
    assert any(verdicts) and not all(verdicts)     # the sample covers both answers


def test_coalition_on_real_election_at_least_single_voter():
    keep = [0, 1, 2]
    single = election_manipulability("plurality", F1, alternatives=keep)
    pair = election_manipulability("plurality", F1, alternatives=keep, coalition_size=2)
    assert single.holds is not False or pair.holds is False     # a single manipulator is a coalition of one


def _resampling_rate(rule, name, keep, n):
    """Exact single-voter manipulability under resampling n voters from the election, enumerated here."""
    voters = _voters(name, keep)
    types = sorted(set(voters))
    prob = {t: Fraction(voters.count(t), len(voters)) for t in types}
    total = Fraction(0)
    for draw in itertools.product(types, repeat=n):
        if _manipulable(rule, list(draw), len(keep)):
            total += math.prod((prob[t] for t in draw), start=Fraction(1))
    return total


@pytest.mark.parametrize("rule", ["plurality", "borda"])
def test_bootstrap_culture_exact_and_monte_carlo(rule):
    keep = [0, 1, 3]
    expected = _resampling_rate(rule, NETFLIX, keep, 3)
    opts = {"election": NETFLIX, "alternatives": keep}
    exact = manipulability_rate(rule, "preflib", n_voters=3, n_alternatives=3, exact=True, culture_options=opts)
    assert exact.exact and exact.complete and exact.exact_rate == expected
    assert 0 < expected < 1
    mc = manipulability_rate(rule, "preflib", n_voters=3, n_alternatives=3, n_samples=1500, rng=3,
                             executor="serial", culture_options=opts)
    se = math.sqrt(float(expected) * (1 - float(expected)) / mc.n_samples)
    assert abs(mc.rate - float(expected)) < 3 * se, (mc.rate, float(expected), se)
    assert mc.params["election"] == NETFLIX


def test_top_alternatives_by_borda():
    profile = read_preflib(preflib_path(NETFLIX))
    ranks = np.asarray(profile.ranks)
    w = np.asarray(profile.weights)
    borda = ((ranks.shape[1] - 1 - ranks) * w[:, None]).sum(axis=0)
    top = sorted(np.argsort(-borda, kind="stable")[:3].tolist())
    assert preflib_election(NETFLIX, n_alternatives=3).labels == tuple(profile.labels[a] for a in top)


def test_validation_errors():
    with pytest.raises(UnknownNameError, match="Unknown PrefLib file"):
        manipulability_rate("plurality", "preflib", n_voters=3, n_alternatives=3,
                            culture_options={"election": "netflix/nope.soc"})
    with pytest.raises(ValidationError, match="'culture_options' parameter of manipulability_rate must be"):
        manipulability_rate("plurality", "preflib", n_voters=3, n_alternatives=3)
    with pytest.raises(ValidationError, match="'alternatives' parameter of manipulability_rate must be 3 ids"):
        manipulability_rate("plurality", "preflib", n_voters=3, n_alternatives=3,
                            culture_options={"election": NETFLIX, "alternatives": [0, 1]})
    with pytest.raises(ValidationError, match="'n_alternatives' parameter of manipulability_rate must be"):
        manipulability_rate("plurality", "preflib", n_voters=3, n_alternatives=9,
                            culture_options={"election": NETFLIX})
