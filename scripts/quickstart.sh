#!/usr/bin/env bash
# From a fresh Debian machine to real extractions: packages, build, model, one job
# from the command line, then the daemon: a Mosquitto broker, `maaza serve`, and a
# job submitted over MQTT.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
echo "==> building maaza (the first build compiles llama.cpp: several minutes)" >&2
cargo build --release --locked
MAAZA=./target/release/maaza
echo "==> fetching the default model (SmolLM2-135M-Instruct Q4_1, sha256-checked)" >&2
$MAAZA models fetch
TEXT="Node greenhouse-3 reports Temp 21.5C, humidity 40% at 10:32"
echo "==> maaza extract --schema sensor_reading \"$TEXT\"" >&2
$MAAZA extract --schema sensor_reading "$TEXT"

# The daemon: a private broker and state folder, so nothing on the machine is touched.
WORK=$(mktemp -d)
PORT=${MAAZA_QUICKSTART_PORT:-18830}
cleanup() {
  [ -n "${DAEMON:-}" ] && kill -TERM "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null || true
  [ -n "${BROKER:-}" ] && kill "$BROKER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$PORT" > "$WORK/mosquitto.conf"
echo "==> starting mosquitto on 127.0.0.1:$PORT" >&2
mosquitto -c "$WORK/mosquitto.conf" 2> "$WORK/mosquitto.log" &
BROKER=$!
sleep 0.5
kill -0 "$BROKER" 2>/dev/null || { cat "$WORK/mosquitto.log" >&2; echo "mosquitto could not start on port $PORT; set MAAZA_QUICKSTART_PORT" >&2; exit 1; }
printf 'state_dir = "%s/state"\n[mqtt]\nhost = "127.0.0.1"\nport = %s\n' "$WORK" "$PORT" > "$WORK/maaza.toml"
echo "==> starting maaza serve (log: MAAZA_LOG=info)" >&2
$MAAZA --config "$WORK/maaza.toml" serve 2> "$WORK/serve.log" &
DAEMON=$!
for _ in $(seq 1 120); do
  grep -q " ready " "$WORK/serve.log" && break
  kill -0 "$DAEMON" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.5
done
grep " ready " "$WORK/serve.log" >&2 || { cat "$WORK/serve.log" >&2; exit 1; }
echo "==> maaza submit --schema sensor_reading \"$TEXT\" (over MQTT)" >&2
$MAAZA --config "$WORK/maaza.toml" submit --schema sensor_reading "$TEXT"
