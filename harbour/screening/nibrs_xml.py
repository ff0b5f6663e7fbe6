"""Reading NIBRS XML: the FBI's NIEM IEPD 2019 (namespace http://fbi.gov/cjis/nibrs/2019),
a ``nibrs:Submission`` holding a ``nibrs:Report``.

``parse(lines)`` is a generator of screening.records, one per report, so a file of any size
is read in constant memory: expat reads the document as it comes, ElementTree's C tree
builder builds one report at a time, and each report is read when its end tag has been
parsed, then dropped. The schema allows one report per submission; a file with several is
read report by report. How one report becomes a record (and every check made on it) is
screening.nibrs_xml_report's.

Why expat and not ``ElementTree.iterparse``: the C parser behind iterparse says nothing of
where an element is, and a records clerk needs the line. Expat gives the line of every start
tag (``CurrentLineNumber``) for the price of a Python call per element.

Safety: nothing is fetched and no entity is ever expanded. A document type declaration (the
only place entities can be declared) stops the parse as soon as expat meets it, before its
internal subset is read; parameter entities are never parsed. defusedxml is not installed, so
these handlers stand in for it.

A file that is not NIBRS XML at all, or stops being well-formed, raises ``FormatError``.
``check(lines)`` makes the same whole-document checks (well-formed, no DOCTYPE, a 2019
submission with a report) several times faster than ``parse`` and builds nothing, so an
importer can refuse a broken file before it writes a single record.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from xml.parsers import expat

from django.utils.translation import gettext as _

from harbour.screening.nibrs_xml_codes import NAMESPACES, REPORT, SUBMISSION, name
from harbour.screening.nibrs_xml_report import read_report
from harbour.screening.records import Record

__all__ = ["FormatError", "check", "not_nibrs_xml", "parse"]


class FormatError(ValueError):
    """The file is not in the format asked for, or is broken as a whole (not well-formed XML
    or JSON, a wrong header or version): nothing in it should be imported. The message says
    what is wrong in words a records clerk can act on; ``line`` is where, when known.

    One exception for every format Harbour reads besides the NIBRS flat file
    (screening.canadian raises this one too)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def not_nibrs_xml(first_line: bytes) -> str | None:
    """Why a file whose first non-blank line is ``first_line`` is not NIBRS XML, or None if
    it may be (it starts like XML; ``check`` and ``parse`` decide the rest)."""
    head = first_line.lstrip(b"\xef\xbb\xbf").strip()
    if head.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")):
        return None
    if head[:4].isdigit():
        return _(
            "This looks like a NIBRS flat file, not NIBRS XML. For flat files use "
            "--format nibrs-flat."
        )
    if head.startswith((b"{", b"[")):
        return _("This looks like JSON, not NIBRS XML.")
    return _("This is not NIBRS XML: it does not start with an XML declaration or element.")


def _doctype(line: int) -> FormatError:
    return FormatError(
        _(
            "This XML document declares a document type (<!DOCTYPE …>) on line %(line)s. "
            "NIBRS XML has none, and Harbour refuses one because it can define entities that "
            "expand without limit. Remove it and import the file again."
        )
        % {"line": line},
        line,
    )


def _wrong_root(tag: str, line: int) -> FormatError:
    namespace, _sep, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local == "Submission" and namespace.startswith("http://fbi.gov/cjis/nibrs/"):
        return FormatError(
            _(
                "This is NIBRS XML of another IEPD version (namespace %(namespace)s). "
                "Harbour reads the 2019 IEPD (namespace %(expected)s)."
            )
            % {"namespace": namespace, "expected": NAMESPACES["nibrs"]},
            line,
        )
    return FormatError(
        _(
            "This is not NIBRS XML: its root element is %(element)s, not nibrs:Submission "
            "(NIBRS IEPD 2019)."
        )
        % {"element": name(tag)},
        line,
    )


def _malformed(error: expat.ExpatError, started: bool) -> FormatError:
    line, column = error.lineno, error.offset + 1
    reason = expat.ErrorString(error.code) if error.code else str(error)
    if not started:
        return FormatError(
            _("This file is not XML: %(error)s (line %(line)s, column %(column)s).")
            % {"error": reason, "line": line, "column": column},
            line,
        )
    return FormatError(
        _(
            "The XML is not well-formed at line %(line)s, column %(column)s: %(error)s. "
            "Nothing from that point on can be read; correct the file and import it again."
        )
        % {"line": line, "column": column, "error": reason},
        line,
    )


