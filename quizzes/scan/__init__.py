"""``python -m quizzes scan``: answer sheets read back from copier scans and phone photos.

``images`` (files -> page images), ``locate`` (QR code and corner marks -> where the sheet lies),
``marks`` (each box's ink -> marked, empty, erased, doubtful; a row's answer), ``review`` (the
review list, its HTML page, the instructor's decisions), ``run`` (the whole pass and its summary).
"""
