"""System pages: summary, data-flow diagram, remediation plan, findings, attack paths,
acceptances and elements; plus one page per zone diagram for large systems."""

from __future__ import annotations

import datetime as _dt

from threatplan.results import FAILING_STATUSES, Finding, Report, SystemResult, severity_band
from threatplan.site.diagrams import Diagram, worst_open
from threatplan.site.escape import md, md_block, md_cell, md_code
from threatplan.site.layout import Layout
from threatplan.site.mdtools import bullets, diagram_block, front_matter, link, pct, sev, table
from threatplan.site.render import Rendered

__all__ = ["system_page", "zone_page", "finding_section", "severity_counts", "OPEN"]

OPEN = FAILING_STATUSES
INLINE_FINDINGS = 150
"""Up to this many findings, the system page explains each one in full; above, it lists
them in a table and the explanations live on the element pages (pages stay fast)."""
_SEVS = ("critical", "high", "medium", "low")


def severity_counts(findings) -> dict[str, int]:
    """Open findings per severity band."""
    counts = {s: 0 for s in _SEVS}
    for f in findings:
        if f.status in OPEN and f.severity in counts:
            counts[f.severity] += 1
    return counts


def finding_section(page: str, f: Finding, layout: Layout, level: int = 3,
                    show_element: bool = True) -> str:
    """One finding with its explanation: why it applies, why it fails, its score factors."""
    where = ""
    if show_element:
        where = " on " + link(page, layout.element(f.system, f.element_type, f.element), md(f.element_name))
    head = "#" * level + f" {f.score:.1f} {md(f.severity)}: {md(f.title)}"
    lines = [head, "",
             f"{link(page, layout.control(f.control), f'`{f.control}`')}{where}. "
             f"Status **{md(f.status)}**, evidence *{md(f.evidence)}*"
             + (f" (declared {md_code(f.declared)})" if f.declared else "")
             + f", owner {md(f.owner)}, written at {md_code(f'{f.source.file}:{f.source.line}')}.", ""]
    if f.applies_because:
        lines += ["**Applies because**", "", bullets(md(x) for x in f.applies_because), ""]
    if f.fails_because:
        lines += ["**Not satisfied because**", "", bullets(md(x) for x in f.fails_because), ""]
    # One paragraph rather than a table: pages with thousands of findings build much faster.
    score = [f"**Score {f.score:.1f}**" + (f" = {md(f.formula)}" if f.formula else "")]
    score += [f"*{md(x.name)} {x.value:.2f}*: {md(x.reason)}" for x in f.factors]
    lines += ["<br>\n".join(score), ""]
    if f.acceptance:
        a = f.acceptance
        lines += [f"**Accepted** by {md(a.get('owner', ''))} until {md(a.get('expires', ''))}: "
                  f"{md(a.get('reason', ''))}", ""]
    return "\n".join(lines)


def _summary(s: SystemResult) -> str:
    model = s.loaded.model if s.loaded else None
    info = model.system if model else None
    counts = severity_counts(s.findings)
    accepted = sum(1 for f in s.findings if f.status == "accepted")
    expired = sum(1 for f in s.findings if f.status == "expired-acceptance")
    lines = [f"**Risk** {sev(severity_band(s.score))} {s.score:.1f} highest open finding, "
             f"{s.total_risk:.1f} open risk in total",
             "**Open findings** " + ", ".join(f"{counts[k]} {k}" for k in _SEVS)
             + f" · **accepted** {accepted}, **expired acceptances** {expired}",
             f"**Owner** {md(s.owner)} · **model** {md_code(s.file)}"]
    if info is not None:
        reviewed = info.reviewed.isoformat() if info.reviewed else "never"
        pentested = info.pentested.isoformat() if info.pentested else "never"
        lines.append(f"**Threat model reviewed** {reviewed} · **last penetration test** {pentested}")
        lines.append(f"**Elements** {len(model.components)} components, {len(model.flows)} flows, "
                     f"{len(model.zones)} zones, {len(model.data)} data assets")
    return bullets(lines)


