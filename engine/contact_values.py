"""What a campaign may write into a contact (action.update_contact): typed core fields,
finite numbers, no control characters, and never the opt-out flags. Validation checks a
node's value before start; the runner checks the rendered value again for each contact."""

from __future__ import annotations

import math
from typing import Any

# Only the contact (the unsubscribe page), a bounce or complaint, or a person in the
# contacts screen changes these (DESIGN.md, "Things that are never done").
PROTECTED = ("unsubscribed", "bounced")
READ_ONLY = ("id", "created_at", "updated_at", "attributes", "tags")
TEXT_FIELDS = ("email", "phone", "first_name", "last_name", "timezone")
MAX_SCORE = 10**15
ALLOWED_CONTROLS = "\t\n\r"


class ContactValueError(ValueError):
    """A value a campaign may not write into a contact; the message is the sentence."""


def field_name_problem(field: str) -> str | None:
    """None when a campaign may set this field, else why not."""
    if field in PROTECTED:
        return (
            f"a campaign never changes {field!r}: only the contact (the unsubscribe page), "
            "a bounce or complaint, or a person in the contacts screen does"
        )
    if field in READ_ONLY:
        return f"{field!r} cannot be set by a campaign"
    if any(c in field for c in '"\\') or any(ord(c) < 32 for c in field):
        return f"field name {field!r} cannot contain quotes, backslashes or control characters"
    return None


def contact_value(field: str, value: Any) -> Any:
    """The value to store for `field`, typed; raise ContactValueError with a sentence."""
    problem = field_name_problem(field)
    if problem:
        raise ContactValueError(problem)
    if field == "score":
        return _whole_number(value)
    if field in TEXT_FIELDS:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ContactValueError(f"{field} is text; {_show(value)} is not text")
        return _clean_text(field, value)
    return _attribute(field, value)


def _whole_number(value: Any) -> int:
    number: Any = value
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit() and len(text) <= 20:
            number = int(text)
    if isinstance(number, float) and math.isfinite(number) and number.is_integer():
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int):
        raise ContactValueError(f"score is a whole number; {_show(value)} is not")
    if abs(number) > MAX_SCORE:
        raise ContactValueError(f"score {_show(value)} is out of range (at most ±10^15)")
    return number


def _clean_text(field: str, text: str) -> str:
    if any(ord(c) < 32 and c not in ALLOWED_CONTROLS for c in text) or "\x7f" in text:
        raise ContactValueError(f"{field}: the value contains NUL or control characters")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise ContactValueError(f"{field}: the value is not valid Unicode (a lone surrogate)")
    return text


def _attribute(field: str, value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ContactValueError(f"{field}: {value!r} is not a finite number")
    if isinstance(value, str):
        return _clean_text(field, value)
    if isinstance(value, list):
        return [_attribute(field, v) for v in value]
    if isinstance(value, dict):
        return {str(k): _attribute(field, v) for k, v in value.items()}
    return value


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
