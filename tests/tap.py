# SPDX-License-Identifier: MIT
"""The TAP harness the Python test scripts share (import it with tests/ on sys.path).

check(name, cond, detail) records one result; finish() prints them as TAP 13 (a failing
check's detail as up to 8 diagnostic lines) and exits 0 when every check passed, 1 otherwise.
"""
import sys

results = []


def check(name, cond, detail=""):
    """Records whether @cond holds for the check @name; returns it."""
    results.append((bool(cond), name, detail))
    return bool(cond)


def finish():
    """Prints every recorded check as TAP and exits with the verdict."""
    print("TAP version 13")
    print("1..%d" % len(results))
    for i, (ok, name, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok and detail:
            for line in str(detail).splitlines()[:8]:
                print("#   " + line)
    sys.exit(0 if all(r[0] for r in results) else 1)
