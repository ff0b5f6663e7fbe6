"""The canonical taxonomy police occurrences are read through: offence categories, victim-to-
offender relationship classes and bias motivations, mapped from the FBI's NIBRS 2019.1 codes
and from Statistics Canada's UCR2 violation codes and victim–accused relationship categories.

Which offence is a crime against the person and which relationship is an intimate partner
decide who is offered help and what the IPV statistics say, so the mapping is data
(screening/data/*.json), not code: an agency reads it, questions it and changes it without a
release. The files are checked when they are loaded (once per process) and every problem
names the file, the entry and the field, so a bad edit stops everything with a message a
person can act on instead of quietly counting the wrong victims. docs/taxonomy.md explains
every choice and how to change it.

File shapes (every label in English and French):

    offences.json      {"version": 1,
                        "categories": [{"code", "en", "fr"}, ...],
                        "nibrs": [{"code", "en", "fr", "group": "A"|"B"|"federal",
                                   "crime_against", "category", "retired"?, "note"?}, ...],
                        "ucr2": [{"code", "en", "fr", "crime_against", "category", "note"?}],
                        "ucr2_aggregates": [{"code", "en", "fr", "note"?}, ...]}
    relationships.json {"version": 1,
                        "classes": [{"code", "en", "fr", "intimate": bool, "family": bool}],
                        "nibrs": [{"code", "en", "fr", "class", "xml", "note"?}, ...],
                        "ucr2": [{"code", "en", "fr", "class", "note"?}, ...]}
    bias.json          {"version": 1,
                        "groups": [{"code", "en", "fr"}, ...],
                        "codes": [{"code", "en", "fr", "group", "bias": bool, "xml"}, ...]}

Lookups ignore surrounding spaces (fixed-width fields are padded) but not case: the
specification's codes are upper-case and a lower-case "13b" is a different, unknown code.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
CRIME_AGAINST = ("person", "property", "society", "not_a_crime")
NIBRS_GROUPS = ("A", "B", "federal")
SYSTEMS = ("nibrs", "ucr2")

# What a code looks like in each list, and how the error message says it.
CODE_FORMS = {
    "slug": (r"[a-z][a-z0-9_]{0,39}", "lower-case letters, digits and _, starting with a letter"),
    "nibrs_offence": (r"[0-9]{2}[0-9A-Z]", "3 characters such as 13A or 120"),
    "ucr2_violation": (r"[0-9]{4}", "a 4-digit UCR2 violation code"),
    "ucr2_aggregate": (r"[0-9]{3}", "a 3-digit Statistics Canada total such as 110"),
    "nibrs_relationship": (r"[A-Z]{2}", "2 upper-case letters such as SE"),
    "bias": (r"[0-9]{2}", "2 digits such as 88"),
}


class TaxonomyError(ValueError):
    """A taxonomy file is not usable; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Label:
    en: str
    fr: str

    def __str__(self) -> str:
        return self.fr if (get_language() or "en").startswith("fr") else self.en


