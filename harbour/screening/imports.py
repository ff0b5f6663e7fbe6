"""Writing parsed occurrence records (screening.records) to the database, a batch at a time.

- **Transactional per batch.** Each batch of records is written in one transaction, with
  the run's counts and rejections: a batch that fails is rolled back whole, the batches
  before it stay, and the run says where it stopped.
- **Idempotent.** An occurrence is keyed by (organisation, ORI, incident number). Each one
  carries a keyed hash of everything stored for it; an incoming occurrence with the same hash
  is skipped ("unchanged"), a different one replaces the stored one in place (same
  occurrence id; offences, people and relationships written afresh). Importing a file twice
  changes nothing the second time.
- **Deletes** (NIBRS action type D) take effect at the end of the file, unless a later
  insert of the same incident (the usual delete-then-reinsert pair) replaces it first: the
  result is what applying the file in order gives, without deleting and re-creating an
  incident the file only corrects (which would give it a new id, and lose what refers to
  it). Within a batch, the last record of an incident wins.
- **Zero reports** (an agency had no crime in a month) are refused when an incident of that
  agency and month is on file (spec error 028), and removed when one arrives (spec §4.7).
  Months are incident-date months.
- **Fast.** Rows are written with harbour.lib.bulk (executemany on SQLite, COPY on
  PostgreSQL), never one ORM save per row: the parser and this module are the whole cost of
  an import, which issue 4 wants at 20,000 incidents a second.

The canonical classes (crime against, category, relationship class, intimate or not) come
from the taxonomy, through ``taxonomy`` below, and are stored on the rows.
"""

import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.models import Organisation
from harbour.lib import bulk, crypto

# TEMPORARY: the taxonomy module is written on another branch; the lead imports
# harbour.screening.taxonomy here at merge and deletes the stub. Nothing else imports it.
from harbour.screening import taxonomy
from harbour.screening.constants import PersonRole
from harbour.screening.models import (
    ImportRejection,
    ImportRun,
    Occurrence,
    OccurrenceOffence,
    OccurrencePerson,
    OccurrenceRelationship,
    VictimOffence,
    ZeroReport,
)
from harbour.screening.nibrs_codes import NO_BIAS
from harbour.screening.records import (
    GroupBArrest,
    Incident,
    IncidentDelete,
    Problem,
    Record,
    Rejected,
)
from harbour.screening.records import ZeroReport as ZeroReportRecord
from harbour.screening.screen import screen

BATCH_SIZE = 1000
ROLES = frozenset(PersonRole.values)  # TextChoices.values is rebuilt on every read

# Purpose of the content hash's key (harbour.lib.crypto blind index keys): keyed, because
# a plain hash of an occurrence with names in it could be matched against guesses.
CONTENT_HASH_PURPOSE = "screening.occurrence.content"

OCCURRENCE_FIELDS = [
    "id",
    "organisation_id",
    "ori",
    "incident_number",
    "source_format",
    "incident_date",
    "incident_hour",
    "incident_date_is_report_date",
    "reported_date",
    "cleared_exceptionally",
    "exceptional_clearance_date",
    "location_type",
    "weapon",
    "injury",
    "strangulation",
    "children_present",
    "content_hash",
    "import_run_id",
    "imported_at",
]
# What a replacement rewrites: everything but the key.
OCCURRENCE_UPDATE_FIELDS = OCCURRENCE_FIELDS[4:]
OFFENCE_FIELDS = [
    "id",
    "occurrence_id",
    "nibrs_code",
    "ucr2_code",
    "completed",
    "crime_against",
    "category",
    "location_type",
    "offender_suspected_of_using",
    "criminal_activity_codes",
    "weapon_force_codes",
    "bias_motivation_codes",
    "bias_motivated",
]
PERSON_FIELDS = [
    "id",
    "occurrence_id",
    "role",
    "sequence_number",
    "victim_type",
    "age_code",
    "age_low",
    "age_high",
    "sex",
    "race",
    "ethnicity",
    "resident_status",
    "injury_codes",
    "circumstance_codes",
    "justifiable_homicide_circumstance",
    "arrest_transaction_number",
    "arrest_date",
    "arrest_type",
    "arrest_offence_code",
    "armed_with_codes",
    "given_name",
    "family_name",
    "date_of_birth",
]
LINK_FIELDS = ["victim_id", "offence_id"]
RELATIONSHIP_FIELDS = [
    "victim_id",
    "offender_id",
    "offender_sequence_number",
    "code_system",
    "code",
    "relationship_class",
    "is_intimate",
]


