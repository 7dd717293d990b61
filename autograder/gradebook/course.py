"""An nbgrader course folder as nbgrader itself reads it (its ``nbgrader_config.py``)."""
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"


class CourseError(Exception):
    """The folder is not a usable nbgrader course (a one-line reason)."""


class NbgraderCourse:
    """root: the course folder; config: its loaded nbgrader config; coursedir: nbgrader's CourseDirectory."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        if not (self.root / CONFIG_FILE).is_file():
            raise CourseError(f"{self.root}: {CONFIG_FILE}가 없어 nbgrader 과정 폴더가 아닙니다 "
                              f"(no {CONFIG_FILE}: not an nbgrader course folder; use --course)")
        self.config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        self.config.CourseDirectory.root = str(self.root)
        self.coursedir = CourseDirectory(config=self.config)

    @property
    def db_url(self):
        return self.coursedir.db_url

    @property
    def course_id(self):
        return self.coursedir.course_id

    def folder(self, step, student, assignment):
        """<root>/<step>/<student>/<assignment> for an nbgrader step: "submitted" or "autograded"."""
        directory = {"submitted": self.coursedir.submitted_directory, "autograded": self.coursedir.autograded_directory}[step]
        return Path(self.coursedir.format_path(directory, student, assignment))

    def source_folder(self, assignment):
        return Path(self.coursedir.format_path(self.coursedir.source_directory, ".", assignment))

    def students_submitted(self, assignment):
        """Student ids with a submitted/<student>/<assignment>/ folder, sorted."""
        base = self.root / self.coursedir.submitted_directory
        return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir())
