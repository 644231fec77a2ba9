"""Alerts: when issue creation surges or a quality figure falls below its target.

Rules (:mod:`._alert_rules`) are evaluated per repository: issues opened in the last 24 hours
above ``max(3, 3 x`` the trailing 7-day daily median``)``, or a figure with a target (issue
creation, PR creation, Copilot response, merge rate, time to merge) missing it with at least
5 samples over the last 7 days. A firing alert is queued once as a durable ``alert`` job
(:mod:`._alert_jobs`); delivering it (:mod:`._alert_actions`) pauses automatic issue creation
for the repository, posts ``{"text": ...}`` to ``AUTOHEAL_ALERT_WEBHOOK_URL`` (Slack-compatible)
and opens an issue labelled ``autoheal:alert``, each step once.
"""

from service._alert_actions import (
    ALERT_LABEL,
    AlertDelivery,
    AlertDeliveryError,
    AlertLedger,
    MemoryAlertLedger,
    deliver_alert,
    github_gateway_factory,
    post_webhook,
)
from service._alert_jobs import (
    ALERT_JOB,
    DatabaseAlertLedger,
    check_alerts,
    evaluate_alerts,
    queue_alerts,
    run_alert_job,
)
from service._alert_rules import (
    BELOW_TARGET,
    SURGE,
    Alert,
    AlertConfig,
    evaluate_rules,
    issue_surge,
    quality_alerts,
)

__all__ = [
    "ALERT_JOB",
    "ALERT_LABEL",
    "BELOW_TARGET",
    "SURGE",
    "Alert",
    "AlertConfig",
    "AlertDelivery",
    "AlertDeliveryError",
    "AlertLedger",
    "DatabaseAlertLedger",
    "MemoryAlertLedger",
    "check_alerts",
    "deliver_alert",
    "evaluate_alerts",
    "evaluate_rules",
    "github_gateway_factory",
    "issue_surge",
    "post_webhook",
    "quality_alerts",
    "queue_alerts",
    "run_alert_job",
]
