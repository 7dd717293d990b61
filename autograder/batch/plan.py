"""What a batch grades: each student's submitted folder, fingerprinted."""
import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from nbgrader.utils import find_all_files


@dataclass(frozen=True)
class StudentSubmission:
    """student: the id; notebooks: {name: path} of its *.ipynb; fingerprint: digest of every file it holds."""

    student: str
    notebooks: dict
    fingerprint: str


def fingerprint(folder, ignore):
    """sha256 over the relative names and bytes of every file in ``folder`` (nbgrader's ignore globs applied)."""
    digest = hashlib.sha256()
    for path in sorted(find_all_files(str(folder), list(ignore))):
        digest.update(str(Path(path).relative_to(folder)).encode() + b"\0")
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()


def plan(course, assignment, students=None):
    """[StudentSubmission] for the students with a submitted folder (only ``students`` when given)."""
    found = course.students_submitted(assignment)
    wanted = found if not students else [s for s in found if s in set(students)]
    result = []
    for student in wanted:
        folder = course.folder("submitted", student, assignment)
        notebooks = {p.stem: p for p in sorted(folder.glob("*.ipynb"))}
        result.append(StudentSubmission(student, notebooks, fingerprint(folder, course.coursedir.ignore)))
    return result


def grader_version(course, assignment, settings_text):
    """A digest of everything that decides a grade besides the submission: the grading code, the
    Keras references, the assignment's source notebooks, and the grading settings."""
    digest = hashlib.sha256(settings_text.encode())
    for package in ("autograder", "reference"):  # found, not imported (importing reference imports Keras)
        root = Path(importlib.util.find_spec(package).origin).parent
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".ini") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + hashlib.sha256(path.read_bytes()).digest())
    digest.update(fingerprint(course.source_folder(assignment), course.coursedir.ignore).encode())
    return digest.hexdigest()[:16]
