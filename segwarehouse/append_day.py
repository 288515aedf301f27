"""Append "one more day" of activity to an existing export folder, in place (incremental-build benchmark and tests).

    python -m segwarehouse.generate append --raw-dir DIR --day 2026-11-01 [--seed 42] [--late-share 0.02]
    python -m segwarehouse.append_day --raw-dir DIR --day 2026-11-01 [--seed 42] [--late-share 0.02]   (the same)

The first form is a subcommand of the generator: `generate` without `append` as its first argument works as before.

For the new day `--day`, rows are appended to orders.csv and order_lines.csv (new orders and their lines),
email_events.csv, store_visits.csv, support_tickets.csv and nps_responses.csv (each only when the file exists):
about 1/365 of each file's current row count, at least `MIN_ROWS`. Companies, contacts, products and equipment are
read, never written.

- Every appended row is valid (no quarantine defect): new ids continue the file's own id pattern after its largest
  number (so they collide with nothing), and rows only reference contacts, companies and products that pass the
  contract's row rules in the current files (required values, unique key, parseable typed columns, well-formed
  email, accepted labels, non-negative amounts, score ranges, contact -> company), contacts created at least three
  days before the day; store ids are ones the files already use.
- A share `--late-share` of the appended email events, store visits and orders are late arrivals: timestamped one
  or two days before the day (inside the incremental facts' three-day look-back when the day follows the data).
- Appended bytes follow each file's own format: encoding (UTF-8 with or without BOM, or Windows-1252, as
  `segwarehouse.exports.detect_encoding` decides), delimiter (`,` or `;`), newline (`\\r\\n` or `\\n`), header
  order and spelling (columns matched on the lower-cased, stripped name; unknown columns left empty), and the
  timestamp and decimal styles of the rows already there (ISO `YYYY-MM-DD HH:MM:SS` with the observed share of
  `THH:MM:SS+02:00` offsets, or French `DD/MM/YYYY HH:MM[:SS]`; decimal point or comma). A file whose last line
  has no newline gets one first.
- Memory-light: DuckDB reads only the columns it needs (one pass per activity file for its row count, largest id
  and a few small distributions; one validity query on companies, contacts and products, sampling the contacts it
  keeps). Everything is read and generated before the first byte is written.
- Deterministic: the same seed, day and input files give the same bytes.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import duckdb
import numpy as np

from segwarehouse._gen_csv import stable_hash
from segwarehouse._gen_reference import TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRIORITIES
from segwarehouse.contract import ExportFile, accepted_labels, load_contract
from segwarehouse.exports import detect_encoding, readable_csv

MIN_ROWS = 5
SAMPLE_BYTES = 1 << 20
CONTACT_POOL = 50_000
RANGES = {("companies", "financial_score"): (0, 100), ("nps_responses", "nps_score"): (0, 10),
          ("support_tickets", "satisfaction_score"): (1, 5)}
REFERENCES = {"contacts": [("company_id", "companies")]}
EVENT_TYPES = ["sent", "delivered", "open", "click", "soft_bounce", "hard_bounce", "unsubscribe", "complaint"]
DAY_END = 86_399
# Id shapes of the generator, used when a file has no row to learn its own from.
DEFAULT_ID_SHAPES = {"order_id": ("OR", 8), "event_id": ("EV", 9), "visit_id": ("VS", 8), "ticket_id": ("TK", 7),
                     "response_id": ("NPS", 7)}


def norm(name: str) -> str:
    """A header name as matched with the contract: lower-case, stripped (and a BOM removed)."""
    return name.replace("\ufeff", "").strip().lower()


# ----------------------------------------------------------------------------------------------------------------
# The format of an existing file
# ----------------------------------------------------------------------------------------------------------------
@dataclass
class FileStyle:
    path: Path
    encoding: str  # "utf-8" or "cp1252" (exports.detect_encoding)
    bom: bool
    delimiter: str
    newline: str
    header: list[str]  # as written
    columns: list[str]  # normalised names, same order
    ends_with_newline: bool
    sample: list[dict[str, str]]  # rows from the head and the tail of the file, by normalised name
    tail: list[dict[str, str]]

    def values(self, column: str) -> list[str]:
        return [v.strip() for r in self.sample if (v := r.get(column, "")) and v.strip()]


def _parse_rows(text: str, delimiter: str, n_columns: int, columns: list[str]) -> list[dict[str, str]]:
    rows = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(record) == n_columns:
                rows.append(dict(zip(columns, record)))
    except csv.Error:
        pass
    return rows


def sniff(path: Path) -> FileStyle:
    """Encoding, delimiter, newline, header and a sample of rows (head and tail) of an export file."""
    encoding = detect_encoding(path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
        handle.seek(max(0, size - SAMPLE_BYTES))
        tail = handle.read(SAMPLE_BYTES)
    bom = head.startswith(b"\xef\xbb\xbf")
    codec = "utf-8" if encoding == "utf-8" else "cp1252"
    errors = "ignore" if encoding == "utf-8" else "cp1252_latin1"  # "ignore": a character cut by the sample edge
    head_text = head[3 if bom else 0:].decode(codec, errors=errors)
    first, _, rest = head_text.partition("\n")
    newline = "\r\n" if first.endswith("\r") else "\n"
    first = first.rstrip("\r")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter))
    columns = [norm(h) for h in header]
    if size > len(head):
        rest = rest[: rest.rfind("\n") + 1]  # drop the line cut by the sample edge
    head_rows = _parse_rows(rest, delimiter, len(header), columns)
    tail_rows: list[dict[str, str]] = []
    if size > len(head):
        tail_text = tail.decode(codec, errors=errors)
        tail_rows = _parse_rows(tail_text[tail_text.find("\n") + 1:], delimiter, len(header), columns)
    else:
        tail_rows = head_rows[-2000:]
    return FileStyle(path=path, encoding=encoding, bom=bom, delimiter=delimiter, newline=newline, header=header,
                     columns=columns, ends_with_newline=tail.endswith(b"\n"), sample=head_rows[:2000] + tail_rows[-2000:],
                     tail=tail_rows[-2000:])


ISO_TS = re.compile(r"^(\d{4}-\d{2}-\d{2})([ T])(\d{2}:\d{2})(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$")
FR_TS = re.compile(r"^(\d{2}/\d{2}/\d{4})( \d{2}:\d{2})(:\d{2})?$")
FR_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


@dataclass
class TimestampStyle:
    french: bool = False
    seconds: bool = True
    offset_share: float = 0.0  # share of ISO values written `YYYY-MM-DDTHH:MM:SS+HH:MM`
    t_separator: bool = False  # naive ISO values written with `T`

    @classmethod
    def of(cls, values: Sequence[str]) -> "TimestampStyle":
        fr = [m for v in values if (m := FR_TS.match(v))]
        iso = [m for v in values if (m := ISO_TS.match(v))]
        if len(fr) > len(iso):
            return cls(french=True, seconds=sum(1 for m in fr if m.group(3)) * 2 >= len(fr))
        if not iso:
            return cls()
        naive = [m for m in iso if not m.group(5)]
        return cls(seconds=sum(1 for m in iso if m.group(4)) * 2 >= len(iso),
                   offset_share=round((len(iso) - len(naive)) / len(iso), 3),
                   t_separator=bool(naive) and sum(1 for m in naive if m.group(2) == "T") * 2 > len(naive))

    def format(self, value: dt.datetime, with_offset: bool) -> str:
        hms = value.strftime("%H:%M:%S" if self.seconds else "%H:%M")
        if self.french:
            return value.strftime("%d/%m/%Y ") + hms
        if with_offset:
            return value.strftime("%Y-%m-%dT%H:%M:%S") + paris_offset(value)
        return value.strftime("%Y-%m-%d") + ("T" if self.t_separator else " ") + hms


@lru_cache(maxsize=None)
def _last_sunday(year: int, month: int) -> dt.date:
    last = (dt.date(year, month + 1, 1) if month < 12 else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def paris_offset(value: dt.datetime) -> str:
    """The Europe/Paris UTC offset of a naive local time (summer time from the last Sunday of March, 02:00, to the
    last Sunday of October, 03:00)."""
    start = dt.datetime.combine(_last_sunday(value.year, 3), dt.time(2))
    end = dt.datetime.combine(_last_sunday(value.year, 10), dt.time(3))
    return "+02:00" if start <= value < end else "+01:00"


def no_dst_gap(value: dt.datetime) -> dt.datetime:
    """A naive local time that exists in Europe/Paris (02:xx on the spring switch day moves to 03:xx)."""
    if value.date() == _last_sunday(value.year, 3) and value.hour == 2:
        return value + dt.timedelta(hours=1)
    return value


@dataclass
class Writer:
    """Formats rows of typed values (str, int, `Cents`, datetime, date) in the style of one existing file."""

    style: FileStyle
    spec: ExportFile
    rng: np.random.Generator
    timestamps: dict[str, TimestampStyle] = field(default_factory=dict)
    decimal_sep: dict[str, str] = field(default_factory=dict)
    french_dates: dict[str, bool] = field(default_factory=dict)
    rows: int = 0

    def __post_init__(self) -> None:
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, delimiter=self.style.delimiter, lineterminator=self.style.newline,
                               quoting=csv.QUOTE_MINIMAL)
        for column in self.spec.columns:
            if column.name not in self.style.columns:
                continue
            values = self.style.values(column.name)
            if column.cast_to == "timestamp":
                self.timestamps[column.name] = TimestampStyle.of(values)
            elif column.cast_to == "decimal":
                comma = sum(1 for v in values if re.search(r"\d,\d", v))
                point = sum(1 for v in values if re.search(r"\d\.\d", v))
                self.decimal_sep[column.name] = "," if comma > point else "."
            elif column.cast_to == "date":
                self.french_dates[column.name] = sum(1 for v in values if FR_DATE.match(v)) * 2 > max(len(values), 1)
        self._shares = [self.timestamps[c].offset_share if c in self.timestamps else 0.0 for c in self.style.columns]

    def text(self, column: str, value: object, with_offset: bool) -> str:
        if value is None:
            return ""
        if isinstance(value, Cents):
            return f"{value // 100}{self.decimal_sep.get(column, '.')}{value % 100:02d}"
        if isinstance(value, dt.datetime):
            return self.timestamps.get(column, TimestampStyle()).format(value, with_offset)
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y" if self.french_dates.get(column) else "%Y-%m-%d")
        return str(value)

    def add(self, row: dict[str, object]) -> None:
        """One row by contract column name; columns of the file it does not name stay empty."""
        offset_draw = self.rng.random()
        self._csv.writerow([self.text(name, row.get(name), offset_draw < share)
                            for name, share in zip(self.style.columns, self._shares)])
        self.rows += 1

    def payload(self) -> bytes:
        """The bytes to append: the rows, after a newline when the file's last line has none."""
        if not self.rows:
            return b""
        text = ("" if self.style.ends_with_newline else self.style.newline) + self._buffer.getvalue()
        return text.encode("utf-8" if self.style.encoding == "utf-8" else "cp1252")


