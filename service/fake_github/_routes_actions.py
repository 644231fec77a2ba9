"""Actions: workflow runs, jobs, logs (redirects to signed blobs) and re-runs."""

from __future__ import annotations

import hmac
import io
import re
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from service.fake_github import _render
from service.fake_github._errors import ApiError, not_found
from service.fake_github._http import links_of, page, require, respond, state_of, token_of
from service.fake_github._models import Job, Rerun, utcnow
from service.fake_github._state import FakeGitHub, JobSpec

router = APIRouter(prefix="/api/v3/repos/{owner}/{name}/actions")
blobs = APIRouter(prefix="/api/blobs")
BLOB_LIFETIME_S = 60  # GitHub's signed log URLs also expire within minutes


@router.get("/runs")
async def list_runs(request: Request, owner: str, name: str) -> Response:
    """Newest first; filters ``branch``, ``event``, ``status`` (or a conclusion), ``head_sha``,
    ``created`` (GitHub's date syntax: ``>=2024-05-01``, ``<DATE``, ``A..B``, ``DATE``)."""
    state = state_of(request)
    params = request.query_params
    created = _created_filter(params.get("created"))
    with state.lock:
        repo = state.repo(f"{owner}/{name}").full_name
        found = [
            r
            for r in state.runs.values()
            if r.repo == repo
            and params.get("branch") in (None, r.head_branch)
            and params.get("event") in (None, r.event)
            and params.get("head_sha") in (None, r.head_sha)
            and params.get("status") in (None, r.status, r.conclusion)
            and created(r.created_at)
        ]
        found.sort(key=lambda r: r.id, reverse=True)
        chunk, headers = page(request, found)
        token = token_of(request)
        runs = [_render.run(links_of(request), state, r, token) for r in chunk]
        return respond({"total_count": len(found), "workflow_runs": runs}, headers=headers)


def _created_filter(value: str | None) -> Callable[[datetime], bool]:
    """GitHub's ``created`` qualifier as a test on a run's creation time. A bare date means the
    whole day (UTC); a timestamp means that second."""
    if not value:
        return lambda _: True

    def bounds(text: str) -> tuple[datetime, datetime]:
        try:
            if len(text) == 10:
                day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
                return day, day + timedelta(days=1)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(422, f"Invalid created filter {value!r}") from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return moment, moment + timedelta(seconds=1)

    earliest, latest = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    if value.startswith((">=", "<=")):
        start, end = bounds(value[2:])
        low, high = (start, latest) if value[0] == ">" else (earliest, end)
    elif value.startswith((">", "<")):
        start, end = bounds(value[1:])
        low, high = (end, latest) if value[0] == ">" else (earliest, start)
    else:
        first, _, last = value.partition("..") if ".." in value else (value, "", value)
        low = bounds(first)[0] if first != "*" else earliest
        high = bounds(last)[1] if last != "*" else latest
    return lambda t: low <= t < high


@router.get("/runs/{run_id}")
async def get_run(request: Request, owner: str, name: str, run_id: int) -> Response:
    state = state_of(request)
    with state.lock:
        found = state.run_in(f"{owner}/{name}", run_id)
        return respond(_render.run(links_of(request), state, found, token_of(request)))


@router.get("/runs/{run_id}/jobs")
async def list_jobs(request: Request, owner: str, name: str, run_id: int) -> Response:
    state = state_of(request)
    wanted = request.query_params.get("filter", "latest")
    if wanted not in ("latest", "all"):
        raise ApiError(422, f"Invalid filter {wanted!r}: expected latest or all")
    with state.lock:
        state.run_in(f"{owner}/{name}", run_id)
        jobs = state.jobs_of(run_id, latest=wanted == "latest")
        chunk, headers = page(request, jobs)
        links = links_of(request)
        body = {"total_count": len(jobs), "jobs": [_render.job(links, state, j) for j in chunk]}
        return respond(body, headers=headers)


@router.get("/jobs/{job_id}")
async def get_job(request: Request, owner: str, name: str, job_id: int) -> Response:
    state = state_of(request)
    with state.lock:
        found = state.job_in(f"{owner}/{name}", job_id)
        return respond(_render.job(links_of(request), state, found))


