"""Great Expectations guard: file-level expectations on every raw export, run before staging is used.

The same suites run on both targets:
- DuckDB: inside `dbt build`, in the Python model `guard_file_checks`, on pandas dataframes of the raw relations
  (GX's SQL datasource cannot run on DuckDB);
- PostgreSQL: from the loader (`python -m segwarehouse.load`), through GX's SQL datasource on the `raw` tables.

File-level expectations stop the build (row-level problems go to the `quarantine` table instead):
- the contract's required columns are present;
- the row count has not collapsed (at least one row in a required file, and no more than `max_row_drop` below the
  previous build's count);
- key and required columns are not suddenly empty, categorical columns hold accepted labels, date and number
  columns look like dates and numbers, each for at least `1 - max_quarantine_share` of the rows.

On DuckDB, GX's pandas engine costs about 15 s per million rows and column checks, and a pandas copy of a 20-million
row export does not fit in memory. So the column expectations run on the rows no earlier build has validated
(`first_row_to_validate`: the rows appended since, none for an unchanged file; every row on a first build, after a
landing in full of different content, or when the suite changed), and above `guard_sample_rows` of them on a
systematic 1-in-k sample (`sample_step`), which the Data Docs and the `rows_validated` column report. Table-level facts are
exact: the columns are those of the relation and the row count is counted by DuckDB over the whole file. Every row is
still checked by the SQL row rules, and the exact quarantined share of every file gates publishing
(`quarantined_share_below`).
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from segwarehouse.contract import ExportFile, accepted_labels, load_contract

DATE_PATTERN = r"^\s*(?:\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4})"
NUMBER_PATTERN = r"^\s*[+-]?[0-9][0-9 .,]*\s*$"
_ACCENTS = {"a": "aàâä", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "c": "cç"}

logging.getLogger("great_expectations").setLevel(logging.ERROR)
# GX draws a progress bar per validation and sends usage statistics: neither belongs in a dbt build log.
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


class GuardError(RuntimeError):
    """A file-level expectation failed: the build must stop before anything is published."""


@dataclass
class GuardResult:
    source_file: str
    expectation: str
    column_name: str | None
    success: bool
    observed_value: str
    unexpected_percent: float | None
    row_count: int
    rows_validated: int | None = None
    checked_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(tzinfo=None))

    def message(self) -> str:
        column = f" column `{self.column_name}`" if self.column_name else ""
        return f"{self.source_file}:{column} {self.expectation} failed, observed {self.observed_value}"


def label_regex(labels: list[str]) -> str:
    """A case- and accent-insensitive regex accepting exactly these folded labels (surrounding spaces allowed)."""

    def one(label: str) -> str:
        parts = []
        for char in label:
            if char in _ACCENTS:
                parts.append(f"[{_ACCENTS[char]}]")
            elif char == " ":
                parts.append(r"\s+")
            else:
                parts.append(re.escape(char))
        return "".join(parts)

    return r"(?i)^\s*(?:" + "|".join(one(label) for label in sorted(labels)) + r")\s*$"


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation of a suite, without Great Expectations: its class in `gx.expectations` and its arguments. A
    file with no row to validate is reported from its specs alone, so that a build with nothing new does not import
    GX (3 s of a dbt run, before staging can start)."""
    class_name: str
    kwargs: tuple[tuple[str, Any], ...]

    @property
    def type(self) -> str:
        """GX's name of the expectation type, as in its results (`expect_column_values_to_not_be_null`)."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.class_name).lower()

    def to_gx(self, gx: Any) -> Any:
        return getattr(gx.expectations, self.class_name)(**dict(self.kwargs))


def _spec(class_name: str, **kwargs: Any) -> ExpectationSpec:
    return ExpectationSpec(class_name, tuple(kwargs.items()))


def build_expectations(
    export: ExportFile,
    present_columns: list[str],
    labels: dict[str, dict[str, str]],
    previous_row_count: int | None,
    max_quarantine_share: float,
    max_row_drop: float,
    include_row_count: bool = True,
) -> list[ExpectationSpec]:
    """The file-level suite of one export, for the columns it actually has (without the row-count expectation when
    the batch is a sample: the caller checks the exact count, see `row_count_result`)."""
    mostly = round(1.0 - max_quarantine_share, 6)
    present = set(present_columns)
    expectations = [_spec("ExpectTableColumnsToMatchSet", column_set=list(export.required_columns), exact_match=False)]
    if include_row_count:
        expectations.append(_spec("ExpectTableRowCountToBeBetween",
                                  min_value=minimum_row_count(export, previous_row_count, max_row_drop)))
    for column in export.columns:
        if column.name not in present:
            continue
        if column.required or column.name in export.key:
            expectations.append(_spec("ExpectColumnValuesToNotBeNull", column=column.name, mostly=mostly))
        if column.name in labels:
            expectations.append(_spec("ExpectColumnValuesToMatchRegex", column=column.name,
                                      regex=label_regex(list(labels[column.name])), mostly=mostly))
        elif column.cast_to in ("date", "timestamp"):
            expectations.append(_spec("ExpectColumnValuesToMatchRegex", column=column.name, regex=DATE_PATTERN,
                                      mostly=mostly))
        elif column.cast_to in ("integer", "decimal"):
            expectations.append(_spec("ExpectColumnValuesToMatchRegex", column=column.name, regex=NUMBER_PATTERN,
                                      mostly=mostly))
    return expectations


def minimum_row_count(export: ExportFile, previous_row_count: int | None, max_row_drop: float) -> int:
    """At least one row in a required file, and no more than `max_row_drop` below the previous build's count."""
    min_rows = 1 if export.required_file else 0
    if previous_row_count:
        min_rows = max(min_rows, math.ceil(previous_row_count * (1.0 - max_row_drop)))
    return min_rows


