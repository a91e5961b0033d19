"""Diagrams: DOT structure, the per-zone split of large systems, the render cache and the
fallback when rendering fails."""

from __future__ import annotations

import re
from dataclasses import replace

from threatplan.loading import LoadedSystem
from threatplan.schema import SystemModel
from threatplan.site.diagrams import SPLIT_THRESHOLD, system_diagrams
from threatplan.site.layout import Layout
from threatplan.site.mdtools import diagram_block
from threatplan.site.render import find_renderer, render_all


def test_system_diagram_has_zones_links_labels_and_newrank(example_report):
    s = next(x for x in example_report.systems if x.id == "webshop")
    (d,) = system_diagrams(s, Layout(example_report))
    assert "newrank=true" in d.source
    assert d.source.count("subgraph cluster_") == len(s.loaded.model.zones)
    assert d.source.count("URL=") >= len(s.loaded.model.components)
    assert re.search(r'label="https / \w+"', d.source)


def _big_system(n_zones: int, per_zone: int):
    zones = [{"id": f"z{i}", "trust": "untrusted" if i == 0 else "internal"} for i in range(n_zones)]
    comps = [{"id": f"c{z}-{j}", "kind": "user" if z == 0 else "service", "zone": f"z{z}"}
             for z in range(n_zones) for j in range(per_zone)]
    # Many cross-cluster edges: dot fails with "trouble in init_rank" without newrank.
    flows = [{"from": f"c{z}-{j}", "to": f"c{(z + 1) % n_zones}-{(j * 7) % per_zone}", "protocol": "https"}
             for z in range(n_zones) for j in range(per_zone)]
    return SystemModel.model_validate({"system": {"id": "big"}, "zones": zones,
                                       "components": comps, "flows": flows})


def test_large_system_gets_an_overview_and_one_diagram_per_zone(example_report, tmp_path):
    model = _big_system(5, 12)
    assert len(model.components) > SPLIT_THRESHOLD
    base = example_report.systems[0]
    loaded = LoadedSystem(model=model, file="big.yaml", files=("big.yaml",), sources={})
    big = replace(base, id="big", findings=(), checks=(), fixes=(), paths=(), loaded=loaded)
    report = replace(example_report, systems=(big,))
    diagrams = system_diagrams(big, Layout(report))
    assert [d.title for d in diagrams] == ["Zones overview"] + [f"Zone z{i}" for i in range(5)]
    rendered = render_all([d.source for d in diagrams], tmp_path)
    assert all(r.svg is not None for r in rendered), [r.error for r in rendered]
    # The overview's zone nodes link to the zone pages.
    assert rendered[0].svg.count("zones/z") == 5


def test_render_cache_means_a_rebuild_renders_nothing(tmp_path):
    src = 'digraph { newrank=true; a -> b }'
    first = render_all([src], tmp_path)
    second = render_all([src], tmp_path)
    assert not first[0].cached and second[0].cached and second[0].svg == first[0].svg
    assert len(list((tmp_path / "svg").glob("*.svg"))) == 1


def test_failed_render_shows_a_notice_and_the_dot_source(tmp_path):
    (r,) = render_all(["digraph { a -> }"], tmp_path, renderer=find_renderer())
    assert r.svg is None and r.error
    block = diagram_block("Data flows", "digraph { a -> }", r)
    assert block.startswith('!!! warning "Diagram could not be rendered"')
    assert "digraph { a -&gt; }" not in block and "digraph { a -> }" in block
    assert not list((tmp_path / "svg").glob("*.svg"))  # failures are not cached
