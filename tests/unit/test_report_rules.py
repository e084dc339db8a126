"""The report's aggregation-rules section, checked against facts known independently of the rules.

Oracles:

* Debian announced its winners (Condorcet method completed by Schulze); each is the Condorcet winner
  of its file, which this module recounts from the raw PrefLib text with its own few-line parser.  So
  every rule tagged ``condorcet_consistent`` must elect exactly that candidate.
* Burlington 2006: Bob Kiss won the instant-runoff count (official result).
* The agreement matrix is recounted here, pair by pair, from the per-election winners table.
* The size policy is checked on stand-in rules whose declared limits are set by hand, and on the
  registered rules against the list of worst-case exponential rules written out below.
"""

import json
import types

import numpy as np
import pytest

from mechanisms import report
from mechanisms.data import list_preflib, preflib_path
from mechanisms.profiles import Profile
from mechanisms.report_rules import (
    TITLE,
    agreement_matrix,
    rules_section,
    run_policy,
)
from mechanisms.social_choice import get_rule, list_rules

DEBIAN_OFFICIAL = {
    "debian/00002-00000001.soi": "Bdale Garbee",
    "debian/00002-00000003.soi": "Branden Robinson",
    "debian/00002-00000005.soi": "Sam Hocevar",
    "debian/00002-00000007.soi": "Stefano Zacchiroli",
    "debian/00002-00000008.soi": "Swirl",
}


@pytest.fixture(scope="module")
def section():
    return rules_section()


@pytest.fixture(scope="module")
def ordinal(section):
    return section.data["ordinal"]


def _raw_condorcet_winner(name):
    """Condorcet winner of a PrefLib ranked-ballot file by direct counting.

    A data line is ``count: a,{b,c},d``: groups left to right, ``{...}`` a tie; unranked
    alternatives tie below every ranked one.
    """
    lines = preflib_path(name).read_text(encoding="utf-8").splitlines()
    labels = {}
    for line in lines:
        if line.startswith("# ALTERNATIVE NAME "):
            key, value = line[len("# ALTERNATIVE NAME "):].split(":", 1)
            labels[int(key)] = value.strip()
    m = len(labels)
    counts = np.zeros((m + 1, m + 1), dtype=np.int64)  # counts[a, b]: voters ranking a above b
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        weight, ballot = line.split(":", 1)
        groups, current, inside = [], "", False
        for ch in ballot.strip() + ",":
            if ch == "{":
                inside = True
            elif ch == "}":
                inside = False
            elif ch == "," and not inside:
                groups.append([int(x) for x in current.replace("{", "").split(",") if x.strip()])
                current = ""
                continue
            current += ch if ch not in "{}" else ""
        groups = [g for g in groups if g]
        ranked = [a for g in groups for a in g]
        groups.append([a for a in range(1, m + 1) if a not in ranked])
        for i, g in enumerate(groups):
            below = [b for h in groups[i + 1:] for b in h]
            for a in g:
                counts[a, below] += int(weight)
    for a in range(1, m + 1):
        if all(counts[a, b] > counts[b, a] for b in range(1, m + 1) if b != a):
            return labels[a]
    return None


RANKED_FILES = [n for n in list_preflib() if not n.endswith(".cat") and n != "debian/00002-00000007.toc"]


def test_registered_in_report_sections():
    assert rules_section in report.SECTIONS


@pytest.mark.parametrize("name", sorted(DEBIAN_OFFICIAL))
def test_debian_official_winner_is_the_raw_condorcet_winner(name):
    assert _raw_condorcet_winner(name) == DEBIAN_OFFICIAL[name]


@pytest.mark.parametrize("name", sorted(DEBIAN_OFFICIAL))
def test_condorcet_consistent_rules_elect_the_debian_winner(ordinal, name):
    consistent = {r.id for r in list_rules(properties=["condorcet_consistent"])}
    rows = [w for w in ordinal["winners"] if w["file"] == name and w["rule"] in consistent]
    ran = [w for w in rows if w["status"] == "ok"]
    assert len(ran) >= 5  # condorcet, copeland, minimax, schulze, ... all accept Debian ballots
    for row in ran:
        assert row["winners"] == [DEBIAN_OFFICIAL[name]], row["rule"]
    election = next(e for e in ordinal["elections"] if e["file"] == name)
    assert election["condorcet_winner"] == DEBIAN_OFFICIAL[name]


@pytest.mark.parametrize("name", RANKED_FILES)
def test_condorcet_consistent_rules_elect_the_raw_condorcet_winner(ordinal, name):
    winner = _raw_condorcet_winner(name)
    election = next(e for e in ordinal["elections"] if e["file"] == name)
    assert election["condorcet_winner"] == winner
    if winner is None:
        return
    consistent = {r.id for r in list_rules(properties=["condorcet_consistent"])}
    for row in ordinal["winners"]:
        if row["file"] == name and row["rule"] in consistent and row["status"] == "ok":
            assert row["winners"] == [winner], row["rule"]


