"""Errors the repository raises."""


class UnknownReference(ValueError):
    """A record names a country, theme or practice that does not exist."""


class NotFound(LookupError):
    """The record does not exist."""
