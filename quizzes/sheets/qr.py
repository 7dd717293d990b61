"""What a sheet page's QR code says, and the same as readable text.

Text: ``QZ1|<section>|<variant>|<student id>|<page>/<pages>|<layout hash>|<checksum>``; every
field is percent-encoded (an id may hold any character), an empty variant or student id is one
the student bubbles, and the checksum is 4 hex digits of CRC-32 over the fields before it, so a
misread or hand-typed identity is caught. ``decode`` raises ValueError for any other text.
"""
import zlib
from dataclasses import dataclass
from urllib.parse import quote, unquote

PREFIX = "QZ1"


@dataclass(frozen=True)
class SheetId:
    """Which page of whose sheet: ``variant``/``student_id`` are "" where the student bubbles them."""

    section: str
    variant: str
    student_id: str
    page: int
    pages: int
    layout: str  # PageLayout.hash()

    def key(self):
        """(section, variant, student id): the pages of one sheet share it."""
        return self.section, self.variant, self.student_id


def _checksum(fields):
    return f"{zlib.crc32('|'.join(fields).encode('utf-8')) & 0xFFFF:04x}"


def _fields(sheet):
    return [PREFIX, quote(sheet.section, safe=""), quote(sheet.variant, safe=""), quote(sheet.student_id, safe=""),
            f"{sheet.page}/{sheet.pages}", sheet.layout]


def encode(sheet):
    """The QR text of a SheetId."""
    fields = _fields(sheet)
    return "|".join(fields + [_checksum(fields)])


def decode(text):
    """The SheetId of a QR text; ValueError when it is not one of ours or its checksum is wrong."""
    fields = text.strip().split("|")
    if len(fields) != 7 or fields[0] != PREFIX:
        raise ValueError(f"not an answer-sheet code: {text[:40]!r}")
    if _checksum(fields[:6]) != fields[6].lower():
        raise ValueError(f"answer-sheet code with a wrong checksum: {text[:60]!r}")
    try:
        page, pages = (int(n) for n in fields[4].split("/"))
    except ValueError:
        raise ValueError(f"answer-sheet code with a bad page field: {fields[4]!r}") from None
    section, variant, student_id = (unquote(f) for f in fields[1:4])
    return SheetId(section, variant, student_id, page, pages, fields[5])


def readable(sheet, variant=None):
    """The code's fields as one line printed beside it, in any language: section · variant
    (``variant`` if given: how the handout names it) · student id ("-" where bubbled) ·
    page/pages · layout hash-checksum."""
    return " · ".join([sheet.section, variant or sheet.variant or "-", sheet.student_id or "-", f"{sheet.page}/{sheet.pages}",
                       f"{sheet.layout}-{_checksum(_fields(sheet))}"])
