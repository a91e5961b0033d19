"""Control pages: the knowledge-base text generated from each catalog record, plus where
the control currently fails; and the controls index."""

from __future__ import annotations

from threatplan.results import Report
from threatplan.site.coverage import Coverage
from threatplan.site.escape import code_block, md, md_block, md_cell
from threatplan.site.kb import ControlView, ref_label, ref_url
from threatplan.site.layout import Layout
from threatplan.site.mdtools import bullets, front_matter, link, table

__all__ = ["control_page", "controls_index"]

_FAMILY_TITLE = {"cwe": "CWE", "owasp": "OWASP Top 10 2021", "asvs": "OWASP ASVS 4.0.3",
                 "nist": "NIST SP 800-53 rev. 5"}


def _ref(family: str, ref: str) -> str:
    url = ref_url(family, ref)
    label = ref_label(family, ref)
    text = md(ref) + (f" {md(label)}" if label else "")
    return f"[{text}]({url})" if url else text


def control_page(c: ControlView, report: Report, layout: Layout, cov: Coverage) -> str:
    """The knowledge-base page of one control."""
    page = layout.control(c.id)
    tags = [c.group, *c.stride, c.severity]
    out = [front_matter(title=c.title or c.id, tags=tags) + f"# {md(c.title or c.id)}", "",
           f"`{c.id}`" + (f" · {md(c.control)}" if c.control else ""), ""]
    facts = [["Group", md_cell(c.group)], ["Severity", md_cell(c.severity)],
             ["STRIDE", md_cell(", ".join(c.stride))], ["Evaluated on", md_cell(c.target)],
             ["Effort to fix", md_cell(c.effort)]]
    if c.aliases:
        facts.append(["Former ids", md_cell(", ".join(c.aliases))])
    out += [table(["property", "value"], facts), ""]
    if c.threat:
        out += ["## The threat", "", md_block(c.threat), ""]
    if c.why:
        out += ["## Why it matters", "", md_block(c.why), ""]
    if c.how_to_verify:
        out += ["## How to verify", "", bullets(md(x) for x in c.how_to_verify), ""]
    if c.fix_summary or c.fix_code:
        out += ["## How to fix", "", md_block(c.fix_summary), ""]
        if c.fix_code:
            out += [code_block(c.fix_code, c.fix_language or "javascript"), ""]
    if c.conditions:
        out += ["## When it applies", "",
                f"Evaluated on every {md(c.target)} of every system. Conditions are data in the "
                "control record, shown here in words.", ""]
        for heading, lines in c.conditions:
            out += [f"**{md(heading)}**", ""]
            out += ["    " * depth + "- " + md(text) for depth, text in lines]
            out.append("")
    refs = [(fam, r) for fam in ("owasp", "asvs", "cwe", "nist") for r in c.refs.get(fam, ())]
    if refs:
        out += ["## References", ""]
        for fam in ("owasp", "asvs", "cwe", "nist"):
            if c.refs.get(fam):
                out.append(f"- {link(page, layout.standard(fam), md(_FAMILY_TITLE[fam]))}: "
                           + ", ".join(_ref(fam, r) for r in c.refs[fam]))
        out.append("")
    out += ["## Where it stands", ""]
    rows = []
    for sid in cov.systems:
        cell = cov.cells.get((c.id, sid))
        if cell is None or cell.state == "n/a" and not cell.applicable:
            continue
        rows.append([link(page, layout.system(sid), md_cell(cov.names[sid])), cell.text(),
                     str(cell.applicable)])
    out += [table(["system", "state", "elements it applies to"], rows,
                  "It does not apply to any element of the modelled systems."), ""]
    failing = [f for s in cov.systems if (c.id, s) in cov.cells for f in cov.cells[(c.id, s)].findings]
    if failing:
        out += ["### Where it fails", ""]
        frows = [[link(page, layout.system(f.system), md_cell(cov.names[f.system])),
                  link(page, layout.element(f.system, f.element_type, f.element), md_cell(f.element_name)),
                  f"{f.score:.1f}", md_cell(f.severity), md_cell(f.status), md_cell(f.owner)]
                 for f in sorted(failing, key=lambda f: (-f.score, f.system, f.element))]
        out += [table(["system", "element", "score", "severity", "status", "owner"], frows), ""]
    return "\n".join(out).rstrip() + "\n"


def controls_index(controls: dict[str, ControlView], layout: Layout, cov: Coverage) -> str:
    """The list of every control, grouped."""
    page = layout.controls_index
    out = ["# Controls", "",
           "The knowledge base: one page per control of the catalog, with the threat it counters, "
           "how to verify and fix it, its references, and where it fails today.", ""]
    groups: dict[str, list[ControlView]] = {}
    for c in controls.values():
        groups.setdefault(c.group, []).append(c)
    for g in sorted(groups):
        out += [f"## {md(g)}", ""]
        rows = []
        for c in groups[g]:
            fails = sum(cov.cells[(c.id, s)].open for s in cov.systems if (c.id, s) in cov.cells)
            rows.append([link(page, layout.control(c.id), f"`{c.id}`"), md_cell(c.title),
                         md_cell(c.severity), str(fails)])
        out += [table(["control", "risk", "severity", "open findings"], rows), ""]
    return "\n".join(out).rstrip() + "\n"

