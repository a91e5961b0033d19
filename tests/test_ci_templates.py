"""The CI templates under ci/ and .pre-commit-hooks.yaml are valid YAML and call real commands.

Every `threatplan ...` command line in them is parsed with the real argument parser, so a
renamed subcommand or flag fails here before it fails in a user's pipeline.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from threatplan.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "ci" / "github" / "threatplan.yml"
GITLAB = ROOT / "ci" / "gitlab" / "threatplan.gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _commands(script: str) -> list[list[str]]:
    """The threatplan invocations in a shell snippet, as argument lists after `threatplan`."""
    out = []
    script = script.replace("\\\n", " ")
    for line in script.splitlines():
        for part in re.split(r"&&|\|\||;|(?<!\|)\|(?!\|)", line):
            words = shlex.split(part, comments=True)
            if words and words[0] == "threatplan":
                args = []
                for w in words[1:]:
                    if w.startswith(">") or w.startswith("<") or w in ("2>&1",):
                        break
                    args.append(w)
                out.append(args)
    return out


def _github_scripts() -> list[str]:
    doc = _load(GITHUB)
    return [step["run"] for job in doc["jobs"].values() for step in job.get("steps", []) if "run" in step]


def _gitlab_scripts() -> list[str]:
    doc = _load(GITLAB)
    lines = list(doc.get("default", {}).get("before_script", []))
    for name, job in doc.items():
        if isinstance(job, dict) and "script" in job:
            lines += job["script"]
    return lines


def _hook_commands() -> list[list[str]]:
    out = []
    for hook in _load(HOOKS):
        args = shlex.split(hook["entry"])[1:]
        if hook.get("pass_filenames", True):
            args.append("model/webshop.yaml")  # pre-commit appends the changed files
        out.append(args)
    return out


ALL = ([(GITHUB.name, c) for s in _github_scripts() for c in _commands(s)]
       + [(GITLAB.name, c) for s in _gitlab_scripts() for c in _commands(s)]
       + [(HOOKS.name, c) for c in _hook_commands()])


@pytest.mark.parametrize("path", [GITHUB, GITLAB, HOOKS], ids=lambda p: p.name)
def test_valid_yaml(path):
    assert _load(path)


def test_every_template_calls_threatplan():
    used = {name for name, _ in ALL}
    assert used == {GITHUB.name, GITLAB.name, HOOKS.name}
    assert len(ALL) >= 10


@pytest.mark.parametrize("source,args", ALL, ids=[f"{n}:{' '.join(a)[:60]}" for n, a in ALL])
def test_commands_parse_with_the_real_cli(source, args):
    try:
        parsed = build_parser().parse_args(args)
    except SystemExit as exc:  # argparse error
        pytest.fail(f"{source}: `threatplan {' '.join(args)}` is not a valid command ({exc})")
    assert parsed.command


def test_github_workflow_uploads_sarif_builds_pages_and_comments():
    doc = _load(GITHUB)
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request"} <= set(on)
    jobs = doc["jobs"]
    uses = {step.get("uses", "").split("@")[0]: step for job in jobs.values() for step in job["steps"]}
    sarif_cmd = next(c for s in _github_scripts() for c in _commands(s) if "sarif" in c)
    assert uses["github/codeql-action/upload-sarif"]["with"]["sarif_file"] == \
        sarif_cmd[sarif_cmd.index("--output") + 1]
    assert jobs["check"]["permissions"]["security-events"] == "write"
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    build = next(c for s in _github_scripts() for c in _commands(s) if c[0] == "build")
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == build[build.index("--out") + 1]
    drift = " ".join(_github_scripts())
    assert "--format markdown > threatplan-diff.md" in drift and "gh pr comment" in drift
    assert jobs["drift"]["permissions"]["pull-requests"] == "write"
    assert "${{" not in "".join(s for s in _github_scripts()), "pass expressions via env, not inline"


def test_gitlab_job_reports_junit_and_publishes_pages():
    doc = _load(GITLAB)
    check = doc["threatplan-check"]
    junit = next(c for c in _commands("\n".join(check["script"])) if "junit" in c)
    assert check["artifacts"]["reports"]["junit"] == junit[junit.index("--output") + 1]
    assert check["artifacts"]["when"] == "always"
    pages = doc["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert "threatplan build model/ --out public" in pages["script"]


def test_pre_commit_hooks():
    hooks = {h["id"]: h for h in _load(HOOKS)}
    assert set(hooks) == {"threatplan-validate", "threatplan-validate-all"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["entry"].startswith("threatplan validate")
        assert re.search(hook["files"], "model/webshop.yaml")
    assert hooks["threatplan-validate-all"]["pass_filenames"] is False
