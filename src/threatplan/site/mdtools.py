"""Small Markdown builders shared by the page modules. Callers pass escaped text."""

from __future__ import annotations

from typing import Iterable, Sequence

import yaml

from threatplan.site.escape import code_block, html_text, md, slug_ok
from threatplan.site.layout import md_link_target
from threatplan.site.render import Rendered

__all__ = ["link", "table", "front_matter", "pct", "sev", "badge", "diagram_block", "bullets"]

_SEVERITIES = ("critical", "high", "medium", "low", "none")
_STATES = ("fails", "accepted", "met", "na", "gap", "ok")


def link(from_page: str, to_page: str | None, text: str) -> str:
    """A Markdown link to a page (already-escaped `text`); plain text when there is no page."""
    if not to_page:
        return text
    return f"[{text}]({md_link_target(from_page, to_page)})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], empty: str = "") -> str:
    """A Markdown table; cells must already be escaped with `md_cell`/`md`."""
    rows = list(rows)
    if not rows:
        return empty
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(c if c else " " for c in row) + " |" for row in rows]
    return "\n".join(out)


def front_matter(*, title: str | None = None, tags: Iterable[str] = (), hide: Iterable[str] = (),
                 search_boost: float | None = None) -> str:
    """YAML front matter; only slug-like tags (tags are rendered unescaped by the theme).

    `title` is the page's plain-text title. The theme writes `page.meta.title` into
    `<title>` and the header without escaping (and would otherwise un-escape the heading
    with `striptags`), so it is stored HTML-escaped here.
    """
    meta: dict = {}
    if title is not None:
        meta["title"] = html_text(" ".join(str(title).split()))
    clean = sorted({t for t in tags if slug_ok(t)})
    if clean:
        meta["tags"] = clean
    if hide:
        meta["hide"] = list(hide)
    if search_boost is not None:
        meta["search"] = {"boost": search_boost}
    if not meta:
        return ""
    return "---\n" + yaml.safe_dump(meta, sort_keys=True, allow_unicode=False) + "---\n\n"


def pct(share: float) -> str:
    """A 0-1 share as a percentage."""
    return f"{share * 100:.0f}%"


def sev(severity: str) -> str:
    """A severity with its colour marker."""
    if severity not in _SEVERITIES:
        return md(severity)
    return f'<span class="tp-badge tp-{severity}">{severity}</span>'


def badge(state: str, text: str) -> str:
    """A coloured status badge; `text` must already be escaped."""
    cls = state if state in _STATES else "na"
    return f'<span class="tp-badge tp-{cls}">{text}</span>'


def bullets(items: Iterable[str]) -> str:
    """A bullet list of already-escaped items."""
    return "\n".join(f"- {i}" for i in items)


def diagram_block(title: str, source: str, rendered: Rendered) -> str:
    """An inline SVG diagram, or a notice with the DOT source when rendering failed."""
    if rendered.svg is not None:
        return (f'<div class="tp-diagram" markdown="0" aria-label="{html_text(title)}">\n'
                f"{rendered.svg}\n</div>")
    return "\n".join([
        '!!! warning "Diagram could not be rendered"',
        "",
        f"    {md(rendered.error)}",
        "",
        "    The build went on without it. Its DOT source follows; render it with",
        "    `dot -Tsvg` or `graphviz-pure -Tsvg` to see what went wrong.",
        "",
        code_block(source, "dot"),
    ])
