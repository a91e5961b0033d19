"""Markdown writer: a short summary for a pull-request comment.

Totals first, then warnings about acceptances, then the findings a reviewer must look at
(new ones when a base report is given, and every high or critical one), then a table of
all open findings. Long tables are cut so the comment stays within PR-comment limits.
"""

from __future__ import annotations

from threatplan.results import Finding, Report
from threatplan.writers._common import (
    all_notices, by_severity, control_url, failing_findings, severity_counts, system_url,
)

__all__ = ["render", "findings_table", "cell"]

MAX_ROWS = 50
"""Rows per table before it is cut (a GitHub comment holds at most 65,536 characters)."""
_ICON = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "🟦"}


def cell(text: object) -> str:
    """Text made safe for one Markdown table cell: no markup, links or HTML survive."""
    text = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for char in "[]*_`~":
        text = text.replace(char, "\\" + char)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").strip()


def _control(f: Finding, site_url: str | None) -> str:
    url = control_url(site_url, f.control)
    return f"[`{f.control}`]({url})" if url else f"`{f.control}`"


def _system(system: str, site_url: str | None) -> str:
    url = system_url(site_url, system)
    return f"[{cell(system)}]({url})" if url else cell(system)


def _element(f: Finding) -> str:
    code = "`" + f.element.replace("`", "").replace("|", "\\|") + "`"
    return code if f.element_name == f.element else f"{cell(f.element_name)} ({code})"


def findings_table(findings: list[Finding], site_url: str | None = None,
                   new_keys: frozenset = frozenset(), limit: int = MAX_ROWS) -> list[str]:
    """Markdown lines of a findings table, cut after `limit` rows."""
    lines = ["| severity | score | control | element | system | where | status |",
             "|---|---:|---|---|---|---|---|"]
    for f in findings[:limit]:
        mark = " 🆕" if f.key in new_keys else ""
        lines.append(
            f"| {_ICON.get(f.severity, '')} {f.severity}{mark} | {f.score:.1f} | "
            f"{_control(f, site_url)} {cell(f.title)} | {_element(f)} | "
            f"{_system(f.system, site_url)} | `{cell(f.source.file)}:{f.source.line}` | {f.status} |")
    if len(findings) > limit:
        lines.append(f"\n… and {len(findings) - limit} more; run `threatplan check` for the full list.")
    return lines


def _totals(report: Report, failing: list[Finding], site_url: str | None) -> list[str]:
    counts = severity_counts(failing)
    accepted = sum(1 for f in report.findings if f.status == "accepted")
    summary = ", ".join(f"{n} {band}" for band, n in counts.items() if n) or "none"
    lines = [f"**{len(failing)} open finding{'s' if len(failing) != 1 else ''}** ({summary}) "
             f"in {len(report.systems)} system{'s' if len(report.systems) != 1 else ''}; "
             f"{accepted} accepted.", ""]
    lines += ["| system | score | critical | high | medium | low | accepted |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for s in sorted(report.systems, key=lambda s: s.id):
        c = severity_counts(f for f in s.findings if f.status != "accepted")
        acc = sum(1 for f in s.findings if f.status == "accepted")
        lines.append(f"| {_system(s.id, site_url)} | "
                     f"{s.score:.1f} | {c['critical']} | {c['high']} | {c['medium']} | {c['low']} | {acc} |")
    return lines


def render(report: Report, *, site_url: str | None = None, base: Report | None = None) -> str:
    """The report as a Markdown pull-request comment."""
    failing = failing_findings(report)
    new_keys = frozenset()
    if base is not None:
        known = {f.key for f in base.findings}
        new_keys = frozenset(f.key for f in failing if f.key not in known)
    out = ["## threatplan: threat model check", ""]
    out += _totals(report, failing, site_url)
    notices = all_notices(report)
    if notices:
        out += ["", "> [!WARNING]"] + [f"> - {cell(n)}" for n in notices]
    if base is not None:
        new = [f for f in failing if f.key in new_keys]
        out += ["", f"### New findings ({len(new)})", ""]
        out += findings_table(new, site_url, new_keys) if new else ["No new open findings. ✅"]
    high = [f for f in failing if f.severity in ("critical", "high")]
    out += ["", f"### High and critical findings ({len(high)})", ""]
    out += findings_table(high, site_url, new_keys) if high else ["None. ✅"]
    rest = by_severity(f for f in failing if f.severity not in ("critical", "high"))
    if rest:
        out += ["", "<details><summary>Other open findings "
                f"({len(rest)})</summary>", ""]
        out += findings_table(rest, site_url, new_keys)
        out += ["", "</details>"]
    if site_url:
        out += ["", f"Full report and remediation plan: {site_url.rstrip('/')}/"]
    return "\n".join(out) + "\n"
