"""simulate: a forecast on a copy; the user's database stays byte-identical; the three
sample campaigns run end to end from the command line with plausible figures."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from runner_helpers import START, add_segment, make_db
from sqlalchemy import insert

from engine.db.schema import templates
from engine.fileformat import load
from engine.simulate import SimulationError, parse_assume, simulate

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "campaigns"
EMAIL = [
    "getting-started",
    "welcome-reminder",
    "winback-discount",
    "winback-news",
    "thank-you",
    "birthday",
]
SMS = ["winback-sms", "birthday-sms"]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """Contacts across time zones, with the segments and templates the samples use."""
    tmp = tmp_path_factory.mktemp("sample")
    zones = ["Asia/Tokyo", "America/New_York", "Europe/Berlin", None]
    engine = make_db(
        tmp,
        400,
        phone=lambda i: f"+4915{i:08d}" if i % 3 == 0 else None,
        timezone=lambda i: zones[i % 4],
        attributes=lambda i: {
            "city": "Berlin",
            "last_order_days": 30 + i % 200,
            "birthday": f"19{70 + i % 30}-03-{1 + i % 28:02d}",
        },
    )
    add_segment(engine, "new-signups", {"field": "city", "op": "eq", "value": "Berlin"})
    with engine.begin() as conn:
        conn.execute(
            insert(templates),
            [
                {
                    "name": n,
                    "channel": "email",
                    "subject": "Hi {{ contact.first_name }}",
                    "html": "<p>{{ contact.first_name }}</p>",
                    "text": "Hi",
                    "created_at": START,
                }
                for n in EMAIL
            ]
            + [
                {
                    "name": n,
                    "channel": "sms",
                    "subject": "",
                    "html": "",
                    "text": "Hi {{ contact.first_name }}",
                    "created_at": START,
                }
                for n in SMS
            ],
        )
    engine.dispose()
    return tmp / "test.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())", *args],
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_parse_assume():
    assert parse_assume("opened=0.3, clicked=0.1") == {"opened": 0.3, "clicked": 0.1}
    for bad in ("opened", "opened=x", "opened=1.5", "=0.2"):
        with pytest.raises(SimulationError):
            parse_assume(bad)


def test_simulate_leaves_the_database_byte_identical(sample_db):
    before = digest(sample_db)
    diagram, _ = load(SAMPLES / "welcome_series.campaign.json")
    result = simulate(diagram, sample_db, 4, start=START, assume={"opened": 0.4})
    assert digest(sample_db) == before
    assert not Path(str(sample_db) + "-wal").exists() or digest(sample_db) == before
    hello = result["nodes"]["hello"]
    assert hello["entered"] == 400 and hello["sent"] == 400
    assert 120 <= hello["opened"] <= 200  # 40% by stable hash
    opened = result["nodes"]["opened"]["ports"]
    assert opened["yes"] == hello["opened"]  # opens within 48h, condition after 2 days
    assert set(result) == {"nodes", "campaign"}


def test_simulate_is_repeatable(sample_db):
    diagram, _ = load(SAMPLES / "win_back.campaign.json")
    one = simulate(diagram, sample_db, 7, start=START, assume={"opened": 0.3, "clicked": 0.1})
    two = simulate(diagram, sample_db, 7, start=START, assume={"opened": 0.3, "clicked": 0.1})
    assert one == two


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sample", "days"), [("welcome_series", 10), ("win_back", 14), ("birthday", 30)]
)
def test_samples_from_the_command_line(sample_db, sample, days):
    before = digest(sample_db)
    done = cli(
        "simulate",
        str(SAMPLES / f"{sample}.campaign.json"),
        "--db",
        str(sample_db),
        "--days",
        str(days),
        "--start",
        "2026-03-02T10:00:00",
        "--assume",
        "opened=0.3,clicked=0.1,purchase=0.05",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert digest(sample_db) == before
    result = json.loads(done.stdout)
    nodes, campaign = result["nodes"], result["campaign"]
    assert campaign["enrolled"] > 0
    for figures in nodes.values():
        assert figures["entered"] >= figures["waiting"] >= 0
        assert sum(figures["ports"].values()) <= figures["entered"]
    if sample == "welcome_series":
        assert nodes["hello"]["sent"] == 400
        assert (
            nodes["tips"]["entered"] + nodes["nudge"]["entered"] + nodes["purchased"]["entered"]
            >= 390
        )
    elif sample == "win_back":
        # last_order_days >= 90: 140 of every 200 contacts.
        assert campaign["enrolled"] == 280
        assert nodes["ab"]["ports"]["A"] + nodes["ab"]["ports"]["B"] == 280
        assert 110 <= nodes["ab"]["ports"]["A"] <= 170
        assert nodes["sms"]["entered"] > 0 and nodes["sms"]["failed"] > 0  # no phone
    else:
        # Birthdays on 2-31 March (minus a day) fall within the 30 days.
        assert 300 <= campaign["enrolled"] <= 400
        assert (
            nodes["sms"]["entered"] + nodes["email"]["entered"] == nodes["window"]["ports"]["out"]
        )


@pytest.mark.slow
def test_command_line_errors(sample_db, tmp_path):
    bad = tmp_path / "bad.campaign.json"
    bad.write_text("{ nope")
    done = cli("simulate", str(bad), "--db", str(sample_db), "--days", "1")
    assert done.returncode == 2 and "not valid JSON" in done.stderr
    good = str(SAMPLES / "welcome_series.campaign.json")
    done = cli("simulate", good, "--db", str(sample_db), "--days", "1", "--assume", "opened=2")
    assert done.returncode == 2 and "between 0 and 1" in done.stderr
    done = cli("simulate", good, "--db", str(tmp_path / "missing.db"), "--days", "1")
    assert done.returncode == 2 and "does not exist" in done.stderr
    broken, _ = load(good)
    broken.nodes["hello"].params["template"] = "nope"
    from engine.fileformat import save

    save(broken, tmp_path / "broken.campaign.json")
    done = cli(
        "simulate", str(tmp_path / "broken.campaign.json"), "--db", str(sample_db), "--days", "1"
    )
    assert done.returncode == 1 and "nope" in done.stderr
    # A readable table without --json, and no progress bar when piped.
    done = cli(
        "simulate", good, "--db", str(sample_db), "--days", "1", "--start", START.isoformat()
    )
    assert done.returncode == 0 and "hello" in done.stdout and "%|" not in done.stderr
