"""A believable year (or ten) of casework for the demo unit: referrals through every door,
triage, cases by program with their contacts, services, follow-ups, consents and
timelines, the people on them with safe-contact preferences, addresses and relationships.

The mixes (sources, programs, statuses, channels, outcomes, services …) are the constants
below and are described in docs/demo-data.md; a test holds the generated data to them.

How it is made:

- A *stream* is a run of months for a set of workers: ``year`` (the past 365 days, the
  small demo) and ``decade`` (ten years of a larger unit, the benchmark scale). Each month
  of a stream is a *batch* with its own seeded random generator, written in one
  transaction. Every batch's first case has an id derived from the stream and month (its
  marker), so a second run skips the batches already there and an interrupted run carries
  on where it stopped: running the demo again changes nothing; `--scale large` after the
  small demo tops up.
- Rows are written with harbour.lib.bulk (executemany / COPY), not through actions.py, so
  this module sets what the actions would: name keys, case numbers ("YYYY-NNNNN", per
  organisation, in order of opening), timeline lines with codes only, last activity,
  trafficking protection, blind indexes, encryption bound to each row's id.
- Times are generated in the organisation's time zone with plausible patterns (office hours
  for calls and visits, evenings and weekends for incidents and on-scene support), then
  stored in UTC. Dates are relative to the moment a batch is written.
- Everything is synthetic (harbour.lib.demo): invented names, 555-01xx numbers, example.org
  addresses, generic street names.
"""

import bisect
import functools
import hashlib
import json
import math
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from harbour.accounts.constants import Role
from harbour.accounts.models import Membership, Organisation, User
from harbour.cases.constants import (
    CaseStatus,
    Channel,
    ClientRole,
    CloseReason,
    ContactOutcome,
    Direction,
    Priority,
    Program,
    TaskStatus,
    TimelineKind,
)
from harbour.cases.models import (
    Case,
    CaseProgram,
    Contact,
    ServiceProvided,
    Task,
    Team,
    TimelineEvent,
)
from harbour.consent.constants import Method, Purpose, RecipientClass
from harbour.consent.models import Consent
from harbour.intake.constants import (
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
from harbour.lib import bulk
from harbour.lib.demo import (
    FAMILY,
    GIVEN,
    STREETS,
    TOWNS,
    fictional_email,
    fictional_phone,
    synthetic_name,
)
from harbour.lib.progress import Progress
from harbour.people.constants import ContactKind, Gender, RelationshipKind
from harbour.people.matching import name_key, name_tokens
from harbour.people.models import (
    Address,
    ContactPoint,
    NameToken,
    Person,
    PersonAlias,
    Relationship,
)

DAY = 86_400
HOUR = 3_600

# ---------------------------------------------------------------------------------------
# The services taxonomy codes the demo provides (harbour/cases/data/services.json): ONE
# place to align them, everything below uses these names.


class Service:
    EMOTIONAL_SUPPORT = "emotional_support"
    CRISIS_INTERVENTION = "crisis_intervention"
    SAFETY_PLANNING = "safety_planning"
    INFORMATION_CASE_STATUS = "information_case_status"
    INFORMATION_CHARGES = "information_charges"
    INFORMATION_INVESTIGATING_OFFICER = "information_investigating_officer"
    REFERRAL_COMMUNITY = "referral_community"
    PRACTICAL_ASSISTANCE = "practical_assistance"
    NEEDS_ASSESSMENT = "needs_assessment"
    ENHANCED_SUPPORT = "enhanced_support"
    FOLLOW_UP = "follow_up"
    COURT_PREPARATION = "court_preparation"
    COURT_ACCOMPANIMENT = "court_accompaniment"
    VICTIM_IMPACT_STATEMENT = "victim_impact_statement"


SERVICE_CODES = tuple(code for name, code in vars(Service).items() if name.isupper())

# Timeline lines, as (kind, verb); `data` holds codes only (DESIGN §4.6).
TL_REFERRAL_ACCEPTED = (TimelineKind.REFERRAL, "accepted")  # {"source"}
TL_CASE_OPENED = (TimelineKind.CASE, "opened")  # {}
TL_ASSIGNED = (TimelineKind.ASSIGNMENT, "assigned")  # {}
TL_STATUS = (TimelineKind.STATUS, "changed")  # {"from", "to"[, "reason"]}
TL_CONTACT = (TimelineKind.CONTACT, "recorded")  # {"channel", "direction", "outcome"}
TL_SERVICE = (TimelineKind.SERVICE, "provided")  # {"service"}
TL_TASK_CREATED = (TimelineKind.TASK, "created")  # {}
TL_TASK_DONE = (TimelineKind.TASK, "done")  # {}
TL_TASK_CANCELLED = (TimelineKind.TASK, "cancelled")  # {}
TL_CONSENT = (TimelineKind.CONSENT, "recorded")  # {"purpose"}


class Mix:
    """Weighted choices, drawn with one random number (weights need not sum to 100)."""

    def __init__(self, weights: dict[Any, float]):
        self.values = list(weights)
        self.weights = dict(weights)
        self.cum: list[float] = []
        total = 0.0
        for w in weights.values():
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect(self.cum, rng.random() * self.total)]

    def share(self, value) -> float:
        return self.weights.get(value, 0) / self.total


# ---- the mixes (docs/demo-data.md) ------------------------------------------------------

