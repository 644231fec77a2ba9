"""``workflow_config``: the CI configuration itself is invalid or incomplete.

Labelling choices: an action input left empty, an unset environment variable or secret that a
script checks before using it, a requested toolchain version that does not exist, a runner
label no runner carries, and an organisation policy refusing an action are all configuration:
the fix is an edit to the workflow (or its settings), not to the code. A credential that was
supplied and then rejected belongs to ``auth_permission`` instead.
"""

from __future__ import annotations

import random

from .._types import ECOSYSTEMS, Failure, Family
from ._common_c import (
    ORGS,
    hexstr,
    org_repo,
    pick,
    progress,
    repo,
    setup_action,
    workdir,
)

LABEL = "workflow_config"
_WORKFLOWS = ("ci.yml", "build.yml", "test.yaml", "release.yml", "main.yml", "pr.yml", "deploy.yml")
_JOBS = ("build", "test", "lint", "deploy", "release", "package", "e2e", "docs", "publish")
_ENV_VARS = (
    "AWS_REGION",
    "DEPLOY_ENV",
    "DATABASE_URL",
    "SENTRY_AUTH_TOKEN",
    "NPM_TOKEN",
    "API_BASE_URL",
    "RELEASE_TAG",
    "DOCKER_REGISTRY",
    "KUBE_NAMESPACE",
    "CODECOV_TOKEN",
    "APP_VERSION",
    "S3_BUCKET",
    "GCP_PROJECT_ID",
    "SLACK_WEBHOOK_URL",
)


def _wf(rng: random.Random) -> str:
    return f".github/workflows/{pick(rng, _WORKFLOWS)}"


def _where(rng: random.Random, wf: str) -> tuple[int, str]:
    line = rng.randint(5, 140)
    return line, f"{wf} (Line: {line}, Col: {rng.randint(3, 30)})"


def _invalid_workflow(rng: random.Random, eco: str) -> Failure:
    wf = _wf(rng)
    line, where = _where(rng, wf)
    job = pick(rng, _JOBS)
    var = pick(rng, _ENV_VARS)
    problems = (
        f"Unexpected value '{pick(rng, ('runs_on', 'step', 'enviroment', 'timeout', 'with'))}'",
        f"Unrecognized named-value: 'secret'. Located at position 1 within expression: "
        f"secret.{var}",
        f"Unrecognized named-value: 'env'. Located at position 1 within expression: env.{var}",
        "Unrecognized function: 'contain'. Located at position 1 within expression: "
        "contain(github.ref, 'release')",
        "Required property is missing: runs-on",
        f"Job '{job}' depends on unknown job '{pick(rng, ('biuld', 'tests', 'setup', 'lnit'))}'.",
        "A sequence was not expected",
        f"Unexpected symbol: '}}'. Located at position {rng.randint(8, 40)} within expression: "
        f"github.event_name == 'push' }}",
    )
    if rng.random() < 0.2:
        detail = f"You have an error in your yaml syntax on line {line}"
    else:
        detail = f"The workflow is not valid. {where}: {pick(rng, problems)}"
    lines = [f"Invalid workflow file: {wf}#L{line}"]
    return Failure(LABEL, lines, "Set up job", "", None, (detail,), job_level=True)


def _runner_setup_lines(rng: random.Random) -> list[str]:
    lines = [
        f"Current runner version: '2.3{rng.randint(10, 30)}.{rng.randint(0, 3)}'",
        "Operating System",
        f"  Ubuntu {pick(rng, ('22.04.4', '24.04.1', '22.04.5'))}",
        "  LTS",
        "Runner Image",
        f"  Image: {pick(rng, ('ubuntu-22.04', 'ubuntu-24.04'))}",
        f"  Version: 2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}.{rng.randint(1, 9)}.1",
        "GITHUB_TOKEN Permissions",
        "  Contents: read",
        "  Metadata: read",
        "Secret source: Actions",
        "Prepare workflow directory",
        "Prepare all required actions",
        "Getting action download info",
    ]
    for action in ("actions/checkout@v4", "actions/cache@v4")[: rng.randint(1, 2)]:
        lines.append(f"Download action repository '{action}' (SHA:{hexstr(rng, 40)})")
    return lines


