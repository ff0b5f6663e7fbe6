"""Synthetic NIBRS 2019.1 flat files for the screening import benchmark and parser tests.

    .venv/bin/python bench/nibrs_generate.py --incidents 1000000 --out FILE [--seed N]
        [--agencies 40] [--from 2018-01-01] [--to 2019-12-31] [--crlf] [--summary FILE.json]

(bench/nibrs_generate.py is the command line; `harbour demo` calls generate() directly.)

Writes fixed-width segments exactly as section 6 of the FBI's NIBRS Technical Specification
2019.1 lays them out (positions from reference/codes/nibrs_flatfile_layout_2019_1.csv,
checked against the specification): administrative (0087/0088), offense (0063/0071), property
(0307), victim (0129/0141), offender (0045/0046) and arrestee (0110) segments for Group A
incidents, then Group B arrests (0066) and zero reports (0043). Everything is invented: the
ORIs use the state prefix "ZZ", which no agency has, and incident numbers count up per ORI.

What --incidents counts: the distinct (ORI, incident number) pairs left after the file's
deletes are applied, which is what an importer should end with. On top of those the file
holds incidents that a later delete (D) removes, and incidents that are deleted and then
re-submitted (D, then I with new contents: the later insert replaces the first). Shares:
GHOST_SHARE and REVISE_SHARE below.

Mixes follow national NIBRS proportions roughly (assaults, vandalism, larceny and drugs
most common); about 30% of crime-against-person incidents are IPV-related (a victim of a
person offence whose relationship to an offender is SE, CS, BG, XS or XR). Segments keep the
specification's main mandatory-field and cross-segment rules (every offence has a victim,
victims of person and property crimes are related to every known offender, property
segments where the offence requires one, weapons and injuries where mandatory, ages fitting
relationships), but the file is not run through the FBI's full edit set.

Speed: incidents are drawn from a pool of POOL_SIZE randomly built "shapes" (offences,
victims, offenders, property, with their segment text ready), so writing an incident is a
few string joins with its ORI, number and date. The summary (stdout, and --summary FILE)
gives segment counts and, per month of incident date, the figures issue 4 defines
(incidents, crimes against persons, IPV, family-or-IPV, victims, bias), computed from what
was written, so an import can be checked against it.
"""

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

POOL_SIZE = 20_000
GHOST_SHARE = 0.01  # incidents written, then deleted later in the file
REVISE_SHARE = 0.02  # chance, after each incident, that an earlier one is deleted and re-sent
GROUP_B_SHARE = 0.03  # Group B arrests, per incident
QUIET_SHARE = 0.1  # extra agencies that send a zero report for every month
CARGO_ORI_SHARE = 0.8  # agencies reporting cargo theft (0088 administrative segments)

# Segment lengths (techspec 2019.1 section 3.3.1, Segment Length).
LENGTHS = {
    "admin": (87, 88),
    "offense": (63, 71),
    "property": (307,),
    "victim": (129, 141),
    "offender": (45, 46),
    "arrestee": (110,),
    "group_b": (66,),
    "zero": (43,),
}

PERSON = {"09A", "09B", "100", "11A", "11B", "11C", "11D", "13A", "13B", "13C", "36A", "36B"}
PERSON |= {"64A", "64B"}
PROPERTY = {"120", "200", "210", "220", "250", "270", "280", "290", "510"}
PROPERTY |= {"23A", "23B", "23C", "23D", "23E", "23F", "23G", "23H", "240"}
PROPERTY |= {"26A", "26B", "26C", "26D", "26E", "26F", "26G"}
SOCIETY = {"35A", "35B", "370", "39A", "39B", "39C", "39D", "40A", "40B", "40C", "520", "720"}
SEXUAL = {"11A", "11B", "11C", "11D", "36A", "36B"}
TRAFFICKING = {"64A", "64B"}
IPV = {"SE", "CS", "BG", "XS", "XR"}
FAMILY = {"PA", "SB", "CH", "GP", "GC", "IL", "SP", "SC", "SS", "OF"}

# Incidents by their main offence: roughly the national NIBRS mix (percent).
PRIMARY = {
    "13B": 15.0, "290": 9.0, "23H": 9.0, "35A": 8.0, "220": 6.0, "13C": 5.0, "23C": 5.0,
    "13A": 4.5, "23F": 4.5, "240": 3.5, "26A": 3.0, "23D": 2.0, "520": 1.5, "120": 1.5,
    "35B": 1.0, "26B": 1.0, "26C": 1.0, "23G": 1.0, "250": 0.8, "280": 0.8, "11A": 0.7,
    "11D": 0.6, "26F": 0.5, "26E": 0.4, "100": 0.3, "370": 0.3, "270": 0.3, "200": 0.3,
    "36B": 0.2, "210": 0.2, "720": 0.2, "40A": 0.2, "11B": 0.1, "09A": 0.1, "23A": 0.1,
    "11C": 0.05, "40B": 0.05, "40C": 0.05, "23B": 0.05, "23E": 0.05, "26G": 0.05, "26D": 0.03,
    "09B": 0.02, "36A": 0.02, "64A": 0.02, "39A": 0.02, "39B": 0.02, "64B": 0.01, "09C": 0.01,
    "39C": 0.01, "510": 0.01, "39D": 0.005,
}  # fmt: skip
# A second offence in the same incident (never a lesser-included one of the first).
COMPANION = {"220": ("23H", 0.25), "35A": ("35B", 0.3), "13A": ("520", 0.08), "11A": ("100", 0.03)}
IPV_DAMAGE = 0.15  # IPV assaults where the victim's property is damaged too (290)

