"""Sample submissions and a throwaway nbgrader course: what the demo, the tests and the benchmarks grade.

  wrong_answers.py  typical wrong answers (each names the known mistake its feedback must show),
                    hostile ones (each must cost only its own part), a multi-process memory hog
  submissions.py    students' copies: the release notebook with chosen answer cells filled
  course.py         a course folder driven by nbgrader's real CLI, and its gradebook's scores
  classroom.py      a synthetic class of N students with a realistic mix
  scans.py          paper answer sheets marked and degraded like copier scans and phone photos
  services.py       the project's own services started and stopped on loopback
  __main__.py       python -m samples course DIR / class DIR --students N (the README's getting started)
Not part of the grading library: nothing in ``autograder``, ``reference`` or ``quizzes`` imports it.
"""
