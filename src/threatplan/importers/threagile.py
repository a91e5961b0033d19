"""Convert a Threagile model (YAML, 0.x and 1.0 formats) into threatplan model format v1.

What maps: trust boundaries -> zones (nesting kept), data assets -> data (confidentiality ->
classification, kind guessed from the words), technical assets -> components (type and
technology -> kind), communication links -> flows (protocol, authentication, data sent and
received), risk tracking of a few risk categories -> control evidence. Everything else is
listed as not mapped: on stderr by the CLI and as comments at the top of the output.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from threatplan.errors import Diagnostic, InputError
from threatplan.loading import display_path
from threatplan.yamlpos import parse_yaml

__all__ = ["convert", "slug", "plain_text", "MAX_BYTES"]

MAX_BYTES = 5_000_000
"""Refuse larger files: a Threagile model is a few hundred kilobytes at most."""

CLASSIFICATION = {"public": "public", "internal": "internal", "restricted": "confidential",
                  "confidential": "confidential", "strictly-confidential": "secret"}

KIND_BY_TECHNOLOGY = {
    "browser": "client", "desktop": "client", "mobile-app": "client", "devops-client": "client",
    "iot-device": "client", "client-system": "client", "tool": "client", "cli": "client",
    "load-balancer": "gateway", "reverse-proxy": "gateway", "waf": "gateway", "ids": "gateway",
    "ips": "gateway", "gateway": "gateway", "api-gateway": "gateway", "service-mesh": "gateway",
    "identity-provider": "identity-provider",
    "database": "datastore", "file-server": "datastore", "local-file-system": "datastore",
    "block-storage": "datastore", "data-lake": "datastore", "search-index": "datastore",
    "identity-store-ldap": "datastore", "identity-store-database": "datastore",
    "message-queue": "queue", "stream-processing": "queue", "event-listener": "queue",
    "function": "function", "serverless": "function",
    "vault": "secret-store", "hsm": "secret-store",
    "build-pipeline": "ci", "sourcecode-repository": "ci", "artifact-registry": "ci",
    "code-inspection-platform": "ci",
    "mainframe": "host", "container-platform": "host", "batch-processing": "host",
}
KIND_BY_TYPE = {"external-entity": "external", "process": "service", "datastore": "datastore"}

PROTOCOL = {
    "http": "http", "https": "https", "ws": "http", "wss": "https",
    "reverse-proxy-web-protocol": "http", "reverse-proxy-web-protocol-encrypted": "https",
    "mqtt": "tcp", "jdbc": "sql", "jdbc-encrypted": "sql-tls", "odbc": "sql",
    "odbc-encrypted": "sql-tls", "sql-access-protocol": "sql",
    "sql-access-protocol-encrypted": "sql-tls", "nosql-access-protocol": "tcp",
    "nosql-access-protocol-encrypted": "tls", "binary": "tcp", "binary-encrypted": "tls",
    "text": "tcp", "text-encrypted": "tls", "ssh": "ssh", "ssh-tunnel": "ssh", "sftp": "ssh",
    "scp": "ssh", "smtp": "smtp", "smtp-encrypted": "smtps", "pop3": "tcp",
    "pop3-encrypted": "tls", "imap": "tcp", "imap-encrypted": "tls", "ftp": "tcp", "ftps": "tls",
    "ldap": "ldap", "ldaps": "ldaps", "jms": "amqp", "iiop": "tcp", "iiop-encrypted": "tls",
    "rmi": "tcp", "rmi-encrypted": "tls", "nfs": "tcp", "smb": "tcp", "smb-encrypted": "tls",
    "grpc": "grpc", "grpcs": "grpcs", "amqp": "amqp", "amqps": "amqps",
}
AUTHN = {"none": "none", "credentials": "password", "session-id": "session", "token": "api-key",
         "client-certificate": "mtls", "two-factor": "password", "externalized": "oidc"}

# Threagile risk category -> (threatplan control, where the evidence goes).
RISK_CONTROL = {
    "missing-authentication-second-factor": "auth.mfa",
    "unencrypted-communication": "transport.encryption-in-transit",
    "unencrypted-asset": "data.no-plaintext-secrets",
    "missing-vault": "secrets.vault",
    "missing-network-segmentation": "network.segmentation",
    "dos-risky-access-across-trust-boundary": "network.ddos-protection",
    "container-baseimage-backdooring": "supply-chain.image-scanning",
}
RISK_STATUS = {"mitigated": "implemented", "false-positive": "not-applicable", "in-progress": "partial"}

_ASSET_USED = {"id", "description", "type", "technology", "technologies", "tags", "internet",
               "owner", "data_assets_processed", "data_assets_stored", "communication_links",
               "used_as_client_by_human", "encryption", "out_of_scope", "justification_out_of_scope"}
_LINK_USED = {"target", "description", "protocol", "authentication", "tags",
              "data_assets_sent", "data_assets_received", "usage", "vpn", "ip_filtered", "readonly"}
_DATA_USED = {"id", "description", "confidentiality", "tags", "usage"}
_BOUNDARY_USED = {"id", "description", "type", "tags", "technical_assets_inside",
                  "trust_boundaries_nested"}
_TOP_USED = {"threagile_version", "title", "date", "author", "business_overview", "data_assets",
             "technical_assets", "trust_boundaries", "risk_tracking"}
_IGNORED_QUIETLY = {"diagram_tweak_order", "diagram_tweak_weight", "diagram_tweak_constraint"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("br", "p", "li", "div"):
            self.parts.append(" ")


def plain_text(value: Any, limit: int = 10_000) -> str:
    """Text without HTML tags or entities, whitespace collapsed, cut to `limit` characters."""
    if value is None:
        return ""
    parser = _Text()
    parser.feed(str(value))
    parser.close()
    text = " ".join(html.unescape("".join(parser.parts)).split())
    return text[:limit]


def slug(value: Any, *, dots: bool = True, fallback: str = "x") -> str:
    """A threatplan id from any Threagile id or title: lower case, [a-z0-9._-] (or [a-z0-9-])."""
    text = plain_text(value).lower()
    text = re.sub(r"[^a-z0-9._-]+" if dots else r"[^a-z0-9-]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-._")
    return (text or fallback)[:80].rstrip("-._") or fallback


class _Ids:
    """Unique slugs within one namespace, remembering the Threagile id each came from."""

    def __init__(self, taken: set[str] | None = None):
        self.by_source: dict[str, str] = {}
        self.taken: set[str] = set(taken or ())

    def add(self, source: str, preferred: str) -> str:
        candidate, n = preferred, 2
        while candidate in self.taken:
            candidate, n = f"{preferred}-{n}", n + 1
        self.taken.add(candidate)
        self.by_source.setdefault(source, candidate)
        return candidate


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list:
    return [v for v in value if v is not None] if isinstance(value, list) else []


def _shorttext(value: Any) -> str | None:
    text = plain_text(value, 200)
    return text or None


def _data_kind(asset: dict, title: str) -> str:
    """A data kind guessed from the asset's words (its name and id weigh more than prose)."""
    name = f" {title} {asset.get('id', '')} ".lower()
    words = f"{name} {plain_text(asset.get('description'))} ".lower()
    for pattern, kind in ((r"credential|password|secret", "credentials"), (r"\btokens?\b", "tokens"),
                          (r"\bkeys?\b|certificate", "keys"), (r"payment|credit.?card|\bcard", "payment"),
                          (r"\blogs?\b", "logs"), (r"\bpii\b|personal", "pii")):
        if re.search(pattern, words):
            return kind
    if re.search(r"customer|\busers?\b|patient|employee", name):
        return "pii"
    return "business" if asset.get("usage") == "business" else "other"


