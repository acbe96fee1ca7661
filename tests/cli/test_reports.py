#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""cxlemu replay's (and conform's) reports, each checked by its consumer (TAP output for meson):

- text: gcc-style event lines "TRACE:LINE:COL: SEVERITY: ... [RULE]" at the op's position, the
  expect: differences at the expect: entry, "recorded here" notes for imported ops, English
  summaries and a verdict that says what it compared. The expected rules, ops and positions
  come from the trace's own expect: list and op lines (written from the spec) and the rules'
  severities from spec/rules.yaml, not from the tool's output;
- JSON Lines: every line validates against doc/report.schema.json (python3-jsonschema);
- JUnit: xmllint --schema doc/junit.xsd, plus an xml.etree parse (unique testcase names across
  two profiles, file, time="0", skipped, failure);
- TAP 13: perl's TAP::Parser (no parse errors, the plan, the failures, YAML diagnostics,
  escaped '#', Bail out!);
- input errors through the library API cxl_report_input_error() (ctypes on the built
  libcxlemu.so): JUnit <error>, TAP Bail out!, JSON "result": "error", the bad trace's partial
  output discarded;
- bytes that are not UTF-8 in a path, '#' and '\\' in a mark and a description: the XML and
  JSON stay valid UTF-8.

A consumer that is not installed turns its checks into TAP SKIPs that name the package.

usage: test_reports.py CXLEMU LIBCXLEMU SOURCE_ROOT
"""
import ctypes
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CXLEMU, LIB, SRC = (os.path.abspath(a) for a in sys.argv[1:4])
SCHEMA = os.path.join(SRC, "doc/report.schema.json")
XSD = os.path.join(SRC, "doc/junit.xsd")
results = []


def check(name, cond, detail=""):
    results.append(("ok" if cond else "not ok", name, detail))


def skip(name, why):
    results.append(("skip", name, why))


def run(args, cwd=None, binary=False):
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if binary:
        return p.returncode, p.stdout, p.stderr
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def positions(path):
    """The (line, column) of each op of a block-style trace and of each expect: entry, with
    the entries' (op, rule): read from the file's lines (one op or entry per line)."""
    ops, exp, where = [], [], None
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if re.match(r"^ops:", line):
            where = "ops"
        elif re.match(r"^expect:", line):
            where = "expect"
        elif re.match(r"^\S", line):
            where = None
        elif where == "ops" and re.match(r"^\s*- \[", line):
            ops.append((n, line.index("[") + 1))
        elif where == "expect":
            m = re.match(r"^\s*- \{op: (\d+), rule: ([\w.-]+)", line)
            if m:
                exp.append((n, line.index("{") + 1, int(m.group(1)), m.group(2)))
    return ops, exp


def rule_table():
    """rule id -> (severity, message, spec) from spec/rules.yaml."""
    rules, cur = {}, None
    for line in open(os.path.join(SRC, "spec/rules.yaml"), encoding="utf-8"):
        m = re.match(r"^- id: (\S+)", line)
        if m:
            cur = m.group(1)
            rules[cur] = {}
            continue
        m = re.match(r'^  (severity|message|spec): "?(.*?)"?$', line)
        if m and cur:
            rules[cur][m.group(1)] = m.group(2)
    return rules


RULES = rule_table()
TAP_PL = r"""
use strict; use warnings; use TAP::Parser; use JSON::PP;
local $/; my $tap = <STDIN>;
my $p = TAP::Parser->new({ tap => $tap });
my (@tests, $bail, $last);
while (my $r = $p->next) {
    if ($r->is_test) {
        $last = { number => $r->number, ok => ($r->is_ok ? 1 : 0), description => $r->description,
                  directive => $r->directive, explanation => $r->explanation };
        push @tests, $last;
    } elsif ($r->is_yaml && $last) {
        $last->{yaml} = $r->data;
    } elsif ($r->is_bailout) {
        $bail = $r->explanation;
    }
}
print JSON::PP->new->canonical->encode({ plan => $p->plan, tests_planned => $p->tests_planned,
    tests_run => $p->tests_run, failed => scalar($p->failed), skipped => scalar($p->skipped),
    parse_errors => [$p->parse_errors], version => $p->version, tests => \@tests,
    bailout => $bail });
