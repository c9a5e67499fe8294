"""`make lab` without a browser: the trainee's working copy and the JupyterLab server on it.

(tests/browser/test_trainee_lab.py drives the same server in Chromium and presses Validate.)
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from course.workspace import lab_environment, prepare

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_working_copy_is_made_once_and_never_overwritten(tmp_path):
    work, copied = prepare(ROOT, tmp_path / "my-work")
    assert copied == sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir())
    notebook = work / "m00-orientation" / "m00-orientation.ipynb"
    notebook.write_text("my answers")
    (work / "m01-singles-day").rename(tmp_path / "m01-moved-away")
    _, again = prepare(ROOT, work)
    assert again == ["m01-singles-day"]  # a module the trainee lost comes back ...
    assert notebook.read_text() == "my answers"  # ... and nothing the trainee wrote is touched


def test_lab_config_comes_first_on_the_config_path():
    env = lab_environment({"JUPYTER_CONFIG_PATH": "/elsewhere"})
    first, second = env["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert first.endswith("lab_config") and second == "/elsewhere"
    page_config = json.loads((Path(first) / "labconfig" / "page_config.json").read_text())
    assert page_config["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True


def test_jupyterlab_serves_the_working_copy_without_the_formgrader(tmp_path):
    work, _ = prepare(ROOT, tmp_path / "my-work")
    port, token = free_port(), "course-test-token"
    env = lab_environment() | {"HOME": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--notebook-dir={work}", f"--IdentityProvider.token={token}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = get(f"{base}/api/contents?token={token}")
                if status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "JupyterLab did not answer within 90 s"
            time.sleep(0.5)
        listed = {item["name"] for item in json.loads(body)["content"]}
        assert {"m00-orientation", "m01-singles-day"} <= listed
        status, body = get(f"{base}/api/contents/m01-singles-day/m01-singles-day.ipynb?token={token}")
        assert status == 200 and "raise NotImplementedError()" in body
        assert get(f"{base}/formgrader?token={token}")[0] == 404  # the instructors' page is not served
        status, page = get(f"{base}/lab?token={token}")
        assert status == 200 and "JupyterLab" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
