"""Runs the grader modules on one submission: one result per case.

``run_graders(functions, answers, seed)`` runs ``graders/<function>.py`` for each function, with
``answers`` (a callable ``answers(function, *args, **kwargs)``) as what the graders call, and
returns a FunctionReport per function: the case results and the module's ``HINTS``.

How a score is made (the same code gets the same score, on every upload and for every student):
a function's score comes from its SCORING cases only: the grader's ``cases(rng)`` drawn from one
fixed stream (``cases.SCORING``), the same for every run, whatever the seed; the fixed examples
among them are shown in full in the feedback, the random ones never (neither arguments nor
expected values), so they cannot be looked up and handed in. The ``seed`` draws EXAMPLES: fresh
random cases (a new seed per upload on the server) run only for a function that failed a scoring
case, shown in the feedback with their calls to say what is wrong, never counted in the score.

The grader modules are pytest test modules (``grade(case, answers)``, parametrized over
``cases(rng)``; pytest collects them through graders/pytest.ini, and the test suite runs them
under pytest against the instructor's solution). Grading a notebook does what pytest would do
with them, once per process instead of once per notebook: import each module and build its cases
for a stream once (a GraderModule, kept per process), then call ``grade`` per case and sort what
it raises. pytest's own session (config, plugins, collection, reports) cost ~0.3 s a notebook and
told the grader nothing it uses.
"""
import importlib
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from autograder.grading.cases import SCORING, case_rng, same_case
from autograder.grading.checks import CaseFailed
from autograder.errors import GraderFault, StudentError

MAX_COLLECTED = 512  # (function, stream) pairs a process keeps collected: the scoring stream, and the examples' seeds


@dataclass
class CaseResult:
    """The outcome of one case.

    failure: the CaseFailed when the output was wrong; error: the StudentError when the code
    itself failed; public: the case is the same for every seed (a fixed example), so its expected
    value may be shown. A fault of the grader is no case result: it is raised (GraderFault).
    """

    function: str
    case: object
    passed: bool
    failure: CaseFailed | None = None
    error: StudentError | None = None
    public: bool = True

    @property
    def mistake(self):
        """The known-mistake key the output matched, or None."""
        return self.failure.mistake if self.failure is not None else None


@dataclass
class FunctionReport:
    """One function's grading: ``cases``, the scoring cases' results (what the score is made of);
    ``examples``, results of the seed's fresh random cases (only when a scoring case failed: they
    show what is wrong, never count); ``hints``: {error kind: Korean hint} from its module."""

    function: str
    hints: dict
    cases: list = field(default_factory=list)
    examples: list = field(default_factory=list)

    @property
    def passed(self):
        return all(r.passed for r in self.cases)


def _frozen(value):
    """The case's arrays made read-only: a case is built once and graded for every notebook."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _frozen(v)
    elif isinstance(value, dict):
        for v in value.values():
            _frozen(v)


@dataclass(frozen=True)
class GraderModule:
    """One grader module with its cases drawn from one stream (SCORING, or a seed); public[i]: case i
    is the same in every stream (a fixed example)."""

    function: str
    module: object
    cases: tuple
    public: tuple

    @classmethod
    def collect(cls, function, stream):
        module = importlib.import_module(f"autograder.graders.{function}")
        cases = module.cases(case_rng(function, stream))
        others = module.cases(case_rng(function, f"{stream}/other"))
        for case in cases:
            _frozen((case.args, case.kwargs))
        return cls(function, module, tuple(cases), tuple(same_case(c, o) for c, o in zip(cases, others)))

    def run(self, answers, random_only=False):
        """[CaseResult] of every case (random_only: of the random ones, the fixed examples left out)."""
        results = []
        for case, public in zip(self.cases, self.public):
            if random_only and public:
                continue
            result = _outcome(self.function, case, lambda: self.module.grade(case, answers))
            result.public = public
            results.append(result)
        return results


def _outcome(function, case, grade):
    """The case's result; what is neither the student's wrong output nor the student's failing code
    (the sandbox, the grader's own code, a reference, memory of this process) is a GraderFault."""
    try:
        grade()
    except CaseFailed as exc:
        return CaseResult(function, case, False, failure=exc)
    except StudentError as exc:
        return CaseResult(function, case, False, error=exc)
    except GraderFault:
        raise
    except Exception as exc:  # noqa: BLE001 - the grader's own fault: never a lost case
        raise GraderFault(f"채점기 {function} 오류 (grader error in {function}: "
                          f"{type(exc).__name__}: {str(exc)[:200]})") from exc
    return CaseResult(function, case, True)


_COLLECTED = OrderedDict()  # (function, seed) -> GraderModule, least recently used dropped first


def grader_module(function, stream):
    """The collected grader of ``function`` for ``stream`` (built once per process and stream)."""
    key = (function, stream)
    if key not in _COLLECTED:
        _COLLECTED[key] = GraderModule.collect(function, stream)
        if len(_COLLECTED) > MAX_COLLECTED:
            _COLLECTED.popitem(last=False)
    _COLLECTED.move_to_end(key)
    return _COLLECTED[key]


def run_graders(functions, answers, seed=0):
    """{function: FunctionReport}: every scoring case of each function's grader module, in order; and,
    for a function that failed one, the random examples ``seed`` draws."""
    from reference import configure_backend  # Keras: imported by the first grading, not by whoever loads the course config

    configure_backend()
    reports = {}
    for function in functions:
        module = grader_module(function, SCORING)
        report = reports[function] = FunctionReport(function, getattr(module.module, "HINTS", {}), module.run(answers))
        if not report.passed:
            report.examples = grader_module(function, seed).run(answers, random_only=True)
    return reports
