"""The CLI as users meet it: help, version, exit codes, formats, explain, init, schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "model"
from threatplan.cli import FORMATS, build_parser, main
from threatplan.writers import WRITERS

COMMANDS = ["validate", "check", "build", "serve", "explain", "diff", "schema", "init", "import", "new-control"]


def test_version(run_cli):
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("threatplan ")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: threatplan " + command in capsys.readouterr().out


def test_every_format_is_wired_to_a_writer():
    assert set(FORMATS) == set(WRITERS)
    for name in FORMATS:
        assert callable(WRITERS[name])


def test_validate_examples(run_cli):
    proc = run_cli("validate", "model/")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: 3 systems")


def test_check_json_matches_the_spec(run_cli):
    proc = run_cli("check", "model/", "--format", "json")
    assert proc.returncode == 1, proc.stderr  # the examples have open high findings
    data = json.loads(proc.stdout)
    ids = [s["id"] for s in data["systems"]]
    assert ids == sorted(ids) and len(ids) == 3
    for system in data["systems"]:
        assert isinstance(system["score"], float)
        for f in system["findings"]:
            assert {"control", "element", "system", "score", "severity", "status", "file", "line"} <= set(f)
            assert f["system"] == system["id"]
            assert f["status"] in ("open", "accepted", "expired-acceptance")
            assert f["severity"] in ("critical", "high", "medium", "low")
            assert f["file"].startswith("model/") and f["line"] >= 1
            assert f["applies_because"] and f["fails_because"] and f["formula"]
            assert [x["name"] for x in f["score_factors"]] == ["likelihood", "impact", "severity"]
        assert system["score"] == max((f["score"] for f in system["findings"]
                                       if f["status"] != "accepted"), default=0.0)


def _element_starts(path):
    """(line, col) where each component/flow mapping starts, read with plain PyYAML."""
    root = yaml.compose((ROOT / path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    starts = {}
    for key, value in root.value:
        if key.value in ("components", "flows"):
            for item in value.value:
                fields = {k.value: v.value for k, v in item.value if isinstance(v, yaml.ScalarNode)}
                ident = fields.get("id") or f"{fields['from']}->{fields['to']}"
                starts[ident] = (item.start_mark.line + 1, item.start_mark.column + 1)
        if key.value == "system":
            starts["system"] = (value.start_mark.line + 1, value.start_mark.column + 1)
    return starts


def test_finding_lines_point_at_the_element(run_cli):
    data = json.loads(run_cli("check", "model/", "--format", "json").stdout)
    for system in data["systems"]:
        starts = _element_starts(system["file"])
        for f in system["findings"]:
            key = "system" if f["element_type"] == "system" else f["element"]
            assert (f["line"], f["column"]) == starts[key], f

@pytest.mark.parametrize("fail_on,code", [("critical", 0), ("high", 1), ("low", 1), ("none", 0)])
def test_fail_on_threshold(run_cli, fail_on, code):
    # Before 2026-06-30 the webshop's acceptances are all still valid.
    proc = run_cli("check", "model/webshop.yaml", "--format", "json", "--fail-on", fail_on,
                   env={"THREATPLAN_TODAY": "2026-06-15"})
    findings = [f for s in json.loads(proc.stdout)["systems"] for f in s["findings"]]
    assert "expired-acceptance" not in {f["status"] for f in findings}
    assert max(f["score"] for f in findings if f["status"] != "accepted") < 9.0  # no critical
    assert proc.returncode == code


def test_expired_acceptance_fails_whatever_the_threshold(run_cli):
    proc = run_cli("check", "model/webshop.yaml", "--format", "json", "--fail-on", "critical")
    expired = [f for s in json.loads(proc.stdout)["systems"] for f in s["findings"]
               if f["status"] == "expired-acceptance"]
    assert expired and all(f["severity"] != "critical" for f in expired)
    assert proc.returncode == 1
    assert "expired on 2026-06-30; the finding is open again" in proc.stderr


def test_check_is_deterministic(run_cli):
    a = run_cli("check", "model/", "--format", "json").stdout
    b = run_cli("check", "model/", "--format", "json").stdout
    assert a == b


def test_text_report_explains_and_plans(run_cli):
    proc = run_cli("check", "model/webshop.yaml")
    out = proc.stdout
    assert "Fix first" in out and "applies:" in out and "fails:" in out and "score: 10 x S" in out
    assert "\033[" not in out  # NO_COLOR and not a terminal


def test_bad_input_exits_2_without_traceback(run_cli):
    proc = run_cli("check", "tests/broken/bad-enum.yaml")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("tests/broken/bad-enum.yaml:5:12: zones[0].trust:")


def test_explain_prints_every_section(run_cli):
    proc = run_cli("explain", "auth.rate-limit")
    assert proc.returncode == 0
    for heading in ("Threat", "Why it matters", "How to verify", "Applies when", "it exposes login or token-issuer",
                    "How to fix", "References", "CWE-307"):
        assert heading in proc.stdout


def test_explain_unknown_control_suggests(run_cli):
    proc = run_cli("explain", "auth.rate-limt")
    assert proc.returncode == 2
    assert "did you mean 'auth.rate-limit'?" in proc.stderr


def test_schema_is_committed_and_current(run_cli):
    proc = run_cli("schema")
    assert proc.returncode == 0
    committed = (ROOT / "schema" / "threatplan-model.schema.json").read_text(encoding="utf-8")
    assert proc.stdout == committed, "run: make schema"
    jsonschema.Draft202012Validator.check_schema(json.loads(proc.stdout))


def test_init_scaffolds_a_valid_repository(run_cli, tmp_path):
    proc = run_cli("init", str(tmp_path / "repo"))
    assert proc.returncode == 0, proc.stderr
    repo = tmp_path / "repo"
    assert run_cli("validate", "model/", cwd=repo).returncode == 0
    assert run_cli("check", "model/", "--fail-on", "none", cwd=repo).returncode == 0
    schema = json.loads((repo / "schema" / "threatplan-model.schema.json").read_text())
    doc = yaml.safe_load((repo / "model" / "my-service.yaml").read_text())
    doc["system"]["reviewed"] = doc["system"]["reviewed"].isoformat()
    jsonschema.validate(doc, schema)
    again = run_cli("init", str(repo))
    assert again.returncode == 2 and "already has a model repository" in again.stderr


def test_new_control_is_used_without_code(run_cli, tmp_path):
    proc = run_cli("new-control", "team.audit-log", "--dir", str(tmp_path / "threats"))
    assert proc.returncode == 0, proc.stderr
    explained = run_cli("explain", "team.audit-log", "--threats", str(tmp_path / "threats"))
    assert explained.returncode == 0, explained.stderr
    data = json.loads(run_cli("check", "model/webshop.yaml", "--format", "json", "--threats",
                              str(tmp_path / "threats")).stdout)
    assert any(f["control"] == "team.audit-log" for s in data["systems"] for f in s["findings"])


def test_parser_lists_all_commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)


def test_model_folder_default(run_cli):
    assert MODEL.is_dir()
    proc = run_cli("validate")
    assert proc.returncode == 0


def test_explain_lists_every_control(run_cli):
    proc = run_cli("explain", "--list")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert len(lines) == 35 and lines[0].startswith("access.group-permissions")


def test_internal_error_exits_2_without_traceback(monkeypatch, capsys):
    import threatplan.cli as cli

    def boom(args):
        raise RuntimeError("simulated bug")

    monkeypatch.setitem(cli._COMMANDS, "validate", boom)
    monkeypatch.delenv("THREATPLAN_DEBUG", raising=False)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("threatplan: internal error: RuntimeError: simulated bug")
    assert "Traceback" not in err
