"""Concurrency helpers for the storage tests: threads released together, and workers that
run in fresh processes (module-level functions, importable by ``spawn``; no pytest here, so a
child starts quickly)."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from service.storage import Database, claim, complete

T = TypeVar("T")


def run_together(count: int, task: Callable[[int], T]) -> list[T]:
    """Run ``task(0..count-1)`` in threads released at the same moment; their results."""
    barrier = threading.Barrier(count)

    def start(index: int) -> T:
        barrier.wait(timeout=30)
        return task(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


def claim_all(url: str, worker_id: str, start: Any = None) -> list[int]:
    """Claim and complete jobs until none is left; the ids this worker got.

    Runs in a child process too (module-level, so that ``spawn`` can import it); ``start``
    is an optional barrier that releases all workers together.
    """
    database = Database(url)
    got: list[int] = []
    try:
        if start is not None:
            start.wait(30)
        while (job := claim(database, worker_id, lease_seconds=60)) is not None:
            got.append(job.id)
            if not complete(database, job.id, worker_id):
                raise AssertionError(f"{worker_id} lost job {job.id} it had just claimed")
    finally:
        database.dispose()
    return got


def upgrade_url(url: str, start: Any = None) -> str | None:
    """Migrate ``url`` (in a child process); the revision it reports afterwards."""
    database = Database(url)
    try:
        if start is not None:
            start.wait(30)
        database.upgrade()
        return database.current_revision()
    finally:
        database.dispose()


def _child(results: Any, index: int, task: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        results.put((index, True, task(*args)))
    except BaseException as exc:  # reported to the parent, which fails the test
        results.put((index, False, f"{type(exc).__name__}: {exc}"))


def run_in_processes(task: Callable[..., T], args: list[tuple[Any, ...]]) -> list[T]:
    """Run ``task(*args[i], start)`` in one fresh process each (``spawn``: no engine,
    connection or lock is inherited); ``start`` is a barrier that releases them together."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = context.Barrier(len(args))
    processes = [
        context.Process(target=_child, args=(results, index, task, (*arguments, start)))
        for index, arguments in enumerate(args)
    ]
    for process in processes:
        process.start()
    try:
        collected = [results.get(timeout=60) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()
    failures = [detail for _, ok, detail in collected if not ok]
    if failures:
        raise AssertionError(f"a child process failed: {failures}")
    return [value for _, _, value in sorted(collected, key=lambda item: item[0])]