class Cents(int):
    """A non-negative amount in cents, written with the file's decimal separator."""


# ----------------------------------------------------------------------------------------------------------------
# Reading what the new rows need
# ----------------------------------------------------------------------------------------------------------------
class Reader:
    """DuckDB over the export files: every column text, named by position (`c0`, `c1`...) after the header."""

    def __init__(self, cache_dir: Path):
        self.con = duckdb.connect()
        self.con.execute("set enable_progress_bar = false")
        self.con.execute("set memory_limit = '1GB'")
        self.con.execute(f"set temp_directory = '{cache_dir}'")
        self.cache_dir = cache_dir

    def relation(self, style: FileStyle) -> str:
        path = str(style.path) if style.encoding == "utf-8" else readable_csv(str(style.path), str(self.cache_dir))
        names = ", ".join(f"'c{i}'" for i in range(len(style.columns)))
        delim = style.delimiter.replace("'", "''")
        return (f"read_csv('{path}', header = true, all_varchar = true, delim = '{delim}', quote = '\"', "
                f"escape = '\"', names = [{names}])")

    @staticmethod
    def col(style: FileStyle, name: str) -> str:
        return f"c{style.columns.index(name)}"


def id_pattern(values: Sequence[str]) -> tuple[str, int]:
    """The most common `prefix + zero-padded number` shape of a file's ids."""
    shapes = Counter((m.group(1), len(m.group(2))) for v in values if (m := re.fullmatch(r"(\D*?)(\d+)", v.strip())))
    if not shapes:
        raise ValueError("no id of the form prefix + number in the sample")
    return shapes.most_common(1)[0][0]


