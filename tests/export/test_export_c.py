#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`cxlemu export --to c` at test time (TAP; meson suite 'cli').

The build-time tests (tests/export/meson.build, stub.c) compile one exported trace against the
model. This one exports traces written here, whose ops are known by construction, compiles
each export with the C compiler against accessor macros that log every call, runs it and checks
what the contract (cxlemu/export.h, emu/export/export_priv.h) promises:

1. every op in trace order through the right accessor (cfg/mmio read/write, CXL_RESET,
   CXL_INJECT; marks perform nothing), each recorded read checked by CXL_EXPECT(op, dev, got,
   want) with op the trace's 0-based op index and want the recorded value, a read recorded as
   `~` performed but not checked; the head counts ops and checked reads; CXL_EXPORT_DEVICES
   lists the devices in trace order with their models; the op comments name the register the
   spec structure gives the offset (spec/structures/*.yaml) and the trace line or "@" source;
2. only the accessors the trace uses are required; each missing one is an #error naming it;
3. the default CXL_EXPECT is assert(): a wrong read aborts, a right one passes;
4. a description with a comment end, a trigraph and a backslash stays inside the comment
   (export_priv.h: '*' before '/', a '?' after '?' and '\\' become '.'), and the file compiles
   with -Werror -Wtrigraphs;
5. output is deterministic, "-o -" is the same bytes as -o FILE;
6. bad input (a malformed header, an error after ops were read, a missing file, usage): exit 2,
   one file:line:col line (positions counted by hand), nothing on stdout, no output file.

usage: test_export_c.py CXLEMU CC...   (CC: the C compiler's command, meson's cc.cmd_array())
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

CXLEMU, CC = os.path.abspath(sys.argv[1]), sys.argv[2:]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)


def run(args, cwd=None, stdin=b""):
    p = subprocess.run(args, cwd=cwd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# Accessors that log each call as one line; reads return STUB_READ (default 0).
LOGGING = r"""
#include <stdio.h>
#include <inttypes.h>
#ifndef STUB_READ
#define STUB_READ 0
#endif
static uint64_t rd(const char *k, const char *d, unsigned off, unsigned sz)
{ printf("%s %s 0x%x %u\n", k, d, off, sz); return STUB_READ; }
#define CXL_CFG_READ(d, o, s) rd("cfg-read", d, (unsigned)(o), s)
#define CXL_MMIO_READ(d, o, s) rd("mmio-read", d, (unsigned)(o), s)
#define CXL_CFG_WRITE(d, o, s, v) printf("cfg-write %s 0x%x %u 0x%" PRIx64 "\n", d, (unsigned)(o), s, (uint64_t)(v))
#define CXL_MMIO_WRITE(d, o, s, v) printf("mmio-write %s 0x%x %u 0x%" PRIx64 "\n", d, (unsigned)(o), s, (uint64_t)(v))
#define CXL_RESET(d, k) printf("reset %s %s\n", d, k)
#define CXL_INJECT(d, k, b) printf("inject %s %s %u\n", d, k, (unsigned)(b))
#define CXL_EXPECT(op, d, got, want) printf("expect %d %s 0x%" PRIx64 "\n", (int)(op), d, (uint64_t)(want))
#define X(n, m) printf("device %s %s\n", n, m);
"""
MAIN = r"""
int main(void) { CXL_EXPORT_DEVICES(X) return cxl_export_run(); }
"""

# Every op kind, two devices (the second with its own profile and a view), recorded and
# unrecorded reads, an 8-byte mmio access, a mark and an "@FILE:LINE" source. The log each
# op must give is written next to it: it is the trace op in the macros' words.
ALL = """cxl-trace: 1
description: "export c: every op kind"
profile: cxl-3.1
devices:
  ep0: {model: qemu72-type3}
  ep1: {model: type2-accel, profile: qemu-7.2, view: comp-regs-v2}
ops:
  - [cfg-read,   ep0, 0x10c, 2, 0x0002]
  - [cfg-write,  ep0, 0x10c, 2, 0x0006]
  - [cfg-read,   ep0, 0x10c, 2, ~]
  - [mark, "between"]
  - [mmio-read,  ep0, 0x1080, 4, 0x00000010]
  - [mmio-write, ep0, 0x1080, 4, 0x00000010]
  - [mmio-read,  ep0, 0x1110, 8, 0x123456789abcdef0, "@guest.c:42"]
  - [reset,      ep0, flr]
  - [inject,     ep0, ras-correctable, 3]
  - [cfg-read,   ep1, 0x0, 1, 0x86]
  - [mmio-write, ep1, 0x130, 4, 0x00000300, vmm]
  - [reset,      ep1, hot]
"""
ALL_LOG = [
    "device ep0 qemu72-type3", "device ep1 type2-accel",
    "cfg-read ep0 0x10c 2", "expect 0 ep0 0x2",
    "cfg-write ep0 0x10c 2 0x6",
    "cfg-read ep0 0x10c 2",
    "mmio-read ep0 0x1080 4", "expect 4 ep0 0x10",
    "mmio-write ep0 0x1080 4 0x10",
    "mmio-read ep0 0x1110 8", "expect 6 ep0 0x123456789abcdef0",
    "reset ep0 flr",
    "inject ep0 ras-correctable 3",
    "cfg-read ep1 0x0 1", "expect 9 ep1 0x86",
    "mmio-write ep1 0x130 4 0x300",
    "reset ep1 hot",
]

# Only config accesses: the mmio, reset and inject accessors are not required.
CFG_ONLY = """cxl-trace: 1
devices:
  d: {model: qemu72-type3}
ops:
  - [cfg-read, d, 0x0, 4, 0x0d938086]
  - [cfg-write, d, 0x4, 2, 0x0006]
"""

# One recorded read, for the default (assert) CXL_EXPECT.
ONE_READ = """cxl-trace: 1
description: 'a */ b ??= c \\ d ???'
devices:
  ep0: {model: qemu72-type3}
ops:
  - [cfg-read, ep0, 0x0, 2, 0x8086]
"""

tmp = tempfile.mkdtemp(prefix="cxlemu-export-c-")


def write(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def compile_run(c_file, defines="", main=MAIN, extra=()):
    """Compiles LOGGING + @defines + the export + @main; (cc status, cc stderr, run status, stdout)."""
    src = os.path.join(tmp, "main.c")
    exe = os.path.join(tmp, "main")
    with open(src, "w") as f:
        f.write(defines + "\n#include \"%s\"\n" % c_file + main)
    p = subprocess.run(CC + ["-std=c99", "-Wall", "-Wextra", "-Werror", "-Wtrigraphs"] + list(extra) +
                       ["-o", exe, src], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode:
        return p.returncode, p.stderr.decode("utf-8", "replace"), None, ""
    r = subprocess.run([exe], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return 0, "", r.returncode, r.stdout.decode()


try:
    # 1. every op kind
    all_yaml = write("all.yaml", ALL)
    out_c = os.path.join(tmp, "all.h")
    rc, out, err = run([CXLEMU, "export", "--to", "c", "all.yaml", "-o", out_c], cwd=tmp)
    check("export --to c of a trace with every op kind: exit 0, nothing on stdout or stderr",
          rc == 0 and out == "" and err == "" and os.path.exists(out_c), (rc, out, err))
    text = open(out_c).read() if os.path.exists(out_c) else ""
    ccrc, ccerr, xrc, log = compile_run(out_c, LOGGING)
    check("it compiles with -std=c99 -Wall -Wextra -Werror against logging accessors",
          ccrc == 0, ccerr[:2000])
    check("run: every op in trace order through its accessor; recorded reads checked with their "
          "op index and recorded value; the ~ read performed, not checked; marks perform nothing",
          xrc == 0 and log.splitlines() == ALL_LOG, "\n".join(log.splitlines()))
    check("the head: 12 ops, 4 reads checked against the recorded values",
          "its 12 ops as C" in text and "; 4 reads are checked" in text, text[:600])
    check("the head names the trace, its description and each device's model and profile "
          "(the trace's, else its own) and view",
          text.startswith("/*\n * all.yaml (\"export c: every op kind\"):") and
          " *   ep0: qemu72-type3, cxl-3.1\n" in text and
          " *   ep1: type2-accel, qemu-7.2, view comp-regs-v2\n" in text, text[:1500])
    req = re.findall(r'#error "define (CXL_[A-Z_]+)\(', text)
    check("every accessor the trace uses is required by an #error",
          sorted(req) == sorted(["CXL_CFG_READ", "CXL_CFG_WRITE", "CXL_MMIO_READ", "CXL_MMIO_WRITE",
                                 "CXL_RESET", "CXL_INJECT"]), req)
    # comments: the op's place (trace:line or its "@" source), the op, the register
    # (spec/structures/dvsec-cxl-device.yaml: DVSEC 0 at 0x100 in qemu72-type3, Control at +0xc;
    # ras.yaml: Uncorrectable Error Status at the RAS capability's start, 0x1080)
    check("op comments: 'op N (TRACE:LINE): OP: REGISTER' with the spec's register names",
          "/* op 0 (all.yaml:8): cfg-read ep0 0x10c 2: DVSEC CXL Control */" in text and
          "/* op 1 (all.yaml:9): cfg-write ep0 0x10c 2 0x6: DVSEC CXL Control */" in text and
          "/* op 4 (all.yaml:12): mmio-read ep0 0x1080 4: RAS Uncorrectable Error Status */" in text,
          "\n".join(l for l in text.splitlines() if "/* op" in l))
    check("op comments: a mark's text, an '@' source instead of the line, reset, inject, vmm",
          "/* op 3 (all.yaml:11): mark: between */" in text and
          "/* op 6 (guest.c:42): mmio-read ep0 0x1110 8" in text and
          "/* op 7 (all.yaml:15): reset ep0 flr */" in text and
          "/* op 8 (all.yaml:16): inject ep0 ras-correctable 3" in text and
          "/* op 10 (all.yaml:18): mmio-write ep1 0x130 4 0x300 vmm" in text,
          "\n".join(l for l in text.splitlines() if "/* op" in l))
    check("CXL_EXPORT_DEVICES lists the devices in trace order",
          '#define CXL_EXPORT_DEVICES(X) \\\n\tX("ep0", "qemu72-type3") \\\n\tX("ep1", "type2-accel")\n' in text,
          text[:2500])

    # 5. deterministic; "-o -"
    rc2, out2, err2 = run([CXLEMU, "export", "--to", "c", "all.yaml"], cwd=tmp)
    rc3, out3, _ = run([CXLEMU, "export", "--to", "c", "-o", "-", "all.yaml"], cwd=tmp)
    check("deterministic: standard output (default and -o -) is the bytes of -o FILE",
          rc2 == 0 and rc3 == 0 and out2 == text and out3 == text, (rc2, err2))
    rc4, out4, _ = run([CXLEMU, "export", "--to", "c", "-"], cwd=tmp, stdin=ALL.encode())
    check("'-' reads the trace from standard input; the comments name it <stdin>",
          rc4 == 0 and "/* op 0 (<stdin>:8): cfg-read ep0 0x10c 2" in out4, out4[:300])

    # 2. only the accessors used are required; a missing one is an #error naming it
    cfg_c = os.path.join(tmp, "cfg.h")
    rc, out, err = run([CXLEMU, "export", "--to", "c", write("cfg.yaml", CFG_ONLY), "-o", cfg_c])
    ctext = open(cfg_c).read() if rc == 0 else ""
    only_cfg = "\n".join(l for l in LOGGING.splitlines()
                         if not re.match(r"#define CXL_(MMIO|RESET|INJECT)", l))
    ccrc, ccerr, xrc, log = compile_run(cfg_c, only_cfg)
    check("a config-only trace compiles without the mmio, reset and inject accessors",
          rc == 0 and ccrc == 0 and xrc == 0 and log.splitlines() == [
              "device d qemu72-type3", "cfg-read d 0x0 4", "expect 0 d 0xd938086",
              "cfg-write d 0x4 2 0x6"] and "#error \"define CXL_MMIO" not in ctext,
          (ccerr[:800], log))
    for name in ("CXL_CFG_READ", "CXL_MMIO_WRITE", "CXL_RESET", "CXL_INJECT"):
        defs = "\n".join(l for l in LOGGING.splitlines() if not l.startswith("#define %s(" % name))
        ccrc, ccerr, _, _ = compile_run(out_c, defs)
        check("without %s the export does not compile: an #error naming it" % name,
              ccrc != 0 and re.search(r"#error.*define %s\(" % name, ccerr), ccerr[:600])

    # 3. the default CXL_EXPECT: assert
    one_c = os.path.join(tmp, "one.h")
    write("one.yaml", ONE_READ)
    rc, out, err = run([CXLEMU, "export", "--to", "c", "one.yaml", "-o", one_c], cwd=tmp)
    otext = open(one_c).read() if rc == 0 else ""
    nolog = "\n".join(l for l in LOGGING.splitlines() if not l.startswith("#define CXL_EXPECT"))
    ok_main = "\nint main(void) { return cxl_export_run(); }\n"
    ccrc, ccerr, xrc, _ = compile_run(one_c, "#define STUB_READ 0x8086\n" + nolog, ok_main)
    check("default CXL_EXPECT: a read giving the recorded value passes (exit 0)",
          rc == 0 and ccrc == 0 and xrc == 0, (err, ccerr[:600], xrc))
    ccrc, ccerr, xrc, _ = compile_run(one_c, "#define STUB_READ 0x8087\n" + nolog, ok_main)
    check("default CXL_EXPECT: a read giving another value fails the assert (SIGABRT)",
          ccrc == 0 and xrc == -6, (ccerr[:600], xrc))
    ccrc, ccerr, xrc, _ = compile_run(one_c, "#define STUB_READ 0x8087\n#define NDEBUG\n" + nolog, ok_main)
    check("... and is assert(): NDEBUG turns it off", ccrc == 0 and xrc == 0, (ccerr[:600], xrc))

    # 4. comment-safe text: 'a */ b ??= c \ d ???' -> 'a ./ b ?.= c . d ?.?'
    check("a description with '*/', '??=' and '\\' stays in the comment: 'a ./ b ?.= c . d ?.?'",
          otext.startswith("/*\n * one.yaml (\"a ./ b ?.= c . d ?.?\"):") and "*/" not in
          otext.split("\n */\n")[0][2:], otext[:300])

    # 6. bad input: exit 2, one file:line:col line, nothing on stdout, no output file
    BAD = [
        ("a malformed header: the misspelt key 'device'",
         "cxl-trace: 1\ndevice:\n  d: {model: qemu72-type3}\nops: []\n", 2, 1, "unknown"),
        ("an error after ops were read: an unknown device in op 3",
         "cxl-trace: 1\ndevices:\n  d: {model: qemu72-type3}\nops:\n"
         "  - [cfg-read, d, 0x0, 4, 0x0d938086]\n  - [cfg-write, d, 0x4, 2, 0x6]\n"
         "  - [cfg-read, e, 0x0, 4, ~]\n", 7, 16, "unknown device 'e'"),
        ("a read value that does not fit its size",
         "cxl-trace: 1\ndevices:\n  d: {model: qemu72-type3}\nops:\n"
         "  - [cfg-read, d, 0x0, 2, 0x12345]\n", 5, 27, "0x12345 does not fit in 2 bytes"),
    ]
    for what, body, line, col, sub in BAD:
        bad = write("bad.yaml", body)
        dst = os.path.join(tmp, "bad.h")
        rc, out, err = run([CXLEMU, "export", "--to", "c", "bad.yaml", "-o", dst], cwd=tmp)
        lines = err.strip().splitlines()
        check("bad input, %s: exit 2, one 'bad.yaml:%d:%d: error:' line, no output file" % (what, line, col),
              rc == 2 and out == "" and len(lines) == 1 and
              lines[0].startswith("bad.yaml:%d:%d: error: " % (line, col)) and sub in lines[0] and
              not os.path.exists(dst), (rc, out[:200], err))
        rc, out, err = run([CXLEMU, "export", "--to", "c", "bad.yaml"], cwd=tmp)
        check("... and to standard output: nothing written", rc == 2 and out == "", (rc, out[:200]))
    rc, out, err = run([CXLEMU, "export", "--to", "c", os.path.join(tmp, "missing.yaml")])
    check("a missing trace: exit 2, one line naming it", rc == 2 and out == "" and
          len(err.strip().splitlines()) == 1 and "missing.yaml" in err, (rc, err))
    for args, want in ((["export", "all.yaml"], "--to is required"),
                       (["export", "--to", "pascal", "all.yaml"], "pascal"),
                       (["export", "--to", "c"], "give one TRACE"),
                       (["export", "--to", "c", "all.yaml", "all.yaml"], "give one TRACE")):
        rc, out, err = run([CXLEMU] + args, cwd=tmp)
        check("usage: cxlemu %s -> exit 2, one line" % " ".join(args),
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and want in err and
              err.startswith("cxlemu export: "), (rc, err))
finally:
    shutil.rmtree(tmp)

finish()
