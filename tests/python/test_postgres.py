"""The `postgres` target: load the demo exports with `segwarehouse.load`, `dbt build --target postgres`, and check
that PostgreSQL and DuckDB (the `demo_warehouse` fixture) agree.

The server is a throw-away cluster started by `segwarehouse.pgserver.TemporaryPostgres` (Debian package
`postgresql`; `python -m segwarehouse.pgserver ensure-installed` installs it as root). Deselect with
`pytest -m "not postgres"`.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import pytest
from conftest import DEMO_DIR, PROJECT_ROOT, DbtRun, Warehouse, dbt_vars, run_dbt

from segwarehouse.contract import load_contract
from segwarehouse.exports import text_encoding
from segwarehouse.load import GUARD_COLUMNS, normalize_header, sniff_delimiter
from segwarehouse.pgserver import PostgresNotInstalled, TemporaryPostgres, ensure_installed

pytestmark = pytest.mark.postgres

MODEL_SCHEMAS = ("staging", "guard", "intermediate", "marts", "predictions", "segments", "exports")
DUCKDB_ONLY = {("guard", "guard_file_checks"), ("predictions", "predictive_model_parameters"),
               ("predictions", "clv_predictions"), ("predictions", "churn_scores"), ("predictions", "churn_models"),
               ("predictions", "prediction_backtest")}
# The BG/NBD and Gamma-Gamma predictions are fitted by dbt Python models, which PostgreSQL cannot run
# (docs/POSTGRES.md): their columns are null there and the segments built on them empty. The comparisons leave them
# out; test_predictions_are_null_on_postgres checks that they are null and empty.
CLV_COLUMNS = ("p_alive", "expected_orders_90d", "predicted_next_order_date", "days_until_next_order",
               "predicted_clv_12m", "predicted_clv_percentile")
DUCKDB_ONLY_COLUMNS = {
    ("marts", "dim_companies"): set(CLV_COLUMNS),
    ("marts", "dim_contacts"): set(CLV_COLUMNS) | {f"company_{column}" for column in CLV_COLUMNS},
    ("segments", "segment_catalog"): {"predicted_value"},
}
DUCKDB_ONLY_SEGMENTS = ("seg_high_predicted_clv", "seg_next_purchase_30d")
ROW_FILTERS = {
    ("segments", "segment_membership"):
        "segment_name not in (" + ", ".join(f"'{name}'" for name in DUCKDB_ONLY_SEGMENTS) + ")",
    **{("segments", name): "false" for name in DUCKDB_ONLY_SEGMENTS},
}
# Churn probabilities come from a dbt Python model (DuckDB only, docs/POSTGRES.md): null on PostgreSQL, and so are the
# columns and segment members derived from them.
PREDICTED_COLUMNS = {
    ("marts", "dim_contacts"): {"churn_probability", "churn_risk", "company_churn_risk"},
    ("marts", "dim_companies"): {"churn_probability", "churn_risk"},
    ("predictions", "contact_predictions"): {"churn_probability", "churn_risk", "company_churn_risk"},
    ("predictions", "company_predictions"): {"churn_probability", "churn_risk"},
}
PREDICTED_SEGMENTS = {"seg_churn_risk_consumers", "seg_churn_risk_accounts", "seg_upsell_targets",
                      "seg_slipping_champions", *DUCKDB_ONLY_SEGMENTS}
# Models with one row per segment member: compared without the segments built on predictions. The waterfall (a
# person's first segment may be a prediction one) is not compared by row count; neither it nor the overlap (the shares
# of an empty segment are null) by non-null counts.
_NOT_PREDICTED = "segment_name not in (" + ", ".join(f"'{name}'" for name in sorted(PREDICTED_SEGMENTS)) + ")"
ROW_FILTERS.update({
    ("segments", "segment_membership_history"): _NOT_PREDICTED,
    **{("exports", name): _NOT_PREDICTED for name in ("export_segment_members", "export_brevo", "export_mailchimp")},
})
PREDICTION_DEPENDENT_ROWS = {"segment_waterfall"}
PREDICTION_DEPENDENT_VALUES = {"segment_waterfall", "segment_overlap"}
TARGET_SCHEMA = "analytics"


@dataclass
class Loader:
    returncode: int
    output: str


@dataclass
class PostgresWarehouse:
    server: TemporaryPostgres
    load: Loader
    build: DbtRun
    manifest: dict
    exports_dir: Path

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg2.connect(self.server.dsn()) as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def run_loader(server: TemporaryPostgres, raw_dir: Path, *args: str, dbname: str | None = None) -> Loader:
    process = subprocess.run(
        [sys.executable, "-m", "segwarehouse.load", "--raw-dir", str(raw_dir), *args],
        cwd=PROJECT_ROOT, env={**os.environ, **server.env(dbname, TARGET_SCHEMA)},
        capture_output=True, text=True, check=False,
    )
    return Loader(process.returncode, process.stdout + process.stderr)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    try:
        bindir = ensure_installed()
    except PostgresNotInstalled as error:
        pytest.fail(f"{error}\n(deselect these tests with: pytest -m 'not postgres')")
    with TemporaryPostgres(bindir=bindir) as server:
        yield server


def _load_and_build(server: TemporaryPostgres, work: Path) -> PostgresWarehouse:
    load = run_loader(server, DEMO_DIR, "--gx-docs-dir", str(work / "gx_data_docs"))
    if load.returncode != 0:
        pytest.fail(f"segwarehouse.load failed ({load.returncode}):\n{load.output[-8000:]}")
    env = {**server.env(schema=TARGET_SCHEMA), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_LOG_PATH": str(work / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    exports_dir = work / "exports"
    build = run_dbt(["build", "--target", "postgres", "--vars", dbt_vars(DEMO_DIR, exports_dir=exports_dir)], env=env)
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    return PostgresWarehouse(server, load, build, manifest, exports_dir)


@pytest.fixture(scope="session")
def postgres_warehouse(postgres_server: TemporaryPostgres, tmp_path_factory: pytest.TempPathFactory,
                       request: pytest.FixtureRequest) -> PostgresWarehouse:
    """The demo exports loaded by the loader and built by `dbt build --target postgres` (own target path).

    The DuckDB build of the same exports (`demo_warehouse`, needed by the comparisons) runs meanwhile."""
    assert any(DEMO_DIR.glob("*.csv")), f"no demo exports in {DEMO_DIR}"
    with ThreadPoolExecutor(max_workers=1) as pool:
        building = pool.submit(_load_and_build, postgres_server, tmp_path_factory.mktemp("postgres"))
        request.getfixturevalue("demo_warehouse")
        return building.result()


def model_relations(manifest: dict) -> set[tuple[str, str]]:
    """(schema, relation) of every model the project builds in the compared schemas."""
    return {
        (node["schema"], node.get("alias") or node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("materialized") != "ephemeral"
        and node["schema"] in MODEL_SCHEMAS
    }


def duckdb_relations(warehouse: Warehouse) -> set[tuple[str, str]]:
    schemas = ", ".join(f"'{schema}'" for schema in MODEL_SCHEMAS)
    rows = warehouse.query(f"select table_schema, table_name from information_schema.tables "
                           f"where table_schema in ({schemas})")
    return {(schema, name) for schema, name in rows} - DUCKDB_ONLY


@contextmanager
def _engines(postgres: PostgresWarehouse, duck: Warehouse) -> Iterator[tuple[Callable[[str], list[tuple]], ...]]:
    """One connection to each warehouse for many queries: (query on PostgreSQL, query on DuckDB)."""
    pg_connection = psycopg2.connect(postgres.server.dsn())
    pg_connection.autocommit = True
    duck_connection = duckdb.connect(str(duck.path), read_only=True)

    def pg(sql: str) -> list[tuple]:
        with pg_connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def dd(sql: str) -> list[tuple]:
        return duck_connection.execute(sql).fetchall()

    try:
        yield pg, dd
    finally:
        pg_connection.close()
        duck_connection.close()


# -- the loader ---------------------------------------------------------------------------------------------------
def test_loader_publishes_every_contract_file(postgres_warehouse: PostgresWarehouse) -> None:
    contract = load_contract()
    tables = {name for (name,) in postgres_warehouse.query(
        "select table_name from information_schema.tables where table_schema = 'raw'")}
    # with the loader's record of each file and the GDPR erasure's tables (empty without requests)
    assert tables == set(contract) | {"guard_file_checks", "landed_exports", "based_exports", "erasure_register",
                                      "erasure_log", "erasure_applied"}
    landed = postgres_warehouse.query("select file_name, landed_rows, erased_rows from raw.landed_exports")
    assert {file for file, _, _ in landed} == {export.file for export in contract.values()}
    assert {erased for _, _, erased in landed} == {0}
    schemas = {name for (name,) in postgres_warehouse.query("select schema_name from information_schema.schemata")}
    assert "raw_loading" not in schemas
    checks = postgres_warehouse.query(
        "select source_file, bool_and(success), count(*) from raw.guard_file_checks group by 1")
    assert {row[0] for row in checks} == {export.file for export in contract.values()}
    assert all(success for _, success, _ in checks)
    columns = [name for (name,) in postgres_warehouse.query(
        "select column_name from information_schema.columns where table_schema = 'raw' "
        "and table_name = 'guard_file_checks' order by ordinal_position")]
    assert columns == ["source_file", "expectation", "column_name", "success", "observed_value",
                       "unexpected_percent", "row_count", "checked_at"]


def _raw_fingerprint(query: Callable[[str], list[tuple]], table: str, columns: list[str]) -> tuple:
    """Row count and MD5 of every row in `_row_number` order (the same SQL runs on both engines)."""
    fields = ", ".join(["cast(_row_number as varchar)", *(f"coalesce(\"{c}\", chr(30))" for c in columns[1:])])
    [row] = query(f"select count(*), md5(string_agg(concat_ws(chr(31), {fields}), chr(29) order by _row_number)) "
                  f"from raw.{table}")
    return tuple(row)


def test_raw_tables_equal_duckdb_raw_views(postgres_warehouse: PostgresWarehouse, demo_warehouse: Warehouse) -> None:
    """Same column names (DuckDB's normalize_names), same `_row_number`s, same text values, NULL for empty."""
    columns_sql = ("select column_name from information_schema.columns where table_schema = 'raw' "
                   "and table_name = '{}' order by ordinal_position")
    with _engines(postgres_warehouse, demo_warehouse) as (pg, duck):
        for name in load_contract():
            pg_columns = [c for (c,) in pg(columns_sql.format(name))]
            duck_columns = [c for (c,) in duck(columns_sql.format(name))]
            assert pg_columns == duck_columns, name
            if _raw_fingerprint(pg, name, pg_columns) != _raw_fingerprint(duck, name, duck_columns):
                pg_rows, duck_rows = Counter(pg(f"select * from raw.{name}")), Counter(duck(f"select * from raw.{name}"))
                pytest.fail(f"raw.{name}: {len(pg_rows - duck_rows)} rows only on PostgreSQL, e.g. "
                            f"{list(pg_rows - duck_rows)[:3]}; {len(duck_rows - pg_rows)} only on DuckDB, e.g. "
                            f"{list(duck_rows - pg_rows)[:3]}")


def test_parsing_functions_of_the_on_run_start_hook(postgres_warehouse: PostgresWarehouse) -> None:
    """`postgres__land_raw_exports` creates seg_try_date / seg_try_timestamp in the target schema."""
    [dates] = postgres_warehouse.query(
        f"select {TARGET_SCHEMA}.seg_try_date('2024-02-29')::text, {TARGET_SCHEMA}.seg_try_date('2023-02-29'), "
        f"{TARGET_SCHEMA}.seg_try_date('2024-1-1'), {TARGET_SCHEMA}.seg_try_date(null)")
    assert dates == ("2024-02-29", None, None, None)
    cases = {
        "2024-07-01 12:00": "2024-07-01 10:00:00",  # naive = Europe/Paris (summer time)
        "2024-01-01 12:00:30": "2024-01-01 11:00:30",
        "2024-01-01": "2023-12-31 23:00:00",
        "2024-01-01 12:00:00+02:00": "2024-01-01 10:00:00",
        "2024-01-01 12:00Z": "2024-01-01 12:00:00",
        "2024-06-01 10:00:00+0200": "2024-06-01 08:00:00",
        # DST gap and overlap: what DuckDB's ICU gives too (checked with `dbt show --inline` on both targets)
        "2024-03-31 02:30": "2024-03-31 01:30:00",
        "2024-10-27 02:30": "2024-10-27 01:30:00",
        "2024-13-01 10:00": None,
        "2024-01-01 23:59:60": None,  # DuckDB refuses a 60th second, PostgreSQL would roll it over
        "not a timestamp": None,
    }
    for text, expected in cases.items():
        [(value,)] = postgres_warehouse.query(
            f"select {TARGET_SCHEMA}.seg_try_timestamp(%s, 'Europe/Paris')::text", (text,))
        assert value == expected, text


# -- PostgreSQL and DuckDB agree ----------------------------------------------------------------------------------
Profile = dict[tuple[str, str], dict[str, int]]


def _profile(query: Callable[[str], list[tuple]], relations: set[tuple[str, str]]) -> Profile:
    """{(schema, relation): {"*": rows, column: non-null values, ...}} of relations that exist, without the
    DuckDB-only columns and rows (DUCKDB_ONLY_COLUMNS, ROW_FILTERS)."""
    profile = {}
    for schema, name in sorted(relations):
        columns = [column for (column,) in query(
            f"select column_name from information_schema.columns where table_schema = '{schema}' "
            f"and table_name = '{name}' order by ordinal_position")]
        columns = [column for column in columns if column not in DUCKDB_ONLY_COLUMNS.get((schema, name), ())]
        if columns:
            counts = ", ".join(["count(*)", *(f'count("{column}")' for column in columns)])
            where = f" where {ROW_FILTERS[schema, name]}" if (schema, name) in ROW_FILTERS else ""
            [row] = query(f'select {counts} from "{schema}"."{name}"{where}')
            profile[(schema, name)] = dict(zip(["*", *columns], row))
    return profile


@pytest.fixture(scope="module")
def profiles(postgres_warehouse: PostgresWarehouse, demo_warehouse: Warehouse) -> tuple[Profile, Profile]:
    relations = model_relations(postgres_warehouse.manifest)
    with _engines(postgres_warehouse, demo_warehouse) as (pg, duck):
        return _profile(pg, relations), _profile(duck, relations)


def test_every_model_has_the_same_row_count_on_postgres_and_duckdb(
        postgres_warehouse: PostgresWarehouse, demo_warehouse: Warehouse, profiles: tuple[Profile, Profile]) -> None:
    expected = model_relations(postgres_warehouse.manifest)
    assert ("guard", "quarantine") in expected and ("staging", "stg_crm__companies") in expected
    assert duckdb_relations(demo_warehouse) == expected, "the two targets do not build the same relations"
    pg, duck = profiles
    assert set(pg) == expected, f"missing on PostgreSQL: {sorted(expected - set(pg))}"
    predicted = {("segments", name) for name in PREDICTED_SEGMENTS | PREDICTION_DEPENDENT_ROWS | {"segment_membership"}}
    differences = {f"{schema}.{name}": {"postgres": pg[schema, name]["*"], "duckdb": duck[schema, name]["*"]}
                   for schema, name in sorted(expected - predicted) if pg[schema, name]["*"] != duck[schema, name]["*"]}
    assert not differences, f"row counts differ: {differences}"
    segments = ", ".join(f"'{name}'" for name in sorted(PREDICTED_SEGMENTS))
    membership = (f"select segment_name, count(*) from segments.segment_membership "
                  f"where segment_name not in ({segments}) group by segment_name")
    with _engines(postgres_warehouse, demo_warehouse) as (pg_query, duck_query):
        assert dict(pg_query(membership)) == dict(duck_query(membership))


def test_every_model_has_the_same_columns_and_non_null_counts(profiles: tuple[Profile, Profile]) -> None:
    """A cheap check of the values: a parser that gives NULL on one engine only shows up here."""
    pg, duck = profiles
    differences = {}
    for relation in sorted(set(pg) & set(duck)):
        if set(pg[relation]) != set(duck[relation]):
            differences[".".join(relation)] = {"only on postgres": sorted(set(pg[relation]) - set(duck[relation])),
                                               "only on duckdb": sorted(set(duck[relation]) - set(pg[relation]))}
            continue
        differing = {column: {"postgres": count, "duckdb": duck[relation][column]}
                     for column, count in pg[relation].items()
                     if count != duck[relation][column] and column not in PREDICTED_COLUMNS.get(relation, set())
                     and relation[1] not in PREDICTED_SEGMENTS | PREDICTION_DEPENDENT_VALUES | {"segment_membership"}}
        if differing:
            differences[".".join(relation)] = differing
    assert not differences, f"non-null counts differ: {json.dumps(differences, indent=1)}"


def test_predictions_are_null_on_postgres(postgres_warehouse: PostgresWarehouse, demo_warehouse: Warehouse) -> None:
    """What docs/POSTGRES.md says: the prediction columns exist and are null, the prediction segments are empty
    (and listed in the catalogue), while DuckDB fills them."""
    for (schema, name), columns in DUCKDB_ONLY_COLUMNS.items():
        counts = ", ".join(f'count("{column}")' for column in sorted(columns))
        [pg_counts] = postgres_warehouse.query(f'select {counts} from "{schema}"."{name}"')
        [duck_counts] = demo_warehouse.query(f'select {counts} from "{schema}"."{name}"')
        assert set(pg_counts) == {0}, name
        assert min(duck_counts) > 0, name
    for segment in DUCKDB_ONLY_SEGMENTS:
        assert postgres_warehouse.query(f"select count(*) from segments.{segment}") == [(0,)]
        assert postgres_warehouse.query(
            f"select member_count from segments.segment_catalog where segment_name = '{segment}'") == [(0,)]
    assert postgres_warehouse.query("select count(*) from predictions.int_clv_summaries")[0][0] > 0


def test_quarantine_is_the_same_on_postgres_and_duckdb(
        postgres_warehouse: PostgresWarehouse, demo_warehouse: Warehouse) -> None:
    sql = "select source_file, row_number, rule, column_name from guard.quarantine"
    pg_rows = Counter(postgres_warehouse.query(sql))
    duck_rows = Counter(demo_warehouse.query(sql))
    assert pg_rows, "the demo exports should quarantine some rows"
    assert pg_rows == duck_rows, (f"only on PostgreSQL: {sorted(pg_rows - duck_rows)[:20]}\n"
                                  f"only on DuckDB: {sorted(duck_rows - pg_rows)[:20]}")


def test_exports_are_tables_without_files_on_postgres(
        postgres_warehouse: PostgresWarehouse, demo_warehouse: Warehouse) -> None:
    """What docs/POSTGRES.md says: the export models are tables holding the same rows as on DuckDB (the segments
    built on predictions aside), and the build writes no file."""
    assert not postgres_warehouse.exports_dir.exists()
    assert (demo_warehouse.exports_dir / "brevo").is_dir()
    for sql in (
        f"select segment_name, email, first_name, last_name, ext_id from exports.export_brevo where {_NOT_PREDICTED}",
        f"select segment_name, email, tags from exports.export_mailchimp where {_NOT_PREDICTED}",
        "select segment_name, contact_id, company_id, customer_type, email, city, region, next_send_at "
        f"from exports.export_segment_members where {_NOT_PREDICTED}",
    ):
        pg_rows, duck_rows = Counter(postgres_warehouse.query(sql)), Counter(demo_warehouse.query(sql))
        assert len(duck_rows) > 10_000
        assert pg_rows == duck_rows, (f"only on PostgreSQL: {sorted(pg_rows - duck_rows)[:5]}\n"
                                      f"only on DuckDB: {sorted(duck_rows - pg_rows)[:5]}")


@pytest.mark.parametrize("sql", [
    "select company_id, day_of_week, opens_at_minute, closes_at_minute from intermediate.int_account_open_slots",
    "select company_id, opening_hours_status, send_timezone from intermediate.int_account_opening_hours",
    "select contact_id, usual_open_hour, send_timezone, send_window_basis, next_send_at, next_send_local_at "
    "from intermediate.int_contact_send_windows",
])
def test_send_windows_are_the_same_on_postgres_and_duckdb(
        postgres_warehouse: PostgresWarehouse, demo_warehouse: Warehouse, sql: str) -> None:
    """Opening hours parsed in SQL, time zones and holidays: the same values on both engines, not only counts."""
    pg_rows, duck_rows = Counter(postgres_warehouse.query(sql)), Counter(demo_warehouse.query(sql))
    assert len(duck_rows) > 1000
    assert pg_rows == duck_rows, (f"only on PostgreSQL: {sorted(pg_rows - duck_rows)[:10]}\n"
                                  f"only on DuckDB: {sorted(duck_rows - pg_rows)[:10]}")


# -- bad input gets a clear error ---------------------------------------------------------------------------------
def _rewrite_without_column(path: Path, column: str) -> None:
    """Rewrite a CSV export without one column (matched by normalised name), keeping delimiter and encoding."""
    encoding = text_encoding(path)
    with path.open(newline="", **encoding) as handle:
        delimiter = sniff_delimiter(handle.readline())
        handle.seek(0)
        rows = list(csv.reader(handle, delimiter=delimiter))
    index = normalize_header(rows[0]).index(column)
    with path.open("w", encoding=encoding["encoding"], newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(
            [value for position, value in enumerate(row) if position != index] for row in rows)


def test_guard_failure_names_file_column_and_expectation(postgres_server: TemporaryPostgres, tmp_path: Path) -> None:
    raw_dir = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, raw_dir)
    _rewrite_without_column(raw_dir / "companies.csv", "company_id")
    postgres_server.create_database("broken_companies")
    load = run_loader(postgres_server, raw_dir, dbname="broken_companies")
    assert load.returncode == 1, load.output
    assert "Great Expectations guard failed" in load.output, load.output
    failure = load.output[load.output.index("Great Expectations guard failed"):]
    assert "companies.csv" in failure and "company_id" in failure, failure
    assert "expect_table_columns_to_match_set" in failure, failure
    with psycopg2.connect(postgres_server.dsn("broken_companies")) as connection, connection.cursor() as cursor:
        cursor.execute("select to_regclass('raw.companies')")
        assert cursor.fetchone()[0] is None, "a failed guard must not publish the raw tables"


def _head(source: Path, target: Path, records: int) -> None:
    """The header and first records of a CSV export, same delimiter and encoding."""
    encoding = text_encoding(source)
    with source.open(newline="", **encoding) as handle:
        delimiter = sniff_delimiter(handle.readline())
        handle.seek(0)
        rows = [row for _, row in zip(range(records + 1), csv.reader(handle, delimiter=delimiter))]
    with target.open("w", encoding=encoding["encoding"], newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)


def test_collapsed_row_count_stops_the_load(postgres_server: TemporaryPostgres, tmp_path: Path) -> None:
    """The previous load's row counts, read from raw.guard_file_checks, are the baseline of the next load."""
    for name in ("companies.csv", "contacts.csv", "orders.csv"):
        _head(DEMO_DIR / name, tmp_path / name, 40)
    postgres_server.create_database("collapsed")
    with psycopg2.connect(postgres_server.dsn("collapsed")) as connection, connection.cursor() as cursor:
        cursor.execute(f"create schema raw; create table raw.guard_file_checks ({GUARD_COLUMNS})")
        cursor.execute("insert into raw.guard_file_checks values ('orders.csv', "
                       "'expect_table_row_count_to_be_between', null, true, '1000', null, 1000, now())")
    load = run_loader(postgres_server, tmp_path, "--max-row-drop", "0.5", dbname="collapsed")
    assert load.returncode == 1, load.output
    assert any("orders.csv" in line and "expect_table_row_count_to_be_between" in line
               for line in load.output.splitlines()), load.output
    with psycopg2.connect(postgres_server.dsn("collapsed")) as connection, connection.cursor() as cursor:
        cursor.execute("select to_regclass('raw.orders'), (select count(*) from raw.guard_file_checks)")
        assert cursor.fetchone() == (None, 1), "a failed guard must leave the previous raw tables in place"


def test_missing_required_file_is_named(postgres_server: TemporaryPostgres, tmp_path: Path) -> None:
    raw_dir = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, raw_dir)
    (raw_dir / "orders.csv").unlink()
    load = run_loader(postgres_server, raw_dir)
    assert load.returncode == 2, load.output
    assert "orders.csv" in load.output and "required" in load.output, load.output


