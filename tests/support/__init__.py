"""Real parts for the integration tests: PostgreSQL, Redis, an SMTP sink, our processes."""