def _plan(page: str, s: SystemResult, layout: Layout) -> str:
    if not s.fixes:
        return "Nothing to fix: no open findings."
    rows = []
    for x in s.fixes:
        els = ", ".join(link(page, _element_page(layout, s, e), md_cell(e)) for e in x.elements)
        rows.append([str(x.rank), link(page, layout.control(x.control), f"`{x.control}`") + " " + md_cell(x.title),
                     els, md_cell(x.owner), md_cell(x.effort), f"{x.risk_removed:.1f}",
                     pct(x.cumulative_share)])
    out = ["Fixes in order of risk removed per unit of effort (S = 1, M = 2, L = 4). "
           "*Cumulative* is the share of the system's open risk removed by this fix and all before it.",
           "", table(["#", "fix", "elements", "owner", "effort", "risk removed", "cumulative"], rows),
           "", "### By owner", ""]
    owners: dict[str, list] = {}
    for x in s.fixes:
        owners.setdefault(x.owner, []).append(x)
    for owner in sorted(owners):
        fixes = owners[owner]
        total = sum(x.risk_removed for x in fixes)
        out.append(f"- **{md(owner)}** ({total:.1f} risk): "
                   + ", ".join(f"#{x.rank} `{x.control}`" for x in fixes))
    return "\n".join(out)


def _findings_table(page: str, s: SystemResult, layout: Layout, findings) -> str:
    rows = [[f"{f.score:.1f}", sev(f.severity), link(page, layout.control(f.control), f"`{f.control}`"),
             link(page, layout.element(s.id, f.element_type, f.element), md_cell(f.element_name)),
             md_cell(f.status), md_cell(f.evidence), md_cell(f.owner)] for f in findings]
    return table(["score", "severity", "control", "element", "status", "evidence", "owner"], rows)


def _element_page(layout: Layout, s: SystemResult, element: str) -> str | None:
    return (layout.element(s.id, "component", element) or layout.element(s.id, "flow", element)
            or (layout.system(s.id) if element == s.id else None))


def _paths(page: str, s: SystemResult, layout: Layout) -> str:
    if not s.paths:
        return "No path from an untrusted zone to sensitive data."
    out = []
    for i, p in enumerate(s.paths, 1):
        chain = " → ".join(link(page, layout.element(s.id, "component", n), md(n)) for n in p.nodes)
        gaps = ", ".join(f"{link(page, layout.control(c), f'`{c}`')} on {md(e)}" for c, e in p.gaps) or "none"
        out.append(f"{i}. {chain} — reaches {md(p.classification)} data "
                   f"({', '.join(md(d) for d in p.target_data)}); risk {p.risk:.1f}; gaps: {gaps}")
    return "\n".join(out)


def _acceptances(s: SystemResult, today: _dt.date) -> str:
    model = s.loaded.model if s.loaded else None
    if model is None or not model.accepted:
        return "No risk acceptances."
    rows = []
    for a in sorted(model.accepted, key=lambda a: (a.expires, a.control, a.element)):
        state = "**expired**" if a.expires < today else f"active, {(a.expires - today).days} days left"
        rows.append([md_code(a.control), md_cell(a.element), md_cell(a.owner), a.expires.isoformat(),
                     state, md_cell(a.reason)])
    return table(["control", "element", "accepted by", "expires", "state", "reason"], rows)