def _unresolved_action(rng: random.Random, eco: str) -> Failure:
    action = setup_action(eco)[0]
    owner, name = action.split("/")
    typo = (
        name.replace("setup-", pick(rng, ("setpu-", "set-up-", "stup-")))
        if "setup" in name
        else f"{name}s"
    )
    choice = rng.randrange(3)
    if choice == 0:
        error = (
            f"Unable to resolve action `{owner}/{typo}@v{rng.randint(3, 5)}`, repository not found"
        )
    elif choice == 1:
        error = f"Unable to resolve action `{action}@v{rng.randint(9, 12)}`, unable to find version `v{rng.randint(9, 12)}`"
    else:
        internal = f"{pick(rng, ORGS)}/{pick(rng, ('ci-actions', 'shared-actions', 'gh-tools'))}"
        error = f"Unable to resolve action `{internal}@{pick(rng, ('main', 'v2', 'release'))}`, repository or version not found"
    return Failure(LABEL, _runner_setup_lines(rng), "Set up job", "", None, (error,))


_ACTION_INPUTS = (
    (
        "aws-actions/configure-aws-credentials@v4",
        "aws-region",
        ("role-to-assume", "role-session-name"),
    ),
    ("softprops/action-gh-release@v2", "tag_name", ("files", "draft")),
    ("codecov/codecov-action@v4", "token", ("files", "flags")),
    ("peter-evans/create-pull-request@v6", "token", ("branch", "title")),
    ("azure/webapp-deploy@v3", "app-name", ("package", "slot-name")),
    ("actions/upload-pages-artifact@v3", "path", ("retention-days",)),
    ("google-github-actions/setup-gcloud@v2", "project_id", ("version",)),
)


def _input_value(rng: random.Random, name: str) -> str:
    if name in ("cache", "check-latest", "draft"):
        return pick(rng, ("true", "false"))
    if name == "retention-days":
        return str(rng.randint(1, 90))
    if name in ("files", "package"):
        return pick(rng, ("dist/*", "build/*.zip", "out/app.tar.gz", "./publish"))
    return pick(rng, ("ci", repo(rng), f"{repo(rng)}-{hexstr(rng, 6)}", "latest"))


def _input_required(rng: random.Random, eco: str) -> Failure:
    if rng.random() < 0.35:
        action, ver_input, _ = setup_action(eco)
        others: tuple[str, ...] = ("cache", "check-latest")
        action, required = f"{action}@v5", ver_input
    else:
        action, required, others = pick(rng, _ACTION_INPUTS)
    lines = [f"Run {action}", "  with:"]
    for name in others:
        lines.append(f"    {name}: {_input_value(rng, name)}")
    if rng.random() < 0.5:
        lines += ["  env:", f"    {pick(rng, _ENV_VARS)}: ***"]
    error = f"Input required and not supplied: {required}"
    return Failure(LABEL, lines, f"Run {action.split('@')[0]}", "", 1, (error,))


