"""`python -m segwarehouse.generate append`: one more day of valid activity appended in place, in each file's own
format, referencing only valid ids (checked against the generator's truth, not against the appender's own rules)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from segwarehouse.append_day import append_day
from segwarehouse.exports import detect_encoding, text_encoding
from segwarehouse.generate import generate, main

SIZES = dict(seed=11, reference_date="2026-10-31", accounts=400, contacts=1500, consumers=600, orders=3000,
             email_events=8000)
DAY = dt.date(2026, 11, 1)
ACTIVITY = {"orders.csv": "order_id", "email_events.csv": "event_id", "store_visits.csv": "visit_id",
            "support_tickets.csv": "ticket_id", "nps_responses.csv": "response_id"}
UNTOUCHED = ["companies.csv", "contacts.csv", "products.csv", "equipment.csv"]
EVENT_TYPES = {"sent", "delivered", "open", "click", "soft_bounce", "hard_bounce", "unsubscribe", "complaint"}
TIME_COLUMNS = {"orders.csv": "ordered_at", "email_events.csv": "occurred_at", "store_visits.csv": "visited_at",
                "support_tickets.csv": "opened_at", "nps_responses.csv": "responded_at"}


def read(path: Path) -> tuple[list[str], list[dict[str, str]], str]:
    """Header, rows (by lower-cased stripped name) and delimiter of an export, decoded as the landing does."""
    with path.open(**text_encoding(path), newline="") as handle:
        text = handle.read()
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = records[0]
    names = [h.strip().lower() for h in header]
    assert all(len(r) == len(header) for r in records[1:]), path.name
    return header, [dict(zip(names, r)) for r in records[1:]], delimiter


def parse_ts(text: str) -> dt.datetime:
    text = re.sub(r"^(\d{2})/(\d{2})/(\d{4})", r"\3-\2-\1", text.strip()).replace("T", " ")
    return dt.datetime.fromisoformat(re.sub(r"[+-]\d{2}:\d{2}$", "", text))


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out, truth = tmp_path_factory.mktemp("append-src"), tmp_path_factory.mktemp("append-truth")
    generate(out, truth, **SIZES)
    return out, truth


@pytest.fixture(scope="module")
def appended(exports: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    source, _ = exports
    folder = tmp_path_factory.mktemp("append") / "raw"
    shutil.copytree(source, folder)
    counts = append_day(folder, DAY, seed=5)
    return source, folder, counts


@pytest.fixture(scope="module")
def valid_ids(exports: tuple[Path, Path]) -> dict[str, set[str]]:
    """Valid contact, company and product ids, from the generator's truth (independent of the appender)."""
    source, truth = exports
    with (truth / "contacts_truth.csv").open(encoding="utf-8", newline="") as handle:
        contacts = {r["contact_id"] for r in csv.DictReader(handle)}
    with (truth / "companies_truth.csv").open(encoding="utf-8", newline="") as handle:
        companies = {r["company_id"] for r in csv.DictReader(handle)}
    with (truth / "expected_quarantine.csv").open(encoding="utf-8", newline="") as handle:
        broken = {int(r["row_number"]) for r in csv.DictReader(handle) if r["source_file"] == "products.csv"}
    _, products, _ = read(source / "products.csv")
    product_ids = {p["product_id"] for n, p in enumerate(products, 1) if n not in broken}
    return {"contacts": contacts, "companies": companies, "products": product_ids}


def test_files_grow_by_one_day_and_keep_their_bytes(appended: tuple[Path, Path, dict]) -> None:
    source, folder, counts = appended
    for name in UNTOUCHED:
        assert (folder / name).read_bytes() == (source / name).read_bytes(), name
    for name in [*ACTIVITY, "order_lines.csv"]:
        before, after = (source / name).read_bytes(), (folder / name).read_bytes()
        assert after.startswith(before), name  # append-only: header and every existing byte unchanged
        assert detect_encoding(folder / name) == detect_encoding(source / name)
        old_header, old_rows, old_delim = read(source / name)
        header, rows, delim = read(folder / name)
        assert (header, delim) == (old_header, old_delim)
        assert len(rows) == len(old_rows) + counts[name], name
        if name != "order_lines.csv":
            assert counts[name] == max(5, round(len(old_rows) / 365)), name
        newline = b"\r\n" if before.split(b"\n", 1)[0].endswith(b"\r") else b"\n"
        assert after[len(before):].count(newline) == counts[name]
    _, lines, _ = read(source / "order_lines.csv")
    assert counts["order_lines.csv"] == round(len(lines) / 365)


def test_new_ids_are_unique_and_new(appended: tuple[Path, Path, dict]) -> None:
    source, folder, counts = appended
    for name, key in ACTIVITY.items():
        _, old_rows, _ = read(source / name)
        _, rows, _ = read(folder / name)
        new = [r[key] for r in rows[len(old_rows):]]
        assert len(set(new)) == len(new) == counts[name]
        assert not set(new) & {r[key].strip() for r in old_rows}, name
        prefix = re.match(r"\D*", old_rows[0][key]).group(0)
        assert all(re.fullmatch(re.escape(prefix) + r"\d{%d}" % (len(old_rows[0][key]) - len(prefix)), i) for i in new)


