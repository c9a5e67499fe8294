"""The deployment files: valid, consistent with each other, and sized from the measured figures.

Zero to JupyterHub cannot run here (no Kubernetes): its values file is checked the way Helm checks it, merged
over the chart's default values and validated with jsonschema against the chart's own schema (both vendored in
deploy/z2jh/chart/, chart 4.4.0). TLJH's config.yaml is checked against the keys TLJH documents for tljh-config.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from traitlets.config.loader import PyFileConfigLoader

from course.sizing import LIMIT_STEP_MB, capacity_table, memory_limit_mb

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CAPACITY = json.loads((DEPLOY / "capacity.json").read_text())


def load_py_config(path: Path, env: dict[str, str] | None = None, monkeypatch=None):
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


# ------------------------------------------------------------------ measured figures and the sizing table

def test_capacity_figures_are_measured_and_the_limits_follow_from_them():
    assert CAPACITY["heaviest_module"] in CAPACITY["modules_peak_rss_mb"]
    assert CAPACITY["peak_rss_mb"] >= CAPACITY["one_notebook_rss_mb"] > CAPACITY["idle_server_rss_mb"] > 0
    assert CAPACITY["limit_mb"] == memory_limit_mb(CAPACITY["peak_rss_mb"])
    assert CAPACITY["guarantee_mb"] % LIMIT_STEP_MB == 0 and CAPACITY["peak_rss_mb"] <= CAPACITY["guarantee_mb"]
    assert CAPACITY["guarantee_mb"] < CAPACITY["limit_mb"]


def test_workshop_guide_holds_the_table_computed_from_the_figures():
    guide = (ROOT / "docs" / "workshops.md").read_text()
    assert capacity_table(CAPACITY["peak_rss_mb"], CAPACITY["cpu_s_per_trainee"]) in guide
    assert f"{CAPACITY['limit_mb']} MB" in guide and str(CAPACITY["peak_rss_mb"]) in guide


# ------------------------------------------------------------------ binder/ (repo2docker)

def test_binder_installs_the_course_and_the_hub_tools_from_the_tested_set():
    lines = [line.strip() for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert "-c ../constraints.txt" in lines  # pip reads it relative to requirements.txt: the checkout's own file
    names = {Requirement(line).name for line in lines if not line.startswith("-")}
    assert {"jupyterhub", "nbgitpuller"} <= names
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    post = ROOT / "binder" / "postBuild"
    assert post.stat().st_mode & 0o111, "postBuild must be executable"
    text = post.read_text()
    assert "set -euo pipefail" in text and "pip install --no-cache-dir -c constraints.txt ." in text
    assert "sh binder/remove-slow-extras.sh python" in text
    assert subprocess.run(["bash", "-n", str(post)], capture_output=True).returncode == 0


def test_the_slow_extras_workaround_is_in_one_script_that_every_install_calls():
    script = ROOT / "binder" / "remove-slow-extras.sh"
    assert subprocess.run(["sh", "-n", str(script)], capture_output=True).returncode == 0
    assert "uninstall --yes --quiet rfc3987-syntax" in script.read_text()
    callers = {"Makefile": "binder/remove-slow-extras.sh", "binder/postBuild": "binder/remove-slow-extras.sh python",
               "deploy/tljh/install.sh": 'binder/remove-slow-extras.sh" "$USER_ENV/bin/python"'}
    for name, call in callers.items():
        text = (ROOT / name).read_text()
        assert call in text, f"{name} should call {call}"
        assert "uninstall --yes rfc3987-syntax" not in text, f"{name} repeats the workaround, not calling the script"
    assert '-c "$COURSE/constraints.txt"' in (ROOT / "deploy" / "tljh" / "install.sh").read_text()


def test_shell_scripts_parse():
    for script in (DEPLOY / "tljh" / "install.sh", ROOT / ".ci" / "setup.d" / "30-jupyterhub.sh"):
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script}: {result.stderr}"


# ------------------------------------------------------------------ The Littlest JupyterHub

TLJH_KEYS = {  # the tljh-config properties TLJH documents (topic/tljh-config, topic/idle-culler)
    "users": {"allowed", "banned", "admin", "extra_user_groups"},
    "user_environment": {"default_app"},
    "limits": {"memory", "cpu"},
    "services": {"cull"},
    "http": {"port", "address"}, "https": {"enabled", "port", "address", "tls", "letsencrypt"},
    "auth": None, "base_url": None,
}
CULL_KEYS = {"enabled", "timeout", "every", "concurrency", "users", "max_age", "remove_named_servers"}


def test_tljh_config_uses_documented_keys_and_the_measured_limit():
    config = yaml.safe_load((DEPLOY / "tljh" / "config.yaml").read_text())
    for section, value in config.items():
        assert section in TLJH_KEYS, section
        if TLJH_KEYS[section] is not None:
            assert set(value) <= TLJH_KEYS[section], (section, value)
    assert set(config["services"]["cull"]) <= CULL_KEYS
    assert config["user_environment"]["default_app"] in {"jupyterlab", "classic"}
    assert config["limits"]["memory"] == f"{CAPACITY['limit_mb']}M"
    assert isinstance(config["limits"]["cpu"], (int, float)) and config["limits"]["cpu"] > 0
    assert config["services"]["cull"]["enabled"] is True and config["services"]["cull"]["timeout"] >= 600


def _flatten(tree: dict, prefix: str = "") -> dict[str, object]:
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def test_install_script_sets_exactly_the_values_of_config_yaml():
    config = _flatten(yaml.safe_load((DEPLOY / "tljh" / "config.yaml").read_text()))
    script = (DEPLOY / "tljh" / "install.sh").read_text()
    sets = dict(re.findall(r"^tljh-config set (\S+) (\S+)$", script, flags=re.MULTILINE))
    expected = {k: str(v) for k, v in config.items() if not isinstance(v, list)}
    assert sets == expected
    assert re.findall(r"^tljh-config add-item users\.admin (\S+)$", script, flags=re.MULTILINE) == config["users.admin"]
    assert "tljh-config reload" in script


def test_global_nbgrader_config_names_the_course_and_the_exchange():
    config = load_py_config(DEPLOY / "tljh" / "nbgrader_config.py")
    assert config.CourseDirectory.course_id == "double-eleven"
    assert config.Exchange.root == "/srv/nbgrader/exchange"


def test_formgrader_service_config_fixes_framing_and_shows_the_menus():
    config = load_py_config(DEPLOY / "tljh" / "formgrader" / "jupyter_server_config.py")
    assert config.ServerApp.tornado_settings["headers"]["Content-Security-Policy"] == "frame-ancestors 'self'"
    page = json.loads((DEPLOY / "tljh" / "formgrader" / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"@jupyter/nbgrader:formgrader": False,
                                          "@jupyter/nbgrader:create-assignment": False}


def test_kernel_culling_config_loads():
    config = load_py_config(DEPLOY / "tljh" / "jupyter_server_config.py")
    assert config.MappingKernelManager.cull_idle_timeout == 1800 and config.MappingKernelManager.cull_connected is False


def _hub_config(monkeypatch, env=None):
    """The TLJH hub snippet applied to a fresh config, as JupyterHub's load_subconfig does."""
    from traitlets.config import Config

    config = load_py_config(DEPLOY / "tljh" / "jupyterhub_config.d" / "double_eleven.py", env, monkeypatch)
    base = Config()
    base.JupyterHub.services = [{"name": "cull-idle"}]  # as if TLJH had set its own services before
    base.merge(config)
    services = base.JupyterHub.services
    roles = base.JupyterHub.load_roles.get_value([]) if hasattr(base.JupyterHub.load_roles, "get_value") \
        else base.JupyterHub.load_roles
    groups = base.JupyterHub.load_groups.get_value({}) if hasattr(base.JupyterHub.load_groups, "get_value") \
        else base.JupyterHub.load_groups
    return services, roles, groups


