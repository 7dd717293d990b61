"""HTML -> PDF through WeasyPrint with Korean fonts from Debian's ``fonts-nanum``.

The print CSS asks for "NanumGothic" (and "NanumGothicCoding" for code) in the body and in
the @page margin boxes, so footers are not set in a fallback font. For speed, a PdfWriter
first cuts the Nanum fonts down to the characters of the documents it will write (a full
Korean font has 20,000 glyphs and WeasyPrint re-subsets it for every PDF) and hands those
cut fonts to WeasyPrint as "NanumGothic Quiz" / "NanumGothicCoding Quiz", the first families
the CSS asks for (a browser without them falls through to the installed NanumGothic).

When a character has no glyph in any font, WeasyPrint draws ``.notdef`` (an empty box) and
logs a warning; here that warning raises MissingGlyphError instead of printing boxes.
Font timestamps are pinned (SOURCE_DATE_EPOCH, default 0) so the same input gives the same bytes.
"""
import gc
import html
import logging
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import weasyprint
from fontTools import subset
from weasyprint.text.fonts import FontConfiguration

from quizzes.fonts import font_file
from quizzes.render import TEMPLATE_DIR

# (CSS family of the cut font, CSS weight) -> fontconfig pattern of the Debian font
FONTS = {("NanumGothic Quiz", "normal"): "NanumGothic:style=Regular",
         ("NanumGothic Quiz", "bold"): "NanumGothic:style=Bold",
         ("NanumGothicCoding Quiz", "normal"): "NanumGothicCoding:style=Regular",
         ("NanumGothicCoding Quiz", "bold"): "NanumGothicCoding:style=Bold"}
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F))  # page counters, list markers, ASCII
_NOTDEF = ".notdef glyph rendered"


_TAG = re.compile(r"(<[^>]*>)")
_KOREAN_WORD = re.compile(r"[^\s<>]*[\uAC00-\uD7A3][^\s<>]*")
_UNIT = re.compile(r"&#?\w+;|.", re.S)  # one character, an entity counted as one
_RAW_ELEMENTS = ("style", "title", "pre", "script")
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
WORD_JOINER = "\u2060"


def _joined(word):
    return WORD_JOINER.join(_UNIT.findall(word))


def keep_korean_words(html_text):
    """The HTML with a WORD JOINER (U+2060, no break, nothing drawn) between the characters of
    every word that holds Hangul, so lines break between words only. Korean print does that;
    browsers do it for ``word-break: keep-all``, which WeasyPrint does not implement. (Joiners
    cost the layout nothing, where a ``nowrap`` span per word made every copy a third slower.)"""
    parts, raw = [], None
    for piece in _TAG.split(html_text):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            tag = name.group(1).lower() if name else ""
            if raw is None and tag in _RAW_ELEMENTS and not piece.startswith("</"):
                raw = tag
            elif raw == tag and piece.startswith("</"):
                raw = None
            parts.append(piece)
        elif raw is None:
            parts.append(_KOREAN_WORD.sub(lambda m: _joined(m.group(0)), piece))
        else:
            parts.append(piece)
    return "".join(parts)


class MissingGlyphError(RuntimeError):
    """Characters that WeasyPrint could not draw with any installed font."""


@contextmanager
def _pinned_font_timestamps():
    """fontTools stamps each saved font with the time unless SOURCE_DATE_EPOCH is set."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = old or "0"
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]


@contextmanager
def _collect_garbage_once():
    """No cyclic garbage collection while WeasyPrint lays out and writes one document, one
    collection after it: a layout makes some 100,000 objects, and collecting every 700 of them
    took a fifth of a copy's time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


class _FontToolsNoticeOnce(logging.Filter):
    """Without libharfbuzz-subset0 WeasyPrint warns on every font of every PDF that it falls
    back to fontTools; pass that notice once per process instead of hundreds of times."""

    said = False

    def filter(self, record):
        if "HarfBuzz-Subset" not in record.getMessage():
            return True
        first, self.said = not self.said, True
        return first


logging.getLogger("weasyprint").addFilter(_FontToolsNoticeOnce())


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _cut_font(source, target, chars):
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.ignore_missing_unicodes = True
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # VTT hinting sources
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def characters(html_texts):
    """Every character the HTML documents can show (entities decoded), plus ASCII: a str."""
    chars = set(_ALWAYS)
    for text in html_texts:
        chars.update(html.unescape(text))
    return "".join(sorted(chars))


class PdfWriter:
    """Writes PDFs of HTML documents whose characters all occur in ``chars`` (see characters()).

    Use as a context manager; it keeps the cut fonts in a temporary folder until closed.
    """

    def __init__(self, chars):
        self._dir = tempfile.TemporaryDirectory(prefix="quiz-fonts-")
        faces = []
        with _pinned_font_timestamps():
            for (family, weight), pattern in FONTS.items():
                target = Path(self._dir.name) / f"{family.replace(' ', '-')}-{weight}.ttf"
                _cut_font(font_file(pattern), target, chars)
                faces.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                             f'src: url("{target.as_uri()}"); }}')
        self._font_config = FontConfiguration()
        self._css = weasyprint.CSS(string="\n".join(faces), font_config=self._font_config)
        self._sheets = {}

    def _sheet(self, text):
        """The parsed stylesheet of a ``<style>`` element's text, parsed once per writer (print.css is
        the same in every copy, and parsing it took a fifth of a copy's time)."""
        if text not in self._sheets:
            if len(self._sheets) > 64:  # per-copy footers: keep the cache small
                self._sheets.clear()
            self._sheets[text] = weasyprint.CSS(string=text, base_url=str(TEMPLATE_DIR),
                                                font_config=self._font_config)
        return self._sheets[text]

    def write(self, html_text):
        """PDF bytes of one HTML document; MissingGlyphError lists every character drawn as .notdef.

        The document's ``<style>`` elements are taken out and given to WeasyPrint as parsed
        stylesheets, in the same order (after the font faces, before nothing else)."""
        sheets = [self._css]

        def take(match):
            sheets.append(self._sheet(match.group(1)))
            return ""

        body = _STYLE.sub(take, html_text)
        logger = logging.getLogger("weasyprint")
        collect = _Collect()
        logger.addHandler(collect)
        try:
            with _pinned_font_timestamps(), _collect_garbage_once():
                data = weasyprint.HTML(string=keep_korean_words(body), base_url=str(TEMPLATE_DIR)).write_pdf(
                    stylesheets=sheets, font_config=self._font_config)
        finally:
            logger.removeHandler(collect)
        missing = [m for m in collect.messages if _NOTDEF in m]
        if missing:
            raise MissingGlyphError("; ".join(dict.fromkeys(missing)))
        return data

    def close(self):
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def html_to_pdf(html_text):
    """PDF bytes of one HTML document (fonts cut for this document alone)."""
    with PdfWriter(characters([html_text])) as writer:
        return writer.write(html_text)
