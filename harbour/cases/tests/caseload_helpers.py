"""Builders for the caseload, search and follow-up tests: cases and follow-ups made
directly, so each test sets exactly the state it needs."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from harbour.cases.constants import CaseStatus, CloseReason, Program, TaskStatus
from harbour.cases.models import Case, CaseProgram, Task
from harbour.people.actions import index_names
from harbour.people.models import Person

_numbers = itertools.count(1)


def make_case(
    org,
    *,
    given: str = "Robin",
    family: str = "Example",
    client: Person | None = None,
    programs=(Program.IPV,),
    activity: datetime | None = None,
    **fields,
) -> Case:
    if client is None:
        client = Person.objects.create(organisation=org, given_name=given, family_name=family)
    # Made here without actions.create_person: index the names as it would.
    index_names(client)
    if fields.get("status") == CaseStatus.CLOSED:
        fields.setdefault("close_reason", CloseReason.GOALS_MET)
    case = Case.objects.create(
        organisation=org,
        number=f"2026-{next(_numbers):05d}",
        client=client,
        last_activity_at=activity or timezone.now(),
        **fields,
    )
    CaseProgram.objects.bulk_create([CaseProgram(case=case, program=p) for p in programs])
    return case


def make_task(case: Case, *, due_in: timedelta = timedelta(days=2), **fields) -> Task:
    fields.setdefault("title", "Call back about the court date")
    fields.setdefault("status", TaskStatus.OPEN)
    return Task.objects.create(
        organisation_id=case.organisation_id, case=case, due_at=timezone.now() + due_in, **fields
    )
