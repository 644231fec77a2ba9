"""More ``workflow_config``, ``infrastructure`` and ``auth_permission`` families.

A job no agent can take because of what the configuration asks for (a Jenkins label no node
has, a CircleCI resource class the plan lacks) and a step that writes a malformed file command
are configuration errors. A Kubernetes executor whose pod never starts, or a machine executor
that fails to boot, is the host. A user who may not talk to the Docker socket or the cluster's
API is a permission problem, not a broken host.
"""

from __future__ import annotations

import random

from .._types import Failure, Family
from ._common_c import NOUNS, hexstr, ident, pick, repo

_WF = "workflow_config"
_INFRA = "infrastructure"
_AUTH = "auth_permission"
_ALL = ("python", "node", "java", "go", "rust", "cpp", "dotnet", "ruby", "docker")


def _jenkins_no_node_label(rng: random.Random, eco: str) -> Failure:
    label = pick(rng, ("gpu-linux", "docker && arm64", "windows-2022", "macos-xl", "build-large"))
    lines = [
        "Still waiting to schedule task",
        f"There are no nodes with the label ‘{label}’",
        f"Aborted by {pick(rng, ('timeout', 'admin', 'the build queue'))}",
    ]
    return Failure(_WF, lines, "Pipeline", "", None, (), True, formats=("jenkins",))


def _circleci_resource_class(rng: random.Random, eco: str) -> Failure:
    rc = pick(rng, ("xlarge", "2xlarge", "arm.large", "gpu.nvidia.small", "macos.m1.large.gen1"))
    executor = pick(rng, ("docker", "machine", "macos"))
    lines = [
        f"Resource class {executor} for {rc} is not available for your project, or is not a "
        "valid resource class. This message will often appear if the pricing plan for this "
        "project does not support the requested resource class.",
    ]
    errors = ("Job was rejected because resource class is not valid",)
    return Failure(_WF, lines, "Spin up environment", "", None, errors, True, formats=("circleci",))


def _file_command_invalid(rng: random.Random, eco: str) -> Failure:
    kind = pick(rng, ("output", "env"))
    name = ident(rng)
    lines = [f"{name}={pick(rng, NOUNS)}", f"{pick(rng, NOUNS)} {pick(rng, NOUNS)}"]
    errors = (
        f"Unable to process file command '{kind}' successfully.",
        f"Invalid format '{lines[1]}'",
    )
    return Failure(
        _WF,
        lines,
        pick(rng, ("Compute version", "Set outputs", "Prepare matrix")),
        f'echo "$RESULT" >> "$GITHUB_{kind.upper()}"',
        1,
        errors,
        formats=("github_actions",),
    )


def _k8s_executor_pod_start(rng: random.Random, eco: str) -> Failure:
    pod = f"runner-{hexstr(rng, 8)}-project-{rng.randint(100, 9999)}-concurrent-0-{hexstr(rng, 8)}"
    lines = [
        f"Using Kubernetes executor with image {pick(rng, ('alpine:3.20', 'node:20', 'python:3.12'))} ...",
        f"Using Kubernetes namespace: {pick(rng, ('gitlab-runner', 'ci', 'runners'))}",
        f"Waiting for pod {pick(rng, ('gitlab-runner', 'ci'))}/{pod} to be running, status is Pending",
        '\tUnschedulable: "0/6 nodes are available: 3 node(s) had untolerated taint '
        '{node.kubernetes.io/unreachable: }, 3 node(s) were unschedulable."',
    ]
    errors = (
        "ERROR: Job failed (system failure): prepare environment: waiting for pod running: "
        "pod status is failed. Check https://docs.gitlab.com/runner/shells/index.html"
        "#shell-profile-loading for more information",
    )
    return Failure(_INFRA, lines, "prepare_executor", "", None, errors, True, formats=("gitlab",))


def _machine_executor_boot(rng: random.Random, eco: str) -> Failure:
    lines = [
        f"Build-agent version 1.0.{rng.randint(200000, 299999)}-{hexstr(rng, 8)}",
        f"Starting machine image {pick(rng, ('ubuntu-2204:2024.05.1', 'ubuntu-2404:current', 'android:2024.04.1'))}",
        "Waiting for the machine to be ready",
        pick(
            rng,
            (
                "Unexpected capacity error: the VM failed to boot. Please retry the job.",
                "There was an unexpected error provisioning the machine. This is not an issue "
                "with your configuration.",
            ),
        ),
    ]
    errors = ("Infrastructure fail: the machine executor could not be started",)
    return Failure(
        _INFRA, lines, "Spin up environment", "", None, errors, True, formats=("circleci",)
    )


def _docker_socket_denied(rng: random.Random, eco: str) -> Failure:
    verb = pick(rng, ("_ping", "v1.45/containers/json", "v1.45/build", "v1.45/images/create"))
    lines = [
        pick(rng, ("Building image app:ci", "+ docker info --format '{{.ServerVersion}}'")),
        "permission denied while trying to connect to the Docker daemon socket at "
        f'unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/{verb}": dial '
        "unix /var/run/docker.sock: connect: permission denied",
    ]
    cmd = pick(rng, ("docker build -t app:ci .", "docker compose up -d", "docker ps"))
    return Failure(_AUTH, lines, pick(rng, ("Build image", "Start services")), cmd)


def _kubectl_forbidden(rng: random.Random, eco: str) -> Failure:
    sa = pick(rng, ("deployer", "ci", "github-actions", "release-bot"))
    ns = pick(rng, ("staging", "prod", "default", repo(rng)))
    res = pick(
        rng, ("deployments.apps", "pods", "secrets", "configmaps", "ingresses.networking.k8s.io")
    )
    verb = pick(rng, ("list", "get", "patch", "create"))
    lines = [
        f"service/{repo(rng)} unchanged",
        f'Error from server (Forbidden): {res} "{repo(rng)}" is forbidden: User '
        f'"system:serviceaccount:{ns}:{sa}" cannot {verb} resource "{res.split(".")[0]}" in API '
        f'group "{"apps" if res.startswith("deploy") else ""}" in the namespace "{ns}"',
    ]
    return Failure(_AUTH, lines, pick(rng, ("Deploy", "Rollout")), f"kubectl apply -n {ns} -f k8s/")


FAMILIES: list[Family] = [
    Family(f"{_WF}/jenkins-no-node-with-label", _WF, _ALL, _jenkins_no_node_label),
    Family(f"{_WF}/circleci-resource-class-invalid", _WF, _ALL, _circleci_resource_class),
    Family(f"{_WF}/file-command-invalid-format", _WF, _ALL, _file_command_invalid),
    Family(f"{_INFRA}/k8s-executor-pod-not-started", _INFRA, _ALL, _k8s_executor_pod_start),
    Family(f"{_INFRA}/machine-executor-boot-failed", _INFRA, _ALL, _machine_executor_boot),
    Family(f"{_AUTH}/docker-socket-denied", _AUTH, _ALL, _docker_socket_denied),
    Family(f"{_AUTH}/kubectl-forbidden", _AUTH, _ALL, _kubectl_forbidden),
]
