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
out=target/release
if [ -n "${1:-}" ]; then
    export CARGO_TARGET_DIR=target/cross
    args+=(--target "$1")
    out="target/cross/$1/release"
fi

# Shell completions and the man page, generated from the clap definitions into the
# release folder, where the package's assets point (cargo-deb maps `target/release/`
# to the target's folder). Any build of the same source prints the same files, so a
# cross build uses the host binary when there is one, else itself under qemu.
gen="$out/maaza"
if [ -n "${1:-}" ]; then
    if [ -x target/release/maaza ]; then gen=target/release/maaza
    else gen="qemu-aarch64-static -L /usr/aarch64-linux-gnu $out/maaza"; fi
fi
mkdir -p "$out/completions"
$gen completions bash > "$out/completions/maaza.bash"
$gen completions zsh > "$out/completions/_maaza"
$gen completions fish > "$out/completions/maaza.fish"
$gen man | gzip -9n > "$out/completions/maaza.1.gz"

cargo deb "${args[@]}" >&2
deb=$(ls -t "${CARGO_TARGET_DIR:-target}"/debian/maaza_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || { echo "deb.sh: cargo deb wrote no package" >&2; exit 1; }
echo "$deb"
