# Browser tests (tests/browser) and benchmarks/calculators.py: Debian's Chromium, driven by the Python
# package playwright (a test dependency; `playwright install` is never run, no browser is downloaded).
# Sourced by .ci/run as root without a terminal (set -euo pipefail is on). Idempotent.

if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then
    if [ -z "${D11_APT_UPDATED:-}" ]; then  # one `apt-get update` per CI run, shared with other scripts
        apt-get update -q
        D11_APT_UPDATED=1
        export D11_APT_UPDATED
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core
fi
echo "10-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium --version failed')"
