"""Load model files into validated systems that remember where everything was written.

PATHS (files or folders) -> YAML with positions (yamlpos) -> includes merged -> pydantic
validation (schema) -> reference checks. Every problem of every file is collected and
raised together as one :class:`~threatplan.errors.InputError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from pydantic import ValidationError

from threatplan.errors import Diagnostic, InputError, did_you_mean
from threatplan.results import SourceRef
from threatplan.schema import SystemModel
from threatplan.validation import check_references, pydantic_diagnostics
from threatplan.yamlpos import Parsed, Pos, parse_yaml

__all__ = ["LoadedSystem", "load_paths", "discover", "display_path"]

_LIST_SECTIONS = ("zones", "data", "components", "flows", "accepted")
_FRAGMENT_KEYS = set(_LIST_SECTIONS) | {"include"}
MAX_INCLUDE_DEPTH = 16


@dataclass(frozen=True)
class LoadedSystem:
    """A validated system with the source position of each element."""

    model: SystemModel
    file: str
    """The system's main file, as displayed to the user."""
    files: tuple[str, ...]
    """Every file the system was read from (main file first)."""
    sources: Mapping[str, SourceRef] = field(repr=False)
    """`component:ID`, `flow:KEY`, `zone:ID`, `data:ID`, `accepted:N`, `system` -> position."""

    @property
    def id(self) -> str:
        """The system id."""
        return self.model.system.id

    def source(self, kind: str, key: str | None = None) -> SourceRef:
        """Where an element of `kind` (`component`, `flow`, ... or `system`) is written."""
        ref = self.sources.get(kind if key is None else f"{kind}:{key}")
        return ref or self.sources["system"]


def display_path(path: Path) -> str:
    """A path as users should see it: relative to the working folder when inside it."""
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
        return rel.as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, Path]], list[Diagnostic]]:
    """Expand PATHS into (file, model root) pairs: folders are searched for *.yaml/*.yml."""
    found: list[tuple[Path, Path]] = []
    diags: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml") and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            found.extend((f, path) for f in files)
        elif path.is_file():
            found.append((path, path.parent))
        else:
            diags.append(Diagnostic(str(raw), 0, 0, "-", "no such file or folder"))
    return found, diags


