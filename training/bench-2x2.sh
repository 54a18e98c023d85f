#!/usr/bin/env bash
# The seed's experiment on the edge: base model vs base + our adapter, each under the plain
# JSON-Schema grammar and under maaza's extractive decoding (planner on), on both `check`
# sets of ../shared. On EdgeJSON the planner settles labelled records without the model,
# so a third setting there runs the extractive grammar with the planner off, where the
# model decodes every value. Prints `maaza bench compare` tables and BFCL's accepted share.
#
#   training/bench-2x2.sh ADAPTER.gguf [OUT_DIR] [EVERY]
#
# EVERY (default 3 for EdgeJSON, 2 for BFCL) keeps every n-th record, so a run fits in
# about half an hour on 2 cores; EVERY=1 runs the full sets.
set -euo pipefail
adapter=${1:?usage: training/bench-2x2.sh ADAPTER.gguf [OUT_DIR] [EVERY]}
out=${2:-training/bench}
every=${3:-}
shared=${MAAZA_SHARED:-../shared}
maaza=${MAAZA_BIN:-target/release/maaza}
mkdir -p "$out"

subset() { # FILE N -> every N-th line
  awk -v n="$2" '(NR - 1) % n == 0' "$1"
}
subset "$shared/edgejson/check.jsonl" "${every:-3}" > "$out/edgejson.jsonl"
subset "$shared/bfcl/check.jsonl" "${every:-2}" > "$out/bfcl.jsonl"
subset "$shared/bfcl/check.accept.jsonl" "${every:-2}" > "$out/bfcl.accept.jsonl"

for set in edgejson bfcl; do
  for model in base adapter; do
    grammars=(json-schema extractive)
    [ "$set" = edgejson ] && grammars+=(extractive-no-plan)
    for grammar in "${grammars[@]}"; do
      flags=(--grammar "${grammar%-no-plan}")
      [ "$grammar" != extractive ] && flags+=(--no-plan)
      [ "$model" = adapter ] && flags+=(--adapter "$adapter")
      name="$set-$model-$grammar"
      echo "== $name ($(wc -l < "$out/$set.jsonl") records)" >&2
      "$maaza" bench --dataset "$out/$set.jsonl" --schemas "$shared/$set/schemas" "${flags[@]}" \
        --report "$out/$name.json" --predictions "$out/$name.predictions.jsonl" > "$out/$name.txt" || true
      if [ "$set" = bfcl ]; then
        python3 "$shared/bfcl/score.py" "$out/bfcl.jsonl" "$out/$name.predictions.jsonl" "$out/bfcl.accept.jsonl" \
          > "$out/$name.score.txt"
      fi
    done
  done
  "$maaza" bench compare "$out/$set"-{base,adapter}-*.json
done
for f in "$out"/bfcl-*.score.txt; do echo "$(basename "$f" .score.txt): $(tr '\n' ' ' < "$f")"; done
