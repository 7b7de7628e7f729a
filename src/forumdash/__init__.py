"""forumdash: the dashboard of the Western Balkans Regional Forum on open government."""

__version__ = "0.1.0"
