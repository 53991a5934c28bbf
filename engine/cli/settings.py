"""`campaign-studio settings list | get KEY | set KEY VALUE`: the workspace settings (the
Settings screen's), VALUE read as JSON when it parses, else as text. Passwords never go into
the database: they are refused with a pointer to the keyring."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlalchemy import Engine

from engine import strict_json
from engine.cli.common import UsageError, add_db_option, run_with_db

PASSWORD_POINTER = (
    "passwords are never stored in the database: keep the SMTP password in the system keyring "
    "(the window's Settings screen, or `keyring set campaign-studio smtp:USER@HOST:PORT`), or "
    "give a headless worker CAMPAIGN_STUDIO_SMTP_PASSWORD"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    sub = parser.add_subparsers(dest="settings_action", metavar="ACTION", required=True)
    p = sub.add_parser("list", help="every setting with its value")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_db_option(p)
    p = sub.add_parser("get", help="one setting's value")
    p.add_argument("key", metavar="KEY")
    add_db_option(p)
    p = sub.add_parser("set", help="change one setting")
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE", help="JSON when it parses (5, true, null, [..]), "
                   "else text")  # fmt: skip
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    if args.settings_action == "set" and _is_password(args.key):
        print(f"error: {PASSWORD_POINTER}", file=sys.stderr)
        return 2
    return run_with_db(
        args,
        lambda engine: _ACTIONS[args.settings_action](engine, args),
        create=args.settings_action == "set",
    )


def _is_password(key: str) -> bool:
    from engine.settings import FORBIDDEN_WORDS

    return any(word in key.lower() for word in FORBIDDEN_WORDS)


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _list(engine: Engine, args: argparse.Namespace) -> int:
    from engine.settings import load_settings

    values = load_settings(engine)
    if args.json:
        print(json.dumps(values, indent=2, sort_keys=True, ensure_ascii=False))
        return 0
    width = max(len(k) for k in values)
    for key in sorted(values):
        print(f"{key:<{width}}  {json.dumps(values[key], ensure_ascii=False)}")
    return 0


def _known(engine: Engine, key: str) -> dict[str, Any]:
    from engine.settings import load_settings

    values = load_settings(engine)
    if key not in values:
        raise UsageError(f"there is no setting named {key!r} (`settings list` shows them)")
    return values


def _get(engine: Engine, args: argparse.Namespace) -> int:
    print(_shown(_known(engine, args.key)[args.key]))
    return 0


def parse_value(text: str, current: Any) -> Any:
    """VALUE as JSON when it parses, else as text; a setting that holds text keeps text
    (`smtp_username 1234` is the name "1234", not a number)."""
    try:
        value = strict_json.loads(text)
    except strict_json.JsonProblem as exc:
        if exc.message.startswith("not valid JSON"):
            return text
        raise UsageError(f"value {text[:40]!r}: {exc.message}") from None
    if isinstance(current, str) and not isinstance(value, str) and value is not None:
        return text
    return value


def _set(engine: Engine, args: argparse.Namespace) -> int:
    from engine.settings import DEFAULTS, save_settings

    values = _known(engine, args.key)
    current = DEFAULTS.get(args.key, values[args.key])
    value = parse_value(args.value, current)
    save_settings(engine, {args.key: value})
    print(f"{args.key} = {json.dumps(value, ensure_ascii=False)}", file=sys.stderr)
    return 0


_ACTIONS = {"list": _list, "get": _get, "set": _set}
