#!/bin/sh
# make bench: throughput and latency of the real CGIs against a hello-world
# C CGI under one lighttpd, driven by wrk at 1 and 8 connections, plus the
# peak RSS of single requests. Figures are printed, never asserted.
set -eu
BUILD=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DUR=${BENCH_SECONDS:-5}
PORT=$(( 20000 + $$ % 20000 ))
DATA=$(mktemp -d /tmp/ltc-bench-XXXXXX)
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null; rm -rf "$DATA"' EXIT

cc -O2 -o "$BUILD/cgi-bin/hello" "$ROOT/bench/hello.c"
LTC_ENV=test LTC_BUILD=$BUILD sh "$ROOT/bin/devserver.sh" $PORT "$DATA" >/dev/null 2>&1 &
SRV=$!
for i in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break; sleep 0.05; done
B="http://127.0.0.1:$PORT"

# Figures are printed from wrk's latency distribution.
run() { # name url connections [script]
	name=$1; url=$2; c=$3; script=${4:-}
	if [ -n "$script" ]; then
		out=$(wrk -t1 -c"$c" -d"${DUR}s" --latency -s "$script" "$url" 2>&1)
	else
		out=$(wrk -t1 -c"$c" -d"${DUR}s" --latency "$url" 2>&1)
	fi
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p50=$(echo "$out" | awk '$1=="50%" {print $2}')
	p99=$(echo "$out" | awk '$1=="99%" {print $2}')
	printf '%-34s c=%-2s %10s req/s  p50 %-8s p99 %-8s\n' "$name" "$c" "$rps" "$p50" "$p99"
	eval "RPS_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')_$c=$rps"
}

echo "== LifeTimeCircle bench ($DUR s per run, $(nproc) cores)"
for c in 1 8; do
	run hello "$B/cgi-bin/hello" $c
	run health "$B/api/health" $c
done
for c in 1 8; do
	eval h=\$RPS_hello_$c; eval r=\$RPS_health_$c
	awk -v h="$h" -v r="$r" -v c="$c" 'BEGIN { printf "ratio health/hello at c=%s: %.2f\n", c, r / h }'
done

# Optional parts, when their CGIs exist.
for f in "$ROOT"/bench/*.sh; do
	[ "$f" = "$ROOT/bench/run.sh" ] && continue
	. "$f"
done

echo "== peak RSS of one request (/usr/bin/time -v)"
for g in hello health; do
	rss=$(env REQUEST_METHOD=GET PATH_INFO= LTC_CONF="$DATA/ltc.conf" /usr/bin/time -v "$BUILD/cgi-bin/$g" 2>&1 >/dev/null |
	    awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
	printf '%-10s %6s KiB\n' "$g" "$rss"
done
