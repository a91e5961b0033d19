"""Every output format of `check --format` is wired to a writer with the same signature."""

from __future__ import annotations

import importlib.util
import inspect

import pytest

from threatplan.writers import FORMATS, WRITERS, get_writer


def test_formats_of_spec_section_5_are_registered():
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "markdown"}
    assert list(WRITERS) == list(FORMATS)


@pytest.mark.parametrize("name", FORMATS)
def test_each_writer_renders_the_shared_report(name, report):
    module = {"json": "threatplan.writers.json_"}.get(name, f"threatplan.writers.{name}")
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} not written yet")
    render = WRITERS[name]
    params = inspect.signature(render).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    assert takes_any or {"site_url", "base"} <= set(params)
    text = render(report, site_url=None, base=None)
    assert isinstance(text, str) and text.endswith("\n")
    assert text == render(report, site_url=None, base=None)


def test_unknown_format_names_the_known_ones():
    with pytest.raises(KeyError, match="known: text, json, sarif, junit, markdown"):
        get_writer("html")


def test_render_dispatches_and_drops_options_a_writer_does_not_take(report):
    from threatplan.writers import render
    assert render("sarif", report, site_url=None, color=True) == WRITERS["sarif"](report)
