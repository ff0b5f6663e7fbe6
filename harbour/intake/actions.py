"""Writes of intake: receiving a referral through any door, and triage's decisions on it
(accept into a case, decline, mark as a duplicate). Each runs in one transaction with its
audit events and, once there is a case, its timeline line.

`receive_referral` is the ONE seam every door goes through: the public self-referral form,
the officer's and the agency's forms, the records-system API, and later the screening of
police reports (issue 4) and on-scene call-outs (issue 6), which call it with source
SCREENING or ON_SCENE and channel SYSTEM. Doing it here means every door is held to the
same rules: the same checks, the same urgency rule and triage targets, the same
idempotency on the sender's reference, the same audit event.
"""

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.access import Acting
from harbour.accounts.constants import CASE_ROLES, OrganisationKind
from harbour.accounts.models import Membership, Organisation
from harbour.audit.actions import record_access
from harbour.cases.actions import add_timeline, open_case, touch
from harbour.cases.constants import Priority, TimelineKind
from harbour.cases.models import Case, Team
from harbour.intake.constants import (
    HIGH_RISK_FLAGS,
    TRIAGE_TARGETS,
    DeclineReason,
    IntakeChannel,
    ReferralRole,
    ReferralStatus,
    RiskFlag,
    Source,
    Urgency,
)
from harbour.intake.models import Referral, ReferralPerson
from harbour.people.actions import create_person, save_contact_point
from harbour.people.constants import EARLIEST_BIRTH_YEAR, ContactKind, Language
from harbour.people.forms import normalise_phone
from harbour.people.models import Person


