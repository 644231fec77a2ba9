"""Turn a family's failure into a labelled job log: noise around it, a CI format, a kind.

Every record is drawn from its own ``random.Random`` seeded by ``(seed, index)``, so a record
does not depend on how many random numbers earlier records used, and output is identical from
run to run (string seeds hash with SHA-512, not with Python's randomised ``hash``).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from datasets.generator._formats import FORMATS, OTHER_CI, render
from datasets.generator._formats_common import Rendered
from datasets.generator._job import Job, Step
from datasets.generator._noise import Ctx, Ecosystem, checkout_step, failing_stage, pick_steps
from datasets.generator._noise_cpp_dotnet import CPP, DOTNET
from datasets.generator._noise_docker import DOCKER
from datasets.generator._noise_go_rust import GO, RUST
from datasets.generator._noise_java import JAVA
from datasets.generator._noise_node import NODE
from datasets.generator._noise_python import PYTHON
from datasets.generator._noise_ruby import RUBY
from datasets.generator._registry import FamilyError, all_families
from datasets.generator._types import Failure, Family
from datasets.generator._vocab import BRANCHES, OWNERS, PROJECTS, commit_subject, hexstr
from datasets.generator._wrappers import maybe_wrap
from datasets.records import LabelledLog

NOISE: dict[str, Ecosystem] = {
    "python": PYTHON,
    "node": NODE,
    "java": JAVA,
    "go": GO,
    "rust": RUST,
    "cpp": CPP,
    "dotnet": DOTNET,
    "ruby": RUBY,
    "docker": DOCKER,
}
KINDS: tuple[str, ...] = ("full", "excerpt")
EXCERPT_MAX_LINES = 100
"""Longer failing regions are cut in the middle, as people do when pasting into an issue."""

_TIMESTAMP_RE = re.compile(r"^\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ")
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_JOB_NAMES = ("build", "test", "lint", "ci", "check", "build-and-test", "unit-tests")
_JOB_START = 1_767_225_600  # 2026-01-01T00:00:00Z; jobs start within the following 5 months.


def build_job(failure: Failure, ecosystem: str, rng: random.Random) -> Job:
    """Wrap ``failure`` in a plausible job of ``ecosystem`` (set-up, passing steps, noise)."""
    if ecosystem not in NOISE:
        raise ValueError(f"unknown ecosystem {ecosystem!r}; expected one of: {', '.join(NOISE)}")
    # A family may hand over multi-line strings; the renderers work line by line.
    lines = "\n".join(failure.lines).split("\n") if failure.lines else []
    if lines != failure.lines:
        failure = replace(failure, lines=lines)
    eco = NOISE[ecosystem]
    # Verbosity is log-normal: most jobs are ordinary, some terse, a few very chatty.
    scale = min(math.exp(rng.gauss(0.1, 1.1)), 6.0)
    if rng.random() < 0.02:
        scale = rng.uniform(8.0, 14.0)
    ctx = Ctx(rng, rng.choice(OWNERS), rng.choice(PROJECTS), scale)
    sha = hexstr(rng)
    branch = rng.choice(BRANCHES)
    steps: list[Step] = []
    if not failure.job_level:
        steps.append(checkout_step(ctx, sha, branch))
        if rng.random() < 0.95:
            steps += eco.setup(ctx)
            steps += pick_steps(ctx, eco, failing_stage(failure.step, failure.command))
    failing = Step(
        failure.step, failure.command, failure.lines, seconds=rng.uniform(1, 240), coloured=True
    )
    post = [s.uses for s in reversed(steps) if s.uses]
    name = rng.choice(_JOB_NAMES)
    if rng.random() < 0.3:
        name = f"{name} ({rng.choice(('ubuntu-latest', '3.12', '20.x', 'stable', 'linux'))})"
    return Job(
        ecosystem=ecosystem,
        owner=ctx.owner,
        project=ctx.project,
        branch=branch,
        sha=sha,
        subject=commit_subject(rng),
        job_name=name,
        image=eco.image(rng),
        steps=steps,
        failure=failure,
        failing=failing,
        env=eco.env(rng),
        post_actions=post,
        start=_JOB_START + rng.uniform(0, 150 * 86400),
        rng=rng,
    )


def _strip_timestamps(lines: list[str]) -> list[str]:
    return [_TIMESTAMP_RE.sub("", line) for line in lines]


def _as_web_page(lines: list[str]) -> list[str]:
    """What a copy from the Actions web page gives: no timestamps, markers turned into words."""
    out = []
    for line in _strip_timestamps(lines):
        line = _ANSI_RE.sub("", line)
        if line.startswith("##[endgroup]"):
            continue
        if line.startswith("##[group]"):
            line = line[len("##[group]") :]
        elif line.startswith("##[error]"):
            line = "Error: " + line[len("##[error]") :]
        elif line.startswith("##[warning]"):
            line = "Warning: " + line[len("##[warning]") :]
        out.append(line)
    return out


def excerpt(rendered: Rendered, fmt: str, rng: random.Random) -> str:
    """The failing step's region with a few lines around it, as pasted into an issue."""
    lines = rendered.lines
    first = rendered.fail_header if rng.random() < 0.6 else rendered.fail_output
    start = max(0, first - rng.randint(0, 4))
    stop = min(len(lines), rendered.fail_end + rng.randint(0, 2))
    chunk = lines[start:stop]
    if chunk and start == 0:
        chunk[0] = chunk[0].lstrip("\ufeff")
    if len(chunk) > EXCERPT_MAX_LINES:
        head = rng.randint(5, 20)
        chunk = [*chunk[:head], "...", *chunk[head - EXCERPT_MAX_LINES + 1 :]]
    if fmt == "github_actions":
        style = rng.random()
        if style < 0.4:
            return "\n".join(chunk)
        if style < 0.75:
            return "\n".join(_strip_timestamps(chunk))
        return "\n".join(_as_web_page(chunk))
    if fmt in ("azure", "jenkins") and rng.random() < 0.5:
        chunk = [re.sub(r"^\[[^\]]*Z\] ", "", line) for line in _strip_timestamps(chunk)]
    if fmt in ("gitlab", "circleci") and rng.random() < 0.5:
        chunk = [_ANSI_RE.sub("", line.split("\r")[-1]) for line in chunk]
    return "\n".join(chunk)


