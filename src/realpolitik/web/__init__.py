"""The browser app (``realpolitik serve``): FastAPI, server-rendered pages, light JavaScript.

>>> from realpolitik.web import Settings, create_app
>>> app = create_app(Settings())   # run with uvicorn on 127.0.0.1; see docs/web.md
"""

from .app import Settings, create_app, examples

__all__ = ["Settings", "create_app", "examples"]
