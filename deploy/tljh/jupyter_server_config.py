"""Jupyter Server settings for every server on the hub: copy to /etc/jupyter/jupyter_server_config.py.

A trainee who moves on to the next module usually leaves the last one's kernel running. Kernels idle (and with
no browser tab attached) for 30 minutes are shut down, so memory stays near the measured peak of one trainee
(docs/workshops.md); the notebook files are untouched. TLJH's idle culler (config.yaml) stops whole servers.
"""

c = get_config()  # noqa: F821

c.MappingKernelManager.cull_idle_timeout = 1800
c.MappingKernelManager.cull_interval = 300
c.MappingKernelManager.cull_connected = False
