#!/bin/sh
# SPDX-License-Identifier: MIT
# test_downstream.sh BUILD SRC PREFIX LIBDIR BINDIR SANITIZE: cxlemu used by a downstream
# project, as README "Using cxlemu from CMake/CTest and meson" shows. Installs the build into a
# temporary DESTDIR, copies examples/downstream (CMakeLists.txt, meson.build, device.c) into a
# temporary project with a traces/ directory of
#   dvsec-config-lock.yaml, hdm-lock-on-commit.yaml  copied from traces/conformance: pass
#   expect-unmet.yaml   expects field.rwl-locked on a read, which raises no event: fails
#                       (cxlemu replay --exit-codes=automake: 1)
#   bad-yaml.yaml       an unterminated flow sequence: bad input (99)
#   no-ops.yaml         no ops: nothing to check (77)
# and checks, as TAP:
#  - cxlemuConfig.cmake and cxlemuConfigVersion.cmake are installed in LIBDIR/cmake/cxlemu;
#  - README's CMakeLists.txt and meson.build are examples/downstream's, byte for byte;
#  - CMake: find_package(cxlemu CONFIG) finds the DESTDIR prefix, device.c links
#    cxlemu::cxlemu and runs, and ctest reports exactly: device and the two conformance
#    traces Passed, expect-unmet and bad-yaml Failed, no-ops Skipped (SKIP_RETURN_CODE 77);
#  - cxlemu_add_trace_tests() puts PROFILE and ARGS on the command line, refuses a directory
#    with no trace, and find_package(cxlemu 0.2) rejects this 0.1 package;
#  - meson: the same project found through pkg-config and PATH, meson test reports exactly:
#    device and the conformance traces OK, expect-unmet FAIL, bad-yaml ERROR, no-ops SKIP.
set -u
unset LD_LIBRARY_PATH   # meson test points it at the build tree; the installed libraries are tested
BUILD=$1 SRC=$2 PREFIX=$3 LIBDIR=$4 BINDIR=$5 SANITIZE=${6:-none}
if [ "$SANITIZE" != none ]; then
	# device.c links the installed libraries with a plain compiler: a sanitizer build's
	# libraries need the sanitizer runtime first, which a user's build would not add.
	echo "1..0 # SKIP a -Db_sanitize=$SANITIZE build installs sanitized libraries"
	exit 0   # TAP: the plan line above is the skip
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /' | head -40; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

echo "TAP version 13"
if ! out=$(meson install -C "$BUILD" --no-rebuild --destdir "$tmp/root" 2>&1); then
	echo "1..1"; notok "meson install" "$(printf '%s\n' "$out" | grep -v '^Installing')"; exit 1
fi
case $LIBDIR in /*) root_libdir=$tmp/root$LIBDIR ;; *) root_libdir=$tmp/root$PREFIX/$LIBDIR ;; esac
root=$tmp/root$PREFIX
case $BINDIR in /*) root_bindir=$tmp/root$BINDIR ;; *) root_bindir=$root/$BINDIR ;; esac
if [ -f "$root_libdir/cmake/cxlemu/cxlemuConfig.cmake" ] &&
   [ -f "$root_libdir/cmake/cxlemu/cxlemuConfigVersion.cmake" ]; then
	ok "cxlemuConfig.cmake and cxlemuConfigVersion.cmake installed in $LIBDIR/cmake/cxlemu"
else
	notok "cxlemuConfig.cmake and cxlemuConfigVersion.cmake installed in $LIBDIR/cmake/cxlemu" \
		"$(find "$tmp/root" -name '*.cmake')"
fi

# The project: the example files and a traces/ directory.
proj=$tmp/proj
mkdir -p "$proj/traces"
cp "$SRC/examples/downstream/CMakeLists.txt" "$SRC/examples/downstream/meson.build" \
	"$SRC/examples/downstream/device.c" "$proj/"
cp "$SRC/traces/conformance/dvsec-config-lock.yaml" "$SRC/traces/conformance/hdm-lock-on-commit.yaml" \
	"$proj/traces/"
# CXL r3.1 §8.1.3.2: DVSEC Control reads 0x0002 after reset; a read raises no
# field.rwl-locked, so the expectation is not met.
cat > "$proj/traces/expect-unmet.yaml" <<'EOF'
cxl-trace: 1
profile: cxl-3.1
devices:
  ep0: {model: qemu72-type3}
ops:
  - [cfg-read, ep0, 0x10c, 2, 0x0002]
expect:
  - {op: 0, rule: field.rwl-locked}
EOF
cat > "$proj/traces/bad-yaml.yaml" <<'EOF'
cxl-trace: 1
profile: cxl-3.1
devices:
  ep0: {model: qemu72-type3}
ops:
  - [cfg-read, ep0, 0x10c, 2, 0x0002
EOF
cat > "$proj/traces/no-ops.yaml" <<'EOF'
cxl-trace: 1
profile: cxl-3.1
devices:
  ep0: {model: qemu72-type3}
ops: []
EOF

# README's snippets are the files this test builds.
section() { # the first ```$1 block after README's "Using cxlemu from CMake" heading
	awk -v lang="$1" '/^## Using cxlemu from CMake/ {s = 1; next} s && /^## / {exit}
		s && b && /^```$/ {exit} b {print} s && $0 == "```" lang {b = 1}' "$SRC/README.md"
}
for f in CMakeLists.txt:cmake meson.build:meson; do
	file=${f%%:*} lang=${f#*:}
	section "$lang" > "$tmp/readme.$lang"
	if cmp -s "$tmp/readme.$lang" "$SRC/examples/downstream/$file"; then
		ok "README's $lang block is examples/downstream/$file"
	else
		notok "README's $lang block is examples/downstream/$file" \
			"$(diff "$tmp/readme.$lang" "$SRC/examples/downstream/$file")"
	fi
done

# results FILE: "NAME STATUS" per test of a ctest or meson test output, sorted by name.
ctest_results() {
	sed -n 's/^ *[0-9]*\/[0-9]* *Test *#[0-9]*: \([^ ]*\) \.*[* ]*\([A-Za-z]*\).*/\1 \2/p' "$1" | sort
}
meson_results() {
	awk '$1 ~ /^[0-9]+\/[0-9]+$/ {print $2, $3}' "$1" | sort
}

