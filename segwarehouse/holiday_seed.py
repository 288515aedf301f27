"""Write the seed of French public holidays (`seeds/ref_french_public_holidays.csv`) from the `holidays` package.

The send windows (docs/DESIGN.md, "Send windows") never plan a B2B send on a public holiday of the account's place.
One row per (date, scope): scope `FR` is a national holiday (mainland, Corsica and the overseas départements), a
département code is a holiday of that département only: Alsace-Moselle (57, 67, 68: Good Friday, 26 December) and
the overseas départements 971-976 (abolition of slavery, Good Friday and others). Saint-Barthélemy and Saint-Martin
(postal codes 971xx, like Guadeloupe) and the collectivities of the Pacific are not told apart from the département
their postal code points at.

    python -m segwarehouse.holiday_seed [--first-year 2015] [--last-year 2045] [--out seeds/ref_french_public_holidays.csv]

`holidays` is a dev-time dependency (pinned in requirements.in): the warehouse reads the seed, never the package.
Regenerate the seed when the years it covers no longer include the reference dates you build for (the dbt test
`assert_holiday_seed_covers_send_horizon` says so).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_CSV = PROJECT_ROOT / "seeds" / "ref_french_public_holidays.csv"
FIRST_YEAR = 2015
LAST_YEAR = 2045
NATIONAL = "FR"
# département code -> subdivision of `holidays.France` whose extra holidays it has
DEPARTMENT_SUBDIVISIONS = {
    "57": "57", "67": "6AE", "68": "6AE",
    "971": "971", "972": "972", "973": "973", "974": "974", "976": "976",
}
HEADER = ["holiday_date", "scope", "holiday_name"]


def holiday_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[tuple[dt.date, str, str]]:
    """(date, scope, French name) of every French public holiday of the years, national ones once with scope FR."""
    import holidays  # dev-time dependency, only needed to regenerate the seed

    years = range(first_year, last_year + 1)
    national = holidays.France(years=years, language="fr")
    rows = [(day, NATIONAL, name) for day, name in national.items()]
    for department, subdivision in DEPARTMENT_SUBDIVISIONS.items():
        local = holidays.France(years=years, subdiv=subdivision, language="fr")
        rows += [(day, department, name) for day, name in local.items() if day not in national]
    return sorted(rows, key=lambda row: (row[0], len(row[1]), row[1]))


def seed_text(rows: list[tuple[dt.date, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows((day.isoformat(), scope, name) for day, scope, name in rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=LAST_YEAR)
    parser.add_argument("--out", type=Path, default=SEED_CSV)
    args = parser.parse_args(argv)
    rows = holiday_rows(args.first_year, args.last_year)
    args.out.write_text(seed_text(rows), encoding="utf-8")
    print(f"{args.out}: {len(rows)} holidays, {args.first_year}-{args.last_year}")


if __name__ == "__main__":
    main()
