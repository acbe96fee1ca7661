#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`cxlemu topo`: QEMU command lines -> CXL window placement, vfio-cxl window selection and
refusals, --emit-trace (TAP output for meson).

Expected values come from the sources, not from the tool: the four decoder starts the guest
reported in seed 000 (NVIDIA QEMU PR #27: 0x80000000000, 0x84000000000, 0x88000000000,
0x8c000000000 for highmem-mmio-size=4T), q35 -m 8G placing the first window at 0x290000000
(hw/i386/pc.c: ROUND_UP(0x280000000 + 1 MiB, 256 MiB)), the refusal list of seed 000 and its
review, cxl_fmws_set_memmap() leaving an unfitting window without a base and not advancing the
next one, and the setup_locked_hdm() register writes of seed 003 (Base Low = base & 0xF0000000,
Base High = base >> 32, Control | Commit | Lock On Commit). The command lines are in
tests/data/topo/ (each file's comment cites its seed); malformed ones are written here, with
the line:col of the offending token counted by hand.

1. The seed's four-GPU layout: four windows, four distinct bases, one window per device; JSON
   parses and says the same; '-' (standard input) gives the same report.
2. One accepted q35 layout (one argument per line): base 0x290000000.
3. Each refusal: exit 1, the device named with its reason, the rest still judged.
4. Malformed command lines: exactly one `file:line:col: error:` line, exit 2, nothing on stdout.
5. --emit-trace: the trace holds the topology and the seed-003 op sequence per device, replays
   clean under cxl-3.1, is written atomically (a failed run leaves the old file; no temp file).

usage: test_topo.py CXLEMU SOURCE_ROOT
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

CXLEMU, SRC = (os.path.abspath(a) for a in sys.argv[1:3])
DATA = os.path.join(SRC, "tests", "data", "topo")
results = []


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def run(args, stdin=None, cwd=None):
    """Runs cxlemu @args; returns (rc, stdout, stderr) as text."""
    p = subprocess.run([CXLEMU] + args, input=stdin if stdin is not None else b"", cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def data(name):
    return os.path.join(DATA, name)


def device_lines(out):
    return [l for l in out.splitlines() if l.startswith("device ")]


VIRT4T = ("machine virt: windows from 0x80000000000 (virt highmem-mmio-size 4 TiB: the high PCIe "
          "MMIO region is [0x40000000000, 0x80000000000)), below 2^48 (48 physical address bits)")
Q35_8G = ("machine q35: windows from 0x290000000 (q35 -m 8 GiB: RAM above 4 GiB ends at "
          "0x280000000; + 1 MiB CXL host registers, rounded up to 256 MiB), below 2^40 (40 "
          "physical address bits)")
SEED_BASES = [0x80000000000, 0x84000000000, 0x88000000000, 0x8c000000000]
SEED_HOSTS = ["0002:81:00.0", "0002:c1:00.0", "000a:81:00.0", "000a:e1:00.0"]

tmp = tempfile.mkdtemp(prefix="cxlemu-topo-")
try:
    # 1. the seed's layout
    seed = data("seed-4gpu.cmdline")
    rc, out, err = run(["topo", seed])
    want = [VIRT4T] + [
        "window cxl-fmw.%d: base 0x%x, size 0x4000000000 (256 GiB), granularity 256, targets "
        "cxl.%d" % (i, b, i + 1) for i, b in enumerate(SEED_BASES)] + [
        "device dev%d (vfio-pci-nohotplug, host %s): host bridge cxl.%d, window cxl-fmw.%d, "
        "decoder 0 base 0x%x size 0x4000000000" % (i, SEED_HOSTS[i], i + 1, i, b)
        for i, b in enumerate(SEED_BASES)] + [
        "4 passthrough devices: 4 placed, 0 refused"]
    check("seed 000 four GPUs: four windows at the reported decoder starts, one per device, exit 0",
          rc == 0 and err == "" and out.splitlines() == want,
          "rc=%d err=%r\n%s" % (rc, err, "\n".join(l for l in out.splitlines() if l not in want)))
    check("seed 000: the arm-smmuv3 devices are kept out of the layout",
          "smmu" not in out, out)

    rc, js, err = run(["topo", "--format", "json", seed])
    try:
        j = json.loads(js)
        ok = (rc == 0 and j["machine"] == "virt" and j["fmw_start"] == 0x80000000000 and
              [w["base"] for w in j["windows"]] == SEED_BASES and
              [d["decoder0_base"] for d in j["devices"]] == SEED_BASES and
              [d["window"] for d in j["devices"]] == ["cxl-fmw.%d" % i for i in range(4)] and
              [d["host_bridge"] for d in j["devices"]] == ["cxl.%d" % i for i in range(1, 5)] and
              all(d["status"] == "placed" and d["refusal"] is None for d in j["devices"]) and
              len(set(d["decoder0_base"] for d in j["devices"])) == 4 and
              (j["passthrough"], j["placed"], j["refused"]) == (4, 4, 0) and
              js.count("\n") == 1)
    except ValueError as e:
        ok, j = False, e
    check("--format json parses (one line) and gives the seed's bases", ok, "rc=%d %r" % (rc, js[:400]))

    with open(seed, "rb") as f:
        text = f.read()
    rc2, out2, err2 = run(["topo", "-"], stdin=text)
    check("'-' reads the command line from standard input: the same report", rc2 == 0 and out2 == out,
          "rc=%d err=%r" % (rc2, err2))
    rc2, out2, err2 = run(["topo", "--fmw-base", "0x90000000000", seed])
    check("--fmw-base moves the first window; the rest follow consecutively",
          rc2 == 0 and "window cxl-fmw.3: base 0x9c000000000," in out2 and
          "decoder 0 base 0x94000000000" in out2 and "(--fmw-base)" in out2.splitlines()[0],
          out2)

    # 2. an accepted q35 layout, one argument per line
    rc, out, err = run(["topo", data("q35-one.cmdline")])
    check("q35 -m 8G: the window at 0x290000000 (hw/i386/pc.c), the device in it, exit 0",
          rc == 0 and out.splitlines() == [
              Q35_8G,
              "window cxl-fmw.0: base 0x290000000, size 0x100000000 (4 GiB), granularity 256, "
              "targets cxl.1",
              "device gpu0 (vfio-pci, host 0000:3b:00.0): host bridge cxl.1, window cxl-fmw.0, "
              "decoder 0 base 0x290000000 size 0x100000000",
              "1 passthrough device: 1 placed, 0 refused"], "rc=%d err=%r\n%s" % (rc, err, out))

    # 3. every refusal of seed 000: exit 1, named device and reason
    REFUSALS = [
        ("no window targets the device, even with one window", "refuse-no-window.cmdline", [], [
            "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [no-window]: no CXL window "
            "targets its host bridge cxl.2 (the only window, cxl-fmw.0, targets cxl.1)"]),
        ("the host bridge in more than one window", "refuse-ambiguous.cmdline", [], [
            "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [ambiguous]: its host bridge "
            "cxl.1 is a target of 2 windows (cxl-fmw.0, cxl-fmw.1): which one is ambiguous"]),
        ("an interleaved (multi-target) window", "refuse-interleaved.cmdline", [], [
            "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [interleaved]: window cxl-fmw.0 "
            "interleaves 2 host bridges (cxl.1, cxl.2): the flat 1:1 DPA mapping cannot honour "
            "interleave ways and granularity"]),
        ("a window with no base; the next window takes the unadvanced base",
         "refuse-no-base.cmdline", [], [
            "device gpu0 (vfio-pci, host 0000:3b:00.0): refused [no-base]: window cxl-fmw.0 has "
            "no base: its 1 TiB did not fit below 0x10000000000 (40 address bits)",
            "device gpu1 (vfio-pci, host 0000:3c:00.0): host bridge cxl.2, window cxl-fmw.1, "
            "decoder 0 base 0x290000000 size 0x10000000"]),
        ("a window smaller than the device memory (equal is fine)", "seed-4gpu.cmdline",
         ["--dpa-size", "dev1=512G", "--dpa-size", "dev0=256G", "--dpa-size", "000a:81:00.0=1G"], [
            "device dev0 (vfio-pci-nohotplug, host 0002:81:00.0): host bridge cxl.1, window "
            "cxl-fmw.0, decoder 0 base 0x80000000000 size 0x4000000000",
            "device dev1 (vfio-pci-nohotplug, host 0002:c1:00.0): refused [too-small]: window "
            "cxl-fmw.1 (256 GiB) is smaller than its memory (512 GiB): the guest would reach "
            "device memory outside the window CEDT describes",
            "device dev2 (vfio-pci-nohotplug, host 000a:81:00.0): host bridge cxl.3, window "
            "cxl-fmw.2, decoder 0 base 0x88000000000 size 0x40000000",
            "device dev3 (vfio-pci-nohotplug, host 000a:e1:00.0): host bridge cxl.4, window "
            "cxl-fmw.3, decoder 0 base 0x8c000000000 size 0x4000000000"]),
        ("more than one passthrough endpoint below one host bridge", "refuse-multi-endpoint.cmdline",
         [], [
            "device gpu0 (vfio-pci-nohotplug, host 0002:81:00.0): refused [multi-endpoint]: more "
            "than one passthrough endpoint below host bridge cxl.1 (gpu0, gpu1): one vfio-cxl "
            "endpoint per pxb-cxl",
            "device gpu1 (vfio-pci-nohotplug, host 0002:82:00.0): refused [multi-endpoint]: more "
            "than one passthrough endpoint below host bridge cxl.1 (gpu0, gpu1): one vfio-cxl "
            "endpoint per pxb-cxl"]),
        ("a hot-plugged device refused with an error; the boot-time device still placed",
         "refuse-hotplug.cmdline", [], [
            "device dev0 (vfio-pci-nohotplug, host 0002:81:00.0): host bridge cxl.1, window "
            "cxl-fmw.0, decoder 0 base 0x80000000000 size 0x4000000000",
            "device dev1 (vfio-pci, host 0002:c1:00.0, device_add): refused [hotplug]: "
            "hot-plugged with device_add: vfio-cxl programs decoder 0 when the machine is "
            "created, which has passed; device_add must fail with an error and the VM keep "
            "running"]),
    ]
    for name, f, opts, want in REFUSALS:
        rc, out, err = run(["topo"] + opts + [data(f)])
        check("refusal: %s -> exit 1" % name, rc == 1 and err == "" and device_lines(out) == want,
              "rc=%d err=%r\n%s" % (rc, err, "\n".join(device_lines(out))))
    rc, js, err = run(["topo", "--format", "json", data("refuse-hotplug.cmdline")])
    j = json.loads(js) if rc == 1 else {}
    check("JSON: a refusal has status, refusal and message",
          rc == 1 and [(d["name"], d["status"], d["refusal"], d["hotplugged"]) for d in j["devices"]] ==
          [("dev0", "placed", None, False), ("dev1", "refused", "hotplug", True)] and
          j["devices"][1]["message"].startswith("hot-plugged with device_add"), js)

    # 4. malformed command lines (positions counted by hand: line:col of the token)
    HEAD = "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G\n"   # line 1
    PXB = "-device pxb-cxl,bus_nr=12,id=cxl.1\n"                                  # line 2
    MALFORMED = [
        ("an unterminated quote -> at the quote",
         HEAD + PXB + "-device 'vfio-pci,id=x\n", 3, 9, "unterminated single quote"),
        ("a -device without a driver -> at its value",
         HEAD + PXB + "-device id=x,bus=cxl.1\n", 3, 9,
         "-device without a driver (-device DRIVER,KEY=VALUE,...)"),
        ("a -device with no argument at all -> at the option",
         HEAD + PXB + "-device\n", 3, 1, "'-device' needs an argument (a driver and its properties)"),
        ("a bad size -> at the value",
         "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4X\n" + PXB, 1, 62,
         "bad size '4X' for cxl-fmw.0.size (a number with an optional K, M, G, T, P or E suffix)"),
        ("a size not in 256 MiB units -> at the value",
         "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=300M\n" + PXB, 1, 62,
         "cxl-fmw.0.size 300M is not a multiple of 256 MiB (QEMU requires window sizes in 256 MiB "
         "units)"),
        ("a bad number -> at the value",
         HEAD + PXB + "-device cxl-rp,bus=cxl.1,port=x,id=rp0\n", 3, 31, "bad number 'x' for port (0..255)"),
        ("an unknown bus -> at the bus name, with the nearest id",
         HEAD + PXB + "-device cxl-rp,bus=cxl.1,id=rp0\n-device vfio-pci,bus=rp9,id=g\n", 4, 22,
         "unknown bus 'rp9' (did you mean 'rp0'?)"),
        ("a duplicate id -> at the second one",
         HEAD + PXB + "-device cxl-rp,bus=cxl.1,id=cxl.1\n", 3, 29,
         "duplicate id 'cxl.1' (first given at 2:9)"),
        ("a cxl-fmw index gap -> at the window after the gap",
         "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G,"
         "cxl-fmw.2.targets.0=cxl.1,cxl-fmw.2.size=4G\n" + PXB, 1, 65,
         "cxl-fmw.2 is given but cxl-fmw.1 is not: windows are numbered from 0 without gaps"),
        ("a window target that is no pxb-cxl -> at the target, with the nearest",
         "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.2,cxl-fmw.0.size=4G\n" + PXB, 1, 41,
         "cxl-fmw.0.targets.0: no pxb-cxl host bridge 'cxl.2' (did you mean 'cxl.1'?)"),
        ("a misspelt window property -> did you mean",
         "-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.sise=4G\n" + PXB, 1, 47,
         "unknown window property 'cxl-fmw.0.sise' (did you mean 'cxl-fmw.0.size'?)"),
        ("pxb-cxl without cxl=on -> at the pxb-cxl",
         "-machine q35\n" + PXB, 2, 9, "pxb-cxl 'cxl.1' needs -machine cxl=on"),
        ("a backslash continuation keeps line numbers: the error is on the next line",
         "-machine q35,cxl=on,\\\ncxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4Q\n" + PXB, 2, 42,
         "bad size '4Q' for cxl-fmw.0.size (a number with an optional K, M, G, T, P or E suffix)"),
    ]
    for name, text, line, col, msg in MALFORMED:
        path = os.path.join(tmp, "bad.cmdline")
        with open(path, "w") as f:
            f.write(text)
        rc, out, err = run(["topo", "bad.cmdline"], cwd=tmp)
        want = "bad.cmdline:%d:%d: error: %s\n" % (line, col, msg)
        check("malformed: %s" % name, rc == 2 and out == "" and err == want,
              "rc=%d out=%r\nerr =%r\nwant=%r" % (rc, out[:200], err, want))
    rc, out, err = run(["topo", "-"], stdin=(HEAD + PXB + "-device 'x\n").encode())
    check("malformed standard input is named <stdin>", rc == 2 and out == "" and
          err == "<stdin>:3:9: error: unterminated single quote\n", err)
    rc, out, err = run(["topo", "--dpa-size", "dev9=1G", seed])
    check("--dpa-size naming no device: a usage error with the nearest name", rc == 2 and out == "" and
          err == "cxlemu topo: --dpa-size dev9: no vfio-pci device has that id or host address "
          "(did you mean 'dev0'?)\n", err)
    path = os.path.join(tmp, "maxmem.cmdline")
    with open(path, "w") as f:
        f.write("-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G -m 8G,maxmem=16G\n" + PXB)
    rc, out, err = run(["topo", path])
    check("q35 with maxmem: the start is not computed, --fmw-base is asked for", rc == 2 and
          out == "" and "give --fmw-base ADDR" in err, err)
    rc, out, err = run(["topo", "--fmw-base", "0x400000000", path])
    check("... and --fmw-base gives it", rc == 0 and "window cxl-fmw.0: base 0x400000000," in out, out)

    # 5. --emit-trace
    trace = os.path.join(tmp, "seed.yaml")
    rc, out, err = run(["topo", "--emit-trace", trace, seed])
    with open(trace) as f:
        t = f.read()
    ops = [l.split("#")[0].strip() for l in t.splitlines() if l.startswith("  - [mmio")]
    want_ops = []
    for i, b in enumerate(SEED_BASES):
        d = "dev%d" % i
        want_ops += ["- [mmio-read,  %s, 0x130, 4, ~, vmm]" % d,
                     "- [mmio-write, %s, 0x120, 4, 0x%08x, vmm]" % (d, b & 0xF0000000),
                     "- [mmio-write, %s, 0x124, 4, 0x%08x, vmm]" % (d, b >> 32),
                     "- [mmio-write, %s, 0x128, 4, 0x00000000, vmm]" % d,
                     "- [mmio-write, %s, 0x12c, 4, 0x00000040, vmm]" % d,
                     "- [mmio-write, %s, 0x130, 4, 0x00000300, vmm]" % d,
                     "- [mmio-read,  %s, 0x130, 4, 0x00000700, vmm]" % d,
                     "- [mmio-read,  %s, 0x120, 4, 0x%08x, vmm]" % (d, b & 0xF0000000),
                     "- [mmio-read,  %s, 0x124, 4, 0x%08x, vmm]" % (d, b >> 32)]
    check("--emit-trace: the seed-003 op sequence per device at its own window base (vmm ops)",
          rc == 0 and ops == want_ops, "rc=%d err=%r\n%s" % (rc, err, "\n".join(ops[:12])))
    check("--emit-trace: the topology (windows, host bridges, root ports, parents)",
          "    - {name: cxl-fmw.1, base: 0x84000000000, size: 0x4000000000, granularity: 256, "
          "targets: [cxl.2]}\n" in t and "    cxl.2: {kind: host-bridge}\n" in t and
          "    rport0.2: {kind: root-port, parent: cxl.2, port: 1}\n" in t and
          "  dev1: {model: type2-accel, view: comp-regs-v2, parent: rport0.2}\n" in t, t[:1500])
    rc, out, err = run(["replay", "-p", "cxl-3.1", trace])
    check("the emitted trace replays clean under cxl-3.1",
          rc == 0 and "0 errors, 0 warnings" in out and "PASS" in out, "rc=%d %s %s" % (rc, out, err))
    profs = ["cxl-3.1", "linux-vfio-cxl", "linux-vfio-cxl-v2", "linux-vfio-cxl-v3",
             "linux-vfio-cxl-v4", "qemu-7.2"]
    codes = [run(["replay", "-q", "-p", p, trace])[0] for p in profs]
    check("the emitted trace is read and judged under every personality (exit 0 or 1, never 2)",
          all(c in (0, 1) for c in codes), list(zip(profs, codes)))
    rc, tout, err = run(["topo", "--emit-trace", "-", seed])
    check("--emit-trace -: the trace on standard output instead of the report",
          rc == 0 and tout == t, "rc=%d %r" % (rc, tout[:200]))

    # refused devices are left out; the trace still replays clean
    trace2 = os.path.join(tmp, "hotplug.yaml")
    rc, out, err = run(["topo", "--emit-trace", trace2, data("refuse-hotplug.cmdline")])
    with open(trace2) as f:
        t2 = f.read()
    rc2, out2, err2 = run(["replay", "-p", "cxl-3.1", trace2])
    check("--emit-trace with a refusal: exit 1, only the accepted device, replays clean",
          rc == 1 and "  dev0: {model: type2-accel" in t2 and "dev1" not in t2.split("devices:")[1] and
          rc2 == 0 and "0 errors, 0 warnings" in out2, "rc=%d rc2=%d %s %s" % (rc, rc2, out2, err2))

    # atomic: a failed run keeps the old file; a good one replaces it; no temporary is left
    keep = os.path.join(tmp, "keep.yaml")
    with open(keep, "w") as f:
        f.write("old\n")
    bad = os.path.join(tmp, "bad.cmdline")
    rc, out, err = run(["topo", "--emit-trace", keep, bad])
    with open(keep) as f:
        old = f.read()
    check("--emit-trace: bad input leaves the existing file as it was", rc == 2 and old == "old\n",
          "rc=%d %r" % (rc, old))
    rc, out, err = run(["topo", "--emit-trace", keep, seed])
    with open(keep) as f:
        new = f.read()
    check("--emit-trace: a good run replaces it whole, and no temporary file is left",
          rc == 0 and new == t and sorted(os.listdir(tmp)) ==
          sorted(["bad.cmdline", "maxmem.cmdline", "seed.yaml", "hotplug.yaml", "keep.yaml"]),
          "rc=%d %s" % (rc, sorted(os.listdir(tmp))))
    rc, out, err = run(["topo", "--emit-trace", tmp, seed])
    check("--emit-trace to a directory is refused (exit 2, nothing on stdout)",
          rc == 2 and out == "" and err, "rc=%d %r" % (rc, err))
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
