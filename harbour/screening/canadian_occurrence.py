"""What an occurrence in Harbour's own CSV and JSON formats must say, checked value by value
(docs/format-occurrences.md): the one checker both formats share, for screening.canadian,
which reads the files. A JSON occurrence comes here as decoded; a CSV occurrence's rows are
gathered into the same shape first, their cells still text. ``Source`` says which, and where
each value is in the file, so each problem names its line and either its JSON pointer
("/occurrences/4/people/0/age") or its CSV row and column.
"""

import re
from collections.abc import Callable
from datetime import date, datetime

from django.utils.translation import gettext as _

from harbour.screening import nibrs_codes, taxonomy
from harbour.screening.records import (
    Incident,
    IncidentDelete,
    Offence,
    Person,
    Problem,
    Record,
    Rejected,
    Relationship,
)

Warn = Callable[[Problem], None]

# The format's roles -> screening's (constants.PersonRole): NIBRS says offender, Canadian
# records systems say accused.
ROLES = {
    "victim": "victim",
    "accused": "offender",
    "witness": "witness",
    "complainant": "complainant",
}
SEXES = ("F", "M", "X", "U")
ACTIONS = ("insert", "delete")
# Every victim in these formats is a person: NIBRS victim type I (individual).
INDIVIDUAL = "I"
NAME_LENGTH = 100
SEQUENCE_MAX = 999
AGE_MAX = 120

FLAG_FIELDS = ("weapon", "injury", "strangulation", "children_present")
OCCURRENCE_FIELDS = (
    "police_service",
    "occurrence_number",
    "action",
    "reported_at",
    "occurred_at",
    "location_type",
    "flags",
    "offences",
    "people",
    "relationships",
)
OFFENCE_FIELDS = ("ucr2_code", "nibrs_code", "attempted")
PERSON_FIELDS = (
    "role",
    "sequence",
    "given_name",
    "family_name",
    "date_of_birth",
    "age",
    "sex",
    "offences",
)
RELATIONSHIP_FIELDS = ("victim", "accused", "category")
DELETE_FIELDS = ("police_service", "occurrence_number", "action")
LISTS = ("offences", "people", "relationships")

SERVICE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
NUMBER_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-/._")
LOCATION_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
TRUE_WORDS = frozenset({"y", "yes", "true", "1"})
FALSE_WORDS = frozenset({"n", "no", "false", "0"})
_LIST_SEPARATORS = re.compile(r"[;,\s]+")


class Source:
    """Where an occurrence's values are in the file, and how its plain values are written:
    JSON has types (true, 3, ["1430"]), CSV only text ("Y", "3", "1430;1627")."""

    typed = True

    def locate(self, path: tuple) -> tuple[int, str, str]:
        """(line, segment, position) of the value at ``path`` inside the occurrence."""
        raise NotImplementedError


class JsonSource(Source):
    def __init__(self, index: int, line: int):
        self.index = index
        self.line = line

    def locate(self, path: tuple) -> tuple[int, str, str]:
        steps = "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)
        return self.line, f"/occurrences/{self.index}{steps}", ""


class Row:
    __slots__ = ("line", "record", "cells")

    def __init__(self, line: int, record: str, cells: dict[str, str]):
        self.line = line
        self.record = record
        self.cells = cells


class CsvSource(Source):
    typed = False

    def __init__(
        self, letters: dict[str, dict[str, str]], occurrence: Row, children: dict[str, list[Row]]
    ):
        # letters: for each record type, the column letter of each column its rows use.
        self.letters = letters
        self.occurrence = occurrence
        self.children = children

    def locate(self, path: tuple) -> tuple[int, str, str]:
        row, rest = self.occurrence, path
        if len(path) >= 2 and path[0] in self.children and isinstance(path[1], int):
            row, rest = self.children[path[0]][path[1]], path[2:]
        elif path[:1] == ("flags",):
            rest = path[1:]
        column = rest[0] if rest and isinstance(rest[0], str) else ""
        return row.line, row.record, self.letters.get(row.record, {}).get(column, "")


