"""One lock per failure, held as a git branch, that a crashed holder cannot keep forever.

GitHub has no lock, but creating a ref that exists answers 422: the healer that creates
``autoheal/lock/<fingerprint>`` first holds the lock. The branch points at a commit of its own
(the default branch's files, a message with hidden markers, the holder and the time it was
taken as committer date), so anyone can tell who holds it and since when.

A holder that dies (a cancelled workflow, a killed runner, a lost worker) never deletes its
branch. Once the lock is older than ``stale_after`` seconds, a healer takes it over with the only
compare-and-swap GitHub offers: it moves the branch to a new commit whose parent is the stale
one, without ``force``. GitHub accepts that only as a fast-forward, so of several healers taking
over the same stale lock exactly one succeeds; the others see the branch moved and wait.

A branch under the prefix without the lock markers (made by a person, or by an older autoheal
that pointed it at the default branch's head) is never judged stale: its age is unknown.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from service.remediation._gateway import GitHubGateway, RefExists
from service.remediation._markers import has_marker, marker_block, markers_in
from service.remediation._types import CommitInfo, RunInfo

LOCK_PREFIX: Final = "autoheal/lock/"
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9_.-]+")


def lock_branch(fingerprint: str) -> str:
    return LOCK_PREFIX + fingerprint


def holder_id() -> str:
    """This process, readably and uniquely: ``host:pid:random``."""
    host = _UNSAFE.sub("-", socket.gethostname())[:60] or "host"
    return f"{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lock_message(fingerprint: str, run: RunInfo, holder: str, stale_after: float) -> str:
    """The lock commit's message: what it guards, who holds it, and when it may be taken over."""
    minutes = max(1, round(stale_after / 60))
    return (
        f"autoheal lock for failure {fingerprint}\n\n"
        f"Held while run {run.id} of {run.repository} opens or updates what this failure needs;\n"
        f"deleted when that is done. If it is still here {minutes} minutes after this commit's\n"
        "date, its holder stopped, and the next heal of this failure takes it over.\n\n"
        + marker_block(kind="lock", fingerprint=fingerprint, run=run.id, holder=holder)
    )


def holder_of(lock: CommitInfo) -> str:
    """Who held a lock, as its markers say."""
    found = markers_in(lock.message)
    holder = next(iter(found.get("holder", ())), "an unknown holder")
    run = next(iter(found.get("run", ())), "?")
    return f"{holder} (run {run})"


@dataclass(frozen=True)
class Held:
    """A lock this healer holds: the branch and the commit it put there."""

    branch: str
    sha: str
    took_over: CommitInfo | None  # the stale lock it replaced, if any


class FailureLock:
    """Take, wait for and release the lock of one failure (see the module docstring)."""

    def __init__(
        self,
        gateway: GitHubGateway,
        *,
        stale_after: float,
        now: Callable[[], datetime],
        holder: str | None = None,
    ) -> None:
        self.gh = gateway
        self.stale_after = stale_after
        self.now = now
        self.holder = holder or holder_id()

    def acquire(self, fingerprint: str, run: RunInfo) -> Held | None:
        """The lock, or None when another healer holds it (and it is not stale)."""
        branch = lock_branch(fingerprint)
        message = lock_message(fingerprint, run, self.holder, self.stale_after)
        _, head = self.gh.default_branch()
        mine = self.gh.create_commit(head, message, self.now())
        try:
            self.gh.create_branch(branch, mine, exclusive=True)
            return Held(branch, mine, None)
        except RefExists:
            pass
        stale = self.stale(branch)
        if stale is None:
            return None
        successor = self.gh.create_commit(stale.sha, message, self.now())
        if not self.gh.advance_branch(branch, successor):
            return None  # another healer took it over first
        return Held(branch, successor, stale)

    def is_stale(self, lock: CommitInfo) -> bool:
        """Whether a lock commit is autoheal's and older than ``stale_after``."""
        if not has_marker(lock.message, "kind", "lock"):
            return False
        return (self.now() - lock.date).total_seconds() >= self.stale_after

    def stale(self, branch: str) -> CommitInfo | None:
        """The branch's lock commit when it is stale, else None (also when there is none)."""
        current = self.gh.branch_commit(branch)
        return current if current is not None and self.is_stale(current) else None

    def release(self, held: Held) -> bool:
        """Delete the branch if it still points at this healer's commit; False when another
        healer took the lock over meanwhile (its branch is left alone)."""
        current = self.gh.branch_commit(held.branch)
        if current is None:
            return True  # gone already: a retried release
        if current.sha != held.sha:
            return False
        self.gh.delete_branch(held.branch)
        return True
