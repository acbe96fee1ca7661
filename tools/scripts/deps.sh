# shellcheck shell=bash
# deps.sh - make sure the Debian packages cxlemu builds and tests with are installed.
# Sourced by tools/run-tests and tools/run-demo. As root it installs what is
# missing with apt-get; otherwise it prints the exact apt-get line and fails.

# shellcheck disable=SC2034  # used by the scripts that source this file
CXLEMU_PACKAGES=(meson ninja-build pkg-config gcc libc6-dev libyaml-dev libcmocka-dev zlib1g-dev
                 valgrind lcov python3 gzip)

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
