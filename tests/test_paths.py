"""engine.paths: the user's data folder follows the platform's rules and overrides; resources
are found from the source checkout and from a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine import paths


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv(paths.DATA_DIR_VARIABLE, raising=False)
    return monkeypatch


def test_database_lands_in_xdg_data_home(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    data_home = tmp_path / "xdg-data"
    clean_env.setenv("XDG_DATA_HOME", str(data_home))
    assert not data_home.exists()

    db = paths.default_database_path()

    assert db == data_home / "campaign-studio" / "campaign-studio.db"
    assert db.parent.is_dir()  # the folder is created, the file is not
    assert not db.exists()


def test_override_variable_wins(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    clean_env.setenv(paths.DATA_DIR_VARIABLE, str(tmp_path / "portable" / "data"))

    db = paths.default_database_path()
    outbox = paths.user_outbox_path()

    assert db == tmp_path / "portable" / "data" / "campaign-studio.db"
    assert outbox == tmp_path / "portable" / "data" / "outbox"
    assert outbox.is_dir()
    assert not (tmp_path / "xdg").exists()


def test_database_is_usable(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    from engine.db import open_database

    clean_env.setenv(paths.DATA_DIR_VARIABLE, str(tmp_path / "data"))
    engine = open_database(paths.default_database_path())
    engine.dispose()
    assert (tmp_path / "data" / "campaign-studio.db").is_file()


def test_resources_from_source_checkout(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.delattr(sys, "_MEIPASS", raising=False)
    folder = paths.resources_path()
    assert folder == Path(paths.__file__).resolve().parent.parent / "resources"
    assert paths.resource("campaigns", "welcome_series.campaign.json").is_file()


def test_resources_inside_a_bundle(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "_internal"
    (bundle / "resources" / "campaigns").mkdir(parents=True)
    clean_env.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.resources_path() == bundle / "resources"
    assert paths.resource("campaigns") == bundle / "resources" / "campaigns"
