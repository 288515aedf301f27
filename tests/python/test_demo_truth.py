"""The demo warehouse against what the generator knows to be true (tests/fixtures/demo_truth).

- every row the generator broke on purpose is in `quarantine` with the same file, row, rule and column, and
  nothing else is;
- for every profile attribute of dim_companies and dim_contacts, at least 95% of rows match the truth.
"""
from __future__ import annotations

import csv

import pytest

from conftest import DEMO_DIR, DEMO_TRUTH_DIR, Warehouse
from segwarehouse.contract import load_contract

MIN_ACCURACY = 0.95

COMPANY_ATTRIBUTES = [
    "org_type", "size_category", "naf_section", "is_public_sector", "is_siren_valid", "relationship_type",
    "department_code", "region", "financial_health_band", "is_group_member",
]
CONTACT_ATTRIBUTES = [
    "customer_type", "is_generic_email", "is_free_webmail", "job_function", "seniority", "gender", "age",
    "age_band", "income_band", "housing_type", "occupation_group", "education_level", "department_code", "region",
    "is_coastal", "is_mountain",
]


def read_truth(name: str) -> list[dict[str, str]]:
    with (DEMO_TRUTH_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def accuracy(warehouse: Warehouse, table: str, key: str, attributes: list[str], truth_file: str,
             skip: dict[str, set[str]] | None = None) -> dict[str, float]:
    truth = {row[key]: row for row in read_truth(truth_file)}
    columns = ", ".join([key, *attributes])
    actual = {row[0]: dict(zip(attributes, row[1:])) for row in warehouse.query(f"select {columns} from marts.{table}")}
    scores = {}
    for attribute in attributes:
        compared = matched = 0
        for identifier, expected in truth.items():
            if identifier not in actual or expected[attribute] in (skip or {}).get(attribute, set()):
                continue
            compared += 1
            matched += as_text(actual[identifier][attribute]) == expected[attribute]
        scores[attribute] = matched / compared if compared else 0.0
    return scores


def test_quarantine_is_exactly_the_rows_broken_on_purpose(demo_warehouse: Warehouse) -> None:
    expected = {(r["source_file"], int(r["row_number"]), r["rule"], r["column_name"])
                for r in read_truth("expected_quarantine.csv")}
    found = set(demo_warehouse.query("select source_file, row_number, rule, column_name from guard.quarantine"))
    assert found - expected == set(), "quarantined but not broken"
    assert expected - found == set(), "broken but not quarantined"


def test_rows_read_equal_staged_plus_quarantined(demo_warehouse: Warehouse) -> None:
    for name, export in load_contract().items():
        read = demo_warehouse.query(f"select count(*) from raw.{name}")[0][0]
        staged = demo_warehouse.query(f"select count(*) from staging.stg_crm__{name}")[0][0]
        quarantined = demo_warehouse.query(
            f"select count(*) from guard.quarantine where source_file = '{export.file}'")[0][0]
        with (DEMO_DIR / export.file).open("rb") as handle:
            assert read > 0 and handle.read(3)  # the demo ships every file
        assert read == staged + quarantined, name


def test_every_truth_company_and_contact_is_in_the_warehouse(demo_warehouse: Warehouse) -> None:
    companies = {row["company_id"] for row in read_truth("companies_truth.csv")}
    assert companies == {row[0] for row in demo_warehouse.query("select company_id from marts.dim_companies")}
    contacts = {row["contact_id"] for row in read_truth("contacts_truth.csv")}
    mapped = {row[0] for row in demo_warehouse.query("select contact_id from marts.contact_identity_map")}
    assert contacts == mapped


@pytest.mark.parametrize("attribute", COMPANY_ATTRIBUTES)
def test_company_attribute_matches_truth(demo_warehouse: Warehouse, attribute: str) -> None:
    scores = accuracy(demo_warehouse, "dim_companies", "company_id", [attribute], "companies_truth.csv",
                      skip={"org_type": {"unknown_size"}})
    assert scores[attribute] >= MIN_ACCURACY, scores


@pytest.mark.parametrize("attribute", CONTACT_ATTRIBUTES)
def test_contact_attribute_matches_truth(demo_warehouse: Warehouse, attribute: str) -> None:
    # duplicates are merged: a merged-away id is compared through the record it survives as
    truth_ids = demo_warehouse.query("select contact_id, surviving_contact_id from marts.contact_identity_map")
    survivor = dict(truth_ids)
    rows = [row for row in read_truth("contacts_truth.csv") if survivor.get(row["contact_id"]) == row["contact_id"]]
    truth = {row["contact_id"]: row for row in rows}
    actual = dict(demo_warehouse.query(f"select contact_id, {attribute} from marts.dim_contacts"))
    matched = sum(as_text(actual.get(identifier)) == expected[attribute] for identifier, expected in truth.items())
    assert len(truth) > 10000 and matched / len(truth) >= MIN_ACCURACY, (attribute, matched / len(truth))
