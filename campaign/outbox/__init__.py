"""Delivering the outbox: SMTP transactions, per-mail claims and backoff, the background sender
of each web worker, and the staff page of mail that could not be delivered.

Mail is queued by `campaign.core.mail.enqueue` in the transaction of the change that causes it.
From there each mail is claimed alone, sent, and its outcome committed at once (sent, retry
later, refused for good, or maybe delivered). See the README, "Mail delivery".
"""
