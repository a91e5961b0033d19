"""Evidence, acceptances over time, the plan and attack paths on one small system."""

from __future__ import annotations

import datetime

import pytest

from threatplan.analysis import analyze
from threatplan.catalog import load_catalog

CATALOG = load_catalog()
MODEL = """\
system: {id: shop, owner: team-shop, reviewed: 2026-10-01, pentested: 2026-10-01}
zones:
  - {id: internet, trust: untrusted}
  - {id: app, trust: internal}
  - {id: data, trust: restricted, parent: app}
data:
  - {id: creds, classification: secret, kind: credentials}
  - {id: orders, classification: confidential, kind: pii}
components:
  - {id: customer, kind: user, zone: internet}
  - id: api
    kind: service
    zone: app
    owner: team-api
    exposes: [login]
    sessions: cookie
    processes: [creds, orders]
    controls:
      auth.rate-limit: planned
      auth.no-basic-auth: implemented
      auth.mfa: missing
      cookies.secure: missing
  - {id: db, kind: datastore, zone: data, stores: [creds, orders]}
flows:
  - {from: customer, to: api, protocol: https, authn: basic, data: [creds]}
  - {from: api, to: db, protocol: sql, authn: password, data: [orders]}
accepted:
  - {control: auth.mfa, element: api, reason: IdP migration, owner: alice, expires: 2027-03-31}
  - {control: cookies.secure, element: api, reason: legacy, owner: bob, expires: 2026-06-30}
  - {control: auth.rate-limit, element: api, reason: WAF soon, owner: carol, expires: 2026-12-10}
  - {control: access.no-root, element: customer, reason: nothing to accept, owner: dan, expires: 2027-01-01}
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("m") / "shop.yaml"
    path.write_text(MODEL, encoding="utf-8")
    return analyze([path], today=datetime.date(2026, 11, 26), catalog=CATALOG)


def _f(report, control, element):
    return next(f for f in report.findings if (f.control, f.element) == (control, element))


def test_evidence_kinds(report):
    assert _f(report, "auth.rate-limit", "api").evidence == "declared missing"
    assert _f(report, "cookies.httponly", "api").evidence == "no evidence"
    contradicted = _f(report, "auth.no-basic-auth", "api")
    assert contradicted.evidence == "contradicted"
    assert any("basic" in fact for fact in contradicted.fails_because)


def test_acceptances_over_time(report):
    assert _f(report, "auth.mfa", "api").status == "accepted"
    expired = _f(report, "cookies.secure", "api")
    assert expired.status == "expired-acceptance" and expired.acceptance["owner"] == "bob"
    warnings = "\n".join(report.warnings)
    assert "acceptance of cookies.secure on api expired on 2026-06-30" in warnings
    assert "acceptance of auth.rate-limit on api expires on 2026-12-10 (in 14 days)" in warnings
    assert "acceptance of access.no-root on customer matches no finding" in warnings


def test_scores_are_explained(report):
    f = _f(report, "auth.rate-limit", "api")
    assert [x.name for x in f.factors] == ["likelihood", "impact", "severity"]
    assert "receives flows directly from an untrusted zone" in f.factors[0].reason
    assert "secret" in f.factors[1].reason
    assert f.formula.endswith(f"= {f.score:.1f}")


def test_plan_orders_by_risk_per_effort_and_accumulates(report):
    (system,) = report.systems
    fixes = system.fixes
    priorities = [x.priority for x in fixes]
    assert priorities == sorted(priorities, reverse=True)
    shares = [x.cumulative_share for x in fixes]
    assert shares == sorted(shares) and shares[-1] == pytest.approx(1.0, abs=0.001)
    assert {x.owner for x in fixes} <= {"team-api", "team-shop"}
    assert sum(x.risk_removed for x in fixes) == pytest.approx(system.total_risk, abs=0.05 * len(fixes))


def test_attack_path_to_the_secrets_lists_its_gaps(report):
    (system,) = report.systems
    paths = {p.nodes[-1]: p for p in system.paths}
    assert paths["db"].nodes == ("customer", "api", "db")
    assert paths["db"].classification == "secret"
    assert ("auth.no-basic-auth", "api") in paths["db"].gaps
    assert ("transport.encryption-in-transit", "api->db") in paths["db"].gaps
    assert ("auth.mfa", "api") not in paths["db"].gaps  # accepted: not a gap


def test_system_score_is_the_worst_open_finding(report):
    (system,) = report.systems
    assert system.score == max(f.score for f in system.findings if f.status != "accepted")


def test_review_date_in_the_future_does_not_satisfy(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL.replace("reviewed: 2026-10-01", "reviewed: 2030-06-01"), encoding="utf-8")
    report = analyze([path], today=datetime.date(2026, 11, 26), catalog=CATALOG)
    f = _f(report, "process.threat-modeling", "shop")
    assert any("2030-06-01, a date in the future" in fact for fact in f.fails_because)


def test_model_facts_that_show_a_gap_are_contradicted_evidence(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(MODEL.replace("    owner: team-api\n", "    owner: team-api\n    runs_as: root\n"), encoding="utf-8")
    report = analyze([path], today=datetime.date(2026, 11, 26), catalog=CATALOG)
    f = _f(report, "access.no-root", "api")
    assert f.evidence == "contradicted"
    assert f.fails_because[0] == "api declares nothing for access.no-root, and the model shows the gap"
    assert "api runs as root" in f.fails_because[1]


def test_applies_facts_do_not_repeat_themselves(report):
    for f in report.findings:
        for fact in f.applies_because:
            assert not any(other != fact and other.startswith(fact + " (") for other in f.applies_because)
