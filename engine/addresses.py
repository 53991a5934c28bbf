"""Email addresses and phone numbers checked where they enter (imports, the contacts screen,
the public endpoint): email-validator for syntax and internationalised domains (no network
look-ups), phonenumbers for E.164 with a default region for numbers written without one."""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class AddressProblem(ValueError):
    """An address that cannot be used, with a sentence saying why."""


def email_address(text: str) -> str:
    """The address as stored: trimmed, lower-case, the domain in Unicode (IDN) form."""
    value = text.strip()
    if CONTROL.search(value):
        raise AddressProblem(f"bad email {value!r} (control characters)")
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        raise AddressProblem(f"bad email {value!r} ({str(exc).rstrip('.')})") from None
    return checked.normalized.lower()


def needs_smtputf8(address: str) -> bool:
    """True when the part before the @ is not ASCII (the domain can be sent as IDNA)."""
    return not address.rpartition("@")[0].isascii()


def ascii_email(address: str) -> str:
    """The address with its domain in IDNA (xn--) form when the local part allows it."""
    local, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return address


def phone_number(text: str, region: str = "") -> str:
    """The number in E.164 (+4930123456). Without a leading + or 00 the default `region`
    (a two-letter country code) says where it is from; an extension is left out."""
    value = text.strip()
    if CONTROL.search(value):
        raise AddressProblem(f"bad phone number {value!r} (control characters)")
    compact = re.sub(r"[\s\-().]", "", value)
    if compact.startswith("00"):
        value = "+" + compact[2:]
    try:
        number = phonenumbers.parse(value, (region or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        if not value.startswith("+") and not region:
            raise AddressProblem(
                f"bad phone number {text.strip()!r} (no country code: write it with +, or "
                "set the default region, e.g. `settings set phone_region DE`)"
            ) from None
        reason = re.sub(r"^\(\d+\)\s*", "", str(exc)).rstrip(".")
        raise AddressProblem(f"bad phone number {text.strip()!r} ({reason.lower()})") from None
    if not phonenumbers.is_possible_number(number):
        raise AddressProblem(f"bad phone number {text.strip()!r} (wrong length)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
