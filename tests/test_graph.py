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


def test_graph_is_frozen():
    import networkx as nx
    assert nx.is_frozen(CHAIN.g)


def test_score_formula_bounds():
    assert combine(5, 1.0, 1.0) == 10.0
    assert combine(5, 0.0, 0.0) == 4.0  # a gap keeps 40% of its severity weight
    assert combine(4, 0.8, 1.0) == 7.0
    assert combine(1, 0.25, 0.2) == 0.9
