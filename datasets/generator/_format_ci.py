"""GitLab CI and Jenkins renderings of a job.

GitHub-only action steps (``setup-python``, caches) are not shown: these systems set up the
toolchain through the job's image or their own tasks. Each system ends a failure its own way.
"""

from __future__ import annotations

from datasets.generator._formats_common import (
    ESC,
    Clock,
    Rendered,
    cancelled,
    failure_lines,
    step_lines,
)
from datasets.generator._job import Job, Step
from datasets.generator._vocab import PEOPLE, hexstr


def run_steps(job: Job) -> list[Step]:
    """The shell steps every CI shows (GitHub action steps are GitHub's own)."""
    return [s for s in job.steps if s.kind == "run"]


# ---------------------------------------------------------------- GitLab CI
def render_gitlab(job: Job) -> Rendered:
    rng = job.rng
    clock = Clock(job.start, rng)
    out: list[str] = []
    green, cyan, red, yellow, end = (
        f"{ESC}[32;1m",
        f"{ESC}[36;1m",
        f"{ESC}[31;1m",
        f"{ESC}[0;33m",
        f"{ESC}[0;m",
    )

    def start(name: str, title: str) -> None:
        clock.advance(rng.uniform(0.2, 3))
        out.append(f"section_start:{clock.unix()}:{name}\r{ESC}[0K{ESC}[0K{cyan}{title}{end}")

    def finish(name: str) -> None:
        out.append(f"section_end:{clock.unix()}:{name}\r{ESC}[0K")

    runner = f"runner-{hexstr(rng, 8)}"
    out += [
        f"{ESC}[0KRunning with gitlab-runner 17.{rng.randint(0, 11)}.{rng.randint(0, 3)} "
        f"({hexstr(rng, 8)}){end}",
        f"{ESC}[0K  on {rng.choice(('shared', 'docker', 'k8s'))}-runner-{rng.randint(1, 9)} "
        f"{hexstr(rng, 8)}, system ID: s_{hexstr(rng, 12)}{end}",
    ]
    failure = job.failure
    header = output = len(out)
    if not failure.job_level:
        start("prepare_executor", 'Preparing the "docker" executor')
        digest = hexstr(rng, 64)
        out += [
            f"{ESC}[0KUsing Docker executor with image {job.image} ...{end}",
            f"{ESC}[0KPulling docker image {job.image} ...{end}",
            f"{ESC}[0KUsing docker image sha256:{digest} for {job.image} with digest "
            f"{job.image.split(':')[0]}@sha256:{hexstr(rng, 64)} ...{end}",
        ]
        finish("prepare_executor")
        start("prepare_script", "Preparing environment")
        out.append(
            f"Running on {runner}-project-{rng.randint(1000, 99999)}-concurrent-0 via {runner}..."
        )
        finish("prepare_script")
        start("get_sources", "Getting source from Git repository")
        out += [
            f"{green}Fetching changes with git depth set to 20...{end}",
            f"Initialized empty Git repository in /builds/{job.repo}/.git/",
            f"{green}Created fresh repository.{end}",
            f"{green}Checking out {job.sha[:8]} as detached HEAD (ref is {job.branch})...{end}",
            "",
            f"{green}Skipping Git submodules setup{end}",
        ]
        finish("get_sources")
        if rng.random() < 0.5:
            start("restore_cache", "Restoring cache")
            out.append(
                f"{green}Checking cache for {job.ecosystem}-{hexstr(rng, 8)}-protected...{end}"
            )
            if rng.random() < 0.4:
                out += [
                    f"{yellow}WARNING: file does not exist                       {end}",
                    f"{yellow}Failed to extract cache{end}",
                ]
            else:
                out.append(f"{green}Successfully extracted cache{end}")
            finish("restore_cache")
        start("step_script", 'Executing "step_script" stage of the job script')
        out.append(f"{ESC}[0KUsing docker image sha256:{digest} for {job.image} ...{end}")
        coloured = rng.random() < 0.7
        for step in run_steps(job):
            out += [f"{green}$ {line}{end}" for line in step.command.split("\n")]
            out += step_lines(step, coloured)
        header = len(out)
        out += [f"{green}$ {line}{end}" for line in job.failing.command.split("\n")]
        output = len(out)
        out += failure_lines(job, coloured)
        finish("step_script")
        if rng.random() < 0.3:
            start("upload_artifacts_on_failure", "Uploading artifacts for failed job")
            out += [
                f"{green}Uploading artifacts...{end}",
                f"{yellow}WARNING: reports/junit.xml: no matching files. Ensure that the "
                f"artifact path is relative to the working directory{end}",
                f"{red}ERROR: No files to upload                         {end}",
            ]
            finish("upload_artifacts_on_failure")
        start("cleanup_file_variables", "Cleaning up project directory and file based variables")
        finish("cleanup_file_variables")
        out.append("")
    else:
        out += list(failure.lines)
    if failure.exit_code:  # 0: the step succeeded, nothing to report
        out += [f"{red}ERROR: {text}{end}" for text in failure.runner_errors]
        out.append(f"{red}ERROR: Job failed: exit code {failure.exit_code}")
    else:
        kind = "" if cancelled(job) else " (system failure)"
        out += [f"{red}ERROR: Job failed{kind}: {text}" for text in failure.runner_errors]
        if not failure.runner_errors:
            out.append(f"{red}ERROR: Job failed: canceled")
    out.append(end)
    return Rendered(out, header, output, len(out))


