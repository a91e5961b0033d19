"""The wheel carries the catalog, reference tables and site assets: `pip install threatplan`
works outside this repository."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out)], check=True, capture_output=True, timeout=300)
    (whl,) = out.glob("threatplan-*.whl")
    return whl


def test_wheel_contains_the_catalog_and_assets(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    controls = [n for n in names if n.startswith("threatplan/catalog_data/") and n.endswith(".yaml")]
    assert len(controls) == len(list((ROOT / "threats").rglob("*.yaml")))
    assert any(n.startswith("threatplan/refdata/") for n in names)
    assert "threatplan/site/assets/iframe-worker/shim.js" in names


def test_installed_wheel_works_outside_the_repository(wheel, tmp_path):
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1", "THREATPLAN_TODAY": "2026-11-26"}
    work = tmp_path / "work"
    work.mkdir()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "threatplan", *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=120)

    where = subprocess.run([sys.executable, "-c", "import threatplan; print(threatplan.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True).stdout
    assert where.startswith(str(site))
    assert run("explain", "secrets.vault").returncode == 0
    assert run("init", ".").returncode == 0
    proc = run("check", "model/", "--format", "json", "--fail-on", "none")
    assert proc.returncode == 0, proc.stderr
