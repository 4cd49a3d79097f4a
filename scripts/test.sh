#!/usr/bin/env bash
# Runs every Cartie test on a fresh machine: installs what it needs (Python
# virtualenv with moto and cfn-lint, npm packages, Debian's chromium),
# starts what it needs (moto, the local runtime) and stops what it started.
#   1. cfn-lint on template.yaml
#   2. Rust unit + end-to-end tests (real handlers against moto)
#   3. web: type-check, build, Vitest
#   4. browser: Playwright (Debian chromium) against the local runtime
source "$(dirname "$0")/common.sh"

MOTO_PORT="${CARTIE_TEST_MOTO_PORT:-4599}"
APP_PORT="${CARTIE_TEST_PORT:-18080}"
APP_PID=""

cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  stop_moto
}
trap cleanup EXIT

ensure_venv
start_moto "$MOTO_PORT"
aws_local_env "$MOTO_PORT"

log "cfn-lint template.yaml"
.venv/bin/cfn-lint template.yaml

log "Rust tests (against moto on :$MOTO_PORT)"
cargo build --workspace --all-targets --quiet
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi

log "Web app: install, lint (no untranslated text), build (with the first-load budget), unit and locale tests"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run lint && npm run build && npm test)

if ! command -v chromium >/dev/null 2>&1; then
  log "Installing Debian's chromium for the browser test"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

log "Browser test against the local runtime on :$APP_PORT"
export CARTIE_DEMO_EMAIL="demo@cartie.local"
export CARTIE_DEMO_PASSWORD="demo-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export CARTIE_SUPERADMIN_EMAIL="admin@cartie.local"
export CARTIE_SUPERADMIN_PASSWORD="admin-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export CARTIE_TABLE="e2e-$(date +%s)" CARTIE_QUEUE_PREFIX="e2e-$(date +%s)"
# The parser test imports a page the browser test serves on 127.0.0.1; every
# other private address stays refused.
export CARTIE_PARSER_ALLOW_HOSTS=127.0.0.1
target/debug/cartie dev --port "$APP_PORT" --web web/dist > .local/e2e-app.log 2>&1 &
APP_PID=$!
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$APP_PORT/api/health" >/dev/null && break
  kill -0 "$APP_PID" 2>/dev/null || { cat .local/e2e-app.log; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$APP_PORT/api/health/deep" >/dev/null || { echo "deep health failed"; curl -s "http://127.0.0.1:$APP_PORT/api/health/deep"; exit 1; }
(cd web && CARTIE_URL="http://127.0.0.1:$APP_PORT" CARTIE_SANDBOX_URL="http://127.0.0.1:$((APP_PORT + 1))" npm run --silent e2e)
