"""GDPR erasure: a person listed in `erasure_requests.csv` is gone from the whole warehouse at the next build.

Two people with rich histories are picked in the demo warehouse (built once per session): a consumer with a merged
duplicate record, orders and their lines, email events (some carrying only the address), a ticket, store visits and
an NPS answer, asked for by email (written with capitals and spaces); a B2B contact with the account's orders and
tickets, asked for by contact id. The demo exports are copied, the requests file added, and a copy of the demo
warehouse is built again, incrementally. Then:
- none of their emails, contact ids, phone numbers, unique last names and streets, nor the ids of their erased
  orders, is in any column of any table or view, nor in the files the build wrote (segment exports, Data Docs);
- the register holds only the SHA-256 of what the test expects; the audit counts are the rows the test finds by
  reading the CSV files itself; rows read = staged + quarantined + erased for every file;
- everybody else is unchanged: every relation after staging (build histories aside) and every segment file equals a
  fresh build of the exports with those rows removed by hand (the account's orders and tickets kept with their
  contact_id emptied);
- the register outlives the requests file: rows of theirs appended later, and a `--full-refresh`, are erased too.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from conftest import DEMO_DIR, RUN_STAMP_COLUMNS, Warehouse, dbt_vars, run_dbt, warehouse_path
from segwarehouse.activation import MANIFEST
from segwarehouse.erasure import ErasureRequestError, normalize, read_requests, subject_sha256
from segwarehouse.load import normalize_header, sniff_delimiter

# files whose rows the erasure reaches, and the identifier column(s) each is matched on
PERSON_FILES = {"contacts.csv": ("contact_id", "email"), "email_events.csv": ("contact_id", "email"),
                "orders.csv": ("contact_id",), "support_tickets.csv": ("contact_id",),
                "store_visits.csv": ("contact_id",), "nps_responses.csv": ("contact_id",)}
KEPT_FOR_ACCOUNT = {"orders.csv", "support_tickets.csv"}  # a row with a company_id is the account's
COMPARED_SCHEMAS = ("intermediate", "marts", "predictions", "segments", "exports")
# histories of builds: the erased warehouse has two builds in them, the one built by hand one
HISTORIES = {("segments", "segment_membership_history"), ("segments", "segment_size_history")}


# -- reading and writing the exports as they are (delimiter, BOM, encoding) --------------------------------------
@dataclass
class Export:
    path: Path
    header: list[str]  # as written
    rows: list[list[str]]
    delimiter: str
    encoding: str

    @property
    def names(self) -> list[str]:
        return normalize_header(self.header)

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.names, row)) for row in self.rows]

    def write(self, path: Path, rows: list[list[str]]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator="\n").writerows([self.header, *rows])
        path.write_bytes(buffer.getvalue().encode(self.encoding))


def read_export(path: Path) -> Export:
    head = path.read_bytes()[:3]
    try:
        path.read_bytes().decode("utf-8")
        encoding = "utf-8-sig" if head == b"\xef\xbb\xbf" else "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    with path.open(encoding=encoding, newline="") as handle:
        delimiter = sniff_delimiter(handle.readline())
        handle.seek(0)
        rows = list(csv.reader(handle, delimiter=delimiter))
    return Export(path, rows[0], rows[1:], delimiter, encoding)


# -- what the test expects, computed from the CSV files alone -----------------------------------------------------
@dataclass
class Expected:
    contact_ids: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    erased_order_ids: set[str] = field(default_factory=set)
    erased: dict[str, set[int]] = field(default_factory=dict)  # file -> data row numbers erased (1-based)
    anonymised: dict[str, set[int]] = field(default_factory=dict)  # file -> rows kept with contact_id emptied
    needles: set[str] = field(default_factory=set)  # substrings that must appear nowhere (lower case)
    names: set[tuple[str, str]] = field(default_factory=set)  # (first, last) names nobody else has, lower case


def expected_erasure(raw: Path, email: str, contact_id: str) -> Expected:
    """The rows of the two people, found by reading the exports: every contact record sharing an id or an address
    with them (closure), their rows in every file, their consumer orders' lines."""
    expected = Expected(contact_ids={contact_id}, emails={normalize("email", email)})
    contacts = read_export(raw / "contacts.csv").records()
    while True:
        ids, emails = set(expected.contact_ids), set(expected.emails)
        for record in contacts:
            record_id, record_email = normalize("contact_id", record["contact_id"]), normalize("email", record["email"])
            if record_id in ids or (record_email and record_email in emails):
                ids.add(record_id)
                if record_email:
                    emails.add(record_email)
        if (ids, emails) == (expected.contact_ids, expected.emails):
            break
        expected.contact_ids, expected.emails = ids, emails
    for file, columns in PERSON_FILES.items():
        erased, anonymised = set(), set()
        for number, record in enumerate(read_export(raw / file).records(), start=1):
            hit = (normalize("contact_id", record.get("contact_id")) in expected.contact_ids
                   or ("email" in columns and normalize("email", record.get("email")) in expected.emails))
            if not hit:
                continue
            if file in KEPT_FOR_ACCOUNT and (record.get("company_id") or "").strip():
                anonymised.add(number)
            else:
                erased.add(number)
                if file == "orders.csv":
                    expected.erased_order_ids.add(record["order_id"].strip())
        expected.erased[file], expected.anonymised[file] = erased, anonymised
    expected.erased["order_lines.csv"] = {
        number for number, record in enumerate(read_export(raw / "order_lines.csv").records(), start=1)
        if record["order_id"].strip() in expected.erased_order_ids}
    expected.anonymised["order_lines.csv"] = set()

    theirs = [contacts[number - 1] for number in expected.erased["contacts.csv"]]
    expected.needles = {*expected.contact_ids, *expected.emails, *expected.erased_order_ids}
    for record in theirs:
        phone = (record["phone"] or "").strip()
        if phone:  # as written, and its national and international digits
            digits = re.sub(r"\D", "", phone)
            national = "0" + digits[2:] if digits.startswith("33") else digits
            expected.needles |= {phone, national, "+33" + national[1:]}

    def full_name(record: dict[str, str]) -> tuple[str, str]:
        return (record["first_name"] or "").strip().lower(), (record["last_name"] or "").strip().lower()

    everybody, them = Counter(map(full_name, contacts)), Counter(map(full_name, theirs))
    expected.names = {name for name, count in them.items() if all(name) and everybody[name] == count}
    expected.needles = {needle.lower() for needle in expected.needles}
    return expected


