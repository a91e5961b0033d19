"""Read-only views of the control catalog and the reference standards for the site."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from threatplan.conditions import describe_record

__all__ = ["ControlView", "controls_of", "OWASP_TOP10", "ASVS_CHAPTERS", "NIST_FAMILIES",
           "ref_url", "ref_label", "requirement_sort_key"]

OWASP_TOP10 = {
    "A01:2021": "Broken Access Control",
    "A02:2021": "Cryptographic Failures",
    "A03:2021": "Injection",
    "A04:2021": "Insecure Design",
    "A05:2021": "Security Misconfiguration",
    "A06:2021": "Vulnerable and Outdated Components",
    "A07:2021": "Identification and Authentication Failures",
    "A08:2021": "Software and Data Integrity Failures",
    "A09:2021": "Security Logging and Monitoring Failures",
    "A10:2021": "Server-Side Request Forgery (SSRF)",
}
"""The ten categories of the OWASP Top 10 2021."""

ASVS_CHAPTERS = {
    "1": "Architecture, Design and Threat Modeling", "2": "Authentication",
    "3": "Session Management", "4": "Access Control",
    "5": "Validation, Sanitization and Encoding", "6": "Stored Cryptography",
    "7": "Error Handling and Logging", "8": "Data Protection", "9": "Communication",
    "10": "Malicious Code", "11": "Business Logic", "12": "Files and Resources",
    "13": "API and Web Service", "14": "Configuration",
}
"""Chapters V1-V14 of OWASP ASVS 4.0.3."""

NIST_FAMILIES = {
    "AC": "Access Control", "AT": "Awareness and Training", "AU": "Audit and Accountability",
    "CA": "Assessment, Authorization, and Monitoring", "CM": "Configuration Management",
    "CP": "Contingency Planning", "IA": "Identification and Authentication",
    "IR": "Incident Response", "MA": "Maintenance", "MP": "Media Protection",
    "PE": "Physical and Environmental Protection", "PL": "Planning", "PM": "Program Management",
    "PS": "Personnel Security", "PT": "PII Processing and Transparency", "RA": "Risk Assessment",
    "SA": "System and Services Acquisition", "SC": "System and Communications Protection",
    "SI": "System and Information Integrity", "SR": "Supply Chain Risk Management",
}
"""Control families of NIST SP 800-53 rev. 5."""


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


@dataclass(frozen=True)
class ControlView:
    """The fields of one control record the site shows."""

    id: str
    title: str
    control: str
    group: str
    severity: str
    stride: tuple[str, ...]
    target: str
    threat: str
    why: str
    how_to_verify: tuple[str, ...]
    fix_summary: str
    fix_language: str
    fix_code: str
    effort: str
    refs: dict[str, tuple[str, ...]]
    aliases: tuple[str, ...]
    conditions: tuple[tuple[str, tuple[tuple[int, str], ...]], ...] = ()
    """(heading, nested lines in words) for applies_to, satisfied_by, contradicted_by."""


_SEVERITY_WORDS = {1: "low", 2: "low", 3: "medium", 4: "high", 5: "critical"}


def _severity(value: Any) -> str:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return _SEVERITY_WORDS.get(int(value), str(value))
    return str(_get(value, "value", value) if not isinstance(value, str) else value)


def _view(rec: Any) -> ControlView:
    fix = _get(rec, "fix")
    example = _get(fix, "example")
    refs = _get(rec, "refs")
    ref_map = {}
    for family in ("owasp", "asvs", "cwe", "nist"):
        values = [str(v) for v in _list(_get(refs, family))]
        if family == "cwe":
            values = [v if v.upper().startswith("CWE-") else f"CWE-{v}" for v in values]
        ref_map[family] = tuple(values)
    fix_summary = fix if isinstance(fix, str) else _get(fix, "summary", "")
    return ControlView(
        id=str(_get(rec, "id")),
        title=str(_get(rec, "title", "") or ""),
        control=str(_get(rec, "control", "") or ""),
        group=str(_get(rec, "group", "") or ""),
        severity=_severity(_get(rec, "severity", "")),
        stride=tuple(str(s) for s in _list(_get(rec, "stride"))),
        target=str(_get(rec, "target", "component") or "component"),
        threat=str(_get(rec, "threat", "") or ""),
        why=str(_get(rec, "why", "") or ""),
        how_to_verify=tuple(str(s) for s in _list(_get(rec, "how_to_verify"))),
        fix_summary=str(fix_summary or ""),
        fix_language=str(_get(example, "language", "") or ""),
        fix_code=str(_get(example, "code", "") or ""),
        effort=str(_get(rec, "effort", "") or ""),
        refs=ref_map,
        aliases=tuple(str(a) for a in _list(_get(rec, "aliases"))),
        conditions=tuple((h, tuple(lines)) for h, lines in describe_record(rec)),
    )


def controls_of(catalog: Any, extra_ids: Iterable[str] = ()) -> dict[str, ControlView]:
    """Every control record of the catalog by id (plus stubs for ids only seen in results)."""
    records = _get(catalog, "records", None)
    if records is None and catalog is not None and hasattr(catalog, "__iter__"):
        records = catalog
    if isinstance(records, dict):
        records = records.values()
    views = {v.id: v for v in (_view(r) for r in (records or ()))}
    for cid in extra_ids:
        if cid not in views:
            views[cid] = ControlView(cid, cid, "", cid.split(".")[0], "", (), "component", "",
                                     "", (), "", "", "", "", {k: () for k in
                                     ("owasp", "asvs", "cwe", "nist")}, ())
    return dict(sorted(views.items()))


def ref_url(family: str, ref: str) -> str | None:
    """The public page of a reference, if it has a stable one."""
    if family == "cwe":
        m = re.fullmatch(r"CWE-(\d+)", ref, re.I)
        return f"https://cwe.mitre.org/data/definitions/{m.group(1)}.html" if m else None
    if family == "owasp":
        m = re.fullmatch(r"A(\d\d):2021", ref)
        if m and ref in OWASP_TOP10:
            name = OWASP_TOP10[ref].split(" (")[0].replace(" ", "_").replace(",", "")
            return f"https://owasp.org/Top10/A{m.group(1)}_2021-{name}/"
        return None
    if family == "nist":
        m = re.fullmatch(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", ref)
        if m:
            return ("https://csrc.nist.gov/projects/cprt/catalog#/cprt/framework/version/"
                    f"SP_800_53_5_1_1/home?element={m.group(1)}-{int(m.group(2)):02d}")
        return None
    return None


def ref_label(family: str, ref: str) -> str:
    """A short human name for a reference (category, chapter or family)."""
    if family == "owasp":
        return OWASP_TOP10.get(ref, "")
    if family == "asvs":
        chapter = ref.lstrip("Vv").split(".")[0]
        return f"V{chapter} {ASVS_CHAPTERS[chapter]}" if chapter in ASVS_CHAPTERS else ""
    if family == "nist":
        return NIST_FAMILIES.get(ref[:2], "")
    return ""


def requirement_sort_key(ref: str) -> tuple:
    """Natural order: A02 before A10, 2.2.1 before 2.10.1, AC-2 before AC-11."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.:\-()]+", ref) if p)
