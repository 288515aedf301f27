"""Segment membership history, size history, waterfall, overlap and the catalogue's value columns on the demo build.

History: the demo build is the first build (everyone entered). Two more builds on a copy of its warehouse change one
threshold only (var `high_volume_min_revenue_12m`: 50,000 -> 30,000 -> 80,000 €), so who enters and leaves
`seg_b2b_high_volume_accounts` is known from `dim_contacts.company_revenue_12m` alone, and every other segment
keeps its members."""
from __future__ import annotations

import shutil
from collections import Counter, defaultdict

import duckdb
import pytest

from conftest import DEMO_DIR, Warehouse, dbt_vars, run_dbt

HIGH_VOLUME = "seg_b2b_high_volume_accounts"
HISTORY_MODELS = "segment_membership segment_waterfall segment_catalog segment_membership_history segment_size_history"


def test_first_build_has_every_member_entered(demo_warehouse: Warehouse) -> None:
    sizes = demo_warehouse.query(
        "select segment_name, build_id, member_count, entered_count, left_count, stayed_count "
        "from segments.segment_size_history")
    catalogue = dict(demo_warehouse.query("select segment_name, member_count from segments.segment_catalog"))
    assert len({row[1] for row in sizes}) == 1
    assert {row[0]: row[2:] for row in sizes} == {name: (count, count, 0, 0) for name, count in catalogue.items()}
    spells = demo_warehouse.query(
        "select segment_name, contact_id from segments.segment_membership_history where valid_to is null")
    assert Counter(spells) == Counter(demo_warehouse.query(
        "select segment_name, contact_id from segments.segment_membership"))
    assert demo_warehouse.query("select count(*) from segments.segment_membership_history where valid_to is not null"
                                ) == [(0,)]


