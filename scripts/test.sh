#!/usr/bin/env bash
# Runs every Cartie test on a fresh machine: installs what it needs (Python
# virtualenv with moto and cfn-lint, npm packages, Debian's chromium),
# starts what it needs (moto, the local runtime) and stops what it started.
# Prints each stage's time at the end. Benchmarks, 100k-item seeds and long
# drills are not here: they live in scripts/bench.sh and scripts/fuzz.sh.
#   1. formatting and lints: cargo fmt --check, clippy -D warnings
#   2. template: cfn-lint; the MTProto host image definition: hadolint
#   3. Rust unit + end-to-end tests (real handlers against moto), fuzz cases
#   4. web: lint (no untranslated text), type-check, build (first-load
#      budget), Vitest (locale parity)
#   5. browser: Playwright (Debian chromium) against the local runtime
source "$(dirname "$0")/common.sh"

MOTO_PORT="${CARTIE_TEST_MOTO_PORT:-4599}"
APP_PORT="${CARTIE_TEST_PORT:-18080}"
APP_PID=""

cleanup() {
  local code=$?
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  stop_moto
  print_stages
  exit $code
}
trap cleanup EXIT

rust_format_and_lints() {
  cargo fmt --all --check
  cargo clippy --workspace --all-targets --quiet -- -D warnings
}

rust_tests() {
  cargo build --workspace --all-targets --quiet
  if ! cargo nextest --version >/dev/null 2>&1; then
    # Each test gets its own process under nextest: tests that move the
    # one clock must not share a process.
    cargo install cargo-nextest --locked --quiet
  fi
  cargo nextest run --workspace --no-fail-fast
}

web_tests() (
  cd web
  npm ci --no-audit --no-fund --loglevel=error
  npm run lint
  npm run build
  npm test
)

install_chromium() {
  command -v chromium >/dev/null 2>&1 && return
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

browser_tests() {
  export CARTIE_DEMO_EMAIL="demo@cartie.local"
  export CARTIE_DEMO_PASSWORD="demo-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  export CARTIE_SUPERADMIN_EMAIL="admin@cartie.local"
  export CARTIE_SUPERADMIN_PASSWORD="admin-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  export CARTIE_TABLE="e2e-$(date +%s)" CARTIE_QUEUE_PREFIX="e2e-$(date +%s)"
  # The parser test imports a page the browser test serves on 127.0.0.1;
  # every other private address stays refused.
  export CARTIE_PARSER_ALLOW_HOSTS=127.0.0.1
  "${CARGO_TARGET_DIR:-target}/debug/cartie" dev --port "$APP_PORT" --web web/dist > .local/e2e-app.log 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$APP_PORT/api/health" >/dev/null && break
    kill -0 "$APP_PID" 2>/dev/null || { cat .local/e2e-app.log; exit 1; }
    sleep 0.2
  done
  curl -sf "http://127.0.0.1:$APP_PORT/api/health/deep" >/dev/null || { echo "deep health failed"; curl -s "http://127.0.0.1:$APP_PORT/api/health/deep"; exit 1; }
  (cd web && CARTIE_URL="http://127.0.0.1:$APP_PORT" CARTIE_SANDBOX_URL="http://127.0.0.1:$((APP_PORT + 1))" npm run --silent e2e)
}

stage "Python virtualenv (moto, cfn-lint)" ensure_venv
start_moto "$MOTO_PORT"
aws_local_env "$MOTO_PORT"
stage "cargo fmt --check, clippy -D warnings" rust_format_and_lints
stage "cfn-lint template.yaml" .venv/bin/cfn-lint template.yaml
# No Docker here: the image definition is linted, the binary it packages is built and tested.
stage "hadolint mtproto-host/Dockerfile" .venv/bin/hadolint mtproto-host/Dockerfile
stage "Rust unit, end-to-end and fuzz tests (moto on :$MOTO_PORT)" rust_tests
stage "Web app: lint, build (first-load budget), unit and locale tests" web_tests
stage "Debian's chromium" install_chromium
stage "Browser tests against the local runtime on :$APP_PORT" browser_tests