# Relationship mixes per offence: shares of (ipv, family, known, stranger, unknown).
MIX = {
    "13A": (0.27, 0.12, 0.32, 0.19, 0.10),
    "13B": (0.33, 0.15, 0.33, 0.12, 0.07),
    "13C": (0.26, 0.08, 0.42, 0.14, 0.10),
    "09A": (0.15, 0.12, 0.40, 0.18, 0.15),
    "09B": (0.05, 0.20, 0.35, 0.30, 0.10),
    "100": (0.35, 0.25, 0.20, 0.10, 0.10),
    "11A": (0.18, 0.12, 0.50, 0.12, 0.08),
    "11B": (0.18, 0.12, 0.50, 0.12, 0.08),
    "11C": (0.18, 0.12, 0.50, 0.12, 0.08),
    "11D": (0.05, 0.25, 0.50, 0.12, 0.08),
    "36A": (0.0, 1.0, 0.0, 0.0, 0.0),
    "36B": (0.35, 0.0, 0.60, 0.05, 0.0),
    "64A": (0.05, 0.05, 0.50, 0.30, 0.10),
    "64B": (0.05, 0.05, 0.50, 0.30, 0.10),
    "120": (0.02, 0.02, 0.15, 0.70, 0.11),
    "property": (0.03, 0.04, 0.20, 0.40, 0.33),
}
RELATIONS = {
    "ipv": {"BG": 40, "SE": 25, "XR": 20, "CS": 8, "XS": 7},
    "family": {"CH": 22, "PA": 18, "SB": 18, "OF": 16, "IL": 6, "SC": 6, "GP": 4, "GC": 4,
               "SP": 4, "SS": 2},
    "known": {"AQ": 55, "OK": 15, "FR": 12, "NE": 8, "CF": 5, "EE": 2, "ER": 2, "BE": 1},
    "stranger": {"ST": 1},
    "unknown": {"RU": 1},
}  # fmt: skip
MUTUAL_FIGHT = 0.06  # IPV simple assaults where each partner is both victim and offender (VO)

RACE = {"W": 70, "B": 20, "A": 3, "I": 2, "P": 0.5, "U": 4.5}
ETHNICITY = {"N": 72, "H": 15, "U": 8, " ": 5}
RESIDENT = {"R": 85, "N": 10, "U": 5}
HOUR = {f"{h:02d}": w for h, w in enumerate([5, 4, 3, 2, 2, 2, 2, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5,
                                             6, 6, 6, 6, 6, 6, 5])}  # fmt: skip
CARGO = {"120", "210", "220", "23D", "23F", "23H", "240", "26A", "26B", "26C", "26D", "26E"}
CARGO |= {"26F", "26G", "270", "510"}

LOCATION = {
    "ipv": {"20": 85, "13": 8, "18": 4, "14": 3},
    "person": {"20": 40, "13": 25, "18": 8, "05": 6, "03": 5, "50": 4, "53": 4, "21": 4,
               "25": 4},
    "220": {"20": 75, "05": 15, "24": 5, "06": 5},
    "23C": {"08": 35, "12": 25, "07": 15, "24": 15, "55": 10},
    "23F": {"18": 45, "20": 35, "13": 20},
    "240": {"20": 45, "18": 30, "13": 25},
    "fraud": {"58": 50, "20": 30, "02": 20},
    "drugs": {"13": 40, "20": 30, "18": 15, "14": 10, "25": 5},
    "other": {"20": 35, "13": 20, "05": 15, "18": 10, "24": 10, "25": 10},
}  # fmt: skip
# Property stolen, damaged, seized, ... per offence: (loss type, descriptions, value range).
PROPERTY_OF = {
    "23A": ("7", ("20", "25", "09"), (5, 400)),
    "23B": ("7", ("25", "20", "09"), (10, 600)),
    "23C": ("7", ("19", "06", "08"), (5, 800)),
    "23D": ("7", ("07", "26", "17", "20", "77"), (20, 3000)),
    "23E": ("7", ("20",), (5, 300)),
    "23F": ("7", ("75", "25", "13", "48", "77"), (20, 2000)),
    "23G": ("7", ("38",), (50, 2500)),
    "23H": ("7", ("04", "36", "77", "75", "20", "68", "71"), (10, 4000)),
    "240": ("7", ("03", "37", "24"), (1500, 40000)),
    "120": ("7", ("20", "75", "25"), (10, 1500)),
    "210": ("7", ("20",), (100, 5000)),
    "220": ("7", ("26", "17", "07", "20", "13", "36"), (50, 8000)),
    "250": ("3", ("21", "22"), (20, 5000)),
    "26A": ("7", ("20", "21"), (50, 20000)),
    "26B": ("7", ("20", "09"), (20, 3000)),
    "26C": ("7", ("20", "21"), (50, 5000)),
    "26D": ("7", ("20",), (100, 5000)),
    "26E": ("7", ("20", "21"), (100, 20000)),
    "26F": ("7", ("66", "65"), (1, 2000)),
    "26G": ("7", ("66", "48"), (1, 5000)),
    "270": ("7", ("20", "19"), (100, 50000)),
    "510": ("7", ("20",), (100, 10000)),
    "290": ("4", ("03", "29", "77", "26", "75"), (20, 6000)),
    "200": ("2", ("29", "30", "03"), (1000, 150000)),
    "35B": ("6", ("11",), (5, 80)),
    "39A": ("6", ("20",), (20, 3000)),
    "39B": ("6", ("14", "20"), (50, 5000)),
    "39C": ("6", ("14",), (50, 5000)),
    "39D": ("6", ("20",), (50, 5000)),
}
DRUGS = {"E": 45, "L": 20, "B": 10, "D": 10, "A": 8, "U": 7}
BIAS = {
    "12": 30, "21": 12, "41": 10, "11": 8, "32": 6, "14": 5, "24": 4, "43": 4, "71": 3,
    "62": 3, "52": 2, "33": 13,
}  # fmt: skip
GROUP_B = {
    "90Z": 35, "90D": 30, "90C": 12, "90E": 6, "90J": 6, "90G": 5, "90F": 2, "90B": 2,
    "90H": 1, "90A": 1,
}  # fmt: skip


def pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def fixed(length: int, fields: dict[int, str]) -> str:
    """The body of a segment (positions 38 to `length`): each value written from its
    1-based start position, spaces elsewhere. Refuses overlaps and values past the end."""
    body = [" "] * (length - 37)
    taken = [False] * (length - 37)
    for start, value in fields.items():
        for i, ch in enumerate(value):
            at = start - 38 + i
            if not 0 <= at < len(body) or taken[at]:
                raise ValueError(f"field at {start} ({value!r}) overlaps or overflows {length}")
            body[at], taken[at] = ch, True
    return "".join(body)


def age_field(age: int | None) -> str:
    """Data Elements 26/37/47: an exact age in 2 characters, left-justified in 4."""
    if age is None:
        return "00  "
    if age == 0:
        return "BB  "  # 7-364 days old
    return f"{min(age, 99):02d}  "


@dataclass
class Person:
    age: int | None
    sex: str
    race: str
    ethnicity: str


@dataclass
class Victim:
    kind: str  # Data Element 25: I, L, B, G, S, …
    offences: list[str]
    person: Person | None = None
    relations: list[tuple[int, str]] = field(default_factory=list)  # (offender seq, code)
    circumstances: str = ""
    justifiable: str = ""
    injuries: str = ""


@dataclass
class Shape:
    """One incident's contents, its segment text ready except ORI, number and dates."""

    admin_tail: str  # positions 46-87, after the incident date
    cargo: str  # position 88 when the agency reports cargo theft
    segments: list[tuple[int, str, str]]  # (level, length, body) for levels 2-5, in order
    arrest_tail: str  # positions 60-110 of an arrestee segment; "" for no arrest
    arrest_seq: str
    stats: tuple[int, ...]  # see STATS


STATS = (
    "incidents",
    "crimes_against_persons_incidents",
    "ipv_incidents",
    "family_or_ipv_incidents",
    "ipv_victims",
    "sexual_offence_victims",
    "human_trafficking_victims",
    "bias_incidents",
)


