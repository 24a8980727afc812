#!/bin/sh
# The Debian packages of the project, in two sets:
#   sh bin/deps.sh run     what building and `make run` need: compiler,
#                          libraries, lighttpd
#   sh bin/deps.sh test    the run set plus the tools of the test suite,
#                          the fuzzers and the benchmark (`make test`)
#   sh bin/deps.sh check   are the build's libraries there? Names the
#                          install command and fails if not (the
#                          Makefile runs it before the compiler)
# run and test install what is missing (as root) or print the exact
# command and fail.
set -u
BUILD_PKGS="build-essential pkg-config libsqlite3-dev libscrypt-dev libssl-dev libjansson-dev
libmagic-dev libqrencode-dev"
RUN_PKGS="$BUILD_PKGS lighttpd"
TEST_PKGS="$RUN_PKGS apache2 sqlite3 perl curl clang libclang-rt-14-dev wrk time chromium
zbar-tools librsvg2-bin clamav python3-cryptography strace nodejs"

# The pkg-config names behind BUILD_PKGS; libscrypt ships no .pc file.
check() {
	pc=${PKG_CONFIG:-pkg-config}
	missing=""
	if ! command -v "$pc" >/dev/null 2>&1; then
		missing=" pkg-config"
	else
		for m in sqlite3 libcrypto jansson libmagic libqrencode; do
			"$pc" --exists "$m" 2>/dev/null || missing="$missing $m"
		done
	fi
	echo '#include <libscrypt.h>' | ${CC:-cc} -E -x c - >/dev/null 2>&1 ||
	    missing="$missing libscrypt"
	[ -z "$missing" ] && return 0
	echo "Missing development packages:$missing" >&2
	echo "Install them (as root) with:  make deps-run   (or make deps for the tests too)" >&2
	echo "or:  apt-get install -y" $BUILD_PKGS >&2
	return 1
}

need() {
	missing=""
	for p in $*; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
			echo "deps: apt-get install failed" >&2; return 1; }
		# The packages start system services we do not use; the tests start their own.
		for s in apache2 lighttpd; do
			command -v service >/dev/null 2>&1 && service $s stop >/dev/null 2>&1 || true
		done
		return 0
	fi
	echo "Missing Debian packages. Run as root:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	return 1
}

case "${1:-test}" in
run)	need $RUN_PKGS ;;
# npm comes with some nodejs builds (NodeSource) and separately in Debian.
test)	if command -v npm >/dev/null 2>&1; then need $TEST_PKGS; else need $TEST_PKGS npm; fi ;;
check)	check ;;
*)	echo "usage: sh bin/deps.sh run|test|check" >&2; exit 2 ;;
esac
