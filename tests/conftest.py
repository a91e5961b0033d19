"""Shared fixtures: paths and a helper to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "model"
TODAY = "2026-11-26"


@pytest.fixture
def run_cli():
    """Run `python -m threatplan ARGS` in a folder; return the completed process."""
    def run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "NO_COLOR": "1", "THREATPLAN_TODAY": TODAY, **(env or {})}
        return subprocess.run([sys.executable, "-m", "threatplan", *args], cwd=cwd, env=full_env,
                              capture_output=True, text=True, timeout=300)
    return run


def pytest_addoption(parser):
    """`--update-golden` rewrites golden files instead of comparing with them."""
    try:
        parser.addoption("--update-golden", action="store_true", default=False,
                         help="rewrite golden files from the current output")
    except ValueError:  # already registered by a nested conftest
        pass
