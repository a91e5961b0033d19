"""The terminal report: ranked findings with their explanation, and the plan.

Also `explain`: a control's knowledge-base entry for `threatplan explain ID`.
"""

from __future__ import annotations

import textwrap

from threatplan.results import Finding, Report, SystemResult

__all__ = ["render", "explain"]

_SEV_COLOR = {"critical": "\033[1;35m", "high": "\033[1;31m", "medium": "\033[33m", "low": "\033[36m",
              "none": ""}
_RESET = "\033[0m"


def _c(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and code else text


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    return textwrap.wrap(" ".join(str(text).split()), width=width, initial_indent=indent,
                         subsequent_indent=indent) or [indent]


def render(report: Report, *, color: bool = False, verbose: bool = True, **_options) -> str:
    """The whole report as plain text (ANSI colours when `color`)."""
    out: list[str] = []
    for s in report.systems:
        out.extend(_system(s, color, verbose))
        out.append("")
    totals = _totals(report)
    out.append("Summary: " + ", ".join(f"{n} {k}" for k, n in totals.items()) +
               f" across {len(report.systems)} system{'s' if len(report.systems) != 1 else ''}")
    for w in report.warnings:
        out.append(_c(f"warning: {w}", "\033[33m", color))
    return "\n".join(out) + "\n"


def _totals(report: Report) -> dict[str, int]:
    counts = {k: 0 for k in ("critical", "high", "medium", "low", "accepted", "expired-acceptance")}
    for f in report.findings:
        if f.status == "accepted":
            counts["accepted"] += 1
        else:
            counts[f.severity] += 1
            if f.status == "expired-acceptance":
                counts["expired-acceptance"] += 1
    return counts


def _system(s: SystemResult, color: bool, verbose: bool) -> list[str]:
    open_ = [f for f in s.findings if f.status != "accepted"]
    head = f"== {s.name} ({s.id}) · owner {s.owner} · {s.file}"
    out = [_c(head, "\033[1m", color),
           f"   risk score {s.score:.1f} ({_band(s.score)}), {len(open_)} open finding"
           f"{'s' if len(open_) != 1 else ''}, total open risk {s.total_risk:.1f}"]
    if s.fixes:
        out.append("")
        out.append(_c("   Fix first (risk removed per unit of effort):", "\033[1m", color))
        for fix in s.fixes[:10]:
            els = ", ".join(fix.elements[:4]) + (f" +{len(fix.elements) - 4}" if len(fix.elements) > 4 else "")
            out.append(f"   {fix.rank:>2}. {fix.control} on {els}  [{fix.owner}, effort {fix.effort}] "
                       f"removes {fix.risk_removed:.1f} -> {fix.cumulative_share:.0%} of risk")
        if len(s.fixes) > 10:
            out.append(f"       ... {len(s.fixes) - 10} more fixes (see --format json or the site)")
    if s.paths:
        out.append("")
        out.append(_c("   Attack paths to the most sensitive data:", "\033[1m", color))
        for p in s.paths[:5]:
            out.append(f"   - {' -> '.join(p.nodes)} ({p.classification}: {', '.join(p.target_data)}); "
                       f"{len(p.gaps)} gap{'s' if len(p.gaps) != 1 else ''}, risk {p.risk:.1f}")
    out.append("")
    out.append(_c("   Findings:", "\033[1m", color))
    if not s.findings:
        out.append("   none: every applicable control is satisfied")
    for f in s.findings:
        out.extend(_finding(f, color, verbose))
    for w in s.warnings:
        out.append(_c(f"   warning: {w}", "\033[33m", color))
    return out


def _band(score: float) -> str:
    from threatplan.results import severity_band
    return severity_band(score)


def _finding(f: Finding, color: bool, verbose: bool) -> list[str]:
    sev = _c(f"{f.severity.upper():8}", _SEV_COLOR.get(f.severity, ""), color)
    status = "" if f.status == "open" else f" [{f.status}]"
    out = [f"   {f.score:4.1f} {sev} {f.control} on {f.element_type} {f.element}{status}  "
           f"({f.source.file}:{f.source.line})",
           f"        {f.title} · {f.evidence} · owner {f.owner}"]
    if not verbose:
        return out
    out.extend(_wrap("applies: " + "; ".join(f.applies_because), "        "))
    out.extend(_wrap("fails: " + "; ".join(f.fails_because), "        "))
    out.extend(_wrap("score: " + f.formula + " — " + "; ".join(
        f"{x.name} {x.value:.2f}: {x.reason}" for x in f.factors), "        "))
    if f.acceptance:
        a = f.acceptance
        out.extend(_wrap(f"accepted by {a['owner']} until {a['expires']}: {a['reason']}", "        "))
    return out


def explain(record, *, color: bool = False) -> str:
    """A control record as a terminal page."""
    refs = record.refs
    out = [_c(f"{record.id}: {record.title}", "\033[1m", color),
           f"Control: {record.control}",
           f"Group {record.group} · severity {record.severity_name} ({record.severity}/5) · effort {record.effort}"
           f" · applies to each {record.target} · STRIDE: {', '.join(record.stride)}",
           "", _c("Threat", "\033[1m", color), *_wrap(record.threat, "  "),
           "", _c("Why it matters", "\033[1m", color), *_wrap(record.why, "  "),
           "", _c("How to verify", "\033[1m", color)]
    for step in record.how_to_verify:
        out.extend(_wrap(step, "    ")[:1] and [("  - " + line.strip()) if i == 0 else line
                                                 for i, line in enumerate(_wrap(step, "    "))])
    from threatplan.conditions import describe_record
    for heading, lines in describe_record(record):
        out += ["", _c(heading, "\033[1m", color)]
        out += ["  " + "  " * depth + "- " + text for depth, text in lines]
    out += ["", _c("How to fix", "\033[1m", color), *_wrap(record.fix.summary, "  ")]
    if record.fix.example:
        out.append("")
        out.append(f"  Example ({record.fix.example.language}):")
        out.extend("    " + line for line in record.fix.example.code.rstrip().splitlines())
    out += ["", _c("References", "\033[1m", color)]
    if refs.cwe:
        out.append("  CWE: " + ", ".join(f"CWE-{c}" for c in refs.cwe))
    if refs.owasp:
        out.append("  OWASP Top 10 2021: " + ", ".join(refs.owasp))
    if refs.asvs:
        out.append("  OWASP ASVS 4.0.3: " + ", ".join(refs.asvs))
    if refs.nist:
        out.append("  NIST SP 800-53 rev. 5: " + ", ".join(refs.nist))
    out.append(f"\nRecord: {record.source}")
    return "\n".join(out) + "\n"
