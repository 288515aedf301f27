"""Load the raw CSV exports into PostgreSQL (`raw` schema) and run the Great Expectations guard on them.

    python -m segwarehouse.load --raw-dir data/demo [--schema raw] [--gx-docs-dir target/gx_data_docs]
                                [--max-quarantine-share 0.05] [--max-row-drop 0.5]

The server comes from the same environment variables as the dbt `postgres` target (profiles/profiles.yml):
SEGMENTS_PG_HOST (localhost), SEGMENTS_PG_PORT (5432), SEGMENTS_PG_USER (postgres), SEGMENTS_PG_PASSWORD (empty),
SEGMENTS_PG_DATABASE (segments). SEGMENTS_PG_SCHEMA is dbt's target schema and is not used here; `--schema` must
match the dbt var `raw_schema` (default `raw`).

What lands is what DuckDB's `land_raw_exports` hook exposes on the other target: one table per contract file,
`_row_number` (1-based data row, header excluded, a quoted multi-line field is one record) then every column of the
file as text, header names normalised like DuckDB's `normalize_names`, empty field = NULL. Encoding UTF-8 (with or
without BOM), else Windows-1252, a Latin-1 superset, exactly as the DuckDB landing reads it (segwarehouse.exports);
delimiter `,` or `;` sniffed from the header line. Rows are streamed to COPY, so the size of a file does not matter.

Every file is first loaded into the schema `<schema>_loading`. The GDPR erasure is applied there (an optional
`erasure_requests.csv` in the folder is hashed into the persistent `<schema>.erasure_register`, then the rows of every
person of the register are deleted, or kept for their account with the person's id blanked: segwarehouse/erasure.py,
docs/DESIGN.md "GDPR erasure"), then the tables are checked by the guard (GX's SQL datasource). Only when every
expectation passes are the tables moved into `<schema>` (each one dropped and recreated) and the results written to
`<schema>.guard_file_checks`, with `<schema>.landed_exports` (rows of each file, rows erased, the epoch the base
models compare) and `<schema>.erasure_log`, in one transaction: a failed load or guard leaves the previous raw tables
as they were (a failed guard leaves its load in `<schema>_loading` for inspection), and exits non-zero naming
the file, column and expectation.

Exit codes: 0 loaded, 1 guard failed, 2 an export cannot be loaded (missing required file, not CSV, bad structure).
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from segwarehouse.contract import ExportFile, load_contract
from segwarehouse.exports import ExportFileError, text_encoding

if TYPE_CHECKING:
    from psycopg2.extensions import connection as Connection

    from segwarehouse.guard import GuardResult

CHUNK = 1 << 20
ROW_NUMBER = "_row_number"
GUARD_TABLE = "guard_file_checks"
GUARD_COLUMNS = (
    "source_file text, expectation text, column_name text, success boolean, observed_value text, "
    "unexpected_percent double precision, row_count bigint, checked_at timestamp"
)
_SPACES = " \t\n\v\f\r"

csv.field_size_limit(1 << 30)


class LoadError(RuntimeError):
    """An export file cannot be loaded as the contract says."""


@dataclass(frozen=True)
class Loaded:
    export: ExportFile
    columns: list[str]
    row_count: int
    erased: int = 0  # rows deleted by the GDPR erasure (row_count counts them: rows of the file)
    anonymised: int = 0  # rows kept for their account with the person's identifiers blanked
    epoch: str = ""


LANDED_COLUMNS = ("file_name text primary key, landed_rows bigint, erased_rows bigint, anonymised_rows bigint, "
                  "epoch text, landed_at timestamp")


# -- reading a file ----------------------------------------------------------------------------------------------
def sniff_delimiter(header_line: str) -> str:
    """`;` when the header line has more semicolons than commas outside double quotes, else `,`."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif char in counts and not quoted:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


@lru_cache(maxsize=1)
def _duckdb_keywords() -> frozenset[str]:
    """Names DuckDB's normalize_names prefixes with `_`: every keyword except pure column-name keywords."""
    import duckdb

    with duckdb.connect() as connection:
        rows = connection.execute(
            "select keyword_name from duckdb_keywords() group by keyword_name "
            "having bool_or(keyword_category <> 'column_name')"
        ).fetchall()
    return frozenset(row[0] for row in rows)


def normalize_name(name: str) -> str:
    """One header name as DuckDB's `read_csv(normalize_names = true)` writes it: NFKD, only ASCII letters, digits
    and `_` kept, whitespace runs trimmed and turned into `_`, lower-cased, `_` prefixed to a name starting with a
    digit or that is a DuckDB keyword; `_` for a name with nothing left."""
    kept = []
    for char in unicodedata.normalize("NFKD", name):
        if char == "_" or (char.isascii() and char.isalnum()):
            kept.append(char)
        elif char in _SPACES:
            kept.append(" ")
    normalized = "_".join(part for part in "".join(kept).split(" ") if part).lower() or "_"
    if normalized[0].isdigit() or normalized in _duckdb_keywords():
        normalized = "_" + normalized
    return normalized


