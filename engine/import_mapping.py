"""Which column of an import goes where: a core field, an attribute (with its type) or
nowhere. Exports of the tools people leave (Mailchimp, Mautic, HubSpot, Brevo, ERPNext) are
recognised by their headers and mapped by a built-in preset; users map columns themselves
(`--map COLUMN=FIELD`) and save mappings as presets (the `import_presets` setting).

A target is a core field (`email`, `phone`, ...), `status` (a text such as "unsubscribed" or
"cleaned" that sets the flags), `ignore`, or any other name: an attribute, optionally with a
type after a colon (`plan:text`, `visits:number`). The same column list and targets feed the
command line, the import dialog's mapping step and the importer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from engine.csv_values import ALIASES, KINDS

CONTACT_FIELDS = ("email", "phone", "first_name", "last_name", "timezone", "unsubscribed",
                  "bounced", "score", "created_at", "tags")  # fmt: skip
EVENT_FIELDS = ("email", "phone", "event", "occurred_at")
SPECIAL = ("status", "ignore")
IGNORED_BY_DEFAULT = ("id", "updated_at")
ATTRIBUTE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class MappingError(ValueError):
    """A mapping that cannot be used (unknown column, two columns on one field...)."""


def slug(header: str) -> str:
    """'First Name' → 'first_name', 'MEMBER_RATING' → 'member_rating' (no aliases)."""
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    columns: dict[str, str]  # slug of a header → target
    needs: frozenset[str] = frozenset()  # slugs that identify the export
    constants: dict[str, Any] = field(default_factory=dict)  # set on every row


_MAILCHIMP = {
    "email_address": "email", "first_name": "first_name", "last_name": "last_name",
    "phone_number": "phone", "address": "address", "birthday": "birthday",
    "member_rating": "member_rating:number", "optin_time": "created_at",
    "confirm_time": "confirmed_at:date", "timezone": "timezone", "cc": "country",
    "region": "region", "notes": "notes", "tags": "tags", "unsub_time": "unsubscribed_at:date",
    "unsub_reason": "unsubscribe_reason", "clean_time": "cleaned_at:date",
    # identifiers and network data of Mailchimp's, no use here
    "optin_ip": "ignore", "confirm_ip": "ignore", "latitude": "ignore", "longitude": "ignore",
    "gmtoff": "ignore", "dstoff": "ignore", "last_changed": "ignore", "leid": "ignore",
    "euid": "ignore", "unsub_campaign_id": "ignore", "clean_campaign_id": "ignore",
}  # fmt: skip
_MAILCHIMP_NEEDS = frozenset({"email_address", "member_rating", "optin_time", "leid", "euid"})

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        # Mailchimp's audience export is three files; the unsubscribed and cleaned ones
        # say so by their columns, and every contact in them must stay unsendable.
        Preset("mailchimp-cleaned", "Mailchimp (cleaned members)", _MAILCHIMP,
               _MAILCHIMP_NEEDS | {"clean_time"}, {"bounced": True}),
        Preset("mailchimp-unsubscribed", "Mailchimp (unsubscribed members)", _MAILCHIMP,
               _MAILCHIMP_NEEDS | {"unsub_time"}, {"unsubscribed": True}),
        Preset("mailchimp", "Mailchimp (subscribed members)", _MAILCHIMP, _MAILCHIMP_NEEDS),
        Preset("mautic", "Mautic contacts", {
            "id": "mautic_id:text", "firstname": "first_name", "lastname": "last_name",
            "email": "email", "mobile": "phone", "phone": "landline", "points": "score",
            "timezone": "timezone", "date_added": "created_at", "tags": "tags",
            "date_modified": "ignore", "date_identified": "ignore", "last_active": "last_active",
            "preferred_locale": "locale",
        }, frozenset({"firstname", "lastname", "email", "points", "preferred_locale"})),
        Preset("hubspot", "HubSpot contacts", {
            "record_id": "hubspot_id:text", "email": "email", "first_name": "first_name",
            "last_name": "last_name", "phone_number": "phone", "mobile_phone_number": "mobile",
            "create_date": "created_at", "unsubscribed_from_all_email": "unsubscribed",
            "time_zone": "timezone", "lifecycle_stage": "lifecycle_stage",
            "contact_owner": "owner",
        }, frozenset({"record_id", "email", "create_date"})),
        Preset("brevo", "Brevo contacts", {
            "contact_id": "brevo_id:text", "email": "email", "firstname": "first_name",
            "lastname": "last_name", "sms": "phone", "landline_number": "landline",
            "whatsapp": "whatsapp", "email_blacklisted": "unsubscribed",
            "blacklisted": "unsubscribed", "added_time": "created_at",
            "modified_time": "ignore", "ext_id": "external_id:text",
        }, frozenset({"email", "firstname", "lastname", "sms"})),
        Preset("erpnext-lead", "ERPNext leads", {
            "id": "erpnext_id:text", "first_name": "first_name", "last_name": "last_name",
            "email": "email", "email_id": "email", "mobile_no": "phone", "phone": "landline",
            "status": "status", "unsubscribed": "unsubscribed", "full_name": "full_name",
            "lead_name": "full_name", "organization_name": "company",
            "company_name": "company", "creation": "created_at", "created_on": "created_at",
        }, frozenset({"mobile_no", "status", "organization_name"})),
        Preset("erpnext-contact", "ERPNext contacts", {
            "id": "erpnext_id:text", "first_name": "first_name", "last_name": "last_name",
            "email_address": "email", "email_id": "email", "mobile_no": "phone",
            "phone": "landline", "status": "status", "unsubscribed": "unsubscribed",
            "company_name": "company", "creation": "created_at", "created_on": "created_at",
        }, frozenset({"mobile_no", "status", "email_address"})),
    )
}  # fmt: skip


def recognise(header: list[str]) -> Preset | None:
    """The built-in preset whose identifying columns the header has (most specific first)."""
    slugs = {slug(h) for h in header}
    for preset in PRESETS.values():
        if preset.needs and preset.needs <= slugs:
            return preset
    return None


@dataclass
class Column:
    position: int  # 0-based
    header: str
    target: str  # core field, "status", "ignore", or attribute name
    kind: str | None = None  # an attribute's type when forced ("number"...), else detected
    note: str = ""
    source: str = "auto"  # "map" (the user's choice), "preset" or "auto" (names, aliases)


@dataclass
class Mapping:
    """What each column of one file becomes."""

    kind: str  # "contacts" | "events"
    columns: list[Column]
    preset: str | None = None
    constants: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # conflicts resolved, shown before import

    def core(self) -> dict[str, int]:
        fields = CONTACT_FIELDS if self.kind == "contacts" else EVENT_FIELDS
        return {c.target: c.position for c in self.columns if c.target in fields}

    def attributes(self) -> list[Column]:
        fields = CONTACT_FIELDS if self.kind == "contacts" else EVENT_FIELDS
        return [c for c in self.columns if c.target not in fields + SPECIAL]

    def targets(self) -> dict[str, str]:
        """{header: target} as stored in a saved preset and shown by --map."""
        return {c.header: c.target + (f":{c.kind}" if c.kind else "") for c in self.columns}


def parse_target(text: str, kind: str = "contacts") -> tuple[str, str | None]:
    """'plan:number' → ('plan', 'number'); core fields and specials as they are."""
    value = text.strip()
    name, _, forced = value.partition(":")
    name = name.strip()
    fields = CONTACT_FIELDS if kind == "contacts" else EVENT_FIELDS
    if name in fields or name in SPECIAL:
        if forced:
            raise MappingError(f"{name} is a core field: it takes no type ({value!r})")
        if name == "status" and kind != "contacts":
            raise MappingError("status is a contact field")
        return name, None
    if name == "-":
        return "ignore", None
    attribute = slug(name)
    if not ATTRIBUTE.match(attribute):
        raise MappingError(f"{value!r} is not a field or an attribute name (letters, digits, _)")
    if forced and forced not in KINDS:
        raise MappingError(f"{value!r}: the type must be one of {', '.join(KINDS)}")
    return attribute, forced or None


def parse_map_options(options: list[str]) -> dict[str, str]:
    """`--map COLUMN=FIELD` options as {column: target} (checked against the file later)."""
    out: dict[str, str] = {}
    for option in options:
        column, sep, target = option.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise MappingError(f"--map {option!r}: write COLUMN=FIELD, e.g. --map 'E-Mail=email'")
        out[column.strip()] = target.strip()
    return out


def _automatic(header: str, kind: str) -> str:
    name = slug(header)
    fields = CONTACT_FIELDS if kind == "contacts" else EVENT_FIELDS
    if name in fields:
        return name
    alias = ALIASES.get(name)
    if alias in fields:
        return alias
    if kind == "contacts" and name in IGNORED_BY_DEFAULT:
        return "ignore"
    return name or "column"


def build_mapping(
    header: list[str],
    kind: str = "contacts",
    preset: Preset | None = None,
    overrides: dict[str, str] | None = None,
) -> Mapping:
    """The mapping of a file's header: the overrides (by header or its slug), then the preset,
    then names and aliases. Two columns on one core field: the one named exactly keeps it,
    the other becomes an attribute (a note says so); two explicit choices are an error."""
    overrides = dict(overrides or {})
    by_slug = {slug(k): v for k, v in overrides.items()}
    known = {h for h in header} | {slug(h) for h in header}
    unknown = [k for k in overrides if k not in known and slug(k) not in known]
    if unknown:
        raise MappingError(
            f"--map names no column {unknown[0]!r} (the columns are: {', '.join(header)})"
        )
    columns: list[Column] = []
    explicit: dict[str, str] = {}  # core field → header chosen explicitly
    fields = CONTACT_FIELDS if kind == "contacts" else EVENT_FIELDS
    for position, raw in enumerate(header):
        chosen = overrides.get(raw, by_slug.get(slug(raw)))
        source = "map"
        if chosen is None and preset is not None:
            chosen = preset.columns.get(slug(raw))
            source = "preset"
        if chosen is None:
            chosen, source = _automatic(raw, kind), "auto"
        target, forced = parse_target(chosen, kind)
        if source == "map" and target in fields:
            if target in explicit:
                raise MappingError(f"columns {explicit[target]!r} and {raw!r} both map to {target}")
            explicit[target] = raw
        columns.append(Column(position, raw, target, forced, source=source))
    notes: list[str] = []
    # One column per core field: an explicit choice, else the exact name, else the first.
    for target in fields:
        holders = [c for c in columns if c.target == target]
        if len(holders) < 2:
            continue
        keep = next((c for c in holders if c.source == "map"), None)
        keep = keep or next((c for c in holders if c.source == "preset"), None)
        keep = keep or next((c for c in holders if slug(c.header) == target), holders[0])
        for other in holders:
            if other is keep:
                continue
            other.target = _free_name(slug(other.header) or target, columns)
            other.note = f"{target} comes from {keep.header!r}; kept as attribute {other.target}"
            notes.append(f"{other.header!r} and {keep.header!r} both look like {target}: "
                         f"{keep.header!r} is used, {other.header!r} is kept as attribute "
                         f"{other.target}")  # fmt: skip
    # Attributes with one name (a repeated header): the later ones get _2, _3.
    seen: set[str] = set()
    for column in columns:
        if column.target in fields + SPECIAL:
            continue
        if column.target in seen:
            new = _free_name(column.target, columns)
            notes.append(f"column {column.position + 1} repeats {column.header!r}: "
                         f"kept as attribute {new}")  # fmt: skip
            column.target = new
        seen.add(column.target)
    return Mapping(
        kind, columns, preset.name if preset else None,
        dict(preset.constants) if preset else {}, notes,
    )  # fmt: skip


def _free_name(base: str, columns: list[Column]) -> str:
    taken = {c.target for c in columns}
    if base not in taken:
        return base
    i = 2
    while f"{base}_{i}" in taken:
        i += 1
    return f"{base}_{i}"


def saved_presets(settings: dict[str, Any]) -> dict[str, dict[str, str]]:
    presets = settings.get("import_presets") or {}
    return presets if isinstance(presets, dict) else {}


def saved_form(mapping: Mapping) -> dict[str, Any]:
    """A mapping as stored in the `import_presets` setting: its columns and the built-in
    preset it started from (whose flags, e.g. "every row unsubscribed", it keeps)."""
    return {"base": mapping.preset, "columns": mapping.targets()}


def preset_named(name: str, settings: dict[str, Any] | None = None) -> Preset:
    """A built-in preset, or one the user saved ({"base", "columns"}, or {header: target})."""
    if name in PRESETS:
        return PRESETS[name]
    saved = saved_presets(settings or {})
    if name in saved and isinstance(saved[name], dict):
        stored = saved[name]
        columns = stored.get("columns") if isinstance(stored.get("columns"), dict) else stored
        base = PRESETS.get(str(stored.get("base") or ""))
        return Preset(name, name, {slug(k): str(v) for k, v in columns.items()},
                      constants=dict(base.constants) if base else {})  # fmt: skip
    names = sorted(PRESETS) + sorted(saved)
    raise MappingError(f"no import preset {name!r} (there are: {', '.join(names)})")
