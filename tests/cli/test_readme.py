#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""README.md's examples, run as written (TAP): every line of a fenced block that starts with
`$ cxlemu ` is a transcript: the command is run in the source root with the built cxlemu on
PATH, and what it prints (stdout then stderr) must be the lines that follow it in the block
up to the next `$ ` line, exactly. Every line of a ```sh block that starts with `cxlemu ` is a
command a reader may paste: it must run (exit 0 or 1: a finding is fine, a usage or input
error is not). A backslash at the end of a line continues the command on the next. In what
a transcript shows, "..." stands for any text within a line, and a line that is only "..."
for any number of lines. A command with a placeholder (a word in capitals such as TRACE, OUT,
T.yaml, or "...") is a pattern for the reader to fill in, not an example, and is not run.

usage: test_readme.py CXLEMU SOURCE_ROOT
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

CXLEMU, SRC = (os.path.abspath(a) for a in sys.argv[1:3])
results = []
env = dict(os.environ, PATH=os.path.dirname(CXLEMU) + os.pathsep + os.environ.get("PATH", ""))


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def blocks(text):
    """(language, first line number, lines) of every fenced block."""
    out, cur, lang, start = [], None, "", 0
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            if cur is None:
                cur, lang, start = [], line[3:].strip(), n + 1
            else:
                out.append((lang, start, cur))
                cur = None
        elif cur is not None:
            cur.append(line)
    return out


PLACEHOLDER = re.compile(r"(^|[\s=/])[A-Z][A-Z0-9_]*(\.[a-z.]+)?($|[\s,/])|\.\.\.")


def matches(got, want):
    """Whether the lines @got are what @want shows ("..." wildcards, see above)."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(got[k:], want[1:]) for k in range(len(got) + 1))
    if not got:
        return False
    pat = "^" + ".*".join(re.escape(part) for part in want[0].split("...")) + "$"
    return re.match(pat, got[0]) is not None and matches(got[1:], want[1:])


def run(cmd, cwd):
    p = subprocess.run(cmd, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


with open(os.path.join(SRC, "README.md")) as f:
    readme = f.read()
scratch = tempfile.mkdtemp(prefix="cxlemu-readme-")
try:
    for lang, start, lines in blocks(readme):
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("$ cxlemu "):
                cmd = line[2:]
                j = i + 1
                while cmd.endswith("\\") and j < len(lines):
                    cmd = cmd[:-1] + " " + lines[j].strip()
                    j += 1
                want = []
                while j < len(lines) and not lines[j].startswith("$ "):
                    want.append(lines[j])
                    j += 1
                if PLACEHOLDER.search(cmd):
                    i = j
                    continue
                rc, out, err = run(cmd, SRC)
                got = (out + err).splitlines()
                check("README.md:%d: `%s` prints what README shows" % (start + i, cmd),
                      matches(got, want), "got:\n%s\nwant:\n%s" % ("\n".join(got[:10]), "\n".join(want[:10])))
                i = j
                continue
            if lang == "sh" and line.startswith("cxlemu "):
                cmd = line.split("  #")[0].strip()
                while cmd.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    cmd = cmd[:-1] + " " + lines[i].split("  #")[0].strip()
                if PLACEHOLDER.search(cmd):
                    i += 1
                    continue
                rc, out, err = run(cmd, SRC)
                check("README.md:%d: `%s` runs (exit 0 or 1)" % (start + i, cmd), rc in (0, 1),
                      "rc=%d %s" % (rc, err[:300]))
            i += 1
finally:
    shutil.rmtree(scratch, ignore_errors=True)

print("TAP version 13")
print("1..%d" % len(results))
for k, (ok, name, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", k, name.replace("#", "\\#")))
    if not ok and detail:
        for d in str(detail).splitlines()[:12]:
            print("# " + d)
sys.exit(0 if all(r[0] for r in results) else 1)
