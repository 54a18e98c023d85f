#!/usr/bin/env bash
# maaza against llama.cpp's own llama-server (json_schema) and llama-bench, side by side:
# same model, same threads, same jobs, same prompts (maaza's), one request at a time.
#
#   scripts/compare-llama.sh [DATASET ...]
#
# Datasets default to ../shared/edgejson/check.jsonl and bench/heldout.jsonl; schemas are
# looked up in the dataset's own schemas/ folder when it has one, else in schemas/.
# Environment: MAAZA_THREADS (default: the physical cores), MAAZA_COMPARE_LIMIT (first N
# examples of each dataset), LLAMA_CPP_PYTHON (the sdist version, default 0.3.36).
# The first run builds llama-server and llama-bench from the llama.cpp source in the PyPI
# sdist of llama-cpp-python (the copy inside llama-cpp-sys-2 has no tools) into
# target/llama.cpp/: about 10 minutes on 2 cores. Everything it writes is under
# target/compare/.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${LLAMA_CPP_PYTHON:-0.3.36}"
tools="target/llama.cpp"
out="target/compare"
mkdir -p "$tools" "$out"

physical_cores() {
    local n
    n=$(lscpu -p=Core,Socket 2>/dev/null | grep -v '^#' | sort -u | wc -l)
    [ "$n" -gt 0 ] && echo "$n" || nproc
}
threads="${MAAZA_THREADS:-$(physical_cores)}"

if [ ! -x "$tools/build/bin/llama-server" ] || [ ! -x "$tools/build/bin/llama-bench" ]; then
    echo "==> building llama-server and llama-bench from llama-cpp-python $version (sdist)" >&2
    if [ ! -d "$tools/src" ]; then
        python3 -m pip download --quiet --no-deps --no-binary :all: "llama-cpp-python==$version" -d "$tools"
        mkdir -p "$tools/src"
        tar -xzf "$tools/llama_cpp_python-$version.tar.gz" -C "$tools/src" --strip-components=1
    fi
    cmake -S "$tools/src/vendor/llama.cpp" -B "$tools/build" -DCMAKE_BUILD_TYPE=Release \
        -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
        -DBUILD_SHARED_LIBS=OFF >/dev/null
    cmake --build "$tools/build" --target llama-server llama-bench -j "$(nproc)" >/dev/null
fi

[ -x target/release/maaza ] || cargo build --release --locked
model=$(./target/release/maaza models fetch | tail -n 1)
[ -f "$model" ] || { echo "no model at '$model'" >&2; exit 1; }

echo "==> llama-bench: pp512 and tg64, $threads threads" >&2
"$tools/build/bin/llama-bench" -m "$model" -t "$threads" -p 512 -n 64 -o json > "$out/llama-bench.json"

datasets=("$@")
[ "${#datasets[@]}" -gt 0 ] || datasets=(../shared/edgejson/check.jsonl bench/heldout.jsonl)

for dataset in "${datasets[@]}"; do
    name=$(basename "$(cd "$(dirname "$dataset")" && pwd)")-$(basename "$dataset" .jsonl)
    schemas="$(dirname "$dataset")/schemas"
    [ -d "$schemas" ] || schemas=schemas
    subset="$out/$name.dataset.jsonl"
    if [ -n "${MAAZA_COMPARE_LIMIT:-}" ]; then head -n "$MAAZA_COMPARE_LIMIT" "$dataset" > "$subset"; else cp "$dataset" "$subset"; fi
    echo "==> $name: maaza bench" >&2
    rm -f "$out/$name.maaza.json" "$out/$name.maaza.jsonl"
    # Exit 2 with a report: some examples were rejected, and they count as misses.
    ./target/release/maaza bench --dataset "$subset" --schemas "$schemas" --model "$model" --threads "$threads" \
        --report "$out/$name.maaza.json" --predictions "$out/$name.maaza.jsonl" || [ $? -eq 2 ]
    [ -s "$out/$name.maaza.json" ] || { echo "maaza bench wrote no report for $dataset" >&2; exit 1; }
    ./target/release/maaza bench --dataset "$subset" --schemas "$schemas" --prompts "$out/$name.prompts.jsonl"
    echo "==> $name: llama-server" >&2
    python3 scripts/compare-llama.py server --server "$tools/build/bin/llama-server" --model "$model" \
        --threads "$threads" --dataset "$subset" --schemas "$schemas" --prompts "$out/$name.prompts.jsonl" \
        --out "$out/$name.server.jsonl"
    python3 scripts/compare-llama.py table --name "$name" --dataset "$subset" --model "$model" --threads "$threads" \
        --maaza-report "$out/$name.maaza.json" --maaza-predictions "$out/$name.maaza.jsonl" \
        --server-rows "$out/$name.server.jsonl" --llama-bench "$out/llama-bench.json" | tee "$out/$name.table.txt"
done
