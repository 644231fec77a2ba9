"""Passing-step noise for container jobs: buildx set-up, registry login, BuildKit output."""

from __future__ import annotations

from datasets.generator._job import Step
from datasets.generator._noise import Ctx, Ecosystem
from datasets.generator._vocab import hexstr, pick, seconds, uuid

BASES = (
    "python:3.12-slim",
    "node:20-alpine",
    "golang:1.23",
    "eclipse-temurin:21-jre",
    "debian:bookworm-slim",
    "alpine:3.20",
    "ubuntu:24.04",
    "nginx:1.27-alpine",
)
RUN_COMMANDS = (
    (
        "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates",
        (
            "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]",
            "Fetched 9,214 kB in 1s (7,120 kB/s)",
            "Reading package lists...",
            "Setting up ca-certificates (20230311) ...",
        ),
    ),
    (
        "pip install --no-cache-dir -r requirements.txt",
        (
            "Collecting gunicorn==22.0.0",
            "  Downloading gunicorn-22.0.0-py3-none-any.whl (84 kB)",
            "Installing collected packages: gunicorn",
            "Successfully installed gunicorn-22.0.0",
        ),
    ),
    (
        "npm ci --omit=dev",
        ("added 214 packages, and audited 215 packages in 9s", "found 0 vulnerabilities"),
    ),
    ("go build -o /out/server ./cmd/server", ("go: downloading github.com/google/uuid v1.6.0",)),
    ("addgroup -S app && adduser -S app -G app", ()),
)


def _buildx_setup(ctx: Ctx) -> list[Step]:
    rng = ctx.rng
    builder = f"builder-{uuid(rng)}"
    lines = [
        "##[group]Docker info",
        "[command]/usr/bin/docker version",
        "Client: Docker Engine - Community",
        f" Version:           2{rng.randint(6, 8)}.1.{rng.randint(0, 5)}",
        " API version:       1.47",
        "##[endgroup]",
        "##[group]Creating a new builder instance",
        f"[command]/usr/bin/docker buildx create --name {builder} --driver docker-container "
        "--buildkitd-flags --allow-insecure-entitlement security.insecure --use",
        builder,
        "##[endgroup]",
        "##[group]Booting builder",
        "[command]/usr/bin/docker buildx inspect --bootstrap --builder " + builder,
        "#1 [internal] booting buildkit",
        "#1 pulling image moby/buildkit:buildx-stable-1",
        f"#1 pulling image moby/buildkit:buildx-stable-1 {seconds(rng, 0.5, 3)}s done",
        f"#1 creating container buildx_buildkit_{builder}0",
        f"#1 creating container buildx_buildkit_{builder}0 {seconds(rng, 0.2, 2)}s done",
        "#1 DONE " + seconds(rng, 1, 4) + "s",
        "##[endgroup]",
    ]
    steps = [
        Step(
            "Set up Docker Buildx",
            "",
            lines,
            kind="action",
            uses="docker/setup-buildx-action@v3",
            seconds=rng.uniform(3, 15),
        )
    ]
    if rng.random() < 0.6:
        steps.append(
            Step(
                "Log in to registry",
                "",
                ["Logging into ghcr.io...", "Login Succeeded!"],
                kind="action",
                uses="docker/login-action@v3",
                with_=[
                    ("registry", "ghcr.io"),
                    ("username", ctx.owner),
                    ("password", "***"),
                    ("logout", "true"),
                ],
                seconds=1.0,
            )
        )
    return steps


def buildkit_lines(ctx: Ctx, n_runs: int, tag: str) -> list[str]:
    """A passing ``docker buildx build``: numbered ``#N`` vertices, stages, layer export."""
    rng = ctx.rng
    base = rng.choice(BASES)
    lines = [
        '#0 building with "builder" instance using docker-container driver',
        "",
        "#1 [internal] load build definition from Dockerfile",
        f"#1 transferring dockerfile: {rng.randint(300, 3000) / 1000:.2f}kB done",
        "#1 DONE 0.0s",
        "",
        f"#2 [internal] load metadata for docker.io/library/{base}",
        f"#2 DONE {seconds(rng, 0.3, 3)}s",
        "",
        "#3 [internal] load .dockerignore",
        "#3 transferring context: 2B done",
        "#3 DONE 0.0s",
        "",
    ]
    total = n_runs + 2
    digest = hexstr(rng, 64)
    lines += [
        f"#4 [build 1/{total}] FROM docker.io/library/{base}@sha256:{digest}",
        f"#4 resolve docker.io/library/{base}@sha256:{digest} done",
        f"#4 DONE {seconds(rng, 0.1, 9)}s",
        "",
        f"#5 [build 2/{total}] WORKDIR /app",
        "#5 CACHED",
        "",
    ]
    for i, (command, output) in enumerate(rng.sample(RUN_COMMANDS, min(n_runs, len(RUN_COMMANDS)))):
        number = 6 + i
        lines.append(f"#{number} [build {3 + i}/{total}] RUN {command}")
        clock = rng.uniform(0.2, 2)
        for text in output:
            clock += rng.uniform(0.01, 3)
            lines.append(f"#{number} {clock:.3f} {text}")
        lines += [f"#{number} DONE {clock + 0.1:.1f}s", ""]
    n = 6 + n_runs
    lines += [
        f"#{n} exporting to image",
        f"#{n} exporting layers {seconds(rng, 0.2, 9)}s done",
        f"#{n} writing image sha256:{hexstr(rng, 64)} done",
        f"#{n} naming to {tag} done",
        f"#{n} DONE {seconds(rng, 0.3, 12)}s",
    ]
    return lines


def _docker_build(ctx: Ctx) -> Step:
    rng = ctx.rng
    tag = f"ghcr.io/{ctx.owner}/{ctx.project}:sha-{hexstr(rng, 7)}"
    lines = buildkit_lines(ctx, rng.randint(1, 4), tag)
    return Step(
        "Build image", f"docker buildx build --load -t {tag} .", lines, seconds=rng.uniform(10, 300)
    )


def _compose_pull(ctx: Ctx) -> Step:
    rng = ctx.rng
    services = pick(rng, ("db", "redis", "minio", "kafka", "mailhog"), rng.randint(1, 4))
    lines = [f" {s} Pulling " for s in services]
    lines += [f" {hexstr(rng, 12)} Pull complete " for _ in range(rng.randint(2, 8))]
    lines += [f" {s} Pulled " for s in services]
    return Step("Pull service images", "docker compose pull", lines, seconds=rng.uniform(3, 40))


def _container_tests(ctx: Ctx) -> Step:
    rng = ctx.rng
    tag = f"{ctx.project}:test"
    n = rng.randint(20, 400)
    lines = [
        f"Unable to find image '{tag}' locally" if rng.random() < 0.1 else "",
        "============================= test session starts ==============================",
        f"collected {n} items",
        "",
        "." * min(n, 80),
        f"============================== {n} passed in {seconds(rng, 2, 60)}s ==============================",
    ]
    return Step(
        "Smoke test image",
        f"docker run --rm {tag} pytest -q",
        [x for x in lines if x],
        seconds=rng.uniform(3, 60),
    )


DOCKER = Ecosystem(
    image=lambda rng: "docker:27",
    setup=_buildx_setup,
    stages={"install": [_compose_pull], "build": [_docker_build], "test": [_container_tests]},
    env=lambda rng: [("REGISTRY", "ghcr.io"), ("DOCKER_BUILDKIT", "1")][: rng.randint(0, 2)],
)
