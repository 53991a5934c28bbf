"""`campaign-studio keys create NAME | list | revoke NAME`: events-API keys. `create` prints
the key last (shown once: only its hash is stored)."""

from __future__ import annotations

import argparse
import json

from engine.cli.common import add_db_option, fail, run_with_db


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="a new key (printed once)")
    create.add_argument("name", help="what the key is for, e.g. 'shop'")
    add_db_option(create)
    listing = sub.add_parser("list", help="the keys (names, never the keys themselves)")
    listing.add_argument("--json", action="store_true")
    add_db_option(listing)
    revoke = sub.add_parser("revoke", help="a key stops working at once")
    revoke.add_argument("name")
    add_db_option(revoke)


def run(args: argparse.Namespace) -> int:
    from engine.public.keys import ApiKeyError, create_key, list_keys, revoke_key

    def work(engine) -> int:
        try:
            if args.keys_action == "create":
                key = create_key(engine, args.name)
                print(f"key {args.name!r} created; it is shown only now. Send it as "
                      "'Authorization: Bearer KEY' to POST /api/events:")  # fmt: skip
                print(key)
                return 0
            if args.keys_action == "revoke":
                revoke_key(engine, args.name)
                print(f"key {args.name!r} revoked")
                return 0
            rows = list_keys(engine)
            if getattr(args, "json", False):
                print(json.dumps(rows, indent=2))
            elif not rows:
                print("no keys (create one with `campaign-studio keys create NAME`)")
            else:
                for row in rows:
                    state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
                    used = row["last_used_at"] or "never"
                    print(f"{row['name']}\t{row['prefix']}…\t{state}\tcreated "
                          f"{row['created_at']}\tlast used {used}")  # fmt: skip
            return 0
        except ApiKeyError as exc:
            return fail(str(exc))

    return run_with_db(args, work, create=args.keys_action == "create")
