"""An incremental build gives exactly what a full refresh gives, after one more day is appended to the exports.

The demo warehouse (built once per session) is copied twice. One more day of activity is appended to a copy of the
demo exports (new orders and lines, email events, store visits, tickets and NPS answers; 2% of the events, visits
and orders late by one or two days). Copy A is then built incrementally, copy B with `--full-refresh`, both as of
the day after the appended one, and every table they hold must be identical, row for row.

The predictions' features as of past cutoffs are incremental too: between two training anchors (a grid of every
`prediction_retrain_days` = 7 days from Monday 2000-01-03; 2026-11-02 is one) the rows of the training cutoffs are
reused once settled. Reference date 2026-11-02 moves the anchor from the demo's 2026-10-26, so everything is computed;
a second appended day built as of 2026-11-03 reuses cutoffs 2 and 3 (settled), computes cutoff 1 again (its label
window ended on the anchor, late rows may still arrive) and must still equal a full refresh; 2026-11-09 moves the
anchor and computes every cutoff again.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import DEMO_DIR, RUN_STAMP_COLUMNS, Warehouse, dbt_vars, run_dbt, warehouse_path
from segwarehouse.append_day import append_day

APPENDED_DAY = "2026-11-01"
REFERENCE_DATE = "2026-11-02"
INCREMENTAL_MODELS = ["base_crm__email_events", "base_crm__order_lines", "base_crm__store_visits", "base_crm__orders",
                      "base_crm__contacts", "base_crm__support_tickets", "base_crm__nps_responses",
                      "fct_email_events", "fct_order_lines", "fct_orders", "fct_store_visits", "contact_engagement_as_of",
                      "contact_features_as_of", "company_features_as_of", "prospect_potential_as_of"]
AS_OF_MODELS = ["contact_engagement_as_of", "contact_features_as_of", "company_features_as_of",
                "prospect_potential_as_of"]


@pytest.fixture(scope="module")
def builds(demo_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    raw = root / "raw"
    shutil.copytree(DEMO_DIR, raw)
    appended = append_day(raw, APPENDED_DAY, seed=3)
    paths = {"incremental": warehouse_path(root / "incremental"), "full": warehouse_path(root / "full")}
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
        run_dir = builds["root"] / f"target_{mode}" / "compiled" / "segments" / "models"
        for model in INCREMENTAL_MODELS:
            sql = next(run_dir.rglob(f"{model}.sql")).read_text()
            assert (f'"{model}"' in sql) is expected, (mode, model)


def _assert_same_tables(left_path: Path, right_path: Path, ignored: tuple[str, ...] = ()) -> list[str]:
    """Every table of the two warehouses holds the same rows (the run's logs and stamps aside)."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left_path}' as inc (read_only)")
        connection.execute(f"attach '{right_path}' as full_build (read_only)")
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
            stamps = (*RUN_STAMP_COLUMNS, "valid_from", "entered_build_id", "build_id", *ignored)
            columns = [column for column in columns if column not in stamps]
            select = ", ".join(f'"{column}" is null' if column in ("valid_to", "left_build_id") else f'"{column}"'
                               for column in columns)
            for left, right in (("inc", "full_build"), ("full_build", "inc")):
                extra = connection.execute(
                    f"select count(*) from (select {select} from {left}.{schema}.{table} "
                    f"except all select {select} from {right}.{schema}.{table})").fetchall()[0][0]
                assert extra == 0, f"{schema}.{table}: {extra} rows in {left} and not in {right}"
            compared.append(table)
    return compared


def test_incremental_build_equals_full_refresh(builds: dict) -> None:
    compared = _assert_same_tables(builds["paths"]["incremental"], builds["paths"]["full"])
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


def test_guard_validated_only_the_rows_no_build_had(builds: dict) -> None:
    """Great Expectations ran its column expectations on the appended rows alone in the incremental run (none for
    an unchanged file: the demo build validated it), and on every row (sampled above `guard_sample_rows`) after the
    full refresh landed every file again; the row count is the whole file's either way."""
    from segwarehouse.guard import sample_step

    appended = builds["appended"]
    for mode in ("incremental", "full"):
        with duckdb.connect(str(builds["paths"][mode]), read_only=True) as connection:
            checks = connection.execute(
                "select source_file, max(row_count), min(rows_validated), max(rows_validated), "
                "max(validated_through_row) from guard.guard_file_checks where column_name is not null "
                "group by 1").fetchall()
            landed = dict(connection.execute("select file_name, landed_rows from raw.landed_exports").fetchall())
        assert {file for file, *_ in checks} == set(landed)
        for file, row_count, fewest, most, through_row in checks:
            assert row_count == landed[file] == through_row, (mode, file)  # no erasure here: positions = rows
            new_rows = appended.get(file, 0) if mode == "incremental" else row_count
            step = sample_step(new_rows, 200_000)
            assert fewest == most == -(-new_rows // step), (mode, file)
    assert sum(appended.values()) > 0


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


def test_key_tests_check_the_latest_load_against_the_whole_table(builds: dict) -> None:
    """After the incremental run, the key tests of the big facts check the rows of the latest load (`_loaded_at`)
    against the whole table. Two rows are copied in a copy of the warehouse: an old email event, stamped as if the
    latest run had loaded it again, and an old order line, keeping its old stamp. The scoped tests catch the first
    (a key of the latest load seen twice) and not the second (rows of earlier loads are not checked again);
    SEGMENTS_FULL_KEY_TESTS=true checks every key and catches both.
    The raw exports' key tests (sources) are scoped to the latest landing the same way: an old email event is
    copied to the end of the landed copy, after the rows the incremental run appended. The scoped test reports that
    key alone, not the demo's repeated or empty event ids landed by the first build; the full test reports them all."""
    root = builds["root"]
    path = warehouse_path(root / "key_tests")
    shutil.copyfile(builds["paths"]["incremental"], path)
    with duckdb.connect(str(path)) as connection:
        latest, loads = connection.execute(
            "select max(_loaded_at), count(distinct _loaded_at) from marts.fct_email_events").fetchall()[0]
        assert loads == 2  # the demo build's rows and the incremental run's
        [(event_id,)] = connection.execute(
            "select min(event_id) from marts.fct_email_events where _loaded_at < ?", [latest]).fetchall()
        connection.execute("insert into marts.fct_email_events by name select * replace (? as _loaded_at) "
                           "from marts.fct_email_events where event_id = ?", [latest, event_id])
        [(order_id, line_number)] = connection.execute(
            "select order_id, line_number from marts.fct_order_lines where _loaded_at < "
            "(select max(_loaded_at) from marts.fct_order_lines) order by 1, 2 limit 1").fetchall()
        connection.execute("insert into marts.fct_order_lines select * from marts.fct_order_lines "
                           "where order_id = ? and line_number = ?", [order_id, line_number])
        [(mode, rows_before, landed_rows)] = connection.execute(
            "select last_mode, rows_before_landing, landed_rows from raw.landed_exports "
            "where file_name = 'email_events.csv'").fetchall()
        assert mode == "append" and 0 < rows_before < landed_rows, (mode, rows_before, landed_rows)
        connection.execute("insert into raw.email_events__landed select * from raw.email_events__landed "
                           "where rowid = (select min(rowid) from raw.email_events__landed where event_id is not null)")
        [(raw_offending,)] = connection.execute(
            "select count(*) from (select event_id from raw.email_events group by event_id "
            "having count(*) > 1 or event_id is null)").fetchall()
        assert raw_offending > 1  # the demo's own repeats, and the copied row
    select = ["--select", "test_name:primary_key,fct_email_events", "test_name:unique_combination,fct_order_lines",
              "test_name:primary_key,source:crm.email_events"]
    results = {}
    for mode, extra in (("scoped", {}), ("full", {"SEGMENTS_FULL_KEY_TESTS": "true"})):
        run = run_dbt(["test", *select, "--vars", dbt_vars(builds["raw"], REFERENCE_DATE),
                       "--target-path", str(root / f"target_key_tests_{mode}")],
                      env={"SEGMENTS_DUCKDB_PATH": str(path), **extra}, check=False)
        assert "Done. PASS=" in run.output, run.output[-3000:]
        results[mode] = run.output
        compiled = {file.name: file.read_text() for file in
                    (root / f"target_key_tests_{mode}" / "compiled").rglob("*.sql")
                    if file.name.startswith(("primary_key_", "unique_combination_", "source_primary_key_"))}
        assert len(compiled) == 3, compiled.keys()
        assert all(("latest_keys" in sql) is (mode == "scoped") for sql in compiled.values()), mode
    assert "FAIL 1 primary_key_fct_email_events_event_id" in results["scoped"]
    assert "PASS unique_combination_fct_order_lines" in results["scoped"]
    assert "WARN 1 source_primary_key_crm_email_events_event_id" in results["scoped"]
    assert "FAIL 1 primary_key_fct_email_events_event_id" in results["full"]
    assert "FAIL 1 unique_combination_fct_order_lines" in results["full"]
    assert f"WARN {raw_offending} source_primary_key_crm_email_events_event_id" in results["full"]


def test_orders_follow_identity_and_product_changes(builds: dict) -> None:
    """`fct_orders` recomputes only the orders that changed since its last load. In a copy of the incremental
    warehouse, one person is merged into another in `contact_identity_map`: an incremental run of `fct_orders`
    rewrites that person's orders, with the new person, and no other order. Then one product becomes advanced
    technology, staged after that run: the next incremental run rewrites every order, and gives the same table as a
    full refresh of `fct_orders` on the same inputs."""
    root = builds["root"]
    paths = {"incremental": warehouse_path(root / "orders_incremental"), "full": warehouse_path(root / "orders_full")}
    shutil.copyfile(builds["paths"]["incremental"], paths["incremental"])
    with duckdb.connect(str(paths["incremental"])) as connection:
        [(merged, survivor, orders)] = connection.execute(
            "select orders.source_contact_id, max(other.contact_id), count(distinct orders.order_id) "
            "from marts.fct_orders as orders "
            "inner join marts.contact_identity_map as other on other.is_survivor "
            "and other.contact_id <> orders.source_contact_id and other.company_id is not distinct from "
            "orders.company_id "
            "where orders.source_contact_id = orders.contact_id "
            "group by 1 order by 3 desc, 1 limit 1").fetchall()
        assert orders >= 2
        connection.execute("update marts.contact_identity_map set surviving_contact_id = ?, is_survivor = false "
                           "where contact_id = ?", [survivor, merged])
        [(stamp,)] = connection.execute("select max(_loaded_at) from marts.fct_orders").fetchall()

    def run_orders(path: Path, name: str, *extra: str) -> None:
        run_dbt(["run", "--select", "fct_orders", "--vars", dbt_vars(builds["raw"], REFERENCE_DATE),
                 "--target-path", str(root / f"target_orders_{name}"), *extra],
                env={"SEGMENTS_DUCKDB_PATH": str(path)})

    run_orders(paths["incremental"], "identity")
    advanced_amount = ("select sum(advanced_technology_amount) from marts.fct_orders where order_id in "
                       "(select order_id from marts.fct_order_lines where product_id = ?)")
    with duckdb.connect(str(paths["incremental"])) as connection:
        rewritten = connection.execute(
            "select source_contact_id, contact_id, count(*) from marts.fct_orders where _loaded_at > ? group by 1, 2",
            [stamp]).fetchall()
        assert rewritten == [(merged, survivor, orders)]
        [(product_id,)] = connection.execute(
            "select lines.product_id from marts.fct_order_lines as lines "
            "inner join staging.stg_crm__products as products on lines.product_id = products.product_id "
            "where products.technology_level <> 'advanced' group by 1 order by count(*) desc, 1 limit 1").fetchall()
        [(advanced_before,)] = connection.execute(advanced_amount, [product_id]).fetchall()
        connection.execute("update staging.base_crm__products set technology_level = 'advanced', "
                           "_loaded_at = (select max(_loaded_at) + interval 1 second from marts.fct_orders) "
                           "where product_id = ?", [product_id])
    shutil.copyfile(paths["incremental"], paths["full"])
    run_orders(paths["incremental"], "products")
    run_orders(paths["full"], "full", "--full-refresh")
    with duckdb.connect(str(paths["incremental"]), read_only=True) as connection:
        assert connection.execute(
            "select count(*) from marts.fct_orders where _loaded_at <= (select max(_loaded_at) from "
            "staging.base_crm__products)").fetchall() == [(0,)]
        [(advanced_after,)] = connection.execute(advanced_amount, [product_id]).fetchall()
        assert advanced_after > advanced_before
    with duckdb.connect() as connection:
        connection.execute(f"attach '{paths['incremental']}' as inc (read_only)")
        connection.execute(f"attach '{paths['full']}' as full_build (read_only)")
        for left, right in (("inc", "full_build"), ("full_build", "inc")):
            assert connection.execute(
                f"select count(*) from (select * exclude (_loaded_at) from {left}.marts.fct_orders "
                f"except all select * exclude (_loaded_at) from {right}.marts.fct_orders)").fetchall() == [(0,)]


def test_edited_and_shortened_exports_are_parsed_again(builds: dict) -> None:
    """After the incremental run, a contact is deleted from contacts.csv and a ticket's score is corrected in place
    (same file size) in support_tickets.csv; orders.csv does not change. The next incremental run lands both edited
    files in full and parses them again; the orders of the deleted contact, based in earlier runs, are parsed again
    and quarantined as unknown_reference, as a full refresh would."""
    root, raw = builds["root"], builds["raw"]
    path = warehouse_path(root / "edited")
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


def _computed_as_of(path: Path) -> dict[str, dict[tuple[int, str], str]]:
    """Per *_as_of model: the reference date each cutoff's rows were computed on (one per cutoff)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        result = {}
        for model in AS_OF_MODELS:
            rows = connection.execute(
                f"select cutoff_index, cast(cutoff_date as varchar), min(computed_as_of), max(computed_as_of) "
                f"from predictions.{model} group by all order by 1").fetchall()
            assert all(first == last for *_, first, last in rows), model
            result[model] = {(index, cutoff): str(first) for index, cutoff, first, _ in rows}
    return result


@pytest.fixture(scope="module")
def second_day(builds: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A second day (2026-11-02, with late rows) appended to a fresh copy of the exports holding the first one; the
    incremental warehouse of 2026-11-02 built again incrementally, and with `--full-refresh`, as of 2026-11-03."""
    root = tmp_path_factory.mktemp("second_day")
    raw = root / "raw"
    shutil.copytree(DEMO_DIR, raw)
    append_day(raw, APPENDED_DAY, seed=3)
    append_day(raw, "2026-11-02", seed=4)
    paths = {"incremental": warehouse_path(root / "incremental"), "full": warehouse_path(root / "full")}
    for mode, path in paths.items():
        shutil.copyfile(builds["paths"]["incremental"], path)
        args = ["run", "--vars", dbt_vars(raw, "2026-11-03"), "--target-path", str(root / f"target_{mode}")]
        if mode == "full":
            args.append("--full-refresh")
        run_dbt(args, env={"SEGMENTS_DUCKDB_PATH": str(path)})
    return {"root": root, "raw": raw, "paths": paths}


def test_training_rows_are_computed_on_the_new_anchor(builds: dict) -> None:
    """2026-11-02 is on the grid: the anchor moved from the demo's 2026-10-26, every cutoff was computed that day."""
    for model, cutoffs in _computed_as_of(builds["paths"]["incremental"]).items():
        assert cutoffs == {(0, "2026-11-02"): "2026-11-02", (1, "2026-05-06"): "2026-11-02",
                           (2, "2025-11-07"): "2026-11-02", (3, "2025-05-11"): "2026-11-02"}, model


def test_settled_training_rows_are_reused_until_the_anchor_moves(second_day: dict) -> None:
    """As of 2026-11-03 (same anchor): cutoffs 2 and 3, settled (computed on 2026-11-02, after their label end + 3
    days), are reused; cutoff 1 (label end 2026-11-02, settled from 2026-11-05) and cutoff 0 are computed again. As
    of 2026-11-09 (the next anchor) every cutoff is new and computed, and the rows of the old ones are gone."""
    reused = _computed_as_of(second_day["paths"]["incremental"])
    for model, cutoffs in reused.items():
        assert cutoffs == {(0, "2026-11-03"): "2026-11-03", (1, "2026-05-06"): "2026-11-03",
                           (2, "2025-11-07"): "2026-11-02", (3, "2025-05-11"): "2026-11-02"}, model
    for model, cutoffs in _computed_as_of(second_day["paths"]["full"]).items():
        assert set(cutoffs.values()) == {"2026-11-03"}, model

    path = warehouse_path(second_day["root"] / "next_anchor")
    shutil.copyfile(second_day["paths"]["incremental"], path)
    run_dbt(["run", "--select", "prediction_cutoffs", *AS_OF_MODELS,
             "--vars", dbt_vars(second_day["raw"], "2026-11-09"),
             "--target-path", str(second_day["root"] / "target_next_anchor")], env={"SEGMENTS_DUCKDB_PATH": str(path)})
    for model, cutoffs in _computed_as_of(path).items():
        assert cutoffs == {(0, "2026-11-09"): "2026-11-09", (1, "2026-05-13"): "2026-11-09",
                           (2, "2025-11-14"): "2026-11-09", (3, "2025-05-18"): "2026-11-09"}, model


def _churn_fits(path: Path) -> dict[tuple[str, str], tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {(population, fit): rest for population, fit, *rest in connection.execute(
            "select population, fit, training_fingerprint, fitted_at, model_json from predictions.churn_models"
        ).fetchall()}


def test_churn_fits_are_reused_while_their_training_rows_are_the_same(second_day: dict, builds: dict) -> None:
    """As of 2026-11-03 the backtest fits learn from cutoffs 2 and 3, reused unchanged: same fingerprint, so the
    fits of 2026-11-02 are kept (same model, same fitted_at); a fit whose rows changed is fitted again. A fit reused
    is the fit computed from scratch on the same rows: the table dropped and built again gives the same models."""
    before, after = _churn_fits(builds["paths"]["incremental"]), _churn_fits(second_day["paths"]["incremental"])
    assert set(before) == set(after) == {(population, fit) for population in ("consumer", "account")
                                         for fit in ("backtest", "score")}
    for key, (fingerprint, fitted_at, model) in after.items():
        if fingerprint == before[key][0]:
            assert (fitted_at, model) == (before[key][1], before[key][2]), key
        else:
            assert fitted_at > before[key][1], key
    assert {after[(population, "backtest")][0] == before[(population, "backtest")][0]
            for population in ("consumer", "account")} == {True}

    path = warehouse_path(second_day["root"] / "refitted")
    shutil.copyfile(second_day["paths"]["incremental"], path)
    with duckdb.connect(str(path)) as connection:
        connection.execute("drop table predictions.churn_models")
    run_dbt(["run", "--select", "churn_models", "--vars", dbt_vars(second_day["raw"], "2026-11-03"),
             "--target-path", str(second_day["root"] / "target_refitted")], env={"SEGMENTS_DUCKDB_PATH": str(path)})
    refitted = _churn_fits(path)
    assert {key: (fingerprint, model) for key, (fingerprint, _, model) in refitted.items()} == \
        {key: (fingerprint, model) for key, (fingerprint, _, model) in after.items()}
    assert all(refitted[key][1] > after[key][1] for key in after)  # fitted by this run, none reused


def test_incremental_build_reusing_training_rows_equals_full_refresh(second_day: dict) -> None:
    """Reused training rows (and cutoff 1 computed again with the late rows of the second day) give the same tables
    as a full refresh; only the date the rows were computed on differs."""
    compared = _assert_same_tables(second_day["paths"]["incremental"], second_day["paths"]["full"],
                                   ignored=("computed_as_of",))
    assert set(AS_OF_MODELS) <= set(compared)
