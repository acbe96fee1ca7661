#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The qemu target when QEMU misbehaves (TAP; suite 'target'), without a real QEMU.

`--target qemu=PATH` runs tests/target/fake-qemu.py in QEMU's place. What the target must do
is its contract (emu/target/target_qemu.c, README "Live targets"): a command QEMU does not
answer "OK" to, a read answered without a value, a host bridge block without the CXL capability
array header (capability ID 1, CXL r3.1 §8.2.4.1) and a device whose Vendor ID reads all ones
(PCIe r6.0 §7.5.1.1.1: no function there) each stop the run with exit 2 and one located line;
nothing is written to standard output or the output file. A device that starts with a
firmware-committed decoder is one QEMU 7.2 cannot start that way: its ops are skipped as marks.

usage: test_qemu_faults.py CXLEMU SOURCE_ROOT
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)

CXLEMU, SRC = sys.argv[1], sys.argv[2]
FAKE = os.path.join(SRC, "tests", "target", "fake-qemu.py")


def trace(tmp, name, devices, ops):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write('cxl-trace: 1\ndescription: "%s (tests/target)"\nprofile: qemu-7.2\ndevices:\n' % name)
        f.writelines("  %s\n" % d for d in devices)
        f.write("ops:\n")
        f.writelines("  - %s\n" % o for o in ops)
    return path


def record(path, mode, out=None):
    env = dict(os.environ, FAKE_QEMU_MODE=mode)
    args = [CXLEMU, "record", "--target", "qemu=" + FAKE, path] + (["-o", out] if out else [])
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


with tempfile.TemporaryDirectory(prefix="cxlemu-qfault-") as tmp:
    ep = trace(tmp, "ep.yaml", ["ep0: {model: qemu72-type3}"], ["[cfg-read, ep0, 0x0, 4]"])
    cases = [
        ("fail", "qemu answered 'FAIL' to 'readl "),
        ("novalue", "qemu answered 'OK' to 'readl "),
        ("zero", "no CXL capability array at 0x100001000 for host bridge hb0"),
        ("absent", "rp0 (cxl-rp) does not answer at 10:00.0"),
    ]
    for mode, want in cases:
        out = os.path.join(tmp, "out-%s.yaml" % mode)
        rc, so, se = record(ep, mode, out)
        lines = se.strip().splitlines()
        check("QEMU that answers %s: exit 2, one line '%s: error: target qemu: ...%s...', nothing "
              "written" % (mode, ep, want),
              rc == 2 and so == "" and len(lines) == 1 and lines[0].startswith(ep + ": error: target qemu: ")
              and want in lines[0] and not os.path.exists(out), (rc, so[:200], se[:400]))
    fw = trace(tmp, "fw.yaml", ["ep0: {model: qemu72-type3, fw-committed: {base: 0x100000000, size: 0x10000000}}"],
               ["[mmio-read, ep0, 0x1130, 4]"])
    rc, so, se = record(fw, "present")
    check("a firmware-committed device: its op is a skip mark naming why, exit 0",
          rc == 0 and '[mark, "skipped on qemu: mmio-read ep0 0x1130 4: ep0 starts with a '
          'firmware-committed decoder; QEMU starts none committed"]' in so, (rc, so[-400:], se[:300]))
    hb = trace(tmp, "hb.yaml", ["hb0: {model: qemu72-hb}"], ["[cfg-read, hb0, 0x0, 4]"])
    rc, so, se = record(hb, "present")
    # a host bridge model has no config space (spec/models/qemu72-hb.yaml: config-space: false)
    check("a config access of a host bridge: a skip mark, exit 0",
          rc == 0 and '[mark, "skipped on qemu: cfg-read hb0 0x0 4: a pxb-cxl host bridge\'s '
          'component block has no config space"]' in so, (rc, so[-400:], se[:300]))
finish()
