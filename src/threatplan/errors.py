"""Diagnostics and the small exception tree.

Every problem a user can fix is a :class:`Diagnostic` with a file, line and column.
Stages collect diagnostics and raise one :class:`InputError` carrying all of them; the CLI
is the only place that turns it into output and exit code 2.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

__all__ = [
    "Diagnostic",
    "ThreatplanError",
    "InputError",
    "CatalogError",
    "did_you_mean",
]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in a user's file, reported as ``FILE:LINE:COL: path: message``."""

    file: str
    """Path of the file as the user named it (relative where possible)."""
    line: int
    """1-based line number; 0 when the problem concerns the whole file."""
    col: int
    """1-based column number."""
    path: str
    """Dotted path of the field, e.g. ``components[2].zone``; ``-`` for the whole file."""
    message: str
    """What is wrong, in words."""
    hint: str = ""
    """How to fix it, e.g. a "did you mean ...?" suggestion."""
    severity: str = "error"
    """``error`` stops the run; ``warning`` is printed and the run goes on."""

    def render(self) -> str:
        """The one-line form ``FILE:LINE:COL: path: message (hint)``."""
        text = f"{self.file}:{self.line}:{self.col}: {self.path}: {self.message}"
        if self.severity == "warning":
            text = f"{self.file}:{self.line}:{self.col}: {self.path}: warning: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ThreatplanError(Exception):
    """Base of every error threatplan raises on purpose."""


class InputError(ThreatplanError):
    """The user's input (model or catalog) has problems; carries all of them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics), key=_order)
        super().__init__("\n".join(d.render() for d in self.diagnostics))


class CatalogError(InputError):
    """A control record in a catalog folder is malformed."""


def _order(d: Diagnostic) -> tuple:
    return (d.file, d.line, d.col, d.path, d.message)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean ...?" hint for a misspelt name, or an empty string."""
    pool = sorted({str(c) for c in choices})
    close = difflib.get_close_matches(str(word), pool, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
