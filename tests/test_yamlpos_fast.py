"""The rapidyaml fast path of yamlpos.parse_yaml must give what the PyYAML path gives.

For every input, valid or not, `parse_yaml` (fast path first) must return a result equal to
the PyYAML-only path: the same values, the same position of every key and value, and the
same diagnostics. The fast path may only decline (and let PyYAML run), never differ.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from threatplan import yamlpos

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

pytestmark = pytest.mark.skipif(yamlpos._ryml is None, reason="rapidyaml is not installed")


def reference(raw: bytes, file: str = "m.yaml"):
    """parse_yaml with the fast path switched off."""
    saved = yamlpos._ryml
    yamlpos._ryml = None
    try:
        return yamlpos.parse_yaml(raw, file)
    finally:
        yamlpos._ryml = saved


def assert_same(raw: bytes, file: str = "m.yaml") -> bool:
    """parse_yaml equals the reference; return whether the fast path took the input."""
    got = yamlpos.parse_yaml(raw, file)
    want = reference(raw, file)
    assert got == want
    if want[0] is not None:  # same types too: 1 == 1.0 == True would hide a wrong scalar
        assert _typed(got[0].value) == _typed(want[0].value)
    # parse_yaml skips the fast path for small files: check it directly too
    text = raw.decode("utf-8", "replace").lstrip("\ufeff")
    fast = yamlpos._fast_parse(raw, text, file)
    if fast is not None:
        assert (fast, []) == want
        assert _typed(fast.value) == _typed(want[0].value)
    return fast is not None


def _typed(value):
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _yaml_files():
    files = sorted(ROOT.glob("model/*.y*ml")) + sorted((ROOT / "tests").rglob("*.y*ml"))
    return [f for f in files if ".venv" not in f.parts]


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_real_files_parse_the_same(path):
    assert_same(path.read_bytes(), path.relative_to(ROOT).as_posix())


@pytest.mark.parametrize("path", sorted(ROOT.glob("model/*.yaml")), ids=lambda p: p.name)
def test_shipped_models_take_the_fast_path(path):
    assert assert_same(path.read_bytes())


@pytest.mark.parametrize("n", [10, 50, 1000])
def test_generated_benchmark_models_take_the_fast_path(n):
    assert assert_same(generate(n).encode())


def test_no_ryml_noise_on_stderr(capfd):
    doc, errors = yamlpos.parse_yaml(b"a: [1, 2\nb: c\n", "bad.yaml")
    assert doc is None and errors and errors[0].line >= 1
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                    # anchors and aliases
    "a: !!str 1\n",                         # tags
    "a: !!python/object:os.system x\n",
    "a: 1\na: 2\n",                         # duplicate key
    "<<: {a: 1}\n",                         # merge key
    "a: 1\n---\nb: 2\n",                    # two documents
    "a:\n  b: 1\n c: 2\n",                  # bad indentation
    "a: [1, 2\n",                           # unclosed flow sequence
    "a: 'x\n",
    "a:\tb\n",
    "a: 1\r\nb: 2\r\n",
    "? a\n: b\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: |2\n   x\n",
    "- a\n-\n- c\n",
    "1: a\ntrue: b\n2026-01-01: c\n",
    "a: \"x\\ty\"\n",
    "a: 'it''s'\n",
    "a: plain\n  continued\n",
    "k" * 1100 + ": v\n",
    "[a, b]\n",
    "scalar\n",
    "a: b: c\n",
    "- a\nb: c\n",
])
def test_unusual_inputs_agree(text):
    assert_same(text.encode())


SCALARS = ["yes", "no", "on", "off", "Yes", "NO", "y", "n", "true", "False", "TRUE", "~", "null", "Null",
           "NULL", "", "0", "-1", "+1", "1_000", "0o17", "017", "0x1f", "0b101", "190:20:30", "1.5", "1e3",
           "1.0e+3", ".inf", "-.Inf", ".nan", "6.8523015e+5", "2026-09-30", "2026-9-3", "2026-09-30 10:00:00",
           "2026-09-30T10:00:00Z", "2026-09-30t10:00:00.5+02:00", "2026-13-45", "=", "<<", "a b", "a#b",
           "a # c", "x:y", "-", "-a", "--", "@", "`", "%", "!", "&", "*", "|", ">", "'", '"', "[", "]", "{", "}",
           ",", "#", "é", "naïve café", "日本", "😀", "a\\b", "a'b", 'a"b', "  lead", "trail  ", "https://x.example/a?b=c"]

scalar_text = st.one_of(st.sampled_from(SCALARS), st.text(
    alphabet=st.sampled_from(list("ab01-:#'\" .,[]{}?&*!|>%@`~\\é") + ["\n"]), max_size=8))
keys = st.one_of(st.sampled_from(["id", "name", "a", "b", "kind", "1", "true", "null", "~", "<<", "a b", "é"]),
                 scalar_text)


def _render_scalar(draw, value: str) -> str:
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "dump"]))
    if style == "plain":
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return yaml.safe_dump(value, default_style=None, width=1000).removesuffix("\n...\n").strip()


@st.composite
def documents(draw, depth: int = 0):
    """YAML text built by hand in many styles, valid or not."""
    def block(indent: int, level: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        if draw(st.booleans()) or level >= 3:
            for _ in range(draw(st.integers(1, 3))):
                key = _render_scalar(draw, draw(keys))
                kind = draw(st.sampled_from(["scalar", "scalar", "null", "flow", "block", "seq", "lit"]
                                            if level < 3 else ["scalar", "null", "flow"]))
                comment = draw(st.sampled_from(["", "", "  # note"]))
                if kind == "scalar":
                    lines.append(f"{pad}{key}: {_render_scalar(draw, draw(scalar_text))}{comment}")
                elif kind == "null":
                    lines.append(f"{pad}{key}:{comment}")
                elif kind == "flow":
                    items = [_render_scalar(draw, draw(scalar_text)) for _ in range(draw(st.integers(0, 3)))]
                    if draw(st.booleans()):
                        lines.append(f"{pad}{key}: [{', '.join(items)}]{comment}")
                    else:
                        lines.append(f"{pad}{key}: {{{', '.join(f'k{i}: {v}' for i, v in enumerate(items))}}}")
                elif kind == "lit":
                    ind = draw(st.sampled_from(["|", ">", "|-", ">+", "|2"]))
                    body = [pad + "  " + draw(st.sampled_from(["text", "", "  more", "a: b", "# x"]))
                            for _ in range(draw(st.integers(1, 3)))]
                    lines += [f"{pad}{key}: {ind}{comment}"] + body
                else:
                    lines.append(f"{pad}{key}:{comment}")
                    lines += block(indent + draw(st.sampled_from([0, 2, 2, 4])) if kind == "seq"
                                   else indent + draw(st.sampled_from([1, 2, 4])), level + 1)
        else:
            for _ in range(draw(st.integers(1, 3))):
                kind = draw(st.sampled_from(["scalar", "map", "null", "seq"] if level < 3 else ["scalar"]))
                if kind == "scalar":
                    lines.append(f"{pad}- {_render_scalar(draw, draw(scalar_text))}")
                elif kind == "null":
                    lines.append(f"{pad}-")
                elif kind == "seq":
                    lines.append(f"{pad}- - {_render_scalar(draw, draw(scalar_text))}")
                else:
                    sub = block(indent + 2, level + 1)
                    if sub:
                        lines.append(f"{pad}- {sub[0].lstrip()}")
                        lines += sub[1:]
        if draw(st.integers(0, 5)) == 0:
            lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["", "# comment", pad + "#x"])))
        return lines

    lines = block(0, 0)
    prefix = draw(st.sampled_from(["", "", "---\n", "# head\n", "\n"]))
    text = prefix + "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\n...\n"]))
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example("a: 2026-09-30\nb: yes\nc: '1'\nd: ~\n")
def test_generated_documents_agree(text):
    assert_same(text.encode())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(
    list(" :-#'\"[]{},&*!|>?\n\t") + ["", "x", "  ", "\n  ", ": ", "- "])), min_size=1, max_size=3))
def test_mutated_documents_agree(text, edits):
    """Near-miss YAML: whatever PyYAML says (errors included), parse_yaml must say too."""
    for at, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + (1 if not insert else 0):]
    assert_same(text.encode())


def test_dates_and_types_match_safe_loader():
    doc, errors = yamlpos.parse_yaml(b"a: 2026-09-30\nb: 3\nc: true\nd: null\ne: '4'\nf: yes\n", "m.yaml")
    assert errors == [] and doc.value == {"a": dt.date(2026, 9, 30), "b": 3, "c": True, "d": None,
                                          "e": "4", "f": True}
