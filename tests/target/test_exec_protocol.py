#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The exec target protocol message by message (TAP; meson suite 'target'), against a scripted
target (tests/target/proto-target.py) that answers each request as the test says.

The requests and answers are the protocol of traces/README.md ("exec targets") and of
emu/target/target_exec.c's header: what cxlemu must send for each device option and op, how it
must take each answer (a decimal or 0x-hex VALUE, a leading 0 decimal, REFUSED with or without
a value, SKIP, names after a reset's OK, CR LF line ends), and which answers end the run: FAIL,
ERR, anything else, a value that is no number or does not fit the read, a target that exits,
is killed, closes its output or its input. Every failure is exit 2, one line naming the
request. The model target (target.c) runs each device under the trace's profile unless
model:PROFILE says otherwise (CXL r3.1 §8.1.3.6: with CONFIG_LOCK set a write to DVSEC
Control is discarded under cxl-3.1; QEMU 7.2 ignores the lock), and skips injections its
model has nowhere to put (a host bridge has no PCIe DVSEC for CXL Devices, so no Status2 or
Viral_Status; the RAS status registers are 32 bits wide).

usage: test_exec_protocol.py CXLEMU SOURCE_ROOT
"""
import os
import shutil
import subprocess
import sys
import tempfile

CXLEMU, SRC = os.path.abspath(sys.argv[1]), sys.argv[2]
PY = sys.executable
PROTO = os.path.join(SRC, "tests/target/proto-target.py")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)


def run(args, timeout=60):
    p = subprocess.run([CXLEMU] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def enc(rule):
    """A rule as one word of the exec command (proto-target.py decodes '+' and %XX)."""
    return rule.replace("%", "%25").replace("+", "%2B").replace(" ", "+")


def target(*rules, log=None):
    return "exec:%s %s%s %s" % (PY, PROTO, " --log " + log if log else "", " ".join(enc(r) for r in rules))


def ops(recording):
    return [l.strip() for l in recording.splitlines() if l.startswith("  - [")]


tmp = tempfile.mkdtemp(prefix="cxlemu-proto-")
TRACE = os.path.join(tmp, "t.yaml")
with open(TRACE, "w") as f:
    f.write("""cxl-trace: 1
profile: cxl-3.1
devices:
  ep0: {model: qemu72-type3, hdm-decoders: 2}
  acc0:
    model: type2-accel
    view: comp-regs-v2
    fw-committed: {base: 0x200000000, size: 0x40000000}
    host:
      config-lock: true
      mem-enable: true
      decoders:
        - {decoder: 1, base: 0x480000000, size: 0x40000000, committed: true, locked: true}
ops:
  - [mark, "not sent"]
  - [cfg-read, ep0, 0x10c, 2, 0x0002]
  - [cfg-write, ep0, 0x10c, 2, 0x0006]
  - [mmio-read, acc0, 0x130, 4, ~, vmm]
  - [mmio-write, acc0, 0x120, 4, 0x10000000, vmm]
  - [reset, ep0, hot]
  - [inject, ep0, ras-correctable, 3]
  - [cfg-read, acc0, 0x0, 2]
""")
try:
    # 1. what cxlemu sends, exactly; how it takes a decimal value and a reset's other names
    log = os.path.join(tmp, "requests.log")
    rc, out, err = run(["record", "--target", target("cfg-read ep0=>OK 12", "cfg-read acc0=>OK 012",
                                                     "reset=>OK acc0 nosuch", log=log), TRACE])
    sent = open(log).read().splitlines() if os.path.exists(log) else []
    check("requests: hello 1, each device with its options as the protocol spells them, start, "
          "each op (marks not sent, vmm flagged)",
          rc == 0 and sent[:11] == [
              "hello 1",
              "device ep0 qemu72-type3 hdm-decoders=2",
              "device acc0 type2-accel fw-committed=0x200000000,0x40000000 "
              "host-decoder=1,0x480000000,0x40000000,committed,locked config-lock mem-enable view=comp-regs-v2",
              "start",
              "cfg-read ep0 0x10c 2",
              "cfg-write ep0 0x10c 2 0x6",
              "mmio-read acc0 0x130 4 vmm",
              "mmio-write acc0 0x120 4 0x10000000 vmm",
              "reset ep0 hot",
              "inject ep0 ras-correctable 3",
              "cfg-read acc0 0x0 2"], "\n".join(sent) + "\n" + err)
    got = ops(out)
    check("answers: 'OK 12' is decimal 12, 'OK 012' decimal too (not octal)",
          "- [cfg-read, ep0, 0x10c, 2, 0xc]" in got and "- [cfg-read, acc0, 0x0, 2, 0xc]" in got, got)
    check("a reset's 'OK NAME...': the other trace device it hit is recorded reset too, an unknown "
          "name ignored", got[5:7] == ["- [reset, ep0, hot]", "- [reset, acc0, hot]"] and len(got) == 9, got)
    check("the hello text goes into the provenance", "# hello: proto-target 1\n" in out, out[:400])

    # 2. REFUSED, SKIP, CR LF
    rc, out, err = run(["record", "--target", target("cfg-read ep0=>REFUSED 0xffff", "cfg-write=>REFUSED",
                                                     "cfg-read acc0=>REFUSED", "hello=>@crlf:OK crlf hello"),
                        TRACE])
    got = ops(out)
    check("REFUSED VALUE to a read, REFUSED to a write: recorded as failed accesses; a read "
          "REFUSED without a value has none; CR LF answers are lines",
          rc == 0 and "- [cfg-read, ep0, 0x10c, 2, 0xffff, failed]" in got and
          "- [cfg-write, ep0, 0x10c, 2, 0x6, failed]" in got and
          "- [cfg-read, acc0, 0x0, 2, ~, failed]" in got and "# hello: crlf hello\n" in out, (rc, got, err))
    rc, out, err = run(["record", "--target", target("device acc0=>SKIP no accelerators here",
                                                     "inject=>SKIP cannot inject"), TRACE])
    got = ops(out)
    check("SKIP to a device: each of its ops is skipped with that reason; SKIP to an op: that op",
          rc == 0 and got[3:5] == [
              '- [mark, "skipped on exec: mmio-read acc0 0x130 4: no accelerators here"]',
              '- [mark, "skipped on exec: mmio-write acc0 0x120 4: no accelerators here"]'] and
          '- [mark, "skipped on exec: inject ep0 ras-correctable 3: cannot inject"]' in got and
          got[-1] == '- [mark, "skipped on exec: cfg-read acc0 0x0 2: no accelerators here"]', (rc, got, err))

    # 3. answers that end the run: exit 2, one line naming the request, nothing on stdout
    DEV0 = "device ep0 qemu72-type3 hdm-decoders=2"
    BAD = [
        ("FAIL to hello", ["hello=>FAIL nope"], "exec target failed 'hello 1': nope"),
        ("garbage to hello", ["hello=>HI"], "exec target answered 'HI' to 'hello 1' (want OK, SKIP, FAIL or ERR)"),
        ("garbage to a device", ["device ep0=>WHAT"],
         "exec target answered 'WHAT' to '%s' (want OK, SKIP, FAIL or ERR)" % DEV0),
        ("ERR to start", ["start=>ERR later"], "exec target failed 'start': later"),
        ("'OKAY' is not OK", ["start=>OKAY"], "exec target answered 'OKAY' to 'start'"),
        ("exits at hello", ["hello=>@exit:5"], "exec target exited with status 5 (after 'hello 1')"),
        ("is killed at a device", ["device ep0=>@kill"],
         "exec target was killed by signal 9 (after '%s')" % DEV0),
        ("closes its output at start", ["start=>@close"], "exec target closed its output (after 'start')"),
        ("closes its input after hello", ["hello=>@closein:OK"],
         "exec target closed its output (after '%s')" % DEV0),
        ("writes stderr (a control byte shown as '?') and exits", ["start=>@stderr:bad\\x01thing"],
         "exec target exited with status 4: bad?thing (after 'start')"),
    ]
    for v in ("-1", "+1", "0x", "12abc", "0x10000", "18446744073709551616"):
        BAD.append(("a read value '%s' (no number, or not fitting 2 bytes)" % v, ["cfg-read=>OK " + v],
                    "exec target answered 'OK %s' to 'cfg-read ep0 0x10c 2' (want OK VALUE or REFUSED "
                    "VALUE that fits 2 bytes)" % v))
    for what, rules, want in BAD:
        rc, out, err = run(["record", "--target", target(*rules), TRACE])
        lines = err.strip().splitlines()
        check("a target that answers %s: exit 2, one line" % what,
              rc == 2 and out == "" and len(lines) == 1 and want in lines[0], (rc, out[:200], err))

    # 4. the model target: the trace's own profiles, or the one named; injections it cannot do
    M = os.path.join(tmp, "m.yaml")
    with open(M, "w") as f:
        f.write("cxl-trace: 1\ndevices:\n  hb0: {model: qemu72-hb}\n  ep0: {model: qemu72-type3, profile: qemu-7.2}\n"
                "ops:\n  - [inject, hb0, status2, 3]\n  - [inject, hb0, viral, 0]\n"
                "  - [inject, ep0, ras-uncorrectable, 40]\n  - [mark, \"lock, then write Control\"]\n"
                "  - [cfg-write, ep0, 0x114, 2, 0x0001]\n  - [cfg-write, ep0, 0x10c, 2, 0x0006]\n"
                "  - [cfg-read, ep0, 0x10c, 2]\n")
    rc, out, err = run(["record", "--target", "model", M])
    got = ops(out)
    check("model target: a device's own profile (qemu-7.2 ignores CONFIG_LOCK: Control takes 0x6)",
          rc == 0 and got[-1] == "- [cfg-read, ep0, 0x10c, 2, 0x6]" and "profile: cxl-3.1" in out, (rc, got, err))
    check("model target: what its model cannot hold is skipped with the reason",
          got[:3] == [
              '- [mark, "skipped on model: inject hb0 status2 3: the model of qemu72-hb cannot inject status2 bit 3"]',
              '- [mark, "skipped on model: inject hb0 viral 0: the model of qemu72-hb cannot inject viral bit 0"]',
              '- [mark, "skipped on model: inject ep0 ras-uncorrectable 40: the model of qemu72-type3 cannot '
              'inject ras-uncorrectable bit 40"]'], got)
    rc, out, err = run(["record", "--target", "model:cxl-3.1", M])
    check("model:cxl-3.1 overrides it: the locked write is discarded, Control stays 0x0002 (§8.1.3.6)",
          rc == 0 and ops(out)[-1] == "- [cfg-read, ep0, 0x10c, 2, 0x2]" and "profile: cxl-3.1" in out,
          (rc, ops(out), err))
    rc, out, err = run(["record", "--target", "exec:" + "x" * 1100, M])
    check("a target spec longer than the target keeps: a usage error", rc == 2 and out == "" and
          err.startswith("cxlemu record: ") and "is too long" in err and len(err.strip().splitlines()) == 1, err)
finally:
    shutil.rmtree(tmp)

finish()
