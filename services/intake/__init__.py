"""The intake service: web form, JSON API and mail intake; stores and announces enquiries."""
