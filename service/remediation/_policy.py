"""What to do: pure decisions from the run and the prediction, no I/O."""

from __future__ import annotations

from enum import StrEnum

from model.classifier import Prediction
from model.taxonomy import TRANSIENT, UNKNOWN
from service.remediation._types import RunInfo


class RunVerdict(StrEnum):
    HEAL = "heal"
    NOT_FAILED = "not-failed"
    FORK = "fork"


class Action(StrEnum):
    RERUN = "rerun"  # transient, first attempt: ask GitHub to re-run the failed jobs
    FIX = "fix"  # confident: issue, branch with the plan, draft PR, hand-off
    TRIAGE = "triage"  # uncertain or unknown: a needs-triage issue only


def judge_run(run: RunInfo, *, allow_forks: bool) -> RunVerdict:
    """Whether a run is healed at all. Fork logs are attacker-controlled: skipped by default."""
    if run.status != "completed" or run.conclusion != "failure":
        return RunVerdict.NOT_FAILED
    if run.from_fork and not allow_forks:
        return RunVerdict.FORK
    return RunVerdict.HEAL


def is_confident(prediction: Prediction, threshold: float) -> bool:
    return prediction.category != UNKNOWN and prediction.confidence >= threshold


def choose_action(prediction: Prediction, run_attempt: int, threshold: float) -> Action:
    """The policy for a failure no open issue knows yet."""
    if not is_confident(prediction, threshold):
        return Action.TRIAGE
    if prediction.category in TRANSIENT and run_attempt <= 1:
        return Action.RERUN
    return Action.FIX