def test_tljh_hub_snippet_adds_the_formgrader_service_for_the_instructors_group(monkeypatch):
    for key in ("D11_INSTRUCTORS", "D11_GRADER_ACCOUNT", "D11_COURSE_DIR", "D11_SINGLEUSER"):
        monkeypatch.delenv(key, raising=False)
    services, roles, groups = _hub_config(monkeypatch)
    assert [s["name"] for s in services] == ["cull-idle", "double-eleven"]  # TLJH's own services are kept
    service = services[1]
    assert service["user"] == "jupyter-grader" and service["cwd"] == "/home/jupyter-grader/double-eleven"
    assert service["command"][0] == "/opt/tljh/user/bin/jupyterhub-singleuser"
    assert service["url"].startswith("http://127.0.0.1:")
    assert service["environment"]["JUPYTER_CONFIG_PATH"] == "/opt/double-eleven/formgrader"
    assert groups == {"formgrade-double-eleven": {"users": ["instructor"]}}
    (role,) = roles
    assert role["groups"] == ["formgrade-double-eleven"]
    assert "access:services!service=double-eleven" in role["scopes"]


def test_tljh_hub_snippet_takes_overrides_from_the_environment(monkeypatch):
    services, _, groups = _hub_config(monkeypatch, {"D11_INSTRUCTORS": "ana,budi", "D11_GRADER_ACCOUNT": "g",
                                                    "D11_COURSE_DIR": "/srv/c", "D11_FORMGRADER_PORT": "9123"})
    assert services[1]["user"] == "g" and services[1]["cwd"] == "/srv/c" and services[1]["url"].endswith(":9123")
    assert groups["formgrade-double-eleven"]["users"] == ["ana", "budi"]


