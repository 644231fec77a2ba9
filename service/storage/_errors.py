"""Errors raised by the storage layer."""

from __future__ import annotations


class StorageError(Exception):
    """Something the storage layer could not do (bad configuration, a lost lease, ...)."""


class InvalidInput(StorageError, ValueError):
    """A value that cannot be stored as given (too long, not JSON, wrong type); nothing was
    written."""