def normalize_header(names: list[str]) -> list[str]:
    """Every header name normalised and made unique the way DuckDB does it (`a`, `a` -> `a`, `a_1`; an empty
    name -> `column<index>`, zero-padded to the width of the last index)."""
    width = len(str(len(names) - 1))
    seen: dict[str, int] = {}
    result = []
    for index, name in enumerate(names):
        candidate = f"column{index:0{width}d}" if name == "" else normalize_name(name)
        while candidate in seen:
            seen[candidate] += 1
            candidate = f"{candidate}_{seen[candidate]}"
        seen[candidate] = 0
        result.append(candidate)
    return result


class CsvExport:
    """A raw export opened for streaming: the normalised header, then the rows as CSV text for COPY."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.encoding = text_encoding(path)
        except ExportFileError as error:
            raise LoadError(str(error)) from None
        with path.open(newline="", **self.encoding) as handle:
            header_line = handle.readline()
        if not header_line.strip():
            raise LoadError(f"{path.name}: empty file, expected a header row")
        self.delimiter = sniff_delimiter(header_line)
        self.columns: list[str] = []
        self.row_count = 0

    def _records(self, handle: TextIO) -> Iterator[list[str]]:
        reader = csv.reader(handle, delimiter=self.delimiter, quotechar='"', doublequote=True, strict=False)
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as error:
            raise LoadError(f"{self.path.name}: cannot read a header row ({error or 'empty file'})") from None
        self.columns = normalize_header(header)
        if ROW_NUMBER in self.columns:
            raise LoadError(f"{self.path.name}: a column is named `{ROW_NUMBER}`, which the loader adds itself")
        width = len(header)
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise LoadError(f"{self.path.name}: line {reader.line_num}: {error}: not a well-formed CSV export")
            if not record:
                if width > 1:
                    continue  # a blank line is no record (DuckDB skips it too)
                record = [""]
            if len(record) != width:
                raise LoadError(
                    f"{self.path.name}: line {reader.line_num} has {len(record)} fields, the header has {width} "
                    f"(delimiter {self.delimiter!r}): not a well-formed CSV export"
                )
            yield record

    def blocks(self, rows_per_block: int = 5000) -> Iterator[bytes]:
        """`_row_number` then the fields, as UTF-8 CSV for `COPY ... (format csv)`: an empty field is unquoted,
        which COPY reads as NULL."""
        with self.path.open(newline="", **self.encoding) as handle:
            records = self._records(handle)
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for record in records:
                self.row_count += 1
                writer.writerow([self.row_count, *record])
                if self.row_count % rows_per_block == 0:
                    yield buffer.getvalue().encode("utf-8")
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue().encode("utf-8")

    def header(self) -> list[str]:
        with self.path.open(newline="", **self.encoding) as handle:
            next(self._records(handle), None)
        return self.columns


class _BlockReader(io.RawIOBase):
    """A read()-able file over an iterator of byte blocks (what psycopg2's copy_expert reads from)."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._pending = b""
        self.error: Exception | None = None  # psycopg2 turns an error raised in read() into QueryCanceled

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while not self._pending:
            try:
                block = next(self._blocks, None)
            except Exception as error:
                self.error = error
                raise
            if block is None:
                return b""
            self._pending = block
        size = len(self._pending) if size is None or size < 0 else size
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


# -- PostgreSQL --------------------------------------------------------------------------------------------------
def connection_settings() -> dict[str, str]:
    return {
        "host": os.environ.get("SEGMENTS_PG_HOST", "localhost"),
        "port": os.environ.get("SEGMENTS_PG_PORT", "5432"),
        "user": os.environ.get("SEGMENTS_PG_USER", "postgres"),
        "password": os.environ.get("SEGMENTS_PG_PASSWORD", ""),
        "dbname": os.environ.get("SEGMENTS_PG_DATABASE", "segments"),
    }


def sqlalchemy_url(settings: dict[str, str]) -> str:
    from sqlalchemy.engine import URL

    return URL.create(
        "postgresql+psycopg2", username=settings["user"], password=settings["password"] or None,
        host=settings["host"], port=int(settings["port"]), database=settings["dbname"],
    ).render_as_string(hide_password=False)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_file(connection: Connection, schema: str, export: ExportFile, path: Path) -> Loaded:
    """COPY one export into `<schema>.<table>` (dropped and recreated), every column text plus `_row_number`."""
    table = f"{_ident(schema)}.{_ident(export.name)}"
    source = CsvExport(path) if path.exists() else None
    columns = source.header() if source else export.column_names
    with connection.cursor() as cursor:
        cursor.execute(f"drop table if exists {table} cascade")
        cursor.execute(f"create table {table} ({ROW_NUMBER} bigint, "
                       + ", ".join(f"{_ident(column)} text" for column in columns) + ")")
        if source is None:
            return Loaded(export, columns, 0)
        reader = _BlockReader(source.blocks())
        try:
            cursor.copy_expert(
                f"copy {table} ({ROW_NUMBER}, {', '.join(_ident(column) for column in columns)}) from stdin "
                "with (format csv, header false, encoding 'UTF8')",
                reader,
            )
        except Exception:
            if reader.error is not None:
                raise reader.error from None
            raise
        cursor.execute(f"analyze {table}")  # planner statistics for the guard's queries and dbt's first models
        return Loaded(export, columns, source.row_count)


def previous_row_counts(connection: Connection, schema: str) -> dict[str, int]:
    """Row count of every file at the previous successful load (for the "row count collapsed" expectation)."""
    with connection.cursor() as cursor:
        cursor.execute("select to_regclass(%s)", (f"{_ident(schema)}.{GUARD_TABLE}",))
        if cursor.fetchone()[0] is None:
            return {}
        cursor.execute(f"select source_file, max(row_count) from {_ident(schema)}.{GUARD_TABLE} group by source_file")
        return {source_file: int(count) for source_file, count in cursor.fetchall() if count is not None}


def previous_landings(connection: Connection, schema: str) -> dict[str, tuple[int, int, int, str]]:
    """{file: (landed_rows, erased_rows, anonymised_rows, epoch)} of the previous load, from `<schema>.landed_exports`."""
    with connection.cursor() as cursor:
        cursor.execute("select to_regclass(%s)", (f"{_ident(schema)}.landed_exports",))
        if cursor.fetchone()[0] is None:
            return {}
        cursor.execute(f"select file_name, landed_rows, erased_rows, anonymised_rows, epoch "
                       f"from {_ident(schema)}.landed_exports")
        return {row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3] or 0), row[4]) for row in cursor.fetchall()}


