#!/usr/bin/env bash
# Trains the requests adapter: a LoRA on SmolLM2-135M that learns which words of a
# free-text request go to which argument, from BFCL `tune` (../shared/bfcl, Apache-2.0)
# in maaza's own prompts. Measure it on BFCL `check` only (docs/models.md has the figures).
#
#   training/requests.sh [OUT.gguf [TRAIN_ARGS ...]]
#
# OUT defaults to ~/.cache/maaza/maaza-requests.lora.gguf; TRAIN_ARGS go to train.py after
# the recipe's own and override them (`--limit 8 --epochs 1` for a quick try).
#
# Installs the recipe's Python packages into $MAAZA_TRAIN_VENV (default /tmp/train; torch
# pulls about 3.5 GB) and llama.cpp's converter from the PyPI sdist of llama-cpp-python,
# once each. Training takes about 13 minutes on 2 x86 cores (556 steps, 2 epochs).
set -euo pipefail
# (OUT as the caller wrote it, before the script moves to the repository root)
out=$(realpath -m "${1:-$HOME/.cache/maaza/maaza-requests.lora.gguf}")
shift || true
cd "$(dirname "$0")/.."
shared=${MAAZA_SHARED:-../shared}
maaza=${MAAZA_BIN:-target/release/maaza}
venv=${MAAZA_TRAIN_VENV:-/tmp/train}
work=${MAAZA_TRAIN_WORK:-target/training}
threads=${MAAZA_THREADS:-$(nproc)}

[ -x "$maaza" ] || { echo "no $maaza: cargo build --release first" >&2; exit 1; }
[ -f "$shared/bfcl/tune.jsonl" ] || { echo "no $shared/bfcl/tune.jsonl (set MAAZA_SHARED)" >&2; exit 1; }
mkdir -p "$work" "$(dirname "$out")"

if [ ! -x "$venv/bin/python" ]; then
  echo "installing the training packages into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r training/requirements.txt
fi
convert=$(ls -d "$work"/sdist/llama_cpp_python-*/vendor/llama.cpp 2>/dev/null | head -1 || true)
if [ -z "$convert" ]; then
  echo "fetching llama.cpp's converter (the llama-cpp-python sdist)" >&2
  mkdir -p "$work/sdist"
  "$venv/bin/pip" download -q --no-deps --no-binary :all: llama-cpp-python -d "$work/sdist"
  tar xzf "$work"/sdist/llama_cpp_python-*.tar.gz -C "$work/sdist"
  convert=$(ls -d "$work"/sdist/llama_cpp_python-*/vendor/llama.cpp | head -1)
fi

base=$("$maaza" models fetch | tail -1)
"$maaza" bench --dataset "$shared/bfcl/tune.jsonl" --schemas "$shared/bfcl/schemas" \
  --prompts "$work/requests-tune.jsonl"
"$venv/bin/python" training/train.py --base "$base" --data "$work/requests-tune.jsonl" \
  --llama-cpp "$convert" --out "$out" --work "$work/requests" \
  --threads "$threads" --epochs 2 --max-len 512 "$@"
echo "measure it: $maaza bench --dataset $shared/bfcl/check.jsonl --schemas $shared/bfcl/schemas --adapter $out --predictions check.jsonl" >&2
