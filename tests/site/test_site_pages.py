"""Page generation: one page per system, element, control and standard; deterministic
output; hand-written pages untouched; stale generated pages removed."""

from __future__ import annotations

from pathlib import Path

from threatplan.site.layout import STANDARDS, Layout, href, md_link_target
from threatplan.site.pages import generate, render_pages


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_system_element_control_and_standard_has_a_page(example_report, tmp_path):
    pages, *_ = render_pages(example_report, tmp_path / "cache")
    layout = Layout(example_report)
    for s in example_report.systems:
        assert layout.system(s.id) in pages
        model = s.loaded.model
        for c in model.components:
            assert layout.element(s.id, "component", c.id) in pages
        for f in model.flows:
            assert layout.element(s.id, "flow", f.key) in pages
    for cid in example_report.catalog.records:
        assert layout.control(cid) in pages
    for family in STANDARDS:
        assert layout.standard(family) in pages


def test_control_page_has_every_knowledge_base_section(example_report, tmp_path):
    pages, *_ = render_pages(example_report, tmp_path / "cache")
    text = pages[Layout(example_report).control("auth.rate-limit")]
    for heading in ("## The threat", "## Why it matters", "## How to verify", "## How to fix",
                    "## References", "## Where it stands"):
        assert heading in text
    assert "```javascript" in text
    assert "cwe.mitre.org/data/definitions/307.html" in text


def test_generation_is_byte_identical_and_rewrites_nothing_the_second_time(example_report, tmp_path):
    docs_a, docs_b = tmp_path / "a", tmp_path / "b"
    first = generate(example_report, docs_a, tmp_path / "cache")
    generate(example_report, docs_b, tmp_path / "cache")
    assert _files(docs_a) == _files(docs_b)
    again = generate(example_report, docs_a, tmp_path / "cache")
    assert first.written == first.pages + 3  # pages + shim, its licence, stylesheet
    assert (again.written, again.removed, again.rendered) == (0, 0, 0)


def test_hand_written_pages_are_untouched_and_stale_pages_removed(example_report, tmp_path):
    docs = tmp_path / "docs"
    (docs / "about").mkdir(parents=True)
    (docs / "index.md").write_text("# mine\n")
    (docs / "about" / "x.md").write_text("# also mine\n")
    stale = docs / "generated" / "systems" / "gone" / "index.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    stats = generate(example_report, docs, None)
    assert (docs / "index.md").read_text() == "# mine\n"
    assert (docs / "about" / "x.md").read_text() == "# also mine\n"
    assert not stale.exists() and not stale.parent.exists()
    assert stats.removed == 1


def test_links_between_pages_are_relative_and_work_for_both_url_styles():
    a = "generated/systems/shop/index.md"
    b = "generated/systems/shop/components/api/index.md"
    assert md_link_target(a, b) == "components/api/index.md"
    assert href(a, b) == "components/api/index.html"
    assert href(b, "generated/controls/auth.mfa/index.md") == "../../../../controls/auth.mfa/index.html"
    # Every generated page is a folder's index.md: its URL has the same depth
    # (.../api/ or .../api/index.html), so one href serves both.
    assert all(p.endswith("/index.md") for p in (a, b))