"""


def tap_parse(text):
    """TAP::Parser's view of @text (bytes) as a dict, or None when perl cannot parse it."""
    p = subprocess.run(["perl", "-e", TAP_PL], input=text, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return json.loads(p.stdout) if p.returncode == 0 else None


def have_perl_tap():
    return shutil.which("perl") and subprocess.run(
        ["perl", "-MTAP::Parser", "-MJSON::PP", "-e", "1"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL).returncode == 0


try:
    import jsonschema
    validator = jsonschema.Draft202012Validator(json.load(open(SCHEMA, encoding="utf-8")))
except ImportError:
    validator = None
XMLLINT = shutil.which("xmllint")
PERL_TAP = have_perl_tap()

tmp = tempfile.mkdtemp(prefix="cxlemu-reports-")
conf = sorted(glob.glob(os.path.join(SRC, "traces/conformance/*.yaml")))
lock = os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")
markonly = os.path.join(SRC, "traces/regress/mark-without-devices.yaml")
# CXL r3.1 §8.1.3.6: after CONFIG_LOCK (0x114 bit 0), a write to DVSEC Control (0x10c) that
# changes Mem_Enable is field.rwl-locked (error); IO_Enable is RO (PCIe r6.0 §7.4), so writing
# 0 over its 1 is field.ro-write (note). No expect: list: errors decide, so it fails.
LOCKED = ("cxl-trace: 1\ndescription: \"desc # with \\\\ and \\x01\"\nsource: guest.log\n"
          "devices:\n  ep0: {model: qemu72-type3}\nops:\n"
          "  - [mark, \"note # here \\\\ x\"]\n"
          "  - [cfg-write, ep0, 0x114, 2, 0x1]\n"
          "  - [cfg-write, ep0, 0x10c, 2, 0x4, \"@42\"]\n")
odd = os.path.join(tmp.encode(), b"odd\xff\xfe#name\x01.yaml")   # not UTF-8, a '#', a control
with open(odd, "w", encoding="utf-8") as f:
    f.write(LOCKED)
hashp = os.path.join(tmp, "with#hash.yaml")
shutil.copy(lock, hashp)

try:
    # 1. Text: the event lines of dvsec-config-lock.yaml under cxl-3.1 are at the op's
    # line:col, with the rule's severity (spec/rules.yaml) and the rule id in brackets.
    ops, exp = positions(lock)
    rc, out, _ = run([CXLEMU, "replay", lock])
    lines = out.splitlines()
    for (eline, ecol, op, rule) in exp:
        line, col = ops[op]
        sev = RULES[rule]["severity"]
        want = re.compile(r"^%s:%d:%d: %s: op %d: ep0 \"[^\"]+\"\.\w+: %s .*\(%s\) \[%s\]$" % (
            re.escape(lock), line, col, sev, op, re.escape(RULES[rule]["message"]),
            re.escape(RULES[rule]["spec"]), re.escape(rule)))
        check("text: expected %s at op %d is the line %s:%d:%d: %s: ... [%s]" % (rule, op, "T", line, col,
                                                                               sev, rule),
              any(want.match(l) for l in lines), out[:600])
    summary = re.compile(
        r"^%s: profile cxl-3\.1: %d ops; 4 errors, 0 warnings, 0 notes; reads \d+ checked, 0 mismatched; "
        r"0 unmodeled accesses; state [0-9a-f]{16}; PASS: the %d expected \(op, rule\) pairs were all "
        r"seen, none unexpected$" % (re.escape(lock), len(ops), len(exp)))
    check("text: the summary line counts in English and the verdict names the (op, rule) pairs",
          rc == 0 and summary.match(lines[-1] if lines else ""), lines[-1:] if lines else out)
    check("text: every line starts with the trace's path", lines and
          all(l.startswith(lock + ":") for l in lines), out[:300])
    # 2. QEMU 7.2 ignores CONFIG_LOCK: every expected pair is missing, reported at its expect: entry.
    rc, out, _ = run([CXLEMU, "replay", "--profile", "qemu-7.2", lock])
    lines = out.splitlines()
    for (eline, ecol, op, rule) in exp:
        check("text: qemu-7.2 misses op %d %s, reported at its expect: entry %d:%d" % (op, rule, eline, ecol),
              "%s:%d:%d: error: expected but not seen: op %d %s" % (lock, eline, ecol, op, rule) in lines,
              out[-800:])
    check("text: the FAIL verdict says how many expected pairs were not seen",
          rc == 1 and lines and re.search(r"; FAIL: %d of the %d expected \(op, rule\) pairs not seen" %
                                          (len(exp), len(exp)), lines[-1]), lines[-1:])
    rc, q, _ = run([CXLEMU, "replay", "--quiet", "--profile", "qemu-7.2", lock])
    check("text --quiet: only the expect: differences and the summary",
          rc == 1 and q.splitlines() and all(": error: expected but not seen: " in l or
                                            ": error: seen but not expected: " in l
                                            for l in q.splitlines()[:-1]) and
          q.splitlines()[-1].startswith(lock + ": profile qemu-7.2: "), q)
    # 3. Singular counts, the errors-decide verdict, a mark with '#', the recorded-here note.
    rc, out, _ = run([CXLEMU, "replay", "--verbose", odd], binary=True)
    text = out.decode("utf-8", "strict") if rc == 1 else ""
    tl = text.splitlines()
    shown = os.fsdecode(odd).encode("utf-8", "surrogateescape").decode("latin-1")
    esc = "odd\\xff\\xfe#name\\x01.yaml"
    check("text: a path that is not UTF-8 is shown with \\xNN escapes (the output is UTF-8)",
          rc == 1 and all(l.startswith(os.path.join(tmp, esc)) or l.startswith(os.path.join(tmp, "guest.log:42:"))
                        for l in tl),
          (shown, text[:400]))
    check("text: 3 ops, 1 error, 0 warnings, 1 note (singular words)",
          tl and ": 3 ops; 1 error, 0 warnings, 1 note; " in tl[-1], tl[-1:])
    check("text: without expect:, the verdict says errors decide",
          tl and tl[-1].endswith("; FAIL: 1 error event (there is no expect: list, so errors decide)"), tl[-1:])
    check("text --verbose: the mark at its line:col as a note, '#' and '\\' kept",
          "%s:7:5: note: op 0: mark: note # here \\ x" % os.path.join(tmp, esc) in tl, tl[:3])
    i = next((k for k, l in enumerate(tl) if l.endswith("[field.rwl-locked]")), None)
    # the source is the log beside the trace: the note gives its path from here (editors open it)
    check("text: an op with a recorded source: the event at 9:5, then 'DIR/guest.log:42: note: op 2 was "
          "recorded here'",
          i is not None and tl[i].startswith("%s:9:5: error: op 2: " % os.path.join(tmp, esc)) and
          i + 1 < len(tl) and tl[i + 1] == os.path.join(tmp, "guest.log:42: note: op 2 was recorded here"), tl)
    rc, out, _ = run([CXLEMU, "replay", markonly])
    check("text: a trace with nothing to check (a mark only): SKIP, exit 0",
          rc == 0 and out.rstrip("\n").endswith("; SKIP: nothing to check (no op reached a device)"), out)

    # 4. JSON Lines against doc/report.schema.json.
    runs = {
        "replay conformance --verbose --dump-state": [CXLEMU, "replay", "--format", "json", "--verbose",
                                                     "--dump-state"] + conf,
        "replay conformance under qemu-7.2": [CXLEMU, "replay", "--format", "json", "--profile",
                                              "qemu-7.2"] + conf + [markonly],
        "replay of a path that is not UTF-8": [CXLEMU.encode(), b"replay", b"--format", b"json", odd],
        "replay --from qemu-log": [CXLEMU, "replay", "--format", "json", "--from", "qemu-log",
                                   os.path.join(SRC, "traces/real/1ep.log.gz")],
        "conform --target model:qemu-7.2": [CXLEMU, "conform", "--format", "json", "--target",
                                            "model:qemu-7.2"],
    }
    for name, argv in runs.items():
        rc, out, err = run(argv, binary=True)
        try:
            objs = [json.loads(l) for l in out.decode("utf-8", "strict").splitlines()]
        except ValueError as e:
            check("json %s: strict UTF-8 JSON Lines" % name, False, str(e))
            continue
        check("json %s: strict UTF-8 JSON Lines, schema_version 1 first on every line" % name,
              rc in (0, 1) and objs and all(list(o)[0] == "schema_version" and o["schema_version"] == 1
                                            for o in objs), (rc, err[:200]))
        if validator is None:
            skip("json %s: validates against doc/report.schema.json" % name,
                 "python3-jsonschema is not installed (apt-get install python3-jsonschema)")
            continue
        errs = [(i, e.message[:200]) for i, o in enumerate(objs) for e in validator.iter_errors(o)]
        check("json %s: every line validates against doc/report.schema.json" % name, not errs, errs[:3])
    rc, out, _ = run([CXLEMU, "replay", "--format", "json", "--profile", "qemu-7.2", lock])
    o = json.loads(out) if out else {}
    miss = {(d["op"], d["rule"], d["line"], d["column"]) for d in o.get("missing", [])}
    check("json: the missing pairs are the trace's expect: entries, at their positions",
          miss == {(op, rule, l, c) for (l, c, op, rule) in exp} and o.get("result") == "fail", o.get("missing"))
    rc, out, _ = run([CXLEMU, "replay", "--format", "json", odd], binary=True)
    o = json.loads(out) if out else {}
    check("json: a path that is not UTF-8 is U+FFFD, a control character \\u0001",
          o.get("trace", "").endswith("odd\ufffd\ufffd#name\u0001.yaml"), o.get("trace"))

    # 5. JUnit: doc/junit.xsd (xmllint) and xml.etree.
    junit = {}
    for prof in ("own", "cxl-3.1", "qemu-7.2"):
        rc, out, _ = run([CXLEMU, "replay", "--format", "junit"] +
                         (["--profile", prof] if prof != "own" else []) + conf + [markonly, hashp], binary=True)
        junit[prof] = out
    rc, junit["odd"], _ = run([CXLEMU.encode(), b"replay", b"--format", b"junit", odd], binary=True)
    rc, junit["conform"], _ = run([CXLEMU, "conform", "--format", "junit", "--target", "model:qemu-7.2"],
                                  binary=True)
    for name, xml in junit.items():
        if not XMLLINT:
            skip("junit %s: validates against doc/junit.xsd" % name,
                 "xmllint is not installed (apt-get install libxml2-utils)")
            continue
        p = subprocess.run([XMLLINT, "--noout", "--schema", XSD, "-"], input=xml,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        check("junit %s: validates against doc/junit.xsd (xmllint)" % name, p.returncode == 0,
              p.stderr[-400:])
    names = []
    for prof in ("own", "cxl-3.1", "qemu-7.2"):
        try:
            root = ET.fromstring(junit[prof])
        except ET.ParseError as e:
            check("junit %s parses" % prof, False, str(e))
            continue
        cases = root.findall("testsuite/testcase")
        if prof != "own":
            names += [c.get("name") for c in cases]
        paths = conf + [markonly, hashp]
        check("junit %s: one testcase per trace, 'TRACE [PROFILE]', file = the path, time 0" % prof,
              ([c.get("name") for c in cases] == ["%s [%s]" % (t, prof) for t in paths] if prof != "own" else
               [re.sub(r" \[[\w.-]+\]$", "", c.get("name")) for c in cases] == paths) and
              [c.get("file") for c in cases] == paths and all(c.get("time") == "0" for c in cases) and
              root.get("tests") == str(len(paths)), [c.attrib for c in cases[:2]])
        sk = [c.get("file") for c in cases if c.find("skipped") is not None]
        check("junit %s: <skipped> for the trace with nothing to check, only it" % prof, sk == [markonly], sk)
        fails = [c for c in cases if c.find("failure") is not None]
        check("junit %s: failures attribute = <failure> elements" % prof,
              root.find("testsuite").get("failures") == str(len(fails)), len(fails))
        if prof == "own":
            check("junit, each trace under its own profile: every conformance trace passes (each "
                  "expect: list is its profile's)", not fails, [c.get("name") for c in fails])
        elif prof == "qemu-7.2":
            f = next((c for c in fails if c.get("file") == lock), None)
            body = f.find("failure").text if f is not None else ""
            check("junit qemu-7.2: the CONFIG_LOCK trace fails, listing each expected pair not seen",
                  f is not None and all("%s:%d:%d: error: expected but not seen: op %d %s" %
                                        (lock, l, c, op, rule) in body for (l, c, op, rule) in exp),
                  body[:400])
    check("junit: one trace set under two profiles gives distinct testcase names",
          len(names) == 2 * (len(conf) + 2) and len(set(names)) == len(names))

    # 6. TAP 13 through TAP::Parser.
    if not PERL_TAP:
        skip("tap: TAP::Parser checks", "perl's TAP::Parser / JSON::PP are not installed (apt-get install perl)")
    else:
        for prof, nfail in (("own", 0), ("qemu-7.2", None)):
            popt = ["--profile", prof] if prof != "own" else []
            rc, out, _ = run([CXLEMU, "replay", "--format", "tap"] + popt + conf + [markonly, hashp], binary=True)
            _, js, _ = run([CXLEMU, "replay", "--format", "json"] + popt + conf + [markonly, hashp])
            jfail = sum(1 for l in js.splitlines() if json.loads(l)["result"] == "fail")
            t = tap_parse(out)
            n = len(conf) + 2
            check("tap %s: TAP::Parser: version 13, plan 1..%d, no parse errors" % (prof, n),
                  t and t["version"] == 13 and t["plan"] == "1..%d" % n and t["tests_run"] == n and
                  not t["parse_errors"], t and t["parse_errors"])
            if not t:
                continue
            check("tap %s: failed points = the JSON report's failures%s" % (prof, " (none)" if nfail == 0 else ""),
                  t["failed"] == jfail and (nfail is None or jfail == nfail), (t["failed"], jfail))
            check("tap %s: one SKIP, the trace with nothing to check" % prof,
                  t["skipped"] == 1 and t["tests"][-2]["directive"] == "SKIP", t["tests"][-2:])
            last = t["tests"][-1]
            check("tap %s: a '#' in a path is escaped (no directive, the description keeps it)" % prof,
                  last["directive"] == "" and "with\\#hash.yaml [" in last["description"], last)
            bad = [x for x in t["tests"] if not x["ok"] and not isinstance(x.get("yaml"), dict)]
            check("tap %s: a YAML diagnostics block under each not ok" % prof, not bad, bad[:2])
            if prof == "qemu-7.2":
                y = next((x["yaml"] for x in t["tests"] if not x["ok"] and lock in x["description"]), {})
                probs = y.get("problems", [])
                want = [{"problem": "expected but not seen", "rule": rule, "severity": RULES[rule]["severity"],
                         "spec": RULES[rule]["spec"], "op": op, "line": l, "column": c,
                         "message": RULES[rule]["message"]} for (l, c, op, rule) in exp]
                got = [{k: (int(v) if k in ("op", "line", "column") else v) for k, v in p.items()}
                       for p in probs if p.get("problem") == "expected but not seen"]
                check("tap qemu-7.2: the YAML block lists rule, severity, spec, op, line, column and "
                      "message of each expected pair not seen", got == want and y.get("severity") == "fail",
                      (got[:1], want[:1]))
        rc, out, _ = run([CXLEMU.encode(), b"replay", b"--format", b"tap", odd], binary=True)
        t = tap_parse(out)
        check("tap: a path that is not UTF-8, with '#' and a control byte: one point, escaped, parses",
              t and not t["parse_errors"] and t["tests_run"] == 1 and t["tests"][0]["directive"] == "" and
              "\\#name" in t["tests"][0]["description"], t)

    # 7. Input errors through the library (what cxlemu replay -o FILE writes on bad input):
    # (a library built with ASan cannot be loaded by ctypes into python: the CLI checks of
    # replay -o in tests/cli/test_args.py cover the same path there)
    ldd = subprocess.run(["ldd", LIB], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    if b"libasan" in ldd or b"libubsan" in ldd:
        skip("input errors through the library API (ctypes)", "libcxlemu is built with sanitizers")
    else:
        # a good trace, then one whose op 3 is past the config space after an error at op 2.
        bad = os.path.join(tmp, "bad-late.yaml")
        with open(bad, "w") as f:
            f.write("cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n"
                    "  - [cfg-write, ep0, 0x114, 2, 0x1]\n  - [cfg-write, ep0, 0x10c, 2, 0x4]\n"
                    "  - [cfg-write, ep0, 0x10c, 2, 0x6]\n  - [cfg-read, ep0, 0xfff, 2]\n")

        class Err(ctypes.Structure):
            _fields_ = [("code", ctypes.c_int), ("file", ctypes.c_char * 256), ("line", ctypes.c_ulong),
                        ("col", ctypes.c_ulong), ("msg", ctypes.c_char * 512)]

        lib = ctypes.CDLL(LIB)
        libc = ctypes.CDLL(None)
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
        lib.cxl_report_new.restype = ctypes.c_void_p
        lib.cxl_report_new.argtypes = [ctypes.c_int, ctypes.c_bool, ctypes.c_bool, ctypes.c_uint]
        lib.cxl_replay_file.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p,
                                        ctypes.POINTER(ctypes.c_bool), ctypes.POINTER(Err)]
        lib.cxl_report_input_error.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(Err)]
        lib.cxl_report_flush.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        lib.cxl_report_free.argtypes = [ctypes.c_void_p]

        def api_report(fmt, paths):
            """The report of @fmt (0 text, 1 json, 2 tap, 3 junit) over @paths, input errors recorded."""
            rep = lib.cxl_report_new(fmt, False, False, len(paths))
            codes = []
            for pth in paths:
                err, ok = Err(), ctypes.c_bool(False)
                rc = lib.cxl_replay_file(pth.encode(), None, rep, ctypes.byref(ok), ctypes.byref(err))
                codes.append(rc)
                if rc:
                    lib.cxl_report_input_error(rep, pth.encode(), ctypes.byref(err))
            out = os.path.join(tmp, "api.%d" % fmt)
            fp = libc.fopen(out.encode(), b"w")
            lib.cxl_report_flush(rep, fp)
            libc.fclose(fp)
            lib.cxl_report_free(rep)
            return codes, open(out, "rb").read()

        # the bad trace's error is at line 8, column 23 (its offset: CXL config space is 4 KiB)
        codes, tap = api_report(2, [lock, bad, lock])
        t = tap_parse(tap) if PERL_TAP else None
        if PERL_TAP:
            check("api tap: the bad input is 'Bail out! FILE:8:...: error: ...', after the good trace's point; "
                  "nothing after it; no parse error",
                  codes[1] and t and t["bailout"] and t["bailout"].startswith("%s:8:" % bad) and
                  ": error: " in t["bailout"] and t["tests_run"] == 1 and t["plan"] == "1..1" and
                  not t["parse_errors"], (codes, t))
        codes, xml = api_report(3, [lock, bad])
        try:
            root = ET.fromstring(xml)
            cases = root.findall("testsuite/testcase")
            e = cases[1].find("error") if len(cases) == 2 else None
            check("api junit: the bad input is a testcase with <error message='FILE:8:..: error: ...'>, "
                  "errors=1, and none of its events",
                  e is not None and e.get("message", "").startswith("%s:8:" % bad) and
                  cases[1].get("file") == bad and root.find("testsuite").get("errors") == "1" and
                  b"op 1: " not in xml, xml[-600:])
        except ET.ParseError as ex:
            check("api junit parses", False, str(ex))
        if XMLLINT:
            p = subprocess.run([XMLLINT, "--noout", "--schema", XSD, "-"], input=xml, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            check("api junit: validates against doc/junit.xsd", p.returncode == 0, p.stderr[-300:])
        codes, js = api_report(1, [bad, lock])
        objs = [json.loads(l) for l in js.decode("utf-8").splitlines()]
        check("api json: an error line (result error, the error's line 8) then the good trace",
              len(objs) == 2 and objs[0]["result"] == "error" and objs[0]["error"]["line"] == 8 and
              objs[1]["result"] == "pass", objs[:1])
        if validator is not None:
            errs = [e.message[:200] for o in objs for e in validator.iter_errors(o)]
            check("api json: validates against doc/report.schema.json", not errs, errs[:2])
        codes, txt = api_report(0, [bad])
        check("api text: the error line as on standard error, and no partial output",
              txt.decode().splitlines() == [l for l in txt.decode().splitlines() if l.startswith(bad + ":8:")] and
              b": error: " in txt and len(txt.splitlines()) == 1, txt)

    # 8. Byte-identical output on a rerun, for each format (time="0": no clock).
    for fmt in ("text", "json", "tap", "junit"):
        argv = [CXLEMU, "replay", "--format", fmt, "--profile", "qemu-7.2"] + conf
        check("%s: byte-identical on a rerun" % fmt, run(argv, binary=True) == run(argv, binary=True))
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("TAP version 13")
print("1..%d" % len(results))
for i, (status, name, detail) in enumerate(results, 1):
    name = name.replace("\\", "\\\\").replace("#", "\\#")
    if status == "skip":
        print("ok %d - %s # SKIP %s" % (i, name, detail))
        continue
    print("%s %d - %s" % (status, i, name))
    if status != "ok" and detail:
        for line in str(detail).splitlines()[:30]:
            print("#   " + line)
sys.exit(0)
