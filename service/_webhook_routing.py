"""Which GitHub webhook deliveries become which jobs: a pure function of the event and payload.

| event | condition | result |
|---|---|---|
| ``workflow_run`` completed | ``failure`` on an ``autofix/`` branch | ``fix_loop`` job |
| ``workflow_run`` completed | ``failure`` elsewhere | ``heal`` job |
| ``workflow_run`` completed | ``success`` on an ``autofix/`` branch | outcome ``fix_passed`` |
| ``workflow_run`` completed | ``success`` on the default branch | outcome ``default_green`` |
| ``pull_request`` closed | merged or not | outcome ``pr_closed`` |
| ``issue_comment`` created | by the Copilot agent | outcome ``copilot_responded`` |
| ``issue_comment`` created | ``/autoheal relabel <category>`` on an issue with a fingerprint marker | ``feedback`` job |
| ``pull_request_review`` submitted | by the Copilot agent | outcome ``copilot_responded`` |
| ``issues`` closed | labelled ``autoheal`` | outcome ``issue_closed`` |
| anything else | | ignored (acknowledged) |

Runs whose head repository is a fork are ignored unless forks are allowed, as ``autoheal heal``
does: their logs are written by whoever opened the pull request. Each job carries a dedupe key
built from what identifies the work (repository, run and attempt; comment id; ...), so two
deliveries of the same fact, even with different delivery ids, queue it once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

AUTOFIX_PREFIX: Final = "autofix/"
AUTOHEAL_LABEL: Final = "autoheal"
MAX_DEDUPE_KEY: Final = 200
MAX_ID: Final = 2**63 - 1  # GitHub's ids are signed 64-bit; the database columns are too
_REPOSITORY: Final = re.compile(r"^[A-Za-z0-9_.-]{1,39}/[A-Za-z0-9_.-]{1,100}$")
# GitHub's closing keywords: "Fixes #12", "closes #3", "Resolved #7".
_CLOSING: Final = re.compile(r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d{1,9})\b", re.I)

# ``/autoheal relabel <category>`` at the start of a comment; the category is checked by the job
# (an unknown one is answered with the valid ones).
_RELABEL: Final = re.compile(r"\A\s*/autoheal[ \t]+relabel\b[ \t]*(\S*)")
MAX_CATEGORY_CHARS: Final = 60

JobKind = Literal["heal", "fix_loop", "outcome", "feedback"]


class PayloadError(ValueError):
    """The payload lacks a field the event needs, or has it with the wrong type."""


@dataclass(frozen=True)
class Routed:
    """What to do with one delivery. ``job_kind`` is None when it is ignored."""

    event: str
    action: str | None
    repository: str | None
    reason: str
    job_kind: JobKind | None = None
    job_payload: dict[str, Any] = field(default_factory=dict)
    dedupe_key: str | None = None

    @property
    def outcome(self) -> str:
        """The delivery's stored outcome: ``accepted`` (a job), or ``ignored``."""
        return "ignored" if self.job_kind is None else "accepted"


