"""nbgrader's course model, written the way ``nbgrader autograde`` writes it, by one process.

  course.py         an nbgrader course folder: its config, directories, gradebook URL
  snapshot.py       what the gradebook knows of an assignment's source cells, copied once (travels to workers)
  preprocessors.py  nbgrader's own preprocessors, re-seated: source-cell checks read the snapshot,
                    gradebook writes use the writer's one session
  pipeline.py       a worker's part: sanitize -> grade -> autograded notebook text (nbgrader's pipeline)
  writer.py         the one writer's part: gradebook rows, autograded/ files, late penalties
The class autograder (``autograder.batch``) and the grading server both grade through these.
"""
