"""The engine's language: gettext catalogs (Babel builds them) and locale-aware numbers,
percentages and dates, with no Qt. The window sets the language once at start
(`set_language`); the command line follows LANGUAGE/LC_ALL/LC_MESSAGES/LANG.

Strings are marked with `_()` (translated now) or `N_()` (data such as catalog labels,
translated where shown with `_()`); `ngettext()` for plurals. The catalogs live in
resources/locale/<lang>/LC_MESSAGES/campaign_studio.po (.mo compiled by `make translations`).
"""

from __future__ import annotations

import gettext
import locale as _locale
import os
import re
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_decimal, format_percent

from engine.paths import resource

DOMAIN = "campaign_studio"
LANGUAGES = ("en", "de")  # the languages with a full translation; "en" is the source

_state: dict = {"lang": "en", "locale": Locale("en"), "translation": gettext.NullTranslations()}


def system_language() -> str:
    """The user's language from the environment (as gettext reads it), e.g. "de"; "en" when
    unset or C/POSIX."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            first = value.split(":")[0].split(".")[0]
            if first not in ("C", "POSIX", ""):
                return first
    try:
        found = _locale.getlocale()[0]
    except ValueError:
        found = None
    return found or "en"


def set_language(code: str | None) -> str:
    """Use language `code` ("de", "de_DE", "en"; None or "system" = the environment's) for
    every later `_()`, number and date. Returns the language code in use."""
    if not code or code == "system":
        code = system_language()
    code = code.replace("-", "_")
    try:
        babel_locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        babel_locale = Locale("en")
    translation = gettext.translation(
        DOMAIN, localedir=str(resource("locale")), languages=[code, babel_locale.language],
        fallback=True,
    )  # fmt: skip
    _state.update(lang=babel_locale.language, locale=babel_locale, translation=translation)
    _translate_catalog()
    return babel_locale.language


def catalog_strings() -> list[str]:
    """The node catalog's titles, descriptions, field labels and help: data, collected into the
    translation template by scripts/translations.py (they are not `_()` calls)."""
    from engine import catalog

    originals = _state.get("catalog") or catalog.CATALOG
    found: list[str] = list((_state.get("category_labels") or catalog.CATEGORY_LABELS).values())
    for spec in originals.values():
        found += [spec.title, spec.description]
        for param in spec.params:
            found += [param.label, param.help]
    return [text for text in dict.fromkeys(found) if text]


def _translate_catalog() -> None:
    """Node titles, descriptions and field labels in the current language, wherever shown."""
    from dataclasses import replace

    from engine import catalog

    labels = _state.setdefault("category_labels", dict(catalog.CATEGORY_LABELS))
    catalog.CATEGORY_LABELS.update({key: _(text) for key, text in labels.items()})
    originals = _state.setdefault("catalog", dict(catalog.CATALOG))
    for key, spec in originals.items():
        params = tuple(
            replace(p, label=_(p.label), help=_(p.help) if p.help else "") for p in spec.params
        )
        catalog.CATALOG[key] = replace(
            spec, title=_(spec.title), description=_(spec.description), params=params
        )


def language() -> str:
    return _state["lang"]


def _(message: str) -> str:
    """`message` in the current language (the English text when there is no translation)."""
    return _state["translation"].gettext(message)


def N_(message: str) -> str:
    """Marks `message` for translation where it is shown; returns it unchanged."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _state["translation"].ngettext(singular, plural, n)


def plural_text(text: str, n: int) -> str:
    """A Qt plural string after translation ("%n contact(s)" → "1234 contacts"): the count in
    the locale's digits ("1,234", "1.234") and, where no translator gave plural forms (English
    is the source), "(s)" made singular or plural."""
    text = text.replace(str(n), number(n), 1)
    return text.replace("(s)", "" if n == 1 else "s")


def number(value: float, decimals: int | None = None) -> str:
    """1234567 → "1,234,567" (en), "1.234.567" (de)."""
    if decimals is None:
        return format_decimal(value, locale=_state["locale"])
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=_state["locale"])


def percent(fraction: float, decimals: int = 1) -> str:
    """0.288 → "28.8%" (en), "28,8 %" (de)."""
    pattern = _state["locale"].percent_formats[None].pattern  # "#,##0%", "#,##0\xa0%"
    if decimals:
        pattern = re.sub(r"0(?=[^0#]*$)", "0." + "0" * decimals, pattern, count=1)
    return format_percent(fraction, format=pattern, locale=_state["locale"])


def date_time(value: datetime, width: str = "medium") -> str:
    """A date and time as the locale writes it ("short", "medium", "long")."""
    return _format_datetime(value, format=width, locale=_state["locale"])


def day_and_time(value: datetime) -> str:
    """The day in words and the time without seconds: "Dec 7, 2026, 9:00 AM", "07.12.2026,
    09:00" — what a person reads on a node, never "2026-12-07T09:00"."""
    from babel.dates import format_date, format_time

    where = _state["locale"]
    day = format_date(value, "medium", locale=where)
    return f"{day}, {format_time(value, 'short', locale=where)}"


# English unless asked: the command line's output is a contract (DESIGN.md) that scripts read.
# The window calls set_language() with the user's choice (Settings) or the system's language.
if os.environ.get("CAMPAIGN_STUDIO_LANGUAGE"):
    set_language(os.environ["CAMPAIGN_STUDIO_LANGUAGE"])
