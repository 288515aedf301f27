"""Companies of the demo data: latent organisation attributes, the `companies.csv` columns and the truth."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from segwarehouse._gen_common import Context, Pools, business_seconds, pick, strip_accents
from segwarehouse._gen_csv import Defect, S, cat, day_number, decimal1, int_str, money, set_value, strs, where
from segwarehouse._gen_reference import (
    ASSOCIATION_NAF, BRAND_WORDS, DEPARTEMENTS, GROUP_NAF, GROUP_NAME_PATTERNS, HOLDING_NAME_PATTERNS, OPENING_HOURS,
    PRIVATE_LEGAL_FORMS, PRIVATE_NAF, PUBLIC_BODIES, SOLE_TRADER_NAF,
)
from segwarehouse.siren import LA_POSTE_SIREN, is_valid_siren

PRIVATE, SOLE, HOLDING, ASSOCIATION, FOUNDATION, PUBLIC, GROUP = range(7)
FAMILY_OF_KIND = np.array(["company", "sole_trader", "company", "nonprofit", "nonprofit", "public_body", "company"])

# Business profiles of accounts (drive orders, equipment, churn).
NONE, KEY, REGULAR, OCCASIONAL, CHURNED, NEW = range(6)
RELATIONSHIPS = ["client", "prospect", "partner", "supplier", "other"]
FRENCH_LABEL = {"partner": "partenaire", "supplier": "fournisseur", "other": "autre"}

BAND_FLOOR = np.array([0, 1, 3, 6, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000])
BAND_CODE = np.array(["00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"])
BAND_SIZE = {"00": "micro", "01": "micro", "02": "micro", "03": "micro", "11": "sme", "12": "sme", "21": "sme",
             "22": "sme", "31": "sme", "32": "mid_cap", "41": "mid_cap", "42": "mid_cap", "51": "mid_cap",
             "52": "large", "53": "large", "NN": "unknown"}
ORG_TYPE_OF_SIZE = {"micro": "micro_enterprise", "sme": "sme", "mid_cap": "mid_cap", "large": "large_enterprise",
                    "unknown": "unknown_size"}
NAF_SECTIONS = [("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43), ("G", 45, 47),
                ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68), ("M", 69, 75), ("N", 77, 82),
                ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96), ("T", 97, 98), ("U", 99, 99)]

COLUMNS = ["company_id", "company_name", "siren", "siret", "legal_form_code", "naf_code", "employee_count",
           "employee_band", "annual_revenue_eur", "founded_date", "street", "postal_code", "city", "country_code",
           "relationship_type", "parent_company_id", "opening_hours", "timezone", "financial_score", "website",
           "created_at", "updated_at"]
# Column order and header spelling of the export (a CRM's own order, mixed case, stray spaces).
FILE_ORDER = ["company_name", "company_id", "siren", "siret", "naf_code", "legal_form_code", "relationship_type",
              "employee_count", "employee_band", "annual_revenue_eur", "financial_score", "street", "postal_code",
              "city", "country_code", "timezone", "opening_hours", "website", "parent_company_id", "founded_date",
              "created_at", "updated_at"]
HEADER = {"company_id": " Company_ID", "company_name": "Company_Name", "siren": "SIREN", "siret": "SIRET",
          "legal_form_code": "Legal_Form_Code", "naf_code": "NAF_Code", "employee_count": "Employee_Count",
          "employee_band": "employee_band", "annual_revenue_eur": "Annual_Revenue_EUR", "founded_date": "Founded_Date",
          "street": "Street", "postal_code": "Postal_Code", "city": "City", "country_code": "Country_Code",
          "relationship_type": "Relationship_Type ", "parent_company_id": "Parent_Company_ID",
          "opening_hours": "Opening_Hours", "timezone": "TimeZone", "financial_score": "Financial_Score",
          "website": "Website", "created_at": "Created_At", "updated_at": "Updated_At"}
TEXT_COLUMNS = ["company_name", "street", "city", "opening_hours"]

TRUTH_COLUMNS = ["company_id", "org_type", "size_category", "naf_section", "is_public_sector", "is_siren_valid",
                 "relationship_type", "department_code", "region", "financial_health_band", "is_group_member"]


@dataclass
class Companies:
    """All company rows (valid and broken) in file order; `valid` marks the rows that are not quarantined."""

    n: int
    columns: dict[str, np.ndarray]
    valid: np.ndarray
    kind: np.ndarray
    profile: np.ndarray
    relationship: np.ndarray  # index in RELATIONSHIPS
    headcount: np.ndarray
    created: np.ndarray  # seconds
    domain: np.ndarray
    tech: np.ndarray  # appetite for technology, 0..1
    owner: np.ndarray  # sole traders: (first-name index in female+male pools, last-name index, gender code 0 F / 1 M)
    health: np.ndarray  # financial score in tenths, -1 when empty
    place: np.ndarray  # geo place index, -1 abroad / empty
    truth: list[list[str]]

    @property
    def ids(self) -> np.ndarray:
        return self.columns["company_id"]


def band_of(headcount: np.ndarray) -> np.ndarray:
    return BAND_CODE[np.searchsorted(BAND_FLOOR, headcount, side="right") - 1]


def size_category(count: int | None, band: str, revenue_cents: int | None) -> str:
    """INSEE size category as the segmentation criteria define it (décret 2008-1354)."""
    if count is not None:
        if revenue_cents is None:
            return "micro" if count < 10 else "sme" if count < 250 else "mid_cap" if count < 5000 else "large"
        euros = revenue_cents / 100
        if count < 10 and euros <= 2e6:
            return "micro"
        if count < 250 and euros <= 50e6:
            return "sme"
        if count < 5000 and euros <= 1.5e9:
            return "mid_cap"
        return "large"
    return BAND_SIZE.get(band, "unknown")


def naf_section(code: str) -> str:
    digits = re.sub(r"[^0-9]", "", code)
    if len(digits) < 2:
        return ""
    division = int(digits[:2])
    return next((s for s, lo, hi in NAF_SECTIONS if lo <= division <= hi), "")


def _luhn_check_digit(body: np.ndarray, n_digits: int) -> np.ndarray:
    """Check digit completing `n_digits`-digit bodies (as integers) to a Luhn-valid number: counted from the
    right of the full number, the check digit is position 0 and every odd position is doubled."""
    total = np.zeros(body.size, dtype=np.int64)
    for position in range(1, n_digits + 1):
        digit = body // 10 ** (position - 1) % 10
        if position % 2 == 1:
            digit = digit * 2
            digit = np.where(digit > 9, digit - 9, digit)
        total += digit
    return (10 - total % 10) % 10


def _la_poste_siret() -> str:
    """A SIRET of a La Poste establishment: 356000000 + NIC, the digits summing to a multiple of 5."""
    return next(f"{LA_POSTE_SIREN}{nic:05d}" for nic in range(10, 99999) if (14 + sum(map(int, f"{nic:05d}"))) % 5 == 0)


def _fill(pattern: str, values: dict[str, str]) -> str:
    return pattern.format(**values)


def build_companies(ctx: Context, pools: Pools, n_valid: int, defects_of: Callable[[int], list[Defect]]) -> Companies:
    """`n_valid` accounts plus the broken rows `defects_of(n_valid)` asks for, in file order (ids ascend with the
    CRM creation time)."""
    rng = ctx.rng("companies")
    geo = ctx.geo
    n_groups = max(1, round(0.012 * n_valid))
    kind_valid = np.full(n_valid, GROUP)
    kind_valid[n_groups:] = pick(rng, n_valid - n_groups, [0.66, 0.13, 0.04, 0.075, 0.01, 0.085])
    defects = defects_of(n_valid)
    n_spare = len(defects)
    kind = np.concatenate([kind_valid, pick(rng, n_spare, [0.7, 0.15, 0.05, 0.1, 0.0, 0.0])])
    n = kind.size
    is_valid = np.arange(n) < n_valid
    la_poste = 0 if n_valid >= 500 else -1

    # --- location ---------------------------------------------------------------------------------------------
    place = geo.sample_places(rng, n)
    dept = geo.place_dept[place]
    postal = geo.postal[place].copy()
    city = geo.city[place].copy()
    country = where(rng.random(n) < 0.82, "FR", "")
    timezone = geo.timezone[dept].copy()
    overseas = np.strings.startswith(postal, "97")
    timezone = where(~overseas & (rng.random(n) < 0.18), "", timezone)
    foreign = (rng.random(n) < 0.01) & (kind == PRIVATE)
    for i in np.flatnonzero(foreign):
        code, fcity, fpostal, tz = geo.foreign[rng.integers(len(geo.foreign))]
        country[i], city[i], postal[i], timezone[i] = code, fcity, fpostal, tz
    lost_zero = np.strings.startswith(postal, "0") & ~foreign & (rng.random(n) < 0.2)
    postal = where(lost_zero, np.strings.lstrip(postal, "0"), postal)
    no_postal = rng.random(n) < 0.01
    postal = where(no_postal, "", postal)
    place = np.where(foreign | no_postal, -1, place)
    street = pools.streets[rng.integers(pools.streets.size, size=n)]
    street = where(rng.random(n) < 0.03, "", street)

    # --- legal form, activity, names ---------------------------------------------------------------------------
    legal = np.empty(n, dtype=object)
    naf = np.empty(n, dtype=object)
    names = np.empty(n, dtype=object)
    hours_kind = np.empty(n, dtype=object)
    rpe = np.zeros(n)  # revenue per employee, k€
    headcount = np.zeros(n, dtype=np.int64)
    u = rng.random((n, 8))
    last = pools.last
    first = np.where(rng.random(n) < 0.5, 0, 1)
    private_w = np.array([x[1] for x in PRIVATE_NAF])
    private_pick = rng.choice(len(PRIVATE_NAF), size=n, p=private_w / private_w.sum())
    lf_codes = [c for c, _ in PRIVATE_LEGAL_FORMS]
    lf_w = np.array([w for _, w in PRIVATE_LEGAL_FORMS], dtype=float)
    lf_pick = rng.choice(len(lf_codes), size=n, p=lf_w / lf_w.sum())
    sole_w = np.array([x[1] for x in SOLE_TRADER_NAF])
    sole_pick = rng.choice(len(SOLE_TRADER_NAF), size=n, p=sole_w / sole_w.sum())
    assoc_w = np.array([x[1] for x in ASSOCIATION_NAF])
    assoc_pick = rng.choice(len(ASSOCIATION_NAF), size=n, p=assoc_w / assoc_w.sum())
    public_w = np.array([x[2] for x in PUBLIC_BODIES])
    public_pick = rng.choice(len(PUBLIC_BODIES), size=n, p=public_w / public_w.sum())
    size_class = pick(rng, n, [0.58, 0.32, 0.075, 0.025])
    micro_hc = pick(rng, n, [8, 20, 16, 13, 10, 9, 8, 6, 5, 5])
    dept_names = [d[1] for d in DEPARTEMENTS]

    def loguniform(lo: float, hi: float, x: float) -> int:
        return int(round(np.exp(np.log(lo) + x * (np.log(hi) - np.log(lo)))))

    owner = np.stack([np.where(first == 0, 0, pools.female.size) + (u[:, 2] * 80).astype(np.int64),
                      (u[:, 0] * last.size).astype(np.int64), first], axis=1)
    for i in range(n):
        values = {
            "nom": str(last[int(u[i, 0] * last.size)]),
            "nom2": str(last[int(u[i, 1] * last.size)]),
            "prenom": str((pools.female if first[i] == 0 else pools.male)[int(u[i, 2] * 80)]),
            "city": str(city[i]) if country[i] in ("FR", "") else "Paris",
            "word": BRAND_WORDS[int(u[i, 3] * len(BRAND_WORDS))],
            "acr": "".join(chr(65 + int(x * 26)) for x in (u[i, 4], u[i, 5], u[i, 6]))[: 2 + int(u[i, 7] * 2)],
            "dept": dept_names[dept[i]],
        }
        k = kind[i]
        if k == GROUP:
            naf[i] = GROUP_NAF[int(u[i, 1] * len(GROUP_NAF))]
            legal[i] = "5599" if u[i, 2] < 0.6 else ("5710" if u[i, 2] < 0.9 else "5699")
            names[i] = _fill(GROUP_NAME_PATTERNS[int(u[i, 3] * len(GROUP_NAME_PATTERNS))], values)
            headcount[i] = loguniform(5000, 150000, u[i, 4])
            rpe[i], hours_kind[i] = 250, "office"
            if i == la_poste:
                naf[i], legal[i], names[i], headcount[i], rpe[i] = "53.10Z", "5599", "La Poste", 190000, 180
        elif k == PRIVATE:
            code, _, patterns, per_employee, hk = PRIVATE_NAF[private_pick[i]]
            naf[i], rpe[i], hours_kind[i] = code, per_employee, hk
            names[i] = _fill(patterns[int(u[i, 5] * len(patterns))], values)
            legal[i] = lf_codes[lf_pick[i]]
            if code.startswith(("86.2", "75.0", "69.1")) and u[i, 6] < 0.5:
                legal[i] = "5485"  # SELARL
            if code in ("01.11Z", "01.21Z"):
                legal[i] = "6598" if u[i, 6] < 0.7 else "6533"  # EARL / GAEC
            if code == "68.20B":
                legal[i] = "6540"  # SCI
            c = size_class[i]
            headcount[i] = (micro_hc[i] if c == 0 else loguniform(10, 249, u[i, 4]) if c == 1
                            else loguniform(250, 4999, u[i, 4]) if c == 2 else loguniform(5000, 40000, u[i, 4]))
            if legal[i] in ("5720", "5498") and c >= 2:
                legal[i] = "5710"  # one-person companies stay small
            if legal[i] in ("5599", "5699") and headcount[i] < 50:
                legal[i] = "5710"  # a société anonyme is a larger company
        elif k == HOLDING:
            naf[i], rpe[i], hours_kind[i] = "64.20Z", 400, "office"
            legal[i] = "5710" if u[i, 2] < 0.7 else ("5499" if u[i, 2] < 0.9 else "5599")
            names[i] = _fill(HOLDING_NAME_PATTERNS[int(u[i, 3] * len(HOLDING_NAME_PATTERNS))], values)
            headcount[i] = int(u[i, 4] ** 3 * 25)
        elif k == SOLE:
            code, _, trade = SOLE_TRADER_NAF[sole_pick[i]]
            naf[i], legal[i], hours_kind[i] = code, "1000", "office" if u[i, 6] < 0.5 else "none"
            person = f"{values['prenom']} {values['nom']}"
            names[i] = [person, f"{values['nom'].upper()} {values['prenom']}", f"{person} - {trade}",
                        f"{person} EI", f"{trade} {values['nom']}"][int(u[i, 5] * 5)]
            headcount[i] = 0 if u[i, 4] < 0.6 else (1 if u[i, 4] < 0.85 else 2)
            rpe[i] = 60
        elif k in (ASSOCIATION, FOUNDATION):
            if k == FOUNDATION:
                naf[i], legal[i] = ("94.99Z" if u[i, 2] < 0.7 else "72.19Z"), "9300"
                names[i] = _fill("Fondation {nom}" if u[i, 3] < 0.7 else "Fondation {word}", values)
                headcount[i] = loguniform(2, 200, u[i, 4])
            else:
                code, _, patterns = ASSOCIATION_NAF[assoc_pick[i]]
                naf[i], legal[i] = code, ("9220" if u[i, 2] < 0.93 else "9230")
                names[i] = _fill(patterns[int(u[i, 5] * len(patterns))], values)
                headcount[i] = 0 if u[i, 4] < 0.5 else (loguniform(1, 60, u[i, 6]) if u[i, 4] < 0.95 else loguniform(60, 400, u[i, 6]))
            rpe[i], hours_kind[i] = 45, "office"
        else:  # PUBLIC
            code_lf, code_naf, _, patterns, (lo, hi), hk = PUBLIC_BODIES[public_pick[i]]
            legal[i], naf[i], hours_kind[i] = code_lf, code_naf, hk
            names[i] = _fill(patterns[int(u[i, 5] * len(patterns))], values)
            headcount[i] = loguniform(lo, hi, u[i, 4])
            rpe[i] = 70

    # A few names and streets as multi-line or delimiter-holding fields (quoted in the export).
    names = names.astype(str).astype(S)
    tricky = np.flatnonzero(rng.random(n) < 0.004)
    for j, i in enumerate(tricky):
        if j % 3 == 0:
            names[i] = f"{names[i]}; {str(last[rng.integers(last.size)])} & Associés"
        elif j % 3 == 1:
            names[i] = f"{names[i]}\n(ancienne maison {str(last[rng.integers(last.size)])})"
        else:
            street[i] = f"{street[i]}\nBâtiment {'ABCD'[rng.integers(4)]}; {rng.integers(1, 5)}e étage"
    for i in np.flatnonzero((rng.random(n) < 0.004) & (street != "")):
        street[i] = f"{street[i]}\nZA des {['Landes', 'Prés', 'Chênes', 'Vignes'][rng.integers(4)]}"

    # --- size, revenue, bands ------------------------------------------------------------------------------------
    count_given = rng.random(n) < 0.85
    band = band_of(headcount)
    nn = (headcount == 0) & np.isin(kind, [SOLE, ASSOCIATION, HOLDING]) & (rng.random(n) < 0.8)
    nn |= (kind == PRIVATE) & (rng.random(n) < 0.01)
    band = where(nn, "NN", band)
    count_given &= ~((kind == PRIVATE) & nn)
    count_given[kind == GROUP] = True
    band_written = where(~count_given | (rng.random(n) < 0.5), band, "")
    revenue_given = count_given & (rng.random(n) < np.select(
        [kind == PUBLIC, np.isin(kind, [ASSOCIATION, FOUNDATION]), kind == GROUP], [0.1, 0.4, 0.95], 0.8))
    noise = np.exp(rng.normal(0, 0.45, n))
    revenue_eur = np.maximum(headcount, 0.7) * rpe * 1000 * noise
    revenue_eur = np.where(kind == SOLE, np.exp(rng.normal(np.log(55000), 0.7, n)), revenue_eur)
    revenue_eur = np.where(kind == HOLDING, np.exp(rng.normal(np.log(400000), 1.2, n)), revenue_eur)
    revenue_cents = np.round(revenue_eur).astype(np.int64) * 100
    with_cents = rng.random(n) < 0.3
    revenue_cents += np.where(with_cents, rng.integers(0, 100, n), 0)
    revenue_text = where(with_cents, money(revenue_cents, ","), int_str(revenue_cents // 100))
    revenue_text = where(revenue_given, revenue_text, "")
    count_text = where(count_given, int_str(headcount), "")

    # --- identifiers --------------------------------------------------------------------------------------------
    bodies = 10_000_000 + rng.choice(90_000_000, size=n, replace=False)
    check = _luhn_check_digit(bodies, 8)
    bad = rng.random(n) < 0.03
    check = np.where(bad, (check + rng.integers(1, 10, n)) % 10, check)
    siren_digits = cat(int_str(bodies), int_str(check))
    siret_body = (bodies * 10 + check) * 10_000 + rng.integers(10, 9999, n)  # SIREN + 4 digits of the NIC
    siret = cat(int_str(siret_body), int_str(_luhn_check_digit(siret_body, 13)))
    siret = where(~bad & (rng.random(n) < 0.6), siret, "")
    if la_poste >= 0:
        siren_digits[la_poste] = LA_POSTE_SIREN
        siret[la_poste] = _la_poste_siret()
    spaced = rng.random(n) < 0.1
    siren_text = where(spaced, cat(np.strings.slice(siren_digits, 0, 3), " ", np.strings.slice(siren_digits, 3, 6), " ",
                                   np.strings.slice(siren_digits, 6, 9)), siren_digits)
    no_siren = rng.random(n) < np.where(np.isin(kind, [ASSOCIATION, FOUNDATION]), 0.2, 0.02)
    if la_poste >= 0:
        no_siren[la_poste] = False
    siren_text = where(no_siren, "", siren_text)
    siret = where(no_siren, "", siret)

    naf_text = strs(naf.astype(str))
    compact = rng.random(n) < 0.4
    naf_text = where(compact, np.strings.replace(naf_text, ".", ""), naf_text)
    naf_text = where((kind == PRIVATE) & (rng.random(n) < 0.02), "", naf_text)
    legal_text = strs(legal.astype(str))

    # --- relationship, profile, dates ---------------------------------------------------------------------------
    relationship = pick(rng, n, [0.55, 0.30, 0.05, 0.05, 0.05])
    relationship = np.where(kind == GROUP, pick(rng, n, [0.6, 0.2, 0.2, 0.0, 0.0]), relationship)
    relationship = np.where(kind == PUBLIC, pick(rng, n, [0.55, 0.45, 0, 0, 0]), relationship)
    french = rng.random(n) < 0.45
    rel_text = strs(FRENCH_LABEL.get(RELATIONSHIPS[r], RELATIONSHIPS[r]) if f else RELATIONSHIPS[r]
                    for r, f in zip(relationship, french))
    profile = np.full(n, NONE)
    client_profile = pick(rng, n, [0.10, 0.40, 0.25, 0.18, 0.07]) + 1
    profile = np.where(relationship == 0, client_profile, profile)
    profile = np.where((relationship >= 2) & (rng.random(n) < 0.35), OCCASIONAL, profile)
    profile = np.where(kind == GROUP, np.where(relationship == 0, KEY, profile), profile)
    profile = np.where(is_valid, profile, NONE)

    first_day = day_number(dt.date(2012, 1, 1))
    span = ctx.ref_day - 10 - first_day
    created_day = first_day + (span * rng.random(n) ** 0.8).astype(np.int64)
    new_client = profile == NEW
    created_day = np.where(new_client, ctx.ref_day - 30 - rng.integers(0, 270, n), created_day)
    created = ctx.calendar.fix_dst_gap(business_seconds(rng, created_day, 8, 19))
    updated = created + ((ctx.ref_second - created) * rng.random(n) ** 0.5).astype(np.int64)
    updated = ctx.calendar.fix_dst_gap(np.minimum(updated, ctx.ref_second - 60))
    age_years = np.where(kind == GROUP, 20 + rng.random(n) * 100, np.exp(rng.normal(np.log(9), 0.8, n)))
    founded_day = created_day - (age_years * 365.25).astype(np.int64)
    founded_day = np.maximum(founded_day, day_number(dt.date(1921, 1, 1)))

    health = np.clip(np.round(rng.beta(5, 2.5, n) * 1000), 0, 1000).astype(np.int64)
    health = np.where(profile == CHURNED, np.clip(np.round(rng.beta(2.5, 3, n) * 1000), 0, 1000).astype(np.int64), health)
    no_score = rng.random(n) < np.where(kind == PUBLIC, 0.6, 0.1)
    health = np.where(no_score, -1, health)
    health = np.where((health >= 0) & (rng.random(n) < 0.5), health // 10 * 10, health)  # half written as integers
    score_text = where(health < 0, "", decimal1(np.maximum(health, 0), ","))

    tech = np.clip(rng.beta(2, 3, n) + np.isin(naf_text, ["62.01Z", "6201Z", "62.02A", "6202A", "63.11Z", "6311Z"]) * 0.3
                   + (headcount > 50) * 0.15, 0, 1)

    # --- web domains and sites -------------------------------------------------------------------------------------
    domains = np.empty(n, dtype=object)
    taken: set[str] = set()
    for i in range(n):
        base = "-".join(_slug_words(str(names[i]))[:3]) or "entreprise"
        tld = ".fr" if u[i, 7] < 0.7 else (".com" if u[i, 7] < 0.95 else ".eu")
        candidate, k = base + tld, 1
        while candidate in taken:
            suffix = "-".join(_slug_words(str(city[i]))) or "fr"
            candidate = f"{base}-{suffix}{tld}" if k == 1 else f"{base}-{suffix}{k}{tld}"
            k += 1
        taken.add(candidate)
        domains[i] = candidate
    domain = strs(domains.astype(str))
    site_style = rng.random(n)
    website = where(site_style < 0.35, cat("https://www.", domain), where(site_style < 0.5, cat("www.", domain),
                    where(site_style < 0.6, cat("http://", domain), "")))
    website = where(kind == SOLE, where(rng.random(n) < 0.3, website, ""), website)

    hours = np.empty(n, dtype=object)
    for i in range(n):
        options = OPENING_HOURS[hours_kind[i]]
        hours[i] = options[int(u[i, 6] * len(options))] if u[i, 5] > 0.12 else ""
    hours_text = strs(hours.astype(str))

    # --- file order: by creation (ids ascend with time), broken rows interleaved --------------------------------------
    order = np.argsort(created, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    width = max(6, len(str(n)) + 1)
    ids_by_entity = cat("CO", np.strings.zfill(int_str(rank + 1), width))

    parent = np.full(n, -1)
    valid_idx = np.flatnonzero(is_valid)
    groups = valid_idx[kind[valid_idx] == GROUP]
    private_valid = valid_idx[kind[valid_idx] == PRIVATE]
    holdings_valid = valid_idx[kind[valid_idx] == HOLDING]
    if groups.size:
        sub_holdings = holdings_valid[rng.random(holdings_valid.size) < 0.3]
        parent[sub_holdings] = groups[rng.integers(groups.size, size=sub_holdings.size)]
        subsidiaries = private_valid[rng.random(private_valid.size) < 0.06]
        parent[subsidiaries] = groups[rng.integers(groups.size, size=subsidiaries.size)]
        if sub_holdings.size:
            via_holding = subsidiaries[rng.random(subsidiaries.size) < 0.25]
            parent[via_holding] = sub_holdings[rng.integers(sub_holdings.size, size=via_holding.size)]
    # Small family groups: a mid-sized company owning a few others (not members of a large group).
    heads = private_valid[(parent[private_valid] < 0) & (headcount[private_valid] >= 10) & (headcount[private_valid] < 250)]
    heads = heads[rng.random(heads.size) < 0.1]
    if heads.size:
        members = private_valid[(parent[private_valid] < 0) & (rng.random(private_valid.size) < 0.02)]
        members = members[~np.isin(members, heads)]
        parent[members] = heads[rng.integers(heads.size, size=members.size)]
    parent_text = where(parent >= 0, ids_by_entity[np.maximum(parent, 0)], "")

    columns_by_entity = {
        "company_id": ids_by_entity, "company_name": names, "siren": siren_text, "siret": siret,
        "legal_form_code": legal_text, "naf_code": naf_text, "employee_count": count_text,
        "employee_band": band_written, "annual_revenue_eur": revenue_text,
        "founded_date": where(rng.random(n) < 0.9, ctx.calendar.fr_date(founded_day), ""),
        "street": street, "postal_code": postal, "city": city, "country_code": country,
        "relationship_type": rel_text, "parent_company_id": parent_text, "opening_hours": hours_text,
        "timezone": timezone, "financial_score": score_text, "website": website,
        "created_at": ctx.calendar.fr_ts(created),
        "updated_at": where(rng.random(n) < 0.92, ctx.calendar.fr_ts(updated), ""),
    }

    # --- truth of valid rows ---------------------------------------------------------------------------------------
    size = np.empty(n, dtype=object)
    for i in range(n):
        size[i] = size_category(int(headcount[i]) if count_given[i] else None, str(band_written[i]),
                                int(revenue_cents[i]) if revenue_given[i] else None)
    dept_of = geo.departments_of(postal, country)
    truth_by_entity: dict[int, list[str]] = {}
    for i in valid_idx:
        lf = str(legal_text[i])
        naf_code = str(naf_text[i])
        if lf[0] in "47":
            org_type = "public_body"
        elif lf[0] == "9":
            org_type = "nonprofit"
        elif lf[0] == "1":
            org_type = "sole_trader"
        elif naf_code.replace(".", "") == "6420Z":
            org_type = "holding"
        else:
            org_type = ORG_TYPE_OF_SIZE[size[i]]
        member, node, steps = False, parent[i], 0
        while node >= 0 and steps < 10:
            if size[node] == "large":
                member = True
                break
            node, steps = parent[node], steps + 1
        dept_index = None if dept_of[i] < 0 else int(dept_of[i])
        score = health[i]
        band_h = "unknown" if score < 0 else "fragile" if score < 400 else "average" if score < 700 else "healthy"
        truth_by_entity[i] = [
            str(ids_by_entity[i]), org_type, size[i], naf_section(naf_code), _bool(lf[0] in "47"),
            "" if str(siren_text[i]) == "" else _bool(is_valid_siren(str(siren_text[i]))),
            RELATIONSHIPS[relationship[i]],
            "" if dept_index is None else str(geo.dept_code[dept_index]),
            "" if dept_index is None else str(geo.region[dept_index]),
            band_h, _bool(member),
        ]

    # Entities in file order.
    columns = {name: col[order].copy() for name, col in columns_by_entity.items()}
    valid_sorted = is_valid[order]
    _place_broken_rows(ctx, columns, valid_sorted, defects, rng)
    truth = [truth_by_entity[i] for i in order if is_valid[i]]
    inverse = order
    return Companies(
        n=n, columns=columns, valid=valid_sorted, kind=kind[inverse], profile=profile[inverse],
        relationship=relationship[inverse], headcount=headcount[inverse], created=created[inverse],
        domain=domain[inverse], tech=tech[inverse], health=health[inverse], place=place[inverse], truth=truth,
        owner=owner[inverse],
    )


_STOP_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "ei", "sa", "sas", "sarl", "au", "aux"}


def _slug_words(text: str) -> list[str]:
    text = strip_accents(text.split("\n")[0]).lower()
    return [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _STOP_WORDS]


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _place_broken_rows(ctx: Context, columns: dict[str, np.ndarray], valid: np.ndarray, defects: list[Defect],
                       rng: np.random.Generator, source_file: str = "companies.csv", key: str = "company_id") -> None:
    """Turns the broken rows (the non-valid rows, already at their place in the file) into exactly one defect
    each; duplicates copy an earlier valid row and keep its key."""
    spare_pos = np.flatnonzero(~valid)
    if spare_pos.size == 0:
        return
    # Duplicates need an earlier valid row: give them the latest broken rows.
    order = sorted(range(len(defects)), key=lambda k: (not defects[k].duplicate, k))
    positions = sorted(spare_pos.tolist(), reverse=True)
    assignment = {}
    for k, pos in zip(order, positions):
        assignment[pos] = defects[k]
    valid_pos = np.flatnonzero(valid)
    for pos in sorted(assignment):
        defect = assignment[pos]
        if defect.duplicate:
            earlier = valid_pos[valid_pos < pos]
            if earlier.size == 0:
                defect = next(d for d in defects if not d.duplicate)
            else:
                source = int(earlier[rng.integers(earlier.size)])
                for name in columns:
                    columns[name][pos] = columns[name][source]
        row = {name: str(col[pos]) for name, col in columns.items()}
        defect.mutate(row)
        for name, value in row.items():
            columns[name][pos] = value
        ctx.log.add(source_file, int(pos) + 1, defect)


def company_defects(unknown_company: str) -> list[Defect]:
    return [
        Defect("missing_required_value", "company_id", set_value("company_id", "")),
        Defect("duplicate_key", "company_id", set_value("updated_at", "02/01/2026 09:15"), duplicate=True),
        Defect("unparseable_date", "founded_date", set_value("founded_date", "31/02/2019")),
        Defect("malformed_siren", "siren", set_value("siren", "12345")),
        Defect("value_not_allowed", "relationship_type", set_value("relationship_type", "lead")),
        Defect("negative_amount", "annual_revenue_eur", set_value("annual_revenue_eur", "-12000,00")),
        Defect("out_of_range", "financial_score", set_value("financial_score", "140")),
        Defect("unparseable_timestamp", "created_at", set_value("created_at", "hier")),
        Defect("unparseable_integer", "employee_count", set_value("employee_count", "douze")),
        Defect("unparseable_decimal", "annual_revenue_eur", set_value("annual_revenue_eur", "12,5,3")),
        Defect("missing_required_value", "company_name", set_value("company_name", "")),
        Defect("missing_required_value", "created_at", set_value("created_at", "")),
        Defect("negative_amount", "employee_count", set_value("employee_count", "-5")),
        Defect("malformed_siren", "siren", set_value("siren", "1234567890")),
        Defect("unparseable_timestamp", "updated_at", set_value("updated_at", "32/01/2025 10:00")),
        Defect("unparseable_decimal", "financial_score", set_value("financial_score", "bon")),
        Defect("out_of_range", "financial_score", set_value("financial_score", "100,5")),
    ]
