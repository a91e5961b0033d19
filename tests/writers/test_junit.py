"""JUnit writer: a test case per control x element, failures for open findings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sample_report import SITE, make_report
from threatplan.writers import WRITERS


def _xml(report, **kw):
    return ET.fromstring(WRITERS["junit"](report, **kw).encode("utf-8"))


def test_golden(report, golden):
    golden("report.junit.xml", WRITERS["junit"](report, site_url=SITE))


def test_one_case_per_control_and_element(report):
    root = _xml(report)
    shop = root.find("testsuite[@name='webshop']")
    cases = {(c.get("classname"), c.get("name")) for c in shop.iter("testcase")}
    assert ("webshop.component.api", "auth.rate-limit") in cases
    assert ("webshop.flow.api->db", "transport.tls-only") in cases  # satisfied: a passing case
    assert ("webshop.system.webshop", "process.threat-modeling") in cases  # finding without check
    assert shop.get("tests") == str(len(cases)) == "8"


def test_failures_are_the_open_and_expired_findings(report):
    root = _xml(report)
    failed = {(c.get("classname"), c.get("name")): c.find("failure")
              for c in root.iter("testcase") if c.find("failure") is not None}
    expected = {(f"{f.system}.{f.element_type}.{f.element}", f.control)
                for f in report.findings if f.status in ("open", "expired-acceptance")}
    assert set(failed) == expected
    assert root.get("failures") == str(len(expected))
    assert failed[("webshop.component.api", "cookies.samesite")].get("type") == "expired-acceptance"
    assert failed[("webshop.component.api", "auth.rate-limit")].get("type") == "high"
    assert "model/webshop.yaml:31:5" in failed[("webshop.component.api", "auth.rate-limit")].text


def test_accepted_and_not_applicable_are_skipped_with_expiry_warning(report):
    root = _xml(report)
    skipped = {(c.get("classname"), c.get("name")): c.find("skipped").get("message")
               for c in root.iter("testcase") if c.find("skipped") is not None}
    assert "expires on 2026-06-11, in 10 days" in skipped[("webshop.component.api", "auth.mfa")]
    assert "warning" not in skipped[("admin.component.ops|box", "auth.mfa")]
    assert skipped[("webshop.component.api", "cookies.httponly")] == "not applicable: API only"
    warnings = root.find("testsuite[@name='threatplan.warnings']/testcase/system-out").text
    assert "auth.mfa on webshop/api expires on 2026-06-11" in warnings
    assert "cookies.samesite on webshop/api expired on 2026-05-29" in warnings


def test_special_characters_are_escaped(report):
    text = WRITERS["junit"](report)
    assert "Ops &lt;box&gt; &amp;" in text
    _xml(report)  # well-formed


def test_empty_report(empty_report):
    root = _xml(empty_report)
    assert root.get("tests") == "0" and root.get("failures") == "0"


def test_deterministic(report):
    assert WRITERS["junit"](report) == WRITERS["junit"](make_report())
