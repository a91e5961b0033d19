"""Control x system coverage: how each control fares in each system (for control,
standard and home pages). Computed once per report."""

from __future__ import annotations

from dataclasses import dataclass, field

from threatplan.results import FAILING_STATUSES, Finding, Report

__all__ = ["Cell", "Coverage"]

_OPEN = FAILING_STATUSES


@dataclass
class Cell:
    """One control in one system."""

    applicable: int = 0
    """Elements the control applies to (not counting not-applicable declarations)."""
    satisfied: int = 0
    open: int = 0
    accepted: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def state(self) -> str:
        """`fails`, `accepted`, `met` or `n/a` (does not apply)."""
        if self.open:
            return "fails"
        if self.accepted:
            return "accepted"
        if self.satisfied:
            return "met"
        return "n/a"

    def text(self) -> str:
        """A short table-cell summary."""
        from threatplan.site.mdtools import badge

        return {"fails": badge("fails", f"{self.open} open"),
                "accepted": badge("accepted", f"{self.accepted} accepted"),
                "met": badge("met", f"met ({self.satisfied})"), "n/a": "n/a"}[self.state]


class Coverage:
    """Cells by (control id, system id)."""

    def __init__(self, report: Report):
        self.systems = [s.id for s in report.systems]
        self.names = {s.id: s.name for s in report.systems}
        self.cells: dict[tuple[str, str], Cell] = {}
        for s in report.systems:
            for c in s.checks:
                cell = self.cell(c.control, s.id)
                if c.outcome in ("satisfied", "satisfied-by-facts"):
                    cell.satisfied += 1
                    cell.applicable += 1
                elif c.outcome == "gap":
                    cell.applicable += 1
            for f in s.findings:
                cell = self.cell(f.control, s.id)
                cell.findings.append(f)
                if f.status in _OPEN:
                    cell.open += 1
                else:
                    cell.accepted += 1
                # Checks normally list gaps too; count findings in case they do not.
                cell.applicable = max(cell.applicable, cell.open + cell.accepted + cell.satisfied)

    def cell(self, control: str, system: str) -> Cell:
        """The cell of a control in a system (empty when it never applied)."""
        return self.cells.setdefault((control, system), Cell())

    def state(self, controls: list[str], system: str) -> str:
        """Combined state of several controls in one system (worst wins)."""
        states = {self.cells.get((c, system), Cell()).state for c in controls}
        for s in ("fails", "accepted", "met"):
            if s in states:
                return s
        return "n/a"

    def control_ids(self) -> list[str]:
        """Every control id that appears in the report."""
        return sorted({c for c, _ in self.cells})
