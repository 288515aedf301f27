"""Lawful emailing on the demo build, recomputed here independently of the models (pandas over the facts and staged
contacts, with the default vars of dbt_project.yml): who is suppressed and why, who is emailable, and the CNIL
retention clock of every person."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from conftest import DEMO_REFERENCE_DATE, Warehouse

REFERENCE = pd.Timestamp(DEMO_REFERENCE_DATE)
SOFT_BOUNCES = 3
RETENTION_YEARS = 3
NOTICE_DAYS = 90


def person_events(warehouse: Warehouse) -> pd.DataFrame:
    """Email events up to the reference date, with the person they belong to (contact id through the identity
    map, else an address held by exactly one person)."""
    return warehouse.frame(f"""
        with owners as (
            select email, min(contact_id) as contact_id from marts.contact_identity_map
            where is_survivor and email is not null group by email having count(*) = 1
        )
        select coalesce(identity.surviving_contact_id, owners.contact_id) as person, events.event_type,
               events.occurred_at, events.email
        from marts.fct_email_events as events
        left join marts.contact_identity_map as identity on events.contact_id = identity.contact_id
        left join owners on events.contact_id is null and events.email = owners.email
        where events.event_date <= date '{DEMO_REFERENCE_DATE}'""").dropna(subset=["person"])


def test_suppression_and_emailability_recomputed(demo_warehouse: Warehouse) -> None:
    people = demo_warehouse.frame("""
        select contact_id, customer_type, email, is_free_webmail, lifetime_orders, email_consent, consent_updated_at,
               email_legal_basis, suppression_reason, is_emailable
        from marts.dim_contacts""").set_index("contact_id")
    events = person_events(demo_warehouse)
    latest = events.groupby(["event_type", "person"]).occurred_at.max()

    def last(kind: str, person: str):
        return latest.get((kind, person))

    hard = events[events.event_type == "hard_bounce"].merge(
        people[["email"]].rename(columns={"email": "current"}), left_on="person", right_index=True)
    hard_on_current = set(hard[hard.email.isna() | (hard.email.str.lower() == hard.current.str.lower())].person)
    positives = events[events.event_type.isin(["delivered", "open", "click"])].groupby("person").occurred_at.max()
    soft = events[events.event_type == "soft_bounce"].copy()
    soft["since"] = soft.person.map(positives)
    run_lengths = soft[soft.since.isna() | (soft.occurred_at > soft.since)].groupby("person").size()

    expected_reasons, expected_basis = {}, {}
    for person, row in people.iterrows():
        if pd.isna(row.email):
            expected_reasons[person], expected_basis[person] = None, "none"
            continue
        unsubscribed = last("unsubscribe", person)
        if unsubscribed is not None and row.email_consent == "opt_in" and pd.notna(row.consent_updated_at) \
                and row.consent_updated_at > unsubscribed:
            unsubscribed = None
        reason = (
            "spam_complaint" if last("complaint", person) is not None
            else "unsubscribed" if unsubscribed is not None
            else "opted_out" if row.email_consent == "opt_out"
            else "hard_bounce" if person in hard_on_current
            else "repeated_soft_bounces" if run_lengths.get(person, 0) >= SOFT_BOUNCES
            else None
        )
        basis = (
            "consent" if row.email_consent == "opt_in"
            else "none" if row.email_consent == "opt_out"
            else "b2b_legitimate_interest" if row.customer_type == "b2b" and not row.is_free_webmail
            else "soft_opt_in" if row.customer_type == "b2c" and (row.lifetime_orders or 0) > 0
            else "none"
        )
        expected_reasons[person], expected_basis[person] = reason, basis

    actual_reasons = {p: (None if pd.isna(r) else r) for p, r in people.suppression_reason.items()}
    assert actual_reasons == expected_reasons
    assert people.email_legal_basis.to_dict() == expected_basis
    expected_emailable = {p: expected_reasons[p] is None and expected_basis[p] != "none" for p in people.index}
    assert people.is_emailable.to_dict() == expected_emailable
    # the demo has every reason but repeated soft bounces (those are in the unit test), and every basis
    assert {r for r in expected_reasons.values() if r} >= {"spam_complaint", "unsubscribed", "opted_out", "hard_bounce"}
    assert set(expected_basis.values()) == {"consent", "soft_opt_in", "b2b_legitimate_interest", "none"}
    assert 0.4 < sum(expected_emailable.values()) / len(people) < 0.95


def test_retention_clock_recomputed(demo_warehouse: Warehouse) -> None:
    w = demo_warehouse
    cut = f"date '{DEMO_REFERENCE_DATE}'"
    dates: dict[str, list[dt.date]] = {}

    def add(sql: str) -> None:
        for person, day in w.query(sql):
            if day is not None:
                dates.setdefault(person, []).append(day.date() if isinstance(day, dt.datetime) else day)

    add("""select identity.surviving_contact_id, cast(contacts.created_at as date)
           from staging.stg_crm__contacts as contacts
           join marts.contact_identity_map as identity using (contact_id)""")
    add(f"""select identity.surviving_contact_id, cast(contacts.consent_updated_at as date)
            from staging.stg_crm__contacts as contacts
            join marts.contact_identity_map as identity using (contact_id)
            where contacts.email_consent = 'opt_in' and cast(contacts.consent_updated_at as date) <= {cut}""")
    clicks = person_events(w)
    for person, at in clicks[clicks.event_type == "click"].groupby("person").occurred_at.max().items():
        dates.setdefault(person, []).append(at.date())
    add(f"select contact_id, opened_date from marts.fct_support_tickets where opened_date <= {cut}")
    add(f"select contact_id, response_date from marts.fct_nps_responses where response_date <= {cut}")
    add(f"""select identity.surviving_contact_id, visits.visit_date from marts.fct_store_visits as visits
            join marts.contact_identity_map as identity using (contact_id) where visits.visit_date <= {cut}""")
    add("select contact_id, last_order_date from marts.dim_contacts")
    add("""select people.contact_id, accounts.last_order_date from marts.dim_contacts as people
           join (select company_id, max(last_order_date) as last_order_date from marts.dim_contacts
                 where company_id is not null group by company_id) as accounts using (company_id)""")

    reference = dt.date.fromisoformat(DEMO_REFERENCE_DATE)
    rows = w.query("select contact_id, retention_expires_on, is_retention_due from marts.dim_contacts")
    due = 0
    for person, expires_on, is_due in rows:
        start = max(dates[person])
        try:
            expected = start.replace(year=start.year + RETENTION_YEARS)
        except ValueError:  # 29 February
            expected = start.replace(year=start.year + RETENTION_YEARS, day=28)
        assert expires_on == expected, (person, expires_on, expected)
        assert is_due == (expected <= reference + dt.timedelta(days=NOTICE_DAYS)), person
        due += is_due
    segment = {row[0] for row in w.query("select contact_id from segments.seg_retention_due")}
    assert len(segment) == due and 0 < due < len(rows) // 2
