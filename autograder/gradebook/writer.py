"""The one writer: a course's gradebook rows and autograded/ files, as ``nbgrader autograde`` leaves them.

For each student, the steps of nbgrader's Autograde converter in its order (init_destination
with --force, init_assignment, per notebook SaveAutoGrades and AssignLatePenalties,
set_permissions), on one open Gradebook instead of one per step. Notebooks arrive already
run through the worker's part of the pipeline (``pipeline.autograde_notebook``).

Where nbgrader gives up on a whole submission because one notebook is unreadable, the writer
records that notebook alone as failed: its grades 0 and no autograded file (like a missing
notebook; the file stays in submitted/), the submitted notebook flagged for the instructor, the
reason as the automatic comment of its answer cells; the student's other notebooks are graded
as usual (and get feedback).

nbgrader's record steps look up every cell's grade with a six-table join and commit after each
cell (an fsync and a reload of every row): ~40 ms a notebook. Here they see the gradebook
through ``StudentWrite``: a student's rows are loaded at once and the student's grades are
committed together at the end. Same classes, same rows.
"""
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Comment, Grade, Gradebook, MissingEntry, SubmittedAssignment, SubmittedNotebook, new_uuid
from nbgrader.utils import find_all_files, parse_utc
from sqlalchemy import insert
from sqlalchemy.orm import joinedload

from autograder.gradebook.pipeline import resources_for

UNREADABLE_COMMENT = "채점하지 못했습니다: {reason}. 노트북 파일을 Jupyter에서 열어 저장한 뒤 다시 제출하세요."


@dataclass
class NotebookOutcome:
    """What a worker returned for one notebook: the autograded text, or the reason it could not be read."""

    notebook: str
    autograded: str | None = None
    reason: str | None = None


class _CommitLater:
    """A session whose commit() does nothing: the writer commits the student's rows at once."""

    def __init__(self, session):
        self._session = session

    def commit(self):
        pass

    def __getattr__(self, name):
        return getattr(self._session, name)


class StudentWrite:
    """A Gradebook as nbgrader's record steps see it while one student is written: every method
    is the gradebook's, except the finders of that student's submission, its notebooks, and their
    grade and comment rows, answered from rows loaded once for the student (four queries; nbgrader
    runs a multi-table join for each notebook and each cell), and ``db.commit()``, deferred to the
    writer's one commit. The rows are the session's own objects (its identity map would return
    them to nbgrader's queries too), and the scores computed from them (``SubmittedNotebook.score``)
    are deferred columns, loaded after a flush when first read, as in nbgrader."""

    def __init__(self, gradebook, assignment, student):
        self._gradebook = gradebook
        self.db = _CommitLater(gradebook.db)
        self._key = (assignment, student)
        self._rows = None  # {"submission": row, "notebooks": {name: row}, "grades"|"comments": {(notebook, cell): row}}

    def __getattr__(self, name):
        return getattr(self._gradebook, name)

    def find_submission(self, assignment, student):
        if (assignment, student) != self._key:
            return self._gradebook.find_submission(assignment, student)
        return self._loaded()["submission"]

    def find_submission_notebook(self, notebook, assignment, student):
        row = self._find("notebooks", notebook, assignment, student)
        return row if row is not None else self._gradebook.find_submission_notebook(notebook, assignment, student)

    def find_grade(self, grade_cell, notebook, assignment, student):
        row = self._find("grades", (notebook, grade_cell), assignment, student)
        return row if row is not None else self._gradebook.find_grade(grade_cell, notebook, assignment, student)

    def find_comment(self, solution_cell, notebook, assignment, student):
        row = self._find("comments", (notebook, solution_cell), assignment, student)
        return row if row is not None else self._gradebook.find_comment(solution_cell, notebook, assignment, student)

    def _find(self, kind, key, assignment, student):
        """The loaded row, or None (another student's, or not there: the gradebook answers, or raises)."""
        return self._loaded()[kind].get(key) if (assignment, student) == self._key else None

    def _loaded(self):
        if self._rows is None:
            submission = self._gradebook.find_submission(*self._key)
            query = self._gradebook.db.query
            notebooks = {nb.notebook.name: nb for nb in query(SubmittedNotebook)
                         .options(joinedload(SubmittedNotebook.notebook))
                         .filter(SubmittedNotebook.assignment_id == submission.id)}
            names = {nb.id: name for name, nb in notebooks.items()}
            self._rows = {
                "submission": submission, "notebooks": notebooks,
                "grades": {(names[g.notebook_id], g.cell.name): g for g in query(Grade).options(joinedload(Grade.cell))
                           .filter(Grade.notebook_id.in_(names))},
                "comments": {(names[c.notebook_id], c.cell.name): c for c in query(Comment)
                             .options(joinedload(Comment.cell)).filter(Comment.notebook_id.in_(names))}}
        return self._rows


class NoNotebooks(Exception):
    """The submission holds no notebook of the assignment (nbgrader: "No notebooks found")."""


