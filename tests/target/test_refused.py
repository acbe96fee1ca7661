#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""conform against a target that refuses every access (TAP; suite 'target').

tests/target/fake-target.py --refuse answers REFUSED to every access (the exec protocol's failed
access, emu/target/target_exec.c). Under cxl-3.1 a device seen as is (no vfio view) takes every
access, so each access op of the scenario is an access.outcome-mismatch deviation ("the recorded
access failed where the model accepts it", spec/rules.yaml), and the verdict is DEVIATES, exit 1.

usage: test_refused.py CXLEMU SOURCE_ROOT
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)

CXLEMU, SRC = sys.argv[1], sys.argv[2]
scenario = os.path.join(SRC, "traces", "conformance", "dvsec-config-lock.yaml")
target = "exec:%s %s --refuse" % (sys.executable, os.path.join(SRC, "tests", "target", "fake-target.py"))
accesses = sum(1 for l in open(scenario) if re.match(r"\s*- \[(cfg|mmio)-(read|write),", l))

p = subprocess.run([CXLEMU, "conform", "--format", "json", "--target", target, scenario],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
lines = p.stdout.decode().splitlines()
summary = json.loads(lines[-1])["summary"] if lines else {}
rules = {r["rule"]: r for r in summary.get("rules", [])}
outcome = rules.get("access.outcome-mismatch", {})
check("conform with every access refused: exit 1, DEVIATES", p.returncode == 1 and summary.get("deviate") == 1,
      (p.returncode, p.stderr.decode()[:300]))
check("every one of the scenario's %d accesses is an access.outcome-mismatch deviation" % accesses,
      outcome.get("deviated") == accesses and outcome.get("verdict") == "fails", outcome)
p = subprocess.run([CXLEMU, "conform", "--target", target, scenario], stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, timeout=120)
text = p.stdout.decode()
check("the text report names the rule and its spec section on the first op",
      re.search(r"dvsec-config-lock\.yaml:\d+: op 0: ep0 \"\": exec reads 0x1, cxl-3.1 0x0: "
                r"access\.outcome-mismatch \(op 0\) \(vfio-cxl-shadow\.md §3\.1", text) is not None, text[:600])
finish()
