"""Referrals over the API: a police records system or an agency's system sends a referral
to a victim services unit, and asks for its status later. Needs an integration key with
the referrals:write scope; the key's organisation is the sender.

Sending goes through actions.receive_referral like every other door. A resend with the
same `sender_reference` and the same content answers 200 with the referral already
received; the same reference with other content is 409, because triage may already have
acted on what came first (a correction is a new referral with a new reference).
"""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.http import Http404
from ninja import Field, Path, Router, Schema, Status

from harbour.accounts.constants import KeyScope, OrganisationKind
from harbour.audit.actions import record_access
from harbour.intake.access import referral_for_key, unit_for_key
from harbour.intake.actions import IntakeError, Named, ReferralConflict, receive_referral
from harbour.intake.constants import IntakeChannel, ReferralStatus, RiskFlag, Source, Urgency
from harbour.intake.models import Referral
from harbour.lib.api_schema import ERROR_RESPONSES, Error

router = Router(tags=["referrals"])

# A reference travels in a URL (GET /referrals/{sender_reference}): letters, digits and
# . _ : - only.
REFERENCE = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$"
SLUG = r"^[-a-zA-Z0-9_]{1,60}$"


Text8 = Annotated[str, Field(max_length=8)]
Text40 = Annotated[str, Field(max_length=40)]
Text100 = Annotated[str, Field(max_length=100)]
Text200 = Annotated[str, Field(max_length=200)]
Text254 = Annotated[str, Field(max_length=254)]
Text5000 = Annotated[str, Field(max_length=5000)]


class VictimIn(Schema):
    given_name: Annotated[str, Field(min_length=1, max_length=100)]
    family_name: Text100 = ""
    date_of_birth: date | None = None
    phone: Text40 = Field("", description="Read as Canadian without a country code.")
    email: Text254 = ""
    safe_to_call: bool = False
    safe_to_leave_message: bool = False
    safe_to_text: bool = False
    safe_to_email: bool = False
    do_not_contact: bool = Field(
        False, description="Do not reach out: the victim will get in touch themselves."
    )
    safe_times: Text200 = ""
    language: Text8 = Field("", description="ISO 639-1 code, e.g. en, fr, ar.")
    interpreter_needed: bool = False


class ReferrerIn(Schema):
    name: Text200 = ""
    badge: Text100 = ""
    role: Text100 = ""
    phone: Text40 = ""
    email: Text254 = ""


class ReferralIn(Schema):
    to: Annotated[str, Field(pattern=SLUG, description="The receiving unit's slug.")]
    sender_reference: Annotated[
        str, Field(pattern=REFERENCE, description="Your own reference; makes a resend safe.")
    ]
    occurrence_number: Text40 = ""
    offence: Text200 = ""
    victims: Annotated[list[VictimIn], Field(min_length=1, max_length=10)]
    officer: ReferrerIn | None = None
    referrer: ReferrerIn | None = Field(None, description="For agencies; `officer` for police.")
    risk_flags: list[RiskFlag] = []
    victim_consented: bool = Field(
        description="Whether the victim agreed to the referral. Required: true or false."
    )
    urgency: Urgency = Urgency.ROUTINE
    narrative: Text5000 = ""


class ReferralOut(Schema):
    id: UUID
    reference: str
    sender_reference: str
    status: ReferralStatus
    urgency: Urgency
    received_at: datetime
    decided_at: datetime | None


def _out(referral: Referral) -> dict:
    return {
        "id": referral.pk,
        "reference": referral.reference,
        "sender_reference": referral.sender_reference,
        "status": referral.status,
        "urgency": referral.urgency,
        "received_at": referral.received_at,
        "decided_at": referral.decided_at,
    }


def _invalid(message: str, field: str) -> Status:
    return Status(
        422,
        {
            "error": {
                "code": "invalid",
                "message": message,
                "fields": [{"field": field, "message": message}],
            }
        },
    )


def _api_field(field: str, referrer_key: str) -> str:
    """The action's name for an input ("people.0.phone") as the body names it."""
    if field.startswith("people"):
        return "victims" + field.removeprefix("people")
    if field.startswith("referrer."):
        return referrer_key + field.removeprefix("referrer")
    return field or "request"


@router.post(
    "",
    response={201: ReferralOut, 200: ReferralOut, 409: Error, **ERROR_RESPONSES},
    url_name="create_referral",
)
def create_referral(request, payload: ReferralIn):
    """Send a referral to a victim services unit. Needs referrals:write. 201 when received,
    200 with the same body for a resend of the same sender_reference and content, 409 for
    the same sender_reference with other content, 422 naming each field at fault."""
    key = request.integration_key
    if not key.allows(KeyScope.REFERRALS_WRITE):
        raise Http404
    unit = unit_for_key(payload.to)
    if unit is None:
        return _invalid(f"No victim services unit has the slug “{payload.to}”.", "to")
    police = key.organisation.kind == OrganisationKind.POLICE
    referrer_key = "officer" if payload.officer is not None else "referrer"
    referrer = payload.officer or payload.referrer or ReferrerIn()
    people = [
        Named(
            given_name=v.given_name,
            family_name=v.family_name,
            date_of_birth=v.date_of_birth,
            phone=v.phone,
            email=v.email,
            safe_to_call=v.safe_to_call,
            safe_to_leave_message=v.safe_to_leave_message,
            safe_to_text=v.safe_to_text,
            safe_to_email=v.safe_to_email,
            safe_times=v.safe_times,
            no_contact=v.do_not_contact,
            language=v.language,
            interpreter_needed=v.interpreter_needed,
        )
        for v in payload.victims
    ]
    try:
        referral, created = receive_referral(
            request,
            unit,
            source=Source.POLICE if police else Source.AGENCY,
            channel=IntakeChannel.API,
            people=people,
            urgency=payload.urgency,
            sender_organisation=key.organisation,
            sender_reference=payload.sender_reference,
            occurrence_number=payload.occurrence_number,
            offence=payload.offence,
            risk_flags=[str(flag) for flag in payload.risk_flags],
            victim_consented=payload.victim_consented,
            referrer_name=referrer.name,
            referrer_role=referrer.badge or referrer.role,
            referrer_phone=referrer.phone,
            referrer_email=referrer.email,
            narrative=payload.narrative,
        )
    except IntakeError as error:
        return _invalid(error.message, _api_field(error.field, referrer_key))
    except ReferralConflict:
        return Status(
            409,
            {
                "error": {
                    "code": "conflict",
                    "message": (
                        "This sender_reference was already used for a referral with other "
                        "content. A received referral is never changed by a resend: send a "
                        "correction as a new referral with a new sender_reference."
                    ),
                    "fields": [{"field": "sender_reference", "message": "already used"}],
                }
            },
        )
    return Status(201 if created else 200, _out(referral))


@router.get(
    "/{sender_reference}",
    response={200: ReferralOut, **ERROR_RESPONSES},
    url_name="get_referral",
)
def get_referral(request, sender_reference: str = Path(..., pattern=REFERENCE)):
    """The status of a referral your organisation sent, by your own reference. Needs
    referrals:write; another organisation's referral is 404."""
    referral = referral_for_key(request.integration_key, sender_reference)
    record_access(request, "referral.status", obj=referral, reason="api")
    return _out(referral)
