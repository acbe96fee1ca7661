#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Targets seen from outside (TAP): the exec line protocol against the reference responder
(examples/exec-responder.py, the library's model behind the protocol) and against a target that
misbehaves on purpose (tests/target/fake-target.py): a target that dies, hangs, fails, answers
garbage or a value too wide, a program that does not exist, and cxlemu itself killed mid-run.
Every failure is exit 2 with one file:line:col line, nothing on stdout, no output file, and no
process left behind (each fake target starts a grandchild with a marker the test looks for).

usage: test_targets.py CXLEMU SOURCE_ROOT CORE_LIB SANITIZE
  CORE_LIB: the built libcxlemu-core.so; SANITIZE: the build's b_sanitize (the responder loads
  the library into python3, which a sanitizer build's library cannot be loaded into).
"""
import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

CXLEMU, SRC, CORE_LIB, SANITIZE = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
PY = sys.executable
FAKE = os.path.join(SRC, "tests/target/fake-target.py")
RESPONDER = os.path.join(SRC, "examples/exec-responder.py")
TRACE = os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")
results = []


def check(name, cond, detail=""):
    results.append(("ok" if cond else "not ok", name, detail))


def skip(name, why):
    results.append(("ok", "%s # SKIP %s" % (name, why), ""))


def run(args, timeout=120):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def leftovers(marker, wait=0.0):
    """PIDs of processes whose command line holds @marker (other than this test), after
    waiting up to @wait seconds for them to go (SIGKILL is delivered asynchronously)."""
    deadline = time.monotonic() + wait
    while True:
        found = _leftovers(marker)
        if not found or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


def _leftovers(marker):
    found = []
    for d in glob.glob("/proc/[0-9]*"):
        try:
            with open(os.path.join(d, "cmdline"), "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in cmd and int(os.path.basename(d)) != os.getpid():
            found.append((os.path.basename(d), cmd.strip()))
    return found


def body(text):
    """A recording without its provenance comments and the target named in the description."""
    lines = [l for l in text.splitlines() if not l.startswith("#")]
    return "\n".join(re.sub(r", recorded on \w+", "", l) for l in lines)


tmp = tempfile.mkdtemp(prefix="cxlemu-targets-")
scenarios = sorted(glob.glob(os.path.join(SRC, "traces/conformance/*.yaml")))
responder_ok = SANITIZE == "none" and os.path.exists(CORE_LIB)

# 1. The reference responder is the model behind the protocol: recording any conformance trace
#    through it gives exactly what the model target gives (same reads, skips, resets).
if responder_ok:
    resp = "exec:%s %s --lib %s --profile cxl-3.1" % (PY, RESPONDER, CORE_LIB)
    for t in scenarios:
        rc1, o1, e1 = run([CXLEMU, "record", "--target", resp, t])
        rc2, o2, e2 = run([CXLEMU, "record", "--target", "model:cxl-3.1", t])
        check("record through exec-responder = model target: %s" % os.path.basename(t),
              rc1 == 0 and rc2 == 0 and body(o1) == body(o2) and "# target: exec" in o1,
              (e1, e2))
    # 2. conform: the responder running cxl-3.1 conforms to cxl-3.1; running qemu-7.2 it
    #    deviates where QEMU does (CONFIG_LOCK ignored: field.rwl-locked fails).
    rc, out, err = run([CXLEMU, "conform", "--target", resp])
    # as the model target: 0 deviations; only the host-safety observations fail (tests/cli)
    check("conform exec-responder(cxl-3.1) against cxl-3.1: 0 deviations, UNSAFE, exit 1",
          rc == 1 and out.rstrip().endswith(": UNSAFE") and " 0 deviations, " in out,
          (rc, out[-300:], err))
    resp72 = resp.replace("cxl-3.1", "qemu-7.2")
    rc, out, err = run([CXLEMU, "conform", "--target", resp72, TRACE])
    check("conform exec-responder(qemu-7.2) against cxl-3.1: exit 1, field.rwl-locked FAILS",
          rc == 1 and re.search(r"FAILS\s+field\.rwl-locked", out) and "DEVIATES" in out, (rc, out, err))
    rc, out, err = run([CXLEMU, "conform", "--profile", "qemu-7.2", "--target", resp72, TRACE])
    check("... and conforms to qemu-7.2", rc == 0 and "CONFORMS" in out, (rc, out, err))
else:
    skip("exec-responder cases", "the responder loads libcxlemu-core into python3, which a "
         "-Db_sanitize=%s library cannot be loaded into" % SANITIZE)

# 3. Misbehaving targets: exit 2, one located line, nothing on stdout, no output file, no leftover.
cases = [
    ("dies mid-trace", ["--die-after", "4", "--stderr", "boom"], r"exited with status 3: boom"),
    ("hangs", ["--hang-after", "4"], r"did not answer within 300 ms"),
    ("answers FAIL", ["--fail-after", "4"], r"failed 'cfg-read ep0 0x10c 2': the device is on fire"),
    ("answers ERR", ["--err-after", "4"], r"failed .*: cannot parse that"),
    ("answers garbage", ["--garbage-after", "4"], r"answered 'WHAT\?'"),
    ("answers a value wider than the read", ["--big-after", "4"], r"fits 2 bytes"),
    ("answers a 5000-byte line in one write", ["--long-after", "4"], r"wrote a line longer than 4095 bytes"),
    ("answers a 5000-byte line in pieces", ["--long-after", "4", "--split"], r"wrote a line longer than 4095 bytes"),
]
for i, (what, args, want) in enumerate(cases):
    marker = "cxlemu-leftover-%d-%d" % (os.getpid(), i)
    out_path = os.path.join(tmp, "rec%d.yaml" % i)
    target = "exec:%s %s %s --spawn %s" % (PY, FAKE, " ".join(args), marker)
    t0 = time.monotonic()
    rc, out, err = run([CXLEMU, "record", "--timeout", "300", "--target", target, TRACE, "-o", out_path])
    took = time.monotonic() - t0
    lines = err.strip().splitlines()
    left = leftovers(marker, 3.0)
    check("a target that %s: exit 2, one located line" % what,
          rc == 2 and out == "" and len(lines) == 1 and
          lines[0].startswith(TRACE + ":11:5: error: cfg-read: exec target ") and re.search(want, lines[0]),
          (rc, out, err))
    check("... no output file, no leftover process, done in %.1f s" % took,
          not os.path.exists(out_path) and not left and took < 20, (left, took))

# 3b. Vacuous runs: a target that can build no device, or reads nothing, is not judged; a run
#     that judges nothing does not pass (exit 1), and no rule "holds" without a compared read.
for flag, what in (("--skip-devices", "builds no device"), ("--skip-reads", "answers no read")):
    rc, out, err = run([CXLEMU, "conform", "--target", "exec:%s %s %s" % (PY, FAKE, flag)])
    last = out.rstrip().splitlines()[-1] if out.strip() else ""
    check("conform on a target that %s: NOT JUDGED, 0 rules hold, exit 1" % what,
          rc == 1 and "NOT JUDGED" in last and " 0 hold, " in last and " 0 conform, " in last,
          (rc, last, err[-300:]))

# 3c. A target's hello text goes into the recording's comment header: line breaks YAML knows
#     (CR, NEL, U+2028, U+2029) and control bytes must not end the comment (the YAML 1.1 spec's
#     line-break characters; libyaml follows it), so the recording replays.
rec = os.path.join(tmp, "hello.yaml")
rc, out, err = run([CXLEMU, "record", "--target",
                    "exec:%s %s --hello fake\\rbogus:\\u2028x:\\x85y:\\x01z" % (PY, FAKE), TRACE, "-o", rec])
rc2, out2, err2 = run([CXLEMU, "replay", "--profile", "cxl-3.1", rec]) if rc == 0 else (None, "", "")
hdr = open(rec, "rb").read().split(b"cxl-trace:")[0] if rc == 0 else b""
check("record: a hello text with CR, U+2028, NEL and a control byte stays in its comment line",
      rc == 0 and rc2 in (0, 1) and b"fake?bogus:?x:?y:?z" in hdr and
      all(l.startswith(b"#") for l in hdr.splitlines() if l), (rc, err, rc2, err2, hdr[:400]))

# 3d. A target that answers without reading its input (`yes OK`): once the pipe is full the
#     send waits at most --timeout, then exit 2 at that op (it used to block forever).
writes = os.path.join(tmp, "writes.yaml")
with open(writes, "w") as f:
    f.write("cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n")
    for i in range(6000):
        f.write("  - [cfg-write, ep0, 0x110, 2, 0x0]\n")
t0 = time.monotonic()
rc, out, err = run([CXLEMU, "record", "--timeout", "1000", "--target", "exec:yes OK", writes])
took = time.monotonic() - t0
check("a target that never reads its input: exit 2 within the timeout, one located line",
      rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and
      "did not read its input within 1000 ms" in err and took < 10, (rc, err[-300:], took))

# 3e. A QEMU binary that hangs (on --version, the first thing asked): exit 2 within --timeout.
hang = os.path.join(tmp, "hang-qemu.sh")
with open(hang, "w") as f:
    f.write("#!/bin/sh\nsleep 30\n")
os.chmod(hang, 0o755)
t0 = time.monotonic()
rc, out, err = run([CXLEMU, "record", "--timeout", "500", "--target", "qemu=" + hang, TRACE])
took = time.monotonic() - t0
check("a QEMU that hangs on --version: exit 2 within the timeout, one line",
      rc == 2 and out == "" and "--version" in err and "within 500 ms" in err and took < 5,
      (rc, err, took))

# 4. A program that does not exist, for exec and for qemu.
for target, want in (("exec:/nonexistent/target-program", "cannot run '/nonexistent/target-program'"),
                     ("qemu=/nonexistent/qemu-system-x86_64", "cannot run '/nonexistent/qemu-system-x86_64'")):
    rc, out, err = run([CXLEMU, "record", "--target", target, TRACE])
    check("missing program %s: exit 2, one line" % target,
          rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and want in err, (rc, err))

# 5. Usage: a malformed target spec is a usage error.
for spec in ("bogus", "exec:", "exec:  ", "model:no-such-profile", "model=cxl-3.1", "qemu:/usr/bin/qemu",
             "exec=true", "exec:" + " ".join(["x"] * 64)):
    rc, out, err = run([CXLEMU, "record", "--target", spec, TRACE])
    check("target spec '%s' -> exit 2, one usage line" % spec[:40],
          rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and
          err.startswith("cxlemu record: "), (rc, err))

# 6. cxlemu killed (SIGTERM, SIGINT) while its target hangs: the target and its children die too.
for sig in (signal.SIGTERM, signal.SIGINT):
    marker = "cxlemu-killed-%d-%d" % (os.getpid(), sig)
    target = "exec:%s %s --hang-after 4 --spawn %s" % (PY, FAKE, marker)
    p = subprocess.Popen([CXLEMU, "record", "--timeout", "60000", "--target", target, TRACE],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not leftovers(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    started = bool(leftovers(marker))
    time.sleep(0.3)
    p.send_signal(sig)
    p.communicate(timeout=30)
    left = leftovers(marker, 3.0)
    check("cxlemu killed by %s mid-run: dies of it, no leftover process" % signal.Signals(sig).name,
          started and p.returncode == -sig and not left, (started, p.returncode, left))

print("TAP version 13")
print("1..%d" % len(results))
for i, (ok, name, detail) in enumerate(results, 1):
    print("%s %d - %s" % (ok, i, name))
    if ok != "ok" and detail:
        for l in str(detail).splitlines()[:8]:
            print("#   " + l)
sys.exit(0 if all(r[0] == "ok" for r in results) else 1)
