"""Random mutations of a valid model never produce a traceback: exit 0 or 2, always."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threatplan.analysis import analyze_loaded
from threatplan.catalog import load_catalog
from threatplan.errors import InputError
from threatplan.loading import load_paths

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "model" / "webshop.yaml").read_text(encoding="utf-8").splitlines()
CATALOG = load_catalog()
KNOWN = CATALOG.known_ids()
TOKENS = ["", "-", ":", "[", "]", "{", "}", "&a", "*a", "!!python/object:os.system", "null", "~", "42",
          "yes", "2026-13-40", "'", '"', "\t", "<script>", "\x00", "é", "\ud7ff", "   ", "- id: x",
          "controls:", "auth.nope: implemented", "kind: service", "zone: nowhere", "from: ghost"]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(SEED) - 1)),
    st.tuples(st.just("duplicate"), st.integers(0, len(SEED) - 1)),
    st.tuples(st.just("replace"), st.integers(0, len(SEED) - 1), st.sampled_from(TOKENS)),
    st.tuples(st.just("append"), st.integers(0, len(SEED) - 1), st.sampled_from(TOKENS)),
    st.tuples(st.just("indent"), st.integers(0, len(SEED) - 1), st.integers(-4, 4)),
    st.tuples(st.just("text"), st.integers(0, len(SEED) - 1), st.text(max_size=12)),
    st.tuples(st.just("swap"), st.integers(0, len(SEED) - 1), st.integers(0, len(SEED) - 1)),
)


def _apply(lines: list[str], m) -> list[str]:
    lines = list(lines)
    op, i = m[0], m[1] % max(1, len(lines))
    if not lines:
        return lines
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "replace":
        head, sep, _ = lines[i].partition(": ")
        lines[i] = f"{head}{sep}{m[2]}" if sep else m[2]
    elif op == "append":
        lines[i] += m[2]
    elif op == "indent":
        lines[i] = " " * max(0, m[2]) + lines[i][max(0, -m[2]):]
    elif op == "text":
        lines[i] = lines[i][: len(lines[i]) // 2] + m[2]
    elif op == "swap":
        j = m[2] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=4))
def test_mutated_model_gives_diagnostics_not_tracebacks(mutations):
    lines = SEED
    for m in mutations:
        lines = _apply(lines, m)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.yaml"
        path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
        try:
            systems, _ = load_paths([path], known_controls=KNOWN)
        except InputError as exc:
            assert exc.diagnostics
            for d in exc.diagnostics:
                assert d.line >= 0 and d.col >= 0 and d.message
                assert d.render().startswith(d.file)
        else:
            assert len(systems) == 1
            report = analyze_loaded(systems, CATALOG, datetime.date(2026, 11, 26))
            for f in report.findings:
                assert 0.0 <= f.score <= 10.0 and f.applies_because and f.fails_because
