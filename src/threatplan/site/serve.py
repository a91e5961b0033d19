"""`threatplan serve`: live preview. MkDocs serves and reloads the docs folder; a watchdog
observer re-analyzes the model when a YAML file changes and rewrites the generated pages
(only the changed ones), which MkDocs then picks up."""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterable

from threatplan.errors import ThreatplanError
from threatplan.results import Report
from threatplan.site.build import generate_only
from threatplan.site.mkdocs_config import write_builtin

__all__ = ["serve", "ModelWatcher"]

log = logging.getLogger("threatplan.site")
_YAML = (".yaml", ".yml")


class ModelWatcher:
    """Regenerates the pages when a model YAML file changes (debounced)."""

    def __init__(self, paths: Iterable[str | Path], regenerate: Callable[[], None], delay: float = 0.3):
        self.paths = [Path(p).resolve() for p in paths]
        self.regenerate = regenerate
        self.delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._observer = None

    def _fire(self) -> None:
        try:
            self.regenerate()
        except ThreatplanError as exc:  # keep serving the last good pages
            log.error("model not rebuilt:\n%s", exc)
        except Exception:  # a bug must not kill the preview
            log.exception("model not rebuilt")

    def changed(self, path: str) -> None:
        """Note a changed file; regenerate shortly after the last change."""
        if not path.endswith(_YAML):
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def start(self) -> None:
        """Start watching the model files and folders."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.event_type in ("opened", "closed_no_write"):
                    return
                for p in (event.src_path, getattr(event, "dest_path", "")):
                    if p:
                        watcher.changed(str(p))

        self._observer = Observer()
        for p in self.paths:
            folder = p if p.is_dir() else p.parent
            self._observer.schedule(Handler(), str(folder), recursive=p.is_dir())
        self._observer.daemon = True
        self._observer.start()

    def stop(self) -> None:
        """Stop watching."""
        if self._timer is not None:
            self._timer.cancel()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)


def serve(paths, *, workdir: Path, host: str, port: int, analyze_fn: Callable[[], Report]) -> None:
    """Serve the site on host:port, rebuilding when a model YAML under `paths` changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.config import load_config

    workdir = Path(workdir).resolve()
    mk = logging.getLogger("mkdocs")
    if not mk.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        mk.addHandler(handler)
        mk.setLevel(logging.INFO)
    # Generated pages are deliberately not in the nav; do not list thousands of them.
    logging.getLogger("mkdocs.structure.nav").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="threatplan-serve-") as tmp:
        config_file = workdir / "mkdocs.yml"
        if not config_file.is_file():
            config_file, _ = write_builtin(Path(tmp), Path(tmp) / "site")
        docs_dir = Path(load_config(str(config_file)).docs_dir)

        def regenerate() -> None:
            stats = generate_only(analyze_fn(), workdir=workdir, docs_dir=docs_dir)
            mk.info("threatplan: %d pages regenerated (%d changed, %d diagrams rendered)",
                    stats.pages, stats.written, stats.rendered)

        regenerate()
        watched = [*paths, *([workdir / "threats"] if (workdir / "threats").is_dir() else [])]
        watcher = ModelWatcher(watched, regenerate)
        watcher.start()
        try:
            mkdocs_serve(str(config_file), dev_addr=f"{host}:{port}", livereload=True)
        finally:
            watcher.stop()
