"""The grading server (issue 8): students upload notebooks over HTTP and get their score.

Foundation (no web framework imported here; ``import autograder.server`` stays light):

  models.py       SQLAlchemy models: Student, Instructor, Submission (own ``Base``)
  db.py           Database(url): engine, session(), upgrade() to the Alembic head; default_url(course)
  migrations/     Alembic environment and versions (0001_initial)
  tokens.py       new_token, hash_token, find_account (tokens stored only as SHA-256 digests)
  storage.py      store_upload / read_upload / store_text: durable writes (fsync, os.replace)
  accounts.py     roster import, token reset, instructors (library functions)
  accounts_cli.py ``python -m autograder students ...`` / ``instructors ...``
"""
