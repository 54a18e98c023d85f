#!/usr/bin/env python3
"""Trains a Maaza-style LoRA adapter for maaza and writes it as a GGUF adapter.

The Maaza models are LoRA fine-tunes of SmolLM2 on the EdgeJSON training split
(r=16, alpha=32, all attention and MLP projections: 4.88M trainable parameters on
SmolLM2-135M). This recipe re-runs that on the edge:

1. `maaza bench --prompts` writes each training example as the exact system and user
   messages maaza sends, so the adapter learns maaza's prompt, not another one.
2. transformers loads the GGUF base (dequantized to float32) and peft trains the LoRA
   on the answer tokens only, seeded.
3. llama.cpp's `convert_lora_to_gguf.py` (from the llama.cpp source in the PyPI sdist
   of llama-cpp-python) writes the adapter as GGUF, which maaza loads on the base.

See docs/models.md for the commands and the figures measured here.
"""

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

ALL_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
CHATML = "<|im_start|>{role}\n{content}<|im_end|>\n"


def render(tokenizer, messages, answer):
    """The prompt as llama.cpp renders it for maaza, and the answer after it."""
    if tokenizer.chat_template:
        prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    else:  # maaza falls back to ChatML too
        prompt = "".join(CHATML.format(**m) for m in messages) + "<|im_start|>assistant\n"
    # The grammar writes JSON with ", " and ": " between items; the turn then ends.
    return prompt, json.dumps(answer, ensure_ascii=False) + "<|im_end|>"


def examples(paths, tokenizer, max_len, limit, seed):
    rows = [json.loads(line) for p in paths for line in Path(p).read_text().splitlines() if line.strip()]
    random.Random(seed).shuffle(rows)
    out, skipped = [], 0
    for row in rows:
        prompt, answer = render(tokenizer, row["messages"], row["answer"])
        p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        a = tokenizer(answer, add_special_tokens=False)["input_ids"]
        if len(p) + len(a) > max_len:
            skipped += 1
            continue
        out.append((p, a))
        if limit and len(out) >= limit:
            break
    return out, skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="the base GGUF (e.g. ~/.cache/maaza/SmolLM2-135M-Instruct.Q4_1.gguf)")
    ap.add_argument("--data", required=True, nargs="+", help="JSONL written by `maaza bench --prompts`")
    ap.add_argument(
        "--llama-cpp",
        help="llama.cpp source folder (vendor/llama.cpp of the sdist); without it the peft adapter is kept in --work/lora and not converted",
    )
    ap.add_argument("--out", help="the GGUF adapter to write (with --llama-cpp)")
    ap.add_argument("--work", default="training/work", help="folder for the float base and the peft adapter")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N examples after shuffling (0: all)")
    ap.add_argument("--max-len", type=int, default=768, help="longer examples (prompt + answer tokens) are skipped")
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--accumulate", type=int, default=8, help="examples per optimizer step")
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--alpha", type=int, default=32)
    ap.add_argument(
        "--targets",
        default=",".join(ALL_TARGETS),
        help="comma-separated projections to adapt (default: all attention and MLP ones)",
    )
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--device", default="auto", help="torch device: cpu, cuda, ... (auto: cuda when there is one)")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    targets = [t for t in args.targets.split(",") if t]
    unknown = sorted(set(targets) - set(ALL_TARGETS))
    if unknown or not targets:
        sys.exit(f"--targets: unknown or none: {unknown}; choose among {','.join(ALL_TARGETS)}")
    if bool(args.llama_cpp) != bool(args.out):
        sys.exit("--llama-cpp and --out go together (neither keeps only the peft adapter)")
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    base = Path(args.base).expanduser()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    t0 = time.time()
    tokenizer = AutoTokenizer.from_pretrained(base.parent, gguf_file=base.name)
    model = AutoModelForCausalLM.from_pretrained(base.parent, gguf_file=base.name, dtype=torch.float32)
    # The converter needs only the base's config (its hyperparameters), not its weights.
    float_base = work / "base"
    config = model.config.to_dict()
    config.pop("quantization_config", None)  # the weights in memory are float32 now
    config["architectures"] = [type(model).__name__]
    float_base.mkdir(parents=True, exist_ok=True)
    (float_base / "config.json").write_text(json.dumps(config, indent=2))
    tokenizer.save_pretrained(float_base)
    print(f"loaded and dequantized {base.name} in {time.time() - t0:.0f} s", file=sys.stderr)

    data, skipped = examples(args.data, tokenizer, args.max_len, args.limit, args.seed)
    print(f"{len(data)} examples ({skipped} longer than {args.max_len} tokens skipped)", file=sys.stderr)

    lora = LoraConfig(
        r=args.rank,
        lora_alpha=args.alpha,
        lora_dropout=0.05,
        target_modules=targets,
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(model, lora).to(device)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"trainable parameters: {trainable:,} (on {device})", file=sys.stderr)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    steps = int(len(data) * args.epochs)
    model.train()
    t0 = time.time()
    running = 0.0
    for step in range(steps):
        p, a = data[step % len(data)]
        ids = torch.tensor([p + a], device=device)
        labels = torch.tensor([[-100] * len(p) + a], device=device)
        loss = model(input_ids=ids, labels=labels).loss / args.accumulate
        loss.backward()
        running += loss.item()
        if (step + 1) % args.accumulate == 0 or step + 1 == steps:
            optimizer.step()
            optimizer.zero_grad()
        if (step + 1) % 25 == 0 or step + 1 == steps:
            done = time.time() - t0
            eta = done / (step + 1) * (steps - step - 1)
            print(f"step {step + 1}/{steps}  loss {running * args.accumulate / 25:.3f}  {done:.0f} s  ETA {eta:.0f} s", file=sys.stderr)
            running = 0.0
    print(f"trained {steps} examples in {time.time() - t0:.0f} s", file=sys.stderr)

    peft_dir = work / "lora"
    model.save_pretrained(peft_dir)
    if not args.llama_cpp:
        print(f"peft adapter kept in {peft_dir} (not converted: no --llama-cpp)", file=sys.stderr)
        return
    convert = Path(args.llama_cpp) / "convert_lora_to_gguf.py"
    subprocess.run(
        [sys.executable, str(convert), "--base", str(float_base), "--outtype", "f16", "--outfile", args.out, str(peft_dir)],
        check=True,
    )
    print(f"adapter written to {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
