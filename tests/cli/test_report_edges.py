#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The edges of the report formats, cxlemu coverage and cxlemu conform that test_reports.py and
test_coverage.py leave out (TAP output for meson; cxlemu issue 15 item 3):

- more expect: differences than a report lists (CXL_REPORT_MAX_DIFFS = 64, cxlemu/report.h):
  the text "... and N more (op, rule) differences not listed" line, TAP "problems_not_listed",
  JUnit "... and N more", each difference at its expect: entry's line:column;
- the JUnit classname of "./x.yml" (report.c junit_class(): "./" and the suffix dropped), the
  document checked with xmllint --schema doc/junit.xsd;
- a trace path with tab, CR, '&', U+0085, U+2028 and U+FFFE: the text report escapes them as
  report_priv.h says (cxl_text_escape: \\t \\r \\u0085 \\u2028), JUnit stays valid XML 1.0
  (attribute tab/CR as character references, U+FFFE, not an XML Char, as U+FFFD) and an XML
  parser reads the path back;
- cxl_json_escape() (exported, cxlemu/report.h) through ctypes on ill-formed UTF-8 (Unicode
  §3.9 Table 3-7: overlong, surrogate, past U+10FFFF, a lead byte without its continuation:
  each bad byte U+FFFD) and on the characters RFC 8259 §7 requires or allows escaped;
- an inject of a reserved RAS status bit (CXL r3.1 §8.2.4.17.1: Uncorrectable Error Status
  bits 31:17 reserved; §8.2.4.17.4: Correctable Error Status bits 31:7 reserved): exit 2, one
  error at the op's line:column;
- cxlemu coverage with scenarios that fail their own verdict: listed (text FAIL line, JSON
  "failed"), not counted (the rule tallies equal those of the passing scenarios alone),
  exit 1; a report that cannot be written (standard output on /dev/full): exit 2;
- cxlemu conform --verbose on an exec target that answers SKIP to every read
  (tests/target/fake-target.py --skip-reads): each skipped op listed at its line, at most 200
  lines per scenario then "... and N more lines" (conform_report.c TRACE_LINES), in text and
  TAP; the JSON summary "not judged" and exit 1 (cxlemu conform --help: nothing judged); a
  conforming scenario with a skipped op keeps the skip line as JUnit <system-out> (a target
  written here that answers SKIP to inject).

