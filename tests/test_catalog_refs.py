"""The built-in control catalog (threats/): completeness, shape and real references.

Every record is read with yaml.safe_load only. References are checked against real sources:
CWE ids against the catalog shipped in the `cwe2` package, OWASP Top 10 2021, ASVS 4.0.3
and NIST SP 800-53 rev. 5 ids against the tables in src/threatplan/refdata/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
THREATS = ROOT / "threats"
REFDATA = ROOT / "src" / "threatplan" / "refdata"

# SPEC.md section 3: the ids fixed for the article's controls.
SPEC_IDS = {
    "crypto.secure-random",
    "auth.mfa", "auth.credential-rotation", "auth.password-policy", "auth.no-default-credentials",
    "auth.standard-protocols", "auth.no-basic-auth", "auth.rate-limit", "auth.generic-errors",
    "auth.centralized-identity", "auth.short-lived-tokens",
    "access.least-privilege", "access.no-root", "access.service-accounts", "access.group-permissions",
    "network.internal-admin-access", "network.no-exposed-internal-services",
    "network.restricted-internal-access", "network.strict-access-rules", "network.ddos-protection",
    "network.segmentation", "network.egress-restricted",
    "cookies.secure", "cookies.samesite", "cookies.httponly",
    "process.threat-modeling", "process.penetration-testing",
    "transport.tls-only", "transport.encryption-in-transit",
    "secrets.vault", "cloud.metadata-protection", "logging.no-secrets", "data.no-plaintext-secrets",
    "supply-chain.image-scanning", "patching.automatic-updates",
}
assert len(SPEC_IDS) == 35

REQUIRED = ("id", "title", "control", "group", "severity", "stride", "threat", "applies_to",
            "why", "how_to_verify", "fix", "effort", "refs")
OPTIONAL = ("target", "satisfied_by", "contradicted_by", "aliases", "overrides")
SEVERITIES = {"low", "medium", "high", "critical", 1, 2, 3, 4, 5}
STRIDE = {"spoofing", "tampering", "repudiation", "information-disclosure", "denial-of-service",
          "elevation-of-privilege"}
TARGETS = {"component", "flow", "system"}
REF_KEYS = {"cwe", "owasp", "asvs", "nist"}

OWASP_RE = re.compile(r"^A(0[1-9]|10):2021$")
ASVS_RE = re.compile(r"^(1[0-4]|[1-9])\.[0-9]{1,2}\.[0-9]{1,2}$")
NIST_RE = re.compile(r"^[A-Z]{2}-[1-9][0-9]?(\([1-9][0-9]?\))?$")


def _record_files() -> list[Path]:
    return sorted(THREATS.rglob("*.yaml"))


@lru_cache(maxsize=None)
def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict), f"{path}: a record is a mapping"
    return data


def _records() -> list[tuple[Path, dict]]:
    return [(p, _load(p)) for p in _record_files()]


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _table(name: str) -> dict[str, str]:
    rows: dict[str, str] = {}
    for n, line in enumerate((REFDATA / name).read_text(encoding="utf-8").splitlines(), 1):
        assert line.count("\t") == 1, f"{name}:{n}: expected 'id<TAB>title'"
        key, title = line.split("\t")
        assert key and title.strip(), f"{name}:{n}: empty id or title"
        assert key not in rows, f"{name}:{n}: duplicate id {key}"
        rows[key] = title
    return rows


def _refs(kind: str) -> list[tuple[str, object]]:
    return [(_rel(p), ref) for p, r in _records() for ref in (r.get("refs") or {}).get(kind) or []]


# ------------------------------------------------------------------ completeness, paths
def test_catalog_has_every_spec_control():
    ids = {r["id"] for _, r in _records()}
    missing = SPEC_IDS - ids
    assert not missing, f"controls missing from threats/: {sorted(missing)}"


def test_ids_are_unique():
    seen: dict[str, str] = {}
    for path, rec in _records():
        assert rec["id"] not in seen, f"{_rel(path)}: id {rec['id']} also in {seen[rec['id']]}"
        seen[rec["id"]] = _rel(path)


@pytest.mark.parametrize("path", _record_files(), ids=lambda p: p.stem)
def test_id_matches_file_path(path):
    rec = _load(path)
    group = path.parent.relative_to(THREATS).as_posix()
    assert "/" not in group, f"{_rel(path)}: records live directly in threats/<group>/"
    assert rec["id"] == f"{group}.{path.stem}", f"{_rel(path)}: id {rec['id']!r} does not match its path"
    assert rec["group"] == group, f"{_rel(path)}: group {rec['group']!r} is not the folder {group!r}"


# ----------------------------------------------------------------------- record shape
def _nonempty_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_condition(cond, where: str) -> None:
    assert isinstance(cond, dict) and len(cond) == 1, f"{where}: a condition is a mapping with exactly one key"
    (op, arg), = cond.items()
    if op in ("all", "any"):
        assert isinstance(arg, list) and arg, f"{where}.{op}: needs a non-empty list"
        for i, sub in enumerate(arg):
            _check_condition(sub, f"{where}.{op}[{i}]")
    elif op == "not":
        _check_condition(arg, f"{where}.not")
    elif op in ("inbound", "inbound_all", "outbound", "outbound_all", "source", "dest",
                "has_component", "system"):
        _check_condition(arg, f"{where}.{op}")


@pytest.mark.parametrize("path", _record_files(), ids=lambda p: p.stem)
def test_record_has_every_required_section(path):
    rec = _load(path)
    where = _rel(path)
    missing = [k for k in REQUIRED if k not in rec]
    assert not missing, f"{where}: missing {missing}"
    unknown = sorted(set(rec) - set(REQUIRED) - set(OPTIONAL))
    assert not unknown, f"{where}: unknown fields {unknown}"

    for key in ("id", "title", "control", "group", "threat", "why"):
        assert _nonempty_text(rec[key]), f"{where}: {key} must be non-empty text"
    assert "\n" not in rec["control"].strip(), f"{where}: control is one line"
    assert rec["severity"] in SEVERITIES, f"{where}: bad severity {rec['severity']!r}"
    assert rec["effort"] in {"S", "M", "L"}, f"{where}: effort is S, M or L"
    assert rec.get("target", "component") in TARGETS, f"{where}: bad target"

    stride = rec["stride"]
    assert isinstance(stride, list) and stride, f"{where}: stride is a non-empty list"
    assert set(stride) <= STRIDE, f"{where}: unknown STRIDE categories {sorted(set(stride) - STRIDE)}"
    assert len(stride) == len(set(stride)), f"{where}: duplicate STRIDE categories"

    checks = rec["how_to_verify"]
    assert isinstance(checks, list) and checks, f"{where}: how_to_verify is a non-empty list"
    for i, check in enumerate(checks):
        assert _nonempty_text(check), f"{where}: how_to_verify[{i}] must be non-empty text, got {check!r}"

    fix = rec["fix"]
    assert isinstance(fix, dict) and set(fix) <= {"summary", "example"}, f"{where}: fix has summary and example"
    assert _nonempty_text(fix.get("summary")), f"{where}: fix.summary must be non-empty text"
    if "example" in fix:
        ex = fix["example"]
        assert isinstance(ex, dict) and set(ex) == {"language", "code"}, f"{where}: fix.example is {{language, code}}"
        assert ex["language"] == "javascript", f"{where}: examples are Node.js (javascript)"
        assert _nonempty_text(ex["code"]), f"{where}: fix.example.code must be non-empty"

    for key in ("applies_to", "satisfied_by", "contradicted_by"):
        if key in rec:
            _check_condition(rec[key], f"{where}: {key}")

    refs = rec["refs"]
    assert isinstance(refs, dict) and refs, f"{where}: refs must be a non-empty mapping"
    assert set(refs) <= REF_KEYS, f"{where}: unknown refs {sorted(set(refs) - REF_KEYS)}"
    for key, values in refs.items():
        assert isinstance(values, list), f"{where}: refs.{key} is a list"
        assert len(values) == len(set(values)), f"{where}: duplicate ids in refs.{key}"
    assert any(refs.values()), f"{where}: cite at least one reference"
    assert refs.get("nist"), f"{where}: every control maps to at least one NIST SP 800-53 control"


def test_conditions_parse_with_the_condition_language():
    """Every condition uses only documented predicates with valid values."""
    conditions = pytest.importorskip("threatplan.conditions")
    yamlpos = pytest.importorskip("threatplan.yamlpos")
    ids = {r["id"] for _, r in _records()}
    problems = []
    for path in _record_files():
        doc, errors = yamlpos.parse_yaml(path.read_bytes(), _rel(path))
        problems += [str(e) for e in errors]
        if doc is None:
            continue
        rec = doc.value
        for key in ("applies_to", "satisfied_by", "contradicted_by"):
            if key in rec:
                _, errors = conditions.parse_condition(rec[key], (key,), doc, rec.get("target", "component"), ids)
                problems += [str(e) for e in errors]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", [p for p in _record_files() if "example" in (_load(p).get("fix") or {})],
                         ids=lambda p: p.stem)
def test_fix_examples_are_valid_javascript(path, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "example.js"
    script.write_text(_load(path)["fix"]["example"]["code"], encoding="utf-8")
    result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"{_rel(path)}: fix.example.code does not parse:\n{result.stderr}"


# -------------------------------------------------------------------------- references
@lru_cache(maxsize=1)
def _cwe_db():
    from cwe2.database import Database
    return Database()


@pytest.mark.parametrize("where,cwe", _refs("cwe"), ids=lambda v: str(v))
def test_cwe_ids_exist_in_the_cwe_catalog(where, cwe):
    from cwe2.database import InvalidCWEError
    assert isinstance(cwe, int) and not isinstance(cwe, bool), f"{where}: CWE ids are integers, got {cwe!r}"
    try:
        weakness = _cwe_db().get(cwe)
    except InvalidCWEError:
        pytest.fail(f"{where}: CWE-{cwe} is not in the CWE catalog")
    assert weakness.status.lower() not in {"deprecated", "obsolete"}, \
        f"{where}: CWE-{cwe} ({weakness.name}) is {weakness.status}"


@pytest.mark.parametrize("where,ref", _refs("owasp"), ids=lambda v: str(v))
def test_owasp_ids_are_top10_2021(where, ref):
    assert isinstance(ref, str) and OWASP_RE.match(ref), f"{where}: write OWASP ids like 'A07:2021', got {ref!r}"
    assert ref in _table("owasp-top10-2021.tsv"), f"{where}: {ref} is not an OWASP Top 10 2021 category"


@pytest.mark.parametrize("where,ref", _refs("asvs"), ids=lambda v: str(v))
def test_asvs_ids_are_asvs_403_requirements(where, ref):
    assert isinstance(ref, str) and ASVS_RE.match(ref), f"{where}: write ASVS ids like '2.2.1', got {ref!r}"
    assert ref in _table("asvs-4.0.3.tsv"), f"{where}: {ref} is not an ASVS 4.0.3 requirement"


@pytest.mark.parametrize("where,ref", _refs("nist"), ids=lambda v: str(v))
def test_nist_ids_are_800_53r5_controls(where, ref):
    assert isinstance(ref, str) and NIST_RE.match(ref), f"{where}: write NIST ids like 'AC-7' or 'IA-2(1)', got {ref!r}"
    assert ref in _table("nist-800-53r5.tsv"), f"{where}: {ref} is not in the SP 800-53 rev. 5 table"


# ----------------------------------------------------------------------------- tables
def test_owasp_table_has_all_ten_categories():
    table = _table("owasp-top10-2021.tsv")
    assert sorted(table) == [f"A{n:02d}:2021" for n in range(1, 11)]
    assert table["A01:2021"] == "Broken Access Control"
    assert table["A07:2021"] == "Identification and Authentication Failures"


def test_asvs_table_ids_are_well_formed():
    table = _table("asvs-4.0.3.tsv")
    bad = [k for k in table if not ASVS_RE.match(k)]
    assert not bad, f"malformed ASVS ids: {bad}"
    # The 4.0.3 CSV export lists 287 requirement ids; 8 of them are marked deleted.
    assert len(table) == 279, f"expected the 279 live ASVS 4.0.3 requirements, found {len(table)}"
    for deleted in ("1.4.2", "1.4.3", "1.12.1", "4.1.4", "7.3.2", "13.1.2", "13.2.4", "14.3.1"):
        assert deleted not in table, f"ASVS {deleted} was deleted in 4.0.3"


def test_nist_table_ids_are_well_formed():
    table = _table("nist-800-53r5.tsv")
    bad = [k for k in table if not NIST_RE.match(k)]
    assert not bad, f"malformed NIST ids: {bad}"
    for enhancement in (k for k in table if "(" in k):
        base = enhancement.split("(")[0]
        assert base in table, f"{enhancement} is listed without its base control {base}"
