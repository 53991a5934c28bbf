"""The database schema (SQLAlchemy Core tables), shared by SQLite and PostgreSQL.

Times are stored as naive UTC datetimes. Hot paths use these tables with Core
insert/update over many rows; the ORM is not used in the runner.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), unique=True),
    Column("phone", String(40), index=True),
    Column("first_name", String(200)),
    Column("last_name", String(200)),
    Column("timezone", String(64)),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime),
    # false() renders 0 on SQLite and false on PostgreSQL (a bare "0" fails there)
    Column("unsubscribed", Boolean, nullable=False, default=False, server_default=false()),
    Column("bounced", Boolean, nullable=False, default=False, server_default=false()),
    Column("score", Integer, nullable=False, default=0, server_default=text("0")),
    Column("attributes", JSON, nullable=False, default=dict),
)
# The contacts screen searches and sorts 100k+ contacts by name without case (migration 0002).
Index("ix_contacts_created_at", contacts.c.created_at)
Index("ix_contacts_first_name_lower", func.lower(contacts.c.first_name))
Index("ix_contacts_last_name_lower", func.lower(contacts.c.last_name))

contact_tags = Table(
    "contact_tags",
    metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(100), primary_key=True),
    Index("ix_contact_tags_tag", "tag", "contact_id"),
)

segments = Table(
    "segments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(10), nullable=False, default="dynamic"),  # dynamic | static
    Column("rule", JSON),  # dynamic: a rule of the rule language
    Column("description", Text, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime),
)

segment_members = Table(
    "segment_members",
    metadata,
    Column("segment_id", ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("added_at", DateTime),
    Index("ix_segment_members_contact", "contact_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("occurred_at", DateTime, nullable=False),
    Column("properties", JSON, nullable=False, default=dict),
    # Engine events carry the campaign and node they are about, as columns for speed.
    Column("campaign_id", Integer),
    Column("node_id", String(100)),
    Column("message_id", Integer),
    Index("ix_events_contact_name_time", "contact_id", "name", "occurred_at"),
    Index("ix_events_name_time", "name", "occurred_at"),
    Index("ix_events_campaign_node", "campaign_id", "node_id", "name"),
)

templates = Table(
    "templates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("channel", String(20), nullable=False, default="email"),  # email | sms | message
    Column("subject", Text, default=""),
    Column("html", Text, default=""),  # email HTML
    Column("text", Text, default=""),  # email text alternative, or SMS/message body
    Column("sender", String(320)),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime),
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    # draft | scheduled | live | paused | stopped | completed
    Column("status", String(20), nullable=False, default="draft"),
    Column("version", Integer, nullable=False, default=1),
    Column("definition", JSON, nullable=False),  # the current version's file document
    Column("owner", String(320)),
    Column("parent_id", ForeignKey("campaigns.id", ondelete="SET NULL")),
    Column("start_at", DateTime),
    Column("end_at", DateTime),
    Column("started_at", DateTime),
    Column("stopped_at", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime),
    Column("error", Text),  # why the engine paused it (a fault in this campaign), or None
)

campaign_versions = Table(
    "campaign_versions",
    metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("definition", JSON, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("note", Text),
)

enrollments = Table(
    "enrollments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("node_id", String(100), nullable=False),  # where the contact is now
    # active (moving or waiting) | completed | exited (stopped, left) | failed
    Column("status", String(20), nullable=False, default="active"),
    Column("due_at", DateTime),  # when the runner should look at it next
    Column("arrived_at", DateTime, nullable=False),  # when it reached node_id
    Column("entered_at", DateTime, nullable=False),  # when it entered the campaign
    Column("ended_at", DateTime),
    Column("converted_at", DateTime),
    Column("trigger_node", String(100)),
    Column("state", JSON),  # per-node scratch (e.g. the deadline of wait.for_event)
    Index("ix_enrollments_due", "status", "due_at"),
    Index("ix_enrollments_campaign_node", "campaign_id", "node_id", "status"),
    Index("ix_enrollments_contact", "contact_id", "campaign_id"),
    # Never two active enrollments of one contact in one campaign.
    Index(
        "uq_enrollments_active",
        "campaign_id",
        "contact_id",
        unique=True,
        sqlite_where=text("status = 'active'"),
        postgresql_where=text("status = 'active'"),
    ),
)

steps = Table(
    "steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enrollment_id", Integer, nullable=False),
    Column("campaign_id", Integer, nullable=False),
    Column("contact_id", Integer, nullable=False),
    Column("node_id", String(100), nullable=False),
    Column("port", String(50)),  # the port taken out of the node (None: ended here)
    Column("at", DateTime, nullable=False),
    Column("outcome", String(20)),  # sent | failed | suppressed | converted | None
    Column("detail", Text),
    # Port and outcome in the index: the per-node figures are counted from it alone (0006).
    Index("ix_steps_campaign_node", "campaign_id", "node_id", "port", "outcome", "at"),
    Index("ix_steps_enrollment", "enrollment_id"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    # (enrollment, node, attempt): a crash or restart never sends twice.
    Column("key", String(200), nullable=False, unique=True),
    Column("enrollment_id", Integer),
    Column("campaign_id", Integer),
    Column("node_id", String(100)),
    Column("contact_id", Integer),
    Column("channel", String(20), nullable=False),  # email | sms | message | webhook | notify
    Column("to_address", String(320)),
    Column("sender", String(320)),
    Column("subject", Text),
    Column("body_html", Text),
    Column("body_text", Text),
    Column("headers", JSON),
    # queued | sending | sent | failed | suppressed | simulated
    Column("status", String(20), nullable=False, default="queued"),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    # times its fate was unknown (connection lost after the final dot): it was retried
    Column("in_doubt", Integer, nullable=False, server_default=text("0")),
    # When the rendered subject, body and headers were dropped (retention, migration 0006).
    Column("dropped_at", DateTime),
    Index("ix_messages_status_next", "status", "next_attempt_at"),
    Index("ix_messages_campaign_node", "campaign_id", "node_id", "status"),
    Index("ix_messages_contact", "contact_id", "created_at"),
)

# Messages per (campaign, node, channel, status) and their extra attempts, kept by triggers on
# `messages` (engine/db/counters.py, migration 0007); node_id '' = none. Read by engine/stats.
message_counts = Table(
    "message_counts",
    metadata,
    Column("campaign_id", Integer, primary_key=True),
    Column("node_id", String(100), primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("n", Integer, nullable=False, server_default=text("0")),
    Column("retries", Integer, nullable=False, server_default=text("0")),
)
# Steps per (campaign, node, port, outcome), '' = none: the canvas's per-node figures.
step_counts = Table(
    "step_counts",
    metadata,
    Column("campaign_id", Integer, primary_key=True),
    Column("node_id", String(100), primary_key=True),
    Column("port", String(50), primary_key=True),
    Column("outcome", String(20), primary_key=True),
    Column("n", Integer, nullable=False, server_default=text("0")),
)
# Who engaged (opened, clicked, unsubscribed, bounced, complained) per send node: the unique
# contacts of node_stats; and per (campaign, day, figure) the daily series (entered,
# converted, sent, opened, clicked). Kept by triggers too (engine/db/counters.py).
engaged_contacts = Table(
    "engaged_contacts",
    metadata,
    Column("campaign_id", Integer, primary_key=True),
    Column("node_id", String(100), primary_key=True),
    Column("name", String(100), primary_key=True),
    Column("contact_id", Integer, primary_key=True),
)
daily_counts = Table(
    "daily_counts",
    metadata,
    Column("campaign_id", Integer, primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("figure", String(20), primary_key=True),
    Column("n", Integer, nullable=False, server_default=text("0")),
)
# Per (campaign, node, day, figure) how many passed the node (steps by `at`) and how many of
# its messages were sent (by `sent_at`): node detail's "over time" chart (migration 0008).
node_daily_counts = Table(
    "node_daily_counts",
    metadata,
    Column("campaign_id", Integer, primary_key=True),
    Column("node_id", String(100), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("figure", String(20), primary_key=True),
    Column("n", Integer, nullable=False, server_default=text("0")),
)

# A row here (only ever inside the one writing transaction, never committed) tells the SQLite
# counter triggers to stand aside: the runner then counts its bulk inserts with one grouped
# statement per counter (engine.db.counters.inserted_in_bulk, migration 0009).
counting_paused = Table(
    "counting_paused",
    metadata,
    Column("paused", Integer, nullable=False),
)


@event.listens_for(metadata, "after_create")
def _message_count_triggers(target, connection, **kw) -> None:
    from engine.db.counters import create_triggers

    create_triggers(connection)


# The runner's memory per trigger/goal node: how far events were read, and (segment_entry)
# who was in the segment at the last look, so that only real entries enroll.
trigger_state = Table(
    "trigger_state",
    metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("node_id", String(100), primary_key=True),
    Column("checked_until", DateTime),
    # Events are read by arrival: the highest event id already seen (migration 0004).
    Column("checked_event_id", Integer),
)

trigger_members = Table(
    "trigger_members",
    metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("node_id", String(100), primary_key=True),
    Column("contact_id", Integer, primary_key=True),
)

# Events-API keys (`campaign-studio keys`): only a SHA-256 of the key is stored.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("prefix", String(20), nullable=False),  # the key's first characters, to recognise it
    Column("hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
    Column("last_used_at", DateTime),
)

# The events API's idempotency keys: a retried event with the same id is recorded once.
api_event_ids = Table(
    "api_event_ids",
    metadata,
    Column("key_id", Integer, primary_key=True),
    Column("external_id", String(200), primary_key=True),
    Column("event_id", Integer),
    Column("created_at", DateTime, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", JSON),
)

__all__ = [
    "Float",
    "UniqueConstraint",
    "api_event_ids",
    "api_keys",
    "campaign_versions",
    "campaigns",
    "contact_tags",
    "contacts",
    "daily_counts",
    "engaged_contacts",
    "enrollments",
    "events",
    "message_counts",
    "messages",
    "metadata",
    "node_daily_counts",
    "segment_members",
    "segments",
    "settings",
    "step_counts",
    "steps",
    "templates",
    "trigger_members",
    "trigger_state",
]