def remove_by_hand(raw: Path, manual: Path, expected: Expected) -> None:
    """The exports with the people's rows removed and the account's rows kept with contact_id emptied."""
    shutil.copytree(raw, manual)
    (manual / "erasure_requests.csv").unlink()
    for file in expected.erased:
        export = read_export(raw / file)
        index = export.names.index("contact_id") if "contact_id" in export.names else None
        rows = []
        for number, row in enumerate(export.rows, start=1):
            if number in expected.erased[file]:
                continue
            if number in expected.anonymised[file]:
                row = list(row)
                row[index] = ""
            rows.append(row)
        export.write(manual / file, rows)


# -- finding a value anywhere ---------------------------------------------------------------------------------------
def traces_in_warehouse(path: Path, expected: Expected) -> list[tuple[str, str, int]]:
    """(schema, relation, rows) of every table or view holding a needle in any column (cast to text), or one of
    the people's full names in its first_name and last_name columns."""
    pattern = "|".join(re.escape(needle) for needle in sorted(expected.needles))
    names = [list(name) for name in sorted(expected.names)]
    hits = []
    with duckdb.connect(str(path), read_only=True) as connection:
        relations: dict[tuple[str, str], list[str]] = {}
        for schema, name, column in connection.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where table_catalog = current_database() order by table_schema, table_name, ordinal_position"
        ).fetchall():
            relations.setdefault((schema, name), []).append(column)
        for (schema, name), columns in relations.items():
            conditions = [f"regexp_matches(lower(cast(\"{column}\" as varchar)), $pattern)" for column in columns]
            parameters: dict = {"pattern": pattern}
            if names and {"first_name", "last_name"} <= set(columns):
                conditions.append("[lower(trim(first_name)), lower(trim(last_name))] in (select unnest($names))")
                parameters["names"] = names
            [(count,)] = connection.execute(
                f'select count(*) from "{schema}"."{name}" where {" or ".join(conditions)}', parameters).fetchall()
            if count:
                hits.append((schema, name, count))
    return hits


def traces_in_files(folder: Path, expected: Expected) -> list[str]:
    """Files under `folder` holding a needle (Parquet files read by DuckDB, any other file as text)."""
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            with duckdb.connect() as connection:
                text = " ".join(str(row) for row in connection.execute(
                    f"select * from read_parquet('{path}')").fetchall()).lower()
        else:
            text = path.read_bytes().decode("utf-8", errors="replace").lower()
        if any(needle in text for needle in expected.needles):
            hits.append(str(path.relative_to(folder)))
    return hits


