#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""proto-target.py - a scripted exec target for tests/target/test_exec_protocol.py.

Speaks the exec line protocol (traces/README.md, "exec targets"; emu/target/target_exec.c):
by default hello -> "OK proto-target 1", device/start/writes/resets/injects -> "OK", reads ->
"OK 0x0", quit -> exit 0. Each RULE argument "PREFIX=>REPLY" replaces the default answer of
every request starting with PREFIX (the first rule that matches wins). cxlemu splits the exec
command at blanks, so a RULE is URL-encoded: '+' is a space, %XX a byte. A REPLY may be:
  TEXT            answered as is (one line)
  @crlf:TEXT      TEXT ended by CR LF instead of LF
  @exit:N         exit with status N, answering nothing
  @stderr:TEXT    write TEXT (Python escapes decoded) to stderr, then exit 4
  @kill           die of SIGKILL
  @close          close standard output and keep running (sleeps)
  @closein:TEXT   close standard input, answer TEXT, keep running (sleeps)
--log FILE appends every request line to FILE (the test reads what cxlemu sent).
"""
import os
import signal
import urllib.parse
import sys
import time

log, rules = None, []
args = iter(sys.argv[1:])
for a in args:
    if a == "--log":
        log = next(args)
    else:
        prefix, reply = urllib.parse.unquote_plus(a).split("=>", 1)
        rules.append((prefix, reply))


def default(req):
    w = req.split()
    if w[0] == "hello":
        return "OK proto-target 1"
    if w[0].endswith("-read"):
        return "OK 0x0"
    return "OK"


def out(text, end="\n"):
    sys.stdout.write(text + end)
    sys.stdout.flush()


for line in sys.stdin:
    req = line.rstrip("\n")
    if log:
        with open(log, "a") as f:
            f.write(req + "\n")
    if req == "quit":
        sys.exit(0)
    reply = next((r for p, r in rules if req.startswith(p)), None)
    if reply is None:
        out(default(req))
    elif reply.startswith("@crlf:"):
        out(reply[6:], "\r\n")
    elif reply.startswith("@exit:"):
        sys.exit(int(reply[6:]))
    elif reply.startswith("@stderr:"):
        sys.stderr.write(reply[8:].encode().decode("unicode_escape") + "\n")
        sys.stderr.flush()
        sys.exit(4)
    elif reply == "@kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif reply == "@close":
        os.close(1)
        time.sleep(30)
    elif reply.startswith("@closein:"):
        os.close(0)
        out(reply[9:])
        time.sleep(30)
    else:
        out(reply)
