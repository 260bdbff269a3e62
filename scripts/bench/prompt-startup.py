"""Start-up to the first prompt, through a pseudo-terminal: `mpg` vs `psql` against a local server.

Usage: python3 prompt-startup.py MPG RUNS   (PSQL_DSN_ENV: psql's connection comes from PG* variables)
Prints the two medians in milliseconds.
"""
import os
import statistics
import sys
import time

import pexpect

mpg, runs = sys.argv[1], int(sys.argv[2])
env = dict(os.environ, TERM="xterm", EDITRC="/dev/null", NO_COLOR="1")


def measure(command, args, prompt):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        child = pexpect.spawn(command, args, env=env, encoding="utf-8", timeout=30)
        child.expect(prompt)
        samples.append((time.perf_counter() - start) * 1000)
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
    return statistics.median(samples)


print(f"{measure(mpg, [], 'mpg> '):.1f}")
print(f"{measure('psql', [], '=# '):.1f}")