usage: test_report_edges.py CXLEMU LIBCXLEMU SOURCE_ROOT
"""
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CXLEMU, LIB, SRC = (os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)

XSD = os.path.join(SRC, "doc/junit.xsd")
LOCK = os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")
MAX_DIFFS = 64


def run(args, cwd=None, stdout=subprocess.PIPE):
    p = subprocess.run(args, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE)
    out = p.stdout.decode("utf-8", "replace") if p.stdout is not None else ""
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def xsd_ok(text):
    """Whether xmllint validates @text against doc/junit.xsd (None when xmllint is missing)."""
    if not shutil.which("xmllint"):
        return None
    p = subprocess.run(["xmllint", "--noout", "--schema", XSD, "-"], input=text.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode == 0


HEAD = 'cxl-trace: 1\ndescription: "%s"\nprofile: cxl-3.1\ndevices:\n  d0: {model: %s}\nops:\n'

tmp = tempfile.mkdtemp(prefix="cxlemu-edges-")
try:
    # ---- 1. more expect: differences than are listed -----------------------------------
    n = MAX_DIFFS + 6
    many = os.path.join(tmp, "many.yml")
    with open(many, "w") as f:
        f.write(HEAD % ("70 expected pairs, none raised", "qemu72-type3"))
        f.write("".join("  - [cfg-read, d0, 0x0, 4]\n" for _ in range(n)))
        f.write("expect:\n")
        f.write("".join("  - {op: %d, rule: field.rwl-locked}\n" % i for i in range(n)))
    first_entry = 7 + n + 1                      # the line of the expect: list's first entry
    rc, out, err = run([CXLEMU, "replay", "many.yml"], cwd=tmp)
    lines = out.splitlines()
    listed = [l for l in lines if "expected but not seen" in l]
    check("text: %d differences: exit 1, the first %d listed at their expect: entries" % (n, MAX_DIFFS),
          rc == 1 and len(listed) == MAX_DIFFS and
          listed[0] == "many.yml:%d:5: error: expected but not seen: op 0 field.rwl-locked" % first_entry and
          listed[-1] == "many.yml:%d:5: error: expected but not seen: op %d field.rwl-locked" % (
              first_entry + MAX_DIFFS - 1, MAX_DIFFS - 1), out[-600:] + err)
    check("text: then 'many.yml: ... and 6 more (op, rule) differences not listed' and the FAIL verdict",
          "many.yml: ... and 6 more (op, rule) differences not listed" in lines and
          lines[-1].endswith("FAIL: 70 of the 70 expected (op, rule) pairs not seen"), out[-600:])
    rc, out, _ = run([CXLEMU, "replay", "--format", "tap", "many.yml"], cwd=tmp)
    check("tap: one failed point, a YAML block of 64 problems and 'problems_not_listed: 6'",
          rc == 1 and "not ok 1 - many.yml [cxl-3.1]" in out and
          out.count("    - problem: \"expected but not seen\"") == MAX_DIFFS and
          "  problems_not_listed: 6\n" in out, out[-400:])
    rc, out, _ = run([CXLEMU, "replay", "--format", "junit", "./many.yml"], cwd=tmp)
    ok = xsd_ok(out)
    check("junit: validates against doc/junit.xsd%s" % (" (xmllint missing: not run)" if ok is None else ""),
          ok is not False, out[:300])
    try:
        tc = ET.fromstring(out).find(".//testcase")
        fail = tc.find("failure")
        check("junit './many.yml': classname 'many', name './many.yml [cxl-3.1]', the failure "
              "lists 64 pairs and '... and 6 more'",
              tc.get("classname") == "many" and tc.get("name") == "./many.yml [cxl-3.1]" and
              fail is not None and fail.text.count("expected but not seen") == MAX_DIFFS and
              "... and 6 more\n" in fail.text, out[:600])
    except ET.ParseError as e:
        check("junit many.yml parses", False, str(e))

    # ---- 2. a path the formats must escape ---------------------------------------------
    odd = "t\tr\r&\n\u0085\u2028\ufffe.yaml"
    shutil.copy(LOCK, os.path.join(tmp, odd))
    rc, out, err = run([CXLEMU, "replay", odd], cwd=tmp)
    esc = "t\\tr\\r&\\n\\u0085\\u2028\ufffe.yaml"
    check("text: the path's tab, CR, newline, U+0085 and U+2028 escaped (report_priv.h), the line PASSes",
          rc == 0 and len(out.splitlines()) == 5 and all(l.startswith(esc + ":") for l in out.splitlines()) and
          out.splitlines()[0].startswith(esc + ":17:5: error: op 6: ") and
          out.splitlines()[-1].startswith(esc + ": profile cxl-3.1: 21 ops;") and "PASS" in out, repr(out) + err)
    rc, out, err = run([CXLEMU, "replay", "--format", "junit", odd], cwd=tmp)
    ok = xsd_ok(out)
    check("junit, odd path: validates against doc/junit.xsd", rc == 0 and ok is not False, out[:300] + err)
    check("junit, odd path: tab, CR, newline in attributes as &#9; &#13; &#10;, '&' as &amp;, U+FFFE as U+FFFD",
          'file="t&#9;r&#13;&amp;&#10;\u0085\u2028\ufffd.yaml"' in out and "\ufffe" not in out, out[:600])
    try:
        tc = ET.fromstring(out).find(".//testcase")
        check("junit, odd path: an XML parser reads the path back (U+FFFE replaced)",
              tc.get("file") == odd.replace("\ufffe", "\ufffd"), repr(tc.get("file")))
    except ET.ParseError as e:
        check("junit, odd path parses", False, str(e))

    # ---- 3. cxl_json_escape() through the library ---------------------------------------
    ldd = subprocess.run(["ldd", LIB], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    if b"libasan" in ldd or b"libubsan" in ldd:
        check("cxl_json_escape (ctypes): # SKIP libcxlemu is built with sanitizers", True)
    else:
        lib = ctypes.CDLL(LIB)
        libc = ctypes.CDLL(None)
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
        lib.cxl_json_escape.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        outp = os.path.join(tmp, "esc.out")

        def jesc(b):
            f = libc.fopen(outp.encode(), b"w")
            lib.cxl_json_escape(f, b)
            libc.fclose(f)
            return open(outp, "rb").read().decode("utf-8")

        cases = [
            (b"a\nb\"\\", 'a\\nb\\"\\\\', "newline, quote, backslash (RFC 8259 §7)"),
            (b"\x01\x7f", "\\u0001\\u007f", "C0 control and DEL"),
            (b"\xc2\x85\xe2\x80\xa8\xe2\x80\xa9", "\\u0085\\u2028\\u2029", "U+0085, U+2028, U+2029"),
            (b"\xc3(", "\\ufffd(", "a 2-byte lead without its continuation"),
            (b"\xc0\xaf", "\\ufffd\\ufffd", "overlong '/' (C0 AF)"),
            (b"\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd", "overlong 3-byte form"),
            (b"\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd", "a surrogate (ED A0 80 = U+D800)"),
            (b"\xf4\x90\x80\x80", "\\ufffd" * 4, "past U+10FFFF (F4 90 80 80)"),
            (b"\xf0\x80\x80\xaf", "\\ufffd" * 4, "overlong 4-byte form"),
            (b"\xf0\x9f\x98\x80\xc3\xa9", "\U0001f600\u00e9", "valid 4- and 2-byte sequences kept"),
        ]
        for raw, want, what in cases:
            got = jesc(raw)
            check("cxl_json_escape: %s -> %s" % (what, want), got == want and
                  json.loads('"%s"' % got) == raw.decode("utf-8", "replace"), repr(got))

        # TAP stops at the first input error ("Bail out!", TAP 13): a second bad trace and a
        # good one after it (replayed with --dump-state's option) add nothing, the plan counts
        # the one point before it (cxlemu/report.h: cxl_report_input_error()).
        class Err(ctypes.Structure):
            _fields_ = [("code", ctypes.c_int), ("file", ctypes.c_char * 256), ("line", ctypes.c_ulong),
                        ("col", ctypes.c_ulong), ("msg", ctypes.c_char * 512)]

        class Opts(ctypes.Structure):
            _fields_ = [("profile", ctypes.c_char_p), ("dump_state", ctypes.c_bool),
                        ("checks", ctypes.c_void_p)]

        lib.cxl_report_new.restype = ctypes.c_void_p
        lib.cxl_report_new.argtypes = [ctypes.c_int, ctypes.c_bool, ctypes.c_bool, ctypes.c_uint]
        lib.cxl_replay_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(Opts), ctypes.c_void_p,
                                        ctypes.POINTER(ctypes.c_bool), ctypes.POINTER(Err)]
        lib.cxl_report_input_error.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(Err)]
        lib.cxl_report_flush.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        lib.cxl_report_flush.restype = ctypes.c_bool
        lib.cxl_report_free.argtypes = [ctypes.c_void_p]
        bad = os.path.join(tmp, "bad.yaml")
        with open(bad, "w") as f:   # line 7 column 20: 0x1000 is past the 4 KiB config space
            f.write(HEAD % ("bad", "qemu72-type3") + "  - [cfg-read, d0, 0x1000, 4]\n")
        rep = lib.cxl_report_new(2, True, False, 4)
        opts = Opts(None, True, None)
        codes = []
        for pth in (LOCK, bad, bad, LOCK):
            e, ok = Err(), ctypes.c_bool(False)
            rc = lib.cxl_replay_file(pth.encode(), ctypes.byref(opts), rep, ctypes.byref(ok), ctypes.byref(e))
            codes.append(rc != 0)
            if rc:
                lib.cxl_report_input_error(rep, pth.encode(), ctypes.byref(e))
        fp = libc.fopen(outp.encode(), b"w")
        flushed = lib.cxl_report_flush(rep, fp)
        libc.fclose(fp)
        tap = open(outp, encoding="utf-8").read()
        check("api tap: after 'Bail out!' a second input error and a good trace add nothing; plan 1..1",
              codes == [False, True, True, False] and flushed and tap.startswith("TAP version 13\n1..1\n") and
              tap.count("Bail out!") == 1 and tap.count("ok 1 - ") == 1 and "ok 2" not in tap and
              tap.rstrip().splitlines()[-1].startswith("Bail out! %s:7:" % bad), tap[-400:])
        fp = libc.fopen(b"/dev/full", b"w")
        flushed = lib.cxl_report_flush(rep, fp)
        libc.fclose(fp)
        check("api: cxl_report_flush() to /dev/full returns false", not flushed)
        lib.cxl_report_free(rep)

        # cxl_coverage_*(): an empty tally is not complete; a scenario with no checks leaves
        # every rule missing holding and firing (cxlemu/coverage.h); a write error is false.
        lib.cxl_coverage_new.restype = ctypes.c_void_p
        lib.cxl_coverage_add.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_bool]
        lib.cxl_coverage_add.restype = ctypes.c_bool
        lib.cxl_coverage_complete.argtypes = [ctypes.c_void_p]
        lib.cxl_coverage_complete.restype = ctypes.c_bool
        lib.cxl_coverage_write.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_bool]
        lib.cxl_coverage_write.restype = ctypes.c_bool
        lib.cxl_coverage_free.argtypes = [ctypes.c_void_p]
        c = lib.cxl_coverage_new()
        empty_complete = lib.cxl_coverage_complete(c)
        zero = ctypes.create_string_buffer(1 << 16)   # struct cxl_check_counts, all zero (larger)
        added = lib.cxl_coverage_add(c, b"none.yaml", zero, True)
        fp = libc.fopen(outp.encode(), b"w")
        wrote = lib.cxl_coverage_write(c, fp, False)
        libc.fclose(fp)
        rows = [l for l in open(outp, encoding="utf-8").read().splitlines()
                if re.match(r"^[a-z0-9]+\.[a-z0-9.-]+ ", l)]
        fp = libc.fopen(b"/dev/full", b"w")
        full_wrote = lib.cxl_coverage_write(c, fp, True)
        libc.fclose(fp)
        check("api coverage: empty not complete; one scenario without checks: every rule row "
              "'0 0  - / -  MISSING holding, firing'; /dev/full: false",
              not empty_complete and added and wrote and not lib.cxl_coverage_complete(c) and rows and
              all(re.search(r" 0 +0  - / -  MISSING holding, firing$", l) for l in rows) and not full_wrote,
              rows[:3])
        lib.cxl_coverage_free(c)
        lib.cxl_coverage_free(None)

    # ---- 4. inject into a reserved RAS status bit ---------------------------------------
    for kind, bit, sec in (("ras-uncorrectable", 31, "8.2.4.17.1"), ("ras-correctable", 20, "8.2.4.17.4")):
        p = os.path.join(tmp, "inject-%s.yaml" % kind)
        with open(p, "w") as f:
            f.write(HEAD % ("reserved bit", "qemu72-type3") + "  - [inject, d0, %s, %d]\n" % (kind, bit))
        rc, out, err = run([CXLEMU, "replay", os.path.basename(p)], cwd=tmp)
        check("replay: inject %s bit %d (reserved, CXL r3.1 §%s): exit 2, one error at 7:5" % (kind, bit, sec),
              rc == 2 and out == "" and err.strip() ==
              "inject-%s.yaml:7:5: error: cannot inject %s bit %d into d0 (no RAS capability, or not "
              "a status bit)" % (kind, kind, bit), err)

    # ---- 5. cxlemu coverage with failing scenarios --------------------------------------
    cov = os.path.join(tmp, "cov")
    os.mkdir(cov)
    good = os.path.join(cov, "a-good.yaml")
    shutil.copy(LOCK, good)
    text = open(LOCK, encoding="utf-8").read()
    for name, drop in (("b-bad.yaml", "  - {op: 6, rule: field.rwl-locked}\n"),
                       ("c-bad.yaml", "  - {op: 14, rule: field.rwo-rewrite}\n")):
        assert drop in text
        with open(os.path.join(cov, name), "w") as f:
            f.write(text.replace(drop, ""))      # the pair is raised but no longer expected
    bads = [os.path.join(cov, "b-bad.yaml"), os.path.join(cov, "c-bad.yaml")]
    rc, out, err = run([CXLEMU, "coverage", good] + bads)
    check("coverage: 3 scenarios, 2 failing their verdict: exit 1, a FAIL line each, incomplete",
          rc == 1 and out.startswith("coverage of 3 scenarios (2 failed their verdict and are not counted)") and
          all("FAIL %s: fails its own verdict (cxlemu replay %s)" % (b, b) in out for b in bads) and
          out.splitlines()[-1].endswith(": incomplete"), out[-500:] + err)
    rc, jall, _ = run([CXLEMU, "coverage", "--format", "json", good] + bads)
    rc1, jone, _ = run([CXLEMU, "coverage", "--format", "json", good])
    try:
        a, b = json.loads(jall), json.loads(jone)
        check("coverage json: 'failed' lists both, the tallies equal the passing scenario's alone",
              rc == 1 and a["scenarios"] == 3 and a["failed"] == bads and b["failed"] == [] and
              a["rules"] == b["rules"] and a["attributes"] == b["attributes"] and
              a["result"] == "incomplete", jall[:300])
    except ValueError as e:
        check("coverage json parses", False, str(e))
    with open("/dev/full", "w") as full:
        rc, _, err = run([CXLEMU, "coverage", good], stdout=full)
    check("coverage: standard output on /dev/full: exit 2, says so", rc == 2 and
          "cxlemu coverage: writing the report failed" in err, err)
    with open("/dev/full", "w") as full:
        rc, _, err = run([CXLEMU, "replay", good], stdout=full)
    check("replay: standard output on /dev/full: exit 2, says so", rc == 2 and
          "cxlemu replay: cannot write the report" in err, err)

    # ---- 6. conform --verbose: skipped ops ----------------------------------------------
    nread = 250
    reads = os.path.join(tmp, "reads.yaml")
    with open(reads, "w") as f:
        f.write(HEAD % ("250 reads", "qemu72-type3"))
        f.write("".join("  - [cfg-read, d0, 0x0, 4]\n" for _ in range(nread)))
    target = "exec:%s %s --skip-reads" % (sys.executable, os.path.join(SRC, "tests/target/fake-target.py"))
    rc, out, err = run([CXLEMU, "conform", "-v", "--target", target, "reads.yaml"], cwd=tmp)
    sk = [l for l in out.splitlines() if ": skipped: cannot read" in l]
    check("conform -v: the first 200 skipped reads listed at their lines, then '... and 50 more lines'",
          rc == 1 and len(sk) == 200 and sk[0] == "reads.yaml:7: op 0: skipped: cannot read" and
          sk[-1] == "reads.yaml:206: op 199: skipped: cannot read" and
          "reads.yaml: ... and 50 more lines" in out.splitlines(), out[:300] + err)
    rc, out, err = run([CXLEMU, "conform", "-v", "--format", "tap", "--target", target, "reads.yaml"], cwd=tmp)
    check("conform -v tap: skipped reads as '# ' comments, '# reads.yaml: ... and 50 more lines', SKIP point",
          "# reads.yaml:7: op 0: skipped: cannot read\n" in out and
          "# reads.yaml: ... and 50 more lines\n" in out and
          "ok 1 - reads.yaml: 250 reads # SKIP no read could be compared\n" in out, out[:400] + err)
    rc, out, err = run([CXLEMU, "conform", "--format", "json", "--target", target, "reads.yaml"], cwd=tmp)
    try:
        objs = [json.loads(l) for l in out.splitlines()]
        summ = objs[-1]["summary"]
        check("conform json: the scenario and the summary 'not judged', 250 skipped; exit 1",
              rc == 1 and objs[0]["result"] == "not judged" and objs[0]["skipped"] == nread and
              summ["result"] == "not judged" and summ["not_judged"] == 1 and summ["skipped"] == nread,
              out[-300:] + err)
    except (ValueError, KeyError, IndexError) as e:
        check("conform json parses", False, str(e) + out[:200])

    # a target (exec line protocol, traces/README.md) that reads 0 and cannot inject: the
    # scenario reads CONFIG_LOCK at power-on (0, CXL r3.1 §8.1.3.6: RWO, default 0) after a
    # skipped inject, so it conforms and JUnit keeps its skip line as <system-out>
    tgt = os.path.join(tmp, "noinject.py")
    with open(tgt, "w") as f:
        f.write("import sys\nfor line in sys.stdin:\n    w = line.split()\n"
                "    if not w or w[0] == 'quit':\n        break\n"
                "    r = 'OK ' + (sys.argv[1] if len(sys.argv) > 1 else '0x0') if w[0].endswith('-read') "
                "else 'SKIP no injection here' "
                "if w[0] == 'inject' else 'OK noinject 1' if w[0] == 'hello' else 'OK'\n"
                "    sys.stdout.write(r + '\\n')\n    sys.stdout.flush()\n")
    sc = os.path.join(tmp, "lock0.yaml")
    with open(sc, "w") as f:
        f.write(HEAD % ("CONFIG_LOCK at power-on", "qemu72-type3") +
                "  - [inject, d0, viral, 0]\n  - [cfg-read, d0, 0x114, 2, 0x0]\n")
    rc, out, err = run([CXLEMU, "conform", "-v", "--format", "junit", "--target",
                        "exec:%s %s" % (sys.executable, tgt), "lock0.yaml"], cwd=tmp)
    try:
        tc = [t for t in ET.fromstring(out).iter("testcase") if t.get("name") == "lock0.yaml"][0]
        so = tc.find("system-out")
        check("conform -v junit: a conforming scenario with a skipped op: no failure, no skipped, "
              "<system-out> 'lock0.yaml:7: op 0: skipped: no injection here'; doc/junit.xsd; exit 0",
              rc == 0 and xsd_ok(out) is not False and tc.find("failure") is None and
              tc.find("skipped") is None and so is not None and
              so.text == "lock0.yaml:7: op 0: skipped: no injection here\n", out[:700] + err)
    except (ET.ParseError, IndexError) as e:
        check("conform junit parses", False, str(e) + out[:300] + err)
    # the same target reading 1 everywhere: a read the model rejects (CXL r3.1 §8.2.2: a 32-bit
    # component register read as 2 bytes, access.width) returns 0 under qemu-7.2
    # (spec/profiles/qemu-7.2.yaml: access: rejected-read: zero, D-Q16), so the 1 is a
    # deviation caused by access.width
    sc = os.path.join(tmp, "width.yaml")
    with open(sc, "w") as f:
        f.write(HEAD % ("a 2-byte read of HDM Decoder 0 Control", "qemu72-type3") +
                "  - [mmio-read, d0, 0x1130, 2]\n")
    rc, out, err = run([CXLEMU, "conform", "--profile", "qemu-7.2", "--target",
                        "exec:%s %s 0x1" % (sys.executable, tgt),
                        "width.yaml"], cwd=tmp)
    dev = [l for l in out.splitlines() if l.startswith("width.yaml:7: op 0: ")]
    check("conform: a rejected read answered 0x1: exit 1, 'width.yaml:7: op 0: d0 \"HDM Decoder 0 Control\": "
          "... reads 0x1, qemu-7.2 0x0: access.width (op 0)', FAILS access.width",
          rc == 1 and len(dev) == 1 and
          re.match(r'^width\.yaml:7: op 0: d0 "HDM Decoder 0 Control": .* reads 0x1, qemu-7\.2 0x0: '
                   r'access\.width \(op 0\) \(CXL r3\.1 §8\.2\.2\)$', dev[0]) and
          re.search(r"^  FAILS  access\.width +exercised \d+, deviated 1 ", out, re.M), out[-900:] + err)
    with open("/dev/full", "w") as full:
        rc, _, err = run([CXLEMU, "conform", "--target", "model:cxl-3.1", "width.yaml"], cwd=tmp, stdout=full)
    check("conform: standard output on /dev/full: exit 2, says so", rc == 2 and
          "cxlemu conform: writing the report failed" in err, err)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
finish()
