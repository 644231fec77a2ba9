"""More families of ``network``: other package managers, infrastructure tools and wrappers that
fail to reach a host.

Same rules as ``network.py``: failing to *reach* a host (DNS, connect, reset, TLS handshake
time-out, a 502/503/504 from a gateway) is ``network`` however the tool words it afterwards,
including when a wrapper (pre-commit, Ansible) re-reports it. A 429 belongs to ``rate_limit``.
Tools outside the nine ecosystems run on the closest runner set-up: PHP/Composer and
Elixir/Hex in their container images (``docker``), Swift/CocoaPods on the clang toolchain
(``cpp``), Dart/Flutter and Scala/sbt on ``java``.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c
from . import _common_b2 as c2

LABEL = "network"

_failure = partial(c2.failure, LABEL)
_family = partial(c2.family, LABEL)


def composer_download_failed(rng: random.Random, eco: str) -> Failure:
    """Composer (PHP), run in the ``composer`` container image (``docker``)."""
    pkg = rng.choice(c2.PHP_PACKAGES)
    ms = rng.randint(10000, 30005)
    reason = rng.choice(
        (
            f"curl error 28 while downloading https://repo.packagist.org/p2/{pkg}.json: "
            f"Operation timed out after {ms} milliseconds with 0 bytes received",
            "curl error 6 while downloading https://repo.packagist.org/packages.json: "
            "Could not resolve host: repo.packagist.org",
            f"curl error 56 while downloading https://repo.packagist.org/p2/{pkg}.json: "
            "OpenSSL SSL_read: Connection reset by peer, errno 104",
            f'The "https://repo.packagist.org/p2/{pkg}.json" file could not be downloaded: '
            "failed to open stream: Connection timed out",
        )
    )
    lines = ["Loading composer repositories with package information"]
    if rng.random() < 0.5:
        lines += [
            "Installing dependencies from lock file (including require-dev)",
            f"Package operations: {rng.randint(20, 120)} installs, 0 updates, 0 removals",
            f"  - Downloading {pkg} ({c.version(rng)})",
        ]
    lines += [
        "",
        "In CurlDownloader.php line " + str(rng.randint(300, 700)) + ":",
        "",
        f"  {reason}  ",
        "",
    ]
    lines.append(
        "install [--prefer-source] [--prefer-dist] [--prefer-install PREFER-INSTALL] [--dry-run] "
        "[--download-only] [--dev] [--no-dev] [--no-autoloader] [--no-progress] [--] [<packages>...]"
    )
    return _failure(
        lines, "Install PHP dependencies", "composer install --no-interaction", 1, "composer"
    )


def hex_fetch_failed(rng: random.Random, eco: str) -> Failure:
    """Elixir's Mix and Hex, in the ``elixir`` container image (``docker``)."""
    pkg = rng.choice(c2.HEX_PACKAGES)
    reason = rng.choice((":etimedout", ":nxdomain", ":econnrefused", ":timeout"))
    host = rng.choice(("repo.hex.pm", "builds.hex.pm"))
    failed = (
        f'{{:failed_connect, [{{:to_address, {{~c"{host}", 443}}}}, {{:inet, [:inet], {reason}}}]}}'
    )
    if rng.random() < 0.5:
        lines = ["Resolving Hex dependencies..."]
        lines += [
            f"Failed to fetch record for 'hexpm/{pkg}' from registry (using cache instead)",
            failed,
        ]
        lines.append(f"** (Mix) httpc request failed with: {failed}")
        return _failure(lines, "Install dependencies", "mix deps.get", 1, "hex")
    lines = [
        f"* Getting {pkg} (Hex package)",
        f"Request failed ({failed})",
        f"** (Mix) Package fetch failed and no cached copy available (https://repo.hex.pm/tarballs/{pkg}-{c.version(rng)}.tar)",
    ]
    return _failure(c.pad(rng, lines, "shell"), "Install dependencies", "mix deps.get", 1, "hex")


