"""The NIBRS flat-file parser on its own: segments written at the specification's positions
(nibrs_writer) read back as the same values; each action type does what section 4.6 says;
anything malformed is reported with its line, segment, field and reason, never a crash."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harbour.screening import nibrs_codes, nibrs_flat
from harbour.screening.records import (
    GroupBArrest,
    Incident,
    IncidentDelete,
    Rejected,
    Relationship,
    ZeroReport,
)
from harbour.screening.tests import nibrs_writer as w

ORI = "VT0040100"


def parse(lines: list[str]) -> list:
    return list(nibrs_flat.parse(w.file_bytes(lines).splitlines(keepends=True)))


def only(lines: list[str]):
    records = parse(lines)
    assert len(records) == 1, records
    return records[0]


def test_it_reads_a_whole_incident():
    lines = [
        w.administrative(ORI, "20-0001", date(2020, 3, 1), hour=23, cleared="N", cargo_theft="N"),
        w.offense(ORI, "20-0001", "13A", weapons=("12A", "85"), bias=("88",), location="20"),
        w.offense(ORI, "20-0001", "290", completed=False, using="A", location="20"),
        w.property_segment(ORI, "20-0001"),
        w.victim(
            ORI,
            "20-0001",
            1,
            ("13A", "290"),
            age="2530",
            sex="F",
            circumstances=("06",),
            injuries="MB",
            relationships=((1, "SE"), (2, "RU")),
        ),
        w.victim(ORI, "20-0001", 2, ("290",), victim_type="B", age="  ", sex=" ", race=" "),
        w.offender(ORI, "20-0001", 1, age="40", sex="M", race="B", ethnicity=None),
        w.offender(ORI, "20-0001", 2, age="00", sex="U", race="U"),
        w.arrestee(ORI, "20-0001", 1, transaction="20-0001A", offence="13A", armed=("11A",)),
    ]
    incident = only(lines)
    assert isinstance(incident, Incident)
    assert (incident.ori, incident.incident_number) == (ORI, "20-0001")
    assert incident.incident_date == date(2020, 3, 1)
    assert incident.incident_hour == 23
    assert incident.incident_date_is_report_date is False
    assert incident.reported_date is None
    assert incident.location_type == "20"
    assert [o.nibrs_code for o in incident.offences] == ["13A", "290"]
    assert incident.offences[0].weapon_force_codes == ("12A", "85")
    assert incident.offences[1].completed is False
    assert incident.offences[1].offender_suspected_of_using == ("A",)
    first, second = (p for p in incident.people if p.role == "victim")
    assert (first.age_code, first.age_low, first.age_high) == ("2530", 25, 30)
    assert first.offence_codes == ("13A", "290")
    assert first.injury_codes == ("M", "B")
    assert first.circumstance_codes == ("06",)
    assert first.relationships == (Relationship(1, "SE"), Relationship(2, "RU"))
    assert (second.victim_type, second.age_code, second.sex) == ("B", "", "")
    offenders = [p for p in incident.people if p.role == "offender"]
    assert [(p.sequence_number, p.age_low, p.ethnicity) for p in offenders] == [
        (1, 40, ""),
        (2, None, "N"),
    ]
    (arrestee,) = (p for p in incident.people if p.role == "arrestee")
    assert arrestee.arrest is not None
    assert arrestee.arrest.transaction_number == "20-0001A"
    assert arrestee.arrest.armed_with_codes == ("11A",)
    # A handgun is a weapon; 85 asphyxiation is strangulation; M and B are injuries.
    assert (incident.weapon, incident.strangulation, incident.injury) == (True, True, True)


def test_a_report_date_indicator_makes_the_date_the_reported_date():
    incident = only(w.incident(ORI, "R1", date(2020, 2, 3), report_date=True))
    assert incident.incident_date_is_report_date is True
    assert incident.reported_date == date(2020, 2, 3)


def test_flags_are_unknown_where_nibrs_says_nothing():
    lines = [
        w.administrative(ORI, "F1", date(2020, 3, 1)),
        w.offense(ORI, "F1", "23H"),
        w.victim(ORI, "F1", 1, ("23H",), victim_type="B"),
        w.offender(ORI, "F1", 0, age="  ", sex=" ", race=" ", ethnicity=" "),
    ]
    incident = only(lines)
    assert (incident.weapon, incident.injury, incident.strangulation) == (None, None, None)
    assert incident.children_present is None


@pytest.mark.parametrize(
    "weapons, expected",
    [
        (("40",), (False, False)),
        (("99",), (False, False)),
        (("95",), (None, None)),
        (("40", "85"), (False, True)),
        (("20",), (True, False)),
        (("95", "20"), (True, None)),
    ],
)
def test_weapon_and_strangulation_read_the_weapon_force_codes(weapons, expected):
    lines = w.incident(ORI, "W1")
    lines[1] = w.offense(ORI, "W1", "13B", weapons=weapons)
    incident = only(lines)
    assert (incident.weapon, incident.strangulation) == expected


@pytest.mark.parametrize(
    "code, expected",
    [
        ("", (None, None)),
        ("00", (None, None)),
        ("NN", (0, 0)),
        ("NB", (0, 0)),
        ("BB", (0, 0)),
        ("07", (7, 7)),
        ("99", (99, None)),
        ("1619", (16, 19)),
    ],
)
def test_ages_mean_years(code, expected):
    assert nibrs_codes.parse_age(code) == expected


@pytest.mark.parametrize("code", ["3", "1916", "0019", "1", "XX", "123", "9999"])
def test_an_age_that_is_no_age_is_refused(code):
    with pytest.raises(ValueError):
        nibrs_codes.parse_age(code)


def test_a_delete_then_an_insert_are_two_records_in_file_order():
    lines = [w.delete(ORI, "D1"), *w.incident(ORI, "D1")]
    delete, incident = parse(lines)
    assert delete == IncidentDelete(ORI, "D1", 1)
    assert isinstance(incident, Incident)
    assert incident.line == 2


def test_zero_reports_and_group_b_arrests_are_read():
    lines = [
        w.zero_report("VT0041200", 2020, 4),
        w.zero_report("VT0041200", 2020, 3, action="D"),
        w.group_b_arrest(ORI, "237398"),
        w.group_b_arrest(ORI, "237398", action="D"),
    ]
    assert parse(lines) == [
        ZeroReport("VT0041200", 2020, 4, 1),
        ZeroReport("VT0041200", 2020, 3, 2, delete=True),
        GroupBArrest(ORI, "237398", 3),
        GroupBArrest(ORI, "237398", 4, delete=True),
    ]


def test_lines_with_their_trailing_blanks_trimmed_are_still_read():
    lines = [line.rstrip() for line in w.incident(ORI, "T1")]
    assert isinstance(only(lines), Incident)


def test_blank_lines_are_skipped_and_lines_are_still_counted():
    lines = ["", *w.incident(ORI, "B1"), "   "]
    incident = only(lines)
    assert incident.line == 2


def problems_of(record) -> list[tuple[int, str, str, str]]:
    assert isinstance(record, Rejected), record
    return [(p.line, p.segment, p.field, p.position) for p in record.problems]


def test_a_bad_victim_type_rejects_the_incident_and_says_where():
    lines = w.incident(ORI, "E1")
    lines[2] = w.victim(ORI, "E1", 1, ("13B",), victim_type="Q")
    record = only(lines)
    assert problems_of(record) == [
        (3, "victim", "type of victim (data element 25)", "71"),
    ]
    assert "“Q”" in record.problems[0].reason
    assert "I, L" in record.problems[0].reason
    assert (record.ori, record.incident_number, record.line) == (ORI, "E1", 1)


def test_every_malformed_segment_of_an_incident_is_reported():
    lines = w.incident(ORI, "E2")
    lines[1] = w.offense(ORI, "E2", "13B", location="99")
    lines[3] = w.offender(ORI, "E2", 1, sex="Z")
    record = only(lines)
    assert [p[:3] for p in problems_of(record)] == [
        (2, "offense", "location type (data element 9)"),
        (4, "offender", "sex (data elements 27, 38, 48)"),
    ]


def test_the_next_incident_is_read_after_a_rejected_one():
    bad = w.incident(ORI, "E3")
    bad[0] = w.administrative(ORI, "E3", date(2020, 3, 1), hour=None).replace(
        "20200301", "20200231"
    )
    records = parse([*bad, *w.incident(ORI, "OK1")])
    assert isinstance(records[0], Rejected)
    assert records[0].problems[0].field == "incident date (data element 3)"
    assert "“20200231” is not a date" in records[0].problems[0].reason
    assert isinstance(records[1], Incident)


def test_segments_without_their_administrative_segment_are_refused():
    lines = w.incident(ORI, "E4")[1:]
    record = only(lines)
    assert problems_of(record) == [(1, "offense", "incident number (data element 2)", "26–37")]
    assert "no administrative segment" in record.problems[0].reason


def test_segments_out_of_level_order_are_refused():
    lines = w.incident(ORI, "E5")
    lines[2], lines[3] = lines[3], lines[2]
    record = only(lines)
    assert "level order" in record.problems[0].reason


def test_an_incident_without_an_offender_segment_is_refused():
    record = only(w.incident(ORI, "E6")[:3])
    assert "no offender segment" in record.problems[0].reason
    assert record.problems[0].line == 1


def test_a_victim_connected_to_an_offence_not_in_the_incident_is_refused():
    lines = w.incident(ORI, "E7")
    lines[2] = w.victim(ORI, "E7", 1, ("13A",), relationships=((1, "BG"),))
    record = only(lines)
    assert "“13A”" in record.problems[0].reason


@pytest.mark.parametrize(
    "line, reason",
    [
        ("0088X" + " " * 83, "is not a segment level"),
        ("0099" + "1I" + " " * 82, "is 0087 or 0088 characters long"),
        ("0088" + "1W" + " " * 82, "W (time window)"),
        ("0088" + "1M" + " " * 82, "allows I, D"),
        ("0063" + "2D" + " " * 57, "allows I"),
    ],
)
def test_headers_that_are_not_nibrs_2019_are_refused_with_the_reason(line, reason):
    record = only([line])
    assert isinstance(record, Rejected)
    assert reason in record.problems[0].reason


def test_a_line_longer_than_its_segment_says_is_refused():
    line = w.zero_report(ORI, 2020, 4) + "EXTRA"
    record = only([line])
    assert "but its segment length says 43" in record.problems[0].reason


def test_a_line_that_is_not_ascii_is_refused():
    lines = w.incident(ORI, "U1")
    raw = w.file_bytes(lines).splitlines(keepends=True)
    raw[2] = raw[2].replace(b"W", b"\xe9", 1)
    (record,) = list(nibrs_flat.parse(raw))
    assert problems_of(record) == [(3, "", "the whole line", "")]


def test_a_zero_report_needs_twelve_zeros_and_a_month():
    line = w.zero_report(ORI, 2020, 13).replace("000000000000", "000000000001")
    record = only([line])
    assert [p.field for p in record.problems] == [
        "incident number (data element 2)",
        "zero report month",
    ]


@pytest.mark.parametrize(
    "first_line, expected",
    [
        (b"0088" + b"1I042020" + b" " * 80, None),
        (b"<?xml version='1.0'?>", "looks like XML"),
        (b'{"occurrences": []}', "looks like JSON"),
        (b"ori,incident_number,date", "is not a NIBRS flat file"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"00881?042020" + b" " * 80, "segment action type"),
    ],
)
def test_it_tells_a_nibrs_file_from_anything_else(first_line, expected):
    reason = nibrs_flat.not_nibrs(first_line)
    if expected is None:
        assert reason is None
    else:
        assert expected in reason


# ---- generated segments ----

codes = st.sampled_from
ids = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=12).filter(
    lambda s: s[0] != "-"
)
ages = st.one_of(
    st.sampled_from(["", "00", "NN", "NB", "BB", "99"]),
    st.integers(1, 98).map(lambda n: f"{n:02d}"),
    st.tuples(st.integers(1, 97), st.integers(1, 97))
    .filter(lambda t: t[0] < t[1])
    .map(lambda t: f"{t[0]:02d}{t[1]:02d}"),
)
days = st.dates(date(1991, 1, 1), date(2030, 12, 31))


@st.composite
def incidents(draw):
    ori = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=9, max_size=9))
    number = draw(ids)
    offence_codes = draw(
        st.lists(codes(sorted(nibrs_codes.GROUP_A_OFFENCES)), min_size=1, max_size=4, unique=True)
    )
    offences = [
        {
            "code": code,
            "completed": draw(st.booleans()),
            "location": draw(codes(sorted(nibrs_codes.LOCATION_TYPES))),
            "weapons": tuple(
                draw(
                    st.lists(
                        st.tuples(codes(sorted(nibrs_codes.WEAPON_FORCE)), st.booleans()).map(
                            lambda t: t[0] + ("A" if t[1] else "")
                        ),
                        max_size=3,
                    )
                )
            ),
            "bias": tuple(
                draw(st.lists(codes(sorted(nibrs_codes.BIAS_MOTIVATIONS)), min_size=1, max_size=5))
            ),
        }
        for code in offence_codes
    ]
    offender_numbers = draw(st.lists(st.integers(0, 99), min_size=1, max_size=3, unique=True))
    victims = [
        {
            "sequence": sequence,
            "offences": tuple(
                draw(st.lists(codes(offence_codes), min_size=1, max_size=3, unique=True))
            ),
            "type": draw(codes(sorted(nibrs_codes.VICTIM_TYPES))),
            "age": draw(ages),
            "sex": draw(codes(sorted(nibrs_codes.SEXES))),
            "injuries": "".join(
                draw(st.lists(codes(sorted(nibrs_codes.INJURIES)), max_size=5, unique=True))
            ),
            "relationships": tuple(
                draw(
                    st.lists(
                        st.tuples(st.integers(1, 99), codes(sorted(nibrs_codes.RELATIONSHIPS))),
                        max_size=10,
                    )
                )
            ),
        }
        for sequence in draw(st.lists(st.integers(1, 999), min_size=1, max_size=3, unique=True))
    ]
    return {
        "ori": ori,
        "number": number,
        "date": draw(days),
        "hour": draw(st.none() | st.integers(0, 23)),
        "cleared": draw(codes(sorted(nibrs_codes.CLEARED_EXCEPTIONALLY))),
        "offences": offences,
        "victims": victims,
        "offenders": [(n, draw(ages)) for n in offender_numbers],
    }


def write(spec) -> list[str]:
    ori, number = spec["ori"], spec["number"]
    lines = [
        w.administrative(ori, number, spec["date"], hour=spec["hour"], cleared=spec["cleared"])
    ]
    for o in spec["offences"]:
        lines.append(
            w.offense(
                ori,
                number,
                o["code"],
                completed=o["completed"],
                location=o["location"],
                weapons=o["weapons"],
                bias=o["bias"],
            )
        )
    for v in spec["victims"]:
        lines.append(
            w.victim(
                ori,
                number,
                v["sequence"],
                v["offences"],
                victim_type=v["type"],
                age=v["age"],
                sex=v["sex"],
                injuries=v["injuries"],
                relationships=v["relationships"],
            )
        )
    for sequence, age in spec["offenders"]:
        lines.append(w.offender(ori, number, sequence, age=age))
    return lines


@settings(max_examples=150, deadline=None)
@given(incidents())
def test_generated_segments_read_back_as_the_values_written(spec):
    incident = only(write(spec))
    assert isinstance(incident, Incident), incident
    assert (incident.ori, incident.incident_number) == (spec["ori"], spec["number"])
    assert incident.incident_date == spec["date"]
    assert incident.incident_hour == spec["hour"]
    assert incident.cleared_exceptionally == spec["cleared"]
    assert [
        (o.nibrs_code, o.completed, o.location_type, o.weapon_force_codes, o.bias_motivation_codes)
        for o in incident.offences
    ] == [
        (o["code"], o["completed"], o["location"], o["weapons"], o["bias"])
        for o in spec["offences"]
    ]
    victims = [p for p in incident.people if p.role == "victim"]
    assert [
        (
            v.sequence_number,
            v.offence_codes,
            v.victim_type,
            v.age_code,
            (v.age_low, v.age_high),
            v.sex,
            "".join(v.injury_codes),
            tuple((r.offender_sequence_number, r.code) for r in v.relationships),
        )
        for v in victims
    ] == [
        (
            v["sequence"],
            v["offences"],
            v["type"],
            v["age"],
            nibrs_codes.parse_age(v["age"]),
            v["sex"],
            v["injuries"],
            v["relationships"],
        )
        for v in spec["victims"]
    ]
    offenders = [(p.sequence_number, p.age_code) for p in incident.people if p.role == "offender"]
    assert offenders == spec["offenders"]


printable = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=160)


@settings(max_examples=300, deadline=None)
@given(st.lists(printable | st.binary(max_size=160), max_size=12))
def test_garbage_gets_a_reason_never_a_crash(lines):
    encoded = [line.encode("latin-1") if isinstance(line, str) else line for line in lines]
    for record in nibrs_flat.parse(encoded):
        if isinstance(record, Rejected):
            assert record.problems
            assert all(p.reason and p.line >= 1 for p in record.problems)
    for line in encoded:
        nibrs_flat.not_nibrs(line)


@settings(max_examples=300, deadline=None)
@given(incidents(), st.data())
def test_a_valid_incident_with_one_character_changed_is_read_or_refused_never_a_crash(spec, data):
    lines = write(spec)
    index = data.draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    position = data.draw(st.integers(0, len(line) - 1))
    character = data.draw(st.characters(min_codepoint=32, max_codepoint=126))
    lines[index] = line[:position] + character + line[position + 1 :]
    for record in parse(lines):
        assert isinstance(record, Incident | Rejected | IncidentDelete | ZeroReport | GroupBArrest)
        if isinstance(record, Rejected):
            assert all(p.reason for p in record.problems)
