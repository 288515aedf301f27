"""The demo-data generator: deterministic, contract-shaped, messy the way French exports are, and with a truth
that matches what an independent reading of the quarantine rules (docs/DESIGN.md) finds in the raw files."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from segwarehouse.generate import generate
from segwarehouse.siren import is_valid_siren, is_valid_siret

SOURCES_YML = Path(__file__).resolve().parents[2] / "models" / "staging" / "crm" / "_crm__sources.yml"
SIZES = dict(seed=7, reference_date="2026-10-31", accounts=1000, contacts=3000, consumers=1200, orders=6000,
             email_events=15000)
FILES = ["companies.csv", "contacts.csv", "orders.csv", "order_lines.csv", "products.csv", "equipment.csv",
         "email_events.csv", "support_tickets.csv", "store_visits.csv", "nps_responses.csv"]
RULE_ORDER = ["missing_required_value", "duplicate_key", "unparseable_date", "unparseable_timestamp",
              "unparseable_integer", "unparseable_decimal", "malformed_email", "malformed_siren", "value_not_allowed",
              "negative_amount", "out_of_range", "no_customer", "unknown_reference"]
ALLOWED = {
    ("companies", "relationship_type"): {"client", "prospect", "partner", "supplier", "other", "partenaire",
                                         "fournisseur", "autre"},
    ("contacts", "gender"): {"f", "m", "x"},
    ("contacts", "housing_type"): {"house", "apartment", "other", "maison", "appartement", "autre"},
    ("contacts", "email_consent"): {"opt_in", "opt_out", "unknown"},
    ("orders", "channel"): {"store", "web", "phone", "sales_rep"},
    ("orders", "status"): {"completed", "cancelled", "refunded"},
    ("products", "product_type"): {"product", "service", "subscription"},
    ("products", "technology_level"): {"basic", "standard", "advanced"},
    ("email_events", "event_type"): {"sent", "delivered", "open", "click", "soft_bounce", "hard_bounce",
                                     "unsubscribe", "complaint"},
}
AMOUNTS = {"companies": ["employee_count", "annual_revenue_eur"], "contacts": ["household_income_eur"],
           "orders": ["total_amount"], "order_lines": ["quantity", "unit_price", "discount_amount"],
           "products": ["list_price"], "equipment": ["seats_purchased", "seats_active"]}
RANGES = {("companies", "financial_score"): (0, 100), ("nps_responses", "nps_score"): (0, 10),
          ("support_tickets", "satisfaction_score"): (1, 5)}
REFERENCES = {  # table: [(column, referenced table)], checked against the referenced file's staged keys
    "contacts": [("company_id", "companies")],
    "orders": [("contact_id", "contacts"), ("company_id", "companies")],
    "order_lines": [("order_id", "orders"), ("product_id", "products")],
    "equipment": [("company_id", "companies"), ("product_id", "products")],
    "email_events": [("contact_id", "contacts")],
    "support_tickets": [("contact_id", "contacts"), ("company_id", "companies")],
    "store_visits": [("contact_id", "contacts")],
    "nps_responses": [("contact_id", "contacts")],
}
DEPENDENCY_ORDER = ["companies", "products", "contacts", "orders", "order_lines", "equipment", "email_events",
                    "support_tickets", "store_visits", "nps_responses"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out, truth = tmp_path_factory.mktemp("exports"), tmp_path_factory.mktemp("truth")
    generate(out, truth, **SIZES)
    return out, truth


@pytest.fixture(scope="module")
def contract() -> dict:
    yaml = pytest.importorskip("yaml")
    if not SOURCES_YML.exists():
        pytest.skip("no contract file")
    source = next(s for s in yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))["sources"] if s["name"] == "crm")
    return {t["name"]: t for t in source["tables"]}


def read_raw(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header (names trimmed and lower-cased, as the contract matches them) and records of an export file."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return [h.strip().lower() for h in rows[0]], rows[1:]


def read_truth(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------------------------------------------------------
# An independent reading of the row rules of docs/DESIGN.md
# ------------------------------------------------------------------------------------------------------------------
def parses_date(v: str) -> bool:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            dt.datetime.strptime(v, fmt)
            return True
        except ValueError:
            pass
    return False


def parse_timestamp(v: str) -> dt.datetime | None:
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)([+-]\d{2}:\d{2}|Z)?", v)
    try:
        if m:
            return dt.datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}")
        m = re.fullmatch(r"(\d{2}/\d{2}/\d{4}) (\d{2}:\d{2})(:\d{2})?", v)
        if m:
            return dt.datetime.strptime(m.group(1) + " " + m.group(2), "%d/%m/%Y %H:%M")
    except ValueError:
        return None
    return None


def is_integer(v: str) -> bool:
    return re.fullmatch(r"-?\d+", v) is not None


def decimal(v: str) -> float | None:
    return float(v.replace(",", ".")) if re.fullmatch(r"-?\d+(?:[.,]\d+)?", v) else None


def failures(table: str, spec: dict, row: dict[str, str], seen_keys: set, staged: dict[str, set]) -> list[tuple[str, str]]:
    """Every (rule, column) the row breaks, in the rules' order."""
    out: list[tuple[str, str]] = []
    columns = {c["name"]: c.get("meta", {}) for c in spec["columns"]}
    for name, meta in columns.items():
        if meta.get("required") and row.get(name, "").strip() == "":
            out.append(("missing_required_value", name))
    key = tuple(row.get(k, "").strip() for k in spec["meta"]["key"])
    if not out:
        if key in seen_keys:
            out.append(("duplicate_key", spec["meta"]["key"][0]))
        seen_keys.add(key)
    for name, meta in columns.items():
        v = row.get(name, "").strip()
        if not v:
            continue
        cast = meta.get("cast_to")
        if cast == "date" and not parses_date(v):
            out.append(("unparseable_date", name))
        elif cast == "timestamp" and parse_timestamp(v) is None:
            out.append(("unparseable_timestamp", name))
        elif cast == "integer" and not is_integer(v):
            out.append(("unparseable_integer", name))
        elif cast == "decimal" and decimal(v) is None:
            out.append(("unparseable_decimal", name))
    email = row.get("email", "").strip().lower().replace(" ", "")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", email):
        out.append(("malformed_email", "email"))
    if table == "companies" and row["siren"].strip() and not re.fullmatch(r"\d{9}", row["siren"].replace(" ", "")):
        out.append(("malformed_siren", "siren"))
    for (t, name), allowed in ALLOWED.items():
        if t == table and row.get(name, "").strip() and row[name].strip().lower() not in allowed:
            out.append(("value_not_allowed", name))
    for name in AMOUNTS.get(table, []):
        if row.get(name, "").strip().startswith("-"):
            out.append(("negative_amount", name))
    for (t, name), (lo, hi) in RANGES.items():
        value = decimal(row.get(name, "").strip()) if t == table else None
        if value is not None and not lo <= value <= hi:
            out.append(("out_of_range", name))
    if table == "equipment" and is_integer(row["seats_active"]) and is_integer(row["seats_purchased"]) \
            and int(row["seats_active"]) > int(row["seats_purchased"]):
        out.append(("out_of_range", "seats_active"))
    if table == "support_tickets":
        opened, closed = parse_timestamp(row["opened_at"]), parse_timestamp(row["closed_at"])
        if opened and closed and closed < opened:
            out.append(("out_of_range", "closed_at"))
    if table == "orders" and not row["contact_id"].strip() and not row["company_id"].strip():
        out.append(("no_customer", "contact_id"))
    if table == "email_events" and not row["contact_id"].strip() and not row["email"].strip():
        out.append(("no_customer", "contact_id"))
    for name, target in REFERENCES.get(table, []):
        v = row.get(name, "").strip()
        if v and v not in staged[target]:
            out.append(("unknown_reference", name))
    return sorted(out, key=lambda f: RULE_ORDER.index(f[0]))