# ------------------------------------------------------------------ Zero to JupyterHub

CHART = DEPLOY / "z2jh" / "chart"  # the chart's own schema and defaults, vendored (see its README.md)


def helm_merge(defaults, values):
    """``values`` over ``defaults`` as Helm merges them: maps deeply, the user's value winning, null deleting."""
    if not isinstance(defaults, dict) or not isinstance(values, dict):
        return values
    merged = dict(defaults)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def schema_problems(values: dict) -> list[str]:
    """What the chart's JSON schema says about ``values`` merged over the chart's defaults (empty: valid)."""
    import jsonschema

    schema = yaml.safe_load((CHART / "values.schema.yaml").read_text())
    defaults = yaml.safe_load((CHART / "values.yaml").read_text())
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'.'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in validator.iter_errors(helm_merge(defaults, values))]


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())


def test_z2jh_values_match_the_chart_schema(values):
    assert schema_problems(values) == []


def test_the_schema_check_catches_what_helm_would_refuse(values):
    """The check can fail: an unknown key, a wrong type, a misspelt section are each reported."""
    import copy

    bad = copy.deepcopy(values)
    bad["singleuser"]["memory"]["limitt"] = "1G"
    bad["cull"]["timeout"] = "an hour"
    bad["hubb"] = {}
    problems = "\n".join(schema_problems(bad))
    assert "limitt" in problems and "an hour" in problems and "hubb" in problems
    assert helm_merge({"a": {"b": 1, "c": 2}, "l": [1]}, {"a": {"b": None, "d": 3}, "l": [2]}) == \
        {"a": {"c": 2, "d": 3}, "l": [2]}


def test_z2jh_values_use_the_course_image_and_the_measured_memory(values):
    single = values["singleuser"]
    assert single["image"]["name"] and single["image"]["tag"]
    assert single["memory"]["limit"] == f"{CAPACITY['limit_mb']}M"
    assert single["memory"]["guarantee"] == f"{CAPACITY['guarantee_mb']}M"
    assert values["prePuller"]["hook"]["enabled"] and values["prePuller"]["continuous"]["enabled"]
    placeholder = values["scheduling"]["userPlaceholder"]
    assert placeholder["enabled"] and placeholder["replicas"] > 0
    assert values["scheduling"]["podPriority"]["enabled"]  # placeholders are evicted for real users
    assert values["cull"]["enabled"] and values["cull"]["timeout"] >= 600


def test_z2jh_values_use_ngshare_as_the_exchange(values):
    files = values["singleuser"]["extraFiles"]
    nbgrader = files["nbgrader-config"]
    assert nbgrader["mountPath"] == "/etc/jupyter/nbgrader_config.py"
    compile(nbgrader["stringData"], "nbgrader_config.py", "exec")
    assert "configureExchange(" in nbgrader["stringData"] and '"double-eleven"' in nbgrader["stringData"]
    assert values["hub"]["services"]["ngshare"]["url"].startswith("http://ngshare")
    assert "access:services!service=ngshare" in values["hub"]["loadRoles"]["user"]["scopes"]
    for name, code in values["hub"]["extraConfig"].items():
        compile(code, name, "exec")
    csp = files["instructor-server-config"]["data"]["ServerApp"]["tornado_settings"]["headers"]
    assert csp["Content-Security-Policy"] == "frame-ancestors 'self'"


# ------------------------------------------------------------------ Dask grading workers on Kubernetes

