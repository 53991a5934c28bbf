"""Open and click tracking at sending time: which links are rewritten, what the signed click
token holds (the target with UTM parameters), the pixel, and the per-campaign switches."""

from __future__ import annotations

import html
import re
import urllib.parse

from engine.public import tokens
from engine.public.tracking import Tracking, instrument, unsubscribe_pattern, with_utm

SECRET = b"s" * 32
BASE = "https://mail.example.com"
MESSAGE = tokens.MessageToken(7, 3, "hello", "12:hello:1")
TRACKING = Tracking(public_url=BASE)
CAMPAIGN = {"name": "Spring sale", "settings": {"utm_campaign": "spring"}}


def _targets(body: str) -> list[str]:
    out = []
    for _, href in re.findall(r"""href=(["'])(.+?)\1""", body):
        href = html.unescape(href)
        if href.startswith(BASE + "/c/"):
            found = tokens.read(SECRET, "c", href.rsplit("/c/", 1)[1])
            out.append(found.url)
        else:
            out.append(href)
    return out


def test_web_links_go_through_the_endpoint_with_utm_parameters():
    body = ('<html><body><a href="https://shop.example/a?x=1&amp;y=2">A</a>'
            "<a class='b' href='http://shop.example/b?utm_source=news'>B</a>"
            '<a href="mailto:help@shop.example">mail</a><a href="#top">top</a>'
            f'<a href="{BASE}/u/TOKEN">unsubscribe</a></body></html>')  # fmt: skip
    out = instrument(body, SECRET, TRACKING, MESSAGE, CAMPAIGN)
    a, b, mail, top, unsubscribe = _targets(out)
    assert urllib.parse.parse_qsl(urllib.parse.urlsplit(a).query) == [
        ("x", "1"), ("y", "2"), ("utm_source", "campaign-studio"), ("utm_medium", "email"),
        ("utm_campaign", "spring"),
    ]  # fmt: skip
    assert "utm_source=news" in b and "utm_source=campaign-studio" not in b  # theirs kept
    assert (mail, top, unsubscribe) == ("mailto:help@shop.example", "#top", f"{BASE}/u/TOKEN")
    pixel = re.search(r'<img src="([^"]+)"', out).group(1)
    assert tokens.read(SECRET, "o", pixel.rsplit("/o/", 1)[1]) == MESSAGE
    assert out.index("<img") < out.index("</body>")


def test_a_campaign_can_turn_tracking_off_and_a_token_names_one_message():
    body = '<a href="https://shop.example/">x</a>'
    off = {"name": "Quiet", "settings": {"track_opens": False, "track_clicks": False}}
    assert instrument(body, SECRET, TRACKING, MESSAGE, off) == body
    on = instrument(body, SECRET, TRACKING, MESSAGE, CAMPAIGN)
    token = on.split("/c/")[1].split('"')[0]
    assert tokens.read(b"t" * 32, "c", token) is None  # another database's secret
    assert tokens.read(SECRET, "o", token) is None  # a click token is not a pixel token
    assert with_utm("https://a.example/", {"utm_source": ""}) == "https://a.example/"


def test_unsubscribe_links_follow_public_url_unless_set():
    assert unsubscribe_pattern({"public_url": BASE + "/"}) == BASE + "/u/{token}"
    own = "https://example.com/bye?t={token}"
    assert unsubscribe_pattern({"public_url": BASE, "unsubscribe_url": own}) == own
