"""Segment files for campaign tools (models/exports): the folder each export model writes into.

The DuckDB post-hook of an export model (macro `export_segment_files`) first calls the UDF
`seg_prepare_export_dir(path)` (registered by segwarehouse/dbt_plugin.py), then writes one file per segment with
`COPY ... TO`, which does not create folders. The folder belongs to the build: the segment files of the previous
build (`seg_*.csv`, `seg_*.parquet`) are removed first, so a segment dropped from the project leaves no stale file
behind; any other file is left alone.
"""
from __future__ import annotations

from pathlib import Path

SEGMENT_FILE_PATTERNS = ("seg_*.csv", "seg_*.parquet")


def prepare_export_dir(path: str) -> str:
    """Create `path` (and its parents) and remove the segment files a previous build wrote there; return `path`."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for pattern in SEGMENT_FILE_PATTERNS:
        for stale in folder.glob(pattern):
            if stale.is_file():
                stale.unlink()
    return path
