# Shared by scripts/dev.sh and scripts/test.sh: a project-local Python
# virtualenv with moto, and a moto server started only if none is running.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p .local

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# stage NAME COMMAND...: runs a step and remembers how long it took, so a
# run ends with a table of stage times (print_stages).
STAGES=()
STAGE_NOW=""
STAGE_START=0
stage() {
  STAGE_NOW="$1"; shift
  STAGE_START=$SECONDS
  log "$STAGE_NOW"
  "$@"
  STAGES+=("$(printf '%5ds  %s' $((SECONDS - STAGE_START)) "$STAGE_NOW")")
  STAGE_NOW=""
}
print_stages() {
  [ ${#STAGES[@]} -eq 0 ] && [ -z "$STAGE_NOW" ] && return
  log "Stage times"
  [ ${#STAGES[@]} -gt 0 ] && printf '  %s\n' "${STAGES[@]}"
  if [ -n "$STAGE_NOW" ]; then printf '%5ds  %s  (FAILED)\n' $((SECONDS - STAGE_START)) "$STAGE_NOW"; fi
}

ensure_venv() {
  local stamp=".venv/.requirements.sha"
  local want; want="$(sha256sum requirements-dev.txt | cut -d' ' -f1)"
  if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "Python virtualenv with moto and cfn-lint (.venv)"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    echo "$want" > "$stamp"
  fi
}

# Any values work against a local endpoint, but the SDK insists on them.
aws_local_env() {
  export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}"
  export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
  export AWS_REGION="${AWS_REGION:-us-east-1}"
  export AWS_ENDPOINT_URL="http://127.0.0.1:$1"
}

moto_up() { curl -s -o /dev/null "http://127.0.0.1:$1/moto-api/" 2>/dev/null; }

# start_moto PORT: reuse a server on PORT or start one; sets MOTO_PID when
# this script started it (so only what we started gets stopped).
MOTO_PID=""
start_moto() {
  local port="$1"
  if moto_up "$port"; then
    log "moto already running on :$port"
    return
  fi
  log "Starting moto on :$port"
  # Browsers PUT uploads to the file store's bucket on moto's port: with
  # moto's allow-everything CORS off, the bucket's own CORS rule (set by
  # `cartie dev`, as template.yaml sets it on AWS) is what answers them.
  MOTO_DISABLE_GLOBAL_CORS=true .venv/bin/python localstack/moto_server.py -H 127.0.0.1 -p "$port" > ".local/moto-$port.log" 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 1 100); do
    moto_up "$port" && return
    sleep 0.2
  done
  echo "moto did not start; see .local/moto-$port.log" >&2
  exit 1
}

stop_moto() {
  if [ -n "$MOTO_PID" ]; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
    MOTO_PID=""
  fi
}
