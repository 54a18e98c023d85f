#!/usr/bin/env python3
"""How much of a LoRA adapter survives being merged into a quantized base.

For every projection the adapter changes, it adds the adapter's change (B·A, scaled by
alpha/rank) to the base's dequantized weights, quantizes the sum again to TYPE (the
base's own type by default) and compares what changed with what the adapter meant:
the cosine between them (1: kept exactly; near 0: rounding noise) and the size of the
change kept against the adapter's.

    training/merge_check.py BASE.gguf ADAPTER.gguf [TYPE]   # TYPE: Q4_1, Q8_0, F16 ...

Needs the `gguf` and `numpy` packages (the training venv has both). docs/models.md has
what it printed for the requests adapter.
"""

import sys

import numpy as np
from gguf import GGMLQuantizationType, GGUFReader
from gguf.quants import dequantize, quantize


def matrix(tensor):
    """A tensor of a GGUF file as a float32 matrix, rows first."""
    data = dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
    return data.reshape([int(n) for n in reversed(tensor.shape)])


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    base, adapter = GGUFReader(sys.argv[1]), GGUFReader(sys.argv[2])
    alpha = next(float(f.parts[f.data[0]][0]) for f in adapter.fields.values() if f.name.endswith("lora.alpha"))
    parts = {t.name: t for t in adapter.tensors}
    cosines, ratios = [], []
    for t in base.tensors:
        a, b = parts.get(t.name + ".lora_a"), parts.get(t.name + ".lora_b")
        if a is None or b is None:
            continue
        a, b = matrix(a), matrix(b)
        change = (b @ a) * (alpha / a.shape[0])
        weights = matrix(t)
        qtype = GGMLQuantizationType[sys.argv[3]] if len(sys.argv) == 4 else t.tensor_type
        requant = lambda w: dequantize(quantize(w, qtype), qtype).reshape(w.shape)
        kept = requant(weights + change) - requant(weights)
        cosines.append(float((kept * change).sum() / np.sqrt((kept * kept).sum() * (change * change).sum())))
        ratios.append(float(np.linalg.norm(kept) / np.linalg.norm(change)))
        print(
            f"{t.name:28} weights sd {weights.std():.4f}  change sd {change.std():.5f}"
            f"  kept: cosine {cosines[-1]:.3f}, size x{ratios[-1]:.2f}"
        )
    if not cosines:
        sys.exit("the adapter changes no tensor of this base")
    print(f"{len(cosines)} projections: cosine {min(cosines):.3f}–{max(cosines):.3f} (median {np.median(cosines):.3f})")


if __name__ == "__main__":
    main()
