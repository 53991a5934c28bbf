"""Delivery: the dispatcher, the channels (SMTP, HTTP gateway, outbox), MIME building, the
hand-over journal, unsubscribe and tracking tokens, and the keyring for passwords."""
