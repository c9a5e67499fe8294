"""JupyterHub's configuration for one hub run, read by ``jupyterhub -f`` (see site.HubSite.start).

The run's values (ports, folders, accounts, password, tokens) come from the JSON file named by $D11_HUB_SETTINGS,
written by HubSite; the course's own TLJH configuration (deploy/tljh/jupyterhub_config.d) is loaded on top when
the formgrader service is wanted.
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub's config loader provides get_config)
settings = json.loads(Path(os.environ["D11_HUB_SETTINGS"]).read_text(encoding="utf-8"))

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.JupyterHub.db_url = f"sqlite:///{settings['hub_dir']}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{settings['hub_dir']}/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = settings["password"]
c.Authenticator.allowed_users = set(settings["users"])
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [settings["singleuser"]]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = settings["environment"]
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.cleanup_servers = True
if settings["formgrader_config"]:
    load_subconfig(settings["formgrader_config"])  # noqa: F821  (provided by JupyterHub's config loader)
else:
    c.JupyterHub.services = []
    c.JupyterHub.load_roles = []
c.JupyterHub.services.append({"name": "d11-driver", "api_token": settings["driver_token"]})
c.JupyterHub.load_roles.append({"name": "d11-driver", "services": ["d11-driver"],
                                "scopes": ["admin:users", "admin:servers", "list:users", "read:users",
                                           "list:services", "read:services"]})
