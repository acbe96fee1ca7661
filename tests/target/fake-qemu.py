#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A stand-in for qemu-system-x86_64 under -qtest stdio, to drive the qemu target's fault paths
(tests/target/test_qemu_faults.py). `--version` prints a QEMU-like line; otherwise it answers
each qtest command on standard input as FAKE_QEMU_MODE says:

  fail    "FAIL" to the first read (readb/w/l/q), "OK" to everything else
  absent  a read below 4 GiB (ECAM: config space) answers 0xffffffff, as no device there does;
          above (the host bridges' component blocks) 0x00110001, a CXL capability array header
  zero    every read answers 0 (no CXL capability array at a host bridge's block)
  novalue every read answers "OK" without a value
  present below 4 GiB every read answers 0 (a function with no capabilities), above 0x00110001
"""
import os
import sys

if "--version" in sys.argv[1:]:
    print("QEMU emulator version 7.2.22 (a stand-in for tests)")
    sys.exit(0)
mode = os.environ.get("FAKE_QEMU_MODE", "zero")
for line in sys.stdin:
    word = line.split()[0] if line.split() else ""
    if word.startswith("read") or word.startswith("in"):
        if mode == "fail":
            print("FAIL", flush=True)
            continue
        if mode == "novalue":
            print("OK", flush=True)
            continue
        addr = int(line.split()[1], 0) if len(line.split()) > 1 else 0
        value = 0
        if mode in ("absent", "present"):
            value = (0xffffffff if mode == "absent" else 0) if addr < (1 << 32) else 0x00110001
        print("OK 0x%016x" % value, flush=True)
    else:
        print("OK", flush=True)
