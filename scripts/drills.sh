#!/usr/bin/env bash
# Long drills of the Telegram user-account host, never part of
# scripts/test.sh (the test run drills 20 accounts): a host with
# DRILL_ACCOUNTS (default 50) logged-in accounts crashes, a DM is sent to
# each while no host runs, a new host (lease 3 s) must have every one back
# online within 10 s without a login and store each DM exactly once; then
# a paused host's account moves and its late writes are refused, and it
# moves back when the other host dies. Prints the measured times.
#   scripts/drills.sh            DRILL_ACCOUNTS=100 scripts/drills.sh
source "$(dirname "$0")/common.sh"
MOTO_PORT="${CARTIE_DRILL_MOTO_PORT:-4595}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

ensure_venv
trap 'print_stages; stop_moto' EXIT
start_moto "$MOTO_PORT"
aws_local_env "$MOTO_PORT"
export RUST_LOG=error CARTIE_DRILL_ACCOUNTS="${DRILL_ACCOUNTS:-50}"

restart() { set -o pipefail; cargo nextest run -p cartie-e2e -E 'test(/^user_accounts::(a_crashed|a_paused)/)' --no-capture 2>&1 | grep -E "back online|moved|PASS|FAIL"; }
stage "Host restart and take-over drill, $CARTIE_DRILL_ACCOUNTS accounts" restart
