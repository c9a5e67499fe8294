"""Running code in a kernel over Jupyter Server's websocket, as JupyterLab does.

Messages are built by jupyter_client's Session (header, ids, protocol version) and turned into notebook outputs by
nbformat's ``output_from_msg``; only the websocket itself is tornado's.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from jupyter_client.jsonutil import json_default
from jupyter_client.session import Session
from nbformat.v4 import output_from_msg
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}


class KernelClosed(RuntimeError):
    """The kernel's websocket closed before the reply came."""


class KernelSocket:
    """One open websocket to a running kernel: send a shell request, collect its reply and outputs."""

    def __init__(self, conn: WebSocketClientConnection, username: str = "d11"):
        self.conn = conn
        self.session = Session(username=username)

    @classmethod
    async def open(cls, url: str, token: str, timeout: float = 60) -> KernelSocket:
        """Connect to ``url`` (ws://.../api/kernels/ID/channels) with an API token."""
        request = HTTPRequest(url, headers={"Authorization": f"token {token}"})
        return cls(await asyncio.wait_for(websocket_connect(request), timeout))

    def close(self) -> None:
        self.conn.close()

    async def request(self, msg_type: str, content: dict[str, Any], timeout: float) -> tuple[dict, list[dict]]:
        """Send ``msg_type`` on the shell channel; return its reply's content and the outputs it produced.

        Waits for both the reply and the kernel's return to idle, at most ``timeout`` seconds in all.
        """
        msg = self.session.msg(msg_type, content=content)
        await self.conn.write_message(json.dumps({**msg, "channel": "shell", "buffers": []}, default=json_default))
        outputs: list[dict] = []
        reply: dict | None = None
        idle = False
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no reply to {msg_type} within {timeout} s")
            raw = await asyncio.wait_for(self.conn.read_message(), remaining)
            if raw is None:
                raise KernelClosed("the kernel websocket closed")
            answer = json.loads(raw)
            if answer.get("parent_header", {}).get("msg_id") != msg["header"]["msg_id"]:
                continue
            kind = answer["msg_type"]
            if answer.get("channel") == "shell" and kind.endswith("_reply"):
                reply = answer["content"]
            elif kind == "status" and answer["content"].get("execution_state") == "idle":
                idle = True
            elif kind in OUTPUT_TYPES:
                outputs.append(dict(output_from_msg(answer)))
        return reply, outputs
