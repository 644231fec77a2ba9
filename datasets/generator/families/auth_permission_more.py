"""More families of ``auth_permission``: other clouds, secret stores, databases, signing and
registries refusing the credentials given, and Windows file-system refusals.

Same rules as ``auth_permission.py``: a refusal that says who is refused or what right is
missing is here; a refusal about request quotas is ``rate_limit``. A wrong keystore or
database password is a wrong credential. Tools outside the nine ecosystems run on the closest
runner set-up: PHP/Composer and Elixir/Hex in their container images (``docker``),
Android/Gradle and Scala/sbt on ``java``, Xcode/CocoaPods on the clang toolchain (``cpp``).
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c
from . import _common_b2 as c2

LABEL = "auth_permission"

_failure = partial(c2.failure, LABEL)
_family = partial(c2.family, LABEL)


def composer_auth_required(rng: random.Random, eco: str) -> Failure:
    """Composer fetching a private package (``docker``, composer image)."""
    owner = c.org(rng)
    pkg = f"{owner}/{c.repo(rng)}"
    ver = c.version(rng)
    variant = rng.randrange(3)
    if variant == 0:
        lines = [
            f"Package operations: {rng.randint(5, 90)} installs, 0 updates, 0 removals",
            f"  - Downloading {pkg} ({ver})",
            f"    Failed to download {pkg} from dist: The 'https://api.github.com/repos/{pkg}/"
            f"zipball/{c.hexid(rng, 40)}' URL required authentication (HTTP 401).",
            "You must be using the interactive console to authenticate",
            "    Now trying to download from source",
            f"  - Syncing {pkg} ({ver}) into cache",
            "",
            "In Git.php line " + str(rng.randint(400, 500)) + ":",
            "",
            f"  Failed to execute git clone --mirror -- 'git@github.com:{pkg}.git' '/tmp/cache/vcs/"
            f"git-github.com-{pkg.replace('/', '-')}.git/'",
        ]
    elif variant == 1:
        lines = [
            "Loading composer repositories with package information",
            f"Invalid credentials for 'https://repo.packagist.com/{owner}/packages.json', aborting.",
        ]
    else:
        lines = [
            "Loading composer repositories with package information",
            "",
            "In AuthHelper.php line 133:",
            "",
            f"  The 'https://{owner}.repo.repman.io/packages.json' URL required authentication "
            "(HTTP 401).",
            "  You must be using the interactive console to authenticate",
        ]
    return _failure(
        lines, "Install PHP dependencies", "composer install --no-interaction", 1, "composer"
    )


def azure_login_failed(rng: random.Random, eco: str) -> Failure:
    """The Azure CLI and ``azure/login`` (language-independent)."""
    app_id = c2.uuid(rng)
    sub = c2.uuid(rng)
    trace = c2.uuid(rng)
    variant = rng.randrange(3)
    if variant == 0:
        code, text = rng.choice(
            (
                (
                    "AADSTS7000215",
                    "Invalid client secret provided. Ensure the secret being sent in the request is "
                    f"the client secret value, not the client secret ID, for a secret added to app '{app_id}'.",
                ),
                (
                    "AADSTS700016",
                    f"Application with identifier '{app_id}' was not found in the directory "
                    f"'{c.org(rng)}'.",
                ),
                (
                    "AADSTS70021",
                    "No matching federated identity record found for presented assertion. Assertion "
                    f"Issuer: 'https://token.actions.githubusercontent.com'. Assertion Subject: "
                    f"'repo:{c.slug(rng)}:ref:refs/heads/main'.",
                ),
            )
        )
        lines = [
            "Running Azure CLI Login.",
            f"ERROR: {code}: {text} Trace ID: {trace} Correlation ID: {c2.uuid(rng)} "
            f"Timestamp: 2026-03-1{rng.randint(0, 9)} 0{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}Z",
        ]
        return _failure(
            lines,
            "Azure login",
            "azure/login@v2",
            None,
            "azure-login",
            (
                "Login failed with Error: The process '/usr/bin/az' failed with exit code 1. "
                "Double check if the 'auth-type' is correct. Refer to https://github.com/Azure/login#readme for more information.",
            ),
        )
    app = c.repo(rng)
    action = rng.choice(
        (
            "Microsoft.Web/sites/write",
            "Microsoft.Resources/deployments/validate/action",
            "Microsoft.ContainerRegistry/registries/push/write",
        )
    )
    lines = [
        f"ERROR: (AuthorizationFailed) The client '{app_id}' with object id '{c2.uuid(rng)}' does "
        f"not have authorization to perform action '{action}' over scope '/subscriptions/{sub}/"
        f"resourceGroups/rg-{app}/providers/{action.rsplit('/', 1)[0]}/{app}' or the scope is "
        "invalid. If access was recently granted, please refresh your credentials.",
        "Code: AuthorizationFailed",
    ]
    if variant == 2:
        lines.append(
            f"Message: The client '{app_id}' with object id does not have authorization to perform action '{action}'."
        )
    return _failure(
        c.pad(rng, lines, "deploy"),
        "Deploy",
        f"az webapp deploy -g rg-{app} -n {app} --src-path dist.zip",
        1,
        "azure-cli",
    )


def terraform_backend_credentials(rng: random.Random, eco: str) -> Failure:
    """Terraform backends and providers refusing credentials (language-independent)."""
    variant = rng.randrange(3)
    org = c.org(rng)
    head = [f"Terraform v1.{rng.randint(5, 9)}.{rng.randint(0, 9)} on linux_amd64"]
    if rng.random() < 0.5:
        head.append(f"Workspace: {org}-{rng.choice(('prod', 'staging', 'dev'))}")
    if variant == 0:
        lines = [
            "Initializing HCP Terraform...",
            "╷",
            "│ Error: Required token could not be found",
            "│ ",
            "│ Run the following command to generate a token for app.terraform.io:",
            "│     terraform login",
            "╵",
        ]
    elif variant == 1:
        sa = f"terraform@{org}-infra.iam.gserviceaccount.com"
        lines = [
            "Initializing the backend...",
            "╷",
            "│ Error: Failed to get existing workspaces: querying Cloud Storage failed: googleapi: "
            f"Error 403: {sa} does not have storage.objects.list access to the Google Cloud "
            "Storage bucket. Permission 'storage.objects.list' denied on resource (or it may not "
            "exist)., forbidden",
            "╵",
        ]
    else:
        lines = [
            "Initializing provider plugins...",
            "╷",
            "│ Error: No valid credential sources found",
            "│ ",
            '│   with provider["registry.terraform.io/hashicorp/aws"],',
            f'│   on providers.tf line {rng.randint(1, 30)}, in provider "aws":',
            f'│   {rng.randint(1, 30)}: provider "aws" {{',
            "│ ",
            "│ Please see https://registry.terraform.io/providers/hashicorp/aws",
            "│ for more information about providing credentials.",
            "│ ",
            "│ Error: failed to refresh cached credentials, no EC2 IMDS role found, operation "
            "error ec2imds: GetMetadata, request canceled, context deadline exceeded",
            "╵",
        ]
    cmd = rng.choice(("terraform init -input=false", "terraform plan -out tfplan"))
    return _failure(head + lines, "Terraform", cmd, 1, "terraform")


def vault_permission_denied(rng: random.Random, eco: str) -> Failure:
    """HashiCorp Vault, from its CLI or ``hashicorp/vault-action`` (language-independent)."""
    host = f"vault.{c.org(rng)}.io"
    path = f"secret/data/ci/{rng.choice(('deploy', 'registry', 'signing', c.repo(rng)))}"
    if rng.random() < 0.5:
        lines = [
            f"Error reading {path}: Error making API request.",
            "",
            f"URL: GET https://{host}/v1/{path}",
            "Code: 403. Errors:",
            "",
            "* permission denied",
        ]
        if rng.random() < 0.5:
            lines[-1:] = ["* 1 error occurred:", "\t* permission denied"]
        return _failure(
            c.pad(rng, lines, "deploy"),
            "Fetch secrets",
            f"vault kv get -format=json {path}",
            2,
            "vault",
        )
    reason = rng.choice(
        (
            "error validating token: invalid audience (aud) claim",
            f'role "{c.repo(rng)}-ci" could not be found',
            'error validating claims: claim "sub" does not match any associated bound claim values',
        )
    )
    lines = [
        "Retrieving Vault Token from v1/auth/jwt/login endpoint",
        f"failed to retrieve vault token. code: ERR_NON_2XX_3XX_RESPONSE, message: Response "
        f'code 400 (Bad Request), vaultResponse: {{"errors":["{reason}"]}}',
    ]
    return _failure(
        lines, "Import secrets", "hashicorp/vault-action@v3", None, "vault-action", (lines[-1],)
    )


def mobile_signing_credentials(rng: random.Random, eco: str) -> Failure:
    """Android keystores (``java``) and App Store Connect / fastlane (Xcode, ``cpp``)."""
    if eco == "java":
        alias = rng.choice(("upload", "release", "key0"))
        lines = [
            "> Task :app:packageRelease FAILED",
            "",
            "FAILURE: Build failed with an exception.",
            "",
            "* What went wrong:",
            "Execution failed for task ':app:packageRelease'.",
            "> A failure occurred while executing com.android.build.gradle.tasks.PackageAndroidArtifact$IncrementalSplitterRunnable",
            f"   > com.android.ide.common.signing.KeytoolException: Failed to read key {alias} from store "
            f'"/home/runner/work/_temp/keystore/{alias}.jks": '
            + rng.choice(
                (
                    "Keystore was tampered with, or password was incorrect",
                    "Get Key failed: Given final block not properly padded. Such issues can arise if a bad key is used during decryption.",
                )
            ),
            "",
            f"BUILD FAILED in {rng.randint(1, 9)}m {rng.randint(0, 59)}s",
        ]
        return _failure(
            lines, "Build release APK", "./gradlew assembleRelease", 1, "android-signing"
        )
    key = c.hexid(rng, 10).upper()
    lines = rng.choice(
        (
            [
                "[!] The request could not be completed because:",
                "\tAuthentication credentials are missing or invalid. - Provide a properly configured "
                "and signed bearer token, and make sure that it has not expired.",
            ],
            [
                f"[{rng.randint(10, 23)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}]: Cloning remote git repo...",
                "[!] Invalid username and password combination. Used 'ci@"
                f"{c.org(rng)}.io' as the username.",
            ],
            [
                'error: exportArchive: No signing certificate "iOS Distribution" found',
                f'Error Domain=IDEProvisioningErrorDomain Code=9 "" UserInfo={{IDEDistributionIssueSeverity=3, '
                f'NSLocalizedDescription=No signing certificate "iOS Distribution" found for team {key}.}}',
            ],
        )
    )
    return _failure(
        c.pad(rng, lines, "deploy"),
        "Upload to TestFlight",
        "bundle exec fastlane beta",
        1,
        "fastlane",
    )


def windows_access_denied(rng: random.Random, eco: str) -> Failure:
    """PowerShell and cmd on a Windows runner refused by the file system or the registry."""
    name = c.repo(rng)
    wd = c2.win_workdir(name)
    variant = rng.randrange(3)
    if variant == 0:
        path = f"{wd}\\{rng.choice(('bin', 'out', 'dist'))}\\{c.camel(rng.choice(c.MODULES))}.dll"
        lines = c2.powershell_error(
            rng,
            "Remove-Item",
            f'Remove-Item -Recurse -Force "{wd}\\out"',
            f"Access to the path '{path}' is denied.",
            f"PermissionDenied: ({path}:FileInfo) [Remove-Item], UnauthorizedAccessException",
            "RemoveFileSystemItemUnAuthorizedAccess,Microsoft.PowerShell.Commands.RemoveItemCommand",
        )
        return _failure(lines, "Clean", "pwsh .\\ci\\clean.ps1", 1, "pwsh")
    if variant == 1:
        key = (
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\PowerShell\\1\\ShellIds\\Microsoft.PowerShell"
        )
        lines = c2.powershell_error(
            rng,
            "Set-ExecutionPolicy",
            "Set-ExecutionPolicy RemoteSigned -Scope LocalMachine",
            f"Access to the registry key '{key}' is denied. To change the execution policy for the "
            'default (LocalMachine) scope, start Windows PowerShell with the "Run as administrator" option.',
            "PermissionDenied: (:) [Set-ExecutionPolicy], UnauthorizedAccessException",
            "System.UnauthorizedAccessException,Microsoft.PowerShell.Commands.SetExecutionPolicyCommand",
        )
        return _failure(lines, "Configure shell", "pwsh .\\ci\\setup.ps1", 1, "pwsh")
    target = rng.choice(("C:\\Program Files\\", "C:\\Windows\\System32\\drivers\\etc\\"))
    lines = [
        f'{wd}> copy /Y tools\\{rng.choice(("hosts", "signtool.exe", "nuget.exe"))} "{target}"',
        "Access is denied.",
        "        0 file(s) copied.",
    ]
    return _failure(lines, "Install tools (Windows)", "cmd /c ci\\install.cmd", 1, "cmd")


def database_auth_failed(rng: random.Random, eco: str) -> Failure:
    """A test database or migration refusing the password it was given."""
    user = rng.choice(("ci", "postgres", "app", "root", "test"))
    host = rng.choice(("localhost", "127.0.0.1", "postgres", "db", "mysql"))
    variant = rng.randrange(3)
    if variant == 0:
        lines = [
            f'psql: error: connection to server at "{host}" ({c.ipv4(rng) if host not in ("localhost", "127.0.0.1") else "127.0.0.1"}), '
            f'port 5432 failed: FATAL:  password authentication failed for user "{user}"'
        ]
        if eco == "python":
            lines = [
                "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "
                f'"{host}" (172.18.0.{rng.randint(2, 9)}), port 5432 failed: FATAL:  password authentication '
                f'failed for user "{user}"',
                "",
                "(Background on this error at: https://sqlalche.me/e/20/e3q8)",
            ]
        return _failure(
            c.pad(rng, lines, "shell"),
            "Migrate database",
            c.command(rng, c.TEST_COMMANDS, eco),
            1,
            "postgres",
        )
    if variant == 1:
        lines = [
            f"ERROR 1045 (28000): Access denied for user '{user}'@'172.18.0.{rng.randint(2, 9)}' "
            f"(using password: {rng.choice(('YES', 'NO'))})"
        ]
        return _failure(
            c.pad(rng, lines, "shell"),
            "Seed database",
            f"mysql -h {host} -u {user} -p$DB_PASSWORD < schema.sql",
            1,
            "mysql",
        )
    lines = [
        "MongoServerError: Authentication failed.",
        "    at Connection.onMessage (node_modules/mongodb/lib/cmap/connection.js:"
        f"{rng.randint(200, 400)}:30)",
        "  ok: 0,",
        "  code: 18,",
        "  codeName: 'AuthenticationFailed',",
    ]
    return _failure(lines, "Integration tests", "npm run test:integration", 1, "mongodb")


def publish_other_registries(rng: random.Random, eco: str) -> Failure:
    """Sonatype via sbt (``java``), Hex (``docker``) and CocoaPods trunk (``cpp``)."""
    name = c.repo(rng)
    ver = c.version(rng)
    if eco == "java":
        grp = f"io.{c.org(rng).replace('-', '')}"
        lines = [
            f"[info] Wrote {c.workdir(rng, name)}/target/scala-2.13/{name}_2.13-{ver}.pom",
            f"[error] java.io.IOException: Access to URL https://s01.oss.sonatype.org/service/local/"
            f"staging/deploy/maven2/{grp.replace('.', '/')}/{name}_2.13/{ver}/{name}_2.13-{ver}.pom "
            "was refused by the server: Unauthorized",
            "[error] (publishSigned) java.io.IOException: Access to URL was refused by the server: Unauthorized",
        ]
        return _failure(lines, "Release", "sbt ci-release", 1, "sbt")
    if eco == "docker":
        lines = [
            "Building " + name.replace("-", "_") + " " + ver,
            "Publishing package to public repository hexpm.",
        ]
        if rng.random() < 0.5:
            lines.append("** (Mix) Invalid API key")
        else:
            lines += [
                "Publishing package failed",
                f"** (Mix) Forbidden: not authorized to publish {name.replace('-', '_')}",
            ]
        return _failure(lines, "Publish", "mix hex.publish --yes", 1, "hex")
    pod = c.camel(name.replace("-", "_"))
    lines = [
        "Updating spec repo `trunk`",
        "Validating podspec",
        f" -> {pod} ({ver})",
        rng.choice(
            (
                "[!] Authentication token is invalid or unverified. Either verify it with the email "
                "that was sent or register a new session.",
                f"[!] You ({c.org(rng)}-ci@example.dev) are not allowed to push new versions for this pod. "
                "The owners of this pod are maintainers@example.dev.",
            )
        ),
    ]
    return _failure(lines, "Publish pod", f"pod trunk push {pod}.podspec", 1, "cocoapods")


def git_lfs_authorization(rng: random.Random, eco: str) -> Failure:
    name = c.slug(rng)
    obj = c.hexid(rng, 64)
    path = rng.choice(("assets/fixtures.bin", "models/tiny.onnx", "data/sample.parquet"))
    lines = ["Fetching LFS objects"]
    if rng.random() < 0.5:
        lines += [
            f"batch response: Authentication required: Authorization error: "
            f"https://github.com/{name}.git/info/lfs/objects/batch",
            "Check that you have proper access to the repository",
            f"error: failed to fetch some objects from 'https://github.com/{name}.git/info/lfs'",
        ]
    else:
        lines += [
            f"Error downloading object: {path} ({obj[:7]}): Smudge error: Error downloading "
            f"{path} ({obj}): batch response: Git credentials for https://github.com/{name}.git "
            "not found.",
            "error: external filter 'git-lfs filter-process' failed",
            f"fatal: {path}: smudge filter lfs failed",
        ]
    return _failure(lines, "Checkout LFS", "git lfs pull", 2, "git-lfs")


def github_token_scope_terse(rng: random.Random, eco: str) -> Failure:
    """Two or three lines: the API's refusal naming the missing right, as pasted."""
    org = c.org(rng)
    message = rng.choice(
        (
            "Must have admin rights to Repository.",
            "Resource protected by organization SAML enforcement. You must grant your Personal "
            "Access token access to this organization.",
            f"Although you appear to have the correct authorization credentials, the `{org}` "
            "organization has enabled OAuth App access restrictions, meaning that data access to "
            "third-parties is limited.",
            "Resource not accessible by personal access token",
            "refusing to allow a GitHub App to create or update workflow "
            "`.github/workflows/ci.yml` without `workflows` permission",
        )
    )
    if message.startswith("refusing"):
        lines = [
            f" ! [remote rejected] HEAD -> {rng.choice(('main', 'update-deps'))} ({message})",
            f"error: failed to push some refs to 'https://github.com/{org}/{c.repo(rng)}'",
        ]
        return _failure(lines, "Push", "git push origin HEAD", 1, "git")
    lines = [
        f"HttpError: {message}",
        f"    at {rng.choice(('/home/runner/work/_actions', 'node_modules'))}/@octokit/request/dist-node/index.js:{rng.randint(80, 130)}:21",
    ]
    if rng.random() < 0.5:
        lines.insert(0, f"Error: {message}")
        lines = lines[:2]
    return _failure(
        lines,
        rng.choice(("Protect branch", "Sync settings", "Update labels")),
        "node scripts/settings.mjs",
        1,
        "octokit",
    )


FAMILIES: list[Family] = [
    _family("composer-auth-required", ("docker",), composer_auth_required),
    _family("azure-login-failed", c.ALL_ECOSYSTEMS, azure_login_failed),
    _family("terraform-backend-credentials", c.ALL_ECOSYSTEMS, terraform_backend_credentials),
    _family("vault-permission-denied", c.ALL_ECOSYSTEMS, vault_permission_denied),
    _family("mobile-signing-credentials", ("java", "cpp"), mobile_signing_credentials),
    _family("windows-access-denied", c2.WINDOWS_ECOSYSTEMS, windows_access_denied),
    _family(
        "database-auth-failed",
        ("python", "node", "java", "ruby", "go", "docker"),
        database_auth_failed,
    ),
    _family("publish-other-registries", ("java", "docker", "cpp"), publish_other_registries),
    _family("git-lfs-authorization", c.ALL_ECOSYSTEMS, git_lfs_authorization),
    _family("github-token-scope-terse", c.ALL_ECOSYSTEMS, github_token_scope_terse),
]
