#!/usr/bin/env bash
# Benchmarks on the local stack (release build, moto on :4598).
# Prints webhook-ingest throughput, p50/p99 handler latency and worker rate;
# then contacts at scale (CONTACTS=100000): calls and time per page, a
# segment count and a CSV export over all of them; then campaigns at
# Telegram's cap (RECIPIENTS=20000): rate, duplicates, storage calls per
# recipient, live reply times, a crash run and paid mode.
source "$(dirname "$0")/common.sh"
MOTO_PORT="${CARTIE_BENCH_MOTO_PORT:-4598}"
ensure_venv
trap stop_moto EXIT
start_moto "$MOTO_PORT"
aws_local_env "$MOTO_PORT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
cargo bench -p cartie-e2e --bench webhook_ingest
# Contacts at scale: pages (calls and time), a segment count, a CSV export.
cargo bench -p cartie-e2e --bench contacts_pages
# Campaigns: 20,000 recipients at the free cap with a live buyer, a crash
# run with 20 kills, and paid mode (RECIPIENTS, KILLS, LIVE_EVERY).
cargo bench -p cartie-e2e --bench campaign_send
