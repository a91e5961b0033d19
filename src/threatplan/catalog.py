"""The control catalog: built-in records plus a team's own `threats/` folders.

Each record is one YAML file. Records are validated (fields by pydantic, conditions by the
condition parser) and every mistake is reported with file and line. A user record with a
built-in id replaces it (reported as a note unless the record says `overrides: true`);
any other duplicate id is an error. Former ids
(`aliases`) resolve to their record, so renamed controls keep working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from threatplan.conditions import Condition, parse_condition
from threatplan.errors import CatalogError, Diagnostic
from threatplan.loading import display_path
from threatplan.validation import pydantic_diagnostics
from threatplan.yamlpos import Pos, parse_yaml

__all__ = ["ControlRecord", "Catalog", "load_catalog", "BUILTIN_DIR", "SEVERITY_NAMES", "EFFORT_UNITS"]

BUILTIN_DIR = Path(__file__).resolve().parent / "catalog_data"
SEVERITY_NAMES = {"low": 2, "medium": 3, "high": 4, "critical": 5}
EFFORT_UNITS = {"S": 1, "M": 2, "L": 4}
Stride = Literal["spoofing", "tampering", "repudiation", "information-disclosure", "denial-of-service",
                 "elevation-of-privilege"]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ControlId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")]


class _Example(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z0-9+#-]+$")] = Field(description="Code language.")
    code: Text = Field(description="The example code.")


class _Fix(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    summary: Text = Field(description="What to do.")
    example: _Example | None = Field(default=None, description="A short code example.")


class _Refs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    cwe: list[int] = Field(default_factory=list, description="CWE ids: numbers, or text like CWE-307.")

    @field_validator("cwe", mode="before")
    @classmethod
    def _cwe_numbers(cls, value):
        if not isinstance(value, list):
            return value
        out = []
        for v in value:
            if isinstance(v, str) and re.fullmatch(r"(?i)cwe-\d+", v.strip()):
                v = int(v.strip()[4:])
            elif isinstance(v, str):
                raise ValueError(f"'{v}' is not a CWE id; write the number (307) or CWE-307")
            out.append(v)
        return out
    owasp: list[Annotated[str, StringConstraints(pattern=r"^A(0[1-9]|10):2021$")]] = Field(default_factory=list)
    asvs: list[Annotated[str, StringConstraints(pattern=r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")]] = Field(default_factory=list)
    nist: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-\d{1,2}(\(\d{1,2}\))?$")]] = Field(default_factory=list)


class _RecordSpec(BaseModel):
    """The plain fields of a control record (conditions are parsed separately)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: ControlId
    title: Text
    control: Text
    group: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    severity: int | Literal["low", "medium", "high", "critical"]
    stride: list[Stride] = Field(min_length=1)
    target: Literal["component", "flow", "system"] = "component"
    threat: Text
    applies_to: dict
    satisfied_by: dict | None = None
    contradicted_by: dict | None = None
    why: Text
    how_to_verify: list[Text] = Field(min_length=1)
    fix: _Fix
    effort: Literal["S", "M", "L"]
    refs: _Refs
    aliases: list[ControlId] = Field(default_factory=list)
    overrides: bool = False

    @field_validator("severity")
    @classmethod
    def _severity_range(cls, v):
        if isinstance(v, int) and not 1 <= v <= 5:
            raise ValueError("severity must be 1-5 or low, medium, high, critical")
        return v


@dataclass(frozen=True)
class ControlRecord:
    """One control of the knowledge base, ready to evaluate and to document."""

    id: str
    title: str
    control: str
    group: str
    severity: int
    """Intrinsic severity 1-5."""
    stride: tuple[str, ...]
    target: str
    threat: str
    applies_to: Condition
    satisfied_by: Condition | None
    contradicted_by: Condition | None
    why: str
    how_to_verify: tuple[str, ...]
    fix: _Fix
    effort: str
    refs: _Refs
    aliases: tuple[str, ...]
    source: str
    """File the record was read from."""
    line: int
    builtin: bool
    raw: dict = field(repr=False, compare=False, default_factory=dict)
    """The record as written (for documentation of its conditions)."""

    @property
    def severity_name(self) -> str:
        """low, medium, high or critical."""
        return {1: "low", 2: "low", 3: "medium", 4: "high", 5: "critical"}[self.severity]

    @property
    def effort_units(self) -> int:
        """S=1, M=2, L=4."""
        return EFFORT_UNITS[self.effort]


