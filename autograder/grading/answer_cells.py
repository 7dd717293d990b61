"""Which code of a submitted notebook runs at grading (the rule every notebook states at its top).

The rule, from the student's chair ("what I ran in Jupyter is what gets graded, as far as the
grader can run it without Keras"):

1. The answer to function F is the LAST cell, in notebook order, that defines ``def F`` at
   top level, as in the kernel after Restart & Run All. If no cell defines it (a syntax error
   that hides the def, say), the cell with F's nbgrader grade id, else the cell with the
   release's cell id of F's answer cell. That cell runs whole.
2. The code the notebook provides (constants and helpers such as ``NUM_WORDS``, ``OOV``,
   ``limit_vocab``) runs first, taken from the SOURCE notebook, never from the student's
   copy: only its top-level imports, ``def``/``class`` and constant assignments, and only from
   cells that import no Keras/TensorFlow (example and self-check cells do not run).
3. The student's own other cells contribute the same kind of statements (imports, ``def``,
   ``class``, constants), in notebook order, unless the cell imports Keras/TensorFlow; they
   cannot rebind a name the notebook provides.
4. Never run: test cells (by grade id, cell id, or a ``run_public_tests(...)`` call), the student's
   copies of provided cells, and every other statement (loading data, prints, calls).

``grading_plan`` applies it; its notes explain a ``NameError`` for a name the submission
defines somewhere that does not run, and name the graded cell when it moved.
"""
import ast
import functools
import re
from dataclasses import dataclass, field

from autograder.assignment import is_answer_cell, nbgrader_meta
from autograder.grading.feedback import shorten
from autograder.sandbox.wire import forbidden_for

PROVIDED_LABEL = "노트북 제공 코드"
NAME_ERROR = re.compile(r"name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")


def imports_forbidden(source, allows=()):
    """True when the code imports keras/tensorflow/jax/torch or the grader (static check); ``allows``: the
    notebook's sandbox_allows (e.g. ("keras",) opens keras and its backends, never the grader)."""
    forbidden = forbidden_for(allows)
    tree = _parse(source)
    if tree is None:
        return False
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ("__import__", "import_module") and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        if any(n.split(".")[0] in forbidden for n in names):
            return True
    return False


def _source(cell):
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


@functools.lru_cache(maxsize=4096)
def _parse(source):
    """The cell's syntax tree, or None (kept per source: a class's copies share most cells; never mutated)."""
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def defined_functions(source):
    """Names of the top-level ``def``s of a cell (found by a regex when the cell does not parse)."""
    tree = _parse(source)
    if tree is None:
        return set(re.findall(r"^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(", source, re.M))
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _bound_names(node):
    """Names a top-level statement binds (outside function and class bodies)."""
    names = set()
    for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else [node]:
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(sub.name)
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in sub.names if a.name != "*"}
    return names


def _is_constant(expr, known):
    """A value fixed by the text: literals, containers and arithmetic of them, names already
    defined and their attributes (``np.float64``); no calls, subscripts or comprehensions."""
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return all(_is_constant(e, known) for e in expr.elts)
    if isinstance(expr, ast.Dict):
        return all(k is not None and _is_constant(k, known) for k in expr.keys) and \
            all(_is_constant(v, known) for v in expr.values)
    if isinstance(expr, ast.UnaryOp):
        return _is_constant(expr.operand, known)
    if isinstance(expr, ast.BinOp):
        return _is_constant(expr.left, known) and _is_constant(expr.right, known)
    if isinstance(expr, ast.Name):
        return expr.id in known
    if isinstance(expr, ast.Attribute):
        return _is_constant(expr.value, known)
    return False


def _targets_are_names(targets):
    return all(isinstance(t, ast.Name) or (isinstance(t, (ast.Tuple, ast.List)) and
                                             all(isinstance(e, ast.Name) for e in t.elts)) for t in targets)


def _is_definition(node, known):
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Assign):
        return _targets_are_names(node.targets) and _is_constant(node.value, known)
    if isinstance(node, ast.AnnAssign):
        return node.value is not None and isinstance(node.target, ast.Name) and node.simple \
            and _is_constant(node.value, known)
    return False