# -- the builds ---------------------------------------------------------------------------------------------------
def pick_people(warehouse: Warehouse) -> tuple[str, str]:
    """A consumer with a merged duplicate and some of everything, and a B2B contact with the account's orders and
    tickets, email events and an NPS answer."""
    [(email,)] = warehouse.query("""
        with people as (
            select email, contact_id from marts.contact_identity_map
            where company_id is null and duplicate_group_size > 1
        ),
        activity as (
            select
                people.email,
                (select count(*) from staging.stg_crm__orders as o
                    where o.contact_id in (select contact_id from people as p where p.email = people.email)) as orders,
                (select count(*) from staging.stg_crm__email_events as e
                    where e.contact_id is null and e.email = people.email) as events_by_address,
                (select count(*) from staging.stg_crm__support_tickets as t
                    where t.contact_id in (select contact_id from people as p where p.email = people.email)) as tickets,
                (select count(*) from staging.stg_crm__store_visits as v
                    where v.contact_id in (select contact_id from people as p where p.email = people.email)) as visits,
                (select count(*) from staging.stg_crm__nps_responses as n
                    where n.contact_id in (select contact_id from people as p where p.email = people.email)) as answers
            from (select distinct email from people) as people
        )
        select email from activity
        where orders > 0 and events_by_address > 0 and tickets > 0 and visits > 0 and answers > 0
        order by events_by_address desc, visits desc, email
        limit 1
    """)
    [(contact_id,)] = warehouse.query("""
        select contacts.contact_id
        from staging.stg_crm__contacts as contacts
        where contacts.company_id is not null
            and exists (select 1 from staging.stg_crm__email_events as e where e.contact_id = contacts.contact_id)
            and exists (select 1 from staging.stg_crm__nps_responses as n where n.contact_id = contacts.contact_id)
            and exists (select 1 from staging.stg_crm__support_tickets as t
                where t.contact_id = contacts.contact_id and t.company_id is not null)
        order by (select count(*) from staging.stg_crm__orders as o
            where o.contact_id = contacts.contact_id and o.company_id is not null) desc, contacts.contact_id
        limit 1
    """)
    return email, contact_id