def test_burlington_2006_kiss_is_the_condorcet_winner():
    # Kiss won the 2006 instant-runoff count; the ranked ballots also make him the Condorcet winner
    assert _raw_condorcet_winner("burlington/00005-00000001.toi") == "Bob Kiss"


@pytest.fixture(scope="module", params=["ordinal", "approval"])
def part(request, section):
    if request.param not in section.data:
        pytest.skip(f"no registered {request.param} rule")
    return section.data[request.param]


def test_one_row_per_rule_and_election(part):
    files = [e["file"] for e in part["elections"]]
    rules = [r["id"] for r in part["rules"]]
    pairs = [(w["file"], w["rule"]) for w in part["winners"]]
    assert sorted(pairs) == sorted((f, r) for f in files for r in rules)
    assert {w["status"] for w in part["winners"]} <= {"ok", "skipped", "failed", "not applicable"}


def test_elections_are_the_bundled_ordinal_files_without_derived_copies(ordinal):
    files = [e["file"] for e in ordinal["elections"]]
    assert "debian/00002-00000007.toc" not in files  # made from the .soi that is also bundled
    assert "debian/00002-00000007.soi" in files and "burlington/00005-00000001.toi" in files
    assert files == RANKED_FILES


def test_agreement_matrix_recounted_from_winners_table(part):
    ag = part["agreement"]
    rules = ag["rules"]
    share = np.array([[np.nan if v is None else v for v in row] for row in ag["share"]])
    winners = {}
    for w in part["winners"]:
        if w["status"] == "ok":
            winners.setdefault(w["rule"], {})[w["file"]] = tuple(w["winner_ids"])
    assert set(winners) == set(rules)
    np.testing.assert_array_equal(share, share.T)
    np.testing.assert_array_equal(np.diag(share), np.ones(len(rules)))
    for i, a in enumerate(rules):
        for j, b in enumerate(rules):
            both = set(winners[a]) & set(winners[b])
            same = sum(winners[a][f] == winners[b][f] for f in both)
            assert ag["common"][i][j] == len(both)
            assert ag["agree"][i][j] == same
            if both:
                assert share[i, j] == pytest.approx(same / len(both), abs=1e-6)  # stored to 6 decimals
            else:
                assert np.isnan(share[i, j])


def test_splits_partition_the_rules_that_ran(part):
    for split in part["splits"]:
        ran = sorted(w["rule"] for w in part["winners"] if w["file"] == split["file"] and w["status"] == "ok")
        assert sorted(r for o in split["outcomes"] for r in o["rules"]) == ran
        sets = [tuple(o["winners"]) for o in split["outcomes"]]
        assert len(set(sets)) == len(sets)


def test_random_dictatorship_winner_set_is_the_set_of_first_choices(ordinal):
    """A probabilistic rule's winner set is its support: for random dictatorship, every first choice."""
    if "random_dictatorship" not in [r["id"] for r in ordinal["rules"]]:
        pytest.skip("random_dictatorship is not registered")
    name = "debian/00002-00000003.soi"
    lines = preflib_path(name).read_text(encoding="utf-8").splitlines()
    labels = {int(k): v.strip() for k, v in (line[len("# ALTERNATIVE NAME "):].split(":", 1)
                                              for line in lines if line.startswith("# ALTERNATIVE NAME "))}
    firsts = {labels[int(line.split(":", 1)[1].split(",")[0])] for line in lines if not line.startswith("#")}
    row = next(w for w in ordinal["winners"] if w["file"] == name and w["rule"] == "random_dictatorship")
    assert sorted(row["winners"]) == sorted(firsts)
    assert next(r for r in ordinal["rules"] if r["id"] == "random_dictatorship")["probabilistic"] is True


def test_approval_committees_on_austrian_plurality_ballots(section):
    """Each voter approves one party, so every committee rule's 3 seats go to the 3 largest parties.

    The file's header records the official seat counts; the three largest seat holders are the oracle.
    """
    if "approval" not in section.data:
        pytest.skip("no registered approval rule")
    name = "parliaments/00057-00000001.cat"
    header = next(line for line in preflib_path(name).read_text(encoding="utf-8").splitlines()
                  if line.startswith("# OFFICIAL RESULTS:"))
    seats = dict((k.strip(), int(v)) for k, v in
                 (item.split(":") for item in header.split(":", 1)[1].strip(" {}").split(",")))
    largest = sorted(sorted(seats, key=seats.get, reverse=True)[:3])
    rows = [w for w in section.data["approval"]["winners"] if w["file"] == name and w["status"] == "ok"]
    assert rows
    for row in rows:
        assert row["options"] == {"k": 3} and sorted(row["winners"]) == largest, row["rule"]


