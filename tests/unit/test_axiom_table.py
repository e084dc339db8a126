"""The rule x axiom table against the literature, with every witness re-checked independently."""

import json
import math

import pytest

from mechanisms.axioms import AxiomTable, Witness, axiom_table, get_axiom, witness_text
from solvers.errors import UnknownNameError, ValidationError


def _rankings(profile):
    """(strict rankings, counts) of a profile, for brute-force and peer computations."""
    orders = profile.to_weak_orders()
    weights = [int(w) for w in profile.weights]
    return [[g[0] for g in order] for order in orders], weights


def _margins(rankings, weights, m):
    pos = [{a: i for i, a in enumerate(r)} for r in rankings]
    return [[sum(w if p[a] < p[b] else -w for p, w in zip(pos, weights)) for b in range(m)] for a in range(m)]


def _borda(rankings, weights, m):
    score = [0] * m
    for r, w in zip(rankings, weights):
        for i, a in enumerate(r):
            score[a] += w * (m - 1 - i)
    return {a for a in range(m) if score[a] == max(score)}


@pytest.fixture(scope="module")
def table():
    return axiom_table(["borda", "copeland", "instant_runoff", "schulze"],
                       ["condorcet_winner", "monotonicity", "participation", "strategyproofness"],
                       n_voters=4, n_alternatives=3)


def test_literature_cells(table):
    assert isinstance(table, AxiomTable)
    assert table.cell("borda", "condorcet_winner").verdict == "violated"
    copeland = table.cell("copeland", "condorcet_winner")
    assert copeland.verdict == "no violation" and copeland.complete
    # the exhaustive effort is every anonymous profile: C(T + n - 1, n) over n <= 4, m in {2, 3}
    assert copeland.n_profiles == sum(math.comb(math.factorial(m) + n - 1, n) for m in (2, 3) for n in range(1, 5))
    assert "no violation up to n=4, m=3" in copeland.summary
    assert table.cell("instant_runoff", "participation").verdict == "violated"
    schulze = table.cell("schulze", "monotonicity")
    assert schulze.verdict == "no violation" and schulze.complete
    # Gibbard-Satterthwaite, found by search
    for rule in table.rules:
        assert table.cell(rule, "strategyproofness").verdict == "violated"


def test_every_witness_reverifies(table):
    assert len(table.violations()) >= 6
    for cell in table.violations():
        again = get_axiom(cell.axiom).check(cell.rule, cell.witness.profile, **cell.witness.params)
        assert again.holds is False


def test_borda_condorcet_witness_by_hand(table):
    w = table.cell("borda", "condorcet_winner").witness
    rankings, weights = _rankings(w.profile)
    m = w.profile.n_alternatives
    margins = _margins(rankings, weights, m)
    cw = [a for a in range(m) if all(margins[a][b] > 0 for b in range(m) if b != a)]
    assert len(cw) == 1
    assert _borda(rankings, weights, m) != {cw[0]}                 # Borda misses the Condorcet winner
    assert set(w.outcome.winners) == _borda(rankings, weights, m)


def test_irv_monotonicity_random_search_against_pref_voting():
    pv = pytest.importorskip("pref_voting")
    from pref_voting.profiles import Profile as PVProfile
    from pref_voting.voting_methods import instant_runoff

    t = axiom_table(["instant_runoff"], ["monotonicity"], n_voters=9, n_alternatives=3, method="random",
                    max_profiles=500, rng=0)
    cell = t.cell("instant_runoff", "monotonicity")
    assert cell.verdict == "violated" and not cell.complete
    w = cell.witness
    before = set(int(a) for a in instant_runoff(PVProfile(*_rankings(w.profile))))
    after = set(int(a) for a in instant_runoff(PVProfile(*_rankings(w.modified_profile))))
    # the modified profile raises one winner on exactly one ballot (nothing else moves), and that winner loses
    def ballots(profile):
        out = []
        for r, c in zip(*_rankings(profile)):
            out += [tuple(r)] * c
        return sorted(out)

    old, new = ballots(w.profile), ballots(w.modified_profile)
    for b in set(new):
        if new.count(b) > old.count(b):
            gained = b
    for b in set(old):
        if old.count(b) > new.count(b):
            lost = b
    assert len(old) == len(new) == 9
    assert sum(abs(old.count(b) - new.count(b)) for b in set(old) | set(new)) == 2   # one ballot changed

    def raised(a):
        return ([x for x in gained if x != a] == [x for x in lost if x != a]
                and gained.index(a) < lost.index(a))

    assert pv is not None and any(raised(a) for a in before - after)


def test_json_and_html_and_repr(table):
    data = json.loads(json.dumps(table.to_dict()))
    assert len(data["cells"]) == 16 and data["method"] == "exhaustive"
    stored = next(c for c in data["cells"] if c["verdict"] == "violated")
    w = Witness.from_dict(stored["witness"])
    assert get_axiom(stored["axiom"]).check(stored["rule"], w.profile, **w.params).holds is False
    page = table._repr_html_()
    assert page.count("<tr>") == 1 + 4 and "condorcet_winner" in page
    assert repr(table).splitlines()[1].split()[0] == "borda"
    assert "profile: [" in witness_text(table.cell("borda", "condorcet_winner").witness)


def test_not_applicable_cell():
    t = axiom_table(["borda"], ["jr"], n_voters=2, n_alternatives=3)
    cell = t.cell("borda", "jr")
    assert cell.verdict == "not applicable" and "approval" in cell.reason and cell.short == "n/a"


def test_bad_arguments():
    with pytest.raises(ValidationError, match="'method' parameter of axiom_table"):
        axiom_table(["borda"], ["pareto"], method="grid")
    with pytest.raises(ValidationError, match="'n_alternatives' parameter of axiom_table"):
        axiom_table(["borda"], ["pareto"], n_alternatives=1)
    with pytest.raises(ValidationError, match="'rules' parameter of axiom_table"):
        axiom_table([], ["pareto"])
    with pytest.raises(UnknownNameError, match="Did you mean 'borda'"):
        axiom_table(["bordaa"], ["pareto"])
    with pytest.raises(UnknownNameError, match="monotonicity"):
        axiom_table(["borda"], ["monotonicty"])
    t = axiom_table(["borda"], ["pareto"], n_voters=2, n_alternatives=3)
    with pytest.raises(ValidationError, match="'axiom' parameter of AxiomTable.cell"):
        t.cell("borda", "smith")
