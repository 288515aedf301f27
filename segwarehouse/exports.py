"""Reading raw export files as the contract allows them: UTF-8 with or without BOM, or a Windows/Latin-1 export.

French Excel writes Windows-1252 ("ANSI"): Latin-1 plus `€`, `œ`, `’`... in bytes 0x80-0x9F, which DuckDB's own
Latin-1 reader rejects. A file that is not valid UTF-8 is therefore decoded as Windows-1252 (bytes it leaves
undefined fall back to Latin-1) and read from a UTF-8 copy. A file with NUL bytes is not a CSV export at all.
"""
from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from segwarehouse.landing import still_landed

CHUNK = 16 * 1024 * 1024
_UNDEFINED_CP1252 = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


class ExportFileError(ValueError):
    """The file cannot be read as the contract says."""


def _cp1252_or_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("cp1252_latin1", _cp1252_or_latin1)


def detect_encoding(path: Path, start: int = 0) -> str:
    """`utf-8` when the whole file is valid UTF-8 (a BOM is allowed), else `cp1252`. Raises on binary content.
    With `start` (the first byte of a line), only the bytes from there on are read: the ones before are known to be
    UTF-8 text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    offset = start
    with path.open("rb") as handle:
        handle.seek(start)
        while chunk := handle.read(CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise ExportFileError(
                    f"{path.name} is not a CSV text file: binary content (NUL byte at offset {offset + nul})"
                )
            if is_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            offset += len(chunk)
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    return "utf-8" if is_utf8 else "cp1252"


def text_encoding(path: Path) -> dict[str, str]:
    """`open()` arguments that read the export as text the way the landing hook does (BOM removed)."""
    if detect_encoding(path) == "utf-8":
        return {"encoding": "utf-8-sig"}
    return {"encoding": "cp1252", "errors": "cp1252_latin1"}


def readable_csv(
    path: str,
    cache_dir: str,
    landed_path: str | None = None,
    landed_bytes: int | None = None,
    landed_fingerprint: str | None = None,
    append_only: bool = False,
) -> str:
    """The absolute path DuckDB should read: the file itself when it is UTF-8, else a UTF-8 copy in `cache_dir`
    (reused while the original is unchanged). Absolute, so the `raw` views work from any working directory. The
    copies of earlier versions of the same file are deleted: they would keep rows the export no longer has (people
    deleted from the CRM, or erased: docs/DESIGN.md, "GDPR erasure").

    The landing hook passes what the previous build landed (`raw.landed_exports`: the path it read, its bytes and
    fingerprint). When that build read this very file, so found it UTF-8, and those bytes are still the file's first
    ones (`landing.still_landed`, as `land_plan` checks), only the bytes appended since are checked: a daily run
    does not decode the whole export again (7 s a build for the 3 GB of the bench tier)."""
    source = Path(path).resolve()
    if not source.is_file():
        raise ExportFileError(f"{path} does not exist or is not a file")
    checked = 0
    if landed_path == str(source) and still_landed(source, landed_bytes, landed_fingerprint, append_only):
        checked = landed_bytes
    if detect_encoding(source, checked) == "utf-8":
        return str(source)
    stat = source.stat()
    folder = hashlib.sha1(str(source.parent).encode()).hexdigest()[:12]
    digest = hashlib.sha1(f"{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    target = Path(cache_dir).resolve() / f"{source.stem}.{folder}.{digest}.utf8.csv"
    for stale in target.parent.glob(f"{source.stem}.{folder}.*.utf8.csv"):
        if stale != target:
            stale.unlink(missing_ok=True)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        with source.open("r", encoding="cp1252", errors="cp1252_latin1", newline="") as reader, partial.open(
            "w", encoding="utf-8", newline=""
        ) as writer:
            while text := reader.read(CHUNK):
                writer.write(text)
        partial.replace(target)
    return str(target)
