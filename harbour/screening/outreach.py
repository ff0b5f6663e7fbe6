"""The outreach queue's decisions on a screening match: assign, offer services (a referral
in triage, source "screening"), no action (with a reason), existing client (a link to a
person of the unit). Each is one transaction with its audit event."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.audit.actions import record_access
from harbour.cases import safe_contact
from harbour.cases.constants import Channel, ContactOutcome, Direction
from harbour.intake.actions import Named, receive_referral
from harbour.intake.constants import IntakeChannel, Source, Urgency
from harbour.screening.constants import MatchStatus, PersonRole, RulePriority
from harbour.screening.models import OccurrencePerson, OutreachAttempt, ScreeningMatch


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
            # The referral's offence field holds 200 characters: the rule names, cut there.
            offence=", ".join(sorted({v.name for v in match.reasons.all()}))[:200],
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


# For someone Harbour knows nothing about, nothing may be left that a partner could find:
# no voicemail, no text, no email, no letter.
LEAVES_SOMETHING = frozenset({ContactOutcome.LEFT_MESSAGE, ContactOutcome.SENT})


def record_attempt(
    request,
    match: ScreeningMatch,
    *,
    channel: str,
    outcome: str,
    at,
    point=None,
    notes: str = "",
) -> OutreachAttempt:
    """Record an attempt to reach the victim, refused (OutreachError, nothing written) when
    safe-contact rules forbid it. Someone new (no person linked): no message of any kind
    may be left. A linked person: their contact point's preferences (cases.safe_contact)."""
    if channel not in Channel.values:
        raise OutreachError(_("Choose the channel from the list."))
    if outcome not in ContactOutcome.values:
        raise OutreachError(_("Choose the outcome from the list."))
    if match.person is None:
        if outcome in LEAVES_SOMETHING or channel in (Channel.TEXT, Channel.EMAIL, Channel.LETTER):
            raise OutreachError(
                _(
                    "This victim is not a client: Harbour does not know whether it is safe "
                    "to leave a message, text, email or write. Only a conversation with the "
                    "person may be recorded. Nothing was recorded."
                )
            )
        if point is not None:
            raise OutreachError(_("Link the existing client before choosing their number."))
    else:
        if point is not None and point.person_id != match.person_id:
            raise OutreachError(_("Choose one of this client's numbers or addresses."))
        verdict = safe_contact.check(
            channel=channel,
            direction=Direction.OUTGOING,
            outcome=outcome,
            point=point,
            at=at,
            tz=match.organisation.tz,
        )
        if verdict.refusal:
            raise OutreachError(verdict.refusal)
    with transaction.atomic():
        attempt = OutreachAttempt.objects.create(
            match=match,
            channel=channel,
            outcome=outcome,
            at=at,
            contact_point=point,
            notes=notes or None,
            recorded_by=request.user,
        )
        if outcome == ContactOutcome.REACHED and (
            match.first_contact_at is None or at < match.first_contact_at
        ):
            match.first_contact_at = at
            match.save(update_fields=["first_contact_at"])
        record_access(request, "screening.attempt", obj=match, person=match.person)
    return attempt
