#!/usr/bin/env python3
"""Tab completion latency through a pseudo-terminal, 1,000 candidates each: mpg completing service ids
from its list cache vs psql completing table names (psql asks its server on every Tab).

Usage: python3 completion-latency.py MPG SAMPLES TABLE_PREFIXES_FILE
  mpg talks to a stub Cloud API started here (1,000 services; the list is all that completion needs);
  psql's connection comes from the PG* variables, and TABLE_PREFIXES_FILE lists one unique prefix per
  line of tables that exist there. Prints: mpg p50, mpg p95, psql p50, psql p95 (milliseconds).
"""
import atexit
import http.server
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time

import pexpect

mpg, samples, prefixes_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
org = "5d6c1e2a-7b3f-4c8d-9e0f-a1b2c3d4e5f6"


def uuid():
    return "%08x-%04x-4%03x-8%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48))


services = [
    {"id": uuid(), "name": f"svc-{n:04d}", "state": "running", "size": "r8gd.large", "region": "us-east-1",
     "provider": "aws", "postgresVersion": "17", "tags": []}
    for n in range(1000)
]


class StubAPI(http.server.BaseHTTPRequestHandler):
    """Just enough of the Cloud API for the prompt: one organization and its list of services."""

    def do_GET(self):
        if self.path == "/v1/organizations":
            result = [{"id": org, "name": "bench"}]
        elif self.path.startswith(f"/v1/organizations/{org}/postgres"):
            result = services
        else:
            self.send_error(404)
            return
        body = json.dumps({"result": result, "requestId": uuid(), "status": 200}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StubAPI)
threading.Thread(target=server.serve_forever, daemon=True).start()
state = tempfile.mkdtemp(prefix="mpg-bench-completion.")
# mpg writes its history and vault there: removed when the benchmark ends, however it ends.
atexit.register(shutil.rmtree, state, ignore_errors=True)
env = dict(os.environ, TERM="xterm", EDITRC="/dev/null", NO_COLOR="1", XDG_STATE_HOME=state, XDG_CONFIG_HOME=state,
           CLICKHOUSE_CLOUD_API_URL=f"http://127.0.0.1:{server.server_address[1]}",
           CLICKHOUSE_CLOUD_API_KEY="bench-key", CLICKHOUSE_CLOUD_API_SECRET="bench-secret")


def latencies(child, prompt, command, words):
    """For each word: type `command PREFIX`, press Tab, time until the whole word is echoed."""
    found = []
    child.delaybeforesend = None  # pexpect sleeps 50 ms before every send by default
    for word, prefix in words:
        child.send(command + prefix)
        child.expect_exact(prefix)
        start = time.perf_counter()
        child.send("\t")
        child.expect_exact(word[len(prefix):], timeout=float(os.environ.get("COMPLETION_TIMEOUT", "30")))
        found.append((time.perf_counter() - start) * 1000)
        child.send("\x03")  # Ctrl-C clears the line in both
        child.expect_exact(prompt)
    return found


def percentiles(values):
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


# mpg: completion reads the list cache, which the session fills once it has connected (the first API
# command, here a `list`) and refreshes after entries; it never waits for the network itself.
child = pexpect.spawn(mpg, ["--rate-limit", "off"], env=env, encoding="utf-8", timeout=30, dimensions=(50, 200))
child.expect_exact("> ")
child.sendline("list | length")
child.expect_exact("1000")
child.expect_exact("> ")
child.sendline("echo warm")
child.expect_exact("warm")
time.sleep(1)
picks = rng.sample(services, samples)
mpg_words = [(s["id"], s["id"][:8]) for s in picks]
mpg_times = latencies(child, "> ", "get ", mpg_words)
child.sendeof()
child.expect(pexpect.EOF)
server.shutdown()

# psql: one unique prefix per table.
tables = [line.strip() for line in open(prefixes_file) if line.strip()]
psql_words = [(t, t[:8]) for t in rng.sample(tables, samples)]
child = pexpect.spawn("psql", [], env=env, encoding="utf-8", timeout=30, dimensions=(50, 200))
child.expect_exact("=# ")
psql_times = latencies(child, "=# ", "select * from ", psql_words)
child.sendeof()
child.expect(pexpect.EOF)

for value in percentiles(mpg_times) + percentiles(psql_times):
    print(f"{value:.2f}")
