"""Great Expectations guard of the raw exports, inside `dbt build` (DuckDB).

Runs the file-level suite of every export (segwarehouse.guard) on a pandas dataframe of its raw relation, writes
the Data Docs, and fails (stopping staging and everything downstream) when an expectation fails. The table keeps
one row per expectation of this build, with what was validated of each file (landing epoch, suite, last row); the
previous build's rows are read back to detect a collapsed file and to skip the rows it validated.

The dataframe holds the rows no earlier build validated (`first_row_to_validate`: the rows appended since, none for
an unchanged file; every row on a first build, after a landing in full of other content or a change of the suite),
at most `guard_sample_rows` of them (a systematic 1-in-k sample above that); the row count is exact. A file with no
such row gets its results without Great Expectations (`Guard.unvalidated_results`): a build with nothing new does
not import GX, and keeps the Data Docs of the last validation.
"""
import pandas as pd

from segwarehouse.contract import load_contract
from segwarehouse.guard import Guard, Landing, Validated, first_row_to_validate, raise_on_failure, sample_step
from segwarehouse.previous_build import previous_columns

VALIDATED_COLUMNS = ("landing_epoch", "landing_mode", "landed_at", "suite_fingerprint", "validated_through_row")


def previous_checks(session, this) -> tuple[dict[str, int], dict[str, Validated]]:
    """Row count and what was validated of each file, from the previous build's table (none on a first build; a
    table written before the validated state was recorded validates every row once more)."""
    columns = previous_columns(session, this)
    if "row_count" not in columns:  # first build: no previous table
        return {}, {}
    counts = dict(session.execute(f"select source_file, max(row_count) from {this} group by 1").fetchall())
    if not set(VALIDATED_COLUMNS) <= columns:
        return counts, {}
    validated = {}
    for file, epoch, mode, landed_at, suite, through_row in session.execute(
        f"select source_file, any_value(landing_epoch), any_value(landing_mode), "
        f"any_value(cast(landed_at as varchar)), any_value(suite_fingerprint), any_value(validated_through_row) "
        f"from {this} group by 1"
    ).fetchall():
        validated[file] = Validated(Landing(epoch, mode, landed_at), suite, through_row)
    return counts, validated


def model(dbt, session):
    dbt.config(materialized="table")
    docs_dir = dbt.config.get("gx_data_docs_dir")
    guard = Guard(
        docs_dir=docs_dir,
        max_quarantine_share=float(dbt.config.get("max_quarantine_share")),
        max_row_drop=float(dbt.config.get("max_row_drop")),
    )
    previous, validated = previous_checks(session, dbt.this)
    # the landing of each file (macro land_raw_exports); an absent optional file has none
    landings = {}
    for file, epoch, mode, landed_at, landed_at_text in session.execute(
        f"select file_name, epoch, last_mode, landed_at, cast(landed_at as varchar) "
        f"from {dbt.config.get('raw_schema')}.landed_exports"
    ).fetchall():
        landings[file] = (Landing(epoch, mode, landed_at_text), landed_at)

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
    results, rows = [], []
    for name, export in contract.items():
        relation = raw[name]
        present = [column for column in relation.columns if column != "_row_number"]
        suite = guard.suite_fingerprint(name, present)
        landing, landed_at = landings.get(export.file, (Landing(None), None))
        start = first_row_to_validate(validated.get(export.file), landing, suite)
        row_count, last_row, new_rows = map(int, relation.aggregate(
            f"count(*), coalesce(max(_row_number), 0), count(*) filter (where _row_number > {start})").fetchall()[0])
        if new_rows:
            step = sample_step(new_rows, max_rows)
            frame = relation.filter(f"_row_number > {start} and (_row_number - {start} - 1) % {step} = 0").df()
            frame = frame.drop(columns=["_row_number"])
            checked = guard.validate_frame(name, frame, previous.get(export.file), row_count=row_count)
        else:  # every row was validated by an earlier build: no GX run (nor import) for this file
            checked = guard.unvalidated_results(name, present, row_count, previous.get(export.file))
        for result in checked:
            results.append(result)
            rows.append({**vars(result), "landing_epoch": landing.epoch, "landing_mode": landing.mode,
                         "landed_at": landed_at, "suite_fingerprint": suite, "validated_through_row": last_row})

    guard.build_docs()
    raise_on_failure(results, docs_dir)
    frame = pd.DataFrame(rows)
    # microseconds, as DuckDB keeps landed_at: the next build compares the two
    frame["landed_at"] = frame["landed_at"].astype("datetime64[us]")
    return frame
