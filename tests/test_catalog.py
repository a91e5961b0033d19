"""A team's own threats/ folder: new controls, overrides, and errors with file and line."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest

from threatplan.analysis import analyze
from threatplan.catalog import load_catalog
from threatplan.errors import CatalogError

ROOT = Path(__file__).resolve().parent.parent
SPEC_IDS = """crypto.secure-random auth.mfa auth.credential-rotation auth.password-policy
auth.no-default-credentials auth.standard-protocols auth.no-basic-auth auth.rate-limit auth.generic-errors
auth.centralized-identity access.least-privilege access.no-root access.service-accounts
access.group-permissions network.internal-admin-access network.no-exposed-internal-services
network.restricted-internal-access cookies.secure cookies.samesite cookies.httponly
network.strict-access-rules process.threat-modeling network.ddos-protection process.penetration-testing
transport.tls-only network.segmentation network.egress-restricted secrets.vault cloud.metadata-protection
transport.encryption-in-transit logging.no-secrets data.no-plaintext-secrets supply-chain.image-scanning
patching.automatic-updates auth.short-lived-tokens""".split()

RECORD = """\
id: {id}
title: Admin actions leave no audit trail
control: Every admin action is written to an append-only audit log
group: team
severity: {severity}
stride: [repudiation]
threat: An insider changes prices and nobody can tell who did it.
applies_to:
  exposes: [admin]
satisfied_by:
  tags: [audited]
why: Without an audit trail, abuse cannot be traced or proven.
how_to_verify:
  - Perform an admin action and find it in the audit log.
fix:
  summary: Log every admin action with actor, time and change.
effort: S
refs:
  cwe: [778]
  owasp: ["A09:2021"]
  asvs: ["7.1.3"]
  nist: [AU-2]
{extra}"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_builtin_catalog_has_exactly_the_spec_ids():
    assert sorted(r.id for r in load_catalog()) == sorted(SPEC_IDS)


def test_custom_control_fires_without_code(tmp_path):
    _write(tmp_path, "team/audit.yaml", RECORD.format(id="team.audit-log", severity="high", extra=""))
    catalog = load_catalog([tmp_path])
    assert len(catalog) == 36
    report = analyze([ROOT / "model"], today=datetime.date(2026, 11, 26), catalog=catalog)
    hits = [f for f in report.findings if f.control == "team.audit-log"]
    assert hits and all("exposes admin" in " ".join(f.applies_because) for f in hits)


def test_user_record_overrides_builtin_by_id(tmp_path):
    path = _write(tmp_path, "x.yaml", RECORD.format(id="auth.mfa", severity="low", extra=""))
    catalog = load_catalog([tmp_path])
    assert catalog.get("auth.mfa").severity == 2 and not catalog.get("auth.mfa").builtin
    assert catalog.notes == (f"{path.as_posix()}:1:1: id: control auth.mfa replaces the built-in record "
                             "(add 'overrides: true' to say it is deliberate)",)
    report = analyze([ROOT / "model" / "webshop.yaml"], today=datetime.date(2026, 11, 26), catalog=catalog)
    assert report.warnings[0] == catalog.notes[0]
    _write(tmp_path, "x.yaml", RECORD.format(id="auth.mfa", severity="low", extra="overrides: true\n"))
    assert load_catalog([tmp_path]).notes == ()


def test_duplicate_ids_in_user_folders_are_errors(tmp_path):
    _write(tmp_path, "a.yaml", RECORD.format(id="team.audit-log", severity="low", extra=""))
    second = _write(tmp_path, "b.yaml", RECORD.format(id="team.audit-log", severity="low", extra=""))
    with pytest.raises(CatalogError) as exc:
        load_catalog([tmp_path])
    (d,) = exc.value.diagnostics
    assert (d.file, d.line, d.col, d.path) == (second.as_posix(), 1, 5, "id")
    assert d.message == f"duplicate control id 'team.audit-log' (also in {(tmp_path / 'a.yaml').as_posix()})"


def _broken_record_errors(tmp_path, severity: str) -> tuple[str, list[str]]:
    """Load a record with a misspelt capability and predicate; return (file, rendered errors)."""
    text = RECORD.format(id="team.audit-log", severity=severity, extra="").replace(
        "  exposes: [admin]", "  exposes: [admn]").replace("  tags: [audited]", "  tgas: [audited]")
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(CatalogError) as exc:
        load_catalog([tmp_path])
    return path.as_posix(), [d.render() for d in exc.value.diagnostics]


def test_catalog_field_mistakes_have_file_and_line(tmp_path):
    shown, rendered = _broken_record_errors(tmp_path, "hihg")
    assert rendered[0] == (f"{shown}:5:11: severity: 'hihg' is not allowed; use one of low, medium, high, "
                           "critical (did you mean 'high'?)")
    # The record's conditions are checked in the same run.
    assert [r.split(": ")[1] for r in rendered[1:]] == ["applies_to.exposes[0]", "satisfied_by.tgas"]


def test_unknown_predicate_is_reported_with_hint(tmp_path):
    shown, rendered = _broken_record_errors(tmp_path, "high")
    assert f"{shown}:9:13: applies_to.exposes[0]: 'admn' is not a valid value for 'exposes'; use one of " \
           "login, admin, token-issuer, public-api, webhook (did you mean 'admin'?)" in rendered
    assert f"{shown}:11:3: satisfied_by.tgas: unknown component predicate 'tgas' (did you mean 'tags'?)" in rendered


def test_aliases_redirect_old_ids(tmp_path):
    _write(tmp_path, "a.yaml", RECORD.format(id="team.audit-log", severity="high", extra="aliases: [team.audit]\n"))
    catalog = load_catalog([tmp_path])
    assert catalog.resolve("team.audit").id == "team.audit-log"
    assert catalog.known_ids()["team.audit"] == "team.audit-log"


def test_condition_language_rejects_code(tmp_path):
    text = RECORD.format(id="team.audit-log", severity="high", extra="").replace(
        "  exposes: [admin]", "  eval: \"__import__('os').system('id')\"")
    with pytest.raises(CatalogError) as exc:
        load_catalog([_write(tmp_path, "e.yaml", text).parent])
    assert any("unknown component predicate 'eval'" in d.message for d in exc.value.diagnostics)


def test_every_predicate_can_be_described_in_words():
    from threatplan.conditions import _NESTED, _PHRASES, PREDICATES
    for target, preds in PREDICATES.items():
        for pred in preds:
            assert (target, pred) in _PHRASES or pred in _NESTED or pred == "control", (target, pred)


def test_every_builtin_condition_reads_as_words():
    from threatplan.conditions import describe_record
    for record in load_catalog():
        sections = dict(describe_record(record))
        assert sections["Applies when"], record.id
        for lines in sections.values():
            assert all(text and "{" not in text for _, text in lines), record.id
