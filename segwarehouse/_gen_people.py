"""Contacts of the demo data: B2B contacts of the accounts and consumers, each with a latent behaviour profile
that later drives orders, emails, tickets, visits and NPS answers; the `contacts.csv` columns and the truth."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from segwarehouse._gen_common import Context, Pools, pick, strip_accents, systematic_round
from segwarehouse._gen_companies import FAMILY_OF_KIND, SOLE, Companies, _place_broken_rows
from segwarehouse._gen_csv import DAY, Defect, S, cat, empty, int_str, money, padded, set_value, strs, where
from segwarehouse._gen_reference import (
    CATALOGUE, EDUCATION, FREE_WEBMAIL, GENERIC_PREFIXES, HEAD_TITLES, HUBSPOT_OWNERS, INTERESTS, ISCED_DIGITS,
    JOB_TITLES, LEAD_SOURCES_B2B, LEAD_SOURCES_B2C, MOUNTAIN_INTERESTS, COASTAL_INTERESTS, OCCUPATIONS, OTHER_TITLES,
    WEBMAIL_WEIGHTS,
)

# Consumer behaviour profiles.
NEVER, ONE_OFF, REGULAR, LOYAL, LAPSING, NEW_CUSTOMER, UNHAPPY = range(7)
CONSUMER_PROFILE_SHARES = [0.20, 0.20, 0.20, 0.10, 0.15, 0.08, 0.07]

OCCUPATION_GROUPS = list(OCCUPATIONS)
EDUCATION_LEVELS = list(EDUCATION)
CONSENTS = ["opt_in", "opt_out", "unknown", ""]
UNKNOWN_DAY = -(10**7)  # day number of an unknown birth date

COLUMNS = ["contact_id", "company_id", "email", "first_name", "last_name", "job_title", "phone", "gender", "birth_date",
           "street", "postal_code", "city", "country_code", "housing_type", "household_income_eur", "occupation",
           "education_level", "interests", "email_consent", "consent_updated_at", "lead_source", "created_at",
           "updated_at"]
FILE_ORDER = ["contact_id", "company_id", "first_name", "last_name", "email", "phone", "job_title", "gender",
              "birth_date", "street", "postal_code", "city", "country_code", "hubspot_owner", "housing_type",
              "household_income_eur", "occupation", "education_level", "interests", "email_consent",
              "consent_updated_at", "lead_source", "created_at", "updated_at"]
HEADER = {"contact_id": "Contact_ID", "company_id": "company_id", "email": "Email ", "first_name": "First_Name",
          "last_name": "Last_Name", "job_title": "Job_Title", "phone": "Phone", "gender": "Gender",
          "birth_date": "Birth_Date", "street": "Street", "postal_code": "Postal_Code", "city": "City",
          "country_code": "Country_Code", "hubspot_owner": "HubSpot_Owner", "housing_type": "Housing_Type",
          "household_income_eur": "Household_Income_EUR", "occupation": "Occupation",
          "education_level": "Education_Level", "interests": "Interests", "email_consent": "Email_Consent",
          "consent_updated_at": "Consent_Updated_At", "lead_source": "Lead_Source", "created_at": "Created_At",
          "updated_at": "Updated_At"}
TEXT_COLUMNS = ["first_name", "last_name", "job_title", "street", "city", "occupation", "education_level", "interests",
                "lead_source", "hubspot_owner"]

TRUTH_COLUMNS = ["contact_id", "customer_type", "normalised_email", "is_generic_email", "is_free_webmail",
                 "job_function", "seniority", "gender", "age", "age_band", "income_band", "housing_type",
                 "occupation_group", "education_level", "department_code", "region", "is_coastal", "is_mountain"]

TITLE_TEXT = [t[0] for t in JOB_TITLES]
TITLE_INDEX = {t: i for i, t in enumerate(TITLE_TEXT)}
GENERIC_BY_FUNCTION = {"finance": ["compta", "facturation"], "hr": ["rh"], "sales": ["commercial"],
                       "executive": ["direction", "contact"], "other": ["accueil", "secretariat", "contact"]}
GENERIC_DEFAULT = ["contact", "info", "bonjour", "hello", "support", "sav", "noreply", "accueil"]


@dataclass
class People:
    """Persons (valid ones first, then the persons of broken rows) and their latent behaviour."""

    n_people: int  # valid persons
    n_spare: int
    b2b: np.ndarray
    company_row: np.ndarray  # row of the account in companies.csv, -1 for consumers
    gender: np.ndarray  # "F", "M", "X"
    first_idx: np.ndarray
    last_idx: np.ndarray
    birth_day: np.ndarray  # UNKNOWN_DAY when unknown to the CRM
    created: np.ndarray  # seconds
    profile: np.ndarray  # consumers: NEVER..UNHAPPY; B2B: the account's profile
    unhappy: np.ndarray
    place: np.ndarray  # geo place of the address, -1 when none / abroad
    email: np.ndarray  # normalised email ('' when none)
    email_kind: np.ndarray  # 0 none, 1 personal company domain, 2 webmail, 3 generic
    consent: np.ndarray  # index in CONSENTS
    p_open: np.ndarray
    p_click: np.ndarray
    dead_address: np.ndarray
    complains: np.ndarray
    unsubscribe_after: np.ndarray  # seconds; a huge value when the person never unsubscribes
    p_store: np.ndarray
    favourite_category: np.ndarray
    title: np.ndarray  # index in JOB_TITLES, -1 none
    occupation_group: np.ndarray
    education: np.ndarray
    income_cents: np.ndarray  # -1 when not given
    dup_of: np.ndarray  # for each duplicate row: the person it duplicates
    dup_created: np.ndarray


def allocate_contacts(total: int, base: np.ndarray, cap: np.ndarray, weight: np.ndarray,
                      rng: np.random.Generator) -> np.ndarray:
    """Contacts per account: at least `base`, at most `cap` when possible, summing to `total`."""
    if total <= base.sum():
        return systematic_round(weight * base, total, rng)
    counts = base.copy()
    extra = total - base.sum()
    slots = cap - base
    if extra >= slots.sum():
        return cap + systematic_round(weight, extra - slots.sum(), rng)
    idx = np.repeat(np.arange(base.size), slots)
    keys = rng.random(idx.size) ** (1.0 / np.repeat(weight, slots))  # weighted sampling without replacement
    chosen = idx[np.argpartition(-keys, extra - 1)[:extra]]
    return counts + np.bincount(chosen, minlength=base.size)


def build_people(ctx: Context, pools: Pools, companies: Companies, n_contacts: int, n_consumers: int,
                 n_spare: int) -> People:
    rng = ctx.rng("people")
    geo = ctx.geo
    n_dup = int(round(0.029 * n_contacts))
    n_people = n_contacts - n_dup
    n_cons = min(n_people, int(round(n_consumers * n_people / max(n_contacts, 1))))
    n_b2b = n_people - n_cons

    valid_rows = np.flatnonzero(companies.valid)
    kind = companies.kind[valid_rows]
    weight = np.maximum(companies.headcount[valid_rows], 1) ** 0.25
    base = np.where(kind == SOLE, 1, 2)
    cap = np.where(kind == SOLE, 2, np.where(companies.headcount[valid_rows] < 10, 4, 6))
    per_account = allocate_contacts(n_b2b, base, cap, weight, rng)
    account = np.repeat(valid_rows, per_account)
    starts = np.repeat(np.cumsum(per_account) - per_account, per_account)
    rank = np.arange(n_b2b) - starts

    P = n_people + n_spare
    b2b = np.zeros(P, dtype=bool)
    b2b[:n_b2b] = True
    b2b[n_people:] = rng.random(n_spare) < 0.5
    company_row = np.full(P, -1)
    company_row[:n_b2b] = account
    spare_b2b = np.flatnonzero(b2b[n_people:]) + n_people
    if valid_rows.size:
        company_row[spare_b2b] = valid_rows[rng.integers(valid_rows.size, size=spare_b2b.size)]
    else:
        b2b[spare_b2b] = False

    # --- identity ---------------------------------------------------------------------------------------------
    gender = np.where(rng.random(P) < 0.51, "F", "M").astype(S)
    gender = where(~b2b & (rng.random(P) < 0.012), "X", gender)
    n_female = pools.female.size
    first_idx = np.where(gender == "F", rng.integers(n_female, size=P),
                         np.where(gender == "M", n_female + rng.integers(pools.male.size, size=P),
                                  rng.integers(n_female + pools.male.size, size=P)))
    last_idx = rng.integers(pools.last.size, size=P)
    # A sole trader's first contact is the trader, named in the company's name.
    traders = np.flatnonzero((np.arange(P) < n_b2b) & b2b & (companies.kind[np.maximum(company_row, 0)] == SOLE)
                             & np.r_[rank == 0, np.zeros(P - n_b2b, bool)])
    owner = companies.owner[company_row[traders]]
    first_idx[traders], last_idx[traders] = owner[:, 0], owner[:, 1]
    gender[traders] = np.where(owner[:, 2] == 0, "F", "M")

    # --- profiles ----------------------------------------------------------------------------------------------
    profile = np.where(b2b, companies.profile[np.maximum(company_row, 0)], pick(rng, P, CONSUMER_PROFILE_SHARES))
    profile[n_people:] = np.where(b2b[n_people:], 0, NEVER)
    unhappy = np.where(b2b, (rng.random(P) < 0.07) | ((profile == 4) & (rng.random(P) < 0.3)), profile == UNHAPPY)

    # --- dates ---------------------------------------------------------------------------------------------------
    ref = ctx.ref_day
    first_day = ref - 365 * 10
    u = rng.random(P)
    created_day = first_day + ((ref - 2 - first_day) * u ** 0.7).astype(np.int64)
    consumer = ~b2b
    created_day = np.where(consumer & np.isin(profile, [ONE_OFF, REGULAR, LOYAL, UNHAPPY]),
                           np.minimum(created_day, ref - 60 - rng.integers(0, 30, P)), created_day)
    created_day = np.where(consumer & (profile == LAPSING), np.minimum(created_day, ref - 500 - rng.integers(0, 200, P)),
                           created_day)
    created_day = np.where(consumer & (profile == NEW_CUSTOMER), ref - 5 - rng.integers(0, 150, P), created_day)
    company_created = companies.created[np.maximum(company_row, 0)] // DAY
    created_day = np.where(b2b, company_created + ((ref - 1 - company_created) * rng.random(P) ** 1.5).astype(np.int64),
                           created_day)
    created = ctx.calendar.fix_dst_gap(created_day * DAY + rng.integers(8 * 3600, 21 * 3600, P))

    age = np.where(b2b, rng.integers(23, 66, P), _consumer_ages(rng, P))
    birth_day = ref - (age * 365.25).astype(np.int64) - rng.integers(0, 365, P)
    birth_known = np.where(b2b, rng.random(P) < 0.15, rng.random(P) < 0.95)
    birth_day = np.where(birth_known, birth_day, UNKNOWN_DAY)

    # --- address -------------------------------------------------------------------------------------------------
    place = geo.sample_places(rng, P)
    place = np.where(b2b, companies.place[np.maximum(company_row, 0)], place)

    # --- socio-demographics of consumers ----------------------------------------------------------------------------
    occ = _occupation_groups(rng, age)
    occ = np.where(b2b, -1, occ)
    edu = np.full(P, -1)
    for group, probs in enumerate(EDU_BY_OCC):
        rows = np.flatnonzero(occ == group)
        edu[rows] = pick(rng, rows.size, probs)
    medians = np.array([30, 42, 70, 45, 32, 29, 33, 14, 19]) * 1000
    income = np.exp(rng.normal(np.log(medians[np.maximum(occ, 0)]), 0.45, P))
    income_cents = (np.round(income / 100) * 100).astype(np.int64) * 100
    income_cents = np.where(b2b | (rng.random(P) < 0.15), -1, income_cents)

    # --- emails ------------------------------------------------------------------------------------------------
    title = _titles(rng, P, b2b, company_row, companies, rank, n_b2b, gender)
    email, email_kind = _emails(rng, pools, companies, b2b, company_row, first_idx, last_idx, birth_day, title)

    consent = np.where(b2b, pick(rng, P, [0.25, 0.03, 0.15, 0.57]), pick(rng, P, [0.60, 0.14, 0.12, 0.14]))
    consent = np.where(email == "", np.where(rng.random(P) < 0.5, 3, consent), consent)
    engaged = {LOYAL: (0.35, 0.75), REGULAR: (0.15, 0.5), ONE_OFF: (0.05, 0.3), LAPSING: (0.05, 0.35),
               NEW_CUSTOMER: (0.2, 0.6), UNHAPPY: (0.05, 0.3)}
    lo = np.array([engaged.get(p, (0.0, 0.05))[0] for p in range(7)])
    hi = np.array([engaged.get(p, (0.0, 0.05))[1] for p in range(7)])
    reader = rng.random(P) < 0.5
    p_open = np.where(b2b, rng.uniform(0.05, 0.45, P),
                      np.where((profile == NEVER) & reader, rng.uniform(0.1, 0.5, P),
                               lo[np.where(b2b, 0, profile)] + rng.random(P) * (hi - lo)[np.where(b2b, 0, profile)]))
    p_click = rng.uniform(0.05, 0.35, P) * np.where(profile == LOYAL, 1.4, 1.0)
    has_email = email != ""
    dead = has_email & (rng.random(P) < 0.015)
    complains = has_email & ~dead & (rng.random(P) < 0.003)
    unsub = has_email & ~dead & (consent == 1) & (rng.random(P) < 0.7)
    start = np.maximum(created, ctx.history_start_day * DAY) + 30 * DAY
    unsubscribe_after = np.where(unsub, start + ((ctx.ref_second - 2 * DAY - start) * rng.random(P)).astype(np.int64),
                                 np.iinfo(np.int64).max)
    unsubscribe_after = np.where(unsub & (start >= ctx.ref_second - 2 * DAY), np.iinfo(np.int64).max, unsubscribe_after)

    categories = len(CATALOGUE)
    fav_b2c = rng.choice(categories, size=P, p=_norm([3, 2, 3, 1, 1, 3, 3, 3, 0.5, 1.5, 1.5, 1.5, 1]))
    fav_b2b = rng.choice(categories, size=P, p=_norm([3, 2, 2, 2, 2, 1, 0.3, 1, 1.5, 3, 2.5, 2.5, 1.5]))
    favourite = np.where(b2b, fav_b2b, fav_b2c)

    # --- duplicated people ---------------------------------------------------------------------------------------
    with_email = np.flatnonzero(has_email[:n_people])
    dup_of = with_email[rng.choice(with_email.size, size=min(n_dup, with_email.size), replace=False)] if with_email.size else np.zeros(0, int)
    dup_of = np.sort(dup_of)
    dup_created = np.minimum(created[dup_of] + rng.integers(20, 700, dup_of.size) * DAY, ctx.ref_second - DAY)
    dup_created = ctx.calendar.fix_dst_gap(np.maximum(dup_created, created[dup_of] + 3600))

    return People(
        n_people=n_people, n_spare=n_spare, b2b=b2b, company_row=company_row, gender=gender, first_idx=first_idx,
        last_idx=last_idx, birth_day=birth_day, created=created, profile=profile, unhappy=unhappy, place=place,
        email=email, email_kind=email_kind, consent=consent, p_open=p_open, p_click=p_click, dead_address=dead,
        complains=complains, unsubscribe_after=unsubscribe_after,
        p_store=np.where(b2b, 0.05, rng.beta(2, 2, P)), favourite_category=favourite, title=title,
        occupation_group=occ, education=edu, income_cents=income_cents, dup_of=dup_of, dup_created=dup_created,
    )


def _norm(weights: list[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def _consumer_ages(rng: np.random.Generator, n: int) -> np.ndarray:
    ages = np.arange(18, 91)
    w = np.where(ages < 25, 0.7, np.where(ages <= 65, 1.0, np.maximum(0.15, 1.0 - (ages - 65) * 0.035)))
    return rng.choice(ages, size=n, p=w / w.sum())


# Occupation group probabilities by age bracket (order of OCCUPATION_GROUPS).
_OCC_BY_AGE = [
    (25, [0, 0, 0, 0.05, 0.20, 0.10, 0, 0.55, 0.10]),
    (60, [0.015, 0.07, 0.20, 0.25, 0.26, 0.135, 0, 0, 0.07]),
    (65, [0.02, 0.05, 0.10, 0.10, 0.15, 0.08, 0.50, 0, 0]),
    (200, [0.01, 0.03, 0, 0, 0, 0, 0.96, 0, 0]),
]
# Education level probabilities by occupation group (order of EDUCATION_LEVELS).
EDU_BY_OCC = [
    [0.3, 0.5, 0.15, 0.05, 0, 0], [0.2, 0.5, 0.15, 0.1, 0.05, 0], [0, 0.02, 0.08, 0.2, 0.6, 0.1],
    [0, 0.1, 0.45, 0.35, 0.1, 0], [0.15, 0.55, 0.2, 0.08, 0.02, 0], [0.45, 0.5, 0.05, 0, 0, 0],
    [0.35, 0.35, 0.1, 0.1, 0.08, 0.02], [0, 0.45, 0.2, 0.25, 0.1, 0], [0.35, 0.4, 0.1, 0.1, 0.05, 0],
]


def _occupation_groups(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    out = np.zeros(age.size, dtype=np.int64)
    lower = 0
    for upper, probs in _OCC_BY_AGE:
        mask = (age >= lower) & (age < upper)
        out[mask] = pick(rng, int(mask.sum()), probs)
        lower = upper
    return out


def _titles(rng: np.random.Generator, P: int, b2b: np.ndarray, company_row: np.ndarray, companies: Companies,
            rank: np.ndarray, n_b2b: int, gender: np.ndarray) -> np.ndarray:
    """Job titles of B2B contacts: the first contact of an account is its head, the others hold the titles of
    their organisation's family; grammatical gender agrees with the person's."""
    title = np.full(P, -1)
    family = np.where(b2b, FAMILY_OF_KIND[companies.kind[np.maximum(company_row, 0)]], "")
    head = np.zeros(P, dtype=bool)
    head[:n_b2b] = rank == 0
    for fam in ("company", "sole_trader", "nonprofit", "public_body"):
        for is_head in (True, False):
            names = HEAD_TITLES[fam] if is_head else OTHER_TITLES.get(fam) or [
                t for t in TITLE_TEXT if t not in HEAD_TITLES["company"] and t not in HEAD_TITLES["public_body"]]
            for g in ("F", "M"):
                allowed = [TITLE_INDEX[t] for t in names if JOB_TITLES[TITLE_INDEX[t]][3] in ("", g)]
                rows = np.flatnonzero(b2b & (family == fam) & (head == is_head) & (gender == g))
                if rows.size and allowed:
                    title[rows] = np.array(allowed)[rng.integers(len(allowed), size=rows.size)]
    title = np.where(b2b & (rng.random(P) < 0.05), -1, title)
    return title


def _emails(rng: np.random.Generator, pools: Pools, companies: Companies, b2b: np.ndarray, company_row: np.ndarray,
            first_idx: np.ndarray, last_idx: np.ndarray, birth_day: np.ndarray, title: np.ndarray):
    """Normalised email of each person (unique across people) and its kind."""
    P = b2b.size
    first = np.concatenate([pools.female_ascii, pools.male_ascii])[first_idx]
    last = pools.last_ascii[last_idx]
    initial = np.strings.slice(first, 0, 1)
    two_digits = padded(rng.integers(1, 100, P), 2)
    born = np.where(birth_day != UNKNOWN_DAY, birth_day, rng.integers(-3650, 10950, P)).astype("datetime64[D]")
    year = int_str(born.astype("datetime64[Y]").astype(np.int64) + 1970)
    patterns = [cat(first, ".", last), cat(initial, ".", last), cat(first, last), cat(last, ".", first),
                cat(first, ".", last, two_digits), cat(first, "_", last), cat(first, year)]
    kind = np.where(b2b, pick(rng, P, [0.04, 0.78, 0.10, 0.08]), pick(rng, P, [0.04, 0.0, 0.96, 0.0]))
    style = np.where(kind == 1, pick(rng, P, [0.6, 0.15, 0.05, 0.1, 0, 0.1, 0]), pick(rng, P, [0.3, 0.05, 0.1, 0.05, 0.35, 0.1, 0.05]))
    local = patterns[0].copy()
    for k, pattern in enumerate(patterns):
        local = where(style == k, pattern, local)
    webmail = strs(FREE_WEBMAIL)[rng.choice(len(FREE_WEBMAIL), size=P, p=_norm(WEBMAIL_WEIGHTS))]
    company_domain = companies.domain[np.maximum(company_row, 0)]
    generic = empty(P)
    for i in np.flatnonzero(kind == 3):
        function = JOB_TITLES[title[i]][1] if title[i] >= 0 else ""
        options = GENERIC_BY_FUNCTION.get(function, GENERIC_DEFAULT)
        generic[i] = options[rng.integers(len(options))]
    local = where(kind == 3, generic, local)
    domain = where(kind == 2, webmail, company_domain)
    email = where(kind == 0, "", cat(local, "@", domain))
    # Unique addresses: later namesakes get digits, a second generic address of a domain another role prefix.
    for attempt in range(20):
        present = np.flatnonzero(email != "")
        _, first_seen = np.unique(email[present], return_index=True)
        repeated = np.setdiff1d(np.arange(present.size), first_seen)
        if repeated.size == 0:
            break
        for i in present[repeated]:
            if kind[i] == 3:
                options = GENERIC_DEFAULT + GENERIC_PREFIXES
                local[i] = options[rng.integers(len(options))] + ("" if attempt < 3 else str(attempt))
            else:
                local[i] = f"{local[i]}{rng.integers(1, 1000)}"
            email[i] = f"{local[i]}@{domain[i]}"
    return email, kind


# ------------------------------------------------------------------------------------------------------------------
# The export
# ------------------------------------------------------------------------------------------------------------------
def contact_defects(unknown_company: str) -> list[Defect]:
    return [
        Defect("missing_required_value", "contact_id", set_value("contact_id", "")),
        Defect("duplicate_key", "contact_id", set_value("phone", "06 00 00 00 00"), duplicate=True),
        Defect("malformed_email", "email", lambda row: row.update(email=(row["email"].split("@")[0] or "jean.dupont") + "@")),
        Defect("unparseable_date", "birth_date", set_value("birth_date", "31/02/1985")),
        Defect("unknown_reference", "company_id", set_value("company_id", unknown_company)),
        Defect("value_not_allowed", "email_consent", set_value("email_consent", "maybe")),
        Defect("unparseable_timestamp", "created_at", set_value("created_at", "hier")),
        Defect("unparseable_decimal", "household_income_eur", set_value("household_income_eur", "12,5,3")),
        Defect("missing_required_value", "created_at", set_value("created_at", "")),
        Defect("malformed_email", "email", set_value("email", "pas-un-email")),
        Defect("unparseable_date", "birth_date", set_value("birth_date", "15/13/1990")),
        Defect("unparseable_timestamp", "consent_updated_at", set_value("consent_updated_at", "31/04/2024 10:00")),
        Defect("malformed_email", "email", lambda row: row.update(email=(row["email"].split("@")[0] or "paul.martin") + "@gmail")),
    ]


@dataclass
class ContactRows:
    columns: dict[str, np.ndarray]  # file order
    valid: np.ndarray
    ids_of_person: np.ndarray  # contact id of each person's primary row
    dup_ids: np.ndarray  # contact id of each duplicate row (aligned with People.dup_of)
    truth: dict[str, np.ndarray]  # columns of contacts_truth.csv, file order


def contact_rows(ctx: Context, pools: Pools, companies: Companies, people: People, defects: list[Defect],
                 unsubscribed_at: np.ndarray) -> ContactRows:
    """The rows of contacts.csv, in file order (by creation, ids ascending): one per person, one more per duplicated
    person, and the broken rows."""
    rng = ctx.rng("contact-rows")
    geo = ctx.geo
    P = people.n_people
    spare_people = np.arange(P, P + people.n_spare)[: len(defects)]
    n_dup = people.dup_of.size
    person = np.concatenate([np.arange(P), people.dup_of, spare_people])
    kind = np.concatenate([np.zeros(P, np.int8), np.ones(n_dup, np.int8), np.full(spare_people.size, 2, np.int8)])
    created = np.concatenate([people.created[:P], people.dup_created, people.created[spare_people]])
    order = np.argsort(created, kind="stable")
    position = np.empty(order.size, dtype=np.int64)
    position[order] = np.arange(order.size)
    person, kind, created = person[order], kind[order], created[order]
    is_dup, valid = kind == 1, kind < 2
    n = person.size
    width = max(7, len(str(n)) + 1)
    row_id = cat("CT", np.strings.zfill(int_str(np.arange(1, n + 1)), width))
    primary_pos, dup_pos = position[people.dup_of], position[P + np.arange(n_dup)]
    b2b = people.b2b[person]

    first = np.concatenate([pools.female, pools.male])[people.first_idx[person]]
    last = pools.last[people.last_idx[person]]
    last = where(rng.random(n) < 0.1, np.strings.upper(last), last)

    email = people.email[person]
    messy = (rng.random(n) < 0.04) & (email != "")
    messy[primary_pos] = messy[dup_pos] = False
    for i in np.flatnonzero(messy):
        email[i] = _title_case_email(str(email[i]))
    # Duplicates: the two rows' addresses differ only by case and spaces.
    for j, (row, prim) in enumerate(zip(dup_pos, primary_pos)):
        plain = str(email[prim])
        variant = _email_variant(plain, j)
        if rng.random() < 0.3:
            email[prim], email[row] = variant, plain
        else:
            email[row] = variant

    title = people.title[person]
    variants = strs([v for t in TITLE_TEXT for v in (t, t.lower(), t.upper(), strip_accents(t))] + [""])
    style = pick(rng, n, [0.84, 0.08, 0.03, 0.05])
    title_text = variants[np.where(title >= 0, title * 4 + style, variants.size - 1)]

    gender_given = np.where(b2b, rng.random(n) < 0.35, rng.random(n) < 0.97)
    gender_written = where(gender_given, people.gender[person], "")
    birth = people.birth_day[person]
    birth_known = birth != UNKNOWN_DAY
    birth_text = where(birth_known, ctx.calendar.fr_date(np.where(birth_known, birth, ctx.ref_day)), "")

    place = people.place[person]
    postal = where(place >= 0, geo.postal[np.maximum(place, 0)], "")
    city = where(place >= 0, geo.city[np.maximum(place, 0)], "")
    street = pools.streets[rng.integers(pools.streets.size, size=n)]
    country = where(rng.random(n) < 0.9, "FR", "")
    company = people.company_row[person]
    if companies.n:
        cc, at = companies.columns, np.maximum(company, 0)
        postal = where(b2b, cc["postal_code"][at], postal)
        city = where(b2b, cc["city"][at], city)
        street = where(b2b, cc["street"][at], street)
        country = where(b2b, cc["country_code"][at], country)
    lost_zero = ~b2b & np.strings.startswith(postal, "0") & (rng.random(n) < 0.1)
    postal = where(lost_zero, np.strings.lstrip(postal, "0"), postal)
    for i in np.flatnonzero(~b2b & (rng.random(n) < 0.008)):
        code, fcity, fpostal, _ = geo.foreign[rng.integers(3)]  # Belgium
        country[i], city[i], postal[i] = code, fcity, fpostal
    no_address = ~b2b & (rng.random(n) < 0.02)
    postal, city, street = where(no_address, "", postal), where(no_address, "", city), where(no_address, "", street)

    house_p = np.where(np.isin(geo.dept_code[geo.place_dept[np.maximum(place, 0)]], ["75", "92", "93", "94"]), 0.12, 0.6)
    housing = np.where(rng.random(n) < house_p, 0, 1)
    housing = np.where(rng.random(n) < 0.025, 2, housing)
    housing_given = ~b2b & (rng.random(n) < 0.95)
    french = rng.random(n) < 0.25
    housing_labels = strs(["house", "apartment", "other", "maison", "appartement", "autre"])
    housing_text = where(housing_given, housing_labels[housing + 3 * french], "")

    income = people.income_cents[person]
    income_text = where(income < 0, "", where(rng.random(n) < 0.3, money(np.maximum(income, 0), ","),
                                              int_str(np.maximum(income, 0) // 100)))
    occ = people.occupation_group[person]
    occ_given = (occ >= 0) & (rng.random(n) < 0.9)
    occ_text = empty(n)
    for group, name in enumerate(OCCUPATION_GROUPS):
        rows = np.flatnonzero(occ_given & (occ == group))
        occ_text[rows] = strs(OCCUPATIONS[name])[rng.integers(len(OCCUPATIONS[name]), size=rows.size)]
    edu = people.education[person]
    edu_style = rng.random(n)
    edu_text = empty(n)
    edu_given = (edu >= 0) & (edu_style < 0.87)
    for level_index, level in enumerate(EDUCATION_LEVELS):
        for options, mask in ((ISCED_DIGITS[level], edu_style < 0.12), (EDUCATION[level], edu_style >= 0.12)):
            rows = np.flatnonzero((edu == level_index) & edu_given & mask)
            edu_text[rows] = strs(options)[rng.integers(len(options), size=rows.size)]
    interests_text = _interests(rng, n, b2b, place, geo)

    consent = people.consent[person]
    recorded = people.created + ((ctx.ref_second - people.created) * rng.random(people.created.size)).astype(np.int64)
    recorded = np.where(unsubscribed_at > 0, unsubscribed_at, recorded)
    consent_at = np.maximum(ctx.calendar.fix_dst_gap(recorded[person]), created)
    consent_text_at = where(consent < 3, ctx.calendar.fr_ts(consent_at), "")
    lead_b2c, lead_b2b = strs(LEAD_SOURCES_B2C), strs(LEAD_SOURCES_B2B)
    lead = where(b2b, lead_b2b[rng.integers(lead_b2b.size, size=n)], lead_b2c[rng.integers(lead_b2c.size, size=n)])
    lead = where(rng.random(n) < 0.1, "", lead)
    updated = created + ((ctx.ref_second - created) * rng.random(n) ** 2).astype(np.int64)
    updated = ctx.calendar.fix_dst_gap(np.minimum(updated, ctx.ref_second - 60))
    owner = where(b2b, strs(HUBSPOT_OWNERS)[rng.integers(len(HUBSPOT_OWNERS), size=n)], "")

    columns = {
        "contact_id": row_id,
        "company_id": where(company >= 0, companies.ids[np.maximum(company, 0)], "") if companies.n else empty(n),
        "email": email, "first_name": first, "last_name": last, "job_title": title_text,
        "phone": _phones(rng, n, b2b), "gender": gender_written, "birth_date": birth_text, "street": street,
        "postal_code": postal, "city": city, "country_code": country, "housing_type": housing_text,
        "household_income_eur": income_text, "occupation": occ_text, "education_level": edu_text,
        "interests": interests_text, "email_consent": strs(CONSENTS)[consent], "consent_updated_at": consent_text_at,
        "lead_source": lead, "created_at": ctx.calendar.fr_ts(created),
        "updated_at": where(rng.random(n) < 0.9, ctx.calendar.fr_ts(updated), ""), "hubspot_owner": owner,
    }

    # Truth of the valid rows, from the values as written.
    v = np.flatnonzero(valid)
    normalised = np.strings.lower(np.strings.replace(np.strings.strip(email[v]), " ", ""))
    local, _, domain = np.strings.partition(normalised, np.asarray("@", dtype=S))
    has_email = normalised != ""
    generic = np.zeros(v.size, dtype=bool)
    for prefix in GENERIC_PREFIXES:
        rest = np.strings.slice(local, len(prefix), None)
        generic |= np.strings.startswith(local, prefix) & ((rest == "") | np.strings.isdigit(rest))
    t = title[v]
    title_given = (title_text[v] != "") & (t >= 0)
    functions = strs([x[1] for x in JOB_TITLES] + ["unknown"])
    seniorities = strs([x[2] for x in JOB_TITLES] + ["unknown"])
    t_index = np.where(title_given, t, len(JOB_TITLES))
    age = _ages(ctx, birth[v])
    dept = geo.departments_of(postal[v], country[v])
    known = dept >= 0
    inc = income[v]
    truth = {
        "contact_id": row_id[v], "customer_type": where(company[v] >= 0, "b2b", "b2c"), "normalised_email": normalised,
        "is_generic_email": where(has_email, _bools(generic), ""),
        "is_free_webmail": where(has_email, _bools(np.isin(domain, strs(FREE_WEBMAIL))), ""),
        "job_function": functions[t_index], "seniority": seniorities[t_index],
        "gender": where(gender_written[v] != "", gender_written[v], "unknown"),
        "age": where(age >= 0, int_str(np.maximum(age, 0)), ""),
        "age_band": strs(["unknown", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"])[
            np.where(age < 18, 0, np.searchsorted([25, 35, 45, 55, 65], age, side="right") + 1)],
        "income_band": strs(["unknown", "low", "middle", "upper_middle", "high"])[
            np.where(inc < 0, 0, np.searchsorted([2_500_000, 5_000_000, 9_000_000], inc, side="right") + 1)],
        "housing_type": where(housing_given[v], strs(["house", "apartment", "other"])[housing[v]], "unknown"),
        "occupation_group": where(occ_text[v] != "", strs(OCCUPATION_GROUPS + ["unknown"])[occ[v]], "unknown"),
        "education_level": where(edu_text[v] != "", strs(EDUCATION_LEVELS + ["unknown"])[edu[v]], "unknown"),
        "department_code": where(known, geo.dept_code[np.maximum(dept, 0)], ""),
        "region": where(known, geo.region[np.maximum(dept, 0)], ""),
        "is_coastal": where(known, _bools(geo.coastal[np.maximum(dept, 0)]), ""),
        "is_mountain": where(known, _bools(geo.mountain[np.maximum(dept, 0)]), ""),
    }

    _place_broken_rows(ctx, columns, valid, defects, rng, "contacts.csv", "contact_id")
    return ContactRows(columns=columns, valid=valid, ids_of_person=row_id[position[:P]],
                       dup_ids=row_id[dup_pos], truth=truth)


def _bools(values: np.ndarray) -> np.ndarray:
    return where(values, "true", "false")


def _ages(ctx: Context, birth_day: np.ndarray) -> np.ndarray:
    """Whole years at the reference date (-1 for an unknown birth date)."""
    known = birth_day != UNKNOWN_DAY
    born = np.where(known, birth_day, 0).astype("datetime64[D]")
    year = born.astype("datetime64[Y]").astype(np.int64) + 1970
    month_day = (born.astype("datetime64[M]").astype(np.int64) % 12 + 1) * 100 \
        + (born - born.astype("datetime64[M]")).astype(np.int64) + 1
    ref = ctx.reference_date
    age = ref.year - year - ((ref.month * 100 + ref.day) < month_day)
    return np.where(known, age, -1)


def _title_case_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return ".".join(part.capitalize() for part in local.split(".")) + "@" + domain.capitalize()


def _email_variant(email: str, j: int) -> str:
    """The same address as typed again: other case, stray spaces around or inside."""
    local, _, domain = email.partition("@")
    kind = j % 5
    if kind == 0:
        return _title_case_email(email)
    if kind == 1:
        return f" {email} "
    if kind == 2:
        cut = local.find(".") + 1 or len(local)
        return f"{local[:cut]} {local[cut:]}@{domain}"
    if kind == 3:
        return email.upper()
    return f"{_title_case_email(email)} "


def _phones(rng: np.random.Generator, n: int, b2b: np.ndarray) -> np.ndarray:
    mobile = rng.random(n) < np.where(b2b, 0.5, 0.8)
    lead = where(mobile, where(rng.random(n) < 0.7, "6", "7"), int_str(rng.integers(1, 6, n)))
    pairs = [padded(rng.integers(0, 100, n), 2) for _ in range(4)]
    style = rng.random(n)
    spaced = cat("0", lead, " ", pairs[0], " ", pairs[1], " ", pairs[2], " ", pairs[3])
    intl = cat("+33 ", lead, " ", pairs[0], " ", pairs[1], " ", pairs[2], " ", pairs[3])
    compact = cat("0", lead, pairs[0], pairs[1], pairs[2], pairs[3])
    dotted = cat("0", lead, ".", pairs[0], ".", pairs[1], ".", pairs[2], ".", pairs[3])
    phone = where(style < 0.5, spaced, where(style < 0.7, intl, where(style < 0.9, compact, dotted)))
    return where(rng.random(n) < np.where(b2b, 0.2, 0.15), "", phone)


def _interests(rng: np.random.Generator, n: int, b2b: np.ndarray, place: np.ndarray, geo, block: int = 200_000) -> np.ndarray:
    """Declared interests of consumers, `|`-separated; sea and mountain hobbies where they live."""
    names = strs(INTERESTS)
    sea = np.isin(INTERESTS, COASTAL_INTERESTS) * 3.0
    hills = np.isin(INTERESTS, MOUNTAIN_INTERESTS) * 3.0
    dept = geo.place_dept[np.maximum(place, 0)]
    counts = np.where(b2b, 0, pick(rng, n, [0.25, 0.25, 0.25, 0.15, 0.10]))
    out = empty(n)
    for start in range(0, n, block):
        rows = slice(start, min(start + block, n))
        here = place[rows] >= 0
        bonus = np.where((geo.coastal[dept[rows]] & here)[:, None], sea, 0.0) \
            + np.where((geo.mountain[dept[rows]] & here)[:, None], hills, 0.0)
        keys = np.log1p(bonus) + rng.gumbel(size=bonus.shape)  # weighted sampling without replacement (Gumbel top-k)
        ranked = np.argsort(-keys, axis=1)[:, :4]
        part = empty(ranked.shape[0])
        for j in range(4):
            item = names[ranked[:, j]]
            part = where(counts[rows] > j, item if j == 0 else cat(part, "|", item), part)
        out[rows] = part
    return out
