"""The hand-built Report every writer test and the diff tests share.

Two systems: a web shop with open, accepted (expiring in 10 days), expired-acceptance and
system-level findings; an admin tool whose ids and names need escaping in every format.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from threatplan.results import ControlCheck, Finding, Report, ScoreFactor, SourceRef, SystemResult

TODAY = dt.date(2026, 6, 1)
SITE = "https://security.example.org/threatplan"


class FakeCatalog:
    """The part of threatplan.catalog.Catalog the writers use: get(control_id)."""

    def __init__(self, records):
        self._records = {r.id: r for r in records}

    def get(self, control_id):
        return self._records.get(control_id)


def _record(id, title, severity, severity_name, group, stride, cwe, threat, why):
    return SimpleNamespace(
        id=id, title=title, control=title, group=group, severity=severity,
        severity_name=severity_name, stride=stride, target="component", threat=threat, why=why,
        how_to_verify=[f"Review the configuration of every element that {id} applies to.",
                       "Try it against a staging deployment."],
        fix=SimpleNamespace(summary=f"Implement {id}.",
                            example="app.use(limiter({ windowMs: 60_000, max: 10 }));"),
        effort="S",
        refs=SimpleNamespace(cwe=cwe, owasp=["A07:2021"], asvs=["2.2.1"], nist=["AC-7"]),
    )


CATALOG = FakeCatalog([
    _record("auth.rate-limit", "Brute force against login endpoints", 4, "high", "auth",
            ["spoofing"], ["CWE-307"], "An attacker guesses passwords at full speed.",
            "Without a limit, credential stuffing succeeds eventually."),
    _record("transport.tls-only", "Plain-text traffic can be read and changed", 5, "critical",
            "transport", ["information-disclosure", "tampering"], ["CWE-319"],
            "Someone on the path reads credentials.", "Only TLS protects data on the wire."),
    _record("auth.mfa", "Stolen passwords alone open accounts", 4, "high", "auth",
            ["spoofing"], ["CWE-308"], "A phished password is enough to log in.",
            "A second factor stops reuse of stolen passwords."),
    _record("cookies.samesite", "Cross-site requests ride on session cookies", 3, "medium",
            "cookies", ["tampering"], ["CWE-1275"], "A foreign page posts with the user's cookie.",
            "SameSite keeps cookies off cross-site requests."),
    _record("process.threat-modeling", "Threats go unnoticed without a reviewed model", 2, "low",
            "process", ["elevation-of-privilege"], [], "New risks ship unreviewed.",
            "A yearly review keeps priorities current."),
])


def _finding(control, title, system, element, etype, name, score, severity, status, line, col,
             file, acceptance=None, evidence="no evidence", owner="team-checkout"):
    return Finding(
        control=control, title=title, system=system, element=element, element_type=etype,
        element_name=name, score=score, severity=severity, status=status, evidence=evidence,
        declared=None if evidence == "no evidence" else "missing",
        applies_because=(f"{name} is reachable from the internet zone",),
        fails_because=(f"no status for {control} is declared on {element}",),
        factors=(ScoreFactor("likelihood", 0.9, "reachable from an untrusted zone"),
                 ScoreFactor("impact", 0.9, "processes secret data"),
                 ScoreFactor("severity", 0.8, "intrinsic severity high")),
        formula=f"10 x 0.9 x 0.9 x 0.8 = {score}", owner=owner,
        source=SourceRef(file, line, col), acceptance=acceptance)


def make_report(*, today=TODAY, drop=(), extra=(), rescore=None) -> Report:
    """The shared report; `drop`/`extra`/`rescore` derive variants for diff tests."""
    web = "model/webshop.yaml"
    adm = "model/admin tool.yaml"
    shop = [
        _finding("transport.tls-only", "Plain-text traffic can be read and changed", "webshop",
                 "customer->api", "flow", "customer->api", 9.2, "critical", "open", 58, 5, web),
        _finding("auth.rate-limit", "Brute force against login endpoints", "webshop", "api",
                 "component", "Shop API", 8.1, "high", "open", 31, 5, web,
                 evidence="declared missing"),
        _finding("auth.mfa", "Stolen passwords alone open accounts", "webshop", "api",
                 "component", "Shop API", 7.6, "high", "accepted", 31, 5, web,
                 acceptance={"reason": "MFA comes with the IdP migration.", "owner": "alice",
                             "expires": (today + dt.timedelta(days=10)).isoformat(), "file": web,
                             "line": 80}),
        _finding("cookies.samesite", "Cross-site requests ride on session cookies", "webshop",
                 "api", "component", "Shop API", 5.0, "medium", "expired-acceptance", 31, 5, web,
                 acceptance={"reason": "Legacy clients.", "owner": "bob",
                             "expires": (today - dt.timedelta(days=3)).isoformat(),
                             "file": web, "line": 86}),
        _finding("process.threat-modeling", "Threats go unnoticed without a reviewed model",
                 "webshop", "webshop", "system", "Web Shop", 2.5, "low", "open", 2, 3, web),
    ]
    admin = [
        _finding("access.no-root", "Daily work as root", "admin", "ops|box", "component",
                 "Ops <box> & \"shell\"", 3.2, "low", "open", 12, 5, adm, owner="team-ops"),
        _finding("auth.mfa", "Stolen passwords alone open accounts", "admin", "ops|box",
                 "component", "Ops <box> & \"shell\"", 7.1, "high", "accepted", 12, 5, adm,
                 owner="team-ops",
                 acceptance={"reason": "VPN only.", "owner": "carol",
                             "expires": (today + dt.timedelta(days=90)).isoformat(), "file": adm,
                             "line": 30}),
    ]
    pool = [f for f in shop + admin + list(extra) if f.key not in set(drop)]
    if rescore:
        from dataclasses import replace
        pool = [replace(f, **rescore[f.key]) if f.key in rescore else f for f in pool]

    def system(id, name, owner, file, findings, checks, warnings=()):
        findings = tuple(sorted(findings, key=lambda f: (-f.score, f.control, f.element)))
        open_ = [f.score for f in findings if f.status != "accepted"]
        return SystemResult(id=id, name=name, owner=owner, file=file,
                            score=max(open_, default=0.0), total_risk=round(sum(open_), 1),
                            findings=findings, checks=checks, fixes=(), paths=(),
                            warnings=warnings)

    shop_checks = (
        ControlCheck("auth.rate-limit", "api", "component", "gap", "declared missing"),
        ControlCheck("transport.tls-only", "customer->api", "flow", "gap", "protocol http"),
        ControlCheck("auth.mfa", "api", "component", "gap", "no evidence"),
        ControlCheck("cookies.samesite", "api", "component", "gap", "no evidence"),
        ControlCheck("cookies.secure", "api", "component", "satisfied", "implemented"),
        ControlCheck("cookies.httponly", "api", "component", "not-applicable", "API only"),
        ControlCheck("transport.tls-only", "api->db", "flow", "satisfied-by-facts",
                     "protocol sql-tls"),
    )
    admin_checks = (
        ControlCheck("access.no-root", "ops|box", "component", "gap", "runs_as root"),
        ControlCheck("auth.mfa", "ops|box", "component", "gap", "no evidence"),
    )
    systems = (
        system("admin", "Admin Tool", "team-ops", adm,
               [f for f in pool if f.system == "admin"], admin_checks,
               warnings=("model/admin tool.yaml:1:1: system.reviewed: no review date",)),
        system("webshop", "Web Shop", "team-checkout", web,
               [f for f in pool if f.system == "webshop"], shop_checks),
    )
    return Report(systems=systems, today=today,
                  warnings=("catalog: control auth.mfa is overridden by ./threats",),
                  catalog=CATALOG)
