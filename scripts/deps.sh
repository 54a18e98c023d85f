#!/usr/bin/env bash
# Installs what building and testing maaza needs on Debian/Ubuntu: the C/C++
# toolchain, CMake and libclang for llama.cpp, the Mosquitto broker and clients
# (daemon tests and the quickstart), systemd-analyze (unit check), and a Rust
# toolchain if none is on PATH. Safe to run again; does nothing that is already done.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
for pkg in build-essential cmake clang libclang-dev pkg-config ca-certificates mosquitto mosquitto-clients systemd; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ! command -v cargo >/dev/null 2>&1; then
  # Debian's newer toolchain packages; rustup users already have cargo on PATH.
  need+=(rustc-web cargo-web)
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "==> installing Debian packages: ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