class IntakeError(ValueError):
    """A referral or a decision refused; the message says what to fix and nothing was
    written. `field` names the input at fault where there is one ("people.0.phone")."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


class ReferralConflict(Exception):
    """The sender already used this reference for a referral with other content. Harbour
    never changes a referral from a resend: triage may already have acted on what came
    first. A correction is a new referral with a new reference."""

    def __init__(self, referral: Referral):
        super().__init__(referral.reference)
        self.referral = referral


# Sources that must say whether the victim agreed to be referred: a third party sends
# these. A self-referral is its own consent; a family member or friend may not know.
CONSENT_REQUIRED = frozenset({Source.POLICE, Source.AGENCY})


@dataclass(frozen=True)
class Named:
    """A person as the referrer described them: what receive_referral takes per person."""

    given_name: str
    family_name: str = ""
    role: str = ReferralRole.VICTIM
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    safe_to_call: bool = False
    safe_to_leave_message: bool = False
    safe_to_text: bool = False
    safe_to_email: bool = False
    safe_times: str = ""
    no_contact: bool = False
    language: str = ""
    interpreter_needed: bool = False

    @classmethod
    def from_row(cls, row: ReferralPerson) -> "Named":
        return cls(
            given_name=row.given_name or "",
            family_name=row.family_name or "",
            role=row.role,
            date_of_birth=row.date_of_birth,
            phone=row.phone or "",
            email=row.email or "",
            safe_to_call=row.safe_to_call,
            safe_to_leave_message=row.safe_to_leave_message,
            safe_to_text=row.safe_to_text,
            safe_to_email=row.safe_to_email,
            safe_times=row.safe_times or "",
            no_contact=row.no_contact,
            language=row.language,
            interpreter_needed=row.interpreter_needed,
        )


def urgency_for(requested: str, risk_flags: Iterable[str]) -> str:
    """The urgency a referral is triaged at: what the sender asked for, raised to urgent
    when it carries a high-risk flag (constants.HIGH_RISK_FLAGS). Never lowered."""
    if HIGH_RISK_FLAGS.intersection(risk_flags):
        return Urgency.URGENT
    return requested


# ---- checking what a door hands over ----


def _text(value: str | None, limit: int, field: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise IntakeError(
            _("%(label)s is too long: at most %(limit)s characters.")
            % {"label": label, "limit": limit},
            field,
        )
    # PostgreSQL cannot store a NUL character, and no real input holds one.
    if "\x00" in value:
        raise IntakeError(
            _("%(label)s holds a character that is not allowed.") % {"label": label}, field
        )
    return value


def _phone(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalise_phone(value)
    except ValidationError as error:
        raise IntakeError(error.messages[0], field) from None


def _email(value: str, field: str) -> str:
    value = (value or "").strip().lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise IntakeError(
            _("Enter an email address, for example name@example.ca."), field
        ) from None
    return value


def check_date_of_birth(born: date | None, field: str = "date_of_birth") -> None:
    if born is None:
        return
    if born > timezone.localdate():
        raise IntakeError(_("The date of birth cannot be in the future."), field)
    if born.year < EARLIEST_BIRTH_YEAR:
        raise IntakeError(
            _("The date of birth cannot be before %(year)s.") % {"year": EARLIEST_BIRTH_YEAR},
            field,
        )


def _clean_person(named: Named, i: int) -> Named:
    at = f"people.{i}."
    if named.role not in ReferralRole.values:
        raise IntakeError(_("Choose the person’s role from the list."), at + "role")
    given = _text(named.given_name, 100, at + "given_name", _("The given name"))
    if not given:
        raise IntakeError(_("Enter the person’s given name."), at + "given_name")
    check_date_of_birth(named.date_of_birth, at + "date_of_birth")
    phone = _phone(named.phone, at + "phone")
    email = _email(named.email, at + "email")
    if named.language and named.language not in Language.values:
        raise IntakeError(_("Choose a language from the list."), at + "language")
    flags = (named.safe_to_call, named.safe_to_leave_message, named.safe_to_text)
    if named.no_contact and (any(flags) or named.safe_to_email):
        raise IntakeError(
            _("“Do not contact” cannot go with a safe way to make contact: choose one."),
            at + "no_contact",
        )
    if any(flags) and not phone:
        raise IntakeError(_("Give the phone number that is safe to use."), at + "phone")
    if named.safe_to_email and not email:
        raise IntakeError(_("Give the email address that is safe to use."), at + "email")
    return Named(
        given_name=given,
        family_name=_text(named.family_name, 100, at + "family_name", _("The family name")),
        role=named.role,
        date_of_birth=named.date_of_birth,
        phone=phone,
        email=email,
        safe_to_call=named.safe_to_call,
        safe_to_leave_message=named.safe_to_leave_message,
        safe_to_text=named.safe_to_text,
        safe_to_email=named.safe_to_email,
        safe_times=_text(named.safe_times, 200, at + "safe_times", _("The safe times")),
        no_contact=named.no_contact,
        language=named.language,
        interpreter_needed=named.interpreter_needed,
    )


@dataclass(frozen=True)
class _Content:
    """Everything a sender said, normalised: two sends with the same reference are the
    same referral only if these are equal."""

    organisation_id: int
    source: str
    channel: str
    urgency: str
    occurrence_number: str
    offence: str
    risk_flags: tuple[str, ...]
    victim_consented: bool | None
    referrer_name: str
    referrer_role: str
    referrer_phone: str
    referrer_email: str
    referrer_relationship: str
    narrative: str
    people: tuple[tuple, ...]

    @classmethod
    def of(cls, referral: Referral) -> "_Content":
        return cls(
            organisation_id=referral.organisation_id,
            source=referral.source,
            channel=referral.channel,
            urgency=referral.urgency,
            occurrence_number=referral.occurrence_number,
            offence=referral.offence,
            risk_flags=tuple(sorted(referral.risk_flags)),
            victim_consented=referral.victim_consented,
            referrer_name=referral.referrer_name or "",
            referrer_role=referral.referrer_role,
            referrer_phone=referral.referrer_phone or "",
            referrer_email=referral.referrer_email or "",
            referrer_relationship=referral.referrer_relationship,
            narrative=referral.narrative or "",
            people=_people_key(Named.from_row(p) for p in referral.people.all()),
        )


def _people_key(people: Iterable[Named]) -> tuple[tuple, ...]:
    # Order-free: stored rows come back by role, a sender lists them as it likes.
    return tuple(sorted((astuple(p) for p in people), key=repr))


def _same_or_conflict(existing: Referral, content: _Content) -> Referral:
    if _Content.of(existing) != content:
        raise ReferralConflict(existing)
    return existing


def _insert_or_existing(referral: Referral) -> Referral:
    """Insert the referral, or return the one a concurrent send with the same sender's
    reference committed first. The unique constraint is what decides the race: the check
    for an existing row before the insert cannot, since both senders may pass it. The
    savepoint keeps the caller's transaction usable after the IntegrityError."""
    try:
        with transaction.atomic():
            referral.save(force_insert=True)
    except IntegrityError:
        if not referral.sender_reference:
            raise
        return Referral.objects.get(
            sender_organisation=referral.sender_organisation,
            sender_reference=referral.sender_reference,
        )
    return referral


