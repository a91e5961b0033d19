"""Escaping for every place user text lands: Markdown, table cells, HTML, DOT labels.

Model authors and custom-control authors write free text (names, descriptions, reasons,
code examples). It must read exactly as written and never become markup, a link, a
snippet include or script. Each function here is for one destination.
"""

from __future__ import annotations

import html
import re

__all__ = ["md", "md_cell", "md_block", "md_code", "html_text", "code_block", "dot_text", "slug_ok"]

# Characters that are Markdown anywhere in a line (emphasis, code, links, table cells,
# attribute lists) are backslash-escaped; `&`, `<`, `>` and `"` become entities.
_MD_BACKSLASH = set("\\`*_{}[]()|")
_MD_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Characters that are Markdown only at the start of a line (headings, lists, quotes,
# setext underlines): escaped there, left alone elsewhere to keep pages light.
_LINE_START = re.compile(r"^([ \t]*)(?:(\d+)([.)])|([#+\-.!=]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _line(text: str) -> str:
    out = []
    for ch in text:
        if ch in _MD_BACKSLASH:
            out.append("\\" + ch)
        elif ch in _MD_ENTITY:
            out.append(_MD_ENTITY[ch])
        else:
            out.append(ch)
    s = "".join(out)
    m = _LINE_START.match(s)
    if m:
        lead = m.group(1)
        if m.group(2):
            mark = m.group(2) + "\\" + m.group(3)
        else:  # `\=` is no Markdown escape: use the entity
            mark = "&#61;" if m.group(4) == "=" else "\\" + m.group(4)
        s = lead + mark + s[m.end():]
    return s


def md(text: object) -> str:
    """Inline Markdown that shows `text` literally (one line; newlines become spaces)."""
    s = _CONTROL.sub(" ", str(text))
    return _line(" ".join(part.strip() for part in s.splitlines()) if "\n" in s or "\r" in s else s)


def md_cell(text: object) -> str:
    """A Markdown table cell showing `text` literally; line breaks become `<br>`."""
    s = _CONTROL.sub(" ", str(text))
    return "<br>".join(_line(part.strip()) for part in s.splitlines()) or ""


def md_code(text: object) -> str:
    """Inline code showing `text` literally (backticks, pipes and all)."""
    # A backtick code span cannot hold every string (and `|` still splits table cells), so
    # use an HTML <code> element around escaped Markdown text instead.
    return f"<code>{md(text)}</code>"


def md_block(text: object) -> str:
    """A Markdown paragraph showing multi-line `text` literally (no headings, lists, code)."""
    s = _CONTROL.sub(" ", str(text)).strip()
    lines = [_line(part.strip()) for part in s.splitlines()]
    # A blank line would start a new block where indentation or markers could matter;
    # keep paragraphs apart but every line escaped and unindented.
    return "<br>\n".join(line for line in lines) if lines else ""


def html_text(text: object) -> str:
    """Text for an HTML element or attribute value."""
    return html.escape(_CONTROL.sub(" ", str(text)), quote=True)


_SNIPPET_MARKER = re.compile(r"-+8<-+")


def code_block(code: str, language: str = "") -> str:
    """A fenced code block showing `code` verbatim (no snippet includes, any backticks)."""
    lang = re.sub(r"[^a-z0-9+#-]", "", language.lower())[:20]
    lines = []
    for line in _CONTROL.sub(" ", code.replace("\t", "    ")).splitlines():
        # pymdownx.snippets reads raw lines, even inside fences; `;` is its escape.
        if "8<" in line:
            line = _SNIPPET_MARKER.sub(lambda m: ";" + m.group(0), line, count=1)
        lines.append(line.rstrip())
    longest = max((len(m.group(0)) for m in re.finditer(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + lang, *lines, fence])


def dot_text(text: object) -> str:
    """A DOT escString that displays `text` literally (pair with `graphviz.nohtml`)."""
    s = _CONTROL.sub(" ", str(text))
    s = " ".join(s.splitlines()) if ("\n" in s or "\r" in s) else s
    # Graphviz expands backslash sequences (\N, \G, \n) and HTML entities in labels.
    return s.replace("\\", "\\\\").replace("&", "&amp;")


def slug_ok(text: str) -> bool:
    """Whether `text` is a plain slug (safe as a tag, a path segment or a DOT id)."""
    return bool(_SLUG.match(text))