def apple_deps_fetch_failed(rng: random.Random, eco: str) -> Failure:
    """SwiftPM, xcodebuild and CocoaPods on a macOS runner (clang toolchain, ``cpp``)."""
    pkg = rng.choice(c2.SWIFT_PACKAGES)
    org = rng.choice(("apple", "Alamofire", "SnapKit", c.org(rng)))
    variant = rng.randrange(3)
    if variant == 0:
        lines = [
            f"Fetching https://github.com/{org}/{pkg}.git",
            f"error: Failed to clone repository https://github.com/{org}/{pkg}.git:",
            f"    Cloning into bare repository '/Users/runner/Library/Caches/org.swift.swiftpm/"
            f"repositories/{pkg}-{c.hexid(rng, 8)}'...",
            "    "
            + rng.choice(
                (
                    "error: RPC failed; curl 92 HTTP/2 stream 0 was not closed cleanly: CANCEL (err 8)",
                    "fatal: unable to access 'https://github.com/"
                    f"{org}/{pkg}.git/': LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to github.com:443 ",
                    "error: RPC failed; curl 56 Recv failure: Connection reset by peer",
                )
            ),
        ]
        return _failure(lines, "Resolve packages", "swift package resolve", 1, "swiftpm")
    if variant == 1:
        lines = [
            "Command line invocation:",
            "    /Applications/Xcode_15.4.app/Contents/Developer/usr/bin/xcodebuild -resolvePackageDependencies",
            "",
            "Resolve Package Graph",
            "xcodebuild: error: Could not resolve package dependencies:",
            f"  Failed to clone repository https://github.com/{org}/{pkg}.git:",
            "    "
            + rng.choice(
                (
                    "The network connection was lost.",
                    "The request timed out.",
                    "A server with the specified hostname could not be found.",
                )
            ),
        ]
        return _failure(
            lines, "Resolve packages", "xcodebuild -resolvePackageDependencies", 74, "xcodebuild"
        )
    pod = rng.choice(("Firebase", "GoogleUtilities", "Alamofire", "SDWebImage"))
    response = rng.choice(
        ("Timeout was reached", "Couldn't connect to server", "SSL connect error")
    )
    lines = [
        "Analyzing dependencies",
        f"[!] CDN: trunk URL couldn't be downloaded: https://cdn.cocoapods.org/Specs/"
        f"{c.hexid(rng, 1)}/{c.hexid(rng, 1)}/{c.hexid(rng, 1)}/{pod}/{c.version(rng)}/{pod}.podspec.json "
        f"Response: {response}",
    ]
    return _failure(
        c.pad(rng, lines, "shell"), "Install pods", "pod install --repo-update", 1, "cocoapods"
    )


def dart_pub_get_failed(rng: random.Random, eco: str) -> Failure:
    """``dart pub get`` / ``flutter pub get`` (Flutter sets up Java for Android: ``java``)."""
    pkg = rng.choice(c2.DART_PACKAGES)
    lines = ["Resolving dependencies..."]
    for attempt in range(1, rng.randint(2, 5)):
        lines.append(
            f"pub get failed (server unavailable) -- attempting retry {attempt} in {2 ** (attempt - 1)} second{'s' if attempt > 1 else ''}..."
        )
    lines.append(
        rng.choice(
            (
                f"Got socket error trying to find package {pkg} at https://pub.dev.",
                "SocketException: Failed host lookup: 'pub.dev' (OS Error: No address associated "
                "with hostname, errno = 7)",
                f"Connection closed before full header was received, uri = https://pub.dev/api/packages/{pkg}",
                "HandshakeException: Connection terminated during handshake",
            )
        )
    )
    if rng.random() < 0.5:
        lines.append("Failed to update packages.")
    return _failure(
        lines, "Get packages", rng.choice(("flutter pub get", "dart pub get")), 69, "pub"
    )


