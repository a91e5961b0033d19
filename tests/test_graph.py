"""Graph questions on tiny hand-written systems (each test says what it shows)."""

from __future__ import annotations

from threatplan.graph import SystemGraph, mask_for, mask_max_classification
from threatplan.schema import SystemModel
from threatplan.scoring import combine


def _system(components, flows, data=()):
    """A system in zones internet (untrusted), dmz/app (internal), vault (restricted)."""
    return SystemGraph(SystemModel.model_validate({
        "system": {"id": "t"},
        "zones": [{"id": "internet", "trust": "untrusted"}, {"id": "dmz", "trust": "internal"},
                  {"id": "app", "trust": "internal"}, {"id": "vault", "trust": "restricted"}],
        "data": [{"id": d, "classification": c, "kind": k} for d, c, k in data],
        "components": [{"id": i, "kind": k, "zone": z, **extra} for i, k, z, extra in components],
        "flows": [{"from": a, "to": b, "protocol": p, "authn": au} for a, b, p, au in flows],
    }))


CHAIN = _system(
    [("user", "user", "internet", {}), ("gw", "gateway", "dmz", {"controls": {"network.ddos-protection": "implemented"}}),
     ("api", "service", "app", {"processes": ["orders"]}), ("db", "datastore", "vault", {"stores": ["pw"]}),
     ("batch", "service", "app", {})],
    [("user", "gw", "https", "none"), ("gw", "api", "http", "oidc"), ("api", "db", "sql", "password"),
     ("batch", "db", "sql-tls", "mtls")],
    [("orders", "confidential", "pii"), ("pw", "secret", "credentials")],
)


def test_reachability_follows_flow_direction():
    # batch writes to db but nothing reaches batch: it is not exposed.
    assert CHAIN.untrusted_hops == {"user": 0, "gw": 1, "api": 2, "db": 3}
    assert not CHAIN.reachable_from_untrusted("batch")
    assert CHAIN.exposed_to_untrusted("gw") and not CHAIN.exposed_to_untrusted("api")


def test_authentication_on_the_path():
    # user->gw carries no authn, gw->api does: api is only reachable with authentication.
    assert "gw" in CHAIN.unauthenticated_hops and "api" not in CHAIN.unauthenticated_hops


def test_downstream_data_reaches_back_along_flows():
    # api processes confidential data and reaches db's secret data downstream.
    assert mask_max_classification(CHAIN.handled_mask["api"]) == "confidential"
    assert mask_max_classification(CHAIN.reachable_mask["api"]) == "secret"
    assert mask_max_classification(CHAIN.reachable_mask["gw"]) == "secret"
    assert CHAIN.on_path_to("gw", mask_for("secret"))
    assert not CHAIN.on_path_to("batch", mask_for("secret"))


def test_gateway_guard():
    # Every path to api passes gw, which implements ddos protection; nothing guards a direct path.
    assert CHAIN.behind_gateway_with("api", "network.ddos-protection")
    assert not CHAIN.behind_gateway_with("api", "auth.rate-limit")
    bypass = _system(
        [("user", "user", "internet", {}), ("gw", "gateway", "dmz", {"controls": {"network.ddos-protection": "implemented"}}),
         ("api", "service", "app", {})],
        [("user", "gw", "https", "none"), ("gw", "api", "https", "none"), ("user", "api", "https", "none")])
    assert not bypass.behind_gateway_with("api", "network.ddos-protection")


def test_boundaries_and_shortest_path():
    assert CHAIN.shortest_untrusted_path("db") == ["user", "gw", "api", "db"]
    assert CHAIN.boundaries_on_path("db") == 3


def test_cycles_do_not_break_downstream_data():
    loop = _system([("a", "service", "app", {"stores": ["s"]}), ("b", "service", "app", {})],
                   [("a", "b", "https", "none"), ("b", "a", "https", "none")], [("s", "secret", "keys")])
    assert mask_max_classification(loop.reachable_mask["b"]) == "secret"


def test_networkx_view_is_frozen_and_complete():
    import networkx as nx
    assert nx.is_frozen(CHAIN.g)
    assert sorted(CHAIN.g.nodes) == sorted(CHAIN.components)
    assert sorted(k for _, _, k in CHAIN.g.edges(keys=True)) == sorted(CHAIN.flows)
    # The hand-rolled facts agree with networkx's own algorithms.
    for node in CHAIN.components:
        reach = nx.descendants(CHAIN.g, node) | {node}
        mask = 0
        for other in reach:
            mask |= CHAIN.handled_mask[other]
        assert CHAIN.reachable_mask[node] == mask
    hops = nx.multi_source_dijkstra_path_length(CHAIN.g, {"user"}, weight=lambda *a: 1)
    assert hops == CHAIN.untrusted_hops


def test_score_formula_bounds():
    assert combine(5, 1.0, 1.0) == 10.0
    assert combine(5, 0.0, 0.0) == 4.0  # a gap keeps 40% of its severity weight
    assert combine(4, 0.8, 1.0) == 7.0
    assert combine(1, 0.25, 0.2) == 0.9


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
    st.lists(st.sampled_from(["internet", "app", "vault"]), min_size=n, max_size=n),
    st.lists(st.sampled_from([None, "pw", "orders"]), min_size=n, max_size=n))))
def test_facts_agree_with_networkx_on_random_graphs(case):
    import networkx as nx
    n, edges, zones, stores = case
    g = _system([(f"c{i}", "service", zones[i], {"stores": [stores[i]]} if stores[i] else {})
                 for i in range(n)],
                [(f"c{a}", f"c{b}", "https", "none") for a, b in edges if a != b],
                [("orders", "confidential", "pii"), ("pw", "secret", "credentials")])
    sources = [c for c in g.components if g.trust(c) == "untrusted"]
    expected = nx.multi_source_dijkstra_path_length(g.g, set(sources), weight=lambda *a: 1) if sources else {}
    assert g.untrusted_hops == expected
    for node in g.components:
        mask = 0
        for other in nx.descendants(g.g, node) | {node}:
            mask |= g.handled_mask[other]
        assert g.reachable_mask[node] == mask
        path = g.shortest_untrusted_path(node)
        assert len(path) == (expected[node] + 1 if node in expected else 0)
