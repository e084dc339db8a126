"""Manipulability rates: exact enumeration vs brute force over ordered profiles, Monte Carlo vs exact, executors."""

import itertools
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

import pytest

from mechanisms.axioms import ManipulationRate, manipulability_rate
from solvers.errors import UnknownNameError, ValidationError

RANKINGS = list(itertools.permutations(range(3)))


def _plurality_lex(ballots):
    """Plurality, ties broken towards the smallest id (the 'tie_break' model's lexicographic default)."""
    counts = [sum(b[0] == a for b in ballots) for a in range(3)]
    return counts.index(max(counts))


def _brute_force_rate(n, k):
    """Share of the 6**n ordered profiles where some coalition of <= k voters gets a winner all members prefer."""
    manipulable = 0
    for profile in itertools.product(RANKINGS, repeat=n):
        base = _plurality_lex(profile)
        found = False
        for size in range(1, k + 1):
            for coalition in itertools.combinations(range(n), size):
                for lie in itertools.product(RANKINGS, repeat=size):
                    ballots = list(profile)
                    for v, b in zip(coalition, lie):
                        ballots[v] = b
                    new = _plurality_lex(ballots)
                    if all(profile[v].index(new) < profile[v].index(base) for v in coalition):
                        found = True
                        break
                if found:
                    break
            if found:
                break
        manipulable += found
    return Fraction(manipulable, 6 ** n)


@pytest.mark.parametrize("n", [2, 3])
def test_exact_matches_brute_force_single_voter(n):
    result = manipulability_rate("plurality", n_voters=n, n_alternatives=3, exact=True)
    assert isinstance(result, ManipulationRate)
    assert result.exact and result.complete and result.standard_error == 0.0
    assert result.exact_rate == _brute_force_rate(n, 1)
    assert result.n_samples == {2: 21, 3: 56}[n]          # anonymous profiles: C(6 + n - 1, n)


def test_exact_matches_brute_force_coalitions():
    result = manipulability_rate("plurality", n_voters=3, n_alternatives=3, coalition_size=2, exact=True)
    assert result.exact_rate == _brute_force_rate(3, 2)
    assert "coalition of <= 2" in repr(result)


def test_certified_bounds_when_stopped_early():
    full = manipulability_rate("borda", n_voters=3, n_alternatives=3, exact=True)
    part = manipulability_rate("borda", n_voters=3, n_alternatives=3, exact=True, max_profiles=20)
    assert not part.complete and part.exact_rate is None and part.n_samples == 20
    assert part.exact_lower <= full.exact_rate <= part.exact_upper
    assert 0 < part.exact_lower and part.exact_upper < 1
    assert "certified" in repr(part)


def test_monte_carlo_within_three_standard_errors_of_exact():
    exact = _brute_force_rate(3, 1)
    mc = manipulability_rate("plurality", n_voters=3, n_alternatives=3, n_samples=600, rng=7, executor="serial")
    assert not mc.exact and mc.n_samples == 600
    assert abs(mc.rate - float(exact)) <= 3 * mc.standard_error
    assert mc.standard_error == pytest.approx((mc.rate * (1 - mc.rate) / 600) ** 0.5)


def test_executors_agree_for_the_same_seed():
    kwargs = dict(n_voters=3, n_alternatives=3, n_samples=120, chunk_size=40, rng=3)
    serial = manipulability_rate("borda", executor="serial", **kwargs)
    with ThreadPoolExecutor(2) as pool:
        threads = manipulability_rate("borda", executor=pool, **kwargs)
    processes = manipulability_rate("borda", executor=None, **kwargs)      # local spawn process pool
    assert serial.n_manipulable == threads.n_manipulable == processes.n_manipulable
    assert serial.rate == processes.rate


def test_other_culture_and_to_dict():
    r = manipulability_rate("plurality", "mallows", culture_options={"phi": 0.5}, n_voters=3, n_alternatives=3,
                            n_samples=50, rng=0, executor="serial")
    assert r.culture == "mallows" and 0 <= r.rate <= 1
    assert manipulability_rate("plurality", n_voters=2, n_alternatives=3, exact=True).to_dict()["exact_rate"] == \
        str(_brute_force_rate(2, 1))


def test_bad_arguments():
    with pytest.raises(ValidationError, match="'exact' parameter of manipulability_rate.*impartial culture"):
        manipulability_rate("plurality", "mallows", culture_options={"phi": 0.5}, n_voters=2, n_alternatives=3,
                            exact=True)
    with pytest.raises(ValidationError, match="'max_profiles' parameter of manipulability_rate"):
        manipulability_rate("plurality", n_voters=2, n_alternatives=3, max_profiles=5)
    with pytest.raises(ValidationError, match="'executor' parameter of manipulability_rate"):
        manipulability_rate("plurality", n_voters=2, n_alternatives=3, executor="ray")
    with pytest.raises(ValidationError, match="'coalition_size' parameter of manipulability_rate"):
        manipulability_rate("plurality", n_voters=2, n_alternatives=3, coalition_size=0)
    with pytest.raises(ValidationError, match="'model' parameter"):
        manipulability_rate("plurality", n_voters=2, n_alternatives=3, model="sd")
    with pytest.raises(UnknownNameError, match="impartial_culture"):
        manipulability_rate("plurality", "impartial_cultur", n_voters=2, n_alternatives=3)