@pytest.fixture(scope="module")
def checked(generated: tuple[Path, Path], contract: dict) -> dict[str, dict[int, list[tuple[str, str]]]]:
    """Failing rules per file and 1-based row number, found by the reading above."""
    out, _ = generated
    staged: dict[str, set] = {}
    found: dict[str, dict[int, list[tuple[str, str]]]] = {}
    for table in DEPENDENCY_ORDER:
        spec = contract[table]
        header, records = read_raw(out / spec["meta"]["file"])
        seen: set = set()
        found[table] = {}
        staged[table] = set()
        for number, record in enumerate(records, start=1):
            row = dict(zip(header, record))
            broken = failures(table, spec, row, seen, staged)
            if broken:
                found[table][number] = broken
            else:
                staged[table].add(row.get(spec["meta"]["key"][0], "").strip())
    return found


# ------------------------------------------------------------------------------------------------------------------
# Tests
# ------------------------------------------------------------------------------------------------------------------
def test_siren_luhn_on_known_values() -> None:
    assert is_valid_siren("732829320")
    assert is_valid_siren("732 829 320")
    assert not is_valid_siren("732829321")
    assert is_valid_siren("356000000")  # La Poste
    assert not is_valid_siren("12345")
    assert not is_valid_siren("")
    assert is_valid_siret("73282932000074")
    assert is_valid_siret("35600000000010")  # La Poste establishment: digits sum to a multiple of 5
    assert not is_valid_siret("35600000000011")


