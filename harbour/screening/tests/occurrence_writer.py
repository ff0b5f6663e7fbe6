"""Writing Harbour's occurrence formats for tests, from plain occurrences (dicts in the JSON
shape, with Python values): the JSON document, and the same occurrences as CSV rows, each
writer noting the line every occurrence (JSON) or row (CSV) starts on. Written from
docs/format-occurrences.md, not from the parser."""

import csv
import io
import json

HEADER = {"format": "harbour-occurrences", "format_version": 1}
COLUMNS = [
    "record",
    "police_service",
    "occurrence_number",
    "action",
    "reported_at",
    "occurred_at",
    "location_type",
    "weapon",
    "injury",
    "strangulation",
    "children_present",
    "ucr2_code",
    "nibrs_code",
    "attempted",
    "role",
    "sequence",
    "given_name",
    "family_name",
    "date_of_birth",
    "age",
    "sex",
    "offences",
    "victim",
    "accused",
    "category",
]
CHILDREN = {"offences": "offence", "people": "person", "relationships": "relationship"}


def json_document(occurrences: list, header: dict | None = None) -> tuple[bytes, list[int]]:
    """The document, and the line each occurrence starts on."""
    lines = ["{"]
    for key, value in (header if header is not None else HEADER).items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value)},")
    lines.append('  "occurrences": [')
    starts = []
    for n, occurrence in enumerate(occurrences):
        starts.append(len(lines) + 1)
        text = json.dumps(occurrence, indent=2, ensure_ascii=False)
        block = ["    " + line for line in text.splitlines()]
        if n < len(occurrences) - 1:
            block[-1] += ","
        lines += block
    lines += ["  ]", "}"]
    return ("\n".join(lines) + "\n").encode(), starts


def cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "Y"
    if value is False:
        return "N"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def csv_rows(occurrence: dict) -> list[tuple[str, list, dict]]:
    """(record, path of the row's object, {column: value}) for each row of an occurrence."""
    key = {k: occurrence.get(k) for k in ("police_service", "occurrence_number")}
    top = {k: v for k, v in occurrence.items() if k not in ("flags", *CHILDREN)}
    rows = [("occurrence", [], {**top, **(occurrence.get("flags") or {})})]
    for name, record in CHILDREN.items():
        for index, item in enumerate(occurrence.get(name) or []):
            rows.append((record, [name, index], {**key, **item}))
    return rows


def csv_document(
    occurrences: list, columns: list[str] = COLUMNS, delimiter: str = ","
) -> tuple[bytes, dict]:
    """The file, and where each object's row is: {(occurrence index, *path): line}."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    lines = {}
    line = 2
    for n, occurrence in enumerate(occurrences):
        for record, path, values in csv_rows(occurrence):
            lines[(n, *path)] = line
            row = [record if c == "record" else cell(values.get(c)) for c in columns]
            writer.writerow(row)
            line += 1 + sum(c.count("\n") for c in row)
    return out.getvalue().encode(), lines


def letter(column: str, columns: list[str] = COLUMNS) -> str:
    index = columns.index(column)
    return chr(65 + index) if index < 26 else "A" + chr(65 + index - 26)
