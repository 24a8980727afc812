#!/bin/sh
# Installs the Debian packages the project needs (as root), or prints the
# exact command and fails. Called by `make deps`, `make run`, `make test`.
set -u
PKGS="build-essential pkg-config libsqlite3-dev libscrypt-dev libssl-dev libjansson-dev
libmagic-dev libqrencode-dev lighttpd apache2 sqlite3 perl curl
clang libclang-rt-14-dev wrk time chromium zbar-tools librsvg2-bin python3-cryptography"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
		echo "deps: apt-get install failed" >&2; exit 1; }
	# The package starts system services we do not use; the tests start their own.
	for s in apache2 lighttpd; do
		command -v service >/dev/null 2>&1 && service $s stop >/dev/null 2>&1 || true
	done
	exit 0
fi
echo "Missing Debian packages. Run as root:" >&2
echo "  apt-get update && apt-get install -y$missing" >&2
exit 1