def _no_report() -> FormatError:
    return FormatError(_("This NIBRS XML submission holds no report (nibrs:Report)."))


def _expat() -> "expat.XMLParserType":
    """An expat parser that refuses document types and never reads a DTD or entity."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*args) -> None:
        raise _doctype(parser.CurrentLineNumber)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _tag(expat_name: str) -> str:
    """Expat's "uri}local" as ElementTree's "{uri}local"."""
    return "{" + expat_name if "}" in expat_name else expat_name


def _blocks(lines: Iterable[bytes | str], size: int = 1 << 16) -> Iterator[bytes | str]:
    """The lines joined into blocks of about ``size``: expat counts lines itself, and one
    call per block costs far less than one per line."""
    block: list = []
    length = 0
    for chunk in lines:
        block.append(chunk)
        length += len(chunk)
        if length >= size:
            yield block[0][:0].join(block)
            block, length = [], 0
    if block:
        yield block[0][:0].join(block)


def check(lines: Iterable[bytes | str]) -> None:
    """Read the whole document and raise FormatError if it is not a well-formed NIBRS IEPD
    2019 submission with at least one report, or declares a document type. Builds nothing:
    once the first report has started, expat calls no Python at all."""
    parser = _expat()
    seen = {"root": False, "report": False}

    def start(expat_name: str, attributes: dict) -> None:
        tag = _tag(expat_name)
        if not seen["root"]:
            seen["root"] = True
            if tag != SUBMISSION:
                raise _wrong_root(tag, parser.CurrentLineNumber)
        elif tag == REPORT:
            seen["report"] = True
            parser.StartElementHandler = None

    parser.StartElementHandler = start
    try:
        for block in _blocks(lines):
            parser.Parse(block, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise _malformed(error, seen["root"]) from error
    if not seen["report"]:
        raise _no_report()


def parse(lines: Iterable[bytes | str]) -> Iterator[Record]:
    """Yield one record per report of a NIBRS XML submission, given its lines (or any
    chunks: bytes, or text), in file order. Raises FormatError when the document is not
    NIBRS XML or stops being well-formed; the reports before that point have been yielded,
    so run ``check`` first where that matters."""
    parser = _expat()
    builder = ET.TreeBuilder()
    open_elements: list[ET.Element] = []
    # Where each element of the submission's current child is: (line, parent element).
    where: dict[ET.Element, tuple[int, ET.Element | None]] = {}
    finished: list[tuple[ET.Element, dict]] = []
    root: ET.Element | None = None

    def start(expat_name: str, attributes: dict[str, str]) -> None:
        nonlocal where, root
        tag = _tag(expat_name)
        if attributes:
            attributes = {_tag(key): value for key, value in attributes.items()}
        element = builder.start(tag, attributes)
        depth = len(open_elements)
        if depth == 0:
            if tag != SUBMISSION:
                raise _wrong_root(tag, parser.CurrentLineNumber)
            root = element
        elif depth == 1:
            where = {}
        where[element] = (parser.CurrentLineNumber, open_elements[-1] if depth else None)
        open_elements.append(element)

    def end(expat_name: str) -> None:
        element = open_elements.pop()
        builder.end(expat_name)
        if len(open_elements) == 1:
            finished.append((element, where))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    reports = 0
    chunks = _blocks(lines)
    while True:
        chunk = next(chunks, None)
        broken: expat.ExpatError | None = None
        try:
            if chunk is None:
                parser.Parse(b"", True)
            else:
                parser.Parse(chunk, False)
        except expat.ExpatError as error:
            broken = error
        for element, places in finished:
            if element.tag == REPORT:
                reports += 1
                yield read_report(element, places)
            # Done with it: the tree holds one report at a time.
            assert root is not None
            root.remove(element)
        finished.clear()
        if broken is not None:
            # After the reports that were whole before the break.
            raise _malformed(broken, root is not None) from broken
        if chunk is None:
            break
    if not reports:
        raise _no_report()
