"""GDPR erasure (right to be forgotten): the requests file and the register of erased subjects.

An optional `erasure_requests.csv` in the exports folder lists the people to forget, one request a line: `email`
and/or `contact_id` (either may be empty), `requested_at` (date or timestamp, may be empty). Delimiter `,` or `;`,
UTF-8 (BOM allowed) or Windows-1252, header names in any case, like the exports. It is not a contract source: its
plain values are never landed. Each identifier is normalised the way staging normalises it (an email trimmed of
white space and lower-cased, an id trimmed of spaces) and only its SHA-256 (hex) is kept, in the persistent table
`raw.erasure_register` (subject_kind, subject_sha256, origin, requested_at, first_applied_at). The register holds no
personal data and keeps the people forgotten after the file is removed; the warehouse then finds their rows by
hashing the distinct identifiers of the exports (docs/DESIGN.md, "GDPR erasure").

- DuckDB: the landing hook reads the file through the UDF `seg_erasure_requests` (segwarehouse/dbt_plugin.py) and
  applies the register to the landed copies (macros/guard/erasure.sql).
- PostgreSQL: the loader applies it to the freshly loaded tables before the guard (`apply_postgres`).
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from segwarehouse.contract import ExportFile
from segwarehouse.exports import ExportFileError, text_encoding

if TYPE_CHECKING:
    from psycopg2.extensions import connection as Connection

REQUESTS_FILE = "erasure_requests.csv"
REQUEST_KINDS = ("email", "contact_id")
# the white space RE2 (DuckDB) and the staging macro normalize_email remove: `\s` = [\t\n\f\r ]
_EMAIL_SPACES = re.compile(r"[\t\n\f\r ]")
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                 "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


class ErasureRequestError(ValueError):
    """The requests file cannot be read as documented: the build must not go on without applying it."""


@dataclass(frozen=True)
class Subject:
    kind: str
    sha256: str
    requested_at: datetime | None


def normalize(kind: str, value: str | None) -> str | None:
    """An identifier as staging holds it: an email without white space, lower-cased (macro `normalize_email`); any
    other id trimmed of spaces (macro `clean_text`). None when nothing is left."""
    if value is None:
        return None
    text = _EMAIL_SPACES.sub("", value).lower() if kind == "email" else value.strip(" ")
    return text or None


def subject_sha256(kind: str, value: str | None) -> str | None:
    """SHA-256 (hex) of the normalised identifier: what `raw.erasure_register` keeps, and what SQL computes with
    `sha256()` (DuckDB) or `encode(sha256(convert_to(...)), 'hex')` (PostgreSQL) on the same normalised text."""
    text = normalize(kind, value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None


def _parse_requested_at(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


def read_requests(path: Path) -> list[Subject]:
    """The subjects a requests file asks to forget: one (kind, sha256) per identifier, the earliest `requested_at`
    when the same person is asked for twice. Raises ErasureRequestError naming the file, line and column."""
    from segwarehouse.load import normalize_header, sniff_delimiter

    try:
        encoding = text_encoding(path)
    except ExportFileError as error:
        raise ErasureRequestError(str(error)) from None
    with path.open(newline="", **encoding) as handle:
        delimiter = sniff_delimiter(handle.readline())
        handle.seek(0)
        rows = list(csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True))
    if not rows:
        raise ErasureRequestError(f"{path.name}: empty file, expected the header `email,contact_id,requested_at`")
    header = normalize_header(rows[0])
    kinds = [kind for kind in REQUEST_KINDS if kind in header]
    if not kinds:
        raise ErasureRequestError(
            f"{path.name}: no `email` or `contact_id` column (header: {', '.join(rows[0])})")
    subjects: dict[tuple[str, str], datetime | None] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(field.strip() for field in row):
            continue
        if len(row) != len(header):
            raise ErasureRequestError(f"{path.name}: line {line} has {len(row)} fields, the header has {len(header)}")
        values = dict(zip(header, row))
        requested_at = None
        if values.get("requested_at", "").strip():
            requested_at = _parse_requested_at(values["requested_at"])
            if requested_at is None:
                raise ErasureRequestError(
                    f"{path.name}: line {line}: requested_at {values['requested_at']!r} is not a date "
                    "(YYYY-MM-DD or DD/MM/YYYY, optionally with HH:MM[:SS])")
        hashes = [(kind, subject_sha256(kind, values.get(kind))) for kind in kinds]
        hashes = [(kind, digest) for kind, digest in hashes if digest is not None]
        if not hashes:
            raise ErasureRequestError(f"{path.name}: line {line} has neither an email nor a contact_id")
        for key in hashes:
            earlier = subjects.get(key)
            if key not in subjects or (requested_at is not None and (earlier is None or requested_at < earlier)):
                subjects[key] = requested_at
    return [Subject(kind, digest, requested_at) for (kind, digest), requested_at in sorted(subjects.items())]


def requests_json(path: str) -> str:
    """The UDF `seg_erasure_requests(path)` of the DuckDB landing hook: the file's subjects as a JSON array of
    {subject_kind, subject_sha256, requested_at}; `[]` when there is no such file."""
    source = Path(path)
    if not source.is_file():
        return "[]"
    return json.dumps([
        {"subject_kind": subject.kind, "subject_sha256": subject.sha256,
         "requested_at": subject.requested_at.isoformat(sep=" ") if subject.requested_at else None}
        for subject in read_requests(source)
    ])


# -- PostgreSQL (the loader) -------------------------------------------------------------------------------------
REGISTER_COLUMNS = ("subject_kind text not null, subject_sha256 text not null, origin text not null, "
                    "requested_at timestamp, first_applied_at timestamp, primary key (subject_kind, subject_sha256)")
LOG_COLUMNS = "file_name text, rows_erased bigint, rows_anonymised bigint, applied_at timestamp"
APPLIED_COLUMNS = "relation_name text, column_name text, subjects_applied bigint, applied_at timestamp"


@dataclass
class FileErasure:
    """What the erasure did to one loaded file: rows erased (deleted) and rows kept for their account with the
    person's identifiers blanked; `*_before` count those at positions the previous load already had."""
    erased: int = 0
    anonymised: int = 0
    erased_before: int = 0
    anonymised_before: int = 0


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_normalized(kind: str, column: str) -> str:
    if kind == "email":
        return f"nullif(lower(regexp_replace({column}, '[\\t\\n\\f\\r ]', '', 'g')), '')"
    return f"nullif(trim({column}), '')"