def _unset_env_var(rng: random.Random, eco: str) -> Failure:
    var = pick(rng, _ENV_VARS)
    wd = workdir(rng)
    lines = progress(rng, eco, 0, 4)
    script = f"/home/runner/work/_temp/{hexstr(rng, 8)}-{hexstr(rng, 4)}-{hexstr(rng, 4)}.sh"
    # A plain shell check always fits; the scripted variants use the ecosystem's own language.
    native = {"python": 2, "node": 3, "go": 4, "rust": 5}.get(eco)
    choice = rng.randrange(2) if native is None or rng.random() < 0.4 else native
    command = f"./scripts/{pick(rng, ('deploy', 'release', 'publish', 'upload'))}.sh"
    if choice == 0:
        msg = pick(rng, ("parameter null or not set", f"{var} must be set", "unset"))
        lines.append(f"{script}: line {rng.randint(2, 9)}: {var}: {msg}")
        command = f': "${{{var}:?}}"'
    elif choice == 1:
        lines.append(
            pick(
                rng,
                (
                    f"Error: {var} is not set",
                    f"error: environment variable {var} is required",
                    f"Missing required environment variable: {var}",
                    f"FATAL: ${var} is empty; configure it in the repository secrets",
                ),
            )
        )
    elif choice == 2:
        command = f"python scripts/{pick(rng, ('deploy', 'settings', 'publish'))}.py"
        lines += [
            "Traceback (most recent call last):",
            f'  File "{wd}/{command.split()[1]}", line {rng.randint(5, 40)}, in <module>',
            f'    {var.lower()} = os.environ["{var}"]',
            f"                {'^' * (len(var) + 14)}",
            '  File "<frozen os>", line 679, in __getitem__',
            f"KeyError: '{var}'",
        ]
    elif choice == 3:
        command = f"node scripts/{pick(rng, ('deploy', 'env', 'publish'))}.mjs"
        lines += [
            f"file://{wd}/{command.split()[1]}:{rng.randint(3, 30)}",
            f'  if (!process.env.{var}) throw new Error("Environment variable {var} is not set");',
            "                              ^",
            "",
            f"Error: Environment variable {var} is not set",
            f"    at file://{wd}/{command.split()[1]}:{rng.randint(3, 30)}:{rng.randint(5, 40)}",
            "",
            f"Node.js v20.{rng.randint(9, 18)}.{rng.randint(0, 3)}",
        ]
    elif choice == 4:
        command = "go run ./cmd/deploy"
        lines += [
            f"{rng.randint(2020, 2025)}/0{rng.randint(1, 9)}/1{rng.randint(0, 9)} 10:{rng.randint(10, 59)}:"
            f"{rng.randint(10, 59)} envconfig: required key {var} missing value",
            "exit status 1",
        ]
    else:
        command = "cargo run --bin release"
        lines += [
            f"Error: reading {var}",
            "",
            "Caused by:",
            "    environment variable not found",
        ]
    return Failure(LABEL, lines, pick(rng, ("Deploy", "Publish", "Release", "Configure")), command)


def _local_action_missing(rng: random.Random, eco: str) -> Failure:
    name = pick(rng, ("setup", "setup-env", "build", "cache-deps", "prepare", "install-tools"))
    wd = workdir(rng)
    error = (
        f"Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under '{wd}/.github/actions/{name}'. "
        "Did you forget to run actions/checkout before running your local action?"
    )
    lines = _runner_setup_lines(rng)[-3:] if rng.random() < 0.5 else []
    lines.append(f"Run ./.github/actions/{name}")
    return Failure(LABEL, lines, f"Run ./.github/actions/{name}", "", None, (error,))


def _runner_label_unmatched(rng: random.Random, eco: str) -> Failure:
    if rng.random() < 0.6:
        labels = pick(
            rng,
            (
                "ubuntu-20.04-large",
                "self-hosted, linux, gpu",
                "ubuntu-latest-16-cores",
                "macos-11",
                "windows-2016",
                "self-hosted, arm64, xlarge",
                "ubuntu-18.04",
            ),
        )
        error = f"No runner matching the specified labels was found: {labels}"
        lines = [
            f"Requested labels: {labels}",
            f"Job defined at: {org_repo(rng)}/{_wf(rng)}@refs/heads/main",
        ]
    else:
        pool = pick(rng, ("Default", "build-pool", "linux-agents", "Azure Pipelines"))
        demands = pick(rng, ("maven", "docker", "java, Agent.OS -equals Linux", "npm, node.js"))
        error = f"No agent found in pool {pool} which satisfies the specified demands: {demands}"
        lines = [f"Pool: {pool}", f"Demands: {demands}"]
    return Failure(LABEL, lines, "Set up job", "", None, (error,), job_level=True)


