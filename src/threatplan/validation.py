"""Turn validation problems into positioned diagnostics.

`pydantic_diagnostics` maps pydantic errors to the file, line and column of the offending
key or value, with readable messages and "did you mean" hints; `check_references` finds
what pydantic cannot: duplicate ids and dangling references between elements.
"""

from __future__ import annotations

import re
import typing
from typing import Mapping

from pydantic import BaseModel, ValidationError

from threatplan.errors import Diagnostic, did_you_mean
from threatplan.schema import STATUS_VALUES, SystemModel
from threatplan.yamlpos import Pos, path_text

__all__ = ["pydantic_diagnostics", "check_references", "allowed_keys"]

_UNION_TAG = re.compile(r"^(literal\[.*\]|function-.*|[A-Z][A-Za-z]+|str|int|date|list\[.*\]|dict\[.*\])$")


def allowed_keys(loc: tuple, root: type[BaseModel] = SystemModel) -> list[str]:
    """Keys allowed in the mapping at `loc` of a file validated by `root` (for hints)."""
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None or isinstance(part, int):
            continue
        fld = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None)
        if fld is None:
            return []
        model = _inner_model(fld.annotation)
    if model is None:
        return []
    return sorted(f.alias or name for name, f in model.model_fields.items())


def _inner_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _lookup(data, loc: tuple):
    cur = data
    for part in loc:
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            cur = cur[part]
        else:
            return None
    return cur


def pydantic_diagnostics(exc: ValidationError, data: dict, values: dict, keys: dict,
                         main_file: str, root: type[BaseModel] = SystemModel) -> list[Diagnostic]:
    """Positioned diagnostics for every pydantic error (unions collapsed into one)."""
    out: dict[tuple, Diagnostic] = {}
    for err in exc.errors(include_url=False):
        raw_loc = tuple(err["loc"])
        loc = tuple(p for p in raw_loc if not (isinstance(p, str) and _UNION_TAG.match(p) and p not in _keys_at(data, raw_loc, p)))
        is_union = loc != raw_loc
        etype = err["type"]
        if is_union:
            branch = [p for p in raw_loc if p not in loc]
            value = _lookup(data, _value_loc(raw_loc, branch))
            picks_literal = any(str(b).startswith("literal[") for b in branch)
            if isinstance(value, dict) and picks_literal:
                continue
            if isinstance(value, str) and not picks_literal:
                continue
        if etype == "extra_forbidden":
            pos = keys.get(loc) or values.get(loc)
            parent = loc[:-1]
            message = f"unknown key '{loc[-1]}'"
            hint = did_you_mean(str(loc[-1]), allowed_keys(parent, root))
        else:
            pos = values.get(loc) or keys.get(loc)
            message, hint = _message(err, data, loc, is_union)
        pos = pos or _nearest(values, loc) or Pos(main_file, 1, 1)
        key = (pos.file, pos.line, pos.col, path_text(loc))
        if key in out and is_union:
            continue
        out[key] = Diagnostic(pos.file, pos.line, pos.col, path_text(loc), message, hint)
    return list(out.values())


def _keys_at(data, raw_loc: tuple, part: str) -> set:
    idx = raw_loc.index(part)
    parent = _lookup(data, tuple(p for p in raw_loc[:idx]))
    return set(parent) if isinstance(parent, dict) else set()


def _nearest(values: dict, loc: tuple) -> Pos | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in values:
            return values[loc[:n]]
    return None


def _message(err: dict, data, loc: tuple, is_union: bool) -> tuple[str, str]:
    etype = err["type"]
    value = _lookup(data, loc)
    if is_union and len(loc) >= 2 and loc[-2] == "controls":
        if isinstance(value, str):
            return (f"'{value}' is not a control status; use one of {', '.join(STATUS_VALUES)}",
                    did_you_mean(value, STATUS_VALUES))
        if not isinstance(value, dict):
            return ("must be a status or a mapping {status, reason}", "")
    if etype == "missing":
        return (f"required key '{loc[-1]}' is missing", "")
    if etype == "literal_error":
        expected = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        shown = value if not isinstance(value, (dict, list)) else type(value).__name__
        return (f"'{shown}' is not allowed; use one of {', '.join(expected)}",
                did_you_mean(str(value), expected) if isinstance(value, str) else "")
    if etype == "string_pattern_mismatch":
        if loc and loc[-1] == "[key]":
            return (f"'{loc[-2]}' is not a valid control id (group.name, lowercase)", "")
        if loc == ("system", "id"):
            return (f"'{value}' is not a valid system id", "use lowercase letters, digits and '-', "
                    "starting with a letter or digit")
        return (f"'{value}' is not a valid id", "use lowercase letters, digits, '-', '.' and '_', "
                "starting with a letter or digit")
    if etype in ("string_type",):
        return (f"must be a string, not {_kind(value)}", "quote the value" if value is not None else "")
    if etype in ("list_type",):
        return (f"must be a list, not {_kind(value)}", "")
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        return (f"must be a mapping, not {_kind(value)}", "")
    if etype.startswith("date"):
        return (f"'{value}' is not a date; write YYYY-MM-DD", "")
    if etype == "value_error":
        return (str(err["msg"]).removeprefix("Value error, "), "")
    return (str(err["msg"]), "")


