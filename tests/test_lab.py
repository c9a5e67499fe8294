"""`make lab`'s server: JupyterLab starts on exercises/ and serves the modules to a trainee."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_jupyterlab_serves_the_exercises():
    port, token = free_port(), "course-test-token"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--notebook-dir=exercises", f"--IdentityProvider.token={token}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(f"{base}/api/contents?token={token}")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "JupyterLab did not answer within 60 s"
                time.sleep(0.5)
        listed = {item["name"] for item in json.loads(body)["content"]}
        assert status == 200 and {"m00-orientation", "m01-singles-day"} <= listed
        status, body = get(f"{base}/api/contents/m01-singles-day/m01-singles-day.ipynb?token={token}")
        notebook = json.loads(body)["content"]
        assert status == 200 and "raise NotImplementedError()" in json.dumps(notebook)
        status, page = get(f"{base}/lab?token={token}")
        assert status == 200 and "JupyterLab" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
