"""Drives a fleet wait through a real pseudo-terminal (pexpect): on a terminal, `wait` over several
services draws a live table (a heading, name, state and time in that state, a mark once a service is
there) and leaves its last drawing in place; a `parallel for` prints labelled lines.

Usage: python3 fleet_session.py MPG_BINARY WORK_DIR
Exits 0 when the terminal showed all of it; otherwise prints what it showed.
"""
import os
import sys

import pexpect

from session_environment import session_environment

MPG, WORK = sys.argv[1], sys.argv[2]
ENV = session_environment(WORK)
LOG = open(os.path.join(WORK, "terminal.log"), "a")

with open(os.path.join(WORK, "fleet.mpg"), "w") as runbook:
    runbook.write('parallel for n in ["tbl-a", "tbl-b"][] {\n'
                  '  let made = create name=$n provider=aws region=us-east-1 size=r8gd.medium\n'
                  '  echo "made \\($made.name)"\n'
                  '}\n'
                  'let fleet = list\n'
                  'let ready = wait $fleet\n'
                  'echo "ready \\($ready | length)"\n'
                  'parallel for s in $fleet[] { delete $s --yes }\n'
                  'wait $fleet gone\n'
                  'echo "gone"\n')

child = pexpect.spawn(MPG, ["--local", "fleet.mpg"], env=ENV, cwd=WORK, encoding="utf-8", timeout=90, dimensions=(40, 120))
child.logfile_read = LOG
try:
    for expected in ["[tbl-a] made tbl-a", "NAME", "STATE", "SINCE", "tbl-b", "2 of 2 running", "✓ tbl-", "ready 2",
                     "2 of 2 gone", "gone"]:
        child.expect_exact(expected)
    child.expect(pexpect.EOF)
except (pexpect.TIMEOUT, pexpect.EOF) as error:
    print(f"the fleet session failed: {type(error).__name__}\n--- last output:\n{child.before!r}")
    sys.exit(1)
child.close()
if child.exitstatus != 0:
    print(f"mpg exited {child.exitstatus}")
    sys.exit(1)

# At the prompt too (which reads lines on a thread of its own), iterations interleave and label their lines.
child = pexpect.spawn(MPG, ["--local"], env=ENV, cwd=WORK, encoding="utf-8", timeout=90, dimensions=(40, 120))
child.logfile_read = LOG
try:
    child.expect_exact("mpg local> ")
    child.sendline('parallel for n in [3, 1, 2][] --jobs 3 { sleep "\\($n * 200)ms"; echo "slept \\($n)" }')
    for expected in ["[1] slept 1", "[2] slept 2", "[3] slept 3", "mpg local> "]:
        child.expect_exact(expected)
    child.sendline("list | length")
    child.expect_exact("0")
    child.expect_exact("mpg local> ")
    # Ctrl-C stops every iteration and gives the prompt back.
    child.sendline('parallel for n in range(3) { echo "started \\($n)"; sleep 60s }')
    child.expect_exact("[2] started 2")
    child.sendintr()
    child.expect_exact("mpg local> ", timeout=10)
    child.sendline('echo "still here"')
    child.expect_exact("still here")
    child.expect_exact("mpg local> ")
    child.sendeof()
    child.expect(pexpect.EOF)
except (pexpect.TIMEOUT, pexpect.EOF) as error:
    print(f"the prompt's parallel for failed: {type(error).__name__}\n--- last output:\n{child.before!r}")
    sys.exit(1)
print("ok")
