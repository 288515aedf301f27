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


@dataclass
class DbtRun:
    returncode: int
    output: str


def run_dbt(args: list[str], env: dict[str, str] | None = None, check: bool = True) -> DbtRun:
    """Run a dbt command in the project with its profiles; fail the test with dbt's output when it fails."""
    full_env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"), **(env or {})}
    process = subprocess.run(
        [DBT, *args], cwd=PROJECT_ROOT, env=full_env, capture_output=True, text=True, check=False
    )
    run = DbtRun(process.returncode, process.stdout + process.stderr)
    if check and run.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed ({run.returncode}):\n{run.output[-8000:]}")
    return run


def dbt_vars(raw_dir: Path | str, reference_date: str = DEMO_REFERENCE_DATE, **extra: object) -> str:
    values = {"raw_dir": str(raw_dir), "reference_date": reference_date, **extra}
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