SOURCE_MIX = Mix(
    {
        Source.POLICE: 52,
        Source.SELF: 15,
        Source.SCREENING: 12,
        Source.AGENCY: 11,
        Source.FAMILY_FRIEND: 7,
        Source.ON_SCENE: 3,
    }
)
CHANNEL_MIX = {
    Source.POLICE: Mix(
        {IntakeChannel.OFFICER_FORM: 55, IntakeChannel.API: 35, IntakeChannel.PHONE: 10}
    ),
    Source.SCREENING: Mix({IntakeChannel.SYSTEM: 1}),
    Source.ON_SCENE: Mix({IntakeChannel.SYSTEM: 1}),
    Source.SELF: Mix(
        {
            IntakeChannel.PHONE: 50,
            IntakeChannel.WEB_FORM: 30,
            IntakeChannel.WALK_IN: 12,
            IntakeChannel.EMAIL: 8,
        }
    ),
    Source.AGENCY: Mix(
        {IntakeChannel.AGENCY_FORM: 60, IntakeChannel.PHONE: 30, IntakeChannel.EMAIL: 10}
    ),
    Source.FAMILY_FRIEND: Mix(
        {IntakeChannel.PHONE: 60, IntakeChannel.WEB_FORM: 30, IntakeChannel.WALK_IN: 10}
    ),
}
PROGRAM_MIX = Mix(
    {
        Program.IPV: 62,
        Program.SEXUAL_VIOLENCE: 13,
        Program.GENERAL: 12,
        Program.SERIOUS_CRIME: 10,
        Program.HOMICIDE: 1.5,
        Program.TRAFFICKING: 1.5,
    }
)
# A second program on some cases: IPV with sexual violence, trafficking with sexual violence.
SECOND_PROGRAM: dict[str, tuple[str, float]] = {
    Program.IPV: (Program.SEXUAL_VIOLENCE, 0.06),
    Program.TRAFFICKING: (Program.SEXUAL_VIOLENCE, 0.30),
}
URGENCY_MIX = Mix({Urgency.ROUTINE: 62, Urgency.PRIORITY: 28, Urgency.URGENT: 10})
# Police, screening and on-scene referrals of these flags are urgent (intake's rule).
HIGH_RISK_FLAGS = {RiskFlag.STRANGULATION, RiskFlag.WEAPON, RiskFlag.THREATS_TO_KILL}
IPV_FLAGS = Mix(
    {
        RiskFlag.RECENT_SEPARATION: 30,
        RiskFlag.CHILDREN_PRESENT: 28,
        RiskFlag.ESCALATION: 20,
        RiskFlag.INJURY: 20,
        RiskFlag.STALKING: 12,
        RiskFlag.THREATS_TO_KILL: 8,
        RiskFlag.STRANGULATION: 7,
        RiskFlag.BREACH: 7,
        RiskFlag.WEAPON: 6,
        RiskFlag.PREGNANCY: 3,
        RiskFlag.SUICIDE_RISK: 3,
    }
)
REFERRAL_OUTCOME_MIX = Mix({"accepted": 66, "declined": 17, "duplicate": 11, "attached": 6})
DECLINE_MIX = Mix(
    {
        DeclineReason.UNABLE_TO_CONTACT: 35,
        DeclineReason.DECLINED_BY_VICTIM: 30,
        DeclineReason.OUT_OF_AREA: 12,
        DeclineReason.NOT_ELIGIBLE: 10,
        DeclineReason.REFERRED_ELSEWHERE: 10,
        DeclineReason.OTHER: 3,
    }
)
PRIORITY_BY_URGENCY: dict[str, Mix] = {
    Urgency.URGENT: Mix({Priority.URGENT: 60, Priority.HIGH: 40}),
    Urgency.PRIORITY: Mix({Priority.HIGH: 55, Priority.NORMAL: 45}),
    Urgency.ROUTINE: Mix({Priority.NORMAL: 78, Priority.LOW: 17, Priority.HIGH: 5}),
}
# How a case goes: worked and closed (or still open), never reached, or declined at first.
FATE_MIX = Mix({"worked": 77, "unreached": 15, "declined": 8})
# Median days a worked case stays open, by program (log-normal, sigma DURATION_SIGMA).
DURATION_DAYS: dict[str, float] = {
    Program.IPV: 68,
    Program.SEXUAL_VIOLENCE: 90,
    Program.GENERAL: 26,
    Program.SERIOUS_CRIME: 65,
    Program.HOMICIDE: 300,
    Program.TRAFFICKING: 180,
}
DURATION_SIGMA = 0.8
CLOSE_MIX = Mix(
    {
        CloseReason.GOALS_MET: 62,
        CloseReason.REFERRED: 15,
        CloseReason.DECLINED: 8,
        CloseReason.MOVED: 6,
        CloseReason.UNABLE_TO_CONTACT: 5,
        CloseReason.OTHER: 3.7,
        CloseReason.DECEASED: 0.3,
    }
)
# Who else is on file: the accused (IPV: a partner or former partner, 78%), by program.
ACCUSED_ON_FILE: dict[str, float] = {
    Program.IPV: 0.78,
    Program.SEXUAL_VIOLENCE: 0.6,
    Program.TRAFFICKING: 0.7,
    Program.SERIOUS_CRIME: 0.5,
    Program.GENERAL: 0.3,
    Program.HOMICIDE: 0.6,
}
# Chance a family member or friend becomes a client with a linked case (homicide: always,
# one to three of them).
LINKED_CLIENT: dict[str, float] = {
    Program.SEXUAL_VIOLENCE: 0.12,
    Program.SERIOUS_CRIME: 0.10,
    Program.TRAFFICKING: 0.05,
    Program.IPV: 0.04,
    Program.GENERAL: 0.02,
    Program.HOMICIDE: 1.0,
}
REOPEN_SHARE = 0.05
# Referrals received over about this many referrals' time are candidates for the queue.
QUEUE = 90
ON_HOLD_SHARE = 0.12
RESTRICTED_SHARE = 0.008
# Later contacts (the first is a call, or on scene for a call-out).
CHANNEL_MIX_LATER = Mix(
    {
        Channel.PHONE: 58,
        Channel.TEXT: 13,
        Channel.EMAIL: 8,
        Channel.VIRTUAL: 7,
        Channel.DROP_IN: 6,
        Channel.HOME_VISIT: 5,
        Channel.LETTER: 4,
        Channel.ON_SCENE: 1,
    }
)
INCOMING_SHARE = 0.2
INCOMING_CHANNELS = {Channel.PHONE, Channel.EMAIL, Channel.DROP_IN, Channel.TEXT}
PHONE_OUTCOME_MIX = Mix(
    {
        ContactOutcome.REACHED: 56,
        ContactOutcome.NO_ANSWER: 26,
        ContactOutcome.LEFT_MESSAGE: 12,
        ContactOutcome.NOT_SAFE_TO_TALK: 4,
        ContactOutcome.WRONG_NUMBER: 2,
    }
)
IN_PERSON = {Channel.DROP_IN, Channel.HOME_VISIT, Channel.ON_SCENE, Channel.VIRTUAL}
WRITTEN = {Channel.TEXT, Channel.EMAIL, Channel.LETTER}
# Services at a first conversation (each with its chance), and at later ones (one drawn,
# sometimes two).
FIRST_SERVICES = [
    (Service.NEEDS_ASSESSMENT, 0.75),
    (Service.EMOTIONAL_SUPPORT, 0.60),
    (Service.INFORMATION_INVESTIGATING_OFFICER, 0.25),
    (Service.INFORMATION_CASE_STATUS, 0.25),
    (Service.REFERRAL_COMMUNITY, 0.25),
    (Service.PRACTICAL_ASSISTANCE, 0.10),
]
# Chance that a later conversation records a service, and a second one.
LATER_SERVICE = 0.72
LATER_SECOND_SERVICE = 0.08
LATER_SERVICES = Mix(
    {
        Service.EMOTIONAL_SUPPORT: 30,
        Service.FOLLOW_UP: 24,
        Service.INFORMATION_CASE_STATUS: 14,
        Service.SAFETY_PLANNING: 8,
        Service.INFORMATION_CHARGES: 6,
        Service.REFERRAL_COMMUNITY: 5,
        Service.PRACTICAL_ASSISTANCE: 4,
        Service.COURT_PREPARATION: 4,
        Service.ENHANCED_SUPPORT: 2,
        Service.COURT_ACCOMPANIMENT: 2,
        Service.VICTIM_IMPACT_STATEMENT: 1,
    }
)
COURT_SERVICES = {
    Service.COURT_PREPARATION,
    Service.COURT_ACCOMPANIMENT,
    Service.VICTIM_IMPACT_STATEMENT,
}
GENDER_MIX = {
    "victim_ipv": Mix(
        {Gender.WOMAN: 82, Gender.MAN: 15, Gender.NON_BINARY: 2, Gender.TWO_SPIRIT: 1}
    ),
    "victim": Mix(
        {Gender.WOMAN: 60, Gender.MAN: 36, Gender.NON_BINARY: 2, Gender.NOT_DISCLOSED: 2}
    ),
    "accused": Mix({Gender.MAN: 85, Gender.WOMAN: 14, Gender.NON_BINARY: 1}),
    "any": Mix({Gender.WOMAN: 50, Gender.MAN: 48, Gender.NON_BINARY: 2}),
}
LANGUAGE_MIX = Mix(
    {
        "en": 74,
        "fr": 12,
        "ar": 2.5,
        "es": 2,
        "pa": 1.5,
        "zh": 1.5,
        "tl": 1,
        "so": 1,
        "fa": 1,
        "uk": 1,
        "ti": 0.5,
        "vi": 0.5,
        "pt": 0.5,
        "cr": 0.5,
    }
)
# Safe-contact preferences of a client's phone.
SAFE_TO_CALL = 0.72
SAFE_TO_LEAVE_MESSAGE = 0.55  # of those safe to call
SAFE_TO_TEXT = 0.58
SAFE_TO_EMAIL = 0.70  # of those with an email address
SAFE_WINDOW = 0.25
CODE_WORD = 0.08
ADDRESS_SHARE = 0.70
CONFIDENTIAL_ADDRESS = 0.18
# Consents recorded at the first conversation (victims).
CONSENT_REFERRAL = 0.55
CONSENT_POLICE = 0.35
CONSENT_POLICE_TRAFFICKING = 0.10
CONSENT_COURT = 0.05
CONSENT_REVOKED = 0.04

OFFENCES = {
    Program.IPV: [
        "Assault (intimate partner)",
        "Uttering threats",
        "Criminal harassment",
        "Mischief",
        "Breach of conditions",
        "Assault with a weapon",
        "Forcible confinement",
    ],
    Program.SEXUAL_VIOLENCE: [
        "Sexual assault",
        "Sexual interference",
        "Voyeurism",
        "Non-consensual distribution of intimate images",
    ],
    Program.GENERAL: [
        "Break and enter",
        "Robbery",
        "Fraud against an older adult",
        "Assault",
        "Hate-motivated mischief",
    ],
    Program.SERIOUS_CRIME: [
        "Aggravated assault",
        "Attempted murder",
        "Robbery with a firearm",
        "Impaired driving causing bodily harm",
    ],
    Program.HOMICIDE: ["Homicide", "Suspicious death", "Dangerous driving causing death"],
    Program.TRAFFICKING: ["Trafficking in persons", "Material benefit from trafficking"],
}
NARRATIVES = {
    Program.IPV: [
        "Officers attended a disturbance at the home. The victim reports ongoing conflict "
        "with a partner and asked for support with safety planning.",
        "The victim called police after threats by a former partner. Would like information "
        "about the court process and the no-contact conditions.",
        "Repeat call to the address. Children were present. The victim agreed to a call "
        "from victim services.",
    ],
    Program.SEXUAL_VIOLENCE: [
        "The victim reported a sexual assault and attended hospital. Wants information "
        "about counselling and the investigation.",
        "Historical report. The victim would like support while giving a statement.",
    ],
    Program.GENERAL: [
        "Home break-in while the family was away. The victim is shaken and asked for "
        "practical help with securing the door.",
        "An older adult lost savings to a fraud and wants to know what happens next.",
    ],
    Program.SERIOUS_CRIME: [
        "The victim was seriously injured in an assault and is recovering at home. Family "
        "asked for information about charges.",
        "Victim of an armed robbery at work; having trouble sleeping and returning to work.",
    ],
    Program.HOMICIDE: [
        "Next of kin notified by police. The family asked for support and information "
        "about the investigation.",
    ],
    Program.TRAFFICKING: [
        "Identified during an investigation. Wants support before deciding whether to speak "
        "with police. No police contact without consent.",
    ],
}
CONTACT_NOTES = [
    "Checked in. Client is staying with family for now and feels safer.",
    "Reviewed the safety plan together; client will keep the phone charged and hidden.",
    "Explained the bail conditions and the next court date.",
    "Client asked about counselling; gave the intake number of the counselling agency.",
    "Client is sleeping poorly; talked through grounding techniques.",
    "Went over what to expect at the first appearance.",
    "Client would like help applying for emergency financial assistance.",
    "Talked about the children's routine and the school pick-up plan.",
    "Client is back at work and doing better. Agreed to a call in two weeks.",
    "Gave the investigating officer's contact details and the occurrence number.",
    "Client is worried about the accused's release; reviewed the conditions.",
    "Helped with the victim impact statement form.",
]
ATTEMPT_NOTES = [
    "No answer. No message left: not safe.",
    "Left a short message with the callback number only.",
    "Voicemail full.",
    "Someone else answered; ended the call politely.",
]
SENT_NOTES = [
    "Sent the court date and location.",
    "Sent the unit's contact details and hours.",
    "Letter with information about services sent to the safe address.",
]
SERVICE_NOTES = [
    "Safety plan updated.",
    "Referred to the counselling agency's intake.",
    "Arranged a lock change through the emergency fund.",
    "Court tour booked.",
]
TASK_TITLES = [
    "Call back to check in",
    "Send the court date letter",
    "Confirm the shelter bed",
    "Ask the investigating officer about charges",
    "Review the safety plan",
    "Follow up on the counselling referral",
    "Prepare for the bail hearing",
    "Help with the victim impact statement",
]
FIRST_TASK = "Make first contact"
CHECK_IN_TASK = "Call back to check in"
CODE_WORDS = ["blue umbrella", "library book", "pharmacy reminder", "book club", "dentist"]
CONTACT_POINT_NOTES = [
    "Partner checks this phone in the evenings.",
    "Shared family phone: ask for the client by first name only.",
    "Call from a blocked number.",
]
SAFE_TIMES = ["Weekday mornings", "After 3 pm only", "Not on weekends", "Lunchtime only"]
CLOSE_NOTES = ["Client asked to close; will call if needed.", "Support continues elsewhere."]
RESTRICTED_REASONS = [
    "The accused is a police employee.",
    "High-profile case: media interest.",
    "The client is a staff member's relative.",
]
CONSENT_TEXT = "VSU-C1 2025-01"

# Hour-of-day weights (local time) for incidents reported by police, and for web forms.
INCIDENT_HOURS = [5, 4, 3, 2, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8, 8, 8, 7, 6]
WEB_HOURS = [3, 2, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 6, 7, 7, 6, 4]
# Day-of-week weights (Monday first) for incidents.
INCIDENT_DAYS = [1.0, 0.95, 0.95, 1.0, 1.1, 1.3, 1.3]
OFFICE_OPENS = 8 * HOUR + 30 * 60
OFFICE_CLOSES = 16 * HOUR + 30 * 60