def test_grading_workers_may_reach_only_their_cluster_and_dns():
    policy = yaml.safe_load((DEPLOY / "dask" / "networkpolicy.yaml").read_text())
    cluster = yaml.safe_load((DEPLOY / "dask" / "daskcluster.yaml").read_text())
    name = cluster["metadata"]["name"]
    assert policy["kind"] == "NetworkPolicy" and set(policy["spec"]["policyTypes"]) == {"Egress", "Ingress"}
    assert policy["metadata"]["namespace"] == cluster["metadata"]["namespace"]
    assert policy["spec"]["podSelector"]["matchLabels"] == {"dask.org/cluster-name": name,
                                                            "dask.org/component": "worker"}
    for rule in policy["spec"]["egress"]:
        (peer,) = rule["to"]
        if "namespaceSelector" in peer:  # the cluster DNS, on port 53 only
            assert peer["podSelector"]["matchLabels"] == {"k8s-app": "kube-dns"}
            assert {port["port"] for port in rule["ports"]} == {53}
        else:
            assert peer == {"podSelector": {"matchLabels": {"dask.org/cluster-name": name}}}
    assert all("ipBlock" not in peer for rule in policy["spec"]["egress"] for peer in rule["to"])


def _grader_image() -> tuple[str, str]:
    """(the image deploy/grader/Dockerfile builds on, the tag it documents building)."""
    dockerfile = (DEPLOY / "grader" / "Dockerfile").read_text()
    base = re.search(r"^ARG STUDENT_IMAGE=(\S+)$", dockerfile, re.M).group(1)
    assert re.search(r"^FROM \$\{STUDENT_IMAGE\}$", dockerfile, re.M)
    built = re.search(r"docker build -f deploy/grader/Dockerfile -t (\S+) \.", dockerfile).group(1)
    return base, built


def test_grading_workers_run_the_grading_image_one_thread_each():
    """The student edition's image has no course.grading: workers, scheduler and instructors' servers run the
    grading image, which is that image plus the whole package (deploy/grader/Dockerfile)."""
    cluster = yaml.safe_load((DEPLOY / "dask" / "daskcluster.yaml").read_text())
    (worker,) = cluster["spec"]["worker"]["spec"]["containers"]
    (scheduler,) = cluster["spec"]["scheduler"]["spec"]["containers"]
    args = worker["args"]
    assert args[:2] == ["dask", "worker"] and args[args.index("--nthreads") + 1] == "1"
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    image = values["singleuser"]["image"]
    base, grader = _grader_image()
    assert base == f"{image['name']}:{image['tag']}", "the grading image is built on the trainees' course image"
    assert worker["image"] == scheduler["image"] == grader, "the workers and the scheduler run the grading image"
    assert f'spawner.image = "{grader}"' in values["hub"]["extraConfig"]["d11-instructors.py"]
    pulled = values["prePuller"]["extraImages"]["grader"]
    assert f"{pulled['name']}:{pulled['tag']}" == grader
    assert "SYS_ADMIN" in worker["securityContext"]["capabilities"]["add"]


def test_the_grading_image_adds_the_whole_package_and_checks_it_imports():
    dockerfile = (DEPLOY / "grader" / "Dockerfile").read_text()
    assert "pip wheel --no-deps -w dist ." in dockerfile  # the wheel: package and datasets, no solutions/
    assert re.search(r"pip install [^\n]*--no-deps [^\n]*/tmp/course-wheel/\*\.whl", dockerfile)
    assert "import course.grading.worker, course.grading.feedback" in dockerfile


# ------------------------------------------------------------------ the workshop's language (D11_LANG, values-id.yaml)

LAB_OVERRIDE = json.loads((ROOT / "course" / "lab_config" / "settings-id" / "overrides.json").read_text())


def test_the_indonesian_interface_is_one_override_everywhere():
    """`course lab --lang id`, TLJH and z2jh set JupyterLab's display language with the same override."""
    assert LAB_OVERRIDE == {"@jupyterlab/translation-extension:plugin": {"locale": "id_ID"}}
    assert json.loads((DEPLOY / "tljh" / "lang-id" / "overrides.json").read_text()) == LAB_OVERRIDE
    z2jh = yaml.safe_load((DEPLOY / "z2jh" / "values-id.yaml").read_text())
    assert z2jh["singleuser"]["extraFiles"]["jupyterlab-language"]["data"] == LAB_OVERRIDE