@dataclass
class Scan:
    rows: int
    next_number: int  # first unused id number after every existing one
    prefix: str
    width: int
    groups: dict[str, int]  # counts of the group column's values


def scan(reader: Reader, style: FileStyle, key: str | None, group: str | None = None) -> Scan:
    """Row count, largest id number of the file's id shape and counts of one small column, in one pass."""
    rel = reader.relation(style)
    prefix, width = ("", 0) if not key else id_pattern([r.get(key, "") for r in style.sample]) if style.sample \
        else DEFAULT_ID_SHAPES.get(key, ("", 8))
    g = f"trim({reader.col(style, group)})" if group else "''"
    if key:
        k = f"trim({reader.col(style, key)})"
        p = prefix.replace("'", "''")
        sql = (f"select {g} as g, count(*), max(length({k})) filter (where starts_with({k}, '{p}')), "
               f"max({k}) filter (where starts_with({k}, '{p}') and length({k}) = {len(prefix) + width} and "
               f"{k} between '{p}{'0' * width}' and '{p}{'9' * width}') from {rel} group by all order by 1")
    elif group:
        sql = f"select {g} as g, count(*), null, null from {rel} group by all order by 1"
    else:
        sql = f"select '' as g, count(*), null, null from {rel}"
    result = reader.con.execute(sql).fetchall()
    rows = sum(r[1] for r in result)
    groups = {r[0]: r[1] for r in result if r[0]}
    next_number = 1
    if key:
        longest = max((r[2] for r in result if r[2] is not None), default=0)
        best = max((r[3] for r in result if r[3] is not None), default=None)
        if best is not None and best[len(prefix):].isdigit():
            next_number = int(best[len(prefix):]) + 1
        if longest > len(prefix) + width or (best is not None and not best[len(prefix):].isdigit()):
            k = f"trim({reader.col(style, key)})"
            value = reader.con.execute(
                f"select max(try_cast(substr({k}, {len(prefix) + 1}) as hugeint)) from {rel} "
                f"where starts_with({k}, '{prefix}') and regexp_full_match(substr({k}, {len(prefix) + 1}), '\\d+')"
            ).fetchone()[0]
            next_number = max(next_number, int(value) + 1 if value is not None else 1)
    return Scan(rows=rows, next_number=next_number, prefix=prefix, width=width, groups=groups)


