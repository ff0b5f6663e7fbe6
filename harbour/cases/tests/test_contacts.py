"""Recording contacts: the safe-contact rules refuse what would put someone at risk and
write nothing; outside the safe times a warning comes first; the notes stay encrypted and
every look at them is audited."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AccessEvent
from harbour.cases.models import Case, Contact, TimelineEvent
from harbour.cases.tests.helpers import case, email, person, phone, relate


@pytest.fixture
def c(unit, users):
    return case(unit, users["caseworker"])


def new_url(c):
    return reverse("cases:contact_new", kwargs={"case_id": c.pk})


def local_now(unit, **delta):
    at = timezone.localtime(timezone.now(), unit.tz) - timedelta(minutes=1, **delta)
    return at.strftime("%Y-%m-%dT%H:%M")


def post(client, c, unit, **fields):
    data = {
        "person": str(c.client_id),
        "channel": "phone",
        "direction": "outgoing",
        "at": local_now(unit),
        "outcome": "reached",
        "duration_minutes": "15",
        "notes": "Talked through the safety plan.",
        "confirm_outside_safe_times": "False",
    }
    data.update(fields)
    return client.post(new_url(c), data)


def errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def nothing_written(c):
    assert not Contact.objects.exists()
    assert not TimelineEvent.objects.filter(case=c, kind="contact").exists()
    assert not AccessEvent.objects.filter(action="contact.record").exists()


def test_a_caseworker_records_a_phone_call_on_a_safe_number(client, users, unit, c):
    point = phone(c.client, safe_to_call=True)
    before = Case.objects.get(pk=c.pk).last_activity_at
    client.force_login(users["caseworker"])
    response = post(client, c, unit, contact_point=str(point.pk))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.person, contact.contact_point, contact.channel, contact.outcome) == (
        c.client,
        point,
        "phone",
        "reached",
    )
    assert contact.notes == "Talked through the safety plan."
    assert contact.duration_minutes == 15 and not contact.outside_safe_times
    assert contact.recorded_by == users["caseworker"]
    event = TimelineEvent.objects.get(case=c, kind="contact")
    assert event.data == {
        "channel": "phone",
        "direction": "outgoing",
        "outcome": "reached",
        "outside_safe_times": False,
        "with": "client",
    }
    # Codes only: neither the notes nor the number reach the timeline.
    assert "safety plan" not in str(event.data) and "555" not in str(event.data)
    assert Case.objects.get(pk=c.pk).last_activity_at >= before
    assert AccessEvent.objects.filter(action="contact.record", object_id=str(contact.pk)).exists()


def test_the_time_is_read_in_the_organisations_time_zone(client, users, unit, c):
    point = phone(c.client, safe_to_call=True)
    client.force_login(users["caseworker"])
    post(client, c, unit, contact_point=str(point.pk), at="2026-03-02T10:15")
    assert Contact.objects.get().at.isoformat() == "2026-03-02T15:15:00+00:00"


def test_it_refuses_a_voicemail_where_it_is_not_safe_to_leave_a_message(client, users, unit, c):
    point = phone(c.client, safe_to_call=True, safe_to_leave_message=False)
    client.force_login(users["caseworker"])
    response = post(client, c, unit, contact_point=str(point.pk), outcome="left_message")
    assert response.status_code == 200
    assert "NOT safe to leave a message" in errors(response)
    nothing_written(c)


def test_it_refuses_a_message_left_without_saying_where(client, users, unit, c):
    client.force_login(users["caseworker"])
    response = post(client, c, unit, channel="home_visit", outcome="left_message")
    assert "Choose the number or address the message was left on" in errors(response)
    nothing_written(c)


@pytest.mark.parametrize(
    ("channel", "make", "message"),
    [
        ("text", phone, "NOT safe to text"),
        ("email", email, "NOT safe to email"),
        ("phone", phone, "NOT safe to call"),
    ],
)
def test_it_refuses_an_outgoing_contact_the_person_said_is_not_safe(
    client, users, unit, c, channel, make, message
):
    # Everything else is marked safe; only the one this channel needs is not.
    flags = {"safe_to_call": True, "safe_to_text": True, "safe_to_email": True}
    flags[{"text": "safe_to_text", "email": "safe_to_email", "phone": "safe_to_call"}[channel]] = (
        False
    )
    point = make(c.client, **flags)
    client.force_login(users["caseworker"])
    response = post(client, c, unit, channel=channel, contact_point=str(point.pk), outcome="sent")
    assert message in errors(response)
    nothing_written(c)


def test_an_incoming_call_from_a_number_not_safe_to_call_is_recorded(client, users, unit, c):
    point = phone(c.client)
    client.force_login(users["caseworker"])
    response = post(client, c, unit, direction="incoming", contact_point=str(point.pk))
    assert response.status_code == 302
    assert Contact.objects.get().direction == "incoming"


def test_an_outgoing_call_needs_the_number_used(client, users, unit, c):
    client.force_login(users["caseworker"])
    response = post(client, c, unit)
    assert "Choose the phone number or email address you used" in errors(response)
    nothing_written(c)


def test_a_text_cannot_go_to_an_email_address(client, users, unit, c):
    point = email(c.client, safe_to_email=True)
    client.force_login(users["caseworker"])
    response = post(client, c, unit, channel="text", contact_point=str(point.pk))
    assert "needs a phone number" in errors(response)
    nothing_written(c)


def _outside_now(unit, **flags):
    """Safe times that exclude the present moment: a window on another day."""
    now = timezone.localtime(timezone.now(), unit.tz)
    return {"safe_days": [(now.weekday() + 3) % 7], "safe_from": time(9), "safe_until": time(17)}


def test_outside_the_safe_times_it_warns_first_then_records_when_confirmed(client, users, unit, c):
    point = phone(c.client, safe_to_call=True, **_outside_now(unit))
    client.force_login(users["caseworker"])
    response = post(client, c, unit, contact_point=str(point.pk))
    assert response.status_code == 200
    assert "outside the safe days and times" in response.content.decode()
    assert "Record anyway" in response.content.decode()
    nothing_written(c)

    response = post(client, c, unit, contact_point=str(point.pk), confirm_outside_safe_times="on")
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.outside_safe_times is True
    assert TimelineEvent.objects.get(case=c, kind="contact").data["outside_safe_times"] is True


def test_an_email_outside_the_safe_times_needs_no_warning(client, users, unit, c):
    point = email(c.client, safe_to_email=True, **_outside_now(unit))
    client.force_login(users["caseworker"])
    response = post(client, c, unit, channel="email", outcome="sent", contact_point=str(point.pk))
    assert response.status_code == 302


def test_it_refuses_a_contact_in_the_future(client, users, unit, c):
    point = phone(c.client, safe_to_call=True)
    client.force_login(users["caseworker"])
    response = post(client, c, unit, contact_point=str(point.pk), at=local_now(unit, days=-1))
    assert response.context["form"].errors["at"] == ["The contact cannot be in the future."]
    nothing_written(c)


def test_it_refuses_a_negative_or_endless_duration(client, users, unit, c):
    point = phone(c.client, safe_to_call=True)
    client.force_login(users["caseworker"])
    response = post(client, c, unit, contact_point=str(point.pk), duration_minutes="0")
    assert "at least 1 minute" in response.context["form"].errors["duration_minutes"][0]
    response = post(client, c, unit, contact_point=str(point.pk), duration_minutes="2000")
    assert "24 hours or less" in response.context["form"].errors["duration_minutes"][0]
    nothing_written(c)


def test_a_contact_with_a_relative_uses_the_relatives_number(client, users, unit, c):
    mother = person(unit, "Morgan")
    relate(c.client, mother)
    theirs = phone(mother, value="+19025550177", safe_to_call=True)
    clients = phone(c.client, safe_to_call=True)
    client.force_login(users["caseworker"])
    page = client.get(new_url(c)).content.decode()
    assert "Morgan Example" in page and "+19025550177" in page

    response = post(client, c, unit, person=str(mother.pk), contact_point=str(clients.pk))
    assert "Choose a number or address of the person you contacted" in errors(response)
    nothing_written(c)

    response = post(client, c, unit, person=str(mother.pk), contact_point=str(theirs.pk))
    assert response.status_code == 302
    assert Contact.objects.get().person == mother
    assert TimelineEvent.objects.get(case=c, kind="contact").data["with"] == "other"


def test_someone_unrelated_to_the_client_is_not_offered(client, users, unit, c):
    stranger = person(unit, "Stranger")
    client.force_login(users["caseworker"])
    response = post(client, c, unit, person=str(stranger.pk), channel="drop_in")
    assert "person" in response.context["form"].errors
    nothing_written(c)


def test_the_contact_page_shows_the_notes_and_the_look_is_audited(client, users, unit, c):
    point = phone(c.client, safe_to_call=True)
    client.force_login(users["caseworker"])
    post(client, c, unit, contact_point=str(point.pk))
    contact = Contact.objects.get()
    url = reverse("cases:contact", kwargs={"case_id": c.pk, "contact_id": contact.pk})
    page = client.get(url).content.decode()
    assert "Talked through the safety plan." in page
    event = AccessEvent.objects.get(action="contact.view")
    assert (event.object_id, event.person_id) == (str(contact.pk), str(c.client_id))


def test_the_contact_form_is_audited_as_it_lists_numbers(client, users, unit, c):
    client.force_login(users["caseworker"])
    assert client.get(new_url(c)).status_code == 200
    assert AccessEvent.objects.filter(action="case.contact_form", object_id=str(c.pk)).exists()


def test_another_organisation_gets_404(client, users, unit, c, outsider):
    point = phone(c.client, safe_to_call=True)
    contact = Contact.objects.create(
        case=c,
        channel="phone",
        direction="outgoing",
        outcome="reached",
        recorded_by=users["caseworker"],
    )
    client.force_login(outsider)
    assert client.get(new_url(c)).status_code == 404
    assert post(client, c, unit, contact_point=str(point.pk)).status_code == 404
    url = reverse("cases:contact", kwargs={"case_id": c.pk, "contact_id": contact.pk})
    assert client.get(url).status_code == 404
    assert Contact.objects.count() == 1


def test_a_contact_of_another_case_is_404(client, users, unit, c):
    other = case(unit, users["caseworker"], person(unit, "Alex"))
    contact = Contact.objects.create(
        case=other,
        channel="phone",
        direction="outgoing",
        outcome="reached",
        recorded_by=users["caseworker"],
    )
    client.force_login(users["caseworker"])
    url = reverse("cases:contact", kwargs={"case_id": c.pk, "contact_id": contact.pk})
    assert client.get(url).status_code == 404


def test_a_number_no_longer_in_use_is_neither_offered_nor_accepted(client, users, unit, c):
    old = phone(c.client, value="+19025550100", safe_to_call=True, in_use=False)
    current = phone(c.client, value="+19025550101", safe_to_call=True)
    client.force_login(users["caseworker"])
    form = client.get(new_url(c)).context["form"]
    offered = [value for _, group in form.fields["contact_point"].choices[1:] for value, _ in group]
    assert offered == [str(current.pk)]
    response = post(client, c, unit, contact_point=str(old.pk))
    assert "Choose a number or address from the list." in str(response.context["form"].errors)
    nothing_written(c)
    # Nor does the case page list it under "Before you contact".
    detail = client.get(reverse("cases:detail", kwargs={"case_id": c.pk}))
    assert [point for point, _ in detail.context["points"]] == [current]
