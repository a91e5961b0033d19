"""The model format v1 as frozen pydantic models (see SPEC section 2).

These classes are the single source of the format: validation, the JSON Schema that
editors use for completion (``threatplan schema``) and the documentation all come from them.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

__all__ = [
    "Trust", "Classification", "DataKind", "ComponentKind", "RunsAs", "Capability",
    "Sessions", "Protocol", "Authn", "StatusValue", "ControlEvidence",
    "SystemInfo", "Zone", "DataAsset", "Component", "Flow", "Acceptance", "SystemModel",
    "Fragment", "TRUST_ORDER", "CLASSIFICATION_ORDER", "ENCRYPTED_PROTOCOLS",
    "STATUS_VALUES", "json_schema", "status_of",
]

SystemSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)]
ControlId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$", max_length=120)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=64)]

Trust = Literal["untrusted", "partner", "internal", "restricted"]
Classification = Literal["public", "internal", "confidential", "secret"]
DataKind = Literal["credentials", "tokens", "keys", "pii", "payment", "business", "logs", "other"]
ComponentKind = Literal[
    "user", "client", "external", "gateway", "service", "function", "datastore", "queue",
    "identity-provider", "secret-store", "host", "ci",
]
RunsAs = Literal["root", "user", "service-account"]
Capability = Literal["login", "admin", "token-issuer", "public-api", "webhook"]
Sessions = Literal["none", "cookie", "token"]
Protocol = Literal[
    "http", "https", "grpc", "grpcs", "tcp", "tls", "ssh", "sql", "sql-tls", "amqp", "amqps",
    "kafka", "kafka-tls", "smtp", "smtps", "ldap", "ldaps", "other",
]
Authn = Literal["none", "basic", "password", "api-key", "session", "oauth2", "oidc", "saml", "mtls"]
StatusValue = Literal["implemented", "partial", "planned", "missing", "not-applicable"]

TRUST_ORDER: dict[str, int] = {"untrusted": 0, "partner": 1, "internal": 2, "restricted": 3}
"""Trust levels from least to most trusted."""
CLASSIFICATION_ORDER: dict[str, int] = {"public": 0, "internal": 1, "confidential": 2, "secret": 3}
"""Data classifications from least to most sensitive."""
ENCRYPTED_PROTOCOLS = frozenset(
    {"https", "grpcs", "tls", "ssh", "sql-tls", "amqps", "kafka-tls", "smtps", "ldaps"}
)
"""Protocols that encrypt the channel."""
STATUS_VALUES = ("implemented", "partial", "planned", "missing", "not-applicable")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class ControlEvidence(_Strict):
    """A control status with its justification."""

    status: StatusValue = Field(description="How far the control is implemented on this element.")
    reason: Text | None = Field(default=None, description="Why; required for `not-applicable`.")
    ref: Text | None = Field(default=None, description="Where the evidence lives (ticket, document, URL).")

    @model_validator(mode="after")
    def _reason_for_na(self) -> "ControlEvidence":
        if self.status == "not-applicable" and not (self.reason and self.reason.strip()):
            raise ValueError("status 'not-applicable' needs a reason")
        return self


ControlEntry = Union[StatusValue, ControlEvidence]
Controls = dict[ControlId, ControlEntry]


class _Described(_Strict):
    name: ShortText | None = Field(default=None, description="Human-readable name; defaults to the id.")
    description: Text | None = Field(default=None, description="What this element is, in a sentence or two.")
    tags: list[Tag] = Field(default_factory=list, description="Free-form labels that catalog conditions can test.")


class SystemInfo(_Strict):
    """Identity and review dates of one system."""

    id: SystemSlug = Field(description="Slug, unique across the model folder.")
    name: ShortText | None = Field(default=None, description="Display name of the system.")
    owner: ShortText | None = Field(default=None, description="Team or person accountable for the system.")
    description: Text | None = Field(default=None, description="What the system does.")
    reviewed: _dt.date | None = Field(default=None, description="Date of the last threat-model review.")
    pentested: _dt.date | None = Field(default=None, description="Date of the last penetration test.")
    tags: list[Tag] = Field(default_factory=list, description="Free-form labels.")
    controls: Controls = Field(default_factory=dict, description="System-wide control evidence: control id -> status.")


class Zone(_Described):
    """A trust zone (network or trust boundary); zones may nest with `parent`."""

    id: Slug = Field(description="Slug, unique within the system.")
    trust: Trust = Field(description="How far what sits in this zone is trusted.")
    parent: Slug | None = Field(default=None, description="Id of the enclosing zone.")


class DataAsset(_Described):
    """A data asset that components store or process and flows carry."""

    id: Slug = Field(description="Slug, unique within the system.")
    classification: Classification = Field(description="How sensitive the data is.")
    kind: DataKind = Field(default="other", description="What sort of data it is.")


class Component(_Described):
    """A component: a user, client, service, store, gateway and so on."""

    id: Slug = Field(description="Slug, unique within the system.")
    kind: ComponentKind = Field(description="What sort of component this is.")
    zone: Slug = Field(description="Id of the trust zone it sits in.")
    owner: ShortText | None = Field(default=None, description="Team accountable; defaults to the system owner.")
    tech: list[Tag] = Field(default_factory=list, description="Technologies, e.g. nodejs, express, postgres.")
    runs_as: RunsAs | None = Field(default=None, description="Identity the workload runs under.")
    image: Annotated[str, StringConstraints(max_length=300)] | None = Field(default=None, description="Container image, if any.")
    exposes: list[Capability] = Field(default_factory=list, description="Capabilities it offers.")
    sessions: Sessions | None = Field(default=None, description="How it keeps user sessions.")
    processes: list[Slug] = Field(default_factory=list, description="Ids of data assets it processes.")
    stores: list[Slug] = Field(default_factory=list, description="Ids of data assets it stores.")
    controls: Controls = Field(default_factory=dict, description="Control evidence: control id -> status.")


class Flow(_Described):
    """A data flow from one component to another."""

    id: Slug | None = Field(default=None, description="Slug; defaults to `<from>-><to>`.")
    from_: Slug = Field(alias="from", description="Id of the component that starts the flow.")
    to: Slug = Field(description="Id of the component that receives it.")
    protocol: Protocol = Field(description="Wire protocol.")
    authn: Authn = Field(default="none", description="How the receiver authenticates the sender.")
    data: list[Slug] = Field(default_factory=list, description="Ids of data assets carried.")
    controls: Controls = Field(default_factory=dict, description="Control evidence: control id -> status.")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @property
    def key(self) -> str:
        """The flow's id, or `<from>-><to>` when it has none."""
        return self.id or f"{self.from_}->{self.to}"