def _none_if_empty(value: str) -> str | None:
    # Encrypted columns hold NULL for "not given", never an encrypted empty string.
    return value or None


@transaction.atomic
def receive_referral(
    request,
    organisation: Organisation,
    *,
    source: str,
    channel: str,
    people: Sequence[Named],
    urgency: str = Urgency.ROUTINE,
    sender_organisation: Organisation | None = None,
    sender_reference: str = "",
    occurrence_number: str = "",
    offence: str = "",
    risk_flags: Iterable[str] = (),
    victim_consented: bool | None = None,
    referrer_name: str = "",
    referrer_role: str = "",
    referrer_phone: str = "",
    referrer_email: str = "",
    referrer_relationship: str = "",
    narrative: str = "",
    received_at: datetime | None = None,
) -> tuple[Referral, bool]:
    """Record a referral for `organisation` (a victim services unit) and put it in the
    triage queue. Returns (referral, created).

    A resend from the same sender with the same `sender_reference` and the same content
    returns the referral already received and writes nothing; with other content it
    raises ReferralConflict. Anything invalid raises IntakeError and writes nothing.
    """
    if organisation.kind != OrganisationKind.VSU:
        raise IntakeError(_("Referrals go to a victim services unit."), "to")
    if source not in Source.values:
        raise IntakeError(_("Choose where the referral comes from."), "source")
    if channel not in IntakeChannel.values:
        raise IntakeError(_("Choose how the referral came in."), "channel")
    if urgency not in Urgency.values:
        raise IntakeError(_("Choose the urgency from the list."), "urgency")
    flags = sorted(set(risk_flags))
    for flag in flags:
        if flag not in RiskFlag.values:
            raise IntakeError(_("Choose risk flags from the list."), "risk_flags")
    if source == Source.SELF:
        victim_consented = True
    elif source in CONSENT_REQUIRED and victim_consented is None:
        raise IntakeError(
            _("Say whether the victim agreed to be referred: yes or no."), "victim_consented"
        )
    cleaned = [_clean_person(named, i) for i, named in enumerate(people)]
    if not any(p.role == ReferralRole.VICTIM for p in cleaned):
        raise IntakeError(_("Name at least one victim."), "people")
    sender_reference = _text(sender_reference, 80, "sender_reference", _("The reference"))
    if sender_reference and sender_organisation is None:
        raise IntakeError(_("A reference needs a referring organisation."), "sender_reference")
    referrer_name = _text(referrer_name, 200, "referrer.name", _("The referrer’s name"))
    if referrer_relationship and referrer_relationship not in ReferralRole.values:
        raise IntakeError(_("Choose the relationship from the list."), "referrer_relationship")
    if source == Source.FAMILY_FRIEND and not referrer_name:
        raise IntakeError(_("Enter your name."), "referrer.name")
    content = _Content(
        organisation_id=organisation.pk,
        source=source,
        channel=channel,
        urgency=urgency_for(urgency, flags),
        occurrence_number=_text(
            occurrence_number, 40, "occurrence_number", _("The occurrence number")
        ),
        offence=_text(offence, 200, "offence", _("The offence")),
        risk_flags=tuple(flags),
        victim_consented=victim_consented,
        referrer_name=referrer_name,
        referrer_role=_text(referrer_role, 100, "referrer.role", _("The role or badge")),
        referrer_phone=_phone(referrer_phone, "referrer.phone"),
        referrer_email=_email(referrer_email, "referrer.email"),
        referrer_relationship=referrer_relationship,
        narrative=_text(narrative, 5000, "narrative", _("The narrative")),
        people=_people_key(cleaned),
    )
    if sender_reference:
        existing = Referral.objects.filter(
            sender_organisation=sender_organisation, sender_reference=sender_reference
        ).first()
        if existing is not None:
            return _same_or_conflict(existing, content), False
    received_at = received_at or timezone.now()
    # An API call is sent by its key's organisation, never by a browser session that
    # happens to ride along with it.
    user = None if getattr(request, "integration_key", None) else getattr(request, "user", None)
    referral = Referral(
        organisation=organisation,
        source=source,
        channel=channel,
        urgency=content.urgency,
        received_at=received_at,
        due_at=received_at + TRIAGE_TARGETS[Urgency(content.urgency)],
        sender_organisation=sender_organisation,
        sender_reference=sender_reference,
        sent_by=user if user is not None and user.is_authenticated else None,
        occurrence_number=content.occurrence_number,
        offence=content.offence,
        risk_flags=flags,
        victim_consented=victim_consented,
        referrer_name=_none_if_empty(content.referrer_name),
        referrer_role=content.referrer_role,
        referrer_phone=_none_if_empty(content.referrer_phone),
        referrer_email=_none_if_empty(content.referrer_email),
        referrer_relationship=referrer_relationship,
        narrative=_none_if_empty(content.narrative),
    )
    saved = _insert_or_existing(referral)
    if saved is not referral:
        return _same_or_conflict(saved, content), False
    for position, named in enumerate(cleaned):
        ReferralPerson(
            referral=referral,
            position=position,
            role=named.role,
            given_name=named.given_name,
            family_name=_none_if_empty(named.family_name),
            date_of_birth=named.date_of_birth,
            phone=_none_if_empty(named.phone),
            email=_none_if_empty(named.email),
            safe_to_call=named.safe_to_call,
            safe_to_leave_message=named.safe_to_leave_message,
            safe_to_text=named.safe_to_text,
            safe_to_email=named.safe_to_email,
            safe_times=_none_if_empty(named.safe_times),
            no_contact=named.no_contact,
            language=named.language,
            interpreter_needed=named.interpreter_needed,
        ).save(force_insert=True)
    # Codes only: the trail never holds a name or a number.
    record_access(
        request,
        "referral.receive",
        obj=referral,
        organisation=organisation,
        reason=f"{source} by {channel}",
    )
    return referral, True