def _fold(sql: str) -> str:
    return (f"replace(replace(replace(strip_accents(lower(trim({sql}))), 'œ', 'oe'), 'æ', 'ae'), '’', '''')")


def valid_rows_sql(reader: Reader, table: str, spec: ExportFile, style: FileStyle, labels: dict,
                   valid_refs: dict[str, str]) -> str:
    """SQL of the rows of a file that pass the contract's row rules (conservatively: a duplicated key drops all its
    rows, any negative number drops the row), with every contract column present, trimmed, as `t_<name>`."""
    rel = reader.relation(style)
    present = [c for c in spec.columns if c.name in style.columns]
    select = ", ".join(f"nullif(trim({reader.col(style, c.name)}), '') as t_{c.name}" for c in present)
    conditions = []
    for column in spec.columns:
        t = f"t_{column.name}"
        if column.name not in style.columns:
            if column.required:
                return f"select {select} from {rel} where false"
            continue
        if column.required:
            conditions.append(f"{t} is not null")
        if column.cast_to == "timestamp":
            iso = fr"replace(regexp_replace({t}, '^(\d{{2}})/(\d{{2}})/(\d{{4}})', '\3-\2-\1'), 'T', ' ')"
            conditions.append(
                f"({t} is null or (regexp_full_match({iso}, '\\d{{4}}-\\d{{2}}-\\d{{2}} \\d{{2}}:\\d{{2}}(:\\d{{2}}(\\.\\d+)?)?"
                f"(Z|[+-]\\d{{2}}(:?\\d{{2}})?)') and try_cast({iso} as timestamptz) is not null) "
                f"or (regexp_full_match({iso}, '\\d{{4}}-\\d{{2}}-\\d{{2}}( \\d{{2}}:\\d{{2}}(:\\d{{2}}(\\.\\d+)?)?)?') "
                f"and try_cast({iso} as timestamp) is not null))")
        elif column.cast_to == "date":
            iso = fr"regexp_replace({t}, '^(\d{{2}})/(\d{{2}})/(\d{{4}})', '\3-\2-\1')"
            conditions.append(f"({t} is null or (regexp_full_match({iso}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') "
                              f"and try_cast({iso} as date) is not null))")
        elif column.cast_to in ("integer", "decimal"):
            compact = f"regexp_replace({t}, '[ \u00a0\u202f]', '', 'g')"
            if column.cast_to == "integer":
                number, pattern = compact, "\\+?\\d{1,15}"
            else:
                number = f"(case when {compact} like '%,%' then replace(replace({compact}, '.', ''), ',', '.') else {compact} end)"
                pattern = "\\+?(\\d+(\\.\\d*)?|\\.\\d+)"
            condition = f"regexp_full_match({number}, '{pattern}')"
            if (table, column.name) in RANGES:
                low, high = RANGES[(table, column.name)]
                condition += f" and cast({number} as double) between {low} and {high}"
            conditions.append(f"({t} is null or ({condition}))")
        if column.name == "email":
            email = f"lower(regexp_replace({t}, '\\s', '', 'g'))"
            conditions.append(f"({t} is null or regexp_full_match({email}, '[^@]+@[a-z0-9]([a-z0-9.-]*[a-z0-9])?\\.[a-z]{{2,}}'))")
        if table == "companies" and column.name == "siren":
            conditions.append(f"({t} is null or regexp_full_match(regexp_replace({t}, '[\\s.]', '', 'g'), '\\d{{9}}'))")
        if column.name in labels.get(table, {}):
            accepted = ", ".join("'" + label.replace("'", "''") + "'" for label in labels[table][column.name])
            conditions.append(f"({t} is null or {_fold(t)} in ({accepted}))")
    for column, target in REFERENCES.get(table, []):
        if column in style.columns and target in valid_refs:
            conditions.append(f"(t_{column} is null or t_{column} in (select id from {valid_refs[target]}))")
    key = " || '|' || ".join(f"coalesce(t_{k}, '')" for k in spec.key)
    where = " and ".join(conditions) or "true"
    return (f"with parsed as (select {select} from {rel}), "
            f"keyed as (select *, count(*) over (partition by {key}) as _n from parsed) "
            f"select * exclude (_n) from keyed where _n = 1 and {where}")


