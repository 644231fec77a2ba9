"""GitHub Actions job logs exactly as the API serves them.

BOM on the first line, a ``2026-03-14T09:26:53.1234567Z `` prefix on every line, the runner's
set-up groups, ``##[group]Run ...`` headers with their ``shell:``/``env:`` blocks, and after a
failing step ``##[error]Process completed with exit code N.``, the post-job cleanup, and the
orphan-process sweep.
"""

from __future__ import annotations

from datasets.generator._formats_common import (
    BOM,
    ESC,
    Clock,
    Rendered,
    failure_lines,
    is_action_ref,
    step_lines,
)
from datasets.generator._job import Job, Step
from datasets.generator._vocab import hexstr, uuid

REGIONS = ("eastus", "eastus2", "westus2", "westus3", "centralus", "northeurope", "westeurope")
SHELLS = (
    "/usr/bin/bash -e {0}",
    "/usr/bin/bash -e {0}",
    "/usr/bin/bash --noprofile --norc -e -o pipefail {0}",
)
NODE20_WARNING = (
    "##[warning]Node.js 20 actions are deprecated. These actions still run on Node.js 20: {actions}. "
    "They will be moved to a newer Node.js release by the runner; update them to versions that "
    "declare support for it."
)


def _runner_header(job: Job, actions: list[str]) -> list[str]:
    rng = job.rng
    image = rng.choice(("ubuntu-24.04", "ubuntu-24.04", "ubuntu-22.04"))
    os_version = "24.04.2" if image == "ubuntu-24.04" else "22.04.5"
    image_version = f"2026{rng.randint(1, 3):02d}{rng.randint(1, 28):02d}.{rng.randint(1, 200)}.1"
    lines = [
        f"Current runner version: '2.3{rng.randint(20, 33)}.{rng.randint(0, 3)}'",
        "##[group]Runner Image Provisioner",
        "Hosted Compute Agent",
        f"Version: 2026{rng.randint(1, 3):02d}{rng.randint(1, 28):02d}.{rng.randint(100, 600)}",
        f"Commit: {hexstr(rng)}",
        f"Build Date: 2026-0{rng.randint(1, 3)}-{rng.randint(10, 28)}T00:{rng.randint(10, 59)}:"
        f"{rng.randint(10, 59)}Z",
        f"Worker ID: {{{uuid(rng)}}}",
        f"Azure Region: {rng.choice(REGIONS)}",
        "##[endgroup]",
        "##[group]Operating System",
        "Ubuntu",
        os_version,
        "LTS",
        "##[endgroup]",
        "##[group]Runner Image",
        f"Image: {image}",
        f"Version: {image_version}",
        "##[endgroup]",
        "##[group]GITHUB_TOKEN Permissions",
    ]
    perms = ["Contents: read", "Metadata: read"]
    if rng.random() < 0.4:
        perms += ["Packages: write", "PullRequests: write", "Checks: write"][: rng.randint(1, 3)]
    lines += sorted(perms)
    lines += [
        "##[endgroup]",
        f"Secret source: {rng.choice(('Actions', 'Actions', 'None'))}",
        "Prepare workflow directory",
        "Prepare all required actions",
        "Getting action download info",
    ]
    for action in actions:
        lines.append(f"Download action repository '{action}' (SHA:{hexstr(rng)})")
    lines.append(f"Complete job name: {job.job_name}")
    return lines


def _step_header(job: Job, step: Step, env: list[tuple[str, str]], uses: str) -> list[str]:
    rng = job.rng
    lines: list[str] = []
    if uses:
        lines.append(f"##[group]Run {uses}")
        if step.with_:
            lines.append("with:")
            lines += [f"  {key}: {value}" for key, value in step.with_]
    else:
        script = step.command.split("\n")
        lines.append(f"##[group]Run {script[0]}")
        lines += [f"{ESC}[36;1m{line}{ESC}[0m" for line in script]
        lines.append(f"shell: {rng.choice(SHELLS)}")
    if env:
        lines.append("env:")
        lines += [f"  {key}: {value}" for key, value in env]
    lines.append("##[endgroup]")
    return lines


