"""The example systems in model/ are the embedded default input and the demo site.

They must load with the real loader, validate against the published JSON Schema, and
keep showing what the product can do (stale reviews, expired and expiring acceptances).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from threatplan.loading import load_paths

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "model"
EXAMPLES = sorted(MODEL.glob("*.yaml"))
SCHEMA_HEADER = "# yaml-language-server: $schema=../schema/threatplan-model.schema.json"
TODAY = dt.date(2026, 11, 26)

CONTROL_IDS = {
    "crypto.secure-random", "auth.mfa", "auth.credential-rotation", "auth.password-policy",
    "auth.no-default-credentials", "auth.standard-protocols", "auth.no-basic-auth",
    "auth.rate-limit", "auth.generic-errors", "auth.centralized-identity",
    "access.least-privilege", "access.no-root", "access.service-accounts",
    "access.group-permissions", "network.internal-admin-access",
    "network.no-exposed-internal-services", "network.restricted-internal-access",
    "cookies.secure", "cookies.samesite", "cookies.httponly", "network.strict-access-rules",
    "process.threat-modeling", "network.ddos-protection", "process.penetration-testing",
    "transport.tls-only", "network.segmentation", "network.egress-restricted", "secrets.vault",
    "cloud.metadata-protection", "transport.encryption-in-transit", "logging.no-secrets",
    "data.no-plaintext-secrets", "supply-chain.image-scanning", "patching.automatic-updates",
    "auth.short-lived-tokens",
}


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["THREATPLAN_TODAY"] = TODAY.isoformat()
    return subprocess.run([sys.executable, "-m", "threatplan", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def _jsonable(value):
    """YAML dates become ISO strings, as a JSON document would carry them."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_there_are_at_least_three_examples():
    names = {p.stem for p in EXAMPLES}
    assert {"webshop", "admin-tool", "mobile-backend"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_loads_with_the_real_loader(path: Path):
    systems, warnings = load_paths([path])
    assert len(systems) == 1
    system = systems[0]
    assert system.id == _raw(path)["system"]["id"]
    assert not [w for w in warnings if getattr(w, "severity", "warning") == "error"]
    assert 10 <= len(system.model.components) <= 25


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_starts_with_the_schema_modeline(path: Path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_HEADER


def test_cli_validates_the_whole_model_folder():
    result = _cli("validate", "model/")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def emitted_schema() -> dict:
    result = _cli("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_matches_the_emitted_json_schema(path: Path, emitted_schema: dict):
    validator = jsonschema.Draft202012Validator(emitted_schema)
    errors = sorted(validator.iter_errors(_jsonable(_raw(path))), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_system_ids_are_unique():
    ids = [_raw(p)["system"]["id"] for p in EXAMPLES]
    assert len(ids) == len(set(ids)), ids


def test_examples_only_use_catalog_control_ids():
    used: set[str] = set()
    for path in EXAMPLES:
        doc = _raw(path)
        used |= set(doc["system"].get("controls", {}))
        for section in ("components", "flows"):
            for element in doc.get(section, []):
                used |= set(element.get("controls", {}))
        used |= {a["control"] for a in doc.get("accepted", [])}
    assert used <= CONTROL_IDS, sorted(used - CONTROL_IDS)


def test_examples_show_every_kind_of_control_status():
    statuses: set[str] = set()
    for path in EXAMPLES:
        systems, _ = load_paths([path])
        model = systems[0].model
        for element in [model.system, *model.components, *model.flows]:
            for entry in element.controls.values():
                statuses.add(entry if isinstance(entry, str) else entry.status)
    assert statuses == {"implemented", "partial", "planned", "missing", "not-applicable"}


def test_examples_show_review_dates_recent_and_stale():
    recent = stale = 0
    for path in EXAMPLES:
        info = _raw(path)["system"]
        dates = [info.get("reviewed"), info.get("pentested")]
        if all(d and (TODAY - d).days <= 365 for d in dates):
            recent += 1
        if any(d is None or (TODAY - d).days > 365 for d in dates):
            stale += 1
    assert recent >= 1 and stale >= 1


def test_examples_show_current_expiring_and_expired_acceptances():
    expiries = [a["expires"] for p in EXAMPLES for a in _raw(p).get("accepted", [])]
    assert any(e.year == 2027 for e in expiries)
    assert any(e < TODAY for e in expiries), "an expired acceptance"
    assert any(TODAY <= e <= TODAY + dt.timedelta(days=30) for e in expiries), "one expiring soon"


def test_examples_nest_zones_and_have_several_owners():
    owners: set[str] = set()
    nested = False
    for path in EXAMPLES:
        doc = _raw(path)
        nested |= any("parent" in z for z in doc["zones"])
        owners |= {c["owner"] for c in doc["components"] if "owner" in c}
    assert nested
    assert len(owners) >= 5


# --- what the examples make the engine show ------------------------------------------------

APPLICABLE = {"satisfied", "satisfied-by-facts", "gap"}
SATISFIED = {"satisfied", "satisfied-by-facts"}


@pytest.fixture(scope="module")
def report():
    from threatplan.analysis import analyze

    return analyze([MODEL], TODAY)


def test_every_spec_control_is_applicable_somewhere(report):
    outcomes: dict[str, set[str]] = {}
    for system in report.systems:
        for check in system.checks:
            outcomes.setdefault(check.control, set()).add(check.outcome)
    never = sorted(c for c in CONTROL_IDS if not outcomes.get(c, set()) & APPLICABLE)
    assert not never, f"controls no example system makes applicable: {never}"
    satisfied = {c for c in CONTROL_IDS if outcomes[c] & SATISFIED}
    open_ = {c for c in CONTROL_IDS if "gap" in outcomes[c]}
    # The demo shows both sides: most controls are met somewhere and missed somewhere else.
    assert len(satisfied & open_) >= 30, sorted(CONTROL_IDS - (satisfied & open_))


def test_every_example_has_satisfied_controls_and_open_findings(report):
    assert {s.id for s in report.systems} == {_raw(p)["system"]["id"] for p in EXAMPLES}
    for system in report.systems:
        assert any(c.outcome in SATISFIED for c in system.checks), system.id
        assert any(f.status == "open" for f in system.findings), system.id


def test_check_json_shows_every_acceptance_state():
    result = _cli("check", "model/", "--format", "json")
    assert result.returncode == 1, result.stderr  # the examples have open high findings
    data = json.loads(result.stdout)
    statuses = {f["status"] for s in data["systems"] for f in s["findings"]}
    assert statuses == {"open", "accepted", "expired-acceptance"}
    for system in data["systems"]:
        for finding in system["findings"]:
            assert finding["file"] == f"model/{Path(finding['file']).name}"
            assert finding["line"] >= 1