def test_new_rows_reference_valid_ids_and_are_valid(appended: tuple[Path, Path, dict],
                                                    valid_ids: dict[str, set[str]]) -> None:
    source, folder, counts = appended
    new = {}
    for name in [*ACTIVITY, "order_lines.csv"]:
        _, old_rows, _ = read(source / name)
        _, rows, _ = read(folder / name)
        new[name] = rows[len(old_rows):]
    _, contacts, _ = read(source / "contacts.csv")
    email_of = {c["contact_id"]: c["email"].strip() for c in contacts}
    company_of = {c["contact_id"]: c["company_id"].strip() for c in contacts}
    for name, rows in new.items():
        for row in rows:
            if row.get("contact_id"):
                assert row["contact_id"] in valid_ids["contacts"], (name, row)
            if row.get("company_id"):
                assert row["company_id"] in valid_ids["companies"], (name, row)
                if row.get("contact_id"):
                    assert company_of[row["contact_id"]] == row["company_id"]
    orders = {o["order_id"]: o for o in new["orders.csv"]}
    for order in orders.values():
        assert order["contact_id"] or order["company_id"]
        assert order["channel"] in {"store", "web", "phone", "sales_rep"}
        assert order["status"] in {"completed", "cancelled", "refunded"}
        assert bool(order["store_id"]) == (order["channel"] == "store")
    _, old_orders, _ = read(source / "orders.csv")
    assert {o["store_id"] for o in orders.values() if o["store_id"]} <= {o["store_id"] for o in old_orders}
    totals = Counter()
    for line in new["order_lines.csv"]:
        assert line["order_id"] in orders and line["product_id"] in valid_ids["products"]
        assert int(line["quantity"]) > 0 and float(line["unit_price"]) >= 0 and float(line["discount_amount"]) >= 0
        totals[line["order_id"]] += round(int(line["quantity"]) * float(line["unit_price"]) * 100) \
            - round(float(line["discount_amount"]) * 100)
    assert set(totals) == set(orders)
    assert all(totals[o] == round(float(orders[o]["total_amount"]) * 100) for o in orders)
    keys = [(line["order_id"], line["line_number"]) for line in new["order_lines.csv"]]
    assert len(set(keys)) == len(keys)
    for event in new["email_events.csv"]:
        assert event["event_type"] in EVENT_TYPES and event["campaign_id"]
        assert event["contact_id"] and event["email"] == email_of[event["contact_id"]]
        assert re.fullmatch(r"[^@]+@[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}", event["email"].lower().replace(" ", ""))
    for ticket in new["support_tickets.csv"]:
        assert not ticket["closed_at"] or parse_ts(ticket["closed_at"]) >= parse_ts(ticket["opened_at"])
        assert not ticket["satisfaction_score"] or 1 <= int(ticket["satisfaction_score"]) <= 5
    assert all(0 <= int(r["nps_score"]) <= 10 for r in new["nps_responses.csv"])
    assert all(r["store_id"] for r in new["store_visits.csv"])


def test_new_timestamps_are_on_the_day_or_late_arrivals(appended: tuple[Path, Path, dict]) -> None:
    source, folder, _ = appended
    late, total = Counter(), 0
    for name, column in TIME_COLUMNS.items():
        _, old_rows, _ = read(source / name)
        _, rows, _ = read(folder / name)
        old_text = " ".join(r[column] for r in old_rows[:200])
        for row in rows[len(old_rows):]:
            when = parse_ts(row[column])  # parses: the file's own ISO style
            days_before = (DAY - when.date()).days
            assert days_before in ((0, 1, 2) if name in ("orders.csv", "email_events.csv", "store_visits.csv") else (0,))
            late[name] += days_before > 0
            total += 1
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\+0[12]:00)?", row[column])
            if "+0" in row[column]:
                assert "+0" in old_text  # offsets only where the file already has some
    # at least one late arrival in each file that gets some (a whole email send is late, with its 2-5 events)
    assert {name for name, count in late.items() if count} == {"orders.csv", "email_events.csv", "store_visits.csv"}
    assert sum(late.values()) <= 0.02 * total + 10


def test_late_share_one_makes_every_orders_events_and_visits_late(exports: tuple[Path, Path], tmp_path: Path) -> None:
    source, _ = exports
    folder = tmp_path / "raw"
    shutil.copytree(source, folder)
    counts = append_day(folder, DAY, seed=1, late_share=1.0)
    for name in ("orders.csv", "email_events.csv", "store_visits.csv", "support_tickets.csv"):
        _, rows, _ = read(folder / name)
        days = Counter((DAY - parse_ts(r[TIME_COLUMNS[name]]).date()).days for r in rows[-counts[name]:])
        assert set(days) == ({0} if name == "support_tickets.csv" else {1, 2}), name


