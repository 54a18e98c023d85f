#!/usr/bin/env bash
# The whole test suite: unit tests, integration tests with the real model and broker,
# then the platform checks (aarch64 binary under qemu, the .deb installed and run).
# MAAZA_SKIP_PLATFORMS=1 skips the platform checks (they add ~10 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cargo build --release --locked
# The integration tests run the real SmolLM2-135M model; fetch it (cached after the first time).
./target/release/maaza models fetch
cargo test --release --locked --workspace -- --test-threads "${MAAZA_TEST_THREADS:-2}"
if [ "${MAAZA_SKIP_PLATFORMS:-0}" != 1 ]; then
    scripts/platforms.sh
fi