def _gitlab_ci_invalid(rng: random.Random, eco: str) -> Failure:
    job = pick(rng, ("build", "unit-tests", "lint", "deploy:prod", "package", "pages"))
    stage = pick(rng, ("verify", "publish", "integration", "qa"))
    errors = (
        "jobs config should contain at least one visible job",
        f"jobs:{job} config contains unknown keys: {pick(rng, ('scripts', 'stages', 'depends', 'artifact'))}",
        f"jobs:{job}:script config should be a string or a nested array of strings up to 10 levels deep",
        f"{job} job: chosen stage {stage} does not exist; available stages are .pre, build, test, deploy, .post",
        f"Included file `ci/templates/{pick(rng, ('build', 'docker', 'release'))}.yml` is empty or does not exist!",
        f"(<unknown>): did not find expected key while parsing a block mapping at line {rng.randint(3, 90)} column 3",
        f"jobs:{job}:rules:rule if invalid expression syntax",
    )
    count = rng.randint(1, 2)
    chosen = rng.sample(errors, count)
    lines = ["Found errors in your .gitlab-ci.yml:", *[f"- {e}" for e in chosen]]
    if rng.random() < 0.5:
        lines.append("You can test your .gitlab-ci.yml in CI Lint.")
    # The pipeline is never created: the errors above are all there is, repeated as the verdict.
    return Failure(LABEL, lines[:1], "pipeline", "", None, tuple(chosen), job_level=True)


def _action_not_allowed(rng: random.Random, eco: str) -> Failure:
    org = pick(rng, ORGS)
    action = f"{setup_action(eco)[0]}@v{rng.randint(2, 5)}"
    third = pick(
        rng,
        (
            "peaceiris/actions-gh-pages@v3",
            "JamesIves/github-pages-deploy-action@v4",
            "stefanzweifel/git-auto-commit-action@v5",
            "tj-actions/changed-files@v44",
        ),
    )
    names = f"{third}" if rng.random() < 0.6 else f"{third} and {action}"
    verb = "is" if " and " not in names else "are"
    reason = pick(
        rng,
        (
            f"all actions must be from a repository owned by {org}.",
            f"all actions must be from a repository owned by {org} or created by GitHub.",
            "all actions must be pinned to a full-length commit SHA.",
        ),
    )
    noun = "action" if verb == "is" else "actions"
    error = f"The {noun} {names} {verb} not allowed in {org}/{repo(rng)} because {reason}"
    return Failure(LABEL, [], "Set up job", "", None, (error,), job_level=True)


def _expression_eval(rng: random.Random, eco: str) -> Failure:
    wf = _wf(rng)
    _, where = _where(rng, wf)
    job = pick(rng, _JOBS)
    key = pick(rng, ("python-version", "node", "os", "target", "go", "include"))
    what, detail = pick(
        rng,
        (
            ("strategy", f"Matrix vector '{key}' does not contain any values"),
            ("strategy", "Error from function 'fromJSON': empty input"),
            ("strategy", "Unexpected type of value '', expected type: Sequence."),
            ("runs-on", "Unexpected value ''"),
            ("environment", "Unexpected value ''"),
            ("container", "Unexpected type of value 'null', expected type: Mapping."),
        ),
    )
    error = f"Error when evaluating '{what}' for job '{job}'. {where}: {detail}"
    lines = [
        f"Evaluating {what} for job '{job}'",
        f"Job defined at: {org_repo(rng)}/{wf}@refs/heads/main",
    ]
    return Failure(LABEL, lines, "Set up job", "", None, (error,), job_level=True)


