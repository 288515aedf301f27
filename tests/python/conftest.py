"""Shared fixtures: the demo warehouse built once per test session on DuckDB."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = PROJECT_ROOT / "data" / "demo"
DEMO_TRUTH_DIR = PROJECT_ROOT / "tests" / "fixtures" / "demo_truth"
DEMO_REFERENCE_DATE = "2026-10-31"
DBT = str(Path(sys.executable).with_name("dbt"))
# The suite runs on two pytest-xdist workers (pyproject.toml): each has its own dbt target folder, landing cache and
# Great Expectations Data Docs and exports folder, so two builds at once never share a file.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TARGET_DIR = PROJECT_ROOT / "target" / f"pytest-{WORKER}"


@dataclass
class DbtRun:
    returncode: int
    output: str


def run_dbt(args: list[str], env: dict[str, str] | None = None, check: bool = True) -> DbtRun:
    """Run a dbt command in the project with its profiles; fail the test with dbt's output when it fails."""
    full_env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"), "DBT_TARGET_PATH": str(TARGET_DIR),
                **(env or {})}
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

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    def frame(self, sql: str):
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql).df()


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """`dbt build` (models, seeds, data tests, unit tests) of the shipped demo exports into a fresh DuckDB file; the
    segment files of the exports go to a temporary folder (var `exports_dir`)."""
    folder = tmp_path_factory.mktemp("duckdb")
    path, exports_dir = folder / "demo.duckdb", folder / "exports"
    env = {"SEGMENTS_DUCKDB_PATH": str(path)}
    build = run_dbt(["build", "--vars", dbt_vars(DEMO_DIR, exports_dir=exports_dir)], env=env)
    return Warehouse(path=path, build=build, exports_dir=exports_dir)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One xdist group per test file, except that every file reading the demo build joins the group `demo`: so the
    demo is built once, and a module's fixtures (a PostgreSQL server, a clean build...) are set up on one worker."""
    demo_files = {item.path for item in items if "demo_warehouse" in getattr(item, "fixturenames", ())}
    for item in items:
        item.add_marker(pytest.mark.xdist_group("demo" if item.path in demo_files else item.path.stem))
