"""JSON report (SPEC section 4): `{"systems": [{"id", "score", "findings": [...]}]}`."""

from __future__ import annotations

import json

from threatplan.results import Report

__all__ = ["render"]


def render(report: Report, **_options) -> str:
    """The report as indented, key-sorted JSON."""
    return json.dumps(report.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
