#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One option parser for every subcommand (tools/cxlemu/args.c), seen from outside (TAP):
getopt_long semantics (permutation, --opt=value, unique prefixes, "--", bundled short
options), the exact usage-error lines ("requires an argument", "takes no argument",
"ambiguous", "did you mean"), `cxlemu help CMD` = `CMD --help`, -V, "-" for standard output,
--exit-codes=automake (the automake/meson test protocol: 0 pass, 1 fail, 77 skip, 99 hard
error), generated man pages and bash completion.

The expected names come from spec/ (models spec/devices, profiles spec/profiles, rules
spec/rules.yaml) and the automake protocol (GNU automake manual, "Scripts-based Testsuites":
77 skip, 99 hard error); the traces are the bundled conformance scenarios, whose expect:
lists were written from the spec.

usage: test_args.py CXLEMU SOURCE_ROOT BUILD_ROOT
"""
import os
import subprocess
import sys
import tempfile

CXLEMU, SRC, BUILD = (os.path.abspath(a) for a in sys.argv[1:4])
results = []
# CONFIG_LOCK set, then Control writes dropped (CXL r3.1 §8.1.3.6): its expect: lists them
PASSING = os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def run(args, stdin=None, cwd=None):
    p = subprocess.run([CXLEMU] + args, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def usage_error(name, args, want):
    """A usage error: exit 2, nothing on stdout, exactly the line @want on stderr."""
    rc, out, err = run(args)
    check(name, rc == 2 and out == "" and err == want + "\n",
          "rc=%d out=%r err=%r want=%r" % (rc, out[:100], err, want))


tmp = tempfile.mkdtemp(prefix="cxlemu-args-")
try:
    # --- getopt_long semantics, the same in every subcommand
    base = run(["replay", "--quiet", PASSING])
    check("replay --quiet TRACE passes", base[0] == 0 and base[1], repr(base))
    for name, args in [("options after operands (permutation)", ["replay", PASSING, "--quiet"]),
                       ("short option -q", ["replay", "-q", PASSING]),
                       ("unique prefix --qui", ["replay", "--qui", PASSING]),
                       ("--format=text form", ["replay", "--format=text", "-q", PASSING]),
                       ("--format text form", ["replay", "--format", "text", "-q", PASSING]),
                       ("bundled short flags -qv == -q -v", ["replay", "-qv", PASSING])]:
        got = run(args)
        if name.startswith("bundled"):
            want = run(["replay", "-q", "-v", PASSING])
            check(name, got == want, repr(got)[:200])
        else:
            check(name, got == base, repr(got)[:300])
    rc, out, err = run(["replay", "-q", "--", PASSING])
    check("'--' ends the options", rc == 0 and out == base[1], err)
    rc, out, err = run(["replay", "-q", "--", "--quiet"])
    check("after '--' an operand that starts with '-' is a file", rc == 2 and out == "" and
          "--quiet" in err and "unknown option" not in err, err)
    got = run(["import", "--fr", "qtest", "--help"])
    check("import takes abbreviations like replay (--fr = --from)", got[0] == 0, repr(got)[:200])

    # --- the exact usage errors
    usage_error("unknown option names the nearest", ["replay", "--quite", PASSING],
                "cxlemu replay: unknown option '--quite' (did you mean '--quiet'?) "
                "(see cxlemu help replay)")
    usage_error("unknown option, nothing near", ["replay", "--zzzzzz", PASSING],
                "cxlemu replay: unknown option '--zzzzzz' (see cxlemu help replay)")
    usage_error("unknown short option", ["replay", "-Z", PASSING],
                "cxlemu replay: unknown option '-Z' (see cxlemu help replay)")
    usage_error("a missing argument is 'requires an argument', with the choices",
                ["replay", PASSING, "--format"],
                "cxlemu replay: option '--format' requires an argument (text, json, tap or junit) "
                "(see cxlemu help replay)")
    usage_error("a flag given a value", ["replay", "--quiet=yes", PASSING],
                "cxlemu replay: option '--quiet' takes no argument (see cxlemu help replay)")
    usage_error("an ambiguous prefix lists the candidates", ["replay", "--f", "x", PASSING],
                "cxlemu replay: option '--f' is ambiguous (--format, --from) "
                "(see cxlemu help replay)")
    usage_error("import: same parser, same message", ["import", "--from"],
                "cxlemu import: option '--from' requires an argument (qemu-log, qtest, mmiotrace "
                "or fuzz-ops) (see cxlemu help import)")
    usage_error("a misspelled command", ["repaly", PASSING],
                "cxlemu: 'repaly' is not a command (did you mean 'replay'?)")
    usage_error("a misspelled model (spec/devices: qemu72-type3)", ["spec", "--device", "qemu72-typ3"],
                "cxlemu spec: unknown model 'qemu72-typ3' (did you mean 'qemu72-type3'?)")
    usage_error("a misspelled profile (spec/profiles: qemu-7.2)", ["replay", "--profile", "qemu-72", PASSING],
                "cxlemu replay: unknown profile 'qemu-72' (did you mean 'qemu-7.2'?)")
    usage_error("a misspelled rule (spec/rules.yaml: hdm.locked-write)",
                ["minimize", "--rule", "hdm.locked-wirte", PASSING],
                "cxlemu minimize: unknown rule 'hdm.locked-wirte' (did you mean 'hdm.locked-write'?)")
    usage_error("a misspelled reset kind in generate --resets (spec/vocabulary.yaml: warm)",
                ["generate", "--model", "qemu72-type3", "--resets", "cold,worm"],
                "cxlemu generate: --resets: 'cold,worm' is not a list of cold, warm, hot, conventional, "
                "flr, cxl, reopen (or all, none); did you mean 'warm'?")
    usage_error("a misspelled format", ["replay", "--format", "jsno", PASSING],
                "cxlemu replay: unknown format 'jsno' (did you mean 'json'?)")
    usage_error("a format far from any lists them", ["replay", "--format", "xml", PASSING],
                "cxlemu replay: unknown format 'xml' (text, json, tap or junit)")
    usage_error("-V is not an unknown option: it is --version", ["-X"],
                "cxlemu: unknown option '-X' (--help, --version, -V)")
    rc, out, err = run(["-V"])
    check("-V prints the version", rc == 0 and out.startswith("cxlemu ") and err == "", out + err)

    # --- help: the same text whichever way it is asked, every option in it
    cmds = run(["help", "--commands"])[1].split()
    check("help --commands lists the subcommands", "replay" in cmds and "import" in cmds, cmds)
    with open(os.path.join(SRC, "doc/meson.build")) as f:
        meson_list = f.read()
    for c in cmds:
        h1, h2, h3 = run(["help", c]), run([c, "--help"]), run([c, "-h"])
        check("help %s == %s --help == %s -h, exit 0" % (c, c, c),
              h1 == h2 == h3 and h1[0] == 0 and h1[1].startswith("usage: cxlemu %s " % c)
              and "exit status:" in h1[1], repr(h1)[:200])
        check("doc/meson.build generates cxlemu-%s.1" % c, "'%s'" % c in meson_list)
    h = run(["help", "replay"])[1]
    for opt in ["--profile", "--format", "--output", "--quiet", "--verbose", "--dump-state",
                "--from", "--host-decoder", "--exit-codes", "--help"]:
        check("replay's help lists %s" % opt, opt in h)
    check("replay's help names the profiles of spec/profiles", "qemu-7.2" in h and "cxl-3.1" in h)
    usage_error("help of a misspelled command", ["help", "replya"],
                "cxlemu: 'replya' is not a command (did you mean 'replay'?)")

    # --- man pages and completion, generated into the build directory
    for c in [""] + cmds:
        page = os.path.join(BUILD, "doc", "cxlemu%s.1" % ("-" + c if c else ""))
        ok = os.path.exists(page)
        warn = ""
        if ok:
            g = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page],
                               stderr=subprocess.PIPE)
            warn = g.stderr.decode()
        check("man page %s generated, renders without warnings" % os.path.basename(page),
              ok and not warn, warn)
    comp = os.path.join(BUILD, "doc", "cxlemu")

    def complete(words):
        script = ('source %s\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\n_cxlemu\nprintf "%%s\\n" "${COMPREPLY[@]}"\n'
                  % (comp, " ".join("'%s'" % w for w in words), len(words) - 1))
        p = subprocess.run(["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return p.stdout.decode().split()
    check("completion: subcommands", "replay" in complete(["cxlemu", "rep"]), complete(["cxlemu", "rep"]))
    check("completion: a subcommand's options", complete(["cxlemu", "replay", "--prof"]) == ["--profile"],
          complete(["cxlemu", "replay", "--prof"]))
    check("completion: profile names", complete(["cxlemu", "replay", "--profile", "qemu"]) == ["qemu-7.2"],
          complete(["cxlemu", "replay", "--profile", "qemu"]))
    check("completion: model names", "qemu72-type3" in complete(["cxlemu", "spec", "--device", "qemu72-t"]))
    check("completion: rule names", "hdm.locked-write" in complete(["cxlemu", "minimize", "--rule", "hdm.lo"]))

    # --- "-" for standard output; atomic -o
    out_path = os.path.join(tmp, "report.txt")
    rc, out, err = run(["replay", "-q", "-o", out_path, PASSING])
    with open(out_path) as f:
        written = f.read()
    check("replay -o FILE writes the report there, nothing on stdout",
          rc == 0 and out == "" and written == base[1], err)
    rc, out, err = run(["replay", "-q", "-o", "-", PASSING])
    check("replay -o - is standard output", rc == 0 and out == base[1], err)
    rc, out, err = run(["generate", "--model", "qemu72-type3", "--ops", "5", "-o", "-"])
    rc2, out2, _ = run(["generate", "--model", "qemu72-type3", "--ops", "5"])
    check("generate -o - == generate to stdout", rc == 0 and out == out2 and out, err)
    with open(PASSING, "rb") as f:
        trace_bytes = f.read()
    rc, out, err = run(["diff", "--profile", "cxl-3.1", "--profile", "qemu-7.2", "-"], stdin=trace_bytes)
    check("diff - reads standard input and names it <stdin> (as the library does)",
          rc == 1 and out.splitlines()[-1].startswith("<stdin>: cxl-3.1 vs qemu-7.2: ") and
          all(l.startswith("<stdin>:") for l in out.splitlines()), out + err)
    rc, out, err = run(["minimize", "--rule", "field.rwl-locked", "-"], stdin=trace_bytes)
    check("minimize - reads standard input", rc == 0 and "from <stdin>" in out, out + err)
    rc, out, err = run(["replay", "-", "-"])
    check("standard input twice is refused", rc == 2 and out == "" and "twice" in err, err)

    # --- --exit-codes=automake: 0 pass, 1 fail, 99 bad input or usage, 77 nothing to check
    failing = os.path.join(tmp, "failing.yaml")
    with open(failing, "w") as f:   # CONFIG_LOCK set, then a Control write: field.rwl-locked
        f.write(open(PASSING).read().split("expect:")[0] + "expect: []\n")
    empty = os.path.join(tmp, "empty.yaml")
    with open(empty, "w") as f:
        f.write("cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops: []\n")
    bad = os.path.join(tmp, "bad.yaml")
    with open(bad, "w") as f:
        f.write("cxl-trace: 1\ndevices: [\n")
    am = ["replay", "--exit-codes=automake", "-q"]
    check("automake: a passing trace exits 0", run(am + [PASSING])[0] == 0)
    rcf = run(am + [failing])
    check("automake: a failing trace exits 1", rcf[0] == 1, repr(rcf)[:300])
    check("cxlemu style: the failing trace exits 1 too", run(["replay", "-q", failing])[0] == 1)
    rcb = run(am + [bad])
    check("automake: bad input exits 99, nothing on stdout", rcb[0] == 99 and rcb[1] == "", repr(rcb))
    check("cxlemu style: bad input exits 2", run(["replay", "-q", bad])[0] == 2)
    check("automake: a trace with no op exits 77 (skip)", run(am + [empty])[0] == 77)
    check("automake: a usage error exits 99", run(am + ["--format", "xml", PASSING])[0] == 99)
    check("automake: --exit-codes automake (two words) too",
          run(["replay", "--exit-codes", "automake", bad])[0] == 99)
    # a report file names the input that could not be run, and the other traces still run
    junit = os.path.join(tmp, "r.xml")
    rc, out, err = run(["replay", "--format", "junit", "-o", junit, PASSING, bad])
    import xml.etree.ElementTree as ET
    cases = ET.parse(junit).getroot().iter("testcase") if os.path.exists(junit) else []
    kinds = [(c.get("file"), [x.tag for x in c]) for c in cases]
    check("replay -o r.xml with a bad trace: exit 2, stderr names it, nothing on stdout",
          rc == 2 and out == "" and err.startswith(bad + ":"), repr((rc, out, err)))
    check("... r.xml: the good trace passed, the bad one is an <error> testcase",
          len(kinds) == 2 and kinds[0][0] == PASSING and "failure" not in kinds[0][1] and
          kinds[1][0] == bad and "error" in kinds[1][1], repr(kinds))
    tap = os.path.join(tmp, "r.tap")
    rc, out, err = run(["replay", "--format", "tap", "--exit-codes=automake", "-o", tap, bad])
    with open(tap) as f:
        tap_text = f.read()
    check("replay --format tap -o r.tap with a bad trace: exit 99, 'Bail out!' in the file",
          rc == 99 and out == "" and "\nBail out! " in "\n" + tap_text, repr((rc, tap_text)))
    rc, out, err = run(["replay", "--format", "tap", bad])
    check("... without -o: nothing on stdout (bad input prints nothing there)", rc == 2 and out == "")
    # a gzip log cut short (a truncated download) is bad input; --allow-truncated takes its lines
    cut = os.path.join(tmp, "cut.log.gz")
    with open(os.path.join(SRC, "traces/real/1ep.log.gz"), "rb") as f:
        whole = f.read()
    with open(cut, "wb") as f:
        f.write(whole[:len(whole) // 2])
    rc, out, err = run(["import", "--from", "qemu-log", cut])
    check("import of a truncated gzip log: exit 2, nothing on stdout, 'the gzip stream ends early'",
          rc == 2 and out == "" and err.startswith(cut + ":") and "the gzip stream ends early" in err, err)
    rc, out, err = run(["replay", "--from", "qemu-log", "-q", cut])
    check("replay --from of a truncated gzip log: exit 2 too", rc == 2 and out == "", err)
    rc, out, err = run(["import", "--from", "qemu-log", "--allow-truncated", cut])
    check("import --allow-truncated: the complete lines, the cut counted in the header",
          rc == 0 and "# inputs whose gzip stream ended early (truncated file): 1" in out, err)
    usage_error("import --device with a misspelt model: did you mean, at import time",
                ["import", "--from", "qemu-log", "--device", "0d:00.0=ep0:qemu72-typ3", cut],
                "cxlemu import: unknown model 'qemu72-typ3' (did you mean 'qemu72-type3'?)")
    usage_error("an unknown exit-code style", ["replay", "--exit-codes=gnu", PASSING],
                "cxlemu replay: unknown exit-code style 'gnu' (cxlemu or automake)")
    # --- explain: the rule from spec/rules.yaml, examples from the conformance suite
    rc, out, err = run(["explain", "hdm.locked-write"], cwd=SRC)   # paths shown from the cwd
    lines = out.splitlines()
    check("explain: id, severity, message and spec section (spec/rules.yaml)",
          rc == 0 and lines[:3] == ["hdm.locked-write: error",
                                    "  write would change a decoder locked by Lock-On-Commit; dropped",
                                    "  spec: CXL r3.1 §8.2.4.20.13"], out + err)
    # hdm-lock-on-commit.yaml's expect: lists hdm.locked-write first at op 6 (its line 18)
    check("explain: the failing example is the first expected firing",
          any(l.startswith("fails: traces/conformance/hdm-lock-on-commit.yaml:18:5: op 6: ") for l in lines), out)
    check("explain: a passing example where the same register is written",
          any(l.startswith("holds: traces/conformance/") for l in lines), out)
    check("explain: every personality listed", all(any(l.split()[:1] == [p] for l in lines)
                                                   for p in ["cxl-3.1", "qemu-7.2", "linux-vfio-cxl-v4"]), out)
    # CXL r3.1 §8.1.3.6: CONFIG_LOCK freezes Control; dvsec-config-lock.yaml expects op 6 first
    rc, out, err = run(["explain", "field.rwl-locked"], cwd=SRC)
    check("explain field.rwl-locked: fails at dvsec-config-lock.yaml op 6, holds before the lock (op 1)",
          "fails: traces/conformance/dvsec-config-lock.yaml:17:5: op 6: " in out and
          "holds: traces/conformance/dvsec-config-lock.yaml:12:5: op 1: " in out, out + err)
    usage_error("explain: a misspelled rule", ["explain", "hdm.locked-wirte"],
                "cxlemu explain: unknown rule 'hdm.locked-wirte' (did you mean 'hdm.locked-write'?)")
finally:
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)

print("TAP version 13")
print("1..%d" % len(results))
for i, (ok, name, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name.replace("#", "\\#")))
    if not ok and detail:
        for line in str(detail).splitlines()[:8]:
            print("# " + line)
sys.exit(0 if all(r[0] for r in results) else 1)
