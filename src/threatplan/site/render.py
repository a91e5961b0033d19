"""DOT -> inline SVG with `dot` (or `graphviz-pure`), cached by content hash.

A rebuild with no model change renders nothing: the SVG of each DOT source is stored
under ``<cache>/svg/<sha256>.svg``. A render that fails never fails the build; the page
shows a notice and the DOT source instead.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Rendered", "find_renderer", "render_all", "RENDER_TIMEOUT"]

RENDER_TIMEOUT = 120
"""Seconds one diagram may take before it counts as failed."""


@dataclass(frozen=True)
class Rendered:
    """The outcome of rendering one DOT source."""

    svg: str | None
    """The SVG, cleaned for inlining; None when rendering failed."""
    error: str
    """Why it failed ('' on success)."""
    cached: bool
    """True when it came from the cache."""


def find_renderer() -> list[str] | None:
    """The command that renders DOT: `dot` on PATH, else the `graphviz-pure` binary."""
    dot = shutil.which("dot")
    if dot:
        return [dot]
    pure = shutil.which("graphviz-pure")
    if not pure:  # installed in the same environment but not on PATH (e.g. venv not activated)
        candidate = Path(sys.executable).parent / "graphviz-pure"
        pure = str(candidate) if candidate.exists() else None
    return [pure] if pure else None


_PROLOG = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.S)
_ID = re.compile(r'\bid="([^"]*)"')
_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def _clean(svg: str, prefix: str) -> str:
    """Strip the prolog and comments, make ids unique on the page, join into one block."""
    svg = _PROLOG.sub("", svg)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _SIZE.sub(lambda m: f'<svg width="{m.group(1)}pt" height="{m.group(2)}pt" '
                    f'class="tp-svg" role="img"', svg, count=1)
    # One line per element and no blank lines, so Markdown keeps it a single raw HTML block.
    return "\n".join(line for line in svg.splitlines() if line.strip())


def _key(renderer: list[str], source: str) -> str:
    return hashlib.sha256((Path(renderer[0]).name + "\0" + source).encode()).hexdigest()


def _run(renderer: list[str], source: str) -> tuple[str | None, str]:
    try:
        proc = subprocess.run([*renderer, "-Tsvg"], input=source.encode(), capture_output=True,
                              timeout=RENDER_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"{Path(renderer[0]).name} did not finish within {RENDER_TIMEOUT} s"
    except OSError as exc:
        return None, f"could not run {renderer[0]}: {exc}"
    if proc.returncode != 0 or b"<svg" not in proc.stdout:
        err = proc.stderr.decode(errors="replace").strip() or f"exit code {proc.returncode}"
        return None, f"{Path(renderer[0]).name} failed: {err[:2000]}"
    return proc.stdout.decode(errors="replace"), ""


def render_all(sources: list[str], cache_dir: Path | None,
               renderer: list[str] | None = None) -> list[Rendered]:
    """Render every DOT source to SVG (in parallel, reusing cached results)."""
    renderer = renderer if renderer is not None else find_renderer()
    if renderer is None:
        msg = "no Graphviz renderer found: install Graphviz (`dot`) or `pip install graphviz-pure`"
        return [Rendered(None, msg, False) for _ in sources]
    svg_dir = cache_dir / "svg" if cache_dir else None
    results: list[Rendered | None] = [None] * len(sources)
    todo: list[int] = []
    for i, src in enumerate(sources):
        key = _key(renderer, src)
        path = svg_dir / f"{key}.svg" if svg_dir else None
        if path is not None and path.is_file():
            results[i] = Rendered(path.read_text(encoding="utf-8"), "", True)
        else:
            todo.append(i)

    def work(i: int) -> Rendered:
        raw, err = _run(renderer, sources[i])
        if raw is None:
            return Rendered(None, err, False)
        key = _key(renderer, sources[i])
        svg = _clean(raw, "d" + key[:8])
        if svg_dir is not None:
            svg_dir.mkdir(parents=True, exist_ok=True)
            tmp = svg_dir / f".{key}.{os.getpid()}.tmp"
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(svg_dir / f"{key}.svg")
        return Rendered(svg, "", False)

    if todo:
        with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2, len(todo))) as pool:
            for i, res in zip(todo, pool.map(work, todo)):
                results[i] = res
    return [r for r in results if r is not None]
