"""JSON report (SPEC section 4): `{"systems": [{"id", "score", "findings": [...]}]}`.

The outer structure is indented for reading and diffing; each finding, fix and path is
one line. This keeps the output reviewable and lets the C encoder do the bulk of the work
(`indent=` would force the pure-Python encoder: 20 s instead of 2 s at 10,000 components).
"""

from __future__ import annotations

import json

from threatplan.results import Report

__all__ = ["render", "dumps"]

_FLAT_DEPTH = 4
"""Values nested this deep or deeper are written on one line."""
_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def dumps(value, depth: int = 0) -> str:
    """JSON indented near the top, one line per deep value; keys keep their (fixed) order."""
    pad = "  " * (depth + 1)
    if isinstance(value, dict) and value and depth < _FLAT_DEPTH:
        items = [f"{pad}{_compact(str(k))}: {dumps(value[k], depth + 1)}" for k in value]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    if isinstance(value, list) and value and depth < _FLAT_DEPTH and any(
            isinstance(v, (dict, list)) for v in value):
        items = [pad + dumps(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    return _compact(value)


def render(report: Report, **_options) -> str:
    """The report as deterministic JSON."""
    return dumps(report.to_json()) + "\n"
