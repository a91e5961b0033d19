"""`serve` regenerates the pages when a model YAML file changes, and keeps serving the
last good pages when the new model is broken."""

from __future__ import annotations

import threading
import time

from threatplan.errors import ThreatplanError
from threatplan.site.serve import ModelWatcher


def _wait(event: threading.Event, seconds: float = 10.0) -> bool:
    return event.wait(seconds)


def test_yaml_change_triggers_one_debounced_regeneration(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "shop.yaml").write_text("system: {id: shop}\n")
    calls: list[float] = []
    done = threading.Event()

    def regenerate():
        calls.append(time.monotonic())
        done.set()

    watcher = ModelWatcher([model], regenerate, delay=0.2)
    watcher.start()
    try:
        time.sleep(0.3)
        for i in range(3):  # an editor saving several times in a row
            (model / "shop.yaml").write_text(f"system: {{id: shop, name: v{i}}}\n")
        (model / "notes.txt").write_text("not a model file")
        assert _wait(done)
        time.sleep(0.5)
        assert len(calls) == 1
    finally:
        watcher.stop()


def test_a_broken_model_keeps_the_preview_alive(tmp_path):
    attempts = threading.Event()

    def regenerate():
        attempts.set()
        raise ThreatplanError("model/shop.yaml:1:1: system: bad")

    watcher = ModelWatcher([tmp_path], regenerate, delay=0.05)
    watcher.changed(str(tmp_path / "shop.yaml"))
    assert _wait(attempts)
    watcher.stop()