def _post_cleanup(job: Job) -> list[str]:
    rng = job.rng
    lines: list[str] = []
    for action in job.post_actions:
        lines.append("Post job cleanup.")
        if action.startswith("actions/checkout"):
            git = "[command]/usr/bin/git"
            lines += [
                f"{git} version",
                f"git version 2.{rng.randint(43, 49)}.0",
                f"Temporarily overriding HOME='/home/runner/work/_temp/{uuid(rng)}' before "
                "making global git config changes",
                "Adding repository directory to the temporary git global config as a safe "
                "directory",
                f"{git} config --global --add safe.directory {job.workdir}",
                f"{git} config --local --name-only --get-regexp core\\.sshCommand",
                f"{git} config --local --name-only --get-regexp "
                "http\\.https\\:\\/\\/github\\.com\\/\\.extraheader",
                "http.https://github.com/.extraheader",
                f"{git} config --local --unset-all http.https://github.com/.extraheader",
            ]
        elif action.startswith("actions/cache") or action.startswith("actions/setup-"):
            if rng.random() < 0.5:
                lines.append("Cache hit occurred on the primary key, not saving cache.")
        elif action.startswith("docker/login"):
            lines += ["Logging out of ghcr.io...", "Removing login credentials for ghcr.io"]
    lines.append("Cleaning up orphan processes")
    if rng.random() < 0.2:
        lines.append(
            f"Terminate orphan process: pid ({rng.randint(2000, 9000)}) "
            f"({rng.choice(('node', 'java', 'dotnet', 'python'))})"
        )
    return lines


def render_github(job: Job) -> Rendered:
    rng = job.rng
    clock = Clock(job.start, rng)
    out: list[str] = []

    def emit(lines: list[str], gap: float) -> None:
        out.extend(clock.stamp_lines(lines, gap))

    failure = job.failure
    if failure.job_level:
        emit(list(failure.lines), 0.05)
        header = 0
        output = 0
    else:
        used = [s.uses for s in job.steps if s.uses]
        if is_action_ref(failure.command):
            used.append(failure.command.strip())
        emit(_runner_header(job, list(dict.fromkeys(used))), 0.01)
        debug = rng.random() < 0.05
        env = list(job.env)
        coloured = rng.random() < 0.6
        for step in job.steps:
            emit(_step_header(job, step, env, step.uses), 0.0005)
            if debug:
                emit(
                    [
                        "##[debug]Evaluating condition for step: 'Run " + step.name + "'",
                        "##[debug]Evaluating: success()",
                        "##[debug]Result: true",
                    ],
                    0.001,
                )
            body = step_lines(step, coloured)
            emit(body, step.seconds / max(1, len(body)))
            env += step.env_after
        header = len(out)
        uses = failure.command.strip() if is_action_ref(failure.command) else ""
        emit(_step_header(job, job.failing, env, uses), 0.0005)
        output = len(out)
        body = failure_lines(job, coloured)
        emit(body, job.failing.seconds / max(1, len(body)))
    errors = []
    if failure.exit_code:  # 0: the step succeeded, nothing to report
        errors.append(f"##[error]Process completed with exit code {failure.exit_code}.")
    errors += [f"##[error]{text}" for text in failure.runner_errors]
    emit(errors, 0.01)
    end = len(out)
    if not failure.job_level:
        emit(_post_cleanup(job), 0.05)
        node20 = [a for a in (s.uses for s in job.steps) if a.endswith("@v4") or a.endswith("@v3")]
        if node20 and rng.random() < 0.5:
            emit([NODE20_WARNING.format(actions=", ".join(dict.fromkeys(node20)))], 0.01)
    if out:
        out[0] = BOM + out[0]
    return Rendered(out, header, output, end)
