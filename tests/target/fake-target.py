#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fake-target.py - a misbehaving exec target for tests/target/test_targets.py.

Speaks the exec line protocol (traces/README.md) with every read answering 0, and misbehaves
on request after N requests: --die-after N (exits 3 without a word), --hang-after N (stops
answering), --fail-after N (answers FAIL), --err-after N (answers ERR), --garbage-after N
(answers something that is no answer), --big-after N (answers a value wider than the read).
--spawn MARKER starts a grandchild that sleeps with MARKER on its command line, so a test can
look for leftovers; --stderr TEXT writes TEXT to stderr before dying. --skip-devices answers
SKIP to every device (a target that can run nothing); --skip-reads answers SKIP to every read.
--long-after N answers a 5000-byte line (in one write, or in two with --split).
--hello TEXT answers hello with TEXT (Python escapes such as \\r and \\u2028 are decoded).
--refuse answers REFUSED (a failed access) to every access, REFUSED 0x0 to a read.
"""
import subprocess
import sys
import time

opts = {"--die-after": None, "--hang-after": None, "--fail-after": None, "--err-after": None,
        "--garbage-after": None, "--big-after": None, "--spawn": None, "--stderr": None,
        "--skip-devices": None, "--skip-reads": None, "--hello": None, "--long-after": None,
        "--split": None, "--refuse": None}
it = iter(sys.argv[1:])
for a in it:
    opts[a] = True if a.startswith("--skip-") or a in ("--split", "--refuse") else next(it)
if opts["--spawn"]:
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", opts["--spawn"]])


def after(key, n):
    return opts[key] is not None and n >= int(opts[key])


n = 0
for line in sys.stdin:
    n += 1
    w = line.split()
    if after("--die-after", n):
        if opts["--stderr"]:
            sys.stderr.write(opts["--stderr"] + "\n")
            sys.stderr.flush()
        sys.exit(3)
    if after("--hang-after", n):
        time.sleep(600)
    if after("--fail-after", n):
        reply = "FAIL the device is on fire"
    elif after("--err-after", n):
        reply = "ERR cannot parse that"
    elif after("--long-after", n):
        reply = "OK 0x" + "0" * 5000
        if opts["--split"]:
            sys.stdout.write(reply[:3000])
            sys.stdout.flush()
            time.sleep(0.05)
            reply = reply[3000:]
    elif after("--garbage-after", n):
        reply = "WHAT?"
    elif w[0] == "quit":
        break
    elif w[0] == "hello":
        reply = "OK " + (opts["--hello"].encode().decode("unicode_escape")
                         if opts["--hello"] else "fake-target 1.0")
    elif w[0] == "device" and opts["--skip-devices"]:
        reply = "SKIP cannot build any device"
    elif (w[0].endswith("-read") or w[0].endswith("-write")) and opts["--refuse"]:
        reply = "REFUSED 0x0" if w[0].endswith("-read") else "REFUSED"
    elif w[0].endswith("-read") and opts["--skip-reads"]:
        reply = "SKIP cannot read"
    elif w[0].endswith("-read"):
        reply = "OK 0x1ffffffff" if after("--big-after", n) else "OK 0x0"
    else:
        reply = "OK"
    sys.stdout.write(reply + "\n")
    sys.stdout.flush()