def terraform_helm_unreachable(rng: random.Random, eco: str) -> Failure:
    """Terraform providers and Helm chart repositories (language-independent)."""
    if rng.random() < 0.5:
        provider = rng.choice(c2.TERRAFORM_PROVIDERS)
        reason = rng.choice(
            (
                "net/http: request canceled while waiting for connection (Client.Timeout exceeded "
                "while awaiting headers)",
                "dial tcp: lookup registry.terraform.io on 127.0.0.53:53: server misbehaving",
                f"read tcp {c.local_port(rng)}->{c.ipv4(rng)}:443: read: connection reset by peer",
            )
        )
        lines = [
            "Initializing the backend...",
            "Initializing provider plugins...",
            f'- Finding {provider} versions matching "~> {rng.randint(2, 5)}.0"...',
            "╷",
            "│ Error: Failed to query available provider packages",
            "│ ",
            f"│ Could not retrieve the list of available versions for provider {provider}: "
            "could not connect to registry.terraform.io: failed to request discovery document: "
            f'Get "https://registry.terraform.io/.well-known/terraform.json": {reason}',
            "╵",
        ]
        return _failure(lines, "Terraform init", "terraform init -input=false", 1, "terraform")
    repo_name, url = rng.choice(
        (
            ("bitnami", "https://charts.bitnami.com/bitnami"),
            ("jetstack", "https://charts.jetstack.io"),
            ("prometheus-community", "https://prometheus-community.github.io/helm-charts"),
        )
    )
    host = url.split("/")[2]
    reason = rng.choice(
        (
            f"dial tcp: lookup {host} on 127.0.0.53:53: i/o timeout",
            f"dial tcp {c.ipv4(rng)}:443: connect: connection refused",
            "net/http: TLS handshake timeout",
        )
    )
    lines = [
        f'Error: looks like "{url}" is not a valid chart repository or cannot be reached: '
        f'Get "{url}/index.yaml": {reason}'
    ]
    return _failure(
        c.pad(rng, lines, "deploy"),
        "Add chart repos",
        f"helm repo add {repo_name} {url}",
        1,
        "helm",
    )


def sbt_coursier_download(rng: random.Random, eco: str) -> Failure:
    """sbt resolving through Coursier (``java``)."""
    coords = c.package(rng, "java")
    group, artifact = coords.split(":")
    ver = c.version(rng)
    url = f"https://repo1.maven.org/maven2/{group.replace('.', '/')}/{artifact}/{ver}/{artifact}-{ver}.jar"
    exc = rng.choice(
        (
            "java.net.SocketTimeoutException (Read timed out)",
            "java.net.UnknownHostException (repo1.maven.org)",
            "java.net.SocketException (Connection reset)",
            "javax.net.ssl.SSLHandshakeException (Remote host terminated the handshake)",
        )
    )
    lines = [
        "[info] welcome to sbt 1.9.9 (Eclipse Adoptium Java 17.0.10)",
        f"[info] loading project definition from {c.workdir(rng, c.repo(rng))}/project",
        "[info] Updating ",
        f"[info] Fetching artifacts of {c.repo(rng)}_2.13",
        "[error] lmcoursier.internal.shaded.coursier.error.FetchError$DownloadingArtifacts: "
        "Error fetching artifacts:",
        f"[error] {url}: download error: Caught {exc} while downloading {url}",
        "[error] (update) lmcoursier.internal.shaded.coursier.error.FetchError$DownloadingArtifacts: "
        "Error fetching artifacts:",
        f"[error] {url}: download error: Caught {exc} while downloading {url}",
        f"[error] Total time: {rng.randint(5, 200)} s, completed Mar {rng.randint(1, 28)}, 2026",
    ]
    return _failure(
        lines, "Compile", rng.choice(("sbt compile", "sbt update", "sbt +test")), 1, "sbt"
    )


def powershell_webrequest_failed(rng: random.Random, eco: str) -> Failure:
    """Downloads from a PowerShell step on a Windows runner."""
    host = rng.choice(c.TOOL_HOSTS)
    tool = rng.choice(("nasm", "wix", "protoc", "ninja", "sqlite"))
    url = f"https://{host}/{tool}/{tool}-win64.zip"
    out = f"{c2.win_workdir(c.repo(rng))}\\tools\\{tool}.zip"
    message = rng.choice(
        (
            f"No such host is known. ({host}:443)",
            "Unable to connect to the remote server",
            "The response ended prematurely.",
            "The operation has timed out.",
            "An error occurred while sending the request. Unable to read data from the "
            "transport connection: An existing connection was forcibly closed by the remote host.",
        )
    )
    lines = [f"Downloading {tool} from {url}"]
    lines += c2.powershell_error(
        rng,
        "Invoke-WebRequest",
        f'Invoke-WebRequest -Uri "{url}" -OutFile "{out}"',
        message,
        "InvalidOperation: (Method: GET, Reques\u2026PowerShell/7.4.1):HttpRequestMessage) "
        "[Invoke-WebRequest], HttpRequestException",
        "WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand",
    )
    return _failure(lines, "Install tools (Windows)", f".\\ci\\install-{tool}.ps1", 1, "pwsh")