class OccurrenceReader:
    """One occurrence read into a record: every value checked, every problem kept."""

    def __init__(self, source: Source, data: object, line: int, on_warning: Warn | None):
        self.source = source
        self.data = data
        self.line = line
        self.on_warning = on_warning
        self.problems: list[Problem] = []
        self.ori = ""
        self.number = ""

    def problem(self, path: tuple, reason: str) -> None:
        line, segment, position = self.source.locate(path)
        field = next((step for step in reversed(path) if isinstance(step, str)), "")
        self.problems.append(Problem(line, segment, field, position, reason))

    # ---- plain values: each returns None (and says why) when it cannot be read ----

    def text(self, value: object, path: tuple, required: bool = False) -> str | None:
        if value is None or value == "":
            if required:
                self.problem(path, _("This field must be filled in."))
            return None
        if not isinstance(value, str):
            self.problem(path, _("This must be text (in quotes)."))
            return None
        value = value.strip()
        if not value and required:
            self.problem(path, _("This field must be filled in."))
        return value or None

    def boolean(self, value: object, path: tuple) -> bool | None:
        if value is None or value == "" and not self.source.typed:
            return None
        if self.source.typed:
            if isinstance(value, bool):
                return value
            self.problem(path, _("This must be true, false or null."))
            return None
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.problem(
            path,
            _("“%(value)s” is not yes or no (expected Y, N, or blank for not known).")
            % {"value": value},
        )
        return None

    def integer(self, value: object, path: tuple, low: int, high: int, required: bool = False):
        if value is None or value == "":
            if required:
                self.problem(path, _("This field must be filled in."))
            return None
        if self.source.typed:
            number = value if isinstance(value, int) and not isinstance(value, bool) else None
        else:
            text = str(value).strip()
            number = int(text) if text.isascii() and text.isdigit() else None
        if number is None or not low <= number <= high:
            self.problem(
                path,
                _("“%(value)s” is not a whole number from %(low)s to %(high)s.")
                % {"value": value, "low": low, "high": high},
            )
            return None
        return number

    def day(self, value: object, path: tuple) -> date | None:
        text = self.text(value, path)
        if text is None:
            return None
        found = iso_date(text)
        if found is None and path[-1] == "date_of_birth":
            # Never quoted: a rejection's reason is stored and shown as plain text, and a
            # date of birth is the person's (names are never quoted either).
            self.problem(path, _("The date of birth is not a date (YYYY-MM-DD)."))
        elif found is None:
            self.problem(path, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})
        return found

    def moment(self, value: object, path: tuple) -> tuple[date, int | None] | None:
        """A date, or a local date and time: (the date, the hour or None)."""
        text = self.text(value, path)
        if text is None:
            return None
        if len(text) == 10:
            found = iso_date(text)
            if found is not None:
                return found, None
        elif len(text) >= 16 and text[10] in "T " and text[13] == ":" and iso_date(text[:10]):
            try:
                stamp = datetime.fromisoformat(text[:10] + "T" + text[11:])
            except ValueError:
                stamp = None
            if stamp is not None:
                if stamp.utcoffset() is not None and not stamp.utcoffset():
                    self.problem(
                        path,
                        _(
                            "“%(value)s” is in UTC. Give the police service's local time, for "
                            "example 2024-03-01T21:30-04:00 or 2024-03-01T21:30."
                        )
                        % {"value": text},
                    )
                    return None
                return stamp.date(), stamp.hour
        self.problem(
            path,
            _("“%(value)s” is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDThh:mm).")
            % {"value": text},
        )
        return None

    def codes(self, value: object, path: tuple) -> tuple[str, ...]:
        if value is None or value == "":
            return ()
        if not self.source.typed:
            return tuple(code for code in _LIST_SEPARATORS.split(str(value)) if code)
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            self.problem(path, _('This must be a list of codes in quotes, such as ["1430"].'))
            return ()
        return tuple(code.strip() for code in value)

    def objects(self, value: object, path: tuple) -> list[dict]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, _("This must be a list ([…])."))
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append(item)
            else:
                self.problem((*path, index), _("This must be an object ({…})."))
        return found

    def known(self, data: dict, path: tuple, fields: tuple[str, ...]) -> None:
        """JSON: a field the format does not have is a mistake (a misspelled name), not
        something to skip."""
        if not self.source.typed:
            return  # CSV: a column's record type is checked with its row
        for key in data:
            if key not in fields:
                self.problem(
                    (*path, key),
                    _("“%(field)s” is not a field here (expected %(expected)s).")
                    % {"field": key, "expected": ", ".join(fields)},
                )

    # ---- the occurrence ----

    def read(self) -> Record:
        data = self.data
        if not isinstance(data, dict):
            self.problem((), _("An occurrence must be an object ({…})."))
            return self.rejected()
        self.known(data, (), OCCURRENCE_FIELDS)
        service = self.text(data.get("police_service"), ("police_service",), required=True)
        if service is not None:
            service = service.upper()
            if len(service) > 20 or not set(service) <= SERVICE_CHARACTERS:
                self.problem(
                    ("police_service",),
                    _(
                        "“%(value)s” is not a police service identifier: up to 20 letters, "
                        "digits and hyphens."
                    )
                    % {"value": service},
                )
            self.ori = service
        number = self.text(data.get("occurrence_number"), ("occurrence_number",), required=True)
        if number is not None:
            if len(number) > 40 or not set(number) <= NUMBER_CHARACTERS:
                self.problem(
                    ("occurrence_number",),
                    _(
                        "“%(value)s” is not an occurrence number: up to 40 letters, digits and "
                        "the characters - / . _ (no spaces)."
                    )
                    % {"value": number},
                )
            self.number = number
        action = self.text(data.get("action"), ("action",)) or "insert"
        if action not in ACTIONS:
            self.problem(
                ("action",),
                _("“%(value)s” is not an action (expected insert or delete).") % {"value": action},
            )
        if action == "delete":
            return self.delete(data)
        incident = self.incident(data)
        if self.problems or incident is None:
            return self.rejected()
        return incident

    def rejected(self) -> Rejected:
        return Rejected(self.line, self.ori, self.number, self.problems)

    def delete(self, data: dict) -> Record:
        for key, value in data.items():
            if key in DELETE_FIELDS or key not in OCCURRENCE_FIELDS or value in (None, "", []):
                continue
            # Point at the first offence, person or relationship (in a CSV file, its row).
            where = (key, 0) if key in LISTS and isinstance(value, list) else (key,)
            self.problem(
                where,
                _(
                    "An occurrence to delete carries only police_service, occurrence_number "
                    "and action; remove this."
                ),
            )
        if self.problems:
            return self.rejected()
        return IncidentDelete(self.ori, self.number, self.line)

    def incident(self, data: dict) -> Incident | None:
        occurred = self.moment(data.get("occurred_at"), ("occurred_at",))
        reported = self.moment(data.get("reported_at"), ("reported_at",))
        if data.get("occurred_at") in (None, "") and data.get("reported_at") in (None, ""):
            self.problem(("occurred_at",), _("Give occurred_at, reported_at or both."))
        location = self.text(data.get("location_type"), ("location_type",))
        if location is not None and (len(location) > 4 or not set(location) <= LOCATION_CHARACTERS):
            self.problem(
                ("location_type",),
                _("“%(value)s” is not a location type code: up to 4 letters and digits.")
                % {"value": location},
            )
        flags = self.flags(data.get("flags"))
        offences = self.offences(data.get("offences"))
        people = self.people(data.get("people"), offences)
        self.relationships(data.get("relationships"), people)
        when = occurred or reported
        if when is None:
            return None
        for path, person in people:
            self.age(path, person, when[0])
        for offence in offences:
            offence.location_type = location or ""
        return Incident(
            ori=self.ori,
            incident_number=self.number,
            incident_date=when[0],
            line=self.line,
            incident_hour=when[1],
            incident_date_is_report_date=occurred is None,
            reported_date=reported[0] if reported else None,
            location_type=location or "",
            offences=offences,
            people=[person for _path, person in people],
            weapon=flags.get("weapon"),
            injury=flags.get("injury"),
            strangulation=flags.get("strangulation"),
            children_present=flags.get("children_present"),
        )

    def flags(self, value: object) -> dict[str, bool | None]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(("flags",), _("This must be an object ({…})."))
            return {}
        self.known(value, ("flags",), FLAG_FIELDS)
        return {name: self.boolean(value.get(name), ("flags", name)) for name in FLAG_FIELDS}

    def offences(self, value: object) -> list[Offence]:
        found: list[Offence] = []
        items = self.objects(value, ("offences",))
        if not value:
            self.problem(("offences",), _("An occurrence needs at least one offence."))
        seen: set[str] = set()
        for index, item in enumerate(items):
            path = ("offences", index)
            self.known(item, path, OFFENCE_FIELDS)
            code = self.ucr2_code(item.get("ucr2_code"), (*path, "ucr2_code"))
            if code is not None and code in seen:
                self.problem(
                    (*path, "ucr2_code"),
                    _("Violation %(value)s appears twice in this occurrence.") % {"value": code},
                )
            nibrs = self.text(item.get("nibrs_code"), (*path, "nibrs_code"))
            if nibrs is not None and nibrs not in nibrs_codes.GROUP_A_OFFENCES:
                self.problem(
                    (*path, "nibrs_code"),
                    _("“%(value)s” is not a NIBRS Group A offense code.") % {"value": nibrs},
                )
            attempted = self.boolean(item.get("attempted"), (*path, "attempted"))
            if code is not None:
                seen.add(code)
                found.append(
                    Offence(
                        nibrs_code=nibrs or "",
                        ucr2_code=code,
                        completed=None if attempted is None else not attempted,
                    )
                )
        return found

    def ucr2_code(self, value: object, path: tuple) -> str | None:
        code = self.text(value, path, required=True)
        if code is None:
            return None
        if taxonomy.is_ucr2_aggregate(code):
            self.problem(
                path,
                _(
                    "%(value)s is a Statistics Canada total, not a violation: give the "
                    "four-digit UCR2 violation code."
                )
                % {"value": code},
            )
            return None
        if len(code) != 4 or not code.isascii() or not code.isdigit():
            self.problem(
                path,
                _("“%(value)s” is not a UCR2 violation code (four digits, such as 1430).")
                % {"value": code},
            )
            return None
        if taxonomy.ucr2_violation(code) is None and self.on_warning is not None:
            line, segment, position = self.source.locate(path)
            self.on_warning(
                Problem(
                    line,
                    segment,
                    "ucr2_code",
                    position,
                    _(
                        "UCR2 violation %(value)s is not in Harbour's list: it is kept, but "
                        "counts in no offence category until an administrator adds it to the "
                        "taxonomy."
                    )
                    % {"value": code},
                )
            )
        return code

    def people(self, value: object, offences: list[Offence]) -> list[tuple[tuple, Person]]:
        # Victims are connected to offences by UCR2 code; the record names each offence by
        # its NIBRS code where it has one (screening.records).
        codes = {offence.ucr2_code: offence.nibrs_code or offence.ucr2_code for offence in offences}
        found: list[tuple[tuple, Person]] = []
        seen: set[tuple[str, int]] = set()
        for index, item in enumerate(self.objects(value, ("people",))):
            path = ("people", index)
            self.known(item, path, PERSON_FIELDS)
            role = self.text(item.get("role"), (*path, "role"), required=True)
            if role is not None and role not in ROLES:
                self.problem(
                    (*path, "role"),
                    _(
                        "“%(value)s” is not a role (expected victim, accused, witness or "
                        "complainant)."
                    )
                    % {"value": role},
                )
                role = None
            sequence = self.integer(
                item.get("sequence"), (*path, "sequence"), 1, SEQUENCE_MAX, required=True
            )
            if role is not None and sequence is not None:
                if (role, sequence) in seen:
                    self.problem(
                        (*path, "sequence"),
                        _("There are two people with role %(role)s and sequence %(value)s.")
                        % {"role": role, "value": sequence},
                    )
                seen.add((role, sequence))
            sex = self.text(item.get("sex"), (*path, "sex"))
            if sex is not None and sex not in SEXES:
                self.problem(
                    (*path, "sex"),
                    _("“%(value)s” is not a sex (expected F, M, X or U).") % {"value": sex},
                )
            names = [
                self.text(item.get(name), (*path, name)) for name in ("given_name", "family_name")
            ]
            for name, text in zip(("given_name", "family_name"), names, strict=True):
                if text is not None and len(text) > NAME_LENGTH:
                    self.problem(
                        (*path, name),
                        _("A name may be at most %(count)s characters long.")
                        % {"count": NAME_LENGTH},
                    )
            links = self.codes(item.get("offences"), (*path, "offences"))
            if links and role != "victim":
                self.problem(
                    (*path, "offences"),
                    _("Only victims are connected to offences; leave this empty."),
                )
            for code in links:
                if code not in codes:
                    self.problem(
                        (*path, "offences"),
                        _(
                            "The victim is connected to violation %(value)s, which is not one "
                            "of this occurrence's offences."
                        )
                        % {"value": code},
                    )
            person = Person(
                role=ROLES.get(role or "", ""),
                sequence_number=sequence or 0,
                given_name=names[0],
                family_name=names[1],
                date_of_birth=self.day(item.get("date_of_birth"), (*path, "date_of_birth")),
                sex=sex or "",
            )
            age = self.integer(item.get("age"), (*path, "age"), 0, AGE_MAX)
            if age is not None:
                person.age_code, person.age_low, person.age_high = str(age), age, age
            if role == "victim":
                person.victim_type = INDIVIDUAL
                # Not said: the victim of every offence in the occurrence.
                chosen = dict.fromkeys(links) if links else codes
                person.offence_codes = tuple(codes[code] for code in chosen if code in codes)
            found.append((path, person))
        return found

    def relationships(self, value: object, people: list[tuple[tuple, Person]]) -> None:
        victims = {p.sequence_number: p for _path, p in people if p.role == "victim"}
        accused = {p.sequence_number for _path, p in people if p.role == "offender"}
        categories = taxonomy.taxonomy().relationships["ucr2"]
        links: dict[int, list[Relationship]] = {}
        for index, item in enumerate(self.objects(value, ("relationships",))):
            path = ("relationships", index)
            self.known(item, path, RELATIONSHIP_FIELDS)
            victim = self.integer(item.get("victim"), (*path, "victim"), 1, SEQUENCE_MAX, True)
            offender = self.integer(item.get("accused"), (*path, "accused"), 1, SEQUENCE_MAX, True)
            category = self.text(item.get("category"), (*path, "category"), required=True)
            if victim is not None and victim not in victims:
                self.problem(
                    (*path, "victim"),
                    _("There is no victim with sequence %(value)s in this occurrence.")
                    % {"value": victim},
                )
            if offender is not None and offender not in accused:
                self.problem(
                    (*path, "accused"),
                    _("There is no accused with sequence %(value)s in this occurrence.")
                    % {"value": offender},
                )
            if category is not None and category not in categories:
                self.problem(
                    (*path, "category"),
                    _("“%(value)s” is not a relationship category (expected %(expected)s).")
                    % {"value": category, "expected": ", ".join(categories)},
                )
            if victim not in victims or offender not in accused or category not in categories:
                continue
            assert victim is not None and offender is not None and category is not None
            given = links.setdefault(victim, [])
            if any(r.offender_sequence_number == offender for r in given):
                self.problem(
                    path,
                    _("Victim %(victim)s and accused %(accused)s are related twice.")
                    % {"victim": victim, "accused": offender},
                )
                continue
            given.append(Relationship(offender, category, "ucr2"))
        for victim, given in links.items():
            victims[victim].relationships = tuple(given)

    def age(self, path: tuple, person: Person, when: date) -> None:
        """Check the date of birth against the occurrence; work the age out from it when
        the age is not given (the records system's age, when given, is kept as it is)."""
        born = person.date_of_birth
        if born is None:
            return
        if born > when:
            self.problem(
                (*path, "date_of_birth"),
                _("The date of birth is after the occurrence (%(when)s).")
                % {"when": when.isoformat()},
            )
            return
        if person.age_low is None:
            years = when.year - born.year - ((when.month, when.day) < (born.month, born.day))
            person.age_code, person.age_low, person.age_high = str(years), years, years


def iso_date(text: str) -> date | None:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
