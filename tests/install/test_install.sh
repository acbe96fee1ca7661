#!/bin/sh
# SPDX-License-Identifier: MIT
# test_install.sh BUILD SRC CC: libcxlemu as a user gets it. Installs the build into a
# temporary DESTDIR and checks, as TAP:
#  - exactly the public headers, both libraries (shared and static), cxlemu.pc,
#    cxlemu-core.pc, the cxlemu binary and the man pages are installed;
#  - every installed header compiles on its own with -std=c11 -Wall -Wextra -Werror -pedantic;
#  - examples/oracle.c builds with `pkg-config --cflags --libs cxlemu-core` and
#    examples/replay.c with `... cxlemu`, against the installed prefix, and both run;
#  - the shared libraries export only the cxl_ API;
#  - a misspelled register field constant is a compile error (names are generated).
set -u
BUILD=$1 SRC=$2 CC=${3:-cc} SANITIZE=${4:-none} COVERAGE=${5:-none}
if [ "$COVERAGE" != none ]; then
	# coverage/run: gcov-instrumented libraries export __gcov_* and need -lgcov to link
	echo "1..0 # SKIP a -Db_coverage build installs gcov-instrumented libraries"
	exit 0
fi
if [ "$SANITIZE" != none ]; then
	# The examples link the installed libraries with plain cc: a sanitizer build's libraries
	# need the sanitizer runtime first, which a user's build would not add.
	echo "1..0 # SKIP a -Db_sanitize=$SANITIZE build installs sanitized libraries"
	exit 0   # TAP: the plan line above is the skip
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /' | head -20; }
check() { name=$1; shift; if out=$("$@" 2>&1); then ok "$name"; else notok "$name" "$out"; fi; }

echo "TAP version 13"
if ! out=$(meson install -C "$BUILD" --no-rebuild --destdir "$tmp/root" 2>&1); then
	echo "1..1"; notok "meson install" "$out"; exit 1
fi
pc=$(find "$tmp/root" -name cxlemu.pc | head -n 1)
inc=$(find "$tmp/root" -type d -path '*/include/cxlemu' | head -n 1)
lib=$(dirname "$(find "$tmp/root" -name 'libcxlemu-core.so' | head -n 1)")
bin=$(find "$tmp/root" -type f -name cxlemu -path '*/bin/*' | head -n 1)
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
[ -n "$pc" ] && [ -f "$(dirname "$pc")/cxlemu-core.pc" ] && ok "cxlemu.pc and cxlemu-core.pc installed" \
	|| notok "cxlemu.pc and cxlemu-core.pc installed" "$(find "$tmp/root")"
want="catalog.h conform.h coverage.h cxlemu.h decode.h device.h error.h event.h export.h fuzzops.h html.h import.h invariant.h observe.h replay.h report.h spec_ids.h target.h topo.h trace.h"
got=$(cd "$inc" 2>/dev/null && ls | sort | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$want" ] && ok "exactly the public headers installed" || notok "exactly the public headers installed" "got: $got"
for l in libcxlemu.so libcxlemu.a libcxlemu-core.so libcxlemu-core.a; do
	[ -e "$lib/$l" ] && ok "$l installed" || notok "$l installed"
done
[ -n "$bin" ] && ok "cxlemu binary installed" || notok "cxlemu binary installed"
check "the installed cxlemu runs on its own (linked statically against libcxlemu)" env -u LD_LIBRARY_PATH "$bin" --version
# The conformance suite and the examples are installed as data; the installed responder runs
# the installed model as an exec target and conforms to cxl-3.1 on the installed suite (0
# deviations; as a bare device it fails only the host-safety observations: UNSAFE, exit 1).
share=$(find "$tmp/root" -type d -path "*/share/cxlemu" | head -1)
[ -n "$share" ] && [ -f "$share/conformance/dvsec-config-lock.yaml" ] && [ -f "$share/examples/exec-responder.py" ] &&
	ok "conformance suite and examples installed under share/cxlemu" ||
	notok "conformance suite and examples installed under share/cxlemu" "$(find "$tmp/root" -path '*share*' | head)"
if [ -n "$share" ] && command -v python3 >/dev/null 2>&1; then
	out=$(env CXLEMU_CONFORMANCE_DIR="$share/conformance" "$bin" conform \
		--target "exec:python3 $share/examples/exec-responder.py --lib $lib/libcxlemu-core.so" 2>&1)
	rc=$?
	last=$(printf '%s\n' "$out" | tail -1)
	if [ $rc -eq 1 ] && case "$last" in *" 0 deviations, "*": UNSAFE") true ;; *) false ;; esac; then
		ok "installed responder + installed libcxlemu-core as an exec target: 0 deviations"
	else
		notok "installed responder + installed libcxlemu-core as an exec target: 0 deviations" "rc=$rc $last"
	fi
fi
# cxlemu(1) and one cxlemu-CMD(1) per subcommand (generated from the commands' descriptions),
# each rendering without a groff warning; the bash completion script, valid bash
cmds=$(LD_LIBRARY_PATH="$lib" "$bin" help --commands 2>/dev/null)
for m in man1/cxlemu.1 man3/libcxlemu.3 $(for c in $cmds; do echo "man1/cxlemu-$c.1"; done); do
	page=$(find "$tmp/root" -path "*/man/$m" | head -1)
	if [ -z "$page" ]; then
		notok "man page $m installed"
	elif command -v groff >/dev/null 2>&1 && warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1) && [ -n "$warn" ]; then
		notok "man page $m installed and renders cleanly" "$warn"
	else
		ok "man page $m installed and renders cleanly"
	fi