def bazel_fetch_failed(rng: random.Random, eco: str) -> Failure:
    name, ver = rng.choice(
        (
            ("rules_python", f"0.{rng.randint(20, 35)}.0"),
            ("rules_go", f"v0.{rng.randint(40, 48)}.0"),
            ("bazel_skylib", f"1.{rng.randint(3, 7)}.0"),
            ("rules_jvm_external", f"{rng.randint(5, 6)}.{rng.randint(0, 3)}"),
            ("com_google_protobuf", f"2{rng.randint(3, 7)}.{rng.randint(0, 4)}"),
        )
    )
    url = f"https://github.com/bazelbuild/{name}/releases/download/{ver}/{name}-{ver}.tar.gz"
    base = f"/home/runner/.cache/bazel/_bazel_runner/{c.hexid(rng, 32)}/external/{name}"
    reason = rng.choice(
        ("Connect timed out", "Read timed out", "Unknown host: github.com", "connection reset")
    )
    lines = [
        f"INFO: Repository {name} instantiated at:",
        f"  {c.workdir(rng, c.repo(rng))}/WORKSPACE:{rng.randint(5, 80)}:13: in <toplevel>",
        f"WARNING: Download from {url} failed: class java.net.SocketTimeoutException {reason}",
        f"ERROR: An error occurred during the fetch of repository '{name}':",
        "   Traceback (most recent call last):",
        '\tFile "/virtual_builtin_bzl/repo/http.bzl", line 132, column 45, in _http_archive_impl',
        "\t\tdownload_info = ctx.download_and_extract(",
        f"Error in download_and_extract: java.io.IOException: Error downloading [{url}] to "
        f"{base}/temp{rng.randint(10**15, 10**16)}/{name}-{ver}.tar.gz: {reason}",
        f"ERROR: no such package '@@{name}//': java.io.IOException: Error downloading [{url}] to "
        f"{base}/temp{rng.randint(10**15, 10**16)}/{name}-{ver}.tar.gz: {reason}",
        "INFO: Elapsed time: " + f"{rng.randint(30, 200)}.{rng.randint(100, 999)}s",
        "FAILED: Build did NOT complete successfully (0 packages loaded)",
    ]
    return _failure(lines, "Build", "bazel build //...", 1, "bazel")


def precommit_network(rng: random.Random, eco: str) -> Failure:
    """pre-commit cloning a hook repository and re-reporting git's network error."""
    hook = rng.choice(
        (
            "https://github.com/psf/black",
            "https://github.com/astral-sh/ruff-pre-commit",
            "https://github.com/pre-commit/pre-commit-hooks",
            "https://github.com/pre-commit/mirrors-prettier",
        )
    )
    reason = rng.choice(
        (
            "Could not resolve host: github.com",
            "Failed to connect to github.com port 443 after 130912 ms: Connection timed out",
            "gnutls_handshake() failed: Error in the pull function.",
            "The requested URL returned error: 502",
        )
    )
    lines = [
        f"[INFO] Initializing environment for {hook}.",
        "An unexpected error has occurred: CalledProcessError: command: "
        "('/usr/bin/git', 'fetch', 'origin', '--tags')",
        "return code: 128",
        "stdout: (none)",
        "stderr:",
        f"    fatal: unable to access '{hook}/': {reason}",
        "    ",
        "Check the log at /home/runner/.cache/pre-commit/pre-commit.log",
    ]
    return _failure(
        lines, "Lint", "pre-commit run --all-files --show-diff-on-failure", 3, "pre-commit"
    )


