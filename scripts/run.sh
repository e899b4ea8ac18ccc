#!/usr/bin/env bash
# One entry point for a fresh clone: ensures Node/pnpm, dependencies and the database, then runs a job.
#   scripts/run.sh demo    set up and run the demo on the embedded SQLite default (the README's main job)
#   scripts/run.sh test    set up and run every test (unit + integration)
#   scripts/run.sh <pnpm script> [args]   any other root script
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  pnpm install --frozen-lockfile --reporter=silent
fi
job="${1:-demo}"; shift || true
# The demo runs on the embedded SQLite default: no database server. Every other job may need one.
if [ "$job" != demo ]; then bash scripts/db.sh; fi
# The browser test of the HTML KPI report needs Chromium.
if [ "$job" = test ] || [ "$job" = test:e2e ]; then bash scripts/browser.sh; fi
exec pnpm run "$job" "$@"
