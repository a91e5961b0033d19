"""Data-flow diagrams as DOT: zones as clusters, nodes coloured by worst open severity,
flows labelled with protocol and authentication, every node a link to its page.

Only builds DOT source; `render.py` turns it into SVG. Links are computed for the page the
diagram is inlined on (see `layout.href`).
"""

from __future__ import annotations

from dataclasses import dataclass

import graphviz

from threatplan.results import FAILING_STATUSES, SEVERITY_ORDER, SystemResult
from threatplan.site.escape import dot_text
from threatplan.site.layout import Layout, href

__all__ = ["Diagram", "system_diagrams", "worst_open", "SPLIT_THRESHOLD", "SEVERITY_COLOURS"]

SPLIT_THRESHOLD = 40
"""Systems with more components get an overview plus one diagram per zone."""

SEVERITY_COLOURS = {
    "critical": ("#b71c1c", "white"),
    "high": ("#e65100", "white"),
    "medium": ("#f9a825", "black"),
    "low": ("#fff176", "black"),
    "none": ("#c8e6c9", "black"),
}
"""Worst open severity -> (fill colour, font colour)."""

_SHAPES = {
    "user": "ellipse", "client": "box", "external": "box", "gateway": "hexagon",
    "service": "box", "function": "box", "datastore": "cylinder", "queue": "cds",
    "identity-provider": "octagon", "secret-store": "cylinder", "host": "box3d", "ci": "component",
}
_OPEN = FAILING_STATUSES


@dataclass(frozen=True)
class Diagram:
    """One diagram: what it shows, the page it is inlined on, and its DOT source."""

    title: str
    page: str
    source: str


def worst_open(system: SystemResult) -> dict[tuple[str, str], str]:
    """(element type, element id) -> worst severity among its open findings."""
    worst: dict[tuple[str, str], str] = {}
    for f in system.findings:
        if f.status in _OPEN:
            k = (f.element_type, f.element)
            if SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[worst.get(k, "none")]:
                worst[k] = f.severity
    return worst


def _graph(name: str) -> graphviz.Digraph:
    g = graphviz.Digraph(name=name)
    # newrank: clusters with many cross-cluster edges otherwise fail ("trouble in init_rank").
    g.attr("graph", newrank="true", rankdir="TB", fontname="Helvetica", fontsize="11",
           nodesep="0.3", ranksep="0.6", tooltip=" ")
    g.attr("node", fontname="Helvetica", fontsize="10", style="filled", penwidth="1")
    g.attr("edge", fontname="Helvetica", fontsize="8", color="#555555")
    return g


def _label(name: str, sub: str) -> str:
    return graphviz.nohtml(f"{dot_text(name)}\\n{dot_text(sub)}")


def _node(g, node_id: str, comp, sev: str, url: str | None, *, stub: str = "") -> None:
    fill, font = SEVERITY_COLOURS[sev]
    style = "filled,rounded" if comp.kind in ("service", "function", "client") else "filled"
    if stub:
        style += ",dashed"
        fill, font = "#eeeeee", "#333333"
    name = comp.name or comp.id
    sub = comp.kind + (f" in {stub}" if stub else "") + ("" if sev == "none" else f" ({sev})")
    attrs = {"label": _label(name, sub), "shape": _SHAPES.get(comp.kind, "box"),
             "fillcolor": fill, "fontcolor": font, "style": style,
             "tooltip": graphviz.nohtml(dot_text(f"{name}: {sub}"))}
    if url:
        attrs["URL"] = url
        attrs["target"] = "_top"
    g.node(node_id, **attrs)


def _edge(g, a: str, b: str, flow, sev: str, url: str | None) -> None:
    attrs = {"label": graphviz.nohtml(f"{dot_text(flow.protocol)} / {dot_text(flow.authn)}"),
             "tooltip": graphviz.nohtml(dot_text(f"{flow.key}: {flow.protocol}, authn {flow.authn}"))}
    if sev != "none":
        attrs["color"] = SEVERITY_COLOURS[sev][0]
        attrs["penwidth"] = "2"
    if url:
        attrs["URL"] = url
    g.edge(a, b, **attrs)


def _zone_tree(model) -> tuple[dict, dict]:
    children: dict[str | None, list] = {}
    zones = {z.id: z for z in model.zones}
    for z in sorted(model.zones, key=lambda z: z.id):
        parent = z.parent if z.parent in zones and z.parent != z.id else None
        children.setdefault(parent, []).append(z)
    return zones, children


def _full(system: SystemResult, layout: Layout, page: str) -> str:
    model = system.loaded.model
    worst = worst_open(system)
    ids = {c.id: f"n{i}" for i, c in enumerate(sorted(model.components, key=lambda c: c.id))}
    by_zone: dict[str, list] = {}
    for c in sorted(model.components, key=lambda c: c.id):
        by_zone.setdefault(c.zone, []).append(c)
    zones, children = _zone_tree(model)
    g = _graph("system")
    counter = [0]
    seen: set[str] = set()

    def link(kind: str, key: str) -> str | None:
        target = layout.element(system.id, kind, key)
        return href(page, target) if target else None

    def add_zone(parent_graph, zone, depth: int) -> None:
        if zone.id in seen or depth > 20:
            return
        seen.add(zone.id)
        counter[0] += 1
        with parent_graph.subgraph(name=f"cluster_{counter[0]}") as sub:
            sub.attr(label=graphviz.nohtml(dot_text(f"{zone.name or zone.id} ({zone.trust})")),
                     style="rounded,dashed" if zone.trust == "untrusted" else "rounded",
                     color="#9e9e9e", fontcolor="#424242", bgcolor=_ZONE_BG.get(zone.trust, "white"))
            for c in by_zone.get(zone.id, []):
                _node(sub, ids[c.id], c, worst.get(("component", c.id), "none"),
                      link("component", c.id))
            for child in children.get(zone.id, []):
                add_zone(sub, child, depth + 1)

    for zone in children.get(None, []):
        add_zone(g, zone, 0)
    for zone_id, comps in sorted(by_zone.items()):  # components in unknown zones, if any
        if zone_id not in seen:
            for c in comps:
                _node(g, ids[c.id], c, worst.get(("component", c.id), "none"), link("component", c.id))
    for f in sorted(model.flows, key=lambda f: f.key):
        if f.from_ in ids and f.to in ids:
            _edge(g, ids[f.from_], ids[f.to], f, worst.get(("flow", f.key), "none"), link("flow", f.key))
    return g.source


