"""``gkcheck serve``: a local web page for an agency officer, and a small JSON API.

See ``docs/serve.md``. :func:`create_app` builds the ASGI application (Starlette);
:mod:`checker.cli_serve` runs it with uvicorn.
"""

from checker.web.app import create_app

__all__ = ["create_app"]
