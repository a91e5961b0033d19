"""Generate a synthetic model of N components for benchmarks.

    python benchmarks/generate.py 1000 out/model-1000.yaml

The system mirrors a real one at scale: a few zones, a gateway tier, services with
sessions and logins, datastores, queues and about two flows per component. Deterministic:
the same N gives the same bytes.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

CONTROLS = ["auth.rate-limit", "auth.mfa", "transport.tls-only", "secrets.vault", "access.no-root",
            "supply-chain.image-scanning", "patching.automatic-updates", "cookies.secure"]
STATUSES = ["implemented", "partial", "planned", "missing"]


def generate(n: int, seed: int = 7, system_id: str | None = None) -> str:
    """YAML text of a system with `n` components."""
    rnd = random.Random(seed)
    zones = [("internet", "untrusted", None), ("partners", "partner", None), ("dmz", "internal", None),
             ("app", "internal", None), ("data", "restricted", "app")]
    zones += [(f"cell-{i}", "internal", "app") for i in range(max(1, n // 200))]
    lines = ["# yaml-language-server: $schema=../schema/threatplan-model.schema.json",
             "system:", f"  id: {system_id or f'synthetic-{n}'}", f"  name: Synthetic system of {n} components",
             "  owner: team-platform", "  reviewed: 2026-01-15", "  pentested: 2025-06-01", "zones:"]
    for zid, trust, parent in zones:
        lines += [f"  - id: {zid}", f"    trust: {trust}"] + ([f"    parent: {parent}"] if parent else [])
    data = [("credentials", "secret", "credentials"), ("tokens", "secret", "tokens"),
            ("orders", "confidential", "pii"), ("catalog", "public", "business"), ("events", "internal", "logs")]
    lines.append("data:")
    for did, cls, kind in data:
        lines += [f"  - id: {did}", f"    classification: {cls}", f"    kind: {kind}"]
    lines.append("components:")
    comps = []
    for i in range(n):
        if i < max(2, n // 50):
            kind, zone = ("user" if i % 2 == 0 else "client"), "internet"
        elif i < max(4, n // 25):
            kind, zone = "gateway", "dmz"
        else:
            kind = rnd.choice(["service", "service", "service", "function", "datastore", "queue"])
            zone = "data" if kind == "datastore" else rnd.choice([z[0] for z in zones[3:]])
        cid = f"{kind}-{i:05d}"
        comps.append((cid, kind, zone))
        lines += [f"  - id: {cid}", f"    name: {kind.title()} {i}", f"    kind: {kind}", f"    zone: {zone}",
                  f"    owner: team-{i % 17}"]
        if kind in ("service", "function", "gateway"):
            lines += ["    tech: [nodejs, express]", f"    runs_as: {rnd.choice(['root', 'service-account'])}",
                      f"    image: registry.example/{cid}:1.{i % 9}"]
            if rnd.random() < 0.3:
                lines += ["    exposes: [login]", "    sessions: cookie"]
            lines.append(f"    processes: [{rnd.choice(['orders', 'tokens', 'catalog', 'events'])}]")
            lines.append("    controls:")
            for c in rnd.sample(CONTROLS, 3):
                lines.append(f"      {c}: {rnd.choice(STATUSES)}")
        if kind == "datastore":
            lines.append(f"    stores: [{rnd.choice(['orders', 'credentials', 'catalog'])}]")
    lines.append("flows:")
    inner = [c for c in comps if c[2] != "internet"]
    for i, (cid, kind, zone) in enumerate(comps):
        if zone == "internet":
            target = rnd.choice([c for c in comps if c[1] == "gateway"])
            lines += [f"  - from: {cid}", f"    to: {target[0]}", "    protocol: https", "    authn: oidc",
                      "    data: [orders]"]
            continue
        for k in range(2):
            target = inner[rnd.randrange(len(inner))]
            if target[0] == cid:
                continue
            lines += [f"  - id: f-{i:05d}-{k}", f"    from: {cid}", f"    to: {target[0]}",
                      f"    protocol: {rnd.choice(['https', 'grpc', 'grpcs', 'sql-tls', 'amqp'])}",
                      f"    authn: {rnd.choice(['mtls', 'api-key', 'none', 'oauth2'])}",
                      f"    data: [{rnd.choice(['orders', 'events', 'catalog'])}]"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    count = int(sys.argv[1])
    out = Path(sys.argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(generate(count), encoding="utf-8")
    print(f"{out}: {out.stat().st_size:,} bytes")
