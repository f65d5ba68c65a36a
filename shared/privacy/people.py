"""One person's contact details in the form they are stored and found by.

An e-mail address is compared whole and in lower case: a similar address (another
letter, a dot, a +tag) is another person. A phone number is reduced to its digits
with the country code (German national numbers get +49), so that "0531 123 456" and
"+49 (0)531 123456" are one number.
"""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

MIN_PHONE_DIGITS = 6  # shorter is no phone number anyone can be found by
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")


class NotAnAddressError(ValueError):
    """The text is not an e-mail address; the message says why."""


def normalise_email(text: str) -> str:
    """The address as the intake stores it (trimmed, lower case), if it is one."""
    address = text.strip().lower()
    if not address:
        raise NotAnAddressError("an e-mail address is required")
    if len(address) > 254:
        raise NotAnAddressError("longer than an e-mail address can be (254 characters)")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise NotAnAddressError(str(exc)) from exc
    return address


def _digits(text: str) -> str:
    # Any script's digits count: an Arabic-Indic "٠٥٣١" is 0531.
    return "".join(str(unicodedata.decimal(ch)) for ch in text if unicodedata.decimal(ch, -1) >= 0)


def phone_key(text: str | None) -> str | None:
    """'+49531123456' for '0531 123456' and its other spellings; None for too few digits."""
    if not text:
        return None
    written = _TRUNK_ZERO.sub("", text.strip())
    digits = _digits(written)
    if written.startswith("+"):
        key = digits
    elif digits.startswith("00"):
        key = digits[2:]
    elif digits.startswith("0"):
        key = "49" + digits[1:]  # a national number: the region's country
    else:
        key = digits
    return f"+{key}"[:32] if len(key) >= MIN_PHONE_DIGITS else None
