#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`cxlemu diff --profile A --profile B` on a trace written here (TAP; meson suite 'cli').

CXL r3.1 §8.1.3.6: once CONFIG_LOCK is set, DVSEC CXL Control (an RWL register, §8.1.3.2) is
read-only, so under cxl-3.1 a later write is discarded (and raises field.rwl-locked for the
field it tried to change), while QEMU 7.2 ignores CONFIG_LOCK (spec/profiles/qemu-7.2.yaml) and
the write lands. So after Mem_Enable is set (0x0006), locked and cleared (0x0002), cxl-3.1
reads Control as 0x6 and qemu-7.2 as 0x2. The differing register and field are named for a
read narrower than the register (1 byte of the 2-byte Control) and for one wider (4 bytes:
Control and DVSEC CXL Status at 0x10e, which both read the same, so only Control is named).
A mark is counted as an op and compared as nothing.

usage: test_diff_profiles.py CXLEMU
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

CXLEMU = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)


def run(args, cwd):
    p = subprocess.run([CXLEMU] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


TRACE = """cxl-trace: 1
devices:
  ep0: {model: qemu72-type3}
ops:
  - [mark, "lock, then write Control"]
  - [cfg-write, ep0, 0x10c, 2, 0x0006]
  - [cfg-write, ep0, 0x114, 2, 0x0001]
  - [cfg-write, ep0, 0x10c, 2, 0x0002]
  - [cfg-read,  ep0, 0x10c, 1]
  - [cfg-read,  ep0, 0x10c, 4]
  - [cfg-read,  ep0, 0x10e, 2]
"""
tmp = tempfile.mkdtemp(prefix="cxlemu-diff-")
try:
    with open(os.path.join(tmp, "lock.yaml"), "w") as f:
        f.write(TRACE)
    rc, out, err = run(["diff", "--profile", "cxl-3.1", "--profile", "qemu-7.2", "lock.yaml"], tmp)
    check("text: the locked write's event on cxl-3.1 only, then both Control reads differ in "
          "Mem_Enable (0x6 against 0x2); Status alone is the same; exit 1",
          rc == 1 and err == "" and out.splitlines() == [
              "lock.yaml:8: op 3: ep0: events: cxl-3.1 field.rwl-locked (Mem_Enable); qemu-7.2 none",
              'lock.yaml:9: op 4: ep0 "DVSEC CXL Control".Mem_Enable: cxl-3.1 reads 0x6, qemu-7.2 reads 0x2',
              'lock.yaml:10: op 5: ep0 "DVSEC CXL Control".Mem_Enable: cxl-3.1 reads 0x6, qemu-7.2 reads 0x2',
              "lock.yaml: cxl-3.1 vs qemu-7.2: 7 ops, 3 reads; 2 reads differ, 1 op raises different "
              "events: DIFFER"], out)
    rc, out, err = run(["diff", "--profile", "qemu-7.2", "--profile", "cxl-3.1", "--format", "json",
                        "lock.yaml"], tmp)
    j = json.loads(out) if rc == 1 else {}
    check("JSON, the profiles swapped: the sides swap", rc == 1 and j["differences"] == [
        {"op": 3, "line": 8, "device": "ep0", "events_a": "", "events_b": "field.rwl-locked (Mem_Enable)"},
        {"op": 4, "line": 9, "device": "ep0", "register": "DVSEC CXL Control", "fields": "Mem_Enable", "a": 2, "b": 6},
        {"op": 5, "line": 10, "device": "ep0", "register": "DVSEC CXL Control", "fields": "Mem_Enable", "a": 2, "b": 6}]
          and (j["ops"], j["reads"], j["read_diffs"], j["event_diffs"]) == (7, 3, 2, 1), out)
    rc, out, err = run(["diff", "--profile", "cxl-3.1", "--profile", "cxl-3.1", "lock.yaml"], tmp)
    check("a profile against itself: SAME, exit 0", rc == 0 and out.rstrip().endswith(": SAME"), out)
finally:
    shutil.rmtree(tmp)

finish()
