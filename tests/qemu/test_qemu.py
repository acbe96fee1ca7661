#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The differential suite against a live QEMU (TAP; meson suite 'qemu').

1. Differential: seeded random stress traces (cxlemu generate) for every QEMU 7.2 CXL device
   kind, recorded on qemu-system-x86_64 (cxlemu record --target qemu) and replayed under the
   qemu-7.2 personality: not one read may mismatch. The figures go to the TAP diagnostics.
2. The conformance suite in lockstep against qemu-7.2: no deviation.
3. The conformance suite against cxl-3.1: QEMU's deviations are exactly the table in README.md
   (between the qemu72-deviations markers), row for row.
4. Provenance of a recording, determinism of recordings, and a QEMU killed mid-run.

usage: test_qemu.py CXLEMU SOURCE_ROOT [TRACES_PER_KIND [OPS]]
Exits 77-style (a TAP plan of 0 with SKIP) only when qemu-system-x86_64 is not installed.
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CXLEMU, SRC = sys.argv[1], sys.argv[2]
PER_KIND = int(sys.argv[3]) if len(sys.argv) > 3 else 20
OPS = int(sys.argv[4]) if len(sys.argv) > 4 else 300
KINDS = ["qemu72-type3", "qemu72-root-port", "qemu72-hb", "qemu72-usp", "qemu72-dsp"]
QEMU = shutil.which("qemu-system-x86_64")
results, notes = [], []

if not QEMU:
    print("TAP version 13")
    print("1..0 # SKIP qemu-system-x86_64 is not installed (Debian: apt-get install qemu-system-x86)")
    sys.exit(0)


def check(name, cond, detail=""):
    results.append(("ok" if cond else "not ok", name, detail))


def run(args, timeout=600):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def readme_rows():
    """(device, register, cause) of every row of README's QEMU 7.2 deviation table."""
    text = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    m = re.search(r"<!-- qemu72-deviations:begin -->(.*?)<!-- qemu72-deviations:end -->", text, re.S)
    rows = set()
    for line in (m.group(1).splitlines() if m else []):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 6 or cells[0] in ("Device", "") or set(cells[0]) <= set("-: "):
            continue
        rows.add((cells[0].strip("`"), cells[1].strip("`"), cells[4].strip("`")))
    return rows