def _reusable_workflow_error(rng: random.Random, eco: str) -> Failure:
    caller = _wf(rng)
    callee = f"{pick(rng, ORGS)}/{pick(rng, ('shared-workflows', '.github', 'ci-templates'))}/.github/workflows/{pick(rng, ('build', 'release', 'test'))}.yml@{pick(rng, ('main', 'v1', 'v2'))}"
    inp = pick(
        rng, ("node-version", "python-version", "environment", "image-tag", "working-directory")
    )
    detail = pick(
        rng,
        (
            "failed to fetch workflow: workflow was not found.",
            f"Invalid input, {inp} is not defined in the referenced workflow.",
            f"Input {inp} is required, but not provided while calling.",
            f"Secret {pick(rng, _ENV_VARS)} is required, but not provided while calling.",
        ),
    )
    error = f'error parsing called workflow "{caller}" -> "{callee}" : {detail}'
    return Failure(LABEL, [], "Set up job", "", None, (error,), job_level=True)


def _jenkinsfile_invalid(rng: random.Random, eco: str) -> Failure:
    # Declarative pipeline syntax errors: Jenkins rejects the Jenkinsfile before any stage runs.
    line = rng.randint(8, 80)
    stage = pick(rng, ("Build", "Test", "Deploy", "Package", "Lint"))
    section = pick(rng, ("step", "stage", "sh", "script"))
    lines = [
        "org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:",
        pick(
            rng,
            (
                f'WorkflowScript: {line}: Unknown stage section "{section}". Starting with version '
                "0.5, steps in a stage must be in a ‘steps’ block. @ line "
                f"{line}, column {rng.randint(5, 13)}.",
                f'WorkflowScript: {line}: Missing required section "agent" @ line {line}, column 1.',
                f'WorkflowScript: {line}: Invalid option type "timeOut". Valid option types: '
                "[buildDiscarder, disableConcurrentBuilds, retry, skipDefaultCheckout, timeout, "
                f"timestamps] @ line {line}, column {rng.randint(5, 13)}.",
                f'WorkflowScript: {line}: Undefined section "{section}s" @ line {line}, column 5.',
            ),
        ),
        f"       stage('{stage}') {{",
        "       ^",
        "",
    ]
    errors = 1
    if rng.random() < 0.5:
        errors = 2
        lines += [
            f'WorkflowScript: {line}: Expected one of "steps", "stages", or "parallel" for stage '
            f'"{stage}" @ line {line}, column {rng.randint(5, 13)}.',
            f"       stage('{stage}') {{",
            "       ^",
            "",
        ]
    lines.append(f"{errors} error{'s' if errors > 1 else ''}")
    return Failure(LABEL, lines, "Declarative pipeline", "", None, job_level=True)


def _azure_pipeline_invalid(rng: random.Random, eco: str) -> Failure:
    f = pick(rng, ("/azure-pipelines.yml", "/.azure/pipelines/ci.yml", "/build/pipeline.yml"))
    line, col = rng.randint(4, 120), rng.randint(3, 21)
    detail = pick(
        rng,
        (
            f"{f} (Line: {line}, Col: {col}): Unexpected value '{pick(rng, ('step', 'job', 'pools', 'script_'))}'",
            f"{f} (Line: {line}, Col: {col}): A template expression is not allowed in this context",
            f"{f}: File {pick(rng, ('templates/build.yml', 'ci/steps.yml'))} not found in repository "
            f"self branch refs/heads/main version {hexstr(rng, 40)}.",
            f"{f} (Line: {line}, Col: {col}): Mapping values are not allowed in this context.",
        ),
    )
    lines = [f"Evaluating pipeline {f}"]
    return Failure(LABEL, lines, "Pipeline", "", None, (detail,), job_level=True)


