"""Answers sent before a request's body was read reach the client (ASGI middleware).

The server refuses some uploads from their headers alone (401 no token, 411 no Content-Length,
413 over ``--max-upload-mb``, 429 locked out). A client that sends its whole body before reading
(no ``Expect: 100-continue``: Python's urllib, requests, some browsers) would then see its
connection reset instead of the answer: the server closes a socket with unread bytes in it. So
before such an answer starts, the rest of the body is read and dropped, up to a limit (bytes
counted, nothing kept). A client that asked ``Expect: 100-continue`` is answered at once and
sends no body.
"""

DRAIN_AT_MOST = 64 * 2**20  # bytes; a body past max(this, 4 x the upload limit) is cut off (reset)


class UnreadBodyDrained:
    """ASGI middleware: drains the unread request body (up to ``limit`` bytes) before the response starts."""

    def __init__(self, app, limit=DRAIN_AT_MOST):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        state = {"read": 0,  # nothing to drain: the client waits for a 100 Continue, or the body is past the limit
                 "done": headers.get(b"expect", b"").lower() == b"100-continue"
                 or (declared.isdigit() and int(declared) > self.limit)}

        async def tracked_receive():
            message = await receive()
            state["read"] += len(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body", False):
                state["done"] = True
            return message

        async def send_after_draining(message):
            if message["type"] == "http.response.start":
                while not state["done"] and state["read"] <= self.limit:
                    await tracked_receive()
            await send(message)

        await self.app(scope, tracked_receive, send_after_draining)
