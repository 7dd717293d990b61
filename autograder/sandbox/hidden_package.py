"""Bound inside bubblewrap as ``__init__.py`` of every hidden package (keras, tensorflow, ...).

Blanking a package directory alone would leave an empty folder that Python imports as a
namespace package; this file makes the import fail the way a missing package does.
"""
raise ModuleNotFoundError(f"No module named {__name__!r} (채점 샌드박스에서는 쓸 수 없습니다)",
                          name=__name__)
