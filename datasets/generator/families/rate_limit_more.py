"""More families of ``rate_limit``: other clients of the GitHub API, other registries, chat
webhooks, hosted model APIs and CDNs refusing for too many requests.

Same rules as ``rate_limit.py``: the message decides, not the status code (Composer and
go-github report GitHub's exhausted quota in their own words; a Cloudflare ``1015`` page is a
rate limit even though it says "banned"). PHP/Composer runs in its container image (``docker``);
Chocolatey runs on Windows runners.
"""

from __future__ import annotations

import random
from functools import partial

from datasets.generator._types import Failure, Family

from . import _common_b as c
from . import _common_b2 as c2

LABEL = "rate_limit"

_failure = partial(c2.failure, LABEL)
_family = partial(c2.family, LABEL)


def composer_github_api_limit(rng: random.Random, eco: str) -> Failure:
    """Composer downloading dist archives from GitHub (``docker``, composer image)."""
    pkg = rng.choice(c2.PHP_PACKAGES)
    url = f"https://api.github.com/repos/{pkg}/zipball/{c.hexid(rng, 40)}"
    lines = [f"  - Downloading {pkg} ({c.version(rng)})"]
    if rng.random() < 0.5:
        lines += [
            f"GitHub API limit (60 calls/hr) is exhausted, could not fetch {url}. Create a GitHub "
            "OAuth token to go over the API rate limit. You can also wait until "
            f"{rng.randint(1, 12)}:{rng.randint(10, 59)}:{rng.randint(10, 59)} for the rate limit to reset.",
            "",
            "Head to https://github.com/settings/tokens/new?scopes=&description=Composer+on+"
            f"{c.hexid(rng, 12)}+2026-03-1{rng.randint(0, 9)}+{rng.randint(10, 23)}{rng.randint(10, 59)}",
            'to retrieve a token. It will be stored in "/root/.composer/auth.json" for future use by Composer.',
            "Token (hidden): ",
            "No token given, aborting.",
        ]
    else:
        lines += [
            f'    Failed to download {pkg} from dist: The "{url}" file could not be downloaded '
            "(HTTP/2 403 ): API rate limit exceeded",
            "    Now trying to download from source",
            f"In GitHubDriver.php line {rng.randint(400, 500)}:",
            "  GitHub API limit (5000 calls/hr) is exhausted. You are already authorized so you have "
            "to wait until "
            f"{rng.randint(1, 12)}:{rng.randint(10, 59)}:{rng.randint(10, 59)} before doing more requests",
        ]
    return _failure(
        lines, "Install PHP dependencies", "composer install --prefer-dist", 1, "composer"
    )


def gitlab_coordinator_429(rng: random.Random, eco: str) -> Failure:
    """The GitLab runner and release-cli answered 429 by the coordinator (GitLab only)."""
    lines = c.passing_tests(rng, eco, rng.randint(0, 6))
    host = rng.choice(("gitlab.com", f"gitlab.{c.org(rng)}.io"))
    job = rng.randint(10**9, 10**10)
    if rng.random() < 0.5:
        lines += [
            "Uploading artifacts for successful job",
            "Uploading artifacts...",
            f"{rng.choice(('dist/', 'coverage/', 'public/'))}: found {rng.randint(5, 900)} matching artifact files and directories",
            f'WARNING: Uploading artifacts as "archive" to coordinator... POST https://{host}/api/v4/jobs/{job}/artifacts: 429 Too Many Requests  '
            f"id={job} responseStatus=429 Too Many Requests status=429 token={c.hexid(rng, 8)}",
            "WARNING: Retrying...                                context=artifacts-uploader error=too many requests",
            "FATAL: too many requests",
        ]
        return _failure(
            lines,
            "build",
            c.command(rng, c.BUILD_COMMANDS, eco),
            1,
            "gitlab-runner",
            (),
            ("gitlab",),
        )
    lines += [
        f'time="2026-03-1{rng.randint(0, 9)}T0{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}Z" '
        'level=info msg="Creating Release..." cli=release-cli command=create name="Release v'
        f'{c.version(rng)}"',
        f'time="2026-03-1{rng.randint(0, 9)}T0{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}Z" '
        'level=fatal msg="run app" cli=release-cli error="failed to create release: API Error '
        'Response status_code: 429 message: Retry later" version=0.18.0',
    ]
    return _failure(
        lines,
        "release",
        "release-cli create --tag-name $CI_COMMIT_TAG",
        1,
        "release-cli",
        (),
        ("gitlab",),
    )


