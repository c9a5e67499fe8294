"""`make lab` without a browser: the trainee's working copy and the JupyterLab server on it.

(tests/browser/test_trainee_lab.py drives the same server in Chromium and presses Validate.)
"""

import json
import os
import queue
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from course.workspace import LAB_SETTINGS, WORKSPACES, lab_command, lab_environment, lab_options, prepare

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


def start_lab(tmp_path: Path, work: Path, token: str, lang: str = "en") -> tuple[subprocess.Popen, str, str]:
    """JupyterLab on ``work`` as `course lab --lang LANG` starts it, with a throw-away home; (server, base, listing)."""
    port = free_port()
    env = lab_environment(lang=lang) | {"HOME": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter"),
                                        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
                                        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--notebook-dir={work}", f"--IdentityProvider.token={token}", *lab_options(lang),
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            status, body = get(f"{base}/api/contents?token={token}")
            if status == 200:
                return server, base, body
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise AssertionError(f"JupyterLab did not answer within 90 s: {server.stderr.read()}")
        time.sleep(0.5)


def test_jupyterlab_serves_the_working_copy_without_the_formgrader(tmp_path):
    work, _ = prepare(ROOT, tmp_path / "my-work")
    token = "course-test-token"
    server, base, body = start_lab(tmp_path, work, token)
    try:
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


# ------------------------------------------------------------------ the Indonesian edition: course lab --lang id

def test_indonesian_working_copy_is_made_from_exercises_id_in_its_own_ignored_folder(tmp_path):
    work, copied = prepare(ROOT, tmp_path / WORKSPACES["id"], lang="id")
    assert copied == sorted(p.name for p in (ROOT / "exercises-id").iterdir() if p.is_dir())
    for module in copied:
        name = f"{module}/{module}.ipynb"
        assert (work / name).read_bytes() == (ROOT / "exercises-id" / name).read_bytes()
    assert "Modul 0" in (work / "m00-orientation" / "m00-orientation.ipynb").read_text()
    (work / "m00-orientation" / "m00-orientation.ipynb").write_text("jawaban saya")
    assert prepare(ROOT, work, lang="id")[1] == []
    assert (work / "m00-orientation" / "m00-orientation.ipynb").read_text() == "jawaban saya"
    assert WORKSPACES == {"en": "my-work", "id": "my-work-id"}
    for folder in WORKSPACES.values():  # both working copies are git-ignored in the course
        ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", f"{folder}/m00-orientation/x.ipynb"])
        assert ignored.returncode == 0, folder
    with pytest.raises(ValueError, match="'fr'"):
        prepare(ROOT, tmp_path / "my-work-fr", lang="fr")


def test_lab_in_indonesian_sets_the_interface_language_and_course_lang():
    env = lab_environment({"COURSE_LANG": "en", "JUPYTER_CONFIG_PATH": ""}, lang="id")
    assert env["COURSE_LANG"] == "id" and env["JUPYTER_CONFIG_PATH"].endswith("lab_config")
    assert lab_environment({}, lang="en")["COURSE_LANG"] == "en"
    (option,) = lab_options("id")
    settings = Path(option.split("=", 1)[1])
    assert option.startswith("--LabApp.app_settings_dir=") and settings == LAB_SETTINGS["id"]
    assert json.loads((settings / "overrides.json").read_text()) == {
        "@jupyterlab/translation-extension:plugin": {"locale": "id_ID"}}
    assert lab_options("en") == [] and option in lab_command(Path("w"), lang="id")
    assert not any("app_settings_dir" in part for part in lab_command(Path("w")))


def test_course_lab_lang_option_and_its_default_from_course_lang(monkeypatch, tmp_path):
    from course import cli, workspace

    calls = []
    monkeypatch.setattr(workspace, "run_lab", lambda root, folder, extra, lang: calls.append((folder, lang)) or 0)
    monkeypatch.delenv("COURSE_LANG", raising=False)
    assert cli.main(["lab", "--lang", "id", "--dir", str(tmp_path)]) == 0
    assert cli.main(["lab"]) == 0
    monkeypatch.setenv("COURSE_LANG", "id")
    assert cli.main(["lab"]) == 0
    assert calls == [(tmp_path, "id"), (None, "en"), (None, "id")]
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["lab", "--lang", "fr"])


def run_in_kernel(tmp_path: Path, base: str, token: str, code: str) -> str:
    """Start a kernel through the server's REST API, run ``code`` in it, return what it printed."""
    from jupyter_client import BlockingKernelClient

    request = urllib.request.Request(f"{base}/api/kernels?token={token}", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        kernel_id = json.loads(response.read())["id"]
    client = BlockingKernelClient(connection_file=str(tmp_path / "runtime" / f"kernel-{kernel_id}.json"))
    client.load_connection_file()
    client.start_channels()
    printed = []
    try:
        # as wait_for_ready does, without its heartbeat check (the heartbeat may not have beaten yet)
        deadline = time.monotonic() + 90
        while True:
            client.kernel_info()
            try:
                client.get_shell_msg(timeout=5)
                client.get_iopub_msg(timeout=5)  # IOPub is connected once the kernel's status arrives
                break
            except queue.Empty:
                assert time.monotonic() < deadline, "the kernel did not answer within 90 s"
        reply = client.execute_interactive(code, timeout=90, output_hook=lambda msg: printed.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
    return "".join(printed)


def test_jupyterlab_in_indonesian_shows_the_indonesian_release_interface_and_checks(tmp_path):
    work, _ = prepare(ROOT, tmp_path / "my-work-id", lang="id")
    token = "course-test-token"
    server, base, body = start_lab(tmp_path, work, token, lang="id")
    try:
        assert {"m00-orientation", "m01-singles-day"} <= {item["name"] for item in json.loads(body)["content"]}
        status, notebook = get(f"{base}/api/contents/m00-orientation/m00-orientation.ipynb?token={token}")
        assert status == 200 and "Modul 0" in notebook
        # the display language: the override makes id_ID the default of JupyterLab's language setting
        status, body = get(f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin?token={token}")
        assert status == 200, body
        setting = json.loads(body)
        assert setting["schema"]["properties"]["locale"]["default"] == "id_ID"
        # ... and the installed language pack answers for it, in Indonesian
        status, body = get(f"{base}/lab/api/translations/id_ID?token={token}")
        assert status == 200
        data = json.loads(body)["data"]
        assert data["jupyterlab"][""]["language"] == "id-ID" and data["jupyterlab"]["Settings"] == ["Pengaturan"]
        assert "File" not in data["jupyterlab"]  # one of the menus the pack leaves in English (docs/translation.md)
        # the kernel has COURSE_LANG=id, so the course's checks speak Indonesian
        out = run_in_kernel(tmp_path, base, token,
                            "import os\nfrom course.i18n import language, message\n"
                            "print(os.environ['COURSE_LANG'], language())\nprint(message('lab.kept'))")
        assert out.splitlines()[0] == "id id" and "jawaban Anda tetap di sana" in out
        assert get(f"{base}/formgrader?token={token}")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the override lives in the course's settings folder: nothing was written in the home for the language
    assert not list(tmp_path.glob("jupyter/lab/user-settings/@jupyterlab/translation-extension/*"))