# Warnings kept per run (a file with one unknown code on every line says so a million
# times: the count says how many there were, the first ones where).
WARNINGS_KEPT = 1_000


class BatchFailed(Exception):
    """A batch could not be written and was rolled back; the run is marked failed."""

    def __init__(self, first_line: int, last_line: int, error: Exception):
        self.first_line, self.last_line, self.error = first_line, last_line, error
        super().__init__(
            _(
                "The batch of lines %(first)s to %(last)s could not be written and was rolled "
                "back; the batches before it are kept. Importing the file again is safe. "
                "(%(error)s)"
            )
            % {"first": first_line, "last": last_line, "error": error}
        )


def _prepared(table: bulk.Table) -> bulk.Table:
    """The table without the loader's per-value conversion of ids and JSON: this module
    writes ids as 32-digit hex (what Django stores for a UUID on SQLite, and a form of UUID
    PostgreSQL reads) and JSON as text already (_json). Dates still go through it."""
    fields = {f.attname: f for f in table.model._meta.concrete_fields}
    own = {i for i, name in enumerate(table.fields) if _written_as_is(fields[name])}
    table.converters = [(i, convert) for i, convert in table.converters if i not in own]
    return table


def _written_as_is(field) -> bool:
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    return isinstance(field, models.UUIDField | models.JSONField)


# JSON text of the code lists met so far: a few hundred distinct lists make up a whole file.
_JSON: dict[tuple, bulk.RawJSON] = {}


def _json(values: tuple) -> bulk.RawJSON:
    found = _JSON.get(values)
    if found is None:
        found = bulk.RawJSON(json.dumps(list(values)))
        if len(_JSON) < 100_000:
            _JSON[values] = found
    return found


def _line(record: Record) -> int:
    return record.line


@dataclass
class _Content:
    """An incident as rows, before ids: what is hashed, and what is written."""

    occurrence: tuple
    offences: list[tuple]
    people: list[tuple]
    names: list[tuple]
    links: list[tuple[int, int]]
    relationships: list[tuple]
    digest: str = ""


