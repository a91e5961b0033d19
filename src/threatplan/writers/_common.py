"""Helpers shared by the writers: catalog look-ups, site links, acceptance warnings."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from threatplan.results import FAILING_STATUSES, SEVERITY_ORDER, Finding, Report

__all__ = [
    "EXPIRY_WARNING_DAYS", "FAILING_STATUSES", "ExpiringAcceptance", "field_of", "record_of",
    "control_url", "system_url", "is_failing", "failing_findings", "expiring_acceptances",
    "expired_acceptances", "acceptance_notices", "all_notices", "by_severity", "severity_counts",
]

EXPIRY_WARNING_DAYS = 30
"""Acceptances that expire within this many days of `report.today` are warned about."""



def field_of(obj: Any, name: str, default: Any = None) -> Any:
    """Attribute or mapping key `name` of a catalog record part, else `default`."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def record_of(report: Report, control: str) -> Any | None:
    """The catalog record of a control, or None when the report carries no catalog."""
    catalog = report.catalog
    if catalog is None:
        return None
    try:
        return catalog.get(control)
    except (KeyError, LookupError):
        return None


def control_url(site_url: str | None, control: str) -> str | None:
    """The site page of a control, or None without a site URL.

    Pages live at `generated/controls/<id>/index.html` (see threatplan.site.layout); the
    explicit index.html works whether the site is hosted with directory URLs or not.
    """
    if not site_url:
        return None
    return f"{site_url.rstrip('/')}/generated/controls/{control}/index.html"


def system_url(site_url: str | None, system: str) -> str | None:
    """The site page of a system (`generated/systems/<id>/index.html`), or None."""
    if not site_url:
        return None
    return f"{site_url.rstrip('/')}/generated/systems/{system}/index.html"


def is_failing(finding: Finding) -> bool:
    """True when the finding is open or its acceptance has expired."""
    return finding.status in FAILING_STATUSES


def failing_findings(report: Report) -> list[Finding]:
    """Open and expired-acceptance findings, highest score first."""
    return by_severity(f for f in report.findings if is_failing(f))


def by_severity(findings) -> list[Finding]:
    """Findings sorted by score (desc), then system, control, element."""
    return sorted(findings, key=lambda f: (-f.score, f.system, f.control, f.element))


def severity_counts(findings) -> dict[str, int]:
    """How many findings fall in each band, highest band first, zeros included."""
    counts = {band: 0 for band in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.get, reverse=True)
              if band != "none"}
    for f in findings:
        if f.severity in counts:
            counts[f.severity] += 1
    return counts


@dataclass(frozen=True)
class ExpiringAcceptance:
    """An acceptance that has expired or will expire soon."""

    finding: Finding
    expires: _dt.date
    days_left: int
    """Days from report.today to the expiry date (negative once expired)."""
    owner: str
    reason: str

    @property
    def expired(self) -> bool:
        """True once the expiry date has passed."""
        return self.finding.status == "expired-acceptance" or self.days_left < 0

    def message(self) -> str:
        """One line that says which acceptance expires when and who owns it."""
        f = self.finding
        what = f"acceptance of {f.control} on {f.system}/{f.element}"
        who = f" (owner {self.owner})" if self.owner else ""
        if self.expired:
            return f"{what} expired on {self.expires.isoformat()}{who}: the finding is open again"
        when = "today" if self.days_left == 0 else (
            "tomorrow" if self.days_left == 1 else f"in {self.days_left} days")
        return f"{what} expires on {self.expires.isoformat()}, {when}{who}"


def _as_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _acceptances(report: Report) -> list[ExpiringAcceptance]:
    out = []
    for f in report.findings:
        expires = _as_date(field_of(f.acceptance, "expires"))
        if expires is None:
            continue
        out.append(ExpiringAcceptance(
            finding=f, expires=expires, days_left=(expires - report.today).days,
            owner=str(field_of(f.acceptance, "owner", "") or ""),
            reason=str(field_of(f.acceptance, "reason", "") or "")))
    return sorted(out, key=lambda a: (a.expires, a.finding.system, a.finding.control,
                                      a.finding.element))


def expiring_acceptances(report: Report, days: int = EXPIRY_WARNING_DAYS) -> list[ExpiringAcceptance]:
    """Accepted findings whose acceptance expires within `days` of report.today."""
    return [a for a in _acceptances(report)
            if a.finding.status == "accepted" and 0 <= a.days_left <= days]


def expired_acceptances(report: Report) -> list[ExpiringAcceptance]:
    """Findings reopened because their acceptance expired."""
    return [a for a in _acceptances(report) if a.finding.status == "expired-acceptance"]


def acceptance_notices(report: Report, days: int = EXPIRY_WARNING_DAYS) -> list[str]:
    """Warning lines: expired acceptances first, then those expiring within `days`."""
    return [a.message() for a in expired_acceptances(report) + expiring_acceptances(report, days)]


def all_notices(report: Report, days: int = EXPIRY_WARNING_DAYS) -> list[str]:
    """The report's own warnings, then acceptance notices they do not already give."""
    own = list(report.warnings)
    extra = []
    for a in expired_acceptances(report) + expiring_acceptances(report, days):
        f = a.finding
        said = any(f"acceptance of {f.control} on {f.element}" in w and a.expires.isoformat() in w
                   for w in own)
        if not said:
            extra.append(a.message())
    return own + extra
