"""Safe YAML parsing that keeps the position of every value.

PyYAML composes a node tree (the C parser when available); we build plain Python values
from it ourselves so that every key and value keeps its file, line and column, duplicate
keys are caught, and hostile input (alias bombs, deep nesting, binary) is refused early.
Only the safe scalar types are constructed: no tags, no Python objects.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import yaml

from threatplan.errors import Diagnostic

__all__ = ["Pos", "Parsed", "parse_yaml", "MAX_FILE_BYTES", "MAX_ALIAS_EXPANSION", "MAX_DEPTH"]

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest model or catalog file accepted (bytes)."""
MAX_ALIAS_EXPANSION = 10_000
"""Nodes that may be visited again through aliases, per file (stops billion-laughs bombs)."""
MAX_DEPTH = 64
"""Deepest nesting accepted."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.SafeLoader(b"")  # only its scalar constructors are used
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True, slots=True)
class Pos:
    """A position in a file: 1-based line and column."""

    file: str
    line: int
    col: int


@dataclass(frozen=True)
class Parsed:
    """A parsed YAML document: its value and the positions of every key and value."""

    file: str
    value: object
    values: dict
    """path tuple -> Pos of the value at that path."""
    keys: dict
    """path tuple -> Pos of the mapping key that introduces that path."""


class _Refused(Exception):
    def __init__(self, line: int, col: int, path: str, message: str):
        self.args_ = (line, col, path, message)


def _diag(file: str, line: int, col: int, path: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, col, path, message, hint)


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def parse_yaml(raw: bytes, file: str) -> tuple[Parsed | None, list[Diagnostic]]:
    """Parse one YAML document safely; return it with positions, or diagnostics."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_diag(file, 1, 1, "-", f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(raw, nul)
        return None, [_diag(file, line, col, "-", "file is binary (contains a NUL byte), not YAML text")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        return None, [_diag(file, line, col, "-", f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                            "save the file as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [_diag(file, 1, 1, "-", "file is empty")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.composer.ComposerError as exc:
        return None, [_mark_diag(file, exc, "-")]
    except yaml.MarkedYAMLError as exc:
        return None, [_mark_diag(file, exc, "-")]
    except yaml.YAMLError as exc:  # unmarked reader errors (control characters)
        return None, [_diag(file, 1, 1, "-", f"YAML error: {exc}")]
    except RecursionError:
        return None, [_diag(file, 1, 1, "-", f"nesting is deeper than {MAX_DEPTH} levels")]
    if node is None:
        return None, [_diag(file, 1, 1, "-", "file is empty")]
    builder = _Builder(file)
    try:
        value = builder.build(node, (), 0)
    except _Refused as exc:
        line, col, path, message = exc.args_
        return None, [_diag(file, line, col, path, message)]
    if builder.errors:
        return None, builder.errors
    return Parsed(file, value, builder.values, builder.keys), []


def _mark_diag(file: str, exc: yaml.MarkedYAMLError, path: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if exc.context and "found undefined alias" not in problem:
        problem = f"{exc.context}: {problem}" if "while" not in exc.context else problem
    return _diag(file, line, col, path, f"YAML syntax error: {problem}")


def path_text(path: tuple) -> str:
    """Render a path tuple as `components[2].zone`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "-"


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.values: dict = {}
        self.keys: dict = {}
        self.seen: set[int] = set()
        self.expanded = 0
        self.errors: list[Diagnostic] = []

    def _pos(self, node) -> Pos:
        return Pos(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node, path: tuple, depth: int):
        if depth > MAX_DEPTH:
            m = node.start_mark
            raise _Refused(m.line + 1, m.column + 1, "-", f"nesting is deeper than {MAX_DEPTH} levels")
        if id(node) in self.seen:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                m = node.start_mark
                raise _Refused(m.line + 1, m.column + 1, path_text(path),
                               f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes (alias bomb?)")
        else:
            self.seen.add(id(node))
        self.values[path] = self._pos(node)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            self._bad_tag(node, path)
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.errors.append(_diag(self.file, *self._lc(key_node), path_text(path),
                                             "merge keys (<<) are not supported; write the keys out"))
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.errors.append(_diag(self.file, *self._lc(key_node), path_text(path),
                                             "mapping keys must be plain strings"))
                    continue
                key = self._scalar(key_node, path)
                if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
                    key = str(key_node.value)
                key = str(key) if not isinstance(key, str) else key
                sub = path + (key,)
                if key in out:
                    first = self.keys.get(sub)
                    where = f" (first at line {first.line})" if first else ""
                    self.errors.append(_diag(self.file, *self._lc(key_node), path_text(sub),
                                             f"duplicate key '{key}'{where}"))
                    continue
                self.keys[sub] = self._pos(key_node)
                out[key] = self.build(value_node, sub, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _bad_tag(self, node, path: tuple) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.errors.append(_diag(self.file, *self._lc(node), path_text(path),
                                 f"YAML tag '{tag}' is not allowed; only plain values, lists and mappings"))

    def _lc(self, node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _scalar(self, node, path: tuple):
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self._bad_tag(node, path)
            return str(node.value)
        if tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            value = _constructor.yaml_constructors[tag](_constructor, node)
        except (ValueError, yaml.YAMLError):
            return node.value
        if isinstance(value, _dt.datetime):
            return value
        return value
