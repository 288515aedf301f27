"""How much of an export the landing hook must read again: all of it, only the bytes appended since the previous
build, or nothing.

The DuckDB landing hook (macros/guard/land_raw_exports.sql) copies every export into a table of the `raw` schema and
remembers, per file, how many bytes and rows it landed and a fingerprint of those bytes. At the next build,
`land_plan` compares the file with that record:

- `unchanged`: same size, same fingerprint: the table is up to date.
- `append`: the file is longer, the bytes landed before are still there (same fingerprint) and ended a line: only
  the new bytes are read, from a tail file (the header line, then the appended bytes) written next to the cache.
- `full`: anything else (first build, shorter file, edited or re-exported content, last line not ended): the whole
  file is read again.

The fingerprint hashes the length and the first and last 64 KiB of the landed bytes. For an export whose rows may
change in place (companies, contacts, orders...: every file not declared `append_only` in the sources' meta) it also
hashes a CRC-32 of every landed byte, so a re-export that changes a row anywhere is landed in full. For the
append-only exports (email events, order lines, store visits), an edit in the middle of the file that keeps its
exact size and both ends is not seen: run `--full-refresh` after such a repair (DESIGN.md).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import zlib
from pathlib import Path

EDGE = 64 * 1024
CHUNK = 1 << 20


def fingerprint(path: Path, length: int, whole: bool = False) -> str:
    """sha256 of the length and of the first and last 64 KiB of the file's first `length` bytes; with `whole`, also
    of the CRC-32 of all of them (an export whose rows change in place: any edit is seen, about 1 s per GB). The
    landing hook asks twice per file (`exports.readable_csv`, then `land_plan`): the answer is kept while the file
    keeps its inode, size and change times."""
    stat = path.stat()
    return _fingerprint(str(path), length, whole, (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))


@functools.lru_cache(maxsize=64)
def _fingerprint(path: str, length: int, whole: bool, version: tuple[int, int, int, int]) -> str:
    digest = hashlib.sha256(f"{length}|{whole}".encode())
    with open(path, "rb") as handle:
        digest.update(handle.read(min(EDGE, length)))
        handle.seek(max(0, length - EDGE))
        digest.update(handle.read(min(EDGE, length)))
        if whole:
            handle.seek(0)
            crc, left = 0, length
            while left > 0 and (chunk := handle.read(min(CHUNK, left))):
                crc, left = zlib.crc32(chunk, crc), left - len(chunk)
            digest.update(crc.to_bytes(4, "big"))
    return digest.hexdigest()


def header_line(path: Path) -> bytes:
    """The file's first line, line end included (a header with a quoted newline is not allowed by the contract)."""
    with path.open("rb") as handle:
        return handle.readline()


def _ends_a_line(path: Path, length: int) -> bool:
    with path.open("rb") as handle:
        handle.seek(length - 1)
        return handle.read(1) == b"\n"


def still_landed(path: Path, landed_bytes: int | None, landed_fingerprint: str | None, append_only: bool) -> bool:
    """The bytes an earlier build landed from the file are still its first bytes (same fingerprint) and end a line:
    what follows them was appended since."""
    if not landed_bytes or not landed_fingerprint or landed_bytes > path.stat().st_size:
        return False
    return fingerprint(path, landed_bytes, not append_only) == landed_fingerprint and _ends_a_line(path, landed_bytes)


def land_plan(
    path: str, tail_dir: str, landed_bytes: int | None, landed_fingerprint: str | None, append_only: bool = False
) -> str:
    """JSON {mode, bytes, fingerprint, tail, delimiter}: see the module docstring. `tail` is the file to read for
    `append`; `delimiter` (`,` or `;`, the more frequent in the header line) is passed to DuckDB in both modes, so the
    few rows of a tail are not sniffed differently from the whole file."""
    source = Path(path)
    size = source.stat().st_size
    header = header_line(source)
    delimiter = ";" if header.count(b";") > header.count(b",") else ","
    plan = {"mode": "full", "bytes": size, "fingerprint": fingerprint(source, size, not append_only), "tail": None,
            "delimiter": delimiter}
    if not still_landed(source, landed_bytes, landed_fingerprint, append_only):
        return json.dumps(plan)
    if landed_bytes == size:
        return json.dumps({**plan, "mode": "unchanged"})
    if len(header) >= landed_bytes:  # nothing but the header was landed: read the file
        return json.dumps(plan)
    folder = hashlib.sha1(str(source.resolve().parent).encode()).hexdigest()[:12]
    tail = Path(tail_dir).resolve() / f"{source.stem}.{folder}.tail.csv"
    tail.parent.mkdir(parents=True, exist_ok=True)
    partial = tail.with_suffix(".partial")
    with source.open("rb") as reader, partial.open("wb") as writer:
        writer.write(header)
        reader.seek(landed_bytes)
        while chunk := reader.read(CHUNK):
            writer.write(chunk)
    os.replace(partial, tail)
    return json.dumps({**plan, "mode": "append", "tail": str(tail)})


def discard_file(path: str) -> bool:
    """UDF `seg_discard_file`: delete a tail file once its rows are landed (it holds export rows, perhaps of people
    erased since: nothing of an export stays in the cache longer than the landing needs it)."""
    Path(path).unlink(missing_ok=True)
    return True
