"""Statistical cultures against their exact distributions.

For 3 or 4 alternatives every ranking is enumerated and the empirical
frequencies are compared with a pmf computed here independently (a closed
form, or brute force over the defining process) by a chi-square test with a
fixed seed.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest
from scipy.stats import chisquare

from mechanisms import ValidationError
from mechanisms.generators import (
    AnnotatorPopulation,
    annotator_population,
    approval_ic,
    euclidean,
    impartial_anonymous_culture,
    impartial_culture,
    mallows,
    normalized_mallows_phi,
    plackett_luce,
    single_peaked_conitzer,
    single_peaked_walsh,
    urn,
)

P_MIN = 1e-3


# ----------------------------------------------------------------------------- helpers
def all_rankings(m):
    return list(itertools.permutations(range(m)))


def ranking_counts(rows, m):
    counts = Counter(map(tuple, np.asarray(rows).tolist()))
    assert set(counts) <= set(all_rankings(m))
    return np.array([counts.get(r, 0) for r in all_rankings(m)])


def assert_matches_pmf(observed, pmf):
    """Chi-square goodness of fit; outcomes of probability 0 must never occur."""
    observed = np.asarray(observed, dtype=float)
    pmf = np.asarray(pmf, dtype=float)
    assert math.isclose(pmf.sum(), 1.0, rel_tol=1e-12)
    zero = pmf == 0
    assert observed[zero].sum() == 0
    expected = observed.sum() * pmf[~zero]
    assert expected.min() >= 5, "test too small for a chi-square approximation"
    p_value = chisquare(observed[~zero], expected).pvalue
    assert p_value > P_MIN, p_value


def kendall_tau(r, s):
    """Number of pairs ordered differently by the rankings r and s (brute force)."""
    pos_r = {a: i for i, a in enumerate(r)}
    pos_s = {a: i for i, a in enumerate(s)}
    return sum((pos_r[a] < pos_r[b]) != (pos_s[a] < pos_s[b]) for a, b in itertools.combinations(r, 2))


def is_single_peaked(ranking, axis):
    """Definition: on each side of the peak, alternatives nearer the peak are preferred."""
    where = {a: i for i, a in enumerate(axis)}
    rank = {a: i for i, a in enumerate(ranking)}
    peak = where[ranking[0]]
    for a, b in itertools.permutations(ranking, 2):
        if where[a] < where[b] <= peak or peak <= where[b] < where[a]:
            if rank[b] > rank[a]:
                return False
    return True


def anonymous(rows):
    return tuple(sorted(map(tuple, np.asarray(rows).tolist())))


# ----------------------------------------------------------------------------- impartial culture
def test_impartial_culture_is_uniform():
    profile = impartial_culture(24_000, 4, rng=1)
    assert profile.n_voters == 24_000 and profile.kind == "soc"
    assert_matches_pmf(ranking_counts(profile.to_rankings(), 4), np.full(24, 1 / 24))


def test_impartial_culture_pairs_are_independent():
    # the two halves of a profile are independent uniform rankings: 36 joint outcomes
    rows = impartial_culture(2 * 7200, 3, rng=2).to_rankings()
    index = {r: i for i, r in enumerate(all_rankings(3))}
    first = [index[tuple(r)] for r in rows[:7200].tolist()]
    second = [index[tuple(r)] for r in rows[7200:].tolist()]
    joint = np.bincount(np.array(first) * 6 + np.array(second), minlength=36)
    assert_matches_pmf(joint, np.full(36, 1 / 36))


# ----------------------------------------------------------------------------- urn and IAC
def urn_anonymous_pmf(n, m, alpha):
    """Exact law of the anonymous profile, by running the urn's definition over every draw sequence."""
    rankings = all_rankings(m)
    extra = alpha * math.factorial(m)
    law = Counter()
    for seq in itertools.product(range(len(rankings)), repeat=n):
        balls = Counter()
        prob = 1.0
        for t, r in enumerate(seq):
            prob *= (1 + balls[r]) / (len(rankings) + t * extra)
            balls[r] += extra
        law[tuple(sorted(rankings[r] for r in seq))] += prob
    return law


def sample_anonymous(sampler, n, m, n_samples, seed, **kwargs):
    rng = np.random.default_rng(seed)
    return Counter(anonymous(sampler(n, m, rng=rng, **kwargs).to_rankings()) for _ in range(n_samples))


