#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Topology in traces (topology:, parent:, port:) and the topo.* replay rules (TAP for meson).

1. Bad topology: stderr is exactly `FILE:LINE:COL: error: MESSAGE`, exit 2, nothing on stdout,
   the position counted by hand from the text written here, with "did you mean"; the same from
   the YAML fast path and from libyaml alone (CXLEMU_YAML_SLOW=1).
2. Round trip: a trace with a topology written by `convert` reads back as the same trace, and
   YAML -> .cxlt -> YAML gives the same text.
3. Rules: each traces/conformance/topo-*.yaml scenario reports exactly the (op, rule) pairs its
   expect: list gives (written from the spec), and without its topology the same ops report no
   topo.* event (a trace without topology behaves as before).
4. The recorded Linux 6.1 guests (traces/real/2ep-interleave.yaml, switch.yaml) with their QEMU
   command line's topology added (provenance files: rp0/rp1 port=0/1 under pxb-cxl cxl.1;
   cxl-downstream port=0/1 under the upstream port) still pass: the interleave rules run on a
   correct 2-way region and find nothing; a wrong port number makes topo.target-position fire.

usage: test_topology_rules.py CXLEMU SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

CXLEMU, SRC = (os.path.abspath(a) for a in sys.argv[1:3])
results = []


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def run(args, env=None, cwd=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


BASE = """cxl-trace: 1
topology:
  windows:
    - {name: w0, base: 0x80000000000, size: 0x4000000000, targets: [hb0]}
  nodes:
    hb0: {kind: host-bridge}
    rp0: {kind: root-port, parent: hb0, port: 0}
devices:
  ep0: {model: qemu72-type3, parent: rp0}
ops:
  - [cfg-read, ep0, 0x0, 2]
"""

# (what it proves, text substitution (old, new) on BASE, line, the offending token, message):
# the column is where that token starts on that line of the text written (1-based)
BAD = [
    ("unknown parent -> nearest name, at the parent value",
     ("parent: rp0}", "parent: rp1}"), 9, "rp1}", "unknown parent 'rp1' of 'ep0' (did you mean 'rp0'?)"),
    ("unknown window target -> nearest name, at the target",
     ("targets: [hb0]", "targets: [hb1]"), 4, "hb1]", "unknown window target 'hb1' (did you mean 'hb0'?)"),
    ("a window target that is not a host bridge",
     ("targets: [hb0]", "targets: [rp0]"), 4, "rp0]",
     "window target 'rp0' is not a host bridge (a node of another kind): a window targets host bridges"),
    ("unknown node kind -> nearest kind",
     ("{kind: host-bridge}", "{kind: host-brige}"), 6, "host-brige", "unknown node kind 'host-brige' (did you mean 'host-bridge'?)"),
    ("unknown window key -> nearest key",
     ("size: 0x4000000000", "sise: 0x4000000000"), 4, "sise", "unknown key 'sise' in a window (did you mean 'size'?)"),
    ("unknown topology key -> nearest key",
     ("  nodes:", "  node:"), 5, "node:", "unknown key 'node' in topology (did you mean 'nodes'?)"),
    ("window size not a multiple of 256 MiB (CXL r3.1 §9.18.1.3)",
     ("size: 0x4000000000", "size: 0x4000000001"), 4, "0x4000000001",
     "window size 0x4000000001 is not a non-zero multiple of 256 MiB"),
    ("granularity not a CFMWS granularity",
     ("size: 0x4000000000,", "size: 0x4000000000, granularity: 300,"), 4, "300",
     "granularity 300 is not one of 256, 512, 1024, 2048, 4096, 8192, 16384"),
    ("a parent cycle, at the parent that closes it",
     ("rp0: {kind: root-port, parent: hb0, port: 0}", "rp0: {kind: root-port, parent: ep0, port: 0}"),
     9, "rp0}", "parent cycle: ep0 -> rp0 -> ep0"),
    ("port without parent",
     ("{model: qemu72-type3, parent: rp0}", "{model: qemu72-type3, port: 3}"), 9, "3}", 
     "port of device 'ep0' without a parent (a port is a place in its parent's target lists)"),
    ("port out of range",
     ("parent: hb0, port: 0}", "parent: hb0, port: 256}"), 7, "256", "port 256 is out of range 0..255"),
    ("a host-bridge node with a parent",
     ("hb0: {kind: host-bridge}", "hb0: {kind: host-bridge, parent: rp0}"), 6, "rp0}", 
     "host bridge 'hb0' has a parent (a host bridge is a root of the topology)"),
    ("a name that is both a node and a device, at the later one",
     ("  ep0: {model", "  rp0: {model"), 9, "rp0: {model", "'rp0' is both a device and a topology node (one namespace)"),
    ("unknown device key parent misspelt -> nearest key",
     ("parent: rp0}", "paren: rp0}"), 9, "paren", "unknown key 'paren' in device 'ep0' (did you mean 'parent'?)"),
]

with tempfile.TemporaryDirectory() as tmp:
    ok_path = os.path.join(tmp, "ok.yaml")
    with open(ok_path, "w") as f:
        f.write(BASE)
    rc, out, err = run([CXLEMU, "replay", "--quiet", ok_path])
    check("the base topology trace reads and replays", rc == 0, err)
    for what, (old, new), line, token, msg in BAD:
        assert BASE.count(old) == 1, old
        text = BASE.replace(old, new)
        col = text.splitlines()[line - 1].index(token) + 1
        p = os.path.join(tmp, "bad.yaml")
        with open(p, "w") as f:
            f.write(text)
        want = "%s:%d:%d: error: %s\n" % (p, line, col, msg)
        for env, how in (({}, "fast path"), ({"CXLEMU_YAML_SLOW": "1"}, "libyaml")):
            rc, out, err = run([CXLEMU, "replay", p], env=env)
            check("%s (%s)" % (what, how), rc == 2 and out == "" and err == want,
                  "rc=%d out=%r\nerr =%r\nwant=%r" % (rc, out[:200], err, want))

    # 2. round trip
    src = os.path.join(SRC, "traces", "conformance", "topo-seed000-fixed.yaml")
    y1, b1, y2 = (os.path.join(tmp, n) for n in ("a.yaml", "a.cxlt", "b.yaml"))
    rc1 = run([CXLEMU, "convert", src, "-o", y1])[0]
    rc2 = run([CXLEMU, "convert", y1, "-o", b1])[0]
    rc3 = run([CXLEMU, "convert", b1, "-o", y2])[0]
    t1, t2 = open(y1).read(), open(y2).read()
    check("YAML -> .cxlt -> YAML keeps the topology exactly", rc1 == rc2 == rc3 == 0 and t1 == t2
          and "topology:" in t1 and t1.count("targets: [cxl.") == 4 and t1.count("parent: cxl.") == 4,
          t1[:800] + "\n---\n" + t2[:800])
    rc, out, err = run([CXLEMU, "convert", y1, "-o", "-"])
    check("YAML -> YAML is stable", rc == 0 and out == t1, err)
    for form in (y1, b1):
        rc, out, err = run([CXLEMU, "replay", "--quiet", form])
        check("the converted trace still passes: " + os.path.basename(form), rc == 0, out + err)

    # 3. the rules, both ways
    conf = os.path.join(SRC, "traces", "conformance")
    for name in sorted(os.listdir(conf)):
        if not name.startswith("topo-"):
            continue
        path = os.path.join(conf, name)
        text = open(path).read()
        rc, out, err = run([CXLEMU, "replay", "--quiet", path])
        check("%s: exactly its expected events" % name, rc == 0, out + err)
        expected = re.findall(r"\{op: (\d+), rule: (topo\.[a-z-]+)", text)
        rc, out, err = run([CXLEMU, "replay", "--format", "json", path])
        seen = set(re.findall(r'"op": (\d+), [^\n]*?"rule": "(topo\.[a-z-]+)"', out))
        check("%s: the topo.* events are those expect: names" % name,
              seen == set(expected) or (not expected and not seen), "seen %r want %r" % (seen, expected))
        # without any topology the same ops report nothing of topo.*
        stripped = re.sub(r"(?m)^topology:\n(  .*\n)*", "", text)
        stripped = re.sub(r", parent: [A-Za-z0-9_.-]+", "", stripped)
        stripped = re.sub(r"(?ms)^expect:.*", "", stripped) + "expect: []\n"
        p = os.path.join(tmp, "plain-" + name)
        with open(p, "w") as f:
            f.write(stripped)
        rc, out, err = run([CXLEMU, "replay", "--format", "json", p])
        check("%s without topology: no event at all (as before)" % name, rc == 0 and "topo." not in out,
              out[:600] + err)

    # 4. the recorded guests with their topology
    real = os.path.join(SRC, "traces", "real")

    def with_parents(name, subs):
        text = open(os.path.join(real, name)).read()
        # the importer now writes a topology of its own: start from the trace without it
        text = re.sub(r"(?m)^topology:\n(  .*\n)*", "", text)
        text = re.sub(r", parent: [A-Za-z0-9_.-]+(, port: [0-9]+)?", "", text)
        for old, new in subs:
            assert text.count(old) == 1, (name, old)
            text = text.replace(old, new)
        text = text.replace('source: "', 'source: "%s/' % real, 1)
        return text

    TWO = [("  rp0: {model: qemu72-root-port}", "  rp0: {model: qemu72-root-port, parent: hb0, port: 0}"),
           ("  rp1: {model: qemu72-root-port}", "  rp1: {model: qemu72-root-port, parent: hb0, port: 1}"),
           ("  ep0: {model: qemu72-type3}", "  ep0: {model: qemu72-type3, parent: rp0}"),
           ("  ep1: {model: qemu72-type3}", "  ep1: {model: qemu72-type3, parent: rp1}")]
    SW = [("devices:\n", "topology:\n  nodes:\n    cxl.1: {kind: host-bridge}\ndevices:\n"),
          ("  rp0: {model: qemu72-root-port}", "  rp0: {model: qemu72-root-port, parent: cxl.1, port: 0}"),
          ("  usp0: {model: qemu72-usp}", "  usp0: {model: qemu72-usp, parent: rp0}"),
          ("  dsp0: {model: qemu72-dsp}", "  dsp0: {model: qemu72-dsp, parent: usp0, port: 0}"),
          ("  dsp1: {model: qemu72-dsp}", "  dsp1: {model: qemu72-dsp, parent: usp0, port: 1}"),
          ("  ep0: {model: qemu72-type3}", "  ep0: {model: qemu72-type3, parent: dsp0}"),
          ("  ep1: {model: qemu72-type3}", "  ep1: {model: qemu72-type3, parent: dsp1}")]
    for name, subs, bad_old, bad_new in (
            ("2ep-interleave.yaml", TWO, "parent: hb0, port: 1}", "parent: hb0, port: 2}"),
            ("switch.yaml", SW, "parent: usp0, port: 1}", "parent: usp0, port: 3}")):
        p = os.path.join(tmp, name)
        with open(p, "w") as f:
            f.write(with_parents(name, subs))
        rc, out, err = run([CXLEMU, "replay", "--quiet", p])
        check("%s with its topology still passes (the 2-way region is correct)" % name, rc == 0, out + err)
        rc, out, err = run([CXLEMU, "replay", p])
        check("%s with its topology: no topo.* event" % name, "[topo." not in out, out[-800:])
        with open(p, "w") as f:
            f.write(with_parents(name, subs).replace(bad_old, bad_new))
        rc, out, err = run([CXLEMU, "replay", p])
        check("%s with a port missing from the Target List: topo.target-position" % name,
              rc == 1 and "[topo.target-position]" in out and
              "seen but not expected" in out, out[-800:])

print("1..%d" % len(results))
for i, (ok, name, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail:
        for line in detail.splitlines():
            print("# " + line)
sys.exit(0)
