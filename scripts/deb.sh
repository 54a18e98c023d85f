#!/usr/bin/env bash
# Builds the Debian package of an already built binary with cargo-deb (installed on
# first use). Usage: scripts/deb.sh [TARGET]
#   no TARGET: target/release/maaza (run `cargo build --release` first) -> target/debian/
#   aarch64-unknown-linux-gnu: the binary of scripts/build-arm.sh -> target/cross/debian/
# The path of the .deb is printed on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
    echo "deb.sh: installing cargo-deb" >&2
    cargo install --locked cargo-deb --version 3.8.0 >&2
fi
args=(--no-build --locked)
if [ -n "${1:-}" ]; then
    export CARGO_TARGET_DIR=target/cross
    args+=(--target "$1")
fi
cargo deb "${args[@]}" >&2
deb=$(ls -t "${CARGO_TARGET_DIR:-target}"/debian/maaza_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || { echo "deb.sh: cargo deb wrote no package" >&2; exit 1; }
echo "$deb"
