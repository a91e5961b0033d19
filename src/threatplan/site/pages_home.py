"""The dashboard across systems (included in the home page) and the systems index."""

from __future__ import annotations

from threatplan.results import Report, severity_band
from threatplan.site.coverage import Coverage
from threatplan.site.escape import md_cell
from threatplan.site.kb import ControlView
from threatplan.site.layout import STANDARDS, Layout
from threatplan.site.mdtools import link, pct, sev, table
from threatplan.site.pages_standard import standard_summary
from threatplan.site.pages_system import severity_counts

__all__ = ["dashboard", "systems_index"]

_SEVS = ("critical", "high", "medium", "low")


def _systems_table(page: str, report: Report, layout: Layout) -> str:
    rows = []
    for s in sorted(report.systems, key=lambda s: (-s.score, -s.total_risk, s.id)):
        counts = severity_counts(s.findings)
        accepted = sum(1 for f in s.findings if f.status == "accepted")
        rows.append([link(page, layout.system(s.id), md_cell(s.name)), md_cell(s.owner),
                     f"{s.score:.1f}", sev(severity_band(s.score)), f"{s.total_risk:.1f}",
                     *[str(counts[k]) for k in _SEVS], str(accepted)])
    return table(["system", "owner", "risk", "band", "total open risk", *_SEVS, "accepted"], rows,
                 "No systems were analysed.")


def dashboard(report: Report, layout: Layout, controls: dict[str, ControlView], cov: Coverage,
              page: str) -> str:
    """Risk per system, severity counts, top fixes and standards coverage; links for `page`."""
    totals = severity_counts(report.findings)
    out = ["## Risk per system", "", _systems_table(page, report, layout), "",
           "## Open findings by severity", "",
           table(list(_SEVS) + ["total"], [[str(totals[k]) for k in _SEVS] + [str(sum(totals.values()))]]),
           ""]
    fixes = sorted((x for s in report.systems for x in s.fixes),
                   key=lambda x: (-x.priority, -x.risk_removed, x.system, x.rank))[:10]
    names = {s.id: s.name for s in report.systems}
    rows = [[str(i), link(page, layout.control(x.control), f"`{x.control}`") + " " + md_cell(x.title),
             link(page, layout.system(x.system), md_cell(names.get(x.system, x.system))),
             str(len(x.elements)), md_cell(x.owner), md_cell(x.effort), f"{x.risk_removed:.1f}"]
            for i, x in enumerate(fixes, 1)]
    out += ["## Top fixes", "",
            "The ten fixes that remove the most risk per unit of effort, across all systems.", "",
            table(["#", "fix", "system", "elements", "owner", "effort", "risk removed"], rows,
                  "Nothing to fix."), ""]
    srows = []
    for fam in STANDARDS:
        met, total = standard_summary(fam, controls, cov)
        srows.append([link(page, layout.standard(fam), md_cell(STANDARDS[fam][1])), f"{met} / {total}",
                      pct(met / total) if total else "—"])
    out += ["## Standards coverage", "",
            "Requirements met in every system, out of those the catalog addresses.", "",
            table(["standard", "met", "coverage"], srows), ""]
    if report.warnings:
        out += ["## Warnings", "", "\n".join(f"- {md_cell(w)}" for w in report.warnings), ""]
    out += [f"Analysed on {report.today.isoformat()}: {len(report.systems)} systems, "
            f"{len(controls)} controls.", ""]
    return "\n".join(out)


def systems_index(report: Report, layout: Layout) -> str:
    """The list of every system."""
    page = layout.systems_index
    return "\n".join(["# Systems", "", "Every modelled system, highest risk first.", "",
                      _systems_table(page, report, layout), ""])
