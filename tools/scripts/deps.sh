# shellcheck shell=bash
# deps.sh - make sure the Debian packages cxlemu builds and tests with are installed.
# Sourced by tools/run-tests and tools/run-demo. As root it installs what is
# missing with apt-get; otherwise it prints the exact apt-get line and fails.

# shellcheck disable=SC2034  # used by the scripts that source this file
CXLEMU_PACKAGES=(meson ninja-build pkg-config gcc libc6-dev libyaml-dev libcmocka-dev zlib1g-dev
                 valgrind lcov python3 gzip cmake python3-jsonschema libxml2-utils perl groff-base)

# ensure_packages PKG...: guarantees every PKG is installed, or exits 1 with the command to run.
ensure_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing ${missing[*]}" >&2
		export DEBIAN_FRONTEND=noninteractive
		if ! apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
			apt-get update -q >/dev/null 2>&1 || true
			apt-get install -y -q "${missing[@]}" >/dev/null
		fi
	else
		echo "deps: missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
}

# try_packages PKG...: installs what it can of PKG as root and never fails: for suites that
# skip themselves (exit 77 / TAP SKIP) when their package is missing, e.g. qemu-system-x86.
try_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: optional packages missing (their suites will skip): sudo apt-get install -y ${missing[*]}" >&2
		return 0
	fi
	echo "deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1; apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; } ||
		echo "deps: could not install ${missing[*]}; their suites will skip" >&2
	return 0
}

# Packages of the suites that skip without them (the qemu differential suite; chromium for tests/html).
# shellcheck disable=SC2034
CXLEMU_OPTIONAL_PACKAGES=(qemu-system-x86 chromium)
