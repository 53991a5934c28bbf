"""SMTP over STARTTLS and implicit SSL with a login whose password comes from
engine.delivery.secrets, against a real aiosmtpd server with a freshly made certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from delivery_support import SmtpSink, free_port

from engine.delivery import secrets
from engine.delivery.channels import OutgoingMessage, TemporaryFailure, build_channels, smtp_account
from engine.settings import DEFAULTS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"shop", b"right password")  # fmt: skip
    return AuthResult(success=ok)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_login_over_tls_with_the_password_from_secrets(tmp_path, certificate, security,
                                                       monkeypatch):  # fmt: skip
    monkeypatch.setattr(secrets, "keyring_available", lambda: False)
    sink = SmtpSink()
    port = free_port()
    options = {"authenticator": authenticator, "auth_required": True}
    if security == "starttls":
        options.update(tls_context=server_context(certificate), require_starttls=True)
    else:
        # The whole session is TLS; aiosmtpd only knows STARTTLS sessions as secure.
        options.update(ssl_context=server_context(certificate), auth_require_tls=False)
    controller = Controller(sink, hostname="127.0.0.1", port=port, **options)
    controller.start()
    settings = {**DEFAULTS, "email_transport": "smtp", "smtp_host": "127.0.0.1",
                "smtp_port": port, "smtp_security": security, "smtp_username": "shop",
                "smtp_cafile": str(certificate[0])}  # fmt: skip
    message = OutgoingMessage(key="1:tls:1", channel="email", to="a@example.com",
                              sender="shop@example.com", subject="Secure", text="Hi")  # fmt: skip
    try:
        secrets.delete_password(smtp_account(settings))
        with pytest.raises(TemporaryFailure, match="no password"):
            build_channels(settings, outbox=tmp_path)["email"].send(message)
        secrets.set_password(smtp_account(settings), "right password")
        channel = build_channels(settings, outbox=tmp_path)["email"]
        channel.send(message)
        channel.close()
        # Without our CA the server's certificate is not trusted: nothing is sent.
        untrusting = build_channels({**settings, "smtp_cafile": ""}, outbox=tmp_path)["email"]
        with pytest.raises(TemporaryFailure):
            untrusting.send(message)
    finally:
        controller.stop()
        secrets.delete_password(smtp_account(settings))
    assert [str(m["Subject"]) for m in sink.parsed()] == ["Secure"]
