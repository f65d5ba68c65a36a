"""What administrators keep in the desk: the directory (sites, managers, partners) and the
staff accounts; and what each manager keeps about themselves (absences)."""
