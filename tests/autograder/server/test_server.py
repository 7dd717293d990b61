"""The grading server, run as `python -m autograder serve` on loopback: API, limits, security,
kill -9 durability, a bounded load test, PostgreSQL, and the student page in headless chromium.

Scores are checked against grade_notebook with the seed the server stored for the submission
(what `python -m autograder grade --seed S --expected-values public` prints).
"""
import json
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import httpx
import nbformat
import psutil
import pytest
from sqlalchemy import create_engine, text

from autograder.grading.grade import grade_notebook
from autograder.settings import GradingSettings
from helpers import ASSIGNMENT, RELEASE, chromium_path, framework_notices
from samples import services
from samples.course import make_course, nbgrader
from samples.services import kill_group
from samples.submissions import student_copy
from samples.wrong_answers import WRONG_ANSWERS

STUDENTS = [f"s{i:02d}" for i in range(1, 11)]
START_TIMEOUT_S = 240
GRADE_TIMEOUT_S = 180
SLOW = "import time\n\ndef dense_params(n_inputs, units):\n    time.sleep(2)\n    return n_inputs * units + units\n"
# a SimpleRNN no one else in the test run submits (12 units, not 8): a worker trains it while the page watches
FRESH_SIMPLE_RNN = """import keras


def build_simple_rnn():
    return keras.Sequential([keras.Input(shape=(MAXLEN,)), keras.layers.Embedding(NUM_WORDS, 16),
                             keras.layers.SimpleRNN(12), keras.layers.Dense(1, activation="sigmoid")])
"""


