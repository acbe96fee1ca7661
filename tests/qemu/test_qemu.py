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
5. Topologies and ops the target must build or keep to itself (tests/qemu/data and generated
   traces): 11 and 33 ports on one bus, 16 host bridges, a host bridge after a 34-bus
   subtree, refusals past 32 ports per bus and 16 host bridges, FLR of switch ports (the
   subtree is reset too), PCIe control and header writes skipped. Every value asserted was
   measured with raw qtest on Debian 12's QEMU 7.2.22, not taken from cxlemu's output.

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
            # the machine, not the short-lived `qemu --version` probe before it
            if f[3] == str(p.pid) and "qemu" in f[1]:
                try:
                    cmdline = open("/proc/%s/cmdline" % f[0], "rb").read()
                except OSError:
                    continue
                if b"-machine" in cmdline:
                    qpid = int(f[0])
        time.sleep(0.05)
    time.sleep(0.5)
    if qpid:
        try:
            os.kill(qpid, signal.SIGKILL)
        except ProcessLookupError:
            qpid = None     # it ended by itself: the check below fails and says so
    out, err = p.communicate(timeout=60)
    err = err.decode()
    alive = qpid and os.path.exists("/proc/%d" % qpid) and "zombie" not in open("/proc/%d/status" % qpid).read().lower()
    check("QEMU killed mid-run: exit 2, one located line, no output file, no QEMU left",
          qpid and p.returncode == 2 and out == b"" and len(err.strip().splitlines()) == 1 and
          re.match(re.escape(long_trace) + r":\d+:\d+: error: .*qemu was killed by signal 9", err) and
          not os.path.exists(os.path.join(tmp, "never.yaml")) and not alive, (qpid, p.returncode, err))

    # 5. Topologies and ops (values measured with raw qtest on QEMU 7.2.22, see section docstring).
    DATA = os.path.join(SRC, "tests", "qemu", "data")
    ID_RP, ID_USP, ID_DSP, ID_T3 = 0x70758086, 0xa12819e5, 0xa12919e5, 0x0d938086  # measured IDs
    CHBS_HEADER = 0x05110001  # measured: pxb-cxl capability array header at block + 0x1000

    def trace_file(name, devices, ops):
        """Writes a generated trace (devices: [(name, model)], ops: YAML flow lists) into tmp."""
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write("cxl-trace: 1\ndescription: \"%s (tests/qemu)\"\nprofile: qemu-7.2\ndevices:\n" % name)
            f.writelines("  %s: {model: %s}\n" % d for d in devices)
            f.write("ops:\n")
            f.writelines("  - %s\n" % o for o in ops)
        return path

    def reads(text):
        """(op, device, offset, value) of every read of a recording, in order."""
        return [(m.group(1), m.group(2), int(m.group(3), 16), int(m.group(4), 16)) for m in
                re.finditer(r"\[(cfg-read|mmio-read), (\w+), (0x[0-9a-f]+), \d, (0x[0-9a-f]+)\]", text)]

    def record(path):
        return run([CXLEMU, "record", "--target", "qemu", path], timeout=120)

    def conforms(path):
        rc, out, err = run([CXLEMU, "conform", "--target", "qemu", "--profile", "qemu-7.2", path], timeout=120)
        return rc == 0 and out.rstrip().endswith("CONFORMS"), (rc, out[-600:], err)

    # 5a. 11 root ports on one host bridge: QEMU parses addr=SLOT.FN as hex (measured: addr=10.0
    # is device 0x10), so rp10 must be given addr=a.0 to answer at device 10.
    rps = ["rp%d" % i for i in range(11)]
    path = trace_file("rp11.yaml", [("hb0", "qemu72-hb")] + [(r, "qemu72-root-port") for r in rps],
                      ["[cfg-read, %s, 0x0, 4]" % r for r in rps])
    rc, out, err = record(path)
    got = reads(out)
    check("11 root ports on one host bridge: each answers as 8086:7075 (QEMU's addr= is hex)",
          rc == 0 and len(got) == 11 and all(g[3] == ID_RP for g in got), (rc, err, got[-2:]))

    # 5b. 33 endpoints, no host bridge: 33 hidden root ports do not fit one bus (32 device
    # numbers; measured: QEMU refuses addr=20.0), so a second hidden host bridge is added.
    eps = ["ep%d" % i for i in range(33)]
    path = trace_file("ep33.yaml", [(e, "qemu72-type3") for e in eps],
                      ["[cfg-read, %s, 0x0, 4]" % e for e in eps] +
                      ["[mmio-write, ep32, 0x1120, 4, 0x20000000]", "[mmio-read, ep32, 0x1120, 4]"])
    rc, out, err = record(path)
    got = reads(out)
    check("33 endpoints without a host bridge: spread over two hidden host bridges, each answers",
          rc == 0 and len(got) == 34 and all(g[3] == ID_T3 for g in got[:33]) and got[33][3] == 0x20000000
          and out.count("-device pxb-cxl,") == 2, (rc, err, got[-3:]))

    dsps = ["dsp%d" % i for i in range(33)]
    path = trace_file("dsp33-hidden.yaml", [(d, "qemu72-dsp") for d in dsps], ["[cfg-read, %s, 0x0, 4]" % d for d in dsps])
    rc, out, err = record(path)
    got = reads(out)
    check("33 downstream ports without an upstream port: spread over two hidden switches, each answers",
          rc == 0 and len(got) == 33 and all(g[3] == ID_DSP for g in got) and out.count("-device cxl-upstream,") == 2,
          (rc, err, got[-2:]))

    # 5c. A trace that declares its host bridge or switch gets no hidden one: past 32 ports on
    # a bus the start fails, naming the port (before: QEMU's "doesn't take value '20.0'").
    path = trace_file("rp33.yaml", [("hb0", "qemu72-hb")] + [("rp%d" % i, "qemu72-root-port") for i in range(33)],
                      ["[cfg-read, rp0, 0x0, 4]"])
    rc, out, err = record(path)
    check("33 root ports on the trace's one host bridge: refused at start, naming rp32",
          rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and
          "no place for root port rp32" in err and "32 root ports" in err, (rc, err))
    path = trace_file("dsp33.yaml", [("usp0", "qemu72-usp")] + [("dsp%d" % i, "qemu72-dsp") for i in range(33)],
                      ["[cfg-read, dsp0, 0x0, 4]"])
    rc, out, err = record(path)
    check("33 downstream ports on the trace's one upstream port: refused at start, naming dsp32",
          rc == 2 and out == "" and "no place for downstream port dsp32" in err and "32 downstream ports" in err,
          (rc, err))

    # 5d. Three host bridges (one -M option with three cxl-fmw windows: measured, QEMU 7.2
    # refuses a second -M cxl-fmw...), hb0 with a 34-bus subtree (rp0 > usp0 > 30 downstream
    # ports): hb1's root bus must follow it. Measured with raw qtest: the three CHBS blocks
    # are distinct registers (HDM Decoder 0 Base Low keeps 0x10000000 / 0x20000000 /
    # 0x30000000), rp1 answers on hb1's root bus after the 34 buses, dsp29 on its bus.
    path = os.path.join(DATA, "multi-hb.yaml")
    rc, out, err = record(path)
    got = reads(out)
    want = [("mmio-read", "hb0", 0x1120, 0x10000000), ("mmio-read", "hb1", 0x1120, 0x20000000),
            ("mmio-read", "hb2", 0x1120, 0x30000000), ("cfg-read", "rp1", 0, ID_RP),
            ("mmio-read", "rp1", 0x1120, 0x40000000), ("cfg-read", "dsp29", 0, ID_DSP),
            ("cfg-read", "ep0", 0, ID_T3), ("cfg-read", "ep1", 0, ID_T3), ("mmio-read", "ep1", 0x1120, 0x50000000),
            ("mmio-read", "hb1", 0x1120, 0), ("mmio-read", "rp1", 0x1120, 0), ("mmio-read", "ep1", 0x1120, 0),
            ("cfg-read", "rp1", 0, ID_RP)]
    check("three host bridges, a 34-bus subtree below the first: every device answers, blocks distinct",
          rc == 0 and got == want and out.count("-M cxl-fmw.0.targets.0=hb0,cxl-fmw.0.size=4G,cxl-fmw.1.") == 1,
          (rc, err, got))
    ok, detail = conforms(path)
    check("three host bridges: conform --target qemu --profile qemu-7.2 conforms", ok, detail)

    # 5e. Hidden root ports go on the least used of the trace's host bridges (round robin, like
    # the trace's own root ports), not all on hb0.
    path = trace_file("hb2ep3.yaml", [("hb0", "qemu72-hb"), ("hb1", "qemu72-hb"), ("ep0", "qemu72-type3"),
                                      ("ep1", "qemu72-type3"), ("ep2", "qemu72-type3")],
                      ["[cfg-read, ep%d, 0x0, 4]" % i for i in range(3)] +
                      ["[mmio-read, hb%d, 0x1000, 4]" % i for i in range(2)])
    rc, out, err = record(path)
    got = reads(out)
    cmd = next((l for l in out.splitlines() if l.startswith("# command:")), "")
    check("hidden root ports spread over the trace's host bridges (hb0, hb1, hb0)",
          rc == 0 and [g[3] for g in got] == [ID_T3] * 3 + [CHBS_HEADER] * 2 and
          re.findall(r"cxl-rp,\S*bus=(hb\d)", cmd) == ["hb0", "hb1", "hb0"], (rc, err, cmd, got))

    # 5f. 16 host bridges run (bus numbers past 255 before: 16 + 32 * 15); a 17th is refused
    # (measured: QEMU 7.2 starts 17 pxb-cxl but the 17th block at +16 * 64 KiB reads 0; 18
    # fail with "Insufficient space for pxb cxl host register space").
    hbs = ["hb%d" % i for i in range(16)]
    path = trace_file("hb16.yaml", [(h, "qemu72-hb") for h in hbs], ["[mmio-read, %s, 0x1000, 4]" % h for h in hbs])
    rc, out, err = record(path)
    got = reads(out)
    check("16 host bridges: each component block answers with the capability array header",
          rc == 0 and [g[3] for g in got] == [CHBS_HEADER] * 16, (rc, err, got))
    path = trace_file("hb17.yaml", [("hb%d" % i, "qemu72-hb") for i in range(17)], ["[mmio-read, hb0, 0x1000, 4]"])
    rc, out, err = record(path)
    check("17 host bridges: refused at start (QEMU 7.2 maps 16)",
          rc == 2 and out == "" and "17 host bridges" in err and "at most 16" in err, (rc, err))

    # 5g. FLR of switch ports. Measured with raw qtest: cxl-upstream and cxl-downstream read
    # Device Capabilities 0x10008000 (FLR Capable), cxl-rp and cxl-type3 0x00008000; an FLR
    # of dsp0 returns dsp0 and ep0 to power-on (RAS UE Mask 0x1cfff, HDM Decoder 0 Base Low 0)
    # while dsp1, ep1, usp0 keep what was written; an FLR of usp0 resets usp0, both downstream
    # ports and both endpoints, not rp0.
    path = os.path.join(DATA, "switch-flr.yaml")
    rc, out, err = record(path)
    got = reads(out)
    resets = re.findall(r"\[reset, (\w+), flr\]", out)
    want = [("mmio-read", "ep0", 0x1120, 0), ("mmio-read", "dsp0", 0x1084, 0x1cfff),
            ("mmio-read", "ep1", 0x1120, 0x20000000), ("mmio-read", "dsp1", 0x1084, 0),
            ("mmio-read", "usp0", 0x1084, 0),
            ("mmio-read", "ep0", 0x1120, 0), ("mmio-read", "ep1", 0x1120, 0), ("mmio-read", "dsp0", 0x1084, 0x1cfff),
            ("mmio-read", "dsp1", 0x1084, 0x1cfff), ("mmio-read", "usp0", 0x1084, 0x1cfff),
            ("mmio-read", "rp0", 0x1084, 0), ("cfg-read", "ep0", 0, ID_T3), ("cfg-read", "ep1", 0, ID_T3)]
    check("FLR of a switch port: the recording names every device below as reset too",
          rc == 0 and got == want and resets == ["dsp0", "ep0", "usp0", "dsp0", "dsp1", "ep0", "ep1"] and
          out.count("is not FLR capable") == 2, (rc, err, resets, got))
    ok, detail = conforms(path)
    check("FLR of a switch port: conform --target qemu --profile qemu-7.2 conforms", ok, detail)

    # 5h. Config writes the target keeps to itself. Measured with raw qtest: Initiate FLR in
    # dsp0's Device Control (0x98) makes ep0 below it read 0xffffffff, Power Controller Off in
    # rp1's Slot Control (0x60) makes ep1 read 0xffffffff; a DVSEC CXL Control write of 0xffff
    # reads 0x4fff and an HDM Decoder 0 Base Low write of 0x12345678 reads 0x10000000
    # (the reference note qemu72-qtest.md).
    path = os.path.join(DATA, "control-writes.yaml")
    rc, out, err = record(path)
    got = reads(out)
    marks = re.findall(r"\[mark, \"skipped on qemu: cfg-write (\w+) (0x[0-9a-f]+) \d: ([^\"]*)\"\]", out)
    want_marks = [("dsp0", "0x98", "PCI Express Device Control ("), ("rp1", "0x60", "PCI Express Slot Control ("),
                  ("ep0", "0x88", "PCI Express Device Control ("), ("ep0", "0x90", "PCI Express Link Control ("),
                  ("usp0", "0xa0", "PCI Express Link Control ("), ("dsp0", "0xb8", "PCI Express Device Control 2 ("),
                  ("rp0", "0x79", "PCI Express Link Control 2 ("), ("usp0", "0x18", "programs the PCI header"),
                  ("rp0", "0x20", "programs the PCI header")]
    check("PCIe control and header writes are skipped with the register named; the rest goes to QEMU",
          rc == 0 and len(marks) == len(want_marks) and
          all(d == wd and o == wo and wn in w for (d, o, w), (wd, wo, wn) in zip(marks, want_marks))
          and "cfg-write, rp0, 0x64, 2" in out and "cfg-write, dsp0, 0x9a, 2" in out
          and "cfg-write, ep0, 0x10c, 2" in out, (rc, err, marks))
    check("after the skipped writes every device still answers (DVSEC and HDM writes took effect)",
          got == [("cfg-read", "ep0", 0, ID_T3), ("cfg-read", "ep1", 0, ID_T3), ("cfg-read", "ep0", 0x10c, 0x4fff),
                  ("mmio-read", "ep0", 0x1120, 0x10000000), ("cfg-read", "ep0", 0, ID_T3),
                  ("cfg-read", "ep1", 0, ID_T3), ("cfg-read", "usp0", 0, ID_USP)], got)
    ok, detail = conforms(path)
    check("control writes: conform --target qemu --profile qemu-7.2 conforms", ok, detail)
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