@pytest.mark.parametrize("n, alpha, n_samples", [(2, 0.5, 3000), (3, 0.2, 5000)])
def test_urn_matches_brute_force_law(n, alpha, n_samples):
    law = urn_anonymous_pmf(n, 3, alpha)
    seen = sample_anonymous(urn, n, 3, n_samples, seed=10 + n, alpha=alpha)
    keys = sorted(law)
    assert set(seen) <= set(keys)
    assert_matches_pmf([seen[k] for k in keys], [law[k] for k in keys])


def test_urn_two_voters_agree_with_closed_form_probability():
    # P(voter 2 repeats voter 1) = P(copy) + P(fresh) / m! = (1 + alpha m!) / (m! (1 + alpha))  (Berg 1985)
    m, alpha, n_samples = 3, 0.25, 3000
    exact = (1 + alpha * math.factorial(m)) / (math.factorial(m) * (1 + alpha))
    seen = sample_anonymous(urn, 2, m, n_samples, seed=3, alpha=alpha)
    agree = sum(c for k, c in seen.items() if k[0] == k[1]) / n_samples
    assert abs(agree - exact) < 4 * math.sqrt(exact * (1 - exact) / n_samples)


def test_urn_limits():
    # alpha = 0 is impartial culture; a huge alpha copies the first voter
    rows = urn(12_000, 3, alpha=0.0, rng=4).to_rankings()
    assert_matches_pmf(ranking_counts(rows, 3), np.full(6, 1 / 6))
    assert len(urn(500, 5, alpha=1e12, rng=5).grouped().weights) == 1


@pytest.mark.parametrize("n, n_samples", [(2, 3000), (3, 6000)])
def test_iac_makes_every_anonymous_profile_equally_likely(n, n_samples):
    profiles = list(itertools.combinations_with_replacement(all_rankings(3), n))
    assert len(profiles) == math.comb(n + 5, 5)  # stars and bars: C(n + m! - 1, m! - 1)
    seen = sample_anonymous(impartial_anonymous_culture, n, 3, n_samples, seed=20 + n)
    assert set(seen) <= set(profiles)
    assert_matches_pmf([seen[p] for p in profiles], np.full(len(profiles), 1 / len(profiles)))


def test_iac_for_many_alternatives_is_cheap_and_strict():
    profile = impartial_anonymous_culture(1000, 200, rng=6)  # m! is astronomically large
    assert profile.n_voters == 1000 and profile.kind == "soc"


# ----------------------------------------------------------------------------- Mallows
@pytest.mark.parametrize("phi, reference", [(0.5, None), (0.8, [2, 0, 3, 1]), (1.0, [3, 2, 1, 0])])
def test_mallows_pmf(phi, reference):
    m = 4
    ref = tuple(range(m)) if reference is None else tuple(reference)
    weights = np.array([phi ** kendall_tau(r, ref) for r in all_rankings(m)])
    profile = mallows(24_000, m, phi=phi, reference=reference, rng=7)
    assert_matches_pmf(ranking_counts(profile.to_rankings(), m), weights / weights.sum())
    assert profile.metadata["phi"] == phi


def test_mallows_phi_zero_is_the_reference():
    profile = mallows(50, 5, phi=0.0, reference=[4, 2, 0, 1, 3], rng=8)
    assert (profile.to_rankings() == [4, 2, 0, 1, 3]).all()


def test_normalized_phi_closed_form_for_two_alternatives():
    # m = 2: E[swaps] = phi / (1 + phi) must equal norm_phi * 2 * 1 / 4, so phi = norm / (2 - norm)
    for norm in (0.1, 0.5, 0.9):
        assert normalized_mallows_phi(norm, 2) == pytest.approx(norm / (2 - norm), abs=1e-12)
    assert normalized_mallows_phi(0.0, 7) == 0.0
    assert normalized_mallows_phi(1.0, 7) == 1.0


def test_normalized_mallows_mean_swap_distance():
    # the defining property: mean Kendall-tau distance = norm_phi * m (m - 1) / 4
    m, norm, n = 6, 0.4, 6000
    profile = mallows(n, m, phi=norm, normalized=True, rng=9)
    assert profile.metadata["norm_phi"] == norm
    assert 0 < profile.metadata["phi"] < 1
    distances = np.array([kendall_tau(r, range(m)) for r in profile.to_rankings().tolist()])
    se = distances.std(ddof=1) / math.sqrt(n)
    assert abs(distances.mean() - norm * m * (m - 1) / 4) < 4 * se