def test_same_seed_gives_the_same_bytes(generated: tuple[Path, Path], tmp_path: Path) -> None:
    out, truth = generated
    generate(tmp_path / "out", tmp_path / "truth", **SIZES)
    for folder, again in ((out, tmp_path / "out"), (truth, tmp_path / "truth")):
        names = sorted(p.name for p in folder.iterdir())
        assert names == sorted(p.name for p in again.iterdir())
        for name in names:
            assert (folder / name).read_bytes() == (again / name).read_bytes(), name


def test_every_contract_file_has_its_columns(generated: tuple[Path, Path], contract: dict) -> None:
    out, truth = generated
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert not list(out.glob("*truth*")) and (truth / "expected_quarantine.csv").exists()
    for table, spec in contract.items():
        header, _ = read_raw(out / spec["meta"]["file"])
        assert {c["name"] for c in spec["columns"]} <= set(header), table
    companies_header, _ = read_raw(out / "companies.csv")
    assert companies_header != [c["name"] for c in contract["companies"]["columns"]]  # a CRM's own column order
    contacts_header, _ = read_raw(out / "contacts.csv")
    assert set(contacts_header) - {c["name"] for c in contract["contacts"]["columns"]} == {"hubspot_owner"}


def test_file_formats_look_like_french_exports(generated: tuple[Path, Path]) -> None:
    out, _ = generated
    for name in ("companies.csv", "contacts.csv"):
        data = (out / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        first = data.decode("utf-8-sig").split("\r\n", 1)[0]
        assert first.count(";") > 10 and "," not in first
        assert re.search(r"(^|;) \w|\w (;|$)", first)  # a header with a stray space
    companies = (out / "companies.csv").read_text(encoding="utf-8-sig")
    assert re.search(r";\d{2}/\d{2}/\d{4} \d{2}:\d{2}", companies) and re.search(r";\d+,\d{1,2};", companies)
    products = (out / "products.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        products.decode("utf-8")
    assert "é" in products.decode("latin-1") and products.decode("latin-1").split("\r\n")[0].count(";") == 5
    orders = (out / "orders.csv").read_text(encoding="utf-8")
    assert orders.startswith("order_id,") and re.search(r"T\d{2}:\d{2}:\d{2}\+0[12]:00", orders)


def test_quoted_fields_hold_delimiters_and_newlines(generated: tuple[Path, Path]) -> None:
    out, _ = generated
    header, records = read_raw(out / "companies.csv")
    values = [v for r in records for v in r]
    assert any("\n" in v for v in values) and any(";" in v for v in values)
    assert all(len(r) == len(header) for r in records)
    duckdb = pytest.importorskip("duckdb")
    for name in FILES:
        _, rows = read_raw(out / name)
        encoding = ", encoding = 'latin-1'" if name == "products.csv" else ""
        count = duckdb.sql(f"select count(*) from read_csv('{out / name}', all_varchar = true, header = true, sample_size = -1{encoding})").fetchall()[0][0]
        assert count == len(rows), name


def test_expected_quarantine_is_what_the_rules_find(generated: tuple[Path, Path], contract: dict, checked: dict) -> None:
    _, truth = generated
    expected: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for row in read_truth(truth / "expected_quarantine.csv"):
        expected[row["source_file"]][int(row["row_number"])] = (row["rule"], row["column_name"])
    for table, spec in contract.items():
        file = spec["meta"]["file"]
        assert set(checked[table]) == set(expected[file]), file
        for number, broken in checked[table].items():
            assert broken == [expected[file][number]], (file, number, broken)  # exactly one defect, the listed one


def test_every_file_has_each_kind_of_broken_row_and_under_2_percent(generated: tuple[Path, Path]) -> None:
    out, truth = generated
    rules = defaultdict(set)
    for row in read_truth(truth / "expected_quarantine.csv"):
        rules[row["source_file"]].add(row["rule"])
    for name in FILES:
        _, records = read_raw(out / name)
        broken = sum(1 for r in read_truth(truth / "expected_quarantine.csv") if r["source_file"] == name)
        assert 0 < broken < 0.02 * len(records), name
    assert {"missing_required_value", "duplicate_key", "malformed_siren", "value_not_allowed", "negative_amount",
            "out_of_range", "unparseable_date", "unparseable_timestamp", "unparseable_integer",
            "unparseable_decimal"} <= rules["companies.csv"]
    assert {"malformed_email", "unknown_reference", "unparseable_date", "value_not_allowed"} <= rules["contacts.csv"]
    assert {"no_customer", "unknown_reference", "negative_amount", "value_not_allowed", "duplicate_key"} <= rules["orders.csv"]
    assert {"out_of_range", "unparseable_integer"} <= rules["nps_responses.csv"]
    assert {"out_of_range"} <= rules["equipment.csv"] and {"out_of_range"} <= rules["support_tickets.csv"]


def test_orders_point_at_existing_customers_and_lines_add_up(generated: tuple[Path, Path]) -> None:
    out, truth = generated
    quarantined = defaultdict(set)
    for row in read_truth(truth / "expected_quarantine.csv"):
        quarantined[row["source_file"]].add(int(row["row_number"]))
    contact_ids = {r["contact_id"] for r in read_truth(truth / "contacts_truth.csv")}
    company_ids = {r["company_id"] for r in read_truth(truth / "companies_truth.csv")}
    header, records = read_raw(out / "orders.csv")
    totals = {}
    for number, record in enumerate(records, start=1):
        row = dict(zip(header, record))
        if number in quarantined["orders.csv"]:
            continue
        assert row["contact_id"] or row["company_id"]
        assert not row["contact_id"] or row["contact_id"] in contact_ids
        assert not row["company_id"] or row["company_id"] in company_ids
        totals[row["order_id"]] = round(float(row["total_amount"]) * 100)
    header, records = read_raw(out / "order_lines.csv")
    sums = Counter()
    for number, record in enumerate(records, start=1):
        if number not in quarantined["order_lines.csv"]:
            row = dict(zip(header, record))
            assert row["order_id"] in totals
            sums[row["order_id"]] += round(float(row["quantity"]) * float(row["unit_price"]) * 100) \
                - round(float(row["discount_amount"]) * 100)
    assert set(sums) == set(totals) and all(sums[o] == totals[o] for o in totals)
    assert 2.2 < len(records) / len(totals) < 2.9


def test_duplicated_people_differ_only_by_case_and_spaces(generated: tuple[Path, Path]) -> None:
    out, truth = generated
    header, records = read_raw(out / "contacts.csv")
    people = {r["contact_id"]: r for r in read_truth(truth / "contacts_truth.csv")}
    raw = {}
    for record in records:
        row = dict(zip(header, record))
        if row["contact_id"] in people:
            raw[row["contact_id"]] = row
    by_email = defaultdict(list)
    for cid, t in people.items():
        if t["normalised_email"]:
            by_email[t["normalised_email"]].append(cid)
    pairs = [ids for ids in by_email.values() if len(ids) > 1]
    assert len(pairs) > 0.02 * len(people)
    assert all(len(ids) == 2 for ids in pairs)
    kinds = set()
    for a, b in pairs:
        ea, eb = raw[a]["email"], raw[b]["email"]
        assert ea != eb and ea.strip().lower().replace(" ", "") == eb.strip().lower().replace(" ", "")
        assert raw[a]["company_id"] == raw[b]["company_id"]
        kinds.add(people[a]["customer_type"])
    assert kinds == {"b2b", "b2c"}


def test_truth_follows_the_raw_values(generated: tuple[Path, Path]) -> None:
    out, truth = generated
    header, records = read_raw(out / "companies.csv")
    raw = {r["company_id"]: r for r in (dict(zip(header, rec)) for rec in records)}
    companies = read_truth(truth / "companies_truth.csv")
    assert len({c["company_id"] for c in companies}) == len(companies)
    kinds = Counter()
    for t in companies:
        r = raw[t["company_id"]]
        lf = r["legal_form_code"]
        kinds[t["org_type"]] += 1
        if lf[0] in "47":
            assert t["org_type"] == "public_body" and t["is_public_sector"] == "true"
        elif lf[0] == "9":
            assert t["org_type"] == "nonprofit"
        elif lf[0] == "1":
            assert t["org_type"] == "sole_trader"
        elif r["naf_code"].replace(".", "") == "6420Z":
            assert t["org_type"] == "holding"
        if not r["employee_count"] and r["employee_band"] == "NN":
            assert t["size_category"] == "unknown"
        if t["is_group_member"] == "true":
            assert r["parent_company_id"] in raw
        if r["siren"]:
            assert t["is_siren_valid"] == str(is_valid_siren(r["siren"])).lower()
        postal, country = r["postal_code"].strip(), r["country_code"].strip()
        if country in ("", "FR") and re.fullmatch(r"\d{4,5}", postal):
            p = postal.zfill(5)
            code = ("2A" if p < "20200" else "2B") if p.startswith("20") else p[:3] if p.startswith("97") else p[:2]
            assert t["department_code"] == code
        else:
            assert t["department_code"] == "" and t["region"] == ""
    assert set(kinds) >= {"sole_trader", "micro_enterprise", "sme", "mid_cap", "large_enterprise", "holding",
                          "nonprofit", "public_body"}
    assert any(t["is_group_member"] == "true" for t in companies)
    assert any(t["is_siren_valid"] == "false" for t in companies)
    contacts = read_truth(truth / "contacts_truth.csv")
    header, records = read_raw(out / "contacts.csv")
    raw = {r["contact_id"]: r for r in (dict(zip(header, rec)) for rec in records)}
    reference = dt.date.fromisoformat(SIZES["reference_date"])
    for t in contacts:
        r = raw[t["contact_id"]]
        assert t["customer_type"] == ("b2b" if r["company_id"] else "b2c")
        assert t["normalised_email"] == r["email"].strip().lower().replace(" ", "")
        assert t["gender"] == (r["gender"] or "unknown")
        housing = {"house": "house", "maison": "house", "apartment": "apartment", "appartement": "apartment",
                   "other": "other", "autre": "other", "": "unknown"}
        assert t["housing_type"] == housing[r["housing_type"]]
        if r["birth_date"]:
            born = dt.datetime.strptime(r["birth_date"], "%d/%m/%Y").date()
            age = reference.year - born.year - ((reference.month, reference.day) < (born.month, born.day))
            assert t["age"] == str(age)
        else:
            assert t["age"] == "" and t["age_band"] == "unknown"
        income = decimal(r["household_income_eur"]) if r["household_income_eur"] else None
        band = "unknown" if income is None else "low" if income < 25_000 else "middle" if income < 50_000 \
            else "upper_middle" if income < 90_000 else "high"
        assert t["income_band"] == band
        if not r["job_title"]:
            assert (t["job_function"], t["seniority"]) == ("unknown", "unknown")
    assert {c["customer_type"] for c in contacts} == {"b2b", "b2c"}
    assert {c["age_band"] for c in contacts} >= {"18-24", "25-34", "65+", "unknown"}
    assert {c["income_band"] for c in contacts} == {"low", "middle", "upper_middle", "high", "unknown"}
    assert {c["seniority"] for c in contacts} == {"c_level", "director", "manager", "staff", "unknown"}
    assert any(c["is_generic_email"] == "true" for c in contacts) and any(c["is_free_webmail"] == "true" for c in contacts)
    assert any(c["is_coastal"] == "true" for c in contacts) and any(c["is_mountain"] == "true" for c in contacts)
    assert {c["department_code"] for c in contacts} >= {"2A", "2B", "974"}


def test_behaviour_profiles_show_in_the_activity(generated: tuple[Path, Path], checked: dict) -> None:
    out, _ = generated

    def valid_rows(table: str, name: str) -> list[dict[str, str]]:
        header, records = read_raw(out / name)
        return [dict(zip(header, r)) for n, r in enumerate(records, 1) if n not in checked[table]]

    per_contact = Counter(o["contact_id"] for o in valid_rows("orders", "orders.csv") if o["contact_id"])
    assert any(c >= 8 for c in per_contact.values()) and sum(1 for c in per_contact.values() if c == 1) > 50
    events = Counter(e["event_type"] for e in valid_rows("email_events", "email_events.csv"))
    assert events["sent"] >= events["delivered"] > events["open"] > events["click"] > 0
    assert min(events["hard_bounce"], events["soft_bounce"], events["unsubscribe"]) > 0
    tickets = valid_rows("support_tickets", "support_tickets.csv")
    many = Counter(t["contact_id"] for t in tickets if t["contact_id"])
    scores = defaultdict(list)
    for t in tickets:
        if t["satisfaction_score"] and t["contact_id"]:
            scores[many[t["contact_id"]] >= 3].append(int(t["satisfaction_score"]))
    assert sum(scores[True]) / len(scores[True]) < sum(scores[False]) / len(scores[False])
