"""The bounce mailbox read over IMAP from a real Dovecot server started for the test in a
temporary folder (Debian package dovecot-imapd, installed by scripts/install-system-deps.sh)."""

from __future__ import annotations

import grp
import imaplib
import mailbox
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from delivery_support import T0, free_port, make_database
from sqlalchemy import insert, select

from engine.bounces.imap import ENVIRONMENT_VARIABLE, MailboxError, MailboxWatcher, poll
from engine.db.schema import contacts

FLUFL = Path(__file__).parent / "data" / "bounces" / "flufl"
DOVECOT = "/usr/sbin/dovecot"


def _users() -> tuple[str, str, str]:
    """(mail user, internal user, login user): Dovecot's own users when run as root (it
    refuses root for these), else whoever runs the test."""
    if os.getuid() == 0:
        return "dovecot", "dovecot", "dovenull"
    me = pwd.getpwuid(os.getuid()).pw_name
    return me, me, me


def _group(user: str) -> str:
    return grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name


@pytest.fixture
def imap_server():
    assert Path(DOVECOT).exists(), "install dovecot-imapd (scripts/install-system-deps.sh)"
    folder = Path(tempfile.mkdtemp(prefix="dv"))  # short: Dovecot's sockets live under it
    folder.chmod(0o755)  # Dovecot's own users read the password file and the mail in it
    port = free_port()
    mail_user, internal, login = _users()
    (folder / "home" / "bounces").mkdir(parents=True)
    (folder / "passwd").write_text("bounces:{PLAIN}secret\n")
    (folder / "dovecot.conf").write_text(f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 0
default_internal_user = {internal}
default_internal_group = {_group(internal)}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={_group(mail_user)} home={folder}/home/%u
}}
mail_location = maildir:{folder}/home/%u/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""")
    maildir = mailbox.Maildir(str(folder / "home" / "bounces" / "Maildir"), create=True)
    for name in ("postfix_01.txt", "dsn_05.txt", "qmail_08.txt"):
        maildir.add((FLUFL / name).read_bytes())
    for path in [folder / "home", *(folder / "home").rglob("*")]:
        shutil.chown(path, mail_user, pwd.getpwnam(mail_user).pw_gid)
    server = subprocess.Popen([DOVECOT, "-F", "-c", str(folder / "dovecot.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            imaplib.IMAP4("127.0.0.1", port, timeout=5).logout()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, (
                (folder / "dovecot.log").read_text() if (folder / "dovecot.log").exists() else ""
            )
            time.sleep(0.05)
    yield port, maildir, mail_user
    server.terminate()
    server.wait(timeout=30)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_worker_reads_new_bounces_once(tmp_path, imap_server):
    engine = make_database(tmp_path / "db.sqlite", 0)
    with engine.begin() as conn:
        conn.execute(insert(contacts), [
            {"email": "xxxxx@local.ie", "created_at": T0, "attributes": {}},
            {"email": "userx@example.cz", "created_at": T0, "attributes": {}},
        ])  # fmt: skip
    port, maildir, mail_user = imap_server
    settings = {"bounce_imap_host": "127.0.0.1", "bounce_imap_port": port,
                "bounce_imap_security": "none", "bounce_imap_username": "bounces",
                "bounce_imap_folder": "INBOX", "soft_bounce_limit": 3,
                "soft_bounce_days": 30}  # fmt: skip
    report = poll(engine, settings, password="secret", now=T0)
    assert (report.read, report.hard, report.soft, report.autoreplies) == (3, 1, 1, 1)
    with engine.connect() as conn:
        flags = dict(conn.execute(select(contacts.c.email, contacts.c.bounced)).all())
    assert flags == {"xxxxx@local.ie": True, "userx@example.cz": False}
    assert poll(engine, settings, password="secret", now=T0).read == 0  # marked seen
    # The worker's watcher polls in the background (password from the environment here).
    maildir.add((FLUFL / "exim_01.txt").read_bytes())
    for path in Path(maildir._path).rglob("*"):
        shutil.chown(path, mail_user, _group(mail_user))
    os.environ[ENVIRONMENT_VARIABLE] = "secret"
    try:
        watcher = MailboxWatcher(engine, settings)
        watcher.tick()
        deadline = time.monotonic() + 30
        while watcher.last is None and watcher.last_error is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        del os.environ[ENVIRONMENT_VARIABLE]
    assert watcher.last_error is None and (watcher.last.read, watcher.last.hard) == (1, 1)
    with pytest.raises(MailboxError, match="refused the login"):
        poll(engine, settings, password="wrong", now=T0)
    with pytest.raises(MailboxError, match="cannot reach"):
        poll(engine, {**settings, "bounce_imap_port": free_port()}, password="secret")
