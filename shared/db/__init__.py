"""Persistence: the engine factory, sessions and the tables."""
