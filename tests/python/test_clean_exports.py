"""Exports written by hand (not by the demo generator), with every profile value computed by hand.

tests/fixtures/clean holds the ten contract files in the formats French exports come in: `;` with a BOM and
DD/MM/YYYY dates and decimal commas (companies), Latin-1 (products), ISO timestamps with and without offsets,
French labels (partenaire, fournisseur, magasin, annulée, abonnement, avancé, Femme, maison...), a 4-digit postal
code, Corsica and overseas postal codes, and one consumer exported twice with a different case and spaces.
"""
from __future__ import annotations

import pytest

from conftest import PROJECT_ROOT, Warehouse, dbt_vars, run_dbt

CLEAN_DIR = PROJECT_ROOT / "tests" / "fixtures" / "clean"

# company_id: org_type, size_category, naf_code, naf_section, is_public_sector, is_siren_valid, department_code,
# region, relationship_type, financial_health_band, is_group_member
EXPECTED_COMPANIES = {
    "A1": ("public_body", "sme", "84.11Z", "O", True, True, "2B", "Corse", "partner", "average", False),
    "A2": ("nonprofit", "micro", "93.12Z", "R", False, None, "29", "Bretagne", "client", "unknown", False),
    "A3": ("sole_trader", "micro", "43.22A", "F", False, None, "73", "Auvergne-Rhône-Alpes", "prospect", "fragile", False),
    "A4": ("holding", "micro", "64.20Z", "K", False, True, "75", "Île-de-France", "client", "healthy", False),
    "A5": ("micro_enterprise", "micro", "62.01Z", "J", False, None, "69", "Auvergne-Rhône-Alpes", "client", "healthy", False),
    "A6": ("sme", "sme", "70.22Z", "M", False, None, "33", "Nouvelle-Aquitaine", "supplier", "average", False),
    "A7": ("large_enterprise", "large", "29.10Z", "C", False, True, "92", "Île-de-France", "client", "healthy", False),
    "A8": ("sme", "sme", "29.32Z", "C", False, None, "974", "La Réunion", "client", "average", True),
    "A9": ("sme", "sme", "71.11Z", "M", False, None, "06", "Provence-Alpes-Côte d'Azur", "prospect", "unknown", False),
    "A10": ("mid_cap", "mid_cap", "64.19Z", "K", False, None, "01", "Auvergne-Rhône-Alpes", "client", "healthy", False),
}

# contact_id: customer_type, email, is_generic_email, is_free_webmail, job_function, seniority, gender, age,
# age_band, income_band, occupation_group, education_level, department_code, is_coastal, is_mountain,
# climate_zone, housing_type, merged_record_count
EXPECTED_CONTACTS = {
    "C2": ("b2c", "marie.curie@orange.fr", False, True, "unknown", "unknown", "F", 17, "unknown", "high",
           "executive_professional", "master", "29", True, False, "oceanic", "house", 2),
    "C3": ("b2c", "luc.petit@free.fr", False, True, "unknown", "unknown", "M", 19, "18-24", "low", "student",
           "secondary", "73", False, True, "mountain", "apartment", 1),
    "C4": ("b2c", "anne.roux@laposte.net", False, True, "unknown", "unknown", "X", 65, "65+", "middle", "retired",
           "secondary", "13", True, False, "mediterranean", "house", 1),
    "C5": ("b2c", "paul@exemple.fr", False, False, "unknown", "unknown", "unknown", None, "unknown", "unknown",
           "unknown", "unknown", "01", False, True, "semi_continental", "unknown", 1),
    "K1": ("b2b", "contact@mairie-bastia.fr", True, False, "unknown", "unknown", "unknown", None, "unknown",
           "unknown", "unknown", "unknown", None, None, None, None, "unknown", 1),
    "K2": ("b2b", "paul.martin@martin-holding.fr", False, False, "executive", "c_level", "M", None, "unknown",
           "unknown", "unknown", "unknown", None, None, None, None, "unknown", 1),
    "K3": ("b2b", "claire.dupont@gmail.com", False, True, "finance", "c_level", "F", None, "unknown", "unknown",
           "unknown", "unknown", None, None, None, None, "unknown", 1),
    "K4": ("b2b", "s.leroy@banque-regionale.fr", False, False, "marketing", "manager", "F", None, "unknown",
           "unknown", "unknown", "unknown", None, None, None, None, "unknown", 1),
    "K5": ("b2b", "john.smith@grandgroupe.com", False, False, "sales", "director", "M", None, "unknown", "unknown",
           "unknown", "unknown", None, None, None, None, "unknown", 1),
    "K6": ("b2b", "info.paris@filiale.fr", True, False, "unknown", "unknown", "unknown", None, "unknown", "unknown",
           "unknown", "unknown", None, None, None, None, "unknown", 1),
}


