"""Chapter 9 quiz bank and handouts: per-student variants, answer keys, LMS exports, scoring.

Run ``python -m quizzes --help``. The bank is YAML under ``quizzes/bank`` (schema in
``quizzes/schema``); parameterized items are in ``quizzes.parametric``.
"""