def _cli(course, *args):
    proc = subprocess.run([sys.executable, "-m", "autograder", *args, "--course", str(course)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course with the release generated; the roster imported later per database."""
    root = make_course(tmp_path_factory.mktemp("server-course"))
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    (root / "roster.csv").write_text("student_id,name\n" + "".join(f"{s},학생{s}\n" for s in STUDENTS),
                                     encoding="utf-8")
    return root


def _accounts(course, db):
    lines = _cli(course, "students", "import", str(course / "roster.csv"), "--db", db).splitlines()
    tokens = dict(line.split(",", 1) for line in lines[1:])
    instructor = _cli(course, "instructors", "add", f"prof{time.time_ns()}", "--db", db).strip().splitlines()[-1]
    return tokens, instructor


def serving(course, db, *extra):
    return services.serving(course, "--workers", "2", "--db", db, *extra, start_timeout_s=START_TIMEOUT_S)


def _notebook(name, answers):
    nb = student_copy(nbformat.read(RELEASE / f"{name}.ipynb", as_version=4), answers)
    return nbformat.writes(nb).encode()


def _submit(base, token, data, filename="nb.ipynb", assignment=None):
    files = {"file": (filename, data, "application/x-ipynb+json")}
    form = {"assignment": assignment} if assignment else None
    return httpx.post(f"{base}/api/submissions", headers={"Authorization": f"Bearer {token}"}, files=files,
                      data=form, timeout=60)


def _wait_graded(base, token, ids, limit_s=GRADE_TIMEOUT_S):
    deadline, done = time.monotonic() + limit_s, {}
    while len(done) < len(ids):
        assert time.monotonic() < deadline, f"not graded in time: {set(ids) - set(done)}"
        for sid in set(ids) - set(done):
            body = httpx.get(f"{base}/api/submissions/{sid}", headers={"Authorization": f"Bearer {token}"}).json()
            if body["status"] in ("graded", "error"):
                done[sid] = body
        time.sleep(0.3)
    return done


def _seed(db, sid):
    engine = create_engine(db)
    with engine.connect() as conn:
        seed = conn.execute(text("SELECT seed FROM submissions WHERE id = :i"), {"i": sid}).scalar_one()
    engine.dispose()
    return seed


def _cli_score(assignment, notebook, data, seed, model_cache=""):
    nb = nbformat.reads(data.decode(), as_version=4)
    settings = GradingSettings(seed=seed, expected_values="public", model_cache=model_cache)
    result = grade_notebook(nb, assignment, notebook, settings)
    return result["score"], result["max_score"]


@pytest.fixture(scope="module")
def server(course, tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('db') / 'server.sqlite'}"
    tokens, instructor = _accounts(course, db)
    with serving(course, db) as (base, proc, log):
        yield {"base": base, "db": db, "tokens": tokens, "instructor": instructor, "log": log, "course": course,
               "pid": proc.pid}


def test_a_port_in_use_is_one_clear_line_before_any_worker_starts(course, tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        proc = subprocess.run([sys.executable, "-m", "autograder", "serve", "--course", str(course), "--port",
                               str(taken.getsockname()[1]), "--db", f"sqlite:///{tmp_path / 'unused.sqlite'}"],
                              capture_output=True, text=True, timeout=120)
    finally:
        taken.close()
    assert proc.returncode == 2
    assert "들을 수 없습니다 (cannot listen there)" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "unused.sqlite").exists()


def test_health_says_device_backend_and_workers(server):
    health = httpx.get(f"{server['base']}/api/health").json()
    assert health["status"] == "ok" and health["workers"] == 2
    assert health["device"] == "cpu" and health["backend"] in ("tensorflow", "jax") and health["keras"]


def test_the_server_and_its_cluster_listen_only_on_loopback(server):
    """`serve` said 127.0.0.1 (the default): every listening socket of its process tree (uvicorn, the
    Dask scheduler and its dashboard, nannies, workers) is on loopback, and the dashboard's address
    was printed."""
    root = psutil.Process(server["pid"])
    listening = {(p.pid, c.laddr.ip, c.laddr.port) for p in [root, *root.children(recursive=True)]
                 for c in p.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}
    assert len({pid for pid, _, _ in listening}) >= 3, listening  # the server and its two workers
    assert {ip for _, ip, _ in listening} == {"127.0.0.1"}, listening
    port = int(server["base"].rsplit(":", 1)[1])
    assert any(p == port for _, _, p in listening)
    dashboard = re.search(r"Dask 대시보드 \(dashboard\): http://127\.0\.0\.1:(\d+)/status",
                          server["log"].read_text(encoding="utf-8"))
    assert dashboard and any(p == int(dashboard.group(1)) for _, _, p in listening)


def test_upload_is_acknowledged_graded_and_scored_like_the_cli(server, assignment, solutions):
    base, token = server["base"], server["tokens"]["s01"]
    wrong = WRONG_ANSWERS["gru_no_second_bias"]
    uploads = {"02_parameter_counts": _notebook("02_parameter_counts", {**solutions, wrong.function: wrong.source}),
               "01_padding_encoding": _notebook("01_padding_encoding", solutions)}
    ids = {}
    for name, data in uploads.items():
        response = _submit(base, token, data, filename="whatever-name.ipynb")
        assert response.status_code == 202, response.text
        body = response.json()
        assert body["status"] == "queued" and body["notebook"] == name and body["submitted_at"]
        ids[body["id"]] = name
        stored = next((server["course"] / ".autograder" / "server-files").rglob(f"{body['id']}.ipynb"))
        assert stored.read_bytes() == data  # acknowledged = on disk
    results = _wait_graded(base, token, list(ids))
    for sid, body in results.items():
        assert body["status"] == "graded" and body["student"] == "s01", body
        assert (body["score"], body["max_score"]) == _cli_score(assignment, ids[sid], uploads[ids[sid]],
                                                                _seed(server["db"], sid))
        assert body["device"] == "cpu" and body["backend"]
    gru = next(b for b in results.values() if b["notebook"] == "02_parameter_counts")
    part = next(p for p in gru["parts"] if p["function"] == "gru_params")
    assert part["score"] < part["max_score"] and "no_second_bias" in part["mistakes"]
    assert "기대값을 보여 주지 않습니다" in part["feedback"]  # random cases: no expected value
    assert "check(" not in json.dumps(gru) and "HIDDEN" not in json.dumps(gru)
    # the nbgrader gradebook has it, as the class autograder writes it
    db = sqlite3.connect(server["course"] / "gradebook.db")
    scores = dict(db.execute("SELECT n.name, COUNT(*) FROM submitted_notebook sn JOIN submitted_assignment s "
                             "ON sn.assignment_id = s.id JOIN notebook n ON sn.notebook_id = n.id "
                             "WHERE s.student_id = 's01' GROUP BY n.name").fetchall())
    db.close()
    assert scores and all(count == 1 for count in scores.values())
    assert (server["course"] / "autograded" / "s01" / ASSIGNMENT / "02_parameter_counts.ipynb").exists()


def test_errors_are_json_in_korean_and_english(server):
    base, token = server["base"], server["tokens"]["s02"]
    assert httpx.get(f"{base}/api/submissions").status_code == 401
    response = httpx.get(f"{base}/api/submissions", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401 and "토큰" in response.json()["error"] and "token" in response.json()["error"]
    big = b"{" + b" " * (6 * 2**20) + b"}"
    assert _submit(base, token, big).status_code == 413
    before = httpx.get(f"{base}/api/submissions", headers={"Authorization": f"Bearer {token}"}).json()
    for junk in (b"not a notebook", nbformat.writes(nbformat.v4.new_notebook()).encode()):
        response = _submit(base, token, junk)
        assert response.status_code == 422, response.text
        assert "노트북" in response.json()["error"] and "notebook" in response.json()["error"]
    after = httpx.get(f"{base}/api/submissions", headers={"Authorization": f"Bearer {token}"}).json()
    assert after == before  # nothing stored


def _post_all_at_once(base, data, token=None):
    """POST ``data`` as urllib does: the whole body sent before reading (no Expect: 100-continue).
    Returns (status, JSON body); a reset connection raises."""
    headers = {"Content-Type": "multipart/form-data; boundary=x", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(f"{base}/api/submissions", data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_refused_upload_is_answered_to_a_client_that_sends_it_all(server):
    """Refused from its headers alone (413 over --max-upload-mb, 401 no token), a 6 MiB upload from a
    client that sends the whole body first still reads the answer, not a reset connection."""
    big = b"--x\r\n" + b" " * (6 * 2**20) + b"\r\n--x--\r\n"
    for _ in range(3):
        status, body = _post_all_at_once(server["base"], big, server["tokens"]["s02"])
        assert status == 413 and "5 MiB보다 큽니다" in body["error"], body
        status, body = _post_all_at_once(server["base"], big)
        assert status == 401 and "토큰" in body["error"], body
    assert httpx.get(f"{server['base']}/api/health").json()["max_upload_mb"] == 5


def test_students_see_only_their_own_and_no_instructor_endpoint(server, solutions):
    base, tokens = server["base"], server["tokens"]
    mine = _submit(base, tokens["s03"], _notebook("02_parameter_counts", solutions)).json()["id"]
    other = {"Authorization": f"Bearer {tokens['s04']}"}
    assert httpx.get(f"{base}/api/submissions/{mine}", headers=other).status_code == 404
    assert httpx.get(f"{base}/api/submissions/{'0' * 32}", headers=other).status_code == 404
    assert all(s["student"] == "s04" for s in httpx.get(f"{base}/api/submissions", headers=other).json()["submissions"])
    assert httpx.get(f"{base}/api/submissions?student=s03", headers=other).json()["submissions"] == []
    assert httpx.post(f"{base}/api/submissions/{mine}/regrade", headers=other).status_code in (403, 404)
    assert httpx.get(f"{base}/api/export.csv", headers=other).status_code in (403, 404)
    instructor = {"Authorization": f"Bearer {server['instructor']}"}
    _wait_graded(base, tokens["s03"], [mine])
    assert httpx.post(f"{base}/api/submissions/{mine}/regrade", headers=instructor).status_code == 202
    regraded = _wait_graded(base, tokens["s03"], [mine])[mine]
    assert regraded["status"] == "graded"
    csv_text = httpx.get(f"{base}/api/export.csv", headers=instructor).text
    assert "s03,ch09,02_parameter_counts,12.0,12.0,12.0" in csv_text


def test_tokens_never_reach_the_log_and_names_never_become_paths(server, solutions):
    base, token = server["base"], server["tokens"]["s05"]
    sid = _submit(base, token, _notebook("02_parameter_counts", solutions), filename="../../../escape.ipynb").json()["id"]
    _wait_graded(base, token, [sid])
    assert not list(server["course"].parent.rglob("escape.ipynb"))
    log = server["log"].read_text(encoding="utf-8")
    assert all(t not in log for t in [*server["tokens"].values(), server["instructor"]])


def test_the_log_is_the_servers_own(server, solutions):
    """The workers import Keras and grade: none of TensorFlow's notices reaches the server's output."""
    base, token = server["base"], server["tokens"]["s05"]
    _wait_graded(base, token, [_submit(base, token, _notebook("01_padding_encoding", solutions)).json()["id"]])
    assert framework_notices(server["log"].read_text(encoding="utf-8")) == []


def test_repeated_wrong_tokens_from_one_address_are_slowed_and_logged(server):
    """200 wrong tokens from one address (a client behind the loopback proxy, X-Forwarded-For): only
    the first few are checked (401); then the address is locked out (429, Retry-After) for any token,
    a right one too; other addresses are not; the failures are logged with the address, never a token."""
    base, right = server["base"], server["tokens"]["s10"]
    wrong = [secrets.token_urlsafe(32) for _ in range(200)]
    attacker = {"X-Forwarded-For": "10.1.2.3"}
    with httpx.Client(base_url=base, timeout=30) as client:
        answers = [client.get("/api/submissions", headers={**attacker, "Authorization": f"Bearer {t}"}) for t in wrong]
        codes = [a.status_code for a in answers]
        assert set(codes) == {401, 429} and codes.count(401) <= 20, codes
        locked = client.get("/api/submissions", headers={**attacker, "Authorization": f"Bearer {right}"})
        assert locked.status_code == 429 and "초 뒤에 다시" in locked.json()["error"]
        wait = int(locked.headers["Retry-After"])
        assert 1 <= wait <= 60
        assert client.get("/api/submissions", headers={"Authorization": f"Bearer {right}"}).status_code == 200
        time.sleep(wait)
        assert client.get("/api/submissions", headers={**attacker, "Authorization": f"Bearer {right}"}).status_code == 200
    log = server["log"].read_text(encoding="utf-8")
    assert "로그인 실패 (failed login) 10.1.2.3" in log and "막음 (locked out)" in log
    assert not any(t in log for t in wrong)


def test_a_student_may_have_two_grading_at_once(server, solutions):
    base, token = server["base"], server["tokens"]["s06"]
    slow = _notebook("02_parameter_counts", {**solutions, "dense_params": SLOW})
    codes = [_submit(base, token, slow).status_code for _ in range(3)]
    assert codes == [202, 202, 429], codes


def test_load_fifty_submissions_from_ten_students(server, assignment, solutions):
    """Bounded: 50 requests on loopback, 10 threads; each accepted (202) or refused (429), none lost."""
    base = server["base"]
    wrong = [w for w in WRONG_ANSWERS.values() if w.function in assignment.notebooks["02_parameter_counts"].functions]
    jobs = [(STUDENTS[i % 10], _notebook("02_parameter_counts", {**solutions, wrong[i % len(wrong)].function:
                                                                  wrong[i % len(wrong)].source})) for i in range(50)]
    results = []

    def send(student, data):
        response = _submit(base, server["tokens"][student], data)
        results.append((student, data, response.status_code, response.json()))

    threads = [threading.Thread(target=send, args=job) for job in jobs]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == 50 and {code for *_, code, _ in results} <= {202, 429}, [r[2:] for r in results]
    accepted = [(s, d, body["id"]) for s, d, code, body in results if code == 202]
    assert accepted
    scores = {}  # the same notebook, uploaded by different students with different seeds: one score
    for student, data, sid in accepted:
        body = _wait_graded(base, server["tokens"][student], [sid])[sid]
        assert body["status"] == "graded"
        assert (body["score"], body["max_score"]) == _cli_score(assignment, "02_parameter_counts", data,
                                                                _seed(server["db"], sid))
        scores.setdefault(data, set()).add(body["score"])
    assert all(len(same) == 1 for same in scores.values()), scores
    assert any(len([a for a in accepted if a[1] == data]) > 1 for data in scores)
    assert time.monotonic() - started < 300


@contextmanager
def _browser_page():
    """A page of Debian's chromium, headless (Playwright driving the system browser)."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = chromium_path()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            yield browser.new_page()
        finally:
            browser.close()


LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d KST$")


def test_student_page_uploads_and_shows_the_score(server, solutions, tmp_path):
    path = tmp_path / "제출.ipynb"
    path.write_bytes(_notebook("02_parameter_counts", solutions))
    written = tmp_path / "01.ipynb"
    written.write_bytes(_notebook("01_padding_encoding", solutions))
    big = tmp_path / "큰파일.ipynb"
    big.write_bytes(b"{" + b" " * (6 * 2**20) + b"}")
    done = "document.getElementById('result-status').textContent === '채점 완료'"
    with _browser_page() as page:
        posts = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        page.goto(server["base"] + "/")
        page.fill("#token", server["tokens"]["s07"])
        page.click("#save-token")
        page.wait_for_function("document.getElementById('limit').textContent.includes('5 MiB')")
        page.set_input_files("#file", str(big))  # over --max-upload-mb: said on the page, never sent
        page.click("#submit")
        page.wait_for_function("document.getElementById('message').textContent.includes('5 MiB까지')")
        assert "6.0 MiB" in page.text_content("#message") and posts == []
        page.set_input_files("#file", str(path))
        page.click("#submit")
        page.wait_for_function(done, timeout=GRADE_TIMEOUT_S * 1000)
        assert page.text_content("#result-score") == "12 / 12"
        assert "simple_rnn_params" in page.text_content("#parts")
        page.wait_for_function("document.getElementById('message').textContent.includes('채점 완료')", timeout=10_000)
        assert "기다리는" not in page.text_content("#message")
        page.wait_for_function("document.getElementById('history').textContent.includes('02_parameter_counts')",
                               timeout=10_000)
        when = page.text_content("#history tr td")
        assert len(posts) == 1
        assert LOCAL_TIME.match(when), when
        page.screenshot(path=str(tmp_path / "student-page.png"), full_page=True)
        # a notebook with a written answer: its points wait for the instructor, and the total says so
        page.set_input_files("#file", str(written))
        page.click("#submit")
        page.wait_for_function(f"document.getElementById('result-notebook').textContent === '01_padding_encoding' "
                               f"&& {done}", timeout=GRADE_TIMEOUT_S * 1000)
        assert page.text_content("#result-score") == "20 / 24 (수동 4점 대기)"
    assert (tmp_path / "student-page.png").stat().st_size > 0


def test_a_model_trains_with_its_epochs_on_the_page_then_shows_its_curves(server, assignment, solutions, model_cache,
                                                                        tmp_path):
    """Notebook 05 with a model no one submitted before: a worker trains it and the page says which epoch;
    then the layer tables and the curves (one picture a model); the score is the CLI's with the course's
    trained models (the server's own cache, shared through AUTOGRADER_MODEL_CACHE here)."""
    data = _notebook("05_imdb_models", {**solutions, "build_simple_rnn": FRESH_SIMPLE_RNN})
    path = tmp_path / "05.ipynb"
    path.write_bytes(data)
    status = "document.getElementById('result-status').textContent"
    with _browser_page() as page:
        page.goto(server["base"] + "/")
        page.fill("#token", server["tokens"]["s04"])
        page.click("#save-token")
        page.set_input_files("#file", str(path))
        page.click("#submit")
        page.wait_for_function(f"{status}.includes('에포크')", timeout=GRADE_TIMEOUT_S * 1000)
        training = page.text_content("#result-status")
        page.wait_for_function(f"{status} === '채점 완료'", timeout=GRADE_TIMEOUT_S * 1000)
        tables = page.locator("#feedback table.layers").count()
        curves = page.locator("#feedback svg polyline").count()
        caption = page.text_content("#feedback")
    assert re.search(r"채점기가 build_simple_rnn 모델을 훈련하는 중: 에포크 (\d+)/10", training), training
    assert tables == 3 and curves >= 3 * 3  # per model: train and validation accuracy, the pass line
    assert "떼어 둔 리뷰의 정확도" in caption
    listing = httpx.get(f"{server['base']}/api/submissions?assignment=ch09",
                        headers={"Authorization": f"Bearer {server['tokens']['s04']}"}).json()["submissions"]
    body = next(s for s in listing if s["notebook"] == "05_imdb_models")
    assert body["status"] == "graded" and body["progress"] is None
    assert (body["score"], body["max_score"]) == _cli_score(assignment, "05_imdb_models", data,
                                                            _seed(server["db"], body["id"]), model_cache)
    simple = next(p for p in body["parts"] if p["function"] == "build_simple_rnn")
    assert "wrong_units" in simple["mistakes"] and simple["details"]["training"]["cached"] is False


def test_instructor_page_shows_the_roster_with_names_and_every_notebook(server, tmp_path):
    listing = httpx.get(f"{server['base']}/api/submissions?assignment=ch09",
                        headers={"Authorization": f"Bearer {server['instructor']}"}).json()["submissions"]
    handed_in = {(s["student"], s["notebook"]) for s in listing}
    with _browser_page() as page:
        page.goto(server["base"] + "/instructor")
        page.fill("#token", server["instructor"])
        page.click("#save-token")
        page.wait_for_function("document.querySelectorAll('#grid tr').length > 1", timeout=30_000)
        rows = page.eval_on_selector_all("#grid tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
        page.screenshot(path=str(tmp_path / "instructor-page.png"), full_page=True)
    notebooks = sorted(p.stem for p in RELEASE.glob("*.ipynb"))
    assert rows[0] == ["학번", "이름", *notebooks]
    assert [r[:2] for r in rows[1:]] == [[s, f"학생{s}"] for s in STUDENTS]  # the roster, submitted or not
    for student, name, *cells in rows[1:]:
        for notebook, cell in zip(notebooks, cells):
            assert (cell == "미제출") == ((student, notebook) not in handed_in), (student, notebook, cell)


def test_kill_9_while_grading_loses_nothing_and_grades_once(course, tmp_path, assignment, solutions):
    db = f"sqlite:///{tmp_path / 'durable.sqlite'}"
    tokens, _ = _accounts(course, db)
    uploads = {}
    with serving(course, db) as (base, proc, _):
        for student in STUDENTS[:6]:
            data = _notebook("02_parameter_counts", {**solutions, "dense_params": SLOW})
            response = _submit(base, tokens[student], data)
            assert response.status_code == 202
            uploads[response.json()["id"]] = (student, data)
        deadline = time.monotonic() + GRADE_TIMEOUT_S
        while True:  # kill while some are graded and some are not
            states = [httpx.get(f"{base}/api/submissions/{sid}", headers={"Authorization": f"Bearer {tokens[s]}"})
                      .json()["status"] for sid, (s, _) in uploads.items()]
            if "graded" in states or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert states.count("graded") < len(states), "too late to test anything"
        kill_group(proc)
    with serving(course, db) as (base, _, _):
        for sid, (student, data) in uploads.items():
            body = _wait_graded(base, tokens[student], [sid])[sid]
            assert body["status"] == "graded"
            assert (body["score"], body["max_score"]) == _cli_score(assignment, "02_parameter_counts", data,
                                                                    _seed(db, sid))
    engine = create_engine(db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM submissions")).scalar_one() == len(uploads)
    engine.dispose()
    gradebook = sqlite3.connect(course / "gradebook.db")
    rows = gradebook.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id").fetchall()
    gradebook.close()
    assert all(count == 1 for _, count in rows)


def test_the_server_runs_on_postgresql(course, postgres_url, assignment, solutions):
    from pg_cluster import create_database

    db = create_database(postgres_url, "serve_test")
    tokens, _ = _accounts(course, db)
    data = _notebook("02_parameter_counts", solutions)
    with serving(course, db) as (base, _, log):
        assert "db=postgresql" in log.read_text(encoding="utf-8")
        sid = _submit(base, tokens["s08"], data).json()["id"]
        body = _wait_graded(base, tokens["s08"], [sid])[sid]
    assert body["status"] == "graded" and body["score"] == body["max_score"] == 12.0


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_stopping_the_server_requeues_what_was_grading_in_one_line(course, tmp_path, solutions, stop):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM: what is queued stays
    queued, what was grading is queued again, one line, exit 0; the next start grades everything once."""
    import os
    import signal

    db = f"sqlite:///{tmp_path / 'stop.sqlite'}"
    tokens, _ = _accounts(course, db)
    data = _notebook("02_parameter_counts", {**solutions, "dense_params": SLOW})
    with serving(course, db) as (base, proc, log):
        ids = {_submit(base, tokens[s], data).json()["id"]: s for s in STUDENTS[:3]}
        deadline = time.monotonic() + GRADE_TIMEOUT_S
        while "running" not in [httpx.get(f"{base}/api/submissions/{sid}", headers={"Authorization": f"Bearer {tokens[s]}"})
                                .json()["status"] for sid, s in ids.items()]:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        os.killpg(proc.pid, getattr(signal, stop))
        assert proc.wait(timeout=120) == 0
        said = log.read_text(encoding="utf-8")
    assert "Traceback" not in said and "Error" not in said, said[-3000:]
    assert said.strip().splitlines()[-1].startswith("채점 서버를 멈췄습니다")
    engine = create_engine(db)
    with engine.connect() as conn:
        states = dict(conn.execute(text("SELECT id, status FROM submissions")).all())
    engine.dispose()
    assert set(states) == set(ids) and "running" not in states.values() and "queued" in states.values()
    if stop == "SIGTERM":
        return  # the next start's grading of the queue is the same for both (checked once, after SIGINT)
    with serving(course, db) as (base, _, _):
        for sid, student in ids.items():
            assert _wait_graded(base, tokens[student], [sid])[sid]["score"] == 12.0
