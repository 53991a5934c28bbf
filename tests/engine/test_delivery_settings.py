"""Delivery settings in the database (never a password) and the password store: the OS
keyring where there is one; otherwise this session's memory or the environment."""

from __future__ import annotations

import pytest
from delivery_support import make_database

from engine.delivery import secrets
from engine.delivery.channels import OutboxChannel, SmtpChannel, build_channels, smtp_account
from engine.delivery.unsubscribe import SECRET_KEY, engine_secret
from engine.settings import DEFAULTS, SettingsError, load_settings, save_settings


def test_settings_round_trip_over_defaults(tmp_path):
    engine = make_database(tmp_path / "db.sqlite", 0)
    assert load_settings(engine) == DEFAULTS
    save_settings(engine, {"smtp_host": "mail.example.com", "smtp_port": 587, "rate_limit": 120})
    save_settings(engine, {"smtp_port": 465})
    loaded = load_settings(engine)
    assert (loaded["smtp_host"], loaded["smtp_port"], loaded["rate_limit"]) == (
        "mail.example.com", 465, 120)  # fmt: skip


def test_passwords_and_the_signing_secret_never_go_through_settings(tmp_path):
    engine = make_database(tmp_path / "db.sqlite", 0)
    for key in ("smtp_password", "SMTP_Passwd", SECRET_KEY):
        with pytest.raises(SettingsError, match="may not be stored"):
            save_settings(engine, {key: "hunter2"})
    with pytest.raises(SettingsError, match="smtp_port"):
        save_settings(engine, {"smtp_port": "25"})
    engine_secret(engine)
    assert SECRET_KEY not in load_settings(engine)


def test_without_a_keyring_the_password_stays_in_memory(monkeypatch):
    monkeypatch.setattr(secrets, "keyring_available", lambda: False)
    monkeypatch.delenv(secrets.ENVIRONMENT_VARIABLE, raising=False)
    assert secrets.set_password("smtp:shop@mail:587", "s3cret") == "session"
    assert secrets.get_password("smtp:shop@mail:587") == "s3cret"
    secrets.delete_password("smtp:shop@mail:587")
    assert secrets.get_password("smtp:shop@mail:587") is None
    monkeypatch.setenv(secrets.ENVIRONMENT_VARIABLE, "from-env")
    assert secrets.get_password("smtp:shop@mail:587") == "from-env"
    assert "memory" in secrets.storage_description()


def test_this_machine_reports_its_keyring_honestly():
    import keyring
    from keyring.backends import fail

    assert secrets.keyring_available() == (not isinstance(keyring.get_keyring(), fail.Keyring))


def test_channels_follow_the_settings(tmp_path, monkeypatch):
    monkeypatch.setattr(secrets, "keyring_available", lambda: False)
    offline = build_channels({}, outbox=tmp_path)
    assert isinstance(offline["email"], OutboxChannel) and offline["sms"] is offline["email"]
    settings = {**DEFAULTS, "email_transport": "smtp", "smtp_host": "mail.example.com",
                "smtp_port": 587, "smtp_security": "starttls", "smtp_username": "shop"}  # fmt: skip
    secrets.set_password(smtp_account(settings), "pw")
    live = build_channels(settings, outbox=tmp_path)
    email = live["email"]
    assert isinstance(email, SmtpChannel) and live["notify"] is email
    assert (email.host, email.port, email.security, email.username, email.password) == (
        "mail.example.com", 587, "starttls", "shop", "pw")  # fmt: skip
    secrets.delete_password(smtp_account(settings))
