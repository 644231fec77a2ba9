"""Storage: the service's state and durable jobs in SQLite (embedded) or PostgreSQL (shared).

``Database(url)`` owns the engine and migrations; the functions take a ``Database`` (each call
is its own transaction) or an open ``Session`` from ``db.session()`` (the steps commit
together). Every process may call ``Database.upgrade()`` at start: they take turns.
"""

from service.storage._database import (
    DEFAULT_DATABASE_URL,
    ENV_DATABASE_URL,
    Database,
    default_database_url,
)
from service.storage._deliveries import (
    DeliveryResult,
    get_delivery,
    record_delivery,
    record_delivery_and_enqueue,
)
from service.storage._errors import InvalidInput, StorageError
from service.storage._failures import (
    find_failure,
    find_failure_by_branch,
    find_failure_by_issue,
    find_failure_by_pr,
    list_events,
    list_failures,
    record_event,
    upsert_failure,
)
from service.storage._feedback import (
    EffectiveLabel,
    confirm_fix,
    effective_feedback,
    human_categories,
    list_feedback,
    record_feedback,
)
from service.storage._jobs import (
    JOB_STATUSES,
    FailOutcome,
    backoff_seconds,
    claim,
    complete,
    enqueue,
    fail,
    get_job,
    heartbeat,
    job_counts,
    list_jobs,
    retry,
)
from service.storage._models import (
    AuditRecord,
    Base,
    BreakerOpening,
    Event,
    Failure,
    Feedback,
    Job,
    RepositoryState,
    WebhookDelivery,
    utcnow,
)
from service.storage._remediation import (
    DatabaseAuditSink,
    DatabaseCircuitBreaker,
    is_paused,
    list_repository_states,
    pause_repository,
    resume_repository,
)
from service.storage._retention import Pruned, prune
from service.storage._session import Store

__all__ = [
    "DEFAULT_DATABASE_URL",
    "ENV_DATABASE_URL",
    "JOB_STATUSES",
    "AuditRecord",
    "Base",
    "BreakerOpening",
    "Database",
    "DatabaseAuditSink",
    "DatabaseCircuitBreaker",
    "DeliveryResult",
    "EffectiveLabel",
    "Event",
    "FailOutcome",
    "Failure",
    "Feedback",
    "InvalidInput",
    "Job",
    "Pruned",
    "RepositoryState",
    "StorageError",
    "Store",
    "WebhookDelivery",
    "backoff_seconds",
    "claim",
    "complete",
    "confirm_fix",
    "default_database_url",
    "effective_feedback",
    "enqueue",
    "fail",
    "find_failure",
    "find_failure_by_branch",
    "find_failure_by_issue",
    "find_failure_by_pr",
    "get_delivery",
    "get_job",
    "heartbeat",
    "human_categories",
    "is_paused",
    "job_counts",
    "list_events",
    "list_failures",
    "list_feedback",
    "list_jobs",
    "list_repository_states",
    "pause_repository",
    "prune",
    "record_delivery",
    "record_delivery_and_enqueue",
    "record_event",
    "record_feedback",
    "resume_repository",
    "retry",
    "upsert_failure",
    "utcnow",
]
