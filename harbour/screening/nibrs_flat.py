"""Reading NIBRS flat files: FBI NIBRS Technical Specification 2019.1, section 6 (record
layouts), one segment per line, each field at fixed positions.

``parse(lines)`` is a generator: it yields one record of screening.records at a time, in
file order, so a file of any size is read in constant memory. An incident's segments come
together (administrative, then offense, property, victim, offender and arrestee segments in
level order, spec §4.5); it is yielded when the next record starts. A segment that cannot be
read rejects its whole incident (an incident without one of its victims would be a wrong
incident), and every problem found is reported with its line, segment, field, positions and
reason. ``not_nibrs(first_line)`` says why a file is not a NIBRS flat file at all, so it can
be refused before anything is written.

Segment action types (spec §4.6): I (incident report) on levels 1–6; D (delete) on the
administrative segment, which removes the incident; A (add) and D on Group B arrest reports
(level 7) and zero reports (level 0). W (time window, Appendix D) updates incidents held
outside the FBI's two-year window in an "orphan" table and never changes an incident, so it
is refused with that reason; any other letter (M and R of older or XML specifications) is
not a 2019.1 flat-file action type and is refused.

Speed matters (a million incidents is six million lines): fields are sliced from the line at
their positions and checked against frozen sets; nothing here runs a regular expression per
field or builds anything for a field that is blank.
"""

from collections.abc import Iterable, Iterator
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.screening import nibrs_codes as codes
from harbour.screening.records import (
    Arrest,
    GroupBArrest,
    Incident,
    IncidentDelete,
    Offence,
    Person,
    Problem,
    Record,
    Rejected,
    Relationship,
    ZeroReport,
)

SEGMENTS = {
    "0": gettext_lazy("zero report"),
    "1": gettext_lazy("administrative"),
    "2": gettext_lazy("offense"),
    "3": gettext_lazy("property"),
    "4": gettext_lazy("victim"),
    "5": gettext_lazy("offender"),
    "6": gettext_lazy("arrestee"),
    "7": gettext_lazy("Group B arrest report"),
}
# Segment lengths by level (spec §3.3.1, Segment Length).
LENGTHS = {
    "0": (43,),
    "1": (87, 88),
    "2": (63, 71),
    "3": (307,),
    "4": (129, 141),
    "5": (45, 46),
    "6": (110,),
    "7": (66,),
}
# Segment action types by level (spec §3.3.1 and §4.6).
ACTIONS = {"0": "AD", "1": "ID", "2": "I", "3": "I", "4": "I", "5": "I", "6": "I", "7": "AD"}
# Headers (positions 1–6) that are right as they stand -> the segment length they declare.
HEADERS = {
    f"{length:04d}{level}{action}": length
    for level, lengths in LENGTHS.items()
    for length in lengths
    for action in ACTIONS[level]
}
TIME_WINDOW = "W"
TIME_WINDOW_LEVELS = "136"  # Appendix D: administrative, property and arrestee segments

ORI_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
NUMBER_CHARACTERS = ORI_CHARACTERS | {"-"}
ZERO_REPORT_NUMBER = "0" * 12

