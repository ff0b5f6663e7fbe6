"""The case page: what it shows, the safe-contact panel, the timeline, and its cost."""

from datetime import time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AccessEvent
from harbour.cases.actions import add_timeline
from harbour.cases.constants import ClientRole, Program, TaskStatus, TimelineKind
from harbour.cases.models import Contact, ServiceProvided, Task
from harbour.cases.tests.helpers import case, person, phone, team
from harbour.people.constants import Weekday


def url(c):
    return reverse("cases:detail", kwargs={"case_id": c.pk})


def test_the_page_shows_the_case_and_is_audited(client, users, unit):
    worker = users["caseworker"]
    ipv = team(unit, "IPV team", worker)
    c = case(
        unit,
        worker,
        programs=[Program.IPV, Program.SEXUAL_VIOLENCE],
        team=ipv,
        occurrence_number="HRPS-26-000123",
    )
    client.force_login(worker)
    response = client.get(url(c))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        c.number,
        "Robin Example",
        "Victim",
        "Intimate partner violence",
        "Sexual violence",
        "Open",
        "Normal",
        worker.full_name,
        "IPV team",
        "HRPS-26-000123",
        "Case opened.",
    ):
        assert text in page, text
    assert reverse("people:detail", kwargs={"person_id": c.client_id}) in page
    event = AccessEvent.objects.get(action="case.view")
    assert (event.object_id, event.person_id) == (str(c.pk), str(c.client_id))


def test_the_safe_contact_panel_says_what_is_not_safe_and_whether_now_is_safe(client, users, unit):
    c = case(unit, users["caseworker"])
    phone(c.client, safe_to_call=True, code_word="tulip")
    now = timezone.localtime(timezone.now(), unit.tz)
    # A window on another day: never "now".
    other_day = (now.weekday() + 3) % 7
    phone(
        c.client,
        value="+19025550199",
        safe_to_call=True,
        safe_to_text=True,
        safe_days=[other_day],
        safe_from=time(9),
        safe_until=time(10),
    )
    client.force_login(users["caseworker"])
    page = client.get(url(c)).content.decode()
    assert "Do NOT leave a message" in page and "Do NOT text" in page
    assert "Now is inside the safe times." in page
    assert "Now is OUTSIDE the safe times." in page
    assert str(Weekday(other_day).label) in page
    # The code word stays hidden behind the audited reveal.
    assert "tulip" not in page
    reveal = reverse(
        "people:code_word_reveal",
        kwargs={"person_id": c.client_id, "contact_id": c.client.contact_points.first().pk},
    )
    assert reveal in page


def test_the_timeline_reads_as_sentences_newest_first_with_links(client, users, unit):
    worker = users["caseworker"]
    c = case(unit, worker)
    contact = Contact.objects.create(
        case=c,
        person=c.client,
        channel="phone",
        direction="outgoing",
        outcome="reached",
        recorded_by=worker,
    )
    add_timeline(
        c,
        TimelineKind.CONTACT,
        "recorded",
        actor=worker,
        obj=contact,
        channel="phone",
        direction="outgoing",
        outcome="reached",
    )
    service = ServiceProvided.objects.create(case=c, service="safety_planning", provided_by=worker)
    add_timeline(
        c, TimelineKind.SERVICE, "recorded", actor=worker, obj=service, service="safety_planning"
    )
    client.force_login(worker)
    page = client.get(url(c)).content.decode()
    service_line = page.index("Service provided: safety planning.")
    contact_line = page.index("Phone: we contacted them, spoke with them.")
    opened = page.index("Case opened.")
    assert service_line < contact_line < opened
    assert reverse("cases:contact", kwargs={"case_id": c.pk, "contact_id": contact.pk}) in page
    assert reverse("cases:service", kwargs={"case_id": c.pk, "service_id": service.pk}) in page


def test_the_timeline_is_in_the_readers_language(client, users, unit):
    worker = users["caseworker"]
    c = case(unit, worker)
    add_timeline(
        c, TimelineKind.CASE, "priority_changed", actor=worker, **{"from": "normal", "to": "high"}
    )
    client.force_login(worker)
    page = client.get(url(c), headers={"accept-language": "fr"}).content.decode()
    assert "Dossier ouvert." in page
    assert "Priorité changée de normale à haute." in page


def test_times_are_shown_in_the_organisations_time_zone(client, users, unit):
    worker = users["caseworker"]
    c = case(unit, worker)
    at = timezone.now().replace(hour=15, minute=30, second=0, microsecond=0) - timedelta(days=1)
    add_timeline(c, TimelineKind.NOTE, "added", actor=worker, at=at)
    client.force_login(worker)
    page = client.get(url(c)).content.decode()
    local = timezone.localtime(at, unit.tz)
    assert local.strftime("%Y-%m-%d %H:%M") in page


