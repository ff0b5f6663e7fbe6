"""The timeline registry: lines keyed by (kind, verb), generic lines for kinds nobody
registered, links to the objects, and the reader's language."""

from django.utils import translation

from harbour.cases import timeline
from harbour.cases.actions import add_timeline
from harbour.cases.constants import TimelineKind
from harbour.cases.tests.helpers import case


def test_an_unknown_kind_is_shown_plainly(users, unit):
    c = case(unit, users["caseworker"])
    add_timeline(c, "alarm", "button_pressed", actor=users["caseworker"], level="high")
    line = timeline.render(c.timeline.filter(kind="alarm"))[0]
    assert line.text == "alarm: button pressed."
    assert line.actor == users["caseworker"].full_name and line.url is None


def test_a_later_app_registers_its_own_line_and_link(users, unit):
    c = case(unit, users["caseworker"])
    add_timeline(c, "assessment", "completed", level="high")
    event = c.timeline.get(kind="assessment")
    event.object_type, event.object_id = "risk.assessment", "42"

    @timeline.line("assessment", "completed")
    def _assessed(event, refs):
        return f"Risk assessment completed: {event.data['level']}."

    @timeline.link("risk.assessment")
    def _url(event):
        return f"/risk/{event.object_id}/"

    try:
        line = timeline.render([event])[0]
    finally:
        timeline._LINES.pop(("assessment", "completed"))
        timeline._LINKS.pop("risk.assessment")
    assert (line.text, line.url, line.actor) == (
        "Risk assessment completed: high.",
        "/risk/42/",
        "Harbour",
    )


def test_data_a_renderer_cannot_read_falls_back_to_the_generic_line(users, unit):
    c = case(unit, users["caseworker"])
    add_timeline(c, TimelineKind.STATUS, "changed")  # no "to"
    assert timeline.render(c.timeline.filter(kind="status"))[0].text == "Status: changed."


def test_codes_unknown_to_the_choices_show_as_codes(users, unit):
    c = case(unit, users["caseworker"])
    add_timeline(
        c,
        TimelineKind.CONTACT,
        "recorded",
        channel="pigeon",
        direction="outgoing",
        outcome="reached",
    )
    assert timeline.render(c.timeline.filter(kind="contact"))[0].text.startswith("pigeon:")


def test_lines_are_written_in_the_readers_language(users, unit):
    c = case(unit, users["caseworker"])
    add_timeline(c, TimelineKind.SERVICE, "recorded", service="court_accompaniment", minutes=90)
    events = list(c.timeline.filter(kind="service"))
    with translation.override("fr"):
        assert timeline.render(events)[0].text == (
            "Service offert : accompagnement au tribunal. 90 minutes."
        )
    with translation.override("en"):
        assert timeline.render(events)[0].text == (
            "Service provided: court accompaniment. 90 minutes."
        )


def test_users_and_teams_are_looked_up_once_for_the_whole_page(
    users, unit, django_assert_num_queries
):
    c = case(unit, users["caseworker"])
    for role in ("caseworker", "coordinator"):
        add_timeline(c, TimelineKind.ASSIGNMENT, "assigned", to_user=users[role].pk)
    add_timeline(c, TimelineKind.ASSIGNMENT, "team_changed", to_team=999)
    events = list(c.timeline.select_related("actor"))
    with django_assert_num_queries(2):
        lines = timeline.render(events)
    texts = {line.text for line in lines}
    assert f"Assigned to {users['coordinator'].full_name}." in texts
    assert "Team changed to a former team." in texts
