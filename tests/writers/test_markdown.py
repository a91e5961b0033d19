"""Markdown writer: a pull-request comment with totals, warnings, high findings first."""

from __future__ import annotations

from sample_report import SITE, make_report
from threatplan.writers import WRITERS
from threatplan.writers.markdown import MAX_ROWS, cell, findings_table


def test_golden(report, golden):
    golden("report.md", WRITERS["markdown"](report, site_url=SITE))


def test_golden_with_base(report, golden):
    base = make_report(drop=[("webshop", "transport.tls-only", "customer->api")])
    golden("report-vs-base.md", WRITERS["markdown"](report, site_url=SITE, base=base))


def test_totals_warnings_and_order(report):
    md = WRITERS["markdown"](report)
    assert "**5 open findings** (1 critical, 1 high, 1 medium, 2 low) in 2 systems; 2 accepted." in md
    assert "expires on 2026-06-11, in 10 days" in md and "expired on 2026-05-29" in md
    high = md.index("### High and critical findings (2)")
    assert md.index("transport.tls-only", high) < md.index("auth.rate-limit", high)
    assert "<details>" in md  # medium and low fold away


def test_new_findings_section_lists_only_new_open_ones(report):
    base = make_report(drop=[("webshop", "transport.tls-only", "customer->api"),
                             ("webshop", "auth.mfa", "api")])
    md = WRITERS["markdown"](report, base=base)
    new = md[md.index("### New findings (1)"):md.index("### High and critical")]
    assert "transport.tls-only" in new and "auth.mfa" not in new  # accepted is not open
    assert "🆕" in new


def test_links_to_the_site_only_when_configured(report):
    assert f"]({SITE}/generated/controls/auth.rate-limit/index.html)" in WRITERS["markdown"](report, site_url=SITE)
    assert "](http" not in WRITERS["markdown"](report)


def test_cells_are_escaped_and_tables_cut():
    assert cell("a|b\nc <d>") == "a\\|b c &lt;d&gt;"
    report = make_report()
    lines = findings_table(list(report.findings) * (MAX_ROWS), limit=MAX_ROWS)
    assert len([x for x in lines if x.startswith("| ")]) == MAX_ROWS + 1
    assert "more; run `threatplan check`" in lines[-1]


def test_empty_report(empty_report):
    md = WRITERS["markdown"](empty_report)
    assert "**0 open findings** (none) in 0 systems" in md and "None. ✅" in md


def test_names_cannot_become_links_or_markup():
    from threatplan.writers.markdown import cell
    assert cell("[x](http://evil.example)") == "\\[x\\](http://evil.example)"
    assert cell("**bold** | `code` <b>") == "\\*\\*bold\\*\\* \\| \\`code\\` &lt;b&gt;"
