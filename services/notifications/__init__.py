"""The notifications service: the mails to enquirers, managers, site teams and partners."""