def test_normalized_phi_is_monotone_in_m():
    # the same normalized dispersion needs phi closer to 1 as m grows (Boehmer et al. 2023)
    phis = [normalized_mallows_phi(0.5, m) for m in (3, 5, 10, 30)]
    assert all(a < b for a, b in zip(phis, phis[1:]))


# ----------------------------------------------------------------------------- Plackett-Luce
def test_plackett_luce_pmf():
    w = np.array([4.0, 1.0, 2.0, 0.5])

    def pmf(r):
        p, left = 1.0, w.sum()
        for a in r:
            p *= w[a] / left
            left -= w[a]
        return p

    profile = plackett_luce(24_000, 4, weights=w, rng=11)
    assert_matches_pmf(ranking_counts(profile.to_rankings(), 4), [pmf(r) for r in all_rankings(4)])


def test_plackett_luce_is_scale_free_and_uniform_for_equal_weights():
    rows = plackett_luce(12_000, 3, weights=[7.0, 7.0, 7.0], rng=12).to_rankings()
    assert_matches_pmf(ranking_counts(rows, 3), np.full(6, 1 / 6))


# ----------------------------------------------------------------------------- single-peaked
def test_walsh_is_uniform_over_single_peaked_rankings():
    m, axis = 4, [2, 0, 3, 1]
    single_peaked = np.array([is_single_peaked(r, axis) for r in all_rankings(m)])
    assert single_peaked.sum() == 2 ** (m - 1)
    profile = single_peaked_walsh(16_000, m, axis=axis, rng=13)
    assert_matches_pmf(ranking_counts(profile.to_rankings(), m), single_peaked / single_peaked.sum())


def conitzer_pmf(ranking, axis):
    """Brute-force recursion over Conitzer's process: uniform peak, then fair coins while both sides remain."""
    m = len(axis)
    where = {a: i for i, a in enumerate(axis)}
    left = right = where[ranking[0]]
    prob = 1 / m
    for a in ranking[1:]:
        options = [i for i in (left - 1, right + 1) if 0 <= i < m]
        if where[a] not in options:
            return 0.0
        prob /= len(options)
        left, right = min(left, where[a]), max(right, where[a])
    return prob


def test_conitzer_pmf():
    m, axis = 4, [1, 3, 0, 2]
    pmf = [conitzer_pmf(r, axis) for r in all_rankings(m)]
    profile = single_peaked_conitzer(16_000, m, axis=axis, rng=14)
    assert_matches_pmf(ranking_counts(profile.to_rankings(), m), pmf)


@pytest.mark.parametrize("sampler", [single_peaked_walsh, single_peaked_conitzer])
def test_single_peaked_edge_sizes(sampler):
    assert sampler(3, 1, rng=0).to_rankings().tolist() == [[0], [0], [0]]
    rows = sampler(400, 7, axis=[6, 5, 4, 3, 2, 1, 0], rng=1).to_rankings().tolist()
    assert all(is_single_peaked(r, [6, 5, 4, 3, 2, 1, 0]) for r in rows)


# ----------------------------------------------------------------------------- Euclidean
def test_euclidean_ranks_by_distance():
    rng = np.random.default_rng(15)
    voters, alts = rng.normal(size=(30, 3)), rng.normal(size=(6, 3))
    profile = euclidean(30, 6, voter_points=voters, alternative_points=alts)
    expected = [sorted(range(6), key=lambda a: math.dist(v, alts[a])) for v in voters.tolist()]
    assert profile.to_rankings().tolist() == expected


def test_euclidean_default_points_in_unit_cube_and_consistent():
    profile = euclidean(40, 5, dimensions=4, rng=16)
    v, a = profile.metadata["voter_points"], profile.metadata["alternative_points"]
    assert v.shape == (40, 4) and a.shape == (5, 4)
    assert ((v >= 0) & (v < 1)).all() and ((a >= 0) & (a < 1)).all()
    assert not v.flags.writeable
    expected = [sorted(range(5), key=lambda j: math.dist(p, a[j])) for p in v.tolist()]
    assert profile.to_rankings().tolist() == expected


