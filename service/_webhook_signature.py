"""GitHub webhook signatures: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>``.

The signature covers the exact bytes GitHub sent, so it is checked on the raw body before any
parsing, and compared in constant time so that a forger learns nothing from response timings.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from typing import Final

SIGNATURE_HEADER: Final = "X-Hub-Signature-256"
_PREFIX: Final = "sha256="
_HEX_DIGEST: Final = re.compile(r"^[0-9a-f]{64}$")


class SignatureError(Exception):
    """The delivery is not signed with the shared secret; ``code`` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def sign(secret: str | bytes, body: bytes) -> str:
    """The header value GitHub would send for ``body``: ``sha256=<64 hex digits>``."""
    return _PREFIX + hmac.new(_key(secret), body, hashlib.sha256).hexdigest()


def verify(secret: str | bytes | Sequence[str | bytes], body: bytes, header: str | None) -> None:
    """Raise :class:`SignatureError` unless ``header`` is the signature of ``body`` with the
    secret, or with one of the secrets given (the current and the previous one while a secret
    is being rotated)."""
    keys = [_key(s) for s in ([secret] if isinstance(secret, str | bytes) else secret)]
    keys = [key for key in keys if key]
    if not keys:
        raise SignatureError("webhooks_disabled", "no webhook secret is configured")
    if header is None or not header.strip():
        raise SignatureError("missing_signature", f"the {SIGNATURE_HEADER} header is missing")
    given = header.strip()
    if not given.startswith(_PREFIX) or not _HEX_DIGEST.match(given[len(_PREFIX) :].lower()):
        raise SignatureError(
            "invalid_signature", f"the {SIGNATURE_HEADER} header is not 'sha256=<hex digest>'"
        )
    digest = given[len(_PREFIX) :].lower().encode("ascii")
    # compare_digest takes the same time wherever the two differ, and every key is tried
    # whatever the outcome: timings reveal nothing, not even which secret matched.
    matched = False
    for key in keys:
        expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")
        matched |= hmac.compare_digest(expected, digest)
    if not matched:
        raise SignatureError("invalid_signature", "the signature does not match the body")
