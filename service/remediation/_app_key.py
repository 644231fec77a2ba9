"""A GitHub App's private key, given inline (one-line ``\\n`` escapes accepted) or as a file,
and checked to be an RSA key before any JWT is signed with it. Cheap to import."""

from __future__ import annotations

from pathlib import Path


def read_private_key(inline: str | None, path: Path | None) -> str | None:
    """The PEM text, from the file when one is named, else the inline value; None for neither.
    ValueError when the file cannot be read."""
    if path is not None:
        try:
            return path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read the GitHub App private key file: {exc}") from None
    if not inline:
        return None
    # One-line PEMs, as .env files and CI secrets often carry them.
    return inline.replace("\\n", "\n") if "\n" not in inline else inline


def check_private_key(pem: str) -> None:
    """ValueError unless ``pem`` is an RSA private key (what GitHub Apps sign JWTs with)."""
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem.encode("ascii", "replace"), password=None)
    except (ValueError, TypeError):
        raise ValueError("the GitHub App private key is not a PEM private key") from None
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("the GitHub App private key is not an RSA key")
