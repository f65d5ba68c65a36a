"""The broker: Celery configuration and the transactional outbox."""
