"""Git objects for the stand-in: blob and commit ids computed the way git does."""

from __future__ import annotations

import hashlib
from datetime import datetime

from service.fake_github._models import Commit, Repo, utcnow


def blob_sha(content: bytes) -> str:
    """The id git gives a file's content (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\x00" % len(content) + content, usedforsecurity=False).hexdigest()


def commit(
    repo: Repo,
    parent: str | None,
    tree: dict[str, bytes],
    message: str,
    author: str,
    date: datetime | None = None,
) -> str:
    """Store a commit on ``repo`` and return its id (the branch is not moved here)."""
    date = date or utcnow()
    digest = hashlib.sha1(usedforsecurity=False)
    for part in (
        repo.full_name,
        parent or "",
        message,
        author,
        date.isoformat(),
        str(len(repo.commits)),
    ):
        digest.update(part.encode() + b"\x00")
    for path in sorted(tree):
        digest.update(path.encode() + b"\x00" + blob_sha(tree[path]).encode())
    sha = digest.hexdigest()
    repo.commits[sha] = Commit(sha, dict(tree), [parent] if parent else [], message, author, date)
    return sha


def tree_at(repo: Repo, ref: str) -> tuple[str, dict[str, bytes]] | None:
    """The commit id and files at a branch name or commit id, or None when unknown."""
    sha = repo.branches.get(ref, ref)
    found = repo.commits.get(sha)
    return (sha, found.tree) if found is not None else None


def descends_from(repo: Repo, sha: str, ancestor: str) -> bool:
    """Whether ``ancestor`` is ``sha`` or reachable from it through parents (a fast-forward)."""
    pending, seen = [sha], set()
    while pending:
        current = pending.pop()
        if current == ancestor:
            return True
        if current in seen or current not in repo.commits:
            continue
        seen.add(current)
        pending.extend(repo.commits[current].parents)
    return False
