"""Student markup never runs in a reader's browser: the nbgrader preprocessor ``SanitizeStudentMarkup``.

A submitted notebook's markdown and HTML become live markup wherever it is shown as HTML: the
feedback that ``nbgrader generate_feedback`` writes and the autograded copy a TA opens in
formgrader (an ``<img onerror=...>`` in a markdown cell, a ``javascript:`` link, a
``text/html`` output with a ``<script>``). This preprocessor, in the course's autograde and
feedback lists, makes what the student wrote inert, with nbconvert's own renderer and bleach
(the sanitizer nbconvert uses):

- A cell is the course's when nbgrader vouches for it: it keeps a ``grade_id`` and its content
  has the gradebook's checksum (nbgrader's OverwriteCells restores both from the gradebook
  before anything else runs, so a student cannot forge them). Locked cells, test cells and
  answer cells left as released stay byte for byte.
- Any other markdown cell (an answer, a cell the student changed or added) is rendered as
  nbconvert renders it; when that could carry markup (its source has a ``<``: raw HTML, an
  autolink; or a link or image whose URL is not http(s), mailto, relative or an embedded image)
  the cell's source becomes the sanitized rendering: allowed formatting kept, any other tag shown
  as text, unsafe attributes and URLs dropped, one line of HTML that markdown passes as it is.
  A cell without such markup (the course's plain cells, most answers) is left as it is.
- Raw cells get the same treatment on their HTML.
- Outputs of every code cell: ``text/html`` and ``text/markdown`` are sanitized the same way,
  other types removed unless harmless (text, images, LaTeX, JSON), as nbconvert's SanitizeHTML
  does. The grader's own feedback is stream text and ``text/plain``: untouched.

Running it twice changes nothing the second time.
"""
import html
import re
from html.parser import HTMLParser

import bleach
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import compute_checksum

TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
        "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var"}
ATTRIBUTES = {"*": {"class", "title", "lang", "dir"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
              "ol": {"start", "type"}, "li": {"value"}, "td": {"colspan", "rowspan", "style"},
              "th": {"colspan", "rowspan", "style"}, **{f"h{n}": {"id"} for n in range(1, 7)}}
PROTOCOLS = {"http", "https", "mailto", "data"}  # data: only for images (see _attribute_allowed)
_CSS = CSSSanitizer(allowed_css_properties=["text-align", "color", "background-color", "font-weight",
                                            "font-style", "text-decoration"])
SAFE_OUTPUT_KEYS = {"text/plain", "text/latex", "application/json", "image/png", "image/jpeg", "image/gif"}
SANITIZED_OUTPUT_KEYS = {"text/html", "text/markdown"}
WRAPPER = '<div class="student-markup">'
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.I)


def _attribute_allowed(tag, name, value):
    if name not in ATTRIBUTES.get(tag, set()) | ATTRIBUTES["*"]:
        return False
    if name in ("href", "src") and _scheme(value) == "data":
        return tag == "img" and name == "src" and bool(_DATA_IMAGE.match(value.strip()))
    return True


def _scheme(url):
    """The URL's scheme in lower case ("" for a relative URL), as a browser reads it (controls and
    whitespace inside are ignored)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def sanitize_html(text):
    """``text`` (HTML) with only the allowed tags, attributes and URLs; other tags shown as text."""
    return bleach.clean(text, tags=TAGS, attributes=_attribute_allowed, protocols=PROTOCOLS,
                        css_sanitizer=_CSS, strip=False, strip_comments=True)


def render_markdown(source, attachments=None):
    """HTML of a markdown text as nbconvert's HTMLExporter renders a markdown cell."""
    renderer = IPythonRenderer(escape=False, attachments=attachments or {})
    return MarkdownWithMath(renderer=renderer).render(source)


class _Urls(HTMLParser):
    """The href/src values of well-formed HTML (what mistune writes from markdown without raw HTML)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [(tag, name, value or "") for name, value in attrs if name in ("href", "src")]


def _urls_allowed(rendered):
    parser = _Urls()
    parser.feed(rendered)
    parser.close()
    return all(_scheme(value) in ("", "http", "https", "mailto")
               or (_scheme(value) == "data" and _attribute_allowed(tag, name, value)) for tag, name, value in parser.urls)


def inert_markdown(source, attachments=None):
    """``source`` itself when its rendering carries no markup beyond markdown's own with safe URLs;
    else one line of sanitized HTML that renders as the original did, minus what is not allowed."""
    rendered = render_markdown(source, attachments)
    if "<" not in source and _urls_allowed(rendered):
        return source
    if source.startswith(WRAPPER) and "\n" not in source and sanitize_html(source) == source:
        return source  # already made inert (autograde did it; feedback runs this again)
    return WRAPPER + sanitize_html(rendered.strip()).replace("\n", "&#10;") + "</div>"


def _vouched_for(cell):
    """True for a cell nbgrader restored from the gradebook and that is unchanged since its release."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade_id")) and meta.get("checksum") == compute_checksum(cell)


def inert_outputs(outputs):
    """Code cell outputs with HTML and markdown sanitized and other active types removed."""
    for output in outputs:
        if output.get("output_type") not in ("display_data", "execute_result"):
            continue  # stream and error text is escaped by every renderer
        data = output.get("data", {})
        for key in list(data):
            if key in SANITIZED_OUTPUT_KEYS:
                text = "".join(data[key]) if isinstance(data[key], list) else data[key]
                data[key] = inert_markdown(text) if key == "text/markdown" else sanitize_html(text)
            elif key not in SAFE_OUTPUT_KEYS:
                del data[key]
    return outputs


class SanitizeStudentMarkup(NbGraderPreprocessor):
    """Makes what the student wrote inert in every HTML view of the notebook (see the module)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            inert_outputs(cell.get("outputs", []))
        elif not _vouched_for(cell):
            if cell.cell_type == "markdown":
                cell.source = inert_markdown(cell.source, cell.get("attachments"))
            elif cell.cell_type == "raw" and "<" in cell.source:
                cell.source = sanitize_html(cell.source)
        return cell, resources
