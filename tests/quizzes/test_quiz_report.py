"""The score report's picture: Korean drawn with the Korean font's file, item labels apart."""
import itertools
import logging

import pytest
from matplotlib import font_manager, ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text

from quizzes.fonts import font_file
from quizzes.scoring import Report, plot


def _hangul(text):
    return any("\uac00" <= c <= "\ud7a3" for c in text)


@pytest.fixture
def drawn(monkeypatch):
    """The figures ``plot`` saves, as they were when saved."""
    figures, save = [], Figure.savefig

    def recording(fig, *args, **kwargs):
        save(fig, *args, **kwargs)
        figures.append(fig)

    monkeypatch.setattr(Figure, "savefig", recording)
    return figures


@pytest.fixture
def stale_font_cache(monkeypatch):
    """matplotlib's font list as a cache made before fonts-nanum was installed holds it: no Nanum."""
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if "Nanum" not in f.name])
    manager._findfont_cached.cache_clear()
    yield
    manager._findfont_cached.cache_clear()


def _item(item_id, difficulty, discrimination):
    return {"item_id": item_id, "n": 5, "difficulty": difficulty, "discrimination": discrimination,
            "upper_lower": None}


REPORT = Report(
    students=[{"student_id": f"S{n}", "name": "", "variant": "", "score": n % 4, "total": 4, "percent": 0.0}
              for n in range(5)],
    # everyone right (no discrimination): three ids at one point; two items a pixel apart
    items=[_item("9-2-1", 1.0, None), _item("9-2-3", 1.0, None), _item("9-2-x5", 1.0, None),
           _item("9-2-p1", 0.8, 0.61), _item("9-2-x4", 0.8, 0.60), _item("9-2-4", 0.2, -0.5)],
    messages=[])


def test_korean_labels_are_drawn_with_the_korean_font_file_even_with_a_stale_font_cache(
        tmp_path, drawn, stale_font_cache, caplog):
    nanum = str(font_file())
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        plot(REPORT, tmp_path / "report.png", "ko")
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
    (fig,) = drawn
    korean = [t for t in fig.findobj(Text) if _hangul(t.get_text())]
    assert {"점수 분포", "문항 분석", "점수", "학생 수"} <= {t.get_text() for t in korean}
    glyphs = ft2font.FT2Font(nanum).get_charmap()
    for text in korean:
        used = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        assert used == nanum, f"{text.get_text()!r} drawn with {used}"
        assert all(ord(c) in glyphs for c in text.get_text() if not c.isspace())
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_item_labels_do_not_overlap_and_name_every_item(tmp_path, drawn):
    plot(REPORT, tmp_path / "report.png", "en")
    (fig,) = drawn
    renderer = FigureCanvasAgg(fig).get_renderer()
    labels = [a for a in fig.findobj(Annotation)]
    named = sorted(i.strip() for a in labels for i in a.get_text().split(","))
    assert named == sorted(item["item_id"] for item in REPORT.items)
    boxes = [a.get_window_extent(renderer) for a in labels]
    for (a, box_a), (b, box_b) in itertools.combinations(zip(labels, boxes), 2):
        assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"
    inside = fig.bbox
    assert all(inside.x0 <= box.x0 and box.x1 <= inside.x1 for box in boxes), "a label runs off the picture"



KEY_SHEET = ("section,student_id,name,variant,question,item_id,key,choices\n"
             "9-2,,,CANON,1,9-2-p3,2,\"float32 itemsize|key|elements, not bytes|forgot the one-hot axis\"\n"
             "9-2,,,CANON,2,9-2-1,1,1|2|3|4\n")
ANSWERS = "student_id,1,2\nA,2,1\nB,1,1\nC,3,2\nD,1,4\nE,,1\n"
ENGLISH = ["float32 itemsize", "elements, not bytes", "forgot the one-hot axis", "*key"]
KOREAN = ["원소를 float32(4바이트)로 봄", "바이트 대신 원소 개수", "원-핫 축을 빠뜨림", "*정답", "보기 ①", "무응답"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_printed_report_names_options_in_its_language_and_lines_up(tmp_path, capsys, lang):
    from quizzes.cli import main
    from terminal.width import display_width

    (tmp_path / "key.csv").write_text(KEY_SHEET, encoding="utf-8")
    (tmp_path / "r.csv").write_text(ANSWERS, encoding="utf-8")
    assert main(["score", str(tmp_path / "r.csv"), "--key", str(tmp_path / "key.csv"), "--lang", lang,
                 "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    options = [line for line in out.splitlines() if line.startswith(("  9-2-p3", "  9-2-1 "))]
    assert len(options) == 4 + 4 + 1, out  # four choices of each item, and E's blank
    shown, hidden = (KOREAN, ENGLISH) if lang == "ko" else (ENGLISH, KOREAN)
    assert all(any(name in line for line in options) for name in shown), options
    assert not [name for name in hidden if name in out], out
    summary = out.split("\n\n")[-3].splitlines()[1:]  # misconceptions chosen, most first
    assert any(shown[0] in line for line in summary), summary
    assert len({display_width(line) for line in options}) == 1, options  # the share columns line up


def test_every_option_a_parameterized_copy_can_carry_has_a_korean_name():
    import random

    from quizzes.option_names import OPTION_NAMES_KO
    from quizzes.parametric import ITEMS

    tags = {c.tag for item in ITEMS for seed in range(150) for c in item.draw(random.Random(seed)).choices}
    assert tags - set(OPTION_NAMES_KO) == set()
    assert all(_hangul(OPTION_NAMES_KO[tag]) for tag in tags)
