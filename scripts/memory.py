#!/usr/bin/env python3
"""Resident memory of `maaza serve` under each memory setting, on real jobs.

    scripts/memory.py [--jobs N] [--threads T] [DATASET ...]

For every setting (KV cache type, context, batch, prefix cache) it starts a private Mosquitto on a
free loopback port and one `maaza serve` with that setting, sends the first N examples
of each dataset through `maaza submit` one at a time, then reads the daemon's peak RSS
(VmHWM) and what is resident now, by mapping (the model file, heap, anonymous memory,
the binary). Prints one table. Needs a release build, the model (`maaza models fetch`)
and mosquitto (scripts/deps.sh). Everything it writes is under target/memory/.
"""
import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchproc import free_port, peak_rss_bytes, schema_path, stop

ROOT = Path(__file__).resolve().parent.parent
MAAZA = ROOT / "target" / "release" / "maaza"
OUT = ROOT / "target" / "memory"

# The default first, then one change at a time, then all the memory-saving ones.
SETTINGS = [
    {"kv_cache": "f16", "context": 2048, "batch": 512, "prefix_cache_mb": 16},
    {"kv_cache": "f16", "context": 2048, "batch": 512, "prefix_cache_mb": 0},
    {"kv_cache": "q8_0", "context": 2048, "batch": 512, "prefix_cache_mb": 16},
    {"kv_cache": "f16", "context": 2048, "batch": 128, "prefix_cache_mb": 16},
    {"kv_cache": "f16", "context": 1024, "batch": 512, "prefix_cache_mb": 16},
    {"kv_cache": "q8_0", "context": 1024, "batch": 512, "prefix_cache_mb": 0},
]


def find_schema(schemas, schema_id):
    path = schema_path(schemas, schema_id)
    if path is None:
        sys.exit(f"no schema {schema_id}.json under {schemas}")
    return Path(path)


def jobs_of(dataset, n):
    schemas = Path(dataset).parent / "schemas"
    if not schemas.is_dir():
        schemas = ROOT / "schemas"
    with open(dataset) as f:
        rows = [json.loads(line) for line in f if line.strip()][:n]
    return [(find_schema(schemas, r["schema_id"]), r["prompt"]) for r in rows]


def resident_by_mapping(pid, model):
    """Resident KiB now: model file, heap, anonymous, the binary, the rest."""
    parts = {"model": 0, "heap": 0, "anon": 0, "binary": 0, "other": 0}
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
            if m:
                name = m.group(1)
                continue
            if line.startswith("Rss:"):
                kb = int(line.split()[1])
                if name == str(model):
                    parts["model"] += kb
                elif name == "[heap]":
                    parts["heap"] += kb
                elif name == "":
                    parts["anon"] += kb
                elif name == str(MAAZA):
                    parts["binary"] += kb
                else:
                    parts["other"] += kb
    return parts


def run_setting(setting, jobs, threads, model):
    tag = f"{setting['kv_cache']}-ctx{setting['context']}-b{setting['batch']}-p{setting['prefix_cache_mb']}"
    work = OUT / tag
    shutil.rmtree(work, ignore_errors=True)
    (work / "state").mkdir(parents=True)
    port = free_port()
    (work / "mosquitto.conf").write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n")
    config = work / "maaza.toml"
    config.write_text(
        f'node_id = "memory"\nschemas_dir = "{ROOT / "schemas"}"\nstate_dir = "{work / "state"}"\n'
        f'[mqtt]\nhost = "127.0.0.1"\nport = {port}\n'
        f'[[models]]\nname = "smollm2-135m"\npath = "{model}"\nthreads = {threads}\n'
        f'context = {setting["context"]}\nkv_cache = "{setting["kv_cache"]}"\nbatch = {setting["batch"]}\n'
        f'prefix_cache_mb = {setting["prefix_cache_mb"]}\n'
    )
    # The default model's own adapter, as a node with no [[models]] runs it.
    adapter = Path(model).parent / "smollm2-135m-requests.lora.gguf"
    if adapter.is_file():
        with config.open("a") as f:
            f.write(f'adapters = [{{ name = "requests", path = "{adapter}" }}]\n'
                    '[[routes]]\ntier = "flat"\nadapter = "requests"\n'
                    '[[routes]]\ntier = "nested"\nadapter = "requests"\n')
    broker = subprocess.Popen(["mosquitto", "-c", str(work / "mosquitto.conf")], stderr=subprocess.DEVNULL)
    log = open(work / "serve.log", "w")
    serve = subprocess.Popen([str(MAAZA), "serve", "--config", str(config)], stderr=log, stdout=log)
    try:
        return measure(tag, work, serve, config, jobs, model)
    finally:
        stop(serve, 60)
        stop(broker, 10)
        log.close()


def measure(tag, work, serve, config, jobs, model):
    """Waits for the daemon, sends the jobs, reads its memory."""
    deadline = time.time() + 120
    while " ready " not in (work / "serve.log").read_text():
        if serve.poll() is not None or time.time() > deadline:
            sys.exit(f"maaza serve did not become ready; see {work / 'serve.log'}")
        time.sleep(0.2)
    ok = 0
    started = time.time()
    for schema, text in jobs:
        r = subprocess.run(
            [str(MAAZA), "submit", "--config", str(config), "--schema", str(schema), "--json", "--timeout", "300", "-"],
            input=text, capture_output=True, text=True,
        )
        try:
            ok += json.loads(r.stdout).get("status") == "ok"
        except ValueError:
            print(f"  no result for a job: {r.stderr.strip()[:200]}", file=sys.stderr)
    took = time.time() - started
    peak = peak_rss_bytes(serve.pid) // 1024
    now = resident_by_mapping(serve.pid, model)
    return tag, ok, took, peak, now


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jobs", type=int, default=20, help="first N examples of each dataset (default 20)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("datasets", nargs="*", default=["bench/heldout.jsonl", "../shared/bfcl/check.jsonl"])
    a = p.parse_args()
    if not MAAZA.exists():
        sys.exit("no target/release/maaza: cargo build --release first")
    model = Path(subprocess.run([str(MAAZA), "models", "fetch"], capture_output=True, text=True, check=True)
                 .stdout.strip().splitlines()[-1]).resolve()
    jobs = [j for d in a.datasets for j in jobs_of(d, a.jobs)]
    if not jobs:
        sys.exit("no jobs: the datasets are empty")
    print(f"{len(jobs)} jobs ({', '.join(a.datasets)}), {a.threads} threads, model {model.name}")
    print(f"{'setting':<26} {'ok':>4} {'s/job':>6} {'peak RSS':>9} {'now: model':>11} {'heap':>6} {'anon':>6} {'binary':>7} {'other':>6}")
    mb = lambda kb: f"{kb / 1024:.0f} MB"
    for s in SETTINGS:
        tag, ok, took, peak, now = run_setting(s, jobs, a.threads, model)
        print(f"{tag:<26} {ok:>4} {took / len(jobs):>6.2f} {mb(peak):>9} {mb(now['model']):>11} {mb(now['heap']):>6} "
              f"{mb(now['anon']):>6} {mb(now['binary']):>7} {mb(now['other']):>6}", flush=True)


if __name__ == "__main__":
    main()
