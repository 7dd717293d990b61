"""Runs a student's answer cells in a separate, isolated process and calls their functions.

``runner.py`` is the only code that runs inside the sandbox (stdlib + numpy); ``wire.py``
encodes values for the pipe between the two sides; ``session.py`` starts, feeds and kills
the sandbox from the trusted grading process.
"""
from autograder.sandbox.session import SandboxSession

__all__ = ["SandboxSession"]