FORMAT_WEIGHTS: dict[str, float] = {
    "github_actions": 0.60,
    **{name: 0.25 / len(OTHER_CI) for name in OTHER_CI},
    "plain": 0.15,
}
"""About 60% GitHub Actions, 25% the other CI systems together, 15% plain terminal."""


def draw_format(rng: random.Random, allowed: Sequence[str] = ()) -> str:
    """A format drawn by :data:`FORMAT_WEIGHTS`, among ``allowed`` when it is not empty."""
    names = [name for name in FORMAT_WEIGHTS if not allowed or name in allowed]
    if not names:
        raise ValueError(f"no known format among {list(allowed)}; expected some of {FORMATS}")
    return rng.choices(names, weights=[FORMAT_WEIGHTS[name] for name in names])[0]


def make_failure(family: Family, rng: random.Random, ecosystem: str) -> Failure:
    """Call the family, turning its mistakes into an error that names it."""
    try:
        failure = family.make(rng, ecosystem)
    except Exception as exc:
        raise FamilyError(
            f"family {family.id!r} failed for ecosystem {ecosystem!r}: {exc!r}"
        ) from exc
    if not isinstance(failure, Failure):
        raise FamilyError(f"family {family.id!r} returned {type(failure).__name__}, not Failure")
    if failure.label != family.label:
        raise FamilyError(
            f"family {family.id!r} made a failure labelled {failure.label!r}, not {family.label!r}"
        )
    return failure


def make_record(family: Family, seed: int, index: int) -> LabelledLog:
    """Record ``index`` of the dataset with ``seed``, drawn from ``family``."""
    rng = random.Random(f"autoheal:{seed}:{index}")
    ecosystem = rng.choice(family.ecosystems)
    failure = make_failure(family, random.Random(f"autoheal:{seed}:{index}:family"), ecosystem)
    # Its own stream, so wrapping one record moves no other draw of it.
    failure = maybe_wrap(failure, ecosystem, random.Random(f"autoheal:{seed}:{index}:wrap"))
    fmt = draw_format(rng, failure.formats)
    kind = "excerpt" if rng.random() < 0.25 else "full"
    job = build_job(failure, ecosystem, rng)
    rendered = render(job, fmt)
    log = excerpt(rendered, fmt, rng) if kind == "excerpt" else rendered.text
    extra = {"tags": list(failure.tags)} if failure.tags else {}
    return LabelledLog(
        id=f"gen-{seed}-{index}",
        label=family.label,
        source="generator",
        log=log,
        family=family.id,
        ecosystem=ecosystem,
        format=fmt,
        kind=kind,
        extra=extra,
    )


def generate(
    n: int, seed: int, *, families: Sequence[Family] | None = None, start: int = 0
) -> Iterator[LabelledLog]:
    """Yield the labelled logs with indices ``start`` to ``n - 1``, deterministic from ``seed``.

    Every record depends only on ``(seed, index)``, so slices generated apart (in parallel
    processes) concatenate to exactly the sequence generated at once.

    Labels are balanced: every run of ``len(labels)`` records holds each label once, in an
    order shuffled per run. Within a label the family is uniform, then the ecosystem among the
    family's, the format (:func:`draw_format`) and the kind (25% ``excerpt``).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    pool = list(families) if families is not None else all_families()
    if not pool:
        raise ValueError("no failure families registered under datasets/generator/families/")
    by_label: dict[str, list[Family]] = {}
    for family in sorted(pool, key=lambda f: f.id):
        by_label.setdefault(family.label, []).append(family)
    labels = sorted(by_label)
    order: list[str] = []
    for index in range(start, n):
        position = index % len(labels)
        if position == 0 or not order:
            order = list(labels)
            random.Random(f"autoheal:{seed}:order:{index // len(labels)}").shuffle(order)
        choices = by_label[order[position]]
        pick = random.Random(f"autoheal:{seed}:{index}:pick").randrange(len(choices))
        yield make_record(choices[pick], seed, index)


def render_family(
    family: Family,
    seed: int = 0,
    fmt: str = "github_actions",
    *,
    ecosystem: str | None = None,
    kind: str = "full",
) -> str:
    """One rendering of ``family`` (for previews and tests)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    rng = random.Random(f"autoheal:example:{seed}")
    eco = ecosystem or rng.choice(family.ecosystems)
    if eco not in family.ecosystems:
        raise ValueError(f"family {family.id!r} does not declare ecosystem {eco!r}")
    failure = make_failure(family, random.Random(f"autoheal:example:{seed}:family"), eco)
    if failure.formats and fmt not in failure.formats:
        raise ValueError(
            f"family {family.id!r} (seed {seed}) writes only for {', '.join(failure.formats)}"
        )
    rendered = render(build_job(failure, eco, rng), fmt)
    return excerpt(rendered, fmt, rng) if kind == "excerpt" else rendered.text
