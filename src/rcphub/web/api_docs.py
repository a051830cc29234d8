"""``/api/v1/docs``: the API browser (Swagger UI), vendored and started by a script file.

FastAPI's own page loads Swagger UI from a CDN and starts it with an inline script; the hub is
offline by design and its Content-Security-Policy allows neither, so this page uses the copy in
``static/vendor/swagger-ui`` (see its ``SOURCE.md``) and ``static/js/api-docs.js``.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rcphub API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" data-openapi="/api/v1/openapi.json">
<p><a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>
</main>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body>
</html>
"""


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    return HTMLResponse(PAGE)