# ---- who works there --------------------------------------------------------------------

TEAMS = {
    "ipv": "IPV team",
    "sv": "Sexual violence team",
    "general": "General & serious crime",
}
TEAM_OF_PROGRAM: dict[str, str] = {
    Program.IPV: "ipv",
    Program.SEXUAL_VIOLENCE: "sv",
    Program.TRAFFICKING: "sv",
    Program.GENERAL: "general",
    Program.SERIOUS_CRIME: "general",
    Program.HOMICIDE: "general",
}


@dataclass(frozen=True)
class Worker:
    email: str
    full_name: str
    team: str  # a TEAMS key


def _workers(first: int, count: int, split: dict[str, int], seed: str) -> tuple[Worker, ...]:
    rng = random.Random(seed)
    teams = [team for team, n in split.items() for _ in range(n)]
    out = []
    for i, team in zip(range(first, first + count), teams, strict=True):
        given, family = synthetic_name(rng)
        out.append(Worker(f"caseworker{i}@vsu.demo", f"{given} {family}", team))
    return tuple(out)


@dataclass(frozen=True)
class Stream:
    """A run of months of casework for a set of workers (see the module's docstring)."""

    name: str
    number: int  # in ids (Batch.uid)
    days: int
    batches: int
    referrals_per_year: int
    workers: tuple[Worker, ...]
    coordinators: tuple[tuple[str, str], ...] = ()

    def marker(self, batch: int) -> uuid.UUID:
        """The id of the batch's first case: present means the batch is written."""
        digest = hashlib.sha256(f"harbour demo {self.name} {batch}".encode()).digest()
        return uuid.UUID(bytes=digest[:16], version=4)


YEAR = Stream(
    name="year",
    number=1,
    days=365,
    batches=12,
    referrals_per_year=2_500,
    workers=(
        Worker("caseworker@vsu.demo", "Casey Caseworker", "ipv"),
        *_workers(2, 9, {"ipv": 4, "sv": 2, "general": 3}, "year staff"),
    ),
)
DECADE = Stream(
    name="decade",
    number=2,
    days=3_650,
    batches=120,
    referrals_per_year=13_200,
    workers=_workers(11, 50, {"ipv": 29, "sv": 8, "general": 13}, "decade staff"),
    coordinators=(
        ("coordinator2@vsu.demo", "Robin Coordinator"),
        ("coordinator3@vsu.demo", "Jamie Coordinator"),
    ),
)
SCALES = {"small": (YEAR,), "large": (YEAR, DECADE)}


# ---- the world a batch is written into --------------------------------------------------


@dataclass
class Staff:
    """A stream's own people (so a stream makes the same data whatever else is seeded)."""

    coordinators: list[int]  # user ids: the unit's coordinator first
    members: dict[str, list[tuple[int, str]]]  # TEAMS key → [(user id, name)]
    everyone: list[tuple[int, str]]  # all its workers, for a team it has none on


@dataclass
class World:
    """Ids of what batches refer to: the unit, its partners, its staff and teams."""

    unit: Organisation
    police: dict[str, int]  # short name → organisation id
    agencies: dict[str, int]
    officers: dict[str, int]  # police short name → an officer's user id
    partners: dict[str, int]  # agency short name → a partner's user id
    volunteer: int
    teams: dict[str, int]  # TEAMS key → team id
    staff: dict[str, Staff]  # by stream name
    case_numbers: dict[int, int] = field(default_factory=dict)  # year → last number

    def load_numbers(self, years: Iterable[int]) -> None:
        """Read each year's last case number once, before the batches take numbers."""
        for year in years:
            if year not in self.case_numbers:
                prefix = f"{year}-"
                number = (
                    Case.objects.filter(organisation=self.unit, number__startswith=prefix)
                    .order_by("-number")
                    .values_list("number", flat=True)
                    .first()
                )
                self.case_numbers[year] = int(number.removeprefix(prefix)) if number else 0

    def next_number(self, year: int) -> str:
        n = self.case_numbers[year] + 1
        self.case_numbers[year] = n
        return f"{year}-{n:05d}"


@functools.cache
def password_hash(password: str) -> str:
    """The demo password hashed once per process: argon2 is slow on purpose (half a second),
    and the demo makes dozens of users with the same password."""
    return make_password(password)


def ensure_staff(orgs: dict[str, Organisation], streams: Iterable[Stream], password: str) -> World:
    """The streams' workers (each on a team), coordinators and the teams. Idempotent. The
    password is hashed once for every new user: argon2 is slow on purpose."""
    unit = orgs["VSU"]

    def user(email: str, name: str, role: str) -> User:
        found = User.objects.filter(email=email).first()
        if found is None:
            found = User.objects.create(
                email=email, full_name=name, password=password_hash(password)
            )
        Membership.objects.get_or_create(user=found, organisation=unit, role=role)
        return found

    teams = {
        key: Team.objects.get_or_create(organisation=unit, name=name)[0]
        for key, name in TEAMS.items()
    }
    coordinator = user("coordinator@vsu.demo", "Corey Coordinator", Role.COORDINATOR).pk
    staff = {}
    for stream in streams:
        members: dict[str, list[tuple[int, str]]] = {key: [] for key in TEAMS}
        for worker in stream.workers:
            u = user(worker.email, worker.full_name, Role.CASEWORKER)
            teams[worker.team].members.add(u)
            members[worker.team].append((u.pk, u.full_name))
        coordinators = [coordinator]
        for email, name in stream.coordinators:
            coordinators.append(user(email, name, Role.COORDINATOR).pk)
        everyone = [m for team in members.values() for m in team]
        staff[stream.name] = Staff(coordinators, members, everyone)

    def first_user(short: str, role: str) -> int:
        m = Membership.objects.filter(organisation=orgs[short], role=role).order_by("pk")
        return m.values_list("user_id", flat=True)[0]

    return World(
        unit=unit,
        police={s: orgs[s].pk for s in ("HRPS", "LPS")},
        agencies={s: orgs[s].pk for s in ("Shelter", "Hospital", "Counselling")},
        officers={s: first_user(s, Role.OFFICER) for s in ("HRPS", "LPS")},
        partners={s: first_user(s, Role.PARTNER) for s in ("Shelter", "Hospital", "Counselling")},
        volunteer=first_user("VSU", Role.VOLUNTEER),
        teams={key: team.pk for key, team in teams.items()},
        staff=staff,
    )


# ---- time -------------------------------------------------------------------------------


