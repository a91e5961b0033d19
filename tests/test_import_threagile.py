"""Threagile import: both format generations convert into valid, checkable models."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from threatplan.errors import InputError
from threatplan.importers.threagile import RISK_CONTROL, convert, plain_text, slug
from threatplan.loading import load_paths
from threatplan.schema import SystemModel

DATA = Path(__file__).resolve().parent / "data" / "threagile"
EXAMPLES = sorted(DATA.glob("*.yaml"))
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
KNOWN = {c: c for c in [*RISK_CONTROL.values(), "data.no-plaintext-secrets"]}


@pytest.fixture(scope="module", params=[p.name for p in EXAMPLES])
def imported(request):
    text, unmapped = convert(DATA / request.param)
    return text, unmapped, yaml.safe_load(text)


def test_both_generations_are_present():
    assert {p.name for p in EXAMPLES} == {"example-threagile.yaml", "example-threagile-v0.yaml"}


def test_output_validates_against_the_model_format(imported, tmp_path):
    text, _, doc = imported
    model = SystemModel.model_validate(doc)
    assert len(model.components) == 14 and len(model.flows) == 20 and len(model.data) == 12
    path = tmp_path / "imported.yaml"
    path.write_text(text, encoding="utf-8")
    systems, _ = load_paths([path], known_controls=KNOWN)  # references, duplicates, positions
    assert [s.id for s in systems] == ["some-example-application"]


def test_ids_are_slugs_and_html_is_plain_text(imported):
    _, _, doc = imported
    for part in ("zones", "data", "components", "flows"):
        for entry in doc[part]:
            assert SLUG.match(entry["id"]), entry["id"]
    assert doc["system"]["description"] == "Some more demo text here and even images..."
    assert "<" not in yaml.safe_dump(doc)


def test_unmapped_is_listed_as_comments_at_the_top(imported):
    text, unmapped, _ = imported
    header = text.split("\nsystem:", 1)[0]
    assert all(line.startswith("#") for line in header.splitlines())
    for item in unmapped:
        assert f"#   - {item}" in header
    joined = "\n".join(unmapped)
    for expected in ("abuse_cases", "shared_runtimes", "individual_risk_categories",
                     "untrusted-deserialization", "technical_assets.*.machine",
                     "communication_links.*.authorization"):
        assert expected in joined


def test_what_maps(imported):
    _, _, doc = imported
    comp = {c["id"]: c for c in doc["components"]}
    zones = {z["id"]: z for z in doc["zones"]}
    flows = {f["id"]: f for f in doc["flows"]}
    data = {d["id"]: d for d in doc["data"]}
    assert comp["customer-client"]["kind"] == "client" and comp["customer-client"]["zone"] == "internet"
    assert zones["internet"]["trust"] == "untrusted"
    assert zones["web-dmz"]["parent"] == "application-network"
    assert comp["load-balancer"]["kind"] == "gateway"
    assert comp["sql-database"]["kind"] == "datastore"
    assert comp[next(c for c in comp if c.startswith("jenkins"))]["kind"] == "ci"
    assert comp["identity-provider"]["exposes"] == ["login", "token-issuer"]
    assert comp["ldap-auth-server"]["stores"] == ["customer-accounts"]
    assert comp["erp-system"]["exposes"] == ["admin"]  # devops link from a human admin client
    assert comp["apache-webserver"]["sessions"] == "cookie"
    assert comp["sql-database"]["controls"]["data.no-plaintext-secrets"]["status"] == "implemented"
    assert flows["customer-traffic"] == {
        "id": "customer-traffic", "name": "Customer Traffic", "from": "customer-client",
        "to": "load-balancer", "protocol": "https", "authn": "session",
        "description": "Link to the load balancer",
        "data": ["client-application-code", "customer-accounts", "customer-contracts",
                 "customer-operational-data", "marketing-material"]}
    assert flows["database-traffic"]["protocol"] == "sql"
    assert flows["erp-internal-access"]["tags"] == ["some-erp", "vpn"]
    assert data["customer-accounts"] == {
        "id": "customer-accounts", "name": "Customer Accounts",
        "description": "Customer Accounts (including transient credentials when entered for checking them)",
        "classification": "secret", "kind": "credentials"}
    assert data["erp-logs"]["kind"] == "logs"
    controls = doc["system"]["controls"]
    assert controls["auth.mfa"]["status"] == "implemented" and controls["auth.mfa"]["ref"] == "XYZ-1234"
    assert controls["network.ddos-protection"]["status"] == "partial"


def test_deterministic():
    for path in EXAMPLES:
        assert convert(path) == convert(path)


def test_two_generations_give_the_same_shape():
    a = yaml.safe_load(convert(DATA / "example-threagile.yaml")[0])
    b = yaml.safe_load(convert(DATA / "example-threagile-v0.yaml")[0])
    for part in ("zones", "data", "components", "flows"):
        assert len(a[part]) == len(b[part])
    assert sorted(c["kind"] for c in a["components"]) == sorted(c["kind"] for c in b["components"])
    assert a["flows"][0] == b["flows"][0]


def test_slug_and_plain_text():
    assert slug("<b>Foo</b> Bar!! v2.0") == "foo-bar-v2.0"
    assert slug("Web DMZ", dots=False) == "web-dmz"
    assert slug("???") == "x" and slug("") == "x"
    assert plain_text("a <i>b</i>&amp;c<br>d") == "a b&c d"


ODD = """\
title: <b>Odd</b> Model!
data_assets:
  Secrets:
    id: Secret Stuff
    confidentiality: top-secret
