"""Vectorised text formatting and CSV writing for the demo-data generator.

Columns are numpy arrays of `StringDType`; a chunk of rows is formatted column by column with numpy's string
ufuncs and written in one call, so the big files stream to disk chunk by chunk in bounded memory. Broken rows
(the quarantine cases) are placed by `Spares`: each one is a copy of an earlier valid row with exactly one defect,
and its 1-based row number goes to the expected-quarantine truth.
"""
from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from numpy.dtypes import StringDType

S = StringDType()
EPOCH = dt.date(1970, 1, 1)
DAY = 86_400


def strs(values: Sequence[str]) -> np.ndarray:
    return np.array(list(values), dtype=S)


def empty(n: int) -> np.ndarray:
    return np.full(n, "", dtype=S)


def cat(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise concatenation of string arrays and literals."""
    out = parts[0] if not isinstance(parts[0], str) else np.asarray(parts[0], dtype=S)
    for part in parts[1:]:
        out = np.strings.add(out, part)
    return out


def where(mask: np.ndarray, a: np.ndarray | str, b: np.ndarray | str) -> np.ndarray:
    return np.where(mask, np.asarray(a, dtype=S), np.asarray(b, dtype=S)).astype(S)


def int_str(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).astype(S)


def padded(values: np.ndarray, width: int) -> np.ndarray:
    return np.strings.zfill(int_str(values), width)


def make_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return cat(prefix, padded(numbers, width))


_CENTS = strs(f"{i:02d}" for i in range(100))


def money(cents: np.ndarray, sep: str = ".") -> np.ndarray:
    """Non-negative integer cents as `123.40` (or `123,40`)."""
    cents = np.asarray(cents, dtype=np.int64)
    return cat(int_str(cents // 100), sep, _CENTS[cents % 100])


def decimal1(tenths: np.ndarray, sep: str = ".") -> np.ndarray:
    """Non-negative integer tenths as `72.5`, or `72` when the tenth is zero."""
    tenths = np.asarray(tenths, dtype=np.int64)
    whole = int_str(tenths // 10)
    return where(tenths % 10 == 0, whole, cat(whole, sep, int_str(tenths % 10)))


# Byte strings (numpy "S" arrays) for the big files: fancy indexing and joining are several times faster than
# with StringDType. Their content is ASCII or UTF-8 bytes.
def bstrs(values: Sequence[str]) -> np.ndarray:
    return np.array([v.encode("utf-8") for v in values] or [b""], dtype="S")[: len(values)]


def to_bytes(column: np.ndarray) -> np.ndarray:
    """A StringDType column as UTF-8 bytes."""
    width = max(1, int(np.strings.str_len(column).max())) if column.size else 1
    try:
        return column.astype(f"S{width}")
    except UnicodeEncodeError:
        return bstrs(column.tolist())


@lru_cache(maxsize=None)
def _digit_pool(width: int, padded: bool) -> np.ndarray:
    return np.array([(f"{i:0{width}d}" if padded else str(i)).encode() for i in range(10 ** width)], dtype="S")


def bfixed(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded byte strings of `width` digits (at most 12)."""
    x = np.asarray(values, dtype=np.int64)
    if width <= 4:
        return _digit_pool(width, True)[x]
    low = _digit_pool(4, True)[x % 10_000]
    if width <= 8:
        return np.strings.add(_digit_pool(width - 4, True)[x // 10_000], low)
    middle = _digit_pool(4, True)[x // 10_000 % 10_000]
    return np.strings.add(np.strings.add(_digit_pool(width - 8, True)[x // 100_000_000], middle), low)


def bint(values: np.ndarray) -> np.ndarray:
    """Non-negative integers (below 10^12) as byte strings without padding."""
    x = np.asarray(values, dtype=np.int64)
    out = _digit_pool(4, False)[x % 10_000].astype("S12")
    big = np.flatnonzero(x >= 10_000)
    if big.size:
        hi = x[big] // 10_000
        head = np.where(hi >= 10_000, np.strings.add(_digit_pool(4, False)[hi // 10_000 % 10_000],
                                                     _digit_pool(4, True)[hi % 10_000]), _digit_pool(4, False)[hi % 10_000])
        out[big] = np.strings.add(head, _digit_pool(4, True)[x[big] % 10_000])
    return out


def bids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.strings.add(prefix.encode(), bfixed(numbers, width))


def bmoney(cents: np.ndarray) -> np.ndarray:
    """Non-negative integer cents as `123.40`."""
    cents = np.asarray(cents, dtype=np.int64)
    return np.strings.add(np.strings.add(bint(cents // 100), b"."), _digit_pool(2, True)[cents % 100])


def stable_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


class Calendar:
    """Date and time text for day numbers (days since 1970-01-01) and naive local seconds since the epoch."""

    def __init__(self, first: dt.date, last: dt.date):
        self.first_day = (first - EPOCH).days
        days = np.arange(np.datetime64(first), np.datetime64(last) + 1, dtype="datetime64[D]")
        self._iso = days.astype(S)
        self._fr = cat(np.strings.slice(self._iso, 8, 10), "/", np.strings.slice(self._iso, 5, 7), "/",
                       np.strings.slice(self._iso, 0, 4))
        years = days.astype("datetime64[Y]").astype(np.int64) + 1970
        spring = {y: np.datetime64(_last_sunday(int(y), 3)) for y in np.unique(years)}
        autumn = {y: np.datetime64(_last_sunday(int(y), 10)) for y in np.unique(years)}
        start = np.array([spring[y] for y in years])
        end = np.array([autumn[y] for y in years])
        self._offset = where((days >= start) & (days < end), "+02:00", "+01:00")
        self._switch = (days == start) | (days == end)
        self._hms = strs(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY))
        self._hm = strs(f"{m // 60:02d}:{m % 60:02d}" for m in range(1440))
        self._iso_b = self._iso.astype("S10")
        self._hms_b = self._hms.astype("S8")
        self._offset_b = self._offset.astype("S6")

    def _index(self, days: np.ndarray) -> np.ndarray:
        idx = np.asarray(days, dtype=np.int64) - self.first_day
        if idx.size and (idx.min() < 0 or idx.max() >= self._iso.size):
            raise ValueError("date outside the generator's calendar")
        return idx

    def fr_date(self, days: np.ndarray) -> np.ndarray:
        return self._fr[self._index(days)]

    def fix_dst_gap(self, seconds: np.ndarray) -> np.ndarray:
        """Moves times between 02:00 and 03:00 on the two daylight-saving switch days of Europe/Paris to 03:xx,
        so that no naive local time is missing or ambiguous."""
        seconds = np.asarray(seconds, dtype=np.int64)
        days = seconds // DAY
        tod = seconds % DAY
        bad = self._switch[self._index(days)] & (tod >= 7200) & (tod < 10800)
        return np.where(bad, seconds + 3600, seconds)

    def iso_ts(self, seconds: np.ndarray, with_offset: np.ndarray | None = None) -> np.ndarray:
        """`YYYY-MM-DD HH:MM:SS` (naive, Europe/Paris); rows flagged in `with_offset` as
        `YYYY-MM-DDTHH:MM:SS+02:00` with the Paris offset of that day."""
        seconds = np.asarray(seconds, dtype=np.int64)
        idx = self._index(seconds // DAY)
        hms = self._hms[seconds % DAY]
        naive = cat(self._iso[idx], " ", hms)
        if with_offset is None or not with_offset.any():
            return naive
        aware = cat(self._iso[idx], "T", hms, self._offset[idx])
        return where(with_offset, aware, naive)

    def iso_date_b(self, days: np.ndarray) -> np.ndarray:
        return self._iso_b[self._index(days)]

    def iso_ts_b(self, seconds: np.ndarray, with_offset: np.ndarray | None = None) -> np.ndarray:
        """`iso_ts` as byte strings."""
        seconds = np.asarray(seconds, dtype=np.int64)
        idx = self._index(seconds // DAY)
        tod = seconds % DAY
        out = np.strings.add(np.strings.add(self._iso_b[idx], b" "), self._hms_b[tod]).astype("S25")
        if with_offset is not None and with_offset.any():
            m = np.flatnonzero(with_offset)
            out[m] = np.strings.add(np.strings.add(np.strings.add(self._iso_b[idx[m]], b"T"), self._hms_b[tod[m]]),
                                    self._offset_b[idx[m]])
        return out

    def fr_ts(self, seconds: np.ndarray) -> np.ndarray:
        """`DD/MM/YYYY HH:MM` (French spreadsheet export)."""
        seconds = np.asarray(seconds, dtype=np.int64)
        return cat(self._fr[self._index(seconds // DAY)], " ", self._hm[(seconds % DAY) // 60])


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


# ----------------------------------------------------------------------------------------------------------------
# Broken rows
# ----------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Defect:
    """One way to break a row: the quarantine rule it triggers, the offending column, and the mutation of a row
    (a dict of column -> raw text) that introduces exactly that defect. `duplicate` rows keep their source's key."""

    rule: str
    column: str
    mutate: Callable[[dict[str, str]], None]
    duplicate: bool = False


def set_value(column: str, value: str, **others: str) -> Callable[[dict[str, str]], None]:
    def mutate(row: dict[str, str]) -> None:
        row[column] = value
        row.update(others)

    return mutate


def plan_defects(defects: list[Defect], n_valid: int, rng: np.random.Generator, share: float = 0.012,
                 per_kind: int = 5) -> list[Defect]:
    """The broken rows of a file: every defect kind `per_kind` times at most, in all well under 2% of the file
    (kinds listed first are kept when the file is too small for all of them)."""
    budget = int(share * n_valid)
    if budget <= 0:
        return []
    chosen: list[Defect] = []
    for _ in range(per_kind):
        for defect in defects:
            if len(chosen) < budget:
                chosen.append(defect)
    order = rng.permutation(len(chosen))
    return [chosen[i] for i in order]


@dataclass
class QuarantineLog:
    rows: list[tuple[str, int, str, str]] = field(default_factory=list)

    def add(self, source_file: str, row_number: int, defect: Defect) -> None:
        self.rows.append((source_file, row_number, defect.rule, defect.column))


def spread_over_chunks(n_spares: int, chunk_sizes: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    """How many broken rows go into each chunk (proportional to the chunk sizes)."""
    sizes = np.asarray(chunk_sizes, dtype=np.float64)
    counts = np.zeros(len(sizes), dtype=np.int64)
    if n_spares and sizes.sum() > 0:
        picks = rng.choice(len(sizes), size=n_spares, p=sizes / sizes.sum())
        np.add.at(counts, picks, 1)
        counts = np.minimum(counts, np.maximum(np.asarray(chunk_sizes) - 1, 0))
    return counts


@dataclass
class Layout:
    """Where the broken rows of a chunk go: `spare_pos` are their positions in the chunk as written, `source[k]`
    the valid row (index among the chunk's valid rows) the k-th broken row copies, always placed before it."""

    n_valid: int
    valid_pos: np.ndarray
    spare_pos: np.ndarray
    source: np.ndarray

    @property
    def total(self) -> int:
        return self.n_valid + self.spare_pos.size


def make_layout(n_valid: int, n_spares: int, rng: np.random.Generator, eligible: np.ndarray | None = None) -> Layout:
    """Broken rows at random positions after the first row, each copying an eligible valid row placed before it."""
    n_spares = min(n_spares, max(n_valid - 1, 0))
    total = n_valid + n_spares
    spare_pos = np.sort(rng.choice(np.arange(1, total), size=n_spares, replace=False)) if n_spares else np.zeros(0, np.int64)
    is_spare = np.zeros(total, dtype=bool)
    is_spare[spare_pos] = True
    valid_pos = np.flatnonzero(~is_spare)
    candidates = np.flatnonzero(eligible) if eligible is not None and eligible.any() else np.arange(n_valid)
    source = np.empty(n_spares, dtype=np.int64)
    for k, pos in enumerate(spare_pos):
        before = np.searchsorted(valid_pos, pos)  # valid rows placed before this broken row
        pool = candidates[candidates < before]
        source[k] = pool[rng.integers(pool.size)] if pool.size else rng.integers(before)
    return Layout(n_valid, valid_pos, spare_pos, source)


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


# ----------------------------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileFormat:
    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"


class CsvWriter:
    """Writes CSV rows from columns of strings (StringDType, encoded on writing) or of UTF-8 bytes ("S" arrays);
    fields holding the delimiter, a quote or a newline are quoted (checked in `text_columns` and broken rows)."""

    def __init__(self, path: Path, columns: Sequence[str], header: Sequence[str], fmt: FileFormat,
                 text_columns: Sequence[str] = ()):
        self.path = Path(path)
        self.columns = list(columns)
        self.fmt = fmt
        self.text_columns = set(text_columns)
        self._handle = self.path.open("wb")
        if fmt.bom:
            self._handle.write("\ufeff".encode(fmt.encoding))
        self._handle.write((self.format_row(dict(zip(self.columns, header))) + fmt.newline).encode(fmt.encoding))

    def format_row(self, row: dict[str, str]) -> str:
        return self.fmt.delimiter.join(_quote_one(row[name], self.fmt.delimiter) for name in self.columns)

    def lines(self, chunk: dict[str, np.ndarray]) -> list:
        """The chunk's rows as text lines (str, or bytes for byte columns)."""
        first = chunk[self.columns[0]]
        binary = first.dtype.kind == "S"
        delimiter = self.fmt.delimiter.encode() if binary else self.fmt.delimiter
        line = None
        for name in self.columns:
            col = chunk[name]
            if name in self.text_columns:
                col = _quote(col, delimiter)
            line = col if line is None else np.strings.add(np.strings.add(line, delimiter), col)
        return line.tolist()

    def write_lines(self, lines: list) -> None:
        if not lines:
            return
        if isinstance(lines[0], bytes):
            newline = self.fmt.newline.encode()
            self._handle.write(newline.join(lines) + newline)
        else:
            self._handle.write((self.fmt.newline.join(lines) + self.fmt.newline).encode(self.fmt.encoding))

    def write(self, table: dict[str, np.ndarray], broken_rows: Sequence[int] = (), chunk: int = 100_000) -> None:
        """Writes a whole table, `chunk` rows at a time; `broken_rows` may hold any text in any column."""
        n = len(table[self.columns[0]])
        broken = sorted(broken_rows)
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            lines = self.lines({name: table[name][start:stop] for name in self.columns})
            for pos in broken:
                if start <= pos < stop:
                    lines[pos - start] = self.format_row({name: _text(table[name][pos]) for name in self.columns})
            self.write_lines(lines)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> "CsvWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quote(col: np.ndarray, delimiter: str | bytes) -> np.ndarray:
    binary = isinstance(delimiter, bytes)
    quote, newline, cr = (b'"', b"\n", b"\r") if binary else ('"', "\n", "\r")
    needs = (np.strings.find(col, delimiter) >= 0) | (np.strings.find(col, quote) >= 0) \
        | (np.strings.find(col, newline) >= 0) | (np.strings.find(col, cr) >= 0)
    if not needs.any():
        return col
    quoted = np.strings.add(np.strings.add(quote, np.strings.replace(col[needs], quote, quote + quote)), quote)
    col = col.astype(quoted.dtype) if binary and quoted.dtype.itemsize > col.dtype.itemsize else col.copy()
    col[needs] = quoted
    return col


def _quote_one(value: str, delimiter: str) -> str:
    if any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


class Stream:
    """A CSV file written chunk by chunk, with its broken rows spread over the chunks.

    For each chunk: `layout()` places the chunk's broken rows and tells the ids of the valid rows (ids are
    sequential in file order, `prefix` + zero-padded row number); `write()` formats the valid rows' columns, then
    inserts each broken row (a copy of an earlier valid row with exactly one defect) and records its row number.
    Files with a composite key and no id column give `rekey(row, k)`, which makes the k-th broken copy's key new.
    """

    def __init__(self, log: QuarantineLog, source_file: str, writer: CsvWriter, defects: list[Defect],
                 chunk_sizes: Sequence[int], rng: np.random.Generator, id_column: str | None = None,
                 id_prefix: str = "", id_width: int = 8, rekey: Callable[[dict[str, str], int], None] | None = None,
                 binary: bool = True):
        self.log = log
        self.source_file = source_file
        self.writer = writer
        self.rng = rng
        self.id_column, self.id_prefix, self.id_width = id_column, id_prefix, id_width
        self.rekey = rekey
        self.binary = binary
        self._spares = spread_over_chunks(len(defects), chunk_sizes, rng).tolist()
        self._defects = list(defects)
        self._chunk = 0
        self._rekeyed = 0
        self.rows = 0

    def layout(self, n_valid: int, eligible: np.ndarray | None = None) -> Layout:
        n_spares = self._spares[self._chunk] if self._chunk < len(self._spares) else 0
        self._chunk += 1
        return make_layout(n_valid, min(n_spares, len(self._defects)), self.rng, eligible)

    def ids(self, positions: np.ndarray) -> np.ndarray:
        """Ids of rows at these positions of the current chunk."""
        numbers = self.rows + np.asarray(positions) + 1
        return bids(self.id_prefix, numbers, self.id_width) if self.binary else make_ids(self.id_prefix, numbers, self.id_width)

    def valid_ids(self, layout: Layout) -> np.ndarray:
        return self.ids(layout.valid_pos)

    def write(self, layout: Layout, valid_columns: dict[str, np.ndarray]) -> None:
        columns = dict(valid_columns)
        if self.id_column:
            columns[self.id_column] = self.valid_ids(layout)
        lines = self.writer.lines(columns)
        for pos, src in zip(layout.spare_pos.tolist(), layout.source.tolist()):
            defect = self._defects.pop(0)
            row = {name: _text(col[src]) for name, col in columns.items()}
            if self.id_column and not defect.duplicate:
                row[self.id_column] = _text(self.ids(np.array([pos]))[0])
            elif not self.id_column and self.rekey is not None and not defect.duplicate:
                self.rekey(row, self._rekeyed)
                self._rekeyed += 1
            defect.mutate(row)
            line = self.writer.format_row(row)
            lines.insert(pos, line.encode(self.writer.fmt.encoding) if self.binary else line)
            self.log.add(self.source_file, self.rows + pos + 1, defect)
        self.writer.write_lines(lines)
        self.rows += layout.total

    def close(self) -> None:
        self.writer.close()
