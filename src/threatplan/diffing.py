"""Drift between two reports (`threatplan diff BASE HEAD`).

A finding is identified by (system, control, element) across versions. Against the base,
a head finding is *new* (its key is unknown there), *changed* (same key, different score
or status) or unchanged; a base finding whose key is gone is *resolved*. Elements are
compared the same way. `git:REF` materialises the model paths at another commit with
`git archive`, so a pull request can be compared with its target branch.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from threatplan.errors import ThreatplanError
from threatplan.results import FAILING_STATUSES, SEVERITY_ORDER, Finding, Report, SystemResult

__all__ = [
    "ElementRef", "FindingChange", "DiffResult", "GitRefError", "diff_reports",
    "render_text", "render_json", "render_markdown", "RENDERERS", "load_git_ref", "run",
]

FAILING = FAILING_STATUSES
_REF_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/@{}~^+-]{0,254}$")


class GitRefError(ThreatplanError):
    """A `git:REF` could not be read (not a repository, unknown ref, bad path)."""


@dataclass(frozen=True, order=True)
class ElementRef:
    """A component, flow or system in one version of the model."""

    system: str
    type: str
    """`component`, `flow` or `system`."""
    id: str

    def to_json(self) -> dict:
        """The element as JSON."""
        return {"system": self.system, "type": self.type, "element": self.id}


@dataclass(frozen=True)
class FindingChange:
    """The same finding in both versions with a different score or status."""

    before: Finding
    after: Finding
    fields: tuple[str, ...]
    """What changed: `score`, `severity`, `status`."""

    def to_json(self) -> dict:
        """The change as JSON: identity, before/after values and the head finding."""
        keep = ("score", "severity", "status")
        return {
            "control": self.after.control, "element": self.after.element,
            "system": self.after.system, "changes": list(self.fields),
            "before": {k: getattr(self.before, k) for k in keep},
            "after": {k: getattr(self.after, k) for k in keep},
            "finding": self.after.to_json(),
        }


@dataclass(frozen=True)
class DiffResult:
    """Everything that differs between a base and a head report."""

    base: str
    head: str
    new: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    changed: tuple[FindingChange, ...]
    added_elements: tuple[ElementRef, ...]
    removed_elements: tuple[ElementRef, ...]
    added_systems: tuple[str, ...]
    removed_systems: tuple[str, ...]
    notices: tuple[str, ...] = ()
    """Warnings from the head report (expired and soon-expiring acceptances among them)."""

    def regressions(self, fail_on: str | None) -> list[Finding]:
        """Head findings that newly fail at or above `fail_on`.

        A new finding that is open (or whose acceptance expired), or a known one that now
        fails and did not before at that level (its acceptance ran out, its score rose).
        """
        if not fail_on or fail_on == "none":
            return []
        bar = SEVERITY_ORDER[fail_on]

        def fails(f: Finding) -> bool:
            return f.status in FAILING and SEVERITY_ORDER.get(f.severity, 0) >= bar

        out = [f for f in self.new if fails(f)]
        out += [c.after for c in self.changed if fails(c.after) and not fails(c.before)]
        return _sorted(out)

    def to_json(self) -> dict:
        """The diff as JSON: {"new": [...], "resolved": [...], "changed": [...], ...}."""
        return {
            "base": self.base, "head": self.head,
            "new": [f.to_json() for f in self.new],
            "resolved": [f.to_json() for f in self.resolved],
            "changed": [c.to_json() for c in self.changed],
            "added_elements": [e.to_json() for e in self.added_elements],
            "removed_elements": [e.to_json() for e in self.removed_elements],
            "added_systems": list(self.added_systems),
            "removed_systems": list(self.removed_systems),
            "summary": {"new": len(self.new), "resolved": len(self.resolved),
                        "changed": len(self.changed), "added_elements": len(self.added_elements),
                        "removed_elements": len(self.removed_elements)},
            "warnings": list(self.notices),
        }


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.score, f.system, f.control, f.element))


def _elements(system: SystemResult) -> set[ElementRef]:
    """Every component and flow of a system (from the loaded model when present)."""
    refs = {ElementRef(system.id, "system", system.id)}
    model = getattr(system.loaded, "model", None)
    if model is not None:
        refs |= {ElementRef(system.id, "component", c.id) for c in model.components}
        refs |= {ElementRef(system.id, "flow", f.key) for f in model.flows}
    refs |= {ElementRef(system.id, c.element_type, c.element) for c in system.checks}
    refs |= {ElementRef(system.id, f.element_type, f.element) for f in system.findings}
    return refs


def diff_reports(base: Report, head: Report, *, base_label: str = "base",
                 head_label: str = "head") -> DiffResult:
    """New, resolved and changed findings and added/removed elements from base to head."""
    from threatplan.writers._common import all_notices

    before = {f.key: f for f in base.findings}
    after = {f.key: f for f in head.findings}
    changed = []
    for key in sorted(before.keys() & after.keys()):
        b, a = before[key], after[key]
        fields = tuple(name for name in ("score", "severity", "status")
                       if getattr(b, name) != getattr(a, name))
        if fields:
            changed.append(FindingChange(b, a, fields))
    changed.sort(key=lambda c: (-c.after.score, c.after.system, c.after.control, c.after.element))
    old_el = set().union(*(_elements(s) for s in base.systems)) if base.systems else set()
    new_el = set().union(*(_elements(s) for s in head.systems)) if head.systems else set()
    old_sys, new_sys = {s.id for s in base.systems}, {s.id for s in head.systems}
    return DiffResult(
        base=base_label, head=head_label,
        new=tuple(_sorted(after[k] for k in after.keys() - before.keys())),
        resolved=tuple(_sorted(before[k] for k in before.keys() - after.keys())),
        changed=tuple(changed),
        added_elements=tuple(sorted(new_el - old_el)),
        removed_elements=tuple(sorted(old_el - new_el)),
        added_systems=tuple(sorted(new_sys - old_sys)),
        removed_systems=tuple(sorted(old_sys - new_sys)),
        notices=tuple(all_notices(head)),
    )


# --- renderers -------------------------------------------------------------------------

def _summary(d: DiffResult) -> str:
    return (f"{len(d.new)} new, {len(d.resolved)} resolved, {len(d.changed)} changed finding"
            f"{'s' if len(d.changed) != 1 else ''}; {len(d.added_elements)} element"
            f"{'s' if len(d.added_elements) != 1 else ''} added, {len(d.removed_elements)} removed")


def _line(f: Finding) -> str:
    return (f"{f.severity:<8} {f.score:4.1f}  {f.control}  {f.system}/{f.element}  "
            f"{f.source.file}:{f.source.line}  [{f.status}]")


def _change(c: FindingChange) -> str:
    parts = [f"{name} {getattr(c.before, name)} -> {getattr(c.after, name)}" for name in c.fields]
    return f"{c.after.control}  {c.after.system}/{c.after.element}: {'; '.join(parts)}"


def render_text(d: DiffResult) -> str:
    """The diff for a terminal."""
    out = [f"threatplan diff: {d.base} -> {d.head}", f"  {_summary(d)}"]
    sections = [
        ("New findings", [f"  + {_line(f)}" for f in d.new]),
        ("Resolved findings", [f"  - {_line(f)}" for f in d.resolved]),
        ("Changed findings", [f"  ~ {_change(c)}" for c in d.changed]),
        ("Added systems", [f"  + {s}" for s in d.added_systems]),
        ("Removed systems", [f"  - {s}" for s in d.removed_systems]),
        ("Added elements", [f"  + {e.type} {e.system}/{e.id}" for e in d.added_elements]),
        ("Removed elements", [f"  - {e.type} {e.system}/{e.id}" for e in d.removed_elements]),
        ("Warnings", [f"  ! {n}" for n in d.notices]),
    ]
    for title, lines in sections:
        if lines:
            out += ["", f"{title}:"] + lines
    return "\n".join(out) + "\n"


def render_json(d: DiffResult) -> str:
    """The diff as JSON text."""
    return json.dumps(d.to_json(), indent=2, ensure_ascii=False, default=str) + "\n"


def _cell(text: object) -> str:
    from threatplan.writers.markdown import cell
    return cell(text)


def _md_table(findings: Sequence[Finding]) -> list[str]:
    lines = ["| severity | score | control | element | where | status |",
             "|---|---:|---|---|---|---|"]
    lines += [f"| {f.severity} | {f.score:.1f} | `{f.control}` {_cell(f.title)} | "
              f"{_cell(f.system)}/`{f.element.replace('|', chr(92) + '|')}` | "
              f"`{_cell(f.source.file)}:{f.source.line}` | {f.status} |" for f in findings]
    return lines


def render_markdown(d: DiffResult) -> str:
    """The diff as a pull-request comment."""
    out = [f"## threatplan drift: `{_cell(d.base)}` → `{_cell(d.head)}`", "", f"**{_summary(d)}**"]
    if d.notices:
        out += ["", "> [!WARNING]"] + [f"> - {_cell(n)}" for n in d.notices]
    if d.new:
        out += ["", f"### New findings ({len(d.new)})", ""] + _md_table(d.new)
    if d.resolved:
        out += ["", f"### Resolved findings ({len(d.resolved)})", ""] + _md_table(d.resolved)
    if d.changed:
        out += ["", f"### Changed findings ({len(d.changed)})", "",
                "| control | element | change |", "|---|---|---|"]
        out += [f"| `{c.after.control}` | {_cell(c.after.system)}/`{c.after.element}` | "
                + "; ".join(f"{n}: {_cell(getattr(c.before, n))} → {_cell(getattr(c.after, n))}"
                            for n in c.fields) + " |" for c in d.changed]
    elements = [("added", "➕", e) for e in d.added_elements] + \
               [("removed", "➖", e) for e in d.removed_elements]
    systems = [f"- ➕ system `{s}`" for s in d.added_systems] + \
              [f"- ➖ system `{s}`" for s in d.removed_systems]
    if elements or systems:
        out += ["", "### Model changes", ""] + systems
        out += [f"- {icon} {e.type} `{e.system}/{e.id}` {what}" for what, icon, e in elements]
    if not (d.new or d.resolved or d.changed or elements or systems):
        out += ["", "No drift: findings and elements are the same. ✅"]
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
"""Diff output format -> renderer."""


# --- git:REF ---------------------------------------------------------------------------

def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:  # git missing
        raise GitRefError(f"cannot run git: {exc}") from exc


def _check_ref(ref: str) -> None:
    """Refuse anything but a plain revision: no ranges, options, paths or odd reflog forms."""
    braces = re.sub(r"@\{(?:u|upstream|[0-9]+)\}", "", ref)
    if not _REF_RE.match(ref) or ".." in ref or "{" in braces or "}" in braces:
        raise GitRefError(f"'{ref}' is not a git ref threatplan accepts (a branch, tag, commit "
                          "or REF~N; no ranges or options)")


def load_git_ref(ref: str, paths: Iterable[str | Path], dest: Path | None = None) -> Path:
    """Materialise `paths` (as named from the working folder) at commit `ref` into a folder.

    Returns the folder that stands for the working folder at that commit, so that
    `result / path` is `path` as it was at `ref`. Paths missing at `ref` are skipped.
    Model files bring their whole folder along, since includes are relative to it.
    The caller removes `dest` (a new temporary folder when not given).
    """
    _check_ref(ref)
    cwd = Path.cwd().resolve()
    top_run = _git(["rev-parse", "--show-toplevel"], cwd)
    if top_run.returncode != 0:
        raise GitRefError(f"git:{ref}: {cwd} is not inside a git repository")
    top = Path(top_run.stdout.decode().strip()).resolve()
    sha_run = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    if sha_run.returncode != 0:
        raise GitRefError(f"git:{ref}: no such commit, branch or tag")
    sha = sha_run.stdout.decode().strip()

    specs = []
    for raw in paths:
        path = (cwd / Path(raw)).resolve()
        try:
            rel = path.relative_to(top)
        except ValueError:
            raise GitRefError(f"git:{ref}: {raw} is outside the repository {top}") from None
        if path.is_file() or (not path.exists() and path.suffix in (".yaml", ".yml")):
            rel = rel.parent
        spec = rel.as_posix()
        if spec != "." and _git(["cat-file", "-e", f"{sha}:{spec}"], top).returncode != 0:
            continue  # not there at that commit: the base simply has no such model
        specs.append(spec)

    root = Path(dest) if dest is not None else Path(tempfile.mkdtemp(prefix="threatplan-git-"))
    root.mkdir(parents=True, exist_ok=True)
    if specs:
        archive = _git(["archive", "--format=tar", sha, "--", *sorted(set(specs))], top)
        if archive.returncode != 0:
            raise GitRefError(f"git:{ref}: git archive failed: {archive.stderr.decode(errors='replace').strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(root, filter="data")  # no absolute paths, links out or devices
    return root / cwd.relative_to(top)


# --- the `diff` command --------------------------------------------------------------

def _rebase_file(file: str, root: Path) -> str:
    path = Path(file)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file


def _rebase(report: Report, root: Path) -> Report:
    """The report with file names as they read in the working folder, not the temp copy."""
    def finding(f: Finding) -> Finding:
        acceptance = f.acceptance
        if acceptance and acceptance.get("file"):
            acceptance = {**acceptance, "file": _rebase_file(str(acceptance["file"]), root)}
        source = dataclasses.replace(f.source, file=_rebase_file(f.source.file, root))
        return dataclasses.replace(f, source=source, acceptance=acceptance)

    systems = tuple(dataclasses.replace(s, file=_rebase_file(s.file, root),
                                        findings=tuple(finding(f) for f in s.findings))
                    for s in report.systems)
    return dataclasses.replace(report, systems=systems)


def _analyze(paths: list, today, catalog, catalog_dirs) -> Report:
    from threatplan.analysis import analyze
    options = {"today": today}
    if catalog is not None:
        options["catalog"] = catalog
    elif catalog_dirs:
        options["catalog_dirs"] = catalog_dirs
    return analyze(paths, **options)


def _side(spec: str, paths: Sequence[str], workdir: Path, today, catalog, catalog_dirs) -> Report:
    if not spec.startswith("git:"):
        return _analyze([spec], today, catalog, catalog_dirs)
    root = load_git_ref(spec[4:], paths, dest=workdir)
    present = [str(root / p) for p in paths if (root / p).exists()]
    if not present:  # the model did not exist yet at that commit
        import datetime as _dt
        return Report(systems=(), today=today or _dt.date.today(), catalog=catalog)
    return _rebase(_analyze(present, today, catalog, catalog_dirs), root)


def run(base: str, head: str, *, fmt: str = "text", fail_on: str | None = None, today=None,
        catalog=None, paths: Sequence[str] = ("model",), catalog_dirs: Sequence[str] = ()) -> tuple[str, int]:
    """`threatplan diff BASE HEAD`: (output text, exit code 0 or 1).

    BASE and HEAD are model paths or `git:REF`; with `git:REF`, `paths` are read at that
    commit. Exit code 1 when a finding newly fails at or above `fail_on`. Input errors
    raise (InputError, GitRefError) for the CLI to report with exit code 2.
    """
    if fmt not in RENDERERS:
        raise ThreatplanError(f"unknown diff format {fmt!r}; known: {', '.join(RENDERERS)}")
    paths = list(paths) or ["model"]
    workdir = Path(tempfile.mkdtemp(prefix="threatplan-diff-"))
    try:
        before = _side(base, paths, workdir / "base", today, catalog, catalog_dirs)
        after = _side(head, paths, workdir / "head", today, catalog, catalog_dirs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result = diff_reports(before, after, base_label=base, head_label=head)
    return RENDERERS[fmt](result), (1 if result.regressions(fail_on) else 0)