def cloudflare_rate_limited(rng: random.Random, eco: str) -> Failure:
    host = rng.choice(
        (f"api.{c.org(rng)}.io", f"downloads.{c.org(rng)}.dev", f"{c.org(rng)}.pages.dev")
    )
    ray = c.hexid(rng, 16)
    if rng.random() < 0.5:
        lines = [
            f"Downloading https://{host}/releases/latest/{c.repo(rng)}-linux-amd64.tar.gz",
            "error code: 1015",
            "curl: (22) The requested URL returned error: 429",
        ]
        return _failure(
            lines, "Install CLI", f"curl -fsSL https://{host}/install.sh | sh", 22, "curl"
        )
    lines = [
        f"<title>Access denied | {host} used Cloudflare to restrict access</title>",
        "<h1>Error 1015</h1>",
        "<h2>You are being rate limited</h2>",
        f"<p>The owner of this website ({host}) has banned you temporarily from accessing this website.</p>",
        f"<span>Cloudflare Ray ID: <strong>{ray}</strong></span>",
        f"Error: unexpected response from https://{host}/api/v1/upload",
    ]
    return _failure(lines, "Upload", f"./scripts/upload.sh {host}", 1, "cloudflare")


def chat_webhook_ratelimited(rng: random.Random, eco: str) -> Failure:
    """Slack and Discord notifications (language-independent)."""
    if rng.random() < 0.5:
        channel = rng.choice(("#ci-alerts", "#releases", "#builds"))
        lines = [
            f"Posting build summary to {channel}",
            '{"ok":false,"error":"ratelimited"}',
            f"slack: chat.postMessage failed: ratelimited (retry after {rng.randint(1, 60)}s)",
        ]
        return _failure(lines, "Notify Slack", "./ci/notify-slack.sh", 1, "slack")
    retry = f"{rng.randint(0, 9)}.{rng.randint(100, 999)}"
    lines = [
        f"POST https://discord.com/api/webhooks/{rng.randint(10**17, 10**18)}/{c.hexid(rng, 20)} -> 429",
        f'{{"message": "You are being rate limited.", "retry_after": {retry}, "global": '
        f"{rng.choice(('false', 'true'))}}}",
    ]
    return _failure(
        c.pad(rng, lines, "shell"), "Notify Discord", "python scripts/notify.py", 1, "discord"
    )


def llm_api_rate_limit(rng: random.Random, eco: str) -> Failure:
    """A hosted model API used by an evaluation or docs job."""
    model = rng.choice(("gpt-4o-mini", "gpt-4.1", "text-embedding-3-small"))
    org = f"org-{c.hexid(rng, 24)}"
    unit = rng.choice((("tokens per min (TPM)", "tokens"), ("requests per min (RPM)", "requests")))
    limit = rng.choice((30000, 200000, 500, 3500))
    msg = (
        f"Rate limit reached for {model} in organization {org} on {unit[0]}: Limit {limit}, "
        f"Used {limit - rng.randint(1, 99)}, Requested {rng.randint(100, 9000)}. Please try again in "
        f"{rng.randint(20, 900)}ms. Visit https://platform.openai.com/account/rate-limits to learn more."
    )
    if eco == "node":
        lines = [
            f"RateLimitError: 429 {msg}",
            "    at APIError.generate (node_modules/openai/error.js:63:20)",
            "    at OpenAI.makeStatusError (node_modules/openai/core.js:323:33)",
            "  status: 429,",
            f"  headers: {{ 'x-ratelimit-remaining-{unit[1]}': '0' }},",
        ]
        return _failure(lines, "Evaluate prompts", "node scripts/eval.mjs", 1, "openai")
    lines = [
        "Traceback (most recent call last):",
        f'  File "{c.workdir(rng, c.repo(rng))}/scripts/evaluate.py", line {rng.randint(20, 200)}, in <module>',
        "    response = client.chat.completions.create(model=MODEL, messages=messages)",
        f"openai.RateLimitError: Error code: 429 - {{'error': {{'message': '{msg}', 'type': "
        f"'{unit[1]}', 'param': None, 'code': 'rate_limit_exceeded'}}}}",
    ]
    return _failure(lines, "Evaluate prompts", "python scripts/evaluate.py", 1, "openai")


