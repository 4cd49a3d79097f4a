#!/usr/bin/env bash
# The webhook's ack, side by side with the same ack written in Node 20 + the
# AWS SDK v3 (bench/node-webhook), on the same local stack: CPU per update of
# each server process (utime + stime from /proc, the load generator is a
# separate process), in alternating rounds.
#   scripts/bench-webhook.sh                 (ROUNDS=5 UPDATES=1000 CONCURRENCY=8)
#   CARTIE_BIN=path/to/cartie scripts/bench-webhook.sh    measures a binary built elsewhere
source "$(dirname "$0")/common.sh"
MOTO_PORT="${CARTIE_BENCH_MOTO_PORT:-4597}"
ROUNDS="${ROUNDS:-5}" UPDATES="${UPDATES:-1000}" CONCURRENCY="${CONCURRENCY:-8}"
RUST_PORT=18301 NODE_PORT=18302 BOT=777 SECRET="bench-secret-$(date +%s)"
PIDS=()
finish() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; stop_moto; }
trap finish EXIT

ensure_venv
start_moto "$MOTO_PORT"
aws_local_env "$MOTO_PORT"
export CARTIE_TABLE="wbench" CARTIE_QUEUE_PREFIX="wbench" RUST_LOG=warn
log "Building the release binary and the Node baseline"
CARTIE_BIN="${CARTIE_BIN:-}"
if [ -z "$CARTIE_BIN" ]; then cargo build --release -p cartie --quiet; CARTIE_BIN=target/release/cartie; fi
(cd bench/node-webhook && npm install --no-audit --no-fund --loglevel=error >/dev/null)

"$CARTIE_BIN" webhook --port "$RUST_PORT" --bot-id "$BOT" --secret "$SECRET" > .local/bench-rust.log 2>&1 &
RUST_PID=$!; PIDS+=("$RUST_PID")
for _ in $(seq 1 100); do grep -q ready .local/bench-rust.log && break; sleep 0.2; done
PORT="$NODE_PORT" TABLE="$CARTIE_TABLE" QUEUE_NAME="wbench-updates.fifo" SECRET="$SECRET" BOT_ID="$BOT" node bench/node-webhook/server.mjs > .local/bench-node.log 2>&1 &
NODE_PID=$!; PIDS+=("$NODE_PID")
for _ in $(seq 1 100); do grep -q ready .local/bench-node.log && break; sleep 0.2; done

cpu_ms() { awk -v tck="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / tck}' "/proc/$1/stat"; }

FIRST=1000000
# Nothing consumes the queue here, and moto's FIFO deduplication scans the
# whole queue on every send: emptied before each measured batch, so the
# rounds cost the same (and each server sees the same queue depth).
purge() {
  .venv/bin/python - "$MOTO_PORT" <<'PY'
import sys, boto3
sqs = boto3.client("sqs", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
url = sqs.get_queue_url(QueueName="wbench-updates.fifo")["QueueUrl"]
import time
for _ in range(3):  # SQS allows one purge a minute per queue
    try:
        sqs.purge_queue(QueueUrl=url)
        break
    except sqs.exceptions.PurgeQueueInProgress:
        time.sleep(61)
PY
}
# measure NAME PID PORT: one round; prints CPU ms per update.
measure() {
  local pid="$2" port="$3"
  node bench/webhook-load.mjs "http://127.0.0.1:$port/tg/$BOT" "$SECRET" "$FIRST" 100 "$CONCURRENCY" >/dev/null   # warm up
  FIRST=$((FIRST + 100))
  purge
  local before after out
  before=$(cpu_ms "$pid")
  out=$(node bench/webhook-load.mjs "http://127.0.0.1:$port/tg/$BOT" "$SECRET" "$FIRST" "$UPDATES" "$CONCURRENCY")
  after=$(cpu_ms "$pid")
  FIRST=$((FIRST + UPDATES))
  [[ "$out" == "ok $UPDATES failed 0" ]] || { echo "$1: $out" >&2; exit 1; }
  awk -v a="$after" -v b="$before" -v n="$UPDATES" 'BEGIN {printf "%.3f", (a - b) / n}'
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); node $(node --version)"
echo "round  cartie ms/update  node ms/update  ratio"
RS=() NS=()
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then rust=$(measure cartie "$RUST_PID" "$RUST_PORT"); node=$(measure node "$NODE_PID" "$NODE_PORT")
  else node=$(measure node "$NODE_PID" "$NODE_PORT"); rust=$(measure cartie "$RUST_PID" "$RUST_PORT"); fi
  RS+=("$rust"); NS+=("$node")
  awk -v r="$r" -v a="$rust" -v b="$node" 'BEGIN {printf "%5d  %16s  %14s  %5.2f\n", r, a, b, a / b}'
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
mr=$(median "${RS[@]}"); mn=$(median "${NS[@]}")
awk -v a="$mr" -v b="$mn" -v n="$UPDATES" -v c="$CONCURRENCY" 'BEGIN {printf "median over rounds (%d updates, concurrency %d): cartie %.3f ms, node %.3f ms, ratio %.2f\n", n, c, a, b, a / b}'