# ---- triage's decisions ----


def _claim(referral: Referral, user, status: str, **decision) -> None:
    """Move the referral out of NEW, or refuse. A conditional UPDATE, not a read then a
    write: two workers deciding the same referral at once both read it as new, and only
    the UPDATE's WHERE status='new' lets exactly one of them through (on PostgreSQL the
    second waits for the first's row lock, then matches nothing). The rest of the decision
    runs in the same transaction, so a later failure rolls the claim back too."""
    now = timezone.now()
    claimed = Referral.objects.filter(pk=referral.pk, status=ReferralStatus.NEW).update(
        status=status, decided_at=now, decided_by=user, **decision
    )
    if not claimed:
        raise IntakeError(_("This referral has already been decided."))
    referral.status, referral.decided_at, referral.decided_by = status, now, user
    for name, value in decision.items():
        setattr(referral, name, value)


@dataclass
class VictimDecision:
    """Triage's choice for one victim named on a referral: the person on file it is (None:
    create one from the referral's details), and the live case to attach the referral to
    (None: open a new case)."""

    named: ReferralPerson
    person: Person | None = None
    case: Case | None = None


def _person_from(request, referral: Referral, named: ReferralPerson) -> Person:
    """A new person from what the referrer said, with their phone and email as contact
    points carrying the safe-contact answers."""
    language = named.language
    person = create_person(
        request,
        Acting(organisation=referral.organisation),
        given_name=named.given_name or "",
        family_name=named.family_name or "",
        date_of_birth=named.date_of_birth,
        languages=[language] if language else [],
        interpreter_needed=named.interpreter_needed,
        interpreter_language=language if named.interpreter_needed else "",
    )
    notes = []
    if named.no_contact:
        notes.append(_("The referral said: do not contact; they will get in touch."))
    if named.safe_times:
        notes.append(_("Safe times, as the referral said: %(times)s") % {"times": named.safe_times})
    note = " ".join(notes) or None
    blank: dict = {
        "safe_days": [],
        "safe_from": None,
        "safe_until": None,
        "code_word": None,
        "in_use": True,
    }
    if named.phone:
        save_contact_point(
            request,
            person,
            None,
            kind=ContactKind.PHONE,
            value=named.phone,
            is_primary=True,
            safe_to_call=named.safe_to_call,
            safe_to_leave_message=named.safe_to_leave_message,
            safe_to_text=named.safe_to_text,
            safe_to_email=False,
            notes=note,
            **blank,
        )
    if named.email:
        save_contact_point(
            request,
            person,
            None,
            kind=ContactKind.EMAIL,
            value=named.email,
            is_primary=not named.phone,
            safe_to_call=False,
            safe_to_leave_message=False,
            safe_to_text=False,
            safe_to_email=named.safe_to_email,
            notes=None if named.phone else note,
            **blank,
        )
    return person


