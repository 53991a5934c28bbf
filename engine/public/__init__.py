"""The public endpoint: what recipients' mail clients and the team's website call back
(open pixel, click redirects, unsubscribe, view in browser, events API, web forms)."""