@router.get("/jobs/{job_id}/logs")
async def job_logs(request: Request, owner: str, name: str, job_id: int) -> Response:
    state = state_of(request)
    with state.lock:
        found = state.job_in(f"{owner}/{name}", job_id)
        if found.log is None or found.status != "completed":
            raise not_found()
    return _signed_redirect(request, state, "job-logs", job_id)


@router.get("/runs/{run_id}/logs")
async def run_logs(request: Request, owner: str, name: str, run_id: int) -> Response:
    state = state_of(request)
    with state.lock:
        state.run_in(f"{owner}/{name}", run_id)
    return _signed_redirect(request, state, "run-logs", run_id)


@router.post("/runs/{run_id}/rerun-failed-jobs")
async def rerun_failed(request: Request, owner: str, name: str, run_id: int) -> Response:
    return _rerun(request, f"{owner}/{name}", run_id, failed_only=True)


@router.post("/runs/{run_id}/rerun")
async def rerun_all(request: Request, owner: str, name: str, run_id: int) -> Response:
    return _rerun(request, f"{owner}/{name}", run_id, failed_only=False)


def _rerun(request: Request, repo: str, run_id: int, *, failed_only: bool) -> Response:
    token = require(request, "actions")
    state = state_of(request)
    with state.lock:
        found = state.run_in(repo, run_id)
        if found.status != "completed":
            raise ApiError(403, "This workflow is already running")
        jobs = state.jobs_of(run_id, latest=True)
        again = (
            [j for j in jobs if j.conclusion not in ("success", "skipped")] if failed_only else jobs
        )
        if not again:
            raise ApiError(403, "There are no failed jobs to re-run")
        found.run_attempt += 1
        found.status, found.conclusion, found.updated_at = "queued", None, utcnow()
        for old in again:
            _requeue(state, old)
        state.record_rerun(
            Rerun(repo, run_id, found.run_attempt, token.login, failed_only, utcnow())
        )
    return respond({}, status=201)


def _requeue(state: FakeGitHub, old: Job) -> None:
    """A queued copy of ``old`` in the run's new attempt (the run's counter is already up)."""
    steps = [(s.name, None) for s in old.steps]
    state.add_job(old.run_id, JobSpec(old.name, conclusion=None, log=None, steps=steps))


def _signed_redirect(request: Request, state: FakeGitHub, kind: str, object_id: int) -> Response:
    expires = int(time.time()) + BLOB_LIFETIME_S
    signature = state.sign(kind, object_id, expires)
    origin = links_of(request).origin
    location = f"{origin}/api/blobs/{kind}/{object_id}?expires={expires}&sig={signature}"
    return RedirectResponse(location, status_code=302)


def _check_signature(request: Request, state: FakeGitHub, kind: str, object_id: int) -> None:
    try:
        expires = int(request.query_params.get("expires", ""))
    except ValueError:
        raise ApiError(403, "Server failed to authenticate the request.") from None
    expected = state.sign(kind, object_id, expires)
    given = request.query_params.get("sig", "")
    if not hmac.compare_digest(expected, given):
        raise ApiError(403, "Server failed to authenticate the request.")
    if expires < time.time():
        raise ApiError(403, "Signed URL expired.")


@blobs.get("/job-logs/{job_id}")
async def job_log_blob(request: Request, job_id: int) -> Response:
    state = state_of(request)
    _check_signature(request, state, "job-logs", job_id)
    with state.lock:
        found = state.jobs.get(job_id)
        text = found.log if found is not None else None
    if text is None:
        raise ApiError(404, "The specified blob does not exist.")
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")


@blobs.get("/run-logs/{run_id}")
async def run_log_blob(request: Request, run_id: int) -> Response:
    """The whole-run archive: one ``{n}_{job name}.txt`` per job of the latest attempt."""
    state = state_of(request)
    _check_signature(request, state, "run-logs", run_id)
    with state.lock:
        if run_id not in state.runs:
            raise ApiError(404, "The specified blob does not exist.")
        texts = [(j.name, j.log) for j in state.jobs_of(run_id, latest=True) if j.log is not None]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (job_name, text) in enumerate(texts):
            archive.writestr(f"{index}_{_safe_name(job_name)}.txt", text)
    return Response(buffer.getvalue(), media_type="application/zip")


def _safe_name(job_name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|]", "_", job_name)
