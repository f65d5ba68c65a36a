"""Privacy: which columns are personal, anonymising cases, retention, the audit log."""
