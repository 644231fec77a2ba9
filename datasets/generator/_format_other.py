"""Azure Pipelines, CircleCI and plain terminal renderings of a job.

GitHub-only action steps (``setup-python``, caches) are not shown: these systems set up the
toolchain through the job's image or their own tasks. Each system ends a failure its own way.
"""

from __future__ import annotations

from datasets.generator._format_ci import run_steps
from datasets.generator._formats_common import (
    Clock,
    Rendered,
    failure_lines,
    step_lines,
)
from datasets.generator._job import Job, Step
from datasets.generator._vocab import PEOPLE, hexstr, uuid


# ---------------------------------------------------------------- Azure Pipelines
def _azure_task(name: str, version: str, description: str) -> list[str]:
    return [
        "=" * 78,
        f"Task         : {name}",
        f"Description  : {description}",
        f"Version      : {version}",
        "Author       : Microsoft Corporation",
        "=" * 78,
    ]


def _azure_script(job: Job, step: Step) -> list[str]:
    bash = _azure_task("Bash", "3.246.1", "Run a Bash script on macOS, Linux, or Windows")
    return [
        f"##[section]Starting: {step.name}",
        *bash,
        "Generating script.",
        "Script contents:",
        *step.command.split("\n"),
        "========================== Starting Command Output ===========================",
        f"/usr/bin/bash /home/vsts/work/_temp/{uuid(job.rng)}.sh",
    ]


def render_azure(job: Job) -> Rendered:
    rng = job.rng
    failure = job.failure
    lines = [
        "##[section]Starting: Initialize job",
        f"Agent name: 'Azure Pipelines {rng.randint(1, 9)}'",
        f"Agent machine name: 'fv-az{rng.randint(100, 999)}-{rng.randint(100, 999)}'",
        f"Current agent version: '4.2{rng.randint(48, 60)}.{rng.randint(0, 3)}'",
        "##[group]Operating System",
        "Ubuntu",
        "22.04.5",
        "LTS",
        "##[endgroup]",
        "##[group]Runner Image",
        "Image: ubuntu-22.04",
        f"Version: 2026{rng.randint(1, 3):02d}{rng.randint(1, 28):02d}.1.0",
        "##[endgroup]",
        "Agent running as: 'vsts'",
        "Prepare build directory.",
        "Set build variables.",
        "Download all required tasks.",
        "Downloading task: Bash (3.246.1)",
        "Checking job knob settings.",
        "Finished checking job knob settings.",
        "Start tracking orphan processes.",
        "##[section]Finishing: Initialize job",
    ]
    checkout = f"Checkout {job.repo}@{job.branch} to s"
    if not failure.job_level:
        lines += [
            f"##[section]Starting: {checkout}",
            *_azure_task("Get sources", "1.0.0", "Get sources from a repository."),
            f"Syncing repository: {job.repo} (GitHub)",
            "git version",
            "git version 2.46.0",
            'git init "/home/vsts/work/1/s"',
            "Initialized empty Git repository in /home/vsts/work/1/s/.git/",
            f"git remote add origin https://github.com/{job.repo}",
            f'git -c http.extraheader="AUTHORIZATION: basic ***" fetch --force --tags '
            f"--prune --prune-tags --progress --no-recurse-submodules origin --depth=1 "
            f"+{job.sha}:refs/remotes/origin/{job.sha}",
            f" * [new ref]         {job.sha} -> origin/{job.sha}",
            f"git checkout --progress --force refs/remotes/origin/{job.sha}",
            f"HEAD is now at {job.sha[:7]} {job.subject}",
            f"##[section]Finishing: {checkout}",
        ]
        for step in run_steps(job):
            lines += _azure_script(job, step) + step.lines
            lines.append(f"##[section]Finishing: {step.name}")
        header = len(lines)
        lines += _azure_script(job, job.failing)
        output = len(lines)
        lines += failure_lines(job, False)
    else:
        header = output = len(lines)
        lines += list(failure.lines)
    if failure.exit_code:  # 0: the step succeeded, nothing to report
        lines.append(f"##[error]Bash exited with code '{failure.exit_code}'.")
    lines += [f"##[error]{text}" for text in failure.runner_errors]
    end = len(lines)
    if not failure.job_level:
        lines += [
            f"##[section]Finishing: {job.failing.name}",
            f"##[section]Starting: Checkout {job.repo}@{job.branch} to s (post)",
            f"Cleaning any cached credential from repository: {job.repo} (GitHub)",
            f"##[section]Finishing: Checkout {job.repo}@{job.branch} to s (post)",
        ]
    lines += [
        "##[section]Starting: Finalize Job",
        "Cleaning up task key",
        "Start cleaning up orphan processes.",
        "##[section]Finishing: Finalize Job",
        "##[section]Finishing: Job",
    ]
    clock = Clock(job.start, rng)
    stamped = clock.stamp_lines(lines, 0.05)
    return Rendered(stamped, header, output, end)


