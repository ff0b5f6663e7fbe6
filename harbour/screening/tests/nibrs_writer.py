"""Writing NIBRS flat-file segments for tests, field by field at the positions of the FBI
NIBRS Technical Specification 2019.1, section 6, written out here independently of the
parser (harbour.screening.nibrs_flat) so that a test of one against the other means
something."""

from datetime import date

SUBMISSION = "042020"  # month and year of submission, positions 7–12
CITY = "    "  # city indicator, positions 13–16


def _fit(value: str, width: int) -> str:
    assert len(value) <= width, (value, width)
    return value.ljust(width)


def _date(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else " " * 8


def _header(length: int, level: str, action: str, ori: str, number: str) -> str:
    return f"{length:04d}{level}{action}{SUBMISSION}{CITY}{_fit(ori, 9)}{_fit(number, 12)}"


def _line(length: int, header: str, fields: list[tuple[int, str]]) -> str:
    """``fields`` as (first position, value), 1-based as in the specification."""
    line = [" "] * length
    line[: len(header)] = header
    for position, value in fields:
        line[position - 1 : position - 1 + len(value)] = value
    text = "".join(line)
    assert len(text) == length, (len(text), length)
    return text


def administrative(
    ori: str,
    number: str,
    incident_date: date,
    *,
    action: str = "I",
    hour: int | None = None,
    report_date: bool = False,
    cleared: str = "N",
    clearance_date: date | None = None,
    cargo_theft: str | None = None,
) -> str:
    length = 88 if cargo_theft is not None else 87
    fields = [
        (38, _date(incident_date)),
        (46, "R" if report_date else " "),
        (47, "  " if hour is None else f"{hour:02d}"),
        (49, cleared),
        (50, _date(clearance_date)),
    ]
    if cargo_theft is not None:
        fields.append((88, cargo_theft))
    return _line(length, _header(length, "1", action, ori, number), fields)


def offense(
    ori: str,
    number: str,
    code: str,
    *,
    completed: bool = True,
    using: str = "N",
    location: str = "20",
    activity: str = "",
    weapons: tuple[str, ...] = (),
    bias: tuple[str, ...] = ("88",),
    action: str = "I",
) -> str:
    length = 71 if len(bias) > 1 else 63
    fields = [
        (38, code),
        (41, "C" if completed else "A"),
        (42, using),
        (45, location),
        (50, activity),
    ]
    for i, weapon in enumerate(weapons):
        fields.append((53 + 3 * i, weapon))  # two characters, or three with "A"
    for i, motivation in enumerate(bias):
        fields.append((62 + 2 * i, motivation))
    return _line(length, _header(length, "2", action, ori, number), fields)


def property_segment(ori: str, number: str, loss: str = "7") -> str:
    return _line(307, _header(307, "3", "I", ori, number), [(38, loss)])


def victim(
    ori: str,
    number: str,
    sequence: int,
    offences: tuple[str, ...],
    *,
    victim_type: str = "I",
    age: str = "31",
    sex: str = "F",
    race: str = "W",
    ethnicity: str = "N",
    resident: str = "R",
    circumstances: tuple[str, ...] = (),
    justifiable: str = " ",
    injuries: str = "",
    relationships: tuple[tuple[int, str], ...] = (),
    leoka: str | None = None,
) -> str:
    length = 141 if leoka is not None else 129
    fields = [(38, f"{sequence:03d}")]
    for i, code in enumerate(offences):
        fields.append((41 + 3 * i, code))
    fields += [
        (71, victim_type),
        (72, age),
        (76, sex),
        (77, race),
        (78, ethnicity),
        (79, resident),
        (84, justifiable),
        (85, injuries),
    ]
    for i, circumstance in enumerate(circumstances):
        fields.append((80 + 2 * i, circumstance))
    for i, (offender, code) in enumerate(relationships):
        fields.append((90 + 4 * i, f"{offender:02d}{code}"))
    if leoka is not None:
        fields.append((130, leoka))
    return _line(length, _header(length, "4", "I", ori, number), fields)


def offender(
    ori: str,
    number: str,
    sequence: int,
    *,
    age: str = "35",
    sex: str = "M",
    race: str = "W",
    ethnicity: str | None = "N",
) -> str:
    length = 46 if ethnicity is not None else 45
    fields = [(38, f"{sequence:02d}"), (40, age), (44, sex), (45, race)]
    if ethnicity is not None:
        fields.append((46, ethnicity))
    return _line(length, _header(length, "5", "I", ori, number), fields)


def arrestee(
    ori: str,
    number: str,
    sequence: int,
    *,
    transaction: str = "A1",
    arrest_date: date = date(2020, 3, 2),
    arrest_type: str = "T",
    multiple: str = "N",
    offence: str = "13B",
    armed: tuple[str, ...] = ("01",),
    age: str = "35",
    sex: str = "M",
    race: str = "W",
    ethnicity: str = "N",
    resident: str = "R",
    disposition: str = " ",
) -> str:
    fields = [
        (38, f"{sequence:02d}"),
        (40, transaction),
        (52, _date(arrest_date)),
        (60, arrest_type),
        (61, multiple),
        (62, offence),
        (71, age),
        (75, sex),
        (76, race),
        (77, ethnicity),
        (78, resident),
        (79, disposition),
    ]
    for i, weapon in enumerate(armed):
        fields.append((65 + 3 * i, weapon))
    return _line(110, _header(110, "6", "I", ori, number), fields)


def group_b_arrest(
    ori: str,
    transaction: str,
    *,
    action: str = "A",
    sequence: int = 1,
    arrest_date: date = date(2020, 3, 2),
    arrest_type: str = "O",
    offence: str = "90D",
    armed: str = "01",
    age: str = "40",
    sex: str = "M",
    race: str = "W",
    ethnicity: str = "N",
    resident: str = "R",
) -> str:
    fields = [
        (38, f"{sequence:02d}"),
        (40, _date(arrest_date)),
        (48, arrest_type),
        (49, offence),
        (52, armed),
        (58, age),
        (62, sex),
        (63, race),
        (64, ethnicity),
        (65, resident),
    ]
    return _line(66, _header(66, "7", action, ori, transaction), fields)


def zero_report(ori: str, year: int, month: int, *, action: str = "A") -> str:
    return _line(43, _header(43, "0", action, ori, "0" * 12), [(38, f"{month:02d}{year:04d}")])


def incident(
    ori: str,
    number: str,
    incident_date: date = date(2020, 3, 1),
    *,
    offence: str = "13B",
    relationship: str = "BG",
    victim_type: str = "I",
    **admin,
) -> list[str]:
    """The smallest whole incident: one offence, one victim related to one offender."""
    return [
        administrative(ori, number, incident_date, **admin),
        offense(ori, number, offence, weapons=("40",)),
        victim(
            ori,
            number,
            1,
            (offence,),
            victim_type=victim_type,
            injuries="M",
            relationships=((1, relationship),),
        ),
        offender(ori, number, 1),
    ]


def delete(ori: str, number: str, incident_date: date = date(2020, 3, 1)) -> str:
    return administrative(ori, number, incident_date, action="D")


def file_bytes(lines: list[str]) -> bytes:
    return "".join(f"{line}\r\n" for line in lines).encode("ascii")
