"""Bad input gets a clear error, and nothing is lost.

Row-level corpus: one broken row of every kind the contract names is appended to a valid export set; each must land
in `quarantine` with its file, row number, rule and column, and rows read = rows staged + rows quarantined.
File-level corpus: each case must stop the build with a message naming the file, the column and the expectation.
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, Warehouse, dbt_vars, run_dbt
from segwarehouse.contract import load_contract
from segwarehouse.guard import label_regex

CLEAN_DIR = PROJECT_ROOT / "tests" / "fixtures" / "clean"
FORMATS = {"companies.csv": (";", "utf-8-sig"), "products.csv": (";", "latin-1")}


def read_export(folder: Path, file: str) -> tuple[list[str], list[list[str]]]:
    delimiter, encoding = FORMATS.get(file, (",", "utf-8"))
    with (folder / file).open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    return rows[0], rows[1:]


def write_export(folder: Path, file: str, header: list[str], rows: list[list[str]]) -> None:
    delimiter, encoding = FORMATS.get(file, (",", "utf-8"))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
    (folder / file).write_bytes(buffer.getvalue().encode(encoding))


def append_rows(folder: Path, file: str, new_rows: list[dict[str, str]]) -> list[int]:
    """Append rows (by column name) to an export; returns their 1-based data row numbers."""
    header, rows = read_export(folder, file)
    numbers = []
    for values in new_rows:
        names = [name.strip().lower() for name in header]
        rows.append([values.get(name, "") for name in names])
        numbers.append(len(rows))
    write_export(folder, file, header, rows)
    return numbers


def copy_clean(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    shutil.copytree(CLEAN_DIR, folder)
    return folder


# file, row values, expected rule, expected column
BROKEN_ROWS = [
    ("companies.csv", {"company_id": "", "company_name": "Sans id", "created_at": "2020-01-01"}, "missing_required_value", "company_id"),
    ("companies.csv", {"company_id": "A1", "company_name": "Doublon", "created_at": "2020-01-01"}, "duplicate_key", "company_id"),
    ("companies.csv", {"company_id": "B1", "company_name": "Date", "founded_date": "31/02/2020", "created_at": "2020-01-01"}, "unparseable_date", "founded_date"),
    ("companies.csv", {"company_id": "B2", "company_name": "Siren", "siren": "12345", "created_at": "2020-01-01"}, "malformed_siren", "siren"),
    ("companies.csv", {"company_id": "B3", "company_name": "Lead", "relationship_type": "lead", "created_at": "2020-01-01"}, "value_not_allowed", "relationship_type"),
    ("companies.csv", {"company_id": "B4", "company_name": "Effectif", "employee_count": "-3", "created_at": "2020-01-01"}, "negative_amount", "employee_count"),
    ("companies.csv", {"company_id": "B5", "company_name": "Score", "financial_score": "140", "created_at": "2020-01-01"}, "out_of_range", "financial_score"),
    ("companies.csv", {"company_id": "B6", "company_name": "Nombre", "employee_count": "douze", "created_at": "2020-01-01"}, "unparseable_integer", "employee_count"),
    ("contacts.csv", {"contact_id": "X1", "email": "jean.dupont@", "created_at": "2021-01-01"}, "malformed_email", "email"),
    ("contacts.csv", {"contact_id": "X2", "company_id": "Z9", "email": "a@b.fr", "created_at": "2021-01-01"}, "unknown_reference", "company_id"),
    ("contacts.csv", {"contact_id": "X3", "gender": "Q", "created_at": "2021-01-01"}, "value_not_allowed", "gender"),
    ("contacts.csv", {"contact_id": "X4", "birth_date": "hier", "created_at": "2021-01-01"}, "unparseable_date", "birth_date"),
    ("contacts.csv", {"contact_id": "X5", "created_at": "le 3 mars"}, "unparseable_timestamp", "created_at"),
    ("orders.csv", {"order_id": "Q1", "contact_id": "C3", "ordered_at": "2026-01-01", "total_amount": "-50"}, "negative_amount", "total_amount"),
    ("orders.csv", {"order_id": "Q2", "ordered_at": "2026-01-01", "total_amount": "50"}, "no_customer", "contact_id"),
    ("orders.csv", {"order_id": "Q3", "contact_id": "NOBODY", "ordered_at": "2026-01-01", "total_amount": "50"}, "unknown_reference", "contact_id"),
    ("orders.csv", {"order_id": "Q4", "contact_id": "C3", "ordered_at": "2026-01-01", "status": "pending", "total_amount": "5"}, "value_not_allowed", "status"),
    ("orders.csv", {"order_id": "Q5", "contact_id": "C3", "ordered_at": "2026-01-01", "total_amount": "12,5,3"}, "unparseable_decimal", "total_amount"),
    ("order_lines.csv", {"order_id": "NOPE", "line_number": "1", "product_id": "P1"}, "unknown_reference", "order_id"),
    ("order_lines.csv", {"order_id": "O1", "line_number": "1", "product_id": "P1"}, "duplicate_key", "order_id"),
    ("products.csv", {"product_id": "P9", "product_type": "gadget"}, "value_not_allowed", "product_type"),
    ("equipment.csv", {"company_id": "A5", "product_id": "P1", "seats_purchased": "2", "seats_active": "5"}, "out_of_range", "seats_active"),
    ("email_events.csv", {"event_id": "E9", "contact_id": "C3", "event_type": "bounced", "occurred_at": "2026-10-01"}, "value_not_allowed", "event_type"),
    ("email_events.csv", {"event_id": "E10", "event_type": "sent", "occurred_at": "2026-10-01"}, "no_customer", "contact_id"),
    ("support_tickets.csv", {"ticket_id": "T9", "contact_id": "C3", "opened_at": "2026-10-01", "satisfaction_score": "7"}, "out_of_range", "satisfaction_score"),
    ("support_tickets.csv", {"ticket_id": "T10", "contact_id": "C3", "opened_at": "2026-10-02", "closed_at": "2026-10-01"}, "out_of_range", "closed_at"),
    ("store_visits.csv", {"visit_id": "V9", "visited_at": "2026-10-01"}, "missing_required_value", "contact_id"),
    ("nps_responses.csv", {"response_id": "N9", "contact_id": "C3", "responded_at": "2026-10-01", "nps_score": "11"}, "out_of_range", "nps_score"),
    ("nps_responses.csv", {"response_id": "N10", "contact_id": "C3", "responded_at": "2026-10-01", "nps_score": "dix"}, "unparseable_integer", "nps_score"),
]


@pytest.fixture(scope="module")
def corrupted_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, set[tuple]]:
    folder = copy_clean(tmp_path_factory.mktemp("corrupted"))
    expected = set()
    for file, values, rule, column in BROKEN_ROWS:
        (row_number,) = append_rows(folder, file, [values])
        expected.add((file, row_number, rule, column))
    path = folder.parent / "warehouse.duckdb"
    # the corpus is far above the 5% threshold on these tiny files: lift it so that every row can be checked
    build = run_dbt(
        ["build", "--select", "resource_type:seed", "path:models/staging", "path:models/guard",
         "--exclude", "test_type:data", "test_type:unit", "--vars", dbt_vars(folder, max_quarantine_share=1.0)],
        env={"SEGMENTS_DUCKDB_PATH": str(path)},
    )
    return Warehouse(path=path, build=build), expected


def test_every_broken_row_is_quarantined_with_file_row_rule_and_column(corrupted_warehouse) -> None:
    warehouse, expected = corrupted_warehouse
    found = set(warehouse.query("select source_file, row_number, rule, column_name from guard.quarantine"))
    assert found == expected


def test_quarantine_keeps_the_raw_values(corrupted_warehouse) -> None:
    warehouse, _ = corrupted_warehouse
    (record,) = warehouse.query("select raw_record from guard.quarantine where rule = 'unparseable_decimal'")[0]
    assert '"total_amount":"12,5,3"' in record.replace(" ", "") and '"order_id":"Q5"' in record.replace(" ", "")


def test_rows_read_equal_rows_staged_plus_rows_quarantined(corrupted_warehouse) -> None:
    warehouse, _ = corrupted_warehouse
    for name, export in load_contract().items():
        read = warehouse.query(f"select count(*) from raw.{name}")[0][0]
        staged = warehouse.query(f"select count(*) from staging.stg_crm__{name}")[0][0]
        quarantined = warehouse.query(f"select count(*) from guard.quarantine where source_file = '{export.file}'")[0][0]
        assert read == staged + quarantined, name
        assert read > 0, name


def failed_build(folder: Path, tmp_path: Path, select: str | None = None, settings_by_env: bool = True,
                 **extra_vars: object) -> str:
    args = ["build", "--vars", dbt_vars(folder, **extra_vars)]
    if select:
        args += ["--select", select]
    run = run_dbt(args, env={"SEGMENTS_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb")}, check=False,
                  settings_by_env=settings_by_env)
    assert run.returncode != 0, run.output[-3000:]
    return run.output


def test_missing_required_file_stops_the_build(tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    (folder / "orders.csv").unlink()
    # the folder given by `--vars` (the other tests pass it by SEGMENTS_RAW_DIR, see conftest.run_dbt)
    output = failed_build(folder, tmp_path, select="guard_file_checks", settings_by_env=False)
    assert "orders.csv is missing" in output and "required by the contract" in output
    assert f"raw_dir = '{folder}', var or SEGMENTS_RAW_DIR" in output


def test_missing_optional_file_builds_with_an_empty_source_and_one_notice(tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    (folder / "nps_responses.csv").unlink()
    path = tmp_path / "warehouse.duckdb"
    run = run_dbt(["build", "--select", "+stg_crm__nps_responses", "--exclude", "test_type:data", "--vars", dbt_vars(folder)],
                  env={"SEGMENTS_DUCKDB_PATH": str(path)})
    assert run.output.count("nps_responses.csv is absent") == 1
    assert Warehouse(path, run).query("select count(*) from staging.stg_crm__nps_responses") == [(0,)]


def test_missing_required_column_names_file_column_and_expectation(tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    header, rows = read_export(folder, "companies.csv")
    keep = [i for i, name in enumerate(header) if name.strip().lower() != "company_name"]
    write_export(folder, "companies.csv", [header[i] for i in keep], [[row[i] for i in keep] for row in rows])
    output = failed_build(folder, tmp_path, select="+stg_crm__companies")
    assert "Great Expectations guard failed, nothing was published" in output
    assert "companies.csv: expect_table_columns_to_match_set failed, observed missing required column(s) company_name" in output
    assert "SKIP relation staging.stg_crm__companies" in output


def test_file_that_is_not_csv_stops_the_build(tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    (folder / "contacts.csv").write_bytes(bytes(range(256)) * 40)
    output = failed_build(folder, tmp_path, select="guard_file_checks")
    assert "contacts.csv is not a CSV text file: binary content (NUL byte at offset 0)" in output


# The remaining file-level expectations are exercised on the guard itself (the same suites the dbt model runs),
# on the export read the way the landing hook reads it.
def raw_frame(folder: Path, file: str):
    import duckdb

    from segwarehouse.exports import readable_csv

    path = readable_csv(str(folder / file), str(folder / ".landed"))
    with duckdb.connect() as connection:
        return connection.execute(
            "select * from read_csv(?, header = true, all_varchar = true, normalize_names = true, quote = '\"', escape = '\"')",
            [path],
        ).df()


@pytest.fixture(scope="module")
def guard():
    from segwarehouse.guard import Guard

    return Guard()


def failures(results) -> list[str]:
    return [result.message() for result in results if not result.success]


def test_guard_passes_valid_exports(guard, tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    for name, export in load_contract().items():
        assert failures(guard.validate_frame(name, raw_frame(folder, export.file))) == [], name


def test_column_suddenly_empty_fails_the_guard(guard, tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    header, rows = read_export(folder, "email_events.csv")
    index = header.index("event_type")
    for row in rows:
        row[index] = ""
    write_export(folder, "email_events.csv", header, rows)
    messages = failures(guard.validate_frame("email_events", raw_frame(folder, "email_events.csv")))
    assert "email_events.csv: column `event_type` expect_column_values_to_not_be_null failed, observed 100.00% unexpected" in messages


def test_unknown_labels_across_a_file_fail_the_guard(guard, tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    header, rows = read_export(folder, "orders.csv")
    index = header.index("status")
    for row in rows:
        row[index] = "pending"
    write_export(folder, "orders.csv", header, rows)
    messages = failures(guard.validate_frame("orders", raw_frame(folder, "orders.csv")))
    assert messages == [
        "orders.csv: column `status` expect_column_values_to_match_regex failed, observed 100.00% unexpected "
        "(e.g. 'pending', 'pending', 'pending', 'pending', 'pending')"
    ]


def test_dates_in_another_format_fail_the_guard(guard, tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    header, rows = read_export(folder, "store_visits.csv")
    index = header.index("visited_at")
    for row in rows:
        row[index] = "October 15th, 2026"
    write_export(folder, "store_visits.csv", header, rows)
    messages = failures(guard.validate_frame("store_visits", raw_frame(folder, "store_visits.csv")))
    assert len(messages) == 1 and "column `visited_at` expect_column_values_to_match_regex failed" in messages[0]


def test_collapsed_row_count_fails_the_guard(guard, tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    frame = raw_frame(folder, "contacts.csv")
    assert failures(guard.validate_frame("contacts", frame, previous_row_count=len(frame))) == []
    messages = failures(guard.validate_frame("contacts", frame.head(2), previous_row_count=len(frame)))
    assert messages == ["contacts.csv: expect_table_row_count_to_be_between failed, observed 2"]


def test_sample_step_keeps_at_most_the_cap() -> None:
    from segwarehouse.guard import sample_step

    assert [sample_step(n, 200_000) for n in (0, 1, 200_000, 200_001, 20_000_000)] == [1, 1, 1, 2, 100]


def test_guard_validates_only_the_rows_no_build_validated() -> None:
    """The rows after the last one the previous build validated, while the copy was only appended to with the same
    suite; every row after a landing in full (other content: a new epoch; the same content landed again, as by
    `--full-refresh`: a new landed_at), a change of suite, or without a previous record."""
    from segwarehouse.guard import Landing, Validated, first_row_to_validate

    full = Landing("e1", "full", "2026-11-01 06:00:00")
    previous = Validated(full, "suite1", 1000)
    assert first_row_to_validate(previous, full, "suite1") == 1000  # unchanged file: nothing new
    assert first_row_to_validate(previous, Landing("e1", "append", "2026-11-02 06:00:00"), "suite1") == 1000
    assert first_row_to_validate(previous, Landing("e1", "full", "2026-11-02 06:00:00"), "suite1") == 0
    assert first_row_to_validate(previous, Landing("e2", "append", "2026-11-02 06:00:00"), "suite1") == 0
    assert first_row_to_validate(previous, full, "suite2") == 0
    assert first_row_to_validate(None, full, "suite1") == 0
    assert first_row_to_validate(previous, Landing(None), "suite1") == 0  # absent optional file
    assert first_row_to_validate(Validated(full, "suite1", None), full, "suite1") == 0


def test_suite_fingerprint_follows_the_expectations(guard) -> None:
    """Same columns, same fingerprint; a column less (its expectations with it) or another threshold changes it."""
    from segwarehouse.guard import Guard

    columns = [column.name for column in load_contract()["orders"].columns]
    assert guard.suite_fingerprint("orders", columns) == guard.suite_fingerprint("orders", list(columns))
    without_key = [column for column in columns if column != "order_id"]
    assert guard.suite_fingerprint("orders", columns) != guard.suite_fingerprint("orders", without_key)
    stricter = Guard(max_quarantine_share=0.01)
    assert stricter.suite_fingerprint("orders", columns) != guard.suite_fingerprint("orders", columns)


def test_sampled_batch_checks_the_exact_row_count(guard, tmp_path: Path) -> None:
    """When the frame holds only new or sampled rows, the row count checked is the whole file's, and the column
    expectations report how many rows they saw."""
    folder = copy_clean(tmp_path)
    frame = raw_frame(folder, "contacts.csv")
    results = guard.validate_frame("contacts", frame.head(3), previous_row_count=len(frame), row_count=len(frame))
    assert failures(results) == []
    count = next(result for result in results if result.expectation == "expect_table_row_count_to_be_between")
    assert (count.row_count, count.rows_validated) == (len(frame), len(frame))
    assert {result.rows_validated for result in results if result.column_name} == {3}
    messages = failures(guard.validate_frame("contacts", frame, previous_row_count=100, row_count=len(frame)))
    assert messages == [f"contacts.csv: expect_table_row_count_to_be_between failed, observed {len(frame)} rows "
                        f"(at least 50 expected)"]


def test_empty_required_file_fails_the_guard(guard, tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    header, _ = read_export(folder, "orders.csv")
    write_export(folder, "orders.csv", header, [])
    messages = failures(guard.validate_frame("orders", raw_frame(folder, "orders.csv")))
    assert "orders.csv: expect_table_row_count_to_be_between failed, observed 0" in messages


def test_quarantine_above_threshold_stops_before_publishing(tmp_path: Path) -> None:
    folder = copy_clean(tmp_path)
    append_rows(folder, "contacts.csv", [
        {"contact_id": f"BAD{i}", "email": f"pas-un-email-{i}", "created_at": "2021-01-01"} for i in range(3)
    ])
    path = tmp_path / "warehouse.duckdb"
    run = run_dbt(["build", "--vars", dbt_vars(folder)], env={"SEGMENTS_DUCKDB_PATH": str(path)}, check=False)
    assert run.returncode != 0
    assert "FAIL 1 quarantined_share_below_base_crm__contacts" in run.output
    warehouse = Warehouse(path, run)
    published = warehouse.query(
        "select count(*) from information_schema.tables where table_schema in ('marts', 'segments')"
    )[0][0]
    assert published == 0
    # the guard.quarantine table is downstream too: the rejected rows, with their rule, are in the base model
    assert warehouse.query(
        "select quarantine_rule, count(*) from staging.base_crm__contacts where quarantine_rule is not null group by 1"
    ) == [("malformed_email", 3)]


def test_label_regex_accepts_labels_with_case_accents_and_spaces() -> None:
    import re

    pattern = re.compile(label_regex(["annulee", "completed", "non binaire", "m."]))
    for value in ["Annulée", " COMPLETED ", "non  binaire", "M."]:
        assert pattern.match(value), value
    for value in ["annule", "completedx", "m", "pending"]:
        assert not pattern.match(value), value


def test_a_file_with_no_row_to_validate_is_reported_without_great_expectations(tmp_path: Path) -> None:
    """A file whose rows an earlier build validated gets the same expectations as a validated one (type and column,
    in order), with the exact row count checked, `rows_validated` 0, and the required columns checked against the
    relation's; and Great Expectations is not imported for it (a fresh interpreter: 3 s of a build that has nothing
    new)."""
    import subprocess
    import sys

    from segwarehouse.guard import Guard

    folder = copy_clean(tmp_path)
    frame = raw_frame(folder, "orders.csv")
    columns = list(frame.columns)
    checker = Guard()
    validated = checker.validate_frame("orders", frame.head(5), previous_row_count=len(frame), row_count=len(frame))
    unvalidated = checker.unvalidated_results("orders", columns, len(frame), previous_row_count=len(frame))
    assert [(r.expectation, r.column_name) for r in unvalidated] == [(r.expectation, r.column_name) for r in validated]
    assert failures(unvalidated) == []
    assert {r.rows_validated for r in unvalidated if r.column_name} == {0}
    assert [r.observed_value for r in unvalidated][:2] == [
        f"{len(frame)} rows (at least {-(-len(frame) // 2)} expected)", str(sorted(columns))]

    collapsed = checker.unvalidated_results("orders", columns, 2, previous_row_count=len(frame))
    assert failures(collapsed) == [f"orders.csv: expect_table_row_count_to_be_between failed, observed 2 rows (at "
                                   f"least {-(-len(frame) // 2)} expected)"]
    without_total = [column for column in columns if column != "total_amount"]
    messages = failures(checker.unvalidated_results("orders", without_total, len(frame)))
    assert messages == [f"orders.csv: expect_table_columns_to_match_set failed, observed missing required column(s) "
                        f"total_amount; found {sorted(without_total)}"]

    script = (
        "import sys\n"
        "from segwarehouse.guard import Guard\n"
        f"guard = Guard(docs_dir={str(tmp_path / 'docs')!r})\n"
        f"results = guard.unvalidated_results('orders', {columns!r}, 10)\n"
        "guard.suite_fingerprint('orders', [r.column_name for r in results if r.column_name])\n"
        "guard.build_docs()\n"
        "assert all(r.success for r in results), results\n"
        "assert 'great_expectations' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=PROJECT_ROOT)
    assert not (tmp_path / "docs").exists()  # no validation: the Data Docs are left as they were
