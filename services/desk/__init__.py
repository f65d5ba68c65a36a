"""The managers' desk: staff sign-in, case lists, the case page and the case lifecycle,
as pages and as a JSON API served by the same service functions."""
