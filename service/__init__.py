"""The HTTP service: ``create_app`` (FastAPI app factory), ``Settings`` and ``serve``.

Imports are lazy so that the subpackages (``service.remediation``, ``service.fake_github``)
do not pay for FastAPI, scikit-learn and the model code when they are used alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.app import create_app
    from service.server import serve
    from service.settings import Settings

__all__ = ["Settings", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from service.app import create_app

        return create_app
    if name == "serve":
        from service.server import serve

        return serve
    if name == "Settings":
        from service.settings import Settings

        return Settings
    raise AttributeError(f"module 'service' has no attribute {name!r}")
