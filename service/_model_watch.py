"""Follow the configured model without a restart.

With ``models:/NAME@ALIAS`` the alias's version is polled; with a local file, its identity
(inode, modification time, size: ``autoheal model promote`` and ``autoheal train`` replace it
atomically by a rename). When it changes, the holder loads the model again; requests in flight
keep the model they started with (the holder swaps one reference). Other URIs name fixed content
and are not polled. The checks run in a thread: MLflow is imported (about 2 s) and queried off
the event loop. ``AUTOHEAL_MODEL_POLL_SECONDS`` sets the period; 0 switches the watch off.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable, Hashable
from typing import Final

import anyio
import anyio.to_thread

from model.classifier import ModelLoadError
from service._state import ModelHolder

log = logging.getLogger("autoheal.service")

_ALIAS_URI: Final = re.compile(r"^models:/(?P<name>[^/@]+)@(?P<alias>[^/@]+)$")

Probe = Callable[[], Hashable]


def alias_probe(name: str, alias: str) -> Probe:
    def version() -> Hashable:
        import mlflow  # lazily: about 2 s

        found = mlflow.MlflowClient().get_model_version_by_alias(name, alias)
        return str(found.version)

    return version


def file_probe(path: str) -> Probe:
    def identity() -> Hashable:
        try:
            found = os.stat(path)
        except OSError:
            return None  # missing for now (being replaced, or not yet published)
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    return identity


def probe_for(uri: str) -> Probe | None:
    """How to tell that the model behind ``uri`` changed; None when it cannot change."""
    match = _ALIAS_URI.match(uri)
    if match is not None:
        return alias_probe(match["name"], match["alias"])
    if "://" in uri or uri.startswith(("models:/", "runs:/")):
        return None
    return file_probe(uri)


async def _check(probe: Probe, uri: str) -> tuple[bool, Hashable]:
    try:
        return True, await anyio.to_thread.run_sync(probe)
    except Exception as exc:  # the registry is down, say: keep serving, try again later
        log.warning("cannot check the model source", extra={"model_uri": uri, "error": str(exc)})
        return False, None


async def watch_model(holder: ModelHolder) -> None:
    """Reload whenever the model source changes (runs for the app's lifetime)."""
    settings = holder.settings
    interval = settings.model_poll_seconds
    probe = probe_for(settings.model_uri)
    if interval <= 0 or probe is None:
        return
    ok, seen = await _check(probe, settings.model_uri)
    while True:
        await anyio.sleep(interval)
        ok, current = await _check(probe, settings.model_uri)
        if not ok or current is None or current == seen:
            continue
        log.info(
            "model source changed",
            extra={"model_uri": settings.model_uri, "before": str(seen), "after": str(current)},
        )
        # Remembered even when the load fails: the next change is tried, not this one forever.
        seen = current
        with contextlib.suppress(ModelLoadError):  # logged; the previous model stays
            await holder.load()
