"""QTI 1.2 package for Canvas, in the zip layout text2qti and R/exams' exams2canvas write:

    imsmanifest.xml
    <assessment id>/<assessment id>.xml      questestinterop with one assessment
    <assessment id>/assessment_meta.xml      Canvas quiz settings
    non_cc_assessments/

Each item is a ``multiple_choice_question``; the variants of a parameterized item form a
section that Canvas draws one question from (``selection_number`` 1). Identifiers are
hashes of the content, and zip entries carry a fixed date, so the same input gives the
same bytes.
"""
import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile

from quizzes.render import inline_html, question_html
from quizzes.xmlwrite import document, element

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TITLE = {"ko": "9장 확인 문제", "en": "Chapter 9 quiz"}


def ident(*parts):
    """A Canvas-style identifier: "g" + 32 hex digits of an MD5 of ``parts``."""
    return "g" + hashlib.md5("|".join(map(str, parts)).encode("utf-8")).hexdigest()


def _field(parent, label, entry):
    field = element(parent, "qtimetadatafield")
    element(field, "fieldlabel", text=label)
    element(field, "fieldentry", text=entry)


def _mattext(parent, html):
    element(element(parent, "material"), "mattext", {"texttype": "text/html"}, html)


def _feedback(item, fb_ident, html):
    fb = element(item, "itemfeedback", {"ident": fb_ident})
    _mattext(element(fb, "flow_mat"), html)


def _condition(parent, answer, cont):
    cond = element(parent, "respcondition", {"continue": cont})
    var = element(element(cond, "conditionvar"), "varequal", {"respident": "response1"})
    var.text = answer
    return cond


def _item(parent, q, lang, item_ident, title):
    item = element(parent, "item", {"ident": item_ident, "title": title})
    answer_ids = [f"{item_ident}_{n}" for n in range(1, len(q.choices) + 1)]
    meta = element(element(item, "itemmetadata"), "qtimetadata")
    _field(meta, "question_type", "multiple_choice_question")
    _field(meta, "points_possible", "1.0")
    _field(meta, "original_answer_ids", ",".join(answer_ids))
    _field(meta, "assessment_question_identifierref", f"{item_ident}_ref")
    presentation = element(item, "presentation")
    _mattext(presentation, question_html(q, lang))
    lid = element(presentation, "response_lid", {"ident": "response1", "rcardinality": "Single"})
    render = element(lid, "render_choice")
    for answer_id, choice in zip(answer_ids, q.choices):
        _mattext(element(render, "response_label", {"ident": answer_id}), str(inline_html(choice.text[lang])))
    proc = element(item, "resprocessing")
    element(element(proc, "outcomes"), "decvar",
            {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    general = element(proc, "respcondition", {"continue": "Yes"})
    element(element(general, "conditionvar"), "other")
    element(general, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"})
    for answer_id in answer_ids:
        cond = _condition(proc, answer_id, "Yes")
        element(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": f"{answer_id}_fb"})
    correct = _condition(proc, answer_ids[q.key - 1], "No")
    element(correct, "setvar", {"action": "Set", "varname": "SCORE"}, "100")
    _feedback(item, "general_fb", str(inline_html(q.explanation[lang])))
    for answer_id, choice in zip(answer_ids, q.choices):
        _feedback(item, f"{answer_id}_fb", str(inline_html(choice.why[lang])))


def assessment_xml(sections, lang, assessment_id, title):
    """The questestinterop document (a str) holding every item of ``sections``."""
    root = ET.Element("questestinterop", {
        "xmlns": QTI_NS, "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"})
    assessment = element(root, "assessment", {"ident": assessment_id, "title": title})
    _field(element(assessment, "qtimetadata"), "cc_maxattempts", "1")
    top = element(assessment, "section", {"ident": "root_section"})
    for bank, groups in sections:
        for item_id, questions in groups:
            if questions[0].origin != "parametric":
                _item(top, questions[0], lang, ident(assessment_id, item_id), item_id)
                continue
            group = element(top, "section", {"ident": ident(assessment_id, item_id, "group"),
                                      "title": item_id})
            selection = element(element(group, "selection_ordering"), "selection")
            element(selection, "selection_number", text="1")
            element(element(selection, "selection_extension"), "points_per_item", text="1.0")
            for n, q in enumerate(questions, 1):
                _item(group, q, lang, ident(assessment_id, item_id, n), f"{item_id} v{n}")
    return document(root)


def _manifest(assessment_id, title):
    root = ET.Element("manifest", {
        "identifier": ident(assessment_id, "manifest"), "xmlns": CP_NS,
        "xmlns:imsmd": "http://www.imsglobal.org/xsd/imsmd_v1p2", "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
                              "http://www.imsglobal.org/xsd/imsmd_v1p2 http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd"})
    metadata = element(root, "metadata")
    element(metadata, "schema", text="IMS Content")
    element(metadata, "schemaversion", text="1.1.3")
    general = element(element(metadata, "imsmd:lom"), "imsmd:general")
    element(element(general, "imsmd:title"), "imsmd:string", text=title)
    element(root, "organizations")
    resources = element(root, "resources")
    dependency = ident(assessment_id, "meta")
    resource = element(resources, "resource", {"identifier": assessment_id, "type": "imsqti_xmlv1p2"})
    element(resource, "file", {"href": f"{assessment_id}/{assessment_id}.xml"})
    element(resource, "dependency", {"identifierref": dependency})
    meta = element(resources, "resource", {
        "identifier": dependency, "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource",
        "href": f"{assessment_id}/assessment_meta.xml"})
    element(meta, "file", {"href": f"{assessment_id}/assessment_meta.xml"})
    return document(root)


def _meta(assessment_id, title, points):
    root = ET.Element("quiz", {"identifier": assessment_id, "xmlns": CANVAS_NS, "xmlns:xsi": XSI,
                               "xsi:schemaLocation": f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd"})
    for tag, value in (("title", title), ("description", ""), ("shuffle_answers", "true"),
                       ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                       ("points_possible", f"{points:.1f}"), ("show_correct_answers", "true"),
                       ("allowed_attempts", "1"), ("one_question_at_a_time", "false"),
                       ("cant_go_back", "false"), ("available", "false")):
        element(root, tag, text=value)
    return document(root)


def qti_zip(sections, lang="ko"):
    """Bytes of a Canvas-importable QTI 1.2 zip for [(Section, export_groups(...)), ...]."""
    names = " ".join(bank.section for bank, _ in sections)
    title = f"{TITLE[lang]} {names}"
    assessment_id = ident("assessment", names, lang)
    points = sum(len(groups) for _, groups in sections)
    files = {
        "imsmanifest.xml": _manifest(assessment_id, title),
        f"{assessment_id}/{assessment_id}.xml": assessment_xml(sections, lang, assessment_id, title),
        f"{assessment_id}/assessment_meta.xml": _meta(assessment_id, title, points),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("non_cc_assessments/", ZIP_DATE), b"")
    return buffer.getvalue()
