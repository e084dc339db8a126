"""PrefLib I/O against the raw bytes of the bundled files, a hand-written mini parser and literal texts."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mechanisms import ParseError, UnknownNameError, ValidationError
from mechanisms.data import list_preflib, preflib_path
from mechanisms.io import PreflibLayout, read_preflib, write_preflib
from mechanisms.profiles import ApprovalProfile, Profile, UtilityProfile

FILES = list_preflib()
ORDINAL_FILES = [f for f in FILES if not f.endswith(".cat")]
CAT_FILES = [f for f in FILES if f.endswith(".cat")]


# ---------------------------------------------------------------- independent mini parser
def mini_parse(text):
    """Header dict (raw values) and data lines as (count, [groups of 0-based ids]); plain string handling."""
    header, ballots = {}, []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            header[key.strip()] = value.strip()
        elif line.strip():
            count, _, pref = line.partition(":")
            groups = []
            for item in re.findall(r"\{[^}]*\}|\d+", pref):
                if item.startswith("{"):
                    groups.append([int(x) - 1 for x in item[1:-1].split(",") if x])
                else:
                    groups.append([int(item) - 1])
            ballots.append((int(count), groups))
    return header, ballots


def mini_margins(ballots, m):
    """M[a][b] with unranked alternatives tied below every ranked one, by explicit loops."""
    margins = [[0] * m for _ in range(m)]
    for count, groups in ballots:
        level = {a: i for i, g in enumerate(groups) for a in g}
        for a in range(m):
            for b in range(m):
                la, lb = level.get(a, m), level.get(b, m)
                if la < lb:
                    margins[a][b] += count
                elif lb < la:
                    margins[a][b] -= count
    return np.array(margins, dtype=np.int64)


def raw_text(name):
    return preflib_path(name).read_bytes().decode("utf-8")


# ---------------------------------------------------------------- bundled files
def test_bundle_lists_every_data_file():
    assert len(FILES) == 18
    assert list_preflib(kind="soc") == ["f1seasons/00052-00000010.soc", "netflix/00004-00000006.soc",
                                        "netflix/00004-00000150.soc"]
    assert preflib_path("debian/00002-00000007.toc").name == "00002-00000007.toc"
    assert preflib_path("README.md").read_text(encoding="utf-8").startswith("# PrefLib")
    assert preflib_path("debian/info.txt").is_file()
    with pytest.raises(UnknownNameError, match="Did you mean 'debian/00002-00000001.soi'"):
        preflib_path("debian/00002-00000001.sio")
    with pytest.raises(ValidationError, match="'kind' parameter of list_preflib"):
        list_preflib(kind="xyz")


@pytest.mark.parametrize("name", FILES)
def test_bundled_file_matches_its_header(name):
    text = raw_text(name)
    header, ballots = mini_parse(text)
    profile = read_preflib(preflib_path(name))
    unique_key = "NUMBER UNIQUE PREFERENCES" if name.endswith(".cat") else "NUMBER UNIQUE ORDERS"
    assert profile.n_voters == int(header["NUMBER VOTERS"])
    assert profile.n_ballots == int(header[unique_key])
    assert profile.n_alternatives == int(header["NUMBER ALTERNATIVES"])
    assert profile.title == header["TITLE"]
    m = profile.n_alternatives
    assert profile.labels == tuple(header[f"ALTERNATIVE NAME {i}"] for i in range(1, m + 1))
    assert profile.weights.tolist() == [c for c, _ in ballots]
    assert profile.metadata["FILE NAME"] == name.split("/")[1]
    assert profile.metadata["DATA TYPE"] == name.rsplit(".", 1)[1]
    if isinstance(profile, Profile):
        assert profile.kind == header["DATA TYPE"]
        assert [list(map(list, b)) for b in profile.to_weak_orders()] == [sorted_groups(g) for _, g in ballots]
    else:
        assert [sorted(s) for s in profile.to_sets()] == [sorted(g[0]) for _, g in ballots]


def sorted_groups(groups):
    return [sorted(g) for g in groups]


@pytest.mark.parametrize("name", FILES)
def test_round_trip_is_byte_exact(name, tmp_path):
    original = preflib_path(name).read_bytes()
    profile = read_preflib(original)
    assert write_preflib(profile).encode("utf-8") == original
    target = tmp_path / "out.txt"
    assert write_preflib(profile, target) is None
    assert target.read_bytes() == original


@pytest.mark.parametrize("name", ORDINAL_FILES)
def test_margins_agree_with_mini_parser(name):
    header, ballots = mini_parse(raw_text(name))
    m = int(header["NUMBER ALTERNATIVES"])
    profile = read_preflib(str(preflib_path(name)))
    np.testing.assert_array_equal(profile.margin_matrix(), mini_margins(ballots, m))


@pytest.mark.parametrize("name", CAT_FILES)
def test_approval_scores_agree_with_mini_parser(name):
    header, ballots = mini_parse(raw_text(name))
    m = int(header["NUMBER ALTERNATIVES"])
    scores = [0] * m
    for count, groups in ballots:
        assert len(groups) == 2 and sorted(groups[0] + groups[1]) == list(range(m))
        for a in groups[0]:
            scores[a] += count
    profile = read_preflib(preflib_path(name))
    assert isinstance(profile, ApprovalProfile)
    assert profile.approval_scores().tolist() == scores


def readme_official_winners():
    rows = {}
    for line in preflib_path("README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0].startswith("debian/") and cells[7]:
            rows[cells[0]] = cells[7].split(" (")[0]
    return rows


def test_debian_condorcet_winners_match_official_results():
    winners = readme_official_winners()
    assert sorted(winners) == [f for f in FILES if f.startswith("debian/")]
    for name, official in winners.items():
        header, ballots = mini_parse(raw_text(name))
        m = int(header["NUMBER ALTERNATIVES"])
        margins = mini_margins(ballots, m)
        condorcet = [a for a in range(m) if all(margins[a][b] > 0 for b in range(m) if b != a)]
        assert len(condorcet) == 1, name
        assert header[f"ALTERNATIVE NAME {condorcet[0] + 1}"] == official, name
        profile = read_preflib(preflib_path(name))
        assert profile.labels[profile.condorcet_winner()] == official


def test_quirks_of_bundled_files():
    netflix = read_preflib(preflib_path("netflix/00004-00000150.soc"))
    assert netflix.weights[-4:].tolist() == [0, 0, 0, 0] and netflix.n_ballots == 24
    assert netflix.ranks[-1].tolist() == [0, 3, 1, 2]  # "0: 1,3,4,2"
    parl = read_preflib(preflib_path("parliaments/00057-00000001.cat"))
    assert parl.labels[0] == "SPÖ" and parl.metadata["CATEGORY NAME 0"] == "Vote"
    assert parl.metadata["OFFICIAL RESULTS"].startswith("{SPÖ: 65")
    assert parl.approvals.sum(axis=1).tolist() == [1] * 13
    assert parl.approval_scores()[0] == 1617804
    french = read_preflib(preflib_path("frenchapproval/00026-00000001.cat"))
    assert french.metadata["DESCRIPTION"] == "" and not french.approvals[1].any()
    poster = read_preflib(preflib_path("poster/00033-00000002.cat"))
    assert poster.approvals[0].all() and poster.weights[0] == 2
    nasa = read_preflib(preflib_path("nasa/00003-00000001.toc"))
    layout = nasa.metadata["preflib_layout"]
    assert isinstance(layout, PreflibLayout) and len(layout.overrides) == 1
    assert "non-canonical" in repr(layout)


# ---------------------------------------------------------------- sources
SMALL = """# FILE NAME: small.soi
# TITLE: Small
# DESCRIPTION: 
# DATA TYPE: soi
# MODIFICATION TYPE: synthetic
# RELATES TO: 
# RELATED FILES: 
# PUBLICATION DATE: 
# MODIFICATION DATE: 
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 6
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: a
# ALTERNATIVE NAME 2: b
# ALTERNATIVE NAME 3: c
3: 1,2,3
2: 3,1
1: 2
"""


def test_sources_text_bytes_and_paths(tmp_path):
    expected_ranks = [[0, 1, 2], [1, -1, 0], [-1, 0, -1]]
    path = tmp_path / "small.soi"
    path.write_text(SMALL, encoding="utf-8")
    for source in (SMALL, SMALL.encode("utf-8"), bytearray(SMALL.encode()), path, str(path),
                   "\ufeff" + SMALL, SMALL.replace("\n", "\r\n")):
        profile = read_preflib(source)
        assert profile.ranks.tolist() == expected_ranks
        assert profile.weights.tolist() == [3, 2, 1]
    with pytest.raises(ValidationError, match="'source' parameter of read_preflib.*No file exists"):
        read_preflib(str(tmp_path / "missing.soi"))
    with pytest.raises(ValidationError, match="'source' parameter of read_preflib"):
        read_preflib(42)


def test_spelling_is_preserved_crlf_and_missing_final_newline():
    for text in (SMALL.replace("\n", "\r\n"), SMALL[:-1], SMALL.replace("2: 3,1", "2:  3 , 1")):
        assert write_preflib(read_preflib(text)) == text


def test_declared_type_is_kept_when_it_can_hold_the_profile():
    text = SMALL.replace("soi", "toi").replace("2: 3,1\n1: 2\n", "2: 3,1,2\n1: 2,1,3\n")
    profile = read_preflib(text)
    assert profile.kind == "soc" and profile.metadata["DATA TYPE"] == "toi"
    assert write_preflib(profile) == text


# ---------------------------------------------------------------- malformed files
def lines_of(text):
    return text.splitlines(keepends=True)


def edit(text, number, new):
    """Replace 1-based line `number` by `new` (a str without newline, or None to delete it)."""
    lines = lines_of(text)
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new + "\n"
    return "".join(lines)


SOC = SMALL.replace("soi", "soc").replace("2: 3,1\n1: 2\n", "2: 3,1,2\n1: 2,3,1\n")
CAT = """# FILE NAME: x.cat
# TITLE: x
# DATA TYPE: cat
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 3
# NUMBER UNIQUE PREFERENCES: 2
# NUMBER CATEGORIES: 2
# CATEGORY NAME 1: Yes
# CATEGORY NAME 2: No
# ALTERNATIVE NAME 1: a
# ALTERNATIVE NAME 2: b
# ALTERNATIVE NAME 3: c
2: {1,2},3
1: {},{1,2,3}
"""

BAD = [
    # (name, text, match)
    ("bad count", edit(SMALL, 17, "x: 3,1"), "line 17: the count must be a nonnegative integer"),
    ("negative count", edit(SMALL, 17, "-2: 3,1"), "line 17: the count must be"),
    ("unknown alternative", edit(SMALL, 17, "2: 3,4"), "line 17: alternative '4' is out of range"),
    ("alternative zero", edit(SMALL, 16, "3: 0,1,2"), "line 16: alternative '0' is out of range"),
    ("huge alternative", edit(SMALL, 18, "1: " + "9" * 40), "line 18: alternative .* is out of range"),
    ("duplicate in ballot", edit(SMALL, 17, "2: 3,3"), "line 17: alternative 3 appears twice"),
    ("voters disagree", edit(SMALL, 11, "# NUMBER VOTERS: 7"), "line 11: NUMBER VOTERS is 7 but .* add up to 6"),
    ("unique orders disagree", edit(SMALL, 12, "# NUMBER UNIQUE ORDERS: 4"), "line 12: NUMBER UNIQUE ORDERS is 4"),
    ("deleted data line", edit(SMALL, 18, None), "line 11: NUMBER VOTERS is 6 but"),
    ("extra alternative name", edit(SMALL, 10, "# NUMBER ALTERNATIVES: 2"),
     "line 15: 'ALTERNATIVE NAME 3' is out of range: NUMBER ALTERNATIVES is 2"),
    ("missing alternative name", edit(SMALL, 10, "# NUMBER ALTERNATIVES: 4"),
     "line 10: the header has no 'ALTERNATIVE NAME 4' line"),
    ("absurd number of alternatives", edit(SMALL, 10, "# NUMBER ALTERNATIVES: 123456789012345"),
     "line 10: the header has no 'ALTERNATIVE NAME 4'"),
    ("missing voters header", edit(SMALL, 11, None), "line 15: the header has no 'NUMBER VOTERS' line"),
    ("missing data type", edit(SMALL, 4, None), "line 15: the header has no 'DATA TYPE' line"),
    ("missing unique orders", edit(SMALL, 12, None), "line 15: the header has no 'NUMBER UNIQUE ORDERS'"),
    ("truncated line", edit(SMALL, 18, "1"), "line 18: a data line must read 'count: preference'.*truncated"),
    ("unclosed brace", edit(SMALL.replace("soi", "toi"), 17, "2: 3,{1,2"), "line 17: expected .*unclosed"),
    ("trailing comma", edit(SMALL, 17, "2: 3,1,"), "line 17: expected another alternative after ','"),
    ("stray character", edit(SMALL, 17, "2: 3;1"), "line 17: expected ','"),
    ("count beyond int64", edit(SMALL, 18, "99999999999999999999: 2"), "line 18: the count .* beyond the int64"),
    ("counts overflow int64", edit(edit(SMALL, 16, f"{2**62}: 1,2,3"), 17, f"{2**62}: 3,1"),
     "line 17: the counts of the data lines add up to more than int64"),
    ("voters beyond int64", edit(SMALL, 11, "# NUMBER VOTERS: 1" + "0" * 30), "line 11: NUMBER VOTERS .* beyond"),
    ("soc line misses alternatives", edit(SOC, 17, "2: 3,1"),
     "line 17: the line names 2 of the 3 alternatives \\(missing 2\\)"),
    ("tie in soi", edit(SMALL, 17, "2: 3,{1,2}"), "line 17: a tie \\{1,2\\} in a soi file"),
    ("tie in soc", edit(SOC, 16, "3: {1,2},3"), "line 16: a tie \\{1,2\\} in a soc file"),
    ("toc line misses alternatives", edit(SOC.replace("soc", "toc"), 18, "1: {2,3}"), "line 18: .*missing 1"),
    ("unknown data type", edit(SMALL, 4, "# DATA TYPE: sio"), "line 4: unknown DATA TYPE 'sio'.*Did you mean 'soi'"),
    ("empty group in ranking", edit(SMALL.replace("soi", "toi"), 17, "2: 3,{}"), "line 17: an empty group"),
    ("header after data", SMALL + "# NOTE: late\n", "line 19: a header line .* after the data lines"),
    ("repeated header", edit(SMALL, 3, "# TITLE: again"), "line 3: the header line 'TITLE' appears twice"),
    ("header without colon", edit(SMALL, 3, "# just a comment"), "line 3: a header line must read '# KEY: value'"),
    ("repeated name", edit(SMALL, 15, "# ALTERNATIVE NAME 3: a"), "line 15: alternative 3 has the same name 'a'"),
    ("bad name number", edit(SMALL, 15, "# ALTERNATIVE NAME x: c"), "line 15: 'ALTERNATIVE NAME x' must be"),
    ("zero alternatives", edit(SMALL, 10, "# NUMBER ALTERNATIVES: 0"), "line 10: NUMBER ALTERNATIVES must be at least"),
    ("three categories", edit(CAT, 7, "# NUMBER CATEGORIES: 3"), "line 7: NUMBER CATEGORIES is 3; only two"),
    ("cat line with one category", edit(CAT, 13, "2: {1,2,3}"), "line 13: a .cat line must list 2 categories"),
    ("cat line misses alternative", edit(CAT, 13, "2: {1,2},{}"), "line 13: .*missing 3"),
    ("cat missing categories header", edit(CAT, 7, None), "line 12: the header has no 'NUMBER CATEGORIES'"),
]


@pytest.mark.parametrize("text, match", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_malformed_files_raise_parse_error_naming_the_line(text, match):
    with pytest.raises(ParseError, match=match) as info:
        read_preflib(text)
    assert isinstance(info.value, ValueError)
    assert info.value.line == int(re.match(r"line (\d+)", match).group(1))


def test_non_utf8_bytes_name_the_line():
    data = SMALL.encode("utf-8").replace(b"# MODIFICATION TYPE: synthetic", b"# MODIFICATION TYPE: synth\xe9tic")
    with pytest.raises(ParseError, match="line 5: the file is not valid UTF-8 \\(byte 0xe9"):
        read_preflib(data)


def test_base_texts_are_valid():
    assert read_preflib(SOC).kind == "soc"
    assert read_preflib(CAT).approvals.tolist() == [[True, True, False], [False, False, False]]


# ---------------------------------------------------------------- writing fresh profiles
HEADER_TAIL = "# MODIFICATION TYPE: \n# RELATES TO: \n# RELATED FILES: \n# PUBLICATION DATE: \n# MODIFICATION DATE: \n"


def test_write_fresh_weak_order_profile_canonically():
    ballots = [[[2], [0, 1]], [[1]], [[2], [1, 0]], [[0, 2]]]
    profile = Profile.from_weak_orders(ballots, weights=[1, 4, 2, 0], labels=["x", "y", "z"], title="T")
    expected = ("# FILE NAME: \n# TITLE: T\n# DESCRIPTION: \n# DATA TYPE: toi\n" + HEADER_TAIL
                + "# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 7\n# NUMBER UNIQUE ORDERS: 3\n"
                "# ALTERNATIVE NAME 1: x\n# ALTERNATIVE NAME 2: y\n# ALTERNATIVE NAME 3: z\n"
                "4: 2\n3: 3,{1,2}\n0: {1,3}\n")
    assert write_preflib(profile) == expected
    back = read_preflib(expected)
    assert back == profile and back.labels == ("x", "y", "z") and back.title == "T"


def test_write_fresh_approval_profile_canonically(tmp_path):
    profile = ApprovalProfile([[1, 0], [1, 1], [0, 0], [1, 0]], labels=["p", "q"],
                              metadata={"DESCRIPTION": "demo", "SOURCE": "unit test"})
    expected = ("# FILE NAME: vote.cat\n# TITLE: \n# DESCRIPTION: demo\n# DATA TYPE: cat\n" + HEADER_TAIL
                + "# SOURCE: unit test\n# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 4\n"
                "# NUMBER UNIQUE PREFERENCES: 3\n# NUMBER CATEGORIES: 2\n# CATEGORY NAME 1: Yes\n"
                "# CATEGORY NAME 2: No\n# ALTERNATIVE NAME 1: p\n# ALTERNATIVE NAME 2: q\n"
                "2: 1,2\n1: {1,2},{}\n1: {},{1,2}\n")
    write_preflib(profile, tmp_path / "vote.cat")
    assert (tmp_path / "vote.cat").read_text(encoding="utf-8") == expected
    back = read_preflib(tmp_path / "vote.cat")
    assert back == profile and back.metadata["SOURCE"] == "unit test"


def test_large_counts_are_grouped_exactly():
    big = 2**60 + 1  # not representable in float64
    profile = Profile.from_rankings([[0, 1], [0, 1], [1, 0]], weights=[big, big, 3])
    text = write_preflib(profile)
    assert f"\n{2 * big}: 1,2\n3: 2,1\n" in text
    assert read_preflib(text).weights.tolist() == [2 * big, 3]


def test_changed_profile_gets_fresh_header():
    profile = read_preflib(preflib_path("debian/00002-00000001.soi"))
    sub = profile.restrict([2, 0])
    header, ballots = mini_parse(write_preflib(sub))
    assert header["NUMBER ALTERNATIVES"] == "2" and header["ALTERNATIVE NAME 1"] == "Bdale Garbee"
    assert int(header["NUMBER VOTERS"]) == 475 == sum(c for c, _ in ballots)
    assert int(header["NUMBER UNIQUE ORDERS"]) == len(ballots) == len({str(g) for _, g in ballots})
    assert read_preflib(write_preflib(sub)) == sub


def test_data_type_option():
    profile = Profile.from_rankings([[0, 1], [1, 0]])
    assert "# DATA TYPE: toi\n" in write_preflib(profile, data_type="toi")
    assert read_preflib(write_preflib(profile, data_type="toi")) == profile
    with pytest.raises(ValidationError, match="'data_type' parameter of write_preflib must be a PrefLib type"):
        write_preflib(Profile.from_rankings([[0, -1]], labels=["a", "b"]), data_type="soc")
    with pytest.raises(ValidationError, match="'data_type' parameter of write_preflib must be one of"):
        write_preflib(profile, data_type="xyz")
    with pytest.raises(ValidationError, match="'cat' \\(or None\\) for an ApprovalProfile"):
        write_preflib(ApprovalProfile([[1, 0]]), data_type="soc")


def test_writer_rejects_what_preflib_cannot_hold():
    with pytest.raises(ValidationError, match="profile.to_profile\\(\\)"):
        write_preflib(UtilityProfile([[1.0, 2.0]]))
    with pytest.raises(ValidationError, match="'profile' parameter of write_preflib must be a Profile"):
        write_preflib([[0, 1]])
    with pytest.raises(ValidationError, match="'labels' parameter of write_preflib.*line breaks"):
        write_preflib(Profile.from_rankings([[0, 1]], labels=["a\nb", "c"]))
    with pytest.raises(ValidationError, match="'title' parameter of write_preflib"):
        write_preflib(Profile.from_rankings([[0, 1]], title=" padded "))
    with pytest.raises(ValidationError, match="'metadata' parameter of write_preflib.*without ':'"):
        write_preflib(Profile.from_rankings([[0, 1]], metadata={"A: B": "c"}))
    with pytest.raises(ValidationError, match="'metadata' parameter of write_preflib must be str"):
        write_preflib(Profile.from_rankings([[0, 1]], metadata={"PARAMS": {"phi": 0.5}}))
    with pytest.raises(ValidationError, match="'path' parameter of write_preflib"):
        write_preflib(Profile.from_rankings([[0, 1]]), 3)


def test_stray_carriage_return_and_size_guard():
    with pytest.raises(ParseError, match="line 2: a carriage return inside the line"):
        read_preflib(SMALL.replace("# TITLE: Small", "# TITLE: Sm\rall"))
    with pytest.raises(ParseError, match="line 10: 3 data lines times 3 alternatives .* more than max_cells=8"):
        read_preflib(SMALL, max_cells=8)
    assert read_preflib(SMALL, max_cells=9).n_ballots == 3
    with pytest.raises(ValidationError, match="'max_cells' parameter of read_preflib"):
        read_preflib(SMALL, max_cells=0)


def test_writer_rejects_clashing_keys_and_unwritable_paths(tmp_path):
    with pytest.raises(ValidationError, match="'metadata' parameter of write_preflib.*clashes with 'Source'"):
        write_preflib(Profile.from_rankings([[0, 1]], metadata={"Source": "a", "SOURCE": "b"}))
    with pytest.raises(ValidationError, match="'path' parameter of write_preflib must be a path where"):
        write_preflib(Profile.from_rankings([[0, 1]]), tmp_path / "no such folder" / "x.soc")


def test_short_header_is_not_padded_and_title_follows_the_profile():
    text = "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 1\n# NUMBER VOTERS: 2\n# NUMBER UNIQUE ORDERS: 1\n" \
           "# ALTERNATIVE NAME 1: only\n2: 1\n"
    profile = read_preflib(text)
    assert profile.title == "" and write_preflib(profile) == text
    renamed = Profile.from_ranks(profile.ranks, profile.weights, profile.labels, title="New",
                                 metadata=profile.metadata)
    assert write_preflib(renamed) == text.replace("# DATA TYPE", "# TITLE: New\n# DATA TYPE")
