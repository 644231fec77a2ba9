"""Failure families, one module per taxonomy label, each exporting ``FAMILIES``."""