class GradebookWriter:
    """Writes graded submissions of one assignment into a course (use as a context manager)."""

    def __init__(self, course, pipeline):
        self.course, self.pipeline = course, pipeline
        self.assignment = pipeline.snapshot.assignment
        self.gradebook = Gradebook(course.db_url, course.course_id)
        self._record = [cls(config=course.config) for cls in pipeline.record]
        self._ignore = list(course.coursedir.ignore)
        self._layout_rows = None  # _layout()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.gradebook.close()

    def add_students(self, students):
        """Create the students' gradebook rows in sorted order before any is written, as
        ``nbgrader autograde`` (which grades them in that order) does: its exports list students
        in the order their rows were made, and notebooks come back here in any order."""
        for student in sorted(students):
            self.gradebook.update_or_create_student(student)

    def write(self, student, outcomes, keep=()):
        """Write one student's submission; ``outcomes``: {notebook name: NotebookOutcome} for the
        submitted notebooks of the assignment; ``keep``: notebooks not graded this time (a grader
        fault), whose gradebook rows and autograded file stay as they were. NoNotebooks when there
        are none."""
        gb, a = self.gradebook, self.assignment
        src, dest = self.course.folder("submitted", student, a), self.course.folder("autograded", student, a)
        _clear(dest, {f"{name}.ipynb" for name in keep})
        self._copy_files(src, dest)
        gb.update_or_create_student(student)
        timestamp = self.course.coursedir.get_existing_timestamp(str(src))
        try:
            gb.find_submission(a, student)
        except MissingEntry:
            self._add_submission(student, timestamp)
        else:  # nbgrader's update: the new timestamp, if any, and a commit
            gb.update_or_create_submission(a, student, **({"timestamp": timestamp} if timestamp else {}))
        self._copy_files(self.course.source_folder(a), dest, skip=self._not_overwritten())
        known = list(self._layout()[1])
        for name in known:
            if not (src / f"{name}.ipynb").exists() and name not in keep:
                self._zero(student, name)
        graded = sorted(n for n in outcomes if n in known)
        if not graded and not keep:
            raise NoNotebooks(f"{src}: 과제 {a}의 노트북이 없습니다 (no notebook of {a}: {', '.join(known)})")
        view = StudentWrite(gb, a, student)
        for name in graded:
            outcome = outcomes[name]
            path = dest / f"{name}.ipynb"
            if outcome.autograded is None:  # like a missing notebook: no autograded file (it stays in submitted/)
                self._zero(student, name, flag=True, comment=UNREADABLE_COMMENT.format(reason=outcome.reason))
                continue
            path.write_text(outcome.autograded, encoding="utf-8")
            nb = nbformat.v4.reads(outcome.autograded)  # the worker's own output, validated when it was written
            resources = resources_for(student, name, self.pipeline, gradebook=view)
            for step in self._record:
                nb, resources = step(nb, resources)
        gb.db.commit()
        self._set_permissions(dest)

    def _layout(self):
        """(assignment id, {notebook name: (notebook id, cell ids getting a grade row, cell ids getting
        a comment row)}) in the assignment's notebook order: what nbgrader's add_submission mirrors
        (grade cells and task cells get a grade; solution cells and task cells a comment). Read once."""
        if self._layout_rows is None:
            assignment = self.gradebook.find_assignment(self.assignment)
            self._layout_rows = assignment.id, {
                nb.name: (nb.id, [c.id for c in nb.grade_cells] + [c.id for c in nb.task_cells],
                          [c.id for c in nb.solution_cells] + [c.id for c in nb.task_cells])
                for nb in assignment.notebooks}
        return self._layout_rows

    def _add_submission(self, student, timestamp):
        """nbgrader's ``Gradebook.add_submission`` (the submission, a notebook row per notebook, an
        empty grade and comment row per cell of _layout) as one bulk INSERT per table, rows in the
        order nbgrader's flush inserts them and with its column defaults; committed with the
        student's grades. nbgrader builds them as ORM objects: ~50 ms a student."""
        db = self.gradebook.db
        assignment, layout = self._layout()
        submission = new_uuid()
        notebooks, grades, comments = [], [], []
        for notebook, grade_cells, comment_cells in layout.values():
            row = new_uuid()
            notebooks.append({"id": row, "assignment_id": submission, "notebook_id": notebook})
            grades += [{"id": new_uuid(), "notebook_id": row, "cell_id": cell} for cell in grade_cells]
            comments += [{"id": new_uuid(), "notebook_id": row, "cell_id": cell} for cell in comment_cells]
        db.execute(insert(SubmittedAssignment), [{
            "id": submission, "assignment_id": assignment, "student_id": student,
            "timestamp": parse_utc(timestamp) if timestamp else None}])
        for table, rows in ((SubmittedNotebook, notebooks), (Grade, grades), (Comment, comments)):
            if rows:
                db.execute(insert(table), rows)

    def _copy_files(self, src, dest, skip=()):
        for filename in find_all_files(str(src), self._ignore + ["*.ipynb"]):
            if filename in skip:
                continue
            target = dest / Path(filename).relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                target.unlink()
            shutil.copy(filename, target)

    def _not_overwritten(self):
        converter_config = self.course.config.get("Autograde", {})
        source = self.course.source_folder(self.assignment)
        return {str(source / f) for f in converter_config.get("exclude_overwriting", {}).get(self.assignment, [])}

    def _zero(self, student, notebook, flag=False, comment=None):
        """nbgrader's treatment of a missing notebook (every grade 0, nothing left to grade by hand);
        for an unreadable one also the flag and the reason."""
        submitted = self.gradebook.find_submission_notebook(notebook, self.assignment, student)
        for grade in submitted.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        if flag:
            submitted.flagged = True
            for c in submitted.comments:
                c.auto_comment = comment
        self.gradebook.db.commit()

    def _set_permissions(self, dest):
        for path in dest.rglob("*"):
            if path.is_file():
                path.chmod(self.pipeline.permissions)


def _clear(dest, kept):
    """Make ``dest`` an empty folder but for the files named in ``kept`` (nbgrader's --force removes it whole)."""
    if dest.exists():
        for entry in dest.iterdir():
            if entry.name in kept:
                continue
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    dest.mkdir(parents=True, exist_ok=True)
