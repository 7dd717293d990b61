"""Fault injection for tests: put this folder on PYTHONPATH of a process the test starts.

AUTOGRADER_TEST_FAULT="<grader>:<kind>" makes ``autograder.graders.<grader>.grade`` raise in every
process that imports it (the CLI, nbgrader, Dask workers, the server; never the sandbox, whose
Python runs isolated): kind "raise" a RuntimeError (a bug in a grader), "memory" a MemoryError
(the trusted side out of memory). Nothing happens without the variable.
"""
import importlib.abc
import importlib.util
import os
import sys

_WANTED = os.environ.get("AUTOGRADER_TEST_FAULT")


class _Inject(importlib.abc.MetaPathFinder):
    def __init__(self, grader, kind):
        self.module, self.kind = f"autograder.graders.{grader}", kind

    def find_spec(self, name, path=None, target=None):
        if name != self.module:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        error = MemoryError if self.kind == "memory" else RuntimeError

        def exec_module(module):
            run(module)

            def grade(case, answers):
                raise error(f"injected {self.kind} fault in {name}")

            module.grade = grade

        spec.loader.exec_module = exec_module
        return spec


if _WANTED:
    _grader, _, _kind = _WANTED.partition(":")
    sys.meta_path.insert(0, _Inject(_grader, _kind or "raise"))
