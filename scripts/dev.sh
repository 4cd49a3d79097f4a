#!/usr/bin/env bash
# Runs Cartie locally: moto (local DynamoDB + SQS), the API, workers and
# scheduler in one process, and the web app — on http://127.0.0.1:8080 —
# plus the Telegram sandbox on :8081 with a demo bot connected.
# Needs no AWS account and no Docker. Ctrl-C stops everything it started.
source "$(dirname "$0")/common.sh"

PORT="${CARTIE_PORT:-8080}"
MOTO_PORT="${CARTIE_MOTO_PORT:-4566}"

ensure_venv
trap stop_moto EXIT
start_moto "$MOTO_PORT"
aws_local_env "$MOTO_PORT"

log "Building the web app"
(cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build --silent)

log "Building the API"
cargo build -p cartie

# A local superadmin with a random password, unless you chose one.
if [ -z "${CARTIE_SUPERADMIN_PASSWORD:-}" ]; then
  export CARTIE_SUPERADMIN_EMAIL="${CARTIE_SUPERADMIN_EMAIL:-admin@cartie.local}"
  export CARTIE_SUPERADMIN_PASSWORD="$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16)"
  echo "  Superadmin password (this run): $CARTIE_SUPERADMIN_PASSWORD"
fi
export CARTIE_SUPERADMIN_EMAIL
# The data key and the login-token key live in moto's Secrets Manager (made
# by `cartie dev` on first start, read at init as on AWS), so a restart
# against the same moto still opens the bots it connected.
"${CARGO_TARGET_DIR:-target}/debug/cartie" dev --port "$PORT" --web web/dist
