"""`threatplan build`: generate the pages, then run a real strict MkDocs build.

    config = workdir/mkdocs.yml if present, else the built-in configuration
    generate pages into <docs_dir>/generated/ (hand-written pages untouched)
    mkdocs build --strict into `out`
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from threatplan.errors import ThreatplanError
from threatplan.results import Report
from threatplan.site.mkdocs_config import adjust, write_builtin
from threatplan.site.pages import GenerationStats, generate

__all__ = ["build_site", "generate_only", "CACHE_DIR", "last_stats"]

CACHE_DIR = ".threatplan-cache"
"""Rendered diagrams are cached here, in the working folder."""

log = logging.getLogger("threatplan.site")
_last: list[GenerationStats] = []


def last_stats() -> GenerationStats | None:
    """What the most recent generation in this process did (for tests and `serve`)."""
    return _last[-1] if _last else None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _load(config_file: Path, out: Path):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        return load_config(str(config_file), strict=True, site_dir=str(out))
    except ConfigurationError as exc:
        raise ThreatplanError(f"{config_file}: invalid MkDocs configuration: {exc}") from exc


def generate_only(report: Report, *, workdir: Path, docs_dir: Path | None = None) -> GenerationStats:
    """Write the generated pages for `report` (no MkDocs build)."""
    workdir = Path(workdir)
    if docs_dir is None:
        cfg = workdir / "mkdocs.yml"
        docs_dir = Path(_load(cfg, workdir / "site").docs_dir) if cfg.is_file() else workdir / "site_src"
    stats = generate(report, Path(docs_dir), workdir / CACHE_DIR)
    _last.append(stats)
    del _last[:-1]
    return stats


def build_site(report: Report, *, out: Path, workdir: Path) -> None:
    """Generate the pages for `report` and build the site into `out` (strict)."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    workdir = Path(workdir).resolve()
    out = Path(out)
    out = out if out.is_absolute() else workdir / out
    with tempfile.TemporaryDirectory(prefix="threatplan-site-") as tmp:
        config_file = workdir / "mkdocs.yml"
        if not config_file.is_file():
            config_file, _ = write_builtin(Path(tmp), out)
        config = _load(config_file, out)
        docs_dir = Path(config.docs_dir)
        if not (docs_dir / "index.md").is_file() and not (docs_dir / "README.md").is_file():
            log.warning("%s has no index.md: the site has no home page", docs_dir)
        stats = generate_only(report, workdir=workdir, docs_dir=docs_dir)
        log.info("generated %d pages (%d written, %d removed), %d diagrams (%d rendered, %d failed) in %.2f s",
                 stats.pages, stats.written, stats.removed, stats.diagrams, stats.rendered,
                 stats.failed, stats.seconds)
        adjust(config, docs_dir)
        mk_logger = logging.getLogger("mkdocs")
        collect = _Collect()
        mk_logger.addHandler(collect)
        try:
            build(config)
        except MkDocsException as exc:
            detail = "\n".join(f"  {m}" for m in collect.messages[:50])
            raise ThreatplanError(f"mkdocs build --strict failed: {exc}"
                                  + (f"\n{detail}" if detail else "")) from exc
        except Exception as exc:  # a plugin or theme error: still a clear message, exit 2
            raise ThreatplanError(f"mkdocs build failed: {type(exc).__name__}: {exc}") from exc
        finally:
            mk_logger.removeHandler(collect)
