#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile and unusual inputs seen from the command line (TAP output for meson): binary traces
(.cxlt) that break the format one way each, text the HTML page (cxlemu show) must escape,
fuzz-ops and piped inputs to cxlemu import, and error positions in a YAML trace read from a
pipe past the reader's window. Each case names the exit status, the one located error line
(FILE:LINE:COL: error: TEXT) or the output it must produce. (The importers' malformed
records: tests/import/test_malformed.c.)

Expected positions and texts come from the documented formats: the binary trace layout in
emu/trace/binary.c's header comment (an error names byte offset OFFSET as FILE:1:OFFSET+1;
magic, u32 header length + header text, 48-byte op records + source + text, an end record of
kind 0xff, u32 expect length + expect text), the record layout in emu/trace/trace_priv.h
(source length at bytes 40-41, text length at 42-43, line at 24-31), and the source rule of
the YAML form (cxlemu/trace.h: "@FILE:LINE", LINE a decimal from 1, one line).

usage: test_inputs.py CXLEMU SOURCE_ROOT
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

CXLEMU, SRC = (os.path.abspath(a) for a in sys.argv[1:3])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)


def run(args, stdin=None, cwd=None):
    p = subprocess.run(args, cwd=cwd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def one_error(rc, out, err, path, where, sub):
    """Exit 2, nothing on stdout, one line 'PATH:WHERE... error: ...SUB...'."""
    lines = err.strip().splitlines()
    return (rc == 2 and out == "" and len(lines) == 1 and lines[0].startswith(path + ":" + where) and
            "error:" in lines[0] and sub in lines[0])


tmp = tempfile.mkdtemp(prefix="cxlemu-inputs-")
try:
    # ---- 1. binary traces (.cxlt) -------------------------------------------------------
    yt = os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")   # 3 expect entries
    src_b = os.path.join(tmp, "good.cxlt")
    rc, _, err = run([CXLEMU, "convert", yt, "-o", src_b])
    check("convert to binary", rc == 0, err)
    gb = open(src_b, "rb").read()
    hlen = struct.unpack_from("<I", gb, 8)[0]
    ops_at = 12 + hlen                          # the first op record
    rec = bytes(gb[ops_at:ops_at + 48])
    sl0 = rec[40] | rec[41] << 8
    tl0 = rec[42] | rec[43] << 8
    after1 = ops_at + 48 + sl0 + tl0            # the second op record
    end = gb.rfind(b"\xff" + b"\x00" * 47)      # the end record
    exp_at = end + 48                           # the expect section's u32 length
    check("the good binary trace has an expect section",
          struct.unpack_from("<I", gb, exp_at)[0] > 0 and len(gb) > exp_at + 4)

    def first_op(src, text=b"", patch=None):
        """The good trace with the first op's source and text replaced (and bytes patched)."""
        r = bytearray(rec)
        r[40], r[41] = len(src) & 0xff, len(src) >> 8
        r[42], r[43] = len(text) & 0xff, len(text) >> 8
        for k, v in (patch or {}).items():
            r[k] = v
        return gb[:ops_at] + bytes(r) + src + text + gb[after1:]

    def with_expect(text, declared=None):
        n = len(text) if declared is None else declared
        return gb[:exp_at] + struct.pack("<I", n) + text

    def replay_bytes(data, name="bad.cxlt"):
        p = os.path.join(tmp, name)
        with open(p, "wb") as f:
            f.write(data)
        return (p,) + run([CXLEMU, "replay", p])

    col1 = "1:%d:" % (ops_at + 1)
    cases = [
        # the file ends inside the first op's source bytes
        ("the file ends inside an op's source", gb[:ops_at] + rec[:40] + b"\x05\x00\x00\x00" + rec[44:] + b"ab",
         col1, "truncated: the file ends inside an op"),
        ("a NUL in an op's source", first_op(b"a\x00b:1"), col1, "holds a NUL"),
        ("a text on an op that is not a mark", first_op(b"", b"x"), col1, "not a mark has a text"),
        ("a source ':1' (no file)", first_op(b":1"), col1, "FILE:LINE"),
        ("a source 'f:' (no line)", first_op(b"f:"), col1, "FILE:LINE"),
        ("a source 'f:0' (lines count from 1)", first_op(b"f:0"), col1, "FILE:LINE"),
        ("a source 'f:1x' (not decimal)", first_op(b"f:1x"), col1, "FILE:LINE"),
        ("a source 'f:1/' (not decimal)", first_op(b"f:1/"), col1, "FILE:LINE"),
        ("a source ending in a cut UTF-8 lead byte", first_op(b"f:1\xc2"), col1, "FILE:LINE"),
        ("a source ending in a cut 3-byte sequence", first_op(b"f:1\xe2\x80"), col1, "FILE:LINE"),
        ("a source of 20 digits", first_op(b"f:" + b"1" * 20), col1, "FILE:LINE"),
        ("a source with DEL", first_op(b"f\x7f:1"), col1, "FILE:LINE"),
        ("a source with NEL (U+0085)", first_op(b"f\xc2\x85g:1"), col1, "FILE:LINE"),
        ("a source with LS (U+2028)", first_op(b"f\xe2\x80\xa8g:1"), col1, "FILE:LINE"),
        ("a source with PS (U+2029)", first_op(b"f\xe2\x80\xa9g:1"), col1, "FILE:LINE"),
        # 500 bytes that are not UTF-8 are written as \xNN (4 bytes each): past 510
        ("a source that grows past 510 bytes when written", first_op(b"\xff" * 200 + b":1"), col1, "510"),
        ("the file ends before the expect list", gb[:exp_at], "1:%d:" % (exp_at + 1),
         "before the expect list"),
        ("the file ends inside the expect text", with_expect(b"- {op", 100), "1:%d:" % (exp_at + 1),
         "inside a text section"),
        ("an expect length past 16 MiB", with_expect(b"", (16 << 20) + 1), "1:%d:" % (exp_at + 1), "16 MiB"),
        # the error is on line 2 of the expect text: its byte offset is that line's first byte
        ("an expect entry past the last op (line 2)",
         with_expect(b"- {op: 0, rule: field.rwl-locked}\n- {op: 9999, rule: field.rwl-locked}\n"),
         "1:%d:" % (exp_at + 4 + len(b"- {op: 0, rule: field.rwl-locked}\n") + 1), "line 2: expect op 9999 is past the last op"),
        ("an expect entry with no rule", with_expect(b"- {op: 0}\n"), "1:%d:" % (exp_at + 4 + 1),
         "line 1: expect entry has no 'rule'"),
    ]
    for name, data, where, sub in cases:
        p, rc, out, err = replay_bytes(data)
        check("bad binary trace (%s) -> exit 2, one line at %s" % (name, where),
              one_error(rc, out, err, p, where, sub), (rc, err))
    # near misses of the one-line rule are sources the YAML form holds: read, replayed as before
    rc0, out0, _ = run([CXLEMU, "replay", "--quiet", src_b])
    for name, src in (("0xc2 not before 0x85", b"f\xc3\xa9:1"), ("0xe2 0x80 not before 0xa8/0xa9",
                                                                    b"f\xe2\x80\x94:1"),
                      ("19 digits", b"f:" + b"9" * 19), ("a colon in the file name", b"a:b:12")):
        p, rc, out, err = replay_bytes(first_op(src), "near.cxlt")
        rq = run([CXLEMU, "replay", "--quiet", p])
        check("binary source %s is read (replay = the original's)" % name,
              rc == rc0 and err == "" and rq[0] == rc0 and rq[1].replace(p, "T") == out0.replace(src_b, "T"),
              (rc, err[:300]))
    # an empty expect text (length 0) is a trace without expect: it replays with no expect check
    p, rc, out, err = replay_bytes(with_expect(b""), "noexp.cxlt")
    rc2, out2, err2 = run([CXLEMU, "convert", p])
    check("binary trace with a 0-length expect section converts to YAML without expect:",
          rc2 == 0 and "expect:" not in out2 and "ops:" in out2, (rc2, err2))
    # standard input: a binary trace is told by its magic from the first bytes of a pipe
    with open(src_b, "rb") as f:
        r = run([CXLEMU, "replay", "--quiet", "-"], stdin=f)
    check("replay - (a binary trace on a pipe) = replay of the file", r[0] == rc0 and r[2] == "",
          (r[0], r[2][:300]))
    short = os.path.join(tmp, "short.cxlt")
    with open(short, "wb") as f:
        f.write(b"CXLT\x01")
    with open(short, "rb") as f:
        rc, out, err = run([CXLEMU, "replay", "-"], stdin=f)
    check("replay - of 'CXLT' and one byte -> exit 2, one line at 1:1: no CXLT magic",
          rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and ":1:1: error: " in err and
          "no CXLT magic" in err, (rc, err))
    # writing: a full disk is an error, not a half file reported as written
    if os.path.exists("/dev/full"):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([CXLEMU, "convert", "--to", "binary", yt, "-o", "-"], stdout=full,
                               stderr=subprocess.PIPE)
        check("convert --to binary onto /dev/full -> exit 2, an error", p.returncode == 2 and
              b"error" in p.stderr, (p.returncode, p.stderr[:300]))
    # ---- 2. the HTML page (cxlemu show): text from the trace, escaped -------------------
    # The page title is HTML-escaped (& < > " as entities); the data is one JSON blob in a
    # <script> element (emu/report/html_buf.c: JSON escaping, RFC 8259 section 7, that is
    # also safe inside <script>: no raw < > &, U+2028/U+2029 escaped, and a byte that is not
    # UTF-8 becomes U+FFFD). Read back with Python's json, every text is the trace's own.
    def page_data(page):
        s = open(page, encoding="utf-8").read()
        m = re.search(r'<script type="application/json" id="cxlemu-data">(.*?)</script>', s, re.S)
        t = re.search(r"<title>(.*?)</title>", s, re.S)
        return s, (m.group(1) if m else ""), (t.group(1) if t else None)

    def strings(v):
        if isinstance(v, str):
            yield v
        elif isinstance(v, list):
            for x in v:
                yield from strings(x)
        elif isinstance(v, dict):
            for x in v.values():
                yield from strings(x)

    odd = os.path.join(tmp, 'a&b<c>"d.yaml')
    with open(odd, "w", encoding="utf-8") as f:
        f.write('cxl-trace: 1\ndescription: "tags <b>&amp; \\"q\\" back\\\\slash"\n'
                "topology:\n  windows:\n    - {name: w0, base: 0x0, size: 0x10000000, targets: [hb]}\n"
                "  nodes:\n    hb: {kind: host-bridge}\n"
                "devices:\n  ep0: {model: qemu72-type3, parent: hb}\n"
                "ops:\n  - [cfg-write, ep0, 0x10c, 2, 0x6, vmm]\n  - [cfg-read, ep0, 0x10c, 2, 0x6, failed]\n"
                '  - [mark, "x<y>&z"]\n  - [reset, ep0, flr]\n  - [inject, ep0, ras-uncorrectable, 4]\n')
    page = os.path.join(tmp, "p.html")
    rc, out, err = run([CXLEMU, "show", odd, "-o", page])
    check("show of a trace with markup in its name, description and marks", rc == 0, (rc, err))
    if rc == 0:
        s, blob, title = page_data(page)
        data = json.loads(blob) if blob else {}
        texts = set(strings(data))
        check("the page title is the HTML-escaped trace name",
              title == odd.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
              .replace('"', "&quot;"), title)
        check("the JSON blob has no raw < > & (safe in <script>) and parses",
              blob and not re.search(r"[<>&]", blob) and data.get("format") == "cxlemu-html", blob[:200])
        check("texts read back exactly: description, mark, trace name",
              {'tags <b>&amp; "q" back\\slash', "x<y>&z", odd} <= texts, sorted(texts)[:20])
        # op descriptions as html_collect.c's op_describe() documents them
        check("resets and injections are listed per device as 'reset flr', 'inject ras-uncorrectable 4'",
              {"reset flr", "inject ras-uncorrectable 4"} <= texts, sorted(texts)[:30])
        run0 = data["runs"][0] if data.get("runs") else {}
        check("the window of topology: is on the page (name, placed, base, size, granularity, targets)",
              run0.get("windows") == [{"name": "w0", "placed": True, "base": "0x0", "size": "0x10000000",
                                       "gran": 256, "targets": ["hb"]}], run0.get("windows"))
    # a mark whose text holds bytes no YAML file can (the binary form keeps them): invalid
    # UTF-8, a control byte, DEL and U+2028 are escaped in the JSON
    mrec = bytearray(48)
    mrec[0] = 6                                   # mark (spec/vocabulary.yaml op order)
    mrec[24] = 1                                  # line 1
    # html_buf.c's utf8_len(): a sequence that is not valid UTF-8 (a stray continuation, an
    # overlong form, a surrogate, past U+10FFFF, cut short) is one U+FFFD per byte
    text = (b"a\xffb\xe2\x80\xa8c\x01d\x7fe\xc3\xa9" + b"\xf0\x9f\x98\x80" + b"\xc0\xaf" +
            b"\xed\xa0\x80" + b"\xf4\x90\x80\x80" + b"\xe2\x80\xa9" + b'"\\\n' + b"\xe2\x80")
    want = ("a\ufffdb\u2028c\x01d\x7fe\u00e9" + "\U0001f600" + "\ufffd" * 2 + "\ufffd" * 3 +
            "\ufffd" * 4 + "\u2029" + '"\\\n' + "\ufffd" * 2)
    mrec[42] = len(text)
    mk = os.path.join(tmp, "mark.cxlt")
    with open(mk, "wb") as f:
        f.write(gb[:ops_at] + bytes(mrec) + text + gb[ops_at:])
    rc, out, err = run([CXLEMU, "show", mk, "-o", page])
    check("show of a binary trace with raw bytes in a mark", rc == 0, (rc, err))
    if rc == 0:
        s, blob, title = page_data(page)
        data = json.loads(blob) if blob else {}
        marks = data["runs"][0]["marks"] if data.get("runs") else []
        check("mark bytes: not UTF-8 -> U+FFFD, U+2028 / control / DEL as \\u escapes, UTF-8 kept",
              marks[:1] == [[0, want]] and "\\u2028" in blob and "\\u2029" in blob and
              "\\u0001" in blob and "\\u007f" in blob and "\\ufffd" in blob, (marks[:1], blob[-300:]))
    # ---- 3. import: fuzz-ops findings and inputs on standard input ----------------------
    # cxlemu import --help: fuzz-ops is one binary input (at most CXL_FUZZOPS_INPUT_MAX =
    # 1 MiB, cxlemu/fuzzops.h) that names its own topology and personality; "-" is standard
    # input, which is read once.
    fz = os.path.join(SRC, "tools/fuzz/corpus/fuzz_ops/dvsec-config-lock.bin")
    rc, out_f, err = run([CXLEMU, "import", "--from", "fuzz-ops", fz])
    check("import --from fuzz-ops FILE -> a trace whose preamble names the file",
          rc == 0 and out_f.startswith("# Imported by `cxlemu import --from fuzz-ops` from dvsec-config-lock.bin:")
          and "\ncxl-trace: 1\n" in out_f, (rc, err, out_f[:200]))
    yf = os.path.join(tmp, "fz.yaml")
    with open(yf, "w") as f:
        f.write(out_f)
    rc, _, err = run([CXLEMU, "replay", "--quiet", yf])
    check("the imported fuzz-ops trace replays (exit 0 or 1)", rc in (0, 1), (rc, err))
    with open(fz, "rb") as f:
        rc, out_s, err = run([CXLEMU, "import", "--from", "fuzz-ops", "-"], stdin=f)
    check("import --from fuzz-ops - (standard input) = the file's trace, named <stdin>",
          rc == 0 and out_s.replace("<stdin>", "dvsec-config-lock.bin") == out_f, (rc, err))
    big = os.path.join(tmp, "big.bin")
    with open(big, "wb") as f:
        f.write(b"\0" * ((1 << 20) + 1))
    for name, args, where, sub in (
            ("two inputs", [fz, fz], None, "fuzz-ops imports one file"),
            ("--profile", ["--profile", "cxl-3.1", fz], None, "no --device, --expect or --profile"),
            ("a missing file", [os.path.join(tmp, "none.bin")], os.path.join(tmp, "none.bin") + ":",
             "cannot open"),
            ("1 MiB + 1 byte", [big], big + ":1:1:", "a fuzz-ops input is at most 1048576 bytes")):
        rc, out, err = run([CXLEMU, "import", "--from", "fuzz-ops"] + args)
        lines = err.strip().splitlines()
        check("import --from fuzz-ops, %s -> exit 2, one line" % name,
              rc == 2 and out == "" and len(lines) == 1 and sub in lines[0] and
              (where is None or lines[0].startswith(where)), (rc, err))
    # qtest is read twice (identities first): a pipe is copied aside, the trace is the same
    qt = os.path.join(SRC, "tests/import/data/qemu72-bringup.qtest.log")
    rc, out_f, err = run([CXLEMU, "import", "--from", "qtest", qt])
    with open(qt, "rb") as f:
        rc2, out_s, err2 = run([CXLEMU, "import", "--from", "qtest", "-"], stdin=f)
    ops_f = [l for l in out_f.splitlines() if l.startswith("  - [")]
    ops_s = [l for l in out_s.splitlines() if l.startswith("  - [")]
    check("import --from qtest - (a pipe, read twice) = import of the file (ops)",
          rc == 0 and rc2 == 0 and ops_f and ops_f == ops_s, (rc, rc2, err2))
    for name, args, sub in (("two '-' inputs", ["-", "-"], "standard input ('-') is given twice"),
                            ("--expect - and input -", ["--expect", "-", "-"],
                             "--expect and input 1 are both '-'")):
        rc, out, err = run([CXLEMU, "import", "--from", "qtest"] + args, stdin=subprocess.DEVNULL)
        check("import %s -> exit 2, one line" % name,
              rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and sub in err, (rc, err))
    # --expect FILE (cxlemu import --help): a bare sequence of {op, rule, why}, or a mapping
    # whose expect: holds one (the other keys, nested or not, are skipped); "-" is standard input
    exp_t = os.path.join(tmp, "exp-trace.yaml")
    with open(exp_t, "w") as f:
        f.write("cxl-trace: 1\ndescription: d\ndevices:\n  ep0: {model: qemu72-type3, host: "
                "{decoders: [{decoder: 0, base: 0x0, size: 0x10000000}]}}\n"
                "ops: [[cfg-read, ep0, 0x0, 4], [mark, \"m\"]]\n"
                "expect:\n  - {op: 0, rule: field.rwl-locked, why: from a trace}\n")
    rc, out, err = run([CXLEMU, "import", "--from", "qtest", "--expect", exp_t, qt])
    check("import --expect TRACE.yaml: the trace's expect: entry is appended",
          rc == 0 and re.search(r"\nexpect:\n  - \{op: 0, rule: field.rwl-locked, why: \"?from a trace", out),
          (rc, err, out[-300:]))
    with open(os.path.join(tmp, "seq.yaml"), "w") as f:
        f.write("- {op: 1, rule: field.rwl-locked}\n")
    with open(os.path.join(tmp, "seq.yaml"), "rb") as f:
        rc, out, err = run([CXLEMU, "import", "--from", "qtest", "--expect", "-", qt], stdin=f)
    check("import --expect - (a sequence on standard input): the entry is appended",
          rc == 0 and "\nexpect:\n  - {op: 1, rule: field.rwl-locked" in out, (rc, err, out[-300:]))
    scal = os.path.join(tmp, "scalar.yaml")
    with open(scal, "w") as f:
        f.write("5\n")
    rc, out, err = run([CXLEMU, "import", "--from", "qtest", "--expect", scal, qt])
    check("import --expect of a scalar -> exit 2 at 1:1: not a sequence or a mapping with expect:",
          one_error(rc, out, err, scal, "1:1:", "an expect file is a sequence of {op, rule, why} or a "
                    "mapping with expect:"), (rc, err))
    # ---- 4. YAML from a pipe, past the reader's window ----------------------------------
    # A stream is not read twice: the position of an error is counted in the bytes kept of
    # it. A trace of ~370 KB whose last line holds a byte that is not UTF-8 fails at that
    # byte's line and column (columns count characters: UTF-8 é is one) from a pipe as from
    # the file, with LF and with CRLF line ends (one line break each, YAML 1.2 §5.4).
    head = "cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n"
    body = "".join("  - [cfg-read, ep0, 0x10c, 2]  # op %d caf\u00e9\n" % i for i in range(8000))
    last = "  - [cfg-read, ep0, 0x10c, 2]  # \u00e9x"
    want_line = (head + body).count("\n") + 1
    want_col = len(last) + 1
    for eol in ("\n", "\r\n"):
        data = (head + body).replace("\n", eol).encode() + last.encode() + b"\xff" + eol.encode()
        big = os.path.join(tmp, "big.yaml")
        with open(big, "wb") as f:
            f.write(data)
        where = "%d:%d: error: " % (want_line, want_col)
        sub = "0xff at byte offset %d" % data.index(b"\xff")
        rc, out, err = run([CXLEMU, "replay", big])
        p = subprocess.Popen(["cat", big], stdout=subprocess.PIPE)
        rc2, out2, err2 = run([CXLEMU, "replay", "-"], stdin=p.stdout)
        p.wait()
        name = "LF" if eol == "\n" else "CRLF"
        check("a %d-byte %s trace with a bad byte on its last line: file -> %s" % (len(data), name, where),
              rc == 2 and err.startswith(big + ":" + where) and sub in err, (rc, err))
        check("... the same from a pipe (<stdin>:%s)" % where,
              rc2 == 2 and err2.startswith("<stdin>:" + where) and sub in err2, (rc2, err2))
finally:
    shutil.rmtree(tmp)

finish()