def ansible_ssh_unreachable(rng: random.Random, eco: str) -> Failure:
    """A deploy over SSH: the play recap comes after the per-host errors."""
    hosts = [f"{rng.choice(('web', 'app', 'worker'))}-{n}" for n in range(1, rng.randint(2, 4))]
    ip = f"10.{rng.randint(0, 9)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"
    reason = rng.choice(
        (
            f"ssh: connect to host {ip} port 22: Connection timed out",
            f"kex_exchange_identification: read: Connection reset by peer\\r\\nConnection reset by {ip} port 22",
            f"ssh: connect to host {ip} port 22: No route to host",
            f"ssh: Could not resolve hostname {hosts[0]}.internal: Temporary failure in name resolution",
        )
    )
    if rng.random() < 0.3:
        lines = [reason.split("\\r\\n")[-1], "lost connection"]
        return _failure(
            c.pad(rng, lines, "deploy"), "Deploy", f"scp -r dist/ deploy@{ip}:/srv/app", 255, "ssh"
        )
    lines = ["", "PLAY [deploy] " + "*" * 60, "", "TASK [Gathering Facts] " + "*" * 51]
    lines.append(
        f'fatal: [{hosts[0]}]: UNREACHABLE! => {{"changed": false, "msg": "Failed to connect to '
        f'the host via ssh: {reason}", "unreachable": true}}'
    )
    lines += [f"ok: [{h}]" for h in hosts[1:]]
    lines += ["", "PLAY RECAP " + "*" * 63]
    lines.append(f"{hosts[0]:<26}: ok=0    changed=0    unreachable=1    failed=0    skipped=0")
    lines += [
        f"{h:<26}: ok={rng.randint(1, 9)}    changed=0    unreachable=0    failed=0    skipped=0"
        for h in hosts[1:]
    ]
    return _failure(lines, "Deploy", "ansible-playbook -i inventory/prod deploy.yml", 4, "ansible")


def terse_network_paste(rng: random.Random, eco: str) -> Failure:
    """Two to four lines as people paste them: the error and the frame or command around it."""
    host = c.service_host(rng)
    ip = c.ipv4(rng)
    variant = rng.randrange(4)
    if variant == 0:
        lines = [
            f"Error: getaddrinfo ENOTFOUND {host}",
            "    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)",
        ]
    elif variant == 1:
        lines = [
            "Error: read ECONNRESET",
            "    at TLSWrap.onStreamRead (node:internal/stream_base_commons:217:20)",
        ]
    elif variant == 2:
        lines = [
            f'Post "https://{host}/v1/events": dial tcp: lookup {host}: no such host',
            "exit status 1",
        ]
    else:
        lines = [
            f"wget: unable to resolve host address '{host}'"
            if rng.random() < 0.5
            else f"Connecting to {host} ({host})|{ip}|:443... failed: Connection timed out.",
            "Retrying.",
        ]
    if rng.random() < 0.4:
        lines.insert(
            0, f"$ {rng.choice(('node scripts/notify.js', 'go run ./cmd/publish', './upload.sh'))}"
        )
    return _failure(
        lines, "Notify", rng.choice(("make notify", "npm run notify", "./upload.sh")), 1, "terse"
    )


FAMILIES: list[Family] = [
    _family("composer-download-failed", ("docker",), composer_download_failed),
    _family("hex-fetch-failed", ("docker",), hex_fetch_failed),
    _family("apple-deps-fetch-failed", ("cpp",), apple_deps_fetch_failed),
    _family("dart-pub-get-failed", ("java",), dart_pub_get_failed),
    _family("terraform-helm-unreachable", c.ALL_ECOSYSTEMS, terraform_helm_unreachable),
    _family("sbt-coursier-download", ("java",), sbt_coursier_download),
    _family("powershell-webrequest-failed", c2.WINDOWS_ECOSYSTEMS, powershell_webrequest_failed),
    _family("bazel-fetch-failed", ("cpp", "java", "go", "python"), bazel_fetch_failed),
    _family("precommit-network", ("python", "node", "go", "rust"), precommit_network),
    _family("ansible-ssh-unreachable", c.ALL_ECOSYSTEMS, ansible_ssh_unreachable),
    _family("terse-network-paste", c.ALL_ECOSYSTEMS, terse_network_paste),
]
