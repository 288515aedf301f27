"""What a dbt Python model on DuckDB reads back of its own previous build (the table `dbt.this`), to reuse the work
it holds: the guard's validated rows (models/guard/guard_file_checks.py), the churn fits
(models/predictions/churn_models.py)."""
from __future__ import annotations

import duckdb


def previous_columns(session, this) -> set[str]:
    """The columns of the table the previous build wrote at `this`; none on a first build (no table yet). A caller
    reuses nothing from a table that lacks a column it needs (written by an older version of the model)."""
    try:
        return {column for (column,) in session.execute(f"select column_name from (describe {this})").fetchall()}
    except duckdb.CatalogException:
        return set()