def _kind(value) -> str:
    if value is None:
        return "empty (null)"
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list",
            dict: "a mapping"}.get(type(value), f"'{value}'")


def check_references(data: dict, values: dict, keys: dict, main_file: str,
                     known_controls: Mapping[str, str] | None) -> list[Diagnostic]:
    """Duplicate ids and dangling references, checked on the raw merged data."""
    diags: list[Diagnostic] = []

    def at(loc: tuple) -> Pos:
        return values.get(loc) or _nearest(values, loc) or Pos(main_file, 1, 1)

    def err(loc: tuple, message: str, hint: str = ""):
        p = at(loc)
        diags.append(Diagnostic(p.file, p.line, p.col, path_text(loc), message, hint))

    def items(section):
        seq = data.get(section)
        return [(i, x) for i, x in enumerate(seq) if isinstance(x, dict)] if isinstance(seq, list) else []

    def ids(section, what):
        found: dict[str, int] = {}
        for i, x in items(section):
            ident = x.get("id")
            if section == "flows" and ident is None and isinstance(x.get("from"), str) and isinstance(x.get("to"), str):
                ident = f"{x['from']}->{x['to']}"
                loc = (section, i)
            else:
                loc = (section, i, "id")
            if not isinstance(ident, str):
                continue
            if ident in found:
                first = at((section, found[ident]))
                extra = "" if "->" not in ident else "; give one of the flows an 'id'"
                err(loc, f"duplicate {what} id '{ident}' (first at {first.file}:{first.line}){extra}")
            else:
                found[ident] = i
        return found

    zones = ids("zones", "zone")
    assets = ids("data", "data")
    comps = ids("components", "component")
    flows = ids("flows", "flow")

    def ref(loc, value, pool, what):
        if isinstance(value, str) and value not in pool:
            err(loc, f"unknown {what} '{value}'", did_you_mean(value, pool))

    for i, z in items("zones"):
        ref(("zones", i, "parent"), z.get("parent"), zones, "zone")
        seen, cur = {z.get("id")}, z.get("parent")
        by_id = {x.get("id"): x for _, x in items("zones")}
        while isinstance(cur, str) and cur in by_id:
            if cur in seen:
                err(("zones", i, "parent"), f"zone parents form a cycle through '{cur}'")
                break
            seen.add(cur)
            cur = by_id[cur].get("parent")
    for i, c in items("components"):
        ref(("components", i, "zone"), c.get("zone"), zones, "zone")
        for field in ("processes", "stores"):
            seq = c.get(field)
            for j, d in enumerate(seq if isinstance(seq, list) else []):
                ref(("components", i, field, j), d, assets, "data asset")
    for i, f in items("flows"):
        ref(("flows", i, "from"), f.get("from"), comps, "component")
        ref(("flows", i, "to"), f.get("to"), comps, "component")
        seq = f.get("data")
        for j, d in enumerate(seq if isinstance(seq, list) else []):
            ref(("flows", i, "data", j), d, assets, "data asset")

    for i, f in items("flows"):
        if isinstance(f.get("from"), str) and f.get("from") == f.get("to"):
            p = at(("flows", i))
            diags.append(Diagnostic(p.file, p.line, p.col, path_text(("flows", i)),
                                    f"flow from '{f['from']}' to itself adds no path to the graph",
                                    "model the other side as its own component, or remove the flow",
                                    severity="warning"))
        ident = f.get("id")
        if isinstance(ident, str) and ident in comps:
            err(("flows", i, "id"), f"flow id '{ident}' is also a component id; findings and acceptances "
                "could not tell them apart", "rename the flow, e.g. '" + ident + "-flow'")

    for base, obj in [(("system",), data.get("system"))] + [((s, i), x) for s in ("components", "flows")
                                                             for i, x in items(s)]:
        controls = obj.get("controls") if isinstance(obj, dict) else None
        for cid, entry in (controls.items() if isinstance(controls, dict) else ()):
            if entry == "not-applicable":
                err(base + ("controls", cid), "status 'not-applicable' needs a reason",
                    "write {status: not-applicable, reason: \"...\"}")

    elements = set(comps) | set(flows)
    system = data.get("system") if isinstance(data.get("system"), dict) else {}
    if isinstance(system.get("id"), str):
        elements.add(system["id"])
    if known_controls is not None:
        pools = [(("system",), system)] + [((s, i), x) for s in ("components", "flows") for i, x in items(s)]
        for base, obj in pools:
            controls = obj.get("controls")
            if not isinstance(controls, dict):
                continue
            for cid in controls:
                if isinstance(cid, str) and cid not in known_controls:
                    p = keys.get(base + ("controls", cid)) or at(base + ("controls",))
                    diags.append(Diagnostic(p.file, p.line, p.col, path_text(base + ("controls", cid)),
                                            f"unknown control id '{cid}'", did_you_mean(cid, known_controls)))
    for i, a in items("accepted"):
        if known_controls is not None:
            ref(("accepted", i, "control"), a.get("control"), known_controls, "control id")
        ref(("accepted", i, "element"), a.get("element"), elements, "element")
    return diags


def _value_loc(raw_loc: tuple, branch: list) -> tuple:
    """The location of the value a union was validating (up to the first branch tag)."""
    first = raw_loc.index(branch[0])
    return tuple(raw_loc[:first])
