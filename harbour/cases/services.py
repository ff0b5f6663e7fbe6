"""The services taxonomy: what a worker can record as a service provided on a case, and the
reporting categories each service is counted under.

The taxonomy is policy, so it is data (cases/data/services.json), not code: a unit or a
funder changes the list without a release. The file is checked when it is loaded (at start-
up, by CasesConfig.ready) and every problem names the entry and the field, so a bad edit
stops the server with a message a person can act on instead of recording services nobody
can report on.

File shape (all labels in English and French):

    {"version": 1,
     "reporting_categories": [{"code", "en", "fr"}, ...],
     "groups": [{"code", "en", "fr"}, ...],
     "services": [{"code", "en", "fr", "reporting": [category codes],
                   "group": group code (optional), "retired": bool (optional)}, ...]}

A retired service is no longer offered on the form but keeps its label and its reporting
categories, so services recorded before it was retired still read and count.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count, QuerySet
from django.utils.translation import get_language

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "services.json"
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Services whose code is no longer in the taxonomy (a file edited without keeping the
# retired entry) are counted here by reporting_totals, never silently dropped.
UNCLASSIFIED = "unclassified"
LABELLED = ("code", "en", "fr")


class TaxonomyError(ValueError):
    """The taxonomy file is not usable; the message names the entry and the field."""


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


@dataclass(frozen=True)
class Group:
    code: str
    label: Label


@dataclass(frozen=True)
class Service:
    code: str
    label: Label
    reporting: tuple[str, ...]
    group: str | None
    retired: bool


@dataclass(frozen=True)
class Taxonomy:
    version: int
    categories: dict[str, Category]
    groups: dict[str, Group]
    services: dict[str, Service]

    def label(self, code: str) -> str:
        """The service's name in the reader's language; the code itself if unknown."""
        service = self.services.get(code)
        return str(service.label) if service else code

    def choices(self) -> list:
        """Form choices of the services still offered, grouped, in file order."""
        grouped: dict[str | None, list[tuple[str, str]]] = {}
        for s in self.services.values():
            if not s.retired:
                grouped.setdefault(s.group, []).append((s.code, str(s.label)))
        out: list = list(grouped.pop(None, []))
        for code, items in grouped.items():
            assert code is not None
            out.append((str(self.groups[code].label), items))
        return out


def _where(section: str, index: int, entry: object) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    return f"{section}[{index}]" + (f" (code “{code}”)" if isinstance(code, str) else "")


def _labelled(section: str, entries: object, path: str) -> list[tuple[str, Label, dict]]:
    """Check a list of {code, en, fr, …} entries; return (code, label, entry) each."""
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"{path}: “{section}” must be a non-empty list.")
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(entries):
        where = f"{path}: {_where(section, i, entry)}"
        if not isinstance(entry, dict):
            raise TaxonomyError(f"{where}: each entry must be an object.")
        code = entry.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            raise TaxonomyError(
                f"{where}: field “code” must be lower-case letters, digits and _, "
                "starting with a letter, at most 40 characters."
            )
        if code in seen:
            raise TaxonomyError(f"{where}: field “code” repeats an earlier entry.")
        seen.add(code)
        for lang in ("en", "fr"):
            value = entry.get(lang)
            if not isinstance(value, str) or not value.strip():
                raise TaxonomyError(f"{where}: field “{lang}” (the label) is missing or empty.")
        out.append((code, Label(entry["en"].strip(), entry["fr"].strip()), entry))
    return out


def _unknown_keys(where: str, entry: dict, allowed: Iterable[str]) -> None:
    extra = sorted(set(entry) - set(allowed))
    if extra:
        raise TaxonomyError(f"{where}: unknown field “{extra[0]}”.")


def parse(raw: object, path: str = "services.json") -> Taxonomy:
    """Check the decoded file and build the taxonomy, or raise TaxonomyError."""
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{path}: the file must hold one JSON object.")
    _unknown_keys(path, raw, ("version", "reporting_categories", "groups", "services"))
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TaxonomyError(f"{path}: field “version” must be a whole number from 1.")
    categories = {}
    sections = _labelled("reporting_categories", raw.get("reporting_categories"), path)
    for i, (code, label, entry) in enumerate(sections):
        _unknown_keys(f"{path}: {_where('reporting_categories', i, entry)}", entry, LABELLED)
        categories[code] = Category(code, label)
    groups = {}
    # Groups are optional: a short list reads fine without them.
    sections = _labelled("groups", raw["groups"], path) if "groups" in raw else []
    for i, (code, label, entry) in enumerate(sections):
        _unknown_keys(f"{path}: {_where('groups', i, entry)}", entry, LABELLED)
        groups[code] = Group(code, label)
    services = {}
    for i, (code, label, entry) in enumerate(_labelled("services", raw.get("services"), path)):
        where = f"{path}: {_where('services', i, entry)}"
        _unknown_keys(where, entry, ("code", "en", "fr", "reporting", "group", "retired"))
        reporting = entry.get("reporting")
        if not isinstance(reporting, list) or not reporting:
            raise TaxonomyError(
                f"{where}: field “reporting” must list at least one reporting category."
            )
        for category in reporting:
            if category not in categories:
                raise TaxonomyError(
                    f"{where}: field “reporting” names “{category}”, which is not one of the "
                    "reporting_categories."
                )
        if len(set(reporting)) != len(reporting):
            raise TaxonomyError(f"{where}: field “reporting” names a category twice.")
        group = entry.get("group")
        if group is not None and group not in groups:
            raise TaxonomyError(f"{where}: field “group” names “{group}”, which is not a group.")
        retired = entry.get("retired", False)
        if not isinstance(retired, bool):
            raise TaxonomyError(f"{where}: field “retired” must be true or false.")
        services[code] = Service(code, label, tuple(reporting), group, retired)
    return Taxonomy(version, categories, groups, services)


def load(path: Path | str) -> Taxonomy:
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TaxonomyError(f"{path.name}: cannot be read ({error.strerror}).") from None
    except json.JSONDecodeError as error:
        raise TaxonomyError(
            f"{path.name}: not valid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}."
        ) from None
    return parse(raw, path.name)


@cache
def taxonomy() -> Taxonomy:
    """The installed taxonomy, loaded and checked once per process."""
    return load(DEFAULT_PATH)


def reporting_totals(services: QuerySet, tax: Taxonomy | None = None) -> dict[str, int]:
    """How many services in `services` (a ServiceProvided queryset, already filtered to the
    period and organisation wanted) count under each reporting category, in the file's
    order, zeros included. A service mapped to two categories counts once in each, so the
    totals may add up to more than the number of services. Codes missing from the taxonomy
    count under UNCLASSIFIED (present only when there are some)."""
    tax = tax or taxonomy()
    totals = dict.fromkeys(tax.categories, 0)
    rows = services.order_by().values_list("service").annotate(n=Count("pk"))
    for code, n in rows:
        service = tax.services.get(code)
        if service is None:
            totals[UNCLASSIFIED] = totals.get(UNCLASSIFIED, 0) + n
            continue
        for category in service.reporting:
            totals[category] += n
    return totals
