#!/usr/bin/env bash
# Long fuzz runs, never part of scripts/test.sh (CI runs 2,000 cases per
# decoder and 25 generated requests per route). Here:
#   - the cheap decoders (router and percent decoding, tokens, cursors,
#     initData, webhook bodies): FUZZ_CASES each, default 1,000,000;
#   - query strings and JSON bodies: ROUTE_CASES per route (default
#     20,000; about 60 routes, so over a million each);
#   - the parser's properties: PARSER_CASES each (default 100,000);
#   - generated requests against the real handlers over moto + the sandbox:
#     API_CASES per route (default 200).
# All in a release build. Prints each part's time; a failure prints the seed and the input.
#   scripts/fuzz.sh                     FUZZ_SEED=<n> reproduces a run
source "$(dirname "$0")/common.sh"
MOTO_PORT="${CARTIE_FUZZ_MOTO_PORT:-4596}"
FUZZ_CASES="${FUZZ_CASES:-1000000}" ROUTE_CASES="${ROUTE_CASES:-20000}" PARSER_CASES="${PARSER_CASES:-100000}" API_CASES="${API_CASES:-200}"
[ -n "${FUZZ_SEED:-}" ] && export CARTIE_FUZZ_SEED="$FUZZ_SEED"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

ensure_venv
trap 'print_stages; stop_moto' EXIT
start_moto "$MOTO_PORT"
aws_local_env "$MOTO_PORT"
export CARTIE_TABLE="fuzz" CARTIE_QUEUE_PREFIX="fuzz" RUST_LOG=error

decoders() { CARTIE_FUZZ_CASES="$FUZZ_CASES" cargo nextest run --release -p cartie-e2e -E 'test(/^fuzz_decoders::(paths|tokens|cursors|init_data|webhook)/)' --no-capture; }
routes() { CARTIE_FUZZ_CASES="$ROUTE_CASES" cargo nextest run --release -p cartie-e2e -E 'test(/^fuzz_decoders::(query|json)/)' --no-capture; }
parser() { CARTIE_FUZZ_CASES="$PARSER_CASES" cargo nextest run --release -p cartie-parser --test fuzz --no-capture; }
api() { CARTIE_FUZZ_API_CASES="$API_CASES" cargo nextest run --release -p cartie-e2e -E 'test(/^fuzz_api::/)' --no-capture; }

stage "Decoders, $FUZZ_CASES cases each (release)" decoders
stage "Query strings and JSON bodies, $ROUTE_CASES per route (release)" routes
stage "Parser properties, $PARSER_CASES cases each (release)" parser
stage "Generated requests, $API_CASES per route, real handlers over moto (release)" api
