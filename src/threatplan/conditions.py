"""The condition language of control records: parsed once, evaluated many times.

A condition is a mapping with exactly one key: a combinator (`all`, `any`, `not`) or a
predicate. Parsing checks every predicate name and value and reports mistakes with file
and line; evaluation returns whether the condition holds plus the facts, in words, that
decided it. Conditions are data: nothing here evaluates user text as code.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Callable, get_args

from threatplan.errors import Diagnostic, did_you_mean
from threatplan.graph import SystemGraph, mask_for
from threatplan.schema import (
    Flow,
    CLASSIFICATION_ORDER, TRUST_ORDER, Authn, Capability, ComponentKind, DataKind, Protocol,
    Sessions, STATUS_VALUES,
)
from threatplan.yamlpos import Parsed, Pos, path_text

__all__ = ["Condition", "Context", "parse_condition", "describe", "describe_record", "CONDITION_HEADINGS",
           "TARGETS", "PREDICATES"]

TARGETS = ("component", "flow", "system")
_STATUSES = (*STATUS_VALUES, "undeclared")
_SCOPES = ("stored", "processed", "handled", "reachable")


@dataclass(frozen=True)
class Context:
    """What a condition is evaluated against: one system's graph and today's date."""

    graph: SystemGraph
    today: _dt.date
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    """Results of element-independent conditions (system questions), computed once."""


Result = tuple[bool, list[str]]


@dataclass(frozen=True)
class Condition:
    """A parsed condition node."""

    op: str
    arg: object
    children: tuple["Condition", ...] = ()
    target: str = "component"

    def evaluate(self, ctx: Context, element) -> Result:
        """Whether the condition holds for `element`, and the facts that decided it."""
        if self.op == "all":
            facts: list[str] = []
            for child in self.children:
                ok, why = child.evaluate(ctx, element)
                if not ok:
                    return False, why
                facts.extend(why)
            return True, facts
        if self.op == "any":
            facts = []
            for child in self.children:
                ok, why = child.evaluate(ctx, element)
                if ok:
                    return True, why
                facts.extend(why)
            return False, facts
        if self.op == "not":
            ok, why = self.children[0].evaluate(ctx, element)
            return (not ok), why
        return _EVAL[(self.target, self.op)](self, ctx, element)


# ----------------------------------------------------------------------------- parsing
def _enum(alias) -> tuple[str, ...]:
    return tuple(get_args(alias))


_VALUES: dict[str, tuple[str, ...]] = {
    "kind": _enum(ComponentKind), "zone_trust": tuple(TRUST_ORDER), "exposes": _enum(Capability),
    "sessions": _enum(Sessions), "runs_as": ("root", "user", "service-account", "unset"),
    "protocol": _enum(Protocol), "authn": _enum(Authn), "from_trust": tuple(TRUST_ORDER),
    "to_trust": tuple(TRUST_ORDER),
}
PREDICATES: dict[str, dict[str, str]] = {
    "component": {
        "kind": "enum", "zone_trust": "enum", "tags": "strings", "tech": "strings", "exposes": "enum",
        "sessions": "enum", "runs_as": "enum", "has_image": "bool", "data": "data", "control": "control",
        "inbound": "flow", "inbound_all": "flow", "outbound": "flow", "outbound_all": "flow",
        "reachable_from_untrusted": "bool", "exposed_to_untrusted": "bool",
        "on_path_to_data": "datasel", "behind_gateway_with": "control_id", "system": "system",
    },
    "flow": {
        "protocol": "enum", "authn": "enum", "encrypted": "bool", "crosses_boundary": "bool",
        "from_trust": "enum", "to_trust": "enum", "carries": "datasel", "tags": "strings",
        "control": "control", "source": "component", "dest": "component",
    },
    "system": {
        "reviewed_within_days": "days", "pentested_within_days": "days", "has_reviewed_date": "bool",
        "has_pentested_date": "bool", "has_component": "component",
        "control": "control", "tags": "strings",
    },
}


class _Parser:
    def __init__(self, doc: Parsed, known_controls):
        self.doc = doc
        self.known = known_controls
        self.errors: list[Diagnostic] = []

    def err(self, path: tuple, message: str, hint: str = "", key: bool = False) -> None:
        pos = (self.doc.keys.get(path) if key else None) or self.doc.values.get(path) or \
            self.doc.keys.get(path) or Pos(self.doc.file, 1, 1)
        self.errors.append(Diagnostic(pos.file, pos.line, pos.col, path_text(path), message, hint))

    def parse(self, value, path: tuple, target: str) -> Condition | None:
        if not isinstance(value, dict) or len(value) != 1:
            self.err(path, "a condition is a mapping with exactly one key (a predicate, all, any or not)")
            return None
        (op, arg), = value.items()
        sub = path + (op,)
        if op in ("all", "any"):
            if not isinstance(arg, list) or not arg:
                self.err(sub, f"'{op}' takes a non-empty list of conditions")
                return None
            kids = [self.parse(x, sub + (i,), target) for i, x in enumerate(arg)]
            return None if None in kids else Condition(op, None, tuple(kids), target)
        if op == "not":
            kid = self.parse(arg, sub, target)
            return None if kid is None else Condition(op, None, (kid,), target)
        shape = PREDICATES[target].get(op)
        if shape is None:
            other = [t for t in TARGETS if op in PREDICATES[t]]
            where = f"; '{op}' is a {other[0]} predicate" if other else ""
            self.err(sub, f"unknown {target} predicate '{op}'{where}",
                     did_you_mean(op, [*PREDICATES[target], "all", "any", "not"]), key=True)
            return None
        parsed = self._arg(shape, op, arg, sub)
        if parsed is _BAD:
            return None
        if isinstance(parsed, Condition):
            return Condition(op, None, (parsed,), target)
        return Condition(op, parsed, (), target)

    def _arg(self, shape: str, op: str, arg, path: tuple):
        if shape == "bool":
            if not isinstance(arg, bool):
                self.err(path, f"'{op}' takes true or false")
                return _BAD
            return arg
        if shape == "days":
            if not isinstance(arg, int) or isinstance(arg, bool) or arg < 1:
                self.err(path, f"'{op}' takes a whole number of days")
                return _BAD
            return arg
        if shape in ("enum", "strings"):
            items = arg if isinstance(arg, list) else [arg]
            if not items or not all(isinstance(x, str) for x in items):
                self.err(path, f"'{op}' takes a list of strings")
                return _BAD
            if shape == "enum":
                allowed = _VALUES[op]
                for i, x in enumerate(items):
                    if x not in allowed:
                        self.err(path + (i,) if isinstance(arg, list) else path,
                                 f"'{x}' is not a valid value for '{op}'; use one of {', '.join(allowed)}",
                                 did_you_mean(x, allowed))
                        return _BAD
            return frozenset(items)
        if shape == "control_id":
            if not isinstance(arg, str) or (self.known is not None and arg not in self.known):
                self.err(path, f"unknown control id '{arg}'", did_you_mean(str(arg), self.known or ()))
                return _BAD
            return arg
        if shape == "control":
            if not isinstance(arg, dict) or set(arg) - {"id", "status"} or "id" not in arg:
                self.err(path, f"'{op}' takes a mapping {{id, status}}")
                return _BAD
            cid = arg["id"]
            if self.known is not None and cid not in self.known:
                self.err(path + ("id",), f"unknown control id '{cid}'", did_you_mean(str(cid), self.known))
                return _BAD
            status = arg.get("status", ["implemented"])
            status = status if isinstance(status, list) else [status]
            for s in status:
                if s not in _STATUSES:
                    self.err(path + ("status",), f"'{s}' is not a status; use one of {', '.join(_STATUSES)}",
                             did_you_mean(str(s), _STATUSES))
                    return _BAD
            return (cid, frozenset(status))
        if shape in ("data", "datasel"):
            allowed = {"min_classification", "kinds"} | ({"scope"} if shape == "data" else set())
            if not isinstance(arg, dict) or set(arg) - allowed:
                bad = sorted(set(arg) - allowed) if isinstance(arg, dict) else []
                self.err(path + ((bad[0],) if bad else ()),
                         f"'{op}' takes a mapping with {', '.join(sorted(allowed))}",
                         did_you_mean(bad[0], allowed) if bad else "", key=bool(bad))
                return _BAD
            cls = arg.get("min_classification", "public")
            if cls not in CLASSIFICATION_ORDER:
                self.err(path + ("min_classification",), f"'{cls}' is not a classification; use one of "
                         f"{', '.join(CLASSIFICATION_ORDER)}", did_you_mean(str(cls), CLASSIFICATION_ORDER))
                return _BAD
            kinds = arg.get("kinds")
            if kinds is not None:
                kinds = kinds if isinstance(kinds, list) else [kinds]
                for k in kinds:
                    if k not in _enum(DataKind):
                        self.err(path + ("kinds",), f"'{k}' is not a data kind; use one of "
                                 f"{', '.join(_enum(DataKind))}", did_you_mean(str(k), _enum(DataKind)))
                        return _BAD
            scope = arg.get("scope", "handled")
            if scope not in _SCOPES:
                self.err(path + ("scope",), f"'{scope}' is not a scope; use one of {', '.join(_SCOPES)}",
                         did_you_mean(str(scope), _SCOPES))
                return _BAD
            return (scope, cls, tuple(sorted(kinds)) if kinds else None,
                    mask_for(cls, tuple(kinds) if kinds else None))
        sub_target = {"flow": "flow", "component": "component", "system": "system"}[shape]
        parsed = self.parse(arg, path, sub_target)
        return _BAD if parsed is None else parsed


_BAD = object()


def parse_condition(value, path: tuple, doc: Parsed, target: str, known_controls=None,
                    ) -> tuple[Condition | None, list[Diagnostic]]:
    """Parse a condition found at `path` of a catalog file."""
    parser = _Parser(doc, known_controls)
    cond = parser.parse(value, path, target)
    return cond, parser.errors


# -------------------------------------------------------------------------- evaluation
def _name(element) -> str:
    if type(element) is Flow:  # exact type: isinstance on pydantic models is slow here
        return f"flow {element.key}"
    return element.id


@lru_cache(maxsize=4096)
def _listing(values: frozenset | tuple) -> str:
    return ", ".join(sorted(values))


def _in(label: str, getter: Callable):
    def run(cond: Condition, ctx: Context, el) -> Result:
        actual = getter(ctx, el)
        if isinstance(actual, (list, tuple, frozenset, set)):
            hit = cond.arg.intersection(actual)
            if hit:
                return True, [f"{_name(el)} {label} {_listing(frozenset(hit))}"]
            shown = _listing(tuple(actual)) if actual else "nothing"
            return False, [f"{_name(el)} {label} {shown} (not {_listing(cond.arg)})"]
        if actual in cond.arg:
            return True, [f"{_name(el)} {label} {actual}"]
        return False, [f"{_name(el)} {label} {actual} (not {_listing(cond.arg)})"]
    return run


def _flag(yes: str, no: str, test: Callable):
    def run(cond: Condition, ctx: Context, el) -> Result:
        actual = bool(test(ctx, el))
        text = (yes if actual else no).format(name=_name(el), proto=getattr(el, "protocol", ""))
        return actual == cond.arg, [text]
    return run


def _declared(cond: Condition, ctx: Context, el) -> Result:
    cid, wanted = cond.arg
    status = ctx.graph.declared(el, cid) if el is not None else None
    actual = status or "undeclared"
    text = f"{_name(el)} declares {cid} as {actual}" if status else f"{_name(el)} declares nothing for {cid}"
    return actual in wanted, [text]


def _system_declared(cond: Condition, ctx: Context, system) -> Result:
    from threatplan.schema import status_of
    cid, wanted = cond.arg
    status = status_of(ctx.graph.model.system.controls.get(cid))
    actual = status or "undeclared"
    text = (f"system {system.id} declares {cid} as {actual}" if status
            else f"system {system.id} declares nothing for {cid}")
    return actual in wanted, [text]


def _describe_sel(sel) -> str:
    _, cls, kinds, _ = sel
    what = f"{cls}-or-higher" if cls != "public" else "any"
    return f"{what} {('/'.join(kinds) + ' ') if kinds else ''}data"


def _data(cond: Condition, ctx: Context, comp) -> Result:
    scope, _, _, mask = cond.arg
    g = ctx.graph
    table = {"stored": g.stored_mask, "processed": g.processed_mask, "handled": g.handled_mask,
             "reachable": g.reachable_mask}[scope]
    ok = bool(table[comp.id] & mask)
    words = {"stored": "stores", "processed": "processes", "handled": "handles",
             "reachable": "handles or reaches downstream"}[scope]
    if ok:
        assets = [d.id for d in g.model.data if d.id in {*comp.stores, *comp.processes}
                  and (mask_for(d.classification, (d.kind,)) & mask)]
        detail = f" ({_listing(tuple(assets))})" if assets and scope != "reachable" else ""
        return True, [f"{comp.id} {words} {_describe_sel(cond.arg)}{detail}"]
    return False, [f"{comp.id} {words} no {_describe_sel(cond.arg)}"]


def _flows(direction: str, every: bool):
    def run(cond: Condition, ctx: Context, comp) -> Result:
        flows = ctx.graph.inbound(comp.id) if direction == "in" else ctx.graph.outbound(comp.id)
        if not flows:
            return False, [f"{comp.id} has no {direction}bound flows"]
        results = [(f, cond.children[0].evaluate(ctx, f)) for f in flows]
        if every:
            bad = [(f, why) for f, (ok, why) in results if not ok]
            if bad:
                return False, bad[0][1]
            return True, [f"every {direction}bound flow of {comp.id} holds: " + "; ".join(
                w for _, (_, why) in results for w in why[:1])]
        good = [(f, why) for f, (ok, why) in results if ok]
        if good:
            return True, good[0][1]
        return False, [f"no {direction}bound flow of {comp.id} matches: " + "; ".join(
            w for _, (_, why) in results for w in why[:1])]
    return run


def _sub_component(which: str):
    def run(cond: Condition, ctx: Context, flow) -> Result:
        comp = ctx.graph.components[flow.from_ if which == "source" else flow.to]
        return cond.children[0].evaluate(ctx, comp)
    return run


def _carries(cond: Condition, ctx: Context, flow) -> Result:
    mask = cond.arg[3]
    ok = bool(ctx.graph.flow_mask(flow) & mask)
    sel = _describe_sel(cond.arg)
    return ok, [f"flow {flow.key} carries {sel}" if ok else f"flow {flow.key} carries no {sel}"]


def _within(field: str, label: str):
    def run(cond: Condition, ctx: Context, system) -> Result:
        when = getattr(system, field)
        if when is None:
            return False, [f"system {system.id} has no '{field}' date ({label} never recorded)"]
        age = (ctx.today - when).days
        if age < 0:
            return False, [f"system {system.id} has '{field}' {when.isoformat()}, a date in the future "
                           f"(today is {ctx.today.isoformat()})"]
        ok = age <= cond.arg
        return ok, [f"system {system.id} was last {label} on {when.isoformat()}, {age} days ago "
                    f"({'within' if ok else 'more than'} {cond.arg} days)"]
    return run


def _has_component(cond: Condition, ctx: Context, system) -> Result:
    key = id(cond)
    if key not in ctx.memo:
        ctx.memo[key] = (False, [f"no component of system {system.id} matches"])
        for comp in ctx.graph.model.components:
            ok, why = cond.children[0].evaluate(ctx, comp)
            if ok:
                ctx.memo[key] = (True, why)
                break
    ok, why = ctx.memo[key]
    return ok, list(why)


def _system_of(cond: Condition, ctx: Context, comp) -> Result:
    key = ("system", id(cond))
    if key not in ctx.memo:
        ctx.memo[key] = cond.children[0].evaluate(ctx, ctx.graph.model.system)
    ok, why = ctx.memo[key]
    return ok, list(why)


def _on_path(cond: Condition, ctx: Context, comp) -> Result:
    ok = ctx.graph.on_path_to(comp.id, cond.arg[3])
    sel = _describe_sel(cond.arg)
    if ok:
        return True, [f"{comp.id} is on a path from an untrusted zone to {sel}"]
    return False, [f"{comp.id} is not on a path from an untrusted zone to {sel}"]


def _behind(cond: Condition, ctx: Context, comp) -> Result:
    ok = ctx.graph.behind_gateway_with(comp.id, cond.arg)
    if ok:
        return True, [f"every path from an untrusted zone to {comp.id} passes a gateway that implements {cond.arg}"]
    return False, [f"{comp.id} is reachable from an untrusted zone without passing a gateway that implements {cond.arg}"
                   if ctx.graph.reachable_from_untrusted(comp.id) else f"{comp.id} is not reachable from an untrusted zone"]


_EVAL: dict[tuple[str, str], Callable] = {
    ("component", "kind"): _in("is a", lambda ctx, c: c.kind),
    ("component", "zone_trust"): _in("sits in a zone trusted as", lambda ctx, c: ctx.graph.trust(c.id)),
    ("component", "tags"): _in("is tagged", lambda ctx, c: c.tags),
    ("component", "tech"): _in("uses", lambda ctx, c: c.tech),
    ("component", "exposes"): _in("exposes", lambda ctx, c: c.exposes),
    ("component", "sessions"): _in("keeps sessions in", lambda ctx, c: c.sessions or "none"),
    ("component", "runs_as"): _in("runs as", lambda ctx, c: c.runs_as or "unset"),
    ("component", "has_image"): _flag("{name} runs from container image", "{name} has no container image",
                                      lambda ctx, c: c.image),
    ("component", "data"): _data,
    ("component", "control"): _declared,
    ("component", "inbound"): _flows("in", False),
    ("component", "inbound_all"): _flows("in", True),
    ("component", "outbound"): _flows("out", False),
    ("component", "outbound_all"): _flows("out", True),
    ("component", "reachable_from_untrusted"): _flag(
        "{name} is reachable from an untrusted zone", "{name} is not reachable from an untrusted zone",
        lambda ctx, c: ctx.graph.reachable_from_untrusted(c.id)),
    ("component", "exposed_to_untrusted"): _flag(
        "{name} receives flows directly from an untrusted zone",
        "{name} receives no flow directly from an untrusted zone",
        lambda ctx, c: ctx.graph.exposed_to_untrusted(c.id)),
    ("component", "on_path_to_data"): _on_path,
    ("component", "behind_gateway_with"): _behind,
    ("component", "system"): _system_of,
    ("flow", "protocol"): _in("uses protocol", lambda ctx, f: f.protocol),
    ("flow", "authn"): _in("authenticates with", lambda ctx, f: f.authn),
    ("flow", "encrypted"): _flag("{name} is encrypted ({proto})", "{name} is not encrypted ({proto})",
                                 lambda ctx, f: ctx.graph.encrypted(f)),
    ("flow", "crosses_boundary"): _flag("{name} crosses a trust boundary",
                                        "{name} stays inside one zone",
                                        lambda ctx, f: ctx.graph.crosses_boundary(f)),
    ("flow", "from_trust"): _in("starts in a zone trusted as", lambda ctx, f: ctx.graph.trust(f.from_)),
    ("flow", "to_trust"): _in("ends in a zone trusted as", lambda ctx, f: ctx.graph.trust(f.to)),
    ("flow", "carries"): _carries,
    ("flow", "tags"): _in("is tagged", lambda ctx, f: f.tags),
    ("flow", "control"): _declared,
    ("flow", "source"): _sub_component("source"),
    ("flow", "dest"): _sub_component("dest"),
    ("system", "reviewed_within_days"): _within("reviewed", "threat-model reviewed"),
    ("system", "pentested_within_days"): _within("pentested", "penetration tested"),
    ("system", "has_reviewed_date"): _flag("system {name} records a threat-model review date",
                                           "system {name} records no threat-model review date",
                                           lambda ctx, s: s.reviewed),
    ("system", "has_pentested_date"): _flag("system {name} records a penetration-test date",
                                            "system {name} records no penetration-test date",
                                            lambda ctx, s: s.pentested),
    ("system", "has_component"): _has_component,
    ("system", "control"): _system_declared,
    ("system", "tags"): _in("is tagged", lambda ctx, s: s.tags),
}
assert set(_EVAL) == {(t, p) for t in TARGETS for p in PREDICATES[t]}


# ------------------------------------------------------------------------ description
def _words(values) -> str:
    items = sorted(values)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


_PHRASES: dict[tuple[str, str], Callable[[object], str]] = {
    ("component", "kind"): lambda a: f"its kind is {_words(a)}",
    ("component", "zone_trust"): lambda a: f"its zone is trusted as {_words(a)}",
    ("component", "tags"): lambda a: f"it is tagged {_words(a)}",
    ("component", "tech"): lambda a: f"it uses {_words(a)}",
    ("component", "exposes"): lambda a: f"it exposes {_words(a)}",
    ("component", "sessions"): lambda a: f"it keeps sessions in {_words(a)}",
    ("component", "runs_as"): lambda a: f"it runs as {_words(a)}",
    ("component", "has_image"): lambda a: "it runs from a container image" if a else "it has no container image",
    ("component", "data"): lambda a: {"stored": "it stores", "processed": "it processes", "handled": "it handles",
                                      "reachable": "it handles or reaches downstream"}[a[0]] + f" {_describe_sel(a)}",
    ("component", "reachable_from_untrusted"): lambda a: ("it is" if a else "it is not") + " reachable from an untrusted zone",
    ("component", "exposed_to_untrusted"): lambda a: ("it receives" if a else "it receives no") + " flows directly from an untrusted zone",
    ("component", "on_path_to_data"): lambda a: f"it lies on a path from an untrusted zone to {_describe_sel(a)}",
    ("component", "behind_gateway_with"): lambda a: f"every path from an untrusted zone passes a gateway that implements {a}",
    ("flow", "protocol"): lambda a: f"the protocol is {_words(a)}",
    ("flow", "authn"): lambda a: f"authentication is {_words(a)}",
    ("flow", "encrypted"): lambda a: "the protocol is encrypted" if a else "the protocol is not encrypted",
    ("flow", "crosses_boundary"): lambda a: "it crosses a trust boundary" if a else "it stays inside one zone",
    ("flow", "from_trust"): lambda a: f"it starts in a zone trusted as {_words(a)}",
    ("flow", "to_trust"): lambda a: f"it ends in a zone trusted as {_words(a)}",
    ("flow", "carries"): lambda a: f"it carries {_describe_sel(a)}",
    ("flow", "tags"): lambda a: f"it is tagged {_words(a)}",
    ("system", "reviewed_within_days"): lambda a: f"the threat model was reviewed within {a} days",
    ("system", "pentested_within_days"): lambda a: f"the system was penetration tested within {a} days",
    ("system", "tags"): lambda a: f"the system is tagged {_words(a)}",
    ("system", "has_reviewed_date"): lambda a: "the system records a threat-model review date" if a
    else "the system records no threat-model review date",
    ("system", "has_pentested_date"): lambda a: "the system records a penetration-test date" if a
    else "the system records no penetration-test date",
}
_NESTED = {"inbound": "some inbound flow:", "inbound_all": "every inbound flow:", "outbound": "some outbound flow:",
           "outbound_all": "every outbound flow:", "system": "its system:", "source": "its source:",
           "dest": "its destination:", "has_component": "some component of the system:"}


CONDITION_HEADINGS = (
    ("applies_to", "Applies when"),
    ("satisfied_by", "Satisfied by the model's facts when"),
    ("contradicted_by", "A declared implementation is contradicted when"),
)
"""Record fields holding conditions, with the heading documentation shows for each."""


def describe_record(record) -> list[tuple[str, list[tuple[int, str]]]]:
    """(heading, lines) for each condition a control record has."""
    return [(heading, describe(getattr(record, name))) for name, heading in CONDITION_HEADINGS
            if isinstance(getattr(record, name, None), Condition)]


def describe(cond: Condition, depth: int = 0) -> list[tuple[int, str]]:
    """The condition in words, as (depth, line) pairs for a nested list."""
    if cond.op == "all" and depth == 0:
        return [line for child in cond.children for line in describe(child, 0)]
    if cond.op in ("all", "any"):
        head = "all of:" if cond.op == "all" else "any of:"
        return [(depth, head)] + [line for child in cond.children for line in describe(child, depth + 1)]
    if cond.op == "not":
        inner = describe(cond.children[0], depth + 1)
        if len(inner) == 1:
            return [(depth, f"not: {inner[0][1]}")]
        return [(depth, "none of:")] + inner
    if cond.op == "control":
        cid, statuses = cond.arg
        return [(depth, f"its declared status of {cid} is {_words(statuses)}")]
    if cond.op in _NESTED:
        return [(depth, _NESTED[cond.op])] + describe(cond.children[0], depth + 1)
    return [(depth, _PHRASES[(cond.target, cond.op)](cond.arg))]
