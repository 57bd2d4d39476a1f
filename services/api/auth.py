"""Bearer-token authentication from settings (``SITREP_API_TOKEN``).

Writes (``POST``) need the token once one is configured; reads stay open unless
``SITREP_API_TOKEN_FOR_READS`` is set too. Health probes, the map page's own
files and the API's documentation stay open either way: they carry no data.
"""

from __future__ import annotations

import hmac
import json

from services.api.conditional import ASGIApp, Receive, Scope, Send
from services.shared.settings import ApiSettings

OPEN_PATHS = ("/healthz", "/readyz", "/", "/docs", "/openapi.json", "/docs/oauth2-redirect")


class BearerAuth:
    def __init__(self, app: ASGIApp, settings: ApiSettings) -> None:
        self.app = app
        token = settings.api_token
        self.expected = f"Bearer {token.get_secret_value()}".encode() if token is not None else None
        self.for_reads = settings.api_token_for_reads

    def protects(self, scope: Scope) -> bool:
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            return True
        path: str = scope["path"]
        return self.for_reads and path not in OPEN_PATHS and not path.startswith("/static/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.expected is None or scope["type"] != "http" or not self.protects(scope):
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        if hmac.compare_digest(given, self.expected):
            await self.app(scope, receive, send)
            return
        reason = "this route needs 'Authorization: Bearer <token>'" if not given else "the token is not valid"
        body = json.dumps({"error": "unauthorized", "detail": reason}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b'Bearer realm="sitrep"'),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
