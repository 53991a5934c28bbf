"""The runner's per-message hashing shortcuts give exactly the numbers of the plain
definitions: assumed engagement (a forecast and the live run must agree) and the signed
unsubscribe tokens (a link signed by the runner must be honoured by the endpoint)."""

import base64
import hashlib
import hmac
import random

from engine.delivery.unsubscribe import make_token, read_token
from engine.runner.messages import _engagement_fractions, stable_fractions


def test_engagement_fractions_equal_stable_fractions_of_the_same_parts():
    rng = random.Random(15)
    names = ["Welcome series", "Ünïcode ✓ campaign", "a:b", ""]
    for _ in range(500):
        campaign, node = rng.choice(names), rng.choice(["hello", "tips", "n:1"])
        contact_id = rng.randint(1, 10**12)
        expected = stable_fractions(campaign, node, contact_id, "engagement")
        assert _engagement_fractions(campaign, node, contact_id) == expected
    assert _engagement_fractions("C", "hello", 1) != _engagement_fractions("C", "hello", 2)


def test_tokens_carry_the_plain_hmac_of_their_payload_and_read_back():
    secrets = [bytes(range(32)), b"\xff" * 32]
    for secret in secrets * 3:  # alternating secrets: no key schedule leaks between them
        token = make_token(secret, 42, 7, "hello")
        _body, _, signature = token.partition(".")
        payload = b"42:7:hello"
        mac = hmac.new(secret, b"unsubscribe\0" + payload, hashlib.sha256).digest()[:16]

        assert base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)) == mac
        assert read_token(secret, token).contact_id == 42
        other = secrets[1] if secret == secrets[0] else secrets[0]
        assert read_token(other, token) is None
