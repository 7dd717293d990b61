"""The answer sheet's pages as template data: the layout, the QR code (segno, as inline SVG)
and its readable line, for ``templates/_sheet.html``."""
import segno
from markupsafe import Markup

from quizzes.sheets.layout import sheet_layout, spec
from quizzes.sheets.qr import SheetId, encode, readable


def qr_svg(text):
    """An inline SVG of the QR code of ``text`` (error correction M, 4-module quiet zone), drawn
    to fill its box: the layout's ``qr`` square includes the quiet zone."""
    code = segno.make(text, error="m", micro=False)
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", svgclass="qr"))


def sheet_fields(form, blank=False):
    """The fields a copy's sheet asks the student to bubble: none on a student's own copy,
    학번 on a copy printed without a student, 학번 and the variant code on a blank sheet."""
    if blank:
        return ("student_id", "variant")
    return () if form.student else ("student_id",)


def sheet_pages(form, fields, variant_label=None):
    """[{"layout": PageLayout, "id": SheetId, "qr": Markup, "id_line": str}] for one copy
    (``variant_label``: how the handout prints the variant, e.g. 기본형 for the canonical form)."""
    pages = []
    for layout in sheet_layout([len(q.choices) for q in form.questions], fields):
        sheet = SheetId(form.section, "" if "variant" in fields else form.variant,
                        "" if "student_id" in fields or not form.student else form.student.student_id,
                        layout.page, layout.pages, layout.hash())
        pages.append({"layout": layout, "id": sheet, "qr": qr_svg(encode(sheet)), "id_line": readable(sheet, sheet.variant and variant_label)})
    return pages


def sheet_context():
    """The layout's dimensions the template's stylesheet needs (box size, mark size)."""
    s = spec()
    return {"box": s["box"], "mark": s["mark"], "header": s["header"], "id_line": s["id_line"],
            "instructions": s["instructions"]}
