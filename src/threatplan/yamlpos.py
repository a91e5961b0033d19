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
FAST_MIN_BYTES = 64 * 1024
"""Files at least this large try the rapidyaml fast path first (see `_fast_parse`)."""

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


def parse_yaml(raw: bytes, file: str, *, merge_keys: bool = False) -> tuple[Parsed | None, list[Diagnostic]]:
    """Parse one YAML document safely; return it with positions, or diagnostics.

    Merge keys (`<<: *base`) are refused in models (they hide where a value was written);
    importers of other tools' files, which use them, pass `merge_keys=True`.
    """
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
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [_diag(file, 1, 1, "-", "file is empty")]
    if _ryml is not None and not bom and len(raw) >= FAST_MIN_BYTES:
        fast = _fast_parse(raw, text, file)
        if fast is not None:
            return fast, []
    return _parse_pyyaml(text, file, merge_keys)


def _parse_pyyaml(text: str, file: str, merge_keys: bool = False) -> tuple[Parsed | None, list[Diagnostic]]:
    """The reference path: PyYAML composes nodes; every diagnostic comes from here."""
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
    builder = _Builder(file, merge_keys)
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
    def __init__(self, file: str, merge_keys: bool = False):
        self.file = file
        self.merge_keys = merge_keys
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
            merged: list = []
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    if self.merge_keys:
                        merged.append(value_node)
                        continue
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
            for source in merged:  # explicit keys win over merged ones, as in YAML 1.1
                sources = source.value if isinstance(source, yaml.SequenceNode) else [source]
                for src in sources:
                    base = self.build(src, path + ("<<",), depth + 1)
                    if not isinstance(base, dict):
                        self.errors.append(_diag(self.file, *self._lc(src), path_text(path),
                                                 "a merge key (<<) needs a mapping"))
                        continue
                    for key, value in base.items():
                        out.setdefault(key, value)
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



# --- The fast path -------------------------------------------------------------------------
#
# rapidyaml (`ryml`) parses about 25 times faster than libyaml. Its Python binding has no
# location API, but after `parse_in_place` every scalar is a memoryview into our own buffer,
# so the scalar's byte offset is its pointer minus the buffer's. From those offsets we rebuild
# exactly the marks PyYAML would give (keys, scalars, the `-` of block sequences, the `[`/`{`
# of flow collections, the spot after `:` for empty values). The fast path handles only the
# plain subset of YAML a model is written in; whenever it meets anything else (a parse error,
# anchors, aliases, tags, duplicate keys, merge keys, tabs, CR line ends, multi-line plain or
# escaped quoted scalars, ...) it gives up and the PyYAML path above runs, so every
# diagnostic still comes from PyYAML with its exact position. tests/test_yamlpos_fast.py
# checks that both paths give equal results.

try:
    import ctypes as _ctypes
    import os as _os
    import re as _re
    import threading as _threading
    from bisect import bisect_right as _bisect_right

    import ryml as _ryml

    class _PyBuffer(_ctypes.Structure):
        _fields_ = [("buf", _ctypes.c_void_p), ("obj", _ctypes.py_object), ("len", _ctypes.c_ssize_t),
                    ("itemsize", _ctypes.c_ssize_t), ("readonly", _ctypes.c_int), ("ndim", _ctypes.c_int),
                    ("format", _ctypes.c_char_p), ("shape", _ctypes.c_void_p), ("strides", _ctypes.c_void_p),
                    ("suboffsets", _ctypes.c_void_p), ("internal", _ctypes.c_void_p)]

    _get_buffer = _ctypes.pythonapi.PyObject_GetBuffer
    _get_buffer.argtypes = [_ctypes.py_object, _ctypes.POINTER(_PyBuffer), _ctypes.c_int]
    _get_buffer.restype = _ctypes.c_int
    _release_buffer = _ctypes.pythonapi.PyBuffer_Release
    _release_buffer.argtypes = [_ctypes.POINTER(_PyBuffer)]
    _release_buffer.restype = None
    _T = _ryml
    _BAD_BITS = (_T.KEYREF | _T.VALREF | _T.KEYANCH | _T.VALANCH | _T.KEYTAG | _T.VALTAG
                 | _T.KEY_LITERAL | _T.KEY_FOLDED)
    _BLOCK_SCALAR = _T.VAL_LITERAL | _T.VAL_FOLDED
    _MAP, _SEQ, _KEY, _VAL = _T.MAP, _T.SEQ, _T.KEY, _T.VAL
    _KEYQUO, _VALQUO, _FLOW = _T.KEY_SQUO | _T.KEY_DQUO, _T.VAL_SQUO | _T.VAL_DQUO, _T.FLOW_SL | _T.FLOW_ML
    _NONE = _T.NONE
