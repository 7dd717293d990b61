"""Moodle XML and Canvas QTI 1.2 exports, re-read and checked against the bank and Keras.

Validation: every file is parsed by lxml (well-formed XML) and its structure is checked here.
No XSD was used: Moodle publishes no XML schema for its question format, and no PyPI package
ships the IMS QTI 1.2 / Canvas XSDs (text2qti, json2qti and qti-package-maker were checked;
none contains an .xsd), and the tests run offline.
"""
import html
import io
import re
import zipfile

import pytest
import yaml
from lxml import etree

from quizzes.bank import SECTIONS, load_section
from quizzes.export_moodle import MOODLE_FRACTIONS, moodle_xml
from quizzes.export_qti import qti_zip
from quizzes.variants import export_groups

from quiz_support import FIXTURE_BANK, keras_answer

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
VARIANTS = 3


def _yaml_keys(lang):
    """{(item id, None): key choice text} straight from the fixture YAML."""
    keys = {}
    for section in SECTIONS:
        data = yaml.safe_load((FIXTURE_BANK / f"{section}.yaml").read_text(encoding="utf-8"))
        keys |= {(i["id"], None): i["choices"][i["key"] - 1]["text"][lang] for i in data["items"]}
    return keys


def _plain(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def sections():
    return [(bank, export_groups(bank, 0, VARIANTS)) for bank in (load_section(s, FIXTURE_BANK) for s in SECTIONS)]


def _truth_for(sections, lang):
    """{(item id, variant number or None): what the key must be} from YAML and from Keras."""
    truth = _yaml_keys(lang)
    for _, groups in sections:
        for item_id, questions in groups:
            if questions[0].origin == "parametric":
                assert len(questions) == VARIANTS
                for n, q in enumerate(questions, 1):
                    truth[(item_id, n)] = keras_answer(item_id, q.params)
    return truth


def _matches(text, truth):
    return text not in truth if isinstance(truth, set) else text == truth


def test_moodle(sections):
    root = etree.fromstring(moodle_xml(sections).encode("utf-8"))
    truth = _truth_for(sections, "ko")
    seen = set()
    for question in root.iter("question"):
        if question.get("type") == "category":
            assert question.findtext("category/text").startswith("$course$/top/9장 확인 문제/")
            continue
        assert question.get("type") == "multichoice" and question.findtext("single") == "true"
        idnumber = question.findtext("idnumber")
        m = re.fullmatch(r"(.+)-v(\d+)", idnumber)
        ident = (m.group(1), int(m.group(2))) if m else (idnumber, None)
        answers = question.findall("answer")
        fractions = [float(a.get("fraction")) for a in answers]
        assert len(answers) == 4 and all(f in MOODLE_FRACTIONS for f in fractions)
        assert fractions.count(100) == 1 and fractions.count(0) == 3
        key_text = _plain(answers[fractions.index(100)].findtext("text"))
        assert _matches(key_text, truth[ident]), (ident, key_text, truth[ident])
        assert all(a.findtext("feedback/text") for a in answers)
        seen.add(ident)
    assert seen == set(truth)


def test_moodle_category_slashes_are_escaped(sections):
    bank, groups = sections[0]
    renamed = type(bank)(bank.section, {"ko": "a/b", "en": "a/b"}, bank.questions)
    root = etree.fromstring(moodle_xml([(renamed, groups)]).encode("utf-8"))
    assert root.findtext("question/category/text") == "$course$/top/9장 확인 문제/9-1 a//b"


def test_qti_package(sections):
    data = qti_zip(sections, lang="en")
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert "imsmanifest.xml" in names and "non_cc_assessments/" in names
    manifest = etree.fromstring(zf.read("imsmanifest.xml"))
    hrefs = [f.get("href") for f in manifest.iter(f"{CP}file")]
    assert hrefs and all(h in names for h in hrefs)
    (resource,) = [r for r in manifest.iter(f"{CP}resource") if r.get("type") == "imsqti_xmlv1p2"]
    assessment_id = resource.get("identifier")
    meta = etree.fromstring(zf.read(f"{assessment_id}/assessment_meta.xml"))
    assert meta.get("identifier") == assessment_id
    root = etree.fromstring(zf.read(f"{assessment_id}/{assessment_id}.xml"))
    assert root.tag == f"{QTI}questestinterop"

    truth = _truth_for(sections, "en")  # parameterized choices read the same in ko and en
    seen = set()
    for item in root.iter(f"{QTI}item"):
        title = item.get("title")
        m = re.fullmatch(r"(\S+) v(\d+)", title)
        ident = (m.group(1), int(m.group(2))) if m else (title, None)
        qtype = [f.findtext(f"{QTI}fieldentry") for f in item.iter(f"{QTI}qtimetadatafield")
                 if f.findtext(f"{QTI}fieldlabel") == "question_type"]
        assert qtype == ["multiple_choice_question"]
        labels = {r.get("ident"): _plain(r.findtext(f"{QTI}material/{QTI}mattext"))
                  for r in item.iter(f"{QTI}response_label")}
        assert len(labels) == 4
        scoring = [c for c in item.iter(f"{QTI}respcondition") if c.find(f"{QTI}setvar") is not None]
        assert len(scoring) == 1 and scoring[0].findtext(f"{QTI}setvar") == "100"
        key_text = labels[scoring[0].findtext(f"{QTI}conditionvar/{QTI}varequal")]
        assert _matches(key_text, truth[ident]), (ident, key_text, truth[ident])
        seen.add(ident)
    assert seen == set(truth)
    groups = [s for s in root.iter(f"{QTI}section") if s.find(f"{QTI}selection_ordering") is not None]
    assert len(groups) == 7 and all(g.findtext(f".//{QTI}selection_number") == "1" for g in groups)
    assert all(len(g.findall(f"{QTI}item")) == VARIANTS for g in groups)


def test_exports_are_deterministic(sections):
    assert qti_zip(sections) == qti_zip(sections)
    assert moodle_xml(sections) == moodle_xml(sections)
