"""Drives mpg's teaching faces through a real pseudo-terminal (pexpect): `--step` on a runbook (run,
skip, continue, quit) and `prompt --secret` at the prompt (not echoed, masked, not in the history).

Usage: python3 teaching_session.py MPG_BINARY WORK_DIR
Exits 0 when every step behaved; otherwise prints the step and what the terminal showed.
"""
import os
import sys

import pexpect

from session_environment import session_environment

MPG, WORK = sys.argv[1], sys.argv[2]
ENV = session_environment(WORK)
LOG = open(os.path.join(WORK, "terminal.log"), "a")
KEYS = "[Enter] run  [s]kip  [c]ontinue  [q]uit > "


def spawn(*args):
    child = pexpect.spawn(MPG, list(args), env=ENV, cwd=WORK, encoding="utf-8", timeout=90, dimensions=(40, 200))
    child.logfile_read = LOG
    return child


def step(name, child, send, expect):
    try:
        if send is not None:
            child.sendline(send)
        for item in expect if isinstance(expect, list) else [expect]:
            child.expect_exact(item)
    except (pexpect.TIMEOUT, pexpect.EOF) as error:
        print(f"step {name!r} failed: {type(error).__name__}\n--- last output:\n{child.before!r}")
        sys.exit(1)


def ends_with(name, child, status):
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != status:
        print(f"{name}: exit status {child.exitstatus}, expected {status}")
        sys.exit(1)


with open(os.path.join(WORK, "steps.mpg"), "w") as runbook:
    runbook.write('echo one\n'
                  'let pg = create name=stepped provider=aws region=us-east-1 size=r8gd.large postgresVersion="18"\n'
                  'echo two\n'
                  'echo three\n'
                  'echo four\n')

# Run the first statement, skip the create (its request is shown, and never sent), continue to the end.
child = spawn("--local", "--step", "steps.mpg")
step("the first statement is shown", child, None, ["+ steps.mpg:1  echo one", KEYS])
step("Enter runs it", child, "", ["one", "+ steps.mpg:2  let pg = create"])
step("the create's request is shown", child, None, ["POST /v1/organizations/", '"name":"stepped"', KEYS])
step("s skips it", child, "s", ["+ steps.mpg:3  echo two", KEYS])
step("c runs the rest", child, "c", ["two", "three", "four"])
ends_with("continue", child, 0)
if "stepped" in pexpect.run(f"{MPG} --local -r -c 'list | map(.name) | join(\",\")'", cwd=WORK, env=ENV, encoding="utf-8"):
    print("the skipped create was sent")
    sys.exit(1)

# q quits before anything runs: exit 3.
child = spawn("--local", "--step", "steps.mpg")
step("shown again", child, None, ["+ steps.mpg:1  echo one", KEYS])
step("q quits", child, "q", [])
ends_with("quit", child, 3)
if "one" in child.before.replace("echo one", ""):
    print("q ran the statement: " + repr(child.before))
    sys.exit(1)

# prompt --secret at the prompt: the answer is not echoed, prints masked, and stays out of the history.
secret = "hunter2-teaching-secret"
child = spawn("--local")
step("the prompt", child, None, "mpg local> ")
step("ask for a secret", child, 'prompt pw "Password?" --secret', "Password? ")
step("type it", child, secret, "mpg local> ")
step("it prints masked", child, "echo $pw", ["********", "mpg local> "])
step("its length is there", child, "$pw | length", [str(len(secret)), "mpg local> "])
step("ask for a plain value", child, 'prompt who "Name?"', "Name? ")
step("answer", child, "ada", "mpg local> ")
step("a plain value prints", child, 'echo "hi \\($who)"', ["hi ada", "mpg local> "])
step("record a transcript", child, "record notes.md --markdown", "mpg local> ")
step("a value for the notes", child, "let x = {a: 1}", "mpg local> ")
step("printed into the notes", child, "$x", ['"a": 1', "mpg local> "])
step("a secret into the notes", child, "echo $pw", ["********", "mpg local> "])
step("stop recording", child, "record stop", ["recorded", "mpg local> "])
child.sendeof()
ends_with("leave the prompt", child, 0)
notes = open(os.path.join(WORK, "notes.md")).read()
if '```\nmpg> $x\n{\n  "a": 1\n}\n```' not in notes or "```\nmpg> echo $pw\n********\n```" not in notes or secret in notes:
    print("the markdown transcript is wrong:\n" + notes)
    sys.exit(1)
LOG.flush()
shown = open(os.path.join(WORK, "terminal.log")).read()
history = open(os.path.join(WORK, "state", "mpg", "history")).read()
if secret in shown or secret in history:
    print("the secret was echoed or kept: " + ("terminal" if secret in shown else "history"))
    sys.exit(1)
if 'prompt pw "Password?" --secret' not in history:
    print("the history lacks the prompt line:\n" + history)
    sys.exit(1)
print("ok")