except Exception:  # pragma: no cover - no rapidyaml wheel for this platform
    _ryml = None

_fast_lock = _threading.Lock() if _ryml is not None else None
_resolver = yaml.resolver.Resolver()
_plain_cache: dict[str, object] = {}
_flow_plain_cache: dict[str, object] = {}
_GIVE_UP = object()
# what only the PyYAML path handles (checked on the whole text before parsing)
_UNUSUAL_CHARS = ("\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\n%", "\n...")
_EXPLICIT_KEY = _re.compile(r"(?:^|[ \[{,-])\?(?:[ \n,\]}]|$)", _re.M)


def _unusual(text: str) -> bool:
    """Text the fast path leaves to PyYAML: tabs, CR and Unicode line ends, directives, `?` keys."""
    if any(c in text for c in _UNUSUAL_CHARS) or text.startswith(("%", "...")):
        return True
    return "?" in text and _EXPLICIT_KEY.search(text) is not None
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
# plain scalars that start with an indicator, or hold `: `, ` #` or flow punctuation
_ODD_PLAIN = _re.compile(r"""^(?:[\[\]{},#&*!|>'"%@`]|[-?:](?:[ ]|$))|:[ ]|:$|[ ]#|^[ ]|[ ]$""")
_FLOW_PUNCT = _re.compile(r"[,\[\]{}]")
_DASHES = _re.compile(rb"[ ]*(?:-[ ]+)+")
_KEY_TAIL = _re.compile(rb"[ ]*:[ \n]")
_TAIL = _re.compile(rb"[ ]*(?:\n|#[^\n]*\n)")
_FIRST_GAP = _re.compile(rb"[ ]*")
_NEXT_GAP = _re.compile(rb"[ ]*,[ ]*")
_FLOW_COLON = _re.compile(rb"[ ]*:[ ]+")
_FLOW_END = _re.compile(rb"[ ]*,?[ ]*([\]}])")
_EMPTY_FLOW = _re.compile(rb"[ ]*(\[\]|{})")
_BLOCK_HEADER = _re.compile(rb"[ ]*:[ ]+[|>][+-]?[ ]*(?:#[^\n]*)?\n")


class _GiveUp(Exception):
    pass


def _stderr_silenced(fn, *args):
    """Call fn with file descriptor 2 pointed at /dev/null (ryml prints its errors there)."""
    try:
        saved = _os.dup(2)
    except OSError:
        raise _GiveUp from None
    try:
        devnull = _os.open(_os.devnull, _os.O_WRONLY)
        try:
            _os.dup2(devnull, 2)
        finally:
            _os.close(devnull)
        return fn(*args)
    finally:
        _os.dup2(saved, 2)
        _os.close(saved)


def _plain(text: str, flow: bool = False):
    """The value PyYAML's SafeLoader gives a plain scalar, or _GIVE_UP."""
    if flow:
        value = _flow_plain_cache.get(text, _flow_plain_cache)
        if value is _flow_plain_cache:
            value = _GIVE_UP if _FLOW_PUNCT.search(text) else _plain(text)
            if len(_flow_plain_cache) < 100_000:
                _flow_plain_cache[text] = value
        return value
    value = _plain_cache.get(text, _plain_cache)
    if value is not _plain_cache:
        return value
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if _ODD_PLAIN.search(text):
        value = _GIVE_UP  # libyaml may read this differently, or refuse it
    elif tag == "tag:yaml.org,2002:str":
        value = text
    elif tag in _SCALAR_TAGS:
        try:
            value = _constructor.yaml_constructors[tag](_constructor, yaml.ScalarNode(tag, text))
        except (ValueError, yaml.YAMLError):
            value = text
    else:
        value = _GIVE_UP  # merge keys, `=`
    if len(_plain_cache) < 100_000:
        _plain_cache[text] = value
    return value


def _fast_parse(raw: bytes, text: str, file: str) -> Parsed | None:
    """Parse with rapidyaml; None whenever the result might differ from the PyYAML path."""
    if not raw.endswith(b"\n") or _unusual(text) or _NON_PRINTABLE.search(text):
        return None
    buf = bytearray(raw)
    try:
        with _fast_lock:  # one fd-2 redirection at a time
            tree = _stderr_silenced(_ryml.parse_in_place, buf)
        walker = _FastWalk(raw, buf, tree, file, raw.isascii())
        value = walker.run()
    except _GiveUp:
        return None
    except Exception:  # a ryml parse error, or anything odd: PyYAML will explain
        return None
    return Parsed(file, value, walker.values, walker.keys)


