#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The HTML timeline (`cxlemu show`, `cxlemu replay --html`) in headless Chromium (TAP; suite 'html').

Each page is opened with Debian's chromium (--headless=new, falling back to --headless) and
its DOM dumped after the page's script ran (--dump-dom). Checks:
  - conformance scenarios: every (op, rule) of the trace's expect: list is an event row and a
    timeline marker, and the decoder / CONFIG_LOCK bands and the resets are where the trace's
    ops put them (each expectation cites the ops and the CXL r3.1 section behind it; none is
    taken from cxlemu's output);
  - self-contained: neither the page nor its DOM after the script refers to anything outside
    it (no http:/https:/protocol-relative URL, no script src, no @import, no url());
  - deterministic: the same input written twice, by show and by replay --html, gives the same bytes;
  - the largest bundled real trace (traces/real/*.yaml by size) renders: the page records its
    own drawing time (body data-render-ms, from performance.now()), which must be under 2 s;
  - a screenshot of a page is saved into the build directory and is a 1400x900 PNG.

usage: test_html.py CXLEMU SOURCE_ROOT BUILD_DIR
Skips (a TAP plan of 0) only when chromium is not installed.
"""
import glob
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

CXLEMU, SRC, BUILD = sys.argv[1], sys.argv[2], sys.argv[3]
CHROMIUM = shutil.which("chromium")

print("TAP version 13")
if not CHROMIUM:
    print("1..0 # SKIP chromium is not installed (Debian: apt-get install chromium)")
    sys.exit(0)

TMP = tempfile.mkdtemp(prefix="cxlemu-html-")
# Chromium wants a writable HOME and profile; neither may be the user's.
ENV = dict(os.environ, HOME=os.path.join(TMP, "home"))
os.makedirs(ENV["HOME"], exist_ok=True)
HEADLESS = ["--headless=new"]
n_test = 0
failed = 0


def ok(cond, name, diag=None):
    """Prints one TAP result line for @cond (and @diag as '# ' lines when it fails)."""
    global n_test, failed
    n_test += 1
    print("%sok %d - %s" % ("" if cond else "not ", n_test, name))
    if not cond:
        failed += 1
        for line in str(diag or "").splitlines():
            print("# " + line)
    sys.stdout.flush()
    return cond


def cxlemu(*args):
    """(exit status, stdout, stderr) of cxlemu @args."""
    p = subprocess.run([CXLEMU] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def chromium(extra, page, fragment=""):
    """(exit status, stdout text, stderr text, seconds) of headless chromium with @extra flags on
    the file @page (its URL ending in @fragment); each call gets a fresh profile directory."""
    prof = tempfile.mkdtemp(prefix="profile-", dir=TMP)
    args = [CHROMIUM] + HEADLESS + ["--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--user-data-dir=" + prof] + extra + ["file://" + os.path.abspath(page) + fragment]
    t0 = time.monotonic()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, timeout=180)
    dt = time.monotonic() - t0
    shutil.rmtree(prof, ignore_errors=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), dt


def dump_dom(page, fragment=""):
    """(DOM text after the page's script ran, seconds chromium took)."""
    st, out, err, dt = chromium(["--dump-dom"], page, fragment)
    if st != 0 or "</html>" not in out:
        raise RuntimeError("chromium --dump-dom %s failed (exit %d): %s" % (page, st, err[-2000:]))
    return out, dt


class Elements(html.parser.HTMLParser):
    """Every element of a document as (tag, {attribute: value}), in document order."""

    def __init__(self, text):
        """Parses @text into self.elements."""
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        """Records one element (attributes without a value as "")."""
        self.elements.append((tag, {k: (v if v is not None else "") for k, v in attrs}))

    handle_startendtag = handle_starttag


def find(elements, tag, cls=None, **attrs):
    """The attribute dicts of @elements with @tag, class word @cls and data-* @attrs (a
    keyword k_x means data-k-x)."""
    want = {"data-" + k.replace("_", "-"): str(v) for k, v in attrs.items()}
    return [a for t, a in elements
            if t == tag and (cls is None or cls in a.get("class", "").split())
            and all(a.get(k) == v for k, v in want.items())]


def expect_list(trace):
    """[(op, rule)] of the trace's expect: entries ('- {op: N, rule: R}' lines)."""
    text = open(trace).read()
    part = text.split("\nexpect:", 1)
    return [(int(m.group(1)), m.group(2))
            for m in re.finditer(r"^  - \{op: (\d+), rule: ([\w.-]+)", part[1] if len(part) > 1 else "", re.M)]


def op_count(trace):
    """Ops in a trace: the '  - [kind, ...]' lines of its ops: list."""
    return len(re.findall(r"^  - \[", open(trace).read(), re.M))


def show(trace, out, *extra):
    """Writes the page of @trace to @out with cxlemu show; raises on failure."""
    st, _, err = cxlemu("show", *extra, trace, "-o", out)
    if st != 0:
        raise RuntimeError("cxlemu show %s: exit %d: %s" % (trace, st, err))


# The conformance scenarios: per trace, the bands its ops imply on device ep0. A decoder's state
# after an op is (cxlemu/html.h) programmed (Base or Size non-zero, not committed), committed,
# locked (committed with Lock On Commit) or error-not-committed; a band [from, to) covers the
# state after op `from` up to op `to` - 1. CONFIG_LOCK (RWO) shows as a lock lane and an RWO
# latch. The traces' register comments give the offsets (decoder 0 of qemu72-type3: Base Low
# 0x1120, Base High 0x1124, Size Low 0x1128, Size High 0x112c, Control 0x1130).
SCENARIOS = {
    "hdm-commit-checks-1dec.yaml": {
        "decoders": [
            # op 0 writes Base High: programmed until the Commit of op 2
            ("programmed", 0, 2),
            # op 2: Commit + LOC of a range that wraps past 2^64 fails (§8.2.4.20.12; op 3 reads
            # Error Not Committed, bit 11); op 4's cold reset clears the decoder
            ("error-not-committed", 2, 4),
            # op 6: Commit with the reserved IW 0xf fails (§8.2.4.20.7; op 7 reads bit 11) until
            # the end of the trace (8 ops)
            ("error-not-committed", 6, 8),
        ],
        "lanes": [],
        "resets": [4],
    },
    "hdm-lock-on-commit.yaml": {
        "decoders": [
            ("programmed", 0, 4),    # ops 0-3 write Base and Size
            # op 4: Commit + Lock On Commit; op 5 reads Committed; FLR (op 14) leaves it
            # (§9.5), the hot reset of op 16 clears it (op 17 reads Control 0)
            ("locked", 4, 16),
        ],
        "lanes": [],
        "resets": [14, 16],
    },
    "hdm-uncommit-reprogram.yaml": {
        "decoders": [
            ("programmed", 0, 2),    # ops 0-1 write Base and Size
            ("committed", 2, 6),     # op 2 Commit without LOC (op 3 reads Committed)
            ("programmed", 6, 9),    # op 6 clears Commit: uncommitted (§8.2.4.20.12), op 7 reads 0
            ("committed", 9, 11),    # op 9 commits again, to the end of the trace (11 ops)
        ],
        "lanes": [],
        "resets": [],
    },
    "dvsec-config-lock.yaml": {
        "decoders": [],
        # op 4 sets CONFIG_LOCK (op 5 reads it); op 14's clearing write does not land (RWO);
        # FLR at op 16 keeps it, the Conventional Reset of op 18 clears it (§8.1.3.6; op 19 reads 0)
        "lanes": [("lane-lock", "CONFIG_LOCK", 4, 18), ("lane-rwo", "CONFIG_LOCK", 4, 18)],
        "resets": [16, 18],
    },
}


def check_scenario(name):
    """The events and bands of one conformance scenario in its page's DOM."""
    trace = os.path.join(SRC, "traces/conformance", name)
    page = os.path.join(TMP, name + ".html")
    show(trace, page)
    dom, _ = dump_dom(page)
    els = Elements(dom).elements
    sc = SCENARIOS[name]
    body = find(els, "body")
    ok(body and body[0].get("data-ready") == "1", "%s: the page's script ran to its end" % name)
    exp = expect_list(trace)
    ok(exp, "%s: the trace has expect: entries" % name)
    for op, rule in exp:
        rows = find(els, "tr", "ev-row", op=op, rule=rule)
        ok(rows, "%s: op %d %s is an event row" % (name, op, rule))
        marks = [a for a in find(els, "rect", "ev", op=op) if rule in a.get("data-rules", "").split()]
        ok(marks, "%s: op %d %s is a timeline marker" % (name, op, rule))
    # an expect: list names every error and warning the replay must show (traces/README.md);
    # notes are hidden by default
    seen = sorted({(int(a["data-op"]), a["data-rule"]) for a in find(els, "tr", "ev-row") if a.get("data-sev") != "note"})
    ok(seen == sorted(set(exp)), "%s: the error and warning rows are the expect: list" % name,
       "rows %s\nexpect %s" % (seen, sorted(set(exp))))
    verdict = [a for t, a in els if a.get("id") == "verdict"]
    ok(verdict and verdict[0].get("class") == "pass", "%s: the page's verdict is PASS (every expected pair seen)" % name)
    bands = [(a["data-state"], int(a["data-from"]), int(a["data-to"]))
             for a in find(els, "rect", "band", dev="ep0", dec="0")]
    ok(bands == sc["decoders"], "%s: HDM decoder 0 bands %s" % (name, sc["decoders"]),
       "DOM has %s" % bands)
    lanes = [(c, a["data-lane"], int(a["data-from"]), int(a["data-to"]))
             for c in ("lane-lock", "lane-rwo") for a in find(els, "rect", c, dev="ep0")]
    ok(lanes == sc["lanes"], "%s: CONFIG_LOCK / RWO lanes %s" % (name, sc["lanes"]), "DOM has %s" % lanes)
    resets = [int(a["data-op"]) for a in find(els, "line", "reset", dev="ep0")]
    ok(resets == sc["resets"], "%s: reset lines at ops %s" % (name, sc["resets"]), "DOM has %s" % resets)
    # PAGE.html#op=N opens with op N's event details and the address map after op N
    op, rule = exp[0]
    dom2, _ = dump_dom(page, "#op=%d" % op)
    els2 = Elements(dom2).elements
    cur = [a for t, a in els2 if a.get("id") == "cursor"]
    ok(find(els2, "tr", "detail-ev", op=op, rule=rule) and cur and cur[0].get("value") == str(op),
       "%s: #op=%d opens with op %d's %s in the details and the address map after op %d" % (name, op, op, rule, op))
    return page, dom


# Attribute values and text that load something from outside the page.
EXTERNAL = [
    (r"https?:", "an http(s): URL"),
    (r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*//""", "a protocol-relative URL"),
    (r"<script[^>]*\bsrc\s*=", "a script src"),
    (r"<link\b", "a link element"),
    (r"@import", "an @import"),
    (r"url\s*\(", "a CSS url()"),
    (r"""\b(?:src|href)\s*=\s*["']?(?!#|data:|["'])""", "a src/href that is not a fragment or data: URL"),
]
# The one http: string a page holds: the SVG namespace name createElementNS() needs. A namespace
# name is an identifier, never fetched (Namespaces in XML 1.0, section 2.1).
SVG_NS = "http://www.w3.org/2000/svg"


def external_refs(text):
    """[(what, excerpt)] of each reference to outside @text holds."""
    text = text.replace('"' + SVG_NS + '"', '""')
    found = []
    for pat, what in EXTERNAL:
        for m in re.finditer(pat, text, re.I):
            found.append((what, text[max(0, m.start() - 40):m.end() + 40]))
    return found


def png_size(path):
    """(width, height) of a PNG file, or None when it is not one."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    """Runs every check, printing TAP lines; returns early when chromium cannot render."""
    global HEADLESS
    # --headless=new is Chromium's headless mode since 112; fall back to the old flag if this
    # build does not dump a DOM with it
    probe = os.path.join(TMP, "probe.html")
    with open(probe, "w") as f:
        f.write("<!DOCTYPE html><html><body><script>document.body.dataset.x = 'ran';</script></body></html>")
    try:
        dom, _ = dump_dom(probe)
    except RuntimeError:
        dom = ""
    if 'data-x="ran"' not in dom:
        HEADLESS = ["--headless"]
        try:
            dom, _ = dump_dom(probe)
        except RuntimeError as e:
            dom = str(e)
    if not ok('data-x="ran"' in dom, "chromium %s runs a page's script and dumps its DOM" % HEADLESS[0], dom[-2000:]):
        return

    pages = []
    for name in SCENARIOS:
        try:
            pages.append(check_scenario(name))
        except (RuntimeError, subprocess.SubprocessError) as e:
            ok(False, "%s: page written and rendered" % name, e)

    # b. self-contained, as written and after the script drew it
    for page, dom in pages:
        raw = open(page, encoding="utf-8").read()
        for what, text in (("page", raw), ("DOM", dom)):
            refs = external_refs(text)
            ok(not refs, "%s: the %s refers to nothing outside it" % (os.path.basename(page), what),
               "\n".join("%s: ...%s..." % r for r in refs[:10]))

    # c. deterministic: the same input twice, to two files, by show and by replay --html
    trace = os.path.join(SRC, "traces/conformance/topo-interleave-2way.yaml")
    a, b = os.path.join(TMP, "det-a.html"), os.path.join(TMP, "det-b.html")
    show(trace, a)
    show(trace, b)
    ok(open(a, "rb").read() == open(b, "rb").read(), "show: the same input twice gives the same bytes")
    ra, rb = os.path.join(TMP, "det-ra.html"), os.path.join(TMP, "det-rb.html")
    st1 = cxlemu("replay", "--html", ra, trace)[0]
    st2 = cxlemu("replay", "--html", rb, trace)[0]
    ok(st1 == 0 and st2 == 0 and open(ra, "rb").read() == open(rb, "rb").read(),
       "replay --html: the same input twice gives the same bytes", "exit %d, %d" % (st1, st2))
    ok(open(a, "rb").read() == open(ra, "rb").read(), "replay --html writes the page show writes")

    # c2. several personalities (issue 13): one run per (trace, profile), a toggle between them
    lock = os.path.join(SRC, "traces/conformance/dvsec-config-lock.yaml")
    two = os.path.join(TMP, "two-profiles.html")
    show(lock, two, "-p", "cxl-3.1", "-p", "qemu-7.2")
    try:
        dom, _ = dump_dom(two)
        els = Elements(dom).elements
        btns = [a for t, a in els if t == "button" and "run-btn" in a.get("class", "")]
        ok([b.get("data-profile") for b in btns] == ["cxl-3.1", "qemu-7.2"],
           "show -p cxl-3.1 -p qemu-7.2: one toggle button per personality, in order",
           [b.get("data-profile") for b in btns])
        ok(len([b for b in btns if "on" in b.get("class", "").split()]) == 1,
           "show -p cxl-3.1 -p qemu-7.2: exactly one personality is shown at a time")
    except RuntimeError as e:
        ok(False, "two personalities: rendered", e)

    # d. the largest bundled real trace renders, and fast
    reals = sorted(glob.glob(os.path.join(SRC, "traces/real/*.yaml")), key=lambda p: (-os.path.getsize(p), p))
    big = reals[0]
    nops = op_count(big)
    page = os.path.join(TMP, "largest.html")
    show(big, page)
    size = os.path.getsize(page)
    raw = open(page, encoding="utf-8").read()
    ok(not external_refs(raw), "%s: the page refers to nothing outside it" % os.path.basename(big))
    try:
        dom, wall = dump_dom(page)
    except RuntimeError as e:
        ok(False, "%s: rendered" % os.path.basename(big), e)
        return
    els = Elements(dom).elements
    body = find(els, "body")[0]
    ok(body.get("data-ready") == "1", "%s: the page's script ran to its end" % os.path.basename(big))
    to = [a for t, a in els if a.get("id") == "view-to"]
    # the op range control ends at the trace's last op
    ok(to and to[0].get("max") == str(nops - 1), "%s: the timeline spans its %d ops" % (os.path.basename(big), nops),
       to and to[0])
    ms = float(body.get("data-render-ms", "inf"))
    print("# largest real trace %s: %d ops, %d bytes of trace, page %d bytes; the page's drawing took %.1f ms "
          "(its performance.now()), chromium --dump-dom %.2f s wall" % (os.path.basename(big), nops,
                                                                     os.path.getsize(big), size, ms, wall))
    ok(ms < 2000, "%s: the page draws in under 2000 ms (%.1f ms)" % (os.path.basename(big), ms))

    # e. a screenshot into the build directory
    shot = os.path.join(BUILD, "html-timeline-test.png")
    if os.path.exists(shot):
        os.unlink(shot)
    src_page = pages[0][0] if pages else page
    st, _, err, _ = chromium(["--hide-scrollbars", "--window-size=1400,900", "--screenshot=" + shot], src_page, "#op=2")
    dims = png_size(shot) if os.path.exists(shot) else None
    ok(st == 0 and dims == (1400, 900) and os.path.getsize(shot) > 0,
       "screenshot %s is a 1400x900 PNG" % shot, "exit %d, size %s: %s" % (st, dims, err[-1000:]))


try:
    main()
finally:
    shutil.rmtree(TMP, ignore_errors=True)
print("1..%d" % n_test)
sys.exit(0)
