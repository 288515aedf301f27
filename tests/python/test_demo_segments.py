"""The behaviour segments on the demo build: each is populated (and is not everybody), and the members of
representative segments are exactly the contacts recomputed here, in SQL written independently of the segment
declarations (from the facts, or from other columns than the segment's filter uses), with the default vars of
dbt_project.yml."""
from __future__ import annotations

import math

import pytest

from conftest import DEMO_REFERENCE_DATE, Warehouse

REFERENCE = f"date '{DEMO_REFERENCE_DATE}'"

BEHAVIOUR_SEGMENTS = [
    "seg_rfm_champions", "seg_rfm_loyal", "seg_rfm_potential_loyalists", "seg_rfm_need_attention",
    "seg_rfm_at_risk", "seg_rfm_cannot_lose", "seg_rfm_win_back", "seg_engaged_openers",
    "seg_dormant_subscribers", "seg_dissatisfied_customers", "seg_service_buyers", "seg_new_customers",
    "seg_b2c_store_regulars", "seg_b2b_high_volume_accounts", "seg_b2b_frequent_buyers",
    "seg_b2b_under_equipped_accounts", "seg_b2b_low_seat_usage", "seg_b2b_low_tech_accounts",
]


def members(warehouse: Warehouse, segment: str) -> set[str]:
    return {row[0] for row in warehouse.query(f"select contact_id from segments.{segment}")}


def contacts(warehouse: Warehouse, sql: str) -> set[str]:
    return {row[0] for row in warehouse.query(sql)}


def contacts_of_accounts(warehouse: Warehouse, accounts_sql: str) -> set[str]:
    return contacts(warehouse, f"""
        select contact_id from marts.dim_contacts
        where company_id in ({accounts_sql})""")


@pytest.mark.parametrize("segment", BEHAVIOUR_SEGMENTS)
def test_behaviour_segment_is_populated_and_selective(demo_warehouse: Warehouse, segment: str) -> None:
    [(member_count, audience, criteria)] = demo_warehouse.query(
        f"select member_count, audience, criteria from segments.segment_catalog where segment_name = '{segment}'")
    base = demo_warehouse.query("select count(*) from marts.dim_contacts"
                                + ("" if audience == "all" else f" where customer_type = '{audience}'"))[0][0]
    assert 50 <= member_count <= base // 2, (segment, member_count, base)
    assert "{{" not in criteria and "var(" not in criteria  # the vars are rendered for marketers


def test_rfm_segments_follow_the_score_grid(demo_warehouse: Warehouse) -> None:
    """Group recomputed from the three scores with the grid of docs/DESIGN.md (not from rfm_segment)."""
    def group(recency: int, frequency: int, monetary: int) -> str:
        fm = math.ceil((frequency + monetary) / 2)
        grid = {
            5: {1: "new_customer", 2: "potential_loyalist", 3: "potential_loyalist", 4: "champions", 5: "champions"},
            4: {1: "promising", 2: "potential_loyalist", 3: "potential_loyalist", 4: "loyal", 5: "loyal"},
            3: {1: "about_to_sleep", 2: "about_to_sleep", 3: "need_attention", 4: "loyal", 5: "loyal"},
            2: {1: "hibernating", 2: "hibernating", 3: "at_risk", 4: "at_risk", 5: "cannot_lose"},
            1: {1: "lost", 2: "lost", 3: "at_risk", 4: "at_risk", 5: "cannot_lose"},
        }
        return grid[recency][fm]

    groups: dict[str, set[str]] = {}
    for contact_id, recency, frequency, monetary in demo_warehouse.query(
            "select contact_id, recency_score, frequency_score, monetary_score from marts.dim_contacts "
            "where recency_score is not null"):
        groups.setdefault(group(recency, frequency, monetary), set()).add(contact_id)
    expected = {
        "seg_rfm_champions": groups["champions"],
        "seg_rfm_loyal": groups["loyal"],
        "seg_rfm_potential_loyalists": groups["potential_loyalist"],
        "seg_rfm_need_attention": groups["need_attention"] | groups["about_to_sleep"],
        "seg_rfm_at_risk": groups["at_risk"],
        "seg_rfm_cannot_lose": groups["cannot_lose"],
        "seg_rfm_win_back": groups["hibernating"] | groups["lost"],
    }
    for segment, contact_ids in expected.items():
        assert members(demo_warehouse, segment) == contact_ids, segment


