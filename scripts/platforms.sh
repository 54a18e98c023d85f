#!/usr/bin/env bash
# The platform checks of the test suite (scripts/test.sh runs this last):
#  1. the aarch64 binary, cross-built with Debian's toolchain (scripts/build-arm.sh),
#     runs one real extraction with the real model under qemu-aarch64-static;
#  2. the amd64 .deb (scripts/deb.sh) installs with dpkg -i, `maaza extract` runs from
#     the installed paths (/usr/bin, /etc/maaza, /usr/share/maaza/schemas,
#     /var/lib/maaza/models), and the package is purged again;
#  3. the arm64 .deb is built and has the right architecture and files.
# Needs root or sudo (apt-get, dpkg) and the model (scripts/test.sh fetches it first).
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

model="${MAAZA_TEST_MODEL:-$HOME/.cache/maaza/SmolLM2-135M-Instruct.Q4_1.gguf}"
[ -f "$model" ] || { echo "platforms.sh: no model at $model: run ./target/release/maaza models fetch" >&2; exit 1; }
text="Node greenhouse-3 reports Temp 21.5C, humidity 40% at 10:32"
fail() { echo "platforms.sh: FAILED: $*" >&2; exit 1; }

echo "== aarch64: build" >&2
scripts/build-arm.sh aarch64-unknown-linux-gnu
arm=target/cross/aarch64-unknown-linux-gnu/release/maaza
[[ "$(readelf -h "$arm")" == *AArch64* ]] || fail "$arm is not an AArch64 binary"

echo "== aarch64: one extraction under qemu (1 thread; emulation is slow)" >&2
start=$(date +%s)
out=$(OMP_WAIT_POLICY=PASSIVE qemu-aarch64-static -L /usr/aarch64-linux-gnu "$arm" extract \
    --model "$model" --schemas schemas --threads 1 --schema sensor_reading --json "$text")
echo "$out"
echo "aarch64 job under qemu: $(( $(date +%s) - start )) s" >&2
grep -q '"status": *"ok"' <<<"$out" || fail "the aarch64 job did not answer ok"
grep -q '"temperature_c": *21.5' <<<"$out" || fail "the aarch64 job lost temperature_c"

echo "== amd64 .deb: build, install, extract, purge" >&2
deb=$(scripts/deb.sh)
ls -l "$deb" >&2
[ "$(dpkg-deb --field "$deb" Architecture)" = amd64 ] || fail "$deb is not amd64"
placed=/var/lib/maaza/models/SmolLM2-135M-Instruct.Q4_1.gguf
[ ! -e "$placed" ] || placed=""   # a model that was there before stays
adapter=/var/lib/maaza/models/smollm2-135m-requests.lora.gguf   # written by `models fetch`
[ ! -e "$adapter" ] || adapter=""
cleanup() {
    $sudo dpkg --purge maaza >/dev/null 2>&1 || true
    [ -z "$adapter" ] || $sudo rm -f "$adapter"
    if [ -n "$placed" ]; then $sudo rm -f "$placed"; $sudo rmdir --ignore-fail-on-non-empty /var/lib/maaza/models /var/lib/maaza 2>/dev/null || true; fi
}
trap cleanup EXIT
$sudo dpkg -i "$deb"
[ -f /etc/maaza/maaza.toml ] && [ -f /usr/share/maaza/schemas/simple/sensor_reading.json ] \
    && [ -f /usr/lib/systemd/system/maaza.service ] || fail "the package lacks its config, schemas or unit"
# Completions and the man page, generated from the clap definitions.
bash -c 'source /usr/share/bash-completion/completions/maaza && complete -p maaza' >/dev/null \
    || fail "the bash completion does not load"
[ -f /usr/share/zsh/vendor-completions/_maaza ] && [ -f /usr/share/fish/vendor_completions.d/maaza.fish ] \
    || fail "the package lacks the zsh or fish completion"
zcat /usr/share/man/man1/maaza.1.gz | grep -q '^\.SH "MAAZA STATUS"' || fail "the man page lacks maaza status"
# The model as `maaza models fetch` leaves it (a copy of the cached file: no second
# download); fetch then only verifies its sha256.
[ -z "$placed" ] || $sudo install -D -m 644 "$model" "$placed"
$sudo /usr/bin/maaza models fetch
[ -f /var/lib/maaza/models/smollm2-135m-requests.lora.gguf ] || fail "models fetch did not write the requests adapter"
installed=$(cd / && /usr/bin/maaza extract --threads 2 --schema sensor_reading "$text")
echo "$installed"
grep -q '"temperature_c": *21.5' <<<"$installed" || fail "the installed maaza did not extract"
cleanup
trap - EXIT
[ ! -e /usr/bin/maaza ] || fail "dpkg --purge left /usr/bin/maaza"

echo "== arm64 .deb: build" >&2
armdeb=$(scripts/deb.sh aarch64-unknown-linux-gnu)
ls -l "$armdeb" >&2
[ "$(dpkg-deb --field "$armdeb" Architecture)" = arm64 ] || fail "$armdeb is not arm64"
contents=$(dpkg-deb --contents "$armdeb")
grep -q '\./usr/bin/maaza$' <<<"$contents" || fail "$armdeb has no /usr/bin/maaza"
for f in usr/share/bash-completion/completions/maaza usr/share/man/man1/maaza.1.gz; do
    grep -q "\./$f\$" <<<"$contents" || fail "$armdeb has no /$f"
done
echo "platforms.sh: all platform checks passed" >&2
