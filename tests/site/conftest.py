"""Shared fixtures for the site tests: reports, and sites built once per session.

Building a site runs a real `mkdocs build --strict` and real Graphviz rendering, so each
site is built once and shared by every test that reads it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from threatplan.analysis import analyze
from threatplan.catalog import load_catalog

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def example_report():
    """The example systems of model/ with the built-in catalog."""
    return analyze([REPO / "model"], today=TODAY)


@pytest.fixture(scope="session")
def hostile_report():
    """A system and a custom control whose every text field tries to inject markup."""
    return analyze([DATA / "hostile" / "model"], today=TODAY,
                   catalog=load_catalog([DATA / "hostile" / "threats"], builtin=False))


def make_workdir(tmp: Path) -> Path:
    """A copy of the repository's site configuration and hand-written pages."""
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", tmp / "mkdocs.yml")
    shutil.copytree(REPO / "site_src", tmp / "site_src",
                    ignore=shutil.ignore_patterns("generated"))
    return tmp


@pytest.fixture(scope="session")
def example_site(tmp_path_factory, example_report):
    """The example site, built with the repository's mkdocs.yml: (workdir, site dir)."""
    from threatplan.site.build import build_site

    work = make_workdir(tmp_path_factory.mktemp("example"))
    build_site(example_report, out=work / "site", workdir=work)
    return work, work / "site"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory, hostile_report):
    """The hostile site, built with the repository's mkdocs.yml: (workdir, site dir)."""
    from threatplan.site.build import build_site

    work = make_workdir(tmp_path_factory.mktemp("hostile"))
    build_site(hostile_report, out=work / "site", workdir=work)
    return work, work / "site"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "xlink:href") and value:
                self.links.append(value)


def broken_links(site: Path) -> list[str]:
    """Every internal link (href, src, SVG xlink:href) that points at no file."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "#", "mailto:")):
                continue
            path = unquote(parts.path)
            # 404.html links from the site root (it is served for any missing URL).
            target = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    return broken
