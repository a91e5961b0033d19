"""Every control is proven both ways: a fixture where it fires and one where it does not.

Each `tests/fixtures/controls/<id>/{fires,quiet}.yaml` is a model whose first lines say
`# expect-fires: a, b` (elements with a finding of that control) and
`# expect-quiet: c` (elements without one).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from threatplan.analysis import analyze
from threatplan.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "controls"
CATALOG = load_catalog()
TODAY = datetime.date(2026, 11, 26)


def _expectations(path: Path) -> tuple[set[str], set[str]]:
    fires: set[str] = set()
    quiet: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("# ").partition(":")
        items = {v.strip() for v in value.split(",") if v.strip()}
        if key.strip() == "expect-fires":
            fires |= items
        elif key.strip() == "expect-quiet":
            quiet |= items
    return fires, quiet


def test_every_control_has_both_fixtures():
    for record in CATALOG:
        folder = FIXTURES / record.id
        assert (folder / "fires.yaml").is_file(), f"{record.id} has no fires.yaml"
        assert (folder / "quiet.yaml").is_file(), f"{record.id} has no quiet.yaml"
        assert _expectations(folder / "fires.yaml")[0], f"{record.id}/fires.yaml expects no finding"
        assert _expectations(folder / "quiet.yaml")[1], f"{record.id}/quiet.yaml expects no quiet element"


CASES = sorted((r.id, kind) for r in CATALOG for kind in ("fires", "quiet"))


@pytest.mark.parametrize("control,kind", CASES)
def test_control_fixture(control, kind):
    path = FIXTURES / control / f"{kind}.yaml"
    fires, quiet = _expectations(path)
    report = analyze([path], today=TODAY, catalog=CATALOG)
    hit = {f.element for f in report.findings if f.control == control}
    assert fires <= hit, f"{control} should fire on {sorted(fires - hit)} in {kind}.yaml"
    assert not (quiet & hit), f"{control} should stay quiet on {sorted(quiet & hit)} in {kind}.yaml"
    for f in report.findings:
        if f.control == control:
            assert f.applies_because and f.fails_because and f.formula