@dataclass
class Contacts:
    ids: list[str]
    company: list[str]  # "" for a consumer
    email: list[str]  # "" when none or opted out


def load_references(reader: Reader, contract: dict[str, ExportFile], styles: dict[str, FileStyle], day: dt.date,
                    seed: int, pool_size: int) -> tuple[Contacts, list[tuple[str, Cents, str]]]:
    """A deterministic sample of valid contacts and every valid product (id, list price, product type)."""
    labels = accepted_labels()
    refs: dict[str, str] = {}
    con = reader.con
    con.execute(f"create temp table valid_companies as select t_company_id as id from "
                f"({valid_rows_sql(reader, 'companies', contract['companies'], styles['companies'], labels, {})})")
    refs["companies"] = "valid_companies"
    spec, style = contract["contacts"], styles["contacts"]
    valid = valid_rows_sql(reader, "contacts", spec, style, labels, refs)
    created = "t_created_at"
    created_iso = fr"replace(regexp_replace({created}, '^(\d{{2}})/(\d{{2}})/(\d{{4}})', '\3-\2-\1'), 'T', ' ')"
    before = (day - dt.timedelta(days=3)).isoformat()
    company = "t_company_id" if "company_id" in style.columns else "null"
    email = "t_email" if "email" in style.columns else "null"
    consent = _fold("t_email_consent") if "email_consent" in style.columns else "''"
    rows = con.execute(
        f"select t_contact_id, coalesce({company}, ''), "
        f"case when {email} is not null and coalesce({consent}, '') not in ('opt_out', 'opt-out', 'optout', 'non', 'no') "
        f"then {email} else '' end "
        f"from ({valid}) where left({created_iso}, 10) < '{before}' "
        f"order by md5('{seed}|' || t_contact_id), t_contact_id limit {int(pool_size)}").fetchall()
    if not rows:
        raise ValueError("contacts.csv has no valid contact created before the day")
    rows.sort(key=lambda r: r[0])
    contacts = Contacts([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    products: list[tuple[str, Cents, str]] = []
    if "products" in styles:
        valid = valid_rows_sql(reader, "products", contract["products"], styles["products"], labels, refs)
        price = "t_list_price" if "list_price" in styles["products"].columns else "null"
        ptype = _fold("t_product_type") if "product_type" in styles["products"].columns else "''"
        for pid, text, kind in con.execute(f"select t_product_id, {price}, {ptype} from ({valid}) order by 1").fetchall():
            products.append((pid, Cents(_cents(text)), kind or ""))
    if not products:
        raise ValueError("products.csv has no valid product: order lines need one")
    return contacts, products


def _cents(text: str | None) -> int:
    if not text:
        return 1000
    compact = re.sub(r"[ \u00a0\u202f]", "", text)
    if "," in compact:
        compact = compact.replace(".", "").replace(",", ".")
    return max(0, round(float(compact) * 100))


# ----------------------------------------------------------------------------------------------------------------
# The new rows
# ----------------------------------------------------------------------------------------------------------------
def _n_rows(existing: int) -> int:
    return max(MIN_ROWS, round(existing / 365))


def _ids(scan_: Scan, n: int) -> list[str]:
    return [f"{scan_.prefix}{number:0{scan_.width}d}" for number in range(scan_.next_number, scan_.next_number + n)]


def _at(day: dt.date, seconds: int, days_back: int = 0) -> dt.datetime:
    return no_dst_gap(dt.datetime.combine(day - dt.timedelta(days=int(days_back)), dt.time()) + dt.timedelta(seconds=int(seconds)))


def _days_back(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """0 for rows of the day, 1 or 2 for the late arrivals: `share` of the rows, rounded, at least one when
    `share` is above zero (so that even a small file exercises the incremental look-back)."""
    n_late = min(n, max(1, round(share * n))) if share > 0 else 0
    back = np.zeros(n, dtype=np.int64)
    back[rng.choice(n, size=n_late, replace=False)] = rng.integers(1, 3, n_late)
    return back


def _weighted(rng: np.random.Generator, counts: dict[str, int], n: int, fallback: Sequence[str]) -> list[str]:
    values = sorted(counts) or list(fallback)
    weights = np.array([counts.get(v, 1) for v in values], dtype=float)
    return [values[i] for i in rng.choice(len(values), size=n, p=weights / weights.sum())]


def orders_rows(rng: np.random.Generator, day: dt.date, n: int, n_lines: int, contacts: Contacts,
                products: list[tuple[str, Cents, str]], stores: dict[str, int], order_scan: Scan,
                late_share: float) -> tuple[list[dict], list[dict]]:
    who = rng.integers(len(contacts.ids), size=n)
    b2b = np.array([contacts.company[i] != "" for i in who])
    channel = np.where(b2b, rng.choice(4, size=n, p=[0.05, 0.35, 0.2, 0.4]), rng.choice(3, size=n, p=[0.35, 0.6, 0.05]))
    if not stores:
        channel = np.where(channel == 0, 1, channel)
    company_only = b2b & (rng.random(n) < 0.15)
    tod = np.select([channel == 0, channel == 1], [rng.uniform(9.5, 19.25, n), 7 + 16 * rng.random(n) ** 0.8],
                    rng.uniform(9, 18, n)) * 3600
    back = _days_back(rng, n, late_share)
    status = rng.choice(3, size=n, p=[0.95, 0.03, 0.02])
    store = _weighted(rng, stores, n, [""])
    per_order = 1 + rng.multinomial(max(n_lines - n, 0), np.full(n, 1.0 / n))
    price = np.array([p[1] for p in products], dtype=np.int64)
    popularity = np.exp(rng.normal(0, 0.7, len(products))) * np.maximum(price, 100) ** -0.5
    popularity /= popularity.sum()
    ids = _ids(order_scan, n)
    orders, lines = [], []
    owner = np.repeat(np.arange(n), per_order)
    m = owner.size
    chosen = rng.choice(len(products), size=m, p=popularity)
    subscription = np.array([products[p][2] in ("subscription", "abonnement") for p in chosen])
    qty = np.where(b2b[owner], np.where(subscription, rng.integers(1, 30, m), rng.geometric(0.45, m)),
                   rng.choice([1, 2, 3], size=m, p=[0.85, 0.12, 0.03]))
    unit = np.where(rng.random(m) < 0.2, np.round(price[chosen] * rng.uniform(0.85, 1.05, m) / 10) * 10,
                    price[chosen]).astype(np.int64)
    gross = unit * qty
    discount = np.where(rng.random(m) < 0.15, np.round(gross * rng.uniform(0.05, 0.2, m)), 0).astype(np.int64)
    total = np.bincount(owner, weights=gross - discount, minlength=n).astype(np.int64)
    first_line = np.cumsum(per_order) - per_order
    for number, k in enumerate(np.lexsort((tod, -back)).tolist()):  # in time order, the late ones first
        for j in range(first_line[k], first_line[k] + per_order[k]):
            lines.append({"order_id": ids[number], "line_number": int(j - first_line[k] + 1),
                          "product_id": products[chosen[j]][0], "quantity": int(qty[j]), "unit_price": Cents(unit[j]),
                          "discount_amount": Cents(discount[j])})
        c = int(who[k])
        orders.append({
            "order_id": ids[number], "contact_id": "" if company_only[k] else contacts.ids[c],
            "company_id": contacts.company[c], "ordered_at": _at(day, tod[k], back[k]),
            "channel": ["store", "web", "phone", "sales_rep"][channel[k]],
            "store_id": store[k] if channel[k] == 0 else "", "status": ["completed", "cancelled", "refunded"][status[k]],
            "currency": "EUR", "total_amount": Cents(int(total[k])),
        })
    return orders, lines


def email_rows(rng: np.random.Generator, day: dt.date, n: int, contacts: Contacts, event_scan: Scan,
               campaigns: dict[str, int], last_campaign: str, late_share: float) -> list[dict]:
    readers = np.array([i for i, e in enumerate(contacts.email) if e])
    if readers.size == 0:
        raise ValueError("no valid contact with an email address and without an opt-out")
    new_campaign, late_campaign = _campaign_ids(campaigns, last_campaign, day)
    sends = n // 2 + 2
    outcome = rng.choice([1, 4, 5], size=sends, p=[0.97, 0.02, 0.01])
    opened = (outcome == 1) & (rng.random(sends) < 0.3)
    n_open = np.where(opened, np.minimum(1 + rng.poisson(0.4, sends), 4), 0)
    n_click = np.where(opened & (rng.random(sends) < 0.25), np.minimum(1 + rng.poisson(0.3, sends), 3), 0)
    unsub = opened & (rng.random(sends) < 0.004)
    complaint = (outcome == 1) & ~unsub & (rng.random(sends) < 0.0005)
    count = 2 + n_open + n_click + unsub + complaint
    who = rng.choice(readers, size=sends, replace=readers.size < sends)
    back = _days_back(rng, sends, late_share)
    start = rng.integers(10 * 3600, 13 * 3600, sends)
    ids = iter(_ids(event_scan, n))
    events: list[dict] = []
    for s in range(sends):
        types = ["sent", EVENT_TYPES[outcome[s]]] + ["open"] * n_open[s] + ["click"] * n_click[s] \
            + ["unsubscribe"] * int(unsub[s]) + ["complaint"] * int(complaint[s])
        delays = np.concatenate([[0, rng.integers(1, 120)], rng.lognormal(np.log(2 * 3600), 1.0, len(types) - 2)])
        seconds = np.minimum(start[s] + np.cumsum(delays.astype(np.int64)), DAY_END)
        c = int(who[s])
        for event_type, second in zip(types, seconds):
            if len(events) == n:
                return events
            events.append({"event_id": next(ids), "contact_id": contacts.ids[c], "email": contacts.email[c],
                           "campaign_id": late_campaign if back[s] else new_campaign, "event_type": event_type,
                           "occurred_at": _at(day, second, back[s])})
    return events


def _campaign_ids(campaigns: dict[str, int], last: str, day: dt.date) -> tuple[str, str]:
    """The id of the day's new campaign (the latest campaign's `PREFIX-YYYY-NNN` shape, next number of the day's
    year) and the one late events belong to (the latest existing campaign)."""
    m = re.fullmatch(r"(.*?)-(\d{4})-(\d+)", last or "")
    if not m:
        return last or f"NL-{day.year}-{day:%m%d}", last or f"NL-{day.year}-{day:%m%d}"
    prefix, width = m.group(1), len(m.group(3))
    numbers = []
    for c in campaigns:
        x = re.fullmatch(re.escape(prefix) + rf"-{day.year}-(\d+)", c)
        if x:
            numbers.append(int(x.group(1)))
    return f"{prefix}-{day.year}-{max(numbers, default=0) + 1:0{width}d}", last


def visit_rows(rng: np.random.Generator, day: dt.date, n: int, contacts: Contacts, stores: dict[str, int],
               visit_scan: Scan, late_share: float) -> list[dict]:
    consumers = np.array([i for i, c in enumerate(contacts.company) if not c]) if any(not c for c in contacts.company) \
        else np.arange(len(contacts.ids))
    who = rng.choice(consumers, size=n)
    seconds = rng.uniform(9.5 * 3600, 19.5 * 3600, n)
    back = _days_back(rng, n, late_share)
    store = _weighted(rng, stores, n, ["0001"])
    order = np.lexsort((seconds, -back))  # in time order, the late ones first
    ids = _ids(visit_scan, n)
    return [{"visit_id": ids[k], "contact_id": contacts.ids[int(who[i])], "store_id": store[i],
             "visited_at": _at(day, seconds[i], back[i])} for k, i in enumerate(order)]


def ticket_rows(rng: np.random.Generator, day: dt.date, n: int, contacts: Contacts, ticket_scan: Scan,
                style: FileStyle) -> list[dict]:
    who = rng.integers(len(contacts.ids), size=n)
    opened = np.sort(rng.integers(int(8.5 * 3600), 19 * 3600, n))
    closed = opened + rng.lognormal(np.log(3 * 3600), 1.0, n).astype(np.int64)
    is_closed = (closed <= DAY_END) & (rng.random(n) < 0.7)
    answered = is_closed & (rng.random(n) < 0.6)
    score = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.05, 0.07, 0.15, 0.4, 0.33])
    vocab = {name: Counter(style.values(name)) for name in ("channel", "category", "priority")}
    channel = _weighted(rng, vocab["channel"], n, TICKET_CHANNELS)
    category = _weighted(rng, vocab["category"], n, TICKET_CATEGORIES)
    priority = _weighted(rng, vocab["priority"], n, TICKET_PRIORITIES)
    ids = _ids(ticket_scan, n)
    rows = []
    for k in range(n):
        c = int(who[k])
        company = contacts.company[c]
        company_only = company != "" and rng.random() < 0.1
        rows.append({"ticket_id": ids[k], "contact_id": "" if company_only else contacts.ids[c], "company_id": company,
                     "opened_at": _at(day, opened[k]), "closed_at": _at(day, closed[k]) if is_closed[k] else None,
                     "channel": channel[k], "category": category[k], "priority": priority[k],
                     "satisfaction_score": int(score[k]) if answered[k] else None})
    return rows


def nps_rows(rng: np.random.Generator, day: dt.date, n: int, contacts: Contacts, nps_scan: Scan) -> list[dict]:
    who = rng.integers(len(contacts.ids), size=n)
    seconds = np.sort(rng.integers(0, DAY_END, n))
    score = rng.choice(11, size=n, p=np.array([1, 1, 1, 1, 2, 3, 4, 8, 14, 16, 14]) / 65)
    ids = _ids(nps_scan, n)
    return [{"response_id": ids[k], "contact_id": contacts.ids[int(who[k])], "responded_at": _at(day, seconds[k]),
             "nps_score": int(score[k])} for k in range(n)]


# ----------------------------------------------------------------------------------------------------------------
# The whole append
# ----------------------------------------------------------------------------------------------------------------
ACTIVITY = ["orders", "order_lines", "email_events", "store_visits", "support_tickets", "nps_responses"]


def append_day(raw_dir: str | Path, day: dt.date | str, seed: int = 42, late_share: float = 0.02) -> dict[str, int]:
    """Appends one day of valid activity to the export files of `raw_dir`, in place; returns rows appended per file."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if not 0 <= late_share <= 1:
        raise ValueError("late_share must be between 0 and 1")
    raw = Path(raw_dir)
    contract = load_contract()
    styles: dict[str, FileStyle] = {}
    for table in ["companies", "contacts", "products", *ACTIVITY]:
        path = raw / contract[table].file
        if path.is_file():
            styles[table] = sniff(path)
        elif table in ("companies", "contacts", "orders"):
            raise FileNotFoundError(f"{path} is required to append a day")

    def rng(name: str) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([seed, day.toordinal(), stable_hash(name)]))

    writers: dict[str, Writer] = {}
    with tempfile.TemporaryDirectory(prefix="append-day-") as cache:
        reader = Reader(Path(cache))
        keys = {t: contract[t].key[0] if len(contract[t].key) == 1 else None for t in ACTIVITY}
        groups = {"orders": "store_id", "email_events": "campaign_id", "store_visits": "store_id"}
        scans = {t: scan(reader, styles[t], keys[t], groups.get(t) if groups.get(t) in styles[t].columns else None)
                 for t in ACTIVITY if t in styles}
        counts = {t: _n_rows(s.rows) for t, s in scans.items()}
        pool = min(CONTACT_POOL, max(1_000, 2 * max(counts.values())))
        contacts, products = load_references(reader, contract, styles, day, seed, pool)
        reader.con.close()

    for table in scans:
        writers[table] = Writer(styles[table], contract[table], rng(table + "-format"))
    stores = dict(scans["store_visits"].groups) if "store_visits" in scans else {}
    for store, count in scans["orders"].groups.items():
        stores[store] = stores.get(store, 0) + count
    n_lines = counts.get("order_lines", counts["orders"] * 2)
    orders, lines = orders_rows(rng("orders"), day, counts["orders"], max(n_lines, counts["orders"]), contacts,
                                products, stores, scans["orders"], late_share)
    rows: dict[str, list[dict]] = {"orders": orders}
    if "order_lines" in scans:
        rows["order_lines"] = lines
    if "email_events" in scans:
        tail = [r.get("campaign_id", "").strip() for r in styles["email_events"].tail]
        last = next((c for c in reversed(tail) if c), max(scans["email_events"].groups, default=""))
        rows["email_events"] = email_rows(rng("email_events"), day, counts["email_events"], contacts,
                                          scans["email_events"], scans["email_events"].groups, last, late_share)
    if "store_visits" in scans:
        rows["store_visits"] = visit_rows(rng("store_visits"), day, counts["store_visits"], contacts,
                                          scans["store_visits"].groups or stores, scans["store_visits"], late_share)
    if "support_tickets" in scans:
        rows["support_tickets"] = ticket_rows(rng("support_tickets"), day, counts["support_tickets"], contacts,
                                              scans["support_tickets"], styles["support_tickets"])
    if "nps_responses" in scans:
        rows["nps_responses"] = nps_rows(rng("nps_responses"), day, counts["nps_responses"], contacts,
                                         scans["nps_responses"])
    payloads = {}
    for table, table_rows in rows.items():
        for row in table_rows:
            writers[table].add(row)
        payloads[table] = writers[table].payload()
    for table, payload in payloads.items():  # everything is ready: only now touch the files
        with styles[table].path.open("ab") as handle:
            handle.write(payload)
    return {contract[t].file: len(r) for t, r in rows.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m segwarehouse.generate append",
                                     description="Append one more day of activity to an export folder, in place.")
    parser.add_argument("--raw-dir", required=True, help="folder of the export files (modified in place)")
    parser.add_argument("--day", required=True, help="the new day (YYYY-MM-DD)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--late-share", type=float, default=0.02,
                        help="share of appended events, visits and orders timestamped 1-2 days before the day")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    appended = append_day(args.raw_dir, args.day, seed=args.seed, late_share=args.late_share)
    for name, count in appended.items():
        print(f"{name:<22} {count:>10,} rows appended")
    print(f"{'total':<22} {sum(appended.values()):>10,} rows in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
