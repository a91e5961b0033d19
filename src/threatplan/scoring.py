"""Risk score of a finding: likelihood x impact x intrinsic severity, explained.

    score = 10 x S x (0.4 + 0.6 x L x I), rounded to one decimal

S is the control's intrinsic severity (1-5, divided by 5), L the likelihood (0-1) from the
element's exposure, I the impact (0-1) from the most sensitive data it handles or can reach.
A critical control on an internet-facing element handling secrets scores 10.0; the same gap
deep inside, on public data, keeps 40% of its severity weight: a gap is never worth zero.
"""

from __future__ import annotations

from threatplan.graph import SystemGraph, mask_max_classification
from threatplan.results import ScoreFactor

__all__ = ["score_component", "score_flow", "score_system", "combine", "IMPACT", "formula_text"]

IMPACT = {"secret": 1.0, "confidential": 0.8, "internal": 0.5, "public": 0.3, None: 0.2}
"""Impact by the most sensitive data classification involved (None: no data)."""
DOWNSTREAM = 0.9
"""Weight of data that is only reachable downstream (one step removed)."""


def combine(severity: int, likelihood: float, impact: float) -> float:
    """The score formula."""
    return round(10.0 * (severity / 5.0) * (0.4 + 0.6 * likelihood * impact), 1)


def formula_text(severity: int, likelihood: float, impact: float) -> str:
    """The formula with this finding's numbers."""
    s = severity / 5.0
    return (f"10 x S {s:.2f} x (0.4 + 0.6 x L {likelihood:.2f} x I {impact:.2f}) = "
            f"{combine(severity, likelihood, impact):.1f}")


def _severity_factor(severity: int, name: str) -> ScoreFactor:
    return ScoreFactor("severity", round(severity / 5.0, 2), f"the control's intrinsic severity is {name} ({severity}/5)")


def _exposure(g: SystemGraph, comp_id: str) -> tuple[float, str]:
    key = ("exposure", comp_id)
    if key not in g.memo:
        g.memo[key] = _compute_exposure(g, comp_id)
    return g.memo[key]


def _compute_exposure(g: SystemGraph, comp_id: str) -> tuple[float, str]:
    if g.trust(comp_id) == "untrusted":
        return 1.0, f"{comp_id} sits in an untrusted zone"
    if g.exposed_to_untrusted(comp_id):
        value, why = 1.0, f"{comp_id} receives flows directly from an untrusted zone"
    elif g.reachable_from_untrusted(comp_id):
        hops = g.untrusted_hops[comp_id]
        value = max(0.4, round(1.0 - 0.15 * (hops - 1), 2))
        why = f"{comp_id} is reachable from an untrusted zone in {hops} flows"
    else:
        partner = any(g.trust(f.from_) == "partner" for f in g.inbound(comp_id))
        value = 0.35 if partner else 0.25
        why = (f"{comp_id} is not reachable from an untrusted zone but receives flows from a partner zone"
               if partner else f"{comp_id} is not reachable from an untrusted zone (insiders only)")
        return value, why
    if comp_id not in g.unauthenticated_hops:
        value = round(value * 0.8, 2)
        why += "; every such path requires authentication (x0.8)"
    else:
        why += "; it can be reached without authentication"
    bounds = g.boundaries_on_path(comp_id)
    if bounds > 1:
        factor = max(0.8, 1.0 - 0.05 * (bounds - 1))
        value = round(value * factor, 2)
        why += f"; the shortest path crosses {bounds} trust boundaries (x{factor:.2f})"
    elif bounds == 1:
        why += "; the shortest path crosses 1 trust boundary"
    return value, why


def _impact(g: SystemGraph, own_mask: int, reach_mask: int, subject: str) -> tuple[float, str]:
    own = mask_max_classification(own_mask)
    reach = mask_max_classification(reach_mask)
    i_own = IMPACT[own]
    i_reach = round(IMPACT[reach] * DOWNSTREAM, 2) if reach else 0.0
    if own and i_own >= i_reach:
        return i_own, f"{subject} handles {own} data"
    if reach and i_reach > i_own:
        return i_reach, f"{subject} can reach {reach} data downstream (x{DOWNSTREAM})"
    return IMPACT[None], f"{subject} handles no classified data"


def score_component(g: SystemGraph, comp_id: str, severity: int, severity_name: str):
    """(score, factors, formula) for a finding on a component."""
    likelihood, lwhy = _exposure(g, comp_id)
    impact, iwhy = _impact(g, g.handled_mask[comp_id], g.reachable_mask[comp_id], comp_id)
    return _result(severity, severity_name, likelihood, lwhy, impact, iwhy)


def score_flow(g: SystemGraph, flow_key: str, severity: int, severity_name: str):
    """(score, factors, formula) for a finding on a flow."""
    flow = g.flows[flow_key]
    source_l, swhy = _exposure(g, flow.from_)
    likelihood, lwhy = source_l, f"the flow starts at {flow.from_}: {swhy}"
    if g.crosses_boundary(flow):
        lwhy += "; the flow crosses a trust boundary"
    else:
        likelihood = round(likelihood * 0.9, 2)
        lwhy += "; the flow stays inside one zone (x0.9)"
    impact, iwhy = _impact(g, g.flow_mask(flow), g.reachable_mask[flow.to], f"flow {flow_key}")
    return _result(severity, severity_name, likelihood, lwhy, impact, iwhy)


def score_system(g: SystemGraph, severity: int, severity_name: str):
    """(score, factors, formula) for a system-wide finding."""
    exposed = sorted(c for c in g.components if g.exposed_to_untrusted(c))
    if exposed:
        likelihood, lwhy = 1.0, f"the system is exposed to untrusted zones through {', '.join(exposed[:5])}"
    else:
        likelihood, lwhy = 0.5, "no component receives flows directly from an untrusted zone"
    everything = 0
    for m in g.handled_mask.values():
        everything |= m
    impact, iwhy = _impact(g, everything, 0, "the system")
    return _result(severity, severity_name, likelihood, lwhy, impact, iwhy)


def _result(severity, severity_name, likelihood, lwhy, impact, iwhy):
    factors = (
        ScoreFactor("likelihood", likelihood, lwhy),
        ScoreFactor("impact", impact, iwhy),
        _severity_factor(severity, severity_name),
    )
    return combine(severity, likelihood, impact), factors, formula_text(severity, likelihood, impact)