def test_euclidean_equidistant_alternatives_tie():
    profile = euclidean(1, 3, voter_points=[[0.5]], alternative_points=[[0.0], [1.0], [0.6]])
    assert profile.to_weak_orders() == [((2,), (0, 1))]


def test_euclidean_only_some_points_given():
    profile = euclidean(5, 3, alternative_points=[[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]], rng=17)
    assert profile.metadata["voter_points"].shape == (5, 2)


# ----------------------------------------------------------------------------- approval
def test_approval_ic_marginals_and_independence():
    n, m, p = 10_000, 3, 0.3
    approvals = np.asarray(approval_ic(n, m, p=p, rng=18).approvals)
    patterns = approvals @ (1 << np.arange(m))
    pmf = [p ** bin(k).count("1") * (1 - p) ** (m - bin(k).count("1")) for k in range(2 ** m)]
    assert_matches_pmf(np.bincount(patterns, minlength=2 ** m), pmf)
    assert not approval_ic(5, 4, p=0.0, rng=0).approvals.any()


# ----------------------------------------------------------------------------- annotator population
def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def assert_pair_frequencies(comparisons, utilities, eta):
    a, b, w = (np.asarray(x) for x in (comparisons.item_a, comparisons.item_b, comparisons.winner))
    for i, j in itertools.combinations(range(len(utilities)), 2):
        mask = ((a == i) & (b == j)) | ((a == j) & (b == i))
        total = int(mask.sum())
        for outcome, prob in (
            (i, sigmoid(utilities[i] - utilities[j] - eta)),
            (j, sigmoid(utilities[j] - utilities[i] - eta)),
            (-1, max(0.0, 1 - sigmoid(utilities[i] - utilities[j] - eta) - sigmoid(utilities[j] - utilities[i] - eta))),
        ):
            freq = (w[mask] == outcome).sum() / total
            assert abs(freq - prob) <= 4 * math.sqrt(prob * (1 - prob) / total) + 1e-12, (i, j, outcome)


def test_annotator_population_bradley_terry_frequencies():
    u = np.array([0.0, 0.5, -1.0, 1.5])
    pop = annotator_population(4, 24_000, group_utilities=u, annotators_per_group=7, rng=19)
    assert isinstance(pop, AnnotatorPopulation)
    c = pop.comparisons
    assert c.n_comparisons == 24_000 and c.n_items == 4
    assert (np.asarray(c.winner) != -1).all()
    assert_pair_frequencies(c, u, 0.0)
    # pairs are uniform over the 12 ordered pairs of distinct items
    codes = np.asarray(c.item_a) * 4 + np.asarray(c.item_b)
    counts = np.bincount(codes, minlength=16)
    assert (counts[[0, 5, 10, 15]] == 0).all()
    assert_matches_pmf(counts, [0 if k % 5 == 0 else 1 / 12 for k in range(16)])
    assert set(np.unique(c.annotator)) == set(range(7))


def test_annotator_population_rao_kupper_ties():
    u = np.array([0.3, -0.2, 1.0])
    pop = annotator_population(3, 24_000, group_utilities=[u], tie_margin=0.7, rng=20)
    assert_pair_frequencies(pop.comparisons, u, 0.7)
    expected = 1 / (1 + np.exp(-(u[:, None] - u[None, :] - 0.7)))
    np.testing.assert_allclose(pop.win_probabilities(0), expected, rtol=1e-12)


def test_annotator_population_latent_groups():
    u = np.array([[1.0, 0.0, -1.0], [-1.0, 0.0, 1.0]])
    n = 24_000
    pop = annotator_population(3, n, group_utilities=u, group_weights=[0.25, 0.75],
                               annotators_per_group=[2, 5], rng=21)
    assert pop.n_groups == 2 and pop.n_annotators == 7
    assert pop.annotator_group.tolist() == [0, 0, 1, 1, 1, 1, 1]
    group = pop.comparison_group
    assert (group == np.where(np.asarray(pop.comparisons.annotator) < 2, 0, 1)).all()
    share = (group == 0).mean()
    assert abs(share - 0.25) < 4 * math.sqrt(0.25 * 0.75 / n)
    for g in (0, 1):
        assert_pair_frequencies(pop.comparisons.for_annotators(np.flatnonzero(pop.annotator_group == g)), u[g], 0.0)


