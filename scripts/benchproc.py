"""Helpers the benchmark scripts share (compare-llama.py, memory.py): a free loopback
port, a process's peak RSS, a dataset's schema file, stopping a process. Standard
library only."""

import os
import socket
import subprocess


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_bytes(pid):
    """VmHWM of a running process, 0 when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def schema_path(schemas, schema_id):
    """`<schema_id>.json` anywhere under `schemas`, else None."""
    for root, _, files in os.walk(schemas):
        if f"{schema_id}.json" in files:
            return os.path.join(root, f"{schema_id}.json")
    return None


def stop(proc, timeout):
    """Terminates `proc`, killing it when it has not ended after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
