"""Delivering an alert: pause the repository, post to the webhook, open an ``autoheal:alert`` issue.

Each step is idempotent: its result is kept in an :class:`AlertLedger` (the database in the
service) under the alert's key and skipped when already done, and the issue is also looked up by
its marker before it is created, in case a previous attempt died between creating and recording
it. A step that fails is reported in :class:`AlertDeliveryError` after the others were tried, so
that a retry finishes only what is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Protocol

import httpx

from service.remediation import GitHubGateway, PyGithubGateway, make_github
from service.remediation._markers import marker_block
from service.remediation._payloads import LABEL

if TYPE_CHECKING:
    from service._alert_rules import Alert

log = logging.getLogger("autoheal.alerts")

ALERT_LABEL: Final = "autoheal:alert"
WEBHOOK_TIMEOUT_SECONDS: Final = 10.0

GatewayFactory = Callable[[str], GitHubGateway]


class AlertLedger(Protocol):
    """Where an alert's progress is kept, and the pause switch."""

    def progress(self, key: str) -> dict[str, Any]: ...

    def save(self, alert: Alert, progress: Mapping[str, Any]) -> None: ...

    def pause(self, repository: str, reason: str) -> None: ...


class MemoryAlertLedger:
    """An in-memory ledger, for tests and dry runs."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.paused: dict[str, str] = {}

    def progress(self, key: str) -> dict[str, Any]:
        return dict(self.records.get(key, {}))

    def save(self, alert: Alert, progress: Mapping[str, Any]) -> None:
        self.records[alert.key] = dict(progress)

    def pause(self, repository: str, reason: str) -> None:
        self.paused.setdefault(repository, reason)


class AlertDeliveryError(RuntimeError):
    """One or more steps failed; the others were done and recorded."""


@dataclass
class AlertDelivery:
    key: str
    paused: bool = False
    posted: bool = False
    issue_number: int | None = None
    errors: list[str] = field(default_factory=list)


def github_gateway_factory(token: str | Callable[[str], str], api_url: str) -> GatewayFactory:
    """Gateways to open alert issues with, one per repository: with one token, or with the
    token a function gives for each repository (a GitHub App's installation tokens)."""
    if callable(token):
        token_for = token
        return lambda repository: PyGithubGateway(
            make_github(token_for(repository), api_url, throttle=False), repository
        )
    github = make_github(token, api_url, throttle=False)
    return lambda repository: PyGithubGateway(github, repository)


def issue_title(alert: Alert) -> str:
    return f"autoheal alert: {alert.figure.replace('_', ' ')} in {alert.repository}"


def issue_body(alert: Alert) -> str:
    owner, _, name = alert.repository.partition("/")
    return "\n".join(
        [
            alert.message,
            "",
            f"- rule: `{alert.rule}`",
            f"- figure: `{alert.figure}` = {alert.value:.4g} (limit {alert.limit:.4g}, "
            f"{alert.samples} samples)",
            "",
            "autoheal will not open new issues for this repository until it is resumed:",
            "",
            "```",
            "curl -X POST -H 'Authorization: Bearer $AUTOHEAL_ADMIN_TOKEN' \\",
            f"  $AUTOHEAL_URL/v1/repositories/{owner}/{name}/resume",
            "```",
            "",
            marker_block(kind="issue", fingerprint=alert.key, alert=alert.key),
        ]
    )


def post_webhook(url: str, text: str, *, client: httpx.Client | None = None) -> None:
    """A Slack-compatible incoming-webhook message: ``{"text": ...}``."""
    if client is not None:
        response = client.post(url, json={"text": text}, timeout=WEBHOOK_TIMEOUT_SECONDS)
    else:
        response = httpx.post(url, json={"text": text}, timeout=WEBHOOK_TIMEOUT_SECONDS)
    response.raise_for_status()


def deliver_alert(
    alert: Alert,
    ledger: AlertLedger,
    *,
    webhook_url: str | None = None,
    gateway_for: GatewayFactory | None = None,
    http: httpx.Client | None = None,
) -> AlertDelivery:
    """Do every step not yet done for ``alert``; raise :class:`AlertDeliveryError` (after
    trying them all) when one failed. Steps without configuration (no URL, no GitHub) are
    skipped and recorded as such."""
    progress = ledger.progress(alert.key)
    result = AlertDelivery(alert.key)

    def save() -> None:
        progress.update(
            paused=result.paused,
            posted=result.posted,
            issue_number=result.issue_number,
            errors=result.errors,
        )
        ledger.save(alert, progress)

    # Pausing first: it is what stops the damage, and it cannot fail on a remote service.
    ledger.pause(alert.repository, alert.message)
    result.paused = True
    result.posted = bool(progress.get("posted"))
    result.issue_number = progress.get("issue_number")
    save()
    if webhook_url and not result.posted:
        try:
            post_webhook(webhook_url, alert.message, client=http)
            result.posted = True
        except httpx.HTTPError as exc:
            result.errors.append(f"webhook: {exc}")
        save()
    if gateway_for is not None and result.issue_number is None:
        try:
            gateway = gateway_for(alert.repository)
            found = gateway.find_issue(alert.key)
            issue = found or gateway.create_issue(
                issue_title(alert), issue_body(alert), (LABEL, ALERT_LABEL), alert.key
            )
            result.issue_number = issue.number
        except Exception as exc:  # any GitHub failure: recorded, retried by the next delivery
            result.errors.append(f"issue: {type(exc).__name__}: {exc}")
        save()
    if result.errors:
        log.warning("alert delivery incomplete", extra={"key": alert.key, "errors": result.errors})
        raise AlertDeliveryError("; ".join(result.errors))
    return result
