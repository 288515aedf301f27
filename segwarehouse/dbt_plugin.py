"""dbt-duckdb plugin (declared in profiles/profiles.yml): registers the UDFs the landing hook calls.

`seg_readable_csv(path, cache_dir, landed_path, landed_bytes, landed_fingerprint, append_only)` returns the path
DuckDB should read for an export (a UTF-8 copy of a Windows-1252/Latin-1 file) and fails with a message naming the
file when it is not a CSV text file; a file the previous build landed as UTF-8 is checked from its appended bytes.
`seg_land_plan(path, tail_dir, landed_bytes, landed_fingerprint, append_only)` tells whether the file must be landed again in
full, only its appended bytes, or not at all (segwarehouse/landing.py).
`seg_discard_file(path)` deletes a tail file once landed.
`seg_erasure_requests(path)` returns the subjects of a GDPR erasure requests file as JSON, hashed (segwarehouse/erasure.py).
`seg_export_files_to_write(path, wanted)` tells which segment files of an export folder must be written (their
rows changed, or the file is missing or not as written) and `seg_record_export_files(path, written)` records them
in the folder's manifest (segwarehouse/activation.py).
"""
from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from segwarehouse.activation import export_files_to_write, record_export_files
from segwarehouse.erasure import requests_json
from segwarehouse.exports import readable_csv
from segwarehouse.landing import discard_file, land_plan


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.create_function(
            "seg_readable_csv",
            readable_csv,
            ["VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "VARCHAR", "BOOLEAN"],
            "VARCHAR",
            null_handling="special",
            side_effects=True,
        )
        conn.create_function(
            "seg_land_plan",
            land_plan,
            ["VARCHAR", "VARCHAR", "BIGINT", "VARCHAR", "BOOLEAN"],
            "VARCHAR",
            null_handling="special",
            side_effects=True,
        )
        conn.create_function(
            "seg_discard_file", discard_file, ["VARCHAR"], "BOOLEAN", side_effects=True
        )
        conn.create_function(
            "seg_erasure_requests", requests_json, ["VARCHAR"], "VARCHAR", side_effects=True
        )
        conn.create_function(
            "seg_export_files_to_write", export_files_to_write, ["VARCHAR", "VARCHAR"], "VARCHAR", side_effects=True
        )
        conn.create_function(
            "seg_record_export_files", record_export_files, ["VARCHAR", "VARCHAR"], "VARCHAR", side_effects=True
        )
