"""Initial schema: deliveries, jobs, failures, events, audit, repositories, breaker openings.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        _when("run_after"),
        sa.Column("locked_by", sa.String(length=120), nullable=True),
        _when("locked_until", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index("ix_jobs_claim", "jobs", ["status", "run_after"])
    op.create_index("ix_jobs_status", "jobs", ["status"])

    op.create_table(
        "webhook_deliveries",
        sa.Column("delivery_id", sa.String(length=100), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=True),
        sa.Column("repository", sa.String(length=200), nullable=True),
        _when("received_at"),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"]),
        sa.PrimaryKeyConstraint("delivery_id"),
    )
    op.create_index("ix_webhook_deliveries_repository", "webhook_deliveries", ["repository"])

    op.create_table(
        "failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("repository", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("workflow", sa.String(length=200), nullable=True),
        _when("first_seen"),
        _when("last_seen"),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.BigInteger(), nullable=True),
        sa.Column("issue_number", sa.Integer(), nullable=True),
        sa.Column("pr_number", sa.Integer(), nullable=True),
        sa.Column("branch", sa.String(length=255), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=True),
        _when("copilot_requested_at", nullable=True),
        _when("copilot_responded_at", nullable=True),
        sa.Column("fix_rounds", sa.Integer(), nullable=False),
        _when("merged_at", nullable=True),
        _when("pr_closed_at", nullable=True),
        _when("resolved_at", nullable=True),
        _when("issue_closed_at", nullable=True),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("repository", "fingerprint", name="uq_failure_repo_fp"),
    )

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _when("at"),
        sa.Column("repository", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_events_at", "events", ["at"])
    op.create_index("ix_events_kind", "events", ["kind"])
    op.create_index("ix_events_repository", "events", ["repository"])

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _when("at"),
        sa.Column("repository", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_index("ix_audit_repository", "audit", ["repository"])

    op.create_table(
        "repositories",
        sa.Column("repository", sa.String(length=200), nullable=False),
        _when("paused_at", nullable=True),
        sa.Column("pause_reason", sa.Text(), nullable=True),
        _when("resumed_at", nullable=True),
        sa.PrimaryKeyConstraint("repository"),
    )

    op.create_table(
        "breaker_openings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("repository", sa.String(length=200), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_breaker_openings_repo_at", "breaker_openings", ["repository", "at"])


def downgrade() -> None:
    for table in (
        "breaker_openings",
        "repositories",
        "audit",
        "events",
        "failures",
        "webhook_deliveries",
        "jobs",
    ):
        op.drop_table(table)
