"""Hypothesis properties of the committee and cardinal rules: proportionality guarantees and fair shares.

* PAV and the method of equal shares satisfy EJR (Aziz et al. 2017; Peters and Skowron 2020),
  seq-Phragmen satisfies PJR (Brill et al. 2017), Chamberlin-Courant satisfies JR; every
  committee has k members; AV's committees are exactly the k-sets of largest approval total.
* With dichotomous (0/1) utilities the Nash welfare lottery gives every voter at least her
  fair share w_i / W (Bogomolnaia, Moulin and Stong 2005); the leximin and egalitarian
  lotteries reach the same maximin value, at least that of every pure alternative.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mechanisms.profiles import UtilityProfile
from mechanisms.social_choice import get_rule
from mechanisms.social_choice.proportionality import is_ejr, is_jr, is_pjr
from mechanisms.testing import profiles

APPROVAL = profiles(n_voters=st.integers(1, 6), n_alternatives=st.integers(2, 5), kind="approval", weighted=True,
                    max_weight=3)


@settings(max_examples=40)
@given(APPROVAL, st.data())
def test_committee_rules_meet_their_guarantees(profile, data):
    m = profile.n_alternatives
    k = data.draw(st.integers(1, m))
    for rule, check in (("pav", is_ejr), ("mes", is_ejr), ("seq_phragmen", is_pjr), ("cc", is_jr),
                        ("seq_pav", None), ("sav", None)):
        result = get_rule(rule)(profile, k=k)
        assert result.committees and all(len(c) == k for c in result.committees)
        assert set(result.winners) == set().union(*result.committees)
        if check is not None:
            for committee in result.committees:
                assert check(profile, committee), (rule, committee)


@settings(max_examples=40)
@given(APPROVAL, st.data())
def test_av_committees_are_exactly_the_best_k_sets(profile, data):
    m = profile.n_alternatives
    k = data.draw(st.integers(1, m))
    scores = profile.approval_scores()
    totals = {c: int(scores[list(c)].sum()) for c in itertools.combinations(range(m), k)}
    best = max(totals.values())
    assert get_rule("av")(profile, k=k).committees == tuple(c for c, v in sorted(totals.items()) if v == best)


@st.composite
def dichotomous(draw):
    n = draw(st.integers(1, 5))
    m = draw(st.integers(1, 5))
    rows = [draw(st.lists(st.booleans(), min_size=m, max_size=m)) for _ in range(n)]
    weights = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    U = np.array(rows, dtype=float).reshape(n, m)
    U[U.sum(axis=1) == 0, 0] = 1.0          # everyone approves something
    return UtilityProfile(U, weights=weights)


@settings(max_examples=40)
@given(dichotomous())
def test_nash_lottery_gives_every_voter_her_fair_share(profile):
    lottery = get_rule("nash_welfare")(profile).lottery
    U, w = np.asarray(profile.utilities), np.asarray(profile.weights)
    assert np.all(U @ lottery >= w / w.sum() - 1e-9)


@settings(max_examples=30)
@given(profiles(n_voters=st.integers(1, 5), n_alternatives=st.integers(1, 4), kind="utilities"))
def test_leximin_and_egalitarian_reach_the_maximin_value(profile):
    U = np.asarray(profile.utilities)
    egal = get_rule("egalitarian")(profile).lottery
    lex = get_rule("leximin")(profile).lottery
    value = (U @ egal).min()
    assert (U @ lex).min() >= value - 1e-7
    assert value >= U.min(axis=0).max() - 1e-9          # at least the best pure alternative
    # leximin is Pareto efficient among the pure alternatives: none gives everyone at least as much, someone more
    s = U @ lex
    for a in range(U.shape[1]):
        assert not (np.all(U[:, a] >= s - 1e-9) and np.any(U[:, a] > s + 1e-7))
