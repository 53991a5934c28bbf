"""Bounce mail and complaints: reading them (files, Maildir, mbox, an IMAP mailbox), telling
hard from soft bounces, complaints and auto-replies, and recording each on the contact and on
the campaign node whose message it answers."""
