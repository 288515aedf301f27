"""Exports written by hand (not by the demo generator), with every profile value computed by hand.

tests/fixtures/clean holds the ten contract files in the formats French exports come in: `;` with a BOM and
DD/MM/YYYY dates and decimal commas (companies), Latin-1 (products), ISO timestamps with and without offsets,
French labels (partenaire, fournisseur, magasin, annulée, abonnement, avancé, Femme, maison...), a 4-digit postal
code, Corsica and overseas postal codes, and one consumer exported twice with a different case and spaces. The
activity files (orders, lines, email events, tickets, visits, NPS answers, equipment) hold the edge cases of the
behaviour metrics: refunds, a cancelled order, orders after the reference date and on both sides of the 12-month
boundary, an email event known by address only, a merged record's activity, equipment installed after the reference
date; the expected metrics are worked out by hand in the comments.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    path = tmp_path_factory.mktemp("clean") / "warehouse.duckdb"
    # the unit tests ran in the demo build: they read their fixtures, not the exports
    build = run_dbt(["build", "--exclude-resource-type", "unit_test", "--vars", dbt_vars(CLEAN_DIR)],
                    env={"SEGMENTS_DUCKDB_PATH": str(path)})
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


# ---------------------------------------------------------------------------------------------------------------
# Behaviour metrics, by hand from the fixture files, reference date 2026-10-31 ("12m": 2025-11-01 to 2026-10-31,
# "90d": 2026-08-03 to 2026-10-31). Naive timestamps are Paris time: a bare date `2026-09-01` is 2026-08-31 22:00
# UTC, so its order date is 2026-08-31. C1 is merged into C2: C1's orders, events, tickets, visits and answers are C2's.
# ---------------------------------------------------------------------------------------------------------------

def _plain(value):
    """Decimal -> float, date/datetime -> ISO text, to compare with hand-written values."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value


def _rows(warehouse: Warehouse, sql: str) -> dict:
    return {row[0]: tuple(_plain(value) for value in row[1:]) for row in warehouse.query(sql)}


NEVER_BOUGHT = (0.0, 0, 0.0, 0, None, None, None, None, None, None, None, None, None)

# contact_id: revenue_12m, orders_12m, lifetime_revenue, lifetime_orders, avg_order_value, avg_days_between_orders,
# share_services, favourite_category, lifestyle_affinities, first_order_date, last_order_date, customer_since,
# tenure_days
EXPECTED_CONTACT_PURCHASES = {
    # O2 (C1, completed 89.90 on 2025-06-01, 517 days ago: lifetime only; 2 x P2 `loisirs` = 89.90 of lines)
    # O3 (refunded 45.00 on 2026-10-01: in the 12 months) -> 12m: -45.00; lifetime: 89.90 - 45.00 = 44.90 over
    # 1 completed order; services 0 / 89.90 = 0; `loisirs` -> leisure (100 %); tenure 517 days
    "C2": (-45.0, 0, 44.9, 1, 44.9, None, 0.0, "loisirs", "leisure", "2025-06-01", "2025-06-01", "2025-06-01", 517),
    # O5 is cancelled: nothing counts
    "C3": NEVER_BOUGHT,
    # O7 120.00 on 2026-04-10 (P1 `logiciel` subscription 100 + P2 `loisirs` 25 - 5 = 20) and O6 30.00 on 2026-10-30
    # (P2 30); O8 (2026-11-15) is after the reference date. 120 + 30 = 150 over 2 orders = 75.00; 203 days from
    # 2026-04-10 to 2026-10-30; services 100 / 150 = 0.6667; logiciel 100 > loisirs 50; productivity 100 / 150 and
    # leisure 50 / 150, both above 0.2; tenure 204 days
    "C4": (150.0, 2, 150.0, 2, 75.0, 203.0, 0.6667, "logiciel", "leisure|productivity", "2026-04-10", "2026-10-30",
           "2026-04-10", 204),
    "C5": NEVER_BOUGHT,
    "K1": NEVER_BOUGHT,
    # O1 1200.00 on 2025-01-15 (654 days ago): lifetime only; its line is the P1 subscription: services 100 %
    "K2": (0.0, 0, 1200.0, 1, 1200.0, None, 1.0, "logiciel", "productivity", "2025-01-15", "2025-01-15", "2025-01-15",
           654),
    "K3": NEVER_BOUGHT,
    "K4": NEVER_BOUGHT,
    # O9 1000 on 2025-11-01 (364 days: in the 12 months, P3 `services`) and O10 2000 on 2025-10-30 (366 days: out,
    # 2 x P1 `logiciel`). 12m: 1000 over 1 order; lifetime 3000 over 2 = 1500.00; 2 days apart; services and
    # subscriptions 3000 / 3000; logiciel 2000 > services 1000; productivity 2/3, assisted_buyer 1/3; tenure 366
    "K5": (1000.0, 1, 3000.0, 2, 1500.0, 2.0, 1.0, "logiciel", "assisted_buyer|productivity", "2025-10-30",
           "2025-11-01", "2025-10-30", 366),
    "K6": NEVER_BOUGHT,
}