def _pg_sha256(kind: str, column: str) -> str:
    return f"encode(sha256(convert_to({_pg_normalized(kind, column)}, 'UTF8')), 'hex')"


def _pg_matches(table: str, column: str, kind: str, register: str) -> str:
    """`column` holds the identifier of an erased subject: a semi-join on the plain values, found by hashing the
    distinct values of the column (not one hash per row)."""
    return (f"{_ident(column)} in (select value from (select distinct {_ident(column)} as value from {table}) "
            f"as candidates where {_pg_sha256(kind, 'value')} in (select subject_sha256 from {register} "
            f"where subject_kind = '{kind}'))")


def erasure_order(contract: dict[str, ExportFile]) -> list[ExportFile]:
    """Files the erasure looks at, in the order it must: person records first (they give the person's other
    identifiers), then files whose erased rows register their key, then the others, then files matched by such a
    registered key (order lines by order_id)."""
    def rank(export: ExportFile) -> int:
        rule = export.erasure
        if rule.get("same_person"):
            return 0
        if rule.get("register"):
            return 1
        return 3 if set(rule["match"]) - set(REQUEST_KINDS) else 2
    return sorted((export for export in contract.values() if export.erasure), key=rank)


def apply_postgres(connection: Connection, loading: str, schema: str, contract: dict[str, ExportFile],
                   requests_path: Path, loaded_columns: dict[str, list[str]],
                   previous_rows: dict[str, int]) -> dict[str, FileErasure]:
    """Merge the requests file into `<schema>.erasure_register`, then erase the register's subjects from the tables
    just loaded into `loading`: a matching row is deleted (`_row_number` keeps the file's numbering of the others),
    or kept for its account with its identifiers blanked (meta `keep_for_account`). Same rules as the DuckDB hook."""
    register = f"{_ident(schema)}.erasure_register"
    subjects = read_requests(requests_path) if requests_path.is_file() else []
    results: dict[str, FileErasure] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"create schema if not exists {_ident(schema)}")
        cursor.execute(f"create table if not exists {register} ({REGISTER_COLUMNS})")
        if subjects:
            cursor.executemany(
                f"insert into {register} values (%s, %s, 'request', %s, null) on conflict (subject_kind, "
                "subject_sha256) do update set requested_at = least(excluded.requested_at, "
                f"{register}.requested_at)",
                [(subject.kind, subject.sha256, subject.requested_at) for subject in subjects])
        cursor.execute(f"select count(*) from {register}")
        if cursor.fetchone()[0] == 0:
            return results
        for export in erasure_order(contract):
            rule = export.erasure
            table = f"{_ident(loading)}.{_ident(export.name)}"
            columns = loaded_columns[export.name]
            match = [column for column in rule["match"] if column in columns]
            if not match:
                continue
            matches = " or ".join(_pg_matches(table, column, column, register) for column in match)
            if rule.get("same_person"):
                # every identifier of a matching record is the person's, and so is every record sharing one
                for _ in range(5):
                    values = ", ".join(f"('{column}', {_pg_sha256(column, _ident(column))})" for column in match)
                    cursor.execute(
                        f"insert into {register} select distinct identifier.kind, identifier.digest, 'same_person', "
                        f"cast(null as timestamp), cast(null as timestamp) from {table} "
                        f"cross join lateral (values {values}) as identifier (kind, digest) "
                        f"where ({matches}) and identifier.digest is not null on conflict do nothing")
                    if cursor.rowcount == 0:
                        break
            account = rule.get("keep_for_account")
            keep = (f"nullif(trim({_ident(account)}), '') is not null" if account and account in columns
                    else "false")
            cursor.execute("drop table if exists erasure_rows")
            cursor.execute(f"create temporary table erasure_rows as select _row_number, {keep} as keep_for_account "
                           f"from {table} where {matches}")
            key = rule.get("register")
            if key and key in columns:
                cursor.execute(
                    f"insert into {register} select distinct '{key}', {_pg_sha256(key, _ident(key))}, "
                    f"'person_{key}', cast(null as timestamp), cast(null as timestamp) from {table} "
                    "where _row_number in (select _row_number from erasure_rows where not keep_for_account) "
                    f"and {_pg_normalized(key, _ident(key))} is not null on conflict do nothing")
            before = previous_rows.get(export.file, 0)
            cursor.execute(
                "select count(*) filter (where not keep_for_account), count(*) filter (where keep_for_account), "
                f"count(*) filter (where not keep_for_account and _row_number <= {before}), "
                f"count(*) filter (where keep_for_account and _row_number <= {before}) from erasure_rows")
            result = FileErasure(*cursor.fetchone())
            cursor.execute(f"delete from {table} where _row_number in "
                           "(select _row_number from erasure_rows where not keep_for_account)")
            if result.anonymised:
                blanked = ", ".join(f"{_ident(column)} = null" for column in match)
                cursor.execute(f"update {table} set {blanked} where _row_number in "
                               "(select _row_number from erasure_rows where keep_for_account)")
            cursor.execute("drop table erasure_rows")
            results[export.file] = result
        cursor.execute(f"update {register} set first_applied_at = localtimestamp where first_applied_at is null")
    return results


def new_epoch() -> str:
    return f"load-{uuid.uuid4().hex[:12]}"
