"""The frozen result of an analysis: what every writer (text, JSON, SARIF, JUnit,
Markdown, site) consumes. Writers import this module, never the loader or the CLI."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from threatplan.catalog import Catalog
    from threatplan.loading import LoadedSystem

__all__ = [
    "SourceRef", "ScoreFactor", "Finding", "ControlCheck", "Fix", "AttackPath",
    "SystemResult", "Report", "severity_band", "SEVERITY_ORDER", "FAILING_STATUSES",
]

FAILING_STATUSES = ("open", "expired-acceptance")
"""Finding statuses that count against a check (an accepted finding does not)."""

SEVERITY_ORDER = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
"""Severity bands from lowest to highest."""


def severity_band(score: float) -> str:
    """The CVSS band of a 0-10 score: critical >= 9, high >= 7, medium >= 4, low > 0."""
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    if score > 0.0:
        return "low"
    return "none"


@dataclass(frozen=True)
class SourceRef:
    """Where something was written: file (relative to the working folder), line, column."""

    file: str
    line: int
    col: int


@dataclass(frozen=True)
class ScoreFactor:
    """One factor of a score, with the reason it has its value."""

    name: str
    """`likelihood`, `impact` or `severity`."""
    value: float
    """The factor's value, 0.0-1.0."""
    reason: str
    """Why, in words a reader can check against the model."""


@dataclass(frozen=True)
class Finding:
    """A control that applies to an element and is not satisfied there."""

    control: str
    """Control id, e.g. `auth.rate-limit`."""
    title: str
    """The control record's title (names the risk)."""
    system: str
    """System id."""
    element: str
    """Component id, flow key (`<from>-><to>` when unnamed) or the system id."""
    element_type: str
    """`component`, `flow` or `system`."""
    element_name: str
    """Display name of the element."""
    score: float
    """Risk score 0.0-10.0, one decimal."""
    severity: str
    """Band of the score: critical, high, medium, low."""
    status: str
    """`open`, `accepted` or `expired-acceptance`."""
    evidence: str
    """`declared missing`, `no evidence`, or `contradicted` (the model's facts show the gap,
    whether or not `implemented` was declared)."""
    declared: str | None
    """The declared status on the element, if any."""
    applies_because: tuple[str, ...]
    """Facts that made the control apply."""
    fails_because: tuple[str, ...]
    """Facts that show it is not satisfied."""
    factors: tuple[ScoreFactor, ...]
    """Likelihood, impact and severity with their reasons."""
    formula: str
    """The score computation written out with numbers."""
    owner: str
    """Who should fix it: the element's owner, else the system's, else `unowned`."""
    source: SourceRef
    """Where the element is written in the model."""
    acceptance: dict | None = None
    """The matching acceptance (`reason`, `owner`, `expires`, `file`, `line`), if any."""

    @property
    def key(self) -> tuple[str, str, str]:
        """Stable identity across runs: (system, control, element)."""
        return (self.system, self.control, self.element)

    def to_json(self) -> dict:
        """The finding as JSON (SPEC section 4 fields first)."""
        return {
            "control": self.control,
            "element": self.element,
            "system": self.system,
            "score": self.score,
            "severity": self.severity,
            "status": self.status,
            "file": self.source.file,
            "line": self.source.line,
            "column": self.source.col,
            "title": self.title,
            "element_type": self.element_type,
            "element_name": self.element_name,
            "owner": self.owner,
            "evidence": self.evidence,
            "declared": self.declared,
            "applies_because": list(self.applies_because),
            "fails_because": list(self.fails_because),
            "score_factors": [
                {"name": f.name, "value": f.value, "reason": f.reason} for f in self.factors
            ],
            "formula": self.formula,
            "acceptance": self.acceptance,
        }


@dataclass(frozen=True)
class ControlCheck:
    """The outcome of one applicable control on one element (for element pages, JUnit)."""

    control: str
    element: str
    element_type: str
    outcome: str
    """`satisfied` (declared), `satisfied-by-facts`, `not-applicable`, `gap`."""
    detail: str
    """The declared reason or the facts that decided it."""


@dataclass(frozen=True)
class Fix:
    """One step of the remediation plan: implement a control on some elements."""

    rank: int
    control: str
    title: str
    system: str
    owner: str
    elements: tuple[str, ...]
    effort: str
    """S, M or L."""
    risk_removed: float
    """Sum of the scores of the open findings it closes."""
    priority: float
    """risk_removed / effort units (S=1, M=2, L=4)."""
    cumulative_share: float
    """Share of the system's total open risk removed by this and every earlier fix, 0-1."""


@dataclass(frozen=True)
class AttackPath:
    """A path from an untrusted zone to the most sensitive data, with the gaps on it."""

    system: str
    nodes: tuple[str, ...]
    """Component ids from the entry point to the target."""
    flows: tuple[str, ...]
    """Flow keys between consecutive nodes."""
    target_data: tuple[str, ...]
    """Data asset ids of the target's most sensitive data."""
    classification: str
    gaps: tuple[tuple[str, str], ...]
    """(control, element) of open findings along the path."""
    risk: float
    """Sum of the scores of those gaps."""


@dataclass(frozen=True)
class SystemResult:
    """Everything known about one system after analysis."""

    id: str
    name: str
    owner: str
    file: str
    score: float
    """Highest open finding score (0.0 when none)."""
    total_risk: float
    """Sum of open finding scores (what the plan removes)."""
    findings: tuple[Finding, ...]
    """Sorted by score descending, then control, then element."""
    checks: tuple[ControlCheck, ...]
    fixes: tuple[Fix, ...]
    paths: tuple[AttackPath, ...]
    warnings: tuple[str, ...] = ()
    loaded: "LoadedSystem | None" = field(default=None, compare=False, repr=False)
    """The validated model with source positions (diagrams and element pages need it)."""

    def to_json(self) -> dict:
        """The system as JSON (SPEC section 4)."""
        return {
            "id": self.id,
            "name": self.name,
            "owner": self.owner,
            "file": self.file,
            "score": self.score,
            "severity": severity_band(self.score),
            "total_risk": self.total_risk,
            "findings": [f.to_json() for f in self.findings],
            "plan": [
                {"rank": x.rank, "control": x.control, "title": x.title, "owner": x.owner,
                 "elements": list(x.elements), "effort": x.effort,
                 "risk_removed": x.risk_removed, "priority": x.priority,
                 "cumulative_share": x.cumulative_share}
                for x in self.fixes
            ],
            "attack_paths": [
                {"nodes": list(p.nodes), "flows": list(p.flows), "target_data": list(p.target_data),
                 "classification": p.classification, "risk": p.risk,
                 "gaps": [{"control": c, "element": e} for c, e in p.gaps]}
                for p in self.paths
            ],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Report:
    """The result of one run over one or more systems."""

    systems: tuple[SystemResult, ...]
    today: _dt.date
    warnings: tuple[str, ...] = ()
    catalog: "Catalog | None" = field(default=None, compare=False, repr=False)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """All findings of all systems."""
        return tuple(f for s in self.systems for f in s.findings)

    def to_json(self) -> dict:
        """The whole report as JSON: `{"systems": [...]}` plus totals."""
        return {
            "systems": [s.to_json() for s in self.systems],
            "today": self.today.isoformat(),
            "warnings": list(self.warnings),
        }
