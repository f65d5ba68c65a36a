"""The `welcomedesk` command: the administrator's and operator's tools."""
