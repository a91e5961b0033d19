"""Generate every page of the site from a report into ``<docs_dir>/generated/``.

Same report, same bytes: everything is sorted and nothing carries a timestamp. Only files
whose content changed are rewritten, files that no longer belong are removed, and
hand-written pages outside the generated subtree are never touched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from threatplan.results import Report
from threatplan.site.coverage import Coverage
from threatplan.site.diagrams import system_diagrams
from threatplan.site.kb import controls_of
from threatplan.site.layout import ROOT, STANDARDS, Layout
from threatplan.site.pages_control import control_page, controls_index
from threatplan.site.pages_element import ElementIndex, component_page, flow_page
from threatplan.site.pages_home import dashboard, systems_index
from threatplan.site.pages_standard import standard_page, standards_index
from threatplan.site.pages_system import system_page, zone_page
from threatplan.site.render import render_all

__all__ = ["GenerationStats", "render_pages", "write_pages", "generate", "SHIM_PATH", "TAGS_PAGE", "CSS_PATH"]

SHIM_PATH = f"{ROOT}/assets/iframe-worker/shim.js"
"""Where the vendored iframe-worker shim lands (the offline plugin's polyfill)."""
TAGS_PAGE = f"{ROOT}/tags/index.md"
CSS_PATH = f"{ROOT}/assets/threatplan.css"
"""Where the site's stylesheet lands in the docs folder."""


@dataclass(frozen=True)
class GenerationStats:
    """What one generation did."""

    pages: int
    written: int
    removed: int
    diagrams: int
    rendered: int
    """Diagrams actually rendered (not served from the cache)."""
    failed: int
    seconds: float


def render_pages(report: Report, cache_dir: Path | None) -> tuple[dict[str, str], int, int, int]:
    """Every generated page: path relative to the docs folder -> Markdown; plus diagram counts."""
    layout = Layout(report)
    cov = Coverage(report)
    controls = controls_of(report.catalog, cov.control_ids())
    pages: dict[str, str] = {}

    diagrams = [d for s in report.systems for d in system_diagrams(s, layout)]
    rendered = render_all([d.source for d in diagrams], cache_dir)
    by_page: dict[str, list] = {}
    for d, r in zip(diagrams, rendered):
        by_page.setdefault(d.page, []).append((d, r))

    for s in report.systems:
        page = layout.system(s.id)
        own = by_page.get(page, [])
        zone_diagrams = [(d, r) for d, r in zip(diagrams, rendered)
                         if d.page != page and d.page.startswith(page[: -len("index.md")])]
        pages[page] = system_page(s, report, layout, own + zone_diagrams)
        if s.loaded is None:
            continue
        model = s.loaded.model
        for d, r in zone_diagrams:
            zone_id = next(z.id for z in model.zones if layout.zone(s.id, z.id) == d.page)
            pages[d.page] = zone_page(s, layout, d, r, zone_id)
        ix = ElementIndex(s)
        for c in model.components:
            pages[layout.element(s.id, "component", c.id)] = component_page(s, layout, ix, c)
        for f in model.flows:
            pages[layout.element(s.id, "flow", f.key)] = flow_page(s, layout, ix, f)

    for c in controls.values():
        pages[layout.control(c.id)] = control_page(c, report, layout, cov)
    pages[layout.controls_index] = controls_index(controls, layout, cov)
    for fam in STANDARDS:
        pages[layout.standard(fam)] = standard_page(fam, controls, layout, cov)
    pages[layout.standards_index] = standards_index(controls, layout, cov)
    pages[layout.systems_index] = systems_index(report, layout)
    # Included by the home page (site_src/index.md) with pymdownx.snippets, so its links
    # are relative to the docs root.
    pages[layout.home_snippet] = dashboard(report, layout, controls, cov, layout.home)
    pages[TAGS_PAGE] = "# Tags\n\nPages by tag: controls by group, STRIDE category and severity.\n\n<!-- material/tags -->\n"
    failed = sum(1 for r in rendered if r.svg is None)
    fresh = sum(1 for r in rendered if not r.cached and r.svg is not None)
    return pages, len(diagrams), fresh, failed


def _asset(name: str) -> bytes:
    return resources.files("threatplan.site").joinpath("assets", name).read_bytes()


def write_pages(pages: dict[str, str], docs_dir: Path) -> tuple[int, int]:
    """Write pages under docs_dir (changed ones only) and drop stale generated files."""
    root = docs_dir / ROOT
    wanted = {docs_dir / p: text.encode("utf-8") for p, text in pages.items()}
    wanted[docs_dir / SHIM_PATH] = _asset("iframe-worker/shim.js")
    wanted[docs_dir / SHIM_PATH.replace("shim.js", "LICENSE")] = _asset("iframe-worker/LICENSE")
    wanted[docs_dir / CSS_PATH] = _asset("threatplan.css")
    written = 0
    for path, data in sorted(wanted.items()):
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    removed = 0
    if root.is_dir():
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, removed


def generate(report: Report, docs_dir: Path, cache_dir: Path | None) -> GenerationStats:
    """Render and write every generated page of the site."""
    start = time.perf_counter()
    docs_dir = Path(docs_dir)
    root = docs_dir / ROOT
    if root.exists() and not root.is_dir():
        root.unlink()
    pages, n_diagrams, fresh, failed = render_pages(report, cache_dir)
    written, removed = write_pages(pages, docs_dir)
    return GenerationStats(len(pages), written, removed, n_diagrams, fresh, failed,
                           round(time.perf_counter() - start, 3))