# ---------------------------------------------------------------- Jenkins
def render_jenkins(job: Job) -> Rendered:
    rng = job.rng
    repo_url = f"https://github.com/{job.repo}.git"
    ws = f"/var/lib/jenkins/workspace/{job.project}_{job.branch.replace('/', '_')}"
    p = "[Pipeline] "
    out = [
        rng.choice(
            (
                f"Started by user {rng.choice(PEOPLE)}",
                f"Started by GitHub push by {rng.choice(PEOPLE)}",
                "Started by an SCM change",
                "Started by timer",
            )
        ),
        f"Obtained Jenkinsfile from git {repo_url}",
    ]
    failure = job.failure
    failed_stage = ""
    if not failure.job_level:
        out += [
            f"{p}Start of Pipeline",
            f"{p}node",
            f"Running on build-agent-{rng.randint(1, 12):02d} in {ws}",
            f"{p}{{",
            f"{p}stage",
            f"{p}{{ (Declarative: Checkout SCM)",
            f"{p}checkout",
            "The recommended git tool is: NONE",
            f"using credential {rng.choice(('github-app', 'gh-token', 'ci-bot'))}",
            f" > git rev-parse --resolve-git-dir {ws}/.git # timeout=10",
            "Fetching changes from the remote Git repository",
            f" > git config remote.origin.url {repo_url} # timeout=10",
            f"Fetching upstream changes from {repo_url}",
            " > git --version # timeout=10",
            f" > git fetch --tags --force --progress -- {repo_url} "
            "+refs/heads/*:refs/remotes/origin/* # timeout=10",
            f"Checking out Revision {job.sha} (refs/remotes/origin/{job.branch})",
            f" > git checkout -f {job.sha} # timeout=10",
            f'Commit message: "{job.subject}"',
            f"{p}}}",
            f"{p}// stage",
            f"{p}withEnv",
            f"{p}{{",
        ]
        coloured = rng.random() < 0.15
        for step in run_steps(job):
            out += [f"{p}stage", f"{p}{{ ({step.name})", f"{p}sh"]
            out += [f"+ {line}" for line in step.command.split("\n")]
            out += step_lines(step, coloured)
            out += [f"{p}}}", f"{p}// stage"]
        header = len(out)
        failed_stage = job.failing.name
        out += [f"{p}stage", f"{p}{{ ({failed_stage})", f"{p}sh"]
        out += [f"+ {line}" for line in job.failing.command.split("\n")]
        output = len(out)
        out += failure_lines(job, coloured)
        out += [f"{p}}}", f"{p}// stage"]
        if rng.random() < 0.6:
            later = rng.choice(("Publish", "Deploy", "Archive"))
            out += [
                f"{p}stage",
                f"{p}{{ ({later})",
                f'Stage "{later}" skipped due to earlier failure(s)',
                f"{p}}}",
                f"{p}// stage",
            ]
        out += [f"{p}}}", f"{p}// withEnv", f"{p}}}", f"{p}// node", f"{p}End of Pipeline"]
    else:
        header = output = len(out)
        out += list(failure.lines)
    out += [f"ERROR: {text}" for text in failure.runner_errors]
    if failure.exit_code:  # 0: the step succeeded, nothing to report
        out.append(f"ERROR: script returned exit code {failure.exit_code}")
    if cancelled(job):
        out.append("Finished: ABORTED")
    else:
        out.append("Finished: FAILURE" if failure.exit_code != 0 else "Finished: SUCCESS")
    end = len(out)
    if rng.random() < 0.5:
        # The Timestamper plugin prefixes each line with the agent's clock.
        clock = Clock(job.start, rng)
        out = [f"[{clock.stamp(0.05)[:23]}Z] {line}" for line in out]
    return Rendered(out, header, output, end)
