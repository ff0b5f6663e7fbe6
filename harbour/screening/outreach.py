"""The outreach queue's decisions on a screening match: assign, offer services (a referral
in triage, source "screening"), no action (with a reason), existing client (a link to a
person of the unit). Each is one transaction with its audit event."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.audit.actions import record_access
from harbour.intake.actions import Named, receive_referral
from harbour.intake.constants import IntakeChannel, Source, Urgency
from harbour.screening.constants import MatchStatus, PersonRole, RulePriority
from harbour.screening.models import OccurrencePerson, ScreeningMatch


class OutreachError(Exception):
    pass


def victim_of(match: ScreeningMatch) -> OccurrencePerson | None:
    """The matched victim in the occurrence as it now stands (None once it was deleted)."""
    if match.occurrence_id is None:
        return None
    return OccurrencePerson.objects.filter(
        occurrence_id=match.occurrence_id,
        role=PersonRole.VICTIM,
        sequence_number=match.victim_sequence_number,
    ).first()


def _undecided(match: ScreeningMatch) -> None:
    if match.status != MatchStatus.NEW:
        raise OutreachError(_("This victim has already been decided."))


def assign(request, match: ScreeningMatch, user) -> None:
    with transaction.atomic():
        match.assigned_to = user
        match.save(update_fields=["assigned_to"])
        record_access(request, "screening.assign", obj=match)


def _decided(request, match: ScreeningMatch, status: str, action: str, **fields) -> None:
    match.status = status
    match.decided_at = timezone.now()
    match.decided_by = request.user
    for name, value in fields.items():
        setattr(match, name, value)
    match.save(update_fields=["status", "decided_at", "decided_by", *fields])
    record_access(request, action, obj=match, person=fields.get("person"))


def offer_services(request, match: ScreeningMatch):
    """Put the victim in triage as a referral from screening, linked to the match."""
    with transaction.atomic():
        _undecided(match)
        victim = victim_of(match)
        given = (victim.given_name if victim else None) or _("Victim %(number)s") % {
            "number": match.victim_sequence_number
        }
        named = Named(
            given_name=given,
            family_name=(victim.family_name if victim else None) or "",
            date_of_birth=victim.date_of_birth if victim else None,
        )
        referral, _created = receive_referral(
            request,
            match.organisation,
            source=Source.SCREENING,
            channel=IntakeChannel.SYSTEM,
            people=[named],
            urgency=Urgency.PRIORITY if match.priority == RulePriority.HIGH else Urgency.ROUTINE,
            sender_organisation=match.organisation,
            sender_reference=f"screening-{match.pk}",
            occurrence_number=match.incident_number,
            offence=", ".join(sorted({v.name for v in match.reasons.all()})),
        )
        _decided(request, match, MatchStatus.OFFERED, "screening.offer", referral=referral)
    return referral


def no_action(request, match: ScreeningMatch, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise OutreachError(_("Say why no action is taken."))
    with transaction.atomic():
        _undecided(match)
        _decided(
            request, match, MatchStatus.NO_ACTION, "screening.no_action", no_action_reason=reason
        )


def existing_client(request, match: ScreeningMatch, person) -> None:
    if person is None or person.organisation_id != match.organisation_id:
        raise OutreachError(_("Choose the client from your unit's people."))
    with transaction.atomic():
        _undecided(match)
        _decided(
            request, match, MatchStatus.EXISTING_CLIENT, "screening.existing_client", person=person
        )
