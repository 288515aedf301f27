"""Deterministic generator of the demo CRM exports (the ten files of the raw export contract) and of the truth the
tests compare the warehouse with.

    python -m segwarehouse.generate --scale demo --seed 42 --reference-date 2026-10-31 \\
        --out data/demo --truth-dir tests/fixtures/demo_truth

The exports look like real French ones, mess included: `;`-separated UTF-8 with BOM, French dates and decimal
commas, shuffled and oddly spelled headers, an unknown extra column (companies, contacts); Latin-1 (products);
multi-line quoted fields; duplicated people whose addresses differ by case and spaces; and a few broken rows per
file, one defect each, named by the quarantine rule of docs/DESIGN.md and listed in `expected_quarantine.csv`.
Behaviour (orders, emails, tickets, visits, NPS) follows a latent profile per contact and per account: loyal repeat
buyers, one-off buyers, lapsing customers, engaged and dormant readers, unhappy customers.

`python -m segwarehouse.generate append --raw-dir DIR --day YYYY-MM-DD` appends one more day of activity to an
existing export folder instead (segwarehouse/append_day.py).

The same seed and sizes give the same bytes. Big files are written chunk by chunk (`--scale bench` stays within a
few GB of memory).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from segwarehouse import _gen_activity as activity
from segwarehouse import _gen_companies as comp
from segwarehouse import _gen_people as ppl
from segwarehouse._gen_common import Context, make_pools
from segwarehouse._gen_csv import CsvWriter, FileFormat, plan_defects

SPREADSHEET = FileFormat(delimiter=";", encoding="utf-8", bom=True, newline="\r\n")
UNKNOWN_COMPANY, UNKNOWN_CONTACT = "CO9999999999", "CT9999999999"
UNKNOWN_ORDER, UNKNOWN_PRODUCT = "OR9999999999", "PRD-999999"


@dataclass(frozen=True)
class Sizes:
    accounts: int
    contacts: int
    consumers: int
    orders: int
    email_events: int
    tickets: int | None = None
    store_visits: int | None = None
    equipment: int | None = None
    nps_responses: int | None = None
    products: int = 150

    def resolved(self) -> "Sizes":
        """Optional sizes in proportion to the main ones (the demo's ratios)."""
        return Sizes(
            accounts=self.accounts, contacts=self.contacts, consumers=self.consumers, orders=self.orders,
            email_events=self.email_events,
            tickets=self.tickets if self.tickets is not None else self.contacts // 2,
            store_visits=self.store_visits if self.store_visits is not None else round(self.contacts * 25 / 12),
            equipment=self.equipment if self.equipment is not None else round(self.accounts * 2.5),
            nps_responses=self.nps_responses if self.nps_responses is not None else self.contacts // 4,
            products=self.products,
        )


SCALES = {
    "demo": Sizes(accounts=2_000, contacts=12_000, consumers=5_000, orders=60_000, email_events=200_000),
    "bench": Sizes(accounts=100_000, contacts=1_000_000, consumers=600_000, orders=5_000_000, email_events=20_000_000),
    "small": Sizes(accounts=800, contacts=3_000, consumers=1_200, orders=6_000, email_events=20_000),
}


def generate(out_dir: str | Path, truth_dir: str | Path, seed: int = 42,
             reference_date: dt.date | str = dt.date(2026, 10, 31), accounts: int = 2_000, contacts: int = 12_000,
             consumers: int = 5_000, orders: int = 60_000, email_events: int = 200_000, tickets: int | None = None,
             store_visits: int | None = None, equipment: int | None = None, nps_responses: int | None = None,
             products: int = 150, chunk_size: int = 250_000) -> dict[str, int]:
    """Writes the ten export files to `out_dir` and the truth files to `truth_dir`; returns the rows per file."""
    if isinstance(reference_date, str):
        reference_date = dt.date.fromisoformat(reference_date)
    sizes = Sizes(accounts, contacts, consumers, orders, email_events, tickets, store_visits, equipment,
                  nps_responses, products).resolved()
    out, truth = Path(out_dir), Path(truth_dir)
    if out.resolve() == truth.resolve():
        raise ValueError("the truth files must not be written into the exports folder")
    out.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)

    ctx = Context(seed=seed, reference_date=reference_date)
    pools = make_pools(seed, int(np.clip(sizes.contacts // 10, 2_000, 20_000)))
    defect_rng = ctx.rng("defects")

    companies = comp.build_companies(ctx, pools, sizes.accounts,
                                     lambda n: plan_defects(comp.company_defects(UNKNOWN_COMPANY), n, defect_rng))
    contact_defects = plan_defects(ppl.contact_defects(UNKNOWN_COMPANY), sizes.contacts, defect_rng)
    people = ppl.build_people(ctx, pools, companies, sizes.contacts, sizes.consumers, len(contact_defects))
    catalogue = activity.write_products(ctx, out, sizes.products,
                                        plan_defects(activity.product_defects(), sizes.products, defect_rng, share=0.0135))
    order_plan = activity.plan_orders(ctx, companies, people, sizes.orders)
    email_plan = activity.plan_emails(ctx, people, order_plan, sizes.email_events)
    contact_rows = ppl.contact_rows(ctx, pools, companies, people, contact_defects, email_plan.unsubscribed_at)

    _write_table(out / "companies.csv", companies.columns, comp.FILE_ORDER, comp.HEADER, comp.TEXT_COLUMNS, companies.valid)
    _write_table(out / "contacts.csv", contact_rows.columns, ppl.FILE_ORDER, ppl.HEADER, ppl.TEXT_COLUMNS, contact_rows.valid)
    _write_truth(truth / "companies_truth.csv", comp.TRUTH_COLUMNS, companies.truth)
    with CsvWriter(truth / "contacts_truth.csv", ppl.TRUTH_COLUMNS, ppl.TRUTH_COLUMNS, FileFormat(),
                   ppl.TRUTH_COLUMNS) as writer:
        writer.write(contact_rows.truth)
    n_companies, n_contacts = companies.valid.size, contact_rows.valid.size
    del contact_rows.columns, contact_rows.truth

    stores = activity.make_stores(ctx, people, sizes.consumers)
    refs = activity.Refs.of(people, contact_rows.ids_of_person, contact_rows.dup_ids, companies, catalogue, stores)
    o_def = plan_defects(activity.order_defects(UNKNOWN_CONTACT, UNKNOWN_COMPANY), sizes.orders, defect_rng)
    l_def = plan_defects(activity.line_defects(UNKNOWN_ORDER, UNKNOWN_PRODUCT), int(sizes.orders * 2.5), defect_rng)
    n_lines = activity.write_orders(ctx, out, order_plan, companies, people, catalogue, stores, refs, o_def, l_def,
                                    chunk_size)
    n_equipment = activity.write_equipment(
        ctx, out, companies, catalogue, refs, sizes.equipment,
        plan_defects(activity.equipment_defects(UNKNOWN_COMPANY, UNKNOWN_PRODUCT), sizes.equipment, defect_rng), chunk_size)
    n_events = activity.write_email_events(
        ctx, out, email_plan, people, refs, plan_defects(activity.email_defects(UNKNOWN_CONTACT), sizes.email_events, defect_rng),
        chunk_size)
    n_tickets = activity.write_tickets(
        ctx, out, people, order_plan, refs, sizes.tickets,
        plan_defects(activity.ticket_defects(UNKNOWN_CONTACT), sizes.tickets, defect_rng), chunk_size)
    n_visits = activity.write_visits(
        ctx, out, people, order_plan, stores, refs, sizes.store_visits,
        plan_defects(activity.visit_defects(UNKNOWN_CONTACT), sizes.store_visits, defect_rng), chunk_size)
    n_nps = activity.write_nps(
        ctx, out, people, order_plan, refs, sizes.nps_responses,
        plan_defects(activity.nps_defects(UNKNOWN_CONTACT), sizes.nps_responses, defect_rng), chunk_size)

    quarantine = sorted(ctx.log.rows)
    _write_truth(truth / "expected_quarantine.csv", ["source_file", "row_number", "rule", "column_name"],
                 [[f, str(r), rule, col] for f, r, rule, col in quarantine])
    broken: dict[str, int] = {}
    for f, *_ in quarantine:
        broken[f] = broken.get(f, 0) + 1
    valid_rows = {
        "companies.csv": n_companies - broken.get("companies.csv", 0),
        "contacts.csv": n_contacts - broken.get("contacts.csv", 0),
        "products.csv": sizes.products, "orders.csv": sizes.orders, "order_lines.csv": n_lines,
        "equipment.csv": n_equipment, "email_events.csv": n_events, "support_tickets.csv": n_tickets,
        "store_visits.csv": n_visits, "nps_responses.csv": n_nps,
    }
    return {name: valid_rows[name] + broken.get(name, 0) for name in valid_rows}


def _write_table(path: Path, columns: dict[str, np.ndarray], order: list[str], header: dict[str, str],
                 text_columns: list[str], valid: np.ndarray) -> None:
    with CsvWriter(path, order, [header[c] for c in order], SPREADSHEET, text_columns) as writer:
        writer.write(columns, np.flatnonzero(~valid).tolist())


def _write_truth(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["append"]:  # `generate append --raw-dir DIR --day YYYY-MM-DD`: one more day, see append_day
        from segwarehouse import append_day

        return append_day.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m segwarehouse.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder of the export files (the dbt var raw_dir)")
    parser.add_argument("--truth-dir", required=True, help="folder of the truth files (never the exports folder)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reference-date", default="2026-10-31", help="the build's 'today' (YYYY-MM-DD)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo", help="preset sizes (default demo)")
    for name in ("accounts", "contacts", "consumers", "orders", "email-events", "tickets", "store-visits", "equipment",
                 "nps-responses", "products"):
        parser.add_argument(f"--{name}", type=int, help=f"number of {name.replace('-', ' ')} (overrides the scale)")
    parser.add_argument("--chunk-size", type=int, default=250_000, help="rows formatted at once in the big files")
    args = parser.parse_args(argv)
    preset = asdict(SCALES[args.scale])
    for key in preset:
        value = getattr(args, key)
        if value is not None:
            preset[key] = value
    started = time.perf_counter()
    rows = generate(args.out, args.truth_dir, seed=args.seed, reference_date=args.reference_date,
                    chunk_size=args.chunk_size, **preset)
    elapsed = time.perf_counter() - started
    total = 0
    for name, count in rows.items():
        size = (Path(args.out) / name).stat().st_size
        total += size
        print(f"{name:<22} {count:>12,} rows {size / 1e6:>10.1f} MB")
    print(f"{'total':<22} {sum(rows.values()):>12,} rows {total / 1e6:>10.1f} MB in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
