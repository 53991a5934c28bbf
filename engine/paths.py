"""Where Campaign Studio keeps things: the user's database and outbox (platformdirs' user data
folder) and the read-only resources shipped with the program (source checkout or PyInstaller)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "campaign-studio"
DATABASE_NAME = "campaign-studio.db"
# Set to use another user data folder (tests, portable installs); wins over the platform's.
DATA_DIR_VARIABLE = "CAMPAIGN_STUDIO_DATA_DIR"


def user_data_folder(create: bool = True) -> Path:
    """The user's data folder (~/.local/share/campaign-studio on Linux, honouring
    XDG_DATA_HOME; %LOCALAPPDATA%\\campaign-studio on Windows; ~/Library/Application Support
    on macOS). Created when missing unless `create` is False."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        folder = Path(override).expanduser()
    else:
        folder = user_data_path(APP_NAME, appauthor=False, roaming=False)
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database_path() -> Path:
    """The SQLite file used when no --db is given; its folder exists afterwards."""
    return user_data_folder() / DATABASE_NAME


def user_outbox_path() -> Path:
    """The default outbox folder (sent messages as .eml/JSON files); created when missing."""
    folder = user_data_folder() / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def resources_path() -> Path:
    """The read-only resources/ folder (campaigns, templates, icons, demo data).

    In a PyInstaller bundle it sits in the bundle's data folder (sys._MEIPASS); from a source
    checkout or an editable install it is the repository's top-level resources/ folder."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """A path inside resources/, e.g. resource("campaigns", "welcome_series.campaign.json")."""
    return resources_path().joinpath(*parts)
