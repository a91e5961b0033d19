"""SARIF 2.1.0 writer for code-scanning UIs (GitHub, GitLab, Azure DevOps).

One rule per control that has findings, built from its knowledge-base record; one result
per finding, located at the component's or flow's block in the model file. Accepted
findings are kept as results with an external suppression so that scanners show them as
dismissed rather than fixed. Output is deterministic: sorted, no timestamps.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from threatplan import __version__
from threatplan.results import Finding, Report
from threatplan.writers._common import (
    all_notices, control_url, field_of, is_failing, record_of,
)

__all__ = ["render", "SCHEMA_URI", "SRCROOT", "security_severity", "fingerprint"]

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
"""The base id that result paths are relative to: the repository (working) folder."""
FINGERPRINT_KEY = "threatplanFinding/v1"

_BAND_SCORE = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
_LEVEL_SCORE = {5: "9.5", 4: "8.0", 3: "5.5", 2: "3.0", 1: "1.0"}
_BAND_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note",
               "info": "note", "none": "note"}


def security_severity(record, findings: list[Finding]) -> str:
    """GitHub's `security-severity` (a number as text) from the record's severity."""
    name = str(field_of(record, "severity_name", "") or "").lower()
    if name in _BAND_SCORE:
        return _BAND_SCORE[name]
    level = field_of(record, "severity")
    if isinstance(level, int) and level in _LEVEL_SCORE:
        return _LEVEL_SCORE[level]
    if isinstance(level, str) and level.lower() in _BAND_SCORE:
        return _BAND_SCORE[level.lower()]
    top = max((f.score for f in findings), default=0.0)  # no record: the worst finding's score
    return f"{top:.1f}"


def fingerprint(finding: Finding) -> str:
    """A stable hash of (control, system, element): the same finding across runs and edits."""
    text = "\x1f".join((finding.control, finding.system, finding.element))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _artifact_location(file: str) -> dict:
    """A URI relative to %SRCROOT% (forward slashes), or a file URI for paths outside it."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return {"uri": path.as_uri()}
    rel = "/".join(path.parts).replace("\\", "/") or "."
    return {"uri": quote(rel, safe="/-._~"), "uriBaseId": SRCROOT}


def _rule_name(control: str) -> str:
    return "".join(part.capitalize() for part in control.replace(".", "-").split("-") if part)


def _help(record, control: str, title: str, url: str | None) -> tuple[str, str]:
    """Plain-text and Markdown help from the knowledge-base record."""
    threat = field_of(record, "threat") or ""
    why = field_of(record, "why") or ""
    verify = list(field_of(record, "how_to_verify") or [])
    fix = field_of(record, "fix")
    fix_summary = field_of(fix, "summary") if not isinstance(fix, str) else fix
    fix_example = field_of(fix, "example") if not isinstance(fix, str) else None
    refs = field_of(record, "refs")
    ref_lines = []
    for key, label in (("cwe", "CWE"), ("owasp", "OWASP Top 10 2021"), ("asvs", "OWASP ASVS 4.0.3"),
                       ("nist", "NIST SP 800-53 rev. 5")):
        values = field_of(refs, key)
        if values:
            values = [values] if isinstance(values, (str, int)) else list(values)
            ref_lines.append(f"{label}: {', '.join(str(v) for v in values)}")

    text, md = [f"{title} ({control})"], [f"**{title}** (`{control}`)"]
    for head, body in (("Threat", threat), ("Why it matters", why)):
        if body:
            text += ["", f"{head}: {str(body).strip()}"]
            md += ["", f"### {head}", "", str(body).strip()]
    if verify:
        text += ["", "How to verify:"] + [f"- {v}" for v in verify]
        md += ["", "### How to verify", ""] + [f"- {v}" for v in verify]
    if fix_summary:
        text += ["", f"Fix: {str(fix_summary).strip()}"]
        md += ["", "### Fix", "", str(fix_summary).strip()]
    if fix_example:
        text += ["", str(fix_example).rstrip()]
        md += ["", "```js", str(fix_example).rstrip(), "```"]
    if ref_lines:
        text += ["", "References:"] + [f"- {r}" for r in ref_lines]
        md += ["", "### References", ""] + [f"- {r}" for r in ref_lines]
    if url:
        text += ["", f"More: {url}"]
        md += ["", f"[Knowledge-base page]({url})"]
    return "\n".join(text), "\n".join(md)


