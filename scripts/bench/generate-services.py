#!/usr/bin/env python3
"""Usage: generate-services.py PATH [MEGABYTES]

Writes a JSON array of service-like objects (the shape of a cloud API's list response) of about
MEGABYTES (default 100) x 10^6 bytes to PATH, atomically. Deterministic: the same arguments give the
same bytes. Used by scripts/bench/filter.
"""
import json
import os
import random
import sys

path = sys.argv[1]
target = int(float(sys.argv[2] if len(sys.argv) > 2 else 100) * 1_000_000)
rng = random.Random(20240601)
states = ["running", "running", "stopped", "creating", "running", "deleting", "stopped"]
regions = ["us-east-1", "us-west-2", "eu-central-1", "eu-west-1", "ap-southeast-1"]
sizes = ["r8gd.large", "r8gd.xlarge", "r8gd.2xlarge", "m7g.medium", "c7g.4xlarge"]
teams = ["core", "billing", "search", "données", "ingest"]


def uuidish():
    return "%08x-%04x-%04x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), 0x4000 | rng.getrandbits(12),
        0x8000 | rng.getrandbits(14), rng.getrandbits(48))


def service(n):
    state = rng.choice(states)
    return {
        "id": uuidish(),
        "name": "svc-%06d" % n,
        "state": state,
        "provider": "aws",
        "region": rng.choice(regions),
        "size": rng.choice(sizes),
        "storageGiB": rng.choice([32, 64, 128, 256, 1024]),
        "replicas": rng.randint(0, 3),
        "version": rng.choice(["15.6", "16.2", "17.0"]),
        "tags": [
            {"key": "env", "value": rng.choice(["dev", "staging", "prod"])},
            {"key": "team", "value": rng.choice(teams)},
        ],
        "endpoint": None if state != "running" else {
            "host": "svc-%06d.%s.db.example.com" % (n, rng.choice(regions)),
            "port": 5432,
        },
        "createdAt": "2024-%02d-%02dT%02d:%02d:%02dZ" % (
            rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)),
        "costPerHour": round(rng.uniform(0.05, 4.0), 4),
        "highAvailability": rng.random() < 0.3,
    }


temporary = path + ".partial"
with open(temporary, "w", encoding="utf-8") as out:
    out.write("[\n")
    written = 2
    n = 0
    while True:
        text = json.dumps(service(n), ensure_ascii=False, separators=(", ", ": "))
        out.write(("" if n == 0 else ",\n") + text)
        written += len(text.encode("utf-8")) + (0 if n == 0 else 2)
        n += 1
        if written >= target:
            break
    out.write("\n]\n")
os.replace(temporary, path)
print("%s: %d services, %d bytes" % (path, n, os.path.getsize(path)), file=sys.stderr)
