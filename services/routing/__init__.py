"""The routing service: understands each enquiry and picks site, manager and partners."""