# contact_id: days_since_last_order, recency_score, frequency_score, monetary_score, rfm_segment. Two consumers and
# two B2B contacts bought, each pair scored apart; with 2 customers, score = 1 + floor(5 x (worse + half the ties)
# / 2): the lesser gets 1 + floor(1.25) = 2, the better 1 + floor(3.75) = 4.
EXPECTED_CONTACT_RFM = {
    # C2: 517 days, 1 order, 44.90 vs C4: 1 day, 2 orders, 150 -> C2 R2 F2 M2, FM (2 + 2) / 2 = 2: hibernating
    "C2": (517, 2, 2, 2, "hibernating"),
    "C3": (None, None, None, None, "no_purchase"),
    # C4 R4 F4 M4, FM 4: loyal
    "C4": (1, 4, 4, 4, "loyal"),
    "C5": (None, None, None, None, "no_purchase"),
    "K1": (None, None, None, None, "no_purchase"),
    # K2: 654 days, 1 order, 1200 vs K5: 364 days, 2 orders, 3000
    "K2": (654, 2, 2, 2, "hibernating"),
    "K3": (None, None, None, None, "no_purchase"),
    "K4": (None, None, None, None, "no_purchase"),
    "K5": (364, 4, 4, 4, "loyal"),
    "K6": (None, None, None, None, "no_purchase"),
}

NO_EMAIL = (0, 0, 0, None, None, "never")

# contact_id: emails_delivered_90d, opens_90d, clicks_90d, last_open_at, last_click_at, engagement_level
EXPECTED_CONTACT_ENGAGEMENT = {
    # C1's E2 delivered and E3 opened on 2026-10-01 (12:00 Paris = 10:00 UTC): one open -> occasional
    "C2": (1, 1, 0, "2026-10-01 10:00:00", None, "occasional"),
    # E4, a hard bounce known by address only, is C3's but neither a delivery nor an open
    "C3": NO_EMAIL,
    # E6 delivered; E5 has no contact id, its address is only C4's: a click -> engaged
    "C4": (1, 0, 1, None, "2026-10-20 10:00:00", "engaged"),
    "C5": NO_EMAIL,
    "K1": NO_EMAIL,
    # E7 delivered on 2026-09-15; E8, the last open, on 2026-03-01 (244 days ago) -> dormant
    "K2": (1, 0, 0, "2026-03-01 08:00:00", None, "dormant"),
    "K3": NO_EMAIL,
    "K4": NO_EMAIL,
    # E11: one open on 2026-10-05 -> occasional
    "K5": (0, 1, 0, "2026-10-05 08:00:00", None, "occasional"),
    "K6": NO_EMAIL,
}

NO_SERVICE = (0, 0, None, None, None, 0, False)

# contact_id: tickets_12m, open_tickets, avg_csat, nps_score_last, nps_category, store_visits_90d, is_store_regular
EXPECTED_CONTACT_SERVICE = {
    # C1's T2 (2026-10-20, never closed) and N1 (10); C1's V1 on 2026-10-15
    "C2": (1, 1, None, 10, "promoter", 1, False),
    # N2: 3
    "C3": (0, 0, None, 3, "detractor", 0, False),
    # T3 (2026-10-25, closed, CSAT 5); T4 (2025-10-01) is outside the 12 months, its CSAT 1 ignored; N3: 7;
    # V2 2026-10-16, V3 2026-09-01, V4 2026-08-10: 3 visits in 90 days -> a regular
    "C4": (1, 0, 5.0, 7, "passive", 3, True),
    "C5": NO_SERVICE,
    "K1": NO_SERVICE,
    # T1 (2026-09-01, closed the next day, CSAT 2); N4: 8; V5 on 2026-07-01 is 122 days ago
    "K2": (1, 0, 2.0, 8, "passive", 0, False),
    "K3": NO_SERVICE,
    # N6: 9
    "K4": (0, 0, None, 9, "promoter", 0, False),
    # N5: 6
    "K5": (0, 0, None, 6, "detractor", 0, False),
    "K6": NO_SERVICE,
}

NO_ORDER = (0.0, 0, 0.0, 0, None, None, None, None, 0)

# company_id: revenue_12m, orders_12m, lifetime_revenue, lifetime_orders, avg_order_value, avg_days_between_orders,
# share_services, customer_since, buying_contact_count
EXPECTED_COMPANY_PURCHASES = {
    "A1": NO_ORDER, "A2": NO_ORDER, "A3": NO_ORDER,
    # O1 (K2's, company A4): 1200.00 on 2025-01-15, a subscription
    "A4": (0.0, 0, 1200.0, 1, 1200.0, None, 1.0, "2025-01-15", 1),
    "A5": NO_ORDER, "A6": NO_ORDER,
    # O4 (no contact, `2026-09-01` = 2026-08-31 UTC) 250000 of services, O9 1000 (2025-11-01), O10 2000
    # (2025-10-30, outside the 12 months). 12m: 250000 + 1000 over 2 orders; lifetime 253000 / 3 = 84333.33; 305
    # days from 2025-10-30 to 2026-08-31 / 2 = 152.5; services and subscriptions 253000 / 253000; one buyer (K5)
    "A7": (251000.0, 2, 253000.0, 3, 84333.33, 152.5, 1.0, "2025-10-30", 1),
    "A8": NO_ORDER, "A9": NO_ORDER, "A10": NO_ORDER,
}

