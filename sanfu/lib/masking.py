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
