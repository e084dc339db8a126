"""`almech axioms RULE [AXIOM]` and the report's axioms section."""

import subprocess
import sys

from mechanisms.cli import main


def test_borda_condorcet_witness_printed(capsys):
    assert main(["axioms", "borda", "condorcet_winner"]) == 0
    out = capsys.readouterr().out
    assert "condorcet_winner: violated" in out
    # the printed profile, recomputed by hand: 2 x (0 > 1 > 2), 1 x (1 > 2 > 0)
    line = next(s.strip() for s in out.splitlines() if s.strip().startswith("profile:"))
    groups = line[len("profile: ["):-1].split("; ")
    ballots = []
    for g in groups:
        count, ranking = g.split(": ")
        ballots += [[int(a) for a in ranking.split(" > ")]] * int(count)
    m = 3
    borda = [sum(m - 1 - b.index(a) for b in ballots) for a in range(m)]
    beats = [[sum(b.index(a) < b.index(c) for b in ballots) * 2 > len(ballots) for c in range(m)] for a in range(m)]
    (cw,) = [a for a in range(m) if all(beats[a][c] for c in range(m) if c != a)]
    winners = {a for a in range(m) if borda[a] == max(borda)}
    assert winners != {cw}
    assert "outcome: {" + ", ".join(str(a) for a in sorted(winners)) + "}" in out


def test_copeland_all_axioms(capsys):
    assert main(["axioms", "copeland", "--voters", "3", "--alternatives", "3"]) == 0
    out = capsys.readouterr().out
    assert "condorcet_winner: no violation up to n=3, m=3 (92 anonymous profiles" in out   # 9 (m=2) + 83 (m=3)
    assert "strategyproofness: violated" in out and "reports" in out
    assert "jr:" not in out                                           # committee axioms do not apply


def test_unknown_ids_exit_2_without_traceback():
    for argv, hint in ((["axioms", "bordaa"], "Did you mean 'borda'"),
                       (["axioms", "borda", "monotonicty"], "Did you mean 'monotonicity'"),
                       (["axioms", "borda", "--method", "grid"], "'method' parameter")):
        out = subprocess.run([sys.executable, "-m", "mechanisms.cli", *argv], capture_output=True, text=True)
        assert out.returncode == 2
        assert out.stderr.startswith("almech: error:") and hint in out.stderr and "Traceback" not in out.stderr


def test_report_section_matches_literature():
    from mechanisms.report import SECTIONS
    from mechanisms.report_axioms import axioms_section

    assert axioms_section in SECTIONS
    section = axioms_section()
    cells = {(c["rule"], c["axiom"]): c for c in section.data["table"]["cells"]}
    assert cells["borda", "condorcet_winner"]["verdict"] == "violated"
    assert cells["copeland", "condorcet_winner"]["verdict"] == "no violation"
    assert cells["instant_runoff", "participation"]["verdict"] == "violated"
    assert cells["schulze", "monotonicity"]["verdict"] == "no violation"
    assert all(cells[r, "strategyproofness"]["verdict"] == "violated" for r in section.data["table"]["rules"])
    rates = {r["rule"]: r for r in section.data["manipulability"]}
    assert rates["plurality"]["exact_rate"] == "1/6"     # brute force in test_manipulation_rates
    assert "<table>" in section.html