technical_assets:
  A:
    id: Asset A!
    type: process
    technology: quantum-thing
    data_assets_processed: [Secret Stuff, nope]
    communication_links:
      Same Name:
        target: asset-b
        protocol: carrier-pigeon
        authentication: telepathy
      Lost:
        target: nowhere
  B:
    id: asset-b
    type: datastore
    communication_links:
      Same Name:
        target: Asset A!
        protocol: https
risk_tracking:
  missing-vault@asset-b:
    status: mitigated
  missing-vault@ghost:
    status: mitigated
"""


def test_odd_input_is_mapped_or_listed(tmp_path):
    src = tmp_path / "odd.yaml"
    src.write_text(ODD, encoding="utf-8")
    text, unmapped = convert(src)
    doc = yaml.safe_load(text)
    SystemModel.model_validate(doc)
    assert doc["system"]["id"] == "odd-model"
    assert [c["id"] for c in doc["components"]] == ["asset-a", "asset-b"]
    assert sorted(f["id"] for f in doc["flows"]) == ["asset-b-same-name", "same-name"]
    assert doc["data"][0]["classification"] == "internal"
    assert doc["components"][1]["controls"]["secrets.vault"]["status"] == "implemented"
    joined = "\n".join(unmapped)
    for expected in ("unknown data asset 'nope'", "protocol 'carrier-pigeon'", "'telepathy'",
                     "unknown target 'nowhere'", "confidentiality 'top-secret'",
                     "missing-vault@ghost: names no known technical asset"):
        assert expected in joined
    path = tmp_path / "out.yaml"
    path.write_text(text, encoding="utf-8")
    load_paths([path], known_controls=KNOWN)


@pytest.mark.parametrize("content,message", [
    ("just: [a, b]\n", "not a Threagile model"),
    ("title: x\ndata_assets: {a: [}\n", "YAML syntax error"),
    ("- a\n- b\n", "not a Threagile model"),
])
def test_bad_files_are_input_errors(tmp_path, content, message):
    src = tmp_path / "bad.yaml"
    src.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        convert(src)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        convert(tmp_path / "nope.yaml")


@pytest.mark.parametrize("name", [p.name for p in EXAMPLES])
def test_cli_import_validate_and_check(tmp_path, name):
    """The imported model validates and checks with the real catalog (no exit 2)."""
    out = tmp_path / "imported.yaml"
    cli = [sys.executable, "-m", "threatplan"]
    run = subprocess.run(cli + ["import", "threagile", str(DATA / name), "-o", str(out)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "not mapped:" in run.stderr and out.read_text().startswith("# Imported")
    run = subprocess.run(cli + ["validate", str(out)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    run = subprocess.run(cli + ["check", str(out), "--today", "2026-06-01", "--format", "json"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr


def test_hostile_threagile_files_get_positioned_errors(tmp_path):
    from threatplan.errors import InputError
    from threatplan.importers.threagile import convert

    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("title: x\n" + "\n".join(levels) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        convert(bomb)
    assert "alias bomb" in exc.value.diagnostics[0].message
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"title: x\n\x00")
    with pytest.raises(InputError) as exc:
        convert(binary)
    assert (exc.value.diagnostics[0].line, exc.value.diagnostics[0].col) == (2, 1)
