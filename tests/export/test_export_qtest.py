#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`cxlemu export --to qtest` against Debian 12's QEMU 7.2 (TAP; meson suite 'qemu').

For each trace (the conformance suite, tests/qemu/data, seeded random traces of every QEMU 7.2
CXL device kind with resets, and the recorded Linux 6.12 single-endpoint guest), the exported
script is run with sh: QEMU prints one reply per qtest command on standard output. The script's
'# op N (...)' comments say which commands carry trace op N. Every read op's reply must be the
value `cxlemu record --target qemu` records for that op from a QEMU of its own: the reproducer
reproduces. Ops record marks as skipped are commented out in the script, so neither side
reads them. The expected values are QEMU's, from a second, independent run.

usage: test_export_qtest.py CXLEMU SOURCE_ROOT
Skips (a TAP plan of 0) only when qemu-system-x86_64 is not installed.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

CXLEMU, SRC = sys.argv[1], sys.argv[2]
KINDS = ["qemu72-type3", "qemu72-root-port", "qemu72-hb", "qemu72-usp", "qemu72-dsp"]
READ_CMDS = ("readb", "readw", "readl", "readq", "inb", "inw", "inl")

if not shutil.which("qemu-system-x86_64"):
    print("TAP version 13")
    print("1..0 # SKIP qemu-system-x86_64 is not installed (Debian: apt-get install qemu-system-x86)")
    sys.exit(0)


def run(args, timeout=300):
    """(exit status, stdout, stderr) of @args; a run past @timeout is killed with its process
    group (the script's QEMU too) and gives status 124."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return 124, out.decode("utf-8", "replace"), "timed out after %d s" % timeout
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def script_commands(script):
    """[(read op or None, command)] of every qtest command the script sends, in order; a read
    op is (kind, device, offset, size) from its '# op N (...): KIND DEV OFFSET SIZE' comment."""
    cmds, in_doc, op = [], False, None
    for line in script.splitlines():
        if not in_doc:
            in_doc = line.endswith("<<'EOF'")
            op = None
            continue
        if line == "EOF":
            in_doc = False
            continue
        m = re.match(r"# op \d+ \(.*?\): (\S+) (\S+) (0x[0-9a-f]+) (\d)", line)
        if line.startswith("# op "):
            op = (m.group(1), m.group(2), int(m.group(3), 16), int(m.group(4))) \
                if m and m.group(1).endswith("-read") else None
        elif line.startswith("# end of run"):
            op = None
        elif not line.startswith("#"):
            cmds.append((op, line))
    return cmds


def recorded_reads(text):
    """[(kind, device, offset, size, value)] of every read a recording holds, in order."""
    return [(m.group(1), m.group(2), int(m.group(3), 16), int(m.group(4)), int(m.group(5), 16))
            for m in re.finditer(r"^  - \[(cfg-read|mmio-read), (\w+), (0x[0-9a-f]+), (\d), (0x[0-9a-f]+)[,\]]",
                                 text, re.M)]


def check_trace(path, tmp):
    """(ok, detail, reads compared) for one trace."""
    base = os.path.join(tmp, os.path.basename(path))
    rc, _, err = run([CXLEMU, "export", "--to", "qtest", path, "-o", base + ".sh"])
    if rc:
        return False, "export: " + err, 0
    rc, rec, err = run([CXLEMU, "record", "--target", "qemu", path])
    if rc:
        return False, "record: " + err, 0
    script = open(base + ".sh").read()
    rc, out, err = run(["sh", base + ".sh"], timeout=60)
    replies = [l for l in out.splitlines() if not l.startswith("IRQ")]
    cmds = script_commands(script)
    if rc or len(replies) != len(cmds):
        return False, "script: exit %d, %d replies to %d commands: %s" % (rc, len(replies), len(cmds), err[-300:]), 0
    got = []
    for (op, cmd), reply in zip(cmds, replies):
        if not reply.startswith("OK"):
            return False, "QEMU answered %r to %r" % (reply, cmd), 0
        if op is not None and cmd.split()[0] in READ_CMDS:
            got.append(op + (int(reply.split()[1], 16),))
    want = recorded_reads(rec)
    bad = [(i, w, g) for i, (w, g) in enumerate(zip(want, got)) if w != g]
    ok = len(want) == len(got) and not bad
    return ok, "%d recorded reads, %d script reads; first differences (i, recorded, script): %s" % (
        len(want), len(got), bad[:3]), len(want)


def main():
    tmp = tempfile.mkdtemp(prefix="cxlemu-export-qtest-")
    try:
        traces = sorted(glob.glob(os.path.join(SRC, "traces/conformance/*.yaml")))
        traces += sorted(glob.glob(os.path.join(SRC, "tests/qemu/data/*.yaml")))
        traces.append(os.path.join(SRC, "traces/real/linux612-1ep.yaml"))
        for kind in KINDS:
            gen = os.path.join(tmp, "gen-%s.yaml" % kind)
            rc, _, err = run([CXLEMU, "generate", "--model", kind, "--seed", "7", "--ops", "400", "-o", gen])
            traces.append(gen if rc == 0 else gen + " (generate failed: %s)" % err.strip())
        print("TAP version 13")
        print("1..%d" % len(traces))
        total = 0
        for i, path in enumerate(traces, 1):
            ok, detail, n = (False, path, 0) if not os.path.exists(path) else check_trace(path, tmp)
            total += n
            name = os.path.relpath(path, SRC) if path.startswith(SRC) else os.path.basename(path)
            print("%s %d - export --to qtest %s: the script's %d read replies = record --target qemu"
                  % ("ok" if ok else "not ok", i, name, n))
            if not ok:
                print("  # " + detail.replace("\n", "\n  # "))
        print("# %d traces, %d read replies compared" % (len(traces), total))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


main()
