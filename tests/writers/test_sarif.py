"""SARIF writer: schema-valid, located on the model's lines, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from threatplan import __version__
from threatplan.writers import WRITERS
from threatplan.writers.sarif import fingerprint

from sample_report import SITE, make_report

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json")
                    .read_text(encoding="utf-8"))


def _sarif(report, **kw):
    return json.loads(WRITERS["sarif"](report, **kw))


def _validate(log):
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls(SCHEMA, format_checker=cls.FORMAT_CHECKER).validate(log)


@pytest.mark.parametrize("site_url", [None, SITE])
def test_valid_against_the_sarif_2_1_0_schema(report, site_url):
    _validate(_sarif(report, site_url=site_url))


def test_empty_report_is_valid_and_has_no_results(empty_report):
    log = _sarif(empty_report)
    _validate(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_golden(report, golden):
    text = WRITERS["sarif"](report, site_url=SITE)
    golden("report.sarif", text.replace(f'"{__version__}"', '"<version>"'))


def test_one_rule_per_control_with_kb_text_and_security_severity(report):
    rules = _sarif(report, site_url=SITE)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.control for f in report.findings})
    rate = next(r for r in rules if r["id"] == "auth.rate-limit")
    assert rate["shortDescription"]["text"] == "Brute force against login endpoints"
    assert rate["fullDescription"]["text"] == "An attacker guesses passwords at full speed."
    assert "### How to verify" in rate["help"]["markdown"] and "CWE-307" in rate["help"]["text"]
    assert rate["helpUri"] == f"{SITE}/generated/controls/auth.rate-limit/index.html"
    assert rate["properties"]["security-severity"] == "8.0"
    assert "security" in rate["properties"]["tags"]
    assert "external/cwe/cwe-307" in rate["properties"]["tags"]
    tls = next(r for r in rules if r["id"] == "transport.tls-only")
    assert tls["properties"]["security-severity"] == "9.5"
    # A control missing from the catalog still gets a rule, named by its findings.
    root = next(r for r in rules if r["id"] == "access.no-root")
    assert root["shortDescription"]["text"] == "Daily work as root"
    assert "helpUri" not in _sarif(report)["runs"][0]["tool"]["driver"]["rules"][0]


def test_results_point_at_the_element_block_relative_to_srcroot(report):
    run = _sarif(report)["runs"][0]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    by_key = {(r["properties"]["system"], r["ruleId"], r["properties"]["element"]): r
              for r in run["results"]}
    loc = by_key[("webshop", "auth.rate-limit", "api")]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "model/webshop.yaml", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 31, "startColumn": 5}
    spaced = by_key[("admin", "access.no-root", "ops|box")]["locations"][0]["physicalLocation"]
    assert spaced["artifactLocation"]["uri"] == "model/admin%20tool.yaml"
    for r in run["results"]:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_levels_and_accepted_findings_are_suppressed(report):
    results = _sarif(report)["runs"][0]["results"]
    level = {(r["ruleId"], r["properties"]["element"], r["properties"]["system"]): r for r in results}
    assert level[("transport.tls-only", "customer->api", "webshop")]["level"] == "error"
    assert level[("process.threat-modeling", "webshop", "webshop")]["level"] == "note"
    expired = level[("cookies.samesite", "api", "webshop")]
    assert expired["level"] == "error" and "expired" in expired["message"]["text"]
    assert "suppressions" not in expired
    accepted = level[("auth.mfa", "api", "webshop")]
    assert accepted["suppressions"][0]["kind"] == "external"
    unsuppressed = [r for r in results if "suppressions" not in r]
    failing = [f for f in report.findings if f.status != "accepted"]
    assert len(unsuppressed) == len(failing)


def test_fingerprints_are_stable_across_runs_and_moves(report):
    first = {r["partialFingerprints"]["threatplanFinding/v1"] for r in _sarif(report)["runs"][0]["results"]}
    later = make_report(rescore={("webshop", "auth.rate-limit", "api"): {"score": 6.0, "severity": "medium"}})
    second = {r["partialFingerprints"]["threatplanFinding/v1"] for r in _sarif(later)["runs"][0]["results"]}
    assert first == second and len(first) == len(report.findings)
    f = report.findings[0]
    assert fingerprint(f) == fingerprint(f.__class__(**{**f.__dict__, "score": 1.0}))


def test_expiring_acceptances_are_warned_as_notifications(report):
    notes = _sarif(report)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    texts = [n["message"]["text"] for n in notes]
    assert any("auth.mfa on webshop/api expires on 2026-06-11, in 10 days" in t for t in texts)
    assert any("cookies.samesite on webshop/api expired on 2026-05-29" in t for t in texts)
    assert not any("admin/ops|box" in t and "auth.mfa" in t for t in texts)  # 90 days away


def test_deterministic(report):
    assert WRITERS["sarif"](report) == WRITERS["sarif"](make_report())
