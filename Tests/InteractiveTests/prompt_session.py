"""Drives `mpg --local` through a real pseudo-terminal (pexpect) the way a person would.

Usage: python3 prompt_session.py MPG_BINARY WORK_DIR
Exits 0 when every step behaved; otherwise prints the step and what the terminal showed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import termios
import time

import pexpect

from session_environment import session_environment

MPG, WORK = sys.argv[1], sys.argv[2]
PROMPT = "mpg local> "
ENV = session_environment(WORK)


def start(*flags, prompt=PROMPT):
    child = pexpect.spawn(MPG, ["--local", *flags], env=ENV, cwd=WORK, encoding="utf-8", timeout=90, dimensions=(40, 200))
    child.logfile_read = open(os.path.join(WORK, "terminal.log"), "a")
    step("the first prompt", child, None, prompt)
    return child


def diagnosis(child):
    """What mpg was doing when a step timed out: the terminal's mode, the state of mpg and its children,
    and (with gdb) the top frames of mpg's threads. Printed last, so a CI log that keeps only the end
    of a failure still shows it."""
    lines = []
    try:
        lflag = termios.tcgetattr(child.child_fd)[3]
        lines.append(f"terminal: ICANON={bool(lflag & termios.ICANON)} ECHO={bool(lflag & termios.ECHO)} ISIG={bool(lflag & termios.ISIG)}")
        lines.append(f"foreground process group {os.tcgetpgrp(child.child_fd)}, mpg pid {child.pid}")
    except OSError as error:
        lines.append(f"terminal: {error}")
    tree = subprocess.run(["ps", "-e", "-o", "pid,ppid,pgid,stat,wchan:20,etime,args"], capture_output=True, text=True).stdout
    lines += [row[:160] for row in tree.splitlines() if "mpg" in row or "postgres" in row or "psql" in row][:30]
    if shutil.which("gdb") and child.isalive():
        stacks = subprocess.run(["gdb", "-p", str(child.pid), "-batch", "-ex", "thread apply all bt 12"],
                                capture_output=True, text=True, timeout=120).stdout
        for row in stacks.splitlines():
            if row.startswith("Thread"):
                lines.append(row[:100])
            elif row.startswith("#"):
                # `#3  0x… in function (arguments…) at file:line`: the function and where, not the arguments.
                where = re.search(r" (at|from) (\S+)$", row)
                lines.append(row.split(" (")[0][:120] + (f" {where.group(1)} {where.group(2)}" if where else ""))
    return "\n".join(lines)


def step(name, child, send, expect, raw=False):
    try:
        if send is not None:
            if raw:
                child.send(send)
            else:
                child.sendline(send)
        for item in expect if isinstance(expect, list) else [expect]:
            if isinstance(item, re.Pattern):
                child.expect(item)
            else:
                child.expect_exact(item)
    except (pexpect.TIMEOUT, pexpect.EOF) as error:
        print(f"step {name!r} failed: {type(error).__name__}\n--- last output:\n{child.before!r}\n--- mpg:\n{diagnosis(child)}")
        sys.exit(1)


child = start()
step("let and echo", child, "let x = 1 + 2", PROMPT)
step("echo a variable", child, "echo $x", ["3", PROMPT])
# Editing: type `echo helo`, move left once (Ctrl-B), insert `l`.
step("edit a line", child, "echo helo\x02l\r", ["hello", PROMPT], raw=True)
step("complete a command", child, "ech\tdone-completing\r", ["done-completing", PROMPT], raw=True)
step("complete a flag", child, "wait x --ti\t", "meout", raw=True)
step("abandon the line with Ctrl-C", child, "\x03", PROMPT, raw=True)
step("define a nested value", child, 'let svc = {name: "a", tags: {env: "xyz-42"}}', PROMPT)
step("complete a variable", child, "echo $sv\t\r", ['"env":"xyz-42"', PROMPT], raw=True)
step("complete a nested field", child, "echo $svc.ta\t.e\t\r", [re.compile(r"\r\nxyz-42\r\n"), PROMPT], raw=True)
step("complete a size", child, "echo size=r8gd.lar\t\r", ["size=r8gd.large", PROMPT], raw=True)
step("create a service", child, "let pg = create name=tabbed provider=aws region=us-east-1 size=r6gd.medium", PROMPT)
step("wait for it", child, "let pg = wait $pg --every 0.2s", [re.compile(r"creating → running"), PROMPT])
time.sleep(0.5)
step("complete a service name", child, "get tabb\t| .name\r", ['"tabbed"', PROMPT], raw=True)
step("list as a table", child, "list", [re.compile(r"ID\s+NAME\s+STATE\s+SIZE"), re.compile(r"tabbed\s+running"), PROMPT])
step("-o json on one statement", child, "list -o json", ['"name": "tabbed"', PROMPT])
step("complete an output format", child, "list -o com\t| length\r", [re.compile(r"\r\n1\r\n"), PROMPT], raw=True)
step("the table again after -o", child, "list", [re.compile(r"tabbed\s+running"), PROMPT])
step("reset the password", child, "let reset = password $pg --yes", PROMPT)
step("connect into psql", child, "connect $pg", "postgres=#")
step("run SQL in psql", child, "select 40 + 2 as answer;", ["42", "postgres=#"])
step("back from psql", child, "\\q", PROMPT)
step("start a long wait", child, 'wait $pg until (.state == "never") --every 0.2s', re.compile(r"running"))
time.sleep(1)
step("Ctrl-C stops the wait", child, "\x03", [re.compile(r"interrupted"), PROMPT], raw=True)
step("still usable", child, "echo after-wait", ["after-wait", PROMPT])
# `set` succeeds quietly: an error would end the entry before the echo.
step("set a setting", child, "set output compact; echo set-done", ["set-done", PROMPT])
step("set it back", child, "set output table; echo set-back", ["set-back", PROMPT])
step("secret-bearing entries", child, "let my_token = \"abc\"", PROMPT)
step("history lists entries", child, "history", ["echo after-wait", PROMPT])
step("Ctrl-D leaves", child, "\x04", pexpect.EOF, raw=True)
child.close()
# The passwords mpg keeps (create, then reset), before the services are deleted below.
vault = open(os.path.join(WORK, "state", "mpg", "vault.json")).read()
passwords = re.findall(r'"password": "([^"]+)"', vault)
if len(passwords) != 1:
    print(f"expected one kept password, found {len(passwords)}")
    sys.exit(1)

# History is shared with the next session: arrow-up recalls the last entry of the previous one.
child = start()
step("recall across sessions", child, "\x1b[A\r", ["after-wait", PROMPT], raw=True)
step("list every service", child, "let gone = list | map(.id)", PROMPT)
step("one service", child, "echo ($gone | length)", [re.compile(r"\r\n1\r\n"), PROMPT])
# Without --yes, delete shows what would go and asks; anything but yes keeps it.
step("delete asks first", child, "delete $gone[0]", [re.compile(r"Delete Postgres service tabbed \(id [0-9a-f-]{36}, running, created .* ago, no tags\)"), "[y/N] "])
step("declining keeps it", child, "n", [re.compile(r"delete cancelled; nothing was sent"), PROMPT])
step("still one service", child, "list | length", [re.compile(r"\r\n1\r\n"), PROMPT])
step("delete them", child, "for id in $gone[] { delete $id --yes }", PROMPT)
step("Ctrl-D leaves after deleting", child, "\x04", pexpect.EOF, raw=True)

history = open(os.path.join(WORK, "state", "mpg", "history")).read()
for secret in passwords:
    if secret in history:
        print("the history file holds a password")
        sys.exit(1)
if "my_token" in history:
    print("an assignment to a token variable reached the history file")
    sys.exit(1)
if "echo after-wait" not in history:
    print("the history file misses entries:\n" + history)
    sys.exit(1)
mode = os.stat(os.path.join(WORK, "state", "mpg", "history")).st_mode & 0o777
if mode != 0o600:
    print(f"the history file is {oct(mode)}, not 0600")
    sys.exit(1)

# Read-only: the prompt says so, a change is refused before it is sent, reads still work.
child = start("--read-only", prompt="mpg local read-only> ")
step("read-only refuses a change", child, "tag tabbed team=x", [re.compile(r"read-only \(--read-only\): `tag` would change something; nothing was sent"), "mpg local read-only> "])
step("read-only still reads", child, "list | length", [re.compile(r"\r\n0\r\n"), "mpg local read-only> "])
step("Ctrl-D leaves read-only", child, "\x04", pexpect.EOF, raw=True)
child.close()

# record, then replay the runbook with `mpg --local FILE`.
child = start()
step("start recording", child, "record replay.mpg", [re.compile(r"recording to replay.mpg"), PROMPT])
step("recorded create", child, "let db = create name=recorded provider=aws region=us-east-1 size=r6gd.medium", PROMPT)
step("the recorded id", child, "echo $db.id", re.compile(r"([0-9a-f-]{36})"))
service_id = child.match.group(1)
step("the prompt after the id", child, None, PROMPT)
step("recorded wait by literal id", child, f"let up = wait {service_id} --every 0.2s --quiet", PROMPT)
step("recorded tag", child, "tag $db purpose=replay", PROMPT)
step("a failing entry is not recorded", child, "get no-such-service", PROMPT)
# Consent given at the prompt is written into the runbook as --yes, so it runs back unattended.
step("recorded delete asks", child, f"delete {service_id}", "[y/N] ")
step("recorded delete", child, "y", PROMPT)
step("recorded wait gone", child, "wait $db gone --every 0.2s --quiet", PROMPT)
step("stop recording", child, "record stop", [re.compile(r"recorded .*replay.mpg"), PROMPT])
step("Ctrl-D leaves after recording", child, "\x04", pexpect.EOF, raw=True)
recorded = open(os.path.join(WORK, "replay.mpg")).read()
if service_id in recorded or "no-such-service" in recorded or "wait $db --every" not in recorded or "delete $db --yes" not in recorded:
    print("the recording is wrong:\n" + recorded)
    sys.exit(1)
replay = pexpect.run(f"{MPG} --local replay.mpg", cwd=WORK, env=ENV, encoding="utf-8", timeout=120, withexitstatus=True)
if replay[1] != 0:
    print("the recording did not run back:\n" + recorded + "\n--- output:\n" + replay[0])
    sys.exit(1)

# Without --local, with a key in the environment: the prompt connects before its first line and fills
# the service cache in the background, so Tab offers service ids before any command ran.
served = os.path.join(WORK, "served")
server = subprocess.Popen([MPG, "emulator", "serve", "--data-dir", served, "--port", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    info_path = os.path.join(served, "server.json")
    for _ in range(600):
        if os.path.exists(info_path) and os.path.getsize(info_path) > 0:
            break
        time.sleep(0.05)
    info = json.load(open(info_path))
    env = dict(ENV, CLICKHOUSE_CLOUD_API_URL=info["url"], CLICKHOUSE_CLOUD_API_KEY=info["keyId"], CLICKHOUSE_CLOUD_API_SECRET=info["keySecret"])
    created = subprocess.run([MPG, "-r", "-c", "create name=early provider=aws region=us-east-1 size=r6gd.medium | .id"],
                             env=env, cwd=WORK, capture_output=True, text=True, timeout=60)
    early = created.stdout.strip()
    if not re.fullmatch(r"[0-9a-f-]{36}", early):
        print("could not create a service on the served emulator:\n" + created.stdout + created.stderr)
        sys.exit(1)
    child = pexpect.spawn(MPG, [], env=env, cwd=WORK, encoding="utf-8", timeout=60, dimensions=(40, 200))
    child.logfile_read = open(os.path.join(WORK, "terminal.log"), "a")
    child.expect_exact("mpg> ")
    time.sleep(1)  # the list the prompt started in the background
    step("complete a service id before any command", child, f"get {early[:8]}\t| .name\r", ['"early"', re.compile(r"mpg [0-9a-f]{8}> ")], raw=True)
    step("Ctrl-D leaves the connected prompt", child, "\x04", pexpect.EOF, raw=True)
finally:
    server.terminate()
    server.wait(timeout=60)
    subprocess.run([MPG, "emulator", "reset", "--data-dir", served], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

# Ctrl-D the moment the prompt shows ends mpg, every time. libedit shows the prompt before it makes the
# terminal raw, and a Ctrl-D that met the cooked terminal was lost (about 1 start in 20, on a busy machine).
for attempt in range(40):
    child = pexpect.spawn(MPG, [], env=ENV, cwd=WORK, encoding="utf-8", timeout=60, dimensions=(40, 200))
    child.expect_exact("mpg> ")
    child.sendeof()
    try:
        child.expect(pexpect.EOF, timeout=10)
    except pexpect.TIMEOUT:
        print(f"Ctrl-D at once after the prompt was lost (start {attempt + 1} of 40)\n--- mpg:\n{diagnosis(child)}")
        child.close(force=True)
        sys.exit(1)
    child.close()
print("ok")
