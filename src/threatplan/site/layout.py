"""Where every generated page lives, and links between pages.

Every generated page is a folder's ``index.md``. Its URL is then ``.../name/`` with
directory URLs and ``.../name/index.html`` without: the same folder depth either way, so
one relative ``href`` inside an inline SVG (which MkDocs never rewrites) works in both.
"""

from __future__ import annotations

import posixpath
import re

from threatplan.results import Report

__all__ = ["ROOT", "Layout", "md_link_target", "href"]

ROOT = "generated"
"""The generated subtree of the docs folder."""

HOME = "index.md"
STANDARDS = {
    "owasp": ("owasp-top10-2021", "OWASP Top 10 2021"),
    "asvs": ("asvs-4.0.3", "OWASP ASVS 4.0.3"),
    "cwe": ("cwe", "CWE"),
    "nist": ("nist-800-53", "NIST SP 800-53 rev. 5"),
}
"""Reference family -> (page folder, display name)."""


def _safe(segment: str) -> str:
    seg = re.sub(r"[^a-z0-9._-]+", "-", segment.lower()).strip("-.") or "x"
    return seg[:100]


class Layout:
    """Page paths (relative to the docs folder) for one report."""

    def __init__(self, report: Report):
        self._elements: dict[tuple[str, str, str], str] = {}
        self._zones: dict[tuple[str, str], str] = {}
        for system in report.systems:
            taken: set[str] = set()
            model = system.loaded.model if system.loaded is not None else None
            comps = sorted(c.id for c in model.components) if model else []
            flows = sorted(f.key for f in model.flows) if model else []
            ids = {("component", c) for c in comps} | {("flow", f) for f in flows}
            for f in system.findings:
                if f.element_type in ("component", "flow"):
                    ids.add((f.element_type, f.element))
            for kind, key in sorted(ids):
                base = _safe(key.replace("->", "--"))
                folder = "components" if kind == "component" else "flows"
                slug, n = base, 1
                while (folder, slug) in taken:
                    n += 1
                    slug = f"{base}-{n}"
                taken.add((folder, slug))
                self._elements[(system.id, kind, key)] = (
                    f"{ROOT}/systems/{_safe(system.id)}/{folder}/{slug}/index.md")
            for zone in sorted(z.id for z in model.zones) if model else []:
                self._zones[(system.id, zone)] = (
                    f"{ROOT}/systems/{_safe(system.id)}/zones/{_safe(zone)}/index.md")

    home = HOME
    systems_index = f"{ROOT}/systems/index.md"
    controls_index = f"{ROOT}/controls/index.md"
    standards_index = f"{ROOT}/standards/index.md"
    home_snippet = f"{ROOT}/home.md"

    def system(self, system_id: str) -> str:
        """The system's page."""
        return f"{ROOT}/systems/{_safe(system_id)}/index.md"

    def element(self, system_id: str, kind: str, key: str) -> str | None:
        """The page of a component or flow; the system page for system-level elements."""
        if kind == "system":
            return self.system(system_id)
        return self._elements.get((system_id, kind, key))

    def zone(self, system_id: str, zone_id: str) -> str | None:
        """The page of one zone's diagram (large systems only)."""
        return self._zones.get((system_id, zone_id))

    def control(self, control_id: str) -> str:
        """The control's knowledge-base page."""
        return f"{ROOT}/controls/{_safe(control_id)}/index.md"

    def standard(self, family: str) -> str:
        """The page of a reference family (`owasp`, `asvs`, `cwe`, `nist`)."""
        return f"{ROOT}/standards/{STANDARDS[family][0]}/index.md"


def md_link_target(from_page: str, to_page: str) -> str:
    """A Markdown link target from one page to another (MkDocs validates and rewrites it)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def href(from_page: str, to_page: str) -> str:
    """A raw HTML href between pages that works with and without directory URLs."""
    target = to_page
    if target.endswith("/index.md") or target == "index.md":
        target = target[: -len("index.md")] + "index.html"
    else:  # a plain page: only valid without directory URLs; generated pages never are
        target = target[:-3] + ".html"
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")
