#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The cxlemu command seen from outside (TAP output for meson):
exit codes (0 pass, 1 check failed, 2 bad input), one-line file:line:col errors with nothing on
stdout, byte-identical output on repeated runs, the same state hash whatever the trace's path or
the cwd, and JSON / TAP / JUnit reports that parse.

usage: test_cli.py CXLEMU SPECGEN SOURCE_ROOT
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CXLEMU, SPECGEN, SRC = (os.path.abspath(a) for a in sys.argv[1:4])
results = []


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def run(args, cwd=None):
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect_header(path):
    """Parses '# expect-error: LINE:COL: SUBSTRING' from the first line of a bad-input file."""
    with open(path, "rb") as f:
        first = f.readline().decode("utf-8", "replace")
    m = re.match(r"# expect-error: (\d+):(\d+): ?(.*)", first.strip())
    return (m.group(1), m.group(2), m.group(3)) if m else None


def bad_input_cases(pattern, argv_of):
    for path in sorted(glob.glob(os.path.join(SRC, pattern))):
        exp = expect_header(path)
        if not exp:
            continue
        line, col, sub = exp
        rc, out, err = run(argv_of(path))
        lines = err.strip().splitlines()
        ok = (rc == 2 and out == "" and len(lines) == 1 and
              lines[0].startswith("%s:%s:%s: error: " % (path, line, col)) and sub in lines[0])
        check("bad input %s -> exit 2, one line at %s:%s" % (os.path.relpath(path, SRC), line, col),
              ok, "rc=%d stdout=%r stderr=%r" % (rc, out[:200], err[:300]))


spec_files = sorted(glob.glob(os.path.join(SRC, "spec/structures/*.yaml")) +
                    glob.glob(os.path.join(SRC, "spec/models/*.yaml")) +
                    glob.glob(os.path.join(SRC, "spec/profiles/*.yaml")) +
                    [os.path.join(SRC, "spec/rules.yaml"), os.path.join(SRC, "spec/vocabulary.yaml")])