def test_worst_case_exponential_rules_are_skipped_on_large_elections(ordinal):
    nasa = next(e for e in ordinal["elections"] if e["file"] == "nasa/00003-00000001.toc")
    assert nasa["alternatives"] > get_rule("young").report_limits["max_alternatives"]
    young = next(w for w in ordinal["winners"] if w["file"] == nasa["file"] and w["rule"] == "young")
    assert young["status"] == "skipped" and "exponential" in young["note"] and "32" in young["note"]
    borda = next(w for w in ordinal["winners"] if w["file"] == nasa["file"] and w["rule"] == "borda")
    assert borda["status"] == "ok"


def _stand_in(**kw):
    base = dict(id="x", name="X", options={}, committee=False, algorithms=("default",), report_limits={},
                accepts=lambda profile: True)
    base.update(kw)
    return types.SimpleNamespace(**base)


def _profile(m, n=3):
    return Profile.from_rankings(np.tile(np.arange(m), (n, 1)))


@pytest.mark.parametrize(("key", "small", "large"), [
    ("max_alternatives", _profile(6), _profile(7)),
    ("max_voters", _profile(3, n=6), _profile(3, n=7)),
    # ballot rows: one weighted row of 40 voters is one ballot
    ("max_ballots", Profile.from_rankings([[0, 1, 2]] * 6, weights=[40] * 6), _profile(3, n=7)),
])
def test_size_policy_follows_the_declared_limit(key, small, large):
    limit = 6
    rule = _stand_in(algorithms=("milp",), report_limits={key: limit})
    assert run_policy(rule, small)[0] == "run"
    status, _, reason = run_policy(rule, large)
    assert status == "skipped" and "declared" in reason and f"up to {limit} " in reason


def test_undeclared_rules_are_not_limited_whatever_their_algorithm_or_docstring():
    rule = _stand_in(algorithms=("milp",), __doc__="Exponential in the worst case; NP-hard.")
    assert run_policy(rule, _profile(60))[0] == "run"


#: worst-case exponential rules (exact searches, MILPs, parallel-universe tie-breaking), from their papers
EXPONENTIAL = {"kemeny", "slater", "dodgson", "young", "stable_voting", "ranked_pairs", "instant_runoff",
               "coombs", "stv", "pav", "cc"}


def test_the_report_policy_of_registered_rules_comes_from_their_declaration():
    limited = {r.id for r in list_rules() if r.report_limits}
    assert limited == EXPONENTIAL
    for rule_id in EXPONENTIAL:
        rule = get_rule(rule_id)
        bound = rule.report_limits["max_alternatives"]
        assert f"max_alternatives={bound}" in repr(rule) and "report limits" in rule._repr_html_()
        if "ordinal" in rule.input_kinds:   # (the approval rules pav and cc: the same code path)
            assert run_policy(rule, _profile(bound))[0] == "run"
            status, _, reason = run_policy(rule, _profile(bound + 1))
            assert status == "skipped" and f"this election has {bound + 1}" in reason


def test_committee_rules_get_one_seat_on_ranked_ballots():
    import inspect

    rule = _stand_in(committee=True, options={"k": inspect.Parameter.empty})
    assert run_policy(rule, _profile(4)) == ("run", {"k": 1}, "")


def test_rules_that_do_not_accept_are_not_applicable():
    strict_only = get_rule("instant_runoff")
    tied = Profile.from_ranks([[0, 0, 1], [0, 1, 2]])
    assert run_policy(strict_only, tied)[0] == "not applicable"


def test_agreement_matrix_on_hand_counted_tables():
    table = {"e1": {"a": (0,), "b": (0,), "c": (1,)},
             "e2": {"a": (1,), "b": (0, 1)},
             "e3": {"c": (2,)}}
    share, agree, common = agreement_matrix(table, ["a", "b", "c"])
    np.testing.assert_array_equal(common, [[2, 2, 1], [2, 2, 1], [1, 1, 2]])
    np.testing.assert_array_equal(agree, [[2, 1, 0], [1, 2, 0], [0, 0, 2]])
    np.testing.assert_allclose(share, [[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]])
    share, _, _ = agreement_matrix({"e": {"a": (0,)}}, ["a", "b"])
    assert share[0, 0] == 1 and np.isnan(share[0, 1]) and np.isnan(share[1, 1])


def test_section_is_json_and_html_with_plot(section, tmp_path):
    assert section.title == TITLE
    json.dumps(section.data)
    assert "rule_agreement_ordinal.png" in section.files
    for png in section.files.values():
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<img src='rule_agreement_ordinal.png'" in section.html
    assert "Swirl" in section.html and "Where the rules part ways" in section.html


def test_write_report_writes_the_plot_next_to_index(tmp_path, monkeypatch, section):
    monkeypatch.setattr(report, "SECTIONS", [lambda: section])
    paths = report.write_report(tmp_path)
    assert tmp_path / "rule_agreement_ordinal.png" in paths
    assert (tmp_path / "rule_agreement_ordinal.png").read_bytes() == section.files["rule_agreement_ordinal.png"]
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["sections"][TITLE]["ordinal"]["agreement"]["rules"] == section.data["ordinal"]["agreement"]["rules"]
    assert "rule_agreement_ordinal.png" in (tmp_path / "index.html").read_text(encoding="utf-8")