class _Converter:
    def __init__(self, doc: dict, name: str):
        self.doc = doc
        self.name = name
        self.notes: list[str] = []
        self.data_ids = _Ids()
        self.asset_ids = _Ids()
        self.zone_ids = _Ids()

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def _unused(self, where: str, entries: dict[str, dict], used: set[str]) -> None:
        """Note the fields that appear with a value but have no equivalent."""
        seen: dict[str, int] = {}
        for entry in entries.values():
            for key, value in _mapping(entry).items():
                if key in used or key in _IGNORED_QUIETLY or key == "<<":
                    continue
                if value not in (None, "", [], {}, False):
                    seen[key] = seen.get(key, 0) + 1
        for key in sorted(seen):
            self.note(f"{where}.*.{key} ({seen[key]}x): no equivalent in the model format")

    # --- parts ---------------------------------------------------------------------
    def system(self) -> dict:
        title = plain_text(self.doc.get("title")) or Path(self.name).stem
        out: dict[str, Any] = {"id": slug(title, dots=False, fallback="imported"), "name": title[:200]}
        owner = _shorttext(_mapping(self.doc.get("author")).get("name"))
        if owner:
            out["owner"] = owner
        description = plain_text(_mapping(self.doc.get("business_overview")).get("description"))
        if description:
            out["description"] = description
        date = self.doc.get("date")
        if isinstance(date, str):
            try:
                date = _dt.date.fromisoformat(date)
            except ValueError:
                self.note(f"date '{date}' is not a date; system.reviewed left empty")
        if isinstance(date, _dt.date):
            out["reviewed"] = date if not isinstance(date, _dt.datetime) else date.date()
            self.note("date (the model's date) became system.reviewed: set it to the last real review")
        return out

    def data(self) -> list[dict]:
        assets = _mapping(self.doc.get("data_assets"))
        out = []
        for title, asset in assets.items():
            asset = _mapping(asset)
            source = str(asset.get("id") or title)
            entry: dict[str, Any] = {"id": self.data_ids.add(source, slug(source))}
            entry["name"] = plain_text(title, 200) or entry["id"]
            if asset.get("description"):
                entry["description"] = plain_text(asset["description"])
            conf = str(asset.get("confidentiality") or "internal")
            if conf not in CLASSIFICATION:
                self.note(f"data asset {source}: confidentiality '{conf}' unknown; set to internal")
            entry["classification"] = CLASSIFICATION.get(conf, "internal")
            entry["kind"] = _data_kind(asset, str(title))
            entry.update(self._tags(asset))
            out.append(entry)
        if out:
            self.note("data assets: kind guessed from their names (credentials, pii, business...); "
                      "restricted became confidential, strictly-confidential became secret")
        self._unused("data_assets", assets, _DATA_USED)
        return sorted(out, key=lambda e: e["id"])

    def _tags(self, entry: dict) -> dict:
        tags = sorted({str(t)[:64] for t in _items(entry.get("tags")) if str(t).strip()})
        return {"tags": tags} if tags else {}

    def zones(self, assets: dict) -> tuple[list[dict], dict[str, str]]:
        """Zones from trust boundaries, plus zones for assets outside every boundary."""
        boundaries = _mapping(self.doc.get("trust_boundaries"))
        zones, parent_of, zone_of_asset = [], {}, {}
        for title, b in boundaries.items():
            b = _mapping(b)
            source = str(b.get("id") or title)
            self.zone_ids.add(source, slug(source))
        for title, b in boundaries.items():
            b = _mapping(b)
            zid = self.zone_ids.by_source[str(b.get("id") or title)]
            for nested in _items(b.get("trust_boundaries_nested")):
                if str(nested) in self.zone_ids.by_source:
                    parent_of[self.zone_ids.by_source[str(nested)]] = zid
                else:
                    self.note(f"trust boundary {zid}: nested boundary '{nested}' is unknown; dropped")
            for asset in _items(b.get("technical_assets_inside")):
                zone_of_asset.setdefault(str(asset), zid)
        for title, b in boundaries.items():
            b = _mapping(b)
            zid = self.zone_ids.by_source[str(b.get("id") or title)]
            zone: dict[str, Any] = {"id": zid, "name": plain_text(title, 200) or zid, "trust": "internal"}
            if b.get("description"):
                zone["description"] = plain_text(b["description"])
            if zid in parent_of:
                zone["parent"] = parent_of[zid]
            tags = self._tags(b).get("tags", [])
            if b.get("type"):
                tags = sorted(set(tags) | {str(b["type"])[:64]})
            if tags:
                zone["tags"] = tags
            zones.append(zone)
        if zones:
            self.note("trust boundaries: Threagile has no trust level; each became a zone with trust "
                      "'internal' (its type is kept as a tag): raise to 'restricted' where it fits")
        self._unused("trust_boundaries", boundaries, _BOUNDARY_USED)

        extra: dict[str, tuple[str, str]] = {}
        for title, asset in assets.items():
            asset = _mapping(asset)
            source = str(asset.get("id") or title)
            if source in zone_of_asset:
                continue
            if asset.get("internet"):
                key = ("internet", "untrusted", "The internet: assets outside every trust boundary.")
            elif asset.get("type") == "external-entity":
                key = ("external", "partner", "External entities outside every trust boundary.")
            else:
                key = ("unzoned", "internal", "Assets that Threagile placed in no trust boundary.")
            if key[0] not in extra:
                extra[key[0]] = (self.zone_ids.add("\0" + key[0], key[0]), key[1], key[2])
            zone_of_asset[source] = extra[key[0]][0]
        for _, (zid, trust, text) in sorted(extra.items()):
            zones.append({"id": zid, "trust": trust, "description": text})
        return sorted(zones, key=lambda z: z["id"]), zone_of_asset

    def components_and_flows(self) -> tuple[list[dict], list[dict], list[dict]]:
        assets = _mapping(self.doc.get("technical_assets"))
        for title, asset in assets.items():
            source = str(_mapping(asset).get("id") or title)
            self.asset_ids.add(source, slug(source))
        zones, zone_of = self.zones(assets)
        incoming: dict[str, list[tuple[dict, dict]]] = {}
        for title, asset in assets.items():
            asset = _mapping(asset)
            for link in _mapping(asset.get("communication_links")).values():
                incoming.setdefault(str(_mapping(link).get("target")), []).append((asset, _mapping(link)))

        components, flows, flow_ids, all_links = [], [], _Ids(), {}
        for title, asset in assets.items():
            asset = _mapping(asset)
            source = str(asset.get("id") or title)
            components.append(self._component(title, asset, source, zone_of[source], incoming.get(source, [])))
            links = _mapping(asset.get("communication_links"))
            for link_title, link in links.items():
                flow = self._flow(source, str(link_title), _mapping(link), flow_ids)
                if flow:
                    flows.append(flow)
            all_links.update({f"{source}/{t}": link for t, link in links.items()})
        self._unused("technical_assets", assets, _ASSET_USED)
        self._unused("technical_assets.*.communication_links", all_links, _LINK_USED)
        return (sorted(zones, key=lambda z: z["id"]), sorted(components, key=lambda c: c["id"]),
                sorted(flows, key=lambda f: (f["from"], f["to"], f["id"])))

    def _data_refs(self, where: str, ids: Any) -> list[str]:
        out = []
        for raw in _items(ids):
            if str(raw) in self.data_ids.by_source:
                out.append(self.data_ids.by_source[str(raw)])
            else:
                self.note(f"{where}: unknown data asset '{raw}'; dropped")
        return sorted(set(out))

    def _component(self, title, asset: dict, source: str, zone: str, incoming: list) -> dict:
        cid = self.asset_ids.by_source[source]
        techs = [str(t) for t in ([asset.get("technology")] + _items(asset.get("technologies"))) if t]
        kind = next((KIND_BY_TECHNOLOGY[t] for t in techs if t in KIND_BY_TECHNOLOGY), None)
        if kind is None:
            kind = KIND_BY_TYPE.get(str(asset.get("type")), "service")
            if asset.get("type") == "external-entity" and asset.get("used_as_client_by_human"):
                kind = "client"
        if asset.get("type") == "external-entity" and kind not in ("client", "external"):
            kind = "external"
        out: dict[str, Any] = {"id": cid, "name": plain_text(title, 200) or cid, "kind": kind, "zone": zone}
        if asset.get("description"):
            out["description"] = plain_text(asset["description"])
        owner = _shorttext(asset.get("owner"))
        if owner:
            out["owner"] = owner
        if techs:
            out["tech"] = sorted({t[:64] for t in techs})
        exposes, sessions = set(), None
        if kind == "identity-provider":
            exposes |= {"login", "token-issuer"}
        for client, link in incoming:
            human = bool(client.get("used_as_client_by_human"))
            auth = link.get("authentication")
            if human and auth in ("credentials", "two-factor"):
                exposes.add("login")
            if human and link.get("usage") == "devops":
                exposes.add("admin")
            if auth == "session-id":
                sessions = "cookie"
            elif auth == "token" and sessions is None:
                sessions = "token"
        if exposes:
            out["exposes"] = sorted(exposes)
        if sessions:
            out["sessions"] = sessions
        stores = self._data_refs(f"technical asset {cid}", asset.get("data_assets_stored"))
        processes = [d for d in self._data_refs(f"technical asset {cid}", asset.get("data_assets_processed"))
                     if d not in stores]
        if processes:
            out["processes"] = processes
        if stores:
            out["stores"] = stores
        controls = {}
        encryption = str(asset.get("encryption") or "none")
        if stores and encryption.startswith("data-with-"):
            controls["data.no-plaintext-secrets"] = {
                "status": "implemented", "reason": f"Threagile: stored data encrypted ({encryption})"}
        elif stores and encryption == "transparent":
            controls["data.no-plaintext-secrets"] = {
                "status": "partial", "reason": "Threagile: transparent (disk-level) encryption only"}
        if controls:
            out["controls"] = controls
        out.update(self._tags(asset))
        if asset.get("out_of_scope"):
            why = plain_text(asset.get("justification_out_of_scope"))
            self.note(f"technical asset {cid} is out of scope in Threagile"
                      f"{' (' + why + ')' if why else ''}; kept as a component")
        return out

    def _flow(self, source: str, title: str, link: dict, ids: _Ids) -> dict | None:
        frm = self.asset_ids.by_source[source]
        target = str(link.get("target"))
        if target not in self.asset_ids.by_source:
            self.note(f"communication link '{title}' of {frm}: unknown target '{target}'; dropped")
            return None
        to = self.asset_ids.by_source[target]
        fid = slug(title)
        fid = ids.add(f"{frm}/{title}", fid if fid not in ids.taken else f"{frm}-{fid}")
        protocol = str(link.get("protocol") or "other")
        if protocol not in PROTOCOL:
            self.note(f"flow {fid}: protocol '{protocol}' has no equivalent; set to 'other'")
        auth = str(link.get("authentication") or "none")
        if auth not in AUTHN:
            self.note(f"flow {fid}: authentication '{auth}' has no equivalent; set to 'none'")
        if auth == "token":
            self.note("authentication 'token' became authn 'api-key' (Threagile does not say which "
                      "protocol): use oauth2 or oidc where that is what runs")
        if auth == "two-factor":
            self.note(f"flow {fid}: authentication 'two-factor' became 'password'; declare auth.mfa "
                      f"as implemented on {to}")
        out: dict[str, Any] = {"id": fid, "name": plain_text(title, 200) or fid, "from": frm, "to": to,
                               "protocol": PROTOCOL.get(protocol, "other"), "authn": AUTHN.get(auth, "none")}
        if link.get("description"):
            out["description"] = plain_text(link["description"])
        data = self._data_refs(f"flow {fid}", _items(link.get("data_assets_sent"))
                               + _items(link.get("data_assets_received")))
        if data:
            out["data"] = data
        tags = set(self._tags(link).get("tags", []))
        for flag in ("vpn", "ip_filtered", "readonly"):
            if link.get(flag) is True:
                tags.add(flag.replace("_", "-"))
        if tags:
            out["tags"] = sorted(tags)
        return out

    def risk_tracking(self, system: dict, components: list[dict]) -> None:
        """Evidence from tracked risks whose category has a matching control."""
        by_id = {c["id"]: c for c in components}
        tracking = _mapping(self.doc.get("risk_tracking"))
        for key in sorted(tracking, key=str):
            entry = _mapping(tracking[key])
            category, *parts = str(key).split("@")
            status = str(entry.get("status") or "unchecked")
            control = RISK_CONTROL.get(category)
            if control is None:
                self.note(f"risk_tracking {key} ({status}): no threatplan control for Threagile "
                          f"risk '{category}'")
                continue
            if status not in RISK_STATUS:
                advice = (" (add an `accepted:` entry with an expiry date instead)"
                          if status == "accepted" else "")
                self.note(f"risk_tracking {key}: status '{status}' is no evidence{advice}")
                continue
            reason = plain_text(entry.get("justification")) or f"Threagile risk tracking: {status}"
            evidence: dict[str, Any] = {"status": RISK_STATUS[status], "reason": reason}
            if entry.get("ticket"):
                evidence["ref"] = plain_text(entry["ticket"], 500)
            concrete = [self.asset_ids.by_source.get(p) for p in parts if p and p != "*"]
            if not [p for p in parts if p and p != "*"]:
                system.setdefault("controls", {})[control] = evidence
            elif any(c in by_id for c in concrete):
                for cid in sorted({c for c in concrete if c in by_id}):
                    by_id[cid].setdefault("controls", {})[control] = evidence
            else:
                self.note(f"risk_tracking {key}: names no known technical asset")

    def top_level(self) -> None:
        for key in self.doc:
            if key not in _TOP_USED and self.doc[key] not in (None, "", [], {}):
                self.note(f"{key}: no equivalent in the model format")
        author = _mapping(self.doc.get("author"))
        if any(k != "name" and v for k, v in author.items()):
            self.note("author.* other than name: no equivalent")


