"""A submission whose markup would run script in whoever opens its feedback or autograded copy.

Each attack calls ``alert('<name>')`` when it runs: on opening the page (``ON_OPEN``) or on a
click on the link text (``ON_CLICK``). ``hostile_markup_copy`` puts them everywhere a student can
write markup: the written answer (a markdown answer cell), a course markdown cell the student
edited, a markdown cell and a raw HTML cell the student added, and an HTML output of a code cell.
"""
import copy

import nbformat

from autograder.assignment import nbgrader_meta

ON_OPEN = {
    "img": "<img src=\"missing.png\" onerror=\"alert('img')\">",
    "script": "<script>alert('script')</script>",
    "svg": "<svg><g onload=\"alert('svg')\"></g></svg><svg onload=\"alert('svg')\"></svg>",
    "iframe": "<iframe srcdoc=\"<script>parent.alert('iframe')</script>\"></iframe>",
    "details": "<details open ontoggle=\"alert('details')\"><summary>s</summary>d</details>",
    "body": "<body onload=\"alert('body')\">",
    "focus": "<input autofocus onfocus=\"alert('focus')\">",
    "object": "<object data=\"javascript:alert('object')\"></object>",
    "style": "<style onload=\"alert('style')\">p {}</style>",
}
ON_CLICK = {
    "html-link": "<a href=\"javascript:alert('html-link')\">html-link</a>",
    "md-link": "[md-link](javascript:alert('md-link'))",
    "entity-link": "[entity-link](jav&#97;script:alert('entity-link'))",
    "autolink": "<javascript:alert('autolink')>",
}


def attacks(names):
    return "\n\n".join(f"{name}: {(ON_OPEN | ON_CLICK)[name]}" for name in names)


def hostile_markup_copy(nb):
    """A copy of the student notebook ``nb`` (a NotebookNode, left unchanged) with every attack in
    the places a student writes markup. The notebook must have a markdown answer cell."""
    nb = copy.deepcopy(nb)
    names = list(ON_OPEN) + list(ON_CLICK)
    written = next(c for c in nb.cells if c.cell_type == "markdown" and nbgrader_meta(c).get("solution"))
    written.source = "패딩은 앞쪽에 넣습니다.\n\n" + attacks(names[:5]) + "\n\n" + attacks(["md-link"])
    course = next(c for c in nb.cells if c.cell_type == "markdown" and not nbgrader_meta(c))
    course.source += "\n\n" + attacks(names[5:9]) + "\n\n" + attacks(["html-link"])
    added = nbformat.v4.new_markdown_cell(attacks(["entity-link", "autolink", "img", "svg"]))
    raw = nbformat.v4.new_raw_cell(attacks(["script", "img"]), metadata={"raw_mimetype": "text/html"})
    output_cell = nbformat.v4.new_code_cell("from IPython.display import HTML\nHTML('...')")
    output_cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": attacks(["img", "script"]), "application/javascript": "alert('javascript-output')",
        "text/plain": "<IPython.core.display.HTML object>"})]
    nb.cells[1:1] = [added, raw, output_cell]
    return nb
