#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`cxlemu topo` on the command lines test_topo.py does not cover (TAP output for meson): every
reader error at its exact file:line:col, the usage errors that ask for --fmw-base, --machine or
--phys-bits, the window start of each machine and -m form, the remaining refusals (no host
bridge, no window among several or none, cxl-fmws-base), device naming, the shell quoting
rules, JSON escapes, and --emit-trace of switches and of empty layouts.

Where the expected values come from:
- window starts: hw/i386/pc.c and hw/arm/virt.c as emu/topo/qemu_cmdline.c's header and
  the reference note qemu-cfmws-placement.md cite them: q35 starts at ROUND_UP(end of RAM
  above 4 GiB + 1 MiB, 256 MiB), RAM below 4 GiB ending at 0x80000000 when there is at least
  0xb0000000 of it, else at 0xb0000000 (so -m 2G ends at 4 GiB: start 0x110000000; -m 4G ends
  at 6 GiB: 0x190000000); virt starts at twice highmem-mmio-size (default 512 GiB: 1 TiB);
  the bound is 2^phys-bits - 1 (q35) or 2^pa-bits (virt); -m without a suffix is MiB (QEMU's
  legacy -m form);
- value rules: QEMU's (window sizes in 256 MiB units, ids per id_wellformed(), port 0..255),
  CXL r3.1 §9.18.1.3 (interleave granularity 256 B .. 16 KiB, ways 1, 2, 3, 4, 6, 8, 12, 16);