def test_annotator_population_drawn_utilities_and_features():
    x = np.arange(12, dtype=float).reshape(4, 3) / 10
    pop = annotator_population(4, 50, n_groups=3, features=x, rng=22)
    assert pop.utilities.shape == (3, 4) and pop.parameters.shape == (3, 3)
    np.testing.assert_allclose(pop.utilities, pop.parameters @ x.T)
    np.testing.assert_array_equal(pop.comparisons.features, x)
    plain = annotator_population(4, 50, n_groups=2, rng=22)
    assert plain.parameters is None and plain.utilities.shape == (2, 4)
    assert "AnnotatorPopulation(n_items=4" in repr(plain) and "<table>" in plain._repr_html_()


# ----------------------------------------------------------------------------- determinism, inputs
SAMPLERS = [
    lambda rng: impartial_culture(30, 5, rng=rng),
    lambda rng: impartial_anonymous_culture(30, 5, rng=rng),
    lambda rng: urn(30, 5, alpha=0.3, rng=rng),
    lambda rng: mallows(30, 5, phi=0.6, rng=rng),
    lambda rng: mallows(30, 5, phi=0.6, normalized=True, rng=rng),
    lambda rng: plackett_luce(30, 5, weights=[1, 2, 3, 4, 5], rng=rng),
    lambda rng: euclidean(30, 5, rng=rng),
    lambda rng: single_peaked_walsh(30, 5, rng=rng),
    lambda rng: single_peaked_conitzer(30, 5, rng=rng),
    lambda rng: approval_ic(30, 5, rng=rng),
    lambda rng: annotator_population(5, 30, n_groups=2, rng=rng).comparisons,
]


def rows_of(obj):
    for name in ("ranks", "approvals"):
        if hasattr(obj, name):
            return np.asarray(getattr(obj, name))
    return np.stack([obj.item_a, obj.item_b, obj.winner, obj.annotator])


@pytest.mark.parametrize("sample", SAMPLERS)
def test_determinism_given_seed(sample):
    first = rows_of(sample(123))
    np.testing.assert_array_equal(first, rows_of(sample(123)))
    np.testing.assert_array_equal(first, rows_of(sample(np.random.default_rng(123))))
    assert not np.array_equal(first, rows_of(sample(124)))
    gen = np.random.default_rng(5)
    assert not np.array_equal(rows_of(sample(gen)), rows_of(sample(gen)))  # a Generator advances