done
comp=$(find "$tmp/root" -path "*/bash-completion/completions/cxlemu" | head -1)
if [ -n "$comp" ] && bash -n "$comp"; then
	ok "bash completion installed (share/bash-completion/completions/cxlemu), valid bash"
else
	notok "bash completion installed (share/bash-completion/completions/cxlemu), valid bash" "$comp"
fi
for h in $want; do
	printf '#include <cxlemu/%s>\nint cxlemu_header_test;\n' "$h" > "$tmp/h.c"
	check "<cxlemu/$h> compiles alone with -std=c11 -pedantic -Werror" \
		"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -I"$(dirname "$inc")" -c "$tmp/h.c" -o "$tmp/h.o"
done
# A C++ program (a QEMU or test harness written in C++) includes the API and links it:
# the headers declare C linkage, or the link fails on mangled names.
if command -v c++ >/dev/null 2>&1 && cflags=$(pkg-config --cflags cxlemu) && libs=$(pkg-config --libs cxlemu); then
	printf '#include <cxlemu/cxlemu.h>\n#include <cstdio>\nint main() { std::printf("%%s\\n", cxl_model_name(0)); return cxl_model_count() ? 0 : 1; }\n' > "$tmp/cpp.cc"
	if out=$(c++ -std=c++17 -Wall -Wextra -Werror $cflags "$tmp/cpp.cc" $libs -o "$tmp/cpp" 2>&1) &&
	   out=$(LD_LIBRARY_PATH=$lib "$tmp/cpp" 2>&1); then
		ok "a C++17 program includes <cxlemu/cxlemu.h> and links (extern \"C\")"
	else
		notok "a C++17 program includes <cxlemu/cxlemu.h> and links (extern \"C\")" "$out"
	fi
else
	ok "C++ program links the API # SKIP no C++ compiler"
fi
if cflags=$(pkg-config --cflags cxlemu-core) && libs=$(pkg-config --libs cxlemu-core); then
	check "examples/oracle.c builds with pkg-config cxlemu-core" \
		"$CC" -std=c11 -Wall -Wextra -Werror $cflags "$SRC/examples/oracle.c" $libs -o "$tmp/oracle"
	if out=$(LD_LIBRARY_PATH="$lib" "$tmp/oracle" 2>&1) &&
	   printf '%s\n' "$out" | grep -q 'error: hdm.locked-write "HDM Decoder 0 Base High"'; then
		ok "oracle runs: Lock-On-Commit drops the move (CXL r3.1 §8.2.4.20.13)"
	else
		notok "oracle runs: Lock-On-Commit drops the move (CXL r3.1 §8.2.4.20.13)" "$out"
	fi
else
	notok "pkg-config cxlemu-core"
fi
if cflags=$(pkg-config --cflags cxlemu) && libs=$(pkg-config --libs cxlemu); then
	check "examples/replay.c builds with pkg-config cxlemu" \
		"$CC" -std=c11 -Wall -Wextra -Werror $cflags "$SRC/examples/replay.c" $libs -o "$tmp/replay"
	if out=$(LD_LIBRARY_PATH="$lib" "$tmp/replay" "$SRC/traces/conformance/hdm-lock-on-commit.yaml" 2>&1) &&
	   printf '%s\n' "$out" | grep -q '"result": "pass"'; then
		ok "replay example passes a conformance trace"
	else
		notok "replay example passes a conformance trace" "$out"
	fi
	static=$(pkg-config --static --libs cxlemu)
	check "examples/replay.c links statically with pkg-config --static" \
		"$CC" -std=c11 $cflags "$SRC/examples/replay.c" -Wl,-Bstatic $(printf '%s\n' $static | grep -- '-lcxlemu') \
		-Wl,-Bdynamic $(printf '%s\n' $static | grep -v -- '-lcxlemu') -o "$tmp/replay-static"
else
	notok "pkg-config cxlemu"
fi
for l in libcxlemu.so libcxlemu-core.so; do
	extra=$(nm -D --defined-only "$lib/$l" | awk '$2 ~ /[TDRB]/ {print $3}' | grep -v '^cxl_' | grep -v '^_' || true)
	[ -z "$extra" ] && ok "$l exports only cxl_ symbols" || notok "$l exports only cxl_ symbols" "$extra"
done
printf '#include <cxlemu/spec_ids.h>\nunsigned long long m = CXL_F_HDM_DECODER_CONTROL_COMMIT_MASK;\n' > "$tmp/ok.c"
printf '#include <cxlemu/spec_ids.h>\nunsigned long long m = CXL_F_HDM_DECODER_CONTROL_COMIT_MASK;\n' > "$tmp/typo.c"
check "a generated field constant compiles" "$CC" -I"$(dirname "$inc")" -c "$tmp/ok.c" -o "$tmp/ok.o"
if "$CC" -I"$(dirname "$inc")" -c "$tmp/typo.c" -o "$tmp/typo.o" 2>/dev/null; then
	notok "a misspelled field constant is a build error"
else
	ok "a misspelled field constant is a build error"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
