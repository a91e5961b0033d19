"""Golden JSON of the example systems: any change to findings, scores or plans shows up in
review. Refresh with `pytest tests/test_golden_examples.py --update-golden` after an intended
change to model/, threats/ or the engine, and read the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

from threatplan.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden" / "examples-check.json"


def test_examples_match_golden_json(request, capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    monkeypatch.setenv("THREATPLAN_TODAY", "2026-11-26")
    main(["check", "model/", "--format", "json"])
    out = capsys.readouterr().out
    json.loads(out)
    if request.config.getoption("--update-golden") or os.environ.get("THREATPLAN_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8"), "examples changed: rerun with --update-golden and review"