def definitions(source, known=(), exclude=()):
    """(code, bound, skipped) for a non-answer cell: ``code`` keeps only the cell's top-level
    imports, ``def``/``class`` and constant assignments, other lines blanked so line numbers
    still match the cell; ``known``: names already defined; statements binding a name in
    ``exclude`` are dropped. ``bound``: names the kept code binds; ``skipped``: names bound by
    statements that do not run (both frozensets)."""
    return _definitions(source, frozenset(known), frozenset(exclude))


@functools.lru_cache(maxsize=4096)
def _definitions(source, known, exclude):
    """definitions(), kept per (source, known, exclude): a class's copies share most cells."""
    tree = _parse(source)
    if tree is None:
        skipped = set(re.findall(r"^([A-Za-z_]\w*)\s*=", source, re.M)) | defined_functions(source)
        return "", frozenset(), frozenset(skipped)
    lines = source.splitlines()
    keep = [""] * len(lines)
    known, bound, skipped = set(known), set(), set()
    starts = [min([n.lineno] + [d.lineno for d in getattr(n, "decorator_list", [])]) for n in tree.body]
    for i, node in enumerate(tree.body):
        names = _bound_names(node)
        shares_line = (i > 0 and tree.body[i - 1].end_lineno >= starts[i]) or \
            (i + 1 < len(tree.body) and starts[i + 1] <= node.end_lineno)
        if not _is_definition(node, known) or names & set(exclude):
            skipped |= names
            continue
        if shares_line:  # ``A = 1; print(A)``: keep this statement alone, on its first line
            keep[starts[i] - 1] = ast.unparse(node).replace("\n", " ") if not isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else ""
            if not keep[starts[i] - 1]:
                skipped |= names
                continue
        else:
            keep[starts[i] - 1:node.end_lineno] = lines[starts[i] - 1:node.end_lineno]
        known |= names
        bound |= names
    code = "\n".join(keep).rstrip()
    return (code + "\n" if code else ""), frozenset(bound), frozenset(skipped - bound)


@dataclass(frozen=True)
class GradedCell:
    """The cell graded for a function: its 0-based position in the submission, its label in
    the sandbox, its source, and whether it is not the original answer cell."""

    index: int
    label: str
    source: str
    moved: bool
    original_found: bool


@dataclass(frozen=True)
class GradingPlan:
    """cells: ((label, source), ...) the sandbox executes in this order; graded: {function:
    GradedCell}; elsewhere: {name: Korean phrase saying where the submission defines it and
    why that does not run}; allows: the notebook's sandbox_allows."""

    cells: tuple
    graded: dict
    elsewhere: dict = field(default_factory=dict)
    allows: frozenset = frozenset()

    def label(self, function):
        cell = self.graded.get(function)
        return cell.label if cell else function

    def forbidden(self, function):
        """True when the graded cell of ``function`` imports Keras/TensorFlow."""
        cell = self.graded.get(function)
        return cell is not None and imports_forbidden(cell.source, self.allows)

    def notes(self, function, errors=()):
        """Korean lines for the feedback: the moved graded cell, names defined where grading does not run."""
        lines = []
        cell = self.graded.get(function)
        if cell is not None and cell.moved:
            shown = [ln.strip() for ln in cell.source.splitlines() if ln.strip()]
            line = next((ln for ln in shown if ln.startswith(f"def {function}")), shown[0] if shown else "")
            why = (f"원래 답안 셀이 아니라, `def {function}`를 마지막으로 정의한 셀입니다" if cell.original_found
                   else f"원래 답안 셀 표시(nbgrader 메타데이터)가 없어 `def {function}`가 있는 셀을 채점했습니다")
            lines.append(f"채점한 셀: 위에서 {cell.index + 1}번째 셀 (`{shorten(line)}`). {why}.")
        seen = set()
        for err in errors:
            if err is None or err.kind != "NameError":
                continue
            for name in NAME_ERROR.findall(err.message):
                if name in self.elsewhere and name not in seen:
                    seen.add(name)
                    lines.append(f"`{name}`는 답안 셀 밖에서 정의되어 채점 때 없습니다: {self.elsewhere[name]}. "
                                 f"채점 때는 답안 셀 전체와, 다른 셀의 import·함수 정의·상수만 실행됩니다 "
                                 f"(노트북 맨 위 '채점 때 실행되는 코드'). `{name}`를 답안 셀 안에서 정의하세요.")
        return lines


