#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of what a job brings from outside:
#   job     payload bytes -> parse_job, check_shape
#   schema  inline schema (and text) -> size limits, compile, validation, planner, grammar
#   plan    text under each shipped schema -> planner, prose planner, Lark
# Each target runs MAAZA_FUZZ_SECONDS (default 60) from a corpus seeded with the shipped
# schemas and the bench inputs; a crash, a panic or an input slower than 10 s stops it and
# leaves the input in fuzz/artifacts/<target>/. Needs a nightly toolchain (installed with
# rustup when missing) and cargo-fuzz (installed when missing). The first build takes
# several minutes: llama.cpp is built again with the fuzzing flags.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${MAAZA_FUZZ_SECONDS:-60}"
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(job schema plan)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz

# Seeds: the shipped schemas, jobs and texts from the bench set.
seed() {
    local dir="fuzz/corpus/$1"
    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || return 0
    python3 - "$1" "$dir" <<'PY'
import glob, json, sys
target, out = sys.argv[1], sys.argv[2]
# In the order the plan target reads them: by tier, then by name.
schemas = [p for tier in ("simple", "medium", "complex") for p in sorted(glob.glob(f"schemas/{tier}/*.json"))]
index = {p.rsplit("/", 1)[1][:-5]: i for i, p in enumerate(schemas)}
records = [json.loads(l) for l in open("bench/dev.jsonl") if l.strip()][:40]
def put(i, data):
    open(f"{out}/seed-{i:03}", "wb").write(data)
for i, r in enumerate(records):
    text = r["prompt"]
    schema = r["schema_id"]
    if target == "job":
        put(i, json.dumps({"id": f"j{i}", "schema": schema, "input": text}).encode())
    elif target == "plan":
        put(i, bytes([index.get(schema, 0)]) + text.encode())
    elif target == "schema":
        path = next((p for p in schemas if p.endswith(f"/{schema}.json")), None)
        if path:
            put(i, open(path, "rb").read() + b"\0" + text.encode())
if target == "schema":
    for j, p in enumerate(schemas):
        put(100 + j, open(p, "rb").read())
PY
}

for t in "${targets[@]}"; do
    seed "$t"
    echo "==> fuzzing $t for ${seconds}s" >&2
    cargo +nightly fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
