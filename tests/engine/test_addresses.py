"""Addresses checked where they enter: email-validator and phonenumbers, through the
import values, the contacts store and the module itself."""

from __future__ import annotations

import pytest

from engine import store
from engine.addresses import (
    AddressProblem,
    ascii_email,
    email_address,
    needs_smtputf8,
    phone_number,
)
from engine.db import open_database


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("  Ann@Example.COM ", "ann@example.com"),
        ("chloé@exämple.de", "chloé@exämple.de"),
        ("user@xn--exmple-cua.de", "user@exämple.de"),  # IDNA form read back as Unicode
    ],
)
def test_good_emails_are_normalised(text, stored):
    assert email_address(text) == stored


@pytest.mark.parametrize(
    "text", ["bad-email", "a@localhost", "a\x00b@example.com", "a@exa\x07mple.com", "a@@b.de",
             "a b@example.com"],
)  # fmt: skip
def test_bad_emails_are_refused_with_a_reason(text):
    with pytest.raises(AddressProblem, match="bad email"):
        email_address(text)


def test_which_addresses_need_smtputf8():
    assert needs_smtputf8("chloé@exämple.de") and not needs_smtputf8("chloe@exämple.de")
    assert ascii_email("chloe@exämple.de") == "chloe@xn--exmple-cua.de"
    assert ascii_email("a@example.com") == "a@example.com"


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("+49 30 1234567", "", "+49301234567"),
        ("0049 30 1234567", "", "+49301234567"),
        ("030 1234567", "DE", "+49301234567"),
        ("+1 (650) 450-8812", "DE", "+16504508812"),
        ("0212 555 01 00 ext. 12", "TR", "+902125550100"),
    ],
)
def test_phones_become_e164(text, region, e164):
    assert phone_number(text, region) == e164


def test_bad_phones_say_why():
    with pytest.raises(AddressProblem, match="no country code"):
        phone_number("030 1234567")
    with pytest.raises(AddressProblem, match="too short"):
        phone_number("+49 1")
    with pytest.raises(AddressProblem, match="wrong length"):
        phone_number("+1 650 450 88121")
    with pytest.raises(AddressProblem, match="control characters"):
        phone_number("+49 30\x00 1234567")


def test_the_contacts_store_checks_addresses(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with engine.begin() as conn:
            new = store.create_contact(conn, email="Chloé@Exämple.DE", phone="+49 30 1234567")
            saved = store.get_contact(conn, new)
            assert (saved["email"], saved["phone"]) == ("chloé@exämple.de", "+49301234567")
            with pytest.raises(store.StoreError, match="has control characters"):
                store.create_contact(conn, email="x\x00@example.com")
            with pytest.raises(store.StoreError, match="is not an email address"):
                store.create_contact(conn, email="not-an-address")
            with pytest.raises(store.StoreError, match="bad phone number"):
                store.create_contact(conn, email="p@example.com", phone="12")
    finally:
        engine.dispose()
