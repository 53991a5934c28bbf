"""Open and click tracking at render time: links in an email's HTML go through `/c/TOKEN`
(the signed token holds the real target, with UTM parameters), and a 1×1 pixel `/o/TOKEN`
is added. Called from the runner's render step (engine/runner/messages.py)."""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from engine.public import tokens
from engine.public.tokens import MessageToken

LEGACY_UNSUBSCRIBE = "http://127.0.0.1:8765/unsubscribe?token={token}"  # before `public_url`
# What `{{ view_url }}` renders to; replaced by the message's own /v/TOKEN link when sent.
VIEW_PLACEHOLDER = "https://view-in-browser.invalid/campaign-studio"
_LINK = re.compile(r"""(<a\b[^>]*?\shref\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_BODY_END = re.compile(r"</body\s*>", re.I)


@dataclass(frozen=True)
class Tracking:
    """The workspace's tracking settings, read once per runner."""

    public_url: str
    opens: bool = True
    clicks: bool = True
    utm_source: str = "campaign-studio"
    utm_medium: str = "email"

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Tracking:
        return cls(
            public_url=public_base(settings),
            opens=bool(settings.get("track_opens", True)),
            clicks=bool(settings.get("track_clicks", True)),
            utm_source=str(settings.get("utm_source") or ""),
            utm_medium=str(settings.get("utm_medium") or ""),
        )


def public_base(settings: dict[str, Any]) -> str:
    """`public_url` without a trailing slash."""
    return str(settings.get("public_url") or "http://127.0.0.1:8765").rstrip("/")


def unsubscribe_pattern(settings: dict[str, Any]) -> str:
    """The unsubscribe link pattern: an explicit `unsubscribe_url` setting (e.g. a page on
    the team's own site), else `public_url` + /u/{token}."""
    explicit = settings.get("unsubscribe_url")
    if explicit and explicit != LEGACY_UNSUBSCRIBE:
        return str(explicit)
    return public_base(settings) + "/u/{token}"


def with_utm(url: str, utm: dict[str, str]) -> str:
    """The URL with UTM parameters added (those the link already has are kept)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {name for name, _ in query}
    extra = [(k, v) for k, v in utm.items() if v and k not in present]
    if not extra:
        return url
    return urlunsplit(parts._replace(query=urlencode(query + extra)))


def _trackable(url: str, base: str) -> bool:
    lowered = url.strip().lower()
    if not lowered.startswith(("http://", "https://")):
        return False  # mailto:, tel:, #anchors, template leftovers
    return not url.startswith(base + "/")  # our own unsubscribe / view links stay as they are


def instrument(
    html: str,
    secret: bytes,
    tracking: Tracking,
    message: MessageToken,
    campaign: dict[str, Any],
) -> str:
    """The HTML with tracked links and an open pixel, as the campaign's settings
    (`track_opens`, `track_clicks`, `utm_campaign`) and the workspace's allow."""
    if not html:
        return html
    settings = campaign.get("settings") or {}
    opens = settings.get("track_opens", tracking.opens) is not False
    clicks = settings.get("track_clicks", tracking.clicks) is not False
    base = tracking.public_url
    if clicks:
        utm = {
            "utm_source": tracking.utm_source,
            "utm_medium": tracking.utm_medium,
            "utm_campaign": str(settings.get("utm_campaign") or campaign.get("name") or ""),
        }

        def rewrite(found: re.Match) -> str:
            target = html_module.unescape(found.group(3))
            if not _trackable(target, base):
                return found.group(0)
            token = tokens.make(secret, "c", _with_url(message, with_utm(target.strip(), utm)))
            link = html_module.escape(f"{base}/c/{token}", quote=True)
            return f"{found.group(1)}{found.group(2)}{link}{found.group(2)}"

        html = _LINK.sub(rewrite, html)
    if opens:
        pixel = (f'<img src="{base}/o/{tokens.make(secret, "o", message)}" width="1" height="1" '
                 'alt="" style="display:none;border:0">')  # fmt: skip
        ends = list(_BODY_END.finditer(html))
        if ends:
            at = ends[-1].start()
            html = html[:at] + pixel + html[at:]
        else:
            html += pixel
    return html


def view_url(secret: bytes, tracking: Tracking, message: MessageToken) -> str:
    """The message's "view in browser" link."""
    return f"{tracking.public_url}/v/{tokens.make(secret, 'v', message)}"


def fill_view_url(text: str, secret: bytes, tracking: Tracking, message: MessageToken) -> str:
    """`text` with the `{{ view_url }}` placeholder replaced by this message's link."""
    if not text or VIEW_PLACEHOLDER not in text:
        return text
    return text.replace(VIEW_PLACEHOLDER, view_url(secret, tracking, message))


def _with_url(message: MessageToken, url: str) -> MessageToken:
    return MessageToken(message.contact_id, message.campaign_id, message.node_id, message.key, url)
