"""Duplicate detection: is the person about to be created already in the organisation?

Two steps, so it stays fast with hundreds of thousands of people:

1. ``candidates`` narrows with indexed columns only: the phonetic keys of the names (also of
   aliases), the date of birth, and the blind indexes of phone numbers. It reads at most a
   few hundred rows, never the whole organisation.
2. ``score`` compares two profiles (a pure function, tested with hypothesis) and says why:
   "name sounds alike", "same date of birth", "same phone number".

A phone number is never decrypted here: profiles carry blind-index digests, tagged with the
index they came from, so equal numbers compare equal without either side being read.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date

import jellyfish
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from harbour.lib.fields import phone_key
from harbour.people.models import ContactPoint, Person, PersonAlias

# Rows read per narrowing query. Enough for any real duplicate; the cap is what keeps a
# common name ("Singh", "Nguyen") from reading thousands of rows.
PER_QUERY = 200
# Results below this are noise: a shared birthday alone, or a similar-sounding surname.
THRESHOLD = 40
SHOWN = 10

WEIGHT_NAME = 50  # scaled by how alike the best pair of names is (0–1)
WEIGHT_SOUNDS = 15
WEIGHT_DOB = 25
WEIGHT_AGE = 10
WEIGHT_PHONE = 30
MAXIMUM = WEIGHT_NAME + WEIGHT_SOUNDS + WEIGHT_DOB + WEIGHT_PHONE

SAME_DOB = _("same date of birth")
SIMILAR_AGE = _("about the same age")
SOUNDS_ALIKE = _("name sounds alike")
SAME_NAME = _("same name")
SIMILAR_NAME = _("similar name")
SAME_PHONE = _("same phone number")
ALIAS = _("matches an alias")


def plain(name: str) -> str:
    """Lower case, accents and punctuation gone: "Bélanger-Da Silva" is "belanger da silva"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalpha() else " " for c in letters.lower()).split())


def name_key(name: str) -> str:
    """The phonetic key of a name (metaphone of its letters): "Catherine" and "Katherine",
    "MacLeod" and "McLeod", "Zoé" and "Zoe" share one. Stored, indexed, on Person and
    PersonAlias."""
    letters = plain(name).replace(" ", "")
    return jellyfish.metaphone(letters)[:40] if letters else ""


def name_tokens(*names: str) -> set[str]:
    """The search words of these names: each folded word, and each word's phonetic key
    marked "~" (so "Jon" finds "John", "Katherine" finds "Catherine")."""
    tokens = set()
    for name in names:
        for word in plain(name).split():
            tokens.add(word[:100])
            key = jellyfish.metaphone(word)[:40]
            if key:
                tokens.add(f"~{key}")
    return tokens


def search_ranges(query: str, words: int) -> list[tuple[str, str, str]]:
    """For each word of a typed name (at most `words`): the range of tokens that start
    with it [word, next) and its phonetic token. "rob" gives ("rob", "roc", "~RB").
    Tokens hold letters only, so the word's last letter moved on by one bounds the range
    in any collation that orders letters sensibly (SQLite's and PostgreSQL's do)."""
    out = []
    for word in plain(query).split()[:words]:
        word = word[:100]
        upper = word[:-1] + chr(ord(word[-1]) + 1)
        key = jellyfish.metaphone(word)[:40]
        out.append((word, upper, f"~{key}" if key else ""))
    return out


@dataclass(frozen=True)
class Name:
    given: str
    family: str

    @property
    def full(self) -> str:
        return plain(f"{self.given} {self.family}")

    @property
    def keys(self) -> tuple[str, str]:
        return name_key(self.given), name_key(self.family)


@dataclass(frozen=True)
class Profile:
    """What duplicate detection compares: names (the first is the person's own), birth, and
    phone digests (opaque tokens; equal numbers give equal tokens)."""

    names: tuple[Name, ...]
    date_of_birth: date | None = None
    birth_year: int | None = None
    phones: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Match:
    person: Person
    score: int
    reasons: list[str]


def _name_likeness(a: Profile, b: Profile) -> tuple[float, bool, bool, bool]:
    """(best similarity 0–1, sounds alike, exact, via an alias) over every pair of names."""
    best, sounds, exact, via_alias = 0.0, False, False, False
    for i, x in enumerate(a.names):
        for j, y in enumerate(b.names):
            if not x.full or not y.full:
                continue
            ratio = fuzz.token_sort_ratio(x.full, y.full) / 100
            alike = x.keys == y.keys and all(x.keys)
            if ratio > best or (ratio == best and alike and not sounds):
                via_alias = i > 0 or j > 0
            best = max(best, ratio)
            sounds = sounds or alike
            exact = exact or x.full == y.full
    return best, sounds, exact, via_alias