def _setup_version_missing(rng: random.Random, eco: str) -> Failure:
    action, version_input, _ = setup_action(eco)
    os_name = pick(rng, ("Ubuntu 22.04", "Ubuntu 24.04"))
    distribution = pick(rng, ("temurin", "zulu", "corretto", "microsoft"))
    if eco == "node":
        ver = f"{rng.randint(23, 30)}.x"
        lines = [
            f"Attempting to download {ver}...",
            "Not found in manifest. Falling back to download directly from Node",
        ]
        error = f"Unable to find Node version '{ver}' for platform linux and architecture x64."
    elif eco == "go":
        ver = f"1.{rng.randint(30, 40)}"
        lines = [f"Setup go version spec {ver}", f"Attempting to download {ver}...", "matching..."]
        error = f"Unable to find Go version '{ver}' for platform linux and architecture x64."
    elif eco == "java":
        ver = str(rng.randint(27, 31))
        lines = [
            "Trying to resolve the latest version from remote",
            f"Distribution: {distribution}",
        ]
        error = f"Could not find satisfied version for SemVer '{ver}'."
    elif eco == "ruby":
        ver = f"3.{rng.randint(6, 9)}"
        lines = [f"Using ruby version {ver}"]
        error = f"Unknown version {ver} for ruby on {os_name.lower().replace(' ', '-')}"
        lines.append("        available versions for ruby on this platform: 3.1.6, 3.2.5, 3.3.4")
    elif eco == "dotnet":
        ver = f"{rng.randint(10, 12)}.0.{rng.randint(1, 4)}00"
        lines = [
            f"/home/runner/work/_actions/actions/setup-dotnet/v4/externals/install-dotnet.sh "
            f"--skip-non-versioned-files --runtime dotnet --version {ver}"
        ]
        error = (
            "Failed to install dotnet, exit code: 1. dotnet_install: Error: Could not find "
            f"`.NET Core SDK` with version = {ver}"
        )
    else:
        ver = f"3.{rng.randint(15, 19)}"
        lines = [f"Version {ver} was not found in the local cache"]
        error = f"The version '{ver}' with architecture 'x64' was not found for {os_name}."
        lines.append(
            "The list of all available versions can be found here: "
            "https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json"
        )
    header = [f"Run {action}@v{rng.randint(3, 5)}", "  with:", f"    {version_input}: {ver}"]
    if eco == "java":
        header.append(f"    distribution: {distribution}")
    extras = ("cache: true", "check-latest: false", "architecture: x64", "token: ***")
    header += [f"    {extra}" for extra in rng.sample(extras, rng.randint(1, 3))]
    step = pick(rng, (f"Set up {eco}", f"Setup {eco}", "Install toolchain", f"Use {eco} {ver}"))
    return Failure(LABEL, header + lines, step, "", 1, (error,))


_ALL = tuple(ECOSYSTEMS)
_TOOLCHAINS = ("python", "node", "java", "go", "dotnet", "ruby")

FAMILIES: list[Family] = [
    Family(f"{LABEL}/invalid-workflow-file", LABEL, _ALL, _invalid_workflow),
    Family(f"{LABEL}/unresolved-action", LABEL, _ALL, _unresolved_action),
    Family(f"{LABEL}/action-input-not-supplied", LABEL, _ALL, _input_required),
    Family(f"{LABEL}/unset-environment-variable", LABEL, _ALL, _unset_env_var),
    Family(f"{LABEL}/local-action-not-checked-out", LABEL, _ALL, _local_action_missing),
    Family(f"{LABEL}/runner-label-unmatched", LABEL, _ALL, _runner_label_unmatched),
    Family(f"{LABEL}/gitlab-ci-invalid", LABEL, _ALL, _gitlab_ci_invalid),
    Family(f"{LABEL}/action-not-allowed-by-policy", LABEL, _ALL, _action_not_allowed),
    Family(f"{LABEL}/expression-evaluation-error", LABEL, _ALL, _expression_eval),
    Family(f"{LABEL}/reusable-workflow-call-invalid", LABEL, _ALL, _reusable_workflow_error),
    Family(
        f"{LABEL}/jenkinsfile-invalid",
        LABEL,
        ("java", "go", "cpp", "dotnet", "node", "python"),
        _jenkinsfile_invalid,
    ),
    Family(f"{LABEL}/azure-pipeline-invalid", LABEL, _ALL, _azure_pipeline_invalid),
    Family(f"{LABEL}/setup-version-not-found", LABEL, _TOOLCHAINS, _setup_version_missing),
]
