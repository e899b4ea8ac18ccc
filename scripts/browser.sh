#!/usr/bin/env bash
# Makes headless Chromium available for the browser test of the HTML KPI report: Debian's `chromium`
# package (CHROMIUM_PATH, default /usr/bin/chromium). Nothing to do when it is there; installed from
# Debian's packages when not (as root). Driven by playwright-core, which downloads no browser of its own.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "[browser] $CHROMIUM is missing and this is not root: install Debian's chromium package or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "[browser] installing chromium from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends chromium >&2 || {
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
}
[ -x "$CHROMIUM" ] || { echo "[browser] chromium did not install at $CHROMIUM" >&2; exit 1; }
