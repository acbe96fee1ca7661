#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""exec-responder.py - the reference exec target: cxlemu's own model behind the exec line protocol.

    cxlemu record --target "exec:python3 examples/exec-responder.py --profile qemu-7.2" TRACE

It answers the protocol of traces/README.md ("exec targets") with libcxlemu-core, loaded through
ctypes, so it is both the protocol's test and a template for a real target: replace the four
calls (create, access, reset, inject) with your implementation's, keep the parsing.

  --lib PATH      libcxlemu-core.so to load (default: $CXLEMU_CORE_LIB, else the system's)
  --profile NAME  the personality every device runs under (default cxl-3.1)
  --name TEXT     what to answer to hello (default "cxlemu model responder")

Exit status: 0 after quit or end of input, 2 when the library cannot be loaded.
"""
import ctypes
import ctypes.util
import os
import sys


class CxlError(ctypes.Structure):
    """struct cxl_error (cxlemu/error.h)."""
    _fields_ = [("code", ctypes.c_int), ("file", ctypes.c_char * 256), ("line", ctypes.c_ulong),
                ("col", ctypes.c_ulong), ("msg", ctypes.c_char * 512)]


class HostDecoder(ctypes.Structure):
    """struct cxl_host_decoder (cxlemu/device.h)."""
    _fields_ = [("set", ctypes.c_bool), ("committed", ctypes.c_bool), ("locked", ctypes.c_bool),
                ("base", ctypes.c_uint64), ("size", ctypes.c_uint64)]


class DeviceOpts(ctypes.Structure):
    """struct cxl_device_opts (cxlemu/device.h); CXL_HOST_DECODERS_MAX is 8."""
    _fields_ = [("hdm_decoders", ctypes.c_int), ("fw_committed", ctypes.c_bool),
                ("fw_base", ctypes.c_uint64), ("fw_size", ctypes.c_uint64),
                ("host", HostDecoder * 8), ("host_config_lock", ctypes.c_bool),
                ("host_mem_enable", ctypes.c_bool), ("view", ctypes.c_uint)]


def load(path):
    """Loads libcxlemu-core and declares the calls the responder makes."""
    lib = ctypes.CDLL(path or os.environ.get("CXLEMU_CORE_LIB") or
                      ctypes.util.find_library("cxlemu-core") or "libcxlemu-core.so.0")
    vp, u64 = ctypes.c_void_p, ctypes.c_uint64
    lib.cxl_device_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                      ctypes.POINTER(DeviceOpts), ctypes.POINTER(vp),
                                      ctypes.POINTER(CxlError)]
    lib.cxl_device_create.restype = ctypes.c_int
    lib.cxl_device_destroy.argtypes = [vp]
    lib.cxl_device_access.argtypes = [vp, ctypes.c_uint, ctypes.c_bool, u64, ctypes.c_uint, u64,
                                      ctypes.c_bool, ctypes.POINTER(u64)]
    lib.cxl_device_access.restype = ctypes.c_bool
    lib.cxl_device_reset.argtypes = [vp, ctypes.c_uint]
    lib.cxl_device_inject.argtypes = [vp, ctypes.c_uint, ctypes.c_uint]
    lib.cxl_device_inject.restype = ctypes.c_bool
    for f in ("cxl_reset_kind_parse", "cxl_inject_kind_parse"):
        getattr(lib, f).argtypes = [ctypes.c_char_p]
        getattr(lib, f).restype = ctypes.c_int
    lib.cxl_device_set_op_flags.argtypes = [vp, ctypes.c_uint]
    lib.cxl_device_last_refused.argtypes = [vp]
    lib.cxl_device_last_refused.restype = ctypes.c_bool
    lib.cxl_view_parse.argtypes = [ctypes.c_char_p]
    lib.cxl_view_parse.restype = ctypes.c_int
    lib.cxl_space_word.argtypes = [ctypes.c_uint]
    lib.cxl_space_word.restype = ctypes.c_char_p
    return lib


def space_of(lib, name):
    """enum cxl_space of "config" / "component", found by name (values are per build)."""
    for i in range(8):
        w = lib.cxl_space_word(i)
        if w and w.decode() == name:
            return i
    raise SystemExit("cxlemu has no %s space" % name)


def device_opts(lib, words):
    """The device options of a 'device' request (traces/README.md "exec targets")."""
    o = DeviceOpts()
    for w in words:
        key, _, val = w.partition("=")
        if key == "hdm-decoders":
            o.hdm_decoders = int(val, 0)
        elif key == "fw-committed":
            base, _, size = val.partition(",")
            o.fw_committed, o.fw_base, o.fw_size = True, int(base, 0), int(size, 0)
        elif key == "host-decoder":
            n, base, size, committed, locked = val.split(",")
            h = o.host[int(n, 0)]
            h.set, h.base, h.size = True, int(base, 0), int(size, 0)
            h.committed, h.locked = committed == "committed", locked == "locked"
        elif key == "config-lock":
            o.host_config_lock = True
        elif key == "mem-enable":
            o.host_mem_enable = True
        elif key == "view":
            v = lib.cxl_view_parse(val.encode())
            if v < 0:
                return None
            o.view = v
        else:
            return None
    return o


def serve(lib, profile, hello, inp, out):
    """Answers requests from @inp on @out until quit or end of input."""
    cfg, comp = space_of(lib, "config"), space_of(lib, "component")
    spaces = {"cfg": cfg, "mmio": comp}
    devices = {}

    def answer(text):
        out.write(text + "\n")
        out.flush()

    for line in inp:
        w = line.split()
        if not w:
            answer("ERR empty request")
            continue
        cmd = w[0]
        try:
            if cmd == "hello":
                answer("OK " + hello)
            elif cmd == "device":
                opts = device_opts(lib, w[3:])
                if opts is None:
                    answer("SKIP unknown device option in '%s'" % " ".join(w[3:]))
                    continue
                dev, err = ctypes.c_void_p(), CxlError()
                rc = lib.cxl_device_create(w[1].encode(), w[2].encode(), profile.encode(),
                                           ctypes.byref(opts), ctypes.byref(dev), ctypes.byref(err))
                if rc:
                    answer("SKIP " + err.msg.decode(errors="replace"))
                else:
                    devices[w[1]] = dev
                    answer("OK")
            elif cmd == "start":
                answer("OK")
            elif cmd in ("cfg-read", "mmio-read", "cfg-write", "mmio-write"):
                kind, _, rw = cmd.partition("-")
                dev = devices[w[1]]
                off, size = int(w[2], 0), int(w[3], 0)
                value = int(w[4], 0) if rw == "write" else 0
                lib.cxl_device_set_op_flags(dev, 1 if w[-1] == "vmm" else 0)   # CXL_OPF_VMM
                res = ctypes.c_uint64()
                if not lib.cxl_device_access(dev, spaces[kind], rw == "write", off, size, value,
                                             rw == "write", ctypes.byref(res)):
                    answer("FAIL offset 0x%x size %d is outside the space" % (off, size))
                else:
                    word = "REFUSED" if lib.cxl_device_last_refused(dev) else "OK"
                    answer("%s 0x%x" % (word, res.value) if rw == "read" else word)
            elif cmd == "reset":
                k = lib.cxl_reset_kind_parse(w[2].encode())
                if k < 0:
                    answer("SKIP no reset kind %s" % w[2])
                else:
                    lib.cxl_device_reset(devices[w[1]], k)
                    answer("OK")
            elif cmd == "inject":
                k = lib.cxl_inject_kind_parse(w[2].encode())
                if k < 0 or not lib.cxl_device_inject(devices[w[1]], k, int(w[3], 0)):
                    answer("SKIP the model cannot inject %s bit %s" % (w[2], w[3]))
                else:
                    answer("OK")
            elif cmd == "quit":
                break
            else:
                answer("ERR unknown request '%s'" % cmd)
        except (IndexError, KeyError, ValueError) as e:
            answer("ERR bad request '%s': %s" % (line.strip(), e))
    for dev in devices.values():
        lib.cxl_device_destroy(dev)


def main(argv):
    args = {"--lib": None, "--profile": "cxl-3.1", "--name": "cxlemu model responder"}
    it = iter(argv)
    for a in it:
        if a not in args:
            sys.stderr.write("exec-responder: unknown option %s\n" % a)
            return 2
        args[a] = next(it, None)
    try:
        lib = load(args["--lib"])
    except OSError as e:
        sys.stderr.write("exec-responder: cannot load libcxlemu-core: %s\n" % e)
        return 2
    serve(lib, args["--profile"], args["--name"], sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
