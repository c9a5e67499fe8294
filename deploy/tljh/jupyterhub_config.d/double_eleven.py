"""The Double Eleven course on The Littlest JupyterHub: the formgrader as a hub service, its group and roles.

Copy to /opt/tljh/config/jupyterhub_config.d/double_eleven.py (deploy/tljh/install.sh does) and run
`sudo tljh-config reload`. TLJH loads every file in that folder after its own configuration.

One grader account owns the course folder (solutions, gradebook, submissions); a JupyterLab server runs as that
account as the hub service `double-eleven`, at /services/double-eleven/. Hub users in the group
`formgrade-double-eleven` (the instructors) may open it; trainees may not. The names below are the TLJH
defaults; the D11_* environment variables override them (the hub test runs this same file on 127.0.0.1).

The workshop's language is D11_LANG (en or id; install.sh sets it in the hub's systemd drop-in): every trainee's
server, its kernels and the grader service get COURSE_LANG, so the course's checks (and the feedback of
`course grade`) speak it. JupyterLab's own display language is the settings override install.sh puts in the user
environment.
"""

import os

COURSE_ID = os.environ.get("D11_COURSE_ID", "double-eleven")
INSTRUCTORS = [name for name in os.environ.get("D11_INSTRUCTORS", "instructor").split(",") if name]
GRADER_ACCOUNT = os.environ.get("D11_GRADER_ACCOUNT", "jupyter-grader")  # UNIX account, not a hub login
COURSE_DIR = os.environ.get("D11_COURSE_DIR", f"/home/{GRADER_ACCOUNT}/{COURSE_ID}")
SINGLEUSER = os.environ.get("D11_SINGLEUSER", "/opt/tljh/user/bin/jupyterhub-singleuser")
PORT = int(os.environ.get("D11_FORMGRADER_PORT", "9999"))
# Extra Jupyter config for the service only: the frame-ancestors fix and the formgrader menu (deploy/tljh/formgrader)
CONFIG_PATH = os.environ.get("D11_FORMGRADER_CONFIG_PATH", "/opt/double-eleven/formgrader")
GROUP = f"formgrade-{COURSE_ID}"  # nbgrader looks for groups named formgrade-<course>
LANGUAGE = os.environ.get("D11_LANG", "en")
if LANGUAGE not in ("en", "id"):
    raise ValueError(f"D11_LANG={LANGUAGE!r}: the course has editions en and id only")

c = get_config()  # noqa: F821

c.Spawner.environment.update({"COURSE_LANG": LANGUAGE})

c.JupyterHub.load_groups.update({GROUP: {"users": INSTRUCTORS}})
c.JupyterHub.load_roles.append({
    "name": GROUP,
    "description": f"Open the {COURSE_ID} grader service",
    "groups": [GROUP],
    "scopes": [f"access:services!service={COURSE_ID}", "list:services", f"read:services!service={COURSE_ID}"],
})
c.JupyterHub.services.append({
    "name": COURSE_ID,
    "url": f"http://127.0.0.1:{PORT}",
    "command": [SINGLEUSER, "--ServerApp.ip=127.0.0.1"],
    "user": GRADER_ACCOUNT,
    "cwd": COURSE_DIR,
    "environment": {"JUPYTERHUB_DEFAULT_URL": "/lab", "JUPYTER_CONFIG_PATH": CONFIG_PATH, "MPLBACKEND": "Agg",
                    "COURSE_LANG": LANGUAGE},
    "oauth_no_confirm": True,
})