tmp = tempfile.mkdtemp(prefix="cxlemu-cli-")
try:
    # 1. Malformed spec files fail the generator with one file:line:col line and exit 2.
    bad_input_cases("tests/bad-input/spec/*.yaml",
                    lambda p: [SPECGEN, "-o", os.path.join(tmp, "t.c"), "-H", os.path.join(tmp, "t.h"),
                               "-P", os.path.join(tmp, "p.h")] + spec_files + [p])
    check("specgen writes no half table on failure", not os.path.exists(os.path.join(tmp, "t.c")))
    # 2. Malformed traces: exit 2, one line, nothing on stdout.
    bad_input_cases("tests/bad-input/trace/*.yaml", lambda p: [CXLEMU, "replay", p])
    missing = os.path.join(tmp, "no-such.yaml")
    rc, out, err = run([CXLEMU, "replay", missing])
    check("missing file -> exit 2", rc == 2 and out == "" and err.startswith(missing), err)
    # 3. Usage errors.
    for args in (["replay", "--bogus", "x.yaml"], ["spec", "--bogus"], ["--bogus"], ["frobnicate"],
                 ["replay"], ["replay", "--format", "xml", "x"], ["replay", "--profile", "nope", "x"],
                 ["spec", "--device", "nope"]):
        rc, out, err = run([CXLEMU] + args)
        check("usage error %s -> exit 2, one line" % " ".join(args),
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1, "rc=%d err=%r" % (rc, err))
    rc, out, _ = run([CXLEMU, "--version"])
    check("--version", rc == 0 and re.match(r"cxlemu \d+\.\d+\.\d+\n$", out), out)
    for cmd in ("replay", "spec", "import"):
        rc, out, _ = run([CXLEMU, cmd, "--help"])
        check("%s --help exits 0 with usage" % cmd, rc == 0 and out.startswith("usage:"), out[:80])
    # 4. Verdict exit codes.
    lock = os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")
    rc, _, _ = run([CXLEMU, "replay", lock])
    check("a passing trace exits 0", rc == 0)
    rc, out, _ = run([CXLEMU, "replay", "--profile", "qemu-7.2", lock])
    check("the same trace under qemu-7.2 fails (QEMU ignores CONFIG_LOCK) -> exit 1",
          rc == 1 and "read.mismatch" in out and "expected but not seen: op 6 field.rwl-locked" in out)
    # 5. Determinism: byte-identical output; the state hash ignores path and cwd.
    conf = sorted(glob.glob(os.path.join(SRC, "traces/conformance/*.yaml")))
    for fmt in ("text", "json", "tap", "junit"):
        a = run([CXLEMU, "replay", "--format", fmt, "--dump-state"] + conf)
        b = run([CXLEMU, "replay", "--format", fmt, "--dump-state"] + conf)
        check("repeated %s output is byte-identical" % fmt, a == b and a[1] != "")
    copy = os.path.join(tmp, "renamed-elsewhere.yaml")
    shutil.copy(lock, copy)
    _, o1, _ = run([CXLEMU, "replay", "--quiet", lock])
    _, o2, _ = run([CXLEMU, "replay", "--quiet", "renamed-elsewhere.yaml"], cwd=tmp)
    h1 = re.search(r"state ([0-9a-f]{16})", o1)
    h2 = re.search(r"state ([0-9a-f]{16})", o2)
    check("state hash independent of path and cwd", h1 and h2 and h1.group(1) == h2.group(1), o1 + o2)
    # 6. JSON: one object per trace per line with the documented keys.
    rc, out, _ = run([CXLEMU, "replay", "--format", "json", "--verbose"] + conf)
    objs = []
    try:
        objs = [json.loads(line) for line in out.splitlines()]
        parsed = True
    except ValueError as e:
        parsed = False
        check("json parses", False, str(e))
    if parsed:
        keys = {"trace", "profile", "ops", "events", "reads_checked", "mismatches", "unmodeled",
                "state_hash", "result"}
        ekeys = {"op", "line", "device", "register", "field", "rule", "severity", "message", "spec"}
        check("json: one object per trace", len(objs) == len(conf), len(objs))
        check("json: trace keys", all(keys <= set(o) for o in objs))
        check("json: event keys", all(ekeys <= set(e) for o in objs for e in o["events"]))
        check("json: results", all(o["result"] in ("pass", "fail") for o in objs))
        check("json: severities", all(e["severity"] in ("error", "warning", "note")
                                      for o in objs for e in o["events"]))
    # 7. TAP and JUnit parse.
    rc, out, _ = run([CXLEMU, "replay", "--format", "tap"] + conf)
    lines = out.splitlines()
    oks = [l for l in lines if re.match(r"(not )?ok \d+ ", l)]
    check("tap: version, plan and one test point per trace",
          lines[:2] == ["TAP version 13", "1..%d" % len(conf)] and len(oks) == len(conf), out[:200])
    rc, out, _ = run([CXLEMU, "replay", "--format", "junit"] + conf)
    try:
        root = ET.fromstring(out)
        suite = root.find("testsuite")
        check("junit: parses with one testcase per trace",
              suite is not None and suite.get("tests") == str(len(conf)) and
              len(suite.findall("testcase")) == len(conf))
    except ET.ParseError as e:
        check("junit parses", False, str(e))
    # 8. --dump-state prints every device's registers.
    rc, out, _ = run([CXLEMU, "replay", "--dump-state", lock])
    check("--dump-state", "state of ep0 (qemu72-type3, profile cxl-3.1):" in out and
          "DVSEC CXL Lock" in out)
    # 9. --dump-state decodes committed decoders (CXL r3.1 §8.2.4.20 decode flow): in 14.13.9,
    # decoder 0 is 256 MiB, 1-way at 4 GiB; decoder 1 follows it, so its first byte maps to
    # DPA 0 + Size[0]/1 = 0x10000000.
    rc, out, _ = run([CXLEMU, "replay", "--dump-state",
                      os.path.join(SRC, "traces/conformance/compliance-14.13.9-decoder-commit.yaml")])
    check("--dump-state decode summary",
          "decoder 0 HPA [0x100000000, 0x110000000) 1-way, 256-byte granules: first byte -> DPA 0x0\n" in out and
          "decoder 1 HPA [0x110000000, 0x120000000) 1-way, 256-byte granules: first byte -> DPA 0x10000000\n" in out,
          out[-600:])
    # 10. replay --from replays a log in memory: the same ops, events and final state as
    # importing it to a file and replaying that (events point into the log instead).
    for log in sorted(glob.glob(os.path.join(SRC, "traces/real/*.log.gz"))):
        y = os.path.join(tmp, "imported.yaml")
        rc1, _, e1 = run([CXLEMU, "import", "--from", "qemu-log", "-o", y, log])
        _, o1, _ = run([CXLEMU, "replay", "--quiet", y])
        rc2, o2, e2 = run([CXLEMU, "replay", "--quiet", "--from", "qemu-log", log])
        s1 = o1.strip().split(": ", 1)[-1]
        s2 = o2.strip().split(": ", 1)[-1]
        check("replay --from qemu-log %s = import + replay" % os.path.basename(log),
              rc1 == 0 and s1 == s2 and o2.startswith(log + ": profile"), (o1, o2, e1, e2))
    rc, out, err = run([CXLEMU, "replay", "--from", "qemu-log",
                        os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")])
    check("replay --from: a file that is no log -> exit 2, one line",
          rc == 2 and out == "" and "no qemu-log records found" in err, err)
    # 10b. An mmiotrace log with only a MARK imports to a trace without devices; replaying it
    # (from the file or in memory) must not crash (regression, traces/regress/mark-without-devices.yaml).
    mk = os.path.join(tmp, "mark.mmio")
    with open(mk, "w") as f:
        f.write("MARK 1.000000 hello\n")
    ym = os.path.join(tmp, "mark.yaml")
    rc1, _, e1 = run([CXLEMU, "import", "--from", "mmiotrace", "-o", ym, mk])
    rc2, o2, e2 = run([CXLEMU, "replay", ym])
    rc3, o3, e3 = run([CXLEMU, "replay", "--from", "mmiotrace", mk])
    check("mark-only mmiotrace: import, replay and replay --from all succeed (nothing to check: SKIP)",
          rc1 == 0 and rc2 == 0 and rc3 == 0 and "; SKIP: nothing to check" in o2 and
          "; SKIP: nothing to check" in o3, (e1, e2, e3))
    # 10c. U+0085, U+2028 and U+2029 are YAML line breaks: the writer escapes them (\\N \\L \\P,
    # YAML 1.1 §5.7) so a mark's text survives import -> replay byte for byte.
    with open(mk, "wb") as f:
        f.write(b"MARK 1.000000 a\xe2\x80\xa8b\xe2\x80\xa9c\xc2\x85d\n")
    rc1, _, e1 = run([CXLEMU, "import", "--from", "mmiotrace", "-o", ym, mk])
    text = open(ym, "rb").read() if rc1 == 0 else b""
    rc2, _, e2 = run([CXLEMU, "replay", ym])
    check("import escapes NEL/LS/PS in scalars and the trace replays",
          rc1 == 0 and b'[mark, "a\\Lb\\Pc\\Nd", "@1"]' in text and rc2 == 0, (e1, e2, text[-80:]))
    # 10d. An expect file (import --expect) is one document with one expect list.
    sample = sorted(glob.glob(os.path.join(SRC, "traces/real/*.log.gz")))[0]
    for name, body, line, sub in (
            ("dup", "expect: []\nexpect: []\n", "2:1", "duplicate key 'expect'"),
            ("nokey", "notes: x\n", "1:1", "no 'expect' key"),
            ("twodocs", "- {op: 1, rule: read.mismatch, why: x}\n---\n- {op: 2, rule: read.mismatch, why: y}\n",
             "2:1", "second one starts here")):
        ex = os.path.join(tmp, "expect-%s.yaml" % name)
        with open(ex, "w") as f:
            f.write(body)
        rc, out, err = run([CXLEMU, "import", "--from", "qemu-log", "--expect", ex,
                            "-o", os.path.join(tmp, "x.yaml"), sample])
        check("expect file %s -> exit 2 at %s" % (name, line),
              rc == 2 and out == "" and err.startswith("%s:%s" % (ex, line)) and sub in err and
              not os.path.exists(os.path.join(tmp, "x.yaml")), err)
    # 11. A personality is data: one YAML file with inherits: and only its differences.
    gen = os.path.join(tmp, "gen")
    os.mkdir(gen)
    rc, _, err = run([SPECGEN, "-o", os.path.join(gen, "t.c"), "-H", os.path.join(gen, "t.h"),
                      "-P", os.path.join(gen, "p.h")] + spec_files +
                     [os.path.join(SRC, "tests/data/profile-example.yaml")])
    rows = {}
    if rc == 0:
        table = open(os.path.join(gen, "t.c")).read()
        body = table.split("cxl_spec_profiles[] = {")[1].split("};")[0]
        for m in re.finditer(r'\{ "([^"]+)", "(?:[^"\\]|\\.)*", (-?\d+), (\d+), (\d+), (locks_\d+), '
                             r'(\d+), (\d+), (\w+), (0x\w+), (0x\w+), (\d+), (resets_\d+), (0x\w+), (0x\w+), (\d+) \}', body):
            rows[m.group(1)] = m.groups()[1:]
    ex, root = rows.get("example-no-decoder-lock"), rows.get("cxl-3.1")
    names = list(rows)
    resets = dict(re.findall(r"static const uint8_t (resets_\d+)\[\]\[CXL_RESET__COUNT\] = \{\n(.*?)\n\};",
                             table, re.S)) if rc == 0 else {}
    check("a YAML-only personality generates with every knob inherited",
          rc == 0 and ex and root and int(ex[0]) == names.index("cxl-3.1") and
          ex[4:10] == root[4:10] and ex[2] == root[2] and ex[11:14] == root[11:14] and
          resets.get(ex[10]) == resets.get(root[10]) is not None, (err, ex, root))
    locks = {}
    if rc == 0:
        for m in re.finditer(r"static const struct cxl_lock_eff (locks_\d+)\[\] = \{\n(.*?)\n\};",
                             table, re.S):
            locks[m.group(1)] = m.group(2).splitlines()
    never = lambda line: re.search(r"ULL, (true|false), ", line).group(1)  # noqa: E731
    check("... and differs in exactly the lock it names (decoder: never held)",
          ex and root and locks[ex[3]][0] == locks[root[3]][0] and
          never(locks[ex[3]][1]) == "true" and never(locks[root[3]][1]) == "false", locks)
    # 12. conform / record / generate / diff on the model (live targets: tests/target, tests/qemu).
    rc, out, err = run([CXLEMU, "conform", "--target", "model:cxl-3.1"])
    # The model conforms to itself; as a bare device passed through with no shadow it shows the
    # guest the host's address and takes Range Base writes (seed 004, vfio-cxl-shadow.md §5
    # analysis 7): only the host-safety observations fail, so the verdict is UNSAFE, exit 1.
    failing = sorted(re.findall(r"^  FAILS\s+(\S+)", out, re.M))
    check("conform --target model:cxl-3.1 on the bundled suite: 0 deviations, UNSAFE only by "
          "host.hpa-visible and host.range-base-write, exit 1, paths shown as conformance/NAME",
          rc == 1 and out.rstrip().endswith(": UNSAFE") and " 0 deviations, " in out and
          failing == ["host.hpa-visible", "host.range-base-write"] and
          "\nconformance/dvsec-config-lock.yaml: " in out and SRC not in out, (rc, out[-300:], err))
    rc, out, err = run([CXLEMU, "conform", "--target", "model:linux-vfio-cxl-v2", "--profile",
                        "linux-vfio-cxl-v2", os.path.join(SRC, "traces/conformance/vfio-v2-open-setup-locked-hdm.yaml")])
    check("conform model:linux-vfio-cxl-v2 to itself on its open/setup scenario: the locked host "
          "decoder stays hidden (host.hpa-visible holds), exit 0",
          rc == 0 and out.rstrip().endswith(": CONFORMS") and
          re.search(r"holds\s+host\.hpa-visible", out), (rc, out[-600:], err))
    rc, out, err = run([CXLEMU, "conform", "--target", "model:linux-vfio-cxl-v2", "--profile",
                        "linux-vfio-cxl-v2", os.path.join(SRC, "traces/conformance/vfio-v2-unlocked-hpa-visible.yaml")])
    check("conform model:linux-vfio-cxl-v2 with an unlocked host decoder: the guest reads the host "
          "address (§5 analysis 7): 2 findings, UNSAFE, exit 1",
          rc == 1 and out.rstrip().endswith(": UNSAFE") and "2 host-safety findings" in out and
          ':21: op 1: acc0 "HDM Decoder 0 Base Low": model:linux-vfio-cxl-v2 reads 0x80000000: host.hpa-visible' in out,
          (rc, out[-600:], err))
    rc, out, err = run([CXLEMU, "conform", "--target", "model:qemu-7.2", lock])
    check("conform model:qemu-7.2 against cxl-3.1 on dvsec-config-lock: exit 1, the CONFIG_LOCK "
          "deviations (CXL r3.1 §8.1.3.6) and the rule table",
          rc == 1 and re.search(r"FAILS\s+field\.rwl-locked", out) and
          re.search(r"FAILS\s+field\.rwo-rewrite", out) and
          ':18: op 7: ep0 "DVSEC CXL Control".Mem_Enable: model:qemu-7.2 reads 0x0, cxl-3.1 0x1: field.rwl-locked (op 6)' in out,
          (rc, out, err))
    for fmt in ("json", "tap", "junit"):
        r1 = run([CXLEMU, "conform", "--format", fmt, "--target", "model:qemu-7.2"])
        r2 = run([CXLEMU, "conform", "--format", fmt, "--target", "model:qemu-7.2"])
        ok = r1 == r2 and r1[0] == 1
        try:
            if fmt == "json":
                objs = [json.loads(l) for l in r1[1].splitlines()]
                ok = ok and "summary" in objs[-1] and all("trace" in o for o in objs[:-1])
            elif fmt == "junit":
                root = ET.fromstring(r1[1])
                ok = ok and len(root.findall("testsuite")) == 2
            else:
                ok = ok and re.search(r"^1\.\.\d+$", r1[1], re.M) and "not ok" in r1[1]
        except (ValueError, ET.ParseError) as e:
            ok = False
        check("conform --format %s parses and is byte-identical on a rerun" % fmt, ok, r1[1][:300])
    rec = os.path.join(tmp, "rec.yaml")
    rc, _, err = run([CXLEMU, "record", "--target", "model:qemu-7.2", lock, "-o", rec])
    text = open(rec).read() if rc == 0 else ""
    check("record --target model:qemu-7.2 -o OUT: reads carry the target's values, provenance header",
          rc == 0 and "# target: model\n" in text and "[cfg-read,  ep0, 0x10c, 2" not in text and
          "[cfg-read, ep0, 0x10c, 2, 0x2]" in text, (err, text[:400]))
    rc, out, _ = run([CXLEMU, "replay", "--profile", "qemu-7.2", rec])
    check("... and replays under qemu-7.2 with no mismatch", rc == 0 and " 0 mismatched" in out, out)
    g1 = run([CXLEMU, "generate", "--model", "qemu72-usp", "--seed", "5", "--ops", "200"])
    g2 = run([CXLEMU, "generate", "--model", "qemu72-usp", "--seed", "5", "--ops", "200"])
    g3 = run([CXLEMU, "generate", "--model", "qemu72-usp", "--seed", "6", "--ops", "200"])
    nops = len([l for l in g1[1].splitlines() if l.startswith("  - [")])
    check("generate: same seed same trace, another seed another; exactly --ops ops",
          g1 == g2 and g1[0] == 0 and g1[1] != g3[1] and nops == 200, nops)
    gen = os.path.join(tmp, "gen.yaml")
    with open(gen, "w") as f:
        f.write(g1[1])
    rc, out, _ = run([CXLEMU, "replay", gen])
    check("... and the generated trace replays", rc in (0, 1) and "200 ops" in out, out[-200:])
    for args in (["generate"], ["generate", "--model", "nope"], ["generate", "--model", "qemu72-hb", "--ops", "0"],
                 ["generate", "--model", "qemu72-hb", "--resets", "sometimes"],
                 ["generate", "--model", "qemu72-hb", "--seed", "99999999999999999999999"],
                 ["generate", "--model", "qemu72-hb", "--ops", "+5"],
                 ["generate", "--model", "qemu72-hb", "--ops", " 5"],
                 ["generate", "--model", "qemu72-hb", "--resets", "cold,,warm"], ["conform"],
                 ["conform", "--target", "model", "--profile", "nope"], ["diff", "--profile", "cxl-3.1"],
                 ["diff", "--matrix", "--profile", "cxl-3.1"], ["record", "--target", "model"]):
        rc, out, err = run([CXLEMU] + args)
        check("usage error %s -> exit 2, one line" % " ".join(args),
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1, (rc, err))
    rc, out, _ = run([CXLEMU, "diff", "--profile", "cxl-3.1", "--profile", "cxl-3.1"] + conf)
    check("diff of a personality with itself: SAME everywhere, exit 0",
          rc == 0 and "DIFFER" not in out and out.count("SAME") == len(conf), out[-300:])
    rc, out, _ = run([CXLEMU, "diff", "--profile", "cxl-3.1", "--profile", "qemu-7.2", lock])
    # CXL r3.1 §8.1.3.6 vs QEMU 7.2 (qemu72-qtest.md: "Lock <- 1, then Control <- 0: the write landed")
    check("diff cxl-3.1 qemu-7.2 on dvsec-config-lock: the locked Control write, op by op, exit 1",
          rc == 1 and ":17: op 6: ep0: events: cxl-3.1 field.rwl-locked (Mem_Enable); qemu-7.2 none" in out and
          ':18: op 7: ep0 "DVSEC CXL Control".Mem_Enable: cxl-3.1 reads 0x6, qemu-7.2 reads 0x2' in out, out)
    # 13. The matrix in README (personality columns) is what diff --matrix prints.
    rc, out, _ = run([CXLEMU, "diff", "--matrix"])
    readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    m = re.search(r"<!-- matrix:begin -->\n(.*?)<!-- matrix:end -->", readme, re.S)
    cols = out.splitlines()[0].count("|") - 1 if out else 0
    trimmed = ["|".join(l.split("|")[:cols + 1]) + "|" for l in (m.group(1).splitlines() if m else [])]
    check("README's rule x implementation matrix = cxlemu diff --matrix (personality columns)",
          rc == 0 and m and trimmed == out.splitlines(), (out, trimmed))
    # 13b. Review findings: a deviation seen only through a 1-byte read of a 32-bit field (CXL
    # r3.1 §8.1.3.6: Range 1 Base High is RWL, so cxl-3.1 drops the write after CONFIG_LOCK;
    # qemu-7.2 takes it: cxl-registers.md / qemu72-qtest.md), a diff whose second trace is bad
    # (nothing on stdout), and a conformance "directory" that is a file.
    partial = os.path.join(tmp, "partial.yaml")
    with open(partial, "w") as f:
        f.write("cxl-trace: 1\nprofile: cxl-3.1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n"
                "  - [cfg-write, ep0, 0x114, 2, 0x0001]\n  - [cfg-write, ep0, 0x120, 4, 0x00000001]\n"
                "  - [cfg-read,  ep0, 0x120, 1]\n")
    rc, out, err = run([CXLEMU, "conform", "--target", "model:qemu-7.2", partial])
    check("conform compares the bits a 1-byte read covers of a wider field: the locked Range Base "
          "write QEMU takes is a deviation, exit 1",
          rc == 1 and ':8: op 2: ep0 "DVSEC CXL Range 1 Base High".Memory_Base_High: model:qemu-7.2 reads 0x1, '
          'cxl-3.1 0x0: field.rwl-locked (op 1)' in out, (rc, out, err))
    bad = os.path.join(tmp, "bad-offset.yaml")
    with open(bad, "w") as f:
        f.write("cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n  - [cfg-read, ep0, 0x1000, 4]\n")
    for fmt in ("text", "json"):
        rc, out, err = run([CXLEMU, "diff", "--format", fmt, "--profile", "cxl-3.1", "--profile", "qemu-7.2",
                            lock, bad])
        check("diff --format %s with a bad second trace: exit 2, nothing on stdout, one line" % fmt,
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and bad + ":5:" in err,
              (rc, out[:200], err))
    rc, out, err = run([CXLEMU, "diff", "--scenarios", lock, bad])
    check("diff --scenarios with a bad trace: exit 2, nothing on stdout", rc == 2 and out == "", (rc, out[:200]))
    env = dict(os.environ, CXLEMU_CONFORMANCE_DIR=lock)
    p = subprocess.run([CXLEMU, "conform", "--target", "model"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    check("CXLEMU_CONFORMANCE_DIR naming a file: a usage error, exit 2",
          p.returncode == 2 and not p.stdout and b"must be a directory" in p.stderr, (p.returncode, p.stderr))

    # 13c. Output hardening: a closed stdout is an error when something was to be printed (the
    # report would otherwise land in the first file opened, or nowhere), not with -o; a trace
    # with more events than a report holds is counted whole and shown in part.
    p = subprocess.run([CXLEMU, "replay", lock], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       pass_fds=(), close_fds=True, preexec_fn=lambda: os.close(1))
    check("replay with stdout closed: exit 2, one line saying so", p.returncode == 2 and
          b"standard output is closed" in p.stderr and len(p.stderr.splitlines()) == 1, (p.returncode, p.stderr))
    before = open(lock, "rb").read()
    check("... and the trace it read is untouched", open(lock, "rb").read() == before)
    imp_out = os.path.join(tmp, "closed.yaml")
    p = subprocess.run([CXLEMU, "import", "--from", "qemu-log", "-o", imp_out,
                        os.path.join(SRC, "traces/real/1ep.log.gz")], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    check("import -o with stdout closed: exit 0 (nothing goes to stdout)",
          p.returncode == 0 and os.path.getsize(imp_out) > 0, (p.returncode, p.stderr))
    many = os.path.join(tmp, "many.yaml")
    with open(many, "w") as f:
        f.write("cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n  - [cfg-write, ep0, 0x114, 2, 0x1]\n")
        for i in range(120000):   # CXL r3.1 §8.1.3.6: each Mem_Enable change after CONFIG_LOCK: field.rwl-locked
            f.write("  - [cfg-write, ep0, 0x10c, 2, 0x4]\n")
    rc, out, _ = run([CXLEMU, "replay", many])
    check("replay of 120,000 errors: 100,000 shown, the rest counted and said",
          rc == 1 and sum(1 for l in out.splitlines()
                          if ": error: " in l and l.endswith("[field.rwl-locked]")) == 100000 and
          ": ... and 20000 more events not shown" in out and "; 120000 errors," in out, out[-400:])
    rc, out, _ = run([CXLEMU, "replay", "--format", "json", many])
    d = json.loads(out) if rc == 1 else {}
    check("... JSON: 100,000 events, events_dropped 20000, errors 120000",
          len(d.get("events", [])) == 100000 and d.get("events_dropped") == 20000 and
          d.get("errors") == 120000, {k: v for k, v in d.items() if k != "events"})

    # 14. vfio-cxl QEMU logs (tests/import/data/vfio, hand-made in the NVIDIA QEMU's trace-events
    # formats, vfio-cxl-shadow.md §3.2; each read value follows the code cited for its kernel)
    # replay under their kernel's personality with every read matching, and the host-safety
    # findings at the log line that shows them.
    vdir = os.path.join(SRC, "tests/import/data/vfio")
    host = ["--host-decoder", "0=0x480000000,0x40000000"]  # the HPA the v3/v4 logs leak

    def vfio(log, profile, extra=()):
        return run([CXLEMU, "replay", "--from", "qemu-log", "--profile", profile] + list(extra) +
                   [os.path.join(vdir, log)])

    def at(out, log, line, rule):
        # gcc style: LOG:LINE:COL: SEVERITY: ... [RULE]
        return any(l.startswith("%s:%d:" % (os.path.join(vdir, log), line)) and l.endswith("[%s]" % rule)
                   for l in out.splitlines())

    rc, out, err = vfio("v2-passthrough.log", "linux-vfio-cxl-v2")
    # §1.3: setup_locked_hdm's Control write latches LOCK, so the guest's Base High write at
    # line 21 is dropped (read 0x10 at 22); a Control write with LOCK 0 (line 23) only unlocks;
    # the next Base High write (25) lands; DVSEC Lock latches (27) and Control is then dropped (29)
    check("vfio v2 log under linux-vfio-cxl-v2: every read matches; remap attempts at 21, 23, 25; "
          "the locked DVSEC Control write at 29",
          rc == 1 and "reads 16 checked, 0 mismatched" in out and
          all(at(out, "v2-passthrough.log", n, "host.decoder-remap") for n in (21, 23, 25)) and
          at(out, "v2-passthrough.log", 29, "field.rwl-locked") and " read.mismatch" not in out, out)
    rc2, out2, _ = vfio("v2-passthrough-timestamps.log", "linux-vfio-cxl-v2")
    check("vfio v2 log with -msg timestamp=on: the same report",
          rc2 == rc and out2.replace("-timestamps", "") == out, out2[-400:])
    rc, out, _ = vfio("v2-passthrough.log", "cxl-3.1")
    # CXL r3.1 §8.2.4.20.7: Lock On Commit is cleared only by reset, so strict reads keep LOCK
    check("vfio v2 log under cxl-3.1: the LOCK->0 reprogram path is a deviation (line 24 reads 0x600, "
          "the spec keeps 0x700)",
          rc == 1 and at(out, "v2-passthrough.log", 24, "read.mismatch") and
          "(recorded 0x00000600, model 0x00000700)" in out, out)
    rc, out, _ = vfio("v3-passthrough.log", "linux-vfio-cxl-v3", host)
    # §1.4: a committed decoder drops Base writes and keeps LOCK unless COMMIT is released, so
    # QEMU's leftover-lock write (the warning, line 5) fails, the host HPA stays (lines 9, 10)
    # and a guest Control write of 0 decommits (11, read 0 at 12)
    check("vfio v3 log: QEMU's unlock dropped at the warning line, the host HPA read at 9 and 10, "
          "the guest decommit at 11, every read matching",
          rc == 1 and "reads 5 checked, 0 mismatched" in out and
          at(out, "v3-passthrough.log", 5, "hdm.locked-write") and
          at(out, "v3-passthrough.log", 9, "host.hpa-visible") and
          at(out, "v3-passthrough.log", 10, "host.hpa-visible") and
          at(out, "v3-passthrough.log", 11, "host.decoder-remap"), out)
    rc, out, _ = vfio("v4-passthrough.log", "linux-vfio-cxl-v4", host)
    # §1.5 (latest): writes absorbed, reads live (host HPA), out-of-range COMP_REGS → -EINVAL
    check("vfio v4 log: writes absorbed, the host HPA read at 8, the refused read at 12 logged as failed",
          rc == 1 and "reads 5 checked, 0 mismatched" in out and
          at(out, "v4-passthrough.log", 8, "host.hpa-visible") and
          at(out, "v4-passthrough.log", 12, "access.region-rejected") and
          "access.outcome-mismatch" not in out, out)
    rc, out, _ = vfio("v4-passthrough.log", "linux-vfio-cxl-v4")
    check("vfio v4 log without --host-decoder: the host base is unknown (0), so line 8 mismatches",
          rc == 1 and at(out, "v4-passthrough.log", 8, "read.mismatch"), out)
    rc, out, _ = vfio("rfc2024-bar.log", "cxl-3.1")
    check("vfio Sep 2024 RFC log (component BAR trapped): bar view, passes under cxl-3.1",
          rc == 0 and "reads 4 checked, 0 mismatched" in out, out)
    imp = os.path.join(tmp, "v3.yaml")
    rc, _, err = run([CXLEMU, "import", "--from", "qemu-log"] + host +
                     ["-o", imp, os.path.join(vdir, "v3-passthrough.log")])
    rc2, out2, _ = run([CXLEMU, "replay", "--profile", "linux-vfio-cxl-v3", "--quiet", imp])
    rc3, out3, _ = vfio("v3-passthrough.log", "linux-vfio-cxl-v3", host + ["--quiet"])
    check("vfio import -o then replay = replay --from (same state hash)",
          rc == 0 and rc2 == rc3 == 1 and out2.split("; state ")[1:] == out3.split("; state ")[1:] and
          out2.count("; state ") == 1, (err, out2, out3))
    for args in (["replay", "--host-decoder", "0=0x0,0x10000000", imp],
                 ["replay", "--from", "qemu-log", "--host-decoder", "0=0x1,0x10000000", imp],
                 ["import", "--from", "qemu-log", "--host-decoder", "9=0x0,0x10000000", imp]):
        rc, out, err = run([CXLEMU] + args)
        check("usage error %s -> exit 2, one line" % " ".join(args[:4]),
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1, (rc, err))
    # 15. A file name that is not UTF-8 grows when a trace writes it (each such byte is the
    # text \xNN): import cuts it so the trace reads back (found in issue 11's fuzzing).
    odd = os.path.join(tmp.encode(), b"a" * 10 + b"\xff" * 200 + b".log")
    shutil.copy(os.path.join(SRC, "tests/import/data/qemu72-bringup.qtest.log"), odd)
    y = os.path.join(tmp, "odd-name.yaml")
    p = subprocess.run([CXLEMU.encode(), b"import", b"--from", b"qtest", b"-o", y.encode(), odd],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    rc2, out2, err2 = run([CXLEMU, "replay", "--quiet", y])
    text = open(y, "rb").read() if os.path.exists(y) else b""
    check("import of a file whose name is 200 bytes that are not UTF-8: the trace replays",
          p.returncode == 0 and rc2 in (0, 1) and err2 == "" and text.decode("utf-8", "strict") and
          "\\xff" in text.decode(), (p.stderr[:300], err2))
    # 16. cxlemu minimize. Expected from the spec, not from a run: a Lock-On-Commit violation
    # needs exactly two ops, a Control write with Commit (bit 9) and Lock On Commit (bit 8),
    # legal even at size 0 (CXL r3.1 §8.2.4.20.12, compliance 14.13.10), then a write that
    # changes a register of that decoder (§8.2.4.20.13).
    loc = os.path.join(SRC, "traces/conformance/hdm-lock-on-commit.yaml")
    rc, out, err = run([CXLEMU, "minimize", "--rule", "hdm.locked-write", loc])
    rc2, out2, _ = run([CXLEMU, "minimize", "--rule", "hdm.locked-write", loc])
    ops = re.findall(r"^  - \[(.*)\]", out, re.M)
    check("minimize --rule hdm.locked-write: 2 ops, Commit+LOC then a decoder-0 write, one device",
          rc == 0 and len(ops) == 2 and re.match(r"mmio-write, ep0, 0x1130, 4, 0x(\w+)", ops[0]) and
          int(re.match(r"mmio-write, ep0, 0x1130, 4, 0x(\w+)", ops[0]).group(1), 16) & 0x300 == 0x300 and
          re.match(r"mmio-write, ep0, 0x11[23][0-9a-f], 4, ", ops[1]) and
          re.findall(r"^  (\w+): \{", out, re.M) == ["ep0"], (rc, out, err))
    check("minimize twice: byte-identical", out == out2 and rc == rc2)
    mo = os.path.join(tmp, "min.yaml")
    rc, out, err = run([CXLEMU, "minimize", "--rule", "hdm.locked-write", "-o", mo, loc])
    rc2, out2, _ = run([CXLEMU, "replay", "--format", "json", mo])
    check("minimize -o: nothing on stdout, the result replays with the rule at its op 1",
          rc == 0 and out == "" and rc2 == 1 and
          any(e["rule"] == "hdm.locked-write" and e["op"] == 1
              for e in json.loads(out2.splitlines()[0])["events"]), (rc, err, out2[:300]))
    rc, out, err = run([CXLEMU, "minimize", "--rule", "field.rwl-locked", loc])
    check("minimize of a trace without the rule: exit 1, nothing on stdout",
          rc == 1 and out == "" and "does not show" in err, (rc, out, err))
    rc, out, err = run([CXLEMU, "minimize", "--invariant", "any", loc])
    check("minimize --invariant any on a correct model: exit 1 (no invariant breaks)",
          rc == 1 and out == "", (rc, err))
    rc, out, err = run([CXLEMU, "minimize", "--from", "fuzz-ops", "--rule", "hdm.locked-write",
                        os.path.join(SRC, "tools/fuzz/corpus/fuzz_ops/hdm-lock-on-commit.bin")])
    check("minimize --from fuzz-ops: the seed's finding in 2 ops on ep0 alone (6 devices dropped)",
          rc == 0 and len(re.findall(r"^  - \[", out, re.M)) == 2 and
          re.findall(r"^  (\w+): \{", out, re.M) == ["ep0"], (rc, out[-600:], err))
    for args in (["minimize", loc], ["minimize", "--invariant", "bogus", loc],
                 ["minimize", "--rule", "no.such-rule", loc],
                 ["minimize", "--rule", "hdm.locked-write", "--invariant", "any", loc]):
        rc, out, err = run([CXLEMU] + args)
        check("usage error %s -> exit 2, one line" % " ".join(args[1:3]),
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1, (rc, err))
    # 17. The engine's fast paths (per-register masks, exact-register accesses) decide what the
    # field loop does: every fuzz seed and bundled trace, under every personality, gives the
    # same report and final state with CXLEMU_ENGINE_SLOW=1 (the field loop for every write).
    slow_env = dict(os.environ, CXLEMU_ENGINE_SLOW="1")
    differ, compared = [], 0
    inputs = [(["--from", "fuzz-ops"], f) for f in
              sorted(glob.glob(os.path.join(SRC, "tools/fuzz/corpus/fuzz_ops/*")))]
    for t in sorted(glob.glob(os.path.join(SRC, "traces/conformance/*.yaml")) +
                    glob.glob(os.path.join(SRC, "traces/regress/*.yaml")) +
                    glob.glob(os.path.join(SRC, "traces/real/*.yaml"))):
        for prof in ("cxl-3.1", "qemu-7.2", "linux-vfio-cxl-v2", "linux-vfio-cxl-v3", "linux-vfio-cxl-v4"):
            inputs.append((["--profile", prof], t))
    for extra, f in inputs:
        argv = [CXLEMU, "replay", "--format", "json", "--dump-state"] + extra + [f]
        fast = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        slow = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=slow_env)
        compared += 1
        if (fast.returncode, fast.stdout, fast.stderr) != (slow.returncode, slow.stdout, slow.stderr):
            differ.append(" ".join(extra + [os.path.relpath(f, SRC)]))
    check("engine fast paths = the field loop (CXLEMU_ENGINE_SLOW) on %d replays" % compared,
          compared > 100 and not differ, differ[:5])
    rc, out, err = run([CXLEMU, "bench", "--ops", "20000", "--runs", "1"])
    rows = [l.split()[0] for l in out.splitlines()[2:]]
    check("cxlemu bench: a table of the bare loop, the engine (3 rows), the binary and YAML files",
          rc == 0 and rows == ["bare", "engine,", "engine,", "engine,", "binary", "YAML", "YAML"] and
          "the bare loop's time" in out, (rc, out, err))
    for args in (["bench", "--ops", "0"], ["bench", "--runs", "99"], ["bench", "--only", "x"],
                 ["bench", "--profile", "nope"], ["bench", "--bogus"]):
        rc, out, err = run([CXLEMU] + args)
        check("usage error %s -> exit 2, one line" % " ".join(args),
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1, (rc, err))
    # 18. The binary trace form (.cxlt): lossless both ways and replayed alike. Expected: the
    # YAML writer's own rendering of each trace (convert x.yaml), and its replay report with
    # only the file name changed.
    import struct
    bad_rt, bad_replay, n_rt = [], [], 0
    for t in sorted(glob.glob(os.path.join(SRC, "traces/conformance/*.yaml")) +
                    glob.glob(os.path.join(SRC, "traces/regress/*.yaml")) +
                    glob.glob(os.path.join(SRC, "traces/real/*.yaml"))):
        b = os.path.join(tmp, "rt.cxlt")
        rc1, y1, e1 = run([CXLEMU, "convert", t])
        rc2, _, e2 = run([CXLEMU, "convert", t, "-o", b])
        rc3, y2, e3 = run([CXLEMU, "convert", b])
        n_rt += 1
        if (rc1, rc2, rc3) != (0, 0, 0) or y1 != y2:
            bad_rt.append((os.path.relpath(t, SRC), rc1, rc2, rc3, e1 + e2 + e3))
        ra = run([CXLEMU, "replay", "--format", "json", "--dump-state", t])
        rb = run([CXLEMU, "replay", "--format", "json", "--dump-state", b])
        if ra[0] != rb[0] or ra[1].replace(t, "T") != rb[1].replace(b, "T"):
            bad_replay.append(os.path.relpath(t, SRC))
        os.unlink(b)
    check("convert YAML -> binary -> YAML = the YAML rendering, for %d bundled traces" % n_rt,
          n_rt > 20 and not bad_rt, bad_rt[:3])
    check("replay of the binary form = replay of the YAML (JSON, final states)", not bad_replay,
          bad_replay[:5])
    # a log imported straight to the binary form replays as its YAML import does
    log = os.path.join(SRC, "traces/real/1ep.log.gz")
    bl, yl = os.path.join(tmp, "1ep.cxlt"), os.path.join(tmp, "1ep.yaml")
    r1 = run([CXLEMU, "convert", "--from", "qemu-log", log, "-o", bl])
    r2 = run([CXLEMU, "import", "--from", "qemu-log", log, "-o", yl])
    ra, rb = run([CXLEMU, "replay", "--quiet", yl]), run([CXLEMU, "replay", "--quiet", bl])
    check("convert --from qemu-log -o X.cxlt replays like import -o X.yaml",
          r1[0] == 0 and r2[0] == 0 and ra[0] == rb[0] and
          ra[1].replace(yl, "T") == rb[1].replace(bl, "T"), (r1, ra[1][-200:], rb[1][-200:]))
    # hostile binary traces: one located line, exit 2 (byte offsets from the format, binary.c)
    good = open(os.path.join(SRC, "tools/fuzz/corpus/fuzz_ops/dvsec-config-lock.bin"), "rb").read()
    src_b = os.path.join(tmp, "good.cxlt")
    run([CXLEMU, "convert", os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml"), "-o", src_b])
    gb = open(src_b, "rb").read()
    hlen = struct.unpack_from("<I", gb, 8)[0]
    ops_at = 12 + hlen
    rec = bytearray(gb[ops_at:ops_at + 48])
    def with_rec(patch):
        r = bytearray(rec)
        for k, v in patch.items():
            r[k] = v
        return gb[:ops_at] + bytes(r) + gb[ops_at + 48:]
    cases = [
        ("wrong version", gb[:4] + b"\x02" + gb[5:], "1:5:", "version"),
        ("truncated header", gb[:20], "1:9:", "truncated"),
        ("header length past 16 MiB", gb[:8] + struct.pack("<I", 1 << 30) + gb[12:], "1:9:", "16 MiB"),
        ("an op of kind 9", with_rec({0: 9}), "1:%d:" % (ops_at + 1), "not an op"),
        ("an op on device 7", with_rec({6: 7}), "1:%d:" % (ops_at + 1), "device 7"),
        ("a 3-byte access", with_rec({1: 3}), "1:%d:" % (ops_at + 1), "not an op a trace can hold"),
        ("a source of 600 bytes", with_rec({40: 0x58, 41: 2}), "1:%d:" % (ops_at + 1), "511"),
        ("truncated ops", gb[:ops_at + 30], "1:%d:" % (ops_at + 1), "truncated"),
        ("bytes after the end", gb + b"x", ":1:", "after the expect"),
        ("a header that is not a trace", gb[:8] + struct.pack("<I", 9) + b"nonsense:" + gb[12 + hlen:], "1:13:", "header text"),
    ]
    # (review of the format) a header that hides an op or an expect list, a trailer that is a
    # whole trace, a source that is not FILE:LINE, a mark that grows past 511 bytes, line 0
    def with_header(text):
        t = text.encode()
        return gb[:8] + struct.pack("<I", len(t)) + t + gb[12 + hlen:]
    hdr = "cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n"
    def with_src(src, kind=None):
        r = bytearray(rec)
        r[40], r[41] = len(src) & 0xff, len(src) >> 8
        if kind is not None:
            r[0] = kind
        old_sl = rec[40] | rec[41] << 8
        old_tl = rec[42] | rec[43] << 8
        rest = ops_at + 48 + old_sl + old_tl
        return gb[:ops_at] + bytes(r) + src + gb[ops_at + 48 + old_sl:rest] + gb[rest:]
    end = gb.rfind(b"\xff" + b"\x00" * 47)
    cases += [
        ("a header holding an op", with_header(hdr + "  - [cfg-write, ep0, 0x4, 2, 0x2]\n"), "1:13:", "holds an op"),
        ("a header with garbage after ops", with_header(hdr.replace("ops:\n", "ops: []\n---\n!!!\n")), "1:13:", "header text"),
        ("a header holding expect:", with_header(hdr.replace("ops:\n", "ops: []\nexpect: []\n")), "1:13:", "expect"),
        ("an expect text that is a whole trace", gb[:end + 48] + struct.pack("<I", 24) + b"cxl-trace: 1\nexpect: []\n",
         "1:%d:" % (end + 48 + 5), "not a sequence"),
        ("a source that is not FILE:LINE", with_src(b"nocolon"), "1:%d:" % (ops_at + 1), "FILE:LINE"),
        ("a source on two lines", with_src(b"a\nb:1"), "1:%d:" % (ops_at + 1), "FILE:LINE"),
        ("an op at line 0", with_rec(dict((k, 0) for k in range(24, 32))), "1:%d:" % (ops_at + 1), "line is 0"),
    ]
    for name, data, where, sub in cases:
        p = os.path.join(tmp, "bad.cxlt")
        with open(p, "wb") as f:
            f.write(data)
        rc, out, err = run([CXLEMU, "replay", p])
        lines = err.strip().splitlines()
        check("bad binary trace (%s) -> exit 2, one line %s" % (name, where),
              rc == 2 and out == "" and len(lines) == 1 and lines[0].startswith(p + ":") and
              where in lines[0] and "error:" in lines[0] and sub in lines[0], (rc, err))
    # generate writes the binary form for OUT.cxlt; it replays as the YAML form does
    gy, gbn = os.path.join(tmp, "g.yaml"), os.path.join(tmp, "g.cxlt")
    run([CXLEMU, "generate", "--model", "qemu72-type3", "--seed", "5", "--ops", "3000", "-o", gy])
    run([CXLEMU, "generate", "--model", "qemu72-type3", "--seed", "5", "--ops", "3000", "-o", gbn])
    ra, rb = run([CXLEMU, "replay", "--quiet", gy]), run([CXLEMU, "replay", "--quiet", gbn])
    check("generate -o X.cxlt replays to the summary of generate -o X.yaml",
          ra[0] == rb[0] and ra[1].replace(gy, "T") == rb[1].replace(gbn, "T") and "3000 ops" in ra[1],
          (ra, rb))
    # a trace from a pipe is read as YAML (a binary trace needs a regular file)
    yt = os.path.join(SRC, "traces/conformance/hdm-lock-on-commit.yaml")
    p = subprocess.run([CXLEMU, "replay", "--quiet", "/dev/stdin"], stdin=open(yt, "rb"),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check("replay /dev/stdin (a pipe of YAML) still works", p.returncode == 0 and b"PASS" in p.stdout,
          p.stderr[:300])
    # a mark (kind 6, spec/vocabulary.yaml op order) whose 510-byte text grows past 511 bytes
    # once written (bytes that are not UTF-8 are written as \xNN) is refused
    mrec = bytearray(48)
    mrec[0] = 6
    mrec[24] = 1                                  # line 1
    mrec[42], mrec[43] = 510 & 0xff, 510 >> 8     # text length
    mk = os.path.join(tmp, "mark.cxlt")
    with open(mk, "wb") as f:
        f.write(gb[:ops_at] + bytes(mrec) + b"\xff" * 510 + gb[end:])
    rc, out, err = run([CXLEMU, "replay", mk])
    check("bad binary trace (a mark that grows past 511 bytes when written) -> exit 2, one line",
          rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and "grows past 511" in err,
          (rc, err))
    for args in (["convert", "--to", "xml", src_b], ["convert", "--to", "binary", src_b],
                 ["convert"], ["convert", "--bogus", src_b]):
        rc, out, err = run([CXLEMU] + args)
        check("usage error %s -> exit 2, one line" % " ".join(args[:3]),
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1, (rc, err))
    # 19. README's example output is what replay prints (its first and last lines).
    readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    m = re.search(r"\$ build/tools/cxlemu/cxlemu replay (\S+)\n(.*?)\n\.\.\.\n(.*?)\n```", readme, re.S)
    rc, out, err = run([CXLEMU, "replay", m.group(1)], cwd=SRC) if m else (None, "", "")
    lines = out.splitlines()
    check("README's replay example = cxlemu replay's first and last lines",
          m and lines and lines[0] == m.group(2) and lines[-1] == m.group(3),
          (m and m.group(3), lines[-1:] if lines else err))
    # 20. The YAML reader's fast path (emu/trace/yaml_fast.c) reads what libyaml reads, and
    # declines everything else so that libyaml reports it: replay output, exit status and
    # error lines are the same with CXLEMU_YAML_SLOW=1 (libyaml for every trace), for every
    # bundled trace, every bad-input file and the variants below (each one thing the fast
    # path must take or must decline).
    yslow = dict(os.environ, CXLEMU_YAML_SLOW="1")
    head = "cxl-trace: 1\nsource: guest.log\ndevices:\n  ep0: {model: qemu72-type3}\n  ep1: {model: qemu72-type3}\nops:\n"
    good = ("  - [cfg-write, ep0, 0x10c, 2, 0x0006]\n  - [cfg-read, ep0, 0x10c, 2, 0x6, \"@12\"]  # c\n"
            "  # a comment line\n\n  - [mmio-write, ep1, 0x1130, 4, 0x200]\n  - [mmio-read, ep1, 0x1130, 4, ~]\n"
            "  - [reset, ep0, flr]\n  - [inject, ep1, ras-uncorrectable, 4]\n  - [mmio-read,ep1,0x1130 , 4]\n")
    variants = {
        "plain": head + good,
        "with expect": head + good + "expect:\n  - {op: 0, rule: field.rwl-locked, why: \"x\"}\n",
        "expect []": head + good + "expect: []\n",
        "expect op out of range": head + good + "expect:\n  - {op: 99, rule: field.rwl-locked}\n",
        "expect unknown rule": head + good + "expect:\n  - {op: 1, rule: no.such}\n",
        "a key after ops": head + good + "description: late\n",
        "ops twice": head + good + "ops:\n  - [cfg-read, ep0, 0x10c, 2]\n",
        "a second document": head + good + "---\ncxl-trace: 1\n",
        "unknown device": head + "  - [cfg-read, ep9, 0x10c, 2]\n",
        "value too wide": head + "  - [cfg-write, ep0, 0x10c, 2, 0x10000]\n",
        "0X prefix": head + "  - [cfg-write, ep0, 0X10c, 2, 0x1]\n",
        "leading zero": head + "  - [cfg-write, ep0, 010, 2, 0x1]\n",
        "write without value": head + "  - [cfg-write, ep0, 0x10c, 2, ~]\n",
        "offset past the end": head + "  - [cfg-read, ep0, 0xfff, 2]\n",
        "cfg size 8": head + "  - [cfg-read, ep0, 0x100, 8]\n",
        "a tab": head + "  - [cfg-read,\tep0, 0x10c, 2]\n",
        "CRLF": (head + good).replace("\n", "\r\n"),
        "flow ops": head.replace("ops:\n", "ops: [[cfg-read, ep0, 0x10c, 2]]\n"),
        "empty ops": head + "expect: []\n",
        "indent changes": head + "  - [cfg-read, ep0, 0x10c, 2]\n    - [cfg-read, ep0, 0x10c, 2]\n",
        "a mark": head + "  - [cfg-read, ep0, 0x10c, 2]\n  - [mark, \"guest: hi\"]\n",
        "a flag": head + "  - [cfg-read, ep0, 0x10c, 2, 0x2, \"@3\", vmm]\n",
        "source without source:": head.replace("source: guest.log\n", "") + "  - [cfg-read, ep0, 0x10c, 2, 0x2, \"@3\"]\n",
        "source @0": head + "  - [cfg-read, ep0, 0x10c, 2, 0x2, \"@0\"]\n",
        "UTF-8 comment": head + "  - [cfg-read, ep0, 0x10c, 2]  # caf\u00e9\n",
        "comment without space": head + "  - [cfg-read, ep0, 0x10c, 2]# x\n",
        "trailing comma": head + "  - [cfg-read, ep0, 0x10c, 2,]\n",
        "BOM": "\ufeff" + head + good,
        "no newline at the end": head + good.rstrip("\n"),
        "bit 64": head + "  - [inject, ep1, ras-uncorrectable, 64]\n",
        "bad reset kind": head + "  - [reset, ep0, sideways]\n",
        "a line of 5000 bytes": head + "  - [cfg-read, ep0, 0x10c, 2]  # " + "x" * 5000 + "\n",
    }
    ydiff = []
    ylist = []
    for name, text in variants.items():
        pth = os.path.join(tmp, "v-%d.yaml" % len(ylist))
        with open(pth, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        ylist.append((name, pth))
    for t in sorted(glob.glob(os.path.join(SRC, "traces/*/*.yaml")) +
                    glob.glob(os.path.join(SRC, "tests/bad-input/trace/*"))):
        ylist.append((os.path.relpath(t, SRC), t))
    for name, pth in ylist:
        argv = [CXLEMU, "replay", "--format", "json", "--dump-state", pth]
        fast = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        slow = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=yslow)
        if (fast.returncode, fast.stdout, fast.stderr) != (slow.returncode, slow.stdout, slow.stderr):
            ydiff.append((name, fast.stderr[:200], slow.stderr[:200]))
    check("YAML fast path = libyaml (CXLEMU_YAML_SLOW) on %d traces, variants and bad inputs" % len(ylist),
          len(ylist) > 150 and not ydiff, ydiff[:4])
    # CXLEMU_YAML_FAST_ONLY makes a declined trace an error: the fast path takes the variants
    # it should take (and every bundled conformance trace but those with marks or flags) and
    # declines the others
    only = dict(os.environ, CXLEMU_YAML_FAST_ONLY="1")
    taken = {name: subprocess.run([CXLEMU, "replay", "--quiet", pth], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=only).returncode in (0, 1)
             for name, pth in ylist[:len(variants)]}
    want = {"plain", "with expect", "expect []", "no newline at the end"}
    check("the fast path takes the plain variants and declines the other %d" % (len(variants) - len(want)),
          {n for n, t in taken.items() if t} == want, sorted(n for n, t in taken.items() if t))
    n_taken = sum(subprocess.run([CXLEMU, "replay", "--quiet", t], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=only).returncode in (0, 1)
                  for t in glob.glob(os.path.join(SRC, "traces/conformance/*.yaml")))
    check("the fast path takes most conformance traces (%d)" % n_taken, n_taken >= 15, n_taken)
finally:
    shutil.rmtree(tmp)

print("TAP version 13")
print("1..%d" % len(results))
for i, (ok, name, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail:
        for l in str(detail).splitlines()[:6]:
            print("#   " + l)
sys.exit(0 if all(r[0] for r in results) else 1)