# ---------------------------------------------------------------- CircleCI
def render_circleci(job: Job) -> Rendered:
    rng = job.rng
    failure = job.failure
    image = f"cimg/{job.image.split(':')[0].split('/')[-1]}:{job.image.split(':')[-1]}"
    out = [
        "Spin up environment",
        f"Build-agent version 1.0.{rng.randint(200000, 299999)}-{hexstr(rng, 8)} "
        f"(2026-0{rng.randint(1, 3)}-{rng.randint(10, 28)}T11:21:40+0000)",
        "System information:",
        " Server Version: 24.0.9",
        " Storage Driver: overlay2",
        "  Backing Filesystem: xfs",
        " Cgroup Driver: cgroupfs",
        " Kernel Version: 5.15.0-1057-aws",
        " Operating System: Ubuntu 20.04.6 LTS",
        " OSType: linux",
        " Architecture: x86_64",
        "",
        f"Starting container {image}",
        f"{image}:",
        f"  using image {image.split(':')[0]}@sha256:{hexstr(rng, 64)}",
        "",
        f"Time to upload agent and config: {rng.randint(200, 2000)}.{rng.randint(0, 9)}ms",
        f"Time to start containers: {rng.randint(300, 4000)}.{rng.randint(0, 9)}ms",
        "Preparing environment variables",
        "Using build environment variables:",
        f"  BASH_ENV=/tmp/.bash_env-{hexstr(rng, 24)}-0-build",
        "  CI=true",
        "  CIRCLECI=true",
        f"  CIRCLE_BRANCH={job.branch}",
        f"  CIRCLE_BUILD_NUM={rng.randint(100, 90000)}",
        f"  CIRCLE_JOB={job.job_name}",
        f"  CIRCLE_PROJECT_REPONAME={job.project}",
        f"  CIRCLE_SHA1={job.sha}",
        "",
    ]
    header = output = len(out)
    if not failure.job_level:
        out += [
            "Checkout code",
            "#!/bin/sh",
            "Creating .ssh directory",
            "Adding the following entries to known_hosts:",
            "github.com ssh-ed25519 AAAA...",
            f"Cloning git repository - {job.repo}",
            "Checking out branch",
            f"HEAD is now at {job.sha[:7]} {job.subject}",
            "",
        ]
        if rng.random() < 0.5:
            out += [
                "Restoring cache",
                f"Found a cache from build {rng.randint(100, 9000)} at v1-deps-{hexstr(rng, 12)}",
                f"Size: {rng.randint(10, 900)} MiB",
                "Cached paths:",
                "  * ~/.cache",
                "",
                "Downloading cache archive...",
                "Unarchiving cache...",
                "",
            ]
        coloured = rng.random() < 0.5
        for step in run_steps(job):
            out += [step.name, "#!/bin/bash -eo pipefail", *step.command.split("\n")]
            out += [*step_lines(step, coloured), ""]
        header = len(out)
        out += [job.failing.name, "#!/bin/bash -eo pipefail", *job.failing.command.split("\n")]
        output = len(out)
        out += failure_lines(job, coloured)
    else:
        out += list(failure.lines)
    out += list(failure.runner_errors)
    if failure.exit_code:  # 0: the step succeeded, nothing to report
        out += ["", f"Exited with code exit status {failure.exit_code}"]
    end = len(out)
    if not failure.job_level and rng.random() < 0.4:
        out += [
            "",
            "Uploading test results",
            "Archiving the following test results",
            "  * /home/circleci/project/test-results",
            "",
        ]
    return Rendered(out, header, output, end)


# ---------------------------------------------------------------- plain terminal
def _terminal_preamble(job: Job, prompt: str) -> list[str]:
    """A fresh clone before the commands, as a developer reproducing the job would type."""
    rng = job.rng
    objects = rng.randint(300, 40000)
    deltas = objects // rng.randint(2, 5)
    mib = rng.uniform(0.5, 90)
    return [
        f"{prompt}git clone https://github.com/{job.repo}.git && cd {job.project}",
        f"Cloning into '{job.project}'...",
        f"remote: Enumerating objects: {objects}, done.",
        f"remote: Counting objects: 100% ({objects // 9}/{objects // 9}), done.",
        f"remote: Compressing objects: 100% ({objects // 15}/{objects // 15}), done.",
        f"remote: Total {objects} (delta {deltas}), reused {objects - 40} (delta {deltas - 9}), "
        f"pack-reused {rng.randint(0, 40)} (from 1)",
        f"Receiving objects: 100% ({objects}/{objects}), {mib:.2f} MiB | "
        f"{rng.uniform(2, 40):.2f} MiB/s, done.",
        f"Resolving deltas: 100% ({deltas}/{deltas}), done.",
        f"{prompt}git log --oneline -1",
        f"{job.sha[:7]} (HEAD -> {job.branch}, origin/{job.branch}) {job.subject}",
    ]


def render_plain(job: Job) -> Rendered:
    rng = job.rng
    failure = job.failure
    user = rng.choice(PEOPLE).split(".")[0]
    prompt = rng.choice(("$ ", "$ ", "% ", f"{user}@dev:~/{job.project}$ "))
    out: list[str] = []
    if not failure.job_level:
        if rng.random() < 0.5:
            out += _terminal_preamble(job, prompt)
        for step in run_steps(job):
            out += [prompt + line for line in step.command.split("\n")]
            out += step.lines
        header = len(out)
        out += [prompt + line for line in job.failing.command.split("\n")]
    else:
        header = 0
    output = len(out)
    out += list(failure.lines)
    out += list(failure.runner_errors)
    end = len(out)
    if rng.random() < 0.3:
        out.append(prompt.rstrip())
    return Rendered(out, header, output, end)