def test_deterministic_and_appending_twice(exports: tuple[Path, Path], tmp_path: Path) -> None:
    source, _ = exports
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(source, first)
    shutil.copytree(source, second)
    assert main(["append", "--raw-dir", str(first), "--day", "2026-11-01", "--seed", "9"]) == 0  # the CLI subcommand
    append_day(second, "2026-11-01", seed=9)
    for name in [*ACTIVITY, "order_lines.csv"]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    once = {name: read(first / name)[1] for name in ACTIVITY}
    counts = append_day(first, "2026-11-02", seed=9)
    for name, key in ACTIVITY.items():
        _, rows, _ = read(first / name)
        assert len(rows) == len(once[name]) + counts[name]
        ids = [r[key] for r in rows]
        assert len(set(ids)) == len(ids) - (len(once[name]) - len({r[key] for r in once[name]})), name  # no new duplicate
        new_days = {parse_ts(r[TIME_COLUMNS[name]]).date() for r in rows[len(once[name]):]}
        assert dt.date(2026, 11, 2) in new_days and max(new_days) == dt.date(2026, 11, 2)
    _, lines, _ = read(first / "order_lines.csv")
    keys = [(r["order_id"], r["line_number"]) for r in lines]
    _, source_lines, _ = read(source / "order_lines.csv")
    assert len(set(keys)) - len(set((r["order_id"], r["line_number"]) for r in source_lines)) \
        == len(keys) - len(source_lines)


def _as_french_spreadsheet(path: Path) -> None:
    """Rewrites an ISO, comma-separated UTF-8 export as a French Excel one: Windows-1252, `;`, CRLF, shuffled and
    oddly spelled header, `DD/MM/YYYY HH:MM` timestamps, decimal commas, an extra accented column, and no newline
    after the last row."""
    header, rows, _ = read(path)
    names = [h.strip().lower() for h in header][::-1]
    spelled = {n: (n.title().replace("Id", "ID") + (" " if i % 2 else "")) for i, n in enumerate(names)}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Commentaire"] + [spelled[n] for n in names])
    for row in rows:
        values = []
        for n in names:
            v = row[n]
            if re.match(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", v):
                try:
                    v = parse_ts(v).strftime("%d/%m/%Y %H:%M")
                except ValueError:  # a broken row keeps its broken timestamp
                    pass
            elif re.fullmatch(r"\d+\.\d+", v):
                v = v.replace(".", ",")
            values.append(v)
        writer.writerow(["livré à l'accueil; réglé"] + values)
    path.write_bytes(out.getvalue().rstrip("\r\n").encode("cp1252"))


def test_french_windows_1252_files_get_rows_in_their_own_format(exports: tuple[Path, Path], tmp_path: Path,
                                                                valid_ids: dict[str, set[str]]) -> None:
    source, _ = exports
    folder = tmp_path / "raw"
    shutil.copytree(source, folder)
    for name in ("orders.csv", "order_lines.csv", "support_tickets.csv"):
        _as_french_spreadsheet(folder / name)
    before = {name: (folder / name).read_bytes() for name in ("orders.csv", "order_lines.csv", "support_tickets.csv")}
    counts = append_day(folder, DAY, seed=2)
    for name, old in before.items():
        data = (folder / name).read_bytes()
        assert data.startswith(old) and data[len(old):len(old) + 2] == b"\r\n"  # the last line completed, not broken
        assert detect_encoding(folder / name) == "cp1252"
        added = data[len(old) + 2:].decode("cp1252")
        assert added.endswith("\r\n") and added.count("\r\n") == counts[name] and "\n" not in added.replace("\r\n", "")
        header, rows, delimiter = read(folder / name)
        assert delimiter == ";" and header[0] == "Commentaire"
        assert header == next(csv.reader([old.decode("cp1252").split("\r\n", 1)[0]], delimiter=";"))
        new = rows[-counts[name]:]
        assert all(r["commentaire"] == "" for r in new)
        if name == "orders.csv":
            assert all(re.fullmatch(r"\d{2}/\d{2}/2026 \d{2}:\d{2}", r["ordered_at"]) for r in new)
            assert all(re.fullmatch(r"\d+,\d{2}", r["total_amount"]) for r in new)
            assert all(r["contact_id"] in valid_ids["contacts"] for r in new if r["contact_id"])
        if name == "order_lines.csv":
            assert all(re.fullmatch(r"\d+,\d{2}", r["unit_price"]) for r in new)
            orders = {r["order_id"] for r in read(folder / "orders.csv")[1][-counts["orders.csv"]:]}
            assert {r["order_id"] for r in new} == orders
        if name == "support_tickets.csv":
            assert all(re.fullmatch(r"\d{2}/\d{2}/2026 \d{2}:\d{2}", r["opened_at"]) for r in new)
