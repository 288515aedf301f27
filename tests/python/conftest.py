"""Shared fixtures: the demo warehouse built once per test session on DuckDB."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = PROJECT_ROOT / "data" / "demo"
DEMO_TRUTH_DIR = PROJECT_ROOT / "tests" / "fixtures" / "demo_truth"
DEMO_REFERENCE_DATE = "2026-10-31"
DBT = str(Path(sys.executable).with_name("dbt"))
# The suite runs on two pytest-xdist workers (pyproject.toml), a test file on one worker: each has its own dbt target
# folder, landing cache, Great Expectations Data Docs and exports folder, so two builds at once never share a file.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TARGET_DIR = PROJECT_ROOT / "target" / f"pytest-{WORKER}"
PARSE_FILE = "partial_parse.msgpack"
# columns stamped with when a build ran (segment catalogue, fits, loads): two builds of the same data differ there
RUN_STAMP_COLUMNS = ("built_at", "fitted_at", "_loaded_at")
# modules that run dbt builds of their own, longest first (the slowest tests are listed at the end of every run:
# `--durations` in pyproject.toml)
SLOWEST_FIRST = ["test_postgres", "test_incremental", "test_erasure", "test_project", "test_guard", "test_clean_exports",
                 "test_segment_history", "test_exports"]


@dataclass
class DbtRun:
    returncode: int
    output: str


# One parse for every dbt call of a worker. dbt parses the whole project again (about 24 s, against about 8 s for a
# partial parse) when `--vars` change, or the profile's connection (the DuckDB file's path and name). So `run_dbt`:
# - passes the run settings dbt also reads from environment variables (macros/settings.sql) that way, whatever the
#   test wrote in `--vars` (`--vars` itself is tested by `make build` and by test_guard);
# - opens the test's DuckDB file through one symbolic link per worker, `target/pytest-<worker>/duckdb/warehouse.duckdb`
#   (`warehouse_path`: every such file is named warehouse.duckdb, in its own folder, as DuckDB names the database
#   after the file);
# - copies the worker's partial_parse.msgpack into a test's own `--target-path`.
ENV_SETTINGS = ("raw_dir", "reference_date", "landing_cache_dir", "gx_data_docs_dir", "exports_dir")


def _settings_to_env(args: list[str]) -> tuple[list[str], dict[str, str]]:
    """The dbt arguments without the run settings of `--vars`, and those settings as SEGMENTS_* variables."""
    if "--vars" not in args:
        return args, {}
    index = args.index("--vars")
    values = yaml.safe_load(args[index + 1]) or {}
    env = {f"SEGMENTS_{name.upper()}": str(values.pop(name)) for name in ENV_SETTINGS if name in values}
    rest = ["--vars", json.dumps(values, default=str)] if values else []
    return [*args[:index], *rest, *args[index + 2:]], env


def warehouse_path(folder: Path) -> Path:
    """Where a test has dbt build a DuckDB file: `<folder>/warehouse.duckdb` (see `run_dbt`)."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "warehouse.duckdb"


def _link_database(path: Path) -> Path:
    """The worker's link to the DuckDB file `path` (created by DuckDB through the link when it does not exist).
    DuckDB names an existing file's database after the file the link points to, dbt after the link: so only files
    named warehouse.duckdb (`warehouse_path`) are linked; another one is opened by its own path (and parsed in full). A
    write-ahead log left next to the link by a dbt call that died belongs to another file: it is removed."""
    if path.name != "warehouse.duckdb":
        return path
    link = TARGET_DIR / "duckdb" / "warehouse.duckdb"
    link.parent.mkdir(parents=True, exist_ok=True)
    for stale in (link, link.with_name(link.name + ".wal")):
        stale.unlink(missing_ok=True)
    link.symlink_to(path.resolve())
    return link


def run_dbt(args: list[str], env: dict[str, str] | None = None, check: bool = True,
            settings_by_env: bool = True) -> DbtRun:
    """Run a dbt command in the project with its profiles; fail the test with dbt's output when it fails."""
    settings: dict[str, str] = {}
    if settings_by_env:
        args, settings = _settings_to_env(list(args))
        database = (env or {}).get("SEGMENTS_DUCKDB_PATH")
        if database:
            settings["SEGMENTS_DUCKDB_PATH"] = str(_link_database(Path(database)))
            env = {name: value for name, value in env.items() if name != "SEGMENTS_DUCKDB_PATH"}
        if "--target-path" in args:  # start from the worker's parse
            target = Path(args[args.index("--target-path") + 1])
            if (TARGET_DIR / PARSE_FILE).exists() and not (target / PARSE_FILE).exists():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(TARGET_DIR / PARSE_FILE, target / PARSE_FILE)
    full_env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"), "DBT_TARGET_PATH": str(TARGET_DIR),
                **settings, **(env or {})}
    process = subprocess.run(
        [DBT, *args], cwd=PROJECT_ROOT, env=full_env, capture_output=True, text=True, check=False
    )
    run = DbtRun(process.returncode, process.stdout + process.stderr)
    if check and run.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed ({run.returncode}):\n{run.output[-8000:]}")
    return run


def dbt_vars(raw_dir: Path | str, reference_date: str = DEMO_REFERENCE_DATE, **extra: object) -> str:
    values = {"raw_dir": str(raw_dir), "reference_date": reference_date,
              "landing_cache_dir": str(TARGET_DIR / "landed"), "gx_data_docs_dir": str(TARGET_DIR / "gx_data_docs"),
              "exports_dir": str(TARGET_DIR / "exports"), **extra}
    return "{" + ", ".join(f"{key}: '{value}'" for key, value in values.items()) + "}"


@dataclass
class Warehouse:
    path: Path
    build: DbtRun
    exports_dir: Path | None = None
    gx_data_docs_dir: Path | None = None

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    def frame(self, sql: str):
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql).df()

    def copy_to(self, path: Path) -> Path:
        """A copy of the warehouse file, for a test that writes to it or opens it read-write (dbt does): the demo
        warehouse is shared by the workers, which only ever open it read-only."""
        shutil.copyfile(self.path, path)
        return path


def shared_tmp_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run: the workers' own folders are inside it (pytest-xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """`dbt build` (models, seeds, data tests, unit tests) of the shipped demo exports into a fresh DuckDB file, with
    its segment files (var `exports_dir`) and Great Expectations Data Docs in the same folder. Built once for the whole
    run: the first worker that needs it builds it while holding a lock, the other one waits for it and reads the same
    file (read-only; a test that writes copies it first)."""
    folder = shared_tmp_dir(tmp_path_factory) / "demo"
    path, exports_dir, docs_dir = folder / "warehouse.duckdb", folder / "exports", folder / "gx_data_docs"
    log = folder / "build.log"
    folder.mkdir(exist_ok=True)
    with open(folder.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not log.exists():
            build = run_dbt(["build", "--vars", dbt_vars(DEMO_DIR, exports_dir=exports_dir, gx_data_docs_dir=docs_dir)],
                            env={"SEGMENTS_DUCKDB_PATH": str(path)})
            log.write_text(build.output)  # written only once the build passed
    return Warehouse(path=path, build=DbtRun(0, log.read_text()), exports_dir=exports_dir, gx_data_docs_dir=docs_dir)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest modules first: pytest-xdist (`--dist loadfile`) hands whole files to the workers in this order, so
    the long ones do not start last. Inside a file, the order is the file's."""
    order = {name: rank for rank, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: order.get(item.path.stem, len(order)))
