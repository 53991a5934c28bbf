"""Test-wide settings: Qt runs offscreen, so the suite needs no display; and the user's own
data folder is never touched — the default database and outbox (and every subprocess's)
live in a throwaway folder for the run."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="campaign-studio-tests-data-")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="campaign-studio-tests-config-")
