"""Behaviour of the demo data: catalogue, orders and their lines, equipment, emailing events, support tickets,
store visits and NPS answers, all driven by the latent profiles of contacts and accounts. The big files are
planned as compact numpy arrays, then formatted and written chunk by chunk."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from segwarehouse._gen_common import Context, business_seconds, pick, systematic_round
from segwarehouse._gen_companies import CHURNED, KEY, NEW, OCCASIONAL, REGULAR, Companies
from segwarehouse._gen_csv import (
    DAY, CsvWriter, Defect, FileFormat, Stream, bint, bmoney, bstrs, money, padded, set_value, strs, to_bytes,
)
from segwarehouse._gen_people import LAPSING, LOYAL, NEVER, NEW_CUSTOMER, ONE_OFF, UNHAPPY, People
from segwarehouse._gen_people import REGULAR as C_REGULAR
from segwarehouse._gen_reference import CATALOGUE, PRODUCT_TIERS, TICKET_CATEGORIES, TICKET_CHANNELS, TICKET_PRIORITIES

PLAIN = FileFormat()
NEVER_TIME = np.iinfo(np.int64).max


def _chunks(total: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, total)) for start in range(0, total, size)] or [(0, 0)]


# ------------------------------------------------------------------------------------------------------------------
# Catalogue
# ------------------------------------------------------------------------------------------------------------------
@dataclass
class Catalogue:
    ids: np.ndarray  # ids of the valid products
    category: np.ndarray
    product_type: np.ndarray  # "product" / "service" / "subscription"
    tech: np.ndarray  # 0 basic, 1 standard, 2 advanced
    price_cents: np.ndarray
    popularity: np.ndarray


def write_products(ctx: Context, out: Path, n_products: int, defects: list[Defect]) -> Catalogue:
    rng = ctx.rng("products")
    base = [(c, category, ptype, name, tech, price) for c, (category, ptype, items) in enumerate(CATALOGUE)
            for name, tech, price in items]
    rows = []
    for i in range(n_products):
        c, category, ptype, name, tech, price = base[i % len(base)]
        tier = i // len(base)
        suffix = PRODUCT_TIERS[tier % len(PRODUCT_TIERS)] if tier else ""
        factor = 1.0 if tier == 0 else [1.0, 1.1, 0.7, 1.25, 2.6][tier % 5]
        rows.append((c, category, ptype, name + suffix, ["basic", "standard", "advanced"].index(tech),
                     int(round(price * factor * 100 / 10)) * 10))
    category = np.array([r[0] for r in rows])
    tech = np.array([r[4] for r in rows])
    price = np.array([r[5] for r in rows], dtype=np.int64)
    popularity = np.exp(rng.normal(0, 0.7, len(rows))) * (price / 10_000.0) ** -0.5  # cheap items sell more
    writer = CsvWriter(out / "products.csv", ["product_id", "product_name", "category", "product_type",
                                              "technology_level", "list_price"],
                       ["product_id", "product_name", "category", "product_type", "technology_level", "list_price"],
                       FileFormat(delimiter=";", encoding="latin-1", newline="\r\n"), ["product_name", "category"])
    stream = Stream(ctx.log, "products.csv", writer, defects, [len(rows)], rng, "product_id", "PRD-", 4, binary=False)
    layout = stream.layout(len(rows))
    ids = stream.valid_ids(layout)
    stream.write(layout, {
        "product_name": strs(r[3] for r in rows), "category": strs(r[1] for r in rows),
        "product_type": strs(r[2] for r in rows), "technology_level": strs(["basic", "standard", "advanced"])[tech],
        "list_price": money(price, ","),
    })
    stream.close()
    return Catalogue(ids=ids, category=category, product_type=np.array([r[2] for r in rows]), tech=tech,
                     price_cents=price, popularity=popularity)


def product_defects() -> list[Defect]:
    return [
        Defect("value_not_allowed", "product_type", set_value("product_type", "bundle")),
        Defect("negative_amount", "list_price", set_value("list_price", "-19,90")),
        Defect("duplicate_key", "product_id", set_value("list_price", "0,00"), duplicate=True),
        Defect("unparseable_decimal", "list_price", set_value("list_price", "gratuit")),
        Defect("missing_required_value", "product_id", set_value("product_id", "")),
    ]


# ------------------------------------------------------------------------------------------------------------------
# Who buys when
# ------------------------------------------------------------------------------------------------------------------
@dataclass
class OrderPlan:
    """Every valid order, sorted by time: its buyer person (-1 none) and account row (-1 none)."""

    time: np.ndarray
    person: np.ndarray
    company: np.ndarray
    first_order: np.ndarray  # per person, seconds (NEVER_TIME when none)
    last_order: np.ndarray
    n_orders: np.ndarray  # per person
    window_end: np.ndarray  # per person: end of the active period


def plan_orders(ctx: Context, companies: Companies, people: People, n_orders: int) -> OrderPlan:
    rng = ctx.rng("order-plan")
    P = people.n_people
    hs, ref = ctx.history_start_day * DAY, ctx.ref_second
    consumer = ~people.b2b[:P]
    prof = people.profile[:P]
    # Consumers who buy.
    c_base = {ONE_OFF: (1, 1), C_REGULAR: (5, 2), LOYAL: (12, 3), LAPSING: (4, 2), NEW_CUSTOMER: (1.5, 1), UNHAPPY: (4, 1)}
    buyers_c = np.flatnonzero(consumer & (prof != NEVER))
    start_c = np.maximum(people.created[buyers_c], hs) + 3600
    end_c = np.full(buyers_c.size, ref - 3600, dtype=np.int64)
    lapsing = prof[buyers_c] == LAPSING
    lapse_at = start_c + ((ref - 200 * DAY - start_c) * rng.uniform(0.3, 1.0, buyers_c.size)).astype(np.int64)
    end_c = np.where(lapsing, np.maximum(lapse_at, start_c + 60 * DAY), end_c)
    weight_c = np.array([c_base[p][0] for p in prof[buyers_c]], dtype=float)
    min_c = np.array([c_base[p][1] for p in prof[buyers_c]])
    fixed_c = prof[buyers_c] == ONE_OFF
    # Accounts that buy.
    a_base = {KEY: (25, 5), REGULAR: (10, 2), OCCASIONAL: (3, 1), CHURNED: (6, 2), NEW: (2, 1)}
    valid = np.flatnonzero(companies.valid)
    buyers_a = valid[np.isin(companies.profile[valid], list(a_base))]
    start_a = np.maximum(companies.created[buyers_a], hs) + 3600
    end_a = np.full(buyers_a.size, ref - 3600, dtype=np.int64)
    churned = companies.profile[buyers_a] == CHURNED
    end_a = np.where(churned, np.maximum(ref - rng.integers(250, 700, buyers_a.size) * DAY, start_a + 90 * DAY), end_a)
    weight_a = np.array([a_base[p][0] for p in companies.profile[buyers_a]], dtype=float) \
        * (companies.headcount[buyers_a] + 1) ** 0.2
    min_a = np.array([a_base[p][1] for p in companies.profile[buyers_a]])

    start = np.concatenate([start_c, start_a])
    end = np.minimum(np.concatenate([end_c, end_a]), ref - 3600)
    years = np.clip((end - start) / (365 * DAY), 0.1, 3.0)
    weight = np.concatenate([weight_c, weight_a]) * np.exp(rng.normal(0, 0.5, start.size)) * years ** 0.8
    minimum = np.concatenate([min_c, min_a])
    fixed = np.concatenate([fixed_c, np.zeros(buyers_a.size, bool)])
    if minimum.sum() <= n_orders:
        counts = minimum + np.where(fixed, 0, systematic_round(np.where(fixed, 0, weight), n_orders - minimum.sum(), rng))
    else:
        counts = systematic_round(np.where(fixed, 1.0, weight), n_orders, rng)
    buyer = np.repeat(np.arange(start.size), counts)
    time = start[buyer] + ((end - start)[buyer] * rng.random(buyer.size)).astype(np.int64)
    # Seasonal buyers: a third of the regular consumers buy only in the gift season (20 November - 31 December).
    seasonal = np.concatenate([(prof[buyers_c] == C_REGULAR) & (rng.random(buyers_c.size) < 1 / 3),
                               np.zeros(buyers_a.size, bool)])
    time = np.where(seasonal[buyer], _gift_season(time, start[buyer], end[buyer], rng), time)
    is_account = buyer >= buyers_c.size
    person = np.where(is_account, -1, buyers_c[np.minimum(buyer, buyers_c.size - 1)] if buyers_c.size else -1)
    company = np.where(is_account, buyers_a[np.maximum(buyer - buyers_c.size, 0)] if buyers_a.size else -1, -1)
    # The contact who placed a B2B order: one of the account's contacts (none for 15%).
    first_person, n_people_of = _account_people(people, companies.n)
    acc = np.maximum(company, 0)
    has_contact = is_account & (n_people_of[acc] > 0) & (rng.random(buyer.size) < 0.85)
    chosen = first_person[acc] + np.floor(rng.random(buyer.size) * np.maximum(n_people_of[acc], 1)).astype(np.int64)
    has_contact &= people.created[np.minimum(chosen, people.n_people - 1)] <= time
    person = np.where(has_contact, chosen, person)
    order = np.argsort(time, kind="stable")
    time, person, company = time[order], person[order], company[order]

    first_order = np.full(P, NEVER_TIME)
    last_order = np.zeros(P, dtype=np.int64)
    has = person >= 0
    np.minimum.at(first_order, person[has], time[has])
    np.maximum.at(last_order, person[has], time[has])
    n_per_person = np.bincount(person[has], minlength=P)
    window_end = np.full(P, ref - 3600, dtype=np.int64)
    window_end[buyers_c] = end_c
    return OrderPlan(time=time, person=person, company=company, first_order=first_order, last_order=last_order,
                     n_orders=n_per_person, window_end=window_end)


def _gift_season(time: np.ndarray, lower: np.ndarray, upper: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each time moved to a random moment of a gift season (20 November - 31 December): the season of its own year
    or of the year before, whichever lies within [lower, upper); the time itself when neither does."""
    year = (time // DAY).astype("datetime64[D]").astype("datetime64[Y]")  # day numbers count from 1970-01-01
    moved = time
    for back in (0, 1):
        season = (year - back).astype("datetime64[D]") + np.timedelta64(323, "D")  # 20 Nov (21 in leap years)
        offset = season.astype(np.int64) * DAY
        candidate = offset + (rng.random(time.size) * 42 * DAY).astype(np.int64)
        fits = (candidate >= lower) & (candidate < upper) & (moved == time)
        moved = np.where(fits, candidate, moved)
    return moved


def _account_people(people: People, n_company_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """First person index and number of persons of each account (B2B persons come in blocks per account)."""
    P = people.n_people
    rows = people.company_row[:P]
    b2b = np.flatnonzero(rows >= 0)
    count = np.bincount(rows[b2b], minlength=n_company_rows)
    first = np.zeros(n_company_rows, dtype=np.int64)
    if b2b.size:
        starts = np.flatnonzero(np.r_[True, rows[b2b][1:] != rows[b2b][:-1]])
        first[rows[b2b][starts]] = b2b[starts]
    return first, count


# ------------------------------------------------------------------------------------------------------------------
# Stores and contact ids
# ------------------------------------------------------------------------------------------------------------------
@dataclass
class Stores:
    ids: np.ndarray
    home: np.ndarray  # per person


def make_stores(ctx: Context, people: People, n_consumers: int) -> Stores:
    rng = ctx.rng("stores")
    geo = ctx.geo
    n_stores = int(np.clip(round(n_consumers / 150), 8, 400))
    store_dept = rng.choice(geo.weights.size, size=n_stores, p=geo.weights)
    ids = padded(np.arange(1, n_stores + 1) * 3 + 1, 4)  # shop numbers like 0004, 0007...
    place = people.place
    dept = np.where(place >= 0, geo.place_dept[np.maximum(place, 0)], -1)
    home = rng.integers(n_stores, size=place.size)
    region_of_store = geo.region[store_dept]
    for d in np.unique(dept[dept >= 0]):
        persons = np.flatnonzero(dept == d)
        local = np.flatnonzero(store_dept == d)
        if local.size == 0:
            local = np.flatnonzero(region_of_store == geo.region[d])
        if local.size:
            home[persons] = local[rng.integers(local.size, size=persons.size)]
    return Stores(ids=ids, home=home)


@dataclass
class Refs:
    """Identifiers and addresses the activity files point at, as UTF-8 bytes."""

    contact: np.ndarray  # per person: id of the person's first row
    duplicate: np.ndarray  # per duplicated person (People.dup_of): id of the second row
    email: np.ndarray  # per person
    company: np.ndarray  # per row of companies.csv
    product: np.ndarray  # per valid product
    store: np.ndarray

    @classmethod
    def of(cls, people: People, contact_ids: np.ndarray, dup_ids: np.ndarray, companies: Companies,
           catalogue: Catalogue, stores: Stores) -> "Refs":
        return cls(to_bytes(contact_ids), to_bytes(dup_ids), to_bytes(people.email[: people.n_people]),
                   to_bytes(companies.ids), to_bytes(catalogue.ids), to_bytes(stores.ids))


def contact_ids_at(people: People, refs: Refs, person: np.ndarray, time: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """Contact id under which an activity of `person` at `time` was recorded: a duplicated person's activity after
    the duplicate was created goes half of the time to the duplicate row."""
    out = np.where(person >= 0, refs.contact[np.maximum(person, 0)], b"")
    if people.dup_of.size:
        dup_index = np.full(people.n_people, -1)
        dup_index[people.dup_of] = np.arange(people.dup_of.size)
        d = np.where(person >= 0, dup_index[np.maximum(person, 0)], -1)
        use_dup = (d >= 0) & (time >= people.dup_created[np.maximum(d, 0)]) & (rng.random(person.size) < 0.5)
        out = np.where(use_dup, refs.duplicate[np.maximum(d, 0)], out)
    return out


# ------------------------------------------------------------------------------------------------------------------
# Orders and lines
# ------------------------------------------------------------------------------------------------------------------
ORDER_COLUMNS = ["order_id", "contact_id", "company_id", "ordered_at", "channel", "store_id", "status", "currency",
                 "total_amount"]
LINE_COLUMNS = ["order_id", "line_number", "product_id", "quantity", "unit_price", "discount_amount"]
B2C_CATEGORY_WEIGHTS = [3, 2, 3, 1.5, 1, 3, 3, 3, 0.5, 1.2, 1.2, 1.5, 0.8]
B2B_CATEGORY_WEIGHTS = [3, 2.5, 2, 2.5, 2, 1, 0.3, 1, 1.5, 3, 2.5, 2.5, 1.5]


def order_defects(unknown_contact: str, unknown_company: str) -> list[Defect]:
    return [
        Defect("missing_required_value", "order_id", set_value("order_id", "")),
        Defect("duplicate_key", "order_id", set_value("status", "completed"), duplicate=True),
        Defect("negative_amount", "total_amount", set_value("total_amount", "-50.00")),
        Defect("no_customer", "contact_id", set_value("contact_id", "", company_id="")),
        Defect("unknown_reference", "contact_id", set_value("contact_id", unknown_contact, company_id="")),
        Defect("value_not_allowed", "status", set_value("status", "pending")),
        Defect("unparseable_timestamp", "ordered_at", set_value("ordered_at", "hier")),
        Defect("unparseable_decimal", "total_amount", set_value("total_amount", "abc")),
        Defect("missing_required_value", "ordered_at", set_value("ordered_at", "")),
        Defect("unknown_reference", "company_id", set_value("company_id", unknown_company, contact_id="")),
        Defect("missing_required_value", "total_amount", set_value("total_amount", "")),
        Defect("value_not_allowed", "channel", set_value("channel", "fax")),
        Defect("unparseable_timestamp", "ordered_at", set_value("ordered_at", "2025-02-30 12:00:00")),
        Defect("unparseable_decimal", "total_amount", set_value("total_amount", "12.5.3")),
    ]


def line_defects(unknown_order: str, unknown_product: str) -> list[Defect]:
    return [
        Defect("unknown_reference", "product_id", set_value("product_id", unknown_product)),
        Defect("duplicate_key", "order_id", set_value("discount_amount", "0.00"), duplicate=True),
        Defect("negative_amount", "quantity", set_value("quantity", "-2")),
        Defect("missing_required_value", "product_id", set_value("product_id", "")),
        Defect("unparseable_integer", "line_number", set_value("line_number", "deux")),
        Defect("unparseable_decimal", "unit_price", set_value("unit_price", "abc")),
        Defect("unknown_reference", "order_id", set_value("order_id", unknown_order)),
        Defect("missing_required_value", "line_number", set_value("line_number", "")),
        Defect("negative_amount", "unit_price", set_value("unit_price", "-10.00")),
        Defect("unparseable_decimal", "quantity", set_value("quantity", "1,5,0")),
    ]


def write_orders(ctx: Context, out: Path, plan: OrderPlan, companies: Companies, people: People, catalogue: Catalogue,
                 stores: Stores, refs: Refs, o_defects: list[Defect], l_defects: list[Defect], chunk: int) -> int:
    rng = ctx.rng("orders")
    n = plan.time.size
    chunks = _chunks(n, chunk)
    orders = Stream(ctx.log, "orders.csv", CsvWriter(out / "orders.csv", ORDER_COLUMNS, ORDER_COLUMNS, PLAIN),
                    o_defects, [b - a for a, b in chunks], ctx.rng("orders-broken"), "order_id", "OR", 8)
    lines = Stream(ctx.log, "order_lines.csv",
                   CsvWriter(out / "order_lines.csv", LINE_COLUMNS, LINE_COLUMNS, PLAIN),
                   l_defects, [int((b - a) * 2.5) for a, b in chunks], ctx.rng("lines-broken"),
                   rekey=lambda row, k: row.update(line_number=str(int(row["line_number"]) + 100 + k)))
    n_cat = len(CATALOGUE)
    by_category = [np.flatnonzero(catalogue.category == c) for c in range(n_cat)]
    cum_pop = [np.cumsum(catalogue.popularity[idx]) / catalogue.popularity[idx].sum() if idx.size else np.ones(1)
               for idx in by_category]
    subscription = catalogue.product_type == "subscription"
    n_lines_total = 0
    for (a, b), k in zip(chunks, range(len(chunks))):
        crng = ctx.rng("orders-chunk", k)
        t = plan.time[a:b]
        person = plan.person[a:b]
        company = plan.company[a:b]
        m = b - a
        is_b2b = company >= 0
        unhappy = np.where(person >= 0, people.unhappy[np.maximum(person, 0)], False)
        p_store = np.where(person >= 0, people.p_store[np.maximum(person, 0)], 0.05)
        u = crng.random(m)
        channel = np.where(is_b2b, pick(crng, m, [0.05, 0.35, 0.2, 0.4]),
                           np.where(u < p_store, 0, np.where(crng.random(m) < 0.95, 1, 2)))
        day = t // DAY
        weekday = (day + 3) % 7
        store_day = day - (weekday == 6)  # no store order on Sunday
        tod = np.select([channel == 0, channel == 1], [crng.uniform(9.5, 19.25, m), 7 + 16 * crng.random(m) ** 0.8],
                        crng.uniform(9, 18, m))
        tod_s = (tod * 3600).astype(np.int64)
        day = np.where(channel == 0, store_day, np.where(channel >= 2, day - np.where(weekday == 5, 1, 0)
                                                          - np.where(weekday == 6, 2, 0), day))
        time = ctx.calendar.fix_dst_gap(day * DAY + tod_s)
        created = np.where(person >= 0, people.created[np.maximum(person, 0)], companies.created[np.maximum(company, 0)])
        time = np.minimum(np.maximum(time, created + 600), ctx.ref_second - 60)
        status = np.where(crng.random(m) < np.where(unhappy, 0.09, 0.03), 1, 0)
        status = np.where((status == 0) & (crng.random(m) < np.where(unhappy, 0.08, 0.025)), 2, status)
        home = np.where(person >= 0, stores.home[np.maximum(person, 0)], crng.integers(refs.store.size, size=m))
        store = np.where(crng.random(m) < 0.88, home, crng.integers(refs.store.size, size=m))

        # Lines.
        n_lines = np.minimum(1 + crng.poisson(np.where(is_b2b, 1.9, 1.2)), 8)
        owner = np.repeat(np.arange(m), n_lines)
        line_no = np.arange(owner.size) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines) + 1
        fav = np.where(person[owner] >= 0, people.favourite_category[np.maximum(person[owner], 0)],
                       crng.integers(n_cat, size=owner.size))
        seg = np.where(is_b2b[owner], crng.choice(n_cat, size=owner.size, p=_norm(B2B_CATEGORY_WEIGHTS)),
                       crng.choice(n_cat, size=owner.size, p=_norm(B2C_CATEGORY_WEIGHTS)))
        cat_ = np.where(crng.random(owner.size) < 0.45, fav, seg)
        product = np.empty(owner.size, dtype=np.int64)
        r = crng.random(owner.size)
        for c in range(n_cat):
            rows = np.flatnonzero(cat_ == c)
            if rows.size and by_category[c].size:
                product[rows] = by_category[c][np.minimum(np.searchsorted(cum_pop[c], r[rows]), by_category[c].size - 1)]
            elif rows.size:
                product[rows] = crng.integers(refs.product.size, size=rows.size)
        headcount = np.where(company[owner] >= 0, companies.headcount[np.maximum(company[owner], 0)], 0)
        qty = np.where(is_b2b[owner],
                       np.where(subscription[product], np.maximum(1, np.minimum(headcount, crng.integers(1, 60, owner.size))),
                                1 + crng.geometric(0.45, owner.size) - 1),
                       pick(crng, owner.size, [0.85, 0.12, 0.03]) + 1)
        list_price = catalogue.price_cents[product]
        promo = crng.random(owner.size) < 0.2
        unit = np.where(promo, np.round(list_price * crng.uniform(0.85, 1.05, owner.size) / 10) * 10, list_price).astype(np.int64)
        gross = unit * qty
        discount = np.where(crng.random(owner.size) < 0.15, np.round(gross * crng.uniform(0.05, 0.2, owner.size)), 0).astype(np.int64)
        total = np.bincount(owner, weights=gross - discount, minlength=m).astype(np.int64)

        layout = orders.layout(m)
        order_ids = orders.valid_ids(layout)
        with_offset = (channel == 1) & (crng.random(m) < 0.3)
        orders.write(layout, {
            "contact_id": contact_ids_at(people, refs, person, time, crng),
            "company_id": np.where(company >= 0, refs.company[np.maximum(company, 0)], b""),
            "ordered_at": ctx.calendar.iso_ts_b(time, with_offset),
            "channel": bstrs(["store", "web", "phone", "sales_rep"])[channel],
            "store_id": np.where(channel == 0, refs.store[store], b""),
            "status": bstrs(["completed", "cancelled", "refunded"])[status],
            "currency": np.where(crng.random(m) < 0.95, b"EUR", b""),
            "total_amount": bmoney(total),
        })
        line_layout = lines.layout(owner.size)
        lines.write(line_layout, {
            "order_id": order_ids[owner], "line_number": bint(line_no),
            "product_id": refs.product[product], "quantity": bint(qty), "unit_price": bmoney(unit),
            "discount_amount": bmoney(discount),
        })
        n_lines_total += owner.size
    orders.close()
    lines.close()
    return n_lines_total


def _norm(weights: list[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


# ------------------------------------------------------------------------------------------------------------------
# Equipment
# ------------------------------------------------------------------------------------------------------------------
EQUIPMENT_COLUMNS = ["company_id", "product_id", "installed_date", "seats_purchased", "seats_active", "last_used_at"]


def equipment_defects(unknown_company: str, unknown_product: str) -> list[Defect]:
    def more_active(row: dict[str, str]) -> None:
        row["seats_active"] = str(int(row["seats_purchased"]) + 3)

    return [
        Defect("out_of_range", "seats_active", more_active),
        Defect("duplicate_key", "company_id", set_value("last_used_at", ""), duplicate=True),
        Defect("negative_amount", "seats_active", set_value("seats_active", "-1")),
        Defect("missing_required_value", "product_id", set_value("product_id", "")),
        Defect("unknown_reference", "company_id", set_value("company_id", unknown_company)),
        Defect("unparseable_date", "installed_date", set_value("installed_date", "2024-02-30")),
        Defect("unparseable_integer", "seats_purchased", set_value("seats_purchased", "dix", seats_active="")),
        Defect("unparseable_timestamp", "last_used_at", set_value("last_used_at", "hier")),
        Defect("unknown_reference", "product_id", set_value("product_id", unknown_product)),
        Defect("missing_required_value", "company_id", set_value("company_id", "")),
    ]


def write_equipment(ctx: Context, out: Path, companies: Companies, catalogue: Catalogue, refs: Refs, n_rows: int,
                    defects: list[Defect], chunk: int) -> int:
    rng = ctx.rng("equipment")
    valid = np.flatnonzero(companies.valid)
    accounts = valid[np.isin(companies.profile[valid], [KEY, REGULAR, OCCASIONAL, CHURNED, NEW])]
    eligible = np.flatnonzero(catalogue.product_type != "service")
    factor = {KEY: 4.0, REGULAR: 2.0, OCCASIONAL: 1.0, CHURNED: 1.5, NEW: 1.0}
    weight = np.array([factor[p] for p in companies.profile[accounts]]) * (companies.headcount[accounts] + 2) ** 0.3 \
        * (0.5 + companies.tech[accounts])
    per_account = np.minimum(systematic_round(weight, n_rows, rng), eligible.size)
    accounts, per_account = accounts[per_account > 0], per_account[per_account > 0]
    tech_pref = catalogue.tech[eligible] / 2.0
    batches = _chunks(accounts.size, max(1, chunk // 8))
    sizes = [int(per_account[a:b].sum()) for a, b in batches]
    unequipped = companies.ids[np.setdiff1d(valid, accounts)]  # prospects: broken copies move there
    stream = Stream(ctx.log, "equipment.csv",
                    CsvWriter(out / "equipment.csv", EQUIPMENT_COLUMNS, EQUIPMENT_COLUMNS, PLAIN),
                    defects, sizes, ctx.rng("equipment-broken"),
                    rekey=lambda row, k: row.update(company_id=str(unequipped[k % max(unequipped.size, 1)])))
    written = 0
    for k, (a, b) in enumerate(batches):
        crng = ctx.rng("equipment-chunk", k)
        acc = accounts[a:b]
        count = per_account[a:b]
        affinity = companies.tech[acc][:, None] * tech_pref[None, :] * 3 + np.log(catalogue.popularity[eligible])[None, :]
        keys = affinity + crng.gumbel(size=(acc.size, eligible.size))
        ranked = np.argsort(-keys, axis=1)
        take = np.arange(eligible.size)[None, :] < count[:, None]
        row_acc = np.repeat(acc, count)
        product = eligible[ranked[take]]
        m = row_acc.size
        profile = companies.profile[row_acc]
        headcount = companies.headcount[row_acc]
        sub = catalogue.product_type[product] == "subscription"
        purchased = np.where(sub, np.maximum(1, np.round((headcount + 1) ** 0.8 * crng.uniform(0.2, 1.0, m))),
                             1 + crng.poisson(np.sqrt(headcount + 1))).astype(np.int64)
        purchased = np.minimum(purchased, 5000)
        usage = np.select([profile == KEY, profile == REGULAR, profile == OCCASIONAL, profile == CHURNED],
                          [crng.uniform(0.8, 1.0, m), crng.uniform(0.6, 1.0, m), crng.uniform(0.4, 0.9, m),
                           crng.uniform(0.0, 0.4, m)], crng.uniform(0.3, 0.9, m))
        active = np.floor(purchased * usage).astype(np.int64)
        created_day = companies.created[row_acc] // DAY
        installed = created_day + ((ctx.ref_day - 1 - created_day) * crng.random(m) ** 0.7).astype(np.int64)
        end = np.where(profile == CHURNED, ctx.ref_second - crng.integers(200, 600, m) * DAY, ctx.ref_second - 3600)
        last_used = np.maximum(end - (crng.exponential(5, m) * DAY).astype(np.int64), installed * DAY + 3600)
        last_used = np.minimum(ctx.calendar.fix_dst_gap(last_used), ctx.ref_second - 60)
        has_use = (active > 0) & (crng.random(m) < 0.92)
        layout = stream.layout(m)
        stream.write(layout, {
            "company_id": refs.company[row_acc], "product_id": refs.product[product],
            "installed_date": ctx.calendar.iso_date_b(installed), "seats_purchased": bint(purchased),
            "seats_active": bint(active), "last_used_at": np.where(has_use, ctx.calendar.iso_ts_b(last_used), b""),
        })
        written += m
    stream.close()
    return written


# ------------------------------------------------------------------------------------------------------------------
# Emailing
# ------------------------------------------------------------------------------------------------------------------
EVENT_COLUMNS = ["event_id", "contact_id", "email", "campaign_id", "event_type", "occurred_at"]
EVENT_TYPES = ["sent", "delivered", "open", "click", "soft_bounce", "hard_bounce", "unsubscribe", "complaint"]


@dataclass
class EmailPlan:
    campaign_ids: np.ndarray
    campaign_time: np.ndarray
    person: np.ndarray  # per send
    campaign: np.ndarray
    offset: np.ndarray  # seconds after the campaign start
    outcome: np.ndarray  # 1 delivered, 4 soft bounce, 5 hard bounce
    n_open: np.ndarray
    n_click: np.ndarray
    unsubscribe: np.ndarray
    complaint: np.ndarray
    max_events: np.ndarray
    unsub_time: np.ndarray  # per send: time of its unsubscribe event (0 when none)
    unsubscribed_at: np.ndarray  # per person: time of the unsubscribe event, -1 when none


def plan_emails(ctx: Context, people: People, plan: OrderPlan, n_events: int) -> EmailPlan:
    rng = ctx.rng("email-plan")
    P = people.n_people
    hs, ref = ctx.history_start_day * DAY, ctx.ref_second
    # Campaigns: a weekly consumer newsletter (Tuesday or Thursday, 10:00) and a fortnightly B2B letter (Tuesday, 9:30).
    first_monday = ctx.history_start_day + (7 - (ctx.history_start_day + 3) % 7) % 7
    weeks = np.arange(first_monday, ctx.ref_day - 4, 7)
    b2c_days = weeks + np.where(np.arange(weeks.size) % 2 == 0, 1, 3)
    b2b_days = weeks[::2] + 1
    times = np.concatenate([b2c_days * DAY + 10 * 3600, b2b_days * DAY + 9 * 3600 + 1800])
    audience_b2b = np.concatenate([np.zeros(b2c_days.size, bool), np.ones(b2b_days.size, bool)])
    keep = times < ref - 3 * DAY
    times, audience_b2b = times[keep], audience_b2b[keep]
    order = np.argsort(times, kind="stable")
    times, audience_b2b = times[order], audience_b2b[order]
    labels = []
    counters: dict[tuple[str, int], int] = {}
    for t, b in zip(times, audience_b2b):
        year = (dt.date(1970, 1, 1) + dt.timedelta(days=int(t // DAY))).year
        key = ("PRO" if b else "NL", year)
        counters[key] = counters.get(key, 0) + 1
        labels.append(f"{key[0]}-{year}-{counters[key]:03d}")
    campaign_ids = bstrs(labels)

    has_email = people.email[:P] != ""
    b2b = people.b2b[:P]
    consent = people.consent[:P]
    created = people.created[:P]
    # Sends needed: every send makes at least two events (sent + delivered or bounce).
    target_sends = int(np.ceil(n_events / 2.0)) if n_events > 0 else 0
    eligible_counts = np.array([np.count_nonzero(has_email & (created <= t) & (b2b == b)) for t, b in zip(times, audience_b2b)])
    fraction = min(1.0, target_sends / max(eligible_counts.sum(), 1)) if target_sends else 0.0
    receptivity = np.minimum(np.exp(rng.normal(0, 0.6, P)) / np.exp(0.18), 1.0 / max(fraction, 1e-9))
    lapse_end = plan.window_end
    blocked = np.zeros(P, dtype=bool)
    will_leave = people.unsubscribe_after[:P] < NEVER_TIME  # opted out by unsubscribing from an email
    sent_before = np.zeros(P, dtype=bool)
    complain_after = np.where(people.complains[:P], hs + (rng.random(P) * (ref - hs)).astype(np.int64), NEVER_TIME)
    unsubscribed_at = np.full(P + people.n_spare, -1, dtype=np.int64)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("person", "campaign", "offset", "outcome", "n_open", "n_click",
                                                           "unsubscribe", "complaint")}
    for c, (t, is_b2b) in enumerate(zip(times, audience_b2b)):
        crng = ctx.rng("email-campaign", c)
        if is_b2b:
            audience = has_email & b2b & (created <= t) & ((consent != 1) | will_leave)
        else:
            customer = plan.first_order <= t
            audience = has_email & ~b2b & (created <= t) & ((consent == 0) | ((consent >= 2) & customer) | will_leave)
        audience &= ~blocked
        leaving = audience & (people.unsubscribe_after[:P] <= t)
        complaining = audience & (complain_after <= t) & ~leaving
        chosen = audience & ((crng.random(P) < fraction * receptivity) | leaving | complaining)
        who = np.flatnonzero(chosen)
        if who.size == 0:
            continue
        k = who.size
        dead = people.dead_address[who] & ~sent_before[who]
        outcome = np.where(dead, 5, np.where(crng.random(k) < 0.02, 4, 1))
        engagement = people.p_open[who] * np.where(t > lapse_end[who], 0.3, 1.0)
        opened = (outcome == 1) & (crng.random(k) < engagement)
        unsub = leaving[who] & (outcome == 1)
        complaint = complaining[who] & (outcome == 1) & ~unsub
        opened |= unsub
        n_open = np.where(opened, np.minimum(1 + crng.poisson(0.4, k), 4), 0)
        clicked = opened & (crng.random(k) < people.p_click[who])
        n_click = np.where(clicked, np.minimum(1 + crng.poisson(0.3, k), 3), 0)
        offset = crng.integers(0, 3 * 3600, k)
        for key, value, dtype in (("person", who, np.int32), ("campaign", np.full(k, c), np.int16),
                                  ("offset", offset, np.int32), ("outcome", outcome, np.int8), ("n_open", n_open, np.int8),
                                  ("n_click", n_click, np.int8), ("unsubscribe", unsub, bool), ("complaint", complaint, bool)):
            parts[key].append(value.astype(dtype))
        sent_before[who] = True
        blocked[who[dead | unsub | complaint]] = True
        blocked[who[leaving[who] & (outcome != 1)]] = True
    arrays = {k: (np.concatenate(v) if v else np.zeros(0, dtype=np.int8)) for k, v in parts.items()}
    del parts
    person, campaign = arrays["person"], arrays["campaign"]
    n_open, n_click = arrays["n_open"], arrays["n_click"]
    unsub, complaint = arrays["unsubscribe"].astype(bool), arrays["complaint"].astype(bool)
    outcome = arrays["outcome"]
    events = (2 + n_open + n_click + unsub + complaint).astype(np.int8)
    # Exactly n_events: keep the sends that end a relation (bounce, unsubscribe, complaint), then a random sample
    # of the others; the last one kept may be cut short.
    protected = unsub | complaint | (outcome == 5)
    order = np.concatenate([np.flatnonzero(protected), rng.permutation(np.flatnonzero(~protected))])
    cumulative = np.cumsum(events[order], dtype=np.int64)
    full = int(np.searchsorted(cumulative, n_events, side="right"))
    max_events = np.zeros(person.size, dtype=np.int8)
    max_events[order[:full]] = events[order[:full]]
    if full < order.size:
        max_events[order[full]] = n_events - (cumulative[full - 1] if full else 0)
    kept = np.flatnonzero(max_events > 0)
    person, campaign, offset = person[kept], campaign[kept], arrays["offset"][kept]
    n_open, n_click, unsub, complaint = n_open[kept], n_click[kept], unsub[kept], complaint[kept]
    max_events = max_events[kept]
    # The unsubscribe event happens within three days of the send; contacts.csv records the consent change then.
    rng_t = ctx.rng("email-unsubscribe-times")
    unsub_time = np.zeros(kept.size, dtype=np.int64)
    u_rows = np.flatnonzero(unsub & (max_events >= 3 + n_open + n_click))
    when = times[campaign[u_rows]] + offset[u_rows] + rng_t.integers(3600, 3 * DAY, u_rows.size)
    unsub_time[u_rows] = np.minimum(ctx.calendar.fix_dst_gap(np.minimum(when, ref - 60)), ref - 60)
    unsubscribed_at[person[u_rows]] = unsub_time[u_rows]
    return EmailPlan(campaign_ids=campaign_ids, campaign_time=times, person=person, campaign=campaign, offset=offset,
                     outcome=outcome[kept], n_open=n_open, n_click=n_click, unsubscribe=unsub, complaint=complaint,
                     max_events=max_events, unsub_time=unsub_time, unsubscribed_at=unsubscribed_at)


def email_defects(unknown_contact: str) -> list[Defect]:
    return [
        Defect("value_not_allowed", "event_type", set_value("event_type", "bounced")),
        Defect("duplicate_key", "event_id", set_value("campaign_id", ""), duplicate=True),
        Defect("no_customer", "contact_id", set_value("contact_id", "", email="")),
        Defect("malformed_email", "email", set_value("email", "pas-un-email")),
        Defect("missing_required_value", "event_id", set_value("event_id", "")),
        Defect("unknown_reference", "contact_id", set_value("contact_id", unknown_contact)),
        Defect("unparseable_timestamp", "occurred_at", set_value("occurred_at", "hier")),
        Defect("missing_required_value", "event_type", set_value("event_type", "")),
        Defect("missing_required_value", "occurred_at", set_value("occurred_at", "")),
        Defect("unparseable_timestamp", "occurred_at", set_value("occurred_at", "2025-13-01 10:00:00")),
        Defect("malformed_email", "email", lambda row: row.update(email=row["email"].split("@")[0] + "@")),
        Defect("value_not_allowed", "event_type", set_value("event_type", "read")),
    ]


def write_email_events(ctx: Context, out: Path, plan: EmailPlan, people: People, refs: Refs,
                       defects: list[Defect], chunk: int) -> int:
    sends = plan.person.size
    send_chunks = _chunks(sends, max(1, chunk // 2))
    sizes = [int(plan.max_events[a:b].sum()) for a, b in send_chunks]
    stream = Stream(ctx.log, "email_events.csv",
                    CsvWriter(out / "email_events.csv", EVENT_COLUMNS, EVENT_COLUMNS, PLAIN),
                    defects, sizes, ctx.rng("email-broken"), "event_id", "EV", 9)
    types = bstrs(EVENT_TYPES)
    ref = ctx.ref_second
    written = 0
    for k, (a, b) in enumerate(send_chunks):
        crng = ctx.rng("email-chunk", k)
        person = plan.person[a:b]
        n_open, n_click = plan.n_open[a:b], plan.n_click[a:b]
        unsub, complaint = plan.unsubscribe[a:b], plan.complaint[a:b]
        full = 2 + n_open + n_click + unsub + complaint
        count = np.minimum(full, plan.max_events[a:b])
        send = np.repeat(np.arange(b - a), count)
        pos = np.arange(send.size) - np.repeat(np.cumsum(count) - count, count)
        sent = plan.campaign_time[plan.campaign[a:b]] + plan.offset[a:b]
        # Event type by its position in the send's funnel.
        o, c = n_open[send], n_click[send]
        etype = np.select([pos == 0, pos == 1, pos < 2 + o, pos < 2 + o + c, unsub[send] & (pos == 2 + o + c)],
                          [0, plan.outcome[a:b][send], 2, 3, 6], 7)
        delay = np.select([pos == 0, pos == 1], [0, crng.integers(1, 120, send.size)],
                          (crng.lognormal(np.log(4 * 3600), 1.3, send.size)).astype(np.int64))
        # Opens and clicks in time order within a send: cumulative delays.
        delay = np.where(pos >= 2, delay // np.maximum(pos - 1, 1), delay)
        start = np.repeat(np.cumsum(count) - count, count)
        cum = np.cumsum(delay)
        base = cum[start]
        when = sent[send] + (cum - base)
        when = np.where(etype == 6, plan.unsub_time[a:b][send], when)
        when = np.minimum(ctx.calendar.fix_dst_gap(np.minimum(when, ref - 60)), ref - 60)
        p = person[send]
        email = refs.email[p]
        contact = refs.contact[p]
        drop_contact = crng.random(send.size) < 0.02
        drop_email = ~drop_contact & (crng.random(send.size) < 0.01)
        eligible = ~drop_contact & ~drop_email
        layout = stream.layout(send.size, eligible)
        stream.write(layout, {
            "contact_id": np.where(drop_contact, b"", contact), "email": np.where(drop_email, b"", email),
            "campaign_id": plan.campaign_ids[plan.campaign[a:b][send]], "event_type": types[etype],
            "occurred_at": ctx.calendar.iso_ts_b(when, crng.random(send.size) < 0.15),
        })
        written += send.size
    stream.close()
    return written


# ------------------------------------------------------------------------------------------------------------------
# Support tickets, store visits, NPS
# ------------------------------------------------------------------------------------------------------------------
TICKET_COLUMNS = ["ticket_id", "contact_id", "company_id", "opened_at", "closed_at", "channel", "category", "priority",
                  "satisfaction_score"]
VISIT_COLUMNS = ["visit_id", "contact_id", "store_id", "visited_at"]
NPS_COLUMNS = ["response_id", "contact_id", "responded_at", "nps_score"]


def _closed_before_opened(row: dict[str, str]) -> None:
    opened = dt.datetime.fromisoformat(row["opened_at"][:19].replace(" ", "T"))
    row["closed_at"] = (opened - dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")


def ticket_defects(unknown_contact: str) -> list[Defect]:
    return [
        Defect("out_of_range", "satisfaction_score", set_value("satisfaction_score", "7")),
        Defect("duplicate_key", "ticket_id", set_value("priority", "haute"), duplicate=True),
        Defect("out_of_range", "closed_at", _closed_before_opened),
        Defect("unknown_reference", "contact_id", set_value("contact_id", unknown_contact)),
        Defect("missing_required_value", "ticket_id", set_value("ticket_id", "")),
        Defect("unparseable_timestamp", "opened_at", set_value("opened_at", "hier")),
        Defect("unparseable_integer", "satisfaction_score", set_value("satisfaction_score", "bien")),
        Defect("missing_required_value", "opened_at", set_value("opened_at", "")),
        Defect("unparseable_timestamp", "closed_at", set_value("closed_at", "demain")),
        Defect("out_of_range", "satisfaction_score", set_value("satisfaction_score", "0")),
    ]


def visit_defects(unknown_contact: str) -> list[Defect]:
    return [
        Defect("unknown_reference", "contact_id", set_value("contact_id", unknown_contact)),
        Defect("duplicate_key", "visit_id", set_value("store_id", ""), duplicate=True),
        Defect("missing_required_value", "contact_id", set_value("contact_id", "")),
        Defect("unparseable_timestamp", "visited_at", set_value("visited_at", "hier")),
        Defect("missing_required_value", "visit_id", set_value("visit_id", "")),
        Defect("missing_required_value", "visited_at", set_value("visited_at", "")),
    ]


def nps_defects(unknown_contact: str) -> list[Defect]:
    return [
        Defect("out_of_range", "nps_score", set_value("nps_score", "11")),
        Defect("duplicate_key", "response_id", set_value("nps_score", "5"), duplicate=True),
        Defect("unparseable_integer", "nps_score", set_value("nps_score", "dix")),
        Defect("unknown_reference", "contact_id", set_value("contact_id", unknown_contact)),
        Defect("missing_required_value", "nps_score", set_value("nps_score", "")),
        Defect("unparseable_timestamp", "responded_at", set_value("responded_at", "hier")),
        Defect("missing_required_value", "contact_id", set_value("contact_id", "")),
        Defect("missing_required_value", "response_id", set_value("response_id", "")),
        Defect("out_of_range", "nps_score", set_value("nps_score", "12")),
    ]


def _write_simple(ctx: Context, out: Path, name: str, columns: list[str], id_prefix: str, id_width: int,
                  defects: list[Defect], time: np.ndarray, build, chunk: int, eligible=None) -> int:
    """Writes a small activity file sorted by time, chunk by chunk; `build(rows, rng)` returns the columns."""
    order = np.argsort(time, kind="stable")
    chunks = _chunks(order.size, chunk)
    stream = Stream(ctx.log, name, CsvWriter(out / name, columns, columns, PLAIN), defects,
                    [b - a for a, b in chunks], ctx.rng(name + "-broken"), columns[0], id_prefix, id_width)
    for k, (a, b) in enumerate(chunks):
        rows = order[a:b]
        crng = ctx.rng(name + "-chunk", k)
        cols = build(rows, crng)
        layout = stream.layout(rows.size, None if eligible is None else eligible[rows])
        stream.write(layout, cols)
    stream.close()
    return order.size


def write_tickets(ctx: Context, out: Path, people: People, plan: OrderPlan, refs: Refs, n_tickets: int,
                  defects: list[Defect], chunk: int) -> int:
    rng = ctx.rng("tickets")
    P = people.n_people
    buyers = np.flatnonzero(plan.n_orders > 0)
    weight = np.where(people.unhappy[buyers], 6.0, 1.0) * np.sqrt(plan.n_orders[buyers])
    counts = systematic_round(weight, n_tickets, rng)
    person = np.repeat(buyers, counts)
    lo = plan.first_order[person] + DAY
    hi = np.minimum(np.maximum(plan.last_order[person] + 60 * DAY, lo + DAY), ctx.ref_second - 3 * 3600)
    lo = np.minimum(lo, hi - 3600)
    opened = ctx.calendar.fix_dst_gap(business_seconds(rng, (lo + (hi - lo) * rng.random(person.size)).astype(np.int64) // DAY, 8.5, 19))
    opened = np.minimum(np.maximum(opened, lo), ctx.ref_second - 2 * 3600)
    unhappy = people.unhappy[person]
    closed = opened + (rng.lognormal(np.log(20 * 3600), 1.2, person.size)).astype(np.int64)
    closed = ctx.calendar.fix_dst_gap(np.minimum(closed, ctx.ref_second + DAY))
    still_open = (closed >= ctx.ref_second) | (rng.random(person.size) < 0.03)
    satisfaction = np.where(unhappy, pick(rng, person.size, [0.45, 0.35, 0.15, 0.05, 0.0]),
                            pick(rng, person.size, [0.03, 0.05, 0.15, 0.40, 0.37])) + 1
    answered = ~still_open & (rng.random(person.size) < 0.6)
    company = people.company_row[person]
    company_only = (company >= 0) & (rng.random(person.size) < 0.1)
    priority = np.where(unhappy, pick(rng, person.size, [0.05, 0.35, 0.4, 0.2]), pick(rng, person.size, [0.25, 0.55, 0.15, 0.05]))
    eligible = ~still_open & ~company_only

    def build(rows: np.ndarray, crng: np.random.Generator) -> dict[str, np.ndarray]:
        m = rows.size
        return {
            "contact_id": np.where(company_only[rows], b"", contact_ids_at(people, refs, person[rows], opened[rows], crng)),
            "company_id": np.where(company[rows] >= 0, refs.company[np.maximum(company[rows], 0)], b""),
            "opened_at": ctx.calendar.iso_ts_b(opened[rows], crng.random(m) < 0.1),
            "closed_at": np.where(still_open[rows], b"", ctx.calendar.iso_ts_b(np.minimum(closed[rows], ctx.ref_second - 1))),
            "channel": bstrs(TICKET_CHANNELS)[crng.integers(len(TICKET_CHANNELS), size=m)],
            "category": bstrs(TICKET_CATEGORIES)[crng.integers(len(TICKET_CATEGORIES), size=m)],
            "priority": bstrs(TICKET_PRIORITIES)[priority[rows]],
            "satisfaction_score": np.where(answered[rows], bint(satisfaction[rows]), b""),
        }

    return _write_simple(ctx, out, "support_tickets.csv", TICKET_COLUMNS, "TK", 7, defects, opened, build, chunk, eligible)


def write_visits(ctx: Context, out: Path, people: People, plan: OrderPlan, stores: Stores, refs: Refs, n_visits: int,
                 defects: list[Defect], chunk: int) -> int:
    rng = ctx.rng("visits")
    P = people.n_people
    consumer = ~people.b2b[:P]
    browse = np.where(people.profile[:P] == NEVER, 0.6, 1.0)
    weight = people.p_store[:P] ** 1.5 * np.where(consumer, browse * (plan.n_orders + 0.7), 0.02 * (plan.n_orders + 0.2))
    counts = systematic_round(weight, n_visits, rng)
    person = np.repeat(np.arange(P), counts)
    lo = np.maximum(people.created[person], ctx.history_start_day * DAY)
    hi = np.maximum(np.minimum(plan.window_end[person] + 30 * DAY, ctx.ref_second - DAY), lo + DAY)
    day = ((lo + (hi - lo) * rng.random(person.size)) // DAY).astype(np.int64)
    day = day - ((day + 3) % 7 == 6)  # stores are closed on Sunday
    visited = ctx.calendar.fix_dst_gap(day * DAY + (rng.uniform(9.5, 19.5, person.size) * 3600).astype(np.int64))
    visited = np.minimum(np.maximum(visited, people.created[person] + 60), ctx.ref_second - 60)
    store = np.where(rng.random(person.size) < 0.85, stores.home[person], rng.integers(stores.ids.size, size=person.size))

    def build(rows: np.ndarray, crng: np.random.Generator) -> dict[str, np.ndarray]:
        return {
            "contact_id": contact_ids_at(people, refs, person[rows], visited[rows], crng),
            "store_id": refs.store[store[rows]], "visited_at": ctx.calendar.iso_ts_b(visited[rows]),
        }

    return _write_simple(ctx, out, "store_visits.csv", VISIT_COLUMNS, "VS", 8, defects, visited, build, chunk)


def write_nps(ctx: Context, out: Path, people: People, plan: OrderPlan, refs: Refs, n_responses: int,
              defects: list[Defect], chunk: int) -> int:
    rng = ctx.rng("nps")
    buyers = np.flatnonzero(plan.n_orders > 0)
    counts = systematic_round(np.where(people.unhappy[buyers], 1.5, 1.0), n_responses, rng)
    person = np.repeat(buyers, counts)
    lo = plan.first_order[person] + 7 * DAY
    hi = np.maximum(np.minimum(plan.last_order[person] + 90 * DAY, ctx.ref_second - DAY), lo + DAY)
    lo = np.minimum(lo, ctx.ref_second - 2 * DAY)
    hi = np.minimum(hi, ctx.ref_second - DAY)
    responded = ctx.calendar.fix_dst_gap((lo + (hi - lo) * rng.random(person.size)).astype(np.int64))
    profile = people.profile[person]
    b2b = people.b2b[person]
    m = person.size
    consumer_score = np.select(
        [profile == LOYAL, profile == C_REGULAR, profile == ONE_OFF, profile == LAPSING, profile == NEW_CUSTOMER],
        [rng.choice([8, 9, 10], m, p=[0.1, 0.35, 0.55]), rng.choice([6, 7, 8, 9], m, p=[0.1, 0.35, 0.35, 0.2]),
         rng.choice([5, 6, 7, 8, 9], m, p=[0.1, 0.2, 0.3, 0.25, 0.15]), rng.choice([3, 4, 5, 6, 7, 8], m),
         rng.choice([7, 8, 9, 10], m)], rng.integers(0, 11, m))
    b2b_score = np.select([profile == KEY, profile == CHURNED], [rng.choice([8, 9, 10], m), rng.choice([2, 3, 4, 5, 6, 7], m)],
                          rng.choice([6, 7, 8, 9], m))
    score = np.where(people.unhappy[person], rng.integers(0, 6, m), np.where(b2b, b2b_score, consumer_score))

    def build(rows: np.ndarray, crng: np.random.Generator) -> dict[str, np.ndarray]:
        return {
            "contact_id": contact_ids_at(people, refs, person[rows], responded[rows], crng),
            "responded_at": ctx.calendar.iso_ts_b(responded[rows], crng.random(rows.size) < 0.1),
            "nps_score": bint(score[rows]),
        }

    return _write_simple(ctx, out, "nps_responses.csv", NPS_COLUMNS, "NPS", 7, defects, responded, build, chunk)