@pytest.fixture(scope="module")
def rebuilt(demo_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Builds 2 (threshold 30,000 €) and 3 (80,000 €) of the segments and their history on a copy of the demo
    warehouse; the membership of the high-volume segment after each build."""
    path = tmp_path_factory.mktemp("history") / "warehouse.duckdb"
    shutil.copy(demo_warehouse.path, path)
    members = {}

    def high_volume(connection: duckdb.DuckDBPyConnection) -> set[str]:
        return {row[0] for row in connection.execute(
            f"select contact_id from segments.segment_membership where segment_name = '{HIGH_VOLUME}'").fetchall()}

    with duckdb.connect(str(path), read_only=True) as connection:
        members[1] = high_volume(connection)
    for build, threshold in ((2, 30000), (3, 80000)):
        run_dbt(["build", "--select", HISTORY_MODELS, "--indirect-selection", "cautious", "--vars",
                 dbt_vars(DEMO_DIR, high_volume_min_revenue_12m=threshold)], env={"SEGMENTS_DUCKDB_PATH": str(path)})
        with duckdb.connect(str(path), read_only=True) as connection:
            members[build] = high_volume(connection)
    return {"path": path, "members": members}


def query(rebuilt: dict, sql: str) -> list[tuple]:
    with duckdb.connect(str(rebuilt["path"]), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_consecutive_builds_count_entered_left_and_stayed(rebuilt: dict) -> None:
    """Expected members from the accounts' revenue: build 1 >= 50,000, build 2 >= 30,000, build 3 >= 80,000; so
    build 2 adds the contacts of accounts in [30,000, 50,000) and build 3 drops those in [30,000, 80,000)."""
    revenue = dict(query(rebuilt, "select contact_id, company_revenue_12m from marts.dim_contacts "
                                  "where company_revenue_12m is not null"))
    expected = {build: {contact for contact, amount in revenue.items() if amount >= threshold}
                for build, threshold in ((1, 50000), (2, 30000), (3, 80000))}
    assert rebuilt["members"] == expected
    entered_2 = {c for c, amount in revenue.items() if 30000 <= amount < 50000}
    left_3 = {c for c, amount in revenue.items() if 30000 <= amount < 80000}
    assert entered_2 and left_3 and expected[3]
    builds = [row[0] for row in query(rebuilt, "select build_id from segments.segment_size_history "
                                               "group by build_id order by min(built_at)")]
    assert len(builds) == 3
    sizes = defaultdict(dict)
    for segment, build, members, entered, left, stayed in query(rebuilt, (
            "select segment_name, build_id, member_count, entered_count, left_count, stayed_count "
            "from segments.segment_size_history")):
        sizes[segment][builds.index(build) + 1] = (members, entered, left, stayed)
    assert sizes[HIGH_VOLUME] == {
        1: (len(expected[1]), len(expected[1]), 0, 0),
        2: (len(expected[2]), len(entered_2), 0, len(expected[1])),
        3: (len(expected[3]), 0, len(left_3), len(expected[3])),
    }
    for segment, by_build in sizes.items():
        if segment != HIGH_VOLUME:
            count = by_build[1][0]
            assert by_build == {1: (count, count, 0, 0), 2: (count, 0, 0, count), 3: (count, 0, 0, count)}, segment


def test_membership_history_keeps_the_spells(rebuilt: dict) -> None:
    """A contact of an account in [50,000, 80,000) was in the segment from build 1 to build 3; one in [30,000,
    50,000) from build 2 to build 3; one above 80,000 is still in it since build 1. Erasure deletes a person's
    rows by contact_id."""
    builds = {build: at for build, at in query(rebuilt, (
        "select build_id, min(built_at) from segments.segment_size_history group by build_id"))}
    order = sorted(builds.values())
    spells = defaultdict(list)
    for contact, valid_from, valid_to in query(rebuilt, (
            f"select contact_id, valid_from, valid_to from segments.segment_membership_history "
            f"where segment_name = '{HIGH_VOLUME}'")):
        spells[contact].append((order.index(valid_from) + 1, None if valid_to is None else order.index(valid_to) + 1))
    members = rebuilt["members"]
    assert {contact: spell for contact, spell in spells.items()} == {
        **{contact: [(1, 3)] for contact in members[1] - members[3]},
        **{contact: [(2, 3)] for contact in members[2] - members[1]},
        **{contact: [(1, None)] for contact in members[3]},
    }
    erased = sorted(members[3])[:2]
    with duckdb.connect(str(rebuilt["path"])) as connection:
        connection.execute("delete from segments.segment_membership_history where contact_id in (?, ?)", erased)
        assert connection.execute("select count(*) from segments.segment_membership_history "
                                  "where contact_id in (?, ?)", erased).fetchall() == [(0,)]


def test_waterfall_puts_each_member_in_their_first_segment(demo_warehouse: Warehouse) -> None:
    """Recomputed from the YAML priorities of the catalogue: lowest priority, ties by name (Python's order)."""
    priority = dict(demo_warehouse.query("select segment_name, priority from segments.segment_catalog"))
    assert len(priority) == len(set(priority)) and all(isinstance(value, int) for value in priority.values())
    segments_of = defaultdict(list)
    for segment, contact in demo_warehouse.query("select segment_name, contact_id from segments.segment_membership"):
        segments_of[contact].append(segment)
    expected = {contact: min(names, key=lambda name: (priority[name], name)) for contact, names in segments_of.items()}
    waterfall = dict(demo_warehouse.query("select contact_id, segment_name from segments.segment_waterfall"))
    assert waterfall == expected
    counts = dict(demo_warehouse.query("select segment_name, waterfall_count from segments.segment_catalog"))
    assert counts == {name: Counter(expected.values()).get(name, 0) for name in priority}
    assert sum(counts.values()) == len(segments_of)


def test_overlap_recomputed_from_the_membership(demo_warehouse: Warehouse) -> None:
    members = defaultdict(set)
    for segment, contact in demo_warehouse.query("select segment_name, contact_id from segments.segment_membership"):
        members[segment].add(contact)
    names = [row[0] for row in demo_warehouse.query("select segment_name from segments.segment_catalog")]
    overlap = {(a, b): (shared, share, jaccard) for a, b, shared, share, jaccard in demo_warehouse.query(
        "select segment_a, segment_b, shared_count, share_of_a, jaccard from segments.segment_overlap")}
    assert len(overlap) == len(names) * (len(names) - 1)
    for a in names:
        for b in names:
            if a == b:
                continue
            shared = len(members[a] & members[b])
            union = len(members[a] | members[b])
            got = overlap[a, b]
            assert got[0] == shared, (a, b)
            assert got[1] == (pytest.approx(shared / len(members[a])) if members[a] else None), (a, b)
            assert got[2] == (pytest.approx(shared / union) if union else None), (a, b)


def test_catalogue_values_count_each_account_once(demo_warehouse: Warehouse) -> None:
    """revenue_12m and predicted_value: consumers' own values plus each member account's once; reachable_count: the
    emailable members."""
    contacts = {row[0]: row[1:] for row in demo_warehouse.query(
        "select contact_id, customer_type, company_id, revenue_12m, predicted_clv_12m, company_revenue_12m, "
        "company_predicted_clv_12m, is_emailable from marts.dim_contacts")}
    members = defaultdict(set)
    for segment, contact in demo_warehouse.query("select segment_name, contact_id from segments.segment_membership"):
        members[segment].add(contact)
    catalogue = demo_warehouse.query(
        "select segment_name, reachable_count, revenue_12m, predicted_value from segments.segment_catalog")
    checked_b2b = 0
    for segment, reachable, revenue, predicted in catalogue:
        people = [contacts[contact] for contact in members[segment]]
        consumers = [person for person in people if person[0] == "b2c"]
        accounts = {person[1]: (person[4], person[5]) for person in people if person[1] is not None}
        expected_revenue = sum(person[2] for person in consumers) + sum(value for value, _ in accounts.values())
        predictions = [person[3] for person in consumers if person[3] is not None] + [
            value for _, value in accounts.values() if value is not None]
        assert reachable == sum(1 for person in people if person[6]), segment
        assert float(revenue) == pytest.approx(float(expected_revenue), abs=0.01), segment
        assert (predicted is None) == (not predictions), segment
        if predictions:
            assert float(predicted) == pytest.approx(float(sum(predictions)), abs=0.01), segment
        if len(accounts) < len([person for person in people if person[1] is not None]):
            checked_b2b += 1
    assert checked_b2b >= 10  # segments where several people of one account are members
