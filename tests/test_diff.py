"""Drift between two reports: new, resolved, changed findings; elements; git:REF; --fail-on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from threatplan import diffing
from threatplan.diffing import GitRefError, diff_reports, load_git_ref, run
from writers.sample_report import _finding, make_report

TLS = ("webshop", "transport.tls-only", "customer->api")
RATE = ("webshop", "auth.rate-limit", "api")
MFA = ("webshop", "auth.mfa", "api")
QUEUE = _finding("auth.no-default-credentials", "Default passwords left in place", "webshop",
                 "queue", "component", "Order queue", 6.0, "medium", "open", 70, 5,
                 "model/webshop.yaml")


def _keys(findings):
    return [f.key for f in findings]


def test_new_resolved_and_changed_findings():
    base = make_report(drop=[TLS], extra=[QUEUE])
    head = make_report(rescore={RATE: {"score": 9.3, "severity": "critical"},
                                MFA: {"status": "expired-acceptance"}})
    d = diff_reports(base, head, base_label="git:main", head_label="model")
    assert _keys(d.new) == [TLS]
    assert _keys(d.resolved) == [("webshop", "auth.no-default-credentials", "queue")]
    changes = {c.after.key: c.fields for c in d.changed}
    assert changes == {RATE: ("score", "severity"), MFA: ("status",)}
    assert [e.id for e in d.removed_elements] == ["queue"] and d.added_elements == ()


def test_identical_reports_have_no_drift():
    d = diff_reports(make_report(), make_report())
    assert (d.new, d.resolved, d.changed, d.added_elements, d.removed_elements) == ((),) * 5
    assert "No drift" in diffing.render_markdown(d)


def test_systems_added_and_removed():
    head = make_report()
    base = dataclasses.replace(head, systems=head.systems[1:])
    d = diff_reports(base, head)
    assert d.added_systems == ("admin",)
    assert {e.id for e in d.added_elements} == {"admin", "ops|box"}
    assert {f.system for f in d.new} == {"admin"}


def test_json_has_the_spec_keys_with_findings():
    base = make_report(drop=[TLS], extra=[QUEUE])
    head = make_report(rescore={RATE: {"score": 9.3, "severity": "critical"}})
    doc = json.loads(diffing.render_json(diff_reports(base, head)))
    assert {"new", "resolved", "changed"} <= set(doc)
    assert doc["new"][0]["control"] == "transport.tls-only" and doc["new"][0]["line"] == 58
    assert doc["resolved"][0]["element"] == "queue"
    assert doc["changed"][0]["before"]["score"] == 8.1 and doc["changed"][0]["after"]["score"] == 9.3
    assert doc["removed_elements"] == [{"system": "webshop", "type": "component", "element": "queue"}]
    assert any("expires on 2026-06-11" in w for w in doc["warnings"])


def test_text_and_markdown_name_every_change():
    base = make_report(drop=[TLS], extra=[QUEUE])
    head = make_report(rescore={MFA: {"status": "expired-acceptance"}})
    d = diff_reports(base, head, base_label="git:main", head_label="model")
    text = diffing.render_text(d)
    assert text.startswith("threatplan diff: git:main -> model\n  1 new, 1 resolved, 1 changed finding;")
    assert "+ critical  9.2  transport.tls-only  webshop/customer->api  model/webshop.yaml:58  [open]" in text
    assert "~ auth.mfa  webshop/api: status accepted -> expired-acceptance" in text
    assert "- component webshop/queue" in text
    md = diffing.render_markdown(d)
    assert "### New findings (1)" in md and "### Resolved findings (1)" in md
    assert "status: accepted → expired-acceptance" in md


@pytest.mark.parametrize("fail_on,expected", [(None, []), ("none", []), ("critical", [TLS]),
                                              ("high", [TLS, MFA]), ("low", [TLS, MFA])])
def test_regressions_respect_fail_on(fail_on, expected):
    base = make_report(drop=[TLS])
    head = make_report(rescore={MFA: {"status": "expired-acceptance"}})
    assert _keys(diff_reports(base, head).regressions(fail_on)) == expected


def test_new_accepted_finding_is_no_regression():
    base = make_report(drop=[MFA])
    d = diff_reports(base, make_report())
    assert _keys(d.new) == [MFA] and d.regressions("low") == []


# --- git:REF --------------------------------------------------------------------------

def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with model/webshop.yaml at two commits (v1, then v2) and a sub folder."""
    root = tmp_path / "repo"
    (root / "model" / "parts").mkdir(parents=True)
    _git(root, "init", "-q")
    (root / "model" / "webshop.yaml").write_text("# v1\n")
    (root / "model" / "parts" / "flows.yaml").write_text("# part v1\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "v1")
    (root / "model" / "webshop.yaml").write_text("# v2\n")
    (root / "model" / "admin.yaml").write_text("# new in v2\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "v2")
    monkeypatch.chdir(root)
    return root


def test_load_git_ref_materialises_the_paths_at_that_commit(repo, tmp_path):
    root = load_git_ref("HEAD~1", ["model"], dest=tmp_path / "out")
    assert (root / "model" / "webshop.yaml").read_text() == "# v1\n"
    assert (root / "model" / "parts" / "flows.yaml").read_text() == "# part v1\n"
    assert not (root / "model" / "admin.yaml").exists()


def test_a_model_file_brings_its_folder_for_includes(repo, tmp_path):
    root = load_git_ref("HEAD~1", ["model/webshop.yaml"], dest=tmp_path / "out")
    assert (root / "model" / "parts" / "flows.yaml").exists()


def test_from_a_sub_folder_paths_are_relative_to_it(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(repo / "model")
    root = load_git_ref("HEAD~1", ["webshop.yaml"], dest=tmp_path / "out")
    assert (root / "webshop.yaml").read_text() == "# v1\n"


def test_paths_missing_at_the_commit_are_skipped(repo, tmp_path):
    root = load_git_ref("HEAD~1", ["threats", "model"], dest=tmp_path / "out")
    assert not (root / "threats").exists() and (root / "model").is_dir()


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "HEAD..main", "HEAD:model", "a b", "main@{now}",
                                 "", "-", "$(id)"])
def test_unsafe_refs_are_refused_before_git_runs(repo, ref):
    with pytest.raises(GitRefError, match="not a git ref"):
        load_git_ref(ref, ["model"])


def test_unknown_ref_and_outside_path(repo, tmp_path):
    with pytest.raises(GitRefError, match="no such commit"):
        load_git_ref("no-such-branch", ["model"], dest=tmp_path / "a")
    with pytest.raises(GitRefError, match="outside the repository"):
        load_git_ref("HEAD", [str(tmp_path)], dest=tmp_path / "b")


def test_not_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(GitRefError, match="not inside a git repository"):
        load_git_ref("HEAD", ["model"])


def _fake_analyze(paths, today, catalog, catalog_dirs):
    """Stands in for analysis.analyze: v1 of the model lacks the TLS finding."""
    folder = Path(paths[0])
    model = folder / "webshop.yaml"
    base = "v1" in model.read_text()
    report = make_report(drop=[TLS] if base else [])
    where = str(model) if base else "model/webshop.yaml"  # git side lives in a temp folder
    systems = tuple(dataclasses.replace(s, file=where, findings=tuple(
        dataclasses.replace(f, source=dataclasses.replace(f.source, file=where)) for f in s.findings))
        for s in report.systems)
    return dataclasses.replace(report, systems=systems)


def test_run_compares_a_git_ref_with_the_working_tree(repo, monkeypatch):
    monkeypatch.setattr(diffing, "_analyze", _fake_analyze)
    text, code = run("git:HEAD~1", "model", fmt="json", fail_on="high", today=dt.date(2026, 6, 1))
    doc = json.loads(text)
    assert [f["control"] for f in doc["new"]] == ["transport.tls-only"] and code == 1
    assert doc["resolved"] == [] and doc["changed"] == []
    text, code = run("git:HEAD~1", "model", fmt="markdown", fail_on="none")
    assert code == 0 and "### New findings (1)" in text
    _, code = run("git:HEAD~1", "model", fmt="text", fail_on=None)
    assert code == 0


def test_run_rewrites_temp_paths_back_to_model_paths(repo, monkeypatch):
    monkeypatch.setattr(diffing, "_analyze", _fake_analyze)
    text, _ = run("model", "git:HEAD~1", fmt="json", fail_on=None)  # reversed: TLS resolved
    doc = json.loads(text)
    assert doc["resolved"][0]["file"] == "model/webshop.yaml"
    assert all(f["file"] == "model/webshop.yaml" for f in doc["resolved"])


def test_run_with_a_model_missing_at_the_base_reports_everything_new(repo, monkeypatch):
    monkeypatch.setattr(diffing, "_analyze", _fake_analyze)
    text, code = run("git:HEAD~1", "model", fmt="json", fail_on="critical", paths=["other"])
    assert code == 1  # base has no "other": every head finding is new, one is critical
    doc = json.loads(text)
    assert len(doc["new"]) == len(make_report().findings)


def test_unknown_format():
    with pytest.raises(Exception, match="unknown diff format"):
        run("a", "b", fmt="html")
