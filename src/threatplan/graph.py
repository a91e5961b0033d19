"""The system graph and the facts derived from it.

Components are nodes, flows are edges (a MultiDiGraph: two flows may join the same pair).
The graph is frozen once built; derived facts are computed once per question, each by a
small pure function, and cached on the :class:`SystemGraph`.
"""

from __future__ import annotations

from collections import deque
from functools import cached_property, lru_cache
from typing import Mapping

from threatplan.schema import CLASSIFICATION_ORDER, ENCRYPTED_PROTOCOLS, Component, Flow, SystemModel, status_of

__all__ = [
    "SystemGraph", "build_graph", "hops_from", "propagate_upstream", "data_mask",
    "DATA_KINDS", "mask_for", "mask_max_classification",
]

DATA_KINDS = ("credentials", "tokens", "keys", "pii", "payment", "business", "logs", "other")
_CLASSES = ("public", "internal", "confidential", "secret")


def _bit(classification: str, kind: str) -> int:
    return 1 << (CLASSIFICATION_ORDER[classification] * len(DATA_KINDS) + DATA_KINDS.index(kind))


@lru_cache(maxsize=None)
def mask_for(min_classification: str = "public", kinds: tuple[str, ...] | None = None) -> int:
    """Bit mask of every (classification, kind) pair at or above `min_classification`."""
    out = 0
    for c in _CLASSES[CLASSIFICATION_ORDER[min_classification]:]:
        for k in kinds or DATA_KINDS:
            out |= _bit(c, k)
    return out


@lru_cache(maxsize=1024)
def mask_max_classification(mask: int) -> str | None:
    """The highest classification present in a mask, or None."""
    for c in reversed(_CLASSES):
        if mask & mask_for(c) & ~(mask_for(_CLASSES[CLASSIFICATION_ORDER[c] + 1]) if c != "secret" else 0):
            return c
    return None


def data_mask(model: SystemModel, ids) -> int:
    """Bit mask of the given data asset ids."""
    assets = {d.id: d for d in model.data}
    out = 0
    for i in ids:
        d = assets.get(i)
        if d is not None:
            out |= _bit(d.classification, d.kind)
    return out


def hops_from(successors: Mapping[str, list[Flow]], sources, edge_ok=None, blocked=frozenset()) -> dict[str, int]:
    """Breadth-first distance (in flows) from any source along `successors` (node -> outbound
    flows), following flows that pass `edge_ok` and never entering `blocked` nodes."""
    dist = {s: 0 for s in sources if s not in blocked}
    queue = deque(dist)
    while queue:
        n = queue.popleft()
        for flow in successors[n]:
            m = flow.to
            if m in dist or m in blocked or (edge_ok is not None and not edge_ok(flow)):
                continue
            dist[m] = dist[n] + 1
            queue.append(m)
    return dist


def propagate_upstream(own: Mapping[str, int], predecessors: Mapping[str, list[Flow]]) -> dict[str, int]:
    """OR each node's bit mask into every node upstream of it (a monotone fixed point:
    each mask only gains bits, so every node is revisited at most once per bit)."""
    total = dict(own)
    queue = deque(n for n, m in own.items() if m)
    while queue:
        n = queue.popleft()
        for flow in predecessors[n]:
            p = flow.from_
            merged = total[p] | total[n]
            if merged != total[p]:
                total[p] = merged
                queue.append(p)
    return total


