#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Diagnostics of the trace readers and '-' as standard input, seen from the cxlemu command
(TAP output for meson).

1. Every bad trace below is written into a temporary directory and replayed: stderr is exactly
   one line `FILE:LINE:COL: error: MESSAGE`, the line and column counted by hand from the text
   written here (1-based, a tab is one column, as libyaml and gcc count), the message naming the
   nearest valid name ("did you mean") or the valid names; exit status 2; nothing on stdout. The
   same for the YAML fast path and for libyaml alone (CXLEMU_YAML_SLOW): one message, one place.
2. '-' is standard input: a bundled trace and its binary conversion piped into `replay -` give
   the report the file path gives (the path aside: `<stdin>`), errors read `<stdin>:L:C: error:`,
   a gzip'd QEMU log piped into `import --from qemu-log -` (compressed, or through zcat) gives the
   trace importing the file gives (its name aside), and '-' given twice is refused.

usage: test_diagnostics.py CXLEMU SOURCE_ROOT
"""
import glob
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

CXLEMU, SRC = (os.path.abspath(a) for a in sys.argv[1:3])
results = []


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def run(args, cwd=None, stdin=None, env=None):
    """Runs @args with @stdin (bytes) on standard input; returns (rc, stdout, stderr) as text."""
    p = subprocess.run(args, cwd=cwd, input=stdin if stdin is not None else b"",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def bad(name, rc, out, err, want):
    """Checks one bad-input run: exit 2, nothing on stdout, stderr exactly the line @want."""
    check(name, rc == 2 and out == "" and err == want + "\n",
          "rc=%d stdout=%r\nstderr=%r\nwant  =%r" % (rc, out[:200], err[:400], want + "\n"))


DEV = "devices:\n  ep0: {model: qemu72-type3}\n"
MODELS = ("qemu72-dsp, qemu72-hb, qemu72-root-port, qemu72-type3, qemu72-usp, type2-accel or "
          "type3-interleave")
PROFILES = "cxl-3.1, linux-vfio-cxl-v2, linux-vfio-cxl-v3, linux-vfio-cxl-v4, linux-vfio-cxl or qemu-7.2"
RESETS = "conventional, warm, hot, cold, flr, cxl or reopen"
INJECTS = "ras-uncorrectable, ras-correctable, viral or status2"
OPS = "cfg-read, cfg-write, mmio-read, mmio-write, reset, inject or mark"
VIEWS = "component, comp-regs-v2, comp-regs-v3, comp-regs-v4 or bar"

# (what it proves, trace text, line, column, message). Positions: where the offending token
# starts in the text, counted by hand (the comment after each says what is there).
CASES = [
    # top-level keys
    ("top-level key misspelt -> the nearest key",
     "cxl-trace: 1\ndescription: x\nprofle: cxl-3.1\n" + DEV + "ops: []\n",
     3, 1, "unknown key 'profle' (did you mean 'profile'?)"),                 # 'profle' at 3:1
    ("top-level key far from every key -> the keys there are",
     "cxl-trace: 1\n" + DEV + "author: me\nops: []\n",
     4, 1, "unknown key 'author' (expected cxl-trace, description, profile, source, topology, "
     "devices, ops or expect)"),
    # device keys
    ("device key misspelt -> the nearest key",
     "cxl-trace: 1\ndevices:\n  ep0: {modle: qemu72-type3}\nops: []\n",
     3, 9, "unknown key 'modle' in device 'ep0' (did you mean 'model'?)"),   # after "  ep0: {"
    ("device key far from every key -> the device keys",
     "cxl-trace: 1\ndevices:\n  ep0:\n    model: qemu72-type3\n    colour: red\nops: []\n",
     5, 5, "unknown key 'colour' in device 'ep0' (expected model, profile, hdm-decoders, "
     "fw-committed, host, view, parent or port)"),
    ("host key misspelt -> the nearest key",
     "cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3, host: {config-lok: true}}\nops: []\n",
     3, 37, "unknown key 'config-lok' in host of device 'ep0' (did you mean 'config-lock'?)"),
    # op names and fields
    ("op name misspelt -> the nearest op",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [cfg-raed, ep0, 0x0, 4]\n",
     5, 6, "unknown op 'cfg-raed' (did you mean 'cfg-read'?)"),              # after "  - ["
    ("op name far from every op -> the ops",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [peek, ep0, 0x0, 4]\n",
     5, 6, "unknown op 'peek' (expected %s)" % OPS),
    ("an access flag misspelt -> the nearest flag",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [cfg-read, ep0, 0x0, 4, ~, vmn]\n",
     5, 32, "unknown flag 'vmn' (did you mean 'vmm'?)"),
    ("an op's device misspelt -> the nearest declared device",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [cfg-read, epo, 0x0, 4]\n",
     5, 16, "unknown device 'epo' (did you mean 'ep0'?)"),
    # reset and inject kinds
    ("reset kind misspelt -> the nearest kind",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [reset, ep0, wram]\n",
     5, 18, "unknown reset kind 'wram' (did you mean 'warm'?)"),
    ("reset kind far from every kind -> the kinds (a short list)",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [reset, ep0, reboot]\n",
     5, 18, "unknown reset kind 'reboot' (expected %s)" % RESETS),
    ("inject kind misspelt -> the nearest kind",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [inject, ep0, virl, 3]\n",
     5, 19, "unknown inject kind 'virl' (did you mean 'viral'?)"),
    ("inject kind far from every kind -> the kinds",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [inject, ep0, poison, 3]\n",
     5, 19, "unknown inject kind 'poison' (expected %s)" % INJECTS),
    # views
    ("view misspelt -> the nearest view",
     "cxl-trace: 1\ndevices:\n  acc0: {model: type2-accel, view: comp-regs-v5}\nops: []\n",
     3, 36, "unknown view 'comp-regs-v5' (did you mean 'comp-regs-v2'?)"),
    ("view far from every view -> the views",
     "cxl-trace: 1\ndevices:\n  acc0: {model: type2-accel, view: mmio}\nops: []\n",
     3, 36, "unknown view 'mmio' (expected %s)" % VIEWS),
    # models: at the model's value, with its column (replay used to name the device's place)
    ("model misspelt -> the nearest model, at the model's column",
     "cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-typ3}\nops: []\n",
     3, 16, "unknown model 'qemu72-typ3' (did you mean 'qemu72-type3'?)"),
    ("model far from every model -> the models",
     "cxl-trace: 1\ndevices:\n  ep0:\n    hdm-decoders: 2\n    model: cxl-type3\nops: []\n",
     5, 12, "unknown model 'cxl-type3' (expected %s)" % MODELS),
    # profiles: the top-level one at its own line (it used to be line 1), device profiles
    ("top-level profile on line 4 is reported at 4:10, the nearest named",
     "cxl-trace: 1\ndescription: d\n\nprofile: qemu-72\n" + DEV + "ops: []\n",
     4, 10, "unknown profile 'qemu-72' (did you mean 'qemu-7.2'?)"),
    ("device profile -> at its column, the profiles listed when none is near",
     "cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3, profile: qemu}\nops: []\n",
     3, 39, "unknown profile 'qemu' (expected %s)" % PROFILES),
    # rule ids in expect:
    ("expect rule misspelt -> the nearest rule",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [cfg-read, ep0, 0x0, 4]\nexpect:\n  - {op: 0, rule: acces.width}\n",
     7, 19, "unknown rule 'acces.width' (did you mean 'access.width'?)"),
    ("expect rule far from every rule -> where the rules are listed (a long list)",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [cfg-read, ep0, 0x0, 4]\nexpect:\n  - op: 0\n    rule: bogus\n",
     8, 11, "unknown rule 'bogus' (`cxlemu spec` lists the rules)"),
    ("expect key misspelt -> the nearest key",
     "cxl-trace: 1\n" + DEV + "ops:\n  - [cfg-read, ep0, 0x0, 4]\nexpect:\n  - {op: 0, rules: x}\n",
     7, 13, "unknown key 'rules' in expect entry (did you mean 'rule'?)"),
    # tabs: at the tab, in words a user acts on
    ("a tab indenting a device -> at the tab, spaces not tabs",
     "cxl-trace: 1\ndevices:\n\tep0: {model: qemu72-type3}\nops: []\n",
     3, 1, "a tab character: YAML indents with spaces, not tabs"),
    ("a tab after spaces, before an op -> at the tab (column 3)",
     "cxl-trace: 1\n" + DEV + "ops:\n  \t- [reset, ep0, hot]\n",
     5, 3, "a tab character: YAML indents with spaces, not tabs"),
]

tmp = tempfile.mkdtemp(prefix="cxlemu-diag-")
try:
    slow = dict(os.environ, CXLEMU_YAML_SLOW="1")
    for i, (what, text, line, col, msg) in enumerate(CASES):
        path = os.path.join(tmp, "case%02d.yaml" % i)
        with open(path, "w") as f:
            f.write(text)
        want = "%s:%d:%d: error: %s" % (path, line, col, msg)
        bad(what, *run([CXLEMU, "replay", path]), want)
        rc, out, err = run([CXLEMU, "replay", path], env=slow)
        check("%s: the same without the fast path" % what,
              rc == 2 and out == "" and err == want + "\n", err)
        # the same text on standard input: <stdin> at the same place
        bad("%s: on standard input" % what,
            *run([CXLEMU, "replay", "-"], stdin=text.encode()),
            "<stdin>:%d:%d: error: %s" % (line, col, msg))

    # a fast-path trace (plain ops) whose header is wrong: the header is read by the YAML
    # reader, so the message and place are the same with the fast path on
    text = ("cxl-trace: 1\n" + "devices:\n  ep0: {model: qemu72-type3, view: bar}\n"
            "  ep1: {model: type3-interleav}\nops:\n  - [cfg-read, ep0, 0x0, 4, 0x0]\n")
    path = os.path.join(tmp, "fast.yaml")
    with open(path, "w") as f:
        f.write(text)
    want = "%s:4:16: error: unknown model 'type3-interleav' (did you mean 'type3-interleave'?)" % path
    bad("model of a trace the fast path would take -> the same message", *run([CXLEMU, "replay", path]), want)

    # gzip: a compressed log or trace given to replay says what it is and what to run
    log = os.path.join(SRC, "traces/real/1ep.log.gz")
    want = ("%s:1:1: error: the file is gzip-compressed, not a trace: a compressed log is replayed "
            "with `cxlemu replay --from qemu-log %s` (or --from qtest, mmiotrace); a compressed "
            "trace, with `zcat %s | cxlemu replay -`" % (log, log, log))
    bad("a .log.gz given to replay -> gzip-compressed, replay --from qemu-log FILE",
        *run([CXLEMU, "replay", log]), want)
    with open(log, "rb") as f:
        gz = f.read()
    bad("a gzip stream on standard input -> the same advice for '-'",
        *run([CXLEMU, "replay", "-"], stdin=gz),
        "<stdin>:1:1: error: the file is gzip-compressed, not a trace: a compressed log is replayed "
        "with `cxlemu replay --from qemu-log -` (or --from qtest, mmiotrace); a compressed trace, "
        "with `zcat | cxlemu replay -`")
    # a control byte deep in a piped trace: placed by the bytes the reader keeps (no re-read)
    text = "cxl-trace: 1\n" + DEV + "ops:\n" + "  - [reset, ep0, hot]\n" * 3000 + "  - [reset, ep0,\x01 hot]\n"
    bad("a control byte on line 3005 of a pipe -> at its line and column",
        *run([CXLEMU, "replay", "-"], stdin=text.encode()),
        "<stdin>:3005:17: error: not a text file: control characters are not allowed (0x01 at "
        "byte offset %d)" % (len(text) - len(" hot]\n") - 1))

    # 2. '-' as standard input: the report of the file, but for its name
    conf = sorted(glob.glob(os.path.join(SRC, "traces/conformance/*.yaml")))
    for t in conf[:4] + [os.path.join(SRC, "traces/conformance/hdm-lock-on-commit.yaml")]:
        name = os.path.basename(t)
        with open(t, "rb") as f:
            data = f.read()
        rc_f, out_f, _ = run([CXLEMU, "replay", "--dump-state", t])
        rc_s, out_s, err_s = run([CXLEMU, "replay", "--dump-state", "-"], stdin=data)
        check("replay - < %s = replay %s (but for the name <stdin>)" % (name, name),
              rc_s == rc_f and out_s == out_f.replace(t, "<stdin>") and "<stdin>" in out_s and
              err_s == "", "rc %d/%d\n%s\n%s" % (rc_f, rc_s, out_f[-300:], out_s[-300:] + err_s))
        cxlt = os.path.join(tmp, name + ".cxlt")
        rc, _, err = run([CXLEMU, "convert", t, "-o", cxlt])
        with open(cxlt, "rb") as f:
            bdata = f.read()
        rc_b, out_b, err_b = run([CXLEMU, "replay", "--dump-state", "-"], stdin=bdata)
        check("replay - < %s.cxlt (binary, told by its magic on a pipe) = replay of the YAML" % name,
              rc == 0 and bdata[:4] == b"CXLT" and rc_b == rc_f and
              out_b == out_f.replace(t, "<stdin>") and err_b == "",
              "convert rc %d %s\n%s" % (rc, err, out_b[-300:] + err_b))
    # a bad binary trace on standard input: its errors name <stdin> at the byte offset
    bad("a binary trace cut inside its header on a pipe -> <stdin>:1:OFFSET",
        *run([CXLEMU, "replay", "-"], stdin=bdata[:20]),
        "<stdin>:1:9: error: truncated: the file ends inside a text section (byte offset 8)")

    # import -: a gzip'd QEMU log, compressed or through zcat, = importing the file
    log = os.path.join(SRC, "traces/real/2ep-interleave.log.gz")
    with open(log, "rb") as f:
        gz = f.read()
    rc_f, out_f, err_f = run([CXLEMU, "import", "--from", "qemu-log", log])
    base = os.path.basename(log)
    for how, data in (("gzip bytes (cat log.gz |)", gz), ("plain text (zcat log.gz |)", gzip.decompress(gz))):
        rc_s, out_s, err_s = run([CXLEMU, "import", "--from", "qemu-log", "-"], stdin=data)
        check("import --from qemu-log - with %s = import of the file (named <stdin>)" % how,
              rc_f == 0 and rc_s == 0 and err_s == "" and out_s == out_f.replace(base, "<stdin>") and
              "source: \"<stdin>\"" in out_s, "rc %d %s\n%s" % (rc_s, err_s, out_s[:400]))
    rc, out, err = run([CXLEMU, "replay", "--from", "qemu-log", "--quiet", "-"], stdin=gz)
    _, out_f2, _ = run([CXLEMU, "replay", "--from", "qemu-log", "--quiet", log])
    check("replay --from qemu-log - < log.gz = replay --from of the file (named <stdin>)",
          rc in (0, 1) and out == out_f2.replace(log, "<stdin>") and err == "", out + err)
    # a qtest stream is read twice (two passes): standard input is copied once
    qlog = os.path.join(SRC, "tests/import/data/qemu72-bringup.qtest.log")
    with open(qlog, "rb") as f:
        qdata = f.read()
    rc_f, out_f, _ = run([CXLEMU, "import", "--from", "qtest", qlog])
    rc_s, out_s, err_s = run([CXLEMU, "import", "--from", "qtest", "-"], stdin=qdata)
    check("import --from qtest - (two passes over standard input) = import of the file",
          rc_f == 0 and rc_s == 0 and out_s == out_f.replace(os.path.basename(qlog), "<stdin>"),
          err_s + out_s[:300])
    # '-' once per command: refused, naming both places (the command line's check or the
    # importer's, whichever comes first)
    for args, places in ((["import", "--from", "qemu-log", "-", log, "-"], ("1", "3")),
                         (["import", "--from", "qemu-log", "--expect", "-", "-"], ("--expect", "1")),
                         (["replay", "-", "-"], ("1", "2"))):
        rc, out, err = run([CXLEMU] + args, stdin=gz)
        check("%s -> refused, naming both places" % " ".join(args),
              rc == 2 and out == "" and len(err.splitlines()) == 1 and "'-'" in err and
              all(p in err for p in places) and "standard input" in err, err)
    # bad log lines on standard input name <stdin>
    rc, out, err = run([CXLEMU, "import", "--from", "qemu-log", "-"], stdin=b"hello\nworld\n")
    bad("import - of a text that is no log -> <stdin>:1:1", rc, out, err,
        "<stdin>:1:1: error: no qemu-log records found")
finally:
    shutil.rmtree(tmp)

print("TAP version 13")
print("1..%d" % len(results))
for i, (ok, name, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail:
        for l in str(detail).splitlines()[:8]:
            print("#   " + l)
sys.exit(0 if all(r[0] for r in results) else 1)
