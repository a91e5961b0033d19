"""The `threatplan` command line: the only place that prints and picks exit codes.

Exit codes: 0 success (no open finding at or above --fail-on), 1 findings at or above
--fail-on (or a new one, for `diff`), 2 bad input or internal error.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
from pathlib import Path

from threatplan import __version__
from threatplan.errors import Diagnostic, InputError, ThreatplanError

__all__ = ["main"]

FORMATS = ("text", "json", "sarif", "junit", "markdown")
SEVERITIES = ("low", "medium", "high", "critical", "none")


def _today(value: str | None) -> _dt.date:
    raw = value or os.environ.get("THREATPLAN_TODAY")
    if not raw:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError([Diagnostic("--today", 0, 0, "today", f"'{raw}' is not a date; write YYYY-MM-DD")])


def _color(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _paths(args) -> list[str]:
    return args.paths or ["model"]


def _common(p: argparse.ArgumentParser, paths: bool = True) -> None:
    if paths:
        p.add_argument("paths", nargs="*", metavar="PATHS",
                       help="model files or folders (default: model/)")
    p.add_argument("--threats", action="append", default=[], metavar="DIR",
                   help="a folder of extra control records (default: ./threats if present); repeatable")
    p.add_argument("--today", metavar="YYYY-MM-DD",
                   help="pin today's date for date rules (or set THREATPLAN_TODAY)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="threatplan",
        description="Threat modeling as code: validate YAML system models, find control gaps, "
                    "rank them by risk, plan the fixes and publish a knowledge-base site.")
    parser.add_argument("--version", action="version", version=f"threatplan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="load and check models only (exit 0 or 2)",
                       description="Load and check model files: every problem as FILE:LINE:COL: field: message.")
    _common(p)

    p = sub.add_parser("check", help="analyze models and report findings",
                       description="Analyze models against the control catalog and report ranked findings.")
    _common(p)
    p.add_argument("--format", "-f", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--fail-on", choices=SEVERITIES, default="high",
                   help="exit 1 when an open finding is at or above this severity, or any acceptance has "
                        "expired (default: high; none never fails)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--site-url", metavar="URL", default=os.environ.get("THREATPLAN_SITE_URL"),
                   help="published site URL, for links in SARIF and Markdown (or THREATPLAN_SITE_URL)")

    p = sub.add_parser("build", help="generate pages and build the site",
                       description="Write generated pages under the docs folder's generated/ subtree "
                                   "and run mkdocs build --strict.")
    _common(p)
    p.add_argument("--out", default="site", metavar="DIR", help="output folder (default: site/)")

    p = sub.add_parser("serve", help="live preview that rebuilds when model YAML changes")
    _common(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)

    p = sub.add_parser("explain", help="print a control's knowledge-base entry",
                       description="Print a control's knowledge-base entry; with no id (or --list), list them all.")
    p.add_argument("control", metavar="CONTROL_ID", nargs="?")
    p.add_argument("--list", action="store_true", help="list every control id with its title")
    _common(p, paths=False)

    p = sub.add_parser("diff", help="compare findings between two model versions",
                       description="BASE and HEAD are model paths or git:REF (the same paths at another commit).")
    p.add_argument("base", metavar="BASE")
    p.add_argument("head", metavar="HEAD")
    p.add_argument("--paths", dest="diff_paths", action="append", default=[], metavar="PATH",
                   help="with git:REF, which model paths to read at that commit (default: model/)")
    p.add_argument("--format", "-f", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--fail-on", choices=SEVERITIES, default="none",
                   help="exit 1 when a new finding is at or above this severity (default: none)")
    _common(p, paths=False)

    p = sub.add_parser("schema", help="print the JSON Schema of the model format")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")

    p = sub.add_parser("init", help="scaffold a model repository with one example system")
    p.add_argument("directory", nargs="?", default=".", help="where to create it (default: here)")

    p = sub.add_parser("import", help="convert another tool's model into threatplan format")
    p.add_argument("tool", choices=("threagile",), help="the source format")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")

    p = sub.add_parser("new-control", help="scaffold a new control record in a threats/ folder")
    p.add_argument("control", metavar="CONTROL_ID", help="e.g. myteam.audit-logging")
    p.add_argument("--dir", default="threats", help="catalog folder (default: threats/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return _COMMANDS[args.command](args)
    except InputError as exc:
        for d in exc.diagnostics:
            print(_styled(d.render(), sys.stderr), file=sys.stderr)
        n = len(exc.diagnostics)
        print(f"{n} error{'s' if n != 1 else ''}", file=sys.stderr)
        return 2
    except ThreatplanError as exc:
        print(f"threatplan: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug of ours: exit 2 with one line, not a traceback
        if os.environ.get("THREATPLAN_DEBUG"):
            raise
        print(f"threatplan: internal error: {type(exc).__name__}: {exc} "
              "(rerun with THREATPLAN_DEBUG=1 for the traceback and report it)", file=sys.stderr)
        return 2


def _styled(text: str, stream) -> str:
    if not _color(stream):
        return text
    head, _, rest = text.partition(": ")
    return f"\033[1m{head}\033[0m: \033[31m{rest}\033[0m"


def _catalog(args):
    from threatplan.catalog import load_catalog
    dirs = list(args.threats)
    if not dirs and Path("threats").is_dir() and not _is_builtin(Path("threats")):
        dirs = ["threats"]
    return load_catalog(dirs)


def _is_builtin(path: Path) -> bool:
    from threatplan.catalog import BUILTIN_DIR
    try:
        return path.resolve() == BUILTIN_DIR.resolve()
    except OSError:
        return False


def _warn(diags) -> None:
    for d in diags:
        print(_styled(d.render() if isinstance(d, Diagnostic) else f"warning: {d}", sys.stderr), file=sys.stderr)


def cmd_validate(args) -> int:
    from threatplan.loading import load_paths
    catalog = _catalog(args)
    systems, warnings = load_paths(_paths(args), known_controls=catalog.known_ids())
    _warn(warnings)
    n = sum(len(s.model.components) + len(s.model.flows) for s in systems)
    files = sum(len(s.files) for s in systems)
    print(f"ok: {len(systems)} system{'s' if len(systems) != 1 else ''}, {n} elements, "
          f"{files} file{'s' if files != 1 else ''}")
    return 0


def _analyze(args):
    from threatplan.analysis import analyze
    catalog = _catalog(args)
    return analyze(_paths(args), today=_today(args.today), catalog=catalog)


def cmd_check(args) -> int:
    from threatplan.results import FAILING_STATUSES, SEVERITY_ORDER
    from threatplan.writers import render
    report = _analyze(args)
    text = render(args.format, report, site_url=args.site_url, color=_color(sys.stdout) and not args.output)
    _emit(text, args.output)
    if args.format != "text":
        _warn(report.warnings)
    if args.fail_on == "none":
        return 0
    bar = SEVERITY_ORDER[args.fail_on]
    failing = [f for f in report.findings
               if (f.status in FAILING_STATUSES and SEVERITY_ORDER[f.severity] >= bar)
               or f.status == "expired-acceptance"]  # an expired acceptance fails whatever its score
    return 1 if failing else 0


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_build(args) -> int:
    from threatplan.site.build import build_site
    report = _analyze(args)
    _warn(report.warnings)
    out = Path(args.out)
    build_site(report, out=out, workdir=Path.cwd())
    print(f"site built in {out}/")
    return 0


def cmd_serve(args) -> int:
    from threatplan.analysis import analyze
    from threatplan.site.serve import serve
    today = _today(args.today)

    def analyze_fn():
        return analyze(_paths(args), today=today, catalog=_catalog(args))

    serve(_paths(args), workdir=Path.cwd(), host=args.host, port=args.port, analyze_fn=analyze_fn)
    return 0


def cmd_explain(args) -> int:
    from threatplan.writers.text import explain
    catalog = _catalog(args)
    if args.list or not args.control:
        for rec in catalog:
            print(f"{rec.id:40} {rec.severity_name:8} {rec.title}")
        return 0
    record = catalog.resolve(args.control)
    if record is None:
        from threatplan.errors import did_you_mean
        hint = did_you_mean(args.control, catalog.known_ids())
        raise ThreatplanError(f"unknown control id '{args.control}'" + (f" ({hint})" if hint else "")
                              + "; list them with: threatplan explain --list")
    sys.stdout.write(explain(record, color=_color(sys.stdout)))
    return 0


def cmd_diff(args) -> int:
    from threatplan.diffing import run
    catalog = _catalog(args)
    text, code = run(args.base, args.head, fmt=args.format, fail_on=args.fail_on,
                     today=_today(args.today), catalog=catalog, paths=args.diff_paths or ["model"])
    _emit(text, None)
    return code


def cmd_schema(args) -> int:
    from threatplan.schema import json_schema
    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    _emit(text, args.output)
    return 0


def cmd_init(args) -> int:
    from threatplan.scaffold import init_repository
    created = init_repository(Path(args.directory))
    for path in created:
        print(f"created {path}")
    print("next: threatplan validate model/ && threatplan check model/")
    return 0


def cmd_import(args) -> int:
    from threatplan.importers.threagile import convert
    text, unmapped = convert(Path(args.file))
    _emit(text, args.output)
    for line in unmapped:
        print(f"not mapped: {line}", file=sys.stderr)
    return 0


def cmd_new_control(args) -> int:
    from threatplan.scaffold import new_control
    path = new_control(args.control, Path(args.dir))
    print(f"created {path}; edit it, then: threatplan explain {args.control}")
    return 0


_COMMANDS = {
    "validate": cmd_validate, "check": cmd_check, "build": cmd_build, "serve": cmd_serve,
    "explain": cmd_explain, "diff": cmd_diff, "schema": cmd_schema, "init": cmd_init,
    "import": cmd_import, "new-control": cmd_new_control,
}
