"""Jupyter Server settings for the formgrader service only (its JUPYTER_CONFIG_PATH, see double_eleven.py).

Since JupyterHub 4.1 every single-user server sends `Content-Security-Policy: frame-ancestors 'none'`, which stops
JupyterLab from showing the formgrader in a tab (it is an iframe): the tab stays blank (jupyter/nbgrader#1870).
The documented fix is to let the server frame its own pages again. It is applied here to the grader service
alone, which only instructors can open; trainees' servers keep JupyterHub's stricter default, as JupyterHub's
security notes advise. Without it, the formgrader still works opened directly at /services/double-eleven/formgrader.
"""

c = get_config()  # noqa: F821

c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
