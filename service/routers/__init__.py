"""The API's routers, one per concern."""

from service.routers import classify, health, metrics, models

__all__ = ["classify", "health", "metrics", "models"]
