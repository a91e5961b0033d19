"""Shared fixtures for the site tests: reports, and sites built once per session.

Building a site runs a real `mkdocs build --strict` and real Graphviz rendering, so each
site is built once and shared by every test that reads it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from site_helpers import DATA, REPO, make_workdir

from threatplan.analysis import analyze
from threatplan.catalog import load_catalog

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
