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
INCREMENTAL_MODELS = ["base_crm__email_events", "base_crm__order_lines", "base_crm__store_visits", "base_crm__orders",
                      "base_crm__contacts", "base_crm__support_tickets", "base_crm__nps_responses",
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
    return {"paths": paths, "appended": appended, "outputs": outputs, "original": demo_warehouse.path, "raw": raw,
            "root": root}


def _tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? and table_type = 'BASE TABLE' order by 1, 2",
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
            if (schema, table) in (("guard", "guard_file_checks"), ("raw", "landed_exports"), ("raw", "based_exports")):
                continue  # logs of this run (timestamps, rows validated, how and when each file was landed), not data
            columns = [row[0] for row in connection.execute(
                "select column_name from information_schema.columns where table_catalog = 'inc' "
                "and table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall()]
            # when this run built the segments or fitted the predictive models, and the build stamps of the segment
            # histories (the two runs are two builds): the run, not data; whether a spell is closed is compared
            columns = [column for column in columns
                       if column not in ("built_at", "fitted_at", "valid_from", "entered_build_id", "build_id")]
            select = ", ".join(f'"{column}" is null' if column in ("valid_to", "left_build_id") else f'"{column}"'
                               for column in columns)
            for left, right in (("inc", "full_build"), ("full_build", "inc")):
                extra = connection.execute(
                    f"select count(*) from (select {select} from {left}.{schema}.{table} "
                    f"except all select {select} from {right}.{schema}.{table})").fetchall()[0][0]
                assert extra == 0, f"{schema}.{table}: {extra} rows in {left} and not in {right}"
            compared.append(table)
        assert set(INCREMENTAL_MODELS) <= set(compared)
        assert {"email_events__landed", "orders__landed"} <= set(compared)  # the raw copies, landed by bytes or in full


def test_landing_read_only_the_appended_bytes(builds: dict) -> None:
    """The incremental run landed the grown exports from their new bytes and left unchanged ones alone; the full
    refresh landed every file again."""
    appended = {file for file, rows in builds["appended"].items() if rows}
    for mode in ("incremental", "full"):
        with duckdb.connect(str(builds["paths"][mode]), read_only=True) as connection:
            modes = dict(connection.execute("select file_name, last_mode from raw.landed_exports").fetchall())
        if mode == "full":
            assert set(modes.values()) == {"full"}
        else:
            assert {file for file, how in modes.items() if how == "append"} == appended
            assert {how for file, how in modes.items() if file not in appended} == {"full"}  # untouched since


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


def test_edited_and_shortened_exports_are_parsed_again(builds: dict) -> None:
    """After the incremental run, a contact is deleted from contacts.csv and a ticket's score is corrected in place
    (same file size) in support_tickets.csv; orders.csv does not change. The next incremental run lands both edited
    files in full and parses them again; the orders of the deleted contact, based in earlier runs, are parsed again
    and quarantined as unknown_reference, as a full refresh would."""
    root, raw = builds["root"], builds["raw"]
    path = root / "edited.duckdb"
    shutil.copyfile(builds["paths"]["incremental"], path)
    with duckdb.connect(str(path), read_only=True) as connection:
        [(contact_id, orders)] = connection.execute(
            "select contact_id, count(*) from staging.stg_crm__orders where contact_id is not null "
            "group by 1 order by 2 desc, 1 limit 1").fetchall()
        [(ticket_id, score)] = connection.execute(
            "select ticket_id, satisfaction_score from staging.stg_crm__support_tickets "
            "where satisfaction_score between 1 and 4 order by ticket_id limit 1 offset 1000").fetchall()
    contacts = (raw / "contacts.csv").read_bytes()
    start = contacts.index(f"\n{contact_id};".encode()) + 1
    (raw / "contacts.csv").write_bytes(contacts[:start] + contacts[contacts.index(b"\n", start) + 1:])
    tickets = (raw / "support_tickets.csv").read_bytes()
    start = tickets.index(f"\n{ticket_id},".encode()) + 1
    end = tickets.index(b"\n", start)
    line = tickets[start:end]
    assert line.endswith(f",{score}".encode())
    edited = line[:-1] + str(score + 1).encode()
    (raw / "support_tickets.csv").write_bytes(tickets[:start] + edited + tickets[end:])

    run_dbt(["run", "--vars", dbt_vars(raw, REFERENCE_DATE), "--target-path", str(root / "target_edited"),
             "--select", "base_crm__contacts", "stg_crm__contacts", "base_crm__support_tickets", "base_crm__orders"],
            env={"SEGMENTS_DUCKDB_PATH": str(path)})
    with duckdb.connect(str(path), read_only=True) as connection:
        modes = dict(connection.execute("select file_name, last_mode from raw.landed_exports").fetchall())
        assert modes["contacts.csv"] == "full" and modes["support_tickets.csv"] == "full"
        assert modes["orders.csv"] == "append"  # untouched by this run: landed by the previous one
        assert connection.execute(
            "select count(*) from staging.base_crm__orders where quarantine_rule = 'unknown_reference' "
            f"and quarantine_column = 'contact_id' and contact_id = '{contact_id}'").fetchall() == [(orders,)]
        assert connection.execute(
            f"select count(*) from staging.stg_crm__orders where contact_id = '{contact_id}'").fetchall() == [(0,)]
        assert connection.execute(
            f"select satisfaction_score from staging.base_crm__support_tickets where ticket_id = '{ticket_id}'"
        ).fetchall() == [(score + 1,)]
