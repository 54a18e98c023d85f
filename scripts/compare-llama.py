#!/usr/bin/env python3
"""The llama-server side of scripts/compare-llama.sh, and the table.

  server: starts llama-server on loopback with the model and threads given, sends every
          example of a dataset as maaza's own chat messages (`maaza bench --prompts`) with
          the example's schema as `json_schema`, one request at a time, and writes one
          line per example (id, output, ms, prompt and generated tokens and their rates)
          and a summary with the server's peak RSS.
  table:  scores maaza's predictions and llama-server's with the same EdgeJSON metrics
          (JSONExact, field F1; numbers by value, booleans not numbers) and prints one
          table per dataset with latency, tokens/s and peak RSS, and llama-bench's pp/tg.

Standard library only.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

from benchproc import free_port, peak_rss_bytes, schema_path, stop


def post(url, body, timeout):
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def find_schema(schemas, schema_id):
    path = schema_path(schemas, schema_id)
    if path is None:
        return None
    with open(path) as f:
        return json.load(f)


def serve(args):
    port = free_port()
    cmd = [args.server, "-m", args.model, "-t", str(args.threads), "-tb", str(args.threads),
           "-c", str(args.context), "--parallel", "1", "--host", "127.0.0.1", "--port", str(port)]
    log = open(args.out + ".server.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                sys.exit(f"llama-server exited with {proc.returncode}; see {args.out}.server.log")
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.time() > deadline:
                sys.exit("llama-server did not become healthy in 120 s")
            time.sleep(0.5)
        prompts = [json.loads(l) for l in open(args.prompts) if l.strip()]
        records = {r["id"]: r for r in (json.loads(l) for l in open(args.dataset) if l.strip())}
        rows = []
        for i, p in enumerate(prompts):
            rec = records[p["id"]]
            schema = find_schema(args.schemas, rec["schema_id"])
            body = {
                "messages": p["messages"],
                "temperature": 0,
                "max_tokens": args.max_tokens,
                "response_format": {"type": "json_schema", "json_schema": {"schema": schema}},
            }
            t0 = time.perf_counter()
            row = {"id": p["id"]}
            try:
                r = post(base + "/v1/chat/completions", body, timeout=600)
                text = r["choices"][0]["message"]["content"]
                timings = r.get("timings", {})
                row.update(output=text, prompt_n=timings.get("prompt_n", 0), prompt_ms=timings.get("prompt_ms", 0.0),
                           predicted_n=timings.get("predicted_n", 0), predicted_ms=timings.get("predicted_ms", 0.0),
                           finish=r["choices"][0].get("finish_reason"))
            except urllib.error.HTTPError as e:
                row.update(output=None, error=f"HTTP {e.code}: {e.read()[:300].decode(errors='replace')}")
            except Exception as e:  # a timeout or a dropped connection: scored as no output
                row.update(output=None, error=str(e))
            row["ms"] = (time.perf_counter() - t0) * 1000
            rows.append(row)
            if (i + 1) % 10 == 0 or i + 1 == len(prompts):
                print(f"llama-server: {i + 1}/{len(prompts)}  p50 {statistics.median(r['ms'] for r in rows):.0f} ms",
                      file=sys.stderr, flush=True)
        with open(args.out, "w") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
        with open(args.out + ".summary.json", "w") as f:
            json.dump({"peak_rss_bytes": peak_rss_bytes(proc.pid), "cmd": cmd}, f)
    finally:
        stop(proc, 10)


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def f1(pred, exp):
    if not isinstance(pred, dict) or not isinstance(exp, dict):
        return 0.0
    if not pred and not exp:
        return 1.0
    correct = sum(1 for k, v in exp.items() if k in pred and same(pred[k], v))
    if correct == 0:
        return 0.0
    p, r = correct / len(pred), correct / len(exp)
    return 2 * p * r / (p + r)


def no_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse(output):
    """The output as JSON, as serde_json reads it: NaN and Infinity are not JSON."""
    if isinstance(output, str):
        try:
            return json.loads(output, parse_constant=no_constant)
        except ValueError:
            return None
    return output


def pct(values, q):
    values = sorted(values)
    if not values:
        return 0.0
    # Rounded half away from zero, as `maaza bench` picks its percentiles.
    return values[min(len(values) - 1, int(math.floor(q * (len(values) - 1) + 0.5)))]


def score(expected, outputs):
    exact = [same(parse(outputs.get(i)), e) if outputs.get(i) is not None else False for i, e in expected.items()]
    f1s = [f1(parse(outputs.get(i)), e) for i, e in expected.items()]
    return 100 * sum(exact) / len(exact), sum(f1s) / len(f1s)


def table(args):
    expected = {r["id"]: r["expected_output"] for r in (json.loads(l) for l in open(args.dataset) if l.strip())}
    report = json.load(open(args.maaza_report))
    maaza = {p["id"]: p.get("output") for p in (json.loads(l) for l in open(args.maaza_predictions) if l.strip())}
    rows = [json.loads(l) for l in open(args.server_rows) if l.strip()]
    server = {r["id"]: r.get("output") for r in rows}
    summary = json.load(open(args.server_rows + ".summary.json"))
    bench = json.load(open(args.llama_bench)) if args.llama_bench else []

    m_exact, m_f1 = score(expected, maaza)
    s_exact, s_f1 = score(expected, server)
    lat = report.get("latency_ms", {})
    gen = sum(r.get("predicted_n", 0) for r in rows) / max(1e-9, sum(r.get("predicted_ms", 0) for r in rows) / 1000)
    pp = sum(r.get("prompt_n", 0) for r in rows) / max(1e-9, sum(r.get("prompt_ms", 0) for r in rows) / 1000)
    ms = [r["ms"] for r in rows]
    errors = sum(1 for r in rows if r.get("output") is None)
    cut = sum(1 for r in rows if r.get("finish") == "length")
    print(f"\n{args.name}: {len(expected)} examples, {args.threads} threads, {os.path.basename(args.model)}")
    print(f"{'':14} {'JSONExact':>9} {'F1':>6} {'p50 ms':>8} {'p95 ms':>8} {'pp tok/s':>9} {'tg tok/s':>9} {'peak RSS':>9}")
    mb = lambda b: f"{b / 1e6:.0f} MB"
    rate = lambda r: f"{r:.0f}" if r else "-"
    print(f"{'maaza':14} {m_exact:8.1f}% {m_f1:6.3f} {lat.get('p50', 0):8.0f} {lat.get('p95', 0):8.0f} "
          f"{rate(report.get('prompt_tokens_per_s', 0)):>9} {rate(report.get('gen_tokens_per_s', 0)):>9} "
          f"{mb(report.get('peak_rss_bytes', 0)):>9}")
    print(f"{'llama-server':14} {s_exact:8.1f}% {s_f1:6.3f} {pct(ms, 0.5):8.0f} {pct(ms, 0.95):8.0f} "
          f"{rate(pp):>9} {rate(gen):>9} {mb(summary.get('peak_rss_bytes', 0)):>9}")
    print("(maaza's tokens/s count only the jobs that ran the model; '-': none did)")
    if errors or cut:
        print(f"llama-server: {errors} requests failed, {cut} outputs cut at max_tokens")
    # Under a millisecond, maaza's p50 is taken as 1 ms: a lower bound on the ratio.
    print(f"p50 ratio llama-server / maaza: {pct(ms, 0.5) / max(1.0, lat.get('p50', 0)):.1f}x")
    for b in bench:
        kind = "pp" if b.get("n_prompt", 0) else "tg"
        n = b.get("n_prompt") or b.get("n_gen")
        print(f"llama-bench {kind}{n}: {b.get('avg_ts', 0):.1f} tok/s (±{b.get('stddev_ts', 0):.1f})")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("server")
    s.add_argument("--server", required=True)
    s.add_argument("--model", required=True)
    s.add_argument("--threads", type=int, required=True)
    s.add_argument("--context", type=int, default=4096)
    s.add_argument("--max-tokens", type=int, default=1024)
    s.add_argument("--dataset", required=True)
    s.add_argument("--schemas", required=True)
    s.add_argument("--prompts", required=True)
    s.add_argument("--out", required=True)
    t = sub.add_parser("table")
    t.add_argument("--name", required=True)
    t.add_argument("--dataset", required=True)
    t.add_argument("--model", required=True)
    t.add_argument("--threads", type=int, required=True)
    t.add_argument("--maaza-report", required=True)
    t.add_argument("--maaza-predictions", required=True)
    t.add_argument("--server-rows", required=True)
    t.add_argument("--llama-bench")
    a = ap.parse_args()
    serve(a) if a.cmd == "server" else table(a)


if __name__ == "__main__":
    main()
