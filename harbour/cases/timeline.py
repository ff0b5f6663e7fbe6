"""The case timeline as people read it: each TimelineEvent (codes only) becomes a sentence
in the reader's language, with who did it, when, and a link to the thing it is about.

A small registry keyed by (kind, verb). The cases app registers its lines below; a later
app (assessments, alarms, court events) registers its own from its AppConfig.ready:

    from harbour.cases import timeline

    @timeline.line("assessment", "completed")
    def _assessed(event, refs):
        return _("Risk assessment completed: %(level)s.") % {...}

    @timeline.link("risk.assessment")
    def _assessment_url(event):
        return reverse("risk:assessment", kwargs={...})

An event nobody registered still shows, as its kind and verb. Data keys ending in `_user`
or `_team` hold ids; `render` looks them all up in one query each, so a renderer asks
`refs.user(event.data["to_user"])` without a query of its own.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from django.contrib.auth import get_user_model
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.cases.constants import (
    CaseStatus,
    Channel,
    ClientRole,
    CloseReason,
    ContactOutcome,
    Direction,
    Priority,
    Program,
    TimelineKind,
)
from harbour.cases.models import Team, TimelineEvent


@dataclass
class Refs:
    """Users and teams named by id in the events' data, fetched once for all of them."""

    users: dict[int, str] = field(default_factory=dict)
    teams: dict[int, str] = field(default_factory=dict)

    @classmethod
    def for_events(cls, events: list[TimelineEvent]) -> "Refs":
        user_ids: set[int] = set()
        team_ids: set[int] = set()
        for event in events:
            for key, value in (event.data or {}).items():
                if isinstance(value, int) and key.endswith("_user"):
                    user_ids.add(value)
                elif isinstance(value, int) and key.endswith("_team"):
                    team_ids.add(value)
        refs = cls()
        if user_ids:
            users = get_user_model().objects.filter(pk__in=user_ids)
            refs.users = dict(users.values_list("pk", "full_name"))
        if team_ids:
            refs.teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
        return refs

    def user(self, pk) -> str:
        return self.users.get(pk) or _("a former user")

    def team(self, pk) -> str:
        return self.teams.get(pk) or _("a former team")


Renderer = Callable[[TimelineEvent, Refs], str]
Linker = Callable[[TimelineEvent], str | None]
_LINES: dict[tuple[str, str], Renderer] = {}
_LINKS: dict[str, Linker] = {}


def line(kind: str, verb: str) -> Callable[[Renderer], Renderer]:
    """Register the sentence for events of (kind, verb)."""

    def register(renderer: Renderer) -> Renderer:
        _LINES[(kind, verb)] = renderer
        return renderer

    return register


def link(object_type: str) -> Callable[[Linker], Linker]:
    """Register the page of an object type ("cases.contact") for the line's link."""

    def register(linker: Linker) -> Linker:
        _LINKS[object_type] = linker
        return linker

    return register


@dataclass(frozen=True)
class Line:
    at: datetime
    # `at` on the organisation's clock, formatted once here rather than by a template
    # filter per line: the case page renders many lines and must stay fast.
    local: str
    kind: str
    text: str
    actor: str
    url: str | None


def label(choices: type[models.TextChoices], code) -> str:
    """The label of a code in the reader's language; the code itself if it is unknown
    (a choice removed since the event was written)."""
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def generic(event: TimelineEvent, refs: Refs) -> str:
    return f"{label(TimelineKind, event.kind)}: {event.verb.replace('_', ' ')}."


def render(events: Iterable[TimelineEvent], tz: tzinfo | None = None) -> list[Line]:
    """The lines of these events, in their order, with times on `tz`'s clock (the
    organisation's; the current time zone if None). Events need `actor` selected with
    them (select_related) for the page's query count to stay flat."""
    events = list(events)
    refs = Refs.for_events(events)
    if tz is not None:
        # Renderers that name a time (a follow-up's due time) show it on the same clock.
        with timezone.override(tz):
            return _render(events, refs, tz)
    return _render(events, refs, tz)


def _render(events: list[TimelineEvent], refs: Refs, tz: tzinfo | None) -> list[Line]:
    lines = []
    for event in events:
        renderer = _LINES.get((event.kind, event.verb), generic)
        try:
            text = renderer(event, refs)
        except (KeyError, TypeError, ValueError):
            # Data written by an older version of the renderer: show it plainly.
            text = generic(event, refs)
        linker = _LINKS.get(event.object_type)
        url = None
        if linker is not None and event.object_id:
            try:
                url = linker(event)
            except NoReverseMatch:
                url = None
        actor = event.actor.full_name if event.actor is not None else _("Harbour")
        local = timezone.localtime(event.at, tz).strftime("%Y-%m-%d %H:%M")
        lines.append(
            Line(at=event.at, local=local, kind=event.kind, text=text, actor=actor, url=url)
        )
    return lines


# The cases app's own lines.


@line(TimelineKind.CASE, "opened")
def _opened(event, refs):
    return _("Case opened.")


@line(TimelineKind.CASE, "linked_case_opened")
def _linked_opened(event, refs):
    return _("Linked case opened for a client in their own right: %(role)s.") % {
        "role": lower_first(label(ClientRole, event.data["client_role"]))
    }