class Builder:
    """Builds random incident shapes."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self, age: int | None, sex: str | None = None) -> Person:
        rng = self.rng
        return Person(
            age,
            sex or ("F" if rng.random() < 0.5 else "M"),
            pick(rng, RACE),
            pick(rng, ETHNICITY),
        )

    def adult_age(self, low: int = 18, high: int = 80) -> int:
        # Younger adults are victims and offenders more often.
        return min(high, low + int(self.rng.expovariate(1 / 14)))

    def pair(self, kind: str, code: str, offence: str) -> tuple[Person, Person]:
        """A victim and an offender whose ages and sexes fit their relationship."""
        rng = self.rng
        if kind == "ipv":
            victim = self.person(self.adult_age(18, 70), "F" if rng.random() < 0.78 else "M")
            opposite = "M" if victim.sex == "F" else "F"
            sex = opposite if rng.random() < 0.92 else victim.sex
            assert victim.age is not None
            age = max(18, min(85, victim.age + int(rng.gauss(2, 5))))
            if offence == "36B":  # statutory rape: a young victim, an adult offender
                victim.age, age = rng.randint(13, 15), rng.randint(18, 24)
            return victim, self.person(age, sex)
        if kind == "family":
            gap = rng.randint(20, 38)
            if code in ("CH", "SC"):
                victim_age = rng.randint(0, 17) if rng.random() < 0.8 else rng.randint(18, 45)
                return self.person(victim_age), self.person(victim_age + gap)
            if code in ("PA", "SP"):
                offender_age = rng.randint(14, 50)
                return self.person(offender_age + gap), self.person(offender_age)
            if code == "GP":
                offender_age = rng.randint(14, 40)
                return self.person(offender_age + gap + 20), self.person(offender_age)
            if code == "GC":
                victim_age = rng.randint(1, 30)
                return self.person(victim_age), self.person(victim_age + gap + 20)
            age = self.adult_age(12, 70)
            return self.person(age), self.person(max(12, age + rng.randint(-6, 6)))
        victim_age = rng.randint(13, 17) if offence == "36B" else self.adult_age(12, 85)
        if code in ("BE", "CF"):
            victim_age = rng.randint(0, 12)
        offender = self.person(self.adult_age(15, 70), "M" if rng.random() < 0.75 else "F")
        if code == "RU" and rng.random() < 0.5:
            offender = Person(None, "U", "U", "U")  # nothing known: must be RU (error 472)
        return self.person(victim_age), offender

    def offence_fields(self, code: str, ipv: bool, bias: str, attempted: bool) -> tuple[int, str]:
        rng = self.rng
        person = code in PERSON or code == "09C"
        if code in ("26A", "26B", "26C", "26E", "26F", "26G"):
            using = "C  "
        else:
            using = pick(rng, {"N  ": 70, "A  ": 15, "D  ": 8, "AD ": 4, "C  ": 3})
        if ipv:
            location = pick(rng, LOCATION["ipv"])
        elif person:
            location = pick(rng, LOCATION["person"])
        elif code in ("35A", "35B"):
            location = pick(rng, LOCATION["drugs"])
        elif code.startswith("26"):
            location = pick(rng, LOCATION["fraud"])
        else:
            location = pick(rng, LOCATION.get(code, LOCATION["other"]))
        fields = {38: code, 41: "A" if attempted else "C", 42: using, 45: location}
        if code == "220":
            fields[49] = "F" if rng.random() < 0.6 else "N"
        activity = {
            "250": "P", "280": "B", "35A": "P", "35B": "P", "39C": "P", "370": "P",
            "520": "P", "720": "I",
        }  # fmt: skip
        if code in activity:
            fields[50] = activity[code] + ("D" if code == "35A" and rng.random() < 0.2 else "")
        elif code in ("09A", "13A", "120") and rng.random() < 0.5:
            fields[50] = "N"
        weapon = self.weapon(code, ipv)
        if weapon:
            fields[53] = weapon
        fields[62] = bias
        long_form = rng.random() < 0.1
        return (71 if long_form else 63), fixed(71 if long_form else 63, fields)

    def weapon(self, code: str, ipv: bool) -> str:
        rng = self.rng
        if code == "13B":
            return pick(rng, {"40": 80, "99": 10, "90": 5, "95": 5})
        if code == "13A":
            choices = {"40": 25, "20": 20, "30": 15, "12": 15, "35": 5, "90": 10, "95": 5}
            if ipv:
                choices["85"] = 15  # asphyxiation: strangulation
            return pick(rng, choices)
        if code in ("09A", "09B"):
            return pick(rng, {"12": 45, "11": 10, "20": 15, "40": 10, "30": 8, "95": 12})
        if code == "09C":
            return pick(rng, {"12": 70, "11": 20, "14": 10})
        if code in ("11A", "11B", "11C", "11D", "100", "64A", "64B", "210"):
            return pick(rng, {"40": 45, "99": 40, "95": 10, "20": 5})
        if code == "120":
            return pick(rng, {"12": 35, "40": 30, "20": 15, "99": 15, "95": 5})
        if code == "520":
            return pick(rng, {"12": 60, "13": 10, "14": 10, "11": 10, "20": 10})
        return ""

    def shape(self) -> Shape:
        rng = self.rng
        primary = pick(rng, PRIMARY)
        offences = [primary]
        if primary in COMPANION and rng.random() < COMPANION[primary][1]:
            offences.append(COMPANION[primary][0])
        if primary == "09C":
            return self.justifiable_homicide()
        # Only a lone property offence is ever attempted here: its property segment then
        # says 1 = None (techspec Data Element 14, error 077), which no other offence shares.
        attempted = len(offences) == 1 and primary in PROPERTY and rng.random() < 0.07
        person = [o for o in offences if o in PERSON]
        property_ = [o for o in offences if o in PROPERTY]
        society = [o for o in offences if o in SOCIETY]
        kind = "unknown"
        if person or property_:
            mix = MIX.get((person or property_)[0], MIX["property"])
            kind = rng.choices(("ipv", "family", "known", "stranger", "unknown"), mix)[0]
        if kind == "ipv" and primary in ("13A", "13B", "13C") and rng.random() < IPV_DAMAGE:
            offences.append("290")
            property_.append("290")

        offenders: list[Person] = []
        victims: list[Victim] = []
        if person or property_:
            known_offender = kind != "unknown" or rng.random() < 0.6
            if not person and rng.random() < 0.35:
                known_offender = False  # property crimes: offender often unknown
            code = pick(rng, RELATIONS[kind])
            if primary == "36B" and kind == "ipv":
                code = "BG"  # a 13-15 year old victim: never a spouse
            mutual = (
                kind == "ipv"
                and primary == "13B"
                and len(offences) == 1
                and rng.random() < MUTUAL_FIGHT
            )
            if mutual:
                victims, offenders = self.mutual_fight(code)
            else:
                victims, offenders = self.people(
                    person, property_, kind, code, known_offender, primary
                )
        if society:
            victims.append(Victim("S", society))
            if not (offenders or person or property_):
                offenders.append(self.person(self.adult_age(15, 65), pick(rng, {"M": 8, "F": 2})))
        return self.assemble(offences, victims, offenders, kind == "ipv", attempted)

    def people(
        self,
        person: list[str],
        property_: list[str],
        kind: str,
        code: str,
        known_offender: bool,
        primary: str,
    ) -> tuple[list[Victim], list[Person]]:
        rng = self.rng
        connected = person + property_
        victim_person, offender = self.pair(kind, code, primary)
        if person or rng.random() < 0.65:
            victim_kind = "I"
            if primary in ("13A", "13B", "13C") and kind in ("stranger", "unknown"):
                victim_kind = "L" if rng.random() < 0.08 else "I"
            first = Victim(victim_kind, connected, victim_person)
        else:
            first = Victim(pick(rng, {"B": 28, "G": 3, "R": 1, "F": 1, "O": 1}), property_)
        victims = [first]
        offenders = [offender] if known_offender else []
        if known_offender and rng.random() < (0.15 if person else 0.25):
            offenders.append(self.person(self.adult_age(15, 60)))
            if rng.random() < 0.2:
                offenders.append(self.person(self.adult_age(15, 60)))
        if person and known_offender and rng.random() < 0.12:
            # A second victim: in an IPV incident, often a child of the offender.
            if kind == "ipv" and rng.random() < 0.6:
                child_age = rng.randint(0, 17)
                assert offender.age is not None
                offender.age = max(offender.age, child_age + 18)
                victims.append(Victim("I", person, self.person(child_age), [(1, "CH")]))
            else:
                victims.append(Victim("I", person, self.person(self.adult_age(12, 80))))
        for v in victims:
            if v.kind not in ("I", "L"):
                continue
            if not offenders:
                v.relations = [(0, "")]
                continue
            related = dict(v.relations)
            for seq in range(1, len(offenders) + 1):
                if seq in related:
                    continue
                if v is first and seq == 1:
                    related[seq] = code
                elif offenders[seq - 1].age is None:
                    related[seq] = "RU"
                else:
                    related[seq] = pick(rng, {"AQ": 5, "RU": 3, "ST": 2})
            v.relations = sorted(related.items())
        if first.kind == "L":
            # An officer assaulted on duty: a stranger unless nothing is known.
            first.relations = [(s, r if r in ("", "RU") else "ST") for s, r in first.relations]
        return victims, offenders

    def mutual_fight(self, code: str) -> tuple[list[Victim], list[Person]]:
        """Two partners who hit each other: each is victim 1 or 2 and offender 1 or 2; each
        victim is related to their own offender record by VO (techspec Data Element 35)."""
        a, b = self.pair("ipv", code, "13B")
        victims = [
            Victim("I", ["13B"], a, [(1, "VO"), (2, code)]),
            Victim("I", ["13B"], b, [(1, code), (2, "VO")]),
        ]
        return victims, [a, b]

    def justifiable_homicide(self) -> Shape:
        """09C stands alone in its incident, bias 88 (techspec errors 266 and 270)."""
        rng = self.rng
        killed = self.person(self.adult_age(18, 60), "M")
        victim = Victim("I", ["09C"], killed, [(1, "ST")])
        victim.circumstances = pick(rng, {"20": 40, "21": 60})
        victim.justifiable = pick(rng, {"A": 20, "B": 10, "C": 30, "D": 10, "E": 20, "F": 10})
        offender = self.person(self.adult_age(21, 60))
        return self.assemble(["09C"], [victim], [offender], False, False)

    def assemble(
        self,
        offences: list[str],
        victims: list[Victim],
        offenders: list[Person],
        ipv: bool,
        attempted: bool,
    ) -> Shape:
        rng = self.rng
        segments: list[tuple[int, str, str]] = []
        any_bias = False
        for code in offences:
            bias = "88"
            if code != "09C":
                roll = rng.random()
                if roll < 0.004:
                    bias = pick(rng, BIAS)
                    any_bias = True
                elif roll < 0.05:
                    bias = "99"
            length, body = self.offence_fields(code, ipv, bias, attempted)
            segments.append((2, f"{length:04d}", body))
        for body in self.property(offences, attempted):
            segments.append((3, "0307", body))
        for seq, v in enumerate(victims, start=1):
            self.fill_victim(v, ipv)
            length, body = self.victim_body(seq, v)
            segments.append((4, f"{length:04d}", body))
        if offenders:
            for seq, p in enumerate(offenders, start=1):
                length = 45 if rng.random() < 0.1 else 46
                fields = {38: f"{seq:02d}", 40: age_field(p.age), 44: p.sex, 45: p.race}
                if length == 46:
                    fields[46] = p.ethnicity
                segments.append((5, f"{length:04d}", fixed(length, fields)))
        else:
            segments.append((5, "0045", fixed(45, {38: "00"})))

        arrest_tail, arrest_seq = "", ""
        main = offences[0]
        arrest_share = 0.6 if main in SOCIETY else 0.35 if main in PERSON else 0.12
        first = offenders[0] if offenders else None
        arrestable = first is not None and first.age is not None and first.age >= 10
        if arrestable and main != "09C" and rng.random() < arrest_share:
            assert first is not None and first.age is not None
            fields = {
                60: pick(rng, {"O": 50, "T": 35, "S": 15}),
                61: "N",
                62: main,
                65: "01",
                71: age_field(first.age),
                75: first.sex if first.sex in ("M", "F") else "M",
                76: first.race,
                77: first.ethnicity,
                78: "R",
            }
            if first.age < 18:
                fields[79] = pick(rng, {"H": 40, "R": 60})
            arrest_tail, arrest_seq = fixed(110, fields)[22:], "01"

        hour = pick(rng, HOUR)
        admin_tail = fixed(87, {47: hour, 49: "N"})[8:]
        cargo = "N" if any(o in CARGO for o in offences) else " "
        return Shape(
            admin_tail,
            cargo,
            segments,
            arrest_tail,
            arrest_seq,
            self.stats(offences, victims, segments, any_bias),
        )

    def fill_victim(self, v: Victim, ipv: bool) -> None:
        rng = self.rng
        if v.kind not in ("I", "L"):
            return
        codes = set(v.offences)
        if v.circumstances == "":
            if "09A" in codes or "13A" in codes:
                if ipv and any(r in IPV for _, r in v.relations):
                    v.circumstances = "06" + ("01" if rng.random() < 0.3 else "")
                else:
                    v.circumstances = pick(rng, {"01": 45, "09": 20, "10": 20, "03": 10, "05": 5})
            elif "09B" in codes:
                v.circumstances = pick(rng, {"34": 60, "33": 20, "30": 10, "31": 10})
        if codes & {"13B"}:
            v.injuries = pick(rng, {"N": 45, "M": 55})
        elif codes & {"13A"}:
            v.injuries = pick(rng, {"M": 40, "B": 15, "L": 15, "I": 10, "O": 10, "U": 5, "T": 5})
        elif codes & {"100", "11A", "11B", "11C", "11D", "120", "210", "64A", "64B"}:
            v.injuries = pick(rng, {"N": 60, "M": 35, "O": 5})

    def victim_body(self, seq: int, v: Victim) -> tuple[int, str]:
        length = 141 if v.kind == "L" else 129
        fields = {38: f"{seq:03d}", 41: "".join(v.offences), 71: v.kind}
        if v.person is not None:
            p = v.person
            fields.update({72: age_field(p.age), 76: p.sex, 77: p.race, 78: p.ethnicity, 79: "R"})
        if v.circumstances:
            fields[80] = v.circumstances
        if v.justifiable:
            fields[84] = v.justifiable
        if v.injuries:
            fields[85] = v.injuries
        if v.relations:
            fields[90] = "".join(
                f"{seq:02d}{code}" if code else "00  " for seq, code in v.relations
            )
        if v.kind == "L":
            fields.update({130: "01", 132: "G"})
        return length, fixed(length, fields)

    def property(self, offences: list[str], attempted: bool) -> list[str]:
        """One property segment per type of loss; the descriptions of offences with the
        same loss share it (no description twice)."""
        rng = self.rng
        by_loss: dict[str, list[str]] = {}
        drugs = False
        for code in offences:
            if attempted:
                by_loss.setdefault("1", [])
            elif code == "35A":
                drugs = True
                by_loss.setdefault("6", [])
            elif code in ("100", "280"):
                by_loss.setdefault("1", [])
            elif code in PROPERTY_OF:
                loss, descriptions, _ = PROPERTY_OF[code]
                chosen = rng.sample(descriptions, k=min(len(descriptions), rng.randint(1, 2)))
                items = by_loss.setdefault(loss, [])
                items.extend(d for d in chosen if d not in items)
        out = []
        for loss, items in by_loss.items():
            if loss == "1" and len(by_loss) > 1:
                continue  # another segment already says what was taken
            fields: dict[int, str] = {38: loss}
            if loss == "6" and drugs:
                items = ["10", *[d for d in items if d != "10"]]
            at = 39
            for description in items[:10]:
                fields[at] = description
                if description != "10":  # drugs: value not required (Data Element 16)
                    low, high = self.value_range(offences, description)
                    fields[at + 2] = f"{rng.randint(low, high):09d}"
                at += 19
            if loss == "7" and any(d in ("03", "24", "37") for d in items):
                fields[229] = "01"
            if loss == "6" and drugs:
                fields[233] = pick(rng, DRUGS)
                grams = rng.randint(100, 500_000)  # thousandths of a gram
                fields[234] = f"{grams:012d}"
                fields[246] = "GM"
            out.append(fixed(307, fields))
        return out

    def value_range(self, offences: list[str], description: str) -> tuple[int, int]:
        for code in offences:
            if code in PROPERTY_OF and description in PROPERTY_OF[code][1]:
                return PROPERTY_OF[code][2]
        return (1, 500)

    def stats(
        self,
        offences: list[str],
        victims: list[Victim],
        segments: list[tuple[int, str, str]],
        any_bias: bool,
    ) -> tuple[int, ...]:
        """Issue 4's definitions, applied to this incident."""
        person = any(o in PERSON for o in offences)
        ipv_victims = fam_victims = sexual = trafficking = 0
        for v in victims:
            if v.kind not in ("I", "L"):
                continue
            on_person = any(o in PERSON for o in v.offences)
            codes = {r for _, r in v.relations}
            if on_person and codes & IPV:
                ipv_victims += 1
            if on_person and codes & (IPV | FAMILY):
                fam_victims += 1
            sexual += any(o in SEXUAL for o in v.offences)
            trafficking += any(o in TRAFFICKING for o in v.offences)
        return (
            1,
            int(person),
            int(ipv_victims > 0),
            int(fam_victims > 0),
            ipv_victims,
            sexual,
            trafficking,
            int(any_bias),
        )