if ! command -v cmake >/dev/null 2>&1 || ! command -v ctest >/dev/null 2>&1; then
	skip "CMake: find_package(cxlemu), ctest runs the traces" "cmake is not installed"
else
	# As README: cmake -S . -B build-cmake -DCMAKE_PREFIX_PATH="$PREFIX"; cmake --build
	# build-cmake; ctest --test-dir build-cmake
	if out=$(cd "$proj" && cmake -S . -B build-cmake -DCMAKE_PREFIX_PATH="$root" 2>&1 &&
		 cmake --build build-cmake 2>&1); then
		ok "CMake: find_package(cxlemu CONFIG) and device.c linking cxlemu::cxlemu build"
		(cd "$proj" && ctest --test-dir build-cmake) > "$tmp/ctest.out" 2>&1
		rc=$?
		want="cxlemu/bad-yaml.yaml Failed
cxlemu/dvsec-config-lock.yaml Passed
cxlemu/expect-unmet.yaml Failed
cxlemu/hdm-lock-on-commit.yaml Passed
cxlemu/no-ops.yaml Skipped
device Passed"
		got=$(ctest_results "$tmp/ctest.out")
		if [ "$got" = "$want" ] && [ $rc -ne 0 ]; then
			ok "ctest: the failing and the bad trace fail, the no-ops trace skips, the rest pass"
		else
			notok "ctest: the failing and the bad trace fail, the no-ops trace skips, the rest pass" \
				"rc=$rc; got:
$got
want:
$want
$(cat "$tmp/ctest.out")"
		fi
	else
		notok "CMake: find_package(cxlemu CONFIG) and device.c linking cxlemu::cxlemu build" "$out"
	fi

	# The options of cxlemu_add_trace_tests() reach the command line. One build directory,
	# reconfigured, so that the compiler is probed once (a project with languages NONE would
	# not set CMAKE_LIBRARY_ARCHITECTURE, and find_package would not look in lib/<arch>).
	mkdir -p "$tmp/opts/empty"
	cp "$SRC/traces/conformance/dvsec-config-lock.yaml" "$tmp/opts/"
	cat > "$tmp/opts/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.12)
project(cxlemu-options C)
enable_testing()
find_package(cxlemu CONFIG REQUIRED)
cxlemu_add_trace_tests(DIRECTORY . PROFILE qemu-7.2 ARGS --quiet)
cxlemu_add_trace_tests(DIRECTORY . PREFIX "mine:")
if(EMPTY_DIR)
	cxlemu_add_trace_tests(DIRECTORY empty)
