#!/usr/bin/env bash
# Docker-free ARM build with Debian's cross toolchain (what CI runs; `cross` needs a
# container engine). Usage: scripts/build-arm.sh [TARGET]   (default aarch64-unknown-linux-gnu)
# The binary lands in target/cross/TARGET/release/maaza. Run it on x86_64 with
#   qemu-aarch64-static -L /usr/aarch64-linux-gnu target/cross/aarch64-unknown-linux-gnu/release/maaza
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-aarch64-unknown-linux-gnu}"
case "$target" in
    aarch64-unknown-linux-gnu) arch=arm64; gnu=aarch64-linux-gnu ;;
    armv7-unknown-linux-gnueabihf) arch=armhf; gnu=arm-linux-gnueabihf ;;
    *) echo "build-arm.sh: unsupported target $target (aarch64-unknown-linux-gnu, armv7-unknown-linux-gnueabihf)" >&2; exit 2 ;;
esac

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
need=(rustc-web cargo-web "libstd-rust-web-dev:$arch" "gcc-$gnu" "g++-$gnu" qemu-user-static cmake clang libclang-dev)
if ! dpkg -s "${need[@]}" >/dev/null 2>&1; then
    echo "build-arm.sh: installing Debian's cross toolchain for $arch" >&2
    dpkg --print-foreign-architectures | grep -qx "$arch" || $sudo dpkg --add-architecture "$arch"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Debian's rustc (1.96, /usr/bin) has the target's standard library; rustup's does not.
# A target folder of its own keeps the two compilers' artefacts apart.
upper=$(echo "$target" | tr 'a-z-' 'A-Z_')
lower=$(echo "$target" | tr '-' '_')
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc CARGO_TARGET_DIR=target/cross
export "CARGO_TARGET_${upper}_LINKER=$gnu-gcc"
export "CC_${lower}=$gnu-gcc" "CXX_${lower}=$gnu-g++" "AR_${lower}=$gnu-ar"
# bindgen parses llama.h with the target's headers, not the build host's.
export "BINDGEN_EXTRA_CLANG_ARGS_${lower}=--sysroot=/usr/$gnu -I/usr/$gnu/include"
# llama.cpp: no CPU detection of the build host. llama-cpp-sys-2 turns GGML_NATIVE off
# for non-native ARM targets and builds for plain armv8-a (NEON), which runs on a
# Pi 4 (Cortex-A72) and a Pi 5 (Cortex-A76) alike. (`-C target-cpu=cortex-a76` would
# reach llama.cpp as `-march=cortex-a76`, which GCC rejects on ARM: keep the baseline.)
export GGML_NATIVE=OFF
start=$(date +%s)
/usr/bin/cargo build --release --locked --target "$target"
bin="target/cross/$target/release/maaza"
echo "build-arm.sh: built $bin in $(( $(date +%s) - start )) s, $(stat -c %s "$bin") bytes" >&2