def header(length: str, level: int, action: str, submission: str) -> str:
    """Positions 1-16: segment length, level, action, month and year of submission, and a
    blank city indicator."""
    return f"{length}{level}{action}{submission}    "


@dataclass
class Totals:
    lines: Counter = field(default_factory=Counter)  # (level, action) -> segments
    stats: dict[str, list[int]] = field(default_factory=dict)  # month -> STATS values

    def add(self, month: str, values: tuple[int, ...]) -> None:
        row = self.stats.setdefault(month, [0] * len(STATS))
        for i, value in enumerate(values):
            row[i] += value


def months(start: date, end: date) -> list[tuple[int, int]]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def agency_sizes(incidents: int, agencies: int) -> list[int]:
    """A few large agencies and many small ones (weights 1/rank^0.8), adding up exactly."""
    weights = [1 / (rank + 1) ** 0.8 for rank in range(agencies)]
    total = sum(weights)
    sizes = [int(incidents * w / total) for w in weights]
    for i in range(incidents - sum(sizes)):
        sizes[i % agencies] += 1
    return sizes


class Writer:
    """Writes one file: Group A incidents agency by agency, then Group B arrests, then zero
    reports, counting what it writes."""

    def __init__(self, rng: random.Random, incidents: int, start: date, end: date):
        self.rng = rng
        self.builder = Builder(rng)
        self.pool = [self.builder.shape() for _ in range(max(1, min(POOL_SIZE, incidents)))]
        submitted = end.replace(day=28) + timedelta(days=4)  # the month after the last day
        self.submission = f"{submitted.month:02d}{submitted.year:04d}"
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        self.day_text = [d.strftime("%Y%m%d") for d in days]
        self.day_month = [d.strftime("%Y-%m") for d in days]
        self.months = months(start, end)
        self.heads: dict[tuple[str, int, str], str] = {}
        # Each shape's incident text is HEAD + key + date + key.join(parts), key being the
        # ORI and incident number: everything else is joined once, here.
        self.parts = {
            cargo: [self.shape_parts(s, cargo) for s in self.pool] for cargo in (True, False)
        }
        self.segment_counts = [Counter(level for level, _, _ in s.segments) for s in self.pool]
        self.uses: Counter = Counter()  # shape index -> incident reports written with it
        self.totals = Totals()

    def head(self, length: str, level: int, action: str = "I") -> str:
        key = (length, level, action)
        if key not in self.heads:
            self.heads[key] = header(length, level, action, self.submission)
        return self.heads[key]

    def shape_parts(self, shape: Shape, cargo: bool) -> list[str]:
        parts = [shape.admin_tail + (shape.cargo if cargo else "") + "\n"]
        for level, length, body in shape.segments:
            parts[-1] += self.head(length, level)
            parts.append(body + "\n")
        return parts

    def agency(self, f, number: int, size: int) -> None:
        """`size` incidents for one ORI, with ghosts (written, then deleted) and revisions
        (deleted, then written again) among them."""
        rng, pool, day_text = self.rng, self.pool, self.day_text
        ori = f"ZZ{number:05d}00"
        # Once an agency reports cargo theft every administrative segment is 0088 (error 178).
        cargo = rng.random() < CARGO_ORI_SHARE
        parts = self.parts[cargo]
        length = "0088" if cargo else "0087"
        admin, delete = self.head(length, 1), self.head(length, 1, "D")
        arrest_head = self.head("0110", 6)
        live: dict[str, tuple[int, int]] = {}  # key -> (day index, shape index)
        live_keys: list[str] = []
        ghosts: list[tuple[str, int, int]] = []
        chunk: list[str] = []
        seq = arrests = 0

        def write(key: str, day: int, index: int) -> None:
            nonlocal arrests
            when = day_text[day]
            chunk.append(admin + key + when + key.join(parts[index]))
            self.uses[index] += 1
            shape = pool[index]
            if shape.arrest_tail:
                arrests += 1
                txn = f"{when[2:4]}A{arrests:09d}"
                chunk.append(arrest_head + key + "01" + txn + when + shape.arrest_tail + "\n")

        def remove(key: str, day: int, index: int) -> None:
            # A delete needs the ORI, incident number and incident date (techspec 4.6.3).
            hour = pool[index].admin_tail[1:3]
            body = fixed(int(length), {38: day_text[day], 47: hour})
            chunk.append(delete + key + body + "\n")
            self.totals.lines[(1, "D")] += 1

        made = 0
        while made < size:
            seq += 1
            day = rng.randrange(len(day_text))
            key = f"{ori}{day_text[day][2:4]}-{seq:09d}"
            index = rng.randrange(len(pool))
            write(key, day, index)
            if rng.random() < GHOST_SHARE:
                ghosts.append((key, day, index))
            else:
                live[key] = (day, index)
                live_keys.append(key)
                made += 1
            if ghosts and rng.random() < 0.3:
                remove(*ghosts.pop(0))
            if live_keys and rng.random() < REVISE_SHARE:
                # Deleted and sent again with new contents: the later insert wins.
                key = rng.choice(live_keys)
                day, old = live[key]
                remove(key, day, old)
                index = rng.randrange(len(pool))
                write(key, day, index)
                live[key] = (day, index)
            if len(chunk) > 20_000:
                f.write("".join(chunk))
                chunk.clear()
        for ghost in ghosts:
            remove(*ghost)
        f.write("".join(chunk))
        self.totals.lines[(6, "I")] += arrests
        for day, index in live.values():
            self.totals.add(self.day_month[day], pool[index].stats)

    def group_b(self, f, number: int, size: int) -> None:
        """Group B arrests (arrest data only) for one ORI."""
        rng = self.rng
        ori = f"ZZ{number:05d}00"
        head = self.head("0066", 7, "A")
        lines = []
        for arrest in range(1, round(size * GROUP_B_SHARE) + 1):
            day = self.day_text[rng.randrange(len(self.day_text))]
            code = pick(rng, GROUP_B)
            age = rng.randint(12, 17) if code == "90B" else self.builder.adult_age(18, 75)
            p = self.builder.person(age, "M" if rng.random() < 0.75 else "F")
            fields = {
                38: "01",
                40: day,
                48: pick(rng, {"O": 55, "S": 30, "T": 15}),
                49: code,
                52: "01",
                58: age_field(age),
                62: p.sex,
                63: p.race,
                64: p.ethnicity,
                65: "R",
            }
            if age < 18:
                fields[66] = pick(rng, {"H": 50, "R": 50})
            txn = f"{day[2:4]}B{arrest:09d}"
            lines.append(head + ori + txn + fixed(66, fields) + "\n")
        f.write("".join(lines))
        self.totals.lines[(7, "A")] += len(lines)

    def zero_reports(self, f, number: int) -> None:
        """An agency that had no crime at all sends a zero report for every month."""
        ori = f"ZZ{number:05d}00"
        head = self.head("0043", 0, "A")
        for y, m in self.months:
            f.write(f"{head}{ori}000000000000{m:02d}{y:04d}\n")
            self.totals.lines[(0, "A")] += 1

    def counts(self) -> Counter:
        lines = Counter(self.totals.lines)
        for index, times in self.uses.items():
            lines[(1, "I")] += times
            for level, count in self.segment_counts[index].items():
                lines[(level, "I")] += count * times
        return lines


