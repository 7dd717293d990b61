"""Hidden graders: one pytest module per exercise function (``test_<function>.py``).

A module names its ``FUNCTION``, builds its cases (fixed edge cases plus seeded random ones),
lists the known mistakes it can recognise, and has one parametrized test that asks the
``student`` fixture for the function's output on a case and checks it against
``autograder.reference`` (real Keras) with the helpers in ``checks.py``.
"""