# Field names, as the specification names them, with their data element numbers.
SEGMENT_LENGTH = gettext_lazy("segment length")
SEGMENT_LEVEL = gettext_lazy("segment level")
ACTION_TYPE = gettext_lazy("segment action type")
WHOLE_LINE = gettext_lazy("the whole line")
ORI = gettext_lazy("ORI (data element 1)")
INCIDENT_NUMBER = gettext_lazy("incident number (data element 2)")
INCIDENT_DATE = gettext_lazy("incident date (data element 3)")
REPORT_DATE_INDICATOR = gettext_lazy("report date indicator (data element 3)")
INCIDENT_HOUR = gettext_lazy("incident hour (data element 3)")
CLEARED_EXCEPTIONALLY = gettext_lazy("cleared exceptionally (data element 4)")
CLEARANCE_DATE = gettext_lazy("exceptional clearance date (data element 5)")
OFFENCE_CODE = gettext_lazy("UCR offense code (data element 6)")
ATTEMPTED_COMPLETED = gettext_lazy("offense attempted/completed (data element 7)")
SUSPECTED_OF_USING = gettext_lazy("offender suspected of using (data element 8)")
BIAS_MOTIVATION = gettext_lazy("bias motivation (data element 8A)")
LOCATION_TYPE = gettext_lazy("location type (data element 9)")
CRIMINAL_ACTIVITY = gettext_lazy("type criminal activity/gang information (data element 12)")
WEAPON_FORCE = gettext_lazy("type weapon/force involved (data element 13)")
PROPERTY_LOSS = gettext_lazy("type property loss (data element 14)")
VICTIM_NUMBER = gettext_lazy("victim sequence number (data element 23)")
VICTIM_OFFENCES = gettext_lazy("victim connected to UCR offense code (data element 24)")
VICTIM_TYPE = gettext_lazy("type of victim (data element 25)")
AGE = gettext_lazy("age (data elements 26, 37, 47)")
SEX = gettext_lazy("sex (data elements 27, 38, 48)")
RACE = gettext_lazy("race (data elements 28, 39, 49)")
ETHNICITY = gettext_lazy("ethnicity (data elements 29, 39A, 50)")
RESIDENT_STATUS = gettext_lazy("resident status (data elements 30, 51)")
CIRCUMSTANCES = gettext_lazy("aggravated assault/homicide circumstances (data element 31)")
JUSTIFIABLE_HOMICIDE = gettext_lazy(
    "additional justifiable homicide circumstances (data element 32)"
)
INJURY = gettext_lazy("type injury (data element 33)")
RELATED_OFFENDER = gettext_lazy("offender number to be related (data element 34)")
RELATIONSHIP = gettext_lazy("relationship of victim to offender (data element 35)")
OFFENDER_NUMBER = gettext_lazy("offender sequence number (data element 36)")
ARRESTEE_NUMBER = gettext_lazy("arrestee sequence number (data element 40)")
TRANSACTION_NUMBER = gettext_lazy("arrest transaction number (data element 41)")
ARREST_DATE = gettext_lazy("arrest date (data element 42)")
ARREST_TYPE = gettext_lazy("type of arrest (data element 43)")
MULTIPLE_ARRESTEES = gettext_lazy("multiple arrestee segments indicator (data element 44)")
ARREST_OFFENCE = gettext_lazy("UCR arrest offense code (data element 45)")
ARMED_WITH = gettext_lazy("arrestee was armed with (data element 46)")
DISPOSITION = gettext_lazy("disposition of arrestee under 18 (data element 52)")
ZERO_MONTH = gettext_lazy("zero report month")
ZERO_YEAR = gettext_lazy("zero report year")


_PRINTABLE_ASCII = bytes(range(32, 127))


def not_nibrs(first_line: bytes) -> str | None:
    """Why a file whose first non-blank line is ``first_line`` is not a NIBRS flat file, or
    None if it starts like one (a segment length, a level 0–7, an action letter)."""
    head = first_line.lstrip(b"\xef\xbb\xbf").rstrip(b"\r\n")
    if head.translate(None, _PRINTABLE_ASCII):
        return _("This is a binary file, or text that is not plain ASCII: not a NIBRS flat file.")
    if head.lstrip().startswith(b"<"):
        return _(
            "This looks like XML, not a NIBRS flat file. For NIBRS XML use --format nibrs-xml."
        )
    if head.lstrip().startswith((b"{", b"[")):
        return _("This looks like JSON, not a NIBRS flat file.")
    if len(head) < 6 or not head[:4].isdigit() or head[4:5] not in b"01234567":
        return _(
            "This is not a NIBRS flat file: its first line does not start with a segment "
            "length and a segment level (for example “0088” and “1”, NIBRS Technical "
            "Specification 2019.1, section 6)."
        )
    if not head[5:6].isalpha():
        return _(
            "This is not a NIBRS flat file: position 6 of its first line is not a segment "
            "action type."
        )
    return None


# Dates read so far: a file holds a few thousand distinct days, and each is read many times.
_DATES: dict[str, date] = {}


def _date(text: str) -> date | None:
    found = _DATES.get(text)
    if found is not None:
        return found
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        value = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    if len(_DATES) < 100_000:
        _DATES[text] = value
    return value


def _chars(text: str) -> tuple[str, ...]:
    """The non-blank one-character codes of a repeated field ("MB   " -> ("M", "B"))."""
    return tuple(text.replace(" ", ""))


class _Incident:
    """An incident being read: what has been parsed so far and what was wrong with it."""

    __slots__ = (
        "key",
        "line",
        "ori",
        "number",
        "incident",
        "problems",
        "level",
        "offence_codes",
        "victims",
        "offenders",
        "arrestees",
    )

    def __init__(self, key: str, line: int, ori: str, number: str):
        self.key = key
        self.line = line
        self.ori = ori
        self.number = number
        self.incident: Incident | None = None
        self.problems: list[Problem] = []
        self.level = "1"
        self.offence_codes: set[str] = set()
        self.victims: set[int] = set()
        self.offenders: set[int] = set()
        self.arrestees: set[int] = set()


