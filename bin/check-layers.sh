#!/bin/sh
# check-layers.sh [ROOT]: the include direction of lib/ (README "Layout").
#   base <- store <- domain <- http <- cgi-bin, bin
# A file may include headers of its own layer and of the layers below it,
# always named with their layer ("store/db.h"). Only store/sqlite.c may
# speak sqlite3. Prints every violation; exit 1 if there is one.
root=${1:-.}
cd "$root" || exit 2
rank() {
	case $1 in
	base) echo 0 ;; store) echo 1 ;; domain) echo 2 ;; http) echo 3 ;;
	*) echo 9 ;;
	esac
}
bad=0
TMPBAD=$(mktemp)
trap 'rm -f "$TMPBAD"' EXIT
for f in lib/*/*.c lib/*/*.h cgi-bin/*.c cgi-bin/*/*.c cgi-bin/*.h bin/*.c bin/*.h; do
	[ -f "$f" ] || continue
	case $f in
	lib/*) layer=${f#lib/}; layer=${layer%%/*}; own=$(rank "$layer") ;;
	*) layer=${f%%/*}; own=9 ;;
	esac
	if [ "$own" = 9 ] && [ "${f#lib/}" != "$f" ]; then
		echo "check-layers: $f: lib/$layer is not a layer"
		bad=1
		continue
	fi
	# includes of project headers
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	while IFS= read -r line; do
		n=${line%%:*}
		h=$(printf '%s\n' "$line" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
		case $h in
		*/*) hl=${h%%/*} ;;
		*)
			# cgi-bin and bin may include their own local headers
			if [ "$own" = 9 ] && [ -f "$(dirname "$f")/$h" ]; then
				continue
			fi
			echo "check-layers: $f:$n: \"$h\" does not name its layer"
			echo x >> "$TMPBAD"
			continue ;;
		esac
		hr=$(rank "$hl")
		if [ "$hr" = 9 ]; then
			[ "$own" = 9 ] && [ -f "$(dirname "$f")/$h" ] && continue
			echo "check-layers: $f:$n: \"$h\" is not in a layer"
			echo x >> "$TMPBAD"
		elif [ "$hr" -gt "$own" ]; then
			echo "check-layers: $f:$n: $layer must not include $h (a higher layer)"
			echo x >> "$TMPBAD"
		fi
	done
	case $f in
	lib/store/sqlite.c) ;;
	*)
		if grep -n 'sqlite3' "$f" >/dev/null 2>&1; then
			grep -n 'sqlite3' "$f" | sed "s|^|check-layers: $f:|;s|\$| (sqlite3 outside the SQLite driver)|"
			bad=1
		fi ;;
	esac
done
[ -s "$TMPBAD" ] && bad=1
# One base name, one meaning: no two source files share a base name.
dups=$(for f in lib/*/*.c cgi-bin/*.c cgi-bin/*/*.c bin/*.c; do
	[ -f "$f" ] && basename "$f"; done | sort | uniq -d)
for d in $dups; do
	echo "check-layers: more than one source file is called $d"
	bad=1
done
exit $bad
