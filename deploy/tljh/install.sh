#!/bin/bash
# Install the Double Eleven course on a machine running The Littlest JupyterHub (TLJH).
#
#   sudo bash deploy/tljh/install.sh [COURSE_CHECKOUT]
#   sudo D11_LANG=id bash deploy/tljh/install.sh [COURSE_CHECKOUT]     # an Indonesian workshop
#
# Run it as root, after TLJH's own installer, from the instructors' checkout of the course (the default
# COURSE_CHECKOUT is the checkout this script is in). It
#   1. installs the course (package + datasets) and nbgitpuller into TLJH's user environment, for every user;
#   2. hides the instructors' nbgrader menus from trainees;
#   3. makes nbgrader's file exchange (/srv/nbgrader/exchange) and the global nbgrader and server config;
#   4. makes the grader account that owns the course folder (solutions, gradebook, submissions) and runs the
#      formgrader service, and installs that service's hub configuration;
#   5. sets the workshop's language (D11_LANG: en, the default, or id): JupyterLab's display language for every
#      user, COURSE_LANG for every server and kernel (the course's checks), and the edition the formgrader releases
#      (solutions/ or solutions-id/ as the grader's source);
#   6. applies the limits and the idle culler of config.yaml with tljh-config, and reloads the hub.
# Each step can be run again safely; run it again with the other D11_LANG to switch languages (best before the
# first module is released). See docs/workshops.md for the whole recipe.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
COURSE="$(cd "${1:-$HERE/../..}" && pwd)"
USER_ENV=/opt/tljh/user
GRADER=jupyter-grader
COURSE_DIR="/home/$GRADER/double-eleven"
FORMGRADER_CONFIG=/opt/double-eleven/formgrader
D11_LANG="${D11_LANG:-en}"
case "$D11_LANG" in
    en) SOURCE=solutions ;;
    id) SOURCE=solutions-id ;;
    *) echo "D11_LANG=$D11_LANG: the course has editions en and id only" >&2; exit 1 ;;
esac
# JupyterLab reads every overrides.d/*.json in its settings folder; the host's own overrides.json stays untouched
LAB_OVERRIDE="$USER_ENV/share/jupyter/lab/settings/overrides.d/double-eleven-language.json"
HUB_DROPIN=/etc/systemd/system/jupyterhub.service.d/double-eleven-language.conf

[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)" >&2; exit 1; }
[ -x "$USER_ENV/bin/pip" ] || { echo "$USER_ENV not found: install The Littlest JupyterHub first" >&2; exit 1; }
[ -f "$COURSE/nbgrader_config.py" ] && [ -d "$COURSE/solutions" ] || {
    echo "$COURSE is not the instructors' checkout (nbgrader_config.py and solutions/ missing)" >&2; exit 1; }
[ -d "$COURSE/$SOURCE" ] || { echo "$COURSE/$SOURCE missing: run \`course exercises\` in the checkout" >&2; exit 1; }

# 1. the course for all users (a regular install: trainees' homes never need the checkout)
"$USER_ENV/bin/pip" install --no-cache-dir -c "$COURSE/constraints.txt" "$COURSE" "nbgitpuller>=1.2,<2"
sh "$COURSE/binder/remove-slow-extras.sh" "$USER_ENV/bin/python"   # saves ~1.5 s per kernel start

# 2. trainees see the Assignments tab, not the instructors' Formgrader and Create Assignment menus
"$USER_ENV/bin/jupyter" labextension disable --level=sys_prefix @jupyter/nbgrader:formgrader
"$USER_ENV/bin/jupyter" labextension disable --level=sys_prefix @jupyter/nbgrader:create-assignment

# 3. the exchange (everyone writes, nobody lists; nbgrader names submissions unguessably) and global config
install -d -m 0755 /srv/nbgrader
install -d -m 0777 /srv/nbgrader/exchange
install -d -m 0755 /etc/jupyter
install -m 0644 "$HERE/nbgrader_config.py" /etc/jupyter/nbgrader_config.py
install -m 0644 "$HERE/jupyter_server_config.py" /etc/jupyter/jupyter_server_config.py

# 4. the grader account and the course folder it owns (closed to everyone else, as TLJH makes homes)
id "$GRADER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$GRADER"
chmod o-rwx "/home/$GRADER"
install -d -o "$GRADER" -g "$GRADER" -m 0750 "$COURSE_DIR"
install -o "$GRADER" -g "$GRADER" -m 0640 "$COURSE/nbgrader_config.py" "$COURSE_DIR/nbgrader_config.py"
# the grader's nbgrader source is the workshop's edition (same module names and grade ids in both languages)
install -d -o "$GRADER" -g "$GRADER" -m 0750 "$COURSE_DIR/solutions"
cp -rT "$COURSE/$SOURCE" "$COURSE_DIR/solutions"
chown -R "$GRADER:$GRADER" "$COURSE_DIR/solutions"
install -d -m 0755 "$FORMGRADER_CONFIG/labconfig"
install -m 0644 "$HERE/formgrader/jupyter_server_config.py" "$FORMGRADER_CONFIG/jupyter_server_config.py"
install -m 0644 "$HERE/formgrader/labconfig/page_config.json" "$FORMGRADER_CONFIG/labconfig/page_config.json"
install -m 0644 "$HERE/jupyterhub_config.d/double_eleven.py" /opt/tljh/config/jupyterhub_config.d/double_eleven.py

# 5. the workshop's language
if [ "$D11_LANG" = id ]; then
    install -d -m 0755 "$(dirname "$LAB_OVERRIDE")" "$(dirname "$HUB_DROPIN")"
    install -m 0644 "$HERE/lang-id/overrides.json" "$LAB_OVERRIDE"
    install -m 0644 "$HERE/lang-id/jupyterhub.service.conf" "$HUB_DROPIN"
else
    rm -f "$LAB_OVERRIDE" "$HUB_DROPIN"
fi
systemctl daemon-reload   # the hub reads D11_LANG from its drop-in; the reload below restarts it

# 6. limits and culling (the values of config.yaml), then reload the hub
tljh-config add-item users.admin instructor
tljh-config set user_environment.default_app jupyterlab
tljh-config set limits.memory 576M
tljh-config set limits.cpu 1
tljh-config set services.cull.enabled True
tljh-config set services.cull.timeout 3600
tljh-config set services.cull.every 300
tljh-config set services.cull.max_age 0
tljh-config set services.cull.users False
tljh-config reload
echo "Double Eleven installed. Instructors: add each grader to the hub group formgrade-double-eleven (D11_INSTRUCTORS"
echo "in the hub's environment, default 'instructor'), then open /services/double-eleven/ ."
echo "Workshop language: $D11_LANG (JupyterLab, the checks and the formgrader's releases). Give trainees links made"
echo "with \`course hub-link ... --lang $D11_LANG\`."
