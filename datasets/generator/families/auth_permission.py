"""Families of ``auth_permission``: credentials are missing, wrong or lack permission.

Labelling rules: a 401/403 that says *who* is refused or *what* permission is missing is
``auth_permission``; a 403 whose message is about request quotas (``API rate limit exceeded``)
is ``rate_limit``. File-system permissions (``EACCES``, ``Permission denied`` on a script, a
sudo password prompt) and git's repository-ownership check (``dubious ownership``) count here
too: the process lacks the right to do what it tried. A refusal that names a credential the
registry does not know (``ENEEDAUTH``) is here, not ``workflow_config``, because the log shows
the refusal rather than an unset variable.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c

LABEL = "auth_permission"
BOT = "github-actions[bot]"


_failure = partial(c.failure, LABEL)
_family = partial(c.family, LABEL)


def github_bad_credentials(rng: random.Random, eco: str) -> Failure:
    name = c.slug(rng)
    url = c.github_api_url(rng, name)
    message = rng.choice(("Bad credentials", "Bad credentials", "Requires authentication"))
    variant = rng.randrange(4)
    if variant == 0:
        lines = [f"HTTP 401: {message} ({url})"]
        if message == "Bad credentials":
            lines.append("Try authenticating with:  gh auth login")
        return _failure(
            c.pad(rng, lines, "github"),
            "Create release",
            f"gh release create v{c.version(rng)}",
            1,
            "gh",
        )
    if variant == 1:
        lines = c.octokit_error(rng, message, 401, url)
        errors = (f"Unhandled error: HttpError: {message}",)
        return _failure(
            lines,
            "Comment on PR",
            "actions/github-script@v7",
            None,
            "octokit",
            errors,
        )
    if variant == 2:
        script = rng.choice(("release.py", "sync_labels.py", "post_status.py"))
        lines = [
            "Traceback (most recent call last):",
            f'  File "{c.workdir(rng, name.split("/")[1])}/scripts/{script}", line '
            f"{rng.randint(10, 200)}, in <module>",
            f'    repo = gh.get_repo("{name}")',
            f'github.GithubException.BadCredentialsException: 401 {{"message": "{message}", '
            '"documentation_url": "https://docs.github.com/rest", "status": "401"}',
        ]
        return _failure(lines, "Sync", f"python scripts/{script}", 1, "pygithub")
    lines = [*c.github_json_body(message, 401), "curl: (22) The requested URL returned error: 401"]
    cmd = f'curl -fsS -H "Authorization: Bearer $TOKEN" {url}'
    return _failure(lines, "Notify", cmd, 22, "curl")


def git_push_denied(rng: random.Random, eco: str) -> Failure:
    name = c.slug(rng)
    branch = rng.choice(("main", "gh-pages", "master", "release"))
    lines = [
        f"[{branch} {c.hexid(rng, 7)}] chore: update generated files",
        f" {rng.randint(1, 12)} files changed, {rng.randint(1, 400)} insertions(+), "
        f"{rng.randint(0, 90)} deletions(-)",
    ]
    variant = rng.randrange(4)
    if variant == 0:
        actor = rng.choice((BOT, f"{c.org(rng)}-ci", "dependabot[bot]"))
        lines += [
            f"remote: Permission to {name}.git denied to {actor}.",
            f"fatal: unable to access 'https://github.com/{name}/': The requested URL returned "
            "error: 403",
        ]
    elif variant == 1:
        lines += [
            "remote: Write access to repository not granted.",
            f"fatal: unable to access 'https://github.com/{name}.git/': The requested URL "
            "returned error: 403",
        ]
    elif variant == 2:
        lines += [
            "remote: Invalid username or password.",
            f"fatal: Authentication failed for 'https://github.com/{name}.git/'",
        ]
    else:
        lines += [
            f"remote: error: GH006: Protected branch update failed for refs/heads/{branch}.",
            "remote: error: Changes must be made through a pull request.",
            f"To https://github.com/{name}.git",
            f" ! [remote rejected] {branch} -> {branch} (protected branch hook declined)",
            f"error: failed to push some refs to 'https://github.com/{name}.git'",
        ]
    return _failure(lines, "Push changes", f"git push origin HEAD:{branch}", 128, "git")


def not_accessible_by_integration(rng: random.Random, eco: str) -> Failure:
    name = c.slug(rng)
    number = rng.randint(1, 3000)
    message = "Resource not accessible by integration"
    variant = rng.randrange(3)
    if variant == 0:
        what = rng.choice(("labels", "comments", "assignees"))
        url = f"https://api.github.com/repos/{name}/issues/{number}/{what}"
        lines = c.octokit_error(rng, message, 403, url)
        lines.insert(
            -4,
            "    headers: { 'x-accepted-github-permissions': 'issues=write; "
            "pull_requests=write' },",
        )
        errors = (f"Unhandled error: HttpError: {message}",)
        return _failure(
            lines,
            "Label PR",
            "actions/github-script@v7",
            None,
            "octokit",
            errors,
        )
    if variant == 1:
        mutation = rng.choice(("addComment", "addLabelsToLabelable", "mergePullRequest"))
        lines = [f"GraphQL: {message} ({mutation})"]
        cmd = rng.choice(
            (
                f"gh pr comment {number} --body-file report.md",
                f"gh pr edit {number} --add-label ready",
                f"gh pr merge {number} --auto",
            )
        )
        return _failure(c.pad(rng, lines, "github"), "Update PR", cmd, 1, "gh")
    action = rng.choice(
        (
            "softprops/action-gh-release@v2",
            "peter-evans/create-pull-request@v6",
            "actions/upload-release-asset@v1",
            "EnricoMi/publish-unit-test-result-action@v2",
        )
    )
    lines = [f"Creating release for tag v{c.version(rng)}...", f"Error: {message}"]
    return _failure(c.pad(rng, lines, "github"), "Publish", action, None, "action", (message,))


def ssh_publickey_denied(rng: random.Random, eco: str) -> Failure:
    name = c.slug(rng)
    denied = rng.choice(
        ("git@github.com: Permission denied (publickey).", "Host key verification failed.")
    )
    tail = [
        "fatal: Could not read from remote repository.",
        "",
        "Please make sure you have the correct access rights",
        "and the repository exists.",
    ]
    if eco == "go" and rng.random() < 0.6:
        mod = f"github.com/{name}"
        cache = f"/home/runner/go/pkg/mod/cache/vcs/{c.hexid(rng, 64)}"
        lines = [
            f"go: downloading {mod} {c.go_version(rng)}",
            f"go: {mod}@{c.go_version(rng)}: invalid version: git ls-remote -q origin in "
            f"{cache}: exit status 128:",
            f"\t{denied}",
        ]
        lines += [f"\t{row}" for row in tail]
        return _failure(lines, "Download modules", "go mod download", 1, "go")
    if rng.random() < 0.3:
        host = f"deploy@{c.ipv4(rng)}"
        lines = [
            f"{host}: Permission denied (publickey).",
            "rsync: connection unexpectedly closed (0 bytes received so far) [sender]",
            f"rsync error: unexplained error (code 255) at io.c({rng.randint(200, 240)}) "
            "[sender=3.2.7]",
        ]
        return _failure(lines, "Deploy", f"rsync -az dist/ {host}:/srv/app/", 255, "rsync")
    sub = rng.choice(("vendor/", "third_party/", "deps/"))
    lines = [
        f"Submodule '{sub}{c.repo(rng)}' (git@github.com:{name}.git) registered for path "
        f"'{sub}{c.repo(rng)}'",
        f"Cloning into '{sub}{c.repo(rng)}'...",
        denied,
        *tail,
    ]
    return _failure(
        lines, "Checkout submodules", "git submodule update --init --recursive", 1, "git-ssh"
    )


def docker_registry_denied(rng: random.Random, eco: str) -> Failure:
    registry = rng.choice(
        (
            "ghcr.io",
            "docker.io",
            f"{rng.randint(10**11, 10**12 - 1)}.dkr.ecr."
            f"{rng.choice(('us-east-1', 'eu-west-1'))}.amazonaws.com",
        )
    )
    image = f"{registry}/{c.slug(rng)}"
    tag = rng.choice(("latest", c.hexid(rng, 7), f"v{c.version(rng)}"))
    variant = rng.randrange(4)
    if variant == 0:
        lines = [f"The push refers to repository [{image}]"]
        lines += [f"{c.hexid(rng, 12)}: Preparing" for _ in range(rng.randint(2, 6))]
        lines.append(
            rng.choice(
                (
                    "denied: requested access to the resource is denied",
                    "unauthorized: authentication required",
                    "denied: permission_denied: write_package",
                    "denied: Your authorization token has expired. Reauthenticate and try again.",
                )
            )
        )
        return _failure(lines, "Push image", f"docker push {image}:{tag}", 1, "docker")
    if variant == 1:
        lines = [
            f"Error response from daemon: pull access denied for {image}, repository does "
            "not exist or may require 'docker login': denied: requested access to the "
            "resource is denied"
        ]
        return _failure(
            c.pad(rng, lines, "shell"), "Pull image", f"docker pull {image}:{tag}", 1, "docker"
        )
    if variant == 2:
        lines = [f"Logging into {registry}..."]
        err = rng.choice(
            (
                f'Error response from daemon: Get "https://{registry}/v2/": denied: denied',
                f"Error response from daemon: login attempt to https://"
                f"{registry}/v2/ failed with status: 401 Unauthorized",
            )
        )
        return _failure(
            c.pad(rng, lines, "shell"),
            "Log in to registry",
            "docker/login-action@v3",
            None,
            "docker-login",
            (err,),
        )
    lines = [
        f"#{rng.randint(12, 20)} exporting to image",
        f"#{rng.randint(12, 20)} pushing layers",
        f"ERROR: failed to solve: failed to push {image}:{tag}: unexpected status "
        f"from POST request to https://{registry}/v2/{image.split('/', 1)[1]}/blobs/uploads/"
        f": {rng.choice(('401 Unauthorized', '403 Forbidden'))}",
    ]
    return _failure(lines, "Build and push", "docker buildx build --push .", 1, "buildkit")


def npm_registry_auth(rng: random.Random, eco: str) -> Failure:
    scope = c.org(rng)
    pkg = f"@{scope}/{c.repo(rng)}"
    enc = pkg.replace("/", "%2f")
    ver = c.version(rng)
    p = rng.choice(("npm ERR!", "npm error"))
    lines = [
        f"npm notice 📦  {pkg}@{ver}",
        "npm notice === Tarball Details ===",
        f"npm notice name:          {pkg}",
        f"npm notice version:       {ver}",
        f"npm notice total files:   {rng.randint(3, 200)}",
    ]
    variant = rng.randrange(4)
    if variant == 0:
        lines += [
            f"{p} code E401",
            f"{p} 401 Unauthorized - PUT https://registry.npmjs.org/{enc} "
            "- unauthenticated: User cannot be authenticated with the token provided.",
        ]
    elif variant == 1:
        lines += [
            f"{p} code ENEEDAUTH",
            f"{p} need auth This command requires you to be logged "
            "in to https://registry.npmjs.org/",
            f"{p} need auth You need to authorize this machine using `npm adduser`",
        ]
    elif variant == 2:
        lines += [
            f"{p} code E403",
            f"{p} 403 403 Forbidden - PUT https://registry.npmjs.org/{enc}"
            f' - You do not have permission to publish "{pkg}". Are you logged in as the '
            "correct user?",
            f"{p} 403 In most cases, you or one of your dependencies are requesting",
            f"{p} 403 a package version that is forbidden by your security policy, or",
            f"{p} 403 on a server you do not have access to.",
        ]
    else:
        lines = [
            f"{p} code E401",
            f'{p} Unable to authenticate, need: Basic realm="GitHub Package Registry"',
        ]
        return _failure(c.pad(rng, lines, "shell"), "Install dependencies", "npm ci", 1, "npm")
    return _failure(lines, "Publish", "npm publish --access public", 1, "npm")


def pypi_upload_forbidden(rng: random.Random, eco: str) -> Failure:
    project = c.repo(rng).replace("-", "_")
    ver = c.version(rng)
    if rng.random() < 0.3:
        lines = ["Showing hash values of files to be uploaded:"]
        for ext in (f"-{ver}.tar.gz", f"-{ver}-py3-none-any.whl"):
            lines += [f"/github/workspace/dist/{project}{ext}", f"SHA256: {c.hexid(rng, 64)}"]
        lines += [
            "Checking for trusted publishing token...",
            "Error: Trusted publishing exchange failure: ",
            "Token request failed: the server refused the request for the following reasons:",
            "",
            "* `invalid-publisher`: valid token, but no corresponding publisher (Publisher "
            "with matching claims was not found)",
        ]
        return _failure(
            lines, "Publish to PyPI", "pypa/gh-action-pypi-publish@release/v1", 1, "pypi-oidc"
        )
    size = rng.randint(10, 900)
    lines = [
        "Uploading distributions to https://upload.pypi.org/legacy/",
        f"Uploading {project}-{ver}-py3-none-any.whl",
        f"100% ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ {size}.0/{size}.0 kB • 00:00 • "
        f"{rng.randint(1, 90)}.{rng.randint(0, 9)} MB/s",
        "WARNING  Error during upload. Retry with the --verbose option for more details.",
        "ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/",
    ]
    lines.append(
        rng.choice(
            (
                "         Invalid or non-existent authentication information. See "
                "https://pypi.org/help/#invalid-auth for more information.",
                f"         The user '{c.org(rng)}-bot' isn't allowed to upload to project '{project}'. "
                "See https://pypi.org/help/#project-name for more information.",
            )
        )
    )
    return _failure(lines, "Publish", "twine upload dist/*", 1, "twine")


def package_publish_forbidden(rng: random.Random, eco: str) -> Failure:
    name = c.repo(rng)
    ver = c.version(rng)
    if eco == "rust":
        wd = c.workdir(rng, name)
        lines = [
            "    Updating crates.io index",
            f"   Packaging {name} v{ver} ({wd})",
            f"   Verifying {name} v{ver} ({wd})",
            f"   Uploading {name} v{ver} ({wd})",
            "error: failed to publish to registry at https://crates.io",
            "",
            "Caused by:",
            "  the remote server responded with an error (status 403 Forbidden): this crate exists "
            "but you don't seem to be an owner. If you believe this is a mistake, perhaps you need "
            "to accept an invitation to be an owner before publishing.",
        ]
        return _failure(lines, "Publish crate", "cargo publish --locked", 101, "cargo")
    if eco == "ruby":
        lines = [
            "  Successfully built RubyGem",
            f"  Name: {name}",
            f"  Version: {ver}",
            f"  File: {name}-{ver}.gem",
            "Pushing gem to https://rubygems.org...",
            rng.choice(
                (
                    "You do not have permission to push to this gem.",
                    "Access Denied. Please sign up for an account at https://rubygems.org",
                    "The API key doesn't have access",
                )
            ),
        ]
        return _failure(lines, "Release gem", f"gem push {name}-{ver}.gem", 1, "gem")
    pkg = c.camel(name.replace("-", "_"))
    source, status = rng.choice(
        (
            (
                "https://www.nuget.org/api/v2/package",
                "403 (The specified API key is invalid, has "
                "expired, or does not have permission to access the specified package.)",
            ),
            (f"https://nuget.pkg.github.com/{c.org(rng)}/index.json", "401 (Unauthorized)"),
        )
    )
    lines = [
        f"Pushing {pkg}.{ver}.nupkg to '{source}'...",
        f"  PUT {source}/",
        f"  {'Forbidden' if status.startswith('403') else 'Unauthorized'} {source}/ "
        f"{rng.randint(90, 900)}ms",
        f"error: Response status code does not indicate success: {status}.",
    ]
    return _failure(lines, "Push package", f"dotnet nuget push out/*.nupkg -s {source}", 1, "nuget")


def maven_repository_unauthorized(rng: random.Random, eco: str) -> Failure:
    owner = c.slug(rng)
    project = owner.split("/")[1]
    grp = f"com.{owner.split('/')[0].replace('-', '')}"
    ver = c.version(rng)
    repo_url = rng.choice(
        (
            f"https://maven.pkg.github.com/{owner}",
            f"https://nexus.{owner.split('/')[0]}.dev/repository/releases",
        )
    )
    code, phrase = rng.choice(((401, "Unauthorized"), (403, "Forbidden")))
    if rng.random() < 0.5:
        lines = [
            f"[INFO] --- deploy:3.1.1:deploy (default-deploy) @ {project} ---",
            f"Uploading to github: {repo_url}/{grp.replace('.', '/')}/{project}/{ver}/"
            f"{project}-{ver}.jar",
            "[INFO] BUILD FAILURE",
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:3.1.1"
            f":deploy (default-deploy) on project {project}: Failed to deploy artifacts: "
            f"Could not transfer artifact {grp}:{project}:jar:{ver} from/to github "
            f"({repo_url}): status code: {code}, reason phrase: {phrase} ({code}) -> [Help 1]",
        ]
        return _failure(lines, "Publish", "mvn -B deploy", 1, "maven")
    url = f"{repo_url}/{grp.replace('.', '/')}/{project}/{ver}/{project}-{ver}.pom"
    lines = [
        "> Task :publishMavenPublicationToGitHubPackagesRepository FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':publishMavenPublicationToGitHubPackagesRepository'.",
        "> Failed to publish publication 'maven' to repository 'GitHubPackages'",
        f"   > Could not PUT '{url}'. Received status code {code} from server: {phrase}",
    ]
    return _failure(lines, "Publish", "./gradlew publish", 1, "gradle")


_AWS_TOKEN_ERRORS: tuple[tuple[str, str, str, str], ...] = (
    (
        "ExpiredToken",
        "AssumeRole",
        "The security token included in the request is expired",
        "aws sts assume-role --role-arn $ROLE_ARN --role-session-name ci",
    ),
    (
        "InvalidClientTokenId",
        "GetCallerIdentity",
        "The security token included in the request is invalid.",
        "aws sts get-caller-identity",
    ),
)
_AWS_ACTIONS: tuple[tuple[str, str], ...] = (
    (
        "lambda:UpdateFunctionCode",
        "aws lambda update-function-code --function-name {app} --zip-file fileb://dist/{app}.zip",
    ),
    (
        "ecs:UpdateService",
        "aws ecs update-service --cluster prod --service {app} --force-new-deployment",
    ),
    (
        "cloudformation:CreateChangeSet",
        "aws cloudformation deploy --stack-name {app} --template-file template.yml",
    ),
)


def aws_access_denied(rng: random.Random, eco: str) -> Failure:
    account = rng.randint(10**11, 10**12 - 1)
    role = rng.choice(("gha-deploy", "ci-publisher", "github-actions"))
    app = c.repo(rng)
    lines = c.preamble(rng, "deploy")
    variant = rng.randrange(4)
    if variant == 0:
        bucket = f"{c.org(rng)}-{rng.choice(('artifacts', 'static', 'releases'))}"
        lines.append(
            f"upload failed: dist/{app}.zip to s3://{bucket}/{app}.zip An error occurred "
            "(AccessDenied) when calling the PutObject operation: Access Denied"
        )
        return _failure(lines, "Upload", f"aws s3 cp dist/{app}.zip s3://{bucket}/", 1, "aws")
    if variant == 1:
        code, op, text, cmd = rng.choice(_AWS_TOKEN_ERRORS)
        lines += ["", f"An error occurred ({code}) when calling the {op} operation: {text}"]
        return _failure(lines, "Check identity", cmd, 254, "aws")
    if variant == 2:
        action, template = rng.choice(_AWS_ACTIONS)
        service, verb = action.split(":")
        lines += [
            "",
            f"An error occurred (AccessDeniedException) when calling the {verb} "
            f"operation: User: arn:aws:sts::{account}:assumed-role/{role}/GitHubActions is "
            f"not authorized to perform: {action} on resource: arn:aws:{service}:us-east-1:"
            f"{account}:{app} because no identity-based policy allows the {action} action",
        ]
        return _failure(lines, "Deploy", template.format(app=app), 254, "aws")
    lines.append(f"Assuming role arn:aws:iam::{account}:role/{role} with OIDC")
    err = "Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity"
    action_ref = "aws-actions/configure-aws-credentials@v4"
    return _failure(lines, "Configure AWS credentials", action_ref, None, "aws-oidc", (err,))


def cloud_iam_denied(rng: random.Random, eco: str) -> Failure:
    project = f"{c.org(rng)}-{rng.choice(('prod', 'staging'))}"
    app = c.repo(rng)
    sa = f"ci-deployer@{project}.iam.gserviceaccount.com"
    variant = rng.randrange(3)
    if variant == 0:
        perm = rng.choice(("run.services.get", "run.services.update", "iam.serviceAccounts.actAs"))
        lines = [
            f"Deploying container to Cloud Run service [{app}] in project [{project}]",
            f"ERROR: (gcloud.run.deploy) PERMISSION_DENIED: Permission '{perm}' denied on "
            f"resource 'namespaces/{project}/services/{app}' (or resource may not exist).",
        ]
        return _failure(
            c.pad(rng, lines, "deploy"), "Deploy", f"gcloud run deploy {app}", 1, "gcloud"
        )
    if variant == 1:
        lines = [
            f"Copying file://dist/{app}.tar.gz [Content-Type=application/x-tar]...",
            f"AccessDeniedException: 403 {sa} does not have storage.objects.create access "
            "to the Google Cloud Storage object. Permission 'storage.objects.create' denied "
            "on resource (or it may not exist).",
        ]
        return _failure(
            c.pad(rng, lines, "deploy"),
            "Upload",
            f"gsutil cp dist/{app}.tar.gz gs://{project}/",
            1,
            "gsutil",
        )
    ns = rng.choice(("prod", "staging", "default"))
    lines = [
        rng.choice(
            (
                f'Error from server (Forbidden): deployments.apps "{app}" is forbidden: User '
                f'"system:serviceaccount:ci:deployer" cannot patch resource "deployments" in API group '
                f'"apps" in the namespace "{ns}"',
                "error: You must be logged in to the server (Unauthorized)",
            )
        )
    ]
    return _failure(
        c.pad(rng, lines, "deploy"), "Deploy", f"kubectl -n {ns} apply -f k8s/", 1, "kubectl"
    )


def git_dubious_ownership(rng: random.Random, eco: str) -> Failure:
    name = c.repo(rng)
    wd = rng.choice((f"/__w/{name}/{name}", "/github/workspace", f"/src/{name}"))
    msg = [
        f"fatal: detected dubious ownership in repository at '{wd}'",
        "To add an exception for this directory, call:",
        "",
        f"\tgit config --global --add safe.directory {wd}",
    ]
    if rng.random() < 0.4:
        return _failure(msg, "Compute version", "git describe --tags --always", 128, "git")
    lines = [f"Running {rng.choice(('changelog', 'version bump', 'release notes'))} in {wd}"]
    lines += msg
    lines.append("Error: Command failed: git rev-parse HEAD")
    return _failure(lines, "Prepare release", "npx semantic-release", 1, "git")


def filesystem_eacces(rng: random.Random, eco: str) -> Failure:
    pkg = c.package(rng, eco)
    if eco == "node":
        path = f"/usr/local/lib/node_modules/{pkg}"
        lines = [
            "npm ERR! code EACCES",
            "npm ERR! syscall mkdir",
            f"npm ERR! path {path}",
            "npm ERR! errno -13",
            f"npm ERR! Error: EACCES: permission denied, mkdir '{path}'",
            f"npm ERR!  [Error: EACCES: permission denied, mkdir '{path}'] {{",
            "npm ERR!   errno: -13,",
            "npm ERR!   code: 'EACCES',",
        ]
        return _failure(lines, "Install CLI", f"npm install -g {pkg}", 243, "npm")
    if eco == "python":
        site = f"/usr/local/lib/python3.{rng.randint(9, 12)}/site-packages/{pkg}"
        lines = [
            f"Installing collected packages: {pkg}",
            f"ERROR: Could not install packages due to an OSError: [Errno 13] Permission "
            f"denied: '{site}'",
            "Consider using the `--user` option or check the permissions.",
            "",
        ]
        return _failure(lines, "Install", f"pip install {pkg}", 1, "pip")
    if eco == "ruby":
        lines = [
            "ERROR:  While executing gem ... (Gem::FilePermissionError)",
            "    You don't have write permissions for the /var/lib/gems/3.0.0 directory.",
        ]
        return _failure(
            c.pad(rng, lines, "shell"), "Install bundler", "gem install bundler", 1, "gem"
        )
    if eco == "go":
        lines = ["go: could not create module cache: mkdir /go/pkg/mod: permission denied"]
        return _failure(c.pad(rng, lines, "shell"), "Download modules", "go mod download", 1, "go")
    lib = f"lib{rng.choice(c.MODULES)}.so"
    lines = [
        "Install the project...",
        '-- Install configuration: "Release"',
        "CMake Error at cmake_install.cmake:46 (file):",
        "  file INSTALL cannot copy file",
        f'  "{c.workdir(rng, c.repo(rng))}/build/{lib}" to "/usr/local/lib/{lib}":',
        "  Permission denied.",
    ]
    return _failure(lines, "Install", "cmake --install build", 1, "cmake")


def exec_or_sudo_denied(rng: random.Random, eco: str) -> Failure:
    temp = c.temp_script(rng)
    if rng.random() < 0.5 or (eco == "java" and rng.random() < 0.5):
        script = (
            "./gradlew"
            if eco == "java"
            else rng.choice(("./scripts/deploy.sh", "./ci/run-tests.sh", "./build.sh"))
        )
        lines = [f"{temp}: line 1: {script}: Permission denied"]
        return _failure(c.pad(rng, lines, "shell"), "Build", f"{script} build", 126, "shell")
    lines = [
        "sudo: a terminal is required to read the password; either use the -S option "
        "to read from standard input or configure an askpass helper",
        "sudo: a password is required",
    ]
    return _failure(
        c.pad(rng, lines, "shell"),
        "Install system packages",
        "sudo apt-get install -y jq",
        1,
        "sudo",
    )


FAMILIES: list[Family] = [
    _family("github-bad-credentials", c.ALL_ECOSYSTEMS, github_bad_credentials),
    _family("git-push-denied", c.ALL_ECOSYSTEMS, git_push_denied),
    _family("not-accessible-by-integration", c.ALL_ECOSYSTEMS, not_accessible_by_integration),
    _family("ssh-publickey-denied", c.ALL_ECOSYSTEMS, ssh_publickey_denied),
    _family("docker-registry-denied", ("docker",), docker_registry_denied),
    _family("npm-registry-auth", ("node",), npm_registry_auth),
    _family("pypi-upload-forbidden", ("python",), pypi_upload_forbidden),
    _family("package-publish-forbidden", ("rust", "ruby", "dotnet"), package_publish_forbidden),
    _family("maven-repository-unauthorized", ("java",), maven_repository_unauthorized),
    _family("aws-access-denied", c.ALL_ECOSYSTEMS, aws_access_denied),
    _family("cloud-iam-denied", c.ALL_ECOSYSTEMS, cloud_iam_denied),
    _family("git-dubious-ownership", c.ALL_ECOSYSTEMS, git_dubious_ownership),
    _family("filesystem-eacces", ("node", "python", "ruby", "go", "cpp"), filesystem_eacces),
    _family("exec-or-sudo-denied", c.ALL_ECOSYSTEMS, exec_or_sudo_denied),
]
