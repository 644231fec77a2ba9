"""Request and response models of the HTTP API (they are also its OpenAPI schema)."""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

# A log must hold at least one non-space character (searched, as in JSON Schema: unanchored).
NOT_BLANK: Final = r"\S"
MAX_RUN_ID: Final = 2**63 - 1
"""GitHub's ids are signed 64-bit integers; a larger one is refused, not echoed back."""


class ClassifyContext(BaseModel):
    """Where a log came from; echoed in the answer, never used to classify."""

    repository: str | None = Field(
        default=None, description="owner/name of the repository.", max_length=1024
    )
    workflow: str | None = Field(
        default=None, description="Workflow name or file.", max_length=1024
    )
    job: str | None = Field(default=None, description="Job name.", max_length=1024)
    run_id: int | None = Field(
        default=None, ge=0, le=MAX_RUN_ID, description="Workflow run id (GitHub ids are 64-bit)."
    )


class ClassifyRequest(ClassifyContext):
    """A log to classify, with optional context."""

    model_config = ConfigDict(extra="forbid")

    log: str = Field(
        ...,
        pattern=NOT_BLANK,
        description="The job's log text, as downloaded from the CI system; not blank.",
    )


class Evidence(BaseModel):
    line: int = Field(..., description="1-based line number in the original log.")
    text: str = Field(..., description="The line, redacted and without its timestamp.")
    file: str | None = Field(default=None, description="Source file named by the line, if any.")


class ClassifyResponse(ClassifyContext):
    """The prediction for one log, with the request's context echoed."""

    model_config = ConfigDict(extra="allow")

    category: str = Field(..., description="Predicted category, or 'unknown' when not sure.")
    confidence: float = Field(..., ge=0.0, le=1.0)
    probabilities: dict[str, float] = Field(..., description="Probability of every category.")
    auto_fix: bool = Field(..., description="True when confidence reaches the threshold.")
    threshold: float
    evidence: list[Evidence]
    fingerprint: str = Field(..., description="Stable id of the failure, for de-duplication.")
    model_version: str
    step: str | None = None
    exit_code: int | None = None
    log_format: str


class ModelInfo(BaseModel):
    """The loaded model."""

    model_config = ConfigDict(extra="allow", protected_namespaces=())

    name: str
    version: str
    alias: str | None = None
    source: str
    labels: list[str]
    threshold: float
    metrics: dict[str, Any] = Field(default_factory=dict)
    loaded_at: float = Field(..., description="Unix time the model was loaded.")


class ReloadResponse(BaseModel):
    previous_version: str | None
    model: ModelInfo


class Health(BaseModel):
    status: str
    model_version: str | None = None
    detail: str | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str
    request_id: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error statuses, all with :class:`ErrorBody`."""
    return {status: {"model": ErrorBody} for status in statuses}