def _is_test_cell(cell, spec):
    meta = nbgrader_meta(cell)
    if meta.get("grade") and not meta.get("solution"):
        return True
    if cell.get("id") in spec.test_cell_ids:
        return True
    tree = _parse(_source(cell))
    return tree is not None and any(
        isinstance(n, ast.Expr) and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name)
        and n.value.func.id == "run_public_tests" for n in tree.body)


def _original_answer_index(cells, function, spec):
    for i, cell in enumerate(cells):
        if nbgrader_meta(cell).get("grade_id") == function and is_answer_cell(cell):
            return i
    cell_id = spec.answer_cell_ids.get(function)
    return next((i for i, c in enumerate(cells) if cell_id and c.get("id") == cell_id), None)


def provided_code(spec, exclude=()):
    """((label, code), ...), bound names: the definitions of the notebook's provided cells (from the source)."""
    cells, bound = [], set()
    for _, source in spec.provided:
        if imports_forbidden(source, spec.sandbox_allows):
            continue
        code, names, _ = definitions(source, bound, exclude)
        if code:
            cells.append((PROVIDED_LABEL, code))
            bound |= names
    return tuple(cells), bound


def grading_plan(nb, spec):
    """The GradingPlan of a submitted notebook ``nb`` for its NotebookSpec ``spec`` (rule above)."""
    cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    position = {id(c): i for i, c in enumerate(nb.get("cells", []))}
    sources = [_source(c) for c in cells]
    tests = [_is_test_cell(c, spec) for c in cells]
    defines = [set() if test else defined_functions(s) for s, test in zip(sources, tests)]
    graded = {}
    for function in spec.answer_ids:
        original = _original_answer_index(cells, function, spec)
        defining = [i for i, names in enumerate(defines) if function in names]
        chosen = defining[-1] if defining else original
        if chosen is None:
            continue
        graded[function] = (chosen, chosen != original, original is not None)
    labels = {}
    for function, (i, _, _) in graded.items():
        labels.setdefault(i, function)

    provided, provided_names = provided_code(spec, exclude=set(spec.answer_ids))
    run, known = list(provided), set(provided_names)
    provided_ids = {cell_id for cell_id, _ in spec.provided if cell_id}
    elsewhere = {}
    for i, cell in enumerate(cells):
        where = f"위에서 {position[id(cell)] + 1}번째 셀"
        if i in labels:
            run.append((labels[i], sources[i]))
            continue
        if tests[i]:
            continue
        if cell.get("id") in provided_ids:
            reason = f"{where}(노트북이 준 셀의 여러분 사본)은 채점 때 원본 노트북의 코드로 바뀌고, 원본에서도 import·함수 정의·상수만 실행됩니다"
            for name in definitions(sources[i])[1] | definitions(sources[i])[2]:
                if name not in known:
                    elsewhere.setdefault(name, reason)
            continue
        if imports_forbidden(sources[i], spec.sandbox_allows):
            code, bound, skipped = definitions(sources[i])
            for name in bound | skipped:
                elsewhere.setdefault(name, f"{where}은 keras/tensorflow를 불러오는 셀이라 채점 때 실행되지 않습니다")
            continue
        code, bound, skipped = definitions(sources[i], known, exclude=provided_names | set(spec.answer_ids))
        if code:
            run.append((f"{position[id(cell)] + 1}번째 셀 (import·정의만)", code))
            known |= bound
        for name in skipped - known:
            elsewhere.setdefault(name, f"{where}에서 만들지만, 그 줄은 import·함수 정의·상수가 아니라 채점 때 실행되지 않습니다")
    graded_cells = {f: GradedCell(position[id(cells[i])], labels[i], sources[i], moved, found)
                    for f, (i, moved, found) in graded.items()}
    return GradingPlan(tuple(run), graded_cells, {k: v for k, v in elsewhere.items() if k not in known},
                       spec.sandbox_allows)
