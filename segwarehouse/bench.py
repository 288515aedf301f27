"""Benchmark of the warehouse on a scale tier of exports (`make bench`).

    python -m segwarehouse.bench [--scale bench] [--dir target/bench] [--reuse] [--readme README.md]

In one run:
1. generates the exports of the tier (`segwarehouse.generate`; default `bench`: 100,000 accounts, 1,000,000
   contacts, 5,000,000 orders, 20,000,000 email events), unless `--reuse` finds them already generated;
2. the floor: DuckDB reading every raw file once, every column of every row, the way the landing views read them
   (nothing else: no parsing, no writing);
3. the full `dbt build` into a new DuckDB file (unit tests excluded: static fixtures, for development and CI);
4. appends one more day of activity to the exports (`segwarehouse.append_day`, not timed as a build phase);
5. the incremental `dbt build` on the same DuckDB file, as of that day;
6. the same build again with no new data: what a daily run costs before its new rows;
7. dbt's fixed cost: the same build on the shipped demo exports (`data/demo`, 33 MB), once to create a second
   warehouse, then again with no new data: what the same nodes cost on a small warehouse (an upper bound of their
   cost whatever the data).
Each phase runs in its own process: wall time, CPU time (user + system) and peak resident memory (the kernel's
maximum RSS of that process and its children) are measured from the outside. The builds write their segment files
to `<dir>/segment_files`, emptied before the full build, so that it writes every file. Results go to
`<dir>/results.json`, `<dir>/results.md` and, between the `bench:start` / `bench:end` markers, to the README.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from segwarehouse.contract import load_contract

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DATE = "2026-10-31"
APPENDED_DAY = "2026-11-01"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Phase:
    name: str
    wall_seconds: float
    peak_rss_mib: float
    returncode: int
    cpu_seconds: float | None = None  # user + system time of the process and its children


def measure(name: str, command: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> Phase:
    """Run `command` as a child process; wall time, the child's peak RSS (os.wait4 rusage, in KiB on Linux) and its
    CPU time (user + system, its own threads and waited-for children)."""
    shown = " ".join(part if len(part) < 80 else part[:60] + "..." for part in command[:6])
    print(f"[bench] {name}: {shown}{' ...' if len(command) > 6 else ''}", flush=True)
    out = log.open("w") if log else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **(env or {})}, stdout=out,
                               stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if log:
        out.close()
    returncode = os.waitstatus_to_exitcode(status)
    phase = Phase(name, round(wall, 1), round(usage.ru_maxrss / 1024, 0), returncode,
                  round(usage.ru_utime + usage.ru_stime, 1))
    print(f"[bench] {name}: {phase.wall_seconds} s, cpu {phase.cpu_seconds} s, peak {phase.peak_rss_mib:.0f} MiB, "
          f"exit {returncode}", flush=True)
    if returncode != 0:
        tail = log.read_text()[-4000:] if log else ""
        raise SystemExit(f"{name} failed (exit {returncode}):\n{tail}")
    return phase


def build_command(dbt: str, raw_dir: Path, folders: dict[str, Path], log_dir: Path) -> list[str]:
    """`dbt build` of a measured warehouse: its exports (`raw_dir`) and the folders it writes into (`folders`:
    landed, gx_data_docs, segment_files, target). The folders go in `--vars`, the business date does not (the
    caller passes it in SEGMENTS_REFERENCE_DATE, as a daily scheduler would): the same --vars on every build keep
    dbt's partial parsing (a change of --vars re-parses the whole project). Unit tests check the SQL against static
    fixtures: dbt recommends running them in development and CI, not on production data, so the measured builds
    leave them out (make build and make test run them)."""
    build_vars = (f"{{raw_dir: '{raw_dir}', landing_cache_dir: '{folders['landed']}', "
                  f"gx_data_docs_dir: '{folders['gx_data_docs']}', exports_dir: '{folders['segment_files']}'}}")
    return [dbt, "build", "--vars", build_vars, "--target-path", str(folders["target"]), "--log-path", str(log_dir),
            "--exclude-resource-type", "unit_test"]


def floor_script(raw_dir: Path, database: Path, counts: Path) -> str:
    """Python run in a child: read every column of every row of every export once with DuckDB, as the landing
    views do (same reader options), and keep nothing but the rows of each file (JSON `counts`)."""
    reads = []
    for export in load_contract().values():
        path = (raw_dir / export.file).resolve()
        if path.exists():
            reads.append(str(path))
    return f"""
