"""Harbour's own occurrence formats, CSV and JSON, for exports from Canadian records
management systems: offences coded with Statistics Canada's UCR2 violation codes,
victim–accused relationships with Statistics Canada's categories, and, unlike NIBRS, the
names and dates of birth of the people involved. docs/format-occurrences.md describes both
formats in full; this module reads them into screening.records, one occurrence at a time.

The two formats say the same things the same way, so one checker reads both
(screening.canadian_occurrence): the JSON's occurrence objects as they are, the CSV's rows
gathered into the same shape first. Only where a value is found differs: a JSON value by its
JSON pointer ("/occurrences/4/people/0/age") and the line its occurrence starts on, a CSV
value by its line and column. This module reads the files.

- ``parse_json(lines)`` and ``parse_csv(lines)`` yield records in file order: ``Incident``
  (insert, or replace the occurrence on file with the same police service and occurrence
  number), ``IncidentDelete``, or ``Rejected`` with every problem found in the occurrence.
- ``check_json(lines)`` and ``check_csv(lines)`` read a whole file and raise ``FormatError``
  if it is broken as a whole (not JSON, not UTF-8, a wrong header or version), so an
  importer can refuse it before writing anything; ``parse_*`` raise the same errors, but
  only when they reach them.
- ``not_json(first_line)`` and ``not_csv(first_line)`` say, from the first line, why a file
  is not in the format (the importer's quick refusal).

UCR2 codes: Harbour's list of violations (screening.taxonomy) is partial, so a four-digit
code that is not on it is accepted and kept, and reported through ``on_warning`` so that an
administrator can add it; until then it counts in no category. A three-digit Statistics
Canada total (110 homicide …) is not a violation and is refused.

Speed: the JSON is read a block at a time and each occurrence decoded on its own (the file is
never held whole); the CSV row by row with the csv module. Nothing compiles a pattern per
value.
"""

import codecs
import csv
import json
import re
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from harbour.screening.canadian_occurrence import (
    FLAG_FIELDS,
    OFFENCE_FIELDS,
    PERSON_FIELDS,
    RELATIONSHIP_FIELDS,
    CsvSource,
    JsonSource,
    OccurrenceReader,
    Row,
    Warn,
)
from harbour.screening.nibrs_xml import FormatError
from harbour.screening.records import Problem, Record, Rejected

__all__ = [
    "FormatError",
    "check_csv",
    "check_json",
    "not_csv",
    "not_json",
    "parse_csv",
    "parse_json",
]

FORMAT = "harbour-occurrences"
FORMAT_VERSION = 1

HEADER_FIELDS = ("format", "format_version", "source", "exported_at", "occurrences")

# CSV: one row per occurrence, offence, person and relationship; the record column says
# which, and each kind of row fills its own columns.
KEY_COLUMNS = ("record", "police_service", "occurrence_number")
RECORDS = {
    "occurrence": (
        "action",
        "reported_at",
        "occurred_at",
        "location_type",
        *FLAG_FIELDS,
    ),
    "offence": OFFENCE_FIELDS,
    "person": PERSON_FIELDS,
    "relationship": RELATIONSHIP_FIELDS,
}
CHILDREN = {"offence": "offences", "person": "people", "relationship": "relationships"}
COLUMNS = KEY_COLUMNS + tuple(c for columns in RECORDS.values() for c in columns)

_SPACE = re.compile(r"[ \t\n\r]*")
BLOCK = 1 << 16
LARGEST_OCCURRENCE = 16 << 20


# ---- JSON ----


def not_json(first_line: bytes) -> str | None:
    """Why a file whose first non-blank line is ``first_line`` is not Harbour JSON, or None
    if it may be (it starts with "{")."""
    head = first_line.lstrip(b"\xef\xbb\xbf").strip()
    if head.startswith(b"{"):
        return None
    if head.startswith(b"<"):
        return _("This looks like XML, not Harbour JSON. For NIBRS XML use --format nibrs-xml.")
    if head.startswith(b"record") or b"police_service" in head:
        return _("This looks like Harbour CSV, not JSON. Use --format csv.")
    return _(
        "This is not Harbour JSON: it must be one JSON object that starts with “{” "
        "(docs/format-occurrences.md)."
    )


