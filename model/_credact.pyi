# The C module (model/_credact.c); absent when the package was built without a C compiler.

def redact_secrets(text: str, /) -> str | None:
    """`model.redact.redact_secrets` for an ASCII ``text``; None for any other str."""