def parse(lines: Iterable[bytes | str]) -> Iterator[Record]:
    """Yield the records of a NIBRS flat file, given its lines (bytes or text, with or
    without their line ends), numbered from 1."""
    current: _Incident | None = None
    for number, raw in enumerate(lines, 1):
        problems: list[Problem] = []
        if isinstance(raw, bytes):
            try:
                line = raw.decode("ascii")
            except UnicodeDecodeError:
                line = raw.decode("latin-1")
                problems.append(
                    Problem(number, "", str(WHOLE_LINE), "", _("The line is not plain ASCII text."))
                )
        else:
            line = raw
        line = line.rstrip("\r\n")
        if not line or line.isspace():
            continue
        level, key = line[4:5], line[16:37]
        if not problems:
            declared = HEADERS.get(line[:6])
            if declared is None or len(line) != declared:
                line = _header(line, number, problems)
        if (
            current is not None
            and key == current.key
            and (level in _SEGMENT_READERS or (problems and level != "1"))
        ):
            # The next segment of the incident being read (or an unreadable line that names
            # it, which then rejects the incident instead of standing alone).
            if problems:
                current.problems.extend(problems)
            elif level < current.level:
                current.problems.append(_out_of_order(number, level, current.level))
            else:
                current.level = level
                _SEGMENT_READERS[level](line, number, current)
            continue
        if current is not None:
            yield _finish(current)
            current = None
        ori, incident_number = line[16:25].strip(), line[25:37].strip()
        if level in _SEGMENT_READERS:
            # Segments of an incident whose administrative segment is not right before them:
            # reported once; the rest of them join the same rejected incident.
            current = _Incident(key, number, ori, incident_number)
            current.level = level
            current.problems.extend(problems)
            current.problems.append(_orphan(number, level, incident_number))
            if not problems:
                _SEGMENT_READERS[level](line, number, current)
        elif problems:
            if level == "1":
                current = _Incident(key, number, ori, incident_number)
                current.problems.extend(problems)
            else:
                yield Rejected(number, ori, incident_number, problems)
        elif level == "1" and line[5] == "D":
            yield _delete(line, number)
        elif level == "1":
            current = _Incident(key, number, ori, incident_number)
            _administrative(line, number, current)
        elif level == "0":
            yield _zero_report(line, number)
        else:
            yield _group_b(line, number)
    if current is not None:
        yield _finish(current)


def _out_of_order(number: int, level: str, previous: str) -> Problem:
    return Problem(
        number,
        str(SEGMENTS[level]),
        str(SEGMENT_LEVEL),
        "5",
        _(
            "The segments of an incident must come in level order (spec §4.5): this level "
            "%(level)s segment follows a level %(previous)s segment."
        )
        % {"level": level, "previous": previous},
    )


def _orphan(number: int, level: str, incident_number: str) -> Problem:
    return Problem(
        number,
        str(SEGMENTS[level]),
        str(INCIDENT_NUMBER),
        "26–37",
        _(
            "This %(segment)s segment belongs to incident %(number)s, but no administrative "
            "segment for that incident comes before it."
        )
        % {"segment": SEGMENTS[level], "number": incident_number or "—"},
    )


