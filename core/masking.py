"""Masking of personal data for display and for the audit trail."""

import re

_DIGITS = re.compile(r"\d")


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits: 138****5678."""
    digits = _DIGITS.findall(phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return "".join(digits[:3]) + "*" * (len(digits) - 7) + "".join(digits[-4:])


def mask_name(name: str) -> str:
    """Keep the surname: 張** for 張三豐, J*** for John."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


# An 18-digit resident ID (last may be X) or a mainland mobile or landline number,
# standing alone (not inside a longer run of digits).
_ID_OR_PHONE = re.compile(
    r"(?<![0-9])(?:[1-9][0-9]{16}[0-9Xx]|1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[0-9]{7,8})"
    r"(?![0-9])"
)


def scrub_numbers(text: str, replacement: str = "***") -> str:
    """Text with resident ID and phone numbers replaced."""
    return _ID_OR_PHONE.sub(replacement, text)