class _FastWalk:
    def __init__(self, raw: bytes, buf: bytearray, tree, file: str, ascii_only: bool):
        self.raw, self.tree, self.file = raw, tree, file
        self.values: dict = {}
        self.keys: dict = {}
        self.pb = _PyBuffer()
        self.pbref = _ctypes.byref(self.pb)
        self.base = self._addr(memoryview(buf))
        self.size = len(raw)
        self.line_starts = [0]
        find, pos = raw.find, raw.find(b"\n")
        while pos >= 0:
            self.line_starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        self.ascii = ascii_only  # otherwise columns count characters, as PyYAML's do

    def _addr(self, mv) -> int:
        if _get_buffer(mv, self.pbref, 0) != 0:  # pragma: no cover
            raise _GiveUp
        address = self.pb.buf or 0
        _release_buffer(self.pbref)
        return address

    def _pos(self, offset: int) -> Pos:
        n = _bisect_right(self.line_starts, offset)
        start = self.line_starts[n - 1]
        if self.ascii:
            return Pos(self.file, n, offset - start + 1)
        return Pos(self.file, n, len(self.raw[start:offset].decode("utf-8")) + 1)

    def run(self):
        tree = self.tree
        root = tree.root_id()
        if tree.is_stream(root) or tree.type(root) & _BAD_BITS or not tree.type(root) & (_MAP | _SEQ):
            raise _GiveUp
        if tree.type(root) & _ryml.DOC and tree.has_val(root):
            raise _GiveUp
        return self.node(root, (), 0, None)

    # --- offsets ---------------------------------------------------------------------------

    def _scalar_at(self, mv, quoted: bool) -> tuple[int, bytes]:
        """(offset of the mark PyYAML gives this scalar, its bytes), checked against the source."""
        data = bytes(mv)
        off = self._addr(mv) - self.base
        if not 0 <= off <= self.size:
            raise _GiveUp
        raw = self.raw
        if raw[off:off + len(data)] != data:  # folded, escaped or filtered: not verbatim
            raise _GiveUp
        if quoted:
            q = raw[off - 1:off]
            if q not in (b"'", b'"') or raw[off + len(data):off + len(data) + 1] != q:
                raise _GiveUp
            if q in data or b"\n" in data or (q == b'"' and b"\\" in data):
                raise _GiveUp
            return off - 1, data
        if b"\n" in data or not data:
            raise _GiveUp
        return off, data

    def _key(self, n, t, flow: bool = False) -> tuple[int, int, str]:
        """(mark offset, end offset, text) of a mapping key."""
        quoted = bool(t & _KEYQUO)
        off, data = self._scalar_at(self.tree.key(n), quoted)
        if len(data) > 1000:  # libyaml refuses simple keys this long
            raise _GiveUp
        text = data.decode("utf-8")
        end = off + len(data) + (2 if quoted else 0)
        if not quoted:
            key = _plain(text, flow)
            if key is not text and key != text or not isinstance(key, str):
                raise _GiveUp  # keys that are not plain strings (1, true, <<): PyYAML path
        return off, end, text

    def _after_colon(self, key_end: int) -> int:
        raw, i = self.raw, key_end
        while raw[i:i + 1] == b" ":
            i += 1
        if raw[i:i + 1] != b":":
            raise _GiveUp
        return i + 1

    def _start(self, n, t) -> int:
        """Offset of the start mark PyYAML gives node n (a collection or scalar value)."""
        tree, raw = self.tree, self.raw
        if t & (_MAP | _SEQ):
            child = tree.first_child(n)
            if child == _NONE:
                raise _GiveUp  # empty flow collection outside a mapping value
            ct = tree.type(child)
            first = self._key(child, ct, bool(t & _FLOW))[0] if t & _MAP else self._start(child, ct)
            if t & _MAP and not t & _FLOW:
                return first
            i = first - 1
            while i >= 0 and raw[i] == 0x20:
                i -= 1
            want = (0x7B if t & _MAP else 0x5B) if t & _FLOW else 0x2D  # { [ -
            if i < 0 or raw[i] != want:
                raise _GiveUp
            return i
        if t & _BLOCK_SCALAR or tree.val_is_null(n) and tree.val(n) is None:
            raise _GiveUp  # only placed relative to a key; see node()
        return self._scalar_at(tree.val(n), bool(t & _VALQUO))[0]

    # --- the walk --------------------------------------------------------------------------

    def _line_start_ok(self, off: int, first: bool) -> bool:
        """Only indentation (or, for a first entry, `- ` indicators) before off on its line."""
        raw = self.raw
        prefix = raw[raw.rfind(b"\n", 0, off) + 1:off]
        return not prefix.strip(b" ") or first and _DASHES.fullmatch(prefix) is not None

    def node(self, n, path: tuple, depth: int, key_end, flow: bool = False):
        """The value of node n; sets self.end to where a scalar or flow collection ends."""
        if depth > MAX_DEPTH:
            raise _GiveUp
        tree, raw = self.tree, self.raw
        t = tree.type(n)
        if t & _BAD_BITS:
            raise _GiveUp
        if t & (_MAP | _SEQ):
            is_flow = bool(t & _FLOW)
            if flow and not is_flow or flow and is_flow:
                raise _GiveUp  # only scalars inside flow collections
            child = tree.first_child(n)
            if child == _NONE:
                if key_end is None or not is_flow:
                    raise _GiveUp
                i = self._after_colon(key_end)
                m = _EMPTY_FLOW.match(raw, i)
                if not m or m.group(1) != (b"{}" if t & _MAP else b"[]"):
                    raise _GiveUp
                self.values[path] = self._pos(m.start(1))
                self.end = m.end()
                return {} if t & _MAP else []
            start = self._start(n, t)
            self.values[path] = self._pos(start)
            prev_end = start + 1  # for flow collections: just after the bracket
            first = True
            if t & _MAP:
                out: dict = {}
                keys = self.keys
                while child != _NONE:
                    ct = tree.type(child)
                    if not ct & _KEY:
                        raise _GiveUp
                    off, end, key = self._key(child, ct, is_flow)
                    if key in out:
                        raise _GiveUp  # duplicate key: PyYAML reports it
                    if is_flow:
                        if not (_FIRST_GAP if first else _NEXT_GAP).fullmatch(raw, prev_end, off):
                            raise _GiveUp
                        m = _FLOW_COLON.match(raw, end)
                        if not m:
                            raise _GiveUp
                    else:
                        if not self._line_start_ok(off, first) or not _KEY_TAIL.match(raw, end):
                            raise _GiveUp
                    sub = path + (key,)
                    keys[sub] = self._pos(off)
                    out[key] = self.node(child, sub, depth + 1, None if is_flow else end, is_flow)
                    if is_flow:
                        if m.end() != self.value_start:
                            raise _GiveUp
                        prev_end = self.end
                    first = False
                    child = tree.next_sibling(child)
                value = out
            else:
                items = []
                i = 0
                while child != _NONE:
                    if is_flow:
                        items.append(self.node(child, path + (i,), depth + 1, None, True))
                        if not (_FIRST_GAP if first else _NEXT_GAP).fullmatch(raw, prev_end, self.value_start):
                            raise _GiveUp
                        prev_end = self.end
                    else:
                        dash = self._dash(child)
                        if not self._line_start_ok(dash, first):
                            raise _GiveUp
                        items.append(self.node(child, path + (i,), depth + 1, None, False))
                    first = False
                    i += 1
                    child = tree.next_sibling(child)
                value = items
            if is_flow:
                m = _FLOW_END.match(raw, prev_end)
                if not m or m.group(1) != (b"}" if t & _MAP else b"]"):
                    raise _GiveUp
                self.end = m.end()
                if not flow and not _TAIL.match(raw, self.end):
                    raise _GiveUp
            return value
        if not t & _VAL:
            raise _GiveUp
        mv = tree.val(n)
        if t & _BLOCK_SCALAR:
            if key_end is None:
                raise _GiveUp
            m = _BLOCK_HEADER.match(raw, key_end)
            if not m:
                raise _GiveUp
            i = raw.index(b"|" if t & _T.VAL_LITERAL else b">", self._after_colon(key_end))
            self.values[path] = self._pos(i)
            return bytes(mv).decode("utf-8") if mv is not None else ""
        if mv is None:  # `key:` with nothing after it: PyYAML marks the spot after the colon
            if key_end is None:
                raise _GiveUp
            self.values[path] = self._pos(self._after_colon(key_end))
            return None
        quoted = bool(t & _VALQUO)
        off, data = self._scalar_at(mv, quoted)
        self.value_start = off
        self.end = end = off + len(data) + (2 if quoted else 0)
        if not flow and not _TAIL.match(raw, end):
            raise _GiveUp
        self.values[path] = self._pos(off)
        text = data.decode("utf-8")
        if quoted:
            return text
        value = _plain(text, flow)
        if value is _GIVE_UP:
            raise _GiveUp
        return value

    def _dash(self, child) -> int:
        """Offset of the `-` that introduces a block sequence entry."""
        ct = self.tree.type(child)
        if not ct & (_MAP | _SEQ) and (ct & _BLOCK_SCALAR or self.tree.val(child) is None):
            raise _GiveUp
        i = self._start(child, ct) - 1
        raw = self.raw
        while i >= 0 and raw[i] == 0x20:
            i -= 1
        if i < 0 or raw[i] != 0x2D:
            raise _GiveUp
        return i
