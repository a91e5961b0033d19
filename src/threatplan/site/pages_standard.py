"""Standard pages: for each requirement of OWASP Top 10 2021, ASVS 4.0.3, CWE and NIST SP
800-53, the controls that address it and how each system fares (controls x systems)."""

from __future__ import annotations

from threatplan.site.coverage import Coverage
from threatplan.site.escape import md, md_cell
from threatplan.site.kb import OWASP_TOP10, ControlView, ref_label, ref_url, requirement_sort_key
from threatplan.site.layout import STANDARDS, Layout
from threatplan.site.mdtools import badge, link, pct, table

__all__ = ["requirements", "standard_page", "standards_index", "standard_summary"]

_INTRO = {
    "owasp": "The ten risk categories of the OWASP Top 10 (2021). Categories no control of the "
             "catalog maps to are listed too, so the gaps in the catalog itself are visible.",
    "asvs": "OWASP Application Security Verification Standard 4.0.3 requirements that controls of "
            "the catalog verify.",
    "cwe": "Weaknesses (MITRE CWE) that the controls of the catalog prevent.",
    "nist": "NIST SP 800-53 revision 5 security controls that the catalog's controls implement.",
}
_STATE = {"fails": badge("fails", "fails"), "accepted": badge("accepted", "accepted"),
          "met": badge("met", "met"), "n/a": "n/a"}


def requirements(family: str, controls: dict[str, ControlView]) -> dict[str, list[str]]:
    """Requirement id -> ids of the controls that reference it."""
    req: dict[str, list[str]] = {r: [] for r in OWASP_TOP10} if family == "owasp" else {}
    for c in controls.values():
        for r in c.refs.get(family, ()):
            req.setdefault(r, []).append(c.id)
    return {r: sorted(set(req[r])) for r in sorted(req, key=requirement_sort_key)}


def standard_summary(family: str, controls: dict[str, ControlView], cov: Coverage) -> tuple[int, int]:
    """(requirements with controls that no system fails, requirements with controls)."""
    reqs = {r: cs for r, cs in requirements(family, controls).items() if cs}
    met = sum(1 for cs in reqs.values() if all(cov.state(cs, s) != "fails" for s in cov.systems))
    return met, len(reqs)


def standard_page(family: str, controls: dict[str, ControlView], layout: Layout, cov: Coverage) -> str:
    """Coverage of one standard, requirement by requirement."""
    page = layout.standard(family)
    reqs = requirements(family, controls)
    met, total = standard_summary(family, controls, cov)
    out = [f"# {md(STANDARDS[family][1])}", "", _INTRO[family], "",
           f"{met} of {total} requirements addressed by the catalog are met in every system"
           + (f" ({pct(met / total)})." if total else "."), "",
           "A cell shows the worst state of the requirement's controls in that system: *fails* when "
           "some element has an open finding, *accepted* when there are only accepted findings, *met* "
           "when every element they apply to satisfies them, *n/a* when they apply nowhere.", ""]
    headers = ["requirement", "controls"] + [link(page, layout.system(s), md_cell(cov.names[s]))
                                             for s in cov.systems]
    rows = []
    for r, cs in reqs.items():
        url = ref_url(family, r)
        label = ref_label(family, r)
        name = md_cell(r) + (f" {md_cell(label)}" if label else "")
        name = f"[{name}]({url})" if url else name
        ctl = ", ".join(link(page, layout.control(c), f"`{c}`") for c in cs) or "*no control*"
        cells = [_STATE[cov.state(cs, s)] if cs else " " for s in cov.systems]
        rows.append([name, ctl, *cells])
    out += [table(headers, rows, "No control of the catalog references this standard."), ""]
    # Controls x systems detail, so each cell can be traced to a control.
    used = sorted({c for cs in reqs.values() for c in cs})
    if used:
        out += ["## Controls × systems", ""]
        crow = [[link(page, layout.control(c), f"`{c}`")] + [cov.cells[(c, s)].text() if (c, s) in cov.cells else "—"
                                                            for s in cov.systems] for c in used]
        out += [table(["control"] + [md_cell(cov.names[s]) for s in cov.systems], crow), ""]
    return "\n".join(out).rstrip() + "\n"


def standards_index(controls: dict[str, ControlView], layout: Layout, cov: Coverage) -> str:
    """The list of standards with their coverage."""
    page = layout.standards_index
    rows = []
    for fam in STANDARDS:
        met, total = standard_summary(fam, controls, cov)
        rows.append([link(page, layout.standard(fam), md_cell(STANDARDS[fam][1])),
                     f"{met} / {total}", pct(met / total) if total else "—"])
    return "\n".join(["# Standards", "",
                      "How the modelled systems cover the requirements of each standard the catalog "
                      "maps to. A requirement is met when no system has an open finding on any of its "
                      "controls.", "",
                      table(["standard", "requirements met", "coverage"], rows), ""])
