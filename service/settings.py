"""Service settings, read from ``AUTOHEAL_*`` environment variables (and an optional ``.env``)."""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL_URI: Final = "var/models/autoheal-classifier.joblib"
DEFAULT_MAX_BODY_BYTES: Final = 50 * 1024 * 1024

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Everything the HTTP service can be told; every field maps to ``AUTOHEAL_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="AUTOHEAL_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        protected_namespaces=(),
    )

    model_uri: str = Field(
        default=DEFAULT_MODEL_URI,
        description="Model artifact path, or an MLflow URI such as models:/autoheal-classifier@champion.",
    )
    threshold: float = Field(
        default=0.70, ge=0.0, le=1.0, description="Confidence at or above which auto_fix is true."
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

    def token(self, which: Literal["api", "admin"]) -> str | None:
        """The configured token's value, or None when unset or empty."""
        secret = self.api_token if which == "api" else self.admin_token
        value = secret.get_secret_value() if secret is not None else ""
        return value or None
