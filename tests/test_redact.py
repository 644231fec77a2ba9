from __future__ import annotations

import pytest

from model.redact import REDACTED, redact_secrets

SECRETS = [
    ("token ghp_" + "a1B2" * 9, "ghp_"),
    (
        "GITHUB_TOKEN=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
        "github_pat_",
    ),
    ("using gho_" + "Z9" * 18, "gho_"),
    ("installation ghs_" + "x" * 36, "ghs_"),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1r",
    ),
    (
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "eyJzdWIi",
    ),
    ("Authorization: Bearer abcdef0123456789abcdef", "abcdef0123456789"),
    ("curl -H 'authorization: token 0123456789abcdef0123'", "0123456789abcdef0123"),
    ("git clone https://deploy:s3cr3tP4ss@git.example.com/repo.git", "s3cr3tP4ss"),
    ("DB_PASSWORD=hunter2hunter2", "hunter2hunter2"),
    ("--token=abcd1234efgh5678", "abcd1234efgh5678"),
    ("client_secret: 'q8Xv-k2LmN'", "q8Xv-k2LmN"),
]


@pytest.mark.parametrize(("text", "secret"), SECRETS)
def test_secret_is_redacted(text: str, secret: str) -> None:
    out = redact_secrets(text)
    assert secret not in out
    assert REDACTED in out


@pytest.mark.parametrize(
    "text",
    [
        "error: token expired, please re-authenticate",
        "password: ***",
        "max_tokens=5",
        "Process completed with exit code 1.",
        "npm ERR! code E401",
    ],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert redact_secrets(text) == text