def test_the_timeline_pages_fifty_lines_at_a_time(client, users, unit):
    worker = users["caseworker"]
    c = case(unit, worker)
    for i in range(60):
        add_timeline(c, TimelineKind.NOTE, f"n{i:02d}", actor=worker)
    client.force_login(worker)
    first = client.get(url(c)).content.decode()
    assert "Note: n59." in first and "Note: n10." in first and "Note: n09." not in first
    assert "?page=2#timeline" in first and "Newer" not in first
    second = client.get(url(c) + "?page=2").content.decode()
    assert "Note: n09." in second and "Case opened." in second
    assert "?page=1#timeline" in second and "Older" not in second
    # A page number that is not one shows the newest lines.
    assert "Note: n59." in client.get(url(c) + "?page=x").content.decode()


def test_the_number_of_queries_does_not_grow_with_the_timeline(client, users, unit):
    worker = users["caseworker"]
    colleague = users["coordinator"]
    c = case(unit, worker, team=team(unit, "IPV team", worker))
    phone(c.client, safe_to_call=True)
    relative = person(unit, "Sam")
    case(unit, worker, relative, client_role=ClientRole.FAMILY, linked_case=c)
    client.force_login(worker)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(c)).status_code == 200
        return len(queries)

    # One line naming a user, so the baseline includes the one query that names them all.
    add_timeline(c, TimelineKind.ASSIGNMENT, "assigned", actor=worker, to_user=worker.pk)
    # The first request of a session also touches it (session_activity_middleware): measure
    # from the second.
    count()
    few = count()
    for i in range(40):
        actor = worker if i % 2 else colleague
        add_timeline(c, TimelineKind.ASSIGNMENT, "assigned", actor=actor, to_user=actor.pk)
        add_timeline(c, TimelineKind.SERVICE, "recorded", actor=actor, service="follow_up")
    assert count() == few


def test_another_organisation_gets_404(client, users, unit, outsider):
    c = case(unit, users["caseworker"])
    client.force_login(outsider)
    assert client.get(url(c)).status_code == 404
    assert not AccessEvent.objects.filter(action="case.view").exists()


def test_roles_that_do_not_work_cases_are_refused(client, users, unit):
    c = case(unit, users["caseworker"])
    for role in ("volunteer", "officer", "analyst", "admin", "partner", "dispatcher"):
        client.force_login(users[role])
        assert client.get(url(c)).status_code == 403, role


def test_the_page_lists_open_follow_ups_soonest_first_with_the_overdue_flagged(client, users, unit):
    worker = users["caseworker"]
    c = case(unit, worker)
    now = timezone.now()
    Task.objects.create(
        organisation=unit,
        case=c,
        title="Call about bail",
        due_at=now + timedelta(days=2),
        owner=worker,
    )
    Task.objects.create(
        organisation=unit,
        case=c,
        title="Send the court letter",
        due_at=now - timedelta(hours=3),
        owner=worker,
    )
    Task.objects.create(
        organisation=unit,
        case=c,
        title="Already done",
        due_at=now + timedelta(days=1),
        status=TaskStatus.DONE,
    )
    client.force_login(worker)
    page = client.get(url(c)).content.decode()
    section = page.split('id="followups"')[1].split("Before you contact")[0]
    assert section.index("Send the court letter") < section.index("Call about bail")
    assert section.count("Overdue") == 1
    assert "Already done" not in section
    assert reverse("cases:followup_new", kwargs={"case_id": c.pk}) in page


def test_follow_ups_and_the_referral_read_as_sentences_on_the_timeline(client, users, unit):
    worker = users["caseworker"]
    c = case(unit, worker)
    client.force_login(worker)
    due = (timezone.localtime(timezone.now(), unit.tz) + timedelta(days=3)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    response = client.post(
        reverse("cases:followup_new", kwargs={"case_id": c.pk}),
        {"title": "Check in after court", "due": f"{due:%Y-%m-%dT%H:%M}", "owner": worker.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    add_timeline(
        c, TimelineKind.REFERRAL, "accepted", actor=worker, source="police", channel="officer_form"
    )
    page = client.get(url(c)).content.decode()
    assert f"Follow-up set, due {due:%Y-%m-%d} 10:30." in page
    assert "Referral accepted: Police, by officer&#x27;s form." in page
