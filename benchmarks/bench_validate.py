"""Time `threatplan validate` and `threatplan check --format json` against baselines.

    python benchmarks/bench_validate.py                  # 50, 1,000 and 10,000 components
    python benchmarks/bench_validate.py --sizes 50,1000 --no-pytm

For each size it generates a deterministic model into benchmarks/out/ and, in the same run,
times as subprocesses (median of 3 runs below 10,000 components, 1 run at 10,000):

* `threatplan validate MODEL` and `threatplan check --format json MODEL`;
* the parsing floor: a Python process that only does `yaml.load(..., CSafeLoader)` on the
  same file (PyYAML's C loader, no positions, no checks);
* OWASP pytm 1.4.0 `--json` on an equivalent pytm model of the same elements and flows, in
  its own virtualenv (benchmarks/out/pytm-venv, created on first use; skipped if pip
  cannot install it);
* in process: `yamlpos.parse_yaml` with the rapidyaml fast path against the PyYAML path.

Peak RSS is the child's own (os.wait4). Results are printed as a table of ratios against the
baselines and written to benchmarks/RESULTS.md with the machine and the command.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PYTM_VERSION = "1.4.0"
TODAY = "2026-11-26"


def run(cmd: list[str], *, cwd: Path = ROOT, ok=(0,)) -> tuple[float, float]:
    """Run cmd; return (wall seconds, peak RSS in MB of that child)."""
    env = {**os.environ, "THREATPLAN_TODAY": TODAY, "NO_COLOR": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise RuntimeError(f"{shlex.join(cmd)} exited {proc.returncode}:\n{stderr.decode(errors='replace')[-2000:]}")
    rss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return wall, rss_mb


def timed(cmd: list[str], repeat: int, **kw) -> tuple[float, float]:
    """Median wall time and the largest peak RSS over `repeat` runs."""
    runs = [run(cmd, **kw) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def pytm_python() -> Path | None:
    """The python of benchmarks/out/pytm-venv with pytm installed, or None."""
    venv = OUT / "pytm-venv"
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    check = [str(py), "-c", f"import importlib.metadata as m; assert m.version('pytm') == '{PYTM_VERSION}'"]
    if py.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return py
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", f"pytm=={PYTM_VERSION}"], check=True,
                       capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"pytm {PYTM_VERSION} could not be installed ({exc}); its column is left empty", file=sys.stderr)
        return None
    return py


def pytm_script(model: dict) -> str:
    """A pytm model with the same zones, components and flows as a threatplan model."""
    classes = {"user": "Actor", "client": "Actor", "external": "ExternalEntity", "gateway": "Server",
               "service": "Server", "function": "Lambda", "datastore": "Datastore", "queue": "Process"}
    lines = ["from pytm import TM, Actor, Boundary, Dataflow, Datastore, ExternalEntity, Lambda, Process, Server",
             f"tm = TM({model['system']['name']!r})", "tm.description = 'benchmark model'",
             "tm.isOrdered = True", "z = {}", "c = {}"]
    for zone in model["zones"]:
        lines.append(f"z[{zone['id']!r}] = Boundary({zone['id']!r})")
    for zone in model["zones"]:
        if zone.get("parent"):
            lines.append(f"z[{zone['id']!r}].inBoundary = z[{zone['parent']!r}]")
    for comp in model["components"]:
        cls = classes.get(comp["kind"], "Server")
        lines.append(f"c[{comp['id']!r}] = {cls}({comp['id']!r}, inBoundary=z[{comp['zone']!r}])")
    for i, flow in enumerate(model["flows"]):
        name = flow.get("id") or f"flow-{i}"
        tls = flow["protocol"] in ("https", "grpcs", "sql-tls")
        lines.append(f"Dataflow(c[{flow['from']!r}], c[{flow['to']!r}], {name!r}, protocol={flow['protocol']!r},"
                     f" isEncrypted={tls})")
    lines.append("tm.process()")
    return "\n".join(lines) + "\n"


def parse_in_process(raw: bytes, file: str) -> tuple[float, float]:
    """Seconds for parse_yaml with the fast path, and with the PyYAML path only."""
    from threatplan import yamlpos

    start = time.perf_counter()
    fast = yamlpos._fast_parse(raw, raw.decode("utf-8"), file)  # parse_yaml uses it from FAST_MIN_BYTES
    t_fast = time.perf_counter() - start
    errors = [] if fast is not None else ["fast path declined"]
    saved, yamlpos._ryml = yamlpos._ryml, None
    try:
        start = time.perf_counter()
        slow, _ = yamlpos.parse_yaml(raw, file)
        t_slow = time.perf_counter() - start
    finally:
        yamlpos._ryml = saved
    assert fast == slow and not errors, "fast path and PyYAML path disagree"
    return t_fast, t_slow


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,1000,10000", help="component counts (default: 50,1000,10000)")
    ap.add_argument("--no-pytm", action="store_true", help="skip the OWASP pytm baseline")
    ap.add_argument("--results", default=str(HERE / "RESULTS.md"), help="where to write the results")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    exe = Path(sys.executable)
    threatplan = [str(exe), "-m", "threatplan"]
    pytm = None if args.no_pytm else pytm_python()
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    rows = []
    for n in sizes:
        model_file = OUT / f"model-{n}.yaml"
        text = generate(n)
        model_file.write_text(text, encoding="utf-8")
        rel = model_file.relative_to(ROOT).as_posix()
        repeat = 1 if n >= 10_000 else 3
        print(f"{n:>6} components, {len(text.encode()):,} bytes ...", file=sys.stderr, flush=True)
        row = {"n": n, "bytes": len(text.encode())}
        row["validate"], row["validate_rss"] = timed([*threatplan, "validate", rel], repeat)
        row["check"], row["check_rss"] = timed([*threatplan, "check", "--format", "json", "--fail-on", "none",
                                                 "--output", str(OUT / f"findings-{n}.json"), rel], repeat)
        floor = f"import yaml; yaml.load(open({rel!r}, 'rb'), Loader=yaml.CSafeLoader)"
        row["yaml"], row["yaml_rss"] = timed([str(exe), "-c", floor], repeat)
        row["parse_fast"], row["parse_pyyaml"] = parse_in_process(text.encode(), rel)
        if pytm is not None:
            script = OUT / f"pytm-{n}.py"
            script.write_text(pytm_script(yaml.load(text, Loader=yaml.CSafeLoader)), encoding="utf-8")
            row["pytm"], row["pytm_rss"] = timed([str(pytm), str(script), "--json", str(OUT / f"pytm-{n}.json")],
                                                 repeat, cwd=OUT)
        rows.append(row)

    report = render(rows, sizes, load1, args)
    print(report)
    Path(args.results).write_text(report, encoding="utf-8")
    print(f"wrote {args.results}", file=sys.stderr)
    return 0


def render(rows: list[dict], sizes: list[int], load1: float, args) -> str:
    def f(x, unit="s"):
        return "—" if x is None else (f"{x:.2f} {unit}" if unit == "s" else f"{x:,.0f} {unit}")

    def ratio(a, b):
        return "—" if a is None or b is None else f"{a / b:.2f}×"

    lines = ["# Benchmark: `threatplan validate` and `check --format json`", "",
             f"Command: `{shlex.join(['python', 'benchmarks/bench_validate.py', *sys.argv[1:]])}` (`make bench`)",
             "", f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
             f"1-min load average at start {load1:.2f}. Wall times: median of 3 runs "
             "(1 run at 10,000 components); RSS: the child's peak.", "",
             "Baselines measured in the same run: **yaml.load** = a Python process doing only "
             "`yaml.load(file, CSafeLoader)` (PyYAML's C loader: the parsing floor, no positions or checks); "
             f"**pytm** = OWASP pytm {PYTM_VERSION} `--json` on an equivalent model "
             "(same zones as boundaries, same components, same flows).", "",
             "| components | YAML | validate | check --format json | yaml.load | pytm --json "
             "| validate ÷ yaml.load | check ÷ pytm | peak RSS validate / check / pytm |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['bytes'] / 1e6:.2f} MB | {f(r['validate'])} | {f(r['check'])} | {f(r['yaml'])} "
            f"| {f(r.get('pytm'))} | {ratio(r['validate'], r['yaml'])} | {ratio(r['check'], r.get('pytm'))} "
            f"| {f(r['validate_rss'], 'MB')} / {f(r['check_rss'], 'MB')} / {f(r.get('pytm_rss'), 'MB')} |")
    lines += ["", "In process, `yamlpos` (positions of every key and value): the rapidyaml fast path against the "
              "PyYAML path (C composer + Python walk), same file, same run. `parse_yaml` tries the fast path "
              "only for files of 64 KiB and more:", "",
              "| components | fast path | PyYAML path | fast ÷ PyYAML |", "|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['n']:,} | {f(r['parse_fast'])} | {f(r['parse_pyyaml'])} "
                     f"| {ratio(r['parse_fast'], r['parse_pyyaml'])} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
