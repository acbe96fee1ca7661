#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`cxlemu export --to qtest` without QEMU (TAP; meson suite 'cli'): the script's shape as
cxlemu/export.h documents it and its bad input. (tests/export/test_export_qtest.py runs the
scripts on QEMU 7.2; this one needs no QEMU.)

1. a cold reset ends one QEMU run and starts the next (one `| qemu` pipeline per run); a warm
   reset ends the here-document and the rest follows `sleep 1`; the script parses as POSIX sh
   (sh -n); its summary counts what it sends (every non-comment line of its here-documents)
   and its runs; -o FILE is made executable;
2. a topology QEMU 7.2 cannot hold (17 pxb-cxl host bridges: QEMU 7.2 maps the component
   registers of at most 16, measured; emu/target/target_qemu.c): exit 2 at the first device's
   line:col, "cannot export for QEMU 7.2: ...", nothing written; a reader error likewise.

usage: test_export_qtest_input.py CXLEMU
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

CXLEMU = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)


def run(args, cwd):
    p = subprocess.run([CXLEMU] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


tmp = tempfile.mkdtemp(prefix="cxlemu-qtest-in-")
try:
    with open(os.path.join(tmp, "resets.yaml"), "w") as f:
        f.write("cxl-trace: 1\ndescription: 'resets */ here'\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n"
                "  - [cfg-read, ep0, 0x10c, 2, 0x0002]\n  - [reset, ep0, cold]\n"
                "  - [cfg-read, ep0, 0x10c, 2]\n  - [reset, ep0, warm]\n  - [cfg-read, ep0, 0x10c, 2]\n")
    out_path = os.path.join(tmp, "resets.sh")
    rc, out, err = run(["export", "--to", "qtest", "resets.yaml", "-o", out_path], tmp)
    script = open(out_path).read() if rc == 0 else ""
    mode = os.stat(out_path).st_mode if rc == 0 else 0
    check("export --to qtest: exit 0, -o FILE executable", rc == 0 and out == "" and err == "" and
          mode & stat.S_IXUSR, (rc, err, oct(mode)))
    check("the description stays in its comment ('*/' -> './')",
          script.startswith('#!/bin/sh\n# A qtest reproducer of resets.yaml ("resets ./ here"),\n'), script[:200])
    runs = script.count("} | qemu\n")
    check("a cold reset: two QEMU runs; a warm reset: 'sleep 1' between two here-documents of a run",
          runs == 2 and script.count("\nsleep 1\n") == 1, (runs, script.count("sleep 1")))
    p = subprocess.run(["sh", "-n", out_path], stderr=subprocess.PIPE)
    check("the script parses as POSIX sh (sh -n)", p.returncode == 0, p.stderr.decode())
    sent, doc = 0, False
    for line in script.splitlines():
        if not doc:
            doc = line.endswith("<<'EOF'")
        elif line == "EOF":
            doc = False
        elif not line.startswith("#"):
            sent += 1
    m = re.search(r"\n# (\d+) ops: (\d+) reads, (\d+) not sent; (\d+) qtest commands in (\d+) runs\n$", script)
    check("the summary: 5 ops, 3 reads, and the commands and runs the script holds",
          m and (int(m.group(1)), int(m.group(2)), int(m.group(4)), int(m.group(5))) == (5, 3, sent, 2),
          (m and m.group(0), sent))

    hbs = "".join("  hb%d: {model: qemu72-hb}\n" % i for i in range(17))
    with open(os.path.join(tmp, "hb17.yaml"), "w") as f:
        f.write("cxl-trace: 1\ndevices:\n" + hbs + "ops:\n  - [cfg-read, hb0, 0x0, 4]\n")
    dst = os.path.join(tmp, "hb17.sh")
    rc, out, err = run(["export", "--to", "qtest", "hb17.yaml", "-o", dst], tmp)
    check("17 host bridges: exit 2 at the first device (3:3), the reason, no file",
          rc == 2 and out == "" and err == "hb17.yaml:3:3: error: cannot export for QEMU 7.2: the trace "
          "has 17 host bridges; QEMU 7.2 maps the component registers of at most 16 pxb-cxl (measured)\n"
          and not os.path.exists(dst), (rc, err))
    with open(os.path.join(tmp, "bad.yaml"), "w") as f:
        f.write("cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n"
                "  - [cfg-read, ep0, 0x0, 4]\n  - [cfg-read, ep0, 0x0, 3]\n")
    rc, out, err = run(["export", "--to", "qtest", "bad.yaml"], tmp)
    check("a reader error after an op: exit 2, one bad.yaml:6:26 line, nothing on stdout",
          rc == 2 and out == "" and err.startswith("bad.yaml:6:26: error: size 3 ") and
          len(err.strip().splitlines()) == 1, (rc, err))
finally:
    shutil.rmtree(tmp)

finish()