def _elements(page: str, s: SystemResult, layout: Layout) -> str:
    model = s.loaded.model if s.loaded else None
    if model is None:
        return ""
    worst = worst_open(s)
    open_n: dict[tuple[str, str], int] = {}
    for f in s.findings:
        if f.status in OPEN:
            open_n[(f.element_type, f.element)] = open_n.get((f.element_type, f.element), 0) + 1
    comp_rows = [[link(page, layout.element(s.id, "component", c.id), md_cell(c.name or c.id)),
                  f"`{c.id}`", md_cell(c.kind), md_cell(c.zone),
                  sev(worst.get(("component", c.id), "none")), str(open_n.get(("component", c.id), 0))]
                 for c in sorted(model.components, key=lambda c: c.id)]
    flow_rows = [[link(page, layout.element(s.id, "flow", f.key), md_cell(f.name or f.key)),
                  md_cell(f.from_), md_cell(f.to), md_cell(f"{f.protocol} / {f.authn}"),
                  sev(worst.get(("flow", f.key), "none")), str(open_n.get(("flow", f.key), 0))]
                 for f in sorted(model.flows, key=lambda f: f.key)]
    return "\n".join(["### Components", "",
                      table(["name", "id", "kind", "zone", "worst open", "open"], comp_rows, "None."),
                      "", "### Flows", "",
                      table(["flow", "from", "to", "protocol / authn", "worst open", "open"], flow_rows, "None.")])


def system_page(s: SystemResult, report: Report, layout: Layout,
                diagrams: list[tuple[Diagram, Rendered]]) -> str:
    """The page of one system."""
    page = layout.system(s.id)
    model = s.loaded.model if s.loaded else None
    desc = model.system.description if model and model.system.description else ""
    out = [front_matter(title=s.name, tags=["system"]) + f"# {md(s.name)}", ""]
    if desc:
        out += [md_block(desc), ""]
    out += [_summary(s), ""]
    out += ["## Data-flow diagram", "",
            "Nodes are coloured by their worst open finding (red critical, orange high, amber medium, "
            "yellow low, green none) and link to their pages; edges show protocol / authentication.", ""]
    own = [(d, r) for d, r in diagrams if d.page == page]
    zones = [d for d, _ in diagrams if d.page != page]
    for d, r in own:
        out += [diagram_block(d.title, d.source, r), ""]
    if not own:
        out += ["No diagram: the model of this system is not available.", ""]
    if zones:
        out += ["This system is large, so each zone has its own diagram:", "",
                bullets(link(page, d.page, md(d.title)) for d in zones), ""]
    out += ["## Remediation plan", "", _plan(page, s, layout), ""]
    open_f = [f for f in s.findings if f.status in OPEN]
    acc_f = [f for f in s.findings if f.status not in OPEN]
    out += ["## Findings", "", f"{len(open_f)} open, {len(acc_f)} accepted.", ""]
    open_f = sorted(open_f, key=lambda f: (-f.score, f.control, f.element))
    if len(s.findings) > INLINE_FINDINGS:
        out += ["Each finding is explained in full (why it applies, why it fails, its score factors) "
                "on the page of its element.", "", _findings_table(page, s, layout, open_f + acc_f), ""]
    else:
        for f in open_f:
            out += [finding_section(page, f, layout, level=4), ""]
        if acc_f:
            out += ["### Accepted findings", ""]
            for f in acc_f:
                out += [finding_section(page, f, layout, level=4), ""]
    out += ["## Attack paths", "", _paths(page, s, layout), ""]
    out += ["## Risk acceptances", "", _acceptances(s, report.today), ""]
    out += ["## Elements", "", _elements(page, s, layout), ""]
    if s.warnings:
        out += ["## Warnings", "", bullets(md(w) for w in s.warnings), ""]
    return "\n".join(out).rstrip() + "\n"


def zone_page(s: SystemResult, layout: Layout, d: Diagram, r: Rendered, zone_id: str) -> str:
    """The diagram page of one zone of a large system."""
    model = s.loaded.model
    comps = sorted((c for c in model.components if c.zone == zone_id), key=lambda c: c.id)
    rows = [[link(d.page, layout.element(s.id, "component", c.id), md_cell(c.name or c.id)),
             f"`{c.id}`", md_cell(c.kind)] for c in comps]
    return "\n".join([front_matter(title=f"{d.title} of {s.name}") + f"# {md(d.title)} of {md(s.name)}", "",
                      "Back to " + link(d.page, layout.system(s.id), md(s.name)) + ".", "",
                      diagram_block(d.title, d.source, r), "",
                      "## Components", "", table(["name", "id", "kind"], rows, "None."), ""])