def test_tljh_install_switches_language_with_d11_lang():
    script = (DEPLOY / "tljh" / "install.sh").read_text()
    assert 'D11_LANG="${D11_LANG:-en}"' in script  # English unless the host says otherwise
    assert re.search(r"^\s+en\) SOURCE=solutions ;;$", script, flags=re.MULTILINE)
    assert re.search(r"^\s+id\) SOURCE=solutions-id ;;$", script, flags=re.MULTILINE)
    assert 'cp -rT "$COURSE/$SOURCE" "$COURSE_DIR/solutions"' in script  # the formgrader releases that edition
    # JupyterLab reads overrides.d/*.json in the user environment's settings folder (jupyterlab_server)
    assert 'LAB_OVERRIDE="$USER_ENV/share/jupyter/lab/settings/overrides.d/double-eleven-language.json"' in script
    assert 'install -m 0644 "$HERE/lang-id/overrides.json" "$LAB_OVERRIDE"' in script
    assert 'rm -f "$LAB_OVERRIDE" "$HUB_DROPIN"' in script  # switching back to English removes both
    assert script.index("systemctl daemon-reload") < script.index("tljh-config reload")  # the hub restarts after
    dropin = (DEPLOY / "tljh" / "lang-id" / "jupyterhub.service.conf").read_text()
    assert re.findall(r"^(\[Service\]|Environment=.*)$", dropin, flags=re.MULTILINE) == \
        ["[Service]", "Environment=D11_LANG=id"]


def test_tljh_install_refuses_an_unknown_language_before_doing_anything(tmp_path):
    result = subprocess.run(["bash", str(DEPLOY / "tljh" / "install.sh"), str(tmp_path)], capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "D11_LANG": "fr"}, timeout=30)
    assert result.returncode == 1 and "D11_LANG=fr" in result.stderr and "en and id" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _spawner_environment(monkeypatch, env):
    from traitlets.config import Config

    config = load_py_config(DEPLOY / "tljh" / "jupyterhub_config.d" / "double_eleven.py", env, monkeypatch)
    base = Config()
    base.Spawner.environment = {"TLJH_OWN": "kept"}  # as if TLJH or the host had set their own first
    base.JupyterHub.services = []
    base.merge(config)
    environment = base.Spawner.environment
    environment = environment.get_value({"TLJH_OWN": "kept"}) if hasattr(environment, "get_value") else environment
    return environment, base.JupyterHub.services[0]["environment"]


def test_tljh_hub_snippet_gives_every_server_the_workshop_language(monkeypatch):
    monkeypatch.delenv("D11_LANG", raising=False)
    spawner, service = _spawner_environment(monkeypatch, {})
    assert spawner == {"TLJH_OWN": "kept", "COURSE_LANG": "en"} and service["COURSE_LANG"] == "en"
    spawner, service = _spawner_environment(monkeypatch, {"D11_LANG": "id"})
    assert spawner == {"TLJH_OWN": "kept", "COURSE_LANG": "id"} and service["COURSE_LANG"] == "id"
    with pytest.raises(ValueError, match="D11_LANG='fr'"):
        _spawner_environment(monkeypatch, {"D11_LANG": "fr"})


def test_z2jh_indonesian_layer_merges_into_valid_values(values):
    layer = yaml.safe_load((DEPLOY / "z2jh" / "values-id.yaml").read_text())
    merged = helm_merge(values, layer)
    assert schema_problems(merged) == []
    single = merged["singleuser"]
    assert single["extraEnv"] == {"COURSE_LANG": "id"}
    assert single["image"] == values["singleuser"]["image"]  # the same image: it holds the language pack
    files = single["extraFiles"]
    assert set(values["singleuser"]["extraFiles"]) < set(files)  # the exchange and culling files are kept
    assert files["jupyterlab-language"]["mountPath"] == \
        "/srv/conda/envs/notebook/share/jupyter/lab/settings/overrides.d/double-eleven-language.json"
    assert schema_problems(helm_merge(values, {"singleuser": {"extraEnv": "COURSE_LANG=id"}}))  # a wrong type fails


def test_workshop_guide_documents_the_language_switch():
    guide = (ROOT / "docs" / "workshops.md").read_text()
    for needle in ("sudo D11_LANG=id bash deploy/tljh/install.sh", "--values deploy/z2jh/values-id.yaml",
                   "--lang id", "student-id", "**File**", "**Kernel**", "**Validate**"):
        assert needle in guide, needle