def terse_429_paste(rng: random.Random, eco: str) -> Failure:
    """Two or three lines of a client reporting HTTP 429, as pasted."""
    host = rng.choice(
        ("raw.githubusercontent.com", "objects.githubusercontent.com", c.service_host(rng))
    )
    path = f"/{c.slug(rng)}/main/{rng.choice(('install.sh', 'schema.json', 'VERSION'))}"
    variant = rng.randrange(4)
    if variant == 0:
        lines = [
            f"curl -fsSL https://{host}{path}",
            "curl: (22) The requested URL returned error: 429",
        ]
    elif variant == 1:
        lines = [
            "HTTP request sent, awaiting response... 429 Too Many Requests",
            f"{rng.randint(2025, 2026)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 0{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)} ERROR 429: Too Many Requests.",
        ]
    elif variant == 2:
        lines = [
            f'    with urllib.request.urlopen("https://{host}{path}") as resp:',
            "urllib.error.HTTPError: HTTP Error 429: Too Many Requests",
        ]
    else:
        lines = [
            "Error: Request failed with status code 429",
            f"    at settle (node_modules/axios/lib/core/settle.js:{rng.randint(15, 25)}:12)",
        ]
    return _failure(
        lines,
        "Fetch",
        rng.choice(("./scripts/fetch.sh", "make fetch", "npm run fetch")),
        1,
        "terse",
    )


def registry_toomanyrequests(rng: random.Random, eco: str) -> Failure:
    """Container registries other than Docker Hub (GHCR, Quay, ECR Public, MCR)."""
    image = rng.choice(
        (
            f"ghcr.io/{c.slug(rng)}:{rng.choice(('latest', 'main', c.version(rng)))}",
            f"quay.io/{c.org(rng)}/{c.repo(rng)}:latest",
            f"public.ecr.aws/{c.org(rng)}/{c.repo(rng)}:{c.version(rng)}",
            "mcr.microsoft.com/dotnet/sdk:8.0",
        )
    )
    registry = image.split("/")[0]
    message = {
        "ghcr.io": f"toomanyrequests: retry-after: {rng.randint(100, 900)}.{rng.randint(100, 999)}µs, allowed: 44000/minute",
        "quay.io": "toomanyrequests: too many requests to registry",
        "public.ecr.aws": "toomanyrequests: Rate exceeded",
        "mcr.microsoft.com": "toomanyrequests: Too Many Requests (HAP429).",
    }[registry]
    if rng.random() < 0.5:
        lines = [f"Error response from daemon: {message}"]
        return _failure(
            c.pad(rng, lines, "shell"), "Pull image", f"docker pull {image}", 1, "docker"
        )
    lines = [
        f"#{rng.randint(2, 6)} [internal] load metadata for {image}",
        f"#{rng.randint(2, 6)} ERROR: {message}",
        "------",
        f" > [internal] load metadata for {image}:",
        "------",
        f"ERROR: failed to solve: {image}: failed to resolve source metadata for {image}: "
        f"unexpected status from HEAD request to https://{registry}/v2/: 429 Too Many Requests",
    ]
    return _failure(lines, "Build image", "docker buildx build --load -t app:ci .", 1, "buildkit")


