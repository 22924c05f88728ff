#!/usr/bin/env bash
# Prepares a fresh Debian machine for handouts: the system libraries WeasyPrint
# loads at run time, then a virtual environment in .venv with the package installed.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
EXTRAS="${1:-}"

missing_debian_packages() {
    local wanted=()
    ldconfig -p | grep -q 'libpango-1.0.so.0' || wanted+=(libpango-1.0-0)
    ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || wanted+=(libpangoft2-1.0-0)
    # Without harfbuzz's subsetter WeasyPrint falls back to a slower subsetter whose
    # output differs from run to run.
    ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || wanted+=(libharfbuzz-subset0)
    "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || wanted+=(python3-venv)
    if [ "$EXTRAS" = test ]; then
        # The form tests render with poppler and read forms with pdf.js, run by node.
        command -v pdftoppm >/dev/null || wanted+=(poppler-utils)
        command -v node >/dev/null || wanted+=(nodejs)
        command -v npm >/dev/null || wanted+=(npm)
        # tests/test_catalogue_page.py opens the catalogue page in a headless browser
        command -v chromium >/dev/null || wanted+=(chromium)
    fi
    if [ "$EXTRAS" = bench ]; then
        # make bench measures our build against one open Chromium (Debian's, driven by
        # Playwright from the bench extra, which never downloads a browser of its own).
        command -v chromium >/dev/null || wanted+=(chromium)
    fi
    echo "${wanted[@]:-}"
}

packages="$(missing_debian_packages)"
if [ -n "$packages" ]; then
    echo "bootstrap: installing Debian packages: $packages"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq $packages
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi

stamp=".venv/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
    touch "$stamp"
fi

if [ "$EXTRAS" = test ] && [ ! -f tests/js/node_modules/.package-lock.json -o tests/js/package-lock.json -nt tests/js/node_modules/.package-lock.json ]; then
    (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
fi