def _rule(report: Report, control: str, findings: list[Finding], site_url: str | None) -> dict:
    record = record_of(report, control)
    title = str(field_of(record, "title") or findings[0].title)
    url = control_url(site_url, control)
    full = field_of(record, "threat") or field_of(record, "why") or title
    help_text, help_md = _help(record, control, title, url)
    sev = security_severity(record, findings)
    tags = ["security"]
    for extra in (field_of(record, "group"), field_of(record, "stride")):
        if extra:
            tags += [str(x) for x in ([extra] if isinstance(extra, str) else extra)]
    cwes = field_of(field_of(record, "refs"), "cwe") or []
    for cwe in ([cwes] if isinstance(cwes, (str, int)) else cwes):
        number = str(cwe).upper().removeprefix("CWE-")
        tags.append(f"external/cwe/cwe-{number}")
    rule = {
        "id": control,
        "name": _rule_name(control),
        "shortDescription": {"text": title},
        "fullDescription": {"text": " ".join(str(full).split())},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": _BAND_LEVEL.get(_band_of(sev), "warning")},
        "properties": {"tags": sorted(set(tags), key=tags.index), "security-severity": sev,
                       "precision": "high", "problem.severity": _problem_severity(sev)},
    }
    if url:
        rule["helpUri"] = url
    return rule


def _band_of(sev: str) -> str:
    value = float(sev)
    return "critical" if value >= 9 else "high" if value >= 7 else "medium" if value >= 4 else "low"


def _problem_severity(sev: str) -> str:
    return {"critical": "error", "high": "error", "medium": "warning"}.get(_band_of(sev), "recommendation")


def _message(f: Finding) -> str:
    where = f"{f.element_type} '{f.element_name}'" + (
        f" ({f.element})" if f.element_name != f.element else "")
    text = (f"{f.title}: {f.control} is not satisfied on {where} in system {f.system} "
            f"({f.evidence}). Risk {f.score:.1f} ({f.severity}).")
    if f.fails_because:
        text += " " + " ".join(_sentence(s) for s in f.fails_because)
    if f.status == "expired-acceptance":
        expires = field_of(f.acceptance, "expires", "")
        text += f" The risk acceptance expired on {expires}; the finding is open again."
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _result(f: Finding, rule_index: int) -> dict:
    level = "error" if f.status == "expired-acceptance" else _BAND_LEVEL.get(f.severity, "warning")
    result = {
        "ruleId": f.control,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": _message(f)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": _artifact_location(f.source.file),
                "region": {"startLine": max(1, f.source.line), "startColumn": max(1, f.source.col)},
            },
            "logicalLocations": [{"name": f.element, "fullyQualifiedName": f"{f.system}/{f.element}",
                                  "kind": f.element_type}],
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
        "properties": {"system": f.system, "element": f.element, "score": f.score,
                       "severity": f.severity, "status": f.status, "owner": f.owner,
                       "evidence": f.evidence},
    }
    if f.status == "accepted":
        acc = f.acceptance or {}
        result["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": (f"{field_of(acc, 'reason', '')} (owner {field_of(acc, 'owner', '?')}, "
                              f"expires {field_of(acc, 'expires', '?')})"),
        }]
    return result


def render(report: Report, *, site_url: str | None = None, base: Report | None = None) -> str:
    """The report as a SARIF 2.1.0 log (JSON text)."""
    findings = sorted(report.findings, key=lambda f: (f.control, f.system, f.element))
    by_control: dict[str, list[Finding]] = {}
    for f in findings:
        by_control.setdefault(f.control, []).append(f)
    controls = sorted(by_control)
    index = {c: i for i, c in enumerate(controls)}
    rules = [_rule(report, c, by_control[c], site_url) for c in controls]
    ordered = sorted(findings, key=lambda f: (not is_failing(f), -f.score, f.system, f.control, f.element))
    notices = all_notices(report)
    invocation: dict = {"executionSuccessful": True}
    if notices:
        invocation["toolExecutionNotifications"] = [
            {"level": "warning", "message": {"text": n}} for n in notices]
    run = {
        "tool": {"driver": {
            "name": "threatplan", "version": __version__, "semanticVersion": __version__,
            "rules": rules,
        }},
        "originalUriBaseIds": {SRCROOT: {
            "description": {"text": "The repository root: model paths are relative to it."}}},
        "invocations": [invocation],
        "results": [_result(f, index[f.control]) for f in ordered],
        "columnKind": "unicodeCodePoints",
        "properties": {"today": report.today.isoformat(),
                       "systems": [s.id for s in report.systems]},
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