# -- typed access to untrusted JSON ------------------------------------------------------------
def _obj(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise PayloadError(f"{key!r} must be an object")
    return value


def _opt_obj(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _int(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"{key!r} must be an integer")
    if not 0 <= value <= MAX_ID:
        raise PayloadError(f"{key!r} must be between 0 and {MAX_ID}")
    return value


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _repository(payload: Mapping[str, Any]) -> str:
    name = _opt_str(_obj(payload, "repository"), "full_name")
    if name is None or not _REPOSITORY.match(name):
        raise PayloadError("'repository.full_name' must be 'owner/name'")
    return name


def _login(data: Mapping[str, Any]) -> str | None:
    return _opt_str(_opt_obj(data, "user"), "login")


def dedupe_key(*parts: object) -> str:
    """``part:part:...``, hashed when it would not fit the column."""
    key = ":".join(str(p) for p in parts)
    if len(key) <= MAX_DEDUPE_KEY:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{parts[0]}:sha256:{digest}"


def closing_references(body: str | None) -> list[int]:
    """Issue numbers a pull request body closes (``Fixes #12``), in order, without repeats."""
    found: list[int] = []
    for match in _CLOSING.finditer(body or ""):
        number = int(match.group(1))
        if number not in found:
            found.append(number)
    return found[:20]


# -- the table ---------------------------------------------------------------------------------
def route(
    event: str,
    payload: Mapping[str, Any],
    *,
    copilot_logins: frozenset[str],
    allow_forks: bool = False,
) -> Routed:
    """Decide what ``payload`` of ``event`` asks for. Raises :class:`PayloadError` when an
    event autoheal acts on lacks what it needs."""
    action = _opt_str(payload, "action")
    if event == "workflow_run":
        return _workflow_run(payload, action, allow_forks)
    if event == "pull_request" and action == "closed":
        return _pull_request_closed(payload, action)
    if event == "issue_comment" and action == "created":
        relabel = _relabel(payload, action, copilot_logins)
        if relabel is not None:
            return relabel
        return _copilot_activity(event, action, payload, "comment", copilot_logins)
    if event == "pull_request_review" and action == "submitted":
        return _copilot_activity(event, action, payload, "review", copilot_logins)
    if event == "issues" and action == "closed":
        return _issue_closed(payload, action)
    repository = _opt_str(_opt_obj(payload, "repository"), "full_name")
    reason = "ping" if event == "ping" else f"autoheal does not act on {event}/{action or '-'}"
    return Routed(event, action, repository, reason)


def _workflow_run(payload: Mapping[str, Any], action: str | None, allow_forks: bool) -> Routed:
    repository = _repository(payload)
    if action != "completed":
        return Routed("workflow_run", action, repository, "the run has not completed")
    run = _obj(payload, "workflow_run")
    run_id = _int(run, "id")
    attempt = run.get("run_attempt", 1)
    attempt = attempt if isinstance(attempt, int) and not isinstance(attempt, bool) else 1
    conclusion = _opt_str(run, "conclusion")
    branch = _opt_str(run, "head_branch") or ""
    head_repo = _opt_str(_opt_obj(run, "head_repository"), "full_name")
    default_branch = _opt_str(_obj(payload, "repository"), "default_branch")
    base = {
        "repository": repository,
        "run_id": run_id,
        "run_attempt": attempt,
        "workflow": _opt_str(run, "name") or "",
        "head_branch": branch,
        "html_url": _opt_str(run, "html_url") or "",
    }

    def ignored(reason: str) -> Routed:
        return Routed("workflow_run", action, repository, reason)

    if head_repo is not None and head_repo != repository and not allow_forks:
        return ignored(f"the run comes from the fork {head_repo}: its log is not trusted")
    autofix = branch.startswith(AUTOFIX_PREFIX)
    if conclusion == "failure":
        if autofix:
            pulls = [
                p["number"]
                for p in run.get("pull_requests") or []
                if isinstance(p, Mapping) and isinstance(p.get("number"), int)
            ]
            return Routed(
                "workflow_run", action, repository, "a fix's own run failed",
                "fix_loop", {**base, "pull_requests": pulls[:10]},
                dedupe_key("fix_loop", repository, run_id, attempt),
            )  # fmt: skip
        return Routed(
            "workflow_run", action, repository, "a run failed",
            "heal", base, dedupe_key("heal", repository, run_id, attempt),
        )  # fmt: skip
    if conclusion == "success" and (autofix or branch == default_branch):
        kind = "fix_passed" if autofix else "default_green"
        updated = _opt_str(run, "updated_at") or _opt_str(run, "created_at")
        return Routed(
            "workflow_run", action, repository, f"a green run ({kind})",
            "outcome", {**base, "kind": kind, "at": updated},
            dedupe_key("outcome", kind, repository, run_id, attempt),
        )  # fmt: skip
    return ignored(f"nothing to do for a {conclusion or 'pending'} run on {branch or '?'}")


def _pull_request_closed(payload: Mapping[str, Any], action: str) -> Routed:
    repository = _repository(payload)
    pull = _obj(payload, "pull_request")
    number = _int(pull, "number")
    merged = pull.get("merged") is True
    closed_at = _opt_str(pull, "closed_at")
    job = {
        "kind": "pr_closed",
        "repository": repository,
        "number": number,
        "merged": merged,
        "at": (_opt_str(pull, "merged_at") if merged else None) or closed_at,
        "head_branch": _opt_str(_opt_obj(pull, "head"), "ref") or "",
        "closes": closing_references(_opt_str(pull, "body")),
    }
    return Routed(
        "pull_request", action, repository, "a pull request closed",
        "outcome", job, dedupe_key("outcome", "pr_closed", repository, number, closed_at or "-"),
    )  # fmt: skip


def _copilot_activity(
    event: str,
    action: str,
    payload: Mapping[str, Any],
    key: str,
    copilot_logins: frozenset[str],
) -> Routed:
    repository = _repository(payload)
    item = _obj(payload, key)
    login = _login(item)
    if login not in copilot_logins:
        who = login or "an unknown user"
        return Routed(event, action, repository, f"{key} by {who}, not by the Copilot agent")
    if event == "issue_comment":
        issue = _obj(payload, "issue")
        number = _int(issue, "number")
        at = _opt_str(item, "created_at")
    else:
        number = _int(_obj(payload, "pull_request"), "number")
        at = _opt_str(item, "submitted_at")
    job = {
        "kind": "copilot_responded",
        "repository": repository,
        "number": number,
        "via": event,
        "at": at,
    }
    return Routed(
        event, action, repository, "the Copilot agent responded",
        "outcome", job, dedupe_key("outcome", key, repository, _int(item, "id")),
    )  # fmt: skip


def _relabel(
    payload: Mapping[str, Any], action: str, copilot_logins: frozenset[str]
) -> Routed | None:
    """A person's ``/autoheal relabel <category>`` comment; None when the comment is not one."""
    comment = _obj(payload, "comment")
    match = _RELABEL.match(_opt_str(comment, "body") or "")
    login = _login(comment)
    if match is None or login in copilot_logins:
        return None
    repository = _repository(payload)
    issue = _obj(payload, "issue")
    # Imported here: the markers module comes with the remediation package (and PyGithub).
    from service.remediation._markers import markers_in

    fingerprints = markers_in(_opt_str(issue, "body")).get("fingerprint", set())
    if len(fingerprints) != 1:
        return Routed(
            "issue_comment", action, repository, "a relabel command, not on an autoheal issue"
        )
    if login is None:
        raise PayloadError("'comment.user.login' must be a string")
    comment_id = _int(comment, "id")
    job = {
        "repository": repository,
        "number": _int(issue, "number"),
        "comment_id": comment_id,
        "login": login,
        # `network`, "network." and Network all name the category network.
        "category": match.group(1)[:MAX_CATEGORY_CHARS].strip("`'\".,;:!").lower(),
        "fingerprint": next(iter(fingerprints)),
        "at": _opt_str(comment, "created_at"),
    }
    return Routed(
        "issue_comment", action, repository, f"{login} asks to relabel a failure",
        "feedback", job, dedupe_key("feedback", repository, comment_id),
    )  # fmt: skip


def _issue_closed(payload: Mapping[str, Any], action: str) -> Routed:
    repository = _repository(payload)
    issue = _obj(payload, "issue")
    labels = {
        label.get("name") for label in issue.get("labels") or [] if isinstance(label, Mapping)
    }
    if AUTOHEAL_LABEL not in labels:
        return Routed("issues", action, repository, "not an autoheal issue")
    number = _int(issue, "number")
    closed_at = _opt_str(issue, "closed_at")
    job = {"kind": "issue_closed", "repository": repository, "number": number, "at": closed_at}
    return Routed(
        "issues", action, repository, "an autoheal issue closed",
        "outcome", job, dedupe_key("outcome", "issue_closed", repository, number, closed_at or "-"),
    )  # fmt: skip