def _header(name: str, version: Any, notes: list[str]) -> str:
    lines = [f"# Imported from the Threagile model {name}"
             + (f" (threagile_version {version})" if version else "")
             + " by `threatplan import threagile`.",
             "# Review it: trust levels, data kinds and control evidence are first guesses."]
    if notes:
        lines += ["#", "# Not mapped (fix by hand where it matters):"]
        lines += [f"#   - {' '.join(n.split())}" for n in notes]
    return "\n".join(lines) + "\n"


def _read(path: Path) -> dict:
    """Parse a Threagile file with the same hostile-input limits as model files."""
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(name, 0, 0, "-", f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise InputError([Diagnostic(name, 0, 0, "-", f"file larger than {MAX_BYTES} bytes")])
    parsed, errors = parse_yaml(raw, name, merge_keys=True)
    if errors:
        raise InputError(errors)
    doc = parsed.value
    if not isinstance(doc, dict) or not ({"technical_assets", "data_assets", "title"} & set(doc)):
        raise InputError([Diagnostic(name, 1, 1, "-", "not a Threagile model (no title, "
                                     "technical_assets or data_assets)")])
    return doc


def convert(path: str | Path) -> tuple[str, list[str]]:
    """A Threagile model file as model-format-v1 YAML text, and what could not be mapped."""
    path = Path(path)
    doc = _read(path)
    conv = _Converter(doc, path.name)
    conv.top_level()
    system = conv.system()
    data = conv.data()
    zones, components, flows = conv.components_and_flows()
    conv.risk_tracking(system, components)
    if "controls" in system:
        system["controls"] = dict(sorted(system["controls"].items()))
    for component in components:
        if "controls" in component:
            component["controls"] = dict(sorted(component["controls"].items()))
    model: dict[str, Any] = {"system": system, "zones": zones, "data": data,
                             "components": components, "flows": flows}
    body = yaml.safe_dump(model, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return _header(path.name, doc.get("threagile_version"), conv.notes) + body, list(conv.notes)
