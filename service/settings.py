"""Service settings, read from ``AUTOHEAL_*`` environment variables (and an optional ``.env``)."""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL_URI: Final = "var/models/autoheal-classifier.joblib"
DEFAULT_MAX_BODY_BYTES: Final = 50 * 1024 * 1024
DEFAULT_DATABASE_URL: Final = "sqlite:///var/autoheal.db"
DEFAULT_GITHUB_API_URL: Final = "https://api.github.com"
# GitHub caps webhook payloads at 25 MB.
DEFAULT_WEBHOOK_MAX_BODY_BYTES: Final = 25 * 1024 * 1024
# Logins the Copilot coding agent comments and reviews as.
DEFAULT_COPILOT_LOGINS: Final = "Copilot,copilot-swe-agent[bot],copilot-swe-agent"
# Generated logs classified before a loaded model serves (`service._warmup`): about 0.4-0.5 s
# on two cores, generating them included; new logs then take ~1.3x their settled extraction time
# instead of ~1.7x (within 10% takes ~1,000 logs, 1.5-2 s).
DEFAULT_WARMUP_LOGS: Final = 200

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Everything the HTTP service can be told; every field maps to ``AUTOHEAL_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="AUTOHEAL_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        protected_namespaces=(),
        populate_by_name=True,
    )

    model_uri: str = Field(
        default=DEFAULT_MODEL_URI,
        description="Model artifact path, or an MLflow URI such as models:/autoheal-classifier@champion.",
    )
    threshold: float = Field(
        default=0.70, ge=0.0, le=1.0, description="Confidence at or above which auto_fix is true."
    )
    repo_threshold_floor: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Lowest threshold a repository's .github/autoheal.toml may ask for when "
        "healing (unset: any).",
    )
    max_body_bytes: int = Field(
        default=DEFAULT_MAX_BODY_BYTES,
        gt=0,
        description="Largest request body accepted, counted both compressed and decompressed.",
    )
    api_token: SecretStr | None = Field(
        default=None, description="When set, /v1 endpoints require 'Authorization: Bearer <token>'."
    )
    admin_token: SecretStr | None = Field(
        default=None, description="When set, enables POST /v1/model/reload with this bearer token."
    )
    log_level: LogLevel = "INFO"
    access_log: bool = Field(default=True, description="Log one JSON line per request.")
    classify_threads: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Threads reading and extracting logs at once, per process (off the event loop).",
    )
    reload_signal_file: Path | None = Field(
        default=None,
        description="File touched after a reload so that sibling worker processes reload too.",
    )
    reload_poll_seconds: float = Field(default=1.0, gt=0.0)
    warmup_logs: int = Field(
        default=DEFAULT_WARMUP_LOGS,
        ge=0,
        description="Generated logs classified when a model is loaded (or reloaded), before it "
        "serves, so that the first requests find the log scanner's caches warm; 0: none.",
    )
    model_poll_seconds: float = Field(
        default=30.0,
        ge=0.0,
        description="How often to check whether the model changed (the alias of a "
        "models:/NAME@ALIAS URI moved, or the local file was replaced) and reload it; 0: never.",
    )

    # -- storage, webhooks and the job worker -----------------------------------------------
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL of the database holding jobs, failures and events "
        "(postgresql+psycopg://... when several processes or hosts share the work).",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="The GitHub webhook secret; POST /v1/webhooks/github answers 404 without it.",
    )
    webhook_secret_previous: SecretStr | None = Field(
        default=None,
        description="While rotating the webhook secret: the old one, still accepted.",
    )
    webhook_max_body_bytes: int = Field(default=DEFAULT_WEBHOOK_MAX_BODY_BYTES, gt=0)
    github_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("AUTOHEAL_GITHUB_TOKEN", "GITHUB_TOKEN"),
        description="Token the worker heals with (GITHUB_TOKEN, as for `autoheal heal`).",
    )
    github_app_id: int | None = Field(
        default=None,
        gt=0,
        description="A GitHub App to heal as instead of a token: each repository gets its own "
        "installation token, scoped to it and expiring within the hour.",
    )
    github_app_private_key: SecretStr | None = Field(
        default=None, description="The app's private key (PEM; '\\n' escapes are accepted)."
    )
    github_app_private_key_file: Path | None = Field(
        default=None, description="A file holding the app's private key (PEM)."
    )
    github_api_url: str = Field(
        default=DEFAULT_GITHUB_API_URL,
        validation_alias=AliasChoices("AUTOHEAL_GITHUB_API_URL", "GITHUB_API_URL"),
    )
    copilot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("AUTOHEAL_COPILOT_TOKEN", "COPILOT_TOKEN"),
        description="User token that may start the Copilot coding agent (COPILOT_TOKEN).",
    )
    copilot_logins: str = Field(
        default=DEFAULT_COPILOT_LOGINS,
        description="Comma-separated logins whose comments and reviews count as Copilot's.",
    )
    github_throttle: bool = Field(
        default=True, description="Keep PyGithub's pauses between requests (GitHub asks for them)."
    )
    allow_forks: bool = Field(
        default=False, description="Also heal runs from forks (their logs are untrusted)."
    )
    max_issues_per_hour: int = Field(
        default=10, ge=0, description="New issues per repository per hour before the breaker trips."
    )
    fix_rounds: int = Field(
        default=3, ge=0, description="Follow-up @copilot rounds per pull request before a human."
    )
    alert_webhook_url: str | None = Field(
        default=None, description="Slack-compatible URL alerts are POSTed to as {'text': ...}."
    )
    worker_enabled: bool = Field(
        default=True, description="Run a job worker thread in each service process."
    )
    worker_poll_seconds: float = Field(default=1.0, gt=0.0, le=60.0)
    worker_lease_seconds: float = Field(
        default=300.0,
        gt=0.0,
        description="How long a claimed job stays locked without a heartbeat before another "
        "worker may take it over (a crashed process's jobs resume after this).",
    )
    process_ping_timeout_seconds: float = Field(
        default=60.0,
        gt=0.0,
        description="With several service processes: one that answers no ping for this long "
        "is hung, and is killed and replaced.",
    )
    job_max_attempts: int = Field(default=5, ge=1, le=100)
    alert_check_seconds: float = Field(
        default=300.0, gt=0.0, description="How often each worker evaluates the alert rules."
    )

    def token(self, which: Literal["api", "admin", "webhook", "github", "copilot"]) -> str | None:
        """The configured secret's value, or None when unset or empty."""
        secret = {
            "api": self.api_token,
            "admin": self.admin_token,
            "webhook": self.webhook_secret,
            "github": self.github_token,
            "copilot": self.copilot_token,
        }[which]
        value = secret.get_secret_value() if secret is not None else ""
        return value or None

    @model_validator(mode="after")
    def _github_app_complete(self) -> Settings:
        keys = (self.github_app_private_key is not None) + (
            self.github_app_private_key_file is not None
        )
        if self.github_app_id is None and keys:
            raise ValueError("a GitHub App private key is set but AUTOHEAL_GITHUB_APP_ID is not")
        if self.github_app_id is not None:
            if keys != 1:
                raise ValueError(
                    "AUTOHEAL_GITHUB_APP_ID needs exactly one of AUTOHEAL_GITHUB_APP_PRIVATE_KEY "
                    "and AUTOHEAL_GITHUB_APP_PRIVATE_KEY_FILE"
                )
            from service.remediation._app_key import check_private_key  # imports PyGithub

            check_private_key(self.github_app_key() or "")
        return self

    def webhook_secrets(self) -> list[str]:
        """The secrets a delivery may be signed with: the current one, then the previous one
        while a rotation is under way (none when webhooks are off)."""
        current = self.token("webhook")
        if current is None:
            return []
        previous = self.webhook_secret_previous
        old = previous.get_secret_value() if previous is not None else ""
        return [current, old] if old and old != current else [current]

    def github_app_key(self) -> str | None:
        """The app's private key (PEM), from the setting or its file; None without an app."""
        from service.remediation._app_key import read_private_key

        inline = self.github_app_private_key
        return read_private_key(
            inline.get_secret_value() if inline is not None else None,
            self.github_app_private_key_file,
        )

    def copilot_login_set(self) -> frozenset[str]:
        return frozenset(name.strip() for name in self.copilot_logins.split(",") if name.strip())
