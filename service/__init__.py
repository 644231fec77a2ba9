"""The HTTP service: ``create_app`` (FastAPI app factory), ``Settings`` and ``serve``."""

from service.app import create_app
from service.server import serve
from service.settings import Settings

__all__ = ["Settings", "create_app", "serve"]
