"""SIREN / SIRET checks (INSEE identifiers of French organisations).

A SIREN is 9 digits whose last digit is a Luhn check digit; a SIRET is the SIREN followed by a 5-digit
establishment number (NIC), Luhn over the 14 digits. La Poste is the documented exception: its establishments
(SIRETs starting with SIREN 356000000) are too many for the Luhn key, so they are valid when the sum of their
digits is a multiple of 5. The SIREN 356000000 itself passes Luhn.
"""
from __future__ import annotations

import re

LA_POSTE_SIREN = "356000000"
_SPACES = re.compile(r"\s+")


def _digits(value: object) -> str:
    return _SPACES.sub("", "" if value is None else str(value))


def luhn_sum(digits: str) -> int:
    """Luhn sum of a digit string (every second digit from the right doubled)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total


def _la_poste_ok(digits: str) -> bool:
    return digits.startswith(LA_POSTE_SIREN) and sum(int(c) for c in digits) % 5 == 0


def is_valid_siren(value: object) -> bool:
    """True for a 9-digit SIREN (spaces ignored) passing Luhn, or a La Poste number by its sum-of-digits rule."""
    digits = _digits(value)
    if not re.fullmatch(r"\d{9}", digits):
        return False
    return luhn_sum(digits) % 10 == 0 or _la_poste_ok(digits)


def is_valid_siret(value: object) -> bool:
    """True for a 14-digit SIRET (spaces ignored) passing Luhn, or a La Poste SIRET whose digits sum to a multiple of 5."""
    digits = _digits(value)
    if not re.fullmatch(r"\d{14}", digits):
        return False
    return luhn_sum(digits) % 10 == 0 or _la_poste_ok(digits)