def load_paths(paths: Iterable[str | Path], *, known_controls: Mapping[str, str] | None = None,
               ) -> tuple[list[LoadedSystem], list[Diagnostic]]:
    """Load every system under PATHS; raise InputError with all errors; return warnings."""
    files, diags = discover(paths)
    parsed: dict[Path, Parsed] = {}
    roots: dict[Path, Path] = {}
    for file, root in files:
        real = file.resolve()
        if real in parsed:
            continue
        try:
            raw = file.read_bytes()
        except OSError as exc:
            diags.append(Diagnostic(display_path(file), 0, 0, "-", f"cannot read: {exc.strerror}"))
            continue
        doc, errors = parse_yaml(raw, display_path(file))
        diags.extend(errors)
        if doc is not None:
            if not isinstance(doc.value, dict):
                kind = type(doc.value).__name__.replace("NoneType", "null")
                diags.append(Diagnostic(doc.file, 1, 1, "-",
                                        f"the top level must be a mapping with a 'system' key, not a {kind}"))
                continue
            parsed[real] = doc
            roots[real] = root.resolve()
    if not files and not diags:
        diags.append(Diagnostic(", ".join(str(p) for p in paths) or ".", 0, 0, "-", "no model files (*.yaml) found"))

    systems_files = sorted((p for p, d in parsed.items() if "system" in d.value), key=str)
    included: set[Path] = set()
    systems: list[LoadedSystem] = []
    warnings: list[Diagnostic] = []
    for main in systems_files:
        loaded, errors, used = _load_system(main, parsed, roots[main], known_controls)
        included |= used
        diags.extend(errors)
        if loaded is not None:
            systems.append(loaded)
    for path, doc in sorted(parsed.items(), key=lambda kv: str(kv[0])):
        if "system" not in doc.value and path not in included:
            unknown = sorted(set(doc.value) - _FRAGMENT_KEYS)
            if unknown:
                hint = did_you_mean(unknown[0], ["system", *_FRAGMENT_KEYS])
                pos = doc.keys.get((unknown[0],), Pos(doc.file, 1, 1))
                diags.append(Diagnostic(doc.file, pos.line, pos.col, unknown[0],
                                        f"unknown key '{unknown[0]}'; a model file needs a 'system' key", hint))
            else:
                diags.append(Diagnostic(doc.file, 1, 1, "-",
                                        "file has no 'system' key and no system includes it",
                                        "add it to a system's 'include:' list"))
    seen: dict[str, str] = {}
    for main in systems_files:
        doc = parsed[main]
        info = doc.value.get("system")
        ident = info.get("id") if isinstance(info, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            pos = doc.values.get(("system", "id"), Pos(doc.file, 1, 1))
            diags.append(Diagnostic(pos.file, pos.line, pos.col, "system.id",
                                    f"duplicate system id '{ident}' (also in {seen[ident]})"))
        else:
            seen[ident] = doc.file
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        raise InputError(errors)
    return sorted(systems, key=lambda s: s.id), warnings + [d for d in diags if d.severity != "error"]


def _load_system(main: Path, parsed: dict[Path, Parsed], root: Path,
                 known_controls: Mapping[str, str] | None):
    """Merge a system file with its includes, validate it, and record positions."""
    doc = parsed[main]
    diags: list[Diagnostic] = []
    merged: dict = {k: v for k, v in doc.value.items() if k not in _LIST_SECTIONS}
    positions: dict[tuple, Pos] = {k: v for k, v in doc.values.items() if not k or k[0] not in _LIST_SECTIONS}
    key_positions: dict[tuple, Pos] = {k: v for k, v in doc.keys.items() if not k or k[0] not in _LIST_SECTIONS}
    for section in _LIST_SECTIONS:
        merged[section] = []
    used: set[Path] = set()
    files = [doc.file]

    def add(part: Parsed, depth: int, chain: tuple[Path, ...]):
        offsets: dict[str, int] = {}
        for section in _LIST_SECTIONS:
            items = part.value.get(section)
            if items is None:
                continue
            if not isinstance(items, list):
                pos = part.values.get((section,), Pos(part.file, 1, 1))
                diags.append(Diagnostic(part.file, pos.line, pos.col, section, "must be a list"))
                continue
            offsets[section] = len(merged[section])
            merged[section].extend(items)
        _rekey(part.values, positions, offsets)
        _rekey(part.keys, key_positions, offsets)
        includes = part.value.get("include") or []
        if not isinstance(includes, list):
            return
        for n, inc in enumerate(includes):
            pos = part.values.get(("include", n), Pos(part.file, 1, 1))
            here = f"include[{n}]"
            if not isinstance(inc, str) or not inc.strip():
                diags.append(Diagnostic(part.file, pos.line, pos.col, here, "must be a relative file path"))
                continue
            base_dir = chain[-1].parent
            target = (base_dir / inc).resolve()
            if os.path.isabs(inc) or not target.is_relative_to(root):
                diags.append(Diagnostic(part.file, pos.line, pos.col, here,
                                        f"'{inc}' is outside the model folder; includes are confined to it"))
                continue
            if target in chain:
                diags.append(Diagnostic(part.file, pos.line, pos.col, here, f"include cycle through '{inc}'"))
                continue
            if depth >= MAX_INCLUDE_DEPTH:
                diags.append(Diagnostic(part.file, pos.line, pos.col, here, "includes nest too deep"))
                continue
            if target not in parsed:
                if not target.is_file():
                    diags.append(Diagnostic(part.file, pos.line, pos.col, here, f"included file '{inc}' not found"))
                    continue
                raw = target.read_bytes()
                sub, errors = parse_yaml(raw, display_path(target))
                diags.extend(errors)
                if sub is None:
                    continue
                parsed[target] = sub
            sub = parsed[target]
            if not isinstance(sub.value, dict):
                diags.append(Diagnostic(sub.file, 1, 1, "-", "an included file must be a mapping"))
                continue
            bad = sorted(set(sub.value) - _FRAGMENT_KEYS)
            for key in bad:
                kp = sub.keys.get((key,), Pos(sub.file, 1, 1))
                diags.append(Diagnostic(sub.file, kp.line, kp.col, key,
                                        f"unknown key '{key}' in an included file",
                                        did_you_mean(key, _FRAGMENT_KEYS) or
                                        "included files hold zones, data, components, flows, accepted and include"))
            used.add(target)
            if sub.file not in files:
                files.append(sub.file)
            add(sub, depth + 1, chain + (target,))

    add(doc, 0, (main,))
    merged.pop("include", None)
    if "include" in doc.value:
        merged["include"] = doc.value["include"]

    model = None
    try:
        model = SystemModel.model_validate(merged)
    except ValidationError as exc:
        diags.extend(pydantic_diagnostics(exc, merged, positions, key_positions, doc.file))
    references = check_references(merged, positions, key_positions, doc.file, known_controls)
    diags.extend(_without_knock_on(references, doc.value))
    if model is None or any(d.severity == "error" for d in diags):
        return None, diags, used
    sources = _sources(model, positions, doc.file)
    return LoadedSystem(model=model, file=doc.file, files=tuple(files), sources=sources), diags, used


_REFERENCED_AS = {"zones": "zone", "data": "data asset", "components": "component"}


def _without_knock_on(references: list[Diagnostic], root: dict) -> list[Diagnostic]:
    """Drop "unknown zone/component/data asset" errors caused by a misspelt section name:
    `compnents:` already gets its own error with a hint, and every reference into the
    section it should have been would otherwise be reported too."""
    misspelt = {did_you_mean(k, _REFERENCED_AS).removeprefix("did you mean '").removesuffix("'?")
                for k in root if isinstance(k, str) and k not in _REFERENCED_AS}
    words = [_REFERENCED_AS[s] for s in misspelt if s in _REFERENCED_AS and s not in root]
    return [d for d in references if not any(d.message.startswith(f"unknown {w} '") for w in words)]


def _rekey(src: dict, dst: dict, offsets: dict[str, int]) -> None:
    """Copy positions of a file's list items to their place in the merged system."""
    for key, pos in src.items():
        if len(key) >= 2 and key[0] in offsets and isinstance(key[1], int):
            dst[(key[0], key[1] + offsets[key[0]]) + key[2:]] = pos


def _sources(model: SystemModel, positions: dict, main_file: str) -> dict[str, SourceRef]:
    def ref(path: tuple) -> SourceRef:
        pos = positions.get(path) or positions.get(()) or Pos(main_file, 1, 1)
        return SourceRef(pos.file, pos.line, pos.col)

    out = {"system": ref(("system",))}
    for i, z in enumerate(model.zones):
        out[f"zone:{z.id}"] = ref(("zones", i))
    for i, d in enumerate(model.data):
        out[f"data:{d.id}"] = ref(("data", i))
    for i, c in enumerate(model.components):
        out[f"component:{c.id}"] = ref(("components", i))
    for i, f in enumerate(model.flows):
        out[f"flow:{f.key}"] = ref(("flows", i))
    for i, _ in enumerate(model.accepted):
        out[f"accepted:{i}"] = ref(("accepted", i))
    return out

