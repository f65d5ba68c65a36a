"""Requests about one person's data: find it, export it, erase it (administrators)."""
