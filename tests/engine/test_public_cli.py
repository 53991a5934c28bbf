"""The command line of the public endpoint: `keys create|list|revoke`, `serve` refusing a bad
address, and the warning about a public_url people cannot reach."""

from __future__ import annotations

import json
import subprocess
import sys

from delivery_support import make_database

from engine.cli.serve import public_url_warning

LAUNCH = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LAUNCH, *args], capture_output=True, text=True, timeout=120)


def test_keys_are_shown_once_listed_by_name_and_revoked(tmp_path):
    make_database(tmp_path / "db.sqlite", 0).dispose()
    db = str(tmp_path / "db.sqlite")
    made = _cli("keys", "create", "shop", "--db", db)
    assert made.returncode == 0
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("cs_") and len(key) > 40
    listed = _cli("keys", "list", "--json", "--db", db)
    (row,) = json.loads(listed.stdout)
    assert row["name"] == "shop" and row["revoked_at"] is None and key not in listed.stdout
    assert key[:9] == row["prefix"]
    again = _cli("keys", "create", "shop", "--db", db)
    assert again.returncode == 2 and "exists already" in again.stderr
    assert _cli("keys", "revoke", "shop", "--db", db).returncode == 0
    assert json.loads(_cli("keys", "list", "--json", "--db", db).stdout)[0]["revoked_at"]
    unknown = _cli("keys", "revoke", "nope", "--db", db)
    assert unknown.returncode == 2 and "no key named" in unknown.stderr
    for result in (again, unknown):
        assert "Traceback" not in result.stderr


def test_serve_refuses_a_bad_address(tmp_path):
    make_database(tmp_path / "db.sqlite", 0).dispose()
    for listen in ("nonsense", "127.0.0.1:99999", "127.0.0.1:"):
        done = _cli("serve", "--db", str(tmp_path / "db.sqlite"), "--listen", listen)
        assert done.returncode == 2 and "HOST:PORT" in done.stderr, listen
    done = _cli("run", "--db", str(tmp_path / "db.sqlite"), "--serve", "x")
    assert done.returncode == 2 and "HOST:PORT" in done.stderr


def test_public_url_warning():
    assert public_url_warning({"public_url": "https://mail.example.com"}) is None
    assert "only this computer" in public_url_warning({"public_url": "http://127.0.0.1:8765"})
    assert "not https" in public_url_warning({"public_url": "http://mail.example.com"})