@pytest.fixture(scope="module")
def erasure(demo_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("erasure")
    raw = root / "raw"
    shutil.copytree(DEMO_DIR, raw)
    email, contact_id = pick_people(demo_warehouse)
    expected = expected_erasure(raw, email, contact_id)
    written_email = "  " + email.upper() + " "
    (raw / "erasure_requests.csv").write_bytes(
        ("\ufeffEmail ; Contact_ID ; Requested_At\r\n"
         f"{written_email};;15/10/2026\r\n"
         f";{contact_id};2026-10-16 09:30\r\n").encode("utf-8"))
    remove_by_hand(raw, root / "manual", expected)

    paths = {"erased": warehouse_path(root / "erased"), "manual": warehouse_path(root / "manual")}
    shutil.copyfile(demo_warehouse.path, paths["erased"])
    extra = {"exports_dir": root / "exports", "gx_data_docs_dir": root / "gx_docs",
             "landing_cache_dir": root / "landed"}
    build = run_dbt(["build", "--exclude-resource-type", "unit_test", "--vars", dbt_vars(raw, **extra),
                     "--target-path", str(root / "target_erased")], env={"SEGMENTS_DUCKDB_PATH": str(paths["erased"])})
    run_dbt(["build", "--exclude-resource-type", "test", "unit_test",
             "--vars", dbt_vars(root / "manual", landing_cache_dir=root / "landed_manual",
                                gx_data_docs_dir=root / "gx_docs_manual", exports_dir=root / "exports_manual"),
             "--target-path", str(root / "target_manual")], env={"SEGMENTS_DUCKDB_PATH": str(paths["manual"])})
    return {"root": root, "raw": raw, "paths": paths, "expected": expected, "email": email,
            "contact_id": contact_id, "build": build, "extra": extra, "original": demo_warehouse.path}


def test_the_people_picked_have_rich_histories(erasure: dict) -> None:
    """The test is not vacuous: a merged duplicate, every kind of row, rows kept for the account, events that carry
    only the address."""
    expected: Expected = erasure["expected"]
    assert len(expected.erased["contacts.csv"]) >= 3  # the consumer's two records and the B2B contact
    for file in ("orders.csv", "order_lines.csv", "email_events.csv", "support_tickets.csv", "store_visits.csv",
                 "nps_responses.csv"):
        assert expected.erased[file], file
    assert expected.anonymised["orders.csv"] and expected.anonymised["support_tickets.csv"]
    events = read_export(erasure["raw"] / "email_events.csv").records()
    assert any(not events[number - 1]["contact_id"].strip() for number in expected.erased["email_events.csv"])
    assert expected.names, "a full name nobody else has, to look for"


def test_nothing_of_them_remains_in_the_warehouse(erasure: dict) -> None:
    expected: Expected = erasure["expected"]
    assert traces_in_warehouse(erasure["original"], expected), "the needles are found before the erasure"
    assert traces_in_warehouse(erasure["paths"]["erased"], expected) == []


def test_nothing_of_them_remains_in_the_files_the_build_wrote(erasure: dict) -> None:
    expected: Expected = erasure["expected"]
    docs = erasure["extra"]["gx_data_docs_dir"]
    assert (docs / "index.html").exists()
    for folder in (erasure["extra"]["exports_dir"], docs, erasure["extra"]["landing_cache_dir"]):
        if folder.exists():
            assert traces_in_files(folder, expected) == [], folder


def test_the_register_holds_only_their_hashes(erasure: dict) -> None:
    expected: Expected = erasure["expected"]
    with duckdb.connect(str(erasure["paths"]["erased"]), read_only=True) as connection:
        rows = connection.execute("select subject_kind, subject_sha256, origin, requested_at, first_applied_at "
                                  "from raw.erasure_register").fetchall()
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for _, digest, *_ in rows)
    assert all(applied is not None for *_, applied in rows)
    by_kind: dict[str, set[str]] = {}
    for kind, digest, *_ in rows:
        by_kind.setdefault(kind, set()).add(digest)
    assert by_kind == {
        "contact_id": {subject_sha256("contact_id", value) for value in expected.contact_ids},
        "email": {subject_sha256("email", value) for value in expected.emails},
        "order_id": {subject_sha256("order_id", value) for value in expected.erased_order_ids},
    }
    requests = {(kind, digest): (origin, str(requested_at)) for kind, digest, origin, requested_at, _ in rows
                if origin == "request"}
    assert requests == {
        ("email", subject_sha256("email", erasure["email"])): ("request", "2026-10-15 00:00:00"),
        ("contact_id", subject_sha256("contact_id", erasure["contact_id"])): ("request", "2026-10-16 09:30:00"),
    }


def test_audit_counts_are_the_rows_read_from_the_csv_files(erasure: dict) -> None:
    expected: Expected = erasure["expected"]
    with duckdb.connect(str(erasure["paths"]["erased"]), read_only=True) as connection:
        log = {file: (erased, anonymised) for file, erased, anonymised in connection.execute(
            "select file_name, sum(rows_erased), sum(rows_anonymised) from raw.erasure_log group by 1").fetchall()}
        landed = dict(connection.execute("select file_name, erased_rows from raw.landed_exports").fetchall())
        blanked = {}
        for file in expected.erased:
            table = file.removesuffix(".csv")
            blanked[file] = {number for (number,) in connection.execute(
                f"select rowid + 1 from raw.{table}__landed where _erased").fetchall()}
    assert log == {file: (len(expected.erased[file]), len(expected.anonymised[file])) for file in expected.erased}
    assert {file: count for file, count in landed.items() if count} == {
        file: len(rows) for file, rows in expected.erased.items()}
    assert blanked == expected.erased  # the very rows, by their row number in the file


def test_rows_read_equal_staged_plus_quarantined_plus_erased(erasure: dict) -> None:
    raw = erasure["raw"]
    with duckdb.connect(str(erasure["paths"]["erased"]), read_only=True) as connection:
        for file, landed_rows, erased_rows in connection.execute(
                "select file_name, landed_rows, erased_rows from raw.landed_exports").fetchall():
            table = file.removesuffix(".csv")
            staged = connection.execute(f"select count(*) from staging.stg_crm__{table}").fetchall()[0][0]
            quarantined = connection.execute(
                "select count(*) from guard.quarantine where source_file = ?", [file]).fetchall()[0][0]
            assert landed_rows == len(read_export(raw / file).rows), file
            assert landed_rows == staged + quarantined + erased_rows, file
    assert "rows_reconcile" in erasure["build"].output


