"""Shared context of the demo-data generator: seeded random streams, name pools, French geography."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from segwarehouse._gen_csv import DAY, Calendar, QuarantineLog, S, day_number, stable_hash, strs
from segwarehouse._gen_reference import DEPARTEMENTS, FOREIGN_PLACES, OVERSEAS_TIMEZONES


def ascii_fold(text: str) -> str:
    """Lower-case ASCII form of a name for an email local part (`Éloïse` -> `eloise`, `N'Diaye` -> `ndiaye`)."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9-]", "", text)


def strip_accents(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "OE")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def systematic_round(weights: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """Non-negative integers summing to `total`, each the floor or ceiling of its share of `total`."""
    weights = np.asarray(weights, dtype=np.float64)
    counts = np.zeros(weights.size, dtype=np.int64)
    if total <= 0 or weights.size == 0 or weights.sum() <= 0:
        return counts
    expected = weights / weights.sum() * total
    marks = np.floor(np.cumsum(expected) + rng.random()).astype(np.int64)
    counts = np.diff(np.concatenate([[0], marks]))
    counts[np.argmax(expected)] += total - counts.sum()
    return np.maximum(counts, 0)


def pick(rng: np.random.Generator, n: int, probabilities: list[float] | np.ndarray) -> np.ndarray:
    p = np.asarray(probabilities, dtype=np.float64)
    return rng.choice(p.size, size=n, p=p / p.sum())


@dataclass
class Pools:
    female: np.ndarray
    male: np.ndarray
    last: np.ndarray
    female_ascii: np.ndarray
    male_ascii: np.ndarray
    last_ascii: np.ndarray
    streets: np.ndarray


def make_pools(seed: int, n_streets: int) -> Pools:
    """First names, last names and street addresses from Faker's French locale (seeded, sampled by index later)."""
    from faker import Faker
    from faker.providers.person.fr_FR import Provider as Person

    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    female = list(dict.fromkeys(Person.first_names_female))
    male = list(dict.fromkeys(Person.first_names_male))
    last = list(dict.fromkeys(Person.last_names))
    names = [fake.street_name() for _ in range(max(1, n_streets // 5))]
    numbers = np.random.default_rng(seed).zipf(1.6, n_streets) % 300 + 1
    streets = [f"{numbers[i]}, {names[i % len(names)]}" for i in range(n_streets)]  # Faker's street_address format
    return Pools(
        female=strs(female), male=strs(male), last=strs(last),
        female_ascii=strs(ascii_fold(x) for x in female), male_ascii=strs(ascii_fold(x) for x in male),
        last_ascii=strs(ascii_fold(x) for x in last), streets=strs(streets),
    )


class Geo:
    """Départements with their real cities and postal codes; places are sampled by population, with the coastal
    and mountain départements over-represented."""

    def __init__(self) -> None:
        self.dept_code = strs(d[0] for d in DEPARTEMENTS)
        self.region = strs(d[2] for d in DEPARTEMENTS)
        self.coastal = np.array([d[3] for d in DEPARTEMENTS])
        self.mountain = np.array([d[4] for d in DEPARTEMENTS])
        self.by_code = {d[0]: i for i, d in enumerate(DEPARTEMENTS)}
        cities, postals, depts, first = [], [], [], []
        for i, d in enumerate(DEPARTEMENTS):
            first.append(len(cities))
            for item in d[6].split("|"):
                city, postal = item.rsplit(":", 1)
                cities.append(city)
                postals.append(postal)
                depts.append(i)
        self.city = strs(cities)
        self.postal = strs(postals)
        self.place_dept = np.array(depts)
        self.first_place = np.array(first)
        self.n_places = np.bincount(self.place_dept)
        population = np.array([d[5] for d in DEPARTEMENTS], dtype=np.float64)
        boost = np.where(self.coastal | self.mountain, 1.6, 1.0)
        self.weights = population * boost / (population * boost).sum()
        self.timezone = strs(OVERSEAS_TIMEZONES.get(d[0], "Europe/Paris") for d in DEPARTEMENTS)
        self.foreign = FOREIGN_PLACES

    def sample_places(self, rng: np.random.Generator, n: int) -> np.ndarray:
        dept = rng.choice(self.weights.size, size=n, p=self.weights)
        return self.first_place[dept] + np.floor(rng.random(n) * self.n_places[dept]).astype(np.int64)

    def departments_of(self, postal: np.ndarray, country: np.ndarray) -> np.ndarray:
        """Index of the département of each written postal code, -1 abroad or when unusable. A careful reading:
        4 digits lost a leading zero; Corsica is 2A below 20200 and 2B above; overseas codes have three digits."""
        p, c = np.strings.strip(postal), np.strings.strip(country)
        length = np.strings.str_len(p)
        ok = ((c == "") | (c == "FR")) & np.strings.isdigit(p) & ((length == 4) | (length == 5))
        p = np.strings.zfill(p, 5)
        corsica = np.where(p < "20200", np.asarray("2A", dtype=S), np.asarray("2B", dtype=S))
        code = np.where(np.strings.startswith(p, "20"), corsica,
                        np.where(np.strings.startswith(p, "97"), np.strings.slice(p, 0, 3), np.strings.slice(p, 0, 2)))
        unique, inverse = np.unique(code.astype(S), return_inverse=True)
        lookup = np.array([self.by_code.get(str(u), -1) for u in unique] or [-1])
        return np.where(ok, lookup[inverse.reshape(-1)], -1)


@dataclass
class Context:
    seed: int
    reference_date: dt.date
    log: QuarantineLog = field(default_factory=QuarantineLog)

    def __post_init__(self) -> None:
        self.ref_day = day_number(self.reference_date)
        start = self.reference_date.replace(year=self.reference_date.year - 3) + dt.timedelta(days=1)
        self.history_start_day = day_number(start)
        self.calendar = Calendar(dt.date(1920, 1, 1), self.reference_date + dt.timedelta(days=2))
        self.geo = Geo()

    @property
    def ref_second(self) -> int:
        """Midnight at the start of the reference date: every generated event happens before it."""
        return self.ref_day * DAY

    def rng(self, name: str, *keys: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.seed, stable_hash(name), *keys]))


def business_seconds(rng: np.random.Generator, days: np.ndarray, start_hour: float = 8.0, end_hour: float = 19.0,
                     weekdays_only: bool = False) -> np.ndarray:
    """A time of day within opening hours on the given days (weekend days moved to the previous Friday when
    `weekdays_only`)."""
    days = np.asarray(days, dtype=np.int64)
    if weekdays_only:
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday: Monday = 0
        days = days - np.where(weekday == 5, 1, 0) - np.where(weekday == 6, 2, 0)
    tod = (start_hour + rng.random(days.size) * (end_hour - start_hour)) * 3600
    return days * DAY + tod.astype(np.int64)


__all__ = ["Context", "Geo", "Pools", "make_pools", "systematic_round", "pick", "ascii_fold", "strip_accents",
           "business_seconds", "S"]