endif()
EOF
	if cmake -S "$tmp/opts" -B "$tmp/opts/b" -DCMAKE_PREFIX_PATH="$root" >/dev/null 2>&1 &&
	   (cd "$tmp/opts/b" && ctest -N -V) > "$tmp/opts.out" 2>&1; then
		exe="$root_bindir/cxlemu"
		want="$exe \"replay\" \"--exit-codes=automake\" \"--profile\" \"qemu-7.2\" \"--quiet\" \"$tmp/opts/dvsec-config-lock.yaml\"
$exe \"replay\" \"--exit-codes=automake\" \"$tmp/opts/dvsec-config-lock.yaml\""
		got=$(sed -n 's/^[0-9]*: Test command: //p' "$tmp/opts.out")
		names=$(sed -n 's/^ *Test *#[0-9]*: //p' "$tmp/opts.out" | tr '\n' ' ')
		if [ "$got" = "$want" ] &&
		   [ "$names" = "cxlemu/qemu-7.2/dvsec-config-lock.yaml mine:dvsec-config-lock.yaml " ]; then
			ok "cxlemu_add_trace_tests: PROFILE, ARGS and PREFIX on the command line and in the names"
		else
			notok "cxlemu_add_trace_tests: PROFILE, ARGS and PREFIX on the command line and in the names" \
				"got:
$got
names: $names
want:
$want"
		fi
	else
		notok "cxlemu_add_trace_tests: PROFILE, ARGS and PREFIX on the command line and in the names" \
			"$(cat "$tmp/opts.out" 2>/dev/null)"
	fi
	if out=$(cmake -S "$tmp/opts" -B "$tmp/opts/b" -DEMPTY_DIR=1 2>&1); then
		notok "cxlemu_add_trace_tests: a directory with no trace is a configure error" "$out"
	elif printf '%s\n' "$out" | tr -s ' \n' '  ' |   # CMake wraps messages
	     grep -q "cxlemu_add_trace_tests: no \*.yaml or \*.cxlt trace in $tmp/opts/empty"; then
		ok "cxlemu_add_trace_tests: a directory with no trace is a configure error"
	else
		notok "cxlemu_add_trace_tests: a directory with no trace is a configure error" "$out"
	fi
	sed 's/find_package(cxlemu CONFIG REQUIRED)/find_package(cxlemu 0.2 CONFIG REQUIRED)/' \
		"$tmp/opts/CMakeLists.txt" > "$tmp/opts/v.txt" && mv "$tmp/opts/v.txt" "$tmp/opts/CMakeLists.txt"
	if out=$(cmake -S "$tmp/opts" -B "$tmp/opts/b" -DEMPTY_DIR=0 2>&1); then
		notok "find_package(cxlemu 0.2) rejects the 0.1 package (0.x: same minor)" "$out"
	elif printf '%s\n' "$out" | grep -q 'version: 0\.1\.0'; then
		ok "find_package(cxlemu 0.2) rejects the 0.1 package (0.x: same minor)"
	else
		notok "find_package(cxlemu 0.2) rejects the 0.1 package (0.x: same minor)" "$out"
	fi
fi

# As README: PKG_CONFIG_PATH="$PREFIX/<libdir>/pkgconfig" PATH="$PREFIX/bin:$PATH" meson
# setup build-meson; meson test -C build-meson. The .pc files name the real prefix, so a
# DESTDIR install also needs PKG_CONFIG_SYSROOT_DIR.
if out=$(cd "$proj" && PKG_CONFIG_SYSROOT_DIR="$tmp/root" PKG_CONFIG_PATH="$root_libdir/pkgconfig" \
	 PATH="$root_bindir:$PATH" meson setup build-meson 2>&1); then
	ok "meson: dependency('cxlemu') and find_program('cxlemu') from the installed prefix"
	(cd "$proj" && meson test -C build-meson) > "$tmp/meson.out" 2>&1
	rc=$?
	want="bad-yaml.yaml ERROR
device OK
dvsec-config-lock.yaml OK
expect-unmet.yaml FAIL
hdm-lock-on-commit.yaml OK
no-ops.yaml SKIP"
	got=$(meson_results "$tmp/meson.out")
	if [ "$got" = "$want" ] && [ $rc -ne 0 ]; then
		ok "meson test: the failing trace FAIL, the bad one ERROR (99), no ops SKIP (77), the rest OK"
	else
		notok "meson test: the failing trace FAIL, the bad one ERROR (99), no ops SKIP (77), the rest OK" \
			"rc=$rc; got:
$got
want:
$want
$(cat "$tmp/meson.out")"
	fi
else
	notok "meson: dependency('cxlemu') and find_program('cxlemu') from the installed prefix" "$out"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
