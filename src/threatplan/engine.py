"""Evaluate every control of the catalog on every element of a system.

For each (control, element): does it apply (`applies_to`)? Is it satisfied (declared
`implemented` and not contradicted, or proven by the model's facts)? If not, it is a
finding, scored and explained. Acceptances then turn findings `accepted` or, after their
expiry date, `expired-acceptance`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from threatplan.catalog import Catalog, ControlRecord
from threatplan.conditions import Context
from threatplan.graph import SystemGraph
from threatplan.loading import LoadedSystem
from threatplan.results import ControlCheck, Finding, severity_band
from threatplan.scoring import score_component, score_flow, score_system

__all__ = ["evaluate_system", "Evaluation"]


@dataclass(frozen=True)
class Evaluation:
    """Findings, control checks and acceptance warnings of one system."""

    findings: tuple[Finding, ...]
    checks: tuple[ControlCheck, ...]
    warnings: tuple[str, ...]
    graph: SystemGraph
    """The graph the findings were computed on (its cached facts serve the plan too)."""


def _elements(g: SystemGraph, target: str):
    if target == "component":
        return [(c.id, c) for c in g.model.components]
    if target == "flow":
        return [(f.key, f) for f in g.model.flows]
    return [(g.model.system.id, g.model.system)]


def _reason(entry) -> str:
    return "" if entry is None or isinstance(entry, str) else (entry.reason or "")


def evaluate_system(loaded: LoadedSystem, catalog: Catalog, today: _dt.date) -> Evaluation:
    """All findings and checks of one system."""
    g = SystemGraph(loaded.model)
    ctx = Context(g, today)
    findings: list[Finding] = []
    checks: list[ControlCheck] = []
    system_owner = loaded.model.system.owner or "unowned"
    targets = {t: _elements(g, t) for t in ("component", "flow", "system")}
    for record in catalog:
        for key, element in targets[record.target]:
            applies, because = record.applies_to.evaluate(ctx, element)
            if not applies:
                continue
            # System-target controls read system.controls; others fall back to it.
            entry = g.declared_entry(None if record.target == "system" else element, record.id)
            status = None if entry is None else (entry if isinstance(entry, str) else entry.status)
            outcome, evidence, fails = _decide(record, ctx, element, key, status, entry)
            if outcome != "gap":
                checks.append(ControlCheck(record.id, key, record.target, outcome, "; ".join(fails)))
                continue
            checks.append(ControlCheck(record.id, key, record.target, "gap", "; ".join(fails)))
            findings.append(_finding(record, g, loaded, key, element, because, fails, evidence, status,
                                     system_owner))
    findings, warnings = _apply_acceptances(findings, loaded, today)
    findings.sort(key=lambda f: (-f.score, f.control, f.element))
    checks.sort(key=lambda c: (c.element_type, c.element, c.control))
    return Evaluation(tuple(findings), tuple(checks), tuple(warnings), g)


def _decide(record: ControlRecord, ctx: Context, element, key: str, status, entry):
    """(outcome, evidence, facts) for an applicable control."""
    name = f"flow {key}" if record.target == "flow" else (f"system {key}" if record.target == "system" else key)
    if status == "not-applicable":
        return "not-applicable", "", [f"{name} declares {record.id} not applicable: {_reason(entry)}"]
    if status == "implemented":
        if record.contradicted_by is not None:
            bad, facts = record.contradicted_by.evaluate(ctx, element)
            if bad:
                return "gap", "contradicted", [f"{name} declares {record.id} implemented, but the model "
                                               f"contradicts it", *facts]
        return "satisfied", "", [f"{name} declares {record.id} implemented"]
    if status is None and record.contradicted_by is not None:
        bad, facts = record.contradicted_by.evaluate(ctx, element)
        if bad:  # nothing declared, and the model itself shows the gap
            return "gap", "contradicted", [f"{name} declares nothing for {record.id}, and the model shows "
                                           "the gap", *facts]
    facts: list[str] = []
    ok = False
    if record.satisfied_by is not None:
        ok, facts = record.satisfied_by.evaluate(ctx, element)
    if status in ("missing", "planned", "partial"):
        # The team's own statement wins over facts that only suggest the control is met.
        note = [f"the model's facts suggest it may be met ({'; '.join(facts)}); "
                "update the declared status if so"] if ok else facts
        return "gap", "declared missing", [f"{name} declares {record.id} as {status}", *note]
    if ok:
        return "satisfied-by-facts", "", facts
    return "gap", "no evidence", [f"{name} declares nothing for {record.id}", *facts]


def _finding(record, g, loaded, key, element, because, fails, evidence, status, system_owner) -> Finding:
    if record.target == "component":
        score, factors, formula = score_component(g, key, record.severity, record.severity_name)
        owner = element.owner or system_owner
        source = loaded.source("component", key)
        name = element.name or key
    elif record.target == "flow":
        score, factors, formula = score_flow(g, key, record.severity, record.severity_name)
        owner = g.components[element.to].owner or system_owner
        source = loaded.source("flow", key)
        name = element.name or key
    else:
        score, factors, formula = score_system(g, record.severity, record.severity_name)
        owner = system_owner
        source = loaded.source("system")
        name = loaded.model.system.name or key
    return Finding(
        control=record.id, title=record.title, system=loaded.id, element=key,
        element_type=record.target, element_name=name, score=score, severity=severity_band(score),
        status="open", evidence=evidence, declared=status, applies_because=_distinct(because),
        fails_because=tuple(dict.fromkeys(fails)), factors=factors, formula=formula, owner=owner,
        source=source,
    )


def _distinct(facts: list[str]) -> tuple[str, ...]:
    """Facts without repeats, dropping one that a longer fact already states ("x is a service"
    next to "x is a service (not client, user)")."""
    unique = list(dict.fromkeys(facts))
    return tuple(f for f in unique if not any(g != f and g.startswith(f + " (") for g in unique))


def _apply_acceptances(findings: list[Finding], loaded: LoadedSystem, today: _dt.date):
    from dataclasses import replace
    by_key = {(f.control, f.element): i for i, f in enumerate(findings)}
    warnings: list[str] = []
    for n, acc in enumerate(loaded.model.accepted):
        src = loaded.source("accepted", str(n))
        where = f"{src.file}:{src.line}:{src.col}"
        i = by_key.get((acc.control, acc.element))
        if i is None:
            warnings.append(f"{where}: accepted[{n}]: acceptance of {acc.control} on {acc.element} "
                            "matches no finding (already fixed? remove it)")
            continue
        expired = today > acc.expires
        info = {"reason": acc.reason, "owner": acc.owner, "expires": acc.expires.isoformat(),
                "file": src.file, "line": src.line, "days_left": (acc.expires - today).days}
        findings[i] = replace(findings[i], status="expired-acceptance" if expired else "accepted", acceptance=info)
        if expired:
            warnings.append(f"{where}: accepted[{n}]: acceptance of {acc.control} on {acc.element} "
                            f"expired on {acc.expires.isoformat()}; the finding is open again")
        elif (acc.expires - today).days <= 30:
            warnings.append(f"{where}: accepted[{n}]: acceptance of {acc.control} on {acc.element} "
                            f"expires on {acc.expires.isoformat()} (in {(acc.expires - today).days} days)")
    return findings, warnings