def generate(
    out: Path,
    incidents: int,
    seed: int = 1,
    agencies: int = 40,
    start: date = date(2018, 1, 1),
    end: date = date(2019, 12, 31),
    crlf: bool = False,
) -> dict:
    """Write the file and return its summary."""
    if incidents < 0 or agencies < 1 or end < start:
        raise ValueError("incidents must be ≥ 0, agencies ≥ 1, and --to not before --from")
    writer = Writer(random.Random(seed), incidents, start, end)
    sizes = agency_sizes(incidents, agencies)
    quiet = max(1, round(agencies * QUIET_SHARE))
    with open(out, "w", encoding="ascii", newline="\r\n" if crlf else "\n") as f:
        for number, size in enumerate(sizes, start=1):
            writer.agency(f, number, size)
        # Group B arrests and zero reports come after every Group A incident: they may not
        # be interspersed between an incident's segments (techspec section 4.5).
        for number, size in enumerate(sizes, start=1):
            writer.group_b(f, number, size)
        for number in range(agencies + 1, agencies + quiet + 1):
            writer.zero_reports(f, number)
    lines = writer.counts()
    stats = writer.totals.stats
    by_month = {m: dict(zip(STATS, row, strict=True)) for m, row in sorted(stats.items())}
    return {
        "incidents": incidents,
        "seed": seed,
        "agencies": agencies,
        "quiet_agencies": quiet,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "submission": f"{writer.submission[2:]}-{writer.submission[:2]}",
        "segments": {f"{lv}{action}": n for (lv, action), n in sorted(lines.items()) if n},
        "incident_reports": lines[(1, "I")],
        "deletes": lines[(1, "D")],
        "totals": {name: sum(row[name] for row in by_month.values()) for name in STATS},
        "by_month": by_month,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--from", dest="start", type=date.fromisoformat, default="2018-01-01")
    parser.add_argument("--to", dest="end", type=date.fromisoformat, default="2019-12-31")
    parser.add_argument("--crlf", action="store_true", help="end lines with CR LF")
    parser.add_argument("--summary", type=Path, help="also write the summary to this file")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        summary = generate(
            args.out, args.incidents, args.seed, args.agencies, args.start, args.end, args.crlf
        )
    except ValueError as error:
        parser.error(str(error))
    summary["seconds"] = round(time.perf_counter() - began, 2)
    summary["bytes"] = args.out.stat().st_size
    text = json.dumps(summary, indent=1)
    if args.summary:
        args.summary.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "by_month"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
