"""More ``workflow_config`` families: other CI systems, deploy tools and Windows runners.

Labelling choices, in line with ``workflow_config``: a value the pipeline should have passed and
did not (an empty secret handed to a cmdlet or an action, a Terraform variable never exported,
no kubeconfig written before ``kubectl`` runs) is configuration, because the fix is an edit to
the workflow or its settings. So is a step whose script is written for another shell than the
runner uses, a task-runner target or Bazel ``--config`` the workflow names but the project does
not define, and a job no runner will ever take. A credential that was supplied and rejected is
``auth_permission``; a ``kubectl`` refused by RBAC is too.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import ORGS, hexstr, org_repo, pick, progress, repo, workdir
from ._common_c2 import ALL, WINDOWS_CI, pad, ps_error_record, run_id, win_workdir

LABEL = "workflow_config"
_VARS = (
    "aws_region",
    "environment",
    "image_tag",
    "project_id",
    "db_password",
    "cluster_name",
    "domain_name",
    "subscription_id",
)
_SECRETS = (
    "PSGALLERY_API_KEY",
    "NUGET_API_KEY",
    "CERT_PASSWORD",
    "SIGNING_KEY",
    "DEPLOY_TOKEN",
    "AZURE_STORAGE_KEY",
    "CHOCO_API_KEY",
)


def _circleci_config(rng: random.Random, eco: str) -> Failure:
    job = pick(rng, ("build", "test", "deploy", "lint", "publish"))
    key = pick(rng, ("step", "run_steps", "enviroment", "executer", "docker_image"))
    lines = ["# ERROR IN CONFIG FILE:"]
    if rng.random() < 0.5:
        lines += [
            f"# [#/jobs/{job}] 0 subschemas matched instead of one",
            f"# 1. [#/jobs/{job}] only 1 subschema matches out of 2",
            f"# |   1. [#/jobs/{job}] extraneous key [{key}] is not permitted",
            "# |   |   Permitted keys:",
        ]
        permitted = ("description", "parallelism", "macos", "resource_class", "docker", "steps")
        lines += [f"# |   |     - {p}" for p in permitted[: rng.randint(2, 6)]]
    else:
        orb = pick(rng, ("node", "python", "aws-cli", "docker", "slack"))
        lines += [
            pick(
                rng,
                (
                    f"# Cannot find a definition for command named {orb}/{pick(rng, ('install', 'deploy', 'test'))}",
                    f"# Orb {pick(rng, ORGS)}/{orb}@{rng.randint(1, 9)}.{rng.randint(0, 9)} not loaded. "
                    "To use this orb, an organization admin must opt-in to using third party orbs "
                    "in Organization Security settings.",
                    f"# Unknown variable(s): {pick(rng, ('executor', 'image', 'version'))}",
                    f"# Error calling workflow: '{job}-and-deploy'",
                    f"# Error calling job: '{job}'",
                ),
            )
        ]
    lines += [
        "#",
        "# -------",
        "# Warning: This configuration was auto-generated to show you the message above.",
        "# Don't rerun this job. Rerunning will have no effect.",
        "false",
    ]
    return Failure(LABEL, pad(rng, eco, lines), "Build Error", "false", 1, formats=("circleci",))


def _terraform_variable(rng: random.Random, eco: str) -> Failure:
    var = pick(rng, _VARS)
    line = rng.randint(1, 60)
    lines = progress(rng, eco, 0, 2) if rng.random() < 0.3 else []
    if rng.random() < 0.6:
        lines += [
            "╷",
            "│ Error: No value for required variable",
            "│ ",
            f"│   on {pick(rng, ('variables.tf', 'vars.tf', 'main.tf'))} line {line}:",
            f'│   {line}: variable "{var}" {{',
            "│ ",
            f'│ The root module input variable "{var}" is not set, and has no default',
            "│ value. Use a -var or -var-file command line argument to provide a value for",
            "│ this variable.",
            "╵",
        ]
        command = pick(rng, ("terraform plan -input=false", "terraform apply -auto-approve"))
    else:
        backend = pick(rng, ("s3", "gcs", "azurerm", "remote"))
        lines += [
            "╷",
            '│ Error: Backend initialization required, please run "terraform init"',
            "│ ",
            f'│ Reason: Initial configuration of the requested backend "{backend}"',
            "│ ",
            '│ The "backend" is the interface that Terraform uses to store state,',
            "│ perform operations, etc. If this message is showing up, it means that the",
            "│ Terraform configuration you're using is using a custom configuration for",
            "│ the Terraform backend.",
            "╵",
        ]
        command = "terraform plan -no-color -out=tfplan"
    step = pick(rng, ("Terraform plan", "Plan infrastructure", "Terraform apply"))
    return Failure(LABEL, pad(rng, eco, lines), step, command, 1, tags=("terraform",))


def _kubeconfig_missing(rng: random.Random, eco: str) -> Failure:
    app = repo(rng)
    choice = rng.randrange(3)
    if choice == 0:
        when = f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(10, 59)}"
        pid = rng.randint(1800, 9000)
        lines = [
            f"E{when}:{rng.randint(10, 59)}.{rng.randint(100000, 999999)}    {pid} "
            f"memcache.go:{pick(rng, ('238', '265'))}] couldn't get current server API group list: "
            'Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: '
            "connection refused"
            for _ in range(rng.randint(1, 5))
        ]
        lines.append(
            "The connection to the server localhost:8080 was refused - did you specify the right "
            "host or port?"
        )
        command = f"kubectl apply -f k8s/{app}.yaml"
    elif choice == 1:
        ctx = pick(rng, ("staging", "prod", "eks-ci", f"gke_{app}_europe-west1_main"))
        lines = [f'error: no context exists with the name: "{ctx}"']
        command = f"kubectl config use-context {ctx}"
    else:
        lines = [
            "Error: Kubernetes cluster unreachable: Get "
            '"http://localhost:8080/version": dial tcp [::1]:8080: connect: connection refused'
        ]
        if rng.random() < 0.5:
            lines.insert(0, f'Release "{app}" does not exist. Installing it now.')
        command = f"helm upgrade --install {app} ./charts/{app} -f values-ci.yaml"
    step = pick(rng, ("Deploy", "Deploy to staging", "Apply manifests", "Helm upgrade"))
    return Failure(LABEL, pad(rng, eco, lines), step, command, 1, tags=("kubernetes",))


def _powershell_empty_argument(rng: random.Random, eco: str) -> Failure:
    secret = pick(rng, _SECRETS)
    cases = (
        (
            "Publish-Module",
            f"Publish-Module -Path ./out/{repo(rng)} -NuGetApiKey $env:{secret}",
            "Cannot validate argument on parameter 'NuGetApiKey'. The argument is null or empty. "
            "Provide an argument that is not null or empty, and then try the command again.",
        ),
        (
            "ConvertTo-SecureString",
            f"$pw = ConvertTo-SecureString -String $env:{secret} -AsPlainText -Force",
            "Cannot bind argument to parameter 'String' because it is null.",
        ),
        (
            "Set-Location",
            f"Set-Location $env:{pick(rng, ('BUILD_DIR', 'SOURCE_DIR', 'PUBLISH_DIR'))}",
            'Cannot process argument because the value of argument "path" is null. Change the '
            'value of argument "path" to a non-null value.',
        ),
        (
            "Join-Path",
            f"$out = Join-Path $env:{pick(rng, ('BUILD_ROOT', 'OUTPUT_DIR', 'STAGING_DIR'))} 'pkg'",
            "Cannot bind argument to parameter 'Path' because it is an empty string.",
        ),
    )
    category, source, message = pick(rng, cases)
    underline = source[source.find("$env:") :].split(" ")[0]
    lines = ps_error_record(rng, category, source, underline, message)
    if rng.random() < 0.4:
        lines.insert(0, f"Working directory: {win_workdir(rng)}")
    step = pick(rng, ("Publish module", "Sign binaries", "Package", "Release"))
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        step,
        source,
        1,
        tags=("powershell", "windows"),
        formats=WINDOWS_CI,
    )


def _pwsh_runs_bash(rng: random.Random, eco: str) -> Failure:
    var = pick(rng, ("VERSION", "TAG", "CHANNEL", "TARGET"))
    cases = (
        (
            "ParserError",
            f'if [ -z "${var}" ]; then',
            "[",
            "Missing '(' after 'if' in if statement.",
        ),
        (
            "ParserError",
            f"for f in {pick(rng, ('dist', 'out', 'build'))}/*; do",
            "f",
            "Missing opening '(' after keyword 'for'.",
        ),
        (
            "export",
            f"export {var}={pick(rng, ('1.4.2', 'stable', 'release'))}",
            "export",
            "The term 'export' is not recognized as a name of a cmdlet, function, script file, or "
            "executable program. Check the spelling of the name, or if a path was included, "
            "verify that the path is correct and try again.",
        ),
        (
            "Remove-Item",
            f"rm -rf {pick(rng, ('dist', 'build', 'node_modules', 'bin'))}",
            "-rf",
            "A parameter cannot be found that matches parameter name 'rf'.",
        ),
    )
    category, source, underline, message = pick(rng, cases)
    lines = ps_error_record(rng, category, source, underline, message)
    if rng.random() < 0.3:
        # Windows PowerShell 5 as the step's shell rejects the bash separator outright.
        lines = [
            f"At {win_workdir(rng)}\\ci\\build.ps1:{rng.randint(2, 30)} char:{rng.randint(10, 40)}",
            f"+ npm ci && npm run {pick(rng, ('build', 'test', 'lint'))}",
            "+        ~~",
            "The token '&&' is not a valid statement separator in this version.",
            "    + CategoryInfo          : ParserError: (:) [], ParseException",
            "    + FullyQualifiedErrorId : InvalidEndOfLine",
        ]
        source = "powershell -File ci/build.ps1"
    step = pick(rng, ("Build (windows-latest)", "Build", "Prepare", "Package"))
    return Failure(
        LABEL,
        pad(rng, eco, lines),
        step,
        source,
        1,
        tags=("powershell", "windows"),
        formats=WINDOWS_CI,
    )


def _action_credentials_empty(rng: random.Random, eco: str) -> Failure:
    choice = rng.randrange(4)
    if choice == 0:
        registry = pick(rng, ("ghcr.io", "docker.io", f"{pick(rng, ORGS)}.azurecr.io", "quay.io"))
        lines = [
            "Run docker/login-action@v3",
            "  with:",
            f"    registry: {registry}",
            "    ecr: auto",
            "    logout: true",
        ]
        return Failure(
            LABEL,
            pad(rng, eco, lines),
            "Log in to registry",
            "",
            1,
            ("Username and password required",),
        )
    if choice == 1:
        lines = [
            "gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment "
            "variable. Example:",
            "  env:",
            "    GH_TOKEN: ${{ github.token }}",
        ]
        command = pick(
            rng,
            (
                f"gh release create v{rng.randint(0, 9)}.{rng.randint(0, 30)}.0 dist/*",
                f"gh pr comment {rng.randint(10, 4000)} --body-file report.md",
                f"gh run download {run_id(rng)} -n dist",
            ),
        )
        return Failure(
            LABEL, pad(rng, eco, lines), pick(rng, ("Create release", "Comment")), command, 4
        )
    if choice == 2:
        lines = [
            "Run azure/login@v2",
            "  with:",
            "    enable-AzPSSession: false",
            "    environment: azurecloud",
            "    allow-no-subscriptions: false",
            "    audience: api://AzureADTokenExchange",
            "    auth-type: SERVICE_PRINCIPAL",
        ]
        error = (
            "Login failed with Error: Using auth-type: SERVICE_PRINCIPAL. Not all values are "
            "present. Ensure 'client-id' and 'tenant-id' are supplied.. Double check if the "
            "'auth-type' is correct. Refer to https://github.com/Azure/login#readme for more "
            "information."
        )
        return Failure(LABEL, pad(rng, eco, lines), "Azure login", "", 1, (error,))
    lines = [
        "Run aws-actions/configure-aws-credentials@v4",
        "  with:",
        f"    aws-region: {pick(rng, ('us-east-1', 'eu-west-1', 'eu-central-1', 'ap-south-1'))}",
        "    audience: sts.amazonaws.com",
    ]
    error = (
        "Credentials could not be loaded, please check your action inputs: Could not load "
        "credentials from any providers"
    )
    return Failure(LABEL, pad(rng, eco, lines), "Configure AWS credentials", "", 1, (error,))


def _task_target_undefined(rng: random.Random, eco: str) -> Failure:
    target = pick(rng, ("ci", "test:ci", "build:prod", "e2e", "integration", "release"))
    name = repo(rng)
    cases: dict[str, tuple[list[str], str]] = {
        "node": (
            [
                f'npm error Missing script: "{target}"',
                "npm error",
                "npm error To see a list of scripts, run:",
                "npm error   npm run",
                "npm error A complete log of this run can be found in: /home/runner/.npm/_logs/"
                f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T10_{rng.randint(10, 59)}_"
                f"{rng.randint(10, 59)}_{rng.randint(100, 999)}Z-debug-0.log",
            ],
            f"npm run {target}",
        ),
        "python": (
            [f"ROOT: HandledError| provided environments not found in configuration file: {target}"]
            if rng.random() < 0.5
            else [f"nox > Sessions not found: {target}"],
            f"tox -e {target}" if rng.random() < 0.5 else f"nox -s {target}",
        ),
        "java": (
            [
                "FAILURE: Build failed with an exception.",
                "",
                "* What went wrong:",
                f"Task '{target.replace(':', '')}' not found in root project '{name}'.",
                "",
                "* Try:",
                "> Run gradle tasks to get a list of available tasks.",
            ],
            f"./gradlew {target.replace(':', '')}",
        ),
        "ruby": (
            [
                "rake aborted!",
                f"Don't know how to build task '{target}' (See the list of available tasks with "
                "`rake --tasks`)",
            ],
            f"bundle exec rake {target}",
        ),
        "rust": ([f"error: Justfile does not contain recipe `{target}`."], f"just {target}"),
    }
    default = ([f"make: *** No rule to make target '{target}'.  Stop."], f"make {target}")
    lines, command = cases.get(eco, default)
    step = pick(rng, ("Run CI target", "Test", "Build", "Integration tests"))
    return Failure(LABEL, progress(rng, eco, 1, 3) + lines, step, command, pick(rng, (1, 2)))


def _bazel_config_undefined(rng: random.Random, eco: str) -> Failure:
    config = pick(rng, ("ci", "remote", "release", "asan", "linux-ci", "rbe"))
    target = pick(rng, ("//...", "//src/...", f"//{repo(rng)}:all", "//services/..."))
    lines = [
        f"INFO: Reading 'startup' options from {workdir(rng)}/.bazelrc: --output_user_root=/tmp/bazel",
        f"ERROR: Config value '{config}' is not defined in any .rc file",
    ]
    if rng.random() < 0.5:
        lines = lines[1:]
    command = f"bazel {pick(rng, ('build', 'test'))} --config={config} {target}"
    return Failure(
        LABEL, pad(rng, eco, lines), pick(rng, ("Bazel build", "Build", "Test")), command, 2
    )


def _gitlab_job_stuck(rng: random.Random, eco: str) -> Failure:
    tags = ", ".join(
        rng.sample(("docker", "linux", "arm64", "gpu", "saas-linux-large-amd64", "windows"), 2)
    )
    message = pick(
        rng,
        (
            "This job is stuck because the project doesn't have any runners online assigned to it.",
            f"This job is stuck because you don't have any active runners online or available "
            f"with any of these tags assigned to them: {tags}",
            "This job is stuck because you don't have any active runners that can run this job.",
        ),
    )
    # A stuck job never reaches a runner: GitLab shows why, then fails it once it gives up.
    lines = [
        message,
        f"Job #{rng.randint(10**6, 10**8)} in {org_repo(rng)} is waiting for a runner",
    ]
    reason = "There has been a timeout failure or the job got stuck. Check your timeout limits or try again"
    return Failure(LABEL, lines, "pending", "", None, (reason,), True, formats=("gitlab",))


def _environment_protection(rng: random.Random, eco: str) -> Failure:
    env = pick(rng, ("production", "prod", "staging", "release", "pypi", "github-pages"))
    branch = pick(
        rng, (f"feature/{pick(rng, _VARS)}", "dependabot/npm_and_yarn/vite-5.4.2", "develop")
    )
    if rng.random() < 0.6:
        error = (
            f'Branch "{branch}" is not allowed to deploy to {env} due to environment '
            "protection rules."
        )
    else:
        error = f'Tag "v{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}-rc.1" is not allowed to deploy to {env} due to environment protection rules.'
    lines = [f"Job defined at: {org_repo(rng)}/.github/workflows/deploy.yml@refs/heads/{branch}"]
    if rng.random() < 0.5:
        lines.append(f"Waiting for environment {env} (deployment {hexstr(rng, 8)})")
    errors = (error, "The deployment was rejected or didn't satisfy other protection rules.")
    return Failure(LABEL, lines, "Set up job", "", None, errors, True, formats=("github_actions",))


FAMILIES: list[Family] = [
    Family(f"{LABEL}/circleci-config-error", LABEL, ALL, _circleci_config),
    Family(f"{LABEL}/terraform-variable-not-set", LABEL, ALL, _terraform_variable),
    Family(f"{LABEL}/kubeconfig-not-configured", LABEL, ALL, _kubeconfig_missing),
    Family(f"{LABEL}/powershell-empty-argument", LABEL, ALL, _powershell_empty_argument),
    Family(f"{LABEL}/pwsh-step-runs-bash-script", LABEL, ALL, _pwsh_runs_bash),
    Family(f"{LABEL}/action-credentials-not-supplied", LABEL, ALL, _action_credentials_empty),
    Family(f"{LABEL}/task-runner-target-undefined", LABEL, ALL, _task_target_undefined),
    Family(
        f"{LABEL}/bazel-config-undefined",
        LABEL,
        ("cpp", "java", "go", "python"),
        _bazel_config_undefined,
    ),
    Family(f"{LABEL}/gitlab-job-stuck-no-runner", LABEL, ALL, _gitlab_job_stuck),
    Family(f"{LABEL}/environment-protection-rules", LABEL, ALL, _environment_protection),
]
