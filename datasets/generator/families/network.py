"""Families of ``network``: a transient network failure talking to some host.

Labelling rules: a failure to *reach* a host (DNS, connect, reset, TLS handshake timeout, read
timeout, a 502/503/504 from a gateway) is ``network`` even when the tool then reports it as an
unresolvable dependency (pip ``No matching distribution found`` after connection retries, Maven
``Could not resolve dependencies`` caused by ``Connect timed out``). Connection-level time-outs
(``ETIMEDOUT``, curl 28, ``Read timed out``) are ``network``; a job, step or test *time limit* is
``timeout``. Certificate verification failures are left out: they usually come from a proxy or
CA configuration, not from a transient fault. A 429 belongs to ``rate_limit``.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c

LABEL = "network"


_failure = partial(c.failure, LABEL)
_family = partial(c.family, LABEL)


def curl_transfer_error(rng: random.Random, eco: str) -> Failure:
    host = rng.choice(c.TOOL_HOSTS)
    ms = rng.randint(20_000, 135_000)
    got = rng.randint(1000, 9_000_000)
    code, text = rng.choice(
        (
            (6, f"Could not resolve host: {host}"),
            (7, f"Failed to connect to {host} port 443 after {ms} ms: Connection timed out"),
            (7, f"Failed to connect to {host} port 443 after {ms} ms: Couldn't connect to server"),
            (56, "Recv failure: Connection reset by peer"),
            (35, f"OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to {host}:443 "),
            (
                28,
                f"Operation timed out after {ms} milliseconds with {got} out of "
                f"{got * rng.randint(2, 9)} bytes received",
            ),
            (22, f"The requested URL returned error: {rng.choice((502, 503, 504))}"),
            (92, "HTTP/2 stream 1 was not closed cleanly: INTERNAL_ERROR (err 2)"),
        )
    )
    tool = rng.choice(("helm", "terraform", "protoc", "kubectl", "golangci-lint", "sccache"))
    lines = [
        f"Installing {tool} {c.version(rng)}",
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current",
        "                                 Dload  Upload   Total   Spent    Left  Speed",
        f"  0     0    0     0    0     0      0      0 --:--:--  0:00:{rng.randint(10, 59)} "
        "--:--:--     0",
        f"curl: ({code}) {text}",
    ]
    cmd = f"curl -fsSL https://{host}/{tool}/{tool}-linux-amd64.tar.gz -o /tmp/{tool}.tgz"
    return _failure(c.pad(rng, lines, "shell"), "Install tools", cmd, code, "curl")


def git_remote_unreachable(rng: random.Random, eco: str) -> Failure:
    name = c.slug(rng)
    url = f"https://github.com/{name}"
    reason = rng.choice(
        (
            "Could not resolve host: github.com",
            f"The requested URL returned error: {rng.choice((502, 503, 504))}",
            "gnutls_handshake() failed: The TLS connection was non-properly terminated.",
            f"Failed to connect to github.com port 443 after {rng.randint(20_000, 135_000)} ms: "
            "Connection timed out",
            "Recv failure: Connection reset by peer",
        )
    )
    if rng.random() < 0.3:
        lines = [
            "error: RPC failed; curl 56 GnuTLS recv error (-54): Error in the pull function.",
            f"error: {rng.randint(1000, 90000)} bytes of body are still expected",
            "fetch-pack: unexpected disconnect while reading sideband packet",
            "fatal: early EOF",
            "fatal: fetch-pack: invalid index-pack output",
        ]
    else:
        lines = [f"fatal: unable to access '{url}.git/': {reason}"]
    if rng.random() < 0.5:
        retried: list[str] = []
        for _ in range(2):
            retried += lines
            retried += [
                "The process '/usr/bin/git' failed with exit code 128",
                f"Waiting {rng.randint(10, 20)} seconds before trying again",
            ]
        header = [
            "Fetching the repository",
            f"/usr/bin/git -c protocol.version=2 fetch "
            "--no-tags --prune --no-recurse-submodules --depth=1 origin "
            f"+{c.hexid(rng, 40)}:refs/remotes/origin/main",
        ]
        errors = ("The process '/usr/bin/git' failed with exit code 128",)
        return _failure(
            header + retried + lines, "Checkout", "actions/checkout@v4", None, "git", errors
        )
    cmd = rng.choice(
        (
            "git fetch --prune --unshallow",
            f"git clone --depth 1 {url}.git",
            "git submodule update --init --recursive",
        )
    )
    return _failure(c.pad(rng, lines, "shell"), "Fetch sources", cmd, 128, "git")


def npm_network_error(rng: random.Random, eco: str) -> Failure:
    pkg = c.package(rng, "node")
    code, syscall, reason = c.npm_reason(rng)
    prefix = rng.choice(("npm ERR!", "npm error"))
    lines = [
        f"{prefix} code {code}",
        f"{prefix} syscall {syscall}",
        f"{prefix} errno {code}",
        f"{prefix} network request to https://registry.npmjs.org/{pkg.replace('/', '%2f')} "
        f"failed, reason: {reason}",
        f"{prefix} network This is a problem related to network connectivity.",
        f"{prefix} network In most cases you are behind a proxy or have bad network settings.",
        f"{prefix} network",
        f"{prefix} network If you are behind a proxy, please make sure that the",
        f"{prefix} network 'proxy' config is set properly.  See: 'npm help config'",
    ]
    return _failure(lines, "Install dependencies", "npm ci", 1, "npm")


def yarn_pnpm_fetch_failure(rng: random.Random, eco: str) -> Failure:
    pkg = c.package(rng, "node")
    ver = c.version(rng)
    reason = rng.choice(
        (
            "ESOCKETTIMEDOUT",
            "read ECONNRESET",
            "socket hang up",
            "getaddrinfo ENOTFOUND registry.yarnpkg.com",
        )
    )
    if rng.random() < 0.5:
        lines = ["[1/4] Resolving packages...", "[2/4] Fetching packages..."]
        lines += [
            "info There appears to be trouble with your network connection. Retrying..."
        ] * rng.randint(1, 4)
        lines += [
            f'error An unexpected error occurred: "https://registry.yarnpkg.com/{pkg}/-/'
            f'{pkg.split("/")[-1]}-{ver}.tgz: {reason}".',
            "info Visit https://yarnpkg.com/en/docs/cli/install for documentation about "
            "this command.",
        ]
        return _failure(lines, "Install dependencies", "yarn install --frozen-lockfile", 1, "yarn")
    url = f"https://registry.npmjs.org/{pkg.replace('/', '%2F')}"
    code, _, reason = c.npm_reason(rng)
    lines = [
        f"Progress: resolved {rng.randint(50, 900)}, reused {rng.randint(0, 50)}, "
        f"downloaded {rng.randint(10, 400)}, added 0"
    ]
    for left in (2, 1):
        lines.append(
            f" WARN  GET {url} error ({code}). Will retry in "
            f"{10 if left == 2 else 60} seconds. {left} retries left."
        )
    lines.append(f" ERR_PNPM_META_FETCH_FAIL  GET {url}: request to {url} failed, reason: {reason}")
    return _failure(lines, "Install dependencies", "pnpm install --frozen-lockfile", 1, "pnpm")


def pip_connection_retries(rng: random.Random, eco: str) -> Failure:
    names = rng.sample(c.PACKAGES["python"], 2)
    lines: list[str] = []
    if rng.random() < 0.5:
        # A blip on one package that recovers, before the one that does not.
        lines += [
            f"Collecting {names[0]}",
            "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, "
            f"status=None)) after connection broken by '{c.pip_cause(rng, 'pypi.org')}': "
            f"/simple/{names[0]}/",
            f"  Downloading {names[0]}-{c.version(rng)}-py3-none-any.whl "
            f"({rng.randint(20, 900)} kB)",
        ]
    target = f"{names[1]}=={c.version(rng)}"
    lines.append(f"Collecting {target}")
    if rng.random() < 0.6:
        cause = c.pip_cause(rng, "pypi.org")
        for left in range(4, -1, -1):
            lines.append(
                f"WARNING: Retrying (Retry(total={left}, connect=None, read=None, "
                f"redirect=None, status=None)) after connection broken by '{cause}': "
                f"/simple/{names[1]}/"
            )
        lines += [
            f"ERROR: Could not find a version that satisfies the requirement {target} "
            "(from versions: none)",
            f"ERROR: No matching distribution found for {target}",
        ]
    else:
        size = rng.randint(80, 900)
        site = (
            f"/opt/hostedtoolcache/Python/3.11.{rng.randint(1, 9)}/x64/lib/python3.11/site-packages"
        )
        lines += [
            f"  Downloading {names[1]}-{c.version(rng)}-cp311-cp311-manylinux_2_17_x86_64"
            f".whl ({size}.{rng.randint(0, 9)} MB)",
            f"     {'━' * 14}{' ' * 26} {rng.randint(1, size - 1)}.0/{size}.0 MB "
            f"{rng.randint(1, 40)}.2 MB/s eta 0:00:{rng.randint(10, 59)}",
            "ERROR: Exception:",
            "Traceback (most recent call last):",
            f'  File "{site}/pip/_vendor/urllib3/response.py", line 438, in _error_catcher',
            "    yield",
            f'  File "{site}/pip/_vendor/urllib3/response.py", line 561, in read',
            '    data = self._fp_read(amt) if not fp_closed else b""',
        ]
        lines.append(
            rng.choice(
                (
                    "pip._vendor.urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host="
                    "'files.pythonhosted.org', port=443): Read timed out.",
                    'pip._vendor.urllib3.exceptions.ProtocolError: ("Connection broken: '
                    "ConnectionResetError(104, 'Connection reset by peer')\", ConnectionResetError(104, "
                    "'Connection reset by peer'))",
                )
            )
        )
    return _failure(
        lines, "Install dependencies", c.command(rng, c.INSTALL_COMMANDS, "python"), 1, "pip"
    )


def maven_transfer_failed(rng: random.Random, eco: str) -> Failure:
    coords = c.package(rng, "java")
    ver = c.version(rng)
    group, artifact = coords.split(":")
    project = c.repo(rng)
    grp = c.org(rng).replace("-", "")
    lines = ["[INFO] Scanning for projects...", *c.downloads(rng, "java", rng.randint(1, 6))]
    reason = c.java_reason(rng, "repo.maven.apache.org")
    lines.append(
        f"[ERROR] Failed to execute goal on project {project}: Could not resolve dependencies for "
        f"project com.{grp}:{project}:jar:1.0.0-SNAPSHOT: Failed to collect dependencies at "
        f"{coords}:jar:{ver}: Could not transfer artifact {group}:{artifact}:pom:{ver} from/to "
        "central "
        f"(https://repo.maven.apache.org/maven2): {reason} -> [Help 1]"
    )
    lines += [
        "[ERROR] ",
        "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
    ]
    return _failure(lines, "Build with Maven", "mvn -B package", 1, "maven")


def gradle_resource_failure(rng: random.Random, eco: str) -> Failure:
    if rng.random() < 0.3:
        ver = f"8.{rng.randint(0, 10)}"
        lines = [
            f"Downloading https://services.gradle.org/distributions/gradle-{ver}-bin.zip",
            "." * rng.randint(5, 60) + f"{rng.randint(1, 9)}0%" + "." * rng.randint(0, 20),
            'Exception in thread "main" '
            + rng.choice(
                (
                    "java.net.SocketException: Connection reset",
                    "java.net.SocketTimeoutException: Read timed out",
                    "java.net.UnknownHostException: services.gradle.org",
                )
            ),
            "\tat org.gradle.wrapper.Download.downloadInternal(Download.java:110)",
            "\tat org.gradle.wrapper.WrapperExecutor.execute(WrapperExecutor.java:180)",
        ]
        return _failure(lines, "Build", "./gradlew build", 1, "gradle-wrapper")
    coords = c.package(rng, "java")
    ver = c.version(rng)
    group, artifact = coords.split(":")
    host = rng.choice(("repo.maven.apache.org", "plugins.gradle.org", "dl.google.com"))
    url = f"https://{host}/maven2/{group.replace('.', '/')}/{artifact}/{ver}/{artifact}-{ver}.pom"
    mod = rng.choice(("app", "core", "service"))
    reason = c.java_reason(rng, host)
    if reason.startswith("status code"):
        reason = f"Received status code {reason.split()[2].rstrip(',')} from server: " + (
            "Bad Gateway" if "502" in reason else "Service Unavailable"
        )
    lines = [
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        f"Execution failed for task ':{mod}:compileJava'.",
        f"> Could not resolve all files for configuration ':{mod}:compileClasspath'.",
        f"   > Could not resolve {coords}:{ver}.",
        "     Required by:",
        f"         project :{mod}",
        f"      > Could not resolve {coords}:{ver}.",
        f"         > Could not get resource '{url}'.",
        f"            > Could not GET '{url}'.",
        f"               > {reason}",
        "",
        f"BUILD FAILED in {rng.randint(10, 300)}s",
    ]
    return _failure(lines, "Build", "./gradlew build", 1, "gradle")


def go_proxy_failure(rng: random.Random, eco: str) -> Failure:
    mod = c.package(rng, "go")
    ver = c.go_version(rng)
    host = rng.choice(("proxy.golang.org", "proxy.golang.org", "sum.golang.org"))
    ip = f"142.250.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    reason = rng.choice(
        (
            f"dial tcp: lookup {host} on 127.0.0.53:53: read udp 127.0.0.1:{rng.randint(30000, 60000)}"
            "->127.0.0.53:53: i/o timeout",
            f"dial tcp {ip}:443: i/o timeout",
            "net/http: TLS handshake timeout",
            f"read tcp {c.local_port(rng)}->{ip}:443: read: connection reset by peer",
            f"dial tcp: lookup {host} on 127.0.0.53:53: server misbehaving",
        )
    )
    lines = c.downloads(rng, "go", rng.randint(1, 10))
    if host == "sum.golang.org":
        lines.append(
            f"verifying {mod}@{ver}/go.mod: {mod}@{ver}/go.mod: Get "
            f'"https://sum.golang.org/lookup/{mod}@{ver}": {reason}'
        )
    else:
        lines.append(
            f'go: {mod}@{ver}: Get "https://proxy.golang.org/{mod}/@v/{ver}.zip": {reason}'
        )
    return _failure(lines, "Download modules", c.command(rng, c.INSTALL_COMMANDS, "go"), 1, "go")


def cargo_download_failed(rng: random.Random, eco: str) -> Failure:
    crate = c.package(rng, "rust")
    ver = c.version(rng)
    ms = rng.randint(30_000, 31_000)
    reason = rng.choice(
        (
            f"[28] Timeout was reached (Operation timed out after {ms} milliseconds with 0 out of 0 "
            "bytes received)",
            "[6] Couldn't resolve host name (Could not resolve host: index.crates.io)",
            "[35] SSL connect error (OpenSSL SSL_connect: Connection reset by peer in connection to "
            "static.crates.io:443 )",
            "[56] Failure when receiving data from the peer (Recv failure: Connection reset by peer)",
            "[7] Couldn't connect to server (Failed to connect to static.crates.io port 443 after "
            f"{rng.randint(100, 9000)} ms: Couldn't connect to server)",
        )
    )
    lines = ["    Updating crates.io index", " Downloading crates ..."]
    lines += c.downloads(rng, "rust", rng.randint(1, 8))
    for left in (3, 2, 1)[: rng.randint(0, 3)]:
        lines.append(f"warning: spurious network error ({left} tries remaining): {reason}")
    if rng.random() < 0.5:
        lines += [
            f"error: failed to download from `https://static.crates.io/crates/{crate}/"
            f"{ver}/download`",
            "",
            "Caused by:",
            f"  {reason}",
        ]
    else:
        name = c.repo(rng)
        lines += [
            f"error: failed to get `{crate}` as a dependency of package `{name} v0.1.0 "
            f"({c.workdir(rng, name)})`",
            "",
            "Caused by:",
            f"  download of {c.crate_index_path(crate)} failed",
            "",
            "Caused by:",
            f"  failed to download from `https://index.crates.io/{c.crate_index_path(crate)}`",
            "",
            "Caused by:",
            f"  {reason}",
        ]
    return _failure(lines, "Build", c.command(rng, c.INSTALL_COMMANDS, "rust"), 101, "cargo")


def docker_registry_connection(rng: random.Random, eco: str) -> Failure:
    name, tag = rng.choice(c.HUB_IMAGES)
    ip = c.ipv4(rng)
    reason = rng.choice(
        (
            "net/http: TLS handshake timeout",
            "dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving",
            f"read tcp {c.local_port(rng)}->{ip}:443: read: connection reset by peer",
            f"dial tcp {ip}:443: i/o timeout",
        )
    )
    manifest = f"https://registry-1.docker.io/v2/library/{name}/manifests/{tag}"
    if rng.random() < 0.5:
        ref = f"docker.io/library/{name}:{tag}"
        lines = [
            f"#2 [internal] load metadata for {ref}",
            f'#2 ERROR: failed to do request: Head "{manifest}": {reason}',
            "------",
            f" > [internal] load metadata for {ref}:",
            "------",
            f"ERROR: failed to solve: {name}:{tag}: failed to resolve source metadata for "
            f'{ref}: failed to do request: Head "{manifest}": {reason}',
        ]
        return _failure(lines, "Build image", "docker build -t app:ci .", 1, "buildkit")
    lines = [f"{tag}: Pulling from library/{name}"]
    layers = [c.hexid(rng, 12) for _ in range(rng.randint(2, 6))]
    lines += [f"{layer}: Pulling fs layer" for layer in layers]
    lines += [f"{layer}: Download complete" for layer in layers[: rng.randint(0, len(layers))]]
    lines.append(
        rng.choice(
            (
                f"error pulling image configuration: download failed after attempts=6: {reason}",
                'Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: request '
                "canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
                f'Error response from daemon: Head "{manifest}": received unexpected HTTP status: 503 '
                "Service Unavailable",
            )
        )
    )
    return _failure(lines, "Pull image", f"docker pull {name}:{tag}", 1, "docker")


def apt_fetch_failure(rng: random.Random, eco: str) -> Failure:
    host = rng.choice(c.APT_HOSTS)
    ip = c.ipv4(rng)
    deb = rng.choice(("libssl-dev", "libpq-dev", "cmake", "ninja-build", "libcurl4-openssl-dev"))
    ver = f"{c.version(rng)}-{rng.randint(1, 9)}ubuntu{rng.randint(1, 5)}"
    reason = rng.choice(
        (
            f"Temporary failure resolving '{host}'",
            f"Could not connect to {host}:80 ({ip}), connection timed out",
            f"Connection failed [IP: {ip} 80]",
            f"503  Service Unavailable [IP: {ip} 80]",
            f"Unable to connect to {host}:http: [IP: {ip} 80]",
        )
    )
    lines = [
        f"Hit:{n} http://{host}/ubuntu jammy{suffix} InRelease"
        for n, suffix in enumerate(("", "-updates", "-backports")[: rng.randint(1, 3)], 1)
    ]
    lines += [
        "Reading package lists...",
        "Building dependency tree...",
        "Reading state information...",
        "The following NEW packages will be installed:",
        f"  {deb}",
    ]
    lines += c.downloads(rng, "cpp", rng.randint(0, 4))
    lines += [
        f"Err:{rng.randint(2, 40)} http://{host}/ubuntu jammy-updates/main amd64 {deb} amd64 {ver}",
        f"  {reason}",
        f"E: Failed to fetch http://{host}/ubuntu/pool/main/{deb[0]}/{deb}/{deb}_{ver}_amd64"
        f".deb  {reason}",
        "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?",
    ]
    return _failure(lines, "Install system packages", f"sudo apt-get install -y {deb}", 100, "apt")


def nuget_service_index(rng: random.Random, eco: str) -> Failure:
    name = c.repo(rng)
    wd = c.workdir(rng, name)
    proj = f"{wd}/src/{c.camel(name.replace('-', '_'))}.csproj"
    pkg = c.package(rng, "dotnet")
    ver = c.version(rng)
    lines = ["  Determining projects to restore..."]
    if rng.random() < 0.5:
        tests = proj.replace(".csproj", ".Tests.csproj").replace("/src/", "/tests/")
        for path in (proj, tests):
            lines.append(
                f"{path} : error NU1301: Unable to load the service index for source "
                f"https://api.nuget.org/v3/index.json. [{wd}/{name}.sln]"
            )
    else:
        flat = (
            f"https://api.nuget.org/v3-flatcontainer/{pkg.lower()}/{ver}/{pkg.lower()}.{ver}.nupkg"
        )
        lines += [
            f"  Failed to download package '{pkg}.{ver}' from '{flat}'.",
            "  An error occurred while sending the request.",
            rng.choice(
                (
                    "  The SSL connection could not be established, see inner exception.",
                    "  The download timed out because no data was received for 60000ms.",
                    "  Name or service not known (api.nuget.org:443)",
                    "  Unable to read data from the transport connection: Connection reset by "
                    "peer.",
                )
            ),
            f"{proj} : error NU1301: Failed to retrieve information about '{pkg}' from "
            f"remote source 'https://api.nuget.org/v3-flatcontainer/{pkg.lower()}/index.json'"
            f". [{wd}/{name}.sln]",
        ]
    return _failure(lines, "Restore", c.command(rng, c.INSTALL_COMMANDS, "dotnet"), 1, "nuget")


def bundler_fetch_failure(rng: random.Random, eco: str) -> Failure:
    host = rng.choice(("rubygems.org", "index.rubygems.org"))
    cause = rng.choice(
        (
            f"Net::OpenTimeout: Failed to open TCP connection to {host}:443 (execution expired)",
            "Errno::ECONNRESET: Connection reset by peer - SSL_connect",
            f"SocketError: Failed to open TCP connection to {host}:443 (getaddrinfo: Temporary "
            "failure in name resolution)",
            "Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>",
        )
    )
    what = f"<{cause} (https://{host}/specs.4.8.gz)>"
    lines = [f"Fetching gem metadata from https://{host}/"]
    for attempt in range(2, rng.randint(3, 5)):
        lines.append(
            f"Retrying fetcher due to error ({attempt}/4): Bundler::HTTPError Could not "
            f"fetch specs from https://{host}/ due to underlying error {what}"
        )
    lines.append(f"Could not fetch specs from https://{host}/ due to underlying error {what}")
    return _failure(
        lines, "Install gems", c.command(rng, c.INSTALL_COMMANDS, "ruby"), 17, "bundler"
    )


def script_http_error(rng: random.Random, eco: str) -> Failure:
    host = c.service_host(rng)
    wd = c.workdir(rng, c.repo(rng))
    script = rng.choice(("upload_docs", "sync_fixtures", "notify_release", "publish_report"))
    if eco == "node":
        cause = rng.choice(
            (
                [
                    f"  [cause]: ConnectTimeoutError: Connect Timeout Error (attempted address: {host}:443,"
                    " timeout: 10000ms)",
                    "      at onConnectTimeout (node:internal/deps/undici/undici:6869:28)",
                    "    code: 'UND_ERR_CONNECT_TIMEOUT'",
                ],
                [
                    f"  [cause]: Error: getaddrinfo EAI_AGAIN {host}",
                    "      at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:118:26) {",
                    "    errno: -3001,",
                    "    code: 'EAI_AGAIN',",
                    "    syscall: 'getaddrinfo',",
                    f"    hostname: '{host}'",
                ],
                [
                    "  [cause]: SocketError: other side closed",
                    "      at TLSSocket.onSocketEnd (node:internal/deps/undici/undici:8903:26)",
                    "    code: 'UND_ERR_SOCKET'",
                ],
            )
        )
        lines = [
            "node:internal/deps/undici/undici:12502",
            "    Error.captureStackTrace(err, this);",
            "          ^",
            "",
            "TypeError: fetch failed",
            "    at node:internal/deps/undici/undici:12502:13",
            f"    at async main (file://{wd}/scripts/{script}.mjs:{rng.randint(10, 80)}:17) {{",
            *cause,
            "  }",
            "}",
            "",
            f"Node.js v{rng.choice(('18.19.1', '20.11.1', '22.3.0'))}",
        ]
        return _failure(lines, "Publish", f"node scripts/{script}.mjs", 1, "node-fetch")
    path = rng.choice(("/v1/upload", "/api/reports", "/ingest"))
    final = rng.choice(
        (
            "requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote "
            "end closed connection without response'))",
            f"requests.exceptions.ConnectionError: HTTPSConnectionPool(host='{host}', port=443): Max "
            f'retries exceeded with url: {path} (Caused by NameResolutionError("<urllib3.connection.'
            f"HTTPSConnection object at 0x7f{c.hexid(rng, 10)}>: Failed to resolve '{host}' ([Errno -3]"
            ' Temporary failure in name resolution)"))',
            f"requests.exceptions.HTTPError: {rng.choice(('502 Server Error: Bad Gateway', '503 Server Error: Service Unavailable', '504 Server Error: Gateway Timeout'))}"
            f" for url: https://{host}{path}",
        )
    )
    lines = [
        "Traceback (most recent call last):",
        f'  File "{wd}/scripts/{script}.py", line {rng.randint(20, 200)}, in <module>',
        "    main()",
        f'  File "{wd}/scripts/{script}.py", line {rng.randint(5, 19)}, in main',
        f'    resp = session.post(f"https://{{HOST}}{path}", files=files, timeout=30)',
        final,
    ]
    return _failure(lines, "Publish", f"python scripts/{script}.py", 1, "requests")


FAMILIES: list[Family] = [
    _family("curl-transfer-error", c.ALL_ECOSYSTEMS, curl_transfer_error),
    _family("git-remote-unreachable", c.ALL_ECOSYSTEMS, git_remote_unreachable),
    _family("npm-network-error", ("node",), npm_network_error),
    _family("yarn-pnpm-fetch-failure", ("node",), yarn_pnpm_fetch_failure),
    _family("pip-connection-retries", ("python",), pip_connection_retries),
    _family("maven-transfer-failed", ("java",), maven_transfer_failed),
    _family("gradle-resource-failure", ("java",), gradle_resource_failure),
    _family("go-proxy-failure", ("go",), go_proxy_failure),
    _family("cargo-download-failed", ("rust",), cargo_download_failed),
    _family("docker-registry-connection", ("docker",), docker_registry_connection),
    _family("apt-fetch-failure", ("cpp", "docker", "python", "ruby"), apt_fetch_failure),
    _family("nuget-service-index", ("dotnet",), nuget_service_index),
    _family("bundler-fetch-failure", ("ruby",), bundler_fetch_failure),
    _family("script-http-error", ("python", "node"), script_http_error),
]