@dataclass(frozen=True)
class Category:
    code: str
    label: Label

    @property
    def name(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Offence:
    system: str  # "nibrs" or "ucr2"
    code: str
    label: Label
    crime_against: str  # one of CRIME_AGAINST
    category: str  # a Category code
    group: str | None  # NIBRS: "A", "B" or "federal"; UCR2: None
    retired: bool = False
    note: str = ""

    @property
    def name(self) -> str:
        """The offence's name in the reader's language."""
        return str(self.label)


@dataclass(frozen=True)
class RelationshipClass:
    code: str
    label: Label
    intimate: bool
    family: bool

    @property
    def name(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Relationship:
    system: str
    code: str
    label: Label
    class_code: str
    xml: str = ""  # the NIBRS IEPD 2019 XML value (NIBRS only)
    note: str = ""

    @property
    def name(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Bias:
    code: str
    label: Label
    group: str
    is_bias: bool  # False for 88 (none) and 99 (unknown)
    xml: str

    @property
    def name(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Taxonomy:
    categories: dict[str, Category]
    nibrs: dict[str, Offence]
    ucr2: dict[str, Offence]
    ucr2_aggregates: dict[str, Label]
    classes: dict[str, RelationshipClass]
    relationships: dict[str, dict[str, Relationship]]  # system -> code -> relationship
    bias_groups: dict[str, Label]
    bias: dict[str, Bias]

    @property
    def ipv_codes(self) -> frozenset[str]:
        """NIBRS relationship codes whose class is an intimate partner class."""
        return frozenset(
            r.code
            for r in self.relationships["nibrs"].values()
            if self.classes[r.class_code].intimate
        )

    @property
    def family_codes(self) -> frozenset[str]:
        """NIBRS relationship codes whose class is family (relatives other than partners)."""
        return frozenset(
            r.code
            for r in self.relationships["nibrs"].values()
            if self.classes[r.class_code].family
        )


# Checking the files.


def _where(path: str, section: str, index: int, entry: object) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    return f"{path}: {section}[{index}]" + (f" (code “{code}”)" if isinstance(code, str) else "")


def _entries(
    path: str, section: str, raw: object, form: str, allowed: Iterable[str] = ()
) -> list[tuple[str, str, Label, dict]]:
    """Check a list of {code, en, fr, …} entries: a well-formed code, not repeated, both
    labels, no unknown field. Return (where, code, label, entry) for each."""
    if not isinstance(raw, list) or not raw:
        raise TaxonomyError(f"{path}: “{section}” must be a non-empty list.")
    pattern, expected = CODE_FORMS[form]
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(raw):
        where = _where(path, section, i, entry)
        if not isinstance(entry, dict):
            raise TaxonomyError(f"{where}: each entry must be an object.")
        extra = sorted(set(entry) - {"code", "en", "fr", *allowed})
        if extra:
            raise TaxonomyError(f"{where}: unknown field “{extra[0]}”.")
        code = entry.get("code")
        if not isinstance(code, str) or not re.fullmatch(pattern, code):
            raise TaxonomyError(f"{where}: field “code” must be {expected}.")
        if code in seen:
            raise TaxonomyError(f"{where}: field “code” is listed twice in “{section}”.")
        seen.add(code)
        for lang in ("en", "fr"):
            value = entry.get(lang)
            if not isinstance(value, str) or not value.strip():
                raise TaxonomyError(f"{where}: field “{lang}” (the label) is missing or empty.")
        for field in ("note", "xml"):
            if field in entry and not isinstance(entry[field], str):
                raise TaxonomyError(f"{where}: field “{field}” must be text.")
        out.append((where, code, Label(entry["en"].strip(), entry["fr"].strip()), entry))
    return out


def _one_of(where: str, entry: dict, field: str, allowed: Iterable[str], what: str) -> str:
    value = entry.get(field)
    allowed = list(allowed)
    if value not in allowed:
        shown = "missing" if value is None else f"“{value}”"
        raise TaxonomyError(
            f"{where}: field “{field}” is {shown}; expected {what}: {', '.join(allowed)}."
        )
    return value


def _flag(where: str, entry: dict, field: str, default: bool | None = None) -> bool:
    value = entry.get(field, default)
    if not isinstance(value, bool):
        raise TaxonomyError(f"{where}: field “{field}” must be true or false.")
    return value


def _top(path: str, raw: object, sections: tuple[str, ...]) -> dict:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{path}: the file must hold one JSON object.")
    extra = sorted(set(raw) - {"version", *sections})
    if extra:
        raise TaxonomyError(f"{path}: unknown section “{extra[0]}”.")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TaxonomyError(f"{path}: field “version” must be a whole number from 1.")
    return raw


def _offences(
    raw: object, path: str = "offences.json"
) -> tuple[dict[str, Category], dict[str, Offence], dict[str, Offence], dict[str, Label]]:
    raw = _top(path, raw, ("categories", "nibrs", "ucr2", "ucr2_aggregates"))
    categories = {
        code: Category(code, label)
        for _, code, label, _ in _entries(path, "categories", raw.get("categories"), "slug")
    }

    def offence(system: str, where: str, code: str, label: Label, entry: dict) -> Offence:
        crime_against = _one_of(where, entry, "crime_against", CRIME_AGAINST, "one of")
        category = _one_of(where, entry, "category", categories, "a category from “categories”")
        group = (
            _one_of(where, entry, "group", NIBRS_GROUPS, "one of") if system == "nibrs" else None
        )
        retired = _flag(where, entry, "retired", False)
        note = entry.get("note", "")
        return Offence(system, code, label, crime_against, category, group, retired, note)

    fields = ("crime_against", "category", "retired", "note")
    nibrs = raw.get("nibrs")
    nibrs_entries = _entries(path, "nibrs", nibrs, "nibrs_offence", (*fields, "group"))
    ucr2_entries = _entries(path, "ucr2", raw.get("ucr2"), "ucr2_violation", fields)
    totals = raw.get("ucr2_aggregates")
    return (
        categories,
        {e[1]: offence("nibrs", *e) for e in nibrs_entries},
        {e[1]: offence("ucr2", *e) for e in ucr2_entries},
        {
            e[1]: e[2]
            for e in _entries(path, "ucr2_aggregates", totals, "ucr2_aggregate", ("note",))
        },
    )


def _xml(where: str, entry: dict, seen: set[str]) -> str:
    xml = entry.get("xml")
    if not xml:
        raise TaxonomyError(f"{where}: field “xml” (the IEPD 2019 value) is missing.")
    if xml in seen:
        raise TaxonomyError(f"{where}: field “xml” value “{xml}” is listed twice.")
    seen.add(xml)
    return xml


def _relationships(
    raw: object, path: str = "relationships.json"
) -> tuple[dict[str, RelationshipClass], dict[str, dict[str, Relationship]]]:
    raw = _top(path, raw, ("classes", "nibrs", "ucr2"))
    classes = {}
    for where, code, label, entry in _entries(
        path, "classes", raw.get("classes"), "slug", ("intimate", "family")
    ):
        intimate, family = _flag(where, entry, "intimate"), _flag(where, entry, "family")
        if intimate and family:
            # "family" means relatives other than partners: the family-or-IPV statistics add
            # the two sets together, so a class is one or the other.
            raise TaxonomyError(f"{where}: a class cannot be both “intimate” and “family”.")
        classes[code] = RelationshipClass(code, label, intimate, family)
    systems: dict[str, dict[str, Relationship]] = {"nibrs": {}, "ucr2": {}}
    xml_seen: set[str] = set()
    for system, form in (("nibrs", "nibrs_relationship"), ("ucr2", "slug")):
        allowed = ("class", "note", "xml") if system == "nibrs" else ("class", "note")
        for where, code, label, entry in _entries(path, system, raw.get(system), form, allowed):
            class_code = _one_of(where, entry, "class", classes, "a class from “classes”")
            xml = _xml(where, entry, xml_seen) if system == "nibrs" else ""
            note = entry.get("note", "")
            systems[system][code] = Relationship(system, code, label, class_code, xml, note)
    return classes, systems


def _bias(raw: object, path: str = "bias.json") -> tuple[dict[str, Label], dict[str, Bias]]:
    raw = _top(path, raw, ("groups", "codes"))
    groups = {e[1]: e[2] for e in _entries(path, "groups", raw.get("groups"), "slug")}
    codes = {}
    xml_seen: set[str] = set()
    for where, code, label, entry in _entries(
        path, "codes", raw.get("codes"), "bias", ("group", "bias", "xml")
    ):
        group = _one_of(where, entry, "group", groups, "a group from “groups”")
        is_bias = _flag(where, entry, "bias")
        codes[code] = Bias(code, label, group, is_bias, _xml(where, entry, xml_seen))
    return groups, codes


def parse(offences: object, relationships: object, bias: object) -> Taxonomy:
    """Check the three decoded files and build the taxonomy, or raise TaxonomyError."""
    categories, nibrs, ucr2, aggregates = _offences(offences)
    classes, systems = _relationships(relationships)
    bias_groups, bias_codes = _bias(bias)
    return Taxonomy(categories, nibrs, ucr2, aggregates, classes, systems, bias_groups, bias_codes)


def _read(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TaxonomyError(f"{path.name}: cannot be read ({error.strerror}).") from None
    except json.JSONDecodeError as error:
        raise TaxonomyError(
            f"{path.name}: not valid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}."
        ) from None


def load(directory: Path | str = DATA_DIR) -> Taxonomy:
    """Read and check offences.json, relationships.json and bias.json from `directory`."""
    directory = Path(directory)
    return parse(
        *(_read(directory / name) for name in ("offences.json", "relationships.json", "bias.json"))
    )


@cache
def taxonomy() -> Taxonomy:
    """The installed taxonomy, loaded and checked once per process."""
    return load(DATA_DIR)


# The lookups the importers, screening rules and statistics use.


def nibrs_offence(code: str) -> Offence | None:
    """The NIBRS offence (Group A, Group B or federal) with this code, or None."""
    return taxonomy().nibrs.get(code.strip())


def ucr2_violation(code: str) -> Offence | None:
    """The UCR2 violation with this code, or None. A Statistics Canada total such as 110
    (homicide) is not a violation an occurrence can carry: see is_ucr2_aggregate."""
    return taxonomy().ucr2.get(code.strip())


def is_ucr2_aggregate(code: str) -> bool:
    """Whether the code is one of Statistics Canada's totals (100, 110, …), so an importer
    can say so instead of calling it unknown."""
    return code.strip() in taxonomy().ucr2_aggregates


def relationship(system: str, code: str) -> Relationship | None:
    if system not in SYSTEMS:
        raise ValueError(f"Unknown relationship system “{system}”; expected nibrs or ucr2.")
    return taxonomy().relationships[system].get(code.strip())


def relationship_class(system: str, code: str) -> str | None:
    """The class (current_spouse, family, stranger, …) of a victim-to-offender relationship
    code: a NIBRS code such as SE, or a Harbour UCR2 code such as spouse_current. None if
    the code is unknown."""
    found = relationship(system, code)
    return found.class_code if found else None


def nibrs_relationship_for_xml(value: str) -> str | None:
    """The NIBRS code (SE, …) for an IEPD 2019 XML value ("Family Member_Spouse"), or None."""
    value = value.strip()
    for r in taxonomy().relationships["nibrs"].values():
        if r.xml == value:
            return r.code
    return None


def _class(cls: str) -> RelationshipClass:
    try:
        return taxonomy().classes[cls]
    except KeyError:
        # A class name can only come from relationship_class or from code: a typo here
        # would silently count nobody, so it is an error rather than False.
        raise ValueError(f"Unknown relationship class “{cls}”.") from None


def is_intimate(cls: str | None) -> bool:
    """Whether the relationship class is an intimate partner, current or former. None (an
    unknown relationship code) is not."""
    return cls is not None and _class(cls).intimate


def is_family(cls: str | None) -> bool:
    """Whether the relationship class is family other than an intimate partner."""
    return cls is not None and _class(cls).family


def relationship_classes() -> tuple[RelationshipClass, ...]:
    """Every class in the file's order (for breakdowns and forms)."""
    return tuple(taxonomy().classes.values())


def bias(code: str) -> Bias | None:
    """The NIBRS bias motivation with this code (11 … 99), or None."""
    return taxonomy().bias.get(code.strip())


def bias_for_xml(value: str) -> Bias | None:
    """The bias motivation for an IEPD 2019 XML value ("ANTIWHITE", "NONE"), or None."""
    value = value.strip()
    for b in taxonomy().bias.values():
        if b.xml == value:
            return b
    return None


def is_bias(code: str) -> bool:
    """Whether the code records a bias motivation: False for 88 (none), 99 (unknown) and
    for codes that are not in the file (check those with bias() first)."""
    found = bias(code)
    return found is not None and found.is_bias


def categories() -> tuple[Category, ...]:
    """Every offence category in the file's order."""
    return tuple(taxonomy().categories.values())


def category_choices() -> list[tuple[str, str]]:
    """Form choices: (code, name in the reader's language) for every category."""
    return [(c.code, c.name) for c in categories()]


# The NIBRS relationship codes issue 4's statistics are defined with, read from the data so
# that the definitions and the mapping cannot drift apart (tests pin them to the issue).
IPV_CODES: frozenset[str] = taxonomy().ipv_codes
FAMILY_CODES: frozenset[str] = taxonomy().family_codes
