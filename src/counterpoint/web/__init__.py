"""The REST API and the web UI: one FastAPI app over the store (``counterpoint serve``)."""

from counterpoint.web.app import create_app

__all__ = ["create_app"]