class Clock:
    """Local time of the organisation as whole seconds since local midnight of `day0`, so
    weekdays and office hours are arithmetic; `utc()` turns one into a stored datetime."""

    def __init__(self, tz, now: datetime, days: int):
        local = now.astimezone(tz)
        self.tz = tz
        self.day0 = local.date() - timedelta(days=days)
        seconds = local.hour * HOUR + local.minute * 60 + local.second
        self.now = days * DAY + seconds
        self.weekday0 = self.day0.weekday()
        self._midnight: dict[int, datetime] = {}

    def utc(self, t: int) -> datetime:
        day, seconds = divmod(t, DAY)
        midnight = self._midnight.get(day)
        if midnight is None:
            # From the offset at noon: good for every hour but the one a DST change skips.
            noon = datetime.combine(self.day0 + timedelta(days=day), time(12), self.tz)
            midnight = noon.astimezone(UTC) - timedelta(hours=12)
            self._midnight[day] = midnight
        return midnight + timedelta(seconds=seconds)

    def weekday(self, t: int) -> int:
        return (self.weekday0 + t // DAY) % 7

    def year(self, t: int) -> int:
        return (self.day0 + timedelta(days=t // DAY)).year

    def date(self, t: int) -> date:
        return self.day0 + timedelta(days=t // DAY)


# ---- people drafts ----------------------------------------------------------------------


@dataclass
class Phone:
    id: uuid.UUID
    value: str
    safe_to_call: bool
    safe_to_leave_message: bool
    safe_to_text: bool
    window: tuple[list[int], int, int] | None  # (days, from, until) in local seconds


@dataclass
class Client:
    id: uuid.UUID
    given: str
    family: str
    born: date | None
    language: str
    interpreter: bool
    phone: Phone | None
    email_id: uuid.UUID | None
    email_safe: bool
    has_address: bool
    confidential: bool


# ---- a batch ----------------------------------------------------------------------------


class Batch:
    """One month of one stream, generated from its own seeded generator."""

    def __init__(self, world: World, stream: Stream, index: int, clock: Clock, loader):
        self.world = world
        self.staff = world.staff[stream.name]
        self.stream = stream
        self.index = index
        self.clock = clock
        self.rng = random.Random(f"harbour demo {stream.name} {index}")
        self._id_prefix = stream.number << 40 | index << 24
        self._ids = 0
        self._json: dict[tuple, bulk.RawJSON] = {}
        self.unit_id = world.unit.pk
        self.marker: uuid.UUID | None = stream.marker(index)
        span = stream.days * DAY // stream.batches
        self.start = index * span
        self.end = clock.now if index == stream.batches - 1 else (index + 1) * span
        self.now = clock.now
        self.case_rows: list[list[Any]] = []
        # Who the last referral was about (person id, given, family, born): a duplicate
        # names the same person.
        self.last_who: tuple[uuid.UUID | None, str, str, date | None] | None = None
        self.last_t = 0
        self.children: list[tuple[uuid.UUID, str, str, date | None]] = []
        self.live: list[tuple[uuid.UUID, Client, str, int]] = []  # for "attached" referrals
        self._name_keys: dict[str, str] = {}
        self._name_tokens: dict[str, frozenset[str]] = {}
        self._tables(loader)
        self.counts = {"referrals": 0, "cases": 0, "contacts": 0}

    def _tables(self, loader) -> None:
        t = loader.table
        self.people = t(
            Person,
            (
                "id organisation_id given_name family_name preferred_name given_name_key "
                "family_name_key date_of_birth estimated_birth_year gender gender_self_described "
                "pronouns languages interpreter_needed interpreter_language safe_phone "
                "safe_phone_index merged_into_id merged_at trafficking_protection created"
            ).split(),
        )
        self.name_tokens = t(NameToken, ["person_id", "organisation_id", "token"])
        self.aliases = t(
            PersonAlias,
            (
                "id person_id given_name family_name given_name_key family_name_key from_merge "
                "created"
            ).split(),
        )
        self.contact_points = t(
            ContactPoint,
            (
                "id person_id kind value value_index safe_to_call safe_to_leave_message "
                "safe_to_text safe_to_email safe_days safe_from safe_until code_word notes "
                "is_primary created"
            ).split(),
        )
        self.addresses = t(
            Address,
            (
                "id person_id line1 line2 city province postal_code confidential current created"
            ).split(),
        )
        self.relationships = t(Relationship, ["id", "person_id", "other_id", "kind", "created"])
        self.cases = t(
            Case,
            (
                "id organisation_id number client_id client_role linked_case_id status priority "
                "assigned_to_id team_id restricted restricted_reason occurrence_number opened_at "
                "closed_at close_reason close_note reopened_at last_activity_at created_by_id"
            ).split(),
        )
        self.programs = t(CaseProgram, ["case_id", "program", "added_at"])
        self.referrals = t(
            Referral,
            (
                "id organisation_id source channel status urgency received_at due_at "
                "sender_organisation_id sender_reference sent_by_id occurrence_number offence "
                "risk_flags victim_consented referrer_name referrer_role referrer_phone "
                "referrer_email referrer_relationship narrative suggested_programs decided_at "
                "decided_by_id decline_reason decline_note duplicate_of_id case_id"
            ).split(),
        )
        self.referral_people = t(
            ReferralPerson,
            (
                "id referral_id role given_name family_name date_of_birth phone email "
                "safe_to_call safe_to_leave_message safe_to_text safe_to_email safe_times "
                "language interpreter_needed person_id position no_contact"
            ).split(),
        )
        self.contacts = t(
            Contact,
            (
                "id case_id person_id contact_point_id channel direction at duration_minutes "
                "outcome notes outside_safe_times recorded_by_id created"
            ).split(),
        )
        self.services = t(
            ServiceProvided,
            "id case_id service at minutes notes contact_id provided_by_id created".split(),
        )
        self.tasks = t(
            Task,
            (
                "id organisation_id case_id title due_at owner_id team_id status done_at "
                "done_by_id reminded_at created_by_id created"
            ).split(),
        )
        self.consents = t(
            Consent,
            (
                "id organisation_id person_id purpose recipient_organisation_id recipient_class "
                "method witness_name given_at expires_at revoked_at revoked_reason text_version "
                "recorded_by_id reminder_sent_at created"
            ).split(),
        )
        self.timeline = t(
            TimelineEvent,
            ["case_id", "at", "kind", "verb", "data", "actor_id", "object_type", "object_id"],
        )
        self.seal_safe_phone = bulk.sealer(Person, "safe_phone")
        self.seal_cp_value = bulk.sealer(ContactPoint, "value")
        self.seal_cp_code = bulk.sealer(ContactPoint, "code_word")
        self.seal_cp_notes = bulk.sealer(ContactPoint, "notes")
        self.seal_address = {
            name: bulk.sealer(Address, name) for name in ("line1", "line2", "city")
        }
        self.seal_referral = {
            name: bulk.sealer(Referral, name)
            for name in ("referrer_name", "referrer_phone", "referrer_email", "narrative")
        }
        self.seal_rp = {
            name: bulk.sealer(ReferralPerson, name)
            for name in (
                "given_name",
                "family_name",
                "date_of_birth",
                "phone",
                "email",
                "safe_times",
            )
        }
        self.seal_contact_notes = bulk.sealer(Contact, "notes")
        self.seal_service_notes = bulk.sealer(ServiceProvided, "notes")
        self.phone_index = bulk.indexer(Person, "safe_phone_index")
        self.cp_index = bulk.indexer(ContactPoint, "value_index")

    # ---- helpers ----

    def uid(self) -> uuid.UUID:
        """A version-4 UUID whose first 48 bits are (stream, batch, count), like a UUIDv7's
        time: each batch's rows sort together, so the bulk load appends to the indexes
        instead of scattering writes over them. The rest is random."""
        self._ids += 1
        n = (self._id_prefix | self._ids) << 80 | self.rng.getrandbits(80)
        n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # the RFC 4122 variant
        n = (n & ~(0xF000 << 64)) | (4 << 76)  # version 4
        return uuid.UUID(int=n)

    def key(self, name: str) -> str:
        k = self._name_keys.get(name)
        if k is None:
            k = self._name_keys[name] = name_key(name)
        return k

    def index_names(self, pid: uuid.UUID, *names: str) -> None:
        """The person's name tokens, as people.actions.index_names writes them."""
        tokens: set[str] = set()
        for name in names:
            cached = self._name_tokens.get(name)
            if cached is None:
                cached = self._name_tokens[name] = frozenset(name_tokens(name))
            tokens |= cached
        for token in sorted(tokens):
            self.name_tokens.add(pid, self.unit_id, token)

    def at(self, t: int) -> datetime:
        return self.clock.utc(t)

    def office(self, t: int) -> int:
        """The first office-hours moment at or after `t`, somewhere in that working day."""
        rng = self.rng
        day, seconds = divmod(t, DAY)
        weekday = self.clock.weekday(t)
        if weekday < 5 and seconds < OFFICE_CLOSES - 600:
            low = max(seconds, OFFICE_OPENS)
            return day * DAY + low + int(rng.random() * (OFFICE_CLOSES - low))
        day += 1
        weekday = (weekday + 1) % 7
        while weekday >= 5:
            day += 1
            weekday = (weekday + 1) % 7
        # Mornings are busier than afternoons.
        offset = int(rng.triangular(0, OFFICE_CLOSES - OFFICE_OPENS, HOUR))
        return day * DAY + OFFICE_OPENS + offset

    def later(self, t: int, days: float) -> int:
        """An office-hours moment about `days` after `t`, counted in working days, so that
        gaps spread over the week instead of piling up on Mondays."""
        business = days * 5 / 7
        if business < 1:
            return self.office(t + int(days * DAY))
        day = t // DAY
        weekday = self.clock.weekday(t)
        weeks, rest = divmod(int(business), 5)
        day += weeks * 7
        for _ in range(rest):
            day += 1
            weekday = (weekday + 1) % 7
            while weekday >= 5:
                day += 1
                weekday = (weekday + 1) % 7
        while weekday >= 5:
            day += 1
            weekday = (weekday + 1) % 7
        return day * DAY + OFFICE_OPENS + int(self.rng.random() * (OFFICE_CLOSES - OFFICE_OPENS))

    def incident_time(self, t: int, hours: list[int]) -> int:
        """A time on a day near `t` with the given hour pattern and weekend peak."""
        rng = self.rng
        day = t // DAY
        while rng.random() * 1.3 > INCIDENT_DAYS[self.clock.weekday(day * DAY)]:
            day = (self.start + int(rng.random() * max(self.end - self.start, 1))) // DAY
        hour = rng.choices(range(24), weights=hours)[0]
        return day * DAY + hour * HOUR + int(rng.random() * HOUR)

    def line(self, case_id, t: int, code: tuple[str, str], actor, obj=None, **data) -> None:
        obj_type, obj_id = obj if obj is not None else ("", "")
        key = tuple(data.items())
        encoded = self._json.get(key)
        if encoded is None:
            encoded = self._json[key] = bulk.RawJSON(json.dumps(data))
        self.timeline.add(case_id, self.at(t), code[0], code[1], encoded, actor, obj_type, obj_id)

    # ---- people ----

    def person(
        self,
        t: int,
        *,
        family: str | None = None,
        age: tuple[int, int] = (18, 70),
        gender: str = "any",
        trafficking: bool = False,
        given: str | None = None,
    ) -> tuple[uuid.UUID, str, str, date | None]:
        rng = self.rng
        pid = self.uid()
        g, f = synthetic_name(rng)
        given = given or g
        family = family or f
        today = self.clock.date(t)
        years = age[0] + rng.random() * (age[1] - age[0])
        known = rng.random()
        born = None
        estimated = None
        if known < 0.85:
            born = today - timedelta(days=int(years * 365.25))
        elif known < 0.95:
            estimated = today.year - int(years)
        self.index_names(pid, given, family)
        self.people.add(
            pid,
            self.unit_id,
            given,
            family,
            "",
            self.key(given),
            self.key(family),
            born,
            estimated,
            GENDER_MIX[gender].pick(rng),
            "",
            "",
            [],
            False,
            "",
            None,
            None,
            None,
            None,
            trafficking,
            self.at(t),
        )
        return pid, given, family, born

    def client(
        self, t: int, program: str, age: tuple[int, int], family: str | None = None
    ) -> Client:
        """A client with contact points (safe-contact preferences), maybe an address and an
        alias."""
        rng = self.rng
        pid = self.uid()
        given, fam = synthetic_name(rng)
        family = family or fam
        today = self.clock.date(t)
        years = age[0] + rng.random() * (age[1] - age[0])
        known = rng.random()
        born = today - timedelta(days=int(years * 365.25)) if known < 0.88 else None
        estimated = today.year - int(years) if 0.88 <= known < 0.96 else None
        language = LANGUAGE_MIX.pick(rng)
        interpreter = language not in ("en", "fr") and rng.random() < 0.6
        created = self.at(t)
        phone = None
        safe_phone = None
        if rng.random() < 0.95:
            number = fictional_phone(rng)
            call = rng.random() < SAFE_TO_CALL
            window = None
            safe_days: list[int] = []
            safe_from = safe_until = None
            if rng.random() < SAFE_WINDOW:
                safe_days = (
                    [0, 1, 2, 3, 4] if rng.random() < 0.7 else sorted(rng.sample(range(7), 3))
                )
                start_hour = rng.choice([9, 10, 13])
                safe_from, safe_until = time(start_hour), time(start_hour + rng.choice([2, 3, 4]))
                window = (safe_days, start_hour * HOUR, safe_until.hour * HOUR)
            phone = Phone(
                self.uid(),
                number,
                call,
                call and rng.random() < SAFE_TO_LEAVE_MESSAGE,
                rng.random() < SAFE_TO_TEXT,
                window,
            )
            if call:
                safe_phone = number
            self.contact_points.add(
                phone.id,
                pid,
                ContactKind.PHONE,
                self.seal_cp_value(phone.id, number),
                self.cp_index(number),
                phone.safe_to_call,
                phone.safe_to_leave_message,
                phone.safe_to_text,
                False,
                safe_days,
                safe_from,
                safe_until,
                self.seal_cp_code(phone.id, rng.choice(CODE_WORDS))
                if rng.random() < CODE_WORD
                else None,
                self.seal_cp_notes(phone.id, rng.choice(CONTACT_POINT_NOTES))
                if rng.random() < 0.1
                else None,
                True,
                created,
            )
            if rng.random() < 0.15:
                other_id, other = self.uid(), fictional_phone(rng)
                self.contact_points.add(
                    other_id,
                    pid,
                    ContactKind.PHONE,
                    self.seal_cp_value(other_id, other),
                    self.cp_index(other),
                    False,
                    False,
                    False,
                    False,
                    [],
                    None,
                    None,
                    None,
                    self.seal_cp_notes(other_id, "Work number: not safe."),
                    False,
                    created,
                )
        email_id = None
        email_safe = False
        if rng.random() < 0.4:
            email_id = self.uid()
            email = fictional_email(rng, given, family)
            email_safe = rng.random() < SAFE_TO_EMAIL
            self.contact_points.add(
                email_id,
                pid,
                ContactKind.EMAIL,
                self.seal_cp_value(email_id, email),
                self.cp_index(email),
                False,
                False,
                False,
                email_safe,
                [],
                None,
                None,
                None,
                None,
                phone is None,
                created,
            )
        has_address = rng.random() < ADDRESS_SHARE
        confidential = has_address and rng.random() < CONFIDENTIAL_ADDRESS
        if has_address:
            self.address(pid, created, confidential, current=True)
            if rng.random() < 0.1:
                self.address(pid, created, False, current=False)
        alias_family = ""
        if rng.random() < 0.04:
            alias_family = rng.choice(FAMILY)
            self.aliases.add(
                self.uid(), pid, "", alias_family, "", self.key(alias_family), False, created
            )
        preferred = rng.choice(GIVEN) if rng.random() < 0.03 else ""
        self.index_names(pid, given, family, preferred, alias_family)
        self.people.add(
            pid,
            self.unit_id,
            given,
            family,
            preferred,
            self.key(given),
            self.key(family),
            born,
            estimated,
            GENDER_MIX["victim_ipv" if program == Program.IPV else "victim"].pick(rng),
            "",
            rng.choice(["she/her", "he/him", "they/them"]) if rng.random() < 0.05 else "",
            [language] if language == "en" else [language, "en"],
            interpreter,
            language if interpreter else "",
            self.seal_safe_phone(pid, safe_phone),
            self.phone_index(safe_phone),
            None,
            None,
            program == Program.TRAFFICKING,
            created,
        )
        return Client(
            pid,
            given,
            family,
            born,
            language,
            interpreter,
            phone,
            email_id,
            email_safe,
            has_address,
            confidential,
        )

    def address(self, pid, created, confidential: bool, current: bool) -> None:
        rng = self.rng
        aid = self.uid()
        line1 = f"{rng.randrange(1, 400)} {rng.choice(STREETS)}"
        line2 = f"Apt {rng.randrange(1, 30)}" if rng.random() < 0.25 else None
        self.addresses.add(
            aid,
            pid,
            self.seal_address["line1"](aid, line1),
            self.seal_address["line2"](aid, line2),
            self.seal_address["city"](aid, rng.choice(TOWNS)),
            None,
            None,
            confidential,
            current,
            created,
        )

    def relate(self, person_id, other_id, kind: str, t: int) -> None:
        self.relationships.add(self.uid(), person_id, other_id, kind, self.at(t))

    # ---- referrals ----

    def generate(self) -> None:
        rng = self.rng
        stream = self.stream
        days = (self.end - self.start) / DAY
        # A little seasonality: more in summer and over the holidays.
        month = self.clock.date(self.start).month
        season = 1 + 0.08 * math.cos((month - 7) / 6 * math.pi) + (0.05 if month == 12 else 0)
        n = round(stream.referrals_per_year * days / 365 * season * rng.uniform(0.95, 1.05))
        received = sorted(
            self.start + int(rng.random() * (self.end - self.start)) for _ in range(n)
        )
        # The triage queue: the last days' referrals (about QUEUE of them come in over that
        # time), less the urgent ones already seen and most of the older ones.
        since = self.now - int(QUEUE / stream.referrals_per_year * 365 * DAY)
        for i, t in enumerate(received):
            self.referral(t, in_queue=self.end == self.now and t >= since, first=i == 0)
        self.write_cases()

    def referral(self, t: int, *, in_queue: bool, first: bool) -> None:
        rng = self.rng
        world = self.world
        source = SOURCE_MIX.pick(rng)
        channel = CHANNEL_MIX[source].pick(rng)
        program = PROGRAM_MIX.pick(rng)
        urgency = URGENCY_MIX.pick(rng)
        flags: list[str] = []
        if program == Program.IPV and source in (Source.POLICE, Source.SCREENING, Source.ON_SCENE):
            flags = sorted({IPV_FLAGS.pick(rng) for _ in range(rng.choice([0, 1, 1, 2, 3]))})
            if HIGH_RISK_FLAGS.intersection(flags):
                urgency = Urgency.URGENT
        if source == Source.ON_SCENE:
            urgency = Urgency.URGENT
        # When it came in: incidents in the evening and at weekends, calls in office hours.
        if channel in (IntakeChannel.OFFICER_FORM, IntakeChannel.API) or source == Source.ON_SCENE:
            t = self.incident_time(t, INCIDENT_HOURS)
        elif channel == IntakeChannel.WEB_FORM:
            t = self.incident_time(t, WEB_HOURS)
        else:
            t = self.office(t)
        t = min(t, self.now - 600)
        rid = self.uid()
        due = t + int(TRIAGE_TARGETS[urgency].total_seconds())
        if in_queue:
            waited = self.now - t
            in_queue = {
                Urgency.URGENT: waited < 3 * HOUR,
                Urgency.PRIORITY: waited < 20 * HOUR or rng.random() < 0.2,
                Urgency.ROUTINE: waited < 72 * HOUR or rng.random() < 0.2,
            }[urgency]
        outcome = "new" if in_queue else REFERRAL_OUTCOME_MIX.pick(rng)
        if first:
            outcome = "accepted"
        # Triage: urgent ones within hours (on call), the rest in office hours, some late.
        decided = None
        if outcome != "new":
            if urgency == Urgency.URGENT:
                decided = t + int(rng.uniform(0.2, 4.5) * HOUR)
            else:
                decided = self.office(t + int(rng.random() * (due - t) * 0.8))
            if rng.random() < 0.08:
                decided = self.office(due + int(rng.uniform(0.5, 3) * DAY))
            if decided >= self.now:
                decided = t + int((self.now - t) * rng.uniform(0.3, 0.9))
        sender = sent_by = None
        reference = occurrence = ""
        referrer_name = referrer_phone = referrer_email = None
        referrer_role = referrer_relationship = ""
        consented: bool | None = None
        number = f"{self.index:03d}{len(self.referrals.rows):05d}"
        tag = f"{self.stream.number:02d}"
        if source in (Source.POLICE, Source.SCREENING, Source.ON_SCENE):
            police = "HRPS" if rng.random() < 0.8 else "LPS"
            occurrence = f"{police}-{self.clock.year(t) % 100:02d}-{tag}{number}"
            if source != Source.SCREENING:
                sender = world.police[police]
            if source == Source.POLICE:
                consented = rng.random() < 0.93
                given, family = synthetic_name(rng)
                referrer_name = f"Cst. {given} {family}"
                referrer_role = f"Constable #{rng.randrange(1000, 9999)}"
                referrer_phone = fictional_phone(rng)
                if channel in (IntakeChannel.OFFICER_FORM, IntakeChannel.API):
                    reference = f"{police}-{tag}{number}"
                if channel == IntakeChannel.OFFICER_FORM:
                    sent_by = world.officers[police]
        elif source == Source.AGENCY:
            agency = rng.choice(list(world.agencies))
            sender = world.agencies[agency]
            consented = rng.random() < 0.95
            given, family = synthetic_name(rng)
            referrer_name = f"{given} {family}"
            referrer_role = "Intake worker"
            referrer_phone = fictional_phone(rng)
            referrer_email = fictional_email(rng, given, family)
            if channel == IntakeChannel.AGENCY_FORM:
                reference = f"{agency}-{tag}{number}"
                sent_by = world.partners[agency]
        elif source == Source.FAMILY_FRIEND:
            given, family = synthetic_name(rng)
            referrer_name = f"{given} {family}"
            referrer_phone = fictional_phone(rng)
            referrer_relationship = rng.choice([ReferralRole.FAMILY, ReferralRole.FRIEND])
            consented = True if rng.random() < 0.6 else None
        status = {
            "new": ReferralStatus.NEW,
            "accepted": ReferralStatus.ACCEPTED,
            "attached": ReferralStatus.ACCEPTED,
            "declined": ReferralStatus.DECLINED,
            "duplicate": ReferralStatus.DUPLICATE,
        }[outcome]
        decline_reason = decline_note = ""
        if outcome == "declined":
            decline_reason = DECLINE_MIX.pick(rng)
            if decline_reason == DeclineReason.OTHER:
                decline_note = "Already supported by a community program."
        decided_by = rng.choice(self.staff.coordinators) if decided is not None else None
        # Who the referral is about.
        case_id = None
        duplicate_of = None
        client: Client | None = None
        person_id = None
        children: list[tuple[uuid.UUID, str, str, date | None]] = []
        age = (14, 70) if program == Program.SEXUAL_VIOLENCE else (18, 80)
        who = None
        if outcome == "duplicate" and self.last_who is not None and self.last_t <= t:
            duplicate_of = self.referrals.rows[-1][0]
            who = self.last_who
            person_id = who[0]
        elif outcome == "duplicate":
            outcome = "declined"
            status = ReferralStatus.DECLINED
            decline_reason = DeclineReason.OTHER
            decline_note = "Already supported by a community program."
        if outcome == "attached" and self.live:
            # Another report about a client whose case is open: it joins that case.
            for case, known, _team, opened in reversed(self.live[-40:]):
                if opened < (decided or t):
                    case_id, client, person_id = case, known, known.id
                    break
        if outcome == "attached" and case_id is None:
            outcome = "accepted"
        if outcome == "accepted":
            assert decided is not None
            client = self.client(decided, program, age)
            person_id = client.id
            self.children = []
            case_id = self.case(
                client, program, urgency, decided, decided_by, source, rid, occurrence, flags, t
            )
            if RiskFlag.CHILDREN_PRESENT in flags:
                children = self.children
        elif outcome == "attached":
            assert decided is not None and case_id is not None
            self.line(
                case_id,
                decided,
                TL_REFERRAL_ACCEPTED,
                decided_by,
                ("intake.referral", str(rid)),
                source=source,
            )
        self.referrals.add(
            rid,
            self.unit_id,
            source,
            channel,
            status,
            urgency,
            self.at(t),
            self.at(due),
            sender,
            reference,
            sent_by,
            occurrence,
            rng.choice(OFFENCES[program]) if occurrence or source == Source.AGENCY else "",
            flags,
            consented,
            self.seal_referral["referrer_name"](rid, referrer_name),
            referrer_role,
            self.seal_referral["referrer_phone"](rid, referrer_phone),
            self.seal_referral["referrer_email"](rid, referrer_email),
            referrer_relationship,
            self.seal_referral["narrative"](rid, rng.choice(NARRATIVES[program])),
            [program] if source != Source.SELF else [],
            self.at(decided) if decided is not None else None,
            decided_by,
            decline_reason,
            decline_note,
            duplicate_of,
            case_id,
        )
        self.counts["referrals"] += 1
        # The people on it, as the referrer described them.
        if client is not None:
            given, family, born = client.given, client.family, client.born
        elif who is not None:
            _, given, family, born = who
        else:
            given, family = synthetic_name(rng)
            born = None
        self.last_who = (person_id, given, family, born)
        self.last_t = t
        phone = client.phone if client is not None else None
        self._referral_person_row(
            rid,
            ReferralRole.VICTIM,
            given,
            family,
            born if rng.random() < 0.7 else None,
            phone.value if phone is not None and rng.random() < 0.85 else None,
            phone,
            client.language if client is not None else "en",
            client.interpreter if client is not None else False,
            person_id,
        )
        for cid, cgiven, cfamily, cborn in children:
            self._referral_person_row(
                rid, ReferralRole.CHILD, cgiven, cfamily, cborn, None, None, "", False, cid
            )

    def _referral_person_row(
        self, rid, role, given, family, born, number, phone: Phone | None, language, interp, pid
    ) -> None:
        rng = self.rng
        rp = self.uid()
        seal = self.seal_rp
        call = phone.safe_to_call if phone is not None else False
        self.referral_people.add(
            rp,
            rid,
            role,
            seal["given_name"](rp, given),
            seal["family_name"](rp, family),
            seal["date_of_birth"](rp, born),
            seal["phone"](rp, number),
            None,
            call,
            phone.safe_to_leave_message if phone is not None else False,
            phone.safe_to_text if phone is not None else False,
            False,
            seal["safe_times"](rp, rng.choice(SAFE_TIMES))
            if number and rng.random() < 0.2
            else None,
            language,
            interp,
            pid,
            0,
            False,
        )

    # ---- cases ----

    def case(
        self,
        client: Client,
        program: str,
        urgency: str,
        opened: int,
        coordinator,
        source: str,
        referral_id,
        occurrence: str,
        flags: list[str],
        received: int,
        *,
        role: str = ClientRole.VICTIM,
        linked: tuple[uuid.UUID, str, tuple[int, str], bool] | None = None,
    ) -> uuid.UUID:
        """A case with its whole story up to now; returns its id."""
        rng = self.rng
        if self.marker is not None:
            case_id, self.marker = self.marker, None
        else:
            case_id = self.uid()
        programs = [program]
        second = SECOND_PROGRAM.get(program)
        if second and rng.random() < second[1]:
            programs.append(second[0])
        team = TEAM_OF_PROGRAM[program]
        if linked is not None:
            _, team, worker, restricted = linked
        else:
            worker = rng.choice(self.staff.members[team] or self.staff.everyone)
            restricted = rng.random() < RESTRICTED_SHARE
        priority = PRIORITY_BY_URGENCY[urgency].pick(rng)
        actor = coordinator
        # Related people on file.
        if linked is None:
            self._relatives(client, program, opened, flags)
        story = Story(self, case_id, client, program, worker, team, opened, source, urgency)
        if referral_id is not None:
            self.line(
                case_id,
                opened,
                TL_REFERRAL_ACCEPTED,
                actor,
                ("intake.referral", str(referral_id)),
                source=source,
            )
        self.line(case_id, opened, TL_CASE_OPENED, actor, ("cases.case", str(case_id)))
        self.line(case_id, opened + 1, TL_ASSIGNED, actor, ("cases.case", str(case_id)))
        story.run(received, role != ClientRole.VICTIM)
        story.flush_tasks()
        self.case_rows.append(
            [
                case_id,
                self.unit_id,
                None,  # number: given in order of opening, at the end of the batch
                client.id,
                role,
                linked[0] if linked is not None else None,
                story.status,
                priority,
                worker[0],
                self.world.teams[team],
                restricted,
                rng.choice(RESTRICTED_REASONS) if restricted else "",
                occurrence,
                opened,
                story.closed_at,
                story.close_reason,
                rng.choice(CLOSE_NOTES) if story.close_reason == CloseReason.OTHER else "",
                story.reopened_at,
                story.last_activity,
                actor,
            ]
        )
        for p in programs:
            self.programs.add(case_id, p, self.at(opened))
        if story.status != CaseStatus.CLOSED and role == ClientRole.VICTIM:
            self.live.append((case_id, client, team, opened))
        self.counts["cases"] += 1
        # Family and friends who are clients in their own right.
        if linked is None:
            for kind, client_role in self._linked_clients(program, client):
                start = story.first_reached or opened
                when = self.office(start + int(rng.uniform(0.5, 20) * DAY))
                if when >= self.now:
                    continue
                relative = self.client(when, program, (16, 80), family=client.family)
                self.relate(client.id, relative.id, kind, when)
                self.case(
                    relative,
                    program,
                    Urgency.ROUTINE,
                    when,
                    coordinator,
                    source,
                    None,
                    occurrence,
                    [],
                    when,
                    role=client_role,
                    linked=(case_id, team, worker, restricted),
                )
        return case_id

    def _relatives(self, client: Client, program: str, t: int, flags: list[str]) -> None:
        rng = self.rng
        if RiskFlag.CHILDREN_PRESENT in flags or (program == Program.IPV and rng.random() < 0.3):
            for _ in range(rng.choice([1, 1, 2, 3])):
                child = self.person(t, family=client.family, age=(0, 16))
                self.relate(client.id, child[0], RelationshipKind.CHILD, t)
                self.children.append(child)
        if program == Program.IPV:
            if rng.random() < ACCUSED_ON_FILE[program]:
                accused = self.person(t, gender="accused")
                kind = (
                    RelationshipKind.CURRENT_PARTNER
                    if rng.random() < 0.4
                    else RelationshipKind.FORMER_PARTNER
                )
                self.relate(client.id, accused[0], kind, t)
        elif program == Program.HOMICIDE:
            deceased = self.person(t, family=client.family, age=(15, 85))
            kind = rng.choice(
                [RelationshipKind.CHILD, RelationshipKind.PARENT, RelationshipKind.CURRENT_PARTNER]
            )
            self.relate(client.id, deceased[0], kind, t)
            if rng.random() < ACCUSED_ON_FILE[program]:
                self.person(t, gender="accused")
        else:
            if rng.random() < ACCUSED_ON_FILE[program]:
                self.person(t, gender="accused")
        if rng.random() < 0.12:
            relative = self.person(t, family=client.family, age=(30, 80))
            self.relate(
                client.id,
                relative[0],
                rng.choice([RelationshipKind.PARENT, RelationshipKind.FAMILY]),
                t,
            )

    def _linked_clients(self, program: str, client: Client) -> list[tuple[str, str]]:
        rng = self.rng
        if program == Program.HOMICIDE:
            n = rng.choice([1, 1, 2, 2, 3])
            return [(RelationshipKind.FAMILY, ClientRole.FAMILY)] * n
        if rng.random() >= LINKED_CLIENT[program]:
            return []
        minor = client.born is not None and (self.clock.date(0) - client.born).days < 18 * 365
        if minor:
            return [(RelationshipKind.PARENT, ClientRole.CAREGIVER)]
        return [
            rng.choice(
                [
                    (RelationshipKind.PARENT, ClientRole.FAMILY),
                    (RelationshipKind.FAMILY, ClientRole.FAMILY),
                    (RelationshipKind.FRIEND, ClientRole.FRIEND),
                ]
            )
        ]

    def write_cases(self) -> None:
        """Number the batch's cases in order of opening and queue their rows."""
        self.case_rows.sort(key=lambda row: row[13])
        for row in self.case_rows:
            row[2] = self.world.next_number(self.clock.year(row[13]))
            for i in (13, 14, 17, 18):  # opened, closed, reopened, last activity
                if row[i] is not None:
                    row[i] = self.at(row[i])
            self.cases.add(*row)


class Story:
    """What happens on one case, from opening to now: contacts with their outcomes,
    services, follow-ups, consents and status changes, each with its timeline line."""

    def __init__(
        self, batch: Batch, case_id, client: Client, program, worker, team, opened, source, urgency
    ):
        self.b = batch
        self.rng = batch.rng
        self.case_id = case_id
        self.obj_case = ("cases.case", str(case_id))
        self.client = client
        self.program = program
        self.worker = worker[0]
        self.worker_name = worker[1]
        self.team_id = batch.world.teams[team]
        self.opened = opened
        self.source = source
        self.urgency = urgency
        self.status: str = CaseStatus.OPEN
        self.closed_at: int | None = None
        self.close_reason = ""
        self.reopened_at: int | None = None
        self.last_activity = opened
        self.first_reached: int | None = None
        self.contacts = 0
        self.tasks: list[list[Any]] = []
        self.channels: Mix | None = None
        self.secondary = False

    # ---- status ----

    def change(self, t: int, to: str, reason: str = "") -> None:
        data = {"from": self.status, "to": to}
        if reason:
            data["reason"] = reason
        self.b.line(self.case_id, t, TL_STATUS, self.worker, self.obj_case, **data)
        self.status = to
        self.last_activity = max(self.last_activity, t)

    # ---- the story ----

    def run(self, received: int, secondary: bool) -> None:
        b, rng = self.b, self.rng
        now = b.now
        self.secondary = secondary
        fate = FATE_MIX.pick(rng)
        if secondary or (self.source == Source.ON_SCENE and fate == "unreached"):
            fate = "worked"  # met on scene, or a relative who asked for support
        # The first-contact follow-up, due by urgency.
        due_first = (
            self.opened
            + {
                Urgency.URGENT: 4 * HOUR,
                Urgency.PRIORITY: DAY,
                Urgency.ROUTINE: 2 * DAY,
            }[self.urgency]
        )
        first_task = self.task(
            self.opened, b.office(due_first), FIRST_TASK, b.staff.coordinators[0]
        )
        # When the first contact happens.
        if self.source == Source.ON_SCENE and not secondary:
            t = received + int(rng.uniform(0.3, 1.5) * HOUR)
        elif self.urgency == Urgency.URGENT:
            # Within hours; half the time it waits for the office to open.
            t = self.opened + int(rng.uniform(0.2, 6) * HOUR)
            if rng.random() < 0.5:
                t = b.office(t)
        else:
            t = b.office(self.opened + int(rng.random() * 2 * DAY))
        if fate == "unreached":
            self.unreached(t, first_task)
        elif fate == "declined":
            self.declined(t, first_task)
        else:
            median = DURATION_DAYS[self.program] * (0.6 if secondary else 1)
            days = median * math.exp(rng.gauss(0, DURATION_SIGMA))
            planned = b.office(max(self.opened + int(days * DAY), t + DAY))
            hold = None
            if planned >= now and rng.random() < ON_HOLD_SHARE and now - self.opened > 45 * DAY:
                hold = now - int(rng.uniform(7, 40) * DAY)
            self.work(t, min(planned, now), first_task, hold)
            if planned < now:
                self.close(planned, CLOSE_MIX.pick(rng))
            if self.status == CaseStatus.CLOSED and rng.random() < REOPEN_SHARE:
                back = b.office(planned + int(rng.uniform(14, 240) * DAY))
                if back < now:
                    self.reopen(back)
                    again = b.office(back + int(median * 0.5 * math.exp(rng.gauss(0, 0.6)) * DAY))
                    self.work(back, min(again, now), None, None)
                    if again < now:
                        self.close(again, CLOSE_MIX.pick(rng))

    def unreached(self, t: int, first_task) -> int:
        """Three to five attempts over two or three weeks, a letter, then closed."""
        rng, b = self.rng, self.b
        attempts = rng.randint(3, 5)
        last = t
        channel, direction = self._first_channel()
        if direction == Direction.INCOMING:
            attempts = 0  # no safe way to reach out: the unit waits for them to call
        for i in range(attempts):
            if t >= b.now:
                return b.now
            outcome = self._failed_outcome(channel)
            self.contact(t, channel, Direction.OUTGOING, outcome, first_task if i == 0 else None)
            last = t
            t = b.later(t, rng.uniform(1, 5))
        if t < b.now and self.client.has_address:
            self.contact(t, Channel.LETTER, Direction.OUTGOING, ContactOutcome.SENT, None)
            last = t
        close = b.office(last + int(rng.uniform(3, 10) * DAY))
        if close < b.now:
            self.close(close, CloseReason.UNABLE_TO_CONTACT)
            return close
        return last

    def declined(self, t: int, first_task) -> int:
        rng, b = self.rng, self.b
        if t >= b.now:
            return b.now
        channel, direction = self._first_channel()
        spoken = channel in (Channel.PHONE, Channel.ON_SCENE)
        outcome = ContactOutcome.DECLINED if spoken else ContactOutcome.SENT
        self.contact(t, channel, direction, outcome, first_task)
        close = b.office(t + int(rng.uniform(0.1, 2) * DAY))
        if close < b.now:
            self.close(close, CloseReason.DECLINED)
            return close
        return t

    def work(self, t: int, end: int, first_task, hold: int | None) -> int:
        """Contacts from `t` until `end` (a closing or now), denser at first."""
        rng, b = self.rng, self.b
        first = first_task is not None
        last = t
        stop = min(end, hold) if hold is not None else end
        while t < stop and self.contacts < 200:
            phone = self.client.phone
            if first:
                channel, direction = self._first_channel()
            else:
                channel, direction = self._channel(), Direction.OUTGOING
                if channel == Channel.PHONE and (phone is None or not phone.safe_to_call):
                    direction = Direction.INCOMING  # not safe to call them: they call us
                elif channel in INCOMING_CHANNELS and rng.random() < INCOMING_SHARE:
                    direction = Direction.INCOMING
            outcome = self._outcome(channel, direction)
            self.contact(t, channel, direction, outcome, first_task)
            first_task = None
            first = False
            last = t
            age = (t - self.opened) / DAY
            if outcome == ContactOutcome.REACHED:
                gap = rng.expovariate(1 / (1.6 + 0.14 * age))
            else:
                gap = rng.expovariate(1 / 1.5)
            t = b.later(t, max(gap, 0.3))
        if hold is not None and self.status == CaseStatus.ACTIVE and hold < end:
            self.change(max(hold, last + HOUR), CaseStatus.ON_HOLD)
        elif end >= b.now and self.status != CaseStatus.CLOSED:
            # The next planned call, as a follow-up: mostly ahead, sometimes already late.
            due = t if t > b.now else b.office(b.now)
            if rng.random() < 0.15:
                due = b.office(b.now - int(rng.uniform(2, 12) * DAY))
            created = min(last + 600, b.now - 60)
            self.task(created, max(due, created + HOUR), CHECK_IN_TASK, self.worker)
        return last

    def reopen(self, t: int) -> None:
        self.change(t, CaseStatus.REOPENED)
        self.reopened_at = t
        self.closed_at = None
        self.close_reason = ""

    def close(self, t: int, reason: str) -> None:
        self.change(t, CaseStatus.CLOSED, reason)
        self.closed_at = t
        self.close_reason = reason

    # ---- contacts ----

    def _first_channel(self) -> tuple[str, str]:
        """How the unit first reaches out: a call, or the safest other way; with no safe
        way at all, the client calls in."""
        client = self.client
        phone = client.phone
        if self.source == Source.ON_SCENE and not self.secondary:
            return Channel.ON_SCENE, Direction.OUTGOING
        if phone is not None and phone.safe_to_call:
            return Channel.PHONE, Direction.OUTGOING
        if phone is not None and phone.safe_to_text:
            return Channel.TEXT, Direction.OUTGOING
        if client.email_id is not None and client.email_safe:
            return Channel.EMAIL, Direction.OUTGOING
        if client.has_address:
            return Channel.LETTER, Direction.OUTGOING
        return Channel.PHONE, Direction.INCOMING

    def _channel(self) -> str:
        rng, client = self.rng, self.client
        phone = client.phone
        if self.channels is None:
            # The channels safe for this client, in the usual proportions.
            allowed = dict(CHANNEL_MIX_LATER.weights)
            if phone is None or not phone.safe_to_call:
                allowed[Channel.PHONE] *= 0.15  # they call us; we do not call them
            if phone is None or not phone.safe_to_text:
                del allowed[Channel.TEXT]
            if client.email_id is None or not client.email_safe:
                del allowed[Channel.EMAIL]
            if not client.has_address:
                del allowed[Channel.LETTER]
            if not client.has_address or client.confidential:
                del allowed[Channel.HOME_VISIT]
            self.channels = Mix(allowed)
        return self.channels.pick(rng)

    def _failed_outcome(self, channel: str) -> str:
        if channel == Channel.PHONE:
            phone = self.client.phone
            if phone is not None and phone.safe_to_leave_message and self.rng.random() < 0.4:
                return ContactOutcome.LEFT_MESSAGE
            return ContactOutcome.NO_ANSWER
        if channel in WRITTEN:
            return ContactOutcome.SENT
        return ContactOutcome.NO_ANSWER

    def _outcome(self, channel: str, direction: str) -> str:
        rng = self.rng
        if direction == Direction.INCOMING:
            return ContactOutcome.REACHED
        if channel == Channel.PHONE:
            outcome = PHONE_OUTCOME_MIX.pick(rng)
            phone = self.client.phone
            if outcome == ContactOutcome.LEFT_MESSAGE and not (
                phone is not None and phone.safe_to_leave_message
            ):
                return ContactOutcome.NO_ANSWER
            return outcome
        if channel in WRITTEN:
            r = rng.random()
            if r < 0.05:
                return ContactOutcome.REACHED
            if r < 0.07 and channel == Channel.TEXT:
                return ContactOutcome.WRONG_NUMBER
            return ContactOutcome.SENT
        return ContactOutcome.REACHED if rng.random() < 0.96 else ContactOutcome.NO_ANSWER

    def contact(self, t: int, channel: str, direction: str, outcome: str, first_task) -> None:
        b, rng, client = self.b, self.rng, self.client
        cid = b.uid()
        recorded_by = self.worker
        if channel == Channel.ON_SCENE:
            weekday = b.clock.weekday(t)
            seconds = t % DAY
            if weekday >= 5 or not OFFICE_OPENS <= seconds < OFFICE_CLOSES:
                recorded_by = b.world.volunteer  # evenings, nights and weekends
        point = None
        outside = False
        if channel in (Channel.PHONE, Channel.TEXT) and client.phone is not None:
            point = client.phone.id
            if direction == Direction.OUTGOING and client.phone.window is not None:
                t, outside = self._in_window(t, client.phone.window)
        elif channel == Channel.EMAIL:
            point = client.email_id
        if t >= b.now:
            t = b.now - 60
        reached = outcome == ContactOutcome.REACHED
        if reached:
            if channel == Channel.PHONE:
                minutes = int(rng.triangular(5, 60, 15))
            elif channel == Channel.ON_SCENE:
                minutes = int(rng.triangular(45, 240, 90))
            elif channel in IN_PERSON:
                minutes = int(rng.triangular(20, 120, 50))
            else:
                minutes = None
            note = rng.choice(CONTACT_NOTES) if rng.random() < 0.85 else None
        elif outcome == ContactOutcome.SENT:
            minutes = None
            note = rng.choice(SENT_NOTES) if rng.random() < 0.3 else None
        else:
            minutes = 1 if channel == Channel.PHONE else None
            note = rng.choice(ATTEMPT_NOTES) if rng.random() < 0.4 else None
        at = b.at(t)
        b.contacts.add(
            cid,
            self.case_id,
            client.id,
            point,
            channel,
            direction,
            at,
            minutes,
            outcome,
            b.seal_contact_notes(cid, note),
            outside,
            recorded_by,
            at,
        )
        self.contacts += 1
        b.counts["contacts"] += 1
        obj = ("cases.contact", str(cid))
        b.line(
            self.case_id,
            t,
            TL_CONTACT,
            recorded_by,
            obj,
            channel=channel,
            direction=direction,
            outcome=outcome,
        )
        self.last_activity = max(self.last_activity, t)
        if first_task is not None:
            self.finish_task(first_task, t)
        if reached and self.status == CaseStatus.OPEN:
            self.change(t + 60, CaseStatus.ACTIVE)
        if reached:
            self.services(t, cid, channel, minutes, recorded_by)
            if self.first_reached is None:
                self.first_reached = t
                self.consents(t)
            elif rng.random() < 0.18:
                due = b.later(t, rng.uniform(2, 21))
                self.task(t + 120, due, rng.choice(TASK_TITLES), self.worker)
        elif outcome == ContactOutcome.SENT and channel == Channel.LETTER and rng.random() < 0.5:
            self.service(t, cid, Service.INFORMATION_CASE_STATUS, 10, recorded_by)

    def _in_window(self, t: int, window: tuple[list[int], int, int]) -> tuple[int, bool]:
        """Move a call into the client's safe days and hours; now and then a worker goes
        ahead outside them (and the contact says so)."""
        rng, clock = self.rng, self.b.clock
        days, start, until = window
        if rng.random() < 0.03:
            seconds = t % DAY
            inside = (not days or clock.weekday(t) in days) and start <= seconds < until
            return t, not inside
        day = t // DAY
        for _ in range(7):
            if not days or clock.weekday(day * DAY) in days:
                break
            day += 1
        return day * DAY + start + int(rng.random() * (until - start)), False

    # ---- services ----

    def services(self, t: int, contact_id, channel: str, minutes: int | None, by) -> None:
        rng = self.rng
        chosen: list[str] = []
        if self.first_reached is None:
            if channel == Channel.ON_SCENE or self.urgency == Urgency.URGENT:
                chosen.append(Service.CRISIS_INTERVENTION)
            for code, chance in FIRST_SERVICES:
                if rng.random() < chance:
                    chosen.append(code)
            safety = 0.7 if self.program == Program.IPV else 0.2
            if rng.random() < safety:
                chosen.append(Service.SAFETY_PLANNING)
            if self.program in (Program.HOMICIDE, Program.TRAFFICKING) and rng.random() < 0.5:
                chosen.append(Service.ENHANCED_SUPPORT)
            if not chosen:
                chosen.append(Service.EMOTIONAL_SUPPORT)
        else:
            age = (t - self.opened) / DAY
            n = 0 if rng.random() >= LATER_SERVICE else 1
            for _ in range(n + (n and rng.random() < LATER_SECOND_SERVICE)):
                code = LATER_SERVICES.pick(rng)
                if code in COURT_SERVICES and (age < 45 or self.program == Program.GENERAL):
                    code = Service.FOLLOW_UP
                if code == Service.ENHANCED_SUPPORT and self.program not in (
                    Program.HOMICIDE,
                    Program.TRAFFICKING,
                    Program.SERIOUS_CRIME,
                ):
                    code = Service.EMOTIONAL_SUPPORT
                if code not in chosen:
                    chosen.append(code)
        share = max(5, (minutes or 15) // max(len(chosen), 1))
        for code in chosen:
            self.service(t, contact_id, code, share, by)

    def service(self, t: int, contact_id, code: str, minutes: int, by) -> None:
        b = self.b
        sid = b.uid()
        note = self.rng.choice(SERVICE_NOTES) if self.rng.random() < 0.15 else None
        at = b.at(t)
        b.services.add(
            sid,
            self.case_id,
            code,
            at,
            minutes,
            b.seal_service_notes(sid, note),
            contact_id,
            by,
            at,
        )
        b.line(self.case_id, t, TL_SERVICE, by, ("cases.serviceprovided", str(sid)), service=code)

    # ---- follow-ups ----

    def task(self, created: int, due: int, title: str, by) -> list[Any]:
        b = self.b
        tid = b.uid()
        row = [
            tid,
            b.unit_id,
            self.case_id,
            title,
            due,
            self.worker,
            self.team_id,
            TaskStatus.OPEN,
            None,
            None,
            None,
            by,
            created,
        ]
        self.tasks.append(row)
        b.line(self.case_id, created, TL_TASK_CREATED, by, ("cases.task", str(tid)))
        return row

    def finish_task(self, row: list[Any], t: int, status: str = TaskStatus.DONE) -> None:
        if row[7] != TaskStatus.OPEN:
            return
        row[7] = status
        row[8] = t
        row[9] = self.worker if status == TaskStatus.DONE else None
        code = TL_TASK_DONE if status == TaskStatus.DONE else TL_TASK_CANCELLED
        self.b.line(self.case_id, t, code, self.worker, ("cases.task", str(row[0])))

    # ---- consents ----

    def consents(self, t: int) -> None:
        rng, b = self.rng, self.b
        world = b.world
        wanted: list[tuple[str, int | None, str]] = []
        if rng.random() < CONSENT_REFERRAL:
            agency = {
                Program.IPV: "Shelter",
                Program.SEXUAL_VIOLENCE: "Hospital",
            }.get(self.program, "Counselling")
            wanted.append((Purpose.REFERRAL, world.agencies[agency], ""))
        police = (
            CONSENT_POLICE_TRAFFICKING if self.program == Program.TRAFFICKING else CONSENT_POLICE
        )
        if rng.random() < police:
            wanted.append((Purpose.POLICE_SHARING, None, RecipientClass.POLICE))
        if rng.random() < CONSENT_COURT:
            wanted.append((Purpose.COURT_LIAISON, None, RecipientClass.COURT))
        for purpose, org, klass in wanted:
            cid = b.uid()
            method = rng.choice(
                [Method.WRITTEN, Method.WRITTEN, Method.E_SIGNED, Method.VERBAL_WITNESSED]
            )
            revoked = None
            if rng.random() < CONSENT_REVOKED:
                revoked = min(t + int(rng.uniform(5, 200) * DAY), b.now - 60)
            given = b.at(t)
            b.consents.add(
                cid,
                b.unit_id,
                self.client.id,
                purpose,
                org,
                klass,
                method,
                self.worker_name if method == Method.VERBAL_WITNESSED else "",
                given,
                given + timedelta(days=365),
                b.at(revoked) if revoked is not None else None,
                "Client asked to stop sharing." if revoked is not None else "",
                CONSENT_TEXT,
                self.worker,
                None,
                given,
            )
            b.line(
                self.case_id,
                t,
                TL_CONSENT,
                self.worker,
                ("consent.consent", str(cid)),
                purpose=purpose,
            )

    # ---- the end ----

    def flush_tasks(self) -> None:
        """Settle the follow-ups: done when their time came, cancelled with a closed case,
        still open (some late) on a live one. Then queue their rows."""
        b, rng = self.b, self.rng
        end = self.closed_at if self.status == CaseStatus.CLOSED else None
        for row in self.tasks:
            due = row[4]
            if row[7] == TaskStatus.OPEN:
                if end is not None:
                    if due < end and rng.random() < 0.9:
                        done = min(max(due + int(rng.uniform(-2, 2) * DAY), row[12] + HOUR), end)
                        self.finish_task(row, done)
                    else:
                        self.finish_task(row, end, TaskStatus.CANCELLED)
                elif due < b.now - DAY and row[3] != CHECK_IN_TASK and rng.random() < 0.93:
                    done = min(max(due + int(rng.uniform(-2, 2) * DAY), row[12] + HOUR), b.now - 60)
                    self.finish_task(row, done)
            for i in (4, 8, 12):
                if row[i] is not None:
                    row[i] = b.at(row[i])
            b.tasks.add(*row)


# ---- writing it -------------------------------------------------------------------------


def seed(
    orgs: dict[str, Organisation],
    streams: Iterable[Stream],
    *,
    password: str,
    progress=None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Write the batches of the streams that are not there yet; returns how many rows of
    each kind were written (empty when everything was already there). Dates are relative
    to `now` (default: the moment it runs)."""
    streams = tuple(streams)
    with transaction.atomic():
        world = ensure_staff(orgs, streams, password)
    todo = [(stream, k) for stream in streams for k in range(stream.batches)]
    markers = [stream.marker(k) for stream, k in todo]
    done = set(Case.objects.filter(pk__in=markers).values_list("pk", flat=True))
    todo = [(stream, k) for stream, k in todo if stream.marker(k) not in done]
    if not todo:
        return {}
    now = now or timezone.now()
    clocks = {stream.name: Clock(world.unit.tz, now, stream.days) for stream in streams}
    for clock in clocks.values():
        world.load_numbers(range(clock.year(0), clock.year(clock.now) + 1))
    bar = Progress(len(todo), "demo casework", progress) if progress is not None else None
    tune = _tuning()
    written: dict[type[Model], int] = {}
    for stream, k in todo:
        loader = bulk.Loader()
        with transaction.atomic():
            tune()
            Batch(world, stream, k, clocks[stream.name], loader).generate()
            loader.flush()
        for model, table in loader.tables.items():
            written[model] = written.get(model, 0) + table.written
        if bar is not None:
            bar.advance(note=f"{stream.name} {k + 1}/{stream.batches}")
    if bar is not None:
        bar.close()
    analyse()
    return {str(model._meta.verbose_name_plural): n for model, n in written.items()}


def _tuning() -> Callable[[], None]:
    """What each batch's transaction sets, by database. Safe: a crash loses at most the
    batches not yet committed, never part of one, and the next run writes them.

    - SQLite: a 256 MB page cache for this connection (memory only; durability unchanged:
      WAL with synchronous=NORMAL as always).
    - PostgreSQL: synchronous_commit off for these transactions (the last few commits may
      be lost in a crash, and are written again next run). When the role is a superuser (a
      benchmark's own cluster), session_replication_role = replica too: it skips the
      foreign-key triggers, as pg_restore --disable-triggers does, which halves the cost of
      committing. Every reference the generator writes is to a row written before it in the
      same batch or an earlier one; the test suite checks that on SQLite, where foreign keys
      are always enforced.
    """
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size = -262144")
            return lambda: None
        if connection.vendor != "postgresql":
            return lambda: None
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        superuser = bool(row and row[0])

    def tune() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            if superuser:
                cursor.execute("SET LOCAL session_replication_role = replica")

    return tune


def analyse() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum or a periodic
    `PRAGMA optimize` would: without them the first queries plan as if tables were empty."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            # In full: a sampled ANALYZE (analysis_limit) misjudged how many cases an
            # organisation has by a hundred times (harbour.lib.apps).
            cursor.execute("ANALYZE")
