"""Known numbers of the impartial culture (IC) with three alternatives, reproduced.

* The probability of no Condorcet winner is exactly 1/18 for 3 voters and 5/72 for
  5 voters (Guilbaud 1952; Gehrlein and Fishburn 1976): computed by enumerating
  every anonymous profile with its IC multiplicity (``n! / prod(c!)`` of the
  ``6**n`` ordered profiles), with exact fractions.
* As the electorate grows it tends to ``1 - (3/4 + 3/(2 pi) asin(1/3)) = 0.08774``
  (Guilbaud 1952): simulated with ``impartial_culture`` at n = 1001, within 3
  standard errors.
* The Condorcet efficiency (probability of electing the Condorcet winner, given
  that one exists) of plurality and Borda tends to 0.7572 and 0.9012 (Gehrlein and
  Fishburn 1978, "Coincidence probabilities for simple majority and positional
  voting rules", Social Science Research 7, 272-283; also Gehrlein and Lepelley,
  Voting Paradoxes and Group Coherence, Springer 2011): simulated with the
  registered rules at n = 1001 within 3 standard errors.  For small odd n the
  exact efficiencies computed through the rule registry are compared with an
  independent brute force over all ``6**n`` ordered profiles.  No published
  small-n IC table of these efficiencies could be located for this test (searched:
  Gehrlein and Fishburn 1978; Gehrlein, Condorcet's Paradox, 2006; Gehrlein and
  Lepelley 2011; Cervone, Gehrlein and Zwicker 2005), so small n is checked by
  brute force only; the conventions used are stated at the test.
* Under the impartial anonymous culture (IAC: every anonymous profile equally
  likely) the number of anonymous profiles of ``n`` (odd) voters on three
  alternatives in which a given alternative is the Condorcet winner is
  ``(n + 1) (n + 3)**3 (n + 5) / 384`` (Gehrlein and Fishburn 1976, "The
  probability of the paradox of voting: a computable solution", J. Economic
  Theory 13, 14-25; quoted as ``Con_A(n)`` in Gehrlein and Lepelley 2001, "The
  Condorcet efficiency of Borda Rule with anonymous voters", Mathematical Social
  Sciences 41, 39-50): counted through ``iter_profiles`` for n = 1..11.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from mechanisms.axioms import iter_profiles
from mechanisms.generators import impartial_culture
from mechanisms.profiles import Profile
from mechanisms.social_choice import get_rule

RANKINGS = list(itertools.permutations(range(3)))          # the 6 strict rankings, best first
LIMIT_NO_CW = 1 - (0.75 + 3 / (2 * math.pi) * math.asin(1 / 3))


def ic_multiplicity(profile) -> int:
    """Number of ordered IC profiles (voters labelled) giving this anonymous profile."""
    counts = profile.grouped().weights
    return math.factorial(int(counts.sum())) // math.prod(math.factorial(int(c)) for c in counts)


@pytest.mark.parametrize("n, expected", [(3, Fraction(1, 18)), (5, Fraction(5, 72))])
def test_probability_of_no_condorcet_winner_is_exact(n, expected):
    total = no_winner = 0
    for profile in iter_profiles(n, 3):
        weight = ic_multiplicity(profile)
        total += weight
        no_winner += weight * (profile.condorcet_winner() is None)
    assert total == 6 ** n                      # the enumeration covers every ordered profile once
    assert Fraction(no_winner, total) == expected


def _type_counts(rng, n_voters: int, n_samples: int) -> np.ndarray:
    """(n_samples, 6) counts of the six rankings in independent IC profiles drawn by ``impartial_culture``."""
    block = impartial_culture(n_voters * n_samples, 3, rng=rng)
    ranks = block.ranks.reshape(n_samples, n_voters, 3)
    code = ranks[..., 0] * 9 + ranks[..., 1] * 3 + ranks[..., 2]
    codes = [r[0] * 9 + r[1] * 3 + r[2] for r in (tuple(int(np.argsort(p)[a]) for a in range(3))
                                                   for p in RANKINGS)]
    return np.stack([(code == c).sum(axis=1) for c in codes], axis=1)


def _ranks_of(ranking):
    ranks = [0, 0, 0]
    for position, a in enumerate(ranking):
        ranks[a] = position
    return ranks


def test_no_condorcet_winner_tends_to_guilbaud_limit():
    rng = np.random.default_rng(20240611)
    n, samples = 1001, 8_000
    # margins per sample from the ranking counts: +1 / -1 per voter and pair
    sign = np.array([[np.sign(_ranks_of(r)[b] - _ranks_of(r)[a]) for a, b in ((0, 1), (0, 2), (1, 2))]
                     for r in RANKINGS])
    no_winner = 0
    for _ in range(samples // 2000):
        counts = _type_counts(rng, n, 2000)
        m01, m02, m12 = (counts @ sign).T                   # n odd: never zero
        beats = {0: (m01 > 0) & (m02 > 0), 1: (m01 < 0) & (m12 > 0), 2: (m02 < 0) & (m12 < 0)}
        no_winner += int((~(beats[0] | beats[1] | beats[2])).sum())
    p = no_winner / samples
    se = math.sqrt(LIMIT_NO_CW * (1 - LIMIT_NO_CW) / samples)
    assert round(LIMIT_NO_CW, 5) == 0.08774
    assert abs(p - LIMIT_NO_CW) < 3 * se, (p, LIMIT_NO_CW, se)


def _efficiency_brute_force(n: int) -> dict[str, Fraction]:
    """Exact Condorcet efficiencies over all 6**n ordered profiles, scored here in numpy (unique winner)."""
    ranks = np.array([_ranks_of(r) for r in RANKINGS])               # (6, 3)
    profiles = np.array(list(itertools.product(range(6), repeat=n)))  # (6**n, n)
    lv = ranks[profiles]                                               # (P, n, 3)
    above = (lv[:, :, :, None] < lv[:, :, None, :]).sum(axis=1)      # (P, 3, 3)
    margin = above - above.transpose(0, 2, 1)
    is_cw = (margin > 0).sum(axis=2) == 2                              # (P, 3)
    has_cw = is_cw.any(axis=1)
    cw = is_cw.argmax(axis=1)
    out = {}
    for name, points in (("plurality", [1, 0, 0]), ("borda", [2, 1, 0])):
        score = np.take(np.array(points), lv).sum(axis=1)             # (P, 3)
        best = score.max(axis=1, keepdims=True)
        unique = (score == best).sum(axis=1) == 1
        wins = has_cw & unique & (score.argmax(axis=1) == cw)
        out[name] = Fraction(int(wins.sum()), int(has_cw.sum()))
    return out


def _efficiency_via_registry(n: int) -> dict[str, Fraction]:
    won = {"plurality": 0, "borda": 0}
    with_cw = 0
    for profile in iter_profiles(n, 3):
        cw = profile.condorcet_winner()
        if cw is None:
            continue
        weight = ic_multiplicity(profile)
        with_cw += weight
        for name in won:
            won[name] += weight * (get_rule(name)(profile).winners == (cw,))
    return {name: Fraction(v, with_cw) for name, v in won.items()}


@pytest.mark.parametrize("n", [3, 5])
def test_exact_condorcet_efficiency_small_n(n):
    exact = _efficiency_via_registry(n)
    assert exact == _efficiency_brute_force(n)
    # Borda is the more Condorcet-efficient of the two (Gehrlein and Fishburn 1978)
    assert exact["borda"] > exact["plurality"]


def test_condorcet_efficiency_tends_to_gehrlein_fishburn_limits():
    rng = np.random.default_rng(7)
    n, samples = 1001, 2000
    counts = _type_counts(rng, n, samples)
    won = {"plurality": 0, "borda": 0}
    with_cw = 0
    for c in counts:
        profile = Profile.from_rankings(RANKINGS, weights=c)
        cw = profile.condorcet_winner()
        if cw is None:
            continue
        with_cw += 1
        for name in won:
            won[name] += get_rule(name)(profile).winners == (cw,)
    for name, limit in (("plurality", 0.7572), ("borda", 0.9012)):
        p = won[name] / with_cw
        se = math.sqrt(limit * (1 - limit) / with_cw)
        assert abs(p - limit) < 3 * se, (name, p, limit, se)


@pytest.mark.parametrize("n", [1, 3, 5, 7, 9, 11])
def test_iac_count_of_profiles_with_a_given_condorcet_winner(n):
    count = sum(profile.condorcet_winner() == 0 for profile in iter_profiles(n, 3))
    assert count * 384 == (n + 1) * (n + 3) ** 3 * (n + 5)
