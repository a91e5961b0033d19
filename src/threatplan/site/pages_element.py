"""Element pages: one per component and per flow, with its findings and the status of
every control that applies to it."""

from __future__ import annotations

from threatplan.results import SystemResult
from threatplan.site.escape import md, md_block, md_cell, md_code
from threatplan.site.layout import Layout
from threatplan.site.mdtools import badge, front_matter, link, sev, table
from threatplan.site.pages_system import OPEN, finding_section

__all__ = ["ElementIndex", "component_page", "flow_page"]

_OUTCOME = {"satisfied": badge("ok", "implemented"),
            "satisfied-by-facts": badge("ok", "satisfied by the model"),
            "not-applicable": badge("na", "not applicable"), "gap": badge("gap", "gap")}


class ElementIndex:
    """Findings, checks and flows of a system grouped by element (one pass, not one per page)."""

    def __init__(self, s: SystemResult):
        self.findings: dict[tuple[str, str], list] = {}
        self.checks: dict[tuple[str, str], list] = {}
        self.flows: dict[str, list] = {}
        for f in s.findings:
            self.findings.setdefault((f.element_type, f.element), []).append(f)
        for c in s.checks:
            self.checks.setdefault((c.element_type, c.element), []).append(c)
        if s.loaded is not None:
            for fl in sorted(s.loaded.model.flows, key=lambda fl: fl.key):
                self.flows.setdefault(fl.from_, []).append(fl)
                if fl.to != fl.from_:
                    self.flows.setdefault(fl.to, []).append(fl)


def _status(page: str, s: SystemResult, layout: Layout, ix: ElementIndex, kind: str, key: str) -> str:
    findings = {f.control: f for f in ix.findings.get((kind, key), [])}
    rows = []
    seen = set()
    for c in sorted(ix.checks.get((kind, key), []), key=lambda c: c.control):
        seen.add(c.control)
        outcome = _OUTCOME.get(c.outcome, md_cell(c.outcome))
        f = findings.get(c.control)
        if f is not None:
            outcome = f"{badge('gap', md_cell(f.status))} {f.score:.1f} {sev(f.severity)}"
        rows.append([link(page, layout.control(c.control), f"`{c.control}`"), outcome, md_cell(c.detail)])
    for cid, f in sorted(findings.items()):
        if cid not in seen:
            rows.append([link(page, layout.control(cid), f"`{cid}`"),
                         f"{badge('gap', md_cell(f.status))} {f.score:.1f} {sev(f.severity)}",
                         md_cell("; ".join(f.fails_because))])
    return table(["control", "status", "detail"], rows, "No control applies to this element.")


def _findings(page: str, layout: Layout, ix: ElementIndex, kind: str, key: str) -> list[str]:
    fs = ix.findings.get((kind, key), [])
    open_n = sum(1 for f in fs if f.status in OPEN)
    out = ["## Findings", "", f"{open_n} open, {len(fs) - open_n} accepted.", ""]
    for f in fs:
        out += [finding_section(page, f, layout, level=4, show_element=False), ""]
    return out


def _data(model, ids) -> str:
    assets = {d.id: d for d in model.data}
    return ", ".join(f"{md(i)} ({md(assets[i].classification)})" if i in assets else md(i)
                     for i in ids) or "none"


def component_page(s: SystemResult, layout: Layout, ix: ElementIndex, comp) -> str:
    """The page of one component."""
    page = layout.element(s.id, "component", comp.id)
    model = s.loaded.model
    zones = {z.id: z for z in model.zones}
    zone = zones.get(comp.zone)
    rows = [["System", link(page, layout.system(s.id), md_cell(s.name))],
            ["Id", md_code(comp.id)], ["Kind", md_cell(comp.kind)],
            ["Zone", md_cell(f"{(zone.name or zone.id)} ({zone.trust})" if zone else comp.zone)],
            ["Owner", md_cell(comp.owner or s.owner)]]
    for label, value in (("Technology", ", ".join(comp.tech)), ("Runs as", comp.runs_as or ""),
                         ("Image", comp.image or ""), ("Exposes", ", ".join(comp.exposes)),
                         ("Sessions", comp.sessions or ""), ("Tags", ", ".join(comp.tags))):
        if value:
            rows.append([label, md_cell(value)])
    rows.append(["Processes", _data(model, comp.processes)])
    rows.append(["Stores", _data(model, comp.stores)])
    src = s.loaded.source("component", comp.id)
    rows.append(["Written at", md_code(f'{src.file}:{src.line}')])
    flows = ix.flows.get(comp.id, [])
    flow_rows = [[link(page, layout.element(s.id, "flow", f.key), md_cell(f.key)),
                  "in" if f.to == comp.id else "out",
                  link(page, layout.element(s.id, "component", f.from_ if f.to == comp.id else f.to),
                       md_cell(f.from_ if f.to == comp.id else f.to)),
                  md_cell(f"{f.protocol} / {f.authn}"), md_cell(", ".join(f.data))] for f in flows]
    out = [front_matter(title=comp.name or comp.id, tags=["element"]) + f"# {md(comp.name or comp.id)}", ""]
    if comp.description:
        out += [md_block(comp.description), ""]
    out += [table(["property", "value"], rows), ""]
    out += _findings(page, layout, ix, "component", comp.id)
    out += ["## Controls", "", _status(page, s, layout, ix, "component", comp.id), ""]
    out += ["## Flows", "", table(["flow", "direction", "peer", "protocol / authn", "data"], flow_rows,
                                  "No flows."), ""]
    return "\n".join(out).rstrip() + "\n"


def flow_page(s: SystemResult, layout: Layout, ix: ElementIndex, flow) -> str:
    """The page of one flow."""
    page = layout.element(s.id, "flow", flow.key)
    model = s.loaded.model
    comps = {c.id: c for c in model.components}

    def comp_link(cid: str) -> str:
        c = comps.get(cid)
        return link(page, layout.element(s.id, "component", cid), md_cell(c.name or c.id if c else cid))

    rows = [["System", link(page, layout.system(s.id), md_cell(s.name))],
            ["Key", md_code(flow.key)], ["From", comp_link(flow.from_)], ["To", comp_link(flow.to)],
            ["Protocol", md_cell(flow.protocol)], ["Authentication", md_cell(flow.authn)],
            ["Data", _data(model, flow.data)]]
    if flow.tags:
        rows.append(["Tags", md_cell(", ".join(flow.tags))])
    src = s.loaded.source("flow", flow.key)
    rows.append(["Written at", md_code(f'{src.file}:{src.line}')])
    out = [front_matter(title=flow.name or flow.key, tags=["element"]) + f"# {md(flow.name or flow.key)}", ""]
    if flow.description:
        out += [md_block(flow.description), ""]
    out += [table(["property", "value"], rows), ""]
    out += _findings(page, layout, ix, "flow", flow.key)
    out += ["## Controls", "", _status(page, s, layout, ix, "flow", flow.key), ""]
    return "\n".join(out).rstrip() + "\n"