def chocolatey_429_windows(rng: random.Random, eco: str) -> Failure:
    """Chocolatey's community repository on a Windows runner."""
    pkg = rng.choice(("nasm", "wixtoolset", "ninja", "llvm", "innosetup", "7zip.install"))
    ver = c.version(rng)
    lines = [
        f"Chocolatey v2.{rng.randint(0, 3)}.{rng.randint(0, 9)}",
        "Installing the following packages:",
        pkg,
        "By installing, you accept licenses for the packages.",
        f"{pkg} not installed. An error occurred during installation:",
        " The remote server returned an error: (429) Too Many Requests. Too Many Requests",
        f"{pkg} package files install failed with exit code 1. Performing other installation steps.",
        f"The install of {pkg} was NOT successful.",
        f"Error while running 'C:\\ProgramData\\chocolatey\\lib\\{pkg}\\tools\\chocolateyinstall.ps1'.",
        " See log for details.",
        "",
        "Chocolatey installed 0/1 packages. 1 packages failed.",
        " See the log for details (C:\\ProgramData\\chocolatey\\logs\\chocolatey.log).",
    ]
    if rng.random() < 0.5:
        lines.insert(
            0,
            f"{c2.win_workdir(c.repo(rng))}> choco install {pkg} --version {ver} -y --no-progress",
        )
    else:
        lines.insert(0, f"Working directory: {c2.win_workdir(c.repo(rng))}")
    return _failure(
        lines, "Install tools (Windows)", f"choco install {pkg} -y --no-progress", 1, "chocolatey"
    )


def go_github_rate_reset(rng: random.Random, eco: str) -> Failure:
    """go-github clients (goreleaser, ghr) and Renovate reporting GitHub's quota their own way."""
    when = f"2026-03-1{rng.randint(0, 9)} {rng.randint(10, 23)}:{rng.randint(10, 59)}:{rng.randint(10, 59)} +0000 UTC"
    if eco == "node":
        lines = [
            f' WARN: GitHub failure: Rate limit exceeded (repository="{c.slug(rng)}")',
            f' ERROR: Repository has unknown error (repository="{c.slug(rng)}")',
            '       "err": {"message": "Rate limit exceeded", "stack": "Error: Rate limit exceeded'
            '\\n    at handleGotError (/usr/local/renovate/lib/util/http/github.js:88:16)"}',
        ]
        return _failure(lines, "Renovate", "npx renovate --platform=github", 1, "renovate")
    reset = f"{rng.randint(1, 59)}m{rng.randint(0, 59):02d}s"
    limit = rng.choice((5000, 1000, 15000))
    lines = [
        "  • publishing",
        "    • scm releases",
        f"  ⨯ release failed after {rng.randint(5, 300)}s              error=scm releases: failed to "
        f"publish artifacts: GET https://api.github.com/repos/{c.slug(rng)}/releases/tags/v{c.version(rng)}: "
        f"403 API rate limit of {limit} still exceeded until {when}, not making remote request. "
        f"[rate reset in {reset}]",
    ]
    return _failure(lines, "Release", "goreleaser release --clean", 1, "goreleaser")


FAMILIES: list[Family] = [
    _family("composer-github-api-limit", ("docker",), composer_github_api_limit),
    _family("gitlab-coordinator-429", c.ALL_ECOSYSTEMS, gitlab_coordinator_429),
    _family("cloudflare-rate-limited", c.ALL_ECOSYSTEMS, cloudflare_rate_limited),
    _family("chat-webhook-ratelimited", c.ALL_ECOSYSTEMS, chat_webhook_ratelimited),
    _family("llm-api-rate-limit", ("python", "node"), llm_api_rate_limit),
    _family("terse-429-paste", c.ALL_ECOSYSTEMS, terse_429_paste),
    _family("registry-toomanyrequests", ("docker", "dotnet"), registry_toomanyrequests),
    _family("chocolatey-429-windows", c2.WINDOWS_ECOSYSTEMS, chocolatey_429_windows),
    _family("go-github-rate-reset", ("go", "node"), go_github_rate_reset),
]
