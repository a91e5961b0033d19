"""Run the whole pipeline: model paths -> loaded systems -> findings -> plan -> Report."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Iterable

from threatplan.catalog import Catalog, load_catalog
from threatplan.engine import evaluate_system
from threatplan.loading import LoadedSystem, load_paths
from threatplan.plan import attack_paths, plan_fixes
from threatplan.results import FAILING_STATUSES, Report, SystemResult

__all__ = ["analyze", "analyze_loaded"]


def analyze(paths: Iterable[str | Path], today: _dt.date | None = None, *, catalog: Catalog | None = None,
            catalog_dirs: Iterable[str | Path] = ()) -> Report:
    """Load, evaluate, rank and plan every system under PATHS."""
    catalog = catalog or load_catalog(catalog_dirs)
    systems, warnings = load_paths(paths, known_controls=catalog.known_ids())
    report = analyze_loaded(systems, catalog, today or _dt.date.today())
    notes = (*catalog.notes, *(d.render() for d in warnings))
    if notes:
        from dataclasses import replace
        report = replace(report, warnings=notes + report.warnings)
    return report


def analyze_loaded(systems: list[LoadedSystem], catalog: Catalog, today: _dt.date) -> Report:
    """Evaluate already loaded systems."""
    results = []
    warnings: list[str] = []
    for loaded in systems:
        ev = evaluate_system(loaded, catalog, today)
        open_ = [f for f in ev.findings if f.status in FAILING_STATUSES]
        info = loaded.model.system
        results.append(SystemResult(
            id=info.id, name=info.name or info.id, owner=info.owner or "unowned", file=loaded.file,
            score=max((f.score for f in open_), default=0.0),
            total_risk=round(sum(f.score for f in open_), 1),
            findings=ev.findings, checks=ev.checks,
            fixes=plan_fixes(ev.findings, catalog, info.id),
            paths=attack_paths(ev.graph, ev.findings),
            warnings=ev.warnings, loaded=loaded,
        ))
        warnings.extend(ev.warnings)
    return Report(systems=tuple(results), today=today, warnings=tuple(warnings), catalog=catalog)