def apply_erasure(connection: Connection, loading: str, schema: str, raw_dir: Path,
                  loaded: list[Loaded]) -> list[Loaded]:
    """The GDPR erasure on the tables just loaded (segwarehouse/erasure.py), committed so that the guard reads them.
    A file keeps the previous load's epoch unless rows the previous load already had were erased or blanked now:
    its incremental base model then parses it again in full (`based_watermark`)."""
    from segwarehouse.erasure import REQUESTS_FILE, ErasureRequestError, FileErasure, apply_postgres, new_epoch

    previous = previous_landings(connection, schema)
    try:
        done = apply_postgres(
            connection, loading, schema, {item.export.name: item.export for item in loaded}, raw_dir / REQUESTS_FILE,
            {item.export.name: item.columns for item in loaded},
            {file: rows for file, (rows, _, _, _) in previous.items()},
        )
    except ErasureRequestError as error:
        raise LoadError(str(error)) from None
    connection.commit()
    result = []
    for item in loaded:
        erasure = done.get(item.export.file, FileErasure())
        before = previous.get(item.export.file)
        unchanged = before is not None and (erasure.erased_before, erasure.anonymised_before) == before[1:3]
        epoch = before[3] if unchanged and before[3] else new_epoch()
        result.append(Loaded(item.export, item.columns, item.row_count, erasure.erased, erasure.anonymised, epoch))
        if erasure.erased or erasure.anonymised:
            print(f"GDPR erasure: {item.export.file}: {erasure.erased} rows erased, {erasure.anonymised} kept for "
                  "their account with the person's id blanked", flush=True)
    return result


