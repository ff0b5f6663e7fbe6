"""The synthetic NIBRS generator (bench/nibrs_generate.py), read back here independently:
segment lengths from the specification's own table, field positions from the shared flat-file
layout, and issue 4's statistics recomputed from the segments."""

import csv
import hashlib
import json
import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from bench.nibrs_generate import generate, main
from harbour.screening import taxonomy
from harbour.testing.reference import REFERENCE

SHARED = REFERENCE  # the reference data copied into the repository
INCIDENTS = 1500


def spec_lengths() -> dict[str, set[int]]:
    """Section 3.3.1's table of segment lengths: 'Level 4 Victim Segment … 0129'."""
    text = (SHARED / "nibrs" / "techspec2019.txt").read_text(encoding="utf-8")
    lengths: dict[str, set[int]] = defaultdict(set)
    for level, length in re.findall(r"^Level ([0-7]) [A-Za-z].* (0\d{3}) *$", text, re.MULTILINE):
        lengths[level].add(int(length))
    return dict(lengths)


def layout() -> dict[tuple[str, str], slice]:
    """(segment level, field) -> the slice of a line, from the shared layout file."""
    out = {}
    with open(SHARED / "codes" / "nibrs_flatfile_layout_2019_1.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            first, _, last = row["positions"].partition("-")
            if last in ("", ".."):
                last = first
            out[(row["segment_level"], row["field"])] = slice(int(first) - 1, int(last))
    return out


POS = layout()
ORI = POS[("*", "ORI")]
NUMBER = POS[("*", "incident number (12)")]
KEY = slice(ORI.start, NUMBER.stop)
SUBMISSION = slice(POS[("*", "month of submission")].start, POS[("*", "year of submission")].stop)
OFFENCE = POS[("2", "UCR offense code")]
BIAS = slice(POS[("2", "bias motivation #1")].start, POS[("2", "bias motivation #2-#5")].stop)
CONNECTED = POS[("4", "victim connected to UCR offense code x10 (3 each)")]
VICTIM_TYPE = POS[("4", "type of victim")]
RELATED = POS[("4", "offender number to be related (2) + relationship (2) x10")]
OFFENDER_SEQ = POS[("5", "offender sequence number")]
ZERO = POS[("0", "zero report month/year")]


def test_the_layout_file_agrees_with_the_specification_figures():
    # Section 6's figures, read by hand: victim segment positions 41-43 … 68-70 for the ten
    # offence codes, 71 type of victim, 90-129 offender numbers and relationships.
    assert (CONNECTED.start + 1, CONNECTED.stop) == (41, 70)
    assert (VICTIM_TYPE.start + 1, VICTIM_TYPE.stop) == (71, 71)
    assert (RELATED.start + 1, RELATED.stop) == (90, 129)
    assert (OFFENCE.start + 1, OFFENCE.stop) == (38, 40)
    assert (BIAS.start + 1, BIAS.stop) == (62, 71)
    assert (KEY.start + 1, KEY.stop) == (17, 37)
    assert spec_lengths() == {
        "1": {87, 88},
        "2": {63, 71},
        "3": {307},
        "4": {129, 141},
        "5": {45, 46},
        "6": {110},
        "7": {66},
        "0": {43},
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("nibrs") / "synthetic.txt"
    summary = generate(path, INCIDENTS, seed=11, agencies=8)
    return path, summary, path.read_text(encoding="ascii").split("\n")[:-1]


def test_every_segment_has_the_length_its_type_has_in_the_specification(generated):
    _, _, lines = generated
    lengths = spec_lengths()
    for number, line in enumerate(lines, start=1):
        assert int(line[0:4]) == len(line), number
        assert len(line) in lengths[line[4]], (number, line[:6])


def test_the_headers_are_consistent_and_the_agencies_synthetic(generated):
    _, summary, lines = generated
    assert {line[SUBMISSION] for line in lines} == {"012020"}
    assert summary["submission"] == "2020-01"
    assert all(line[ORI].startswith("ZZ") for line in lines)
    actions = {line[4:6] for line in lines}
    assert actions <= {"1I", "1D", "2I", "3I", "4I", "5I", "6I", "7A", "0A"}


def test_the_counts_are_the_summary_counts(generated):
    _, summary, lines = generated
    assert Counter(line[4:6] for line in lines) == summary["segments"]
    assert summary["segments"]["0A"] == summary["quiet_agencies"] * 24  # 2018 and 2019


def read_incidents(lines):
    """Apply the file in order: an administrative I starts (or replaces) an incident, a D
    removes it. Returns the incidents left, keyed by ORI + incident number, and what the
    deletes did."""
    incidents: dict[str, list[str]] = {}
    deleted_unknown = reinserted = removed = 0
    ever: set[str] = set()
    current = None
    for line in lines:
        level, action, key = line[4], line[5], line[KEY]
        if level == "1" and action == "D":
            if key not in incidents:
                deleted_unknown += 1
            incidents.pop(key, None)
            removed += 1
            current = None
        elif level == "1":
            if key in ever:
                reinserted += 1
            ever.add(key)
            incidents[key] = current = [line]
        elif level in "23456":
            assert current is not None and current[0][KEY] == key, line[:40]
            assert level >= current[-1][4], "segments in level order"
            current.append(line)
        else:
            current = None
    return incidents, deleted_unknown, reinserted, removed


def test_deletes_remove_incidents_and_reinserts_replace_them(generated):
    _, summary, lines = generated
    incidents, deleted_unknown, reinserted, removed = read_incidents(lines)
    assert len(incidents) == INCIDENTS == summary["incidents"]
    assert deleted_unknown == 0  # a delete always follows the incident it removes
    assert removed == summary["deletes"] > 0
    assert 0 < reinserted < removed  # some deletes are followed by a new version, not all


def test_group_b_arrests_and_zero_reports_come_after_every_incident(generated):
    _, _, lines = generated
    levels = "".join(line[4] for line in lines)
    assert re.fullmatch(r"[1-6]+7+0+", levels)
    for line in lines:
        if line[4] == "0":
            assert line[NUMBER] == "000000000000"
            assert 1 <= int(line[ZERO][:2]) <= 12 and line[ZERO][2:] in ("2018", "2019")


def test_every_code_written_is_in_the_taxonomy_with_the_right_group(generated):
    _, _, lines = generated
    for line in lines:
        if line[4] == "2":
            assert taxonomy.nibrs_offence(line[OFFENCE]).group == "A"
            for i in range(0, 10, 2):
                code = line[BIAS][i : i + 2]
                assert code.strip() == "" or taxonomy.bias(code), code
        elif line[4] == "7":
            assert taxonomy.nibrs_offence(line[48:51]).group == "B"
        elif line[4] == "4":
            for i in range(0, 40, 4):
                code = line[RELATED][i + 2 : i + 4]
                assert code.strip() == "" or taxonomy.relationship_class("nibrs", code), code


def victims_of(incident):
    for line in incident:
        if line[4] == "4":
            offences = {line[CONNECTED][i : i + 3] for i in range(0, 30, 3)} - {"   "}
            related = [line[RELATED][i : i + 4] for i in range(0, 40, 4)]
            related = [(r[:2], r[2:]) for r in related if r.strip()]
            yield line[VICTIM_TYPE], offences, related


def test_victims_offences_and_offenders_point_at_each_other(generated):
    _, _, lines = generated
    incidents, *_ = read_incidents(lines)
    for key, incident in incidents.items():
        offences = {line[OFFENCE] for line in incident if line[4] == "2"}
        offenders = {line[OFFENDER_SEQ] for line in incident if line[4] == "5"}
        victims = list(victims_of(incident))
        assert offences and offenders and victims, key
        assert set().union(*(v[1] for v in victims)) == offences, key
        for kind, connected, related in victims:
            assert connected <= offences, key
            # Offender numbers and relationships: exactly for individuals and officers who
            # are victims of a crime against the person or property (Data Element 34).
            against = {taxonomy.nibrs_offence(o).crime_against for o in connected}
            assert bool(related) == (kind in "IL" and bool(against & {"person", "property"}))
            for seq, code in related:
                assert seq in offenders, key
                assert (seq == "00") == (code.strip() == ""), key
                if code == "VO":
                    assert len(victims) >= 2 and len(offenders) >= 2, key
        if "09C" in offences:
            assert offences == {"09C"}, key


def test_the_summary_figures_are_issue_4s_definitions_applied_to_the_file(generated):
    _, summary, lines = generated
    incidents, *_ = read_incidents(lines)
    ipv = {"SE", "CS", "BG", "XS", "XR"}
    family = {"PA", "SB", "CH", "GP", "GC", "IL", "SP", "SC", "SS", "OF"}

    def against_person(code):
        return taxonomy.nibrs_offence(code).crime_against == "person"

    found = Counter()
    for incident in incidents.values():
        offences = {line[OFFENCE] for line in incident if line[4] == "2"}
        found["incidents"] += 1
        found["crimes_against_persons_incidents"] += any(against_person(o) for o in offences)
        biased = {
            line[BIAS][i : i + 2] for line in incident if line[4] == "2" for i in range(0, 10, 2)
        }
        found["bias_incidents"] += bool(biased - {"88", "99", "  ", ""})
        any_ipv = any_family = False
        for kind, connected, related in victims_of(incident):
            if kind not in "IL":
                continue
            codes = {code for _, code in related}
            on_person = any(against_person(o) for o in connected)
            if on_person and codes & ipv:
                found["ipv_victims"] += 1
                any_ipv = True
            if on_person and codes & (ipv | family):
                any_family = True
            found["sexual_offence_victims"] += bool(
                {taxonomy.nibrs_offence(o).category for o in connected} & {"sexual_offence"}
            )
            found["human_trafficking_victims"] += bool(connected & {"64A", "64B"})
        found["ipv_incidents"] += any_ipv
        found["family_or_ipv_incidents"] += any_family
    assert {name: found[name] for name in summary["totals"]} == summary["totals"]
    months = summary["by_month"]
    assert sum(m["incidents"] for m in months.values()) == INCIDENTS
    assert set(months) <= {f"{y}-{m:02d}" for y in (2018, 2019) for m in range(1, 13)}


def test_about_30_percent_of_crimes_against_persons_are_ipv_related(generated):
    _, summary, _ = generated
    totals = summary["totals"]
    share = totals["ipv_incidents"] / totals["crimes_against_persons_incidents"]
    assert 0.22 < share < 0.38, share
    assert totals["family_or_ipv_incidents"] > totals["ipv_incidents"]


def test_the_same_seed_writes_the_same_file_and_another_seed_another(tmp_path):
    def digest(seed, name):
        path = tmp_path / name
        generate(path, 200, seed=seed, agencies=3)
        return hashlib.sha256(path.read_bytes()).hexdigest()

    assert digest(5, "a") == digest(5, "b")
    assert digest(5, "a") != digest(6, "c")


def test_the_command_writes_crlf_lines_and_a_summary_file(tmp_path, capsys):
    out, summary = tmp_path / "f.txt", tmp_path / "s.json"
    args = ["--incidents", "40", "--out", str(out), "--seed", "2", "--agencies", "2"]
    args += ["--from", "2019-06-01", "--to", "2019-06-30", "--crlf", "--summary", str(summary)]
    assert main(args) == 0
    printed = json.loads(capsys.readouterr().out)
    written = json.loads(summary.read_text(encoding="utf-8"))
    assert printed["incidents"] == written["incidents"] == 40
    assert printed["submission"] == "2019-07"
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") == sum(written["segments"].values())
    assert set(written["by_month"]) == {"2019-06"}


def test_the_command_refuses_nonsense(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--incidents", "5", "--out", str(tmp_path / "f"), "--agencies", "0"])
    assert "agencies" in capsys.readouterr().err
    assert generate(tmp_path / "empty", 0, start=date(2019, 1, 1), end=date(2019, 1, 31))[
        "segments"
    ] == {"0A": 4}