@dataclass
class _Batch:
    latest: dict[tuple[str, str], Incident] = field(default_factory=dict)
    zero_reports: list[ZeroReportRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


class Importer:
    """Writes the records of one run. ``consume(records)`` writes them all; the run's counts
    are kept up to date batch by batch."""

    def __init__(self, run: ImportRun, batch_size: int = BATCH_SIZE):
        self.run = run
        self.organisation: Organisation = run.organisation
        self.run_id = run.pk.hex
        self.batch_size = batch_size
        self.loader = bulk.Loader()
        vendor = self.loader.vendor
        # Registration order is write order: occurrences before what points at them.
        self.occurrences = self._table(Occurrence, OCCURRENCE_FIELDS)
        self.offences = self._table(OccurrenceOffence, OFFENCE_FIELDS)
        self.people = self._table(OccurrencePerson, PERSON_FIELDS)
        self.links = self._table(VictimOffence, LINK_FIELDS)
        self.relationships = self._table(OccurrenceRelationship, RELATIONSHIP_FIELDS)
        self.updates = _prepared(bulk.Table(Occurrence, [*OCCURRENCE_UPDATE_FIELDS, "id"], vendor))
        self.seal: dict[str, Callable] = {
            name: bulk.sealer(OccurrencePerson, name)
            for name in ("given_name", "family_name", "date_of_birth")
        }
        self.digest = crypto.blind_indexer(CONTENT_HASH_PURPOSE)
        # Deletes wait for the end of the file (see the module docstring): key -> line.
        self.pending_deletes: dict[tuple[str, str], int] = {}
        # Incidents of this file that a later delete removed before they were written: their
        # deletes count as deletes, not as deletes of something not on file.
        self.deleted_unwritten: set[tuple[str, str]] = set()
        self.new_id = _SequentialIds()
        self._offence_classes: dict[tuple[str, str], tuple[str, str] | None] = {}
        self._relationship_classes: dict[tuple[str, str], tuple[str, bool]] = {}

    def _table(self, model, fields: list[str]) -> bulk.Table:
        return _prepared(self.loader.table(model, fields))

    # ---- the run ----

    def consume(self, records: Iterable[Record]) -> None:
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= self.batch_size:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)
        if self.pending_deletes:
            self._delete_pending()

    def _write(self, records: list[Record]) -> None:
        try:
            with transaction.atomic():
                self._lock()
                self._apply(records)
                self._save_counts()
        except Exception as error:
            # The atomic block has rolled the batch back; so are the counts it had added.
            self.run.refresh_from_db(fields=ImportRun.COUNTS)
            self._discard_queued()
            raise BatchFailed(_line(records[0]), _line(records[-1]), error) from error

    def _discard_queued(self) -> None:
        # Rows queued before the failure must not be written by a later flush.
        for table in self.loader.tables.values():
            table.rows = []
        self.updates.rows = []

    def _lock(self) -> None:
        # Two imports into one organisation at once would both find an incident missing and
        # both insert it; the row lock makes their batches take turns (PostgreSQL). SQLite's
        # IMMEDIATE transactions already serialise writers.
        Organisation.objects.select_for_update().filter(pk=self.organisation.pk).first()

    def _save_counts(self) -> None:
        self.run.save(update_fields=ImportRun.COUNTS)

    # ---- one batch ----

    def _apply(self, records: list[Record]) -> None:
        batch = _Batch()
        for record in records:
            if isinstance(record, Incident):
                problems = self._check(record)
                if problems:
                    batch.rejected.append(
                        Rejected(record.line, record.ori, record.incident_number, problems)
                    )
                    continue
                key = (record.ori, record.incident_number)
                # A later insert replaces what the file deleted before it.
                self.pending_deletes.pop(key, None)
                batch.latest.pop(key, None)  # keep file order for what stays
                batch.latest[key] = record
            elif isinstance(record, IncidentDelete):
                key = (record.ori, record.incident_number)
                if batch.latest.pop(key, None) is not None:
                    # An insert of this file, deleted before it was written.
                    self.deleted_unwritten.add(key)
                self.pending_deletes[key] = record.line
            elif isinstance(record, ZeroReportRecord):
                batch.zero_reports.append(record)
            elif isinstance(record, GroupBArrest):
                self.run.arrests_skipped += 1
            else:
                batch.rejected.append(record)
        written = self._write_incidents(batch)
        self._apply_zero_reports(batch)
        self._remove_superseded_zero_reports(written)
        self._reject(batch.rejected)

    def _existing(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
        """(ori, number) -> (id, content hash) of the occurrences on file among ``keys``."""
        numbers = sorted({number for _ori, number in keys})
        found = {}
        connection = connections[self.loader.using]
        with connection.cursor() as cursor:
            for start in range(0, len(numbers), 900):
                chunk = numbers[start : start + 900]
                # Plain SQL: this runs once a batch, and compiling the ORM's query with its
                # 900 parameters cost more than running it. The key's index answers it.
                placeholders = ", ".join(["%s"] * len(chunk))
                sql = (
                    "SELECT ori, incident_number, id, content_hash FROM screening_occurrence "  # noqa: S608 (placeholders only)
                    f"WHERE organisation_id = %s AND incident_number IN ({placeholders})"
                )
                cursor.execute(sql, [self.organisation.pk, *chunk])
                for ori, number, pk, digest in cursor.fetchall():
                    # SQLite gives the id as 32 hex digits, PostgreSQL as a UUID.
                    found[(ori, number)] = (pk if isinstance(pk, str) else pk.hex, digest)
        return found

    def _write_incidents(self, batch: _Batch) -> list[Incident]:
        existing = self._existing(batch.latest)
        now = timezone.now()
        replaced: list[str] = []
        written: list[Incident] = []
        written_ids: list[str] = []
        for key, incident in batch.latest.items():
            content = self._content(incident)
            on_file = existing.get(key)
            if on_file is not None and on_file[1] == content.digest:
                self.run.unchanged += 1
                continue
            if on_file is None:
                occurrence_id = self.new_id()
                self.occurrences.add(
                    occurrence_id,
                    self.organisation.pk,
                    incident.ori,
                    incident.incident_number,
                    self.run.source_format,
                    *content.occurrence,
                    content.digest,
                    self.run_id,
                    now,
                )
                self.run.inserted += 1
            else:
                occurrence_id = on_file[0]
                replaced.append(occurrence_id)
                self.updates.add(
                    self.run.source_format,
                    *content.occurrence,
                    content.digest,
                    self.run_id,
                    now,
                    occurrence_id,
                )
                self.run.replaced += 1
            self._add_children(occurrence_id, content)
            written.append(incident)
            written_ids.append(occurrence_id)
        if replaced:
            self._clear_children(replaced)
            self._update_occurrences()
        self.loader.flush()
        # Screened inside the batch's transaction: the outreach queue never lags the data.
        screen(self.organisation, written_ids)
        return written

    def _check(self, incident: Incident) -> list[Problem]:
        """What the database would refuse, or the statistics get wrong, in an incident from
        any parser: the NIBRS parser already refuses all of it."""
        problems = []
        seen = set()
        for person in incident.people:
            if person.role not in ROLES:
                problems.append(
                    Problem(
                        incident.line,
                        "",
                        "",
                        "",
                        _("“%(value)s” is not a role of a person in an occurrence.")
                        % {"value": person.role},
                    )
                )
            elif (person.role, person.sequence_number) in seen:
                problems.append(
                    Problem(
                        incident.line,
                        "",
                        person.role,
                        "",
                        _("Sequence number %(value)s appears twice in this incident.")
                        % {"value": person.sequence_number},
                    )
                )
            seen.add((person.role, person.sequence_number))
        codes: set[str] = set()
        for offence in incident.offences:
            if offence.nibrs_code and self._offence_class(offence.nibrs_code) is None:
                problems.append(
                    Problem(
                        incident.line,
                        "",
                        "",
                        "",
                        _("Offense code %(value)s is not in Harbour's offence taxonomy.")
                        % {"value": offence.nibrs_code},
                    )
                )
            codes.update((offence.nibrs_code, offence.ucr2_code))
        for person in incident.people:
            for code in person.offence_codes:
                if code not in codes:
                    problems.append(
                        Problem(
                            incident.line,
                            "",
                            person.role,
                            "",
                            _(
                                "The victim is connected to offense “%(value)s”, which this "
                                "incident has no offense segment for."
                            )
                            % {"value": code},
                        )
                    )
        return problems

    def _offence_class(self, code: str, system: str = "nibrs") -> tuple[str, str] | None:
        key = (system, code)
        if key not in self._offence_classes:
            lookup = taxonomy.nibrs_offence if system == "nibrs" else taxonomy.ucr2_violation
            offence = lookup(code)
            self._offence_classes[key] = (
                None if offence is None else (offence.crime_against, offence.category)
            )
        return self._offence_classes[key]

    def _classify(self, offence) -> tuple[str, str] | None:
        """An offence's (crime against, category): by its NIBRS code, else its UCR2 code (a
        Canadian export). A UCR2 code outside the taxonomy's partial list has neither."""
        if offence.nibrs_code:
            return self._offence_class(offence.nibrs_code)
        if offence.ucr2_code:
            return self._offence_class(offence.ucr2_code, "ucr2")
        return None

    def _relationship_class(self, system: str, code: str) -> tuple[str, bool]:
        key = (system, code)
        if key not in self._relationship_classes:
            cls = taxonomy.relationship_class(system, code)
            self._relationship_classes[key] = (cls or "", taxonomy.is_intimate(cls))
        return self._relationship_classes[key]

    def _content(self, incident: Incident) -> _Content:
        occurrence = (
            incident.incident_date,
            incident.incident_hour,
            incident.incident_date_is_report_date,
            incident.reported_date,
            incident.cleared_exceptionally,
            incident.exceptional_clearance_date,
            incident.location_type,
            incident.weapon,
            incident.injury,
            incident.strangulation,
            incident.children_present,
        )
        offences = []
        offence_index: dict[str, int] = {}
        for i, offence in enumerate(incident.offences):
            crime_against, category = self._classify(offence) or ("", "")
            bias = offence.bias_motivation_codes
            offences.append(
                (
                    offence.nibrs_code,
                    offence.ucr2_code,
                    offence.completed,
                    crime_against,
                    category,
                    offence.location_type,
                    _json(offence.offender_suspected_of_using),
                    _json(offence.criminal_activity_codes),
                    _json(offence.weapon_force_codes),
                    _json(bias),
                    any(code not in NO_BIAS for code in bias),
                )
            )
            for code in (offence.nibrs_code, offence.ucr2_code):
                if code:
                    offence_index[code] = i
        people = []
        names = []
        offenders = {}
        for i, person in enumerate(incident.people):
            arrest = person.arrest
            people.append(
                (
                    person.role,
                    person.sequence_number,
                    person.victim_type,
                    person.age_code,
                    person.age_low,
                    person.age_high,
                    person.sex,
                    person.race,
                    person.ethnicity,
                    person.resident_status,
                    _json(person.injury_codes),
                    _json(person.circumstance_codes),
                    person.justifiable_homicide_circumstance,
                    arrest.transaction_number if arrest else "",
                    arrest.arrest_date if arrest else None,
                    arrest.arrest_type if arrest else "",
                    arrest.offence_code if arrest else "",
                    _json(arrest.armed_with_codes if arrest else ()),
                )
            )
            names.append((person.given_name, person.family_name, person.date_of_birth))
            if person.role == "offender":
                offenders[person.sequence_number] = i
        links = []
        relationships = []
        for i, person in enumerate(incident.people):
            for code in person.offence_codes:
                links.append((i, offence_index[code]))
            for relationship in person.relationships:
                cls, intimate = self._relationship_class(
                    relationship.code_system, relationship.code
                )
                relationships.append(
                    (
                        i,
                        offenders.get(relationship.offender_sequence_number),
                        relationship.offender_sequence_number,
                        relationship.code_system,
                        relationship.code,
                        cls,
                        intimate,
                    )
                )
        content = _Content(occurrence, offences, people, names, links, relationships)
        content.digest = self.digest(
            repr((occurrence, offences, people, names, links, relationships))
        )
        return content

    def _add_children(self, occurrence_id: str, content: _Content) -> None:
        offence_ids = []
        for row in content.offences:
            offence_id = self.new_id()
            offence_ids.append(offence_id)
            self.offences.add(offence_id, occurrence_id, *row)
        person_ids = []
        seal = self.seal
        for row, (given, family, born) in zip(content.people, content.names, strict=True):
            person_id = self.new_id()
            person_ids.append(person_id)
            self.people.add(
                person_id,
                occurrence_id,
                *row,
                None if given is None else seal["given_name"](person_id, given),
                None if family is None else seal["family_name"](person_id, family),
                None if born is None else seal["date_of_birth"](person_id, born),
            )
        for person, offence in content.links:
            self.links.add(person_ids[person], offence_ids[offence])
        for victim, offender, *rest in content.relationships:
            self.relationships.add(
                person_ids[victim], None if offender is None else person_ids[offender], *rest
            )

    def _clear_children(self, occurrence_ids: list) -> None:
        """Remove what a replaced occurrence had, through the ORM so that anything else
        pointing at it is handled as its foreign keys say."""
        VictimOffence.objects.filter(victim__occurrence_id__in=occurrence_ids).delete()
        OccurrenceRelationship.objects.filter(victim__occurrence_id__in=occurrence_ids).delete()
        OccurrencePerson.objects.filter(occurrence_id__in=occurrence_ids).delete()
        OccurrenceOffence.objects.filter(occurrence_id__in=occurrence_ids).delete()

    def _update_occurrences(self) -> None:
        connection = connections[self.loader.using]
        quote = connection.ops.quote_name
        column = {f.attname: str(f.column) for f in Occurrence._meta.concrete_fields}
        columns = [column[name] for name in self.updates.fields]
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (names from the model)
            quote(Occurrence._meta.db_table),
            ", ".join(f"{quote(c)} = %s" for c in columns[:-1]),
            quote(columns[-1]),
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, self.updates.prepared())
        self.updates.rows = []

    # ---- zero reports ----

    def _apply_zero_reports(self, batch: _Batch) -> None:
        for record in batch.zero_reports:
            on_file = ZeroReport.objects.filter(
                organisation=self.organisation,
                ori=record.ori,
                year=record.year,
                month=record.month,
            )
            if record.delete:
                removed, _by_model = on_file.delete()
                self.run.zero_reports_deleted += removed
                continue
            if on_file.exists():
                continue
            incidents = Occurrence.objects.filter(
                organisation=self.organisation,
                ori=record.ori,
                incident_date__year=record.year,
                incident_date__month=record.month,
            )
            if incidents.exists():
                batch.rejected.append(
                    Rejected(
                        record.line,
                        record.ori,
                        "",
                        [
                            Problem(
                                record.line,
                                _("zero report"),
                                _("zero report month"),
                                "38–43",
                                _(
                                    "%(ori)s has incidents on file for %(year)s-%(month)02d, "
                                    "so it cannot report that month as having none (spec "
                                    "error 028)."
                                )
                                % {"ori": record.ori, "year": record.year, "month": record.month},
                            )
                        ],
                    )
                )
                continue
            ZeroReport.objects.create(
                organisation=self.organisation,
                ori=record.ori,
                year=record.year,
                month=record.month,
                import_run=self.run,
            )
            self.run.zero_reports_added += 1

    def _remove_superseded_zero_reports(self, written: list[Incident]) -> None:
        # Spec §4.7: an incident for a month with a zero report on file removes the report.
        months = {(i.ori, i.incident_date.year, i.incident_date.month) for i in written}
        if not months:
            return
        candidates = ZeroReport.objects.filter(
            organisation=self.organisation, ori__in={ori for ori, _y, _m in months}
        ).values_list("id", "ori", "year", "month")
        stale = [pk for pk, ori, year, month in candidates if (ori, year, month) in months]
        if stale:
            ZeroReport.objects.filter(pk__in=stale).delete()
            self.run.zero_reports_deleted += len(stale)

    # ---- deletes and rejections ----

    def _delete_pending(self) -> None:
        keys = sorted(self.pending_deletes.items(), key=lambda item: item[1])
        try:
            with transaction.atomic():
                self._lock()
                existing = self._existing(self.pending_deletes)
                ids = [existing[key][0] for key, _line in keys if key in existing]
                unwritten = sum(
                    1
                    for key, _line in keys
                    if key not in existing and key in self.deleted_unwritten
                )
                self.run.deleted += len(ids) + unwritten
                self.run.not_on_file += len(keys) - len(ids) - unwritten
                for start in range(0, len(ids), 900):
                    chunk = ids[start : start + 900]
                    self._clear_children(chunk)
                    Occurrence.objects.filter(pk__in=chunk).delete()
                self._save_counts()
        except Exception as error:
            self.run.refresh_from_db(fields=ImportRun.COUNTS)
            raise BatchFailed(keys[0][1], keys[-1][1], error) from error
        self.pending_deletes = {}

    def warn(self, problem: Problem) -> None:
        """A record kept with something to know about it (a UCR2 code outside Harbour's
        partial list): counted, and the first WARNINGS_KEPT stored beside the rejections."""
        self.run.warnings += 1
        if self.run.warnings <= WARNINGS_KEPT:
            ImportRejection.objects.create(
                run=self.run,
                warning=True,
                line=problem.line,
                segment=problem.segment[:60],
                field=problem.field[:120],
                position=problem.position,
                reason=problem.reason,
            )

    def _reject(self, rejected: list[Rejected]) -> None:
        if not rejected:
            return
        self.run.rejected += len(rejected)
        ImportRejection.objects.bulk_create(
            ImportRejection(
                run=self.run,
                line=problem.line,
                segment=problem.segment[:60],
                field=problem.field[:120],
                position=problem.position,
                reason=problem.reason,
                ori=record.ori[:20],
                incident_number=record.incident_number[:40],
            )
            for record in sorted(rejected, key=_line)
            for problem in record.problems
        )


class _SequentialIds:
    """Time-ordered UUIDs (RFC 9562 version 7, with a counter in rand_b): rows written in
    id order go to the end of every index instead of all over it."""

    def __init__(self):
        millis = time.time_ns() // 1_000_000
        rand_a = int.from_bytes(os.urandom(2)) & 0xFFF
        self.high = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62)
        self.low = int.from_bytes(os.urandom(8)) & ((1 << 60) - 1)

    def __call__(self) -> str:
        self.low += 1
        return f"{self.high | self.low:032x}"