def publish(connection: Connection, loading: str, schema: str, loaded: list[Loaded],
            results: list[GuardResult]) -> None:
    """Move the checked tables into `schema` and replace its guard_file_checks and landed_exports, in one
    transaction."""
    from segwarehouse.erasure import APPLIED_COLUMNS, LOG_COLUMNS

    with connection.cursor() as cursor:
        cursor.execute(f"create schema if not exists {_ident(schema)}")
        for item in loaded:
            cursor.execute(f"drop table if exists {_ident(schema)}.{_ident(item.export.name)} cascade")
            cursor.execute(f"alter table {_ident(loading)}.{_ident(item.export.name)} set schema {_ident(schema)}")
        landed = f"{_ident(schema)}.landed_exports"
        cursor.execute(f"drop table if exists {landed}")
        cursor.execute(f"create table {landed} ({LANDED_COLUMNS})")
        cursor.executemany(
            f"insert into {landed} values (%s, %s, %s, %s, %s, localtimestamp)",
            [(item.export.file, item.row_count, item.erased, item.anonymised, item.epoch) for item in loaded],
        )
        cursor.execute(f"create table if not exists {_ident(schema)}.based_exports (file_name text primary key, "
                       "epoch text)")
        cursor.execute(f"create table if not exists {_ident(schema)}.erasure_log ({LOG_COLUMNS})")
        cursor.execute(f"create table if not exists {_ident(schema)}.erasure_applied ({APPLIED_COLUMNS})")
        cursor.executemany(
            f"insert into {_ident(schema)}.erasure_log values (%s, %s, %s, localtimestamp)",
            [(item.export.file, item.erased, item.anonymised) for item in loaded if item.erased or item.anonymised],
        )
        guard_table = f"{_ident(schema)}.{GUARD_TABLE}"
        cursor.execute(f"drop table if exists {guard_table}")
        cursor.execute(f"create table {guard_table} ({GUARD_COLUMNS})")
        cursor.executemany(
            f"insert into {guard_table} values (%s, %s, %s, %s, %s, %s, %s, %s)",
            [(r.source_file, r.expectation, r.column_name, r.success, r.observed_value, r.unexpected_percent,
              r.row_count, r.checked_at) for r in results],
        )
        cursor.execute(f"drop schema {_ident(loading)} cascade")
    connection.commit()


# -- command line ------------------------------------------------------------------------------------------------
def run(raw_dir: Path, schema: str = "raw", gx_docs_dir: Path | None = None, max_quarantine_share: float = 0.05,
        max_row_drop: float = 0.5) -> list[Loaded]:
    """Load every contract file of `raw_dir`, guard it, publish it; raises LoadError or GuardError."""
    import psycopg2

    contract = load_contract()
    if not raw_dir.is_dir():
        raise LoadError(f"raw export folder {raw_dir} does not exist")
    missing = [export.file for export in contract.values()
               if export.required_file and not (raw_dir / export.file).exists()]
    if missing:
        raise LoadError(f"Export file(s) missing from {raw_dir}: {', '.join(missing)} "
                        "(required by the contract, nothing was loaded)")

    settings = connection_settings()
    loading = f"{schema}_loading"
    connection = psycopg2.connect(**settings, client_encoding="UTF8", application_name="segwarehouse.load")
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"drop schema if exists {_ident(loading)} cascade")
            cursor.execute(f"create schema {_ident(loading)}")
        loaded = []
        for export in contract.values():
            path = raw_dir / export.file
            if not path.exists():
                print(f"NOTICE optional export {path} is absent: source crm.{export.name} is empty for this build.")
            item = load_file(connection, loading, export, path)
            print(f"loaded {export.file}: {item.row_count} rows, {len(item.columns)} columns", flush=True)
            loaded.append(item)
        connection.commit()
        loaded = apply_erasure(connection, loading, schema, raw_dir, loaded)
        previous = previous_row_counts(connection, schema)
        connection.commit()

        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        from segwarehouse.guard import Guard, GuardError, raise_on_failure

        guard = Guard(docs_dir=gx_docs_dir, max_quarantine_share=max_quarantine_share, max_row_drop=max_row_drop,
                      contract=contract)
        url = sqlalchemy_url(settings)
        results = []
        for item in loaded:
            # the guard sees the rows left once the erasure is applied, as on DuckDB
            results.extend(guard.validate_sql_table(item.export.name, url, loading, item.columns,
                                                    item.row_count - item.erased, previous.get(item.export.file)))
        guard.build_docs()
        try:
            raise_on_failure(results, gx_docs_dir)
        except GuardError as error:
            raise GuardError(f"{error}\nThe raw tables of schema `{schema}` were left as they were; this load is in "
                             f"schema `{loading}`.") from None
        publish(connection, loading, schema, loaded, results)
        return loaded
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m segwarehouse.load",
        description="Load the raw CSV exports into PostgreSQL and run the Great Expectations guard "
                    "(server from SEGMENTS_PG_HOST/PORT/USER/PASSWORD/DATABASE).",
    )
    parser.add_argument("--raw-dir", type=Path, required=True, help="folder of the CSV exports")
    parser.add_argument("--schema", default="raw", help="schema of the raw tables (dbt var raw_schema), default raw")
    parser.add_argument("--gx-docs-dir", type=Path, default=None, help="where to write Great Expectations Data Docs")
    parser.add_argument("--max-quarantine-share", type=float, default=0.05)
    parser.add_argument("--max-row-drop", type=float, default=0.5)
    args = parser.parse_args(argv)
    from segwarehouse.guard import GuardError

    try:
        loaded = run(args.raw_dir, args.schema, args.gx_docs_dir, args.max_quarantine_share, args.max_row_drop)
    except LoadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except GuardError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"published {len(loaded)} raw tables in schema `{args.schema}`, guard passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
