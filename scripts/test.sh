#!/usr/bin/env bash
# The whole test suite: unit tests and integration tests with the real model.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cargo build --release --locked
# The integration tests run the real SmolLM2-135M model; fetch it (cached after the first time).
./target/release/maaza models fetch
cargo test --release --locked -- --test-threads "${MAAZA_TEST_THREADS:-2}"