class _Json:
    """A JSON document read a block at a time: the top-level object's members one by one,
    and the occurrences array an element at a time, each with the line it starts on."""

    def __init__(self, lines: Iterable[bytes | str]):
        self.lines = iter(lines)
        self.decode = codecs.getincrementaldecoder("utf-8-sig")().decode
        self.decoder = json.JSONDecoder()
        self.text = ""
        self.at = 0  # where reading is in self.text
        self.line = 1  # the line self.text[counted] is on
        self.counted = 0
        self.ended = False

    # ---- input ----

    def more(self) -> bool:
        """Read another block; False at the end of the file."""
        if self.ended:
            return False
        self.line_at(self.at)
        parts: list[str] = []
        size = 0
        for chunk in self.lines:
            if isinstance(chunk, bytes):
                try:
                    chunk = self.decode(chunk)
                except UnicodeDecodeError as error:
                    raise FormatError(
                        _("The file is not UTF-8 text (near line %(line)s). Save it as UTF-8.")
                        % {"line": self.line + "".join(parts).count("\n")},
                        self.line,
                    ) from error
            parts.append(chunk)
            size += len(chunk)
            if size >= BLOCK:
                break
        else:
            self.ended = True
        self.text = self.text[self.at :] + "".join(parts)
        self.at = self.counted = 0
        return bool(parts) or not self.ended

    def line_at(self, position: int) -> int:
        self.line += self.text.count("\n", self.counted, position)
        self.counted = position
        return self.line

    def error(self, message: str, position: int) -> FormatError:
        line = self.line_at(position)
        column = position - self.text.rfind("\n", 0, position)
        return FormatError(
            _("The JSON is not valid at line %(line)s, column %(column)s: %(error)s.")
            % {"line": line, "column": column, "error": message},
            line,
        )

    # ---- tokens ----

    def skip(self) -> str:
        """Skip white space; the next character, or "" at the end."""
        while True:
            self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.text):
                return self.text[self.at]
            if not self.more():
                return ""

    def expect(self, characters: str, what: str) -> str:
        found = self.skip()
        if not found or found not in characters:
            raise self.error(
                _("expected %(what)s, found %(found)s")
                % {"what": what, "found": repr(found) if found else _("the end of the file")},
                self.at,
            )
        self.at += 1
        return found

    def value(self) -> tuple[object, int]:
        """The next JSON value and the line it starts on."""
        self.skip()
        start = self.at
        while True:
            try:
                found, end = self.decoder.raw_decode(self.text, self.at)
            except RecursionError:
                raise self.error(_("lists or objects nested too deeply"), self.at) from None
            except json.JSONDecodeError as error:
                # Cut off by the end of the block (an unfinished string or object), or wrong?
                cut = error.pos >= len(self.text) - 8 or error.msg.startswith("Unterminated")
                if cut and len(self.text) - self.at < LARGEST_OCCURRENCE and self.more():
                    start = 0
                    continue
                raise self.error(error.msg, error.pos) from None
            if end == len(self.text) and self.more():
                # A number at the end of a block may go on in the next one.
                start = 0
                continue
            self.at = end
            return found, self.line_at(start)

    # ---- the document ----

    def occurrences(self) -> Iterator[tuple[int, int, object]]:
        """(index, line, decoded occurrence) for each occurrence, after checking the
        header; then the rest of the document."""
        if self.skip() != "{":
            raise FormatError(
                _(
                    "This is not Harbour JSON: it must be one JSON object that starts with “{” "
                    "(docs/format-occurrences.md)."
                ),
                self.line_at(self.at),
            )
        self.at += 1
        header: dict[str, object] = {}
        seen_occurrences = False
        if self.skip() == "}":
            self.at += 1
        else:
            while True:
                self.skip()
                key_at = self.at
                key, _line = self.value()
                if not isinstance(key, str):
                    raise self.error(_("expected a field name in quotes"), key_at)
                if key in header or (key == "occurrences" and seen_occurrences):
                    raise self.error(
                        _("the field “%(field)s” appears twice") % {"field": key}, key_at
                    )
                self.expect(":", "“:”")
                if key == "occurrences":
                    seen_occurrences = True
                    self.header(header, before_occurrences=True)
                    yield from self.array()
                else:
                    header[key], _line = self.value()
                    self.header({key: header[key]}, before_occurrences=False)
                if self.expect(",}", _("“,” or “}”")) == "}":
                    break
        if self.skip():
            raise self.error(_("there is more after the end of the document"), self.at)
        self.header(header, before_occurrences=True)
        if not seen_occurrences:
            raise FormatError(_("This Harbour JSON file has no “occurrences” list."))

    def array(self) -> Iterator[tuple[int, int, object]]:
        self.expect("[", "“[”")
        if self.skip() == "]":
            self.at += 1
            return
        index = 0
        while True:
            found, line = self.value()
            yield index, line, found
            index += 1
            if self.expect(",]", _("“,” or “]”")) == "]":
                return

    def header(self, header: dict[str, object], before_occurrences: bool) -> None:
        for key in header:
            if key not in HEADER_FIELDS:
                raise FormatError(
                    _("“%(field)s” is not a field of a Harbour JSON file (expected %(expected)s).")
                    % {"field": key, "expected": ", ".join(HEADER_FIELDS)}
                )
        if not before_occurrences:
            return
        if header.get("format") != FORMAT:
            raise FormatError(
                _(
                    "This is not a Harbour occurrences file: “format” must be "
                    "“%(format)s”, before the occurrences (found %(found)s)."
                )
                % {"format": FORMAT, "found": json.dumps(header.get("format"))}
            )
        version = header.get("format_version")
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise FormatError(
                _(
                    "This file is format version %(found)s; Harbour reads version %(version)s "
                    "(“format_version”, before the occurrences)."
                )
                % {"found": json.dumps(version), "version": FORMAT_VERSION}
            )


