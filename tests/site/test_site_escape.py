"""User text reads exactly as written wherever it lands, and never becomes markup.

Each helper is checked through the real Markdown pipeline the site uses, so what is tested
is what a reader sees.
"""

from __future__ import annotations

import html
import re

import markdown
import pytest

from threatplan.site.escape import code_block, dot_text, md, md_block, md_cell, md_code

HOSTILE = [
    "<script>alert(1)</script>",
    "a | b | c",
    "[x](https://evil.example)",
    "![img](x.png)",
    "**bold** _it_ `code` ~~del~~",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "{: .cls onclick=alert(1)}",
    ":smile: &amp; &lt; \\N \\",
    "=== setext",
    "<https://autolink.example>",
    '--8<-- "index.md"',
    'mid --8<-- [start:x] line',
    "  - indented item",
    "10) item",
    "+ plus",
    "a - b. c! d# e= f",
    "!  [x]",
]

EXTENSIONS = ["tables", "admonition", "toc", "pymdownx.superfences", "pymdownx.snippets", "attr_list"]


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS,
                             extension_configs={"pymdownx.snippets": {"base_path": ["/nonexistent"],
                                                                      "check_paths": False}})


def visible(html_text: str) -> str:
    """The text a reader sees (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text)).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_text_reads_as_written(text):
    out = render(md(text))
    assert visible(out) == text.strip()
    assert "<script" not in out and "<a " not in out and "<img" not in out and "<h1" not in out


@pytest.mark.parametrize("text", HOSTILE)
def test_table_cell_keeps_one_cell(text):
    out = render("| a | b |\n|---|---|\n| " + md_cell(text) + " | end |")
    cells = re.findall(r"<td>(.*?)</td>", out, re.S)
    assert len(cells) == 2, out
    assert visible(cells[0]) == text.strip()  # leading blanks mean nothing in HTML
    assert visible(cells[1]) == "end"


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_code_reads_as_written(text):
    out = render("| a |\n|---|\n| " + md_code(text) + " |")
    assert visible(re.search(r"<td>(.*?)</td>", out, re.S).group(1)) == text.strip()


def test_multiline_block_keeps_every_line_and_builds_no_structure():
    text = "# not a heading\n- not a list\n    not code\n<b>x</b>\n--8<-- \"x.md\""
    out = render(md_block(text))
    assert [visible(x) for x in re.split(r"<br\s*/?>", out)] == [line.strip() for line in text.splitlines()]
    for tag in ("<h1", "<ul", "<pre", "<b>"):
        assert tag not in out


def test_code_block_is_verbatim_even_with_fences_and_snippet_markers():
    code = '// ``` inner fence\n--8<-- "index.md"\n;--8<-- "kept"\n  --8<-- [start:x]\nconst s = "<script>";'
    out = render(code_block(code, "javascript"))
    body = re.search(r"<code[^>]*>(.*?)</code>", out, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", body)).rstrip("\n") == code


def test_dot_text_disables_escapes_and_entities():
    assert dot_text(r"a\Nb") == r"a\\Nb"
    assert dot_text("&lt;") == "&amp;lt;"
    assert "\n" not in dot_text("two\nlines")