@pytest.fixture(scope="module")
def clean_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    path = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    build = run_dbt(["build", "--vars", dbt_vars(CLEAN_DIR)], env={"SEGMENTS_DUCKDB_PATH": str(path)})
    return Warehouse(path=path, build=build)


def test_nothing_quarantined_in_valid_exports(clean_warehouse: Warehouse) -> None:
    assert clean_warehouse.query("select * from guard.quarantine") == []


def test_company_profile_columns(clean_warehouse: Warehouse) -> None:
    rows = clean_warehouse.query(
        "select company_id, org_type, size_category, naf_code, naf_section, is_public_sector, is_siren_valid, "
        "department_code, region, relationship_type, financial_health_band, is_group_member from marts.dim_companies"
    )
    assert {row[0]: tuple(row[1:]) for row in rows} == EXPECTED_COMPANIES


def test_contact_profile_columns(clean_warehouse: Warehouse) -> None:
    rows = clean_warehouse.query(
        "select contact_id, customer_type, email, is_generic_email, is_free_webmail, job_function, seniority, "
        "gender, age, age_band, income_band, occupation_group, education_level, department_code, is_coastal, "
        "is_mountain, climate_zone, housing_type, merged_record_count from marts.dim_contacts"
    )
    assert {row[0]: tuple(row[1:]) for row in rows} == EXPECTED_CONTACTS


def test_duplicate_consumer_merged_into_latest_record(clean_warehouse: Warehouse) -> None:
    assert clean_warehouse.query(
        "select contact_id, surviving_contact_id from marts.contact_identity_map where not is_survivor"
    ) == [("C1", "C2")]


def test_french_labels_and_formats_parsed(clean_warehouse: Warehouse) -> None:
    orders = dict(clean_warehouse.query("select order_id, status || '/' || channel from staging.stg_crm__orders"))
    assert orders["O2"] == "completed/store" and orders["O5"] == "cancelled/web"
    products = clean_warehouse.query(
        "select product_id, product_name, product_type, technology_level, list_price "
        "from staging.stg_crm__products order by product_id"
    )
    assert products[0][1:4] == ("Logiciel de gestion", "subscription", "advanced")
    assert products[1][1] == "Coffret découverte" and float(products[1][4]) == 44.95
    # `2025-01-15T10:00:00+01:00` is 09:00 UTC; naive `2025-06-01 18:30:00` is Paris summer time, 16:30 UTC
    ordered_at = dict(clean_warehouse.query("select order_id, strftime(ordered_at, '%Y-%m-%d %H:%M') from staging.stg_crm__orders"))
    assert ordered_at["O1"] == "2025-01-15 09:00" and ordered_at["O2"] == "2025-06-01 16:30"
    revenue = clean_warehouse.query("select annual_revenue_eur from marts.dim_companies where company_id = 'A3'")
    assert float(revenue[0][0]) == 85000.0


def test_segments_hold_the_expected_members(clean_warehouse: Warehouse) -> None:
    members = {}
    for segment, contact in clean_warehouse.query("select segment_name, contact_id from segments.segment_membership"):
        members.setdefault(segment, set()).add(contact)
    assert members["seg_b2b_public_sector"] == {"K1"}
    assert members["seg_b2b_holdings"] == {"K2"}
    assert members["seg_b2b_large_groups"] == {"K5", "K6"}
    assert members["seg_b2b_finance_function"] == {"K3"}
    assert members["seg_b2b_generic_addresses"] == {"K1", "K6"}
    assert members["seg_b2c_mountain"] == {"C3", "C5"}
    assert members["seg_b2c_young_adults"] == {"C3"}
    assert members["seg_b2c_high_income_households"] == {"C2"}
    for segment, count in clean_warehouse.query("select segment_name, member_count from segments.segment_catalog"):
        view_count = clean_warehouse.query(f"select count(*) from segments.{segment}")[0][0]
        assert view_count == count == len(members.get(segment, ())), segment
