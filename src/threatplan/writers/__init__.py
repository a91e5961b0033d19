"""Report writers: one module per output format, each `render(report, ...) -> str`.

Every writer takes a frozen :class:`threatplan.results.Report` and never sees YAML or the
CLI. Writers are imported lazily by name so that ``threatplan check`` loads only the one
it needs.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from threatplan.results import Report

__all__ = ["WRITERS", "FORMATS", "get_writer", "render"]

Render = Callable[..., str]
"""`render(report, *, site_url: str | None = None, base: Report | None = None) -> str`."""

_TARGETS: dict[str, str] = {
    "text": "threatplan.writers.text:render",
    "json": "threatplan.writers.json_:render",
    "sarif": "threatplan.writers.sarif:render",
    "junit": "threatplan.writers.junit:render",
    "markdown": "threatplan.writers.markdown:render",
}

FORMATS: tuple[str, ...] = tuple(_TARGETS)
"""Format names in the order `--format` lists them."""


def _load(target: str) -> Render:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


class _LazyWriters(Mapping[str, Render]):
    """A read-only mapping format -> render function that imports on first access."""

    def __init__(self, targets: Mapping[str, str]):
        self._targets = dict(targets)
        self._cache: dict[str, Render] = {}

    def __getitem__(self, name: str) -> Render:
        if name not in self._cache:
            self._cache[name] = _load(self._targets[name])
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)

    def __repr__(self) -> str:
        return f"WRITERS({', '.join(self._targets)})"


WRITERS: Mapping[str, Render] = _LazyWriters(_TARGETS)
"""Format name -> render function (imported on first use)."""


def get_writer(name: str) -> Render:
    """The render function of a format; KeyError names the known formats."""
    try:
        return WRITERS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; known: {', '.join(FORMATS)}") from None


def render(fmt: str, report: "Report", **options) -> str:
    """Render `report` in format `fmt`, passing each writer only the options it accepts.

    Options are keywords such as `site_url`, `base` or `color`; a writer that has no such
    parameter (and no ``**kwargs``) does not receive it.
    """
    writer = get_writer(fmt)
    params = inspect.signature(writer).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        options = {k: v for k, v in options.items() if k in params}
    return writer(report, **options)
