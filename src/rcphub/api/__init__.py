"""The JSON API under /api/v1: thin routes over the registry services."""

from rcphub.api.routes import router

__all__ = ["router"]