def sample_step(new_rows: int, max_rows: int) -> int:
    """k of the systematic 1-in-k sample that keeps at most `max_rows` of `new_rows` rows (1: every row)."""
    return max(1, math.ceil(new_rows / max(1, max_rows)))


def suite_fingerprint(expectations: list[ExpectationSpec]) -> str:
    """A short hash of a suite's expectations (type and arguments): rows validated by another suite are validated
    again."""
    payload = json.dumps([[spec.type, dict(spec.kwargs)] for spec in expectations], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Landing:
    """How a file's copy was landed (raw.landed_exports): its `epoch` (new when the file is landed in full with other
    content; appended rows keep it), the mode of its latest landing (`full` or `append`) and when that was."""
    epoch: str | None
    mode: str | None = None
    landed_at: str | None = None


@dataclass(frozen=True)
class Validated:
    """What the previous build's guard validated of one file: the landing, the suite, and the last `_row_number` of
    the copy then."""
    landing: Landing
    suite_fingerprint: str | None
    through_row: int | None


def first_row_to_validate(previous: Validated | None, landing: Landing, suite: str) -> int:
    """The `_row_number` after which the rows of a file are new to the guard: the last row the previous build
    validated, when the copy has only been appended to since (same epoch, no landing in full since: every row keeps
    its position) and the suite is the same; 0 (every row) otherwise. An unchanged file has no row to validate."""
    if previous is None or previous.through_row is None or not landing.epoch:
        return 0
    if previous.landing.epoch != landing.epoch or previous.suite_fingerprint != suite:
        return 0
    if landing.mode != "append" and landing.landed_at != previous.landing.landed_at:
        return 0  # landed in full again since (a re-export, `--full-refresh`): validated again like a first build
    return previous.through_row


def missing_columns_text(missing: Any, found: Any) -> str:
    """The observed value of a failed required-columns expectation, from GX's result or from the relation's columns
    (`Guard.unvalidated_results`)."""
    return f"missing required column(s) {', '.join(sorted(missing))}; found {found}"


def _observed(result: Any) -> tuple[str, float | None]:
    details = result.result or {}
    missing = ((details.get("details") or {}).get("mismatched") or {}).get("missing")
    if missing:
        return missing_columns_text(missing, details.get("observed_value")), None
    if "observed_value" in details:
        return str(details["observed_value"]), None
    percent = details.get("unexpected_percent")
    sample = [value for value in details.get("partial_unexpected_list") or [] if value is not None]
    text = f"{percent:.2f}% unexpected" if percent is not None else "no result"
    if sample:
        text += f" (e.g. {', '.join(repr(v) for v in sample[:5])})"
    return text, percent


class Guard:
    """Runs the suites of a set of exports and writes Great Expectations Data Docs."""

    def __init__(
        self,
        docs_dir: str | Path | None = None,
        max_quarantine_share: float = 0.05,
        max_row_drop: float = 0.5,
        contract: dict[str, ExportFile] | None = None,
    ) -> None:
        self.contract = contract or load_contract()
        self.labels = accepted_labels()
        self.max_quarantine_share = max_quarantine_share
        self.max_row_drop = max_row_drop
        self.docs_dir = Path(docs_dir) if docs_dir is not None else None
        self._context: Any = None
        self.gx: Any = None

    @property
    def context(self) -> Any:
        """The GX context, created (and GX imported) at the first validation."""
        if self._context is None:
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            self.gx = gx
            self._context = gx.get_context(mode="ephemeral")
            self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
            if self.docs_dir is not None:
                self.docs_dir.mkdir(parents=True, exist_ok=True)
                self._context.add_data_docs_site(
                    site_name="guard",
                    site_config={
                        "class_name": "SiteBuilder",
                        "store_backend": {
                            "class_name": "TupleFilesystemStoreBackend",
                            "base_directory": str(self.docs_dir.resolve()),
                        },
                        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    },
                )
        return self._context

    def _run(self, export: ExportFile, batch_definition: Any, present: list[str], row_count: int,
             previous: int | None, batch_parameters: dict | None, rows_validated: int | None = None,
             include_row_count: bool = True) -> list[GuardResult]:
        context = self.context
        gx = self.gx
        suite = context.suites.add_or_update(gx.ExpectationSuite(name=export.name))
        for spec in build_expectations(
            export, present, self.labels.get(export.name, {}), previous, self.max_quarantine_share, self.max_row_drop,
            include_row_count,
        ):
            suite.add_expectation(spec.to_gx(gx))
        validation = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=export.name, data=batch_definition, suite=suite)
        )
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(name=f"guard_{export.name}", validation_definitions=[validation], result_format="SUMMARY")
        )
        outcome = checkpoint.run(batch_parameters=batch_parameters)
        results = []
        for run in outcome.run_results.values():
            for item in run.results:
                observed, percent = _observed(item)
                results.append(GuardResult(
                    source_file=export.file,
                    expectation=item.expectation_config.type,
                    column_name=item.expectation_config.kwargs.get("column"),
                    success=bool(item.success),
                    observed_value=observed,
                    unexpected_percent=percent,
                    row_count=row_count,
                    rows_validated=rows_validated if rows_validated is not None else row_count,
                ))
        return results

    def row_count_result(self, name: str, row_count: int, previous_row_count: int | None) -> GuardResult:
        """The row-count expectation, on the exact count of the whole file (a sampled batch cannot check it)."""
        export = self.contract[name]
        minimum = minimum_row_count(export, previous_row_count, self.max_row_drop)
        return GuardResult(
            source_file=export.file,
            expectation="expect_table_row_count_to_be_between",
            column_name=None,
            success=row_count >= minimum,
            observed_value=f"{row_count} rows (at least {minimum} expected)",
            unexpected_percent=None,
            row_count=row_count,
            rows_validated=row_count,
        )

    def suite_fingerprint(self, name: str, present_columns: list[str]) -> str:
        """The fingerprint of the column suite `validate_frame` runs on a file with these columns."""
        export = self.contract[name]
        return suite_fingerprint(build_expectations(
            export, present_columns, self.labels.get(export.name, {}), None, self.max_quarantine_share,
            self.max_row_drop, include_row_count=False))

    def build_docs(self) -> None:
        """Write the Data Docs of every validation run so far (once, at the end: each build rewrites the site). The
        validation pages of earlier builds go first: they show samples of unexpected values, which may be values of
        people erased since (GDPR erasure), and the index no longer links them anyway. A build that ran no
        validation (no file had a row to validate) leaves the site as the last validation wrote it: an erasure
        always gives the files it touches rows to validate again (a new landing epoch)."""
        if self._context is None or self.docs_dir is None:
            return
        shutil.rmtree(self.docs_dir / "validations", ignore_errors=True)
        self._context.build_data_docs(site_names=["guard"])

    def unvalidated_results(self, name: str, present: list[str], row_count: int,
                            previous_row_count: int | None = None) -> list[GuardResult]:
        """The results of a file with no row to validate (every row was validated by an earlier build with the same
        suite), without GX: the exact row count, the required columns against the relation's (a copy only appended
        to since keeps its header), and each column expectation with `rows_validated` 0."""
        export = self.contract[name]
        results = [self.row_count_result(name, row_count, previous_row_count)]
        for spec in build_expectations(export, present, self.labels.get(export.name, {}), None,
                                       self.max_quarantine_share, self.max_row_drop, include_row_count=False):
            kwargs = dict(spec.kwargs)
            if spec.class_name == "ExpectTableColumnsToMatchSet":
                missing = sorted(set(kwargs["column_set"]) - set(present))
                success = not missing
                observed = missing_columns_text(missing, sorted(present)) if missing else str(sorted(present))
            else:
                success, observed = True, "no new row to validate"
            results.append(GuardResult(
                source_file=export.file,
                expectation=spec.type,
                column_name=kwargs.get("column"),
                success=success,
                observed_value=observed,
                unexpected_percent=None,
                row_count=row_count,
                rows_validated=0,
            ))
        return results

    def validate_frame(self, name: str, frame: Any, previous_row_count: int | None = None,
                       row_count: int | None = None) -> list[GuardResult]:
        """Validate one export held in a pandas dataframe (columns as in the file, lower-cased). When `row_count`
        (the whole file's) is given, the frame is a sample or the new rows: the row count is checked on that exact
        count instead of the frame's length."""
        export = self.contract[name]
        asset = self.context.data_sources.add_or_update_pandas(f"crm_{name}").add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe("whole_file")
        if row_count is None:
            return self._run(export, batch, list(frame.columns), len(frame), previous_row_count, {"dataframe": frame})
        results = self._run(export, batch, list(frame.columns), row_count, previous_row_count, {"dataframe": frame},
                            rows_validated=len(frame), include_row_count=False)
        return [self.row_count_result(name, row_count, previous_row_count), *results]

    def validate_sql_table(self, name: str, connection_string: str, schema: str, present: list[str],
                           row_count: int, previous_row_count: int | None = None) -> list[GuardResult]:
        """Validate one export loaded into a SQL table (PostgreSQL)."""
        export = self.contract[name]
        source = self.context.data_sources.add_or_update_postgres(f"crm_{name}", connection_string=connection_string)
        asset = source.add_table_asset(name=name, table_name=name, schema_name=schema)
        batch = asset.add_batch_definition_whole_table("whole_table")
        return self._run(export, batch, present, row_count, previous_row_count, None)


def raise_on_failure(results: list[GuardResult], docs_dir: str | Path | None = None) -> None:
    """Stop the build when any file-level expectation failed, naming file, column, expectation and observed value."""
    failures = [result for result in results if not result.success]
    if failures:
        where = f" Data Docs: {Path(docs_dir) / 'index.html'}" if docs_dir else ""
        raise GuardError(
            "Great Expectations guard failed, nothing was published:\n  - "
            + "\n  - ".join(result.message() for result in failures)
            + where
        )