def test_everybody_else_is_unchanged(erasure: dict) -> None:
    """Every relation after staging (and every staging view) equals the build of the exports edited by hand."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{erasure['paths']['erased']}' as erased (read_only)")
        connection.execute(f"attach '{erasure['paths']['manual']}' as manual (read_only)")
        relations = connection.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = 'manual' and "
            f"(table_schema in {COMPARED_SCHEMAS} or table_name like 'stg\\_%' escape '\\') order by 1, 2"
        ).fetchall()
        assert ("marts", "dim_contacts") in relations and ("staging", "stg_crm__orders") in relations
        for schema, name in relations:
            if (schema, name) in HISTORIES:
                continue
            columns = [column for (column,) in connection.execute(
                "select column_name from information_schema.columns where table_catalog = 'manual' "
                "and table_schema = ? and table_name = ? order by ordinal_position", [schema, name]).fetchall()
                if column not in RUN_STAMP_COLUMNS]  # when the run happened, not data
            select = ", ".join(f'"{column}"' for column in columns)
            for left, right in (("erased", "manual"), ("manual", "erased")):
                [(extra,)] = connection.execute(
                    f'select count(*) from (select {select} from {left}."{schema}"."{name}" '
                    f'except all select {select} from {right}."{schema}"."{name}")').fetchall()
                assert extra == 0, f"{schema}.{name}: {extra} rows in {left} and not in {right}"


def test_everybody_else_is_unchanged_in_the_export_files(erasure: dict) -> None:
    """The segment files the build writes (when the project has export models) are those of the exports edited by
    hand, byte for byte. The folders' manifests (segwarehouse.activation) differ by the files' modification times."""
    erased, manual = erasure["extra"]["exports_dir"], erasure["root"] / "exports_manual"
    if not erased.exists():
        pytest.skip("the project writes no export files")

    def segment_files(folder: Path) -> list[Path]:
        return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file() and path.name != MANIFEST)

    files = segment_files(erased)
    assert files and files == segment_files(manual)
    assert [file for file in files if (erased / file).read_bytes() != (manual / file).read_bytes()] == []


def _append_line(path: Path, values: dict[str, str]) -> None:
    export = read_export(path)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=export.delimiter, lineterminator="\n").writerow(
        [values.get(name, "") for name in export.names])
    with path.open("ab") as handle:
        handle.write(buffer.getvalue().encode("utf-8"))


def test_the_register_outlives_the_requests_file(erasure: dict) -> None:
    """The requests file is removed; then a new record with the consumer's address (a new duplicate) and two new
    events of theirs are appended. The next incremental run lands the new bytes only and erases those rows without
    parsing the files again; a `--full-refresh` lands everything again and still finds nothing of them."""
    root, raw, expected = erasure["root"], erasure["raw"], erasure["expected"]
    (raw / "erasure_requests.csv").unlink()
    email = sorted(expected.emails)[0]
    _append_line(raw / "contacts.csv", {"contact_id": "CTNEW0001", "email": email.upper(), "first_name": "Nouveau",
                                        "created_at": "30/10/2026 10:00"})
    _append_line(raw / "email_events.csv", {"event_id": "EVNEW0001", "email": f" {email} ", "campaign_id": "X",
                                            "event_type": "open", "occurred_at": "2026-10-30 10:00:00"})
    _append_line(raw / "email_events.csv", {"event_id": "EVNEW0002", "contact_id": erasure["contact_id"],
                                            "campaign_id": "X", "event_type": "click",
                                            "occurred_at": "2026-10-30 10:05:00"})
    path = warehouse_path(root / "later")
    shutil.copyfile(erasure["paths"]["erased"], path)
    models = ["--select", "base_crm__contacts", "base_crm__email_events"]
    extra = {**erasure["extra"], "exports_dir": root / "exports_later"}

    def epochs() -> dict[str, tuple[str, str]]:
        with duckdb.connect(str(path), read_only=True) as connection:
            return {file: (landed, based) for file, landed, based in connection.execute(
                "select landed.file_name, landed.epoch, based.epoch from raw.landed_exports as landed "
                "join raw.based_exports as based using (file_name)").fetchall()}

    before = epochs()
    run = run_dbt(["run", *models, "--vars", dbt_vars(raw, **extra), "--target-path", str(root / "target_later")],
                  env={"SEGMENTS_DUCKDB_PATH": str(path)})
    expected.needles.add("ctnew0001")
    with duckdb.connect(str(path), read_only=True) as connection:
        modes = dict(connection.execute("select file_name, last_mode from raw.landed_exports").fetchall())
        log = connection.execute("select file_name, rows_erased, rows_anonymised from raw.erasure_log "
                                 "where applied_at = (select max(applied_at) from raw.erasure_log)").fetchall()
        [(new_ids,)] = connection.execute("select count(*) from raw.erasure_register where subject_kind = "
                                          f"'contact_id' and subject_sha256 = '{subject_sha256('contact_id', 'CTNEW0001')}'"
                                          ).fetchall()
    assert modes["contacts.csv"] == "append" and modes["email_events.csv"] == "append"
    assert sorted(log) == [("contacts.csv", 1, 0), ("email_events.csv", 2, 0)]
    assert new_ids == 1  # the new duplicate's id joined the register: its rows elsewhere will go too
    assert epochs() == before  # only appended rows were erased: nothing parsed again
    assert "GDPR erasure" in run.output
    assert list((extra["landing_cache_dir"]).glob("*.tail.csv")) == []  # tails are deleted once landed
    assert traces_in_warehouse(path, expected) == []

    run_dbt(["run", "--full-refresh", *models, "--vars", dbt_vars(raw, **extra),
             "--target-path", str(root / "target_later")], env={"SEGMENTS_DUCKDB_PATH": str(path)})
    with duckdb.connect(str(path), read_only=True) as connection:
        assert set(connection.execute("select last_mode from raw.landed_exports").fetchall()) == {("full",)}
        assert connection.execute("select count(*) from raw.erasure_register where origin = 'request'"
                                  ).fetchall() == [(2,)]
    assert traces_in_warehouse(path, expected) == []


# -- the requests file --------------------------------------------------------------------------------------------
def test_requests_file_is_read_like_an_export(tmp_path: Path) -> None:
    path = tmp_path / "erasure_requests.csv"
    path.write_bytes("\ufeff EMAIL ;contact_id;Requested_At\r\n Jean.Dupont@Exemple.FR ;;31/10/2026\r\n"
                     ";CT1 ;2026-10-30T08:00:00\r\njean.dupont@exemple.fr;CT2;\r\n;;\r\n".encode("utf-8"))
    subjects = {(subject.kind, subject.sha256): subject.requested_at for subject in read_requests(path)}
    assert set(subjects) == {("email", subject_sha256("email", "jean.dupont@exemple.fr")),
                             ("contact_id", subject_sha256("contact_id", "CT1")),
                             ("contact_id", subject_sha256("contact_id", "CT2"))}
    assert str(subjects["email", subject_sha256("email", "jean.dupont@exemple.fr")]) == "2026-10-31 00:00:00"
    # the plain values are nowhere in what the warehouse receives
    assert subject_sha256("email", " A@B.fr") == subject_sha256("email", "a@b.fr") != "a@b.fr"


@pytest.mark.parametrize("content, message", [
    ("name,phone\nJean,0600000000\n", "no `email` or `contact_id` column"),
    ("email,contact_id,requested_at\n,,2026-10-01\n", "line 2 has neither an email nor a contact_id"),
    ("email,requested_at\na@b.fr,hier\n", "requested_at 'hier' is not a date"),
])
def test_a_requests_file_that_cannot_be_applied_stops_the_build(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "erasure_requests.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ErasureRequestError, match=re.escape(message)):
        read_requests(path)


def test_a_copy_of_the_warehouse_holds_none_of_their_bytes(erasure: dict) -> None:
    """Blanked values may stay in the free blocks of the DuckDB file until reused; the purge docs/DESIGN.md gives
    (copying the database into a new file) leaves none of their identifiers in the file's bytes."""
    expected: Expected = erasure["expected"]
    copy = erasure["root"] / "compacted.duckdb"
    with duckdb.connect() as connection:
        connection.execute(f"attach '{erasure['paths']['erased']}' as warehouse (read_only)")
        connection.execute(f"attach '{copy}' as compacted")
        connection.execute("copy from database warehouse to compacted")
    identifiers = [needle.lower().encode() for needle in expected.contact_ids | expected.emails]
    assert any(needle in erasure["original"].read_bytes().lower() for needle in identifiers)
    content = copy.read_bytes().lower()
    assert [needle for needle in identifiers if needle in content] == []
