"""Families of ``rate_limit``: an API or registry refused for too many requests.

Labelling rules: the message decides, not the status code. GitHub answers an exhausted quota
with HTTP 403 (``API rate limit exceeded``, ``secondary rate limit``): that is ``rate_limit``,
not ``auth_permission``. A cloud quota counted per minute (AWS ``ThrottlingException``, Google
``RESOURCE_EXHAUSTED ... per minute``) is a rate limit, not ``resource_exhaustion`` of the runner.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c

LABEL = "rate_limit"
_failure = partial(c.failure, LABEL)
_family = partial(c.family, LABEL)

_GOOD_NEWS = (
    "(But here's the good news: Authenticated requests get a higher rate limit. Check out the "
    "documentation for more details.)"
)


def _quota_subject(rng: random.Random) -> str:
    return rng.choice(
        (
            f"installation ID {rng.randint(10**6, 10**8)}",
            f"user ID {rng.randint(10**5, 10**8)}",
            f"{c.ipv4(rng)}. {_GOOD_NEWS}",
        )
    )


def _request_id(rng: random.Random) -> str:
    return ":".join(c.hexid(rng, n).upper() for n in (4, 5, 6, 7, 8))


def github_api_rate_limit(rng: random.Random, eco: str) -> Failure:
    name = c.slug(rng)
    url = c.github_api_url(rng, name)
    message = f"API rate limit exceeded for {_quota_subject(rng)}"
    variant = rng.randrange(4)
    if variant == 0:
        lines = [f"HTTP 403: {message} ({url})"]
        return _failure(
            c.pad(rng, lines, "github"), "Release notes", "gh release view --json body", 1, "gh"
        )
    if variant == 1:
        lines = c.octokit_error(rng, message, 403, url)
        lines.insert(
            -4,
            "    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': "
            f"'{rng.randint(1_700_000_000, 1_800_000_000)}' }},",
        )
        errors = (f"Unhandled error: HttpError: {message}",)
        return _failure(
            c.pad(rng, lines, "github"),
            "Triage",
            "actions/github-script@v7",
            None,
            "octokit",
            errors,
        )
    if variant == 2:
        script = rng.choice(("changelog.py", "sync_labels.py", "stale.py"))
        lines = [
            "Traceback (most recent call last):",
            f'  File "{c.workdir(rng, c.repo(rng))}/scripts/{script}", line {rng.randint(9, 99)}'
            ", in <module>",
            "    for pr in repo.get_pulls(state='closed'):",
            f'github.GithubException.RateLimitExceededException: 403 {{"message": "{message}", '
            '"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest'
            '-api"}',
        ]
        return _failure(
            c.pad(rng, lines, "github"), "Changelog", f"python scripts/{script}", 1, "pygithub"
        )
    tool = rng.choice(("protoc", "golangci-lint", "hadolint", "shellcheck"))
    lines = [f"Resolving latest {tool} release...", *c.github_json_body(message, 403)]
    lines.append(f"error: could not determine the latest {tool} release")
    cmd = f"./scripts/install-{tool}.sh"
    return _failure(c.pad(rng, lines, "github"), "Install tools", cmd, 1, "curl")


def github_secondary_rate_limit(rng: random.Random, eco: str) -> Failure:
    name = c.slug(rng)
    message = (
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
        "again. If you reach out to GitHub Support for help, please include the request ID "
        f"{_request_id(rng)}."
    )
    created = rng.randint(5, 80)
    lines = [f"Created issue #{rng.randint(100, 9000)}" for _ in range(min(created, 12))]
    if rng.random() < 0.5:
        lines.append(f"HTTP 403: {message} (https://api.github.com/repos/{name}/issues)")
        return _failure(lines, "File issues", "./scripts/file-issues.sh", 1, "gh")
    url = f"https://api.github.com/repos/{name}/issues/{rng.randint(1, 900)}/comments"
    lines.append(
        "SecondaryRateLimit detected for request POST /repos/{owner}/{repo}/issues/"
        "{issue_number}/comments"
    )
    lines += c.octokit_error(rng, message, 403, url)
    lines.insert(-4, f"    headers: {{ 'retry-after': '{rng.choice((60, 120, 300))}' }},")
    return _failure(
        lines,
        "Comment",
        "actions/github-script@v7",
        None,
        "octokit",
        (f"Unhandled error: HttpError: {message}",),
    )


def github_graphql_rate_limited(rng: random.Random, eco: str) -> Failure:
    who = rng.choice(("user ID", "installation ID")) + f" {rng.randint(10**5, 10**8)}"
    verb = rng.choice(("exceeded", "already exceeded"))
    if rng.random() < 0.5:
        lines = [f"GraphQL: API rate limit {verb} for {who}."]
        cmd = rng.choice(
            (
                "gh pr list --state merged --limit 500 --json number,title",
                "gh api graphql --paginate -f query=@query.graphql",
            )
        )
        return _failure(c.pad(rng, lines, "github"), "Collect PRs", cmd, 1, "gh")
    lines = [
        '{"errors":[{"type":"RATE_LIMITED","message":"API rate limit '
        + verb
        + " for "
        + who
        + '."}]}',
        "Error: GraphQL query returned errors: RATE_LIMITED",
    ]
    return _failure(
        c.pad(rng, lines, "github"), "Query project board", "node scripts/board.mjs", 1, "graphql"
    )


_SETUP_ACTIONS: dict[str, tuple[str, str]] = {
    "go": ("actions/setup-go@v5", "go"),
    "node": ("actions/setup-node@v4", "node"),
    "python": ("actions/setup-python@v5", "python"),
    "java": ("gradle/actions/setup-gradle@v3", "gradle"),
    "dotnet": ("actions/setup-dotnet@v4", "dotnet"),
    "ruby": ("ruby/setup-ruby@v1", "ruby"),
    "rust": ("taiki-e/install-action@v2", "cargo-nextest"),
    "cpp": ("arduino/setup-protoc@v3", "protoc"),
}


def setup_tool_rate_limited(rng: random.Random, eco: str) -> Failure:
    action, tool = _SETUP_ACTIONS.get(eco, _SETUP_ACTIONS["go"])
    ver = c.version(rng)
    lines = [f"Attempting to download {ver}...", f"Version {ver} was not found in the local cache"]
    if rng.random() < 0.5:
        lines.insert(0, f"Setup {tool} version spec {ver}")
        err = f"API rate limit exceeded for {c.ipv4(rng)}. {_GOOD_NEWS}"
    else:
        lines.append(f"Failed to download version {ver}: Error: Unexpected HTTP response: 403")
        err = (
            f"Unable to get the list of {tool} releases: API rate limit exceeded for "
            f"installation ID {rng.randint(10**6, 10**8)}."
        )
    return _failure(
        c.pad(rng, lines, "shell"), f"Set up {tool}", action, None, "setup-action", (err,)
    )


def docker_pull_rate_limit(rng: random.Random, eco: str) -> Failure:
    name, tag = rng.choice(c.HUB_IMAGES)
    kind = rng.choice(("", "unauthenticated "))
    msg = (
        f"toomanyrequests: You have reached your {kind}pull rate limit. You may increase the "
        "limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"
    )
    variant = rng.randrange(3)
    if variant == 0:
        lines = [
            f"Unable to find image '{name}:{tag}' locally",
            f"docker: Error response from daemon: {msg}.",
            "See 'docker run --help'.",
        ]
        return _failure(
            c.pad(rng, lines, "shell"),
            "Start database",
            f"docker run -d {name}:{tag}",
            125,
            "docker",
        )
    if variant == 1:
        ref = f"docker.io/library/{name}:{tag}"
        lines = [
            f"#3 [internal] load metadata for {ref}",
            f"#3 ERROR: {msg}",
            "------",
            f" > [internal] load metadata for {ref}:",
            "------",
            f"ERROR: failed to solve: {name}:{tag}: failed to copy: httpReadSeeker: failed open: "
            f"unexpected status code https://registry-1.docker.io/v2/library/{name}/manifests/"
            f"{tag}: 429 Too Many Requests - Server message: {msg}",
        ]
        return _failure(
            c.pad(rng, lines, "shell"), "Build image", "docker build -t app:ci .", 1, "buildkit"
        )
    lines = [f"Pulling {name} ({name}:{tag})...", f"Error response from daemon: {msg}"]
    return _failure(
        c.pad(rng, lines, "shell"), "Start services", "docker compose up -d", 1, "compose"
    )


def pypi_too_many_requests(rng: random.Random, eco: str) -> Failure:
    pkg = c.package(rng, "python")
    lines = c.downloads(rng, "python", rng.randint(1, 8))
    if rng.random() < 0.5:
        path = f"{c.hexid(rng, 2)}/{c.hexid(rng, 2)}/{c.hexid(rng, 60)}"
        lines += [
            f"Collecting {pkg}",
            f"ERROR: HTTP error 429 while getting https://files.pythonhosted.org/packages/"
            f"{path}/{pkg}-{c.version(rng)}-py3-none-any.whl",
            f"ERROR: Could not install requirement {pkg} from https://files.pythonhosted.org"
            f"/packages/{path}/{pkg}-{c.version(rng)}-py3-none-any.whl because of HTTP "
            "error 429 Client Error: Too Many Requests for url",
        ]
        return _failure(lines, "Install dependencies", "pip install -r requirements.txt", 1, "pip")
    lines = [
        f"Resolved {rng.randint(20, 200)} packages in {rng.randint(100, 900)}ms",
        f"error: Failed to fetch: `https://pypi.org/simple/{pkg}/`",
        "  Caused by: HTTP status client error (429 Too Many Requests) for url "
        f"(https://pypi.org/simple/{pkg}/)",
    ]
    return _failure(lines, "Install dependencies", "uv pip install -r requirements.txt", 2, "uv")


def huggingface_hub_429(rng: random.Random, eco: str) -> Failure:
    model = f"{c.org(rng)}/{rng.choice(('tiny-bert', 'mini-lm', 'distil-classifier', 'toy-gpt'))}"
    site = f"/opt/hostedtoolcache/Python/3.11.{rng.randint(1, 9)}/x64/lib/python3.11/site-packages"
    url = f"https://huggingface.co/api/models/{model}/revision/main"
    lines = [
        "Traceback (most recent call last):",
        f'  File "{site}/huggingface_hub/utils/_http.py", line {rng.randint(300, 480)}, in '
        "hf_raise_for_status",
        "    response.raise_for_status()",
        f"requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: {url}",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        f"huggingface_hub.errors.HfHubHTTPError: 429 Client Error: Too Many Requests for url:"
        f" {url}",
    ]
    if rng.random() < 0.5:
        lines.append(
            f"We had to rate limit your IP ({c.ipv4(rng)}). To continue using our "
            "service, create a HF account or login to your existing account, and make "
            "sure you pass a HF_TOKEN if you're using the API."
        )
    return _failure(lines, "Download model", "python scripts/fetch_model.py", 1, "huggingface")


def npm_registry_429(rng: random.Random, eco: str) -> Failure:
    pkg = c.package(rng, "node")
    url = f"https://registry.npmjs.org/{pkg.replace('/', '%2f')}"
    if rng.random() < 0.6:
        p = rng.choice(("npm ERR!", "npm error"))
        lines = [f"{p} code E429", f"{p} 429 Too Many Requests - GET {url}"]
        return _failure(c.pad(rng, lines, "shell"), "Install dependencies", "npm ci", 1, "npm")
    lines = [
        f"Progress: resolved {rng.randint(50, 900)}, reused {rng.randint(0, 50)}, "
        f"downloaded {rng.randint(10, 400)}, added 0",
        f" ERR_PNPM_FETCH_429  GET {url}: Too Many Requests - 429",
    ]
    return _failure(c.pad(rng, lines, "shell"), "Install dependencies", "pnpm install", 1, "pnpm")


def cargo_crates_429(rng: random.Random, eco: str) -> Failure:
    crate = c.package(rng, "rust")
    if rng.random() < 0.5:
        index = f"https://index.crates.io/{c.crate_index_path(crate)}"
        lines = ["    Updating crates.io index"]
        for left in (3, 2, 1):
            lines.append(
                f"warning: spurious network error ({left} tries remaining): failed to "
                f"get successful HTTP response from `{index}`, got 429"
            )
        lines += [
            f"error: failed to get `{crate}` as a dependency of package `{c.repo(rng)} v0.1.0`",
            "",
            "Caused by:",
            f"  failed to get successful HTTP response from `{index}`, got 429",
            "  body:",
            "  Too Many Requests",
        ]
        return _failure(lines, "Build", "cargo build --locked", 101, "cargo")
    name = c.repo(rng)
    lines = [
        f"   Uploading {name} v{c.version(rng)}",
        "error: failed to publish to registry at https://crates.io",
        "",
        "Caused by:",
        "  the remote server responded with an error (status 429 Too Many Requests): You "
        "have published too many new crates in a short period of time. Please try again "
        f"after {rng.choice(('Mon', 'Tue', 'Wed', 'Thu'))}, {rng.randint(1, 28)} "
        f"{rng.choice(('Jan', 'Mar', 'Jun', 'Oct'))} 2025 {rng.randint(10, 23)}:"
        f"{rng.randint(10, 59)}:{rng.randint(10, 59)} GMT or email help@crates.io to have "
        "your limit increased.",
    ]
    return _failure(lines, "Publish crates", "cargo publish -p " + name, 101, "cargo")


def maven_central_429(rng: random.Random, eco: str) -> Failure:
    coords = c.package(rng, "java")
    ver = c.version(rng)
    group, artifact = coords.split(":")
    url = (
        f"https://repo.maven.apache.org/maven2/{group.replace('.', '/')}/{artifact}/{ver}/"
        f"{artifact}-{ver}.pom"
    )
    if rng.random() < 0.5:
        lines = c.downloads(rng, "java", rng.randint(1, 5))
        lines.append(
            f"[ERROR] Failed to execute goal on project {c.repo(rng)}: Could not resolve "
            f"dependencies: Could not transfer artifact {group}:{artifact}:pom:{ver} "
            "from/to central (https://repo.maven.apache.org/maven2): status code: 429, "
            "reason phrase: Too Many Requests (429) -> [Help 1]"
        )
        return _failure(lines, "Build with Maven", "mvn -B verify", 1, "maven")
    lines = [
        "* What went wrong:",
        "Could not resolve all files for configuration ':app:runtimeClasspath'.",
        f"> Could not resolve {coords}:{ver}.",
        f"   > Could not get resource '{url}'.",
        f"      > Could not GET '{url}'. Received status code 429 from server: Too Many Requests",
    ]
    return _failure(lines, "Build", "./gradlew build", 1, "gradle")


def go_proxy_429(rng: random.Random, eco: str) -> Failure:
    mod = c.package(rng, "go")
    ver = c.go_version(rng)
    lines = c.downloads(rng, "go", rng.randint(1, 8))
    if rng.random() < 0.6:
        lines.append(
            f"go: {mod}@{ver}: reading https://proxy.golang.org/{mod}/@v/{ver}.mod: "
            "429 Too Many Requests"
        )
    else:
        lines.append(
            f"verifying {mod}@{ver}: {mod}@{ver}: reading https://sum.golang.org/lookup/"
            f"{mod}@{ver}: 429 Too Many Requests"
        )
    return _failure(c.pad(rng, lines, "shell"), "Download modules", "go mod download", 1, "go")


def nuget_429(rng: random.Random, eco: str) -> Failure:
    pkg = c.package(rng, "dotnet")
    name = c.repo(rng)
    wd = c.workdir(rng, name)
    lines = [
        "  Determining projects to restore...",
        f"  Retrying 'FindPackagesByIdAsync' for source 'https://api.nuget.org/v3-flat"
        f"container/{pkg.lower()}/index.json'.",
        "  Response status code does not indicate success: 429 (Too Many Requests).",
        f"{wd}/src/App/App.csproj : error NU1301: Failed to retrieve information about "
        f"'{pkg}' from remote source 'https://api.nuget.org/v3-flatcontainer/{pkg.lower()}/"
        f"index.json'. [{wd}/{name}.sln]",
    ]
    return _failure(lines, "Restore", "dotnet restore", 1, "nuget")


def rubygems_429(rng: random.Random, eco: str) -> Failure:
    gem = c.package(rng, "ruby")
    ver = c.version(rng)
    bad = f"bad response Too Many Requests 429 (https://rubygems.org/gems/{gem}-{ver}.gem)"
    lines = ["Fetching gem metadata from https://rubygems.org/........."]
    lines += c.downloads(rng, "ruby", rng.randint(1, 6))
    lines += [
        f"Fetching {gem} {ver}",
        f"Retrying download gem from https://rubygems.org/ due to error (2/4): "
        f"Gem::RemoteFetcher::FetchError {bad}",
        f"Bundler::HTTPError: Could not download gem from https://rubygems.org/ due to "
        f"underlying error <{bad}>",
    ]
    return _failure(lines, "Install gems", "bundle install", 17, "bundler")


def cloud_api_throttling(rng: random.Random, eco: str) -> Failure:
    variant = rng.randrange(3)
    if variant == 0:
        op = rng.choice(
            ("DescribeStacks", "UpdateFunctionConfiguration", "PutParameter", "DescribeImages")
        )
        lines = [
            "",
            f"An error occurred (ThrottlingException) when calling the {op} operation "
            f"(reached max retries: {rng.randint(2, 9)}): Rate exceeded",
        ]
        return _failure(c.pad(rng, lines, "deploy"), "Deploy", "./scripts/deploy.sh", 254, "aws")
    if variant == 1:
        project = f"{c.org(rng)}-{rng.choice(('prod', 'ci', 'staging'))}"
        metric = rng.choice(("Read requests", "Write requests", "Queries"))
        lines = [
            f"ERROR: (gcloud.{rng.choice(('run.deploy', 'builds.submit'))}) RESOURCE_"
            f"EXHAUSTED: Quota exceeded for quota metric '{metric}' and limit '{metric} per "
            f"minute' of service 'run.googleapis.com' for consumer 'project_number:"
            f"{rng.randint(10**10, 10**12)}'.",
            "- '@type': type.googleapis.com/google.rpc.ErrorInfo",
            "  domain: googleapis.com",
            "  metadata:",
            f"    consumer: projects/{project}",
            "  reason: RATE_LIMIT_EXCEEDED",
        ]
        return _failure(c.pad(rng, lines, "deploy"), "Deploy", "gcloud run deploy", 1, "gcloud")
    secs = rng.choice((17, 30, 60, 120))
    lines = [
        "ERROR: (TooManyRequests) The request is being throttled as the limit has been "
        "reached for operation type - Write_ObservationWindow_00:05:00. For more "
        "information, see - https://aka.ms/srpthrottlinglimits",
        "Code: TooManyRequests",
        f"Retry-After: {secs}",
    ]
    return _failure(
        c.pad(rng, lines, "deploy"),
        "Deploy",
        "az deployment group create -f main.bicep",
        1,
        "azure",
    )


FAMILIES: list[Family] = [
    _family("github-api-rate-limit", c.ALL_ECOSYSTEMS, github_api_rate_limit),
    _family("github-secondary-rate-limit", c.ALL_ECOSYSTEMS, github_secondary_rate_limit),
    _family("github-graphql-rate-limited", c.ALL_ECOSYSTEMS, github_graphql_rate_limited),
    _family("setup-tool-rate-limited", tuple(_SETUP_ACTIONS), setup_tool_rate_limited),
    _family("docker-pull-rate-limit", ("docker",), docker_pull_rate_limit),
    _family("pypi-too-many-requests", ("python",), pypi_too_many_requests),
    _family("huggingface-hub-429", ("python",), huggingface_hub_429),
    _family("npm-registry-429", ("node",), npm_registry_429),
    _family("cargo-crates-429", ("rust",), cargo_crates_429),
    _family("maven-central-429", ("java",), maven_central_429),
    _family("go-proxy-429", ("go",), go_proxy_429),
    _family("nuget-429", ("dotnet",), nuget_429),
    _family("rubygems-429", ("ruby",), rubygems_429),
    _family("cloud-api-throttling", c.ALL_ECOSYSTEMS, cloud_api_throttling),
]
