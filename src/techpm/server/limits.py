"""The body limit, for every route at once: a declared Content-Length over the limit is
refused before the body is read, and a body that grows past it while streaming as well."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from techpm.server.errors import error_response
from techpm.server.http import too_large


class BodyLimit:
    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await error_response(too_large(self.limit))(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise too_large(self.limit)  # the error handlers answer 413
            return message

        refused = False

        async def answered(message: Message) -> None:
            # a route that reads the body through the framework turns the error into a 400;
            # whatever a route answers to a body over the limit, the client gets the 413
            nonlocal refused
            if message["type"] == "http.response.start" and seen > self.limit:
                refused = True
                await error_response(too_large(self.limit))(scope, receive, send)
            if not refused:
                await send(message)

        await self.app(scope, counted, answered)
