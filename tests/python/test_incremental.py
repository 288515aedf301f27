"""An incremental build gives exactly what a full refresh gives, after one more day is appended to the exports.

The demo warehouse (built once per session) is copied twice. One more day of activity is appended to a copy of the
demo exports (new orders and lines, email events, store visits, tickets and NPS answers; 2% of the events, visits
and orders late by one or two days). Copy A is then built incrementally, copy B with `--full-refresh`, both as of
the day after the appended one, and every table they hold must be identical, row for row.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import DEMO_DIR, Warehouse, dbt_vars, run_dbt
from segwarehouse.append_day import append_day

APPENDED_DAY = "2026-11-01"
REFERENCE_DATE = "2026-11-02"
INCREMENTAL_MODELS = ["base_crm__email_events", "base_crm__order_lines", "base_crm__store_visits",
                      "fct_email_events", "fct_order_lines", "fct_store_visits"]


@pytest.fixture(scope="module")
def builds(demo_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    raw = root / "raw"
    shutil.copytree(DEMO_DIR, raw)
    appended = append_day(raw, APPENDED_DAY, seed=3)
    paths = {"incremental": root / "incremental.duckdb", "full": root / "full.duckdb"}
    outputs = {}
    for mode, path in paths.items():
        shutil.copyfile(demo_warehouse.path, path)
        args = ["run", "--vars", dbt_vars(raw, REFERENCE_DATE), "--target-path", str(root / f"target_{mode}")]
        if mode == "full":
            args.append("--full-refresh")
        outputs[mode] = run_dbt(args, env={"SEGMENTS_DUCKDB_PATH": str(path)}).output
    return {"paths": paths, "appended": appended, "outputs": outputs, "original": demo_warehouse.path}


def _tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? and table_type = 'BASE TABLE' and table_schema <> 'raw' order by 1, 2",
        [catalog],
    ).fetchall()


def test_incremental_models_ran_incrementally(builds: dict) -> None:
    """The incremental run compiled the incremental branch, which reads the model's own table (watermark of the base
    models, look-back of the facts); the full refresh did not."""
    for mode, expected in (("incremental", True), ("full", False)):
        run_dir = builds["paths"][mode].parent / f"target_{mode}" / "compiled" / "segments" / "models"
        for model in INCREMENTAL_MODELS:
            sql = next(run_dir.rglob(f"{model}.sql")).read_text()
            assert (f'"{model}"' in sql) is expected, (mode, model)


def test_incremental_build_equals_full_refresh(builds: dict) -> None:
    with duckdb.connect() as connection:
        connection.execute(f"attach '{builds['paths']['incremental']}' as inc (read_only)")
        connection.execute(f"attach '{builds['paths']['full']}' as full_build (read_only)")
        tables = _tables(connection, "inc")
        assert tables == _tables(connection, "full_build")
        compared = []
        for schema, table in tables:
            if (schema, table) == ("guard", "guard_file_checks"):
                continue  # a log of this run's checks (timestamps, rows validated), not data
            columns = [row[0] for row in connection.execute(
                "select column_name from information_schema.columns where table_catalog = 'inc' "
                "and table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall()]
            if schema == "segments" and "built_at" in columns:
                columns.remove("built_at")
            select = ", ".join(f'"{column}"' for column in columns)
            for left, right in (("inc", "full_build"), ("full_build", "inc")):
                extra = connection.execute(
                    f"select count(*) from (select {select} from {left}.{schema}.{table} "
                    f"except all select {select} from {right}.{schema}.{table})").fetchall()[0][0]
                assert extra == 0, f"{schema}.{table}: {extra} rows in {left} and not in {right}"
            compared.append(table)
        assert set(INCREMENTAL_MODELS) <= set(compared)


def test_appended_rows_reached_the_facts(builds: dict) -> None:
    """The comparison is not vacuous: the new day is in the facts, late arrivals included, and nothing new was
    quarantined (every appended row is valid)."""
    appended = builds["appended"]
    with duckdb.connect() as connection:
        connection.execute(f"attach '{builds['original']}' as before_day (read_only)")
        connection.execute(f"attach '{builds['paths']['incremental']}' as inc (read_only)")
        for table, file in (("fct_email_events", "email_events.csv"), ("fct_store_visits", "store_visits.csv"),
                            ("fct_order_lines", "order_lines.csv")):
            grown = connection.execute(
                f"select (select count(*) from inc.marts.{table}) - (select count(*) from before_day.marts.{table})"
            ).fetchall()[0][0]
            assert grown == appended[file], table
        late = connection.execute(
            "select count(*) from inc.marts.fct_email_events where event_id not in "
            "(select event_id from before_day.marts.fct_email_events) and event_date < date '2026-11-01'"
        ).fetchall()[0][0]
        assert late > 0
        quarantined = connection.execute(
            "select (select count(*) from inc.guard.quarantine) - (select count(*) from before_day.guard.quarantine)"
        ).fetchall()[0][0]
        assert quarantined == 0
