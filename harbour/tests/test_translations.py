"""Every string a person reads has a French translation (STYLE habit 8), and the compiled
catalogue Django loads is the one committed beside it.

The first test extracts messages from a copy of the source exactly as `makemessages` does
for a developer, merged with the committed French catalogue, and lists every message with
no translation or a fuzzy (guessed, unreviewed) one. GNU gettext must be installed.
"""

import gettext
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

HARBOUR = Path(settings.BASE_DIR)
PO = HARBOUR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
SKIP_DIRS = {"static", "locale", "__pycache__", "migrations"}


def _unquote(text: str) -> str:
    """A .po string literal (without its quotes) as Python text."""
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    out, chars = [], iter(text)
    for ch in chars:
        out.append(escapes.get(next(chars), "") if ch == "\\" else ch)
    return "".join(out)


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file: {"msgid", "msgctxt", "msgstr": [...], "fuzzy", "line"}.
    Obsolete entries (#~) are left out: they are not in the source any more."""
    entries: list[dict] = []
    entry: dict | None = None
    field = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"msgid": "", "msgctxt": None, "msgstr": [], "fuzzy": False, "line": number}
            entries.append(entry)
        if line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line[1:-1])
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] = (entry[field] or "") + value
        else:
            keyword, _, literal = line.partition(" ")
            value = _unquote(literal.strip()[1:-1])
            if keyword.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(value)
            else:
                field = keyword
                entry[keyword] = value
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def problems(entries: list[dict]) -> list[str]:
    found = []
    for e in entries:
        label = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}|{e['msgid']}"
        if e["fuzzy"]:
            found.append(f"fuzzy: {label!r}")
        elif not all(e["msgstr"]):
            found.append(f"untranslated: {label!r}")
    return found


def copy_sources(destination: Path) -> None:
    for path in HARBOUR.rglob("*"):
        relative = path.relative_to(HARBOUR)
        if path.suffix in SOURCE_SUFFIXES and not SKIP_DIRS & set(relative.parts):
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (destination / PO.relative_to(HARBOUR)).parent.mkdir(parents=True)
    shutil.copyfile(PO, destination / PO.relative_to(HARBOUR))


def test_every_message_has_a_french_translation(tmp_path, settings, monkeypatch):
    copy_sources(tmp_path)
    # makemessages writes beside the first LOCALE_PATHS entry and reads the cwd: both point
    # at the copy, so the committed catalogue is never touched.
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)

    merged = parse_po((tmp_path / PO.relative_to(HARBOUR)).read_text(encoding="utf-8"))
    assert merged, "makemessages found no messages: is the copy of the source empty?"
    missing = problems(merged)
    assert not missing, (
        f"{len(missing)} message(s) lack a French translation. Run `cd harbour && "
        "../.venv/bin/harbour makemessages -l fr --no-obsolete`, translate them in "
        "locale/fr/LC_MESSAGES/django.po, then `compilemessages -l fr`:\n  " + "\n  ".join(missing)
    )


def test_the_committed_catalogue_has_no_empty_or_fuzzy_entry():
    missing = problems(parse_po(PO.read_text(encoding="utf-8")))
    assert not missing, "\n".join(missing)


def test_the_compiled_catalogue_is_the_committed_po(tmp_path):
    """Django reads the .mo; a .po edited and not compiled would change nothing a person sees."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    with MO.open("rb") as committed, fresh.open("rb") as compiled:
        committed_catalog = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
        compiled_catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    stale = sorted(
        str(key)
        for key in committed_catalog.keys() | compiled_catalog.keys()
        if committed_catalog.get(key) != compiled_catalog.get(key)
    )
    assert not stale, "django.mo is stale; run compilemessages -l fr. Differs on:\n" + "\n".join(
        stale
    )


def test_the_parser_sees_untranslated_and_fuzzy_entries():
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Done"\nmsgstr "Fait"\n\n'
        'msgid "Open"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Salut %(name)s"\n\n'
        'msgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "un fichier"\nmsgstr[1] ""\n\n'
        'msgid ""\n"Two \\"quoted\\"\\n"\n"lines"\nmsgstr ""\n"Deux lignes"\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n'
    )
    entries = parse_po(text)
    assert [e["msgid"] for e in entries] == [
        "Done",
        "Open",
        "Hello %(name)s",
        "one file",
        'Two "quoted"\nlines',
    ]
    assert problems(entries) == [
        "untranslated: 'Open'",
        "fuzzy: 'Hello %(name)s'",
        "untranslated: 'one file'",
    ]