tmp = tempfile.mkdtemp(prefix="cxlemu-qemu-")
try:
    # 1. Differential suite.
    t0 = time.monotonic()
    total = {"traces": 0, "ops": 0, "reads": 0, "mismatches": 0, "skipped": 0}
    for kind in KINDS:
        recs, bad = [], []
        for seed in range(1, PER_KIND + 1):
            gen = os.path.join(tmp, "%s-%d.yaml" % (kind, seed))
            rec = os.path.join(tmp, "%s-%d.rec.yaml" % (kind, seed))
            rc, _, err = run([CXLEMU, "generate", "--model", kind, "--seed", str(seed), "--ops", str(OPS),
                              "-o", gen])
            if rc == 0:
                rc, _, err = run([CXLEMU, "record", "--target", "qemu", gen, "-o", rec])
            if rc:
                bad.append((seed, err.strip()))
                continue
            recs.append(rec)
            total["skipped"] += sum(1 for l in open(rec) if "[mark, \"skipped on qemu" in l)
        rc, out, err = run([CXLEMU, "replay", "--profile", "qemu-7.2", "--format", "json"] + recs)
        objs = [json.loads(l) for l in out.splitlines()] if out else []
        mism = [(o["trace"], o["mismatches"]) for o in objs if o["mismatches"]]
        for o in objs:
            total["traces"] += 1
            total["ops"] += o["ops"]
            total["reads"] += o["reads_checked"]
            total["mismatches"] += o["mismatches"]
        check("differential %s: %d traces x %d ops recorded on QEMU, replayed under qemu-7.2: "
              "0 read mismatches" % (kind, PER_KIND, OPS),
              not bad and len(objs) == PER_KIND and not mism and rc == 0, (bad[:3], mism[:5], err[:300]))
    notes.append("differential: %d traces, %d ops, %d reads compared, %d mismatches, %d ops QEMU "
                 "cannot perform (skipped), %.1f s" % (total["traces"], total["ops"], total["reads"],
                                                       total["mismatches"], total["skipped"],
                                                       time.monotonic() - t0))

    # 2. The conformance suite in lockstep against the personality.
    rc, out, err = run([CXLEMU, "conform", "--target", "qemu", "--profile", "qemu-7.2"])
    check("conform --target qemu --profile qemu-7.2: every scenario conforms or cannot run",
          rc == 0 and out.rstrip().endswith("CONFORMS"), (rc, out[-400:], err))

    # 3. Against the spec: exactly README's deviation table.
    rc, out, err = run([CXLEMU, "conform", "--target", "qemu", "--format", "json"])
    summary = json.loads(out.splitlines()[-1])["summary"] if rc == 1 and out else {}
    got = {(r["model"], r["register"], r["cause"]) for r in summary.get("deviating", [])}
    want = readme_rows()
    check("conform --target qemu: exit 1, deviations exactly README's QEMU 7.2 table (%d rows)" % len(want),
          rc == 1 and got == want and want,
          ("missing from README: %s" % sorted(got - want), "not seen: %s" % sorted(want - got), err))
    notes.append("conform against cxl-3.1: %s scenarios, %s deviations in %d rows; rules failing: %s" % (
        summary.get("scenarios"), summary.get("deviations"), len(got),
        ", ".join(r["rule"] for r in summary.get("rules", []) if r["verdict"] == "fails")))

    # 3b. README's rule x implementation matrix, QEMU column included.
    rc, out, err = run([CXLEMU, "diff", "--matrix", "--target", "qemu"])
    readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    m = re.search(r"<!-- matrix:begin -->\n(.*?)<!-- matrix:end -->", readme, re.S)
    check("README's matrix = cxlemu diff --matrix --target qemu", rc == 0 and m and m.group(1) == out,
          (out, err))
    # 4a. Provenance and determinism of a recording.
    trace = os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")
    r1 = run([CXLEMU, "record", "--target", "qemu", trace])
    r2 = run([CXLEMU, "record", "--target", "qemu", trace])
    check("record --target qemu: provenance header (target, version, command line)",
          r1[0] == 0 and "# target: qemu\n" in r1[1] and re.search(r"# version: QEMU emulator version 7\.2", r1[1])
          and "# command: qemu-system-x86_64 -machine q35,cxl=on" in r1[1], r1[1][:600] + r1[2])
    check("record --target qemu twice: byte-identical", r1 == r2 and r1[0] == 0)
    # 4b. QEMU killed mid-run: exit 2 with a located line, no QEMU left.
    long_trace = os.path.join(tmp, "long.yaml")
    run([CXLEMU, "generate", "--model", "qemu72-type3", "--seed", "9", "--ops", "3000000",
         "--resets", "none", "-o", long_trace])
    p = subprocess.Popen([CXLEMU, "record", "--target", "qemu", long_trace, "-o", os.path.join(tmp, "never.yaml")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    qpid, deadline = None, time.monotonic() + 30
    while qpid is None and time.monotonic() < deadline:
        for d in glob.glob("/proc/[0-9]*/stat"):
            try:
                f = open(d).read().split()
            except OSError:
                continue
            if f[3] == str(p.pid) and "qemu" in f[1]:
                qpid = int(f[0])
        time.sleep(0.05)
    time.sleep(0.5)
    if qpid:
        os.kill(qpid, signal.SIGKILL)
    out, err = p.communicate(timeout=60)
    err = err.decode()
    alive = qpid and os.path.exists("/proc/%d" % qpid) and "zombie" not in open("/proc/%d/status" % qpid).read().lower()
    check("QEMU killed mid-run: exit 2, one located line, no output file, no QEMU left",
          qpid and p.returncode == 2 and out == b"" and len(err.strip().splitlines()) == 1 and
          re.match(re.escape(long_trace) + r":\d+:\d+: error: .*qemu was killed by signal 9", err) and
          not os.path.exists(os.path.join(tmp, "never.yaml")) and not alive, (qpid, p.returncode, err))
finally:
    shutil.rmtree(tmp)

print("TAP version 13")
print("1..%d" % len(results))
for n in notes:
    print("# " + n)
for i, (ok, name, detail) in enumerate(results, 1):
    print("%s %d - %s" % (ok, i, name))
    if ok != "ok" and detail:
        for l in str(detail).splitlines()[:12]:
            print("#   " + l)
sys.exit(0 if all(r[0] == "ok" for r in results) else 1)