- messages: the documented wording (cmd_topo.c's help, the function contracts); the line:col
  of each error is the offending token's position in the input, found here with str.index on
  the text the test wrote (never read back from the tool);
- seed 003: setup_locked_hdm() programs the cxl-fmws-base property when set; Base Low keeps
  address bits 31:28, so an unaligned base cannot be programmed;
- the POSIX shell word rules (XCU 2.2 Quoting) for the splitter.

usage: test_topo_inputs.py CXLEMU SOURCE_ROOT
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

CXLEMU, SRC = (os.path.abspath(a) for a in sys.argv[1:3])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, finish  # noqa: E402  (tests/tap.py)


def run(args, stdin=None, cwd=None):
    p = subprocess.run([CXLEMU] + args, input=stdin if stdin is not None else b"", cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def pos(text, needle, nth=0, off=0):
    """(line, col), 1-based, of the @nth occurrence of @needle in @text, plus @off bytes."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    i += off
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def device_lines(out):
    return [l for l in out.splitlines() if l.startswith("device ")]


tmp = tempfile.mkdtemp(prefix="cxlemu-topo-in-")


def put(name, text, mode="w"):
    path = os.path.join(tmp, name)
    with open(path, mode) as f:
        f.write(text)
    return path


def topo(text, opts=(), name="t.cmdline"):
    """cxlemu topo @opts on @text written to @name (run in the temp dir)."""
    put(name, text)
    return run(["topo"] + list(opts) + [name], cwd=tmp)


W0 = "cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G"
HEAD = "-machine q35,cxl=on," + W0 + "\n"
PXB = "-device pxb-cxl,bus_nr=12,id=cxl.1\n"
RP = "-device cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=0\n"
GPU = "-device vfio-pci,host=0000:3b:00.0,bus=rp0,id=gpu0\n"
GOOD = HEAD + PXB + RP + GPU
LONG = "a" * 64   # one more than QEMU's ids and this tool's names take (63)

try:
    # 1. reader errors: exit 2, exactly one 'file:line:col: error: MESSAGE' line, nothing on stdout.
    #    (text, (needle, nth, offset) of the offending byte, message)
    E = []

    def bad(what, text, at, msg):
        E.append((what, text, at, msg))

    # the shell splitter
    bad("an unterminated double quote -> at the quote", HEAD + PXB + '-device "vfio-pci,id=x\n',
        ('"', 0, 0), "unterminated double quote")
    bad("a NUL byte between words", HEAD + PXB + "\0\n", ("\0", 0, 0), "a NUL byte: not a command line (text)")
    bad("a NUL byte inside a word", HEAD + PXB + "-dev\0ice x\n", ("\0", 0, 0),
        "a NUL byte: not a command line (text)")
    bad("a NUL byte inside quotes", HEAD + PXB + "-device 'a\0b'\n", ("\0", 0, 0),
        "a NUL byte: not a command line (text)")
    # -machine
    bad("cxl= neither on nor off", "-machine q35,cxl=maybe\n", ("maybe", 0, 0),
        "bad value 'maybe' for cxl (on or off)")
    bad("a window index that is no number", "-machine q35,cxl=on,cxl-fmw.x.size=4G\n", ("cxl-fmw.x", 0, 0),
        "bad window index in 'cxl-fmw.x.size' (cxl-fmw.N.size, cxl-fmw.N.targets.M, "
        "cxl-fmw.N.interleave-granularity)")
    bad("a window index with a leading zero", "-machine q35,cxl=on,cxl-fmw.01.size=4G\n",
        ("cxl-fmw.01", 0, 0), "bad window index in 'cxl-fmw.01.size'")
    bad("a window index past the 16 windows", "-machine q35,cxl=on,cxl-fmw.16.size=4G\n",
        ("cxl-fmw.16", 0, 0), "window cxl-fmw.16: at most 16 windows (cxl-fmw.0 .. cxl-fmw.15)")
    bad("a window key without a value -> just after the key",
        "-machine q35,cxl=on,cxl-fmw.0.size,cxl-fmw.0.targets.0=cxl.1\n" + PXB,
        ("cxl-fmw.0.size", 0, len("cxl-fmw.0.size")), "'cxl-fmw.0.size' needs a value")
    bad("a bad interleave granularity size", HEAD[:-1] + ",cxl-fmw.0.interleave-granularity=4X\n" + PXB,
        ("4X", 0, 0), "bad size '4X' for cxl-fmw.0.interleave-granularity")
    for g in ("32k", "128", "384"):
        bad("interleave granularity %s (CXL r3.1 §9.18.1.3: 256 B .. 16 KiB, a power of 2)" % g,
            HEAD[:-1] + ",cxl-fmw.0.interleave-granularity=%s\n" % g + PXB, ("granularity=", 0, 12),
            "cxl-fmw.0.interleave-granularity %s is not an interleave granularity (256, 512, 1k, "
            "2k, 4k, 8k or 16k bytes, CXL r3.1 §9.18.1.3)" % g)
    bad("a target index with a leading zero", "-machine q35,cxl=on,cxl-fmw.0.targets.01=cxl.1\n",
        ("cxl-fmw.0.targets.01", 0, 0), "bad target index in 'cxl-fmw.0.targets.01'")
    bad("a target index past 16 targets", "-machine q35,cxl=on,cxl-fmw.0.targets.16=cxl.1\n",
        ("cxl-fmw.0.targets.16", 0, 0), "cxl-fmw.0.targets.16: a window has at most 16 targets")
    for v in ("1bad", "cxl!1", LONG):
        bad("a target that is no QEMU id (%s...)" % v[:8], "-machine q35,cxl=on,cxl-fmw.0.targets.0=%s\n" % v,
            (v, 0, 0), "cxl-fmw.0.targets.0: '%s' is not a device id (a letter, then letters, "
            "digits, '-', '.', '_')" % v)
    bad("an unknown window property far from any", "-machine q35,cxl=on,cxl-fmw.0.foo=1\n",
        ("cxl-fmw.0.foo", 0, 0), "unknown window property 'cxl-fmw.0.foo' (expected cxl-fmw.N.size, "
        "cxl-fmw.N.targets.M or cxl-fmw.N.interleave-granularity)")
    bad("'target' for 'targets': did you mean names the first target",
        "-machine q35,cxl=on,cxl-fmw.0.target=cxl.1\n", ("cxl-fmw.0.target", 0, 0),
        "unknown window property 'cxl-fmw.0.target' (did you mean 'cxl-fmw.0.targets.0'?)")
    V = "-machine virt,cxl=on," + W0
    bad("highmem-mmio-size without a value -> at the key", V + ",highmem-mmio-size\n" + PXB,
        ("highmem-mmio-size", 0, 0), "bad size '' for highmem-mmio-size")
    bad("a bad highmem-mmio-size", V + ",highmem-mmio-size=4Q\n" + PXB, ("4Q", 0, 0),
        "bad size '4Q' for highmem-mmio-size")
    for s in ("768G", "256G"):
        bad("highmem-mmio-size %s (virt: a power of 2 of at least 512 GiB)" % s,
            V + ",highmem-mmio-size=%s\n" % s + PXB, ("size=" + s, 0, 5),
            "highmem-mmio-size %s is not a power of 2 of at least 512G" % s)
    bad("highmem= neither on nor off", V + ",highmem=maybe\n" + PXB, ("maybe", 0, 0),
        "bad value 'maybe' for highmem (on or off)")
    # -m, -cpu
    bad("a bad -m size", HEAD + "-m 8X\n" + PXB, ("8X", 0, 0), "bad size '8X' for -m size")
    bad("-m in MiB past 2^64 bytes", HEAD + "-m 99999999999999999\n" + PXB, ("9999", 0, 0),
        "bad size '99999999999999999' for -m size")
    bad("-m maxmem= empty -> just after the '='", HEAD + "-m 1G,maxmem=\n" + PXB, ("maxmem=", 0, 7),
        "bad size '' for -m maxmem")
    bad("-cpu phys-bits below 32", HEAD + "-cpu max,phys-bits=30\n" + PXB, ("30", 0, 0),
        "bad phys-bits '30' (32..64)")
    bad("-cpu phys-bits without a value -> at the key", HEAD + "-cpu max,phys-bits\n" + PXB,
        ("phys-bits", 0, 0), "bad phys-bits '' (32..64)")
    bad("-cpu phys-bits=0x (no digits)", HEAD + "-cpu max,phys-bits=0x\n" + PXB, ("0x", 0, 0),
        "bad phys-bits '0x' (32..64)")
    bad("'-cpu' as the last word", HEAD + PXB + "-cpu\n", ("-cpu", 0, 0), "'-cpu' needs an argument")
    # -device and device_add
    bad("-device in JSON form -> at its '{'", HEAD + PXB + "-device '{\"driver\":\"vfio-pci\"}'\n",
        ("{", 0, 0), "-device in JSON form is not read (write DRIVER,KEY=VALUE,...)")
    bad("device_add at the end -> just after it", HEAD + PXB + "device_add\n",
        ("device_add", 0, len("device_add")),
        "device_add without a driver (device_add DRIVER,KEY=VALUE,...)")
    bad("device_add with its driver on the next line", HEAD + PXB + "device_add\n-m 1G\n",
        ("device_add", 0, len("device_add")),
        "device_add without a driver (device_add DRIVER,KEY=VALUE,...)")
    bad("an error in a device_add's properties", HEAD + PXB + "device_add vfio-pci,id=9x\n",
        ("9x", 0, 0), "bad id '9x' (a letter, then letters, digits, '-', '.', '_'; at most 63)")
    bad("an empty -device word ('') -> just after it", HEAD + PXB + "-device ''\n",
        ("''", 0, 2), "-device without a driver (-device DRIVER,KEY=VALUE,...)")
    for v in ("1x", "a b", LONG):
        bad("an id QEMU refuses (%r)" % v[:8], HEAD + PXB + "-device vfio-pci,bus=cxl.1,id='%s'\n" % v,
            ("id=", 1, 4), "bad id '%s' (a letter, then letters, digits, '-', '.', '_'; at most 63)" % v)
    bad("a bus name of 64 characters", HEAD + PXB + "-device vfio-pci,bus=%s\n" % LONG, (LONG, 0, 0),
        "bus name too long")
    bad("an unknown bus with no name near it", HEAD + PXB + "-device vfio-pci,bus=nowhere-at-all\n",
        ("nowhere", 0, 0),
        "unknown bus 'nowhere-at-all' (no earlier -device has that id, and it is not pcie.0)")
    bad("pxb-cxl without an id -> at the driver", HEAD + "-device pxb-cxl,bus_nr=12\n",
        ("pxb-cxl", 0, 0), "pxb-cxl without an id (windows name their host bridges by id)")
    bad("pxb-cxl below another device -> at the bus", HEAD + PXB + "-device pxb-cxl,bus_nr=13,bus=cxl.1,id=cxl.2\n",
        ("bus=cxl.1", 0, 4), "pxb-cxl 'cxl.2' on bus 'cxl.1': a CXL host bridge sits on the root bus pcie.0")
    bad("a port past 255", HEAD + PXB + "-device cxl-rp,bus=cxl.1,port=256,id=rp0\n", ("256", 0, 0),
        "bad number '256' for port (0..255)")
    bad("a bus_nr that is no hex number", HEAD + "-device pxb-cxl,bus_nr=0x1g,id=cxl.1\n",
        ("0x1g", 0, 0), "bad number '0x1g' for bus_nr (0..255)")
    bad("an octal number with an 8", HEAD + "-device pxb-cxl,bus_nr=018,id=cxl.1\n", ("018", 0, 0),
        "bad number '018' for bus_nr (0..255)")
    bad("a cxl-fmws-base that is no number (no range in the message)",
        HEAD + PXB + RP + "-device vfio-pci,bus=rp0,cxl-fmws-base=xyz\n", ("xyz", 0, 0),
        "bad number 'xyz' for cxl-fmws-base")
    bad("a 257th device", HEAD + PXB + "-device virtio-rng-pci\n" * 255 + "-device e1000,id=last\n",
        ("e1000", 0, 0), "more than 256 devices")
    # windows
    bad("a target index gap -> at the target after the gap",
        "-machine q35,cxl=on,cxl-fmw.0.targets.1=cxl.1,cxl-fmw.0.size=4G\n" + PXB, ("cxl.1", 0, 0),
        "cxl-fmw.0.targets.1 is given but cxl-fmw.0.targets.0 is not: targets are numbered from 0 "
        "without gaps")
    bad("a window without targets -> at its first key", "-machine q35,cxl=on,cxl-fmw.0.size=4G\n" + PXB,
        ("cxl-fmw.0", 0, 0), "window cxl-fmw.0 has no targets (cxl-fmw.0.targets.0=HOST-BRIDGE-ID)")
    bad("a window without a size -> at its first key", "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1\n" + PXB,
        ("cxl-fmw.0", 0, 0), "window cxl-fmw.0 has no size (cxl-fmw.0.size=SIZE)")
    five = ",".join("cxl-fmw.0.targets.%d=cxl.%d" % (k, k + 1) for k in range(5))
    bad("five targets: not an interleave ways count (CXL r3.1 §9.18.1.3)",
        "-machine q35,cxl=on,%s,cxl-fmw.0.size=5G\n" % five + PXB, ("cxl-fmw.0", 0, 0),
        "window cxl-fmw.0 has 5 targets: not an interleave ways count (1, 2, 3, 4, 6, 8, 12 or 16, "
        "CXL r3.1 §9.18.1.3)")
    bad("a target that is a root port, not a pxb-cxl",
        "-machine q35,cxl=on,cxl-fmw.0.targets.0=rootport0,cxl-fmw.0.size=4G\n"
        "-device pxb-cxl,bus_nr=12,id=hostbridge\n-device cxl-rp,bus=hostbridge,id=rootport0\n",
        ("rootport0", 0, 0), "cxl-fmw.0.targets.0: no pxb-cxl host bridge 'rootport0' (that id is not a pxb-cxl)")
    bad("a target when there is no pxb-cxl at all",
        "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G\n", ("cxl.1", 0, 0),
        "cxl-fmw.0.targets.0: no pxb-cxl host bridge 'cxl.1'")
    bad("pxb-cxl with cxl=off given", "-machine q35,cxl=off\n" + PXB, ("pxb-cxl", 0, 0),
        "pxb-cxl 'cxl.1' needs -machine cxl=on (it is off)")

    for what, text, (needle, nth, off), msg in E:
        line, col = pos(text, needle, nth, off)
        rc, out, err = topo(text, name="bad.cmdline")
        want = "bad.cmdline:%d:%d: error: %s\n" % (line, col, msg)
        check("malformed: %s" % what, rc == 2 and out == "" and err == want,
              "rc=%d out=%r\nerr =%r\nwant=%r" % (rc, out[:200], err[:400], want))

    # files that cannot be read
    rc, out, err = run(["topo", os.path.join(tmp, "missing.cmdline")])
    check("a missing file: exit 2, 'cannot open' with the reason", rc == 2 and out == "" and
          err == "%s: error: cannot open: No such file or directory\n" % os.path.join(tmp, "missing.cmdline"), err)
    sub = os.path.join(tmp, "adir")
    os.mkdir(sub)
    rc, out, err = run(["topo", sub])
    check("a directory: exit 2, a read error", rc == 2 and out == "" and err == "%s: error: read error\n" % sub, err)
    big = put("big.cmdline", "#" * (16 << 20) + "\n")
    rc, out, err = run(["topo", big])
    check("a file over 16 MiB is refused, not read whole", rc == 2 and out == "" and
          err == "%s: error: larger than 16 MiB: not a command line\n" % big, err)
    os.unlink(big)

    # 2. usage errors: what cannot be computed asks for an option; the option then gives it
    U = [
        ("a machine neither q35 nor virt", "-machine pc,cxl=on," + W0 + "\n" + PXB + RP + GPU, [],
         "cxlemu topo: t.cmdline: machine 'pc' is neither q35 nor virt: give --machine q35 or virt\n"),
        ("no machine type", "-machine cxl=on," + W0 + "\n" + PXB + RP + GPU, [],
         "cxlemu topo: t.cmdline: the command line names no machine type (-machine TYPE): give "
         "--machine q35 or virt\n"),
        ("-cpu host-phys-bits=on", GOOD + "-cpu host,host-phys-bits=on\n", [],
         "cxlemu topo: t.cmdline: -cpu host-phys-bits=on: the host's address width decides which "
         "windows fit; give --phys-bits N\n"),
        ("an unaligned --fmw-base", GOOD, ["--fmw-base", "0x290000001"],
         "cxlemu topo: --fmw-base 0x290000001 is not 256 MiB aligned\n"),
        ("virt highmem=off", "-machine virt,cxl=on,highmem=off," + W0 + "\n" + PXB + RP + GPU, [],
         "cxlemu topo: t.cmdline: highmem=off changes the virt highmem layout, which this tool does "
         "not compute: give --fmw-base ADDR\n"),
        ("virt highmem-ecam=off", "-machine virt,cxl=on,highmem-ecam=no," + W0 + "\n" + PXB + RP + GPU, [],
         "cxlemu topo: t.cmdline: highmem-ecam=off changes the virt highmem layout, which this tool "
         "does not compute: give --fmw-base ADDR\n"),
        ("virt with 256 GiB of RAM (it ends at 257 GiB)",
         "-machine virt,cxl=on," + W0 + "\n-m 256G\n" + PXB + RP + GPU, [],
         "cxlemu topo: t.cmdline: virt RAM ends above 256 GiB, where this tool stops computing the "
         "highmem layout: give --fmw-base ADDR\n"),
        ("virt highmem-mmio-size 256T: [256T, 512T) does not fit 48 bits",
         "-machine virt,cxl=on,highmem-mmio-size=256T," + W0 + "\n" + PXB + RP + GPU, [],
         "cxlemu topo: t.cmdline: the virt high PCIe MMIO region does not fit 48 address bits, which "
         "changes the layout: give --fmw-base ADDR or --phys-bits N\n"),
        ("--dpa-size naming no device when there is none", HEAD + PXB, ["--dpa-size", "gpu0=1G"],
         "cxlemu topo: --dpa-size gpu0: no vfio-pci device has that id or host address\n"),
    ]
    for what, text, opts, want in U:
        rc, out, err = topo(text, opts)
        check("usage: %s -> exit 2, the option to give" % what, rc == 2 and out == "" and err == want,
              "rc=%d out=%r\nerr =%r\nwant=%r" % (rc, out[:200], err, want))

    # 3. window starts (hw/i386/pc.c, hw/arm/virt.c; see the top comment)
    def first_line(text, opts=()):
        rc, out, err = topo(text, opts)
        return rc, (out.splitlines() or [""])[0], out, err

    Q = [
        ("q35 -m 2048 (MiB, the legacy form): RAM below 4 GiB only, start 4 GiB + 1 MiB -> 0x110000000",
         "-m 2048\n", [], "machine q35: windows from 0x110000000 (q35 -m 2 GiB: RAM above 4 GiB ends at "
         "0x100000000; + 1 MiB CXL host registers, rounded up to 256 MiB), below 2^40 (40 physical address bits)"),
        ("q35 without -m: QEMU's default 128 MiB", "", [], "machine q35: windows from 0x110000000 (q35 -m "
         "128 MiB: RAM above 4 GiB ends at 0x100000000; + 1 MiB CXL host registers, rounded up to 256 "
         "MiB), below 2^40 (40 physical address bits)"),
        ("q35 -m size=4G: 2 GiB below 4 GiB, 2 GiB above -> 0x190000000", "-m size=4G,slots=2\n", [],
         "machine q35: windows from 0x190000000 (q35 -m 4 GiB: RAM above 4 GiB ends at 0x180000000; + "
         "1 MiB CXL host registers, rounded up to 256 MiB), below 2^40 (40 physical address bits)"),
        ("q35 -m 3000M (>= 0xb0000000: RAM below 4 GiB ends at 2 GiB)", "-m 3000M\n", [],
         "machine q35: windows from 0x140000000 (q35 -m 3000 MiB: RAM above 4 GiB ends at 0x13b800000; + "
         "1 MiB CXL host registers, rounded up to 256 MiB), below 2^40 (40 physical address bits)"),
        ("-cpu phys-bits=46 moves the bound", "-cpu max,phys-bits=46\n", [],
         "machine q35: windows from 0x110000000 (q35 -m 128 MiB: RAM above 4 GiB ends at 0x100000000; + "
         "1 MiB CXL host registers, rounded up to 256 MiB), below 2^46 (46 physical address bits)"),
        ("--phys-bits overrides -cpu host-phys-bits", "-cpu host,host-phys-bits=on\n", ["--phys-bits", "52"],
         "machine q35: windows from 0x110000000 (q35 -m 128 MiB: RAM above 4 GiB ends at 0x100000000; + "
         "1 MiB CXL host registers, rounded up to 256 MiB), below 2^52 (52 physical address bits)"),
        ("-m maxmem equal to size needs no --fmw-base", "-m 2G,maxmem=2G\n", [],
         "machine q35: windows from 0x110000000 (q35 -m 2 GiB: RAM above 4 GiB ends at 0x100000000; + "
         "1 MiB CXL host registers, rounded up to 256 MiB), below 2^40 (40 physical address bits)"),
    ]
    for what, extra, opts, want in Q:
        rc, first, out, err = first_line(GOOD + extra, opts)
        check("start: %s" % what, rc == 0 and first == want, "rc=%d err=%r\n%s\nwant %s" % (rc, err, first, want))

    VIRT = "-machine %s,cxl=on," + W0 + "%s\n" + PXB + RP + GPU
    VS = [
        ("virt defaults: highmem-mmio-size 512 GiB, MMIO [512 GiB, 1 TiB), windows from 1 TiB",
         VIRT % ("virt", ""), [], "machine virt: windows from 0x10000000000 (virt highmem-mmio-size 512 GiB "
         "(the default): the high PCIe MMIO region is [0x8000000000, 0x10000000000)), below 2^48 (48 "
         "physical address bits)"),
        ("virt-7.2 is virt; highmem-compact=off keeps the default layout", VIRT % ("virt-7.2", ",highmem-compact=off"),
         [], "machine virt: windows from 0x10000000000 (virt highmem-mmio-size 512 GiB (the default): the "
         "high PCIe MMIO region is [0x8000000000, 0x10000000000)), below 2^48 (48 physical address bits)"),
        ("virt highmem-mmio-size=256T with --phys-bits 52: windows from 512 TiB",
         VIRT % ("virt", ",highmem-mmio-size=256T"), ["--phys-bits", "52"],
         "machine virt: windows from 0x2000000000000 (virt highmem-mmio-size 256 TiB: the high PCIe MMIO "
         "region is [0x1000000000000, 0x2000000000000)), below 2^52 (52 physical address bits)"),
        ("virt with 255 GiB of RAM (it ends at 256 GiB) still computed", VIRT % ("virt", "") + "-m 255G\n", [],
         "machine virt: windows from 0x10000000000 (virt highmem-mmio-size 512 GiB (the default): the "
         "high PCIe MMIO region is [0x8000000000, 0x10000000000)), below 2^48 (48 physical address bits)"),
        ("-machine pc with --machine q35", "-machine pc,cxl=on," + W0 + "\n" + PXB + RP + GPU, ["--machine", "q35"],
         "machine q35: windows from 0x110000000 (q35 -m 128 MiB: RAM above 4 GiB ends at 0x100000000; + 1 "
         "MiB CXL host registers, rounded up to 256 MiB), below 2^40 (40 physical address bits)"),
        ("pc-q35-7.2, given as type=, is q35; -M and --machine spellings are read",
         "-M help\n--machine type=pc-q35-7.2,cxl=on," + W0 + "\n" + PXB + RP + GPU, [],
         "machine q35: windows from 0x110000000 (q35 -m 128 MiB: RAM above 4 GiB ends at 0x100000000; + 1 "
         "MiB CXL host registers, rounded up to 256 MiB), below 2^40 (40 physical address bits)"),
    ]
    for what, text, opts, want in VS:
        rc, first, out, err = first_line(text, opts)
        check("start: %s" % what, rc == 0 and first == want, "rc=%d err=%r\n%s\nwant %s" % (rc, err, first, want))

    # 4. refusals and placements not in test_topo.py
    HB2 = ("-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G,"
           "cxl-fmw.1.targets.0=cxl.2,cxl-fmw.1.size=4G\n"
           "-device pxb-cxl,bus_nr=12,id=cxl.1\n-device pxb-cxl,bus_nr=20,id=cxl.2\n"
           "-device pxb-cxl,bus_nr=30,id=cxl.3\n-device cxl-rp,port=0,bus=cxl.3,id=rp3\n"
           "-device vfio-pci,host=0000:3b:00.0,bus=rp3,id=gpu0\n")
    R = [
        ("no window targets the host bridge, among two windows", HB2, [], 1, [
            "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [no-window]: no CXL window targets its "
            "host bridge cxl.3"]),
        ("no cxl-fmw windows at all", "-machine q35,cxl=on\n" + PXB + RP + GPU, [], 1, [
            "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [no-window]: no CXL window targets its "
            "host bridge cxl.1 (the machine has no cxl-fmw windows)"]),
        ("a device on pcie.0 is plain passthrough, not judged (exit 0)",
         HEAD + PXB + "-device vfio-pci,host=0000:3b:00.0,id=nic0\n", [], 0, [
             "device nic0 (vfio-pci, host 0000:3b:00.0): not below a pxb-cxl host bridge: plain PCIe "
             "passthrough, not judged"]),
        ("... but given --dpa-size (by host address) it is judged and refused",
         HEAD + PXB + "-device vfio-pci,host=0000:3b:00.0,id=nic0\n", ["--dpa-size", "0000:3b:00.0=1G"], 1, [
             "device nic0 (vfio-pci, host 0000:3b:00.0): refused [no-host-bridge]: not below a pxb-cxl "
             "host bridge (bus pcie.0), so no CXL window can target it"]),
        ("cxl-fmws-base inside the window: decoder 0 there, to the window's end (seed 003)",
         HEAD + PXB + RP + "-device vfio-pci,host=0000:3b:00.0,bus=rp0,id=gpu0,cxl-fmws-base=0x180000000\n",
         [], 0, ["device gpu0 (vfio-pci, host 0000:3b:00.0): host bridge cxl.1, window cxl-fmw.0, decoder 0 "
                 "base 0x180000000 size 0x90000000"]),
        ("cxl-fmws-base with --dpa-size: that size", HEAD + PXB + RP +
         "-device vfio-pci,host=0000:3b:00.0,bus=rp0,id=gpu0,cxl-fmws-base=0x180000000\n",
         ["--dpa-size", "gpu0=1G"], 0, [
             "device gpu0 (vfio-pci, host 0000:3b:00.0): host bridge cxl.1, window cxl-fmw.0, decoder 0 "
             "base 0x180000000 size 0x40000000"]),
        ("cxl-fmws-base=0 is QEMU's 'not set'", HEAD + PXB + RP +
         "-device vfio-pci,host=0000:3b:00.0,bus=rp0,id=gpu0,cxl-fmws-base=0\n", [], 0, [
             "device gpu0 (vfio-pci, host 0000:3b:00.0): host bridge cxl.1, window cxl-fmw.0, decoder 0 "
             "base 0x110000000 size 0x100000000"]),
        ("an unaligned cxl-fmws-base (Base Low keeps bits 31:28)", HEAD + PXB + RP +
         "-device vfio-pci,host=0000:3b:00.0,bus=rp0,id=gpu0,cxl-fmws-base=0x118000000\n", [], 1, [
             "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [bad-fmws-base]: cxl-fmws-base "
             "0x118000000 is not 256 MiB aligned: Base Low keeps address bits 31:28 only, so decoder 0 "
             "would decode from 0x110000000"]),
        ("a cxl-fmws-base past the window", HEAD + PXB + RP +
         "-device vfio-pci,host=0000:3b:00.0,bus=rp0,id=gpu0,cxl-fmws-base=0x300000000\n", [], 1, [
             "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [bad-fmws-base]: cxl-fmws-base "
             "0x300000000 puts decoder 0 outside window cxl-fmw.0 [0x110000000, 0x210000000)"]),
        ("a cxl-fmws-base below the window", HEAD + PXB + RP +
         "-device vfio-pci,host=0000:3b:00.0,bus=rp0,id=gpu0,cxl-fmws-base=0x100000000\n", [], 1, [
             "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [bad-fmws-base]: cxl-fmws-base "
             "0x100000000 puts decoder 0 outside window cxl-fmw.0 [0x110000000, 0x210000000)"]),
        ("a cxl-fmws-base whose --dpa-size runs past the window end", HEAD + PXB + RP +
         "-device vfio-pci,host=0000:3b:00.0,bus=rp0,id=gpu0,cxl-fmws-base=0x200000000\n",
         ["--dpa-size", "gpu0=512M"], 1, [
             "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [bad-fmws-base]: cxl-fmws-base "
             "0x200000000 puts decoder 0 outside window cxl-fmw.0 [0x110000000, 0x210000000)"]),
        # naming: no id -> from the host address ([A-Za-z0-9_.-], ':' -> '-'); neither -> DRIVER-INDEX
        ("names: from host= without id=, from the driver and index without either; device_add after "
         "a (qemu) prompt, driver= as a property",
         "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G,cxl-fmw.1.targets.0=cxl.2,"
         "cxl-fmw.1.size=4G\n" + PXB + "-device pxb-cxl,bus_nr=20,id=cxl.2\n" + RP +
         "-device cxl-rp,port=1,bus=cxl.2,id=rp1\n"
         "-device vfio-pci,host=0000:3b:00.0,bus=rp0\n--device vfio-pci,bus=rp1\n"
         "(qemu) device_add driver=vfio-pci,host=0000:5e:00.0,bus=rp1,id=late\n", [], 1, [
             "device vfio-0000-3b-00.0 (vfio-pci, host 0000:3b:00.0): host bridge cxl.1, window "
             "cxl-fmw.0, decoder 0 base 0x110000000 size 0x100000000",
             "device vfio-pci-5 (vfio-pci): host bridge cxl.2, window cxl-fmw.1, decoder 0 base "
             "0x210000000 size 0x100000000",
             "device late (vfio-pci, host 0000:5e:00.0, device_add): refused [hotplug]: hot-plugged with "
             "device_add: vfio-cxl programs decoder 0 when the machine is created, which has passed; "
             "device_add must fail with an error and the VM keep running"]),
    ]
    for what, text, opts, want_rc, want in R:
        rc, out, err = topo(text, opts)
        check("judged: %s" % what, rc == want_rc and err == "" and device_lines(out) == want,
              "rc=%d err=%r\n%s" % (rc, err, "\n".join(device_lines(out))))

    # 5. the shell word rules: these spellings give the report of the plain one
    rc0, plain, _ = topo(GOOD)
    SH = [
        ("double quotes with \\\" \\\\ \\$ kept as the quoted character, a backslash-newline inside "
         "them joining, single quotes, a backslash outside quotes, comments, CR LF and tabs",
         "# a comment line\n-machine \"q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,\\\ncxl-fmw.0.size=4G\"\r\n"
         "\t-device 'pxb-cxl,bus_nr=12,id=cxl.1'   # trailing comment\n"
         "-device cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=0\n"
         "-device vfio-pci,host=0000:3b:00.0,bus=r\\p0,id=gpu0\n-name \"a \\\"b\\\" \\\\ \\$HOME \\x\"\n"
         "-m 128M \\\n"),
        ("a backslash as the very last byte", GOOD + "\\"),
    ]
    for what, text in SH:
        rc, out, err = topo(text)
        check("shell words: %s" % what, rc0 == 0 and rc == 0 and out == plain, "rc=%d err=%r\n%s" % (rc, err, out))

    # 6. JSON: escapes, a window without a base, a not-cxl device, dpa_size
    odd = 'we"ird\\na\x01me.cmdline'
    put(odd, GOOD + "-device vfio-pci,host=0000:5e:00.0,,x,id=nic0\n")
    rc, js, err = run(["topo", "--format", "json", "--dpa-size", "gpu0=1G", odd], cwd=tmp)
    try:
        j = json.loads(js)
        d = {x["name"]: x for x in j["devices"]}
        ok = (rc == 0 and j["file"] == odd and d["gpu0"]["dpa_size"] == 1 << 30 and
              d["gpu0"]["decoder0_size"] == 1 << 30 and d["nic0"]["status"] == "not-cxl" and
              d["nic0"]["host"] == "0000:5e:00.0,x" and d["nic0"]["host_bridge"] is None and d["nic0"]["window"] is None and
              d["nic0"]["dpa_size"] is None and d["nic0"]["decoder0_base"] is None and
              (j["passthrough"], j["placed"], j["refused"]) == (1, 1, 0))
    except (ValueError, KeyError) as e:
        ok, j = False, e
    check("JSON: a file name with '\"', '\\' and a control byte round-trips; dpa_size; a not-cxl "
          "device; ',,' is a comma in a property value",
          ok, "rc=%d %r %r" % (rc, js[:600], err))
    rc, js, err = run(["topo", "--format", "json", os.path.join(SRC, "tests/data/topo/refuse-no-base.cmdline")])
    try:
        j = json.loads(js)
        ok = rc == 1 and j["windows"][0]["base"] is None and j["windows"][1]["base"] == 0x290000000
    except (ValueError, KeyError, IndexError) as e:
        ok = False
    check("JSON: a window that did not fit has base null; the next one takes the unadvanced base", ok, js[:400])
    two = ("-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.targets.1=cxl.2,cxl-fmw.0.size=8G,"
           "cxl-fmw.0.interleave-granularity=4k\n-device pxb-cxl,bus_nr=12,id=cxl.1\n"
           "-device pxb-cxl,bus_nr=20,id=cxl.2\n")
    rc, js, err = topo(two, ["--format", "json"])
    try:
        j = json.loads(js)
        ok = rc == 0 and j["windows"][0]["targets"] == ["cxl.1", "cxl.2"] and j["windows"][0]["granularity"] == 4096
    except (ValueError, KeyError, IndexError):
        ok = False
    check("JSON: an interleaved window lists its targets; interleave-granularity=4k is 4096", ok, js[:400])

    # 7. --emit-trace: switches, and layouts with nothing to program
    SW = (HEAD + PXB + RP + "-device cxl-upstream,bus=rp0,id=us0\n"
          "-device cxl-downstream,port=010,bus=us0,id=ds0,chassis=0,slot=4\n"
          "-device vfio-pci,host=0000:3b:00.0,bus=ds0,id=gpu0\n")
    put("sw.cmdline", SW)
    rc, t, err = run(["topo", "--emit-trace", "-", "sw.cmdline"], cwd=tmp)
    check("--emit-trace below a switch: upstream and downstream nodes with parents, the port in "
          "octal (010 = 8) as QEMU reads it",
          rc == 0 and "    us0: {kind: switch-upstream, parent: rp0}\n" in t and
          "    ds0: {kind: switch-downstream, parent: us0, port: 8}\n" in t and
          "  gpu0: {model: type2-accel, view: comp-regs-v2, parent: ds0}\n" in t, "rc=%d %r\n%s" % (rc, err, t[:1600]))
    path = put("sw.yaml", t)
    rc, out, err = run(["replay", "-p", "cxl-3.1", path])
    check("... and replays clean under cxl-3.1", rc == 0 and "0 errors, 0 warnings" in out, (rc, out, err))
    rc, t, err = topo("-machine q35,cxl=on\n" + PXB + RP + GPU, ["--emit-trace", "-"])
    check("--emit-trace with no windows and the device refused: empty windows, nodes, devices, ops",
          rc == 1 and "topology:\n  windows:\n    []\n  nodes: {}\ndevices: {}\nops: []\n" in t and
          "0 passthrough devices" in t, "rc=%d %r\n%s" % (rc, err, t))
    rc, out, err = run(["replay", "-p", "cxl-3.1", put("empty.yaml", t)])
    check("... and that trace is read (exit 0 or 1, not 2)", rc in (0, 1), (rc, out, err))
    rc, t, err = run(["topo", "--emit-trace", "-", os.path.join(SRC, "tests/data/topo/refuse-no-base.cmdline")])
    check("--emit-trace: a window without a base has no base: key and says so",
          rc == 1 and "    - {name: cxl-fmw.0, size: 0x10000000000, granularity: 256, targets: [cxl.1]}"
          "   # no base: it did not fit\n" in t, "rc=%d %r\n%s" % (rc, err, t[:1500]))
    # 16 windows of 8 targets: 128 host bridges, each a topology node; a trace holds 64
    hbs = "".join("-device pxb-cxl,bus_nr=%d,id=hb%d\n" % (k + 1, k) for k in range(128))
    wins = ",".join("cxl-fmw.%d.targets.%d=hb%d" % (w, k, 8 * w + k) for w in range(16) for k in range(8))
    wins += "," + ",".join("cxl-fmw.%d.size=2G" % w for w in range(16))
    out_path = os.path.join(tmp, "nodes.yaml")
    rc, out, err = topo("-machine q35,cxl=on,%s\n" % wins + hbs, ["--emit-trace", out_path], name="nodes.cmdline")
    check("--emit-trace of 128 host bridges: exit 2, the trace format's limit named, no file",
          rc == 2 and out == "" and err == "nodes.cmdline: error: 0 devices and 128 topology nodes: a trace "
          "holds at most 64 of each\n" and not os.path.exists(out_path), (rc, err))
finally:
    shutil.rmtree(tmp)

finish()
