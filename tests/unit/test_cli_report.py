"""The main job: `almech report` over the bundled real data."""

import json
import subprocess
import sys

from mechanisms.cli import main

# Winners Debian announced (PrefLib data README); each is also its file's Condorcet winner.
DEBIAN_OFFICIAL = {
    "debian/00002-00000001.soi": "Bdale Garbee",
    "debian/00002-00000003.soi": "Branden Robinson",
    "debian/00002-00000005.soi": "Sam Hocevar",
    "debian/00002-00000007.soi": "Stefano Zacchiroli",
    "debian/00002-00000008.soi": "Swirl",
}


def test_report_writes_html_and_json(tmp_path):
    assert main(["report", "--output", str(tmp_path)]) == 0
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Bundled real elections" in page
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    rows = {r["file"]: r for r in data["sections"]["Bundled real elections (PrefLib)"]}
    for file, winner in DEBIAN_OFFICIAL.items():
        assert rows[file]["condorcet_winner"] == winner
    # header counts from the files themselves (see the data README)
    assert rows["glasgow/00008-00000001.soi"]["voters"] == 6900
    assert rows["parliaments/00057-00000001.cat"]["voters"] == 4633114
    assert rows["nasa/00003-00000001.toc"]["alternatives"] == 32


def test_console_script_reports_errors_without_traceback(tmp_path):
    bad = tmp_path / "file"
    bad.write_text("x")
    out = subprocess.run([sys.executable, "-m", "mechanisms.cli", "report", "--output", str(bad / "sub")],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.startswith("almech: error:") and "Traceback" not in out.stderr


def test_version_flag(capsys):
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert "almech" in capsys.readouterr().out
