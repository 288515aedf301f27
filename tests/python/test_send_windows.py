"""Send windows (docs/DESIGN.md, "Send windows") on the demo build, against independent references.

- The SQL parser of opening hours (`opening_hours_slots`) gives, for every text of the demo and of the unit tests,
  the same open minutes of the week as `opening-hours-py`, a maintained OpenStreetMap parser (dev-time dependency).
- The holiday seed is what `segwarehouse.holiday_seed` writes, and holds dates known by hand.
- `next_send_at` of every demo contact equals a plain-Python scheduler run on the warehouse's weekly slots, the
  holiday seed and Python's own time zones (zoneinfo), and the demo build counts the account statuses it should.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import opening_hours
import pytest
import yaml
from conftest import PROJECT_ROOT, Warehouse

from segwarehouse import holiday_seed

UNIT_TESTS_YML = PROJECT_ROOT / "models" / "activation" / "_send_windows__unit_tests.yml"
WEEK_MINUTES = 7 * 1440
# A week without French public holiday, Monday to Monday.
PLAIN_WEEK = dt.datetime(2026, 6, 8)
# dbt_project.yml defaults
DEFAULT_SLOTS = [(day, 540, 1080) for day in range(1, 6)]  # default_opening_hours Mo-Fr 09:00-18:00
CONSUMER_DEFAULT_HOUR = 10
HORIZON_DAYS = 28


def week_mask_from_slots(slots: list[tuple[int, int, int]]) -> set[int]:
    """Open minutes of the week (0 = Monday 00:00) of weekly slots (ISO day, opens, closes after midnight)."""
    return {((day - 1) * 1440 + minute) % WEEK_MINUTES for day, opens, closes in slots for minute in range(opens, closes)}


def week_mask_from_osm(text: str) -> set[int]:
    """Open minutes of a week without public holiday according to opening-hours-py (evaluated from the week before,
    so that the night of the Sunday before counts)."""
    mask = set()
    evaluated = opening_hours.OpeningHours(text).intervals(PLAIN_WEEK - dt.timedelta(7), PLAIN_WEEK + dt.timedelta(7))
    for start, end, state, _ in evaluated:
        if state == opening_hours.State.OPEN:
            first = int((start - PLAIN_WEEK).total_seconds() // 60)
            mask.update(minute for minute in range(first, int((end - PLAIN_WEEK).total_seconds() // 60))
                        if 0 <= minute < WEEK_MINUTES)
    return mask


# Where the two parsers read a night past midnight differently (minutes of the week open for one of them only).
# Ours: a slot runs past midnight unless a *later* rule names the next day. opening-hours-py 2.1.4 also cuts it for an
# earlier rule naming the next day, and keeps the night after a Sunday that a later rule replaced.
KNOWN_DIFFERENCES = {
    "Tu 09:00-12:00; Mo 20:00-02:00": (set(range(1440, 1440 + 120)), set()),  # Tuesday 00:00-02:00: ours only
    "Tu-Su 10:00-01:00; Su 10:00-13:00": (set(), set(range(0, 60))),  # Monday 00:00-01:00: theirs only
}


def test_parser_agrees_with_opening_hours_py_on_the_demo_texts(demo_warehouse: Warehouse) -> None:
    texts = demo_warehouse.query(
        "select company_id, opening_hours from intermediate.int_account_opening_hours "
        "where opening_hours_status = 'parsed'")
    slots = defaultdict(list)
    for company_id, day, opens, closes in demo_warehouse.query(
            "select company_id, day_of_week, opens_at_minute, closes_at_minute from intermediate.int_account_open_slots"):
        slots[company_id].append((day, opens, closes))
    checked = {}
    for company_id, text in texts:
        mask = week_mask_from_slots(slots[company_id])
        assert mask == checked.setdefault(text, week_mask_from_osm(text)), text
    assert len(checked) >= 30 and {"24/7", "Tu-Su 10:00-01:00", "Mo-Fr 09:00-18:00; PH off"} <= set(checked)


def test_parser_unit_test_expectations_agree_with_opening_hours_py() -> None:
    """The hand-computed slots of the unit test `int_account_open_slots_weekly_model` are what the reference parser
    reads, for the texts both parsers accept (the reference also reads `sunrise-sunset`, out of our subset)."""
    [test] = [t for t in yaml.safe_load(UNIT_TESTS_YML.read_text())["unit_tests"]
              if t["name"] == "int_account_open_slots_weekly_model"]
    expected = defaultdict(list)
    for row in test["expect"]["rows"]:
        expected[row["company_id"]].append((row["day_of_week"], row["opens_at_minute"], row["closes_at_minute"]))
    compared = 0
    for row in test["given"][0]["rows"]:
        if row["company_id"] not in expected:
            continue
        try:
            reference = week_mask_from_osm(row["opening_hours"])
        except opening_hours.ParserError:  # lower case and en dash: tolerated by our parser only
            continue
        ours = week_mask_from_slots(expected[row["company_id"]])
        only_ours, only_theirs = KNOWN_DIFFERENCES.get(row["opening_hours"], (set(), set()))
        assert (ours - reference, reference - ours) == (only_ours, only_theirs), row["opening_hours"]
        compared += 1
    assert compared >= 7


def test_holiday_seed_is_what_the_script_writes() -> None:
    seed = (PROJECT_ROOT / "seeds" / "ref_french_public_holidays.csv").read_text(encoding="utf-8")
    assert seed == holiday_seed.seed_text(holiday_seed.holiday_rows())


def test_holiday_seed_known_dates() -> None:
    with (PROJECT_ROOT / "seeds" / "ref_french_public_holidays.csv").open(encoding="utf-8") as handle:
        rows = {(row["holiday_date"], row["scope"]) for row in csv.DictReader(handle)}
    # Easter Sunday: 2025-04-20, 2026-04-05, 2027-03-28 (Monday +1, Ascension +39, Whit Monday +50)
    known = {("2025-04-21", "FR"), ("2026-04-06", "FR"), ("2027-03-29", "FR"), ("2026-05-14", "FR"),
             ("2026-05-25", "FR"), ("2026-07-14", "FR"), ("2026-11-01", "FR"), ("2026-05-01", "FR"),
             ("2027-03-26", "57"), ("2027-03-26", "67"), ("2027-03-26", "68"), ("2026-12-26", "68"),
             ("2026-05-22", "972"), ("2026-05-27", "971"), ("2026-06-10", "973"), ("2026-12-20", "974"),
             ("2026-04-27", "976")}
    assert known <= rows
    # Good Friday and 26 December are not national holidays
    assert ("2026-04-03", "FR") not in rows and ("2026-12-26", "FR") not in rows
    assert {scope for _, scope in rows} == {"FR", "57", "67", "68", "971", "972", "973", "974", "976"}


def python_send_minute(slots, day0: dt.date, reference_minute: int, holidays: set[dt.date],
                       usual_hour: int | None) -> int | None:
    """The scheduling rule of `int_contact_send_windows`, written again in Python: minutes after local midnight of
    day 0 of the first moment of the usual hour inside an open slot, else of the next open slot. No slot opens on a
    holiday, and the night of the day before a holiday stops at midnight."""
    pieces = []
    for offset in range(-1, HORIZON_DAYS):
        day = day0 + dt.timedelta(offset)
        if day in holidays:
            continue
        for weekday, opens, closes in slots:
            if weekday != day.isoweekday():
                continue
            start, end, midnight = offset * 1440 + opens, offset * 1440 + closes, (offset + 1) * 1440
            for piece_start, piece_end, piece_day in ((start, min(end, midnight), offset), (midnight, end, offset + 1)):
                if day0 + dt.timedelta(piece_day) in holidays:
                    continue
                if piece_start < piece_end and piece_end > reference_minute:
                    pieces.append((max(piece_start, reference_minute), piece_end, piece_day))
    if usual_hour is not None:
        in_hour = [max(start, day * 1440 + 60 * usual_hour) for start, end, day in pieces
                   if start < day * 1440 + 60 * usual_hour + 60 and end > day * 1440 + 60 * usual_hour]
        if in_hour:
            return min(in_hour)
    return min((start for start, _, _ in pieces), default=None)


def test_next_send_at_matches_a_python_scheduler(demo_warehouse: Warehouse) -> None:
    [(reference,)] = demo_warehouse.query("select distinct send_reference_at from intermediate.int_contact_send_windows")
    assert reference == dt.datetime(2026, 10, 31, 8, 0)  # 2026-10-31 09:00 in Paris (winter time)
    accounts = {row[0]: row[1:] for row in demo_warehouse.query(
        "select company_id, opening_hours_status, department_code, observes_french_holidays "
        "from intermediate.int_account_opening_hours")}
    slots = defaultdict(list)
    for company_id, day, opens, closes in demo_warehouse.query(
            "select company_id, day_of_week, opens_at_minute, closes_at_minute from intermediate.int_account_open_slots"):
        slots[company_id].append((day, opens, closes))
    holidays = defaultdict(set)
    for day, scope in demo_warehouse.query("select holiday_date, scope from reference.ref_french_public_holidays"):
        holidays[scope].add(day)
    contacts = demo_warehouse.query(
        "select contact_id, company_id, send_timezone, usual_open_hour, next_send_at, send_window_basis "
        "from marts.dim_contacts")
    mismatches, bases = [], defaultdict(int)
    for contact_id, company_id, timezone, usual_hour, next_send_at, basis in contacts:
        local_reference = reference.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
        day0, reference_minute = local_reference.date(), local_reference.hour * 60 + local_reference.minute
        if company_id is None:
            hour = CONSUMER_DEFAULT_HOUR if usual_hour is None else usual_hour
            minute = 60 * hour + (1440 if 60 * hour < reference_minute else 0)
        else:
            status, department, observes = accounts[company_id]
            closed = (holidays["FR"] if observes else set()) | holidays.get(department, set())
            weekly = slots[company_id] if status == "parsed" else DEFAULT_SLOTS
            minute = python_send_minute(weekly, day0, reference_minute, closed, usual_hour)
        expected = None if minute is None else (
            (dt.datetime.combine(day0, dt.time()) + dt.timedelta(minutes=minute))
            .replace(tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC).replace(tzinfo=None))
        if expected != next_send_at:
            mismatches.append((contact_id, timezone, usual_hour, expected, next_send_at))
        bases[basis] += 1
    assert mismatches == []
    # every kind of send happens on the demo; 31 October is a Saturday and 1 November a holiday (Sunday)
    assert set(bases) == {"usual_open_hour", "next_open_slot", "default_hour"}, bases
    assert len(contacts) > 5000


def test_demo_accounts_statuses(demo_warehouse: Warehouse) -> None:
    """Every demo text is in the supported subset; accounts without hours are counted, not dropped."""
    statuses = dict(demo_warehouse.query(
        "select opening_hours_status, count(*) from intermediate.int_account_opening_hours group by 1"))
    [(companies,)] = demo_warehouse.query("select count(*) from staging.stg_crm__companies")
    [(without_text,)] = demo_warehouse.query(
        "select count(*) from staging.stg_crm__companies where opening_hours is null")
    assert sum(statuses.values()) == companies
    assert statuses.get("missing") == without_text > 0
    assert statuses.get("unparseable", 0) == 0 and statuses.get("never_open", 0) == 0
    overseas = demo_warehouse.query(
        "select distinct send_timezone from intermediate.int_account_opening_hours where department_code like '97%'")
    assert {"Indian/Reunion", "America/Martinique"} <= {name for (name,) in overseas}