def _check_decision(referral: Referral, decision: VictimDecision) -> None:
    person, case = decision.person, decision.case
    if person is not None:
        if person.organisation_id != referral.organisation_id or person.merged_into_id:
            raise IntakeError(_("Choose a person of this organisation."), "person")
    if case is None:
        return
    if person is None or case.client_id != person.pk:
        raise IntakeError(
            _("Attach to a case of the person you chose, or open a new case."), "case"
        )
    if case.organisation_id != referral.organisation_id or not case.is_live:
        raise IntakeError(_("Attach to an open case of this organisation."), "case")


@transaction.atomic
def accept_referral(
    request,
    referral: Referral,
    decisions: Sequence[VictimDecision],
    *,
    programs: Iterable[str] = (),
    priority: str = Priority.NORMAL,
    assigned_to=None,
    team: Team | None = None,
) -> Case:
    """Accept the referral: each victim on it becomes (or is linked to) a person on file
    and gets a case, new or live. Returns the first victim's case, which the referral
    points to; every case gets a "referral accepted" line on its timeline."""
    victims = referral.victims
    if sorted(d.named.pk for d in decisions) != sorted(v.pk for v in victims):
        raise IntakeError(_("Decide for every victim named on the referral."))
    for decision in decisions:
        _check_decision(referral, decision)
    if assigned_to is not None:
        works_here = Membership.objects.filter(
            user=assigned_to,
            organisation=referral.organisation,
            role__in=CASE_ROLES,
            is_active=True,
        ).exists()
        if not works_here:
            raise IntakeError(_("Assign the case to a worker of this organisation."), "assigned_to")
    _claim(referral, request.user, ReferralStatus.ACCEPTED)
    order = {v.pk: i for i, v in enumerate(victims)}
    cases = []
    for decision in sorted(decisions, key=lambda d: order[d.named.pk]):
        named = decision.named
        person = decision.person or _person_from(request, referral, named)
        named.person = person
        named.save(update_fields=["person"])
        if decision.case is None:
            case = open_case(
                request,
                referral.organisation,
                person,
                programs=programs,
                priority=priority,
                assigned_to=assigned_to,
                team=team,
                occurrence_number=referral.occurrence_number,
            )
        else:
            case = decision.case
            touch(case)
        add_timeline(
            case,
            TimelineKind.REFERRAL,
            "accepted",
            actor=request.user,
            obj=referral,
            source=referral.source,
            channel=referral.channel,
        )
        record_access(request, "referral.accept", obj=referral, person=person)
        cases.append(case)
    referral.case = cases[0]
    referral.save(update_fields=["case"])
    return cases[0]


@transaction.atomic
def decline_referral(request, referral: Referral, reason: str, note: str = "") -> None:
    if reason not in DeclineReason.values:
        raise IntakeError(_("Choose a reason from the list."), "reason")
    note = _text(note, 500, "note", _("The note"))
    if reason == DeclineReason.OTHER and not note:
        raise IntakeError(_("Explain the reason in the note."), "note")
    _claim(
        referral, request.user, ReferralStatus.DECLINED, decline_reason=reason, decline_note=note
    )
    record_access(request, "referral.decline", obj=referral, reason=reason)


@transaction.atomic
def mark_duplicate(request, referral: Referral, of: Referral) -> None:
    """The referral repeats `of` (another referral of the same unit): it leaves the queue,
    and the case `of` led to, if any, notes that the same thing was referred again."""
    if of.organisation_id != referral.organisation_id:
        raise IntakeError(_("Choose a referral of this organisation."), "of")
    if of.pk == referral.pk or of.duplicate_of_id == referral.pk:
        raise IntakeError(_("A referral cannot be a duplicate of itself."), "of")
    _claim(referral, request.user, ReferralStatus.DUPLICATE, duplicate_of=of)
    if of.case is not None:
        add_timeline(
            of.case,
            TimelineKind.REFERRAL,
            "duplicate",
            actor=request.user,
            obj=referral,
            source=referral.source,
            channel=referral.channel,
        )
    record_access(request, "referral.duplicate", obj=referral, reason=f"of {of.pk}")