_ZONE_BG = {"untrusted": "#fff8f8", "partner": "#fffdf0", "internal": "#f7f9ff", "restricted": "#f3fff3"}


def _overview(system: SystemResult, layout: Layout, page: str) -> str:
    model = system.loaded.model
    worst = worst_open(system)
    zone_of = {c.id: c.zone for c in model.components}
    zone_ids = sorted({z.id for z in model.zones} | set(zone_of.values()))
    nid = {z: f"z{i}" for i, z in enumerate(zone_ids)}
    zones = {z.id: z for z in model.zones}
    g = _graph("overview")
    for z in zone_ids:
        comps = [c for c in model.components if c.zone == z]
        sev = "none"
        for c in comps:
            s = worst.get(("component", c.id), "none")
            if SEVERITY_ORDER[s] > SEVERITY_ORDER[sev]:
                sev = s
        fill, font = SEVERITY_COLOURS[sev]
        zone = zones.get(z)
        name = (zone.name or zone.id) if zone else z
        trust = zone.trust if zone else "unknown"
        target = layout.zone(system.id, z) if comps else None
        attrs = {"label": _label(name, f"{trust} zone, {len(comps)} components"),
                 "shape": "folder", "fillcolor": fill, "fontcolor": font,
                 "tooltip": graphviz.nohtml(dot_text(f"zone {name}"))}
        if target:
            attrs["URL"] = href(page, target)
            attrs["target"] = "_top"
        g.node(nid[z], **attrs)
    counts: dict[tuple[str, str], list] = {}
    for f in model.flows:
        a, b = zone_of.get(f.from_), zone_of.get(f.to)
        if a and b and a != b:
            counts.setdefault((a, b), []).append(f)
    for (a, b), flows in sorted(counts.items()):
        protos = sorted({f.protocol for f in flows})
        label = f"{len(flows)} flow{'s' if len(flows) != 1 else ''}: {', '.join(protos[:4])}"
        g.edge(nid[a], nid[b], label=graphviz.nohtml(dot_text(label)))
    return g.source


def _zone(system: SystemResult, layout: Layout, page: str, zone_id: str) -> str:
    model = system.loaded.model
    worst = worst_open(system)
    comps = {c.id: c for c in model.components}
    inside = sorted(c.id for c in model.components if c.zone == zone_id)
    flows = sorted((f for f in model.flows if f.from_ in inside or f.to in inside), key=lambda f: f.key)
    outside = sorted({x for f in flows for x in (f.from_, f.to) if x not in inside and x in comps})
    ids = {cid: f"n{i}" for i, cid in enumerate(inside + outside)}
    zones = {z.id: z for z in model.zones}
    zone = zones.get(zone_id)
    g = _graph("zone")
    with g.subgraph(name="cluster_zone") as sub:
        sub.attr(label=graphviz.nohtml(dot_text(
            f"{(zone.name or zone.id) if zone else zone_id} ({zone.trust if zone else 'unknown'})")),
            style="rounded", color="#9e9e9e")
        for cid in inside:
            target = layout.element(system.id, "component", cid)
            _node(sub, ids[cid], comps[cid], worst.get(("component", cid), "none"),
                  href(page, target) if target else None)
    for cid in outside:
        target = layout.element(system.id, "component", cid)
        z = zones.get(comps[cid].zone)
        _node(g, ids[cid], comps[cid], "none", href(page, target) if target else None,
              stub=(z.name or z.id) if z else comps[cid].zone)
    for f in flows:
        if f.from_ in ids and f.to in ids:
            target = layout.element(system.id, "flow", f.key)
            _edge(g, ids[f.from_], ids[f.to], f, worst.get(("flow", f.key), "none"),
                  href(page, target) if target else None)
    return g.source


def system_diagrams(system: SystemResult, layout: Layout) -> list[Diagram]:
    """The diagrams of a system: one, or an overview plus one per zone when it is large."""
    if system.loaded is None:
        return []
    page = layout.system(system.id)
    model = system.loaded.model
    if len(model.components) <= SPLIT_THRESHOLD:
        return [Diagram("Data flows", page, _full(system, layout, page))]
    out = [Diagram("Zones overview", page, _overview(system, layout, page))]
    for z in sorted(model.zones, key=lambda z: z.id):
        zpage = layout.zone(system.id, z.id)
        if zpage and any(c.zone == z.id for c in model.components):
            out.append(Diagram(f"Zone {z.name or z.id}", zpage, _zone(system, layout, zpage, z.id)))
    return out