def test_file_that_is_not_csv_is_named(postgres_server: TemporaryPostgres, tmp_path: Path) -> None:
    raw_dir = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, raw_dir)
    (raw_dir / "products.csv").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")  # an .xlsx renamed
    postgres_server.create_database("not_csv")
    load = run_loader(postgres_server, raw_dir, dbname="not_csv")
    assert load.returncode == 2, load.output
    assert "products.csv" in load.output and "not a CSV" in load.output, load.output


# -- GDPR erasure (last: it changes the demo database the comparisons above read) ---------------------------------
def test_training_rows_are_reused_on_postgres(postgres_warehouse: PostgresWarehouse, tmp_path: Path) -> None:
    """The features as of past cutoffs are incremental on PostgreSQL too: as of 2026-11-01 (the same training anchor
    as the demo's 2026-10-31, Monday 2026-10-26) cutoff 0 is computed again and the settled training cutoffs are
    kept, computed as of 2026-10-31; the rows of the old cutoff 0 are gone. The demo build is left as it was."""
    models = ["prediction_cutoffs", "contact_engagement_as_of", "contact_features_as_of", "company_features_as_of",
              "prospect_potential_as_of"]
    env = {**postgres_warehouse.server.env(schema=TARGET_SCHEMA), "DBT_TARGET_PATH": str(tmp_path / "target"),
           "DBT_LOG_PATH": str(tmp_path / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}

    def computed() -> dict[str, set[tuple[int, str, str]]]:
        return {model: {(index, str(cutoff), str(as_of)) for index, cutoff, as_of in postgres_warehouse.query(
            f"select distinct cutoff_index, cutoff_date, computed_as_of from predictions.{model}")}
            for model in models[1:]}

    before = computed()
    try:
        run_dbt(["run", "--target", "postgres", "--vars", dbt_vars(DEMO_DIR, "2026-11-01"), "--select", *models],
                env=env)
        for model, cutoffs in computed().items():
            assert cutoffs == {(0, "2026-11-01", "2026-11-01"), (1, "2026-04-29", "2026-10-31"),
                               (2, "2025-10-31", "2026-10-31"), (3, "2025-05-04", "2026-10-31")}, model
    finally:
        run_dbt(["run", "--target", "postgres", "--vars", dbt_vars(DEMO_DIR), "--select", *models], env=env)
    assert computed() == before


def test_erasure_on_postgres(postgres_warehouse: PostgresWarehouse, demo_warehouse: Warehouse,
                             tmp_path: Path) -> None:
    """The loader hashes `erasure_requests.csv` into raw.erasure_register and deletes the people's rows (keeps the
    account's with contact_id blanked) before the guard; the next incremental `dbt run` parses the append-only
    exports again where rows they had parsed are gone, and the incremental facts drop the people's rows. The same
    people and counts as test_erasure.py on DuckDB."""
    from test_erasure import expected_erasure, pick_people, read_export

    from segwarehouse.erasure import subject_sha256

    raw = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, raw)
    email, contact_id = pick_people(demo_warehouse)
    expected = expected_erasure(raw, email, contact_id)
    (raw / "erasure_requests.csv").write_text(f"email,contact_id,requested_at\n{email.upper()},,2026-10-15\n"
                                              f",{contact_id},\n", encoding="utf-8")
    server = postgres_warehouse.server
    load = run_loader(server, raw)
    assert load.returncode == 0, load.output
    landed = {file: (rows, erased, kept) for file, rows, erased, kept in postgres_warehouse.query(
        "select file_name, landed_rows, erased_rows, anonymised_rows from raw.landed_exports")}
    for file in expected.erased:
        assert landed[file] == (len(read_export(raw / file).rows), len(expected.erased[file]),
                                len(expected.anonymised[file])), file
    register = {(kind, digest) for kind, digest in postgres_warehouse.query(
        "select subject_kind, subject_sha256 from raw.erasure_register")}
    assert register == {("contact_id", subject_sha256("contact_id", value)) for value in expected.contact_ids} | {
        ("email", subject_sha256("email", value)) for value in expected.emails} | {
        ("order_id", subject_sha256("order_id", value)) for value in expected.erased_order_ids}

    env = {**server.env(schema=TARGET_SCHEMA), "DBT_TARGET_PATH": str(tmp_path / "target"),
           "DBT_LOG_PATH": str(tmp_path / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    incremental_facts = ("fct_email_events", "fct_order_lines", "fct_orders", "fct_store_visits")
    run_dbt(["run", "--target", "postgres", "--vars", dbt_vars(raw), "--select", "path:models/staging",
             *incremental_facts], env=env)
    pattern = "|".join(re.escape(needle) for needle in sorted(expected.needles))
    relations = postgres_warehouse.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('raw', 'staging', 'marts') and table_name not in ('erasure_register')")
    traces = {}
    for schema, name in relations:
        if schema == "marts" and name not in incremental_facts:
            continue  # the marts this run did not build: rebuilt in full by the next build
        [(count,)] = postgres_warehouse.query(
            f'select count(*) from "{schema}"."{name}" as relation where lower(relation::text) ~ %s', (pattern,))
        if count:
            traces[f"{schema}.{name}"] = count
    assert traces == {}
    # the other rows of the append-only exports were parsed again, not lost
    for file, table in (("email_events.csv", "email_events"), ("store_visits.csv", "store_visits"),
                        ("order_lines.csv", "order_lines")):
        [(based,)] = postgres_warehouse.query(f"select count(*) from staging.base_crm__{table}")
        assert based == landed[file][0] - landed[file][1], file
