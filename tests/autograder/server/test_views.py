"""What the server's API and CSV say about times, hand-graded points and the roster, on rows
written straight into its database (FastAPI's TestClient; no workers: nothing is graded here)."""
import csv
import io
import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from autograder.server.accounts import RosterRow, add_instructor, import_students
from autograder.server.app import ServerState, create_app
from autograder.server.db import Database
from autograder.server.models import Submission
from autograder.settings import ClusterSettings, ServerSettings

NOTEBOOKS = {"01_padding_encoding": None, "02_parameter_counts": None, "03_simple_rnn_forward": None,
             "04_advanced_bptt_gates": None}
SUBMITTED = datetime(2025, 3, 2, 9, 0, 5, tzinfo=timezone.utc)      # 18:00:05 in Seoul, 04:00:05 in New York
GRADED = datetime(2025, 3, 2, 23, 30, 0, tzinfo=timezone.utc)       # 08:30 the next day in Seoul
RESULT = {"notebook": "01_padding_encoding", "status": "graded", "score": 20.0, "max_score": 24,
          "manual_max_score": 4,
          "parts": [{"function": "pad_sequences", "grade_id": "pad_sequences", "score": 20.0, "max_score": 20,
                     "feedback": "", "mistakes": []},
                    {"function": None, "grade_id": "written_padding_side", "score": None, "max_score": 4,
                     "feedback": "", "mistakes": []}]}


@pytest.fixture
def client(tmp_path, request):
    zone = getattr(request, "param", "Asia/Seoul")
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite'}")
    db.upgrade()
    with db.session() as s:
        tokens = dict(import_students(s, [RosterRow(2, "s01", "김하나", None), RosterRow(3, "s02", "이두리", None),
                                          RosterRow(4, "s03", "박세나", None)]).created)
        instructor = add_instructor(s, "김교수")
        s.add(Submission(id="a" * 32, student_id="s01", assignment="ch09", notebook="01_padding_encoding",
                         path="x", sha256="0" * 64, size=1, status="graded", submitted_at=SUBMITTED,
                         graded_at=GRADED, score=20.0, max_score=24.0, result_json=json.dumps(RESULT)))
    pipelines = {"ch09": SimpleNamespace(assignment=SimpleNamespace(notebooks=NOTEBOOKS))}
    state = ServerState(None, db, tmp_path, ServerSettings(time_zone=zone), ClusterSettings(1), pipelines)
    with TestClient(create_app(state)) as http:
        yield http, tokens, instructor
    db.dispose()


def _get(http, token, path):
    answer = http.get(path, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return answer


@pytest.mark.parametrize("client, shown, iso", [
    ("Asia/Seoul", ("2025-03-02 18:00:05 KST", "2025-03-03 08:30:00 KST"), "2025-03-02T18:00:05+09:00"),
    ("America/New_York", ("2025-03-02 04:00:05 EST", "2025-03-02 18:30:00 EST"), "2025-03-02T04:00:05-05:00"),
], indirect=["client"])
def test_times_are_shown_in_the_courses_time_zone(client, shown, iso):
    http, tokens, instructor = client
    view = _get(http, tokens["s01"], "/api/submissions?assignment=ch09").json()["submissions"][0]
    assert (view["submitted_at_text"], view["graded_at_text"]) == shown
    assert view["submitted_at"] == iso  # ISO 8601 still, with the zone's offset
    exported = list(csv.DictReader(io.StringIO(_get(http, instructor, "/api/export.csv?assignment=ch09").text)))
    assert exported[0]["latest_submitted_at"] == shown[0]


def test_a_total_says_the_points_that_wait_for_hand_grading(client):
    http, tokens, instructor = client
    view = _get(http, tokens["s01"], "/api/submissions/" + "a" * 32).json()
    assert (view["score"], view["max_score"], view["manual_max_score"]) == (20.0, 24.0, 4)
    exported = list(csv.DictReader(io.StringIO(_get(http, instructor, "/api/export.csv?assignment=ch09").text)))
    assert exported[0]["manual_max_score"] == "4"


def test_the_roster_lists_every_student_and_notebook_for_instructors_only(client):
    http, tokens, instructor = client
    roster = _get(http, instructor, "/api/roster?assignment=ch09").json()
    assert roster["notebooks"] == sorted(NOTEBOOKS)
    assert roster["students"] == [{"id": "s01", "name": "김하나"}, {"id": "s02", "name": "이두리"},
                                  {"id": "s03", "name": "박세나"}]
    assert http.get("/api/roster", headers={"Authorization": f"Bearer {tokens['s02']}"}).status_code == 403


def test_an_unknown_time_zone_stops_serve_with_one_line(capsys):
    from autograder.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["serve", "--time-zone", "Asia/Seul"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "unknown time zone" in err and "Traceback" not in err
