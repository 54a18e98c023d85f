#!/usr/bin/env bash
# Soak: MAAZA_SOAK_JOBS (default 5000) short jobs through one `maaza serve` on a private
# Mosquitto; prints the daemon's RSS every 500 results and fails if it grows or a
# result is missing. Needs what scripts/test.sh installs (deps, release build, model).
set -euo pipefail
cd "$(dirname "$0")/.."
export MAAZA_SOAK_JOBS="${MAAZA_SOAK_JOBS:-5000}"
cargo test --release --locked --test soak -- --ignored --nocapture 2>&1 | grep -v '^\[daemon\]'
