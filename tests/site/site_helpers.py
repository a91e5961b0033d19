"""Helpers for the site tests: paths, a workdir with the site configuration, a link checker."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def make_workdir(tmp: Path) -> Path:
    """A copy of the repository's site configuration and hand-written pages."""
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", tmp / "mkdocs.yml")
    shutil.copytree(REPO / "site_src", tmp / "site_src",
                    ignore=shutil.ignore_patterns("generated"))
    return tmp


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
