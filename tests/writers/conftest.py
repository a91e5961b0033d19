"""Fixtures for the writer tests: one shared Report fed to every writer, golden files.

`pytest tests/writers --update-golden` (or THREATPLAN_UPDATE_GOLDEN=1 pytest) rewrites the
golden files in tests/golden/ from the current output instead of comparing against them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sample_report import CATALOG, TODAY, make_report
from threatplan.results import Report

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def pytest_addoption(parser):
    try:
        parser.addoption("--update-golden", action="store_true", default=False,
                         help="rewrite golden files in tests/golden/ from the current output")
    except ValueError:  # already registered by a conftest higher up
        pass


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def empty_report() -> Report:
    return Report(systems=(), today=TODAY, catalog=CATALOG)


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/NAME, or rewrite it under --update-golden."""
    try:
        update = request.config.getoption("--update-golden")
    except ValueError:
        update = False
    update = update or os.environ.get("THREATPLAN_UPDATE_GOLDEN") == "1"

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from {path}; run pytest --update-golden if intended"

    return check