def _birth_year(p: Profile) -> int | None:
    return p.date_of_birth.year if p.date_of_birth else p.birth_year


def score(a: Profile, b: Profile) -> tuple[int, list[str]]:
    """How likely a and b are one person (0–100), and the reasons. Symmetric."""
    reasons: list[str] = []
    total = 0.0
    likeness, sounds, exact, via_alias = _name_likeness(a, b)
    total += WEIGHT_NAME * likeness
    if exact:
        reasons.append(str(SAME_NAME))
    elif likeness >= 0.8:
        reasons.append(str(SIMILAR_NAME))
    if sounds:
        total += WEIGHT_SOUNDS
        if not exact:
            reasons.append(str(SOUNDS_ALIKE))
    if via_alias and likeness >= 0.8:
        reasons.append(str(ALIAS))
    if a.date_of_birth and a.date_of_birth == b.date_of_birth:
        total += WEIGHT_DOB
        reasons.append(str(SAME_DOB))
    else:
        ya, yb = _birth_year(a), _birth_year(b)
        if ya and yb and abs(ya - yb) <= 2:
            total += WEIGHT_AGE
            reasons.append(str(SIMILAR_AGE))
    if a.phones & b.phones:
        total += WEIGHT_PHONE
        reasons.append(str(SAME_PHONE))
    return round(100 * total / MAXIMUM), reasons


# ---- reading candidates from the database ----


def phone_tokens(number: str | None) -> frozenset[str]:
    """Tokens for a typed number, one per blind index it may be stored under."""
    if not number or not phone_key(number):
        return frozenset()
    cp = ContactPoint._meta.get_field("value_index").digest(number)  # type: ignore[attr-defined]
    sp = Person._meta.get_field("safe_phone_index").digest(number)  # type: ignore[attr-defined]
    return frozenset({f"cp:{cp}", f"sp:{sp}"})


def profile_of(person: Person) -> Profile:
    """A stored person's profile. Expects aliases and contact_points prefetched."""
    names = [Name(person.given_name, person.family_name)]
    if person.preferred_name:
        names.append(Name(person.preferred_name, person.family_name))
    names += [Name(a.given_name, a.family_name) for a in person.aliases.all()]
    phones = {f"cp:{c.value_index}" for c in person.contact_points.all() if c.value_index}
    if person.safe_phone_index:
        phones.add(f"sp:{person.safe_phone_index}")
    return Profile(
        names=tuple(names),
        date_of_birth=person.date_of_birth,
        birth_year=person.estimated_birth_year,
        phones=frozenset(phones),
    )


def candidates(people, proposal: Profile) -> list[Person]:
    """People from `people` (a scoped queryset) worth scoring against the proposal, read
    through indexed columns only."""
    given, family = proposal.names[0].keys
    ids: set = set()

    def take(queryset) -> None:
        ids.update(queryset.values_list("pk", flat=True)[:PER_QUERY])

    if given and family:
        take(people.filter(given_name_key=given, family_name_key=family))
        # Given and family name swapped, a common slip with names from other languages.
        take(people.filter(given_name_key=family, family_name_key=given))
        alias_hits = PersonAlias.objects.filter(
            Q(given_name_key=given, family_name_key=family)
            | Q(given_name_key=family, family_name_key=given)
        ).values("person_id")
        take(people.filter(pk__in=alias_hits))
    elif family:
        take(people.filter(family_name_key=family))
    if proposal.date_of_birth:
        take(people.filter(date_of_birth=proposal.date_of_birth))
    cp_digests = [t[3:] for t in proposal.phones if t.startswith("cp:")]
    sp_digests = [t[3:] for t in proposal.phones if t.startswith("sp:")]
    if cp_digests:
        hits = ContactPoint.objects.filter(value_index__in=cp_digests).values("person_id")
        take(people.filter(pk__in=hits))
    if sp_digests:
        take(people.filter(safe_phone_index__in=sp_digests))
    if not ids:
        return []
    return list(people.filter(pk__in=ids).prefetch_related("aliases", "contact_points"))


def likely_duplicates(people, proposal: Profile, *, exclude=None) -> list[Match]:
    """Ranked likely duplicates of `proposal` among `people`, best first."""
    matches = []
    for person in candidates(people, proposal):
        if exclude is not None and person.pk == exclude:
            continue
        points, reasons = score(proposal, profile_of(person))
        if points >= THRESHOLD:
            matches.append(Match(person=person, score=points, reasons=reasons))
    matches.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name))
    return matches[:SHOWN]