def test_frequent_b2b_buyers_recomputed_from_the_orders(demo_warehouse: Warehouse) -> None:
    """Accounts with >= 12 completed orders dated in the 365 days ending on the reference date, from fct_orders."""
    expected = contacts_of_accounts(demo_warehouse, f"""
        select company_id from marts.fct_orders
        where status = 'completed' and order_date between {REFERENCE} - 364 and {REFERENCE}
        group by company_id
        having count(*) >= 12""")
    assert expected
    assert members(demo_warehouse, "seg_b2b_frequent_buyers") == expected


def test_high_volume_accounts_recomputed_from_the_orders(demo_warehouse: Warehouse) -> None:
    """Accounts whose completed minus refunded totals in the 12 months reach 50,000 €, from fct_orders."""
    expected = contacts_of_accounts(demo_warehouse, f"""
        select company_id from marts.fct_orders
        where order_date between {REFERENCE} - 364 and {REFERENCE}
        group by company_id
        having sum(case status when 'completed' then total_amount when 'refunded' then -total_amount
                   else 0 end) >= 50000""")
    assert expected
    assert members(demo_warehouse, "seg_b2b_high_volume_accounts") == expected


def test_equipment_segments_recomputed_from_seats_and_headcount(demo_warehouse: Warehouse) -> None:
    under_equipped = contacts_of_accounts(demo_warehouse, """
        select company_id from marts.dim_companies
        where seats_purchased > 0 and employee_count > 0 and seats_purchased < 0.5 * employee_count""")
    assert members(demo_warehouse, "seg_b2b_under_equipped_accounts") == under_equipped
    low_usage = contacts_of_accounts(demo_warehouse, """
        select company_id from marts.dim_companies where seat_usage_rate < 0.5""")
    assert members(demo_warehouse, "seg_b2b_low_seat_usage") == low_usage
    low_tech = contacts_of_accounts(
        demo_warehouse, "select company_id from marts.dim_companies where tech_level = 'low'")
    assert members(demo_warehouse, "seg_b2b_low_tech_accounts") == low_tech


def test_person_segments_recomputed_from_other_columns(demo_warehouse: Warehouse) -> None:
    expected = {
        # first completed order in the 90 days ending on the reference date, from the dates (not tenure_days)
        "seg_new_customers": f"customer_since between {REFERENCE} - 89 and {REFERENCE}",
        # CSAT at most 2, or a latest NPS score of 6 or less (not nps_category)
        "seg_dissatisfied_customers": "avg_csat <= 2 or nps_score_last <= 6",
        # a click or two opens in 90 days (not engagement_level)
        "seg_engaged_openers": "clicks_90d > 0 or opens_90d >= 2",
        "seg_b2c_store_regulars": "customer_type = 'b2c' and store_visits_90d >= 3",
        "seg_service_buyers": "share_services >= 0.5",
    }
    for segment, predicate in expected.items():
        contact_ids = contacts(demo_warehouse, f"select contact_id from marts.dim_contacts where {predicate}")
        assert members(demo_warehouse, segment) == contact_ids, segment


def test_store_regulars_recomputed_from_the_visits(demo_warehouse: Warehouse) -> None:
    """Consumers with >= 3 visits dated in the 90 days ending on the reference date, the visit's (exported) contact
    id resolved to the person through contact_identity_map."""
    expected = contacts(demo_warehouse, f"""
        select people.contact_id
        from marts.fct_store_visits as visits
        inner join marts.contact_identity_map as identity on visits.contact_id = identity.contact_id
        inner join marts.dim_contacts as people on identity.surviving_contact_id = people.contact_id
        where people.customer_type = 'b2c' and visits.visit_date between {REFERENCE} - 89 and {REFERENCE}
        group by people.contact_id
        having count(*) >= 3""")
    assert expected
    assert members(demo_warehouse, "seg_b2c_store_regulars") == expected


def test_dormant_subscribers_recomputed_from_the_last_open_and_click(demo_warehouse: Warehouse) -> None:
    """Opted in, and the latest open or click (UTC date) 180 days or more before the reference date."""
    expected = contacts(demo_warehouse, f"""
        select contact_id from marts.dim_contacts
        where email_consent = 'opt_in'
            and cast(greatest(last_open_at, last_click_at) as date) <= {REFERENCE} - 180""")
    assert expected
    assert members(demo_warehouse, "seg_dormant_subscribers") == expected
