"""Counting persons without naming them: a keyed hash (HMAC-SHA256) of the normalised
e-mail address, else of the phone number. Without the key nobody can tell whose hash
it is, and the hash stays when the address is erased, so persons still count."""

from __future__ import annotations

import hashlib
import hmac
import re

_NOT_DIGITS = re.compile(r"\D+")
MIN_PHONE_DIGITS = 6


def normalise_email(address: str | None) -> str | None:
    value = (address or "").strip().lower()
    return value or None


def normalise_phone(number: str | None) -> str | None:
    """Digits in international form: '+49 151 23', '0049 151 23' and '0151 23' alike."""
    raw = (number or "").strip()
    digits = _NOT_DIGITS.sub("", raw)
    if raw.startswith("+"):
        pass
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "49" + digits[1:]  # a German number written nationally
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def person_of(email: str | None, phone: str | None, key: bytes) -> int | None:
    """A signed 64-bit number per person (a BIGINT column); None when neither is known."""
    address = normalise_email(email)
    subject = f"email:{address}" if address else None
    if subject is None:
        number = normalise_phone(phone)
        subject = f"phone:{number}" if number else None
    if subject is None:
        return None
    digest = hmac.new(key, subject.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