def _header(line: str, number: int, problems: list[Problem]) -> str:
    """Check positions 1–6 (length, level, action type) and return the line cut or padded
    to its segment length; what is wrong goes to ``problems``."""
    length, level, action = line[:4], line[4:5], line[5:6]
    if level not in LENGTHS or not level:
        problems.append(
            Problem(
                number,
                "",
                str(SEGMENT_LEVEL),
                "5",
                _("“%(value)s” is not a segment level (0 to 7).") % {"value": level},
            )
        )
        return line
    segment = SEGMENTS[level]
    if not length.isdigit() or int(length) not in LENGTHS[level]:
        problems.append(
            Problem(
                number,
                str(segment),
                str(SEGMENT_LENGTH),
                "1–4",
                _("A %(segment)s segment is %(expected)s characters long, not “%(value)s”.")
                % {
                    "segment": segment,
                    "expected": _(" or ").join(f"{n:04d}" for n in LENGTHS[level]),
                    "value": length,
                },
            )
        )
        return line
    declared = int(length)
    if len(line) > declared and line[declared:].strip():
        problems.append(
            Problem(
                number,
                str(segment),
                str(SEGMENT_LENGTH),
                "1–4",
                _("The line is %(actual)s characters long, but its segment length says %(value)s.")
                % {"actual": len(line), "value": declared},
            )
        )
        return line
    if action not in ACTIONS[level]:
        if action == TIME_WINDOW and level in TIME_WINDOW_LEVELS:
            reason = _(
                "W (time window) submissions update incidents held outside the FBI's "
                "two-year window and never change an incident (spec Appendix D); Harbour "
                "does not apply them. Send the whole incident again: D, then I."
            )
        else:
            reason = _(
                "“%(value)s” is not a segment action type of a %(segment)s segment (NIBRS "
                "2019.1 §4.6 allows %(expected)s)."
            ) % {"value": action, "segment": segment, "expected": ", ".join(ACTIONS[level])}
        problems.append(Problem(number, str(segment), str(ACTION_TYPE), "6", reason))
        return line
    # Records written by tools that trim trailing blanks are still read: the blanks are put
    # back (spec §4.2: every field starts as blanks).
    return line[:declared].ljust(declared)


def _bad(number: int, level: str, field, position: str, value: str, expected: str) -> Problem:
    return Problem(
        number,
        str(SEGMENTS[level]),
        str(field),
        position,
        _("“%(value)s” is not a valid value here (expected %(expected)s).")
        % {"value": value, "expected": expected},
    )


def _missing(number: int, level: str, field, position: str) -> Problem:
    return Problem(
        number, str(SEGMENTS[level]), str(field), position, _("This field must be filled in.")
    )


def _bad_date(number: int, level: str, field, position: str, value: str) -> Problem:
    return Problem(
        number,
        str(SEGMENTS[level]),
        str(field),
        position,
        _("“%(value)s” is not a date (YYYYMMDD).") % {"value": value},
    )


