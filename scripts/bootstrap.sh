#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine: system packages (when missing), the virtual environment,
# pinned Python packages. Usage: scripts/bootstrap.sh [run|test]
# Sourcing it (`source scripts/bootstrap.sh`) only defines the functions, for tests.
set -euo pipefail

# apt and dpkg refuse to start while another process (often unattended-upgrades on a fresh machine)
# holds one of these locks; we wait up to QLVB_APT_LOCK_TIMEOUT seconds instead of failing at once.
APT_LOCKS=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)
APT_LOCK_TIMEOUT="${QLVB_APT_LOCK_TIMEOUT:-600}"

# The PID holding an apt/dpkg lock, or nothing. apt locks with fcntl(), which flock(1) cannot see;
# /proc/locks lists fcntl() locks by device and inode.
apt_lock_holder() {
  local file id
  for file in "${APT_LOCKS[@]}"; do
    [ -e "$file" ] || continue
    id=$(printf '%02x:%02x:%s' $(stat -c '%Hd %Ld %i' "$file"))
    awk -v id="$id" '$2 != "->" && $6 == id { print $5; exit }' /proc/locks 2>/dev/null | grep . && return
  done
  return 0
}

# Waits until no apt/dpkg lock is held, saying so once; fails when the deadline (epoch seconds) passes.
wait_for_apt_locks() {
  local deadline=$1 pid said=
  while pid=$(apt_lock_holder) && [ -n "$pid" ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "The apt lock is still held by PID $pid ($(cat /proc/"$pid"/comm 2>/dev/null || echo '?')) after" \
           "$APT_LOCK_TIMEOUT s: let it finish (or stop it) and run this again;" \
           "QLVB_APT_LOCK_TIMEOUT sets the wait in seconds." >&2
      return 1
    fi
    if [ -z "$said" ]; then
      echo "Waiting for the apt lock held by PID $pid ($(cat /proc/"$pid"/comm 2>/dev/null || echo '?'))" \
           "up to $APT_LOCK_TIMEOUT s…" >&2
      said=1
    fi
    sleep 1
  done
  [ -z "$said" ] || echo "The apt lock is free: going on." >&2
}

# apt-get, once the locks are free. The lock can be taken again between our check and apt-get's own
# (apt-get update does not wait for the lists lock at all), so a refusal while a lock is held is retried
# until the deadline; DPkg::Lock::Timeout makes install wait on the dpkg lock too.
apt_get() {
  local deadline=$(( $(date +%s) + APT_LOCK_TIMEOUT )) left
  while :; do
    wait_for_apt_locks "$deadline" || return 1
    left=$(( deadline - $(date +%s) )); [ "$left" -gt 0 ] || left=1
    apt-get -o DPkg::Lock::Timeout="$left" "$@" && return 0
    [ -n "$(apt_lock_holder)" ] && [ "$(date +%s)" -lt "$deadline" ] || return 1
  done
}

install_system_packages() {
  echo "Installing system packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "$@" >/dev/null
}

main() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  local mode="${1:-run}" need=()
  command -v python3 >/dev/null || need+=(python3)
  python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)
  if [ "$mode" = test ]; then
    [ -x /usr/bin/chromium ] || need+=(chromium)
    # PKCS#11 signing is tested against a software token (SoftHSM2).
    [ -e /usr/lib/softhsm/libsofthsm2.so ] || need+=(softhsm2)
  fi
  # Pango renders the PDF reports (WeasyPrint).
  ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
  # Fonts with every Vietnamese letter, for rendered documents and screenshots.
  [ -e /usr/share/fonts/truetype/liberation2 ] || need+=(fonts-liberation2)
  # Calibri's metric twin, for Word drafts written in Calibri (converted by LibreOffice).
  [ -e /usr/share/fonts/truetype/crosextra ] || need+=(fonts-crosextra-carlito)
  # Word drafts become PDF with LibreOffice headless (qlvb/outgoing/rendering/libreoffice.py).
  command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
  # pdftoppm: rendered and signed pages as images, to check the layout and the seal.
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  # OCR of scanned documents (ocrmypdf, qlvb/files/textract.py): Tesseract and its Vietnamese data. ocrmypdf
  # writes the PDF/A and rasterizes pages itself (pikepdf, pypdfium2): Ghostscript is not needed.
  command -v tesseract >/dev/null || need+=(tesseract-ocr)
  tesseract --list-langs 2>/dev/null | grep -qx vie || need+=(tesseract-ocr-vie)

  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      install_system_packages "${need[@]}"
    else
      echo "Missing system packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
      [[ " ${need[*]} " == *" python3"* ]] && exit 1
    fi
  fi

  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required" >&2; exit 1; }
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check uv==0.13.9
  local req=(-r requirements.txt)
  [ "$mode" = test ] && req+=(-r requirements-dev.txt)
  .venv/bin/uv pip install -q --python .venv/bin/python "${req[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
