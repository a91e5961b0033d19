"""The remediation plan and the attack paths of a system.

Fixes group the open findings of one control by owner ("implement C on E1, E2 ...") and
are ordered by risk removed per unit of effort. Attack paths run from untrusted zones to
the components holding the system's most sensitive data, with the open gaps on each.
"""

from __future__ import annotations

from collections import defaultdict

from threatplan.catalog import Catalog
from threatplan.graph import SystemGraph, mask_for, mask_max_classification
from threatplan.results import FAILING_STATUSES as OPEN_STATUSES, AttackPath, Finding, Fix

__all__ = ["plan_fixes", "attack_paths", "MAX_PATHS"]

MAX_PATHS = 10


def plan_fixes(findings: tuple[Finding, ...], catalog: Catalog, system: str) -> tuple[Fix, ...]:
    """Fixes ordered by risk removed per unit of effort, with cumulative share of risk."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.status in OPEN_STATUSES:
            groups[(f.control, f.owner)].append(f)
    total = sum(f.score for fs in groups.values() for f in fs)
    rows = []
    for (control, owner), fs in groups.items():
        record = catalog.get(control)
        risk = round(sum(f.score for f in fs), 1)
        rows.append((round(risk / record.effort_units, 2), risk, control, owner, record, fs))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2], r[3]))
    fixes = []
    done = 0.0
    for rank, (priority, risk, control, owner, record, fs) in enumerate(rows, 1):
        done += risk
        fixes.append(Fix(rank=rank, control=control, title=record.title, system=system, owner=owner,
                         elements=tuple(sorted(f.element for f in fs)), effort=record.effort,
                         risk_removed=risk, priority=priority,
                         cumulative_share=round(done / total, 3) if total else 0.0))
    return tuple(fixes)


def attack_paths(g: SystemGraph, findings: tuple[Finding, ...]) -> tuple[AttackPath, ...]:
    """Shortest paths from untrusted zones to the most sensitive data, with their gaps."""
    everything = 0
    for m in g.handled_mask.values():
        everything |= m
    top = mask_max_classification(everything)
    if top is None:
        return ()
    top_mask = mask_for(top) & ~(mask_for({"public": "internal", "internal": "confidential",
                                           "confidential": "secret"}[top]) if top != "secret" else 0)
    targets = sorted(c for c, m in g.handled_mask.items() if m & top_mask and g.reachable_from_untrusted(c))
    open_by_element: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.status in OPEN_STATUSES and f.element_type != "system":
            open_by_element[f.element].append(f)
    paths = []
    for target in targets:
        nodes = g.shortest_untrusted_path(target)
        flows = tuple(min(f.key for f in g.outbound(a) if f.to == b) for a, b in zip(nodes, nodes[1:]))
        gaps = [(f.control, f.element) for el in (*nodes[1:], *flows) for f in open_by_element.get(el, ())]
        risk = round(sum(f.score for el in (*nodes[1:], *flows) for f in open_by_element.get(el, ())), 1)
        comp = g.components[target]
        data = tuple(sorted(d.id for d in g.model.data
                            if d.id in {*comp.stores, *comp.processes} and d.classification == top))
        paths.append(AttackPath(system=g.model.system.id, nodes=tuple(nodes), flows=flows, target_data=data,
                                classification=top, gaps=tuple(sorted(set(gaps))), risk=risk))
    paths.sort(key=lambda p: (-p.risk, len(p.nodes), p.nodes))
    return tuple(paths[:MAX_PATHS])
