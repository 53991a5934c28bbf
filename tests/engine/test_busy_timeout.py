"""The SQLite busy timeout is a setting: each new connection reads sqlite_busy_timeout
(seconds), and a missing, bad or extreme value falls back or is bounded."""

from sqlalchemy import text

from engine.db import DEFAULT_BUSY_TIMEOUT, open_database
from engine.settings import DEFAULTS, save_settings


def _pragma(engine) -> int:
    engine.dispose()  # the next connection is new: it reads the setting
    with engine.connect() as conn:
        return conn.execute(text("PRAGMA busy_timeout")).scalar_one()


def test_each_connection_takes_the_setting(tmp_path):
    engine = open_database(tmp_path / "b.db")
    assert DEFAULTS["sqlite_busy_timeout"] == DEFAULT_BUSY_TIMEOUT
    assert _pragma(engine) == 30_000
    save_settings(engine, {"sqlite_busy_timeout": 1.5})
    assert _pragma(engine) == 1_500
    save_settings(engine, {"sqlite_busy_timeout": 10**9})
    assert _pragma(engine) == 3_600_000  # at most an hour
    with engine.begin() as conn:  # a value the settings screen would refuse
        conn.execute(
            text("UPDATE settings SET value = :v WHERE key = 'sqlite_busy_timeout'"),
            {"v": '"soon"'},
        )
    assert _pragma(engine) == 30_000
