"""Great Expectations guard of the raw exports, inside `dbt build` (DuckDB).

Runs the file-level suite of every export (segwarehouse.guard) on a pandas dataframe of its raw relation, writes
the Data Docs, and fails (stopping staging and everything downstream) when an expectation fails. The table keeps
one row per expectation of this build; the previous build's row counts are read back to detect a collapsed file.

The dataframe holds the rows new since the previous build (every row on a first build, or when the file did not
grow), at most `guard_sample_rows` of them (a systematic 1-in-k sample above that); the row count is exact.
"""
import pandas as pd

from segwarehouse.contract import load_contract
from segwarehouse.guard import Guard, raise_on_failure, sample_step


def model(dbt, session):
    dbt.config(materialized="table")
    docs_dir = dbt.config.get("gx_data_docs_dir")
    guard = Guard(
        docs_dir=docs_dir,
        max_quarantine_share=float(dbt.config.get("max_quarantine_share")),
        max_row_drop=float(dbt.config.get("max_row_drop")),
    )
    previous: dict[str, int] = {}
    try:
        for source_file, row_count in session.execute(
            f"select source_file, max(row_count) from {dbt.this} group by source_file"
        ).fetchall():
            previous[source_file] = int(row_count)
    except Exception:  # first build: no previous table
        previous = {}

    # dbt needs literal arguments to see the dependencies: one call per export of the contract.
    raw = {
        "companies": dbt.source("crm", "companies"),
        "contacts": dbt.source("crm", "contacts"),
        "orders": dbt.source("crm", "orders"),
        "order_lines": dbt.source("crm", "order_lines"),
        "products": dbt.source("crm", "products"),
        "equipment": dbt.source("crm", "equipment"),
        "email_events": dbt.source("crm", "email_events"),
        "support_tickets": dbt.source("crm", "support_tickets"),
        "store_visits": dbt.source("crm", "store_visits"),
        "nps_responses": dbt.source("crm", "nps_responses"),
    }
    contract = load_contract()
    missing = sorted(set(contract) - set(raw))
    if missing:
        raise RuntimeError(f"guard_file_checks does not read the contract files {missing}: add them to `raw`")

    max_rows = int(dbt.config.get("guard_sample_rows"))
    results = []
    for name, export in contract.items():
        relation = raw[name]
        row_count = int(relation.aggregate("count(*)").fetchall()[0][0])
        before = previous.get(export.file)
        start = before if before and row_count > before else 0
        step = sample_step(row_count - start, max_rows)
        frame = relation.filter(f"_row_number > {start} and (_row_number - {start} - 1) % {step} = 0").df()
        frame = frame.drop(columns=["_row_number"])
        results.extend(guard.validate_frame(name, frame, before, row_count=row_count))

    guard.build_docs()
    raise_on_failure(results, docs_dir)
    return pd.DataFrame([vars(result) for result in results])
