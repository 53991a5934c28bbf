"""The few HTML pages the endpoint shows people (unsubscribe, preferences, thanks, errors):
plain, escaped, no scripts, no outside resources."""

from __future__ import annotations

import html

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em}}
button{{font:inherit;padding:.4em 1.2em;margin:.3em .6em .3em 0}}</style></head>
<body><h1>{title}</h1><p>{text}</p>{extra}</body></html>"""


def page(title: str, text: str, extra: str = "") -> str:
    """A page; `extra` is trusted HTML made by this module's functions."""
    return _PAGE.format(title=html.escape(title), text=html.escape(text), extra=extra)


def buttons(action: str, choices: list[tuple[str, str]]) -> str:
    """A POST form with one button per (value of `action`, label)."""
    parts = [f'<form method="post" action="{html.escape(action, quote=True)}">']
    for value, label in choices:
        parts.append(f'<button name="action" value="{html.escape(value, quote=True)}">'
                     f"{html.escape(label)}</button>")  # fmt: skip
    parts.append("</form>")
    return "".join(parts)