def check_json(lines: Iterable[bytes | str]) -> None:
    """Read a whole Harbour JSON file and raise FormatError if it is broken as a whole: not
    UTF-8, not JSON, a wrong format or version, a field that is not the format's."""
    for _found in _Json(lines).occurrences():
        pass


def parse_json(lines: Iterable[bytes | str], on_warning: Warn | None = None) -> Iterator[Record]:
    """Yield a record for each occurrence of a Harbour JSON file, in file order. Raises
    FormatError when the file is broken as a whole (run check_json first to know before
    anything is yielded)."""
    for index, line, found in _Json(lines).occurrences():
        yield OccurrenceReader(JsonSource(index, line), found, line, on_warning).read()


# ---- CSV ----


def _letter(index: int) -> str:
    """A spreadsheet's column letter: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header(line: str, number: int) -> tuple[list[str], str]:
    """The columns of a header line and its delimiter, or FormatError."""
    delimiter = ";" if line.count(";") > line.count(",") else ","
    columns = [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise FormatError(
            _(
                "The first line of a Harbour CSV file names its columns; “%(column)s” is not "
                "one of them (expected %(expected)s)."
            )
            % {"column": unknown[0], "expected": ", ".join(COLUMNS)},
            number,
        )
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise FormatError(
            _("The column “%(column)s” appears twice in the header.") % {"column": twice[0]},
            number,
        )
    missing = [c for c in KEY_COLUMNS if c not in columns]
    if missing:
        raise FormatError(
            _("The header has no column “%(column)s”; every Harbour CSV file needs %(needed)s.")
            % {"column": missing[0], "needed": ", ".join(KEY_COLUMNS)},
            number,
        )
    return columns, delimiter


def not_csv(first_line: bytes) -> str | None:
    """Why a file whose first non-blank line is ``first_line`` is not Harbour CSV, or None
    if its header is right."""
    head = first_line.lstrip(b"\xef\xbb\xbf").strip()
    if head.startswith(b"{"):
        return _("This looks like JSON, not Harbour CSV. Use --format json.")
    if head.startswith(b"<"):
        return _("This looks like XML, not Harbour CSV. For NIBRS XML use --format nibrs-xml.")
    try:
        _header(head.decode("utf-8"), 1)
    except UnicodeDecodeError:
        return _("The file is not UTF-8 text. Save it as “CSV UTF-8”.")
    except FormatError as error:
        return str(error)
    return None


def _text_lines(lines: Iterable[bytes | str]) -> Iterator[str]:
    for number, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise FormatError(
                    _(
                        "Line %(line)s is not UTF-8 text. Save the file as “CSV UTF-8” and "
                        "import it again."
                    )
                    % {"line": number},
                    number,
                ) from error
        yield line


class _Group:
    """The rows of one occurrence (its occurrence row first, if it has one) and what is
    wrong with them as rows."""

    __slots__ = ("key", "rows", "problems")

    def __init__(self, key: tuple[str, str]):
        self.key = key
        self.rows: list[Row] = []
        self.problems: list[Problem] = []


class _Csv:
    """A Harbour CSV file read a row at a time and gathered into occurrences."""

    def __init__(self, lines: Iterable[bytes | str]):
        self.text = _text_lines(lines)
        self.first = 0
        for line in self.text:
            self.first += 1
            if line.strip():
                break
        else:
            raise FormatError(_("The file is empty: a Harbour CSV file starts with its header."))
        self.columns, delimiter = _header(line.strip(), self.first)
        self.letters = {column: _letter(i) for i, column in enumerate(self.columns)}
        self.used = {
            record: {c: self.letters[c] for c in KEY_COLUMNS + used if c in self.letters}
            for record, used in RECORDS.items()
        }
        self.reader = csv.reader(self.text, delimiter=delimiter)

    def rows(self) -> Iterator[tuple[Row, list[Problem]]]:
        """Each non-blank row after the header, with what is wrong with it as a row."""
        columns, letters, width = self.columns, self.letters, len(self.columns)
        last = 0
        while True:
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except csv.Error as error:
                # A cell longer than the csv module takes (an unclosed quote, usually).
                line = self.first + last + 1
                raise FormatError(
                    _(
                        "The row at line %(line)s cannot be read as CSV (%(error)s): look for "
                        "a quote that is opened and never closed."
                    )
                    % {"line": line, "error": error},
                    line,
                ) from error
            line, last = self.first + last + 1, self.reader.line_num
            # Most cells of a row are empty: strip only the others, once.
            values = {}
            for column, cell in zip(columns, cells, strict=False):
                if cell and (cell := cell.strip()):
                    values[column] = cell
            extra = len(cells) > width and any(cell.strip() for cell in cells[width:])
            if not values and not extra:
                continue
            record = values.get("record", "")
            # The segment names the row's record type, or nothing when it has none of ours.
            kind = record if record in RECORDS else ""
            problems = []
            if extra:
                problems.append(
                    Problem(
                        line,
                        kind,
                        "",
                        _letter(len(columns)),
                        _("This row has %(found)s cells but the header names %(expected)s columns.")
                        % {"found": len(cells), "expected": len(columns)},
                    )
                )
            if record not in RECORDS:
                problems.append(
                    Problem(
                        line,
                        kind,
                        "record",
                        letters["record"],
                        _(
                            "“%(value)s” is not a record type (expected occurrence, offence, "
                            "person or relationship)."
                        )
                        % {"value": record},
                    )
                )
            else:
                for column in values:
                    if column not in KEY_COLUMNS and column not in RECORDS[record]:
                        problems.append(
                            Problem(
                                line,
                                record,
                                column,
                                letters[column],
                                _(
                                    "The column %(column)s is not used on %(record)s rows; "
                                    "leave it empty."
                                )
                                % {"column": column, "record": record},
                            )
                        )
            yield Row(line, record, values), problems

    def groups(self) -> Iterator[_Group]:
        """The rows gathered by occurrence: an occurrence row and the rows after it with the
        same police service and occurrence number."""
        current: _Group | None = None
        for row, problems in self.rows():
            key = (
                row.cells.get("police_service", "").upper(),
                row.cells.get("occurrence_number", ""),
            )
            if current is None or key != current.key or row.record == "occurrence":
                if current is not None:
                    yield current
                current = _Group(key)
                if row.record != "occurrence" and row.record in RECORDS:
                    problems.append(
                        Problem(
                            row.line,
                            row.record,
                            "record",
                            self.letters["record"],
                            _(
                                "This %(record)s row belongs to occurrence “%(number)s” of "
                                "police service “%(service)s”, but no occurrence row comes "
                                "right before it: put each occurrence's rows together, its "
                                "occurrence row first."
                            )
                            % {"record": row.record, "number": key[1], "service": key[0]},
                        )
                    )
            current.rows.append(row)
            current.problems += problems
        if current is not None:
            yield current

    def read(self, group: _Group, on_warning: Warn | None) -> Record:
        first = group.rows[0]
        if first.record != "occurrence":
            return Rejected(first.line, group.key[0], group.key[1], group.problems)
        children: dict[str, list[Row]] = {name: [] for name in CHILDREN.values()}
        for row in group.rows[1:]:
            if row.record in CHILDREN:
                children[CHILDREN[row.record]].append(row)
        data: dict[str, object] = {
            column: value
            for column, value in first.cells.items()
            if column != "record" and column not in FLAG_FIELDS
        }
        flags = {name: first.cells[name] for name in FLAG_FIELDS if name in first.cells}
        data["flags"] = flags or None
        for name, rows in children.items():
            data[name] = [
                {column: value for column, value in row.cells.items() if column not in KEY_COLUMNS}
                for row in rows
            ]
        reader = OccurrenceReader(
            CsvSource(self.used, first, children), data, first.line, on_warning
        )
        record = reader.read()
        if not group.problems:
            return record
        problems = group.problems + (record.problems if isinstance(record, Rejected) else [])
        problems.sort(key=lambda problem: problem.line)
        return Rejected(first.line, reader.ori or group.key[0], reader.number, problems)


def check_csv(lines: Iterable[bytes | str]) -> None:
    """Read a whole Harbour CSV file and raise FormatError if it is broken as a whole: no
    header or a wrong one, or text that is not UTF-8."""
    for _row in _Csv(lines).rows():
        pass


def parse_csv(lines: Iterable[bytes | str], on_warning: Warn | None = None) -> Iterator[Record]:
    """Yield a record for each occurrence of a Harbour CSV file, in file order. Raises
    FormatError when the file is broken as a whole (run check_csv first to know before
    anything is yielded)."""
    reader = _Csv(lines)
    for group in reader.groups():
        yield reader.read(group, on_warning)