def test_inputs_are_not_mutated():
    ref, w = np.array([3, 1, 0, 2]), np.array([1.0, 2.0, 3.0, 4.0])
    vp, ap = np.random.default_rng(0).random((5, 2)), np.random.default_rng(1).random((4, 2))
    util, gw = np.array([[0.0, 1.0, 2.0, 3.0]]), np.array([1.0])
    copies = [x.copy() for x in (ref, w, vp, ap, util, gw)]
    mallows(10, 4, phi=0.5, reference=ref, rng=0)
    plackett_luce(10, 4, weights=w, rng=0)
    single_peaked_walsh(10, 4, axis=ref, rng=0)
    euclidean(5, 4, voter_points=vp, alternative_points=ap)
    annotator_population(4, 10, group_utilities=util, group_weights=gw, rng=0)
    for x, c in zip((ref, w, vp, ap, util, gw), copies):
        np.testing.assert_array_equal(x, c)
        assert x.flags.writeable


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize("call, match", [
    (lambda: impartial_culture(0, 3), r"The 'n_voters' parameter of impartial_culture must be an int in \[1, inf\]"),
    (lambda: impartial_culture(3, 2.5), r"'n_alternatives' parameter of impartial_culture must be an int"),
    (lambda: impartial_culture(3, 3, rng="seed"), r"'rng' parameter of impartial_culture"),
    (lambda: impartial_anonymous_culture(-1, 3), r"'n_voters' parameter of impartial_anonymous_culture"),
    (lambda: urn(3, 3, alpha=-0.5), r"'alpha' parameter of urn must be a finite real number in \[0.0, inf\]"),
    (lambda: urn(3, 3, alpha=float("inf")), r"'alpha' parameter of urn"),
    (lambda: mallows(3, 3, phi=1.5), r"'phi' parameter of mallows must be a finite real number in \[0.0, 1.0\]"),
    (lambda: mallows(3, 3, phi=0.5, reference=[0, 0, 1]), r"'reference' parameter of mallows must be a permutation"),
    (lambda: mallows(3, 3, phi=0.5, reference=[0, 1]), r"'reference' parameter of mallows must be a permutation"),
    (lambda: mallows(3, 3, phi=0.5, normalized="yes"), r"'normalized' parameter of mallows must be a bool"),
    (lambda: normalized_mallows_phi(1.2, 4), r"'norm_phi' parameter of normalized_mallows_phi"),
    (lambda: plackett_luce(3, 3, weights=[1.0, 0.0, 2.0]),
     r"'weights' parameter of plackett_luce must be .*strictly positive"),
    (lambda: plackett_luce(3, 3, weights=[1.0, 2.0]),
     r"'weights' parameter of plackett_luce must be an array of shape \(3\)"),
    (lambda: plackett_luce(3, 2, weights=[1.0, float("nan")]), r"'weights' parameter of plackett_luce must be finite"),
    (lambda: euclidean(3, 2, voter_points=np.zeros((2, 2))),
     r"'voter_points' parameter of euclidean must be an array of shape \(3, d\)"),
    (lambda: euclidean(2, 2, voter_points=np.zeros((2, 2)), alternative_points=np.zeros((2, 3))),
     r"'alternative_points' parameter of euclidean must be in the same space"),
    (lambda: euclidean(2, 2, dimensions=3, voter_points=np.zeros((2, 2))),
     r"'dimensions' parameter of euclidean must be equal"),
    (lambda: euclidean(2, 2, dimensions=0), r"'dimensions' parameter of euclidean must be an int in \[1, inf\]"),
    (lambda: single_peaked_walsh(3, 3, axis=[0, 1, 3]),
     r"'axis' parameter of single_peaked_walsh must be a permutation"),
    (lambda: single_peaked_conitzer(3, 3, axis=[[0, 1, 2]]), r"'axis' parameter of single_peaked_conitzer"),
    (lambda: approval_ic(3, 3, p=2), r"'p' parameter of approval_ic must be a finite real number in \[0.0, 1.0\]"),
    (lambda: annotator_population(1, 10, n_groups=1),
     r"'n_items' parameter of annotator_population must be an int in \[2, inf\]"),
    (lambda: annotator_population(3, 0, n_groups=1), r"'n_comparisons' parameter of annotator_population"),
    (lambda: annotator_population(3, 10),
     r"'group_utilities' parameter of annotator_population must be given, or n_groups"),
    (lambda: annotator_population(3, 10, group_utilities=np.zeros((2, 4))),
     r"'group_utilities' parameter of annotator_population must be an array of shape \(n_groups, 3\)"),
    (lambda: annotator_population(3, 10, group_utilities=np.zeros((2, 3)), n_groups=3),
     r"'n_groups' parameter of annotator_population must be equal to the number of rows"),
    (lambda: annotator_population(3, 10, n_groups=2, group_weights=[0.5, 0.6]),
     r"'group_weights' parameter of annotator_population must be probabilities summing to 1"),
    (lambda: annotator_population(3, 10, n_groups=2, group_weights=[1.0]),
     r"'group_weights' parameter of annotator_population must be a vector of 2 probabilities"),
    (lambda: annotator_population(3, 10, n_groups=2, annotators_per_group=0),
     r"'annotators_per_group' parameter of annotator_population must be an int in \[1, inf\]"),
    (lambda: annotator_population(3, 10, n_groups=2, annotators_per_group=[1, 0]),
     r"'annotators_per_group' parameter of annotator_population must be an int >= 1 or 2 ints"),
    (lambda: annotator_population(3, 10, n_groups=2, tie_margin=-0.1),
     r"'tie_margin' parameter of annotator_population"),
    (lambda: annotator_population(3, 10, n_groups=2, features=np.zeros((4, 2))),
     r"'features' parameter of annotator_population must be an array of shape \(3, d\)"),
])
def test_validation_messages(call, match):
    with pytest.raises(ValidationError, match=match):
        call()


def test_population_win_probabilities_checks_group():
    pop = annotator_population(3, 10, n_groups=2, rng=0)
    with pytest.raises(ValidationError, match=r"'group' parameter of AnnotatorPopulation.win_probabilities"):
        pop.win_probabilities(2)