import json
from pathlib import Path
import duckdb
from segwarehouse.exports import readable_csv
counts = {{}}
connection = duckdb.connect({str(database)!r})
connection.execute("set threads = 2")
connection.execute("set enable_progress_bar = false")
connection.execute("set memory_limit = '6GB'")
for path in {reads!r}:
    readable = readable_csv(path, {str(database.parent / 'landed')!r})
    relation = f"read_csv('{{readable}}', header = true, all_varchar = true, normalize_names = true, quote = '\\"', escape = '\\"')"
    columns = [row[0] for row in connection.execute(f"describe select * from {{relation}}").fetchall()]
    touched = ", ".join(f'max(length("{{column}}"))' for column in columns)
    counts[Path(path).name] = connection.execute(f"select count(*), {{touched}} from {{relation}}").fetchall()[0][0]
    print(path, counts[Path(path).name], flush=True)
Path({str(counts)!r}).write_text(json.dumps(counts))
"""


def file_rows(raw_dir: Path, cache_dir: Path) -> dict[str, int]:
    import duckdb

    from segwarehouse.exports import readable_csv

    rows = {}
    with duckdb.connect() as connection:
        for export in load_contract().values():
            path = raw_dir / export.file
            if path.exists():
                readable = readable_csv(str(path), str(cache_dir))
                rows[export.file] = connection.execute(
                    f"select count(*) from read_csv('{readable}', header = true, all_varchar = true, quote = '\"', "
                    "escape = '\"')"
                ).fetchall()[0][0]
    return rows


def render(results: dict) -> str:
    phases = {phase["name"]: phase for phase in results["phases"]}
    floor = phases["floor"]["wall_seconds"]
    lines = [
        f"Scale `{results['scale']}` ({results['raw_bytes'] / 1e9:.2f} GB of CSV: "
        + ", ".join(f"{rows:,} {name.removesuffix('.csv')}" for name, rows in results["rows"].items())
        + f"), measured {results['measured_at']} on {results['machine']} by `make bench`"
        f" (`python -m segwarehouse.bench`).",
        "",
        "| phase | wall time | x floor | CPU time (cores busy) | peak memory |",
        "|---|---|---|---|---|",
    ]
    for name, label in (("floor", "floor: DuckDB reads every raw file once"), ("full_build", "full `dbt build`"),
                        ("incremental_build", "incremental `dbt build` after one more day"),
                        ("unchanged_build", "`dbt build` again, no new data"),
                        ("demo_unchanged_build", "the same on the demo exports, no new data (fixed cost)")):
        if name not in phases:  # results of a bench run before that phase was measured
            continue
        phase = phases[name]
        minutes, seconds = divmod(phase["wall_seconds"], 60)
        cpu = phase.get("cpu_seconds")  # None in results of a bench run before CPU time was measured
        cpu_text = f"{cpu:.0f} s ({cpu / phase['wall_seconds']:.2f})" if cpu is not None else "-"
        lines.append(f"| {label} | {int(minutes)} min {seconds:04.1f} s | {phase['wall_seconds'] / floor:.1f} | "
                     f"{cpu_text} | {phase['peak_rss_mib'] / 1024:.2f} GiB |")
    full, incremental = phases["full_build"], phases["incremental_build"]
    lines += [
        "",
        f"Incremental run: {100 * incremental['wall_seconds'] / full['wall_seconds']:.1f}% of the full build "
        f"(goal: under 15%). Full build goal: under 10 min and 8 GiB. Appending the day "
        f"({results['appended_rows']:,} rows) took {phases['append_day']['wall_seconds']} s, not counted in either build.",
    ]
    if phases["incremental_build"].get("cpu_seconds") is not None:
        lines.append("CPU time: user + system time of dbt and everything it ran; cores busy = CPU time / wall time.")
    if "unchanged_build" in phases:
        lines.append(f"The same build again with no new data takes {phases['unchanged_build']['wall_seconds']} s "
                     f"({100 * phases['unchanged_build']['wall_seconds'] / full['wall_seconds']:.1f}% of the full "
                     f"build, {results.get('nodes', '?')} dbt nodes): what a daily run costs before its new rows.")
    if "demo_unchanged_build" in phases:
        demo = phases["demo_unchanged_build"]["wall_seconds"]
        lines.append(f"The same nodes on the demo exports ({results['demo_raw_bytes'] / 1e6:.1f} MB of CSV) take "
                     f"{demo} s with no new data ({100 * demo / full['wall_seconds']:.1f}% of the full build above): "
                     f"dbt's fixed cost (parsing, compiling and running each node) plus the demo's small data work, so "
                     f"an upper bound of what the nodes cost whatever the data (with nothing new, the guard does not "
                     f"import GX; a run with new rows does).")
        lines.append(f"Above that fixed cost, the incremental run's work on the data is "
                     f"{100 * (incremental['wall_seconds'] - demo) / (full['wall_seconds'] - demo):.1f}% of the full "
                     f"build's ({incremental['wall_seconds'] - demo:.1f} s against {full['wall_seconds'] - demo:.1f} s).")
    return "\n".join(lines)


def update_readme(readme: Path, text: str) -> None:
    content = readme.read_text()
    if START not in content or END not in content:
        raise SystemExit(f"{readme} has no {START} ... {END} section for the results")
    head, rest = content.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m segwarehouse.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="bench", help="generator scale tier (default bench)")
    parser.add_argument("--dir", default="target/bench", help="working folder (exports, database, logs, results)")
    parser.add_argument("--reuse", action="store_true", help="reuse exports generated by an earlier run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--readme", default="README.md", help="README to update ('' to leave it alone)")
    args = parser.parse_args(argv)

    work = (PROJECT_ROOT / args.dir).resolve()
    pristine, raw, database = work / "exports", work / "raw", work / "warehouse.duckdb"
    work.mkdir(parents=True, exist_ok=True)
    python, dbt = sys.executable, str(Path(sys.executable).with_name("dbt"))
    phases: list[Phase] = []

    if not (args.reuse and (pristine / "orders.csv").exists()):
        shutil.rmtree(pristine, ignore_errors=True)
        phases.append(measure("generate", [python, "-m", "segwarehouse.generate", "--scale", args.scale,
                                           "--seed", str(args.seed), "--reference-date", REFERENCE_DATE,
                                           "--out", str(pristine), "--truth-dir", str(work / "truth")],
                              log=work / "generate.log"))
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(pristine, raw)  # the day is appended to a copy: --reuse starts from the same exports
    for leftover in (database, database.with_suffix(".duckdb.wal"), work / "floor.duckdb"):
        leftover.unlink(missing_ok=True)
    folders = {"landed": work / "landed", "gx_data_docs": work / "gx_data_docs",
               "segment_files": work / "segment_files", "target": work / "dbt_target"}
    # the full build starts from nothing: no database, no parse state and no segment files of an earlier run
    shutil.rmtree(folders["target"], ignore_errors=True)
    shutil.rmtree(folders["segment_files"], ignore_errors=True)
    phases.append(measure("floor", [python, "-c", floor_script(raw, work / "floor.duckdb", work / "rows.json")],
                          log=work / "floor.log"))
    (work / "floor.duckdb").unlink(missing_ok=True)
    rows = json.loads((work / "rows.json").read_text())  # the floor read every file: its row counts

    env = {"DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"), "SEGMENTS_DUCKDB_PATH": str(database),
           "SEGMENTS_TARGET": "duckdb"}
    build = build_command(dbt, raw, folders, work / "dbt_logs")
    phases.append(measure("full_build", build,
                          env={**env, "SEGMENTS_REFERENCE_DATE": REFERENCE_DATE},
                          log=work / "full_build.log"))

    before = sum(rows.values())
    phases.append(measure("append_day", [python, "-m", "segwarehouse.append_day", "--raw-dir", str(raw),
                                         "--day", APPENDED_DAY], log=work / "append_day.log"))
    appended_rows = sum(file_rows(raw, folders["landed"]).values()) - before
    phases.append(measure("incremental_build", build,
                          env={**env, "SEGMENTS_REFERENCE_DATE": APPENDED_DAY},
                          log=work / "incremental_build.log"))
    # The same build once more, with no new data and the same date: what a daily run costs before its new rows
    # (parsing, the landing hook, every model rebuilt in full and every test).
    phases.append(measure("unchanged_build", build,
                          env={**env, "SEGMENTS_REFERENCE_DATE": APPENDED_DAY},
                          log=work / "unchanged_build.log"))

    # dbt's fixed cost: the same build on the demo exports, into a warehouse of its own (created by a first build)
    demo_folders = {name: work / f"demo_{name}" for name in folders}
    for folder in demo_folders.values():
        shutil.rmtree(folder, ignore_errors=True)
    demo_database = work / "demo.duckdb"
    for leftover in (demo_database, demo_database.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    demo_build = build_command(dbt, DEMO_DIR, demo_folders, work / "dbt_logs")
    demo_env = {**env, "SEGMENTS_DUCKDB_PATH": str(demo_database), "SEGMENTS_REFERENCE_DATE": REFERENCE_DATE}
    for name in ("demo_full_build", "demo_unchanged_build"):
        phases.append(measure(name, demo_build, env=demo_env, log=work / f"{name}.log"))

    results = {
        "scale": args.scale,
        "measured_at": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
                   f"{platform.system()} {platform.machine()}",
        "raw_bytes": sum(path.stat().st_size for path in pristine.glob("*.csv")),
        "demo_raw_bytes": sum(path.stat().st_size for path in DEMO_DIR.glob("*.csv")),
        "rows": rows,
        "appended_rows": appended_rows,
        # nodes dbt ran in the last build (models, tests, seeds, hooks): the fixed cost grows with them
        "nodes": len(json.loads((folders["target"] / "run_results.json").read_text())["results"]),
        "phases": [asdict(phase) for phase in phases],
    }
    (work / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    text = render(results)
    (work / "results.md").write_text(text + "\n")
    print(text)
    if args.readme:
        update_readme(PROJECT_ROOT / args.readme, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
