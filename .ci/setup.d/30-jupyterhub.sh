# Hub tests (tests/hub) and hub benchmarks: JupyterHub's proxy, and trainee accounts that can run the course.
# Sourced by .ci/run as root (set -euo pipefail is on). Idempotent.
#
# 1. configurable-http-proxy, JupyterHub's default proxy, from the npm registry (JupyterHub itself comes from
#    PyPI with the course's test dependencies).
# 2. The hub test starts each trainee's server as that trainee's own UNIX account (d11-*), with the same Python
#    as the tests. That Python, its standard library and the checkout must be reachable by other accounts:
#    any folder above them that others cannot traverse (on this machine /root, mode 700, holds pyenv's
#    Python) gets o+x: search permission only, so others can reach known paths but cannot list the folder.
#    A Littlest JupyterHub does the same by keeping the user environment in /opt/tljh/user.

if ! command -v configurable-http-proxy >/dev/null 2>&1; then
    npm install --global --no-audit --no-fund --loglevel=error configurable-http-proxy@5
fi
D11_CHP="$(command -v configurable-http-proxy)"
export D11_CHP

d11_open_path() {
    local dir="$1"
    while [ -n "$dir" ] && [ "$dir" != "/" ]; do
        if [ -d "$dir" ] && [ -n "$(find "$dir" -maxdepth 0 ! -perm -o=x 2>/dev/null)" ]; then
            echo "30-jupyterhub: chmod o+x $dir (so trainee accounts can reach the course's Python)"
            chmod o+x "$dir"
        fi
        dir="$(dirname "$dir")"
    done
}
d11_python="$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')"
d11_open_path "$(dirname "$d11_python")"
d11_open_path "$(python3 -c 'import sys; print(sys.base_prefix)')"
d11_open_path "$PWD"
unset -f d11_open_path
unset d11_python