class Acceptance(_Strict):
    """A time-limited risk acceptance of one finding."""

    control: ControlId = Field(description="Control id of the accepted finding.")
    element: Annotated[str, StringConstraints(min_length=1, max_length=250)] = Field(
        description="Id of the component or flow (or the system id for system-wide controls).")
    reason: Annotated[str, StringConstraints(min_length=1, max_length=10_000)] = Field(description="Why the risk is accepted.")
    owner: ShortText = Field(description="Who accepted it.")
    expires: _dt.date = Field(description="After this date the finding is open again and CI fails.")


class SystemModel(_Strict):
    """One system: the root of a model file."""

    system: SystemInfo = Field(description="Identity and review dates.")
    include: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(
        default_factory=list,
        description="Files (relative to this one, inside the model folder) whose zones, data, "
        "components, flows and acceptances join this system.")
    zones: list[Zone] = Field(default_factory=list, description="Trust zones.")
    data: list[DataAsset] = Field(default_factory=list, description="Data assets.")
    components: list[Component] = Field(default_factory=list, description="Components.")
    flows: list[Flow] = Field(default_factory=list, description="Data flows between components.")
    accepted: list[Acceptance] = Field(default_factory=list, description="Risk acceptances.")


class Fragment(_Strict):
    """An included file: parts of a system, without the `system` key."""

    include: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
    data: list[DataAsset] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    accepted: list[Acceptance] = Field(default_factory=list)


def status_of(entry: "str | ControlEvidence | None") -> str | None:
    """The status string of a control entry (plain string or evidence object)."""
    if entry is None:
        return None
    return entry if isinstance(entry, str) else entry.status


def json_schema() -> dict:
    """The JSON Schema of a model file, for editors and validators."""
    schema = SystemModel.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://threatplan.dev/schema/threatplan-model.schema.json"
    schema["title"] = "threatplan model v1"
    return schema
