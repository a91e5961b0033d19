"""JUnit XML writer for CI test-report views (GitLab, Jenkins, Azure DevOps).

One test suite per system, one test case per (control, element) that the control applies
to: it fails when the finding is open (or its acceptance expired), is skipped when the
risk is accepted or the control is not applicable, and passes otherwise.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from threatplan.results import Finding, Report, SystemResult
from threatplan.writers._common import (
    all_notices, control_url, expiring_acceptances, field_of, is_failing,
)

__all__ = ["render"]


def _finding_text(f: Finding, site_url: str | None) -> str:
    lines = [f"{f.title} ({f.control}) on {f.element_type} {f.element} in system {f.system}",
             f"score {f.score:.1f} ({f.severity}), evidence: {f.evidence}, owner: {f.owner}",
             f"model: {f.source.file}:{f.source.line}:{f.source.col}"]
    lines += [f"applies because: {x}" for x in f.applies_because]
    lines += [f"fails because: {x}" for x in f.fails_because]
    if f.formula:
        lines.append(f"score: {f.formula}")
    if f.status == "expired-acceptance":
        lines.append(f"risk acceptance expired on {field_of(f.acceptance, 'expires', '?')}")
    url = control_url(site_url, f.control)
    if url:
        lines.append(f"fix: {url}")
    return "\n".join(lines)


def _cases(system: SystemResult) -> list[tuple[str, str, str, str, str, Finding | None]]:
    """(element_type, element, control, outcome, detail, finding) per check and finding."""
    findings = {(f.control, f.element): f for f in system.findings}
    rows = {}
    for c in system.checks:
        rows[(c.control, c.element)] = (c.element_type, c.element, c.control, c.outcome,
                                        c.detail, findings.get((c.control, c.element)))
    for (control, element), f in findings.items():
        rows.setdefault((control, element), (f.element_type, element, control, "gap", "", f))
    return sorted(rows.values(), key=lambda r: r[:3])


def _suite(system: SystemResult, report: Report, site_url: str | None, soon: dict) -> ET.Element:
    suite = ET.Element("testsuite", name=system.id)
    tests = failures = skipped = 0
    for etype, element, control, outcome, detail, f in _cases(system):
        case = ET.SubElement(suite, "testcase", classname=f"{system.id}.{etype}.{element}",
                             name=control, file=(f.source.file if f else system.file))
        if f is not None:
            case.set("line", str(f.source.line))
        tests += 1
        if f is not None and is_failing(f):
            failures += 1
            kind = "expired-acceptance" if f.status == "expired-acceptance" else f.severity
            fail = ET.SubElement(case, "failure", type=kind,
                                 message=f"{f.severity} {f.score:.1f}: {f.title}")
            fail.text = _finding_text(f, site_url)
        elif f is not None:  # accepted
            skipped += 1
            acc = f.acceptance or {}
            note = soon.get(f.key)
            message = (f"risk accepted by {field_of(acc, 'owner', '?')} until "
                       f"{field_of(acc, 'expires', '?')}: {field_of(acc, 'reason', '')}")
            if note:
                message += f" (warning: {note})"
            ET.SubElement(case, "skipped", message=message)
        elif outcome == "not-applicable":
            skipped += 1
            ET.SubElement(case, "skipped", message=f"not applicable: {detail}")
        elif detail:
            out = ET.SubElement(case, "system-out")
            out.text = f"{outcome}: {detail}"
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    suite.set("time", "0")
    props = ET.Element("properties")
    for name, value in (("system", system.id), ("name", system.name), ("owner", system.owner),
                        ("file", system.file), ("score", f"{system.score:.1f}")):
        ET.SubElement(props, "property", name=name, value=str(value))
    suite.insert(0, props)
    if system.warnings:
        out = ET.SubElement(suite, "system-out")
        out.text = "\n".join(f"warning: {w}" for w in system.warnings)
    return suite


def render(report: Report, *, site_url: str | None = None, base: Report | None = None) -> str:
    """The report as JUnit XML text."""
    soon = {a.finding.key: a.message() for a in expiring_acceptances(report)}
    root = ET.Element("testsuites", name="threatplan")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for system in sorted(report.systems, key=lambda s: s.id):
        suite = _suite(system, report, site_url, soon)
        for key in totals:
            totals[key] += int(suite.get(key))
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    root.set("time", "0")
    notices = all_notices(report)
    if notices:
        # A suite of its own so that CI views show the warnings as test output.
        suite = ET.SubElement(root, "testsuite", name="threatplan.warnings", tests="1",
                              failures="0", errors="0", skipped="0", time="0")
        case = ET.SubElement(suite, "testcase", classname="threatplan", name="warnings")
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"warning: {n}" for n in notices)
        root.set("tests", str(totals["tests"] + 1))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