@dataclass(frozen=True)
class Catalog:
    """All control records by id, with aliases."""

    records: dict[str, ControlRecord]
    aliases: dict[str, str]
    notes: tuple[str, ...] = ()
    """Things worth telling the user, e.g. a built-in record replaced without `overrides: true`."""

    def get(self, control_id: str) -> ControlRecord:
        """The record of an id or alias (KeyError when unknown)."""
        return self.records[self.aliases.get(control_id, control_id)]

    def resolve(self, control_id: str) -> ControlRecord | None:
        """The record of an id or alias, or None."""
        return self.records.get(self.aliases.get(control_id, control_id))

    def known_ids(self) -> dict[str, str]:
        """Every id and alias -> canonical id."""
        return {**{k: k for k in self.records}, **self.aliases}

    def __iter__(self):
        return iter(self.records[k] for k in sorted(self.records))

    def __len__(self) -> int:
        return len(self.records)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def load_catalog(extra_dirs: Iterable[str | Path] = (), *, builtin: bool = True) -> Catalog:
    """Load the built-in catalog and any extra folders; raise CatalogError with all problems."""
    diags: list[Diagnostic] = []
    docs: list[tuple[object, bool]] = []
    folders = ([(BUILTIN_DIR, True)] if builtin else []) + [(Path(d), False) for d in extra_dirs]
    for folder, is_builtin in folders:
        if not folder.is_dir():
            diags.append(Diagnostic(str(folder), 0, 0, "-", "catalog folder not found"))
            continue
        for path in _files(folder):
            shown = f"threatplan:threats/{path.relative_to(folder).as_posix()}" if is_builtin else display_path(path)
            doc, errors = parse_yaml(path.read_bytes(), shown)
            diags.extend(errors)
            if doc is not None:
                if not isinstance(doc.value, dict):
                    diags.append(Diagnostic(doc.file, 1, 1, "-", "a control record must be a mapping"))
                    continue
                docs.append((doc, is_builtin))
    specs = []
    broken = []
    for doc, is_builtin in docs:
        try:
            spec = _RecordSpec.model_validate(doc.value)
        except ValidationError as exc:
            diags.extend(pydantic_diagnostics(exc, doc.value, doc.values, doc.keys, doc.file, _RecordSpec))
            broken.append(doc)
            continue
        specs.append((doc, spec, is_builtin))
    ids = {spec.id for _, spec, _ in specs} | {a for _, spec, _ in specs for a in spec.aliases}
    for doc in broken:  # report condition mistakes too, so one run shows every problem
        target = doc.value.get("target", "component")
        for name in ("applies_to", "satisfied_by", "contradicted_by"):
            if isinstance(doc.value.get(name), dict) and target in ("component", "flow", "system"):
                diags.extend(parse_condition(doc.value[name], (name,), doc, target, None)[1])
    records: dict[str, ControlRecord] = {}
    aliases: dict[str, str] = {}
    notes: list[str] = []
    for doc, spec, is_builtin in specs:
        conds = {}
        for name in ("applies_to", "satisfied_by", "contradicted_by"):
            value = getattr(spec, name)
            if value is None:
                conds[name] = None
                continue
            cond, errors = parse_condition(value, (name,), doc, spec.target, ids)
            diags.extend(errors)
            conds[name] = cond
        if any(d.file == doc.file for d in diags):
            continue
        pos = doc.values.get((), Pos(doc.file, 1, 1))
        severity = spec.severity if isinstance(spec.severity, int) else SEVERITY_NAMES[spec.severity]
        record = ControlRecord(
            id=spec.id, title=spec.title, control=spec.control, group=spec.group, severity=severity,
            stride=tuple(spec.stride), target=spec.target, threat=spec.threat,
            applies_to=conds["applies_to"], satisfied_by=conds["satisfied_by"],
            contradicted_by=conds["contradicted_by"], why=spec.why,
            how_to_verify=tuple(spec.how_to_verify), fix=spec.fix, effort=spec.effort, refs=spec.refs,
            aliases=tuple(spec.aliases), source=doc.file, line=pos.line, builtin=is_builtin, raw=doc.value,
        )
        previous = records.get(spec.id)
        if previous is not None:
            if previous.builtin and not is_builtin:
                if not spec.overrides:
                    notes.append(f"{doc.file}:{pos.line}:1: id: control {spec.id} replaces the built-in record "
                                 "(add 'overrides: true' to say it is deliberate)")
            else:
                idp = doc.values.get(("id",), pos)
                diags.append(Diagnostic(doc.file, idp.line, idp.col, "id",
                                        f"duplicate control id '{spec.id}' (also in {previous.source})",
                                        "control ids must be unique"))
                continue
        records[spec.id] = record
        for alias in spec.aliases:
            aliases[alias] = spec.id
    for alias, target in aliases.items():
        if alias in records:
            rec = records[target]
            diags.append(Diagnostic(rec.source, rec.line, 1, "aliases",
                                    f"alias '{alias}' is also the id of another control"))
    if diags:
        raise CatalogError(diags)
    return Catalog(records=dict(sorted(records.items())), aliases=dict(sorted(aliases.items())),
                   notes=tuple(notes))
