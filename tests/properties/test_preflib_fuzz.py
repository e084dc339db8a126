"""Fuzzing read_preflib, and round trips of generated files and profiles.

Whatever it is given, ``read_preflib`` returns a profile or raises ``ParseError``;
valid files generated here (by code independent of the writer) are read as the
ballots they were made from; every generated profile survives write/read.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mechanisms import ParseError
from mechanisms.data import preflib_path
from mechanisms.io import read_preflib, write_preflib
from mechanisms.profiles import ApprovalProfile, Profile

# small bundled files of every type, for mutation
SEEDS = [
    preflib_path(name).read_bytes()
    for name in ("debian/00002-00000001.soi", "debian/00002-00000007.toc", "f1seasons/00052-00000010.soc",
                 "netflix/00004-00000150.soc", "parliaments/00057-00000001.cat", "nasa/00003-00000001.toc")
]
SEEDS.append(SEEDS[0].replace(b"soi", b"toi").replace(b"5: 3,4\n", b"5: {3,4}\n"))
SEEDS.append(preflib_path("poster/00033-00000002.cat").read_bytes()[:1500].rsplit(b"\n", 1)[0] + b"\n")

fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_reject(source):
    """The property: a profile or a ParseError, nothing else; a profile read also survives write/read."""
    try:
        profile = read_preflib(source)
    except ParseError as exc:
        assert isinstance(exc.line, int) and str(exc).startswith(f"line {exc.line}: ")
        return None
    assert isinstance(profile, (Profile, ApprovalProfile))
    again = read_preflib(write_preflib(profile))
    assert again == profile and again.labels == profile.labels and again.title == profile.title
    return profile


@fuzz
@given(st.binary(max_size=600))
def test_random_bytes(data):
    read_or_reject(data)


HEADER = (b"# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 4\n# NUMBER UNIQUE ORDERS: 2\n"
          b"# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n# ALTERNATIVE NAME 3: c\n")


@fuzz
@given(st.text(alphabet="0123456789:,{} #\n\r\t-x\u00e9", max_size=200))
def test_random_data_after_a_valid_header(tail):
    read_or_reject(HEADER + tail.encode("utf-8"))
    read_or_reject("#" + tail + "\n")


MUTATION = st.tuples(
    st.sampled_from(["delete", "duplicate", "replace", "insert", "delete line", "duplicate line", "swap lines"]),
    st.floats(0, 1, exclude_max=True),
    st.floats(0, 1, exclude_max=True),
    st.sampled_from([b"0", b"1", b"9", b":", b",", b"{", b"}", b"#", b"\n", b" ", b"-", b"x", b"99999999999999999999",
                     b"\xc3", b"\r", b"\xff"]),
)


def mutate(data: bytes, mutations) -> bytes:
    for op, where, other, payload in mutations:
        if op.endswith("line") or op.endswith("lines"):
            lines = data.split(b"\n")
            i, j = int(where * len(lines)), int(other * len(lines))
            if op == "delete line":
                del lines[i]
            elif op == "duplicate line":
                lines.insert(i, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        else:
            i = int(where * max(len(data), 1))
            if op == "delete":
                data = data[:i] + data[i + 1:]
            elif op == "duplicate":
                data = data[:i + 1] + data[i:]
            elif op == "replace":
                data = data[:i] + payload + data[i + 1:]
            else:
                data = data[:i] + payload + data[i:]
    return data


@fuzz
@given(st.sampled_from(SEEDS), st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_real_files(seed, mutations):
    read_or_reject(mutate(seed, mutations))


# ---------------------------------------------------------------- generated valid files
@st.composite
def ordinal_file(draw):
    """A valid ordinal PrefLib text built by hand, with the ballots (0-based groups) and counts it encodes."""
    m = draw(st.integers(1, 6))
    data_type = draw(st.sampled_from(["soc", "soi", "toc", "toi"]))
    strict, complete = data_type[0] == "s", data_type[2] == "c"
    n = draw(st.integers(0, 6))
    ballots, counts = [], []
    for _ in range(n):
        perm = draw(st.permutations(range(m)))
        keep = m if complete else draw(st.integers(0, m))
        cuts = [] if strict else draw(st.lists(st.booleans(), min_size=keep, max_size=keep))
        groups = []
        for k, a in enumerate(perm[:keep]):
            if groups and not strict and cuts[k]:
                groups[-1].append(a)
            else:
                groups.append([a])
        ballots.append(groups)
        counts.append(draw(st.integers(0, 2**40)))
    lines = [f"# FILE NAME: gen.{data_type}", "# TITLE: generated", f"# DATA TYPE: {data_type}",
             f"# NUMBER ALTERNATIVES: {m}", f"# NUMBER VOTERS: {sum(counts)}", f"# NUMBER UNIQUE ORDERS: {n}"]
    lines += [f"# ALTERNATIVE NAME {i + 1}: alt {i}" for i in range(m)]
    spaced = draw(st.booleans())
    sep = ", " if spaced else ","
    for groups, count in zip(ballots, counts):
        items = [str(g[0] + 1) if len(g) == 1 else "{" + sep.join(str(a + 1) for a in g) + "}" for g in groups]
        lines.append(f"{count}: " + sep.join(items))
    return "\n".join(lines) + "\n", m, ballots, counts


@fuzz
@given(ordinal_file())
def test_generated_ordinal_files_read_as_generated(case):
    text, m, ballots, counts = case
    profile = read_preflib(text)
    assert profile.weights.tolist() == counts and profile.n_alternatives == m
    for row, groups in zip(profile.ranks.tolist(), ballots):
        expected = [-1] * m
        for level, group in enumerate(groups):
            for a in group:
                expected[a] = level
        assert row == expected
    assert write_preflib(profile) == text  # read from a file: written back as it was


@st.composite
def cat_file(draw):
    m = draw(st.integers(1, 6))
    n = draw(st.integers(0, 6))
    sets = [draw(st.sets(st.integers(0, m - 1))) for _ in range(n)]
    counts = [draw(st.integers(0, 1000)) for _ in range(n)]
    lines = ["# TITLE: cats", "# DATA TYPE: cat", f"# NUMBER ALTERNATIVES: {m}", f"# NUMBER VOTERS: {sum(counts)}",
             f"# NUMBER UNIQUE PREFERENCES: {n}", "# NUMBER CATEGORIES: 2"]
    lines += [f"# ALTERNATIVE NAME {i + 1}: {chr(65 + i)}" for i in range(m)]

    def group(ids):
        ids = sorted(a + 1 for a in ids)
        return str(ids[0]) if len(ids) == 1 else "{" + ",".join(map(str, ids)) + "}"

    for s, c in zip(sets, counts):
        lines.append(f"{c}: {group(s)},{group(set(range(m)) - s)}")
    return "\n".join(lines) + "\n", m, sets, counts


@fuzz
@given(cat_file())
def test_generated_cat_files_read_as_generated(case):
    text, m, sets, counts = case
    profile = read_preflib(text)
    assert [set(s) for s in profile.to_sets()] == sets and profile.weights.tolist() == counts
    assert read_preflib(write_preflib(profile)) == profile


# ---------------------------------------------------------------- generated profiles
LABEL = st.text(alphabet="abcXYZ019 :{}#,é-", min_size=0, max_size=6).filter(lambda s: s == s.strip())


@st.composite
def profiles(draw):
    m = draw(st.integers(1, 5))
    labels = draw(st.lists(LABEL, min_size=m, max_size=m, unique=True))
    title = draw(LABEL)
    n = draw(st.integers(0, 7))
    weights = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    if draw(st.booleans()):
        approvals = draw(st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=n, max_size=n))
        return ApprovalProfile(approvals if n else np.zeros((0, m), dtype=bool), weights, labels, title=title)
    ranks = draw(st.lists(st.lists(st.integers(-1, m - 1), min_size=m, max_size=m), min_size=n, max_size=n))
    return Profile.from_ranks(ranks if n else np.zeros((0, m), dtype=np.int64), weights, labels, title=title)


@fuzz
@given(profiles(), st.data())
def test_generated_profiles_round_trip(profile, data):
    kinds = ["cat"] if isinstance(profile, ApprovalProfile) else \
        {"soc": ["soc", "soi", "toc", "toi"], "soi": ["soi", "toi"], "toc": ["toc", "toi"], "toi": ["toi"]}[profile.kind]
    data_type = data.draw(st.sampled_from([None, *kinds]))
    text = write_preflib(profile, data_type=data_type)
    back = read_preflib(text)
    assert type(back) is type(profile)
    assert back == profile and back.labels == profile.labels and back.title == profile.title
    assert back.n_voters == profile.n_voters
    assert back.metadata["DATA TYPE"] == (data_type or ("cat" if isinstance(profile, ApprovalProfile) else profile.kind))
    assert write_preflib(back) == text
