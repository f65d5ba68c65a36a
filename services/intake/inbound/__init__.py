"""E-mail intake with I/O: received mails stored, acted on, polled from IMAP or posted raw.

cases (what a read mail does to the cases), service (the use cases: ingest,
retry, reprocess), store (inbound rows and mailbox locks), imap (the mailbox
adapter), poll (one mailbox's round), worker/tasks (the Celery side), views
(POST /api/v1/inbound/mime).
"""