# company_id: engagement_level, engaged_contact_count, tickets_12m, open_tickets, avg_csat, nps_respondent_count,
# net_promoter_score, tech_level, equipped_product_count, equipment_rate, seat_usage_rate
EXPECTED_COMPANY_BEHAVIOUR = {
    # K1 never opened; 120 people, no equipment: rate 0
    "A1": ("never", 0, 0, 0, None, 0, None, None, 0, 0.0, None),
    # no people; no headcount (Sirene band only): rate null
    "A2": ("never", 0, 0, 0, None, 0, None, None, 0, None, None),
    "A3": ("never", 0, 0, 0, None, 0, None, None, 0, 0.0, None),
    # K2 dormant; T1 rated 2; K2 passive -> NPS 100 x (0 - 0) / 1 = 0; P1 advanced (3): high; 10 seats for 3 people
    # capped at 1; 4 active of 10
    "A4": ("dormant", 0, 1, 0, 2.0, 1, 0.0, "high", 1, 1.0, 0.4),
    # P2 basic (1) and P3 standard (2): 1.5 -> medium; 3 seats for 9 people = 0.3333; 3 active of 3
    "A5": ("never", 0, 0, 0, None, 0, None, "medium", 2, 0.3333, 1.0),
    "A6": ("never", 0, 0, 0, None, 0, None, None, 0, 0.0, None),
    # K5 occasional; K5 detractor -> -100; P3 standard: medium; no seat counts: 0 seats for 12000 people, usage null
    "A7": ("occasional", 0, 0, 0, None, 1, -100.0, "medium", 1, 0.0, None),
    "A8": ("never", 0, 0, 0, None, 0, None, None, 0, 0.0, None),
    "A9": ("never", 0, 0, 0, None, 0, None, None, 0, None, None),
    # K4 promoter -> 100; its P1 is installed on 2026-12-01, after the reference date: no equipment, rate 0
    "A10": ("never", 0, 0, 0, None, 1, 100.0, None, 0, 0.0, None),
}


def test_contact_purchasing_mode(clean_warehouse: Warehouse) -> None:
    assert _rows(clean_warehouse,
                 "select contact_id, revenue_12m, orders_12m, lifetime_revenue, lifetime_orders, avg_order_value, "
                 "avg_days_between_orders, share_services, favourite_category, lifestyle_affinities, "
                 "first_order_date, last_order_date, customer_since, tenure_days from marts.dim_contacts"
                 ) == EXPECTED_CONTACT_PURCHASES


def test_contact_rfm(clean_warehouse: Warehouse) -> None:
    assert _rows(clean_warehouse,
                 "select contact_id, days_since_last_order, recency_score, frequency_score, monetary_score, "
                 "rfm_segment from marts.dim_contacts") == EXPECTED_CONTACT_RFM


def test_contact_email_engagement(clean_warehouse: Warehouse) -> None:
    assert _rows(clean_warehouse,
                 "select contact_id, emails_delivered_90d, opens_90d, clicks_90d, last_open_at, last_click_at, "
                 "engagement_level from marts.dim_contacts") == EXPECTED_CONTACT_ENGAGEMENT


def test_contact_service_satisfaction_and_stores(clean_warehouse: Warehouse) -> None:
    assert _rows(clean_warehouse,
                 "select contact_id, tickets_12m, open_tickets, avg_csat, nps_score_last, nps_category, "
                 "store_visits_90d, is_store_regular from marts.dim_contacts") == EXPECTED_CONTACT_SERVICE


def test_company_purchasing_mode(clean_warehouse: Warehouse) -> None:
    assert _rows(clean_warehouse,
                 "select company_id, revenue_12m, orders_12m, lifetime_revenue, lifetime_orders, avg_order_value, "
                 "avg_days_between_orders, share_services, customer_since, buying_contact_count "
                 "from marts.dim_companies") == EXPECTED_COMPANY_PURCHASES


def test_company_engagement_service_and_equipment(clean_warehouse: Warehouse) -> None:
    assert _rows(clean_warehouse,
                 "select company_id, engagement_level, engaged_contact_count, tickets_12m, open_tickets, avg_csat, "
                 "nps_respondent_count, net_promoter_score, tech_level, equipped_product_count, equipment_rate, "
                 "seat_usage_rate from marts.dim_companies") == EXPECTED_COMPANY_BEHAVIOUR
