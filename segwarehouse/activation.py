"""Segment files for campaign tools (models/exports): which files of an export folder a build must write.

The DuckDB post-hook of an export model (macro `export_segment_files`) works out a fingerprint of every file it
would write (the file's rows and how they are written), asks the UDF `seg_export_files_to_write(path, wanted)`
(registered by segwarehouse/dbt_plugin.py) which of them must be written, writes those with `COPY ... TO`, then
records them with `seg_record_export_files(path, wanted)`.

The folder keeps a manifest, `.segment_files.json`: per file, the fingerprint it was written with, its size and
its modification time. A file is written again when its fingerprint changed, when it is missing, or when its size
or modification time is no longer what the manifest says (edited or replaced by someone else); otherwise it is
left as it is, so a campaign tool that syncs the folder only sees the segments that changed. The manifest lives
with the files, not in the warehouse: a folder that another warehouse wrote into, or that was emptied, is
compared with what is really there. The segment files (`seg_*.csv`, `seg_*.parquet`) of segments no longer in
the project are removed; any other file is left alone.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

SEGMENT_FILE_PATTERNS = ("seg_*.csv", "seg_*.parquet")
MANIFEST = ".segment_files.json"


def _read_manifest(folder: Path) -> dict[str, dict]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _write_manifest(folder: Path, manifest: dict[str, dict]) -> None:
    temporary = folder / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def _is_current(folder: Path, name: str, fingerprint: str, entry: dict | None) -> bool:
    """The file is on disk as the manifest recorded it, written with this fingerprint."""
    if not entry or entry.get("fingerprint") != fingerprint:
        return False
    try:
        stat = (folder / name).stat()
    except FileNotFoundError:
        return False
    return stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns")


def export_files_to_write(path: str, wanted: str) -> str:
    """The files of `wanted` (JSON {file name: fingerprint}) that must be written into the folder `path`, as a JSON
    list in `wanted`'s order. Creates the folder; removes the files to write (and their manifest entries, so a build
    that fails before `record_export_files` leaves no entry claiming a file is current) and the segment files that
    are not wanted."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = json.loads(wanted)
    manifest = _read_manifest(folder)
    to_write = [name for name, fingerprint in files.items()
                if not _is_current(folder, name, fingerprint, manifest.get(name))]
    for pattern in SEGMENT_FILE_PATTERNS:
        for stale in folder.glob(pattern):
            if stale.is_file() and (stale.name not in files or stale.name in to_write):
                stale.unlink()
    _write_manifest(folder, {name: entry for name, entry in manifest.items()
                             if name in files and name not in to_write})
    return json.dumps(to_write)


def record_export_files(path: str, written: str) -> str:
    """Record in the folder's manifest each file of `written` (JSON {file name: fingerprint}) with its size and
    modification time as it is now on disk; return how many files were recorded."""
    folder = Path(path)
    files: dict[str, str] = json.loads(written)
    manifest = _read_manifest(folder)
    for name, fingerprint in files.items():
        stat = (folder / name).stat()
        manifest[name] = {"fingerprint": fingerprint, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _write_manifest(folder, manifest)
    return str(len(files))
