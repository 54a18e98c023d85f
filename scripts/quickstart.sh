#!/usr/bin/env bash
# From a fresh Debian machine to a real extraction: packages, build, model, one job.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
echo "==> building maaza (the first build compiles llama.cpp: several minutes)" >&2
cargo build --release --locked
echo "==> fetching the default model (SmolLM2-135M-Instruct Q4_1, sha256-checked)" >&2
./target/release/maaza models fetch
TEXT="Node greenhouse-3 reports Temp 21.5C, humidity 40% at 10:32"
echo "==> maaza extract --schema sensor_reading \"$TEXT\"" >&2
./target/release/maaza extract --schema sensor_reading "$TEXT"
