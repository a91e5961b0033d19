"""Real `mkdocs build --strict` of the example and the hostile site: every page exists,
no internal link is broken, nothing loads from the network, hostile text stays text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_helpers import broken_links, make_workdir
from threatplan.errors import ThreatplanError
from threatplan.site.build import build_site, last_stats
from threatplan.site.layout import STANDARDS, Layout

pytestmark = pytest.mark.slow


def _html(page_md: str) -> str:
    return page_md[: -len(".md")] + ".html"


def test_example_site_has_every_page(example_site, example_report):
    _, site = example_site
    layout = Layout(example_report)
    expected = [layout.system(s.id) for s in example_report.systems]
    for s in example_report.systems:
        expected += [layout.element(s.id, "component", c.id) for c in s.loaded.model.components]
        expected += [layout.element(s.id, "flow", f.key) for f in s.loaded.model.flows]
    expected += [layout.control(c) for c in example_report.catalog.records]
    expected += [layout.standard(f) for f in STANDARDS]
    missing = [p for p in expected if not (site / _html(p)).is_file()]
    assert not missing
    assert (site / "index.html").is_file() and (site / "search" / "search_index.js").is_file()


def test_no_broken_internal_link_including_every_diagram_node(example_site):
    _, site = example_site
    assert broken_links(site) == []
    svg_links = [m for p in site.rglob("*.html") for m in re.findall(r'xlink:href="([^"]+)"', p.read_text())]
    assert len(svg_links) > 20


def test_nothing_is_loaded_from_the_network(example_site):
    _, site = example_site
    for page in site.rglob("*.html"):
        text = page.read_text()
        for url in re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', text):
            assert "://" not in url and not url.startswith("//"), (page, url)
    assert (site / "generated" / "assets" / "iframe-worker" / "shim.js").is_file()
    assert "fonts.googleapis.com" not in (site / "index.html").read_text()


def test_home_page_is_the_dashboard(example_site, example_report):
    _, site = example_site
    home = (site / "index.html").read_text()
    for heading in ("Risk per system", "Open findings by severity", "Top fixes", "Standards coverage"):
        assert heading in home
    for s in example_report.systems:
        assert f'href="generated/systems/{s.id}/index.html"' in home


def test_sidebar_lists_section_indexes_not_every_page(example_site):
    _, site = example_site
    home = (site / "index.html").read_text()
    nav = home[home.index('md-nav--primary'):home.index('md-sidebar--secondary')]
    assert "controls/auth.mfa" not in nav and "generated/systems/index.html" in nav


def test_hostile_text_stays_text(hostile_site):
    _, site = hostile_site
    texts = {p: p.read_text() for p in site.rglob("*.html")}
    for page, text in texts.items():
        head_title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        assert "<" not in head_title, page  # the theme writes titles unescaped
        body = text[text.index("<body"):]
        assert not re.search(r"<script>alert|<img src=x|<iframe src=x|<svg onload|<b>bold|<b>acceptor",
                             body, re.I), page
        assert 'href="javascript:' not in body and 'href="https://evil.example' not in body, page
    system = texts[site / "generated" / "systems" / "hostile" / "index.html"]
    assert "<title>Hostile &lt;script&gt;alert(&#x27;system&#x27;)&lt;/script&gt; | [x](https://evil.example) -" in system
    assert ">Hostile &lt;script&gt;alert('system')&lt;/script&gt; | [x](https://evil.example)<" in system
    # pymdownx.snippets must not have included index.md through the description.
    assert system.count("Threat model knowledge base</h1>") == 0
    control = texts[site / "generated" / "controls" / "custom.evil-markup" / "index.html"]
    assert "&lt;script&gt;alert(&#39;code&#39;)&lt;/script&gt;" in control or \
        "&lt;script&gt;alert('code')&lt;/script&gt;" in control
    assert broken_links(site) == []


def test_rebuild_without_changes_renders_no_diagram(hostile_site, hostile_report):
    work, site = hostile_site
    build_site(hostile_report, out=site, workdir=work)
    stats = last_stats()
    assert (stats.rendered, stats.written) == (0, 0) and stats.diagrams >= 1


def test_builtin_configuration_in_a_folder_without_mkdocs_yml(tmp_path, hostile_report):
    build_site(hostile_report, out=tmp_path / "out", workdir=tmp_path)
    assert (tmp_path / "out" / "index.html").is_file()
    assert (tmp_path / "out" / "generated" / "systems" / "hostile" / "index.html").is_file()
    assert not (tmp_path / "site_src").exists()  # the built-in docs folder is temporary
    assert broken_links(tmp_path / "out") == []


def test_a_failing_mkdocs_build_is_a_clear_error(tmp_path, hostile_report):
    work = make_workdir(tmp_path / "w")
    (work / "site_src" / "about" / "broken.md").write_text("[gone](nowhere.md)\n")
    with pytest.raises(ThreatplanError, match=r"(?s)mkdocs build --strict failed.*nowhere\.md"):
        build_site(hostile_report, out=work / "site", workdir=work)


def test_built_site_is_byte_identical_across_builds(tmp_path, example_report, example_site):
    """Same input, same bytes: a second build in another folder, with a cold diagram cache."""
    work = make_workdir(tmp_path / "w")
    build_site(example_report, out=work / "site", workdir=work)
    _, first = example_site
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(work / "site") for p in (work / "site").rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (work / "site" / rel).read_bytes(), rel


def test_large_system_zone_pages_build_and_link(tmp_path):
    """A system past the split threshold: overview + zone pages, every node link works."""
    import yaml

    from threatplan.analysis import analyze
    from threatplan.site.diagrams import SPLIT_THRESHOLD

    zones = [{"id": "internet", "trust": "untrusted"}] + [{"id": f"z{i}", "trust": "internal"} for i in range(4)]
    comps = [{"id": "user", "kind": "user", "zone": "internet"}]
    comps += [{"id": f"s{i}", "kind": "service", "zone": f"z{i % 4}", "exposes": ["login"]}
              for i in range(SPLIT_THRESHOLD + 8)]
    flows = [{"from": "user", "to": "s0", "protocol": "https", "authn": "password"}]
    flows += [{"from": f"s{i}", "to": f"s{(i * 5 + 1) % (SPLIT_THRESHOLD + 8)}", "protocol": "http"}
              for i in range(SPLIT_THRESHOLD + 8)]
    model = tmp_path / "model"
    model.mkdir()
    (model / "big.yaml").write_text(yaml.safe_dump(
        {"system": {"id": "big", "name": "Big"}, "zones": zones, "components": comps, "flows": flows}))
    report = analyze([model])
    work = make_workdir(tmp_path / "w")
    build_site(report, out=work / "site", workdir=work)
    site = work / "site"
    for z in range(4):
        zone_page = site / "generated" / "systems" / "big" / "zones" / f"z{z}" / "index.html"
        assert zone_page.is_file() and "components/s" in zone_page.read_text()
    assert broken_links(site) == []
