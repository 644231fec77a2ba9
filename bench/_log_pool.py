"""A pool of distinct 20 KB GitHub Actions job logs for the HTTP benchmark.

Every request of the load test sends another log, so no per-body cache (in the service, a proxy
or the CPU's) can make a repeated body look cheap. The logs come from the project's generator
(``datasets.generator``: every failure label, several ecosystems, GitHub Actions format, full
job logs); each is brought to about 20 KB by a passing step of ordinary noisy output (the lines
of ``bench_extract``) inserted before the job's first step, as real jobs have.
Written once under ``var/bench/log-pool-20kb/`` and reused.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from bench.bench_extract import _NOISE, BENCH_DIR

POOL_SIZE = 256
TARGET_BYTES = 20_000
POOL_DIR = BENCH_DIR / "log-pool-20kb"
_SEED = 11
_STAMP = re.compile(r"^\ufeff?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z) ")


def _padded(log: str, rng: random.Random) -> str | None:
    """``log`` with a passing step of noise before its first step, about TARGET_BYTES long."""
    lines = log.splitlines(keepends=True)
    first_step = next((i for i, line in enumerate(lines) if "##[group]Run " in line), None)
    if first_step is None:
        return None
    stamp = _STAMP.match(lines[first_step])
    if stamp is None:
        return None
    prefix = stamp.group(1) + " "
    step = rng.randrange(1, 99)
    inserted = [
        f"{prefix}##[group]Run make prepare-{step}\n",
        f"{prefix}shell: /usr/bin/bash -e {{0}}\n",
        f"{prefix}##[endgroup]\n",
    ]
    size = len(log.encode()) + sum(len(line.encode()) for line in inserted)
    while size < TARGET_BYTES - 200:
        text = rng.choice(_NOISE)
        if rng.random() < 0.1:
            text = f"\x1b[32m{text}\x1b[0m"
        line = f"{prefix}{text}\n"
        inserted.append(line)
        size += len(line.encode())
    return "".join(lines[:first_step] + inserted + lines[first_step:])


def build_pool(directory: Path = POOL_DIR, size: int = POOL_SIZE) -> list[Path]:
    """Write (unless present) ``size`` distinct logs of about 20 KB and return their paths."""
    paths = [directory / f"log-{i:03d}.log" for i in range(size)]
    if all(p.is_file() for p in paths):
        return paths
    from datasets.generator import generate

    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(_SEED)
    written = 0
    for record in generate(20 * size, seed=_SEED):
        if written == size:
            break
        if record.format != "github_actions" or record.kind != "full":
            continue
        if not 3_000 < len(record.log.encode()) <= TARGET_BYTES:
            continue
        log = _padded(record.log, rng)
        if log is None:
            continue
        paths[written].write_text(log, encoding="utf-8", newline="")
        written += 1
    if written < size:
        raise RuntimeError(f"the generator gave only {written} suitable logs of {size}")
    return paths
