"""Feedback jobs: a ``/autoheal relabel <category>`` comment, checked, recorded and answered.

Only people who may write to the repository can correct a category: their permission is read
from GitHub when the job runs. The label is stored first (once per comment), then the issue's
category label is changed and the comment answered (once: the answer carries the comment's id
in a hidden marker), so a retried job neither stores nor writes anything twice.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from github import UnknownObjectException

from model.taxonomy import LABELS
from service._heal_job import remediation_settings
from service.remediation import PyGithubGateway, make_github
from service.remediation._markers import marker_block
from service.remediation._payloads import category_label
from service.remediation._retry import call
from service.remediation._sanitize import inline_code
from service.settings import Settings
from service.storage import Database, find_failure, record_feedback
from service.storage._feedback import RELABEL_COMMENT
from service.storage._models import Job
from service.worker import Finisher

log = logging.getLogger("autoheal.worker")

FEEDBACK_JOB: Final = "feedback"
# GitHub's legacy ``permission`` field folds maintain into write; both spellings are accepted.
WRITE_PERMISSIONS: Final = frozenset({"admin", "maintain", "write"})
USAGE: Final = "/autoheal relabel <category>"


@dataclass(frozen=True)
class RelabelRequest:
    repository: str
    number: int
    comment_id: int
    login: str
    category: str
    fingerprint: str

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> RelabelRequest:
        return cls(
            repository=str(payload["repository"]),
            number=int(payload["number"]),
            comment_id=int(payload["comment_id"]),
            login=str(payload["login"]),
            category=str(payload.get("category") or ""),
            fingerprint=str(payload["fingerprint"]),
        )

    @property
    def reference(self) -> str:
        return f"comment:{self.repository}:{self.comment_id}"

    @property
    def markers(self) -> dict[str, str]:
        return {"kind": "relabel", "comment": str(self.comment_id)}


# -- answers (pure) ----------------------------------------------------------------------------
def _with_markers(text: str, request: RelabelRequest) -> str:
    return f"{text}\n\n{marker_block(**request.markers)}\n"


def _valid_list() -> str:
    return ", ".join(inline_code(label) for label in LABELS)


def recorded_text(request: RelabelRequest, previous: str | None, trainable: bool) -> str:
    was = f" (the model said {inline_code(previous)})" if previous else ""
    lines = [
        f"@{request.login}: recorded {inline_code(request.category)} as the category of failure "
        f"{inline_code(request.fingerprint)}{was}. The next training run learns from it."
    ]
    if not trainable:
        lines.append(
            "autoheal kept no log text for this failure, so it cannot be trained on until the "
            "log is sent with `POST /v1/feedback`."
        )
    return _with_markers("\n\n".join(lines), request)


def unknown_category_text(request: RelabelRequest) -> str:
    asked = inline_code(request.category) if request.category else "no category"
    return _with_markers(
        f"@{request.login}: {asked} is not a category autoheal knows; nothing was recorded. "
        f"Use `{USAGE}` with one of: {_valid_list()}.",
        request,
    )


def refused_text(request: RelabelRequest, permission: str) -> str:
    return _with_markers(
        f"@{request.login}: only people with write access to this repository can change a "
        f"failure's category (yours: {inline_code(permission)}); nothing was recorded.",
        request,
    )


# -- GitHub ------------------------------------------------------------------------------------
def read_permission(gateway: PyGithubGateway, login: str) -> str:
    """``login``'s permission on the repository (``none`` for a user GitHub does not know)."""

    def read() -> str:
        try:
            return str(gateway.repo.get_collaborator_permission(login))
        except UnknownObjectException:
            return "none"

    return call(gateway.policy, f"read the permission of {login}", read)


def set_category_label(gateway: PyGithubGateway, number: int, category: str) -> None:
    """Replace the issue's ``autoheal:<category>`` label (other labels stay)."""
    wanted = category_label(category)
    categories = {category_label(label) for label in LABELS}

    def change() -> None:
        issue = gateway.repo.get_issue(number)
        names = [label.name for label in issue.labels]
        for name in names:
            if name in categories and name != wanted:
                with contextlib.suppress(UnknownObjectException):  # already gone: a retry
                    issue.remove_from_labels(name)
        if wanted not in names:
            issue.add_to_labels(wanted)

    call(gateway.policy, f"relabel #{number}", change)


def answer(gateway: PyGithubGateway, request: RelabelRequest, body: str) -> None:
    if gateway.find_comment(request.number, request.markers) is None:
        gateway.comment(request.number, body, request.markers)


class FeedbackJob:
    """The ``feedback`` job handler."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def gateway(self, repository: str) -> PyGithubGateway:
        remediation = remediation_settings(self.settings, repository)
        github = make_github(
            remediation.github_token, remediation.api_url, throttle=remediation.throttle
        )
        return PyGithubGateway(github, repository, policy=remediation.retry)

    def __call__(self, db: Database, job: Job) -> Finisher | None:
        request = RelabelRequest.from_payload(job.payload)
        gateway = self.gateway(request.repository)
        permission = read_permission(gateway, request.login)
        if permission not in WRITE_PERMISSIONS:
            log.info("relabel refused", extra={"job_id": job.id, "login": request.login})
            answer(gateway, request, refused_text(request, permission))
            return None
        if request.category not in LABELS:
            answer(gateway, request, unknown_category_text(request))
            return None
        failure = find_failure(db, request.repository, request.fingerprint)
        previous = failure.category if failure is not None else None
        region = failure.region if failure is not None else None
        record_feedback(
            db,
            fingerprint=request.fingerprint,
            category=request.category,
            source=RELABEL_COMMENT,
            repository=request.repository,
            previous=previous,
            actor=request.login,
            region=region,
            reference=request.reference,
        )
        set_category_label(gateway, request.number, request.category)
        answer(gateway, request, recorded_text(request, previous, region is not None))
        return None