def _expected(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def _identify(line: str, number: int, level: str, problems: list[Problem]) -> tuple[str, str]:
    """ORI and incident number (or arrest transaction number) of a record's first line."""
    ori = line[16:25]
    if ori == "         " or not set(ori) <= ORI_CHARACTERS:
        problems.append(
            Problem(
                number,
                str(SEGMENTS[level]),
                str(ORI),
                "17–25",
                _("“%(value)s” is not an ORI (nine capital letters and digits).") % {"value": ori},
            )
        )
    raw = line[25:37]
    incident_number = raw.rstrip()
    if not incident_number or raw[0] == " " or not set(incident_number) <= NUMBER_CHARACTERS:
        field = TRANSACTION_NUMBER if level == "7" else INCIDENT_NUMBER
        problems.append(
            Problem(
                number,
                str(SEGMENTS[level]),
                str(field),
                "26–37",
                _(
                    "“%(value)s” is not a NIBRS incident number: up to 12 capital letters, "
                    "digits and hyphens, left-justified, with no blanks between them."
                )
                % {"value": raw},
            )
        )
    return ori.strip(), incident_number


def _delete(line: str, number: int) -> IncidentDelete | Rejected:
    # Spec §4.6.3: ORI and incident number say what to delete; the incident date is
    # mandatory for the FBI's two-year window, which Harbour does not keep.
    problems: list[Problem] = []
    ori, incident_number = _identify(line, number, "1", problems)
    if problems:
        return Rejected(number, ori, incident_number, problems)
    return IncidentDelete(ori, incident_number, number)


def _administrative(line: str, number: int, current: _Incident) -> None:
    p = current.problems
    ori, incident_number = _identify(line, number, "1", p)
    current.ori, current.number = ori, incident_number
    incident_date = _date(line[37:45])
    if incident_date is None:
        p.append(_bad_date(number, "1", INCIDENT_DATE, "38–45", line[37:45]))
    indicator = line[45]
    if indicator not in " R":
        p.append(_bad(number, "1", REPORT_DATE_INDICATOR, "46", indicator, "R " + _("or blank")))
    hour_text = line[46:48]
    hour = None
    if hour_text != "  ":
        if hour_text.isdigit() and int(hour_text) < 24:
            hour = int(hour_text)
        else:
            p.append(_bad(number, "1", INCIDENT_HOUR, "47–48", hour_text, "00–23"))
    cleared = line[48]
    if cleared not in codes.CLEARED_EXCEPTIONALLY:
        p.append(
            _bad(
                number,
                "1",
                CLEARED_EXCEPTIONALLY,
                "49",
                cleared,
                _expected(codes.CLEARED_EXCEPTIONALLY),
            )
        )
    clearance_text = line[49:57]
    clearance_date = None
    if clearance_text != "        ":
        clearance_date = _date(clearance_text)
        if clearance_date is None:
            p.append(_bad_date(number, "1", CLEARANCE_DATE, "50–57", clearance_text))
    if p or incident_date is None:
        return
    current.incident = Incident(
        ori=ori,
        incident_number=incident_number,
        incident_date=incident_date,
        line=number,
        incident_hour=hour,
        incident_date_is_report_date=indicator == "R",
        reported_date=incident_date if indicator == "R" else None,
        cleared_exceptionally=cleared,
        exceptional_clearance_date=clearance_date,
    )


def _offense(line: str, number: int, current: _Incident) -> None:
    p = current.problems
    code = line[37:40]
    if code not in codes.GROUP_A_OFFENCES:
        p.append(
            Problem(
                number,
                str(SEGMENTS["2"]),
                str(OFFENCE_CODE),
                "38–40",
                _("“%(value)s” is not a Group A offense code (spec Appendix A).") % {"value": code},
            )
        )
    elif code in current.offence_codes:
        p.append(
            Problem(
                number,
                str(SEGMENTS["2"]),
                str(OFFENCE_CODE),
                "38–40",
                _("Offense %(value)s appears twice in this incident.") % {"value": code},
            )
        )
    current.offence_codes.add(code)
    completed = line[40]
    if completed not in codes.ATTEMPTED_COMPLETED:
        p.append(_bad(number, "2", ATTEMPTED_COMPLETED, "41", completed, "A, C"))
    using = _chars(line[41:44])
    for c in using:
        if c not in codes.SUSPECTED_OF_USING:
            p.append(
                _bad(
                    number, "2", SUSPECTED_OF_USING, "42–44", c, _expected(codes.SUSPECTED_OF_USING)
                )
            )
    location = line[44:46]
    if location not in codes.LOCATION_TYPES:
        p.append(_bad(number, "2", LOCATION_TYPE, "45–46", location, "01–25, 37–42, 44–58"))
    activity = _chars(line[49:52])
    for c in activity:
        if c not in codes.CRIMINAL_ACTIVITY:
            p.append(
                _bad(number, "2", CRIMINAL_ACTIVITY, "50–52", c, _expected(codes.CRIMINAL_ACTIVITY))
            )
    weapons: list[str] = []
    for start in (52, 55, 58):
        weapon, automatic = line[start : start + 2], line[start + 2]
        if weapon == "  " and automatic == " ":
            continue
        if weapon not in codes.WEAPON_FORCE or automatic not in " A":
            p.append(
                _bad(
                    number,
                    "2",
                    WEAPON_FORCE,
                    f"{start + 1}–{start + 3}",
                    weapon + automatic,
                    _expected(codes.WEAPON_FORCE) + _(", followed by A (automatic) or blank"),
                )
            )
        weapons.append(weapon + automatic if automatic == "A" else weapon)
    bias: list[str] = []
    for start in range(61, len(line) - 1, 2):
        motivation = line[start : start + 2]
        if motivation == "  " and start > 61:
            continue
        if motivation not in codes.BIAS_MOTIVATIONS:
            p.append(
                _bad(
                    number,
                    "2",
                    BIAS_MOTIVATION,
                    f"{start + 1}–{start + 2}",
                    motivation,
                    _expected(codes.BIAS_MOTIVATIONS),
                )
            )
        bias.append(motivation)
    if p or current.incident is None:
        return
    current.incident.offences.append(
        Offence(
            nibrs_code=code,
            completed=completed == "C",
            location_type=location,
            offender_suspected_of_using=using,
            criminal_activity_codes=activity,
            weapon_force_codes=tuple(weapons),
            bias_motivation_codes=tuple(bias),
        )
    )


def _property(line: str, number: int, current: _Incident) -> None:
    # Property is not kept (victim services need none of it), but a property segment that
    # cannot be read still makes the incident unreadable.
    loss = line[37]
    if loss not in codes.PROPERTY_LOSS:
        current.problems.append(_bad(number, "3", PROPERTY_LOSS, "38", loss, "1–8"))


def _sequence(
    text: str, number: int, level: str, field, position: str, seen: set[int], zero_ok: bool
) -> tuple[int | None, Problem | None]:
    if not text.isdigit() or (not zero_ok and int(text) == 0):
        low = "0" * len(text) if zero_ok else "0" * (len(text) - 1) + "1"
        return None, _bad(number, level, field, position, text, f"{low}–{'9' * len(text)}")
    value = int(text)
    if value in seen:
        return None, Problem(
            number,
            str(SEGMENTS[level]),
            str(field),
            position,
            _("Sequence number %(value)s appears twice in this incident.") % {"value": text},
        )
    seen.add(value)
    return value, None


# The same, blank allowed: one test per field on the way through.
_SEXES = codes.SEXES | {" "}
_RACES = codes.RACES | {" "}
_ETHNICITIES = codes.ETHNICITIES | {" "}
_RESIDENT_STATUSES = codes.RESIDENT_STATUSES | {" "}


def _demographics(
    line: str, number: int, level: str, at: int, p: list[Problem], resident: bool
) -> tuple[str, int | None, int | None, str, str, str, str]:
    """Age (4 positions from ``at``), sex, race, ethnicity and, for victims and
    arrestees, resident status: the same codes in victim, offender and arrestee segments."""
    age_code = line[at : at + 4].strip()
    try:
        low, high = codes.parse_age(age_code)
    except ValueError:
        p.append(
            _bad(
                number,
                level,
                AGE,
                f"{at + 1}–{at + 4}",
                line[at : at + 4],
                _("01–99, a range such as 2530, NN, NB, BB or 00"),
            )
        )
        low = high = None
    sex, race = line[at + 4], line[at + 5]
    ethnicity = line[at + 6 : at + 7] or " "
    status = line[at + 7] if resident else " "
    if (
        sex not in _SEXES
        or race not in _RACES
        or ethnicity not in _ETHNICITIES
        or status not in _RESIDENT_STATUSES
    ):
        for value, allowed, field, offset in (
            (sex, codes.SEXES, SEX, 5),
            (race, codes.RACES, RACE, 6),
            (ethnicity, codes.ETHNICITIES, ETHNICITY, 7),
            (status, codes.RESIDENT_STATUSES, RESIDENT_STATUS, 8),
        ):
            if value != " " and value not in allowed:
                p.append(_bad(number, level, field, str(at + offset), value, _expected(allowed)))
    return (
        age_code,
        low,
        high,
        sex.strip(),
        race.strip(),
        ethnicity.strip(),
        status.strip(),
    )


def _victim(line: str, number: int, current: _Incident) -> None:
    p = current.problems
    sequence, problem = _sequence(
        line[37:40], number, "4", VICTIM_NUMBER, "38–40", current.victims, zero_ok=False
    )
    if problem:
        p.append(problem)
    connected = line[40:70].rstrip()
    offence_codes = tuple(
        code
        for code in (connected[i : i + 3] for i in range(0, len(connected), 3))
        if code != "   "
    )
    if not offence_codes:
        p.append(_missing(number, "4", VICTIM_OFFENCES, "41–70"))
    for code in offence_codes:
        if code not in current.offence_codes:
            p.append(
                Problem(
                    number,
                    str(SEGMENTS["4"]),
                    str(VICTIM_OFFENCES),
                    "41–70",
                    _(
                        "The victim is connected to offense “%(value)s”, which this incident "
                        "has no offense segment for."
                    )
                    % {"value": code},
                )
            )
    victim_type = line[70]
    if victim_type not in codes.VICTIM_TYPES:
        p.append(_bad(number, "4", VICTIM_TYPE, "71", victim_type, _expected(codes.VICTIM_TYPES)))
    age_code, low, high, sex, race, ethnicity, status = _demographics(
        line, number, "4", 71, p, resident=True
    )
    circumstances = tuple(c for c in (line[79:81], line[81:83]) if c != "  ")
    for c in circumstances:
        if c not in codes.CIRCUMSTANCES:
            p.append(_bad(number, "4", CIRCUMSTANCES, "80–83", c, _expected(codes.CIRCUMSTANCES)))
    justifiable = line[83]
    if justifiable != " " and justifiable not in codes.JUSTIFIABLE_HOMICIDE:
        p.append(_bad(number, "4", JUSTIFIABLE_HOMICIDE, "84", justifiable, "A–G"))
    injuries = _chars(line[84:89])
    for c in injuries:
        if c not in codes.INJURIES:
            p.append(_bad(number, "4", INJURY, "85–89", c, _expected(codes.INJURIES)))
    relationships = []
    for start in range(89, 89 + len(line[89:129].rstrip()), 4):
        offender, code = line[start : start + 2], line[start + 2 : start + 4]
        if offender == "  " and code == "  ":
            continue
        if not offender.isdigit():
            p.append(
                _bad(number, "4", RELATED_OFFENDER, f"{start + 1}–{start + 2}", offender, "00–99")
            )
            continue
        if code == "  ":
            continue  # "00" alone: the offender is unknown, so is the relationship
        if code not in codes.RELATIONSHIPS:
            p.append(
                _bad(
                    number,
                    "4",
                    RELATIONSHIP,
                    f"{start + 3}–{start + 4}",
                    code,
                    _expected(codes.RELATIONSHIPS),
                )
            )
            continue
        relationships.append(Relationship(int(offender), code))
    if p or current.incident is None or sequence is None:
        return
    current.incident.people.append(
        Person(
            role="victim",
            sequence_number=sequence,
            victim_type=victim_type,
            age_code=age_code,
            age_low=low,
            age_high=high,
            sex=sex,
            race=race,
            ethnicity=ethnicity,
            resident_status=status,
            injury_codes=injuries,
            circumstance_codes=circumstances,
            justifiable_homicide_circumstance=justifiable.strip(),
            offence_codes=offence_codes,
            relationships=tuple(relationships),
        )
    )


def _offender(line: str, number: int, current: _Incident) -> None:
    p = current.problems
    # 00 is "unknown offender" (spec data element 36).
    sequence, problem = _sequence(
        line[37:39], number, "5", OFFENDER_NUMBER, "38–39", current.offenders, zero_ok=True
    )
    if problem:
        p.append(problem)
    age_code, low, high, sex, race, ethnicity, _status = _demographics(
        line, number, "5", 39, p, resident=False
    )
    if p or current.incident is None or sequence is None:
        return
    current.incident.people.append(
        Person(
            role="offender",
            sequence_number=sequence,
            age_code=age_code,
            age_low=low,
            age_high=high,
            sex=sex,
            race=race,
            ethnicity=ethnicity,
        )
    )


def _armed_with(line: str, number: int, level: str, at: int, p: list[Problem]) -> tuple[str, ...]:
    armed = []
    for start in (at, at + 3):
        weapon, automatic = line[start : start + 2], line[start + 2]
        if weapon == "  " and automatic == " " and start > at:
            continue
        if weapon not in codes.ARMED_WITH or automatic not in " A":
            p.append(
                _bad(
                    number,
                    level,
                    ARMED_WITH,
                    f"{start + 1}–{start + 3}",
                    weapon + automatic,
                    _expected(codes.ARMED_WITH) + _(", followed by A (automatic) or blank"),
                )
            )
        armed.append(weapon + automatic if automatic == "A" else weapon)
    return tuple(armed)


def _arrestee(line: str, number: int, current: _Incident) -> None:
    p = current.problems
    sequence, problem = _sequence(
        line[37:39], number, "6", ARRESTEE_NUMBER, "38–39", current.arrestees, zero_ok=False
    )
    if problem:
        p.append(problem)
    transaction = line[39:51].strip()
    if not transaction:
        p.append(_missing(number, "6", TRANSACTION_NUMBER, "40–51"))
    arrest_date = _date(line[51:59])
    if arrest_date is None:
        p.append(_bad_date(number, "6", ARREST_DATE, "52–59", line[51:59]))
    arrest_type = line[59]
    if arrest_type not in codes.ARREST_TYPES:
        p.append(_bad(number, "6", ARREST_TYPE, "60", arrest_type, _expected(codes.ARREST_TYPES)))
    multiple = line[60]
    if multiple not in codes.MULTIPLE_ARRESTEES:
        p.append(
            _bad(
                number, "6", MULTIPLE_ARRESTEES, "61", multiple, _expected(codes.MULTIPLE_ARRESTEES)
            )
        )
    offence = line[61:64]
    if offence not in codes.GROUP_A_OFFENCES and offence not in codes.GROUP_B_OFFENCES:
        p.append(
            _bad(number, "6", ARREST_OFFENCE, "62–64", offence, _("an offense code of Appendix A"))
        )
    armed = _armed_with(line, number, "6", 64, p)
    age_code, low, high, sex, race, ethnicity, status = _demographics(
        line, number, "6", 70, p, resident=True
    )
    disposition = line[78]
    if disposition != " " and disposition not in codes.DISPOSITIONS_UNDER_18:
        p.append(_bad(number, "6", DISPOSITION, "79", disposition, "H, R"))
    if p or current.incident is None or sequence is None:
        return
    current.incident.people.append(
        Person(
            role="arrestee",
            sequence_number=sequence,
            age_code=age_code,
            age_low=low,
            age_high=high,
            sex=sex,
            race=race,
            ethnicity=ethnicity,
            resident_status=status,
            arrest=Arrest(
                transaction_number=transaction,
                arrest_date=arrest_date,
                arrest_type=arrest_type,
                offence_code=offence,
                armed_with_codes=armed,
            ),
        )
    )


_SEGMENT_READERS = {
    "2": _offense,
    "3": _property,
    "4": _victim,
    "5": _offender,
    "6": _arrestee,
}


def _finish(current: _Incident) -> Incident | Rejected:
    """The incident read, or its rejection: every problem of its segments, and a missing
    offense, victim or offender segment (spec error 075)."""
    p = current.problems
    incident = current.incident
    if not p and incident is not None:
        missing = [
            str(SEGMENTS[level])
            for level, present in (
                ("2", incident.offences),
                ("4", current.victims),
                ("5", current.offenders),
            )
            if not present
        ]
        if missing:
            p.append(
                Problem(
                    current.line,
                    str(SEGMENTS["1"]),
                    str(SEGMENT_LEVEL),
                    "5",
                    _(
                        "An incident needs at least one offense, victim and offender segment "
                        "(spec error 075); incident %(number)s has no %(missing)s segment."
                    )
                    % {"number": current.number, "missing": _(" or ").join(missing)},
                )
            )
    if p or incident is None:
        if not p:  # pragma: no cover (an incident is only missing after a problem)
            raise AssertionError("incident missing without a problem")
        return Rejected(current.line, current.ori, current.number, p)
    incident.location_type = incident.offences[0].location_type
    incident.weapon, incident.injury, incident.strangulation = codes.flags(
        incident.offences, incident.people
    )
    return incident


def _zero_report(line: str, number: int) -> ZeroReport | Rejected:
    p: list[Problem] = []
    ori, incident_number = _identify(line, number, "0", p)
    if line[25:37] != ZERO_REPORT_NUMBER:
        p.append(
            Problem(
                number,
                str(SEGMENTS["0"]),
                str(INCIDENT_NUMBER),
                "26–37",
                _("A zero report's incident number must be twelve zeros (spec error 092)."),
            )
        )
    month_text, year_text = line[37:39], line[39:43]
    if not month_text.isdigit() or not 1 <= int(month_text) <= 12:
        p.append(_bad(number, "0", ZERO_MONTH, "38–39", month_text, "01–12"))
    if not year_text.isdigit() or int(year_text) < 1991:
        p.append(_bad(number, "0", ZERO_YEAR, "40–43", year_text, _("a year from 1991")))
    if p:
        return Rejected(number, ori, incident_number, p)
    return ZeroReport(ori, int(year_text), int(month_text), number, delete=line[5] == "D")


def _group_b(line: str, number: int) -> GroupBArrest | Rejected:
    p: list[Problem] = []
    ori, transaction = _identify(line, number, "7", p)
    delete = line[5] == "D"
    arrest_date = _date(line[39:47])
    if arrest_date is None:
        p.append(_bad_date(number, "7", ARREST_DATE, "40–47", line[39:47]))
    if not delete:
        # Spec §4.6.3: a delete needs only the ORI, transaction number and arrest date.
        _sequence_number, problem = _sequence(
            line[37:39], number, "7", ARRESTEE_NUMBER, "38–39", set(), zero_ok=False
        )
        if problem:
            p.append(problem)
        arrest_type = line[47]
        if arrest_type not in codes.ARREST_TYPES:
            p.append(
                _bad(number, "7", ARREST_TYPE, "48", arrest_type, _expected(codes.ARREST_TYPES))
            )
        offence = line[48:51]
        if offence not in codes.GROUP_B_OFFENCES:
            p.append(
                _bad(
                    number, "7", ARREST_OFFENCE, "49–51", offence, _expected(codes.GROUP_B_OFFENCES)
                )
            )
        _armed_with(line, number, "7", 51, p)
        _demographics(line, number, "7", 57, p, resident=True)
        disposition = line[65]
        if disposition != " " and disposition not in codes.DISPOSITIONS_UNDER_18:
            p.append(_bad(number, "7", DISPOSITION, "66", disposition, "H, R"))
    if p:
        return Rejected(number, ori, transaction, p)
    return GroupBArrest(ori, transaction, number, delete=delete)