class SystemGraph:
    """One system as a graph, plus cached answers to the engine's graph questions.

    Facts are computed over plain adjacency maps (no import cost on the hot path); `g` is the
    same graph as a frozen networkx MultiDiGraph, built on first use, for graph algorithms.
    """

    def __init__(self, model: SystemModel):
        self.model = model
        self.zones = {z.id: z for z in model.zones}
        self.components: dict[str, Component] = {c.id: c for c in model.components}
        self.flows: dict[str, Flow] = {f.key: f for f in model.flows}
        self._trust = {c.id: self.zones[c.zone].trust for c in model.components}
        self.untrusted = tuple(sorted(c for c, t in self._trust.items() if t == "untrusted"))
        """Components that sit in an untrusted zone."""
        self._gateway_cache: dict[str, frozenset[str]] = {}
        self._paths: dict[str, list[str]] = {}
        self.memo: dict = {}
        """Per-graph cache for derived answers of later stages (e.g. exposure scores)."""

    @cached_property
    def g(self):
        """The system as a frozen networkx MultiDiGraph (nodes: components, edges: flows)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for c in self.model.components:
            g.add_node(c.id, component=c, zone=c.zone, trust=self._trust[c.id])
        for f in self.model.flows:
            g.add_edge(f.from_, f.to, key=f.key, flow=f)
        return nx.freeze(g)

    # -- simple facts -------------------------------------------------------------------
    def trust(self, component_id: str) -> str:
        """Trust level of the component's zone."""
        return self._trust[component_id]

    @cached_property
    def _adjacency(self) -> tuple[dict[str, list[Flow]], dict[str, list[Flow]]]:
        """(flows into, flows out of) each component, in model order, from one pass."""
        into: dict[str, list[Flow]] = {c: [] for c in self.components}
        out: dict[str, list[Flow]] = {c: [] for c in self.components}
        for f in self.model.flows:
            into[f.to].append(f)
            out[f.from_].append(f)
        return into, out

    @property
    def _flows_in(self) -> dict[str, list[Flow]]:
        return self._adjacency[0]

    @property
    def _flows_out(self) -> dict[str, list[Flow]]:
        return self._adjacency[1]

    def inbound(self, component_id: str) -> list[Flow]:
        """Flows into a component, in model order."""
        return self._flows_in[component_id]

    def outbound(self, component_id: str) -> list[Flow]:
        """Flows out of a component, in model order."""
        return self._flows_out[component_id]

    def crosses_boundary(self, flow: Flow) -> bool:
        """Whether a flow joins components in different zones."""
        return self.components[flow.from_].zone != self.components[flow.to].zone

    @staticmethod
    def encrypted(flow: Flow) -> bool:
        """Whether the flow's protocol encrypts the channel."""
        return flow.protocol in ENCRYPTED_PROTOCOLS

    def declared(self, element, control_id: str) -> str | None:
        """Declared status of a control on a component or flow, falling back to the system's."""
        own = status_of(element.controls.get(control_id)) if element is not None else None
        return own if own is not None else status_of(self.model.system.controls.get(control_id))

    def declared_entry(self, element, control_id: str):
        """The raw `controls:` entry (string or evidence) for a control, or None."""
        entry = element.controls.get(control_id) if element is not None else None
        return entry if entry is not None else self.model.system.controls.get(control_id)

    # -- data -----------------------------------------------------------------------------
    @cached_property
    def handled_mask(self) -> dict[str, int]:
        """Data each component stores or processes (bit masks)."""
        return {c.id: data_mask(self.model, [*c.stores, *c.processes]) for c in self.model.components}

    @cached_property
    def stored_mask(self) -> dict[str, int]:
        """Data each component stores."""
        return {c.id: data_mask(self.model, c.stores) for c in self.model.components}

    @cached_property
    def processed_mask(self) -> dict[str, int]:
        """Data each component processes."""
        return {c.id: data_mask(self.model, c.processes) for c in self.model.components}

    @cached_property
    def reachable_mask(self) -> dict[str, int]:
        """Data handled by each component or by anything downstream of it along flows."""
        return propagate_upstream(self.handled_mask, self._flows_in)

    def flow_mask(self, flow: Flow) -> int:
        """Data a flow carries."""
        return data_mask(self.model, flow.data)

    # -- exposure -------------------------------------------------------------------------
    @cached_property
    def untrusted_hops(self) -> dict[str, int]:
        """Distance in flows from the nearest untrusted component (0 for those themselves)."""
        return hops_from(self._flows_out, self.untrusted)

    @cached_property
    def unauthenticated_hops(self) -> dict[str, int]:
        """Distance from untrusted components along flows that carry no authentication."""
        return hops_from(self._flows_out, self.untrusted, edge_ok=lambda f: f.authn == "none")

    def reachable_from_untrusted(self, component_id: str) -> bool:
        """Whether an untrusted component reaches this one along flows (itself excluded)."""
        return self.untrusted_hops.get(component_id, 0) > 0

    def exposed_to_untrusted(self, component_id: str) -> bool:
        """Whether a flow from an untrusted zone arrives directly at this component."""
        return self.trust(component_id) != "untrusted" and any(
            self.trust(f.from_) == "untrusted" for f in self.inbound(component_id))

    def behind_gateway_with(self, component_id: str, control_id: str) -> bool:
        """Reachable from untrusted, and only through gateways that implement `control_id`.

        A gateway that implements the control itself counts as guarded.
        """
        if not self.reachable_from_untrusted(component_id):
            return False
        if control_id not in self._gateway_cache:
            guards = {c.id for c in self.model.components
                      if c.kind == "gateway" and self.declared(c, control_id) == "implemented"}
            self._gateway_cache[control_id] = frozenset(
                n for n, d in hops_from(self._flows_out, self.untrusted, blocked=guards).items() if d > 0)
        comp = self.components[component_id]
        if comp.kind == "gateway" and self.declared(comp, control_id) == "implemented":
            return True
        return component_id not in self._gateway_cache[control_id]

    def on_path_to(self, component_id: str, mask: int) -> bool:
        """On a path from an untrusted zone to a component handling data in `mask`."""
        return self.reachable_from_untrusted(component_id) and bool(self.reachable_mask[component_id] & mask)

    def boundaries_on_path(self, component_id: str) -> int:
        """Trust boundaries crossed on the shortest path from an untrusted zone."""
        path = self.shortest_untrusted_path(component_id)
        zone = {c: self.components[c].zone for c in path}
        return sum(1 for a, b in zip(path, path[1:]) if zone[a] != zone[b])

    def shortest_untrusted_path(self, component_id: str) -> list[str]:
        """A shortest path (by flows) from an untrusted component to this one; [] if none.

        Ties go to the alphabetically first predecessor, so the answer is deterministic.
        """
        if component_id not in self._paths:
            hops = self.untrusted_hops
            path, cur = [component_id], component_id
            if cur not in hops:
                path = []
            while path and hops[cur] > 0:
                cur = min(f.from_ for f in self._flows_in[cur] if hops.get(f.from_, -1) == hops[cur] - 1)
                path.append(cur)
            self._paths[component_id] = path[::-1]
        return list(self._paths[component_id])


def build_graph(model: SystemModel) -> SystemGraph:
    """Build the frozen graph of a validated system."""
    return SystemGraph(model)
