#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine: system packages (when missing), the virtual environment,
# pinned Python packages. Usage: scripts/bootstrap.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

need=()
command -v python3 >/dev/null || need+=(python3)
python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
# Pango renders the PDF reports (WeasyPrint).
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# Fonts with every Vietnamese letter, for rendered documents and screenshots.
[ -e /usr/share/fonts/truetype/liberation2 ] || need+=(fonts-liberation2)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing system packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing system packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    [[ " ${need[*]} " == *" python3"* ]] && exit 1
  fi
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check uv==0.13.9
req=(-r requirements.txt)
[ "$mode" = test ] && req+=(-r requirements-dev.txt)
.venv/bin/uv pip install -q --python .venv/bin/python "${req[@]}"