@line(TimelineKind.CASE, "programs_changed")
def _programs(event, refs):
    parts = []
    if event.data.get("added"):
        names = ", ".join(label(Program, p) for p in event.data["added"])
        parts.append(_("added %(programs)s") % {"programs": names})
    if event.data.get("removed"):
        names = ", ".join(label(Program, p) for p in event.data["removed"])
        parts.append(_("removed %(programs)s") % {"programs": names})
    return _("Programs changed: %(changes)s.") % {"changes": "; ".join(parts)}


@line(TimelineKind.CASE, "priority_changed")
def _priority(event, refs):
    return _("Priority changed from %(old)s to %(new)s.") % {
        "old": lower_first(label(Priority, event.data["from"])),
        "new": lower_first(label(Priority, event.data["to"])),
    }


@line(TimelineKind.CASE, "restricted")
def _restricted(event, refs):
    return _("Case restricted: only its team and assigned worker can open it.")


@line(TimelineKind.CASE, "unrestricted")
def _unrestricted(event, refs):
    return _("Restriction lifted: the unit’s caseworkers can open the case.")


@line(TimelineKind.CASE, "occurrence_changed")
def _occurrence(event, refs):
    return _("Police occurrence number changed.")


@line(TimelineKind.STATUS, "changed")
def _status(event, refs):
    new = event.data["to"]
    if new == CaseStatus.CLOSED:
        return _("Case closed: %(reason)s.") % {
            "reason": lower_first(label(CloseReason, event.data.get("reason", "")))
        }
    if new == CaseStatus.REOPENED:
        return _("Case reopened.")
    return _("Status changed from %(old)s to %(new)s.") % {
        "old": lower_first(label(CaseStatus, event.data["from"])),
        "new": lower_first(label(CaseStatus, new)),
    }


@line(TimelineKind.ASSIGNMENT, "assigned")
def _assigned(event, refs):
    if event.data.get("to_user") is None:
        return _("No longer assigned to a worker.")
    return _("Assigned to %(name)s.") % {"name": refs.user(event.data["to_user"])}


@line(TimelineKind.ASSIGNMENT, "team_changed")
def _team(event, refs):
    if event.data.get("to_team") is None:
        return _("No longer with a team.")
    return _("Team changed to %(team)s.") % {"team": refs.team(event.data["to_team"])}


@line(TimelineKind.CONTACT, "recorded")
def _contact(event, refs):
    text = _("%(channel)s: %(direction)s, %(outcome)s.") % {
        "channel": label(Channel, event.data["channel"]),
        "direction": lower_first(label(Direction, event.data["direction"])),
        "outcome": lower_first(label(ContactOutcome, event.data["outcome"])),
    }
    if event.data.get("with") == "other":
        text += " " + _("With a person close to the client.")
    if event.data.get("outside_safe_times"):
        text += " " + _("Outside the safe times: recorded after a warning.")
    return text


@line(TimelineKind.SERVICE, "recorded")
def _service(event, refs):
    from harbour.cases.services import taxonomy

    text = _("Service provided: %(service)s.") % {
        "service": lower_first(taxonomy().label(event.data["service"]))
    }
    if event.data.get("minutes"):
        text += " " + _("%(minutes)s minutes.") % {"minutes": event.data["minutes"]}
    return text


@line(TimelineKind.BREAK_GLASS, "broken")
def _glass(event, refs):
    return _("Opened this restricted case by breaking the glass; the reason is on record.")


@line(TimelineKind.BREAK_GLASS, "reviewed")
def _glass_reviewed(event, refs):
    return _("A coordinator reviewed a broken glass on this case.")


def _local(iso: str) -> str:
    return timezone.localtime(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")


@line(TimelineKind.TASK, "created")
def _followup_created(event, refs):
    return _("Follow-up set, due %(due)s.") % {"due": _local(event.data["due"])}


@line(TimelineKind.TASK, "updated")
def _followup_updated(event, refs):
    names = {
        "title": _("what to do"),
        "due": _("due time"),
        "owner": _("owner"),
        "team": _("team"),
    }
    changed = ", ".join(str(names.get(c, c)) for c in event.data.get("changed", []))
    return _("Follow-up changed: %(changed)s.") % {"changed": changed}


@line(TimelineKind.TASK, "done")
def _followup_done(event, refs):
    return _("Follow-up done.")


@line(TimelineKind.TASK, "cancelled")
def _followup_cancelled(event, refs):
    return _("Follow-up cancelled.")


@link("cases.task")
def _task_url(event):
    return reverse("cases:followup_edit", kwargs={"task_id": event.object_id})


@link("cases.contact")
def _contact_url(event):
    return reverse(
        "cases:contact", kwargs={"case_id": event.case_id, "contact_id": event.object_id}
    )


@link("cases.serviceprovided")
def _service_url(event):
    return reverse(
        "cases:service", kwargs={"case_id": event.case_id, "service_id": event.object_id}
    )


@link("cases.case")
def _case_url(event):
    if event.object_id == str(event.case_id):
        return None
    return reverse("cases:detail", kwargs={"case_id": event.object_id})
