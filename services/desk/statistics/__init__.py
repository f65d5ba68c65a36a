"""The centre's statistics: figures for a period and a site from the case facts, as JSON,
CSV, charts and a printable report."""
