"""HTTP to the hub and to users' servers: httpx, with its cookie jar standing in for a browser's."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import httpx

OK = (200, 201, 202, 204)


class HTTPError(RuntimeError):
    """A reply with a status the caller did not expect."""


class Client:
    """Requests to one base URL: cookies as a browser keeps them, and an API token once there is one.

    A new httpx connection pool is opened per request, so one Client can be used from several ``asyncio.run``
    calls (each has its own event loop); the cookie jar outlives them.
    """

    def __init__(self, base_url: str, token: str | None = None):
        self.base = base_url.rstrip("/")
        self.cookies = httpx.Cookies()
        self.token = token

    def cookie(self, name: str) -> str:
        """The hub's cookie ``name`` (not one a user's server set under /user/), or ''."""
        values = [c.value for c in self.cookies.jar if c.name == name and not c.path.startswith("/user/")]
        return values[-1] if values and values[-1] is not None else ""

    async def request(self, method: str, path: str, *, json_body: Any = None, form: dict | None = None,
                      expect: Iterable[int] = OK, timeout: float = 60, use_token: bool = True,
                      headers: dict[str, str] | None = None) -> httpx.Response:
        """Send one request; raise HTTPError unless the status is in ``expect``. Redirects are not followed."""
        hdrs = dict(headers or {})
        if self.token and use_token:
            hdrs["Authorization"] = f"token {self.token}"
        content = b"" if json_body is None and form is None and method in ("POST", "PUT", "PATCH") else None
        limits = httpx.Timeout(timeout, connect=min(timeout, 20))
        async with httpx.AsyncClient(base_url=self.base, timeout=limits) as http:
            request = http.build_request(method, path, json=json_body, data=form, content=content, headers=hdrs)
            self.cookies.set_cookie_header(request)
            response = await http.send(request)
        self.cookies.extract_cookies(response)
        if response.status_code not in tuple(expect):
            raise HTTPError(f"{method} {path}: HTTP {response.status_code}: {response.text[:800]}")
        return response

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON body of a request's reply (None when empty)."""
        response = await self.request(method, path, **kwargs)
        return json.loads(response.content) if response.content else None
