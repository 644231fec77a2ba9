"""Name pools and small random writers shared by the noise and format modules.

Everything is drawn from the caller's ``rng`` so a job log is reproducible from its seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

OWNERS: tuple[str, ...] = tuple(
    [
        "acme",
        "northwind",
        "globex",
        "initech",
        "umbrella-labs",
        "hooli",
        "stark-data",
        "wayfarer",
        "bluefin",
        "openlattice",
        "pinecrest",
        "tidewater",
        "copperleaf",
        "redkite",
        "quillworks",
        "saltmarsh",
    ]
)
PROJECTS: tuple[str, ...] = tuple(
    [
        "orders-api",
        "ledger",
        "web-console",
        "ingest-worker",
        "billing",
        "search-indexer",
        "auth-gateway",
        "pipeline-core",
        "metrics-agent",
        "notifier",
        "catalog",
        "storefront",
        "scheduler",
        "report-builder",
        "edge-proxy",
        "docs-site",
        "mobile-bff",
        "feature-flags",
        "geo-tiles",
        "chat-relay",
    ]
)
WORDS: tuple[str, ...] = tuple(
    [
        "account",
        "order",
        "invoice",
        "user",
        "session",
        "cache",
        "report",
        "ledger",
        "payment",
        "widget",
        "token",
        "schedule",
        "upload",
        "metric",
        "profile",
        "catalog",
        "queue",
        "event",
        "tenant",
        "price",
        "shipment",
        "inventory",
        "webhook",
        "batch",
        "config",
        "parser",
        "route",
        "client",
        "handler",
        "record",
        "export",
        "import",
        "sync",
        "audit",
        "plugin",
        "channel",
        "error",
        "retry",
        "timeout",
        "limiter",
        "storage",
        "mailer",
        "search",
    ]
)
PEOPLE: tuple[str, ...] = tuple(
    [
        "alice.moreau",
        "bkowalski",
        "chen-wei",
        "dana.r",
        "eiriksson",
        "fatima-h",
        "gpetrov",
        "hana.sato",
        "ivan-l",
        "jmarquez",
        "kofi.a",
        "lucia-b",
    ]
)
BRANCHES: tuple[str, ...] = ("main", "main", "main", "master", "develop", "release/2.4")
COMMIT_SUBJECTS: tuple[str, ...] = (
    "Bump dependencies",
    "Refactor {w} handling",
    "Add {w} endpoint",
    "Fix flaky {w} test",
    "Merge pull request #{n} from {o}/feature/{w}",
    "Update CI workflow",
    "Improve {w} error messages",
    "Drop support for old {w} format",
)


def hexstr(rng: random.Random, n: int = 40) -> str:
    """``n`` random lowercase hex digits (a SHA, a digest, an id)."""
    return f"{rng.getrandbits(4 * n):0{n}x}"


def uuid(rng: random.Random) -> str:
    h = hexstr(rng, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def version(rng: random.Random, major: tuple[int, int] = (0, 9), minor: int = 30) -> str:
    return f"{rng.randint(*major)}.{rng.randint(0, minor)}.{rng.randint(0, 20)}"


def pick(rng: random.Random, pool: Sequence[str], k: int) -> list[str]:
    """``k`` distinct items (or all of them when the pool is smaller)."""
    return rng.sample(list(pool), min(k, len(pool)))


def seconds(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.2f}"


def size_kb(rng: random.Random, low: float = 1.0, high: float = 900.0) -> str:
    value = rng.uniform(low, high)
    return f"{value:.1f} kB" if value < 1000 else f"{value / 1000:.1f} MB"


def ident(rng: random.Random, sep: str = "_") -> str:
    """A two-word identifier such as ``order_cache``."""
    return f"{rng.choice(WORDS)}{sep}{rng.choice(WORDS)}"


def camel(rng: random.Random) -> str:
    return rng.choice(WORDS).capitalize() + rng.choice(WORDS).capitalize()


def commit_subject(rng: random.Random) -> str:
    template = rng.choice(COMMIT_SUBJECTS)
    return template.format(
        w=rng.choice(WORDS), n=rng.randint(10, 4000), o=rng.choice(PEOPLE).split(".")[0]
    )


def scaled(rng: random.Random, scale: float, low: int, high: int) -> int:
    """A count between ``low`` and ``high`` stretched by the job's verbosity ``scale``.

    Capped at three times ``high`` so the chattiest jobs stay within a few hundred kilobytes.
    """
    return max(1, min(int(rng.randint(low, high) * scale), 3 * high))
